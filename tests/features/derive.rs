//! `#[derive(ApiError)]` on an application's error enums: the `ApiError` each variant becomes,
//! `Display`, `source()`, the codes it lists, and the bodies the layer and axum send for it.

use crate::support;
use std::{error::Error as _, time::Duration};

use axum::{body::Body, routing::get, Json, Router};
use bytes::Bytes;
use http::{
    header::{self, RETRY_AFTER},
    Request, Response, StatusCode,
};
use http_body_util::Full;
use support::{error_of, Parsed};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{
    catalogue::{Catalogue, ErrorCodes},
    code, ApiError, ApiErrorLayer, FieldError,
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The errors of an item store, one variant per kind of attribute.
#[derive(Debug, ApiError)]
enum ItemError {
    /// A 4xx interpolating named fields, one with a format spec.
    #[api_error(
        status = 409,
        code = "item_name_taken",
        title = "Item name taken",
        description = "An item named {name:?} already exists in {shop}."
    )]
    NameTaken { name: String, shop: String },

    /// A 4xx interpolating a tuple field, with escaped braces.
    #[api_error(
        status = 404,
        code = "item_not_found",
        description = "No item with id {0}; {{ids}} start at 1."
    )]
    NotFound(u64),

    /// The same code and status again: one entry in `CODES`.
    #[api_error(
        status = 404,
        code = "item_not_found",
        description = "No item named {0}."
    )]
    NotFoundByName(String),

    /// A masked 5xx whose description quotes its source, for the log only.
    #[api_error(
        status = 500,
        code = "item_store_failed",
        description = "Could not write the item store: {0}"
    )]
    Storage(#[from] std::io::Error),

    /// An exposed 5xx with `Retry-After`, documented in other words in the catalogue.
    #[api_error(
        status = 503,
        code = "item_store_maintenance",
        expose,
        description = "The item store is down for maintenance until {until}.",
        docs = "The item store is down for maintenance; try again after `Retry-After` seconds."
    )]
    Maintenance {
        until: &'static str,
        #[retry_after]
        retry_after: Duration,
    },

    /// Field errors, and a description without placeholders.
    #[api_error(
        status = 422,
        code = "item_invalid",
        description = "The item is invalid."
    )]
    Invalid(#[field_errors] Vec<FieldError>),

    /// No description: the status's default; `Retry-After` from a tuple field.
    #[api_error(status = 429, code = "item_rate_limited")]
    RateLimited(#[retry_after] Duration),

    /// Any `ApiError`, as it is.
    #[api_error(transparent)]
    Api(#[from] ApiError),

    /// Another derived enum, as it is.
    #[api_error(transparent)]
    Auth(#[from] AuthError),
}

/// A second derived enum, wrapped by `ItemError::Auth`.
#[derive(Debug, ApiError)]
enum AuthError {
    #[api_error(
        status = 401,
        code = "session_expired",
        description = "The session expired at {at}.",
        docs = "The session has expired; log in again."
    )]
    Expired { at: String },

    /// A masked 5xx with a boxed source and no `From` (two fields).
    #[api_error(
        status = 502,
        code = "identity_provider_failed",
        title = "Identity provider failed",
        description = "Identity provider {host} failed: {source}"
    )]
    Upstream {
        host: String,
        #[source]
        source: BoxError,
    },
}

fn disk_on_fire() -> std::io::Error {
    std::io::Error::other("disk on fire at /var/lib/items")
}

#[test]
fn variants_become_api_errors() {
    let err = ApiError::from(ItemError::NameTaken {
        name: "lamp".into(),
        shop: "Main Street".into(),
    });
    assert_eq!(err.status(), StatusCode::CONFLICT);
    assert_eq!(err.code(), "item_name_taken");
    assert_eq!(err.title(), "Item name taken");
    assert_eq!(
        err.public_description(),
        "An item named \"lamp\" already exists in Main Street."
    );
    assert!(err.source().is_none());

    let err = ApiError::from(ItemError::NotFound(42));
    assert_eq!(err.status(), StatusCode::NOT_FOUND);
    assert_eq!(err.title(), "Not Found");
    assert_eq!(
        err.public_description(),
        "No item with id 42; {ids} start at 1."
    );

    let err = ApiError::from(ItemError::Invalid(vec![
        FieldError::new("name", "must not be empty"),
        FieldError::new("price", "must be positive"),
    ]));
    assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.public_description(), "The item is invalid.");
    assert_eq!(
        err.field_errors(),
        [
            FieldError::new("name", "must not be empty"),
            FieldError::new("price", "must be positive"),
        ]
    );

    let err = ApiError::from(ItemError::RateLimited(Duration::from_millis(2500)));
    assert_eq!(err.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(err.code(), "item_rate_limited");
    assert_eq!(
        err.public_description(),
        code::status_description(StatusCode::TOO_MANY_REQUESTS)
    );
    assert_eq!(err.headers()[RETRY_AFTER], "3");
}

