//! The check that every `error_uri` the layer can send opens an entry of the documentation
//! page: [`check_anchors`].

use std::{
    fmt,
    pin::Pin,
    task::{Context, Poll, Waker},
};

use bytes::{Bytes, BytesMut};
use http::{header::ACCEPT, Request, Uri};
use http_body::Body as _;
use http_body_util::Full;
use tower_service::Service;

use crate::{
    catalogue::{Catalogue, Page},
    code,
};

/// Checks that every `error_uri` an application can send resolves to an entry of its
/// documentation page: for the layer's
/// [`error_uri_base`](crate::ApiErrorLayer::error_uri_base) `base`, that `<base>#<code>` has an
/// element with the `id` `<code>` on the page, in every language the page is served in, for
/// every code of `catalogue` (the codes the application's errors are made of) and every code
/// the layer itself answers with (a `404` for an unknown path, a `405`, a `406`, the rewritten
/// `413` and `415`, a timeout, a panic, ...), whatever the catalogue says.
///
/// A code whose [`Entry`](crate::code::Entry) has a URI of its own is checked only if that URI
/// is on the page too (`<base>#<fragment>`); any other URI is outside the page. When the page
/// was given a [`base_uri`](Page::base_uri), its JSON list must also give each code the URI
/// the layer sends.
///
/// It asks `page` for itself as a client would, through its [`Service`] (`GET`, `Accept:
/// text/html`, at the path of `base`), then for the same page in each language it links to
/// with `<link rel="alternate" hreflang="...">`. The page answers at once, so the check needs
/// no runtime.
///
/// ```
/// use http::StatusCode;
/// use tower_api_error::{catalogue::Catalogue, code::Entry, testing::check_anchors};
///
/// const DOCS: &str = "https://api.example.com/docs/errors";
/// const NAME_TAKEN: Entry =
///     Entry::new(StatusCode::CONFLICT, "item_name_taken", "An item with this name exists.");
/// let catalogue = Catalogue::new().with_entries([NAME_TAKEN])?;
///
/// // The page of the catalogue: every code, and every code the layer answers with.
/// let page = catalogue.page().base_uri(DOCS);
/// let report = check_anchors(&page, &catalogue, DOCS);
/// assert!(report.is_ok(), "{report}");
///
/// // A page served from another catalogue lacks the application's own code.
/// let stale = Catalogue::new().page().base_uri(DOCS);
/// let report = check_anchors(&stale, &catalogue, DOCS);
/// assert!(!report.is_ok());
/// assert_eq!(report.problems()[0].code(), "item_name_taken");
/// assert_eq!(report.problems()[0].uri(), format!("{DOCS}#item_name_taken"));
/// assert!(report.to_string().contains(r#"has no element with id="item_name_taken""#));
/// # Ok::<(), tower_api_error::catalogue::DuplicateCode>(())
/// ```
pub fn check_anchors(page: &Page, catalogue: &Catalogue, base: &str) -> AnchorReport {
    let mut report = AnchorReport {
        checked: 0,
        languages: Vec::new(),
        problems: Vec::new(),
    };
    // Every URI on the page to check, as (code, uri, fragment).
    let mut expected: Vec<(String, String, String)> = Vec::new();
    let on_page = |uri: &str| {
        uri.strip_prefix(base)
            .and_then(|rest| rest.strip_prefix('#'))
            .map(str::to_owned)
    };
    for entry in catalogue.entries() {
        let uri = Catalogue::uri(entry, base);
        if let Some(fragment) = on_page(&uri) {
            expected.push((entry.code().to_owned(), uri, fragment));
        }
    }
    for &code in code::LAYER_CODES {
        if !expected.iter().any(|(c, _, _)| c == code) {
            expected.push((code.to_owned(), format!("{base}#{code}"), code.to_owned()));
        }
    }

    let path = path_of(base);
    let html = match fetch(page, &path, "text/html") {
        Ok(html) => html,
        Err(problem) => {
            report.problems.push(AnchorProblem::page(base, problem));
            return report;
        }
    };
    let mut pages = vec![(lang_of(&html), html)];
    for href in alternates(&pages[0].1) {
        let target = join(&path, &href);
        match fetch(page, &target, "text/html") {
            Ok(html) => pages.push((lang_of(&html), html)),
            Err(problem) => report.problems.push(AnchorProblem::page(&target, problem)),
        }
    }

    for (lang, html) in &pages {
        let lang = lang.clone().unwrap_or_else(|| "?".to_owned());
        let ids = ids(html);
        for (code, uri, fragment) in &expected {
            report.checked += 1;
            let count = ids.iter().filter(|id| *id == fragment).count();
            if count == 1 {
                continue;
            }
            let what = if count == 0 {
                format!("the page (language {lang}) has no element with id=\"{fragment}\"")
            } else {
                format!("the page (language {lang}) has {count} elements with id=\"{fragment}\"")
            };
            report.problems.push(AnchorProblem {
                code: code.clone(),
                uri: uri.clone(),
                message: format!(
                    "{what}: serve the page of the catalogue the layer's errors come from \
                     (`catalogue.page()`), with the code in it, or give the code's `Entry` a \
                     documentation URI of its own (`Entry::with_uri`)"
                ),
            });
        }
        report.languages.push(lang);
    }

    // The page's JSON list gives each code the URI the layer sends: a page whose `base_uri` is
    // not the layer's `error_uri_base` documents other URIs than the errors carry.
    if let Ok(json) = fetch(page, &path, "application/json") {
        let list: serde_json::Value = serde_json::from_slice(&json).unwrap_or_default();
        for listed in list["codes"].as_array().into_iter().flatten() {
            let (Some(code), Some(listed_uri)) = (listed["code"].as_str(), listed["uri"].as_str())
            else {
                continue;
            };
            let sent = match catalogue.get(code) {
                Some(entry) => Catalogue::uri(entry, base),
                None => format!("{base}#{code}"),
            };
            report.checked += 1;
            if listed_uri != sent {
                report.problems.push(AnchorProblem {
                    code: code.to_owned(),
                    uri: sent,
                    message: format!(
                        "the page's JSON list gives it the URI {listed_uri}: give the page the \
                         layer's `error_uri_base` as its `base_uri`"
                    ),
                });
            }
        }
    }
    report
}

