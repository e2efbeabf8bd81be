//! RFC 9457 problem details: the error as `type`, `title`, `status` and `detail`, with the seed
//! shape's code and field errors as extension members.
//!
//! # JSON (`application/problem+json`)
//!
//! ```json
//! {"type":"https://docs.example.com/errors#unprocessable_entity","title":"Unprocessable Entity","status":422,"detail":"The item is invalid.","error":"unprocessable_entity","field_errors":[{"field":"name","message":"must not be empty"}]}
//! ```
//!
//! - `type`: the error's URI, its own or `<base>#<code>` as the seed shape's `error_uri`; left out
//!   when there is none, which RFC 9457 reads as `about:blank`.
//! - `title`: the code's title: the one its error was given (an enum with
//!   `#[derive(ApiError)]` gives each code one) or else the status's reason phrase. RFC 9457 asks
//!   for the reason phrase when `type` is `about:blank`; with a `type`, it is one title per problem
//!   type, as the RFC wants.
//! - `status`: a number, the response's status.
//! - `detail`: the public description (a 5xx error's default one unless exposed).
//! - `instance` is never sent: no error carries one.
//! - `error`: the code, the same member as in the seed shape, so that one machine-readable key
//!   serves clients of both shapes.
//! - `field_errors`: as in the seed shape, `{"field": ..., "message": ...}` objects, the field
//!   being the name or path the error was given (such as `name` or `items[0].name`), with
//!   `"code"` last when the field error has one; left out when there are none, and for masked
//!   5xx errors.
//! - `request_id`: as in the seed shape, an extension member, when the request carried an id.
//!
//! # XML (`application/problem+xml`)
//!
//! As RFC 9457's appendix B has it: the root element `problem` in the namespace
//! `urn:ietf:rfc:7807`, each member a child element in that namespace, in the order above, the
//! status as an integer, and each item of `field_errors` an element `i` holding `field`,
//! `message` and, when it has one, `code`:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <problem xmlns="urn:ietf:rfc:7807"><type>https://docs.example.com/errors#unprocessable_entity</type><title>Unprocessable Entity</title><status>422</status><detail>The item is invalid.</detail><error>unprocessable_entity</error><field_errors><i><field>name</field><message>must not be empty</message></i></field_errors></problem>
//! ```

use bytes::{BufMut, BytesMut};

use super::{
    escape::{element, escape_json, escape_xml},
    write_field_errors_json, write_field_errors_xml, write_request_id_json, write_request_id_xml,
    View,
};

/// Writes the problem details of `view` as JSON.
pub(super) fn write_json(view: &View<'_>, buf: &mut BytesMut) {
    buf.put_u8(b'{');
    if let Some(uri) = view.uri {
        buf.put_slice(b"\"type\":\"");
        uri.write(buf, escape_json);
        buf.put_slice(b"\",");
    }
    // The digits of a status need no escaping in JSON or XML: they are written as they are.
    buf.put_slice(b"\"title\":\"");
    escape_json(buf, view.title);
    buf.put_slice(b"\",\"status\":");
    buf.put_slice(view.status.as_str().as_bytes());
    buf.put_slice(b",\"detail\":\"");
    escape_json(buf, view.description);
    buf.put_slice(b"\",\"error\":\"");
    escape_json(buf, view.code);
    buf.put_u8(b'"');
    if !view.field_errors.is_empty() {
        buf.put_slice(b",\"field_errors\":");
        write_field_errors_json(buf, view.field_errors);
    }
    write_request_id_json(buf, view.request_id);
    buf.put_u8(b'}');
}

/// Writes the problem details of `view` as XML.
pub(super) fn write_xml(view: &View<'_>, buf: &mut BytesMut) {
    buf.put_slice(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<problem xmlns=\"urn:ietf:rfc:7807\">",
    );
    if let Some(uri) = view.uri {
        buf.put_slice(b"<type>");
        uri.write(buf, escape_xml);
        buf.put_slice(b"</type>");
    }
    element(buf, "title", view.title);
    buf.put_slice(b"<status>");
    buf.put_slice(view.status.as_str().as_bytes());
    buf.put_slice(b"</status>");
    element(buf, "detail", view.description);
    element(buf, "error", view.code);
    if !view.field_errors.is_empty() {
        write_field_errors_xml(buf, view.field_errors, "i");
    }
    write_request_id_xml(buf, view.request_id);
    buf.put_slice(b"</problem>");
}

#[cfg(test)]
mod tests {
    use bytes::BytesMut;
    use http::StatusCode;

