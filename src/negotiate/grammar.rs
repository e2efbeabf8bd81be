//! The grammar of an `Accept` field value, as this crate reads it: where an element ends, what its
//! media range is, and what weight its parameters give it.
//!
//! An element is `media-range *( OWS ";" OWS parameter )`, and elements are separated by `,`
//! (RFC 9110, section 12.5.1), with the leniency the [parent module](super) documents. The
//! general rules read an element in three steps ([`read_element`]):
//!
//! 1. [`parse_range`]: the media range, and where it ends;
//! 2. [`element_end`]: where the element ends, at the next `,` outside a quoted string;
//! 3. [`parse_params`]: the weight, from the bytes between the two.
//!
//! What a media range matches is the caller's business: the layer's representations
//! ([`Target`](super::Target)) or any list of media types ([`weigh`](super::weigh::weigh)). Everything
//! here works on bytes and allocates nothing.

use super::Weight;

// ---------------------------------------------------------------------------------------------
// Elements.

/// What an element says, as [`read_element`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Element<T> {
    /// A well-formed element whose media range matches `T`, with this weight.
    Offers(T, Weight),
    /// A well-formed element whose media range matches nothing (`text/html`, to the layer).
    Parses,
    /// A malformed element, or one whose media range matches nothing and whose parameters were
    /// not read because `skip_unmatched` was asked for: either way, one that changes nothing.
    Skipped,
}

impl<T> Element<T> {
    /// What a well-formed element says: it matches `matched`, if anything, with weight `q`.
    pub(super) fn parsed(matched: Option<T>, q: Weight) -> Element<T> {
        match matched {
            Some(matched) => Element::Offers(matched, q),
            None => Element::Parses,
        }
    }
}

/// Calls `read` with each element of the field value `bytes`, from the element's first byte to the
/// end of the value; `read` returns where the element ends (the index of the `,` after it, or the
/// length of what it was given).
#[inline(always)]
pub(super) fn each_element(mut bytes: &[u8], mut read: impl FnMut(&[u8]) -> usize) {
    loop {
        let end = read(bytes);
        // Past the `,` that ends the element, if there is one.
        let Some(next) = bytes.get(end + 1..) else {
            break;
        };
        bytes = next;
    }
}

/// Reads the element at the start of `bytes` (a field value from an element on) by the general
/// rules, and returns what it says and where it ends (the index of the `,` after it, or the length
/// of `bytes`). `matches` says what a media range matches, if anything.
///
/// With `skip_unmatched` (for a caller to whom such an element can no longer change the outcome),
/// an element whose range matches nothing is [`Element::Skipped`] without its parameters being
/// read.
#[inline]
pub(super) fn read_element<T>(
    bytes: &[u8],
    skip_unmatched: bool,
    matches: impl FnOnce(MediaRange<'_>) -> Option<T>,
) -> (Element<T>, usize) {
    let (matched, range_end) = match parse_range(bytes) {
        Ok((range, end)) => (matches(range), end),
        Err(resume) => return (Element::Skipped, element_end(bytes, resume)),
    };
    let end = element_end(bytes, range_end);
    if matched.is_none() && skip_unmatched {
        return (Element::Skipped, end);
    }
    match parse_params(&bytes[range_end..end]) {
        Some(q) => (Element::parsed(matched, q), end),
        None => (Element::Skipped, end),
    }
}

// ---------------------------------------------------------------------------------------------
// Media ranges.

/// A media range as it was sent: `type/subtype`, both tokens, in the client's case. `*` alone
/// reads as `*/*`, and `*/subtype` is not a media range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct MediaRange<'a> {
    pub(super) ty: &'a [u8],
    pub(super) subtype: &'a [u8],
}

impl MediaRange<'_> {
    /// `*/*`, and `*` alone.
    pub(super) const ANY: MediaRange<'static> = MediaRange {
        ty: b"*",
        subtype: b"*",
    };
}

