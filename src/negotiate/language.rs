//! `Accept-Language`: which of an application's languages a request asks for, read with the
//! list grammar of `Accept` ([`grammar`](super::grammar)).
//!
//! The rules are in the docs of [`negotiate_language`]. How they are applied in one pass: every
//! well-formed element is compared with every available tag, and each tag keeps the best
//! [`Key`] by which a range with a weight above 0 would choose it, while ranges with `q=0` set
//! the tag's bit in a mask of excluded tags. At the end the tag with the lowest key that is not
//! excluded is the answer. This is the rule "ranges by descending weight, then header order;
//! for one range, its candidates in order; skip excluded tags" (see [`Key`] for why), read
//! without storing the ranges, so that it works on field lines that can be iterated only once.

use http::{header::ACCEPT_LANGUAGE, HeaderMap, HeaderValue};

use super::{
    grammar::{each_element, element_end, is_tchar_at, parse_params, skip_ows},
    Weight,
};
use crate::language::is_tag;

/// Picks the language to answer in from the request's `Accept-Language` field lines: the index
/// into `available` of the language chosen, or `None` when the header chooses none of them.
///
/// `available` lists the application's languages in order, its default first (for example
/// `["en", "pt-BR"]`). `None` means that the header is absent or empty, that none of its elements
/// is well formed, or that nothing it asks for is available; the caller then answers in its
/// default, `available[0]`. [`negotiate_language_values`] takes the field values themselves.
///
/// # The rules
///
/// `Accept-Language` is read as RFC 9110, section 12.5.4, describes it, with the list grammar
/// and the leniency of `Accept` (see the [module documentation](crate::negotiate)), and
/// matched as RFC 4647 describes:
///
/// * All `Accept-Language` field lines are combined, as if joined by commas.
/// * Each element is a language range, `*` or `1*8ALPHA *("-" 1*8alphanum)` (RFC 4647, section
///   2.1), compared with the available tags without regard to ASCII case, then optional
///   parameters, of which only `q` counts. Parameters are read as for `Accept`: quoted strings
///   may hold commas, `q` is a weight from 0 to 1 (digits after the third decimal are ignored,
///   `q=` with no value is ignored), and a range without `q` has weight 1.
/// * An element that is not well formed is skipped, and the rest of the header still counts:
///   a byte other than a letter, a digit or `-` in the range, an empty subtag or one longer than
///   8, a digit in the first subtag, a range longer than 64 bytes, a weight above 1 or not a
///   number. A header is never an error, and never makes this panic.
/// * Ranges are taken by descending weight; ranges of equal weight keep the order of the header.
///   The first range that has a candidate decides.
/// * For one range, the candidate is, in this order:
///   1. an available tag equal to the range;
///   2. the first available tag that the range is a prefix of, at a subtag boundary: `pt` gives
///      `pt-BR` (basic filtering, RFC 4647, section 3.3.1);
///   3. lookup by truncation (RFC 4647, section 3.4): the range's last subtag is dropped and 1
///      and 2 are tried again with what remains, repeatedly: `pt-PT` gives `pt`, then `pt-BR`;
///      `zh-Hant-TW` gives `zh-Hant`, then `zh`.
///
///   So the language a client prefers wins over a closer match of one it likes less:
///   `pt-PT, en;q=0.9` from an application with `en, pt-BR` gives `pt-BR`. Each range falls back
///   to its own variants before the next range is looked at, as in Django's
///   `get_supported_language_variant`, except that Django tries the truncated ranges before the
///   tags that extend the range.
/// * `*` gives the first available tag that is not excluded.
/// * A range with `q=0` excludes every available tag it matches by 1 or 2 (not by truncation).
///   An excluded tag is never chosen, whatever else matches it: the candidates above are looked
///   for among the tags that are not excluded. With `en, pt-BR`, `pt;q=0, *` gives `en` and
///   `en;q=0, *` gives `pt-BR`. `*;q=0` excludes nothing: a language the client does not name
///   is chosen only through a `*` it sends.
/// * Only the first 64 available tags take part; a later one is never chosen. An available
///   language that is not a well-formed tag (see
///   [`LanguageTag`](crate::language::LanguageTag)) is never chosen either.
///
/// # Cost
///
/// Nothing allocates. The field lines are read once, each byte a bounded number of times, and
/// each well-formed element is compared with each available tag (at most 64 bytes of each):
/// the time is O(header length × number of available tags), whatever a client sends.
///
/// # Example
///
/// ```
/// use http::{header::ACCEPT_LANGUAGE, HeaderMap, HeaderValue};
/// use tower_api_error::negotiate::negotiate_language;
///
/// let available = ["en", "pt-BR"];
/// let mut headers = HeaderMap::new();
/// let mut choose = |accept_language: &'static str| {
///     headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static(accept_language));
///     negotiate_language(&headers, &available)
/// };
/// // A browser's header.
/// assert_eq!(choose("pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7"), Some(1));
/// // `pt` reaches `pt-BR`, and `pt-PT` does too, by truncation to `pt`.
/// assert_eq!(choose("pt"), Some(1));
/// assert_eq!(choose("pt-PT, en;q=0.9"), Some(1));
/// // Weights first, then the order of the header.
/// assert_eq!(choose("en;q=0.9, pt"), Some(1));
/// assert_eq!(choose("pt, en"), Some(1));
/// // `*` reaches the default when nothing the client names is available.
/// assert_eq!(choose("*;q=0.1, fr"), Some(0));
/// // Exclusions, and `*`.
/// assert_eq!(choose("pt;q=0, *"), Some(0));
/// assert_eq!(choose("en;q=0, *"), Some(1));
/// // Nothing available: the caller answers in its default, `available[0]`.
/// assert_eq!(choose("fr, de"), None);
/// assert_eq!(negotiate_language(&HeaderMap::new(), &available), None);
/// ```
pub fn negotiate_language<T: AsRef<str>>(headers: &HeaderMap, available: &[T]) -> Option<usize> {
    negotiate_language_values(
        headers
            .get_all(ACCEPT_LANGUAGE)
            .iter()
            .map(HeaderValue::as_bytes),
        available,
    )
}

