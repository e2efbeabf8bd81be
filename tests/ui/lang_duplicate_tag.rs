use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(status = 404, code = "item_not_found", lang("pt-BR", title = "Item não encontrado"))]
    #[api_error(lang("pt-br", description = "Nenhum item com este id."))]
    NotFound,
}

fn main() {}
