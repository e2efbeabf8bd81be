//! Errors in the client's language: language tags, and the texts of a code in each language.
//!
//! A code's title and description are declared once per language, with the code: on its
//! [`Entry`](crate::code::Entry) ([`with_translations`](crate::code::Entry::with_translations)),
//! which `#[derive(ApiError)]` fills from its `lang(...)` attributes. The built-in codes ship
//! `en` and `pt-BR`. Codes, `type` and `error_uri` are never translated.

mod kept;
pub(crate) mod pt_br;
mod resolve;

pub(crate) use kept::KeptAcceptLanguage;
pub(crate) use resolve::Texts;

use std::{borrow::Cow, error::Error as StdError, fmt, sync::Arc};

use http::HeaderMap;

use crate::{ApiError, FieldError};

/// A language tag (RFC 5646), such as `en` or `pt-BR`: what `Accept-Language` asks for and
/// `Content-Language` names.
///
/// A tag is made of subtags of 1 to 8 ASCII letters and digits joined by `-`, the first of them
/// letters only; it is kept as written and compared without regard to ASCII case, as RFC 4647
/// compares tags.
///
/// ```
/// use tower_api_error::language::LanguageTag;
///
/// const PT_BR: LanguageTag = LanguageTag::from_static("pt-BR");
/// assert_eq!(PT_BR, LanguageTag::new("pt-br")?);
/// assert_eq!(PT_BR.as_str(), "pt-BR");
/// assert_eq!(PT_BR.primary(), "pt");
/// assert!(LanguageTag::new("pt_BR").is_err());
/// assert!(LanguageTag::new("*").is_err());
/// # Ok::<(), tower_api_error::language::InvalidLanguageTag>(())
/// ```
#[derive(Debug, Clone)]
pub struct LanguageTag(Cow<'static, str>);

impl LanguageTag {
    /// The tag of a string known at compile time.
    ///
    /// # Panics
    ///
    /// If `tag` is not a well-formed tag (see [`LanguageTag`]). In a `const`, that is an error
    /// when the crate compiles.
    pub const fn from_static(tag: &'static str) -> Self {
        assert!(is_tag(tag), "a language tag is subtags of 1 to 8 ASCII letters and digits joined by `-`, the first of them letters");
        Self(Cow::Borrowed(tag))
    }

    /// The tag of a string, if it is one.
    pub fn new(tag: impl Into<Cow<'static, str>>) -> Result<Self, InvalidLanguageTag> {
        let tag = tag.into();
        if is_tag(&tag) {
            Ok(Self(tag))
        } else {
            Err(InvalidLanguageTag(tag.into_owned()))
        }
    }

    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag: `pt` for `pt-BR`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }

    /// The tag as a header value, for `Content-Language`.
    pub(crate) fn header_value(&self) -> http::HeaderValue {
        match &self.0 {
            Cow::Borrowed(tag) => http::HeaderValue::from_static(tag),
            // A tag is letters, digits and `-`: a valid field value.
            Cow::Owned(tag) => http::HeaderValue::from_str(tag)
                .unwrap_or_else(|_| http::HeaderValue::from_static("und")),
        }
    }

    /// Whether this tag is `other`, compared without regard to ASCII case.
    pub fn is(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

impl PartialEq for LanguageTag {
    fn eq(&self, other: &Self) -> bool {
        self.is(other.as_str())
    }
}

impl Eq for LanguageTag {}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A string that is not a [`LanguageTag`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidLanguageTag(String);

impl fmt::Display for InvalidLanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a language tag: subtags of 1 to 8 ASCII letters and digits joined by `-`, the first of them letters",
            self.0
        )
    }
}

impl StdError for InvalidLanguageTag {}

/// Whether `tag` is well formed: `[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*`.
pub(crate) const fn is_tag(tag: &str) -> bool {
    let bytes = tag.as_bytes();
    let (mut i, mut subtag_len, mut first) = (0, 0, true);
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'-' {
            if subtag_len == 0 {
                return false;
            }
            (subtag_len, first) = (0, false);
        } else if b.is_ascii_alphabetic() || (!first && b.is_ascii_digit()) {
            subtag_len += 1;
            if subtag_len > 8 {
                return false;
            }
        } else {
            return false;
        }
        i += 1;
    }
    subtag_len > 0
}

