//! The contract check: [`check_contract`], [`Contract`], [`Report`] and [`Violation`].

use std::{
    any::Any,
    fmt,
    future::Future,
    panic::{catch_unwind, AssertUnwindSafe},
    task::Poll,
};

use bytes::Bytes;
use http::{
    header::{ACCEPT, ALLOW, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE},
    HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode,
};
use http_body_util::BodyExt;
use tower_service::Service;

use super::{
    parse::{content_type_text, varies_on_accept, ErrorResponse},
    xml_visible,
};
use crate::{ErrorInfo, Format};

/// The request id the contract check sends, in [`REQUEST_ID_HEADER`].
pub const REQUEST_ID: &str = "test-1234";

/// The header the contract check sends [`REQUEST_ID`] in: `x-request-id`.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What the contract check needs to know about an app: one route it serves and the method it
/// serves it with, and optionally a path no route matches, a route that panics, whether the
/// app echoes request ids, and the routes whose error responses may bypass the layer.
///
/// ```
/// use http::Method;
/// use tower_api_error::testing::Contract;
///
/// let contract = Contract::new("/items/1", Method::GET)
///     .unknown_path("/nope")
///     .panic_route("/panic", "SECRET");
/// assert_eq!(contract.known_path(), "/items/1");
/// ```
#[derive(Debug, Clone)]
pub struct Contract {
    known_path: String,
    known_method: Method,
    unknown_path: String,
    wrong_method: Option<Method>,
    panic_route: Option<(String, String)>,
    expect_request_id: bool,
    pass_through: Vec<(Method, String)>,
}

impl Contract {
    /// A contract for an app that answers `known_method` at `known_path` (with any status: the
    /// route is only used for the `405` and `406` checks).
    pub fn new(known_path: impl Into<String>, known_method: Method) -> Self {
        Self {
            known_path: known_path.into(),
            known_method,
            unknown_path: "/this-route-does-not-exist".to_owned(),
            wrong_method: None,
            panic_route: None,
            expect_request_id: false,
            pass_through: Vec::new(),
        }
    }

    /// A path no route of the app matches (default `/this-route-does-not-exist`).
    #[must_use = "this returns the changed contract"]
    pub fn unknown_path(mut self, path: impl Into<String>) -> Self {
        self.unknown_path = path.into();
        self
    }

    /// A method the known route does not allow (default `DELETE`, or `PATCH` when the known
    /// method is `DELETE`).
    #[must_use = "this returns the changed contract"]
    pub fn wrong_method(mut self, method: Method) -> Self {
        self.wrong_method = Some(method);
        self
    }

    /// A `GET` route that panics with a message containing `secret`: the check expects a masked
    /// `500 internal_server_error` that contains nothing of `secret`, in the body or the headers.
    #[must_use = "this returns the changed contract"]
    pub fn panic_route(mut self, path: impl Into<String>, secret: impl Into<String>) -> Self {
        self.panic_route = Some((path.into(), secret.into()));
        self
    }

    /// Whether the app echoes the request id it is sent in `x-request-id` as the body's
    /// `request_id` member (default `false`: the request-id check is skipped). With `true`, the
    /// check sends [`REQUEST_ID`] and expects it back in all four shapes.
    #[must_use = "this returns the changed contract"]
    pub fn expect_request_id(mut self, expect: bool) -> Self {
        self.expect_request_id = expect;
        self
    }

    /// Lets the error responses of `method` on `path` pass the layer untouched: the
    /// [pass-through check](Check::PassThrough) does not report them. For a route that
    /// deliberately answers an error in a shape of its own, such as a proxied upstream's or a
    /// legacy endpoint's; every other error response the check sees must be one the layer
    /// rendered or rewrote. `path` is the request path the check sends, compared exactly;
    /// `GET` covers `HEAD` too, as a router serves `HEAD` with the `GET` route.
    ///
    /// May be called for several routes.
    ///
    #[cfg_attr(feature = "axum", doc = "```")]
    #[cfg_attr(not(feature = "axum"), doc = "```ignore")]
    /// use axum::{http::StatusCode, routing::get, Json, Router};
    /// use http::Method;
    /// use serde_json::json;
    /// use tower_api_error::{testing::{check_router, Check, Contract}, ApiErrorLayer};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // A legacy route that answers its conflicts in its own JSON shape.
    /// let app = Router::new()
    ///     .route(
    ///         "/items/{id}",
    ///         get(|| async { (StatusCode::CONFLICT, Json(json!({"message": "taken"}))) }),
    ///     )
    ///     .layer(ApiErrorLayer::new());
    ///
    /// let contract = Contract::new("/items/1", Method::GET);
    /// let report = check_router(app.clone(), &contract).await;
    /// assert!(report.failed(Check::PassThrough));
    /// assert_eq!(report.violations().len(), 1);
    ///
    /// let contract = contract.allow_pass_through(Method::GET, "/items/1");
    /// check_router(app, &contract).await.assert_ok();
    /// # }
    /// ```
    #[must_use = "this returns the changed contract"]
    pub fn allow_pass_through(mut self, method: Method, path: impl Into<String>) -> Self {
        self.pass_through.push((method, path.into()));
        self
    }

