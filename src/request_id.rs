//! The request id that error bodies and log events quote (see
//! [`ApiErrorLayer::request_id_header`](crate::ApiErrorLayer::request_id_header)).

use std::fmt;

use http::HeaderValue;
#[cfg(test)]
use http::{HeaderMap, HeaderName};

/// The longest id that is echoed. UUIDs (36 bytes), ULIDs (26), tower-http's ids and those of
/// the usual proxies fit; a longer one is not echoed. Being short, it is copied in place, so a
/// request that carries one pays no allocation for it.
pub(crate) const MAX_LEN: usize = 64;

/// A request id taken from a request header: 1 to [`MAX_LEN`] bytes of `A-Z`, `a-z`, `0-9`,
/// `.`, `_`, `:` and `-`, which need no escaping in JSON, XML or a log line.
#[derive(Clone, Copy)]
pub(crate) struct RequestId {
    len: u8,
    bytes: [u8; MAX_LEN],
}

impl RequestId {
    /// The id in the first `name` header of `headers`, if it is a short visible token; anything
    /// else (absent, empty, too long, other bytes, a second field line ignored) gives `None`.
    #[cfg(test)]
    pub(crate) fn capture(headers: &HeaderMap, name: &HeaderName) -> Option<Self> {
        Self::of(headers.get(name)?)
    }

    /// The id in `value`, the first field line of the request id's header: see
    /// [`capture`](Self::capture).
    pub(crate) fn of(value: &HeaderValue) -> Option<Self> {
        let value = value.as_bytes();
        if value.is_empty() || value.len() > MAX_LEN || !value.iter().all(|&b| is_id_byte(b)) {
            return None;
        }
        let mut bytes = [0; MAX_LEN];
        bytes[..value.len()].copy_from_slice(value);
        Some(Self {
            len: value.len() as u8,
            bytes,
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII bytes were copied in.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-')
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(value: &[u8]) -> Option<String> {
        let name = HeaderName::from_static("x-request-id");
        let mut headers = HeaderMap::new();
        headers.insert(name.clone(), HeaderValue::from_bytes(value).unwrap());
        RequestId::capture(&headers, &name).map(|id| id.as_str().to_owned())
    }

    #[test]
    fn only_short_visible_tokens_are_kept() {
        for kept in [
            &b"a"[..],
            b"0f9c2a7e-1d2b-4c3e-9f00-1234567890ab",
            b"01J9Z8X7W6V5U4T3S2R1Q0P9N8",
            b"req_12.34:56-AB",
            &[b'x'; MAX_LEN],
        ] {
            assert_eq!(id(kept).as_deref().map(str::as_bytes), Some(kept));
        }
        for dropped in [
            &b""[..],
            b"has space",
            b"quote\"d",
            b"<script>",
            b"a&b",
            b"semi;colon",
            b"caf\xc3\xa9",
            b"tab\there",
            &[b'x'; MAX_LEN + 1],
        ] {
            assert_eq!(id(dropped), None, "{:?}", String::from_utf8_lossy(dropped));
        }
        let headers = HeaderMap::new();
        assert!(RequestId::capture(&headers, &HeaderName::from_static("x-request-id")).is_none());
    }
}