/// What [`check_anchors`] found: every `error_uri` that does not open an entry of the page.
#[derive(Debug, Clone)]
pub struct AnchorReport {
    checked: usize,
    languages: Vec<String>,
    problems: Vec<AnchorProblem>,
}

impl AnchorReport {
    /// Whether every `error_uri` opens its entry.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// Every `error_uri` that does not, in the order found.
    pub fn problems(&self) -> &[AnchorProblem] {
        &self.problems
    }

    /// The number of checks made: one per URI and language, and one per URI of the page's JSON
    /// list.
    pub fn checked(&self) -> usize {
        self.checked
    }

    /// The languages of the pages read (their `<html lang>`), the default page's first.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Panics with the report unless [`is_ok`](AnchorReport::is_ok).
    ///
    /// # Panics
    ///
    /// If an `error_uri` does not open its entry, with every such URI in the message.
    #[track_caller]
    pub fn assert_ok(&self) {
        assert!(self.is_ok(), "{self}");
    }
}

impl fmt::Display for AnchorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_ok() {
            return write!(
                f,
                "every error_uri opens its entry of the page: {} checks passed (languages: {})",
                self.checked,
                self.languages.join(", ")
            );
        }
        write!(
            f,
            "{} of {} error_uri checks failed:",
            self.problems.len(),
            self.checked.max(self.problems.len())
        )?;
        for problem in &self.problems {
            write!(f, "\n- {problem}")?;
        }
        Ok(())
    }
}

/// An `error_uri` that does not open an entry of the page, found by [`check_anchors`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorProblem {
    code: String,
    uri: String,
    message: String,
}

