//! `ErrorInfo` in the extensions of every error response the layer produces, for the layers
//! around it: the code, the status and where the error came from; nothing on a success. And the
//! README's recipes that read it: OpenTelemetry's `error.type` on tower-http's request span (the
//! demo's `RecordErrorType`), and errors counted by code.
//!
//! Every test here runs with a log subscriber, one at a time (see `support::logs::logs_while`).

use crate::server;
use crate::support;
use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::Body,
    extract::rejection::JsonRejection,
    http::{header, Request, Response, StatusCode},
    routing::{get, post},
    Json, Router,
};
use support::logs::logs_while;
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer, ErrorInfo, ErrorOrigin};

async fn send(app: Router, request: Request<Body>) -> Response<Body> {
    app.oneshot(request).await.unwrap()
}

fn get_req(path: &str, accept: &str) -> Request<Body> {
    Request::get(path)
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .unwrap()
}

fn info(response: &Response<Body>) -> Option<(String, StatusCode, ErrorOrigin)> {
    response
        .extensions()
        .get::<ErrorInfo>()
        .map(|info| (info.code().to_owned(), info.status(), info.origin()))
}

async fn panics() -> &'static str {
    panic!("SECRET")
}

fn api() -> Router {
    Router::new()
        .route("/ok", get(|| async { "fine" }))
        .route(
            "/handler",
            get(|| async { Err::<(), _>(ApiError::not_found("No item 7.")) }),
        )
        .route(
            "/json",
            post(
                |body: Result<Json<serde_json::Value>, JsonRejection>| async move {
                    body.map(|_| ()).map_err(ApiError::from)
                },
            ),
        )
        .route("/extractor", post(|_: Json<serde_json::Value>| async {}))
        .route("/panic", get(panics))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
            })
            .layer(
                ServiceBuilder::new()
                    .layer(ApiErrorLayer::new())
                    .layer(tower::timeout::TimeoutLayer::new(Duration::from_millis(20))),
            ),
        )
}

