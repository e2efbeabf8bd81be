//! Content negotiation: which error body (JSON or XML) a request accepts.
//!
//! Everything here is a pure function of the request headers. Nothing allocates, nothing panics,
//! and the work is one pass over the bytes of the `Accept` field lines, so the time is linear in
//! the length of the header whatever a client sends. [`negotiate`] reads the headers from the
//! request's [`HeaderMap`]; [`negotiate_values`] takes the `Accept` field values and the
//! `Content-Type` themselves.
//!
//! # The rules
//!
//! The server can produce three representations of an error:
//!
//! | representation | `Content-Type` | [`Format`] |
//! |---|---|---|
//! | JSON | `application/json` | [`Format::Json`] |
//! | XML | `application/xml; charset=utf-8` | [`Format::Xml`] |
//! | XML for clients that ask for `text/xml` | `text/xml; charset=utf-8` | [`Format::TextXml`] |
//!
//! `Accept` is read as RFC 9110, section 12.5.1 describes it:
//!
//! * All `Accept` field lines of the request are combined, as if joined by commas.
//! * Each element is a media range (`type/subtype`, `type/*` or `*/*`), compared without regard
//!   to ASCII case, followed by optional parameters. Parameters, including quoted strings that hold
//!   commas or semicolons, are allowed and ignored for matching, except `q`.
//! * `q` is the weight, from `0` to `1`. `q=0` means "not acceptable". A range without `q` has
//!   weight 1.
//! * The most specific range that matches a representation decides its weight, so
//!   `application/*;q=0.1, application/xml` gives XML weight 1 and JSON weight 0.1. When one range
//!   appears several times with the same specificity (parameters are ignored), the highest weight
//!   counts.
//!
//! On top of RFC 9110 this crate applies these rules:
//!
//! * **Specificity.** From the most to the least specific, a representation is matched by its exact
//!   type (`application/json`), by a structured suffix (`application/problem+json` and any other
//!   `application/...+json` admit JSON; `application/...+xml` admits XML), by `application/*`, and
//!   by `*/*`.
//! * **`text/xml`** is chosen only when the client names it exactly; `text/*` and `*/*` do not
//!   reach it. When XML is chosen, it is served as `text/xml` only if the client gave `text/xml` a
//!   higher weight than `application/xml`.
//! * **Ties.** When JSON and XML have the same weight, the one matched by the more specific range
//!   wins (`application/xml, application/*` gives XML). If that ties too, the request's
//!   `Content-Type` decides: `application/xml`, `text/xml` or any `+xml` type gives XML,
//!   `application/json` or any `+json` type gives JSON. Failing that, the server's preferred format
//!   (JSON unless configured otherwise) wins.
//! * **No `Accept`** behaves as `Accept: */*`, so the tie rules above apply: a client that posts
//!   XML without an `Accept` header gets XML errors.
//!
//! Real clients send headers that are not quite right, so parsing is lenient:
//!
//! * `*` alone reads as `*/*`, and a weight written `q=.2` reads as `0.2` (Java's default `Accept`
//!   has both).
//! * A weight may have more than three decimals; digits after the third are ignored
//!   (`q=0.99999` is `0.999`). Leading and trailing whitespace around elements and parameters is
//!   allowed.
//! * An element that is still malformed is skipped, and the rest of the header is used: a missing
//!   type or subtype, whitespace or a byte that is not a token character inside the range
//!   (non-UTF-8 bytes included), `*/subtype`, a parameter without `=`, an unterminated quoted
//!   string, or a weight that is not a number from 0 to 1. A `"` opens a quoted string only as a
//!   parameter value (right after `=`); a stray `"` elsewhere is just a malformed byte. A quoted
//!   string left open runs to the end of its field line, which is skipped from that element on.
//! * An `Accept` header that is empty, or none of whose elements parse, is treated as absent.
//!
//! The result is never an error of the server: the worst a header can do is make the request
//! not acceptable, which the layer answers with `406 Not Acceptable`.
//!
//! # Example
//!
//! ```
//! use http::{header::ACCEPT, HeaderMap, HeaderValue};
//! use tower_api_error::{negotiate::negotiate, Format};
//!
//! let mut headers = HeaderMap::new();
//! headers.insert(ACCEPT, HeaderValue::from_static("application/*;q=0.1, application/xml"));
//! assert_eq!(negotiate(&headers, Format::Json), Some(Format::Xml));
//!
//! headers.insert(ACCEPT, HeaderValue::from_static("text/html"));
//! assert_eq!(negotiate(&headers, Format::Json), None);
//! ```

