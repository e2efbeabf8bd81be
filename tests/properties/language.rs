//! Tests of `negotiate_language`, through the public API.
//!
//! * A table: `Accept-Language` field lines, the application's languages, the index expected.
//! * Arbitrary bytes as field lines: no panic, `None` or an index of a usable tag, the same
//!   answer through the `HeaderMap` and through the values, whatever the ASCII case.
//! * Structured headers, built from elements whose meaning the generator knows, checked against
//!   a reference model written from the rules in the docs of `negotiate_language`: collect the
//!   ranges, sort them by weight (a stable sort), and try each range's candidates in turn.
//! * Hostile headers (10 KB, 1,000 elements, ranges of 200 characters): an answer, always.
//!
//! Case counts: `PROPTEST_CASES` if set, else the count given to `config` below.

use crate::{
    strategies::{flip_case, header_bytes, list_separator, mixed_case, ows},
    support,
};
use http::{header::ACCEPT_LANGUAGE, HeaderMap, HeaderValue};
use proptest::{collection::vec, option, prelude::*, sample::select};
use tower_api_error::negotiate::{negotiate_language, negotiate_language_values};

/// The languages of most rows: the default, English, then Brazilian Portuguese.
const EN_PT: &[&str] = &["en", "pt-BR"];

/// Headers with the given `Accept-Language` field lines, leaving out values that `HeaderValue`
/// rejects (as a server would never hand them to the layer).
fn headers<L: AsRef<[u8]>>(lines: &[L]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for line in lines {
        if let Ok(value) = HeaderValue::from_bytes(line.as_ref()) {
            headers.append(ACCEPT_LANGUAGE, value);
        }
    }
    headers
}

/// What `negotiate_language` answers for these field lines, checked against what
/// `negotiate_language_values` answers for the same lines.
fn choose(lines: &[&str], available: &[&str]) -> Option<usize> {
    let map = headers(lines);
    assert_eq!(map.get_all(ACCEPT_LANGUAGE).iter().count(), lines.len());
    let chosen = negotiate_language(&map, available);
    let values = lines.iter().map(|line| line.as_bytes());
    assert_eq!(negotiate_language_values(values, available), chosen);
    chosen
}

// ---------------------------------------------------------------------------------------------
// The table.

