//! The HTTP server (axum): the routes of `docs/records.md`, the per-client
//! rate limit, one JSON log line per request, and an orderly start and stop.
//!
//! - `POST /v1/consent-records`: verify (here, in parallel), then store
//!   (the writer, in batches), then answer with the receipt.
//! - `GET /v1/keys`: the ledger's JWKS.
//! - `GET /v1/admin/subjects/{subject}/records`: one subject's export, with
//!   `Authorization: Bearer <admin token>` (404 when no token is configured).
//! - `GET /healthz`.
//!
//! Connections are accepted by [`crate::listen`] (header timeout, connection
//! limit, graceful stop).

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use assent_core::record::is_subject;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::check::{self, Context, Verified, MAX_BODY};
use crate::export::Export;
use crate::listen::{self, Limits, Stopped};
use crate::policies::{Loaded, Policies};
use crate::rate::RateLimit;
use crate::receipt::LedgerKey;
use crate::rejection::{Code, Rejection};
use crate::store::{Backend, Outcome, Row, Store, Submission};

/// How `serve` is configured (the command line and environment).
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Address to listen on (port 0: any free port, printed).
    pub listen: SocketAddr,
    /// Data directory: the ledger key, and the SQLite file unless PostgreSQL is used.
    pub data: PathBuf,
    /// Policies directory (and its `history/`).
    pub policies: PathBuf,
    /// `ASSENT_DATABASE_URL`: a `postgres://` URL selects PostgreSQL.
    pub database_url: Option<String>,
    /// The admin bearer token; `None` turns the admin routes off (404).
    pub admin_token: Option<String>,
    /// Requests a second per client IP.
    pub rate: NonZeroU32,
    /// Burst per client IP.
    pub burst: NonZeroU32,
    /// Origins whose pages may post records cross-origin (`*`: any); none:
    /// same-origin only (a reverse proxy in front of the ledger).
    pub allow_origins: Vec<HeaderValue>,
    /// After SIGTERM/SIGINT, how long requests in flight may take before the
    /// connections still open are dropped ([`DEFAULT_SHUTDOWN_GRACE`]).
    pub shutdown_grace: Duration,
    /// How long a client has to send a request's line and headers, and how
    /// long a keep-alive connection may idle ([`listen::DEFAULT_HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
    /// At most this many connections open at once; more wait in the listen
    /// backlog ([`listen::DEFAULT_MAX_CONNECTIONS`]).
    pub max_connections: NonZeroU32,
    /// The rights API and the reference app, when served.
    pub rights: Option<RightsOptions>,
}

/// How the rights API is served (`--rights-policy`, `--clock`, `--demo`).
#[derive(Clone, Debug)]
pub struct RightsOptions {
    /// The policy file whose rights are served (retention, special
    /// processing, the controller's time zone).
    pub policy: PathBuf,
    /// `--clock adjustable`: the clock can be moved forward (`POST /dev/clock`).
    pub adjustable_clock: bool,
    /// `--demo`: seed the demo account.
    pub demo: bool,
}

/// The default of `--shutdown-grace`: well within the stop timeouts of
/// systemd (90 s) and Kubernetes (30 s), and far longer than a record's
/// verify-and-store. Without a deadline one client that stops sending in the
/// middle of a body would hold the stop for ever.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How long a request body may take to arrive (408 `timeout` after). The
/// request line and headers have their own limit, `--header-timeout`
/// ([`listen::DEFAULT_HEADER_TIMEOUT`], the same 10 s), enforced by hyper
/// in the accept loop: a client over it is disconnected without an answer.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// What the handlers share.
struct Ledger {
    policies: Policies,
    key: Arc<LedgerKey>,
    jwks: Value,
    store: Store,
    admin_token: Option<String>,
    rate: RateLimit,
    /// The rights API's database, which learns which devices' records belong
    /// to which account (for exports); `None` without the rights API.
    accounts: Option<crate::rights::db::Db>,
}

/// What the request log line says about a record request, set by its handler.
#[derive(Clone, Debug)]
struct RecordLog {
    outcome: &'static str,
    record: Option<String>,
    subject: Option<String>,
}

