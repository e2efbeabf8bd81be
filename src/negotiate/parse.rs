//! The byte scanner behind [`negotiate`](super::negotiate): where an element of an `Accept`
//! field value ends, and what its media range and parameters say.
//!
//! An element is `media-range *( OWS ";" OWS parameter )`, and elements are separated by `,`
//! (RFC 9110, section 12.5.1). The parent module reads each element with three calls, in this
//! order:
//!
//! 1. [`parse_range`]: what the media range matches, and where it ends;
//! 2. [`element_end`]: where the element ends, at the next `,` outside a quoted string;
//! 3. [`parse_params`]: the weight, from the bytes between the two.
//!
//! Everything here works on bytes and allocates nothing. Which media ranges match which
//! representation, and what the weights then decide, is the business of the
//! [parent module](super).

use super::{Target, Weight};

// The functions the parent module calls, and the small helpers they call in turn, are
// `#[inline]`: the parent module is compiled in another codegen unit, where without the hint they
// stayed out of line. Moving the scanner into this file cost 9 to 28% more instructions per
// `negotiate` call (callgrind, as benches/instructions.sh counts them) until they were marked.

// ---------------------------------------------------------------------------------------------
// Media ranges.

/// What [`parse_range`] found at the start of an element.
///
/// Every position in it is inside the range or just past it, where no `,` or `"` has been
/// passed, so [`element_end`] can start from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Range {
    /// A range that matches `target`, and ends at `end`, where its parameters (if any) start.
    Matches { target: Target, end: usize },
    /// A range that matches no representation (`text/html`), and ends at `end`. The element
    /// still counts as one that parsed if its parameters do.
    MatchesNothing { end: usize },
    /// Not a media range: the element is skipped. Its end is searched for from `resume`.
    Malformed { resume: usize },
    /// A range that matches no representation, not read to its end because `only_targets` was
    /// asked for (it may or may not be well-formed). The element is skipped; its end is searched
    /// for from `resume`.
    Irrelevant { resume: usize },
}

impl Range {
    /// The range `type/subtype` that ends at `end` and matches `target`, for a `type` whose
    /// subtypes [`Target`] knows (`application`, `text`).
    fn of_subtype(subtype: &[u8], target: Option<Target>, end: usize, only_targets: bool) -> Self {
        match target {
            _ if subtype.is_empty() => Range::Malformed { resume: end },
            Some(target) => Range::Matches { target, end },
            None if only_targets => Range::Irrelevant { resume: end },
            None => Range::MatchesNothing { end },
        }
    }
}

/// Reads the media range of the element at the start of `bytes`: what it matches, and where it
/// ends. With `only_targets` (once an element has parsed, when a range that matches nothing can
/// no longer change the outcome), such a range is [`Range::Irrelevant`] instead of read.
///
/// This accepts exactly what "trim, split at the first `;`, split the range at its `/` into two
/// tokens" accepts, once [`parse_params`] has checked that only whitespace follows the range
/// before the `;` or the end: the range ends at the first byte that is not a token character.
#[inline]
pub(super) fn parse_range(bytes: &[u8], only_targets: bool) -> Range {
    let start = match bytes.first() {
        Some(b' ' | b'\t') => bytes.len() - trim_start(bytes).len(),
        _ => 0,
    };
    let range = &bytes[start..];
    if let Some(after) = strip_application(range) {
        let subtype = &after[..token_len(after)];
        let end = start + b"application/".len() + subtype.len();
        return Range::of_subtype(subtype, Target::of_application(subtype), end, only_targets);
    }
    if let Some(after) = strip_text(range) {
        let subtype = &after[..token_len(after)];
        let end = start + b"text/".len() + subtype.len();
        return Range::of_subtype(subtype, Target::of_text(subtype), end, only_targets);
    }
    match range.split_first() {
        // `*/*`; `*/subtype` is malformed.
        Some((b'*', [b'/', after @ ..])) => match token_len(after) {
            1 if after[0] == b'*' => Range::Matches {
                target: Target::ANY,
                end: start + 3,
            },
            len => Range::Malformed {
                resume: start + 2 + len,
            },
        },
        // `*` alone.
        Some((b'*', after)) if after.first().is_none_or(|&b| !TCHAR[usize::from(b)]) => {
            Range::Matches {
                target: Target::ANY,
                end: start + 1,
            }
        }
        // Any other `type/subtype` matches nothing, and counts only if no element has parsed
        // before it.
        _ if only_targets => Range::Irrelevant { resume: start },
        _ => {
            let ty = token_len(range);
            if ty == 0 || range.get(ty) != Some(&b'/') {
                return Range::Malformed { resume: start + ty };
            }
            match token_len(&range[ty + 1..]) {
                0 => Range::Malformed {
                    resume: start + ty + 1,
                },
                subtype => Range::MatchesNothing {
                    end: start + ty + 1 + subtype,
                },
            }
        }
    }
}

