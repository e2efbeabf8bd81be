//! Errors in the client's language: which text each source gives, in the four shapes, with
//! `Content-Language` and `Vary`, parsed back with serde_json and roxmltree.

use std::borrow::Cow;

use bytes::Bytes;
use http::{header, HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{
    language::{LanguageTag, Languages, Translate},
    testing::ErrorResponse,
    ApiError, ApiErrorLayer, FieldError,
};

const EN: LanguageTag = LanguageTag::from_static("en");
const PT_BR: LanguageTag = LanguageTag::from_static("pt-BR");
const SHAPES: [&str; 4] = [
    "application/json",
    "application/xml",
    "application/problem+json",
    "application/problem+xml",
];

fn en_pt() -> Languages {
    Languages::new(EN).with(PT_BR)
}

/// The response `layer` gives a `GET` with these headers when the handler fails with `make()`.
async fn answer(
    layer: ApiErrorLayer,
    make: impl Fn() -> ApiError + Clone + Send + 'static,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, HeaderMap, Bytes) {
    let service = ServiceBuilder::new()
        .layer(layer)
        .service_fn(move |_: Request<Full<Bytes>>| {
            let err = make();
            async move { Err::<Response<Full<Bytes>>, _>(err) }
        });
    let mut request = Request::get("/items/42");
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = service
        .oneshot(request.body(Full::default()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, body)
}

/// [`answer`] parsed, in the shape `accept` asks for.
async fn read(
    layer: ApiErrorLayer,
    make: impl Fn() -> ApiError + Clone + Send + 'static,
    accept: &str,
    accept_language: Option<&str>,
) -> (HeaderMap, ErrorResponse) {
    let mut headers = vec![(header::ACCEPT, accept)];
    if let Some(value) = accept_language {
        headers.push((header::ACCEPT_LANGUAGE, value));
    }
    let (status, headers, body) = answer(layer, make, &headers).await;
    let parsed = crate::support::error_response(status, &headers, &body);
    (headers, parsed)
}

/// The built-in code table's entry of `code`.
fn builtin(code: &str) -> tower_api_error::code::Entry {
    tower_api_error::code::all()
        .find(|entry| entry.code() == code)
        .unwrap_or_else(|| panic!("{code} is not a built-in code"))
}

/// The field names of every `Vary` line, in order.
fn vary(headers: &HeaderMap) -> Vec<&str> {
    headers
        .get_all(header::VARY)
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .map(str::trim)
        .collect()
}

#[tokio::test]
async fn a_description_given_per_language_is_sent_in_the_chosen_one_in_every_shape() {
    let make = || {
        ApiError::not_found("No item with id 42.")
            .with_description_in(PT_BR, "Nenhum item com id 42.")
            .with_title("Item missing")
            .with_title_in(PT_BR, "Item ausente")
    };
    for accept in SHAPES {
        let layer = ApiErrorLayer::new().languages(en_pt());
        let (headers, body) = read(layer.clone(), make, accept, Some("pt-BR")).await;
        assert_eq!(body.description(), "Nenhum item com id 42.", "{accept}");
        assert_eq!(headers[header::CONTENT_LANGUAGE], "pt-BR", "{accept}");
        assert_eq!(vary(&headers), ["Accept", "Accept-Language"], "{accept}");
        if body.is_problem() {
            assert_eq!(body.title(), Some("Item ausente"), "{accept}");
        }

        let (headers, body) = read(layer.clone(), make, accept, Some("en, pt;q=0.5")).await;
        assert_eq!(body.description(), "No item with id 42.", "{accept}");
        assert_eq!(headers[header::CONTENT_LANGUAGE], "en", "{accept}");
        if body.is_problem() {
            assert_eq!(body.title(), Some("Item missing"), "{accept}");
        }

        // No Accept-Language: the default language, still with both headers.
        let (headers, body) = read(layer, make, accept, None).await;
        assert_eq!(body.description(), "No item with id 42.", "{accept}");
        assert_eq!(headers[header::CONTENT_LANGUAGE], "en", "{accept}");
        assert_eq!(vary(&headers), ["Accept", "Accept-Language"], "{accept}");
    }
}

#[tokio::test]
async fn a_text_the_handler_wrote_once_is_sent_as_written_and_named_in_the_default_language() {
    let layer = ApiErrorLayer::new().languages(en_pt());
    let make = || ApiError::not_found("No item with id 42.");
    let (headers, body) = read(layer, make, "application/json", Some("pt-BR")).await;
    assert_eq!(body.description(), "No item with id 42.");
    assert_eq!(headers[header::CONTENT_LANGUAGE], "en");
}

#[tokio::test]
async fn without_languages_nothing_changes() {
    let make = || {
        ApiError::not_found("No item with id 42.")
            .with_description_in(PT_BR, "Nenhum item com id 42.")
    };
    for layer in [
        ApiErrorLayer::new(),
        // One language: nothing to choose, nothing to name.
        ApiErrorLayer::new().languages(Languages::new(EN)),
    ] {
        let (headers, body) = read(layer, make, "application/json", Some("pt-BR")).await;
        assert_eq!(body.description(), "No item with id 42.");
        assert!(headers.get(header::CONTENT_LANGUAGE).is_none());
        assert_eq!(vary(&headers), ["Accept"]);
    }
}

#[tokio::test]
async fn an_app_in_one_other_language_sends_its_texts_in_it_without_the_headers() {
    let layer = ApiErrorLayer::new().languages(Languages::new(PT_BR));
    let make = || ApiError::from_status(StatusCode::NOT_FOUND);
    let (headers, body) = read(layer, make, "application/json", None).await;
    let builtin = builtin("not_found");
    assert_eq!(body.description(), builtin.description_in("pt-BR"));
    assert_ne!(body.description(), builtin.description());
    assert!(headers.get(header::CONTENT_LANGUAGE).is_none());
}

#[tokio::test]
async fn default_descriptions_and_titles_of_the_built_in_codes_are_translated() {
    let layer = ApiErrorLayer::new().languages(en_pt());
    for entry in tower_api_error::code::all() {
        let make = move || ApiError::from_status(entry.status());
        for accept in ["application/problem+json", "application/problem+xml"] {
            let (headers, body) = read(layer.clone(), make, accept, Some("pt")).await;
            let expected = ApiError::from_status(entry.status());
            let builtin = builtin(expected.code());
            assert_eq!(
                body.description(),
                builtin.description_in("pt-BR"),
                "{}",
                entry.code()
            );
            assert_eq!(
                body.title(),
                Some(builtin.title_in("pt-BR")),
                "{}",
                entry.code()
            );
            assert_eq!(
                headers[header::CONTENT_LANGUAGE],
                "pt-BR",
                "{}",
                entry.code()
            );
        }
    }
}

#[tokio::test]
async fn a_masked_server_error_never_sends_its_own_text_in_any_language() {
    let layer = ApiErrorLayer::new().languages(en_pt());
    let make = || {
        ApiError::internal_server_error("pg: connection refused")
            .with_description_in(PT_BR, "pg: conexão recusada")
    };
    for accept in SHAPES {
        let (headers, body) = read(layer.clone(), make, accept, Some("pt-BR")).await;
        assert!(
            !body.description().contains("pg"),
            "{accept}: {}",
            body.description()
        );
        let builtin = builtin("internal_server_error");
        assert_eq!(
            body.description(),
            builtin.description_in("pt-BR"),
            "{accept}"
        );
        assert_eq!(headers[header::CONTENT_LANGUAGE], "pt-BR", "{accept}");
    }
}

#[tokio::test]
async fn field_error_messages_are_sent_in_the_chosen_language() {
    let layer = ApiErrorLayer::new().languages(en_pt());
    let make = || {
        ApiError::unprocessable_entity("The item is invalid.")
            .with_description_in(PT_BR, "O item é inválido.")
            .with_field_errors([
                FieldError::new("name", "must not be empty")
                    .with_code("length")
                    .with_message_in(PT_BR, "não pode estar vazio"),
                FieldError::new("price", "must be <positive> & \"real\""),
            ])
    };
    for accept in SHAPES {
        let (_, body) = read(layer.clone(), make, accept, Some("pt-BR")).await;
        let messages: Vec<_> = body.field_errors().iter().map(|e| e.message()).collect();
        assert_eq!(
            messages,
            ["não pode estar vazio", "must be <positive> & \"real\""],
            "{accept}"
        );
        assert_eq!(body.field_errors()[0].code(), Some("length"), "{accept}");
        let (_, body) = read(layer.clone(), make, accept, Some("en")).await;
        assert_eq!(
            body.field_errors()[0].message(),
            "must not be empty",
            "{accept}"
        );
    }
}

/// Stands for a Fluent bundle: German texts by code, field messages by rule.
struct German;

impl Translate for German {
    fn description<'a>(&'a self, lang: &LanguageTag, err: &'a ApiError) -> Option<Cow<'a, str>> {
        (lang.is("de") && err.code() == "not_found").then(|| {
            let id = err.members().first().map(|m| format!("{:?}", m.value()));
            Cow::Owned(format!("Nicht gefunden: {}.", id.unwrap_or_default()))
        })
    }

    fn title<'a>(&'a self, lang: &LanguageTag, _: &'a ApiError) -> Option<Cow<'a, str>> {
        lang.is("de").then_some(Cow::Borrowed("Nicht gefunden"))
    }

    fn field_message<'a>(
        &'a self,
        lang: &LanguageTag,
        error: &'a FieldError,
    ) -> Option<Cow<'a, str>> {
        (lang.is("de") && error.code() == Some("length")).then_some(Cow::Borrowed("zu lang"))
    }
}

