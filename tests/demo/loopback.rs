//! The demo server over a real loopback socket, with a hyper client.

use crate::server;
use crate::support;
use std::net::SocketAddr;

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};

struct Demo {
    addr: SocketAddr,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
}

impl Demo {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Every `error_uri` points at this server's own documentation page.
        let app = server::app_with_docs(&format!("http://{addr}{}", server::DOCS_PATH));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let client = Client::builder(TokioExecutor::new()).build_http();
        Self { addr, client }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (StatusCode, http::HeaderMap, Bytes) {
        let mut builder = Request::builder()
            .method(method)
            .uri(format!("http://{}{path}", self.addr));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(Full::from(body.to_owned())).unwrap();
        let response: Response<_> = self.client.request(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        (parts.status, parts.headers, body)
    }

    fn docs(&self) -> String {
        format!("http://{}{}", self.addr, server::DOCS_PATH)
    }

    async fn get(&self, path: &str, accept: &str) -> (StatusCode, http::HeaderMap, Bytes) {
        self.send(Method::GET, path, &[("accept", accept)], "")
            .await
    }
}

fn error_of(status: StatusCode, headers: &http::HeaderMap, body: &[u8]) -> support::Parsed {
    let length: usize = headers[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, body.len());
    support::parse(status, headers, body)
}

#[tokio::test]
async fn items_and_their_errors() {
    let demo = Demo::start().await;

    let (status, _, body) = demo.get("/", "*/*").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&body).contains("/errors/{code}"));

    for id in 1..=3 {
        let (status, _, body) = demo.get(&format!("/items/{id}"), "*/*").await;
        assert_eq!(status, StatusCode::OK);
        let item: server::Item = serde_json::from_slice(&body).unwrap();
        assert_eq!(item.id, id);
    }

    for (path, status, code) in [
        ("/items/42", StatusCode::NOT_FOUND, "not_found"),
        ("/items/0", StatusCode::NOT_FOUND, "not_found"),
        ("/items/abc", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/items/-1", StatusCode::BAD_REQUEST, "invalid_parameter"),
    ] {
        for accept in ["application/json", "application/xml"] {
            let (got, headers, body) = demo.get(path, accept).await;
            assert_eq!(got, status, "{path}");
            let parsed = error_of(got, &headers, &body);
            assert_eq!(parsed.error, code, "{path}");
            assert_eq!(
                parsed.error_uri,
                Some(format!("{}#{code}", demo.docs())),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn every_error_route() {
    let demo = Demo::start().await;
    /// Code, status, and the headers the error calls for.
    type Row = (&'static str, u16, &'static [(&'static str, &'static str)]);
    let table: &[Row] = &[
        ("invalid_parameter", 400, &[]),
        ("invalid_value_parameter", 400, &[]),
        ("invalid_value_headers", 400, &[]),
        ("unauthorized", 401, &[("www-authenticate", "Bearer")]),
        (
            "token_expired",
            401,
            &[(
                "www-authenticate",
                r#"Bearer error="invalid_token", error_description="The access token has expired.""#,
            )],
        ),
        (
            "invalid_token",
            401,
            &[(
                "www-authenticate",
                r#"Bearer error="invalid_token", error_description="The access token signature is invalid.""#,
            )],
        ),
        ("payment_required", 402, &[]),
        ("unauthorized_client", 403, &[]),
        ("not_found", 404, &[]),
        ("method_not_allowed", 405, &[("allow", "POST, PUT")]),
        ("not_acceptable", 406, &[]),
        ("precondition_failed", 412, &[]),
        ("unprocessable_entity", 422, &[]),
        (
            "too_many_requests",
            429,
            &[
                ("retry-after", "1800"),
                ("ratelimit-policy", "\"hour\";q=100;w=3600"),
                ("ratelimit", "\"hour\";r=0;t=1800"),
            ],
        ),
        ("internal_server_error", 500, &[]),
        ("bad_gateway", 502, &[]),
        ("service_unavailable", 503, &[("retry-after", "120")]),
    ];
    for (code, status, expected_headers) in table {
        for accept in ["application/json", "application/xml"] {
            let (got, headers, body) = demo.get(&format!("/errors/{code}"), accept).await;
            assert_eq!(got.as_u16(), *status, "{code}");
            // The demo names every error's code in a header, for gateways and access logs.
            assert_eq!(headers["x-error-code"], *code, "{code}");
            for (name, value) in *expected_headers {
                assert_eq!(headers[*name], *value, "{code} {name}");
            }
            assert!(
                !String::from_utf8_lossy(&body).contains("SECRET"),
                "{code} leaks"
            );
            let parsed = error_of(got, &headers, &body);
            assert_eq!(parsed.error, *code);
            assert!(!parsed.error_description.is_empty());
            if *code == "unprocessable_entity" {
                assert!(parsed.field_errors.len() >= 2);
            }
        }
    }
    let (status, headers, body) = demo.get("/errors/no_such_code", "*/*").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_of(status, &headers, &body).error, "not_found");
}

#[tokio::test]
async fn creating_items() {
    let demo = Demo::start().await;
    let json = [("content-type", "application/json")];
    let xml = [("content-type", "application/xml")];

    let (status, headers, body) = demo
        .send(Method::POST, "/items", &json, r#"{"name":"kiwi"}"#)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let item: server::Item = serde_json::from_slice(&body).unwrap();
    assert_eq!(item.name, "kiwi");
    assert_eq!(headers[header::LOCATION], format!("/items/{}", item.id));

    let (status, headers, _) = demo
        .send(
            Method::POST,
            "/items",
            &xml,
            "<item><name>lime</name></item>",
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/items/"));

    // Unparseable bodies: 400 in the format of the request body when Accept does not decide.
    for (headers, body, content_type) in [
        (&json, "{not json", "application/json"),
        (
            &xml,
            "<item><name>x</nam></item>",
            "application/xml; charset=utf-8",
        ),
    ] {
        let (status, got, body) = demo.send(Method::POST, "/items", headers, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(got[header::CONTENT_TYPE], content_type);
        assert_eq!(error_of(status, &got, &body).error, "invalid_parameter");
    }

    // An empty name: 422 with the field error.
    for (headers, body) in [
        (&json, r#"{"name":"  "}"#),
        (&xml, "<item><name></name></item>"),
    ] {
        let (status, got, body) = demo.send(Method::POST, "/items", headers, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let parsed = error_of(status, &got, &body);
        assert_eq!(parsed.error, "unprocessable_entity");
        assert_eq!(
            parsed.field_errors,
            [("name".to_owned(), "must not be empty".to_owned())]
        );
    }
}

#[tokio::test]
async fn not_acceptable_and_head() {
    let demo = Demo::start().await;
    let (status, headers, body) = demo.get("/items/1", "text/html").await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let parsed = error_of(status, &headers, &body);
    assert_eq!(parsed.error, "not_acceptable");

    let (_, get_headers, get_body) = demo.get("/items/42", "application/xml").await;
    let (status, headers, body) = demo
        .send(
            Method::HEAD,
            "/items/42",
            &[("accept", "application/xml")],
            "",
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.is_empty());
    assert_eq!(
        headers[header::CONTENT_LENGTH],
        get_body.len().to_string().as_str()
    );
    assert_eq!(
        headers[header::CONTENT_TYPE],
        get_headers[header::CONTENT_TYPE]
    );
}

#[tokio::test]
async fn every_failure_path_in_both_formats() {
    let demo = Demo::start().await;
    const JSON: (&str, &str) = ("content-type", "application/json");
    /// Method, path, request headers, body, expected status and code.
    type Case = (
        Method,
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
        u16,
        &'static str,
    );
    let cases: &[Case] = &[
        (Method::GET, "/no/such/route", &[], "", 404, "not_found"),
        (
            Method::DELETE,
            "/items/1",
            &[],
            "",
            405,
            "method_not_allowed",
        ),
        (Method::GET, "/items/abc", &[], "", 400, "invalid_parameter"),
        (
            Method::PUT,
            "/items/1",
            &[JSON],
            "{\"name\":",
            400,
            "invalid_parameter",
        ),
        (
            Method::PUT,
            "/items/1",
            &[JSON],
            "{\"nom\":1}",
            422,
            "unprocessable_entity",
        ),
        (
            Method::PUT,
            "/items/1",
            &[],
            "{\"name\":\"x\"}",
            415,
            "unsupported_media_type",
        ),
        (Method::GET, "/slow", &[], "", 504, "gateway_timeout"),
        (Method::GET, "/panic", &[], "", 500, "internal_server_error"),
    ];
    for (method, path, headers, body, status, code) in cases {
        for accept in ["application/json", "application/xml"] {
            let mut all = headers.to_vec();
            all.push(("accept", accept));
            let (got, response_headers, response_body) =
                demo.send(method.clone(), path, &all, body).await;
            assert_eq!(got.as_u16(), *status, "{method} {path}");
            assert!(!String::from_utf8_lossy(&response_body).contains("SECRET"));
            let parsed = error_of(got, &response_headers, &response_body);
            assert_eq!(parsed.error, *code, "{method} {path}");
            let expected_type = if accept == "application/json" {
                "application/json"
            } else {
                "application/xml; charset=utf-8"
            };
            assert_eq!(response_headers[header::CONTENT_TYPE], expected_type);
            if *status == 405 {
                let allow = response_headers[header::ALLOW].to_str().unwrap();
                assert!(allow.contains("GET") && allow.contains("PUT"), "{allow}");
            }
        }
    }
    // Still serving after the panics.
    let (status, _, body) = demo.get("/items/1", "application/xml").await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(std::str::from_utf8(&body).unwrap()).unwrap();
    let name = doc.descendants().find(|n| n.has_tag_name("name")).unwrap();
    assert_eq!(name.text(), Some("apple"));
}

#[tokio::test]
async fn the_demo_stack_gives_cors_headers_and_plain_health() {
    let demo = Demo::start().await;
    let origin = ("origin", server::FRONT_END);

    // The up-front 406 and the panic 500, made by the error layer, carry CORS headers.
    for (path, accept, status, code) in [
        ("/items/1", "text/html", 406, "not_acceptable"),
        ("/panic", "application/xml", 500, "internal_server_error"),
        ("/slow", "application/json", 504, "gateway_timeout"),
    ] {
        let (got, headers, body) = demo
            .send(Method::GET, path, &[origin, ("accept", accept)], "")
            .await;
        assert_eq!(got.as_u16(), status, "{path}");
        assert_eq!(
            headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            server::FRONT_END
        );
        let parsed = error_of(got, &headers, &body);
        assert_eq!(parsed.error, code);
        assert_eq!(
            parsed.error_uri,
            Some(format!("{}#{code}", demo.docs())),
            "{path}"
        );
    }

    // A plain route beside the API; the API still answers 406 to the same Accept.
    let (status, headers, body) = demo.get("/health", "text/plain").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert_eq!(body, "ok");
    let (status, _, _) = demo.get("/items/1", "text/plain").await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn the_demo_gives_every_request_an_id_that_errors_quote() {
    let demo = Demo::start().await;
    // An id the demo made: in the response header and in the body.
    let (status, headers, body) = demo.get("/panic", "application/json").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let id = headers["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "{id}");
    let parsed = support::error_response(status, &headers, &body);
    assert_eq!(parsed.format(), tower_api_error::Format::Json);
    assert_eq!(parsed.request_id(), Some(id.as_str()));

    // The client's own id, kept and quoted.
    let (status, headers, body) = demo
        .send(
            Method::GET,
            "/items/42",
            &[("accept", "application/xml"), ("x-request-id", "client-7")],
            "",
        )
        .await;
    assert_eq!(headers["x-request-id"], "client-7");
    let parsed = support::error_response(status, &headers, &body);
    assert_eq!(parsed.format(), tower_api_error::Format::Xml);
    assert_eq!(parsed.request_id(), Some("client-7"));
}

/// The demo's own codes: `409 item_name_taken` from its derived `ItemError`, with an
/// `error_uri` that opens the code's entry on the demo's documentation page.
#[tokio::test]
async fn a_taken_name_is_a_conflict_documented_on_the_page() {
    let demo = Demo::start().await;
    let json = ("content-type", "application/json");
    for (method, path, headers, body) in [
        (Method::POST, "/items", vec![json], r#"{"name":"Apple"}"#),
        (
            Method::POST,
            "/items",
            vec![
                ("content-type", "application/xml"),
                ("accept", "application/xml"),
            ],
            "<item><name> banana </name></item>",
        ),
        (Method::PUT, "/items/1", vec![json], r#"{"name":"cherry"}"#),
    ] {
        let (status, got, body) = demo.send(method.clone(), path, &headers, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{method} {path}");
        let parsed = error_of(status, &got, &body);
        assert_eq!(parsed.error, "item_name_taken");
        // The id of the item that has the name, an extension member, in JSON and XML alike.
        let existing = support::error_response(status, &got, &body);
        let existing = existing.member("existing_id").and_then(|id| id.as_scalar());
        assert!(
            existing.is_some_and(|id| id.parse::<u64>().is_ok()),
            "existing_id: {existing:?}"
        );
        assert!(
            parsed.error_description.starts_with("An item named \""),
            "{}",
            parsed.error_description
        );
        let uri = parsed.error_uri.unwrap();
        assert_eq!(uri, format!("{}#item_name_taken", demo.docs()));

        // The URI opens the page, and the fragment names an element of it.
        let (page, fragment) = uri.split_once('#').unwrap();
        let path = page.strip_prefix(&format!("http://{}", demo.addr)).unwrap();
        let (status, headers, html) = demo.get(path, "text/html").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        let html = scraper::Html::parse_document(std::str::from_utf8(&html).unwrap());
        let selector = scraper::Selector::parse(&format!("[id=\"{fragment}\"]")).unwrap();
        let entry: String = html.select(&selector).next().unwrap().text().collect();
        assert!(entry.contains("409"), "{entry}");
        assert!(entry.contains("Item name taken"), "{entry}");
        // The demo's own codes come first, by status, under the demo's intro.
        let own = scraper::Selector::parse("section[id=\"page:own\"] section.entry").unwrap();
        let own: Vec<&str> = html.select(&own).map(|s| s.value().id().unwrap()).collect();
        assert_eq!(own, ["not_found", "item_name_taken"]);
        let intro = scraper::Selector::parse("p.intro").unwrap();
        let intro: String = html.select(&intro).next().unwrap().text().collect();
        assert!(intro.starts_with("Every error of the demo API"), "{intro}");

        // The same entry on the page in Brazilian Portuguese.
        let (status, headers, html) = demo.get(&format!("{path}?lang=pt-BR"), "text/html").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_LANGUAGE], "pt-BR");
        let html = scraper::Html::parse_document(std::str::from_utf8(&html).unwrap());
        assert_eq!(html.select(&selector).count(), 1);
    }

    // Renaming an item to its own name, in another case, is no conflict; a created item is
    // there, and its name is taken from then on.
    let (status, _, _) = demo
        .send(Method::PUT, "/items/1", &[json], r#"{"name":"APPLE"}"#)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, _) = demo
        .send(Method::POST, "/items", &[json], r#"{"name":"kiwi"}"#)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let location = headers[header::LOCATION].to_str().unwrap().to_owned();
    let (status, _, body) = demo.get(&location, "application/json").await;
    assert_eq!(status, StatusCode::OK);
    let item: server::Item = serde_json::from_slice(&body).unwrap();
    assert_eq!(item.name, "kiwi");
    let (status, _, _) = demo
        .send(Method::POST, "/items", &[json], r#"{"name":"KIWI"}"#)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}
