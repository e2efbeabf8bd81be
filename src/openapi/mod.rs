//! OpenAPI descriptions of the error responses of an API (features `utoipa` and `aide`).
//!
//! [`ErrorResponses`] turns a [`Catalogue`] and the codes an operation can answer with into the
//! operation's error responses: one response per status, with the error body's schema for every
//! content type the layer may send and one example per code, each example the body the layer
//! sends for that code when the error has no description of its own. The schemas are
//! components:
//!
//! | component | body | XML root |
//! |---|---|---|
//! | `ApiError` | the seed body: `error`, `error_description`, `error_uri`, `field_errors`, `request_id` | `error_response` |
//! | `FieldError` | one field error: `field`, `message`, `code` | `field_error` |
//! | `Problem` | RFC 9457 problem details | `problem`, namespace `urn:ietf:rfc:7807` |
//!
//! The description is written once, as OpenAPI 3.1 JSON, and each backend reads it into its own
//! types, so that every backend documents exactly the same responses.
//!
//! ```
//! use http::Method;
//! use tower_api_error::{catalogue::Catalogue, code, openapi::ErrorResponses};
//! use utoipa::openapi::{path::{HttpMethod, OperationBuilder, PathItem}, OpenApiBuilder, PathsBuilder};
//!
//! let mut api = OpenApiBuilder::new()
//!     .paths(PathsBuilder::new().path(
//!         "/items/{id}",
//!         PathItem::new(HttpMethod::Get, OperationBuilder::new()),
//!     ))
//!     .build();
//!
//! let catalogue = Catalogue::builtin();
//! let errors = ErrorResponses::new(&catalogue).error_uri_base("https://api.example.com/docs/errors");
//! errors.add_to_utoipa(&mut api, Method::GET, "/items/{id}", &[code::NOT_FOUND, code::INVALID_PARAMETER])?;
//!
//! let json = serde_json::to_value(&api)?;
//! let not_found = &json["paths"]["/items/{id}"]["get"]["responses"]["404"];
//! assert_eq!(
//!     not_found["content"]["application/json"]["examples"]["not_found"]["value"]["error_uri"],
//!     "https://api.example.com/docs/errors#not_found"
//! );
//! assert_eq!(
//!     not_found["content"]["application/xml"]["schema"]["$ref"],
//!     "#/components/schemas/ApiError"
//! );
//! assert!(json["components"]["schemas"]["ApiError"]["properties"]["error"].is_object());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "aide")]
mod aide;
#[cfg(feature = "aide")]
#[doc(hidden)]
pub use aide::inferred_responses as aide_inferred_responses;
#[cfg(feature = "utoipa")]
mod utoipa;

use std::{error::Error as StdError, fmt};

use http::StatusCode;
use serde_json::{json, Map, Value};

use crate::{catalogue::Catalogue, code::Entry, render, ApiError, Format, ProblemDetails};

/// The error responses of an API's operations, made from its [`Catalogue`].
///
/// Configure it as the [`ApiErrorLayer`](crate::ApiErrorLayer) is configured, so that the
/// description says what the layer sends: the same
/// [`error_uri_base`](ErrorResponses::error_uri_base) and the same
/// [`problem_details`](ErrorResponses::problem_details) setting.
#[derive(Debug, Clone)]
pub struct ErrorResponses {
    catalogue: Catalogue,
    base: Option<String>,
    problem_details: ProblemDetails,
}

impl ErrorResponses {
    /// The error responses of the codes of `catalogue`, with no `error_uri` in the examples and
    /// problem details documented as sent when asked, as the layer's defaults are.
    pub fn new(catalogue: &Catalogue) -> Self {
        Self {
            catalogue: catalogue.clone(),
            base: None,
            problem_details: ProblemDetails::default(),
        }
    }

    /// The layer's [`error_uri_base`](crate::ApiErrorLayer::error_uri_base), for the examples'
    /// `error_uri` and `type`.
    #[must_use]
    pub fn error_uri_base(mut self, base: impl Into<String>) -> Self {
        self.base = Some(base.into());
        self
    }

    /// The layer's [`problem_details`](crate::ApiErrorLayer::problem_details) setting: which body
    /// shapes, and so which content types, the responses have.
    #[must_use]
    pub fn problem_details(mut self, problem_details: ProblemDetails) -> Self {
        self.problem_details = problem_details;
        self
    }