impl AnchorProblem {
    /// A problem with the page itself, which answered `problem` to a request for `target`.
    fn page(target: &str, problem: String) -> Self {
        Self {
            code: String::new(),
            uri: target.to_owned(),
            message: format!("the page could not be read: {problem}"),
        }
    }

    /// The code whose URI it is; empty when the page itself could not be read.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `error_uri` the layer sends for the code.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// What is wrong, and what to do about it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AnchorProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.code.is_empty() {
            write!(f, "{}: {}", self.uri, self.message)
        } else {
            write!(f, "`{}` ({}): {}", self.code, self.uri, self.message)
        }
    }
}

/// The body of the page's answer to `GET target` with `Accept: accept`, if it is a `200`.
fn fetch(page: &Page, target: &str, accept: &str) -> Result<Bytes, String> {
    let request = Request::get(target)
        .header(ACCEPT, accept)
        .body(Full::<Bytes>::default())
        .map_err(|err| format!("GET {target}: {err}"))?;
    let Ok(response) = page.clone().call(request).into_inner();
    if !response.status().is_success() {
        return Err(format!("GET {target} answered {}", response.status()));
    }
    let mut body = response.into_body();
    let mut bytes = BytesMut::new();
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        match Pin::new(&mut body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    bytes.extend_from_slice(&data);
                }
            }
            Poll::Ready(None) => return Ok(bytes.freeze()),
            Poll::Ready(Some(Err(never))) => match never {},
            Poll::Pending => return Err(format!("GET {target}: the body did not come at once")),
        }
    }
}

/// The path of `base` (`/docs/errors` for `https://api.example.com/docs/errors`), or `/`.
fn path_of(base: &str) -> String {
    match base.parse::<Uri>() {
        Ok(uri) if uri.path().starts_with('/') => uri.path().to_owned(),
        _ => "/".to_owned(),
    }
}

/// The request target of `href` on the page at `path`: a query (`?lang=pt-BR`) is the page's;
/// a path or an absolute URI gives its own path and query.
fn join(path: &str, href: &str) -> String {
    if href.starts_with('?') {
        return format!("{path}{href}");
    }
    match href.parse::<Uri>() {
        Ok(uri) => uri
            .path_and_query()
            .map_or_else(|| path.to_owned(), |pq| pq.as_str().to_owned()),
        Err(_) => path.to_owned(),
    }
}

/// The start tags of an HTML document, each as the text between `<` and `>`, comments left out.
///
/// The page escapes every `<` of its text and every `"` of its attribute values, so a `<`
/// opens a tag or a comment and a `"` delimits an attribute value.
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        let tag = rest.split('>').next().unwrap_or_default();
        if tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            tags.push(tag);
        }
    }
    tags
}

/// The value of the attribute `name` of a start tag, entities `&amp;` and `&quot;` decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let at = rest.find(char::is_whitespace)?;
        rest = rest[at..].trim_start();
        let (attr, after) = rest.split_at(rest.find(['=', ' ', '\t', '\n']).unwrap_or(rest.len()));
        if let Some(value) = after.strip_prefix("=\"") {
            let end = value.find('"')?;
            if attr.eq_ignore_ascii_case(name) {
                return Some(value[..end].replace("&quot;", "\"").replace("&amp;", "&"));
            }
            rest = &value[end + 1..];
        } else {
            rest = after;
            if attr.eq_ignore_ascii_case(name) {
                return Some(String::new());
            }
        }
        if rest.is_empty() {
            return None;
        }
    }
}

/// Every `id` of the document, in order, repeated ones repeated.
fn ids(html: &[u8]) -> Vec<String> {
    let html = String::from_utf8_lossy(html);
    tags(&html)
        .into_iter()
        .filter_map(|tag| attribute(tag, "id"))
        .collect()
}

