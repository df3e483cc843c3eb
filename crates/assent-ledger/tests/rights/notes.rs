//! A second site under the rights API, unrelated to the demo: a notes app
//! whose accounts, notes and attachments live in memory (attachments are
//! `FileSource::Bytes`, never files on disk), with bearer tokens of its own
//! and a policy of its own (`notes.toml`, no time zone: UTC). It is mounted
//! in-process with `start::launch` on a plain axum server, and carries out
//! export, restriction and erasure through the same API as the demo, which
//! shows the API is not shaped around the reference app.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use assent_core::rights::model::{ErrorCode, Problem, Status};
use assent_ledger::receipt::LedgerKey;
use assent_ledger::rights::clock::Clock;
use assent_ledger::rights::db::Db;
use assent_ledger::rights::requests;
use assent_ledger::rights::service::Rights;
use assent_ledger::rights::site::{
    Caller, Credential, Erased, FileSource, Site, SiteError, SiteFile,
};
use assent_ledger::rights::start::{launch, Setup};
use async_trait::async_trait;
use axum::http::HeaderMap;
use hyper::Method;
use serde_json::{json, Value};

use crate::api::{ms_of, Auth, RightsClient};
use crate::{text, DAY, HOUR};

struct Note {
    title: String,
    body: String,
    created: u64,
}

struct Attachment {
    name: String,
    media_type: String,
    bytes: Vec<u8>,
    created: u64,
}

struct Member {
    email: String,
    token: String,
    notes: Vec<Note>,
    attachments: Vec<Attachment>,
}

/// The notes app's backend: its members by account id, and what the rights
/// API asked of it.
#[derive(Default)]
struct Notes {
    members: Mutex<BTreeMap<String, Member>>,
    /// Every `restrict` call: (account, read-only).
    restrictions: Mutex<Vec<(String, bool)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Notes {
    /// The app's own write route: refused in read-only mode, which it learns
    /// from the rights API, as a site's routes can.
    async fn write_note(&self, rights: &Rights, account: &str, title: &str) -> Result<(), Problem> {
        rights.check_writable(account).await?;
        let mut members = lock(&self.members);
        let member = members.get_mut(account).ok_or(Problem {
            error: ErrorCode::NotFound,
            message: "no such member".into(),
        })?;
        member.notes.push(Note {
            title: title.to_owned(),
            body: String::new(),
            created: rights.clock.now().as_ms(),
        });
        Ok(())
    }

    fn counts_of(member: Option<&Member>) -> Vec<(String, u64)> {
        let (notes, attachments) = member.map_or((0, 0), |m| {
            (m.notes.len() as u64, m.attachments.len() as u64)
        });
        vec![
            ("identification".into(), u64::from(member.is_some())),
            ("notes".into(), notes),
            ("attachments".into(), attachments),
        ]
    }
}

#[async_trait]
impl Site for Notes {
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Option<Caller>, SiteError> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let Some(token) = token else { return Ok(None) };
        Ok(lock(&self.members)
            .iter()
            .find(|(_, m)| m.token == token)
            .map(|(account, _)| Caller {
                account: account.clone(),
                credential: Credential::Bearer,
            }))
    }

    async fn counts(&self, account: &str) -> Result<Vec<(String, u64)>, SiteError> {
        Ok(Notes::counts_of(lock(&self.members).get(account)))
    }

    async fn data(&self, account: &str) -> Result<Value, SiteError> {
        let members = lock(&self.members);
        let Some(member) = members.get(account) else {
            return Ok(json!({}));
        };
        Ok(json!({
            "identification": [{ "email": member.email }],
            "notes": member.notes.iter().map(|n| json!({
                "title": n.title, "body": n.body, "created_ms": n.created,
            })).collect::<Vec<_>>(),
            "attachments": member.attachments.iter().map(|a| json!({
                "file": format!("files/attachments/{}", a.name), "media_type": a.media_type,
            })).collect::<Vec<_>>(),
        }))
    }

