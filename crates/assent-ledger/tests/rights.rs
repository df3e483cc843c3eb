//! The rights API end to end (`docs/rights-api.yaml`): the real
//! `assent-ledger` binary serving the Pix2Clip policy with an adjustable
//! clock and the demo account, on SQLite and on PostgreSQL (`sqlite::…` and
//! `postgres::…` tests). Every call goes through one helper that checks what
//! it sends and what it gets against the contract ([`api`]); time is moved
//! on the server's clock, never waited for; and what the server says is
//! checked against what it holds: the database, read directly, and the
//! files on disk. [`notes`] mounts the same API in-process over an unrelated
//! site, to show it is not shaped around the demo.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use assent_core::policy::model::Policy;
use assent_core::rights::deadline::Deadlines;
use assent_core::rights::erasure;
use assent_core::rights::time::Timestamp;
use base64::Engine;
use hyper::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The longest a test waits for something the server does on its own.
const WAIT: Duration = Duration::from_secs(30);
/// How often it looks meanwhile.
const POLL: Duration = Duration::from_millis(50);

/// Polls `check` (an expression, awaited inline, giving `Ok(value)` or
/// `Err(what was seen)`) every [`POLL`] until it is `Ok`; after [`WAIT`],
/// fails saying what did not happen and what was seen last.
macro_rules! eventually {
    ($what:expr, $check:expr) => {{
        let started = std::time::Instant::now();
        loop {
            match $check {
                Ok(value) => break value,
                Err(last) if started.elapsed() >= crate::WAIT => panic!(
                    "after {:?}, still not so: {}; last seen: {}",
                    crate::WAIT,
                    $what,
                    last
                ),
                Err(_) => tokio::time::sleep(crate::POLL).await,
            }
        }
    }};
}

mod support;

#[path = "rights/api.rs"]
mod api;
#[path = "rights/notes.rs"]
mod notes;

use api::{ms_of, Auth, How, Key, RightsClient, Store, BASE};
use support::{on_both_backends, Backend, Ledger};

on_both_backends!(
    art_12_3_manual_requests_are_due_in_a_month_and_the_notice_counts_what_is_held,
    art_15_an_export_downloads_with_ranges_until_its_link_is_revoked_or_expires,
    art_18_a_restricted_account_is_read_only_until_lifted_after_a_warning,
    art_9_2_a_explicit_consent_is_to_the_policy_statement_word_for_word,
    a_retried_change_is_answered_and_done_once_per_idempotency_key,
    art_17_erasure_happens_on_day_30_and_not_before,
    a_cancelled_erasure_never_happens,
    art_17_1_b_withdrawn_voice_data_is_deleted_before_its_deadline,
    an_erasure_due_during_an_outage_happens_exactly_once_after_restart,
    another_account_can_neither_see_nor_touch_requests_or_links,
    changes_by_session_cookie_need_the_csrf_token_and_bearer_calls_do_not,
    art_20_the_export_zip_opens_everywhere_and_holds_what_the_server_holds,
);

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// The demo account (`--demo`) and how it signs in.
const DEMO_ACCOUNT: &str = "acct-demo";
const DEMO_EMAIL: &str = "demo@pix2clip.example";
/// What the demo seed knows of the person: no log line may hold any of it.
const DEMO_PERSONAL: &[&str] = &[
    DEMO_EMAIL,
    "Camille",
    "Martin",
    "203.0.113.",
    "12 rue des Lilas",
];
const VOICE: &str = "/rights/v1/special-consents/voice-cloning";

/// The ledger binary serving the rights API for Pix2Clip with an adjustable
/// clock and the demo account.
async fn demo(backend: Backend) -> Ledger {
    let policy = support::policies_dir().join("pix2clip.toml");
    let policy = policy.to_str().expect("a UTF-8 path");
    Ledger::start_with(
        backend,
        &["--rights-policy", policy, "--clock", "adjustable", "--demo"],
        &[],
    )
    .await
}

fn pix2clip() -> Policy {
    assent_ledger::policies::read(&support::policies_dir().join("pix2clip.toml"))
        .expect("www/policies/pix2clip.toml parses")
}

/// The voice-cloning statement of the policy in `lang`.
fn statement(lang: &str) -> String {
    let policy = pix2clip();
    let special = erasure::special(&policy, "voice-cloning").expect("voice-cloning");
    let (language, words) = erasure::statement(&policy, special, lang).expect("a statement");
    assert_eq!(language, lang, "the policy words its statement in {lang}");
    words.to_owned()
}

/// Deadlines in the controller's time zone, as the server computes them.
fn deadlines() -> Deadlines {
    let policy = pix2clip();
    let zone = policy
        .controller
        .time_zone
        .expect("pix2clip names its time zone");
    Deadlines::new(&zone).expect("a known zone")
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
        .to_owned()
}

/// The count per data category of a notice.
fn counts(notice: &Value) -> BTreeMap<String, u64> {
    notice["data"]
        .as_array()
        .expect("notice data")
        .iter()
        .map(|d| (text(&d["id"]), d["count"].as_u64().unwrap_or(u64::MAX)))
        .collect()
}