#[test]
fn a_masked_server_error_keeps_its_description_and_source_for_the_log() {
    // `#[from]` gives `?` on an `io::Error` in a function returning `ItemError`.
    fn save() -> Result<(), ItemError> {
        Err(disk_on_fire())?;
        Ok(())
    }
    let item_err = save().unwrap_err();
    assert!(matches!(item_err, ItemError::Storage(_)));
    assert_eq!(
        item_err.to_string(),
        "Could not write the item store: disk on fire at /var/lib/items"
    );
    let source = item_err.source().expect("the enum's source");
    assert!(source.is::<std::io::Error>());
    assert_eq!(source.to_string(), "disk on fire at /var/lib/items");

    let err = ApiError::from(item_err);
    assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(err.code(), "item_store_failed");
    assert_eq!(
        err.description(),
        "Could not write the item store: disk on fire at /var/lib/items"
    );
    assert_eq!(
        err.public_description(),
        code::status_description(StatusCode::INTERNAL_SERVER_ERROR)
    );
    let source = err.source().expect("the ApiError's source");
    assert!(source.is::<std::io::Error>());
    assert_eq!(source.to_string(), "disk on fire at /var/lib/items");

    // A boxed source (`dyn Error` is no `Error` type itself) is kept too.
    let auth = AuthError::Upstream {
        host: "idp.internal:8443".into(),
        source: "connection refused".into(),
    };
    assert_eq!(auth.source().unwrap().to_string(), "connection refused");
    let err = ApiError::from(auth);
    assert_eq!(err.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(err.title(), "Identity provider failed");
    assert_eq!(
        err.description(),
        "Identity provider idp.internal:8443 failed: connection refused"
    );
    assert_eq!(
        err.public_description(),
        code::status_description(StatusCode::BAD_GATEWAY)
    );
    assert_eq!(err.source().unwrap().to_string(), "connection refused");
}

#[test]
fn an_exposed_server_error_sends_its_description() {
    let err = ApiError::from(ItemError::Maintenance {
        until: "14:00 UTC",
        retry_after: Duration::from_secs(600),
    });
    assert_eq!(err.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        err.public_description(),
        "The item store is down for maintenance until 14:00 UTC."
    );
    assert_eq!(err.headers()[RETRY_AFTER], "600");
}

#[test]
fn transparent_variants_are_the_error_they_wrap() {
    let err = ApiError::from(ItemError::from(ApiError::new(
        StatusCode::GONE,
        code::GONE,
        "The item was deleted.",
    )));
    assert_eq!(err.status(), StatusCode::GONE);
    assert_eq!(err.code(), "gone");
    assert_eq!(err.public_description(), "The item was deleted.");

    let wrapped = ItemError::from(ApiError::internal_server_error("").with_source(disk_on_fire()));
    assert_eq!(wrapped.to_string(), "internal_server_error: An unexpected error occurred and it was not possible to complete the request.");
    // `source()` is the wrapped error's source, not the wrapped error.
    assert_eq!(
        wrapped.source().unwrap().to_string(),
        "disk on fire at /var/lib/items"
    );

    let wrapped = ItemError::from(AuthError::Expired { at: "09:30".into() });
    assert_eq!(wrapped.to_string(), "The session expired at 09:30.");
    assert!(wrapped.source().is_none());
    let err = ApiError::from(wrapped);
    assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(err.code(), "session_expired");
    assert_eq!(err.public_description(), "The session expired at 09:30.");

    let wrapped = ItemError::Auth(AuthError::Upstream {
        host: "idp".into(),
        source: "refused".into(),
    });
    assert_eq!(wrapped.source().unwrap().to_string(), "refused");
    assert_eq!(ApiError::from(wrapped).code(), "identity_provider_failed");
}

#[test]
fn display_is_the_interpolated_description() {
    let cases = [
        (
            ItemError::NameTaken {
                name: "lamp".into(),
                shop: "Main Street".into(),
            },
            "An item named \"lamp\" already exists in Main Street.",
        ),
        (
            ItemError::NotFound(7),
            "No item with id 7; {ids} start at 1.",
        ),
        (
            ItemError::NotFoundByName("lamp".into()),
            "No item named lamp.",
        ),
        (ItemError::Invalid(Vec::new()), "The item is invalid."),
        (
            ItemError::RateLimited(Duration::ZERO),
            code::status_description(StatusCode::TOO_MANY_REQUESTS),
        ),
    ];
    for (err, display) in cases {
        assert_eq!(err.to_string(), display);
        // Display is what the `ApiError` describes itself with.
        assert_eq!(ApiError::from(err).description(), display);
    }
}

#[test]
fn codes_are_listed_once_in_declaration_order() {
    let listed: Vec<(&str, u16, &str, &str)> = ItemError::CODES
        .iter()
        .map(|e| (e.code(), e.status().as_u16(), e.title(), e.description()))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "item_name_taken",
                409,
                "Item name taken",
                "An item named {name:?} already exists in {shop}."
            ),
            (
                "item_not_found",
                404,
                "Not Found",
                "No item with id {0}; {{ids}} start at 1."
            ),
            // Masked: what clients get.
            (
                "item_store_failed",
                500,
                "Internal Server Error",
                code::status_description(StatusCode::INTERNAL_SERVER_ERROR)
            ),
            (
                "item_store_maintenance",
                503,
                "Service Unavailable",
                "The item store is down for maintenance; try again after `Retry-After` seconds."
            ),
            (
                "item_invalid",
                422,
                "Unprocessable Entity",
                "The item is invalid."
            ),
            (
                "item_rate_limited",
                429,
                "Too Many Requests",
                code::status_description(StatusCode::TOO_MANY_REQUESTS)
            ),
        ]
    );
    assert!(ItemError::CODES.iter().all(|e| e.uri().is_none()));

    let listed: Vec<(&str, &str, &str)> = AuthError::CODES
        .iter()
        .map(|e| (e.code(), e.title(), e.description()))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "session_expired",
                "Unauthorized",
                "The session has expired; log in again."
            ),
            (
                "identity_provider_failed",
                "Identity provider failed",
                code::status_description(StatusCode::BAD_GATEWAY)
            ),
        ]
    );
}

