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
//! A status that is not listed gets `client_error` (4xx) or `server_error` (5xx).

use http::StatusCode;

/// The request is invalid in some way (`400 Bad Request`).
pub const INVALID_PARAMETER: &str = "invalid_parameter";
/// A query string value is invalid (`400 Bad Request`).
pub const INVALID_VALUE_PARAMETER: &str = "invalid_value_parameter";
/// A request header value is invalid (`400 Bad Request`).
pub const INVALID_VALUE_HEADERS: &str = "invalid_value_headers";
/// No credentials were sent (`401 Unauthorized`).
pub const UNAUTHORIZED: &str = "unauthorized";
/// The access token has expired (`401 Unauthorized`).
pub const TOKEN_EXPIRED: &str = "token_expired";
/// The access token is invalid (`401 Unauthorized`).
pub const INVALID_TOKEN: &str = "invalid_token";
/// The account is unpaid (`402 Payment Required`).
pub const PAYMENT_REQUIRED: &str = "payment_required";
/// The client lacks permission (`403 Forbidden`).
pub const UNAUTHORIZED_CLIENT: &str = "unauthorized_client";
/// Nothing was found (`404 Not Found`).
pub const NOT_FOUND: &str = "not_found";
/// The method is not supported (`405 Method Not Allowed`).
pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
/// No acceptable representation (`406 Not Acceptable`).
pub const NOT_ACCEPTABLE: &str = "not_acceptable";
/// `407 Proxy Authentication Required`.
pub const PROXY_AUTHENTICATION_REQUIRED: &str = "proxy_authentication_required";
/// `408 Request Timeout`.
pub const REQUEST_TIMEOUT: &str = "request_timeout";
/// `409 Conflict`.
pub const CONFLICT: &str = "conflict";
/// `410 Gone`.
pub const GONE: &str = "gone";
/// `411 Length Required`.
pub const LENGTH_REQUIRED: &str = "length_required";
/// A precondition was not met (`412 Precondition Failed`).
pub const PRECONDITION_FAILED: &str = "precondition_failed";
/// `413 Content Too Large`.
pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
/// `414 URI Too Long`.
pub const URI_TOO_LONG: &str = "uri_too_long";
/// `415 Unsupported Media Type`.
pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
/// `416 Range Not Satisfiable`.
pub const RANGE_NOT_SATISFIABLE: &str = "range_not_satisfiable";
/// `417 Expectation Failed`.
pub const EXPECTATION_FAILED: &str = "expectation_failed";
/// `421 Misdirected Request`.
pub const MISDIRECTED_REQUEST: &str = "misdirected_request";
/// The request is semantically invalid (`422 Unprocessable Content`).
pub const UNPROCESSABLE_ENTITY: &str = "unprocessable_entity";
/// `423 Locked`.
pub const LOCKED: &str = "locked";
/// `424 Failed Dependency`.
pub const FAILED_DEPENDENCY: &str = "failed_dependency";
/// `425 Too Early`.
pub const TOO_EARLY: &str = "too_early";
/// `426 Upgrade Required`.
pub const UPGRADE_REQUIRED: &str = "upgrade_required";
/// `428 Precondition Required`.
pub const PRECONDITION_REQUIRED: &str = "precondition_required";
/// Rate limited (`429 Too Many Requests`).
pub const TOO_MANY_REQUESTS: &str = "too_many_requests";
/// `431 Request Header Fields Too Large`.
pub const REQUEST_HEADER_FIELDS_TOO_LARGE: &str = "request_header_fields_too_large";
/// `451 Unavailable For Legal Reasons`.
pub const UNAVAILABLE_FOR_LEGAL_REASONS: &str = "unavailable_for_legal_reasons";
/// An unexpected failure (`500 Internal Server Error`).
pub const INTERNAL_SERVER_ERROR: &str = "internal_server_error";
/// `501 Not Implemented`.
pub const NOT_IMPLEMENTED: &str = "not_implemented";
/// An upstream failure (`502 Bad Gateway`).
pub const BAD_GATEWAY: &str = "bad_gateway";
/// Temporarily unavailable (`503 Service Unavailable`).
pub const SERVICE_UNAVAILABLE: &str = "service_unavailable";
/// `504 Gateway Timeout`.
pub const GATEWAY_TIMEOUT: &str = "gateway_timeout";
/// `505 HTTP Version Not Supported`.
pub const HTTP_VERSION_NOT_SUPPORTED: &str = "http_version_not_supported";
/// `507 Insufficient Storage`.
pub const INSUFFICIENT_STORAGE: &str = "insufficient_storage";
/// `508 Loop Detected`.
pub const LOOP_DETECTED: &str = "loop_detected";
/// `511 Network Authentication Required`.
pub const NETWORK_AUTHENTICATION_REQUIRED: &str = "network_authentication_required";

/// The code for a 4xx status that has no code of its own.
pub const CLIENT_ERROR: &str = "client_error";
/// The code for a 5xx status that has no code of its own.
pub const SERVER_ERROR: &str = "server_error";

