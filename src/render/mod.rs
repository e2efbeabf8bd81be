//! Rendering an [`ApiError`] as a body, and the headers that go with it. Two shapes, each in
//! JSON and XML: the seed shape ([`seed`]: `error`, `error_description`, `error_uri`) and RFC
//! 9457 problem details ([`problem`]). Both carry the same code, status and public description
//! (5xx masking holds in both); [`escape`] has the escaping rules.

pub(crate) mod escape;
mod headers;
mod problem;
mod seed;

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use http::StatusCode;

pub(crate) use headers::{add_vary_accept, parts, set_body_headers, set_error_headers};
// Only `ApiError`'s axum `IntoResponse` (feature `axum`) uses it.
#[cfg(feature = "axum")]
pub(crate) use headers::set_json_headers;

use crate::{error::FieldError, ApiError, Format};

/// Renders `err` as a body in `format`. `base_uri` gives an `error_uri` of `<base>#<code>` to
/// errors that have no URI of their own.
pub(crate) fn body(
    err: &ApiError,
    format: Format,
    base_uri: Option<&str>,
    request_id: Option<&str>,
) -> Bytes {
    let view = View::new(err, base_uri, request_id);
    if format == Format::Json {
        if let Some(body) = seed::json_exact(&view) {
            return body;
        }
    }
    let mut buf = BytesMut::with_capacity(view.estimated_len(format));
    match format {
        Format::Json => seed::write_json(&view, &mut buf),
        Format::Xml | Format::TextXml => seed::write_xml(&view, &mut buf),
        Format::ProblemJson => problem::write_json(&view, &mut buf),
        Format::ProblemXml => problem::write_xml(&view, &mut buf),
    }
    buf.freeze()
}

/// The exact length of `body(err, Format::Json, None, None)` (the body of `ApiError`'s
/// `IntoResponse`), worked out without rendering it; `None` for an error with field errors, whose
/// length only rendering them tells.
// Only `ApiError`'s axum `IntoResponse` (feature `axum`) uses it.
#[cfg_attr(not(feature = "axum"), allow(dead_code))]
pub(crate) fn json_measure(err: &ApiError) -> Option<usize> {
    // What `View::new` would give these three members, without working out the title (a
    // status look-up) that the JSON seed shape does not send.
    if !err.public_field_errors().is_empty() {
        return None;
    }
    // `{"error":"` code `","error_description":"` description `"` [`,"error_uri":"` uri `"`] `}`
    let uri = err.uri().map_or(0, |uri| 15 + escape::json_len(uri));
    let code = escape::json_len(err.code());
    let description = escape::json_len(err.public_description());
    Some(10 + code + 23 + description + 1 + uri + 1)
}

/// Writes field errors as JSON: `[{"field": ..., "message": ...}, ...]`, each with a `"code"`
/// last when it has one.
fn write_field_errors_json(buf: &mut BytesMut, field_errors: &[FieldError]) {
    // Serializing borrowed strings into memory cannot fail: serde_json only fails on I/O
    // errors, non-string map keys and non-finite floats, none of which occur here.
    let result = serde_json::to_writer(buf.writer(), field_errors);
    debug_assert!(result.is_ok(), "{result:?}");
}

/// Writes field errors as XML: `<field_errors>` holding one `<ITEM>` with `<field>`,
/// `<message>` and, when the error has a code, `<code>` per error.
fn write_field_errors_xml(buf: &mut BytesMut, field_errors: &[FieldError], item: &str) {
    buf.put_slice(b"<field_errors>");
    for error in field_errors {
        buf.put_u8(b'<');
        buf.put_slice(item.as_bytes());
        buf.put_u8(b'>');
        escape::element(buf, "field", error.field());
        escape::element(buf, "message", error.message());
        if let Some(code) = error.code() {
            escape::element(buf, "code", code);
        }
        buf.put_slice(b"</");
        buf.put_slice(item.as_bytes());
        buf.put_u8(b'>');
    }
    buf.put_slice(b"</field_errors>");
}

/// Writes `,"request_id":"<id>"` if there is an id. Ids are tokens of `A-Za-z0-9._:-` (see
/// `crate::request_id`), which need no escaping.
fn write_request_id_json(buf: &mut BytesMut, request_id: Option<&str>) {
    if let Some(id) = request_id {
        buf.put_slice(b",\"request_id\":\"");
        buf.put_slice(id.as_bytes());
        buf.put_u8(b'"');
    }
}

/// Writes `<request_id>id</request_id>` if there is an id (no escaping needed, as for JSON).
fn write_request_id_xml(buf: &mut BytesMut, request_id: Option<&str>) {
    if let Some(id) = request_id {
        buf.put_slice(b"<request_id>");
        buf.put_slice(id.as_bytes());
        buf.put_slice(b"</request_id>");
    }
}

