//! What the layer puts on the wire: bodies, headers and statuses, over plain tower services and
//! axum, in every shape and format.

#[path = "../support/mod.rs"]
mod support;

mod code_table;
mod language;
mod members;
mod problem;
mod request_id;
mod same_body;
mod service;
