//! Extension members through the public API: the builder and the derive, in the four shapes,
//! parsed back with serde_json and roxmltree; masking; the code header; the catalogue's codes.

use bytes::Bytes;
use http::{header, HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use proptest::prelude::*;
use serde_json::{json, Value};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{
    catalogue::ErrorCodes,
    member::{MemberName, MemberType, MemberValue},
    ApiError, ApiErrorLayer,
};

const NS: &str = "urn:ietf:rfc:7807";
const SHAPES: [&str; 4] = [
    "application/json",
    "application/xml",
    "application/problem+json",
    "application/problem+xml",
];

/// The response of a layer with the code header on, for the error `make` builds.
async fn render(
    make: impl Fn() -> ApiError + Clone + Send + 'static,
    accept: &str,
) -> (StatusCode, HeaderMap, Bytes) {
    crate::support::render_error(
        ApiErrorLayer::new().code_header(header::HeaderName::from_static("x-error-code")),
        make,
        accept,
    )
    .await
}

/// A member value read back from its XML element: text for a scalar, `<i>` children for a list.
/// Scalars come back as strings; `expected_json` says which JSON type to compare with.
fn xml_value(node: roxmltree::Node<'_, '_>, like: &Value) -> Value {
    match like {
        Value::Array(items) => {
            let children: Vec<_> = node.children().filter(|c| c.is_element()).collect();
            assert_eq!(children.len(), items.len(), "{node:?}");
            Value::Array(
                children
                    .iter()
                    .zip(items)
                    .map(|(child, item)| {
                        assert_eq!(child.tag_name().name(), "i");
                        xml_value(*child, item)
                    })
                    .collect(),
            )
        }
        Value::Number(_) => json!(node.text().unwrap().parse::<i64>().unwrap()),
        Value::Bool(_) => json!(node.text().unwrap().parse::<bool>().unwrap()),
        _ => json!(node.text().unwrap_or("")),
    }
}

/// The members of `body` in `accept`'s shape, as JSON values like those of `expected`.
fn members_of(accept: &str, body: &[u8], expected: &serde_json::Map<String, Value>) -> Value {
    let mut found = serde_json::Map::new();
    if accept.ends_with("json") {
        let value: Value = serde_json::from_slice(body).unwrap();
        for name in expected.keys() {
            if let Some(v) = value.get(name) {
                found.insert(name.clone(), v.clone());
            }
        }
    } else {
        let text = std::str::from_utf8(body).unwrap();
        let doc = roxmltree::Document::parse(text).unwrap();
        let root = doc.root_element();
        for (name, like) in expected {
            let element = root.children().find(|c| c.tag_name().name() == name);
            if let Some(element) = element {
                if accept.contains("problem") {
                    assert_eq!(element.tag_name().namespace(), Some(NS), "{name}");
                }
                found.insert(name.clone(), xml_value(element, like));
            }
        }
    }
    Value::Object(found)
}

fn taken() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "item_name_taken",
        "The name is taken.",
    )
    .with_member(MemberName::from_static("existing_id"), 7)
    .with_member(
        MemberName::from_static("names"),
        vec!["lamp", "<desk> & \"co\""],
    )
    .with_member(MemberName::from_static("retryable"), false)
}

