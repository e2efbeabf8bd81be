// A stack whose inner body is not an `ErrorBody` (a boxed body) without `wrap_body`: the
// compiler's message names the escape hatch.
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{combinators::UnsyncBoxBody, Full};
use tower::ServiceBuilder;
use tower_api_error::{ApiError, ApiErrorLayer};

type Boxed = UnsyncBoxBody<Bytes, std::convert::Infallible>;

async fn handle(_: Request<Full<Bytes>>) -> Result<Response<Boxed>, ApiError> {
    Err(ApiError::not_found("No item with id 42."))
}

fn served<S: tower::Service<Request<Full<Bytes>>>>(service: S) -> S {
    service
}

fn main() {
    let _service = served(ServiceBuilder::new().layer(ApiErrorLayer::new()).service_fn(handle));
}
