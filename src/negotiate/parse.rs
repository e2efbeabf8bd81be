//! The byte scanner behind [`negotiate`](super::negotiate): where an element of an `Accept`
//! field value ends, and what its media range and parameters say.
//!
//! An element is `media-range *( OWS ";" OWS parameter )`, and elements are separated by `,`
//! (RFC 9110, section 12.5.1). The parent module reads each element with one call to
//! [`read_element`], which reads it in one walk from its first byte to its end:
//!
//! 1. the class of the first byte ([`CLASS`], one table look-up) says what the range can be:
//!    `application/...`, `text/...`, `*/*` or `*`, or anything else;
//! 2. the subtype: `xml`, `json` and `*` are compared a word at a time ([`Folded`]); any other
//!    subtype is read as a token, and what it matches looked up by its length and last bytes;
//! 3. [`read_params`]: the parameters the walk reads itself (none, `;q=0.9`, other tokens) and
//!    the `,` that ends the element, in the same walk.
//!
//! Once an element has parsed, a range that matches nothing can no longer change the outcome:
//! such an element (`text/html`, `image/avif`, `application/signed-exchange;v=b3`) is skipped
//! from where the walk found it can match nothing, with one search for the next `,` or `"`
//! ([`element_end`], eight bytes at a time).
//!
//! What the walk does not read itself (a quoted string, whitespace around a `=`, an empty
//! parameter, an invalid weight, an empty subtype, a type other than `application`, `text` and
//! `*` before an element has parsed) it leaves to [`read_element_in_general`], the general rules
//! in three steps over the element:
//!
//! 1. [`parse_range`]: what the media range matches, and where it ends;
//! 2. [`element_end`]: where the element ends, at the next `,` outside a quoted string;
//! 3. [`parse_params`]: the weight, from the bytes between the two.
//!
//! The two answer every element alike: the tests compare them on every element of a start and up
//! to three more bytes, and on generated ones. An element is read at most twice (the walk, then
//! the general rules), so the time stays linear in the length of the header.
//!
//! Everything here works on bytes and allocates nothing. Which media ranges match which
//! representation, and what the weights then decide, is the business of the
//! [parent module](super).

use super::{Target, Weight, EXACT, TYPE_WILDCARD};

// The walk is `#[inline(always)]`, and the small helpers it calls are `#[inline]`: the parent
// module is compiled in another codegen unit, where without the hints they stayed out of line
// (moving the scanner into this file cost 9 to 28% more instructions per `negotiate` call,
// callgrind as benches/instructions.sh counts them, until they were marked). The general rules
// are `#[cold]` and out of line, so that they take no room in the walk.

// ---------------------------------------------------------------------------------------------
// Elements: the walk.

/// What an element says, as [`read_element_in_general`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Element {
    /// A well-formed element whose media range matches `target`, with this weight.
    Offers(Target, Weight),
    /// A well-formed element whose media range matches no representation (`text/html`).
    Parses,
    /// A malformed element, or one whose media range matches no representation and was not read
    /// because `only_targets` was asked for: either way, one that changes nothing.
    Skipped,
}

impl Element {
    /// What a well-formed element says: it matches `target`, if any, with weight `q`.
    fn parsed(target: Option<Target>, q: Weight) -> Element {
        match target {
            Some(target) => Element::Offers(target, q),
            None => Element::Parses,
        }
    }
}

/// Reads the element at the start of `bytes` (a field value from an element on), calls
/// `parsed` with what it matches and its weight if it is well-formed, and returns where it ends
/// (the index of the `,` after it, or the length of `bytes`). With `only_targets` (once an
/// element has parsed, when a range that matches nothing can no longer change the outcome), such
/// an element is only skipped over, and `parsed` is not called for it.
///
/// This is the walk of the [module documentation](self); it answers every element as
/// [`read_element_in_general`] does, and leaves to it the elements it does not read itself.
#[inline(always)]
pub(super) fn read_element(
    bytes: &[u8],
    only_targets: bool,
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
                None if only_targets => {
                    let end = token_end(bytes, subtype);
                    match Target::of_application(&bytes[subtype..end]) {
                        Some(target) => (Some(target), end),
                        None => return element_end(bytes, end),
                    }
                }
                None => {
                    let end = token_end(bytes, subtype);
                    if end == subtype {
                        return in_general(bytes, only_targets, parsed);
                    }
                    (Target::of_application(&bytes[subtype..end]), end)
                }
            }
        }
        TEXT if strip_text(&bytes[start..]).is_some() => {
            let subtype = start + b"text/".len();
            if XML.at(bytes, subtype) && !is_tchar_at(bytes, subtype + 3) {
                (Some(Target::TextXml), subtype + 3)
            } else if only_targets {
                return element_end(bytes, subtype);
            } else {
                let end = token_end(bytes, subtype);
                if end == subtype {
                    return in_general(bytes, only_targets, parsed);
                }
                (None, end)
            }
        }
        STAR => match bytes.get(start + 1) {
            Some(b'/') if bytes.get(start + 2) == Some(&b'*') && !is_tchar_at(bytes, start + 3) => {
                (Some(Target::ANY), start + 3)
            }
            // `*/subtype`, or a type that starts with `*`.
            Some(&b) if b == b'/' || is_tchar(b) => return in_general(bytes, only_targets, parsed),
            _ => (Some(Target::ANY), start + 1),
        },
        _ if only_targets => return element_end(bytes, start),
        _ => return in_general(bytes, only_targets, parsed),
    };
    match read_params(bytes, range_end) {
        Some((q, end)) => {
            parsed(target, q);
            end
        }
        None => in_general(bytes, only_targets, parsed),
    }
}

