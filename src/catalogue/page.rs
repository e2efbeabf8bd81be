//! The documentation page of a catalogue: the page that `error_uri`s link to.

use std::{
    convert::Infallible,
    fmt::Write as _,
    future::{ready, Ready},
    sync::Arc,
    task::{Context, Poll},
};

use bytes::{BufMut, Bytes, BytesMut};
use http::{
    header::{ACCEPT, CONTENT_TYPE, VARY},
    HeaderMap, HeaderValue, Method, Request, Response,
};
use http_body_util::Full;
use tower_service::Service;

use super::Catalogue;
use crate::{
    code::Entry,
    negotiate,
    render::{self, escape::escape_xml},
    ApiError, Format,
};

/// A [`tower::Service`](tower_service::Service) that serves the documentation of a
/// [`Catalogue`]: one page listing every code with its status, title and description, each
/// entry an element whose `id` is its code, so that `<page>#<code>` (the `error_uri` the layer
/// derives from its [`error_uri_base`](crate::ApiErrorLayer::error_uri_base)) opens the entry of
/// the code.
///
/// It answers `GET` and `HEAD` with `200` and one of three representations of the same list,
/// chosen by the request's `Accept` as RFC 9110 weighs media ranges (the most specific range
/// that matches decides a representation's weight). `Accept` is read as the layer reads it, with
/// the same leniency (see [`negotiate`](crate::negotiate)):
///
/// | representation | `Content-Type` |
/// |---|---|
/// | the page | `text/html; charset=utf-8` |
/// | JSON | `application/json` |
/// | XML | `application/xml; charset=utf-8` |
///
/// The page wins ties and is what a request gets that has no `Accept`, or accepts none of the
/// three: it is documentation, for a browser first. Other methods get a coded
/// `405 method_not_allowed` with `Allow: GET, HEAD`.
///
/// An entry whose code documents [extension members](crate::member) (see
/// [`Entry::with_members`]) lists them: in the page, a table of each member's name, type
/// (`string`, `integer`, `boolean` or `list of <type>`) and whether it is public (sent by a
/// masked 5xx error too); in JSON, a `members` array of objects with `name`, `type` and
/// `public`; in XML, a `<members>` element with one `<member>` each.
///
/// Serve it *outside* the [`ApiErrorLayer`](crate::ApiErrorLayer), so that every client gets
/// it: behind the layer, a request whose `Accept` admits neither JSON nor XML, such as
/// `Accept: text/html` alone, gets the layer's `406` instead of the page (a browser's real
/// `Accept`, which ends in `*/*;q=0.8`, still gets the page). With axum, add its route after the
/// `Router::layer` call, which wraps only the routes already added.
///
/// ```
/// use axum::{body::Body, http::{header, Request, StatusCode}, routing::get, Router};
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
/// use tower_api_error::{catalogue::Catalogue, ApiErrorLayer};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// const DOCS: &str = "https://api.example.com/docs/errors";
/// let docs = Catalogue::builtin().page().title("Example API errors").base_uri(DOCS);
/// let app = Router::new()
///     .route("/items/{id}", get(|| async { "an item" }))
///     .layer(ApiErrorLayer::new().error_uri_base(DOCS))
///     .route_service("/docs/errors", docs);
///
/// let request = Request::get("/docs/errors").header(header::ACCEPT, "text/html").body(Body::empty())?;
/// let response = app.clone().oneshot(request).await?;
/// assert_eq!(response.status(), StatusCode::OK);
/// assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
/// let html = response.into_body().collect().await?.to_bytes();
/// assert!(std::str::from_utf8(&html)?.contains(r#"<section id="not_found">"#));
///
/// let request = Request::get("/docs/errors").header(header::ACCEPT, "application/json").body(Body::empty())?;
/// let json = app.oneshot(request).await?.into_body().collect().await?.to_bytes();
/// let json: serde_json::Value = serde_json::from_slice(&json)?;
/// assert_eq!(json["codes"][8]["code"], "not_found");
/// assert_eq!(json["codes"][8]["uri"], "https://api.example.com/docs/errors#not_found");
/// # Ok(())
/// # }
/// ```
///
/// A code's members:
///
/// ```
/// use axum::{body::Body, http::{header, Request, StatusCode}};
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
/// use tower_api_error::{
///     catalogue::Catalogue,
///     code::Entry,
///     member::{MemberDoc, MemberType},
/// };
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// const NAME_TAKEN: Entry = Entry::new(StatusCode::CONFLICT, "item_name_taken", "The name is taken.")
///     .with_members(&[MemberDoc::new("existing_id", MemberType::Integer)]);
/// let page = Catalogue::new().with_entries([NAME_TAKEN])?.page();
///
/// let request = Request::get("/").body(Body::empty())?;
/// let html = page.clone().oneshot(request).await?.into_body().collect().await?.to_bytes();
/// assert!(std::str::from_utf8(&html)?
///     .contains("<tr><td><code>existing_id</code></td><td>integer</td><td>no</td></tr>"));
///
/// let request = Request::get("/").header(header::ACCEPT, "application/json").body(Body::empty())?;
/// let json = page.oneshot(request).await?.into_body().collect().await?.to_bytes();
/// let json: serde_json::Value = serde_json::from_slice(&json)?;
/// assert_eq!(
///     json["codes"][0]["members"],
///     serde_json::json!([{ "name": "existing_id", "type": "integer", "public": false }])
/// );
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Page {
    inner: Arc<Inner>,
}

