//! Request ids: every error body quotes the id the request carried, in each shape and format,
//! whoever made the error; ids that are not short visible tokens are not echoed.

use crate::support;
use axum::{body::Body, http::Request, routing::get, Router};
use http::{header::HeaderName, Method, StatusCode};
use support::{collect, error_body::ParsedError};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer};

const ID: &str = "0f9c2a7e-1d2b-4c3e-9f00-1234567890ab";

async fn panics() -> &'static str {
    panic!("SECRET")
}

fn routes() -> Router {
    Router::new()
        .route("/items/1", get(|| async { "an item" }))
        .route(
            "/missing",
            get(|| async { Err::<(), _>(ApiError::not_found("No item 9.")) }),
        )
        .route("/panic", get(panics))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            })
            .layer(ServiceBuilder::new().layer(ApiErrorLayer::new()).layer(
                tower::timeout::TimeoutLayer::new(std::time::Duration::from_millis(20)),
            )),
        )
}

/// The error body a request gets, parsed strictly by its `Content-Type`.
async fn error_with(
    app: Router,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, ParsedError, Vec<u8>) {
    let mut request = Request::builder().method(method.clone()).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers, body) = collect(response, false).await;
    let parsed = ParsedError::from(&support::error_response(status, &headers, &body));
    (status, parsed, body.to_vec())
}

#[tokio::test]
async fn every_error_quotes_the_id_in_every_shape_and_format() {
    let app = || routes().layer(ApiErrorLayer::new());
    for accept in [
        "application/json",
        "application/xml",
        "text/xml",
        "application/problem+json",
        "application/problem+xml",
    ] {
        for (path, status, code) in [
            ("/missing", 404, "not_found"),           // an ApiError from a handler
            ("/nope", 404, "not_found"),              // axum's empty 404, rewritten
            ("/panic", 500, "internal_server_error"), // a panic
            ("/slow", 504, "gateway_timeout"),        // a nested layer's tower timeout
        ] {
            let (got, parsed, body) = error_with(
                app(),
                Method::GET,
                path,
                &[("accept", accept), ("x-request-id", ID)],
            )
            .await;
            assert_eq!(got.as_u16(), status, "{path} {accept}");
            assert_eq!(parsed.code, code);
            assert_eq!(parsed.request_id.as_deref(), Some(ID), "{path} {accept}");
            assert!(!String::from_utf8_lossy(&body).contains("SECRET"));
        }
    }

    // The up-front 406, in the default format.
    let (status, parsed, _) = error_with(
        app(),
        Method::GET,
        "/items/1",
        &[("accept", "text/html"), ("x-request-id", ID)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(parsed.request_id.as_deref(), Some(ID));
    let (_, parsed, _) =
        error_with(app(), Method::GET, "/items/1", &[("accept", "text/html")]).await;
    assert_eq!(parsed.request_id, None);

    // HEAD announces the length of the GET body, id included.
    let headers = [("accept", "application/json"), ("x-request-id", ID)];
    let (_, _, get_body) = error_with(app(), Method::GET, "/missing", &headers).await;
    let mut head = Request::head("/missing");
    for (name, value) in headers {
        head = head.header(name, value);
    }
    let response = app()
        .oneshot(head.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (_, head_headers, _) = collect(response, true).await;
    assert_eq!(
        head_headers[http::header::CONTENT_LENGTH],
        get_body.len().to_string()
    );
}

#[tokio::test]
async fn ids_that_are_not_short_visible_tokens_are_not_echoed() {
    let app = || routes().layer(ApiErrorLayer::new());
    let (_, _, without) = error_with(app(), Method::GET, "/missing", &[]).await;
    let too_long = "x".repeat(65);
    for bad in [
        "has space",
        "<script>",
        "a\"b",
        "semi;colon",
        too_long.as_str(),
    ] {
        let (status, parsed, body) =
            error_with(app(), Method::GET, "/missing", &[("x-request-id", bad)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(parsed.request_id, None, "{bad:?}");
        assert_eq!(body, without, "{bad:?}");
    }
    let exactly_64 = "y".repeat(64);
    let (_, parsed, _) = error_with(
        app(),
        Method::GET,
        "/missing",
        &[("x-request-id", exactly_64.as_str())],
    )
    .await;
    assert_eq!(parsed.request_id.as_deref(), Some(exactly_64.as_str()));
}

#[tokio::test]
async fn the_header_is_configurable_and_can_be_turned_off() {
    let custom = routes().layer(
        ApiErrorLayer::new().request_id_header(Some(HeaderName::from_static("x-correlation-id"))),
    );
    let (_, parsed, _) = error_with(
        custom,
        Method::GET,
        "/missing",
        &[("x-correlation-id", "abc-1"), ("x-request-id", ID)],
    )
    .await;
    assert_eq!(parsed.request_id.as_deref(), Some("abc-1"));

    let off = routes().layer(ApiErrorLayer::new().request_id_header(None));
    let (_, parsed, _) = error_with(off, Method::GET, "/missing", &[("x-request-id", ID)]).await;
    assert_eq!(parsed.request_id, None);
}
