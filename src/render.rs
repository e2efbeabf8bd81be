//! Rendering an [`ApiError`] as a JSON or XML body, and the headers that go with it.
//!
//! # JSON
//!
//! ```json
//! {"error":"unprocessable_entity","error_description":"The item is invalid.","error_uri":"https://docs.example.com/errors#unprocessable_entity","field_errors":[{"field":"name","message":"must not be empty"}]}
//! ```
//!
//! `error_uri` is left out when the error has none and the layer has no base URI; `field_errors`
//! is left out when there are none.
//!
//! # XML
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <error_response><error>unprocessable_entity</error><error_description>The item is invalid.</error_description><error_uri>https://docs.example.com/errors#unprocessable_entity</error_uri><field_errors><field_error><field>name</field><message>must not be empty</message></field_error></field_errors></error_response>
//! ```
//!
//! The same members as in JSON, as elements in the same order under the root `<error_response>`.
//! Text is escaped so that any XML parser gives back exactly the text of the error: `&`, `<`
//! and `>` become `&amp;`, `&lt;` and `&gt;`, and a carriage return becomes `&#13;` (a literal one
//! would be read back as a line feed). XML 1.0 cannot carry the other control characters
//! (U+0000 to U+001F except tab, line feed and carriage return) nor U+FFFE and U+FFFF, not even as
//! character references, so each of those is replaced by U+FFFD REPLACEMENT CHARACTER. JSON
//! bodies carry every character as it is.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use http::{
    header::{CONTENT_LENGTH, CONTENT_TYPE, VARY},
    response::Parts,
    HeaderMap, HeaderValue, Response,
};

use crate::{error::FieldError, ApiError, Format};

/// Renders `err` as a body in `format`. `base_uri` gives an `error_uri` of `<base>#<code>` to
/// errors that have no URI of their own.
pub(crate) fn body(err: &ApiError, format: Format, base_uri: Option<&str>) -> Bytes {
    let view = View::new(err, base_uri);
    let mut buf = BytesMut::with_capacity(view.estimated_len(format));
    match format {
        Format::Json => view.write_json(&mut buf),
        Format::Xml | Format::TextXml => view.write_xml(&mut buf),
    }
    buf.freeze()
}

/// Response parts for `err` with nothing but its status and headers.
pub(crate) fn parts(err: &ApiError) -> Parts {
    let (mut parts, ()) = Response::new(()).into_parts();
    parts.status = err.status();
    // Room for the error's own headers and the three the layer adds, in one allocation.
    parts.headers = HeaderMap::with_capacity(err.headers().len() + 3);
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
    let digits = DIGITS.get(start..start + decimal_width(n))?;
    std::str::from_utf8(digits).ok()
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

/// What the client sees of an error.
struct View<'a> {
    code: &'a str,
    description: &'a str,
    uri: Option<ErrorUri<'a>>,
    field_errors: &'a [FieldError],
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
    fn len(self) -> usize {
        match self {
            ErrorUri::Given(uri) => uri.len(),
            ErrorUri::Derived { base, code } => base.len() + 1 + code.len(),
        }
    }
}

impl<'a> View<'a> {
    fn new(err: &'a ApiError, base_uri: Option<&'a str>) -> Self {
        let code = err.code();
        let uri = match (err.uri(), base_uri) {
            (Some(uri), _) => Some(ErrorUri::Given(uri)),
            (None, Some(base)) => Some(ErrorUri::Derived { base, code }),
            (None, None) => None,
        };
        Self {
            code,
            description: err.public_description(),
            uri,
            field_errors: err.public_field_errors(),
        }
    }

    /// A capacity that holds the body unless much of the text needs escaping.
    fn estimated_len(&self, format: Format) -> usize {
        let text = self.code.len()
            + self.description.len()
            + self.uri.map_or(0, ErrorUri::len)
            + self
                .field_errors
                .iter()
                .map(|e| e.field().len() + e.message().len())
                .sum::<usize>();
        let markup = match format {
            Format::Json => 48 + 30 * self.field_errors.len(),
            Format::Xml | Format::TextXml => 160 + 70 * self.field_errors.len(),
        };
        text + text / 8 + markup
    }

