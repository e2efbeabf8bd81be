//! The XML bodies of both shapes (`application/xml`, `text/xml` and `application/problem+xml`):
//! an XML declaration naming UTF-8, then the shape's root element holding one element per
//! member, its text escaped as [`escape`](super::escape) says.

use bytes::{BufMut, Bytes, BytesMut};

use super::{
    escape::{element, escape_xml, integer},
    ErrorUri, Shape, View,
};
use crate::member::MemberValue;

/// The XML body of `view` in `shape`; see the [shapes](super#shapes) for the members and their
/// order.
pub(super) fn body(view: &View<'_>, shape: Shape) -> Bytes {
    let mut buf = BytesMut::with_capacity(estimated_len(view, shape));
    // The element of each field error, and the root's end tag.
    let (field_error, end) = match shape {
        Shape::Seed => {
            buf.put_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_response>");
            element(&mut buf, "error", view.code);
            element(&mut buf, "error_description", view.description);
            if let Some(uri) = view.uri {
                buf.put_slice(b"<error_uri>");
                write_uri(&mut buf, uri, view.code);
                buf.put_slice(b"</error_uri>");
            }
            ("field_error", "</error_response>")
        }
        Shape::Problem => {
            buf.put_slice(
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<problem xmlns=\"urn:ietf:rfc:7807\">",
            );
            if let Some(uri) = view.uri {
                buf.put_slice(b"<type>");
                write_uri(&mut buf, uri, view.code);
                buf.put_slice(b"</type>");
            }
            element(&mut buf, "title", view.title);
            // A status is three digits.
            buf.put_slice(b"<status>");
            buf.put_slice(view.status.as_str().as_bytes());
            buf.put_slice(b"</status>");
            element(&mut buf, "detail", view.description);
            element(&mut buf, "error", view.code);
            ("i", "</problem>")
        }
    };
    if !view.field_errors.is_empty() {
        buf.put_slice(b"<field_errors>");
        for (error, message) in view.field_errors() {
            buf.put_u8(b'<');
            buf.put_slice(field_error.as_bytes());
            buf.put_u8(b'>');
            element(&mut buf, "field", error.field());
            element(&mut buf, "message", message);
            if let Some(code) = error.code() {
                element(&mut buf, "code", code);
            }
            buf.put_slice(b"</");
            buf.put_slice(field_error.as_bytes());
            buf.put_u8(b'>');
        }
        buf.put_slice(b"</field_errors>");
    }
    if view.has_members() {
        write_members(view, &mut buf);
    }
    if let Some(id) = view.request_id {
        // A request id needs no escaping (see `View::request_id`).
        buf.put_slice(b"<request_id>");
        buf.put_slice(id.as_bytes());
        buf.put_slice(b"</request_id>");
    }
    buf.put_slice(end.as_bytes());
    buf.freeze()
}

/// Writes the members the client sees, each as an element.
// perf: out of line, so that an error without members pays one test; bench: instructions.sh
// `error -> XML body, through the layer`.
#[inline(never)]
fn write_members(view: &View<'_>, buf: &mut BytesMut) {
    for member in view.members() {
        // A member name is a valid XML name (see `MemberName`); in problem details the element
        // is in the RFC's namespace, the root's default one.
        let name = member.name().as_bytes();
        buf.put_u8(b'<');
        buf.put_slice(name);
        buf.put_u8(b'>');
        write_value(buf, member.value());
        buf.put_slice(b"</");
        buf.put_slice(name);
        buf.put_u8(b'>');
    }
}

/// Writes a member's value as the contents of its element: a scalar as text, a list as one
/// `<i>` element per item (RFC 9457, appendix B).
fn write_value(buf: &mut BytesMut, value: &MemberValue) {
    match value {
        MemberValue::String(text) => escape_xml(buf, text),
        MemberValue::Integer(n) => buf.put_slice(integer(&mut [0; 20], *n)),
        MemberValue::Boolean(true) => buf.put_slice(b"true"),
        MemberValue::Boolean(false) => buf.put_slice(b"false"),
        MemberValue::List(items) => {
            for item in items {
                buf.put_slice(b"<i>");
                write_value(buf, item);
                buf.put_slice(b"</i>");
            }
        }
    }
}

/// About the length of a member value's contents, unescaped.
fn value_len(value: &MemberValue) -> usize {
    match value {
        MemberValue::String(text) => text.len(),
        MemberValue::Integer(_) => 20,
        MemberValue::Boolean(_) => 5,
        MemberValue::List(items) => items.iter().map(|item| value_len(item) + 7).sum(),
    }
}

/// Writes the error's URI; `code` is the error's code.
fn write_uri(buf: &mut BytesMut, uri: ErrorUri<'_>, code: &str) {
    match uri {
        ErrorUri::Given(uri) => escape_xml(buf, uri),
        ErrorUri::Derived { base } => {
            escape_xml(buf, base);
            buf.put_u8(b'#');
            escape_xml(buf, code);
        }
    }
}

/// A capacity that holds the body unless much of the text needs escaping.
/// About the length of the members' elements, unescaped.
#[inline(never)]
fn members_len(view: &View<'_>) -> usize {
    view.members()
        .map(|m| 2 * m.name().len() + 5 + value_len(m.value()))
        .sum()
}

fn estimated_len(view: &View<'_>, shape: Shape) -> usize {
    let text = view.code.len()
        + view.description.len()
        + view.title.len()
        + view.uri.map_or(0, |uri| match uri {
            ErrorUri::Given(uri) => uri.len(),
            ErrorUri::Derived { base } => base.len() + 1 + view.code.len(),
        })
        + view.request_id.map_or(0, |id| id.len() + 40)
        + view
            .field_errors()
            // A code brings its markup too: `<code></code>`.
            .map(|(e, message)| {
                e.field().len() + message.len() + e.code().map_or(0, |c| c.len() + 13)
            })
            .sum::<usize>()
        + if view.has_members() {
            members_len(view)
        } else {
            0
        };
    let markup = match shape {
        Shape::Seed => 160 + 70 * view.field_errors.len(),
        Shape::Problem => 240 + 40 * view.field_errors.len(),
    };
    text + text / 8 + markup
}

#[cfg(test)]
mod tests {
    use http::StatusCode;

    use super::*;
    use crate::{ApiError, FieldError};

    #[test]
    fn estimate_is_close_for_plain_text() {
        let err = ApiError::new(StatusCode::BAD_REQUEST, "x".repeat(40), "y".repeat(400))
            .with_field_error("f", "m");
        // Many short field errors with codes: the markup is most of the body.
        let coded = ApiError::unprocessable_entity("")
            .with_field_errors((0..50).map(|_| FieldError::new("f", "m").with_code("c")));
        for err in [err, coded] {
            for shape in [Shape::Seed, Shape::Problem] {
                let view = View::new(
                    &err,
                    Some("https://docs.example.com/errors"),
                    None,
                    shape,
                    None,
                );
                let rendered = body(&view, shape);
                assert!(
                    estimated_len(&view, shape) >= rendered.len(),
                    "{shape:?}: {} < {}",
                    estimated_len(&view, shape),
                    rendered.len()
                );
            }
        }
    }
}
