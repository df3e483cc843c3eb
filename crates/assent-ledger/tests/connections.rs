//! The ledger under abuse (`src/listen.rs`): the real binary, raw TCP
//! clients. A client slow with its request line and headers, or idle on a
//! keep-alive connection, is cut at `--header-timeout` while others are
//! served; at most `--max-connections` connections are served at once, and
//! one over the limit waits to be accepted until another closes. These are
//! about connections, not storage: SQLite only.

mod support;

use std::io::ErrorKind;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{Backend, Ledger};
use tokio::net::TcpStream;

/// The longest a test waits for something the server does on its own.
const WAIT: Duration = Duration::from_secs(30);

/// A request that keeps the connection open.
const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nhost: ledger\r\n\r\n";

#[test]
fn slow_request_heads_are_cut_at_the_header_timeout_while_others_are_served() {
    support::run(Backend::Sqlite, slow_request_heads);
}

#[test]
fn a_keep_alive_connection_is_closed_after_idling_for_the_header_timeout() {
    support::run(Backend::Sqlite, idle_keep_alive);
}

#[test]
fn connections_over_the_limit_wait_until_one_closes_then_are_served() {
    support::run(Backend::Sqlite, connection_limit);
}

#[test]
fn limits_out_of_range_are_refused_at_start() {
    for (flag, value, message) in [
        (
            "--max-connections",
            "0",
            "--max-connections must be at least 1",
        ),
        ("--header-timeout", "0", "from 0.1 to 3600"),
        ("--header-timeout", "soon", "is not a number of seconds"),
    ] {
        let data = tempfile::tempdir().unwrap();
        let mut child = Command::new(support::LEDGER)
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .arg("--policies")
            .arg(support::policies_dir())
            .args([flag, value])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ledger binary starts");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > WAIT {
                let _ = child.kill();
                panic!("{flag} {value}: still running after 30 s instead of refusing");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
        assert!(!status.success(), "{flag} {value}: accepted");
        assert!(stderr.contains(message), "{flag} {value}: {stderr}");
    }
}

