//! The layer's fast reader of `Accept` elements: the shapes clients send, read in one walk from
//! an element's first byte to its end, and everything else handed to the general rules of
//! [`grammar`](super::grammar).
//!
//! [`read_element`] reads an element so:
//!
//! 1. the kind of its first byte ([`KIND`], one table look-up) says what the range can be:
//!    `application/...`, `text/...`, `*/*` or `*`, or anything else;
//! 2. the subtype: `xml`, `json` and `*` are compared a word at a time; any other subtype is read
//!    as a token, and what it matches looked up by [`Target::of_application`];
//! 3. [`read_params`]: the parameters the walk reads itself (none, `;q=0.9`, other tokens) and
//!    the `,` that ends the element, in the same walk.
//!
//! Once an element has parsed, a range that matches nothing can no longer change the outcome:
//! such an element (`text/html`, `image/avif`, `application/signed-exchange;v=b3`) is skipped
//! from where the walk found it can match nothing, with one search for the next `,` or `"`
//! ([`element_end`]).
//!
//! What the walk does not read itself (a quoted string, whitespace around a `=`, an empty
//! parameter, an invalid weight, an empty subtype, a type other than `application`, `text` and
//! `*` before an element has parsed) it leaves to [`read_element_in_general`]. The two answer
//! every element alike: the tests below compare them on every element of a start and up to three
//! more bytes, and on generated ones. An element is read at most twice (the walk, then the general
//! rules), so the time stays linear in the length of the header.

use super::{
    grammar::{
        self, element_end, is_tchar, is_tchar_at, parse_q, skip_ows, token_end, CaselessName,
        Element,
    },
    Target, Weight, EXACT, TYPE_WILDCARD,
};

// perf: the walk is `#[inline(always)]` and the helpers it calls from `grammar` are `#[inline]`,
// because the parent module is compiled in another codegen unit where they stayed out of line;
// the general rules are `#[cold]` and out of line, so that they take no room in the walk;
// bench: negotiate/tower_api_error/chromium.

/// Reads the element at the start of `bytes` (a field value from an element on), calls
/// `parsed` with what it matches and its weight if it is well-formed, and returns where it ends
/// (the index of the `,` after it, or the length of `bytes`). With `skip_unmatched` (once an
/// element has parsed, when a range that matches nothing can no longer change the outcome), such
/// an element is only skipped over, and `parsed` is not called for it.
///
/// It answers every element as [`read_element_in_general`] does, and leaves to it the elements
/// it does not read itself.
#[inline(always)]
pub(super) fn read_element(
    bytes: &[u8],
    skip_unmatched: bool,
    mut parsed: impl FnMut(Option<Target>, Weight),
) -> usize {
    let mut start = 0;
    let mut kind = kind_at(bytes, 0);
    if kind == WHITE {
        start = skip_ows(bytes, 1);
        kind = kind_at(bytes, start);
    }
    let (target, range_end) = match kind {
        APPLICATION if strip_application(&bytes[start..]).is_some() => {
            let subtype = start + b"application/".len();
            match exact_application(bytes, subtype) {
                Some((target, end)) => (Some(target), end),
                None if skip_unmatched => {
                    let end = token_end(bytes, subtype);
                    match Target::of_application(&bytes[subtype..end]) {
                        Some(target) => (Some(target), end),
                        None => return element_end(bytes, end),
                    }
                }
                None => {
                    let end = token_end(bytes, subtype);
                    if end == subtype {
                        return read_by_general_rules(bytes, skip_unmatched, parsed);
                    }
                    (Target::of_application(&bytes[subtype..end]), end)
                }
            }
        }
        TEXT if strip_text(&bytes[start..]).is_some() => {
            let subtype = start + b"text/".len();
            if XML.at(bytes, subtype) && !is_tchar_at(bytes, subtype + 3) {
                (Some(Target::TextXml), subtype + 3)
            } else if skip_unmatched {
                return element_end(bytes, subtype);
            } else {
                let end = token_end(bytes, subtype);
                if end == subtype {
                    return read_by_general_rules(bytes, skip_unmatched, parsed);
                }
                (None, end)
            }
        }
        STAR => match bytes.get(start + 1) {
            Some(b'/') if bytes.get(start + 2) == Some(&b'*') && !is_tchar_at(bytes, start + 3) => {
                (Some(Target::ANY), start + 3)
            }
            // `*/subtype`, or a type that starts with `*`.
            Some(&b) if b == b'/' || is_tchar(b) => {
                return read_by_general_rules(bytes, skip_unmatched, parsed)
            }
            _ => (Some(Target::ANY), start + 1),
        },
        _ if skip_unmatched => return element_end(bytes, start),
        _ => return read_by_general_rules(bytes, skip_unmatched, parsed),
    };
    match read_params(bytes, range_end) {
        Some((q, end)) => {
            parsed(target, q);
            end
        }
        None => read_by_general_rules(bytes, skip_unmatched, parsed),
    }
}

