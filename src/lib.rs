//! Tower middleware that turns every failure of an HTTP service into a coded error response whose
//! body is JSON or XML, as the client asked.
//!
//! Handlers and services fail with an [`ApiError`] (or anything that converts into one), and
//! [`ApiErrorLayer`] renders it:
//!
//! ```json
//! {"error":"not_found","error_description":"No item with id 42.","error_uri":"https://docs.example.com/errors#not_found"}
//! ```
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <error_response><error>not_found</error><error_description>No item with id 42.</error_description><error_uri>https://docs.example.com/errors#not_found</error_uri></error_response>
//! ```
//!
//! # Example
//!
//! ```
//! use bytes::Bytes;
//! use http::{header, Request, Response, StatusCode};
//! use http_body_util::{BodyExt, Full};
//! use tower::{ServiceBuilder, ServiceExt};
//! use tower_api_error::{ApiError, ApiErrorLayer};
//!
//! async fn handle(req: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
//!     match req.uri().path() {
//!         "/items/1" => Ok(Response::new(Full::from("an item"))),
//!         _ => Err(ApiError::not_found("No item with id 42.")),
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let service = ServiceBuilder::new()
//!     .layer(ApiErrorLayer::new().error_uri_base("https://docs.example.com/errors"))
//!     .service_fn(handle);
//!
//! let request = Request::get("/items/42")
//!     .header(header::ACCEPT, "application/xml")
//!     .body(Full::default())?;
//! let response = service.oneshot(request).await?;
//!
//! assert_eq!(response.status(), StatusCode::NOT_FOUND);
//! assert_eq!(response.headers()[header::CONTENT_TYPE], "application/xml; charset=utf-8");
//! assert_eq!(response.headers()[header::VARY], "Accept");
//! let body = response.into_body().collect().await?.to_bytes();
//! assert!(body.ends_with(b"<error>not_found</error><error_description>No item with id 42.</error_description><error_uri>https://docs.example.com/errors#not_found</error_uri></error_response>"));
//! # Ok(())
//! # }
//! ```
//!
//! With axum, add the layer to the `Router` and return `Result<_, ApiError>` from handlers. The
//! layer answers with axum's own body type, so the router stays an axum service:
//!
//! ```
//! use axum::{body::Body, extract::Path, http::{Request, StatusCode}, routing::get, Json, Router};
//! use http_body_util::BodyExt;
//! use tower::ServiceExt;
//! use tower_api_error::{ApiError, ApiErrorLayer};
//!
//! async fn get_item(Path(id): Path<u64>) -> Result<Json<&'static str>, ApiError> {
//!     match id {
//!         1 => Ok(Json("an item")),
//!         _ => Err(ApiError::not_found(format!("No item with id {id}."))),
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let app = Router::new()
//!     .route("/items/{id}", get(get_item))
//!     .layer(ApiErrorLayer::new());
//!
//! let response = app.oneshot(Request::get("/items/42").body(Body::empty())?).await?;
//! assert_eq!(response.status(), StatusCode::NOT_FOUND);
//! let body = response.into_body().collect().await?.to_bytes();
//! assert_eq!(body, r#"{"error":"not_found","error_description":"No item with id 42."}"#);
//! # Ok(())
//! # }
//! ```
//!
//! # What the layer does
//!
//! For every request, [`ApiErrorService`]:
//!
//! 1. Negotiates the error format from `Accept` (and `Content-Type`, to break ties); see
//!    [`negotiate`]. If the client accepts neither JSON nor XML, it answers
//!    `406 Not Acceptable` with a `not_acceptable` body in the default format (JSON) whose
//!    description names the valid types, without calling the inner service. The check can be
//!    turned off with [`ApiErrorLayer::reject_not_acceptable`].
//! 2. Calls the inner service. A success passes through untouched: no allocation, no boxing, and
//!    the body is the inner body.
//! 3. Renders failures: an `Err` of the inner service (its error converted into [`ApiError`]),
//!    an error response that an [`ApiError`] made with axum's `IntoResponse`, a panic of the
//!    inner service ([`ApiErrorLayer::catch_panics`]), and an error response with an empty or
//!    small `text/plain` body made by a framework, such as axum's 404 and 405 or tower-http's 413
//!    ([`ApiErrorLayer::rewrite_plain_errors`]). The response gets the error's status and headers
//!    (a rewritten response keeps all of its own), a `Content-Type`, a `Content-Length`, and
//!    `Vary: Accept` (appended to any `Vary` already there); a `401` without a challenge gets
//!    `WWW-Authenticate: Bearer` ([`ApiErrorLayer::default_challenge`]). A `HEAD` request gets
//!    the same status and headers, `Content-Length` included, and no body.
//!
//! With tower-http's layers, put `TraceLayer`, `CompressionLayer` and `CorsLayer` outside this
//! layer and timeouts inside it; the [tower-http guide](guides::tower_http) says why, and what
//! each tower-http layer's error becomes.
//!
//! The service's own error type is [`Infallible`](std::convert::Infallible); see
//! [`ApiErrorService`] for how a failing `poll_ready` is answered.
//!
//! # Content negotiation
//!
//! In short: `Accept` is read per RFC 9110 (weights, wildcards, the most specific range
//! deciding); `application/...+json` and `application/...+xml` admit JSON and XML; `text/xml` is
//! served only to clients that name it; ties go to the more specific match, then to the format of
//! the request's `Content-Type`, then to JSON; no `Accept` means `*/*`; malformed elements are
//! skipped, never an error of the server. The [`negotiate`] module has the exact rules.
//!
//! # Bodies and codes
//!
//! The body has the members `error` (the code), `error_description` and, when known, `error_uri`,
//! plus `field_errors` for errors that carry them (see [`FieldError`]). Clients that ask for
//! `application/problem+json` or `application/problem+xml` get the same error as RFC 9457
//! problem details (`type`, `title`, `status`, `detail`, and `error` as an extension member);
//! [`ProblemDetails`] chooses who gets which shape. When the request carries an id (`x-request-id`
//! by default, see [`ApiErrorLayer::request_id_header`]), every body quotes it as `request_id`. The [`code`] module lists
//! every code with its status and default description.
//!
//! The description of a 5xx error is never sent unless the error was
//! [exposed](ApiError::expose_description): the client gets the code's default description, and
//! the real one and the error's source are logged (feature `tracing`). The
//! [security guide](guides::security) lists what never reaches a client.
//!
//! # An application's own codes, and the layers around this one
//!
//! An application declares its codes once, with `#[derive(ApiError)]` on its error enums
//! (feature `derive`); a [`catalogue::Catalogue`] gathers them with the built-in ones and serves
//! the documentation page that `error_uri` links to ([`catalogue::Page`]), and
//! `openapi::ErrorResponses` (features `utoipa`, `aide`) describes each operation's error
//! responses from it. Every error response the layer produces carries an [`ErrorInfo`] in its
//! extensions (code, status, [`ErrorOrigin`]), for the metrics and tracing layers outside it.
//! The [`guides`] tell each of these in full: [`derive`](mod@guides::derive),
//! [`catalogue`](guides::catalogue), [`openapi`](guides::openapi), and the test kit
//! ([`test_kit`](guides::test_kit)).
//!
//! # Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `axum` | yes | `IntoResponse` for [`ApiError`], `From` for axum's [extractor rejections](struct@ApiError#from-axums-extractor-rejections), the [`Format`] extractor and [`Negotiated`] |
//! | `tower` | yes | recognises tower's `Elapsed` (504) and `Overloaded` (503) when a `BoxError` becomes an [`ApiError`] |
//! | `derive` | yes | [`#[derive(ApiError)]`](derive@ApiError) for an application's own error enums: codes, statuses, descriptions with `{field}`, sources, and [`ErrorCodes`](catalogue::ErrorCodes) for the catalogue |
//! | `tracing` | yes | logs every error the layer renders: 5xx at `error` with the source chain, 4xx at `debug`, inside the current span (the request's method and path only with [`ApiErrorLayer::log_method_and_path`]) |
//! | `testing` | no | `tower_api_error::testing`: a strict parser for error responses (`testing::ErrorResponse`), assertions, and `testing::check_contract`, which checks an app against the error contract (see the [test kit guide](guides::test_kit)) |
//! | `validator` | no | `From<validator::ValidationErrors>` for [`ApiError`]: a 422 with one [`FieldError`] per failure, its path (`items[0].name`) and validator's code |
//! | `garde` | no | `From<garde::Report>` for [`ApiError`]: a 422 with one [`FieldError`] per failure, its path (`items[0].name`), without code |
//! | `utoipa` | no | `openapi::ErrorResponses` for utoipa: an operation's error responses, one per status with one example per code, and the error body schemas |
//! | `aide` | no | the same for aide, and aide's `OperationOutput` for [`ApiError`] and for derived enums |
//!
//! [`ApiError`]: struct@ApiError

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The docs link to `#[derive(ApiError)]`, which exists only with the `derive` feature; built
// without it, they show the text of those links. CI builds the docs with every feature, where a
// broken link is an error.
#![cfg_attr(not(feature = "derive"), allow(rustdoc::broken_intra_doc_links))]

