//! `From<validator::ValidationErrors> for ApiError`.

use std::borrow::Cow;

use ::validator::{ValidationError, ValidationErrors, ValidationErrorsKind};
use serde_json::Value;

use super::DESCRIPTION;
use crate::{ApiError, FieldError};

/// The key under which validator keeps the errors of a struct's own (schema) checks.
const STRUCT_KEY: &str = "__all__";

/// A `422 unprocessable_entity` error with one [`FieldError`] per failure of `errors`.
///
/// - **Field**: the path of the failing value: `name`, `address.city`, `items[0].name`. Nested
///   structs and lists are flattened to one path per failure. The errors of a struct's own
///   checks (`#[validate(schema(..))]`, which validator files under `__all__`) have the path of
///   the struct: `address` for a nested one, the empty string for the top-level one.
/// - **Code**: validator's `code`: the rule's name (`length`, `email`, `range`, ...) or the
///   `code = "..."` given in the attribute.
/// - **Message**: validator's `message` if the rule has one (`message = "..."`), else an
///   English one built from the code and its parameters: `length` with `min = 1, max = 64`
///   on a string is "must be between 1 and 64 characters long" (on a list, "must have between 1
///   and 64 items"). The other built-in codes: `range` ("must be at least 1", "must be between
///   1 and 10", "must be greater than 0", ...), `email` ("must be a valid email address"),
///   `url` ("must be a valid URL"), `ip` ("must be a valid IP address"), `required` ("is
///   required"), `must_match` ("does not match"), `contains` (`must contain "x"`),
///   `does_not_contain` (`must not contain "x"`), `regex` ("is not in the expected format"),
///   `credit_card` ("must be a valid credit card number") and `non_control_character` ("must
///   not contain control characters"); any other code gives "is invalid (CODE)". The value
///   that failed is never quoted back (validator passes it as the parameter `value`).
/// - **Order**: validator keeps its errors in a hash map; the field errors are sorted so that
///   the same failures always give the same body: by field name at each level, a struct's own
///   errors before its fields' and list items by index; the failures of one field in the order
///   validator lists them.
///
/// The description is "The request has invalid fields."; replace it with
/// [`with_description`](ApiError::with_description). Every text is escaped where it is
/// rendered, as all field errors are.
///
/// ```
/// use tower_api_error::ApiError;
/// use validator::Validate;
///
/// #[derive(Validate)]
/// struct NewItem {
///     #[validate(length(min = 1, max = 64))]
///     name: String,
///     #[validate(nested)]
///     tags: Vec<Tag>,
/// }
///
/// #[derive(Validate)]
/// struct Tag {
///     #[validate(length(max = 8, message = "is too long for a tag"))]
///     label: String,
/// }
///
/// let item = NewItem {
///     name: "x".repeat(65),
///     tags: vec![Tag { label: "ok".into() }, Tag { label: "much too long".into() }],
/// };
/// let err = ApiError::from(item.validate().unwrap_err());
/// assert_eq!(err.code(), "unprocessable_entity");
/// assert_eq!(err.description(), "The request has invalid fields.");
///
/// let name = &err.field_errors()[0];
/// assert_eq!(
///     (name.field(), name.message(), name.code()),
///     ("name", "must be between 1 and 64 characters long", Some("length"))
/// );
/// let tag = &err.field_errors()[1];
/// assert_eq!(
///     (tag.field(), tag.message(), tag.code()),
///     ("tags[1].label", "is too long for a tag", Some("length"))
/// );
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "validator")))]
impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        let mut field_errors = Vec::new();
        flatten(String::new(), errors, &mut field_errors);
        ApiError::unprocessable_entity(DESCRIPTION).with_field_errors(field_errors)
    }
}

/// Appends the failures of `errors`, the errors of the value at `path`, to `out`.
fn flatten(path: String, errors: ValidationErrors, out: &mut Vec<FieldError>) {
    let mut entries: Vec<_> = errors.into_errors().into_iter().collect();
    // A struct's own errors first, then its fields by name.
    entries.sort_by(|(a, _), (b, _)| (*a != STRUCT_KEY, a).cmp(&(*b != STRUCT_KEY, b)));
    for (name, kind) in entries {
        let field = if name == STRUCT_KEY {
            path.clone()
        } else if path.is_empty() {
            name.into_owned()
        } else {
            format!("{path}.{name}")
        };
        match kind {
            ValidationErrorsKind::Field(errors) => out.extend(
                errors
                    .into_iter()
                    .map(|error| field_error(field.clone(), error)),
            ),
            ValidationErrorsKind::Struct(errors) => flatten(field, *errors, out),
            // A `BTreeMap`: the items come in the order of their indices.
            ValidationErrorsKind::List(items) => {
                for (index, errors) in items {
                    flatten(format!("{field}[{index}]"), *errors, out);
                }
            }
        }
    }
}

fn field_error(field: String, error: ValidationError) -> FieldError {
    let message = match error.message {
        Some(message) => message,
        None => Cow::Owned(default_message(&error)),
    };
    FieldError::new(field, message).with_code(error.code)
}

