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

#[cfg(feature = "garde")]
mod garde;
#[cfg(feature = "validator")]
mod validator;

/// The description of an error made from a validation report.
const DESCRIPTION: &str = "The request has invalid fields.";
