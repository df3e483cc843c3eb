//! What the ledger's integration tests share: the real `assent-ledger`
//! binary started on a fresh data directory, on SQLite or on a throwaway
//! PostgreSQL cluster (Debian's server binaries, one cluster per test run,
//! one database per ledger), and records signed test-side.

#![allow(dead_code)]

pub mod contract;

/// Declares each scenario (an `async fn(Backend)` of the test binary) as two
/// tests, `sqlite::…` and `postgres::…`, run through [`run`].
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $scenario() { crate::support::run(crate::Backend::Sqlite, crate::$scenario); } )*
        }
        mod postgres {
            $( #[test] fn $scenario() { crate::support::run(crate::Backend::Postgres, crate::$scenario); } )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_backends;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assent_core::record::Method;
use assent_ledger::export::Export;
use assent_ledger::load::{Algorithm, Client, Device, Signed, Template};

/// The ledger binary under test.
pub const LEDGER: &str = env!("CARGO_BIN_EXE_assent-ledger");

/// Where the records go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite in the data directory.
    Sqlite,
    /// PostgreSQL (`ASSENT_DATABASE_URL`).
    Postgres,
}

/// Runs an async scenario against `backend` on a fresh runtime.
pub fn run<F, Fut>(backend: Backend, scenario: F)
where
    F: FnOnce(Backend) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(scenario(backend));
}

/// The repository's policies, which the ledger loads.
pub fn policies_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/policies")
}

/// Records as a site with the Pix2Clip policy makes them, in English.
pub fn template() -> Template {
    let policy = assent_ledger::policies::read(&policies_dir().join("pix2clip.toml"))
        .expect("www/policies/pix2clip.toml parses");
    Template::from_policy(&policy, "en")
}

/// Unix milliseconds now.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as u64
}

/// A device with a fresh key and its first `n` records, an hour ago.
pub fn chain(algorithm: Algorithm, n: usize) -> (Device, Vec<Signed>) {
    let template = template();
    let mut device = Device::random(algorithm);
    let start = now_ms() - 3_600_000;
    let records = (0..n)
        .map(|i| {
            let method = if i % 2 == 0 {
                Method::AcceptAll
            } else {
                Method::RejectAll
            };
            device.next(&template, method, start + 1000 * i as u64)
        })
        .collect();
    (device, records)
}

/// A running ledger process, its data directory and database.
pub struct Ledger {
    child: Option<Child>,
    /// Where it listens.
    pub address: SocketAddr,
    /// Its data directory (removed on drop).
    pub data: tempfile::TempDir,
    /// `ASSENT_DATABASE_URL`, with PostgreSQL.
    pub database_url: Option<String>,
    /// Extra `serve` arguments, kept for restarts.
    args: Vec<String>,
    /// Extra environment, kept for restarts.
    env: Vec<(String, String)>,
}

impl Ledger {
    /// A ledger on a fresh store of `backend`.
    pub async fn start(backend: Backend) -> Ledger {
        Ledger::start_with(backend, &[], &[]).await
    }

    /// A ledger with extra `serve` arguments and environment.
    pub async fn start_with(backend: Backend, args: &[&str], env: &[(&str, &str)]) -> Ledger {
        let database_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(postgres().database().await),
        };
        let mut ledger = Ledger {
            child: None,
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            data: tempfile::tempdir().expect("a temporary directory"),
            database_url,
            args: args.iter().map(|a| a.to_string()).collect(),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        ledger.launch();
        ledger
    }

