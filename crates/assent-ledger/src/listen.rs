//! The accept loop: HTTP/1.1 over TCP (hyper), with a deadline on each
//! request's line and headers, at most `--max-connections` connections open
//! at once, and an orderly stop. axum's own `serve` has neither limit (it
//! sets no hyper timer and accepts without bound), so the ledger runs hyper
//! itself around its axum [`Router`].
//!
//! **Header timeout** ([`DEFAULT_HEADER_TIMEOUT`], `--header-timeout`). hyper
//! 1.12 (`http1::Builder::header_read_timeout` with a [`TokioTimer`]) starts
//! the clock when it begins to read a request head: when the connection is
//! accepted, and again when an answer has been written on a keep-alive
//! connection. Bytes arriving do not restart it, so a client that sends its
//! headers a byte a second is cut at the deadline like one that stops. When
//! it runs out, the connection is closed without an answer. The same clock
//! bounds an idle keep-alive connection: it is closed when no next request
//! head has arrived within the timeout. It does not cover bodies (the record
//! route has [`crate::server::BODY_TIMEOUT`]) nor a client that does not read
//! its answer; the connection limit bounds what those can hold.
//!
//! **Connection limit** ([`DEFAULT_MAX_CONNECTIONS`], `--max-connections`).
//! A connection takes a permit of a semaphore before it is accepted and holds
//! it until it closes. At the limit the ledger stops accepting: new
//! connections wait in the kernel's listen backlog (1024 with tokio's
//! `TcpListener::bind`, capped by `net.core.somaxconn`) and are served, in
//! order, as soon as a connection closes; beyond the backlog the kernel drops
//! their SYNs and clients retry them. Accepting and closing at once (nginx
//! does, when `worker_connections` are used up and no idle keep-alive
//! connection can be reclaimed) would turn every connection over the limit
//! into an error for the client and a wasted accept for the server, while a
//! queued one costs nothing and is answered late instead of never; tokio's
//! mini-redis limits its connections the same way. Slots held by idle
//! keep-alive or slow clients come back within the header timeout.
//!
//! **Descriptors.** Each connection is a file descriptor. At start the soft
//! `RLIMIT_NOFILE` is raised (up to the hard limit) to fit the connection
//! limit plus [`RESERVED_DESCRIPTORS`]; when the hard limit is lower, the
//! connection limit is lowered to fit, with a warning, so that a flood of
//! connections never leaves the database without a descriptor.
//!
//! **Stop.** When `stop` resolves, the listener is closed, idle connections
//! are closed, busy ones end after their answer (hyper's graceful shutdown),
//! and after the grace every connection still open is dropped.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// The default of `--header-timeout`: how long a client has to send a
/// request's line and headers, from the connection's start or from the end
/// of the previous answer (so also how long a keep-alive connection may sit
/// idle). A browser sends its headers in one packet; 10 s is ample on a slow
/// mobile link and the same as [`crate::server::BODY_TIMEOUT`].
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The default of `--max-connections`: far above what the bench's 64
/// connections or a site's visitors keep open at once (a browser tab posts
/// its records on one connection), within the open-file limit the ledger
/// can raise itself to on common systems, and cheap to hold: a connection
/// waiting for its headers is a task and hyper's 8 KiB read buffer (about
/// 10 MB for 1024), which a client sending large headers can grow to hyper's
/// 408 KiB ceiling for at most the header timeout.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 1024;

/// File descriptors kept for everything but client connections: the
/// database's files or connections, export and download files, the log,
/// the runtime.
pub const RESERVED_DESCRIPTORS: u64 = 256;

/// How connections are limited.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The time limit of a request's line and headers ([`DEFAULT_HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
    /// At most this many connections open at once (at least 1).
    pub max_connections: usize,
    /// After `stop`, how long connections may take to finish.
    pub shutdown_grace: Duration,
}

/// How the loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// Every connection finished within the grace.
    Drained,
    /// This many connections were still open after the grace and were dropped.
    Dropped(usize),
}

/// Serves `app` on `listener` until `stop` resolves, then stops as the
/// module says. Each request carries the peer's [`ConnectInfo<SocketAddr>`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> Stopped {
    let max = fit_descriptors(limits.max_connections.max(1));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let slots = Arc::new(Semaphore::new(max));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut slot: Option<OwnedSemaphorePermit> = None;
    let mut full_since_logged: Option<Instant> = None;
    let mut stop = std::pin::pin!(stop);
    loop {
        if slot.is_none() && slots.available_permits() == 0 {
            // One line a minute at most: under a flood, not one per connection.
            if full_since_logged.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
                tracing::warn!(
                    max_connections = max,
                    "connection limit reached: new connections wait in the listen backlog"
                );
                full_since_logged = Some(Instant::now());
            }
        }
        tokio::select! {
            () = &mut stop => break,
            Some(ended) = connections.join_next() => {
                if let Err(e) = ended {
                    tracing::error!(error = %e, "a connection's task failed");
                }
            }
            permit = Arc::clone(&slots).acquire_owned(), if slot.is_none() => {
                slot = Some(permit.expect("the connection semaphore is never closed"));
            }
            accepted = listener.accept(), if slot.is_some() => match accepted {
                Ok(accepted) => {
                    let Some(permit) = slot.take() else { continue };
                    let connection = Connection { http: &http, graceful: &graceful, app: &app };
                    connections.spawn(connection.serve(accepted, permit));
                }
                Err(e) => accept_failed(&e).await,
            },
        }
    }
    drop(listener);
    drop(slot);
    let open = connections.len();
    tracing::info!(open, "stopped accepting connections");
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        graceful.shutdown().await;
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_ok() {
        return Stopped::Drained;
    }
    let left = connections.len();
    tracing::warn!(
        grace_s = limits.shutdown_grace.as_secs_f64(),
        connections = left,
        "connections still open after the shutdown grace: dropping them"
    );
    // Dropping a connection drops the requests it still runs.
    connections.shutdown().await;
    Stopped::Dropped(left)
}