    /// The known route's path.
    pub fn known_path(&self) -> &str {
        &self.known_path
    }

    /// Whether `method` on `path` may pass the layer; `HEAD` is `GET`'s.
    fn passes_through(&self, method: &Method, path: &str) -> bool {
        self.pass_through
            .iter()
            .any(|(allowed, allowed_path)| allowed == method && allowed_path == path)
    }

    fn wrong_method_or_default(&self) -> Method {
        match &self.wrong_method {
            Some(method) => method.clone(),
            None if self.known_method == Method::DELETE => Method::PATCH,
            None => Method::DELETE,
        }
    }
}

/// One check of the battery [`check_contract`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// `GET` of an unknown path: a coded `404 not_found`.
    UnknownRoute,
    /// A method the known route does not allow: `405 method_not_allowed` with `Allow` naming the
    /// known method.
    WrongMethod,
    /// `Accept: text/html`: `406 not_acceptable` with a coded body.
    NotAcceptable,
    /// `HEAD` of an error: the status and headers of `GET`, `Content-Length` included, and no
    /// body. The headers compared are those of the error contract: `Content-Type`,
    /// `Content-Length`, `Vary` naming `Accept`, `Allow`, `WWW-Authenticate` and `Retry-After`
    /// (other layers, such as tower-http's compression, may answer `HEAD` with other headers).
    Head,
    /// `application/json` and `application/xml` for the same error: JSON and XML bodies with the
    /// same status, code, description and URI.
    JsonAndXml,
    /// `application/problem+json` and `application/problem+xml` for the same error: the same
    /// again.
    ProblemJsonAndXml,
    /// Malformed `Accept` headers: never a `5xx`, always a well-formed error response.
    MalformedAccept,
    /// `x-request-id` sent: the body's `request_id` is the same (only with
    /// [`Contract::expect_request_id`]).
    RequestId,
    /// The panic route: a masked `500 internal_server_error` (only with
    /// [`Contract::panic_route`]).
    Panic,
    /// Every 4xx or 5xx response the check sees, to its own request (the known route with its
    /// method, `Accept: application/json`) and to the other checks' requests, is one the layer
    /// rendered or rewrote: it carries an [`ErrorInfo`](crate::ErrorInfo) in its extensions.
    /// An error response without one passed the layer untouched, such as a handler's
    /// `(StatusCode::CONFLICT, Json(..))` (the layer rewrites only empty and small `text/plain`
    /// bodies, see [the rewrite rules](crate::ApiErrorLayer::rewrite_plain_errors)), or was
    /// made by a layer outside it. Each route (method and path, `HEAD` counting as `GET`) is
    /// reported once, except those let through with [`Contract::allow_pass_through`].
    ///
    /// The check reads the extensions of the response the service returns, so it needs the
    /// service itself, called in process; a service that forwards requests to a server over
    /// the network loses them, and every error it answers is reported.
    PassThrough,
}

impl Check {
    const ALL: [Check; 10] = [
        Check::UnknownRoute,
        Check::WrongMethod,
        Check::NotAcceptable,
        Check::Head,
        Check::JsonAndXml,
        Check::ProblemJsonAndXml,
        Check::MalformedAccept,
        Check::RequestId,
        Check::Panic,
        Check::PassThrough,
    ];

