//! `cargo xtask serve`: the preview site with live reload.

use crate::run::{cmd, status};
use crate::setup;

/// The preview URL.
pub const URL: &str = "http://127.0.0.1:8080/";

/// Sets up, then builds and serves `www/` until interrupted.
pub fn serve() -> Result<(), String> {
    setup::setup()?;
    println!("\nAssent preview: {URL}  (Ctrl-C to stop)\n");
    status(cmd("trunk").args([
        "serve",
        "--offline",
        "--address",
        "127.0.0.1",
        "--port",
        "8080",
    ]))
}
