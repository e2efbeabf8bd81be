//! Demo server: an axum app whose every failure is a coded JSON or XML error.
//!
//! ```text
//! cargo run --example server              # listens on 127.0.0.1:3000
//! PORT=8080 cargo run --example server    # another port
//! curl -i localhost:3000/items/42
//! curl -i -H 'Accept: application/xml' localhost:3000/items/42
//! curl -i -H 'Accept: text/html' localhost:3000/items/1
//! curl -i localhost:3000/docs/errors      # the page every error_uri links to
//! curl -i localhost:3000/openapi.json     # the OpenAPI 3.1 document, error responses included
//! ```
//!
//! Every `error_uri` points at `http://127.0.0.1:$PORT/docs/errors#<code>`; behind a proxy, set
//! `PUBLIC_URL` (for example `PUBLIC_URL=https://api.example.com`) to the address clients use.
//!
//! Set `API_ERROR_LAYER=off` to serve the same routes and stack without the error layer (for
//! benchmarks).

use std::{
    collections::BTreeMap,
    net::{Ipv4Addr, SocketAddr},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::{
        rejection::{JsonRejection, PathRejection},
        Path, State,
    },
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode},
    response::IntoResponse,
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use tower::{timeout::TimeoutLayer, ServiceBuilder};
use tower_api_error::{
    catalogue::Catalogue,
    code,
    language::{LanguageTag, Languages},
    openapi::ErrorResponses,
    rate_limit::QuotaPolicy,
    ApiError, ApiErrorLayer, ErrorInfo, Format, Negotiated, ProblemDetails,
};
use tower_http::{
    classify::{ServerErrorsAsFailures, SharedClassifier},
    compression::CompressionLayer,
    cors::CorsLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{
        DefaultOnBodyChunk, DefaultOnEos, DefaultOnRequest, DefaultOnResponse, MakeSpan,
        OnResponse, TraceLayer,
    },
};
use tracing::Span;
use utoipa::{OpenApi, ToSchema};
use validator::Validate;

/// Where `error_uri`s point when the demo listens on its default port and `PUBLIC_URL` is not
/// set: its own documentation page.
pub const DOCS: &str = "http://127.0.0.1:3000/docs/errors";