    /// Starts the process and waits for its `listening on http://ADDR` line.
    fn launch(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data.path().join("ledger.log"))
            .expect("a log file");
        let mut command = Command::new(LEDGER);
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(self.data.path())
            .arg("--policies")
            .arg(policies_dir())
            .args(&self.args)
            .env_remove("ASSENT_DATABASE_URL")
            .env_remove("ASSENT_ADMIN_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        if let Some(url) = &self.database_url {
            command.env("ASSENT_DATABASE_URL", url);
        }
        for (k, v) in &self.env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("the ledger binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on http://") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        let address = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(address) => address,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the ledger did not print `listening on` within 30 s:\n{}",
                    self.logs()
                );
            }
        };
        self.address = address
            .parse()
            .expect("an address after `listening on http://`");
        self.child = Some(child);
    }

    /// Its stderr so far (JSON log lines).
    pub fn logs(&self) -> String {
        std::fs::read_to_string(self.data.path().join("ledger.log")).unwrap_or_default()
    }

    /// A client connection.
    pub fn client(&self) -> Client {
        Client::new(self.address)
    }

    /// Ends the process with SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Ends the process with SIGTERM and waits for it (an orderly stop), at
    /// most a minute.
    pub fn stop(&mut self) {
        self.stop_within(Duration::from_secs(60));
    }

    /// Ends the process with SIGTERM; how long it took to exit, or `None`
    /// when it still ran after `limit` (it is then killed).
    pub fn stop_within(&mut self, limit: Duration) -> Option<Duration> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(_)) = child.try_wait() {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// Starts it again on the same data directory and database.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// `assent-ledger export` (every record, or one subject's).
    pub fn export(&self, subject: Option<&str>) -> Export {
        let mut command = Command::new(LEDGER);
        command.arg("export").arg("--data").arg(self.data.path());
        if let Some(subject) = subject {
            command.args(["--subject", subject]);
        }
        command.env_remove("ASSENT_DATABASE_URL");
        if let Some(url) = &self.database_url {
            command.env("ASSENT_DATABASE_URL", url);
        }
        let out = command.output().expect("assent-ledger export runs");
        assert!(
            out.status.success(),
            "export failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("export prints an export document")
    }

    /// How many records are stored.
    pub fn count(&self) -> usize {
        self.export(None).records.len()
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `assent-ledger verify FILE`: (success, stdout).
pub fn verify_file(path: &Path) -> (bool, String) {
    let out = Command::new(LEDGER)
        .arg("verify")
        .arg(path)
        .output()
        .expect("assent-ledger verify runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The throwaway PostgreSQL cluster of this test run.
pub struct Postgres {
    port: u16,
    databases: AtomicUsize,
}

/// The cluster, started on first use. Fails (never skips) when the server
/// binaries are missing: CI installs Debian's `postgresql`.
pub fn postgres() -> &'static Postgres {
    static CLUSTER: OnceLock<Result<Postgres, String>> = OnceLock::new();
    match CLUSTER.get_or_init(Postgres::start) {
        Ok(cluster) => cluster,
        Err(e) => panic!("PostgreSQL tests cannot run: {e}"),
    }
}

impl Postgres {
    fn start() -> Result<Postgres, String> {
        let bin = server_binaries()?;
        let root = std::fs::metadata("/proc/self")
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
            .unwrap_or(false);
        let dir = std::env::temp_dir().join(format!(
            "assent-ledger-tests-pg-{}-{}",
            std::process::id(),
            now_ms()
        ));
        let data = dir.join("data");
        let sockets = dir.join("sockets");
        std::fs::create_dir_all(&sockets).map_err(|e| format!("{}: {e}", dir.display()))?;
        let tool = |name: &str| {
            let program = bin.join(name);
            if root {
                // initdb refuses to run as root: the cluster belongs to `postgres`.
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            } else {
                Command::new(program)
            }
        };
        let check = |c: &mut Command| -> Result<(), String> {
            let out = c
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("{c:?}: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!(
                    "{c:?} failed: {}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ))
            }
        };
        if root {
            check(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&dir),
            )?;
        }
        check(tool("initdb").arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ]))?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("no free port: {e}"))?;
        let options = format!(
            "-h 127.0.0.1 -p {port} -k {} -c max_connections=200",
            sockets.display()
        );
        check(
            tool("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.join("server.log"))
                .args(["-w", "-t", "60", "-o", &options, "start"]),
        )?;
        // Stopped and removed when this test process ends, however it ends
        // (statics are never dropped): a detached watcher does it.
        let pg_ctl = bin.join("pg_ctl");
        let stop = if root {
            format!(
                "runuser -u postgres -- {} -D {} -m immediate stop",
                pg_ctl.display(),
                data.display()
            )
        } else {
            format!(
                "{} -D {} -m immediate stop",
                pg_ctl.display(),
                data.display()
            )
        };
        let watcher = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            dir = dir.display()
        );
        Command::new("setsid")
            .args(["sh", "-c", &watcher])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the cluster's watcher: {e}"))?;
        Ok(Postgres {
            port,
            databases: AtomicUsize::new(0),
        })
    }

    /// The URL of a database of this cluster.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// A new empty database; its URL.
    pub async fn database(&self) -> String {
        let name = format!(
            "ledger_{}_{}",
            std::process::id(),
            self.databases.fetch_add(1, Ordering::Relaxed)
        );
        let (client, connection) =
            tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls)
                .await
                .expect("connect to the test cluster");
        tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("CREATE DATABASE");
        self.url(&name)
    }
}

/// `ASSENT_PG_BIN`, else the newest `/usr/lib/postgresql/<version>/bin` with `initdb`.
fn server_binaries() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("ASSENT_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if dir.join("initdb").is_file() {
            Ok(dir)
        } else {
            Err(format!("ASSENT_PG_BIN={} has no initdb", dir.display()))
        };
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).ok_or_else(|| {
        "the PostgreSQL server binaries (initdb, pg_ctl) are not under /usr/lib/postgresql: \
         install Debian's `postgresql` package (`cargo xtask setup` does), or set ASSENT_PG_BIN"
            .to_owned()
    })
}
