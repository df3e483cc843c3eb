//! `cargo xtask bench rights`: an export of more than 1 GiB of files, written
//! and downloaded through the real server (the ledger binary, `server`
//! profile, SQLite), against the budget of the server's peak memory.
//!
//! An account of the reference app is filled with uncompressed video clips
//! (`POST /app/v1/videos`, 600 frames of 640×360, about 415 MB each) until
//! it holds [`FILES_BYTES`]; the bench then orders its export, waits for the
//! archive, downloads it to nowhere checking its size, and reads the
//! server's peak resident memory (`VmHWM`) before filling, after filling,
//! and after the export and download. The archive is streamed both ways, so
//! what the export adds must not grow with its size.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::root;
use crate::run::{cmd, status};

/// The files the account holds before its export.
pub const FILES_BYTES: u64 = 1 << 30;
/// The most the server's peak resident memory may reach over the whole
/// bench (its baseline is about 20 MiB; the export adds buffers of a few
/// MiB, whatever its size).
pub const PEAK_BUDGET_KIB: u64 = 64 * 1024;

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the bench.
pub fn rights() -> Result<(), String> {
    status(cmd("cargo").args([
        "build",
        "--profile",
        "server",
        "-p",
        "assent-ledger",
        "--bins",
    ]))?;
    let data = root().join("target").join("bench-rights");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let (server, address) = start(&data)?;
    let pid = server.child.id();
    let baseline = peak_kib(pid)?;

    let (status, answer) = call(
        &address,
        "POST",
        "/app/v1/accounts",
        None,
        &json!({ "email": "bench@example.org", "first_name": "Bench", "last_name": "Mark" }),
    )?;
    let token = answer["token"]
        .as_str()
        .ok_or(format!("sign-up answered {status}: {answer}"))?
        .to_owned();
    let started = Instant::now();
    let mut filled = 0u64;
    let mut clips = 0;
    while filled < FILES_BYTES {
        let (status, answer) = call(
            &address,
            "POST",
            "/app/v1/videos",
            Some(&token),
            &json!({ "prompt": format!("clip {clips}"), "frames": 600 }),
        )?;
        if status != 201 {
            return Err(format!("POST /app/v1/videos answered {status}: {answer}"));
        }
        filled += 640 * 360 * 3 * 600;
        clips += 1;
    }
    let files_on_disk = dir_size(&data.join("app-files"));
    let after_fill = peak_kib(pid)?;
    println!(
        "bench rights: {clips} clips, {:.2} GiB of files written in {:.1} s",
        gib(files_on_disk),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let (status, request) = call(
        &address,
        "POST",
        "/rights/v1/exports",
        Some(&token),
        &json!({}),
    )?;
    if status != 202 {
        return Err(format!(
            "POST /rights/v1/exports answered {status}: {request}"
        ));
    }
    let id = request["request_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let request = loop {
        let (_, request) = call(
            &address,
            "GET",
            &format!("/rights/v1/requests/{id}"),
            Some(&token),
            &Value::Null,
        )?;
        match request["status"].as_str() {
            Some("fulfilled") => break request,
            Some("open" | "in_progress") if started.elapsed() < Duration::from_secs(900) => {
                std::thread::sleep(Duration::from_millis(200));
            }
            _ => return Err(format!("the export did not finish: {request}")),
        }
    };
    let written_in = started.elapsed();
    let size = request["archive"]["size"].as_u64().unwrap_or(0);
    let url = request["results_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let started = Instant::now();
    let downloaded = download(&address, &url, &token)?;
    let downloaded_in = started.elapsed();
    let peak = peak_kib(pid)?;
    drop(server);
    let _ = std::fs::remove_dir_all(&data);

    println!(
        "bench rights: export of {:.2} GiB written in {:.1} s ({:.0} MiB/s), downloaded in {:.1} s ({:.0} MiB/s)",
        gib(size),
        written_in.as_secs_f64(),
        mib(size) / written_in.as_secs_f64(),
        downloaded_in.as_secs_f64(),
        mib(downloaded) / downloaded_in.as_secs_f64(),
    );
    println!(
        "bench rights: server peak memory {} MiB (budget {} MiB); {} MiB at start, {} MiB after writing the files",
        peak / 1024,
        PEAK_BUDGET_KIB / 1024,
        baseline / 1024,
        after_fill / 1024,
    );
    if downloaded != size || size < FILES_BYTES {
        return Err(format!(
            "the archive is {size} bytes and {downloaded} were downloaded; at least {FILES_BYTES} expected"
        ));
    }
    if peak > PEAK_BUDGET_KIB {
        return Err(format!(
            "the server's peak memory, {} MiB, is over its budget of {} MiB",
            peak / 1024,
            PEAK_BUDGET_KIB / 1024
        ));
    }
    Ok(())
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 30) as f64
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 20) as f64
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// The server's peak resident memory so far, KiB.
fn peak_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("cannot read the server's memory: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/PID/status".to_owned())
}

fn start(data: &Path) -> Result<(Server, String), String> {
    let binary = root().join("target").join("server").join("assent-ledger");
    let mut child = cmd(&binary)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .arg("--policies")
        .arg(root().join("www").join("policies"))
        .arg("--rights-policy")
        .arg(root().join("www").join("policies").join("pix2clip.toml"))
        .env("ASSENT_LOG", "warn")
        .env_remove("ASSENT_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(address) = line.strip_prefix("listening on http://") {
                let _ = tx.send(address.trim().to_owned());
            }
        }
    });
    let server = Server { child };
    let address = rx
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| "the server did not start within 60 s".to_owned())?;
    Ok((server, address))
}

/// One HTTP/1.1 exchange with a JSON body (or none for `Value::Null`); the
/// status and the JSON answer.
fn call(
    address: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> Result<(u16, Value), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("{address}: {e}"))?;
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let authorization = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let key = format!(
        "Idempotency-Key: bench-{}-{}\r\n",
        std::process::id(),
        rand_ish()
    );
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\n{authorization}{key}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status")?;
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

/// A value that differs between calls, for idempotency keys.
fn rand_ish() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Downloads `path` to nowhere; the bytes of its body.
fn download(address: &str, path: &str, token: &str) -> Result<u64, String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("{address}: {e}"))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut reader = BufReader::with_capacity(1 << 20, stream);
    let mut line = String::new();
    let mut status = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if status == 0 {
            status = line
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
        }
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    if status != 200 {
        return Err(format!("the download answered {status}"));
    }
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| e.to_string())
}
