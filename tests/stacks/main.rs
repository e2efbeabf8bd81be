//! The layer composed with what it runs among: axum's `Router`, tower's and tower-http's layers,
//! and a plain hyper server.

#[path = "../support/mod.rs"]
mod support;

mod hyper_example;
#[cfg(feature = "axum")]
mod rate_limit;
mod router;
mod stack;
#[cfg(all(feature = "axum", feature = "tracing"))]
mod tower_http_stack;
