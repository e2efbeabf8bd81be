//! Content negotiation: which error body (JSON or XML, seed shape or RFC 9457 problem details) a
//! request accepts.
//!
//! Everything here is a pure function of the request headers. Nothing allocates, nothing panics,
//! and each byte of the `Accept` field lines is read a bounded number of times, so the time is
//! linear in the length of the header whatever a client sends. [`negotiate`] reads the headers from the
//! request's [`HeaderMap`]; [`negotiate_values`] takes the `Accept` field values and the
//! `Content-Type` themselves.
//!
//! # The rules
//!
//! The server can produce five representations of an error:
//!
//! | representation | `Content-Type` | [`Format`] |
//! |---|---|---|
//! | JSON | `application/json` | [`Format::Json`] |
//! | XML | `application/xml; charset=utf-8` | [`Format::Xml`] |
//! | XML for clients that ask for `text/xml` | `text/xml; charset=utf-8` | [`Format::TextXml`] |
//! | RFC 9457 problem details in JSON | `application/problem+json` | [`Format::ProblemJson`] |
//! | RFC 9457 problem details in XML | `application/problem+xml; charset=utf-8` | [`Format::ProblemXml`] |
//!
//! The first three carry the seed shape; which shapes a layer sends is its
//! [`ProblemDetails`](crate::ProblemDetails) setting (problem details when asked, by default).
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
//! * **Problem details.** `application/problem+json` and `application/problem+xml` are
//!   representations of their own, reached only by a range that names them exactly (in any
//!   case): `*/*`, `application/*` and other `+json`/`+xml` types never select them, so a client
//!   that names neither gets exactly what it got before problem details existed. Each is also a
//!   `+json` or `+xml` type, and as such admits the seed format of its syntax. The seed format is
//!   chosen first, by the rules above; a named problem details format then wins if its weight is
//!   at least the chosen seed format's (it is named exactly, so it is as specific as any match
//!   of the seed format). Between the two problem details formats, the higher weight wins, then
//!   the tie rules above. `application/json, application/problem+json` gives problem details in
//!   JSON; `application/json, application/problem+json;q=0.9` gives the seed shape. With
//!   [`ProblemDetails::Never`](crate::ProblemDetails::Never) the layer reads both types only as
//!   `+json` and `+xml` types.
//!
//! Real clients send headers that are not quite right, so parsing is lenient:
//!
//! * `*` alone reads as `*/*`, and a weight written `q=.2` reads as `0.2` (Java's default `Accept`
//!   has both).
//! * A weight may have more than three decimals; digits after the third are ignored
//!   (`q=0.99999` is `0.999`). Leading and trailing whitespace around elements and parameters is
//!   allowed.
//! * A parameter without `=` (`application/xml;foo`, or the `;application/json` of a client that
//!   separated ranges with `;`), with an empty name (`;=utf-8`) or with an empty value
//!   (`;charset=`, `;q=`) is ignored, as most clients' libraries ignore it; the range and its
//!   other parameters, `q` included, still count. So `text/html;application/xml` accepts only
//!   `text/html`.
//! * An element that is still malformed is skipped, and the rest of the header is used: a missing
//!   type or subtype, whitespace or a byte that is not a token character inside the range
//!   (non-UTF-8 bytes included), `*/subtype`, a parameter name or value that is not a token, an
//!   unterminated quoted string, or a weight that is not a number from 0 to 1. A `"` opens a quoted string only as a
//!   parameter value (right after `=`); a stray `"` elsewhere is just a malformed byte. A quoted
//!   string left open runs to the end of its field line, which is skipped from that element on.
//! * An `Accept` header that is empty, or none of whose elements parse, is treated as absent.
//!
//! The result is never an error of the server: the worst a header can do is make the request
//! not acceptable, which the layer answers with `406 Not Acceptable`.
//!
//! # Languages
//!
//! [`negotiate_language`] (and [`negotiate_language_values`]) picks, from an application's
//! languages, the one a request's `Accept-Language` asks for (RFC 9110, section 12.5.4, matched
//! as RFC 4647 describes). It reads the header with the list grammar and the leniency above
//! (field lines combined, weights, quoted strings, malformed elements skipped), in linear time
//! and without allocating; its documentation has the rules. A header that chooses no available
//! language gives `None`, and the caller answers in its default language.
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
//!
//! headers.insert(ACCEPT, HeaderValue::from_static("application/json, application/problem+json"));
//! assert_eq!(negotiate(&headers, Format::Json), Some(Format::ProblemJson));
//! ```