/// Runs the ledger until SIGINT or SIGTERM. Prints `listening on http://ADDR`
/// to stdout once connections are accepted.
pub async fn serve(options: ServeOptions) -> Result<(), String> {
    std::fs::create_dir_all(&options.data)
        .map_err(|e| format!("{}: {e}", options.data.display()))?;
    let (policies, loaded) = Policies::load(&options.policies)?;
    for item in &loaded {
        match item {
            Loaded::Policy { file, reference } => tracing::info!(
                file = %file.display(), policy = %reference.id, revision = reference.revision,
                hash = %reference.hash, "policy loaded"
            ),
            Loaded::Skipped { file, reason } => {
                tracing::warn!(file = %file.display(), reason = %reason, "policy file skipped")
            }
        }
    }
    if policies.is_empty() {
        tracing::warn!(dir = %options.policies.display(), "no policy loaded: every record will be refused (unknown-policy)");
    }
    let (key, created) = LedgerKey::load_or_create(&options.data)?;
    tracing::info!(kid = %key.kid(), created, "ledger key");
    let backend = Backend::choose(options.database_url.as_deref(), &options.data);
    let store = Store::open(&backend).await?;
    tracing::info!(backend = backend.name(), "storage open");

    let jwks = key.jwks();
    let key = Arc::new(key);
    let rights = match &options.rights {
        Some(rights) => Some(
            crate::rights::start::start(rights, &backend, &options.data, Arc::clone(&key)).await?,
        ),
        None => None,
    };
    let ledger = Arc::new(Ledger {
        policies,
        jwks,
        key,
        store,
        admin_token: options.admin_token,
        rate: RateLimit::new(options.rate, options.burst),
        accounts: rights.as_ref().map(|r| r.rights.db.clone()),
    });
    let forget = tokio::spawn({
        let ledger = Arc::clone(&ledger);
        async move {
            loop {
                tokio::time::sleep(Duration::from_secs(60)).await;
                ledger.rate.forget_idle();
            }
        }
    });

    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    tracing::info!(address = %address, "listening");
    println!("listening on http://{address}");
    let _ = std::io::stdout().flush();

    let app = router(
        Arc::clone(&ledger),
        cors(&options.allow_origins),
        rights.as_ref().map(|r| r.router.clone()),
    );
    let limits = Limits {
        header_timeout: options.header_timeout,
        max_connections: usize::try_from(options.max_connections.get()).unwrap_or(usize::MAX),
        shutdown_grace: options.shutdown_grace,
    };
    // After the grace the connections still open are dropped, with the
    // requests they run: the ledger is then free to close.
    let stopped = listen::serve(listener, app, limits, shutdown()).await;
    forget.abort();
    let _ = forget.await;
    if let Some(rights) = rights {
        rights.stop().await;
    }
    match Arc::try_unwrap(ledger) {
        Ok(ledger) => ledger.store.close().await,
        // Something still holds the ledger (not a connection: they are all
        // gone). Exiting now is a crash for what it held, which nothing
        // acknowledged: every acknowledged record is committed (and synced).
        Err(_) => tracing::warn!("the ledger is still in use at shutdown"),
    }
    match stopped {
        Stopped::Drained => tracing::info!("stopped"),
        Stopped::Dropped(connections) => tracing::info!(dropped = connections, "stopped"),
    }
    Ok(())
}

/// What cross-origin pages may do (`docs/records.md`, "Delivery"): post
/// records with their two headers, read `Retry-After`, fetch the keys.
/// Without origins, no CORS headers at all.
fn cors(origins: &[HeaderValue]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().cloned())
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::DELETE])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static("idempotency-key"),
                HeaderName::from_static("x-csrf-token"),
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}

