//! Demo server: an axum app whose every failure is a coded JSON or XML error.
//!
//! ```text
//! cargo run --example server              # listens on 127.0.0.1:3000
//! PORT=8080 cargo run --example server    # another port
//! curl -i localhost:3000/items/42
//! curl -i -H 'Accept: application/xml' localhost:3000/items/42
//! curl -i -H 'Accept: text/html' localhost:3000/items/1
//! ```
//!
//! Set `API_ERROR_LAYER=off` to serve the same routes and stack without the error layer (for
//! benchmarks).

use std::{
    net::{Ipv4Addr, SocketAddr},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::{
        rejection::{JsonRejection, PathRejection},
        Path, State,
    },
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::IntoResponse,
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use tower::{timeout::TimeoutLayer, ServiceBuilder};
use tower_api_error::{code, ApiError, ApiErrorLayer, Format, Negotiated};
use tower_http::{
    classify::{ServerErrorsAsFailures, SharedClassifier},
    compression::CompressionLayer,
    cors::CorsLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{
        DefaultMakeSpan, DefaultOnBodyChunk, DefaultOnEos, DefaultOnRequest, DefaultOnResponse,
        TraceLayer,
    },
};

/// Where `error_uri`s point.
pub const DOCS: &str = "https://docs.example.com/errors";

/// How long `GET /slow` may take before it times out (it would take ten seconds).
pub const SLOW_TIMEOUT: Duration = Duration::from_millis(300);

/// How long any request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The origin CORS allows: a front end's development server.
pub const FRONT_END: &str = "http://localhost:5173";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let port = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("PORT={port:?} is not a port number"))?,
        Err(_) => 3000,
    };
    let with_layer = std::env::var("API_ERROR_LAYER").map_or(true, |v| v != "off");

    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let app = if with_layer {
        app()
    } else {
        app_without_layer()
    };
    println!(
        "listening on http://{}{}",
        listener.local_addr()?,
        if with_layer {
            ""
        } else {
            " (without ApiErrorLayer)"
        }
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            println!("shutting down");
        })
        .await?;
    Ok(())
}

/// The demo app: [`routes`] behind the stack the README recommends, and `GET /health` beside
/// it.
///
/// Outermost first: a request id for requests that lack one, sent back in `x-request-id` (the
/// error layer quotes it in every error body and log event), tracing (so that its span covers
/// everything), compression and CORS (so
/// that the error layer's own answers, the 406 and the panic 500 included, are compressed and
/// carry CORS headers), the error layer, and tower-http's timeout inside it (so that a timeout
/// is a coded 504). `/health` is added after the layers: it is not behind them, so it answers
/// `text/plain` to any `Accept`.
pub fn app() -> Router {
    routes()
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(trace())
                .layer(CompressionLayer::new())
                .layer(cors())
                .layer(layer())
                .layer(timeout()),
        )
        .route("/health", get(health))
}

/// The same routes and stack without [`ApiErrorLayer`], for `benches/e2e.sh`.
pub fn app_without_layer() -> Router {
    routes()
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(trace())
                .layer(CompressionLayer::new())
                .layer(cors())
                .layer(timeout()),
        )
        .route("/health", get(health))
}

/// The error layer as the demo configures it. Method and path are left out of its log events:
/// they are in [`trace`]'s span already.
fn layer() -> ApiErrorLayer {
    ApiErrorLayer::new()
        .error_uri_base(DOCS)
        .log_method_and_path(false)
}

/// Request spans at `info`, the level the demo logs at, so that each error's log event is
/// recorded inside its request's span; failures are logged by the error layer, not here.
fn trace() -> TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    DefaultMakeSpan,
    DefaultOnRequest,
    DefaultOnResponse,
    DefaultOnBodyChunk,
    DefaultOnEos,
    (),
> {
    TraceLayer::new_for_http()
        .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
        .on_failure(())
}

/// CORS for a front end served by a development server on [`FRONT_END`].
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(HeaderValue::from_static(FRONT_END))
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers([header::ACCEPT, header::CONTENT_TYPE])
}

/// Every request's deadline, answered as `504 gateway_timeout`, as tower's timeout is.
fn timeout() -> tower_http::timeout::TimeoutLayer {
    tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::GATEWAY_TIMEOUT,
        REQUEST_TIMEOUT,
    )
}

/// The routes, without the layers around them.
pub fn routes() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/items", post(create_item))
        .route("/items/{id}", get(get_item).put(update_item))
        .route("/errors/{code}", get(error_by_code))
        // tower's timeout fails with an `Elapsed` error, which a route's layers must turn into a
        // response: an `ApiErrorLayer` right around it does (its service never fails), and
        // answers with the outer layer's configuration.
        .route(
            "/slow",
            get(slow).layer(
                ServiceBuilder::new()
                    .layer(ApiErrorLayer::new())
                    .layer(TimeoutLayer::new(SLOW_TIMEOUT)),
            ),
        )
        .route("/panic", get(panic))
        .with_state(Arc::new(AppState {
            next_id: AtomicU64::new(4),
        }))
}

/// A plain-text route beside the API.
async fn health() -> &'static str {
    "ok"
}

struct AppState {
    next_id: AtomicU64,
}

/// An item of the demo catalogue.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Item {
    /// Its id, from 1.
    pub id: u64,
    /// Its name.
    pub name: String,
}

#[derive(Debug, Deserialize)]
struct NewItem {
    name: String,
}