#[tokio::test]
async fn members_appear_in_all_four_shapes() {
    let expected = json!({
        "existing_id": 7,
        "names": ["lamp", "<desk> & \"co\""],
        "retryable": false,
    });
    let expected = expected.as_object().unwrap();
    for accept in SHAPES {
        let (status, headers, body) = render(taken, accept).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(headers["x-error-code"], "item_name_taken", "{accept}");
        assert_eq!(
            members_of(accept, &body, expected),
            Value::Object(expected.clone()),
            "{accept}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // In JSON they come after the shape's own members, in the order they were added.
    let (_, _, body) = render(taken, "application/json").await;
    assert_eq!(
        body,
        r#"{"error":"item_name_taken","error_description":"The name is taken.","existing_id":7,"names":["lamp","<desk> & \"co\""],"retryable":false}"#
    );
}

#[tokio::test]
async fn masked_errors_send_only_public_members() {
    let make = || {
        ApiError::internal_server_error("pg refused")
            .with_member(MemberName::from_static("shard"), "db-3")
            .with_public_member(MemberName::from_static("incident"), "INC-17")
    };
    for accept in SHAPES {
        let (_, _, body) = render(make, accept).await;
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("db-3"), "{accept}: {text}");
        assert!(!text.contains("shard"), "{accept}: {text}");
        assert!(text.contains("INC-17"), "{accept}: {text}");
    }
    // Exposed: every member is sent.
    let make = move || make().expose_description();
    let (_, _, body) = render(make, "application/json").await;
    assert!(String::from_utf8_lossy(&body).contains("db-3"));
}

#[tokio::test]
async fn unsafe_and_long_strings_are_escaped_as_descriptions_are() {
    let nasty = format!("a\u{0}b\u{1b}\r\n\u{FFFE}<&>]]>{}", "x".repeat(10 * 1024));
    let make = {
        let nasty = nasty.clone();
        move || {
            ApiError::not_found(nasty.clone())
                .with_member(MemberName::from_static("text"), nasty.clone())
        }
    };
    for accept in SHAPES {
        let (_, _, body) = render(make.clone(), accept).await;
        if accept.ends_with("json") {
            let value: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(value["text"], nasty.as_str());
        } else {
            let text = std::str::from_utf8(&body).unwrap();
            let doc = roxmltree::Document::parse(text).unwrap();
            let root = doc.root_element();
            let text_of = |name: &str| {
                root.children()
                    .find(|c| c.tag_name().name() == name)
                    .and_then(|c| c.text())
                    .unwrap()
                    .to_owned()
            };
            let description = if accept.contains("problem") {
                "detail"
            } else {
                "error_description"
            };
            // The same replacements as the description's.
            assert_eq!(text_of("text"), text_of(description));
            assert!(text_of("text").starts_with("a\u{FFFD}b\u{FFFD}\r\n\u{FFFD}<&>]]>"));
        }
    }
}

#[test]
fn bad_names_are_errors_when_made() {
    for bad in [
        "",
        "error",
        "detail",
        "violated-policies",
        "a b",
        "1x",
        "xml-x",
        "ä",
    ] {
        let err = MemberName::new(bad).unwrap_err();
        assert_eq!(err.name(), bad);
        assert!(err.to_string().starts_with("invalid member name"), "{err}");
    }
    assert!(MemberValue::try_from(u64::MAX).is_err());
    assert_eq!(MemberValue::try_from(7_u64), Ok(MemberValue::Integer(7)));
}

#[test]
fn a_member_of_the_same_name_is_replaced() {
    let name = MemberName::from_static("n");
    let err = ApiError::not_found("")
        .with_member(name.clone(), 1)
        .with_public_member(name, 2);
    assert_eq!(err.members().len(), 1);
    assert_eq!(err.members()[0].value(), &MemberValue::Integer(2));
    assert!(err.members()[0].is_public());
}

#[derive(Debug, tower_api_error::ApiError)]
enum ItemError {
    #[api_error(
        status = 409,
        code = "item_name_taken",
        description = "An item named {name:?} exists."
    )]
    NameTaken {
        name: String,
        #[member]
        existing_id: u32,
        #[member(name = "similar-names")]
        similar: Vec<String>,
    },
    #[api_error(status = 503, code = "item_store_down")]
    Down(
        #[member(name = "until", public)] &'static str,
        #[member(name = "host")] String,
    ),
}