/// Picks the language to answer in from already-separated `Accept-Language` field values: the
/// index into `available` of the language chosen, or `None` when the values choose none of
/// them.
///
/// This is [`negotiate_language`] for callers whose headers are not in a [`HeaderMap`]: it gives
/// the answer `negotiate_language` gives for a map holding these field lines, in this order.
/// See [`negotiate_language`] for the rules.
///
/// # Example
///
/// ```
/// use tower_api_error::negotiate::negotiate_language_values;
///
/// let available = ["en", "pt-BR", "zh-Hant"];
/// // Two field lines, read as one `Accept-Language: fr, zh-Hant-TW;q=0.5, en;q=0.4`.
/// let lines: [&[u8]; 2] = [b"fr", b"zh-Hant-TW;q=0.5, en;q=0.4"];
/// assert_eq!(negotiate_language_values(lines, &available), Some(2));
///
/// // Elements that are not well formed are skipped, the rest still counts.
/// let lines: [&[u8]; 1] = [b"pt_BR, en-GB-oxendict-extralongsubtag, de;q=2, PT-br;q=0.1"];
/// assert_eq!(negotiate_language_values(lines, &available), Some(1));
///
/// // No field line at all.
/// assert_eq!(negotiate_language_values([], &available), None);
/// ```
pub fn negotiate_language_values<'a, I, T>(values: I, available: &[T]) -> Option<usize>
where
    I: IntoIterator<Item = &'a [u8]>,
    T: AsRef<str>,
{
    let mut values = values.into_iter();
    // No field line: nothing to compare the tags with, nor to check them for.
    let first = values.next()?;
    let mut choice = Choice::new(available)?;
    choice.read_value(first);
    for value in values {
        choice.read_value(value);
    }
    choice.best()
}

/// The most available tags that take part: each has a bit in a `u64`.
const MAX_TAGS: usize = 64;

/// The longest language range read, in bytes: a longer one is malformed. It bounds the cost of
/// comparing a range with a tag, and the number of its subtags (at most 32, see [`Key`]).
const MAX_RANGE_LEN: usize = 64;

