//! Heap allocations on the hot paths, counted.
//!
//! This test binary installs a counting global allocator (it wraps `System`). Counting is on
//! only inside [`count`], and only for the thread that calls it: the counters are thread-local,
//! so the test harness's own threads and other tests running in parallel are never counted.
//!
//! It asserts that
//!
//! * a request that succeeds allocates exactly as often through `ApiErrorLayer` as through the
//!   bare service, for several `Accept` headers (the layer adds no allocation), with or without
//!   a second language and an `Accept-Language`, and
//! * `negotiate` and `negotiate_language_values` never allocate, whatever the header.
//!
//! No timing is asserted here; speed is measured by the benches.

// A `GlobalAlloc` is an unsafe trait: the wrapper below is the only unsafe code of the package
// and just forwards to `System`.
#![allow(unsafe_code)]

mod support;

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    future::{ready, Future, Ready},
    pin::pin,
    task::{Context, Poll, Waker},
};

use bytes::Bytes;
use http::{header::ACCEPT, HeaderMap, HeaderValue, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use support::clients::{AXIOS, CHROMIUM, FIREFOX, JAVA};
use tower::{service_fn, Layer, Service};
use tower_api_error::{negotiate::negotiate, ApiError, ApiErrorLayer, Format};
use tracing_subscriber::util::SubscriberInitExt;

struct Counting;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: the allocator may run while this thread's locals are being torn down.
    let _ = ON.try_with(|on| {
        if on.get() {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments; counting touches only
// const-initialized thread-locals without destructors, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result and the number of allocations (and reallocations) it made on
/// this thread. Dropping the result happens outside the count.
fn count<R>(f: impl FnOnce() -> R) -> (R, u64) {
    ALLOCATIONS.with(|n| n.set(0));
    ON.with(|on| on.set(true));
    let result = f();
    ON.with(|on| on.set(false));
    (result, ALLOCATIONS.with(Cell::get))
}

/// `Accept` headers of real clients; `None` is no header.
const SUCCESS_ACCEPTS: &[Option<&str>] = &[
    Some(CHROMIUM),
    None,
    Some("*/*"),
    Some(FIREFOX),
    Some(JAVA),
    Some(AXIOS),
    Some("application/json"),
    Some("application/xml"),
    Some("text/xml"),
];

/// Polls a future that is ready at once.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("expected a ready future"),
    }
}

/// One request through `service`: readiness, call, response, whole body.
fn oneshot<S, B>(service: &mut S, request: Request<Full<Bytes>>) -> (StatusCode, Bytes)
where
    S: Service<Request<Full<Bytes>>, Response = Response<B>>,
    S::Error: std::fmt::Debug,
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let ready = service.poll_ready(&mut Context::from_waker(Waker::noop()));
    assert!(matches!(ready, Poll::Ready(Ok(()))));
    let response = now(service.call(request)).expect("response");
    let status = response.status();
    let body = now(response.into_body().collect()).expect("body");
    (status, body.to_bytes())
}

/// Sends `make()`'s request to the bare service and through `layered`, once each uncounted (for
/// one-time initialisation) and once counted, and asserts that both succeed with the same
/// answer and the same number of allocations.
fn assert_allocates_as_bare<S, B>(
    layered: &mut S,
    make: impl Fn() -> Request<Full<Bytes>>,
    what: impl std::fmt::Debug,
) where
    S: Service<Request<Full<Bytes>>, Response = Response<B>>,
    S::Error: std::fmt::Debug,
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    let mut bare = service_fn(item);
    oneshot(&mut bare, make());
    oneshot(layered, make());
    let (bare_request, layered_request) = (make(), make());
    let (bare_answer, bare_allocations) = count(|| oneshot(&mut bare, bare_request));
    let (layered_answer, layered_allocations) = count(|| oneshot(layered, layered_request));
    assert_eq!(bare_answer.0, StatusCode::OK, "{what:?}");
    assert_eq!(layered_answer, bare_answer, "{what:?}");
    assert_eq!(
        layered_allocations, bare_allocations,
        "allocations through the layer vs. the bare service, {what:?}"
    );
}

fn request(accept: Option<&str>) -> Request<Full<Bytes>> {
    // Parsed from a `&str`, so the `Uri` owns its bytes: copying it would allocate.
    let uri = Uri::try_from("/items/1").expect("a URI");
    request_to(uri, accept)
}