/// One row per header shape: the field lines, the application's languages (default first), and
/// the index `negotiate_language` picks (`None`: the caller answers in the default).
#[rustfmt::skip]
const TABLE: &[(&[&str], &[&str], Option<usize>)] = &[
    // Exact, in any case.
    (&["pt-BR"], EN_PT, Some(1)),
    (&["en"], EN_PT, Some(0)),
    (&["PT-br"], EN_PT, Some(1)),
    (&["pt-br"], EN_PT, Some(1)),
    (&["EN"], EN_PT, Some(0)),
    // A browser's header.
    (&["pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7"], EN_PT, Some(1)),
    (&["en-US,en;q=0.9"], EN_PT, Some(0)),
    // Basic filtering: the range is a prefix of the tag, at a subtag boundary.
    (&["pt"], EN_PT, Some(1)),
    (&["pt"], &["en", "pt-PT", "pt-BR"], Some(1)),             // the first that extends it
    (&["pt"], &["en", "pt-BR", "pt"], Some(2)),                // equal beats extending
    (&["p"], EN_PT, None),                                     // whole subtags only
    (&["ptx"], EN_PT, None),
    // Lookup by truncation.
    (&["pt-PT"], EN_PT, Some(1)),                              // pt-PT → pt → pt-BR
    (&["pt-AO"], &["en", "pt-BR", "pt"], Some(2)),             // pt-AO → pt, equal
    (&["en-GB"], &["en-US", "en"], Some(1)),
    (&["en-GB"], &["de", "en-US"], Some(1)),
    (&["zh-Hant-TW"], &["en", "zh-Hant", "zh"], Some(1)),      // zh-Hant-TW → zh-Hant
    (&["zh-Hant-TW"], &["en", "zh"], Some(1)),                 // → zh-Hant → zh
    (&["zh-Hant-TW"], &["en", "zh-Hans"], Some(1)),            // → zh, which zh-Hans extends
    (&["zh-Hant"], &["en", "zh-Hant-TW", "zh"], Some(1)),      // extending beats truncating
    // The client's preferred language wins over a closer match of one it likes less.
    (&["pt-PT, en;q=0.9"], EN_PT, Some(1)),
    (&["pt-PT, en"], EN_PT, Some(1)),
    (&["en-GB, pt-BR"], EN_PT, Some(0)),
    // Weights, then the order of the header.
    (&["en;q=0.9, pt"], EN_PT, Some(1)),
    (&["fr;q=0.5, en;q=0.4, pt;q=0.6"], EN_PT, Some(1)),
    (&["pt;q=0.3, en;q=0.4"], EN_PT, Some(0)),
    (&["pt;q=0.001, fr"], EN_PT, Some(1)),
    (&["en, pt"], EN_PT, Some(0)),
    (&["pt, en"], EN_PT, Some(1)),
    (&["pt;q=0.5, en;q=0.5"], EN_PT, Some(1)),
    (&["en;q=0.5, pt;q=0.500"], EN_PT, Some(0)),
    // `*`: the first tag not excluded.
    (&["*"], EN_PT, Some(0)),
    (&["fr, *;q=0.1"], EN_PT, Some(0)),
    (&["*;q=0.1, fr"], EN_PT, Some(0)),                        // no fr: the default, by `*`
    (&["*;q=0.1, pt"], EN_PT, Some(1)),
    (&["*, pt"], EN_PT, Some(0)),                              // equal weights: `*` came first
    (&["*;q=0.5, pt;q=0.4"], EN_PT, Some(0)),
    // Exclusions.
    (&["pt;q=0, *"], EN_PT, Some(0)),
    (&["en;q=0, *"], EN_PT, Some(1)),
    (&["*, en;q=0"], EN_PT, Some(1)),                          // wherever the exclusion stands
    (&["en;q=0, pt;q=0, *"], EN_PT, None),
    (&["pt-BR;q=0, pt"], EN_PT, None),
    (&["pt-BR;q=0, pt"], &["en", "pt-BR", "pt-PT"], Some(2)),
    (&["en;q=0, en-US"], EN_PT, None),                         // truncates to an excluded tag
    (&["pt-PT;q=0, pt"], EN_PT, Some(1)),                      // truncation excludes nothing
    (&["en;q=0"], EN_PT, None),
    (&["en;q=0.000, pt;q=0.1"], EN_PT, Some(1)),
    (&["*;q=0"], EN_PT, None),
    (&["*;q=0, pt"], EN_PT, Some(1)),                          // `*;q=0` excludes nothing
    // Nothing available, nothing usable.
    (&["fr, de"], EN_PT, None),
    (&["fr-CA, de-DE;q=0.5"], EN_PT, None),
    (&[], EN_PT, None),
    (&[""], EN_PT, None),
    (&["   "], EN_PT, None),
    (&[",,,"], EN_PT, None),
    (&[";;,,"], EN_PT, None),
    (&["q=abc"], EN_PT, None),
    (&["garbage!"], EN_PT, None),
    (&["en"], &[], None),
    // Malformed elements are skipped; the rest counts.
    (&["en;q=abc, pt;q=0.1"], EN_PT, Some(1)),
    (&["en;q=abc"], EN_PT, None),
    (&["pt_BR"], EN_PT, None),
    (&["pt-BRAZILIAN"], EN_PT, None),                          // a subtag of 9
    (&["pt-abcdefgh"], EN_PT, Some(1)),                        // of 8: read, then truncated
    (&["pt_BR, en;q=0.1"], EN_PT, Some(0)),
    (&["1pt, en--US, en-, -pt, pt-BRAZILIAN, pt;q=0.2"], EN_PT, Some(1)),
    (&["de-*-DE, pt;q=0.1"], EN_PT, Some(1)),
    (&["en US, pt;q=0.1"], EN_PT, Some(1)),
    (&["pt -BR"], EN_PT, None),
    (&["pt- BR"], EN_PT, None),
    (&["pt;a=b c, en;q=0.1"], EN_PT, Some(0)),
    // Quoted-string parameters may hold commas, semicolons and `q=`.
    (&["en;x=\"a, pt\";q=0.2, pt-BR;q=0.1"], EN_PT, Some(0)),
    (&["fr;x=\"a, pt\""], EN_PT, None),
    (&["fr;x=\"pt, en;q=1\", pt;q=0.5"], EN_PT, Some(1)),
    (&["pt;x=\"\\\",en\";q=0.3, en;q=0.2"], EN_PT, Some(1)),
    (&["fr;x=\"open, en"], EN_PT, None),                       // left open: to the end of its line
    (&["fr;x=\"open, en", "pt;q=0.1"], EN_PT, Some(1)),        // and no further
    // Several field lines, combined as if joined by commas.
    (&["fr", "pt"], EN_PT, Some(1)),
    (&["en;q=0.5", "pt;q=0.6"], EN_PT, Some(1)),
    (&["pt;q=0", "*"], EN_PT, Some(0)),
    (&["", "pt"], EN_PT, Some(1)),
    (&["pt;q=2", "en;q=0.1"], EN_PT, Some(0)),
    // Weights: as for `Accept`, digits after the third decimal are ignored, `q=` with no value
    // is ignored, and a weight above 1 makes its element malformed.
    (&["en;q=0.1239, pt;q=0.124"], EN_PT, Some(1)),
    (&["pt;q=0.12345, en;q=0.123"], EN_PT, Some(1)),           // both 0.123: header order
    (&["en;q=0.0001, pt;q=0"], EN_PT, None),                   // 0.0001 is 0
    (&["pt;q=1.5, en;q=0.1"], EN_PT, Some(0)),
    (&["pt;q=1.0001, en;q=0.5"], EN_PT, Some(0)),
    (&["pt;q=1.000, en"], EN_PT, Some(1)),
    (&["pt;q=2"], EN_PT, None),
    (&["pt;q=-0.5, en;q=0.1"], EN_PT, Some(0)),
    (&["pt;q=.5, en;q=.4"], EN_PT, Some(1)),
    (&["pt;q=, en;q=0.9"], EN_PT, Some(1)),
    (&["pt;Q=0.4, en;q=0.5"], EN_PT, Some(0)),
    // Whitespace around elements and parameters.
    (&[" pt-BR ; q=0.9 ,\ten;q=0.8 "], EN_PT, Some(1)),
    (&["en ;q=0.1,  pt\t"], EN_PT, Some(1)),
    (&["en; q = 0.1, pt;q=0.2"], EN_PT, Some(1)),
    (&["\t\tpt"], EN_PT, Some(1)),
];

