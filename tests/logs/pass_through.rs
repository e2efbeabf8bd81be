//! An error response the layer passes through untouched (not rendered, not rewritten) is logged
//! at `debug`, with its status, and method and path when the layer takes them; it carries no
//! `ErrorInfo`.
//!
//! Every test here runs with a log subscriber, one at a time (see `support::logs::logs_while`).

use crate::support;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    routing::get,
    Json, Router,
};
use serde_json::json;
use support::logs::logs_while;
use tower::ServiceExt;
use tower_api_error::{ApiErrorLayer, ErrorInfo};

/// A route answering its conflict in its own JSON shape, which the layer passes through, and
/// one answering a success.
fn routes() -> Router {
    Router::new()
        .route(
            "/items/{id}",
            get(|| async { (StatusCode::CONFLICT, Json(json!({"message": "taken"}))) }),
        )
        .route("/ok", get(|| async { "fine" }))
}

/// Sends `GET path` through `layer` with a subscriber at `level`; returns the status, whether
/// the response has an `ErrorInfo`, and the logs.
fn get_with(layer: ApiErrorLayer, level: tracing::Level, path: &str) -> (StatusCode, bool, String) {
    let ((status, has_info), logs) = logs_while(level, async {
        let request = Request::get(path)
            .header(header::ACCEPT, "application/json")
            .header("x-request-id", "req-7")
            .body(Body::empty())
            .unwrap();
        let response = routes().layer(layer).oneshot(request).await.unwrap();
        (
            response.status(),
            response.extensions().get::<ErrorInfo>().is_some(),
        )
    });
    (status, has_info, logs)
}

#[test]
fn a_passed_through_error_is_logged_at_debug_with_its_route() {
    let layer = ApiErrorLayer::new().log_method_and_path(true);
    let (status, has_info, logs) = get_with(layer, tracing::Level::DEBUG, "/items/1");
    println!("{logs}");
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(!has_info, "the layer did not render it: no ErrorInfo");
    let line = logs
        .lines()
        .find(|line| line.contains("error response passed through"))
        .unwrap_or_else(|| panic!("no line in {logs}"));
    for expected in [
        "DEBUG",
        "tower_api_error",
        "status=409",
        "method=\"GET\"",
        "path=\"/items/1\"",
        "request_id=\"req-7\"",
    ] {
        assert!(line.contains(expected), "{expected} missing from {line}");
    }
    assert_eq!(logs.lines().count(), 1, "{logs}");
}

#[test]
fn by_default_the_event_has_the_status_but_not_the_route() {
    // The layer takes method and path only with `log_method_and_path`, so that successes cost
    // nothing; the request's span (tower-http's `TraceLayer`) carries them otherwise.
    let (_, _, logs) = get_with(ApiErrorLayer::new(), tracing::Level::DEBUG, "/items/1");
    println!("{logs}");
    let line = logs
        .lines()
        .find(|line| line.contains("error response passed through"))
        .unwrap_or_else(|| panic!("no line in {logs}"));
    assert!(line.contains("status=409"), "{line}");
    assert!(!line.contains("method="), "{line}");
    assert!(!line.contains("path="), "{line}");
}

#[test]
fn the_event_is_debug_only_and_never_for_a_success() {
    let layer = ApiErrorLayer::new().log_method_and_path(true);
    let (_, _, logs) = get_with(layer.clone(), tracing::Level::INFO, "/items/1");
    assert!(logs.is_empty(), "{logs}");
    let (status, has_info, logs) = get_with(layer, tracing::Level::TRACE, "/ok");
    assert_eq!(status, StatusCode::OK);
    assert!(!has_info);
    assert!(!logs.contains("tower_api_error"), "{logs}");
}
