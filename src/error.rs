//! [`ApiError`], the value handlers and services fail with.

use std::{
    borrow::Cow, convert::Infallible, error::Error as StdError, fmt, sync::Arc, time::Duration,
};

use http::{
    header::{ALLOW, RETRY_AFTER, WWW_AUTHENTICATE},
    HeaderMap, HeaderName, HeaderValue, Method, StatusCode,
};
use serde::{ser::SerializeStruct, Serialize, Serializer};

use crate::{
    code,
    language::LanguageTag,
    member::{Member, MemberName, MemberValue},
    rate_limit::{self, RateLimit},
};

type BoxError = Box<dyn StdError + Send + Sync>;

/// An error that becomes an HTTP error response: a status, a stable code, a description and
/// optionally an `error_uri`, field errors and response headers.
///
/// Return it from handlers (it implements axum's `IntoResponse` with the `axum` feature) or from
/// any tower service wrapped in [`ApiErrorLayer`](crate::ApiErrorLayer), which renders it as JSON
/// or XML depending on what the client accepts:
///
/// ```json
/// {"error":"not_found","error_description":"No item with id 42.","error_uri":"https://docs.example.com/errors#not_found"}
/// ```
///
/// # Constructors
///
/// The codes of the [code table](crate::code) that handlers need most have a constructor named
/// after the code (`not_found` has [`ApiError::not_found`]), with the status of the table. They
/// take a description; an empty description is replaced by the code's default. [`ApiError::new`]
/// takes any status and code, and [`ApiError::from_status`] gives the default code and description
/// of a status.
///
/// # 5xx errors are masked
///
/// For a 5xx status the description sent to the client is the code's default description, not
/// the one given here, unless [`expose_description`](ApiError::expose_description) is called; field
/// errors are not sent either. The real description and the [source](ApiError::with_source) are
/// kept for logs and are never serialized.
///
/// # Example
///
/// ```
/// use http::{header::WWW_AUTHENTICATE, StatusCode};
/// use tower_api_error::ApiError;
///
/// let err = ApiError::not_found("No item with id 42.");
/// assert_eq!(err.status(), StatusCode::NOT_FOUND);
/// assert_eq!(err.code(), "not_found");
/// assert_eq!(err.description(), "No item with id 42.");
///
/// let err = ApiError::token_expired("");
/// assert_eq!(err.description(), "The access token has expired.");
/// assert_eq!(
///     err.headers()[WWW_AUTHENTICATE],
///     r#"Bearer error="invalid_token", error_description="The access token has expired.""#
/// );
///
/// let err = ApiError::internal_server_error("connection to db-3 refused");
/// assert_eq!(
///     err.public_description(),
///     "An unexpected error occurred and it was not possible to complete the request."
/// );
/// ```
#[must_use = "an `ApiError` does nothing until it is returned or turned into a response"]
pub struct ApiError {
    // Behind a pointer so that `Result<T, ApiError>` stays one pointer wide on the success path;
    // an `Arc` so that the `ErrorInfo` of a rendered error and the lazy body of `IntoResponse`
    // share this allocation instead of each putting the error in an `Arc` of its own (see
    // `share`). Only `SharedError`s share it, and they only lend the error: every owned
    // `ApiError` is the only handle to its `Inner`.
    inner: Arc<Inner>,
}

struct Inner {
    status: StatusCode,
    code: Cow<'static, str>,
    /// `None` when the caller gave no description.
    description: Option<Cow<'static, str>>,
    exposed: bool,
    /// The description is a framework's text (an axum rejection's), which a client answered in
    /// another language gets the code's translation of, in its place.
    framework_text: bool,
    title: Option<Cow<'static, str>>,
    uri: Option<Cow<'static, str>>,
    headers: HeaderMap,
    field_errors: Vec<FieldError>,
    challenge: Option<Challenge>,
    source: Option<BoxError>,
    /// What few errors carry, behind one pointer: `None` for most errors.
    // perf: an error without members is as small, and renders as fast, as before members
    // existed (ledger: "extension members").
    extras: Option<Box<Extras>>,
}

/// The extension members and rate limits of an error that has some.
#[derive(Debug, Default)]
struct Extras {
    /// In the order they were added.
    members: Vec<Member>,
    /// Attached with `with_rate_limit`.
    rate_limits: Vec<RateLimit>,
    /// Texts given per language with `with_description_in` and `with_title_in`, one per language.
    translations: Vec<Localised>,
}

/// The texts an error was given in one language.
#[derive(Debug)]
struct Localised {
    lang: LanguageTag,
    title: Option<Cow<'static, str>>,
    description: Option<Cow<'static, str>>,
}

/// Which RFC 6750 `WWW-Authenticate: Bearer` challenge a 401 error carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Challenge {
    /// No credentials were sent: `Bearer` with no error (RFC 6750, section 3.1).
    Bare,
    /// `Bearer error="invalid_token"` with a description when it can be quoted safely.
    InvalidToken,
}