/// The path of the documentation page of the demo's error codes.
pub const DOCS_PATH: &str = "/docs/errors";

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
    let public_url = match std::env::var("PUBLIC_URL") {
        Ok(url) if url.starts_with("http://") || url.starts_with("https://") => {
            url.trim_end_matches('/').to_owned()
        }
        Ok(url) => return Err(format!("PUBLIC_URL={url:?} is not an http(s) URL").into()),
        Err(_) => format!("http://127.0.0.1:{port}"),
    };

    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let app = if with_layer {
        app_with_docs(&format!("{public_url}{DOCS_PATH}"))
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

/// The demo app with its documentation at [`DOCS`].
pub fn app() -> Router {
    app_with_docs(DOCS)
}

/// The demo app: [`routes`] behind the stack the README recommends, and beside it `GET /health`,
/// `GET /docs/errors` (the documentation of [`catalogue`], which `error_uri`s link to, at
/// `docs`) and `GET /openapi.json` (the OpenAPI document, [`openapi`]).
///
/// Where it differs from the README's stack, as the README says: [`trace`] records the code of a
/// 5xx as the span's `error.type`, the error layer's `error_uri_base` is `docs`, and `/slow` has
/// tower's own timeout on the route (see [`routes`]). [`cors`] is the README's, word for word.
///
/// Outermost first: a request id for requests that lack one, sent back in `x-request-id` (the
/// error layer quotes it in every error body and log event), tracing (so that its span covers
/// everything), compression and CORS (so
/// that the error layer's own answers, the 406 and the panic 500 included, are compressed and
/// carry CORS headers), the error layer, and tower-http's timeout inside it (so that a timeout
/// is a coded 504). `/health`, the documentation page and the OpenAPI document are added after
/// the layers: they are not behind them, so a browser's `Accept: text/html` gets the page, and
/// `/health` answers `text/plain` to any `Accept`.
pub fn app_with_docs(docs: &str) -> Router {
    let catalogue = catalogue();
    let openapi = openapi(&catalogue, docs)
        .to_json()
        .expect("the document serializes");
    routes()
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(trace())
                .layer(CompressionLayer::new())
                .layer(cors())
                .layer(layer(docs))
                .layer(timeout()),
        )
        .route("/health", get(health))
        .route_service(
            DOCS_PATH,
            catalogue
                .page()
                .title("tower-api-error demo: error codes")
                .intro(
                    "Every error of the demo API is a JSON or XML body with one of these codes. \
                     Match on the code (error), never on the description; quote request_id when \
                     you report a problem.",
                )
                .title_in(
                    LanguageTag::from_static("pt-BR"),
                    "Demo do tower-api-error: códigos de erro",
                )
                .intro_in(
                    LanguageTag::from_static("pt-BR"),
                    "Todo erro da API de demonstração é um corpo JSON ou XML com um destes \
                     códigos. Identifique o erro pelo código (error), nunca pela descrição; \
                     informe o request_id ao relatar um problema.",
                )
                // As the layer: problem details for the clients that ask for them.
                .problem_details(ProblemDetails::WhenAsked)
                .languages([
                    LanguageTag::from_static("en"),
                    LanguageTag::from_static("pt-BR"),
                ])
                .base_uri(docs),
        )
        .route(
            "/openapi.json",
            get(move || {
                std::future::ready(([(header::CONTENT_TYPE, "application/json")], openapi))
            }),
        )
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

/// The error layer as the demo configures it. Its log events leave the method and path to
/// [`trace`]'s span, which has them (the default).
fn layer(docs: &str) -> ApiErrorLayer {
    ApiErrorLayer::new()
        .error_uri_base(docs.to_owned())
        // Every error response names its code in a header too, for gateways and access logs.
        .code_header(HeaderName::from_static("x-error-code"))
        // Errors in English, or in Brazilian Portuguese for clients that prefer it.
        .languages(languages())
}

/// The languages the demo answers in: English, its default, and Brazilian Portuguese.
pub fn languages() -> Languages {
    Languages::new(LanguageTag::from_static("en")).with(LanguageTag::from_static("pt-BR"))
}

/// Request spans at `info`, the level the demo logs at, so that each error's log event is
/// recorded inside its request's span; failures are logged by the error layer, not here. A
/// response the error layer made for a 5xx error records its code as the span's `error.type`.
fn trace() -> TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    DefaultOnRequest,
    RecordErrorType,
    DefaultOnBodyChunk,
    DefaultOnEos,
    (),
> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_response(RecordErrorType)
        .on_failure(())
}

/// tower-http's default request span at `info`, with an `error.type` field to record later.
#[derive(Debug, Clone, Copy)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        tracing::info_span!(
            "request",
            method = %request.method(),
            uri = %request.uri(),
            version = ?request.version(),
            error.type = tracing::field::Empty,
        )
    }
}

/// Records OpenTelemetry's `error.type` on the request span: the error code of a response the
/// error layer made, read from its [`ErrorInfo`], for 5xx statuses only (a 4xx does not make a
/// server span an error), then logs the response as tower-http does by default.
#[derive(Debug, Clone, Copy)]
pub struct RecordErrorType;

impl<B> OnResponse<B> for RecordErrorType {
    fn on_response(self, response: &Response<B>, latency: Duration, span: &Span) {
        if let Some(info) = response.extensions().get::<ErrorInfo>() {
            if info.status().is_server_error() {
                span.record("error.type", info.code());
            }
        }
        DefaultOnResponse::new()
            .level(tracing::Level::INFO)
            .on_response(response, latency, span);
    }
}

