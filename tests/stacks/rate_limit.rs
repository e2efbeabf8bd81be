//! Rate limits through the public API: the RateLimit fields parsed back with an independent
//! structured-field parser (sfv), the problem types, the success helper, and tower_governor's
//! plain-text 429 rewritten into the coded body.

use std::time::Duration;

use bytes::Bytes;
use http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{json, Value};
use tower::ServiceExt;
use tower_api_error::{
    rate_limit::{self, QuotaPolicy, QuotaUnit, RateLimit},
    ApiError, ApiErrorLayer,
};

/// `(name, parameters as (key, integer or string))` per item of a structured-field List.
fn parse_list(value: &http::HeaderValue) -> Vec<(String, Vec<(String, String)>)> {
    let list: sfv::List = sfv::Parser::new(value.as_bytes()).parse_list().unwrap();
    list.into_iter()
        .map(|entry| match entry {
            sfv::ListEntry::Item(item) => {
                let name = item.bare_item.as_string().unwrap().as_str().to_owned();
                let params = item
                    .params
                    .iter()
                    .map(|(key, value)| {
                        let value = match (value.as_integer(), value.as_string()) {
                            (Some(n), _) => i64::from(n).to_string(),
                            (_, Some(s)) => s.as_str().to_owned(),
                            _ => panic!("unexpected parameter {value:?}"),
                        };
                        (key.as_str().to_owned(), value)
                    })
                    .collect();
                (name, params)
            }
            sfv::ListEntry::InnerList(_) => panic!("an inner list"),
        })
        .collect()
}

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn hourly() -> QuotaPolicy {
    QuotaPolicy::new("hour", 100)
        .unwrap()
        .window(Duration::from_secs(3600))
}

async fn render(
    make: impl Fn() -> ApiError + Clone + Send + 'static,
    accept: &str,
) -> (StatusCode, HeaderMap, Bytes) {
    crate::support::render_error(ApiErrorLayer::new(), make, accept).await
}

#[tokio::test]
async fn a_429_carries_the_fields_the_member_and_the_problem_type() {
    let make = || {
        ApiError::from_status(StatusCode::TOO_MANY_REQUESTS)
            .with_rate_limit(hourly().state(0).reset_after(Duration::from_secs(1800)))
    };
    let (status, headers, body) = render(make, "application/problem+json").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        parse_list(&headers["ratelimit-policy"]),
        [("hour".to_owned(), params(&[("q", "100"), ("w", "3600")]))]
    );
    assert_eq!(
        parse_list(&headers["ratelimit"]),
        [("hour".to_owned(), params(&[("r", "0"), ("t", "1800")]))]
    );
    assert_eq!(headers[header::RETRY_AFTER], "1800");
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["type"], rate_limit::QUOTA_EXCEEDED);
    assert_eq!(value["violated-policies"], json!(["hour"]));
    assert_eq!(value["error"], "too_many_requests");

    // The seed shape keeps its own members and gains `violated-policies`.
    let (_, _, body) = render(make, "application/json").await;
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert!(value.get("error_uri").is_none());
    assert_eq!(value["violated-policies"], json!(["hour"]));

    // Problem XML: the type and the list as `<i>` children in the RFC's namespace.
    let (_, _, body) = render(make, "application/problem+xml").await;
    let text = std::str::from_utf8(&body).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let root = doc.root_element();
    let child = |name: &str| {
        root.children()
            .find(|c| c.tag_name().name() == name)
            .unwrap()
    };
    assert_eq!(child("type").text(), Some(rate_limit::QUOTA_EXCEEDED));
    let violated = child("violated-policies");
    assert_eq!(violated.tag_name().namespace(), Some("urn:ietf:rfc:7807"));
    let items: Vec<_> = violated
        .children()
        .map(|i| (i.tag_name().name(), i.text()))
        .collect();
    assert_eq!(items, [("i", Some("hour"))]);
}

#[tokio::test]
async fn a_503_uses_temporary_reduced_capacity_even_when_masked() {
    let make = || {
        ApiError::service_unavailable("secret: pool exhausted")
            .with_rate_limit(hourly().state(0))
            .with_rate_limit(QuotaPolicy::new("burst", 10).unwrap().state(4))
    };
    let (status, headers, body) = render(make, "application/problem+json").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["type"], rate_limit::TEMPORARY_REDUCED_CAPACITY);
    assert_eq!(value["violated-policies"], json!(["hour"]));
    assert!(!String::from_utf8_lossy(&body).contains("secret"));
    assert_eq!(parse_list(&headers["ratelimit-policy"]).len(), 2);
    assert_eq!(
        parse_list(&headers["ratelimit"])[1],
        ("burst".to_owned(), params(&[("r", "4")]))
    );
    // No `t`: no `Retry-After` made up.
    assert!(headers.get(header::RETRY_AFTER).is_none());
}

