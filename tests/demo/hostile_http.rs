//! Hostile requests over a real loopback socket against the demo app of `examples/server.rs`.
//!
//! Requests are written as raw bytes on a `TcpStream`, so that headers hyper's client would
//! refuse (non-UTF-8 bytes, 60 KB values, 60 field lines) reach the server as sent. Every answer
//! must be a well-formed HTTP/1.1 response with a well-formed error body, and the server must
//! answer a normal request afterwards. The timeouts are hang guards, not speed claims.

use crate::server;
use crate::support;
use std::{io, net::SocketAddr, time::Duration};

use http::StatusCode;
use support::error_body::{self, ParsedError};
use tokio::net::{TcpListener, TcpStream};
use tower_api_error::Format;

/// How long any one exchange may take before the test calls it a hang.
const HANG_GUARD: Duration = Duration::from_secs(10);

/// Serves the demo app on an ephemeral loopback port.
async fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        axum::serve(listener, server::app())
            .await
            .expect("the demo server runs");
    });
    addr
}

/// A response as read off the wire.
#[derive(Debug)]
struct RawResponse {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&[u8]> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let value = values.next().map(|(_, v)| v.as_slice());
        assert!(values.next().is_none(), "{name} sent twice: {self:?}");
        value
    }

    /// Every field line of a list header such as `Vary`, which may come as several lines (the
    /// demo's compression layer appends its own `Vary` to the error layer's).
    /// The elements of a list field: every line, split at commas, trimmed (RFC 9110, 5.6.1).
    fn list(&self, name: &str) -> Vec<&[u8]> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(|&b| b == b','))
            .map(<[u8]>::trim_ascii)
            .collect()
    }

    fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name)
            .map(|v| std::str::from_utf8(v).expect("a UTF-8 response header"))
    }

    fn content_length(&self) -> usize {
        self.header_str("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no valid Content-Length: {self:?}"))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

async fn read_to_end(stream: &TcpStream) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        stream.readable().await?;
        match stream.try_read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

/// Sends `head` (request line and header lines, each ending in CRLF, without the blank line)
/// with `Connection: close` and `body`, and reads the whole answer.
async fn exchange(addr: SocketAddr, head: &[u8], body: &[u8]) -> RawResponse {
    let mut request = head.to_vec();
    request.extend_from_slice(b"Host: 127.0.0.1\r\nConnection: close\r\n");
    if !body.is_empty() {
        request.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    request.extend_from_slice(body);
    let raw = tokio::time::timeout(HANG_GUARD, async {
        let stream = TcpStream::connect(addr).await?;
        write_all(&stream, &request).await?;
        read_to_end(&stream).await
    })
    .await
    .expect("the server answered within the hang guard")
    .expect("no transport error");
    parse_response(&raw)
}

/// Parses an HTTP/1.1 response with a `Content-Length` framed (or empty) body.
fn parse_response(raw: &[u8]) -> RawResponse {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..end]).expect("a UTF-8 response head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("a status line");
    assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
    let status = status_line[9..12].parse().expect("a status code");
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("a header line");
            (name.to_owned(), value.trim().as_bytes().to_vec())
        })
        .collect();
    let response = RawResponse {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    };
    assert!(
        response.header("transfer-encoding").is_none(),
        "{response:?}"
    );
    response
}

fn get(path: &str, extra_headers: &[&[u8]]) -> Vec<u8> {
    request_head("GET", path, extra_headers)
}

fn request_head(method: &str, path: &str, extra_headers: &[&[u8]]) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\n").into_bytes();
    for header in extra_headers {
        head.extend_from_slice(header);
        head.extend_from_slice(b"\r\n");
    }
    head
}

fn accept(value: &[u8]) -> Vec<u8> {
    [&b"Accept: "[..], value].concat()
}

/// Checks an error response rendered by the layer and returns what its body says.
fn error_body(response: &RawResponse, status: u16, content_type: &str) -> ParsedError {
    assert_eq!(response.status, status, "{}", response.text());
    assert_eq!(
        response.header_str("content-type"),
        Some(content_type),
        "{response:?}"
    );
    assert_eq!(response.content_length(), response.body.len());
    assert!(
        response.list("vary").iter().any(|v| *v == b"Accept"),
        "{response:?}"
    );
    let format = [Format::Json, Format::Xml, Format::TextXml]
        .into_iter()
        .find(|format| format.content_type() == content_type)
        .unwrap_or_else(|| panic!("not an error Content-Type: {content_type}"));
    let status = StatusCode::from_u16(status).unwrap();
    error_body::parse(status, format, &response.body)
        .unwrap_or_else(|e| panic!("{e}: {}", response.text()))
}

