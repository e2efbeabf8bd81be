//! Rendering an [`ApiError`] as a body, and the headers that go with it.
//!
//! A body is one of two [shapes](#shapes), each in JSON ([`json`]) and XML ([`xml`]): each
//! format has one writer for both shapes. Both shapes carry the same code, status and public
//! description (a 5xx error's default description unless exposed, and none of its field
//! errors); [`escape`] has the escaping rules, [`headers`] the headers.
//!
//! # Shapes
//!
//! ## The seed shape
//!
//! `error`, `error_description`, `error_uri` and `field_errors`, as `application/json`:
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
//! As `application/xml` (and `text/xml`):
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <error_response><error>unprocessable_entity</error><error_description>The item is invalid.</error_description><error_uri>https://docs.example.com/errors#unprocessable_entity</error_uri><field_errors><field_error><field>name</field><message>must not be empty</message></field_error></field_errors></error_response>
//! ```
//!
//! The same members as in JSON, as elements in the same order under the root `<error_response>`;
//! a field error's code is a `<code>` after its `<message>`.
//!
//! ## RFC 9457 problem details
//!
//! The error as `type`, `title`, `status` and `detail`, with the seed shape's code and field
//! errors as extension members, as `application/problem+json`:
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
//! As `application/problem+xml`, as RFC 9457's appendix B has it: the root element `problem` in
//! the namespace `urn:ietf:rfc:7807`, each member a child element in that namespace, in the order
//! above, the status as an integer, and each item of `field_errors` an element `i` holding
//! `field`, `message` and, when it has one, `code`:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <problem xmlns="urn:ietf:rfc:7807"><type>https://docs.example.com/errors#unprocessable_entity</type><title>Unprocessable Entity</title><status>422</status><detail>The item is invalid.</detail><error>unprocessable_entity</error><field_errors><i><field>name</field><message>must not be empty</message></i></field_errors></problem>
//! ```

pub(crate) mod escape;
mod headers;
mod json;
mod xml;

use bytes::Bytes;
use http::StatusCode;

pub(crate) use headers::{
    add_vary_accept, parts, parts_with_room, set_body_headers, set_code_header,
    set_content_language, set_error_headers,
};
// Only `ApiError`'s axum `IntoResponse` (feature `axum`) uses it.
#[cfg(feature = "axum")]
pub(crate) use headers::set_json_headers;

use std::borrow::Cow;

use crate::{error::FieldError, language::Texts, member::Member, ApiError, Format};

/// Renders `err` as a body in `format`. `base_uri` gives an `error_uri` of `<base>#<code>` to
/// errors that have no URI of their own.
pub(crate) fn body(
    err: &ApiError,
    format: Format,
    base_uri: Option<&str>,
    request_id: Option<&str>,
) -> Bytes {
    body_in(err, format, base_uri, request_id, None)
}

/// [`body`] with the texts of the language chosen for the request, when the layer has
/// [languages](crate::language::Languages).
pub(crate) fn body_in(
    err: &ApiError,
    format: Format,
    base_uri: Option<&str>,
    request_id: Option<&str>,
    texts: Option<&Texts<'_>>,
) -> Bytes {
    let view = |shape| View::new(err, base_uri, request_id, shape, texts);
    match format {
        Format::Json => json::body(&view(Shape::Seed), Shape::Seed),
        Format::ProblemJson => json::body(&view(Shape::Problem), Shape::Problem),
        Format::Xml | Format::TextXml => xml::body(&view(Shape::Seed), Shape::Seed),
        Format::ProblemXml => xml::body(&view(Shape::Problem), Shape::Problem),
    }
}

/// The length of `body(err, Format::Json, None, None)` (the body of `ApiError`'s
/// `IntoResponse`), worked out without rendering it.
// Only `ApiError`'s axum `IntoResponse` (feature `axum`) uses it.
#[cfg_attr(not(feature = "axum"), allow(dead_code))]
pub(crate) fn json_body_len(err: &ApiError) -> usize {
    json::len(&View::new(err, None, None, Shape::Seed, None), Shape::Seed)
}

/// The [shape](self#shapes) of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `error`, `error_description`, `error_uri`.
    Seed,
    /// RFC 9457 problem details.
    Problem,
}

