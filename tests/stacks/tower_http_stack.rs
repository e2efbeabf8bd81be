//! The layer in the stack axum users run: tower-http's layers in one `ServiceBuilder` in the
//! README's order (and every other order compiling), CORS headers on the layer's own answers,
//! plain routes beside the API, the same code for a rejection however it is taken, and what each
//! tower-http layer's error becomes. What the stack logs is in `tests/logs/tower_http_logs.rs`.

use crate::support;
use std::time::Duration;

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use http_body_util::BodyExt;
use support::{read_error, stack::*};
use tower::{service_fn, ServiceBuilder, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer};
use tower_http::{
    compression::CompressionLayer, cors::CorsLayer, timeout::TimeoutLayer, trace::TraceLayer,
};

/// Each of the five layers, in one `ServiceBuilder`, in every order.
mod every_order {
    use super::*;

    fn trace() -> TraceLayer<
        tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    > {
        TraceLayer::new_for_http()
    }
    fn cors() -> CorsLayer {
        CorsLayer::permissive()
    }
    fn timeout() -> TimeoutLayer {
        TimeoutLayer::with_status_code(StatusCode::GATEWAY_TIMEOUT, Duration::from_secs(5))
    }
    fn compression() -> CompressionLayer {
        CompressionLayer::new()
    }
    fn api_error() -> ApiErrorLayer {
        ApiErrorLayer::new()
    }

    /// `ApiErrorLayer` around tower-http's `CompressionBody`, which is not an `ErrorBody`: the
    /// escape hatch.
    fn api_error_wrap() -> ApiErrorLayer<tower_api_error::body::WrapBody> {
        ApiErrorLayer::new().wrap_body()
    }

    /// Calls `$check` with a `Router` behind each permutation of the layers named. The last
    /// token says whether `compression` is placed already (outside the error layer): if not, the
    /// error layer is placed as `api_error_wrap`, since compression's body will be inside it.
    macro_rules! orders {
        ($check:ident; [$($done:ident)*] [] $flag:tt) => {
            $check(
                stringify!($($done)*),
                Router::new()
                    .route("/", get(ok))
                    .layer(ServiceBuilder::new()$(.layer($done()))*),
            )
            .await;
        };
        ($check:ident; [$($done:ident)*] [$($rest:ident)+] $flag:tt) => {
            orders!(@pick $check; [$($done)*] [] [$($rest)+] $flag);
        };
        (@pick $check:ident; [$($done:ident)*] [$($before:ident)*] [] $flag:tt) => {};
        (@pick $check:ident; [$($done:ident)*] [$($before:ident)*] [$x:ident $($after:ident)*] $flag:tt) => {
            orders!(@place $check; [$($done)*] $x [$($before)* $($after)*] $flag);
            orders!(@pick $check; [$($done)*] [$($before)* $x] [$($after)*] $flag);
        };
        (@place $check:ident; [$($done:ident)*] compression [$($rest:ident)*] $flag:tt) => {
            orders!($check; [$($done)* compression] [$($rest)*] outside);
        };
        (@place $check:ident; [$($done:ident)*] api_error [$($rest:ident)*] inside) => {
            orders!($check; [$($done)* api_error_wrap] [$($rest)*] inside);
        };
        (@place $check:ident; [$($done:ident)*] $x:ident [$($rest:ident)*] $flag:tt) => {
            orders!($check; [$($done)* $x] [$($rest)*] $flag);
        };
    }