/// The `lang` of the document's `<html>` element.
fn lang_of(html: &[u8]) -> Option<String> {
    let html = String::from_utf8_lossy(html);
    tags(&html)
        .into_iter()
        .find(|tag| tag.get(..4).is_some_and(|t| t.eq_ignore_ascii_case("html")))
        .and_then(|tag| attribute(tag, "lang"))
}

/// The `href` of every `<link rel="alternate" hreflang="...">` of the document.
fn alternates(html: &[u8]) -> Vec<String> {
    let html = String::from_utf8_lossy(html);
    tags(&html)
        .into_iter()
        .filter(|tag| {
            tag.get(..5)
                .is_some_and(|t| t.eq_ignore_ascii_case("link "))
        })
        .filter(|tag| attribute(tag, "rel").as_deref() == Some("alternate"))
        .filter(|tag| attribute(tag, "hreflang").is_some())
        .filter_map(|tag| attribute(tag, "href"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_of_a_start_tag() {
        let tag = r#"section id="not_found" class="entry""#;
        assert_eq!(attribute(tag, "id").as_deref(), Some("not_found"));
        assert_eq!(attribute(tag, "class").as_deref(), Some("entry"));
        assert_eq!(attribute(tag, "lang"), None);
        let tag = r#"a href="?a=1&amp;b=&quot;2&quot;" hidden data-id="x""#;
        assert_eq!(attribute(tag, "href").as_deref(), Some("?a=1&b=\"2\""));
        assert_eq!(attribute(tag, "hidden").as_deref(), Some(""));
        // `data-id` is not `id`.
        assert_eq!(attribute(tag, "id"), None);
    }

    #[test]
    fn ids_are_read_from_tags_only() {
        let html = br#"<!DOCTYPE html><html lang="pt-BR"><head>
<link rel="alternate" hreflang="en" href="?lang=en"><link rel="stylesheet" href="x.css">
</head><body><p>id="fake" &lt;b id="fake2"&gt;</p><section id="a"><h4 id="b">x</h4></section>
<!-- <p id="commented"> --><div id="a"></div></body></html>"#;
        assert_eq!(ids(html), ["a", "b", "a"]);
        assert_eq!(lang_of(html).as_deref(), Some("pt-BR"));
        assert_eq!(alternates(html), ["?lang=en"]);
    }

    #[test]
    fn request_targets() {
        assert_eq!(
            path_of("https://api.example.com/docs/errors"),
            "/docs/errors"
        );
        assert_eq!(path_of("/docs/errors"), "/docs/errors");
        assert_eq!(path_of("not a uri"), "/");
        assert_eq!(
            join("/docs/errors", "?lang=pt-BR"),
            "/docs/errors?lang=pt-BR"
        );
        assert_eq!(
            join(
                "/docs/errors",
                "https://api.example.com/docs/errores?lang=es"
            ),
            "/docs/errores?lang=es"
        );
    }
}

/// The check on real pages: a trimmed catalogue's page still has the layer's codes; a page of
/// another catalogue, or with another base, fails; every code the layer really answers with
/// opens an entry of a trimmed catalogue's page.
#[cfg(test)]
mod page_tests {
    use http::StatusCode;

    use super::check_anchors;
    use crate::{catalogue::Catalogue, code, code::Entry};

    const BASE: &str = "https://api.example.com/docs/errors";
    const PAID: Entry = Entry::new(StatusCode::CONFLICT, "order_already_paid", "It was paid.");
    const GONE: Entry = Entry::new(StatusCode::GONE, "order_gone", "It went.")
        .with_uri("https://api.example.com/docs/errors#order_gone");
    const ELSEWHERE: Entry = Entry::new(StatusCode::GONE, "order_archived", "Archived.")
        .with_uri("https://elsewhere.example/archived");

    fn trimmed() -> Catalogue {
        Catalogue::new()
            .with_entries([PAID, GONE, ELSEWHERE])
            .unwrap()
    }

    #[test]
    fn a_trimmed_catalogue_passes_since_the_page_shows_the_layer_codes() {
        let catalogue = trimmed();
        assert!(catalogue.get(code::NOT_FOUND).is_none());
        let report = check_anchors(&catalogue.page().base_uri(BASE), &catalogue, BASE);
        assert!(report.is_ok(), "{report}");
        // Two own codes on the page, `order_archived` is elsewhere, and every layer code; then
        // the JSON list's URIs: the three own codes and the layer codes.
        let layer = code::LAYER_CODES.len();
        assert_eq!(
            report.checked(),
            (2 + layer) * report.languages().len() + 3 + layer
        );
        assert_eq!(report.languages()[0], "en");
        assert!(report
            .to_string()
            .starts_with("every error_uri opens its entry"));
        // Without a base, the lists give no derived URIs: only the pages are checked.
        let report = check_anchors(&catalogue.page(), &catalogue, BASE);
        assert!(report.is_ok(), "{report}");
    }

    #[test]
    fn every_language_of_the_page_is_checked() {
        use crate::language::LanguageTag;

        let catalogue = trimmed();
        let page = catalogue.page().base_uri(BASE).languages([
            LanguageTag::from_static("en"),
            LanguageTag::from_static("pt-BR"),
        ]);
        let report = check_anchors(&page, &catalogue, BASE);
        assert!(report.is_ok(), "{report}");
        assert_eq!(report.languages(), ["en", "pt-BR"]);
        assert!(report.to_string().ends_with("(languages: en, pt-BR)"));

        // The Portuguese page of a stale catalogue fails too, and says so.
        let stale = Catalogue::new().page().base_uri(BASE).languages([
            LanguageTag::from_static("en"),
            LanguageTag::from_static("pt-BR"),
        ]);
        let report = check_anchors(&stale, &catalogue, BASE);
        let pt: Vec<&str> = report
            .problems()
            .iter()
            .filter(|p| p.message().starts_with("the page (language pt-BR)"))
            .map(|p| p.code())
            .collect();
        assert_eq!(pt, ["order_already_paid", "order_gone"]);
    }

    #[test]
    fn a_page_of_another_catalogue_fails_naming_each_code() {
        let catalogue = trimmed();
        let stale = Catalogue::builtin().page().base_uri(BASE);
        let report = check_anchors(&stale, &catalogue, BASE);
        let codes: Vec<&str> = report.problems().iter().map(|p| p.code()).collect();
        assert_eq!(codes, ["order_already_paid", "order_gone"]);
        assert_eq!(report.problems()[1].uri(), GONE.uri().unwrap());
        let text = report.to_string();
        assert!(text.starts_with("2 of "), "{text}");
        assert!(
            text.contains(
                "- `order_already_paid` (https://api.example.com/docs/errors#order_already_paid): \
                 the page (language en) has no element with id=\"order_already_paid\": serve the \
                 page of the catalogue the layer's errors come from"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_page_with_another_base_fails() {
        let catalogue = trimmed();
        let page = catalogue.page().base_uri("https://old.example.com/errors");
        let report = check_anchors(&page, &catalogue, BASE);
        assert!(!report.is_ok());
        let problem = report
            .problems()
            .iter()
            .find(|p| p.code() == "order_already_paid")
            .unwrap();
        assert_eq!(
            problem.message(),
            "the page's JSON list gives it the URI \
             https://old.example.com/errors#order_already_paid: give the page the layer's \
             `error_uri_base` as its `base_uri`"
        );
        // An entry's own URI is the same whatever the base.
        assert!(report.problems().iter().all(|p| p.code() != "order_gone"));
    }

    /// Every code the layer answers with by itself, for the failures of axum, tower and
    /// tower-http that it rewrites and for its own answers, has its entry on the page of a
    /// catalogue that declares none of them: `code::LAYER_CODES` misses none.
    #[cfg(all(feature = "axum", feature = "tower"))]
    #[tokio::test]
    async fn every_code_the_layer_answers_with_opens_an_entry() {
        use std::time::Duration;

        use axum::{
            extract::{DefaultBodyLimit, Query},
            routing::{get, post},
            Json, Router,
        };
        use http::{header, Request};
        use http_body_util::BodyExt;
        use tower::ServiceExt;

        use crate::{ApiError, ApiErrorLayer};

        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Body {
            n: u8,
        }
        async fn slow() -> &'static str {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }
        async fn elapsed() -> Result<&'static str, ApiError> {
            let late = tower::timeout::error::Elapsed::new();
            Err(ApiError::from(
                Box::new(late) as Box<dyn std::error::Error + Send + Sync>
            ))
        }
        async fn overloaded() -> Result<&'static str, ApiError> {
            let over = tower::load_shed::error::Overloaded::new();
            Err(ApiError::from(
                Box::new(over) as Box<dyn std::error::Error + Send + Sync>
            ))
        }
        async fn panics() -> &'static str {
            panic!("boom")
        }
        let app = Router::new()
            .route("/json", post(|Json(_): Json<Body>| async { "ok" }))
            .route("/query", get(|Query(_): Query<Body>| async { "ok" }))
            .route(
                "/slow",
                get(slow).layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_millis(10),
                )),
            )
            .route(
                "/gateway",
                get(slow).layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::GATEWAY_TIMEOUT,
                    Duration::from_millis(10),
                )),
            )
            .route("/elapsed", get(elapsed))
            .route("/overloaded", get(overloaded))
            .route("/panic", get(panics))
            .layer(DefaultBodyLimit::max(8))
            .layer(ApiErrorLayer::new().error_uri_base(BASE));

        let json = |body: &'static str| {
            Request::post("/json")
                .header(header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(body))
                .unwrap()
        };
        let requests = [
            (
                "unknown path",
                Request::get("/nope").body(Default::default()).unwrap(),
            ),
            (
                "wrong method",
                Request::delete("/json").body(Default::default()).unwrap(),
            ),
            (
                "no acceptable format",
                Request::get("/nope")
                    .header(header::ACCEPT, "image/png")
                    .body(Default::default())
                    .unwrap(),
            ),
            ("syntax", json("{")),
            ("data", json(r#"{"n":-1}"#)),
            ("too large", json(r#"{"n":1, "padding": "xxxxxxxx"}"#)),
            (
                "media type",
                Request::post("/json")
                    .body(axum::body::Body::from("{}"))
                    .unwrap(),
            ),
            (
                "query",
                Request::get("/query?n=x").body(Default::default()).unwrap(),
            ),
            (
                "408",
                Request::get("/slow").body(Default::default()).unwrap(),
            ),
            (
                "504",
                Request::get("/gateway").body(Default::default()).unwrap(),
            ),
            (
                "elapsed",
                Request::get("/elapsed").body(Default::default()).unwrap(),
            ),
            (
                "overloaded",
                Request::get("/overloaded")
                    .body(Default::default())
                    .unwrap(),
            ),
            (
                "panic",
                Request::get("/panic").body(Default::default()).unwrap(),
            ),
        ];
        let mut seen = Vec::new();
        for (what, request) in requests {
            let response = app.clone().oneshot(request).await.unwrap();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let code = body["error"].as_str().unwrap().to_owned();
            assert_eq!(body["error_uri"], format!("{BASE}#{code}"), "{what}");
            assert!(code::LAYER_CODES.contains(&code.as_str()), "{what}: {code}");
            seen.push(code);
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen,
            [
                "gateway_timeout",
                "internal_server_error",
                "invalid_parameter",
                "invalid_value_parameter",
                "method_not_allowed",
                "not_acceptable",
                "not_found",
                "payload_too_large",
                "request_timeout",
                "service_unavailable",
                "unprocessable_entity",
                "unsupported_media_type",
            ]
        );
        let catalogue = Catalogue::new();
        check_anchors(&catalogue.page().base_uri(BASE), &catalogue, BASE).assert_ok();
    }
}