/// `bytes` after a leading `application/` (in any case).
fn strip_application(bytes: &[u8]) -> Option<&[u8]> {
    // Eight and four bytes compared at once. Setting bit 5 lowercases ASCII letters; it maps no
    // other byte onto a lowercase letter, and the `/` is compared as it is.
    const CASE: u64 = u64::from_le_bytes(*b"        ");
    let (head, rest) = bytes.split_first_chunk::<12>()?;
    if head[0] | b' ' != b'a' {
        return None;
    }
    let (low, high) = head.split_at(8);
    let low = u64::from_le_bytes(low.try_into().ok()?) | CASE;
    // The `/` is compared as it is: no case bit for the last byte.
    let high = u32::from_le_bytes(high.try_into().ok()?) | u32::from_le_bytes(*b"   \0");
    (low == u64::from_le_bytes(*b"applicat") && high == u32::from_le_bytes(*b"ion/"))
        .then_some(rest)
}

/// `bytes` after a leading `text/` (in any case).
fn strip_text(bytes: &[u8]) -> Option<&[u8]> {
    let (head, rest) = bytes.split_first_chunk::<5>()?;
    (head[0] | b' ' == b't' && head[..4].eq_ignore_ascii_case(b"text") && head[4] == b'/')
        .then_some(rest)
}

/// Splits `type/subtype`, both non-empty tokens.
pub(super) fn split_range(range: &[u8]) -> Option<(&[u8], &[u8])> {
    let slash = range.iter().position(|&b| b == b'/')?;
    let (ty, subtype) = (&range[..slash], &range[slash + 1..]);
    (is_token(ty) && is_token(subtype)).then_some((ty, subtype))
}

// ---------------------------------------------------------------------------------------------
// Elements: where one ends.

/// Where the element at the start of `bytes` ends: the index of the first `,` at or after `from`
/// that is not inside a quoted string, or the length of `bytes`. `bytes[..from]` must hold no `,`
/// or `"`.
///
/// A `"` opens a quoted string only where one can stand: as the value of a parameter, right
/// after the `=` (whitespace allowed between). Anywhere else it is an ordinary byte that makes
/// its element malformed, and must not hide the commas after it: `appli"cation/json,
/// application/xml` is two elements, the second one usable. A quoted string that is left open
/// runs to the end.
#[inline(always)]
pub(super) fn element_end(bytes: &[u8], from: usize) -> usize {
    // Nearly every element ends at the first `,` or `"` after `from`, and it is a `,`.
    let i = from + find_delimiter(&bytes[from..]);
    match bytes.get(i) {
        None | Some(b',') => i,
        Some(_) => element_end_after_quote(bytes, i),
    }
}

/// [`element_end`] from the first `"` of the element, at `i`.
#[cold]
fn element_end_after_quote(bytes: &[u8], mut i: usize) -> usize {
    // Jumps from one `,` or `"` to the next. Quoted strings open only among the parameters, so a
    // `;` before a `"`, even inside an earlier quoted string, means that the parameters have
    // started.
    //
    // Whether `bytes[..scanned]` holds a `;`. Each byte is searched for `;` at most once, from
    // where the last search ended: searching all of the bytes before every `="` made a 60 KB
    // `a="a="a="...` take quadratic time.
    let mut in_params = false;
    let mut scanned = 0;
    loop {
        match bytes.get(i) {
            None | Some(b',') => return i,
            Some(_) => {
                let before = &bytes[..i];
                let opens = trim_end(before).last() == Some(&b'=') && {
                    in_params = in_params || before[scanned..].contains(&b';');
                    scanned = i;
                    in_params
                };
                if opens {
                    match quoted_string_end(&bytes[i..]) {
                        Some(end) => i += end,
                        None => return bytes.len(),
                    }
                } else {
                    i += 1;
                }
            }
        }
        i += find_delimiter(&bytes[i..]);
    }
}