use http::{
    header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE},
    HeaderMap, HeaderName, HeaderValue,
};

use crate::Format;

// The grammar of `Accept`: where an element ends, and what its media range and parameters say.
pub(crate) mod grammar;
// The layer's fast reader of the elements clients send, which answers as the grammar does.
mod fast_walk;
// Any list of media types weighed by the same grammar, for the catalogue's page.
mod weigh;
// `Accept-Language`, read by the same grammar.
mod language;

use grammar::{skip_ows, CaselessName, MediaRange};
pub use language::{negotiate_language, negotiate_language_values};
pub(crate) use weigh::weigh;

/// Picks the error body format for a request from its `Accept` and `Content-Type` headers.
///
/// Returns `None` when the client accepts none of the formats, which the layer answers with
/// `406 Not Acceptable`. `preferred` breaks ties that neither the client's weights nor the
/// request's `Content-Type` decide; if it is [`Format::TextXml`], it counts as XML.
///
/// See the [module documentation](self) for the rules.
pub fn negotiate(headers: &HeaderMap, preferred: Format) -> Option<Format> {
    // perf: the layer's look-up, which reads a small map in one pass comparing names, costs less
    // than looking up `Accept` and `Content-Type` by hash; bench: negotiate/tower_api_error/*.
    negotiate_request::<false>(headers, preferred, crate::ProblemDetails::WhenAsked, None).format
}

/// [`negotiate`] with `application/problem+json` and `application/problem+xml` read only as
/// `+json` and `+xml` types, for a layer that answers in the seed shape only: exactly the
/// negotiation of a crate without problem details. The layer calls [`negotiate_request`]; this
/// is its answer for the tests.
#[cfg(test)]
pub(crate) fn negotiate_seed_only(headers: &HeaderMap, preferred: Format) -> Option<Format> {
    negotiate_headers(headers, preferred, Problems::Ignored)
}

/// [`negotiate_request`] for a map too big to read in one pass, and `negotiate_seed_only`: the
/// headers looked up by hash, those most requests carry answered directly, every other one
/// ranked and chosen from. `Content-Type` is looked up only when it has to break a tie.
#[inline]
fn negotiate_headers(headers: &HeaderMap, preferred: Format, problems: Problems) -> Option<Format> {
    let content_type = || headers.get(CONTENT_TYPE);
    let accept = headers.get_all(ACCEPT);
    let mut values = accept.iter();
    match (values.next(), values.next()) {
        (None, _) => return Some(tie_winner(content_type(), preferred)),
        (Some(only), None) => {
            if let Some(whole) = WholeValue::of(only.as_bytes()) {
                return whole.answer(content_type, preferred);
            }
        }
        _ => {}
    }
    choose(rank(accept.iter()), content_type, preferred, problems)
}

/// What the layer reads of a request's headers in [`negotiate_request`]'s one look-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestHeaders<'a> {
    /// The format [`negotiate`] picks (for [`ProblemDetails::Never`](crate::ProblemDetails::Never),
    /// `negotiate_seed_only`'s).
    pub(crate) format: Option<Format>,
    /// The first value of the other header asked for (the request id's), as `headers.get`
    /// gives it.
    pub(crate) extra: Option<&'a HeaderValue>,
    /// When asked for, the first `Accept-Language` field line, as `headers.get` gives it.
    pub(crate) accept_language: Option<&'a HeaderValue>,
    /// Whether another `Accept-Language` field line follows the first.
    pub(crate) more_accept_language: bool,
}