/// `xml`, `json` or `*` at `subtype`, as a whole token: what it matches and where it ends. These
/// need no search for the end of the subtype; [`Target::of_application`] answers the same for
/// them.
#[inline(always)]
fn exact_application(bytes: &[u8], subtype: usize) -> Option<(Target, usize)> {
    const JSON: CaselessName = CaselessName::new(b"json");
    let (target, len) = match *bytes.get(subtype)? | b' ' {
        b'x' if XML.at(bytes, subtype) => (Target::Xml(EXACT), 3),
        b'j' if JSON.at(bytes, subtype) => (Target::Json(EXACT), 4),
        b'*' if bytes[subtype] == b'*' => (Target::Both(TYPE_WILDCARD), 1),
        _ => return None,
    };
    let end = subtype + len;
    (!is_tchar_at(bytes, end)).then_some((target, end))
}

/// The subtype `xml`.
const XML: CaselessName = CaselessName::new(b"xml");

/// [`read_element`] by [`read_element_in_general`].
#[inline(always)]
fn read_by_general_rules(
    bytes: &[u8],
    skip_unmatched: bool,
    mut parsed: impl FnMut(Option<Target>, Weight),
) -> usize {
    let (element, end) = read_element_in_general(bytes, skip_unmatched);
    match element {
        Element::Offers(target, q) => parsed(Some(target), q),
        Element::Parses => parsed(None, Weight::ONE),
        Element::Skipped => {}
    }
    end
}

/// What the element at the start of `bytes` says about the layer's representations, and where it
/// ends, by the general rules ([`grammar::read_element`]). [`read_element`] answers as this does.
#[cold]
#[inline(never)]
pub(super) fn read_element_in_general(
    bytes: &[u8],
    skip_unmatched: bool,
) -> (Element<Target>, usize) {
    grammar::read_element(bytes, skip_unmatched, Target::of_range)
}