async fn slow_request_heads(backend: Backend) {
    let timeout = Duration::from_secs(3);
    let ledger = Ledger::start_with(backend, &["--header-timeout", "3"], &[]).await;

    // One client sends its request head a byte every 100 ms and never ends
    // it; another sends half of it and stops.
    let started = Instant::now();
    let trickle = Arc::new(connect(&ledger).await);
    let sent = Arc::new(AtomicUsize::new(0));
    let trickler = tokio::spawn({
        let (trickle, sent) = (Arc::clone(&trickle), Arc::clone(&sent));
        async move {
            let head = format!(
                "GET /healthz HTTP/1.1\r\nhost: ledger\r\nx-slow: {}",
                "a".repeat(10_000)
            );
            for byte in head.bytes() {
                if send(&trickle, &[byte]).await.is_err() {
                    break;
                }
                sent.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    });
    let half = connect(&ledger).await;
    send(&half, b"GET /healthz HTTP/1.1\r\nhost: led")
        .await
        .unwrap();

    // Meanwhile other clients are served, while both are still connected.
    let mut client = ledger.client();
    for _ in 0..3 {
        let answer = client
            .get("/healthz", &[])
            .await
            .expect("the ledger answers");
        assert_eq!(answer.status, 200);
    }
    for (stream, which) in [
        (&*trickle, "the trickling client"),
        (&half, "the half-sent head"),
    ] {
        assert!(
            still_open(stream),
            "{which} was cut before others were served ({:?} after it connected; timeout {timeout:?})",
            started.elapsed()
        );
    }

    // Both are cut at the header timeout, without an answer, however many
    // bytes keep arriving.
    for (stream, which) in [
        (&*trickle, "the trickling client"),
        (&half, "the half-sent head"),
    ] {
        let received = closed(stream, which).await;
        let took = started.elapsed();
        assert!(
            received.is_empty(),
            "{which} got {:?}",
            String::from_utf8_lossy(&received)
        );
        // The server's clock starts after the connect that `started` precedes.
        assert!(
            took >= timeout - Duration::from_millis(50),
            "{which} cut after {took:?}, before the {timeout:?} timeout"
        );
    }
    let sent = sent.load(Ordering::Relaxed);
    assert!(
        sent >= 5,
        "the trickling client sent only {sent} bytes before it was cut"
    );
    trickler.abort();

    // A new client: the first one's connection idled as long as the slow
    // ones took, so the server may be closing it (sending on it then races
    // the close, which a browser retries).
    let answer = ledger
        .client()
        .get("/healthz", &[])
        .await
        .expect("the ledger answers");
    assert_eq!(answer.status, 200, "served after the slow clients were cut");
}

async fn idle_keep_alive(backend: Backend) {
    let timeout = Duration::from_secs(3);
    let ledger = Ledger::start_with(backend, &["--header-timeout", "3"], &[]).await;
    let stream = connect(&ledger).await;

    // Requests every 0.5 s for 4 s: longer than the timeout in all, but each
    // head within it of the previous answer, so the connection stays.
    let first = Instant::now();
    let mut asked = first;
    while first.elapsed() < timeout + Duration::from_secs(1) {
        asked = Instant::now();
        send(&stream, HEALTHZ)
            .await
            .expect("the kept-alive connection takes the next request");
        let head = answer(&stream, "a request on a busy keep-alive connection").await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            !head.to_ascii_lowercase().contains("connection: close"),
            "{head}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // Then it idles, and is closed once the timeout has passed since the
    // last answer (so at least the timeout after the last request was sent).
    let received = closed(&stream, "the idle keep-alive connection").await;
    let idle = asked.elapsed();
    assert!(
        received.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&received)
    );
    assert!(
        idle >= timeout - Duration::from_millis(50),
        "closed {idle:?} after the last request, before the {timeout:?} timeout"
    );
}

async fn connection_limit(backend: Backend) {
    // A header timeout far longer than the test: only closing frees a slot.
    let ledger = Ledger::start_with(
        backend,
        &["--max-connections", "4", "--header-timeout", "120"],
        &[],
    )
    .await;

    // Four connections, each served once and kept open.
    let mut held = Vec::new();
    for i in 0..4 {
        let stream = connect(&ledger).await;
        send(&stream, HEALTHZ).await.unwrap();
        let head = answer(&stream, &format!("held connection {i}")).await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        held.push(stream);
    }

    // Two more connect (the kernel queues them) and ask; each reports its
    // answer, keeping its connection open.
    let (tx, mut served) = tokio::sync::mpsc::unbounded_channel();
    for i in 0..2 {
        let stream = connect(&ledger).await;
        send(&stream, HEALTHZ).await.unwrap();
        let tx = tx.clone();
        tokio::spawn(async move {
            let head = answer(&stream, &format!("waiting connection {i}")).await;
            let _ = tx.send((i, head, stream));
        });
    }
    // Nothing to await when nothing is to happen: a quiet window, then.
    let quiet = Duration::from_secs(1);
    if let Ok(Some((i, head, _))) = tokio::time::timeout(quiet, served.recv()).await {
        panic!("waiting connection {i} served with 4 of 4 open: {head}");
    }

    // One of the four closes: one waiting connection is served, not both.
    drop(held.remove(0));
    let (first, head, _first) = tokio::time::timeout(WAIT, served.recv())
        .await
        .unwrap_or_else(|_| panic!("no waiting connection served within 30 s of a slot freeing"))
        .unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    if let Ok(Some((i, head, _))) = tokio::time::timeout(quiet, served.recv()).await {
        panic!("waiting connection {i} served too, after {first}, with 4 of 4 open: {head}");
    }

    // Another closes: the last one is served.
    drop(held.remove(0));
    let (second, head, _second) = tokio::time::timeout(WAIT, served.recv())
        .await
        .unwrap_or_else(|_| panic!("the last waiting connection not served within 30 s"))
        .unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_ne!(first, second);
}

/// A TCP connection to the ledger, within [`WAIT`].
async fn connect(ledger: &Ledger) -> TcpStream {
    let stream = tokio::time::timeout(WAIT, TcpStream::connect(ledger.address))
        .await
        .unwrap_or_else(|_| panic!("no TCP connection to {} within 30 s", ledger.address))
        .expect("the ledger's port takes connections");
    stream.set_nodelay(true).unwrap();
    stream
}

/// Writes all of `bytes` (through `&TcpStream`, so a reader may share it).
async fn send(stream: &TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Whether the connection is open with nothing to read, right now.
fn still_open(stream: &TcpStream) -> bool {
    matches!(stream.try_read(&mut [0u8; 1]), Err(e) if e.kind() == ErrorKind::WouldBlock)
}

/// Waits, [`WAIT`] at most, until the server closes the connection; what it
/// sent before.
async fn closed(stream: &TcpStream, which: &str) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        tokio::time::timeout_at(deadline, stream.readable())
            .await
            .unwrap_or_else(|_| panic!("{which}: still open 30 s later"))
            .unwrap();
        match stream.try_read(&mut buf) {
            Ok(0) => return received,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            // Closed while the client was still sending: a reset.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return received,
            Err(e) => panic!("{which}: {e}"),
        }
    }
}

/// Reads one answer, [`WAIT`] at most: its head, once its body (by its
/// `content-length`) has arrived too.
async fn answer(stream: &TcpStream, which: &str) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).into_owned();
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or_else(|| panic!("{which}: no content-length in {head}"));
            if received.len() >= end + 4 + length {
                return head;
            }
        }
        tokio::time::timeout_at(deadline, stream.readable())
            .await
            .unwrap_or_else(|_| panic!("{which}: no answer within 30 s"))
            .unwrap();
        match stream.try_read(&mut buf) {
            Ok(0) => panic!(
                "{which}: closed before an answer: {:?}",
                String::from_utf8_lossy(&received)
            ),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(e) => panic!("{which}: {e}"),
        }
    }
}
