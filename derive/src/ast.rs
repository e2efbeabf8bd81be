//! The enum as the derive sees it: its variants with their `#[api_error(..)]` attributes and
//! their fields with their roles, checked. Every error spans the attribute, key or literal at
//! fault.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::{
    ext::IdentExt, meta::ParseNestedMeta, spanned::Spanned, Attribute, Data, DeriveInput, Error,
    Fields, Ident, Lit, LitInt, LitStr, Member, Result, Token, Type,
};

use crate::template::{Named, Template};

/// An enum with `#[derive(ApiError)]`.
pub(crate) struct Enum<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) variants: Vec<Variant<'a>>,
}

pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) fields: Vec<Field<'a>>,
    pub(crate) kind: Kind,
}

pub(crate) enum Kind {
    /// A variant with a code of its own.
    Coded(Box<Coded>),
    /// `#[api_error(transparent)]`: the variant's one field is the error.
    Transparent,
}

/// What `#[api_error(..)]` says about a variant with a code.
pub(crate) struct Coded {
    pub(crate) status: u16,
    pub(crate) status_lit: LitInt,
    pub(crate) code: LitStr,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<Template>,
    pub(crate) docs: Option<LitStr>,
    pub(crate) expose: bool,
    /// `example = <expr>`: an expression building an error of this variant.
    pub(crate) example: Option<TokenStream>,
    /// `lang("pt-BR", ..)`, in the order given.
    pub(crate) langs: Vec<Lang>,
}

/// What `lang("tag", title = "..", description = "..", docs = "..")` says: the variant's texts in
/// one language.
pub(crate) struct Lang {
    /// A well-formed language tag, given once per variant.
    pub(crate) tag: LitStr,
    pub(crate) title: Option<LitStr>,
    /// Checked like the variant's own description: the same fields, the same rules.
    pub(crate) description: Option<Template>,
    pub(crate) docs: Option<LitStr>,
}

impl Coded {
    /// A 5xx whose description the client does not get.
    pub(crate) fn masked(&self) -> bool {
        self.status >= 500 && !self.expose
    }
}

pub(crate) struct Field<'a> {
    pub(crate) member: Member,
    /// The name the field is bound to in the generated `match` arms.
    pub(crate) binding: Ident,
    pub(crate) ty: &'a Type,
    /// `#[source]`, or `#[from]`, which implies it.
    pub(crate) source: bool,
    pub(crate) from: Option<Span>,
    pub(crate) field_errors: bool,
    pub(crate) retry_after: bool,
    /// `#[member]`: an extension member of the error.
    pub(crate) member_attr: Option<MemberAttr>,
}

/// The fields as a description's placeholders name them.
fn named<'f>(fields: &'f [Field<'_>]) -> Vec<Named<'f>> {
    fields
        .iter()
        .map(|field| (&field.member, &field.binding))
        .collect()
}

/// What `#[member]` or `#[member(name = "..", public)]` says.
pub(crate) struct MemberAttr {
    /// The member's name, checked: the field's name unless given.
    pub(crate) name: LitStr,
    pub(crate) public: bool,
}

impl<'a> Enum<'a> {
    pub(crate) fn from_input(input: &'a DeriveInput) -> Result<Self> {
        let data = match &input.data {
            Data::Enum(data) => data,
            Data::Struct(data) => {
                return Err(Error::new(
                    data.struct_token.span,
                    "`#[derive(ApiError)]` is for enums only: give each error a variant",
                ))
            }
            Data::Union(data) => {
                return Err(Error::new(
                    data.union_token.span,
                    "`#[derive(ApiError)]` is for enums only: give each error a variant",
                ))
            }
        };
        if !input.generics.params.is_empty() {
            return Err(Error::new_spanned(
                &input.generics,
                "`#[derive(ApiError)]` does not support generic enums: the codes of an enum are \
                 the same for every instance, and its sources must be `'static`",
            ));
        }
        if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("api_error")) {
            return Err(Error::new_spanned(
                attr,
                "`#[api_error(..)]` goes on each variant, not on the enum",
            ));
        }

        let mut variants = Vec::new();
        let mut errors: Option<Error> = None;
        for variant in &data.variants {
            match Variant::from_syn(variant) {
                Ok(variant) => variants.push(variant),
                Err(err) => match &mut errors {
                    Some(errors) => errors.combine(err),
                    None => errors = Some(err),
                },
            }
        }
        if let Some(errors) = errors {
            return Err(errors);
        }
        let parsed = Self {
            ident: &input.ident,
            variants,
        };
        parsed.check_codes()?;
        Ok(parsed)
    }

    /// A code declared by two variants must have one status.
    fn check_codes(&self) -> Result<()> {
        let mut seen: Vec<&Coded> = Vec::new();
        for variant in &self.variants {
            let Kind::Coded(coded) = &variant.kind else {
                continue;
            };
            let code = coded.code.value();
            match seen.iter().find(|known| known.code.value() == code) {
                Some(known) if known.status != coded.status => {
                    return Err(Error::new(
                        coded.code.span(),
                        format!(
                            "the code `{code}` is already declared with status {}; a code has one \
                             status",
                            known.status
                        ),
                    ))
                }
                Some(_) => {}
                None => seen.push(coded),
            }
        }
        Ok(())
    }
}