/// The message of a failure that validator gives none for, built from its code and parameters.
fn default_message(error: &ValidationError) -> String {
    let param = |name: &str| error.params.get(name).map(display);
    match &*error.code {
        "length" => length_message(error),
        "range" => {
            let lower = match (param("min"), param("exclusive_min")) {
                (Some(min), _) => Some(("at least", min)),
                (None, Some(min)) => Some(("greater than", min)),
                (None, None) => None,
            };
            let upper = match (param("max"), param("exclusive_max")) {
                (Some(max), _) => Some(("at most", max)),
                (None, Some(max)) => Some(("less than", max)),
                (None, None) => None,
            };
            match (lower, upper) {
                (Some(("at least", min)), Some(("at most", max))) => {
                    format!("must be between {min} and {max}")
                }
                (Some((lower, min)), Some((upper, max))) => {
                    format!("must be {lower} {min} and {upper} {max}")
                }
                (Some((bound, value)), None) | (None, Some((bound, value))) => {
                    format!("must be {bound} {value}")
                }
                (None, None) => "is out of range".to_owned(),
            }
        }
        "email" => "must be a valid email address".to_owned(),
        "url" => "must be a valid URL".to_owned(),
        "ip" => "must be a valid IP address".to_owned(),
        "required" => "is required".to_owned(),
        // The parameter `other` is the other field's value, not its name: not to be quoted.
        "must_match" => "does not match".to_owned(),
        "contains" => match param("needle") {
            Some(needle) => format!("must contain \"{needle}\""),
            None => "does not contain what it must".to_owned(),
        },
        "does_not_contain" => match param("needle") {
            Some(needle) => format!("must not contain \"{needle}\""),
            None => "contains what it must not".to_owned(),
        },
        "regex" => "is not in the expected format".to_owned(),
        "credit_card" => "must be a valid credit card number".to_owned(),
        "non_control_character" => "must not contain control characters".to_owned(),
        code => format!("is invalid ({code})"),
    }
}

/// The message of a `length` failure: in characters for a string, in items for a list or map
/// (validator passes the value, which tells which), else in neutral terms.
fn length_message(error: &ValidationError) -> String {
    let number = |name: &str| error.params.get(name).map(display);
    let (min, max, equal) = (number("min"), number("max"), number("equal"));
    let bounds = match (&equal, &min, &max) {
        (Some(equal), _, _) => Bounds::Exactly(equal),
        (None, Some(min), Some(max)) if min == max => Bounds::Exactly(min),
        (None, Some(min), Some(max)) => Bounds::Between(min, max),
        (None, Some(min), None) => Bounds::AtLeast(min),
        (None, None, Some(max)) => Bounds::AtMost(max),
        (None, None, None) => return "has an invalid length".to_owned(),
    };
    match error.params.get("value") {
        Some(Value::String(_)) => {
            let unit = |n: &str| if n == "1" { "character" } else { "characters" };
            match bounds {
                Bounds::Exactly(n) => format!("must be exactly {n} {} long", unit(n)),
                Bounds::Between(min, max) => {
                    format!("must be between {min} and {max} characters long")
                }
                Bounds::AtLeast(n) => format!("must be at least {n} {} long", unit(n)),
                Bounds::AtMost(n) => format!("must be at most {n} {} long", unit(n)),
            }
        }
        Some(Value::Array(_) | Value::Object(_)) => {
            let unit = |n: &str| if n == "1" { "item" } else { "items" };
            match bounds {
                Bounds::Exactly(n) => format!("must have exactly {n} {}", unit(n)),
                Bounds::Between(min, max) => format!("must have between {min} and {max} items"),
                Bounds::AtLeast(n) => format!("must have at least {n} {}", unit(n)),
                Bounds::AtMost(n) => format!("must have at most {n} {}", unit(n)),
            }
        }
        _ => match bounds {
            Bounds::Exactly(n) => format!("must have a length of exactly {n}"),
            Bounds::Between(min, max) => format!("must have a length between {min} and {max}"),
            Bounds::AtLeast(n) => format!("must have a length of at least {n}"),
            Bounds::AtMost(n) => format!("must have a length of at most {n}"),
        },
    }
}

