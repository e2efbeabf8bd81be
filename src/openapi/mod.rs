//! OpenAPI descriptions of the error responses of an API (features `utoipa` and `aide`).
//!
//! [`ErrorResponses`] turns a [`Catalogue`] and the codes each operation can answer with into
//! the operation's error responses: one per status, each a `$ref` to a response shared by every
//! operation with the same codes on that status, under the document's `components` (see the
//! [OpenAPI guide](crate::guides::openapi)). A shared response has the body's schema for every
//! content type the layer may send, one example per code (the body the layer sends for the
//! code's [example error](crate::code::Entry::example)), and the headers the layer sends. Its
//! schemas are `allOf` a component of the body's shape and an object whose `error` is an `enum`
//! of the response's codes:
//!
//! | component | body | XML root |
//! |---|---|---|
//! | `ApiError` | the seed body: `error`, `error_description`, `error_uri`, `field_errors`, `request_id` | `error_response` |
//! | `FieldError` | one field error: `field`, `message`, `code` | `field_error` |
//! | `Problem` | RFC 9457 problem details | `problem`, namespace `urn:ietf:rfc:7807` |
//!
//! Codes with [extension members](crate::member) (documented with
//! [`Entry::with_members`](crate::code::Entry::with_members), or by `#[member]` fields of a
//! derived enum) add one typed property per member to that object (`string`; `integer`,
//! `int64`; `boolean`; `array` of the item's type, each item an `<i>` element in XML). On a 5xx
//! it lists only the public members, which a masked error still sends, and on 429 and 503 it
//! lists the rate limits' `violated-policies`, a list of strings.
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
//! let operation = &json["paths"]["/items/{id}"]["get"]["responses"];
//! assert_eq!(operation["404"]["$ref"], "#/components/responses/NotFound");
//! let not_found = &json["components"]["responses"]["NotFound"];
//! assert_eq!(
//!     not_found["content"]["application/json"]["examples"]["not_found"]["value"]["error_uri"],
//!     "https://api.example.com/docs/errors#not_found"
//! );
//! assert_eq!(not_found["content"]["application/xml"]["schema"]["$ref"], "#/components/schemas/NotFound");
//! let schema = &json["components"]["schemas"]["NotFound"];
//! assert_eq!(schema["allOf"][0]["$ref"], "#/components/schemas/ApiError");
//! assert_eq!(schema["allOf"][1]["properties"]["error"]["enum"], serde_json::json!(["not_found"]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "aide")]
mod aide;
#[cfg(feature = "aide")]
#[doc(hidden)]
pub use aide::inferred_responses as aide_inferred_responses;
#[cfg(feature = "utoipa")]
mod utoipa;
#[cfg(feature = "utoipa")]
#[doc(hidden)]
pub use self::utoipa::into_responses as __utoipa_into_responses;
/// The utoipa crate, for the code `#[derive(ApiError)]` generates; not public API.
#[cfg(feature = "utoipa")]
#[doc(hidden)]
pub use ::utoipa as __utoipa;

use std::{error::Error as StdError, fmt};

use http::{header::RETRY_AFTER, HeaderName, StatusCode};
use serde_json::{json, Map, Value};

use crate::{
    catalogue::Catalogue, code::Entry, language::LanguageTag, member::MemberType, render, Format,
    ProblemDetails,
};

/// The error responses of an API's operations, made from its [`Catalogue`].
///
/// Configure it as the [`ApiErrorLayer`](crate::ApiErrorLayer) is configured, so that the
/// description says what the layer sends: the same
/// [`error_uri_base`](ErrorResponses::error_uri_base), the same
/// [`problem_details`](ErrorResponses::problem_details) setting, and the headers the layer
/// sends ([`request_id_header`](ErrorResponses::request_id_header),
/// [`code_header`](ErrorResponses::code_header), [`languages`](ErrorResponses::languages)).
#[derive(Debug, Clone)]
pub struct ErrorResponses {
    catalogue: Catalogue,
    base: Option<String>,
    problem_details: ProblemDetails,
    xml: bool,
    request_id_header: Option<HeaderName>,
    code_header: Option<HeaderName>,
    languages: Vec<LanguageTag>,
}

