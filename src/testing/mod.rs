//! A test kit for the error contract (feature `testing`): a strict parser for error responses,
//! assertions with useful failure messages, and a contract check that drives an app through a
//! battery of requests.
//!
//! - [`ErrorResponse`] reads an error response back (JSON or XML, seed shape or RFC 9457
//!   problem details) and fails with a [`ParseError`] saying what is wrong if it is not exactly
//!   what [`ApiErrorLayer`](crate::ApiErrorLayer) promises: an error status, one of the five
//!   `Content-Type`s, a `Content-Length` equal to the body's length, `Vary` naming `Accept`, and
//!   a body of exactly one shape, without unknown members.
//! - [`assert_api_error`], [`assert_field_error`] and [`expect_api_error`] assert on it.
//! - [`xml_visible`] says what text an XML body gives back for the text an error held.
//! - [`check_contract`] (or [`check_router`] for an axum `Router`) sends the requests every
//!   app behind the layer must answer correctly (an unknown route, a wrong method,
//!   `Accept: text/html`, `HEAD`, every format, malformed `Accept`, and optionally a panicking
//!   route and request ids) and returns a [`Report`] of every [`Violation`]. Every error
//!   response it sees must be one the layer rendered: one that passed the layer untouched (a
//!   handler's own JSON error, say) is a violation unless its route is let through with
//!   [`Contract::allow_pass_through`].
//! - [`check_anchors`] checks that every `error_uri` the app can send opens an entry of its
//!   documentation page.
//!
//! # Checking an app in one test
//!
//! Tell the check one route of the app and its method, a path no route matches, and a route
//! that panics, if the app has one (see [`Contract`]):
//!
#![cfg_attr(feature = "axum", doc = "```")]
#![cfg_attr(not(feature = "axum"), doc = "```ignore")]
//! use axum::{routing::get, Router};
//! use http::Method;
//! use tower_api_error::{testing::{check_router, Contract}, ApiErrorLayer};
//!
//! async fn panics() -> &'static str {
//!     panic!("SECRET: do not show this")
//! }
//!
//! fn app() -> Router {
//!     Router::new()
//!         .route("/items/{id}", get(|| async { "an item" }))
//!         .route("/panic", get(panics))
//!         .layer(ApiErrorLayer::new())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // In a `#[tokio::test] async fn error_contract()`:
//! let contract = Contract::new("/items/1", Method::GET)
//!     .unknown_path("/nope")
//!     .panic_route("/panic", "SECRET");
//! let report = check_router(app(), &contract).await;
//! assert!(report.is_ok(), "{report}");
//! # }
//! ```
//!
//! The same app without the layer breaks the contract, and the report says how, one line per
//! violation (here the first lines):
//!
#![cfg_attr(feature = "axum", doc = "```")]
#![cfg_attr(not(feature = "axum"), doc = "```ignore")]
//! # use axum::{routing::get, Router};
//! # use http::Method;
//! use tower_api_error::testing::{check_router, Check, Contract};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let app = Router::new().route("/items/{id}", get(|| async { "an item" }));
//! let report = check_router(app, &Contract::new("/items/1", Method::GET)).await;
//! assert!(report.failed(Check::UnknownRoute));
//! let text = report.to_string();
//! assert!(text.starts_with("the API error contract is broken"));
//! assert!(text.contains(
//!     "- unknown route: GET /this-route-does-not-exist (Accept: application/json): \
//!      no Content-Type (answered 404 Not Found, no Content-Type, body \"\")"
//! ));
//! # }
//! ```
//!
//! Any other `tower_service::Service` works the same through [`check_contract`].
//!
//! # Asserting on one response
//!
//! ```
//! use bytes::Bytes;
//! use http::{Request, Response};
//! use http_body_util::Full;
//! use tower::{ServiceBuilder, ServiceExt};
//! use tower_api_error::{testing::{assert_field_error, expect_api_error}, ApiError, ApiErrorLayer};
//!
//! async fn handle(_: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
//!     Err(ApiError::unprocessable_entity("The item is invalid.")
//!         .with_field_error("name", "must not be empty"))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let service = ServiceBuilder::new()
//!     .layer(ApiErrorLayer::new())
//!     .service_fn(handle);
//! let request = Request::post("/items")
//!     .header("accept", "application/problem+xml")
//!     .body(Full::default())?;
//! let response = service.oneshot(request).await?;
//!
//! let error = expect_api_error(response, 422, "unprocessable_entity").await;
//! assert_eq!(error.description(), "The item is invalid.");
//! assert_eq!(error.title(), Some("Unprocessable Entity"));
//! assert_field_error(&error, "name", "must not be empty");
//! # Ok(())
//! # }
//! ```

mod anchors;
mod contract;
mod parse;

use std::fmt;

use http::{Response, StatusCode};

pub use self::{
    anchors::{check_anchors, AnchorProblem, AnchorReport},
    contract::{check_contract, Check, Contract, Report, Violation, REQUEST_ID, REQUEST_ID_HEADER},
    parse::{ErrorResponse, MemberText, ParseError, ParseErrorKind},
};

/// [`check_contract`] for an axum `Router`, whose request body type it fixes to axum's `Body`
/// (feature `axum`).
///
/// ```
/// use axum::{routing::get, Router};
/// use http::Method;
/// use tower_api_error::{testing::{check_router, Contract}, ApiErrorLayer};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let app = Router::new()
///     .route("/items/{id}", get(|| async { "an item" }))
///     .layer(ApiErrorLayer::new());
/// check_router(app, &Contract::new("/items/1", Method::GET)).await.assert_ok();
/// # }
/// ```
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub async fn check_router(router: ::axum::Router, contract: &Contract) -> Report {
    check_contract::<_, ::axum::body::Body, _>(router, contract).await
}