fn router(ledger: Arc<Ledger>, cors: Option<CorsLayer>, rights: Option<Router>) -> Router {
    let mut routes = Router::new()
        .route("/v1/consent-records", post(post_record))
        .route("/v1/keys", get(keys))
        .route("/v1/admin/subjects/{subject}/records", get(admin_records))
        .route(
            "/healthz",
            get(|| async { Json(json!({ "status": "ok" })) }),
        )
        .fallback(|| async { Rejection::new(Code::NotFound, "no such route") })
        .with_state(Arc::clone(&ledger));
    if let Some(rights) = rights {
        routes = routes.merge(rights);
    }
    let mut router = routes.layer(middleware::from_fn_with_state(
        Arc::clone(&ledger),
        rate_limit,
    ));
    // Outside the rate limit, so a 429 still carries its CORS headers.
    if let Some(cors) = cors {
        router = router.layer(cors);
    }
    router.layer(middleware::from_fn(log_request))
}

async fn shutdown() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// The client's address, as the connection says (the ledger does not trust
/// forwarding headers: run it where the peer is the client, or behind a proxy
/// that rate-limits itself).
fn client(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

async fn rate_limit(State(ledger): State<Arc<Ledger>>, request: Request, next: Next) -> Response {
    if request.uri().path() != "/healthz" {
        if let Some(ip) = client(&request) {
            if let Err(wait) = ledger.rate.take(ip) {
                let path = request.uri().path();
                if ["/rights/", "/app/", "/dev/"]
                    .iter()
                    .any(|p| path.starts_with(p))
                {
                    return rights_rate_limited(wait);
                }
                let mut rejection = Rejection::new(
                    Code::RateLimited,
                    format!("more than the per-client rate; retry in {wait} s"),
                );
                rejection.retry_after = Some(wait);
                return rejection.into_response();
            }
        }
    }
    next.run(request).await
}

/// The rights API's own refusal for a client over its rate: its `Problem`
/// body (`docs/rights-api.yaml`), with `Retry-After`.
fn rights_rate_limited(wait: u64) -> Response {
    use assent_core::rights::model::{ErrorCode, Problem};
    let problem = Problem {
        error: ErrorCode::RateLimited,
        message: format!("more than the per-client rate; retry in {wait} s"),
    };
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(problem)).into_response();
    if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response.extensions_mut().insert(Code::RateLimited);
    response
}

async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = log_path(request.uri().path());
    // The rights API and the app log ids only: no address of a person.
    let peer =
        client(&request).filter(|_| !path.starts_with("/rights/") && !path.starts_with("/app/"));
    let response = next.run(request).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    let record = response.extensions().get::<RecordLog>();
    let outcome = record
        .map(|r| r.outcome)
        .or_else(|| response.extensions().get::<Code>().map(|c| c.as_str()))
        .unwrap_or(if response.status().is_success() {
            "ok"
        } else {
            "error"
        });
    tracing::info!(
        method = %method,
        path = %path,
        status,
        outcome,
        record = record.and_then(|r| r.record.as_deref()),
        subject = record.and_then(|r| r.subject.as_deref()),
        latency_ms,
        peer = peer.map(|p| p.to_string()),
        "request"
    );
    response
}

/// The path as logged: a download link's token is a secret, so it is cut.
fn log_path(path: &str) -> String {
    match path.strip_prefix("/rights/v1/downloads/") {
        Some(_) => "/rights/v1/downloads/…".to_owned(),
        None => path.to_owned(),
    }
}