#[tokio::test]
async fn a_translator_fills_what_the_error_does_not_give_itself() {
    let languages = Languages::new(EN)
        .with(LanguageTag::from_static("de"))
        .translator(German);
    let layer = ApiErrorLayer::new().languages(languages);
    let make = || {
        ApiError::not_found("No item with id 42.")
            .with_field_errors([FieldError::new("name", "too long").with_code("length")])
    };
    let (headers, body) = read(
        layer.clone(),
        make,
        "application/problem+json",
        Some("de-AT"),
    )
    .await;
    assert!(
        body.description().starts_with("Nicht gefunden"),
        "{}",
        body.description()
    );
    assert_eq!(body.title(), Some("Nicht gefunden"));
    assert_eq!(body.field_errors()[0].message(), "zu lang");
    assert_eq!(headers[header::CONTENT_LANGUAGE], "de");

    // The error's own text in the language comes first.
    let own = || {
        ApiError::not_found("No item with id 42.")
            .with_description_in(LanguageTag::from_static("de"), "Kein Artikel 42.")
    };
    let (_, body) = read(layer, own, "application/json", Some("de")).await;
    assert_eq!(body.description(), "Kein Artikel 42.");
}

#[tokio::test]
async fn a_hostile_accept_language_gets_the_default_language() {
    let layer = ApiErrorLayer::new().languages(en_pt());
    let make = || {
        ApiError::not_found("No item with id 42.")
            .with_description_in(PT_BR, "Nenhum item com id 42.")
    };
    let long_tag = format!("{}-BR", "p".repeat(200));
    let many = vec!["xx-YY;q=0.5"; 1000].join(",");
    let huge = format!("{}, fr", "a".repeat(10 * 1024));
    for value in [
        long_tag.as_str(),
        many.as_str(),
        huge.as_str(),
        ";;;,,,q=",
        "é-pt, pt_BR",
    ] {
        let (headers, body) = read(layer.clone(), make, "application/json", Some(value)).await;
        assert_eq!(body.description(), "No item with id 42.", "{value:.40}");
        assert_eq!(headers[header::CONTENT_LANGUAGE], "en");
    }
}

