//! Conversions from axum's extractor rejections into [`ApiError`](struct@crate::ApiError) (feature
//! `axum`).
//!
//! Each rejection keeps the status axum gives it, which already tells syntax from semantics:
//!
//! | rejection | status | code |
//! |---|---|---|
//! | malformed syntax (`JsonSyntaxError`, a path or query value that does not parse, a form that does not parse) | 400 | `invalid_parameter`; `invalid_value_parameter` for [`QueryRejection`] |
//! | data that parses but does not fit the type (`JsonDataError`, `FailedToDeserializeFormBody`) | 422 | `unprocessable_entity` |
//! | missing or wrong `Content-Type` (`MissingJsonContentType`, `InvalidFormContentType`) | 415 | `unsupported_media_type` |
//! | body over the limit (`LengthLimitError`) | 413 | `payload_too_large` |
//! | a server-side mistake (`MissingPathParams`, ...) | 500 | `internal_server_error`, masked |
//!
//! The description is axum's text for the rejection (for 5xx statuses only logged), and the
//! rejection is kept as the error's source.
//!
//! ```
//! use axum::{
//!     body::Body,
//!     extract::rejection::JsonRejection,
//!     http::{header, Request, StatusCode},
//!     routing::post,
//!     Json, Router,
//! };
//! use http_body_util::BodyExt;
//! use tower::ServiceExt;
//! use tower_api_error::{ApiError, ApiErrorLayer};
//!
//! #[derive(serde::Deserialize)]
//! struct NewItem {
//!     name: String,
//! }
//!
//! async fn create(body: Result<Json<NewItem>, JsonRejection>) -> Result<String, ApiError> {
//!     let Json(item) = body?;
//!     Ok(item.name)
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let app = Router::new().route("/items", post(create)).layer(ApiErrorLayer::new());
//!
//! let request = Request::post("/items")
//!     .header(header::CONTENT_TYPE, "application/json")
//!     .body(Body::from(r#"{"nom": "kiwi"}"#))?;
//! let response = app.oneshot(request).await?;
//! assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
//! let body = response.into_body().collect().await?.to_bytes();
//! let body: serde_json::Value = serde_json::from_slice(&body)?;
//! assert_eq!(body["error"], "unprocessable_entity");
//! # Ok(())
//! # }
//! ```
//!
//! Handlers that take the extractor directly (`Json<T>`, `Query<T>`, ...) get the same codes:
//! axum then answers with a `text/plain` rejection, which the layer
//! [rewrites](crate::ApiErrorLayer::rewrite_plain_errors) with the code of the table above.

use axum::extract::rejection::{
    BytesRejection, FormRejection, JsonRejection, PathRejection, QueryRejection, RawFormRejection,
    StringRejection,
};
use http::StatusCode;

use crate::{code, ApiError};

fn from_rejection(status: StatusCode, text: String, bad_request_code: &'static str) -> ApiError {
    if status == StatusCode::BAD_REQUEST {
        ApiError::new(status, bad_request_code, text)
    } else {
        ApiError::from_status(status).with_description(text)
    }
}

macro_rules! from_rejections {
    ($($rejection:ident => $bad_request_code:expr,)*) => {
        $(
            #[doc = concat!("See the [module docs](self) for the mapping of [`", stringify!($rejection), "`].")]
            impl From<$rejection> for ApiError {
                fn from(rejection: $rejection) -> Self {
                    from_rejection(rejection.status(), rejection.body_text(), $bad_request_code)
                        .with_source(rejection)
                }
            }
        )*
    };
}

from_rejections! {
    JsonRejection => code::INVALID_PARAMETER,
    PathRejection => code::INVALID_PARAMETER,
    QueryRejection => code::INVALID_VALUE_PARAMETER,
    FormRejection => code::INVALID_PARAMETER,
    RawFormRejection => code::INVALID_PARAMETER,
    BytesRejection => code::INVALID_PARAMETER,
    StringRejection => code::INVALID_PARAMETER,
}

/// The code for a plain error response that axum made for a rejection, where its text says more
/// than its status: a handler that takes `Query<T>` directly answers with the same code as one
/// that converts the [`QueryRejection`] with `?`. The tests take every extractor both ways, so
/// a change of axum's text fails them.
pub(crate) fn code_for_text(status: StatusCode, text: &str) -> Option<&'static str> {
    (status == StatusCode::BAD_REQUEST && text.starts_with("Failed to deserialize query string"))
        .then_some(code::INVALID_VALUE_PARAMETER)
}
