//! Runs one hot path of the crate, or of a baseline, `N` times: the subject of
//! `benches/instructions.sh`, which counts the instructions it executes under valgrind's
//! callgrind. Instruction counts do not depend on the machine's load, so they show what a change
//! did where criterion's times on a shared machine vary by more than the change.
//!
//! ```text
//! cargo build --release --example hot_paths
//! target/release/examples/hot_paths CASE ACCEPT N
//! ```
//!
//! `CASE` is one of
//!
//! * `negotiate`: `negotiate::negotiate` on a `HeaderMap` holding `ACCEPT`;
//! * `bare`, `passthrough`, `layer`, `tower_http`: a request that succeeds, through a
//!   `service_fn` alone, behind tower's `MapResponseLayer` with the identity (the least a layer
//!   costs), behind `ApiErrorLayer` (with an `error_uri_base`, as in the demo server), or behind
//!   tower-http's `ValidateRequestHeaderLayer::accept("application/json")`, body collected;
//! * `error`: through `ApiErrorLayer` over a service that fails with `ApiError::not_found`;
//!   `error_problem`: the same with `ProblemDetails::Always` (the RFC 9457 shape);
//!   `error_members`: `error` with three extension members (an integer, two strings, a boolean);
//! * `axum_bare`, `axum_passthrough`, `axum_layer`, `axum_tower_http`: a request that succeeds
//!   through an axum `Router` (one route, a handler answering `Json`), without a layer, with the
//!   identity `MapResponseLayer`, with `.layer(ApiErrorLayer::..)`, or with tower-http's `accept`
//!   layer, as an application uses
//!   them: the `Router`'s own cloning and boxing around any layer are counted;
//! * `into_response`, `axum_json`: `ApiError::not_found(..).into_response()`, or axum's
//!   `(StatusCode, Json(..)).into_response()` with the same members, the response dropped
//!   unread; `into_response_read`, `axum_json_read`: the same with the body collected;
//! * `axum_error_layer`, `axum_error_bare`: the served 404 of `benches/e2e.sh` in process: a
//!   `Router` whose handler returns `ApiError::not_found(..)` behind `.layer(ApiErrorLayer::..)`,
//!   or `(StatusCode, Json(..))` behind the identity `MapResponseLayer`, body collected;
//! * `none`: builds and drops the requests and nothing else, to subtract.
//!
//! `ACCEPT` is `absent`, `any` (`*/*`), `json`, `xml`, `html` (`text/html`), `chromium`,
//! `firefox`, `axios` or `java` (the headers of `benches/negotiate.rs`), or `raw:VALUE` for the
//! header `VALUE` itself (to see what one kind of element costs).
//!
//! Requests are built before the loop, outside what the script counts per request. With
//! `SUBSCRIBER=on` in the environment a `tracing_subscriber::fmt` subscriber at `info` is
//! installed first (writing nowhere), as in a served application; with `LOG_PATH=on` the layer
//! is built with `log_method_and_path(true)` (off by default); with `LANGUAGES=on` it answers in
//! `en` and `pt-BR`, and `ACCEPT_LANGUAGE=VALUE` gives every request that `Accept-Language`.
//!
//! `axum_layer_wrap` and `axum_error_layer_wrap` are `axum_layer` and `axum_error_layer` with
//! `ApiErrorLayer::wrap_body`.

use std::{
    future::{ready, Future, Ready},
    hint::black_box,
    pin::pin,
    task::{Context, Poll, Waker},
};

use axum::{extract::Path, response::IntoResponse, routing::get, Json, Router};
use bytes::Bytes;
use http::{header::ACCEPT, HeaderValue, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::{BodyExt, Full};
use tower::{service_fn, util::MapResponseLayer, Layer, Service};
use tower_api_error::{member::MemberName, negotiate::negotiate, ApiError, ApiErrorLayer, Format};
use tower_http::validate_request::ValidateRequestHeaderLayer;

type Req = Request<Full<Bytes>>;

const DESCRIPTION: &str = "No item with id 42.";

fn accept(name: &str) -> Option<&'static str> {
    if let Some(value) = name.strip_prefix("raw:") {
        return Some(String::leak(value.to_owned()));
    }
    Some(match name {
        "absent" => return None,
        "any" => "*/*",
        "json" => "application/json",
        "xml" => "application/xml",
        "html" => "text/html",
        "chromium" => {
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,\
             image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
        }
        "firefox" => {
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
        }
        "axios" => "application/json, text/plain, */*",
        "java" => "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
        other => panic!("unknown Accept name {other:?}"),
    })
}

