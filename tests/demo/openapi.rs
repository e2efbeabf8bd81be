//! The demo's OpenAPI document (`GET /openapi.json`): every route with the error responses it
//! can answer with, and responses the demo really sends that match it.

use crate::server;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn document() -> Value {
    let request = Request::get("/openapi.json").body(Body::empty()).unwrap();
    let response = server::app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&body).unwrap()
}

/// Follows a local `$ref`.
fn resolve<'a>(document: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference.strip_prefix('#').expect("a local reference");
    document
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{reference} does not resolve"))
}

/// The body shape's component a response schema refers to: the schema is the reference itself,
/// or (for codes with extension members) `allOf` the reference and an object of the members.
fn shape_ref(schema: &Value) -> &str {
    schema["$ref"]
        .as_str()
        .or_else(|| schema["allOf"][0]["$ref"].as_str())
        .unwrap_or_else(|| panic!("no shape in {schema}"))
}

/// The extension members a response schema lists, by name (none for a bare reference).
fn member_properties(schema: &Value) -> serde_json::Map<String, Value> {
    match &schema["allOf"][1] {
        Value::Null => serde_json::Map::new(),
        members => {
            assert_eq!(members["type"], "object", "{schema}");
            members["properties"].as_object().unwrap().clone()
        }
    }
}

/// Whether `value` is of the JSON Schema type of `schema` (one of the documented member types).
fn has_type(value: &Value, schema: &Value) -> bool {
    match schema["type"].as_str() {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value
            .as_array()
            .is_some_and(|items| items.iter().all(|item| has_type(item, &schema["items"]))),
        _ => panic!("not a member type: {schema}"),
    }
}

#[tokio::test]
async fn every_route_lists_its_error_responses() {
    let document = document().await;
    assert_eq!(document["openapi"], "3.1.0");
    let catalogue = server::catalogue();
    for (method, path, codes) in server::ROUTE_ERRORS {
        let operation = &document["paths"][path][method.as_str().to_ascii_lowercase()];
        let responses = operation["responses"].as_object().unwrap_or_else(|| {
            panic!("{method} {path} is not in the document");
        });
        for code in codes.iter().chain(server::EVERY_ROUTE) {
            let entry = catalogue.get(code).unwrap();
            let response = &responses[entry.status().as_str()];
            for (content_type, schema) in [
                ("application/json", "ApiError"),
                ("application/xml", "ApiError"),
                ("text/xml", "ApiError"),
                ("application/problem+json", "Problem"),
                ("application/problem+xml", "Problem"),
            ] {
                let content = &response["content"][content_type];
                assert_eq!(
                    shape_ref(&content["schema"]),
                    format!("#/components/schemas/{schema}"),
                    "{method} {path} {code} {content_type}"
                );
                resolve(&document, shape_ref(&content["schema"]));
                // Every member the code documents is a property of the response's schema.
                let members = member_properties(&content["schema"]);
                for member in entry.members() {
                    assert!(
                        members.contains_key(member.name()),
                        "{method} {path} {code} {content_type}: {}",
                        member.name()
                    );
                }
                let example = &content["examples"][code]["value"];
                if content_type.ends_with("json") {
                    assert_eq!(example["error"], *code, "{method} {path}");
                } else {
                    let xml = example.as_str().unwrap();
                    let doc = roxmltree::Document::parse(xml).unwrap();
                    let error = doc
                        .root_element()
                        .children()
                        .find(|n| n.tag_name().name() == "error")
                        .and_then(|n| n.text());
                    assert_eq!(error, Some(*code), "{method} {path} {content_type}");
                }
            }
            let json = &response["content"]["application/json"]["examples"][code]["value"];
            assert_eq!(json["error_uri"], format!("{}#{code}", server::DOCS));
            assert_eq!(json["error_description"], entry.description());
        }
        // Nothing but the route's codes: one success and one response per error status.
        let mut statuses: Vec<String> = codes
            .iter()
            .chain(server::EVERY_ROUTE)
            .map(|code| catalogue.get(code).unwrap().status().as_str().to_owned())
            .collect();
        statuses.sort_unstable();
        statuses.dedup();
        let errors: Vec<String> = responses
            .keys()
            .filter(|status| status.starts_with('4') || status.starts_with('5'))
            .cloned()
            .collect();
        assert_eq!(errors, statuses, "{method} {path}");
    }
    for schema in ["ApiError", "FieldError", "Problem"] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}

