use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(transparent)]
    Other(ApiError, String),
}

fn main() {}