    /// Writes the same bytes as `serde_json::to_writer(buf, self)` (the `Serialize` impl below
    /// is the reference), without going through `io::Write` for every token.
    fn write_json(&self, buf: &mut BytesMut) {
        buf.put_slice(b"{\"error\":\"");
        escape_json(buf, self.code);
        buf.put_slice(b"\",\"error_description\":\"");
        escape_json(buf, self.description);
        buf.put_u8(b'"');
        if let Some(uri) = self.uri {
            buf.put_slice(b",\"error_uri\":\"");
            match uri {
                ErrorUri::Given(uri) => escape_json(buf, uri),
                ErrorUri::Derived { base, code } => {
                    escape_json(buf, base);
                    buf.put_u8(b'#');
                    escape_json(buf, code);
                }
            }
            buf.put_u8(b'"');
        }
        if !self.field_errors.is_empty() {
            buf.put_slice(b",\"field_errors\":");
            // Serializing borrowed strings into memory cannot fail: serde_json only fails on I/O
            // errors, non-string map keys and non-finite floats, none of which occur here.
            let result = serde_json::to_writer(buf.writer(), self.field_errors);
            debug_assert!(result.is_ok(), "{result:?}");
        }
        buf.put_u8(b'}');
    }

    fn write_xml(&self, buf: &mut BytesMut) {
        buf.put_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response>");
        element(buf, "error", self.code);
        element(buf, "error_description", self.description);
        if let Some(uri) = self.uri {
            buf.put_slice(b"<error_uri>");
            match uri {
                ErrorUri::Given(uri) => escape_xml(buf, uri),
                ErrorUri::Derived { base, code } => {
                    escape_xml(buf, base);
                    buf.put_u8(b'#');
                    escape_xml(buf, code);
                }
            }
            buf.put_slice(b"</error_uri>");
        }
        if !self.field_errors.is_empty() {
            buf.put_slice(b"<field_errors>");
            for error in self.field_errors {
                buf.put_slice(b"<field_error>");
                element(buf, "field", error.field());
                element(buf, "message", error.message());
                buf.put_slice(b"</field_error>");
            }
            buf.put_slice(b"</field_errors>");
        }
        buf.put_slice(b"</error_response>");
    }
}

fn element(buf: &mut BytesMut, name: &str, text: &str) {
    buf.put_u8(b'<');
    buf.put_slice(name.as_bytes());
    buf.put_u8(b'>');
    escape_xml(buf, text);
    buf.put_slice(b"</");
    buf.put_slice(name.as_bytes());
    buf.put_u8(b'>');
}

/// Writes `text` as the contents of a JSON string, escaped exactly as serde_json escapes it: `"`
/// and `\\` with a backslash, the control characters U+0000 to U+001F as `\\b`, `\\t`, `\\n`,
/// `\\f`, `\\r` or `\\u00xx`, everything else as it is.
fn escape_json(buf: &mut BytesMut, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        let i = start + plain_json_len(&bytes[start..]);
        let Some(&b) = bytes.get(i) else { break };
        buf.put_slice(&bytes[start..i]);
        start = i + 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            0x0C => b'f',
            b'\r' => b'r',
            _ => {
                let [high, low] = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]];
                buf.put_slice(&[b'\\', b'u', b'0', b'0', high, low]);
                continue;
            }
        };
        buf.put_slice(&[b'\\', short]);
    }
    buf.put_slice(&bytes[start..]);
}

