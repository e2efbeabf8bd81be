//! What [`ApiErrorLayer`](crate::ApiErrorLayer)'s builder methods prepare once and every service
//! and response future it makes shares.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::{
    info::{ErrorInfo, ErrorOrigin},
    render, ApiError, Format, ProblemDetails,
};

/// What a service keeps, shared by its clones and by every future it makes (axum clones a
/// route's service for every request, so a clone costs one reference count): the options the
/// builder methods set, and the `406 Not Acceptable` answer, which depends on nothing but them
/// and so is made once, by [`Settings::prepared`].
///
/// `default_format` and `error_uri_base` are `None` until set: a layer nested inside another one
/// (a per-route layer inside the router's) then answers with the outer layer's choice (see
/// [`respond`](crate::respond)).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) default_format: Option<Format>,
    pub(crate) reject_not_acceptable: bool,
    pub(crate) rewrite_plain_errors: bool,
    pub(crate) catch_panics: bool,
    pub(crate) error_uri_base: Option<UriBase>,
    pub(crate) default_challenge: Option<HeaderValue>,
    pub(crate) log_method_and_path: bool,
    pub(crate) problem_details: ProblemDetails,
    pub(crate) request_id_header: Option<HeaderName>,
    pub(crate) not_acceptable: NotAcceptable,
}

impl Default for Settings {
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
            not_acceptable: NotAcceptable::default(),
        }
        .prepared()
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

/// The `406 Not Acceptable` response: its error (for the log), headers and body, in the default
/// format.
#[derive(Debug, Clone, Default)]
pub(crate) struct NotAcceptable {
    pub(crate) error: Option<Arc<ApiError>>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The response's extensions: the error's `ErrorInfo`, cloned into a `406` whose request
    /// had none of its own to reuse (cheaper than inserting it anew, which grows the map's
    /// table).
    pub(crate) extensions: http::Extensions,
    /// The same `ErrorInfo`, inserted into the request's own extensions when it has some.
    pub(crate) info: Option<ErrorInfo>,
}

impl Settings {
    /// The format for ties and for the `406` body: the one set, or JSON.
    pub(crate) fn default_format(&self) -> Format {
        self.default_format.unwrap_or_default()
    }

    /// These settings with the `406` answer made anew for them.
    pub(crate) fn prepared(mut self) -> Self {
        let format = self.problem_details.apply(self.default_format());
        let base = self.error_uri_base.as_ref().map(UriBase::as_str);
        let error = not_acceptable(self.problem_details);
        let body = render::body(&error, format, base, None);
        let mut headers = HeaderMap::with_capacity(3);
        render::add_vary_accept(&mut headers);
        render::set_body_headers(&mut headers, format, &body);
        let error = Arc::new(error);
        let info = ErrorInfo::new(error.clone(), ErrorOrigin::NotAcceptable);
        let mut extensions = http::Extensions::new();
        extensions.insert(info.clone());
        self.not_acceptable = NotAcceptable {
            error: Some(error),
            headers,
            body,
            extensions,
            info: Some(info),
        };
        self
    }
}

/// The error the layer answers requests with when they accept none of its formats, naming
/// every type it can answer with.
fn not_acceptable(problem_details: ProblemDetails) -> ApiError {
    ApiError::not_acceptable(match problem_details {
        ProblemDetails::Never => {
            "The resource can only be represented as application/json or application/xml. \
             Valid Accept headers are application/json and application/xml."
        }
        ProblemDetails::Always => {
            "The resource can only be represented as application/problem+json or \
             application/problem+xml. Valid Accept headers are application/problem+json, \
             application/problem+xml, application/json and application/xml."
        }
        _ => {
            "The resource can only be represented as application/json, application/xml, \
             application/problem+json or application/problem+xml. Valid Accept headers are \
             application/json, application/xml, application/problem+json and \
             application/problem+xml."
        }
    })
}
