//! The seed shape: `error`, `error_description`, `error_uri` and `field_errors`.
//!
//! # JSON
//!
//! ```json
//! {"error":"unprocessable_entity","error_description":"The item is invalid.","error_uri":"https://docs.example.com/errors#unprocessable_entity","field_errors":[{"field":"name","message":"must not be empty"}]}
//! ```
//!
//! `error_uri` is left out when the error has none and the layer has no base URI; `field_errors`
//! is left out when there are none; `request_id`, last, is there when the request carried an id
//! (see [`ApiErrorLayer::request_id_header`](crate::ApiErrorLayer::request_id_header)). A field
//! error is `{"field": ..., "message": ...}`, with `"code"` last when it has one (see
//! [`FieldError::with_code`](crate::FieldError::with_code)).
//!
//! # XML
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <error_response><error>unprocessable_entity</error><error_description>The item is invalid.</error_description><error_uri>https://docs.example.com/errors#unprocessable_entity</error_uri><field_errors><field_error><field>name</field><message>must not be empty</message></field_error></field_errors></error_response>
//! ```
//!
//! The same members as in JSON, as elements in the same order under the root `<error_response>`;
//! a field error's code is a `<code>` after its `<message>`.

use bytes::{BufMut, Bytes, BytesMut};

use super::{
    escape::{element, escape_json, escape_xml, searched_json_len},
    write_field_errors_json, write_field_errors_xml, write_request_id_json, write_request_id_xml,
    ErrorUri, View,
};

/// Writes the same bytes as `serde_json::to_writer(buf, self)` (the `Serialize` impl in the
/// tests is the reference), without going through `io::Write` for every token.
pub(super) fn write_json(view: &View<'_>, buf: &mut BytesMut) {
    buf.put_slice(b"{\"error\":\"");
    escape_json(buf, view.code);
    buf.put_slice(b"\",\"error_description\":\"");
    escape_json(buf, view.description);
    buf.put_u8(b'"');
    if let Some(uri) = view.uri {
        buf.put_slice(b",\"error_uri\":\"");
        uri.write(buf, escape_json);
        buf.put_u8(b'"');
    }
    if !view.field_errors.is_empty() {
        buf.put_slice(b",\"field_errors\":");
        write_field_errors_json(buf, view.field_errors);
    }
    write_request_id_json(buf, view.request_id);
    buf.put_u8(b'}');
}

/// A text of a JSON body and its escaped length, measured once: copied as it is when that is its
/// own length (no escaping), escaped otherwise.
#[derive(Clone, Copy)]
struct JsonText<'a> {
    text: &'a str,
    len: usize,
}

impl<'a> JsonText<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            len: searched_json_len(text),
        }
    }

    fn write(self, buf: &mut Vec<u8>) {
        if self.len == self.text.len() {
            buf.extend_from_slice(self.text.as_bytes());
        } else {
            escape_json(buf, self.text);
        }
    }
}

/// [`write_json`]'s bytes for an error without field errors (the common case), in a buffer of
/// exactly their length; `None` for one with field errors.
///
/// `Bytes` made from a buffer with room to spare allocates a second block to share it by, where
/// one whose length is its capacity becomes the `Bytes` as it is; and measuring each text first
/// lets a text that needs no escaping be copied without being searched again. Together about
/// 250 instructions less per error of the 404 in `benches/tools/hot_paths.rs`. The buffer is a
/// `Vec`, whose `extend_from_slice` costs less than `BytesMut::put_slice`, and the markup
/// between two texts is written in one piece (about 110 instructions less).
pub(super) fn json_exact(view: &View<'_>) -> Option<Bytes> {
    if !view.field_errors.is_empty() {
        return None;
    }
    let (code, description) = (JsonText::new(view.code), JsonText::new(view.description));
    let uri = view.uri.map(|uri| match uri {
        ErrorUri::Given(uri) => (JsonText::new(uri), None),
        // The derived URI's code is the error's: measured above.
        ErrorUri::Derived { base, code: _ } => (JsonText::new(base), Some(code)),
    });
    // `{"error":"` code `","error_description":"` description
    // [`","error_uri":"` uri [`#` code]] `"` [`,"request_id":"` id `"`] `}`
    let len = 10
        + code.len
        + 23
        + description.len
        + uri.map_or(0, |(uri, code)| {
            15 + uri.len + code.map_or(0, |code| 1 + code.len)
        })
        + 1
        + view.request_id.map_or(0, |id| 15 + id.len() + 1)
        + 1;
    let mut buf = Vec::with_capacity(len);
    buf.extend_from_slice(b"{\"error\":\"");
    code.write(&mut buf);
    buf.extend_from_slice(b"\",\"error_description\":\"");
    description.write(&mut buf);
    if let Some((uri, code)) = uri {
        buf.extend_from_slice(b"\",\"error_uri\":\"");
        uri.write(&mut buf);
        if let Some(code) = code {
            buf.push(b'#');
            code.write(&mut buf);
        }
    }
    match view.request_id {
        // Ids need no escaping (see `write_request_id_json`).
        Some(id) => {
            buf.extend_from_slice(b"\",\"request_id\":\"");
            buf.extend_from_slice(id.as_bytes());
            buf.extend_from_slice(b"\"}");
        }
        None => buf.extend_from_slice(b"\"}"),
    }
    debug_assert_eq!(buf.len(), len, "the measured length of the JSON body");
    Some(Bytes::from(buf))
}

