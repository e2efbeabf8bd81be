//! The weight an `Accept` header gives each of a list of media types, read by the same grammar
//! and with the same leniency as the layer's negotiation: for responses that are not the layer's
//! error bodies, such as the catalogue's documentation page.

use http::HeaderValue;

use super::{
    grammar::{self, Element, MediaRange},
    Match, Specificity, Weight, EXACT, TYPE_WILDCARD, WILDCARD,
};

/// The weight the `Accept` field lines `accept` give each of the media types `offered`
/// (`(type, subtype)`, compared without regard to ASCII case), in the same order.
///
/// A media type's weight is that of the most specific media range that matches it
/// (`type/subtype`, then `type/*`, then `*/*` or `*` alone), the highest of those if several are
/// equally specific. A media type that no range matches, or only ranges with `q=0`, gets
/// [`Weight::ZERO`]. The elements are read as the [module documentation](super) says: malformed
/// ones are skipped, the rest of the header is used. Without `Accept` every weight is
/// [`Weight::ZERO`]: what that means is the caller's decision.
pub(crate) fn weigh<'a, const N: usize>(
    accept: impl IntoIterator<Item = &'a HeaderValue>,
    offered: [(&str, &str); N],
) -> [Weight; N] {
    let mut matches = [Match::NONE; N];
    for value in accept {
        grammar::each_element(value.as_bytes(), |bytes| {
            let (element, end) = grammar::read_element(bytes, true, |range| {
                let specificities = offered.map(|(ty, subtype)| specificity(range, ty, subtype));
                specificities
                    .iter()
                    .any(|&s| s > 0)
                    .then_some(specificities)
            });
            if let Element::Offers(specificities, q) = element {
                for (matched, specificity) in matches.iter_mut().zip(specificities) {
                    if specificity > 0 {
                        matched.offer(specificity, q);
                    }
                }
            }
            end
        });
    }
    // An unmatched media type keeps the weight of `Match::NONE`, zero.
    matches.map(|matched| matched.q)
}

/// How specifically `range` matches the media type `ty/subtype`, 0 if it does not.
fn specificity(range: MediaRange<'_>, ty: &str, subtype: &str) -> Specificity {
    if range == MediaRange::ANY {
        WILDCARD
    } else if !range.ty.eq_ignore_ascii_case(ty.as_bytes()) {
        0
    } else if range.subtype == b"*" {
        TYPE_WILDCARD
    } else if range.subtype.eq_ignore_ascii_case(subtype.as_bytes()) {
        EXACT
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERED: [(&str, &str); 3] = [
        ("text", "html"),
        ("application", "json"),
        ("application", "xml"),
    ];

    /// The weights, in thousandths, of `text/html`, `application/json` and `application/xml`.
    fn weights(accept: &[&str]) -> [u16; 3] {
        let values: Vec<HeaderValue> = accept
            .iter()
            .map(|value| HeaderValue::from_str(value).unwrap())
            .collect();
        weigh(&values, OFFERED).map(|weight| weight.0)
    }

    #[test]
    fn the_most_specific_range_decides() {
        assert_eq!(weights(&[]), [0, 0, 0]);
        assert_eq!(weights(&["*/*"]), [1000, 1000, 1000]);
        assert_eq!(
            weights(&["application/*;q=0.5, application/xml"]),
            [0, 500, 1000]
        );
        assert_eq!(
            weights(&["application/xml, application/*;q=0.5"]),
            [0, 500, 1000]
        );
        assert_eq!(weights(&["*/*;q=0.1, Text/HTML;q=0.9"]), [900, 100, 100]);
        assert_eq!(weights(&["text/*;q=0.3", "*/*;q=0.2"]), [300, 200, 200]);
        // The same range twice: the highest weight.
        assert_eq!(
            weights(&["application/json;q=0.2, application/json;q=0.4"]),
            [0, 400, 0]
        );
        // `q=0` excludes, even under a wildcard that admits.
        assert_eq!(weights(&["application/json;q=0, */*"]), [1000, 0, 1000]);
        // No suffix rules: `+xml` is not `application/xml` here.
        assert_eq!(weights(&["application/xhtml+xml"]), [0, 0, 0]);
    }

    #[test]
    fn elements_are_read_as_the_layer_reads_them() {
        // `*` alone is `*/*`, and `q=.2` is 0.2.
        assert_eq!(weights(&["*; q=.2"]), [200, 200, 200]);
        // A comma inside a quoted string does not end the element.
        assert_eq!(
            weights(&["application/json;q=0.5;x=\"a, text/html, b\""]),
            [0, 500, 0]
        );
        // Digits past the third decimal are ignored.
        assert_eq!(weights(&["application/json;q=0.1234"]), [0, 123, 0]);
        // Malformed elements are skipped, the rest is used.
        assert_eq!(
            weights(&["application/json;q=2, */json, application/xml;q=0.3"]),
            [0, 0, 300]
        );
        // A quoted string left open runs to the end of its field line, skipped from there on.
        assert_eq!(
            weights(&[
                "application/json, text/html;p=\"open, application/xml",
                "text/*"
            ]),
            [1000, 1000, 0]
        );
    }
}
