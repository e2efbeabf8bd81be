//! The strict parser of error responses: [`ErrorResponse`] and [`ParseError`].

use std::fmt;

use bytes::Bytes;
use http::{
    header::{CONTENT_LENGTH, CONTENT_TYPE, VARY},
    HeaderMap, Response, StatusCode,
};
use http_body_util::BodyExt;
use quick_xml::{
    events::{BytesStart, Event},
    name::ResolveResult,
    reader::NsReader,
};

use crate::{FieldError, Format};

/// The namespace of RFC 9457's XML problem details (its appendix B).
pub(super) const PROBLEM_NAMESPACE: &str = "urn:ietf:rfc:7807";

/// An error response read back and checked against the contract of
/// [`ApiErrorLayer`](crate::ApiErrorLayer): a `4xx` or `5xx` status, one of the five error
/// `Content-Type`s, a `Content-Length` equal to the body's length, `Vary` naming `Accept`, and a
/// body that is exactly one of the shapes (seed or RFC 9457 problem details, in JSON or XML)
/// with no member the shape does not have.
///
/// Problem details are read in the seed shape's terms as well: [`description`](Self::description)
/// is `detail`, [`uri`](Self::uri) is `type`, and [`code`](Self::code) is the `error` member of
/// both shapes.
///
/// ```
/// use bytes::Bytes;
/// use http::{header, HeaderMap, HeaderValue, StatusCode};
/// use tower_api_error::{testing::ErrorResponse, Format};
///
/// let body = Bytes::from_static(br#"{"error":"not_found","error_description":"No item 42."}"#);
/// let mut headers = HeaderMap::new();
/// headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
/// headers.insert(header::CONTENT_LENGTH, body.len().into());
/// headers.insert(header::VARY, HeaderValue::from_static("Accept"));
///
/// let parsed = ErrorResponse::parse(StatusCode::NOT_FOUND, headers.clone(), body)?;
/// assert_eq!(parsed.code(), "not_found");
/// assert_eq!(parsed.description(), "No item 42.");
/// assert_eq!(parsed.format(), Format::Json);
/// assert_eq!(parsed.uri(), None);
///
/// // A member that is neither the shape's own nor a valid extension member is an error,
/// // saying which.
/// let body = Bytes::from_static(br#"{"error":"not_found","error_description":"x","1st":1}"#);
/// headers.insert(header::CONTENT_LENGTH, body.len().into());
/// let err = ErrorResponse::parse(StatusCode::NOT_FOUND, headers, body).unwrap_err();
/// assert!(err.to_string().contains(r#"unexpected member "1st""#), "{err}");
/// # Ok::<(), tower_api_error::testing::ParseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    format: Format,
    members: Members,
}

/// What the body says.
#[derive(Debug, Clone, Default)]
struct Members {
    code: String,
    description: String,
    uri: Option<String>,
    field_errors: Vec<FieldError>,
    request_id: Option<String>,
    title: Option<String>,
    problem_status: Option<u16>,
    /// The extension members, in the body's order.
    extensions: Vec<(String, MemberText)>,
}

/// The value of an [extension member](crate::member) as a body gives it, in terms that JSON and
/// XML share: a scalar's text (a JSON string as it is, an integer in decimal, a boolean as
/// `true` or `false`), or a list (a JSON array; `<i>` elements in XML).
///
/// An empty JSON array reads as an empty list; its XML form, an empty element, reads as an
/// empty text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberText {
    /// A string, an integer or a boolean.
    Scalar(String),
    /// A list of values.
    List(Vec<MemberText>),
}

impl MemberText {
    /// The text of a scalar; `None` for a list.
    pub fn as_scalar(&self) -> Option<&str> {
        match self {
            MemberText::Scalar(text) => Some(text),
            MemberText::List(_) => None,
        }
    }
}

/// Whether `name` may be an extension member's name: a valid [`MemberName`], or the
/// `violated-policies` member that [rate limits](crate::rate_limit) add.
///
/// [`MemberName`]: crate::member::MemberName
fn is_extension_name(name: &str) -> bool {
    name == "violated-policies" || crate::member::MemberName::new(name.to_owned()).is_ok()
}