/// One invalid field of a request, carried by `422 Unprocessable Entity` errors.
///
/// In JSON bodies the field errors are the member `field_errors`, an array of
/// `{"field": ..., "message": ...}` objects, with a third member `"code"` when the error has a
/// [code](FieldError::with_code); in XML bodies they are the element `<field_errors>` holding
/// one `<field_error>` (`<i>` in problem details) with `<field>`, `<message>` and, when there is
/// a code, `<code>` per error. The members come in that order in both formats.
///
/// ```
/// use tower_api_error::{ApiError, FieldError};
///
/// let err = ApiError::unprocessable_entity("The item is invalid.")
///     .with_field_error("name", "must not be empty")
///     .with_field_errors([FieldError::new("price", "must be positive").with_code("range")]);
/// assert_eq!(err.field_errors()[0].code(), None);
/// assert_eq!(err.field_errors()[1].code(), Some("range"));
/// assert_eq!(
///     serde_json::to_string(&err.field_errors()[1]).unwrap(),
///     r#"{"field":"price","message":"must be positive","code":"range"}"#
/// );
/// ```
///
/// The field is a name (`name`) or, for nested values, a dotted path with list indices in
/// brackets (`items[0].name`), the form the [validation conversions](crate#feature-flags) use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    field: Cow<'static, str>,
    message: Cow<'static, str>,
    code: Option<Cow<'static, str>>,
    /// The message in other languages, given with `with_message_in`.
    translations: Vec<(LanguageTag, Cow<'static, str>)>,
}

impl FieldError {
    /// A field error for `field` (a name or a path such as `items[0].name`), without a code.
    pub fn new(field: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            code: None,
            translations: Vec::new(),
        }
    }

    /// Sets a machine-readable code saying which rule the field broke, such as `length` or
    /// `email`: for clients that act on the kind of failure, while the message is for people.
    /// Like the message, it is escaped wherever it is rendered.
    #[must_use = "this returns the changed field error, it does not change one in place"]
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The name or path of the invalid field.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The machine-readable code of the failure, if it has one (see
    /// [`with_code`](FieldError::with_code)).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Gives the message in another language, sent to clients that the layer answers in it (see
    /// [`language`](crate::language)). Given twice for one language, the second wins.
    ///
    /// ```
    /// use tower_api_error::{language::LanguageTag, FieldError};
    ///
    /// let error = FieldError::new("name", "must not be empty")
    ///     .with_message_in(LanguageTag::from_static("pt-BR"), "não pode estar vazio");
    /// assert_eq!(error.message_in("pt-br"), Some("não pode estar vazio"));
    /// assert_eq!(error.message_in("fr"), None);
    /// assert_eq!(error.message(), "must not be empty");
    /// ```
    #[must_use = "this returns the changed field error, it does not change one in place"]
    pub fn with_message_in(
        mut self,
        lang: LanguageTag,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        let message = message.into();
        match self
            .translations
            .iter_mut()
            .find(|(known, _)| *known == lang)
        {
            Some((_, known)) => *known = message,
            None => self.translations.push((lang, message)),
        }
        self
    }

    /// The message given in `lang` (compared without regard to ASCII case) with
    /// [`with_message_in`](FieldError::with_message_in), if any.
    pub fn message_in(&self, lang: &str) -> Option<&str> {
        self.translations
            .iter()
            .find(|(known, _)| known.is(lang))
            .map(|(_, message)| &**message)
    }
}

/// `{"field": ..., "message": ...}`, plus `"code": ...` last when there is a code.
impl Serialize for FieldError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = 2 + usize::from(self.code.is_some());
        let mut state = serializer.serialize_struct("FieldError", len)?;
        state.serialize_field("field", &self.field)?;
        state.serialize_field("message", &self.message)?;
        match &self.code {
            Some(code) => state.serialize_field("code", code)?,
            None => state.skip_field("code")?,
        }
        state.end()
    }
}

