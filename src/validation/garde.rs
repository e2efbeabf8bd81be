//! `From<garde::Report> for ApiError`.

use ::garde::Report;

use crate::{
    language::{pt_br, LanguageTag},
    ApiError, FieldError,
};

/// A `422 unprocessable_entity` error with one [`FieldError`] per failure of `report`, in the
/// order of the report: the order in which garde checked the values, which for a derived
/// `Validate` is by field name at each level and list items by index (the order the `validator`
/// conversion sorts its errors into).
///
/// - **Field**: garde's `Path` as it displays: `name`, `address.city`, `items[0].name`. An
///   error on the top-level value itself (a `#[garde(custom(..))]` on the struct) has the empty
///   path.
/// - **Message**: garde's message, such as "length is lower than 1". garde writes English
///   only; the messages of its built-in rules (`length`, `range`, `required`, `ascii`,
///   `alphanumeric`, `ip`, `prefix`, `suffix`, `contains`, `pattern`, `matches`, `email`, `url`,
///   `credit_card`, `phone_number`), recognised by their exact wording in garde 0.22, get a
///   pt-BR text too ("o comprimento é menor que 1"), attached with
///   [`FieldError::with_message_in`]. Any other message, a custom rule's included, is sent as
///   written in every language.
/// - **Code**: none. garde's errors carry only a message, and a fixed code such as `invalid`
///   would tell a client nothing the presence of the field error does not, so the field
///   errors have no `code` member. Clients that need codes can use the `validator` feature, or
///   build their field errors with [`FieldError::with_code`].
///
/// The description is "The request has invalid fields." ("A requisição tem campos inválidos."
/// in pt-BR); replace it with
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
/// assert_eq!(err.field_errors()[0].message_in("pt-BR"), Some("o comprimento é menor que 1"));
/// assert_eq!(err.field_errors()[0].code(), None);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "garde")))]
impl From<Report> for ApiError {
    fn from(report: Report) -> Self {
        let field_errors = report.into_inner().into_iter().map(|(path, error)| {
            let message = error.message();
            let field_error = FieldError::new(path.to_string(), message.to_owned());
            match portuguese(message) {
                Some(translated) => {
                    field_error.with_message_in(LanguageTag::from_static(pt_br::TAG), translated)
                }
                None => field_error,
            }
        });
        super::error(field_errors)
    }
}

