//! What the layer logs in the README's stack: one event per failure inside `TraceLayer`'s span,
//! a timeout logged at `error` whichever timeout fired, nested layers logging once with the path
//! the client sent, and the source of an unexpected error.
//!
//! Every test here captures logs, one at a time (see [`support::logs::logs_while`]): a
//! subscriber of one test must not decide what the callsites of another record.

use crate::support;
use axum::{
    http::{header, StatusCode},
    routing::get,
    Router,
};
use support::{logs::logs_while, stack::*};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer, Format};
use tower_http::trace::TraceLayer;

/// tower's timeout (an `Elapsed` error) and tower-http's (an empty response with the status it
/// was given) answer alike: the status, the body and the log level.
#[test]
fn one_timeout_contract() {
    let tower_timeout = || {
        Router::new()
            .route(
                "/slow",
                get(slow).layer(
                    ServiceBuilder::new()
                        .layer(ApiErrorLayer::new())
                        .layer(tower::timeout::TimeoutLayer::new(TIMEOUT)),
                ),
            )
            .layer(ApiErrorLayer::new().error_uri_base(DOCS))
    };
    for accept in ["application/json", "application/xml"] {
        let request = || get_req("/slow", &[("accept", accept)]);
        let (from_tower_http, logs) = logs_while(tracing::Level::INFO, call(app(), request()));
        let (from_tower, tower_logs) =
            logs_while(tracing::Level::INFO, call(tower_timeout(), request()));
        for ((status, headers, parsed), logs) in [(from_tower_http, logs), (from_tower, tower_logs)]
        {
            assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{accept}");
            assert_eq!(
                headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .contains("xml"),
                accept.contains("xml")
            );
            assert_eq!(parsed.error, "gateway_timeout");
            assert_eq!(
                parsed.error_description,
                "The server did not answer in time. Please try the request again."
            );
            assert_eq!(
                parsed.error_uri.as_deref(),
                Some("https://docs.example.com/errors#gateway_timeout")
            );
            let failures: Vec<_> = logs.lines().filter(|l| l.contains("ERROR")).collect();
            assert_eq!(failures.len(), 1, "{logs}");
            assert!(failures[0].contains("status=504"), "{logs}");
        }
    }
}

/// The README's `TraceLayer` setup logs each failure once, inside the request's span, with no
/// field of the span repeated; the defaults of both sides log it twice.
#[test]
fn one_log_event_per_failure_with_trace_layer() {
    let ((), logs) = logs_while(tracing::Level::INFO, async {
        app().oneshot(get_req("/panic", &[])).await.unwrap();
    });
    let failures: Vec<_> = logs.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(failures.len(), 1, "{logs}");
    let line = failures[0];
    assert!(line.contains("request{method=GET uri=/panic"), "{line}");
    assert!(line.contains("code=\"internal_server_error\""), "{line}");
    assert!(line.contains("SECRET panic payload"), "{line}");
    assert!(!line.contains("method=\"GET\""), "{line}");
    assert!(!line.contains("path="), "{line}");

    let defaults = api().layer(
        ServiceBuilder::new()
            .layer(TraceLayer::new_for_http())
            .layer(ApiErrorLayer::new()),
    );
    let ((), logs) = logs_while(tracing::Level::INFO, async {
        defaults.oneshot(get_req("/panic", &[])).await.unwrap();
    });
    assert_eq!(
        logs.lines().filter(|l| l.contains("ERROR")).count(),
        2,
        "{logs}"
    );
}

/// A per-route layer inside `Router::nest`, inside the router's layer.
mod nested {
    use super::*;

    fn app(inner: ApiErrorLayer) -> Router {
        let v1 = Router::new().route(
            "/slow",
            get(slow).layer(
                ServiceBuilder::new()
                    .layer(inner)
                    .layer(tower::timeout::TimeoutLayer::new(TIMEOUT)),
            ),
        );
        Router::new()
            .nest("/v1", v1)
            .layer(ApiErrorLayer::new().error_uri_base(DOCS))
    }

