//! Logging of the errors the layer renders (feature `tracing`).

use std::{error::Error, fmt};

use http::{Method, Uri};

use crate::ApiError;

/// Logs a rendered error: 5xx at `error` with the full source chain, 4xx at `debug`, both with
/// the request's method and path when they were taken.
pub(crate) fn error(err: &ApiError, request: Option<&(Method, Uri)>) {
    let status = err.status().as_u16();
    let code = err.code();
    let description = err.description();
    let source = err
        .source()
        .map(|source| tracing::field::display(Chain(source)));
    let method = request.map(|(method, _)| method.as_str());
    let path = request.map(|(_, uri)| uri.path());
    if err.status().is_server_error() {
        tracing::error!(
            status,
            code,
            method,
            path,
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
            description,
            source,
            "request rejected"
        );
    }
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
    fn chain_lists_every_source() {
        let err = Outer(std::io::Error::other("permission denied"));
        assert_eq!(
            Chain(&err).to_string(),
            "could not read config: permission denied"
        );
    }
}
