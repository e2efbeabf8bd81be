//! `IntoResponse` for [`ApiError`] (feature `axum`).

use axum::{
    body::Body,
    response::{IntoResponse, Response},
};

use crate::{render, respond::Carried, ApiError, Format};

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
        let body = render::body(&self, Format::Json, None);
        render::set_body_headers(&mut parts.headers, Format::Json, &body);
        parts.extensions.insert(Carried::new(self));
        Response::from_parts(parts, Body::from(body))
    }
}
