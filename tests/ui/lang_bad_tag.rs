use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 404, code = "item_not_found", lang("pt_BR", title = "Item não encontrado"))]
    NotFound,
}

#[derive(Debug, ApiError)]
enum Empty {
    #[api_error(status = 404, code = "item_not_found", lang("", title = "Item não encontrado"))]
    NotFound,
}

fn main() {}
