#![allow(dead_code, unreachable_pub)]

//! Error bodies read back for the tests, through the crate's own strict parser
//! ([`tower_api_error::testing::ErrorResponse`]: status, headers, and every member of every
//! shape), and every XML body through roxmltree as well: an XML parser independent of the crate
//! must accept it and see the same elements, in the same order, with the same text.

use std::fmt;

use bytes::Bytes;
use http::{
    header::{CONTENT_LENGTH, CONTENT_TYPE, VARY},
    HeaderMap, HeaderValue, StatusCode,
};
use tower_api_error::{
    testing::{ErrorResponse, MemberText},
    Format,
};

/// What a client reads from an error body, in the seed shape's terms: for problem details,
/// `description` is `detail` and `uri` is `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedError {
    pub code: String,
    pub description: String,
    pub uri: Option<String>,
    /// `(field, message)` of each field error, in the order of the body.
    pub field_errors: Vec<(String, String)>,
    /// The `code` of each field error, one per item of `field_errors` in the same order: `None`
    /// for a field error without one.
    pub field_error_codes: Vec<Option<String>>,
    /// The member `request_id`, last, when the request carried an id.
    pub request_id: Option<String>,
}

impl From<&ErrorResponse> for ParsedError {
    fn from(parsed: &ErrorResponse) -> Self {
        Self {
            code: parsed.code().to_owned(),
            description: parsed.description().to_owned(),
            uri: parsed.uri().map(str::to_owned),
            field_errors: parsed
                .field_errors()
                .iter()
                .map(|e| (e.field().to_owned(), e.message().to_owned()))
                .collect(),
            field_error_codes: parsed
                .field_errors()
                .iter()
                .map(|e| e.code().map(str::to_owned))
                .collect(),
            request_id: parsed.request_id().map(str::to_owned),
        }
    }
}

/// Why a response is not a well-formed error response, with the body.
#[derive(Debug)]
pub struct Malformed(pub String);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a whole error response with `testing`'s parser, and an XML body with roxmltree too.
pub fn parse_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<ErrorResponse, Malformed> {
    let fail = |why: String| Malformed(format!("{why}: {:?}", String::from_utf8_lossy(body)));
    let parsed = ErrorResponse::parse(status, headers.clone(), Bytes::copy_from_slice(body))
        .map_err(|e| fail(e.to_string()))?;
    if parsed.format().is_xml() {
        cross_check_xml(&parsed).map_err(fail)?;
    }
    Ok(parsed)
}

/// The headers of a response made without the layer (an `ApiError`'s own `IntoResponse`), with
/// the `Vary: Accept` the parser asks of the layer's responses added: nothing was negotiated, so
/// it has none. Everything else is read as for the layer's responses.
pub fn without_layer(headers: &HeaderMap) -> HeaderMap {
    let mut headers = headers.clone();
    headers.append(VARY, HeaderValue::from_static("Accept"));
    headers
}

/// Reads a body alone as the body of a `status` response in `format`, with the headers the
/// layer sends with it.
pub fn parse_body(
    status: StatusCode,
    format: Format,
    body: &[u8],
) -> Result<ErrorResponse, Malformed> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, format.content_type());
    headers.insert(CONTENT_LENGTH, body.len().into());
    headers.insert(VARY, HeaderValue::from_static("Accept"));
    parse_response(status, &headers, body)
}

/// [`parse_body`] in the seed shape's terms.
pub fn parse(status: StatusCode, format: Format, body: &[u8]) -> Result<ParsedError, Malformed> {
    parse_body(status, format, body).map(|parsed| ParsedError::from(&parsed))
}

/// The namespace of RFC 9457's XML problem details (its appendix B).
pub const PROBLEM_NAMESPACE: &str = "urn:ietf:rfc:7807";