/// The pt-BR text of a message of one of garde's built-in rules, recognised by its exact
/// English form in garde 0.22 (`garde/src/rules/*.rs`); `None` for any other message: a
/// custom rule's, or a built-in one whose wording a later garde changed.
///
/// The parts a rule fills in (a bound, a pattern, another field's name) are kept as they are.
/// The detail some rules append after `": "` (why an email, URL or card number is invalid) is
/// translated when it is one garde or the `url` crate is known to give, and left out otherwise,
/// rather than mixing languages.
fn portuguese(message: &str) -> Option<String> {
    // Messages that are a fixed text.
    let fixed = match message {
        "not set" => Some("não informado"),
        "not ascii" => Some("não é ASCII"),
        "not alphanumeric" => Some("não é alfanumérico"),
        "not a valid phone number" => Some("não é um número de telefone válido"),
        "not a valid IP address" => Some("não é um endereço IP válido"),
        "not a valid IPv4 address" => Some("não é um endereço IPv4 válido"),
        "not a valid IPv6 address" => Some("não é um endereço IPv6 válido"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return Some(fixed.to_owned());
    }
    // `length` (every unit: bytes, chars, graphemes, UTF-16 units, items) and `range`, whose
    // bound is one token: an integer, a decimal or a `Display`ed number type.
    let bound =
        |rest: &str| (!rest.is_empty() && !rest.contains(char::is_whitespace)).then_some(());
    for (prefix, pt) in [
        ("length is lower than ", "o comprimento é menor que "),
        ("length is greater than ", "o comprimento é maior que "),
        ("lower than ", "menor que "),
        ("greater than ", "maior que "),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            bound(rest)?;
            return Some(format!("{pt}{rest}"));
        }
    }
    // Rules that quote what they were given.
    let quoted = |prefix: &str| message.strip_prefix(prefix)?.strip_suffix('"');
    if let Some(pattern) = quoted("value does not begin with \"") {
        return Some(format!("o valor não começa com \"{pattern}\""));
    }
    if let Some(pattern) = quoted("does not end with \"") {
        return Some(format!("não termina com \"{pattern}\""));
    }
    if let Some(pattern) = quoted("does not contain \"") {
        return Some(format!("não contém \"{pattern}\""));
    }
    if let Some(regex) = message
        .strip_prefix("does not match pattern /")
        .and_then(|rest| rest.strip_suffix('/'))
    {
        return Some(format!("não corresponde ao padrão /{regex}/"));
    }
    if let Some(field) = message
        .strip_prefix("does not match ")
        .and_then(|rest| rest.strip_suffix(" field"))
    {
        return Some(format!("não confere com o campo {field}"));
    }
    // Rules that say why after a colon.
    let detailed = |prefix: &str, pt: &str, details: &[(&str, &str)]| {
        let detail = message.strip_prefix(prefix)?;
        Some(match details.iter().find(|(en, _)| *en == detail) {
            Some((_, detail)) => format!("{pt}: {detail}"),
            None => pt.to_owned(),
        })
    };
    detailed(
        "not a valid email: ",
        "não é um e-mail válido",
        &[
            ("value is empty", "o valor está vazio"),
            ("value is missing `@`", "falta o `@`"),
            (
                "user length exceeded maximum of 64 characters",
                "o usuário excede o máximo de 64 caracteres",
            ),
            (
                "user contains unexpected characters",
                "o usuário contém caracteres inesperados",
            ),
            (
                "domain length exceeded maximum of 255 characters",
                "o domínio excede o máximo de 255 caracteres",
            ),
            (
                "domain contains unexpected characters",
                "o domínio contém caracteres inesperados",
            ),
        ],
    )
    .or_else(|| {
        detailed(
            "not a valid url: ",
            "não é uma URL válida",
            &[
                ("empty host", "host vazio"),
                (
                    "invalid international domain name",
                    "nome de domínio internacional inválido",
                ),
                ("invalid port number", "número de porta inválido"),
                ("invalid IPv4 address", "endereço IPv4 inválido"),
                ("invalid IPv6 address", "endereço IPv6 inválido"),
                ("invalid domain character", "caractere de domínio inválido"),
                ("relative URL without a base", "URL relativa sem uma base"),
            ],
        )
    })
    .or_else(|| {
        detailed(
            "not a valid credit card number: ",
            "não é um número de cartão de crédito válido",
            &[
                ("invalid format", "formato inválido"),
                ("invalid length", "comprimento inválido"),
                ("invalid luhn", "dígito verificador inválido"),
                ("unknown type", "bandeira desconhecida"),
            ],
        )
    })
    .or_else(|| {
        detailed(
            "not a valid phone number: ",
            "não é um número de telefone válido",
            &[],
        )
    })
}

#[cfg(test)]
mod tests {
    use garde::Validate;

    use super::*;

