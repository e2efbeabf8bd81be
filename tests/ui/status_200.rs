use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 200, code = "all_fine")]
    Fine,
}

fn main() {}