impl ErrorResponses {
    /// The error responses of the codes of `catalogue`, as the layer's defaults send them: no
    /// `error_uri` in the examples, JSON and XML, and problem details when asked.
    pub fn new(catalogue: &Catalogue) -> Self {
        Self {
            catalogue: catalogue.clone(),
            base: None,
            problem_details: ProblemDetails::default(),
            xml: true,
            request_id_header: None,
            code_header: None,
            languages: Vec::new(),
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

    /// Whether the XML content types (`application/xml`, `text/xml` and, with problem details,
    /// `application/problem+xml`) are documented beside the JSON ones. On by default, since the
    /// layer sends XML to a client that asks for it. Turn it off for a document made for client
    /// generators, which parse every error body as JSON (see the
    /// [OpenAPI guide](crate::guides::openapi)).
    ///
    /// ```
    /// use tower_api_error::{catalogue::Catalogue, code, openapi::ErrorResponses, ProblemDetails};
    /// use utoipa::openapi::{path::{HttpMethod, OperationBuilder, PathItem}, OpenApiBuilder, PathsBuilder};
    ///
    /// let mut api = OpenApiBuilder::new()
    ///     .paths(PathsBuilder::new().path("/items", PathItem::new(HttpMethod::Get, OperationBuilder::new())))
    ///     .build();
    /// ErrorResponses::new(&Catalogue::builtin())
    ///     .xml(false)
    ///     .problem_details(ProblemDetails::Never)
    ///     .add_to_utoipa(&mut api, http::Method::GET, "/items", &[code::NOT_FOUND])?;
    /// let json = serde_json::to_value(&api)?;
    /// let content = json["components"]["responses"]["NotFound"]["content"].as_object().unwrap();
    /// assert_eq!(content.keys().collect::<Vec<_>>(), ["application/json"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn xml(mut self, documented: bool) -> Self {
        self.xml = documented;
        self
    }

    /// The request id header of the layer
    /// ([`request_id_header`](crate::ApiErrorLayer::request_id_header)), documented on every
    /// error response. The layer reads the id from the request; a layer such as tower-http's
    /// `PropagateRequestIdLayer` sends it back.
    #[must_use]
    pub fn request_id_header(mut self, name: HeaderName) -> Self {
        self.request_id_header = Some(name);
        self
    }

    /// The layer's [`code_header`](crate::ApiErrorLayer::code_header), documented on every error
    /// response with the codes it can carry.
    #[must_use]
    pub fn code_header(mut self, name: HeaderName) -> Self {
        self.code_header = Some(name);
        self
    }

    /// The languages the application answers in. With more than one, every error response
    /// documents `Content-Language` (one of them) and `Vary: Accept, Accept-Language`.
    ///
    /// ```
    /// use tower_api_error::{catalogue::Catalogue, code, language::LanguageTag, openapi::ErrorResponses};
    /// use utoipa::openapi::{path::{HttpMethod, OperationBuilder, PathItem}, OpenApiBuilder, PathsBuilder};
    ///
    /// let mut api = OpenApiBuilder::new()
    ///     .paths(PathsBuilder::new().path("/items", PathItem::new(HttpMethod::Get, OperationBuilder::new())))
    ///     .build();
    /// ErrorResponses::new(&Catalogue::builtin())
    ///     .languages(&[LanguageTag::from_static("en"), LanguageTag::from_static("pt-BR")])
    ///     .add_to_utoipa(&mut api, http::Method::GET, "/items", &[code::NOT_FOUND])?;
    /// let json = serde_json::to_value(&api)?;
    /// let headers = &json["components"]["responses"]["NotFound"]["headers"];
    /// assert_eq!(headers["Content-Language"]["schema"]["enum"], serde_json::json!(["en", "pt-BR"]));
    /// assert_eq!(headers["Vary"]["schema"]["pattern"], "Accept, Accept-Language");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn languages(mut self, languages: &[LanguageTag]) -> Self {
        self.languages = languages.to_vec();
        self
    }

    /// The content types the layer may send, with the format of each and the schema suffix of
    /// its shape.
    fn content_types(&self) -> Vec<(&'static str, Format, Shape)> {
        let mut types = Vec::new();
        if self.problem_details != ProblemDetails::Always {
            types.push(("application/json", Format::Json, Shape::Seed));
            if self.xml {
                types.push(("application/xml", Format::Xml, Shape::Seed));
                types.push(("text/xml", Format::TextXml, Shape::Seed));
            }
        }
        if self.problem_details != ProblemDetails::Never {
            types.push((
                "application/problem+json",
                Format::ProblemJson,
                Shape::Problem,
            ));
            if self.xml {
                types.push((
                    "application/problem+xml",
                    Format::ProblemXml,
                    Shape::Problem,
                ));
            }
        }
        types
    }