    /// A short name: `unknown route`, `wrong method`, ..., `pass-through`.
    pub fn name(self) -> &'static str {
        match self {
            Check::UnknownRoute => "unknown route",
            Check::WrongMethod => "wrong method",
            Check::NotAcceptable => "not acceptable",
            Check::Head => "HEAD",
            Check::JsonAndXml => "JSON and XML",
            Check::ProblemJsonAndXml => "problem+json and problem+xml",
            Check::MalformedAccept => "malformed Accept",
            Check::RequestId => "request id",
            Check::Panic => "panic",
            Check::PassThrough => "pass-through",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One way an app breaks the contract: the check, the request that showed it, and what is
/// wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    check: Check,
    request: String,
    message: String,
}

impl Violation {
    /// The check that found it.
    pub fn check(&self) -> Check {
        self.check
    }

    /// The request, such as `GET /nope (Accept: application/json)`.
    pub fn request(&self) -> &str {
        &self.request
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.check, self.request, self.message)
    }
}

/// What [`check_contract`] found: the checks it ran and skipped, and every violation.
///
/// Its `Display` is meant for a test's failure message: one line per violation.
#[derive(Debug, Clone)]
pub struct Report {
    ran: Vec<Check>,
    skipped: Vec<Check>,
    violations: Vec<Violation>,
}

impl Report {
    /// Every violation found, in the order of the checks.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The checks that ran.
    pub fn checks(&self) -> &[Check] {
        &self.ran
    }

    /// The checks that were skipped: the request-id check unless
    /// [`Contract::expect_request_id`], the panic check unless [`Contract::panic_route`].
    pub fn skipped(&self) -> &[Check] {
        &self.skipped
    }

    /// Whether no check found a violation.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }

    /// Whether some violation was found by `check`.
    pub fn failed(&self, check: Check) -> bool {
        self.violations.iter().any(|v| v.check == check)
    }

    /// Panics with the report unless it [is ok](Self::is_ok).
    #[track_caller]
    pub fn assert_ok(&self) {
        assert!(self.is_ok(), "{self}");
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failed = self.ran.iter().filter(|check| self.failed(**check)).count();
        if failed == 0 {
            write!(
                f,
                "the API error contract holds: {} checks passed",
                self.ran.len()
            )?;
        } else {
            write!(
                f,
                "the API error contract is broken: {} violation{} in {failed} of {} checks",
                self.violations.len(),
                if self.violations.len() == 1 { "" } else { "s" },
                self.ran.len()
            )?;
        }
        if !self.skipped.is_empty() {
            let skipped: Vec<&str> = self.skipped.iter().map(|c| c.name()).collect();
            write!(f, " ({} skipped: {})", skipped.len(), skipped.join(", "))?;
        }
        for violation in &self.violations {
            write!(f, "\n- {violation}")?;
        }
        Ok(())
    }
}

/// Drives `service` through the battery of [`Check`]s and reports every violation of the error
/// contract.
///
/// `service` is any `Service<http::Request<B>>` answering `http::Response<ResBody>`, an axum
/// `Router` included; it is called once per request (after `poll_ready`), so pass a clone if you
/// need it afterwards. Requests have empty bodies (`B::default()`). A service that fails or
/// panics instead of answering is a violation, not a panic of the check.
///
/// An axum `Router` serves every body type, so name it:
/// `check_contract::<_, axum::body::Body, _>(app, &contract)`, or use
/// [`check_router`](super::check_router) (feature `axum`).
///
/// The checks and what they expect are listed at [`Check`]; the errors are read with
/// [`ErrorResponse`], which checks `Content-Type`, `Content-Length`, `Vary` and the body's shape
/// of every error response.
pub async fn check_contract<S, B, ResBody>(service: S, contract: &Contract) -> Report
where
    S: Service<Request<B>, Response = Response<ResBody>>,
    S::Error: fmt::Display,
    B: Default,
    ResBody: http_body::Body,
    ResBody::Error: fmt::Display,
{
    let mut runner = Runner {
        service,
        violations: Vec::new(),
        passed_through: Vec::new(),
        _body: std::marker::PhantomData,
    };
    let mut ran = Vec::new();
    let mut skipped = Vec::new();
    for check in Check::ALL {
        let run = match check {
            Check::UnknownRoute => {
                runner.unknown_route(contract).await;
                true
            }
            Check::WrongMethod => {
                runner.wrong_method(contract).await;
                true
            }
            Check::NotAcceptable => {
                runner.not_acceptable(contract).await;
                true
            }
            Check::Head => {
                runner.head(contract).await;
                true
            }
            Check::JsonAndXml => {
                runner
                    .same_error(
                        check,
                        contract,
                        ["application/json", "application/xml"],
                        [Format::Json, Format::Xml],
                    )
                    .await;
                true
            }
            Check::ProblemJsonAndXml => {
                runner
                    .same_error(
                        check,
                        contract,
                        ["application/problem+json", "application/problem+xml"],
                        [Format::ProblemJson, Format::ProblemXml],
                    )
                    .await;
                true
            }
            Check::MalformedAccept => {
                runner.malformed_accept(contract).await;
                true
            }
            Check::RequestId if contract.expect_request_id => {
                runner.request_id(contract).await;
                true
            }
            Check::Panic => match &contract.panic_route {
                Some((path, secret)) => {
                    runner.panic(path, secret).await;
                    true
                }
                None => false,
            },
            Check::RequestId => false,
            Check::PassThrough => {
                runner.pass_through(contract).await;
                true
            }
        };
        if run {
            ran.push(check);
        } else {
            skipped.push(check);
        }
    }
    Report {
        ran,
        skipped,
        violations: runner.violations,
    }
}

