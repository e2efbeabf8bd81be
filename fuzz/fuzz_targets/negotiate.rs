//! Bytes → `Accept` field lines and `Content-Type` → `negotiate`.
//!
//! Input layout: the first byte picks the preferred format and whether the last line is a
//! `Content-Type`; the rest is split at `\n` into header values. Values `HeaderValue` rejects
//! are left out, as a server never hands them to the layer.
//!
//! Checked: no panic, a result in the closed set, the same result twice, agreement of
//! `negotiate` and `negotiate_values`, the preferred format and `Content-Type` only breaking
//! ties, and field lines combining as if joined by commas (for lines without quotes).

#![no_main]

use http::{
    header::{ACCEPT, CONTENT_TYPE},
    HeaderMap, HeaderValue,
};
use libfuzzer_sys::fuzz_target;
use tower_api_error::{
    negotiate::{negotiate, negotiate_values},
    Format,
};

const PREFERRED: [Format; 3] = [Format::Json, Format::Xml, Format::TextXml];

fn headers(accept: &[&[u8]], content_type: Option<&[u8]>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for line in accept {
        if let Ok(value) = HeaderValue::from_bytes(line) {
            headers.append(ACCEPT, value);
        }
    }
    if let Some(value) = content_type.and_then(|ct| HeaderValue::from_bytes(ct).ok()) {
        headers.insert(CONTENT_TYPE, value);
    }
    headers
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let preferred = PREFERRED[usize::from(flags % 3)];
    let mut lines: Vec<&[u8]> = rest.split(|&b| b == b'\n').collect();
    let content_type = if flags & 0x80 != 0 { lines.pop() } else { None };

    let map = headers(&lines, content_type);
    let first = negotiate(&map, preferred);
    assert!(matches!(
        first,
        None | Some(
            Format::Json
                | Format::Xml
                | Format::TextXml
                | Format::ProblemJson
                | Format::ProblemXml
        )
    ));
    assert_eq!(negotiate(&map, preferred), first, "not deterministic");
    let values: Vec<HeaderValue> = map.get_all(ACCEPT).iter().cloned().collect();
    assert_eq!(
        negotiate_values(&values, map.get(CONTENT_TYPE), preferred),
        first
    );

    // The preferred format and `Content-Type` only break ties.
    let without_ct = headers(&lines, None);
    for map in [&map, &without_ct] {
        let answers = PREFERRED.map(|p| negotiate(map, p));
        assert_eq!(answers[1], answers[2], "TextXml preferred differs from Xml");
        for answer in answers {
            assert_eq!(answer.is_some(), first.is_some(), "acceptability changed");
            if let (Some(a), Some(b)) = (answer, first) {
                if a.is_xml() && b.is_xml() {
                    assert_eq!(a, b, "XML flavour changed with a tie-breaker");
                }
            }
        }
    }

    // Field lines combine as if joined by commas.
    let valid: Vec<&[u8]> = lines
        .iter()
        .copied()
        .filter(|l| HeaderValue::from_bytes(l).is_ok())
        .collect();
    if !valid.is_empty() && valid.iter().all(|l| !l.contains(&b'"')) {
        let joined = valid.join(&b","[..]);
        assert_eq!(
            negotiate(&headers(&[&joined], None), preferred),
            negotiate(&without_ct, preferred),
            "joined lines differ"
        );
    }
});
