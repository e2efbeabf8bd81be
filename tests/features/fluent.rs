//! An application's Fluent translations (with fluent-templates) plugged into the layer through
//! `Translate`: the README's recipe, run. The texts are in `tests/features/locales/`.

use std::{borrow::Cow, collections::HashMap};

use bytes::Bytes;
use fluent_templates::{fluent_bundle::FluentValue, LanguageIdentifier, StaticLoader};
use http::{header, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{
    language::{LanguageTag, Languages, Translate},
    member::{MemberName, MemberValue},
    ApiError, ApiErrorLayer, FieldError,
};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./tests/features/locales",
        fallback_language: "en",
        // No Unicode isolation marks around placeholders: API texts are read by programs too.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The application's bridge: a code is a Fluent message id, the error's members its arguments,
/// a field error's code `field-<code>` with the field error's own message kept when Fluent has
/// none.
struct Fluent(&'static StaticLoader);

fn argument(value: &MemberValue) -> FluentValue<'static> {
    match value {
        MemberValue::String(text) => FluentValue::from(text.to_string()),
        MemberValue::Integer(n) => FluentValue::from(*n),
        other => FluentValue::from(format!("{other:?}")),
    }
}

impl Fluent {
    fn lookup(
        &self,
        lang: &LanguageTag,
        id: &str,
        args: &HashMap<Cow<'static, str>, FluentValue<'static>>,
    ) -> Option<Cow<'static, str>> {
        let lang: LanguageIdentifier = lang.as_str().parse().ok()?;
        // Only the language asked for: the layer falls back to the default language itself.
        self.0
            .lookup_no_default_fallback(&lang, id, Some(args))
            .map(Cow::Owned)
    }
}

impl Translate for Fluent {
    fn description<'a>(&'a self, lang: &LanguageTag, err: &'a ApiError) -> Option<Cow<'a, str>> {
        let args = err
            .members()
            .iter()
            .map(|m| (Cow::Owned(m.name().to_owned()), argument(m.value())))
            .collect();
        self.lookup(lang, err.code(), &args)
    }

    fn title<'a>(&'a self, lang: &LanguageTag, err: &'a ApiError) -> Option<Cow<'a, str>> {
        self.lookup(lang, &format!("{}-title", err.code()), &HashMap::new())
    }

    fn field_message<'a>(
        &'a self,
        lang: &LanguageTag,
        error: &'a FieldError,
    ) -> Option<Cow<'a, str>> {
        let args = HashMap::from([(Cow::Borrowed("max"), FluentValue::from(40))]);
        self.lookup(lang, &format!("field-{}", error.code()?), &args)
    }
}

fn archived() -> ApiError {
    ApiError::new(StatusCode::GONE, "item_archived", "Item 42 was archived.")
        .with_member(MemberName::from_static("id"), 42)
        .with_member(MemberName::from_static("day"), "2026-11-30")
        .with_field_errors([FieldError::new("name", "is too long").with_code("length")])
}

async fn answer(accept_language: &str) -> (http::HeaderMap, serde_json::Value) {
    let languages = Languages::new(LanguageTag::from_static("en"))
        .with(LanguageTag::from_static("pt-BR"))
        .translator(Fluent(&LOCALES));
    let service = ServiceBuilder::new()
        .layer(ApiErrorLayer::new().languages(languages))
        .service_fn(|_: Request<Full<Bytes>>| async {
            Err::<Response<Full<Bytes>>, _>(archived())
        });
    let request = Request::get("/items/42")
        .header(header::ACCEPT, "application/problem+json")
        .header(header::ACCEPT_LANGUAGE, accept_language)
        .body(Full::default())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (headers, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn fluent_messages_are_the_texts_of_the_chosen_language() {
    let (headers, body) = answer("pt-BR").await;
    assert_eq!(headers[header::CONTENT_LANGUAGE], "pt-BR");
    assert_eq!(body["detail"], "O item 42 foi arquivado em 2026-11-30.");
    assert_eq!(body["title"], "Item arquivado");
    assert_eq!(
        body["field_errors"][0]["message"],
        "deve ter no máximo 40 caracteres"
    );
    // Codes and data are never translated.
    assert_eq!(body["error"], "item_archived");
    assert_eq!(body["id"], 42);

    let (headers, body) = answer("en").await;
    assert_eq!(headers[header::CONTENT_LANGUAGE], "en");
    assert_eq!(body["detail"], "Item 42 was archived on 2026-11-30.");
    assert_eq!(
        body["field_errors"][0]["message"],
        "must have at most 40 characters"
    );
}
