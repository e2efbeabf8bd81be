//! The synchronous harness shared by the benches: every subject and baseline is driven by the
//! same code, so their differences are their own.
//!
//! Futures are polled once with a no-op waker instead of a runtime: the services under test
//! answer with ready futures and `Full` bodies, so one poll finishes them, and a future that is
//! still pending is a bug of the bench (it panics).

#![allow(dead_code)]

use std::{
    fmt::Debug,
    future::Future,
    pin::pin,
    task::{Context, Poll, Waker},
};

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body::Body;
use http_body_util::BodyExt;
use tower_service::Service;

/// Polls `future` once and returns its output.
pub(crate) fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the bench expects ready futures"),
    }
}

/// Collects a body that is ready at once.
pub(crate) fn collect<B>(body: B) -> Bytes
where
    B: Body,
    B::Error: Debug,
{
    now(body.collect()).expect("body").to_bytes()
}

/// Drives one request through `service` (readiness, call, response future, body) and returns the
/// status and the whole body.
pub(crate) fn oneshot<S, Req, B>(service: &mut S, request: Req) -> (StatusCode, Bytes)
where
    S: Service<Req, Response = Response<B>>,
    S::Error: Debug,
    B: Body,
    B::Error: Debug,
{
    let ready = service.poll_ready(&mut Context::from_waker(Waker::noop()));
    assert!(matches!(ready, Poll::Ready(Ok(()))), "service not ready");
    let response = now(service.call(request)).expect("response");
    let status = response.status();
    (status, collect(response.into_body()))
}
