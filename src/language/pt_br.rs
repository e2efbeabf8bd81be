//! The texts of the crate in Brazilian Portuguese (`pt-BR`): the title and description of every
//! built-in code and of the fallbacks [`client_error`](crate::code::CLIENT_ERROR) and
//! [`server_error`](crate::code::SERVER_ERROR), and the descriptions the layer and the validation
//! conversions write themselves.
//!
//! A title is the status's reason phrase in Portuguese, as Brazilian APIs write it; a
//! description says what its English one says (src/code.rs), in the same plain tone. Codes,
//! media types and header names stay as they are.

use crate::language::Translation;

/// The tag of this language.
pub(crate) const TAG: &str = "pt-BR";

/// The translation of a built-in code, by code; a code of its own for every status of the code
/// table, and the fallbacks. The codes are written out rather than taken from `crate::code`,
/// whose table takes its translations from here: a language is a leaf the code table reads, and
/// `code`'s tests check that these are exactly its codes.
pub(crate) const CODES: &[(&str, &[Translation])] = &[
    (
        "invalid_parameter",
        &[t(
            "Requisição Inválida",
            "A requisição contém algo inválido.",
        )],
    ),
    (
        "invalid_value_parameter",
        &[t(
            "Requisição Inválida",
            "Um parâmetro da query string da requisição tem um valor inválido.",
        )],
    ),
    (
        "invalid_value_headers",
        &[t(
            "Requisição Inválida",
            "Um cabeçalho da requisição tem um valor inválido.",
        )],
    ),
    (
        "unauthorized",
        &[t(
            "Não Autorizado",
            "É necessária autenticação completa para acessar este recurso.",
        )],
    ),
    (
        "token_expired",
        &[t("Não Autorizado", "O token de acesso expirou.")],
    ),
    (
        "invalid_token",
        &[t("Não Autorizado", "O token de acesso é inválido.")],
    ),
    (
        "payment_required",
        &[t(
            "Pagamento Necessário",
            "A conta foi marcada como inadimplente.",
        )],
    ),
    (
        "unauthorized_client",
        &[t(
            "Proibido",
            "O cliente não tem permissão para realizar esta requisição.",
        )],
    ),
    (
        "not_found",
        &[t(
            "Não Encontrado",
            "O recurso solicitado não foi encontrado.",
        )],
    ),
    (
        "method_not_allowed",
        &[t(
            "Método Não Permitido",
            "O método da requisição não é suportado por este recurso.",
        )],
    ),
    (
        "not_acceptable",
        &[t(
            "Não Aceitável",
            "O recurso só pode ser representado como application/json ou application/xml.",
        )],
    ),
    (
        "proxy_authentication_required",
        &[t(
            "Autenticação de Proxy Necessária",
            "É necessária autenticação no proxy.",
        )],
    ),
    (
        "request_timeout",
        &[t(
            "Tempo de Requisição Esgotado",
            "O servidor esgotou o tempo de espera pela requisição.",
        )],
    ),
    (
        "conflict",
        &[t(
            "Conflito",
            "A requisição conflita com o estado atual do recurso.",
        )],
    ),
    (
        "gone",
        &[t(
            "Removido",
            "O recurso solicitado não está mais disponível.",
        )],
    ),
    (
        "length_required",
        &[t(
            "Comprimento Necessário",
            "A requisição deve informar o seu Content-Length.",
        )],
    ),
    (
        "precondition_failed",
        &[t(
            "Pré-condição Falhou",
            "Uma pré-condição da requisição não foi atendida.",
        )],
    ),
    (
        "payload_too_large",
        &[t(
            "Conteúdo Muito Grande",
            "O corpo da requisição é maior do que o servidor aceita.",
        )],
    ),
    (
        "uri_too_long",
        &[t(
            "URI Muito Longa",
            "A URI da requisição é mais longa do que o servidor aceita.",
        )],
    ),
    (
        "unsupported_media_type",
        &[t(
            "Tipo de Mídia Não Suportado",
            "O corpo da requisição está em um formato que o recurso não suporta.",
        )],
    ),
    (
        "range_not_satisfiable",
        &[t(
            "Intervalo Não Satisfatório",
            "O intervalo solicitado não pode ser atendido.",
        )],
    ),
    (
        "expectation_failed",
        &[t(
            "Expectativa Falhou",
            "A expectativa informada no cabeçalho Expect não pode ser atendida.",
        )],
    ),
    (
        "misdirected_request",
        &[t(
            "Requisição Mal Direcionada",
            "A requisição foi direcionada a um servidor que não pode respondê-la.",
        )],
    ),
    (
        "unprocessable_entity",
        &[t(
            "Entidade Não Processável",
            "A requisição está bem formada, mas não pôde ser processada por causa de erros \
             semânticos.",
        )],
    ),
    ("locked", &[t("Bloqueado", "O recurso está bloqueado.")]),
    (
        "failed_dependency",
        &[t(
            "Falha de Dependência",
            "A requisição falhou porque uma requisição da qual ela depende falhou.",
        )],
    ),
    (
        "too_early",
        &[t(
            "Muito Cedo",
            "O servidor não processará uma requisição que possa ser repetida.",
        )],
    ),
    (
        "upgrade_required",
        &[t(
            "Atualização Necessária",
            "O cliente precisa mudar para outro protocolo.",
        )],
    ),
    (
        "precondition_required",
        &[t(
            "Pré-condição Necessária",
            "A requisição precisa ser condicional.",
        )],
    ),
    (
        "too_many_requests",
        &[t(
            "Muitas Requisições",
            "Foram feitas requisições demais; tente novamente mais tarde.",
        )],
    ),
    (
        "request_header_fields_too_large",
        &[t(
            "Campos de Cabeçalho da Requisição Muito Grandes",
            "Os cabeçalhos da requisição são maiores do que o servidor aceita.",
        )],
    ),
    (
        "unavailable_for_legal_reasons",
        &[t(
            "Indisponível por Motivos Legais",
            "O recurso está indisponível por motivos legais.",
        )],
    ),
    (
        "internal_server_error",
        &[t(
            "Erro Interno do Servidor",
            "Ocorreu um erro inesperado e não foi possível concluir a requisição.",
        )],
    ),
    (
        "not_implemented",
        &[t(
            "Não Implementado",
            "O servidor não suporta esta requisição.",
        )],
    ),
    (
        "bad_gateway",
        &[t(
            "Gateway Inválido",
            "O servidor teve problemas para acessar um serviço do qual depende. Por favor, tente \
             a requisição novamente.",
        )],
    ),
    (
        "service_unavailable",
        &[t(
            "Serviço Indisponível",
            "O serviço está temporariamente indisponível. Por favor, tente a requisição \
             novamente.",
        )],
    ),
    (
        "gateway_timeout",
        &[t(
            "Tempo Esgotado no Gateway",
            "O servidor não respondeu a tempo. Por favor, tente a requisição novamente.",
        )],
    ),
    (
        "http_version_not_supported",
        &[t(
            "Versão HTTP Não Suportada",
            "A versão HTTP da requisição não é suportada.",
        )],
    ),
    (
        "insufficient_storage",
        &[t(
            "Armazenamento Insuficiente",
            "O servidor não consegue armazenar o que a requisição precisa.",
        )],
    ),
    (
        "loop_detected",
        &[t(
            "Loop Detectado",
            "O servidor detectou um loop infinito ao processar a requisição.",
        )],
    ),
    (
        "network_authentication_required",
        &[t(
            "Autenticação de Rede Necessária",
            "O cliente precisa se autenticar para obter acesso à rede.",
        )],
    ),
    (
        "client_error",
        &[t(
            "Erro do Cliente",
            "Não foi possível processar a requisição.",
        )],
    ),
    (
        "server_error",
        &[t(
            "Erro do Servidor",
            "Ocorreu um erro inesperado e não foi possível concluir a requisição.",
        )],
    ),
];