/// The XML declaration the layer starts every XML body with.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// roxmltree must accept the body, and read the elements and text `parsed` says, in the same
/// order; the layer writes its own declaration first, and no whitespace, comment or processing
/// instruction among the elements or inside a text element.
fn cross_check_xml(parsed: &ErrorResponse) -> Result<(), String> {
    let text = parsed.body_text();
    if !text.starts_with(DECLARATION) {
        return Err(format!("the body does not start with {DECLARATION}"));
    }
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("roxmltree: not XML: {e}"))?;
    let mut read = Vec::new();
    flatten(doc.root_element(), &mut read)?;
    let said = elements_of(parsed);
    if read != said {
        return Err(format!(
            "roxmltree reads the elements {read:?}, the crate's parser {said:?}"
        ));
    }
    Ok(())
}

/// `{namespace}name` of an element.
fn qualified(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(namespace) => format!("{{{namespace}}}{name}"),
        None => name.to_owned(),
    }
}

/// The elements under `node` (itself included) in document order: `{namespace}name` for an
/// element holding elements, `{namespace}name = "text"` for a leaf.
fn flatten(node: roxmltree::Node<'_, '_>, out: &mut Vec<String>) -> Result<(), String> {
    let name = qualified(node.tag_name().namespace(), node.tag_name().name());
    if node.children().any(|child| child.is_element()) {
        if let Some(other) = node.children().find(|child| !child.is_element()) {
            return Err(format!(
                "roxmltree: a {:?} node beside the elements of {name}",
                other.node_type()
            ));
        }
        out.push(name);
        for child in node.children() {
            flatten(child, out)?;
        }
    } else {
        let mut text = String::new();
        for child in node.children() {
            match child.text() {
                Some(t) if child.is_text() => text.push_str(t),
                _ => {
                    return Err(format!(
                        "roxmltree: {name} holds a {:?} node",
                        child.node_type()
                    ))
                }
            }
        }
        out.push(format!("{name} = {text:?}"));
    }
    Ok(())
}

/// What [`flatten`] must read for the body `parsed` describes.
fn elements_of(parsed: &ErrorResponse) -> Vec<String> {
    let namespace = parsed.is_problem().then_some(PROBLEM_NAMESPACE);
    let element = |name: &str| qualified(namespace, name);
    let leaf = |name: &str, text: &str| format!("{} = {text:?}", element(name));
    let mut out = Vec::new();
    if let Some(status) = parsed.problem_status() {
        out.push(element("problem"));
        out.extend(parsed.uri().map(|uri| leaf("type", uri)));
        out.push(leaf("title", parsed.title().unwrap_or_default()));
        out.push(leaf("status", &status.to_string()));
        out.push(leaf("detail", parsed.description()));
        out.push(leaf("error", parsed.code()));
    } else {
        out.push(element("error_response"));
        out.push(leaf("error", parsed.code()));
        out.push(leaf("error_description", parsed.description()));
        out.extend(parsed.uri().map(|uri| leaf("error_uri", uri)));
    }
    if !parsed.field_errors().is_empty() {
        out.push(element("field_errors"));
        for error in parsed.field_errors() {
            out.push(element(if parsed.is_problem() {
                "i"
            } else {
                "field_error"
            }));
            out.push(leaf("field", error.field()));
            out.push(leaf("message", error.message()));
            out.extend(error.code().map(|code| leaf("code", code)));
        }
    }
    for (name, value) in parsed.members() {
        member_elements(name, value, &element, &mut out);
    }
    out.extend(parsed.request_id().map(|id| leaf("request_id", id)));
    out
}

/// What [`flatten`] reads for an extension member: a leaf for a scalar, an element with `<i>`
/// items for a list.
fn member_elements(
    name: &str,
    value: &MemberText,
    element: &dyn Fn(&str) -> String,
    out: &mut Vec<String>,
) {
    match value {
        MemberText::Scalar(text) => out.push(format!("{} = {text:?}", element(name))),
        MemberText::List(items) if items.is_empty() => {
            out.push(format!("{} = \"\"", element(name)));
        }
        MemberText::List(items) => {
            out.push(element(name));
            for item in items {
                member_elements("i", item, element, out);
            }
        }
        other => panic!("a member value this helper does not know: {other:?}"),
    }
}