/// `(status, code, default description)`, the first entry of a status being its default code.
const TABLE: &[(u16, &str, &str)] = &[
    (
        400,
        INVALID_PARAMETER,
        "The request has something invalid in it.",
    ),
    (
        400,
        INVALID_VALUE_PARAMETER,
        "A query string parameter of the request has an invalid value.",
    ),
    (
        400,
        INVALID_VALUE_HEADERS,
        "A header of the request has an invalid value.",
    ),
    (
        401,
        UNAUTHORIZED,
        "Full authentication is required to access this resource.",
    ),
    (401, TOKEN_EXPIRED, "The access token has expired."),
    (401, INVALID_TOKEN, "The access token is invalid."),
    (
        402,
        PAYMENT_REQUIRED,
        "The account has been marked as unpaid.",
    ),
    (
        403,
        UNAUTHORIZED_CLIENT,
        "The client does not have permission to perform this request.",
    ),
    (404, NOT_FOUND, "The requested resource could not be found."),
    (
        405,
        METHOD_NOT_ALLOWED,
        "The request method is not supported by this resource.",
    ),
    (
        406,
        NOT_ACCEPTABLE,
        "The resource can only be represented as application/json or application/xml.",
    ),
    (
        407,
        PROXY_AUTHENTICATION_REQUIRED,
        "Authentication with the proxy is required.",
    ),
    (
        408,
        REQUEST_TIMEOUT,
        "The server timed out waiting for the request.",
    ),
    (
        409,
        CONFLICT,
        "The request conflicts with the current state of the resource.",
    ),
    (410, GONE, "The requested resource is no longer available."),
    (
        411,
        LENGTH_REQUIRED,
        "The request must state its Content-Length.",
    ),
    (
        412,
        PRECONDITION_FAILED,
        "A precondition of the request was not met.",
    ),
    (
        413,
        PAYLOAD_TOO_LARGE,
        "The request body is larger than the server accepts.",
    ),
    (
        414,
        URI_TOO_LONG,
        "The request URI is longer than the server accepts.",
    ),
    (
        415,
        UNSUPPORTED_MEDIA_TYPE,
        "The request body is in a format the resource does not support.",
    ),
    (
        416,
        RANGE_NOT_SATISFIABLE,
        "The requested range cannot be served.",
    ),
    (
        417,
        EXPECTATION_FAILED,
        "The expectation given in the Expect header cannot be met.",
    ),
    (
        421,
        MISDIRECTED_REQUEST,
        "The request was directed at a server that cannot answer it.",
    ),
    (
        422,
        UNPROCESSABLE_ENTITY,
        "The request was well-formed but could not be processed because of semantic errors.",
    ),
    (423, LOCKED, "The resource is locked."),
    (
        424,
        FAILED_DEPENDENCY,
        "The request failed because a request it depends on failed.",
    ),
    (
        425,
        TOO_EARLY,
        "The server will not process a request that might be replayed.",
    ),
    (
        426,
        UPGRADE_REQUIRED,
        "The client must switch to another protocol.",
    ),
    (
        428,
        PRECONDITION_REQUIRED,
        "The request must be conditional.",
    ),
    (
        429,
        TOO_MANY_REQUESTS,
        "Too many requests were made; try again later.",
    ),
    (
        431,
        REQUEST_HEADER_FIELDS_TOO_LARGE,
        "The request headers are larger than the server accepts.",
    ),
    (
        451,
        UNAVAILABLE_FOR_LEGAL_REASONS,
        "The resource is unavailable for legal reasons.",
    ),
    (
        500,
        INTERNAL_SERVER_ERROR,
        "An unexpected error occurred and it was not possible to complete the request.",
    ),
    (
        501,
        NOT_IMPLEMENTED,
        "The server does not support this request.",
    ),
    (
        502,
        BAD_GATEWAY,
        "The server had trouble reaching an upstream service. Please try the request again.",
    ),
    (
        503,
        SERVICE_UNAVAILABLE,
        "The service is temporarily unavailable. Please try the request again.",
    ),
    (
        504,
        GATEWAY_TIMEOUT,
        "The server did not answer in time. Please try the request again.",
    ),
    (
        505,
        HTTP_VERSION_NOT_SUPPORTED,
        "The HTTP version of the request is not supported.",
    ),
    (
        507,
        INSUFFICIENT_STORAGE,
        "The server cannot store what the request needs.",
    ),
    (
        508,
        LOOP_DETECTED,
        "The server detected an infinite loop while processing the request.",
    ),
    (
        511,
        NETWORK_AUTHENTICATION_REQUIRED,
        "The client must authenticate to gain network access.",
    ),
];

const CLIENT_ERROR_DESCRIPTION: &str = "The request could not be processed.";
const SERVER_ERROR_DESCRIPTION: &str =
    "An unexpected error occurred and it was not possible to complete the request.";

/// The default code for an error status.
pub(crate) fn for_status(status: StatusCode) -> &'static str {
    match TABLE.iter().find(|(s, _, _)| *s == status.as_u16()) {
        Some((_, code, _)) => code,
        None if status.is_server_error() => SERVER_ERROR,
        None => CLIENT_ERROR,
    }
}

/// The default description for a code, falling back to one for the status.
pub(crate) fn description(code: &str, status: StatusCode) -> &'static str {
    TABLE
        .iter()
        .find(|(_, c, _)| *c == code)
        .or_else(|| TABLE.iter().find(|(s, _, _)| *s == status.as_u16()))
        .map_or_else(
            || {
                if status.is_server_error() {
                    SERVER_ERROR_DESCRIPTION
                } else {
                    CLIENT_ERROR_DESCRIPTION
                }
            },
            |(_, _, description)| description,
        )
}

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
    fn codes_are_unique_and_snake_case() {
        for (i, (_, code, description)) in TABLE.iter().enumerate() {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
            assert!(description.ends_with('.'), "{code}");
            assert!(
                TABLE[i + 1..].iter().all(|(_, c, _)| c != code),
                "{code} twice"
            );
        }
    }
}
