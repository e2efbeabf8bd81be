//! [`ResponseFuture`], the response future of [`ApiErrorService`](crate::ApiErrorService).

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{ready, Context, Poll},
};

use bytes::Bytes;
use http::{response::Parts, Response};
use http_body::Body;
use pin_project_lite::pin_project;

use crate::{render, ApiError, Format, ResponseBody};

pin_project! {
    /// Response future for [`ApiErrorService`](crate::ApiErrorService).
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        kind: Kind<F>,
    }
}

pin_project! {
    #[project = KindProj]
    #[derive(Debug)]
    enum Kind<F> {
        Inner {
            #[pin]
            future: F,
            ctx: Option<Ctx>,
        },
        // Answered without calling the inner service (406, or the inner service failed to
        // become ready).
        Ready {
            response: Option<Response<Bytes>>,
        },
    }
}

/// What the future needs to render an error: decided in `call`, used only if something fails.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub(crate) format: Format,
    pub(crate) head: bool,
    pub(crate) error_uri_base: Option<Arc<str>>,
}

impl<F> ResponseFuture<F> {
    pub(crate) fn inner(future: F, ctx: Ctx) -> Self {
        Self {
            kind: Kind::Inner {
                future,
                ctx: Some(ctx),
            },
        }
    }

    pub(crate) fn ready(response: Response<Bytes>) -> Self {
        Self {
            kind: Kind::Ready {
                response: Some(response),
            },
        }
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: Into<ApiError>,
    B: Body<Data = Bytes>,
{
    type Output = Result<Response<ResponseBody<B>>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Inner { future, ctx } => {
                let result = ready!(future.poll(cx));
                let ctx = ctx.take().expect("future polled after completion");
                Poll::Ready(Ok(match result {
                    Ok(response) => ctx.on_response(response),
                    Err(err) => ctx.error_response(&err.into()).map(ResponseBody::error),
                }))
            }
            KindProj::Ready { response } => {
                let response = response.take().expect("future polled after completion");
                Poll::Ready(Ok(response.map(ResponseBody::error)))
            }
        }
    }
}

impl Ctx {
    /// A response of the inner service: successes pass through untouched; an error response
    /// that carries an [`ApiError`] (from its `IntoResponse`) is rendered again in the
    /// negotiated format.
    fn on_response<B>(self, response: Response<B>) -> Response<ResponseBody<B>> {
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return response.map(ResponseBody::inner);
        }
        self.on_error_response(response)
    }

    #[cfg(feature = "axum")]
    fn on_error_response<B>(self, response: Response<B>) -> Response<ResponseBody<B>> {
        let (mut parts, body) = response.into_parts();
        match parts.extensions.remove::<crate::error::ErrorExtension>() {
            Some(crate::error::ErrorExtension(err)) => {
                let body = self.render(&err, &mut parts);
                Response::from_parts(parts, ResponseBody::error(body))
            }
            None => Response::from_parts(parts, ResponseBody::inner(body)),
        }
    }

    #[cfg(not(feature = "axum"))]
    fn on_error_response<B>(self, response: Response<B>) -> Response<ResponseBody<B>> {
        response.map(ResponseBody::inner)
    }

    /// A new response for `err`.
    pub(crate) fn error_response(&self, err: &ApiError) -> Response<Bytes> {
        let mut parts = render::parts(err);
        let body = self.render(err, &mut parts);
        Response::from_parts(parts, body)
    }

    /// Logs `err`, sets the body headers on `parts` and returns the body (empty for `HEAD`).
    fn render(&self, err: &ApiError, parts: &mut Parts) -> Bytes {
        #[cfg(feature = "tracing")]
        crate::log::error(err);
        let body = render::body(err, self.format, self.error_uri_base.as_deref());
        render::set_body_headers(&mut parts.headers, self.format, &body);
        render::add_vary_accept(&mut parts.headers);
        if self.head {
            Bytes::new()
        } else {
            body
        }
    }
}
