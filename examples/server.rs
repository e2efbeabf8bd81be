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
//! Set `API_ERROR_LAYER=off` to serve the same routes without the layer (for benchmarks).

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

/// Where `error_uri`s point.
pub const DOCS: &str = "https://docs.example.com/errors";

/// How long `GET /slow` may take before it times out (it would take ten seconds).
pub const SLOW_TIMEOUT: Duration = Duration::from_millis(300);

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
    let app = if with_layer { app() } else { routes() };
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

/// The layer as the demo configures it.
fn layer() -> ApiErrorLayer {
    ApiErrorLayer::new().error_uri_base(DOCS)
}

/// The demo app: [`routes`] behind [`ApiErrorLayer`].
pub fn app() -> Router {
    routes().layer(layer())
}

/// The routes, without the layer around them.
pub fn routes() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/items", post(create_item))
        .route("/items/{id}", get(get_item).put(update_item))
        .route("/errors/{code}", get(error_by_code))
        // The timeout's `Elapsed` error becomes a 504 in the layer right around it: no
        // `HandleErrorLayer`, since the layer's service never fails.
        .route(
            "/slow",
            get(slow).layer(
                ServiceBuilder::new()
                    .layer(layer())
                    .layer(TimeoutLayer::new(SLOW_TIMEOUT)),
            ),
        )
        .route("/panic", get(panic))
        .with_state(Arc::new(AppState {
            next_id: AtomicU64::new(4),
        }))
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