/// What serving one accepted connection takes.
struct Connection<'a> {
    http: &'a http1::Builder,
    graceful: &'a GracefulShutdown,
    app: &'a Router,
}

impl Connection<'_> {
    /// The task that serves `tcp` and then frees `permit`'s slot.
    fn serve(
        self,
        (tcp, peer): (TcpStream, SocketAddr),
        permit: OwnedSemaphorePermit,
    ) -> impl Future<Output = ()> + Send + 'static {
        // Answers go out at once, not after the client's delayed ACK.
        let _ = tcp.set_nodelay(true);
        let app = self.app.clone();
        let service = service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            app.clone().oneshot(request)
        });
        let connection = self
            .graceful
            .watch(self.http.serve_connection(TokioIo::new(tcp), service));
        async move {
            let _slot = permit;
            if let Err(e) = connection.await {
                ended_with(&e);
            }
        }
    }
}

/// Logs how a connection ended with an error: a header timeout, a client
/// that went away or sent something that is not HTTP. Each is the client's
/// business, and under a flood one line each would drown the log: debug.
fn ended_with(e: &hyper::Error) {
    if e.is_timeout() {
        tracing::debug!("connection closed: no request head within the header timeout");
    } else {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}

/// After a failed `accept`: a connection reset before it was accepted is
/// skipped; anything else (out of descriptors) is logged, and accepting
/// pauses a second instead of spinning (as axum's `serve` does).
async fn accept_failed(e: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "cannot accept a connection; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// The connection limit that fits the open-file limit, raising the soft
/// limit (up to the hard one) when needed.
fn fit_descriptors(max: usize) -> usize {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let mut soft = limit.current;
    let fitted = match fit(max, limit.current, limit.maximum) {
        (None, fits) => fits,
        (Some(raised), fits) => {
            let new = Rlimit {
                current: Some(raised),
                maximum: limit.maximum,
            };
            match setrlimit(Resource::Nofile, new) {
                Ok(()) => {
                    tracing::info!(open_files = raised, "raised the open-file limit");
                    soft = Some(raised);
                    fits
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot raise the open-file limit");
                    fit(max, limit.current, limit.current).1
                }
            }
        }
    };
    if fitted < max {
        tracing::warn!(
            max_connections = fitted,
            asked = max,
            open_files = soft,
            reserved = RESERVED_DESCRIPTORS,
            "the open-file limit is too low for --max-connections: serving fewer connections"
        );
    }
    fitted
}

/// For `max` connections and the soft and hard open-file limits (`None`:
/// unlimited): the soft limit to set, if it must be raised, and the
/// connection limit that fits.
fn fit(max: usize, soft: Option<u64>, hard: Option<u64>) -> (Option<u64>, usize) {
    let needed = (max as u64).saturating_add(RESERVED_DESCRIPTORS);
    let soft = soft.unwrap_or(u64::MAX);
    if soft >= needed {
        return (None, max);
    }
    let target = needed.min(hard.unwrap_or(u64::MAX)).max(soft);
    let fits = target.saturating_sub(RESERVED_DESCRIPTORS).max(1);
    let fits = usize::try_from(fits).unwrap_or(usize::MAX).min(max);
    ((target > soft).then_some(target), fits)
}

#[cfg(test)]
mod tests {
    use super::{fit, RESERVED_DESCRIPTORS as R};

    #[test]
    fn the_open_file_limit_is_raised_to_fit_or_the_connections_lowered() {
        // Room enough: nothing changes.
        assert_eq!(fit(1024, Some(20_000), Some(20_000)), (None, 1024));
        assert_eq!(fit(1024, None, None), (None, 1024));
        // systemd's default 1024 soft, 524288 hard: raised to what is needed.
        assert_eq!(fit(1024, Some(1024), Some(524_288)), (Some(1024 + R), 1024));
        assert_eq!(fit(1024, Some(1024), None), (Some(1024 + R), 1024));
        // A hard limit too low: raised to it, and fewer connections.
        assert_eq!(
            fit(1024, Some(512), Some(1024)),
            (Some(1024), 1024 - R as usize)
        );
        assert_eq!(fit(1024, Some(1024), Some(1024)), (None, 1024 - R as usize));
        // Never below one connection.
        assert_eq!(fit(1024, Some(100), Some(100)), (None, 1));
    }
}
