//! OpenAPI through utoipa as a new user writes it: an orders API of six operations whose
//! handlers return an enum of four codes of its own, two of them on 409, named in
//! `#[utoipa::path(responses(OrderError))]` and nothing else. Set `OPENAPI_ORDERS_OUT` to a
//! file name to write the document there (for client generators and validators).

use serde_json::{json, Value};
use tower_api_error::{catalogue::Catalogue, openapi::ErrorResponses, ApiError};
use utoipa::OpenApi;

const DOCS: &str = "https://api.example.com/docs/errors";

#[allow(dead_code)]
#[derive(Debug, ApiError)]
enum OrderError {
    #[api_error(
        status = 404,
        code = "order_not_found",
        title = "Order not found",
        description = "No order {id}.",
        example = OrderError::NotFound { id: 7 }
    )]
    NotFound { id: u64 },
    #[api_error(
        status = 409,
        code = "order_already_paid",
        title = "Order already paid",
        description = "Order {id} was already paid at {at}.",
        example = OrderError::AlreadyPaid { id: 2, at: "2026-01-01T10:00:00Z".into() }
    )]
    AlreadyPaid {
        id: u64,
        #[member]
        at: String,
    },
    #[api_error(
        status = 409,
        code = "version_conflict",
        title = "Version conflict",
        description = "The order changed since it was read."
    )]
    VersionConflict,
    #[api_error(
        status = 402,
        code = "payment_declined",
        description = "The card was declined {reason}."
    )]
    PaymentDeclined { reason: String },
    #[api_error(transparent)]
    Api(#[from] ApiError),
}

#[utoipa::path(get, path = "/orders", responses((status = 200, description = "The orders."), OrderError))]
#[allow(dead_code)]
fn list_orders() {}

#[utoipa::path(post, path = "/orders", responses((status = 201, description = "Created."), OrderError))]
#[allow(dead_code)]
fn create_order() {}

#[utoipa::path(get, path = "/orders/{id}", params(("id" = u64, Path)), responses((status = 200, description = "The order."), OrderError))]
#[allow(dead_code)]
fn get_order() {}

#[utoipa::path(put, path = "/orders/{id}", params(("id" = u64, Path)), responses((status = 200, description = "Updated."), OrderError))]
#[allow(dead_code)]
fn update_order() {}

#[utoipa::path(delete, path = "/orders/{id}", params(("id" = u64, Path)), responses((status = 204, description = "Deleted."), OrderError))]
#[allow(dead_code)]
fn delete_order() {}

#[utoipa::path(post, path = "/orders/{id}/pay", params(("id" = u64, Path)), responses((status = 200, description = "Paid."), OrderError))]
#[allow(dead_code)]
fn pay_order() {}

#[derive(OpenApi)]
#[openapi(
    info(title = "orders", version = "1.0.0"),
    paths(
        list_orders,
        create_order,
        get_order,
        update_order,
        delete_order,
        pay_order
    )
)]
struct ApiDoc;

fn catalogue() -> Catalogue {
    Catalogue::builtin().with::<OrderError>().unwrap()
}

fn document(errors: &ErrorResponses) -> Value {
    let mut api = ApiDoc::openapi();
    errors.apply_to_utoipa(&mut api).unwrap();
    let json = serde_json::to_value(&api).unwrap();
    if let Ok(path) = std::env::var("OPENAPI_ORDERS_OUT") {
        std::fs::write(path, api.to_json().unwrap()).unwrap();
    }
    json
}

