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
//! A response whose codes have [extension members](crate::member) (documented with
//! [`Entry::with_members`](crate::code::Entry::with_members), or by `#[member]` fields of a
//! derived enum) has a schema of its own for each content type: `allOf` the component above and
//! an object with one typed property per member (`string`; `integer`, `int64`; `boolean`;
//! `array` of the item's type, each item an `<i>` element in XML). On a 5xx it lists only the
//! public members, which a masked error still sends, and on 429 and 503 it lists the rate
//! limits' `violated-policies`, a list of strings.
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

use crate::{
    catalogue::Catalogue,
    code::Entry,
    member::{MemberName, MemberType, MemberValue},
    render, ApiError, Format, ProblemDetails,
};

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
                let members = member_properties(status, &entries);
                let mut content = Map::new();
                for &(content_type, format, shape) in &content_types {
                    let examples: Map<String, Value> = entries
                        .iter()
                        .map(|entry| (entry.code().to_owned(), self.example(entry, format)))
                        .collect();
                    content.insert(
                        content_type.to_owned(),
                        json!({ "schema": body_schema(shape, &members), "examples": examples }),
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
            if let Ok(name) = MemberName::new(member.name()) {
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
fn sample(ty: MemberType) -> MemberValue {
    match ty {
        MemberType::List(item) => MemberValue::List(vec![sample(*item)]),
        MemberType::Integer => MemberValue::Integer(0),
        MemberType::Boolean => MemberValue::Boolean(false),
        _ => MemberValue::from("string"),
    }
}

/// The schema of a body of `shape` with these member properties: the shape's component
/// itself when there are none, or the component and an object schema of the members, both of
/// which the body matches (`allOf`).
fn body_schema(shape: &str, members: &Map<String, Value>) -> Value {
    let shape = json!({ "$ref": schema_ref(shape) });
    if members.is_empty() {
        return shape;
    }
    json!({ "allOf": [shape, { "type": "object", "properties": members }] })
}

/// The extension members a response of `status` carrying one of `entries` may have, as schema
/// properties by name: the members each code documents (on a 5xx only the public ones, since a
/// masked error sends no other) and, on 429 and 503, the crate's own `violated-policies`. A
/// member documented by two codes with two types may have either.
fn member_properties(status: StatusCode, entries: &[&Entry]) -> Map<String, Value> {
    // By name: each type the member is documented with, and the codes documenting it so.
    type Types<'a> = Vec<(MemberType, Vec<&'a str>)>;
    let mut members: Vec<(&str, Types<'_>)> = Vec::new();
    for entry in entries {
        for member in entry.members() {
            if status.is_server_error() && !member.is_public() {
                continue;
            }
            let i = match members.iter().position(|(name, _)| *name == member.name()) {
                Some(i) => i,
                None => {
                    members.push((member.name(), Vec::new()));
                    members.len() - 1
                }
            };
            let types = &mut members[i].1;
            match types.iter_mut().find(|(ty, _)| *ty == member.ty()) {
                Some((_, codes)) => codes.push(entry.code()),
                None => types.push((member.ty(), vec![entry.code()])),
            }
        }
    }
    let quoted = |codes: &[&str]| {
        let codes: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
        codes.join(", ")
    };
    let mut properties = Map::new();
    for (name, types) in members {
        let schema = match types.as_slice() {
            [(ty, codes)] => {
                let mut schema = member_schema(*ty);
                schema["description"] = format!("Sent with {}.", quoted(codes)).into();
                schema
            }
            _ => {
                let all: Vec<&str> = types.iter().flat_map(|(_, codes)| codes).copied().collect();
                let description = types
                    .iter()
                    .map(|(ty, codes)| format!("{} with {}", ty.name(), quoted(codes)))
                    .collect::<Vec<_>>()
                    .join("; ");
                json!({
                    "anyOf": types.iter().map(|(ty, _)| member_schema(*ty)).collect::<Vec<_>>(),
                    "description": format!("Sent with {}: {description}.", quoted(&all)),
                })
            }
        };
        properties.insert(name.to_owned(), schema);
    }
    if matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        let mut violated = member_schema(MemberType::List(&MemberType::String));
        violated["description"] = "When the error has a rate limit: the quota policies with \
                                   nothing left (draft-ietf-httpapi-ratelimit-headers)."
            .into();
        properties.insert("violated-policies".to_owned(), violated);
    }
    properties
}

/// The schema of a member's value. In XML a member is an element: a scalar its text, a list
/// one `<i>` element per item (wrapped in the member's element, or in the `<i>` of the list it
/// is an item of).
fn member_schema(ty: MemberType) -> Value {
    match ty {
        MemberType::String => json!({ "type": "string" }),
        MemberType::Integer => json!({ "type": "integer", "format": "int64" }),
        MemberType::Boolean => json!({ "type": "boolean" }),
        MemberType::List(item) => {
            let mut items = member_schema(*item);
            let xml = match item {
                MemberType::List(_) => json!({ "name": "i", "wrapped": true }),
                _ => json!({ "name": "i" }),
            };
            items["xml"] = xml;
            json!({ "type": "array", "items": items, "xml": { "wrapped": true } })
        }
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
        },
        "xml": { "name": "problem", "namespace": "urn:ietf:rfc:7807" },
    });
    [(SEED, seed), (FIELD_ERROR, field_error), (PROBLEM, problem)]
}