/// The index of the first `,` or `"` in `bytes`, or its length if there is none.
///
/// Reads eight bytes at a time: in `x = word ^ (b * 0x0101..)`, a byte of `x` is zero where `word`
/// holds `b`, and `(x - 0x0101..) & !x & 0x8080..` marks the lowest such byte exactly (bytes
/// above it may be marked falsely, which does not matter for the lowest).
#[inline]
fn find_delimiter(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    fn zero_bytes(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & HIGHS
    }
    let mut i = 0;
    while let Some(chunk) = bytes[i..].first_chunk::<8>() {
        let word = u64::from_le_bytes(*chunk);
        let found = zero_bytes(word ^ (ONES * u64::from(b',')))
            | zero_bytes(word ^ (ONES * u64::from(b'"')));
        if found != 0 {
            return i + found.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| matches!(b, b',' | b'"'))
        .unwrap_or(bytes.len() - i)
}

// ---------------------------------------------------------------------------------------------
// Parameters and weights.

/// Parses what follows the media range in an element: optional whitespace, then nothing or `;`
/// and parameters. Returns the weight, or `None` if something is malformed.
#[inline]
pub(super) fn parse_params(rest: &[u8]) -> Option<Weight> {
    match rest {
        // The common shapes, answered as the general case below would answer them.
        [] => return Some(Weight::ONE),
        [b';', b'q' | b'Q', b'=', value @ ..]
            if !value.is_empty() && value.iter().all(|&b| b.is_ascii_digit() || b == b'.') =>
        {
            return parse_q(value);
        }
        _ => {}
    }
    let rest = trim_start(rest);
    let mut params = match rest.split_first() {
        None => rest,
        Some((b';', params)) => params,
        Some(_) => return None,
    };
    let mut q = Weight::ONE;
    while !params.is_empty() {
        let (name, value, rest) = parse_param(params)?;
        if name.eq_ignore_ascii_case(b"q") {
            q = parse_q(value)?;
        }
        params = rest;
    }
    Some(q)
}

/// Parses `name=value` (value a token or a quoted string) at the start of `params`, and returns
/// the name, the raw value (quotes kept) and what follows the next `;`.
///
/// A parameter without `=`, with an empty name or with an empty value is ignored, as most
/// clients' libraries do: it comes back with an empty name, which names no parameter. Anything
/// else that is not `token=token` or `token="quoted string"` makes the element malformed.
#[inline]
fn parse_param(params: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    const IGNORED: &[u8] = b"";
    let params = trim_start(params);
    if params.is_empty() {
        // A trailing `;` with nothing after it.
        return Some((IGNORED, IGNORED, &[]));
    }
    // No `=` before the next `;`: a parameter without a value, such as `;charset` or the
    // `;application/json` of a client that separated ranges with `;`.
    let eq = match params.iter().position(|&b| b == b'=' || b == b';') {
        Some(eq) if params[eq] == b'=' => eq,
        Some(semicolon) => return Some((IGNORED, IGNORED, &params[semicolon + 1..])),
        None => return Some((IGNORED, IGNORED, &[])),
    };
    let name = trim_end(&params[..eq]);
    if !name.is_empty() && !is_token(name) {
        return None;
    }
    let after = trim_start(&params[eq + 1..]);
    let (value, rest) = if after.first() == Some(&b'"') {
        let end = quoted_string_end(after)?;
        (&after[..end], &after[end..])
    } else {
        let end = after.iter().position(|&b| b == b';').unwrap_or(after.len());
        (trim_end(&after[..end]), &after[end..])
    };
    // After the value only whitespace may stand before the next `;`.
    let rest = trim_start(rest);
    let rest = match rest.split_first() {
        None => rest,
        Some((b';', rest)) => rest,
        Some(_) => return None,
    };
    if name.is_empty() || value.is_empty() {
        return Some((IGNORED, IGNORED, rest));
    }
    if value[0] != b'"' && !is_token(value) {
        return None;
    }
    Some((name, value, rest))
}

/// Given bytes starting with `"`, returns the index just past the closing quote.
fn quoted_string_end(bytes: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    None
}

/// Parses a weight: `0`, `0.5`, `1.000`, and leniently `.5` and more than three decimals
/// (ignored past the third). Anything else, or a value above 1, is `None`.
fn parse_q(value: &[u8]) -> Option<Weight> {
    // The weights clients send, answered as the general case below would answer them.
    let digit = |d: u8| d - b'0';
    match *value {
        [b'0', b'.', d @ b'0'..=b'9'] => return Some(Weight::from_decimals(digit(d), 0, 0)),
        [b'0', b'.', d1 @ b'0'..=b'9', d2 @ b'0'..=b'9'] => {
            return Some(Weight::from_decimals(digit(d1), digit(d2), 0))
        }
        [b'1'] => return Some(Weight::ONE),
        _ => {}
    }
    let (int, frac) = match value.iter().position(|&b| b == b'.') {
        Some(dot) => (&value[..dot], &value[dot + 1..]),
        None => (value, &[][..]),
    };
    let whole = match int {
        b"0" | b"" => 0,
        b"1" => 1,
        _ => return None,
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if whole == 1 {
        // `1.000...` only.
        return frac.iter().all(|&d| d == b'0').then_some(Weight::ONE);
    }
    // Digits after the third are ignored.
    let decimal = |i: usize| frac.get(i).map_or(0, |&d| digit(d));
    Some(Weight::from_decimals(decimal(0), decimal(1), decimal(2)))
}

// ---------------------------------------------------------------------------------------------
// Tokens and whitespace.

/// Whether `subtype` ends with `suffix` (compared without regard to ASCII case) after a name of
/// at least one byte: `problem+json` has the suffix `+json`, `+json` alone does not.
#[inline]
pub(super) fn has_suffix(subtype: &[u8], suffix: &[u8]) -> bool {
    subtype.len() > suffix.len()
        && subtype[subtype.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// RFC 9110 `token`: one or more `tchar`.
#[inline]
fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && token_len(bytes) == bytes.len()
}

/// The length of the run of `tchar`s at the start of `bytes`.
#[inline]
fn token_len(bytes: &[u8]) -> usize {
    // Two bytes per round: the loop's own compare and branch once per two bytes, not once per
    // byte.
    let mut i = 0;
    while let Some(&[first, second]) = bytes.get(i..i + 2) {
        if !TCHAR[usize::from(first)] {
            return i;
        }
        if !TCHAR[usize::from(second)] {
            return i + 1;
        }
        i += 2;
    }
    match bytes.get(i) {
        Some(&b) if TCHAR[usize::from(b)] => i + 1,
        _ => i,
    }
}

/// `TCHAR[b]` is whether `b` is an RFC 9110 `tchar`.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_tchar(b as u8);
        b += 1;
    }
    table
};

const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

#[inline]
fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

#[inline]
pub(super) fn trim(bytes: &[u8]) -> &[u8] {
    trim_end(trim_start(bytes))
}

#[inline]
fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_ows(b))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

