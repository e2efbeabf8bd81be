//! [`ResponseFuture`], the response future of [`ApiErrorService`](crate::ApiErrorService).

use std::{
    any::Any,
    convert::Infallible,
    future::Future,
    panic::{catch_unwind, AssertUnwindSafe},
    pin::Pin,
    sync::Arc,
    task::{ready, Context, Poll},
};

use bytes::{Bytes, BytesMut};
use http::{
    header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING},
    response::Parts,
    HeaderMap, Response, StatusCode,
};
use http_body::Body;
use pin_project_lite::pin_project;

use crate::{
    layer::{NotAcceptable, Settings, UriBase},
    render, ApiError, Format, ResponseBody,
};

/// The largest body of a framework-made error response that is read to be rewritten.
pub(crate) const REWRITE_LIMIT: usize = 4096;

pin_project! {
    /// Response future for [`ApiErrorService`](crate::ApiErrorService).
    #[derive(Debug)]
    pub struct ResponseFuture<F, B> {
        #[pin]
        kind: Kind<F, B>,
        ctx: Ctx,
    }
}

pin_project! {
    // Every state but `Inner` is on an error path; they are kept small, so that the future a
    // successful request moves around is hardly bigger than the inner one.
    #[project = KindProj]
    #[derive(Debug)]
    enum Kind<F, B> {
        // Waiting for the inner service.
        Inner {
            #[pin]
            future: F,
        },
        // Reading the small plain-text or empty body of an error response made by something
        // other than `ApiError`, to rewrite it.
        Collecting {
            #[pin]
            body: B,
            collected: Option<Box<Collected>>,
        },
        // Answered without calling the inner service: a failed `poll_ready` or a panic in
        // `call`.
        Failed {
            error: Option<ApiError>,
        },
        // Answered without calling the inner service: `406 Not Acceptable`, made in advance.
        NotAcceptable {
            settings: Option<Arc<Settings>>,
        },
    }
}

/// The head of a plain error response and the part of its body read so far.
#[derive(Debug)]
struct Collected {
    parts: Parts,
    buf: BytesMut,
}

/// What the future needs to render an error: decided in `call`, used only if something fails.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) format: Format,
    pub(crate) head: bool,
    pub(crate) rewrite_plain_errors: bool,
    pub(crate) catch_panics: bool,
    pub(crate) error_uri_base: Option<UriBase>,
    /// Method and path for the log line; only taken when a log line could be written.
    #[cfg(feature = "tracing")]
    pub(crate) request: Option<crate::log::RequestLine>,
}

impl<F, B> ResponseFuture<F, B> {
    pub(crate) fn inner(future: F, ctx: Ctx) -> Self {
        Self {
            kind: Kind::Inner { future },
            ctx,
        }
    }

    pub(crate) fn failed(error: ApiError, ctx: Ctx) -> Self {
        Self {
            kind: Kind::Failed { error: Some(error) },
            ctx,
        }
    }

    pub(crate) fn not_acceptable(settings: Arc<Settings>, ctx: Ctx) -> Self {
        Self {
            kind: Kind::NotAcceptable {
                settings: Some(settings),
            },
            ctx,
        }
    }
}

const POLLED_AFTER_COMPLETION: &str = "future polled after completion";

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: Into<ApiError>,
    B: Body<Data = Bytes>,
{
    type Output = Result<Response<ResponseBody<B>>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let ctx: &Ctx = this.ctx;
        loop {
            match this.kind.as_mut().project() {
                KindProj::Inner { mut future } => {
                    let result = if ctx.catch_panics {
                        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
                            Ok(poll) => ready!(poll),
                            Err(payload) => {
                                let response = ctx.error_response(&panic_error(payload.as_ref()));
                                return Poll::Ready(Ok(response));
                            }
                        }
                    } else {
                        ready!(future.poll(cx))
                    };
                    let response = match result {
                        Ok(response) => response,
                        Err(err) => return Poll::Ready(Ok(ctx.error_response(&err.into()))),
                    };
                    match ctx.on_response(response) {
                        OnResponse::Done(response) => return Poll::Ready(Ok(response)),
                        OnResponse::Collect(parts, body) => {
                            this.kind.set(Kind::Collecting {
                                body,
                                collected: Some(Box::new(Collected {
                                    parts,
                                    buf: BytesMut::new(),
                                })),
                            });
                        }
                    }
                }
                KindProj::Collecting {
                    mut body,
                    collected,
                } => {
                    let Collected { buf, .. } =
                        collected.as_deref_mut().expect(POLLED_AFTER_COMPLETION);
                    // The body's size hint promised at most `REWRITE_LIMIT` bytes. A body that
                    // breaks that promise, fails or sends trailers loses its text, not the rewrite.
                    let text = match ready!(body.as_mut().poll_frame(cx)) {
                        Some(Ok(frame)) => match frame.into_data() {
                            Ok(data) if buf.len() + data.len() <= REWRITE_LIMIT => {
                                buf.extend_from_slice(&data);
                                continue;
                            }
                            _ => Bytes::new(),
                        },
                        Some(Err(_)) => Bytes::new(),
                        None => std::mem::take(buf).freeze(),
                    };
                    let Collected { parts, .. } = *collected.take().expect(POLLED_AFTER_COMPLETION);
                    return Poll::Ready(Ok(ctx.rewrite(parts, &text)));
                }
                KindProj::Failed { error } => {
                    let error = error.take().expect(POLLED_AFTER_COMPLETION);
                    return Poll::Ready(Ok(ctx.error_response(&error)));
                }
                KindProj::NotAcceptable { settings } => {
                    let settings = settings.take().expect(POLLED_AFTER_COMPLETION);
                    return Poll::Ready(Ok(ctx.not_acceptable(&settings.not_acceptable)));
                }
            }
        }
    }
}