fn request_to(uri: Uri, accept: Option<&str>) -> Request<Full<Bytes>> {
    let mut request = Request::get(uri).body(Full::default()).expect("a request");
    if let Some(accept) = accept {
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_str(accept).expect("a header"));
    }
    request
}

fn item(_: Request<Full<Bytes>>) -> Ready<Result<Response<Full<Bytes>>, ApiError>> {
    ready(Ok(Response::new(Full::new(Bytes::from_static(b"an item")))))
}

#[test]
fn the_counter_counts() {
    let (boxed, allocations) = count(|| std::hint::black_box(Box::new(7_u64)));
    assert_eq!(*boxed, 7);
    assert_eq!(allocations, 1);
    let ((), allocations) = count(|| ());
    assert_eq!(allocations, 0);
}

#[test]
fn the_success_path_allocates_nothing_more_than_the_bare_service() {
    success_path_allocations();
}

/// The same with a `tracing` subscriber installed (on this thread), as in a real server: the
/// layer must not pay for its error logs on requests that succeed. It keeps the method and path
/// of every request for them: a path of up to 62 bytes is copied in place, a longer one shares
/// the request's buffer, as a server like hyper makes it.
#[test]
fn the_success_path_allocates_nothing_more_with_a_subscriber() {
    let _subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
        .set_default();
    success_path_allocations();

    // Paths from a request head read into a shared buffer, as hyper reads them.
    let head = Bytes::from(format!("/{}/{}", "a".repeat(61), "b".repeat(80)).into_bytes());
    let _shared = head.clone();
    let mut layered = ApiErrorLayer::new().layer(service_fn(item));
    for path in [head.slice(..62), head.slice(..63), head] {
        let uri = || Uri::from_maybe_shared(path.clone()).expect("a path");
        let what = format!("path of {} bytes", path.len());
        assert_allocates_as_bare(&mut layered, || request_to(uri(), None), what);
    }
}

fn success_path_allocations() {
    // As configured in the demo server: the base URI is shared, not copied, per request.
    let mut layered = ApiErrorLayer::new()
        .error_uri_base("https://docs.example.com/errors")
        .layer(service_fn(item));
    for &accept in SUCCESS_ACCEPTS {
        let what = format!("Accept: {accept:?}");
        assert_allocates_as_bare(&mut layered, || request(accept), what);
    }
}

/// A request id costs no allocation on success: it is copied in place, not shared. The id is
/// made as tower-http's `SetRequestIdLayer` makes it, from a `String`, whose bytes a shared
/// copy would have to move to the heap.
#[test]
fn a_request_id_allocates_nothing_on_success() {
    let mut layered = ApiErrorLayer::new().layer(service_fn(item));
    let with_id = || {
        let mut request = request(Some("application/json"));
        let id = String::from("0f9c2a7e-1d2b-4c3e-9f00-1234567890ab");
        let id = HeaderValue::from_str(&id).expect("an id");
        request.headers_mut().insert("x-request-id", id);
        request
    };
    assert_allocates_as_bare(&mut layered, with_id, "x-request-id");
}

/// An application with two languages keeps the request's `Accept-Language` for its errors, and
/// reads it only when one is rendered: a success allocates nothing more than the bare service.
/// A value of up to 46 bytes is copied in place; a longer one shares the request's buffer, as
/// a server like hyper makes it.
#[test]
fn a_second_language_allocates_nothing_on_success() {
    use tower_api_error::language::{LanguageTag, Languages};
    let languages =
        Languages::new(LanguageTag::from_static("en")).with(LanguageTag::from_static("pt-BR"));
    let mut layered = ApiErrorLayer::new()
        .languages(languages)
        .layer(service_fn(item));
    let head =
        Bytes::from(format!("pt-BR,pt;q=0.9,{}en;q=0.1", "fr;q=0.5,".repeat(20)).into_bytes());
    let _shared = head.clone();
    // Each request gets a value of its own: one made from a `String`, as a client library
    // makes it, owns bytes that a first clone would move to the heap.
    let values: [&dyn Fn() -> Option<HeaderValue>; 4] = [
        &|| None,
        &|| HeaderValue::from_str("pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7").ok(),
        &|| HeaderValue::from_str(&"pt-BR,".repeat(8)[..46]).ok(),
        &|| HeaderValue::from_maybe_shared(head.clone()).ok(),
    ];
    for value in values {
        let with = || {
            let mut request = request(Some("application/json"));
            if let Some(value) = value() {
                request
                    .headers_mut()
                    .insert(http::header::ACCEPT_LANGUAGE, value);
            }
            request
        };
        assert_allocates_as_bare(&mut layered, with, value());
    }
}

