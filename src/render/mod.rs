//! Rendering an [`ApiError`] as a body, and the headers that go with it. Two shapes, each in
//! JSON and XML: the seed shape ([`seed`]: `error`, `error_description`, `error_uri`) and RFC
//! 9457 problem details ([`problem`]). Both carry the same code, status and public description
//! (5xx masking holds in both); [`escape`] has the escaping rules.

pub(crate) mod escape;
mod problem;
mod seed;

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use http::{
    header::{
        CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING, VARY, WWW_AUTHENTICATE,
    },
    response::Parts,
    HeaderMap, HeaderValue, Response, StatusCode,
};

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

/// Response parts for `err` with nothing but its status and headers.
pub(crate) fn parts(err: &ApiError) -> Parts {
    let (mut parts, ()) = Response::new(()).into_parts();
    parts.status = err.status();
    // Room for the error's own headers and the three the layer adds, in one allocation; made
    // in the empty map (which has none) rather than in a new one that replaces it.
    parts.headers.reserve(err.headers().len() + 3);
    if !err.headers().is_empty() {
        parts.headers.extend(err.headers().clone());
    }
    parts
}

/// Sets `Content-Type` and `Content-Length` for `body`.
pub(crate) fn set_body_headers(headers: &mut HeaderMap, format: Format, body: &Bytes) {
    headers.insert(CONTENT_TYPE, format.content_type());
    headers.insert(CONTENT_LENGTH, content_length(body.len()));
}

/// Sets the headers of a freshly rendered error body of `len` bytes in `format` on `headers`,
/// the head of the response it replaces the body of (or a new one): `Content-Encoding` and
/// `Transfer-Encoding` removed (no coding of the old body holds for the new one), `challenge`
/// (the layer's default `WWW-Authenticate`, for a 401) added unless the response has a
/// challenge, `Vary: Accept` added as [`add_vary_accept`] does, and `Content-Type` and
/// `Content-Length` set; in that order, so that the fields come out in the order these steps
/// always gave.
///
/// One pass over the fields finds which of them are there and sets `Content-Type` and
/// `Content-Length` in place: the response of `ApiError`'s `IntoResponse` already has both and
/// nothing else, and looking each name up (or inserting it, which reserves room first and so
/// grows a full map even to replace a field) cost about 1,700 instructions per error of the
/// 404 in `benches/tools/hot_paths.rs`.
pub(crate) fn set_error_headers(
    headers: &mut HeaderMap,
    format: Format,
    len: usize,
    challenge: Option<&HeaderValue>,
) {
    let (mut coded, mut vary, mut challenged) = (false, false, false);
    // How many `Content-Type` and `Content-Length` fields there are; the first of each is set in
    // place, and a second one makes the `insert` below remove the rest.
    let (mut types, mut lengths) = (0_u32, 0_u32);
    for (name, value) in headers.iter_mut() {
        if name == CONTENT_TYPE {
            if types == 0 {
                *value = format.content_type();
            }
            types += 1;
        } else if name == CONTENT_LENGTH {
            if lengths == 0 {
                *value = content_length(len);
            }
            lengths += 1;
        } else if name == CONTENT_ENCODING || name == TRANSFER_ENCODING {
            coded = true;
        } else if name == VARY {
            vary = true;
        } else if name == WWW_AUTHENTICATE {
            challenged = true;
        }
    }
    if coded {
        headers.remove(CONTENT_ENCODING);
        headers.remove(TRANSFER_ENCODING);
    }
    if let (Some(challenge), false) = (challenge, challenged) {
        headers.insert(WWW_AUTHENTICATE, challenge.clone());
    }
    if vary {
        add_vary_accept(headers);
    } else {
        headers.append(VARY, HeaderValue::from_static("Accept"));
    }
    if types != 1 {
        headers.insert(CONTENT_TYPE, format.content_type());
    }
    if lengths != 1 {
        headers.insert(CONTENT_LENGTH, content_length(len));
    }
}