#[derive(Debug, Clone)]
struct Inner {
    catalogue: Catalogue,
    title: String,
    base: Option<String>,
}

impl Catalogue {
    /// The documentation page of this catalogue, titled "Errors", that links each code to
    /// `#<code>` on itself (see [`Page`]).
    pub fn page(&self) -> Page {
        Page {
            inner: Arc::new(Inner {
                catalogue: self.clone(),
                title: "Errors".to_owned(),
                base: None,
            }),
        }
    }
}

impl Page {
    /// Sets the title of the page.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.inner_mut().title = title.into();
        self
    }

    /// Sets the page's own address, the layer's
    /// [`error_uri_base`](crate::ApiErrorLayer::error_uri_base), so that the JSON and XML lists
    /// give each code its full documentation URI (`<base>#<code>`), as `error_uri` does. Without
    /// it they give no URI for codes that have none of their own.
    #[must_use]
    pub fn base_uri(mut self, base: impl Into<String>) -> Self {
        self.inner_mut().base = Some(base.into());
        self
    }

    fn inner_mut(&mut self) -> &mut Inner {
        Arc::make_mut(&mut self.inner)
    }

    /// The response to a request with these headers (and method `GET`).
    fn respond(&self, headers: &HeaderMap) -> Response<Full<Bytes>> {
        let (body, content_type) = match choose(headers) {
            Representation::Html => (self.html(), "text/html; charset=utf-8"),
            Representation::Json => (self.json(), "application/json"),
            Representation::Xml => (self.xml(), "application/xml; charset=utf-8"),
        };
        let mut response = Response::new(Full::new(body));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(VARY, HeaderValue::from_static("Accept"));
        response
    }

    fn uri(&self, entry: &Entry) -> Option<String> {
        match (entry.uri(), &self.inner.base) {
            (Some(uri), _) => Some(uri.to_owned()),
            (None, Some(base)) => Some(Catalogue::uri(entry, base)),
            (None, None) => None,
        }
    }

    fn html(&self) -> Bytes {
        let inner = &self.inner;
        let mut html = String::with_capacity(512 + 300 * inner.catalogue.entries().len());
        html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(html, "<title>{}</title>", Html(&inner.title));
        html.push_str(STYLE);
        html.push_str("</head>\n<body>\n<main>\n");
        let _ = writeln!(html, "<h1>{}</h1>", Html(&inner.title));
        html.push_str(
            "<p>Every error response carries one of these codes as <code>error</code>, with a \
             description as <code>error_description</code> and a link to its entry here as \
             <code>error_uri</code>.</p>\n",
        );
        if inner
            .catalogue
            .entries()
            .iter()
            .any(|e| !e.members().is_empty())
        {
            html.push_str(
                "<p>Some codes carry members of their own beside these, listed in their entry. \
                 A 5xx error whose description is masked sends only its public members; other \
                 errors send all of them.</p>\n",
            );
        }
        for entry in inner.catalogue.entries() {
            let status = entry.status();
            // A code is made of URI unreserved characters (see `Entry::new`): it is a valid
            // `id` and fragment as it is.
            let _ = write!(
                html,
                "<section id=\"{code}\">\n<h2><code>{code}</code></h2>\n\
                 <p class=\"status\">{status} {reason}</p>\n\
                 <p class=\"title\">{title}</p>\n<p>{description}</p>\n",
                code = entry.code(),
                status = status.as_u16(),
                reason = Html(crate::code::reason(status)),
                title = Html(entry.title()),
                description = Html(entry.description()),
            );
            if let Some(uri) = entry.uri() {
                let _ = writeln!(html, "<p><a href=\"{0}\">{0}</a></p>", Html(uri));
            }
            if !entry.members().is_empty() {
                html.push_str(
                    "<table class=\"members\">\n<thead><tr><th>Member</th><th>Type</th>\
                     <th>Public</th></tr></thead>\n<tbody>\n",
                );
                for member in entry.members() {
                    let _ = writeln!(
                        html,
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        Html(member.name()),
                        Html(&member.ty().name()),
                        if member.is_public() { "yes" } else { "no" },
                    );
                }
                html.push_str("</tbody>\n</table>\n");
            }
            html.push_str("</section>\n");
        }
        html.push_str("</main>\n</body>\n</html>\n");
        Bytes::from(html)
    }

    fn json(&self) -> Bytes {
        let codes: Vec<serde_json::Value> = self
            .inner
            .catalogue
            .entries()
            .iter()
            .map(|entry| {
                let mut code = serde_json::json!({
                    "code": entry.code(),
                    "status": entry.status().as_u16(),
                    "title": entry.title(),
                    "description": entry.description(),
                });
                if let Some(uri) = self.uri(entry) {
                    code["uri"] = uri.into();
                }
                if !entry.members().is_empty() {
                    let members: Vec<serde_json::Value> = entry
                        .members()
                        .iter()
                        .map(|member| {
                            serde_json::json!({
                                "name": member.name(),
                                "type": member.ty().name(),
                                "public": member.is_public(),
                            })
                        })
                        .collect();
                    code["members"] = members.into();
                }
                code
            })
            .collect();
        let list = serde_json::json!({ "title": self.inner.title, "codes": codes });
        Bytes::from(list.to_string())
    }

    fn xml(&self) -> Bytes {
        let entries = self.inner.catalogue.entries();
        let mut buf = BytesMut::with_capacity(256 + 300 * entries.len());
        buf.put_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_codes><title>");
        escape_xml(&mut buf, &self.inner.title);
        buf.put_slice(b"</title>");
        for entry in entries {
            let element = render::escape::element;
            buf.put_slice(b"<error_code>");
            element(&mut buf, "code", entry.code());
            element(&mut buf, "status", entry.status().as_str());
            element(&mut buf, "title", entry.title());
            element(&mut buf, "description", entry.description());
            if let Some(uri) = self.uri(entry) {
                element(&mut buf, "uri", &uri);
            }
            if !entry.members().is_empty() {
                buf.put_slice(b"<members>");
                for member in entry.members() {
                    buf.put_slice(b"<member>");
                    element(&mut buf, "name", member.name());
                    element(&mut buf, "type", &member.ty().name());
                    let public = if member.is_public() { "true" } else { "false" };
                    element(&mut buf, "public", public);
                    buf.put_slice(b"</member>");
                }
                buf.put_slice(b"</members>");
            }
            buf.put_slice(b"</error_code>");
        }
        buf.put_slice(b"</error_codes>");
        buf.freeze()
    }
}

