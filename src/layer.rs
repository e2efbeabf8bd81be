//! [`ApiErrorLayer`], which applies [`ApiErrorService`].

use std::{borrow::Cow, fmt, marker::PhantomData, sync::Arc};

use http::{HeaderName, HeaderValue};
use tower_layer::Layer;

use crate::{
    body::{SameBody, WrapBody},
    options::{Options, UriBase},
    respond::Settings,
    ApiErrorService, Format, ProblemDetails,
};

/// Layer that applies [`ApiErrorService`], turning every failure of the inner service into a
/// coded error response in the format the client accepts.
///
/// See the [crate documentation](crate) for what it does and how it negotiates.
///
/// ```
/// use bytes::Bytes;
/// use http::{header, Request, Response};
/// use http_body_util::{BodyExt, Full};
/// use tower::{ServiceBuilder, ServiceExt};
/// use tower_api_error::{ApiError, ApiErrorLayer, Format};
///
/// async fn handle(_: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
///     Err(ApiError::not_found("No item with id 42."))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let service = ServiceBuilder::new()
///     .layer(
///         ApiErrorLayer::new()
///             .default_format(Format::Xml)
///             .error_uri_base("https://docs.example.com/errors"),
///     )
///     .service_fn(handle);
///
/// // A client that accepts anything gets the default format.
/// let request = Request::get("/items/42").header(header::ACCEPT, "*/*").body(Full::default())?;
/// let response = service.oneshot(request).await?;
/// assert_eq!(response.headers()[header::CONTENT_TYPE], "application/xml; charset=utf-8");
/// let body = response.into_body().collect().await?.to_bytes();
/// let body = std::str::from_utf8(&body)?;
/// assert!(body.contains("<error_uri>https://docs.example.com/errors#not_found</error_uri>"));
/// # Ok(())
/// # }
/// ```
///
/// # Nested layers
///
/// A layer can sit inside another one, as a per-route layer in a `Router` that has its own
/// (the pattern for tower's `TimeoutLayer`, whose error must be turned into a response on the
/// route). The inner layer renders and logs the error once, with the path the client sent; the
/// outer layer then renders it again with its own [`error_uri_base`](Self::error_uri_base) and
/// [`default_format`](Self::default_format), unless the inner layer was given its own. So the
/// configuration is written once, on the outer layer.
#[must_use]
pub struct ApiErrorLayer<K = SameBody> {
    settings: Arc<Settings>,
    body_kind: PhantomData<fn() -> K>,
}

impl Default for ApiErrorLayer {
    fn default() -> Self {
        Self {
            settings: Arc::new(Settings::default()),
            body_kind: PhantomData,
        }
    }
}

impl<K> Clone for ApiErrorLayer<K> {
    fn clone(&self) -> Self {
        Self {
            settings: self.settings.clone(),
            body_kind: PhantomData,
        }
    }
}

impl<K> fmt::Debug for ApiErrorLayer<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiErrorLayer")
            .field("settings", &self.settings)
            .field("body_kind", &std::any::type_name::<K>())
            .finish()
    }
}

impl ApiErrorLayer {
    /// A layer with the defaults: JSON preferred, `406 Not Acceptable` for requests that accept
    /// neither format, plain framework errors rewritten, panics caught, no `error_uri` base.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<K> ApiErrorLayer<K> {
    /// Wraps the inner service's body in [`ResponseBody`], for an inner body type that is not
    /// an [`ErrorBody`], such as tower-http's `CompressionBody` or a boxed body.
    ///
    /// By default the layer answers with the inner service's own body type and makes its error
    /// bodies of that type (axum's `Body`, http-body-util's `Full<Bytes>`), so that an axum
    /// `Router` wrapped in the layer is still an axum service. A stack whose inner body is not
    /// an [`ErrorBody`] does not compile without this method, and the compiler's message names
    /// it. Statuses, headers and bodies are the same either way.
    ///
    /// [`ResponseBody`]: crate::body::ResponseBody
    /// [`ErrorBody`]: crate::body::ErrorBody
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{Request, Response, StatusCode};
    /// use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full};
    /// use tower::{ServiceBuilder, ServiceExt};
    /// use tower_api_error::{ApiError, ApiErrorLayer};
    ///
    /// type Boxed = UnsyncBoxBody<Bytes, std::convert::Infallible>;
    ///
    /// async fn get_item(_: Request<Full<Bytes>>) -> Result<Response<Boxed>, ApiError> {
    ///     Err(ApiError::not_found("No item with id 42."))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let service = ServiceBuilder::new()
    ///     .layer(ApiErrorLayer::new().wrap_body())
    ///     .service_fn(get_item);
    /// let response = service.oneshot(Request::new(Full::default())).await?;
    /// assert_eq!(response.status(), StatusCode::NOT_FOUND);
    /// let body = response.into_body().collect().await?.to_bytes();
    /// assert_eq!(body, r#"{"error":"not_found","error_description":"No item with id 42."}"#);
    /// # Ok(())
    /// # }
    /// ```
    pub fn wrap_body(self) -> ApiErrorLayer<WrapBody> {
        ApiErrorLayer {
            settings: self.settings,
            body_kind: PhantomData,
        }
    }