#[test]
fn table() {
    assert!(TABLE.len() >= 80, "{} rows", TABLE.len());
    let wrong: Vec<String> = TABLE
        .iter()
        .filter(|(lines, available, expected)| choose(lines, available) != *expected)
        .map(|(lines, available, expected)| {
            format!(
                "{lines:?} {available:?}: {:?}, not {expected:?}",
                choose(lines, available)
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every row, with the reference model: the model says what the table says.
#[test]
fn the_reference_model_answers_the_table() {
    for (lines, available, expected) in TABLE {
        // A quote left open is beyond the model, which reads lines joined by commas.
        if lines.iter().any(|line| line.contains("\"open")) {
            continue;
        }
        assert_eq!(
            reference(&reference_elements(lines), available),
            *expected,
            "{lines:?} {available:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile headers.

#[test]
fn a_10_kb_header_gets_an_answer() {
    // One range of 10,000 letters and hyphens: malformed (too long), skipped whole.
    let long_range = "a-".repeat(5_000);
    assert_eq!(choose(&[&long_range], EN_PT), None);
    assert_eq!(choose(&[&(long_range + "b, pt")], EN_PT), Some(1));
    // A parameter value of 10 KB, quoted and not.
    let token = format!("pt;p={};q=0.5, en;q=0.4", "x".repeat(10_000));
    assert_eq!(choose(&[&token], EN_PT), Some(1));
    let quoted = format!("pt;p=\"{}\";q=0.5, en;q=0.4", "a,".repeat(5_000));
    assert_eq!(choose(&[&quoted], EN_PT), Some(1));
    // 10 KB of separators, whitespace and semicolons.
    assert_eq!(choose(&[&",".repeat(10_000)], EN_PT), None);
    assert_eq!(choose(&[&(" ;".repeat(5_000) + ",en")], EN_PT), Some(0));
    assert_eq!(
        choose(&[&format!("en{}", ";".repeat(10_000))], EN_PT),
        Some(0)
    );
    // 10 KB of well-formed elements, none of which is available: no answer.
    let mut unavailable = "de-DE;q=0.5, fr-CA, ".repeat(512);
    unavailable.truncate(10_240);
    assert_eq!(unavailable.len(), 10_240);
    assert_eq!(choose(&[&unavailable], EN_PT), None);
    assert_eq!(choose(&[&(unavailable + ", pt;q=0.1")], EN_PT), Some(1));
    // `="` repeated, which must not make the search for the end of an element quadratic.
    assert_eq!(choose(&[&("a=\"".repeat(3_400) + ", pt")], EN_PT), Some(1));
}

#[test]
fn a_thousand_elements_are_all_read() {
    let mut header = "fr;q=0.9, de-DE;q=0.8, *;q=0, ".repeat(333);
    header.push_str("pt;q=0.1");
    assert!(header.split(',').count() >= 1_000);
    assert_eq!(choose(&[&header], EN_PT), Some(1));
    // The last of 1,000 equal elements decides nothing; the first does.
    let mut header = vec!["en;q=0.5"; 999].join(",");
    header.push_str(",pt;q=0.5");
    assert_eq!(choose(&[&header], EN_PT), Some(0));
    // 1,000 exclusions, then `*`.
    let header = vec!["en;q=0"; 1_000].join(", ") + ", *";
    assert_eq!(choose(&[&header], EN_PT), Some(1));
    // 1,000 elements, none of which is available, and 1,000 exclusions: no answer.
    let header = vec!["fr;q=0.9"; 1_000].join(",");
    assert_eq!(choose(&[&header], EN_PT), None);
    let header = ["en;q=0", "pt;q=0"].repeat(500).join(", ") + ", *";
    assert_eq!(choose(&[&header], EN_PT), None);
    // 1,000 field lines.
    let lines: Vec<&str> = std::iter::repeat_n("fr", 999).chain(["pt"]).collect();
    assert_eq!(choose(&lines, EN_PT), Some(1));
}

#[test]
fn ranges_of_200_characters_are_skipped() {
    let tag_200 = ["abcdefgh"; 25].join("-")[..200].to_owned();
    assert_eq!(tag_200.len(), 200);
    // Well formed by the grammar, but longer than any range read.
    assert_eq!(choose(&[&tag_200], &["en", "abcdefgh"]), None);
    let pt_200 = "pt-".to_owned() + &["abcdefgh"; 22].join("-")[..197];
    assert_eq!(pt_200.len(), 200);
    assert_eq!(choose(&[&pt_200], EN_PT), None);
    assert_eq!(choose(&[&format!("{pt_200}, pt;q=0.1")], EN_PT), Some(1));
    let many = vec![pt_200.as_str(); 50].join(", ");
    assert_eq!(choose(&[&many], EN_PT), None);
    // Available tags of 200 characters are compared as any other.
    assert_eq!(choose(&["pt"], &["en", &pt_200]), Some(1));
}

// ---------------------------------------------------------------------------------------------
// Arbitrary bytes.

/// Lists of application languages, usable or not.
const AVAILABLE: &[&[&str]] = &[
    &["en", "pt-BR"],
    &["en"],
    &["pt-BR", "en", "zh-Hant-TW", "zh", "de-CH-1996"],
    &["en", "en-US", "en-GB", "pt", "pt-PT", "pt-BR"],
    &["not a tag", "", "EN", "Pt-Br"],
    &[],
];

/// The pieces of `Accept-Language` syntax hostile headers are made of, with [`header_bytes`].
const PIECES: &[&[u8]] = &[
    b"en",
    b"EN",
    b"pt",
    b"pt-BR",
    b"pt-br",
    b"zh-Hant-TW",
    b"abcdefghi",
    b"*",
    b"-",
    b";",
    b",",
    b"q=",
    b";q=0.5",
    b";q=.5",
    b";q=1.000",
    b";q=0",
    b";q=2",
    b"=",
    b"\"",
    b"\\",
    b" ",
    b"\t",
    b"0",
    b"1",
    b".",
    b"\xff",
    b"\xc3\xa9",
    b"\x00",
    b"\r\n",
];

proptest! {
    #![proptest_config(support::proptest_config(1024))]

    #[test]
    fn arbitrary_bytes_never_panic_and_give_a_usable_index(
        lines in vec(header_bytes(PIECES), 0..5),
        available in select(AVAILABLE),
    ) {
        let chosen = negotiate_language_values(lines.iter().map(Vec::as_slice), available);
        if let Some(j) = chosen {
            prop_assert!(j < available.len().min(64), "{j}");
            let tag = available[j];
            prop_assert!(
                !tag.is_empty()
                    && tag.split('-').all(|s| (1..=8).contains(&s.len())
                        && s.bytes().all(|b| b.is_ascii_alphanumeric())),
                "{tag:?}"
            );
        }
        // The same answer twice, and through a `HeaderMap` when every line is a valid value.
        prop_assert_eq!(
            negotiate_language_values(lines.iter().map(Vec::as_slice), available),
            chosen
        );
        if lines.iter().all(|line| HeaderValue::from_bytes(line).is_ok()) {
            prop_assert_eq!(negotiate_language(&headers(&lines), available), chosen);
        }
    }

    #[test]
    fn ascii_case_changes_nothing(
        lines in vec(header_bytes(PIECES), 0..4),
        available in select(AVAILABLE),
        mask: u64,
        tag_mask: u64,
    ) {
        let flipped: Vec<Vec<u8>> = lines.iter().map(|line| flip_case(line, mask)).collect();
        let flipped_tags: Vec<String> = available
            .iter()
            .map(|tag| String::from_utf8(flip_case(tag.as_bytes(), tag_mask)).unwrap())
            .collect();
        let chosen = negotiate_language_values(lines.iter().map(Vec::as_slice), available);
        prop_assert_eq!(
            negotiate_language_values(flipped.iter().map(Vec::as_slice), available),
            chosen
        );
        prop_assert_eq!(
            negotiate_language_values(lines.iter().map(Vec::as_slice), &flipped_tags),
            chosen
        );
    }

    #[test]
    fn field_lines_combine_as_if_joined_by_commas(
        lines in vec(header_bytes(PIECES), 1..5),
        available in select(AVAILABLE),
    ) {
        // A quote left open on one line would run on into the next once joined.
        let lines: Vec<Vec<u8>> = lines.into_iter().filter(|line| !line.contains(&b'"')).collect();
        let joined = lines.join(&b","[..]);
        prop_assert_eq!(
            negotiate_language_values(lines.iter().map(Vec::as_slice), available),
            negotiate_language_values([joined.as_slice()], available)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Structured headers and the reference model.

/// One generated element: its text, and what the rules say it is (`None` for a malformed
/// element, which is skipped): its range and its weight in thousandths.
#[derive(Debug, Clone)]
struct Element {
    text: String,
    meaning: Option<(String, u16)>,
}

/// The language of the reference model: the first answer of the rules, written the slow and
/// plain way, from the docs of `negotiate_language`.
fn reference(elements: &[Element], available: &[&str]) -> Option<usize> {
    // "Only the first 64 available tags take part"; one that is not a well-formed tag is never
    // chosen.
    let usable: Vec<(usize, String)> = available
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, tag)| is_tag(tag))
        .map(|(j, tag)| (j, tag.to_ascii_lowercase()))
        .collect();
    let ranges: Vec<(String, u16)> = elements
        .iter()
        .filter_map(|e| e.meaning.clone())
        .map(|(range, q)| (range.to_ascii_lowercase(), q))
        .collect();
    // "A range with `q=0` excludes every available tag it matches by 1 or 2"; `*;q=0` excludes
    // nothing.
    let matches = |range: &str, tag: &str| tag == range || tag.starts_with(&format!("{range}-"));
    let excluded = |tag: &str| {
        ranges
            .iter()
            .any(|(range, q)| *q == 0 && range != "*" && matches(range, tag))
    };
    let candidates: Vec<&(usize, String)> =
        usable.iter().filter(|(_, tag)| !excluded(tag)).collect();
    // "Ranges are taken by descending weight; ranges of equal weight keep the order of the
    // header" (a stable sort).
    let mut positive: Vec<&(String, u16)> = ranges.iter().filter(|(_, q)| *q > 0).collect();
    positive.sort_by_key(|(_, q)| std::cmp::Reverse(*q));
    for (range, _) in positive {
        if range == "*" {
            return candidates.first().map(|(j, _)| *j);
        }
        let mut range = range.as_str();
        loop {
            if let Some((j, _)) = candidates.iter().find(|(_, tag)| tag == range) {
                return Some(*j);
            }
            if let Some((j, _)) = candidates
                .iter()
                .find(|(_, tag)| tag.starts_with(&format!("{range}-")))
            {
                return Some(*j);
            }
            match range.rfind('-') {
                Some(i) => range = &range[..i],
                None => break,
            }
        }
    }
    None
}

/// RFC 4647's `1*8ALPHA *("-" 1*8alphanum)`, written again for the model.
fn is_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    subtags.next().is_some_and(|first| {
        (1..=8).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic())
    }) && subtags
        .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The elements of hand-written field lines, for the table: the lines joined by commas, split
/// at commas outside quoted strings, each read by a plain reading of the rules.
fn reference_elements(lines: &[&str]) -> Vec<Element> {
    split_outside_quotes(&lines.join(","), ',')
        .into_iter()
        .map(read_reference)
        .collect()
}

/// `text` split at each `separator` that is not inside a quoted string.
fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            _ if c == separator && !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// One element by a plain reading of the rules: a range (`*` or a tag of at most 64 bytes),
/// then `;name=value` parameters, of which only `q` counts. A parameter without `=` is ignored;
/// a name or an unquoted value with a space in it makes the element malformed.
fn read_reference(text: &str) -> Element {
    let mut parts = split_outside_quotes(text, ';').into_iter();
    let range = parts.next().unwrap_or_default().trim_matches([' ', '\t']);
    let mut q = Some(1000);
    for param in parts {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        // An empty name or value: ignored, as by `Accept`.
        if name.is_empty() || value.is_empty() {
            continue;
        }
        if name.eq_ignore_ascii_case("q") {
            q = q.and(parse_q(value));
        } else if name.contains(' ') || (!value.starts_with('"') && value.contains(' ')) {
            q = None;
        }
    }
    let well_formed = range == "*" || (range.len() <= 64 && is_tag(range));
    Element {
        text: text.to_owned(),
        meaning: q.filter(|_| well_formed).map(|q| (range.to_owned(), q)),
    }
}

/// A weight as the rules read it: `0`, `1`, `0.d`, `.d`, `1.000` and the like, digits after the
/// third decimal ignored.
fn parse_q(value: &str) -> Option<u16> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let digits: u16 = format!("{frac:0<3}")[..3].parse().ok()?;
    match int {
        "1" if frac.bytes().all(|b| b == b'0') => Some(1000),
        "0" | "" => Some(digits),
        _ => None,
    }
}

/// Tags the generator and the lists of languages draw from, so that ranges and tags meet by
/// every rule: equal, extending, by truncation.
const VOCABULARY: &[&str] = &[
    "en",
    "en-US",
    "en-GB",
    "pt",
    "pt-BR",
    "pt-PT",
    "pt-AO",
    "zh",
    "zh-Hant",
    "zh-Hant-TW",
    "zh-Hans",
    "zh-Hans-CN",
    "de",
    "de-CH",
    "de-CH-1996",
    "fr",
    "fr-CA",
    "es-419",
    "sr-Latn-RS",
];

/// A language range: from the vocabulary, `*`, or any well-formed tag, in any case.
fn range() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(VOCABULARY).prop_map(str::to_owned),
        1 => Just("*".to_owned()),
        1 => "[a-z]{1,3}(-[a-z0-9]{1,8}){0,3}",
    ]
    .prop_flat_map(|range| any::<u64>().prop_map(move |mask| mixed_case(&range, mask)))
}

/// A weight as written, and its value in thousandths.
fn weight() -> impl Strategy<Value = (String, u16)> {
    prop_oneof![
        select(&[0u16, 0, 1, 100, 500, 900, 999, 1000][..]),
        0..=1000u16,
    ]
    .prop_flat_map(|t| {
        (0..4u8, "[0-9]{0,6}").prop_map(move |(style, extra)| {
            let text = match (t, style) {
                (1000, 0) => "1".to_owned(),
                (1000, 1) => "1.".to_owned(),
                (1000, _) => "1.000".to_owned(),
                (0, 0) => "0".to_owned(),
                (_, 1) => format!(".{t:03}{extra}"),
                (_, 2) => format!("0.{}", format!("{t:03}").trim_end_matches('0')),
                _ => format!("0.{t:03}{extra}"),
            };
            (text, t)
        })
    })
}

/// A parameter other than `q`, with its leading `;`: a token or a quoted string holding commas,
/// semicolons and escaped quotes.
fn param() -> impl Strategy<Value = String> {
    let quoted = vec(
        select(&["a", "b,c", ",", ";", " ", "\\\"", "q=0", "en"][..]),
        0..5,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()));
    let value = prop_oneof!["[a-zA-Z0-9.!#$%&'*+^_`|~-]{1,8}", quoted];
    (ows(), "[a-pr-z][a-z0-9-]{0,5}", value)
        .prop_map(|(a, name, value)| format!("{a};{name}={value}"))
}

/// A well-formed element, and what it means.
fn element() -> impl Strategy<Value = Element> {
    (
        ows(),
        range(),
        vec(param(), 0..2),
        option::of((ows(), select(&["q", "Q"][..]), weight())),
        ows(),
    )
        .prop_map(|(lead, range, params, q, trail)| {
            let mut text = format!("{lead}{range}");
            for p in params {
                text.push_str(&p);
            }
            let mut weight = 1000;
            if let Some((a, name, (value, t))) = q {
                text.push_str(&format!("{a};{name}={value}"));
                weight = t;
            }
            text.push_str(trail);
            Element {
                text,
                meaning: Some((range, weight)),
            }
        })
}

/// An element the rules call malformed.
fn malformed_element() -> impl Strategy<Value = Element> {
    const MALFORMED: &[&str] = &[
        "",
        " ",
        "pt_BR",
        "en-",
        "-en",
        "en--US",
        "1en",
        "abcdefghi",
        "en-abcdefghi",
        "de-*-DE",
        "**",
        "en US",
        "pt;q=2",
        "pt;q=abc",
        "pt;q=1.5",
        "pt;q=\"1\"",
        "é",
        "en;p=\"x\"y",
        "pt;a=b c",
        "a-bcdefgh-bcdefgh-bcdefgh-bcdefgh-bcdefgh-bcdefgh-bcdefgh-bcdefgh",
        "zh-Hant-TW-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh-x",
    ];
    select(MALFORMED).prop_map(|text| Element {
        text: text.to_owned(),
        meaning: None,
    })
}

fn line() -> impl Strategy<Value = Vec<Element>> {
    vec(prop_oneof![6 => element(), 1 => malformed_element()], 0..7)
}

/// A list of application languages: from the vocabulary, in any case, in any order.
fn available() -> impl Strategy<Value = Vec<String>> {
    vec((select(VOCABULARY), any::<u64>()), 0..7).prop_map(|tags| {
        tags.into_iter()
            .map(|(tag, mask)| mixed_case(tag, mask))
            .collect()
    })
}

proptest! {
    #![proptest_config(support::proptest_config(2048))]

    #[test]
    fn structured_headers_negotiate_as_the_reference_model_says(
        lines in vec(line(), 0..4),
        separators in vec(list_separator(), 1..4),
        available in available(),
    ) {
        let rendered: Vec<String> = lines
            .iter()
            .map(|elements| {
                let mut line = String::new();
                for (i, element) in elements.iter().enumerate() {
                    if i > 0 {
                        line.push_str(separators[i % separators.len()]);
                    }
                    line.push_str(&element.text);
                }
                line
            })
            .collect();
        let available: Vec<&str> = available.iter().map(String::as_str).collect();
        let elements: Vec<Element> = lines.concat();
        let expected = reference(&elements, &available);
        let lines: Vec<&str> = rendered.iter().map(String::as_str).collect();
        prop_assert_eq!(
            negotiate_language_values(lines.iter().map(|line| line.as_bytes()), &available),
            expected,
            "Accept-Language: {:?}, available {:?}",
            lines,
            available
        );
        let map = headers(&lines);
        prop_assert_eq!(negotiate_language(&map, &available), expected);
    }
}

/// The generator and the model above can tell a wrong answer: a few hand-checked rows, and a
/// model that would pass anything is caught.
#[test]
fn reference_model_matches_hand_checked_rows() {
    let element = |range: &str, q: u16| Element {
        text: match q {
            1000 => range.to_owned(),
            _ => format!("{range};q=0.{q:03}"),
        },
        meaning: Some((range.to_owned(), q)),
    };
    let rows = [
        (vec![element("pt-PT", 1000), element("en", 900)], Some(1)),
        (vec![element("en", 900), element("pt", 1000)], Some(1)),
        (vec![element("pt", 0), element("*", 1000)], Some(0)),
        (vec![element("en", 0), element("*", 1000)], Some(1)),
        (vec![element("fr", 1000)], None),
        (vec![element("pt-BR", 0), element("pt", 500)], None),
    ];
    for (elements, expected) in rows {
        assert_eq!(reference(&elements, EN_PT), expected, "{elements:?}");
    }
    // `pt-PT;q=1, en;q=0.9` from the model's reading of the table agrees.
    assert_eq!(
        reference(&reference_elements(&["pt-PT, en;q=0.9"]), EN_PT),
        Some(1)
    );
}
