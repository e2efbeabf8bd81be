//! examples/hyper.rs over a real loopback socket: the same contract without axum.

use crate::support;

#[path = "../../examples/hyper.rs"]
#[allow(dead_code, unreachable_pub)]
mod example;

use bytes::Bytes;
use http::{header, Request, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper_util::{
    client::legacy::Client,
    rt::{TokioExecutor, TokioIo},
    server::conn::auto,
    service::TowerToHyperService,
};

#[tokio::test]
async fn hyper_stack_over_loopback() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let service = example::service();
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = TowerToHyperService::new(service.clone());
            tokio::spawn(async move {
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();

    for (path, accept, status, code) in [
        ("/missing", "application/xml", 404, Some("not_found")),
        ("/slow", "application/json", 504, Some("gateway_timeout")),
        (
            "/panic",
            "application/xml",
            500,
            Some("internal_server_error"),
        ),
        ("/hello", "text/html", 406, Some("not_acceptable")),
        ("/hello", "*/*", 200, None),
    ] {
        let request = Request::get(format!("http://{addr}{path}"))
            .header(header::ACCEPT, accept)
            .body(Empty::new())
            .unwrap();
        let response = client.request(request).await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{path}");
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        match code {
            Some(code) => {
                assert!(!String::from_utf8_lossy(&body).contains("SECRET"));
                assert_eq!(
                    support::parse(parts.status, &parts.headers, &body).error,
                    code,
                    "{path}"
                );
            }
            None => {
                assert_eq!(parts.status, StatusCode::OK);
                assert_eq!(body, "hello\n");
            }
        }
    }
}
