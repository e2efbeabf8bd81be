//! The small, fixed axum app that `benches/e2e.sh` serves and loads, in one of several variants,
//! so that the variants differ only in the layer around the same routes.
//!
//! ```text
//! cargo build --release --example e2e_app
//! E2E_LAYER=api_error E2E_SUBSCRIBER=on PORT=3910 target/release/examples/e2e_app
//! ```
//!
//! One route, `GET /items/{id}`: id 1 answers `200` with a small JSON item, any other id `404`
//! with a JSON error body. Settings (environment):
//!
//! * `E2E_LAYER`: `none` (no layer), `passthrough` (tower's `MapResponseLayer` with the identity,
//!   the least a layer can cost), `catch_panic` (tower-http's `CatchPanicLayer`), `api_error`
//!   (`ApiErrorLayer::new()`, whose responses keep axum's body type) or `api_error_wrap`
//!   (`ApiErrorLayer::new().wrap_body()`, whose `ResponseBody` axum boxes once more) or
//!   `api_error_languages` (`ApiErrorLayer::new()` answering in `en` and `pt-BR`). With `none`,
//!   `passthrough` and `catch_panic` the handler answers the 404 itself with axum's
//!   `(StatusCode, Json(body))`; with the `api_error` variants it returns
//!   `Err(ApiError::not_found(..))` and the layer renders it.
//! * `E2E_APPLY`: `route` (`Router::layer`, which applies the layer to each route and the
//!   fallback) or `router` (the whole `Router` wrapped once, with a `ServiceBuilder`). Default
//!   `route`.
//! * `E2E_SUBSCRIBER`: `on` installs a `tracing_subscriber::fmt` subscriber with an `EnvFilter`
//!   at `info` (writing to stderr; nothing here logs at `info`), `off` none. Default `on`.
//! * `PORT`: the loopback port, default 3910.

use std::net::SocketAddr;

use axum::{
    extract::{Path, Request},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::Serialize;
use tower::{util::MapResponseLayer, Layer, ServiceBuilder};
use tower_api_error::{ApiError, ApiErrorLayer};
use tower_http::catch_panic::CatchPanicLayer;

#[derive(Serialize)]
struct Item {
    id: u64,
    name: &'static str,
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    error_description: String,
}

const NOT_FOUND: &str = "No item with id";

/// The handler of every variant but `api_error`: the 404 made by the handler itself.
async fn item_plain(Path(id): Path<u64>) -> Response {
    if id == 1 {
        return Json(Item { id, name: "a" }).into_response();
    }
    let body = ErrorBody {
        error: "not_found",
        error_description: format!("{NOT_FOUND} {id}."),
    };
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// The handler of `api_error`: the 404 rendered by the layer.
async fn item_api_error(Path(id): Path<u64>) -> Result<Json<Item>, ApiError> {
    if id == 1 {
        return Ok(Json(Item { id, name: "a" }));
    }
    Err(ApiError::not_found(format!("{NOT_FOUND} {id}.")))
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// The identity, as a layer: what any layer costs at the least inside axum.
fn passthrough() -> MapResponseLayer<fn(Response) -> Response> {
    MapResponseLayer::new(std::convert::identity)
}

/// Serves `router` as `axum::serve` does.
async fn serve_router(listener: tokio::net::TcpListener, router: Router) {
    axum::serve(listener, router).await.expect("serve");
}

/// Serves a service wrapped around the whole router, whose body is mapped back to axum's.
async fn serve_wrapped<L>(listener: tokio::net::TcpListener, router: Router, layer: L)
where
    L: Layer<Router>,
    L::Service:
        tower::Service<Request, Error = std::convert::Infallible> + Clone + Send + Sync + 'static,
    <L::Service as tower::Service<Request>>::Response: IntoResponse,
    <L::Service as tower::Service<Request>>::Future: Send,
{
    let service = ServiceBuilder::new()
        .map_response(IntoResponse::into_response)
        .layer(layer)
        .service(router);
    let service = axum::ServiceExt::<Request>::into_make_service(service);
    axum::serve(listener, service).await.expect("serve");
}

#[tokio::main]
async fn main() {
    let layer = env("E2E_LAYER", "api_error");
    let apply = env("E2E_APPLY", "route");
    let subscriber = env("E2E_SUBSCRIBER", "on");
    let port: u16 = env("PORT", "3910").parse().expect("PORT, a number");

    match subscriber.as_str() {
        "on" => tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
            .with_writer(std::io::stderr)
            .init(),
        "off" => {}
        other => panic!("E2E_SUBSCRIBER: on or off, not {other:?}"),
    }

    let handler = if layer.starts_with("api_error") {
        get(item_api_error)
    } else {
        get(item_plain)
    };
    let router = Router::new().route("/items/{id}", handler);

    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .expect("bind");
    eprintln!("e2e_app: layer {layer}, applied per {apply}, subscriber {subscriber}, port {port}");
    match (layer.as_str(), apply.as_str()) {
        ("none", _) => serve_router(listener, router).await,
        ("passthrough", "route") => serve_router(listener, router.layer(passthrough())).await,
        ("passthrough", "router") => serve_wrapped(listener, router, passthrough()).await,
        ("catch_panic", "route") => {
            serve_router(listener, router.layer(CatchPanicLayer::new())).await;
        }
        ("catch_panic", "router") => serve_wrapped(listener, router, CatchPanicLayer::new()).await,
        ("api_error", "route") => serve_router(listener, router.layer(ApiErrorLayer::new())).await,
        ("api_error", "router") => serve_wrapped(listener, router, ApiErrorLayer::new()).await,
        ("api_error_languages", "route") => {
            serve_router(listener, router.layer(with_languages())).await;
        }
        ("api_error_languages", "router") => {
            serve_wrapped(listener, router, with_languages()).await;
        }
        ("api_error_wrap", "route") => {
            serve_router(listener, router.layer(ApiErrorLayer::new().wrap_body())).await;
        }
        ("api_error_wrap", "router") => {
            serve_wrapped(listener, router, ApiErrorLayer::new().wrap_body()).await;
        }
        other => panic!("unknown E2E_LAYER/E2E_APPLY {other:?}"),
    }
}

/// The layer answering in two languages, the demo's.
fn with_languages() -> ApiErrorLayer {
    use tower_api_error::language::{LanguageTag, Languages};
    let languages =
        Languages::new(LanguageTag::from_static("en")).with(LanguageTag::from_static("pt-BR"));
    ApiErrorLayer::new().languages(languages)
}
