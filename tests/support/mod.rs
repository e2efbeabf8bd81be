//! Helpers shared by the integration tests: parse error bodies back, field by field, with the
//! strict parsers of [`error_body`], panicking where those return an error.

#![allow(dead_code, unreachable_pub)]

pub mod clients;
pub mod error_body;
#[cfg(feature = "tracing")]
pub mod logs;
pub mod problem_body;
#[cfg(all(feature = "axum", feature = "tracing"))]
pub mod stack;

use std::convert::Infallible;

use axum::response::IntoResponse;
use bytes::Bytes;
use http::{header, HeaderMap, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::{Service, ServiceExt};

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

/// An error body read back from JSON or XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub error: String,
    pub error_description: String,
    pub error_uri: Option<String>,
    pub field_errors: Vec<(String, String)>,
}

/// Parses a JSON error body with serde_json; panics, saying why, if it is not a well-formed one
/// (see [`error_body::parse_json`]).
pub fn parse_json(body: &[u8]) -> Parsed {
    error_body::parse_json(body)
        .map(Parsed::from)
        .unwrap_or_else(|e| {
            panic!(
                "invalid JSON error body ({e}): {}",
                String::from_utf8_lossy(body)
            )
        })
}

/// Parses an XML error body with roxmltree (an independent parser); panics, saying why, if it is
/// not a well-formed one (see [`error_body::parse_xml`]).
pub fn parse_xml(body: &[u8]) -> Parsed {
    error_body::parse_xml(body)
        .map(Parsed::from)
        .unwrap_or_else(|e| {
            panic!(
                "invalid XML error body ({e}): {}",
                String::from_utf8_lossy(body)
            )
        })
}

impl From<error_body::ParsedError> for Parsed {
    fn from(parsed: error_body::ParsedError) -> Self {
        Self {
            error: parsed.code,
            error_description: parsed.description,
            error_uri: parsed.uri,
            field_errors: parsed.field_errors,
        }
    }
}

/// Parses a body by its Content-Type; a problem details body gives what its members say in the
/// seed shape's terms (see [`problem_body::ParsedProblem::as_seed`]).
pub fn parse(headers: &HeaderMap, body: &[u8]) -> Parsed {
    let problem = |parsed: Result<problem_body::ParsedProblem, error_body::Malformed>| {
        let parsed = parsed.unwrap_or_else(|e| {
            panic!(
                "invalid problem body ({e}): {}",
                String::from_utf8_lossy(body)
            )
        });
        Parsed::from(parsed.as_seed())
    };
    match headers[header::CONTENT_TYPE].to_str().unwrap() {
        "application/json" => parse_json(body),
        "application/xml; charset=utf-8" | "text/xml; charset=utf-8" => parse_xml(body),
        "application/problem+json" => problem(problem_body::parse_json(body)),
        "application/problem+xml; charset=utf-8" => problem(problem_body::parse_xml(body)),
        other => panic!("unexpected Content-Type {other}"),
    }
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

/// Collects a response, checks Content-Length against the body, and parses it.
pub async fn read_error<B>(response: Response<B>) -> (StatusCode, HeaderMap, Parsed)
where
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let (status, headers, body) = collect(response, false).await;
    let parsed = parse(&headers, &body);
    (status, headers, parsed)
}
