//! What the layer logs, and what it leaves for the layers around it to record.
//!
//! Every test of this binary captures logs, one at a time, through
//! [`support::logs::logs_while`]: tracing caches per callsite, for the whole process, whether any
//! subscriber wants it, so a test that ran here without capturing could decide what another
//! test's subscriber records. Tests that capture no logs belong in another binary.

#[path = "../support/mod.rs"]
mod support;

#[cfg(all(feature = "axum", feature = "tracing"))]
#[path = "../../examples/server.rs"]
#[allow(dead_code, unreachable_pub)]
mod server;

#[cfg(all(feature = "axum", feature = "tracing"))]
mod error_info;
#[cfg(feature = "tracing")]
mod logging;
#[cfg(all(feature = "axum", feature = "tracing"))]
mod pass_through;
#[cfg(all(feature = "axum", feature = "tracing"))]
mod tower_http_logs;