/// The server still serves a plain request.
async fn assert_still_serving(addr: SocketAddr) {
    let response = exchange(addr, &get("/items/1", &[]), b"").await;
    assert_eq!(response.status, 200, "{response:?}");
    assert_eq!(response.content_length(), response.body.len());
    let item: server::Item = serde_json::from_slice(&response.body).expect("an item");
    assert_eq!(
        item,
        server::Item {
            id: 1,
            name: "apple".to_owned()
        }
    );
}

const JSON: &str = "application/json";
const XML: &str = "application/xml; charset=utf-8";
const TEXT_XML: &str = "text/xml; charset=utf-8";

/// Large `Accept` values (about 60 KB) of adversarial shapes, and the format each must give.
fn large_accept_values() -> Vec<(&'static str, Vec<u8>, Option<&'static str>)> {
    let mut ranges = "text/html;q=0.9, ".repeat(3_600).into_bytes();
    ranges.extend_from_slice(b"application/xml;q=0.5");
    let mut unacceptable = "image/png;q=0.9, text/*, ".repeat(2_400).into_bytes();
    unacceptable.extend_from_slice(b"application/*;q=0");
    let mut open_quote = b"application/xml;p=\"".to_vec();
    open_quote.extend_from_slice(&b"a,".repeat(30_000));
    let mut semicolons = b"application/xml".to_vec();
    semicolons.extend_from_slice(&b";".repeat(60_000));
    semicolons.extend_from_slice(b", application/json;q=0.5");
    let mut backslashes = b"application/json;q=0.5;p=\"".to_vec();
    backslashes.extend_from_slice(&b"\\\\".repeat(30_000));
    backslashes.extend_from_slice(b"\", application/xml");
    let mut long_weight = b"application/json;q=0.".to_vec();
    long_weight.extend_from_slice(&b"0".repeat(60_000));
    long_weight.extend_from_slice(b", text/xml;q=0.5");
    let mut params = b"application/json".to_vec();
    params.extend_from_slice(&b";a=b".repeat(15_000));
    params.extend_from_slice(b";q=0.4, application/xml;q=0.3");
    let mut equals_later = b"application/json;".to_vec();
    equals_later.extend_from_slice(&b"x;".repeat(30_000));
    equals_later.extend_from_slice(b"y=1, text/xml");
    let mut commas = b",".repeat(60_000);
    commas.extend_from_slice(b"text/xml");
    let mut long_range = b"application/".to_vec();
    long_range.extend_from_slice(&b"x".repeat(60_000));
    long_range.extend_from_slice(b"+xml");
    // `="` again and again with no `;`: no quoted string may open, and finding that out must
    // not rescan the element for every quote.
    let mut equals_quotes = b"a=\"".repeat(20_000);
    equals_quotes.extend_from_slice(b", text/xml");
    let mut quoted_pairs = b"a/b;".to_vec();
    quoted_pairs.extend_from_slice(&b"a=\"x\"".repeat(12_000));
    quoted_pairs.extend_from_slice(b", application/xml");
    vec![
        ("20000 =\" without ;", equals_quotes, Some(TEXT_XML)),
        ("a/b; then 12000 a=\"x\"", quoted_pairs, Some(XML)),
        ("3600 ranges, XML last", ranges, Some(XML)),
        ("4800 unacceptable ranges", unacceptable, None),
        ("one quoted string left open", open_quote, Some(JSON)),
        // Empty parameters are ignored: `application/xml` stands, at weight 1.
        ("60000 semicolons", semicolons, Some(XML)),
        ("60000 backslashes in quotes", backslashes, Some(XML)),
        ("weight with 60000 digits", long_weight, Some(TEXT_XML)),
        ("15000 parameters", params, Some(JSON)),
        // Parameters without `=` are ignored: `application/json` stands, and ties `text/xml`.
        ("parameter without = runs 60 KB", equals_later, Some(JSON)),
        ("60000 commas", commas, Some(TEXT_XML)),
        ("60 KB subtype", long_range, Some(XML)),
    ]
}

