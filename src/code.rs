//! Error codes: the stable strings sent as `error`, with their statuses and default descriptions.
//!
//! The first ten codes come from the public API documents this crate follows; the others name the
//! remaining 4xx and 5xx statuses of the HTTP status code registry, in `snake_case`, so that every
//! error status has a code. [`ApiError::from_status`](crate::ApiError::from_status) uses the first
//! code listed for a status (`400` gives `invalid_parameter`, `401` gives `unauthorized`).
//!
//! | status | code | default description |
//! |---|---|---|
//! | 400 | `invalid_parameter` | The request has something invalid in it. |
//! | 400 | `invalid_value_parameter` | A query string parameter of the request has an invalid value. |
//! | 400 | `invalid_value_headers` | A header of the request has an invalid value. |
//! | 401 | `unauthorized` | Full authentication is required to access this resource. |
//! | 401 | `token_expired` | The access token has expired. |
//! | 401 | `invalid_token` | The access token is invalid. |
//! | 402 | `payment_required` | The account has been marked as unpaid. |
//! | 403 | `unauthorized_client` | The client does not have permission to perform this request. |
//! | 404 | `not_found` | The requested resource could not be found. |
//! | 405 | `method_not_allowed` | The request method is not supported by this resource. |
//! | 406 | `not_acceptable` | The resource can only be represented as application/json or application/xml. |
//! | 407 | `proxy_authentication_required` | Authentication with the proxy is required. |
//! | 408 | `request_timeout` | The server timed out waiting for the request. |
//! | 409 | `conflict` | The request conflicts with the current state of the resource. |
//! | 410 | `gone` | The requested resource is no longer available. |
//! | 411 | `length_required` | The request must state its Content-Length. |
//! | 412 | `precondition_failed` | A precondition of the request was not met. |
//! | 413 | `payload_too_large` | The request body is larger than the server accepts. |
//! | 414 | `uri_too_long` | The request URI is longer than the server accepts. |
//! | 415 | `unsupported_media_type` | The request body is in a format the resource does not support. |
//! | 416 | `range_not_satisfiable` | The requested range cannot be served. |
//! | 417 | `expectation_failed` | The expectation given in the Expect header cannot be met. |
//! | 421 | `misdirected_request` | The request was directed at a server that cannot answer it. |
//! | 422 | `unprocessable_entity` | The request was well-formed but could not be processed because of semantic errors. |
//! | 423 | `locked` | The resource is locked. |
//! | 424 | `failed_dependency` | The request failed because a request it depends on failed. |
//! | 425 | `too_early` | The server will not process a request that might be replayed. |
//! | 426 | `upgrade_required` | The client must switch to another protocol. |
//! | 428 | `precondition_required` | The request must be conditional. |
//! | 429 | `too_many_requests` | Too many requests were made; try again later. |
//! | 431 | `request_header_fields_too_large` | The request headers are larger than the server accepts. |
//! | 451 | `unavailable_for_legal_reasons` | The resource is unavailable for legal reasons. |
//! | 500 | `internal_server_error` | An unexpected error occurred and it was not possible to complete the request. |
//! | 501 | `not_implemented` | The server does not support this request. |
//! | 502 | `bad_gateway` | The server had trouble reaching an upstream service. Please try the request again. |
//! | 503 | `service_unavailable` | The service is temporarily unavailable. Please try the request again. |
//! | 504 | `gateway_timeout` | The server did not answer in time. Please try the request again. |
//! | 505 | `http_version_not_supported` | The HTTP version of the request is not supported. |
//! | 507 | `insufficient_storage` | The server cannot store what the request needs. |
//! | 508 | `loop_detected` | The server detected an infinite loop while processing the request. |
//! | 511 | `network_authentication_required` | The client must authenticate to gain network access. |
//!
//! A status that is not listed gets `client_error` (4xx) or `server_error` (5xx). [`all`] gives
//! the table as data.

use std::borrow::Cow;

use http::StatusCode;

use crate::{
    const_eq,
    language::{pt_br, Translation},
    member::MemberDoc,
    ApiError,
};