/// What the demo seed holds, per data category, for one session.
fn demo_counts() -> BTreeMap<String, u64> {
    [
        ("identification", 1),
        ("authentication", 1),
        ("billing", 3),
        ("technical", 6),
        ("content", 6),
        ("usage", 12),
        ("voice", 2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The download token of a `results_url` (a secret: never in the logs).
fn token_of(results_url: &str) -> String {
    results_url
        .strip_prefix("/rights/v1/downloads/")
        .unwrap_or_else(|| panic!("not a download link: {results_url}"))
        .to_owned()
}

/// The export archive of a request on disk.
fn archive(ledger: &Ledger, request: &str) -> PathBuf {
    ledger
        .data
        .path()
        .join("exports")
        .join(format!("{request}.zip"))
}

/// The request of `kind` among a list.
fn find<'a>(list: &'a Value, kind: &str) -> Vec<&'a Value> {
    list["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| r["type"] == kind)
        .collect()
}

/// Stops the server (so every log line is written) and checks that its log
/// names nobody: no e-mail address, name or IP address of a person, and
/// none of `secrets` (download links, session tokens, other accounts'
/// details).
fn assert_logs_name_nobody(ledger: &mut Ledger, secrets: &[&str]) {
    ledger.stop();
    let logs = ledger.logs();
    assert!(!logs.is_empty(), "the server logged nothing");
    for secret in DEMO_PERSONAL.iter().chain(secrets) {
        assert!(!logs.contains(secret), "the logs hold {secret:?}:\n{logs}");
    }
    let bytes = logs.as_bytes();
    for (i, _) in logs.match_indices('@') {
        let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
        assert!(
            !(i > 0 && word(bytes.get(i - 1)) && word(bytes.get(i + 1))),
            "the logs hold an e-mail address near: {}",
            &logs[i.saturating_sub(40)..(i + 40).min(logs.len())]
        );
    }
}

async fn art_12_3_manual_requests_are_due_in_a_month_and_the_notice_counts_what_is_held(
    backend: Backend,
) {
    let mut ledger = demo(backend).await;
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    assert_eq!(me.account, DEMO_ACCOUNT);
    let who = me.bearer();

    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["account"], DEMO_ACCOUNT);
    assert_eq!(account["state"], "active");
    let drift = ms_of(&account["server_time"]).abs_diff(support::now_ms());
    assert!(
        drift < MINUTE,
        "server_time is the clock, not moved yet: {account}"
    );
    assert!(account.get("erasure").is_none() && account.get("restriction").is_none());
    let voice = &account["special_consents"][0];
    assert_eq!(voice["purpose"], "voice-cloning");
    assert_eq!(
        voice["given"], true,
        "the demo consented to voice cloning: {voice}"
    );
    assert_eq!(voice["language"], "en");
    assert_eq!(voice["statement"], statement("en").as_str());
    assert_eq!(voice["statement_language"], "en");
    // The statement in the language asked for, by ?lang= or Accept-Language,
    // else in the policy's first language.
    let french = api.get(&who, "/rights/v1/account?lang=fr").await;
    assert_eq!(
        french["special_consents"][0]["statement"],
        statement("fr").as_str()
    );
    assert_eq!(french["special_consents"][0]["statement_language"], "fr");
    let asked = api
        .call_with(
            &who,
            How::headers(&[("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")]),
            Method::GET,
            "/rights/v1/account",
            None,
        )
        .await
        .expect(200, "GET /account in French");
    assert_eq!(
        asked.json["special_consents"][0]["statement_language"],
        "fr"
    );
    let german = api.get(&who, "/rights/v1/account?lang=de").await;
    assert_eq!(german["special_consents"][0]["statement_language"], "en");

    // What we hold about you: the seed's counts (4 images + 2 videos of
    // content, the voice sample and model, 3 invoices…).
    let notice = api.get(&who, "/rights/v1/notice").await;
    assert_eq!(notice["policy"], "pix2clip");
    assert_eq!(notice["lang"], "en");
    assert_eq!(counts(&notice), demo_counts(), "{}", notice["data"]);
    let files = api.files(&who).await;
    assert_eq!(files.len(), 6 + 2, "{files:?}");
    let french = api.get(&who, "/rights/v1/notice?lang=fr").await;
    assert_eq!(french["lang"], "fr");
    assert_eq!(counts(&french), demo_counts());

    let list = api.get(&who, "/rights/v1/requests").await;
    assert_eq!(list["requests"], json!([]), "no request yet");

    // Requests answered by hand: one month in Paris, as Art 12(3) counts it.
    let deadlines = deadlines();
    let mut made = Vec::new();
    for (kind, details) in [
        ("rectification", "My first name is spelt with an accent."),
        (
            "objection",
            "I object to my connection logs being used for support.",
        ),
    ] {
        let before = api.server_time(&who).await;
        let request = api
            .call(
                &who,
                Method::POST,
                "/rights/v1/requests",
                Some(json!({ "type": kind, "details": details })),
            )
            .await
            .expect(201, kind)
            .json;
        assert_eq!(request["type"], kind);
        assert_eq!(request["status"], "open");
        assert_eq!(request["processing_details"], details);
        let received = ms_of(&request["received_at"]);
        assert!(received >= before, "{request}");
        let expected_by = ms_of(&request["expected_by"]);
        assert_eq!(
            expected_by,
            deadlines
                .answer_by(Timestamp::from_ms(received), false)
                .as_ms(),
            "expected_by is the Art 12(3) date: {request}"
        );
        assert!(
            (28 * DAY..35 * DAY).contains(&(expected_by - received)),
            "one month, moved off a weekend: {request}"
        );
        assert!(request.get("extended").is_none(), "{request}");
        made.push(request);
    }
    api.call_with(
        &who,
        How::off_contract(),
        Method::POST,
        "/rights/v1/requests",
        Some(json!({ "type": "erasure", "details": "erase me" })),
    )
    .await
    .refused(400, "malformed", "an erasure is not a manual request");
    api.call(
        &who,
        Method::POST,
        "/rights/v1/requests",
        Some(json!({ "type": "rectification", "details": "   " })),
    )
    .await
    .refused(400, "malformed", "details of white space only");

    // The list (newest first) and each request by id say the same.
    let list = api.get(&who, "/rights/v1/requests").await;
    let listed = list["requests"].as_array().expect("requests").clone();
    assert_eq!(listed.len(), 2, "{list}");
    assert!(ms_of(&listed[0]["received_at"]) >= ms_of(&listed[1]["received_at"]));
    for request in &made {
        assert!(listed.contains(request), "{request} not in {list}");
        let id = text(&request["request_id"]);
        assert_eq!(&api.request(&who, &id).await, request);
    }
    api.call(
        &who,
        Method::GET,
        "/rights/v1/requests/no-such-request",
        None,
    )
    .await
    .refused(404, "not_found", "an unknown request");
    assert_logs_name_nobody(&mut ledger, &[&me.token]);
}

async fn art_15_an_export_downloads_with_ranges_until_its_link_is_revoked_or_expires(
    backend: Backend,
) {
    let mut ledger = demo(backend).await;
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();

    let ordered = api
        .call(&who, Method::POST, "/rights/v1/exports", None)
        .await
        .expect(202, "POST /exports")
        .json;
    assert_eq!(ordered["type"], "access");
    assert_eq!(ordered["status"], "open");
    let id = text(&ordered["request_id"]);
    let (seen, done) = api.until_status(&who, &id, "fulfilled").await;
    let order = ["open", "in_progress", "fulfilled"];
    let steps: Vec<usize> = seen
        .iter()
        .map(|s| order.iter().position(|o| o == s).expect("a known status"))
        .collect();
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    let (progress, written) = (&done["progress"], &done["archive"]);
    assert_eq!(progress["files_done"], progress["files_total"], "{done}");
    assert_eq!(progress["bytes_done"], progress["bytes_total"], "{done}");
    assert_eq!(progress["files_done"], written["files"], "{done}");
    assert_eq!(
        written["files"],
        4 + 8,
        "4 documents and the 8 files: {done}"
    );
    let link = text(&done["results_url"]);
    let token = token_of(&link);
    let lasts = ms_of(&done["expires_at"]) - ms_of(&done["closed_at"]);
    assert!(
        lasts.abs_diff(7 * DAY) < MINUTE,
        "the link lasts 7 days: {done}"
    );

    // The whole archive, to whoever holds the link, and to its owner.
    let size = written["size"].as_u64().expect("size");
    let whole = api
        .call(&Auth::Nobody, Method::GET, &link, None)
        .await
        .expect(200, "the download");
    assert_eq!(whole.body.len() as u64, size);
    assert_eq!(
        format!("sha256:{}", sha256(&whole.body)),
        text(&written["sha256"])
    );
    assert_eq!(whole.header("content-type"), Some("application/zip"));
    assert_eq!(whole.header("content-length"), Some(&*size.to_string()));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    let etag = format!("\"{}\"", text(&written["sha256"]));
    assert_eq!(whole.header("etag"), Some(etag.as_str()));
    let disposition = whole.header("content-disposition").unwrap_or("");
    assert!(
        disposition.starts_with("attachment") && disposition.contains("pix2clip-data-export.zip"),
        "{disposition}"
    );
    assert!(whole
        .header("cache-control")
        .is_some_and(|c| c.contains("no-store")));
    let owned = api
        .call(&who, Method::GET, &link, None)
        .await
        .expect(200, "the download, signed in");
    assert_eq!(owned.body, whole.body);

    let head = api
        .call(&Auth::Nobody, Method::HEAD, &link, None)
        .await
        .expect(200, "HEAD");
    assert_eq!(head.header("content-length"), Some(&*size.to_string()));
    assert!(head.body.is_empty());

    // Resuming: single ranges, If-Range on the strong ETag, and a range past the end.
    let range = |spec: &str| format!("bytes={spec}");
    let part = |reply: &api::Reply| reply.header("content-range").unwrap_or("").to_owned();
    let first = range("0-99");
    let reply = api
        .call_with(
            &Auth::Nobody,
            How::headers(&[("range", first.as_str())]),
            Method::GET,
            &link,
            None,
        )
        .await
        .expect(206, "the first 100 bytes");
    assert_eq!(part(&reply), format!("bytes 0-99/{size}"));
    assert_eq!(reply.body, whole.body.slice(..100));
    let reply = api
        .call_with(
            &Auth::Nobody,
            How::headers(&[("range", "bytes=-22")]),
            Method::GET,
            &link,
            None,
        )
        .await
        .expect(206, "the last 22 bytes");
    assert_eq!(reply.body, whole.body.slice(whole.body.len() - 22..));
    let rest = range("100-");
    let reply = api
        .call_with(
            &Auth::Nobody,
            How::headers(&[("range", rest.as_str()), ("if-range", etag.as_str())]),
            Method::GET,
            &link,
            None,
        )
        .await
        .expect(206, "the rest, if unchanged");
    assert_eq!(reply.body, whole.body.slice(100..));
    let reply = api
        .call_with(
            &Auth::Nobody,
            How::headers(&[("range", rest.as_str()), ("if-range", "\"sha256:00\"")]),
            Method::GET,
            &link,
            None,
        )
        .await
        .expect(200, "the whole, when changed");
    assert_eq!(reply.body, whole.body);
    let past = range(&format!("{size}-"));
    let reply = api
        .call_with(
            &Auth::Nobody,
            How::headers(&[("range", past.as_str())]),
            Method::GET,
            &link,
            None,
        )
        .await
        .expect(416, "a range past the end");
    assert_eq!(part(&reply), format!("bytes */{size}"));

    // Revoked: the link is gone at once, and so is the archive.
    let revoked = api
        .call(&who, Method::DELETE, &format!("{BASE}/exports/{id}"), None)
        .await
        .expect(200, "revoke")
        .json;
    assert_eq!(revoked["status"], "revoked");
    assert!(revoked.get("results_url").is_none(), "{revoked}");
    api.call(&Auth::Nobody, Method::GET, &link, None)
        .await
        .refused(410, "link_gone", "a revoked link");
    api.call(&who, Method::GET, &link, None).await.refused(
        410,
        "link_gone",
        "a revoked link, signed in",
    );
    assert_eq!(api.request(&who, &id).await["status"], "revoked");
    assert!(
        !archive(&ledger, &id).exists(),
        "the revoked archive is deleted"
    );
    let again = api
        .call(&who, Method::DELETE, &format!("{BASE}/exports/{id}"), None)
        .await
        .expect(200, "revoke again");
    assert_eq!(again.json["status"], "revoked");

    // Expired: a link works for 7 days, not 8.
    let second = api
        .call(
            &who,
            Method::POST,
            "/rights/v1/exports",
            Some(json!({ "type": "portability" })),
        )
        .await
        .expect(202, "a portability export")
        .json;
    assert_eq!(second["type"], "portability");
    let second_id = text(&second["request_id"]);
    let (_, done) = api.until_status(&who, &second_id, "fulfilled").await;
    let second_link = text(&done["results_url"]);
    api.call(&Auth::Nobody, Method::HEAD, &second_link, None)
        .await
        .expect(200, "a fresh link");
    api.advance(8 * DAY).await;
    api.call(&Auth::Nobody, Method::GET, &second_link, None)
        .await
        .refused(410, "link_gone", "a link after 8 days");
    api.until_status(&who, &second_id, "expired").await;
    let path = archive(&ledger, &second_id);
    eventually!("the expired archive is deleted", {
        if path.exists() {
            Err(path.display().to_string())
        } else {
            Ok(())
        }
    });
    let second_token = token_of(&second_link);
    assert_logs_name_nobody(&mut ledger, &[&token, &second_token, &me.token]);
}

async fn art_18_a_restricted_account_is_read_only_until_lifted_after_a_warning(backend: Backend) {
    let mut ledger = demo(backend).await;
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();
    let image = || Some(json!({ "prompt": "a red kite over the dunes" }));
    api.call(&who, Method::POST, "/app/v1/images", image())
        .await
        .expect(201, "a write before the restriction");

    let restricted = api
        .call(&who, Method::POST, "/rights/v1/restriction", None)
        .await
        .expect(200, "restrict")
        .json;
    assert_eq!(restricted["type"], "restriction");
    assert_eq!(restricted["status"], "fulfilled");
    assert!(restricted.get("lifted_at").is_none());
    let id = text(&restricted["request_id"]);
    let again = api
        .call(&who, Method::POST, "/rights/v1/restriction", None)
        .await
        .expect(200, "restrict again");
    assert_eq!(
        again.json["request_id"],
        id.as_str(),
        "one restriction at a time"
    );
    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["state"], "restricted");
    assert_eq!(account["restriction"]["request_id"], id.as_str());

    // Read-only: the app's writes and the rights API's own changes are refused.
    for auth in [me.bearer(), me.cookie()] {
        api.call(&auth, Method::POST, "/app/v1/images", image())
            .await
            .refused(423, "account_restricted", "an app write while restricted");
    }
    let grant = json!({ "language": "en", "statement": statement("en"), "affirmed": true });
    api.call(&who, Method::POST, VOICE, Some(grant))
        .await
        .refused(423, "account_restricted", "a consent while restricted");
    assert_eq!(
        api.files(&who).await.len(),
        6 + 1 + 2,
        "nothing was written"
    );

    // Lifting: only with a warning issued to this account, still valid.
    api.call(
        &who,
        Method::DELETE,
        "/rights/v1/restriction",
        Some(json!({ "warning_id": "no-such-warning" })),
    )
    .await
    .refused(400, "malformed", "a lift without a warning");
    let stale = lift_warning(&mut api, &who).await;
    assert!(!text(&stale["text"]).is_empty());
    let issued = ms_of(&stale["issued_at"]);
    assert_eq!(ms_of(&stale["expires_at"]), issued + 15 * MINUTE, "{stale}");
    api.advance(16 * MINUTE).await;
    api.call(
        &who,
        Method::DELETE,
        "/rights/v1/restriction",
        Some(json!({ "warning_id": stale["warning_id"] })),
    )
    .await
    .refused(409, "conflict", "a lift quoting an expired warning");
    assert_eq!(
        api.get(&who, "/rights/v1/account").await["state"],
        "restricted"
    );

    let warning = lift_warning(&mut api, &who).await;
    let lifted = api
        .call(
            &who,
            Method::DELETE,
            "/rights/v1/restriction",
            Some(json!({ "warning_id": warning["warning_id"] })),
        )
        .await
        .expect(200, "lift")
        .json;
    assert_eq!(lifted["request_id"], id.as_str());
    assert_eq!(
        lifted["warned_at"], warning["issued_at"],
        "Art 18(3): when warned"
    );
    assert!(ms_of(&lifted["lifted_at"]) >= ms_of(&lifted["warned_at"]));
    assert_eq!(
        api.request(&who, &id).await,
        lifted,
        "recorded in the request"
    );
    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["state"], "active");
    assert!(account.get("restriction").is_none(), "{account}");
    api.call(&who, Method::POST, "/app/v1/images", image())
        .await
        .expect(201, "a write once lifted");

    let warning = lift_warning(&mut api, &who).await;
    api.call(
        &who,
        Method::DELETE,
        "/rights/v1/restriction",
        Some(json!({ "warning_id": warning["warning_id"] })),
    )
    .await
    .refused(409, "conflict", "lifting what is not restricted");
    assert_logs_name_nobody(&mut ledger, &[&me.token]);
}