    /// garde's messages as garde 0.22 writes them, and their pt-BR text.
    #[test]
    fn messages_of_the_built_in_rules() {
        let cases = [
            ("length is lower than 1", "o comprimento é menor que 1"),
            ("length is greater than 64", "o comprimento é maior que 64"),
            ("lower than 10", "menor que 10"),
            ("greater than 2.5", "maior que 2.5"),
            ("greater than -3", "maior que -3"),
            ("not set", "não informado"),
            ("not ascii", "não é ASCII"),
            ("not alphanumeric", "não é alfanumérico"),
            ("not a valid IP address", "não é um endereço IP válido"),
            ("not a valid IPv4 address", "não é um endereço IPv4 válido"),
            ("not a valid IPv6 address", "não é um endereço IPv6 válido"),
            (
                "value does not begin with \"sku-\"",
                "o valor não começa com \"sku-\"",
            ),
            ("does not end with \".png\"", "não termina com \".png\""),
            ("does not contain \"@\"", "não contém \"@\""),
            (
                "does not match pattern /^[a-z]+ x$/",
                "não corresponde ao padrão /^[a-z]+ x$/",
            ),
            (
                "does not match password field",
                "não confere com o campo password",
            ),
            (
                "not a valid email: value is missing `@`",
                "não é um e-mail válido: falta o `@`",
            ),
            (
                "not a valid email: domain contains unexpected characters",
                "não é um e-mail válido: o domínio contém caracteres inesperados",
            ),
            (
                "not a valid url: relative URL without a base",
                "não é uma URL válida: URL relativa sem uma base",
            ),
            // A detail the crate does not know is left out rather than sent in English.
            (
                "not a valid url: URLs more than 4 GB are not supported",
                "não é uma URL válida",
            ),
            (
                "not a valid credit card number: invalid luhn",
                "não é um número de cartão de crédito válido: dígito verificador inválido",
            ),
            (
                "not a valid phone number",
                "não é um número de telefone válido",
            ),
            (
                "not a valid phone number: the number is too short",
                "não é um número de telefone válido",
            ),
        ];
        for (english, portuguese) in cases {
            assert_eq!(
                super::portuguese(english).as_deref(),
                Some(portuguese),
                "{english}"
            );
        }
    }

    /// A message garde's rules do not write (a custom rule's, or a wording a later garde may
    /// use) gets no translation: the client reads it as written.
    #[test]
    fn other_messages_are_kept_as_written() {
        for message in [
            "",
            "is not a known SKU",
            "Not set",
            "not set.",
            "length is lower than",
            "length is lower than one thousand",
            "lower than 5 apples",
            "does not contain \"unclosed",
            "does not match pattern /no end",
            "does not match",
            "not a valid email",
            "não informado",
        ] {
            assert_eq!(super::portuguese(message), None, "{message:?}");
        }
    }

    fn sku_is_known(sku: &str, _: &()) -> garde::Result {
        if sku.starts_with("sku-") {
            Ok(())
        } else {
            Err(garde::Error::new("is not a known SKU"))
        }
    }

    #[derive(Validate)]
    struct NewItem {
        #[garde(length(chars, min = 1, max = 8))]
        name: String,
        #[garde(range(min = 1, max = 100))]
        count: u32,
        #[garde(required)]
        kind: Option<String>,
        #[garde(prefix("sku-"), custom(sku_is_known))]
        sku: String,
        #[garde(ascii, contains("@"))]
        owner: String,
        #[garde(skip)]
        password: String,
        #[garde(matches(password))]
        password_again: String,
    }

    #[test]
    fn a_report_carries_both_languages() {
        let item = NewItem {
            name: "much too long".into(),
            count: 0,
            kind: None,
            sku: "x1".into(),
            owner: "ç".into(),
            password: "a".into(),
            password_again: "b".into(),
        };
        let err = ApiError::from(item.validate().unwrap_err());
        assert_eq!(
            err.description_in("pt-BR"),
            Some("A requisição tem campos inválidos.")
        );
        let got: Vec<(&str, &str, Option<&str>)> = err
            .field_errors()
            .iter()
            .map(|e| (e.field(), e.message(), e.message_in("pt-BR")))
            .collect();
        assert_eq!(
            got,
            [
                ("count", "lower than 1", Some("menor que 1")),
                ("kind", "not set", Some("não informado")),
                (
                    "name",
                    "length is greater than 8",
                    Some("o comprimento é maior que 8")
                ),
                ("owner", "not ascii", Some("não é ASCII")),
                ("owner", "does not contain \"@\"", Some("não contém \"@\"")),
                (
                    "password_again",
                    "does not match password field",
                    Some("não confere com o campo password")
                ),
                // garde runs a field's custom rules first.
                ("sku", "is not a known SKU", None),
                (
                    "sku",
                    "value does not begin with \"sku-\"",
                    Some("o valor não começa com \"sku-\"")
                ),
            ]
        );
    }
}