    async fn files(&self, account: &str) -> Result<Vec<SiteFile>, SiteError> {
        let members = lock(&self.members);
        Ok(members
            .get(account)
            .map(|m| {
                m.attachments
                    .iter()
                    .map(|a| SiteFile {
                        name: format!("attachments/{}", a.name),
                        category: "attachments".into(),
                        media_type: a.media_type.clone(),
                        size: a.bytes.len() as u64,
                        created: a.created,
                        source: FileSource::Bytes(a.bytes.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn restrict(&self, account: &str, restricted: bool) -> Result<(), SiteError> {
        lock(&self.restrictions).push((account.to_owned(), restricted));
        Ok(())
    }

    async fn erase(&self, account: &str, _keep: &[String]) -> Result<Erased, SiteError> {
        let member = lock(&self.members).remove(account);
        Ok(Erased {
            deleted: Notes::counts_of(member.as_ref()),
            kept: Vec::new(),
        })
    }

    async fn allow_special(&self, _account: &str, _purpose: &str) -> Result<(), SiteError> {
        Ok(())
    }

    async fn suspend_special(&self, _account: &str, _purpose: &str) -> Result<(), SiteError> {
        Ok(())
    }

    async fn erase_special(&self, _account: &str, _purpose: &str) -> Result<u64, SiteError> {
        Ok(0)
    }
}

const ACCOUNT: &str = "member-7";
const TOKEN: &str = "notes-token-5f1d2c";
const SKETCH: &[u8] = b"<svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>";

fn ada(now: u64) -> Member {
    Member {
        email: "ada@notes.example".into(),
        token: TOKEN.into(),
        notes: ["Shopping", "Ideas", "Reading list"]
            .iter()
            .enumerate()
            .map(|(i, title)| Note {
                title: (*title).into(),
                body: format!("note {i}"),
                created: now - (i as u64 + 1) * DAY,
            })
            .collect(),
        attachments: vec![
            Attachment {
                name: "sketch.svg".into(),
                media_type: "image/svg+xml".into(),
                bytes: SKETCH.to_vec(),
                created: now - DAY,
            },
            Attachment {
                name: "memo.ogg".into(),
                media_type: "audio/ogg".into(),
                bytes: (0..=255u8).cycle().take(70_000).collect(),
                created: now - 2 * DAY,
            },
        ],
    }
}

#[test]
fn a_notes_app_gets_export_restriction_and_erasure_from_the_same_rights_api() {
    crate::support::run(crate::Backend::Sqlite, |_| scenario());
}

async fn scenario() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let policy = assent_ledger::policies::read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rights/notes.toml"),
    )
    .expect("tests/rights/notes.toml parses");
    assert_eq!(policy.controller.time_zone, None, "UTC by default");
    let clock = Arc::new(Clock::adjustable(dir.path()).expect("an adjustable clock"));
    let notes = Arc::new(Notes::default());
    lock(&notes.members).insert(ACCOUNT.into(), ada(clock.now().as_ms()));
    let started = launch(Setup {
        db: Db::sqlite(&dir.path().join("rights.sqlite3")).expect("a SQLite database"),
        site: Arc::clone(&notes) as Arc<dyn Site>,
        policy,
        clock,
        key: Arc::new(LedgerKey::from_seed([7; 32])),
        exports: dir.path().join("exports"),
        // Regression: exports read the ledger's `records` table whatever the
        // database, so on a site's own database they failed and were retried
        // for ever, `in_progress` at 0 %.
        ledger_records: false,
    })
    .await
    .expect("launch accepts the notes policy");
    let rights = Arc::clone(&started.rights);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("an address");
    let router = started.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let mut api = RightsClient::at(address);
    let who = Auth::Bearer(TOKEN.into());

    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["account"], ACCOUNT);
    assert_eq!(
        account["special_consents"],
        json!([]),
        "no special processing"
    );
    let notice = api.get(&who, "/rights/v1/notice").await;
    assert_eq!(notice["policy"], "notes-example");
    assert_eq!(
        crate::counts(&notice),
        [("identification", 1), ("notes", 3), ("attachments", 2)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
    );

    // Export: the notes in data.json, the attachments' bytes under files/.
    let ordered = api
        .call(&who, Method::POST, "/rights/v1/exports", None)
        .await
        .expect(202, "export")
        .json;
    let (_, done) = api
        .until_status(&who, &text(&ordered["request_id"]), "fulfilled")
        .await;
    let zip = api
        .call(
            &Auth::Nobody,
            Method::GET,
            &text(&done["results_url"]),
            None,
        )
        .await
        .expect(200, "the download")
        .body;
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).expect("a ZIP archive");
    let mut entry = |name: &str| {
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        bytes
    };
    let data: Value = serde_json::from_slice(&entry("data.json")).expect("data.json");
    assert_eq!(data["account"], ACCOUNT);
    assert_eq!(data["policy"]["id"], "notes-example");
    let titles: Vec<&str> = data["data"]["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["title"].as_str())
        .collect();
    assert_eq!(titles, ["Shopping", "Ideas", "Reading list"]);
    let files: Vec<(String, u64)> = data["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| (text(&f["path"]), f["size"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(
        files,
        [
            (
                "files/attachments/sketch.svg".to_owned(),
                SKETCH.len() as u64
            ),
            ("files/attachments/memo.ogg".to_owned(), 70_000)
        ]
    );
    assert_eq!(entry("files/attachments/sketch.svg"), SKETCH);
    let memo: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    assert_eq!(entry("files/attachments/memo.ogg"), memo);
    assert_eq!(data["consent_records"], 0, "no ledger, no device records");

    // Restriction: the site is told, and its own writes are refused.
    api.call(&who, Method::POST, "/rights/v1/restriction", None)
        .await
        .expect(200, "restrict");
    assert_eq!(*lock(&notes.restrictions), [(ACCOUNT.to_owned(), true)]);
    let refused = notes.write_note(&rights, ACCOUNT, "while restricted").await;
    assert_eq!(
        refused.map_err(|p| p.error),
        Err(ErrorCode::AccountRestricted)
    );
    let warning = crate::lift_warning(&mut api, &who).await;
    api.call(
        &who,
        Method::DELETE,
        "/rights/v1/restriction",
        Some(json!({ "warning_id": warning["warning_id"] })),
    )
    .await
    .expect(200, "lift");
    assert_eq!(
        *lock(&notes.restrictions),
        [(ACCOUNT.to_owned(), true), (ACCOUNT.to_owned(), false)]
    );
    notes
        .write_note(&rights, ACCOUNT, "once lifted")
        .await
        .expect("a write once lifted");

    // Erasure: 30 days to the millisecond in UTC, nothing kept by law.
    let scheduled = api
        .call(&who, Method::POST, "/rights/v1/erasure", None)
        .await
        .expect(202, "erasure")
        .json;
    let id = text(&scheduled["request_id"]);
    let erasure_at = ms_of(&scheduled["erasure_at"]);
    assert_eq!(erasure_at, ms_of(&scheduled["received_at"]) + 30 * DAY);
    assert!(scheduled.get("retained").is_none(), "{scheduled}");
    let now = api.server_time(&who).await;
    api.advance(erasure_at - HOUR - now).await;
    assert_eq!(api.request(&who, &id).await["status"], "in_progress");
    assert!(lock(&notes.members).contains_key(ACCOUNT), "erased early");
    api.advance(HOUR + 1_000).await;
    let done = eventually!("the notes member is erased", {
        let stored = requests::by_id(&rights.db, &id)
            .await
            .expect("the database answers")
            .expect("the request");
        if stored.1.status == Status::Fulfilled {
            Ok(stored.1)
        } else {
            Err(format!("{:?}", stored.1.status))
        }
    });
    assert!(done.closed_at.is_some_and(|t| t.as_ms() >= erasure_at));
    assert_eq!(
        done.processing_details
            .as_deref()
            .map(|d| d.contains("7 items deleted")),
        Some(true),
        "1 identification + 4 notes + 2 attachments: {:?}",
        done.processing_details
    );
    assert!(!lock(&notes.members).contains_key(ACCOUNT));
    api.call(&who, Method::GET, "/rights/v1/account", None)
        .await
        .refused(401, "unauthenticated", "the token of an erased member");

    server.abort();
    started.stop().await;
}
