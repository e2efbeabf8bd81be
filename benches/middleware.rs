//! Placeholder until the middleware bench lands.
fn main() {}
