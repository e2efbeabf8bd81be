//! Guides: the long forms of the README, one module each. They hold no items.
//!
//! - [`tower_http`]: the recommended stack of tower-http layers, why in that order, what each
//!   tower-http layer's error becomes, and the layer's log events, metrics and spans.
//! - [`derive`](mod@derive): an application's own error codes, with `#[derive(ApiError)]`.
//! - [`catalogue`]: every code an application answers with, and the documentation page that
//!   `error_uri` links to.
//! - [`openapi`]: the error responses of an OpenAPI document, with utoipa or aide.
//! - [`languages`]: errors in the client's language.
//! - [`test_kit`]: checking an app against the error contract (feature `testing`).
//! - [`security`]: what never reaches a client, the limits, and how they are checked.
//!
//! Their examples run as doctests. An example that needs a feature runs when it is on (`cargo
//! test --all-features` runs them all); without it, the guide is still built into the docs.

// Each guide is a markdown file under `src/docs/guides/`, shown here by docs.rs. When doctests
// are collected without the features a guide's examples need, the guide is left out, so that
// plain `cargo test` passes too.
macro_rules! guide {
    ($(#[$attr:meta])* $name:ident, $file:literal, $summary:literal, $($features:tt)*) => {
        #[cfg_attr(not(all(doctest, not($($features)*))), doc = include_str!($file))]
        #[cfg_attr(all(doctest, not($($features)*)), doc = $summary)]
        $(#[$attr])*
        pub mod $name {}
    };
}

guide!(
    tower_http,
    "docs/guides/tower_http.md",
    "The tower-http stack (examples need the feature `axum`).",
    all(feature = "axum", feature = "tower")
);
guide!(
    derive,
    "docs/guides/derive.md",
    "Your own error codes (examples need the feature `derive`).",
    all(feature = "derive", feature = "axum")
);
guide!(
    catalogue,
    "docs/guides/catalogue.md",
    "The catalogue and its page (examples need the features `axum` and `derive`).",
    all(feature = "axum", feature = "derive")
);
guide!(
    // The guide links to `openapi`, which exists only with `utoipa` or `aide`.
    #[cfg_attr(
        not(any(feature = "utoipa", feature = "aide")),
        allow(rustdoc::broken_intra_doc_links)
    )]
    openapi,
    "docs/guides/openapi.md",
    "OpenAPI (examples need the features `utoipa`, `aide` and `derive`).",
    all(feature = "utoipa", feature = "aide", feature = "derive")
);
guide!(
    languages,
    "docs/guides/languages.md",
    "Errors in the client's language (examples need the features `axum` and `derive`).",
    all(feature = "axum", feature = "derive")
);
guide!(
    // The guide links to `testing`, which exists only with the feature.
    #[cfg_attr(not(feature = "testing"), allow(rustdoc::broken_intra_doc_links))]
    test_kit,
    "docs/guides/test_kit.md",
    "The test kit (examples need the features `testing` and `axum`).",
    all(feature = "testing", feature = "axum")
);
guide!(security, "docs/guides/security.md", "Security.", all());

/// The Rust blocks of README.md, compiled (and run, unless marked) as doctests.
#[cfg(all(
    doctest,
    feature = "axum",
    feature = "tower",
    feature = "derive",
    feature = "tracing"
))]
#[doc = include_str!("../README.md")]
pub struct Readme;

/// The Rust blocks of examples/README.md, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../examples/README.md")]
pub struct ExamplesReadme;