/// What the elements read so far say about the available tags.
struct Choice<'t, T> {
    /// The available tags, of which the first [`MAX_TAGS`] take part.
    available: &'t [T],
    /// Bit `j`: `available[j]` takes part (among the first 64, and a well-formed tag).
    usable: u64,
    /// Bit `j`: a range with `q=0` excluded `available[j]`.
    excluded: u64,
    /// Bit `j`: a range with a weight above 0 chose `available[j]`; its best key is `keys[j]`.
    chosen: u64,
    /// The best key of each chosen tag.
    keys: [Key; MAX_TAGS],
    /// The number of well-formed elements read so far, across field lines.
    position: u64,
}

impl<'t, T: AsRef<str>> Choice<'t, T> {
    /// Nothing read yet, or `None` if no available tag can ever be chosen.
    fn new(available: &'t [T]) -> Option<Self> {
        let mut usable = 0;
        for (j, tag) in available.iter().take(MAX_TAGS).enumerate() {
            if is_tag(tag.as_ref()) {
                usable |= 1 << j;
            }
        }
        (usable != 0).then_some(Choice {
            available,
            usable,
            excluded: 0,
            chosen: 0,
            keys: [Key(0); MAX_TAGS],
            position: 0,
        })
    }

    /// Reads the elements of one field value.
    fn read_value(&mut self, bytes: &[u8]) {
        each_element(bytes, |element| {
            let (read, end) = read_element(element);
            if let Some((range, q)) = read {
                self.offer(range, q);
            }
            end
        });
    }

    /// Takes in the well-formed element `range;q=<q>`.
    fn offer(&mut self, range: Range<'_>, q: Weight) {
        let position = self.position;
        self.position += 1;
        if range.is_any() {
            // `*;q=0` excludes nothing (see the rules).
            if q.is_acceptable() {
                let key = Key::new(q, position, 0, true);
                for j in bits(self.usable) {
                    self.lower(j, key);
                }
            }
            return;
        }
        for j in bits(self.usable) {
            let tag = self.available[j].as_ref().as_bytes();
            let Some(shared) = Shared::of(range.text, tag) else {
                continue;
            };
            if !q.is_acceptable() {
                // Matched by 1 or 2: the whole range leads the tag.
                if shared.subtags == range.subtags {
                    self.excluded |= 1 << j;
                }
            } else {
                let step = range.subtags - shared.subtags;
                self.lower(j, Key::new(q, position, step, shared.tag_ends));
            }
        }
    }

    /// Keeps `key` for `available[j]` if it is better than the one it has.
    fn lower(&mut self, j: usize, key: Key) {
        let bit = 1 << j;
        if self.chosen & bit == 0 || key < self.keys[j] {
            self.keys[j] = key;
            self.chosen |= bit;
        }
    }

    /// The tag chosen, if any: among those chosen and not excluded, the one with the lowest key,
    /// the first of them on a tie (as `*` and step 2 list the tags).
    fn best(&self) -> Option<usize> {
        let mut best: Option<(Key, usize)> = None;
        for j in bits(self.chosen & !self.excluded) {
            let key = self.keys[j];
            if best.is_none_or(|(best, _)| key < best) {
                best = Some((key, j));
            }
        }
        best.map(|(_, j)| j)
    }
}

/// How well a range with a weight above 0 chooses a tag: lower is better.
///
/// Ranges are taken by weight, then position; for one range `R` of `n` subtags, its candidates
/// are the tags it matches at truncation step `s` (`R` with its last `s` subtags dropped, step 0
/// being rules 1 and 2), first the tag equal to the truncated range, then those it is a prefix
/// of, in the order of `available`. A tag that shares its first `k` subtags with `R` (and no
/// more) is first matched at step `n - k`: equal to the truncated range if it has exactly `k`
/// subtags, else extending it. So a tag's place among all candidates of all ranges is
/// `(1 - weight, position, step, extends)`, then its index; and the answer, the first candidate
/// of the first range that has one that is not excluded, is the tag with the lowest such key
/// among those not excluded.
///
/// Packed in a `u64`, from the top: 1000 minus the weight in thousandths (10 bits), the position
/// (46 bits, more than any header holds elements), the step (6 bits; a range has at most 32
/// subtags), and whether the tag extends the truncated range rather than equals it (1 bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u64);

impl Key {
    const POSITION_BITS: u32 = 46;

    fn new(q: Weight, position: u64, step: usize, equal: bool) -> Key {
        let weight = u64::from(Weight::ONE.0.saturating_sub(q.0));
        let position = position.min((1 << Key::POSITION_BITS) - 1);
        let step = (step as u64).min(63);
        Key(weight << 53 | position << 7 | step << 1 | u64::from(!equal))
    }
}