/// What the client sees of an error.
struct View<'a> {
    status: StatusCode,
    code: &'a str,
    description: &'a str,
    /// The problem details `title`: the error's [title](ApiError::title), one per code, so it does
    /// not change from occurrence to occurrence of a problem type (RFC 9457, section 3.1.3).
    title: &'a str,
    uri: Option<ErrorUri<'a>>,
    field_errors: &'a [FieldError],
    /// The request's id (see `crate::request_id`): checked to need no escaping anywhere.
    request_id: Option<&'a str>,
}

#[derive(Clone, Copy)]
enum ErrorUri<'a> {
    Given(&'a str),
    Derived { base: &'a str, code: &'a str },
}

impl fmt::Display for ErrorUri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorUri::Given(uri) => f.write_str(uri),
            ErrorUri::Derived { base, code } => write!(f, "{base}#{code}"),
        }
    }
}

impl ErrorUri<'_> {
    /// Writes the URI, its text escaped with `escape` (JSON string or XML character data).
    fn write(self, buf: &mut BytesMut, escape: fn(&mut BytesMut, &str)) {
        match self {
            ErrorUri::Given(uri) => escape(buf, uri),
            ErrorUri::Derived { base, code } => {
                escape(buf, base);
                buf.put_u8(b'#');
                escape(buf, code);
            }
        }
    }

    fn len(self) -> usize {
        match self {
            ErrorUri::Given(uri) => uri.len(),
            ErrorUri::Derived { base, code } => base.len() + 1 + code.len(),
        }
    }
}

impl<'a> View<'a> {
    fn new(err: &'a ApiError, base_uri: Option<&'a str>, request_id: Option<&'a str>) -> Self {
        let code = err.code();
        let uri = match (err.uri(), base_uri) {
            (Some(uri), _) => Some(ErrorUri::Given(uri)),
            (None, Some(base)) => Some(ErrorUri::Derived { base, code }),
            (None, None) => None,
        };
        Self {
            status: err.status(),
            code,
            description: err.public_description(),
            title: err.title(),
            uri,
            field_errors: err.public_field_errors(),
            request_id,
        }
    }

    /// A capacity that holds the body unless much of the text needs escaping.
    fn estimated_len(&self, format: Format) -> usize {
        let text = self.code.len()
            + self.description.len()
            + self.title.len()
            + self.uri.map_or(0, ErrorUri::len)
            + self.request_id.map_or(0, |id| id.len() + 40)
            + self
                .field_errors
                .iter()
                // A code brings its markup too: `,"code":""` or `<code></code>`.
                .map(|e| e.field().len() + e.message().len() + e.code().map_or(0, |c| c.len() + 13))
                .sum::<usize>();
        let markup = match format {
            Format::Json => 48 + 30 * self.field_errors.len(),
            Format::Xml | Format::TextXml => 160 + 70 * self.field_errors.len(),
            Format::ProblemJson => 96 + 30 * self.field_errors.len(),
            Format::ProblemXml => 240 + 40 * self.field_errors.len(),
        };
        text + text / 8 + markup
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_is_close_for_plain_text() {
        let err = ApiError::new(StatusCode::BAD_REQUEST, "x".repeat(40), "y".repeat(400))
            .with_field_error("f", "m");
        // Many short field errors with codes: the markup is most of the body.
        let coded = ApiError::unprocessable_entity("")
            .with_field_errors((0..50).map(|_| FieldError::new("f", "m").with_code("c")));
        for err in [err, coded] {
            for format in [
                Format::Json,
                Format::Xml,
                Format::ProblemJson,
                Format::ProblemXml,
            ] {
                let view = View::new(&err, Some("https://docs.example.com/errors"), None);
                let rendered = body(&err, format, Some("https://docs.example.com/errors"), None);
                assert!(
                    view.estimated_len(format) >= rendered.len(),
                    "{format:?}: {} < {}",
                    view.estimated_len(format),
                    rendered.len()
                );
            }
        }
    }

    #[test]
    fn json_len_is_the_rendered_length() {
        let errors = [
            ApiError::not_found("No item with id 42."),
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "odd\"code",
                "a \\ b\n\u{1}\u{1F600}",
            ),
            ApiError::invalid_parameter("").with_uri("https://example.com/a\"b"),
            ApiError::internal_server_error("masked: \"secret\""),
        ];
        for err in errors {
            let rendered = body(&err, Format::Json, None, None);
            assert_eq!(json_measure(&err), Some(rendered.len()), "{err:?}");
        }
        let with_fields = ApiError::unprocessable_entity("").with_field_error("f", "m");
        assert_eq!(json_measure(&with_fields), None);
    }
}
