//! OpenAPI through aide (feature `aide`): a derived enum documents its codes as a handler's
//! error responses, `ErrorResponses::aide_operation` declares an operation's codes, and
//! `ErrorResponses::apply_to_aide` makes them responses shared under `components`, the same as
//! the utoipa backend's. Set `OPENAPI_AIDE_OUT` to a file name to write the document there (for
//! validators).

use aide::{
    axum::{
        routing::{get, get_with},
        ApiRouter,
    },
    openapi::OpenApi,
};
use axum::extract::Path;
use http::Method;
use serde_json::{json, Value};
use tower_api_error::{catalogue::Catalogue, code, openapi::ErrorResponses, ApiError};
use utoipa::openapi::{
    path::{HttpMethod, OperationBuilder, PathItem},
    OpenApiBuilder, PathsBuilder,
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
        description = "An item named {name} already exists.",
        example = ItemError::NameTaken { name: "kiwi".into(), existing_id: 7, similar: vec!["kiwis".into()] }
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

/// The path of both routes: aide documents its `id` as a parameter.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct ItemPath {
    #[allow(dead_code, reason = "only documented and deserialized")]
    id: u64,
}

async fn rename(Path(_): Path<ItemPath>) -> Result<String, ItemError> {
    Err(ItemError::Locked)
}

async fn find(Path(_): Path<ItemPath>) -> Result<String, ApiError> {
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
    errors.apply_to_aide(&mut api).unwrap();
    if let Ok(path) = std::env::var("OPENAPI_AIDE_OUT") {
        std::fs::write(path, serde_json::to_string(&api).unwrap()).unwrap();
    }
    serde_json::to_value(&api).unwrap()
}

/// The same operations documented through utoipa.
fn utoipa_document() -> Value {
    let errors = errors();
    let mut api = OpenApiBuilder::new()
        .paths(
            PathsBuilder::new()
                .path(
                    "/items/{id}/name",
                    PathItem::new(HttpMethod::Get, OperationBuilder::new()),
                )
                .path(
                    "/items/{id}",
                    PathItem::new(HttpMethod::Get, OperationBuilder::new()),
                ),
        )
        .build();
    errors
        .add_to_utoipa(
            &mut api,
            Method::GET,
            "/items/{id}/name",
            &["item_name_taken", "item_locked", "not_found"],
        )
        .unwrap();
    errors
        .add_to_utoipa(
            &mut api,
            Method::GET,
            "/items/{id}",
            &[code::NOT_FOUND, code::INVALID_PARAMETER],
        )
        .unwrap();
    serde_json::to_value(&api).unwrap()
}

#[test]
fn a_derived_enum_documents_one_shared_response_per_status() {
    let document = document();
    let responses = &document["paths"]["/items/{id}/name"]["get"]["responses"];
    assert_eq!(
        responses["409"],
        json!({ "$ref": "#/components/responses/ItemLockedOrItemNameTaken" })
    );
    assert_eq!(
        responses["404"],
        json!({ "$ref": "#/components/responses/NotFound" })
    );
    // `/items/{id}` shares the same 404.
    assert_eq!(
        document["paths"]["/items/{id}"]["get"]["responses"]["404"],
        json!({ "$ref": "#/components/responses/NotFound" })
    );
    let conflict = &document["components"]["responses"]["ItemLockedOrItemNameTaken"];
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
            ["item_locked", "item_name_taken"]
        );
    }
    // The example is the one declared with `example = ...`.
    let taken = &conflict["content"]["application/json"]["examples"]["item_name_taken"]["value"];
    assert_eq!(
        taken["error_description"],
        "An item named kiwi already exists."
    );
    assert_eq!(taken["existing_id"], 7);
    assert_eq!(taken["error_uri"], format!("{DOCS}#item_name_taken"));
    // `not_found` has fields and no `example`: the catalogue's entry is the enum's, which has
    // no example, so none is shown rather than a false one.
    let not_found = &document["components"]["responses"]["NotFound"];
    assert!(not_found["content"]["application/json"]["examples"].is_null());
    for schema in [
        "ApiError",
        "FieldError",
        "Problem",
        "ItemLockedOrItemNameTaken",
        "ItemLockedOrItemNameTakenProblem",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
    // `ApiError` itself can have any code: a default response with the schemas.
    let responses = &document["paths"]["/items/{id}"]["get"]["responses"];
    assert_eq!(
        responses["default"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiError"
    );
}

/// aide and utoipa give the same shared responses and schemas.
#[test]
fn both_backends_agree() {
    let aide = document();
    let utoipa = utoipa_document();
    for name in ["ItemLockedOrItemNameTaken", "NotFound", "InvalidParameter"] {
        let mut response = aide["components"]["responses"][name].clone();
        // aide writes a header's `style`, `simple`, the only style a header has.
        for header in response["headers"].as_object_mut().unwrap().values_mut() {
            header.as_object_mut().unwrap().remove("style");
        }
        assert_eq!(response, utoipa["components"]["responses"][name], "{name}");
    }
    for name in [
        "ItemLockedOrItemNameTaken",
        "ItemLockedOrItemNameTakenProblem",
        "NotFound",
    ] {
        assert_eq!(
            aide["components"]["schemas"][name], utoipa["components"]["schemas"][name],
            "{name}"
        );
    }
    for path in ["/items/{id}/name", "/items/{id}"] {
        for status in ["400", "404", "409"] {
            assert_eq!(
                aide["paths"][path]["get"]["responses"][status],
                utoipa["paths"][path]["get"]["responses"][status],
                "{path} {status}"
            );
        }
    }
}

/// A derived enum's `#[member]` fields are typed properties of the schema of its status, beside
/// `error`, the enum of its codes.
#[test]
fn the_members_of_a_code_are_typed_properties_of_its_schema() {
    let document = document();
    assert_eq!(document["openapi"], "3.1.0");
    let schema = &document["components"]["schemas"]["ItemLockedOrItemNameTaken"];
    assert_eq!(schema["allOf"][0]["$ref"], "#/components/schemas/ApiError");
    let properties = &schema["allOf"][1]["properties"];
    assert_eq!(
        properties["error"],
        json!({ "type": "string", "enum": ["item_locked", "item_name_taken"] })
    );
    assert_eq!(
        properties["existing_id"],
        json!({ "type": "integer", "format": "int64", "description": "Sent with `item_name_taken`." })
    );
    assert_eq!(
        properties["similar"]["items"],
        json!({ "type": "string", "xml": { "name": "i" } })
    );
}

/// A code of a handler's enum that is not in the catalogue fails when the document is made.
#[test]
fn a_code_missing_from_the_catalogue_fails() {
    aide::generate::infer_responses(true);
    let errors = ErrorResponses::new(&Catalogue::builtin());
    let mut api = OpenApi::default();
    let _router: axum::Router = ApiRouter::new()
        .api_route("/items/{id}/name", get(rename))
        .finish_api(&mut api);
    let err = errors.apply_to_aide(&mut api).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the error code `item_locked` is not in the catalogue"
    );
}
