//! The headers of an error response: its own, and `Content-Type`, `Content-Length`, `Vary` and
//! `WWW-Authenticate` as the layer sets them.

use bytes::Bytes;
use http::{
    header::{
        Entry, CONTENT_ENCODING, CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING,
        VARY, WWW_AUTHENTICATE,
    },
    response::Parts,
    HeaderMap, HeaderName, HeaderValue, Response,
};

use crate::{language::LanguageTag, ApiError, Format};

/// Response parts for `err` with nothing but its status and headers, and room for the three
/// fields the layer adds.
pub(crate) fn parts(err: &ApiError) -> Parts {
    parts_with_room(err, 3)
}

/// [`parts`] with room for `added` fields.
pub(crate) fn parts_with_room(err: &ApiError, added: usize) -> Parts {
    let (mut parts, ()) = Response::new(()).into_parts();
    parts.status = err.status();
    // Room for the error's own headers and those the layer adds, in one allocation; made in
    // the empty map (which has none) rather than in a new one that replaces it.
    parts.headers.reserve(err.headers().len() + added);
    if !err.headers().is_empty() {
        parts.headers.extend(err.headers().clone());
    }
    parts
}

/// Sets `Content-Type` and `Content-Length` for `body`.
pub(crate) fn set_body_headers(headers: &mut HeaderMap, format: Format, body: &Bytes) {
    headers.insert(CONTENT_TYPE, format.content_type());
    headers.insert(CONTENT_LENGTH, content_length(body.len()));
}

/// Sets the headers of a freshly rendered error body of `len` bytes in `format` on `headers`,
/// the head of the response it replaces the body of (or a new one): `Content-Encoding` and
/// `Transfer-Encoding` removed (no coding of the old body holds for the new one), `challenge`
/// (the layer's default `WWW-Authenticate`, for a 401) added unless the response has a
/// challenge, `Vary: Accept` added as [`add_vary_accept`] does (with `Accept-Language` when the
/// body's language was chosen by it, `languages`), and `Content-Type` and
/// `Content-Length` set; in that order, so that the fields come out in the order these steps
/// always gave.
pub(crate) fn set_error_headers(
    headers: &mut HeaderMap,
    format: Format,
    len: usize,
    challenge: Option<&HeaderValue>,
    languages: bool,
) {
    // perf: one pass over the fields, `Content-Type` and `Content-Length` set in place (the
    // response of `ApiError`'s `IntoResponse` has both and nothing else), where looking each
    // name up or inserting it (which grows a full map even to replace a field) cost more;
    // bench: instructions.sh `axum Router 404: ApiError, layer`.
    let (mut coded, mut vary, mut challenged) = (false, false, false);
    // How many `Content-Type` and `Content-Length` fields there are; the first of each is set in
    // place, and a second one makes the `insert` below remove the rest.
    let (mut types, mut lengths) = (0_u32, 0_u32);
    for (name, value) in headers.iter_mut() {
        if name == CONTENT_TYPE {
            if types == 0 {
                *value = format.content_type();
            }
            types += 1;
        } else if name == CONTENT_LENGTH {
            if lengths == 0 {
                *value = content_length(len);
            }
            lengths += 1;
        } else if name == CONTENT_ENCODING || name == TRANSFER_ENCODING {
            coded = true;
        } else if name == VARY {
            vary = true;
        } else if name == WWW_AUTHENTICATE {
            challenged = true;
        }
    }
    if coded {
        headers.remove(CONTENT_ENCODING);
        headers.remove(TRANSFER_ENCODING);
    }
    if let (Some(challenge), false) = (challenge, challenged) {
        headers.insert(WWW_AUTHENTICATE, challenge.clone());
    }
    if vary {
        add_vary_accept(headers);
        if languages {
            add_vary(headers, "Accept-Language");
        }
    } else if languages {
        headers.append(VARY, HeaderValue::from_static("Accept, Accept-Language"));
    } else {
        headers.append(VARY, HeaderValue::from_static("Accept"));
    }
    if types != 1 {
        headers.insert(CONTENT_TYPE, format.content_type());
    }
    if lengths != 1 {
        headers.insert(CONTENT_LENGTH, content_length(len));
    }
}