/// How many bytes at the start of `bytes` a JSON string carries as they are: up to the first
/// control character, `"` or `\\`.
///
/// Eight bytes at a time: `(x - 0x2020..) & !x & 0x8080..` marks bytes below 0x20, and with
/// `x ^ (b * 0x0101..)` in place of `x` and 0x01 for 0x20, bytes equal to `b`. The lowest mark is
/// exact (a borrow can only mark bytes above a true one).
fn plain_json_len(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    fn below(x: u64, n: u8) -> u64 {
        x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS
    }
    let mut i = 0;
    while let Some(chunk) = bytes[i..].first_chunk::<8>() {
        let word = u64::from_le_bytes(*chunk);
        let found = below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1);
        if found != 0 {
            return i + found.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .unwrap_or(bytes.len() - i)
}

/// Writes `text` as XML character data; see the [module docs](self) for the rules.
pub(crate) fn escape_xml(buf: &mut BytesMut, text: &str) {
    const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, width): (&[u8], usize) = match bytes[i] {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'\r' => (b"&#13;", 1),
            b'\t' | b'\n' => {
                i += 1;
                continue;
            }
            0x00..=0x1F => (REPLACEMENT, 1),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                (REPLACEMENT, 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        buf.put_slice(&bytes[start..i]);
        buf.put_slice(replacement);
        i += width;
        start = i;
    }
    buf.put_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use http::StatusCode;

    use super::*;
    use serde::{ser::SerializeMap, Serialize, Serializer};

    /// The reference for [`View::write_json`], for the tests.
    impl Serialize for View<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len =
                2 + usize::from(self.uri.is_some()) + usize::from(!self.field_errors.is_empty());
            let mut map = serializer.serialize_map(Some(len))?;
            map.serialize_entry("error", self.code)?;
            map.serialize_entry("error_description", self.description)?;
            if let Some(uri) = &self.uri {
                map.serialize_entry("error_uri", &DisplayStr(uri))?;
            }
            if !self.field_errors.is_empty() {
                map.serialize_entry("field_errors", self.field_errors)?;
            }
            map.end()
        }
    }

    /// Serializes a `Display` value as a string without building it first.
    struct DisplayStr<'a, T>(&'a T);

    impl<T: fmt::Display> Serialize for DisplayStr<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self.0)
        }
    }

    fn xml_text(text: &str) -> String {
        let mut buf = BytesMut::new();
        escape_xml(&mut buf, text);
        String::from_utf8(buf.to_vec()).unwrap()
    }

    #[test]
    fn escapes_markup_and_carriage_returns() {
        assert_eq!(
            xml_text("a < b && c > d ]]>"),
            "a &lt; b &amp;&amp; c &gt; d ]]&gt;"
        );
        assert_eq!(xml_text("\"quoted\" 'single'"), "\"quoted\" 'single'");
        assert_eq!(xml_text("line\r\nnext\ttab"), "line&#13;\nnext\ttab");
    }

    #[test]
    fn replaces_characters_xml_cannot_carry() {
        assert_eq!(
            xml_text("a\u{0}b\u{1b}c\u{b}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(
            xml_text("x\u{FFFE}y\u{FFFF}z\u{FFFD}"),
            "x\u{FFFD}y\u{FFFD}z\u{FFFD}"
        );
        // Other characters starting with the same byte are kept.
        assert_eq!(xml_text("\u{F000}\u{FFEE}€"), "\u{F000}\u{FFEE}€");
        assert_eq!(xml_text("\u{FFFF}"), "\u{FFFD}");
        assert_eq!(xml_text(""), "");
    }

    #[test]
    fn json_body_has_the_members_in_order() {
        let err = ApiError::not_found("No item with id 42.");
        let json = body(&err, Format::Json, Some("https://docs.example.com/errors"));
        assert_eq!(
            json,
            r#"{"error":"not_found","error_description":"No item with id 42.","error_uri":"https://docs.example.com/errors#not_found"}"#
        );
        let json = body(&err, Format::Json, None);
        assert_eq!(
            json,
            r#"{"error":"not_found","error_description":"No item with id 42."}"#
        );
    }

    #[test]
    fn own_uri_beats_the_base() {
        let err = ApiError::not_found("").with_uri("https://x.test/own");
        let json = body(&err, Format::Json, Some("https://docs.example.com/errors"));
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["error_uri"], "https://x.test/own");
    }

    #[test]
    fn xml_body_has_the_members_in_order() {
        let err = ApiError::unprocessable_entity("Bad <item>.").with_field_error("name", "empty");
        let xml = body(&err, Format::Xml, Some("https://d.test/e?a=1&b=2"));
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response>\
             <error>unprocessable_entity</error>\
             <error_description>Bad &lt;item&gt;.</error_description>\
             <error_uri>https://d.test/e?a=1&amp;b=2#unprocessable_entity</error_uri>\
             <field_errors><field_error><field>name</field><message>empty</message></field_error></field_errors>\
             </error_response>"
        );
    }

    #[test]
    fn estimate_is_close_for_plain_text() {
        let err = ApiError::new(StatusCode::BAD_REQUEST, "x".repeat(40), "y".repeat(400))
            .with_field_error("f", "m");
        for format in [Format::Json, Format::Xml] {
            let view = View::new(&err, Some("https://docs.example.com/errors"));
            let rendered = body(&err, format, Some("https://docs.example.com/errors"));
            assert!(view.estimated_len(format) >= rendered.len(), "{format:?}");
        }
    }

    #[test]
    fn json_is_written_as_serde_json_writes_it() {
        let mut every_ascii = String::new();
        for b in 0..=0x7F_u8 {
            every_ascii.push(char::from(b));
        }
        let texts = [
            "",
            "plain",
            "\"quoted\" and \\backslashed\\",
            "line\nbreak\r\ttab\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "ünïcödé €, \u{FFFD} \u{1F600} </script>",
            &every_ascii,
        ];
        for text in texts {
            let errors = [
                ApiError::new(StatusCode::BAD_REQUEST, text.to_owned(), text.to_owned()),
                ApiError::new(StatusCode::BAD_REQUEST, "c", text.to_owned())
                    .with_uri(text.to_owned()),
                ApiError::unprocessable_entity(text.to_owned())
                    .with_field_error(text.to_owned(), text.to_owned())
                    .with_field_error("name", "empty"),
            ];
            for err in &errors {
                for base in [None, Some(text), Some("https://docs.example.com/errors")] {
                    let view = View::new(err, base);
                    let mut written = BytesMut::new();
                    view.write_json(&mut written);
                    let reference = serde_json::to_vec(&view).unwrap();
                    assert_eq!(written, reference, "{text:?}, base {base:?}");
                }
            }
        }
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