#[test]
fn responses_of_the_enum_are_enough() {
    let document = document(&ErrorResponses::new(&catalogue()).error_uri_base(DOCS));
    let pay = &document["paths"]["/orders/{id}/pay"]["post"]["responses"];
    assert_eq!(
        pay["409"],
        json!({ "$ref": "#/components/responses/OrderAlreadyPaidOrVersionConflict" })
    );
    assert_eq!(
        pay["404"],
        json!({ "$ref": "#/components/responses/OrderNotFound" })
    );
    assert_eq!(
        pay["402"],
        json!({ "$ref": "#/components/responses/PaymentDeclined" })
    );
    // Six operations, one shared response per status.
    let responses = document["components"]["responses"].as_object().unwrap();
    assert_eq!(responses.len(), 3);
    let schema = &document["components"]["schemas"]["OrderAlreadyPaidOrVersionConflict"];
    assert_eq!(
        schema["allOf"][1]["properties"]["error"],
        json!({ "type": "string", "enum": ["order_already_paid", "version_conflict"] })
    );
    // The examples are what the server sends: the template filled with the declared values; a
    // variant with fields and no example shows none.
    let conflict = &responses["OrderAlreadyPaidOrVersionConflict"]["content"]["application/json"];
    assert_eq!(
        conflict["examples"]["order_already_paid"]["value"]["error_description"],
        "Order 2 was already paid at 2026-01-01T10:00:00Z."
    );
    assert_eq!(
        conflict["examples"]["order_already_paid"]["value"]["at"],
        "2026-01-01T10:00:00Z"
    );
    assert_eq!(
        conflict["examples"]["version_conflict"]["value"]["error_description"],
        "The order changed since it was read."
    );
    assert!(responses["PaymentDeclined"]["content"]["application/json"]["examples"].is_null());
}

/// A code of a handler's enum that is not in the catalogue fails when the document is made.
#[test]
fn a_code_missing_from_the_catalogue_fails() {
    let mut api = ApiDoc::openapi();
    let err = ErrorResponses::new(&Catalogue::builtin())
        .apply_to_utoipa(&mut api)
        .unwrap_err();
    assert!(
        err.to_string().ends_with("is not in the catalogue"),
        "{err}"
    );
}

