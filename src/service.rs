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
    negotiate::negotiate_request,
    request_id::RequestId,
    respond::{panic_error, Ctx},
    settings::Settings,
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
        let settings = &self.settings;
        let default_format = settings.default_format();
        // One look-up for the negotiation and the request id.
        let (negotiated, request_id) = negotiate_request(
            req.headers(),
            default_format,
            settings.problem_details,
            settings.request_id_header.as_ref(),
        );
        let (reject, catch_panics) = (settings.reject_not_acceptable, settings.catch_panics);
        let ctx = Ctx {
            format: settings
                .problem_details
                .apply(negotiated.unwrap_or(default_format)),
            head: req.method() == Method::HEAD,
            request_id: request_id.and_then(RequestId::of),
            #[cfg(feature = "tracing")]
            request: if settings.log_method_and_path {
                crate::log::RequestLine::capture(&req)
            } else {
                None
            },
            settings: self.settings.clone(),
        };
        if let Some(err) = self.ready_error.take() {
            return ResponseFuture::failed(err, ErrorOrigin::Service, ctx);
        }
        if negotiated.is_none() && reject {
            let mut req = req;
            let extensions = std::mem::take(req.extensions_mut());
            return ResponseFuture::not_acceptable(extensions, ctx);
        }
        if !catch_panics {
            return ResponseFuture::inner(self.inner.call(req), ctx);
        }
        // After a panic the future is dropped, never polled again; the inner service is used
        // again as tower-http's `CatchPanic` does, its own state being its own business.
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(req))) {
            Ok(future) => ResponseFuture::inner(future, ctx),
            Err(payload) => {
                ResponseFuture::failed(panic_error(payload.as_ref()), ErrorOrigin::Panic, ctx)
            }
        }
    }
}
