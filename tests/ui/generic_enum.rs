use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError<E> {
    #[api_error(status = 500, code = "failed")]
    Failed(#[source] E),
}

fn main() {}
