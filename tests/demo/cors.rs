//! The CORS of the README's stack and of the demo: one `cors()`, which serves the front end it
//! names. A browser's preflight for a JSON `POST` from that origin is allowed, and a cross-origin
//! error response lets the script read `x-request-id`, which the error body quotes.

use crate::server;
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use http_body_util::BodyExt;
use tower::ServiceExt;

const README: &str = include_str!("../../README.md");
const DEMO: &str = include_str!("../../examples/server.rs");

/// The text of `fn cors()` in `source`, from its signature to its closing brace.
fn cors_fn(source: &str, name: &str) -> String {
    let start = source
        .find("pub fn cors() -> CorsLayer {")
        .unwrap_or_else(|| panic!("{name} has no `pub fn cors() -> CorsLayer`"));
    let body = &source[start..];
    let end = body.find("\n}\n").expect("the function ends") + 2;
    body[..end].to_owned()
}

#[test]
fn the_readme_stack_uses_the_demo_cors_word_for_word() {
    assert_eq!(
        cors_fn(README, "README.md"),
        cors_fn(DEMO, "examples/server.rs")
    );
    assert!(
        README.contains(&format!(
            "pub const FRONT_END: &str = \"{}\";",
            server::FRONT_END
        )),
        "the README names the demo's front end"
    );
    assert!(README.contains("                .layer(cors())\n"));
}

#[tokio::test]
async fn a_preflight_for_a_json_post_from_the_front_end_is_allowed() {
    let request = Request::builder()
        .method(Method::OPTIONS)
        .uri("/items")
        .header(header::ORIGIN, server::FRONT_END)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap();
    let response = server::app().oneshot(request).await.unwrap();

    assert!(response.status().is_success(), "{}", response.status());
    let headers = response.headers();
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        server::FRONT_END
    );
    let methods = headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(
        methods.split(',').any(|m| m.trim() == "POST"),
        "allow-methods: {methods}"
    );
    let allowed = headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap();
    assert!(
        allowed
            .split(',')
            .any(|h| h.trim().eq_ignore_ascii_case("content-type")),
        "allow-headers: {allowed}"
    );
}

#[tokio::test]
async fn a_cross_origin_error_exposes_its_request_id() {
    for accept in ["application/json", "application/xml", "text/html"] {
        let request = Request::get("/items/42")
            .header(header::ORIGIN, server::FRONT_END)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap();
        let response = server::app().oneshot(request).await.unwrap();

        assert!(response.status().is_client_error(), "{accept}");
        let headers = response.headers().clone();
        assert_eq!(
            headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            server::FRONT_END
        );
        let exposed = headers[header::ACCESS_CONTROL_EXPOSE_HEADERS]
            .to_str()
            .unwrap();
        assert!(
            exposed
                .split(',')
                .any(|h| h.trim().eq_ignore_ascii_case("x-request-id")),
            "{accept}: expose-headers: {exposed}"
        );
        // The id the script can read is the one the body quotes.
        let id = headers["x-request-id"].to_str().unwrap().to_owned();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains(&id), "{accept}: {body}");
    }
    // The 406 is one of them: the layer's own answer, before any handler runs.
    let request = Request::get("/items/1")
        .header(header::ORIGIN, server::FRONT_END)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap();
    let response = server::app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
}
