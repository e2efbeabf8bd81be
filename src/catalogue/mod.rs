//! An application's error catalogue: every code it can answer with, each described once.
//!
//! A code is described by one [`Entry`]: its code, status, title, description and, optionally, a
//! documentation URI of its own. The built-in codes come from [`code::all`]; an enum with
//! [`#[derive(ApiError)]`](derive@crate::ApiError) lists its own through [`ErrorCodes`]. A
//! [`Catalogue`] gathers the lists of an application, refusing a code declared twice with two
//! statuses, and is what the documentation page and the OpenAPI description are made from.
//!
//! ```
//! use http::StatusCode;
//! use tower_api_error::{catalogue::{Catalogue, ErrorCodes}, code::Entry};
//!
//! // What `#[derive(ApiError)]` implements for an enum.
//! struct ItemError;
//! impl ErrorCodes for ItemError {
//!     const CODES: &'static [Entry] = &[Entry::new(
//!         StatusCode::CONFLICT,
//!         "item_name_taken",
//!         "An item with this name already exists.",
//!     )
//!     .with_title("Item name taken")];
//! }
//!
//! let catalogue = Catalogue::builtin().with::<ItemError>()?;
//! assert_eq!(catalogue.get("item_name_taken").unwrap().status(), StatusCode::CONFLICT);
//! assert_eq!(catalogue.get("not_found").unwrap().title(), "Not Found");
//!
//! // A code that is already in the catalogue with another status is refused.
//! struct Clash;
//! impl ErrorCodes for Clash {
//!     const CODES: &'static [Entry] =
//!         &[Entry::new(StatusCode::GONE, "not_found", "It is gone.")];
//! }
//! let err = catalogue.with::<Clash>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "the error code `not_found` is declared with two statuses: 404 and 410"
//! );
//! # Ok::<(), tower_api_error::catalogue::DuplicateCode>(())
//! ```

mod page;

use std::{error::Error as StdError, fmt};

use http::StatusCode;

pub use page::Page;

use crate::code::{self, Entry};

/// A type whose errors have codes known ahead of time: one [`Entry`] per code.
///
/// `#[derive(ApiError)]` implements it for an enum, one entry per code of its variants (a
/// `transparent` variant has no code of its own and adds none).
pub trait ErrorCodes {
    /// Every code of the type, in the order of declaration, each once.
    const CODES: &'static [Entry];
}

/// The codes of an application, in the order they were added, each code once.
///
/// Build it at start-up (or in a test) from the lists of codes the application answers with:
/// [`Catalogue::builtin`] and one [`with`](Catalogue::with) per derived enum. An entry whose code
/// is already in the catalogue replaces it if it has the same status, so that an application can
/// document a built-in code in its own words; with another status it is a [`DuplicateCode`].
///
/// Each entry is either the application's own or a built-in one. Every entry added with
/// [`with`](Catalogue::with) is the application's own, even when its code is a built-in one
/// (the application documents the code in its own words); an entry added with
/// [`with_entries`](Catalogue::with_entries) is too, unless it is exactly the built-in entry of
/// its code (as [`code::all`] gives it), which declares that the application sends that
/// built-in code. The [page](Catalogue::page) shows the application's own codes first.
///
/// ```
/// use http::StatusCode;
/// use tower_api_error::{catalogue::Catalogue, code::{self, Entry}};
///
/// // An application that sends two built-in codes and one of its own.
/// let catalogue = Catalogue::new()
///     .with_entries(code::all().filter(|e| [code::TOKEN_EXPIRED, code::CONFLICT].contains(&e.code())))?
///     .with_entries([Entry::new(StatusCode::CONFLICT, "item_name_taken", "The name is taken.")])?;
/// let own: Vec<&str> = catalogue.own().map(Entry::code).collect();
/// let builtin: Vec<&str> = catalogue.builtin_entries().map(Entry::code).collect();
/// assert_eq!(own, ["item_name_taken"]);
/// assert_eq!(builtin, ["token_expired", "conflict"]);
/// assert!(catalogue.is_own("item_name_taken") && !catalogue.is_own("conflict"));
/// # Ok::<(), tower_api_error::catalogue::DuplicateCode>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    entries: Vec<Entry>,
    /// For each entry of `entries`, at the same index: whether it is the application's own.
    own: Vec<bool>,
}