/// A lift warning for the caller (`POST /restriction/lift-warnings`).
async fn lift_warning(api: &mut RightsClient, who: &Auth) -> Value {
    api.call(
        who,
        Method::POST,
        "/rights/v1/restriction/lift-warnings",
        None,
    )
    .await
    .expect(201, "a lift warning")
    .json
}

async fn art_9_2_a_explicit_consent_is_to_the_policy_statement_word_for_word(backend: Backend) {
    let mut ledger = demo(backend).await;
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();
    let (en, fr) = (statement("en"), statement("fr"));
    let speak = || Some(json!({ "text": "Bonjour à tous" }));

    let voice = api
        .call(&who, Method::POST, "/app/v1/voice/synthesize", speak())
        .await
        .expect(200, "synthesis with the seed's consent");
    assert_eq!(voice.header("content-type"), Some("audio/wav"));
    let grant = |language: &str, statement: &str, affirmed: bool| {
        Some(json!({ "language": language, "statement": statement, "affirmed": affirmed }))
    };
    api.call(&who, Method::POST, VOICE, grant("en", &en, true))
        .await
        .refused(409, "conflict", "a consent already given");

    // Withdrawing is one call, and stops the use at once.
    let withdrawn = api
        .call(&who, Method::DELETE, VOICE, None)
        .await
        .expect(200, "withdraw")
        .json;
    assert_eq!(withdrawn["given"], false);
    assert!(withdrawn["withdrawn_at"].is_string() && withdrawn["given_at"].is_string());
    api.call(&who, Method::POST, "/app/v1/voice/synthesize", speak())
        .await
        .refused(403, "consent_required", "synthesis after the withdrawal");
    api.call(&who, Method::DELETE, VOICE, None).await.refused(
        409,
        "conflict",
        "withdrawing what is withdrawn",
    );

    // Explicit consent is the policy's statement, in its language, affirmed.
    let reworded = en.replace("explicit consent", "consent");
    assert_ne!(reworded, en);
    for (what, body) in [
        ("another wording", grant("en", &reworded, true)),
        ("the French statement as English", grant("en", &fr, true)),
        ("a language the policy lacks", grant("de", &en, true)),
        ("a statement not affirmed", grant("en", &en, false)),
    ] {
        api.call(&who, Method::POST, VOICE, body)
            .await
            .refused(422, "statement_mismatch", what);
        let account = api.get(&who, "/rights/v1/account").await;
        assert_eq!(account["special_consents"][0]["given"], false, "{what}");
    }
    api.call(
        &who,
        Method::POST,
        "/rights/v1/special-consents/no-such-processing",
        grant("en", &en, true),
    )
    .await
    .refused(404, "not_found", "an unknown special processing");

    let given = api
        .call(
            &who,
            Method::POST,
            VOICE,
            grant("fr", &format!("  {fr}\n"), true),
        )
        .await
        .expect(201, "consent to the French statement")
        .json;
    assert_eq!(given["given"], true);
    assert_eq!(given["language"], "fr");
    assert_eq!(given["statement"], fr.as_str());
    assert_eq!(given["statement_language"], "fr");
    assert!(ms_of(&given["given_at"]) >= ms_of(&given["withdrawn_at"]));
    api.call(&who, Method::POST, "/app/v1/voice/synthesize", speak())
        .await
        .expect(200, "synthesis with the new consent");
    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["special_consents"][0]["language"], "fr");
    assert_eq!(account["special_consents"][0]["statement"], en.as_str());
    assert_logs_name_nobody(&mut ledger, &[&me.token]);
}

