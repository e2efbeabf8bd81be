//! The JSON bodies of both shapes (`application/json` and `application/problem+json`).
//!
//! One writer, [`write`], gives every piece of a body in order to an [`Out`]: run with
//! [`Measure`] it adds up the body's length, run with [`Write`] it writes the body into a buffer
//! of exactly that length. The bytes are those serde_json writes for the same members (the
//! reference test below serializes the shapes with serde_json and compares).

use bytes::Bytes;

use super::{escape, ErrorUri, Shape, View};
use crate::member::MemberValue;

/// The JSON body of `view` in `shape`.
pub(super) fn body(view: &View<'_>, shape: Shape) -> Bytes {
    let mut measure = Measure::new();
    write(view, shape, &mut measure);
    let mut out = Write {
        buf: Vec::with_capacity(measure.len),
        plain: measure.plain,
    };
    write(view, shape, &mut out);
    debug_assert_eq!(
        out.buf.len(),
        measure.len,
        "the measured length of the JSON body"
    );
    // perf: a `Vec` whose length is its capacity becomes a `Bytes` as it is, where spare room
    // costs a second allocation; bench: instructions.sh `error -> JSON body, through the layer`.
    Bytes::from(out.buf)
}

/// The length of [`body`], worked out without writing it.
pub(super) fn len(view: &View<'_>, shape: Shape) -> usize {
    let mut measure = Measure::new();
    write(view, shape, &mut measure);
    measure.len
}

/// Where [`write`] puts the pieces of a body.
trait Out {
    /// Markup, or text known to need no escaping (the digits of a status, a request id).
    fn raw(&mut self, bytes: &[u8]);
    /// Text, escaped as the contents of a JSON string.
    fn text(&mut self, text: &str);
    /// The error's code, as [`text`](Out::text): a body has it twice when its URI is derived
    /// from it, measured once.
    fn code(&mut self, code: &str) {
        self.text(code);
    }
}

/// Adds up the length of a body, and notes which of its first 64 texts need no escaping.
struct Measure {
    len: usize,
    /// Bit `i` set: the `i`th text needs no escaping.
    plain: u64,
    /// The bit of the next text (0 past the 64th).
    next: u64,
    /// The escaped length of the code, once measured.
    code: Option<usize>,
}

impl Measure {
    fn new() -> Self {
        Self {
            len: 0,
            plain: 0,
            next: 1,
            code: None,
        }
    }

    fn add(&mut self, text: &str, len: usize) {
        if len == text.len() {
            self.plain |= self.next;
        }
        self.next <<= 1;
        self.len += len;
    }
}

impl Out for Measure {
    fn raw(&mut self, bytes: &[u8]) {
        self.len += bytes.len();
    }

    fn text(&mut self, text: &str) {
        self.add(text, escape::json_len(text));
    }

    fn code(&mut self, code: &str) {
        let len = *self.code.get_or_insert_with(|| escape::json_len(code));
        self.add(code, len);
    }
}

/// Writes a body into a buffer.
struct Write {
    buf: Vec<u8>,
    /// [`Measure::plain`] of the same body, shifted past the texts written so far.
    plain: u64,
}

impl Out for Write {
    fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    fn text(&mut self, text: &str) {
        // perf: a text found plain when measured is copied without being searched again; bench:
        // instructions.sh `error -> JSON body, through the layer`.
        if self.plain & 1 == 1 {
            self.buf.extend_from_slice(text.as_bytes());
        } else {
            escape::escape_json(&mut self.buf, text);
        }
        self.plain >>= 1;
    }
}

/// Gives the body of `view` in `shape` to `out`, piece by piece; see the
/// [shapes](super#shapes) for the members and their order.
fn write(view: &View<'_>, shape: Shape, out: &mut impl Out) {
    match shape {
        Shape::Seed => {
            out.raw(b"{\"error\":\"");
            out.code(view.code);
            out.raw(b"\",\"error_description\":\"");
            out.text(view.description);
            if let Some(uri) = view.uri {
                out.raw(b"\",\"error_uri\":\"");
                write_uri(out, uri, view.code);
            }
        }
        Shape::Problem => {
            if let Some(uri) = view.uri {
                out.raw(b"{\"type\":\"");
                write_uri(out, uri, view.code);
                out.raw(b"\",\"title\":\"");
            } else {
                out.raw(b"{\"title\":\"");
            }
            out.text(view.title);
            out.raw(b"\",\"status\":");
            // A status is three digits.
            out.raw(view.status.as_str().as_bytes());
            out.raw(b",\"detail\":\"");
            out.text(view.description);
            out.raw(b"\",\"error\":\"");
            out.code(view.code);
        }
    }
    // Both shapes end their own members with a string, closed here.
    out.raw(b"\"");
    if !view.field_errors.is_empty() {
        let mut open: &[u8] = b",\"field_errors\":[{\"field\":\"";
        for (error, message) in view.field_errors() {
            out.raw(open);
            out.text(error.field());
            out.raw(b"\",\"message\":\"");
            out.text(message);
            if let Some(code) = error.code() {
                out.raw(b"\",\"code\":\"");
                out.text(code);
            }
            open = b"\"},{\"field\":\"";
        }
        out.raw(b"\"}]");
    }
    if view.has_members() {
        write_members(view, out);
    }
    if let Some(id) = view.request_id {
        // A request id needs no escaping (see `View::request_id`).
        out.raw(b",\"request_id\":\"");
        out.raw(id.as_bytes());
        out.raw(b"\"");
    }
    out.raw(b"}");
}

