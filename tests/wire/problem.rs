//! RFC 9457 problem details beside the seed shape: the same error in both shapes and both
//! formats, read back with the crate's own parser (and roxmltree), headers unchanged, and which
//! shape each `Accept` gets.

use crate::support;
use std::time::Duration;

use bytes::Bytes;
use http::{header, HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use proptest::prelude::*;
use support::error_body::{ParsedError, PROBLEM_NAMESPACE};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{ApiError, ApiErrorLayer, ProblemDetails};

const DOCS: &str = "https://docs.example.com/errors";

/// Every code of the seed documents, with the error its constructor makes.
fn seed_errors() -> Vec<ApiError> {
    vec![
        ApiError::invalid_token("The signature does not match."),
        ApiError::token_expired(""),
        ApiError::unauthorized(""),
        ApiError::unauthorized_client("Read-only key."),
        ApiError::invalid_parameter("The parameter 'limit' is invalid."),
        ApiError::invalid_value_parameter("'limit' must be between 1 and 100."),
        ApiError::invalid_value_headers("'X-Request-Id' must be a UUID."),
        ApiError::not_found("No item with id 42."),
        ApiError::too_many_requests("", Duration::from_secs(30)),
        ApiError::internal_server_error("SECRET: db-3 refused"),
        ApiError::unprocessable_entity("The item is invalid.")
            .with_field_error("name", "must not be empty")
            .with_field_error("items[0].price", "must be <positive> & finite"),
    ]
}

/// What a client gets for `err` behind `layer`, asking with `accept` (`None`: no `Accept`).
async fn answer(
    layer: ApiErrorLayer,
    method: Method,
    accept: Option<&str>,
    err: impl Fn() -> ApiError + Clone + Send + 'static,
) -> (StatusCode, HeaderMap, Bytes) {
    let service = ServiceBuilder::new()
        .layer(layer)
        .service_fn(move |_: Request<Full<Bytes>>| {
            let err = err.clone();
            async move { Err::<Response<Full<Bytes>>, _>(err()) }
        });
    let head = method == Method::HEAD;
    let mut request = Request::builder().method(method).uri("/items/42");
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    let response = service
        .oneshot(request.body(Full::default()).unwrap())
        .await
        .unwrap();
    support::collect(response, head).await
}

fn content_type(headers: &HeaderMap) -> &str {
    headers[header::CONTENT_TYPE].to_str().unwrap()
}

/// The headers of an error response but for those that describe its body.
fn protocol_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut kept: Vec<_> = headers
        .iter()
        .filter(|(name, _)| *name != header::CONTENT_TYPE && *name != header::CONTENT_LENGTH)
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    kept.sort();
    kept
}

#[tokio::test]
async fn every_seed_code_in_both_shapes_and_both_formats() {
    let seed = || {
        ApiErrorLayer::new()
            .error_uri_base(DOCS)
            .problem_details(ProblemDetails::Never)
    };
    let problem = || {
        ApiErrorLayer::new()
            .error_uri_base(DOCS)
            .problem_details(ProblemDetails::Always)
    };
    for (index, err) in seed_errors().iter().enumerate() {
        let make = move || seed_errors().swap_remove(index);
        for (accept, seed_type, problem_type) in [
            (
                "application/json",
                "application/json",
                "application/problem+json",
            ),
            (
                "application/xml",
                "application/xml; charset=utf-8",
                "application/problem+xml; charset=utf-8",
            ),
        ] {
            let (seed_status, seed_headers, seed_body) =
                answer(seed(), Method::GET, Some(accept), make).await;
            let (status, headers, body) = answer(problem(), Method::GET, Some(accept), make).await;
            let code = err.code();
            assert_eq!(content_type(&seed_headers), seed_type, "{code}");
            assert_eq!(content_type(&headers), problem_type, "{code}");
            let seed_parsed = ParsedError::from(&support::error_response(
                seed_status,
                &seed_headers,
                &seed_body,
            ));
            let parsed = support::error_response(status, &headers, &body);

            // One error: the same status, code, description, URI and field errors.
            assert_eq!(status, seed_status, "{code}");
            assert_eq!(status, err.status());
            assert_eq!(parsed.problem_status(), Some(status.as_u16()), "{code}");
            assert_eq!(ParsedError::from(&parsed), seed_parsed, "{code} {accept}");
            assert_eq!(parsed.code(), code);
            assert_eq!(parsed.description(), err.public_description());
            assert_eq!(parsed.uri(), Some(format!("{DOCS}#{code}").as_str()));
            assert_eq!(parsed.title(), status.canonical_reason());
            assert!(!String::from_utf8_lossy(&body).contains("SECRET"));

            // The headers but the body's own are the same: Vary, WWW-Authenticate, Retry-After.
            assert_eq!(protocol_headers(&headers), protocol_headers(&seed_headers));

            // HEAD: the same status and headers, no body.
            let (head_status, head_headers, head_body) =
                answer(problem(), Method::HEAD, Some(accept), make).await;
            assert_eq!(head_status, status);
            assert_eq!(head_headers, headers, "{code}");
            assert!(head_body.is_empty());
        }
    }
}

