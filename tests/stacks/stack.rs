//! Every failure of a real stack comes out in the same body: axum's own 404/405 and rejections,
//! tower-http's empty error responses, tower's timeout and load-shed errors, and panics.

use crate::support;
use std::{
    convert::Infallible,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::Body,
    extract::{
        rejection::{JsonRejection, QueryRejection},
        DefaultBodyLimit, Query,
    },
    http::{header, HeaderValue, Method, Request, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use http_body_util::{BodyExt, Full};
use serde::Deserialize;
use support::{error_of, read_error};
use tower::{service_fn, Service, ServiceBuilder, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer, Format, Negotiated};

#[derive(Debug, Deserialize, serde::Serialize)]
struct NewItem {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Paging {
    #[allow(dead_code)]
    limit: u32,
}

async fn create(body: Result<Json<NewItem>, JsonRejection>) -> Result<Json<NewItem>, ApiError> {
    Ok(body?)
}

async fn create_plain(Json(item): Json<NewItem>) -> Json<NewItem> {
    Json(item)
}

async fn list(query: Result<Query<Paging>, QueryRejection>) -> Result<&'static str, ApiError> {
    query?;
    Ok("[]")
}

async fn item(format: Format) -> Negotiated<NewItem> {
    Negotiated::new(
        format,
        NewItem {
            name: "kiwi & <lime>".into(),
        },
    )
}

async fn panicking() -> &'static str {
    panic!("SECRET panic payload")
}

fn router() -> Router {
    Router::new()
        .route("/items", post(create).get(list))
        .route("/plain", post(create_plain))
        .route("/item", get(item))
        .route("/panic", get(panicking))
        .route(
            "/text/{status}",
            get(
                |axum::extract::Path(status): axum::extract::Path<u16>| async move {
                    let mut response = (
                        StatusCode::from_u16(status).unwrap(),
                        format!("plain text for {status}"),
                    )
                        .into_response();
                    response.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static("Basic realm=\"demo\""),
                    );
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
                    response
                },
            ),
        )
        .route(
            "/html",
            get(|| async {
                (
                    StatusCode::BAD_REQUEST,
                    [(header::CONTENT_TYPE, "text/html")],
                    "<p>no</p>",
                )
            }),
        )
        .route(
            "/big",
            get(|| async { (StatusCode::BAD_REQUEST, "x".repeat(5000)) }),
        )
        .route(
            "/gzip",
            get(|| async {
                (
                    StatusCode::BAD_REQUEST,
                    [(header::CONTENT_ENCODING, "gzip")],
                    "not really gzip",
                )
            }),
        )
        .route(
            "/stream",
            get(|| async {
                let body = Body::new(Unsized(Some(Bytes::from_static(b"streamed"))));
                (StatusCode::BAD_GATEWAY, body)
            }),
        )
        .route(
            "/liar",
            get(|| async {
                let body = Body::new(Liar {
                    chunks: 3,
                    chunk: Bytes::from(vec![b'a'; 3000]),
                });
                (StatusCode::BAD_REQUEST, body)
            }),
        )
        .layer(DefaultBodyLimit::max(64))
}

fn app() -> Router {
    router().layer(ApiErrorLayer::new())
}

fn req(method: Method, path: &str, accept: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .unwrap()
}

/// Checks an answer's status, its XML `Content-Type` and its code.
fn expect_xml(
    answer: (StatusCode, http::HeaderMap, support::Parsed),
    status: StatusCode,
    code: &str,
) {
    let (got, headers, parsed) = answer;
    assert_eq!(got, status);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(parsed.error, code);
}

