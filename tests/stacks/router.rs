//! The layer in an axum `Router`, and `IntoResponse` for `ApiError` with and without it.

use crate::support;
use axum::{
    body::Body,
    http::{header, HeaderValue, Request, StatusCode},
    response::IntoResponse,
    routing::get,
    Json, Router,
};
use http_body_util::BodyExt;
use support::{read_error, read_error_without_layer};
use tower::ServiceExt;
use tower_api_error::{ApiError, ApiErrorLayer};

async fn found() -> Result<Json<&'static str>, ApiError> {
    Ok(Json("an item"))
}

async fn missing() -> Result<Json<&'static str>, ApiError> {
    Err(ApiError::not_found("No item with id 42."))
}

async fn missing_with_vary() -> impl IntoResponse {
    (
        [(header::VARY, HeaderValue::from_static("Origin"))],
        ApiError::unprocessable_entity("Bad item.").with_field_error("name", "empty"),
    )
}

fn routes() -> Router {
    Router::new()
        .route("/found", get(found))
        .route("/missing", get(missing))
        .route("/vary", get(missing_with_vary))
}

fn app() -> Router {
    routes().layer(ApiErrorLayer::new().error_uri_base("https://docs.example.com/errors"))
}

fn get_req(path: &str, accept: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path);
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, accept);
    }
    builder.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn handler_errors_are_rendered_in_the_negotiated_format() {
    for (accept, content_type) in [
        (None, "application/json"),
        (Some("application/xml"), "application/xml; charset=utf-8"),
        (
            Some("text/xml, application/xml;q=0.5"),
            "text/xml; charset=utf-8",
        ),
    ] {
        let response = app().oneshot(get_req("/missing", accept)).await.unwrap();
        let (status, headers, parsed) = read_error(response).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(headers[header::CONTENT_TYPE], content_type);
        assert_eq!(headers[header::VARY], "Accept");
        assert_eq!(parsed.error, "not_found");
        assert_eq!(parsed.error_description, "No item with id 42.");
        assert_eq!(
            parsed.error_uri.as_deref(),
            Some("https://docs.example.com/errors#not_found")
        );
    }
}

#[tokio::test]
async fn handler_headers_are_kept_and_vary_joined() {
    let response = app()
        .oneshot(get_req("/vary", Some("application/xml")))
        .await
        .unwrap();
    let (status, headers, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let vary: Vec<_> = headers.get_all(header::VARY).iter().collect();
    // `Accept` joins the handler's `Vary` line: one line, as tools that read one expect.
    assert_eq!(vary, ["Origin, Accept"]);
    assert_eq!(
        parsed.field_errors,
        [("name".to_owned(), "empty".to_owned())]
    );
}

#[tokio::test]
async fn success_is_untouched() {
    let response = app()
        .oneshot(get_req("/found", Some("application/xml")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    assert!(response.headers().get(header::VARY).is_none());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, "\"an item\"");
}

#[tokio::test]
async fn not_acceptable_in_a_router() {
    let response = app()
        .oneshot(get_req("/found", Some("text/html")))
        .await
        .unwrap();
    let (status, _, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(parsed.error, "not_acceptable");
}

#[tokio::test]
async fn without_the_layer_into_response_is_plain_json() {
    let response = routes()
        .oneshot(get_req("/missing", Some("application/xml")))
        .await
        .unwrap();
    let (status, headers, parsed) = read_error_without_layer(response).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert!(headers.get(header::VARY).is_none());
    assert_eq!(parsed.error, "not_found");
    assert_eq!(parsed.error_description, "No item with id 42.");
    assert_eq!(parsed.error_uri, None);
}

#[tokio::test]
async fn into_response_masks_server_errors_too() {
    let response = ApiError::internal_server_error("SECRET").into_response();
    let (status, _, parsed) = read_error_without_layer(response).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!parsed.error_description.contains("SECRET"));
}
