//! OpenAPI through aide (feature `aide`): a derived enum documents its codes as a handler's
//! error responses, and `ErrorResponses::aide_operation` declares an operation's codes; both give
//! what the utoipa backend gives.

use aide::{
    axum::{
        routing::{get, get_with},
        ApiRouter,
    },
    openapi::OpenApi,
};
use serde_json::{json, Value};
use tower_api_error::{
    catalogue::{Catalogue, ErrorCodes},
    code,
    openapi::ErrorResponses,
    ApiError,
};

const DOCS: &str = "https://api.example.com/docs/errors";

// Only documented here, never sent.
#[allow(dead_code)]
#[derive(Debug, ApiError)]
enum ItemError {
    #[api_error(
        status = 409,
        code = "item_name_taken",
        title = "Item name taken",
        description = "An item named {name} already exists."
    )]
    NameTaken {
        name: String,
        #[member]
        existing_id: i64,
        #[member]
        similar: Vec<String>,
    },
    #[api_error(
        status = 409,
        code = "item_locked",
        description = "The item is locked."
    )]
    Locked,
    #[api_error(status = 404, code = "not_found", description = "No item {0}.")]
    NotFound(u64),
}

async fn rename() -> Result<String, ItemError> {
    Err(ItemError::Locked)
}

async fn find() -> Result<String, ApiError> {
    Err(ApiError::not_found(""))
}

fn catalogue() -> Catalogue {
    Catalogue::builtin().with::<ItemError>().unwrap()
}

fn errors() -> ErrorResponses {
    ErrorResponses::new(&catalogue()).error_uri_base(DOCS)
}

fn document() -> Value {
    aide::generate::infer_responses(true);
    errors().use_for_aide_outputs();
    let errors = errors();
    let mut api = OpenApi::default();
    let _router: axum::Router = ApiRouter::new()
        .api_route("/items/{id}/name", get(rename))
        .api_route(
            "/items/{id}",
            get_with(find, |op| {
                op.with(errors.aide_operation(&[code::NOT_FOUND, code::INVALID_PARAMETER]))
            }),
        )
        .finish_api(&mut api);
    serde_json::to_value(&api).unwrap()
}

#[test]
fn a_derived_enum_documents_one_response_per_status_and_an_example_per_code() {
    let document = document();
    let responses = &document["paths"]["/items/{id}/name"]["get"]["responses"];
    let conflict = &responses["409"];
    for content_type in [
        "application/json",
        "application/xml",
        "text/xml",
        "application/problem+json",
        "application/problem+xml",
    ] {
        let examples = conflict["content"][content_type]["examples"]
            .as_object()
            .unwrap();
        assert_eq!(
            examples.keys().collect::<Vec<_>>(),
            // Sorted by code, as serde_json keeps the keys of a map.
            ["item_locked", "item_name_taken"],
            "{content_type}"
        );
    }
    let taken = &conflict["content"]["application/json"]["examples"]["item_name_taken"];
    assert_eq!(taken["summary"], "Item name taken");
    assert_eq!(
        taken["value"]["error_uri"],
        format!("{DOCS}#item_name_taken")
    );
    let xml = conflict["content"]["application/xml"]["examples"]["item_locked"]["value"]
        .as_str()
        .unwrap();
    let xml = roxmltree::Document::parse(xml).unwrap();
    assert_eq!(xml.root_element().tag_name().name(), "error_response");
    assert!(responses["404"]["content"]["application/json"]["examples"]["not_found"].is_object());

    // The schemas the responses refer to are components of the document (with the members of
    // `item_name_taken` beside it for the 409, see below).
    assert_eq!(
        responses["404"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiError"
    );
    assert_eq!(
        conflict["content"]["application/json"]["schema"]["allOf"][0]["$ref"],
        "#/components/schemas/ApiError"
    );
    for schema in ["ApiError", "FieldError", "Problem"] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}

#[test]
fn an_operation_declares_its_codes_and_both_backends_agree() {
    let document = document();
    let responses = &document["paths"]["/items/{id}"]["get"]["responses"];
    let codes = [code::NOT_FOUND, code::INVALID_PARAMETER];
    let utoipa = serde_json::to_value(errors().to_utoipa(&codes).unwrap()).unwrap();
    for status in ["400", "404"] {
        assert_eq!(responses[status], utoipa[status], "{status}");
    }
    // `ApiError` itself can have any code: a default response with the schemas.
    assert_eq!(
        responses["default"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiError"
    );

    // The derived enum's inferred responses are the catalogue's description of its codes.
    let codes: Vec<&str> = ItemError::CODES.iter().map(|e| e.code()).collect();
    let utoipa = serde_json::to_value(errors().to_utoipa(&codes).unwrap()).unwrap();
    let inferred = &document["paths"]["/items/{id}/name"]["get"]["responses"];
    for status in ["404", "409"] {
        assert_eq!(inferred[status], utoipa[status], "{status}");
    }
}

/// A derived enum's `#[member]` fields are typed properties of the schema of its status, in
/// every content type, from the same description as utoipa's; aide's document is OpenAPI 3.1.
#[test]
fn the_members_of_a_code_are_typed_properties_of_its_schema() {
    let document = document();
    assert_eq!(document["openapi"], "3.1.0");
    let conflict = &document["paths"]["/items/{id}/name"]["get"]["responses"]["409"];
    for (content_type, shape) in [
        ("application/json", "ApiError"),
        ("application/xml", "ApiError"),
        ("text/xml", "ApiError"),
        ("application/problem+json", "Problem"),
        ("application/problem+xml", "Problem"),
    ] {
        let schema = &conflict["content"][content_type]["schema"];
        assert_eq!(
            schema["allOf"][0]["$ref"],
            format!("#/components/schemas/{shape}"),
            "{content_type}"
        );
        let members = &schema["allOf"][1]["properties"];
        assert_eq!(
            members["existing_id"],
            json!({
                "type": "integer",
                "format": "int64",
                "description": "Sent with `item_name_taken`.",
            }),
            "{content_type}"
        );
        assert_eq!(
            members["similar"],
            json!({
                "type": "array",
                "items": { "type": "string", "xml": { "name": "i" } },
                "xml": { "wrapped": true },
                "description": "Sent with `item_name_taken`.",
            }),
            "{content_type}"
        );
        // The example of the code has them, with values of their types.
        let example = &conflict["content"][content_type]["examples"]["item_name_taken"]["value"];
        if content_type.ends_with("json") {
            assert!(example["existing_id"].is_i64(), "{example}");
            assert!(example["similar"][0].is_string(), "{example}");
        } else {
            let xml = roxmltree::Document::parse(example.as_str().unwrap()).unwrap();
            let similar = xml
                .root_element()
                .children()
                .find(|n| n.tag_name().name() == "similar")
                .unwrap();
            assert!(similar.children().all(|n| n.tag_name().name() == "i"));
        }
    }
}