    /// The content types the layer may send, with the schema of each.
    fn content_types(&self) -> Vec<(&'static str, Format, &'static str)> {
        let seed = [
            ("application/json", Format::Json, SEED),
            ("application/xml", Format::Xml, SEED),
            ("text/xml", Format::TextXml, SEED),
        ];
        let problem = [
            ("application/problem+json", Format::ProblemJson, PROBLEM),
            ("application/problem+xml", Format::ProblemXml, PROBLEM),
        ];
        match self.problem_details {
            ProblemDetails::Never => seed.to_vec(),
            ProblemDetails::WhenAsked => seed.into_iter().chain(problem).collect(),
            ProblemDetails::Always => problem.to_vec(),
        }
    }

    /// The responses of an operation that can answer with `codes`, one per status in the order
    /// of the statuses, as OpenAPI response objects.
    pub(crate) fn model(&self, codes: &[&str]) -> Result<Vec<(StatusCode, Value)>, UnknownCode> {
        let entries = codes
            .iter()
            .map(|&code| {
                self.catalogue
                    .get(code)
                    .ok_or_else(|| UnknownCode(code.to_owned()))
            })
            .collect::<Result<Vec<&Entry>, _>>()?;
        Ok(self.model_of(entries))
    }

    /// [`model`](Self::model) for these entries, whether or not they are in the catalogue.
    pub(crate) fn model_of<'a>(
        &self,
        entries: impl IntoIterator<Item = &'a Entry>,
    ) -> Vec<(StatusCode, Value)> {
        let mut by_status: Vec<(StatusCode, Vec<&Entry>)> = Vec::new();
        for entry in entries {
            match by_status.iter_mut().find(|(s, _)| *s == entry.status()) {
                Some((_, known)) if known.iter().any(|e| e.code() == entry.code()) => {}
                Some((_, known)) => known.push(entry),
                None => by_status.push((entry.status(), vec![entry])),
            }
        }
        by_status.sort_by_key(|(status, _)| *status);

        let content_types = self.content_types();
        by_status
            .into_iter()
            .map(|(status, entries)| {
                let codes: Vec<String> =
                    entries.iter().map(|e| format!("`{}`", e.code())).collect();
                let mut content = Map::new();
                for &(content_type, format, schema) in &content_types {
                    let examples: Map<String, Value> = entries
                        .iter()
                        .map(|entry| (entry.code().to_owned(), self.example(entry, format)))
                        .collect();
                    content.insert(
                        content_type.to_owned(),
                        json!({ "schema": { "$ref": schema_ref(schema) }, "examples": examples }),
                    );
                }
                let response = json!({
                    "description": format!("{}: {}", crate::code::reason(status), codes.join(", ")),
                    "content": content,
                });
                (status, response)
            })
            .collect()
    }

    /// A response for errors of any code: every content type with its schema, no example.
    #[cfg_attr(not(feature = "aide"), allow(dead_code))]
    pub(crate) fn any_code(&self) -> Value {
        let mut content = Map::new();
        for (content_type, _, schema) in self.content_types() {
            content.insert(
                content_type.to_owned(),
                json!({ "schema": { "$ref": schema_ref(schema) } }),
            );
        }
        json!({ "description": "An error response.", "content": content })
    }

    /// The body the layer sends for `entry` in `format`, as an OpenAPI example object: JSON
    /// bodies as values, XML bodies as strings.
    fn example(&self, entry: &Entry, format: Format) -> Value {
        let err = ApiError::new(entry.status(), entry.code(), entry.description())
            .with_title(entry.title())
            .expose_description();
        let mut err = match entry.uri() {
            Some(uri) => err.with_uri(uri),
            None => err,
        };
        // The code's documented members, with a value of their type; a masked 5xx sends only
        // the public ones.
        for member in entry.members() {
            if entry.status().is_server_error() && !member.is_public() {
                continue;
            }
            if let Ok(name) = crate::member::MemberName::new(member.name()) {
                err = err.with_member(name, sample(member.ty()));
            }
        }
        let body = render::body(&err, format, self.base.as_deref(), None);
        let value = if format.is_xml() {
            Value::String(String::from_utf8_lossy(&body).into_owned())
        } else {
            // The crate's own JSON: it parses.
            serde_json::from_slice(&body).unwrap_or(Value::Null)
        };
        json!({ "summary": entry.title(), "value": value })
    }
}

