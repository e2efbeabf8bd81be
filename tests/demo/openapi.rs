//! The demo's OpenAPI document (`GET /openapi.json`): every route with the error responses it
//! can answer with, shared once under `components`, and responses the demo really sends that
//! match it, examples included, byte for byte.

use std::collections::BTreeSet;

use crate::{server, support::render_error};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use tower_api_error::{catalogue::ErrorCodes, ApiErrorLayer};

async fn document() -> Value {
    let request = Request::get("/openapi.json").body(Body::empty()).unwrap();
    let response = server::app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&body).unwrap()
}

/// Follows a local `$ref`, if `value` is one.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    let Some(reference) = value["$ref"].as_str() else {
        return value;
    };
    let pointer = reference.strip_prefix('#').expect("a local reference");
    document
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{reference} does not resolve"))
}

/// The properties a shared schema adds to its shape: `error` and the codes' members.
fn own_properties(schema: &Value) -> serde_json::Map<String, Value> {
    assert_eq!(schema["allOf"][1]["type"], "object", "{schema}");
    schema["allOf"][1]["properties"]
        .as_object()
        .unwrap()
        .clone()
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

const CONTENT_TYPES: [(&str, &str); 5] = [
    ("application/json", "ApiError"),
    ("application/xml", "ApiError"),
    ("text/xml", "ApiError"),
    ("application/problem+json", "Problem"),
    ("application/problem+xml", "Problem"),
];

/// The codes the demo documents for `method path`: the route's own, every route's, and
/// `ItemError`'s where its handler returns one.
fn expected_codes(method: &http::Method, path: &str, codes: &[&str]) -> BTreeSet<String> {
    let mut all: BTreeSet<String> = codes
        .iter()
        .chain(server::EVERY_ROUTE)
        .map(|&c| c.to_owned())
        .collect();
    if server::ITEM_ERROR_ROUTES
        .iter()
        .any(|(m, p)| m == method && *p == path)
    {
        all.extend(server::ItemError::CODES.iter().map(|e| e.code().to_owned()));
    }
    all
}

#[tokio::test]
async fn every_route_refers_to_shared_responses_of_its_codes() {
    let document = document().await;
    assert_eq!(document["openapi"], "3.1.0");
    let catalogue = server::catalogue();
    for (method, path, codes) in server::ROUTE_ERRORS {
        let operation = &document["paths"][path][method.as_str().to_ascii_lowercase()];
        let responses = operation["responses"].as_object().unwrap_or_else(|| {
            panic!("{method} {path} is not in the document");
        });
        let mut documented = BTreeSet::new();
        for (status, response) in responses {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            // A reference to a shared response.
            let reference = response["$ref"].as_str().unwrap();
            assert!(
                reference.starts_with("#/components/responses/"),
                "{reference}"
            );
            let shared = resolve(&document, response);
            let codes: Vec<&str> = shared["x-error-codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            for code in &codes {
                let entry = catalogue.get(code).unwrap();
                assert_eq!(entry.status().as_str(), status, "{method} {path} {code}");
                documented.insert((*code).to_owned());
            }
            assert!(shared["headers"]["Vary"].is_object());
            assert!(shared["headers"]["x-error-code"].is_object());
            assert!(shared["headers"]["x-request-id"].is_object());
            for (content_type, shape) in CONTENT_TYPES {
                let content = &shared["content"][content_type];
                let schema = resolve(&document, &content["schema"]);
                assert_eq!(
                    schema["allOf"][0]["$ref"],
                    format!("#/components/schemas/{shape}"),
                    "{method} {path} {content_type}"
                );
                // `error` is one of exactly the response's codes.
                let properties = own_properties(schema);
                assert_eq!(properties["error"]["enum"], serde_json::json!(codes));
                // Every member a code documents is a property, and every code has an example.
                for code in &codes {
                    for member in catalogue.get(code).unwrap().members() {
                        assert!(properties.contains_key(member.name()), "{code}");
                    }
                    let example = resolve(&document, &content["examples"][code]);
                    assert!(
                        !example["value"].is_null(),
                        "{method} {path} {code} {content_type}"
                    );
                }
            }
        }
        assert_eq!(
            documented,
            expected_codes(method, path, codes),
            "{method} {path}"
        );
    }
    for schema in ["ApiError", "FieldError", "Problem"] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}

/// Every example of the document, for every code and content type, is the body the layer sends
/// for the example error of the code's entry: XML byte for byte; JSON as the same value (the
/// document holds it parsed).
#[tokio::test]
async fn every_example_is_what_the_layer_sends() {
    let document = document().await;
    let catalogue = server::catalogue();
    let mut compared = 0;
    for shared in document["components"]["responses"]
        .as_object()
        .unwrap()
        .values()
    {
        for (content_type, content) in shared["content"].as_object().unwrap() {
            for (code, example) in content["examples"].as_object().unwrap() {
                let example = &resolve(&document, example)["value"];
                let entry = *catalogue.get(code).unwrap();
                let layer = ApiErrorLayer::new().error_uri_base(server::DOCS);
                let (status, headers, body) =
                    render_error(layer, move || entry.example().unwrap(), content_type).await;
                assert_eq!(status, entry.status());
                let sent_type = headers[header::CONTENT_TYPE].to_str().unwrap();
                assert_eq!(sent_type.split(';').next(), Some(content_type.as_str()));
                if content_type.ends_with("xml") {
                    assert_eq!(
                        example.as_str().unwrap().as_bytes(),
                        &body[..],
                        "{code} {content_type}"
                    );
                } else {
                    let sent: Value = serde_json::from_slice(&body).unwrap();
                    assert_eq!(*example, sent, "{code} {content_type}");
                }
                compared += 1;
            }
        }
    }
    // 22 codes in 5 content types.
    assert_eq!(compared, 5 * 22);
    // The 409 shows what the server sends, not the catalogue's docs sentence, and the 422 has
    // field errors.
    let taken = &document["components"]["responses"]["ItemNameTaken"]["content"]
        ["application/json"]["examples"]["item_name_taken"]["value"];
    assert_eq!(
        taken["error_description"],
        "An item named \"apple\" already exists."
    );
    assert_eq!(taken["existing_id"], 1);
    let invalid = &document["components"]["responses"]["UnprocessableEntity"]["content"]
        ["application/json"]["examples"]["unprocessable_entity"]["value"];
    assert_eq!(invalid["field_errors"][0]["field"], "name");
}

/// What the demo sends for each documented error of `GET /errors/{code}` has the status the
/// document gives it, a body its schema describes, and the headers it documents.
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
        let shared = resolve(&document, &responses[status.as_str()]);
        let content = &shared["content"]["application/json"];
        assert!(
            content["examples"][code].is_object(),
            "{code} is not documented for {status}"
        );
        for (name, header) in shared["headers"].as_object().unwrap() {
            let pattern = header["schema"]["pattern"].as_str();
            let allowed = header["schema"]["enum"].as_array();
            let Some(value) = response.headers().get(name.as_str()) else {
                // Only these are sent by some errors of a status and not others.
                assert!(
                    ["Retry-After"].contains(&name.as_str()),
                    "{code}: no {name}"
                );
                continue;
            };
            let value = value.to_str().unwrap();
            match pattern {
                Some("^[0-9]+$") => {
                    assert!(
                        value.bytes().all(|b| b.is_ascii_digit()),
                        "{code}: {name}: {value}"
                    );
                }
                Some(pattern) => assert!(value.contains(pattern), "{code}: {name}: {value}"),
                None => {}
            }
            if let Some(allowed) = allowed {
                assert!(
                    allowed.iter().any(|a| a == value),
                    "{code}: {name}: {value}"
                );
            }
        }
        for name in [
            "WWW-Authenticate",
            "Allow",
            "Retry-After",
            "Content-Language",
        ] {
            if response.headers().contains_key(name) {
                assert!(
                    shared["headers"][name].is_object(),
                    "{code}: {name} undocumented"
                );
            }
        }
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_described(&document, &content["schema"], &body, code);
        assert_eq!(body["error"], *code);
    }
}

