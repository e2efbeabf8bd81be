//! The response policy of [`ApiErrorService`](crate::ApiErrorService): which responses of the
//! inner service are errors to render, and how a plain one is rewritten (the rules are in the
//! docs of [`ApiErrorLayer::rewrite_plain_errors`](crate::ApiErrorLayer::rewrite_plain_errors)).
//! The layer's own answers (the `406`, a panic) are in [`own_answers`].
//!
//! Every error the layer renders leaves an [`ErrorInfo`] in the response's extensions: the
//! public record for the layers around it, and the layer's own record of the error. A layer
//! further out finds it and renders the error again with its own configuration where the inner
//! layer had none of its own (nested layers, see
//! [`ApiErrorLayer`](crate::ApiErrorLayer#nested-layers)), without logging it a second time.

mod own_answers;

pub(crate) use own_answers::panic_error;

use std::sync::Arc;

use bytes::Bytes;
use http::{
    header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, VARY},
    response::Parts,
    HeaderMap, Response, StatusCode,
};
use http_body::Body;

use crate::{
    body::BodyKind,
    info::{ErrorInfo, ErrorOrigin, RenderedWith},
    language::{Chosen, KeptAcceptLanguage, Texts},
    options::{Options, UriBase},
    render,
    request_id::RequestId,
    ApiError, Format,
};

use self::own_answers::PreparedNotAcceptable;

/// The largest body of a framework-made error response that is read to be rewritten.
pub(crate) const REWRITE_LIMIT: usize = 4096;

/// What a layer shares with every service and response future it makes (axum clones a route's
/// service for every request, so a clone costs one reference count): its options, and the
/// `406 Not Acceptable` answer, which depends on nothing but them and so is made once.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) options: Options,
    pub(crate) not_acceptable: PreparedNotAcceptable,
}

impl Settings {
    /// The settings of `options`, with the answers that depend on them made now.
    pub(crate) fn new(options: Options) -> Self {
        let not_acceptable = PreparedNotAcceptable::new(&options);
        Self {
            options,
            not_acceptable,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::new(Options::default())
    }
}

/// How a response future answers for one request if something fails: decided in `call` (the
/// negotiated format, the request id), used only on an error path.
#[derive(Debug)]
pub(crate) struct Responder {
    /// The negotiated format (or the default one, when nothing is acceptable and the `406` is
    /// off).
    pub(crate) format: Format,
    pub(crate) head: bool,
    pub(crate) settings: Arc<Settings>,
    /// The request's id, quoted by every error body and log event.
    pub(crate) request_id: Option<RequestId>,
    /// The request's `Accept-Language` (its lines joined), kept only when the layer has more
    /// than one language; read only when an error is rendered.
    pub(crate) accept_language: Option<KeptAcceptLanguage>,
    /// Method and path for the log line; only taken when a log line could be written.
    #[cfg(feature = "tracing")]
    pub(crate) request: Option<crate::log::RequestLine>,
}

/// What to do with a response of the inner service.
pub(crate) enum OnResponse<B, O> {
    Done(Response<O>),
    /// A plain error response to read and rewrite.
    Collect(Parts, B),
}

impl Responder {
    pub(crate) fn catch_panics(&self) -> bool {
        self.settings.options.catch_panics
    }

    /// How many header fields the layer adds to an error response of its own: `Vary`,
    /// `Content-Type`, `Content-Length`, and `Content-Language` with languages to choose from.
    pub(crate) fn headers_added(&self) -> usize {
        3 + usize::from(self.settings.options.choosing_language().is_some())
    }

    /// The language this layer chooses for the request's errors, when it has languages.
    fn choose_language(&self) -> Option<Chosen> {
        let languages = self.settings.options.languages.as_ref()?;
        Some(Chosen::of(languages, self.accept_language.as_ref()))
    }

    pub(crate) fn on_response<B: Body, K: BodyKind<B>>(
        &self,
        response: Response<B>,
    ) -> OnResponse<B, K::Body> {
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return OnResponse::Done(response.map(K::inner));
        }
        let (mut parts, body) = response.into_parts();
        if let Some(info) = parts.extensions.get_mut::<ErrorInfo>() {
            // Rendered where it is: taking it out and putting a new one in freed its box and
            // allocated another.
            let body = self.render_in_place(info, parts.status, &mut parts.headers);
            return OnResponse::Done(Response::from_parts(parts, K::error(body)));
        }
        if self.settings.options.rewrite_plain_errors {
            if status == StatusCode::NOT_ACCEPTABLE && refuses_content_coding(&parts.headers) {
                // The body is the resource the client refused: dropped unread.
                drop(body);
                let body = self.refuse_content_coding(&mut parts);
                return OnResponse::Done(Response::from_parts(parts, K::error(body)));
            }
            if is_plain(&parts.headers, &body) {
                return OnResponse::Collect(parts, body);
            }
        }
        // An error response the layer leaves as it is: it carries no `ErrorInfo`, and the
        // log says so (only on this branch: a success never gets here).
        #[cfg(feature = "tracing")]
        crate::log::passed_through(status, self.request.as_ref(), self.request_id.as_ref());
        OnResponse::Done(Response::from_parts(parts, K::inner(body)))
    }