#[test]
fn language_negotiation_never_allocates() {
    use tower_api_error::negotiate::negotiate_language_values;
    let available = ["en", "pt-BR"];
    let long = format!("{}pt-PT;q=0.1", "xx-YY;q=0.5, ".repeat(500));
    let values: [&[u8]; 5] = [
        b"pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
        b"",
        b";;,,q=abc, *;q=0",
        b"fr;x=\"a, pt\", pt-PT;q=0.2",
        long.as_bytes(),
    ];
    for value in values {
        let (chosen, allocations) = count(|| negotiate_language_values([value], &available));
        assert!(chosen.is_none_or(|i| i < available.len()));
        assert_eq!(allocations, 0, "{:?}", String::from_utf8_lossy(value));
    }
}

#[test]
fn negotiation_never_allocates() {
    let mut many = "text/html;q=0.9, application/vnd.x+json;q=0.5, ".repeat(50);
    many.push_str("application/xml;q=0.7");
    let headers: Vec<Vec<&[u8]>> = vec![
        vec![CHROMIUM.as_bytes()],
        vec![],
        vec![b"*/*"],
        vec![FIREFOX.as_bytes()],
        vec![JAVA.as_bytes()],
        vec![AXIOS.as_bytes()],
        vec![many.as_bytes()],
        vec![b"text/html", b"application/xml;q=0.5"],
        // Malformed, in several ways at once, and not UTF-8.
        vec![b"application /json;q=2, */json, application/xml;p=\"a\\\"b, text/\xff\xfe;q=abc"],
        vec![b",,;;==\"\"\"", b"   "],
    ];
    for values in headers {
        let mut map = HeaderMap::new();
        for value in &values {
            map.append(ACCEPT, HeaderValue::from_bytes(value).expect("a header"));
        }
        for preferred in [Format::Json, Format::Xml] {
            let (_, allocations) = count(|| negotiate(&map, preferred));
            assert_eq!(allocations, 0, "Accept: {values:?}");
        }
    }
}

/// In an axum `Router`, with a subscriber: `Router::layer(ApiErrorLayer::new())` allocates
/// exactly as often as a pass-through layer on a success, since the layer's responses keep
/// axum's `Body`, which axum does not box again. (With `wrap_body`, axum boxes the layer's
/// `ResponseBody<Body>`: one allocation more per request.)
#[test]
fn an_axum_success_allocates_as_through_a_pass_through_layer() {
    use axum::{routing::get, Json, Router};
    use tower::util::MapResponseLayer;

    async fn get_item() -> Json<u64> {
        Json(7)
    }

    let _subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .set_default();
    let router = Router::new().route("/items/{id}", get(get_item));
    let mut passthrough = router
        .clone()
        .layer(MapResponseLayer::new(
            std::convert::identity::<axum::response::Response>,
        ))
        .with_state(());
    let mut layered = router.layer(ApiErrorLayer::new()).with_state(());
    for &accept in SUCCESS_ACCEPTS {
        oneshot(&mut passthrough, request(accept));
        oneshot(&mut layered, request(accept));
        let (passthrough_request, layered_request) = (request(accept), request(accept));
        let (passthrough_answer, passthrough_allocations) =
            count(|| oneshot(&mut passthrough, passthrough_request));
        let (layered_answer, layered_allocations) =
            count(|| oneshot(&mut layered, layered_request));
        assert_eq!(passthrough_answer, layered_answer, "Accept: {accept:?}");
        assert_eq!(layered_answer.0, StatusCode::OK, "Accept: {accept:?}");
        assert_eq!(
            layered_allocations, passthrough_allocations,
            "allocations through the layer vs. a pass-through layer, Accept: {accept:?}"
        );
    }
}
