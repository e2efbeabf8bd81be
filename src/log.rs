//! Logging of the errors the layer renders (feature `tracing`).

use std::{error::Error, fmt};

use http::{uri::PathAndQuery, Method, Request, StatusCode};

use crate::{request_id::RequestId, ApiError};

/// The method and path of a request, kept for the log line of its error.
///
/// Taken for every request while a subscriber listens, so it must cost next to nothing: the
/// method is a copy for the standard ones, and a path of up to [`INLINE`] bytes (most of them) is
/// copied in place; only a longer one shares the request's buffer. The query is left out: it
/// may hold secrets.
#[derive(Clone)]
pub(crate) struct RequestLine {
    method: Method,
    path: Path,
}

/// Kept because `tests/alloc.rs` needs it: cloning the request's `PathAndQuery` instead
/// allocates on the first clone of a buffer hyper parsed, so every success would pay an
/// allocation while a subscriber listens (that test then fails, 2 allocations instead of 1).
const INLINE: usize = 62;

#[derive(Clone)]
enum Path {
    Inline { len: u8, bytes: [u8; INLINE] },
    Shared(Option<PathAndQuery>),
}

impl RequestLine {
    /// The request line of `req`, or `None` when no subscriber can record an error's log line.
    ///
    /// Asks only tracing's global maximum level, one atomic load; whether a filter wants this
    /// crate's errors is for the log line to decide when there is one. The level checked first
    /// by `enabled!` is this one, so nothing is left out that `enabled!` would let through.
    // perf: `enabled!` (the callsite's interest, the dispatcher, its filter) on every request
    // with a subscriber; bench: hot_paths `axum_layer` with `LOG_PATH=on` (ledger: "the
    // request line").
    pub(crate) fn capture<B>(req: &Request<B>) -> Option<Self> {
        use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
        if STATIC_MAX_LEVEL < LevelFilter::ERROR || LevelFilter::current() < LevelFilter::ERROR {
            return None;
        }
        // The path the client sent: inside `Router::nest`, axum strips the prefix from the URI
        // that inner services see and keeps the original in the extensions.
        #[cfg(feature = "axum")]
        let uri = req
            .extensions()
            .get::<axum::extract::OriginalUri>()
            .map_or(req.uri(), |original| &original.0);
        #[cfg(not(feature = "axum"))]
        let uri = req.uri();
        let path = uri.path().as_bytes();
        let path = match u8::try_from(path.len()) {
            Ok(len) if path.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..path.len()].copy_from_slice(path);
                Path::Inline { len, bytes }
            }
            _ => Path::Shared(uri.path_and_query().cloned()),
        };
        Some(Self {
            method: req.method().clone(),
            path,
        })
    }

    fn path(&self) -> &str {
        match &self.path {
            // A copy of a whole `&str`.
            Path::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Path::Shared(path) => path.as_ref().map_or("", PathAndQuery::path),
        }
    }
}

impl fmt::Debug for RequestLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path())
    }
}

/// Logs a rendered error: 5xx at `error` with the full source chain, 4xx at `debug`, both with
/// the request's method and path when they were taken.
pub(crate) fn error(err: &ApiError, request: Option<&RequestLine>, request_id: Option<&RequestId>) {
    let status = err.status().as_u16();
    let code = err.code();
    let description = err.description();
    let source = err
        .source()
        .map(|source| tracing::field::display(Chain(source)));
    let method = request.map(|request| request.method.as_str());
    let path = request.map(RequestLine::path);
    let request_id = request_id.map(RequestId::as_str);
    if err.status().is_server_error() {
        tracing::error!(
            status,
            code,
            method,
            path,
            request_id,
            description,
            source,
            "request failed"
        );
    } else {
        tracing::debug!(
            status,
            code,
            method,
            path,
            request_id,
            description,
            source,
            "request rejected"
        );
    }
}

/// Logs the `406 Not Acceptable` the layer answers with, whose body it renders in advance.
pub(crate) fn not_acceptable(err: &ApiError, request: Option<&RequestLine>) {
    if tracing::enabled!(tracing::Level::DEBUG) {
        error(err, request, None);
    }
}

/// Logs, at `debug`, a 4xx or 5xx response of the inner service that the layer passes through
/// untouched: neither rendered from an `ApiError` nor rewritten (see the rewrite rules at
/// `ApiErrorLayer::rewrite_plain_errors`), so its body is not the error contract's. The event
/// has the status, the request id, and the method and path only when `log_method_and_path`
/// took them: the layer does not look at the request for this event, so that a success costs
/// nothing more.
pub(crate) fn passed_through(
    status: StatusCode,
    request: Option<&RequestLine>,
    request_id: Option<&RequestId>,
) {
    let status = status.as_u16();
    let method = request.map(|request| request.method.as_str());
    let path = request.map(RequestLine::path);
    let request_id = request_id.map(RequestId::as_str);
    tracing::debug!(
        status,
        method,
        path,
        request_id,
        "error response passed through: the layer did not render it"
    );
}

/// An error and its sources, joined by `: `.
struct Chain<'a>(&'a (dyn Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(source) = next {
            write!(f, ": {source}")?;
            next = source.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("could not read config")
        }
    }

    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn request_line_keeps_method_and_path_of_any_length_but_not_the_query() {
        let _subscriber = tracing::subscriber::set_default(NoopEnabled);
        for len in [1, INLINE - 1, INLINE, INLINE + 1, 300] {
            let path = format!("/{}", "a".repeat(len - 1));
            let request = Request::post(format!("{path}?token=secret"))
                .body(())
                .unwrap();
            let line = RequestLine::capture(&request).expect("a subscriber listens");
            assert_eq!(line.method, Method::POST);
            assert_eq!(line.path(), path);
            assert_eq!(matches!(line.path, Path::Inline { .. }), len <= INLINE);
            assert!(!format!("{line:?}").contains("secret"));
        }
    }

    /// A subscriber that wants everything and records nothing.
    struct NoopEnabled;

    impl tracing::Subscriber for NoopEnabled {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, _: &tracing::Event<'_>) {}
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    #[test]
    fn chain_lists_every_source() {
        let err = Outer(std::io::Error::other("permission denied"));
        assert_eq!(
            Chain(&err).to_string(),
            "could not read config: permission denied"
        );
    }
}
