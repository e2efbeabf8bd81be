//! What [`ApiErrorLayer`](crate::ApiErrorLayer)'s builder methods set: the layer's options, before
//! anything is prepared from them.

use std::sync::Arc;

use http::{HeaderName, HeaderValue};

use crate::{language::Languages, Format, ProblemDetails};

/// The options of a layer, one field per builder method.
///
/// `default_format` and `error_uri_base` are `None` until set: a layer nested inside another one
/// (a per-route layer inside the router's) then answers with the outer layer's choice (see
/// [`RenderedWith`](crate::info::RenderedWith)).
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) default_format: Option<Format>,
    pub(crate) reject_not_acceptable: bool,
    pub(crate) rewrite_plain_errors: bool,
    pub(crate) catch_panics: bool,
    pub(crate) error_uri_base: Option<UriBase>,
    pub(crate) default_challenge: Option<HeaderValue>,
    pub(crate) log_method_and_path: bool,
    pub(crate) problem_details: ProblemDetails,
    pub(crate) request_id_header: Option<HeaderName>,
    pub(crate) code_header: Option<HeaderName>,
    /// `None` until set: the texts as written, and nothing read or added for languages.
    pub(crate) languages: Option<Languages>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            default_format: None,
            reject_not_acceptable: true,
            rewrite_plain_errors: true,
            catch_panics: true,
            error_uri_base: None,
            default_challenge: Some(HeaderValue::from_static("Bearer")),
            log_method_and_path: false,
            problem_details: ProblemDetails::default(),
            request_id_header: Some(HeaderName::from_static("x-request-id")),
            code_header: None,
            languages: None,
        }
    }
}

impl Options {
    /// The format for ties and for the `406` body: the one set, or JSON.
    pub(crate) fn default_format(&self) -> Format {
        self.default_format.unwrap_or_default()
    }

    /// The languages, when there is more than one to choose from: then the request's
    /// `Accept-Language` is kept for an error to be answered in its language.
    pub(crate) fn choosing_language(&self) -> Option<&Languages> {
        self.languages.as_ref().filter(|l| l.is_multilingual())
    }
}

/// The base of derived `error_uri`s. A `&'static str` is kept as it is; a `String` is shared.
#[derive(Debug, Clone)]
pub(crate) enum UriBase {
    Static(&'static str),
    Shared(Arc<str>),
}

impl UriBase {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            UriBase::Static(base) => base,
            UriBase::Shared(base) => base,
        }
    }
}