async fn keys(State(ledger): State<Arc<Ledger>>) -> Response {
    let mut response = Json(ledger.jwks.clone()).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Bodies up to this size are read to the end even when over [`MAX_BODY`],
/// so the client reads the 413 instead of a reset connection.
const MAX_DRAIN: usize = 1024 * 1024;

/// Reads the body, which must be at most [`MAX_BODY`] bytes.
async fn read_body(headers: &HeaderMap, mut body: Body) -> Result<Vec<u8>, Rejection> {
    let too_large = || Rejection::new(Code::TooLarge, format!("the body is over {MAX_BODY} bytes"));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_DRAIN as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(declared.map_or(4096, |n| n.min(MAX_BODY as u64) as usize));
    let mut total = 0;
    let read = async {
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| {
                Rejection::new(Code::Malformed, format!("the body could not be read: {e}"))
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            total += data.len();
            if total <= MAX_BODY {
                bytes.extend_from_slice(&data);
            } else if total > MAX_DRAIN {
                break;
            }
        }
        Ok(())
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .map_err(|_| {
            Rejection::new(
                Code::Timeout,
                format!(
                    "the body did not arrive within {} s",
                    BODY_TIMEOUT.as_secs()
                ),
            )
        })??;
    if total > MAX_BODY {
        Err(too_large())
    } else {
        Ok(bytes)
    }
}

async fn post_record(
    State(ledger): State<Arc<Ledger>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_body(&headers, body).await {
        Ok(body) => body,
        Err(rejection) => return rejection.into_response(),
    };
    let idempotency_key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or("(not visible ASCII)"));
    let received = now_ms();
    let cx = Context {
        now_ms: received,
        policies: &ledger.policies,
    };
    let verified = match check::submission(&body, idempotency_key, cx) {
        Ok(verified) => verified,
        Err(rejection) => return rejection.into_response(),
    };
    let Verified { record, jws, hash } = verified;
    let receipt = ledger.key.sign(&ledger.key.receipt(
        &record.id,
        &hash,
        &record.subject,
        record.seq,
        received,
    ));
    let log = |outcome: &'static str| RecordLog {
        outcome,
        record: Some(record.id.clone()),
        subject: Some(record.subject.clone()),
    };
    let submission = Submission {
        row: Row {
            id: record.id.clone(),
            subject: record.subject.clone(),
            seq: record.seq,
            hash: hash.clone(),
            jws,
            receipt: receipt.clone(),
            received,
        },
        previous: record.previous.clone(),
    };
    let (status, receipt, received, replayed, outcome) = match ledger.store.submit(submission).await
    {
        Outcome::Stored => {
            remember_account(&ledger, record.account.as_deref(), &record.subject).await;
            (StatusCode::CREATED, receipt, received, false, "stored")
        }
        Outcome::Replayed { receipt, received } => {
            (StatusCode::OK, receipt, received, true, "replayed")
        }
        Outcome::Chain(detail) => return refuse(Rejection::new(Code::Chain, detail), log),
        Outcome::IdConflict(detail) => {
            return refuse(Rejection::new(Code::IdConflict, detail), log)
        }
        Outcome::Unavailable(detail) => {
            let mut rejection = Rejection::new(Code::Unavailable, detail);
            rejection.retry_after = Some(1);
            return refuse(rejection, log);
        }
    };
    let body = json!({
        "receipt": receipt,
        "record": record.id,
        "hash": hash,
        "received": received,
        "replayed": replayed,
    });
    let mut response = (status, Json(body)).into_response();
    response.extensions_mut().insert(log(outcome));
    response
}

/// Notes that `subject`'s records belong to `account`, for the account's
/// export (the rights API's `consent-records/`). A failure is logged: the
/// record itself is stored either way.
async fn remember_account(ledger: &Ledger, account: Option<&str>, subject: &str) {
    let (Some(db), Some(account)) = (&ledger.accounts, account) else {
        return;
    };
    let noted = db
        .execute(
            "INSERT INTO rights_record_accounts (account, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            crate::vals![account, subject],
        )
        .await;
    if let Err(e) = noted {
        tracing::error!(error = %e, subject, "cannot note the account of a device");
    }
}

fn refuse(rejection: Rejection, log: impl Fn(&'static str) -> RecordLog) -> Response {
    let outcome = rejection.code.as_str();
    let mut response = rejection.into_response();
    response.extensions_mut().insert(log(outcome));
    response
}

async fn admin_records(
    State(ledger): State<Arc<Ledger>>,
    Path(subject): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = &ledger.admin_token else {
        return Rejection::new(Code::NotFound, "no such route").into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !bool::from(presented.as_bytes().ct_eq(token.as_bytes())) {
        let mut response =
            Rejection::new(Code::Unauthorized, "a valid admin bearer token is required")
                .into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    if !is_subject(&subject) {
        return Rejection::new(Code::Malformed, "not a subject (43 base64url characters)")
            .into_response();
    }
    match ledger.store.records(Some(&subject)).await {
        Ok(records) => Json(Export::new(ledger.jwks.clone(), records)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "export failed");
            Rejection::new(Code::Unavailable, "storage failed; retry").into_response()
        }
    }
}