/// CORS for a front end served by a development server on [`FRONT_END`]: its preflights for
/// the demo's methods with the headers a JSON or XML client sends are allowed, and its scripts
/// may read `x-request-id`, which every error body quotes. The README's stack uses this same
/// function (`tests/demo/cors.rs` checks that the two texts agree and what a browser gets).
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(HeaderValue::from_static(FRONT_END))
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers([header::ACCEPT, header::CONTENT_TYPE])
        .expose_headers([HeaderName::from_static("x-request-id")])
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
        .with_state(Arc::new(Store::new()))
}

/// The demo's own errors, declared once: their codes are in [`catalogue`], on the documentation
/// page and in the OpenAPI document, and each converts into the [`ApiError`] it is sent as.
#[derive(Debug, ApiError)]
pub enum ItemError {
    /// `POST /items` or `PUT /items/{id}` with the name of another item.
    #[api_error(
        status = 409,
        code = "item_name_taken",
        title = "Item name taken",
        description = "An item named {name:?} already exists.",
        docs = "Another item already has this name: choose another one.",
        lang(
            "pt-BR",
            title = "Nome de item em uso",
            description = "Já existe um item chamado {name:?}.",
            docs = "Outro item já tem este nome: escolha outro."
        ),
        example = ItemError::NameTaken { name: "apple".into(), existing_id: 1 }
    )]
    NameTaken {
        /// The name asked for.
        name: String,
        /// The id of the item that has the name: the member `existing_id` of every body.
        #[member]
        existing_id: i64,
    },
    /// No item has this id.
    #[api_error(
        status = 404,
        code = "not_found",
        description = "No item with id {0}.",
        docs = "The requested resource could not be found.",
        lang(
            "pt-BR",
            description = "Nenhum item com id {0}.",
            docs = "O recurso solicitado não foi encontrado."
        ),
        example = ItemError::NotFound(42)
    )]
    NotFound(u64),
    /// Any other error, sent as it is.
    #[api_error(transparent)]
    Api(#[from] ApiError),
}

/// Every code the demo can answer with: the built-in codes and [`ItemError`]'s.
pub fn catalogue() -> Catalogue {
    Catalogue::builtin()
        .with::<ItemError>()
        .expect("no code is declared with two statuses")
}

/// The codes each route can answer with, besides [`EVERY_ROUTE`]'s and those of [`ItemError`]
/// for the routes that return it ([`ITEM_ERROR_ROUTES`], which their `#[utoipa::path]` documents
/// with `responses(ItemError)`): those of the `ApiError`s its handler returns.
pub const ROUTE_ERRORS: &[(Method, &str, &[&str])] = &[
    (Method::GET, "/", &[]),
    (
        Method::POST,
        "/items",
        &[
            code::INVALID_PARAMETER,
            code::PAYLOAD_TOO_LARGE,
            code::UNSUPPORTED_MEDIA_TYPE,
            code::UNPROCESSABLE_ENTITY,
        ],
    ),
    (
        Method::GET,
        "/items/{id}",
        &[code::INVALID_PARAMETER, code::NOT_FOUND],
    ),
    (
        Method::PUT,
        "/items/{id}",
        &[
            code::INVALID_PARAMETER,
            code::PAYLOAD_TOO_LARGE,
            code::UNSUPPORTED_MEDIA_TYPE,
            code::UNPROCESSABLE_ENTITY,
        ],
    ),
    (Method::GET, "/errors/{code}", ERROR_BY_CODE),
    (Method::GET, "/slow", &[]),
    (Method::GET, "/panic", &[]),
];

/// The routes whose handlers return [`ItemError`], and so answer with its codes too.
pub const ITEM_ERROR_ROUTES: &[(Method, &str)] =
    &[(Method::POST, "/items"), (Method::PUT, "/items/{id}")];

/// What any route behind the error layer can answer with: `406` to a client that accepts no
/// error format, `500` if its handler panics, and `504` after [`REQUEST_TIMEOUT`].
pub const EVERY_ROUTE: &[&str] = &[
    code::NOT_ACCEPTABLE,
    code::INTERNAL_SERVER_ERROR,
    code::GATEWAY_TIMEOUT,
];

