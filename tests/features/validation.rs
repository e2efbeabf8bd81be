//! Validation reports as error responses (features `validator` and `garde`): through the layer,
//! in the seed shape and RFC 9457 problem details, in JSON and XML, read back with the crate's
//! own parser (every XML body checked with roxmltree as well: `tests/support/error_body.rs`).

use crate::support;
use bytes::Bytes;
use http::{header, HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use support::error_body::ParsedError;
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{testing::xml_visible, ApiError, ApiErrorLayer, ProblemDetails};

/// What a client gets for `err` behind `layer`, asking with `accept`.
async fn answer(
    layer: ApiErrorLayer,
    accept: &str,
    err: ApiError,
) -> (StatusCode, HeaderMap, Bytes) {
    let service = ServiceBuilder::new()
        .layer(layer)
        .service_fn(move |_: Request<Full<Bytes>>| {
            let err = clone(&err);
            async move { Err::<Response<Full<Bytes>>, _>(err) }
        });
    let request = Request::post("/items")
        .header(header::ACCEPT, accept)
        .body(Full::default())
        .unwrap();
    support::collect(service.oneshot(request).await.unwrap(), false).await
}

/// The body read back by its `Content-Type`, problem details in the seed shape's terms (their
/// `status` and `title` checked here).
fn parse(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ParsedError {
    let parsed = support::error_response(status, headers, body);
    if parsed.is_problem() {
        assert_eq!(parsed.problem_status(), Some(422));
        assert_eq!(parsed.title(), Some("Unprocessable Entity"));
    }
    ParsedError::from(&parsed)
}

/// `(layer, Accept)` for the four bodies: seed JSON and XML, problem details JSON and XML (asked
/// for with `Accept`, and with `ProblemDetails::Always` for a plain `Accept`).
fn four_bodies() -> Vec<(ApiErrorLayer, &'static str, bool)> {
    vec![
        (ApiErrorLayer::new(), "application/json", false),
        (ApiErrorLayer::new(), "application/xml", true),
        (ApiErrorLayer::new(), "application/problem+json", false),
        (ApiErrorLayer::new(), "application/problem+xml", true),
        (
            ApiErrorLayer::new().problem_details(ProblemDetails::Always),
            "application/json",
            false,
        ),
        (
            ApiErrorLayer::new().problem_details(ProblemDetails::Always),
            "application/xml",
            true,
        ),
    ]
}

/// `(field, message, code)` as `err` has them, with the text an XML parser gives back when
/// `xml`.
fn expected(err: &ApiError, xml: bool) -> Vec<(String, String, Option<String>)> {
    let text = |s: &str| if xml { xml_visible(s) } else { s.to_owned() };
    err.field_errors()
        .iter()
        .map(|e| (text(e.field()), text(e.message()), e.code().map(text)))
        .collect()
}

fn read(parsed: &ParsedError) -> Vec<(String, String, Option<String>)> {
    assert_eq!(parsed.field_errors.len(), parsed.field_error_codes.len());
    parsed
        .field_errors
        .iter()
        .zip(&parsed.field_error_codes)
        .map(|((f, m), c)| (f.clone(), m.clone(), c.clone()))
        .collect()
}

/// Checks that every body of `err` carries exactly its field errors, codes included, and
/// returns what the JSON seed body says.
async fn assert_every_body_carries(err: &ApiError) -> Vec<(String, String, Option<String>)> {
    for (layer, accept, xml) in four_bodies() {
        let (status, headers, body) = answer(layer, accept, clone(err)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{accept}");
        let parsed = parse(status, &headers, &body);
        assert_eq!(parsed.code, "unprocessable_entity");
        assert_eq!(parsed.description, "The request has invalid fields.");
        assert_eq!(
            read(&parsed),
            expected(err, xml),
            "{accept}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    expected(err, false)
}

/// A copy of the 422 `err` (`ApiError` is not `Clone`: its source may not be).
fn clone(err: &ApiError) -> ApiError {
    ApiError::from_status(err.status())
        .with_description(err.description().to_owned())
        .with_field_errors(err.field_errors().to_vec())
}

fn triple(field: &str, message: &str, code: Option<&str>) -> (String, String, Option<String>) {
    (
        field.to_owned(),
        message.to_owned(),
        code.map(str::to_owned),
    )
}

#[cfg(feature = "validator")]
mod with_validator {
    use std::borrow::Cow;

    use validator::{Validate, ValidationError, ValidationErrors};

    use super::*;

    /// The demo's rule for an item's name.
    #[derive(Validate)]
    struct NewItem {
        #[validate(length(min = 1, max = 64))]
        name: String,
    }

    #[tokio::test]
    async fn a_name_of_65_characters_is_a_length_error_in_every_body() {
        let item = NewItem {
            name: "x".repeat(65),
        };
        let err = ApiError::from(item.validate().unwrap_err());
        let message = "must be between 1 and 64 characters long";
        let fields = assert_every_body_carries(&err).await;
        assert_eq!(fields, [triple("name", message, Some("length"))]);

        // The whole bodies, byte for byte.
        let bodies = [
            (ApiErrorLayer::new(), "application/json", r#"{"error":"unprocessable_entity","error_description":"The request has invalid fields.","field_errors":[{"field":"name","message":"must be between 1 and 64 characters long","code":"length"}]}"#),
            (ApiErrorLayer::new(), "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response><error>unprocessable_entity</error><error_description>The request has invalid fields.</error_description><field_errors><field_error><field>name</field><message>must be between 1 and 64 characters long</message><code>length</code></field_error></field_errors></error_response>"),
            (ApiErrorLayer::new(), "application/problem+json", r#"{"title":"Unprocessable Entity","status":422,"detail":"The request has invalid fields.","error":"unprocessable_entity","field_errors":[{"field":"name","message":"must be between 1 and 64 characters long","code":"length"}]}"#),
            (ApiErrorLayer::new(), "application/problem+xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<problem xmlns=\"urn:ietf:rfc:7807\"><title>Unprocessable Entity</title><status>422</status><detail>The request has invalid fields.</detail><error>unprocessable_entity</error><field_errors><i><field>name</field><message>must be between 1 and 64 characters long</message><code>length</code></i></field_errors></problem>"),
        ];
        for (layer, accept, expected) in bodies {
            let (_, _, body) = answer(layer, accept, clone(&err)).await;
            assert_eq!(body, expected, "{accept}");
        }

        // 64 characters pass; an empty name fails the same rule.
        assert!(NewItem {
            name: "x".repeat(64)
        }
        .validate()
        .is_ok());
        let err = ApiError::from(
            NewItem {
                name: String::new(),
            }
            .validate()
            .unwrap_err(),
        );
        assert_eq!(
            assert_every_body_carries(&err).await,
            [triple("name", message, Some("length"))]
        );
    }

    #[derive(Validate)]
    struct Order {
        #[validate(email)]
        contact: String,
        #[validate(range(min = 1, max = 10))]
        quantity: u32,
        #[validate(nested)]
        address: Address,
        #[validate(nested)]
        lines: Vec<Line>,
        #[validate(length(min = 1, max = 3))]
        notes: Vec<String>,
        #[validate(required)]
        coupon: Option<String>,
        #[validate(must_match(other = "password_again"))]
        password: String,
        password_again: String,
    }

    #[derive(Validate)]
    #[validate(schema(function = "address_is_deliverable", skip_on_field_errors = false))]
    struct Address {
        #[validate(length(min = 1, message = "must not be empty"))]
        city: String,
        #[validate(url)]
        site: String,
    }

    fn address_is_deliverable(address: &Address) -> Result<(), ValidationError> {
        if address.city == "Atlantis" {
            Ok(())
        } else {
            Err(ValidationError::new("undeliverable"))
        }
    }

    #[derive(Validate)]
    struct Line {
        #[validate(
            length(equal = 8),
            custom(function = "sku_is_known", code = "unknown_sku")
        )]
        sku: String,
        #[validate(range(exclusive_min = 0.0, message = "must be positive"))]
        price: f64,
        #[validate(contains(pattern = "kg"), does_not_contain(pattern = "lb"))]
        unit: String,
    }

    fn sku_is_known(sku: &str) -> Result<(), ValidationError> {
        if sku.starts_with("SKU") {
            Ok(())
        } else {
            Err(ValidationError::new("ignored"))
        }
    }

    fn line(sku: &str, price: f64, unit: &str) -> Line {
        Line {
            sku: sku.to_owned(),
            price,
            unit: unit.to_owned(),
        }
    }

    #[tokio::test]
    async fn nested_structs_and_lists_flatten_to_sorted_dotted_paths() {
        let lines = (0..12)
            .map(|i| match i {
                1 => line("bad", -1.0, "lb"),
                10 => line("SKU00010", 0.0, "kg"),
                _ => line(&format!("SKU{i:05}"), 1.0, "kg"),
            })
            .collect();
        let order = Order {
            contact: "not an address".into(),
            quantity: 11,
            address: Address {
                city: String::new(),
                site: "nowhere".into(),
            },
            lines,
            notes: Vec::new(),
            coupon: None,
            password: "a".into(),
            password_again: "b".into(),
        };
        let err = ApiError::from(order.validate().unwrap_err());
        let fields = assert_every_body_carries(&err).await;
        assert_eq!(
            fields,
            [
                // The address's own (schema) error before its fields.
                triple(
                    "address",
                    "is invalid (undeliverable)",
                    Some("undeliverable")
                ),
                triple("address.city", "must not be empty", Some("length")),
                triple("address.site", "must be a valid URL", Some("url")),
                triple("contact", "must be a valid email address", Some("email")),
                triple("coupon", "is required", Some("required")),
                // Items by index: 1 before 10.
                triple("lines[1].price", "must be positive", Some("range")),
                triple(
                    "lines[1].sku",
                    "must be exactly 8 characters long",
                    Some("length")
                ),
                triple(
                    "lines[1].sku",
                    "is invalid (unknown_sku)",
                    Some("unknown_sku")
                ),
                triple("lines[1].unit", "must contain \"kg\"", Some("contains")),
                triple(
                    "lines[1].unit",
                    "must not contain \"lb\"",
                    Some("does_not_contain")
                ),
                triple("lines[10].price", "must be positive", Some("range")),
                triple("notes", "must have between 1 and 3 items", Some("length")),
                triple("password", "does not match", Some("must_match")),
                triple("quantity", "must be between 1 and 10", Some("range")),
            ]
        );
        // The messages the crate built come in pt-BR too; the application's own
        // (`message = "..."`) are sent as written.
        let pt_br: Vec<(&str, Option<&str>)> = err
            .field_errors()
            .iter()
            .map(|e| (e.field(), e.message_in("pt-BR")))
            .collect();
        assert_eq!(
            pt_br,
            [
                ("address", Some("é inválido (undeliverable)")),
                ("address.city", None),
                ("address.site", Some("deve ser uma URL válida")),
                ("contact", Some("deve ser um endereço de e-mail válido")),
                ("coupon", Some("é obrigatório")),
                ("lines[1].price", None),
                ("lines[1].sku", Some("deve ter exatamente 8 caracteres")),
                ("lines[1].sku", Some("é inválido (unknown_sku)")),
                ("lines[1].unit", Some("deve conter \"kg\"")),
                ("lines[1].unit", Some("não deve conter \"lb\"")),
                ("lines[10].price", None),
                ("notes", Some("deve ter entre 1 e 3 itens")),
                ("password", Some("não confere")),
                ("quantity", Some("deve estar entre 1 e 10")),
            ]
        );
        assert_eq!(
            err.description_in("pt-BR"),
            Some("A requisição tem campos inválidos.")
        );
        // The value that failed is not quoted back.
        for (layer, accept, _) in four_bodies() {
            let (_, _, body) = answer(layer, accept, clone(&err)).await;
            let body = String::from_utf8_lossy(&body);
            assert!(
                !body.contains("nowhere") && !body.contains("not an address"),
                "{body}"
            );
        }
    }

    /// Errors built by hand, as a custom validator or a hand-written check can: hostile text in
    /// the field, the message, the code and the parameters.
    #[tokio::test]
    async fn hostile_fields_messages_codes_and_params_are_escaped() {
        const HOSTILE: &str = "<b>&amp; \"q\" ' ]]> \\ \r\n\t\u{0}\u{7}\u{1b}\u{fffe} é";
        let mut errors = ValidationErrors::new();
        errors.add(
            "a<b&\"c\"",
            ValidationError::new("x").with_message(Cow::Borrowed(HOSTILE)),
        );
        let mut contains = ValidationError::new("contains");
        contains.add_param(Cow::Borrowed("needle"), &HOSTILE);
        errors.add("needle", contains);
        let mut custom = ValidationError::new(HOSTILE);
        custom.add_param(Cow::Borrowed("min"), &HOSTILE);
        errors.add("code", custom);
        let mut length = ValidationError::new("length");
        length.add_param(Cow::Borrowed("max"), &HOSTILE);
        errors.add("max", length);
        let err = ApiError::from(errors);
        let fields = assert_every_body_carries(&err).await;
        assert_eq!(
            fields,
            [
                triple("a<b&\"c\"", HOSTILE, Some("x")),
                triple("code", &format!("is invalid ({HOSTILE})"), Some(HOSTILE)),
                triple(
                    "max",
                    &format!("must have a length of at most {HOSTILE}"),
                    Some("length")
                ),
                triple(
                    "needle",
                    &format!("must contain \"{HOSTILE}\""),
                    Some("contains")
                ),
            ]
        );
    }

    #[tokio::test]
    async fn a_hand_written_check_before_the_validators_keeps_its_response() {
        // As the demo does: a trimmed empty name is answered by hand, without a code.
        let err = ApiError::unprocessable_entity("The item is invalid.")
            .with_field_error("name", "must not be empty");
        for (layer, accept, _) in four_bodies() {
            let (status, headers, body) = answer(layer, accept, clone(&err)).await;
            let parsed = parse(status, &headers, &body);
            assert_eq!(
                parsed.field_errors,
                [("name".to_owned(), "must not be empty".to_owned())]
            );
            assert_eq!(parsed.field_error_codes, [None]);
            assert!(!String::from_utf8_lossy(&body).contains("code"), "{accept}");
        }
    }
}

/// The demo's `POST /items` with validator, as an axum handler: `?` on the report, after a
/// hand-written check for an empty name that keeps its answer (no code).
#[cfg(all(feature = "validator", feature = "axum"))]
mod in_axum {
    use axum::{routing::post, Json, Router};
    use serde::Deserialize;
    use validator::Validate;

    use super::*;

    #[derive(Debug, Deserialize, Validate)]
    struct NewItem {
        #[validate(length(min = 1, max = 64))]
        name: String,
    }

    /// The name, trimmed: empty is answered by hand, too long by validator.
    fn valid_name(new: NewItem) -> Result<String, ApiError> {
        let new = NewItem {
            name: new.name.trim().to_owned(),
        };
        if new.name.is_empty() {
            return Err(ApiError::unprocessable_entity("The item is invalid.")
                .with_field_error("name", "must not be empty"));
        }
        new.validate()?;
        Ok(new.name)
    }

    async fn create_item(Json(new): Json<NewItem>) -> Result<(StatusCode, String), ApiError> {
        Ok((StatusCode::CREATED, valid_name(new)?))
    }

    async fn send(name: &str, accept: &str) -> (StatusCode, HeaderMap, Bytes) {
        let app = Router::new()
            .route("/items", post(create_item))
            .layer(ApiErrorLayer::new());
        let body = serde_json::json!({ "name": name }).to_string();
        let request = Request::post("/items")
            .header(header::ACCEPT, accept)
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body))
            .unwrap();
        support::collect(app.oneshot(request).await.unwrap(), false).await
    }

    #[tokio::test]
    async fn post_items_answers_a_long_name_with_the_length_code() {
        for accept in [
            "application/json",
            "application/xml",
            "application/problem+json",
            "application/problem+xml",
        ] {
            let (status, headers, body) = send(&"x".repeat(65), accept).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{accept}");
            let parsed = parse(status, &headers, &body);
            assert_eq!(parsed.description, "The request has invalid fields.");
            assert_eq!(
                read(&parsed),
                [triple(
                    "name",
                    "must be between 1 and 64 characters long",
                    Some("length")
                )],
                "{accept}"
            );

            let (status, headers, body) = send("  \t ", accept).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{accept}");
            let parsed = parse(status, &headers, &body);
            assert_eq!(parsed.description, "The item is invalid.");
            assert_eq!(read(&parsed), [triple("name", "must not be empty", None)]);

            // 64 characters once trimmed are a valid name.
            let name = format!("  {}  ", "é".repeat(64));
            let (status, _, body) = send(&name, accept).await;
            assert_eq!(status, StatusCode::CREATED, "{accept}");
            assert_eq!(body, "é".repeat(64));
        }
    }
}

#[cfg(feature = "garde")]
mod with_garde {
    use garde::Validate;

    use super::*;

    #[derive(Validate)]
    struct Order {
        #[garde(length(chars, min = 1, max = 64))]
        name: String,
        #[garde(dive)]
        address: Address,
        #[garde(dive)]
        lines: Vec<Line>,
    }

    #[derive(Validate)]
    struct Address {
        #[garde(custom(hostile))]
        city: String,
    }

    /// A custom rule whose message is hostile text.
    fn hostile(_: &str, _: &()) -> garde::Result {
        Err(garde::Error::new("<b>&amp; \"q\" \r\n\u{0}\u{1b} é"))
    }

    #[derive(Validate)]
    struct Line {
        #[garde(range(min = 1, max = 10))]
        quantity: u32,
    }

    #[tokio::test]
    async fn a_report_is_one_field_error_per_failure_without_codes() {
        let order = Order {
            name: "x".repeat(65),
            address: Address {
                city: "Atlantis".into(),
            },
            lines: (0..12)
                .map(|i| Line {
                    quantity: if i == 2 || i == 11 { 0 } else { 1 },
                })
                .collect(),
        };
        let err = ApiError::from(order.validate().unwrap_err());
        let fields = assert_every_body_carries(&err).await;
        // In the order garde checked them: its derive checks fields by name, list items by
        // index, the same order the validator conversion sorts into.
        assert_eq!(
            fields,
            [
                triple("address.city", "<b>&amp; \"q\" \r\n\u{0}\u{1b} é", None),
                triple("lines[2].quantity", "lower than 1", None),
                triple("lines[11].quantity", "lower than 1", None),
                triple("name", "length is greater than 64", None),
            ]
        );
        // garde's own messages come in pt-BR too; the custom rule's is sent as written.
        let pt_br: Vec<Option<&str>> = err
            .field_errors()
            .iter()
            .map(|e| e.message_in("pt-BR"))
            .collect();
        assert_eq!(
            pt_br,
            [
                None,
                Some("menor que 1"),
                Some("menor que 1"),
                Some("o comprimento é maior que 64"),
            ]
        );
        assert_eq!(
            err.description_in("pt-BR"),
            Some("A requisição tem campos inválidos.")
        );
    }
}
