//! Load and soak driver for the demo server (`examples/server.rs`), on loopback only.
//!
//! ```text
//! cargo build --release --example server && cargo run --release --example soak
//! cargo run --release --example soak -- --secs 600 --clients 64
//! ```
//!
//! It starts the release server binary with `PORT` set to a free port, drives it with concurrent
//! clients for a fixed time with a mix of successes, every `/errors/{code}` route, `406`s,
//! `/panic`, and malformed `Accept` headers, and checks that
//!
//! * no request fails in transport (connection errors, hangs past the request timeout),
//! * every status (and, for rendered errors, `Content-Type`) is the one expected for its route,
//!   every `Content-Length` matches its body, and no 5xx body contains `SECRET`,
//! * the server's resident memory (`VmRSS` of `/proc/<pid>/status`) at the end is at most 10%
//!   above its value after the warm-up.
//!
//! It prints totals (requests, failures, counts per status, requests per second, RSS after the
//! warm-up and at the end), exits non-zero on any failure, and always kills the server.
//!
//! Settings, as flags or environment variables:
//!
//! | flag | variable | default |
//! |---|---|---|
//! | `--server PATH` | `SOAK_SERVER` | `server` next to this binary, else `$CARGO_TARGET_DIR/release/examples/server`, else `target/release/examples/server` |
//! | `--secs N` | `SOAK_SECS` | 60 |
//! | `--clients N` | `SOAK_CLIENTS` | 32 |
//! | `--warmup N` | `SOAK_WARMUP_SECS` | 5 |

use std::{
    collections::BTreeMap,
    net::{Ipv4Addr, SocketAddr, TcpListener},
    path::PathBuf,
    process::{Child, Command, ExitCode, Stdio},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use bytes::Bytes;
use http::{header, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::{
    client::legacy::{connect::HttpConnector, Client},
    rt::{TokioExecutor, TokioTimer},
};

/// Longest a single request may take before it counts as a transport failure (a hang).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest the server may take to start listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(15);
/// Most failure messages printed.
const SHOWN_FAILURES: usize = 20;
/// Allowed growth of the resident memory between the warm-up and the end.
const RSS_TOLERANCE: f64 = 0.10;

const JSON: &str = "application/json";
const XML: &str = "application/xml; charset=utf-8";
const TEXT_XML: &str = "text/xml; charset=utf-8";

struct Settings {
    server: PathBuf,
    secs: u64,
    clients: usize,
    warmup: u64,
}

impl Settings {
    fn from_env_and_args() -> Result<Self, String> {
        let mut server = std::env::var_os("SOAK_SERVER").map(PathBuf::from);
        let number = |name: &str, default: u64| -> Result<u64, String> {
            match std::env::var(name) {
                Ok(v) => v
                    .parse()
                    .map_err(|_| format!("{name}={v:?} is not a number")),
                Err(_) => Ok(default),
            }
        };
        let mut secs = number("SOAK_SECS", 60)?;
        let mut clients = number("SOAK_CLIENTS", 32)?;
        let mut warmup = number("SOAK_WARMUP_SECS", 5)?;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--server" => server = Some(PathBuf::from(value()?)),
                "--secs" => secs = value()?.parse().map_err(|e| format!("--secs: {e}"))?,
                "--clients" => clients = value()?.parse().map_err(|e| format!("--clients: {e}"))?,
                "--warmup" => warmup = value()?.parse().map_err(|e| format!("--warmup: {e}"))?,
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if clients == 0 || secs == 0 {
            return Err("--secs and --clients must be at least 1".to_owned());
        }
        if warmup >= secs {
            return Err("--warmup must be shorter than --secs".to_owned());
        }
        Ok(Self {
            server: server.unwrap_or_else(default_server_path),
            secs,
            clients: usize::try_from(clients).map_err(|e| e.to_string())?,
            warmup,
        })
    }
}

/// The release server binary: next to this one (both are `examples/` of the same profile), or
/// under `CARGO_TARGET_DIR`, or under `target/`.
fn default_server_path() -> PathBuf {
    let sibling = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("server")));
    if let Some(path) = sibling.filter(|p| p.is_file()) {
        return path;
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| "target".into(), PathBuf::from);
    target.join("release").join("examples").join("server")
}

