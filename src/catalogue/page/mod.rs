//! The documentation page of a catalogue: the page that `error_uri`s link to.

mod html;
mod lists;
mod words;

use std::{
    convert::Infallible,
    future::{ready, Ready},
    sync::Arc,
    task::{Context, Poll},
};

use bytes::Bytes;
use http::{
    header::{ACCEPT, CONTENT_LANGUAGE, CONTENT_TYPE, VARY},
    HeaderMap, HeaderValue, Method, Request, Response, Uri,
};
use http_body_util::Full;
use tower_service::Service;

use self::words::Words;
use super::Catalogue;
use crate::{
    code::{self, Entry},
    language::LanguageTag,
    negotiate, render, ApiError, Format, ProblemDetails,
};

/// A [`tower::Service`](tower_service::Service) that serves the documentation of a
/// [`Catalogue`]: one page listing every code with its status, title and description, each
/// entry an element whose `id` is its code, so that `<page>#<code>` (the `error_uri` the layer
/// derives from its [`error_uri_base`](crate::ApiErrorLayer::error_uri_base)) opens the entry of
/// the code.
///
/// The page, in order:
///
/// - the title and an [intro](Page::intro);
/// - a table of contents linking every entry, grouped as the entries are;
/// - a section on the fields of an error body (`error`, `error_description`, `error_uri`,
///   `request_id`, `field_errors`, extension members, problem details), for the shapes the
///   application [sends](Page::problem_details);
/// - the application's own codes (see [`Catalogue`]), under a heading per status;
/// - the built-in codes: those of the catalogue, and every code the layer itself answers with,
///   whatever the catalogue holds (`404` for an unknown path, `405`, `406`, `413`, `415`, the
///   `500` of a panic, the `503` and `504` of load shedding and timeouts, and the other codes of
///   the [rewrite rules](crate::ApiErrorLayer::rewrite_plain_errors)), so that every
///   `error_uri` the layer sends has its entry; under a heading per status, in the order of the
///   code table. A catalogue of [`Catalogue::builtin`] alone has every built-in code here.
///
/// Each entry, under the heading of its status ("404 Not Found"), has a link to itself, its
/// status, its title when the title says more than the status's name (so that no entry shows
/// the reason phrase twice), its description, its members and, for each format the application
/// answers with, the example body the layer sends for its [example](Entry::example) error (none
/// when the entry has none), rendered with the page's [base URI](Page::base_uri). The page is
/// made for narrow screens too (code blocks wrap).
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
/// The JSON and XML lists hold the entries of the page in its order, each with its code,
/// status, title, description, `own` (whether it is one of the application's own codes), its
/// URI, members, and `examples`: the example bodies, each with its `content_type` and `body`.
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
/// assert!(std::str::from_utf8(&html)?.contains(r#"<section id="not_found" class="entry">"#));
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
    title: Texts,
    base: Option<String>,
    intro: Texts,
    problem_details: ProblemDetails,
    /// The languages of the page, the default first; `en` alone unless set.
    languages: Vec<LanguageTag>,
}

/// A text of the page that the application sets, its title or its intro: one for every language,
/// and one per language.
#[derive(Debug, Clone, Default)]
struct Texts {
    /// For every language without one of its own.
    all: Option<String>,
    /// At most one per language.
    per_language: Vec<(LanguageTag, String)>,
}

impl Texts {
    /// Sets the text of `lang`, replacing the one it had.
    fn set_in(&mut self, lang: LanguageTag, text: String) {
        match self
            .per_language
            .iter_mut()
            .find(|(l, _)| l.is(lang.as_str()))
        {
            Some((_, given)) => *given = text,
            None => self.per_language.push((lang, text)),
        }
    }

    /// The text for `lang`: its own; else the one for every language; else the one of
    /// `default`, the page's default language. `None` when the application set none of them.
    fn get(&self, lang: &str, default: &str) -> Option<&str> {
        let given = |lang: &str| {
            self.per_language
                .iter()
                .find(|(l, _)| l.is(lang))
                .map(|(_, text)| text.as_str())
        };
        given(lang)
            .or(self.all.as_deref())
            .or_else(|| given(default))
    }
}