/// The layer's negotiation, with the other headers it reads (the request id's, `extra`, and
/// `Accept-Language` when `LANGUAGE`, for a layer that chooses a language) found in the same
/// look-up.
///
/// A map of at most [`SCAN_LIMIT`] field lines (what API clients send, and most browsers) is read
/// in one pass, comparing names; bigger maps are looked up by hash.
// perf: hashing the names, a custom one such as `x-request-id` byte by byte, costs more than
// comparing the names of a small map; bench: benches/instructions.sh "success, *: layer".
pub(crate) fn negotiate_request<'a, const LANGUAGE: bool>(
    headers: &'a HeaderMap,
    preferred: Format,
    problems: crate::ProblemDetails,
    extra: Option<&HeaderName>,
) -> RequestHeaders<'a> {
    let problems = match problems {
        crate::ProblemDetails::Never => Problems::Ignored,
        _ => Problems::Offered,
    };
    if headers.len() > SCAN_LIMIT {
        let (accept_language, more_accept_language) = if LANGUAGE {
            let mut lines = headers.get_all(ACCEPT_LANGUAGE).iter();
            (lines.next(), lines.next().is_some())
        } else {
            (None, false)
        };
        return RequestHeaders {
            format: negotiate_headers(headers, preferred, problems),
            extra: extra.and_then(|name| headers.get(name)),
            accept_language,
            more_accept_language,
        };
    }
    let (mut accept, mut more_accept, mut content_type, mut found) = (None, false, None, None);
    let (mut accept_language, mut more_accept_language) = (None, false);
    for (name, value) in headers {
        if extra == Some(name) {
            found.get_or_insert(value);
        }
        if *name == ACCEPT {
            more_accept |= accept.is_some();
            accept.get_or_insert(value);
        } else if *name == CONTENT_TYPE {
            content_type.get_or_insert(value);
        } else if LANGUAGE && *name == ACCEPT_LANGUAGE {
            more_accept_language |= accept_language.is_some();
            accept_language.get_or_insert(value);
        }
    }
    let format = match accept {
        None => Some(tie_winner(content_type, preferred)),
        Some(_) if more_accept => choose(
            rank(headers.get_all(ACCEPT).iter()),
            || content_type,
            preferred,
            problems,
        ),
        Some(only) => match WholeValue::of(only.as_bytes()) {
            Some(whole) => whole.answer(|| content_type, preferred),
            None => choose(rank([only]), || content_type, preferred, problems),
        },
    };
    RequestHeaders {
        format,
        extra: found,
        accept_language,
        more_accept_language,
    }
}

/// The most field lines [`negotiate_request`] reads in one pass rather than by hash.
const SCAN_LIMIT: usize = 16;

/// An `Accept` field value that is, as a whole, one of the media ranges most clients send alone,
/// answered without ranking. Each answers exactly what [`rank`] and [`choose`] give for it, with
/// or without problem details (the tests compare them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WholeValue {
    /// `application/json`: JSON, whatever else.
    Json,
    /// `application/xml`: XML, whatever else.
    Xml,
    /// `*/*`: JSON and XML tie, as without `Accept`.
    Any,
}

impl WholeValue {
    /// The whole value `value` is, compared as the grammar compares ranges (without regard to
    /// ASCII case), or `None`.
    #[inline]
    fn of(value: &[u8]) -> Option<WholeValue> {
        match value.len() {
            3 if value == b"*/*" => Some(WholeValue::Any),
            15 if value.eq_ignore_ascii_case(b"application/xml") => Some(WholeValue::Xml),
            16 if value.eq_ignore_ascii_case(b"application/json") => Some(WholeValue::Json),
            _ => None,
        }
    }

    #[inline]
    fn answer<'a>(
        self,
        content_type: impl FnOnce() -> Option<&'a HeaderValue>,
        preferred: Format,
    ) -> Option<Format> {
        Some(match self {
            WholeValue::Json => Format::Json,
            WholeValue::Xml => Format::Xml,
            WholeValue::Any => tie_winner(content_type(), preferred),
        })
    }
}

/// The answer when JSON and XML tie at the same weight and specificity and no problem details
/// format is named: the request's `Content-Type`, failing that the preferred format.
#[inline]
fn tie_winner(content_type: Option<&HeaderValue>, preferred: Format) -> Format {
    if json_breaks_ties(content_type, preferred) {
        Format::Json
    } else {
        Format::Xml
    }
}

/// Whether a tie between a JSON and an XML format goes to JSON: by the request's `Content-Type`,
/// failing that by the preferred format.
#[inline]
fn json_breaks_ties(content_type: Option<&HeaderValue>, preferred: Format) -> bool {
    match content_type.and_then(|ct| content_type_format(ct.as_bytes())) {
        Some(format) => format == Format::Json,
        None => preferred.seed() == Format::Json,
    }
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
    choose(rank(accept), || content_type, preferred, Problems::Offered)
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
    /// `application/problem+json`: problem details in JSON, and JSON by its suffix.
    ProblemJson,
    /// `application/problem+xml`: problem details in XML, and XML by its suffix.
    ProblemXml,
}

impl Target {
    /// What `*/*` matches, and `*` alone.
    const ANY: Target = Target::Both(WILDCARD);

