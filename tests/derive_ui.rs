//! `#[derive(ApiError)]` refuses bad attributes with an error that points at them, and a stack
//! that needs `wrap_body` says so: the cases in
//! tests/ui, each with the compiler's output it must give. After a deliberate change of a
//! message, regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test derive_ui`.

#![cfg(feature = "derive")]

#[test]
fn bad_attributes_point_at_themselves() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
