//! The [`Format`] and [`Language`](crate::language::Language) extractors.

use std::convert::Infallible;

use axum::extract::{FromRef, FromRequestParts};
use http::request::Parts;

use crate::{
    language::{Language, Languages},
    negotiate::negotiate,
    Format,
};

/// Extracts the format the request's `Accept` asks for, by the same [rules](crate::negotiate)
/// the layer applies to error bodies (JSON breaking the last tie).
///
/// It never rejects: a request that accepts neither format gets JSON (behind the layer such
/// requests are answered `406` before they reach the handler, unless that is turned off).
///
/// ```
/// use axum::{body::Body, http::{header, Request}, routing::get, Router};
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
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
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let app = Router::new().route("/item", get(item)).layer(ApiErrorLayer::new());
///
/// let request = Request::get("/item")
///     .header(header::ACCEPT, "application/xml")
///     .body(Body::empty())?;
/// let response = app.oneshot(request).await?;
/// assert_eq!(response.headers()[header::CONTENT_TYPE], "application/xml; charset=utf-8");
/// let body = response.into_body().collect().await?.to_bytes();
/// assert!(body.ends_with(b"<Item><id>1</id></Item>"));
/// # Ok(())
/// # }
/// ```
impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // The headers are negotiated again rather than the layer's result taken from the
        // request extensions, so that requests whose handlers do not ask for it pay nothing.
        Ok(negotiate(&parts.headers, Format::Json).unwrap_or(Format::Json))
    }
}

/// See [`Language`].
impl<S> FromRequestParts<S> for Language
where
    S: Send + Sync,
    Languages: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let languages = Languages::from_ref(state);
        Ok(Language::new(languages.negotiate(&parts.headers).clone()))
    }
}
