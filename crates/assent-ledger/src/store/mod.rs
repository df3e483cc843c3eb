//! Append-only storage of records, on SQLite or PostgreSQL, with group commit.
//!
//! Request handlers verify records in parallel and [`Store::submit`] them to
//! one writer, which takes every pending submission as a batch, checks chain
//! continuity and idempotency inside one transaction ([`batch::decide`]),
//! inserts, commits once, and only once that commit is durable (SQLite: after
//! its sync thread has synced the WAL, see `sqlite`) answers each submission:
//! an acknowledged record is durable. The table refuses `UPDATE` and `DELETE`
//! (triggers), and `UNIQUE (subject, seq)` keeps each chain linear even with
//! several ledgers on one PostgreSQL database.

pub mod batch;
mod postgres;
mod sqlite;

use std::path::{Path, PathBuf};

use tokio::sync::{mpsc, oneshot};

/// The SQLite file's name in the data directory.
pub const SQLITE_FILE: &str = "ledger.sqlite3";
/// The most submissions one transaction takes.
pub const MAX_BATCH: usize = 1024;

/// How long the SQLite writer waits after committing a batch of more than
/// one record before it takes the next: under load, submissions gather into
/// batches of about twenty instead of two or three, so there are far fewer
/// commits, WAL syncs and thread wake-ups for the same records (measured with
/// `cargo xtask bench ledger`: the ledger's CPU per record fell by about a
/// fifth, its throughput rose by about a tenth, p50 latency did not move). A
/// record that arrives at an idle ledger (the last batch was one record or
/// none) is committed at once.
pub const LINGER: std::time::Duration = std::time::Duration::from_millis(1);

/// Where records are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by `postgres://` URL.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL when `database_url` is a `postgres://` or `postgresql://`
    /// URL, else SQLite at `data_dir/ledger.sqlite3`.
    pub fn choose(database_url: Option<&str>, data_dir: &Path) -> Backend {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Backend::Postgres(url.to_owned())
            }
            _ => Backend::Sqlite(data_dir.join(SQLITE_FILE)),
        }
    }

    /// `sqlite` or `postgres`, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// One record row: what is stored for each record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Record id (primary key).
    pub id: String,
    /// Subject.
    pub subject: String,
    /// Position in the subject's chain.
    pub seq: u64,
    /// Record hash.
    pub hash: String,
    /// The compact JWS as posted.
    pub jws: String,
    /// The receipt JWS.
    pub receipt: String,
    /// When the ledger received it, Unix milliseconds.
    pub received: u64,
}

/// A verified record offered to the writer.
#[derive(Clone, Debug)]
pub struct Submission {
    /// The row to store.
    pub row: Row,
    /// The record's `previous`, checked against the subject's last record.
    pub previous: Option<String>,
}

/// What happened to a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored and committed now.
    Stored,
    /// Already stored with the same bytes: the original receipt.
    Replayed {
        /// The receipt given then.
        receipt: String,
        /// When it was received then.
        received: u64,
    },
    /// Does not continue the subject's chain (reason).
    Chain(String),
    /// The id is stored with other content (reason).
    IdConflict(String),
    /// Storage failed; nothing of the batch was stored (reason).
    Unavailable(String),
}

/// A stored record as exports list it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stored {
    /// The record JWS.
    pub jws: String,
    /// The receipt JWS.
    pub receipt: String,
    /// When it was received, Unix milliseconds.
    pub received: u64,
}

struct Pending {
    submission: Submission,
    reply: oneshot::Sender<Outcome>,
}

/// The open store: the writer's queue and a way to read.
pub struct Store {
    queue: Option<mpsc::Sender<Pending>>,
    writer: Option<Writer>,
    reader: Reader,
}

enum Writer {
    Thread(std::thread::JoinHandle<()>),
    Task(tokio::task::JoinHandle<()>),
}

enum Reader {
    Sqlite(PathBuf),
    /// The URL, and a connection made again when it was lost.
    Postgres(String, tokio::sync::Mutex<tokio_postgres::Client>),
}

