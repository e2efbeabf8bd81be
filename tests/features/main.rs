//! The optional features: `#[derive(ApiError)]`, the error catalogue, validation reports, and
//! OpenAPI through utoipa and aide.

#[path = "../support/mod.rs"]
mod support;

#[cfg(all(feature = "aide", feature = "utoipa", feature = "derive"))]
mod aide_openapi;
mod catalogue;
#[cfg(feature = "derive")]
mod derive;
mod fluent;
#[cfg(all(feature = "utoipa", feature = "derive"))]
mod openapi_orders;
#[cfg(any(feature = "validator", feature = "garde"))]
mod validation;