/// `body` has the required members of `schema`'s shape, its `error` is one of the schema's
/// codes, and it has no member that is neither a property of the shape nor one of the
/// schema's with a value of its type.
fn assert_described(document: &Value, schema: &Value, body: &Value, what: &str) {
    let schema = resolve(document, schema);
    let shape = resolve(document, &schema["allOf"][0]);
    let own = own_properties(schema);
    let body = body.as_object().unwrap();
    for required in shape["required"].as_array().unwrap() {
        let required = required.as_str().unwrap();
        assert!(body.contains_key(required), "{what}: {required}");
    }
    assert!(
        own["error"]["enum"]
            .as_array()
            .unwrap()
            .contains(&body["error"]),
        "{what}"
    );
    for (name, value) in body {
        match own.get(name) {
            Some(member) if name != "error" => {
                assert!(
                    has_type(value, member),
                    "{what}: {name} is {value}, not {member}"
                );
            }
            _ => assert!(
                shape["properties"].get(name).is_some(),
                "{what}: {name} is not documented"
            ),
        }
    }
}

/// The demo's `409 item_name_taken` documents its member `existing_id` as an integer, and its
/// `429` the rate limit's `violated-policies` as a list of strings, in the schema of every
/// content type; the bodies the demo sends have them, of those types.
#[tokio::test]
async fn the_schemas_type_each_codes_members() {
    let document = document().await;
    let responses = &document["components"]["responses"];
    let conflict = &responses["ItemNameTaken"]["content"];
    let too_many = &responses["TooManyRequests"]["content"];
    assert!(responses["TooManyRequests"]["headers"]["Retry-After"].is_object());
    for (content_type, _) in CONTENT_TYPES {
        let members = own_properties(resolve(&document, &conflict[content_type]["schema"]));
        assert_eq!(members.keys().collect::<Vec<_>>(), ["error", "existing_id"]);
        assert_eq!(members["existing_id"]["type"], "integer", "{content_type}");
        assert_eq!(members["existing_id"]["format"], "int64", "{content_type}");

        let members = own_properties(resolve(&document, &too_many[content_type]["schema"]));
        let violated = &members["violated-policies"];
        assert_eq!(violated["type"], "array", "{content_type}");
        assert_eq!(violated["items"]["type"], "string", "{content_type}");
        // In XML, one `<i>` element per policy inside `<violated-policies>`.
        assert_eq!(violated["xml"]["wrapped"], true);
        assert_eq!(violated["items"]["xml"]["name"], "i");
    }

    // The bodies the demo sends, in both JSON shapes.
    for accept in ["application/json", "application/problem+json"] {
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
        assert_described(&document, &conflict[accept]["schema"], &body, accept);

        let request = Request::get("/errors/too_many_requests")
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap();
        let response = server::app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert!(body["violated-policies"].is_array(), "{accept}: {body}");
        assert_described(&document, &too_many[accept]["schema"], &body, accept);
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
    for entry in catalogue.entries() {
        let selector = scraper::Selector::parse(&format!("[id=\"{}\"]", entry.code())).unwrap();
        assert_eq!(html.select(&selector).count(), 1, "{}", entry.code());
    }

    let document = document().await;
    let mut uris = Vec::new();
    for shared in document["components"]["responses"]
        .as_object()
        .unwrap()
        .values()
    {
        for content in shared["content"].as_object().unwrap().values() {
            for example in content["examples"].as_object().unwrap().values() {
                for member in ["error_uri", "type"] {
                    if let Some(Value::String(uri)) = example["value"].get(member) {
                        uris.push(uri.clone());
                    }
                }
            }
        }
    }
    // One `error_uri` (seed JSON) and one `type` (problem details JSON) per code.
    assert_eq!(uris.len(), 2 * 22);
    for uri in uris {
        let code = uri
            .strip_prefix(&format!("{}#", server::DOCS))
            .unwrap_or_else(|| panic!("{uri}"));
        assert!(catalogue.get(code).is_some(), "{uri}");
    }
}

/// The demo's page in Portuguese: its title and intro as the demo sets them for `pt-BR`, and the
/// page's own words; English stays the default.
#[tokio::test]
async fn the_demo_page_has_its_title_and_intro_in_portuguese() {
    for (accept_language, lang, title, intro) in [
        (
            "pt-BR, en;q=0.5",
            "pt-BR",
            "Demo do tower-api-error: códigos de erro",
            "Todo erro da API de demonstração",
        ),
        (
            "en",
            "en",
            "tower-api-error demo: error codes",
            "Every error of the demo API",
        ),
    ] {
        let request = Request::get(server::DOCS_PATH)
            .header(header::ACCEPT, "text/html")
            .header(header::ACCEPT_LANGUAGE, accept_language)
            .body(Body::empty())
            .unwrap();
        let response = server::app().oneshot(request).await.unwrap();
        assert_eq!(response.headers()[header::CONTENT_LANGUAGE], lang);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let html = scraper::Html::parse_document(std::str::from_utf8(&body).unwrap());
        let text = |selector: &str| {
            let selector = scraper::Selector::parse(selector).unwrap();
            let found: Vec<String> = html
                .select(&selector)
                .map(|e| e.text().collect::<String>())
                .collect();
            assert_eq!(found.len(), 1, "{lang}: {selector:?}");
            found.into_iter().next().unwrap()
        };
        assert_eq!(text("title"), title, "{lang}");
        assert_eq!(text("h1"), title, "{lang}");
        assert!(text("p.intro").starts_with(intro), "{lang}");
    }
}

/// The size of the demo's compact document, with where its bytes go, printed for the record.
/// The demo documents five content types (JSON, XML, `text/xml`, problem JSON, problem XML) with
/// every code's example in each, each example written once (`text/xml` refers to XML's): the
/// examples are about 27 KB of its 64 KB, the headers of its shared responses about 8.5 KB (utoipa
/// has no `components/headers` to share them), and the rest of the API about 7 KB. The issue's
/// 30 KB goal is not met with that information; the growth it was about is tested in
/// `openapi_orders::the_error_part_grows_with_the_codes_not_the_operations`, and the sizes of the
/// other choices of content types are in the OpenAPI guide. The bound guards what sharing
/// achieved.
#[tokio::test]
async fn the_document_stays_compact() {
    let request = Request::get("/openapi.json").body(Body::empty()).unwrap();
    let response = server::app().oneshot(request).await.unwrap();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let document: Value = serde_json::from_slice(&body).unwrap();
    let size = |value: &Value| serde_json::to_vec(value).unwrap().len();
    // Served compact: the bytes are those of the value written without spaces.
    assert_eq!(body.len(), size(&document));

    let responses = document["components"]["responses"].as_object().unwrap();
    let mut examples = std::collections::BTreeMap::<&str, usize>::new();
    for shared in responses.values() {
        for (content_type, content) in shared["content"].as_object().unwrap() {
            *examples.entry(content_type).or_default() += size(&content["examples"]);
        }
    }
    println!("demo document: {} bytes compact", body.len());
    println!("  paths: {}", size(&document["paths"]));
    println!(
        "  components.responses: {}",
        size(&document["components"]["responses"])
    );
    println!(
        "  components.schemas: {}",
        size(&document["components"]["schemas"])
    );
    for (content_type, bytes) in &examples {
        println!("    examples {content_type}: {bytes}");
    }
    // Every example of five content types is in it (see `every_example_is_what_the_layer_sends`).
    assert_eq!(examples.len(), 5);
    assert!(body.len() < 65_000, "{}", body.len());
}