fn post_json(path: &str, content_type: Option<&str>, body: &str) -> Request<Body> {
    let mut builder = Request::post(path).header(header::ACCEPT, "application/xml");
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn unknown_route_and_wrong_method() {
    for accept in ["application/json", "application/xml"] {
        let (status, _, parsed) = error_of(app(), req(Method::GET, "/nope", accept)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(parsed.error, "not_found");

        let (status, headers, parsed) =
            error_of(app(), req(Method::DELETE, "/items", accept)).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(parsed.error, "method_not_allowed");
        let allow = headers[header::ALLOW].to_str().unwrap();
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    }
}

#[tokio::test]
async fn json_rejections_convert_with_question_mark() {
    let cases = [
        (
            Some("application/json"),
            "{\"name\":",
            400,
            "invalid_parameter",
        ),
        (
            Some("application/json"),
            "{\"nom\":\"x\"}",
            422,
            "unprocessable_entity",
        ),
        (None, "{\"name\":\"x\"}", 415, "unsupported_media_type"),
        (
            Some("text/plain"),
            "{\"name\":\"x\"}",
            415,
            "unsupported_media_type",
        ),
        (
            Some("application/json"),
            &format!("{{\"name\":\"{}\"}}", "x".repeat(100)),
            413,
            "payload_too_large",
        ),
    ];
    // Through `?` on the rejection, and through the rewrite of axum's text/plain rejection.
    for path in ["/items", "/plain"] {
        for (content_type, body, status, code) in &cases {
            let response = app()
                .oneshot(post_json(path, *content_type, body))
                .await
                .unwrap();
            let (got, headers, parsed) = read_error(response).await;
            assert_eq!(got.as_u16(), *status, "{path} {body}");
            assert_eq!(
                headers[header::CONTENT_TYPE],
                "application/xml; charset=utf-8"
            );
            assert_eq!(parsed.error, *code, "{path} {body}");
            assert!(!parsed.error_description.is_empty());
        }
    }
}

#[tokio::test]
async fn query_rejection_is_invalid_value_parameter() {
    let (status, _, parsed) = error_of(
        app(),
        req(Method::GET, "/items?limit=many", "application/json"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(parsed.error, "invalid_value_parameter");
    assert!(
        parsed.error_description.contains("limit"),
        "{}",
        parsed.error_description
    );
}

#[tokio::test]
async fn plain_errors_keep_their_headers_and_4xx_text() {
    let (status, headers, parsed) =
        error_of(app(), req(Method::GET, "/text/401", "application/xml")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Basic realm=\"demo\"");
    assert_eq!(headers[header::RETRY_AFTER], "7");
    assert_eq!(parsed.error, "unauthorized");
    assert_eq!(parsed.error_description, "plain text for 401");

    // 5xx text is never sent.
    let (status, headers, parsed) =
        error_of(app(), req(Method::GET, "/text/503", "application/json")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[header::RETRY_AFTER], "7");
    assert_eq!(parsed.error, "service_unavailable");
    assert!(!parsed.error_description.contains("plain text"));
}

#[tokio::test]
async fn status_codes_map_to_codes() {
    for (status, code) in [
        (400, "invalid_parameter"),
        (403, "unauthorized_client"),
        (408, "request_timeout"),
        (409, "conflict"),
        (413, "payload_too_large"),
        (415, "unsupported_media_type"),
        (418, "client_error"), // RFC 9110 section 15.5.19: "(Unused)"
        (429, "too_many_requests"),
        (499, "client_error"),
        (501, "not_implemented"),
        (504, "gateway_timeout"),
        (599, "server_error"),
    ] {
        let (got, _, parsed) = error_of(
            app(),
            req(Method::GET, &format!("/text/{status}"), "application/json"),
        )
        .await;
        assert_eq!(got.as_u16(), status);
        assert_eq!(parsed.error, code, "{status}");
    }
}

#[tokio::test]
async fn other_error_bodies_pass_through_untouched() {
    for (path, content_type, body_len) in [
        ("/html", Some("text/html"), 9),
        ("/big", Some("text/plain; charset=utf-8"), 5000),
        ("/gzip", Some("text/plain; charset=utf-8"), 15),
        ("/stream", None, 8),
    ] {
        let response = app()
            .oneshot(req(Method::GET, path, "application/json"))
            .await
            .unwrap();
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap()),
            content_type,
            "{path}"
        );
        assert!(response.headers().get(header::VARY).is_none(), "{path}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body.len(), body_len, "{path}");
    }
}

#[tokio::test]
async fn a_body_larger_than_its_size_hint_loses_its_text_not_the_rewrite() {
    let (status, _, parsed) = error_of(app(), req(Method::GET, "/liar", "application/json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(parsed.error, "invalid_parameter");
    assert!(!parsed.error_description.contains("aaa"));
}

#[tokio::test]
async fn rewrite_can_be_turned_off() {
    let app = router().layer(ApiErrorLayer::new().rewrite_plain_errors(false));
    let response = app
        .oneshot(req(Method::GET, "/nope", "application/json"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers().get(header::CONTENT_TYPE).is_none());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(body.is_empty());
}

#[tokio::test]
async fn head_on_a_rewritten_error() {
    let get = app()
        .oneshot(req(Method::GET, "/nope", "application/xml"))
        .await
        .unwrap();
    let length = get.headers()[header::CONTENT_LENGTH].clone();
    let head = app()
        .oneshot(req(Method::HEAD, "/nope", "application/xml"))
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);
    assert_eq!(head.headers()[header::CONTENT_LENGTH], length);
    let body = head.into_body().collect().await.unwrap().to_bytes();
    assert!(body.is_empty());
}

#[tokio::test]
async fn tower_http_error_responses_are_rewritten() {
    use tower_http::{
        limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
        validate_request::ValidateRequestHeaderLayer,
    };

    // 413 from tower-http's body limit (text/plain body "length limit exceeded"). Its response
    // body is tower-http's own, which is not an `ErrorBody`: the layer wraps it.
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new().wrap_body())
        .layer(RequestBodyLimitLayer::new(4))
        .service_fn(|_req: Request<_>| async { Ok::<_, Infallible>(Response::new(Body::empty())) });
    let request = Request::post("/")
        .header(header::CONTENT_LENGTH, "100")
        .body(Full::<Bytes>::from(vec![0u8; 100]))
        .unwrap();
    let (status, _, parsed) = read_error(service.oneshot(request).await.unwrap()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(parsed.error, "payload_too_large");

    // 406 from tower-http's Accept validation (empty body).
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .layer(ValidateRequestHeaderLayer::accept("application/json"))
        .service_fn(|_req: Request<Body>| async {
            Ok::<_, Infallible>(Response::new(Body::empty()))
        });
    let answer = error_of(service, req(Method::GET, "/", "application/xml")).await;
    expect_xml(answer, StatusCode::NOT_ACCEPTABLE, "not_acceptable");

    // 408 from tower-http's timeout (empty body).
    #[allow(deprecated)]
    let timeout = TimeoutLayer::new(Duration::from_millis(10));
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .layer(timeout)
        .service_fn(too_slow::<Infallible>);
    let (status, _, parsed) = error_of(service, req(Method::GET, "/", "*/*")).await;
    assert_eq!(status.as_u16(), 408);
    assert_eq!(parsed.error, "request_timeout");
}

#[tokio::test]
async fn tower_timeout_is_a_504_without_handle_error_layer() {
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .layer(tower::timeout::TimeoutLayer::new(Duration::from_millis(10)))
        .service_fn(too_slow::<ApiError>);
    let answer = error_of(service, req(Method::GET, "/", "application/xml")).await;
    expect_xml(answer, StatusCode::GATEWAY_TIMEOUT, "gateway_timeout");
}

#[tokio::test]
async fn api_errors_survive_a_trip_through_box_error() {
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .layer(tower::timeout::TimeoutLayer::new(Duration::from_secs(5)))
        .service_fn(|_req: Request<Body>| async {
            Err::<Response<Body>, _>(ApiError::payment_required("Pay first."))
        });
    let (status, _, parsed) = error_of(service, req(Method::GET, "/", "*/*")).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(parsed.error_description, "Pay first.");
}

#[tokio::test]
async fn load_shedding_is_a_503_with_retry_after() {
    let (mock, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    handle.allow(0);
    let mut service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .load_shed()
        .service(mock);
    let response = service
        .ready()
        .await
        .unwrap()
        .call(req(Method::GET, "/", "application/json"))
        .await
        .unwrap();
    let (status, headers, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[header::RETRY_AFTER], "1");
    assert_eq!(parsed.error, "service_unavailable");
}

#[tokio::test]
async fn panics_become_a_masked_500() {
    // In the future (an axum handler).
    for accept in ["application/json", "application/xml"] {
        let response = app()
            .oneshot(req(Method::GET, "/panic", accept))
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        assert_eq!(parts.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!String::from_utf8_lossy(&body).contains("SECRET"));
        assert_eq!(
            support::parse(parts.status, &parts.headers, &body).error,
            "internal_server_error"
        );
    }

    // In `call` itself.
    #[derive(Clone)]
    struct PanicsInCall;
    impl tower::Service<Request<Body>> for PanicsInCall {
        type Response = Response<Body>;
        type Error = Infallible;
        type Future = std::future::Ready<Result<Response<Body>, Infallible>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, _: Request<Body>) -> Self::Future {
            panic!("SECRET sync panic")
        }
    }
    let service = ApiErrorLayer::new();
    let service = tower::Layer::layer(&service, PanicsInCall);
    let (status, _, parsed) = error_of(service, req(Method::GET, "/", "application/xml")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!parsed.error_description.contains("SECRET"));
}

#[tokio::test]
async fn panics_propagate_when_catching_is_off() {
    let app = router().layer(ApiErrorLayer::new().catch_panics(false));
    let joined = tokio::spawn(app.oneshot(req(Method::GET, "/panic", "*/*"))).await;
    assert!(joined.unwrap_err().is_panic());
}

#[tokio::test]
async fn handlers_answer_in_the_negotiated_format() {
    let response = app()
        .oneshot(req(Method::GET, "/item", "application/xml"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(response.headers()[header::VARY], "Accept");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let text = std::str::from_utf8(&body).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "NewItem");
    let name = doc.descendants().find(|n| n.has_tag_name("name")).unwrap();
    assert_eq!(name.text(), Some("kiwi & <lime>"));

    let response = app()
        .oneshot(req(Method::GET, "/item", "*/*"))
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let item: NewItem = serde_json::from_slice(&body).unwrap();
    assert_eq!(item.name, "kiwi & <lime>");
}

#[tokio::test]
async fn negotiated_bodies_that_cannot_be_xml_are_a_masked_500() {
    let response = Negotiated::new(Format::Xml, vec![1, 2, 3]).into_response();
    let (status, _, parsed) = support::read_error_without_layer(response).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(parsed.error, "internal_server_error");
}

#[tokio::test]
async fn plain_tower_services_get_the_rewrite_too() {
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .service(service_fn(|_req: Request<Body>| async {
            let mut response = Response::new(Full::from("Slow down."));
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            Ok::<_, Infallible>(response)
        }));
    let (status, headers, parsed) = error_of(service, req(Method::GET, "/", "*/*")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers[header::RETRY_AFTER], "60");
    assert_eq!(parsed.error, "too_many_requests");
    assert_eq!(parsed.error_description, "Slow down.");
}

/// Answers after five seconds, later than any timeout here.
async fn too_slow<E>(_: Request<Body>) -> Result<Response<Body>, E> {
    tokio::time::sleep(Duration::from_secs(5)).await;
    Ok(Response::new(Body::empty()))
}

/// A one-chunk body that does not know its size.
struct Unsized(Option<Bytes>);

impl http_body::Body for Unsized {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.take().map(|data| Ok(Frame::data(data))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

/// A body that claims to be small and is not.
struct Liar {
    chunks: usize,
    chunk: Bytes,
}

impl http_body::Body for Liar {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.chunks == 0 {
            return Poll::Ready(None);
        }
        self.chunks -= 1;
        Poll::Ready(Some(Ok(Frame::data(self.chunk.clone()))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(10)
    }
}

#[tokio::test]
async fn head_never_announces_a_length_the_get_would_not_have() {
    // axum strips the body of a HEAD response before the layer sees it, so the text the GET
    // would carry is unknown: the layer must not guess a Content-Length.
    // Wrapped from outside the router, the layer sees what axum's top-level route left.
    let outside = || {
        ServiceBuilder::new()
            .layer(ApiErrorLayer::new())
            .service(router())
    };
    for (name, head) in [
        (
            "inside",
            app()
                .oneshot(req(Method::HEAD, "/text/400", "application/json"))
                .await
                .unwrap()
                .map(Body::new),
        ),
        (
            "outside",
            outside()
                .oneshot(req(Method::HEAD, "/text/400", "application/json"))
                .await
                .unwrap()
                .map(Body::new),
        ),
    ] {
        let get = outside()
            .oneshot(req(Method::GET, "/text/400", "application/json"))
            .await
            .unwrap();
        let get_length = get.headers()[header::CONTENT_LENGTH].clone();
        assert_eq!(head.status(), StatusCode::BAD_REQUEST, "{name}");
        if let Some(length) = head.headers().get(header::CONTENT_LENGTH) {
            assert_eq!(length, get_length, "{name}");
        }
        assert_eq!(
            head.headers()[header::CONTENT_TYPE],
            "application/json",
            "{name}"
        );
        let body = head.into_body().collect().await.unwrap().to_bytes();
        assert!(body.is_empty(), "{name}");
    }
    let get = app()
        .oneshot(req(Method::GET, "/text/400", "application/json"))
        .await
        .unwrap();
    let get_length: usize = get.headers()[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let get_body = get.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(get_length, get_body.len());

    let head = app()
        .oneshot(req(Method::HEAD, "/text/400", "application/json"))
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::BAD_REQUEST);
    if let Some(length) = head.headers().get(header::CONTENT_LENGTH) {
        assert_eq!(length.to_str().unwrap(), get_length.to_string());
    }
    assert_eq!(head.headers()[header::CONTENT_TYPE], "application/json");
    let body = head.into_body().collect().await.unwrap().to_bytes();
    assert!(body.is_empty());
}