#[test]
fn a_catalogue_takes_the_codes() {
    let catalogue = Catalogue::builtin()
        .with::<ItemError>()
        .unwrap()
        .with::<AuthError>()
        .unwrap();
    let builtin = code::all().len();
    assert_eq!(catalogue.entries().len(), builtin + 6 + 2);
    assert_eq!(&catalogue.entries()[builtin..builtin + 6], ItemError::CODES);
    assert_eq!(&catalogue.entries()[builtin + 6..], AuthError::CODES);
    let taken = catalogue.get("item_name_taken").unwrap();
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert_eq!(taken.title(), "Item name taken");
    // Adding the same codes again changes nothing.
    assert_eq!(catalogue.clone().with::<ItemError>().unwrap(), catalogue);
}

/// Every variant, and the body the client gets for it: status, code, description, field errors.
fn cases() -> Vec<(ItemError, StatusCode, Parsed, Option<&'static str>)> {
    let parsed = |code: &str, description: &str, field_errors: &[(&str, &str)]| Parsed {
        error: code.into(),
        error_description: description.into(),
        error_uri: None,
        field_errors: field_errors
            .iter()
            .map(|(f, m)| (f.to_string(), m.to_string()))
            .collect(),
    };
    vec![
        (
            ItemError::NameTaken {
                name: "<lamp> & \"shade\"".into(),
                shop: "Main Street".into(),
            },
            StatusCode::CONFLICT,
            parsed(
                "item_name_taken",
                r#"An item named "<lamp> & \"shade\"" already exists in Main Street."#,
                &[],
            ),
            None,
        ),
        (
            ItemError::NotFound(42),
            StatusCode::NOT_FOUND,
            parsed(
                "item_not_found",
                "No item with id 42; {ids} start at 1.",
                &[],
            ),
            None,
        ),
        (
            ItemError::Storage(disk_on_fire()),
            StatusCode::INTERNAL_SERVER_ERROR,
            parsed(
                "item_store_failed",
                code::status_description(StatusCode::INTERNAL_SERVER_ERROR),
                &[],
            ),
            None,
        ),
        (
            ItemError::Maintenance {
                until: "14:00 UTC",
                retry_after: Duration::from_secs(600),
            },
            StatusCode::SERVICE_UNAVAILABLE,
            parsed(
                "item_store_maintenance",
                "The item store is down for maintenance until 14:00 UTC.",
                &[],
            ),
            Some("600"),
        ),
        (
            ItemError::Invalid(vec![FieldError::new("name", "must not be empty")]),
            StatusCode::UNPROCESSABLE_ENTITY,
            parsed(
                "item_invalid",
                "The item is invalid.",
                &[("name", "must not be empty")],
            ),
            None,
        ),
        (
            ItemError::RateLimited(Duration::from_secs(30)),
            StatusCode::TOO_MANY_REQUESTS,
            parsed(
                "item_rate_limited",
                code::status_description(StatusCode::TOO_MANY_REQUESTS),
                &[],
            ),
            Some("30"),
        ),
        (
            ItemError::Api(ApiError::new(
                StatusCode::GONE,
                code::GONE,
                "The item was deleted.",
            )),
            StatusCode::GONE,
            parsed("gone", "The item was deleted.", &[]),
            None,
        ),
        (
            ItemError::Auth(AuthError::Upstream {
                host: "idp.internal:8443".into(),
                source: "connection refused".into(),
            }),
            StatusCode::BAD_GATEWAY,
            parsed(
                "identity_provider_failed",
                code::status_description(StatusCode::BAD_GATEWAY),
                &[],
            ),
            None,
        ),
    ]
}