pub(super) fn write_xml(view: &View<'_>, buf: &mut BytesMut) {
    buf.put_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response>");
    element(buf, "error", view.code);
    element(buf, "error_description", view.description);
    if let Some(uri) = view.uri {
        buf.put_slice(b"<error_uri>");
        uri.write(buf, escape_xml);
        buf.put_slice(b"</error_uri>");
    }
    if !view.field_errors.is_empty() {
        write_field_errors_xml(buf, view.field_errors, "field_error");
    }
    write_request_id_xml(buf, view.request_id);
    buf.put_slice(b"</error_response>");
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use bytes::BytesMut;
    use http::StatusCode;
    use serde::{ser::SerializeMap, Serialize, Serializer};

    use super::*;
    use crate::{render::body, ApiError, FieldError, Format};

    /// The reference for [`write_json`].
    impl Serialize for View<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len = 2
                + usize::from(self.uri.is_some())
                + usize::from(!self.field_errors.is_empty())
                + usize::from(self.request_id.is_some());
            let mut map = serializer.serialize_map(Some(len))?;
            map.serialize_entry("error", self.code)?;
            map.serialize_entry("error_description", self.description)?;
            if let Some(uri) = &self.uri {
                map.serialize_entry("error_uri", &DisplayStr(uri))?;
            }
            if !self.field_errors.is_empty() {
                map.serialize_entry("field_errors", self.field_errors)?;
            }
            if let Some(id) = self.request_id {
                map.serialize_entry("request_id", id)?;
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

    #[test]
    fn json_body_has_the_members_in_order() {
        let err = ApiError::not_found("No item with id 42.");
        let json = body(
            &err,
            Format::Json,
            Some("https://docs.example.com/errors"),
            None,
        );
        assert_eq!(
            json,
            r#"{"error":"not_found","error_description":"No item with id 42.","error_uri":"https://docs.example.com/errors#not_found"}"#
        );
        let json = body(&err, Format::Json, None, None);
        assert_eq!(
            json,
            r#"{"error":"not_found","error_description":"No item with id 42."}"#
        );
    }

    #[test]
    fn own_uri_beats_the_base() {
        let err = ApiError::not_found("").with_uri("https://x.test/own");
        let json = body(
            &err,
            Format::Json,
            Some("https://docs.example.com/errors"),
            None,
        );
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["error_uri"], "https://x.test/own");
    }

    #[test]
    fn xml_body_has_the_members_in_order() {
        let err = ApiError::unprocessable_entity("Bad <item>.").with_field_error("name", "empty");
        let xml = body(&err, Format::Xml, Some("https://d.test/e?a=1&b=2"), None);
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
    fn a_field_error_code_comes_after_the_message_escaped() {
        let err = ApiError::unprocessable_entity("Bad.").with_field_errors([
            FieldError::new("items[0].name", "too long").with_code("length"),
            FieldError::new("a<b", "x & y").with_code("c\"<&>"),
        ]);
        assert_eq!(
            body(&err, Format::Json, None, None),
            r#"{"error":"unprocessable_entity","error_description":"Bad.","field_errors":[{"field":"items[0].name","message":"too long","code":"length"},{"field":"a<b","message":"x & y","code":"c\"<&>"}]}"#
        );
        assert_eq!(
            body(&err, Format::Xml, None, None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response>\
             <error>unprocessable_entity</error><error_description>Bad.</error_description>\
             <field_errors><field_error><field>items[0].name</field><message>too long</message><code>length</code></field_error>\
             <field_error><field>a&lt;b</field><message>x &amp; y</message><code>c\"&lt;&amp;&gt;</code></field_error></field_errors>\
             </error_response>"
        );
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
                    .with_field_error("name", "empty")
                    .with_field_errors([FieldError::new(text.to_owned(), text.to_owned())
                        .with_code(text.to_owned())]),
            ];
            for err in &errors {
                for base in [None, Some(text), Some("https://docs.example.com/errors")] {
                    let view = View::new(err, base, None);
                    let mut written = BytesMut::new();
                    write_json(&view, &mut written);
                    let reference = serde_json::to_vec(&view).unwrap();
                    assert_eq!(written, reference, "{text:?}, base {base:?}");
                    if let Some(exact) = json_exact(&view) {
                        assert_eq!(exact, reference, "{text:?}, base {base:?}");
                    }
                    let view = View::new(err, base, Some("req-1.a:b_c"));
                    if let Some(exact) = json_exact(&view) {
                        let reference = serde_json::to_vec(&view).unwrap();
                        assert_eq!(exact, reference, "{text:?}, base {base:?}, with an id");
                    }
                }
            }
        }
    }
}