use http::{
    header::{ACCEPT, CONTENT_TYPE},
    HeaderMap, HeaderValue,
};

use crate::Format;

// The byte scanner: where an element ends, and what its media range and parameters say.
mod parse;

use parse::{element_end, has_suffix, parse_params, parse_range, split_range, trim, Range};

/// Picks the error body format for a request from its `Accept` and `Content-Type` headers.
///
/// Returns `None` when the client accepts none of the formats, which the layer answers with
/// `406 Not Acceptable`. `preferred` breaks ties that neither the client's weights nor the
/// request's `Content-Type` decide; if it is [`Format::TextXml`], it counts as XML.
///
/// See the [module documentation](self) for the rules.
pub fn negotiate(headers: &HeaderMap, preferred: Format) -> Option<Format> {
    let ranking = rank(headers.get_all(ACCEPT).iter());
    // `Content-Type` is looked up only when it has to break a tie.
    choose(ranking, || headers.get(CONTENT_TYPE), preferred)
}

/// Picks a format from already-separated `Accept` field values and an optional `Content-Type`.
///
/// This is [`negotiate`] for callers whose headers are not in a [`HeaderMap`]: it gives the
/// answer `negotiate` gives for a map holding these `Accept` field lines, in this order, and
/// this `Content-Type`. The field lines are read as if joined by commas, and no field line at
/// all behaves as `Accept: */*`. See the [module documentation](self) for the rules.
///
/// # Example
///
/// ```
/// use http::HeaderValue;
/// use tower_api_error::{negotiate::negotiate_values, Format};
///
/// // Two field lines, read as one `Accept: text/html, application/xml;q=0.9, */*;q=0.8`.
/// let accept = [
///     HeaderValue::from_static("text/html"),
///     HeaderValue::from_static("application/xml;q=0.9, */*;q=0.8"),
/// ];
/// assert_eq!(negotiate_values(&accept, None, Format::Json), Some(Format::Xml));
///
/// // JSON and XML tie under `*/*`: the request's `Content-Type` breaks the tie, and failing that
/// // the preferred format.
/// let accept = [HeaderValue::from_static("text/html, */*;q=0.1")];
/// let content_type = HeaderValue::from_static("application/xml");
/// assert_eq!(negotiate_values(&accept, Some(&content_type), Format::Json), Some(Format::Xml));
/// assert_eq!(negotiate_values(&accept, None, Format::Json), Some(Format::Json));
///
/// // No `Accept` at all.
/// assert_eq!(negotiate_values([], None, Format::Xml), Some(Format::Xml));
///
/// // A client that accepts neither format, which the layer answers with `406 Not Acceptable`.
/// let accept = [HeaderValue::from_static("text/html, image/*")];
/// assert_eq!(negotiate_values(&accept, None, Format::Json), None);
/// ```
pub fn negotiate_values<'a, I>(
    accept: I,
    content_type: Option<&HeaderValue>,
    preferred: Format,
) -> Option<Format>
where
    I: IntoIterator<Item = &'a HeaderValue>,
{
    choose(rank(accept), || content_type, preferred)
}

/// How specifically a media range matched a representation. Larger is more specific.
type Specificity = u8;
const WILDCARD: Specificity = 1; // */*
const TYPE_WILDCARD: Specificity = 2; // application/*
const SUFFIX: Specificity = 3; // application/...+json
const EXACT: Specificity = 4; // application/json

/// Which representations a media range matches, and how specifically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// JSON and XML (`*/*`, `application/*`).
    Both(Specificity),
    Json(Specificity),
    Xml(Specificity),
    TextXml,
}

impl Target {
    /// What `*/*` matches, and `*` alone.
    const ANY: Target = Target::Both(WILDCARD);

    /// The representations `application/<subtype>` matches, if any.
    #[inline]
    fn of_application(subtype: &[u8]) -> Option<Target> {
        if subtype == b"*" {
            Some(Target::Both(TYPE_WILDCARD))
        } else if subtype.eq_ignore_ascii_case(b"json") {
            Some(Target::Json(EXACT))
        } else if subtype.eq_ignore_ascii_case(b"xml") {
            Some(Target::Xml(EXACT))
        } else if has_suffix(subtype, b"+json") {
            Some(Target::Json(SUFFIX))
        } else if has_suffix(subtype, b"+xml") {
            Some(Target::Xml(SUFFIX))
        } else {
            None
        }
    }