    /// The shapes the content types have.
    fn shapes(&self) -> Vec<Shape> {
        let mut shapes: Vec<Shape> = self.content_types().iter().map(|t| t.2).collect();
        shapes.dedup();
        shapes
    }

    /// The catalogue's entries of `codes`.
    fn entries<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<&Entry>, UnknownCode> {
        codes
            .into_iter()
            .map(|code| {
                self.catalogue
                    .get(code)
                    .ok_or_else(|| UnknownCode(code.to_owned()))
            })
            .collect()
    }

    /// What documenting one operation adds: the operation's error responses, each a reference
    /// to a shared response, and the shared responses and schemas they need. `existing` are the
    /// operation's responses by status, as OpenAPI JSON: those that stand for error codes (a
    /// [`marker`], or a reference to a shared response made here) keep their codes, and `added`
    /// codes join them. `responses` and `schemas` read the document's components, so that a
    /// name taken by something else is not reused: a shared response or schema of a set of
    /// codes takes the next free name (`NotFound2`), and a body shape's schema (`ApiError`,
    /// `FieldError`, `Problem`), which every shared schema refers to by name, is an error.
    pub(crate) fn plan(
        &self,
        existing: &[(String, Value)],
        added: &[&str],
        responses: &dyn Fn(&str) -> Option<Value>,
        schemas: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<Plan, OpenApiError> {
        let mut codes: Vec<String> = Vec::new();
        for (_, response) in existing {
            codes.extend(codes_of(response, responses).unwrap_or_default());
        }
        codes.extend(added.iter().map(|&code| code.to_owned()));
        let entries = self.entries(codes.iter().map(String::as_str))?;

        let mut plan = Plan::default();
        for (status, entries) in group(entries) {
            let codes: Vec<&str> = entries.iter().map(|e| e.code()).collect();
            let own_schemas: Vec<(&str, Value)> = self
                .shapes()
                .into_iter()
                .map(|shape| (shape.suffix(), shape.schema(status, &entries)))
                .collect();
            let base = base_name(&codes);
            let free = |name: &str| {
                let response = plan
                    .responses
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, r)| r.clone())
                    .or_else(|| responses(name));
                let response_free = response
                    .is_none_or(|r| codes_of(&r, responses).is_some_and(|known| known == codes));
                response_free
                    && own_schemas.iter().all(|(suffix, schema)| {
                        let name = format!("{name}{suffix}");
                        plan.schemas
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, s)| s.clone())
                            .or_else(|| schemas(&name))
                            .is_none_or(|known| known == *schema)
                    })
            };
            let name = (1..)
                .map(|i| match i {
                    1 => base.clone(),
                    i => format!("{base}{i}"),
                })
                .find(|name| free(name))
                .unwrap_or_default();
            let response = self.response(&name, status, &entries);
            for (suffix, schema) in own_schemas {
                plan.schemas.push((format!("{name}{suffix}"), schema));
            }
            plan.responses.push((name.clone(), response));
            plan.refs.push((status, name));
        }
        if !plan.refs.is_empty() {
            // The components of the shapes the content types have, and no other: a document
            // without problem details has no `Problem`.
            let shapes = self.shapes();
            for (name, schema) in self::schemas() {
                let used = match name {
                    PROBLEM => shapes.contains(&Shape::Problem),
                    _ => shapes.contains(&Shape::Seed),
                };
                if !used {
                    continue;
                }
                if schemas(name).is_some_and(|known| known != schema) {
                    return Err(OpenApiError::SchemaNameTaken(name.to_owned()));
                }
                plan.schemas.push((name.to_owned(), schema));
            }
        }
        Ok(plan)
    }

    /// The shared response `name` of a status whose errors carry one of `entries`' codes.
    fn response(&self, name: &str, status: StatusCode, entries: &[&Entry]) -> Value {
        let codes: Vec<&str> = entries.iter().map(|e| e.code()).collect();
        let quoted: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
        let mut content = Map::new();
        for (content_type, format, shape) in self.content_types() {
            let mut media = Map::new();
            media.insert(
                "schema".to_owned(),
                json!({ "$ref": schema_ref(&format!("{name}{}", shape.suffix())) }),
            );
            let examples: Map<String, Value> = entries
                .iter()
                .filter_map(|entry| {
                    let example = match format {
                        // The same body as `application/xml`'s: a reference to that example.
                        Format::TextXml => {
                            self.example_body(entry, format)?;
                            json!({ "$ref": format!(
                                "{RESPONSES}{name}/content/application~1xml/examples/{}",
                                entry.code()
                            ) })
                        }
                        _ => self.example(entry, format)?,
                    };
                    Some((entry.code().to_owned(), example))
                })
                .collect();
            if !examples.is_empty() {
                media.insert("examples".to_owned(), Value::Object(examples));
            }
            content.insert(content_type.to_owned(), Value::Object(media));
        }
        let mut response = Map::new();
        response.insert(
            "description".to_owned(),
            format!("{}: {}.", crate::code::reason(status), quoted.join(", ")).into(),
        );
        let headers = self.headers(status, entries);
        if !headers.is_empty() {
            response.insert("headers".to_owned(), Value::Object(headers));
        }
        response.insert("content".to_owned(), Value::Object(content));
        response.insert(CODES.to_owned(), json!(codes));
        Value::Object(response)
    }

    /// The headers an error response of `status` with one of `entries`' codes has.
    fn headers(&self, status: StatusCode, entries: &[&Entry]) -> Map<String, Value> {
        let header = |description: String, schema: Value| json!({ "description": description, "schema": schema });
        let mut headers = Map::new();
        let vary = if self.languages.len() > 1 {
            "Accept, Accept-Language"
        } else {
            "Accept"
        };
        headers.insert(
            "Vary".to_owned(),
            header(
                format!("Has `{vary}`."),
                json!({ "type": "string", "pattern": vary }),
            ),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                "WWW-Authenticate".to_owned(),
                header(
                    "The authentication challenges.".to_owned(),
                    json!({ "type": "string" }),
                ),
            );
        }
        if status == StatusCode::METHOD_NOT_ALLOWED {
            headers.insert(
                "Allow".to_owned(),
                header(
                    "The methods the resource supports.".to_owned(),
                    json!({ "type": "string" }),
                ),
            );
        }
        let retries = matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        ) || entries.iter().any(|entry| {
            entry
                .example()
                .is_some_and(|err| err.headers().contains_key(RETRY_AFTER))
        });
        if retries {
            headers.insert(
                "Retry-After".to_owned(),
                header(
                    "The seconds to wait before trying again, when known.".to_owned(),
                    json!({ "type": "string", "pattern": "^[0-9]+$" }),
                ),
            );
        }
        if let Some(name) = &self.code_header {
            let codes: Vec<&str> = entries.iter().map(|e| e.code()).collect();
            headers.insert(
                name.as_str().to_owned(),
                header(
                    "The error's code.".to_owned(),
                    json!({ "type": "string", "enum": codes }),
                ),
            );
        }
        if let Some(name) = &self.request_id_header {
            headers.insert(
                name.as_str().to_owned(),
                header(
                    "The request's id, as the body's `request_id`.".to_owned(),
                    json!({ "type": "string" }),
                ),
            );
        }
        if self.languages.len() > 1 {
            let tags: Vec<&str> = self.languages.iter().map(LanguageTag::as_str).collect();
            headers.insert(
                "Content-Language".to_owned(),
                header(
                    "The language of the texts.".to_owned(),
                    json!({ "type": "string", "enum": tags }),
                ),
            );
        }
        headers
    }

    /// The body the layer sends for the example error of `entry` in `format`, as an OpenAPI
    /// example object (JSON bodies as values, XML bodies as strings); none for an entry without
    /// an example, or whose example has another code or status.
    fn example(&self, entry: &Entry, format: Format) -> Option<Value> {
        let body = self.example_body(entry, format)?;
        let value = if format.is_xml() {
            Value::String(String::from_utf8_lossy(&body).into_owned())
        } else {
            // The crate's own JSON: it parses.
            serde_json::from_slice(&body).ok()?
        };
        Some(json!({ "value": value }))
    }

    /// The body of `entry`'s example error in `format`, as the layer renders it.
    pub(crate) fn example_body(&self, entry: &Entry, format: Format) -> Option<bytes::Bytes> {
        let err = entry.example()?;
        if err.code() != entry.code() || err.status() != entry.status() {
            return None;
        }
        Some(render::body(&err, format, self.base.as_deref(), None))
    }

    /// A response for errors of any code: every content type with its shape's schema, no
    /// example.
    #[cfg_attr(not(feature = "aide"), allow(dead_code))]
    pub(crate) fn any_code(&self) -> Value {
        let mut content = Map::new();
        for (content_type, _, shape) in self.content_types() {
            content.insert(
                content_type.to_owned(),
                json!({ "schema": { "$ref": schema_ref(shape.component()) } }),
            );
        }
        json!({ "description": "An error response.", "content": content })
    }
}