#[tokio::test]
async fn two_codes_of_one_status_are_two_examples_of_one_response() {
    let document = document().await;
    let conflict = &document["paths"]["/items/{id}"]["put"]["responses"]["404"];
    let examples = conflict["content"]["application/json"]["examples"]
        .as_object()
        .unwrap();
    assert_eq!(examples.keys().collect::<Vec<_>>(), ["not_found"]);
    let unauthorized = &document["paths"]["/errors/{code}"]["get"]["responses"]["401"];
    let examples = unauthorized["content"]["application/xml"]["examples"]
        .as_object()
        .unwrap();
    assert_eq!(
        examples.keys().collect::<Vec<_>>(),
        ["invalid_token", "token_expired", "unauthorized"]
    );
}

/// What the demo sends for each documented error of `GET /errors/{code}` has the status the
/// document gives it and a body its schema describes.
#[tokio::test]
async fn the_demo_sends_what_the_document_says() {
    let document = document().await;
    let responses = &document["paths"]["/errors/{code}"]["get"]["responses"];
    for code in server::ERROR_BY_CODE {
        let request = Request::get(format!("/errors/{code}"))
            .body(Body::empty())
            .unwrap();
        let response = server::app().oneshot(request).await.unwrap();
        let status = response.status();
        let content = &responses[status.as_str()]["content"]["application/json"];
        assert!(
            content["examples"][code].is_object(),
            "{code} is not documented for {status}"
        );
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_described(&document, &content["schema"], &body, code);
        assert_eq!(body["error"], *code);
    }
}

/// `body` has the required members of `schema`'s shape, and no member that is neither one of the
/// shape's properties nor an extension member of the schema with a value of its type.
fn assert_described(document: &Value, schema: &Value, body: &Value, what: &str) {
    let shape = resolve(document, shape_ref(schema));
    let members = member_properties(schema);
    let body = body.as_object().unwrap();
    for required in shape["required"].as_array().unwrap() {
        let required = required.as_str().unwrap();
        assert!(body.contains_key(required), "{what}: {required}");
    }
    for (name, value) in body {
        if let Some(member) = members.get(name) {
            assert!(
                has_type(value, member),
                "{what}: {name} is {value}, not {member}"
            );
        } else {
            assert!(
                shape["properties"].get(name).is_some(),
                "{what}: {name} is not documented"
            );
        }
    }
}

