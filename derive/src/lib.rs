//! The derive macro of [tower-api-error](https://docs.rs/tower-api-error).
//!
//! Use it as `tower_api_error::ApiError` (feature `derive`, on by default), where it is
//! documented with every attribute. The code it generates names only `::tower_api_error` paths,
//! so an application needs no other dependency for it.

mod ast;
mod expand;
mod template;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `From<Enum> for tower_api_error::ApiError`, `Display`, `std::error::Error`,
/// `tower_api_error::catalogue::ErrorCodes` and, with the `axum` feature of tower-api-error,
/// axum's `IntoResponse` for an error enum. See `tower_api_error::ApiError` for the attributes.
#[proc_macro_derive(
    ApiError,
    attributes(api_error, source, from, field_errors, retry_after)
)]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    ast::Enum::from_input(&input)
        .map(|parsed| expand::expand(&parsed))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