#[tokio::test]
async fn other_statuses_get_the_fields_only() {
    let make = || ApiError::from_status(StatusCode::FORBIDDEN).with_rate_limit(hourly().state(5));
    let (_, headers, body) = render(make, "application/problem+json").await;
    assert!(headers.contains_key("ratelimit"));
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert!(value.get("violated-policies").is_none());
    assert!(value.get("type").is_none());
}

#[test]
fn a_retry_after_given_is_kept() {
    let err = ApiError::too_many_requests("", Duration::from_secs(5))
        .with_rate_limit(hourly().state(0).reset_after(Duration::from_secs(1800)));
    assert_eq!(err.headers()[header::RETRY_AFTER], "5");
}

#[test]
fn bad_policy_names_are_refused_when_the_policy_is_made() {
    for bad in ["", "Hour", "per hour", "a,b", "\"x\"", "é", "1h"] {
        let err = QuotaPolicy::new(bad, 1).unwrap_err();
        assert_eq!(err.name(), bad);
    }
}

#[tokio::test]
async fn successful_responses_carry_the_fields_through_the_helper() {
    use axum::{routing::get, Router};
    let app = Router::new()
        .route(
            "/",
            get(|| async {
                let state = hourly().state(99).reset_after(Duration::from_secs(3599));
                (state, "ok")
            }),
        )
        .layer(ApiErrorLayer::new());
    let response = app
        .oneshot(Request::new(axum::body::Body::empty()))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        parse_list(&response.headers()["ratelimit"]),
        [("hour".to_owned(), params(&[("r", "99"), ("t", "3599")]))]
    );
}

#[tokio::test]
async fn tower_governors_plain_429_is_rewritten_with_its_headers_kept() {
    use axum::{routing::get, Router};
    use tower_governor::{
        governor::GovernorConfigBuilder, key_extractor::GlobalKeyExtractor, GovernorLayer,
    };
    let config = GovernorConfigBuilder::default()
        .key_extractor(GlobalKeyExtractor)
        .per_second(60)
        .burst_size(1)
        .use_headers()
        .finish()
        .unwrap();
    let app = Router::new()
        .route("/", get(|| async { "ok" }))
        .layer(GovernorLayer::new(config))
        .layer(ApiErrorLayer::new());
    let first = app
        .clone()
        .oneshot(Request::new(axum::body::Body::empty()))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let request = Request::get("/")
        .header(header::ACCEPT, "application/json")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let headers = response.headers().clone();
    println!("{:?}", response.status());
    for (name, value) in &headers {
        println!("{name}: {value:?}");
    }
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert!(headers.contains_key(header::RETRY_AFTER));
    assert!(headers.contains_key("x-ratelimit-after"));
    assert!(headers.contains_key("x-ratelimit-limit"));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    println!("{}", String::from_utf8_lossy(&body));
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["error"], "too_many_requests");
    assert!(value["error_description"]
        .as_str()
        .unwrap()
        .starts_with("Too Many Requests!"));
}

proptest! {
    #[test]
    fn any_policy_parses_back(
        policies in prop::collection::vec(
            ("[a-z*][a-z0-9_.*-]{0,10}", any::<u64>(), prop::option::of(0u64..1 << 40),
             any::<u64>(), prop::option::of(0u64..1 << 40), 0u8..3),
            1..4,
        ),
    ) {
        let limits: Vec<RateLimit> = policies
            .iter()
            .map(|(name, quota, window, remaining, reset, unit)| {
                let mut policy = QuotaPolicy::new(name.clone(), *quota).unwrap().unit(
                    [QuotaUnit::Requests, QuotaUnit::ContentBytes, QuotaUnit::ConcurrentRequests]
                        [usize::from(*unit)],
                );
                if let Some(w) = window {
                    policy = policy.window(Duration::from_secs(*w));
                }
                let mut state = policy.state(*remaining);
                if let Some(t) = reset {
                    state = state.reset_after(Duration::from_secs(*t));
                }
                state
            })
            .collect();
        let mut headers = HeaderMap::new();
        rate_limit::set_headers(&mut headers, &limits);
        // Structured-field integers have at most 15 digits: larger numbers are sent as the
        // largest one.
        let max = 999_999_999_999_999_u64;
        let policy = parse_list(&headers["ratelimit-policy"]);
        let state = parse_list(&headers["ratelimit"]);
        for ((name, quota, _, remaining, ..), (p, s)) in
            policies.iter().zip(policy.iter().zip(&state))
        {
            prop_assert_eq!(&p.0, name);
            prop_assert_eq!(&s.0, name);
            prop_assert_eq!(&p.1[0], &("q".to_owned(), (*quota).min(max).to_string()));
            prop_assert_eq!(&s.1[0], &("r".to_owned(), (*remaining).min(max).to_string()));
        }
    }
}