/// What documenting an operation adds (see [`ErrorResponses::plan`]).
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// The operation's response of each status: the name of a shared response.
    pub(crate) refs: Vec<(StatusCode, String)>,
    /// The shared responses, by name.
    pub(crate) responses: Vec<(String, Value)>,
    /// The schemas they refer to, by name, the components of the body's shapes included.
    pub(crate) schemas: Vec<(String, Value)>,
}

/// The extension of a response that lists the error codes it stands for: on a [`marker`], and on
/// every shared response, so that codes added later join them.
pub(crate) const CODES: &str = "x-error-codes";

/// Where shared responses are.
pub(crate) const RESPONSES: &str = "#/components/responses/";

/// The error responses of `entries`, one per status, that stand for them until
/// [`ErrorResponses`] makes them shared responses: a description naming the codes, and the
/// codes in [`CODES`]. What a derived enum documents for a handler that returns it.
pub(crate) fn markers(entries: &[Entry]) -> Vec<(StatusCode, Value)> {
    group(entries.iter())
        .into_iter()
        .map(|(status, entries)| {
            let codes: Vec<&str> = entries.iter().map(|e| e.code()).collect();
            (status, marker(status, &codes))
        })
        .collect()
}

/// The [`markers`] response of `codes`, all of `status`.
pub(crate) fn marker(status: StatusCode, codes: &[&str]) -> Value {
    let quoted: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
    json!({
        "description": format!("{}: {}.", crate::code::reason(status), quoted.join(", ")),
        CODES: codes,
    })
}