/// Sets the [code header](crate::ApiErrorLayer::code_header), `name`, to the error's code. A
/// code that is not a valid header value (possible only for codes given to `ApiError::new`) is
/// left out rather than mangled.
#[inline]
pub(crate) fn set_code_header(headers: &mut HeaderMap, name: Option<&HeaderName>, err: &ApiError) {
    if let Some(name) = name {
        if let Ok(code) = HeaderValue::from_str(err.code()) {
            headers.insert(name.clone(), code);
        }
    }
}

/// Sets `Content-Type: application/json` and `Content-Length` for a body of `len` bytes.
// Only `ApiError`'s axum `IntoResponse` (feature `axum`) uses it.
#[cfg_attr(not(feature = "axum"), allow(dead_code))]
pub(crate) fn set_json_headers(headers: &mut HeaderMap, len: usize) {
    headers.insert(CONTENT_TYPE, Format::Json.content_type());
    headers.insert(CONTENT_LENGTH, content_length(len));
}

/// `len` as a header value, without allocating for the lengths error bodies have.
// perf: `HeaderValue::from(len)` allocates; bench: instructions.sh `error -> JSON body, through
// the layer`.
fn content_length(len: usize) -> HeaderValue {
    match decimal(len) {
        Some(digits) => HeaderValue::from_static(digits),
        None => HeaderValue::from(len),
    }
}

/// How many numbers [`DIGITS`] spells out.
const DECIMALS: usize = 10_000;

/// The decimal numbers from 0 to 9999, written one after another ("012...9101112...").
static DIGITS: [u8; 38_890] = {
    let mut digits = [0; 38_890];
    let (mut n, mut end) = (0, 0);
    while n < DECIMALS {
        end += decimal_width(n);
        let (mut rest, mut i) = (n, end);
        loop {
            i -= 1;
            digits[i] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        n += 1;
    }
    digits
};

const fn decimal_width(n: usize) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 4,
    }
}

/// [`DIGITS`] as text, checked once at compile time.
// perf: rather than checking the slice of every length as UTF-8; bench: instructions.sh
// `error -> JSON body, through the layer`.
static DIGITS_TEXT: &str = match std::str::from_utf8(&DIGITS) {
    Ok(text) => text,
    Err(_) => panic!("DIGITS holds ASCII digits only"),
};

/// `n` in decimal, a slice of [`DIGITS`], if `n` is below [`DECIMALS`].
fn decimal(n: usize) -> Option<&'static str> {
    // Where `n` starts: past every shorter number, and past the smaller ones as long.
    let start = match n {
        0..=9 => n,
        10..=99 => 10 + (n - 10) * 2,
        100..=999 => 190 + (n - 100) * 3,
        1000..DECIMALS => 2890 + (n - 1000) * 4,
        _ => return None,
    };
    DIGITS_TEXT.get(start..start + decimal_width(n))
}

/// Adds `Accept` to `Vary` as [`add_vary`] does.
pub(crate) fn add_vary_accept(headers: &mut HeaderMap) {
    add_vary(headers, "Accept");
}

/// `Content-Language` naming `lang`, the language of the body's description: for a layer with
/// more than one language.
pub(crate) fn set_content_language(headers: &mut HeaderMap, lang: &LanguageTag) {
    headers.insert(CONTENT_LANGUAGE, lang.header_value());
}