const fn t(title: &'static str, description: &'static str) -> Translation {
    Translation::new(TAG, description).with_title(title)
}

/// The translations of the built-in code `code` (none for another code). Usable in a `const`:
/// the code table's entries take theirs from it.
pub(crate) const fn translations(code: &str) -> &'static [Translation] {
    let mut i = 0;
    while i < CODES.len() {
        if crate::const_eq::eq(CODES[i].0.as_bytes(), code.as_bytes()) {
            return CODES[i].1;
        }
        i += 1;
    }
    &[]
}

// The layer's own texts and validation's. Until the layer negotiates languages, some are not
// read in every build.

/// The description of validation errors (`crate::validation`'s `DESCRIPTION`).
#[allow(
    dead_code,
    reason = "read by the validation conversions, behind their features"
)]
pub(crate) const VALIDATION_DESCRIPTION: &str = "A requisição tem campos inválidos.";

/// The layer's 406 when no content coding the client accepts can be sent.
pub(crate) const NOT_ACCEPTABLE_CODING: &str =
    "Nenhuma codificação de conteúdo aceitável pôde ser produzida: o Accept-Encoding da \
     requisição exclui todas as codificações que o servidor pode enviar, inclusive identity.";

/// The layer's 406 when it never answers with problem details.
pub(crate) const NOT_ACCEPTABLE_SEED: &str =
    "O recurso só pode ser representado como application/json ou application/xml. Os \
     cabeçalhos Accept válidos são application/json e application/xml.";

/// The layer's 406 when it always answers with problem details.
pub(crate) const NOT_ACCEPTABLE_PROBLEM: &str =
    "O recurso só pode ser representado como application/problem+json ou \
     application/problem+xml. Os cabeçalhos Accept válidos são application/problem+json, \
     application/problem+xml, application/json e application/xml.";

/// The layer's 406 when it answers with either body.
pub(crate) const NOT_ACCEPTABLE_EITHER: &str =
    "O recurso só pode ser representado como application/json, application/xml, \
     application/problem+json ou application/problem+xml. Os cabeçalhos Accept válidos são \
     application/json, application/xml, application/problem+json e application/problem+xml.";
