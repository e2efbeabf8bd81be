//! Property tests of the error bodies, through the public API: the layer's error path and
//! axum's `IntoResponse`.
//!
//! Any text an error carries (code, description, URI, field errors and their codes) comes back
//! exactly from a JSON body, and from an XML body after the replacement rule of
//! `src/render/escape.rs`. 5xx descriptions, field errors and sources never reach the body unless
//! exposed.
//!
//! Case counts: `PROPTEST_CASES` if set, else the count given to `config` below.

use crate::support;
use support::error_body;

use std::convert::Infallible;

use axum::response::IntoResponse;
use bytes::Bytes;
use error_body::ParsedError;
use http::{
    header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, VARY, WWW_AUTHENTICATE},
    Method, Request, Response, StatusCode,
};
use http_body_util::{BodyExt, Full};
use proptest::{collection::vec, prelude::*};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{testing::xml_visible, ApiError, ApiErrorLayer, FieldError, Format};

/// Text built from pieces that are hard for serializers: markup, entities, CDATA ends, quotes,
/// line ends, control characters, noncharacters, any Unicode, and now and then a long run.
fn hostile_text() -> impl Strategy<Value = String> {
    const SPECIAL: &[&str] = &[
        "<",
        ">",
        "&",
        "]]>",
        "<![CDATA[",
        "<!--",
        "-->",
        "\"",
        "'",
        "\\",
        "\r",
        "\r\n",
        "\n",
        "\t",
        "\u{0}",
        "\u{1}",
        "\u{b}",
        "\u{c}",
        "\u{1b}",
        "\u{1f}",
        "\u{7f}",
        "\u{85}",
        "\u{a0}",
        "\u{2028}",
        "\u{feff}",
        "\u{fffd}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{10ffff}",
        "\u{1f600}",
        "&amp;",
        "&#13;",
        "&#0;",
        "\\u0000",
        "</error>",
        "é",
        " ",
    ];
    let piece = prop_oneof![
        6 => proptest::sample::select(SPECIAL).prop_map(str::to_owned),
        4 => vec(any::<char>(), 0..24).prop_map(String::from_iter),
        2 => "[a-zA-Z0-9 _.:/#?=-]{0,24}",
        1 => (proptest::sample::select(SPECIAL), 500..8_000usize)
            .prop_map(|(s, n)| s.repeat(n)),
        1 => (any::<char>(), 2_000..20_000usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ];
    vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// The text of an error, as a test generates it.
#[derive(Debug, Clone)]
struct ErrorInput {
    status: StatusCode,
    code: String,
    description: String,
    uri: Option<String>,
    base: Option<String>,
    /// `(field, message, code)`.
    field_errors: Vec<(String, String, Option<String>)>,
}

impl ErrorInput {
    fn to_error(&self) -> ApiError {
        let mut err = ApiError::new(self.status, self.code.clone(), self.description.clone());
        if let Some(uri) = &self.uri {
            err = err.with_uri(uri.clone());
        }
        for (field, message, code) in &self.field_errors {
            let field_error = FieldError::new(field.clone(), message.clone());
            err = err.with_field_errors([match code {
                Some(code) => field_error.with_code(code.clone()),
                None => field_error,
            }]);
        }
        err
    }

    /// What the body must say: the input, with the code's default description for an empty one
    /// and `<base>#<code>` for a missing URI.
    fn expected(&self, base: Option<&str>) -> ParsedError {
        let description = if self.description.is_empty() {
            ApiError::new(self.status, self.code.clone(), "")
                .description()
                .to_owned()
        } else {
            self.description.clone()
        };
        ParsedError {
            code: self.code.clone(),
            description,
            uri: self
                .uri
                .clone()
                .or_else(|| base.map(|b| format!("{b}#{}", self.code))),
            field_errors: self
                .field_errors
                .iter()
                .map(|(f, m, _)| (f.clone(), m.clone()))
                .collect(),
            field_error_codes: self
                .field_errors
                .iter()
                .map(|(_, _, c)| c.clone())
                .collect(),
            request_id: None,
        }
    }
}

fn status_in(range: std::ops::Range<u16>) -> impl Strategy<Value = StatusCode> {
    range.prop_map(|s| StatusCode::from_u16(s).expect("a valid status"))
}

fn error_input(status: impl Strategy<Value = StatusCode>) -> impl Strategy<Value = ErrorInput> {
    (
        status,
        hostile_text(),
        hostile_text(),
        proptest::option::of(hostile_text()),
        proptest::option::of(hostile_text()),
        vec(
            (
                hostile_text(),
                hostile_text(),
                proptest::option::of(hostile_text()),
            ),
            0..4,
        ),
    )
        .prop_map(
            |(status, code, description, uri, base, field_errors)| ErrorInput {
                status,
                code,
                description,
                uri,
                base,
                field_errors,
            },
        )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
}

/// Status, headers and body of the response the layer makes for `input` failing a request.
fn through_layer(input: &ErrorInput, method: Method, accept: Option<&str>) -> Response<Bytes> {
    let layer = match &input.base {
        Some(base) => ApiErrorLayer::new().error_uri_base(base.clone()),
        None => ApiErrorLayer::new(),
    };
    let input = input.clone();
    let service = ServiceBuilder::new()
        .layer(layer)
        .service_fn(move |_: Request<Full<Bytes>>| {
            let err = input.to_error();
            async move { Err::<Response<Full<Bytes>>, ApiError>(err) }
        });
    let mut request = Request::builder().method(method).uri("/");
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    let request = request.body(Full::default()).expect("a request");
    runtime().block_on(async {
        let response = service
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .unwrap_or_else(|e: Infallible| match e {})
            .to_bytes();
        Response::from_parts(parts, body)
    })
}

/// Checks the headers every rendered error has, and returns the body.
fn checked_body(response: &Response<Bytes>, content_type: &str) -> Bytes {
    let headers = response.headers();
    assert_eq!(headers[CONTENT_TYPE], content_type);
    assert_eq!(
        headers[CONTENT_LENGTH].to_str().unwrap(),
        response.body().len().to_string()
    );
    assert!(
        headers.get_all(VARY).iter().any(|v| v == "Accept"),
        "no Vary: Accept in {headers:?}"
    );
    response.body().clone()
}

/// What the body of `response` says, read back by its `Content-Type` (see
/// `support::error_body`).
fn read(
    status: StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<ParsedError, TestCaseError> {
    error_body::parse_response(status, headers, body)
        .map(|parsed| ParsedError::from(&parsed))
        .map_err(|e| TestCaseError::fail(e.to_string()))
}

fn xml_expected(expected: &ParsedError) -> ParsedError {
    ParsedError {
        code: xml_visible(&expected.code),
        description: xml_visible(&expected.description),
        uri: expected.uri.as_deref().map(xml_visible),
        field_errors: expected
            .field_errors
            .iter()
            .map(|(f, m)| (xml_visible(f), xml_visible(m)))
            .collect(),
        field_error_codes: expected
            .field_error_codes
            .iter()
            .map(|c| c.as_deref().map(xml_visible))
            .collect(),
        request_id: expected.request_id.clone(),
    }
}

proptest! {
    #![proptest_config(support::proptest_config(96))]

    #[test]
    fn json_body_gives_back_exactly_the_error_text(
        input in error_input(status_in(400..500)),
        (accept, content_type) in proptest::sample::select(&[
            (Some("application/json"), "application/json"),
            (Some("application/problem+json"), "application/problem+json"),
            (Some("*/*"), "application/json"),
            (None, "application/json"),
        ][..]),
    ) {
        let response = through_layer(&input, Method::GET, accept);
        prop_assert_eq!(response.status(), input.status);
        let body = checked_body(&response, content_type);
        let parsed = read(response.status(), response.headers(), &body)?;
        prop_assert_eq!(parsed, input.expected(input.base.as_deref()));
    }

    #[test]
    fn into_response_json_body_gives_back_exactly_the_error_text(
        input in error_input(status_in(400..500)),
    ) {
        let response = input.to_error().into_response();
        prop_assert_eq!(response.status(), input.status);
        let (parts, body) = response.into_parts();
        let body = runtime()
            .block_on(body.collect())
            .expect("an in-memory body")
            .to_bytes();
        prop_assert_eq!(&parts.headers[CONTENT_TYPE], "application/json");
        prop_assert_eq!(
            parts.headers[CONTENT_LENGTH].to_str().unwrap(),
            body.len().to_string()
        );
        let parsed = read(parts.status, &error_body::without_layer(&parts.headers), &body)?;
        // `IntoResponse` knows no layer, so no base URI.
        prop_assert_eq!(parsed, input.expected(None));
    }

    #[test]
    fn xml_body_gives_back_the_error_text_after_replacing_what_xml_cannot_carry(
        input in error_input(status_in(400..500)),
        (accept, content_type) in proptest::sample::select(&[
            ("application/xml", "application/xml; charset=utf-8"),
            ("application/problem+xml", "application/problem+xml; charset=utf-8"),
            ("text/xml", "text/xml; charset=utf-8"),
        ][..]),
    ) {
        let response = through_layer(&input, Method::GET, Some(accept));
        prop_assert_eq!(response.status(), input.status);
        let body = checked_body(&response, content_type);
        let parsed = read(response.status(), response.headers(), &body)?;
        prop_assert_eq!(parsed, xml_expected(&input.expected(input.base.as_deref())));
    }

    #[test]
    fn head_on_an_error_has_the_headers_of_get_and_no_body(
        input in error_input(status_in(400..600)),
        accept in proptest::sample::select(&["application/json", "application/xml", "text/xml"][..]),
    ) {
        let get = through_layer(&input, Method::GET, Some(accept));
        let head = through_layer(&input, Method::HEAD, Some(accept));
        prop_assert_eq!(head.status(), get.status());
        prop_assert!(head.body().is_empty(), "HEAD body of {} bytes", head.body().len());
        prop_assert_eq!(&head.headers()[CONTENT_LENGTH], &get.headers()[CONTENT_LENGTH]);
        prop_assert_eq!(
            get.headers()[CONTENT_LENGTH].to_str().unwrap(),
            get.body().len().to_string()
        );
        prop_assert_eq!(head.headers(), get.headers());
    }

    #[test]
    fn server_error_text_never_reaches_the_body_unless_exposed(
        status in status_in(500..600),
        code in "[a-z_]{1,24}",
        secret in hostile_text(),
        field in hostile_text(),
        exposed in any::<bool>(),
        accept in proptest::sample::select(&["application/json", "application/xml"][..]),
    ) {
        let description = format!("SECRET{secret}");
        let input = ErrorInput {
            status,
            code: code.clone(),
            description: description.clone(),
            uri: None,
            base: None,
            field_errors: vec![(
                format!("SECRET{field}"),
                "SECRET".to_owned(),
                Some("SECRET".to_owned()),
            )],
        };
        let layer = ApiErrorLayer::new();
        let service = ServiceBuilder::new()
            .layer(layer)
            .service_fn(move |_: Request<Full<Bytes>>| {
                let mut err = input
                    .to_error()
                    .with_source(std::io::Error::other("SECRET source"));
                if exposed {
                    err = err.expose_description();
                }
                async move { Err::<Response<Full<Bytes>>, ApiError>(err) }
            });
        let request = Request::get("/").header(ACCEPT, accept).body(Full::default()).unwrap();
        let body = runtime().block_on(async {
            let response = service.oneshot(request).await.unwrap_or_else(|e| match e {});
            assert_eq!(response.status(), status);
            response.into_body().collect().await.unwrap_or_else(|e| match e {}).to_bytes()
        });
        let format = if accept == "application/json" { Format::Json } else { Format::Xml };
        let parsed = error_body::parse(status, format, &body)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&parsed.code, &code);
        if exposed {
            let sent = if accept == "application/json" {
                description
            } else {
                xml_visible(&description)
            };
            prop_assert_eq!(parsed.description, sent);
            prop_assert_eq!(parsed.field_errors.len(), 1);
        } else {
            let default = ApiError::new(status, code, "").description().to_owned();
            prop_assert_eq!(parsed.description, default);
            prop_assert!(parsed.field_errors.is_empty());
            prop_assert!(
                !body.windows(6).any(|w| w == b"SECRET"),
                "SECRET in {:?}",
                String::from_utf8_lossy(&body)
            );
        }
    }

    #[test]
    fn bearer_challenge_quotes_only_descriptions_rfc_6750_allows(
        description in prop_oneof![
            hostile_text(),
            "[ -~]{0,40}",
        ],
        expired in any::<bool>(),
    ) {
        let err = if expired {
            ApiError::token_expired(description.clone())
        } else {
            ApiError::invalid_token(description.clone())
        };
        let sent = err.public_description().to_owned();
        let header = err.headers()[WWW_AUTHENTICATE].clone();
        let allowed = sent
            .bytes()
            .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E));
        if allowed && !sent.is_empty() {
            prop_assert_eq!(
                header.to_str().unwrap(),
                format!(r#"Bearer error="invalid_token", error_description="{sent}""#)
            );
        } else {
            prop_assert_eq!(&header, r#"Bearer error="invalid_token""#);
        }
        // The layer sends it as it is.
        let service = ServiceBuilder::new()
            .layer(ApiErrorLayer::new())
            .service_fn(move |_: Request<Full<Bytes>>| {
                let err = if expired {
                    ApiError::token_expired(description.clone())
                } else {
                    ApiError::invalid_token(description.clone())
                };
                async move { Err::<Response<Full<Bytes>>, ApiError>(err) }
            });
        let response = runtime()
            .block_on(service.oneshot(Request::new(Full::default())))
            .unwrap_or_else(|e| match e {});
        prop_assert_eq!(&response.headers()[WWW_AUTHENTICATE], &header);
    }
}