    /// The representations a media range matches, if any.
    #[inline]
    fn of_range(range: MediaRange<'_>) -> Option<Target> {
        const APPLICATION: CaselessName = CaselessName::new(b"application");
        const TEXT: CaselessName = CaselessName::new(b"text");
        if APPLICATION.is(range.ty) {
            Target::of_application(range.subtype)
        } else if TEXT.is(range.ty) {
            Target::of_text(range.subtype)
        } else if range == MediaRange::ANY {
            Some(Target::ANY)
        } else {
            None
        }
    }

    /// The representations `application/<subtype>` matches, if any.
    #[inline(always)]
    fn of_application(subtype: &[u8]) -> Option<Target> {
        const XML: CaselessName = CaselessName::new(b"xml");
        const JSON: CaselessName = CaselessName::new(b"json");
        const PROBLEM_XML: CaselessName = CaselessName::new(b"problem+xml");
        const PROBLEM_JSON: CaselessName = CaselessName::new(b"problem+json");
        const PLUS_XML: CaselessName = CaselessName::new(b"+xml");
        const PLUS_JSON: CaselessName = CaselessName::new(b"+json");
        // perf: by length first, then by the last byte, so that most subtypes take one
        // comparison; bench: negotiate/tower_api_error/chromium.
        let exact = match subtype.len() {
            1 if subtype[0] == b'*' => Some(Target::Both(TYPE_WILDCARD)),
            3 if XML.is(subtype) => Some(Target::Xml(EXACT)),
            4 if JSON.is(subtype) => Some(Target::Json(EXACT)),
            11 if PROBLEM_XML.is(subtype) => Some(Target::ProblemXml),
            12 if PROBLEM_JSON.is(subtype) => Some(Target::ProblemJson),
            _ => None,
        };
        if exact.is_some() {
            return exact;
        }
        match subtype.last()? | b' ' {
            b'n' if PLUS_JSON.ends(subtype) => Some(Target::Json(SUFFIX)),
            b'l' if PLUS_XML.ends(subtype) => Some(Target::Xml(SUFFIX)),
            _ => None,
        }
    }

    /// The representations `text/<subtype>` matches, if any: only `text/xml` matches one.
    #[inline(always)]
    fn of_text(subtype: &[u8]) -> Option<Target> {
        const XML: CaselessName = CaselessName::new(b"xml");
        XML.is(subtype).then_some(Target::TextXml)
    }
}

/// A weight, the `q` of a media range, in thousandths: from [`Weight::ZERO`] to [`Weight::ONE`].
/// RFC 9110 allows at most three decimals, so thousandths hold every weight exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Weight(u16);

impl Weight {
    /// `q=0`: "not acceptable".
    pub(crate) const ZERO: Weight = Weight(0);
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
    /// Not matched by any range.
    const NONE: Match = Match {
        specificity: 0,
        q: Weight::ZERO,
    };

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
    problem_json: Match,
    problem_xml: Match,
    /// Whether at least one element parsed.
    any_parsed: bool,
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
        text_xml: Match::NONE,
        problem_json: Match::NONE,
        problem_xml: Match::NONE,
        any_parsed: true,
    };
}

fn rank<'a, I>(values: I) -> Ranking
where
    I: IntoIterator<Item = &'a HeaderValue>,
{
    let mut ranking = Ranking::default();
    for value in values {
        ranking.read_value(value.as_bytes());
    }
    ranking
}

impl Ranking {
    /// Reads the elements of one field value, each where [`fast_walk::read_element`] says it
    /// ends.
    fn read_value(&mut self, bytes: &[u8]) {
        grammar::each_element(bytes, |element| {
            // Once an element has parsed, one whose range matches no representation cannot
            // change the outcome: it is only skipped over.
            fast_walk::read_element(element, self.any_parsed, |target, q| {
                self.any_parsed = true;
                if let Some(target) = target {
                    self.offer(target, q);
                }
            })
        });
    }

    // perf: out of line, because inlined into the walk it took registers the walk needs;
    // bench: negotiate/tower_api_error/java.
    #[inline(never)]
    fn offer(&mut self, target: Target, q: Weight) {
        match target {
            Target::Both(specificity) => {
                self.json.offer(specificity, q);
                self.xml.offer(specificity, q);
            }
            Target::Json(specificity) => self.json.offer(specificity, q),
            Target::Xml(specificity) => self.xml.offer(specificity, q),
            Target::TextXml => self.text_xml.offer(EXACT, q),
            Target::ProblemJson => {
                self.json.offer(SUFFIX, q);
                self.problem_json.offer(EXACT, q);
            }
            Target::ProblemXml => {
                self.xml.offer(SUFFIX, q);
                self.problem_xml.offer(EXACT, q);
            }
        }
    }
}

