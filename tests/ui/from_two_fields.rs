use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 500, code = "item_store_failed")]
    Storage {
        #[from]
        source: std::io::Error,
        path: String,
    },
}

fn main() {}
