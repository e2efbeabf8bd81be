//! Everything behind the `axum` feature: `IntoResponse` for [`ApiError`](crate::ApiError), the
//! conversions from axum's extractor [rejections](rejection), the [`Format`](crate::Format)
//! extractor, and the [`Negotiated`] response for success bodies.

pub(crate) mod rejection;

mod extract;
mod response;

pub use response::Negotiated;
