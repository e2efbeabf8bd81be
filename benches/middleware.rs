//! One request through `ApiErrorLayer`, against the same service without it and against
//! tower-http's nearest equivalent.
//!
//! Every case drives one request through a `tower::Service` with the same synchronous harness
//! (`support::oneshot`: `poll_ready`, `call`, one poll of the response future with a no-op waker,
//! the whole body collected). The request is built outside the timed region
//! (`iter_batched`); dropping it is inside, as the service consumes it. The inner service is
//! `tower::service_fn` answering with `std::future::ready`, so the numbers are the middleware's
//! own cost, not a runtime's or a socket's.
//!
//! Groups:
//!
//! * `success/*`: the inner service answers `200` with a 19-byte body. `bare` is the inner
//!   service alone (the limit); `passthrough` is it behind tower's `MapResponseLayer` with the
//!   identity, the least any layer costs (the layer's own overhead is `api_error_layer` minus
//!   `passthrough`); `api_error_layer` is it behind
//!   `ApiErrorLayer::new().error_uri_base(..)` (as in the demo server); `tower_http_accept` is it
//!   behind tower-http's `ValidateRequestHeaderLayer::accept("application/json")` (the nearest
//!   peer: it also parses `Accept` on every request). One input per `Accept` header.
//! * `error/*`: the inner service fails with `ApiError::not_found(..)` and the layer renders it
//!   in JSON or in XML, `Accept` chosen accordingly. No baseline: compare with `success/*` and
//!   see `benches/render.rs` for other crates' error bodies.
//! * `axum_success/*`: a success through an axum `Router` with `Router::layer`: no layer, the
//!   identity `MapResponseLayer`, this layer (whose responses
//!   axum does not box again).
//! * `not_acceptable/*`: `Accept: text/html`. `api_error_layer` answers `406` with a full JSON
//!   body (it has to build and render the error); `tower_http_accept` answers `406` with an empty
//!   body.
//!
//! ```text
//! cargo bench --bench middleware -- --warm-up-time 1 --measurement-time 3
//! ```

mod support;

use std::future::{ready, Ready};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use http::{header::ACCEPT, HeaderValue, Request, Response, StatusCode};
use http_body_util::Full;
use tower::{service_fn, util::MapResponseLayer, Layer};
use tower_api_error::{ApiError, ApiErrorLayer};
use tower_http::validate_request::ValidateRequestHeaderLayer;

const CHROMIUM: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
    image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
const DOCS: &str = "https://docs.example.com/errors";
const ITEM: &[u8] = br#"{"id":1,"name":"a"}"#;

type Req = Request<Full<Bytes>>;

fn request(accept: Option<&'static str>) -> Req {
    let mut request = Request::get("/items/1")
        .body(Full::default())
        .expect("a request");
    if let Some(accept) = accept {
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static(accept));
    }
    request
}

fn layer() -> ApiErrorLayer {
    ApiErrorLayer::new().error_uri_base(DOCS)
}

fn success(_: Req) -> Ready<Result<Response<Full<Bytes>>, ApiError>> {
    ready(Ok(Response::new(Full::new(Bytes::from_static(ITEM)))))
}

fn failure(_: Req) -> Ready<Result<Response<Full<Bytes>>, ApiError>> {
    ready(Err(ApiError::not_found("No item with id 42.")))
}