impl ApiError {
    /// An error with any status and code.
    ///
    /// A `status` that is not a 4xx or 5xx status is replaced by `500 Internal Server Error`, so
    /// that an error can never be sent as a success.
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::new(StatusCode::CONFLICT, "duplicate_name", "The name is taken.");
    /// assert_eq!(err.status(), StatusCode::CONFLICT);
    /// assert_eq!(err.code(), "duplicate_name");
    /// ```
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        description: impl Into<Cow<'static, str>>,
    ) -> Self {
        let status = if status.is_client_error() || status.is_server_error() {
            status
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        let description = description.into();
        Self {
            inner: Arc::new(Inner {
                status,
                code: code.into(),
                description: (!description.is_empty()).then_some(description),
                exposed: false,
                framework_text: false,
                title: None,
                uri: None,
                headers: HeaderMap::new(),
                field_errors: Vec::new(),
                challenge: None,
                source: None,
                extras: None,
            }),
        }
    }

    /// The error for a status, with the status's default code and description from the
    /// [code table](crate::code).
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE);
    /// assert_eq!(err.code(), "payload_too_large");
    /// ```
    pub fn from_status(status: StatusCode) -> Self {
        Self::new(status, code::for_status(status), "")
    }

    /// An unexpected failure, for `?` on any error in a handler: a masked
    /// `500 internal_server_error` that keeps `err` as its [source](ApiError::with_source), so the
    /// log has it and the client does not.
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_api_error::ApiError;
    ///
    /// fn read_config(path: &str) -> Result<String, ApiError> {
    ///     let text = std::fs::read_to_string(path).map_err(ApiError::unexpected)?;
    ///     Ok(text)
    /// }
    ///
    /// let err = read_config("/no/such/file").unwrap_err();
    /// assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    /// assert_eq!(err.code(), "internal_server_error");
    /// assert_eq!(
    ///     err.public_description(),
    ///     "An unexpected error occurred and it was not possible to complete the request."
    /// );
    /// assert!(std::error::Error::source(&err).is_some());
    /// ```
    ///
    /// It takes what the `From<Box<dyn Error + Send + Sync>>` impl takes and answers the same
    /// way: a boxed `ApiError` is recovered, tower's timeout and
    /// load-shed errors keep their statuses, anything else is the masked `500`.
    ///
    /// There is no `impl<E: Error> From<E> for ApiError`, so a bare `?` on an `io::Error` does
    /// not compile: such an impl would overlap the reflexive `From<ApiError> for ApiError`
    /// (`ApiError` is itself an `Error`, which tower's `BoxError` and every tower middleware
    /// that boxes errors need), and it would turn every foreign error into a 500 silently,
    /// including those that deserve a 4xx. `map_err(ApiError::unexpected)` says so at the call.
    pub fn unexpected(err: impl Into<BoxError>) -> Self {
        Self::from(err.into())
    }

    // The constructors below do more than set the status and code of their code; their entries
    // in the code table of src/code.rs say `hand_written fn`. The plain constructors
    // (`ApiError::not_found` and the others) are generated there from the table.

    /// `401 unauthorized`: no credentials were sent.
    ///
    /// Sets `WWW-Authenticate: Bearer`, without error attributes as RFC 6750 section 3.1 asks
    /// for requests that carry no credentials.
    pub fn unauthorized(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code::UNAUTHORIZED, description)
            .with_challenge(Challenge::Bare)
    }

    /// `401 token_expired`: the access token has expired.
    ///
    /// Sets `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 has no separate code for an
    /// expired token) with an `error_description` when the description can be quoted safely.
    pub fn token_expired(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code::TOKEN_EXPIRED, description)
            .with_challenge(Challenge::InvalidToken)
    }

    /// `401 invalid_token`: the access token is invalid.
    ///
    /// Sets `WWW-Authenticate: Bearer error="invalid_token"` with an `error_description` when the
    /// description can be quoted safely.
    pub fn invalid_token(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code::INVALID_TOKEN, description)
            .with_challenge(Challenge::InvalidToken)
    }

    /// `405 method_not_allowed`, with an `Allow` header listing `allowed`.
    ///
    /// ```
    /// use http::{header::ALLOW, Method};
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::method_not_allowed("", [Method::GET, Method::HEAD]);
    /// assert_eq!(err.headers()[ALLOW], "GET, HEAD");
    /// ```
    pub fn method_not_allowed(
        description: impl Into<Cow<'static, str>>,
        allowed: impl IntoIterator<Item = Method>,
    ) -> Self {
        let mut allow = String::new();
        for method in allowed {
            if !allow.is_empty() {
                allow.push_str(", ");
            }
            allow.push_str(method.as_str());
        }
        // Method names are tokens, so this cannot fail; an empty list gives an empty `Allow`,
        // which RFC 9110 defines as "no method is allowed".
        let allow = HeaderValue::try_from(allow).unwrap_or(HeaderValue::from_static(""));
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            code::METHOD_NOT_ALLOWED,
            description,
        )
        .with_header(ALLOW, allow)
    }

    /// `429 too_many_requests`, with a `Retry-After` header of `retry_after` in whole seconds
    /// (rounded up).
    ///
    /// ```
    /// use std::time::Duration;
    /// use http::header::RETRY_AFTER;
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::too_many_requests("", Duration::from_millis(1500));
    /// assert_eq!(err.headers()[RETRY_AFTER], "2");
    /// ```
    pub fn too_many_requests(
        description: impl Into<Cow<'static, str>>,
        retry_after: Duration,
    ) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            code::TOO_MANY_REQUESTS,
            description,
        )
        .with_retry_after(retry_after)
    }

    /// Replaces the description. An empty one restores the code's default.
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_description(mut self, description: impl Into<Cow<'static, str>>) -> Self {
        let description = description.into();
        let inner = self.inner_mut();
        inner.description = (!description.is_empty()).then_some(description);
        inner.framework_text = false;
        if let Some(challenge) = self.inner.challenge {
            self = self.with_challenge(challenge);
        }
        self
    }

    /// Sends the description of a 5xx error to the client instead of the default one. Use it
    /// only for text written for clients; it has no effect on 4xx errors, whose descriptions are
    /// always sent.
    ///
    /// ```
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::service_unavailable("Down for maintenance until 14:00 UTC.")
    ///     .expose_description();
    /// assert_eq!(err.public_description(), "Down for maintenance until 14:00 UTC.");
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn expose_description(mut self) -> Self {
        self.inner_mut().exposed = true;
        self
    }

    /// Sets the title: a short summary of the error's code, the same for every error with that
    /// code. It is sent as the `title` of [problem details](crate::ProblemDetails); the seed body
    /// has no title. Without it, the title is the status's reason phrase.
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::new(StatusCode::CONFLICT, "item_name_taken", "The name is taken.");
    /// assert_eq!(err.title(), "Conflict");
    /// assert_eq!(err.with_title("Item name taken").title(), "Item name taken");
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_title(mut self, title: impl Into<Cow<'static, str>>) -> Self {
        self.inner_mut().title = Some(title.into());
        self
    }

    /// Gives the description in another language: clients that the layer answers in `lang` get
    /// it instead of the one written for the default language (see [`language`](crate::language)).
    /// Given twice for one language, the second wins.
    ///
    /// ```
    /// use tower_api_error::{language::LanguageTag, ApiError};
    ///
    /// let err = ApiError::not_found("No item with id 42.")
    ///     .with_description_in(LanguageTag::from_static("pt-BR"), "Nenhum item com id 42.");
    /// assert_eq!(err.description_in("pt-br"), Some("Nenhum item com id 42."));
    /// assert_eq!(err.description_in("fr"), None);
    /// assert_eq!(err.description(), "No item with id 42.");
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_description_in(
        mut self,
        lang: LanguageTag,
        description: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.localised(lang).description = Some(description.into());
        self
    }

    /// Gives the title in another language, as [`with_description_in`](ApiError::with_description_in)
    /// does the description.
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_title_in(mut self, lang: LanguageTag, title: impl Into<Cow<'static, str>>) -> Self {
        self.localised(lang).title = Some(title.into());
        self
    }

    /// The texts of this error in `lang`, made if it has none yet.
    fn localised(&mut self, lang: LanguageTag) -> &mut Localised {
        let extras = self.inner_mut().extras.get_or_insert_with(Box::default);
        let at = match extras.translations.iter().position(|t| t.lang == lang) {
            Some(at) => at,
            None => {
                extras.translations.push(Localised {
                    lang,
                    title: None,
                    description: None,
                });
                extras.translations.len() - 1
            }
        };
        &mut extras.translations[at]
    }

    /// The texts given in `lang` (compared without regard to ASCII case).
    fn translation(&self, lang: &str) -> Option<&Localised> {
        let extras = self.inner.extras.as_deref()?;
        extras.translations.iter().find(|t| t.lang.is(lang))
    }

    /// The description given in `lang` with [`with_description_in`](ApiError::with_description_in),
    /// if any.
    pub fn description_in(&self, lang: &str) -> Option<&str> {
        self.translation(lang)?.description.as_deref()
    }

    /// The title given in `lang` with [`with_title_in`](ApiError::with_title_in), if any.
    pub fn title_in(&self, lang: &str) -> Option<&str> {
        self.translation(lang)?.title.as_deref()
    }

    /// Sets the `error_uri`, a link to documentation about this error. Without it, the layer
    /// derives one from its [base URI](crate::ApiErrorLayer::error_uri_base), if it has one.
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_uri(mut self, uri: impl Into<Cow<'static, str>>) -> Self {
        self.inner_mut().uri = Some(uri.into());
        self
    }

    /// Sets a response header, replacing every value of a header of the same name, as
    /// [`HeaderMap::insert`] does. To add a value to a header that may appear several times,
    /// such as `Link` or `Set-Cookie`, use
    /// [`with_appended_header`](ApiError::with_appended_header).
    ///
    /// ```
    /// use http::{header::CACHE_CONTROL, HeaderValue};
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::service_unavailable("")
    ///     .with_header(CACHE_CONTROL, HeaderValue::from_static("no-cache"))
    ///     .with_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    /// let values: Vec<_> = err.headers().get_all(CACHE_CONTROL).iter().collect();
    /// assert_eq!(values, ["no-store"]);
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.inner_mut().headers.insert(name, value);
        self
    }

    /// Adds a response header, keeping the values of a header of the same name, as
    /// [`HeaderMap::append`] does: for headers that may appear several times, such as `Link` or
    /// `Set-Cookie`. To replace a header, use [`with_header`](ApiError::with_header).
    ///
    /// ```
    /// use http::{header::SET_COOKIE, HeaderValue};
    /// use tower_api_error::ApiError;
    ///
    /// let err = ApiError::unauthorized("")
    ///     .with_appended_header(SET_COOKIE, HeaderValue::from_static("session=; Max-Age=0"))
    ///     .with_appended_header(SET_COOKIE, HeaderValue::from_static("csrf=; Max-Age=0"));
    /// let cookies: Vec<_> = err.headers().get_all(SET_COOKIE).iter().collect();
    /// assert_eq!(cookies, ["session=; Max-Age=0", "csrf=; Max-Age=0"]);
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_appended_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.inner_mut().headers.append(name, value);
        self
    }

    /// Sets `Retry-After` to `delay` in whole seconds, rounded up.
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_retry_after(self, delay: Duration) -> Self {
        let seconds = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
        self.with_header(RETRY_AFTER, HeaderValue::from(seconds))
    }

    /// Adds a field error (see [`FieldError`]).
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_field_error(
        mut self,
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.inner_mut()
            .field_errors
            .push(FieldError::new(field, message));
        self
    }

    /// Adds field errors (see [`FieldError`]).
    ///
    /// ```
    /// use tower_api_error::{ApiError, FieldError};
    ///
    /// let errors = vec![FieldError::new("name", "must not be empty")];
    /// let err = ApiError::unprocessable_entity("The item is invalid.").with_field_errors(errors);
    /// assert_eq!(err.field_errors().len(), 1);
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_field_errors(mut self, errors: impl IntoIterator<Item = FieldError>) -> Self {
        self.inner_mut().field_errors.extend(errors);
        self
    }

    /// Adds an extension member: named, typed data for the client, sent in every body shape
    /// (see [`MemberValue`] for how each type is written). A member with the same name is
    /// replaced. A masked 5xx error does not send it; see
    /// [`with_public_member`](ApiError::with_public_member).
    ///
    /// The name is a [`MemberName`], checked when it is made: a valid XML name that no shape
    /// uses itself. So a bad name is an error where the name is made (or, in a `const`, when the
    /// crate compiles), never a malformed body.
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_api_error::{member::MemberName, ApiError};
    ///
    /// const EXISTING_ID: MemberName = MemberName::from_static("existing_id");
    ///
    /// let err = ApiError::new(StatusCode::CONFLICT, "item_name_taken", "The name is taken.")
    ///     .with_member(EXISTING_ID, 7)
    ///     .with_member(MemberName::new("names").unwrap(), vec!["lamp", "desk"]);
    /// assert_eq!(err.members()[0].name(), "existing_id");
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_member(self, name: MemberName, value: impl Into<MemberValue>) -> Self {
        self.push_member(name, value.into(), false)
    }

    /// [`with_member`](ApiError::with_member) for a member that a masked 5xx error sends too:
    /// data written for clients, such as a maintenance window's end.
    ///
    /// ```
    /// use tower_api_error::{member::MemberName, ApiError};
    ///
    /// let err = ApiError::internal_server_error("pg: connection refused")
    ///     .with_member(MemberName::from_static("shard"), "db-3")
    ///     .with_public_member(MemberName::from_static("incident"), "INC-2024-17");
    /// let sent: Vec<_> = err.public_members().map(|member| member.name()).collect();
    /// assert_eq!(sent, ["incident"]);
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_public_member(self, name: MemberName, value: impl Into<MemberValue>) -> Self {
        self.push_member(name, value.into(), true)
    }

    /// Attaches the state of a rate limit's quota policy: the response gets `RateLimit-Policy`
    /// and `RateLimit`, `Retry-After` if it has none, and for a `429` or `503` the member
    /// `violated-policies` and the draft's problem type. Call it once per policy. See
    /// [`rate_limit`](crate::rate_limit).
    ///
    /// ```
    /// use std::time::Duration;
    /// use http::header::RETRY_AFTER;
    /// use tower_api_error::{rate_limit::QuotaPolicy, ApiError};
    ///
    /// let hourly = QuotaPolicy::new("hour", 100)?.window(Duration::from_secs(3600));
    /// let err = ApiError::from_status(http::StatusCode::TOO_MANY_REQUESTS)
    ///     .with_rate_limit(hourly.state(0).reset_after(Duration::from_secs(1800)));
    /// assert_eq!(err.headers()["ratelimit-policy"], r#""hour";q=100;w=3600"#);
    /// assert_eq!(err.headers()["ratelimit"], r#""hour";r=0;t=1800"#);
    /// assert_eq!(err.headers()[RETRY_AFTER], "1800");
    /// # Ok::<(), tower_api_error::rate_limit::InvalidPolicyName>(())
    /// ```
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        let inner = self.inner_mut();
        let extras = inner.extras.get_or_insert_with(Box::default);
        extras
            .rate_limits
            .retain(|old| old.policy().name() != limit.policy().name());
        extras.rate_limits.push(limit);
        rate_limit::set_headers(&mut inner.headers, &extras.rate_limits);
        let exhausted = extras.rate_limits.iter().any(RateLimit::is_exhausted);
        let violated: Vec<&RateLimit> = extras
            .rate_limits
            .iter()
            .filter(|limit| !exhausted || limit.is_exhausted())
            .collect();
        if !inner.headers.contains_key(RETRY_AFTER) {
            if let Some(reset) = violated.iter().filter_map(|limit| limit.reset()).max() {
                inner.headers.insert(RETRY_AFTER, HeaderValue::from(reset));
            }
        }
        if matches!(
            inner.status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        ) {
            let names: Vec<MemberValue> = violated
                .iter()
                .map(|limit| MemberValue::from(limit.policy().name().to_owned()))
                .collect();
            let member = Member {
                name: MemberName::VIOLATED_POLICIES,
                value: MemberValue::List(names),
                public: true,
            };
            match extras
                .members
                .iter_mut()
                .find(|old| old.name == MemberName::VIOLATED_POLICIES)
            {
                Some(old) => *old = member,
                None => extras.members.push(member),
            }
        }
        self
    }

    /// Keeps `source` as the cause of this error, for logs. It is never sent to the client.
    #[must_use = "this returns the changed error, it does not change one in place"]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner_mut().source = Some(source.into());
        self
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The code, sent as `error`.
    pub fn code(&self) -> &str {
        &self.inner.code
    }

    /// The description given to this error, or the code's default description.
    pub fn description(&self) -> &str {
        match &self.inner.description {
            Some(description) => description,
            None => code::description(&self.inner.code, self.inner.status),
        }
    }

    /// The description sent to the client as `error_description`: the
    /// [description](ApiError::description), except for 5xx errors that were not
    /// [exposed](ApiError::expose_description), which send the code's default description.
    pub fn public_description(&self) -> &str {
        if self.is_masked() {
            code::description(&self.inner.code, self.inner.status)
        } else {
            self.description()
        }
    }

    /// The title set with [`with_title`](ApiError::with_title), or the status's reason phrase.
    pub fn title(&self) -> &str {
        match &self.inner.title {
            Some(title) => title,
            None => code::reason(self.inner.status),
        }
    }

    /// The `error_uri` set with [`with_uri`](ApiError::with_uri).
    pub fn uri(&self) -> Option<&str> {
        self.inner.uri.as_deref()
    }

    /// The headers added to the response.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The field errors (see [`FieldError`]).
    pub fn field_errors(&self) -> &[FieldError] {
        &self.inner.field_errors
    }

    /// The field errors sent to the client: none for masked 5xx errors.
    pub(crate) fn public_field_errors(&self) -> &[FieldError] {
        if self.is_masked() {
            &[]
        } else {
            &self.inner.field_errors
        }
    }

    /// The extension members, in the order they were added (see
    /// [`with_member`](ApiError::with_member)).
    pub fn members(&self) -> &[Member] {
        self.inner
            .extras
            .as_deref()
            .map_or(&[], |extras| &extras.members)
    }

    /// The members sent to the client: all of them, except that a masked 5xx error sends only
    /// its [public](ApiError::with_public_member) ones.
    pub fn public_members(&self) -> impl Iterator<Item = &Member> + '_ {
        let masked = self.is_masked();
        self.members()
            .iter()
            .filter(move |member| !masked || member.public)
    }

    /// The rate limits attached with [`with_rate_limit`](ApiError::with_rate_limit).
    pub fn rate_limits(&self) -> &[RateLimit] {
        self.inner
            .extras
            .as_deref()
            .map_or(&[], |extras| &extras.rate_limits)
    }

    /// The problem type the draft on rate limits gives this error, if any: for a `429` or `503`
    /// with a rate limit.
    pub(crate) fn rate_limit_problem_type(&self) -> Option<&'static str> {
        if self.rate_limits().is_empty() {
            return None;
        }
        match self.inner.status {
            StatusCode::TOO_MANY_REQUESTS => Some(rate_limit::QUOTA_EXCEEDED),
            StatusCode::SERVICE_UNAVAILABLE => Some(rate_limit::TEMPORARY_REDUCED_CAPACITY),
            _ => None,
        }
    }

    fn push_member(mut self, name: MemberName, value: MemberValue, public: bool) -> Self {
        let member = Member {
            name,
            value,
            public,
        };
        let members = &mut self
            .inner_mut()
            .extras
            .get_or_insert_with(Box::default)
            .members;
        match members.iter_mut().find(|old| old.name == member.name) {
            Some(old) => *old = member,
            None => members.push(member),
        }
        self
    }

    /// Another handle to this error, for the crate's own records of it ([`ErrorInfo`] and the
    /// lazy body of `IntoResponse`). It only lends the error, so the handle the caller owns
    /// stays the only owned one (see [`SharedError`]).
    ///
    /// [`ErrorInfo`]: crate::ErrorInfo
    // perf: one reference count where `Arc::new` around the error was an allocation (ledger:
    // "errors shared by reference count").
    pub(crate) fn share(&self) -> SharedError {
        SharedError(ApiError {
            inner: Arc::clone(&self.inner),
        })
    }

    /// The error's fields, to change them: only the builder methods do, on an `ApiError` the
    /// caller owns. An owned `ApiError` is the only handle to its fields: every other handle is a
    /// [`SharedError`], which never gives an owned or a mutable `ApiError` out.
    fn inner_mut(&mut self) -> &mut Inner {
        Arc::get_mut(&mut self.inner)
            .expect("an owned ApiError is the only handle to its fields (see SharedError)")
    }

    /// Sets a description that a framework wrote (see `framework_text`).
    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    pub(crate) fn with_framework_description(mut self, description: String) -> Self {
        self = self.with_description(description);
        self.inner_mut().framework_text = true;
        self
    }

    /// Whether the description is a framework's text rather than the application's.
    pub(crate) fn has_framework_description(&self) -> bool {
        self.inner.framework_text
    }

    /// Whether the error was given a description of its own, rather than its code's default.
    pub(crate) fn is_described(&self) -> bool {
        self.inner.description.is_some()
    }

    /// Whether the error was given a title of its own, rather than its status's reason phrase.
    pub(crate) fn is_titled(&self) -> bool {
        self.inner.title.is_some()
    }

    pub(crate) fn is_masked(&self) -> bool {
        self.inner.status.is_server_error() && !self.inner.exposed
    }

    #[must_use = "this returns the changed error, it does not change one in place"]
    fn with_challenge(mut self, challenge: Challenge) -> Self {
        self.inner_mut().challenge = Some(challenge);
        let value = match challenge {
            Challenge::Bare => HeaderValue::from_static("Bearer"),
            Challenge::InvalidToken => bearer_invalid_token(self.public_description()),
        };
        self.inner_mut().headers.insert(WWW_AUTHENTICATE, value);
        self
    }
}

