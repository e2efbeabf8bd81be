#![doc = include_str!("docs/rate_limits.md")]

use std::{borrow::Cow, error::Error as StdError, fmt, time::Duration};

use http::{HeaderMap, HeaderName, HeaderValue};

/// `RateLimit-Policy`: the quota policies of the server (draft-ietf-httpapi-ratelimit-headers).
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
/// `RateLimit`: the current state of the quota policies.
pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// The problem type of a `429` with a rate limit: the request exceeded a quota policy.
pub const QUOTA_EXCEEDED: &str = "https://iana.org/assignments/http-problem-types#quota-exceeded";
/// The problem type of a `503` with a rate limit: the server's capacity is temporarily reduced.
pub const TEMPORARY_REDUCED_CAPACITY: &str =
    "https://iana.org/assignments/http-problem-types#temporary-reduced-capacity";

/// The largest structured-field Integer (RFC 9651, section 3.3.1: at most 15 digits); larger
/// quotas, windows and counts are sent as this.
const MAX_INTEGER: u64 = 999_999_999_999_999;

/// The longest policy name, in bytes.
const MAX_NAME_LEN: usize = 64;

/// What a quota is counted in: the `qu` parameter of `RateLimit-Policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum QuotaUnit {
    /// Requests, the draft's default (no `qu` parameter is sent).
    #[default]
    Requests,
    /// Bytes of content: `qu="content-bytes"`.
    ContentBytes,
    /// Requests in flight at once: `qu="concurrent-requests"`.
    ConcurrentRequests,
}

impl QuotaUnit {
    fn as_str(self) -> Option<&'static str> {
        match self {
            QuotaUnit::Requests => None,
            QuotaUnit::ContentBytes => Some("content-bytes"),
            QuotaUnit::ConcurrentRequests => Some("concurrent-requests"),
        }
    }
}

/// A quota policy: a name, a quota, and optionally a window and a unit. It is one item of
/// `RateLimit-Policy`, such as `"hour";q=100;w=3600`.
///
/// The name must be a structured-field key (RFC 9651, section 3.1.2): a lowercase letter or `*`,
/// then lowercase letters, digits, `_`, `-`, `.` and `*`, at most 64 bytes. Such a name is sent
/// as a quoted String, as the draft's examples do, and needs no escaping anywhere. Numbers above
/// the largest structured-field Integer (999 999 999 999 999) are sent as that number.
///
/// ```
/// use std::time::Duration;
/// use tower_api_error::rate_limit::QuotaPolicy;
///
/// let hourly = QuotaPolicy::new("hour", 100)?.window(Duration::from_secs(3600));
/// assert_eq!(hourly.to_string(), r#""hour";q=100;w=3600"#);
///
/// assert!(QuotaPolicy::new("Per Hour", 100).is_err());
/// # Ok::<(), tower_api_error::rate_limit::InvalidPolicyName>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaPolicy {
    name: Cow<'static, str>,
    quota: u64,
    window: Option<u64>,
    unit: QuotaUnit,
}

impl QuotaPolicy {
    /// A policy named `name` allowing `quota` units (requests unless [`unit`](Self::unit) says
    /// otherwise).
    ///
    /// # Errors
    ///
    /// [`InvalidPolicyName`] if `name` is not a structured-field key (see [`QuotaPolicy`]).
    pub fn new(name: impl Into<Cow<'static, str>>, quota: u64) -> Result<Self, InvalidPolicyName> {
        let name = name.into();
        if !is_key(&name) {
            return Err(InvalidPolicyName {
                name: name.into_owned(),
            });
        }
        Ok(Self {
            name,
            quota,
            window: None,
            unit: QuotaUnit::Requests,
        })
    }

    /// The time window of the quota, in whole seconds rounded up (the `w` parameter). A window
    /// under one second is sent as `w=1`: the draft wants a window above zero.
    #[must_use]
    pub fn window(mut self, window: Duration) -> Self {
        self.window = Some(whole_seconds(window).max(1));
        self
    }

    /// The unit of the quota (the `qu` parameter).
    #[must_use]
    pub fn unit(mut self, unit: QuotaUnit) -> Self {
        self.unit = unit;
        self
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The quota.
    pub fn quota(&self) -> u64 {
        self.quota
    }

    /// The state of this policy for a request: `remaining` units left.
    pub fn state(&self, remaining: u64) -> RateLimit {
        RateLimit {
            policy: self.clone(),
            remaining,
            reset: None,
        }
    }
}

/// The policy as an item of `RateLimit-Policy`.
impl fmt::Display for QuotaPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The name is a key: it needs no escaping in an SF String.
        write!(f, "\"{}\";q={}", self.name, self.quota.min(MAX_INTEGER))?;
        if let Some(unit) = self.unit.as_str() {
            write!(f, ";qu=\"{unit}\"")?;
        }
        if let Some(window) = self.window {
            write!(f, ";w={}", window.min(MAX_INTEGER))?;
        }
        Ok(())
    }
}

/// The state of a [`QuotaPolicy`] for one request: how much of the quota remains and when more
/// becomes available. It is one item of `RateLimit`, such as `"hour";r=0;t=1800`, and brings
/// its policy's item of `RateLimit-Policy` along.
///
/// Attach it to an error with [`ApiError::with_rate_limit`](crate::ApiError::with_rate_limit),
/// or to a successful response with [`set_headers`] (or, with the `axum` feature, by returning
/// it as a response part).
///
/// ```
/// use std::time::Duration;
/// use tower_api_error::rate_limit::QuotaPolicy;
///
/// let hourly = QuotaPolicy::new("hour", 100)?.window(Duration::from_secs(3600));
/// let state = hourly.state(0).reset_after(Duration::from_secs(1800));
/// assert_eq!(state.to_string(), r#""hour";r=0;t=1800"#);
/// assert!(state.is_exhausted());
/// # Ok::<(), tower_api_error::rate_limit::InvalidPolicyName>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    policy: QuotaPolicy,
    remaining: u64,
    reset: Option<u64>,
}

