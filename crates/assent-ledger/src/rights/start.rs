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

/// Opens the rights API's tables beside the ledger's, seeds the demo account
/// with `--demo`, and starts the scheduler.
pub async fn start(
    options: &RightsOptions,
    backend: &Backend,
    data: &Path,
    key: Arc<LedgerKey>,
) -> Result<Started, String> {
    let policy = crate::policies::read(&options.policy)
        .map_err(|e| format!("--rights-policy {}: {e}", options.policy.display()))?;
    let zone = policy
        .controller
        .time_zone
        .clone()
        .unwrap_or_else(|| "UTC".to_owned());
    let deadlines = Deadlines::new(&zone).map_err(|e| format!("--rights-policy: {e}"))?;
    let db = match backend {
        Backend::Sqlite(path) => Db::sqlite(path),
        Backend::Postgres(url) => Db::postgres(url).await,
    }
    .map_err(|e| e.to_string())?;
    super::requests::create_tables(&db)
        .await
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
    let rights = Arc::new(Rights {
        db,
        site: Arc::clone(&demo) as Arc<dyn super::site::Site>,
        clock,
        policy_hash: content_hash(&policy),
        policy,
        deadlines,
        key,
        exports: data.join("exports"),
        wake: tokio::sync::Notify::new(),
    });
    if options.demo
        && seed::seed(&demo, &rights)
            .await
            .map_err(|e| e.to_string())?
    {
        tracing::info!(account = seed::DEMO_ACCOUNT, "demo account seeded");
    }
    tracing::info!(policy = %rights.policy.id, zone = %zone, adjustable_clock = options.adjustable_clock, "rights API on");
    let scheduler = tokio::spawn(super::jobs::run(Arc::clone(&rights)));
    let router =
        super::routes::router(Arc::clone(&rights)).merge(super::demo::routes::router(App {
            demo,
            rights: Arc::clone(&rights),
        }));
    Ok(Started {
        rights,
        router,
        scheduler,
    })
}