    /// The representations `text/<subtype>` matches, if any: only `text/xml` matches one.
    #[inline]
    fn of_text(subtype: &[u8]) -> Option<Target> {
        subtype
            .eq_ignore_ascii_case(b"xml")
            .then_some(Target::TextXml)
    }
}

/// A weight, the `q` of a media range, in thousandths: from [`Weight::ZERO`] to [`Weight::ONE`].
/// RFC 9110 allows at most three decimals, so thousandths hold every weight exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Weight(u16);

impl Weight {
    /// `q=0`: "not acceptable".
    const ZERO: Weight = Weight(0);
    /// `q=1`, the highest weight, and the weight of a range without `q`.
    const ONE: Weight = Weight(1000);

    /// `q=0.abc`, from its decimal digits `a`, `b` and `c`, each from 0 to 9.
    fn from_decimals(a: u8, b: u8, c: u8) -> Weight {
        debug_assert!(a <= 9 && b <= 9 && c <= 9, "not digits: {a} {b} {c}");
        Weight(u16::from(a) * 100 + u16::from(b) * 10 + u16::from(c))
    }

    /// Whether a representation of this weight is acceptable: any weight but `q=0` is.
    fn is_acceptable(self) -> bool {
        self > Weight::ZERO
    }
}

/// The best match found so far for one representation: its specificity and weight. A
/// specificity of 0 means "not matched".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Match {
    specificity: Specificity,
    q: Weight,
}

impl Match {
    fn offer(&mut self, specificity: Specificity, q: Weight) {
        if specificity > self.specificity {
            *self = Match { specificity, q };
        } else if specificity == self.specificity && q > self.q {
            self.q = q;
        }
    }

    fn acceptable(self) -> bool {
        self.specificity > 0 && self.q.is_acceptable()
    }
}

/// What the `Accept` header says about each representation.
#[derive(Debug, Clone, Copy, Default)]
struct Ranking {
    json: Match,
    xml: Match,
    text_xml: Match,
    /// Whether at least one element parsed.
    any: bool,
}

impl Ranking {
    /// What `Accept: */*` gives.
    const ANYTHING: Ranking = Ranking {
        json: Match {
            specificity: WILDCARD,
            q: Weight::ONE,
        },
        xml: Match {
            specificity: WILDCARD,
            q: Weight::ONE,
        },
        text_xml: Match {
            specificity: 0,
            q: Weight::ZERO,
        },
        any: true,
    };
}

fn rank<'a, I>(values: I) -> Ranking
where
    I: IntoIterator<Item = &'a HeaderValue>,
{
    let mut ranking = Ranking::default();
    for value in values {
        let mut rest = value.as_bytes();
        loop {
            let end = ranking.read_element(rest);
            // Past the `,` that ends the element, if there is one.
            let Some(next) = rest.get(end + 1..) else {
                break;
            };
            rest = next;
        }
    }
    ranking
}

impl Ranking {
    /// Reads the element at the start of `bytes` (a field value from an element on), and returns
    /// where it ends: the index of the `,` after it, or the length of `bytes`.
    ///
    /// Elements are split where [`element_end`] says; the range is read first, and once an
    /// element has parsed, an element whose range matches no representation cannot change the
    /// outcome, so the rest of it is only skipped over, not parsed.
    fn read_element(&mut self, bytes: &[u8]) -> usize {
        let (target, range_end) = match parse_range(bytes, self.any) {
            Range::Matches { target, end } => (Some(target), end),
            Range::MatchesNothing { end } => (None, end),
            Range::Malformed { resume } | Range::Irrelevant { resume } => {
                return element_end(bytes, resume);
            }
        };
        let end = element_end(bytes, range_end);
        if let Some(q) = parse_params(&bytes[range_end..end]) {
            self.any = true;
            if let Some(target) = target {
                self.offer(target, q);
            }
        }
        end
    }

    fn offer(&mut self, target: Target, q: Weight) {
        match target {
            Target::Both(specificity) => {
                self.json.offer(specificity, q);
                self.xml.offer(specificity, q);
            }
            Target::Json(specificity) => self.json.offer(specificity, q),
            Target::Xml(specificity) => self.xml.offer(specificity, q),
            Target::TextXml => self.text_xml.offer(EXACT, q),
        }
    }
}