const STYLE: &str = "<style>\
body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;color:#1a1a1a;background:#fff}\
main{max-width:48rem;margin:0 auto;padding:1rem 1.5rem 4rem}\
section{border-top:1px solid #ddd;padding:.5rem 0}\
section:target{background:#fff8d6}\
h2{font-size:1.1rem;margin:.5rem 0 0}\
p{margin:.25rem 0}.status{color:#555}.title{font-weight:600}\
table.members{border-collapse:collapse;margin:.5rem 0}\
.members th,.members td{border:1px solid #ddd;padding:.15rem .6rem;text-align:left}\
.members th{background:#f5f5f5;font-weight:600}\
</style>\n";

/// Text escaped for HTML character data and attribute values.
struct Html<'a>(&'a str);

impl std::fmt::Display for Html<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Representation {
    Html,
    Json,
    Xml,
}

/// The representation with the highest weight, the page winning ties, and the page when none is
/// acceptable. `Accept` is read by the crate's negotiation grammar, with the layer's leniency.
fn choose(headers: &HeaderMap) -> Representation {
    let [html, json, xml] = negotiate::weigh(
        headers.get_all(ACCEPT),
        [
            ("text", "html"),
            ("application", "json"),
            ("application", "xml"),
        ],
    );
    let mut best = (Representation::Html, html);
    for (representation, weight) in [(Representation::Json, json), (Representation::Xml, xml)] {
        if weight > best.1 {
            best = (representation, weight);
        }
    }
    best.0
}