impl ErrorResponse {
    /// Collects the body of `response` and [parses](Self::parse) it.
    ///
    /// A body that fails to be read is a [`ParseError`] of kind [`ParseErrorKind::Body`].
    pub async fn from_response<B>(response: Response<B>) -> Result<Self, ParseError>
    where
        B: http_body::Body,
        B::Error: fmt::Display,
    {
        let (parts, body) = response.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(err) => {
                return Err(ParseError::new(
                    ParseErrorKind::Body,
                    format!("reading the body failed: {err}"),
                ))
            }
        };
        Self::parse(parts.status, parts.headers, body)
    }

    /// Checks and parses an error response given as its status, headers and whole body.
    pub fn parse(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<Self, ParseError> {
        if !status.is_client_error() && !status.is_server_error() {
            return Err(ParseError::new(
                ParseErrorKind::Status,
                format!("status {status} is not an error status (4xx or 5xx)"),
            ));
        }
        let format = content_type(&headers)?;
        check_content_length(&headers, body.len())?;
        check_vary(&headers)?;
        let members = match format {
            Format::Json => parse_seed_json(&body),
            Format::Xml | Format::TextXml => parse_xml(&body, false),
            Format::ProblemJson => parse_problem_json(&body),
            Format::ProblemXml => parse_xml(&body, true),
        }
        .map_err(|message| {
            ParseError::new(
                ParseErrorKind::Body,
                format!("the {} body is malformed: {message}", shape_name(format)),
            )
        })?;
        if let Some(problem_status) = members.problem_status {
            if problem_status != status.as_u16() {
                return Err(ParseError::new(
                    ParseErrorKind::Body,
                    format!(
                        "the problem details member status is {problem_status}, \
                         but the response status is {}",
                        status.as_u16()
                    ),
                ));
            }
        }
        Ok(Self {
            status,
            headers,
            body,
            format,
            members,
        })
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The whole body, as it was sent.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (a body that parsed is UTF-8).
    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or_default()
    }

    /// The format, from `Content-Type`: [`Format::TextXml`] for `text/xml`.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the body is RFC 9457 problem details rather than the seed shape.
    pub fn is_problem(&self) -> bool {
        self.format.is_problem()
    }

    /// The code: the member `error` of either shape.
    pub fn code(&self) -> &str {
        &self.members.code
    }

    /// `error_description`, or `detail` of problem details.
    pub fn description(&self) -> &str {
        &self.members.description
    }

    /// `error_uri`, or `type` of problem details; `None` when the body has none.
    pub fn uri(&self) -> Option<&str> {
        self.members.uri.as_deref()
    }

    /// The field errors, in the order of the body, each with its [code](FieldError::code) when
    /// the body gives one; empty when the body has none.
    pub fn field_errors(&self) -> &[FieldError] {
        &self.members.field_errors
    }

    /// The member `request_id`, if the body has one.
    pub fn request_id(&self) -> Option<&str> {
        self.members.request_id.as_deref()
    }

    /// `title` of problem details; `None` for the seed shape.
    pub fn title(&self) -> Option<&str> {
        self.members.title.as_deref()
    }

    /// The member `status` of problem details (always the response status: the parser checks
    /// it); `None` for the seed shape.
    pub fn problem_status(&self) -> Option<u16> {
        self.members.problem_status
    }

    /// The extension members (see [`member`](crate::member)), in the body's order: every member
    /// or element the shape does not define itself, whose name is a valid member name.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{header, HeaderMap, HeaderValue, StatusCode};
    /// use tower_api_error::testing::{ErrorResponse, MemberText};
    ///
    /// let body = Bytes::from_static(
    ///     br#"{"error":"item_name_taken","error_description":"Taken.","existing_id":4}"#,
    /// );
    /// let mut headers = HeaderMap::new();
    /// headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    /// headers.insert(header::CONTENT_LENGTH, body.len().into());
    /// headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    ///
    /// let parsed = ErrorResponse::parse(StatusCode::CONFLICT, headers, body)?;
    /// assert_eq!(parsed.member("existing_id"), Some(&MemberText::Scalar("4".into())));
    /// assert_eq!(parsed.members().len(), 1);
    /// # Ok::<(), tower_api_error::testing::ParseError>(())
    /// ```
    pub fn members(&self) -> &[(String, MemberText)] {
        &self.members.extensions
    }

    /// The extension member `name`, if the body has it.
    pub fn member(&self, name: &str) -> Option<&MemberText> {
        self.members
            .extensions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    /// `404 not_found (application/json): "No item 42."`: for messages.
    pub(super) fn summary(&self) -> String {
        format!(
            "{} {} ({}): {:?}",
            self.status.as_u16(),
            self.code(),
            content_type_text(&self.headers),
            self.description()
        )
    }
}

/// Which rule of the contract a response breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The status is not `4xx` or `5xx`.
    Status,
    /// `Content-Type` is missing, repeated, or not one of the five error types.
    ContentType,
    /// `Content-Length` is missing, repeated, not a number, or not the body's length.
    ContentLength,
    /// No `Vary` field names `Accept` (or `*`).
    Vary,
    /// The body cannot be read, or is not exactly one of the shapes.
    Body,
}

/// Why a response is not a well-formed error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorKind,
    message: String,
}

impl ParseError {
    fn new(kind: ParseErrorKind, message: String) -> Self {
        Self { kind, message }
    }

    /// Which rule is broken.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

const CONTENT_TYPES: [(&str, Format); 5] = [
    ("application/json", Format::Json),
    ("application/xml; charset=utf-8", Format::Xml),
    ("text/xml; charset=utf-8", Format::TextXml),
    ("application/problem+json", Format::ProblemJson),
    ("application/problem+xml; charset=utf-8", Format::ProblemXml),
];

fn shape_name(format: Format) -> &'static str {
    match format {
        Format::Json => "JSON error",
        Format::Xml | Format::TextXml => "XML error",
        Format::ProblemJson => "problem+json",
        Format::ProblemXml => "problem+xml",
    }
}

/// The `Content-Type` as text, for messages.
pub(super) fn content_type_text(headers: &HeaderMap) -> String {
    match headers.get(CONTENT_TYPE) {
        Some(value) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
        None => "no Content-Type".to_owned(),
    }
}

fn content_type(headers: &HeaderMap) -> Result<Format, ParseError> {
    let error = |message| Err(ParseError::new(ParseErrorKind::ContentType, message));
    let mut values = headers.get_all(CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        let count = headers.get_all(CONTENT_TYPE).iter().count();
        return error(match count {
            0 => "no Content-Type".to_owned(),
            _ => format!("{count} Content-Type fields, expected one"),
        });
    };
    for (name, format) in CONTENT_TYPES {
        if value.as_bytes().eq_ignore_ascii_case(name.as_bytes()) {
            return Ok(format);
        }
    }
    let expected: Vec<&str> = CONTENT_TYPES.iter().map(|(name, _)| *name).collect();
    error(format!(
        "Content-Type is {:?}, not one of {}",
        String::from_utf8_lossy(value.as_bytes()),
        expected.join(", ")
    ))
}

fn check_content_length(headers: &HeaderMap, len: usize) -> Result<(), ParseError> {
    let error = |message| Err(ParseError::new(ParseErrorKind::ContentLength, message));
    let mut values = headers.get_all(CONTENT_LENGTH).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        let count = headers.get_all(CONTENT_LENGTH).iter().count();
        return error(match count {
            0 => "no Content-Length".to_owned(),
            _ => format!("{count} Content-Length fields, expected one"),
        });
    };
    let text = String::from_utf8_lossy(value.as_bytes());
    match text.parse::<usize>() {
        Ok(declared) if declared == len => Ok(()),
        Ok(declared) => error(format!(
            "Content-Length is {declared}, but the body has {len} bytes"
        )),
        Err(_) => error(format!("Content-Length {text:?} is not a number")),
    }
}