/// Asserts that `response` is the error `status code`.
///
/// # Panics
///
/// If the status or the code differ, with both and the body in the message.
///
/// ```
/// use bytes::Bytes;
/// use http::{Request, Response};
/// use http_body_util::Full;
/// use tower::{ServiceBuilder, ServiceExt};
/// use tower_api_error::{testing::{assert_api_error, ErrorResponse}, ApiError, ApiErrorLayer};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let service = ServiceBuilder::new()
///     .layer(ApiErrorLayer::new().error_uri_base("https://docs.example.com/errors"))
///     .service_fn(|_: Request<Full<Bytes>>| async {
///         Err::<Response<Full<Bytes>>, _>(ApiError::not_found("No item with id 42."))
///     });
/// let response = service.oneshot(Request::get("/items/42").body(Full::default())?).await?;
///
/// let error = ErrorResponse::from_response(response).await?;
/// assert_api_error(&error, 404, "not_found");
/// assert_eq!(error.uri(), Some("https://docs.example.com/errors#not_found"));
///
/// let wrong = std::panic::catch_unwind(|| assert_api_error(&error, 410, "gone"));
/// let message = *wrong.unwrap_err().downcast::<String>().unwrap();
/// assert!(message.starts_with("expected the error 410 gone, got 404 not_found"), "{message}");
/// # Ok(())
/// # }
/// ```
#[track_caller]
pub fn assert_api_error(response: &ErrorResponse, status: u16, code: &str) {
    if response.status().as_u16() != status || response.code() != code {
        panic!(
            "expected the error {status} {code}, got {}\n{}",
            response.summary(),
            Body(response)
        );
    }
}

/// Asserts that `response` has the field error `field`: `message`.
///
/// # Panics
///
/// If it has not, with the field errors it has in the message.
#[track_caller]
pub fn assert_field_error(response: &ErrorResponse, field: &str, message: &str) {
    let found = response
        .field_errors()
        .iter()
        .any(|e| e.field() == field && e.message() == message);
    if !found {
        let has: Vec<String> = response
            .field_errors()
            .iter()
            .map(|e| format!("{}: {}", e.field(), e.message()))
            .collect();
        panic!(
            "expected the field error {field:?}: {message:?} in {}, it has {has:?}\n{}",
            response.summary(),
            Body(response)
        );
    }
}

/// Reads `response` as an [`ErrorResponse`], asserts that it is the error `status code` (see
/// [`assert_api_error`]), and returns it for more assertions.
///
/// # Panics
///
/// If the response is not a well-formed error response (with the [`ParseError`] in the message),
/// or not that error.
#[track_caller]
pub fn expect_api_error<B>(
    response: Response<B>,
    status: u16,
    code: &str,
) -> impl std::future::Future<Output = ErrorResponse>
where
    B: http_body::Body,
    B::Error: fmt::Display,
{
    let caller = std::panic::Location::caller();
    let code = code.to_owned();
    async move {
        let answered: StatusCode = response.status();
        let parsed = match ErrorResponse::from_response(response).await {
            Ok(parsed) => parsed,
            Err(err) => panic!(
                "expected the error {status} {code}, got a {answered} that is not a \
                 well-formed error response: {err} (at {caller})"
            ),
        };
        if parsed.status().as_u16() != status || parsed.code() != code {
            panic!(
                "expected the error {status} {code}, got {} (at {caller})\n{}",
                parsed.summary(),
                Body(&parsed)
            );
        }
        parsed
    }
}

/// The text a client's XML parser reads back from the layer's XML bodies for `text`.
///
/// XML 1.0 cannot carry every character: the layer sends U+FFFD in place of the control
/// characters other than tab, line feed and carriage return, and in place of U+FFFE and U+FFFF.
/// Everything else comes back as it was, carriage returns included. Compare what an XML body
/// says with `xml_visible` of what the error held; a JSON body gives back the text unchanged.
///
/// ```
/// use bytes::Bytes;
/// use http::{Request, Response};
/// use http_body_util::Full;
/// use tower::{ServiceBuilder, ServiceExt};
/// use tower_api_error::{testing::{xml_visible, ErrorResponse}, ApiError, ApiErrorLayer};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// assert_eq!(xml_visible("tab\t, bell\u{7}, \r\n"), "tab\t, bell\u{fffd}, \r\n");
///
/// let description = "Line 1\r\nan escape \u{1b}[0m here.";
/// let service = ServiceBuilder::new()
///     .layer(ApiErrorLayer::new())
///     .service_fn(move |_: Request<Full<Bytes>>| async move {
///         Err::<Response<Full<Bytes>>, _>(ApiError::not_found(description))
///     });
/// let request = Request::get("/").header("accept", "application/xml").body(Full::default())?;
/// let error = ErrorResponse::from_response(service.oneshot(request).await?).await?;
/// assert_eq!(error.description(), xml_visible(description));
/// assert_eq!(error.description(), "Line 1\r\nan escape \u{fffd}[0m here.");
/// # Ok(())
/// # }
/// ```
pub fn xml_visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// `body: ...`, for failure messages.
struct Body<'a>(&'a ErrorResponse);

impl fmt::Display for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "body: {}", self.0.body_text())
    }
}