/// Turns the one declaration of the code table, below, into:
///
/// - a `pub const` for every code, with the docs of its entry and a line giving its default
///   description;
/// - `TABLE`, which [`for_status`], [`description`] and [`all`] read;
/// - the plain constructors on [`ApiError`] (`ApiError::not_found(..)` and the like), and, for the
///   crate's tests, `CONSTRUCTORS`, the list of every code that has a constructor.
///
/// An entry is `(status, CONSTANT, "code", "default description")` after the constant's docs,
/// then, if the code has a constructor of its own, either `fn name` after the constructor's docs
/// (it is generated here) or `hand_written fn name` (it does more than set the status and code,
/// and is written in src/error.rs), then `;`.
macro_rules! code_table {
    (
        $(
            $(#[$doc:meta])*
            ($status:literal, $konst:ident, $code:literal, $description:literal)
            $( $(#[$ctor_doc:meta])* fn $ctor:ident )?
            $( hand_written fn $hand_written:ident )?
            ;
        )+
    ) => {
        $(
            $(#[$doc])*
            #[doc = ""]
            #[doc = concat!("Default description: \"", $description, "\"")]
            pub const $konst: &str = $code;
        )+

        /// Every entry in the order of the declaration, the first entry of a status giving the
        /// status's default code.
        const TABLE: &[Entry] = &[
            $(
                Entry::new(status($status), $konst, $description).with_translations(pt_br::translations($konst)),
            )+
        ];

        /// `(constructor, code)` for every code that has an [`ApiError`] constructor of its own.
        #[cfg(test)]
        pub(crate) const CONSTRUCTORS: &[(&str, &str)] = &[
            $(
                $( (stringify!($ctor), $konst), )?
                $( (stringify!($hand_written), $konst), )?
            )+
        ];

        /// The constructors that only set the status and code of their entry in the code table.
        impl ApiError {
            $(
                $(
                    $(#[$ctor_doc])*
                    #[doc = ""]
                    #[doc = concat!(
                        "Code [`", $code, "`](crate::code::", stringify!($konst), "), status `",
                        $status, "`, default description \"", $description, "\""
                    )]
                    pub fn $ctor(description: impl Into<Cow<'static, str>>) -> Self {
                        Self::new(const { status($status) }, $konst, description)
                    }
                )?
            )+
        }
    };
}

/// A status of the declaration, checked when the crate compiles: only 4xx and 5xx statuses have
/// codes.
const fn status(status: u16) -> StatusCode {
    assert!(
        matches!(status, 400..=599),
        "the code table holds 4xx and 5xx statuses only"
    );
    match StatusCode::from_u16(status) {
        Ok(status) => status,
        Err(_) => panic!("not a status"),
    }
}

// The code table: the one place where a code, its status, its default description and its
// constructor are declared. The module docs above and the table `## Codes` of README.md show
// the same table; tests/wire/code_table.rs and the unit test
// `readme_codes_name_every_constructor` below fail when they disagree with it. A code's place
// matters: the first code of a status is the one `ApiError::from_status` gives.
code_table! {
    /// The request is invalid in some way (`400 Bad Request`).
    (400, INVALID_PARAMETER, "invalid_parameter", "The request has something invalid in it.")
        /// `400 invalid_parameter`: the request has something invalid in it.
        fn invalid_parameter;
    /// A query string value is invalid (`400 Bad Request`).
    (400, INVALID_VALUE_PARAMETER, "invalid_value_parameter",
        "A query string parameter of the request has an invalid value.")
        /// `400 invalid_value_parameter`: a query string parameter has an invalid value.
        fn invalid_value_parameter;
    /// A request header value is invalid (`400 Bad Request`).
    (400, INVALID_VALUE_HEADERS, "invalid_value_headers",
        "A header of the request has an invalid value.")
        /// `400 invalid_value_headers`: a request header has an invalid value.
        fn invalid_value_headers;
    /// No credentials were sent (`401 Unauthorized`).
    (401, UNAUTHORIZED, "unauthorized",
        "Full authentication is required to access this resource.")
        hand_written fn unauthorized;
    /// The access token has expired (`401 Unauthorized`).
    (401, TOKEN_EXPIRED, "token_expired", "The access token has expired.")
        hand_written fn token_expired;
    /// The access token is invalid (`401 Unauthorized`).
    (401, INVALID_TOKEN, "invalid_token", "The access token is invalid.")
        hand_written fn invalid_token;
    /// The account is unpaid (`402 Payment Required`).
    (402, PAYMENT_REQUIRED, "payment_required", "The account has been marked as unpaid.")
        /// `402 payment_required`: the account is unpaid.
        fn payment_required;
    /// The client lacks permission (`403 Forbidden`).
    (403, UNAUTHORIZED_CLIENT, "unauthorized_client",
        "The client does not have permission to perform this request.")
        /// `403 unauthorized_client`: the client lacks permission for this request.
        fn unauthorized_client;
    /// Nothing was found (`404 Not Found`).
    (404, NOT_FOUND, "not_found", "The requested resource could not be found.")
        /// `404 not_found`: nothing was found for the request.
        fn not_found;
    /// The method is not supported (`405 Method Not Allowed`).
    (405, METHOD_NOT_ALLOWED, "method_not_allowed",
        "The request method is not supported by this resource.")
        hand_written fn method_not_allowed;
    /// No acceptable representation (`406 Not Acceptable`).
    (406, NOT_ACCEPTABLE, "not_acceptable",
        "The resource can only be represented as application/json or application/xml.")
        /// `406 not_acceptable`: no representation the client accepts is available.
        fn not_acceptable;
    /// `407 Proxy Authentication Required`.
    (407, PROXY_AUTHENTICATION_REQUIRED, "proxy_authentication_required",
        "Authentication with the proxy is required.");
    /// `408 Request Timeout`.
    (408, REQUEST_TIMEOUT, "request_timeout", "The server timed out waiting for the request.");
    /// `409 Conflict`.
    (409, CONFLICT, "conflict", "The request conflicts with the current state of the resource.");
    /// `410 Gone`.
    (410, GONE, "gone", "The requested resource is no longer available.");
    /// `411 Length Required`.
    (411, LENGTH_REQUIRED, "length_required", "The request must state its Content-Length.");
    /// A precondition was not met (`412 Precondition Failed`).
    (412, PRECONDITION_FAILED, "precondition_failed",
        "A precondition of the request was not met.")
        /// `412 precondition_failed`: a precondition of the request was not met.
        fn precondition_failed;
    /// `413 Content Too Large`.
    (413, PAYLOAD_TOO_LARGE, "payload_too_large",
        "The request body is larger than the server accepts.")
        /// `413 payload_too_large`: the request body is larger than the server accepts.
        fn payload_too_large;
    /// `414 URI Too Long`.
    (414, URI_TOO_LONG, "uri_too_long", "The request URI is longer than the server accepts.");
    /// `415 Unsupported Media Type`.
    (415, UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
        "The request body is in a format the resource does not support.")
        /// `415 unsupported_media_type`: the request body is in a format the resource does not
        /// take.
        fn unsupported_media_type;
    /// `416 Range Not Satisfiable`.
    (416, RANGE_NOT_SATISFIABLE, "range_not_satisfiable", "The requested range cannot be served.");
    /// `417 Expectation Failed`.
    (417, EXPECTATION_FAILED, "expectation_failed",
        "The expectation given in the Expect header cannot be met.");
    /// `421 Misdirected Request`.
    (421, MISDIRECTED_REQUEST, "misdirected_request",
        "The request was directed at a server that cannot answer it.");
    /// The request is semantically invalid (`422 Unprocessable Content`).
    (422, UNPROCESSABLE_ENTITY, "unprocessable_entity",
        "The request was well-formed but could not be processed because of semantic errors.")
        /// `422 unprocessable_entity`: the request is well-formed but semantically invalid. Add the
        /// invalid fields with [`with_field_error`](ApiError::with_field_error).
        fn unprocessable_entity;
    /// `423 Locked`.
    (423, LOCKED, "locked", "The resource is locked.");
    /// `424 Failed Dependency`.
    (424, FAILED_DEPENDENCY, "failed_dependency",
        "The request failed because a request it depends on failed.");
    /// `425 Too Early`.
    (425, TOO_EARLY, "too_early", "The server will not process a request that might be replayed.");
    /// `426 Upgrade Required`.
    (426, UPGRADE_REQUIRED, "upgrade_required", "The client must switch to another protocol.");
    /// `428 Precondition Required`.
    (428, PRECONDITION_REQUIRED, "precondition_required", "The request must be conditional.");
    /// Rate limited (`429 Too Many Requests`).
    (429, TOO_MANY_REQUESTS, "too_many_requests", "Too many requests were made; try again later.")
        hand_written fn too_many_requests;
    /// `431 Request Header Fields Too Large`.
    (431, REQUEST_HEADER_FIELDS_TOO_LARGE, "request_header_fields_too_large",
        "The request headers are larger than the server accepts.");
    /// `451 Unavailable For Legal Reasons`.
    (451, UNAVAILABLE_FOR_LEGAL_REASONS, "unavailable_for_legal_reasons",
        "The resource is unavailable for legal reasons.");
    /// An unexpected failure (`500 Internal Server Error`).
    (500, INTERNAL_SERVER_ERROR, "internal_server_error",
        "An unexpected error occurred and it was not possible to complete the request.")
        /// `500 internal_server_error`. The description is for logs: the client gets the default
        /// one.
        fn internal_server_error;
    /// `501 Not Implemented`.
    (501, NOT_IMPLEMENTED, "not_implemented", "The server does not support this request.");
    /// An upstream failure (`502 Bad Gateway`).
    (502, BAD_GATEWAY, "bad_gateway",
        "The server had trouble reaching an upstream service. Please try the request again.")
        /// `502 bad_gateway`. The description is for logs: the client gets the default one.
        fn bad_gateway;
    /// Temporarily unavailable (`503 Service Unavailable`).
    (503, SERVICE_UNAVAILABLE, "service_unavailable",
        "The service is temporarily unavailable. Please try the request again.")
        /// `503 service_unavailable`. The description is for logs: the client gets the default
        /// one. Add a `Retry-After` header with [`with_retry_after`](ApiError::with_retry_after).
        fn service_unavailable;
    /// `504 Gateway Timeout`.
    (504, GATEWAY_TIMEOUT, "gateway_timeout",
        "The server did not answer in time. Please try the request again.")
        /// `504 gateway_timeout`: an upstream service, or the handler under a timeout, did not
        /// answer in time. The description is for logs unless exposed.
        ///
        /// tower's `Elapsed` becomes this error (see its `From<BoxError>` impl), and so does
        /// the empty `504` of tower-http's `TimeoutLayer` when the layer rewrites it.
        fn gateway_timeout;
    /// `505 HTTP Version Not Supported`.
    (505, HTTP_VERSION_NOT_SUPPORTED, "http_version_not_supported",
        "The HTTP version of the request is not supported.");
    /// `507 Insufficient Storage`.
    (507, INSUFFICIENT_STORAGE, "insufficient_storage",
        "The server cannot store what the request needs.");
    /// `508 Loop Detected`.
    (508, LOOP_DETECTED, "loop_detected",
        "The server detected an infinite loop while processing the request.");
    /// `511 Network Authentication Required`.
    (511, NETWORK_AUTHENTICATION_REQUIRED, "network_authentication_required",
        "The client must authenticate to gain network access.");
}

/// The code for a 4xx status that has no code of its own.
pub const CLIENT_ERROR: &str = "client_error";
/// The code for a 5xx status that has no code of its own.
pub const SERVER_ERROR: &str = "server_error";

/// One code of an error catalogue: its code, status, title, description and, if it has one of its
/// own, documentation URI.
///
/// [`all`] gives the entries of the built-in codes; an enum with
/// [`#[derive(ApiError)]`](derive@crate::ApiError) gives its own through
/// [`ErrorCodes`](crate::catalogue::ErrorCodes); a [`Catalogue`](crate::catalogue::Catalogue)
/// holds the entries of an application.
///
/// ```
/// use http::StatusCode;
/// use tower_api_error::code::Entry;
///
/// const NAME_TAKEN: Entry = Entry::new(
///     StatusCode::CONFLICT,
///     "item_name_taken",
///     "An item with this name already exists.",
/// )
/// .with_title("Item name taken");
/// assert_eq!(NAME_TAKEN.title(), "Item name taken");
/// assert_eq!(NAME_TAKEN.uri(), None);
///
/// let plain = Entry::new(StatusCode::CONFLICT, "conflict", "It conflicts.");
/// assert_eq!(plain.title(), "Conflict");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    status: StatusCode,
    code: &'static str,
    title: Option<&'static str>,
    description: &'static str,
    uri: Option<&'static str>,
    members: &'static [MemberDoc],
    translations: &'static [Translation],
    example: Example,
}

/// Where an entry's example error comes from.
#[derive(Debug, Clone, Copy)]
enum Example {
    /// An error with the entry's own description.
    Plain,
    /// A function that makes one.
    Declared(fn() -> ApiError),
    /// None is known.
    Unknown,
}

impl Entry {
    /// An entry with the status's reason phrase as its title and no documentation URI of its own.
    ///
    /// # Panics
    ///
    /// If `status` is not a 4xx or 5xx status, or `code` is empty or holds a byte that is not an
    /// ASCII letter, digit, `-`, `.`, `_` or `~` (the characters a URI fragment and an HTML `id`
    /// take as they are). In a `const`, that is an error when the crate compiles.
    pub const fn new(status: StatusCode, code: &'static str, description: &'static str) -> Self {
        assert!(
            status.as_u16() >= 400 && status.as_u16() <= 599,
            "an error code needs a 4xx or 5xx status"
        );
        assert!(
            is_code(code),
            "an error code is made of A-Z, a-z, 0-9, `-`, `.`, `_` and `~`"
        );
        Self {
            status,
            code,
            title: None,
            description,
            uri: None,
            members: &[],
            translations: &[],
            example: Example::Plain,
        }
    }

    /// Sets the title: a short summary of the code, the same for every error with it.
    #[must_use]
    pub const fn with_title(mut self, title: &'static str) -> Self {
        self.title = Some(title);
        self
    }

    /// Sets a documentation URI of the code's own. Without it, the code's documentation is the
    /// entry `#<code>` of the catalogue's page.
    #[must_use]
    pub const fn with_uri(mut self, uri: &'static str) -> Self {
        self.uri = Some(uri);
        self
    }

    /// The code, sent as `error`.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The status of errors with this code.
    pub const fn status(&self) -> StatusCode {
        self.status
    }

    /// The title given with [`with_title`](Entry::with_title), or the status's reason phrase
    /// (`Not Found`).
    pub fn title(&self) -> &'static str {
        match self.title {
            Some(title) => title,
            None => reason(self.status),
        }
    }

    /// The description sent when an error with this code has none, or is a masked 5xx.
    pub const fn description(&self) -> &'static str {
        self.description
    }

    /// The documentation URI given with [`with_uri`](Entry::with_uri).
    pub const fn uri(&self) -> Option<&'static str> {
        self.uri
    }

    /// Documents the [extension members](crate::ApiError::with_member) errors with this code
    /// carry, for the catalogue's page and OpenAPI. `#[derive(ApiError)]` does it for every
    /// `#[member]` field.
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_api_error::{code::Entry, member::{MemberDoc, MemberType}};
    ///
    /// const NAME_TAKEN: Entry = Entry::new(StatusCode::CONFLICT, "item_name_taken", "Taken.")
    ///     .with_members(&[MemberDoc::new("existing_id", MemberType::Integer)]);
    /// assert_eq!(NAME_TAKEN.members()[0].name(), "existing_id");
    /// ```
    #[must_use]
    pub const fn with_members(mut self, members: &'static [MemberDoc]) -> Self {
        self.members = members;
        self
    }

    /// The documented extension members (see [`with_members`](Entry::with_members)).
    pub const fn members(&self) -> &'static [MemberDoc] {
        self.members
    }

    /// Declares the code's title and description in other languages (see
    /// [`language`](crate::language)). `#[derive(ApiError)]` does it for every `lang(...)`
    /// attribute; the built-in codes have `pt-BR`.
    #[must_use]
    pub const fn with_translations(mut self, translations: &'static [Translation]) -> Self {
        self.translations = translations;
        self
    }

    /// The translations declared with [`with_translations`](Entry::with_translations).
    pub const fn translations(&self) -> &'static [Translation] {
        self.translations
    }

    /// The translation into `lang` (compared without regard to ASCII case), if the entry has one.
    pub fn translation(&self, lang: &str) -> Option<&'static Translation> {
        self.translations
            .iter()
            .find(|t| t.lang().eq_ignore_ascii_case(lang))
    }

    /// The title in `lang`: its translation's, or else the entry's own [title](Entry::title).
    pub fn title_in(&self, lang: &str) -> &'static str {
        match self.translation(lang).and_then(Translation::title) {
            Some(title) => title,
            None => self.title(),
        }
    }

    /// The description in `lang`: its translation's, or else the entry's own
    /// [description](Entry::description).
    pub fn description_in(&self, lang: &str) -> &'static str {
        match self.translation(lang) {
            Some(t) => t.description(),
            None => self.description,
        }
    }

    /// Declares how to make an example error with this code, one the application really sends:
    /// the page and OpenAPI show its body. `#[derive(ApiError)]` does it from a variant's
    /// `example = ...` attribute, and for a variant without fields.
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_api_error::{code::Entry, ApiError};
    ///
    /// const PAID: Entry = Entry::new(StatusCode::CONFLICT, "order_already_paid", "The order was paid.")
    ///     .with_example(|| ApiError::new(StatusCode::CONFLICT, "order_already_paid", "Order 2 was paid."));
    /// assert_eq!(PAID.example().unwrap().description(), "Order 2 was paid.");
    ///
    /// // Without one, the example is an error with the entry's code, title and description.
    /// let plain = Entry::new(StatusCode::GONE, "gone", "It is gone.").example().unwrap();
    /// assert_eq!((plain.code(), plain.description()), ("gone", "It is gone."));
    ///
    /// // An entry whose errors say more than its description has no example unless one is given.
    /// let templated = Entry::new(StatusCode::GONE, "item_gone", "The item is gone.").without_example();
    /// assert!(templated.example().is_none());
    /// ```
    #[must_use]
    pub const fn with_example(mut self, example: fn() -> ApiError) -> Self {
        self.example = Example::Declared(example);
        self
    }

    /// Says that the entry's errors do not carry its description as it is (their description is a
    /// template filled per error), so it has no example unless one is declared with
    /// [`with_example`](Entry::with_example). `#[derive(ApiError)]` does it for a variant with
    /// fields and no `example = ...`.
    #[must_use]
    pub const fn without_example(mut self) -> Self {
        self.example = Example::Unknown;
        self
    }

    /// An example error with this code, one the application really sends: the declared one, or
    /// else an error with the entry's status, code, title and description; none after
    /// [`without_example`](Entry::without_example).
    pub fn example(&self) -> Option<ApiError> {
        match self.example {
            Example::Declared(example) => Some(example()),
            Example::Plain => Some(
                ApiError::new(self.status, self.code, self.description).with_title(self.title()),
            ),
            Example::Unknown => None,
        }
    }
}

