//! The two body kinds: the default layer's responses carry the inner service's own body type,
//! and are otherwise exactly those of `ApiErrorLayer::wrap_body`, for every kind of answer the
//! layer makes.

use axum::{body::Body, routing::get, Router};
use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::{service_fn, Layer, Service, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer, ErrorInfo};

const DOCS: &str = "https://docs.example.com/errors";

/// An answer of every kind the layer treats differently, by path.
async fn handle(req: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
    let status = |status: StatusCode, body: &'static str| {
        let mut response = Response::new(Full::from(body));
        *response.status_mut() = status;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("text/plain"),
        );
        Ok(response)
    };
    match req.uri().path() {
        "/ok" => status(StatusCode::OK, "fine"),
        "/created" => status(StatusCode::CREATED, "made"),
        "/plain-404" => status(StatusCode::NOT_FOUND, "no such thing"),
        "/plain-500" => status(StatusCode::INTERNAL_SERVER_ERROR, "db-3 refused"),
        "/boom" => Err(ApiError::internal_server_error("secret: db-3 refused")),
        "/panic" => panic!("the handler panicked with a secret"),
        path => Err(ApiError::not_found(format!("Nothing at {path}."))),
    }
}

struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Bytes,
    code: Option<String>,
}

async fn answer<B>(response: Response<B>) -> Answer
where
    B: http_body::Body<Data = Bytes>,
    B::Error: std::fmt::Debug,
{
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        code: parts
            .extensions
            .get::<ErrorInfo>()
            .map(|info| info.code().to_owned()),
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

fn request(method: &Method, path: &str, accept: Option<&str>) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method.clone())
        .uri(path)
        .header("x-request-id", "req-7");
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, accept);
    }
    builder.body(Full::default()).unwrap()
}

#[tokio::test]
async fn every_answer_is_the_default_layers() {
    let layer = ApiErrorLayer::new().error_uri_base(DOCS);
    let paths = [
        "/ok",
        "/created",
        "/items/42",
        "/plain-404",
        "/plain-500",
        "/boom",
        "/panic",
    ];
    let accepts = [
        None,
        Some("application/json"),
        Some("application/xml"),
        Some("application/problem+json"),
        Some("text/html"),
    ];
    let mut errors = 0;
    for method in [Method::GET, Method::HEAD] {
        for path in paths {
            for accept in accepts {
                let wrapped = layer
                    .clone()
                    .wrap_body()
                    .layer(service_fn(handle))
                    .oneshot(request(&method, path, accept))
                    .await
                    .unwrap();
                let same: Response<Full<Bytes>> = layer
                    .clone()
                    .layer(service_fn(handle))
                    .oneshot(request(&method, path, accept))
                    .await
                    .unwrap();
                let (wrapped, same) = (answer(wrapped).await, answer(same).await);
                let case = format!("{method} {path} (Accept: {accept:?})");
                assert_eq!(wrapped.status, same.status, "{case}");
                assert_eq!(wrapped.headers, same.headers, "{case}");
                assert_eq!(wrapped.body, same.body, "{case}");
                assert_eq!(wrapped.code, same.code, "{case}");
                if same.status.is_client_error() || same.status.is_server_error() {
                    errors += 1;
                    assert!(same.code.is_some(), "{case}: no ErrorInfo");
                    assert!(
                        !String::from_utf8_lossy(&same.body).contains("secret"),
                        "{case}: {:?}",
                        same.body
                    );
                }
            }
        }
    }
    // Every path but the two successes fails, and `text/html` fails on every path.
    assert_eq!(errors, 2 * (5 * 5 + 2), "errors answered");
}

async fn get_item() -> Result<&'static str, ApiError> {
    Err(ApiError::not_found("No item with id 42."))
}

#[tokio::test]
async fn axum_routers_answer_alike() {
    let router = || Router::new().route("/items/{id}", get(get_item));
    let layer = ApiErrorLayer::new().error_uri_base(DOCS);
    for accept in ["application/json", "application/xml", "text/html"] {
        let request = || {
            Request::get("/items/42")
                .header(header::ACCEPT, accept)
                .body(Body::empty())
                .unwrap()
        };
        let wrapped = router()
            .layer(layer.clone().wrap_body())
            .oneshot(request())
            .await
            .unwrap();
        let mut service = layer.clone().layer(router());
        // A router wrapped once answers with axum's own response: no mapping needed.
        let same: axum::response::Response =
            ServiceExt::<axum::extract::Request>::ready(&mut service)
                .await
                .unwrap()
                .call(request())
                .await
                .unwrap();
        let (wrapped, same) = (answer(wrapped).await, answer(same).await);
        assert_eq!(wrapped.status, same.status, "{accept}");
        assert_eq!(wrapped.headers, same.headers, "{accept}");
        assert_eq!(wrapped.body, same.body, "{accept}");
        assert_eq!(wrapped.code, same.code, "{accept}");
        assert!(same.status.is_client_error(), "{accept}: {}", same.status);
    }
}
