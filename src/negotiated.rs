//! Success bodies in the negotiated format (feature `axum`): the [`Format`] extractor and the
//! [`Negotiated`] response.

use std::convert::Infallible;

use axum::{
    extract::FromRequestParts,
    response::{IntoResponse, Response},
};
use bytes::{BufMut, BytesMut};
use http::{header::CONTENT_TYPE, request::Parts};
use serde::Serialize;

use crate::{negotiate::negotiate, render, ApiError, Format};

/// Extracts the format the request's `Accept` asks for, by the same [rules](crate::negotiate)
/// the layer applies to error bodies (JSON breaking the last tie).
///
/// It never rejects: a request that accepts neither format gets JSON (behind the layer such
/// requests are answered `406` before they reach the handler, unless that is turned off).
/// Negotiation reads the headers again rather than taking the layer's result from the
/// request extensions, so that requests whose handlers do not ask for it pay nothing.
///
/// ```
/// use axum::{routing::get, Router};
/// use tower_api_error::{ApiErrorLayer, Format, Negotiated};
///
/// #[derive(serde::Serialize)]
/// struct Item {
///     id: u64,
/// }
///
/// async fn item(format: Format) -> Negotiated<Item> {
///     Negotiated::new(format, Item { id: 1 })
/// }
///
/// let app: Router = Router::new().route("/item", get(item)).layer(ApiErrorLayer::new());
/// # let _ = app;
/// ```
impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(negotiate(&parts.headers, Format::Json).unwrap_or(Format::Json))
    }
}

/// A response whose body is `T` serialized in a [`Format`]: with serde_json, or with quick-xml
/// under a root element named after `T`'s serde name (so `struct Item` gives `<Item>`), after an
/// XML declaration naming UTF-8. The response has the format's `Content-Type` and
/// `Vary: Accept`.
///
/// If `T` cannot be serialized in the format (quick-xml cannot write a bare sequence or a
/// primitive as a document, for instance), the response is a masked `500` [`ApiError`] that
/// keeps the serializer's error for the log.
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
        let body = match self.format {
            Format::Json => {
                let mut writer = BytesMut::with_capacity(128).writer();
                serde_json::to_writer(&mut writer, &self.value)
                    .map(|()| writer.into_inner().freeze())
                    .map_err(ApiError::from_serializer)
            }
            Format::Xml | Format::TextXml => {
                let mut text = String::with_capacity(128);
                text.push_str(XML_DECLARATION);
                quick_xml::se::to_writer(&mut text, &self.value)
                    .map(|_| text.into())
                    .map_err(ApiError::from_serializer)
            }
        };
        match body {
            Ok(body) => {
                let mut response = Response::new(axum::body::Body::from(body));
                let headers = response.headers_mut();
                headers.insert(CONTENT_TYPE, self.format.content_type());
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
