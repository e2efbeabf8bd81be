use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(code = "item_not_found", description = "No such item.")]
    NotFound,
}

fn main() {}