#[tokio::test]
async fn several_accept_language_lines_count_as_one_list() {
    let layer = ApiErrorLayer::new().languages(en_pt());
    let make = || {
        ApiError::not_found("No item with id 42.")
            .with_description_in(PT_BR, "Nenhum item com id 42.")
    };
    let headers = [
        (header::ACCEPT, "application/json"),
        (header::ACCEPT_LANGUAGE, "fr;q=0.9"),
        (header::ACCEPT_LANGUAGE, "pt-BR"),
    ];
    let (status, headers, body) = answer(layer, make, &headers).await;
    let body = crate::support::error_response(status, &headers, &body);
    assert_eq!(body.description(), "Nenhum item com id 42.");
}

#[tokio::test]
async fn nested_layers_answer_in_the_language_the_first_layer_with_languages_chose() {
    let make = || {
        ApiError::not_found("No item with id 42.")
            .with_description_in(PT_BR, "Nenhum item com id 42.")
    };
    for (inner, outer) in [
        (
            ApiErrorLayer::new().languages(en_pt()),
            ApiErrorLayer::new(),
        ),
        (
            ApiErrorLayer::new(),
            ApiErrorLayer::new().languages(en_pt()),
        ),
    ] {
        let service = ServiceBuilder::new().layer(outer).layer(inner).service_fn(
            move |_: Request<Full<Bytes>>| {
                let err = make();
                async move { Err::<Response<Full<Bytes>>, _>(err) }
            },
        );
        let request = Request::get("/")
            .header(header::ACCEPT, "application/xml")
            .header(header::ACCEPT_LANGUAGE, "pt-BR")
            .body(Full::default())
            .unwrap();
        let (parts, body) = service.oneshot(request).await.unwrap().into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        let parsed = crate::support::error_response(parts.status, &parts.headers, &body);
        assert_eq!(parsed.description(), "Nenhum item com id 42.");
        assert_eq!(parts.headers[header::CONTENT_LANGUAGE], "pt-BR");
        assert_eq!(vary(&parts.headers), ["Accept", "Accept-Language"]);
    }
}

