//! Escaping text into JSON strings and XML character data.
//!
//! JSON strings are escaped exactly as serde_json escapes them, and carry every character.
//!
//! XML text is escaped so that any XML parser gives back exactly the text of the error: `&`, `<`
//! and `>` become `&amp;`, `&lt;` and `&gt;`, and a carriage return becomes `&#13;` (a literal one
//! would be read back as a line feed). XML 1.0 cannot carry the other control characters
//! (U+0000 to U+001F except tab, line feed and carriage return) nor U+FFFE and U+FFFF, not even as
//! character references, so each of those is replaced by U+FFFD REPLACEMENT CHARACTER.

use bytes::{BufMut, BytesMut};

/// `<name>text</name>`, the text escaped.
pub(crate) fn element(buf: &mut BytesMut, name: &str, text: &str) {
    buf.put_u8(b'<');
    buf.put_slice(name.as_bytes());
    buf.put_u8(b'>');
    escape_xml(buf, text);
    buf.put_slice(b"</");
    buf.put_slice(name.as_bytes());
    buf.put_u8(b'>');
}

/// Writes `text` as the contents of a JSON string, escaped exactly as serde_json escapes it: `"`
/// and `\\` with a backslash, the control characters U+0000 to U+001F as `\\b`, `\\t`, `\\n`,
/// `\\f`, `\\r` or `\\u00xx`, everything else as it is.
pub(super) fn escape_json(buf: &mut impl BufMut, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        let i = start + plain_json_len(&bytes[start..]);
        let Some(&b) = bytes.get(i) else { break };
        buf.put_slice(&bytes[start..i]);
        start = i + 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            0x0C => b'f',
            b'\r' => b'r',
            _ => {
                let [high, low] = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]];
                buf.put_slice(&[b'\\', b'u', b'0', b'0', high, low]);
                continue;
            }
        };
        buf.put_slice(&[b'\\', short]);
    }
    buf.put_slice(&bytes[start..]);
}

/// The length of `text` once [`escape_json`] has escaped it.
pub(super) fn json_len(text: &str) -> usize {
    // perf: one table look-up per byte, which costs less on the short texts of errors than
    // searching eight bytes at a time; bench: instructions.sh `into_response: ApiError (JSON)`.
    text.len()
        + text
            .bytes()
            .map(|b| usize::from(JSON_EXTRA[usize::from(b)]))
            .sum::<usize>()
}

/// `JSON_EXTRA[b]`: how many bytes [`escape_json`] writes for `b` beyond the byte itself: 1 for
/// `\x` (`"`, `\\` and the control characters with a short escape), 5 for `\u00xx` (the other
/// control characters), 0 for every byte a JSON string carries as it is.
static JSON_EXTRA: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = match b {
            0x08 | 0x09 | 0x0A | 0x0C | 0x0D => 1,
            _ => 5,
        };
        b += 1;
    }
    table[b'"' as usize] = 1;
    table[b'\\' as usize] = 1;
    table
};

/// How many bytes at the start of `bytes` a JSON string carries as they are: up to the first
/// control character, `"` or `\\`.
///
/// Eight bytes at a time: `(x - 0x2020..) & !x & 0x8080..` marks bytes below 0x20, and with
/// `x ^ (b * 0x0101..)` in place of `x` and 0x01 for 0x20, bytes equal to `b`. The lowest mark is
/// exact (a borrow can only mark bytes above a true one).
// perf: [`escape_json`] runs only on texts that need escaping, and searching between the bytes
// it escapes a word at a time costs less than a table look-up per byte; bench: instructions.sh
// `error -> JSON body, through the layer` with a `DESCRIPTION` holding quotes.
fn plain_json_len(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    fn below(x: u64, n: u8) -> u64 {
        x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS
    }
    let Some(last) = bytes.len().checked_sub(8) else {
        return bytes
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            .unwrap_or(bytes.len());
    };
    let mut i = 0;
    loop {
        // The last word ends where the text does, overlapping the one before rather than
        // leaving up to seven bytes to look at one by one. Its bytes before `i` were found
        // plain, so its lowest mark is still the first byte to escape.
        let start = i.min(last);
        let Some(chunk) = bytes[start..].first_chunk::<8>() else {
            return bytes.len();
        };
        let word = u64::from_le_bytes(*chunk);
        let found = below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1);
        if found != 0 {
            return start + found.trailing_zeros() as usize / 8;
        }
        if start == last {
            return bytes.len();
        }
        i += 8;
    }
}

/// `n` in decimal, written at the end of `buf` (20 bytes hold `i64::MIN`).
pub(super) fn integer(buf: &mut [u8; 20], n: i64) -> &[u8] {
    let mut rest = n.unsigned_abs();
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        start -= 1;
        buf[start] = b'-';
    }
    &buf[start..]
}