fn choose<'a>(
    ranking: Ranking,
    content_type: impl FnOnce() -> Option<&'a HeaderValue>,
    preferred: Format,
) -> Option<Format> {
    // No usable `Accept` behaves as `*/*`.
    let Ranking {
        json,
        xml,
        text_xml,
        ..
    } = if ranking.any {
        ranking
    } else {
        Ranking::ANYTHING
    };

    // XML is served as `text/xml` only when the client ranks it strictly above `application/xml`.
    let (xml, xml_format) = if text_xml.acceptable() && (!xml.acceptable() || text_xml.q > xml.q) {
        (text_xml, Format::TextXml)
    } else {
        (xml, Format::Xml)
    };

    match (json.acceptable(), xml.acceptable()) {
        (false, false) => None,
        (true, false) => Some(Format::Json),
        (false, true) => Some(xml_format),
        (true, true) => {
            let by_weight = json.q.cmp(&xml.q);
            let by_specificity = json.specificity.cmp(&xml.specificity);
            let ordering = by_weight.then(by_specificity);
            let json_wins = if ordering.is_ne() {
                ordering.is_gt()
            } else {
                match content_type().and_then(|ct| hint(ct.as_bytes())) {
                    Some(format) => format == Format::Json,
                    None => preferred == Format::Json,
                }
            };
            Some(if json_wins { Format::Json } else { xml_format })
        }
    }
}