/// The codes `GET /errors/{code}` answers with (see [`error_by_code`]).
pub const ERROR_BY_CODE: &[&str] = &[
    code::INVALID_PARAMETER,
    code::INVALID_VALUE_PARAMETER,
    code::INVALID_VALUE_HEADERS,
    code::UNAUTHORIZED,
    code::TOKEN_EXPIRED,
    code::INVALID_TOKEN,
    code::PAYMENT_REQUIRED,
    code::UNAUTHORIZED_CLIENT,
    code::NOT_FOUND,
    code::METHOD_NOT_ALLOWED,
    code::NOT_ACCEPTABLE,
    code::PRECONDITION_FAILED,
    code::UNPROCESSABLE_ENTITY,
    code::TOO_MANY_REQUESTS,
    code::INTERNAL_SERVER_ERROR,
    code::BAD_GATEWAY,
    code::SERVICE_UNAVAILABLE,
];

/// The OpenAPI document of the demo: its routes, from the `#[utoipa::path]` of each handler
/// (with [`ItemError`]'s codes where a handler returns it), with the error responses of
/// [`ROUTE_ERRORS`] and [`EVERY_ROUTE`] described from `catalogue`, each shared once under
/// `components`.
pub fn openapi(catalogue: &Catalogue, docs: &str) -> utoipa::openapi::OpenApi {
    let mut api = ApiDoc::openapi();
    // `GET /errors/{code}` answers the codes of `ERROR_BY_CODE`, and 404 to any other.
    if let Some(operation) = api
        .paths
        .paths
        .get_mut("/errors/{code}")
        .and_then(|item| item.get.as_mut())
    {
        for parameter in operation.parameters.iter_mut().flatten() {
            parameter.schema = Some(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(ERROR_BY_CODE.iter().copied()))
                    .into(),
            );
        }
    }
    // Configured as `layer` is: its `error_uri_base`, code header and languages, and the request
    // id header `PropagateRequestIdLayer` sends back.
    let errors = ErrorResponses::new(catalogue)
        .error_uri_base(docs)
        .code_header(HeaderName::from_static("x-error-code"))
        .languages(languages().tags())
        .request_id_header(HeaderName::from_static("x-request-id"));
    for (method, path, codes) in ROUTE_ERRORS {
        let codes: Vec<&str> = codes.iter().chain(EVERY_ROUTE).copied().collect();
        errors
            .add_to_utoipa(&mut api, method.clone(), path, &codes)
            .expect("every route is in the document and every code in the catalogue");
    }
    errors
        .apply_to_utoipa(&mut api)
        .expect("every code of `ItemError` is in the catalogue");
    api
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tower-api-error demo",
        description = "Every error is a coded JSON or XML body; see /docs/errors for the codes."
    ),
    paths(
        index,
        create_item,
        get_item,
        update_item,
        error_by_code,
        slow,
        panic,
        health,
        docs_page,
        openapi_document
    )
)]
struct ApiDoc;

/// A plain-text route beside the API.
#[utoipa::path(get, path = "/health", responses(
    (status = 200, description = "The server is up.", body = String, content_type = "text/plain")
))]
async fn health() -> &'static str {
    "ok"
}

/// The items, in memory: items 1, 2 and 3 ([`NAMES`]), and the last [`MAX_CREATED`] items
/// created (an older one is forgotten when a new one is created, so that the demo's memory stays
/// bounded).
#[derive(Debug)]
pub struct Store {
    items: Mutex<BTreeMap<u64, String>>,
    next_id: AtomicU64,
}

/// How many created items the demo remembers.
pub const MAX_CREATED: usize = 1000;

impl Store {
    fn new() -> Self {
        Self {
            items: Mutex::new((1..).zip(NAMES.map(str::to_owned)).collect()),
            next_id: AtomicU64::new(4),
        }
    }

