use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 404, code = "Item-Not-Found")]
    NotFound,
}

fn main() {}
