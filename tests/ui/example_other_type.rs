use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum OrderError {
    #[api_error(status = 409, code = "order_already_paid", example = 2)]
    AlreadyPaid { id: u64 },
}

fn main() {}