const KEYS: &str =
    "`status`, `code`, `title`, `description`, `docs`, `expose`, `example`, `lang(..)` or \
     `transparent`";

impl<'a> Variant<'a> {
    fn from_syn(variant: &'a syn::Variant) -> Result<Self> {
        let fields = fields(&variant.fields)?;
        let attrs: Vec<&Attribute> = variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("api_error"))
            .collect();
        let Some(first) = attrs.first() else {
            return Err(Error::new(
                variant.ident.span(),
                "this variant needs `#[api_error(status = .., code = \"..\")]` or \
                 `#[api_error(transparent)]`",
            ));
        };

        let mut status: Option<(u16, LitInt)> = None;
        let mut code: Option<LitStr> = None;
        let mut title: Option<LitStr> = None;
        let mut description: Option<LitStr> = None;
        let mut docs: Option<LitStr> = None;
        let mut expose: Option<Span> = None;
        let mut transparent: Option<Span> = None;
        let mut langs: Vec<RawLang> = Vec::new();
        let mut example: Option<TokenStream> = None;
        // The first key other than `transparent`, to point at when both are given.
        let mut other_key: Option<Span> = None;

        for attr in &attrs {
            attr.parse_nested_meta(|meta| {
                let path = &meta.path;
                let Some(key) = path.get_ident().map(|i| i.unraw().to_string()) else {
                    return Err(meta.error(format!("unknown key; expected {KEYS}")));
                };
                let duplicate = || meta.error(format!("`{key}` is given twice"));
                if key != "transparent" && other_key.is_none() {
                    other_key = Some(path.span());
                }
                match key.as_str() {
                    "status" => {
                        if status.is_some() {
                            return Err(duplicate());
                        }
                        let lit: Lit = meta.value()?.parse()?;
                        status = Some(status_of(lit)?);
                    }
                    "code" => {
                        if code.is_some() {
                            return Err(duplicate());
                        }
                        let lit = string(meta.value()?.parse()?, "code")?;
                        check_code(&lit)?;
                        code = Some(lit);
                    }
                    "title" | "description" | "docs" => {
                        let slot = match key.as_str() {
                            "title" => &mut title,
                            "description" => &mut description,
                            _ => &mut docs,
                        };
                        if slot.is_some() {
                            return Err(duplicate());
                        }
                        let lit = string(meta.value()?.parse()?, &key)?;
                        if lit.value().is_empty() {
                            return Err(Error::new(
                                lit.span(),
                                format!("`{key}` is empty; leave it out for the default"),
                            ));
                        }
                        *slot = Some(lit);
                    }
                    "expose" => {
                        if expose.is_some() {
                            return Err(duplicate());
                        }
                        expose = Some(path.span());
                    }
                    "example" => {
                        if example.is_some() {
                            return Err(duplicate());
                        }
                        example = Some(example_of(&meta)?);
                    }
                    "transparent" => {
                        if transparent.is_some() {
                            return Err(duplicate());
                        }
                        transparent = Some(path.span());
                    }
                    "lang" => {
                        let lang = RawLang::parse(&meta)?;
                        let tag = lang.tag.value();
                        if langs
                            .iter()
                            .any(|known| known.tag.value().eq_ignore_ascii_case(&tag))
                        {
                            return Err(Error::new(
                                lang.tag.span(),
                                format!(
                                    "`lang(\"{tag}\", ..)` is given twice; give each language once"
                                ),
                            ));
                        }
                        langs.push(lang);
                    }
                    _ => return Err(meta.error(format!("unknown key `{key}`; expected {KEYS}"))),
                }
                Ok(())
            })?;
        }