/// Whether some `Vary` field line names `Accept` or `*`.
pub(super) fn varies_on_accept(headers: &HeaderMap) -> bool {
    headers.get_all(VARY).iter().any(|value| {
        value.as_bytes().split(|&b| b == b',').any(|name| {
            let name = name.trim_ascii();
            name == b"*" || name.eq_ignore_ascii_case(b"accept")
        })
    })
}

fn check_vary(headers: &HeaderMap) -> Result<(), ParseError> {
    if varies_on_accept(headers) {
        return Ok(());
    }
    let values: Vec<String> = headers
        .get_all(VARY)
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    let message = if values.is_empty() {
        "no Vary field; it must name Accept".to_owned()
    } else {
        format!("Vary is {values:?}, which does not name Accept")
    };
    Err(ParseError::new(ParseErrorKind::Vary, message))
}

// JSON.

/// A JSON object's members in their order, duplicates kept (serde_json's map would keep only
/// the last one).
struct Object(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Object, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Object(members))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl Object {
    fn parse(body: &[u8], allowed: &[&str]) -> Result<Self, String> {
        let object: Object =
            serde_json::from_slice(body).map_err(|e| format!("not a JSON object: {e}"))?;
        for (i, (name, _)) in object.0.iter().enumerate() {
            if !allowed.contains(&name.as_str()) && !is_extension_name(name) {
                return Err(format!("unexpected member {name:?}"));
            }
            if object.0[..i].iter().any(|(other, _)| other == name) {
                return Err(format!("member {name:?} appears twice"));
            }
        }
        Ok(object)
    }

    /// The members that are not the shape's own (`allowed`), read as extension members.
    fn extensions(&self, allowed: &[&str]) -> Result<Vec<(String, MemberText)>, String> {
        self.0
            .iter()
            .filter(|(name, _)| !allowed.contains(&name.as_str()))
            .map(|(name, value)| {
                json_member(value)
                    .map(|value| (name.clone(), value))
                    .ok_or_else(|| {
                        format!(
                            "member {name:?} is not a string, an integer, a boolean or a list \
                             of those: {value}"
                        )
                    })
            })
            .collect()
    }

    fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn string(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("member {name:?} is not a string: {other}")),
        }
    }

    fn required(&self, name: &str) -> Result<String, String> {
        self.string(name)?
            .ok_or_else(|| format!("no member {name:?}"))
    }

    fn field_errors(&self) -> Result<Vec<FieldError>, String> {
        let Some(list) = self.get("field_errors") else {
            return Ok(Vec::new());
        };
        let Some(list) = list.as_array() else {
            return Err(format!("field_errors is not an array: {list}"));
        };
        if list.is_empty() {
            return Err("field_errors is present but empty".to_owned());
        }
        list.iter().map(json_field_error).collect()
    }
}

/// An extension member's JSON value, or `None` if it is not one an `ApiError` can carry.
fn json_member(value: &serde_json::Value) -> Option<MemberText> {
    match value {
        serde_json::Value::String(text) => Some(MemberText::Scalar(text.clone())),
        serde_json::Value::Bool(b) => Some(MemberText::Scalar(b.to_string())),
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => {
            Some(MemberText::Scalar(n.to_string()))
        }
        serde_json::Value::Array(items) => items
            .iter()
            .map(json_member)
            .collect::<Option<_>>()
            .map(MemberText::List),
        _ => None,
    }
}

/// One item of `field_errors`: `{"field": string, "message": string}`, optionally with
/// `"code": string`, and nothing else.
fn json_field_error(item: &serde_json::Value) -> Result<FieldError, String> {
    let wrong = || {
        format!(
            "a field error is not {{\"field\": string, \"message\": string, \"code\"?: string}}: {item}"
        )
    };
    let object = item.as_object().ok_or_else(wrong)?;
    let string = |name: &str| match object.get(name) {
        None => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(wrong()),
    };
    let (Some(field), Some(message)) = (string("field")?, string("message")?) else {
        return Err(wrong());
    };
    let code = string("code")?;
    if object.len() != 2 + usize::from(code.is_some()) {
        return Err(wrong());
    }
    let error = FieldError::new(field, message);
    Ok(match code {
        Some(code) => error.with_code(code),
        None => error,
    })
}

fn parse_seed_json(body: &[u8]) -> Result<Members, String> {
    const OWN: &[&str] = &[
        "error",
        "error_description",
        "error_uri",
        "field_errors",
        "request_id",
    ];
    let object = Object::parse(body, OWN)?;
    Ok(Members {
        code: object.required("error")?,
        description: object.required("error_description")?,
        uri: object.string("error_uri")?,
        field_errors: object.field_errors()?,
        request_id: object.string("request_id")?,
        title: None,
        problem_status: None,
        extensions: object.extensions(OWN)?,
    })
}

fn parse_problem_json(body: &[u8]) -> Result<Members, String> {
    const OWN: &[&str] = &[
        "type",
        "title",
        "status",
        "detail",
        "error",
        "field_errors",
        "request_id",
    ];
    let object = Object::parse(body, OWN)?;
    let status = match object.get("status") {
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| (100..=999).contains(n))
            .ok_or_else(|| format!("member \"status\" is not a status: {n}"))?,
        Some(other) => return Err(format!("member \"status\" is not a number: {other}")),
        None => return Err("no member \"status\"".to_owned()),
    };
    Ok(Members {
        code: object.required("error")?,
        description: object.required("detail")?,
        uri: object.string("type")?,
        field_errors: object.field_errors()?,
        request_id: object.string("request_id")?,
        title: Some(object.required("title")?),
        problem_status: Some(status),
        extensions: object.extensions(OWN)?,
    })
}

// XML.

/// An element of an XML body: its local name, namespace, child elements and text.
struct Element {
    name: String,
    namespace: Option<String>,
    children: Vec<Element>,
    /// Character data directly inside the element.
    text: String,
}