/// Whether `code` is non-empty and made of URI unreserved characters only.
/// Entries are equal when they declare the same things; their examples are compared by
/// kind only, since two function pointers to the same code need not be equal.
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (
            self.status,
            self.code,
            self.title,
            self.description,
            self.uri,
        ) == (
            other.status,
            other.code,
            other.title,
            other.description,
            other.uri,
        ) && (self.members, self.translations) == (other.members, other.translations)
            && std::mem::discriminant(&self.example) == std::mem::discriminant(&other.example)
    }
}

impl Eq for Entry {}

pub(crate) const fn is_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~')
        {
            return false;
        }
        i += 1;
    }
    !bytes.is_empty()
}

/// The reason phrase of a status, or a generic one for a status that has none.
pub(crate) fn reason(status: StatusCode) -> &'static str {
    status
        .canonical_reason()
        .unwrap_or(if status.is_server_error() {
            "Server Error"
        } else {
            "Client Error"
        })
}

/// The description a status's errors get when they have none of their own, or are masked 5xx
/// errors: that of the status's first code in the table, or a generic one. Usable in a `const`.
///
/// ```
/// use http::StatusCode;
/// use tower_api_error::code;
///
/// assert_eq!(
///     code::status_description(StatusCode::BAD_GATEWAY),
///     "The server had trouble reaching an upstream service. Please try the request again."
/// );
/// assert_eq!(
///     code::status_description(StatusCode::from_u16(599).unwrap()),
///     "An unexpected error occurred and it was not possible to complete the request."
/// );
/// ```
pub const fn status_description(status: StatusCode) -> &'static str {
    let mut i = 0;
    while i < TABLE.len() {
        if TABLE[i].status.as_u16() == status.as_u16() {
            return TABLE[i].description;
        }
        i += 1;
    }
    if status.as_u16() >= 500 {
        SERVER_ERROR_DESCRIPTION
    } else {
        CLIENT_ERROR_DESCRIPTION
    }
}

