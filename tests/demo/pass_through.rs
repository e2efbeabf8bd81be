//! The contract check's pass-through check: an error response the layer did not render (it has
//! no `ErrorInfo`) breaks the contract, unless the contract lets its route through.

use crate::server;
use axum::{
    http::{Method, StatusCode},
    routing::get,
    Json, Router,
};
use serde_json::json;
use tower_api_error::{
    testing::{check_router, Check, Contract},
    ApiError, ApiErrorLayer,
};

/// A handler that answers its conflict in a JSON shape of its own: the layer passes it through
/// untouched, as its rewrite rules say (it rewrites only empty and small `text/plain` bodies).
fn bypassing_app() -> Router {
    Router::new()
        .route(
            "/items/{id}",
            get(|| async { (StatusCode::CONFLICT, Json(json!({"message": "taken"}))) }),
        )
        .route(
            "/coded/{id}",
            get(|| async { Err::<(), _>(ApiError::from_status(StatusCode::CONFLICT)) }),
        )
        .layer(ApiErrorLayer::new())
}

const EXPECTED: &str = "pass-through: GET /items/1 (Accept: application/json): the error \
    layer did not render this answer (409 Conflict, application/json, body \
    \"{\\\"message\\\":\\\"taken\\\"}\"); it has no ErrorInfo, so it bypassed the layer. Make \
    GET /items/1 return an `ApiError` (or a `#[derive(ApiError)]` enum) for this error, or opt \
    the route out with `Contract::allow_pass_through(Method::GET, \"/items/1\")`";

#[tokio::test]
async fn a_route_that_bypasses_the_layer_breaks_the_contract() {
    let report = check_router(bypassing_app(), &Contract::new("/items/1", Method::GET)).await;
    println!("{report}");
    assert!(!report.is_ok());
    assert_eq!(report.violations().len(), 1, "{report}");
    let violation = &report.violations()[0];
    assert_eq!(violation.check(), Check::PassThrough);
    assert_eq!(violation.to_string(), EXPECTED);
    assert_eq!(
        report.to_string(),
        format!(
            "the API error contract is broken: 1 violation in 1 of 8 checks (2 skipped: \
             request id, panic)\n- {EXPECTED}"
        )
    );
}

#[tokio::test]
async fn allow_pass_through_lets_the_route_keep_its_own_errors() {
    let contract =
        Contract::new("/items/1", Method::GET).allow_pass_through(Method::GET, "/items/1");
    let report = check_router(bypassing_app(), &contract).await;
    println!("{report}");
    report.assert_ok();
    assert!(report.checks().contains(&Check::PassThrough));

    // Only that method and that path: another one is still reported.
    let contract =
        Contract::new("/items/1", Method::GET).allow_pass_through(Method::GET, "/items/2");
    let report = check_router(bypassing_app(), &contract).await;
    assert!(report.failed(Check::PassThrough), "{report}");
}

#[tokio::test]
async fn a_route_answering_an_api_error_keeps_the_contract() {
    let report = check_router(bypassing_app(), &Contract::new("/coded/1", Method::GET)).await;
    println!("{report}");
    report.assert_ok();

    // The demo's item route answers a 404 `ApiError` for an unknown item.
    let contract = Contract::new("/items/42", Method::GET)
        .unknown_path("/nope")
        .panic_route("/panic", "SECRET")
        .expect_request_id(true);
    let report = check_router(server::app(), &contract).await;
    println!("{report}");
    report.assert_ok();
}
