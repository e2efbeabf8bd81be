//! [`ResponseFuture`], the response future of [`ApiErrorService`](crate::ApiErrorService).

use std::{
    convert::Infallible,
    future::Future,
    marker::PhantomData,
    panic::{catch_unwind, AssertUnwindSafe},
    pin::Pin,
    task::{ready, Context, Poll},
};

use bytes::{Bytes, BytesMut};
use http::{response::Parts, Extensions, Response, StatusCode};
use http_body::Body;
use pin_project_lite::pin_project;

use crate::{
    body::{BodyKind, SameBody},
    respond::{panic_error, OnResponse, Responder, REWRITE_LIMIT},
    ApiError, ErrorOrigin,
};

pin_project! {
    /// Response future for [`ApiErrorService`](crate::ApiErrorService).
    ///
    /// Its output is never an `Err`: every failure of the inner service, its panics included,
    /// is rendered as an error response.
    ///
    /// ```
    /// use std::convert::Infallible;
    ///
    /// use bytes::Bytes;
    /// use http::{Request, Response, StatusCode};
    /// use http_body_util::Full;
    /// use tower::{service_fn, Service, ServiceExt};
    /// use tower_api_error::{ApiError, ApiErrorService, ResponseFuture};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let mut service = ApiErrorService::new(service_fn(|_: Request<Full<Bytes>>| async {
    ///     Err::<Response<Full<Bytes>>, _>(ApiError::not_found("No item with id 42."))
    /// }));
    /// let future: ResponseFuture<_, Full<Bytes>> =
    ///     service.ready().await?.call(Request::new(Full::default()));
    /// let response: Result<Response<Full<Bytes>>, Infallible> = future.await;
    /// assert_eq!(response?.status(), StatusCode::NOT_FOUND);
    /// # Ok(())
    /// # }
    /// ```
    #[derive(Debug)]
    pub struct ResponseFuture<F, B, K = SameBody> {
        #[pin]
        kind: Kind<F, B>,
        responder: Responder,
        // The body kind names the output's type only: `fn` keeps it out of auto traits.
        body_kind: PhantomData<fn() -> K>,
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
            error: Option<(ApiError, ErrorOrigin)>,
        },
        // Answered without calling the inner service: `406 Not Acceptable`, made in advance,
        // in the extension map of the request it answers (`None` once answered).
        NotAcceptable {
            extensions: Option<Extensions>,
        },
    }
}

/// The head of a plain error response and the part of its body read so far.
#[derive(Debug)]
struct Collected {
    parts: Parts,
    buf: BytesMut,
}

impl<F, B, K> ResponseFuture<F, B, K> {
    pub(crate) fn inner(future: F, responder: Responder) -> Self {
        Self {
            kind: Kind::Inner { future },
            responder,
            body_kind: PhantomData,
        }
    }

    pub(crate) fn failed(error: ApiError, origin: ErrorOrigin, responder: Responder) -> Self {
        Self {
            kind: Kind::Failed {
                error: Some((error, origin)),
            },
            responder,
            body_kind: PhantomData,
        }
    }

    pub(crate) fn not_acceptable(extensions: Extensions, responder: Responder) -> Self {
        Self {
            kind: Kind::NotAcceptable {
                extensions: Some(extensions),
            },
            responder,
            body_kind: PhantomData,
        }
    }
}

/// Whether the layer's error policy looks at a response with `status`: 4xx and 5xx.
#[inline]
fn is_error(status: StatusCode) -> bool {
    status.is_client_error() || status.is_server_error()
}

const POLLED_AFTER_COMPLETION: &str = "future polled after completion";

impl<F, B, E, K> Future for ResponseFuture<F, B, K>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: Into<ApiError>,
    B: Body<Data = Bytes>,
    K: BodyKind<B>,
{
    type Output = Result<Response<K::Body>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let responder: &Responder = this.responder;
        loop {
            match this.kind.as_mut().project() {
                KindProj::Inner { mut future } => {
                    let result = if responder.catch_panics() {
                        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
                            Ok(poll) => ready!(poll),
                            Err(payload) => {
                                let response = responder.error_response::<B, K>(
                                    panic_error(payload.as_ref()),
                                    ErrorOrigin::Panic,
                                );
                                return Poll::Ready(Ok(response));
                            }
                        }
                    } else {
                        ready!(future.poll(cx))
                    };
                    let response = match result {
                        // A success goes out as it came, without the error policy's call and
                        // the bigger value it returns, moved once more.
                        Ok(response) if !is_error(response.status()) => {
                            return Poll::Ready(Ok(response.map(K::inner)));
                        }
                        Ok(response) => response,
                        Err(err) => {
                            let err = err.into();
                            return Poll::Ready(Ok(
                                responder.error_response::<B, K>(err, ErrorOrigin::Service)
                            ));
                        }
                    };
                    match responder.on_response::<B, K>(response) {
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
                    return Poll::Ready(Ok(responder.rewrite::<B, K>(parts, &text)));
                }
                KindProj::Failed { error } => {
                    let (error, origin) = error.take().expect(POLLED_AFTER_COMPLETION);
                    return Poll::Ready(Ok(responder.error_response::<B, K>(error, origin)));
                }
                KindProj::NotAcceptable { extensions } => {
                    let extensions = extensions.take().expect(POLLED_AFTER_COMPLETION);
                    return Poll::Ready(Ok(responder.not_acceptable::<B, K>(extensions)));
                }
            }
        }
    }
}
