//! The test kit (feature `testing`) against the demo app, which keeps the contract, and against
//! apps that break it.

use crate::server;
use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
    routing::get,
    Json, Router,
};
use tower::ServiceExt;
use tower_api_error::{
    testing::{
        assert_api_error, check_contract, check_router, expect_api_error, Check, Contract,
        ErrorResponse, ParseErrorKind, REQUEST_ID,
    },
    ApiErrorLayer,
};

fn demo_contract() -> Contract {
    Contract::new("/items/1", Method::GET)
        .unknown_path("/nope")
        .panic_route("/panic", "SECRET")
}

#[tokio::test]
async fn the_demo_app_keeps_the_contract() {
    let report = check_router(server::app(), &demo_contract().expect_request_id(true)).await;
    println!("{report}");
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.checks().len(), 10);
    assert!(report.skipped().is_empty());
    assert_eq!(
        report.to_string(),
        "the API error contract holds: 10 checks passed"
    );

    // The generic entry point, with the body type named, says the same.
    let report = check_contract::<_, Body, _>(server::app(), &demo_contract()).await;
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.skipped(), [Check::RequestId]);
}

#[tokio::test]
async fn the_request_id_check_reports_bodies_without_the_id() {
    // The demo's routes behind a layer that quotes no request id.
    let app = server::routes().layer(ApiErrorLayer::new().request_id_header(None));
    let report = check_router(app, &demo_contract().expect_request_id(true)).await;
    println!("{report}");
    let violations: Vec<_> = report
        .violations()
        .iter()
        .filter(|v| v.check() == Check::RequestId)
        .collect();
    assert_eq!(violations.len(), 4, "{report}");
    assert!(violations[0]
        .message()
        .contains(&format!("expected request_id {REQUEST_ID:?}")));
    assert_eq!(report.violations().len(), 4, "{report}");
}

async fn panics() -> &'static str {
    panic!("SECRET: the broken app panicked on purpose")
}

/// The demo's routes without the error layer: axum's plain 404 and 405, no 406, and a panic
/// that escapes.
fn without_layer() -> Router {
    Router::new()
        .route("/items/{id}", get(|| async { "an item" }))
        .route("/panic", get(panics))
}

#[tokio::test]
async fn an_app_without_the_layer_breaks_every_check() {
    let report = check_router(without_layer(), &demo_contract()).await;
    println!("{report}");
    assert!(!report.is_ok());
    for check in [
        Check::UnknownRoute,
        Check::WrongMethod,
        Check::NotAcceptable,
        Check::Head,
        Check::JsonAndXml,
        Check::ProblemJsonAndXml,
        Check::MalformedAccept,
        Check::Panic,
        Check::PassThrough,
    ] {
        assert!(report.failed(check), "{check} passed:\n{report}");
    }
    let text = report.to_string();
    assert!(
        text.contains(
            "- unknown route: GET /nope (Accept: application/json): no Content-Type (answered \
             404 Not Found, no Content-Type, body \"\")"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "- not acceptable: GET /items/1 (Accept: text/html): status 200 OK is not an error \
             status (4xx or 5xx)"
        ),
        "{text}"
    );
    assert!(
        text.contains("- panic: GET /panic (Accept: application/json): the service panicked"),
        "{text}"
    );
    assert!(
        text.contains("SECRET: the broken app panicked on purpose"),
        "the report quotes the panic for the developer: {text}"
    );
}

/// An app that answers its own 404 in a shape of its own, and has no fallback for the rest.
fn wrong_shape() -> Router {
    Router::new()
        .route("/items/{id}", get(|| async { "an item" }))
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                Json(serde_json::json!({"code": 404, "message": "no such route"})),
            )
        })
}

#[tokio::test]
async fn an_app_with_its_own_error_shape_breaks_the_contract() {
    let report = check_router(wrong_shape(), &Contract::new("/items/1", Method::GET)).await;
    println!("{report}");
    assert!(report.failed(Check::UnknownRoute), "{report}");
    assert_eq!(report.skipped(), [Check::RequestId, Check::Panic]);
    let unknown = &report.violations()[0];
    assert_eq!(unknown.check(), Check::UnknownRoute);
    assert_eq!(
        unknown.request(),
        "GET /this-route-does-not-exist (Accept: application/json)"
    );
    assert_eq!(
        unknown.message(),
        "no Vary field; it must name Accept (answered 404 Not Found, application/json, body \
         \"{\\\"code\\\":404,\\\"message\\\":\\\"no such route\\\"}\")"
    );
}

#[tokio::test]
async fn the_same_wrong_shape_behind_the_layer_is_still_wrong() {
    // The layer keeps a JSON body it did not render (it rewrites only empty and small
    // text/plain error bodies): the answer is still the app's, and the check says so.
    let report = check_router(
        wrong_shape().layer(ApiErrorLayer::new()),
        &Contract::new("/items/1", Method::GET),
    )
    .await;
    println!("{report}");
    assert!(report.failed(Check::UnknownRoute), "{report}");
    assert!(
        report.violations()[0]
            .message()
            .starts_with("no Vary field; it must name Accept"),
        "{report}"
    );
    // Every check's requests to the unknown path met the fallback's own 404, which has no
    // `ErrorInfo`; the pass-through check names that route once.
    let passed_through: Vec<_> = report
        .violations()
        .iter()
        .filter(|v| v.check() == Check::PassThrough)
        .collect();
    assert_eq!(passed_through.len(), 1, "{report}");
    assert_eq!(
        passed_through[0].request(),
        "GET /this-route-does-not-exist (Accept: application/json)"
    );
    assert!(
        passed_through[0]
            .message()
            .contains("Make GET /this-route-does-not-exist return an `ApiError`"),
        "{report}"
    );
}

#[tokio::test]
async fn assertions_on_the_demo() {
    let response = server::app()
        .oneshot(
            Request::get("/errors/unprocessable_entity")
                .header("accept", "application/xml")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let error = expect_api_error(response, 422, "unprocessable_entity").await;
    assert_eq!(error.field_errors().len(), 2);
    tower_api_error::testing::assert_field_error(&error, "price", "must be a positive number");

    let response = server::app()
        .oneshot(Request::get("/items/42").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let error = ErrorResponse::from_response(response).await.unwrap();
    assert_api_error(&error, 404, "not_found");
    assert_eq!(error.description(), "No item with id 42.");
    // The demo's tower-http layers add `Vary: accept-encoding` on a line of its own.
    assert_eq!(error.headers().get_all("vary").iter().count(), 2);

    // Success is not an error response.
    let response = server::app()
        .oneshot(Request::get("/health").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let err = ErrorResponse::from_response(response).await.unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Status);
}

#[tokio::test]
async fn expect_api_error_says_what_it_got() {
    let response = server::app()
        .oneshot(Request::get("/items/42").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let panic = tokio::spawn(expect_api_error(response, 410, "gone"))
        .await
        .unwrap_err()
        .into_panic();
    let message = panic.downcast::<String>().unwrap();
    println!("{message}");
    assert!(
        message.starts_with(
            "expected the error 410 gone, got 404 not_found (application/json): \
             \"No item with id 42.\""
        ),
        "{message}"
    );
    assert!(message.contains("tests/demo/testing.rs"), "{message}");
}