impl Element {
    fn describe(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("<{}> (in {namespace})", self.name),
            None => format!("<{}>", self.name),
        }
    }

    /// The text of a leaf element.
    fn leaf_text(&self) -> Result<String, String> {
        match self.children.first() {
            None => Ok(self.text.clone()),
            Some(child) => Err(format!(
                "<{}> holds the element {}, it must hold text only",
                self.name,
                child.describe()
            )),
        }
    }
}

/// An extension member's element: text, or `<i>` items in the root's namespace.
fn xml_member(element: &Element, namespace: Option<&str>) -> Result<MemberText, String> {
    if element.children.is_empty() {
        return Ok(MemberText::Scalar(element.text.clone()));
    }
    if !element.text.trim().is_empty() {
        return Err(format!("<{}> mixes text and elements", element.name));
    }
    element
        .children
        .iter()
        .map(|item| {
            if item.name == "i" && item.namespace.as_deref() == namespace {
                xml_member(item, namespace)
            } else {
                Err(format!(
                    "member <{}> holds {}, where only <i> items belong",
                    element.name,
                    item.describe()
                ))
            }
        })
        .collect::<Result<_, _>>()
        .map(MemberText::List)
}

fn xml_error(e: impl fmt::Display) -> String {
    format!("not well-formed XML: {e}")
}