        if let Some(span) = transparent {
            if let Some(other) = other_key {
                return Err(Error::new(
                    other,
                    "a `transparent` variant takes everything from its field: no other key",
                ));
            }
            if fields.len() != 1 {
                return Err(Error::new(
                    span,
                    "a `transparent` variant has exactly one field: an `ApiError`, or an error \
                     that converts into one",
                ));
            }
            let field = &fields[0];
            if (field.source && field.from.is_none())
                || field.field_errors
                || field.retry_after
                || field.member_attr.is_some()
            {
                return Err(Error::new(
                    field.ty.span(),
                    "the field of a `transparent` variant takes no `#[source]`, \
                     `#[field_errors]`, `#[retry_after]` or `#[member]` (only `#[from]`)",
                ));
            }
            return Ok(Self {
                ident: &variant.ident,
                fields,
                kind: Kind::Transparent,
            });
        }

        let Some((status, status_lit)) = status else {
            return Err(Error::new_spanned(
                first,
                "missing `status = ..`: the variant's HTTP status, 400 to 599",
            ));
        };
        let Some(code) = code else {
            return Err(Error::new_spanned(
                first,
                "missing `code = \"..\"`: the stable code sent as `error`, such as \"item_not_found\"",
            ));
        };
        if let Some(span) = expose {
            if status < 500 {
                return Err(Error::new(
                    span,
                    "`expose` is for 5xx variants: the description of a 4xx is always sent",
                ));
            }
        }
        let description = description
            .map(|lit| Template::parse(lit, &named(&fields)))
            .transpose()?;
        let langs = langs
            .into_iter()
            .map(|lang| lang.check(&fields))
            .collect::<Result<Vec<Lang>>>()?;

        Ok(Self {
            ident: &variant.ident,
            fields,
            kind: Kind::Coded(Box::new(Coded {
                status,
                status_lit,
                code,
                title,
                description,
                docs,
                expose: expose.is_some(),
                langs,
                example,
            })),
        })
    }
}

/// A `lang(..)` as written, its description not yet checked against the fields.
struct RawLang {
    tag: LitStr,
    title: Option<LitStr>,
    description: Option<LitStr>,
    docs: Option<LitStr>,
}

const LANG_KEYS: &str = "`title`, `description` or `docs`";

impl RawLang {
    /// Parses `("tag", key = "..", ..)` after `lang`.
    fn parse(meta: &ParseNestedMeta<'_>) -> Result<Self> {
        let content;
        syn::parenthesized!(content in meta.input);
        let tag = match content.parse::<Lit>() {
            Ok(lit) => string(lit, "the language tag")?,
            Err(err) => return Err(Error::new(
                err.span(),
                "`lang(..)` starts with its language tag, as in `lang(\"pt-BR\", title = \"..\")`",
            )),
        };
        check_tag(&tag)?;
        let mut lang = Self {
            tag,
            title: None,
            description: None,
            docs: None,
        };
        while !content.is_empty() {
            content.parse::<Token![,]>()?;
            if content.is_empty() {
                break;
            }
            let key = content.call(Ident::parse_any)?;
            let name = key.unraw().to_string();
            let slot = match name.as_str() {
                "title" => &mut lang.title,
                "description" => &mut lang.description,
                "docs" => &mut lang.docs,
                _ => {
                    return Err(Error::new(
                        key.span(),
                        format!("unknown key `{name}` in `lang(..)`; expected {LANG_KEYS}"),
                    ))
                }
            };
            if slot.is_some() {
                return Err(Error::new(
                    key.span(),
                    format!("`{name}` is given twice in this `lang(..)`"),
                ));
            }
            content.parse::<Token![=]>()?;
            let lit = string(content.parse()?, &name)?;
            if lit.value().is_empty() {
                return Err(Error::new(
                    lit.span(),
                    format!("`{name}` is empty; leave it out for the default"),
                ));
            }
            *slot = Some(lit);
        }
        Ok(lang)
    }