/// What to do with a response of the inner service.
enum OnResponse<B> {
    Done(Response<ResponseBody<B>>),
    /// A plain error response to read and rewrite.
    Collect(Parts, B),
}

impl Ctx {
    fn on_response<B: Body>(&self, response: Response<B>) -> OnResponse<B> {
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return OnResponse::Done(response.map(ResponseBody::inner));
        }
        let (mut parts, body) = response.into_parts();
        if let Some(err) = carried_error(&mut parts) {
            let body = self.render(&err, &mut parts);
            return OnResponse::Done(Response::from_parts(parts, ResponseBody::error(body)));
        }
        if self.rewrite_plain_errors && is_plain(&parts.headers, &body) {
            return OnResponse::Collect(parts, body);
        }
        OnResponse::Done(Response::from_parts(parts, ResponseBody::inner(body)))
    }

    /// Replaces the plain body `text` of an error response with a rendered one.
    fn rewrite<B>(&self, mut parts: Parts, text: &[u8]) -> Response<ResponseBody<B>> {
        let mut err = ApiError::from_status(parts.status);
        if let Ok(text) = std::str::from_utf8(text) {
            let text = text.trim();
            if !text.is_empty() {
                // Masked by `ApiError` for 5xx: there it only reaches the log.
                err = err.with_description(text.to_owned());
            }
        }
        // For `HEAD`, something inside (axum's top-level route, say) may have dropped the
        // text the `GET` would carry; then the `GET`'s length is unknown, and RFC 9110
        // (section 8.6) allows leaving `Content-Length` out but not stating a wrong one.
        let text_dropped = self.head
            && text.is_empty()
            && parts
                .headers
                .get(CONTENT_LENGTH)
                .is_some_and(|length| length.as_bytes() != b"0");
        parts.headers.remove(TRANSFER_ENCODING);
        let body = self.render(&err, &mut parts);
        if text_dropped {
            parts.headers.remove(CONTENT_LENGTH);
        }
        Response::from_parts(parts, ResponseBody::error(body))
    }

    /// A new response for `err`.
    fn error_response<B>(&self, err: &ApiError) -> Response<ResponseBody<B>> {
        let mut parts = render::parts(err);
        let body = self.render(err, &mut parts);
        Response::from_parts(parts, ResponseBody::error(body))
    }

    /// The `406 Not Acceptable` response, made in advance in the default format.
    fn not_acceptable<B>(&self, prepared: &NotAcceptable) -> Response<ResponseBody<B>> {
        #[cfg(feature = "tracing")]
        crate::log::not_acceptable(self.request.as_ref());
        let body = if self.head {
            Bytes::new()
        } else {
            prepared.body.clone()
        };
        let mut response = Response::new(ResponseBody::error(body));
        *response.status_mut() = StatusCode::NOT_ACCEPTABLE;
        *response.headers_mut() = prepared.headers.clone();
        response
    }

    /// Logs `err`, sets the body headers on `parts` and returns the body (empty for `HEAD`).
    fn render(&self, err: &ApiError, parts: &mut Parts) -> Bytes {
        #[cfg(feature = "tracing")]
        crate::log::error(err, self.request.as_ref());
        let base = self.error_uri_base.as_ref().map(UriBase::as_str);
        let body = render::body(err, self.format, base);
        render::add_vary_accept(&mut parts.headers);
        render::set_body_headers(&mut parts.headers, self.format, &body);
        if self.head {
            Bytes::new()
        } else {
            body
        }
    }
}

/// The [`ApiError`] that made this response with its `IntoResponse`, if any.
#[cfg(feature = "axum")]
fn carried_error(parts: &mut Parts) -> Option<Arc<ApiError>> {
    let crate::error::ErrorExtension(err) = parts.extensions.remove()?;
    Some(err)
}

#[cfg(not(feature = "axum"))]
fn carried_error(_parts: &mut Parts) -> Option<Arc<ApiError>> {
    None
}

/// Whether an error response is one a framework made with a plain body: `Content-Type` absent
/// or `text/plain`, not encoded, and a body whose size hint says it has at most
/// [`REWRITE_LIMIT`] bytes. Bodies of unknown size pass through untouched: they are streams,
/// which frameworks do not use for their error responses.
fn is_plain<B: Body>(headers: &HeaderMap, body: &B) -> bool {
    let plain = match headers.get(CONTENT_TYPE) {
        None => true,
        Some(value) => {
            let essence = value.as_bytes().split(|&b| b == b';').next().unwrap_or(&[]);
            essence.trim_ascii().eq_ignore_ascii_case(b"text/plain")
        }
    };
    let small = body
        .size_hint()
        .upper()
        .is_some_and(|upper| upper <= REWRITE_LIMIT as u64);
    plain && small && !headers.contains_key(CONTENT_ENCODING)
}

/// The masked 500 for a panic, its payload kept as the description for the log only.
pub(crate) fn panic_error(payload: &(dyn Any + Send)) -> ApiError {
    let message = if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.as_str()
    } else {
        "(a payload that is not a string)"
    };
    ApiError::internal_server_error(format!("the handler panicked: {message}"))
}