/// The entries of one part of the page: the application's own codes, or the built-in ones.
#[derive(Debug)]
struct Group {
    /// The `id` of its section, which no code can have (codes have no `:`).
    id: &'static str,
    own: bool,
    /// Sorted by status, in the catalogue's order within a status.
    entries: Vec<Entry>,
}

impl Catalogue {
    /// The documentation page of this catalogue, titled "Errors" (in the page's language), that
    /// links each code to `#<code>` on itself (see [`Page`]).
    pub fn page(&self) -> Page {
        Page {
            inner: Arc::new(Inner {
                catalogue: self.clone(),
                title: Texts::default(),
                base: None,
                intro: Texts::default(),
                problem_details: ProblemDetails::default(),
                languages: vec![LanguageTag::from_static("en")],
            }),
        }
    }
}

impl Page {
    /// Sets the title of the page for every language of the page that has no title of its own
    /// (see [`title_in`](Page::title_in)), in place of "Errors" in the page's language.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.inner_mut().title.all = Some(title.into());
        self
    }

    /// Sets the title of the page in one of its [languages](Page::languages); set again for the
    /// same language, it replaces the first. A title is found as an
    /// [intro](Page::intro_in) is: the language's own, else the one set with
    /// [`title`](Page::title), else the default language's, else "Errors" in the language.
    ///
    /// ```
    /// use axum::{body::Body, http::{header, Request}};
    /// use http_body_util::BodyExt;
    /// use tower::ServiceExt;
    /// use tower_api_error::{catalogue::Catalogue, language::LanguageTag};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let en = LanguageTag::from_static("en");
    /// let pt_br = LanguageTag::from_static("pt-BR");
    /// let page = Catalogue::new()
    ///     .page()
    ///     .languages([en.clone(), pt_br.clone()])
    ///     .title_in(pt_br, "Erros da API de pedidos");
    ///
    /// for (uri, title) in [
    ///     ("/docs/errors?lang=pt-BR", "Erros da API de pedidos"),
    ///     // English has no title of its own, nor has the default language (English): the
    ///     // page's word.
    ///     ("/docs/errors", "Errors"),
    /// ] {
    ///     let html = page.clone().oneshot(Request::get(uri).body(Body::empty())?).await?;
    ///     let html = html.into_body().collect().await?.to_bytes();
    ///     assert!(std::str::from_utf8(&html)?.contains(&format!("<h1>{title}</h1>")), "{uri}");
    /// }
    ///
    /// // The JSON list carries the same title.
    /// let request = Request::get("/docs/errors?lang=pt-BR")
    ///     .header(header::ACCEPT, "application/json")
    ///     .body(Body::empty())?;
    /// let json = page.oneshot(request).await?.into_body().collect().await?.to_bytes();
    /// let json: serde_json::Value = serde_json::from_slice(&json)?;
    /// assert_eq!(json["title"], "Erros da API de pedidos");
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn title_in(mut self, lang: LanguageTag, title: impl Into<String>) -> Self {
        self.inner_mut().title.set_in(lang, title.into());
        self
    }

    /// Sets the page's own address, the layer's
    /// [`error_uri_base`](crate::ApiErrorLayer::error_uri_base), so that the JSON and XML lists
    /// give each code its full documentation URI (`<base>#<code>`), as `error_uri` does, and the
    /// example bodies carry the `error_uri` the layer sends. Without it they give no URI for
    /// codes that have none of their own.
    #[must_use]
    pub fn base_uri(mut self, base: impl Into<String>) -> Self {
        self.inner_mut().base = Some(base.into());
        self
    }

    /// Sets the text under the title, in place of a sentence saying what the codes are, for
    /// every language of the page that has no intro of its own (see [`intro_in`](Page::intro_in)).
    /// Plain text: it is escaped, so markup shows as written.
    ///
    /// ```
    /// use axum::{body::Body, http::Request};
    /// use http_body_util::BodyExt;
    /// use tower::ServiceExt;
    /// use tower_api_error::catalogue::Catalogue;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let page = Catalogue::new().page().intro("Errors of the <Orders> API.");
    /// let html = page.oneshot(Request::get("/").body(Body::empty())?).await?;
    /// let html = html.into_body().collect().await?.to_bytes();
    /// assert!(std::str::from_utf8(&html)?
    ///     .contains(r#"<p class="intro">Errors of the &lt;Orders&gt; API.</p>"#));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn intro(mut self, text: impl Into<String>) -> Self {
        self.inner_mut().intro.all = Some(text.into());
        self
    }

    /// Sets the intro of the page in one of its [languages](Page::languages), plain text as
    /// with [`intro`](Page::intro); set again for the same language, it replaces the first.
    ///
    /// The page in a language shows that language's intro; else the one set with
    /// [`intro`](Page::intro); else the default language's (the first of
    /// [`languages`](Page::languages)); else the page's own sentence in the language. Languages
    /// are compared without regard to ASCII case, and an intro in a language the page does not
    /// speak is never shown.
    ///
    /// ```
    /// use axum::{body::Body, http::Request};
    /// use http_body_util::BodyExt;
    /// use tower::ServiceExt;
    /// use tower_api_error::{catalogue::Catalogue, language::LanguageTag};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let en = LanguageTag::from_static("en");
    /// let pt_br = LanguageTag::from_static("pt-BR");
    /// let de = LanguageTag::from_static("de");
    /// let page = Catalogue::new()
    ///     .page()
    ///     .languages([en.clone(), pt_br.clone(), de])
    ///     .intro_in(en, "Errors of the Orders API.")
    ///     .intro_in(pt_br, "Erros da API de pedidos.");
    ///
    /// for (uri, intro) in [
    ///     ("/docs/errors", "Errors of the Orders API."),
    ///     ("/docs/errors?lang=pt-BR", "Erros da API de pedidos."),
    ///     // German has no intro of its own: the default language's.
    ///     ("/docs/errors?lang=de", "Errors of the Orders API."),
    /// ] {
    ///     let html = page.clone().oneshot(Request::get(uri).body(Body::empty())?).await?;
    ///     let html = html.into_body().collect().await?.to_bytes();
    ///     let html = std::str::from_utf8(&html)?;
    ///     assert!(html.contains(&format!(r#"<p class="intro">{intro}</p>"#)), "{uri}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn intro_in(mut self, lang: LanguageTag, text: impl Into<String>) -> Self {
        self.inner_mut().intro.set_in(lang, text.into());
        self
    }

    /// Says which body shapes the application sends, as the layer's
    /// [`problem_details`](crate::ApiErrorLayer::problem_details) does (the same default,
    /// [`ProblemDetails::WhenAsked`]): each entry shows an example body in each format the
    /// layer answers with (`application/json` and `application/xml` for the seed shape,
    /// `application/problem+json` and `application/problem+xml` for problem details), and the
    /// section on the fields describes those shapes.
    ///
    /// ```
    /// use axum::{body::Body, http::Request};
    /// use http_body_util::BodyExt;
    /// use tower::ServiceExt;
    /// use tower_api_error::{catalogue::Catalogue, ProblemDetails};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let page = Catalogue::new().page().problem_details(ProblemDetails::Never);
    /// let request = Request::get("/").header("accept", "application/json").body(Body::empty())?;
    /// let json = page.oneshot(request).await?.into_body().collect().await?.to_bytes();
    /// let json: serde_json::Value = serde_json::from_slice(&json)?;
    /// // The layer's own `not_found`, with its example in JSON and XML, no problem details.
    /// let codes = json["codes"].as_array().unwrap();
    /// let not_found = codes.iter().find(|c| c["code"] == "not_found").unwrap();
    /// let types: Vec<&str> = not_found["examples"].as_array().unwrap().iter()
    ///     .map(|e| e["content_type"].as_str().unwrap()).collect();
    /// assert_eq!(types, ["application/json", "application/xml"]);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn problem_details(mut self, problem_details: ProblemDetails) -> Self {
        self.inner_mut().problem_details = problem_details;
        self
    }

    /// Sets the languages of the page, the default one first (`en` alone by default; an empty
    /// list leaves them as they are).
    ///
    /// With more than one, a request chooses its language with the query parameter `lang`
    /// (`?lang=pt-BR`, compared without regard to ASCII case), or without a known one with its
    /// `Accept-Language`, read as the layer reads it (see
    /// [`negotiate_language`](crate::negotiate::negotiate_language)); a request that chooses
    /// none of them gets the default. The page is in that language: the `lang` of `<html>`, the `Content-Language`
    /// header, each code's title and description in it (see
    /// [`Entry::title_in`](crate::code::Entry::title_in)), its intro (see
    /// [`intro_in`](Page::intro_in)), the page's own words (headings, the
    /// section on the fields; `en` and `pt-BR` are built in, other languages get the default
    /// language's words) and the example bodies. The page links to itself in each other
    /// language, with `<link rel="alternate" hreflang="...">` and visible links, and responses
    /// carry `Vary: Accept, Accept-Language`. The JSON and XML lists carry the language's texts
    /// too, and its tag (`lang`, `xml:lang`).
    ///
    /// ```
    /// use axum::{body::Body, http::{header, Request}};
    /// use http_body_util::BodyExt;
    /// use tower::ServiceExt;
    /// use tower_api_error::{catalogue::Catalogue, language::LanguageTag};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let page = Catalogue::new()
    ///     .page()
    ///     .languages([LanguageTag::from_static("en"), LanguageTag::from_static("pt-BR")]);
    ///
    /// let request = Request::get("/docs/errors?lang=PT-br").body(Body::empty())?;
    /// let response = page.clone().oneshot(request).await?;
    /// assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "pt-BR");
    /// assert_eq!(response.headers()[header::VARY], "Accept, Accept-Language");
    /// let html = response.into_body().collect().await?.to_bytes();
    /// let html = std::str::from_utf8(&html)?;
    /// assert!(html.contains(r#"<html lang="pt-BR">"#));
    /// assert!(html.contains(r#"<link rel="alternate" hreflang="en" href="?lang=en">"#));
    /// assert!(html.contains("<h2 id=\"page:contents\">Sumário</h2>"));
    ///
    /// // Without `?lang=`, the browser's languages choose, as they do the layer's errors.
    /// let request = Request::get("/docs/errors")
    ///     .header(header::ACCEPT_LANGUAGE, "pt-PT,pt;q=0.9,en;q=0.8")
    ///     .body(Body::empty())?;
    /// let response = page.clone().oneshot(request).await?;
    /// assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "pt-BR");
    ///
    /// // An unknown language gets the default one.
    /// let request = Request::get("/docs/errors?lang=fr").body(Body::empty())?;
    /// let response = page.oneshot(request).await?;
    /// assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "en");
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn languages(mut self, languages: impl IntoIterator<Item = LanguageTag>) -> Self {
        let languages: Vec<LanguageTag> = languages.into_iter().collect();
        if !languages.is_empty() {
            self.inner_mut().languages = languages;
        }
        self
    }

    fn inner_mut(&mut self) -> &mut Inner {
        Arc::make_mut(&mut self.inner)
    }

    /// The response to a request for `uri` with these headers (and method `GET`).
    fn respond(&self, uri: &Uri, headers: &HeaderMap) -> Response<Full<Bytes>> {
        let languages = &self.inner.languages;
        let language = language(languages, uri, headers);
        let lang = language.as_str();
        let (body, content_type) = match choose(headers) {
            Representation::Html => (self.html(lang), "text/html; charset=utf-8"),
            Representation::Json => (self.json(lang), "application/json"),
            Representation::Xml => (self.xml(lang), "application/xml; charset=utf-8"),
        };
        let mut response = Response::new(Full::new(body));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        let vary = if languages.len() > 1 {
            "Accept, Accept-Language"
        } else {
            "Accept"
        };
        headers.insert(VARY, HeaderValue::from_static(vary));
        if let Ok(value) = HeaderValue::from_str(lang) {
            headers.insert(CONTENT_LANGUAGE, value);
        }
        response
    }

    fn uri(&self, entry: &Entry) -> Option<String> {
        match (entry.uri(), &self.inner.base) {
            (Some(uri), _) => Some(uri.to_owned()),
            (None, Some(base)) => Some(Catalogue::uri(entry, base)),
            (None, None) => None,
        }
    }

    /// The configured intro of the page in `lang`, if any (see [`Page::intro_in`]).
    fn intro_for(&self, lang: &str) -> Option<&str> {
        self.inner.intro.get(lang, self.inner.languages[0].as_str())
    }

    /// The title of the page in `lang`, found as [`intro_for`](Page::intro_for) finds the
    /// intro; else "Errors" in the language.
    fn title_for(&self, lang: &str) -> &str {
        self.inner
            .title
            .get(lang, self.inner.languages[0].as_str())
            .unwrap_or(self.words(lang).title)
    }

    fn words(&self, lang: &str) -> &'static Words {
        words::words(lang, self.inner.languages[0].as_str())
    }

    /// The two parts of the page, in order: the application's own codes, sorted by status, then
    /// the built-in codes of the catalogue and those the layer itself answers with
    /// ([`code::LAYER_CODES`]), in the order of the code table. A part without entries is left
    /// out.
    fn groups(&self) -> Vec<Group> {
        let catalogue = &self.inner.catalogue;
        let mut own: Vec<Entry> = catalogue.own().copied().collect();
        let mut builtin: Vec<Entry> = catalogue.builtin_entries().copied().collect();
        builtin.extend(code::all().filter(|e| {
            code::LAYER_CODES.contains(&e.code()) && catalogue.get(e.code()).is_none()
        }));
        // Stable: the catalogue's order within a status. The built-in codes in the table's
        // order, which is by status.
        own.sort_by_key(Entry::status);
        builtin.sort_by_key(|e| code::all().position(|b| b.code() == e.code()));
        [
            Group {
                id: "page:own",
                own: true,
                entries: own,
            },
            Group {
                id: "page:builtin",
                own: false,
                entries: builtin,
            },
        ]
        .into_iter()
        .filter(|group| !group.entries.is_empty())
        .collect()
    }

    /// Whether an entry of the page documents members.
    fn groups_have_members(&self) -> bool {
        self.inner
            .catalogue
            .entries()
            .iter()
            .any(|e| !e.members().is_empty())
    }

    /// The formats the application answers errors with (see [`Page::problem_details`]).
    fn formats(&self) -> &'static [Format] {
        match self.inner.problem_details {
            ProblemDetails::Never => &[Format::Json, Format::Xml],
            ProblemDetails::Always => &[Format::ProblemJson, Format::ProblemXml],
            _ => &[
                Format::Json,
                Format::Xml,
                Format::ProblemJson,
                Format::ProblemXml,
            ],
        }
    }

    /// The example body of `entry` in each format the application answers with, its texts in
    /// `lang`, as the layer renders it with the page's base URI: none when the entry has no
    /// example (see [`Entry::example`]).
    fn examples(&self, entry: &Entry, lang: &str) -> Vec<(Format, Bytes)> {
        let Some(mut err) = entry.example() else {
            return Vec::new();
        };
        if !lang.eq_ignore_ascii_case(self.inner.languages[0].as_str()) {
            // The texts the error was given in `lang`, or, where it has the entry's own texts,
            // the entry's in `lang`.
            let description = match err.description_in(lang) {
                Some(text) => Some(text.to_owned()),
                None => (err.description() == entry.description())
                    .then(|| entry.description_in(lang).to_owned()),
            };
            let title = match err.title_in(lang) {
                Some(text) => Some(text.to_owned()),
                None => (err.title() == entry.title()).then(|| entry.title_in(lang).to_owned()),
            };
            if let Some(description) = description {
                err = err.with_description(description);
            }
            if let Some(title) = title {
                err = err.with_title(title);
            }
        }
        let base = self.inner.base.as_deref();
        self.formats()
            .iter()
            .map(|&format| (format, render::body(&err, format, base, None)))
            .collect()
    }
}