    /// Replaces the plain body `text` of an error response with a rendered one.
    pub(crate) fn rewrite<B, K: BodyKind<B>>(
        &self,
        mut parts: Parts,
        text: &[u8],
    ) -> Response<K::Body> {
        let text = std::str::from_utf8(text).map_or("", str::trim);
        let mut err = rewritten_error(parts.status, text);
        if !text.is_empty() {
            // Masked by `ApiError` for 5xx: there it only reaches the log.
            err = err.with_description(text.to_owned());
        }
        // For `HEAD`, something inside (axum's top-level route, say) may have dropped the
        // text the `GET` would carry; then the `GET`'s length is unknown, and RFC 9110
        // (section 8.6) allows leaving `Content-Length` out but not stating a wrong one.
        let text_dropped = self.head
            && text.is_empty()
            && parts
                .headers
                .get(CONTENT_LENGTH)
                .is_some_and(|length| length.as_bytes() != b"0");
        let body = self.render(ErrorInfo::new(err, ErrorOrigin::Rewritten), &mut parts);
        if text_dropped {
            parts.headers.remove(CONTENT_LENGTH);
        }
        Response::from_parts(parts, K::error(body))
    }

    /// A new response for `err`.
    pub(crate) fn error_response<B, K: BodyKind<B>>(
        &self,
        err: ApiError,
        origin: ErrorOrigin,
    ) -> Response<K::Body> {
        let mut parts = render::parts_with_room(&err, self.headers_added());
        let body = self.render(ErrorInfo::new(err, origin), &mut parts);
        Response::from_parts(parts, K::error(body))
    }

    /// Logs the error unless a layer inside did, sets the body headers on `parts`, leaves the
    /// error's record in its extensions and returns the body (empty for `HEAD`).
    fn render(&self, mut info: ErrorInfo, parts: &mut Parts) -> Bytes {
        let body = self.render_in_place(&mut info, parts.status, &mut parts.headers);
        parts.extensions.insert(info);
        body
    }

    /// [`render`](Responder::render) for an error whose record is already in the response's
    /// extensions: `info`, which is marked as rendered, and the response's `status` and
    /// `headers`.
    fn render_in_place(
        &self,
        info: &mut ErrorInfo,
        status: StatusCode,
        headers: &mut HeaderMap,
    ) -> Bytes {
        let options = &self.settings.options;
        // What an inner layer was configured with wins over this layer's configuration.
        let rendered = match info.rendered.take() {
            Some(inner) => RenderedWith {
                format: inner.format.or(options.default_format.map(|_| self.format)),
                uri_base: inner.uri_base.or_else(|| options.error_uri_base.clone()),
                language: inner.language.or_else(|| self.choose_language()),
            },
            None => {
                #[cfg(feature = "tracing")]
                crate::log::error(&info.error, self.request.as_ref(), self.request_id.as_ref());
                RenderedWith {
                    format: options.default_format.map(|_| self.format),
                    uri_base: options.error_uri_base.clone(),
                    language: self.choose_language(),
                }
            }
        };
        let format = rendered.format.unwrap_or(self.format);
        let base = rendered.uri_base.as_ref().map(UriBase::as_str);
        let request_id = self.request_id.as_ref().map(RequestId::as_str);
        let written = info.origin != ErrorOrigin::Rewritten;
        let texts = rendered.language.as_ref().map(|chosen| {
            let problem = format.is_problem();
            Texts::resolve(
                &chosen.languages,
                chosen.index,
                &info.error,
                written,
                problem,
            )
        });
        let body = render::body_in(&info.error, format, base, request_id, texts.as_ref());

        let challenge = (status == StatusCode::UNAUTHORIZED)
            .then_some(options.default_challenge.as_ref())
            .flatten();
        // With languages to choose from, the body's language is named and varies with the
        // request's `Accept-Language`.
        let language = texts
            .as_ref()
            .zip(rendered.language.as_ref())
            .filter(|(_, chosen)| chosen.languages.is_multilingual())
            .map(|(texts, _)| texts.lang);
        render::set_error_headers(headers, format, body.len(), challenge, language.is_some());
        render::set_code_header(headers, options.code_header.as_ref(), &info.error);
        if let Some(lang) = language {
            render::set_content_language(headers, lang);
        }
        info.rendered = Some(rendered);
        if self.head {
            Bytes::new()
        } else {
            body
        }
    }
}

/// The error for a plain error response of `status` whose text is `text`: the status's code,
/// except where a framework's text says more (axum's query-string rejection is
/// `invalid_value_parameter`, as its `From` conversion is).
fn rewritten_error(status: StatusCode, text: &str) -> ApiError {
    #[cfg(feature = "axum")]
    if let Some(code) = crate::axum::rejection::code_for_text(status, text) {
        return ApiError::new(status, code, "");
    }
    #[cfg(not(feature = "axum"))]
    let _ = text;
    ApiError::from_status(status)
}

/// Whether a `406` refuses a content coding rather than a media type: its `Vary` names
/// `Accept-Encoding`. tower-http's `CompressionLayer` makes such a 406 by changing only the
/// status of the resource's response, so its body is the resource.
fn refuses_content_coding(headers: &HeaderMap) -> bool {
    headers.get_all(VARY).iter().any(|value| {
        value
            .as_bytes()
            .split(|&b| b == b',')
            .any(|name| name.trim_ascii().eq_ignore_ascii_case(b"accept-encoding"))
    })
}

/// Whether an error response is one a framework made with a plain body: `Content-Type` absent
/// or `text/plain`, not encoded, and a body whose size hint says it has at most
/// [`REWRITE_LIMIT`] bytes. Bodies of unknown size pass through untouched: they are streams,
/// which frameworks do not use for their error responses.
fn is_plain<B: Body>(headers: &HeaderMap, body: &B) -> bool {
    let plain = match headers.get(CONTENT_TYPE) {
        None => true,
        Some(value) => {
            let essence = value.as_bytes().split(|&b| b == b';').next().unwrap_or(&[]);
            essence.trim_ascii().eq_ignore_ascii_case(b"text/plain")
        }
    };
    let small = body
        .size_hint()
        .upper()
        .is_some_and(|upper| upper <= REWRITE_LIMIT as u64);
    plain && small && !headers.contains_key(CONTENT_ENCODING)
}
