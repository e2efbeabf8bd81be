//! The response body of [`ApiErrorService`](crate::ApiErrorService).
//!
//! By default the layer answers with the inner service's own body type and makes its error
//! bodies of that type too ([`SameBody`]): axum's `Body` and http-body-util's `Full<Bytes>` can
//! hold them (see [`ErrorBody`]), so an axum `Router` wrapped in the layer is still an axum
//! service, and a success passes through without a new body type around it. Any other inner
//! body (tower-http's `CompressionBody`, a boxed body) needs
//! [`ApiErrorLayer::wrap_body`](crate::ApiErrorLayer::wrap_body): responses then carry a
//! [`ResponseBody`] around the inner body or the error body ([`WrapBody`]).
//!
//! ```
//! use bytes::Bytes;
//! use http::{Request, Response, StatusCode};
//! use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full};
//! use tower::{ServiceBuilder, ServiceExt};
//! use tower_api_error::{body::ResponseBody, ApiError, ApiErrorLayer};
//!
//! type Boxed = UnsyncBoxBody<Bytes, std::convert::Infallible>;
//!
//! async fn handle(_: Request<Full<Bytes>>) -> Result<Response<Boxed>, ApiError> {
//!     Err(ApiError::not_found("No item with id 42."))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! // A boxed body is not an `ErrorBody`: the layer wraps it.
//! let service = ServiceBuilder::new()
//!     .layer(ApiErrorLayer::new().wrap_body())
//!     .service_fn(handle);
//! let response: Response<ResponseBody<Boxed>> =
//!     service.oneshot(Request::new(Full::default())).await?;
//! assert_eq!(response.status(), StatusCode::NOT_FOUND);
//! let body = response.into_body().collect().await?.to_bytes();
//! assert_eq!(body, r#"{"error":"not_found","error_description":"No item with id 42."}"#);
//! # Ok(())
//! # }
//! ```

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use pin_project_lite::pin_project;

pin_project! {
    /// Response body of [`ApiErrorService`](crate::ApiErrorService) with
    /// [`wrap_body`](crate::ApiErrorLayer::wrap_body): the inner service's body, untouched, or
    /// an error body rendered by the layer.
    ///
    /// See the [module documentation](self) for an example.
    #[derive(Debug)]
    pub struct ResponseBody<B> {
        #[pin]
        kind: Kind<B>,
    }
}

pin_project! {
    #[project = KindProj]
    #[derive(Debug)]
    enum Kind<B> {
        Inner { #[pin] body: B },
        Error { #[pin] body: Full<Bytes> },
    }
}

impl<B> ResponseBody<B> {
    pub(crate) fn inner(body: B) -> Self {
        Self {
            kind: Kind::Inner { body },
        }
    }

    pub(crate) fn error(bytes: Bytes) -> Self {
        Self {
            kind: Kind::Error {
                body: Full::new(bytes),
            },
        }
    }
}

/// The inner body's default, so that tower-http's `Cors` and `Timeout`, which make responses of
/// their own with `Default`, can wrap the layer's service.
impl<B: Default> Default for ResponseBody<B> {
    fn default() -> Self {
        Self::inner(B::default())
    }
}

impl<B> Body for ResponseBody<B>
where
    B: Body<Data = Bytes>,
{
    type Data = Bytes;
    type Error = B::Error;

    #[inline]
    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        match self.project().kind.project() {
            KindProj::Inner { body } => body.poll_frame(cx),
            KindProj::Error { body } => body.poll_frame(cx).map_err(|never| match never {}),
        }
    }

    #[inline]
    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Inner { body } => body.is_end_stream(),
            Kind::Error { body } => body.is_end_stream(),
        }
    }

    #[inline]
    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Inner { body } => body.size_hint(),
            Kind::Error { body } => body.size_hint(),
        }
    }
}

/// A body type the layer makes its error bodies of, for the default [`SameBody`].
///
/// Implemented for axum's `Body` (feature `axum`) and http-body-util's `Full<Bytes>`; implement
/// it for a body type of your own that can hold a whole error body. For an inner body that
/// cannot (tower-http's `CompressionBody`, a boxed body), use
/// [`ApiErrorLayer::wrap_body`](crate::ApiErrorLayer::wrap_body) instead: a stack that needs
/// it does not compile without it, and the compiler's message says so.
///
/// ```
/// use bytes::Bytes;
/// use http_body_util::{BodyExt, Full};
/// use tower_api_error::body::ErrorBody;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let body = <Full<Bytes> as ErrorBody>::from_error(Bytes::from_static(b"{}"));
/// assert_eq!(body.collect().await.unwrap().to_bytes(), "{}");
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`ApiErrorLayer` cannot make its error bodies as `{Self}`",
    label = "the inner service answers with `{Self}`, which is not an `ErrorBody`",
    note = "call `.wrap_body()` on the layer (`ApiErrorLayer::new().wrap_body()`): its \
            responses then carry `tower_api_error::body::ResponseBody<{Self}>`, which wraps any \
            body type"
)]
pub trait ErrorBody: Body<Data = Bytes> + Sized {
    /// The body holding a whole rendered error body.
    fn from_error(bytes: Bytes) -> Self;
}

impl ErrorBody for Full<Bytes> {
    #[inline]
    fn from_error(bytes: Bytes) -> Self {
        Full::new(bytes)
    }
}

#[cfg(feature = "axum")]
impl ErrorBody for axum::body::Body {
    #[inline]
    fn from_error(bytes: Bytes) -> Self {
        axum::body::Body::from(bytes)
    }
}

/// What the responses of [`ApiErrorService`](crate::ApiErrorService) carry as their body:
/// [`SameBody`] by default, [`WrapBody`] with
/// [`ApiErrorLayer::wrap_body`](crate::ApiErrorLayer::wrap_body).
///
/// Sealed: the two kinds are [`SameBody`] and [`WrapBody`]. See the
/// [module documentation](self) for an example.
pub trait BodyKind<B>: sealed::Sealed {
    /// The response body.
    type Body: Body<Data = Bytes>;

    /// The inner service's body, passed on untouched.
    #[doc(hidden)]
    fn inner(body: B) -> Self::Body;

    /// An error body the layer rendered.
    #[doc(hidden)]
    fn error(bytes: Bytes) -> Self::Body;
}

/// The default [`BodyKind`]: responses carry the inner service's own body type, an
/// [`ErrorBody`] (axum's `Body`, http-body-util's `Full<Bytes>`), which holds the layer's error
/// bodies too.
///
/// See the [module documentation](self) for an example.
#[derive(Debug, Clone, Copy, Default)]
pub struct SameBody;

/// The [`BodyKind`] of [`ApiErrorLayer::wrap_body`](crate::ApiErrorLayer::wrap_body): responses
/// carry a [`ResponseBody`], around the inner service's body or the layer's own error body,
/// whatever the inner body's type.
///
/// See the [module documentation](self) for an example.
#[derive(Debug, Clone, Copy, Default)]
pub struct WrapBody;

impl<B: Body<Data = Bytes>> BodyKind<B> for WrapBody {
    type Body = ResponseBody<B>;

    #[inline]
    fn inner(body: B) -> Self::Body {
        ResponseBody::inner(body)
    }

    fn error(bytes: Bytes) -> Self::Body {
        ResponseBody::error(bytes)
    }
}

impl<B: ErrorBody> BodyKind<B> for SameBody {
    type Body = B;

    #[inline]
    fn inner(body: B) -> Self::Body {
        body
    }

    fn error(bytes: Bytes) -> Self::Body {
        B::from_error(bytes)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::WrapBody {}
    impl Sealed for super::SameBody {}
}