impl Catalogue {
    /// An empty catalogue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every built-in code of [`code`], as [`code::all`] lists them, each a built-in entry.
    ///
    /// For an application that may send any of them (with
    /// [`ApiError::from_status`](crate::ApiError::from_status), say): its page documents every
    /// built-in code, after the application's own. An application that knows which built-in
    /// codes it sends starts from [`Catalogue::new`] and adds their entries with
    /// [`with_entries`](Catalogue::with_entries); its page then shows those and the codes the
    /// layer itself answers with (see [`Page`]), and no other built-in code.
    pub fn builtin() -> Self {
        let entries: Vec<Entry> = code::all().collect();
        Self {
            own: vec![false; entries.len()],
            entries,
        }
    }

    /// Adds the codes of `E` (see [`ErrorCodes`]), each the application's own.
    pub fn with<E: ErrorCodes>(self) -> Result<Self, DuplicateCode> {
        self.add(E::CODES.iter().map(|entry| (*entry, true)))
    }

    /// Adds entries: each is the application's own unless it is exactly the built-in entry of
    /// its code.
    pub fn with_entries(
        self,
        entries: impl IntoIterator<Item = Entry>,
    ) -> Result<Self, DuplicateCode> {
        self.add(entries.into_iter().map(|entry| {
            let builtin = code::all().any(|b| b == entry);
            (entry, !builtin)
        }))
    }

    fn add(
        mut self,
        entries: impl IntoIterator<Item = (Entry, bool)>,
    ) -> Result<Self, DuplicateCode> {
        for (entry, own) in entries {
            match self.entries.iter().position(|e| e.code() == entry.code()) {
                Some(i) if self.entries[i].status() == entry.status() => {
                    self.entries[i] = entry;
                    self.own[i] = own;
                }
                Some(i) => {
                    return Err(DuplicateCode {
                        code: entry.code(),
                        first: self.entries[i].status(),
                        second: entry.status(),
                    })
                }
                None => {
                    self.entries.push(entry);
                    self.own.push(own);
                }
            }
        }
        Ok(self)
    }

    /// The application's own entries, in the order they were added.
    pub fn own(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .zip(&self.own)
            .filter(|(_, own)| **own)
            .map(|(e, _)| e)
    }

    /// The built-in entries, in the order they were added.
    pub fn builtin_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .zip(&self.own)
            .filter(|(_, own)| !**own)
            .map(|(e, _)| e)
    }

    /// Whether `code` is in the catalogue as one of the application's own codes.
    pub fn is_own(&self, code: &str) -> bool {
        self.entries
            .iter()
            .zip(&self.own)
            .any(|(e, own)| *own && e.code() == code)
    }

    /// Every entry, in the order they were added.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry of a code.
    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.code() == code)
    }

    /// The documentation URI of an entry: its own, or `<base>#<code>`, the code's entry on the
    /// catalogue's page when the page is at `base` (the layer's
    /// [`error_uri_base`](crate::ApiErrorLayer::error_uri_base)).
    ///
    /// ```
    /// use tower_api_error::catalogue::Catalogue;
    ///
    /// let catalogue = Catalogue::builtin();
    /// let entry = catalogue.get("not_found").unwrap();
    /// assert_eq!(
    ///     Catalogue::uri(entry, "https://docs.example.com/errors"),
    ///     "https://docs.example.com/errors#not_found"
    /// );
    /// ```
    pub fn uri(entry: &Entry, base: &str) -> String {
        match entry.uri() {
            Some(uri) => uri.to_owned(),
            None => format!("{base}#{}", entry.code()),
        }
    }
}

/// A code declared with two statuses, found when a [`Catalogue`] is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateCode {
    code: &'static str,
    first: StatusCode,
    second: StatusCode,
}

impl DuplicateCode {
    /// The code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The statuses it was declared with, the one already in the catalogue first.
    pub fn statuses(&self) -> (StatusCode, StatusCode) {
        (self.first, self.second)
    }
}

impl fmt::Display for DuplicateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the error code `{}` is declared with two statuses: {} and {}",
            self.code,
            self.first.as_u16(),
            self.second.as_u16()
        )
    }
}

impl StdError for DuplicateCode {}