pub mod body;
pub mod catalogue;
pub mod code;
pub mod guides;
pub mod language;
pub mod member;
pub mod negotiate;
#[cfg(any(feature = "utoipa", feature = "aide"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "utoipa", feature = "aide"))))]
pub mod openapi;
pub mod rate_limit;
#[cfg(feature = "testing")]
pub mod testing;

#[cfg(feature = "axum")]
mod axum;
mod const_eq;
mod error;
mod format;
mod future;
mod info;
mod layer;
#[cfg(feature = "tracing")]
mod log;
mod options;
mod render;
mod request_id;
mod respond;
mod service;
#[cfg(any(feature = "validator", feature = "garde"))]
mod validation;

// What the code generated by `#[derive(ApiError)]` names; not public API.
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use crate::{
    error::{ApiError, FieldError},
    format::{Format, ProblemDetails},
    future::ResponseFuture,
    info::{ErrorInfo, ErrorOrigin},
    layer::ApiErrorLayer,
    service::ApiErrorService,
};

#[cfg(feature = "axum")]
pub use crate::axum::Negotiated;

/// Derive macro that turns an application's error enum into coded [`ApiError`](struct@ApiError)s,
/// in the spirit of thiserror (feature `derive`).
///
/// Each variant declares its status, its code, and optionally a title and a description, which
/// can quote the variant's fields. The derive implements:
///
/// - `From<Enum> for ApiError` (status, code, title, description, exposure, source, field errors,
///   `Retry-After`), so that handlers return `Result<_, Enum>` behind
///   [`ApiErrorLayer`], or `?` it into a `Result<_, ApiError>`;
/// - `Display`: the variant's description with its fields filled in (a variant without one shows
///   its code's default description);
/// - [`std::error::Error`], whose `source()` is the `#[source]` field;
/// - [`ErrorCodes`](catalogue::ErrorCodes): one [`Entry`](code::Entry) per code, for the
///   [`Catalogue`](catalogue::Catalogue);
/// - `From<Field>` for the enum, for every `#[from]` field;
/// - with the `axum` feature, axum's `IntoResponse`, through `ApiError`.
///
/// The generated code names only paths of this crate: the application needs no dependency on
/// `http` or `axum` for it.
///
/// # Example
///
/// ```
/// use std::time::Duration;
///
/// use bytes::Bytes;
/// use http::{header, Request, Response, StatusCode};
/// use http_body_util::{BodyExt, Full};
/// use tower::{ServiceBuilder, ServiceExt};
/// use tower_api_error::{catalogue::ErrorCodes, ApiError, ApiErrorLayer, FieldError};
///
/// #[derive(Debug, ApiError)]
/// enum ItemError {
///     #[api_error(
///         status = 409,
///         code = "item_name_taken",
///         title = "Item name taken",
///         description = "An item named {name:?} already exists."
///     )]
///     NameTaken { name: String },
///
///     // Its texts in another language, placeholders included.
///     #[api_error(
///         status = 404,
///         code = "item_not_found",
///         description = "No item with id {0}.",
///         lang("pt-BR", title = "Item não encontrado", description = "Nenhum item com id {0}.")
///     )]
///     NotFound(u64),
///
///     #[api_error(status = 422, code = "item_invalid", description = "The item is invalid.")]
///     Invalid(#[field_errors] Vec<FieldError>),
///
///     // A 5xx description is for the log: the client gets the status's default one.
///     #[api_error(status = 500, code = "item_store_failed", description = "Item store: {0}")]
///     Storage(#[from] std::io::Error),
///
///     // Unless it is exposed.
///     #[api_error(
///         status = 503,
///         code = "item_store_maintenance",
///         expose,
///         description = "The item store is down for maintenance until {until}."
///     )]
///     Maintenance {
///         until: &'static str,
///         #[retry_after]
///         retry_after: Duration,
///     },
///
///     // Any `ApiError` (or another derived enum), as it is.
///     #[api_error(transparent)]
///     Other(#[from] ApiError),
/// }
///
/// async fn handle(req: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ItemError> {
///     match req.uri().path() {
///         "/items/lamp" => Err(ItemError::NameTaken { name: "lamp".into() }),
///         "/items/save" => Err(std::io::Error::other("disk full at /var/lib/items"))?,
///         _ => Err(ItemError::NotFound(42)),
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let service = ServiceBuilder::new()
///     .layer(ApiErrorLayer::new())
///     .service_fn(handle);
///
/// let request = Request::post("/items/lamp").body(Full::default())?;
/// let response = service.clone().oneshot(request).await?;
/// assert_eq!(response.status(), StatusCode::CONFLICT);
/// let body = response.into_body().collect().await?.to_bytes();
/// assert_eq!(
///     body,
///     r#"{"error":"item_name_taken","error_description":"An item named \"lamp\" already exists."}"#
/// );
///
/// let request = Request::post("/items/save")
///     .header(header::ACCEPT, "application/xml")
///     .body(Full::default())?;
/// let response = service.oneshot(request).await?;
/// assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
/// let body = response.into_body().collect().await?.to_bytes();
/// assert!(body.ends_with(
///     b"<error>item_store_failed</error><error_description>An unexpected error occurred and \
///       it was not possible to complete the request.</error_description></error_response>"
/// ));
///
/// // The `ApiError` of a variant, and its text for the log.
/// let err = ItemError::Maintenance { until: "14:00 UTC", retry_after: Duration::from_secs(600) };
/// assert_eq!(err.to_string(), "The item store is down for maintenance until 14:00 UTC.");
/// let err = ApiError::from(err);
/// assert_eq!(err.public_description(), "The item store is down for maintenance until 14:00 UTC.");
/// assert_eq!(err.headers()[header::RETRY_AFTER], "600");
///
/// // The codes, for the catalogue: the description as written, or, for a masked 5xx, what the
/// // client gets.
/// let codes: Vec<_> = ItemError::CODES.iter().map(|entry| entry.code()).collect();
/// assert_eq!(
///     codes,
///     ["item_name_taken", "item_not_found", "item_invalid", "item_store_failed", "item_store_maintenance"]
/// );
/// assert_eq!(ItemError::CODES[0].description(), "An item named {name:?} already exists.");
/// assert_eq!(ItemError::CODES[0].title(), "Item name taken");
///
/// // A `lang(..)`: the error's texts in that language, and the code's translation.
/// let err = ApiError::from(ItemError::NotFound(42));
/// assert_eq!(err.description_in("pt-BR"), Some("Nenhum item com id 42."));
/// assert_eq!(err.title_in("pt-BR"), Some("Item não encontrado"));
/// assert_eq!(ItemError::CODES[1].description_in("pt-BR"), "Nenhum item com id {0}.");
/// assert_eq!(
///     ItemError::CODES[3].description(),
///     tower_api_error::code::status_description(StatusCode::INTERNAL_SERVER_ERROR)
/// );
/// # Ok(())
/// # }
/// ```
///
/// # Variant attributes
///
/// Every variant has one `#[api_error(..)]` (the keys may also be spread over several):
///
/// | key | | what it does |
/// |---|---|---|
/// | `status = 409` | required | the status, an integer literal from 400 to 599 |
/// | `code = "item_name_taken"` | required | the code sent as `error`: lowercase ASCII letters, digits and `_`. Two variants may share a code if they share its status |
/// | `title = "Item name taken"` | optional | the code's title ([`ApiError::with_title`](struct@ApiError), [`Entry::with_title`](code::Entry::with_title)); without it, the status's reason phrase |
/// | `description = "No item named {name}."` | optional | the description, and the variant's `Display`. `{name}` and `{0}` quote a named or tuple field with `Display`, `{name:?}` (or any other format spec) formats it so, `{{` and `}}` are braces. Without it, the code's default description ([`code::status_description`] for a code of the application) |
/// | `expose` | optional, 5xx only | sends the description of a 5xx to the client ([`ApiError::expose_description`]); without it, a 5xx description is only logged and the client gets the status's default one |
/// | `docs = "..."` | optional | the code's description in the catalogue ([`Entry::description`](code::Entry::description)), for the documentation page and OpenAPI. Without it: the description as written, placeholders kept; for a masked 5xx or a variant without a description, [`code::status_description`], which is what clients get |
/// | `lang("pt-BR", title = "..", description = "..", docs = "..")` | optional, repeatable | the variant's texts in another language (see [`language`]), each key optional. The tag is a string literal, checked when the crate compiles ([`LanguageTag`](language::LanguageTag)'s rules), and given once per variant. The description takes the same placeholders as `description`, checked the same way; the error carries it with [`ApiError::with_description_in`] and the title with [`ApiError::with_title_in`] (a masked 5xx keeps its translated description for the log, as it keeps its own). The code's [`Entry`](code::Entry) gets a [`Translation`](language::Translation): the language's `docs`, else for a masked 5xx the status's default description in that language (what clients get), else its description as written |
/// | `example = OrderError::AlreadyPaid { id: 2 }` | optional | an expression building an error of the enum: the code's example ([`Entry::with_example`](code::Entry::with_example)), whose bodies the documentation page and OpenAPI show. A variant without fields is its own example; a variant with fields and no `example` has none ([`Entry::without_example`](code::Entry::without_example)), so that no text the server never sends is shown |
/// | `transparent` | alone | the variant has one field, an [`ApiError`](struct@ApiError) or anything `Into<ApiError>` (such as another derived enum), and is that error: conversion, `Display` and `source()` are the field's. It has no code of its own and adds nothing to `CODES` (add the other enum's codes to the catalogue with its own [`with`](catalogue::Catalogue::with)) |
///
/// # Field attributes
///
/// | attribute | on a field of type | what it does |
/// |---|---|---|
/// | `#[source]` | an `Error + Send + Sync + 'static`, or a `Box<dyn Error + Send + Sync>` | kept as the [source](ApiError::with_source) of the `ApiError`, for the log, and returned by the enum's `source()`. At most one per variant |
/// | `#[from]` | the same | `#[source]`, plus `From<Field>` for the enum, so that `?` converts. Only on a variant with that one field |
/// | `#[field_errors]` | `impl IntoIterator<Item = FieldError>`, such as `Vec<FieldError>` | the [field errors](ApiError::with_field_errors) of the body |
/// | `#[retry_after]` | [`Duration`](std::time::Duration) | a [`Retry-After`](ApiError::with_retry_after) header, in whole seconds rounded up |
/// | `#[member]`, `#[member(name = "existing-id", public)]` | a type with [`MemberKind`](member::MemberKind) (strings, integers up to `u32`/`i64`, `bool`, `Vec`s of them) | an [extension member](ApiError::with_member) named after the field (or `name`), sent in every shape; `public` sends it for a masked 5xx too ([`ApiError::with_public_member`]). The name is checked when the crate compiles, as [`MemberName`](member::MemberName) checks it, and the code's [`Entry`](code::Entry) documents it with its type ([`Entry::members`](code::Entry::members)) |
///
/// The other fields are data for the description, or for the application.
///
/// # Compile errors
///
/// A missing or unknown key, a status outside 400..=599, a code with other characters, a
/// placeholder naming no field (in any language), a malformed or repeated language tag, a code
/// declared with two statuses, `#[from]` beside other
/// fields or `transparent` with other than one field are errors that point at the attribute,
/// key or literal at fault. The derive takes enums without generic parameters only: an
/// enum's codes are constants, and a source must be `'static`.
#[cfg(feature = "derive")]
pub use tower_api_error_derive::ApiError;