/// What the client sees of an error.
struct View<'a> {
    status: StatusCode,
    code: &'a str,
    /// The public description (see [`ApiError::public_description`]).
    description: &'a str,
    /// The problem details `title`: the error's [title](ApiError::title), one per code, so it does
    /// not change from occurrence to occurrence of a problem type (RFC 9457, section 3.1.3).
    title: &'a str,
    uri: Option<ErrorUri<'a>>,
    /// The public field errors (none for a masked 5xx error).
    field_errors: &'a [FieldError],
    /// Their messages in the request's language, when the layer has languages; else empty,
    /// and each field error's own message is sent.
    field_messages: &'a [Cow<'a, str>],
    /// The request's id (see `crate::request_id`): a token of `A-Za-z0-9._:-`, which needs no
    /// escaping in JSON or XML.
    request_id: Option<&'a str>,
    /// The error itself, for its extension members (see [`View::members`]), which most errors
    /// do not have.
    err: &'a ApiError,
}

/// The error's URI: the `error_uri` of the seed shape, the `type` of problem details.
#[derive(Clone, Copy)]
enum ErrorUri<'a> {
    /// The error's own URI.
    Given(&'a str),
    /// `<base>#<code>`, the error's code, for an error without a URI of its own.
    Derived { base: &'a str },
}

impl<'a> View<'a> {
    fn new(
        err: &'a ApiError,
        base_uri: Option<&'a str>,
        request_id: Option<&'a str>,
        shape: Shape,
        texts: Option<&'a Texts<'a>>,
    ) -> Self {
        // A rate-limited 429 or 503 has the draft's problem type as `type`; the seed shape's
        // `error_uri` stays the error's documentation.
        let problem_type = match shape {
            Shape::Problem => err.rate_limit_problem_type(),
            Shape::Seed => None,
        };
        let uri = match (problem_type, err.uri(), base_uri) {
            (Some(uri), _, _) | (None, Some(uri), _) => Some(ErrorUri::Given(uri)),
            (None, None, Some(base)) => Some(ErrorUri::Derived { base }),
            (None, None, None) => None,
        };
        let (description, title, field_messages) = match texts {
            Some(texts) => (
                &*texts.description,
                &*texts.title,
                &texts.field_messages[..],
            ),
            None => (err.public_description(), err.title(), &[][..]),
        };
        Self {
            status: err.status(),
            code: err.code(),
            description,
            title,
            uri,
            field_errors: err.public_field_errors(),
            field_messages,
            request_id,
            err,
        }
    }

    /// The public field errors, each with the message the client reads.
    fn field_errors(&self) -> impl Iterator<Item = (&'a FieldError, &'a str)> + 'a {
        let messages = self.field_messages;
        self.field_errors.iter().enumerate().map(move |(i, error)| {
            let message = messages.get(i).map_or(error.message(), |m| &**m);
            (error, message)
        })
    }

    /// Whether the error has extension members, public or not.
    fn has_members(&self) -> bool {
        !self.err.members().is_empty()
    }

    /// The members the client sees.
    fn members(&self) -> impl Iterator<Item = &'a Member> + 'a {
        self.err.public_members()
    }
}

#[cfg(test)]
mod tests {
    use http::StatusCode;

    use super::*;

    #[test]
    fn json_body_len_is_the_rendered_length() {
        let errors = [
            ApiError::not_found("No item with id 42."),
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "odd\"code",
                "a \\ b\n\u{1}\u{1F600}",
            ),
            ApiError::invalid_parameter("").with_uri("https://example.com/a\"b"),
            ApiError::internal_server_error("masked: \"secret\""),
            ApiError::unprocessable_entity("").with_field_error("f\"", "m\n"),
        ];
        for err in errors {
            let rendered = body(&err, Format::Json, None, None);
            assert_eq!(json_body_len(&err), rendered.len(), "{err:?}");
        }
    }

    /// The seed shape, in both formats.
    mod seed {
        use crate::{render::body, ApiError, FieldError, Format};

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
            let err =
                ApiError::unprocessable_entity("Bad <item>.").with_field_error("name", "empty");
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
    }

    /// Problem details, in both formats.
    mod problem {
        use http::StatusCode;

        use crate::{render::body, ApiError, FieldError, Format};

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
            let err =
                ApiError::unprocessable_entity("Bad <item>.").with_field_error("name", "empty");
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
}