#[tokio::test]
async fn without_a_uri_the_type_is_about_blank() {
    let (status, headers, body) = answer(
        ApiErrorLayer::new().problem_details(ProblemDetails::Always),
        Method::GET,
        Some("application/xml"),
        || ApiError::not_found("No item with id 42."),
    )
    .await;
    let parsed = support::error_response(status, &headers, &body);
    assert!(parsed.is_problem());
    assert_eq!(parsed.uri(), None);
    assert_eq!(parsed.title(), Some("Not Found"));
    let doc = roxmltree::Document::parse(std::str::from_utf8(&body).unwrap()).unwrap();
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some(PROBLEM_NAMESPACE)
    );
}

#[tokio::test]
async fn the_406_names_the_types_the_layer_answers_with() {
    for (problem_details, content_type_of_406, names) in [
        (
            ProblemDetails::WhenAsked,
            "application/json",
            &[
                "application/json",
                "application/xml",
                "application/problem+json",
                "application/problem+xml",
            ][..],
        ),
        (
            ProblemDetails::Never,
            "application/json",
            &["application/json", "application/xml"][..],
        ),
        (
            ProblemDetails::Always,
            "application/problem+json",
            &["application/problem+json", "application/problem+xml"][..],
        ),
    ] {
        let layer = ApiErrorLayer::new().problem_details(problem_details);
        let (status, headers, body) = answer(layer, Method::GET, Some("text/html"), || {
            ApiError::not_found("")
        })
        .await;
        assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
        assert_eq!(content_type(&headers), content_type_of_406);
        let text = String::from_utf8(body.to_vec()).unwrap();
        for name in names {
            assert!(text.contains(name), "{problem_details:?}: {text}");
        }
        if problem_details == ProblemDetails::Never {
            assert!(!text.contains("problem"), "{text}");
        }
    }
}

proptest! {
    #![proptest_config(support::proptest_config(64))]

    /// The two shapes of any error carry the same status, code, description and field errors.
    #[test]
    fn both_shapes_say_the_same(
        status in prop_oneof![400u16..=451, 500u16..=511],
        code in "[a-z_]{1,20}",
        description in any::<String>(),
        fields in proptest::collection::vec((any::<String>(), any::<String>()), 0..3),
        xml in any::<bool>(),
    ) {
        let status = StatusCode::from_u16(status).unwrap();
        let make = move || {
            fields.iter().fold(
                ApiError::new(status, code.clone(), description.clone()),
                |err, (field, message)| err.with_field_error(field.clone(), message.clone()),
            )
        };
        let accept = if xml { "application/xml" } else { "application/json" };
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let (seed_status, seed_headers, seed_body) = runtime.block_on(answer(
            ApiErrorLayer::new().problem_details(ProblemDetails::Never), Method::GET, Some(accept), make.clone(),
        ));
        let (problem_status, headers, body) = runtime.block_on(answer(
            ApiErrorLayer::new().problem_details(ProblemDetails::Always), Method::GET, Some(accept), make,
        ));
        prop_assert_eq!(seed_status, problem_status);
        let seed = support::parse(seed_status, &seed_headers, &seed_body);
        let parsed = support::error_response(problem_status, &headers, &body);
        prop_assert_eq!(seed, support::Parsed::from(&parsed));
        prop_assert_eq!(parsed.problem_status(), Some(problem_status.as_u16()));
    }
}

