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
/// assert_eq!(Format::ProblemJson.content_type(), "application/problem+json");
/// assert_eq!(Format::ProblemXml.seed(), Format::Xml);
/// assert_eq!(Format::TextXml.problem(), Format::ProblemXml);
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
    /// `application/problem+json`: the error as RFC 9457 problem details, in JSON.
    ProblemJson,
    /// `application/problem+xml; charset=utf-8`: the error as RFC 9457 problem details, in the
    /// XML of the RFC's appendix B.
    ProblemXml,
}

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const APPLICATION_XML: HeaderValue = HeaderValue::from_static("application/xml; charset=utf-8");
const TEXT_XML: HeaderValue = HeaderValue::from_static("text/xml; charset=utf-8");
const PROBLEM_JSON: HeaderValue = HeaderValue::from_static("application/problem+json");
const PROBLEM_XML: HeaderValue = HeaderValue::from_static("application/problem+xml; charset=utf-8");

impl Format {
    /// The `Content-Type` of a body in this format.
    pub fn content_type(self) -> HeaderValue {
        match self {
            Format::Json => APPLICATION_JSON,
            Format::Xml => APPLICATION_XML,
            Format::TextXml => TEXT_XML,
            Format::ProblemJson => PROBLEM_JSON,
            Format::ProblemXml => PROBLEM_XML,
        }
    }

    /// Whether this is one of the XML formats.
    pub fn is_xml(self) -> bool {
        matches!(self, Format::Xml | Format::TextXml | Format::ProblemXml)
    }

    /// Whether this is one of the RFC 9457 problem details formats.
    pub fn is_problem(self) -> bool {
        matches!(self, Format::ProblemJson | Format::ProblemXml)
    }

    /// The same syntax in the seed shape: [`Json`](Format::Json) for
    /// [`ProblemJson`](Format::ProblemJson), [`Xml`](Format::Xml) for
    /// [`ProblemXml`](Format::ProblemXml), itself otherwise. Success bodies use it.
    pub fn seed(self) -> Self {
        match self {
            Format::ProblemJson => Format::Json,
            Format::ProblemXml => Format::Xml,
            other => other,
        }
    }

    /// The same syntax in the problem details shape: [`ProblemJson`](Format::ProblemJson) for
    /// JSON, [`ProblemXml`](Format::ProblemXml) for either XML.
    pub fn problem(self) -> Self {
        match self {
            Format::Json | Format::ProblemJson => Format::ProblemJson,
            Format::Xml | Format::TextXml | Format::ProblemXml => Format::ProblemXml,
        }
    }
}

/// Which body shapes [`ApiErrorLayer`](crate::ApiErrorLayer) answers errors with: the seed shape
/// (`error`, `error_description`, `error_uri`), RFC 9457 problem details, or each as the client
/// asks. Set with [`ApiErrorLayer::problem_details`](crate::ApiErrorLayer::problem_details).
///
/// ```
/// use tower_api_error::{Format, ProblemDetails};
///
/// // What a client that negotiated each format is answered with.
/// assert_eq!(ProblemDetails::WhenAsked.apply(Format::ProblemJson), Format::ProblemJson);
/// assert_eq!(ProblemDetails::WhenAsked.apply(Format::Json), Format::Json);
/// assert_eq!(ProblemDetails::Never.apply(Format::ProblemXml), Format::Xml);
/// assert_eq!(ProblemDetails::Always.apply(Format::TextXml), Format::ProblemXml);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ProblemDetails {
    /// Problem details for clients that name `application/problem+json` or
    /// `application/problem+xml` and rank it at least as high as plain JSON or XML (see
    /// [`negotiate`](crate::negotiate)); the seed shape for everyone else, exactly as without
    /// problem details. The default.
    #[default]
    WhenAsked,
    /// The seed shape only. A client that names only `application/problem+json` gets the seed
    /// shape in `application/json`, as for any `+json` type.
    Never,
    /// Problem details for every error, in JSON or XML as negotiated: for APIs that standardise
    /// on RFC 9457.
    Always,
}

impl ProblemDetails {
    /// The format an error is answered in when negotiation chose `format`.
    pub fn apply(self, format: Format) -> Format {
        match self {
            ProblemDetails::WhenAsked => format,
            ProblemDetails::Never => format.seed(),
            ProblemDetails::Always => format.problem(),
        }
    }
}
