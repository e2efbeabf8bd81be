//! The error catalogue and its documentation page: built from the built-in codes and an
//! application's own, served as HTML, JSON and XML, each read back with an independent parser.

use std::convert::Infallible;

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::ServiceExt;
use tower_api_error::{
    catalogue::{Catalogue, ErrorCodes, Page},
    code::{self, Entry},
    language::{LanguageTag, Translation},
    member::{MemberDoc, MemberType},
    ApiErrorLayer, ProblemDetails,
};

const BASE: &str = "https://api.example.com/docs/errors";

struct AppErrors;

impl ErrorCodes for AppErrors {
    const CODES: &'static [Entry] = &[
        Entry::new(
            StatusCode::CONFLICT,
            "item_name_taken",
            "An item named <b>\"x\"</b> & co already exists.",
        )
        .with_title("Item name taken")
        .with_members(&[
            MemberDoc::new("existing_id", MemberType::Integer),
            MemberDoc::new(
                "similar",
                MemberType::List(&MemberType::List(&MemberType::String)),
            ),
        ]),
        Entry::new(StatusCode::NOT_FOUND, "not_found", "No such item.").with_title("No item"),
        Entry::new(StatusCode::GONE, "item_gone", "It went.")
            .with_uri("https://elsewhere.example/gone?a=1&b='2'")
            .with_members(&[
                MemberDoc::new("archived", MemberType::Boolean).public(),
                MemberDoc::new("gone-since.utc", MemberType::String),
            ]),
    ];
}

fn catalogue() -> Catalogue {
    Catalogue::builtin().with::<AppErrors>().unwrap()
}

fn page() -> Page {
    catalogue()
        .page()
        .title("Errors of <the> API")
        .base_uri(BASE)
}

async fn get(page: Page, method: Method, accept: Option<&str>) -> (Response<()>, Bytes) {
    let mut request = Request::builder().method(method).uri("/docs/errors");
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    let request = request.body(Full::<Bytes>::default()).unwrap();
    let response: Response<Full<Bytes>> =
        Result::<_, Infallible>::unwrap(page.oneshot(request).await);
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (Response::from_parts(parts, ()), body)
}

#[test]
fn catalogue_holds_each_code_once_and_refuses_two_statuses() {
    let catalogue = catalogue();
    let codes: Vec<&str> = catalogue.entries().iter().map(Entry::code).collect();
    assert_eq!(codes.len(), code::all().len() + 2);
    let mut unique = codes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), codes.len());
    // The application's `not_found` replaced the built-in one, in its place.
    let not_found = catalogue.get("not_found").unwrap();
    assert_eq!(not_found.title(), "No item");
    assert_eq!(
        codes.iter().position(|c| *c == "not_found"),
        code::all().position(|e| e.code() == "not_found")
    );

    struct Clash;
    impl ErrorCodes for Clash {
        const CODES: &'static [Entry] = &[Entry::new(
            StatusCode::BAD_REQUEST,
            "item_name_taken",
            "Another status.",
        )];
    }
    let err = catalogue.with::<Clash>().unwrap_err();
    assert_eq!(err.code(), "item_name_taken");
    assert_eq!(
        err.statuses(),
        (StatusCode::CONFLICT, StatusCode::BAD_REQUEST)
    );
}