/// Every entry of the code table, in the order of the table in the module docs: the first entry of
/// a status is the code that [`ApiError::from_status`] gives it. [`CLIENT_ERROR`] and
/// [`SERVER_ERROR`], which have no status of their own, are not entries.
///
/// ```
/// use http::StatusCode;
/// use tower_api_error::code;
///
/// let not_found = code::all().find(|entry| entry.code() == code::NOT_FOUND).unwrap();
/// assert_eq!(not_found.status(), StatusCode::NOT_FOUND);
/// assert_eq!(not_found.description(), "The requested resource could not be found.");
///
/// let first_401 = code::all().find(|entry| entry.status() == StatusCode::UNAUTHORIZED).unwrap();
/// assert_eq!(first_401.code(), code::UNAUTHORIZED);
///
/// assert!(code::all().all(|entry| entry.status().as_u16() >= 400));
/// ```
pub fn all() -> impl ExactSizeIterator<Item = Entry> {
    TABLE.iter().copied().map(|entry| match entry.code {
        // Every validation 422 lists its invalid fields, and so does its example.
        UNPROCESSABLE_ENTITY => entry.with_example(|| {
            ApiError::unprocessable_entity("The request has invalid fields.")
                .with_field_error("name", "must not be empty")
        }),
        _ => entry,
    })
}