    /// Changes the options and prepares what depends on them again.
    fn configure(self, change: impl FnOnce(&mut Options)) -> Self {
        let mut options = self.settings.options.clone();
        change(&mut options);
        Self {
            settings: Arc::new(Settings::new(options)),
            body_kind: PhantomData,
        }
    }

    /// The format used when negotiation leaves a tie (see [`negotiate`](crate::negotiate)), for
    /// the `406` body, and for every error when the request accepts no format and
    /// [`reject_not_acceptable`](Self::reject_not_acceptable) is off. JSON by default.
    ///
    /// A layer nested inside another one (see [nested layers](#nested-layers)) that was not given
    /// a default format answers with the outer layer's.
    pub fn default_format(self, format: Format) -> Self {
        self.configure(|options| options.default_format = Some(format))
    }

    /// Whether to answer `406 Not Acceptable`, without calling the inner service, when the
    /// request's `Accept` admits neither JSON nor XML. On by default.
    ///
    /// When off, the inner service is always called, and its errors are rendered in the
    /// [default format](Self::default_format) for such requests.
    pub fn reject_not_acceptable(self, reject: bool) -> Self {
        self.configure(|options| options.reject_not_acceptable = reject)
    }

    /// Whether to rewrite error responses that something other than [`ApiError`] made, such as
    /// axum's empty `404` and `405`, its `text/plain` extractor rejections, or tower-http's
    /// empty `401`, `408` and `504` and its `text/plain` `413`. On by default.
    ///
    /// # The rewrite rules
    ///
    /// These are the only place the rules are written; the README and other docs link here.
    ///
    /// 1. A 4xx or 5xx response is rewritten when its `Content-Type` is absent or `text/plain`,
    ///    it has no `Content-Encoding`, and its body's size hint says it has at most 4 KiB.
    ///    Other responses, streams of unknown size included, pass through untouched.
    /// 2. The body is read and replaced. The code comes from the status (see
    ///    [`code`](crate::code)), except for axum's query-string rejection (a 400 whose text
    ///    starts with `Failed to deserialize query string`), which is `invalid_value_parameter`
    ///    as its conversion with `?` is (feature `axum`).
    /// 3. The plain text becomes the description of a 4xx error; a 5xx error gets the code's
    ///    default description, and the text is only logged.
    /// 4. A body is taken as a description only when it is the error's own text. A `406` whose
    ///    `Vary` names `Accept-Encoding` refuses a content coding, not a media type:
    ///    tower-http's `CompressionLayer` makes one from the resource's own response, changing
    ///    nothing but the status. Its body, whatever its type or size, is the resource the
    ///    client refused: it is dropped unread, with the headers that describe it
    ///    (`Content-*`, `ETag`, `Last-Modified`), and the description says that no acceptable
    ///    content coding could be produced.
    /// 5. Every other header is kept, so `Allow`, `WWW-Authenticate`, `Retry-After` and `Vary`
    ///    reach the client; a `401` without a challenge gets the
    ///    [default challenge](Self::default_challenge).
    /// 6. For `HEAD`, an inner service may already have dropped the plain text that a `GET` would
    ///    carry (axum's router does, when the layer wraps it from outside); the length of the
    ///    `GET` body is then unknown, and the rewritten response leaves `Content-Length` out
    ///    rather than state a wrong one.
    ///
    /// [`ApiError`]: struct@crate::ApiError
    pub fn rewrite_plain_errors(self, rewrite: bool) -> Self {
        self.configure(|options| options.rewrite_plain_errors = rewrite)
    }

    /// Whether to turn a panic of the inner service, in `call` or while its future is polled,
    /// into a `500 internal_server_error` in the negotiated format. On by default.
    ///
    /// The panic message is logged (feature `tracing`), never sent. Panics while a response
    /// body streams are not caught. When off, panics unwind through the layer as if it were not
    /// there.
    pub fn catch_panics(self, catch: bool) -> Self {
        self.configure(|options| options.catch_panics = catch)
    }

    /// Gives errors without an [`error_uri`](crate::ApiError::with_uri) of their own the URI
    /// `<base>#<code>`, such as `https://docs.example.com/errors#not_found`.
    ///
    /// Takes a `&'static str` or a `String`.
    ///
    /// A layer nested inside another one (see [nested layers](#nested-layers)) that was not given
    /// a base answers with the outer layer's.
    pub fn error_uri_base(self, base: impl Into<Cow<'static, str>>) -> Self {
        let base = match base.into() {
            Cow::Borrowed(base) => UriBase::Static(base),
            Cow::Owned(base) => UriBase::Shared(Arc::from(base)),
        };
        self.configure(|options| options.error_uri_base = Some(base))
    }