/// Adds `field` to `Vary` unless a `Vary` field already names it or `*`. It is joined to the
/// last `Vary` line when there is one, so that the response keeps a single line: the meaning is
/// the same either way (RFC 9110, section 5.3), but some tools read only the first line of a
/// field, and an error rendered by two layers (one around a single route, one around the router)
/// would otherwise send `Vary: Accept` and `Vary: Accept-Language` apart.
fn add_vary(headers: &mut HeaderMap, field: &'static str) {
    // Most error responses start with no headers at all: nothing to look up then.
    if headers.is_empty() {
        headers.append(VARY, HeaderValue::from_static(field));
        return;
    }
    let mut lines = match headers.entry(VARY) {
        Entry::Vacant(entry) => {
            entry.insert(HeaderValue::from_static(field));
            return;
        }
        Entry::Occupied(lines) => lines,
    };
    let named = lines.iter().any(|value| {
        value.as_bytes().split(|&b| b == b',').any(|name| {
            let name = name.trim_ascii();
            name == b"*" || name.eq_ignore_ascii_case(field.as_bytes())
        })
    });
    if named {
        return;
    }
    if let Some(last) = lines.iter_mut().last() {
        let existing = last.as_bytes().trim_ascii();
        if existing.is_empty() {
            *last = HeaderValue::from_static(field);
            return;
        }
        let mut joined = Vec::with_capacity(existing.len() + 2 + field.len());
        joined.extend_from_slice(existing);
        joined.extend_from_slice(b", ");
        joined.extend_from_slice(field.as_bytes());
        // The old value was a valid field value, and so is it with `, <field>` after it.
        if let Ok(value) = HeaderValue::from_bytes(&joined) {
            *last = value;
            return;
        }
    }
    lines.append(HeaderValue::from_static(field));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_is_the_decimal_length() {
        for len in (0..12_000).chain([99_999, 1 << 20, usize::MAX]) {
            assert_eq!(content_length(len), HeaderValue::from(len), "{len}");
        }
        assert_eq!(decimal(0), Some("0"));
        assert_eq!(decimal(9999), Some("9999"));
        assert_eq!(decimal(10_000), None);
    }

    #[test]
    fn vary_is_appended_once() {
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Origin"));
        add_vary_accept(&mut headers);
        add_vary_accept(&mut headers);
        let values: Vec<_> = headers.get_all(VARY).iter().collect();
        assert_eq!(values, ["Origin, Accept"]);

        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Origin"));
        set_error_headers(&mut headers, Format::Json, 0, None, true);
        set_error_headers(&mut headers, Format::Json, 0, None, true);
        let values: Vec<_> = headers.get_all(VARY).iter().collect();
        assert_eq!(values, ["Origin, Accept, Accept-Language"]);
        let mut headers = HeaderMap::new();
        set_error_headers(&mut headers, Format::Json, 0, None, true);
        set_content_language(&mut headers, &LanguageTag::from_static("pt-BR"));
        set_error_headers(&mut headers, Format::Json, 0, None, true);
        let values: Vec<_> = headers.get_all(VARY).iter().collect();
        assert_eq!(values, ["Accept, Accept-Language"]);
        assert_eq!(headers[CONTENT_LANGUAGE], "pt-BR");

        for present in ["accept", "Origin, ACCEPT", "*"] {
            let mut headers = HeaderMap::new();
            headers.insert(VARY, HeaderValue::from_static(present));
            add_vary_accept(&mut headers);
            let values: Vec<_> = headers.get_all(VARY).iter().collect();
            assert_eq!(values, [present], "{present}");
        }
    }

    #[test]
    fn vary_is_joined_to_the_last_line() {
        // An error rendered by a route's layer (`Vary: Accept`), then by the router's layer with
        // languages: one line naming both.
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Accept"));
        set_error_headers(&mut headers, Format::Json, 0, None, true);
        let values: Vec<_> = headers.get_all(VARY).iter().collect();
        assert_eq!(values, ["Accept, Accept-Language"]);

        let mut headers = HeaderMap::new();
        headers.append(VARY, HeaderValue::from_static("Origin"));
        headers.append(VARY, HeaderValue::from_static("Cookie "));
        add_vary_accept(&mut headers);
        let values: Vec<_> = headers.get_all(VARY).iter().collect();
        assert_eq!(values, ["Origin", "Cookie, Accept"]);

        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static(""));
        add_vary_accept(&mut headers);
        assert_eq!(headers[VARY], "Accept");

        // A value with obs-text stays as it was, with the field joined after it.
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_bytes(b"X-\xe9").unwrap());
        add_vary_accept(&mut headers);
        assert_eq!(headers[VARY].as_bytes(), b"X-\xe9, Accept");
    }
}
