//! The request's `Accept-Language`, kept from `call` until an error is rendered: a success never
//! reads it, and the layer pays only for keeping it.

use bytes::Bytes;
use http::{header::ACCEPT_LANGUAGE, HeaderMap, HeaderValue};

/// The longest value copied in place; `pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7` has 35 bytes.
/// A longer one shares the request's buffer.
// perf: sharing a value the request built from a `String` allocates on its first clone, which
// `tests/alloc.rs` would count on every success; a copy in place does not allocate.
const INLINE: usize = 46;

/// The field lines of a request's `Accept-Language`, joined.
#[derive(Clone)]
pub(crate) enum KeptAcceptLanguage {
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Shared(HeaderValue),
    /// Several field lines, joined with commas as RFC 9110 (section 5.3) combines them.
    Joined(Bytes),
}

impl KeptAcceptLanguage {
    /// The request's `Accept-Language`, given its first field line as the layer's one look-up
    /// found it (see `negotiate_request`), and whether more lines follow, which are then
    /// looked up in `headers`.
    pub(crate) fn capture(first: &HeaderValue, more: bool, headers: &HeaderMap) -> Self {
        if !more {
            let value = first.as_bytes();
            return match u8::try_from(value.len()) {
                Ok(len) if value.len() <= INLINE => {
                    let mut bytes = [0; INLINE];
                    bytes[..value.len()].copy_from_slice(value);
                    Self::Inline { len, bytes }
                }
                _ => Self::Shared(first.clone()),
            };
        }
        let lines = headers.get_all(ACCEPT_LANGUAGE);
        let mut joined = Vec::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                joined.push(b',');
            }
            joined.extend_from_slice(line.as_bytes());
        }
        Self::Joined(Bytes::from(joined))
    }

    /// The value, all field lines joined.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Self::Shared(value) => value.as_bytes(),
            Self::Joined(bytes) => bytes,
        }
    }
}

impl std::fmt::Debug for KeptAcceptLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_kept_whatever_its_length() {
        let long = format!("pt-BR, {}", "en;q=0.5, ".repeat(10));
        for lines in [
            vec!["pt-BR"],
            vec![long.as_str()],
            vec!["fr;q=0.9", "pt-BR", ""],
        ] {
            let mut headers = HeaderMap::new();
            for line in &lines {
                headers.append(ACCEPT_LANGUAGE, HeaderValue::from_str(line).unwrap());
            }
            let first = headers.get(ACCEPT_LANGUAGE).unwrap();
            let kept = KeptAcceptLanguage::capture(first, lines.len() > 1, &headers);
            assert_eq!(kept.as_bytes(), lines.join(",").as_bytes());
        }
    }
}