    #[test]
    fn the_inner_layer_answers_with_the_outer_configuration_and_logs_once() {
        for accept in ["application/json", "application/xml"] {
            let ((status, _, parsed), logs) = logs_while(
                tracing::Level::DEBUG,
                call(
                    app(ApiErrorLayer::new().log_method_and_path(true)),
                    get_req("/v1/slow", &[("accept", accept)]),
                ),
            );
            assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
            assert_eq!(
                parsed.error_uri.as_deref(),
                Some("https://docs.example.com/errors#gateway_timeout"),
                "{accept}"
            );
            let events: Vec<_> = logs
                .lines()
                .filter(|l| l.contains("tower_api_error"))
                .collect();
            assert_eq!(events.len(), 1, "{logs}");
            assert!(events[0].contains("path=\"/v1/slow\""), "{logs}");
        }
    }

    #[test]
    fn the_inner_layers_own_configuration_wins() {
        let (answers, logs) = logs_while(tracing::Level::ERROR, async {
            let inner = ApiErrorLayer::new().error_uri_base("https://other.example/errors");
            let own_base = call(app(inner), get_req("/v1/slow", &[])).await;
            // A tie between JSON and XML goes to the inner layer's default format, if it has one.
            let tie = [("accept", "application/json, application/xml")];
            let outer_format = call(app(ApiErrorLayer::new()), get_req("/v1/slow", &tie)).await;
            let inner = ApiErrorLayer::new().default_format(Format::Xml);
            let own_format = call(app(inner), get_req("/v1/slow", &tie)).await;
            [own_base, outer_format, own_format]
        });
        let [(_, _, own_base), (_, json, outer_format), (_, xml, own_format)] = answers;
        assert_eq!(
            own_base.error_uri.as_deref(),
            Some("https://other.example/errors#gateway_timeout")
        );
        assert_eq!(json[header::CONTENT_TYPE], "application/json");
        assert_eq!(outer_format.error, "gateway_timeout");
        assert_eq!(xml[header::CONTENT_TYPE], "application/xml; charset=utf-8");
        assert_eq!(
            own_format.error_uri.as_deref(),
            Some("https://docs.example.com/errors#gateway_timeout")
        );
        // Three requests, three events.
        assert_eq!(logs.matches("request failed").count(), 3, "{logs}");
    }
}

/// `map_err(ApiError::unexpected)?` on any error: the masked 500, the source in the log only.
#[test]
fn question_mark_on_any_error() {
    async fn io_error() -> Result<String, ApiError> {
        std::fs::read_to_string("/no/such/dir/config.toml").map_err(ApiError::unexpected)
    }
    async fn json_error() -> Result<String, ApiError> {
        let value: serde_json::Value =
            serde_json::from_str("{SECRET json").map_err(ApiError::unexpected)?;
        Ok(value.to_string())
    }
    async fn boxed_error() -> Result<String, ApiError> {
        let failed: Result<(), Box<dyn std::error::Error + Send + Sync>> =
            Err("SECRET boxed failure".into());
        failed.map_err(ApiError::unexpected)?;
        Ok(String::new())
    }
    let app = || {
        Router::new()
            .route("/io", get(io_error))
            .route("/json", get(json_error))
            .route("/boxed", get(boxed_error))
            .layer(ApiErrorLayer::new())
    };
    for (path, logged) in [
        ("/io", "No such file or directory"),
        ("/json", "key must be a string"),
        ("/boxed", "SECRET boxed failure"),
    ] {
        for accept in ["application/json", "application/xml"] {
            let ((status, _, parsed), logs) = logs_while(
                tracing::Level::ERROR,
                call(app(), get_req(path, &[("accept", accept)])),
            );
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
            assert_eq!(parsed.error, "internal_server_error");
            assert_eq!(
                parsed.error_description,
                "An unexpected error occurred and it was not possible to complete the request."
            );
            assert!(logs.contains(logged), "{path}: {logs}");
        }
    }
}

/// The log event quotes the request id the body quotes, so a client's report of a masked 500
/// leads to its log line.
#[test]
fn the_log_event_quotes_the_request_id() {
    let id = "0f9c2a7e-1d2b-4c3e-9f00-1234567890ab";
    let ((_, _, parsed), logs) = logs_while(
        tracing::Level::INFO,
        call(app(), get_req("/panic", &[("x-request-id", id)])),
    );
    assert_eq!(parsed.error, "internal_server_error");
    let failures: Vec<_> = logs.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(failures.len(), 1, "{logs}");
    assert!(
        failures[0].contains(&format!("request_id=\"{id}\"")),
        "{logs}"
    );
}
