//! The default `Accept` headers of real clients, for tests that must hold for what clients send.

/// Chromium's (and Chrome's, Edge's) `Accept` for a page.
pub const CHROMIUM: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
    image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
/// Firefox's `Accept` for a page.
pub const FIREFOX: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
/// Java's `HttpURLConnection`, with its bare `*` and `.2` weights.
pub const JAVA: &str = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2";
/// axios's default.
pub const AXIOS: &str = "application/json, text/plain, */*";
/// curl's default.
pub const CURL: &str = "*/*";
