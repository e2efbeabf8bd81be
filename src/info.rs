//! [`ErrorInfo`], the record of an error that the layer leaves in the extensions of every error
//! response it produces, for the layers around it.

use http::StatusCode;

use crate::{error::SharedError, language::Chosen, options::UriBase, ApiError, Format};

/// What an error response of the layer was made from: in the response's extensions, for the
/// layers outside it (metrics, tracing) to read without parsing the body.
///
/// Every response the layer renders carries one, its own `406` included, and so does every
/// response of `ApiError`'s `IntoResponse`; a success response carries none, and the layer does
/// no work for it. Cloning it is one reference count.
///
/// So a 4xx or 5xx response without one is an error response the layer did not render: it passed
/// through untouched (a body other than an empty or small `text/plain` one, see [the rewrite
/// rules](crate::ApiErrorLayer::rewrite_plain_errors)), or a layer outside made it. The layer
/// logs such a response at `debug` (feature `tracing`), and the test kit's contract check
/// reports it (`testing::Check::PassThrough`, feature `testing`).
///
/// It is also how the layer knows an error it rendered, or one that `IntoResponse` made: a
/// layer further out renders the error again with its own configuration, without logging it a
/// second time (see [nested layers](crate::ApiErrorLayer#nested-layers)). It has no public
/// constructor.
///
/// ```
/// use bytes::Bytes;
/// use http::{Request, Response, StatusCode};
/// use http_body_util::Full;
/// use tower::{ServiceBuilder, ServiceExt};
/// use tower_api_error::{ApiError, ApiErrorLayer, ErrorInfo, ErrorOrigin};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let service = ServiceBuilder::new().layer(ApiErrorLayer::new()).service_fn(
///     |_: Request<Full<Bytes>>| async {
///         Err::<Response<Full<Bytes>>, _>(ApiError::not_found("No item with id 42."))
///     },
/// );
/// let response = service.oneshot(Request::new(Full::default())).await?;
///
/// let info = response.extensions().get::<ErrorInfo>().unwrap();
/// assert_eq!(info.code(), "not_found");
/// assert_eq!(info.status(), StatusCode::NOT_FOUND);
/// assert_eq!(info.origin(), ErrorOrigin::Service);
/// assert_eq!(info.error().description(), "No item with id 42.");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub(crate) error: SharedError,
    pub(crate) origin: ErrorOrigin,
    /// Set once a layer has rendered (and logged) the error.
    pub(crate) rendered: Option<RenderedWith>,
}

/// What the layers that rendered an error were configured with themselves (not inherited): a
/// layer further out keeps these and fills in the rest from its own options, so that a nested
/// layer's own choices win and the configuration is written once, on the outer layer.
#[derive(Debug, Clone)]
pub(crate) struct RenderedWith {
    pub(crate) format: Option<Format>,
    pub(crate) uri_base: Option<UriBase>,
    /// The language chosen by the first layer with languages.
    pub(crate) language: Option<Chosen>,
}

/// Where the error of an [`ErrorInfo`] came from.
///
/// ```
/// use bytes::Bytes;
/// use http::{header, Request, Response, StatusCode};
/// use http_body_util::Full;
/// use tower::{service_fn, ServiceExt};
/// use tower_api_error::{ApiError, ApiErrorService, ErrorInfo, ErrorOrigin};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let service = ApiErrorService::new(service_fn(|_: Request<Full<Bytes>>| async {
///     Ok::<_, ApiError>(Response::new(Full::<Bytes>::default()))
/// }));
///
/// // A client that accepts neither JSON nor XML gets the layer's own `406`.
/// let request = Request::get("/").header(header::ACCEPT, "text/csv").body(Full::default())?;
/// let response = service.oneshot(request).await?;
/// assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
/// let origin = response.extensions().get::<ErrorInfo>().unwrap().origin();
/// assert_eq!(origin, ErrorOrigin::NotAcceptable);
/// assert_eq!(origin.as_str(), "not_acceptable");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorOrigin {
    /// An [`ApiError`](struct@ApiError) (or an enum with `#[derive(ApiError)]`) that became a
    /// response through axum's `IntoResponse`: an axum handler's `Err`, typically.
    Handler,
    /// The `Err` of the inner service: an `ApiError` it failed with, or a tower error (a
    /// timeout, an overload) converted into one; also a failed `poll_ready`.
    Service,
    /// An error response that something other than an `ApiError` made (axum's `404`, an
    /// extractor's rejection, a tower-http layer's empty response), rewritten by the layer (see
    /// [`rewrite_plain_errors`](crate::ApiErrorLayer::rewrite_plain_errors)).
    Rewritten,
    /// A panic of the inner service, answered as a masked `500`.
    Panic,
    /// The layer's own `406 Not Acceptable` to a request that accepts no error format.
    NotAcceptable,
}

impl ErrorOrigin {
    /// A name for logs and metrics: `handler`, `service`, `rewritten`, `panic` or
    /// `not_acceptable`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorOrigin::Handler => "handler",
            ErrorOrigin::Service => "service",
            ErrorOrigin::Rewritten => "rewritten",
            ErrorOrigin::Panic => "panic",
            ErrorOrigin::NotAcceptable => "not_acceptable",
        }
    }
}

impl ErrorInfo {
    /// The record of an error that no layer has rendered yet.
    pub(crate) fn new(error: impl Into<SharedError>, origin: ErrorOrigin) -> Self {
        Self {
            error: error.into(),
            origin,
            rendered: None,
        }
    }

    /// The error's code, sent as `error`: a low-cardinality identifier, documented in the
    /// application's catalogue, which OpenTelemetry's `error.type` may carry.
    pub fn code(&self) -> &str {
        self.error.code()
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.error.status()
    }

    /// Where the error came from.
    pub fn origin(&self) -> ErrorOrigin {
        self.origin
    }

    /// The whole error, with what the client does not get: a 5xx error's own description and
    /// its [source](std::error::Error::source), for a layer that logs or records it.
    pub fn error(&self) -> &ApiError {
        &self.error
    }
}
