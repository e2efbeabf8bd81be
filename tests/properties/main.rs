//! Property tests: negotiation (of the format and of the language), the bodies, and the layer
//! over random sequences of requests.
//!
//! Each module's `.proptest-regressions` file lies beside it, named after it, where proptest
//! looks for the seeds to replay first.

#[path = "../support/mod.rs"]
mod support;

mod language;
mod negotiate;
mod render;
mod service;
mod strategies;
