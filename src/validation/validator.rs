//! `From<validator::ValidationErrors> for ApiError`.

use ::validator::{ValidationError, ValidationErrors, ValidationErrorsKind};
use serde_json::Value;

use crate::{
    language::{pt_br, LanguageTag},
    ApiError, FieldError,
};

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
///   Such a built message comes in every language the crate ships: the pt-BR one ("deve ter
///   entre 1 e 64 caracteres", with a decimal comma in numbers: "deve ser no mínimo 0,5") is
///   attached with [`FieldError::with_message_in`], for clients answered in pt-BR. A message of
///   the rule is the application's text and is sent as written, in every language.
/// - **Order**: validator keeps its errors in a hash map; the field errors are sorted so that
///   the same failures always give the same body: by field name at each level, a struct's own
///   errors before its fields' and list items by index; the failures of one field in the order
///   validator lists them.
///
/// The description is "The request has invalid fields." ("A requisição tem campos inválidos."
/// in pt-BR); replace it with
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
/// assert_eq!(name.message_in("pt-BR"), Some("deve ter entre 1 e 64 caracteres"));
/// let tag = &err.field_errors()[1];
/// assert_eq!(
///     (tag.field(), tag.message(), tag.code()),
///     ("tags[1].label", "is too long for a tag", Some("length"))
/// );
/// assert_eq!(tag.message_in("pt-BR"), None);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "validator")))]
impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        let mut field_errors = Vec::new();
        flatten(String::new(), errors, &mut field_errors);
        super::error(field_errors)
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
    match error.message {
        // The application's own text, kept as written: the crate cannot translate it.
        Some(message) => FieldError::new(field, message).with_code(error.code),
        None => {
            let english = default_message(&error, Lang::En);
            let portuguese = default_message(&error, Lang::PtBr);
            FieldError::new(field, english)
                .with_message_in(LanguageTag::from_static(pt_br::TAG), portuguese)
                .with_code(error.code)
        }
    }
}

/// A language the default messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    PtBr,
}

impl Lang {
    /// The text in this language, of the English and Portuguese given.
    fn pick(self, en: &'static str, pt_br: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::PtBr => pt_br,
        }
    }
}

/// The message of a failure that validator gives none for, built from its code and parameters,
/// in `lang`.
fn default_message(error: &ValidationError, lang: Lang) -> String {
    let param = |name: &str| error.params.get(name).map(|value| display(value, lang));
    match &*error.code {
        "length" => length_message(error, lang),
        "range" => {
            let lower = match (param("min"), param("exclusive_min")) {
                (Some(min), _) => Some((Bound::AtLeast, min)),
                (None, Some(min)) => Some((Bound::GreaterThan, min)),
                (None, None) => None,
            };
            let upper = match (param("max"), param("exclusive_max")) {
                (Some(max), _) => Some((Bound::AtMost, max)),
                (None, Some(max)) => Some((Bound::LessThan, max)),
                (None, None) => None,
            };
            let words = |bound: Bound| match bound {
                Bound::AtLeast => lang.pick("at least", "no mínimo"),
                Bound::GreaterThan => lang.pick("greater than", "maior que"),
                Bound::AtMost => lang.pick("at most", "no máximo"),
                Bound::LessThan => lang.pick("less than", "menor que"),
            };
            match (lower, upper, lang) {
                (Some((Bound::AtLeast, min)), Some((Bound::AtMost, max)), Lang::En) => {
                    format!("must be between {min} and {max}")
                }
                (Some((Bound::AtLeast, min)), Some((Bound::AtMost, max)), Lang::PtBr) => {
                    format!("deve estar entre {min} e {max}")
                }
                (Some((lower, min)), Some((upper, max)), _) => format!(
                    "{} {} {min} {} {} {max}",
                    lang.pick("must be", "deve ser"),
                    words(lower),
                    lang.pick("and", "e"),
                    words(upper),
                ),
                (Some((bound, value)), None, _) | (None, Some((bound, value)), _) => {
                    format!(
                        "{} {} {value}",
                        lang.pick("must be", "deve ser"),
                        words(bound)
                    )
                }
                (None, None, _) => lang
                    .pick("is out of range", "está fora do intervalo permitido")
                    .to_owned(),
            }
        }
        "email" => lang
            .pick(
                "must be a valid email address",
                "deve ser um endereço de e-mail válido",
            )
            .to_owned(),
        "url" => lang
            .pick("must be a valid URL", "deve ser uma URL válida")
            .to_owned(),
        "ip" => lang
            .pick(
                "must be a valid IP address",
                "deve ser um endereço IP válido",
            )
            .to_owned(),
        "required" => lang.pick("is required", "é obrigatório").to_owned(),
        // The parameter `other` is the other field's value, not its name: not to be quoted.
        "must_match" => lang.pick("does not match", "não confere").to_owned(),
        "contains" => match (param("needle"), lang) {
            (Some(needle), Lang::En) => format!("must contain \"{needle}\""),
            (Some(needle), Lang::PtBr) => format!("deve conter \"{needle}\""),
            (None, _) => lang
                .pick("does not contain what it must", "não contém o que deveria")
                .to_owned(),
        },
        "does_not_contain" => match (param("needle"), lang) {
            (Some(needle), Lang::En) => format!("must not contain \"{needle}\""),
            (Some(needle), Lang::PtBr) => format!("não deve conter \"{needle}\""),
            (None, _) => lang
                .pick("contains what it must not", "contém o que não deveria")
                .to_owned(),
        },
        "regex" => lang
            .pick(
                "is not in the expected format",
                "não está no formato esperado",
            )
            .to_owned(),
        "credit_card" => lang
            .pick(
                "must be a valid credit card number",
                "deve ser um número de cartão de crédito válido",
            )
            .to_owned(),
        "non_control_character" => lang
            .pick(
                "must not contain control characters",
                "não deve conter caracteres de controle",
            )
            .to_owned(),
        code => match lang {
            Lang::En => format!("is invalid ({code})"),
            Lang::PtBr => format!("é inválido ({code})"),
        },
    }
}