#[inline]
fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&b| !is_ows(b)).map_or(0, |i| i + 1);
    &bytes[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits a field value into its elements with [`element_end`], as `rank` does.
    struct Elements<'a> {
        rest: Option<&'a [u8]>,
    }

    impl<'a> Elements<'a> {
        fn new(value: &'a [u8]) -> Self {
            Self { rest: Some(value) }
        }
    }

    impl<'a> Iterator for Elements<'a> {
        type Item = &'a [u8];

        fn next(&mut self) -> Option<&'a [u8]> {
            let bytes = self.rest?;
            let end = element_end(bytes, 0);
            self.rest = bytes.get(end + 1..);
            Some(&bytes[..end])
        }
    }

    #[test]
    fn ranges_say_what_they_match_and_where_they_end() {
        use super::super::{EXACT, SUFFIX, TYPE_WILDCARD};
        use Range::{Irrelevant, Malformed, Matches, MatchesNothing};

        let json = Target::Json(EXACT);
        #[rustfmt::skip]
        let cases: &[(&str, bool, Range)] = &[
            ("application/json;q=0.5", false, Matches { target: json, end: 16 }),
            ("application/json;q=0.5", true, Matches { target: json, end: 16 }),
            ("  Application/Vnd.X+JSON", false, Matches { target: Target::Json(SUFFIX), end: 24 }),
            ("application/*", false, Matches { target: Target::Both(TYPE_WILDCARD), end: 13 }),
            ("text/xml ;q=1", false, Matches { target: Target::TextXml, end: 8 }),
            ("*/*", false, Matches { target: Target::ANY, end: 3 }),
            ("*;q=.2", false, Matches { target: Target::ANY, end: 1 }),
            // Ranges that match nothing: read unless `only_targets`.
            ("text/html;level=1", false, MatchesNothing { end: 9 }),
            ("text/html;level=1", true, Irrelevant { resume: 9 }),
            ("application/octet-stream", true, Irrelevant { resume: 24 }),
            ("\timage/png", false, MatchesNothing { end: 10 }),
            ("\timage/png", true, Irrelevant { resume: 1 }),
            // What follows the range is for `parse_params` to judge.
            ("image/png/x", false, MatchesNothing { end: 9 }),
            // Malformed whatever `only_targets` says, where a type the rules know is involved.
            ("application/", true, Malformed { resume: 12 }),
            ("text/ xml", false, Malformed { resume: 5 }),
            ("*/json", true, Malformed { resume: 6 }),
            // Malformed, and only found so when ranges that match nothing are read.
            ("/json", false, Malformed { resume: 0 }),
            ("application /json", false, Malformed { resume: 11 }),
            ("appli\"cation/json", false, Malformed { resume: 5 }),
            ("image/", false, Malformed { resume: 6 }),
        ];
        for &(input, only_targets, expected) in cases {
            assert_eq!(
                parse_range(input.as_bytes(), only_targets),
                expected,
                "{input:?}, only_targets: {only_targets}"
            );
        }
    }

    #[test]
    fn q_values() {
        let cases: &[(&str, Option<u16>)] = &[
            ("0", Some(0)),
            ("1", Some(1000)),
            ("0.5", Some(500)),
            ("0.25", Some(250)),
            ("0.125", Some(125)),
            ("0.1259", Some(125)),
            (".5", Some(500)),
            ("1.", Some(1000)),
            ("0.", Some(0)),
            ("1.000", Some(1000)),
            ("1.0000000", Some(1000)),
            ("1.001", None),
            ("2", None),
            ("01", None),
            ("", None),
            (".", None),
            ("0.5.5", None),
            ("-0.5", None),
            ("0x1", None),
            ("\"0.5\"", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_q(input.as_bytes()), expected.map(Weight), "q={input}");
        }
    }

    #[test]
    fn elements_split_outside_quotes_only() {
        let parts: Vec<&[u8]> = Elements::new(b"a/b;x=\"1,2\", c/d,,e/f;y=\"\\\",\"").collect();
        assert_eq!(
            parts,
            [&b"a/b;x=\"1,2\""[..], b" c/d", b"", b"e/f;y=\"\\\",\""]
        );
    }

    #[test]
    fn stray_quotes_do_not_hide_later_elements() {
        let parts: Vec<&[u8]> =
            Elements::new(b"appli\"cation/json, a/b;p=x\"y, c/d;q= \"1,2\", e/f;p=\"x\"y\", g/h")
                .collect();
        assert_eq!(
            parts,
            [
                &b"appli\"cation/json"[..],
                b" a/b;p=x\"y",
                b" c/d;q= \"1,2\"",
                b" e/f;p=\"x\"y\"",
                b" g/h"
            ]
        );
    }

    #[test]
    fn quotes_after_equals_open_only_once_a_semicolon_was_seen() {
        // Regression: `element_end` searched all the bytes before every `="` for a `;`, which is
        // quadratic in the length of `a="a="a="...`. The search now resumes where it stopped;
        // these check that it still finds the `;` wherever it stands.
        let no_semicolon = "a=\"".repeat(2_000) + ", text/xml";
        let parts: Vec<&[u8]> = Elements::new(no_semicolon.as_bytes()).collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1], b" text/xml");

        // A `;` late in the element, after many `="` that opened nothing.
        let late = "x=\"".repeat(100) + ";p=\"a,b\", application/xml";
        let parts: Vec<&[u8]> = Elements::new(late.as_bytes()).collect();
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert_eq!(parts[1], b" application/xml");

        // Between two `="`, with other delimiters and whitespace around.
        let parts: Vec<&[u8]> = Elements::new(b"a=\"x, b ; c = \"1,2\" , d=\"e, f/g").collect();
        assert_eq!(
            parts,
            [&b"a=\"x"[..], b" b ; c = \"1,2\" ", b" d=\"e", b" f/g"]
        );
    }
}