/// The built-in codes and codes with members of every type, two of them on one status with a
/// member of two types, for the backends' tests.
#[cfg(test)]
pub(crate) fn catalogue_with_members() -> Catalogue {
    use crate::member::MemberDoc;

    const NESTED: MemberType = MemberType::List(&MemberType::List(&MemberType::Integer));
    const ENTRIES: [Entry; 3] = [
        Entry::new(StatusCode::CONFLICT, "name_taken", "Taken.").with_members(&[
            MemberDoc::new("existing_id", MemberType::Integer),
            MemberDoc::new("names", MemberType::List(&MemberType::String)),
            MemberDoc::new("ids", NESTED),
        ]),
        Entry::new(StatusCode::CONFLICT, "item_locked", "Locked.").with_members(&[
            MemberDoc::new("existing_id", MemberType::String),
            MemberDoc::new("forever", MemberType::Boolean),
        ]),
        Entry::new(StatusCode::BAD_GATEWAY, "upstream_down", "Down.").with_members(&[
            MemberDoc::new("upstream", MemberType::String).public(),
            MemberDoc::new("secret", MemberType::String),
        ]),
    ];
    Catalogue::builtin()
        .with_entries(ENTRIES)
        .expect("no code with two statuses")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{catalogue_with_members, ErrorResponses};

    /// The schema of each content type of a response lists the members of its codes.
    #[test]
    fn a_response_schema_lists_the_members_of_its_codes() {
        let errors = ErrorResponses::new(&catalogue_with_members());
        let model = errors
            .model(&[
                "name_taken",
                "item_locked",
                "upstream_down",
                "not_found",
                "too_many_requests",
            ])
            .unwrap();
        let response = |status: u16| &model.iter().find(|(s, _)| *s == status).unwrap().1;

        let conflict = &response(409)["content"];
        for (content_type, shape) in [
            ("application/json", "ApiError"),
            ("application/xml", "ApiError"),
            ("text/xml", "ApiError"),
            ("application/problem+json", "Problem"),
            ("application/problem+xml", "Problem"),
        ] {
            let schema = &conflict[content_type]["schema"];
            assert_eq!(
                schema["allOf"][0]["$ref"],
                format!("#/components/schemas/{shape}")
            );
            let properties = &schema["allOf"][1]["properties"];
            assert_eq!(schema["allOf"][1]["type"], "object");
            assert_eq!(
                properties["names"],
                json!({
                    "type": "array",
                    "items": { "type": "string", "xml": { "name": "i" } },
                    "xml": { "wrapped": true },
                    "description": "Sent with `name_taken`.",
                })
            );
            assert_eq!(
                properties["ids"]["items"],
                json!({
                    "type": "array",
                    "items": { "type": "integer", "format": "int64", "xml": { "name": "i" } },
                    "xml": { "name": "i", "wrapped": true },
                })
            );
            assert_eq!(
                properties["forever"],
                json!({ "type": "boolean", "description": "Sent with `item_locked`." })
            );
            assert_eq!(
                properties["existing_id"],
                json!({
                    "anyOf": [
                        { "type": "integer", "format": "int64" },
                        { "type": "string" },
                    ],
                    "description": "Sent with `name_taken`, `item_locked`: integer with \
                                    `name_taken`; string with `item_locked`.",
                })
            );
        }

        // A masked 5xx sends only its public members.
        let schema = &response(502)["content"]["application/json"]["schema"];
        let properties = schema["allOf"][1]["properties"].as_object().unwrap();
        assert_eq!(properties.keys().collect::<Vec<_>>(), ["upstream"]);
        // A 429 may have `violated-policies`, a list of strings.
        let schema = &response(429)["content"]["application/problem+json"]["schema"];
        let violated = &schema["allOf"][1]["properties"]["violated-policies"];
        assert_eq!(violated["type"], "array");
        assert_eq!(violated["items"]["type"], "string");
        // A code without members has the shape's schema itself.
        assert_eq!(
            response(404)["content"]["application/json"]["schema"],
            json!({ "$ref": "#/components/schemas/ApiError" })
        );
    }
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
