//! The answers the layer makes itself rather than rewriting one: the `406 Not Acceptable` to a
//! request that accepts none of its formats (prepared once per layer), the `406` of a refused
//! content coding, and the masked `500` for a panic. An `Err` of the inner service's
//! `poll_ready` is answered as any error of the inner service is (see
//! [`ApiErrorService`](crate::ApiErrorService#errors)).

use std::any::Any;

use bytes::Bytes;
use http::{
    header::{
        CONTENT_DISPOSITION, CONTENT_LANGUAGE, CONTENT_LOCATION, CONTENT_RANGE, ETAG, LAST_MODIFIED,
    },
    response::Parts,
    HeaderMap, Response, StatusCode,
};

use super::Responder;
use crate::{
    body::BodyKind,
    error::SharedError,
    info::{ErrorInfo, ErrorOrigin},
    language::{pt_br, LanguageTag},
    options::{Options, UriBase},
    render, ApiError, ProblemDetails,
};

/// The `406 Not Acceptable` response of a layer, made when the layer is configured: its error
/// (for the log), headers and body, in the default format.
#[derive(Debug)]
pub(crate) struct PreparedNotAcceptable {
    error: SharedError,
    headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The response's extensions: the error's `ErrorInfo`, cloned into a `406` whose request
    /// had none of its own to reuse.
    // perf: cloning a prepared map is cheaper than inserting anew, which grows the map's table
    // (ledger: "the prepared 406").
    extensions: http::Extensions,
    /// The same `ErrorInfo`, inserted into the request's own extensions when it has some.
    info: ErrorInfo,
}

impl PreparedNotAcceptable {
    pub(crate) fn new(options: &Options) -> Self {
        let format = options.problem_details.apply(options.default_format());
        let base = options.error_uri_base.as_ref().map(UriBase::as_str);
        let error = not_acceptable(options.problem_details);
        let body = render::body(&error, format, base, None);
        let mut headers = HeaderMap::with_capacity(3);
        render::add_vary_accept(&mut headers);
        render::set_body_headers(&mut headers, format, &body);
        render::set_code_header(&mut headers, options.code_header.as_ref(), &error);
        let error = SharedError::from(error);
        let info = ErrorInfo::new(error.clone(), ErrorOrigin::NotAcceptable);
        let mut extensions = http::Extensions::new();
        extensions.insert(info.clone());
        Self {
            error,
            headers,
            body,
            extensions,
            info,
        }
    }
}

impl Responder {
    /// The `406 Not Acceptable` response, in the extension map of the request it answers: the
    /// inner service never sees the request, so its map is cleared and reused.
    ///
    /// The prepared response is sent as it is, unless the request carries an id for the body to
    /// quote; then the body is rendered now.
    // perf: reusing the request's map saves two of the six allocations of a `406` in axum; the
    // header map is cloned rather than cleared and refilled (ledger: "the prepared 406").
    pub(crate) fn not_acceptable<B, K: BodyKind<B>>(
        &self,
        mut extensions: http::Extensions,
    ) -> Response<K::Body> {
        let prepared = &self.settings.not_acceptable;
        // A body quoting the request's id, or in the request's language, is rendered now.
        if self.request_id.is_some() || self.settings.options.languages.is_some() {
            // `self.format` is the default format here: the request accepts no other.
            let mut parts = render::parts_with_room(&prepared.error, self.headers_added());
            let info = ErrorInfo::new(prepared.error.clone(), ErrorOrigin::NotAcceptable);
            let body = self.render(info, &mut parts);
            return Response::from_parts(parts, K::error(body));
        }
        #[cfg(feature = "tracing")]
        crate::log::not_acceptable(&prepared.error, self.request.as_ref());
        let body = if self.head {
            Bytes::new()
        } else {
            prepared.body.clone()
        };
        let mut response = Response::new(K::error(body));
        *response.status_mut() = StatusCode::NOT_ACCEPTABLE;
        *response.headers_mut() = prepared.headers.clone();
        *response.extensions_mut() = if extensions.is_empty() {
            prepared.extensions.clone()
        } else {
            extensions.clear();
            extensions.insert(prepared.info.clone());
            extensions
        };
        response
    }

    /// The `406` of a content-coding refusal, whose head is the refused resource's; returns
    /// its body.
    pub(super) fn refuse_content_coding(&self, parts: &mut Parts) -> Bytes {
        // These describe the resource's representation, which is not sent.
        for name in [
            CONTENT_DISPOSITION,
            CONTENT_LANGUAGE,
            CONTENT_LOCATION,
            CONTENT_RANGE,
            ETAG,
            LAST_MODIFIED,
        ] {
            parts.headers.remove(name);
        }
        let err = ApiError::not_acceptable(
            "No acceptable content coding could be produced: the request's Accept-Encoding \
             rules out every coding the server can send, identity included.",
        )
        .with_description_in(
            LanguageTag::from_static(pt_br::TAG),
            pt_br::NOT_ACCEPTABLE_CODING,
        );
        self.render(ErrorInfo::new(err, ErrorOrigin::Rewritten), parts)
    }
}

/// The error the layer answers requests with when they accept none of its formats, naming
/// every type it can answer with, in every shipped language.
fn not_acceptable(problem_details: ProblemDetails) -> ApiError {
    let (english, portuguese) = match problem_details {
        ProblemDetails::Never => (
            "The resource can only be represented as application/json or application/xml. \
             Valid Accept headers are application/json and application/xml.",
            pt_br::NOT_ACCEPTABLE_SEED,
        ),
        ProblemDetails::Always => (
            "The resource can only be represented as application/problem+json or \
             application/problem+xml. Valid Accept headers are application/problem+json, \
             application/problem+xml, application/json and application/xml.",
            pt_br::NOT_ACCEPTABLE_PROBLEM,
        ),
        _ => (
            "The resource can only be represented as application/json, application/xml, \
             application/problem+json or application/problem+xml. Valid Accept headers are \
             application/json, application/xml, application/problem+json and \
             application/problem+xml.",
            pt_br::NOT_ACCEPTABLE_EITHER,
        ),
    };
    ApiError::not_acceptable(english)
        .with_description_in(LanguageTag::from_static(pt_br::TAG), portuguese)
}

/// The masked 500 for a panic, its payload kept as the description for the log only.
pub(crate) fn panic_error(payload: &(dyn Any + Send)) -> ApiError {
    let message = if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.as_str()
    } else {
        "(a payload that is not a string)"
    };
    ApiError::internal_server_error(format!("the handler panicked: {message}"))
}