/// Reads `body` into a tree of elements, checking that it is one UTF-8 XML 1.0 document with an
/// XML declaration, no DTD, no attributes other than namespace declarations, and no text mixed
/// with elements.
fn read_tree(body: &[u8]) -> Result<Element, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let mut first = true;
    loop {
        let (namespace, event) = reader.read_resolved_event().map_err(xml_error)?;
        let namespace = match namespace {
            ResolveResult::Bound(ns) => Some(ns.into_inner().to_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(prefix) => {
                return Err(format!("the namespace prefix {prefix:?} is not declared"))
            }
        };
        let was_first = std::mem::replace(&mut first, false);
        match event {
            Event::Decl(decl) => {
                if !was_first {
                    return Err("the XML declaration is not at the start".to_owned());
                }
                let version = decl.version().map_err(xml_error)?;
                if version != "1.0" {
                    return Err(format!("XML version {version:?}, not 1.0"));
                }
                if let Some(encoding) = decl.encoding() {
                    let encoding = encoding.map_err(xml_error)?;
                    if !encoding.eq_ignore_ascii_case("utf-8") {
                        return Err(format!("encoding {encoding:?}, not UTF-8"));
                    }
                }
                continue;
            }
            _ if was_first => return Err("no XML declaration at the start".to_owned()),
            Event::Start(start) => {
                if root.is_some() {
                    return Err("more than one root element".to_owned());
                }
                check_attributes(&start)?;
                stack.push(Element {
                    name: start.local_name().as_ref().to_owned(),
                    namespace,
                    children: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(xml_error("an end tag without a start tag"));
                };
                if !done.children.is_empty() && !done.text.trim().is_empty() {
                    return Err(format!(
                        "<{}> holds text {:?} beside elements",
                        done.name,
                        done.text.trim()
                    ));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(text) => push_text(&mut stack, &root, &text.xml10_content())?,
            Event::CData(data) => {
                let data = data.into_inner();
                push_text(&mut stack, &root, &data)?;
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(xml_error)? {
                    Some(c) => c,
                    None => match &*reference.into_inner() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("the entity &{other}; is not defined")),
                    },
                };
                push_text(&mut stack, &root, resolved.encode_utf8(&mut [0; 4]))?;
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err("a DOCTYPE is not allowed".to_owned()),
            Event::Empty(_) => unreachable!("empty elements are expanded"),
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(xml_error("the document ends inside an element"));
    }
    root.ok_or_else(|| "no root element".to_owned())
}

fn push_text(stack: &mut [Element], root: &Option<Element>, text: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(element) => {
            element.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None if root.is_some() => Err(format!("text {:?} after the root element", text.trim())),
        None => Err(format!("text {:?} before the root element", text.trim())),
    }
}

fn check_attributes(start: &BytesStart<'_>) -> Result<(), String> {
    for attribute in start.attributes() {
        let attribute = attribute.map_err(xml_error)?;
        if attribute.key.as_namespace_binding().is_none() {
            return Err(format!(
                "<{}> has the attribute {:?}; error elements have none",
                start.local_name().as_ref(),
                attribute.key.as_ref()
            ));
        }
    }
    Ok(())
}

/// Parses an XML body: the seed shape's `<error_response>`, or (`problem`) RFC 9457's
/// `<problem>` in its namespace.
fn parse_xml(body: &[u8], problem: bool) -> Result<Members, String> {
    let root = read_tree(body)?;
    let (root_name, namespace, item, order): (_, _, _, &[&str]) = if problem {
        (
            "problem",
            Some(PROBLEM_NAMESPACE),
            "i",
            &[
                "type",
                "title",
                "status",
                "detail",
                "error",
                "field_errors",
                "request_id",
            ],
        )
    } else {
        (
            "error_response",
            None,
            "field_error",
            &[
                "error",
                "error_description",
                "error_uri",
                "field_errors",
                "request_id",
            ],
        )
    };
    let expected = |name: &str| match namespace {
        Some(namespace) => format!("<{name}> in the namespace {namespace}"),
        None => format!("<{name}> in no namespace"),
    };
    let check_name = |element: &Element, name: &str| {
        if element.name == name && element.namespace.as_deref() == namespace {
            Ok(())
        } else {
            Err(format!(
                "found {} where {} belongs",
                element.describe(),
                expected(name)
            ))
        }
    };
    if root.name != root_name || root.namespace.as_deref() != namespace {
        return Err(format!(
            "the root element is {}, not {}",
            root.describe(),
            expected(root_name)
        ));
    }
    // Extension members stand after the shape's own members, before `request_id`.
    let member_at = 2 * order.len() - 3;
    let mut previous: Option<usize> = None;
    let mut extensions: Vec<(String, MemberText)> = Vec::new();
    for child in &root.children {
        let known = order
            .iter()
            .position(|name| check_name(child, name).is_ok());
        let at = match known {
            Some(at) => 2 * at,
            None if child.namespace.as_deref() == namespace
                && !order.contains(&child.name.as_str())
                && is_extension_name(&child.name) =>
            {
                if extensions.iter().any(|(name, _)| *name == child.name) {
                    return Err(format!("member <{}> appears twice", child.name));
                }
                extensions.push((child.name.clone(), xml_member(child, namespace)?));
                member_at
            }
            None => {
                return Err(match order.iter().find(|name| **name == child.name) {
                    Some(name) => format!(
                        "found {} where {} belongs",
                        child.describe(),
                        expected(name)
                    ),
                    None => format!("unexpected element {}", child.describe()),
                })
            }
        };
        let repeated = previous.is_some_and(|previous| at < previous)
            || (known.is_some() && previous == Some(at));
        if repeated {
            let names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
            return Err(format!(
                "elements out of order or repeated: {names:?}; the order is {order:?}, with \
                 extension members before request_id"
            ));
        }
        previous = Some(at);
    }
    let find = |name: &str| root.children.iter().find(|c| c.name == name);
    let optional = |name: &str| find(name).map(Element::leaf_text).transpose();
    let required = |name: &str| {
        find(name)
            .ok_or_else(|| format!("no element {}", expected(name)))?
            .leaf_text()
    };
    let mut field_errors = Vec::new();
    if let Some(list) = find("field_errors") {
        if !list.text.trim().is_empty() {
            return Err(format!("<field_errors> holds text {:?}", list.text.trim()));
        }
        if list.children.is_empty() {
            return Err("<field_errors> is present but empty".to_owned());
        }
        for entry in &list.children {
            check_name(entry, item)?;
            let (field, message, code) = match entry.children.as_slice() {
                [field, message] => (field, message, None),
                [field, message, code] => (field, message, Some(code)),
                _ => {
                    return Err(format!(
                        "<{item}> must hold exactly <field> and <message>, and optionally <code>, \
                         it holds {} elements",
                        entry.children.len()
                    ))
                }
            };
            check_name(field, "field")?;
            check_name(message, "message")?;
            let error = FieldError::new(field.leaf_text()?, message.leaf_text()?);
            field_errors.push(match code {
                Some(code) => {
                    check_name(code, "code")?;
                    error.with_code(code.leaf_text()?)
                }
                None => error,
            });
        }
    }
    if problem {
        let status_text = required("status")?;
        let status = status_text
            .parse::<u16>()
            .ok()
            .filter(|n| (100..=999).contains(n))
            .ok_or_else(|| format!("<status> {status_text:?} is not a status"))?;
        Ok(Members {
            code: required("error")?,
            description: required("detail")?,
            uri: optional("type")?,
            field_errors,
            request_id: optional("request_id")?,
            title: Some(required("title")?),
            problem_status: Some(status),
            extensions,
        })
    } else {
        Ok(Members {
            code: required("error")?,
            description: required("error_description")?,
            uri: optional("error_uri")?,
            field_errors,
            request_id: optional("request_id")?,
            title: None,
            problem_status: None,
            extensions,
        })
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderValue, StatusCode};

    use super::*;
    use crate::{render, ApiError};

    const DOCS: &str = "https://docs.example.com/errors";

    fn headers(content_type: &str, len: usize) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers.insert(CONTENT_LENGTH, len.into());
        headers.insert(VARY, HeaderValue::from_static("Accept"));
        headers
    }

    fn content_type_of(format: Format) -> &'static str {
        CONTENT_TYPES.iter().find(|(_, f)| *f == format).unwrap().0
    }

    fn parse(status: u16, content_type: &str, body: &str) -> Result<ErrorResponse, ParseError> {
        let body = Bytes::from(body.to_owned());
        ErrorResponse::parse(
            StatusCode::from_u16(status).unwrap(),
            headers(content_type, body.len()),
            body,
        )
    }

    /// Fails unless `body` is rejected as a malformed body whose message contains `why`.
    #[track_caller]
    fn rejects(format: Format, body: &str, why: &str) {
        let err = parse(404, content_type_of(format), body).unwrap_err();
        assert_eq!(err.kind(), ParseErrorKind::Body, "{err}");
        assert!(
            err.to_string().contains(why),
            "{err:?} does not say {why:?}"
        );
    }

    const FORMATS: [Format; 5] = [
        Format::Json,
        Format::Xml,
        Format::TextXml,
        Format::ProblemJson,
        Format::ProblemXml,
    ];

    #[test]
    fn reads_the_request_id_the_layer_renders_last() {
        let err = ApiError::not_found("No item 9.").with_field_error("id", "unknown");
        for format in FORMATS {
            let body = render::body(&err, format, Some(DOCS), Some("req-7.a:b_c"));
            let parsed = ErrorResponse::parse(
                StatusCode::NOT_FOUND,
                headers(content_type_of(format), body.len()),
                body,
            )
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
            assert_eq!(parsed.request_id(), Some("req-7.a:b_c"), "{format:?}");
            assert_eq!(parsed.field_errors(), err.field_errors(), "{format:?}");
        }
    }

    #[test]
    fn reads_what_the_layer_renders_in_every_format() {
        let err = ApiError::unprocessable_entity("Bad <item> & \"more\"\r\n\tthere.")
            .with_field_error("items[0].name", "must not be <empty>")
            .with_field_error("price", "ünïcödé €")
            .with_field_errors([FieldError::new("tags[2]", "is too long").with_code("length <&>")]);
        for format in FORMATS {
            let body = render::body(&err, format, Some(DOCS), None);
            let parsed = ErrorResponse::parse(
                StatusCode::UNPROCESSABLE_ENTITY,
                headers(content_type_of(format), body.len()),
                body,
            )
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
            assert_eq!(parsed.format(), format);
            assert_eq!(parsed.code(), "unprocessable_entity");
            assert_eq!(parsed.description(), err.description(), "{format:?}");
            assert_eq!(
                parsed.uri(),
                Some("https://docs.example.com/errors#unprocessable_entity")
            );
            assert_eq!(parsed.field_errors(), err.field_errors());
            assert_eq!(parsed.request_id(), None);
            assert_eq!(parsed.is_problem(), format.is_problem());
            if format.is_problem() {
                assert_eq!(parsed.title(), Some("Unprocessable Entity"));
                assert_eq!(parsed.problem_status(), Some(422));
            } else {
                assert_eq!(parsed.title(), None);
                assert_eq!(parsed.problem_status(), None);
            }
        }
        // Without a URI and field errors.
        for format in FORMATS {
            let body = render::body(&ApiError::not_found("x"), format, None, None);
            let parsed = ErrorResponse::parse(
                StatusCode::NOT_FOUND,
                headers(content_type_of(format), body.len()),
                body,
            )
            .unwrap();
            assert_eq!(parsed.uri(), None);
            assert!(parsed.field_errors().is_empty());
        }
    }

    #[test]
    fn reads_request_ids_last_in_every_shape() {
        let bodies = [
            (
                Format::Json,
                r#"{"error":"not_found","error_description":"x","request_id":"test-1234"}"#,
            ),
            (
                Format::Xml,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response><error>not_found</error>\
                 <error_description>x</error_description><field_errors><field_error><field>a</field>\
                 <message>b</message></field_error></field_errors><request_id>test-1234</request_id>\
                 </error_response>",
            ),
            (
                Format::ProblemJson,
                r#"{"title":"Not Found","status":404,"detail":"x","error":"not_found","request_id":"test-1234"}"#,
            ),
            (
                Format::ProblemXml,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<problem xmlns=\"urn:ietf:rfc:7807\">\
                 <title>Not Found</title><status>404</status><detail>x</detail><error>not_found</error>\
                 <request_id>test-1234</request_id></problem>",
            ),
        ];
        for (format, body) in bodies {
            let parsed = parse(404, content_type_of(format), body).unwrap();
            assert_eq!(parsed.request_id(), Some("test-1234"), "{format:?}");
        }
        rejects(
            Format::Xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response><error>not_found</error>\
             <request_id>1</request_id><error_description>x</error_description></error_response>",
            "out of order",
        );
    }

    #[test]
    fn status_must_be_an_error_status() {
        let body = r#"{"error":"ok","error_description":"x"}"#;
        for status in [200, 204, 301] {
            let err = parse(status, "application/json", body).unwrap_err();
            assert_eq!(err.kind(), ParseErrorKind::Status, "{err}");
        }
    }

    #[test]
    fn content_type_must_be_one_of_the_five() {
        let body = Bytes::from_static(br#"{"error":"not_found","error_description":"x"}"#);
        for content_type in [
            "text/plain; charset=utf-8",
            "application/json; charset=utf-8",
            "application/xml",
            "application/problem+xml",
            "text/html",
        ] {
            let err = parse(
                404,
                content_type,
                r#"{"error":"a","error_description":"x"}"#,
            )
            .unwrap_err();
            assert_eq!(err.kind(), ParseErrorKind::ContentType, "{content_type}");
            assert!(err.to_string().contains(content_type), "{err}");
        }
        let mut missing = headers("application/json", body.len());
        missing.remove(CONTENT_TYPE);
        let err = ErrorResponse::parse(StatusCode::NOT_FOUND, missing, body.clone()).unwrap_err();
        assert_eq!(err.kind(), ParseErrorKind::ContentType);
        assert_eq!(err.to_string(), "no Content-Type");

        let mut twice = headers("application/json", body.len());
        twice.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let err = ErrorResponse::parse(StatusCode::NOT_FOUND, twice, body.clone()).unwrap_err();
        assert_eq!(err.to_string(), "2 Content-Type fields, expected one");

        // Case does not matter.
        let ok = headers("Application/JSON", body.len());
        assert!(ErrorResponse::parse(StatusCode::NOT_FOUND, ok, body).is_ok());
    }

    #[test]
    fn content_length_must_be_the_body_length() {
        let body = Bytes::from_static(br#"{"error":"not_found","error_description":"x"}"#);
        let cases: [(Option<&str>, &str); 4] = [
            (None, "no Content-Length"),
            (Some("3"), "Content-Length is 3, but the body has 45 bytes"),
            (Some("45 "), "is not a number"),
            (Some("-45"), "is not a number"),
        ];
        for (value, why) in cases {
            let mut headers = headers("application/json", body.len());
            headers.remove(CONTENT_LENGTH);
            if let Some(value) = value {
                headers.insert(CONTENT_LENGTH, HeaderValue::from_str(value).unwrap());
            }
            let err =
                ErrorResponse::parse(StatusCode::NOT_FOUND, headers, body.clone()).unwrap_err();
            assert_eq!(err.kind(), ParseErrorKind::ContentLength, "{err}");
            assert!(err.to_string().contains(why), "{err}");
        }
        let mut twice = headers("application/json", body.len());
        twice.append(CONTENT_LENGTH, body.len().into());
        let err = ErrorResponse::parse(StatusCode::NOT_FOUND, twice, body).unwrap_err();
        assert_eq!(err.kind(), ParseErrorKind::ContentLength);
    }

    #[test]
    fn vary_must_name_accept_on_some_line() {
        let body = Bytes::from_static(br#"{"error":"not_found","error_description":"x"}"#);
        let with_vary = |values: &[&'static str]| {
            let mut headers = headers("application/json", body.len());
            headers.remove(VARY);
            for value in values {
                headers.append(VARY, HeaderValue::from_static(value));
            }
            ErrorResponse::parse(StatusCode::NOT_FOUND, headers, body.clone())
        };
        for bad in [
            &[][..],
            &["Origin"],
            &["Accept-Encoding", "Origin, Accept-Language"],
        ] {
            let err = with_vary(bad).unwrap_err();
            assert_eq!(err.kind(), ParseErrorKind::Vary, "{bad:?}");
        }
        assert_eq!(
            with_vary(&[]).unwrap_err().to_string(),
            "no Vary field; it must name Accept"
        );
        for good in [
            &["Accept"][..],
            &["accept-encoding", "Accept"],
            &["Origin, accept"],
            &["*"],
        ] {
            assert!(with_vary(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn json_bodies_must_be_exactly_the_shape() {
        let cases = [
            (Format::Json, "", "not a JSON object"),
            (Format::Json, "[]", "not a JSON object"),
            (
                Format::Json,
                r#"{"error":"a"}"#,
                "no member \"error_description\"",
            ),
            (
                Format::Json,
                r#"{"error_description":"a"}"#,
                "no member \"error\"",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","1message":"y"}"#,
                "unexpected member \"1message\"",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","message":{"text":"y"}}"#,
                "member \"message\" is not a string, an integer, a boolean or a list",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","ratio":0.5}"#,
                "member \"ratio\" is not a string, an integer, a boolean or a list",
            ),
            (
                Format::Json,
                r#"{"error":"a","error":"b","error_description":"x"}"#,
                "member \"error\" appears twice",
            ),
            (
                Format::Json,
                r#"{"error":404,"error_description":"x"}"#,
                "member \"error\" is not a string",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","field_errors":[]}"#,
                "present but empty",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","field_errors":[{"field":"a"}]}"#,
                "a field error is not",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","field_errors":[{"field":"a","message":"b","code":7}]}"#,
                "a field error is not",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","field_errors":[{"field":"a","message":"b","kind":"c"}]}"#,
                "a field error is not",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","field_errors":[{"field":"a","message":"b","code":"c","kind":"d"}]}"#,
                "a field error is not",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x","request_id":7}"#,
                "member \"request_id\" is not a string",
            ),
            (
                Format::Json,
                r#"{"error":"a","error_description":"x"} {}"#,
                "trailing characters",
            ),
            (
                Format::Json,
                r#"{"title":"Not Found","status":404,"detail":"x","error":"a"}"#,
                "unexpected member \"title\"",
            ),
            (
                Format::ProblemJson,
                r#"{"error":"a","error_description":"x"}"#,
                "unexpected member \"error_description\"",
            ),
            (
                Format::ProblemJson,
                r#"{"title":"Not Found","status":"404","detail":"x","error":"a"}"#,
                "member \"status\" is not a number",
            ),
            (
                Format::ProblemJson,
                r#"{"title":"Not Found","detail":"x","error":"a"}"#,
                "no member \"status\"",
            ),
            (
                Format::ProblemJson,
                r#"{"title":"Not Found","status":404,"detail":"x"}"#,
                "no member \"error\"",
            ),
            (
                Format::ProblemJson,
                r#"{"title":"Not Found","status":404,"detail":"x","error":"a","instance":"/x"}"#,
                "unexpected member \"instance\"",
            ),
        ];
        for (format, body, why) in cases {
            rejects(format, body, why);
        }
    }

    #[test]
    fn problem_status_must_be_the_response_status() {
        let body = r#"{"title":"Gone","status":410,"detail":"x","error":"gone"}"#;
        let err = parse(404, "application/problem+json", body).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the problem details member status is 410, but the response status is 404"
        );
        assert!(parse(410, "application/problem+json", body).is_ok());
    }

    const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    #[test]
    fn xml_bodies_must_be_exactly_the_shape() {
        let seed = |inner: &str| format!("{DECL}<error_response>{inner}</error_response>");
        let problem =
            |inner: &str| format!("{DECL}<problem xmlns=\"urn:ietf:rfc:7807\">{inner}</problem>");
        let minimal = "<error>a</error><error_description>x</error_description>";
        let problem_minimal =
            "<title>Not Found</title><status>404</status><detail>x</detail><error>a</error>";
        let cases = [
            (Format::Xml, "<error_response/>".to_owned(), "no XML declaration"),
            (Format::Xml, format!("{DECL}<error/>"), "the root element is <error>"),
            (Format::Xml, seed("<error>a</error>"), "no element <error_description>"),
            (
                Format::Xml,
                seed(&format!("{minimal}<xmlish>y</xmlish>")),
                "unexpected element <xmlish>",
            ),
            (
                Format::Xml,
                seed(&format!("{minimal}<message><b>y</b></message>")),
                "member <message> holds <b>",
            ),
            (
                Format::Xml,
                seed(&format!("{minimal}<request_id>r</request_id><message>y</message>")),
                "out of order or repeated",
            ),
            (
                Format::Xml,
                seed(&format!("{minimal}<message>y</message><message>z</message>")),
                "member <message> appears twice",
            ),
            (
                Format::Xml,
                seed("<error_description>x</error_description><error>a</error>"),
                "out of order",
            ),
            (
                Format::Xml,
                seed(&format!("{minimal}<error>b</error>")),
                "out of order or repeated",
            ),
            (Format::Xml, seed(&format!("{minimal}stray")), "beside elements"),
            (
                Format::Xml,
                seed("<error><b>a</b></error><error_description>x</error_description>"),
                "must hold text only",
            ),
            (
                Format::Xml,
                seed(&format!("{minimal}<field_errors></field_errors>")),
                "present but empty",
            ),
            (
                Format::Xml,
                seed(&format!(
                    "{minimal}<field_errors><i><field>a</field><message>b</message></i></field_errors>"
                )),
                "found <i> where <field_error> in no namespace belongs",
            ),
            (
                Format::Xml,
                seed(&format!(
                    "{minimal}<field_errors><field_error><field>a</field></field_error></field_errors>"
                )),
                "exactly <field> and <message>",
            ),
            (
                Format::Xml,
                seed(&format!(
                    "{minimal}<field_errors><field_error><field>a</field><code>c</code><message>b</message></field_error></field_errors>"
                )),
                "found <code> where <message> in no namespace belongs",
            ),
            (
                Format::Xml,
                seed(&format!(
                    "{minimal}<field_errors><field_error><field>a</field><message>b</message><kind>c</kind></field_error></field_errors>"
                )),
                "found <kind> where <code> in no namespace belongs",
            ),
            (
                Format::Xml,
                seed(&format!(
                    "{minimal}<field_errors><field_error><field>a</field><message>b</message><code>c</code><code>d</code></field_error></field_errors>"
                )),
                "exactly <field> and <message>, and optionally <code>",
            ),
            (
                Format::Xml,
                format!("{DECL}<error_response lang=\"en\">{minimal}</error_response>"),
                "has the attribute \"lang\"",
            ),
            (
                Format::Xml,
                format!("{DECL}<error_response xmlns=\"urn:x\">{minimal}</error_response>"),
                "not <error_response> in no namespace",
            ),
            (Format::Xml, format!("{}<extra/>", seed(minimal)), "more than one root"),
            (Format::Xml, format!("{}junk", seed(minimal)), "after the root element"),
            (Format::Xml, seed("<error>a</error><error_description>x"), "not well-formed"),
            (
                Format::Xml,
                seed("<error>&nbsp;</error><error_description>x</error_description>"),
                "not defined",
            ),
            (
                Format::Xml,
                format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><error_response>{minimal}</error_response>"),
                "not UTF-8",
            ),
            (
                Format::Xml,
                format!("{DECL}<!DOCTYPE error_response><error_response>{minimal}</error_response>"),
                "DOCTYPE",
            ),
            (
                Format::ProblemXml,
                format!("{DECL}<problem>{problem_minimal}</problem>"),
                "the root element is <problem>, not <problem> in the namespace urn:ietf:rfc:7807",
            ),
            (
                Format::ProblemXml,
                format!(
                    "{DECL}<p:problem xmlns:p=\"urn:ietf:rfc:7807\">{problem_minimal}</p:problem>"
                ),
                "found <title> where <title> in the namespace urn:ietf:rfc:7807 belongs",
            ),
            (Format::ProblemXml, problem("<title>Not Found</title>"), "no element <status>"),
            (
                Format::ProblemXml,
                problem(&problem_minimal.replace("404", "four")),
                "<status> \"four\" is not a status",
            ),
            (
                Format::ProblemXml,
                problem(&format!(
                    "{problem_minimal}<field_errors><field_error><field>a</field><message>b</message></field_error></field_errors>"
                )),
                "found <field_error> (in urn:ietf:rfc:7807) where <i>",
            ),
            (
                Format::ProblemXml,
                problem(&format!(
                    "{problem_minimal}<field_errors><i><field>a</field><message>b</message><code xmlns=\"\">c</code></i></field_errors>"
                )),
                "found <code> where <code> in the namespace urn:ietf:rfc:7807 belongs",
            ),
            (
                Format::ProblemXml,
                seed(minimal),
                "the root element is <error_response>",
            ),
        ];
        for (format, body, why) in cases {
            rejects(format, &body, why);
        }
    }

    #[test]
    fn xml_text_is_read_as_a_parser_reads_it() {
        // Prefixed names in the RFC namespace, CDATA, comments, references and whitespace
        // between elements are all plain XML.
        let body = format!(
            "{DECL}<p:problem xmlns:p=\"urn:ietf:rfc:7807\">\n  <p:title>Not Found</p:title>\
             <p:status>404</p:status><!-- note --><p:detail>a &lt;b&gt; &amp; &#13;&#x41;\
             <![CDATA[<c>]]></p:detail>\n  <p:error>not_found</p:error>\n</p:problem>\n"
        );
        let parsed = parse(404, "application/problem+xml; charset=utf-8", &body).unwrap();
        assert_eq!(parsed.description(), "a <b> & \rA<c>");
        assert_eq!(parsed.title(), Some("Not Found"));
        // Empty elements are empty text.
        let body =
            format!("{DECL}<error_response><error>a</error><error_description/></error_response>");
        let parsed = parse(404, "text/xml; charset=utf-8", &body).unwrap();
        assert_eq!(parsed.description(), "");
        assert_eq!(parsed.format(), Format::TextXml);
    }

    #[test]
    fn reads_extension_members_in_every_shape() {
        use crate::member::{MemberName, MemberValue};

        let err = ApiError::new(StatusCode::CONFLICT, "item_name_taken", "Taken.")
            .with_member(MemberName::from_static("existing_id"), 4)
            .with_member(MemberName::from_static("similar"), vec!["a<b", "c"])
            .with_member(MemberName::from_static("retry"), true)
            .with_member(
                MemberName::from_static("nested"),
                MemberValue::List(vec![MemberValue::List(vec![MemberValue::Integer(-1)])]),
            );
        let scalar = |text: &str| MemberText::Scalar(text.to_owned());
        let expected = vec![
            ("existing_id".to_owned(), scalar("4")),
            (
                "similar".to_owned(),
                MemberText::List(vec![scalar("a<b"), scalar("c")]),
            ),
            ("retry".to_owned(), scalar("true")),
            (
                "nested".to_owned(),
                MemberText::List(vec![MemberText::List(vec![scalar("-1")])]),
            ),
        ];
        for format in FORMATS {
            for request_id in [None, Some("test-1")] {
                let body = render::body(&err, format, Some(DOCS), request_id);
                let parsed = ErrorResponse::parse(
                    StatusCode::CONFLICT,
                    headers(content_type_of(format), body.len()),
                    body.clone(),
                )
                .unwrap_or_else(|e| panic!("{format:?}: {e}: {body:?}"));
                assert_eq!(parsed.members(), expected.as_slice(), "{format:?}");
                assert_eq!(parsed.member("existing_id"), Some(&scalar("4")));
                assert_eq!(parsed.request_id(), request_id);
            }
        }
    }
}
