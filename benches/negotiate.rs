//! Placeholder until the negotiate bench lands.
fn main() {}