#[tokio::test]
async fn axum_rejections_and_rewritten_errors_get_the_code_s_text_in_another_language() {
    use axum::{routing::post, Json, Router};
    let app = Router::new()
        .route(
            "/items",
            post(|Json(item): Json<serde_json::Value>| async move { Json(item) }),
        )
        .layer(ApiErrorLayer::new().languages(en_pt()));
    let cases = [
        // axum's `JsonRejection`, converted with `From` by the handler's extractor.
        (
            "POST",
            "/items",
            "{",
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        // axum's own plain-text answers, rewritten by the layer.
        ("GET", "/items", "", "", StatusCode::METHOD_NOT_ALLOWED),
        ("GET", "/nowhere", "", "", StatusCode::NOT_FOUND),
        (
            "POST",
            "/items",
            "{}",
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (method, path, body, content_type, status) in cases {
        for (language, expected_language) in [("pt-BR", "pt-BR"), ("en", "en")] {
            let mut request = Request::builder()
                .method(method)
                .uri(path)
                .header(header::ACCEPT_LANGUAGE, language);
            if !content_type.is_empty() {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            let request = request.body(axum::body::Body::from(body)).unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            let (parts, body) = response.into_parts();
            let body = body.collect().await.unwrap().to_bytes();
            assert_eq!(parts.status, status, "{method} {path}");
            let parsed = crate::support::error_response(parts.status, &parts.headers, &body);
            let entry = builtin(parsed.code());
            assert_eq!(
                parts.headers[header::CONTENT_LANGUAGE],
                expected_language,
                "{method} {path}"
            );
            if language == "pt-BR" {
                assert_eq!(
                    parsed.description(),
                    entry.description_in("pt-BR"),
                    "{method} {path}"
                );
            } else {
                // In the default language, axum's own words, which say more.
                assert_ne!(parsed.description(), "", "{method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn the_layer_s_own_406s_are_sent_in_the_chosen_language() {
    use tower_api_error::ProblemDetails;
    // A request that accepts none of the layer's formats, under each problem-details setting:
    // the 406 names the same media types in Portuguese as in English.
    for problem_details in [
        ProblemDetails::Never,
        ProblemDetails::WhenAsked,
        ProblemDetails::Always,
    ] {
        let mut texts = Vec::new();
        for language in ["pt-BR", "en"] {
            let layer = ApiErrorLayer::new()
                .problem_details(problem_details)
                .languages(en_pt());
            let headers = [
                (header::ACCEPT, "text/html"),
                (header::ACCEPT_LANGUAGE, language),
            ];
            let (status, headers, body) =
                answer(layer, || ApiError::not_found("x"), &headers).await;
            assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
            assert_eq!(headers[header::CONTENT_LANGUAGE], language);
            assert_eq!(vary(&headers), ["Accept", "Accept-Language"]);
            let parsed = crate::support::error_response(status, &headers, &body);
            assert_eq!(parsed.code(), "not_acceptable");
            texts.push(parsed.description().to_owned());
        }
        let media = |text: &str| -> Vec<String> {
            let mut types: Vec<String> = text
                .split([' ', ',', '.'])
                .filter(|word| word.starts_with("application/"))
                .map(str::to_owned)
                .collect();
            types.sort();
            types
        };
        assert!(
            texts[0].starts_with("O recurso só pode ser representado"),
            "{}",
            texts[0]
        );
        assert!(
            texts[1].starts_with("The resource can only be represented"),
            "{}",
            texts[1]
        );
        assert_eq!(media(&texts[0]), media(&texts[1]), "{problem_details:?}");
    }

    // A content coding the client refuses: tower-http's compression inside the layer.
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new().wrap_body().languages(en_pt()))
        .layer(tower_http::compression::CompressionLayer::new())
        .service_fn(|_: Request<Full<Bytes>>| async {
            Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from_static(
                b"the resource's own text",
            ))))
        });
    let request = Request::get("/text")
        .header(header::ACCEPT, "application/json")
        .header(header::ACCEPT_ENCODING, "identity;q=0")
        .header(header::ACCEPT_LANGUAGE, "pt-BR")
        .body(Full::default())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    assert_eq!(parts.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(parts.headers[header::CONTENT_LANGUAGE], "pt-BR");
    let parsed = crate::support::error_response(parts.status, &parts.headers, &body);
    assert_eq!(parsed.code(), "not_acceptable");
    assert!(
        parsed
            .description()
            .starts_with("Nenhuma codificação de conteúdo aceitável"),
        "{}",
        parsed.description()
    );
}

#[tokio::test]
async fn a_timeout_is_described_in_the_chosen_language() {
    let make = || {
        let elapsed: tower::BoxError = Box::new(tower::timeout::error::Elapsed::new());
        ApiError::from(elapsed)
    };
    let gateway_timeout = builtin("gateway_timeout");
    for accept in SHAPES {
        let (headers, parsed) = read(
            ApiErrorLayer::new().languages(en_pt()),
            make,
            accept,
            Some("pt-BR"),
        )
        .await;
        assert_eq!(parsed.code(), "gateway_timeout", "{accept}");
        assert_eq!(headers[header::CONTENT_LANGUAGE], "pt-BR", "{accept}");
        assert_eq!(
            parsed.description(),
            gateway_timeout.description_in("pt-BR"),
            "{accept}"
        );
    }
}
