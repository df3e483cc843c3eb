//! Starting the rights API inside the ledger's server: its database (the
//! ledger's), the reference app, the scheduler, and the routes of both.

use std::path::Path;
use std::sync::Arc;

use assent_core::policy::hash::content_hash;
use assent_core::rights::deadline::Deadlines;
use axum::Router;

use super::clock::Clock;
use super::db::Db;
use super::demo::routes::App;
use super::demo::{seed, Demo};
use super::service::Rights;
use crate::receipt::LedgerKey;
use crate::server::RightsOptions;
use crate::store::Backend;

/// The running rights API.
pub struct Started {
    /// What the routes and the scheduler share.
    pub rights: Arc<Rights>,
    /// The rights routes and the reference app's.
    pub router: Router,
    scheduler: tokio::task::JoinHandle<()>,
}

impl Started {
    /// Stops the scheduler (a job it was running is taken again on the next
    /// start, once its lease has run out).
    pub async fn stop(self) {
        self.scheduler.abort();
        let _ = self.scheduler.await;
    }
}

/// What a site needs to serve the rights API with its own backend
/// ([`launch`]).
pub struct Setup {
    /// The database for the rights API's tables (the site's own, or the ledger's).
    pub db: Db,
    /// The site's backend.
    pub site: Arc<dyn super::site::Site>,
    /// The policy whose rights are served.
    pub policy: assent_core::policy::model::Policy,
    /// The server's clock.
    pub clock: Arc<Clock>,
    /// The key that signs special-category consents.
    pub key: Arc<LedgerKey>,
    /// Where export archives are written.
    pub exports: std::path::PathBuf,
    /// `db` also holds the consent ledger's `records` (the ledger's own
    /// server): each export then carries the records of the account's
    /// devices. False for a site whose database has no ledger.
    pub ledger_records: bool,
}

/// Creates the rights API's tables, starts its scheduler and returns its
/// routes: how a Rust site mounts the rights API over its own [`super::site::Site`].
pub async fn launch(setup: Setup) -> Result<Started, String> {
    let zone = setup
        .policy
        .controller
        .time_zone
        .clone()
        .unwrap_or_else(|| "UTC".to_owned());
    let deadlines = Deadlines::new(&zone).map_err(|e| format!("the rights policy: {e}"))?;
    super::requests::create_tables(&setup.db)
        .await
        .map_err(|e| e.to_string())?;
    let rights = Arc::new(Rights {
        db: setup.db,
        site: setup.site,
        clock: setup.clock,
        policy_hash: content_hash(&setup.policy),
        policy: setup.policy,
        deadlines,
        key: setup.key,
        exports: setup.exports,
        ledger_records: setup.ledger_records,
        wake: tokio::sync::Notify::new(),
        passes: tokio::sync::Mutex::new(()),
    });
    tracing::info!(policy = %rights.policy.id, zone = %zone, adjustable_clock = rights.clock.is_adjustable(), "rights API on");
    let scheduler = tokio::spawn(super::jobs::run(Arc::clone(&rights)));
    Ok(Started {
        router: super::routes::router(Arc::clone(&rights)),
        rights,
        scheduler,
    })
}

/// Opens the rights API's tables beside the ledger's, with the reference
/// app as the site, seeds the demo account with `--demo`, and starts the
/// scheduler.
pub async fn start(
    options: &RightsOptions,
    backend: &Backend,
    data: &Path,
    key: Arc<LedgerKey>,
) -> Result<Started, String> {
    let policy = crate::policies::read(&options.policy)
        .map_err(|e| format!("--rights-policy {}: {e}", options.policy.display()))?;
    let db = match backend {
        Backend::Sqlite(path) => Db::sqlite(path),
        Backend::Postgres(url) => Db::postgres(url).await,
    }
    .map_err(|e| e.to_string())?;
    let clock = Arc::new(if options.adjustable_clock {
        Clock::adjustable(data)?
    } else {
        Clock::system()
    });
    let demo = Arc::new(Demo {
        db: db.clone(),
        files: data.join("app-files"),
        clock: Arc::clone(&clock),
    });
    demo.create_tables().await.map_err(|e| e.to_string())?;
    let mut started = launch(Setup {
        db,
        site: Arc::clone(&demo) as Arc<dyn super::site::Site>,
        policy,
        clock,
        key,
        exports: data.join("exports"),
        ledger_records: true,
    })
    .await?;
    if options.demo
        && seed::seed(&demo, &started.rights)
            .await
            .map_err(|e| e.to_string())?
    {
        tracing::info!(account = seed::DEMO_ACCOUNT, "demo account seeded");
    }
    started.router = started.router.merge(super::demo::routes::router(App {
        demo,
        rights: Arc::clone(&started.rights),
    }));
    Ok(started)
}