/// The demo's `409 item_name_taken` documents its member `existing_id` as an integer, and its
/// `429` the rate limit's `violated-policies` as a list of strings, in the schema of every
/// content type; the bodies the demo sends have them, of those types.
#[tokio::test]
async fn the_schemas_type_each_codes_members() {
    let document = document().await;
    let conflict = &document["paths"]["/items"]["post"]["responses"]["409"]["content"];
    let too_many = &document["paths"]["/errors/{code}"]["get"]["responses"]["429"]["content"];
    for content_type in [
        "application/json",
        "application/xml",
        "text/xml",
        "application/problem+json",
        "application/problem+xml",
    ] {
        let members = member_properties(&conflict[content_type]["schema"]);
        assert_eq!(members.keys().collect::<Vec<_>>(), ["existing_id"]);
        assert_eq!(members["existing_id"]["type"], "integer", "{content_type}");
        assert_eq!(members["existing_id"]["format"], "int64", "{content_type}");

        let members = member_properties(&too_many[content_type]["schema"]);
        let violated = &members["violated-policies"];
        assert_eq!(violated["type"], "array", "{content_type}");
        assert_eq!(violated["items"]["type"], "string", "{content_type}");
        // In XML, one `<i>` element per policy inside `<violated-policies>`.
        assert_eq!(violated["xml"]["wrapped"], true);
        assert_eq!(violated["items"]["xml"]["name"], "i");
    }
    // A status whose codes have no members refers to the shape alone.
    let not_found = &document["paths"]["/items/{id}"]["get"]["responses"]["404"]["content"];
    assert_eq!(
        not_found["application/json"]["schema"],
        serde_json::json!({ "$ref": "#/components/schemas/ApiError" })
    );

    // The bodies the demo sends, in both JSON shapes.
    for (accept, content_type) in [
        ("application/json", "application/json"),
        ("application/problem+json", "application/problem+json"),
    ] {
        let request = Request::post("/items")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, accept)
            .body(Body::from(r#"{"name":"apple"}"#))
            .unwrap();
        let response = server::app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["existing_id"], 1, "{accept}");
        assert_described(&document, &conflict[content_type]["schema"], &body, accept);

        let request = Request::get("/errors/too_many_requests")
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap();
        let response = server::app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert!(body["violated-policies"].is_array(), "{accept}: {body}");
        assert_described(&document, &too_many[content_type]["schema"], &body, accept);
    }
}

/// The demo's documentation page has one entry, by `id`, for every code of its catalogue, and
/// every `error_uri` the document's examples give points at one of them.
#[tokio::test]
async fn the_demo_page_has_an_entry_for_every_code() {
    let request = Request::get(server::DOCS_PATH)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap();
    let response = server::app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let html = scraper::Html::parse_document(std::str::from_utf8(&body).unwrap());
    assert!(html.errors.is_empty(), "{:?}", html.errors);
    let catalogue = server::catalogue();
    assert!(catalogue.get("item_name_taken").is_some());
    for entry in catalogue.entries() {
        let selector = scraper::Selector::parse(&format!("[id=\"{}\"]", entry.code())).unwrap();
        assert_eq!(html.select(&selector).count(), 1, "{}", entry.code());
    }
    // `item_name_taken` lists its member `existing_id`, an integer that a 409 (never masked)
    // always sends.
    let rows = scraper::Selector::parse("[id=\"item_name_taken\"] table.members tbody tr").unwrap();
    let cell = scraper::Selector::parse("td").unwrap();
    let rows: Vec<Vec<String>> = html
        .select(&rows)
        .map(|row| row.select(&cell).map(|td| td.text().collect()).collect())
        .collect();
    assert_eq!(rows, [["existing_id", "integer", "no"]]);

    let document = document().await;
    let mut uris = Vec::new();
    collect_uris(&document["paths"], &mut uris);
    // One `error_uri` (seed JSON) and one `type` (problem details JSON) per code of each route.
    let examples: usize = server::ROUTE_ERRORS
        .iter()
        .map(|(_, _, codes)| {
            let mut codes: Vec<&str> = codes.iter().chain(server::EVERY_ROUTE).copied().collect();
            codes.sort_unstable();
            codes.dedup();
            codes.len()
        })
        .sum();
    assert_eq!(uris.len(), 2 * examples);
    for uri in uris {
        let code = uri
            .strip_prefix(&format!("{}#", server::DOCS))
            .unwrap_or_else(|| panic!("{uri}"));
        assert!(catalogue.get(code).is_some(), "{uri}");
    }
}

/// The `error_uri` and `type` members of every JSON example of an error response.
fn collect_uris(value: &Value, uris: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(examples)) = map.get("examples") {
                for example in examples.values() {
                    for member in ["error_uri", "type"] {
                        if let Some(Value::String(uri)) = example["value"].get(member) {
                            uris.push(uri.clone());
                        }
                    }
                }
            }
            map.values().for_each(|v| collect_uris(v, uris));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_uris(v, uris)),
        _ => {}
    }
}