/// What the request's `Content-Type` says about the body format it speaks, if anything.
fn hint(content_type: &[u8]) -> Option<Format> {
    let essence = match content_type.iter().position(|&b| b == b';') {
        Some(end) => &content_type[..end],
        None => content_type,
    };
    let (ty, subtype) = split_range(trim(essence))?;
    if ty.eq_ignore_ascii_case(b"application") {
        if subtype.eq_ignore_ascii_case(b"json") || has_suffix(subtype, b"+json") {
            return Some(Format::Json);
        }
        if subtype.eq_ignore_ascii_case(b"xml") || has_suffix(subtype, b"+xml") {
            return Some(Format::Xml);
        }
    } else if ty.eq_ignore_ascii_case(b"text") && subtype.eq_ignore_ascii_case(b"xml") {
        return Some(Format::Xml);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<Format> = Some(Format::Json);
    const XML: Option<Format> = Some(Format::Xml);
    const TEXT_XML: Option<Format> = Some(Format::TextXml);
    const NONE: Option<Format> = None;

    const CHROMIUM: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
        image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    const FIREFOX: &str =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    const JAVA: &str = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2";
    const AXIOS: &str = "application/json, text/plain, */*";

    fn negotiate_str(accept: &[&str], content_type: Option<&str>) -> Option<Format> {
        let mut headers = HeaderMap::new();
        for value in accept {
            headers.append(ACCEPT, HeaderValue::from_str(value).unwrap());
        }
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        negotiate(&headers, Format::Json)
    }

    /// One row per header shape: the `Accept` field lines, the request's `Content-Type`, and the
    /// format expected.
    #[rustfmt::skip]
    const TABLE: &[(&[&str], Option<&str>, Option<Format>)] = &[
        // Real clients.
        (&[CHROMIUM], None, XML),
        (&[FIREFOX], None, XML),
        (&[JAVA], None, JSON),
        (&[AXIOS], None, JSON),
        (&["*/*"], None, JSON),                                  // curl
        (&["application/json"], None, JSON),
        (&["application/xml"], None, XML),
        (&["text/xml"], None, TEXT_XML),
        (&["text/html"], None, NONE),
        (&["image/png, text/plain"], None, NONE),
        // Absent, empty and unusable headers behave as `*/*`.
        (&[], None, JSON),
        (&[], Some("application/xml"), XML),
        (&[], Some("text/xml; charset=utf-8"), XML),
        (&[], Some("application/soap+xml"), XML),
        (&[], Some("application/json"), JSON),
        (&[], Some("text/plain"), JSON),
        (&[""], None, JSON),
        (&["   "], Some("application/xml"), XML),
        (&[",,,"], None, JSON),
        (&["garbage"], None, JSON),
        (&["application/json;q=2"], None, JSON),                 // only element invalid
        (&["/json, application/"], Some("application/xml"), XML),
        // Weights.
        (&["application/json;q=0.5, application/xml"], None, XML),
        (&["application/json, application/xml;q=0.5"], None, JSON),
        (&["application/json;q=0.5, application/xml;q=0.6"], None, XML),
        (&["application/json;q=0"], None, NONE),
        (&["application/json;q=0, application/xml;q=0"], None, NONE),
        (&["application/json;q=0, */*"], None, XML),
        (&["*/*;q=0"], None, NONE),
        (&["application/json;q=0.000"], None, NONE),
        (&["application/json;q=1.000, application/xml;q=0.999"], None, JSON),
        (&["application/json;q=0.001, text/html"], None, JSON),
        (&["application/json;Q=0.2, application/xml;q=0.3"], None, XML),
        (&["application/json ; q = 0.2 , application/xml;q=0.3"], None, XML),
        (&["application/json;q=.5, application/xml;q=.4"], None, JSON),
        (&["application/json;q=0.99999, application/xml;q=0.9989"], None, JSON),
        (&["application/json;q=1.0001, application/xml;q=0.1"], None, XML),
        (&["application/json;q=abc, application/xml;q=0.1"], None, XML),
        (&["application/json;q=-1, application/xml;q=0.1"], None, XML),
        (&["application/json;q=, application/xml;q=0.1"], None, XML),
        (&["application/json;q=., application/xml;q=0.1"], None, XML),
        (&["application/json;q=0.12345678901234567890, application/xml;q=0.1"], None, JSON),
        // Specificity decides a type's weight.
        (&["application/*;q=0.1, application/xml"], None, XML),
        (&["application/xml, application/*;q=0.1"], None, XML),
        (&["*/*;q=0.1, application/json"], None, JSON),
        (&["application/json;q=0.1, */*"], None, XML),
        (&["application/*;q=0, application/json"], None, JSON),
        (&["*/*, application/json;q=0"], None, XML),
        (&["*/*, application/*;q=0"], None, NONE),
        (&["application/json;q=0.3, application/json;q=0.6, application/xml;q=0.5"], None, JSON),
        // Structured suffixes.
        (&["application/problem+json"], None, JSON),
        (&["application/problem+xml"], None, XML),
        (&["application/vnd.api+json, application/xml"], None, XML),     // exact beats suffix
        (&["application/problem+json, application/*"], None, JSON),      // suffix beats application/*
        (&["application/vnd.api+json;q=0, application/*"], None, XML),
        (&["application/+json"], None, NONE),                            // no suffix without a name
        (&["image/svg+xml"], None, NONE),                                // only application/...
        // text/xml.
        (&["text/xml, application/xml"], None, XML),
        (&["text/xml, application/xml;q=0.9"], None, TEXT_XML),
        (&["application/xml;q=0.5, text/xml;q=0.6"], None, TEXT_XML),
        (&["text/*"], None, NONE),
        (&["text/*, */*;q=0.5"], None, JSON),
        (&["text/xml, application/json"], None, JSON),
        (&["text/xml, application/json"], Some("text/xml"), TEXT_XML),
        (&["text/xml;q=0"], None, NONE),
        // Ties: specificity, then Content-Type, then JSON.
        (&["application/json, application/xml"], None, JSON),
        (&["application/xml, application/json"], None, JSON),
        (&["application/json, application/xml"], Some("application/xml"), XML),
        (&["application/json, application/xml"], Some("application/vnd.x+xml; charset=utf-8"), XML),
        (&["application/json, application/xml"], Some("application/json"), JSON),
        (&["application/json, application/xml"], Some("text/plain"), JSON),
        (&["application/xml, application/*"], None, XML),
        (&["application/*"], Some("application/xml"), XML),
        (&["*/*"], Some("Application/XML"), XML),
        (&["*/*"], Some("garbage"), JSON),
        // Case, whitespace and several field lines.
        (&["APPLICATION/XML"], None, XML),
        (&["Application/Json;Q=0.5, application/XML;q=0.4"], None, JSON),
        (&["  application/xml  "], None, XML),
        (&["\tapplication/xml\t;\tq=0.5"], None, XML),
        (&["text/html", "application/xml"], None, XML),
        (&["application/xml;q=0.5", "application/json"], None, JSON),
        (&["text/html", ""], None, NONE),
        // Leniency: `*` alone, malformed elements skipped.
        (&["*"], None, JSON),
        (&["*;q=0.5, application/xml;q=0.4"], None, JSON),
        (&["application /json, application/xml"], None, XML),
        (&["application/ json, application/xml"], None, XML),
        (&["application/json/x, application/xml"], None, XML),
        (&["*/json, application/xml"], None, XML),
        (&["application/json;charset, application/xml"], None, XML),
        (&["application/json;=utf-8, application/xml"], None, XML),
        (&["application/json;a=b c, application/xml"], None, XML),
        (&["application/json;, application/xml;q=0.5"], None, JSON),     // trailing `;` is fine
        (&["application/json;q=0.5;, application/xml;q=0.4"], None, JSON),
        // Parameters and quoted strings.
        (&["application/json;charset=utf-8"], None, JSON),
        (&["application/xml;profile=\"a,b;c\";q=0.9, application/json;q=0.8"], None, XML),
        (&["application/json;p=\"a\\\"b,c\", application/xml;q=0.1"], None, JSON),
        (&["application/json;p=\"unterminated, application/xml"], None, JSON), // rest swallowed
        (&["application/json;p=\"x\"y, application/xml;q=0.5"], None, XML),
        // A stray `"` outside a parameter value opens no quoted string (it used to hide the
        // elements after it, turning these into 406s or the wrong format).
        (&["text/html", "appli\"cation/json,application/json"], None, JSON),
        (&["appli\"cation/json, application/xml"], None, XML),
        (&["application/json;p=x\"y, application/xml;q=0.5"], None, XML),
        (&["application/json;p=\"a\"b\", application/xml;q=0.5, text/x\""], None, XML),
        (&["application/json;p=a\\\"b, text/xml"], None, TEXT_XML),
        (&["a=\"b/c, application/xml"], None, XML),
        (&["application/json; p = \"a,b\", application/xml;q=0.5"], None, JSON),
        (&["application/xml;q=0.5;level=1, application/json;q=0.4"], None, XML),
    ];

    #[test]
    fn table() {
        assert!(TABLE.len() >= 50, "{} rows", TABLE.len());
        for (accept, content_type, expected) in TABLE {
            assert_eq!(
                negotiate_str(accept, *content_type),
                *expected,
                "Accept: {accept:?}, Content-Type: {content_type:?}"
            );
        }
    }

    #[test]
    fn preferred_format_breaks_the_last_tie() {
        let headers = HeaderMap::new();
        assert_eq!(negotiate(&headers, Format::Xml), Some(Format::Xml));
        assert_eq!(negotiate(&headers, Format::TextXml), Some(Format::Xml));
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_static("application/xml;q=0.5, */*"),
        );
        assert_eq!(negotiate(&headers, Format::Xml), Some(Format::Json));
    }

    #[test]
    fn non_utf8_bytes_are_skipped() {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_bytes(b"appl\xffication/json, application/xml;q=0.5").unwrap(),
        );
        assert_eq!(negotiate(&headers, Format::Json), Some(Format::Xml));
        headers.insert(
            ACCEPT,
            HeaderValue::from_bytes(b"application/json;p=\"\xff\"").unwrap(),
        );
        assert_eq!(negotiate(&headers, Format::Json), Some(Format::Json));
        headers.insert(ACCEPT, HeaderValue::from_bytes(b"\xfe\xff").unwrap());
        assert_eq!(negotiate(&headers, Format::Json), Some(Format::Json));
    }

    #[test]
    fn long_runs_of_equals_and_quotes_are_read_to_the_end() {
        // The headers of `quotes_after_equals_open_only_once_a_semicolon_was_seen` in
        // `parse.rs`, which checks how they split into elements.
        let no_semicolon = "a=\"".repeat(2_000) + ", text/xml";
        assert_eq!(negotiate_str(&[&no_semicolon], None), TEXT_XML);

        let pairs = "a/b;".to_owned() + &"a=\"x\"".repeat(2_000) + ", application/xml";
        assert_eq!(negotiate_str(&[&pairs], None), XML);
    }

    #[test]
    fn many_ranges_are_all_read() {
        let mut accept = "text/html;q=0.9, ".repeat(2000);
        accept.push_str("application/xml;q=0.5");
        assert_eq!(negotiate_str(&[&accept], None), XML);
    }
}
