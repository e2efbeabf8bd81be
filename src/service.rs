//! [`ApiErrorService`], the middleware.

use std::{
    convert::Infallible,
    fmt,
    marker::PhantomData,
    panic::{catch_unwind, AssertUnwindSafe},
    sync::Arc,
    task::{ready, Context, Poll},
};

use bytes::Bytes;
use http::{Method, Request, Response};
use http_body::Body;
use tower_service::Service;

use crate::{
    body::{BodyKind, SameBody},
    language::KeptAcceptLanguage,
    negotiate::negotiate_request,
    request_id::RequestId,
    respond::{panic_error, Responder, Settings},
    ApiError, ApiErrorLayer, ErrorOrigin, ResponseFuture,
};

/// Middleware that turns every failure of the inner service into a coded error response in the
/// format the client accepts.
///
/// Use [`ApiErrorLayer`] to apply it. See the [crate documentation](crate) for what it does.
///
/// # Errors
///
/// The service never fails: its `Error` is [`Infallible`], so it can be used where axum wants an
/// infallible service without `HandleErrorLayer`.
///
/// * An `Err` of the inner service's future is converted into an [`ApiError`](struct@crate::ApiError) and rendered.
/// * A panic in the inner service's `call` or while polling its future becomes a masked
///   `500 internal_server_error` (see [`ApiErrorLayer::catch_panics`]).
/// * An `Err` of the inner service's `poll_ready` is kept, `poll_ready` reports ready, and the next
///   call answers with that error rendered, without calling the inner service (which is not
///   ready). The call after that polls the inner service for readiness again. This follows
///   tower's rule that a service whose `poll_ready` failed must not be called.
///
/// # Example
///
/// ```
/// use bytes::Bytes;
/// use http::{header, Request, Response, StatusCode};
/// use http_body_util::{BodyExt, Full};
/// use tower::{service_fn, BoxError, ServiceExt};
/// use tower_api_error::ApiErrorService;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// // An inner service that fails with a plain error, not an `ApiError`.
/// let service = ApiErrorService::new(service_fn(|_: Request<Full<Bytes>>| async {
///     Err::<Response<Full<Bytes>>, BoxError>("the database is down".into())
/// }));
///
/// let request = Request::get("/").header(header::ACCEPT, "application/xml").body(Full::default())?;
/// let response = service.oneshot(request).await?;
/// assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
/// let body = response.into_body().collect().await?.to_bytes();
/// let body = std::str::from_utf8(&body)?;
/// // The message of a 5xx error reaches the log, never the client.
/// assert!(body.contains("<error>internal_server_error</error>"), "{body}");
/// assert!(!body.contains("database"), "{body}");
/// # Ok(())
/// # }
/// ```
pub struct ApiErrorService<S, K = SameBody> {
    inner: S,
    settings: Arc<Settings>,
    ready_error: Option<ApiError>,
    body_kind: PhantomData<fn() -> K>,
}

impl<S> ApiErrorService<S> {
    /// Wraps `inner` with the default settings of [`ApiErrorLayer::new`].
    pub fn new(inner: S) -> Self {
        Self::with_settings(inner, Arc::new(Settings::default()))
    }

    /// Returns a new [`ApiErrorLayer`] with the default settings.
    pub fn layer() -> ApiErrorLayer {
        ApiErrorLayer::new()
    }
}

impl<S, K> ApiErrorService<S, K> {
    pub(crate) fn with_settings(inner: S, settings: Arc<Settings>) -> Self {
        Self {
            inner,
            settings,
            ready_error: None,
            body_kind: PhantomData,
        }
    }

    #[cfg(test)]
    pub(crate) fn settings(&self) -> &Arc<Settings> {
        &self.settings
    }

    /// Gets a reference to the inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// Gets a mutable reference to the inner service.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Consumes `self`, returning the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

/// A clone starts without the readiness error of the original: it has not been polled.
impl<S: Clone, K> Clone for ApiErrorService<S, K> {
    fn clone(&self) -> Self {
        Self::with_settings(self.inner.clone(), self.settings.clone())
    }
}

impl<S: fmt::Debug, K> fmt::Debug for ApiErrorService<S, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiErrorService")
            .field("inner", &self.inner)
            .field("settings", &self.settings)
            .field("ready_error", &self.ready_error)
            .finish()
    }
}

impl<S, K, ReqBody, ResBody> Service<Request<ReqBody>> for ApiErrorService<S, K>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Error: Into<ApiError>,
    ResBody: Body<Data = Bytes>,
    K: BodyKind<ResBody>,
{
    type Response = Response<K::Body>;
    type Error = Infallible;
    type Future = ResponseFuture<S::Future, ResBody, K>;

    #[inline]
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        if self.ready_error.is_none() {
            if let Err(err) = ready!(self.inner.poll_ready(cx)) {
                self.ready_error = Some(err.into());
            }
        }
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        let options = &self.settings.options;
        let default_format = options.default_format();
        // One look-up for the negotiation, the request id and, when the layer chooses a
        // language, `Accept-Language`.
        // perf: a layer with one language does not even compare names with `Accept-Language`
        // (ledger: "errors in the client's language").
        let (headers, problems) = (req.headers(), options.problem_details);
        let request_id_header = options.request_id_header.as_ref();
        let read = if options.choosing_language().is_some() {
            negotiate_request::<true>(headers, default_format, problems, request_id_header)
        } else {
            negotiate_request::<false>(headers, default_format, problems, request_id_header)
        };
        let negotiated = read.format;
        let (reject, catch_panics) = (options.reject_not_acceptable, options.catch_panics);
        let responder = Responder {
            format: options
                .problem_details
                .apply(negotiated.unwrap_or(default_format)),
            head: req.method() == Method::HEAD,
            request_id: read.extra.and_then(RequestId::of),
            accept_language: read.accept_language.map(|first| {
                KeptAcceptLanguage::capture(first, read.more_accept_language, req.headers())
            }),
            #[cfg(feature = "tracing")]
            request: if options.log_method_and_path {
                crate::log::RequestLine::capture(&req)
            } else {
                None
            },
            settings: self.settings.clone(),
        };
        if let Some(err) = self.ready_error.take() {
            return ResponseFuture::failed(err, ErrorOrigin::Service, responder);
        }
        if negotiated.is_none() && reject {
            let mut req = req;
            let extensions = std::mem::take(req.extensions_mut());
            return ResponseFuture::not_acceptable(extensions, responder);
        }
        if !catch_panics {
            return ResponseFuture::inner(self.inner.call(req), responder);
        }
        // After a panic the future is dropped, never polled again; the inner service is used
        // again as tower-http's `CatchPanic` does, its own state being its own business.
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(req))) {
            Ok(future) => ResponseFuture::inner(future, responder),
            Err(payload) => {
                ResponseFuture::failed(panic_error(payload.as_ref()), ErrorOrigin::Panic, responder)
            }
        }
    }
}
