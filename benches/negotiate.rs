//! Content negotiation on real `Accept` headers.
//!
//! Subject: `tower_api_error::negotiate::negotiate(&HeaderMap, Format::Json)`, the whole decision
//! the layer makes per request (both header look-ups included).
//!
//! Baseline, measured in the same run on the same `HeaderMap`s: the `accept-header` crate doing
//! the equivalent work, i.e. look up `Accept`, `to_str`, parse it into `accept_header::Accept`,
//! and choose between `application/json` and `application/xml` with `Accept::negotiate` (the
//! two candidate `Mime`s are built once, outside the timed loop). A missing `Accept` or one that
//! `accept-header` cannot parse falls back to JSON, as `negotiate` does.
//!
//! Inputs: the default `Accept` of Chromium, Firefox, curl, axios and Java's `HttpURLConnection`,
//! an absent header, a 3 KB header of 100 media ranges (2998 bytes; the issue asked for about
//! 2 KB, so this one is the harder case), and a one-range header
//! (`application/json`); `throughput` is the header's length in bytes, so per-byte speed can be
//! compared between the one-range and the 3 KB header (the linearity ratio).
//!
//! ```text
//! cargo bench --bench negotiate -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! Group `find_delimiter`: the search for the next `,` or `"` that skips the rest of an element
//! (`find_delimiter` in `src/negotiate/grammar.rs`, copied here as `hand_scan`, for it is
//! private) against `memchr::memchr2`, on the haystacks negotiating Chromium's, Firefox's and
//! Java's `Accept` searches, a quoted parameter value, and a 3 KB parameter value without a
//! delimiter. The unit test `negotiate::grammar::tests::find_delimiter_or_memchr2` counts the
//! instructions of the same searches under callgrind.
//!
//! Group `accept_language`: `tower_api_error::negotiate::negotiate_language(&HeaderMap,
//! &["en", "pt-BR"])` on a typical browser's `Accept-Language`
//! (`pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7`), an absent header, 10 KB of elements that match no
//! available language, then `pt;q=0.1` (10,239 bytes), 1,000 elements that all match one
//! (`pt-PT;q=0.5` and `en;q=0.4` in turn, each compared with both tags; 11,498 bytes), and 50
//! ranges of 200 characters (10,098 bytes; each range skipped as too long). As a baseline in the
//! same group, `negotiate` on Chromium's `Accept`. `throughput` is the header's length in bytes.
//!
//! ```text
//! taskset -c 1 cargo bench --bench negotiate -- accept_language
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use http::{
    header::{ACCEPT, ACCEPT_LANGUAGE},
    HeaderMap, HeaderValue,
};
use tower_api_error::{
    negotiate::{negotiate, negotiate_language},
    Format,
};

const CHROMIUM: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
    image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
const FIREFOX: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
const CURL: &str = "*/*";
const AXIOS: &str = "application/json, text/plain, */*";
const JAVA: &str = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2";
const ONE_RANGE: &str = "application/json";

/// 100 media ranges of four shapes (2998 bytes): types the layer ignores, `+json` suffixes it
/// ranks, other `application/` subtypes with parameters, all weighted.
fn many_ranges() -> String {
    let mut accept = String::new();
    for i in 0..100 {
        if i > 0 {
            accept.push_str(", ");
        }
        let q = i % 9 + 1;
        accept.push_str(&match i % 4 {
            0 => format!("text/html;q=0.{q}"),
            1 => format!("application/vnd.example.r{i:03}+json;q=0.{q}"),
            2 => format!("image/x-example-{i:03};q=0.{q}"),
            _ => format!("application/x-ex{i:03};level=1;q=0.{q}"),
        });
    }
    accept
}

fn cases() -> Vec<(&'static str, Option<String>)> {
    vec![
        ("chromium", Some(CHROMIUM.to_owned())),
        ("firefox", Some(FIREFOX.to_owned())),
        ("curl", Some(CURL.to_owned())),
        ("axios", Some(AXIOS.to_owned())),
        ("java", Some(JAVA.to_owned())),
        ("absent", None),
        ("one_range", Some(ONE_RANGE.to_owned())),
        ("100_ranges_3kb", Some(many_ranges())),
    ]
}

/// The `accept-header` crate's equivalent of `negotiate`: a closure, so that the two candidate
/// `Mime`s (a type this crate does not name) are built once and captured.
fn accept_header_negotiate() -> impl Fn(&HeaderMap) -> Option<Format> {
    let mime = |s: &str| {
        s.parse::<accept_header::MediaType>()
            .expect("a valid media type")
            .mime
    };
    let available = [mime("application/json"), mime("application/xml")];
    move |headers| {
        let Some(accept) = headers.get(ACCEPT) else {
            return Some(Format::Json);
        };
        let parsed = accept
            .to_str()
            .ok()
            .and_then(|s| s.parse::<accept_header::Accept>().ok());
        let Some(parsed) = parsed else {
            return Some(Format::Json);
        };
        match parsed.negotiate(&available) {
            Ok(mime) if mime == available[0] => Some(Format::Json),
            Ok(_) => Some(Format::Xml),
            Err(_) => None,
        }
    }
}

