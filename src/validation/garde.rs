//! `From<garde::Report> for ApiError`.

use ::garde::Report;

use super::DESCRIPTION;
use crate::{ApiError, FieldError};

/// A `422 unprocessable_entity` error with one [`FieldError`] per failure of `report`, in the
/// order of the report: the order in which garde checked the values, which for a derived
/// `Validate` is by field name at each level and list items by index (the order the `validator`
/// conversion sorts its errors into).
///
/// - **Field**: garde's `Path` as it displays: `name`, `address.city`, `items[0].name`. An
///   error on the top-level value itself (a `#[garde(custom(..))]` on the struct) has the empty
///   path.
/// - **Message**: garde's message, such as "length is lower than 1".
/// - **Code**: none. garde's errors carry only a message, and a fixed code such as `invalid`
///   would tell a client nothing the presence of the field error does not, so the field
///   errors have no `code` member. Clients that need codes can use the `validator` feature, or
///   build their field errors with [`FieldError::with_code`].
///
/// The description is "The request has invalid fields."; replace it with
/// [`with_description`](ApiError::with_description). Every text is escaped where it is
/// rendered, as all field errors are.
///
/// ```
/// use garde::Validate;
/// use tower_api_error::ApiError;
///
/// #[derive(Validate)]
/// struct NewItem {
///     #[garde(length(chars, min = 1, max = 64))]
///     name: String,
///     #[garde(dive)]
///     tags: Vec<Tag>,
/// }
///
/// #[derive(Validate)]
/// struct Tag {
///     #[garde(length(max = 8))]
///     label: String,
/// }
///
/// let item = NewItem {
///     name: String::new(),
///     tags: vec![Tag { label: "ok".into() }, Tag { label: "much too long".into() }],
/// };
/// let err = ApiError::from(item.validate().unwrap_err());
/// assert_eq!(err.code(), "unprocessable_entity");
/// assert_eq!(err.description(), "The request has invalid fields.");
/// let fields: Vec<_> = err.field_errors().iter().map(|e| e.field()).collect();
/// assert_eq!(fields, ["name", "tags[1].label"]);
/// assert_eq!(err.field_errors()[0].message(), "length is lower than 1");
/// assert_eq!(err.field_errors()[0].code(), None);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "garde")))]
impl From<Report> for ApiError {
    fn from(report: Report) -> Self {
        let field_errors = report
            .into_inner()
            .into_iter()
            .map(|(path, error)| FieldError::new(path.to_string(), error.message().to_owned()));
        ApiError::unprocessable_entity(DESCRIPTION).with_field_errors(field_errors)
    }
}