const CLIENT_ERROR_DESCRIPTION: &str = "The request could not be processed.";
const SERVER_ERROR_DESCRIPTION: &str =
    "An unexpected error occurred and it was not possible to complete the request.";

/// The default code for an error status.
pub(crate) fn for_status(status: StatusCode) -> &'static str {
    match TABLE.iter().find(|entry| entry.status == status) {
        Some(entry) => entry.code,
        None if status.is_server_error() => SERVER_ERROR,
        None => CLIENT_ERROR,
    }
}

/// The default description for a code, falling back to one for the status.
pub(crate) fn description(code: &str, status: StatusCode) -> &'static str {
    match TABLE.iter().find(|entry| entry.code == code) {
        Some(entry) => entry.description,
        None => status_description(status),
    }
}

/// The languages the crate ships texts in for its built-in codes: the code table's own,
/// English, then those of [`language`](crate::language)'s modules.
#[allow(dead_code, reason = "read by the layer when it answers in a language")]
pub(crate) const SHIPPED_LANGUAGES: &[&str] = &["en", pt_br::TAG];

/// The title of a status in `lang`, if the crate ships texts in `lang` (see
/// [`SHIPPED_LANGUAGES`]): the translation of the status's first code in the table, or, for a
/// status without a code, the translation of [`CLIENT_ERROR`]'s or [`SERVER_ERROR`]'s title. In
/// `en`, the reason phrase, as [`Entry::title`] gives it.
pub(crate) fn title_in(status: StatusCode, lang: &str) -> Option<&'static str> {
    if lang.eq_ignore_ascii_case("en") {
        return Some(reason(status));
    }
    let translation = match TABLE.iter().find(|entry| entry.status == status) {
        Some(entry) => entry.translation(lang),
        None => fallback(status, lang),
    };
    translation.and_then(Translation::title)
}