    /// Checks the description's placeholders as the variant's own description's are checked.
    fn check(self, fields: &[Field<'_>]) -> Result<Lang> {
        Ok(Lang {
            tag: self.tag,
            title: self.title,
            description: self
                .description
                .map(|lit| Template::parse(lit, &named(fields)))
                .transpose()?,
            docs: self.docs,
        })
    }
}

/// A language tag (RFC 5646) as `tower_api_error::language::LanguageTag` takes it: subtags of 1
/// to 8 ASCII letters and digits joined by `-`, the first of them letters only (a copy: the
/// derive cannot call the library it serves).
fn check_tag(lit: &LitStr) -> Result<()> {
    let tag = lit.value();
    if tag.is_empty() {
        return Err(Error::new(
            lit.span(),
            "the language tag is empty; give one such as \"pt-BR\"",
        ));
    }
    let well_formed = tag.split('-').enumerate().all(|(i, subtag)| {
        (1..=8).contains(&subtag.len())
            && subtag
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit()))
    });
    if !well_formed {
        return Err(Error::new(
            lit.span(),
            format!(
                "`{tag}` is not a language tag: subtags of 1 to 8 ASCII letters and digits joined \
                 by `-`, the first of them letters, such as \"pt-BR\""
            ),
        ));
    }
    Ok(())
}

/// The expression of `example = <expr>`: its tokens up to the next `,` outside brackets (the
/// compiler checks it where the generated code uses it).
fn example_of(meta: &syn::meta::ParseNestedMeta<'_>) -> Result<TokenStream> {
    let input = meta.value()?;
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(syn::Token![,]) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    if tokens.is_empty() {
        return Err(meta.error(
            "`example` needs an expression building the error, such as \
             `example = OrderError::AlreadyPaid { id: 2 }`",
        ));
    }
    if let Ok(Lit::Str(lit)) = syn::parse2::<Lit>(tokens.clone()) {
        return Err(Error::new(
            lit.span(),
            "`example` is an expression building the error, such as \
             `example = OrderError::AlreadyPaid { id: 2 }`, not a string",
        ));
    }
    Ok(tokens)
}

fn status_of(lit: Lit) -> Result<(u16, LitInt)> {
    let Lit::Int(int) = lit else {
        return Err(Error::new(
            lit.span(),
            "`status` must be an integer literal, such as `status = 404`",
        ));
    };
    match int.base10_parse::<u16>() {
        Ok(status @ 400..=599) => Ok((status, int)),
        _ => Err(Error::new(
            int.span(),
            "`status` must be an error status, 400 to 599",
        )),
    }
}

fn string(lit: Lit, key: &str) -> Result<LitStr> {
    match lit {
        Lit::Str(s) => Ok(s),
        other => Err(Error::new(
            other.span(),
            format!("`{key}` must be a string literal"),
        )),
    }
}

fn check_code(lit: &LitStr) -> Result<()> {
    let code = lit.value();
    if code.is_empty()
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(Error::new(
            lit.span(),
            "a code is lowercase ASCII letters, digits and `_`, such as \"item_not_found\"",
        ));
    }
    Ok(())
}