/// An answer, collected.
struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// An error response the layer did not render: the request, and the answer described.
struct PassedThrough {
    method: Method,
    path: String,
    request: String,
    answer: String,
}

impl Exchange {
    /// `404 Not Found, text/plain; charset=utf-8, body "Not Found"`: for messages.
    fn describe(&self) -> String {
        const SHOWN: usize = 160;
        let text = String::from_utf8_lossy(&self.body);
        let mut shown: String = text.chars().take(SHOWN).collect();
        if shown.len() < text.len() {
            shown.push_str("...");
        }
        format!(
            "{}, {}, body {shown:?}",
            self.status,
            content_type_text(&self.headers)
        )
    }

    fn parse(&self) -> Result<ErrorResponse, String> {
        ErrorResponse::parse(self.status, self.headers.clone(), self.body.clone())
            .map_err(|err| format!("{err} (answered {})", self.describe()))
    }
}

struct Runner<S, B> {
    service: S,
    violations: Vec<Violation>,
    /// Every error response without an `ErrorInfo` that any check saw, for
    /// [`Check::PassThrough`].
    passed_through: Vec<PassedThrough>,
    _body: std::marker::PhantomData<fn(B)>,
}

/// Describes a request for a violation: `GET /nope (Accept: application/json)`.
fn describe_request(method: &Method, path: &str, headers: &[(HeaderName, HeaderValue)]) -> String {
    let headers: Vec<String> = headers
        .iter()
        .map(|(name, value)| {
            let name = match name {
                name if *name == ACCEPT => "Accept",
                name => name.as_str(),
            };
            format!("{name}: {}", String::from_utf8_lossy(value.as_bytes()))
        })
        .collect();
    if headers.is_empty() {
        format!("{method} {path}")
    } else {
        format!("{method} {path} ({})", headers.join(", "))
    }
}

fn accept(value: &'static str) -> Vec<(HeaderName, HeaderValue)> {
    vec![(ACCEPT, HeaderValue::from_static(value))]
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(message) => (*message).to_owned(),
            Err(_) => "a panic".to_owned(),
        },
    }
}

/// Polls `future` to completion, turning a panic into an error.
async fn unwinding<F: Future>(future: F) -> Result<F::Output, String> {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(move |cx| {
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(panic_message(payload))),
        }
    })
    .await
}

