//! The body formats an error can be rendered in.

use http::HeaderValue;

/// A representation of an error body, chosen by [content negotiation](crate::negotiate).
///
/// ```
/// use tower_api_error::Format;
///
/// assert_eq!(Format::Json.content_type(), "application/json");
/// assert_eq!(Format::Xml.content_type(), "application/xml; charset=utf-8");
/// assert!(Format::TextXml.is_xml());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// `application/json`.
    #[default]
    Json,
    /// `application/xml; charset=utf-8`.
    Xml,
    /// The XML body served as `text/xml; charset=utf-8`, for clients that rank `text/xml` above
    /// `application/xml`.
    TextXml,
}

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const APPLICATION_XML: HeaderValue = HeaderValue::from_static("application/xml; charset=utf-8");
const TEXT_XML: HeaderValue = HeaderValue::from_static("text/xml; charset=utf-8");

impl Format {
    /// The `Content-Type` of a body in this format.
    pub fn content_type(self) -> HeaderValue {
        match self {
            Format::Json => APPLICATION_JSON,
            Format::Xml => APPLICATION_XML,
            Format::TextXml => TEXT_XML,
        }
    }

    /// Whether this is one of the XML formats.
    pub fn is_xml(self) -> bool {
        matches!(self, Format::Xml | Format::TextXml)
    }
}
