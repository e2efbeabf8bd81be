//! The layer over plain tower services: negotiation, error rendering, 406, readiness, HEAD.

use crate::support;
use std::{convert::Infallible, time::Duration};

use bytes::Bytes;
use http::{
    header::{self, HeaderValue},
    Method, Request, Response, StatusCode,
};
use http_body_util::{BodyExt, Full};
use support::{read_error, Parsed};
use tower::{service_fn, Service, ServiceBuilder, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer, ApiErrorService, Format, ResponseFuture};
use tower_test::mock;

const DOCS: &str = "https://docs.example.com/errors";

fn request(method: Method, path: &str, accept: Option<&str>) -> Request<Full<Bytes>> {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, accept);
    }
    builder.body(Full::default()).unwrap()
}

/// Succeeds on `/ok`, fails with `not_found` elsewhere.
async fn handle(req: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
    if req.uri().path() == "/ok" {
        let mut response = Response::new(Full::from("fine"));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        Ok(response)
    } else {
        Err(ApiError::not_found(format!(
            "Nothing at {}.",
            req.uri().path()
        )))
    }
}

fn layered() -> ApiErrorService<
    impl Service<
            Request<Full<Bytes>>,
            Response = Response<Full<Bytes>>,
            Error = ApiError,
            Future = impl Send,
        > + Clone,
> {
    ServiceBuilder::new()
        .layer(ApiErrorLayer::new().error_uri_base(DOCS))
        .service_fn(handle)
}

#[tokio::test]
async fn success_passes_through_untouched() {
    for accept in [None, Some("text/html,*/*;q=0.1"), Some("application/xml")] {
        let response = layered()
            .oneshot(request(Method::GET, "/ok", accept))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/plain");
        assert!(response.headers().get(header::VARY).is_none());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body, "fine");
    }
}

#[tokio::test]
async fn inner_error_in_each_format() {
    let expected = Parsed {
        error: "not_found".into(),
        error_description: "Nothing at /items/42.".into(),
        error_uri: Some(format!("{DOCS}#not_found")),
        field_errors: vec![],
    };
    let cases = [
        (None, "application/json"),
        (Some("application/json"), "application/json"),
        (Some("application/xml"), "application/xml; charset=utf-8"),
        (Some("text/xml"), "text/xml; charset=utf-8"),
        // RFC 9457 problem details, the same error in other members (see tests/wire/problem.rs).
        (
            Some("application/problem+xml"),
            "application/problem+xml; charset=utf-8",
        ),
        (Some("application/problem+json"), "application/problem+json"),
    ];
    for (accept, content_type) in cases {
        let response = layered()
            .oneshot(request(Method::GET, "/items/42", accept))
            .await
            .unwrap();
        let (status, headers, parsed) = read_error(response).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{accept:?}");
        assert_eq!(headers[header::CONTENT_TYPE], content_type, "{accept:?}");
        assert_eq!(headers[header::VARY], "Accept");
        assert_eq!(parsed, expected, "{accept:?}");
    }
}

