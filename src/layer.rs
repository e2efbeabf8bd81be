//! [`ApiErrorLayer`], which applies [`ApiErrorService`].

use std::sync::Arc;

use tower_layer::Layer;

use crate::{ApiErrorService, Format};

/// Layer that applies [`ApiErrorService`], turning every failure of the inner service into a
/// coded error response in the format the client accepts.
///
/// See the [crate documentation](crate) for what it does and how it negotiates.
///
/// ```
/// use tower_api_error::{ApiErrorLayer, Format};
///
/// let layer = ApiErrorLayer::new()
///     .default_format(Format::Xml)
///     .error_uri_base("https://docs.example.com/errors")
///     .reject_not_acceptable(false);
/// # let _ = layer;
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ApiErrorLayer {
    config: Config,
}

/// Settings shared by the layer and every service and future it makes.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) default_format: Format,
    pub(crate) reject_not_acceptable: bool,
    pub(crate) error_uri_base: Option<Arc<str>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            default_format: Format::Json,
            reject_not_acceptable: true,
            error_uri_base: None,
        }
    }
}

impl ApiErrorLayer {
    /// A layer with the defaults: JSON preferred, `406 Not Acceptable` for requests that accept
    /// neither format, no `error_uri` base.
    pub fn new() -> Self {
        Self::default()
    }

    /// The format used when negotiation leaves a tie (see [`negotiate`](crate::negotiate)), for
    /// the `406` body, and for every error when the request accepts no format and
    /// [`reject_not_acceptable`](Self::reject_not_acceptable) is off. JSON by default.
    pub fn default_format(mut self, format: Format) -> Self {
        self.config.default_format = format;
        self
    }

    /// Whether to answer `406 Not Acceptable`, without calling the inner service, when the
    /// request's `Accept` admits neither JSON nor XML. On by default.
    ///
    /// When off, the inner service is always called, and its errors are rendered in the
    /// [default format](Self::default_format) for such requests.
    pub fn reject_not_acceptable(mut self, reject: bool) -> Self {
        self.config.reject_not_acceptable = reject;
        self
    }

    /// Gives errors without an [`error_uri`](crate::ApiError::with_uri) of their own the URI
    /// `<base>#<code>`, such as `https://docs.example.com/errors#not_found`.
    pub fn error_uri_base(mut self, base: impl Into<String>) -> Self {
        self.config.error_uri_base = Some(Arc::from(base.into()));
        self
    }
}

impl<S> Layer<S> for ApiErrorLayer {
    type Service = ApiErrorService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ApiErrorService::with_config(inner, self.config.clone())
    }
}
