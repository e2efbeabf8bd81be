//! The same error contract with plain hyper and tower, no axum.
//!
//! ```text
//! cargo run --example hyper               # listens on 127.0.0.1:3001 (PORT overrides)
//! curl -i localhost:3001/hello
//! curl -i -H 'Accept: application/xml' localhost:3001/missing
//! curl -i localhost:3001/slow             # 504 from tower's TimeoutLayer, no HandleErrorLayer
//! curl -i localhost:3001/panic            # a masked 500; the server keeps serving
//! ```

use std::{
    convert::Infallible,
    net::{Ipv4Addr, SocketAddr},
    time::Duration,
};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto,
    service::TowerToHyperService,
};
use tower::{timeout::TimeoutLayer, util::BoxCloneSyncService, BoxError, ServiceBuilder};
use tower_api_error::{ApiError, ApiErrorLayer};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let port = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 3001,
    };
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let service = service();
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = tokio::signal::ctrl_c() => break,
        };
        let service = TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
    println!("shutting down");
    Ok(())
}

/// The whole stack: errors, then a timeout, then the handler. The timeout fails with a
/// `BoxError`, which the layer turns into `504 gateway_timeout`; the handler fails with
/// `ApiError`, which converts into `BoxError` on the way through the timeout and back.
pub fn service() -> BoxCloneSyncService<Request<Incoming>, Response<Full<Bytes>>, Infallible> {
    BoxCloneSyncService::new(
        ServiceBuilder::new()
            .layer(ApiErrorLayer::new().error_uri_base("https://docs.example.com/errors"))
            .layer(TimeoutLayer::new(Duration::from_millis(300)))
            .service_fn(handle),
    )
}

async fn handle(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, ApiError> {
    match req.uri().path() {
        "/hello" => Ok(Response::new(Full::from("hello\n"))),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok(Response::new(Full::from("too late\n")))
        }
        "/panic" => panic!("SECRET: the hyper example panicked on purpose"),
        path => Err(ApiError::not_found(format!("Nothing at {path}."))),
    }
}
