use tower_api_error::ApiError;

#[derive(Debug, ApiError)]
enum MyError {
    #[api_error(
        status = 409,
        code = "item_name_taken",
        description = "An item named {name:?} exists.",
        lang("pt-BR", description = "Já existe um item chamado {nome:?}.")
    )]
    NameTaken { name: String },
}

fn main() {}