    /// The `WWW-Authenticate` challenge given to a `401 Unauthorized` that has none, such as the
    /// empty 401 of tower-http's `ValidateRequestHeaderLayer::bearer`. `Bearer` by default; a
    /// challenge already on the response (every 401 constructor of [`ApiError`] sets one) is
    /// kept.
    ///
    /// RFC 9110 (section 15.5.2) requires a 401 to carry at least one challenge; `None` turns
    /// the completion off, for apps that add their challenges outside the layer.
    ///
    /// ```
    /// use http::HeaderValue;
    /// use tower_api_error::ApiErrorLayer;
    ///
    /// let layer = ApiErrorLayer::new()
    ///     .default_challenge(Some(HeaderValue::from_static(r#"Basic realm="api""#)));
    /// # let _ = layer;
    /// ```
    ///
    /// [`ApiError`]: struct@crate::ApiError
    pub fn default_challenge(self, challenge: Option<HeaderValue>) -> Self {
        self.configure(|options| options.default_challenge = challenge)
    }

    /// Which body shapes errors are answered with: RFC 9457 problem details for clients that ask
    /// for them and the seed shape for the others ([`ProblemDetails::WhenAsked`], the default),
    /// the seed shape only ([`ProblemDetails::Never`]), or problem details for every client
    /// ([`ProblemDetails::Always`]). The `406` names the types the choice allows.
    ///
    /// ```
    /// use tower_api_error::{ApiErrorLayer, ProblemDetails};
    ///
    /// let layer = ApiErrorLayer::new().problem_details(ProblemDetails::Always);
    /// # let _ = layer;
    /// ```
    pub fn problem_details(self, problem_details: ProblemDetails) -> Self {
        self.configure(|options| options.problem_details = problem_details)
    }

    /// The request header whose value every error body and log event quotes as `request_id`:
    /// `x-request-id` by default, as tower-http's `SetRequestIdLayer` and
    /// `PropagateRequestIdLayer` use it; `None` turns request ids off.
    ///
    /// The id is quoted only when it is 1 to 64 bytes of `A-Z`, `a-z`, `0-9`, `.`, `_`, `:` and
    /// `-` (UUIDs and ULIDs are); anything else is not echoed, and the response is the same as
    /// without an id. In JSON bodies it is the last member, `"request_id"`; in XML the last
    /// element, `<request_id>`; in problem details an extension member of that name.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{header::HeaderName, Request, Response};
    /// use http_body_util::{BodyExt, Full};
    /// use tower::{ServiceBuilder, ServiceExt};
    /// use tower_api_error::{ApiError, ApiErrorLayer};
    ///
    /// async fn handle(_: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
    ///     Err(ApiError::internal_server_error("db-3 refused"))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let layer = ApiErrorLayer::new()
    ///     .request_id_header(Some(HeaderName::from_static("x-correlation-id")));
    /// let service = ServiceBuilder::new().layer(layer).service_fn(handle);
    ///
    /// let request = Request::get("/")
    ///     .header("x-correlation-id", "0f9c2a7e-1d2b-4c3e-9f00-1234567890ab")
    ///     .body(Full::default())?;
    /// let response = service.oneshot(request).await?;
    /// let body = response.into_body().collect().await?.to_bytes();
    /// let body: serde_json::Value = serde_json::from_slice(&body)?;
    /// assert_eq!(body["request_id"], "0f9c2a7e-1d2b-4c3e-9f00-1234567890ab");
    /// # Ok(())
    /// # }
    /// ```
    pub fn request_id_header(self, header: Option<HeaderName>) -> Self {
        self.configure(|options| options.request_id_header = header)
    }

    /// Puts the error's code in the header `name` on every error response the layer renders
    /// (its own `406` and panic answers included), for gateways and access logs that do not
    /// parse bodies, as Microsoft's API guidelines do with `x-ms-error-code`. Off by default.
    /// A code that is not a valid header value (only possible for a code given to
    /// [`ApiError::new`](crate::ApiError::new)) leaves the header out.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{header::HeaderName, Request, Response};
    /// use http_body_util::Full;
    /// use tower::{ServiceBuilder, ServiceExt};
    /// use tower_api_error::{ApiError, ApiErrorLayer};
    ///
    /// async fn handle(_: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
    ///     Err(ApiError::not_found("No item with id 42."))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let layer = ApiErrorLayer::new().code_header(HeaderName::from_static("x-error-code"));
    /// let service = ServiceBuilder::new().layer(layer).service_fn(handle);
    /// let response = service.oneshot(Request::new(Full::default())).await?;
    /// assert_eq!(response.headers()["x-error-code"], "not_found");
    /// # Ok(())
    /// # }
    /// ```
    pub fn code_header(self, name: HeaderName) -> Self {
        self.configure(|options| options.code_header = Some(name))
    }