fn request(accept: Option<&'static str>) -> Req {
    let mut request = Request::get("/items/1")
        .body(Full::default())
        .expect("a request");
    if let Some(accept) = accept {
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static(accept));
    }
    if let Ok(value) = std::env::var("ACCEPT_LANGUAGE") {
        let value = HeaderValue::from_str(&value).expect("an Accept-Language value");
        request
            .headers_mut()
            .insert(http::header::ACCEPT_LANGUAGE, value);
    }
    request
}

fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("expected a ready future"),
    }
}

/// One request through `service`, body collected; returns something to keep.
fn oneshot<S, B>(service: &mut S, request: Req) -> usize
where
    S: Service<Req, Response = Response<B>>,
    S::Error: std::fmt::Debug,
    B: Body,
    B::Error: std::fmt::Debug,
{
    let ready = service.poll_ready(&mut Context::from_waker(Waker::noop()));
    assert!(matches!(ready, Poll::Ready(Ok(()))));
    let response = now(service.call(request)).expect("a response");
    let status = usize::from(response.status().as_u16());
    status
        + now(response.into_body().collect())
            .expect("a body")
            .to_bytes()
            .len()
}

fn item(_: Req) -> Ready<Result<Response<Full<Bytes>>, ApiError>> {
    ready(Ok(Response::new(Full::new(Bytes::from_static(
        br#"{"id":1,"name":"a"}"#,
    )))))
}

fn failure(_: Req) -> Ready<Result<Response<Full<Bytes>>, ApiError>> {
    ready(Err(ApiError::not_found(DESCRIPTION)))
}

const EXISTING_ID: MemberName = MemberName::from_static("existing_id");
const SIMILAR: MemberName = MemberName::from_static("similar");
const RETRYABLE: MemberName = MemberName::from_static("retryable");

/// [`failure`] with three members: an integer, a list of two strings and a boolean.
fn failure_with_members(_: Req) -> Ready<Result<Response<Full<Bytes>>, ApiError>> {
    ready(Err(ApiError::not_found(DESCRIPTION)
        .with_member(EXISTING_ID, 42)
        .with_member(SIMILAR, vec!["lamp", "lamps"])
        .with_member(RETRYABLE, false)))
}

#[derive(serde::Serialize)]
struct Item {
    id: u64,
    name: &'static str,
}

async fn get_item(Path(id): Path<u64>) -> Json<Item> {
    Json(Item { id, name: "a" })
}

async fn missing_item(Path(_): Path<u64>) -> Result<Json<Item>, ApiError> {
    Err(ApiError::not_found(black_box(DESCRIPTION)))
}