async fn a_retried_change_is_answered_and_done_once_per_idempotency_key(backend: Backend) {
    let mut ledger = demo(backend).await;
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();
    let access = || Some(json!({ "type": "access" }));
    let key = "retry-0c1e-4b7a";

    let first = api
        .call_with(
            &who,
            How::key(Key::Given(key)),
            Method::POST,
            "/rights/v1/exports",
            access(),
        )
        .await
        .expect(202, "an export");
    assert_eq!(first.header("idempotent-replayed"), None);
    let retried = api
        .call_with(
            &who,
            How::key(Key::Given(key)),
            Method::POST,
            "/rights/v1/exports",
            access(),
        )
        .await
        .expect(202, "the same export again");
    assert_eq!(retried.header("idempotent-replayed"), Some("true"));
    assert_eq!(retried.json, first.json, "the first answer, again");
    let exports = |list: &Value| find(list, "access").len() + find(list, "portability").len();
    let list = api.get(&who, "/rights/v1/requests").await;
    assert_eq!(exports(&list), 1, "one export, not two: {list}");

    api.call_with(
        &who,
        How::key(Key::Given(key)),
        Method::POST,
        "/rights/v1/exports",
        Some(json!({ "type": "portability" })),
    )
    .await
    .refused(422, "idempotency_key_reused", "the same key, another body");
    api.call_with(
        &who,
        How::key(Key::Given(key)),
        Method::POST,
        "/rights/v1/requests",
        Some(json!({ "type": "objection", "details": "no" })),
    )
    .await
    .refused(422, "idempotency_key_reused", "the same key, another route");
    api.call_with(
        &who,
        How::key(Key::Missing),
        Method::POST,
        "/rights/v1/erasure",
        None,
    )
    .await
    .refused(428, "idempotency_key_missing", "a change without a key");
    let list = api.get(&who, "/rights/v1/requests").await;
    assert_eq!(list["requests"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(api.get(&who, "/rights/v1/account").await["state"], "active");

    // A refusal is kept too, and answered again.
    let erasure = api
        .call_with(
            &who,
            How::key(Key::Given("erase-1")),
            Method::POST,
            "/rights/v1/erasure",
            None,
        )
        .await
        .expect(202, "an erasure");
    let refusal = api
        .call_with(
            &who,
            How::key(Key::Given("erase-2")),
            Method::POST,
            "/rights/v1/erasure",
            None,
        )
        .await;
    refusal.refused(409, "conflict", "a second erasure");
    let replayed = api
        .call_with(
            &who,
            How::key(Key::Given("erase-2")),
            Method::POST,
            "/rights/v1/erasure",
            None,
        )
        .await;
    replayed.refused(409, "conflict", "the second erasure, retried");
    assert_eq!(replayed.header("idempotent-replayed"), Some("true"));
    let replayed = api
        .call_with(
            &who,
            How::key(Key::Given("erase-1")),
            Method::POST,
            "/rights/v1/erasure",
            None,
        )
        .await
        .expect(202, "the first erasure, retried");
    assert_eq!(replayed.json, erasure.json);
    let list = api.get(&who, "/rights/v1/requests").await;
    assert_eq!(find(&list, "erasure").len(), 1, "{list}");

    // Keys are the account's own: another account's same key is a new call.
    let other = api
        .sign_up("ines.laurent@example.net", "Inès", "Laurent")
        .await;
    let theirs = api
        .call_with(
            &other.bearer(),
            How::key(Key::Given(key)),
            Method::POST,
            "/rights/v1/exports",
            access(),
        )
        .await
        .expect(202, "another account's export with the same key");
    assert_eq!(theirs.header("idempotent-replayed"), None);
    assert_ne!(theirs.json["request_id"], first.json["request_id"]);
    assert_logs_name_nobody(
        &mut ledger,
        &[
            "ines.laurent@example.net",
            "Inès",
            "Laurent",
            &me.token,
            &other.token,
        ],
    );
}

/// Waits until the database says the request is `status`: its document.
async fn until_stored(store: &Store, id: &str, status: &str) -> Value {
    eventually!(format!("request {id} is {status} in the database"), {
        let doc = store.request(id).await;
        if doc["status"] == status {
            Ok(doc)
        } else {
            Err(doc.to_string())
        }
    })
}

/// The paths of the account's files on disk, which must all exist.
async fn files_on_disk(store: &Store, account: &str) -> Vec<(PathBuf, String)> {
    let files: Vec<(PathBuf, String)> = store
        .files(account)
        .await
        .into_iter()
        .map(|(_, path, category)| (path, category))
        .collect();
    for (path, _) in &files {
        assert!(path.is_file(), "{} is missing", path.display());
    }
    files
}

async fn art_17_erasure_happens_on_day_30_and_not_before(backend: Backend) {
    let mut ledger = demo(backend).await;
    let store = Store::of(&ledger);
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();

    let scheduled = api
        .call(&who, Method::POST, "/rights/v1/erasure", None)
        .await
        .expect(202, "erasure")
        .json;
    assert_eq!(scheduled["type"], "erasure");
    assert_eq!(scheduled["status"], "in_progress");
    assert_eq!(scheduled["reason"], "grace_period");
    let id = text(&scheduled["request_id"]);
    let received = ms_of(&scheduled["received_at"]);
    let erasure_at = ms_of(&scheduled["erasure_at"]);
    assert_eq!(
        erasure_at,
        deadlines().grace_end(Timestamp::from_ms(received)).as_ms(),
        "30 days in Paris: {scheduled}"
    );
    assert!(
        erasure_at.abs_diff(received + 30 * DAY) <= HOUR,
        "{scheduled}"
    );
    let retained: Vec<(String, String)> = scheduled["retained"]
        .as_array()
        .expect("retained")
        .iter()
        .map(|r| (text(&r["data"]), text(&r["period"])))
        .collect();
    assert_eq!(
        retained,
        [
            ("billing".to_owned(), "10 years".to_owned()),
            ("technical".to_owned(), "1 year".to_owned())
        ],
        "what the law keeps: {scheduled}"
    );
    assert!(scheduled["retained"][0].get("count").is_none());
    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["state"], "deletion_scheduled");
    assert_eq!(account["erasure"]["request_id"], id.as_str());
    api.call(&who, Method::POST, "/rights/v1/erasure", None)
        .await
        .refused(409, "conflict", "a second erasure");

    // Day 29, 23 h: the account works and its data is all there.
    let now = api.server_time(&who).await;
    let to_eve = erasure_at - HOUR - now;
    assert!(to_eve > 29 * DAY, "29 days 23 hours ahead: {to_eve} ms");
    let eve = api.advance(to_eve).await;
    assert!(eve < erasure_at);
    assert_eq!(api.request(&who, &id).await["status"], "in_progress");
    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["state"], "deletion_scheduled");
    api.call(
        &who,
        Method::POST,
        "/app/v1/images",
        Some(json!({ "prompt": "the last day" })),
    )
    .await
    .expect(201, "a write on the last day");
    assert_eq!(api.files(&who).await.len(), 6 + 1 + 2);
    let on_disk = files_on_disk(&store, DEMO_ACCOUNT).await;
    assert_eq!(on_disk.len(), 6 + 1 + 2);
    assert_eq!(store.events(&id, "erased").await, 0);

    // Past erasure_at: erased, but for what the law keeps.
    let after = api.advance(HOUR + 1_000).await;
    assert!(after > erasure_at);
    let done = until_stored(&store, &id, "fulfilled").await;
    assert!(ms_of(&done["closed_at"]) >= erasure_at, "{done}");
    // 1 identity, 1 session, 12 credit lines, 7 images and videos, 2 voice files.
    assert!(
        text(&done["processing_details"]).contains(" 23 items deleted"),
        "{done}"
    );
    let kept: Vec<(String, u64)> = done["retained"]
        .as_array()
        .expect("retained")
        .iter()
        .map(|r| (text(&r["data"]), r["count"].as_u64().unwrap_or(u64::MAX)))
        .collect();
    assert_eq!(
        kept,
        [("billing".to_owned(), 3), ("technical".to_owned(), 6)],
        "{done}"
    );
    for (path, _) in &on_disk {
        assert!(!path.exists(), "{} outlived the erasure", path.display());
    }
    let folder = ledger.data.path().join("app-files").join(DEMO_ACCOUNT);
    assert!(
        std::fs::read_dir(&folder).map_or(true, |mut d| d.next().is_none()),
        "{} still holds files",
        folder.display()
    );
    for auth in [me.bearer(), me.cookie()] {
        api.call(&auth, Method::GET, "/rights/v1/account", None)
            .await
            .refused(401, "unauthenticated", "the session of an erased account");
    }
    api.call(
        &Auth::Nobody,
        Method::POST,
        "/app/v1/session",
        Some(json!({ "email": DEMO_EMAIL })),
    )
    .await
    .refused(401, "unauthenticated", "signing in to an erased account");
    let count = |table: &'static str| {
        let store = &store;
        async move {
            let sql = match table {
                "app_accounts" => "SELECT COUNT(*) FROM app_accounts WHERE id = $1".to_owned(),
                _ => format!("SELECT COUNT(*) FROM {table} WHERE account = $1"),
            };
            store.count(&sql, DEMO_ACCOUNT).await
        }
    };
    assert_eq!(count("app_invoices").await, 3, "invoices are kept");
    assert_eq!(
        count("app_connections").await,
        6,
        "connection logs are kept"
    );
    for table in [
        "app_accounts",
        "app_sessions",
        "app_files",
        "app_credits",
        "app_voice",
    ] {
        assert_eq!(count(table).await, 0, "{table} outlived the erasure");
    }
    assert_eq!(store.events(&id, "erased").await, 1);
    assert_logs_name_nobody(&mut ledger, &[&me.token]);
}