async fn index() -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "routes": [
            "GET /",
            "GET /items/{id}  (items 1, 2 and 3 exist; JSON or XML as negotiated)",
            "PUT /items/{id}  (JSON body with a name)",
            "POST /items  (JSON or XML body with a name)",
            "GET /errors/{code}  (every error code, e.g. /errors/too_many_requests)",
            "GET /slow  (times out)",
            "GET /panic  (panics)",
            "GET /health  (text/plain, outside the error layer)",
        ]
    }))
}

/// An item in the negotiated format; a path that is not a number is `invalid_parameter`,
/// through `From<PathRejection> for ApiError`.
async fn get_item(
    format: Format,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Negotiated<Item>, ApiError> {
    let Path(id) = id?;
    Ok(Negotiated::new(format, find(id)?))
}

fn find(id: u64) -> Result<Item, ApiError> {
    match id {
        1..=3 => Ok(Item {
            id,
            name: ["apple", "banana", "cherry"][id as usize - 1].to_owned(),
        }),
        _ => Err(ApiError::not_found(format!("No item with id {id}."))),
    }
}

/// Renames an item (nothing is stored). axum's `Json` rejections convert with `?`: bad syntax is
/// 400, a body of the wrong shape 422, a missing JSON `Content-Type` 415.
async fn update_item(
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<NewItem>, JsonRejection>,
) -> Result<Json<Item>, ApiError> {
    let Path(id) = id?;
    let mut item = find(id)?;
    let Json(new) = body?;
    item.name = valid_name(&new.name)?.to_owned();
    Ok(Json(item))
}

fn valid_name(name: &str) -> Result<&str, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::unprocessable_entity("The item is invalid.")
            .with_field_error("name", "must not be empty"));
    }
    Ok(name)
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(10)).await;
    "too late"
}

async fn panic() -> &'static str {
    panic!("SECRET: the demo handler panicked on purpose")
}

/// Creates an item from a JSON or XML body such as `{"name": "kiwi"}` or
/// `<item><name>kiwi</name></item>`. Nothing is stored: the id is only counted up.
async fn create_item(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let new: NewItem = if essence == "application/json" || essence.ends_with("+json") {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::invalid_parameter(format!("The body is not a valid item: {e}."))
        })?
    } else if essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml") {
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::invalid_parameter("The body is not UTF-8."))?;
        quick_xml::de::from_str(text).map_err(|e| {
            ApiError::invalid_parameter(format!("The body is not a valid item: {e}."))
        })?
    } else {
        return Err(ApiError::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            .with_description("Send the item as application/json or application/xml."));
    };

    let name = new.name.trim();
    if name.is_empty() {
        return Err(ApiError::unprocessable_entity("The item is invalid.")
            .with_field_error("name", "must not be empty"));
    }
    let id = state.next_id.fetch_add(1, Ordering::Relaxed);
    let location = HeaderValue::try_from(format!("/items/{id}"))
        .map_err(|e| ApiError::internal_server_error("bad Location").with_source(e))?;
    let item = Item {
        id,
        name: name.to_owned(),
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(item),
    ))
}

/// Every error of the code table, with the headers it calls for.
async fn error_by_code(Path(code): Path<String>) -> ApiError {
    match code.as_str() {
        code::INVALID_PARAMETER => ApiError::invalid_parameter("The parameter 'limit' is invalid."),
        code::INVALID_VALUE_PARAMETER => ApiError::invalid_value_parameter(
            "The query parameter 'limit' must be between 1 and 100.",
        ),
        code::INVALID_VALUE_HEADERS => {
            ApiError::invalid_value_headers("The header 'X-Request-Id' must be a UUID.")
        }
        code::UNAUTHORIZED => ApiError::unauthorized(""),
        code::TOKEN_EXPIRED => ApiError::token_expired(""),
        code::INVALID_TOKEN => ApiError::invalid_token("The access token signature is invalid."),
        code::PAYMENT_REQUIRED => ApiError::payment_required(""),
        code::UNAUTHORIZED_CLIENT => ApiError::unauthorized_client(""),
        code::NOT_FOUND => ApiError::not_found("This is the not_found example."),
        code::METHOD_NOT_ALLOWED => ApiError::method_not_allowed("", [Method::POST, Method::PUT]),
        code::NOT_ACCEPTABLE => ApiError::not_acceptable(""),
        code::PRECONDITION_FAILED => {
            ApiError::precondition_failed("The stored payment method does not exist.")
        }
        code::UNPROCESSABLE_ENTITY => ApiError::unprocessable_entity("The item is invalid.")
            .with_field_error("name", "must not be empty")
            .with_field_error("price", "must be a positive number"),
        code::TOO_MANY_REQUESTS => ApiError::too_many_requests("", Duration::from_secs(30)),
        code::INTERNAL_SERVER_ERROR => {
            ApiError::internal_server_error("SECRET: the database password was rejected")
                .with_source(std::io::Error::other(
                    "SECRET: connection to db-3:5432 refused",
                ))
        }
        code::BAD_GATEWAY => {
            ApiError::bad_gateway("SECRET: upstream 10.0.0.7 reset the connection")
        }
        code::SERVICE_UNAVAILABLE => ApiError::service_unavailable("SECRET: draining node")
            .with_retry_after(Duration::from_secs(120)),
        other => ApiError::not_found(format!("There is no error code {other:?}.")),
    }
}
