//! Strict parsers for RFC 9457 problem details bodies, in JSON (serde_json) and XML (roxmltree,
//! an XML parser independent of the crate): member names and types, the XML namespace of every
//! element, the order of XML elements, no extra members.

use super::error_body::{
    json_field_error, json_object, malformed, string_member, xml_field_error, Malformed,
    ParsedError,
};

/// What a client reads from a problem details body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedProblem {
    /// `type`; `None` means `about:blank`.
    pub type_uri: Option<String>,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The extension member `error`, the seed shape's code.
    pub code: String,
    pub field_errors: Vec<(String, String)>,
    /// The `code` of each field error, as in [`ParsedError::field_error_codes`].
    pub field_error_codes: Vec<Option<String>>,
    /// The extension member `request_id`, when the request carried an id.
    pub request_id: Option<String>,
}

impl ParsedProblem {
    /// The same error as the seed shape says it.
    pub fn as_seed(&self) -> ParsedError {
        ParsedError {
            code: self.code.clone(),
            description: self.detail.clone(),
            uri: self.type_uri.clone(),
            field_errors: self.field_errors.clone(),
            field_error_codes: self.field_error_codes.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// Parses an `application/problem+json` body.
pub fn parse_json(body: &[u8]) -> Result<ParsedProblem, Malformed> {
    let object = json_object(
        body,
        &[
            "type",
            "title",
            "status",
            "detail",
            "error",
            "field_errors",
            "request_id",
        ],
    )?;
    let string = |key: &str| string_member(&object, key);
    let required = |key: &str| -> Result<String, Malformed> {
        string(key)?.ok_or_else(|| Malformed(format!("no {key} member")))
    };
    let status = match object.get("status") {
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .ok_or_else(|| Malformed(format!("status is not a status: {n}")))?,
        other => return malformed(format!("status is not a number: {other:?}")),
    };
    let mut field_errors = Vec::new();
    let mut field_error_codes = Vec::new();
    if let Some(list) = object.get("field_errors") {
        let Some(list) = list.as_array().filter(|list| !list.is_empty()) else {
            return malformed("field_errors is not a non-empty array");
        };
        for item in list {
            let (field_error, code) = json_field_error(item)?;
            field_errors.push(field_error);
            field_error_codes.push(code);
        }
    }
    Ok(ParsedProblem {
        type_uri: string("type")?,
        title: required("title")?,
        status,
        detail: required("detail")?,
        code: required("error")?,
        field_errors,
        field_error_codes,
        request_id: string("request_id")?,
    })
}

/// The namespace of RFC 9457's XML problem details (its appendix B).
pub const NAMESPACE: &str = "urn:ietf:rfc:7807";

/// Parses an `application/problem+xml` body.
pub fn parse_xml(body: &[u8]) -> Result<ParsedProblem, Malformed> {
    let text = std::str::from_utf8(body).map_err(|e| Malformed(format!("not UTF-8: {e}")))?;
    if !text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") {
        return malformed("no XML declaration naming UTF-8");
    }
    let doc = roxmltree::Document::parse(text).map_err(|e| Malformed(format!("not XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "problem" || root.tag_name().namespace() != Some(NAMESPACE) {
        return malformed(format!(
            "root is {:?}, not problem in {NAMESPACE}",
            root.tag_name()
        ));
    }
    let in_namespace =
        |node: roxmltree::Node<'_, '_>| node.tag_name().namespace() == Some(NAMESPACE);
    let text_of = |node: roxmltree::Node<'_, '_>| -> Result<String, Malformed> {
        if node.children().any(|child| child.is_element()) {
            return malformed(format!("{} has child elements", node.tag_name().name()));
        }
        Ok(node.text().unwrap_or("").to_owned())
    };
    let mut members = Vec::new();
    for child in root.children() {
        if child.is_text() && child.text().is_some_and(|t| !t.trim().is_empty()) {
            return malformed("text directly under problem");
        }
        if child.is_element() {
            if !in_namespace(child) {
                return malformed(format!("{:?} is not in {NAMESPACE}", child.tag_name()));
            }
            members.push(child);
        }
    }
    let names: Vec<&str> = members.iter().map(|m| m.tag_name().name()).collect();
    let expected_order = [
        "type",
        "title",
        "status",
        "detail",
        "error",
        "field_errors",
        "request_id",
    ];
    let mut previous = None;
    for name in &names {
        let Some(at) = expected_order.iter().position(|e| e == name) else {
            return malformed(format!("unexpected member {name:?}"));
        };
        if previous.is_some_and(|previous| at <= previous) {
            return malformed(format!("members out of order or repeated: {names:?}"));
        }
        previous = Some(at);
    }
    let find = |name: &str| {
        members
            .iter()
            .find(|m| m.tag_name().name() == name)
            .copied()
    };
    let required = |name: &str| -> Result<String, Malformed> {
        text_of(find(name).ok_or_else(|| Malformed(format!("no {name} member")))?)
    };
    let status: u16 = required("status")?
        .parse()
        .map_err(|e| Malformed(format!("status is not an integer: {e}")))?;
    let mut field_errors = Vec::new();
    let mut field_error_codes = Vec::new();
    if let Some(list) = find("field_errors") {
        for item in list.children().filter(|c| c.is_element()) {
            if item.tag_name().name() != "i" || !in_namespace(item) {
                return malformed(format!("array item {:?}, not i", item.tag_name()));
            }
            let (field_error, code) = xml_field_error(item, |node, name| {
                node.tag_name().name() == name && in_namespace(node)
            })?;
            field_errors.push(field_error);
            field_error_codes.push(code);
        }
        if field_errors.is_empty() {
            return malformed("field_errors is present but empty");
        }
    }
    Ok(ParsedProblem {
        type_uri: find("type").map(text_of).transpose()?,
        title: required("title")?,
        status,
        detail: required("detail")?,
        code: required("error")?,
        field_errors,
        field_error_codes,
        request_id: find("request_id").map(text_of).transpose()?,
    })
}