async fn a_cancelled_erasure_never_happens(backend: Backend) {
    let mut ledger = demo(backend).await;
    let store = Store::of(&ledger);
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let on_disk = files_on_disk(&store, DEMO_ACCOUNT).await;

    let scheduled = api
        .call(&me.cookie(), Method::POST, "/rights/v1/erasure", None)
        .await
        .expect(202, "erasure")
        .json;
    let id = text(&scheduled["request_id"]);
    let cancel = format!("{BASE}/erasure/{id}");
    let cancelled = api
        .call(&me.cookie(), Method::DELETE, &cancel, None)
        .await
        .expect(200, "cancel")
        .json;
    assert_eq!(cancelled["status"], "revoked");
    assert!(cancelled["closed_at"].is_string() && cancelled.get("reason").is_none());
    api.call(&me.cookie(), Method::DELETE, &cancel, None)
        .await
        .refused(409, "conflict", "cancelling a cancelled erasure");
    let account = api.get(&me.bearer(), "/rights/v1/account").await;
    assert_eq!(account["state"], "active");
    assert!(account.get("erasure").is_none(), "{account}");

    // Forty days on, ten past what would have been erasure_at.
    api.advance(20 * DAY).await;
    api.advance(20 * DAY).await;
    // The session itself lasted 30 days; the account did not go with it.
    api.call(&me.bearer(), Method::GET, "/rights/v1/account", None)
        .await
        .refused(401, "unauthenticated", "a session after 40 days");
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();
    assert_eq!(api.request(&who, &id).await["status"], "revoked");
    assert_eq!(api.files(&who).await.len(), 8);
    assert_eq!(files_on_disk(&store, DEMO_ACCOUNT).await, on_disk);
    let mut expected = demo_counts();
    expected.insert("authentication".into(), 2);
    assert_eq!(counts(&api.get(&who, "/rights/v1/notice").await), expected);
    assert_eq!(store.events(&id, "erased").await, 0);

    // It can be asked for again (and cancelled again).
    let again = api
        .call(&who, Method::POST, "/rights/v1/erasure", None)
        .await
        .expect(202, "a new erasure")
        .json;
    assert_ne!(again["request_id"], id.as_str());
    api.call(
        &who,
        Method::DELETE,
        &format!("{BASE}/erasure/{}", text(&again["request_id"])),
        None,
    )
    .await
    .expect(200, "cancel the new erasure");
    assert_logs_name_nobody(&mut ledger, &[&me.token]);
}