/// Which problem details formats [`choose`] may pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problems {
    /// `application/problem+json` and `application/problem+xml` are representations of their
    /// own.
    Offered,
    /// They are only `+json` and `+xml` types, which admit the seed formats.
    Ignored,
}

fn choose<'a>(
    ranking: Ranking,
    content_type: impl FnOnce() -> Option<&'a HeaderValue>,
    preferred: Format,
    problems: Problems,
) -> Option<Format> {
    // No usable `Accept` behaves as `*/*`.
    let Ranking {
        json,
        xml,
        text_xml,
        problem_json,
        problem_xml,
        ..
    } = if ranking.any_parsed {
        ranking
    } else {
        Ranking::ANYTHING
    };
    // The tie-breaker of last resort between a JSON and an XML format: worked out when first
    // needed, and then kept.
    let mut content_type = Some(content_type);
    let mut decided = None;
    let mut json_breaks_ties = || {
        *decided.get_or_insert_with(|| {
            json_breaks_ties(
                content_type.take().and_then(|content_type| content_type()),
                preferred,
            )
        })
    };

    // XML is served as `text/xml` only when the client ranks it strictly above `application/xml`.
    let (xml, xml_format) = if text_xml.acceptable() && (!xml.acceptable() || text_xml.q > xml.q) {
        (text_xml, Format::TextXml)
    } else {
        (xml, Format::Xml)
    };

    let seed = match (json.acceptable(), xml.acceptable()) {
        (false, false) => None,
        (true, false) => Some((Format::Json, json.q)),
        (false, true) => Some((xml_format, xml.q)),
        (true, true) => {
            let by_weight = json.q.cmp(&xml.q);
            let by_specificity = json.specificity.cmp(&xml.specificity);
            let ordering = by_weight.then(by_specificity);
            let json_wins = if ordering.is_ne() {
                ordering.is_gt()
            } else {
                json_breaks_ties()
            };
            Some(if json_wins {
                (Format::Json, json.q)
            } else {
                (xml_format, xml.q)
            })
        }
    };

    // A problem details format is named exactly or not at all, so it is at least as specific as
    // any seed match: at a weight at least as high, it wins.
    let problem = match (
        problems,
        problem_json.acceptable(),
        problem_xml.acceptable(),
    ) {
        (Problems::Ignored, ..) | (_, false, false) => None,
        (_, true, false) => Some((Format::ProblemJson, problem_json.q)),
        (_, false, true) => Some((Format::ProblemXml, problem_xml.q)),
        (_, true, true) => Some(match problem_json.q.cmp(&problem_xml.q) {
            std::cmp::Ordering::Greater => (Format::ProblemJson, problem_json.q),
            std::cmp::Ordering::Less => (Format::ProblemXml, problem_xml.q),
            std::cmp::Ordering::Equal if json_breaks_ties() => {
                (Format::ProblemJson, problem_json.q)
            }
            std::cmp::Ordering::Equal => (Format::ProblemXml, problem_xml.q),
        }),
    };
    match (seed, problem) {
        (Some((_, seed_q)), Some((problem, problem_q))) if problem_q >= seed_q => Some(problem),
        (None, Some((problem, _))) => Some(problem),
        (seed, _) => seed.map(|(format, _)| format),
    }
}