#[tokio::test]
async fn the_page_is_html_with_an_entry_per_code() {
    for accept in [
        None,
        Some("text/html"),
        Some(
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        ),
        Some("image/png"),
        Some(";;,,garbage/"),
    ] {
        let (response, body) = get(page(), Method::GET, accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        assert_eq!(response.headers()[header::VARY], "Accept");

        let html = std::str::from_utf8(&body).unwrap();
        let document = scraper::Html::parse_document(html);
        assert!(document.errors.is_empty(), "{:?}", document.errors);
        let select = |css: &str| scraper::Selector::parse(css).unwrap();
        let title = document.select(&select("title")).next().unwrap();
        assert_eq!(title.text().collect::<String>(), "Errors of <the> API");

        for entry in catalogue().entries() {
            let css = format!("section[id=\"{}\"]", entry.code());
            let sections: Vec<_> = document.select(&select(&css)).collect();
            assert_eq!(sections.len(), 1, "{}", entry.code());
            let text: String = sections[0].text().collect();
            assert!(text.contains(entry.code()));
            assert!(text.contains(&entry.status().as_u16().to_string()));
            // The title, unless it is the status's reason phrase, which the heading above the
            // entry gives.
            let words: String = sections[0]
                .select(&select("h4, p"))
                .flat_map(|e| e.text())
                .collect();
            if Some(entry.title()) != entry.status().canonical_reason() {
                assert!(words.contains(entry.title()), "{}", entry.code());
            }
            assert!(text.contains(entry.description()), "{text}");
        }
        // The markup in a description is text, not markup.
        assert!(document.select(&select("section b")).next().is_none());
        // An entry with its own documentation links to it.
        let link = document
            .select(&select("section[id=\"item_gone\"] p a"))
            .next()
            .unwrap();
        assert_eq!(
            link.value().attr("href"),
            Some("https://elsewhere.example/gone?a=1&b='2'")
        );
    }
}

#[tokio::test]
async fn the_list_in_json_and_xml_when_asked() {
    let (response, body) = get(page(), Method::GET, Some("application/json")).await;
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["title"], "Errors of <the> API");
    let codes = json["codes"].as_array().unwrap();
    assert_eq!(codes.len(), catalogue().entries().len());
    let taken = codes
        .iter()
        .find(|c| c["code"] == "item_name_taken")
        .unwrap();
    assert_eq!(taken["status"], 409);
    assert_eq!(taken["title"], "Item name taken");
    assert_eq!(
        taken["description"],
        "An item named <b>\"x\"</b> & co already exists."
    );
    assert_eq!(taken["uri"], format!("{BASE}#item_name_taken"));

    for accept in ["application/xml", "text/html;q=0.5, application/xml"] {
        let (response, body) = get(page(), Method::GET, Some(accept)).await;
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/xml; charset=utf-8"
        );
        let text = std::str::from_utf8(&body).unwrap();
        let doc = roxmltree::Document::parse(text).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "error_codes");
        let entries: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("error_code"))
            .collect();
        assert_eq!(entries.len(), catalogue().entries().len());
        let child = |node: roxmltree::Node<'_, '_>, name: &str| {
            node.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .map(str::to_owned)
        };
        let gone = entries
            .iter()
            .find(|n| child(**n, "code").as_deref() == Some("item_gone"))
            .unwrap();
        assert_eq!(child(*gone, "status").as_deref(), Some("410"));
        assert_eq!(
            child(*gone, "uri").as_deref(),
            Some("https://elsewhere.example/gone?a=1&b='2'")
        );
        let taken = entries
            .iter()
            .find(|n| child(**n, "code").as_deref() == Some("item_name_taken"))
            .unwrap();
        assert_eq!(
            child(*taken, "description").as_deref(),
            Some("An item named <b>\"x\"</b> & co already exists.")
        );
    }
}

#[tokio::test]
async fn head_and_other_methods() {
    let (get_response, body) = get(page(), Method::GET, None).await;
    let (response, empty) = get(page(), Method::HEAD, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(empty.is_empty());
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        get_response.headers()[header::CONTENT_TYPE]
    );
    assert!(!body.is_empty());

    let (response, body) = get(page(), Method::POST, Some("text/html")).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "GET, HEAD");
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["error"], "method_not_allowed");
}