#[tokio::test]
async fn not_acceptable_answers_406_without_calling_the_inner_service() {
    let (mut service, mut handle) =
        mock::spawn_layer::<Request<Full<Bytes>>, Response<Full<Bytes>>, _>(ApiErrorLayer::new());
    handle.allow(1);
    assert!(service.poll_ready().is_ready());
    let response = service
        .call(request(Method::GET, "/", Some("text/html")))
        .await
        .unwrap();
    let (status, headers, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(parsed.error, "not_acceptable");
    assert!(parsed.error_description.contains("application/json"));
    assert!(parsed.error_description.contains("application/xml"));
    // The inner service never saw a request.
    assert!(futures_now(handle.next_request()).is_none());
}

#[tokio::test]
async fn not_acceptable_in_the_default_format() {
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new().default_format(Format::Xml))
        .service_fn(handle);
    let response = service
        .oneshot(request(Method::GET, "/ok", Some("image/png")))
        .await
        .unwrap();
    let (status, headers, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(parsed.error, "not_acceptable");
}

/// The `406` body is rendered once per service, from the settings as they stand when the layer
/// is applied, whatever order they were given in.
#[tokio::test]
async fn not_acceptable_body_follows_the_settings_and_head_gets_only_its_length() {
    let layer = ApiErrorLayer::new()
        .error_uri_base(String::from(DOCS))
        .default_format(Format::Xml);
    let service = ServiceBuilder::new().layer(layer).service_fn(handle);

    let get = service
        .clone()
        .oneshot(request(Method::GET, "/ok", Some("image/png")))
        .await
        .unwrap();
    let get_length = get.headers()[header::CONTENT_LENGTH].clone();
    assert_eq!(get.headers()[header::VARY], "Accept");
    let (status, _, parsed) = read_error(get).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(
        parsed.error_uri.as_deref(),
        Some(&*format!("{DOCS}#not_acceptable"))
    );

    let head = service
        .oneshot(request(Method::HEAD, "/ok", Some("image/png")))
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::NOT_ACCEPTABLE);
    assert_eq!(head.headers()[header::CONTENT_LENGTH], get_length);
    assert_eq!(
        head.headers()[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    let body = head.into_body().collect().await.unwrap().to_bytes();
    assert!(body.is_empty());
}

#[tokio::test]
async fn not_acceptable_can_be_turned_off() {
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new().reject_not_acceptable(false))
        .service_fn(handle);
    // The inner service is called: success passes...
    let response = service
        .clone()
        .oneshot(request(Method::GET, "/ok", Some("text/html")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // ...and errors come in the default format.
    let response = service
        .oneshot(request(Method::GET, "/nope", Some("text/html")))
        .await
        .unwrap();
    let (status, headers, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(parsed.error, "not_found");
}

#[tokio::test]
async fn default_format_and_content_type_break_ties() {
    let xml_default = ServiceBuilder::new()
        .layer(ApiErrorLayer::new().default_format(Format::Xml))
        .service_fn(handle);
    let response = xml_default
        .oneshot(request(Method::GET, "/x", None))
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );

    // A client that posts XML without Accept gets XML errors.
    let req = Request::post("/x")
        .header(header::CONTENT_TYPE, "application/xml")
        .body(Full::from("<item/>"))
        .unwrap();
    let response = layered().oneshot(req).await.unwrap();
    let (_, headers, parsed) = read_error(response).await;
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(parsed.error, "not_found");
}

#[tokio::test]
async fn head_gets_the_headers_and_no_body() {
    let get = layered()
        .oneshot(request(Method::GET, "/items/42", Some("application/xml")))
        .await
        .unwrap();
    let get_length = get.headers()[header::CONTENT_LENGTH].clone();
    let get_body = get.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(get_length, get_body.len().to_string().as_str());

    let head = layered()
        .oneshot(request(Method::HEAD, "/items/42", Some("application/xml")))
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);
    assert_eq!(head.headers()[header::CONTENT_LENGTH], get_length);
    assert_eq!(
        head.headers()[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(head.headers()[header::VARY], "Accept");
    let body = head.into_body().collect().await.unwrap().to_bytes();
    assert!(body.is_empty());
}

#[tokio::test]
async fn protocol_headers_of_the_error_are_sent() {
    let errors = [
        (
            ApiError::invalid_token("Bad signature."),
            header::WWW_AUTHENTICATE,
            r#"Bearer error="invalid_token", error_description="Bad signature.""#,
        ),
        (
            ApiError::method_not_allowed("", [Method::GET, Method::HEAD]),
            header::ALLOW,
            "GET, HEAD",
        ),
        (
            ApiError::too_many_requests("", Duration::from_secs(30)),
            header::RETRY_AFTER,
            "30",
        ),
        (
            ApiError::service_unavailable("").with_retry_after(Duration::from_secs(120)),
            header::RETRY_AFTER,
            "120",
        ),
    ];
    for (err, name, value) in errors {
        let code = err.code().to_owned();
        let status = err.status();
        let mut err = Some(err);
        let service = ApiErrorService::new(service_fn(move |_req: Request<Full<Bytes>>| {
            let err = err.take().unwrap();
            async move { Err::<Response<Full<Bytes>>, _>(err) }
        }));
        let response = service
            .oneshot(request(Method::GET, "/", Some("application/xml")))
            .await
            .unwrap();
        let (got_status, headers, parsed) = read_error(response).await;
        assert_eq!(got_status, status);
        assert_eq!(headers[&name], value, "{code}");
        assert_eq!(parsed.error, code);
    }
}

#[tokio::test]
async fn field_errors_are_the_same_in_json_and_xml() {
    let failing = |_req: Request<Full<Bytes>>| async {
        Err::<Response<Full<Bytes>>, _>(
            ApiError::unprocessable_entity("The item is invalid.")
                .with_field_error("name", "must not be empty")
                .with_field_error("price", "must be < 100 & > 0"),
        )
    };
    let mut bodies = Vec::new();
    for accept in ["application/json", "application/xml"] {
        let response = ApiErrorService::new(service_fn(failing))
            .oneshot(request(Method::POST, "/items", Some(accept)))
            .await
            .unwrap();
        let (status, _, parsed) = read_error(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            parsed.field_errors,
            [
                ("name".to_owned(), "must not be empty".to_owned()),
                ("price".to_owned(), "must be < 100 & > 0".to_owned()),
            ]
        );
        bodies.push(parsed);
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn server_errors_never_leak_their_description_or_source() {
    let failing = |_req: Request<Full<Bytes>>| async {
        Err::<Response<Full<Bytes>>, _>(
            ApiError::internal_server_error("SECRET description")
                .with_source(std::io::Error::other("SECRET source"))
                .with_field_error("SECRET field", "SECRET message"),
        )
    };
    for accept in ["application/json", "application/xml"] {
        let response = ApiErrorService::new(service_fn(failing))
            .oneshot(request(Method::GET, "/", Some(accept)))
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        assert_eq!(parts.status, StatusCode::INTERNAL_SERVER_ERROR);
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        let parsed = support::parse(parts.status, &parts.headers, &body);
        assert_eq!(parsed.error, "internal_server_error");
        assert!(parsed.field_errors.is_empty());
    }
}

#[tokio::test]
async fn own_error_uri_beats_the_base() {
    let failing = |_req: Request<Full<Bytes>>| async {
        Err::<Response<Full<Bytes>>, _>(ApiError::not_found("").with_uri("https://x.test/own"))
    };
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new().error_uri_base(DOCS))
        .service_fn(failing);
    let response = service
        .oneshot(request(Method::GET, "/", None))
        .await
        .unwrap();
    let (_, _, parsed) = read_error(response).await;
    assert_eq!(parsed.error_uri.as_deref(), Some("https://x.test/own"));
    assert_eq!(
        parsed.error_description,
        "The requested resource could not be found."
    );
}

#[tokio::test]
async fn readiness_is_forwarded() {
    let (mut service, mut handle) =
        mock::spawn_layer::<Request<Full<Bytes>>, Response<Full<Bytes>>, _>(ApiErrorLayer::new());

    handle.allow(0);
    assert!(
        service.poll_ready().is_pending(),
        "not ready while inner is not"
    );

    handle.allow(1);
    assert!(service.poll_ready().is_ready(), "ready once inner is");
    let call = service.call(request(Method::GET, "/", None));
    let (req, send) = handle.next_request().await.unwrap();
    assert_eq!(req.uri().path(), "/");
    send.send_response(Response::new(Full::from("ok")));
    let response = call.await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn poll_ready_error_becomes_the_next_response() {
    let (mut service, mut handle) =
        mock::spawn_layer::<Request<Full<Bytes>>, Response<Full<Bytes>>, _>(ApiErrorLayer::new());
    handle.send_error(ApiError::service_unavailable("SECRET overloaded"));
    assert!(service.poll_ready().is_ready());
    let response = service
        .call(request(Method::GET, "/", Some("application/xml")))
        .await
        .unwrap();
    let (status, _, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(parsed.error, "service_unavailable");
    assert!(!parsed.error_description.contains("SECRET"));
    assert!(
        futures_now(handle.next_request()).is_none(),
        "inner not called"
    );

    // Afterwards the inner service is polled again and called as usual.
    handle.allow(1);
    assert!(service.poll_ready().is_ready());
    let call = service.call(request(Method::GET, "/again", None));
    let (req, send) = handle.next_request().await.unwrap();
    assert_eq!(req.uri().path(), "/again");
    send.send_response(Response::new(Full::from("ok")));
    assert_eq!(call.await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn any_boxed_error_becomes_a_masked_500() {
    let (mut service, mut handle) =
        mock::spawn_layer::<Request<Full<Bytes>>, Response<Full<Bytes>>, _>(ApiErrorLayer::new());
    handle.allow(1);
    assert!(service.poll_ready().is_ready());
    let call = service.call(request(Method::GET, "/", None));
    let (_, send) = handle.next_request().await.unwrap();
    send.send_error(std::io::Error::other("SECRET disk failure"));
    let response = call.await.unwrap();
    let (status, _, parsed) = read_error(response).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(parsed.error, "internal_server_error");
    assert!(!parsed.error_description.contains("SECRET"));
}

#[test]
fn service_and_future_are_send_sync_and_clone() {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_clone<T: Clone>() {}
    type Inner =
        tower::util::BoxCloneSyncService<Request<Full<Bytes>>, Response<Full<Bytes>>, Infallible>;
    assert_send_sync::<ApiErrorLayer>();
    assert_clone::<ApiErrorLayer>();
    assert_send_sync::<ApiErrorService<Inner>>();
    assert_clone::<ApiErrorService<Inner>>();
    assert_send_sync::<
        ResponseFuture<std::future::Ready<Result<Response<Full<Bytes>>, ApiError>>, Full<Bytes>>,
    >();
    assert_send_sync::<ApiError>();
}

/// Polls a future once; `Some` if it completed.
fn futures_now<F: std::future::Future>(future: F) -> Option<F::Output> {
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}