fn fields(fields: &Fields) -> Result<Vec<Field<'_>>> {
    let count = fields.len();
    let mut parsed: Vec<Field<'_>> = Vec::with_capacity(count);
    for (index, field) in fields.iter().enumerate() {
        let (member, binding) = match &field.ident {
            Some(ident) => (
                Member::Named(ident.clone()),
                Ident::new(
                    &format!("__api_error_{}", ident.unraw()),
                    Span::mixed_site(),
                ),
            ),
            None => (
                Member::Unnamed(index.into()),
                Ident::new(&format!("__api_error_{index}"), Span::mixed_site()),
            ),
        };
        let mut this = Field {
            member,
            binding,
            ty: &field.ty,
            source: false,
            from: None,
            field_errors: false,
            retry_after: false,
            member_attr: None,
        };
        for attr in field
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("member"))
        {
            if this.member_attr.is_some() {
                return Err(Error::new_spanned(
                    attr,
                    "a field has at most one `#[member]`",
                ));
            }
            this.member_attr = Some(member_attr(attr, field)?);
        }
        for attr in &field.attrs {
            let name = if attr.path().is_ident("source") {
                "source"
            } else if attr.path().is_ident("from") {
                "from"
            } else if attr.path().is_ident("field_errors") {
                "field_errors"
            } else if attr.path().is_ident("retry_after") {
                "retry_after"
            } else {
                continue;
            };
            attr.meta.require_path_only()?;
            let again = match name {
                "source" | "from" => this.source,
                "field_errors" => this.field_errors,
                _ => this.retry_after,
            };
            if again {
                return Err(Error::new_spanned(
                    attr,
                    "this field already has this role (`#[from]` implies `#[source]`)",
                ));
            }
            let twice = |other: &str| {
                Error::new_spanned(
                    attr,
                    format!("a field is either `#[{other}]` or `#[{name}]`, not both"),
                )
            };
            match name {
                "source" | "from" => {
                    if this.field_errors {
                        return Err(twice("field_errors"));
                    }
                    if this.retry_after {
                        return Err(twice("retry_after"));
                    }
                    if parsed.iter().any(|f| f.source) {
                        return Err(Error::new_spanned(
                            attr,
                            "a variant has at most one `#[source]` or `#[from]` field",
                        ));
                    }
                    if name == "from" {
                        if count != 1 {
                            return Err(Error::new_spanned(
                                attr,
                                "`#[from]` needs the variant to have this one field only, so \
                                 that the `From` impl can build it; use `#[source]` and build \
                                 the variant by hand",
                            ));
                        }
                        this.from = Some(attr.span());
                    }
                    this.source = true;
                }
                "field_errors" => {
                    if this.source {
                        return Err(twice("source"));
                    }
                    if this.retry_after {
                        return Err(twice("retry_after"));
                    }
                    if parsed.iter().any(|f| f.field_errors) {
                        return Err(Error::new_spanned(
                            attr,
                            "a variant has at most one `#[field_errors]` field",
                        ));
                    }
                    this.field_errors = true;
                }
                _ => {
                    if this.source {
                        return Err(twice("source"));
                    }
                    if this.field_errors {
                        return Err(twice("field_errors"));
                    }
                    if parsed.iter().any(|f| f.retry_after) {
                        return Err(Error::new_spanned(
                            attr,
                            "a variant has at most one `#[retry_after]` field",
                        ));
                    }
                    this.retry_after = true;
                }
            }
        }
        if this.member_attr.is_some() && (this.source || this.field_errors || this.retry_after) {
            return Err(Error::new(
                field.ty.span(),
                "a `#[member]` field is data for the client: not also `#[source]`, `#[from]`, \
                 `#[field_errors]` or `#[retry_after]`",
            ));
        }
        if let Some(attr) = &this.member_attr {
            let name = attr.name.value();
            if parsed
                .iter()
                .filter_map(|f| f.member_attr.as_ref())
                .any(|other| other.name.value() == name)
            {
                return Err(Error::new(
                    attr.name.span(),
                    format!("two `#[member]` fields of a variant are named `{name}`"),
                ));
            }
        }
        parsed.push(this);
    }
    Ok(parsed)
}

/// Parses `#[member]`, `#[member(public)]`, `#[member(name = "..")]` or both, and checks the name.
fn member_attr(attr: &syn::Attribute, field: &syn::Field) -> Result<MemberAttr> {
    let mut name: Option<LitStr> = None;
    let mut public = false;
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("public") {
                public = true;
                Ok(())
            } else if meta.path.is_ident("name") {
                name = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                Err(meta.error("unknown key: `#[member]` takes `name = \"..\"` and `public`"))
            }
        })?;
    }
    let name = match (name, &field.ident) {
        (Some(name), _) => name,
        (None, Some(ident)) => LitStr::new(&ident.unraw().to_string(), ident.span()),
        (None, None) => {
            return Err(Error::new_spanned(
                attr,
                "a `#[member]` on a tuple field needs a name: `#[member(name = \"...\")]`",
            ))
        }
    };
    if let Some(problem) = member_name_problem(&name.value()) {
        return Err(Error::new(
            name.span(),
            format!("invalid member name `{}`: {problem}", name.value()),
        ));
    }
    Ok(MemberAttr { name, public })
}

/// Why `name` cannot be a member name, by the rules of `tower_api_error::member::MemberName` (a copy:
/// the derive cannot call the library it serves).
fn member_name_problem(name: &str) -> Option<&'static str> {
    const RESERVED: [&str; 11] = [
        "error",
        "error_description",
        "error_uri",
        "field_errors",
        "request_id",
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "violated-policies",
    ];
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        Some("a member name is empty")
    } else if bytes.len() > 64 {
        Some("a member name is at most 64 bytes")
    } else if !matches!(bytes[0], b'A'..=b'Z' | b'a'..=b'z' | b'_') {
        Some("a member name starts with an ASCII letter or `_`")
    } else if !bytes
        .iter()
        .all(|b| matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.'))
    {
        Some("a member name is made of ASCII letters, digits, `_`, `-` and `.`")
    } else if bytes.len() >= 3 && bytes[..3].eq_ignore_ascii_case(b"xml") {
        Some("a member name may not start with `xml` (reserved by XML)")
    } else if RESERVED.contains(&name) {
        Some(
            "the body uses this name itself (error, error_description, error_uri, field_errors, \
             request_id, type, title, status, detail, instance, violated-policies)",
        )
    } else {
        None
    }
}