async fn art_17_1_b_withdrawn_voice_data_is_deleted_before_its_deadline(backend: Backend) {
    let mut ledger = demo(backend).await;
    let store = Store::of(&ledger);
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();
    let on_disk = files_on_disk(&store, DEMO_ACCOUNT).await;
    let voice: Vec<&PathBuf> = on_disk
        .iter()
        .filter(|(_, c)| c == "voice")
        .map(|(p, _)| p)
        .collect();
    assert_eq!(voice.len(), 2, "the sample and the model");
    let speak = || Some(json!({ "text": "one two three" }));
    api.call(&who, Method::POST, "/app/v1/voice/synthesize", speak())
        .await
        .expect(200, "synthesis before the withdrawal");

    let withdrawn = api
        .call(&who, Method::DELETE, VOICE, None)
        .await
        .expect(200, "withdraw")
        .json;
    api.call(&who, Method::POST, "/app/v1/voice/synthesize", speak())
        .await
        .refused(
            403,
            "consent_required",
            "synthesis right after the withdrawal",
        );

    let list = api.get(&who, "/rights/v1/requests").await;
    let deletions = find(&list, "special_category_consent");
    assert_eq!(deletions.len(), 1, "{list}");
    let deletion = deletions[0].clone();
    assert_eq!(deletion["purpose"], "voice-cloning");
    let id = text(&deletion["request_id"]);
    // Regression: the deletion request was stamped by a second reading of
    // the clock, a millisecond or so after the withdrawal its deadline
    // counts from.
    assert_eq!(deletion["received_at"], withdrawn["withdrawn_at"]);
    let received = ms_of(&deletion["received_at"]);
    let deadline = ms_of(&deletion["erasure_at"]);
    assert_eq!(
        deadline,
        deadlines()
            .voice_erasure_by(Timestamp::from_ms(received))
            .as_ms()
    );
    assert_eq!(deletion["expected_by"], deletion["erasure_at"]);

    api.advance(1).await;
    let (_, done) = api.until_status(&who, &id, "fulfilled").await;
    assert!(ms_of(&done["closed_at"]) < deadline, "{done}");
    for path in &voice {
        assert!(!path.exists(), "{} outlived the withdrawal", path.display());
    }
    for (path, category) in &on_disk {
        if category != "voice" {
            assert!(path.is_file(), "{} went with the voice", path.display());
        }
    }
    let files = api.files(&who).await;
    assert!(files.iter().all(|f| f["category"] != "voice"), "{files:?}");
    assert_eq!(files.len(), 6);
    let held = counts(&api.get(&who, "/rights/v1/notice").await);
    assert_eq!((held["voice"], held["content"]), (0, 6));
    assert_eq!(store.events(&id, "special_erased").await, 1);
    let account = api.get(&who, "/rights/v1/account").await;
    assert_eq!(account["state"], "active", "the account stays");
    assert_eq!(account["special_consents"][0]["given"], false);
    assert!(account["special_consents"][0].get("deletion").is_none());
    assert_logs_name_nobody(&mut ledger, &[&me.token]);
}