async fn missing_item_json(Path(_): Path<u64>) -> axum::response::Response {
    let body = ErrorBody {
        error: "not_found",
        error_description: black_box(DESCRIPTION),
    };
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// The body of an axum response, collected: its length.
fn read(response: axum::response::Response) -> usize {
    now(response.into_body().collect())
        .expect("a body")
        .to_bytes()
        .len()
}

#[derive(serde::Serialize)]
struct ErrorBody {
    error: &'static str,
    error_description: &'static str,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [case, accept_name, n] = &args[..] else {
        eprintln!("usage: hot_paths CASE ACCEPT N");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("N, a number");
    if std::env::var("SUBSCRIBER").as_deref() == Ok("on") {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
            .with_writer(std::io::sink)
            .init();
    }
    let accept = accept(accept_name);
    let log_path = std::env::var("LOG_PATH").as_deref() == Ok("on");
    let languages = std::env::var("LANGUAGES").as_deref() == Ok("on");
    let layer = || {
        let layer = ApiErrorLayer::new()
            .error_uri_base("https://docs.example.com/errors")
            .log_method_and_path(log_path);
        if languages {
            use tower_api_error::language::{LanguageTag, Languages};
            layer.languages(
                Languages::new(LanguageTag::from_static("en"))
                    .with(LanguageTag::from_static("pt-BR")),
            )
        } else {
            layer
        }
    };
    let mut kept = 0;
    match case.as_str() {
        "negotiate" => {
            let headers = request(accept).into_parts().0.headers;
            for _ in 0..n {
                let format = negotiate(black_box(&headers), Format::Json);
                kept += format.map_or(9, |format| format as usize);
            }
        }
        "into_response" => {
            for _ in 0..n {
                let response = ApiError::not_found(black_box(DESCRIPTION)).into_response();
                kept += usize::from(response.status().as_u16());
            }
        }
        "into_response_read" => {
            for _ in 0..n {
                let response = ApiError::not_found(black_box(DESCRIPTION)).into_response();
                kept += usize::from(response.status().as_u16()) + read(response);
            }
        }
        "axum_json_read" => {
            for _ in 0..n {
                let body = ErrorBody {
                    error: "not_found",
                    error_description: black_box(DESCRIPTION),
                };
                let response = (StatusCode::NOT_FOUND, Json(body)).into_response();
                kept += usize::from(response.status().as_u16()) + read(response);
            }
        }
        "axum_json" => {
            for _ in 0..n {
                let body = ErrorBody {
                    error: "not_found",
                    error_description: black_box(DESCRIPTION),
                };
                let response = (StatusCode::NOT_FOUND, Json(body)).into_response();
                kept += usize::from(response.status().as_u16());
            }
        }
        case => {
            let requests: Vec<Req> = (0..n).map(|_| request(accept)).collect();
            let mut bare = service_fn(item);
            let mut passthrough =
                MapResponseLayer::new(std::convert::identity::<Response<Full<Bytes>>>)
                    .layer(service_fn(item));
            let mut layered = layer().layer(service_fn(item));
            let mut failing = layer().layer(service_fn(failure));
            let mut failing_members = layer().layer(service_fn(failure_with_members));
            let mut failing_problem = layer()
                .problem_details(tower_api_error::ProblemDetails::Always)
                .layer(service_fn(failure));
            let mut tower_http =
                ValidateRequestHeaderLayer::accept("application/json").layer(service_fn(item));
            // `with_state(())` readies the routes once, as `axum::serve` does; called as a
            // service without it, a `Router<()>` readies its route again for every request.
            let router = Router::new().route("/items/{id}", get(get_item));
            let mut axum_bare = router.clone().with_state(());
            let mut axum_passthrough = router
                .clone()
                .layer(MapResponseLayer::new(
                    std::convert::identity::<axum::response::Response>,
                ))
                .with_state(());
            let mut axum_layer = router.clone().layer(layer()).with_state(());
            let mut axum_layer_wrap = router.clone().layer(layer().wrap_body()).with_state(());
            let mut axum_tower_http = router
                .layer(ValidateRequestHeaderLayer::accept("application/json"))
                .with_state(());
            let mut axum_error_layer = Router::new()
                .route("/items/{id}", get(missing_item))
                .layer(layer())
                .with_state(());
            let mut axum_error_layer_wrap = Router::new()
                .route("/items/{id}", get(missing_item))
                .layer(layer().wrap_body())
                .with_state(());
            let mut axum_error_bare = Router::new()
                .route("/items/{id}", get(missing_item_json))
                .layer(MapResponseLayer::new(
                    std::convert::identity::<axum::response::Response>,
                ))
                .with_state(());
            for request in requests {
                let request = black_box(request);
                kept += match case {
                    "bare" => oneshot(&mut bare, request),
                    "passthrough" => oneshot(&mut passthrough, request),
                    "layer" => oneshot(&mut layered, request),
                    "error" => oneshot(&mut failing, request),
                    "error_members" => oneshot(&mut failing_members, request),
                    "error_problem" => oneshot(&mut failing_problem, request),
                    "tower_http" => oneshot(&mut tower_http, request),
                    "axum_bare" => oneshot(&mut axum_bare, request),
                    "axum_passthrough" => oneshot(&mut axum_passthrough, request),
                    "axum_layer" => oneshot(&mut axum_layer, request),
                    "axum_layer_wrap" => oneshot(&mut axum_layer_wrap, request),
                    "axum_error_layer_wrap" => oneshot(&mut axum_error_layer_wrap, request),
                    "axum_tower_http" => oneshot(&mut axum_tower_http, request),
                    "axum_error_layer" => oneshot(&mut axum_error_layer, request),
                    "axum_error_bare" => oneshot(&mut axum_error_bare, request),
                    "none" => {
                        drop(request);
                        0
                    }
                    other => panic!("unknown case {other:?}"),
                };
            }
        }
    }
    println!("{kept}");
}