#[tokio::test]
async fn accept_values_of_60_kb_get_well_formed_answers() {
    let addr = start_server().await;
    for (name, value, expected) in large_accept_values() {
        assert!(value.len() >= 60_000, "{name}: {} bytes", value.len());
        let response = exchange(addr, &get("/items/42", &[&accept(&value)]), b"").await;
        match expected {
            Some(content_type) => {
                let body = error_body(&response, 404, content_type);
                assert_eq!(body.code, "not_found", "{name}");
                assert_eq!(body.description, "No item with id 42.", "{name}");
            }
            None => {
                let body = error_body(&response, 406, JSON);
                assert_eq!(body.code, "not_acceptable", "{name}");
            }
        }
        assert_still_serving(addr).await;
    }
}

#[tokio::test]
async fn sixty_accept_field_lines_are_combined() {
    let addr = start_server().await;
    let mut lines: Vec<Vec<u8>> = (0..59)
        .map(|i| accept(format!("text/html;level={i}, image/png").as_bytes()))
        .collect();
    lines.push(accept(b"application/xml;q=0.2"));
    let lines: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    let response = exchange(addr, &get("/items/42", &lines), b"").await;
    assert_eq!(error_body(&response, 404, XML).code, "not_found");

    // The same 60 lines without the last: nothing acceptable.
    let response = exchange(addr, &get("/items/42", &lines[..59]), b"").await;
    assert_eq!(error_body(&response, 406, JSON).code, "not_acceptable");
    assert_still_serving(addr).await;
}

#[tokio::test]
async fn non_utf8_accept_bytes_are_skipped() {
    let addr = start_server().await;
    let cases: &[(&[u8], &str)] = &[
        (b"appl\xffication/json, application/xml;q=0.5", XML),
        (b"\xfe\xff\x80", JSON),
        (b"application/json;p=\"\xc3\x28\", text/xml;q=0.1", JSON),
        (b"\xe2\x82, text/xml", TEXT_XML),
    ];
    for (value, content_type) in cases {
        let response = exchange(addr, &get("/items/42", &[&accept(value)]), b"").await;
        assert_eq!(error_body(&response, 404, content_type).code, "not_found");
    }
    assert_still_serving(addr).await;
}

#[tokio::test]
async fn weights_with_20_digits() {
    let addr = start_server().await;
    let cases: &[(&[u8], u16, &str)] = &[
        (
            b"application/json;q=0.12345678901234567890, application/xml;q=0.1",
            404,
            JSON,
        ),
        (
            b"application/json;q=0.99999999999999999999, application/xml;q=1.00000000000000000000",
            404,
            XML,
        ),
        // Above 1 by the twentieth digit: not a weight, so the element is skipped.
        (
            b"application/json;q=1.00000000000000000001, text/xml;q=0.5",
            404,
            TEXT_XML,
        ),
        (b"application/json;q=0.00000000000000000009", 406, JSON),
    ];
    for (value, status, content_type) in cases {
        let response = exchange(addr, &get("/items/42", &[&accept(value)]), b"").await;
        error_body(&response, *status, content_type);
    }
    assert_still_serving(addr).await;
}

#[tokio::test]
async fn quoted_parameters_holding_commas() {
    let addr = start_server().await;
    let cases: &[(&[u8], &str)] = &[
        (
            b"application/xml;profile=\"a,b;c, application/json\";q=0.9, application/json;q=0.8",
            XML,
        ),
        (
            b"application/json;p=\"a\\\"b, text/xml\", application/xml;q=0.1",
            JSON,
        ),
        (
            b"text/xml;a=\",\";b=\",,,\", application/json;q=0.9",
            TEXT_XML,
        ),
    ];
    for (value, content_type) in cases {
        let response = exchange(addr, &get("/items/42", &[&accept(value)]), b"").await;
        assert_eq!(error_body(&response, 404, content_type).code, "not_found");
    }
    assert_still_serving(addr).await;
}

