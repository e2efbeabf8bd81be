use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 404, code = "item_not_found", lang("pt-BR", detail = "Nenhum item."))]
    NotFound,
}

fn main() {}
