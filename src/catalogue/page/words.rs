//! The page's own words, in every language it speaks: one table, one row per language. A
//! language without a row gets the default language's words, or else English.
//!
//! The words are trusted markup (some hold `<code>`); nothing in them comes from a request.

/// The words of the page in one language.
#[derive(Debug)]
pub(super) struct Words {
    /// The language tag of the row.
    pub(super) lang: &'static str,
    /// The intro when none is configured.
    /// The page's title when the application sets none.
    pub(super) title: &'static str,
    pub(super) intro: &'static str,
    pub(super) contents: &'static str,
    pub(super) fields: &'static str,
    pub(super) own_codes: &'static str,
    pub(super) builtin_codes: &'static str,
    pub(super) builtin_intro: &'static str,
    /// After a number of codes.
    pub(super) codes: &'static str,
    pub(super) status: &'static str,
    pub(super) example: &'static str,
    pub(super) more: &'static str,
    pub(super) other_languages: &'static str,
    pub(super) member: &'static str,
    pub(super) member_type: &'static str,
    pub(super) public: &'static str,
    pub(super) yes: &'static str,
    pub(super) no: &'static str,
    /// Introduces the seed shape's members; `{}` is the shapes' media types.
    pub(super) seed_shape: &'static str,
    pub(super) error: &'static str,
    pub(super) error_description: &'static str,
    pub(super) error_uri: &'static str,
    pub(super) request_id: &'static str,
    pub(super) field_errors: &'static str,
    pub(super) extension_members: &'static str,
    /// Problem details, when a client may ask for them.
    pub(super) problem_when_asked: &'static str,
    /// Problem details, when every error is sent so.
    pub(super) problem_always: &'static str,
    pub(super) problem_type: &'static str,
    pub(super) problem_title: &'static str,
    pub(super) problem_status: &'static str,
    pub(super) problem_detail: &'static str,
}

/// The words of `lang`, compared without regard to ASCII case; else those of `default`; else
/// English.
pub(super) fn words(lang: &str, default: &str) -> &'static Words {
    WORDS
        .iter()
        .find(|w| w.lang.eq_ignore_ascii_case(lang))
        .or_else(|| WORDS.iter().find(|w| w.lang.eq_ignore_ascii_case(default)))
        .unwrap_or(&WORDS[0])
}

/// One row per language, English first.
pub(super) const WORDS: &[Words] = &[EN, PT_BR];

const EN: Words = Words {
    lang: "en",
    title: "Errors",
    intro: "Every error response of this API carries one of these codes, and a link to its \
            entry here.",
    contents: "Contents",
    fields: "The fields of an error",
    own_codes: "Codes of this API",
    builtin_codes: "Standard codes",
    builtin_intro: "Codes any API behind this error layer can answer with, such as a \
                    <code>404</code> for an unknown path or a <code>406</code> when the \
                    <code>Accept</code> header names no format the API sends.",
    codes: "codes",
    status: "Status",
    example: "Example bodies",
    more: "More about this code",
    other_languages: "This page in other languages:",
    member: "Member",
    member_type: "Type",
    public: "Public",
    yes: "yes",
    no: "no",
    seed_shape: "The body of an error response ({}) has these members:",
    error: "The code: one of the codes on this page. It never changes for a kind of error: \
            match on it.",
    error_description: "What went wrong, for people to read. It may say more than the \
                        code's description here, and may change: do not match on it. A 5xx \
                        error gives its code's description only.",
    error_uri: "The link to the code's entry on this page.",
    request_id: "The request's id, when the request had one: quote it when you report a \
                 problem.",
    field_errors: "For an invalid request, the invalid fields: a list of objects, each with \
                   <code>field</code> (the field's name or path, such as \
                   <code>items[0].name</code>), <code>message</code> and, for some, \
                   <code>code</code>. Left out when there are none.",
    extension_members: "Some codes carry members of their own beside these, listed in their \
                        entry. A 5xx error whose description is masked sends only its public \
                        members; other errors send all of them.",
    problem_when_asked: "A client that asks for <code>application/problem+json</code> or \
                         <code>application/problem+xml</code> gets the same error as RFC 9457 \
                         problem details, with these members, and <code>error</code>, \
                         <code>request_id</code>, <code>field_errors</code> and the code's own \
                         members as above:",
    problem_always: "Every error response is RFC 9457 problem details \
                     (<code>application/problem+json</code> or \
                     <code>application/problem+xml</code>), with these members:",
    problem_type: "The link to the code's entry on this page.",
    problem_title: "The code's title.",
    problem_status: "The HTTP status, as a number.",
    problem_detail: "What went wrong, for people to read: do not match on it.",
};

const PT_BR: Words = Words {
    lang: "pt-BR",
    title: "Erros",
    intro: "Toda resposta de erro desta API traz um destes códigos e um link para a sua \
            entrada aqui.",
    contents: "Sumário",
    fields: "Os campos de um erro",
    own_codes: "Códigos desta API",
    builtin_codes: "Códigos padrão",
    builtin_intro: "Códigos com que qualquer API por trás desta camada de erros pode \
                    responder, como um <code>404</code> para um caminho desconhecido ou um \
                    <code>406</code> quando o cabeçalho <code>Accept</code> não indica nenhum \
                    formato que a API envia.",
    codes: "códigos",
    status: "Status",
    example: "Exemplos de corpo da resposta",
    more: "Mais sobre este código",
    other_languages: "Esta página em outros idiomas:",
    member: "Membro",
    member_type: "Tipo",
    public: "Público",
    yes: "sim",
    no: "não",
    seed_shape: "O corpo de uma resposta de erro ({}) tem estes membros:",
    error: "O código: um dos códigos desta página. Ele nunca muda para um mesmo tipo de erro: \
            use-o para identificar o erro.",
    error_description: "O que deu errado, para pessoas lerem. Pode dizer mais do que a \
                        descrição do código aqui e pode mudar: não o use para identificar o \
                        erro. Um erro 5xx traz apenas a descrição do seu código.",
    error_uri: "O link para a entrada do código nesta página.",
    request_id: "O identificador da requisição, quando ela tinha um: informe-o ao relatar um \
                 problema.",
    field_errors: "Em uma requisição inválida, os campos inválidos: uma lista de objetos, cada \
                   um com <code>field</code> (o nome ou caminho do campo, como \
                   <code>items[0].name</code>), <code>message</code> e, em alguns, \
                   <code>code</code>. Omitido quando não há nenhum.",
    extension_members: "Alguns códigos trazem membros próprios além destes, listados na sua \
                        entrada. Um erro 5xx cuja descrição é mascarada envia apenas os seus \
                        membros públicos; os demais erros enviam todos.",
    problem_when_asked: "Um cliente que pede <code>application/problem+json</code> ou \
                         <code>application/problem+xml</code> recebe o mesmo erro como \
                         <i>problem details</i> da RFC 9457, com estes membros, além de \
                         <code>error</code>, <code>request_id</code>, \
                         <code>field_errors</code> e dos membros próprios do código, como \
                         acima:",
    problem_always: "Toda resposta de erro é um <i>problem details</i> da RFC 9457 \
                     (<code>application/problem+json</code> ou \
                     <code>application/problem+xml</code>), com estes membros:",
    problem_type: "O link para a entrada do código nesta página.",
    problem_title: "O título do código.",
    problem_status: "O status HTTP, como número.",
    problem_detail: "O que deu errado, para pessoas lerem: não o use para identificar o erro.",
};