/// The codes a response stands for: those of a [`marker`], or of the shared response it refers
/// to (read with `responses`); `None` for any other response.
pub(crate) fn codes_of(
    response: &Value,
    responses: &dyn Fn(&str) -> Option<Value>,
) -> Option<Vec<String>> {
    let shared;
    let response = match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            shared = responses(reference.strip_prefix(RESPONSES)?)?;
            &shared
        }
        None => response,
    };
    response
        .get(CODES)?
        .as_array()?
        .iter()
        .map(|code| code.as_str().map(str::to_owned))
        .collect()
}

/// `entries` by status, in the order of the statuses, each status's entries once and in the
/// order of their codes.
fn group<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<(StatusCode, Vec<&'a Entry>)> {
    let mut by_status: Vec<(StatusCode, Vec<&Entry>)> = Vec::new();
    for entry in entries {
        match by_status.iter_mut().find(|(s, _)| *s == entry.status()) {
            Some((_, known)) if known.iter().any(|e| e.code() == entry.code()) => {}
            Some((_, known)) => known.push(entry),
            None => by_status.push((entry.status(), vec![entry])),
        }
    }
    by_status.sort_by_key(|(status, _)| *status);
    for (_, entries) in &mut by_status {
        entries.sort_by_key(|e| e.code());
    }
    by_status
}

/// The name of the shared response and schema of `codes`: each code in upper camel case
/// (`order_already_paid` is `OrderAlreadyPaid`), joined by `Or`.
fn base_name(codes: &[&str]) -> String {
    let camel = |code: &str| -> String {
        code.split(|c: char| !c.is_ascii_alphanumeric())
            .flat_map(|part| {
                let mut chars = part.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase())
                    .into_iter()
                    .chain(chars)
            })
            .collect()
    };
    codes
        .iter()
        .map(|&code| camel(code))
        .collect::<Vec<_>>()
        .join("Or")
}

/// The shape of a body, and the components of its schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Seed,
    Problem,
}

