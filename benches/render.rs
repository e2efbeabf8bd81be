//! Error responses: building a `404` with a JSON or XML body, against the crates people use for
//! the same job.
//!
//! Rendering is crate-private, so it is measured through the public API, in two ways. In both,
//! the error value is built inside the timed region (a handler builds one per failure, and the
//! crates differ in what that costs) and the body is collected, so the work is really done.
//!
//! * `into_response/*`: a handler's error turned into an axum `Response`, body collected.
//!   * `tower_api_error/json`: `ApiError::not_found(..).into_response()` (feature `axum`; JSON,
//!     plus the error kept in the response's extensions for the layer).
//!   * `axum_json/json`: `(StatusCode::NOT_FOUND, Json(ErrorBody { .. })).into_response()` with a
//!     `#[derive(Serialize)]` struct of the same two members.
//!   * `problem_details/json` and `problem_details/xml`: `ProblemDetails::from_status_code(..)
//!     .with_detail(..)`, turned into a response the way the crate's `axum` feature does it
//!     (status, its `Content-Type`, and `Json(..)` or `XmlProblemDetails::to_body_string`); that
//!     feature is not enabled in our dev-dependencies, so the few lines are written out here.
//!   * `http_api_problem/json`: `HttpApiProblem::with_title(..).detail(..)`, `json_bytes()`,
//!     status and `Content-Type`, likewise (its `axum` feature is not enabled either).
//! * `service/*`: the same errors answered by a `tower::Service` driven by the synchronous harness
//!   of `benches/middleware.rs` (request built outside the timed region). `tower_api_error` is
//!   `ApiErrorLayer` over an inner service that fails with `ApiError::not_found(..)`, `Accept`
//!   asking for JSON or XML: this is the only public way to get our XML body, and it includes
//!   content negotiation, which the baselines do not do. `tower_api_error_problem` is the same with
//!   `ProblemDetails::Always`: the RFC 9457 shape after the same negotiation, so its ratio to
//!   `tower_api_error` is the problem shape's cost over the seed shape's. The baselines are a bare inner service
//!   that answers with the response built as in `into_response/*`.
//!
//! The bodies carry the same information (code or title, description, status where the format
//! has it); none has an `error_uri`/`type`.
//!
//! ```text
//! cargo bench --bench render -- --warm-up-time 1 --measurement-time 3
//! ```

mod support;

use std::future::{ready, Ready};

use axum::{
    response::{IntoResponse, Response as AxumResponse},
    Json,
};
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use http::{header, header::ACCEPT, HeaderValue, Request, StatusCode};
use http_api_problem::HttpApiProblem;
use http_body_util::Full;
use problem_details::{ProblemDetails, XmlProblemDetails};
use serde::Serialize;
use tower::{service_fn, Layer};
use tower_api_error::{ApiError, ApiErrorLayer, ProblemDetails as ProblemDetailsShape};

const DESCRIPTION: &str = "No item with id 42.";

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    error_description: &'static str,
}

fn ours_json() -> AxumResponse {
    ApiError::not_found(DESCRIPTION).into_response()
}

fn axum_json() -> AxumResponse {
    (
        StatusCode::NOT_FOUND,
        Json(ErrorBody {
            error: "not_found",
            error_description: DESCRIPTION,
        }),
    )
        .into_response()
}

fn problem_details() -> ProblemDetails {
    ProblemDetails::from_status_code(StatusCode::NOT_FOUND).with_detail(DESCRIPTION)
}

fn problem_details_json() -> AxumResponse {
    let problem = problem_details();
    let status = problem.status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Json(problem),
    )
        .into_response()
}

fn problem_details_xml() -> AxumResponse {
    let problem = XmlProblemDetails::from(problem_details());
    let Ok(body) = problem.to_body_string() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, XmlProblemDetails::<()>::CONTENT_TYPE)],
        body,
    )
        .into_response()
}

fn http_api_problem_json() -> AxumResponse {
    let problem = HttpApiProblem::with_title(StatusCode::NOT_FOUND).detail(DESCRIPTION);
    let status = problem.status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        problem.json_bytes(),
    )
        .into_response()
}

/// Builds one error response.
type Make = fn() -> AxumResponse;

/// A response and its whole body.
fn finish(response: AxumResponse) -> (StatusCode, Bytes) {
    (response.status(), support::collect(response.into_body()))
}

fn bench_into_response(c: &mut Criterion) {
    let mut group = c.benchmark_group("into_response");
    let cases: [(&str, &str, Make); 5] = [
        ("tower_api_error", "json", ours_json),
        ("axum_json", "json", axum_json),
        ("problem_details", "json", problem_details_json),
        ("http_api_problem", "json", http_api_problem_json),
        ("problem_details", "xml", problem_details_xml),
    ];
    for (subject, format, make) in cases {
        let (status, body) = finish(make());
        assert_eq!(status, StatusCode::NOT_FOUND, "{subject}");
        assert!(
            body.windows(DESCRIPTION.len())
                .any(|w| w == DESCRIPTION.as_bytes()),
            "{subject}: {body:?}"
        );
        group.bench_function(BenchmarkId::new(subject, format), |b| {
            b.iter(|| finish(make()));
        });
    }
    group.finish();
}

type Req = Request<Full<Bytes>>;

fn request(accept: &'static str) -> Req {
    let mut request = Request::get("/items/42")
        .body(Full::default())
        .expect("a request");
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static(accept));
    request
}

fn failure(_: Req) -> Ready<Result<http::Response<Full<Bytes>>, ApiError>> {
    ready(Err(ApiError::not_found(DESCRIPTION)))
}

fn bench_service(c: &mut Criterion) {
    let mut group = c.benchmark_group("service");

    // The seed shape and the problem details shape, the same negotiation in front of both.
    for (subject, shape) in [
        ("tower_api_error", ProblemDetailsShape::Never),
        ("tower_api_error_problem", ProblemDetailsShape::Always),
    ] {
        for (format, accept) in [("json", "application/json"), ("xml", "application/xml")] {
            let mut ours = ApiErrorLayer::new()
                .problem_details(shape)
                .layer(service_fn(failure));
            let (status, body) = support::oneshot(&mut ours, request(accept));
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert!(body
                .windows(DESCRIPTION.len())
                .any(|w| w == DESCRIPTION.as_bytes()));
            group.bench_function(BenchmarkId::new(subject, format), |b| {
                b.iter_batched(
                    || request(accept),
                    |req| support::oneshot(&mut ours, req),
                    BatchSize::SmallInput,
                );
            });
        }
    }

    let baselines: [(&str, &str, &'static str, Make); 4] = [
        ("axum_json", "json", "application/json", axum_json),
        (
            "problem_details",
            "json",
            "application/json",
            problem_details_json,
        ),
        (
            "http_api_problem",
            "json",
            "application/json",
            http_api_problem_json,
        ),
        (
            "problem_details",
            "xml",
            "application/xml",
            problem_details_xml,
        ),
    ];
    for (subject, format, accept, make) in baselines {
        let mut bare = service_fn(move |_: Req| ready(Ok::<_, ApiError>(make())));
        let (status, _) = support::oneshot(&mut bare, request(accept));
        assert_eq!(status, StatusCode::NOT_FOUND);
        group.bench_function(BenchmarkId::new(subject, format), |b| {
            b.iter_batched(
                || request(accept),
                |req| support::oneshot(&mut bare, req),
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench_into_response, bench_service);
criterion_main!(benches);