/// A handle to an error that the crate keeps for its own records ([`ErrorInfo`](crate::ErrorInfo),
/// the prepared `406`, the lazy body of `IntoResponse`): it lends the error and is cloned by one
/// reference count.
///
/// It is the only way to share an `ApiError`'s fields, and its field is private to this module:
/// no owned `ApiError` and no `&mut ApiError` ever comes out of it. So an owned `ApiError` is
/// always the only handle to its fields, which is what `ApiError::inner_mut` relies on; the
/// type system keeps it so.
#[derive(Debug)]
pub(crate) struct SharedError(ApiError);

impl From<ApiError> for SharedError {
    fn from(error: ApiError) -> Self {
        SharedError(error)
    }
}

impl Clone for SharedError {
    fn clone(&self) -> Self {
        self.0.share()
    }
}

impl std::ops::Deref for SharedError {
    type Target = ApiError;

    fn deref(&self) -> &ApiError {
        &self.0
    }
}

/// `Bearer error="invalid_token"`, with `error_description` only if every character of the
/// description is allowed in it by RFC 6750, section 3 (`%x20-21 / %x23-5B / %x5D-7E`: printable
/// ASCII but `"` and `\`). Anything else is left out rather than escaped, as the RFC allows no
/// escaping there.
fn bearer_invalid_token(description: &str) -> HeaderValue {
    const BASE: &str = r#"Bearer error="invalid_token""#;
    let safe = description
        .bytes()
        .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E));
    if !safe || description.is_empty() {
        return HeaderValue::from_static(BASE);
    }
    let value = format!(r#"{BASE}, error_description="{description}""#);
    HeaderValue::try_from(value).unwrap_or(HeaderValue::from_static(BASE))
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("ApiError")
            .field("status", &inner.status)
            .field("code", &inner.code)
            .field("description", &self.description())
            .field("exposed", &inner.exposed)
            .field("title", &inner.title)
            .field("uri", &inner.uri)
            .field("headers", &inner.headers)
            .field("field_errors", &inner.field_errors)
            .field("members", &self.members())
            .field("rate_limits", &self.rate_limits())
            .field("source", &inner.source)
            .finish()
    }
}