fn bench_success(c: &mut Criterion) {
    let mut group = c.benchmark_group("success");
    let accepts: [(&str, Option<&'static str>); 4] = [
        ("chromium", Some(CHROMIUM)),
        ("any", Some("*/*")),
        ("absent", None),
        ("json", Some("application/json")),
    ];
    for (name, accept) in accepts {
        let mut bare = service_fn(success);
        group.bench_function(BenchmarkId::new("bare", name), |b| {
            b.iter_batched(
                || request(accept),
                |req| support::oneshot(&mut bare, req),
                BatchSize::SmallInput,
            );
        });
        let mut passthrough =
            MapResponseLayer::new(std::convert::identity::<Response<Full<Bytes>>>)
                .layer(service_fn(success));
        group.bench_function(BenchmarkId::new("passthrough", name), |b| {
            b.iter_batched(
                || request(accept),
                |req| support::oneshot(&mut passthrough, req),
                BatchSize::SmallInput,
            );
        });
        let mut layered = layer().layer(service_fn(success));
        group.bench_function(BenchmarkId::new("api_error_layer", name), |b| {
            b.iter_batched(
                || request(accept),
                |req| support::oneshot(&mut layered, req),
                BatchSize::SmallInput,
            );
        });
        let mut tower_http =
            ValidateRequestHeaderLayer::accept("application/json").layer(service_fn(success));
        group.bench_function(BenchmarkId::new("tower_http_accept", name), |b| {
            b.iter_batched(
                || request(accept),
                |req| support::oneshot(&mut tower_http, req),
                BatchSize::SmallInput,
            );
        });
        // The four answer alike.
        for (status, body) in [
            support::oneshot(&mut bare, request(accept)),
            support::oneshot(&mut passthrough, request(accept)),
            support::oneshot(&mut layered, request(accept)),
            support::oneshot(&mut tower_http, request(accept)),
        ] {
            assert_eq!((status, &body[..]), (StatusCode::OK, ITEM), "{name}");
        }
    }
    group.finish();
}

fn bench_error(c: &mut Criterion) {
    let mut group = c.benchmark_group("error");
    for (name, accept) in [("json", "application/json"), ("xml", "application/xml")] {
        let mut layered = layer().layer(service_fn(failure));
        let (status, body) = support::oneshot(&mut layered, request(Some(accept)));
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.len() > 60, "{body:?}");
        group.bench_function(BenchmarkId::new("api_error_layer", name), |b| {
            b.iter_batched(
                || request(Some(accept)),
                |req| support::oneshot(&mut layered, req),
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

fn bench_not_acceptable(c: &mut Criterion) {
    let mut group = c.benchmark_group("not_acceptable");
    let accept = Some("text/html");

    let mut layered = layer().layer(service_fn(success));
    let (status, body) = support::oneshot(&mut layered, request(accept));
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert!(!body.is_empty());
    group.bench_function(BenchmarkId::new("api_error_layer", "text_html"), |b| {
        b.iter_batched(
            || request(accept),
            |req| support::oneshot(&mut layered, req),
            BatchSize::SmallInput,
        );
    });

    let mut tower_http =
        ValidateRequestHeaderLayer::accept("application/json").layer(service_fn(success));
    let (status, body) = support::oneshot(&mut tower_http, request(accept));
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert!(body.is_empty());
    group.bench_function(BenchmarkId::new("tower_http_accept", "text_html"), |b| {
        b.iter_batched(
            || request(accept),
            |req| support::oneshot(&mut tower_http, req),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// The same success through an axum `Router` (one route, a handler answering `Json`), as an
/// application layers it with `Router::layer`: no layer, the identity `MapResponseLayer`, this
/// layer (whose responses keep axum's `Body`), and this layer with `wrap_body` (whose
/// `ResponseBody` axum boxes once more).
fn bench_axum(c: &mut Criterion) {
    use axum::{routing::get, Json, Router};

    async fn get_item() -> Json<u64> {
        Json(1)
    }

    let mut group = c.benchmark_group("axum_success");
    let accept = Some("application/json");
    let router = Router::new().route("/items/{id}", get(get_item));
    // `with_state(())` readies the routes once, as `axum::serve` does.
    let mut variants = [
        ("no_layer", router.clone().with_state(())),
        (
            "passthrough",
            router
                .clone()
                .layer(MapResponseLayer::new(
                    std::convert::identity::<axum::response::Response>,
                ))
                .with_state(()),
        ),
        (
            "api_error_layer",
            router.clone().layer(layer()).with_state(()),
        ),
        (
            "api_error_layer_wrap_body",
            router.layer(layer().wrap_body()).with_state(()),
        ),
    ];
    for (name, router) in &mut variants {
        assert_eq!(
            support::oneshot(router, request(accept)),
            (StatusCode::OK, Bytes::from_static(b"1")),
            "{name}"
        );
        group.bench_function(BenchmarkId::new(*name, "json"), |b| {
            b.iter_batched(
                || request(accept),
                |req| support::oneshot(router, req),
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_success,
    bench_error,
    bench_not_acceptable,
    bench_axum
);
criterion_main!(benches);
