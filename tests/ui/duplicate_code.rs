use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 404, code = "item_missing")]
    NotFound,
    #[api_error(status = 410, code = "item_missing")]
    Deleted,
}

fn main() {}