/// A code's title and description in one language, declared with its
/// [`Entry`](crate::code::Entry).
///
/// ```
/// use http::StatusCode;
/// use tower_api_error::{code::Entry, language::Translation};
///
/// const NAME_TAKEN: Entry = Entry::new(
///     StatusCode::CONFLICT,
///     "item_name_taken",
///     "An item with this name already exists.",
/// )
/// .with_title("Item name taken")
/// .with_translations(&[Translation::new("pt-BR", "Já existe um item com este nome.")
///     .with_title("Nome de item em uso")]);
///
/// assert_eq!(NAME_TAKEN.title_in("pt-br"), "Nome de item em uso");
/// assert_eq!(NAME_TAKEN.description_in("pt-BR"), "Já existe um item com este nome.");
/// // A language without a translation gets the entry's own texts.
/// assert_eq!(NAME_TAKEN.description_in("fr"), "An item with this name already exists.");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Translation {
    lang: &'static str,
    title: Option<&'static str>,
    description: &'static str,
}

impl Translation {
    /// The description of a code in the language `lang`.
    ///
    /// # Panics
    ///
    /// If `lang` is not a well-formed [`LanguageTag`]; in a `const`, when the crate compiles.
    pub const fn new(lang: &'static str, description: &'static str) -> Self {
        assert!(is_tag(lang), "not a language tag");
        Self {
            lang,
            title: None,
            description,
        }
    }

    /// Sets the title in this language.
    #[must_use]
    pub const fn with_title(mut self, title: &'static str) -> Self {
        self.title = Some(title);
        self
    }

    /// The language tag.
    pub const fn lang(&self) -> &'static str {
        self.lang
    }

    /// The title, if one was given in this language.
    pub const fn title(&self) -> Option<&'static str> {
        self.title
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        self.description
    }
}

/// The languages an application answers errors in, the first of them its default, and where
/// their texts come from. Given to [`ApiErrorLayer::languages`](crate::ApiErrorLayer::languages).
///
/// For each error, the layer chooses one of the languages from the request's `Accept-Language`
/// (see [`negotiate_language`](crate::negotiate::negotiate_language) for the rules), only when
/// it renders an error, and answers in it. The texts, in that language, are taken from the first
/// of these that has one:
///
/// 1. the error's own text in the language ([`ApiError::with_description_in`], which
///    `#[derive(ApiError)]`'s `lang(...)` uses; [`FieldError::with_message_in`]);
/// 2. the [translators](Languages::translator), in the order they were added;
/// 3. for a text the application did not write itself (a code's default description, a masked
///    5xx, a status's title, a framework's error that the layer rewrote), the built-in codes'
///    translations (`en` and `pt-BR` ship with the crate);
/// 4. the text as written, which is in the default language.
///
/// The response names the language of its `error_description` in `Content-Language`, and
/// carries `Vary: Accept-Language` besides `Accept`. With one language (the default layer),
/// nothing of this happens: no header is read, no header is added.
///
/// ```
/// use tower_api_error::language::{LanguageTag, Languages};
///
/// let languages = Languages::new(LanguageTag::from_static("en"))
///     .with(LanguageTag::from_static("pt-BR"));
/// assert_eq!(languages.default_language().as_str(), "en");
/// assert_eq!(languages.tags().len(), 2);
///
/// let mut headers = http::HeaderMap::new();
/// headers.insert("accept-language", "pt-PT, en;q=0.5".parse()?);
/// assert_eq!(languages.negotiate(&headers).as_str(), "pt-BR");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// A clone is a reference count: the extractor takes one per request that asks for it.
#[derive(Clone)]
pub struct Languages(Arc<Chain>);

/// The languages and the translators of [`Languages`].
#[derive(Clone)]
struct Chain {
    tags: Vec<LanguageTag>,
    translators: Vec<Arc<dyn Translate>>,
}

