//! Property test of the layer over random sequences of requests.
//!
//! One `ApiErrorService` answers a random sequence of requests (random method, `Accept` and
//! `Content-Type`) over an inner service that, per request, succeeds, fails with an `ApiError`
//! of a random status, returns an `ApiError` as a response (axum's `IntoResponse`), returns a
//! plain-text error response as frameworks make them (which the layer rewrites), or returns an
//! HTML error response of its own (which the layer leaves alone). Every response must be well formed: the expected status,
//! `Content-Type` and `Content-Length`, a body that parses, no body for `HEAD`, the inner service
//! not called for `406`, and successes and foreign error responses untouched.
//!
//! Case count: `PROPTEST_CASES` if set, else the count given to `config` below.

use crate::support;
use support::error_body;

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use axum::response::IntoResponse;
use bytes::Bytes;
use error_body::ParsedError;
use http::{
    header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, VARY},
    HeaderValue, Method, Request, Response, StatusCode,
};
use http_body_util::{BodyExt, Full};
use proptest::{collection::vec, prelude::*, sample::select};
use tower::{Service, ServiceBuilder, ServiceExt};
use tower_api_error::{testing::xml_visible, ApiError, ApiErrorLayer, Format};

/// What the inner service does with a request.
#[derive(Debug, Clone)]
enum Outcome {
    /// `Ok` with this status and body (an empty body for `HEAD`).
    Success { status: u16, body: Vec<u8> },
    /// `Err(ApiError)`.
    Fails {
        status: StatusCode,
        code: String,
        description: String,
    },
    /// `Ok(ApiError.into_response())`.
    ErrorIntoResponse {
        status: StatusCode,
        code: String,
        description: String,
    },
    /// `Ok` with an error status and an HTML body of the inner service's own: not the layer's
    /// business.
    OwnErrorResponse { status: StatusCode, body: Vec<u8> },
    /// `Ok` with an error status and a small `text/plain` (or untyped) body, as frameworks make
    /// them: rewritten by the layer, the text becoming the description of a 4xx error.
    PlainErrorResponse {
        status: StatusCode,
        typed: bool,
        body: Vec<u8>,
    },
}

/// One request of a sequence.
#[derive(Debug, Clone)]
struct Call {
    method: Method,
    accept: AcceptCase,
    xml_content_type: bool,
    outcome: Outcome,
}

/// An `Accept` header and the format it negotiates without and with an XML `Content-Type`.
type AcceptCase = (Option<&'static [u8]>, Option<Format>, Option<Format>);

const JSON: Option<Format> = Some(Format::Json);
const XML: Option<Format> = Some(Format::Xml);
const TEXT_XML: Option<Format> = Some(Format::TextXml);
const PROBLEM_JSON: Option<Format> = Some(Format::ProblemJson);
const PROBLEM_XML: Option<Format> = Some(Format::ProblemXml);

const ACCEPT_CASES: &[AcceptCase] = &[
    (None, JSON, XML),
    (Some(b"*/*"), JSON, XML),
    (Some(b""), JSON, XML),
    (Some(b"garbage, appl\xffcation/xml"), JSON, XML),
    (Some(b"application/json"), JSON, JSON),
    (
        Some(b"application/problem+json"),
        PROBLEM_JSON,
        PROBLEM_JSON,
    ),
    (
        Some(b"application/problem+xml, application/json;q=0.5"),
        PROBLEM_XML,
        PROBLEM_XML,
    ),
    (Some(b"application/xml"), XML, XML),
    (Some(b"text/xml"), TEXT_XML, TEXT_XML),
    (Some(b"text/xml, application/xml;q=0.9"), TEXT_XML, TEXT_XML),
    (Some(b"application/json, application/xml"), JSON, XML),
    (Some(b"application/json;q=0, application/xml"), XML, XML),
    (Some(b"text/html"), None, None),
    (Some(b"image/png, text/*"), None, None),
    (Some(b"*/*;q=0"), None, None),
];

fn error_status() -> impl Strategy<Value = StatusCode> {
    prop_oneof![
        select(&[400u16, 401, 404, 405, 406, 422, 429, 500, 502, 503][..]),
        400..600u16,
    ]
    .prop_map(|s| StatusCode::from_u16(s).expect("a valid status"))
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,40}",
        vec(any::<char>(), 0..20).prop_map(String::from_iter),
        Just("<&>]]>\r\n\"'\u{0}\u{fffe}".to_owned()),
    ]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        3 => (select(&[200u16, 201, 202, 204, 301, 304][..]), vec(any::<u8>(), 0..64))
            .prop_map(|(status, body)| Outcome::Success { status, body }),
        3 => (error_status(), "[a-z_]{1,20}", text())
            .prop_map(|(status, code, description)| Outcome::Fails { status, code, description }),
        2 => (error_status(), "[a-z_]{1,20}", text()).prop_map(|(status, code, description)| {
            Outcome::ErrorIntoResponse { status, code, description }
        }),
        1 => (error_status(), vec(any::<u8>(), 0..64))
            .prop_map(|(status, body)| Outcome::OwnErrorResponse { status, body }),
        2 => (
            error_status(),
            any::<bool>(),
            prop_oneof![
                text().prop_map(String::into_bytes),
                Just(b"  \n ".to_vec()),
                vec(any::<u8>(), 0..64),
            ],
        )
            .prop_map(|(status, typed, body)| Outcome::PlainErrorResponse { status, typed, body }),
    ]
}