/// The language a request gets the page in: the one its query parameter `lang` names among
/// `languages` (compared without regard to ASCII case), else the one its `Accept-Language`
/// prefers, as the layer chooses it ([`negotiate_language`](negotiate::negotiate_language)),
/// else the default, `languages[0]`.
fn language<'a>(languages: &'a [LanguageTag], uri: &Uri, headers: &HeaderMap) -> &'a LanguageTag {
    let asked = uri
        .query()
        .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix("lang=")));
    asked
        .and_then(|asked| languages.iter().find(|lang| lang.is(asked)))
        .or_else(|| {
            (languages.len() > 1)
                .then(|| negotiate::negotiate_language(headers, languages))
                .flatten()
                .map(|index| &languages[index])
        })
        .unwrap_or(&languages[0])
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
            self.respond(req.uri(), req.headers())
        } else if method == Method::HEAD {
            let (parts, _) = self.respond(req.uri(), req.headers()).into_parts();
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

    /// A title is found as an intro is: the language's own, else the one for every language,
    /// else the default language's; with none set, the page's word in the language.
    #[test]
    fn the_title_in_each_language() {
        use crate::{catalogue::Catalogue, language::LanguageTag};
        let (en, pt_br, de) = (
            LanguageTag::from_static("en"),
            LanguageTag::from_static("pt-BR"),
            LanguageTag::from_static("de"),
        );
        let page = Catalogue::new()
            .page()
            .languages([en.clone(), pt_br.clone(), de]);
        let titles =
            |page: &super::Page| ["en", "PT-BR", "de"].map(|lang| page.title_for(lang).to_owned());
        assert_eq!(titles(&page), ["Errors", "Erros", "Errors"]);
        let page = page.title_in(en, "Orders errors");
        assert_eq!(
            titles(&page),
            ["Orders errors", "Orders errors", "Orders errors"]
        );
        let page = page
            .title("Errors of Orders")
            .title_in(pt_br, "Erros de pedidos");
        assert_eq!(
            titles(&page),
            ["Orders errors", "Erros de pedidos", "Errors of Orders"]
        );
    }

    #[test]
    fn the_language_from_the_query_then_accept_language() {
        use crate::language::LanguageTag;
        let languages = [
            LanguageTag::from_static("en"),
            LanguageTag::from_static("pt-BR"),
        ];
        for (uri, expected) in [
            ("/", "en"),
            ("/?lang=pt-BR", "pt-BR"),
            ("/?lang=pt-br", "pt-BR"),
            ("/?a=b&lang=PT-BR&lang=en", "pt-BR"),
            ("/?lang=pt", "en"),
            ("/?xlang=pt-BR", "en"),
            ("/?lang=", "en"),
        ] {
            let uri: http::Uri = uri.parse().unwrap();
            let lang = super::language(&languages, &uri, &HeaderMap::new());
            assert_eq!(lang.as_str(), expected, "{uri}");
        }
        for (uri, accept_language, expected) in [
            ("/", "pt-BR", "pt-BR"),
            ("/", "pt", "pt-BR"),
            ("/", "fr, en;q=0.5", "en"),
            ("/", "fr, de", "en"),
            ("/", ";;,, q=", "en"),
            // The query parameter wins, unless it names no language of the page.
            ("/?lang=en", "pt-BR", "en"),
            ("/?lang=fr", "pt-BR", "pt-BR"),
        ] {
            let uri: http::Uri = uri.parse().unwrap();
            let mut headers = HeaderMap::new();
            headers.insert(
                http::header::ACCEPT_LANGUAGE,
                HeaderValue::from_bytes(accept_language.as_bytes()).unwrap(),
            );
            let lang = super::language(&languages, &uri, &headers);
            assert_eq!(lang.as_str(), expected, "{uri} {accept_language}");
        }
    }

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
