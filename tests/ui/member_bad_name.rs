use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 409, code = "item_name_taken")]
    NameTaken {
        #[member(name = "existing id")]
        existing_id: u32,
    },
}

fn main() {}