/// Reads the parameters of the element whose media range ends at `from`: the weight, and where
/// the element ends (the index of the `,` after it, or the length of `bytes`). `bytes[..from]`
/// must hold no `,` or `"`.
///
/// The parameters clients send (`;q=0.9`, `; q=.2`, `;v=b3;q=0.7`: tokens, with whitespace
/// only around the `;`) are read in the same walk that finds the element's end, as
/// [`grammar::parse_params`] would read them. Anything else (a quoted string, whitespace around a
/// `=`, an empty parameter, an invalid weight, a byte that cannot stand there) is `None`: the
/// element is for [`read_element_in_general`] to read.
#[inline(always)]
fn read_params(bytes: &[u8], from: usize) -> Option<(Weight, usize)> {
    // Most elements have no parameters or only `;q=0.9`: answered first, as the loop would.
    let ends_at = |i: usize| matches!(bytes.get(i), None | Some(b','));
    if ends_at(from) {
        return Some((Weight::ONE, from));
    }
    if let Some(&[b';', q, b'=', b'0', b'.', digit]) = bytes.get(from..from + 6) {
        if q | b' ' == b'q' && digit.is_ascii_digit() && ends_at(from + 6) {
            return Some((Weight::from_decimals(digit - b'0', 0, 0), from + 6));
        }
    }
    let mut q = Weight::ONE;
    let mut i = from;
    loop {
        // Whitespace may stand before the `;` and before the end of the element.
        i = skip_ows(bytes, i);
        match bytes.get(i) {
            None | Some(b',') => return Some((q, i)),
            Some(b';') => {}
            Some(_) => return None,
        }
        // `name=value`, both tokens, after optional whitespace; `q=` is the one name that
        // counts, and nearly the only one sent.
        let name = skip_ows(bytes, i + 1);
        let value = match bytes.get(name..name + 2) {
            Some([b'q' | b'Q', b'=']) => name + 2,
            _ => {
                let name_end = token_end(bytes, name);
                if name_end == name || bytes.get(name_end) != Some(&b'=') {
                    return None;
                }
                let value = name_end + 1;
                i = token_end(bytes, value);
                if i == value {
                    return None;
                }
                continue;
            }
        };
        // `0.9`, as browsers write their weights, is answered as `parse_q` would answer it.
        if let Some(&[b'0', b'.', digit @ b'0'..=b'9']) = bytes.get(value..value + 3) {
            if !is_tchar_at(bytes, value + 3) {
                q = Weight::from_decimals(digit - b'0', 0, 0);
                i = value + 3;
                continue;
            }
        }
        i = token_end(bytes, value);
        match parse_q(&bytes[value..i]) {
            Some(weight) => q = weight,
            // `q=` is ignored, like any parameter without a value.
            None if i == value => {}
            None => return None,
        }
    }
}

/// `bytes` after a leading `application/` (in any case).
fn strip_application(bytes: &[u8]) -> Option<&[u8]> {
    // perf: eight and four bytes compared at once; bench: negotiate/tower_api_error/chromium.
    // Setting bit 5 lowercases ASCII letters; it maps no other byte onto a lowercase letter, and
    // the `/` is compared as it is.
    const CASE: u64 = u64::from_le_bytes(*b"        ");
    let (head, rest) = bytes.split_first_chunk::<12>()?;
    let (low, high) = head.split_at(8);
    let low = u64::from_le_bytes(low.try_into().ok()?) | CASE;
    // The `/` is compared as it is: no case bit for the last byte.
    let high = u32::from_le_bytes(high.try_into().ok()?) | u32::from_le_bytes(*b"   \0");
    (low == u64::from_le_bytes(*b"applicat") && high == u32::from_le_bytes(*b"ion/"))
        .then_some(rest)
}

/// `bytes` after a leading `text/` (in any case).
fn strip_text(bytes: &[u8]) -> Option<&[u8]> {
    // perf: four bytes compared at once, as in `strip_application`;
    // bench: negotiate/tower_api_error/java.
    let (head, rest) = bytes.split_first_chunk::<5>()?;
    let (text, slash) = head.split_first_chunk::<4>()?;
    (u32::from_le_bytes(*text) | u32::from_le_bytes(*b"    ") == u32::from_le_bytes(*b"text")
        && slash[0] == b'/')
        .then_some(rest)
}

/// `KIND[b]` says what a media range that starts with byte `b` can be, or that `b` is whitespace.
// perf: one look-up at the start of an element where there were up to six comparisons;
// bench: negotiate/tower_api_error/chromium.
static KIND: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'a' | b'A' => APPLICATION,
            b't' | b'T' => TEXT,
            b'*' => STAR,
            b' ' | b'\t' => WHITE,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// A [`KIND`]: whitespace, `OWS`.