/// How a range and a tag share their first subtags, as [`Shared::of`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shared {
    /// How many of their first subtags are the same (without regard to ASCII case): at least 1.
    subtags: usize,
    /// Whether the tag has no more subtags than those: it is equal to the range truncated to
    /// them.
    tag_ends: bool,
}

impl Shared {
    /// How the well-formed range `range` and the well-formed tag `tag` share their first
    /// subtags, or `None` if their first subtags differ. Reads them up to their first difference.
    #[inline]
    fn of(range: &[u8], tag: &[u8]) -> Option<Shared> {
        // Letters, digits and `-` only: setting bit 5 lowercases a letter and changes neither a
        // digit nor `-`, and maps no two of them onto one byte.
        let same = |a: u8, b: u8| a | 0x20 == b | 0x20;
        // The subtags that end before `i` (at a `-` both have) are the same.
        let (mut i, mut subtags) = (0, 0);
        while let (Some(&r), Some(&t)) = (range.get(i), tag.get(i)) {
            if !same(r, t) {
                break;
            }
            subtags += usize::from(r == b'-');
            i += 1;
        }
        // The subtag that ends at `i` is the same if both end one there.
        let boundary = |bytes: &[u8]| matches!(bytes.get(i), None | Some(b'-'));
        if i > 0 && boundary(range) && boundary(tag) {
            subtags += 1;
            return Some(Shared {
                subtags,
                tag_ends: i == tag.len(),
            });
        }
        // The tag has a subtag more, which differs from the range's (or the range has none).
        (subtags > 0).then_some(Shared {
            subtags,
            tag_ends: false,
        })
    }
}

/// A well-formed language range, as [`read_element`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range<'a> {
    /// The range as sent: `*`, or a language tag of at most [`MAX_RANGE_LEN`] bytes.
    text: &'a [u8],
    /// The number of its subtags (at most 32), 0 for `*`.
    subtags: usize,
}

impl Range<'_> {
    fn is_any(self) -> bool {
        self.subtags == 0
    }
}

