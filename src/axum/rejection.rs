//! Conversions from axum's extractor rejections into [`ApiError`]; the mapping is documented on
//! `ApiError` (`src/docs/axum_rejections.md`).

use axum::extract::rejection::{
    BytesRejection, FormRejection, JsonRejection, PathRejection, QueryRejection, RawFormRejection,
    StringRejection,
};
use http::StatusCode;

use crate::{code, ApiError};

fn from_rejection(status: StatusCode, text: String, bad_request_code: &'static str) -> ApiError {
    let err = if status == StatusCode::BAD_REQUEST {
        ApiError::new(status, bad_request_code, "")
    } else {
        ApiError::from_status(status)
    };
    // axum's text, in English: a client answered in another language gets the code's
    // description in it instead (see `language::Languages`).
    err.with_framework_description(text)
}

macro_rules! from_rejections {
    ($($rejection:ident => $bad_request_code:expr,)*) => {
        $(
            #[doc = concat!("The mapping of `", stringify!($rejection), "`: see [`ApiError`](struct@ApiError#from-axums-extractor-rejections).")]
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
