//! Helpers shared by the integration tests: parse error bodies back, field by field.

#![allow(dead_code, unreachable_pub)]

use http::{header, HeaderMap, Response, StatusCode};
use http_body_util::BodyExt;

/// An error body read back from JSON or XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub error: String,
    pub error_description: String,
    pub error_uri: Option<String>,
    pub field_errors: Vec<(String, String)>,
}

/// Parses a JSON error body with serde_json, rejecting members the format does not have.
pub fn parse_json(body: &[u8]) -> Parsed {
    let value: serde_json::Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", String::from_utf8_lossy(body)));
    let object = value.as_object().expect("a JSON object");
    for key in object.keys() {
        assert!(
            ["error", "error_description", "error_uri", "field_errors"].contains(&key.as_str()),
            "unexpected member {key}"
        );
    }
    let string = |key: &str| {
        object
            .get(key)
            .map(|v| v.as_str().expect("a string").to_owned())
    };
    Parsed {
        error: string("error").expect("error"),
        error_description: string("error_description").expect("error_description"),
        error_uri: string("error_uri"),
        field_errors: object
            .get("field_errors")
            .map(|list| {
                let list = list.as_array().expect("field_errors is an array");
                assert!(!list.is_empty(), "field_errors is left out when empty");
                list.iter()
                    .map(|e| {
                        (
                            e["field"].as_str().expect("field").to_owned(),
                            e["message"].as_str().expect("message").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Parses an XML error body with roxmltree (an independent parser), checking the declaration,
/// the root element and that no unexpected element is present.
pub fn parse_xml(body: &[u8]) -> Parsed {
    let text = std::str::from_utf8(body).expect("XML body is UTF-8");
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "XML declaration naming UTF-8: {text}"
    );
    let doc =
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("invalid XML ({e}): {text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "error_response");
    let mut parsed = Parsed {
        error: String::new(),
        error_description: String::new(),
        error_uri: None,
        field_errors: Vec::new(),
    };
    let mut seen = Vec::new();
    for child in root.children().filter(|n| n.is_element()) {
        let name = child.tag_name().name();
        seen.push(name.to_owned());
        let text = || child.text().unwrap_or("").to_owned();
        match name {
            "error" => parsed.error = text(),
            "error_description" => parsed.error_description = text(),
            "error_uri" => parsed.error_uri = Some(text()),
            "field_errors" => {
                for error in child.children().filter(|n| n.is_element()) {
                    assert_eq!(error.tag_name().name(), "field_error");
                    let get = |tag: &str| {
                        error
                            .children()
                            .find(|n| n.has_tag_name(tag))
                            .unwrap_or_else(|| panic!("<{tag}> missing"))
                            .text()
                            .unwrap_or("")
                            .to_owned()
                    };
                    parsed.field_errors.push((get("field"), get("message")));
                }
                assert!(
                    !parsed.field_errors.is_empty(),
                    "field_errors is left out when empty"
                );
            }
            other => panic!("unexpected element <{other}>"),
        }
    }
    assert_eq!(seen.first().map(String::as_str), Some("error"), "{seen:?}");
    assert!(seen.iter().any(|s| s == "error_description"), "{seen:?}");
    parsed
}

/// Parses a body by its Content-Type.
pub fn parse(headers: &HeaderMap, body: &[u8]) -> Parsed {
    match headers[header::CONTENT_TYPE].to_str().unwrap() {
        "application/json" => parse_json(body),
        "application/xml; charset=utf-8" | "text/xml; charset=utf-8" => parse_xml(body),
        other => panic!("unexpected Content-Type {other}"),
    }
}

/// Collects a response, checks Content-Length against the body, and parses it.
pub async fn read_error<B>(response: Response<B>) -> (StatusCode, HeaderMap, Parsed)
where
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let length: usize = parts.headers[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, body.len(), "Content-Length");
    let parsed = parse(&parts.headers, &body);
    (parts.status, parts.headers, parsed)
}