const WHITE: u8 = 1;
/// A [`KIND`]: the start of `application/...`.
const APPLICATION: u8 = 2;
/// A [`KIND`]: the start of `text/...`.
const TEXT: u8 = 3;
/// A [`KIND`]: the start of `*/*` or `*`.
const STAR: u8 = 4;

/// The [`KIND`] of `bytes[i]`, or 0 past the end.
#[inline(always)]
fn kind_at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).map_or(0, |&b| KIND[usize::from(b)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`read_element`], with what it reports as an [`Element`], as
    /// [`read_element_in_general`] answers.
    fn walked(bytes: &[u8], skip_unmatched: bool) -> (Element<Target>, usize) {
        let mut element = Element::Skipped;
        let end = read_element(bytes, skip_unmatched, |target, q| {
            element = Element::parsed(target, q);
        });
        (element, end)
    }

    /// Starts of elements that lead the walk down each of its paths.
    const STARTS: &[&str] = &[
        "",
        " ",
        "\t ",
        "application/",
        "Application/JSON",
        "application/xml",
        "APPLICATION/Problem+Json",
        "application/problem+xml",
        "application/vnd.x+xml",
        "application/x+JSON",
        "application/*",
        "application/signed-exchange",
        "applicatio",
        "text/",
        "Text/XML",
        "text/html",
        "text/*",
        "*",
        "*/*",
        "*/",
        "**",
        "image/png",
        "a",
        "t",
        "application/xml;q=0.5",
        "text/html;level=1;q=0.9",
        "*/*; q=.2 ",
    ];

    /// Bytes that end, split and spoil elements, and make weights.
    const TAIL_BYTES: &[u8] = b" \t;=,\"\\q0.519a*/+(\xff";

    #[test]
    fn the_walk_answers_as_the_general_rules_do_on_every_short_tail() {
        let mut tail = Vec::new();
        for start in STARTS {
            for len in 0..=3 {
                let count = TAIL_BYTES.len().pow(len);
                for mut n in 0..count {
                    tail.clear();
                    tail.extend_from_slice(start.as_bytes());
                    for _ in 0..len {
                        tail.push(TAIL_BYTES[n % TAIL_BYTES.len()]);
                        n /= TAIL_BYTES.len();
                    }
                    for skip_unmatched in [false, true] {
                        assert_eq!(
                            walked(&tail, skip_unmatched),
                            read_element_in_general(&tail, skip_unmatched),
                            "{:?}, skip_unmatched: {skip_unmatched}",
                            String::from_utf8_lossy(&tail)
                        );
                    }
                }
            }
        }
    }

    /// Pieces of `Accept` syntax, for longer elements than the exhaustive test builds.
    const PIECES: &[&[u8]] = &[
        b"application/",
        b"text/",
        b"json",
        b"xml",
        b"+json",
        b"+xml",
        b"problem",
        b"*",
        b"/",
        b";",
        b",",
        b"=",
        b"q",
        b"Q",
        b"q=",
        b";q=",
        b"0",
        b"1",
        b".",
        b"0.9",
        b"0.",
        b".5",
        b"1.000",
        b"0.1234",
        b"2",
        b"\"",
        b"\\",
        b" ",
        b"\t",
        b"a",
        b"v=b3",
        b"level=1",
        b"x-y",
        b"\xff",
        b"(",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]

        #[test]
        fn the_walk_answers_as_the_general_rules_do(
            start in proptest::sample::select(STARTS),
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..12),
            skip_unmatched: bool,
        ) {
            let bytes = [start.as_bytes(), &pieces.concat()].concat();
            proptest::prop_assert_eq!(
                walked(&bytes, skip_unmatched),
                read_element_in_general(&bytes, skip_unmatched),
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    /// The subject that decides whether the walk stays: the layer's negotiation of one `Accept`
    /// field line read by the walk, and the same negotiation with every element read by the
    /// general rules alone (inlined, not cold, as they would be without the walk), in one binary.
    /// `callgrind_annotate --inclusive=yes` gives the instructions of each `measured_*` function;
    /// divided by `NEGOTIATE_N`, they are the instructions per call:
    ///
    /// ```text
    /// cargo test --release --lib --no-run
    /// NEGOTIATE_ACCEPT='text/html,...' NEGOTIATE_N=2000 valgrind --tool=callgrind \
    ///     --callgrind-out-file=walk.out target/release/deps/tower_api_error-<hash> \
    ///     walk_or_general_rules --ignored --exact --test-threads=1
    /// callgrind_annotate --inclusive=yes walk.out | grep measured_
    /// ```
    #[test]
    #[ignore = "a subject for callgrind, not a test"]
    fn walk_or_general_rules() {
        use std::hint::black_box;

        use http::{header::ACCEPT, HeaderMap, HeaderValue};

        use super::super::{negotiate, Format};

        let accept = std::env::var("NEGOTIATE_ACCEPT").unwrap_or_else(|_| "*/*".to_owned());
        let n: usize = std::env::var("NEGOTIATE_N").map_or(1, |n| n.parse().unwrap());
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_str(&accept).unwrap());
        measured_walk(&headers, n);
        measured_general_rules(&headers, n);
        measured_negotiate(&headers, n);

        #[inline(never)]
        fn measured_walk(headers: &HeaderMap, n: usize) {
            for _ in 0..n {
                black_box(measure::negotiate_by(black_box(headers), |value| {
                    super::super::rank([value])
                }));
            }
        }

        #[inline(never)]
        fn measured_general_rules(headers: &HeaderMap, n: usize) {
            for _ in 0..n {
                black_box(measure::negotiate_by(
                    black_box(headers),
                    measure::rank_by_general_rules,
                ));
            }
        }

        #[inline(never)]
        fn measured_negotiate(headers: &HeaderMap, n: usize) {
            for _ in 0..n {
                black_box(negotiate(black_box(headers), Format::Json));
            }
        }
    }

    /// The two ways of negotiating that `walk_or_general_rules` compares.
    mod measure {
        use http::{
            header::{ACCEPT, CONTENT_TYPE},
            HeaderMap, HeaderValue,
        };

        use super::super::super::{
            choose, grammar, tie_winner, Format, Problems, Ranking, Target, WholeValue,
        };
        use crate::negotiate::grammar::Element;

        /// What `negotiate` does with a small map that holds one `Accept` field line, with
        /// that line ranked by `rank`.
        #[inline(always)]
        pub(super) fn negotiate_by(
            headers: &HeaderMap,
            rank: impl FnOnce(&HeaderValue) -> Ranking,
        ) -> Option<Format> {
            let (mut accept, mut content_type) = (None, None);
            for (name, value) in headers {
                if *name == ACCEPT {
                    accept.get_or_insert(value);
                } else if *name == CONTENT_TYPE {
                    content_type.get_or_insert(value);
                }
            }
            match accept {
                None => Some(tie_winner(content_type, Format::Json)),
                Some(only) => match WholeValue::of(only.as_bytes()) {
                    Some(whole) => whole.answer(|| content_type, Format::Json),
                    None => choose(rank(only), || content_type, Format::Json, Problems::Offered),
                },
            }
        }

        /// `rank` with every element read by the general rules alone.
        #[inline(always)]
        pub(super) fn rank_by_general_rules(value: &HeaderValue) -> Ranking {
            let mut ranking = Ranking::default();
            grammar::each_element(value.as_bytes(), |bytes| {
                let (element, end) =
                    grammar::read_element(bytes, ranking.any_parsed, Target::of_range);
                match element {
                    Element::Offers(target, q) => {
                        ranking.any_parsed = true;
                        ranking.offer(target, q);
                    }
                    Element::Parses => ranking.any_parsed = true,
                    Element::Skipped => {}
                }
                end
            });
            ranking
        }
    }
}