    fn items(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, String>> {
        // A panic cannot leave the map half-changed: every change is one call.
        self.items
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn find(&self, id: u64) -> Result<Item, ItemError> {
        match self.items().get(&id) {
            Some(name) => Ok(Item {
                id,
                name: name.clone(),
            }),
            None => Err(ItemError::NotFound(id)),
        }
    }

    /// Gives `name` to item `id`, or to a new item if `id` is `None`, unless another item has it
    /// (names are compared without regard to case).
    fn save(&self, id: Option<u64>, name: &str) -> Result<Item, ItemError> {
        let mut items = self.items();
        let taken = items.iter().find(|(&other, known)| {
            Some(other) != id && known.to_lowercase() == name.to_lowercase()
        });
        if let Some((&existing, _)) = taken {
            return Err(ItemError::NameTaken {
                name: name.to_owned(),
                // Ids count from 1: far below `i64::MAX`.
                existing_id: i64::try_from(existing).unwrap_or(i64::MAX),
            });
        }
        let id = match id {
            Some(id) if items.contains_key(&id) => id,
            Some(id) => return Err(ItemError::NotFound(id)),
            None => {
                let id = self.next_id.fetch_add(1, Ordering::Relaxed);
                if items.len() >= NAMES.len() + MAX_CREATED {
                    let oldest = items
                        .range(NAMES.len() as u64 + 1..)
                        .next()
                        .map(|(&k, _)| k);
                    if let Some(oldest) = oldest {
                        items.remove(&oldest);
                    }
                }
                id
            }
        };
        items.insert(id, name.to_owned());
        Ok(Item {
            id,
            name: name.to_owned(),
        })
    }
}

/// An item of the demo catalogue.
#[derive(Debug, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Item {
    /// Its id, from 1.
    pub id: u64,
    /// Its name.
    pub name: String,
}

/// The body of `POST /items` and `PUT /items/{id}`, checked with `validator` (see [`valid_name`]).
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(xml(name = "item"))]
struct NewItem {
    /// The item's name: 1 to 64 characters, no control characters (nor the noncharacters U+FFFE
    /// and U+FFFF, which XML cannot carry), and not all of them white space (leading and
    /// trailing white space is removed). The pattern says the same: characters that are none of
    /// those, at least one of which is not Unicode `White_Space`, what Rust's `str::trim`
    /// removes.
    #[validate(length(min = 1, max = 64), custom(function = "printable"))]
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFFFE\uFFFF][^\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]*$"
    )]
    name: String,
}

/// A `validator` rule of the demo's own: no control characters, nor U+FFFE and U+FFFF.
fn printable(name: &str) -> Result<(), validator::ValidationError> {
    if name
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    {
        return Err(validator::ValidationError::new("printable")
            .with_message("must not contain control characters".into()));
    }
    Ok(())
}

/// The list of routes.
#[utoipa::path(get, path = "/", responses(
    (status = 200, description = "The demo's routes.", body = Object)
))]
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
            "GET /docs/errors  (every error code: HTML, or JSON or XML when asked)",
            "GET /openapi.json  (the OpenAPI document)",
        ]
    }))
}

/// An item in the negotiated format; a path that is not a number is `invalid_parameter`,
/// through `From<PathRejection> for ApiError`.
#[utoipa::path(get, path = "/items/{id}",
    params(("id" = u64, Path, description = "The item's id: items 1, 2 and 3 exist.")),
    responses((status = 200, description = "The item, in JSON or XML as negotiated.", content(
        (Item = "application/json"), (Item = "application/xml"), (Item = "text/xml")
    )))
)]
async fn get_item(
    State(store): State<Arc<Store>>,
    format: Format,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Negotiated<Item>, ApiError> {
    let Path(id) = id?;
    Ok(Negotiated::new(format, store.find(id)?))
}

/// The names items 1, 2 and 3 start with.
pub const NAMES: [&str; 3] = ["apple", "banana", "cherry"];

/// Renames an item. axum's `Json` rejections convert with `?`: bad syntax is
/// 400, a body of the wrong shape 422, a missing JSON `Content-Type` 415.
#[utoipa::path(put, path = "/items/{id}",
    params(("id" = u64, Path, description = "The item's id: items 1, 2 and 3 exist.")),
    request_body(content = NewItem, content_type = "application/json"),
    responses((status = 200, description = "The renamed item.", body = Item), ItemError)
)]
async fn update_item(
    State(store): State<Arc<Store>>,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<NewItem>, JsonRejection>,
) -> Result<Json<Item>, ItemError> {
    let Path(id) = id.map_err(ApiError::from)?;
    store.find(id)?;
    let Json(new) = body.map_err(ApiError::from)?;
    Ok(Json(store.save(Some(id), valid_name(&new)?)?))
}