/// Internal text of the cases that must never reach a client.
const SECRETS: [&str; 3] = ["disk on fire", "idp.internal", "connection refused"];

fn assert_no_secrets(body: &Parsed) {
    for secret in SECRETS {
        assert!(
            !body.error_description.contains(secret),
            "{secret:?} leaked: {body:?}"
        );
    }
}

#[tokio::test]
async fn the_layer_renders_every_variant_in_json_and_xml() {
    for accept in ["application/json", "application/xml"] {
        for (err, status, expected, retry_after) in cases() {
            // The handler returns the enum; the layer converts it.
            let err = std::sync::Mutex::new(Some(err));
            let service = ServiceBuilder::new()
                .layer(ApiErrorLayer::new())
                .service_fn(move |_: Request<Full<Bytes>>| {
                    let err = err.lock().unwrap().take().unwrap();
                    async move { Err::<Response<Full<Bytes>>, ItemError>(err) }
                });
            let request = Request::get("/items")
                .header(header::ACCEPT, accept)
                .body(Full::default())
                .unwrap();
            let (got_status, headers, body) = error_of(service, request).await;
            assert_eq!(got_status, status, "{accept} {expected:?}");
            assert!(headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(accept));
            assert_eq!(body, expected, "{accept}");
            assert_eq!(
                headers.get(RETRY_AFTER).map(|v| v.to_str().unwrap()),
                retry_after
            );
            assert_no_secrets(&body);
        }
    }
}

#[tokio::test]
async fn axum_handlers_return_the_enum() {
    async fn create(Json(name): Json<String>) -> Result<Json<u64>, ItemError> {
        match name.as_str() {
            "lamp" => Err(ItemError::NameTaken {
                name,
                shop: "Main Street".into(),
            }),
            "disk" => Err(disk_on_fire())?,
            _ => Ok(Json(1)),
        }
    }
    let routes = || Router::new().route("/items", get(|| async { "items" }).post(create));
    let request = |name: &str, accept: &str| {
        Request::post("/items")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, accept)
            .body(Body::from(format!("{name:?}")))
            .unwrap()
    };

    // Without the layer: `IntoResponse` of the enum, always JSON.
    let response = routes()
        .oneshot(request("lamp", "application/xml"))
        .await
        .unwrap();
    let (status, _, body) = support::read_error_without_layer(response).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body.error, "item_name_taken");
    assert_eq!(
        body.error_description,
        "An item named \"lamp\" already exists in Main Street."
    );

    // With the layer: the negotiated format.
    let app = routes().layer(ApiErrorLayer::new());
    for accept in ["application/json", "application/xml"] {
        let (status, headers, body) = error_of(app.clone(), request("lamp", accept)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(accept));
        assert_eq!(body.error, "item_name_taken");

        let (status, _, body) = error_of(app.clone(), request("disk", accept)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body.error, "item_store_failed");
        assert_no_secrets(&body);
    }
}