/// `xml`, `json` or `*` at `subtype`, as a whole token: what it matches and where it ends. These
/// need no search for the end of the subtype; [`Target::of_application`] answers the same for
/// them.
#[inline(always)]
fn exact_application(bytes: &[u8], subtype: usize) -> Option<(Target, usize)> {
    const JSON: Folded = Folded::new(b"json");
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
const XML: Folded = Folded::new(b"xml");

/// [`read_element`] by [`read_element_in_general`].
#[inline(always)]
fn in_general(
    bytes: &[u8],
    only_targets: bool,
    mut parsed: impl FnMut(Option<Target>, Weight),
) -> usize {
    let (element, end) = read_element_in_general(bytes, only_targets);
    match element {
        Element::Offers(target, q) => parsed(Some(target), q),
        Element::Parses => parsed(None, Weight::ONE),
        Element::Skipped => {}
    }
    end
}

/// What the element at the start of `bytes` says, and where it ends, by the general rules: the
/// range read by [`parse_range`], the element's end found by [`element_end`], the weight read by
/// [`parse_params`]. [`read_element`] answers as this does; its walk leaves to this the elements
/// it does not read itself.
#[cold]
#[inline(never)]
pub(super) fn read_element_in_general(bytes: &[u8], only_targets: bool) -> (Element, usize) {
    let (target, range_end) = match parse_range(bytes, only_targets) {
        Range::Matches { target, end } => (Some(target), end),
        Range::MatchesNothing { end } => (None, end),
        Range::Malformed { resume } | Range::Irrelevant { resume } => {
            return (Element::Skipped, element_end(bytes, resume));
        }
    };
    let end = element_end(bytes, range_end);
    match parse_params(&bytes[range_end..end]) {
        Some(q) => (Element::parsed(target, q), end),
        None => (Element::Skipped, end),
    }
}

/// Reads the parameters of the element whose media range ends at `from`: the weight, and where
/// the element ends (the index of the `,` after it, or the length of `bytes`). `bytes[..from]`
/// must hold no `,` or `"`.
///
/// The parameters clients send (`;q=0.9`, `; q=.2`, `;v=b3;q=0.7`: tokens, with whitespace
/// only around the `;`) are read in the same walk that finds the element's end, as
/// [`parse_params`] would read them. Anything else (a quoted string, whitespace around a `=`,
/// an empty parameter, an invalid weight, a byte that cannot stand there) is `None`: the
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
        Some((b'*', after)) if after.first().is_none_or(|&b| !is_tchar(b)) => Range::Matches {
            target: Target::ANY,
            end: start + 1,
        },
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
    let (low, high) = head.split_at(8);
    let low = u64::from_le_bytes(low.try_into().ok()?) | CASE;
    // The `/` is compared as it is: no case bit for the last byte.
    let high = u32::from_le_bytes(high.try_into().ok()?) | u32::from_le_bytes(*b"   \0");
    (low == u64::from_le_bytes(*b"applicat") && high == u32::from_le_bytes(*b"ion/"))
        .then_some(rest)
}