/// What the request's `Content-Type` says about the body format it speaks, if anything: its media
/// type read as an `Accept` media range is, and what that matches.
// perf: out of line, as it is needed only to break a tie; inlined, it took registers from the
// layer's look-up of its headers; bench: negotiate/tower_api_error/one_range.
#[inline(never)]
fn content_type_format(content_type: &[u8]) -> Option<Format> {
    let (range, end) = grammar::parse_range(content_type).ok()?;
    // Only whitespace may stand between the media type and its parameters.
    if !matches!(
        content_type.get(skip_ows(content_type, end)),
        None | Some(b';')
    ) {
        return None;
    }
    match Target::of_range(range)? {
        Target::Json(_) | Target::ProblemJson => Some(Format::Json),
        Target::Xml(_) | Target::TextXml | Target::ProblemXml => Some(Format::Xml),
        Target::Both(_) => None,
    }
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
        (&["application/json;q=, application/xml;q=0.1"], None, JSON),   // `q=` ignored: weight 1
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
        (&["application/json;charset, application/xml"], None, JSON),    // `;charset` ignored, a tie
        (&["application/json;=utf-8, application/xml"], None, JSON),     // empty name ignored
        (&["application/json;a=b c, application/xml"], None, XML),
        // A parameter without `=`, with an empty name or an empty value is ignored; the range and
        // the other parameters, `q` included, still count.
        (&["application/xml;foo"], None, XML),
        (&["application/xml; application/json"], None, XML),
        (&["text/html;application/xml"], None, NONE),
        (&["application/json;charset;q=0.2, application/xml;q=0.5"], None, XML),
        (&["application/json;=utf-8;q=0.5, application/xml;q=0.4"], None, JSON),
        (&["application/xml;charset=;q=0.3, application/json;q=0.2"], None, XML),
        (&["application/json;=\"a;b\";q=0.1, application/xml;q=0.2"], None, XML),
        (&["application/json;q=0;foo, application/xml;q=0.1"], None, XML),
        // A malformed range is still skipped, whatever its parameters.
        (&["application /json;foo, application/xml;q=0.1"], None, XML),
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

    /// The seed-only negotiation of a layer with `ProblemDetails::Never`, which reads the
    /// problem details types as `+json` and `+xml` types only.
    fn negotiate_seed_only_str(accept: &[&str], content_type: Option<&str>) -> Option<Format> {
        let mut headers = HeaderMap::new();
        for value in accept {
            headers.append(ACCEPT, HeaderValue::from_str(value).unwrap());
        }
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        negotiate_seed_only(&headers, Format::Json)
    }

    /// Whether an `Accept` names a problem details type (in any case).
    fn names_a_problem_type(accept: &[&str]) -> bool {
        accept.iter().any(|value| {
            let value = value.to_ascii_lowercase();
            value.contains("application/problem+json") || value.contains("application/problem+xml")
        })
    }

    #[test]
    fn table() {
        assert!(TABLE.len() >= 50, "{} rows", TABLE.len());
        let wrong: Vec<_> = TABLE
            .iter()
            .filter(|(accept, content_type, expected)| {
                negotiate_seed_only_str(accept, *content_type) != *expected
            })
            .map(|(accept, content_type, expected)| {
                format!(
                    "{accept:?} {content_type:?}: {:?}, not {expected:?}",
                    negotiate_seed_only_str(accept, *content_type)
                )
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        for (accept, content_type, expected) in TABLE {
            assert_eq!(
                negotiate_seed_only_str(accept, *content_type),
                *expected,
                "Accept: {accept:?}, Content-Type: {content_type:?}"
            );
            // Problem details change nothing for a client that names no problem details type.
            if !names_a_problem_type(accept) {
                assert_eq!(
                    negotiate_str(accept, *content_type),
                    *expected,
                    "Accept: {accept:?}, Content-Type: {content_type:?}"
                );
            }
        }
    }

    const PROBLEM_JSON: Option<Format> = Some(Format::ProblemJson);
    const PROBLEM_XML: Option<Format> = Some(Format::ProblemXml);

    /// `Accept` headers that name problem details types, with what [`negotiate`] picks.
    #[rustfmt::skip]
    const PROBLEM_TABLE: &[(&[&str], Option<&str>, Option<Format>)] = &[
        // Named alone, or above the seed formats.
        (&["application/problem+json"], None, PROBLEM_JSON),
        (&["application/problem+xml"], None, PROBLEM_XML),
        (&["Application/Problem+JSON"], None, PROBLEM_JSON),
        (&["application/problem+json, application/json;q=0.9"], None, PROBLEM_JSON),
        (&["application/problem+xml;q=0.8, */*;q=0.5"], None, PROBLEM_XML),
        // At the same weight as the seed format it wins: it is named, and so as specific.
        (&["application/json, application/problem+json"], None, PROBLEM_JSON),
        (&["application/xml, application/problem+xml"], None, PROBLEM_XML),
        (&["application/problem+xml, application/json"], None, PROBLEM_XML),
        // Below a seed format it loses.
        (&["application/json, application/problem+json;q=0.9"], None, JSON),
        (&["application/problem+json;q=0.5, application/xml"], None, XML),
        // Its suffix gives JSON the same low weight (the more specific range decides): XML wins.
        (&["application/problem+json;q=0.5, */*"], None, XML),
        (&["text/xml, application/problem+xml;q=0.9"], None, TEXT_XML),
        // Excluded.
        (&["application/problem+json;q=0, application/json"], None, JSON),
        (&["application/problem+json;q=0"], None, NONE),
        // The seed format excluded, the problem format not.
        (&["application/json;q=0, application/problem+json"], None, PROBLEM_JSON),
        // Both problem formats: weight, then the request's Content-Type, then JSON.
        (&["application/problem+json;q=0.5, application/problem+xml"], None, PROBLEM_XML),
        (&["application/problem+xml, application/problem+json"], None, PROBLEM_JSON),
        (&["application/problem+xml, application/problem+json"], Some("application/xml"), PROBLEM_XML),
        // Wildcards and other `+json` types never select the problem shape.
        (&["*/*"], None, JSON),
        (&["application/*"], None, JSON),
        (&["application/vnd.api+json"], None, JSON),
        (&["application/problem+jsonx, application/xml;q=0.5"], None, XML),
    ];

    #[test]
    fn problem_table() {
        for (accept, content_type, expected) in PROBLEM_TABLE {
            assert_eq!(
                negotiate_str(accept, *content_type),
                *expected,
                "Accept: {accept:?}, Content-Type: {content_type:?}"
            );
            // Without problem details, the answer is the seed format of the same syntax, or
            // what the `+json`/`+xml` rules give.
            let seed_only = negotiate_seed_only_str(accept, *content_type);
            assert!(
                seed_only.is_none_or(|format| !format.is_problem()),
                "{accept:?}: {seed_only:?}"
            );
        }
    }

    /// The layer's one-pass look-up answers as `negotiate` (or `negotiate_seed_only`) and
    /// `HeaderMap::get` do, on maps small and large, with the request id's header absent, once or
    /// twice, and named like one of the headers negotiation reads.
    #[test]
    fn negotiate_request_finds_accept_language_only_when_asked() {
        use crate::ProblemDetails;
        for filler in [0, 3, SCAN_LIMIT - 2, SCAN_LIMIT, 40] {
            for lines in [0, 1, 2, 3] {
                let mut headers = HeaderMap::new();
                for i in 0..filler {
                    headers.append(
                        HeaderName::from_bytes(format!("x-filler-{i}").as_bytes()).unwrap(),
                        HeaderValue::from_static("a"),
                    );
                    if i == 1 {
                        headers.append(ACCEPT, HeaderValue::from_static("application/xml"));
                    }
                }
                for i in 0..lines {
                    headers.append(ACCEPT_LANGUAGE, HeaderValue::from(i));
                }
                let expected = headers.get(ACCEPT_LANGUAGE);
                let read = negotiate_request::<true>(
                    &headers,
                    Format::Json,
                    ProblemDetails::WhenAsked,
                    None,
                );
                assert_eq!(read.accept_language, expected, "{filler} {lines}");
                assert_eq!(read.more_accept_language, lines > 1, "{filler} {lines}");
                assert_eq!(
                    read.format,
                    negotiate_headers(&headers, Format::Json, Problems::Offered)
                );
                let unasked = negotiate_request::<false>(
                    &headers,
                    Format::Json,
                    ProblemDetails::WhenAsked,
                    None,
                );
                assert_eq!(unasked.accept_language, None);
                assert!(!unasked.more_accept_language);
                assert_eq!(unasked.format, read.format);
            }
        }
    }

    #[test]
    fn negotiate_request_answers_as_the_look_ups_do() {
        use crate::ProblemDetails;
        let id = HeaderName::from_static("x-request-id");
        let rows = TABLE.iter().chain(PROBLEM_TABLE);
        for (accept, content_type, _) in rows {
            for filler in [0, 3, SCAN_LIMIT, SCAN_LIMIT + 1, 40] {
                for ids in [0, 1, 2] {
                    let mut headers = filled_headers(filler, 7, accept, *content_type);
                    for i in 0..ids {
                        headers.append(id.clone(), HeaderValue::from(i));
                    }
                    for preferred in [Format::Json, Format::Xml] {
                        for extra in [None, Some(&id), Some(&ACCEPT), Some(&CONTENT_TYPE)] {
                            let expected = extra.and_then(|name| headers.get(name));
                            let RequestHeaders {
                                format,
                                extra: found,
                                ..
                            } = negotiate_request::<false>(
                                &headers,
                                preferred,
                                ProblemDetails::WhenAsked,
                                extra,
                            );
                            assert_eq!(
                                format,
                                negotiate_headers(&headers, preferred, Problems::Offered),
                                "{headers:?}"
                            );
                            assert_eq!(found, expected, "{headers:?} {extra:?}");
                            let RequestHeaders {
                                format,
                                extra: found,
                                ..
                            } = negotiate_request::<false>(
                                &headers,
                                preferred,
                                ProblemDetails::Never,
                                extra,
                            );
                            assert_eq!(
                                format,
                                negotiate_seed_only(&headers, preferred),
                                "{headers:?}"
                            );
                            assert_eq!(found, expected, "{headers:?} {extra:?}");
                            let format = negotiate_request::<false>(
                                &headers,
                                preferred,
                                ProblemDetails::Always,
                                extra,
                            )
                            .format;
                            assert_eq!(
                                format,
                                negotiate_headers(&headers, preferred, Problems::Offered),
                                "{headers:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    /// `filler` fields named `x-filler-<i % names>`, with the `Accept` lines `accept` after the
    /// second of them (first, with fewer than two), then `content_type`.
    fn filled_headers(
        filler: usize,
        names: usize,
        accept: &[&str],
        content_type: Option<&str>,
    ) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let accept_lines = |headers: &mut HeaderMap| {
            for value in accept {
                headers.append(ACCEPT, HeaderValue::from_str(value).unwrap());
            }
        };
        for i in 0..filler {
            headers.append(
                HeaderName::from_bytes(format!("x-filler-{}", i % names).as_bytes()).unwrap(),
                HeaderValue::from_static("a"),
            );
            if i == 1 {
                accept_lines(&mut headers);
            }
        }
        if filler < 2 {
            accept_lines(&mut headers);
        }
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        headers
    }

    /// [`negotiate`], which reads a small map in one pass as the layer does, answers as looking the
    /// headers up by hash does, on maps small and large, for every preferred format.
    #[test]
    fn negotiate_answers_as_the_hash_look_ups_do() {
        for (accept, content_type, _) in TABLE.iter().chain(PROBLEM_TABLE) {
            for filler in [0, 3, SCAN_LIMIT - 1, SCAN_LIMIT, SCAN_LIMIT + 1] {
                let headers = filled_headers(filler, 5, accept, *content_type);
                for preferred in [Format::Json, Format::Xml, Format::TextXml] {
                    assert_eq!(
                        negotiate(&headers, preferred),
                        negotiate_headers(&headers, preferred, Problems::Offered),
                        "{headers:?} {preferred:?}"
                    );
                }
            }
        }
    }

    /// The values answered without ranking give what ranking them gives, in any case, with
    /// any `Content-Type` and preferred format, with and without problem details.
    #[test]
    fn whole_values_answer_as_ranking_them_does() {
        let content_types = [
            None,
            Some("application/xml"),
            Some("application/json"),
            Some("text/xml"),
            Some("text/plain"),
        ];
        let values = [
            "application/json",
            "Application/JSON",
            "application/xml",
            "APPLICATION/XML",
            "*/*",
        ];
        for value in values {
            assert!(WholeValue::of(value.as_bytes()).is_some(), "{value}");
            let accept = HeaderValue::from_static(value);
            for content_type in content_types {
                let ct = content_type.map(HeaderValue::from_static);
                let mut headers = HeaderMap::new();
                headers.insert(ACCEPT, accept.clone());
                if let Some(ct) = &ct {
                    headers.insert(CONTENT_TYPE, ct.clone());
                }
                for preferred in [Format::Json, Format::Xml, Format::TextXml] {
                    for problems in [Problems::Offered, Problems::Ignored] {
                        let ranked = choose(rank([&accept]), || ct.as_ref(), preferred, problems);
                        assert_eq!(
                            negotiate_headers(&headers, preferred, problems),
                            ranked,
                            "{value} {content_type:?} {preferred:?} {problems:?}"
                        );
                    }
                }
            }
        }
        for other in [
            "application/json ",
            "*/*;q=1",
            "application/jsonx",
            "*/ *",
            "",
        ] {
            assert!(WholeValue::of(other.as_bytes()).is_none(), "{other:?}");
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
        // `grammar.rs`, which checks how they split into elements.
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
