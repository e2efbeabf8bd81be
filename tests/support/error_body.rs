#![allow(dead_code, unreachable_pub)]

//! Strict parsers for the error bodies the layer renders, shared by the property and HTTP tests.
//!
//! Each parser checks the whole shape of the body (member names, order of XML elements, no
//! extra members) and returns what a client would read from it.

use std::fmt;

/// What a client reads from an error body.
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

/// Why a body is not a well-formed error body.
#[derive(Debug)]
pub struct Malformed(pub String);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn malformed<T>(message: impl Into<String>) -> Result<T, Malformed> {
    Err(Malformed(message.into()))
}

/// A JSON body parsed with serde_json: an object whose members are all among `members`.
pub fn json_object(
    body: &[u8],
    members: &[&str],
) -> Result<serde_json::Map<String, serde_json::Value>, Malformed> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Malformed(format!("not JSON: {e}")))?;
    let serde_json::Value::Object(object) = value else {
        return malformed("not a JSON object");
    };
    if let Some(key) = object.keys().find(|key| !members.contains(&key.as_str())) {
        return malformed(format!("unexpected member {key:?}"));
    }
    Ok(object)
}

/// The string member `key` of `object`, if it is there.
pub fn string_member(
    object: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<String>, Malformed> {
    match object.get(key) {
        None => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => malformed(format!("{key} is not a string: {other}")),
    }
}

/// Parses a JSON error body with serde_json.
pub fn parse_json(body: &[u8]) -> Result<ParsedError, Malformed> {
    let object = json_object(
        body,
        &[
            "error",
            "error_description",
            "error_uri",
            "field_errors",
            "request_id",
        ],
    )?;
    let string = |key: &str| string_member(&object, key);
    let Some(code) = string("error")? else {
        return malformed("no error member");
    };
    let Some(description) = string("error_description")? else {
        return malformed("no error_description member");
    };
    let uri = string("error_uri")?;
    let mut field_errors = Vec::new();
    let mut field_error_codes = Vec::new();
    if let Some(list) = object.get("field_errors") {
        let Some(list) = list.as_array() else {
            return malformed("field_errors is not an array");
        };
        if list.is_empty() {
            return malformed("field_errors is present but empty");
        }
        for item in list {
            let (field_error, code) = json_field_error(item)?;
            field_errors.push(field_error);
            field_error_codes.push(code);
        }
    }
    Ok(ParsedError {
        code,
        description,
        uri,
        field_errors,
        field_error_codes,
        request_id: string("request_id")?,
    })
}

/// One JSON field error: `field` and `message` strings, an optional `code` string, no other
/// member; in serde_json's map the order of members is not kept, so it is not checked here (the
/// render tests compare whole bodies).
pub fn json_field_error(
    item: &serde_json::Value,
) -> Result<((String, String), Option<String>), Malformed> {
    let Some(item) = item.as_object() else {
        return malformed("a field error is not an object");
    };
    let code = string_member(item, "code")?;
    if item.len() != 2 + usize::from(code.is_some()) {
        return malformed(format!("field error with members {:?}", item.keys()));
    }
    match (item.get("field"), item.get("message")) {
        (Some(serde_json::Value::String(f)), Some(serde_json::Value::String(m))) => {
            Ok(((f.clone(), m.clone()), code))
        }
        _ => malformed("field error without string field and message"),
    }
}

/// The children of one XML field error: `<field>`, `<message>` and optionally `<code>`, in that
/// order and nothing else, each accepted by `is_member` (the namespace check of the shape).
pub fn xml_field_error(
    item: roxmltree::Node<'_, '_>,
    is_member: impl Fn(roxmltree::Node<'_, '_>, &str) -> bool,
) -> Result<((String, String), Option<String>), Malformed> {
    let parts: Vec<_> = item.children().filter(|c| c.is_element()).collect();
    match parts.as_slice() {
        [field, message, rest @ ..]
            if is_member(*field, "field") && is_member(*message, "message") =>
        {
            let code = match rest {
                [] => None,
                [code] if is_member(*code, "code") => Some(text_of(*code)?),
                _ => {
                    return malformed(format!(
                        "a field error holds {:?} after <field> and <message>, at most one <code>",
                        rest.iter().map(|n| n.tag_name().name()).collect::<Vec<_>>()
                    ))
                }
            };
            Ok(((text_of(*field)?, text_of(*message)?), code))
        }
        _ => malformed("a field error without <field> and <message> first"),
    }
}

/// Parses an XML error body with roxmltree.
pub fn parse_xml(body: &[u8]) -> Result<ParsedError, Malformed> {
    let text = std::str::from_utf8(body).map_err(|e| Malformed(format!("not UTF-8: {e}")))?;
    if !text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") {
        return malformed("no XML declaration");
    }
    let doc = roxmltree::Document::parse(text).map_err(|e| Malformed(format!("not XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "error_response" || root.tag_name().namespace().is_some() {
        return malformed(format!("root is {:?}", root.tag_name()));
    }
    let children = element_children(root)?;
    let mut children = children.into_iter().peekable();
    let mut next_text = |name: &str| -> Result<String, Malformed> {
        match children.next() {
            Some(node) if node.tag_name().name() == name => text_of(node),
            Some(node) => malformed(format!("expected <{name}>, found {:?}", node.tag_name())),
            None => malformed(format!("no <{name}>")),
        }
    };
    let code = next_text("error")?;
    let description = next_text("error_description")?;
    let mut uri = None;
    let mut field_errors = Vec::new();
    let mut field_error_codes = Vec::new();
    if children
        .peek()
        .is_some_and(|n| n.tag_name().name() == "error_uri")
    {
        uri = children.next().map(text_of).transpose()?;
    }
    if let Some(list) = children.next_if(|n| n.tag_name().name() == "field_errors") {
        let items = element_children(list)?;
        if items.is_empty() {
            return malformed("<field_errors> is empty");
        }
        for item in items {
            if item.tag_name().name() != "field_error" {
                return malformed(format!("unexpected element {:?}", item.tag_name()));
            }
            element_children(item)?;
            let (field_error, code) = xml_field_error(item, |node, name| {
                node.tag_name().name() == name && node.tag_name().namespace().is_none()
            })?;
            field_errors.push(field_error);
            field_error_codes.push(code);
        }
    }
    let request_id = children
        .next_if(|n| n.tag_name().name() == "request_id")
        .map(text_of)
        .transpose()?;
    if let Some(extra) = children.next() {
        return malformed(format!("unexpected element {:?}", extra.tag_name()));
    }
    Ok(ParsedError {
        code,
        description,
        uri,
        field_errors,
        field_error_codes,
        request_id,
    })
}

/// The element children of `node`; fails on any text (other than nothing) between them.
fn element_children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
) -> Result<Vec<roxmltree::Node<'a, 'i>>, Malformed> {
    let mut elements = Vec::new();
    for child in node.children() {
        if child.is_element() {
            elements.push(child);
        } else {
            return malformed(format!(
                "unexpected {:?} node in <{}>",
                child.node_type(),
                node.tag_name().name()
            ));
        }
    }
    Ok(elements)
}

/// The character data of a leaf element: all its text children joined.
fn text_of(node: roxmltree::Node<'_, '_>) -> Result<String, Malformed> {
    let mut text = String::new();
    for child in node.children() {
        match child.text() {
            Some(t) if child.is_text() => text.push_str(t),
            _ => {
                return malformed(format!(
                    "<{}> holds a {:?} node",
                    node.tag_name().name(),
                    child.node_type()
                ))
            }
        }
    }
    Ok(text)
}

/// The text an XML parser gives back for `text`, by the rule of `src/render.rs`: control
/// characters other than tab, line feed and carriage return, and U+FFFE and U+FFFF, become
/// U+FFFD; everything else (carriage returns included) is kept.
pub fn xml_visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}