/// `bytes` after a leading `text/` (in any case).
fn strip_text(bytes: &[u8]) -> Option<&[u8]> {
    // Four bytes compared at once, as in `strip_application`: `eq_ignore_ascii_case` lowercased
    // them one by one, about 30 instructions for every element that starts with a `t`.
    let (head, rest) = bytes.split_first_chunk::<5>()?;
    let (text, slash) = head.split_first_chunk::<4>()?;
    (u32::from_le_bytes(*text) | u32::from_le_bytes(*b"    ") == u32::from_le_bytes(*b"text")
        && slash[0] == b'/')
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
/// above it may be marked falsely, which does not matter for the lowest). The last bytes are read
/// as the last eight, of which those already searched are not looked at: searching them one by
/// one was up to 30 instructions for each element near the end of a field value.
#[inline]
fn find_delimiter(bytes: &[u8]) -> usize {
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
#[inline]
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

/// A name to compare bytes with, without regard to ASCII case, a word at a time: made of
/// lowercase letters and of other bytes that are not letters (compared as they are), at most 16
/// bytes. `eq_ignore_ascii_case` lowercases byte by byte, about seven instructions each.
#[derive(Debug, Clone, Copy)]
pub(super) struct Folded {
    len: usize,
    /// The name, eight bytes a word, little-endian, padded with zeros.
    words: [u64; 2],
    /// Bit 5 of each byte where the name holds a letter: setting it lowercases an ASCII letter
    /// and maps no other byte onto a lowercase letter.
    case: [u64; 2],
}

impl Folded {
    /// The name `lower` (lowercase letters and bytes that are not letters, at most 16).
    pub(super) const fn new(lower: &[u8]) -> Folded {
        assert!(lower.len() <= 16);
        let mut folded = Folded {
            len: lower.len(),
            words: [0; 2],
            case: [0; 2],
        };
        let mut i = 0;
        while i < lower.len() {
            let b = lower[i];
            assert!(!b.is_ascii_uppercase());
            let shift = 8 * (i % 8);
            folded.words[i / 8] |= (b as u64) << shift;
            if b.is_ascii_lowercase() {
                folded.case[i / 8] |= 0x20 << shift;
            }
            i += 1;
        }
        folded
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

/// Whether `subtype` ends with `suffix` (compared without regard to ASCII case) after a name of
/// at least one byte: `problem+json` has the suffix `+json`, `+json` alone does not.
#[inline]
pub(super) fn has_suffix(subtype: &[u8], suffix: &[u8]) -> bool {
    subtype.len() > suffix.len()
        && subtype[subtype.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// The index of the first byte at or after `i` that is not a `tchar`, or the length of `bytes`.
#[inline(always)]
fn token_end(bytes: &[u8], i: usize) -> usize {
    i + token_len(&bytes[i..])
}

/// Whether `bytes[i]` is a `tchar` (`false` past the end).
#[inline(always)]
fn is_tchar_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i).is_some_and(|&b| is_tchar(b))
}

/// The index of the first byte at or after `i` that is not whitespace, or the length of `bytes`.
#[inline(always)]
fn skip_ows(bytes: &[u8], mut i: usize) -> usize {
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
    // Two bytes per round: the loop's own compare and branch once per two bytes, not once per
    // byte.
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

/// `CLASS[b]` says what byte `b` is: whether it is a `tchar` ([`TOKEN`]), and its [`KIND`]:
/// whitespace, or what a media range that starts with it can be. One look-up at the start of an
/// element answers what took up to six comparisons.
static CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = match byte {
            b'a' | b'A' => APPLICATION,
            b't' | b'T' => TEXT,
            b'*' => STAR,
            b' ' | b'\t' => WHITE,
            _ => 0,
        } | if tchar(byte) { TOKEN } else { 0 };
        b += 1;
    }
    table
};

/// In [`CLASS`]: an RFC 9110 `tchar`.
const TOKEN: u8 = 1;
/// In [`CLASS`]: the bits that say what kind of byte starts a media range, or whitespace.
const KIND: u8 = 0b1110;
/// A [`KIND`]: whitespace, `OWS`.
const WHITE: u8 = 0b0010;
/// A [`KIND`]: the start of `application/...`.
const APPLICATION: u8 = 0b0100;
/// A [`KIND`]: the start of `text/...`.
const TEXT: u8 = 0b0110;
/// A [`KIND`]: the start of `*/*` or `*`.
const STAR: u8 = 0b1000;

/// The [`KIND`] of `bytes[i]`, or 0 past the end.
#[inline(always)]
fn kind_at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).map_or(0, |&b| CLASS[usize::from(b)] & KIND)
}

/// Whether `b` is an RFC 9110 `tchar`.
#[inline(always)]
fn is_tchar(b: u8) -> bool {
    CLASS[usize::from(b)] & TOKEN != 0
}

/// RFC 9110 `tchar`, for [`CLASS`].
const fn tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// `OWS`: a space or a tab.
#[inline]
const fn is_ows(b: u8) -> bool {
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

    /// [`read_element`], with what it reports as an [`Element`], as
    /// [`read_element_in_general`] answers.
    fn walked(bytes: &[u8], only_targets: bool) -> (Element, usize) {
        let mut element = Element::Skipped;
        let end = read_element(bytes, only_targets, |target, q| {
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
                    for only_targets in [false, true] {
                        assert_eq!(
                            walked(&tail, only_targets),
                            read_element_in_general(&tail, only_targets),
                            "{:?}, only_targets: {only_targets}",
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
            only_targets: bool,
        ) {
            let bytes = [start.as_bytes(), &pieces.concat()].concat();
            proptest::prop_assert_eq!(
                walked(&bytes, only_targets),
                read_element_in_general(&bytes, only_targets),
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
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
