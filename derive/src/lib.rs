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

/// `#[derive(ApiError)]` is implemented in the `tower-api-error-derive` crate and documented
/// at its re-export, `tower_api_error::ApiError`.
#[proc_macro_derive(
    ApiError,
    attributes(api_error, source, from, field_errors, retry_after, member)
)]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    ast::Enum::from_input(&input)
        .map(|parsed| expand::expand(&parsed))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