/// A bound of a `range`.
#[derive(Clone, Copy)]
enum Bound {
    AtLeast,
    GreaterThan,
    AtMost,
    LessThan,
}

/// The message of a `length` failure: in characters for a string, in items for a list or map
/// (validator passes the value, which tells which), else in neutral terms.
fn length_message(error: &ValidationError, lang: Lang) -> String {
    let number = |name: &str| error.params.get(name).map(|value| display(value, lang));
    let (min, max, equal) = (number("min"), number("max"), number("equal"));
    let bounds = match (&equal, &min, &max) {
        (Some(equal), _, _) => Bounds::Exactly(equal),
        (None, Some(min), Some(max)) if min == max => Bounds::Exactly(min),
        (None, Some(min), Some(max)) => Bounds::Between(min, max),
        (None, Some(min), None) => Bounds::AtLeast(min),
        (None, None, Some(max)) => Bounds::AtMost(max),
        (None, None, None) => {
            return lang
                .pick("has an invalid length", "tem um comprimento inválido")
                .to_owned()
        }
    };
    let kind = match error.params.get("value") {
        Some(Value::String(_)) => Some(("character", "characters", "caractere", "caracteres")),
        Some(Value::Array(_) | Value::Object(_)) => Some(("item", "items", "item", "itens")),
        _ => None,
    };
    match (kind, lang) {
        (Some((one, many, _, _)), Lang::En) => {
            let unit = |n: &str| if n == "1" { one } else { many };
            let (verb, after) = if one == "character" {
                ("be", " long")
            } else {
                ("have", "")
            };
            match bounds {
                Bounds::Exactly(n) => format!("must {verb} exactly {n} {}{after}", unit(n)),
                Bounds::Between(min, max) => {
                    format!("must {verb} between {min} and {max} {many}{after}")
                }
                Bounds::AtLeast(n) => format!("must {verb} at least {n} {}{after}", unit(n)),
                Bounds::AtMost(n) => format!("must {verb} at most {n} {}{after}", unit(n)),
            }
        }
        (Some((_, _, one, many)), Lang::PtBr) => {
            let unit = |n: &str| if n == "1" { one } else { many };
            match bounds {
                Bounds::Exactly(n) => format!("deve ter exatamente {n} {}", unit(n)),
                Bounds::Between(min, max) => format!("deve ter entre {min} e {max} {many}"),
                Bounds::AtLeast(n) => format!("deve ter pelo menos {n} {}", unit(n)),
                Bounds::AtMost(n) => format!("deve ter no máximo {n} {}", unit(n)),
            }
        }
        (None, Lang::En) => match bounds {
            Bounds::Exactly(n) => format!("must have a length of exactly {n}"),
            Bounds::Between(min, max) => format!("must have a length between {min} and {max}"),
            Bounds::AtLeast(n) => format!("must have a length of at least {n}"),
            Bounds::AtMost(n) => format!("must have a length of at most {n}"),
        },
        (None, Lang::PtBr) => match bounds {
            Bounds::Exactly(n) => format!("deve ter comprimento de exatamente {n}"),
            Bounds::Between(min, max) => format!("deve ter comprimento entre {min} e {max}"),
            Bounds::AtLeast(n) => format!("deve ter comprimento de pelo menos {n}"),
            Bounds::AtMost(n) => format!("deve ter comprimento de no máximo {n}"),
        },
    }
}