impl Shape {
    /// The component every body of this shape matches.
    fn component(self) -> &'static str {
        match self {
            Self::Seed => SEED,
            Self::Problem => PROBLEM,
        }
    }

    /// What the name of a shared schema of this shape ends with.
    fn suffix(self) -> &'static str {
        match self {
            Self::Seed => "",
            Self::Problem => "Problem",
        }
    }

    /// The schema of a body of this shape, of `status`, with one of `entries`' codes: the
    /// shape's component, and an object whose `error` is one of the codes and whose other
    /// properties are the codes' extension members, both of which the body matches (`allOf`).
    fn schema(self, status: StatusCode, entries: &[&Entry]) -> Value {
        let codes: Vec<&str> = entries.iter().map(|e| e.code()).collect();
        let mut properties = Map::new();
        properties.insert(
            "error".to_owned(),
            json!({ "type": "string", "enum": codes }),
        );
        properties.extend(member_properties(status, entries));
        json!({
            "allOf": [
                { "$ref": schema_ref(self.component()) },
                // `error` is required by the shape already.
                { "type": "object", "properties": properties },
            ]
        })
    }
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

/// The plans of [`catalogue_with_members`] with every option set (error URIs, the request-id and
/// code headers, two languages), one per problem-details setting, for the backends' tests.
#[cfg(test)]
pub(crate) fn plans_with_every_option() -> Vec<(ErrorResponses, Plan)> {
    let catalogue = catalogue_with_members();
    let codes: Vec<&str> = catalogue
        .entries()
        .iter()
        .map(|entry| entry.code())
        .collect();
    [
        ProblemDetails::Never,
        ProblemDetails::WhenAsked,
        ProblemDetails::Always,
    ]
    .into_iter()
    .map(|problem_details| {
        let errors = ErrorResponses::new(&catalogue)
            .error_uri_base("https://docs.example.com/errors")
            .problem_details(problem_details)
            .request_id_header(HeaderName::from_static("x-request-id"))
            .code_header(HeaderName::from_static("x-error-code"))
            .languages(&[
                LanguageTag::from_static("en"),
                LanguageTag::from_static("de"),
            ]);
        let plan = errors.plan(&[], &codes, &|_| None, &|_| None).unwrap();
        (errors, plan)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use http::{HeaderName, StatusCode};
    use serde_json::{json, Value};

    use super::{
        base_name, catalogue_with_members, marker, schemas, ErrorResponses, OpenApiError, Plan,
        UnknownCode,
    };
    use crate::{
        catalogue::Catalogue,
        code::{self, Entry},
        language::LanguageTag,
        ApiError, ProblemDetails,
    };

    fn plan(errors: &ErrorResponses, codes: &[&str]) -> Plan {
        errors.plan(&[], codes, &|_| None, &|_| None).unwrap()
    }

    fn named<'a>(items: &'a [(String, Value)], name: &str) -> &'a Value {
        &items.iter().find(|(n, _)| n == name).unwrap().1
    }

    /// The shared schema of a response pins `error` to its codes and lists the members of its
    /// codes, in each shape.
    #[test]
    fn a_shared_schema_pins_the_codes_and_lists_their_members() {
        let errors = ErrorResponses::new(&catalogue_with_members());
        let plan = plan(
            &errors,
            &[
                "name_taken",
                "item_locked",
                "upstream_down",
                "not_found",
                "too_many_requests",
            ],
        );
        let names: Vec<(u16, &str)> = plan
            .refs
            .iter()
            .map(|(s, n)| (s.as_u16(), n.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (404, "NotFound"),
                (409, "ItemLockedOrNameTaken"),
                (429, "TooManyRequests"),
                (502, "UpstreamDown"),
            ]
        );
        for (schema, shape) in [
            ("ItemLockedOrNameTaken", "ApiError"),
            ("ItemLockedOrNameTakenProblem", "Problem"),
        ] {
            let schema = named(&plan.schemas, schema);
            assert_eq!(
                schema["allOf"][0]["$ref"],
                format!("#/components/schemas/{shape}")
            );
            let properties = &schema["allOf"][1]["properties"];
            assert_eq!(
                properties["error"],
                json!({ "type": "string", "enum": ["item_locked", "name_taken"] })
            );
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
                properties["existing_id"],
                json!({
                    "anyOf": [
                        { "type": "string" },
                        { "type": "integer", "format": "int64" },
                    ],
                    "description": "Sent with `item_locked`, `name_taken`: string with \
                                    `item_locked`; integer with `name_taken`.",
                })
            );
        }
        // A masked 5xx sends only its public members.
        let properties = named(&plan.schemas, "UpstreamDown")["allOf"][1]["properties"]
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(properties.keys().collect::<Vec<_>>(), ["error", "upstream"]);
        // A 429 may have `violated-policies`, a list of strings, and `Retry-After`.
        let schema = named(&plan.schemas, "TooManyRequestsProblem");
        let violated = &schema["allOf"][1]["properties"]["violated-policies"];
        assert_eq!(violated["items"]["type"], "string");
        let response = named(&plan.responses, "TooManyRequests");
        assert!(response["headers"]["Retry-After"].is_object());
        assert!(named(&plan.responses, "NotFound")["headers"]["Retry-After"].is_null());
    }

    /// The content types are the builder's choice.
    #[test]
    fn the_content_types_follow_the_settings() {
        let catalogue = Catalogue::builtin();
        let types = |errors: ErrorResponses| -> Vec<String> {
            let plan = plan(&errors, &[code::NOT_FOUND]);
            let content = named(&plan.responses, "NotFound")["content"]
                .as_object()
                .unwrap()
                .clone();
            content.keys().cloned().collect()
        };
        let errors = ErrorResponses::new(&catalogue);
        assert_eq!(
            types(errors.clone()),
            // serde_json's map keeps its keys in order.
            [
                "application/json",
                "application/problem+json",
                "application/problem+xml",
                "application/xml",
                "text/xml",
            ]
        );
        assert_eq!(
            types(errors.clone().xml(false)),
            ["application/json", "application/problem+json"]
        );
        assert_eq!(
            types(
                errors
                    .clone()
                    .xml(false)
                    .problem_details(ProblemDetails::Never)
            ),
            ["application/json"]
        );
        assert_eq!(
            types(errors.problem_details(ProblemDetails::Always)),
            ["application/problem+json", "application/problem+xml"]
        );
    }

    /// Headers: `Vary` always, `WWW-Authenticate` on 401, `Allow` on 405, `Retry-After` on 429,
    /// 503 and a code whose example has one, and the configured ones.
    #[test]
    fn the_headers_the_layer_sends_are_documented() {
        const SLOW: Entry = Entry::new(StatusCode::CONFLICT, "busy", "Busy.").with_example(|| {
            ApiError::new(StatusCode::CONFLICT, "busy", "Busy.")
                .with_retry_after(std::time::Duration::from_secs(3))
        });
        let catalogue = Catalogue::builtin().with_entries([SLOW]).unwrap();
        let errors = ErrorResponses::new(&catalogue)
            .request_id_header(HeaderName::from_static("x-request-id"))
            .code_header(HeaderName::from_static("x-error-code"))
            .languages(&[
                LanguageTag::from_static("en"),
                LanguageTag::from_static("pt-BR"),
            ]);
        let plan = plan(
            &errors,
            &[
                code::UNAUTHORIZED,
                code::METHOD_NOT_ALLOWED,
                code::SERVICE_UNAVAILABLE,
                "busy",
                code::NOT_FOUND,
            ],
        );
        let headers = |name: &str| -> Vec<String> {
            let headers = named(&plan.responses, name)["headers"]
                .as_object()
                .unwrap()
                .clone();
            let mut names: Vec<String> = headers.keys().cloned().collect();
            names.sort();
            names
        };
        let common = ["Content-Language", "Vary", "x-error-code", "x-request-id"];
        let with = |extra: &str| {
            let mut all: Vec<String> = common.iter().map(|&s| s.to_owned()).collect();
            all.push(extra.to_owned());
            all.sort();
            all
        };
        assert_eq!(headers("Unauthorized"), with("WWW-Authenticate"));
        assert_eq!(headers("MethodNotAllowed"), with("Allow"));
        assert_eq!(headers("ServiceUnavailable"), with("Retry-After"));
        assert_eq!(headers("Busy"), with("Retry-After"));
        assert_eq!(headers("NotFound"), common);
        let not_found = &named(&plan.responses, "NotFound")["headers"];
        assert_eq!(
            not_found["x-error-code"]["schema"]["enum"],
            json!(["not_found"])
        );
        assert_eq!(
            not_found["Vary"]["schema"]["pattern"],
            "Accept, Accept-Language"
        );

        // One language: `Vary: Accept`, no `Content-Language`.
        let plan = super::tests::plan(&ErrorResponses::new(&catalogue), &[code::NOT_FOUND]);
        let headers = &named(&plan.responses, "NotFound")["headers"];
        assert_eq!(headers.as_object().unwrap().len(), 1);
        assert_eq!(headers["Vary"]["schema"]["pattern"], "Accept");
    }

    /// Codes already on an operation (a marker, or a shared response) join the added ones; a
    /// name taken by another response or schema is not reused.
    #[test]
    fn codes_join_and_names_stay_unique() {
        let catalogue = catalogue_with_members();
        let errors = ErrorResponses::new(&catalogue);
        let first = plan(&errors, &["name_taken"]);
        let (name, response) = first.responses[0].clone();
        assert_eq!(name, "NameTaken");
        let existing = [
            (
                "409".to_owned(),
                json!({ "$ref": "#/components/responses/NameTaken" }),
            ),
            (
                "404".to_owned(),
                marker(StatusCode::NOT_FOUND, &["not_found"]),
            ),
        ];
        let plan = errors
            .plan(
                &existing,
                &["item_locked"],
                &|n| (n == "NameTaken").then(|| response.clone()),
                // A schema of the application's own has the name `NotFound`.
                &|n| (n == "NotFound").then(|| json!({ "type": "object" })),
            )
            .unwrap();
        let refs: Vec<(u16, &str)> = plan
            .refs
            .iter()
            .map(|(s, n)| (s.as_u16(), n.as_str()))
            .collect();
        assert_eq!(refs, [(404, "NotFound2"), (409, "ItemLockedOrNameTaken")]);
        // A code not in the catalogue is an error.
        let err = errors
            .plan(&[], &["nope"], &|_| None, &|_| None)
            .unwrap_err();
        assert_eq!(
            err,
            OpenApiError::UnknownCode(UnknownCode("nope".to_owned()))
        );
        // An application schema named as a body shape is an error, and the shape's own schema
        // (from an earlier operation) is not.
        let taken = |n: &str| (n == "ApiError").then(|| json!({ "type": "object" }));
        let err = errors
            .plan(&[], &["not_found"], &|_| None, &taken)
            .unwrap_err();
        assert_eq!(err, OpenApiError::SchemaNameTaken("ApiError".to_owned()));
        assert!(err.to_string().contains("`ApiError`"), "{err}");
        let ours = |n: &str| {
            schemas()
                .into_iter()
                .find(|(name, _)| *name == n)
                .map(|(_, schema)| schema)
        };
        assert!(errors.plan(&[], &["not_found"], &|_| None, &ours).is_ok());
    }

    #[test]
    fn names_are_upper_camel_case() {
        assert_eq!(base_name(&["order_already_paid"]), "OrderAlreadyPaid");
        assert_eq!(base_name(&["a-b.c~d", "x"]), "ABCDOrX");
    }

    /// A code whose example is unknown, or has another code, shows no example.
    #[test]
    fn no_false_examples() {
        const ENTRIES: [Entry; 2] = [
            Entry::new(StatusCode::GONE, "item_gone", "Gone.").without_example(),
            Entry::new(StatusCode::GONE, "other", "Other.")
                .with_example(|| ApiError::new(StatusCode::GONE, "item_gone", "Gone.")),
        ];
        let catalogue = Catalogue::builtin().with_entries(ENTRIES).unwrap();
        let plan = plan(&ErrorResponses::new(&catalogue), &["item_gone", "other"]);
        let response = named(&plan.responses, "ItemGoneOrOther");
        assert!(response["content"]["application/json"]["examples"].is_null());
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
    /// The document already has a schema of this name (`ApiError`, `FieldError` or
    /// `Problem`) that is not the error body's: the shared error schemas refer to the body's
    /// schema by this name, and would describe the application's schema instead.
    SchemaNameTaken(String),
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
            Self::SchemaNameTaken(name) => write!(
                f,
                "the OpenAPI document already has a schema named `{name}`, which the error \
                 responses need for the error body; rename the application's schema \
                 (with utoipa, `#[schema(as = ...)]`)"
            ),
        }
    }
}

impl StdError for OpenApiError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::UnknownCode(err) => Some(err),
            Self::NoOperation { .. } | Self::SchemaNameTaken(_) => None,
        }
    }
}