/// The sizes of the document for each choice of content types, printed for the record; the
/// error responses are shared, so the document grows with the codes, not the operations.
#[test]
fn the_document_stays_small() {
    for (what, errors) in [
        (
            "JSON, XML, problem details when asked",
            ErrorResponses::new(&catalogue()),
        ),
        (
            "JSON and problem JSON",
            ErrorResponses::new(&catalogue()).xml(false),
        ),
        (
            "JSON only",
            ErrorResponses::new(&catalogue())
                .xml(false)
                .problem_details(tower_api_error::ProblemDetails::Never),
        ),
    ] {
        let errors = errors.error_uri_base(DOCS);
        let mut api = ApiDoc::openapi();
        errors.apply_to_utoipa(&mut api).unwrap();
        let compact = api.to_json().unwrap().len();
        let pretty = api.to_pretty_json().unwrap().len();
        println!("orders app, {what}: {compact} bytes compact, {pretty} pretty");
        // Only the shapes the content types have: no `Problem` without problem details.
        let json = serde_json::to_value(&api).unwrap();
        let schemas = json["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("ApiError"), "{what}");
        assert!(schemas.contains_key("FieldError"), "{what}");
        assert_eq!(
            schemas.contains_key("Problem"),
            what != "JSON only",
            "{what}"
        );
        assert!(compact < 16_000, "{what}: {compact}");
    }
    // For comparison: without error responses, and with the enum's responses as utoipa writes
    // them, before `apply_to_utoipa`.
    let unapplied = ApiDoc::openapi();
    let mut bare = serde_json::to_value(&unapplied).unwrap();
    without_error_responses(&mut bare["paths"]);
    println!(
        "orders app without error responses: {} bytes compact; as utoipa writes the enum's, \
         before apply_to_utoipa: {}",
        serde_json::to_vec(&bare).unwrap().len(),
        unapplied.to_json().unwrap().len()
    );
}

/// Removes every 4xx and 5xx response of the operations of `paths`, a document's `paths`.
fn without_error_responses(paths: &mut Value) {
    for item in paths.as_object_mut().unwrap().values_mut() {
        for operation in item.as_object_mut().unwrap().values_mut() {
            let responses = operation["responses"].as_object_mut().unwrap();
            responses.retain(|status, _| !status.starts_with(['4', '5']));
        }
    }
}

/// The document grows with the codes, not with the operations: the same API with its six
/// operations repeated ten times over (sixty operations, under `/v0` to `/v9`) adds to its error
/// part only each operation's `$ref`s, one per status. Before responses were shared, each
/// operation carried every response inline, about 12 KB per operation of this API.
#[test]
fn the_error_part_grows_with_the_codes_not_the_operations() {
    let errors = ErrorResponses::new(&catalogue()).error_uri_base(DOCS);
    let compact = |api: &utoipa::openapi::OpenApi| api.to_json().unwrap().len();
    // The API's operations, repeated `times` times under `/v<i>`, with unique operation ids;
    // without their error responses when not `with_errors`.
    let repeated = |times: usize, with_errors: bool| {
        let mut api = ApiDoc::openapi();
        let mut paths = serde_json::Map::new();
        for i in 0..times {
            for (path, item) in serde_json::to_value(&api.paths)
                .unwrap()
                .as_object()
                .unwrap()
            {
                let mut item = item.clone();
                for operation in item.as_object_mut().unwrap().values_mut() {
                    let id = operation["operationId"].as_str().unwrap().to_owned();
                    operation["operationId"] = json!(format!("{id}_v{i}"));
                }
                paths.insert(format!("/v{i}{path}"), item);
            }
        }
        let mut paths = Value::Object(paths);
        if !with_errors {
            without_error_responses(&mut paths);
        }
        api.paths = serde_json::from_value(paths).unwrap();
        api
    };
    let error_part = |times: usize| {
        let bare = repeated(times, false);
        let mut api = repeated(times, true);
        errors.apply_to_utoipa(&mut api).unwrap();
        let operations = serde_json::to_value(&api.paths).unwrap();
        let operations = operations.as_object().unwrap();
        assert_eq!(
            operations
                .values()
                .map(|i| i.as_object().unwrap().len())
                .sum::<usize>(),
            6 * times
        );
        // Every operation lists its three error statuses, each a `$ref`.
        for item in operations.values() {
            for operation in item.as_object().unwrap().values() {
                for status in ["402", "404", "409"] {
                    let reference = operation["responses"][status]["$ref"].as_str();
                    assert!(
                        reference.is_some_and(|r| r.starts_with("#/components/responses/")),
                        "{operation}"
                    );
                }
            }
        }
        compact(&api) - compact(&bare)
    };
    let (six, sixty) = (error_part(1), error_part(10));
    let per_operation = (sixty - six) / 54;
    println!(
        "orders app: error part {six} bytes with 6 operations, {sixty} with 60 \
         ({per_operation} bytes per added operation)"
    );
    // Three `$ref`s of about 70 bytes each; an inlined response would be kilobytes.
    assert!(per_operation < 250, "{per_operation} bytes per operation");
}

/// An application schema named as an error body's (`ApiError` here) would take the shared
/// schemas' references: making the document fails, naming it, rather than describing every
/// error with the application's schema.
#[test]
fn an_application_schema_named_as_the_error_body_fails() {
    let mut api = ApiDoc::openapi();
    let own = utoipa::openapi::ObjectBuilder::new()
        .property("message", utoipa::openapi::ObjectBuilder::new())
        .build();
    api.components
        .get_or_insert_with(Default::default)
        .schemas
        .insert("ApiError".to_owned(), own.into());
    let err = ErrorResponses::new(&catalogue())
        .apply_to_utoipa(&mut api)
        .unwrap_err();
    assert_eq!(
        err,
        tower_api_error::openapi::OpenApiError::SchemaNameTaken("ApiError".to_owned())
    );
    assert!(err.to_string().contains("#[schema(as = ...)]"), "{err}");
    // The application's schema is left as it was.
    let json = serde_json::to_value(&api).unwrap();
    assert!(json["components"]["schemas"]["ApiError"]["properties"]["message"].is_object());
}