    async fn serves(order: &str, app: Router) {
        let response = app.oneshot(get_req("/", &[])).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{order}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body, "fine", "{order}");
    }

    async fn codes_unknown_routes(order: &str, app: Router) {
        let response = app
            .oneshot(get_req("/nope", &[("accept", "application/xml")]))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{order}");
        let (_, _, parsed) = read_error(response).await;
        assert_eq!(parsed.error, "not_found", "{order}");
    }

    /// Every order of the four other layers, with `TraceLayer` outermost and without it.
    /// tower-http's `Cors` and `Timeout` need a response body with `Default`, which
    /// `TraceLayer`'s body does not have: they cannot sit outside `TraceLayer`, with this crate's
    /// layer in the stack or not. The error layer needs `wrap_body` in exactly the orders that
    /// put `CompressionLayer` inside it: half of them.
    #[tokio::test]
    async fn compile_and_serve() {
        let (mut count, mut wrapped) = (0, Vec::new());
        let mut counted = |order: &str, _: Router| {
            count += 1;
            if order.contains("api_error_wrap") {
                wrapped.push(order.to_owned());
                let (compression, api_error) = (
                    order.find("compression").unwrap(),
                    order.find("api_error_wrap").unwrap(),
                );
                assert!(api_error < compression, "{order}");
            }
            std::future::ready(())
        };
        orders!(counted; [trace] [cors timeout compression api_error] inside);
        orders!(counted; [] [cors timeout compression api_error] inside);
        assert_eq!(count, 48);
        assert_eq!(wrapped.len(), 24, "{wrapped:#?}");
        orders!(serves; [trace] [cors timeout compression api_error] inside);
        orders!(serves; [] [cors timeout compression api_error] inside);
        orders!(codes_unknown_routes; [trace] [cors timeout compression api_error] inside);
        orders!(codes_unknown_routes; [] [cors timeout compression api_error] inside);
    }
}

#[tokio::test]
async fn a_wrapped_router_is_served_by_axum_serve() {
    // The whole `Router` wrapped once, its response body mapped back to axum's `Body`.
    let service = ServiceBuilder::new()
        .map_response(IntoResponse::into_response)
        .layer(ApiErrorLayer::new().error_uri_base(DOCS))
        .service(api());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            axum::ServiceExt::<Request>::into_make_service(service),
        )
        .await
        .unwrap();
    });

    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Body>();
    let request = Request::get(format!("http://{addr}/nope"))
        .header(header::ACCEPT, "application/xml")
        .body(Body::empty())
        .unwrap();
    let (status, _, parsed) = read_error(client.request(request).await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(parsed.error, "not_found");
    assert_eq!(
        parsed.error_uri.as_deref(),
        Some("https://docs.example.com/errors#not_found")
    );
}

#[tokio::test]
async fn the_layers_own_answers_carry_cors_headers() {
    // The up-front 406.
    let (status, headers, parsed) = call(
        app(),
        get_req("/items/1", &[("accept", "text/html"), ("origin", ORIGIN)]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], ORIGIN);
    assert_eq!(parsed.error, "not_acceptable");

    // The panic's 500, in both formats.
    for accept in ["application/json", "application/xml"] {
        let (status, headers, parsed) = call(
            app(),
            get_req("/panic", &[("accept", accept), ("origin", ORIGIN)]),
        )
        .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{accept}");
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], ORIGIN);
        assert_eq!(parsed.error, "internal_server_error");
        assert!(!parsed.error_description.contains("SECRET"));
    }
}