impl Store {
    /// Opens (creating the schema if needed) and starts the writer.
    pub async fn open(backend: &Backend) -> Result<Store, String> {
        let (queue, pending) = mpsc::channel(4 * MAX_BATCH);
        match backend {
            Backend::Sqlite(path) => {
                let connection = sqlite::open(path)?;
                let writer = std::thread::Builder::new()
                    .name("ledger-writer".into())
                    .spawn(move || sqlite::write(connection, pending))
                    .map_err(|e| format!("cannot start the writer thread: {e}"))?;
                Ok(Store {
                    queue: Some(queue),
                    writer: Some(Writer::Thread(writer)),
                    reader: Reader::Sqlite(path.clone()),
                })
            }
            Backend::Postgres(url) => {
                let writer_client = postgres::connect(url).await?;
                postgres::create_schema(&writer_client).await?;
                let reader = postgres::connect(url).await?;
                let writer = tokio::spawn(postgres::write(url.clone(), writer_client, pending));
                Ok(Store {
                    queue: Some(queue),
                    writer: Some(Writer::Task(writer)),
                    reader: Reader::Postgres(url.clone(), tokio::sync::Mutex::new(reader)),
                })
            }
        }
    }

    /// Offers a verified record to the writer; answers once it is committed
    /// (or refused, or storage failed).
    pub async fn submit(&self, submission: Submission) -> Outcome {
        let (reply, answer) = oneshot::channel();
        let Some(queue) = &self.queue else {
            return Outcome::Unavailable("the ledger is shutting down".into());
        };
        if queue.send(Pending { submission, reply }).await.is_err() {
            return Outcome::Unavailable("the writer has stopped".into());
        }
        answer
            .await
            .unwrap_or_else(|_| Outcome::Unavailable("the writer has stopped".into()))
    }

    /// Every stored record of `subject` (or of all subjects), by subject and seq.
    pub async fn records(&self, subject: Option<&str>) -> Result<Vec<Stored>, String> {
        match &self.reader {
            Reader::Sqlite(path) => {
                let path = path.clone();
                let subject = subject.map(str::to_owned);
                tokio::task::spawn_blocking(move || sqlite::records(&path, subject.as_deref()))
                    .await
                    .map_err(|e| format!("reader failed: {e}"))?
            }
            Reader::Postgres(url, client) => {
                let mut client = client.lock().await;
                if client.is_closed() {
                    *client = postgres::connect(url).await?;
                }
                postgres::records(&client, subject).await
            }
        }
    }

    /// Stops taking submissions, lets the writer finish what it holds, and waits for it.
    pub async fn close(mut self) {
        self.queue = None;
        match self.writer.take() {
            Some(Writer::Thread(handle)) => {
                let _ = tokio::task::spawn_blocking(move || handle.join()).await;
            }
            Some(Writer::Task(handle)) => {
                let _ = handle.await;
            }
            None => {}
        }
    }
}

/// A PostgreSQL connection (no TLS) whose connection task runs on its own;
/// the rights API's tables share the ledger's database.
pub async fn connect_postgres(url: &str) -> Result<tokio_postgres::Client, String> {
    postgres::connect(url).await
}

/// Every stored record of a backend (the `export` command, no server needed).
pub async fn read_records(backend: &Backend, subject: Option<&str>) -> Result<Vec<Stored>, String> {
    match backend {
        Backend::Sqlite(path) => {
            if !path.is_file() {
                return Err(format!("{}: no ledger database here", path.display()));
            }
            sqlite::records(path, subject)
        }
        Backend::Postgres(url) => {
            let client = postgres::connect(url).await?;
            postgres::records(&client, subject).await
        }
    }
}

/// A batch taken from the queue: the submissions and where to answer each.
struct Batch {
    submissions: Vec<Submission>,
    replies: Vec<oneshot::Sender<Outcome>>,
}

impl Batch {
    /// Waits for one submission (`first`), then takes whatever else is already
    /// queued, up to [`MAX_BATCH`]. `None` when the queue is closed and empty.
    fn take(first: Option<Pending>, pending: &mut mpsc::Receiver<Pending>) -> Option<Batch> {
        let mut batch = Batch {
            submissions: Vec::new(),
            replies: Vec::new(),
        };
        batch.push(first?);
        while batch.submissions.len() < MAX_BATCH {
            match pending.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        Some(batch)
    }

    fn push(&mut self, pending: Pending) {
        self.submissions.push(pending.submission);
        self.replies.push(pending.reply);
    }

    /// Answers every submission, in order.
    fn answer(self, outcomes: Vec<Outcome>) {
        for (reply, outcome) in self.replies.into_iter().zip(outcomes) {
            // The client may have gone; its record's fate is decided all the same.
            let _ = reply.send(outcome);
        }
    }

    /// The same failure for every submission.
    fn fail(self, reason: &str) {
        let outcomes = vec![Outcome::Unavailable(reason.to_owned()); self.replies.len()];
        self.answer(outcomes);
    }
}