/// A value of type `ty` for examples.
fn sample(ty: crate::member::MemberType) -> crate::member::MemberValue {
    use crate::member::{MemberType, MemberValue};
    match ty {
        MemberType::List(item) => MemberValue::List(vec![sample(*item)]),
        MemberType::Integer => MemberValue::Integer(0),
        MemberType::Boolean => MemberValue::Boolean(false),
        _ => MemberValue::from("string"),
    }
}

const SEED: &str = "ApiError";
const FIELD_ERROR: &str = "FieldError";
const PROBLEM: &str = "Problem";

fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// The schemas of the error bodies, as OpenAPI 3.1 schema objects, by component name.
pub(crate) fn schemas() -> [(&'static str, Value); 3] {
    let field_error = json!({
        "type": "object",
        "description": "One invalid field of the request.",
        "required": ["field", "message"],
        "properties": {
            "field": { "type": "string", "description": "The name or path of the field, such as `items[0].name`." },
            "message": { "type": "string", "description": "What is wrong with it." },
            "code": { "type": "string", "description": "A machine-readable name for what is wrong, such as `length`." },
        },
        "xml": { "name": "field_error" },
    });
    let request_id = json!({
        "type": "string",
        "description": "The request's id, as sent in its request id header.",
    });
    let violated = json!({
        "type": "array",
        "items": { "type": "string", "xml": { "name": "i" } },
        "description": "For a rate-limited 429 or 503: the quota policies with nothing left \
                        (draft-ietf-httpapi-ratelimit-headers).",
        "xml": { "wrapped": true },
    });
    let seed = json!({
        "type": "object",
        "description": "An error response.",
        "required": ["error", "error_description"],
        "properties": {
            "error": { "type": "string", "description": "The error code." },
            "error_description": { "type": "string", "description": "What went wrong, for people." },
            "error_uri": { "type": "string", "format": "uri", "description": "The documentation of the error code." },
            "field_errors": {
                "type": "array",
                "items": { "$ref": schema_ref(FIELD_ERROR) },
                "xml": { "wrapped": true },
            },
            "request_id": request_id,
            "violated-policies": violated,
        },
        "xml": { "name": "error_response" },
    });
    let mut problem_field_error = field_error.clone();
    problem_field_error["xml"] = json!({ "name": "i" });
    let problem = json!({
        "type": "object",
        "description": "An error response as RFC 9457 problem details.",
        "required": ["title", "status", "detail", "error"],
        "properties": {
            "type": { "type": "string", "format": "uri", "description": "The documentation of the error code." },
            "title": { "type": "string" },
            "status": { "type": "integer", "minimum": 400, "maximum": 599 },
            "detail": { "type": "string" },
            "error": { "type": "string", "description": "The error code." },
            "field_errors": {
                "type": "array",
                "items": problem_field_error,
                "xml": { "wrapped": true },
            },
            "request_id": request_id,
            "violated-policies": violated,
        },
        "xml": { "name": "problem", "namespace": "urn:ietf:rfc:7807" },
    });
    [(SEED, seed), (FIELD_ERROR, field_error), (PROBLEM, problem)]
}

/// A code that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(String);

impl UnknownCode {
    /// The code.
    pub fn code(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the error code `{}` is not in the catalogue", self.0)
    }
}

impl StdError for UnknownCode {}

/// Why error responses could not be added to an OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenApiError {
    /// A code is not in the catalogue.
    UnknownCode(UnknownCode),
    /// The document has no operation for this method and path.
    NoOperation {
        /// The method.
        method: http::Method,
        /// The path, as the document spells it (`/items/{id}`).
        path: String,
    },
}

impl From<UnknownCode> for OpenApiError {
    fn from(err: UnknownCode) -> Self {
        Self::UnknownCode(err)
    }
}

impl fmt::Display for OpenApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownCode(err) => err.fmt(f),
            Self::NoOperation { method, path } => {
                write!(f, "the OpenAPI document has no operation {method} {path}")
            }
        }
    }
}

impl StdError for OpenApiError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::UnknownCode(err) => Some(err),
            Self::NoOperation { .. } => None,
        }
    }
}