#[tokio::test]
async fn the_derive_takes_members_from_marked_fields() {
    let make = || {
        ApiError::from(ItemError::NameTaken {
            name: "lamp".into(),
            existing_id: 12,
            similar: vec!["lamp 2".into()],
        })
    };
    let (_, _, body) = render(make, "application/problem+json").await;
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["existing_id"], 12);
    assert_eq!(value["similar-names"], json!(["lamp 2"]));
    assert!(value.get("name").is_none());

    let make = || ApiError::from(ItemError::Down("14:00 UTC", "db-3".into()));
    let (_, _, body) = render(make, "application/json").await;
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["until"], "14:00 UTC");
    assert!(value.get("host").is_none(), "{value}");

    // The catalogue documents them with their types.
    let members = ItemError::CODES[0].members();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].name(), "existing_id");
    assert_eq!(members[0].ty(), MemberType::Integer);
    assert_eq!(members[1].ty(), MemberType::List(&MemberType::String));
    assert!(ItemError::CODES[1].members()[0].is_public());
    assert!(!ItemError::CODES[1].members()[1].is_public());
}

#[tokio::test]
async fn the_code_header_is_off_by_default_and_on_every_rendered_error() {
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new())
        .service_fn(|_: Request<Full<Bytes>>| async {
            Err::<Response<Full<Bytes>>, _>(ApiError::not_found(""))
        });
    let response = service
        .oneshot(Request::new(Full::default()))
        .await
        .unwrap();
    assert!(response.headers().get("x-error-code").is_none());

    // The layer's own 406, and a rewritten plain error, carry it too.
    let layer = ApiErrorLayer::new().code_header(header::HeaderName::from_static("x-error-code"));
    let service = ServiceBuilder::new()
        .layer(layer)
        .service_fn(|_: Request<Full<Bytes>>| async {
            Ok::<_, ApiError>(
                Response::builder()
                    .status(StatusCode::BAD_GATEWAY)
                    .body(Full::from("upstream down"))
                    .unwrap(),
            )
        });
    let request = Request::get("/")
        .header(header::ACCEPT, "image/png")
        .body(Full::default())
        .unwrap();
    let response = service.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    assert_eq!(response.headers()["x-error-code"], "not_acceptable");
    let response = service
        .oneshot(Request::new(Full::default()))
        .await
        .unwrap();
    assert_eq!(response.headers()["x-error-code"], "bad_gateway");
}

/// A random member value, nested at most two lists deep.
fn value() -> impl Strategy<Value = MemberValue> {
    let scalar = prop_oneof![
        any::<String>().prop_map(MemberValue::from),
        any::<i64>().prop_map(MemberValue::from),
        any::<bool>().prop_map(MemberValue::from),
    ];
    scalar.prop_recursive(2, 16, 4, |inner| {
        prop::collection::vec(inner, 0..4).prop_map(MemberValue::List)
    })
}

/// What XML gives back of `value`: the text XML can carry (as `escape` replaces).
fn as_json(value: &MemberValue, xml: bool) -> Value {
    match value {
        MemberValue::String(text) if xml => json!(text
            .chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => c,
                '\u{0}'..='\u{1f}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
                c => c,
            })
            .collect::<String>()),
        MemberValue::String(text) => json!(text),
        MemberValue::Integer(n) => json!(n),
        MemberValue::Boolean(b) => json!(b),
        MemberValue::List(items) => Value::Array(items.iter().map(|i| as_json(i, xml)).collect()),
        _ => unreachable!(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_members_read_back_in_all_four_shapes(
        members in prop::collection::vec(("[a-z_][a-z0-9_.-]{0,8}", value()), 0..5),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let mut err_members = Vec::new();
        for (name, value) in members {
            if let Ok(name) = MemberName::new(name) {
                err_members.retain(|(n, _): &(MemberName, MemberValue)| n != &name);
                err_members.push((name, value));
            }
        }
        for accept in SHAPES {
            let xml = accept.ends_with("xml");
            let expected: serde_json::Map<String, Value> = err_members
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), as_json(v, xml)))
                .collect();
            let list = err_members.clone();
            let make = move || {
                list.iter().fold(ApiError::not_found(""), |err, (n, v)| {
                    err.with_member(n.clone(), v.clone())
                })
            };
            let (_, _, body) = runtime.block_on(render(make, accept));
            // Empty strings come back from XML as elements without text.
            prop_assert_eq!(
                members_of(accept, &body, &expected),
                Value::Object(expected.clone()),
                "{}: {}", accept, String::from_utf8_lossy(&body)
            );
        }
    }
}