impl<S, B, ResBody> Runner<S, B>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
    S::Error: fmt::Display,
    B: Default,
    ResBody: http_body::Body,
    ResBody::Error: fmt::Display,
{
    fn violation(&mut self, check: Check, request: &str, message: impl Into<String>) {
        self.violations.push(Violation {
            check,
            request: request.to_owned(),
            message: message.into(),
        });
    }

    /// Sends one request and collects the answer; a failure is a violation, and `None`.
    async fn exchange(
        &mut self,
        check: Check,
        method: &Method,
        path: &str,
        headers: &[(HeaderName, HeaderValue)],
    ) -> Option<Exchange> {
        let described = describe_request(method, path, headers);
        match self.try_exchange(method, path, headers).await {
            Ok(exchange) => Some(exchange),
            Err(message) => {
                self.violation(check, &described, message);
                None
            }
        }
    }

    async fn try_exchange(
        &mut self,
        method: &Method,
        path: &str,
        headers: &[(HeaderName, HeaderValue)],
    ) -> Result<Exchange, String> {
        let mut builder = Request::builder().method(method.clone()).uri(path);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let request = builder
            .body(B::default())
            .map_err(|e| format!("the request cannot be built: {e}"))?;
        let service = &mut self.service;
        let ready = unwinding(std::future::poll_fn(|cx| service.poll_ready(cx)))
            .await
            .map_err(|panic| format!("the service panicked in poll_ready: {panic}"))?;
        ready.map_err(|e| format!("the service is not ready: {e}"))?;
        let future = catch_unwind(AssertUnwindSafe(|| service.call(request)))
            .map_err(|panic| format!("the service panicked: {}", panic_message(panic)))?;
        let response = unwinding(future)
            .await
            .map_err(|panic| format!("the service panicked instead of answering: {panic}"))?
            .map_err(|e| format!("the service failed instead of answering: {e}"))?;
        let (parts, body) = response.into_parts();
        let body = unwinding(body.collect())
            .await
            .map_err(|panic| format!("the body panicked: {panic}"))?
            .map_err(|e| format!("reading the body failed: {e}"))?
            .to_bytes();
        let exchange = Exchange {
            status: parts.status,
            headers: parts.headers,
            body,
        };
        let error = exchange.status.is_client_error() || exchange.status.is_server_error();
        if error && parts.extensions.get::<ErrorInfo>().is_none() {
            self.passed_through.push(PassedThrough {
                method: method.clone(),
                path: path.to_owned(),
                request: describe_request(method, path, headers),
                answer: exchange.describe(),
            });
        }
        Ok(exchange)
    }

    /// Sends one request and parses the error answer; a failure is a violation, and `None`.
    async fn error(
        &mut self,
        check: Check,
        method: &Method,
        path: &str,
        headers: &[(HeaderName, HeaderValue)],
    ) -> Option<ErrorResponse> {
        let exchange = self.exchange(check, method, path, headers).await?;
        match exchange.parse() {
            Ok(parsed) => Some(parsed),
            Err(message) => {
                let described = describe_request(method, path, headers);
                self.violation(check, &described, message);
                None
            }
        }
    }

    /// Expects a `status code` error; a different one is a violation.
    async fn expect(
        &mut self,
        check: Check,
        method: &Method,
        path: &str,
        headers: &[(HeaderName, HeaderValue)],
        status: StatusCode,
        code: &str,
    ) -> Option<ErrorResponse> {
        let parsed = self.error(check, method, path, headers).await?;
        if parsed.status() != status || parsed.code() != code {
            let described = describe_request(method, path, headers);
            self.violation(
                check,
                &described,
                format!(
                    "expected {} {code}, got {}",
                    status.as_u16(),
                    parsed.summary()
                ),
            );
        }
        Some(parsed)
    }

    async fn unknown_route(&mut self, contract: &Contract) {
        let headers = accept("application/json");
        self.expect(
            Check::UnknownRoute,
            &Method::GET,
            &contract.unknown_path,
            &headers,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }

    async fn wrong_method(&mut self, contract: &Contract) {
        let method = contract.wrong_method_or_default();
        let headers = accept("application/json");
        let path = &contract.known_path;
        let Some(parsed) = self
            .expect(
                Check::WrongMethod,
                &method,
                path,
                &headers,
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
            )
            .await
        else {
            return;
        };
        if parsed.status() != StatusCode::METHOD_NOT_ALLOWED {
            return;
        }
        let described = describe_request(&method, path, &headers);
        let allow: Vec<String> = parsed
            .headers()
            .get_all(ALLOW)
            .iter()
            .flat_map(|value| {
                String::from_utf8_lossy(value.as_bytes())
                    .split(',')
                    .map(|m| m.trim().to_owned())
                    .filter(|m| !m.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect();
        if parsed.headers().get(ALLOW).is_none() {
            self.violation(
                Check::WrongMethod,
                &described,
                "the 405 has no Allow header",
            );
        } else if !allow.iter().any(|m| m == contract.known_method.as_str()) {
            self.violation(
                Check::WrongMethod,
                &described,
                format!(
                    "Allow is {allow:?}, which does not name {}",
                    contract.known_method
                ),
            );
        }
    }

    async fn not_acceptable(&mut self, contract: &Contract) {
        let headers = accept("text/html");
        self.expect(
            Check::NotAcceptable,
            &contract.known_method,
            &contract.known_path,
            &headers,
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
        )
        .await;
    }

    async fn head(&mut self, contract: &Contract) {
        let check = Check::Head;
        let path = &contract.unknown_path;
        let headers = accept("application/json");
        let Some(get) = self.exchange(check, &Method::GET, path, &headers).await else {
            return;
        };
        let Some(head) = self.exchange(check, &Method::HEAD, path, &headers).await else {
            return;
        };
        let described = describe_request(&Method::HEAD, path, &headers);
        let mut problems = Vec::new();
        if head.status != get.status {
            problems.push(format!(
                "status {}, but GET answers {}",
                head.status, get.status
            ));
        }
        if !head.body.is_empty() {
            problems.push(format!("a body of {} bytes", head.body.len()));
        }
        if head.headers.get(CONTENT_LENGTH).is_none() {
            problems.push("no Content-Length".to_owned());
        }
        if varies_on_accept(&head.headers) != varies_on_accept(&get.headers) {
            problems.push("Vary names Accept in one answer only".to_owned());
        }
        for name in [
            CONTENT_TYPE,
            CONTENT_LENGTH,
            ALLOW,
            WWW_AUTHENTICATE,
            RETRY_AFTER,
        ] {
            let values = |headers: &HeaderMap| -> Vec<String> {
                headers
                    .get_all(&name)
                    .iter()
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .collect()
            };
            let (of_get, of_head) = (values(&get.headers), values(&head.headers));
            if of_get != of_head {
                problems.push(format!("{name}: {of_head:?}, but GET answers {of_get:?}"));
            }
        }
        if !problems.is_empty() {
            self.violation(check, &described, problems.join("; "));
        }
    }

    /// The same error in two formats: each parsed, in the syntax asked for, and saying the
    /// same.
    async fn same_error(
        &mut self,
        check: Check,
        contract: &Contract,
        accepts: [&'static str; 2],
        formats: [Format; 2],
    ) {
        let path = &contract.unknown_path;
        let mut parsed = Vec::new();
        for (value, format) in accepts.into_iter().zip(formats) {
            let headers = accept(value);
            let Some(error) = self.error(check, &Method::GET, path, &headers).await else {
                continue;
            };
            if error.format().is_xml() != format.is_xml() {
                let described = describe_request(&Method::GET, path, &headers);
                self.violation(
                    check,
                    &described,
                    format!(
                        "answered in {}, not in {}",
                        content_type_text(error.headers()),
                        if format.is_xml() { "XML" } else { "JSON" }
                    ),
                );
            }
            parsed.push((value, error));
        }
        let [(first_accept, first), (second_accept, second)] = parsed.as_slice() else {
            return;
        };
        let mut differences = Vec::new();
        if first.status() != second.status() {
            differences.push(format!("status {} and {}", first.status(), second.status()));
        }
        if first.code() != second.code() {
            differences.push(format!("code {:?} and {:?}", first.code(), second.code()));
        }
        // XML cannot carry some control characters; the layer writes U+FFFD for them.
        if xml_visible(first.description()) != xml_visible(second.description()) {
            differences.push(format!(
                "description {:?} and {:?}",
                first.description(),
                second.description()
            ));
        }
        if first.uri().map(xml_visible) != second.uri().map(xml_visible) {
            differences.push(format!("URI {:?} and {:?}", first.uri(), second.uri()));
        }
        if !differences.is_empty() {
            self.violation(
                check,
                &format!("GET {path} (Accept: {first_accept}, then {second_accept})"),
                format!("the two answers differ: {}", differences.join("; ")),
            );
        }
    }

    async fn malformed_accept(&mut self, contract: &Contract) {
        const MALFORMED: [&[u8]; 8] = [
            b"application/json;q=",
            b";;,,;=",
            b"*/*;q=2.5",
            b"application/json;q=0.x, application/xml;q=",
            b"text/html;;;q=1;, */",
            b"application/\xff\xfejson",
            b"json",
            b"*/*;q=1;q=0, , application/problem+json;q=-1",
        ];
        let check = Check::MalformedAccept;
        let path = &contract.unknown_path;
        for value in MALFORMED {
            let Ok(value) = HeaderValue::from_bytes(value) else {
                continue;
            };
            let headers = vec![(ACCEPT, value)];
            let Some(exchange) = self.exchange(check, &Method::GET, path, &headers).await else {
                continue;
            };
            let described = describe_request(&Method::GET, path, &headers);
            if exchange.status.is_server_error() {
                let message = format!("a server error: {}", exchange.describe());
                self.violation(check, &described, message);
            } else if let Err(message) = exchange.parse() {
                self.violation(check, &described, message);
            }
        }
    }

    async fn request_id(&mut self, contract: &Contract) {
        let check = Check::RequestId;
        let path = &contract.unknown_path;
        for value in [
            "application/json",
            "application/xml",
            "application/problem+json",
            "application/problem+xml",
        ] {
            let headers = vec![
                (ACCEPT, HeaderValue::from_static(value)),
                (
                    HeaderName::from_static(REQUEST_ID_HEADER),
                    HeaderValue::from_static(REQUEST_ID),
                ),
            ];
            let Some(parsed) = self.error(check, &Method::GET, path, &headers).await else {
                continue;
            };
            if parsed.request_id() != Some(REQUEST_ID) {
                let described = describe_request(&Method::GET, path, &headers);
                let found = match parsed.request_id() {
                    Some(id) => format!("request_id {id:?}"),
                    None => "no request_id".to_owned(),
                };
                self.violation(
                    check,
                    &described,
                    format!(
                        "expected request_id {REQUEST_ID:?}, the body ({}) has {found}",
                        content_type_text(parsed.headers())
                    ),
                );
            }
        }
    }

    async fn panic(&mut self, path: &str, secret: &str) {
        let check = Check::Panic;
        for value in ["application/json", "application/xml"] {
            let headers = accept(value);
            let Some(exchange) = self.exchange(check, &Method::GET, path, &headers).await else {
                continue;
            };
            let described = describe_request(&Method::GET, path, &headers);
            let leaks = |text: &[u8]| {
                !secret.is_empty() && text.windows(secret.len()).any(|w| w == secret.as_bytes())
            };
            if leaks(&exchange.body) {
                self.violation(check, &described, "the body contains the panic message");
            }
            for (name, value) in &exchange.headers {
                if leaks(value.as_bytes()) {
                    self.violation(
                        check,
                        &described,
                        format!("the header {name} contains the panic message"),
                    );
                }
            }
            match exchange.parse() {
                Err(message) => self.violation(check, &described, message),
                Ok(parsed) => {
                    if parsed.status() != StatusCode::INTERNAL_SERVER_ERROR
                        || parsed.code() != "internal_server_error"
                    {
                        self.violation(
                            check,
                            &described,
                            format!(
                                "expected 500 internal_server_error, got {}",
                                parsed.summary()
                            ),
                        );
                    }
                    let texts = std::iter::once(parsed.description()).chain(
                        parsed
                            .field_errors()
                            .iter()
                            .flat_map(|e| [e.field(), e.message()]),
                    );
                    if !secret.is_empty()
                        && !leaks(exchange.body.as_ref())
                        && texts.into_iter().any(|t| t.contains(secret))
                    {
                        self.violation(check, &described, "the body contains the panic message");
                    }
                }
            }
        }
    }

    /// Requests the known route, then reports every route whose error responses, to any
    /// check's request, bypassed the layer (once per route).
    async fn pass_through(&mut self, contract: &Contract) {
        let check = Check::PassThrough;
        let headers = accept("application/json");
        let _ = self
            .exchange(
                check,
                &contract.known_method,
                &contract.known_path,
                &headers,
            )
            .await;
        let mut reported: Vec<(Method, String)> = Vec::new();
        for seen in std::mem::take(&mut self.passed_through) {
            // `HEAD` is served by the `GET` route: one route, reported once.
            let method = match seen.method {
                Method::HEAD => Method::GET,
                method => method,
            };
            let route = (method, seen.path);
            if contract.passes_through(&route.0, &route.1) || reported.contains(&route) {
                continue;
            }
            let (method, path) = &route;
            self.violation(
                check,
                &seen.request,
                format!(
                    "the error layer did not render this answer ({}); it has no ErrorInfo, \
                     so it bypassed the layer. Make {method} {path} return an `ApiError` (or \
                     a `#[derive(ApiError)]` enum) for this error, or opt the route out with \
                     `Contract::allow_pass_through(Method::{method}, {path:?})`",
                    seen.answer
                ),
            );
            reported.push(route);
        }
    }
}