/// Writes `text` as XML character data; see the [module docs](self) for the rules.
pub(crate) fn escape_xml(buf: &mut BytesMut, text: &str) {
    const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, width): (&[u8], usize) = match bytes[i] {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'\r' => (b"&#13;", 1),
            b'\t' | b'\n' => {
                i += 1;
                continue;
            }
            0x00..=0x1F => (REPLACEMENT, 1),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                (REPLACEMENT, 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        buf.put_slice(&bytes[start..i]);
        buf.put_slice(replacement);
        i += width;
        start = i;
    }
    buf.put_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_len_is_the_escaped_length() {
        let mut texts: Vec<String> = (0..=0x7F_u8).map(|b| char::from(b).to_string()).collect();
        texts.extend(
            [
                "",
                "plain text, longer than eight bytes",
                "\"quoted\" \\ back\\slash\r\n\t\u{8}\u{c}\u{1}\u{1f}",
                "caf\u{e9} \u{1F600} \u{FFFE}\u{7f}",
                "\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}x",
            ]
            .map(str::to_owned),
        );
        for text in texts {
            let mut buf = BytesMut::new();
            escape_json(&mut buf, &text);
            assert_eq!(json_len(&text), buf.len(), "{text:?}");
        }
    }

    #[test]
    fn plain_json_len_finds_the_first_byte_to_escape() {
        let naive = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
                .unwrap_or(bytes.len())
        };
        // Every length around the word size, each escaped byte at every place, alone and with
        // a second one after it (which the overlapping last word sees again).
        for len in 0..=26 {
            let plain = vec![b'a'; len];
            assert_eq!(plain_json_len(&plain), len);
            for at in 0..len {
                for special in [0x00, 0x1F, b'"', b'\\', b'\n'] {
                    let mut text = plain.clone();
                    text[at] = special;
                    assert_eq!(plain_json_len(&text), naive(&text), "{text:?}");
                    if let Some(later) = text.get_mut(len - 1) {
                        *later = b'"';
                    }
                    assert_eq!(plain_json_len(&text), naive(&text), "{text:?}");
                }
            }
            // Bytes just above the escaped ones, and non-ASCII bytes, are plain.
            let high: Vec<u8> = (0..len)
                .map(|i| [0x20, b'#', b']', 0x7F, 0xFF][i % 5])
                .collect();
            assert_eq!(plain_json_len(&high), len, "{high:?}");
        }
    }

    #[test]
    fn integers_are_decimal() {
        for n in [
            0,
            1,
            -1,
            9,
            10,
            -10,
            1234567890,
            i64::MIN,
            i64::MAX,
            i64::MIN + 1,
        ] {
            assert_eq!(integer(&mut [0; 20], n), n.to_string().as_bytes(), "{n}");
        }
    }

    #[test]
    fn statuses_need_no_escaping() {
        for status in 400..=599 {
            let status = http::StatusCode::from_u16(status).unwrap();
            let text = status.as_str();
            let (mut json, mut xml) = (BytesMut::new(), BytesMut::new());
            escape_json(&mut json, text);
            escape_xml(&mut xml, text);
            assert_eq!(json, text.as_bytes(), "{status}");
            assert_eq!(xml, text.as_bytes(), "{status}");
        }
    }

    fn xml_text(text: &str) -> String {
        let mut buf = BytesMut::new();
        escape_xml(&mut buf, text);
        String::from_utf8(buf.to_vec()).unwrap()
    }

    #[test]
    fn escapes_markup_and_carriage_returns() {
        assert_eq!(
            xml_text("a < b && c > d ]]>"),
            "a &lt; b &amp;&amp; c &gt; d ]]&gt;"
        );
        assert_eq!(xml_text("\"quoted\" 'single'"), "\"quoted\" 'single'");
        assert_eq!(xml_text("line\r\nnext\ttab"), "line&#13;\nnext\ttab");
    }

    #[test]
    fn replaces_characters_xml_cannot_carry() {
        assert_eq!(
            xml_text("a\u{0}b\u{1b}c\u{b}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(
            xml_text("x\u{FFFE}y\u{FFFF}z\u{FFFD}"),
            "x\u{FFFD}y\u{FFFD}z\u{FFFD}"
        );
        // Other characters starting with the same byte are kept.
        assert_eq!(xml_text("\u{F000}\u{FFEE}€"), "\u{F000}\u{FFEE}€");
        assert_eq!(xml_text("\u{FFFF}"), "\u{FFFD}");
        assert_eq!(xml_text(""), "");
    }
}
