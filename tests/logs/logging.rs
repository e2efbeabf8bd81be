//! Logging (feature `tracing`): 5xx at `error` with the source chain, and method and path when
//! asked; 4xx at `debug`; nothing for successes.

use crate::support;
use std::io;

use axum::{body::Body, http::Request, routing::get, Router};
use support::logs::logs_while;
use tower::ServiceExt;
use tower_api_error::{ApiError, ApiErrorLayer};

#[derive(Debug)]
struct Outer(io::Error);

impl std::fmt::Display for Outer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("could not load the item")
    }
}

impl std::error::Error for Outer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn app() -> Router {
    routes().layer(ApiErrorLayer::new().log_method_and_path(true))
}

fn routes() -> Router {
    Router::new()
        .route("/ok", get(|| async { "fine" }))
        .route(
            "/fail",
            get(|| async {
                Err::<(), _>(
                    ApiError::internal_server_error("SECRET internal")
                        .with_source(Outer(io::Error::other("db-3 refused"))),
                )
            }),
        )
        .route(
            "/missing",
            get(|| async { Err::<(), _>(ApiError::not_found("No item 9.")) }),
        )
}

/// Runs requests with a subscriber at `level` and returns what it wrote.
fn logs_of(level: tracing::Level, paths: &[&str]) -> String {
    let ((), logs) = logs_while(level, async {
        for path in paths {
            let request = Request::get(*path).body(Body::empty()).unwrap();
            app().oneshot(request).await.unwrap();
        }
    });
    logs
}

#[test]
fn server_errors_are_logged_with_the_request_and_source_chain() {
    let logs = logs_of(tracing::Level::ERROR, &["/fail"]);
    assert!(logs.contains("ERROR"), "{logs}");
    for expected in [
        "status=500",
        "code=\"internal_server_error\"",
        "method=\"GET\"",
        "path=\"/fail\"",
        "description=\"SECRET internal\"",
        "source=could not load the item: db-3 refused",
    ] {
        assert!(logs.contains(expected), "{expected} missing from {logs}");
    }
}

#[test]
fn client_errors_are_logged_at_debug_only() {
    let logs = logs_of(tracing::Level::INFO, &["/missing"]);
    assert!(logs.is_empty(), "{logs}");
    let logs = logs_of(tracing::Level::DEBUG, &["/missing"]);
    let line = logs
        .lines()
        .find(|line| line.contains("request rejected"))
        .unwrap_or_else(|| panic!("no line in {logs}"));
    assert!(
        line.contains("DEBUG") && line.contains("status=404"),
        "{line}"
    );
    assert!(line.contains("path=\"/missing\""), "{line}");
}

#[test]
fn successes_are_not_logged() {
    let logs = logs_of(tracing::Level::TRACE, &["/ok"]);
    assert!(!logs.contains("tower_api_error"), "{logs}");
}

/// By default the event leaves the request to the span around it: no method, no path (and so
/// nothing copied from requests that succeed).
#[test]
fn method_and_path_are_left_to_the_span_by_default() {
    let ((), logs) = logs_while(tracing::Level::DEBUG, async {
        for path in ["/fail", "/missing"] {
            let request = Request::get(path).body(Body::empty()).unwrap();
            routes()
                .layer(ApiErrorLayer::new())
                .oneshot(request)
                .await
                .unwrap();
        }
    });
    let events: Vec<_> = logs
        .lines()
        .filter(|line| line.contains("tower_api_error"))
        .collect();
    assert_eq!(events.len(), 2, "{logs}");
    for line in events {
        assert!(line.contains("code=\""), "{line}");
        assert!(!line.contains("method="), "{line}");
        assert!(!line.contains("path="), "{line}");
    }
}
