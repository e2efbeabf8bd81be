//! The demo app of `examples/server.rs`: over a real loopback socket, under hostile requests, its
//! CORS, its OpenAPI document, and the test kit's contract check against it.

#[path = "../support/mod.rs"]
mod support;

#[path = "../../examples/server.rs"]
#[allow(dead_code, unreachable_pub)]
mod server;

mod cors;
mod hostile_http;
mod loopback;
mod openapi;
#[cfg(all(feature = "testing", feature = "axum"))]
mod pass_through;
#[cfg(all(feature = "testing", feature = "axum"))]
mod testing;