/// The default description of a code in `lang`, falling back to one for the status, as
/// [`description`] does; `None` if the crate ships no texts in `lang` (see
/// [`SHIPPED_LANGUAGES`]).
pub(crate) fn description_in(code: &str, status: StatusCode, lang: &str) -> Option<&'static str> {
    if lang.eq_ignore_ascii_case("en") {
        return Some(description(code, status));
    }
    match TABLE.iter().find(|entry| entry.code == code) {
        Some(entry) => entry.translation(lang).map(Translation::description),
        None => status_description_in(status, lang),
    }
}

/// [`status_description`] in `lang`, usable in a `const`: the description of the status's first
/// code, or of [`CLIENT_ERROR`] or [`SERVER_ERROR`], in `lang`; `None` if the crate ships no
/// texts in `lang`.
pub(crate) const fn status_description_in(status: StatusCode, lang: &str) -> Option<&'static str> {
    if const_eq::eq_ignore_ascii_case(lang, "en") {
        return Some(status_description(status));
    }
    let mut i = 0;
    let translations = loop {
        if i == TABLE.len() {
            break pt_br::translations(if status.as_u16() >= 500 {
                SERVER_ERROR
            } else {
                CLIENT_ERROR
            });
        }
        if TABLE[i].status.as_u16() == status.as_u16() {
            break TABLE[i].translations;
        }
        i += 1;
    };
    let mut i = 0;
    while i < translations.len() {
        if const_eq::eq_ignore_ascii_case(translations[i].lang(), lang) {
            return Some(translations[i].description());
        }
        i += 1;
    }
    None
}

/// The translation into `lang` of [`CLIENT_ERROR`] or [`SERVER_ERROR`], by the status's class.
fn fallback(status: StatusCode, lang: &str) -> Option<&'static Translation> {
    let code = if status.is_server_error() {
        SERVER_ERROR
    } else {
        CLIENT_ERROR
    };
    pt_br::translations(code)
        .iter()
        .find(|t| t.lang().eq_ignore_ascii_case(lang))
}