#[tokio::test]
async fn each_setting_answers_each_accept_with_its_shape() {
    let not_found = || ApiError::not_found("No item with id 42.");
    for (problem_details, accept, expected_type) in [
        // The default: problem details for the clients that ask for them, and no one else.
        (
            ProblemDetails::WhenAsked,
            Some("application/problem+json"),
            "application/problem+json",
        ),
        (
            ProblemDetails::WhenAsked,
            Some("application/problem+xml"),
            "application/problem+xml; charset=utf-8",
        ),
        (
            ProblemDetails::WhenAsked,
            Some("application/json, application/problem+json"),
            "application/problem+json",
        ),
        (
            ProblemDetails::WhenAsked,
            Some("application/json, application/problem+json;q=0.5"),
            "application/json",
        ),
        (ProblemDetails::WhenAsked, Some("*/*"), "application/json"),
        (ProblemDetails::WhenAsked, None, "application/json"),
        (
            ProblemDetails::WhenAsked,
            Some(support::clients::CHROMIUM),
            "application/xml; charset=utf-8",
        ),
        // The seed shape only.
        (
            ProblemDetails::Never,
            Some("application/problem+json"),
            "application/json",
        ),
        (
            ProblemDetails::Never,
            Some("application/problem+xml"),
            "application/xml; charset=utf-8",
        ),
        // Problem details for everyone.
        (
            ProblemDetails::Always,
            Some("application/json"),
            "application/problem+json",
        ),
        (ProblemDetails::Always, None, "application/problem+json"),
        (
            ProblemDetails::Always,
            Some("text/xml"),
            "application/problem+xml; charset=utf-8",
        ),
        (
            ProblemDetails::Always,
            Some(support::clients::FIREFOX),
            "application/problem+xml; charset=utf-8",
        ),
    ] {
        let layer = ApiErrorLayer::new().problem_details(problem_details);
        let (status, headers, body) = answer(layer, Method::GET, accept, not_found).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            content_type(&headers),
            expected_type,
            "{problem_details:?} {accept:?}"
        );
        let parsed = support::parse(status, &headers, &body);
        assert_eq!(parsed.error, "not_found");
        assert_eq!(parsed.error_description, "No item with id 42.");
    }
}

/// The `Format` extractor negotiates as the layer does; a success in a problem details format
/// is sent in its seed format, since a success is no problem.
#[cfg(feature = "axum")]
#[tokio::test]
async fn the_format_extractor_knows_the_problem_formats() {
    use axum::{body::Body, routing::get, Router};
    use tower_api_error::{Format, Negotiated};

    #[derive(serde::Serialize)]
    struct Item {
        id: u64,
    }
    async fn item(format: Format) -> ([(&'static str, String); 1], Negotiated<Item>) {
        let negotiated = [("x-format", format!("{format:?}"))];
        (negotiated, Negotiated::new(format, Item { id: 1 }))
    }
    let app = || {
        Router::new()
            .route("/item", get(item))
            .layer(ApiErrorLayer::new())
    };
    for (accept, format, expected_type) in [
        (
            "application/problem+json",
            "ProblemJson",
            "application/json",
        ),
        (
            "application/problem+xml",
            "ProblemXml",
            "application/xml; charset=utf-8",
        ),
        ("application/json", "Json", "application/json"),
    ] {
        let request = axum::http::Request::get("/item")
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(content_type(response.headers()), expected_type, "{accept}");
        assert_eq!(response.headers()["x-format"], format, "{accept}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(!body.is_empty());
    }
}