/// The members of each code, as `(name, type, public)`, as the catalogue documents them.
fn documented_members(code: &str) -> Vec<(String, String, bool)> {
    catalogue()
        .get(code)
        .unwrap()
        .members()
        .iter()
        .map(|m| {
            (
                m.name().to_owned(),
                m.ty().name().into_owned(),
                m.is_public(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_page_lists_the_members_of_each_code() {
    let (_, body) = get(page(), Method::GET, None).await;
    let html = std::str::from_utf8(&body).unwrap();
    let document = scraper::Html::parse_document(html);
    assert!(document.errors.is_empty(), "{:?}", document.errors);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    let text = |element: scraper::ElementRef<'_>| element.text().collect::<String>();

    for entry in catalogue().entries() {
        let code = entry.code();
        let tables: Vec<_> = document
            .select(&select(&format!("section[id=\"{code}\"] table.members")))
            .collect();
        if entry.members().is_empty() {
            assert!(tables.is_empty(), "{code}");
            continue;
        }
        assert_eq!(tables.len(), 1, "{code}");
        let head: Vec<String> = tables[0].select(&select("thead th")).map(text).collect();
        assert_eq!(head, ["Member", "Type", "Public"]);
        let rows: Vec<(String, String, bool)> = tables[0]
            .select(&select("tbody tr"))
            .map(|row| {
                let cells: Vec<String> = row.select(&select("td")).map(text).collect();
                let public = match cells[2].as_str() {
                    "yes" => true,
                    "no" => false,
                    other => panic!("{code}: public is {other:?}"),
                };
                (cells[0].clone(), cells[1].clone(), public)
            })
            .collect();
        assert_eq!(rows, documented_members(code), "{code}");
    }
    assert_eq!(
        documented_members("item_name_taken"),
        [
            ("existing_id".to_owned(), "integer".to_owned(), false),
            (
                "similar".to_owned(),
                "list of list of string".to_owned(),
                false
            ),
        ]
    );
    // The rows as written, names in `<code>`.
    assert!(
        html.contains("<tr><td><code>gone-since.utc</code></td><td>string</td><td>no</td></tr>\n")
    );
    assert!(html.contains("<tr><td><code>archived</code></td><td>boolean</td><td>yes</td></tr>\n"));
    // The page says once what "public" means.
    assert_eq!(html.matches("sends only its public members").count(), 1);

    // A catalogue without members has neither tables nor that sentence.
    let (_, body) = get(Catalogue::builtin().page(), Method::GET, None).await;
    let html = std::str::from_utf8(&body).unwrap();
    assert!(!html.contains("<table"));
    assert!(!html.contains("public members"));
}

#[tokio::test]
async fn the_lists_give_the_members_of_each_code() {
    let (_, body) = get(page(), Method::GET, Some("application/json")).await;
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    for code in json["codes"].as_array().unwrap() {
        let name = code["code"].as_str().unwrap();
        let expected = documented_members(name);
        if expected.is_empty() {
            assert!(code.get("members").is_none(), "{name}");
            continue;
        }
        let members: Vec<(String, String, bool)> = code["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                assert_eq!(m.as_object().unwrap().len(), 3, "{m}");
                (
                    m["name"].as_str().unwrap().to_owned(),
                    m["type"].as_str().unwrap().to_owned(),
                    m["public"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(members, expected, "{name}");
    }

    let (_, body) = get(page(), Method::GET, Some("application/xml")).await;
    let doc = roxmltree::Document::parse(std::str::from_utf8(&body).unwrap()).unwrap();
    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        node.children().find(|n| n.has_tag_name(name))
    }
    fn text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
        child(node, name)
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    }
    for entry in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("error_code"))
    {
        let name = text(entry, "code");
        let expected = documented_members(&name);
        let Some(members) = child(entry, "members") else {
            assert!(expected.is_empty(), "{name}");
            continue;
        };
        let members: Vec<(String, String, bool)> = members
            .children()
            .filter(|n| n.is_element())
            .map(|m| {
                assert!(m.has_tag_name("member"));
                let public = match text(m, "public").as_str() {
                    "true" => true,
                    "false" => false,
                    other => panic!("{name}: public is {other:?}"),
                };
                (text(m, "name"), text(m, "type"), public)
            })
            .collect();
        assert_eq!(members, expected, "{name}");
    }
}

/// The page parsed, with a CSS selector helper.
fn parse_page(body: &[u8]) -> scraper::Html {
    let document = scraper::Html::parse_document(std::str::from_utf8(body).unwrap());
    assert!(document.errors.is_empty(), "{:?}", document.errors);
    document
}

fn select(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

fn text(element: scraper::ElementRef<'_>) -> String {
    element.text().collect()
}

/// The codes of the entries of a part of the page (`page:own` or `page:builtin`), in order.
fn codes_of(document: &scraper::Html, part: &str) -> Vec<String> {
    document
        .select(&select(&format!("section[id=\"{part}\"] section.entry")))
        .map(|s| s.value().id().unwrap().to_owned())
        .collect()
}

/// An application that declares two built-in codes and codes of its own on three statuses,
/// the 409s declared before a 400.
struct Orders;

impl ErrorCodes for Orders {
    const CODES: &'static [Entry] = &[
        Entry::new(
            StatusCode::CONFLICT,
            "order_already_paid",
            "The order was paid.",
        )
        .with_title("Order already paid"),
        Entry::new(
            StatusCode::CONFLICT,
            "version_conflict",
            "The order changed.",
        ),
        Entry::new(
            StatusCode::BAD_REQUEST,
            "bad_coupon",
            "The coupon is not valid.",
        ),
        Entry::new(StatusCode::NOT_FOUND, "not_found", "No such order.").with_title("No order"),
    ];
}

fn orders() -> Catalogue {
    Catalogue::new()
        .with::<Orders>()
        .unwrap()
        .with_entries(
            code::all().filter(|e| [code::TOKEN_EXPIRED, code::CONFLICT].contains(&e.code())),
        )
        .unwrap()
}

/// The codes the layer itself answers with, whatever the catalogue: the page always has them.
const LAYER_CODES: &[&str] = &[
    "invalid_parameter",
    "invalid_value_parameter",
    "unauthorized",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "request_timeout",
    "payload_too_large",
    "unsupported_media_type",
    "unprocessable_entity",
    "internal_server_error",
    "service_unavailable",
    "gateway_timeout",
];

#[tokio::test]
async fn own_codes_first_by_status_then_declared_and_layer_codes() {
    let (_, body) = get(orders().page(), Method::GET, None).await;
    let document = parse_page(&body);
    assert_eq!(
        codes_of(&document, "page:own"),
        [
            "bad_coupon",
            "not_found",
            "order_already_paid",
            "version_conflict"
        ]
    );
    // The built-in part: the declared `token_expired` and `conflict`, and the layer's codes but
    // `not_found`, which the application documents as its own; sorted by status.
    let builtin = codes_of(&document, "page:builtin");
    let mut expected: Vec<&str> = code::all()
        .map(|e| e.code())
        .filter(|c| {
            (LAYER_CODES.contains(c) && *c != "not_found")
                || [code::TOKEN_EXPIRED, code::CONFLICT].contains(c)
        })
        .collect();
    assert_eq!(builtin, expected);
    assert!(!builtin.iter().any(|c| c == "loop_detected"));
    // Each part has a heading per status, in the order of its entries.
    let headings: Vec<String> = document
        .select(&select("section[id=\"page:own\"] h3"))
        .map(text)
        .collect();
    assert_eq!(
        headings,
        ["400 Bad Request", "404 Not Found", "409 Conflict"]
    );

    // The table of contents links every entry once, grouped the same way.
    let nav = document.select(&select("nav")).next().unwrap();
    let linked: Vec<String> = nav
        .select(&select("a"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    let mut all = codes_of(&document, "page:own");
    all.extend(builtin.iter().cloned());
    let mut wanted = vec!["#page:fields".to_owned(), "#page:own".to_owned()];
    wanted.extend(
        codes_of(&document, "page:own")
            .iter()
            .map(|c| format!("#{c}")),
    );
    wanted.push("#page:builtin".to_owned());
    wanted.extend(builtin.iter().map(|c| format!("#{c}")));
    assert_eq!(linked, wanted);
    let toc_409 = nav
        .select(&select("li li"))
        .map(text)
        .find(|t| t.starts_with("409"))
        .unwrap();
    assert_eq!(toc_409, "409 Conflict order_already_paid, version_conflict");
    // Below the own codes, the built-in ones fold away in the table of contents.
    let folded = nav
        .select(&select("details > summary"))
        .map(text)
        .collect::<Vec<_>>();
    assert_eq!(folded, ["14 codes"]);
    for target in linked {
        let id = target.trim_start_matches('#');
        let found = document.select(&select(&format!("[id=\"{id}\"]"))).count();
        assert_eq!(found, 1, "{id}");
    }

    // A catalogue of the built-in codes alone documents every one of them, in the table's
    // order, and has no part of its own.
    let (_, body) = get(Catalogue::builtin().page(), Method::GET, None).await;
    let document = parse_page(&body);
    assert!(codes_of(&document, "page:own").is_empty());
    assert!(document.select(&select("nav details")).next().is_none());
    expected = code::all().map(|e| e.code()).collect();
    assert_eq!(codes_of(&document, "page:builtin"), expected);
}

/// The page's entries with the status heading each one sits under (its text, such as
/// "404 Not Found"), in order.
fn entries_under_headings(document: &scraper::Html) -> Vec<(String, scraper::ElementRef<'_>)> {
    let mut entries = Vec::new();
    for group in document.select(&select("section.group")) {
        let mut heading = None;
        for child in group.children().filter_map(scraper::ElementRef::wrap) {
            match child.value().name() {
                "h3" => heading = Some(text(child)),
                "section" => entries.push((heading.clone().expect("a heading first"), child)),
                _ => {}
            }
        }
    }
    entries
}

#[tokio::test]
async fn each_entry_links_to_itself_and_says_its_status_and_reason_once() {
    let languages = [
        LanguageTag::from_static("en"),
        LanguageTag::from_static("pt-BR"),
    ];
    // Each page, the language asked for, and the entries whose title says more than their
    // status's name.
    let cases: [(Catalogue, &str, &[&str]); 4] = [
        (orders(), "en", &["not_found", "order_already_paid"]),
        (orders(), "pt-BR", &["not_found", "order_already_paid"]),
        (Catalogue::builtin(), "en", &[]),
        (Catalogue::builtin(), "pt-BR", &[]),
    ];
    for (catalogue, lang, expected) in cases {
        let page = catalogue.page().languages(languages.clone());
        let uri = format!("/docs/errors?lang={lang}");
        let (_, body) = get_uri(page, &uri, "text/html").await;
        let document = parse_page(&body);
        let entries = entries_under_headings(&document);
        assert_eq!(
            entries.len(),
            document.select(&select("section.entry")).count()
        );
        let mut titled = Vec::new();
        for (heading, entry) in entries {
            let code = entry.value().id().unwrap();
            let link = entry.select(&select("h4 a")).next().unwrap();
            assert_eq!(link.value().attr("href"), Some(format!("#{code}").as_str()));
            assert_eq!(text(link), code);

            let declared = catalogue
                .get(code)
                .copied()
                .or_else(|| code::all().find(|e| e.code() == code))
                .unwrap();
            let status = declared.status();
            let number = status.as_u16().to_string();
            // The heading is the status and its name: the reason phrase in English.
            let name = heading
                .strip_prefix(&format!("{number} "))
                .unwrap_or_else(|| panic!("{code} under {heading}"));
            if lang == "en" {
                assert_eq!(Some(name), status.canonical_reason(), "{code}");
            }
            // The entry says its status once, in its meta line.
            let meta = text(entry.select(&select("p.meta")).next().unwrap());
            assert_eq!(meta.matches(&number).count(), 1, "{meta}");
            // The entry's own words, its example bodies left out, read under its heading: the
            // status's name once.
            let words: String = entry
                .select(&select("h4, p"))
                .map(text)
                .collect::<Vec<_>>()
                .join("\n");
            let read = format!("{heading}\n{words}");
            assert_eq!(read.matches(name).count(), 1, "{uri} {code}: {read}");
            // The title, where it says more than the status's name.
            let title = declared.title_in(lang);
            let shown = entry.select(&select("p.meta .title")).next().map(text);
            if title == name || Some(title) == status.canonical_reason() {
                assert_eq!(shown, None, "{uri} {code}");
            } else {
                assert_eq!(shown.as_deref(), Some(title), "{uri} {code}");
                titled.push(code.to_owned());
            }
        }
        assert_eq!(titled, expected, "{uri}");
    }
}

/// The entry of `code` in the orders catalogue, or the built-in one.
fn catalogue_entry(code: &str) -> Entry {
    orders()
        .get(code)
        .copied()
        .or_else(|| code::all().find(|e| e.code() == code))
        .unwrap()
}

#[tokio::test]
async fn each_example_is_the_body_the_layer_sends() {
    for (problem_details, types) in [
        (
            ProblemDetails::WhenAsked,
            &[
                "application/json",
                "application/xml",
                "application/problem+json",
                "application/problem+xml",
            ][..],
        ),
        (
            ProblemDetails::Never,
            &["application/json", "application/xml"][..],
        ),
        (
            ProblemDetails::Always,
            &["application/problem+json", "application/problem+xml"][..],
        ),
    ] {
        let page = orders()
            .page()
            .base_uri(BASE)
            .problem_details(problem_details);
        let (_, body) = get(page, Method::GET, None).await;
        let document = parse_page(&body);
        let layer = ApiErrorLayer::new()
            .error_uri_base(BASE)
            .problem_details(problem_details);
        let mut checked = 0;
        for section in document.select(&select("section.entry")) {
            let code = section.value().id().unwrap().to_owned();
            let entry = catalogue_entry(&code);
            let summary = text(
                section
                    .select(&select("details.examples > summary"))
                    .next()
                    .unwrap(),
            );
            assert_eq!(summary, "Example bodies");
            let examples: Vec<_> = section
                .select(&select("details.examples > figure"))
                .collect();
            assert_eq!(examples.len(), types.len(), "{code}");
            for (example, accept) in examples.iter().zip(types) {
                let caption = text(example.select(&select("figcaption")).next().unwrap());
                assert_eq!(caption, *accept);
                let shown = text(example.select(&select("pre > code")).next().unwrap());
                let make = move || entry.example().unwrap();
                let (_, headers, sent) =
                    crate::support::render_error(layer.clone(), make, accept).await;
                let sent_type = headers[header::CONTENT_TYPE].to_str().unwrap();
                assert_eq!(sent_type.split(';').next(), Some(*accept));
                assert_eq!(
                    shown,
                    std::str::from_utf8(&sent).unwrap(),
                    "{code} {accept}"
                );
                checked += 1;
            }
        }
        // 4 own entries, 14 built-in ones, each with an example.
        assert_eq!(checked, 18 * types.len());
    }

    // An entry without an example shows none.
    const TEMPLATED: Entry = Entry::new(StatusCode::GONE, "order_gone", "Gone.").without_example();
    let page = Catalogue::new().with_entries([TEMPLATED]).unwrap().page();
    let (_, body) = get(page, Method::GET, None).await;
    let document = parse_page(&body);
    let gone = document
        .select(&select("section[id=\"order_gone\"]"))
        .next()
        .unwrap();
    assert!(gone.select(&select("details, pre")).next().is_none());
}

#[tokio::test]
async fn the_fields_section_follows_the_shapes_sent() {
    let fields = |problem_details| async move {
        let page = orders().page().problem_details(problem_details);
        let (_, body) = get(page, Method::GET, None).await;
        let document = parse_page(&body);
        let section = document
            .select(&select("section[id=\"page:fields\"]"))
            .next()
            .unwrap();
        section
            .select(&select("dt"))
            .map(text)
            .collect::<Vec<String>>()
    };
    let seed = [
        "error",
        "error_description",
        "error_uri",
        "request_id",
        "field_errors",
    ];
    let problem = ["type", "title", "status", "detail"];
    assert_eq!(fields(ProblemDetails::Never).await, seed);
    assert_eq!(
        fields(ProblemDetails::WhenAsked).await,
        [&seed[..], &problem[..]].concat()
    );
    assert_eq!(
        fields(ProblemDetails::Always).await,
        [&problem[..], &["error", "request_id", "field_errors"][..]].concat()
    );
}

#[tokio::test]
async fn the_intro_is_plain_text() {
    let (_, body) = get(page(), Method::GET, None).await;
    let default = text(parse_page(&body).select(&select("p.intro")).next().unwrap());
    assert!(default.starts_with("Every error response of this API carries one of these codes"));

    let page = page().intro("Orders & <payments>: read \"this\".");
    let (_, body) = get(page, Method::GET, None).await;
    let html = std::str::from_utf8(&body).unwrap();
    assert!(html
        .contains("<p class=\"intro\">Orders &amp; &lt;payments&gt;: read &quot;this&quot;.</p>"));
    let document = parse_page(&body);
    let intro = document.select(&select("p.intro")).next().unwrap();
    assert_eq!(text(intro), "Orders & <payments>: read \"this\".");
    assert!(document.select(&select("payments")).next().is_none());
}

/// The intro of the page at `uri`.
async fn intro_of(page: Page, uri: &str) -> String {
    let (_, body) = get_uri(page, uri, "text/html").await;
    let document = parse_page(&body);
    let intros: Vec<String> = document.select(&select("p.intro")).map(text).collect();
    assert_eq!(intros.len(), 1, "{uri}");
    intros.into_iter().next().unwrap()
}

#[tokio::test]
async fn the_intro_is_given_per_language() {
    let [en, pt_br, de] = ["en", "pt-BR", "de"].map(LanguageTag::from_static);
    let page = || {
        Catalogue::new()
            .page()
            .languages([en.clone(), pt_br.clone(), de.clone()])
    };
    const EN: &str = "/docs/errors";
    const PT: &str = "/docs/errors?lang=pt-BR";
    const DE: &str = "/docs/errors?lang=de";

    // None given: the page's own sentence, in the language if the page has its words.
    let own_en = intro_of(page(), EN).await;
    assert!(
        own_en.starts_with("Every error response of this API"),
        "{own_en}"
    );
    let own_pt = intro_of(page(), PT).await;
    assert!(
        own_pt.starts_with("Toda resposta de erro desta API"),
        "{own_pt}"
    );
    assert_eq!(intro_of(page(), DE).await, own_en);

    // One for all languages.
    let all = page().intro("For everyone.");
    for uri in [EN, PT, DE] {
        assert_eq!(intro_of(all.clone(), uri).await, "For everyone.", "{uri}");
    }

    // Per language, the default language's where a language has none; the tag's case does not
    // matter, and a second one for a language replaces the first.
    let per = page()
        .intro_in(LanguageTag::from_static("PT-br"), "Primeira.")
        .intro_in(en.clone(), "In English & <plain>.")
        .intro_in(pt_br.clone(), "Erros da API.");
    assert_eq!(intro_of(per.clone(), EN).await, "In English & <plain>.");
    assert_eq!(intro_of(per.clone(), PT).await, "Erros da API.");
    assert_eq!(intro_of(per.clone(), DE).await, "In English & <plain>.");
    let (_, body) = get_uri(per, EN, "text/html").await;
    assert!(std::str::from_utf8(&body)
        .unwrap()
        .contains("<p class=\"intro\">In English &amp; &lt;plain&gt;.</p>"));

    // With `intro` too, it is for the languages without their own, in whichever order.
    for mixed in [
        page().intro("Any.").intro_in(pt_br.clone(), "Erros."),
        page().intro_in(pt_br.clone(), "Erros.").intro("Any."),
    ] {
        assert_eq!(intro_of(mixed.clone(), EN).await, "Any.");
        assert_eq!(intro_of(mixed.clone(), PT).await, "Erros.");
        assert_eq!(intro_of(mixed, DE).await, "Any.");
    }

    // An intro in a language the page does not speak is never shown; the default language
    // set after the intros counts.
    let unspoken = Catalogue::new().page().intro_in(pt_br.clone(), "Erros.");
    assert_eq!(intro_of(unspoken.clone(), PT).await, own_en);
    let later = unspoken.languages([pt_br.clone(), en.clone()]);
    assert_eq!(intro_of(later.clone(), EN).await, "Erros.");
    assert_eq!(intro_of(later, PT).await, "Erros.");
}

#[tokio::test]
async fn the_lists_have_the_page_s_entries_in_its_order() {
    let page = orders().page().base_uri(BASE);
    let (_, body) = get(page.clone(), Method::GET, None).await;
    let document = parse_page(&body);
    let mut on_page = codes_of(&document, "page:own");
    let own = on_page.len();
    on_page.extend(codes_of(&document, "page:builtin"));

    let (_, body) = get(page.clone(), Method::GET, Some("application/json")).await;
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let codes = json["codes"].as_array().unwrap();
    let listed: Vec<&str> = codes.iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(listed, on_page);
    for (i, code) in codes.iter().enumerate() {
        assert_eq!(code["own"], i < own, "{code}");
        let examples = code["examples"].as_array().unwrap();
        assert_eq!(examples.len(), 4);
        assert_eq!(examples[0]["content_type"], "application/json");
        let body: serde_json::Value =
            serde_json::from_str(examples[0]["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["error"], code["code"]);
        assert_eq!(body["error_uri"], code["uri"]);
    }

    let (_, body) = get(page, Method::GET, Some("application/xml")).await;
    let text = std::str::from_utf8(&body).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let entries: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("error_code"))
        .collect();
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let listed: Vec<String> = entries.iter().map(|n| child(*n, "code")).collect();
    assert_eq!(listed, on_page);
    for (i, entry) in entries.iter().enumerate() {
        let expected = if i < own { "true" } else { "false" };
        assert_eq!(child(*entry, "own"), expected);
        let example = entry
            .descendants()
            .find(|n| n.has_tag_name("example"))
            .unwrap();
        assert_eq!(child(example, "content_type"), "application/json");
        let body: serde_json::Value = serde_json::from_str(&child(example, "body")).unwrap();
        assert_eq!(body["error"].as_str().unwrap(), child(*entry, "code"));
    }
}

/// A code with a Brazilian Portuguese translation.
struct Translated;

impl ErrorCodes for Translated {
    const CODES: &'static [Entry] = &[Entry::new(
        StatusCode::CONFLICT,
        "order_already_paid",
        "The order was already paid.",
    )
    .with_title("Order already paid")
    .with_translations(&[
        Translation::new("pt-BR", "O pedido já foi pago.").with_title("Pedido já pago")
    ])];
}

fn multilingual() -> Page {
    Catalogue::new()
        .with::<Translated>()
        .unwrap()
        .page()
        .base_uri(BASE)
        .languages([
            LanguageTag::from_static("en"),
            LanguageTag::from_static("pt-BR"),
            LanguageTag::from_static("de"),
        ])
}

async fn get_uri(page: Page, uri: &str, accept: &str) -> (Response<()>, Bytes) {
    let request = Request::get(uri)
        .header(header::ACCEPT, accept)
        .body(Full::<Bytes>::default())
        .unwrap();
    let response: Response<Full<Bytes>> =
        Result::<_, Infallible>::unwrap(page.oneshot(request).await);
    let (parts, body) = response.into_parts();
    (
        Response::from_parts(parts, ()),
        body.collect().await.unwrap().to_bytes(),
    )
}

#[tokio::test]
async fn the_page_in_the_language_asked_for() {
    for (uri, lang) in [
        ("/docs/errors", "en"),
        ("/docs/errors?lang=pt-BR", "pt-BR"),
        ("/docs/errors?x=1&lang=PT-br", "pt-BR"),
        ("/docs/errors?lang=fr", "en"),
        ("/docs/errors?lang=", "en"),
        ("/docs/errors?lang=de", "de"),
    ] {
        let (response, body) = get_uri(multilingual(), uri, "text/html").await;
        assert_eq!(response.headers()[header::CONTENT_LANGUAGE], lang, "{uri}");
        assert_eq!(response.headers()[header::VARY], "Accept, Accept-Language");
        let document = parse_page(&body);
        let html = document.select(&select("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some(lang), "{uri}");
        // Links to each other language, in the head and visibly.
        let alternates: Vec<(String, String)> = document
            .select(&select("link[rel=alternate]"))
            .map(|l| {
                let attr = |name| l.value().attr(name).unwrap().to_owned();
                (attr("hreflang"), attr("href"))
            })
            .collect();
        let others: Vec<(String, String)> = ["en", "pt-BR", "de"]
            .into_iter()
            .filter(|other| *other != lang)
            .map(|other| (other.to_owned(), format!("?lang={other}")))
            .collect();
        assert_eq!(alternates, others, "{uri}");
        let visible: Vec<(String, String)> = document
            .select(&select("p.languages a"))
            .map(|a| (text(a), a.value().attr("href").unwrap().to_owned()))
            .collect();
        assert_eq!(visible, others, "{uri}");

        let entry = document
            .select(&select("section[id=\"order_already_paid\"]"))
            .next()
            .unwrap();
        let words = text(entry);
        let contents = text(document.select(&select("nav h2")).next().unwrap());
        let example = entry.select(&select("pre > code")).next().unwrap();
        let example: serde_json::Value = serde_json::from_str(&text(example)).unwrap();
        if lang == "pt-BR" {
            assert!(words.contains("Pedido já pago"), "{words}");
            assert!(words.contains("O pedido já foi pago."), "{words}");
            assert_eq!(contents, "Sumário");
            assert_eq!(example["error_description"], "O pedido já foi pago.");
        } else {
            // German has no words of its own: the default language's.
            assert!(words.contains("Order already paid"), "{words}");
            assert_eq!(contents, "Contents");
            assert_eq!(example["error_description"], "The order was already paid.");
        }
        // Codes and links are never translated.
        assert_eq!(example["error"], "order_already_paid");
        assert_eq!(example["error_uri"], format!("{BASE}#order_already_paid"));
    }

    // One language: no alternates, `Vary` only on `Accept`, `Content-Language` still said.
    let (response, body) = get_uri(page(), "/docs/errors?lang=pt-BR", "text/html").await;
    assert_eq!(response.headers()[header::VARY], "Accept");
    assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "en");
    let document = parse_page(&body);
    assert!(document
        .select(&select("link[rel=alternate], p.languages"))
        .next()
        .is_none());
}

#[tokio::test]
async fn the_lists_carry_the_language_s_texts() {
    let (response, body) = get_uri(
        multilingual(),
        "/docs/errors?lang=pt-br",
        "application/json",
    )
    .await;
    assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "pt-BR");
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["lang"], "pt-BR");
    let paid = &json["codes"][0];
    assert_eq!(paid["code"], "order_already_paid");
    assert_eq!(paid["title"], "Pedido já pago");
    assert_eq!(paid["description"], "O pedido já foi pago.");

    let (_, body) = get_uri(multilingual(), "/docs/errors?lang=pt-BR", "application/xml").await;
    let text = std::str::from_utf8(&body).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let root = doc.root_element();
    assert_eq!(
        root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("pt-BR")
    );
    let paid = root
        .children()
        .find(|n| n.has_tag_name("error_code"))
        .unwrap();
    let child = |name: &str| {
        paid.children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
    };
    assert_eq!(child("title"), Some("Pedido já pago"));
    assert_eq!(child("description"), Some("O pedido já foi pago."));
}