impl Languages {
    /// One language, the default: the one texts written in the code are in.
    pub fn new(default: LanguageTag) -> Self {
        Self(Arc::new(Chain {
            tags: vec![default],
            translators: Vec::new(),
        }))
    }

    /// Adds a language to answer in. A language given twice counts once.
    #[must_use]
    pub fn with(mut self, tag: LanguageTag) -> Self {
        if !self.0.tags.contains(&tag) {
            Arc::make_mut(&mut self.0).tags.push(tag);
        }
        self
    }

    /// Adds a source of translations, asked after the error's own texts and before the
    /// built-in ones (see [`Translate`]).
    #[must_use]
    pub fn translator(mut self, translator: impl Translate) -> Self {
        Arc::make_mut(&mut self.0)
            .translators
            .push(Arc::new(translator));
        self
    }

    /// The default language: the first one.
    pub fn default_language(&self) -> &LanguageTag {
        &self.0.tags[0]
    }

    /// Every language, the default first.
    pub fn tags(&self) -> &[LanguageTag] {
        &self.0.tags
    }

    /// The translators, in the order they were added.
    pub(crate) fn translators(&self) -> &[Arc<dyn Translate>] {
        &self.0.translators
    }

    /// The language to answer a request with these headers in: the one its `Accept-Language`
    /// chooses, or the default.
    pub fn negotiate(&self, headers: &HeaderMap) -> &LanguageTag {
        let tags = self.tags();
        &tags[crate::negotiate::negotiate_language(headers, tags).unwrap_or(0)]
    }

    /// Whether there is more than one language to choose from.
    pub(crate) fn is_multilingual(&self) -> bool {
        self.0.tags.len() > 1
    }
}

/// The language a layer chose for one error: its languages, and the index of the chosen one.
/// Kept in the error's record, so that a layer further out renders it again in the same one.
#[derive(Debug, Clone)]
pub(crate) struct Chosen {
    pub(crate) languages: Languages,
    pub(crate) index: usize,
}

impl Chosen {
    /// The language of `languages` that the kept `Accept-Language` chooses, or the default.
    pub(crate) fn of(languages: &Languages, accept_language: Option<&KeptAcceptLanguage>) -> Self {
        let index = match accept_language {
            Some(value) if languages.is_multilingual() => {
                crate::negotiate::negotiate_language_values([value.as_bytes()], languages.tags())
                    .unwrap_or(0)
            }
            _ => 0,
        };
        Self {
            languages: languages.clone(),
            index,
        }
    }
}

impl Default for Languages {
    /// English alone.
    fn default() -> Self {
        Self::new(LanguageTag::from_static("en"))
    }
}

impl fmt::Debug for Languages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Languages")
            .field("tags", &self.0.tags)
            .field("translators", &self.0.translators.len())
            .finish()
    }
}