fn call() -> impl Strategy<Value = Call> {
    (
        select(&[Method::GET, Method::HEAD, Method::POST, Method::DELETE][..]),
        select(ACCEPT_CASES),
        any::<bool>(),
        outcome(),
    )
        .prop_map(|(method, accept, xml_content_type, outcome)| Call {
            method,
            accept,
            xml_content_type,
            outcome,
        })
}

/// The inner service: does what the request's `Outcome` extension says, and counts its calls.
async fn inner(
    calls: Arc<AtomicUsize>,
    req: Request<Full<Bytes>>,
) -> Result<Response<axum::body::Body>, ApiError> {
    calls.fetch_add(1, Ordering::SeqCst);
    let head = req.method() == Method::HEAD;
    let outcome = req
        .extensions()
        .get::<Outcome>()
        .cloned()
        .expect("every test request carries an Outcome");
    match outcome {
        Outcome::Success { status, body } => Ok(Response::builder()
            .status(status)
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(if head {
                axum::body::Body::empty()
            } else {
                axum::body::Body::from(body)
            })
            .expect("a response")),
        Outcome::Fails {
            status,
            code,
            description,
        } => Err(ApiError::new(status, code, description)),
        Outcome::ErrorIntoResponse {
            status,
            code,
            description,
        } => Ok(ApiError::new(status, code, description).into_response()),
        Outcome::OwnErrorResponse { status, body } => Ok(Response::builder()
            .status(status)
            .header(CONTENT_TYPE, "text/html; charset=utf-8")
            .body(axum::body::Body::from(body))
            .expect("a response")),
        Outcome::PlainErrorResponse {
            status,
            typed,
            body,
        } => {
            let mut response = Response::builder().status(status);
            if typed {
                response = response.header(CONTENT_TYPE, "text/plain; charset=utf-8");
            }
            Ok(response
                .body(axum::body::Body::from(body))
                .expect("a response"))
        }
    }
}

fn request(call: &Call, method: Method) -> Request<Full<Bytes>> {
    let mut request = Request::builder().method(method).uri("/thing");
    if let Some(accept) = call.accept.0 {
        request = request.header(
            ACCEPT,
            HeaderValue::from_bytes(accept).expect("a valid header"),
        );
    }
    if call.xml_content_type {
        request = request.header(CONTENT_TYPE, "application/xml");
    }
    let mut request = request.body(Full::default()).expect("a request");
    request.extensions_mut().insert(call.outcome.clone());
    request
}

async fn send<S>(service: &mut S, req: Request<Full<Bytes>>) -> Response<Bytes>
where
    S: Service<
        Request<Full<Bytes>>,
        Response = Response<axum::body::Body>,
        Error = std::convert::Infallible,
    >,
{
    let response = service
        .ready()
        .await
        .unwrap_or_else(|e| match e {})
        .call(req)
        .await
        .unwrap_or_else(|e| match e {});
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("an in-memory body").to_bytes();
    Response::from_parts(parts, body)
}

fn content_type_of(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Xml => "application/xml; charset=utf-8",
        Format::TextXml => "text/xml; charset=utf-8",
        Format::ProblemJson => "application/problem+json",
        Format::ProblemXml => "application/problem+xml; charset=utf-8",
        _ => unreachable!("no other format"),
    }
}

/// What the body of `response` says, read back by its `Content-Type` (see
/// `support::error_body`).
fn read(response: &Response<Bytes>) -> Result<ParsedError, TestCaseError> {
    error_body::parse_response(response.status(), response.headers(), response.body())
        .map(|parsed| ParsedError::from(&parsed))
        .map_err(|e| TestCaseError::fail(e.to_string()))
}