impl RateLimit {
    /// The time until more quota becomes available, in whole seconds rounded up (the `t`
    /// parameter).
    #[must_use]
    pub fn reset_after(mut self, reset: Duration) -> Self {
        self.reset = Some(whole_seconds(reset));
        self
    }

    /// The policy.
    pub fn policy(&self) -> &QuotaPolicy {
        &self.policy
    }

    /// The units that remain.
    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// The seconds until more quota becomes available, if given.
    pub fn reset(&self) -> Option<u64> {
        self.reset
    }

    /// Whether no unit remains: such a policy is one of the `violated-policies`.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == 0
    }
}

/// The state as an item of `RateLimit`.
impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\";r={}",
            self.policy.name,
            self.remaining.min(MAX_INTEGER)
        )?;
        if let Some(reset) = self.reset {
            write!(f, ";t={}", reset.min(MAX_INTEGER))?;
        }
        Ok(())
    }
}

/// Sets `RateLimit-Policy` and `RateLimit` on `headers` for `limits`, replacing any there: for
/// successful responses (errors take them with
/// [`ApiError::with_rate_limit`](crate::ApiError::with_rate_limit)). Nothing is set for no
/// limits.
///
/// ```
/// use std::time::Duration;
/// use http::HeaderMap;
/// use tower_api_error::rate_limit::{set_headers, QuotaPolicy, RATELIMIT, RATELIMIT_POLICY};
///
/// let hourly = QuotaPolicy::new("hour", 100)?.window(Duration::from_secs(3600));
/// let mut headers = HeaderMap::new();
/// set_headers(&mut headers, &[hourly.state(99).reset_after(Duration::from_secs(3599))]);
/// assert_eq!(headers[RATELIMIT_POLICY], r#""hour";q=100;w=3600"#);
/// assert_eq!(headers[RATELIMIT], r#""hour";r=99;t=3599"#);
/// # Ok::<(), tower_api_error::rate_limit::InvalidPolicyName>(())
/// ```
pub fn set_headers<'a>(headers: &mut HeaderMap, limits: impl IntoIterator<Item = &'a RateLimit>) {
    let mut policy = String::new();
    let mut state = String::new();
    for limit in limits {
        if !policy.is_empty() {
            policy.push_str(", ");
            state.push_str(", ");
        }
        use fmt::Write as _;
        // Writing into a `String` cannot fail.
        let _ = write!(policy, "{}", limit.policy);
        let _ = write!(state, "{limit}");
    }
    if policy.is_empty() {
        return;
    }
    // Names are keys, parameters integers or fixed strings: always a valid header value.
    if let (Ok(policy), Ok(state)) = (HeaderValue::try_from(policy), HeaderValue::try_from(state)) {
        headers.insert(RATELIMIT_POLICY, policy);
        headers.insert(RATELIMIT, state);
    }
}

/// `RateLimit-Policy` and `RateLimit` as response parts, for a successful axum response:
/// `(state, Json(body))`.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl axum::response::IntoResponseParts for RateLimit {
    type Error = std::convert::Infallible;

    fn into_response_parts(
        self,
        mut res: axum::response::ResponseParts,
    ) -> Result<axum::response::ResponseParts, Self::Error> {
        set_headers(res.headers_mut(), [&self]);
        Ok(res)
    }
}

/// The error of [`QuotaPolicy::new`]: the name is not a structured-field key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPolicyName {
    name: String,
}

impl InvalidPolicyName {
    /// The name that was refused.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for InvalidPolicyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid quota policy name {:?}: a policy name is a structured-field key \
             (a lowercase letter or `*`, then lowercase letters, digits, `_`, `-`, `.` and `*`, \
             at most 64 bytes)",
            self.name
        )
    }
}

impl StdError for InvalidPolicyName {}

/// Whether `name` is an RFC 9651 key: `( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "."
/// / "*" )`, here at most [`MAX_NAME_LEN`] bytes.
fn is_key(name: &str) -> bool {
    let bytes = name.as_bytes();
    matches!(bytes.first(), Some(b'a'..=b'z' | b'*'))
        && bytes.len() <= MAX_NAME_LEN
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' | b'*'))
}

/// `duration` in whole seconds, rounded up.
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_are_keys() {
        for good in ["a", "hour", "*", "per-user.v2_*", &"a".repeat(64)] {
            assert!(QuotaPolicy::new(good.to_owned(), 1).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Hour",
            "1h",
            "-a",
            "a b",
            "a\"b",
            "a\\b",
            "a,b",
            "a;b",
            "é",
            "a\n",
            &"a".repeat(65),
        ] {
            assert!(QuotaPolicy::new(bad.to_owned(), 1).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn items_have_the_drafts_syntax() {
        let policy = QuotaPolicy::new("bytes", 65535)
            .unwrap()
            .unit(QuotaUnit::ContentBytes)
            .window(Duration::from_millis(1));
        assert_eq!(
            policy.to_string(),
            r#""bytes";q=65535;qu="content-bytes";w=1"#
        );
        let state = policy.state(7);
        assert_eq!(state.to_string(), r#""bytes";r=7"#);
        let mut headers = HeaderMap::new();
        set_headers(&mut headers, []);
        assert!(headers.is_empty());
    }
}