/// Sets `Content-Type: application/json` and `Content-Length` for a body of `len` bytes.
// Only `ApiError`'s axum `IntoResponse` (feature `axum`) uses it.
#[cfg_attr(not(feature = "axum"), allow(dead_code))]
pub(crate) fn set_json_headers(headers: &mut HeaderMap, len: usize) {
    headers.insert(CONTENT_TYPE, Format::Json.content_type());
    headers.insert(CONTENT_LENGTH, content_length(len));
}

/// `len` as a header value, without allocating for the lengths error bodies have.
///
/// Kept because it pays: `HeaderValue::from(len)` allocates, and costs about 350 more
/// instructions per rendered error (6% of an error through the layer; `benches/instructions.sh`,
/// case `error json`: 5622 with the table, 5971 without).
fn content_length(len: usize) -> HeaderValue {
    match decimal(len) {
        Some(digits) => HeaderValue::from_static(digits),
        None => HeaderValue::from(len),
    }
}

/// How many numbers [`DIGITS`] spells out.
const DECIMALS: usize = 10_000;

/// The decimal numbers from 0 to 9999, written one after another ("012...9101112...").
static DIGITS: [u8; 38_890] = {
    let mut digits = [0; 38_890];
    let (mut n, mut end) = (0, 0);
    while n < DECIMALS {
        end += decimal_width(n);
        let (mut rest, mut i) = (n, end);
        loop {
            i -= 1;
            digits[i] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        n += 1;
    }
    digits
};

const fn decimal_width(n: usize) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 4,
    }
}

/// [`DIGITS`] as text, checked once at compile time: checking the slice of every length as
/// UTF-8 cost about 55 instructions per rendered error.
static DIGITS_TEXT: &str = match std::str::from_utf8(&DIGITS) {
    Ok(text) => text,
    Err(_) => panic!("DIGITS holds ASCII digits only"),
};

/// `n` in decimal, a slice of [`DIGITS`], if `n` is below [`DECIMALS`].
fn decimal(n: usize) -> Option<&'static str> {
    // Where `n` starts: past every shorter number, and past the smaller ones as long.
    let start = match n {
        0..=9 => n,
        10..=99 => 10 + (n - 10) * 2,
        100..=999 => 190 + (n - 100) * 3,
        1000..DECIMALS => 2890 + (n - 1000) * 4,
        _ => return None,
    };
    DIGITS_TEXT.get(start..start + decimal_width(n))
}

/// Appends `Vary: Accept` unless a `Vary` field already names `Accept` or `*`.
pub(crate) fn add_vary_accept(headers: &mut HeaderMap) {
    // Most error responses start with no headers at all: nothing to look up then.
    let present = !headers.is_empty()
        && headers.get_all(VARY).iter().any(|value| {
            value.as_bytes().split(|&b| b == b',').any(|name| {
                let name = name.trim_ascii();
                name == b"*" || name.eq_ignore_ascii_case(b"accept")
            })
        });
    if !present {
        headers.append(VARY, HeaderValue::from_static("Accept"));
    }
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

    #[test]
    fn content_length_is_the_decimal_length() {
        for len in (0..12_000).chain([99_999, 1 << 20, usize::MAX]) {
            assert_eq!(content_length(len), HeaderValue::from(len), "{len}");
        }
        assert_eq!(decimal(0), Some("0"));
        assert_eq!(decimal(9999), Some("9999"));
        assert_eq!(decimal(10_000), None);
    }

    #[test]
    fn vary_is_appended_once() {
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Origin"));
        add_vary_accept(&mut headers);
        add_vary_accept(&mut headers);
        let values: Vec<_> = headers.get_all(VARY).iter().collect();
        assert_eq!(values, ["Origin", "Accept"]);

        for present in ["accept", "Origin, ACCEPT", "*"] {
            let mut headers = HeaderMap::new();
            headers.insert(VARY, HeaderValue::from_static(present));
            add_vary_accept(&mut headers);
            assert_eq!(headers.get_all(VARY).iter().count(), 1, "{present}");
        }
    }
}