enum Bounds<'a> {
    Exactly(&'a str),
    Between(&'a str, &'a str),
    AtLeast(&'a str),
    AtMost(&'a str),
}

/// A parameter as text: a string as it is, anything else as JSON (`64`, `1.5`, `true`), a
/// number with a decimal comma in Portuguese (`1,5`).
fn display(value: &Value, lang: Lang) -> String {
    match (value, lang) {
        (Value::String(text), _) => text.clone(),
        (Value::Number(number), Lang::PtBr) => number.to_string().replace('.', ","),
        (other, _) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use serde_json::json;

    use super::*;

    fn error(code: &'static str, params: &[(&'static str, Value)]) -> ValidationError {
        let mut error = ValidationError::new(code);
        for (name, value) in params {
            error.add_param(Cow::Borrowed(*name), value);
        }
        error
    }

    /// `(code, params, English, pt-BR)`.
    type Case<'a> = (&'static str, &'a [(&'static str, Value)], &'a str, &'a str);

    /// Every default message in both shipped languages.
    #[test]
    fn default_messages_of_the_built_in_codes() {
        let text = json!("some text");
        let list = json!(["a", "b"]);
        let map = json!({"a": 1});
        let cases: &[Case<'_>] = &[
            (
                "length",
                &[
                    ("min", json!(1)),
                    ("max", json!(64)),
                    ("value", text.clone()),
                ],
                "must be between 1 and 64 characters long",
                "deve ter entre 1 e 64 caracteres",
            ),
            (
                "length",
                &[("min", json!(1)), ("value", text.clone())],
                "must be at least 1 character long",
                "deve ter pelo menos 1 caractere",
            ),
            (
                "length",
                &[("min", json!(2)), ("value", text.clone())],
                "must be at least 2 characters long",
                "deve ter pelo menos 2 caracteres",
            ),
            (
                "length",
                &[("max", json!(3)), ("value", text.clone())],
                "must be at most 3 characters long",
                "deve ter no máximo 3 caracteres",
            ),
            (
                "length",
                &[("equal", json!(8)), ("value", text.clone())],
                "must be exactly 8 characters long",
                "deve ter exatamente 8 caracteres",
            ),
            (
                "length",
                &[("min", json!(2)), ("max", json!(2)), ("value", text)],
                "must be exactly 2 characters long",
                "deve ter exatamente 2 caracteres",
            ),
            (
                "length",
                &[
                    ("min", json!(1)),
                    ("max", json!(3)),
                    ("value", list.clone()),
                ],
                "must have between 1 and 3 items",
                "deve ter entre 1 e 3 itens",
            ),
            (
                "length",
                &[("min", json!(1)), ("value", list.clone())],
                "must have at least 1 item",
                "deve ter pelo menos 1 item",
            ),
            (
                "length",
                &[("max", json!(5)), ("value", map)],
                "must have at most 5 items",
                "deve ter no máximo 5 itens",
            ),
            (
                "length",
                &[("equal", json!(1)), ("value", list)],
                "must have exactly 1 item",
                "deve ter exatamente 1 item",
            ),
            (
                "length",
                &[("min", json!(1)), ("max", json!(3))],
                "must have a length between 1 and 3",
                "deve ter comprimento entre 1 e 3",
            ),
            (
                "length",
                &[("equal", json!(4))],
                "must have a length of exactly 4",
                "deve ter comprimento de exatamente 4",
            ),
            (
                "length",
                &[("min", json!(4))],
                "must have a length of at least 4",
                "deve ter comprimento de pelo menos 4",
            ),
            (
                "length",
                &[("max", json!(4))],
                "must have a length of at most 4",
                "deve ter comprimento de no máximo 4",
            ),
            (
                "length",
                &[],
                "has an invalid length",
                "tem um comprimento inválido",
            ),
            (
                "range",
                &[("min", json!(1)), ("max", json!(10)), ("value", json!(11))],
                "must be between 1 and 10",
                "deve estar entre 1 e 10",
            ),
            (
                "range",
                &[("min", json!(0.5))],
                "must be at least 0.5",
                "deve ser no mínimo 0,5",
            ),
            (
                "range",
                &[("max", json!(-1))],
                "must be at most -1",
                "deve ser no máximo -1",
            ),
            (
                "range",
                &[("exclusive_min", json!(0.0))],
                "must be greater than 0.0",
                "deve ser maior que 0,0",
            ),
            (
                "range",
                &[("exclusive_max", json!(100))],
                "must be less than 100",
                "deve ser menor que 100",
            ),
            (
                "range",
                &[("exclusive_min", json!(0)), ("max", json!(9))],
                "must be greater than 0 and at most 9",
                "deve ser maior que 0 e no máximo 9",
            ),
            (
                "range",
                &[("min", json!(1)), ("exclusive_max", json!(2.5))],
                "must be at least 1 and less than 2.5",
                "deve ser no mínimo 1 e menor que 2,5",
            ),
            // A string parameter is quoted as it is, dots included.
            (
                "range",
                &[("min", json!("2024.01.01"))],
                "must be at least 2024.01.01",
                "deve ser no mínimo 2024.01.01",
            ),
            (
                "range",
                &[],
                "is out of range",
                "está fora do intervalo permitido",
            ),
            (
                "email",
                &[("value", json!("x"))],
                "must be a valid email address",
                "deve ser um endereço de e-mail válido",
            ),
            (
                "url",
                &[("value", json!("x"))],
                "must be a valid URL",
                "deve ser uma URL válida",
            ),
            (
                "ip",
                &[("value", json!("x"))],
                "must be a valid IP address",
                "deve ser um endereço IP válido",
            ),
            ("required", &[], "is required", "é obrigatório"),
            (
                "must_match",
                &[("other", json!("hunter2")), ("value", json!("x"))],
                "does not match",
                "não confere",
            ),
            (
                "contains",
                &[("needle", json!("kg"))],
                "must contain \"kg\"",
                "deve conter \"kg\"",
            ),
            (
                "contains",
                &[],
                "does not contain what it must",
                "não contém o que deveria",
            ),
            (
                "does_not_contain",
                &[("needle", json!("lb"))],
                "must not contain \"lb\"",
                "não deve conter \"lb\"",
            ),
            (
                "does_not_contain",
                &[],
                "contains what it must not",
                "contém o que não deveria",
            ),
            (
                "regex",
                &[("value", json!("x"))],
                "is not in the expected format",
                "não está no formato esperado",
            ),
            (
                "credit_card",
                &[("value", json!("x"))],
                "must be a valid credit card number",
                "deve ser um número de cartão de crédito válido",
            ),
            (
                "non_control_character",
                &[("value", json!("x"))],
                "must not contain control characters",
                "não deve conter caracteres de controle",
            ),
            (
                "sku_format",
                &[("value", json!("x"))],
                "is invalid (sku_format)",
                "é inválido (sku_format)",
            ),
        ];
        for (code, params, english, portuguese) in cases {
            let failure = error(code, params);
            assert_eq!(default_message(&failure, Lang::En), *english, "{failure:?}");
            assert_eq!(
                default_message(&failure, Lang::PtBr),
                *portuguese,
                "{failure:?}"
            );
            // What the conversion attaches.
            let field_error = field_error("f".to_owned(), failure);
            assert_eq!(field_error.message(), *english);
            assert_eq!(field_error.message_in("pt-BR"), Some(*portuguese));
        }
    }

    #[test]
    fn the_error_is_described_in_every_shipped_language() {
        let mut errors = ValidationErrors::new();
        errors.add("name", error("required", &[]));
        let err = ApiError::from(errors);
        assert_eq!(err.description(), "The request has invalid fields.");
        assert_eq!(
            err.description_in("pt-BR"),
            Some("A requisição tem campos inválidos.")
        );
        assert_eq!(
            err.field_errors()[0].message_in("pt-br"),
            Some("é obrigatório")
        );
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
        // The application's text is not translated: no other language is attached.
        assert_eq!(err.field_errors()[0].message_in("pt-BR"), None);
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
        assert_eq!(err.description(), super::super::DESCRIPTION);
        assert_eq!(err.status(), http::StatusCode::UNPROCESSABLE_ENTITY);
    }
}