/// Reads the element at the start of `bytes` (a field value from an element on): its language
/// range and weight if it is well formed, and where it ends (the index of the `,` after it, or
/// the length of `bytes`).
fn read_element(bytes: &[u8]) -> (Option<(Range<'_>, Weight)>, usize) {
    let start = skip_ows(bytes, 0);
    // Every position `parse_range` returns follows whitespace, letters, digits, `-` and `*`
    // only, where no `,` or `"` has been passed: the end of the element is searched from there.
    match parse_range(bytes, start) {
        Ok((range_end, subtags)) => {
            let end = element_end(bytes, range_end);
            let range = Range {
                text: &bytes[start..range_end],
                subtags,
            };
            (
                parse_params(&bytes[range_end..end]).map(|q| (range, q)),
                end,
            )
        }
        Err(resume) => (None, element_end(bytes, resume)),
    }
}

/// Reads the language range that starts at `start`: `*`, or `1*8ALPHA *("-" 1*8alphanum)` of at
/// most [`MAX_RANGE_LEN`] bytes, which must not run on into another token character (`pt_BR`,
/// `en*`). Returns the index just past it, where its parameters (if any) start, and the number
/// of its subtags (0 for `*`); `Err` holds where to search for the end of an element whose range
/// is malformed.
#[inline]
fn parse_range(bytes: &[u8], start: usize) -> Result<(usize, usize), usize> {
    if bytes.get(start) == Some(&b'*') {
        return match is_tchar_at(bytes, start + 1) {
            false => Ok((start + 1, 0)),
            true => Err(start + 1),
        };
    }
    // One walk, with the length of the current subtag and the number of subtags.
    let (mut i, mut len, mut subtags) = (start, 0, 1);
    let limit = start + MAX_RANGE_LEN;
    while i < limit {
        match bytes.get(i) {
            Some(b)
                if len < 8 && (b.is_ascii_alphabetic() || (subtags > 1 && b.is_ascii_digit())) =>
            {
                len += 1;
            }
            Some(b'-') if len > 0 => (len, subtags) = (0, subtags + 1),
            _ => break,
        }
        i += 1;
    }
    // Stopped at a byte that cannot follow a range (a ninth letter, a digit in the first subtag,
    // `--`, a 65th byte, `_`), or with an empty last subtag.
    if len == 0 || is_tchar_at(bytes, i) {
        Err(i)
    } else {
        Ok((i, subtags))
    }
}

/// The indices of the bits set in `mask`, from the lowest.
fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let j = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            j
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(header: &str, available: &[&str]) -> Option<usize> {
        negotiate_language_values([header.as_bytes()], available)
    }

    #[test]
    fn ranges_and_tags_share_whole_subtags() {
        let shared = |range: &str, tag: &str| {
            Shared::of(range.as_bytes(), tag.as_bytes()).map(|s| (s.subtags, s.tag_ends))
        };
        assert_eq!(shared("pt-BR", "pt-BR"), Some((2, true)));
        assert_eq!(shared("PT-br", "pt-BR"), Some((2, true)));
        assert_eq!(shared("pt", "pt-BR"), Some((1, false)));
        assert_eq!(shared("pt-PT", "pt-BR"), Some((1, false)));
        assert_eq!(shared("pt-PT", "pt"), Some((1, true)));
        assert_eq!(shared("zh-Hant-TW", "zh-Hant"), Some((2, true)));
        assert_eq!(shared("zh-Hant-TW", "zh-Hans-CN"), Some((1, false)));
        // Only whole subtags: `pt` is no prefix of `ptx`, nor `en-U` of `en-US`.
        assert_eq!(shared("pt", "ptx"), None);
        assert_eq!(shared("ptx", "pt"), None);
        assert_eq!(shared("en-U", "en-US"), Some((1, false)));
        assert_eq!(shared("en", "fr"), None);
    }

    #[test]
    fn keys_order_weight_then_position_then_step_then_equality() {
        let q = |thousandths| Weight(thousandths);
        let mut keys = [
            Key::new(q(1000), 0, 0, true),
            Key::new(q(1000), 0, 0, false),
            Key::new(q(1000), 0, 1, true),
            Key::new(q(1000), 0, 31, false),
            Key::new(q(1000), 1, 0, true),
            Key::new(q(1000), (1 << 46) + 5, 0, true),
            Key::new(q(999), 0, 0, true),
            Key::new(q(1), u64::MAX, 63, false),
        ];
        let sorted = keys;
        keys.reverse();
        keys.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn ranges_are_read_by_the_grammar_of_accept() {
        fn read(element: &str) -> (Option<(&str, usize, u16)>, usize) {
            let (read, end) = read_element(element.as_bytes());
            let read = read.map(|(range, q)| {
                let text = std::str::from_utf8(range.text).unwrap();
                (text, range.subtags, q.0)
            });
            (read, end)
        }
        assert_eq!(read("en"), (Some(("en", 1, 1000)), 2));
        assert_eq!(read(" \tpt-BR ; q=0.5 , x"), (Some(("pt-BR", 2, 500)), 16));
        assert_eq!(read("*;q=.1"), (Some(("*", 0, 100)), 6));
        assert_eq!(read("en;p=\"a,b\";q=0.3,fr"), (Some(("en", 1, 300)), 16));
        assert_eq!(read("en;q=0.12345"), (Some(("en", 1, 123)), 12));
        assert_eq!(read("en;q="), (Some(("en", 1, 1000)), 5));
        // Malformed, with where the element still ends.
        assert_eq!(read("en;q=2,fr"), (None, 6));
        assert_eq!(read("en;q=abc"), (None, 8));
        assert_eq!(read("pt_BR,fr"), (None, 5));
        assert_eq!(read("en q=0.5"), (None, 8));
        assert_eq!(read("en-,fr"), (None, 3));
        assert_eq!(read("en--US"), (None, 6));
        assert_eq!(read("1en"), (None, 3));
        assert_eq!(read("en-abcdefghi"), (None, 12));
        assert_eq!(read("de-*-DE"), (None, 7));
        assert_eq!(read("**"), (None, 2));
        assert_eq!(read(""), (None, 0));
        assert_eq!(read("en\"x, fr"), (None, 4));
        assert_eq!(read("en*, fr"), (None, 3));
        assert_eq!(read("e1"), (None, 2));
        assert_eq!(read("*-x"), (None, 3));
        assert_eq!(read("zh-Hant-TW;q=0.5"), (Some(("zh-Hant-TW", 3, 500)), 16));
        assert_eq!(read("de-CH-1996"), (Some(("de-CH-1996", 3, 1000)), 10));
    }

    #[test]
    fn ranges_longer_than_the_bound_are_malformed() {
        // 64 bytes: read; 65: skipped.
        let longest = "a".to_owned() + &"-abcdefg".repeat(7) + "-abcdef";
        assert_eq!(longest.len(), MAX_RANGE_LEN);
        assert_eq!(choose(&longest, &["en", "a"]), Some(1));
        let too_long = longest + "g";
        assert_eq!(choose(&too_long, &["en", "a"]), None);
        assert_eq!(
            choose(&format!("{too_long}, a;q=0.1"), &["en", "a"]),
            Some(1)
        );
        // A tag of 200 characters, from 25 subtags of 8.
        let tag_200 = ["abcdefgh"; 25].join("-")[..200].to_owned();
        assert_eq!(tag_200.len(), 200);
        assert_eq!(choose(&tag_200, &["en", "abcdefgh"]), None);
    }

    #[test]
    fn only_the_first_64_tags_take_part() {
        let tags: Vec<String> = (0..70).map(|i| format!("x{}", letters(i))).collect();
        let available: Vec<&str> = tags.iter().map(String::as_str).collect();
        assert_eq!(choose(available[63], &available), Some(63));
        assert_eq!(choose(available[64], &available), None);
        assert_eq!(choose(available[69], &available), None);
        // Everything the first 64 can give is excluded: `*` does not reach the 65th.
        let all_excluded: Vec<String> =
            available[..64].iter().map(|t| format!("{t};q=0")).collect();
        let header = all_excluded.join(", ") + ", *";
        assert_eq!(choose(&header, &available), None);
        let header = all_excluded[1..].join(", ") + ", *";
        assert_eq!(choose(&header, &available), Some(0));

        fn letters(mut i: usize) -> String {
            let mut s = String::new();
            loop {
                s.push(char::from(b'a' + (i % 26) as u8));
                i /= 26;
                if i == 0 {
                    return s;
                }
            }
        }
    }

    #[test]
    fn tags_that_are_not_well_formed_are_never_chosen() {
        assert_eq!(choose("*", &["pt_BR", "", "en"]), Some(2));
        assert_eq!(choose("pt", &["pt_BR", "pt-BR"]), Some(1));
        assert_eq!(choose("*", &["*"]), None);
        assert_eq!(choose("en", &[] as &[&str]), None);
    }

    #[test]
    fn star_with_q_zero_excludes_nothing() {
        assert_eq!(choose("*;q=0, pt", &["en", "pt-BR"]), Some(1));
        assert_eq!(choose("*;q=0", &["en", "pt-BR"]), None);
        assert_eq!(choose("*;q=0, *;q=0.5", &["en", "pt-BR"]), Some(0));
    }

    #[test]
    fn exclusions_are_skipped_by_every_candidate_rule() {
        let available = ["en", "pt-BR", "pt-PT", "pt"];
        // Rule 2 goes on to the next tag that extends the range.
        assert_eq!(choose("pt-BR;q=0, pt", &available[..3]), Some(2));
        // Truncation finds `pt` itself before the tags that extend it.
        assert_eq!(choose("pt-BR;q=0, pt-AO", &available), Some(3));
        assert_eq!(choose("pt;q=0, pt-AO", &available), None);
        // A range whose own tag is excluded still falls back by truncation: to `pt`, and
        // without `pt`, to `pt-PT`, which extends `pt`.
        assert_eq!(choose("pt-BR;q=0, pt-BR", &available), Some(3));
        assert_eq!(choose("pt-BR;q=0, pt-BR", &available[..3]), Some(2));
        assert_eq!(choose("pt-BR;q=0, pt", &available), Some(3));
        // Truncation does not exclude: `pt-AO;q=0` excludes nothing here.
        assert_eq!(choose("pt-AO;q=0, pt", &available), Some(3));
        // The exclusion may come after the range.
        assert_eq!(choose("pt, pt;q=0, en;q=0.1", &available), Some(0));
    }
}
