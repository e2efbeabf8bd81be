//! `ApiError` from the reports of validation crates: `From<validator::ValidationErrors>`
//! (feature `validator`) and `From<garde::Report>` (feature `garde`).
//!
//! Both give `422 unprocessable_entity` with the description [`DESCRIPTION`] and one
//! [`FieldError`](crate::FieldError) per failure. The field is the path of the failing value in
//! the dotted form that garde's `Path` displays: a top-level field is its bare name (`name`),
//! a nested struct's field is joined with a dot (`address.city`), and a list item has its index
//! in brackets (`items[0].name`). Failures of a whole value rather than one of its fields (the
//! schema checks of validator, garde's errors on the top-level value) have the path of that
//! value, which is the empty string for the top-level value.
//!
//! The description, and the messages the crate writes itself, come in every language it ships
//! (`en` and `pt-BR`): the others are attached with
//! [`ApiError::with_description_in`](crate::ApiError::with_description_in) and
//! [`FieldError::with_message_in`](crate::FieldError::with_message_in).

#[cfg(feature = "garde")]
mod garde;
#[cfg(feature = "validator")]
mod validator;

#[cfg(any(feature = "validator", feature = "garde"))]
use crate::{
    language::{pt_br, LanguageTag},
    ApiError, FieldError,
};

/// The description of an error made from a validation report.
#[cfg(any(feature = "validator", feature = "garde"))]
const DESCRIPTION: &str = "The request has invalid fields.";

/// The `422 unprocessable_entity` of a validation report, described in every shipped language.
#[cfg(any(feature = "validator", feature = "garde"))]
fn error(field_errors: impl IntoIterator<Item = FieldError>) -> ApiError {
    ApiError::unprocessable_entity(DESCRIPTION)
        .with_description_in(
            LanguageTag::from_static(pt_br::TAG),
            pt_br::VALIDATION_DESCRIPTION,
        )
        .with_field_errors(field_errors)
}
