//! The pieces the header properties share: hostile header bytes built from a grammar's pieces,
//! optional whitespace, and case changes.

use proptest::{collection::vec, prelude::*, sample::select};

/// Bytes made of `pieces` (a header grammar's words and separators), arbitrary bytes (control
/// and non-UTF-8 ones included), and long runs of one piece.
pub(crate) fn header_bytes(pieces: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => select(pieces).prop_map(<[u8]>::to_vec),
        2 => any::<u8>().prop_map(|b| vec![b]),
        1 => vec(any::<u8>(), 0..32),
        1 => (select(pieces), 100..4_000usize).prop_map(|(p, n)| p.repeat(n)),
    ];
    vec(piece, 0..32).prop_map(|pieces| pieces.concat())
}

/// `bytes` with the ASCII letters whose bit is set in the (repeating) mask in the other case.
pub(crate) fn flip_case(bytes: &[u8], mask: u64) -> Vec<u8> {
    bytes
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if mask >> (i % 64) & 1 == 1 && b.is_ascii_alphabetic() {
                b ^ 0x20
            } else {
                b
            }
        })
        .collect()
}

/// [`flip_case`] of a text.
pub(crate) fn mixed_case(text: &str, mask: u64) -> String {
    String::from_utf8(flip_case(text.as_bytes(), mask)).unwrap()
}

/// Optional whitespace (RFC 9110's `OWS`), mostly none.
pub(crate) fn ows() -> impl Strategy<Value = &'static str> {
    select(&["", "", "", " ", "\t", "  ", " \t"][..])
}

/// What separates the elements of a list field (RFC 9110 section 5.6.1), empty elements included.
pub(crate) fn list_separator() -> impl Strategy<Value = &'static str> {
    select(&[",", ", ", " ,", " , ", ",\t", ",,"][..])
}
