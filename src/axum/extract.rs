//! The [`Format`] extractor.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use http::request::Parts;

use crate::{negotiate::negotiate, Format};

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