/// Checks a response the layer rendered for an error: status, headers, and body (empty for
/// `HEAD`). Returns the `Content-Length`.
fn check_rendered(
    response: &Response<Bytes>,
    head: bool,
    status: StatusCode,
    format: Format,
    code: &str,
    description: &str,
) -> Result<usize, TestCaseError> {
    prop_assert_eq!(response.status(), status);
    let headers = response.headers();
    prop_assert_eq!(&headers[CONTENT_TYPE], content_type_of(format));
    prop_assert_eq!(headers.get_all(CONTENT_TYPE).iter().count(), 1);
    prop_assert_eq!(headers.get_all(CONTENT_LENGTH).iter().count(), 1);
    prop_assert!(
        headers.get_all(VARY).iter().any(|v| v == "Accept"),
        "{:?}",
        headers
    );
    let length: usize = headers[CONTENT_LENGTH]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| TestCaseError::fail("Content-Length is not a number"))?;
    if head {
        prop_assert!(response.body().is_empty(), "HEAD with a body");
        return Ok(length);
    }
    prop_assert_eq!(length, response.body().len());
    let parsed = read(response)?;
    let description = if format.is_xml() {
        xml_visible(description)
    } else {
        description.to_owned()
    };
    prop_assert_eq!(&parsed.code, code);
    let expected_description = if status.is_server_error() || description.is_empty() {
        ApiError::new(status, code.to_owned(), "")
            .description()
            .to_owned()
    } else {
        description
    };
    prop_assert_eq!(parsed.description, expected_description);
    prop_assert!(parsed.field_errors.is_empty());
    Ok(length)
}

async fn run_sequence(calls: &[Call]) -> Result<(), TestCaseError> {
    let counter = Arc::new(AtomicUsize::new(0));
    let inner_counter = counter.clone();
    let mut service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .service_fn(move |req| inner(inner_counter.clone(), req));
    for call in calls {
        let head = call.method == Method::HEAD;
        let (_, plain, with_xml_ct) = call.accept;
        let negotiated = if call.xml_content_type {
            with_xml_ct
        } else {
            plain
        };
        let before = counter.load(Ordering::SeqCst);
        let response = send(&mut service, request(call, call.method.clone())).await;
        let called = counter.load(Ordering::SeqCst) - before;

        let Some(format) = negotiated else {
            prop_assert_eq!(called, 0, "the inner service was called for a 406");
            prop_assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
            prop_assert_eq!(&response.headers()[CONTENT_TYPE], "application/json");
            if !head {
                let parsed = read(&response)?;
                prop_assert_eq!(parsed.code, "not_acceptable");
            } else {
                prop_assert!(response.body().is_empty());
            }
            continue;
        };
        prop_assert_eq!(called, 1);

        match &call.outcome {
            Outcome::Success { status, body } => {
                prop_assert_eq!(response.status().as_u16(), *status);
                prop_assert_eq!(
                    &response.headers()[CONTENT_TYPE],
                    "application/octet-stream"
                );
                prop_assert!(response.headers().get(VARY).is_none(), "success touched");
                let expected: &[u8] = if head { &[] } else { body };
                prop_assert_eq!(response.body().as_ref(), expected);
            }
            Outcome::OwnErrorResponse { status, body } => {
                prop_assert_eq!(response.status(), *status);
                prop_assert_eq!(
                    &response.headers()[CONTENT_TYPE],
                    "text/html; charset=utf-8"
                );
                prop_assert!(response.headers().get(VARY).is_none(), "own error touched");
                prop_assert_eq!(response.body().as_ref(), body.as_slice());
            }
            Outcome::PlainErrorResponse { status, body, .. } => {
                let code = ApiError::from_status(*status).code().to_owned();
                // A 4xx takes the trimmed text as its description; a 5xx, or a body that is
                // empty or not UTF-8, gets the default one (`check_rendered` knows both).
                let description = std::str::from_utf8(body).map_or("", str::trim);
                let length = check_rendered(&response, head, *status, format, &code, description)?;
                if head {
                    let get = send(&mut service, request(call, Method::GET)).await;
                    let get_length =
                        check_rendered(&get, false, *status, format, &code, description)?;
                    prop_assert_eq!(length, get_length);
                }
            }
            Outcome::Fails {
                status,
                code,
                description,
            }
            | Outcome::ErrorIntoResponse {
                status,
                code,
                description,
            } => {
                let length = check_rendered(&response, head, *status, format, code, description)?;
                if head {
                    // The same request as GET renders a body of the announced length.
                    let get = send(&mut service, request(call, Method::GET)).await;
                    let get_length =
                        check_rendered(&get, false, *status, format, code, description)?;
                    prop_assert_eq!(length, get_length);
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(support::proptest_config(512))]

    #[test]
    fn every_response_of_a_random_request_sequence_is_well_formed(calls in vec(call(), 1..24)) {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(run_sequence(&calls))?;
    }
}