#[test]
fn every_error_response_says_what_it_was_made_from() {
    let app = || api().layer(ApiErrorLayer::new());
    let cases = [
        (
            get_req("/handler", "*/*"),
            "not_found",
            ErrorOrigin::Handler,
        ),
        (
            Request::post("/json")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{"))
                .unwrap(),
            "invalid_parameter",
            ErrorOrigin::Handler,
        ),
        (
            Request::post("/extractor")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{"))
                .unwrap(),
            "invalid_parameter",
            ErrorOrigin::Rewritten,
        ),
        (get_req("/nope", "*/*"), "not_found", ErrorOrigin::Rewritten),
        (
            get_req("/panic", "*/*"),
            "internal_server_error",
            ErrorOrigin::Panic,
        ),
        // The route's own layer turns tower's `Elapsed` into the error; the outer layer renders
        // it again and keeps where it came from.
        (
            get_req("/slow", "*/*"),
            "gateway_timeout",
            ErrorOrigin::Service,
        ),
        (
            get_req("/ok", "text/html"),
            "not_acceptable",
            ErrorOrigin::NotAcceptable,
        ),
    ];
    let ((), _) = logs_while(tracing::Level::INFO, async move {
        for (request, code, origin) in cases {
            let path = request.uri().path().to_owned();
            let response = send(app(), request).await;
            let (got_code, status, got_origin) = info(&response).expect(&path);
            assert_eq!(got_code, code, "{path}");
            assert_eq!(status, response.status(), "{path}");
            assert_eq!(got_origin, origin, "{path}");
        }
        // A success carries nothing.
        let response = send(app(), get_req("/ok", "*/*")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.extensions().get::<ErrorInfo>().is_none());

        // The 406 made ahead of time carries it too, with and without a request id to quote.
        let with_id = Request::get("/ok")
            .header(header::ACCEPT, "text/html")
            .header("x-request-id", "abc-123")
            .body(Body::empty())
            .unwrap();
        let response = send(app(), with_id).await;
        assert_eq!(
            info(&response).map(|i| i.2),
            Some(ErrorOrigin::NotAcceptable)
        );
    });
}

#[test]
fn the_whole_error_is_there_for_a_layer_that_records_it() {
    let ((), _) = logs_while(tracing::Level::INFO, async {
        let app = Router::new()
            .route(
                "/db",
                get(|| async {
                    Err::<(), _>(ApiError::unexpected(std::io::Error::other(
                        "db-3 refused the connection",
                    )))
                }),
            )
            .layer(ApiErrorLayer::new());
        let response = send(app, get_req("/db", "*/*")).await;
        let info = response.extensions().get::<ErrorInfo>().unwrap();
        let source = std::error::Error::source(info.error()).unwrap();
        assert_eq!(source.to_string(), "db-3 refused the connection");
        assert_eq!(info.origin().as_str(), "handler");
    });
}

/// The README's recipe for counting errors by code: a `map_response` outside the layer.
#[test]
fn counting_errors_by_code() {
    type Counts = Arc<Mutex<BTreeMap<(u16, String), u64>>>;
    let counts = Counts::default();
    let app = api().layer(
        ServiceBuilder::new()
            .map_response({
                let counts = counts.clone();
                move |response: Response<_>| {
                    if let Some(info) = response.extensions().get::<ErrorInfo>() {
                        let key = (info.status().as_u16(), info.code().to_owned());
                        *counts.lock().unwrap().entry(key).or_default() += 1;
                    }
                    response
                }
            })
            .layer(ApiErrorLayer::new()),
    );
    let ((), _) = logs_while(tracing::Level::INFO, async {
        for path in ["/ok", "/handler", "/nope", "/nope", "/panic", "/ok"] {
            send(app.clone(), get_req(path, "*/*")).await;
        }
    });
    let counts = counts.lock().unwrap().clone();
    assert_eq!(
        counts.into_iter().collect::<Vec<_>>(),
        [
            ((404, "not_found".to_owned()), 3),
            ((500, "internal_server_error".to_owned()), 1),
        ]
    );
}

/// The demo's request spans carry `error.type` for 5xx errors (OpenTelemetry's HTTP
/// conventions: a 4xx does not make a server span an error), read from `ErrorInfo`.
#[test]
fn the_demo_records_error_type_on_its_request_spans() {
    let (statuses, logs) = logs_while(tracing::Level::INFO, async {
        let mut statuses = Vec::new();
        for path in ["/panic", "/items/42", "/items/1"] {
            let response = send(server::app(), get_req(path, "application/json")).await;
            statuses.push(response.status());
        }
        statuses
    });
    assert_eq!(
        statuses,
        [
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::NOT_FOUND,
            StatusCode::OK
        ]
    );
    let finished: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("finished processing request"))
        .collect();
    assert_eq!(finished.len(), 3, "{logs}");
    assert!(
        finished[0].contains("uri=/panic")
            && finished[0].contains("error.type=\"internal_server_error\""),
        "{logs}"
    );
    assert!(finished[0].contains("status=500"), "{logs}");
    for line in &finished[1..] {
        assert!(!line.contains("error.type"), "{line}");
    }
    // The layer's own event for the panic is in the same span.
    assert!(logs
        .lines()
        .any(|line| line.contains("ERROR request{method=GET uri=/panic")
            && line.contains("code=\"internal_server_error\"")));
}

/// `ApiError`'s `IntoResponse` leaves the record too, so that a metrics layer sees a handler's
/// errors without this layer; behind the layer it is the same record, rendered.
#[test]
fn into_response_leaves_the_record_even_without_the_layer() {
    use axum::response::IntoResponse;

    let ((), _) = logs_while(tracing::Level::INFO, async {
        let response = ApiError::not_found("No item 7.").into_response();
        let info = response.extensions().get::<ErrorInfo>().unwrap();
        assert_eq!(
            (info.code(), info.status(), info.origin()),
            ("not_found", StatusCode::NOT_FOUND, ErrorOrigin::Handler)
        );

        // Exactly one record behind the layer, and nested layers keep it.
        let app = api()
            .layer(ApiErrorLayer::new())
            .layer(ApiErrorLayer::new());
        let response = send(app, get_req("/handler", "application/xml")).await;
        let info = response.extensions().get::<ErrorInfo>().unwrap();
        assert_eq!(info.origin(), ErrorOrigin::Handler);
        assert_eq!(info.error().description(), "No item 7.");
    });
}