/// `code: description`, the description being the full one, not the masked public one.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.description())
    }
}

impl StdError for ApiError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

impl From<Infallible> for ApiError {
    fn from(never: Infallible) -> Self {
        match never {}
    }
}

/// Recovers an [`ApiError`] that travelled as a boxed error (through tower middleware, say),
/// and recognises tower's own errors (feature `tower`):
///
/// | boxed error | becomes |
/// |---|---|
/// | [`ApiError`] | itself |
/// | `tower::timeout::error::Elapsed` | `504 gateway_timeout` |
/// | `tower::load_shed::error::Overloaded` | `503 service_unavailable` with `Retry-After: 1` |
/// | anything else | `500 internal_server_error` |
///
/// A timeout is a `504` rather than a `503` so that clients and dashboards can tell "too slow"
/// from "overloaded": both are worth retrying, but only the second says the server is shedding
/// load. It is the same answer, body included, as an empty `504` of tower-http's
/// `TimeoutLayer::with_status_code(StatusCode::GATEWAY_TIMEOUT, ..)` rewritten by the layer, so
/// one app has one timeout contract whichever timeout it uses. The boxed error is kept as the
/// [source](ApiError::with_source), for logs.
///
/// To turn any other error into an `ApiError` in a handler, use [`ApiError::unexpected`].
///
/// ```
/// use http::StatusCode;
/// use tower_api_error::ApiError;
///
/// type BoxError = Box<dyn std::error::Error + Send + Sync>;
///
/// let boxed: BoxError = ApiError::not_found("gone").into();
/// assert_eq!(ApiError::from(boxed).status(), StatusCode::NOT_FOUND);
///
/// let boxed: BoxError = "connection reset".into();
/// let err = ApiError::from(boxed);
/// assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
/// assert_eq!(std::error::Error::source(&err).unwrap().to_string(), "connection reset");
/// ```
impl From<BoxError> for ApiError {
    fn from(err: BoxError) -> Self {
        let err = match err.downcast::<ApiError>() {
            Ok(err) => return *err,
            Err(err) => err,
        };
        #[cfg(feature = "tower")]
        {
            if err.is::<tower::timeout::error::Elapsed>() {
                // The same answer as the rewrite of tower-http's `TimeoutLayer` 504: the code
                // table's description, the `Elapsed` kept for the log.
                return ApiError::gateway_timeout("").with_source(err);
            }
            if err.is::<tower::load_shed::error::Overloaded>() {
                return ApiError::service_unavailable("")
                    .with_retry_after(Duration::from_secs(1))
                    .with_source(err);
            }
        }
        ApiError::internal_server_error("").with_source(err)
    }
}

