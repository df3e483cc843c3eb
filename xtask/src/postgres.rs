//! A throwaway PostgreSQL server for the test run and the bench: Debian's
//! PostgreSQL (`cargo xtask setup` installs the `postgresql` package), a new
//! cluster in a temporary directory, listening on 127.0.0.1 only, stopped and
//! deleted when dropped.
//!
//! `initdb` refuses to run as root, so as root the cluster belongs to the
//! `postgres` user the Debian package creates (`runuser`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use crate::run::{cmd, output};

/// A running PostgreSQL server; stopped and removed on drop.
pub struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub url: String,
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb`.
fn server_binaries() -> Result<PathBuf, String> {
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
        "PostgreSQL server binaries not found under /usr/lib/postgresql \
         (`cargo xtask setup` installs Debian's `postgresql` package)"
            .to_owned()
    })
}

fn is_root() -> bool {
    output(cmd("id").arg("-u")).as_deref() == Some("0")
}

impl Postgres {
    /// Creates a cluster and starts it on a free port of 127.0.0.1.
    pub fn start() -> Result<Postgres, String> {
        let bin = server_binaries()?;
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!(
            "assent-postgres-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(dir.join("sock")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut server = Postgres {
            dir,
            bin,
            as_postgres,
            url: String::new(),
        };
        if as_postgres {
            server.check(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&server.dir),
            )?;
        }
        let data = server.dir.join("data");
        let mut initdb = server.tool("initdb");
        initdb.arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        server.check(&mut initdb)?;
        let port = free_port()?;
        let options = format!(
            "-h 127.0.0.1 -p {port} -k {} -c fsync=on -c synchronous_commit=on",
            server.dir.join("sock").display()
        );
        let mut start = server.tool("pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(server.dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"]);
        server.check(&mut start)?;
        server.url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        Ok(server)
    }

    /// `name` from the server binaries, run as `postgres` when we are root.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn check(&self, c: &mut Command) -> Result<(), String> {
        let out = c
            .current_dir(&self.dir)
            .output()
            .map_err(|e| format!("PostgreSQL: could not run {c:?}: {e}"))?;
        if out.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        Err(format!(
            "PostgreSQL: {c:?} failed ({}):\n{}{}\n{log}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let mut stop = self.tool("pg_ctl");
        stop.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"]);
        let _ = stop.current_dir(&self.dir).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port of 127.0.0.1 free right now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}