fn bench(c: &mut Criterion) {
    let baseline = accept_header_negotiate();
    let mut group = c.benchmark_group("negotiate");
    for (name, accept) in cases() {
        let mut headers = HeaderMap::new();
        if let Some(accept) = &accept {
            headers.insert(
                ACCEPT,
                HeaderValue::from_str(accept).expect("a valid header"),
            );
        }
        group.throughput(Throughput::Bytes(
            accept.as_ref().map_or(0, |a| a.len()) as u64
        ));
        group.bench_with_input(
            BenchmarkId::new("tower_api_error", name),
            &headers,
            |b, headers| b.iter(|| negotiate(black_box(headers), black_box(Format::Json))),
        );
        group.bench_with_input(
            BenchmarkId::new("accept_header", name),
            &headers,
            |b, headers| b.iter(|| baseline(black_box(headers))),
        );
    }
    group.finish();
}

/// Haystacks of the search for the end of an element, as negotiating each header searches them
/// (the same as `delimiter_haystacks` in `src/negotiate/grammar.rs`).
fn delimiter_cases() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let tails = |tails: &[&str]| -> Vec<Vec<u8>> {
        tails.iter().map(|tail| tail.as_bytes().to_vec()).collect()
    };
    vec![
        (
            "chromium",
            tails(&[
                "image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                ";v=b3;q=0.7",
            ]),
        ),
        (
            "firefox",
            tails(&["image/avif,image/webp,*/*;q=0.8", "image/webp,*/*;q=0.8"]),
        ),
        (
            "java",
            tails(&[
                "image/gif, image/jpeg, *; q=.2, */*; q=.2",
                "image/jpeg, *; q=.2, */*; q=.2",
            ]),
        ),
        (
            "quoted",
            tails(&[
                ";profile=\"https://example.com/a,b\";q=0.9, application/xml",
                ";q=0.9, application/xml",
            ]),
        ),
        ("hostile_3kb", vec![[&b";p="[..], &[b'x'; 3000]].concat()]),
    ]
}

/// The crate's own scan (`src/negotiate/grammar.rs`): the index of the first `,` or `"` in
/// `bytes`, or its length, eight bytes at a time.
fn hand_scan(bytes: &[u8]) -> usize {
    tower_api_error::__private::find_delimiter(bytes)
}

fn memchr2(bytes: &[u8]) -> usize {
    memchr::memchr2(b',', b'"', bytes).unwrap_or(bytes.len())
}

fn bench_find_delimiter(c: &mut Criterion) {
    let mut group = c.benchmark_group("find_delimiter");
    for (name, haystacks) in delimiter_cases() {
        for haystack in &haystacks {
            assert_eq!(hand_scan(haystack), memchr2(haystack), "{name}");
        }
        let search = |find: fn(&[u8]) -> usize| {
            move |b: &mut criterion::Bencher<'_>, haystacks: &Vec<Vec<u8>>| {
                b.iter(|| {
                    for haystack in haystacks {
                        black_box(find(black_box(haystack)));
                    }
                });
            }
        };
        group.bench_with_input(
            BenchmarkId::new("hand_scan", name),
            &haystacks,
            search(hand_scan),
        );
        group.bench_with_input(
            BenchmarkId::new("memchr2", name),
            &haystacks,
            search(memchr2),
        );
    }
    group.finish();
}

/// The application's languages in the `accept_language` group: the default, then one more.
const LANGUAGES: [&str; 2] = ["en", "pt-BR"];

/// A browser's `Accept-Language` for a Brazilian user.
const BROWSER_LANGUAGES: &str = "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7";

/// 10 KB (10,239 bytes) of elements that match no available language, then `pt;q=0.1`.
fn language_10kb() -> String {
    "de-DE;q=0.5, ".repeat(787) + "pt;q=0.1"
}

/// 1,000 elements that each match an available language: `pt-PT;q=0.5` (by truncation) and
/// `en;q=0.4`, in turn.
fn language_1000_elements() -> String {
    (0..1_000)
        .map(|i| {
            if i % 2 == 0 {
                "pt-PT;q=0.5"
            } else {
                "en;q=0.4"
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// 50 ranges of 200 characters (letters and `-`, subtags of 8), each longer than any range read.
fn language_200_char_tags() -> String {
    let tag = ["abcdefgh"; 25].join("-")[..200].to_owned();
    vec![tag; 50].join(", ")
}

fn bench_accept_language(c: &mut Criterion) {
    let mut group = c.benchmark_group("accept_language");
    let cases = [
        ("typical", Some(BROWSER_LANGUAGES.to_owned()), Some(1)),
        ("absent", None, None),
        ("10kb", Some(language_10kb()), Some(1)),
        ("1000_elements", Some(language_1000_elements()), Some(1)),
        ("200_char_tags", Some(language_200_char_tags()), None),
    ];
    for (name, header, expected) in cases {
        let mut headers = HeaderMap::new();
        if let Some(header) = &header {
            headers.insert(
                ACCEPT_LANGUAGE,
                HeaderValue::from_str(header).expect("a valid header"),
            );
        }
        assert_eq!(negotiate_language(&headers, &LANGUAGES), expected, "{name}");
        group.throughput(Throughput::Bytes(
            header.as_ref().map_or(0, |h| h.len()) as u64
        ));
        group.bench_with_input(
            BenchmarkId::new("negotiate_language", name),
            &headers,
            |b, headers| b.iter(|| negotiate_language(black_box(headers), black_box(&LANGUAGES))),
        );
    }
    // The baseline: the layer's `Accept` negotiation on Chromium's `Accept`.
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static(CHROMIUM));
    group.throughput(Throughput::Bytes(CHROMIUM.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("negotiate_accept", "chromium"),
        &headers,
        |b, headers| b.iter(|| negotiate(black_box(headers), black_box(Format::Json))),
    );
    group.finish();
}

criterion_group!(benches, bench, bench_find_delimiter, bench_accept_language);
criterion_main!(benches);