enum Bounds<'a> {
    Exactly(&'a str),
    Between(&'a str, &'a str),
    AtLeast(&'a str),
    AtMost(&'a str),
}

/// A parameter as text: a string as it is, anything else as JSON (`64`, `1.5`, `true`).
fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error(code: &'static str, params: &[(&'static str, Value)]) -> ValidationError {
        let mut error = ValidationError::new(code);
        for (name, value) in params {
            error.add_param(Cow::Borrowed(*name), value);
        }
        error
    }

    #[test]
    fn default_messages_of_the_built_in_codes() {
        let text = json!("some text");
        let list = json!(["a", "b"]);
        let cases = [
            (
                error(
                    "length",
                    &[
                        ("min", json!(1)),
                        ("max", json!(64)),
                        ("value", text.clone()),
                    ],
                ),
                "must be between 1 and 64 characters long",
            ),
            (
                error("length", &[("min", json!(1)), ("value", text.clone())]),
                "must be at least 1 character long",
            ),
            (
                error("length", &[("max", json!(3)), ("value", text.clone())]),
                "must be at most 3 characters long",
            ),
            (
                error("length", &[("equal", json!(8)), ("value", text.clone())]),
                "must be exactly 8 characters long",
            ),
            (
                error(
                    "length",
                    &[("min", json!(2)), ("max", json!(2)), ("value", text)],
                ),
                "must be exactly 2 characters long",
            ),
            (
                error(
                    "length",
                    &[
                        ("min", json!(1)),
                        ("max", json!(3)),
                        ("value", list.clone()),
                    ],
                ),
                "must have between 1 and 3 items",
            ),
            (
                error("length", &[("min", json!(1)), ("value", list.clone())]),
                "must have at least 1 item",
            ),
            (
                error("length", &[("max", json!(5)), ("value", json!({"a": 1}))]),
                "must have at most 5 items",
            ),
            (
                error("length", &[("equal", json!(1)), ("value", list)]),
                "must have exactly 1 item",
            ),
            (
                error("length", &[("min", json!(1)), ("max", json!(3))]),
                "must have a length between 1 and 3",
            ),
            (error("length", &[]), "has an invalid length"),
            (
                error(
                    "range",
                    &[("min", json!(1)), ("max", json!(10)), ("value", json!(11))],
                ),
                "must be between 1 and 10",
            ),
            (
                error("range", &[("min", json!(0.5))]),
                "must be at least 0.5",
            ),
            (error("range", &[("max", json!(-1))]), "must be at most -1"),
            (
                error("range", &[("exclusive_min", json!(0.0))]),
                "must be greater than 0.0",
            ),
            (
                error("range", &[("exclusive_max", json!(100))]),
                "must be less than 100",
            ),
            (
                error("range", &[("exclusive_min", json!(0)), ("max", json!(9))]),
                "must be greater than 0 and at most 9",
            ),
            (
                error("range", &[("min", json!("2024-01-01"))]),
                "must be at least 2024-01-01",
            ),
            (error("range", &[]), "is out of range"),
            (
                error("email", &[("value", json!("x"))]),
                "must be a valid email address",
            ),
            (
                error("url", &[("value", json!("x"))]),
                "must be a valid URL",
            ),
            (
                error("ip", &[("value", json!("x"))]),
                "must be a valid IP address",
            ),
            (error("required", &[]), "is required"),
            (
                error(
                    "must_match",
                    &[("other", json!("hunter2")), ("value", json!("x"))],
                ),
                "does not match",
            ),
            (
                error("contains", &[("needle", json!("kg"))]),
                "must contain \"kg\"",
            ),
            (error("contains", &[]), "does not contain what it must"),
            (
                error("does_not_contain", &[("needle", json!("lb"))]),
                "must not contain \"lb\"",
            ),
            (error("does_not_contain", &[]), "contains what it must not"),
            (
                error("regex", &[("value", json!("x"))]),
                "is not in the expected format",
            ),
            (
                error("credit_card", &[("value", json!("x"))]),
                "must be a valid credit card number",
            ),
            (
                error("non_control_character", &[("value", json!("x"))]),
                "must not contain control characters",
            ),
            (
                error("sku_format", &[("value", json!("x"))]),
                "is invalid (sku_format)",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(default_message(&error), message, "{error:?}");
        }
    }

    #[test]
    fn a_message_of_the_rule_wins_and_the_code_is_kept() {
        let mut errors = ValidationErrors::new();
        errors.add(
            "name",
            error("length", &[("min", json!(1))]).with_message(Cow::Borrowed("is empty")),
        );
        let err = ApiError::from(errors);
        assert_eq!(
            err.field_errors(),
            [FieldError::new("name", "is empty").with_code("length")]
        );
    }

    #[test]
    fn struct_errors_have_the_path_of_their_struct() {
        let mut inner = ValidationErrors::new();
        inner.add(STRUCT_KEY, error("inner_rule", &[]));
        inner.add("a", error("required", &[]));
        let mut outer = ValidationErrors::new();
        outer.add("z", error("required", &[]));
        outer.add(STRUCT_KEY, error("outer_rule", &[]));
        outer.errors_mut().insert(
            Cow::Borrowed("Upper"),
            ValidationErrorsKind::Struct(Box::new(inner)),
        );
        let err = ApiError::from(outer);
        let paths: Vec<_> = err
            .field_errors()
            .iter()
            .map(|e| (e.field(), e.code().unwrap()))
            .collect();
        assert_eq!(
            paths,
            [
                ("", "outer_rule"),
                ("Upper", "inner_rule"),
                ("Upper.a", "required"),
                ("z", "required"),
            ]
        );
        assert_eq!(err.description(), DESCRIPTION);
        assert_eq!(err.status(), http::StatusCode::UNPROCESSABLE_ENTITY);
    }
}
