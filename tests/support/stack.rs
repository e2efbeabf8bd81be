//! The README's recommended stack of tower-http layers around a few routes, and helpers to
//! call it, for `tests/stacks/tower_http_stack.rs` and `tests/logs/tower_http_logs.rs`.

use std::time::Duration;

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, StatusCode},
    routing::get,
    Router,
};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::ApiErrorLayer;
use tower_http::{
    compression::CompressionLayer,
    cors::CorsLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultMakeSpan, TraceLayer},
};

use super::{read_error, Parsed};

pub const ORIGIN: &str = "http://localhost:5173";
pub const DOCS: &str = "https://docs.example.com/errors";
pub const TIMEOUT: Duration = Duration::from_millis(50);

pub async fn ok() -> &'static str {
    "fine"
}

pub async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "too late"
}

pub async fn panics() -> &'static str {
    panic!("SECRET panic payload")
}

pub async fn health() -> &'static str {
    "ok"
}

pub fn api() -> Router {
    Router::new()
        .route("/items/1", get(ok))
        .route("/slow", get(slow))
        .route("/panic", get(panics))
}

/// The README's stack: tracing outermost, compression and CORS outside the error layer (so that
/// its error bodies are compressed and carry CORS headers), the timeout inside it (so that a
/// timeout is coded), and plain routes added after the layers.
pub fn app() -> Router {
    api()
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                        .on_failure(()),
                )
                .layer(CompressionLayer::new())
                .layer(CorsLayer::new().allow_origin(HeaderValue::from_static(ORIGIN)))
                .layer(
                    ApiErrorLayer::new()
                        .error_uri_base(DOCS)
                        .log_method_and_path(false),
                )
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::GATEWAY_TIMEOUT,
                    TIMEOUT,
                )),
        )
        .route("/health", get(health))
}

pub fn get_req(path: &str, headers: &[(&str, &str)]) -> Request {
    let mut builder = Request::get(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

pub async fn call(app: Router, request: Request) -> (StatusCode, http::HeaderMap, Parsed) {
    read_error(app.oneshot(request).await.unwrap()).await
}