async fn an_erasure_due_during_an_outage_happens_exactly_once_after_restart(backend: Backend) {
    let mut ledger = demo(backend).await;
    let store = Store::of(&ledger);
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let on_disk = files_on_disk(&store, DEMO_ACCOUNT).await;
    let scheduled = api
        .call(&me.bearer(), Method::POST, "/rights/v1/erasure", None)
        .await
        .expect(202, "erasure")
        .json;
    let id = text(&scheduled["request_id"]);

    // Down for the end of the grace period.
    ledger.kill();
    let moved = Command::new(support::LEDGER)
        .args(["clock", "--data"])
        .arg(ledger.data.path())
        .args(["--advance-days", "31"])
        .output()
        .expect("assent-ledger clock runs");
    assert!(
        moved.status.success(),
        "{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    ledger.restart();
    let done = until_stored(&store, &id, "fulfilled").await;
    assert_eq!(store.events(&id, "erased").await, 1, "erased once");
    // 1 identity, 1 session, 12 credit lines, 6 images and videos, 2 voice
    // files: the count of the erasure that found them, not of a later one.
    assert!(
        text(&done["processing_details"]).contains(" 22 items deleted"),
        "{done}"
    );
    for (path, _) in &on_disk {
        assert!(!path.exists(), "{} outlived the erasure", path.display());
    }
    let mut api = RightsClient::new(&ledger);
    api.call(&me.bearer(), Method::GET, "/rights/v1/account", None)
        .await
        .refused(401, "unauthenticated", "the session of an erased account");

    // Another restart (an orderly one, so the first run's log is complete),
    // and a whole scheduler pass: nothing more happens.
    ledger.stop();
    ledger.restart();
    let mut api = RightsClient::new(&ledger);
    api.advance(1).await;
    assert_eq!(store.request(&id).await, done);
    assert_eq!(store.events(&id, "erased").await, 1, "still erased once");
    assert_eq!(
        store
            .count(
                "SELECT COUNT(*) FROM app_invoices WHERE account = $1",
                DEMO_ACCOUNT
            )
            .await,
        3
    );
    assert_eq!(
        store
            .count(
                "SELECT COUNT(*) FROM app_accounts WHERE id = $1",
                DEMO_ACCOUNT
            )
            .await,
        0,
        "--demo does not seed an erased account again"
    );
    assert_logs_name_nobody(&mut ledger, &[&me.token]);
    let erasures = ledger
        .logs()
        .lines()
        .filter(|l| l.contains("account erased") && l.contains(&id))
        .count();
    assert_eq!(erasures, 1, "one erasure logged over three runs");
}

async fn another_account_can_neither_see_nor_touch_requests_or_links(backend: Backend) {
    let mut ledger = demo(backend).await;
    let mut api = RightsClient::new(&ledger);
    let alice = api.sign_in(DEMO_EMAIL).await;
    let bob = api
        .sign_up("robert.dupont@example.net", "Robert", "Dupont")
        .await;
    assert_ne!(bob.account, alice.account);

    let export = api
        .call(&alice.bearer(), Method::POST, "/rights/v1/exports", None)
        .await
        .expect(202, "alice's export")
        .json;
    let export = text(&export["request_id"]);
    let (_, done) = api
        .until_status(&alice.bearer(), &export, "fulfilled")
        .await;
    let link = text(&done["results_url"]);
    let erasure = api
        .call(&alice.bearer(), Method::POST, "/rights/v1/erasure", None)
        .await
        .expect(202, "alice's erasure")
        .json;
    let erasure = text(&erasure["request_id"]);
    let manual = api
        .call(
            &alice.bearer(),
            Method::POST,
            "/rights/v1/requests",
            Some(json!({ "type": "rectification", "details": "my address changed" })),
        )
        .await
        .expect(201, "alice's rectification")
        .json;
    let manual = text(&manual["request_id"]);

    for auth in [bob.bearer(), bob.cookie()] {
        for id in [&export, &erasure, &manual] {
            api.call(&auth, Method::GET, &format!("{BASE}/requests/{id}"), None)
                .await
                .refused(404, "not_found", "another account's request");
        }
        api.call(
            &auth,
            Method::DELETE,
            &format!("{BASE}/exports/{export}"),
            None,
        )
        .await
        .refused(404, "not_found", "revoking another account's export");
        api.call(
            &auth,
            Method::DELETE,
            &format!("{BASE}/erasure/{erasure}"),
            None,
        )
        .await
        .refused(404, "not_found", "cancelling another account's erasure");
        api.call(&auth, Method::GET, &link, None).await.refused(
            404,
            "not_found",
            "another account's link, signed in",
        );
        api.call(&auth, Method::HEAD, &link, None)
            .await
            .expect(404, "another account's link, HEAD");
    }
    let theirs = api.get(&bob.bearer(), "/rights/v1/requests").await;
    assert_eq!(theirs["requests"], json!([]), "bob sees only his own");
    let account = api.get(&bob.bearer(), "/rights/v1/account").await;
    assert_eq!(
        (&account["account"], &account["state"]),
        (&json!(bob.account), &json!("active"))
    );
    let held = counts(&api.get(&bob.bearer(), "/rights/v1/notice").await);
    assert_eq!((held["content"], held["billing"], held["voice"]), (1, 0, 0));

    // Alice's requests and link are as they were.
    assert_eq!(api.request(&alice.bearer(), &export).await, done);
    assert_eq!(
        api.request(&alice.bearer(), &erasure).await["status"],
        "in_progress"
    );
    api.call(&alice.bearer(), Method::GET, &link, None)
        .await
        .expect(200, "alice's own link");
    let token = token_of(&link);
    assert_logs_name_nobody(
        &mut ledger,
        &[
            "robert.dupont@example.net",
            "Robert",
            "Dupont",
            &token,
            &alice.token,
            &bob.token,
        ],
    );
}

async fn changes_by_session_cookie_need_the_csrf_token_and_bearer_calls_do_not(backend: Backend) {
    let mut ledger = demo(backend).await;
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let forged = Auth::Cookie {
        session: me.token.clone(),
        csrf: Some("forged".into()),
    };

    // A cross-site request carries the cookie, not the token.
    for auth in [me.cookie_without_csrf(), forged] {
        api.call(&auth, Method::POST, "/rights/v1/restriction", None)
            .await
            .refused(403, "csrf_failed", "a restriction without the CSRF token");
        api.call(&auth, Method::POST, "/rights/v1/erasure", None)
            .await
            .refused(403, "csrf_failed", "an erasure without the CSRF token");
        api.call(&auth, Method::DELETE, VOICE, None).await.refused(
            403,
            "csrf_failed",
            "a withdrawal without the CSRF token",
        );
        api.call(
            &auth,
            Method::POST,
            "/app/v1/images",
            Some(json!({ "prompt": "forged" })),
        )
        .await
        .refused(403, "csrf_failed", "an app write without the CSRF token");
    }
    // Nothing changed; reading needs no token.
    let account = api
        .get(&me.cookie_without_csrf(), "/rights/v1/account")
        .await;
    assert_eq!(account["state"], "active");
    assert_eq!(account["special_consents"][0]["given"], true);
    let list = api
        .get(&me.cookie_without_csrf(), "/rights/v1/requests")
        .await;
    assert_eq!(list["requests"], json!([]));
    assert_eq!(api.files(&me.cookie_without_csrf()).await.len(), 8);

    api.call(
        &me.cookie(),
        Method::POST,
        "/rights/v1/requests",
        Some(json!({ "type": "objection", "details": "no profiling please" })),
    )
    .await
    .expect(201, "a change with the cookie and its token");
    // A bearer token is never sent by a browser on its own: no CSRF token needed.
    api.call(&me.bearer(), Method::POST, "/rights/v1/restriction", None)
        .await
        .expect(200, "a restriction by bearer token");
    assert_eq!(
        api.get(&me.bearer(), "/rights/v1/account").await["state"],
        "restricted"
    );

    // No credentials, or unknown ones: 401 everywhere.
    let unknown = Auth::Bearer("not-a-session".into());
    for auth in [Auth::Nobody, unknown] {
        for (method, path, body) in [
            (Method::GET, "/rights/v1/account", None),
            (Method::GET, "/rights/v1/notice", None),
            (Method::GET, "/rights/v1/requests", None),
            (Method::POST, "/rights/v1/exports", None),
            (Method::POST, "/rights/v1/erasure", None),
            (
                Method::DELETE,
                "/rights/v1/restriction",
                Some(json!({ "warning_id": "w" })),
            ),
        ] {
            let reply = api.call(&auth, method.clone(), path, body).await;
            reply.refused(401, "unauthenticated", &format!("{method} {path}"));
            assert!(
                reply.header("www-authenticate").is_some(),
                "{method} {path}"
            );
        }
    }
    assert_logs_name_nobody(&mut ledger, &[&me.token, &me.csrf]);
}

/// Verifies a compact JWS signed by the ledger with its JWKS (Ed25519,
/// checked here with ed25519-dalek): its header and payload.
fn verify_ledger_jws(jws: &str, jwks: &Value) -> (Value, Value) {
    let b64 = |part: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap_or_else(|e| panic!("{part}: {e}"))
    };
    let parts: Vec<&str> = jws.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS: {jws}");
    let header: Value = serde_json::from_slice(&b64(parts[0])).expect("a JSON header");
    assert_eq!(header["alg"], "EdDSA");
    let jwk = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .unwrap_or_else(|| panic!("no key {} in {jwks}", header["kid"]));
    assert_eq!(
        (&jwk["kty"], &jwk["crv"]),
        (&json!("OKP"), &json!("Ed25519"))
    );
    let x: [u8; 32] = b64(&text(&jwk["x"]))
        .try_into()
        .expect("a 32-byte Ed25519 key");
    let key = ed25519_dalek::VerifyingKey::from_bytes(&x).expect("an Ed25519 key");
    let signature =
        ed25519_dalek::Signature::from_slice(&b64(parts[2])).expect("a 64-byte signature");
    let input = format!("{}.{}", parts[0], parts[1]);
    key.verify_strict(input.as_bytes(), &signature)
        .expect("the JWS verifies with the ledger's JWKS");
    let tampered = format!("{}.{}", parts[0], &parts[1][..parts[1].len() - 2]);
    assert!(key.verify_strict(tampered.as_bytes(), &signature).is_err());
    let payload = serde_json::from_slice(&b64(parts[1])).expect("a JSON payload");
    (header, payload)
}