impl From<StatusCode> for ApiError {
    /// Same as [`ApiError::from_status`].
    fn from(status: StatusCode) -> Self {
        Self::from_status(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_stays_small() {
        assert_eq!(
            std::mem::size_of::<Result<(), ApiError>>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn success_status_becomes_500() {
        let err = ApiError::new(StatusCode::OK, "weird", "x");
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let err = ApiError::from_status(StatusCode::MOVED_PERMANENTLY);
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn constructors_match_the_table() {
        let cases = [
            (ApiError::invalid_parameter(""), 400, "invalid_parameter"),
            (
                ApiError::invalid_value_parameter(""),
                400,
                "invalid_value_parameter",
            ),
            (
                ApiError::invalid_value_headers(""),
                400,
                "invalid_value_headers",
            ),
            (ApiError::unauthorized(""), 401, "unauthorized"),
            (ApiError::token_expired(""), 401, "token_expired"),
            (ApiError::invalid_token(""), 401, "invalid_token"),
            (ApiError::payment_required(""), 402, "payment_required"),
            (
                ApiError::unauthorized_client(""),
                403,
                "unauthorized_client",
            ),
            (ApiError::not_found(""), 404, "not_found"),
            (
                ApiError::method_not_allowed("", [Method::GET]),
                405,
                "method_not_allowed",
            ),
            (ApiError::not_acceptable(""), 406, "not_acceptable"),
            (
                ApiError::precondition_failed(""),
                412,
                "precondition_failed",
            ),
            (
                ApiError::unprocessable_entity(""),
                422,
                "unprocessable_entity",
            ),
            (
                ApiError::too_many_requests("", Duration::ZERO),
                429,
                "too_many_requests",
            ),
            (
                ApiError::internal_server_error(""),
                500,
                "internal_server_error",
            ),
            (ApiError::bad_gateway(""), 502, "bad_gateway"),
            (
                ApiError::service_unavailable(""),
                503,
                "service_unavailable",
            ),
            (ApiError::payload_too_large(""), 413, "payload_too_large"),
            (
                ApiError::unsupported_media_type(""),
                415,
                "unsupported_media_type",
            ),
            (ApiError::gateway_timeout(""), 504, "gateway_timeout"),
        ];
        // Every constructor of the code table is above, with its status in the table.
        let mut tested: Vec<&str> = cases.iter().map(|(_, _, code)| *code).collect();
        let mut declared: Vec<&str> = code::CONSTRUCTORS.iter().map(|(_, code)| *code).collect();
        tested.sort_unstable();
        declared.sort_unstable();
        assert_eq!(tested, declared);
        for (err, _, code) in &cases {
            let entry = code::all().find(|entry| entry.code() == *code).unwrap();
            assert_eq!(err.status(), entry.status(), "{code}");
        }
        for (err, status, code) in cases {
            assert_eq!(err.status().as_u16(), status, "{code}");
            assert_eq!(err.code(), code);
            assert!(
                !err.description().is_empty(),
                "{code} has no default description"
            );
            assert_eq!(ApiError::from_status(err.status()).status(), err.status());
        }
    }

    #[test]
    fn bearer_challenges() {
        let err = ApiError::unauthorized("Log in first.");
        assert_eq!(err.headers()[WWW_AUTHENTICATE], "Bearer");

        let err = ApiError::invalid_token("Signature mismatch.");
        assert_eq!(
            err.headers()[WWW_AUTHENTICATE],
            r#"Bearer error="invalid_token", error_description="Signature mismatch.""#
        );

        // Quotes, backslashes, control and non-ASCII characters cannot be quoted in RFC 6750.
        for unsafe_text in ["say \"hi\"", "a\\b", "line\nbreak", "café", "tab\t"] {
            let err = ApiError::invalid_token(unsafe_text);
            assert_eq!(
                err.headers()[WWW_AUTHENTICATE],
                r#"Bearer error="invalid_token""#,
                "{unsafe_text:?}"
            );
        }

        // A new description updates the challenge.
        let err = ApiError::token_expired("").with_description("Expired at noon.");
        assert_eq!(
            err.headers()[WWW_AUTHENTICATE],
            r#"Bearer error="invalid_token", error_description="Expired at noon.""#
        );
    }

    #[test]
    fn server_errors_are_masked_unless_exposed() {
        let err = ApiError::bad_gateway("upstream 10.0.0.3 refused")
            .with_field_error("secret", "internal");
        assert_eq!(err.description(), "upstream 10.0.0.3 refused");
        assert_eq!(
            err.public_description(),
            code::description(code::BAD_GATEWAY, err.status())
        );
        assert!(err.public_field_errors().is_empty());

        let err = ApiError::bad_gateway("Try again.").expose_description();
        assert_eq!(err.public_description(), "Try again.");

        // Custom 5xx codes are masked too.
        let err = ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "db_down", "pg: refused");
        assert_eq!(
            err.public_description(),
            code::description(code::INTERNAL_SERVER_ERROR, err.status())
        );
    }

    #[test]
    fn retry_after_rounds_up() {
        for (delay, expected) in [
            (Duration::ZERO, "0"),
            (Duration::from_secs(30), "30"),
            (Duration::from_millis(30_001), "31"),
        ] {
            let err = ApiError::service_unavailable("").with_retry_after(delay);
            assert_eq!(err.headers()[RETRY_AFTER], expected);
        }
    }

    #[test]
    fn source_is_kept_and_display_shows_the_full_description() {
        let io = std::io::Error::other("disk on fire");
        let err = ApiError::internal_server_error("could not save").with_source(io);
        assert_eq!(err.source().unwrap().to_string(), "disk on fire");
        assert_eq!(err.to_string(), "internal_server_error: could not save");
    }

    #[test]
    fn with_header_replaces_and_with_appended_header_appends() {
        use http::header::{CACHE_CONTROL, LINK};
        let values = |err: &ApiError, name| -> Vec<HeaderValue> {
            err.headers().get_all(name).iter().cloned().collect()
        };
        let err = ApiError::not_found("")
            .with_appended_header(LINK, HeaderValue::from_static("<a>"))
            .with_appended_header(LINK, HeaderValue::from_static("<b>"))
            .with_header(CACHE_CONTROL, HeaderValue::from_static("a"))
            .with_header(CACHE_CONTROL, HeaderValue::from_static("b"));
        assert_eq!(err.headers().get_all(LINK).iter().count(), 2);
        assert_eq!(err.headers()[CACHE_CONTROL], "b");

        // Whatever the name: `with_header` replaces every value of a list header too, and
        // `with_appended_header` adds to any header.
        let err = err
            .with_header(LINK, HeaderValue::from_static("<c>"))
            .with_appended_header(CACHE_CONTROL, HeaderValue::from_static("c"));
        assert_eq!(values(&err, LINK), ["<c>"]);
        assert_eq!(values(&err, CACHE_CONTROL), ["b", "c"]);
    }
}
