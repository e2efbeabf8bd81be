use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
struct MyError {
    name: String,
}

fn main() {}