/// Lists and tests an archive with Python's `zipfile`: its entry names.
fn python_zip_names(path: &Path) -> Vec<String> {
    let script = "import json, sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  print(json.dumps({'bad': z.testzip(), 'names': z.namelist()}))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 zipfile: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).expect("python's JSON");
    assert_eq!(
        answer["bad"],
        Value::Null,
        "zipfile.testzip found a bad entry"
    );
    answer["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(text)
        .collect()
}

async fn art_20_the_export_zip_opens_everywhere_and_holds_what_the_server_holds(backend: Backend) {
    let mut ledger = demo(backend).await;
    let store = Store::of(&ledger);
    let mut api = RightsClient::new(&ledger);
    let me = api.sign_in(DEMO_EMAIL).await;
    let who = me.bearer();

    // A consent record made while signed in belongs to the account's export.
    let template = support::template();
    let device = assent_ledger::load::Device::random(assent_ledger::load::Algorithm::Ed25519);
    let mut record = template.record(
        &device,
        assent_core::record::Method::AcceptAll,
        support::now_ms() - MINUTE,
    );
    record.account = Some(DEMO_ACCOUNT.to_owned());
    let signed = device.sign(&record);
    let posted = ledger
        .client()
        .post_record(&signed.jws, &record.id)
        .await
        .expect("the ledger answers");
    assert_eq!(posted.status, 201, "{}", posted.json());

    let ordered = api
        .call(&who, Method::POST, "/rights/v1/exports", None)
        .await
        .expect(202, "export")
        .json;
    let id = text(&ordered["request_id"]);
    let (_, done) = api.until_status(&who, &id, "fulfilled").await;
    let zip = api
        .call(&who, Method::GET, &text(&done["results_url"]), None)
        .await
        .expect(200, "the download")
        .body;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("export.zip");
    std::fs::write(&path, &zip).expect("write the archive");

    let unzip = Command::new("unzip")
        .arg("-t")
        .arg(&path)
        .output()
        .expect("unzip runs");
    assert!(
        unzip.status.success(),
        "unzip -t: {}{}",
        String::from_utf8_lossy(&unzip.stdout),
        String::from_utf8_lossy(&unzip.stderr)
    );
    let mut names = python_zip_names(&path);
    names.sort();
    let listed = api.files(&who).await;
    let mut expected: Vec<String> = listed
        .iter()
        .map(|f| format!("files/{}", text(&f["name"])))
        .chain(
            [
                "README.txt",
                "data.json",
                "consent-records/records.json",
                "consent-records/special-consents.json",
            ]
            .map(str::to_owned),
        )
        .collect();
    expected.sort();
    assert_eq!(names, expected);

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
    let readme = String::from_utf8(entry("README.txt")).expect("UTF-8");
    assert!(readme.starts_with("Your data export"), "{readme}");
    let data: Value = serde_json::from_slice(&entry("data.json")).expect("data.json is JSON");
    assert_eq!(data["schema"], "assent-export/1");
    assert_eq!(data["account"], DEMO_ACCOUNT);
    assert_eq!(data["policy"]["id"], "pix2clip");
    assert_eq!(data["data"]["identification"][0]["email"], DEMO_EMAIL);
    let sizes: BTreeMap<&str, usize> = [
        ("billing", 3),
        ("technical", 6),
        ("content", 6),
        ("usage", 12),
        ("voice", 2),
    ]
    .into();
    for (category, n) in sizes {
        assert_eq!(
            data["data"][category].as_array().map(Vec::len),
            Some(n),
            "{category}: {}",
            data["data"][category]
        );
    }

    // Its file list is the app's, and each file's bytes are those on disk.
    let files = data["files"].as_array().expect("files");
    let as_listed: BTreeMap<String, (Value, Value, Value)> = listed
        .iter()
        .map(|f| {
            (
                format!("files/{}", text(&f["name"])),
                (
                    f["category"].clone(),
                    f["media_type"].clone(),
                    f["size"].clone(),
                ),
            )
        })
        .collect();
    let in_export: BTreeMap<String, (Value, Value, Value)> = files
        .iter()
        .map(|f| {
            (
                text(&f["path"]),
                (
                    f["category"].clone(),
                    f["media_type"].clone(),
                    f["size"].clone(),
                ),
            )
        })
        .collect();
    assert_eq!(in_export, as_listed);
    for (name, disk, _) in store.files(DEMO_ACCOUNT).await {
        let original = std::fs::read(&disk).unwrap_or_else(|e| panic!("{}: {e}", disk.display()));
        let exported = entry(&format!("files/{name}"));
        assert_eq!(exported.len(), original.len(), "{name}");
        assert_eq!(sha256(&exported), sha256(&original), "{name}");
    }

    // The requests, the export's own among them.
    let requests = data["requests"].as_array().expect("requests");
    assert!(
        requests.iter().any(|r| r["request_id"] == id.as_str()),
        "{requests:?}"
    );

    // The explicit consent, signed by the ledger.
    let jwks = api.get(&Auth::Nobody, "/v1/keys").await;
    let consents = data["special_consents"]
        .as_array()
        .expect("special_consents");
    assert_eq!(consents.len(), 1, "{consents:?}");
    let (header, payload) = verify_ledger_jws(&text(&consents[0]), &jwks);
    assert_eq!(header["typ"], "assent-special-consent+jws");
    assert_eq!(payload["state"], "given");
    assert_eq!(payload["purpose"], "voice-cloning");
    assert_eq!(payload["account"], DEMO_ACCOUNT);
    assert_eq!(payload["statement"], statement("en").as_str());
    assert_eq!(payload["special-categories"], json!(["biometric"]));
    let special: Value = serde_json::from_slice(&entry("consent-records/special-consents.json"))
        .expect("special-consents.json is JSON");
    assert_eq!(special["keys"], jwks);
    assert_eq!(special["consents"], data["special_consents"]);
    let special_path = dir.path().join("special-consents.json");
    std::fs::write(
        &special_path,
        entry("consent-records/special-consents.json"),
    )
    .expect("write special-consents.json");
    let (ok, report) = support::verify_file(&special_path);
    assert!(
        ok,
        "assent-ledger verify refused special-consents.json: {report}"
    );
    assert!(
        report.contains("verified 1 of 1 special-category consents"),
        "{report}"
    );

    // The device's consent record, which `assent-ledger verify` accepts.
    assert_eq!(data["consent_records"], 1);
    let records = entry("consent-records/records.json");
    let parsed: Value = serde_json::from_slice(&records).expect("records.json is JSON");
    assert_eq!(parsed["records"][0]["jws"], signed.jws.as_str());
    let records_path = dir.path().join("records.json");
    std::fs::write(&records_path, &records).expect("write records.json");
    let (ok, report) = support::verify_file(&records_path);
    assert!(ok, "assent-ledger verify refused records.json: {report}");

    let token = token_of(&text(&done["results_url"]));
    assert_logs_name_nobody(&mut ledger, &[&token, &me.token]);
}