    /// Whether the layer's log events (feature `tracing`) carry the request's `method` and
    /// `path`. Off by default: the events are recorded inside the current span, and a request
    /// span such as tower-http's `TraceLayer`'s has both already.
    ///
    /// Turn it on when no span around the layer names the request. Since the layer cannot know
    /// in advance which request will fail, it then copies the method and path of every request
    /// while a subscriber listens (without allocating for a path of up to 62 bytes): the one
    /// thing a success pays for the error log. The path is the one the client sent: inside
    /// `Router::nest`, axum's `OriginalUri` (feature `axum`), not the stripped one; the query is
    /// left out, as it may hold secrets.
    ///
    /// ```
    /// use tower_api_error::ApiErrorLayer;
    ///
    /// // A stack without a request span: the error's log event names the request itself,
    /// // `request failed status=500 code="internal_server_error" method="GET" path="/items/7" ...`.
    /// let layer = ApiErrorLayer::new().log_method_and_path(true);
    /// # let _ = layer;
    /// ```
    pub fn log_method_and_path(self, log: bool) -> Self {
        self.configure(|options| options.log_method_and_path = log)
    }

    /// Answers errors in the client's language: one of `languages`, chosen by the request's
    /// `Accept-Language` when the layer renders an error (a success never reads it). See
    /// [`Languages`](crate::language::Languages) for where each text comes from, and
    /// [`negotiate_language`](crate::negotiate::negotiate_language) for how the language is
    /// chosen.
    ///
    /// With more than one language, error responses carry `Content-Language` (the language of
    /// `error_description`) and `Vary: Accept-Language`. Without this method, or with one
    /// language and no translator, texts are sent as written.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use http::{header, Request, Response};
    /// use http_body_util::{BodyExt, Full};
    /// use tower::{ServiceBuilder, ServiceExt};
    /// use tower_api_error::{language::{LanguageTag, Languages}, ApiError, ApiErrorLayer};
    ///
    /// async fn handle(_: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, ApiError> {
    ///     Err(ApiError::from_status(http::StatusCode::NOT_FOUND))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    /// let languages = Languages::new(LanguageTag::from_static("en"))
    ///     .with(LanguageTag::from_static("pt-BR"));
    /// let service = ServiceBuilder::new()
    ///     .layer(ApiErrorLayer::new().languages(languages))
    ///     .service_fn(handle);
    ///
    /// let request = Request::get("/items/42")
    ///     .header(header::ACCEPT_LANGUAGE, "pt-PT, en;q=0.5")
    ///     .body(Full::default())?;
    /// let response = service.oneshot(request).await?;
    /// assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "pt-BR");
    /// assert_eq!(response.headers()[header::VARY], "Accept, Accept-Language");
    /// let body: serde_json::Value =
    ///     serde_json::from_slice(&response.into_body().collect().await?.to_bytes())?;
    /// assert_eq!(body["error"], "not_found");
    /// assert_ne!(body["error_description"], "The requested resource could not be found.");
    /// # Ok(())
    /// # }
    /// ```
    pub fn languages(self, languages: crate::language::Languages) -> Self {
        self.configure(|options| options.languages = Some(languages))
    }
}

impl<S, K> Layer<S> for ApiErrorLayer<K> {
    type Service = ApiErrorService<S, K>;

    fn layer(&self, inner: S) -> Self::Service {
        // A reference count: the builder methods prepared the settings and the `406`, since
        // axum's `Router::layer` applies a layer to every route, and to every request when a
        // `Router<()>` is called as a service directly.
        ApiErrorService::with_settings(inner, self.settings.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applying_the_layer_shares_what_the_builder_prepared() {
        let layer = ApiErrorLayer::new().error_uri_base("https://docs.example.com/errors");
        let copy = layer.clone();
        let (first, second) = (layer.layer(()), copy.layer(()));
        assert!(Arc::ptr_eq(first.settings(), second.settings()));
        assert!(Arc::ptr_eq(first.settings(), &layer.settings));

        // A builder method prepares anew; the layer it came from keeps its settings.
        let changed = layer.clone().default_format(Format::Xml);
        assert!(!Arc::ptr_eq(&changed.settings, &layer.settings));
        assert_eq!(layer.settings.options.default_format(), Format::Json);
        let body = &changed.settings.not_acceptable.body;
        assert!(body.starts_with(b"<?xml"), "{body:?}");
        assert!(
            std::str::from_utf8(body)
                .unwrap()
                .contains("https://docs.example.com/errors#not_acceptable"),
            "{body:?}"
        );
    }
}