/// The item's name, trimmed: a name that is empty once trimmed is answered by hand, a name of
/// more than 64 characters (as sent) by `validator`, whose `ValidationErrors` convert into a 422
/// with the field error's code (`length`).
fn valid_name(new: &NewItem) -> Result<&str, ApiError> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(ApiError::unprocessable_entity("The item is invalid.")
            .with_field_error("name", "must not be empty"));
    }
    new.validate()
        .map_err(|errors| ApiError::from(errors).with_description("The item is invalid."))?;
    Ok(name)
}

/// Takes ten seconds, and times out before.
#[utoipa::path(get, path = "/slow", responses(
    (status = 200, description = "Never sent: the route times out first.", body = String, content_type = "text/plain")
))]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(10)).await;
    "too late"
}

/// Panics.
#[utoipa::path(get, path = "/panic", responses(
    (status = 200, description = "Never sent: the handler panics.", body = String, content_type = "text/plain")
))]
async fn panic() -> &'static str {
    panic!("SECRET: the demo handler panicked on purpose")
}

/// Creates an item from a JSON or XML body such as `{"name": "kiwi"}` or
/// `<item><name>kiwi</name></item>`, with a name no other item has (items 1, 2 and 3 are
/// `apple`, `banana` and `cherry`).
#[utoipa::path(post, path = "/items",
    request_body(content(
        (NewItem = "application/json"), (NewItem = "application/xml"), (NewItem = "text/xml")
    )),
    responses((status = 201, description = "The item, created.", body = Item,
        headers(("location" = String, description = "Where the item is."))),
        ItemError
    )
)]
async fn create_item(
    State(store): State<Arc<Store>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, ItemError> {
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
            .with_description("Send the item as application/json or application/xml.")
            .into());
    };

    let item = store.save(None, valid_name(&new)?)?;
    let location = HeaderValue::try_from(format!("/items/{}", item.id))
        .map_err(|e| ApiError::internal_server_error("bad Location").with_source(e))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(item),
    ))
}

/// Every error of the code table, with the headers it calls for.
#[utoipa::path(get, path = "/errors/{code}",
    params(("code" = String, Path, description = "An error code, such as `too_many_requests`.")),
    responses()
)]
pub async fn error_by_code(Path(code): Path<String>) -> ApiError {
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
        // A policy of 100 requests an hour, used up, with more in 30 minutes.
        code::TOO_MANY_REQUESTS => match QuotaPolicy::new("hour", 100) {
            Ok(hourly) => ApiError::from_status(StatusCode::TOO_MANY_REQUESTS).with_rate_limit(
                hourly
                    .window(Duration::from_secs(3600))
                    .state(0)
                    .reset_after(Duration::from_secs(1800)),
            ),
            Err(err) => ApiError::unexpected(err),
        },
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

/// `GET /docs/errors`, served by the catalogue's page (see [`app_with_docs`]); this function only
/// describes it for the OpenAPI document.
#[utoipa::path(get, path = "/docs/errors", responses(
    (status = 200, description = "Every error code the demo answers with: a page for browsers, or the same list in JSON or XML when asked.", content(
        (String = "text/html"), (Object = "application/json"), (String = "application/xml")
    ))
))]
#[allow(dead_code)]
fn docs_page() {}

/// `GET /openapi.json`, served by a closure in [`app_with_docs`]; this function only describes it
/// for the document itself.
#[utoipa::path(get, path = "/openapi.json", responses(
    (status = 200, description = "This document.", body = Object)
))]
#[allow(dead_code)]
fn openapi_document() {}
