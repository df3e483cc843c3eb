//! `cargo xtask serve`: the preview site with live reload, and the reference
//! ledger beside it so the preview's consent records are signed, delivered,
//! verified and stored for real (trunk proxies `/api/` to the ledger). The
//! ledger also serves the rights API (`docs/rights-api.yaml`) for the
//! Pix2Clip policy with the reference app and its seeded demo account, on an
//! adjustable clock (`POST /api/dev/clock`) so a 30-day grace period can be
//! lived through.

use std::process::{Child, Stdio};

use crate::preview::RECORDS_ENV;

/// The seeded demo account's e-mail (`crates/assent-ledger/src/rights/demo/seed.rs`).
const DEMO_EMAIL: &str = "demo@pix2clip.example";
use crate::run::{cmd, status};
use crate::{root, setup};

/// The preview URL.
pub const URL: &str = "http://127.0.0.1:8080/";

/// Where the ledger listens; `Trunk.toml`'s `[[proxy]]` forwards `/api/` here.
pub const LEDGER: &str = "127.0.0.1:8081";

/// The records endpoint the preview pages name (through trunk's proxy).
pub const RECORDS_ENDPOINT: &str = "/api/v1/consent-records";

/// Stops the ledger when the preview ends, however it ends.
struct Ledger(Child);

impl Drop for Ledger {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sets up, starts the ledger (SQLite under `target/ledger`, or PostgreSQL when
/// `ASSENT_DATABASE_URL` says so), then builds and serves `www/` until interrupted.
pub fn serve() -> Result<(), String> {
    setup::setup()?;
    status(cmd("cargo").args(["build", "-p", "assent-ledger"]))?;
    let data = root().join("target").join("ledger");
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let binary = root().join("target").join("debug").join("assent-ledger");
    let ledger = cmd(&binary)
        .arg("serve")
        .args(["--listen", LEDGER])
        .arg("--data")
        .arg(&data)
        .arg("--policies")
        .arg(root().join("www").join("policies"))
        .arg("--rights-policy")
        .arg(root().join("www").join("policies").join("pix2clip.toml"))
        .args(["--clock", "adjustable", "--demo"])
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
    let _ledger = Ledger(ledger);
    println!("\nAssent preview: {URL}  (Ctrl-C to stop)");
    println!("Demo app: {URL}app/ (sign in as {DEMO_EMAIL}; Settings > GDPR & my data)");
    println!(
        "Consent ledger: http://{LEDGER}/ (records in {})",
        data.display()
    );
    println!(
        "Rights API: {URL}api/rights/v1/ (docs/rights-api.yaml); sign in as the demo account:\n  \
         curl -c cookies -X POST {URL}api/app/v1/session -d '{{\"email\":\"{DEMO_EMAIL}\"}}'\n"
    );
    status(
        cmd("trunk")
            .args([
                "serve",
                "--offline",
                "--address",
                "127.0.0.1",
                "--port",
                "8080",
            ])
            .env(RECORDS_ENV, RECORDS_ENDPOINT),
    )
}
