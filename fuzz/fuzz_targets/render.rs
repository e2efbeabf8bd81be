//! Bytes → an arbitrary `ApiError` → rendered by `ApiErrorLayer` (JSON, XML or `text/xml`,
//! `GET` or `HEAD`) → parsed back with the crate's `testing` parser, and XML with roxmltree too.
//!
//! Checked: status, `Content-Type`, `Content-Length` equal to the body length (or to the `GET`
//! body length for `HEAD`, which has no body), the body parses, and gives back exactly the error's
//! text (after the documented replacement for XML); masked 5xx errors give the code's default
//! description and no field errors.

#![no_main]

#[path = "../../tests/support/error_body.rs"]
mod error_body;

use std::{
    convert::Infallible,
    future::Future,
    pin::pin,
    task::{Context, Poll, Waker},
};

use arbitrary::Arbitrary;
use bytes::Bytes;
use error_body::{parse, ParsedError};
use http::{
    header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE},
    Method, Request, Response, StatusCode,
};
use http_body_util::{BodyExt, Full};
use libfuzzer_sys::fuzz_target;
use tower::{ServiceBuilder, ServiceExt};
use tower_api_error::{testing::xml_visible, ApiError, ApiErrorLayer, Format};

#[derive(Debug, Clone, Arbitrary)]
struct Input {
    status: u16,
    code: String,
    description: String,
    uri: Option<String>,
    base: Option<String>,
    field_errors: Vec<(String, String)>,
    exposed: bool,
    format: u8,
}

impl Input {
    fn status(&self) -> StatusCode {
        StatusCode::from_u16(400 + self.status % 200).expect("4xx or 5xx")
    }

    fn to_error(&self) -> ApiError {
        let mut err = ApiError::new(self.status(), self.code.clone(), self.description.clone());
        if let Some(uri) = &self.uri {
            err = err.with_uri(uri.clone());
        }
        for (field, message) in &self.field_errors {
            err = err.with_field_error(field.clone(), message.clone());
        }
        if self.exposed {
            err = err.expose_description();
        }
        err
    }
}

/// Runs a future that never waits (the layer's and `Full`'s) to completion.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future waited"),
    }
}

fn render(input: &Input, method: Method, accept: &str) -> Response<Bytes> {
    let layer = match &input.base {
        Some(base) => ApiErrorLayer::new().error_uri_base(base.clone()),
        None => ApiErrorLayer::new(),
    };
    let owned = input.clone();
    let service = ServiceBuilder::new()
        .layer(layer)
        .service_fn(move |_: Request<Full<Bytes>>| {
            let err = owned.to_error();
            async move { Err::<Response<Full<Bytes>>, ApiError>(err) }
        });
    let request = Request::builder()
        .method(method)
        .header(ACCEPT, accept)
        .body(Full::default())
        .expect("a request");
    let response = now(service.oneshot(request)).unwrap_or_else(|e: Infallible| match e {});
    let (parts, body) = response.into_parts();
    let body = now(body.collect())
        .unwrap_or_else(|e: Infallible| match e {})
        .to_bytes();
    Response::from_parts(parts, body)
}

fuzz_target!(|input: Input| {
    let (accept, format) = match input.format % 3 {
        0 => ("application/json", Format::Json),
        1 => ("application/xml", Format::Xml),
        _ => ("text/xml", Format::TextXml),
    };
    let xml = format.is_xml();
    let content_type = format.content_type();
    let status = input.status();
    let response = render(&input, Method::GET, accept);
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()[CONTENT_TYPE], content_type);
    let length = response.headers()[CONTENT_LENGTH].to_str().unwrap();
    assert_eq!(length, response.body().len().to_string());

    let head = render(&input, Method::HEAD, accept);
    assert!(head.body().is_empty());
    assert_eq!(head.headers(), response.headers());

    // The crate's strict parser, and roxmltree too for XML.
    let parsed = parse(status, format, response.body())
        .unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(response.body())));

    let masked = status.is_server_error() && !input.exposed;
    let default_description = ApiError::new(status, input.code.clone(), "")
        .description()
        .to_owned();
    let expected = ParsedError {
        code: input.code.clone(),
        description: if masked || input.description.is_empty() {
            default_description
        } else {
            input.description.clone()
        },
        uri: input
            .uri
            .clone()
            .or_else(|| input.base.as_ref().map(|b| format!("{b}#{}", input.code))),
        field_errors: if masked {
            Vec::new()
        } else {
            input.field_errors.clone()
        },
        field_error_codes: if masked {
            Vec::new()
        } else {
            vec![None; input.field_errors.len()]
        },
        request_id: None,
    };
    let expected = if xml {
        ParsedError {
            code: xml_visible(&expected.code),
            description: xml_visible(&expected.description),
            uri: expected.uri.as_deref().map(xml_visible),
            field_errors: expected
                .field_errors
                .iter()
                .map(|(f, m)| (xml_visible(f), xml_visible(m)))
                .collect(),
            ..expected
        }
    } else {
        expected
    };
    assert_eq!(parsed, expected);
});