#[tokio::test]
async fn error_bodies_are_compressed_outside_the_layer() {
    let response = app()
        .oneshot(get_req(
            "/panic",
            &[("accept", "application/json"), ("accept-encoding", "gzip")],
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn plain_routes_beside_the_api() {
    let response = app()
        .oneshot(get_req("/health", &[("accept", "text/plain")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/plain; charset=utf-8"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, "ok");

    let (status, _, parsed) = call(app(), get_req("/items/1", &[("accept", "text/plain")])).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(parsed.error, "not_acceptable");

    // Unknown routes stay behind the layer: the fallback was layered with the API routes.
    let (status, _, parsed) = call(app(), get_req("/nope", &[])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(parsed.error, "not_found");
}

/// The same code for the same rejection, whether the handler takes the extractor directly (axum
/// answers with plain text, which the layer rewrites) or takes `Result<_, Rejection>` and uses
/// `?`.
mod extractors {
    use axum::extract::{
        rejection::{
            BytesRejection, FormRejection, JsonRejection, PathRejection, QueryRejection,
            RawFormRejection, StringRejection,
        },
        DefaultBodyLimit, Form, Json, Path, Query, RawForm,
    };
    use bytes::Bytes;
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    struct Paging {
        #[allow(dead_code)]
        limit: u32,
    }

    #[derive(Deserialize)]
    struct NewItem {
        #[allow(dead_code)]
        name: String,
    }

    /// A route taking the extractor directly and one taking its `Result`, for each extractor.
    macro_rules! both_ways {
        ($router:expr, $($path:literal: $extractor:ty, $rejection:ty;)*) => {{
            let mut router = $router;
            $(
                router = router
                    .route(
                        concat!("/direct", $path),
                        get(|_: $extractor| async {}).post(|_: $extractor| async {}),
                    )
                    .route(
                        concat!("/result", $path),
                        get(|value: Result<$extractor, $rejection>| async move {
                            value.map(|_| ()).map_err(ApiError::from)
                        })
                        .post(|value: Result<$extractor, $rejection>| async move {
                            value.map(|_| ()).map_err(ApiError::from)
                        }),
                    );
            )*
            router
        }};
    }

    fn app() -> Router {
        both_ways!(Router::new(),
            "/path/{id}": Path<u64>, PathRejection;
            "/query": Query<Paging>, QueryRejection;
            "/json": Json<NewItem>, JsonRejection;
            "/form": Form<NewItem>, FormRejection;
            "/raw_form": RawForm, RawFormRejection;
            "/bytes": Bytes, BytesRejection;
            "/string": String, StringRejection;
        )
        .layer(DefaultBodyLimit::max(64))
        .layer(ApiErrorLayer::new())
    }

    /// Method, path, `Content-Type`, body, and the status and code expected.
    type Case<'a> = (Method, &'a str, Option<&'a str>, &'a [u8], u16, &'a str);

    const JSON: Option<&str> = Some("application/json");
    const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

    #[tokio::test]
    async fn same_code_both_ways() {
        let long = format!("{{\"name\":\"{}\"}}", "x".repeat(100));
        let cases: &[Case<'_>] = &[
            (
                Method::GET,
                "/path/abc",
                None,
                b"",
                400,
                "invalid_parameter",
            ),
            (
                Method::GET,
                "/query?limit=many",
                None,
                b"",
                400,
                "invalid_value_parameter",
            ),
            (
                Method::GET,
                "/query",
                None,
                b"",
                400,
                "invalid_value_parameter",
            ),
            (
                Method::POST,
                "/json",
                JSON,
                b"{\"name\":",
                400,
                "invalid_parameter",
            ),
            (
                Method::POST,
                "/json",
                JSON,
                b"{\"nom\":\"x\"}",
                422,
                "unprocessable_entity",
            ),
            (
                Method::POST,
                "/json",
                None,
                b"{\"name\":\"x\"}",
                415,
                "unsupported_media_type",
            ),
            (
                Method::POST,
                "/json",
                JSON,
                long.as_bytes(),
                413,
                "payload_too_large",
            ),
            (
                Method::GET,
                "/form?nom=x",
                None,
                b"",
                400,
                "invalid_parameter",
            ),
            (
                Method::POST,
                "/form",
                FORM,
                b"nom=x",
                422,
                "unprocessable_entity",
            ),
            (
                Method::POST,
                "/form",
                JSON,
                b"name=x",
                415,
                "unsupported_media_type",
            ),
            (
                Method::POST,
                "/raw_form",
                JSON,
                b"name=x",
                415,
                "unsupported_media_type",
            ),
            (
                Method::POST,
                "/bytes",
                None,
                &[b'x'; 100],
                413,
                "payload_too_large",
            ),
            (
                Method::POST,
                "/string",
                None,
                &[0xff, 0xfe],
                400,
                "invalid_parameter",
            ),
            (
                Method::POST,
                "/string",
                None,
                &[b'x'; 100],
                413,
                "payload_too_large",
            ),
        ];
        for (method, path, content_type, body, status, code) in cases {
            for accept in ["application/json", "application/xml"] {
                let mut answers = Vec::new();
                for way in ["/direct", "/result"] {
                    let mut request = Request::builder()
                        .method(method)
                        .uri(format!("{way}{path}"))
                        .header(header::ACCEPT, accept);
                    if let Some(content_type) = content_type {
                        request = request.header(header::CONTENT_TYPE, *content_type);
                    }
                    let request = request.body(Body::from(body.to_vec())).unwrap();
                    let (got, _, parsed) = call(app(), request).await;
                    assert_eq!(got.as_u16(), *status, "{way}{path} {accept}");
                    assert_eq!(parsed.error, *code, "{way}{path} {accept}");
                    answers.push(parsed);
                }
                assert_eq!(answers[0], answers[1], "{path} {accept}");
            }
        }
    }
}

/// What each tower-http layer's error becomes with the layer outside it.
mod tower_http_errors {
    use tower_http::{
        catch_panic::CatchPanicLayer, csrf::CsrfLayer, limit::RequestBodyLimitLayer,
        validate_request::ValidateRequestHeaderLayer,
    };

    use super::*;

    fn routes() -> Router {
        Router::new()
            .route(
                "/text",
                get(|| async { "the resource's own text" }).post(ok),
            )
            .route(
                "/json",
                get(|| async { axum::Json(serde_json::json!({"resource": "own json"})) }),
            )
            .route("/slow", get(slow))
            .route("/panic", get(panics))
            .route(
                "/missing",
                get(|| async { ApiError::not_found(format!("No item {}.", "9".repeat(80))) }),
            )
    }

    /// The routes behind a tower-http layer, behind the error layer.
    macro_rules! behind {
        ($layer:expr, $inner:expr) => {
            routes().layer(ServiceBuilder::new().layer($inner).layer($layer))
        };
    }

    #[tokio::test]
    async fn compression_refusing_every_coding_is_a_coded_406() {
        for path in ["/text", "/json"] {
            for accept in ["application/json", "application/xml"] {
                let request = get_req(
                    path,
                    &[("accept", accept), ("accept-encoding", "identity;q=0")],
                );
                let app = behind!(CompressionLayer::new(), ApiErrorLayer::new().wrap_body());
                let (status, headers, parsed) = call(app, request).await;
                assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{path}");
                assert_eq!(parsed.error, "not_acceptable");
                assert!(
                    parsed.error_description.contains("content coding"),
                    "{}",
                    parsed.error_description
                );
                assert!(!parsed.error_description.contains("own"));
                // The compression layer's `accept-encoding` and the layer's `Accept`, on one
                // line or on several.
                let vary: Vec<String> = headers
                    .get_all(header::VARY)
                    .iter()
                    .flat_map(|v| v.to_str().unwrap().split(','))
                    .map(|name| name.trim().to_ascii_lowercase())
                    .collect();
                assert!(vary.iter().any(|v| v == "accept-encoding"), "{vary:?}");
                assert!(vary.iter().any(|v| v == "accept"), "{vary:?}");
                assert!(!headers.contains_key(header::CONTENT_ENCODING));
            }
        }
    }

    #[tokio::test]
    async fn an_error_compressed_inside_the_layer_is_rendered_uncompressed() {
        let app = behind!(CompressionLayer::new(), ApiErrorLayer::new().wrap_body());
        let request = get_req(
            "/missing",
            &[("accept", "application/xml"), ("accept-encoding", "gzip")],
        );
        let (status, headers, parsed) = call(app, request).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!headers.contains_key(header::CONTENT_ENCODING));
        assert_eq!(parsed.error, "not_found");
    }

    #[tokio::test]
    async fn a_401_without_a_challenge_gets_one() {
        #[allow(deprecated)]
        let bearer = || ValidateRequestHeaderLayer::bearer("secret");
        for accept in ["application/json", "application/xml"] {
            let (status, headers, parsed) = call(
                behind!(bearer(), ApiErrorLayer::new()),
                get_req("/text", &[("accept", accept)]),
            )
            .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert_eq!(parsed.error, "unauthorized");
            assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
        }

        let basic = HeaderValue::from_static("Basic realm=\"api\"");
        let layer = ApiErrorLayer::new().default_challenge(Some(basic.clone()));
        let (_, headers, _) = call(behind!(bearer(), layer), get_req("/text", &[])).await;
        assert_eq!(headers[header::WWW_AUTHENTICATE], basic);

        let layer = ApiErrorLayer::new().default_challenge(None);
        let (status, headers, _) = call(behind!(bearer(), layer), get_req("/text", &[])).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(!headers.contains_key(header::WWW_AUTHENTICATE));

        // A challenge already there is kept.
        let layer = ApiErrorLayer::new().default_challenge(Some(basic));
        let app = Router::new()
            .route("/token", get(|| async { ApiError::invalid_token("") }))
            .layer(layer);
        let (_, headers, _) = call(app, get_req("/token", &[])).await;
        assert_eq!(
            headers[header::WWW_AUTHENTICATE],
            "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\""
        );
    }

    #[tokio::test]
    async fn the_other_layers_errors_are_coded() {
        let limit = behind!(
            RequestBodyLimitLayer::new(4),
            ApiErrorLayer::new().wrap_body()
        );
        let request = Request::post("/text")
            .header(header::CONTENT_LENGTH, "100")
            .body(Body::from(vec![0u8; 100]))
            .unwrap();
        let (status, _, parsed) = call(limit, request).await;
        assert_eq!(
            (status.as_u16(), parsed.error.as_str()),
            (413, "payload_too_large")
        );

        for (status, code) in [
            (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable"),
            (StatusCode::GATEWAY_TIMEOUT, "gateway_timeout"),
        ] {
            let timeout = TimeoutLayer::with_status_code(status, TIMEOUT);
            let (got, _, parsed) = call(
                behind!(timeout, ApiErrorLayer::new()),
                get_req("/slow", &[]),
            )
            .await;
            assert_eq!((got, parsed.error.as_str()), (status, code));
        }

        let accept = ValidateRequestHeaderLayer::accept("application/json");
        let (status, _, parsed) = call(
            behind!(accept, ApiErrorLayer::new()),
            get_req("/text", &[("accept", "application/xml")]),
        )
        .await;
        assert_eq!(
            (status.as_u16(), parsed.error.as_str()),
            (406, "not_acceptable")
        );

        let csrf = behind!(CsrfLayer::new(), ApiErrorLayer::new());
        let request = Request::post("/text")
            .header("sec-fetch-site", "cross-site")
            .header(header::ACCEPT, "application/xml")
            .body(Body::empty())
            .unwrap();
        let response = csrf.oneshot(request).await.unwrap();
        assert!(response
            .extensions()
            .get::<tower_http::csrf::ProtectionError>()
            .is_some());
        let (status, _, parsed) = read_error(response).await;
        assert_eq!(
            (status.as_u16(), parsed.error.as_str()),
            (403, "unauthorized_client")
        );

        let panic = behind!(CatchPanicLayer::new(), ApiErrorLayer::new().wrap_body());
        let (status, _, parsed) = call(panic, get_req("/panic", &[])).await;
        assert_eq!(
            (status.as_u16(), parsed.error.as_str()),
            (500, "internal_server_error")
        );
        assert!(!parsed.error_description.contains("SECRET"));
    }

    #[tokio::test]
    async fn a_service_fn_behind_tower_http_layers_composes_too() {
        let service = ServiceBuilder::new()
            .layer(CorsLayer::permissive())
            .layer(ApiErrorLayer::new())
            .layer(TimeoutLayer::with_status_code(
                StatusCode::GATEWAY_TIMEOUT,
                TIMEOUT,
            ))
            .service(service_fn(|_: Request| async {
                Err::<Response, _>(ApiError::not_found("gone"))
            }));
        let (status, headers, parsed) = read_error(
            service
                .oneshot(get_req("/", &[("origin", ORIGIN)]))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(parsed.error_description, "gone");
    }
}