impl AsRef<str> for LanguageTag {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// The language chosen for a request: an axum extractor (feature `axum`), beside
/// [`Format`](crate::Format), for handlers that write texts of their own per language.
///
/// It negotiates the request's `Accept-Language` against the application's [`Languages`], by
/// the rules the layer applies to error bodies, and never rejects: a request that names none of
/// them gets the default. The languages come from the router's state (`Languages:
/// FromRef<S>`), so that nothing is added to requests whose handlers do not ask for it.
///
/// ```
/// use axum::{body::Body, extract::FromRef, http::{header, Request, StatusCode}, routing::get, Router};
/// use http_body_util::BodyExt;
/// use tower::ServiceExt;
/// use tower_api_error::{language::{Language, LanguageTag, Languages}, ApiError, ApiErrorLayer};
///
/// #[derive(Clone)]
/// struct AppState {
///     languages: Languages,
/// }
///
/// impl FromRef<AppState> for Languages {
///     fn from_ref(state: &AppState) -> Self {
///         state.languages.clone()
///     }
/// }
///
/// async fn item(language: Language) -> Result<String, ApiError> {
///     let description = match language.as_str() {
///         "pt-BR" => "O item 42 foi arquivado.",
///         _ => "Item 42 was archived.",
///     };
///     Err(ApiError::new(StatusCode::GONE, "gone", description))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let languages = Languages::new(LanguageTag::from_static("en"))
///     .with(LanguageTag::from_static("pt-BR"));
/// let app = Router::new()
///     .route("/items/42", get(item))
///     .layer(ApiErrorLayer::new().languages(languages.clone()))
///     .with_state(AppState { languages });
///
/// let request = Request::get("/items/42")
///     .header(header::ACCEPT_LANGUAGE, "pt")
///     .body(Body::empty())?;
/// let response = app.oneshot(request).await?;
/// assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "en");
/// let body: serde_json::Value =
///     serde_json::from_slice(&response.into_body().collect().await?.to_bytes())?;
/// assert_eq!(body["error_description"], "O item 42 foi arquivado.");
/// # Ok(())
/// # }
/// ```
///
/// The handler's text was written once, for one language, so the response names the default
/// language in `Content-Language`: the layer cannot tell which language a text it did not choose
/// is in. [`ApiError::with_description_in`] says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(LanguageTag);

impl Language {
    /// The language of `tag`.
    pub fn new(tag: LanguageTag) -> Self {
        Self(tag)
    }

    /// The chosen tag.
    pub fn tag(&self) -> &LanguageTag {
        &self.0
    }

    /// The chosen tag as written in [`Languages`].
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// A source of translations: how an application plugs in the translation system it already has
/// (Fluent through `fluent-templates`, `rust-i18n`, gettext) without this crate depending on it.
///
/// Each method returns the text in `lang`, or `None` to leave it to the next source (see
/// [`Languages`] for the order). The default methods return `None`. Codes, `type` and
/// `error_uri` are never translated; an error's data for placeholders is in its
/// [members](ApiError::members).
///
/// ```
/// use std::borrow::Cow;
/// use tower_api_error::{language::{LanguageTag, Languages, Translate}, ApiError};
///
/// /// Stands for a Fluent bundle: looks the code up in its own table.
/// struct Messages;
///
/// impl Translate for Messages {
///     fn description<'a>(&'a self, lang: &LanguageTag, err: &'a ApiError) -> Option<Cow<'a, str>> {
///         match (lang.as_str(), err.code()) {
///             ("de", "not_found") => Some(Cow::Borrowed("Nicht gefunden.")),
///             _ => None,
///         }
///     }
/// }
///
/// let languages = Languages::new(LanguageTag::from_static("en"))
///     .with(LanguageTag::from_static("de"))
///     .translator(Messages);
/// # let _ = languages;
/// ```
pub trait Translate: Send + Sync + 'static {
    /// The description of `err` in `lang`.
    fn description<'a>(&'a self, lang: &LanguageTag, err: &'a ApiError) -> Option<Cow<'a, str>> {
        let _ = (lang, err);
        None
    }

    /// The title of the code of `err` in `lang` (sent as problem details' `title`).
    fn title<'a>(&'a self, lang: &LanguageTag, err: &'a ApiError) -> Option<Cow<'a, str>> {
        let _ = (lang, err);
        None
    }

    /// The message of a field error in `lang`; its [code](FieldError::code) says which rule
    /// the field broke.
    fn field_message<'a>(
        &'a self,
        lang: &LanguageTag,
        field_error: &'a FieldError,
    ) -> Option<Cow<'a, str>> {
        let _ = (lang, field_error);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_tags() {
        for tag in [
            "en",
            "pt-BR",
            "zh-Hant-TW",
            "de-CH-1996",
            "x-private",
            "sgn-BE-FR",
            "abcdefgh",
        ] {
            assert!(is_tag(tag), "{tag}");
        }
        for tag in [
            "",
            "*",
            "-",
            "en-",
            "-en",
            "en--US",
            "pt_BR",
            "1en",
            "abcdefghi",
            "en-abcdefghi",
            "é",
            "en US",
        ] {
            assert!(!is_tag(tag), "{tag:?}");
        }
    }
}
