//! Responses: `IntoResponse` for [`ApiError`], and [`Negotiated`] for success bodies in the
//! negotiated format.

use std::{
    convert::Infallible,
    pin::Pin,
    task::{Context, Poll},
};

use axum::{
    body::Body,
    response::{IntoResponse, Response},
};
use bytes::{BufMut, Bytes, BytesMut};
use http::header::CONTENT_TYPE;
use http_body::{Frame, SizeHint};
use serde::Serialize;

use crate::{error::SharedError, render, ApiError, ErrorInfo, ErrorOrigin, Format};

/// A JSON error response, correct on its own. The error travels with it in the response's
/// extensions, so that [`ApiErrorLayer`](crate::ApiErrorLayer), if present, renders it again in
/// the negotiated format, with its `error_uri` base, and logs it.
///
/// ```
/// use axum::response::IntoResponse;
/// use http::{header::CONTENT_TYPE, StatusCode};
/// use tower_api_error::ApiError;
///
/// let response = ApiError::not_found("No item with id 42.").into_response();
/// assert_eq!(response.status(), StatusCode::NOT_FOUND);
/// assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
/// ```
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut parts = render::parts(&self);
        // Behind the layer this body is dropped unread: the layer renders the error again in its
        // own format. So it is rendered only when read, its length worked out now for
        // `Content-Length`.
        let len = render::json_body_len(&self);
        render::set_json_headers(&mut parts.headers, len);
        // The record and the body share the error's own allocation.
        let body = LazyJson {
            error: Some(self.share()),
            len,
        };
        parts
            .extensions
            .insert(ErrorInfo::new(self, ErrorOrigin::Handler));
        Response::from_parts(parts, Body::new(body))
    }
}

/// The JSON body of `ApiError`'s `IntoResponse`, rendered when first polled: exactly the bytes
/// `render::body` gives, of the length `render::json_body_len` gave.
struct LazyJson {
    /// A handle that shares the error's allocation with its `ErrorInfo`.
    error: Option<SharedError>,
    /// The body's length.
    len: usize,
}

impl http_body::Body for LazyJson {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        Poll::Ready(this.error.take().map(|error| {
            let body = render::body(&error, Format::Json, None, None);
            debug_assert_eq!(body.len(), this.len, "the length promised for {error:?}");
            Ok(Frame::data(body))
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.error.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(if self.error.is_some() {
            self.len as u64
        } else {
            0
        })
    }
}

/// A response whose body is `T` serialized in a [`Format`] (the problem details formats meaning
/// their [seed](Format::seed) formats here, since a success is no problem): with serde_json, or with quick-xml
/// under a root element named after `T`'s serde name (so `struct Item` gives `<Item>`), after an
/// XML declaration naming UTF-8. The response has the format's `Content-Type` and
/// `Vary: Accept`.
///
/// If `T` cannot be serialized in the format (quick-xml cannot write a bare sequence or a
/// primitive as a document, for instance), the response is a masked `500`
/// [`ApiError`](struct@ApiError) that keeps the serializer's error for the log.
///
/// ```
/// use axum::response::IntoResponse;
/// use http::header::CONTENT_TYPE;
/// use tower_api_error::{Format, Negotiated};
///
/// #[derive(serde::Serialize)]
/// struct Item {
///     id: u64,
/// }
///
/// let response = Negotiated::new(Format::Xml, Item { id: 7 }).into_response();
/// assert_eq!(response.headers()[CONTENT_TYPE], "application/xml; charset=utf-8");
/// ```
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Negotiated<T> {
    format: Format,
    value: T,
}

impl<T> Negotiated<T> {
    /// `value`, to be sent in `format`.
    pub fn new(format: Format, value: T) -> Self {
        Self { format, value }
    }
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

impl<T: Serialize> IntoResponse for Negotiated<T> {
    fn into_response(self) -> Response {
        // A success is no problem: the problem details formats send their syntax's seed type.
        let format = self.format.seed();
        let body = match format {
            Format::Json => {
                let mut writer = BytesMut::with_capacity(128).writer();
                serde_json::to_writer(&mut writer, &self.value)
                    .map(|()| writer.into_inner().freeze())
                    .map_err(ApiError::from_serializer)
            }
            _ => {
                let mut text = String::with_capacity(128);
                text.push_str(XML_DECLARATION);
                quick_xml::se::to_writer(&mut text, &self.value)
                    .map(|_| text.into())
                    .map_err(ApiError::from_serializer)
            }
        };
        match body {
            Ok(body) => {
                let mut response = Response::new(Body::from(body));
                let headers = response.headers_mut();
                headers.insert(CONTENT_TYPE, format.content_type());
                render::add_vary_accept(headers);
                response
            }
            Err(err) => err.into_response(),
        }
    }
}

impl ApiError {
    fn from_serializer(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        ApiError::internal_server_error("could not serialize the response body").with_source(err)
    }
}
