//! The generated impls. They name only `::tower_api_error` paths (its `__private` module
//! re-exports what they need from std and http), so the application needs no other dependency.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{spanned::Spanned, Ident};

use crate::{
    ast::{Coded, Enum, Field, Kind, Variant},
    template::Text,
};

pub(crate) fn expand(input: &Enum<'_>) -> TokenStream {
    let into_api_error = into_api_error(input);
    let display = display(input);
    let error = error(input);
    let error_codes = error_codes(input);
    let from_fields = from_fields(input);
    let into_responses = into_responses(input);
    let ty = input.ident;
    quote! {
        #into_api_error
        #display
        #error
        #error_codes
        #from_fields
        #into_responses
        ::tower_api_error::__impl_into_response!(#ty);
        ::tower_api_error::__impl_operation_output!(#ty);
    }
}

/// `Enum::Variant { member: binding, .. }`, binding the fields given.
fn pattern<'a>(
    ty: &Ident,
    variant: &Variant<'_>,
    fields: impl IntoIterator<Item = &'a Field<'a>>,
) -> TokenStream {
    let ident = variant.ident;
    let bindings = fields.into_iter().map(|field| {
        let member = &field.member;
        let binding = &field.binding;
        quote!(#member: #binding)
    });
    quote!(#ty::#ident { #(#bindings,)* .. })
}

fn status(coded: &Coded) -> TokenStream {
    let lit = &coded.status_lit;
    quote_spanned!(lit.span()=> ::tower_api_error::__private::status(#lit))
}

/// `format!` or `write!` arguments: the format string and `binding = binding` per field.
fn format_args(
    format: &str,
    fields: &[usize],
    variant: &Variant<'_>,
    lit_span: proc_macro2::Span,
) -> TokenStream {
    let format = syn::LitStr::new(format, lit_span);
    let args = fields.iter().map(|&index| {
        let binding = &variant.fields[index].binding;
        quote!(#binding = #binding)
    });
    quote!(#format #(, #args)*)
}

fn into_api_error(input: &Enum<'_>) -> TokenStream {
    let ty = input.ident;
    let arms = input.variants.iter().map(|variant| match &variant.kind {
        Kind::Transparent => {
            let field = &variant.fields[0];
            let pattern = pattern(ty, variant, [field]);
            let binding = &field.binding;
            let into = quote_spanned! {field.ty.span()=>
                ::tower_api_error::__private::Into::<::tower_api_error::ApiError>::into(#binding)
            };
            quote!(#pattern => #into,)
        }
        Kind::Coded(coded) => {
            let mut bound: Vec<&Field<'_>> = Vec::new();
            let code = &coded.code;
            let status = status(coded);
            let description = match &coded.description {
                None => quote!(""),
                Some(template) => match &template.text {
                    Text::Plain(text) => quote!(#text),
                    Text::Format { format, fields } => {
                        bound.extend(fields.iter().map(|&index| &variant.fields[index]));
                        let args = format_args(format, fields, variant, template.lit.span());
                        quote!(::tower_api_error::__private::format!(#args))
                    }
                },
            };
            let mut calls = TokenStream::new();
            if let Some(title) = &coded.title {
                calls.extend(quote!(.with_title(#title)));
            }
            if coded.expose {
                calls.extend(quote!(.expose_description()));
            }
            for field in &variant.fields {
                let binding = &field.binding;
                let span = field.ty.span();
                if field.source {
                    calls.extend(quote_spanned!(span=> .with_source(#binding)));
                } else if field.field_errors {
                    calls.extend(quote_spanned!(span=> .with_field_errors(#binding)));
                } else if field.retry_after {
                    calls.extend(quote_spanned!(span=> .with_retry_after(#binding)));
                } else if let Some(member) = &field.member_attr {
                    let name = &member.name;
                    let method = if member.public {
                        quote!(with_public_member)
                    } else {
                        quote!(with_member)
                    };
                    calls.extend(quote_spanned! {span=>
                        .#method(::tower_api_error::member::MemberName::from_static(#name), #binding)
                    });
                } else {
                    continue;
                }
                if !bound.iter().any(|b| b.member == field.member) {
                    bound.push(field);
                }
            }
            calls.extend(lang_calls(coded, variant, &mut bound));
            let pattern = pattern(ty, variant, bound);
            quote! {
                #pattern => ::tower_api_error::ApiError::new(#status, #code, #description) #calls,
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl ::tower_api_error::__private::From<#ty> for ::tower_api_error::ApiError {
            fn from(err: #ty) -> Self {
                match err {
                    #(#arms)*
                }
            }
        }
    }
}

/// `.with_description_in(..)` and `.with_title_in(..)` for every `lang(..)` of a variant, binding
/// the fields its descriptions name. A masked 5xx gets them too, as it gets its description:
/// the layer sends them only if the description is exposed, and logs them otherwise.
fn lang_calls<'a>(
    coded: &Coded,
    variant: &'a Variant<'a>,
    bound: &mut Vec<&'a Field<'a>>,
) -> TokenStream {
    let mut calls = TokenStream::new();
    for lang in &coded.langs {
        let tag = &lang.tag;
        let tag = quote!(::tower_api_error::language::LanguageTag::from_static(#tag));
        if let Some(template) = &lang.description {
            let description = match &template.text {
                Text::Plain(text) => quote!(#text),
                Text::Format { format, fields } => {
                    for &index in fields {
                        let field = &variant.fields[index];
                        if !bound.iter().any(|b| b.member == field.member) {
                            bound.push(field);
                        }
                    }
                    let args = format_args(format, fields, variant, template.lit.span());
                    quote!(::tower_api_error::__private::format!(#args))
                }
            };
            calls.extend(quote!(.with_description_in(#tag, #description)));
        }
        if let Some(title) = &lang.title {
            calls.extend(quote!(.with_title_in(#tag, #title)));
        }
    }
    calls
}

fn display(input: &Enum<'_>) -> TokenStream {
    let ty = input.ident;
    let arms = input.variants.iter().map(|variant| match &variant.kind {
        Kind::Transparent => {
            let field = &variant.fields[0];
            let pattern = pattern(ty, variant, [field]);
            let binding = &field.binding;
            quote!(#pattern => ::tower_api_error::__private::fmt::Display::fmt(#binding, __formatter),)
        }
        Kind::Coded(coded) => match coded.description.as_ref().map(|t| (&t.text, t.lit.span())) {
            None => {
                let pattern = pattern(ty, variant, []);
                let code = &coded.code;
                let status = status(coded);
                quote! {
                    #pattern => __formatter.write_str(
                        ::tower_api_error::__private::default_description(#code, #status)
                    ),
                }
            }
            Some((Text::Plain(text), _)) => {
                let pattern = pattern(ty, variant, []);
                quote!(#pattern => __formatter.write_str(#text),)
            }
            Some((Text::Format { format, fields }, span)) => {
                let pattern = pattern(ty, variant, fields.iter().map(|&i| &variant.fields[i]));
                let args = format_args(format, fields, variant, span);
                quote!(#pattern => ::tower_api_error::__private::write!(__formatter, #args),)
            }
        },
    });
    let matched = match_self(arms);
    quote! {
        #[automatically_derived]
        impl ::tower_api_error::__private::fmt::Display for #ty {
            fn fmt(
                &self,
                __formatter: &mut ::tower_api_error::__private::fmt::Formatter<'_>,
            ) -> ::tower_api_error::__private::fmt::Result {
                #matched
            }
        }
    }
}

fn error(input: &Enum<'_>) -> TokenStream {
    let ty = input.ident;
    let mut uses_sources = false;
    let arms: Vec<TokenStream> = input
        .variants
        .iter()
        .map(|variant| {
            let source = match &variant.kind {
                Kind::Transparent => Some((&variant.fields[0], true)),
                Kind::Coded(_) => variant.fields.iter().find(|f| f.source).map(|f| (f, false)),
            };
            match source {
                None => {
                    let pattern = pattern(ty, variant, []);
                    quote!(#pattern => ::tower_api_error::__private::None,)
                }
                Some((field, transparent)) => {
                    uses_sources = true;
                    let pattern = pattern(ty, variant, [field]);
                    let binding = &field.binding;
                    let dyn_error = quote_spanned!(field.ty.span()=> #binding.as_dyn_error());
                    if transparent {
                        quote! {
                            #pattern => ::tower_api_error::__private::Error::source(#dyn_error),
                        }
                    } else {
                        quote!(#pattern => ::tower_api_error::__private::Some(#dyn_error),)
                    }
                }
            }
        })
        .collect();
    let matched = match_self(arms);
    let use_trait = uses_sources.then(|| {
        quote!(
            use ::tower_api_error::__private::AsDynError as _;
        )
    });
    quote! {
        #[automatically_derived]
        impl ::tower_api_error::__private::Error for #ty {
            fn source(
                &self,
            ) -> ::tower_api_error::__private::Option<&(dyn ::tower_api_error::__private::Error + 'static)> {
                #use_trait
                #matched
            }
        }
    }
}

/// `match self { arms }`, or `match *self {}` for an enum without variants (`&Enum` is not an
/// empty type).
fn match_self(arms: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let arms: Vec<TokenStream> = arms.into_iter().collect();
    if arms.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#arms)* })
    }
}

fn error_codes(input: &Enum<'_>) -> TokenStream {
    let ty = input.ident;
    let mut seen: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for variant in &input.variants {
        let Kind::Coded(coded) = &variant.kind else {
            continue;
        };
        let code_value = coded.code.value();
        if seen.contains(&code_value) {
            // Same status: `Enum::check_codes` refused any other.
            continue;
        }
        seen.push(code_value.clone());
        let code = &coded.code;
        let status = status(coded);
        let description = match (&coded.docs, &coded.description) {
            (Some(docs), _) => quote!(#docs),
            (None, Some(template)) if !coded.masked() => {
                let lit = &template.lit;
                quote!(#lit)
            }
            // What the client gets: a masked 5xx, or a variant without a description.
            _ => quote!(::tower_api_error::code::status_description(#status)),
        };
        let title = coded
            .title
            .as_ref()
            .map(|title| quote!(.with_title(#title)));
        let docs: Vec<TokenStream> = variant
            .fields
            .iter()
            .filter_map(|field| {
                let member = field.member_attr.as_ref()?;
                let name = &member.name;
                let ty = field.ty;
                let public = member.public.then(|| quote!(.public()));
                Some(quote_spanned! {ty.span()=>
                    ::tower_api_error::member::MemberDoc::new(
                        #name,
                        <#ty as ::tower_api_error::member::MemberKind>::TYPE,
                    ) #public
                })
            })
            .collect();
        let members = (!docs.is_empty()).then(|| quote!(.with_members(&[#(#docs),*])));
        let translations = translations(coded, &description);
        let example = example(input, &code_value);
        entries.push(quote! {
            ::tower_api_error::code::Entry::new(#status, #code, #description) #title #members
                #translations #example
        });
    }
    quote! {
        #[automatically_derived]
        impl ::tower_api_error::catalogue::ErrorCodes for #ty {
            const CODES: &'static [::tower_api_error::code::Entry] = &[#(#entries),*];
        }
    }
}

/// `.with_translations(&[..])` for the `lang(..)`s of a code's first variant: each language's
/// `docs`; else, for a masked 5xx, what clients get: the status's default description in that
/// language; else its description as written; else the entry's own description (`description`),
/// as a language without a translation gets it, or, for a variant without any, the status's
/// default description in that language.
fn translations(coded: &Coded, description: &TokenStream) -> Option<TokenStream> {
    if coded.langs.is_empty() {
        return None;
    }
    let status = status(coded);
    let translations = coded.langs.iter().map(|lang| {
        let tag = &lang.tag;
        let text = match (&lang.docs, &lang.description) {
            (Some(docs), _) => quote!(#docs),
            (None, _) if coded.masked() => default_in(&status, tag),
            (None, Some(template)) => {
                let lit = &template.lit;
                quote!(#lit)
            }
            // A variant that describes itself in no language: what clients get in this one.
            (None, None) if coded.docs.is_none() && coded.description.is_none() => {
                default_in(&status, tag)
            }
            (None, None) => description.clone(),
        };
        let title = lang.title.as_ref().map(|title| quote!(.with_title(#title)));
        quote!(::tower_api_error::language::Translation::new(#tag, #text) #title)
    });
    Some(quote!(.with_translations(&[#(#translations),*])))
}

/// The status's default description in the language `tag`, in a `const`.
fn default_in(status: &TokenStream, tag: &syn::LitStr) -> TokenStream {
    quote!(::tower_api_error::__private::status_description_in(#status, #tag))
}

/// The example of the code `code`: that of its first variant with one (`example = <expr>`, or
/// the variant itself when it has no fields), or `.without_example()` when every variant of the
/// code has fields and no `example`, since its errors' texts are then filled per error.
fn example(input: &Enum<'_>, code: &str) -> TokenStream {
    let ty = input.ident;
    for variant in &input.variants {
        let Kind::Coded(coded) = &variant.kind else {
            continue;
        };
        if coded.code.value() != code {
            continue;
        }
        let built = match &coded.example {
            Some(expr) => quote_spanned!(expr.span()=> { let example: #ty = #expr; example }),
            None if variant.fields.is_empty() => {
                let ident = variant.ident;
                quote!(#ty::#ident {})
            }
            None => continue,
        };
        return quote! {
            .with_example(|| ::tower_api_error::__private::Into::<::tower_api_error::ApiError>::into(#built))
        };
    }
    quote!(.without_example())
}

/// With utoipa (the feature `utoipa`), `utoipa::IntoResponses`: one response per status of the
/// enum's codes, so that `#[utoipa::path(responses(TheEnum))]` documents them.
#[cfg(feature = "utoipa")]
fn into_responses(input: &Enum<'_>) -> TokenStream {
    let ty = input.ident;
    quote! {
        #[automatically_derived]
        impl ::tower_api_error::openapi::__utoipa::IntoResponses for #ty {
            fn responses() -> ::std::collections::BTreeMap<
                ::std::string::String,
                ::tower_api_error::openapi::__utoipa::openapi::RefOr<
                    ::tower_api_error::openapi::__utoipa::openapi::response::Response,
                >,
            > {
                ::tower_api_error::openapi::__utoipa_into_responses(
                    <Self as ::tower_api_error::catalogue::ErrorCodes>::CODES,
                )
            }
        }
    }
}

#[cfg(not(feature = "utoipa"))]
fn into_responses(_: &Enum<'_>) -> TokenStream {
    TokenStream::new()
}

fn from_fields(input: &Enum<'_>) -> TokenStream {
    let ty = input.ident;
    let impls = input.variants.iter().filter_map(|variant| {
        let field = variant.fields.iter().find(|f| f.from.is_some())?;
        let ident = variant.ident;
        let member = &field.member;
        let field_ty = field.ty;
        Some(quote! {
            #[automatically_derived]
            impl ::tower_api_error::__private::From<#field_ty> for #ty {
                fn from(source: #field_ty) -> Self {
                    #ty::#ident { #member: source }
                }
            }
        })
    });
    quote!(#(#impls)*)
}