/// Reads the media range at the start of `bytes`, after optional whitespace: the range and the
/// index just past it, where its parameters (if any) start. `Err` holds where to search for the
/// end of an element whose range is malformed.
///
/// The range ends at the first byte that is not a token character; [`parse_params`] then checks
/// that only whitespace stands before the `;` or the end. Every position returned is inside the
/// range or just past it, where no `,` or `"` has been passed, so [`element_end`] can start
/// from it.
#[inline]
pub(super) fn parse_range(bytes: &[u8]) -> Result<(MediaRange<'_>, usize), usize> {
    let start = skip_ows(bytes, 0);
    let ty_end = token_end(bytes, start);
    let ty = &bytes[start..ty_end];
    match (ty, bytes.get(ty_end)) {
        (b"", _) => return Err(start),
        (_, Some(b'/')) => {}
        (b"*", _) => return Ok((MediaRange::ANY, ty_end)),
        _ => return Err(ty_end),
    }
    let subtype_end = token_end(bytes, ty_end + 1);
    let subtype = &bytes[ty_end + 1..subtype_end];
    if subtype.is_empty() || (ty == b"*" && subtype != b"*") {
        return Err(subtype_end);
    }
    Ok((MediaRange { ty, subtype }, subtype_end))
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
    // where the last search ended, so that `a="a="a="...` takes linear time.
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
/// above it may be marked falsely, which does not matter for the lowest). The last bytes are read
/// as the last eight, of which those already searched are not looked at.
// perf: kept over `memchr::memchr2`, which takes twice the time on the few bytes to the next `,`
// that real headers have, and wins only on a long hostile value, linear either way;
// bench: find_delimiter/{hand_scan,memchr2}/{chromium,firefox,java,quoted,hostile_3kb}.
// `pub` only so that `__private` can hand it to benches/negotiate.rs; the module is private.
#[inline]
pub fn find_delimiter(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    fn zero_bytes(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & HIGHS
    }
    let marks = |word: u64| {
        zero_bytes(word ^ (ONES * u64::from(b','))) | zero_bytes(word ^ (ONES * u64::from(b'"')))
    };
    let mut words = bytes.chunks_exact(8);
    let mut i = 0;
    for word in words.by_ref() {
        let found = marks(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        if found != 0 {
            return i + found.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    let len = bytes.len();
    match bytes.last_chunk::<8>() {
        _ if i == len => len,
        Some(last) => {
            // The first `8 - (len - i)` of the last eight bytes were searched already, and held
            // no `,` or `"`, so none of them marks a byte after it falsely.
            let searched = 8 - (len - i);
            match marks(u64::from_le_bytes(*last)) >> (8 * searched) {
                0 => len,
                found => i + found.trailing_zeros() as usize / 8,
            }
        }
        None => {
            let rest = words.remainder();
            i + rest
                .iter()
                .position(|&b| matches!(b, b',' | b'"'))
                .unwrap_or(rest.len())
        }
    }
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
// perf: inlined into the walk, which calls it from another codegen unit for weights such as
// Java's `q=.2`; bench: negotiate/tower_api_error/java.
#[inline(always)]
pub(super) fn parse_q(value: &[u8]) -> Option<Weight> {
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
// Names, tokens and whitespace.

/// A name to compare bytes with, without regard to ASCII case, a word at a time: made of
/// lowercase letters and of other bytes that are not letters (compared as they are), at most 16
/// bytes.
// perf: compares eight bytes at once where `eq_ignore_ascii_case` lowercases byte by byte;
// bench: negotiate/tower_api_error/chromium.
#[derive(Debug, Clone, Copy)]
pub(super) struct CaselessName {
    len: usize,
    /// The name, eight bytes a word, little-endian, padded with zeros.
    words: [u64; 2],
    /// Bit 5 of each byte where the name holds a letter: setting it lowercases an ASCII letter
    /// and maps no other byte onto a lowercase letter.
    case: [u64; 2],
}

impl CaselessName {
    /// The name `lower` (lowercase letters and bytes that are not letters, at most 16).
    pub(super) const fn new(lower: &[u8]) -> CaselessName {
        assert!(lower.len() <= 16);
        let mut name = CaselessName {
            len: lower.len(),
            words: [0; 2],
            case: [0; 2],
        };
        let mut i = 0;
        while i < lower.len() {
            let b = lower[i];
            assert!(!b.is_ascii_uppercase());
            let shift = 8 * (i % 8);
            name.words[i / 8] |= (b as u64) << shift;
            if b.is_ascii_lowercase() {
                name.case[i / 8] |= 0x20 << shift;
            }
            i += 1;
        }
        name
    }

    /// Whether `bytes` is this name, in any ASCII case.
    #[inline(always)]
    pub(super) fn is(&self, bytes: &[u8]) -> bool {
        if bytes.len() != self.len {
            return false;
        }
        let (low, high) = bytes.split_at(self.len.min(8));
        word(low) | self.case[0] == self.words[0]
            && (high.is_empty() || word(high) | self.case[1] == self.words[1])
    }

    /// Whether `bytes[i..]` starts with this name, in any ASCII case.
    #[inline(always)]
    pub(super) fn at(&self, bytes: &[u8], i: usize) -> bool {
        bytes.get(i..i + self.len).is_some_and(|name| self.is(name))
    }

    /// Whether `bytes` ends with this name, in any ASCII case, after at least one other byte.
    #[inline(always)]
    pub(super) fn ends(&self, bytes: &[u8]) -> bool {
        bytes.len() > self.len && self.is(&bytes[bytes.len() - self.len..])
    }
}

/// At most eight bytes as a little-endian word, padded with zeros.
#[inline(always)]
fn word(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// The index of the first byte at or after `i` that is not a `tchar`, or the length of `bytes`.
#[inline(always)]
pub(super) fn token_end(bytes: &[u8], i: usize) -> usize {
    i + token_len(&bytes[i..])
}

/// Whether `bytes[i]` is a `tchar` (`false` past the end).
#[inline(always)]
pub(super) fn is_tchar_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i).is_some_and(|&b| is_tchar(b))
}

/// The index of the first byte at or after `i` that is not whitespace, or the length of `bytes`.
#[inline(always)]
pub(super) fn skip_ows(bytes: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t') = bytes.get(i) {
        i += 1;
    }
    i
}

/// RFC 9110 `token`: one or more `tchar`.
#[inline]
fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && token_len(bytes) == bytes.len()
}

/// The length of the run of `tchar`s at the start of `bytes`.
#[inline]
fn token_len(bytes: &[u8]) -> usize {
    // perf: two bytes per round, so that the loop's own compare and branch run once per two
    // bytes; bench: negotiate/tower_api_error/chromium.
    let mut i = 0;
    while let Some(&[first, second]) = bytes.get(i..i + 2) {
        if !is_tchar(first) {
            return i;
        }
        if !is_tchar(second) {
            return i + 1;
        }
        i += 2;
    }
    match bytes.get(i) {
        Some(&b) if is_tchar(b) => i + 1,
        _ => i,
    }
}

/// Whether `b` is an RFC 9110 `tchar`.
#[inline(always)]
pub(super) fn is_tchar(b: u8) -> bool {
    TCHAR[usize::from(b)]
}

/// `TCHAR[b]`: whether byte `b` is an RFC 9110 `tchar`.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8,
            b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_'
            | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z');
        b += 1;
    }
    table
};

/// `OWS`: a space or a tab.
#[inline]
const fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
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
        use super::super::{Target, EXACT, SUFFIX, TYPE_WILDCARD};

        /// What the layer's representations make of a range: what it matches and where it ends,
        /// or where to resume the search for the end of a malformed element.
        type Read = Result<(Option<Target>, usize), usize>;

        fn read(input: &str) -> Read {
            parse_range(input.as_bytes()).map(|(range, end)| (Target::of_range(range), end))
        }

        let json = Target::Json(EXACT);
        #[rustfmt::skip]
        let cases: &[(&str, Read)] = &[
            ("application/json;q=0.5", Ok((Some(json), 16))),
            ("  Application/Vnd.X+JSON", Ok((Some(Target::Json(SUFFIX)), 24))),
            ("application/*", Ok((Some(Target::Both(TYPE_WILDCARD)), 13))),
            ("text/xml ;q=1", Ok((Some(Target::TextXml), 8))),
            ("*/*", Ok((Some(Target::ANY), 3))),
            ("*;q=.2", Ok((Some(Target::ANY), 1))),
            // Ranges that match nothing.
            ("text/html;level=1", Ok((None, 9))),
            ("application/octet-stream", Ok((None, 24))),
            ("\timage/png", Ok((None, 10))),
            ("**/*", Ok((None, 4))),
            // What follows the range is for `parse_params` to judge.
            ("image/png/x", Ok((None, 9))),
            // Malformed.
            ("application/", Err(12)),
            ("text/ xml", Err(5)),
            ("*/json", Err(6)),
            ("*/", Err(2)),
            ("/json", Err(0)),
            ("application /json", Err(11)),
            ("appli\"cation/json", Err(5)),
            ("image/", Err(6)),
            ("**", Err(2)),
        ];
        for &(input, expected) in cases {
            assert_eq!(read(input), expected, "{input:?}");
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

    /// Haystacks of `find_delimiter` in the layer's negotiation, by case: the skipped tails of
    /// the elements of Chromium's, Firefox's and Java's `Accept` (what negotiating each header
    /// searches), a quoted parameter value with a comma, and a 3 KB hostile parameter value with
    /// no delimiter at all.
    pub(in crate::negotiate) fn delimiter_haystacks(case: &str) -> Vec<Vec<u8>> {
        let tails: &[&str] = match case {
            "chromium" => &[
                "image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                ";v=b3;q=0.7",
            ],
            "firefox" => &["image/avif,image/webp,*/*;q=0.8", "image/webp,*/*;q=0.8"],
            "java" => &[
                "image/gif, image/jpeg, *; q=.2, */*; q=.2",
                "image/jpeg, *; q=.2, */*; q=.2",
            ],
            "quoted" => &[
                ";profile=\"https://example.com/a,b\";q=0.9, application/xml",
                ";q=0.9, application/xml",
            ],
            "hostile_3kb" => return vec![[&b";p="[..], &[b'x'; 3000]].concat()],
            _ => panic!("no case {case:?}"),
        };
        tails.iter().map(|tail| tail.as_bytes().to_vec()).collect()
    }

    /// The subject that decides between `find_delimiter` and `memchr::memchr2`: each searches
    /// the haystacks of one case (`NEGOTIATE_CASE`, see `delimiter_haystacks`) `NEGOTIATE_N`
    /// times, in one binary. `callgrind_annotate --inclusive=yes` gives the instructions of each
    /// `measured_*` function:
    ///
    /// ```text
    /// cargo test --release --lib --no-run
    /// NEGOTIATE_CASE=chromium NEGOTIATE_N=2000 valgrind --tool=callgrind \
    ///     --callgrind-out-file=delimiter.out target/release/deps/tower_api_error-<hash> \
    ///     negotiate::grammar::tests::find_delimiter_or_memchr2 --ignored --exact
    /// callgrind_annotate --inclusive=yes delimiter.out | grep measured_
    /// ```
    #[test]
    #[ignore = "a subject for callgrind, not a test"]
    fn find_delimiter_or_memchr2() {
        use std::hint::black_box;

        let case = std::env::var("NEGOTIATE_CASE").unwrap_or_else(|_| "chromium".to_owned());
        let n: usize = std::env::var("NEGOTIATE_N").map_or(1, |n| n.parse().unwrap());
        let haystacks = delimiter_haystacks(&case);
        for haystack in &haystacks {
            assert_eq!(
                find_delimiter(haystack),
                memchr::memchr2(b',', b'"', haystack).unwrap_or(haystack.len())
            );
        }
        measured_hand_scan(&haystacks, n);
        measured_memchr2(&haystacks, n);

        #[inline(never)]
        fn measured_hand_scan(haystacks: &[Vec<u8>], n: usize) {
            for _ in 0..n {
                for haystack in haystacks {
                    black_box(find_delimiter(black_box(haystack)));
                }
            }
        }

        #[inline(never)]
        fn measured_memchr2(haystacks: &[Vec<u8>], n: usize) {
            for _ in 0..n {
                for haystack in haystacks {
                    let haystack = black_box(haystack);
                    black_box(memchr::memchr2(b',', b'"', haystack).unwrap_or(haystack.len()));
                }
            }
        }
    }
}