/// Variants with their texts in other languages: `lang("tag", ..)`.
#[derive(Debug, ApiError)]
enum LocalisedError {
    /// Two languages, placeholders in each, a title and docs.
    #[api_error(
        status = 409,
        code = "item_name_taken",
        title = "Item name taken",
        description = "An item named {name:?} already exists.",
        lang(
            "pt-BR",
            title = "Nome de item em uso",
            description = "Já existe um item chamado {name:?}."
        ),
        lang(
            "es",
            description = "Ya existe un artículo llamado {name}.",
            docs = "Otro artículo ya tiene este nombre."
        )
    )]
    NameTaken { name: String },

    /// A translated description that names a field the English one does not.
    #[api_error(status = 404, code = "item_not_found", description = "No such item.")]
    #[api_error(lang("pt-BR", description = "Nenhum item com id {0}."))]
    NotFound(u64),

    /// A masked 5xx: the translation only reaches the log, the page shows what clients get.
    #[api_error(
        status = 502,
        code = "item_store_unreachable",
        description = "Item store at {host} did not answer.",
        lang(
            "pt-BR",
            title = "Estoque inacessível",
            description = "O estoque em {host} não respondeu."
        )
    )]
    StoreUnreachable { host: String },

    /// No description in any language, a title only.
    #[api_error(
        status = 410,
        code = "item_gone",
        lang("pt-BR", title = "Item removido")
    )]
    Gone,
}

#[test]
fn lang_attributes_give_the_texts_of_each_language() {
    let err = ApiError::from(LocalisedError::NameTaken {
        name: "lamp".into(),
    });
    assert_eq!(err.description(), "An item named \"lamp\" already exists.");
    assert_eq!(
        err.description_in("pt-BR"),
        Some("Já existe um item chamado \"lamp\".")
    );
    assert_eq!(err.title_in("pt-br"), Some("Nome de item em uso"));
    assert_eq!(
        err.description_in("es"),
        Some("Ya existe un artículo llamado lamp.")
    );
    assert_eq!(err.title_in("es"), None);
    assert_eq!(err.description_in("fr"), None);

    let err = ApiError::from(LocalisedError::NotFound(42));
    assert_eq!(err.description(), "No such item.");
    assert_eq!(err.description_in("pt-BR"), Some("Nenhum item com id 42."));
    // `Display` is the description in the default language.
    assert_eq!(LocalisedError::NotFound(42).to_string(), "No such item.");

    // A masked 5xx keeps its description in every language, for the log; the client gets the
    // status's default one.
    let err = ApiError::from(LocalisedError::StoreUnreachable {
        host: "10.0.0.7".into(),
    });
    assert_eq!(
        err.description_in("pt-BR"),
        Some("O estoque em 10.0.0.7 não respondeu.")
    );
    assert_eq!(
        err.public_description(),
        code::status_description(StatusCode::BAD_GATEWAY)
    );
    assert_eq!(err.title_in("pt-BR"), Some("Estoque inacessível"));

    let err = ApiError::from(LocalisedError::Gone);
    assert_eq!(err.description_in("pt-BR"), None);
    assert_eq!(err.title_in("pt-BR"), Some("Item removido"));
}

#[test]
fn lang_attributes_give_the_translations_of_the_codes() {
    let [taken, not_found, store, gone] = LocalisedError::CODES else {
        panic!("four codes: {:?}", LocalisedError::CODES)
    };
    let langs = |entry: &code::Entry| -> Vec<&str> {
        entry.translations().iter().map(|t| t.lang()).collect()
    };
    assert_eq!(langs(taken), ["pt-BR", "es"]);
    // The description as written, placeholders kept, or the language's docs.
    assert_eq!(taken.title_in("pt-BR"), "Nome de item em uso");
    assert_eq!(
        taken.description_in("pt-BR"),
        "Já existe um item chamado {name:?}."
    );
    assert_eq!(
        taken.description_in("es"),
        "Otro artículo ya tiene este nombre."
    );
    assert_eq!(taken.title_in("es"), "Item name taken");
    assert_eq!(
        taken.description_in("fr"),
        "An item named {name:?} already exists."
    );

    assert_eq!(not_found.description_in("pt-BR"), "Nenhum item com id {0}.");
    assert_eq!(not_found.title_in("pt-BR"), "Not Found");

    // A masked 5xx shows what clients get, in the language: the crate's pt-BR text of 502.
    assert_eq!(
        store.description_in("pt-BR"),
        "O servidor teve problemas para acessar um serviço do qual depende. Por favor, tente a \
         requisição novamente."
    );
    assert_eq!(store.title_in("pt-BR"), "Estoque inacessível");
    assert_eq!(
        store.description(),
        code::status_description(StatusCode::BAD_GATEWAY)
    );

    // No description anywhere: the status's default one in the language.
    assert_eq!(
        gone.description_in("pt-BR"),
        "O recurso solicitado não está mais disponível."
    );
    assert_eq!(gone.title_in("pt-BR"), "Item removido");

    // An enum without `lang(..)` declares no translation.
    assert!(ItemError::CODES.iter().all(|e| e.translations().is_empty()));
}