impl<B> Service<Request<B>> for Page {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let method = req.method();
        let response = if method == Method::GET {
            self.respond(req.headers())
        } else if method == Method::HEAD {
            let (parts, _) = self.respond(req.headers()).into_parts();
            Response::from_parts(parts, Full::default())
        } else {
            not_allowed()
        };
        ready(Ok(response))
    }
}

/// `405 method_not_allowed` in JSON, the format the page's lists are in.
fn not_allowed() -> Response<Full<Bytes>> {
    let err = ApiError::method_not_allowed("", [Method::GET, Method::HEAD]);
    let body = render::body(&err, Format::Json, None, None);
    let mut parts = render::parts(&err);
    render::set_body_headers(&mut parts.headers, Format::Json, &body);
    Response::from_parts(parts, Full::new(body))
}

#[cfg(test)]
mod tests {
    use http::{header::ACCEPT, HeaderMap, HeaderValue};

    use super::{choose, Representation};
    use crate::negotiate::{self, Weight};

    fn with_accept(accept: &str) -> Representation {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_str(accept).unwrap());
        choose(&headers)
    }

    #[test]
    fn the_page_unless_json_or_xml_weighs_more() {
        assert_eq!(choose(&HeaderMap::new()), Representation::Html);
        for (accept, expected) in [
            ("text/html", Representation::Html),
            ("*/*", Representation::Html),
            ("image/png", Representation::Html),
            ("application/json", Representation::Json),
            ("application/xml", Representation::Xml),
            ("application/*", Representation::Json),
            ("text/html;q=0.5, application/json", Representation::Json),
            ("text/html, application/json", Representation::Html),
            (
                "application/json;q=0.4, application/xml;q=0.5",
                Representation::Xml,
            ),
            ("application/json;q=0, */*;q=0.1", Representation::Html),
            (
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                Representation::Html,
            ),
            (
                "application/json;q=bad, application/xml;q=0.1",
                Representation::Xml,
            ),
            (",,;;/,", Representation::Html),
        ] {
            assert_eq!(with_accept(accept), expected, "{accept}");
        }
    }

    #[test]
    fn weights() {
        // Weights are read by the crate's grammar: from 0 to 1 with up to three decimals, `.25`
        // for 0.25, digits past the third ignored, `q=` ignored (weight 1); any other value makes
        // the element malformed, and so skipped: then only `*/*;q=0.007` matches.
        let json = |accept: &str| {
            let accept = HeaderValue::from_str(accept).unwrap();
            let [json] = negotiate::weigh([&accept], [("application", "json")]);
            json
        };
        let weight = |q: &str| json(&format!("application/json;q={q}, */*;q=0.007"));
        let skipped = json("*/*;q=0.007");
        assert_eq!(weight("1"), json("application/json"));
        assert_eq!(weight("1.000"), weight("1"));
        assert_eq!(weight("0.5"), json("application/json;q=0.500"));
        assert_eq!(weight(".25"), json("application/json;q=0.25"));
        assert_eq!(weight("0"), Weight::ZERO);
        assert_eq!(weight("0.1234"), json("application/json;q=0.123"));
        assert_eq!(weight(""), weight("1"));
        for malformed in ["1.5", "2", "x", "."] {
            assert_eq!(weight(malformed), skipped, "q={malformed}");
        }
        assert!(Weight::ZERO < skipped && skipped < weight("0.5"));
    }

    /// Headers the page's own reader used to read otherwise than the layer: it ignored `*`
    /// alone, split quoted strings at their commas, skipped a field line with a byte that is not
    /// visible ASCII, and skipped elements with `q=` or with more than three decimals.
    #[test]
    fn accept_is_read_as_the_layer_reads_it() {
        for (accept, expected) in [
            ("application/xml;q=0.5, *", Representation::Html),
            ("*;q=0.5, application/json;q=0.4", Representation::Html),
            (
                "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
                Representation::Html,
            ),
            (
                "application/json;q=0.5;x=\"a, text/html, b\"",
                Representation::Json,
            ),
            ("application/json;q=", Representation::Json),
            ("application/json;q=0.1234", Representation::Json),
        ] {
            assert_eq!(with_accept(accept), expected, "{accept}");
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_bytes(b"application/json, text/\xff").unwrap(),
        );
        assert_eq!(choose(&headers), Representation::Json);
    }
}