/// Kills the server when dropped, whatever happened.
struct ServerGuard(Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Resident memory of a process in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a request of the mix expects.
#[derive(Clone)]
struct Expect {
    status: StatusCode,
    /// For rendered errors: the negotiated `Content-Type`.
    content_type: Option<&'static str>,
}

/// One request of the mix: method, path, headers, body, and what it expects.
#[derive(Clone)]
struct Case {
    name: String,
    method: Method,
    path: String,
    headers: Vec<(header::HeaderName, HeaderValue)>,
    body: Bytes,
    expect: Expect,
}

fn case(
    name: &str,
    method: Method,
    path: &str,
    status: u16,
    content_type: Option<&'static str>,
) -> Case {
    Case {
        name: name.to_owned(),
        method,
        path: path.to_owned(),
        headers: Vec::new(),
        body: Bytes::new(),
        expect: Expect {
            status: StatusCode::from_u16(status).expect("a valid status"),
            content_type,
        },
    }
}

impl Case {
    fn header(mut self, name: header::HeaderName, value: &[u8]) -> Self {
        self.headers.push((
            name,
            HeaderValue::from_bytes(value).expect("a valid header value"),
        ));
        self
    }

    fn body(mut self, content_type: &'static str, body: &'static str) -> Self {
        self.headers
            .push((header::CONTENT_TYPE, HeaderValue::from_static(content_type)));
        self.body = Bytes::from_static(body.as_bytes());
        self
    }
}

/// Every `/errors/{code}` route of the demo server with its status.
const ERROR_ROUTES: &[(&str, u16)] = &[
    ("invalid_parameter", 400),
    ("invalid_value_parameter", 400),
    ("invalid_value_headers", 400),
    ("unauthorized", 401),
    ("token_expired", 401),
    ("invalid_token", 401),
    ("payment_required", 402),
    ("unauthorized_client", 403),
    ("not_found", 404),
    ("method_not_allowed", 405),
    ("not_acceptable", 406),
    ("precondition_failed", 412),
    ("unprocessable_entity", 422),
    ("too_many_requests", 429),
    ("internal_server_error", 500),
    ("bad_gateway", 502),
    ("service_unavailable", 503),
    ("no_such_code", 404),
];

fn mix(with_panic: bool) -> Vec<Case> {
    use Method as M;
    let mut cases = vec![
        case("GET /items/1", M::GET, "/items/1", 200, None),
        case("GET /items/2 (XML)", M::GET, "/items/2", 200, None)
            .header(header::ACCEPT, b"application/xml"),
        case("GET /items/42", M::GET, "/items/42", 404, Some(JSON)),
        case("GET /items/abc", M::GET, "/items/abc", 400, Some(JSON)),
        case("HEAD /items/42", M::HEAD, "/items/42", 404, Some(XML))
            .header(header::ACCEPT, b"application/xml"),
        case("POST /items (JSON)", M::POST, "/items", 201, None)
            .body("application/json", r#"{"name":"kiwi"}"#),
        case("POST /items (XML)", M::POST, "/items", 201, None)
            .body("application/xml", "<item><name>kiwi</name></item>"),
        case(
            "POST /items (empty name)",
            M::POST,
            "/items",
            422,
            Some(XML),
        )
        .header(header::ACCEPT, b"text/xml;q=0.5, application/xml")
        .body("application/json", r#"{"name":" "}"#),
        case(
            "POST /items (text/plain)",
            M::POST,
            "/items",
            415,
            Some(JSON),
        )
        .body("text/plain", "kiwi"),
        case("GET /items/1 (406)", M::GET, "/items/1", 406, Some(JSON))
            .header(header::ACCEPT, b"text/html"),
        case(
            "GET /errors/x (406)",
            M::GET,
            "/errors/bad_gateway",
            406,
            Some(JSON),
        )
        .header(header::ACCEPT, b"image/png, text/*"),
        // Malformed `Accept` headers.
        case("non-UTF-8 Accept", M::GET, "/items/42", 404, Some(XML)).header(
            header::ACCEPT,
            b"appl\xffication/json, application/xml;q=0.5",
        ),
        case("garbage Accept", M::GET, "/items/42", 404, Some(JSON))
            .header(header::ACCEPT, b"\x80\x81;;;==,,\"\\"),
        case("open quote Accept", M::GET, "/items/42", 404, Some(JSON))
            .header(header::ACCEPT, b"application/xml;p=\"a,b, application/xml"),
        case("20-digit q", M::GET, "/items/42", 404, Some(TEXT_XML)).header(
            header::ACCEPT,
            b"application/json;q=0.10000000000000000000, text/xml;q=0.12345678901234567890",
        ),
        case("4 KB Accept", M::GET, "/items/42", 404, Some(XML)).header(
            header::ACCEPT,
            [
                "text/html;q=0.9, ".repeat(250).as_str(),
                "application/xml;q=0.1",
            ]
            .concat()
            .as_bytes(),
        ),
    ];
    let mut lines = case("40 Accept lines", M::GET, "/items/42", 404, Some(XML));
    for i in 0..39 {
        lines = lines.header(header::ACCEPT, format!("text/html;level={i}").as_bytes());
    }
    cases.push(lines.header(header::ACCEPT, b"application/xml;q=0.3"));
    for (code, status) in ERROR_ROUTES {
        let path = format!("/errors/{code}");
        cases.push(case(
            &format!("GET {path}"),
            M::GET,
            &path,
            *status,
            Some(JSON),
        ));
        cases.push(
            case(
                &format!("GET {path} (XML)"),
                M::GET,
                &path,
                *status,
                Some(XML),
            )
            .header(header::ACCEPT, b"application/xml"),
        );
    }
    if with_panic {
        cases.push(case("GET /panic", M::GET, "/panic", 500, Some(JSON)));
        cases.push(
            case("GET /panic (XML)", M::GET, "/panic", 500, Some(XML))
                .header(header::ACCEPT, b"application/xml"),
        );
    }
    cases
}

#[derive(Default)]
struct Totals {
    requests: u64,
    transport_failures: u64,
    unexpected: u64,
    per_status: BTreeMap<u16, u64>,
    messages: Vec<String>,
}

impl Totals {
    fn fail(&mut self, message: String) {
        if self.messages.len() < SHOWN_FAILURES {
            self.messages.push(message);
        }
    }

    fn merge(&mut self, other: Totals) {
        self.requests += other.requests;
        self.transport_failures += other.transport_failures;
        self.unexpected += other.unexpected;
        for (status, count) in other.per_status {
            *self.per_status.entry(status).or_default() += count;
        }
        for message in other.messages {
            self.fail(message);
        }
    }
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Sends one request; `Err` is a transport failure, `Ok(Err)` an unexpected answer.
async fn run_case(
    client: &HttpClient,
    addr: SocketAddr,
    case: &Case,
) -> Result<(StatusCode, Result<(), String>), String> {
    let mut request = Request::builder()
        .method(case.method.clone())
        .uri(format!("http://{addr}{}", case.path));
    for (name, value) in &case.headers {
        request = request.header(name, value);
    }
    let request = request
        .body(Full::new(case.body.clone()))
        .map_err(|e| format!("building the request: {e}"))?;
    let exchange = async {
        let response = client
            .request(request)
            .await
            .map_err(|e| format!("{e:?}"))?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| format!("reading the body: {e}"))?
            .to_bytes();
        Ok::<_, String>((parts, body))
    };
    let (parts, body) = tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .map_err(|_| format!("no answer within {REQUEST_TIMEOUT:?}"))??;
    Ok((parts.status, check(case, &parts, &body)))
}

fn check(case: &Case, parts: &http::response::Parts, body: &[u8]) -> Result<(), String> {
    let expect = &case.expect;
    if parts.status != expect.status {
        return Err(format!(
            "status {} instead of {}",
            parts.status, expect.status
        ));
    }
    if let Some(length) = parts.headers.get(header::CONTENT_LENGTH) {
        let length: usize = length
            .to_str()
            .ok()
            .and_then(|l| l.parse().ok())
            .ok_or("Content-Length is not a number")?;
        if case.method == Method::HEAD {
            if !body.is_empty() {
                return Err(format!("HEAD answered with {} body bytes", body.len()));
            }
        } else if length != body.len() {
            return Err(format!("Content-Length {length} for {} bytes", body.len()));
        }
    }
    if let Some(content_type) = expect.content_type {
        let got = parts.headers.get(header::CONTENT_TYPE);
        if got.is_none_or(|v| v != content_type) {
            return Err(format!("Content-Type {got:?} instead of {content_type}"));
        }
    }
    if parts.status.is_server_error() && body.windows(6).any(|w| w == b"SECRET") {
        return Err("a 5xx body contains SECRET".to_owned());
    }
    Ok(())
}

/// One client: sends requests of the mix (starting at its own offset) until `stop`.
async fn client_loop(
    client: HttpClient,
    addr: SocketAddr,
    cases: Arc<Vec<Case>>,
    offset: usize,
    stop: Arc<AtomicBool>,
) -> Totals {
    let mut totals = Totals::default();
    let mut i = offset;
    while !stop.load(Ordering::Relaxed) {
        let case = &cases[i % cases.len()];
        i += 7; // coprime with nothing in particular: spreads the clients over the mix
        totals.requests += 1;
        match run_case(&client, addr, case).await {
            Ok((status, result)) => {
                *totals.per_status.entry(status.as_u16()).or_default() += 1;
                if let Err(message) = result {
                    totals.unexpected += 1;
                    totals.fail(format!("{}: {message}", case.name));
                }
            }
            Err(message) => {
                totals.transport_failures += 1;
                totals.fail(format!("{}: transport: {message}", case.name));
            }
        }
    }
    totals
}

async fn wait_until_listening(addr: SocketAddr, server: &mut Child) -> Result<(), String> {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Ok(Some(status)) = server.try_wait() {
            return Err(format!("the server exited at startup: {status}"));
        }
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the server did not listen on {addr} within {STARTUP_TIMEOUT:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn soak(
    settings: &Settings,
    server: &mut ServerGuard,
    addr: SocketAddr,
) -> Result<bool, String> {
    let pid = server.0.id();
    wait_until_listening(addr, &mut server.0).await?;

    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .pool_max_idle_per_host(settings.clients)
        .build_http();

    // `/panic` is in the mix if the server has the route.
    let probe = case("probe /panic", Method::GET, "/panic", 500, Some(JSON));
    let with_panic = match run_case(&client, addr, &probe).await? {
        (StatusCode::INTERNAL_SERVER_ERROR, _) => true,
        (status, _) => {
            println!("note: GET /panic answered {status}; left out of the mix");
            false
        }
    };
    let cases = Arc::new(mix(with_panic));
    println!(
        "soak: {} clients for {} s ({} s warm-up) against {} (pid {pid}) on {addr}, {} request kinds",
        settings.clients,
        settings.secs,
        settings.warmup,
        settings.server.display(),
        cases.len()
    );

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let tasks: Vec<_> = (0..settings.clients)
        .map(|n| {
            tokio::spawn(client_loop(
                client.clone(),
                addr,
                cases.clone(),
                n,
                stop.clone(),
            ))
        })
        .collect();

    let samples = Arc::new(Mutex::new(Vec::new()));
    tokio::time::sleep(Duration::from_secs(settings.warmup)).await;
    let rss_warm = rss_kib(pid).ok_or("cannot read the server's VmRSS")?;
    samples
        .lock()
        .map_err(|e| e.to_string())?
        .push((settings.warmup, rss_warm));
    let mut elapsed = settings.warmup;
    while elapsed < settings.secs {
        let step = (settings.secs - elapsed).min(10);
        tokio::time::sleep(Duration::from_secs(step)).await;
        elapsed += step;
        if let Some(rss) = rss_kib(pid) {
            samples
                .lock()
                .map_err(|e| e.to_string())?
                .push((elapsed, rss));
        }
    }
    stop.store(true, Ordering::Relaxed);

    let mut totals = Totals::default();
    for task in tasks {
        // Each client stops after its current request, which has its own timeout.
        let client_totals = task
            .await
            .map_err(|e| format!("a client task failed: {e}"))?;
        totals.merge(client_totals);
    }
    let wall = started.elapsed();
    let rss_end = rss_kib(pid).ok_or("cannot read the server's VmRSS at the end")?;

    // The server must still answer after the load.
    let after = case(
        "GET /items/1 after the soak",
        Method::GET,
        "/items/1",
        200,
        None,
    );
    let after_ok = matches!(run_case(&client, addr, &after).await, Ok((_, Ok(()))));

    println!("requests:           {}", totals.requests);
    println!("transport failures: {}", totals.transport_failures);
    println!("unexpected answers: {}", totals.unexpected);
    println!("per status:");
    for (status, count) in &totals.per_status {
        println!("  {status}: {count}");
    }
    println!(
        "rate:               {:.0} req/s over {:.1} s",
        totals.requests as f64 / wall.as_secs_f64(),
        wall.as_secs_f64()
    );
    let samples = samples.lock().map_err(|e| e.to_string())?;
    let shown: Vec<String> = samples
        .iter()
        .map(|(t, kib)| format!("{t}s:{kib}"))
        .collect();
    println!("RSS samples (KiB):  {}", shown.join(" "));
    let growth = rss_end as f64 / rss_warm as f64 - 1.0;
    println!(
        "RSS:                {rss_warm} KiB after warm-up, {rss_end} KiB at the end ({:+.1}%)",
        growth * 100.0
    );
    for message in &totals.messages {
        println!("failure: {message}");
    }

    let mut ok = true;
    if totals.transport_failures > 0 || totals.unexpected > 0 {
        println!(
            "FAIL: {} failed requests",
            totals.transport_failures + totals.unexpected
        );
        ok = false;
    }
    if growth > RSS_TOLERANCE {
        println!("FAIL: RSS grew by more than {:.0}%", RSS_TOLERANCE * 100.0);
        ok = false;
    }
    if !after_ok {
        println!("FAIL: the server did not answer GET /items/1 after the soak");
        ok = false;
    }
    if totals.requests == 0 {
        println!("FAIL: no request was sent");
        ok = false;
    }
    Ok(ok)
}

fn main() -> ExitCode {
    let settings = match Settings::from_env_and_args() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("soak: {message}");
            return ExitCode::from(2);
        }
    };
    if !settings.server.is_file() {
        eprintln!(
            "soak: no server binary at {}; build it first with\n  cargo build --release --example server",
            settings.server.display()
        );
        return ExitCode::from(2);
    }
    let port = match free_port() {
        Ok(port) => port,
        Err(e) => {
            eprintln!("soak: no free port: {e}");
            return ExitCode::from(2);
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let child = Command::new(&settings.server)
        .env("PORT", port.to_string())
        .env_remove("API_ERROR_LAYER")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut server = match child {
        Ok(child) => ServerGuard(child),
        Err(e) => {
            eprintln!("soak: cannot start {}: {e}", settings.server.display());
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("soak: no runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(soak(&settings, &mut server, addr));
    drop(runtime);
    drop(server); // kills the server
    match result {
        Ok(true) => {
            println!("PASS");
            ExitCode::SUCCESS
        }
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("soak: {message}");
            ExitCode::FAILURE
        }
    }
}
