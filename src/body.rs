//! [`ResponseBody`], the response body of [`ApiErrorService`](crate::ApiErrorService).

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use pin_project_lite::pin_project;

pin_project! {
    /// Response body of [`ApiErrorService`](crate::ApiErrorService): the inner service's body,
    /// untouched, or an error body rendered by the layer.
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

/// What the responses of [`ApiErrorService`](crate::ApiErrorService) carry as their body: chosen
/// with [`ApiErrorLayer::same_body`](crate::ApiErrorLayer::same_body), [`WrapBody`] otherwise.
///
/// Sealed: the two kinds are [`WrapBody`] and [`SameBody`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot make error responses with a body of type `{B}`",
    note = "`ApiErrorLayer::same_body` needs an inner body type with `From<Bytes>` \
            (axum's `Body`, `Full<Bytes>`); without `same_body` any body type works"
)]
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

/// The default [`BodyKind`]: responses carry a [`ResponseBody`], around the inner service's body
/// or the layer's own error body, whatever the inner body's type.
#[derive(Debug, Clone, Copy, Default)]
pub struct WrapBody;

/// The [`BodyKind`] of [`ApiErrorLayer::same_body`](crate::ApiErrorLayer::same_body): responses
/// carry the inner service's own body type, which makes the layer's error bodies with
/// `From<Bytes>` (axum's `Body`, http-body-util's `Full<Bytes>`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SameBody;

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

impl<B: Body<Data = Bytes> + From<Bytes>> BodyKind<B> for SameBody {
    type Body = B;

    #[inline]
    fn inner(body: B) -> Self::Body {
        body
    }

    fn error(bytes: Bytes) -> Self::Body {
        B::from(bytes)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::WrapBody {}
    impl Sealed for super::SameBody {}
}
