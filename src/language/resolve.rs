//! Which of an error's texts a client reads in the language chosen for it: the order of
//! [`Languages`](super::Languages), applied in one place.

use std::borrow::Cow;

use super::{LanguageTag, Languages};
use crate::{code, ApiError};

/// The built-in texts are written in English.
static BUILTIN: LanguageTag = LanguageTag::from_static("en");

/// The texts of one error in one language, for the renderer.
pub(crate) struct Texts<'a> {
    /// `error_description` (`detail`).
    pub(crate) description: Cow<'a, str>,
    /// Problem details' `title`.
    pub(crate) title: Cow<'a, str>,
    /// The language `description` is in: what `Content-Language` names.
    pub(crate) lang: &'a LanguageTag,
    /// The messages of the public field errors, in their order.
    pub(crate) field_messages: Vec<Cow<'a, str>>,
}

impl<'a> Texts<'a> {
    /// The texts of `err` in the language `chosen` (an index into `languages.tags()`).
    /// `written` says whether the error's description may be one the application wrote: false
    /// for a framework's error that the layer rewrote. A code's default description, a masked
    /// 5xx's and an axum rejection's text are never the application's either. The title is
    /// looked up only `with_title`, for problem details.
    pub(crate) fn resolve(
        languages: &'a Languages,
        chosen: usize,
        err: &'a ApiError,
        written: bool,
        with_title: bool,
    ) -> Self {
        let lang = &languages.tags()[chosen];
        // perf: the built-in texts are English; looking up an English translation of them
        // finds none (ledger: "errors in the client's language").
        let builtin = !lang.primary().eq_ignore_ascii_case(BUILTIN.as_str());
        let masked = err.is_masked();
        let written = written && !masked && err.is_described() && !err.has_framework_description();
        let translators = languages.translators();

        // The description, and the language it turned out to be in.
        let own = (!masked)
            .then(|| err.description_in(lang.as_str()))
            .flatten()
            .map(Cow::Borrowed);
        let translated = own
            .or_else(|| {
                if masked {
                    return None;
                }
                translators.iter().find_map(|t| t.description(lang, err))
            })
            .or_else(|| {
                (builtin && !written)
                    .then(|| code::description_in(err.code(), err.status(), lang.as_str()))
                    .flatten()
                    .map(Cow::Borrowed)
            });
        let (description, described_in) = match translated {
            Some(text) => (text, lang),
            None if written => (
                Cow::Borrowed(err.public_description()),
                &languages.tags()[0],
            ),
            None => (Cow::Borrowed(err.public_description()), &BUILTIN),
        };

        // Only problem details send a title.
        let title = if with_title {
            err.title_in(lang.as_str())
                .map(Cow::Borrowed)
                .or_else(|| translators.iter().find_map(|t| t.title(lang, err)))
                .or_else(|| {
                    (builtin && !err.is_titled())
                        .then(|| code::title_in(err.status(), lang.as_str()))
                        .flatten()
                        .map(Cow::Borrowed)
                })
                .unwrap_or(Cow::Borrowed(err.title()))
        } else {
            Cow::Borrowed(err.title())
        };

        let field_messages = err
            .public_field_errors()
            .iter()
            .map(|field_error| {
                field_error
                    .message_in(lang.as_str())
                    .map(Cow::Borrowed)
                    .or_else(|| {
                        translators
                            .iter()
                            .find_map(|t| t.field_message(lang, field_error))
                    })
                    .unwrap_or(Cow::Borrowed(field_error.message()))
            })
            .collect();

        Self {
            description,
            title,
            lang: described_in,
            field_messages,
        }
    }
}