    use super::super::escape::{escape_json, escape_xml};
    use crate::{render::body, ApiError, FieldError, Format};

    #[test]
    fn statuses_need_no_escaping() {
        for status in 400..=599 {
            let status = StatusCode::from_u16(status).unwrap();
            let text = status.as_str();
            let (mut json, mut xml) = (BytesMut::new(), BytesMut::new());
            escape_json(&mut json, text);
            escape_xml(&mut xml, text);
            assert_eq!(json, text.as_bytes(), "{status}");
            assert_eq!(xml, text.as_bytes(), "{status}");
        }
    }

    #[test]
    fn a_title_of_the_application_is_escaped() {
        let err = ApiError::not_found("").with_title(r#"No <item> & "no" luck"#);
        let json = body(&err, Format::ProblemJson, None, None);
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["title"], r#"No <item> & "no" luck"#);
        let xml = body(&err, Format::ProblemXml, None, None);
        assert!(std::str::from_utf8(&xml)
            .unwrap()
            .contains("<title>No &lt;item&gt; &amp; \"no\" luck</title>"));
    }

    const DOCS: &str = "https://docs.example.com/errors";

    #[test]
    fn json_has_the_members_in_order() {
        let err = ApiError::unprocessable_entity("The item is invalid.")
            .with_field_error("name", "must not be empty");
        assert_eq!(
            body(&err, Format::ProblemJson, Some(DOCS), None),
            r#"{"type":"https://docs.example.com/errors#unprocessable_entity","title":"Unprocessable Entity","status":422,"detail":"The item is invalid.","error":"unprocessable_entity","field_errors":[{"field":"name","message":"must not be empty"}]}"#
        );
        // No URI: no `type`, which means `about:blank`, and the status phrase as the title.
        assert_eq!(
            body(
                &ApiError::not_found("No item 42."),
                Format::ProblemJson,
                None,
                None
            ),
            r#"{"title":"Not Found","status":404,"detail":"No item 42.","error":"not_found"}"#
        );
    }

    #[test]
    fn xml_has_the_members_in_order_in_the_rfc_namespace() {
        let err = ApiError::unprocessable_entity("Bad <item>.").with_field_error("name", "empty");
        assert_eq!(
            body(
                &err,
                Format::ProblemXml,
                Some("https://d.test/e?a=1&b=2"),
                None
            ),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<problem xmlns=\"urn:ietf:rfc:7807\">\
             <type>https://d.test/e?a=1&amp;b=2#unprocessable_entity</type>\
             <title>Unprocessable Entity</title><status>422</status>\
             <detail>Bad &lt;item&gt;.</detail><error>unprocessable_entity</error>\
             <field_errors><i><field>name</field><message>empty</message></i></field_errors>\
             </problem>"
        );
    }

    #[test]
    fn a_field_error_code_comes_after_the_message_escaped() {
        let err = ApiError::unprocessable_entity("Bad.").with_field_errors([
            FieldError::new("name", "too long").with_code("length"),
            FieldError::new("tags[1]", "no").with_code("<&>"),
        ]);
        assert_eq!(
            body(&err, Format::ProblemJson, None, None),
            r#"{"title":"Unprocessable Entity","status":422,"detail":"Bad.","error":"unprocessable_entity","field_errors":[{"field":"name","message":"too long","code":"length"},{"field":"tags[1]","message":"no","code":"<&>"}]}"#
        );
        assert_eq!(
            body(&err, Format::ProblemXml, None, None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<problem xmlns=\"urn:ietf:rfc:7807\">\
             <title>Unprocessable Entity</title><status>422</status><detail>Bad.</detail>\
             <error>unprocessable_entity</error><field_errors>\
             <i><field>name</field><message>too long</message><code>length</code></i>\
             <i><field>tags[1]</field><message>no</message><code>&lt;&amp;&gt;</code></i>\
             </field_errors></problem>"
        );
    }

    #[test]
    fn server_errors_are_masked_and_statuses_without_a_phrase_get_a_title() {
        let err = ApiError::internal_server_error("SECRET: db-3 refused")
            .with_field_error("secret", "internal");
        let json = body(&err, Format::ProblemJson, None, None);
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["status"], 500);
        assert_eq!(value["detail"], err.public_description());
        assert!(value.get("field_errors").is_none());
        assert!(!String::from_utf8_lossy(&json).contains("SECRET"));

        let odd = ApiError::new(StatusCode::from_u16(599).unwrap(), "odd", "Odd.");
        let json = body(&odd, Format::ProblemJson, None, None);
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["title"], "Server Error");
        assert_eq!(value["status"], 599);
    }
}