/// The codes the layer can answer with whatever the application declares, in the order of the
/// table: its own answers, and those of the [rewrite
/// rules](crate::ApiErrorLayer::rewrite_plain_errors) for the plain error responses of axum,
/// tower and tower-http. The catalogue's page documents them all, so that every `error_uri` the
/// layer sends resolves.
///
/// - `invalid_parameter`, `invalid_value_parameter` (400): axum's extractor rejections, the query
///   string's among them (rule 2);
/// - `unauthorized` (401): tower-http's empty `401` (rule 5, with the default challenge);
/// - `not_found` (404), `method_not_allowed` (405): axum's router;
/// - `not_acceptable` (406): the layer's own answer to an `Accept` it cannot serve, and a refused
///   content coding (rule 4);
/// - `request_timeout` (408): tower-http's timeout;
/// - `payload_too_large` (413), `unsupported_media_type` (415), `unprocessable_entity` (422):
///   axum's body limit and extractor rejections;
/// - `internal_server_error` (500): a panic, and an error of the inner service;
/// - `service_unavailable` (503): tower's load shedding (`Overloaded`);
/// - `gateway_timeout` (504): tower's timeout (`Elapsed`) and tower-http's empty `504`.
pub(crate) const LAYER_CODES: &[&str] = &[
    INVALID_PARAMETER,
    INVALID_VALUE_PARAMETER,
    UNAUTHORIZED,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    REQUEST_TIMEOUT,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    UNPROCESSABLE_ENTITY,
    INTERNAL_SERVER_ERROR,
    SERVICE_UNAVAILABLE,
    GATEWAY_TIMEOUT,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_of_the_seeds_has_its_code() {
        let seeds = [
            (400, "invalid_parameter"),
            (401, "unauthorized"),
            (402, "payment_required"),
            (403, "unauthorized_client"),
            (404, "not_found"),
            (405, "method_not_allowed"),
            (406, "not_acceptable"),
            (412, "precondition_failed"),
            (422, "unprocessable_entity"),
            (429, "too_many_requests"),
            (500, "internal_server_error"),
            (502, "bad_gateway"),
            (503, "service_unavailable"),
        ];
        for (status, code) in seeds {
            assert_eq!(for_status(StatusCode::from_u16(status).unwrap()), code);
        }
    }

    #[test]
    fn unknown_statuses_fall_back_by_class() {
        let s499 = StatusCode::from_u16(499).unwrap();
        let s599 = StatusCode::from_u16(599).unwrap();
        assert_eq!(for_status(s499), CLIENT_ERROR);
        assert_eq!(for_status(s599), SERVER_ERROR);
        assert_eq!(description("x", s499), CLIENT_ERROR_DESCRIPTION);
        assert_eq!(description("x", s599), SERVER_ERROR_DESCRIPTION);
    }

    #[test]
    fn descriptions_follow_the_code_before_the_status() {
        let token = description(TOKEN_EXPIRED, StatusCode::UNAUTHORIZED);
        assert_eq!(token, "The access token has expired.");
        let custom = description("database_down", StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            custom,
            description(INTERNAL_SERVER_ERROR, StatusCode::INTERNAL_SERVER_ERROR)
        );
    }

    #[test]
    fn constructors_are_named_after_their_codes() {
        for (constructor, code) in CONSTRUCTORS {
            assert_eq!(constructor, code);
        }
    }

    /// The README's `## Codes` table names every constructor of the declaration and no other
    /// (tests/wire/code_table.rs checks its codes and statuses, but cannot see `CONSTRUCTORS`).
    #[test]
    fn readme_codes_name_every_constructor() {
        let readme = include_str!("../README.md");
        let section = readme.split("\n## Codes\n").nth(1).unwrap();
        let section = section.split("\n## ").next().unwrap();
        let mut named: Vec<&str> = section
            .split("ApiError::")
            .skip(1)
            .map(|call| call.split('(').next().unwrap())
            .filter(|name| !matches!(*name, "new" | "from_status"))
            .collect();
        let mut declared: Vec<&str> = CONSTRUCTORS.iter().map(|(name, _)| *name).collect();
        named.sort_unstable();
        named.dedup();
        declared.sort_unstable();
        assert_eq!(
            named, declared,
            "constructors named in the README table `## Codes` (left) and declared in the code \
             table (right)"
        );
    }

    /// Every built-in code, and the fallbacks, in every shipped language: the list of those
    /// without a title or description is printed (run with `--nocapture`) and must be empty.
    #[test]
    fn every_code_is_translated_into_every_shipped_language() {
        let codes: Vec<(&str, StatusCode)> = TABLE
            .iter()
            .map(|entry| (entry.code, entry.status))
            .chain([
                (CLIENT_ERROR, StatusCode::from_u16(499).unwrap()),
                (SERVER_ERROR, StatusCode::from_u16(599).unwrap()),
            ])
            .collect();
        let mut untranslated = Vec::new();
        for lang in SHIPPED_LANGUAGES {
            let missing: Vec<&str> = codes
                .iter()
                .filter(|(code, status)| {
                    let texts = match *lang {
                        // The table's own language: the entry's texts, or the fallbacks'.
                        "en" => Some((reason(*status), description(code, *status))),
                        _ => match TABLE.iter().find(|entry| entry.code == *code) {
                            Some(entry) => entry
                                .translation(lang)
                                .and_then(|t| Some((t.title()?, t.description()))),
                            None => fallback(*status, lang).and_then(|t| Some((t.title()?, t.description()))),
                        },
                    };
                    !matches!(texts, Some((title, description)) if !title.is_empty() && !description.is_empty())
                })
                .map(|(code, _)| *code)
                .collect();
            println!("codes without a translation into {lang}: {missing:?}");
            if !missing.is_empty() {
                untranslated.push((*lang, missing));
            }
        }
        assert!(
            untranslated.is_empty(),
            "untranslated codes: {untranslated:?}"
        );
    }

    /// The pt-BR table names exactly the codes of the code table and the two fallbacks, each
    /// once: it writes them out (it cannot take them from here), so a misspelt code would
    /// leave one without its translation.
    #[test]
    fn the_pt_br_table_has_exactly_the_built_in_codes() {
        let mut translated: Vec<&str> = pt_br::CODES.iter().map(|(code, _)| *code).collect();
        let mut codes: Vec<&str> = TABLE
            .iter()
            .map(|entry| entry.code)
            .chain([CLIENT_ERROR, SERVER_ERROR])
            .collect();
        translated.sort_unstable();
        codes.sort_unstable();
        assert_eq!(translated, codes);
        for entry in TABLE {
            assert_eq!(entry.translations.len(), 1, "{}", entry.code);
        }
    }

    /// No pt-BR text is its English one left untranslated. There are no exceptions today: every
    /// title and description of the table has words to translate; a code, media type or header
    /// name in them stays as it is, but never makes up a whole text. An exception, if one is
    /// ever right (a title that is a proper name), goes in `SAME_ON_PURPOSE` with its reason.
    #[test]
    fn no_pt_br_text_is_its_english_one() {
        const SAME_ON_PURPOSE: &[&str] = &[];
        let english = TABLE
            .iter()
            .map(|entry| (entry.code, entry.title(), entry.description))
            .chain([
                (CLIENT_ERROR, "Client Error", CLIENT_ERROR_DESCRIPTION),
                (SERVER_ERROR, "Server Error", SERVER_ERROR_DESCRIPTION),
            ]);
        let mut checked = 0;
        for (code, title, description) in english {
            let pt = pt_br::translations(code)[0];
            for (english, portuguese) in [
                (title, pt.title().unwrap()),
                (description, pt.description()),
            ] {
                if !SAME_ON_PURPOSE.contains(&english) {
                    assert_ne!(english, portuguese, "{code}: left in English");
                }
                checked += 1;
            }
            assert_eq!(pt.lang(), "pt-BR");
        }
        assert_eq!(checked, 2 * (TABLE.len() + 2));
        // The same for the texts the layer and the validation conversions write: each says in
        // Portuguese what its English one (src/respond/own_answers.rs, src/validation) says, and
        // names the same media types.
        for (english, portuguese) in [
            (
                "The request has invalid fields.",
                pt_br::VALIDATION_DESCRIPTION,
            ),
            ("No acceptable content coding", pt_br::NOT_ACCEPTABLE_CODING),
            ("The resource can only be", pt_br::NOT_ACCEPTABLE_SEED),
            ("The resource can only be", pt_br::NOT_ACCEPTABLE_PROBLEM),
            ("The resource can only be", pt_br::NOT_ACCEPTABLE_EITHER),
        ] {
            assert!(!portuguese.starts_with(english), "{portuguese}");
        }
        let media = |text: &str| -> Vec<String> {
            let mut types: Vec<String> = text
                .split([' ', ',', '.'])
                .filter(|word| word.starts_with("application/"))
                .map(str::to_owned)
                .collect();
            types.sort();
            types
        };
        assert_eq!(
            media(pt_br::NOT_ACCEPTABLE_EITHER),
            media(
                "application/json, application/xml, application/problem+json, \
                 application/problem+xml, application/json, application/xml, \
                 application/problem+json, application/problem+xml"
            )
        );
    }

    #[test]
    fn texts_in_a_language_with_their_fallbacks() {
        let pt = "pt-br";
        let s404 = StatusCode::NOT_FOUND;
        assert_eq!(title_in(s404, pt), Some("Não Encontrado"));
        assert_eq!(title_in(s404, "EN"), Some("Not Found"));
        assert_eq!(title_in(s404, "fr"), None);
        assert_eq!(
            description_in(NOT_FOUND, s404, "pt-BR"),
            Some("O recurso solicitado não foi encontrado.")
        );
        assert_eq!(
            description_in(TOKEN_EXPIRED, StatusCode::UNAUTHORIZED, pt),
            Some("O token de acesso expirou.")
        );
        assert_eq!(
            description_in(NOT_FOUND, s404, "en"),
            Some("The requested resource could not be found.")
        );
        assert_eq!(description_in(NOT_FOUND, s404, "fr"), None);
        // A code of the application: the status's first code's text.
        assert_eq!(
            description_in("item_gone", StatusCode::GONE, pt),
            Some("O recurso solicitado não está mais disponível.")
        );
        // A status without a code: the fallbacks'.
        let (s499, s599) = (
            StatusCode::from_u16(499).unwrap(),
            StatusCode::from_u16(599).unwrap(),
        );
        assert_eq!(title_in(s499, pt), Some("Erro do Cliente"));
        assert_eq!(title_in(s599, pt), Some("Erro do Servidor"));
        assert_eq!(
            title_in(StatusCode::IM_A_TEAPOT, pt),
            Some("Erro do Cliente")
        );
        assert_eq!(
            description_in("x", s499, pt),
            Some("Não foi possível processar a requisição.")
        );
        const MASKED: Option<&str> = status_description_in(StatusCode::BAD_GATEWAY, "PT-br");
        assert_eq!(
            MASKED,
            Some(
                "O servidor teve problemas para acessar um serviço do qual depende. Por favor, \
                 tente a requisição novamente."
            )
        );
        assert_eq!(
            status_description_in(s599, pt),
            Some("Ocorreu um erro inesperado e não foi possível concluir a requisição.")
        );
        assert_eq!(status_description_in(s599, "de"), None);
        // Every entry of `all()` carries its translation.
        assert!(all().all(|entry| entry.translation("pt-BR").is_some()));
        assert_eq!(
            all()
                .find(|e| e.code() == CONFLICT)
                .unwrap()
                .title_in("pt-BR"),
            "Conflito"
        );
    }

    #[test]
    fn codes_are_unique_and_snake_case() {
        for (i, entry) in TABLE.iter().enumerate() {
            let (code, description) = (entry.code, entry.description);
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
            assert!(description.ends_with('.'), "{code}");
            assert!(
                TABLE[i + 1..].iter().all(|other| other.code != code),
                "{code} twice"
            );
        }
    }
}
