//! Helpers shared by the integration tests: read error responses back with the crate's own
//! parser (`tower_api_error::testing`, every XML body checked with roxmltree as well, see
//! [`error_body`]), panicking where it finds them malformed.

#![allow(dead_code, unreachable_pub)]

pub mod clients;
pub mod error_body;
#[cfg(feature = "tracing")]
pub mod logs;
#[cfg(all(feature = "axum", feature = "tracing"))]
pub mod stack;

use std::convert::Infallible;

use axum::response::IntoResponse;
use bytes::Bytes;
use http::{header, HeaderMap, Request, Response, StatusCode};
use http_body_util::BodyExt;
use http_body_util::Full;
use tower::{Service, ServiceExt};
use tower_api_error::{testing::ErrorResponse, ApiError, ApiErrorLayer};

/// The configuration of every property test: `default_cases` cases, or as many as the
/// `PROPTEST_CASES` environment variable says.
///
/// The seeds of past failures are kept beside each test's source file, as
/// `<module>.proptest-regressions`, and replayed first. proptest's default would look in
/// `tests/proptest-regressions/<module>.txt` instead, since the test's directory has a
/// `main.rs`; naming the file explicitly keeps each seed file next to its test.
pub fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    proptest::test_runner::Config {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..proptest::test_runner::Config::default()
    }
}

/// Sends `request` through `service` (a service behind the layer, or an axum `Router` with it)
/// and reads back the error response (see [`read_error`]).
pub async fn error_of<S, B>(service: S, request: Request<B>) -> (StatusCode, HeaderMap, Parsed)
where
    S: Service<Request<B>, Error = Infallible>,
    S::Response: IntoResponse,
{
    read_error(service.oneshot(request).await.unwrap().into_response()).await
}

/// An error body read back, in the seed shape's terms (see [`error_body::ParsedError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub error: String,
    pub error_description: String,
    pub error_uri: Option<String>,
    pub field_errors: Vec<(String, String)>,
}

impl From<&ErrorResponse> for Parsed {
    fn from(parsed: &ErrorResponse) -> Self {
        let parsed = error_body::ParsedError::from(parsed);
        Self {
            error: parsed.code,
            error_description: parsed.description,
            error_uri: parsed.uri,
            field_errors: parsed.field_errors,
        }
    }
}

/// Reads an error response with the crate's own parser, and an XML body with roxmltree too
/// (see [`error_body::parse_response`]); panics, saying why, if it is not a well-formed one.
pub fn error_response(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ErrorResponse {
    error_body::parse_response(status, headers, body)
        .unwrap_or_else(|e| panic!("not a well-formed error response: {e}"))
}

/// [`error_response`] in the seed shape's terms: problem details give what their members say
/// as the seed shape would say it.
pub fn parse(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Parsed {
    Parsed::from(&error_response(status, headers, body))
}

/// Collects a response, and checks that its `Content-Length` is the body's length (or, for the
/// answer to a `HEAD`, that there is no body).
pub async fn collect<B>(response: Response<B>, head: bool) -> (StatusCode, HeaderMap, Bytes)
where
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let length: usize = parts.headers[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    if head {
        assert!(body.is_empty(), "HEAD with a body");
    } else {
        assert_eq!(length, body.len(), "Content-Length");
    }
    (parts.status, parts.headers, body)
}

/// [`read_error`] for a response made without the layer (see [`error_body::without_layer`]).
pub async fn read_error_without_layer<B>(response: Response<B>) -> (StatusCode, HeaderMap, Parsed)
where
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let (status, headers, body) = collect(response, false).await;
    let parsed = parse(status, &error_body::without_layer(&headers), &body);
    (status, headers, parsed)
}

/// Collects a response, checks Content-Length against the body, and parses it.
pub async fn read_error<B>(response: Response<B>) -> (StatusCode, HeaderMap, Parsed)
where
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let (status, headers, body) = collect(response, false).await;
    let parsed = parse(status, &headers, &body);
    (status, headers, parsed)
}

/// The response `layer` renders for the error `make` builds, to a `GET` with `Accept: accept`:
/// status, headers and the whole body, unparsed.
pub async fn render_error(
    layer: ApiErrorLayer,
    make: impl Fn() -> ApiError + Clone + Send + 'static,
    accept: &str,
) -> (StatusCode, HeaderMap, Bytes) {
    let service =
        tower::ServiceBuilder::new()
            .layer(layer)
            .service_fn(move |_: Request<Full<Bytes>>| {
                let err = make();
                async move { Err::<Response<Full<Bytes>>, _>(err) }
            });
    let request = Request::get("/")
        .header(header::ACCEPT, accept)
        .body(Full::default())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes(),
    )
}