#[tokio::test]
async fn empty_accept_is_treated_as_absent() {
    let addr = start_server().await;
    let response = exchange(addr, &get("/items/42", &[b"Accept:"]), b"").await;
    assert_eq!(error_body(&response, 404, JSON).code, "not_found");

    // Absent `Accept` lets the request's `Content-Type` break the tie: XML in, XML out.
    let head = request_head(
        "POST",
        "/items",
        &[b"Accept: ", b"Content-Type: application/xml"],
    );
    let response = exchange(addr, &head, b"<item><name> </name></item>").await;
    let body = error_body(&response, 422, XML);
    assert_eq!(body.code, "unprocessable_entity");
    assert_eq!(
        body.field_errors,
        [("name".to_owned(), "must not be empty".to_owned())]
    );
    assert_still_serving(addr).await;
}

#[tokio::test]
async fn head_on_an_error_has_the_get_headers_and_no_body() {
    let addr = start_server().await;
    for (path, accept_value, status) in [
        ("/items/42", &b"application/json"[..], 404),
        ("/items/42", b"application/xml", 404),
        ("/errors/too_many_requests", b"text/xml", 429),
        ("/errors/internal_server_error", b"application/xml", 500),
        ("/items/1", b"text/html", 406),
    ] {
        let headers = [accept(accept_value)];
        let headers: Vec<&[u8]> = headers.iter().map(Vec::as_slice).collect();
        let get = exchange(addr, &request_head("GET", path, &headers), b"").await;
        let head = exchange(addr, &request_head("HEAD", path, &headers), b"").await;
        assert_eq!(get.status, status, "{get:?}");
        assert_eq!(head.status, status, "{head:?}");
        assert!(head.body.is_empty(), "HEAD {path} sent a body: {head:?}");
        assert_eq!(get.content_length(), get.body.len());
        assert_eq!(head.content_length(), get.body.len(), "HEAD {path}");
        assert_eq!(head.header("content-type"), get.header("content-type"));
        // The error layer's `Vary: Accept` on both; tower-http's compression, outside it, adds
        // its `Vary: accept-encoding` to the GET only.
        for response in [&head, &get] {
            assert!(
                response.list("vary").contains(&&b"Accept"[..]),
                "{response:?}"
            );
        }
    }
    assert_still_serving(addr).await;
}

#[tokio::test]
async fn server_errors_never_send_their_secrets() {
    let addr = start_server().await;
    for (path, status, code) in [
        (
            "/errors/internal_server_error",
            500,
            "internal_server_error",
        ),
        ("/errors/bad_gateway", 502, "bad_gateway"),
        ("/errors/service_unavailable", 503, "service_unavailable"),
    ] {
        for (accept_value, content_type) in [
            (&b"application/json"[..], JSON),
            (b"application/xml", XML),
            (b"text/xml", TEXT_XML),
        ] {
            let response = exchange(addr, &get(path, &[&accept(accept_value)]), b"").await;
            let body = error_body(&response, status, content_type);
            assert_eq!(body.code, code);
            assert!(!response.text().contains("SECRET"), "{response:?}");
            for (name, value) in &response.headers {
                assert!(
                    !String::from_utf8_lossy(value).contains("SECRET"),
                    "{name}: {value:?}"
                );
            }
            assert!(!body.description.is_empty());
            assert!(body.field_errors.is_empty());
        }
    }
    assert_still_serving(addr).await;
}

/// `GET /panic` of the demo server panics (with a message containing `SECRET`): the answer must
/// still be a well-formed `500 internal_server_error` without the panic message.
#[tokio::test]
async fn panicking_handler_answers_500_without_the_panic_message() {
    let addr = start_server().await;
    let generic = tower_api_error::ApiError::internal_server_error("")
        .public_description()
        .to_owned();
    for (accept_value, content_type) in
        [(&b"application/json"[..], JSON), (b"application/xml", XML)]
    {
        let response = exchange(addr, &get("/panic", &[&accept(accept_value)]), b"").await;
        let body = error_body(&response, 500, content_type);
        assert_eq!(body.code, "internal_server_error");
        assert_eq!(body.description, generic);
        assert!(!response.text().contains("panicked"), "{response:?}");
        assert!(!response.text().contains("SECRET"), "{response:?}");
        assert!(body.field_errors.is_empty());
    }
    // HEAD too, with the GET body's length.
    let head = exchange(addr, &request_head("HEAD", "/panic", &[]), b"").await;
    let get = exchange(addr, &get("/panic", &[]), b"").await;
    assert_eq!(head.status, 500);
    assert!(head.body.is_empty(), "{head:?}");
    assert_eq!(head.content_length(), get.body.len());
    assert_still_serving(addr).await;
}