/// Gives the members the client sees to `out`, each after a comma.
// perf: out of line, so that an error without members pays one test; bench: instructions.sh
// `error -> JSON body, through the layer`.
#[inline(never)]
fn write_members(view: &View<'_>, out: &mut impl Out) {
    for member in view.members() {
        // A member name needs no escaping (see `MemberName`).
        out.raw(b",\"");
        out.raw(member.name().as_bytes());
        out.raw(b"\":");
        write_value(out, member.value());
    }
}

/// Gives a member's value to `out` as a JSON value.
fn write_value(out: &mut impl Out, value: &MemberValue) {
    match value {
        MemberValue::String(text) => {
            out.raw(b"\"");
            out.text(text);
            out.raw(b"\"");
        }
        MemberValue::Integer(n) => out.raw(escape::integer(&mut [0; 20], *n)),
        MemberValue::Boolean(true) => out.raw(b"true"),
        MemberValue::Boolean(false) => out.raw(b"false"),
        MemberValue::List(items) => {
            out.raw(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.raw(b",");
                }
                write_value(out, item);
            }
            out.raw(b"]");
        }
    }
}

/// Gives the error's URI to `out`; `code` is the error's code.
// perf: inlined into both passes; bench: instructions.sh `error -> JSON body, through the layer`.
#[inline(always)]
fn write_uri(out: &mut impl Out, uri: ErrorUri<'_>, code: &str) {
    match uri {
        ErrorUri::Given(uri) => out.text(uri),
        ErrorUri::Derived { base } => {
            out.text(base);
            out.raw(b"#");
            out.code(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use http::StatusCode;
    use serde::{ser::SerializeMap, Serialize, Serializer};

    use super::*;
    use crate::{
        member::{MemberName, MemberValue},
        ApiError, FieldError,
    };

    /// The reference for [`write`]: the members of `shape`, serialized by serde_json.
    struct Reference<'a>(&'a View<'a>, Shape);

    impl Serialize for Reference<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let Reference(view, shape) = *self;
            let mut map = serializer.serialize_map(None)?;
            let uri = view.uri.map(|uri| match uri {
                ErrorUri::Given(uri) => uri.to_owned(),
                ErrorUri::Derived { base } => format!("{base}#{}", view.code),
            });
            match shape {
                Shape::Seed => {
                    map.serialize_entry("error", view.code)?;
                    map.serialize_entry("error_description", view.description)?;
                    if let Some(uri) = &uri {
                        map.serialize_entry("error_uri", uri)?;
                    }
                }
                Shape::Problem => {
                    if let Some(uri) = &uri {
                        map.serialize_entry("type", uri)?;
                    }
                    map.serialize_entry("title", view.title)?;
                    map.serialize_entry("status", &view.status.as_u16())?;
                    map.serialize_entry("detail", view.description)?;
                    map.serialize_entry("error", view.code)?;
                }
            }
            if !view.field_errors.is_empty() {
                map.serialize_entry("field_errors", view.field_errors)?;
            }
            for member in view.members() {
                map.serialize_entry(member.name(), member.value())?;
            }
            if let Some(id) = view.request_id {
                map.serialize_entry("request_id", id)?;
            }
            map.end()
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
            let errors =
                [
                    ApiError::new(StatusCode::BAD_REQUEST, text.to_owned(), text.to_owned()),
                    ApiError::new(StatusCode::BAD_REQUEST, "c", text.to_owned())
                        .with_uri(text.to_owned()),
                    ApiError::unprocessable_entity(text.to_owned())
                        .with_field_error(text.to_owned(), text.to_owned())
                        .with_field_error("name", "empty")
                        .with_field_errors([FieldError::new(text.to_owned(), text.to_owned())
                            .with_code(text.to_owned())]),
                    ApiError::not_found(text.to_owned()).with_title(text.to_owned()),
                    ApiError::new(StatusCode::CONFLICT, "c", text.to_owned())
                        .with_member(MemberName::from_static("s"), text.to_owned())
                        .with_member(MemberName::from_static("n"), i64::MIN)
                        .with_member(MemberName::from_static("m"), i64::MAX)
                        .with_member(MemberName::from_static("z"), 0)
                        .with_member(MemberName::from_static("b"), true)
                        .with_member(MemberName::from_static("f"), false)
                        .with_member(MemberName::from_static("e"), Vec::<i64>::new())
                        .with_member(
                            MemberName::from_static("l"),
                            MemberValue::List(vec![
                                MemberValue::from(text.to_owned()),
                                MemberValue::from(-17),
                                MemberValue::from(vec![vec!["x"]]),
                            ]),
                        ),
                    // Masked: only the public member is sent.
                    ApiError::internal_server_error(text.to_owned())
                        .with_member(MemberName::from_static("secret"), text.to_owned())
                        .with_public_member(MemberName::from_static("open"), text.to_owned()),
                    // More texts than `Measure` notes (64): the rest are escaped as they come.
                    ApiError::unprocessable_entity(text.to_owned()).with_field_errors((0..40).map(
                        |i| FieldError::new(format!("f{i}"), text.to_owned()).with_code("c\"1"),
                    )),
                ];
            for err in &errors {
                for base in [None, Some(text), Some("https://docs.example.com/errors")] {
                    for id in [None, Some("req-1.a:b_c")] {
                        for shape in [Shape::Seed, Shape::Problem] {
                            let view = View::new(err, base, id, shape, None);
                            let reference = serde_json::to_vec(&Reference(&view, shape)).unwrap();
                            assert_eq!(
                                body(&view, shape),
                                reference,
                                "{shape:?}: {text:?}, base {base:?}, id {id:?}"
                            );
                            assert_eq!(len(&view, shape), reference.len());
                        }
                    }
                }
            }
        }
    }
}
