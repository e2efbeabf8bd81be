//! Errors in the client's language: language tags, and the texts of a code in each language.
//!
//! A code's title and description are declared once per language, with the code: on its
//! [`Entry`](crate::code::Entry) ([`with_translations`](crate::code::Entry::with_translations)),
//! which `#[derive(ApiError)]` fills from its `lang(...)` attributes. The built-in codes ship
//! `en` and `pt-BR`. Codes, `type` and `error_uri` are never translated.

pub(crate) mod pt_br;

use std::{borrow::Cow, error::Error as StdError, fmt};

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
