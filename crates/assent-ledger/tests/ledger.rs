//! The reference ledger end to end: the real binary, real HTTP, records
//! signed with Ed25519 and P-256, on SQLite and on PostgreSQL. Every scenario
//! runs against both backends (`sqlite::…` and `postgres::…` tests); each
//! refusal of `docs/records.md` is checked for its status, its code and that
//! nothing was stored.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use assent_core::record::{record_hash, Method, Record};
use assent_ledger::export::{self, Export};
use assent_ledger::jws::{b64, unb64};
use assent_ledger::load::{self, Algorithm, Answer, Client, Device, Signed};
use assent_ledger::receipt::verify_receipt;
use serde_json::{json, Value};
use support::{chain, now_ms, on_both_backends, template, verify_file, Backend, Ledger};

on_both_backends!(
    a_good_record_gets_a_receipt_that_verifies_with_the_jwks,
    a_replay_gets_the_original_receipt_and_stores_nothing,
    tampered_or_malformed_records_are_refused_and_nothing_is_stored,
    unknown_policies_and_future_times_are_refused,
    each_subject_chain_continues_from_seq_1_or_is_refused,
    a_reused_id_with_other_content_is_a_conflict,
    a_body_over_64_kib_is_too_large,
    a_client_over_its_rate_is_limited_with_retry_after,
    the_database_refuses_update_and_delete,
    exports_verify_offline_and_tampering_is_found,
    the_ledger_key_is_private_and_kept,
    cross_origin_pages_may_post_only_when_allowed,
    every_acknowledged_record_survives_a_crash,
    a_stalled_client_holds_neither_its_request_nor_the_stop,
);

/// Posts a signed record as the browser does.
async fn post(client: &mut Client, signed: &Signed) -> Answer {
    client
        .post_record(&signed.jws, &signed.record.id)
        .await
        .expect("the ledger answers")
}

/// Posts raw body bytes with an optional Idempotency-Key.
async fn post_body(client: &mut Client, body: Vec<u8>, key: Option<&str>) -> Answer {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(key) = key {
        headers.push(("idempotency-key", key));
    }
    client
        .send(hyper::Method::POST, "/v1/consent-records", &headers, body)
        .await
        .expect("the ledger answers")
}

fn jws_body(jws: &str) -> Vec<u8> {
    json!({ "jws": jws }).to_string().into_bytes()
}

/// Asserts a refusal: status, code, and a detail that says something.
fn refused(answer: &Answer, status: u16, code: &str, case: &str) {
    let body = answer.json();
    assert_eq!(
        (answer.status, body["error"].as_str().unwrap_or("")),
        (status, code),
        "{case}: {body}"
    );
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{case}: no detail in {body}"
    );
}

async fn a_good_record_gets_a_receipt_that_verifies_with_the_jwks(backend: Backend) {
    let ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let health = client.get("/healthz", &[]).await.unwrap();
    assert_eq!(health.status, 200);
    let jwks = client.get("/v1/keys", &[]).await.unwrap().json();

    for algorithm in [Algorithm::Ed25519, Algorithm::P256] {
        let (_, records) = chain(algorithm, 1);
        let record = &records[0];
        let before = now_ms();
        let answer = post(&mut client, record).await;
        assert_eq!(answer.status, 201, "{algorithm:?}: {}", answer.json());
        let body = answer.json();
        assert_eq!(body["record"], record.record.id.as_str());
        assert_eq!(body["hash"], record_hash(&record.jws).as_str());
        assert_eq!(body["replayed"], false);
        let received = body["received"].as_u64().unwrap();
        assert!(received >= before && received <= now_ms());

        let receipt = verify_receipt(body["receipt"].as_str().unwrap(), &jwks)
            .expect("the receipt verifies with GET /v1/keys");
        assert_eq!(receipt.record, record.record.id);
        assert_eq!(receipt.hash, record.hash);
        assert_eq!(receipt.subject, record.record.subject);
        assert_eq!(receipt.seq, 1);
        assert_eq!(receipt.received, received);
        assert_eq!(
            Some(receipt.ledger.as_str()),
            jwks["keys"][0]["kid"].as_str()
        );
    }
    assert_eq!(ledger.count(), 2);

    // One JSON line per request, with the outcome, never the record itself.
    // The log thread writes a line up to ~10 ms after its answer (it rests
    // between writes, `logs.rs`), so the lines are awaited, not assumed: a
    // fresh clone once read the log between the second answer and its line.
    let stored_lines = |logs: &str| -> Vec<Value> {
        logs.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|l| l["message"] == "request" && l["outcome"] == "stored")
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut logs = ledger.logs();
    while stored_lines(&logs).len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        logs = ledger.logs();
    }
    let stored = stored_lines(&logs);
    assert_eq!(stored.len(), 2, "two `stored` lines within 10 s:\n{logs}");
    assert!(stored[0]["record"].is_string() && stored[0]["subject"].is_string());
    assert!(stored[0]["latency_ms"].is_number() && stored[0]["status"] == 201);
    let export = ledger.export(None);
    for r in &export.records {
        for part in r.jws.split('.') {
            assert!(!logs.contains(part), "a JWS part is in the logs");
        }
    }
}

async fn a_replay_gets_the_original_receipt_and_stores_nothing(backend: Backend) {
    let mut ledger = Ledger::start(backend).await;
    let (_, records) = chain(Algorithm::Ed25519, 2);
    let mut client = ledger.client();
    let first = post(&mut client, &records[0]).await;
    assert_eq!(first.status, 201);
    let again = post(&mut client, &records[0]).await;
    assert_eq!(again.status, 200, "{}", again.json());
    let (a, b) = (first.json(), again.json());
    assert_eq!(b["replayed"], true);
    assert_eq!(a["receipt"], b["receipt"], "the original receipt");
    assert_eq!(a["received"], b["received"]);
    assert_eq!(ledger.count(), 1);

    // After a restart too (the chain moved on meanwhile).
    assert_eq!(post(&mut client, &records[1]).await.status, 201);
    ledger.restart();
    let mut client = ledger.client();
    let later = post(&mut client, &records[0]).await;
    assert_eq!(later.status, 200);
    assert_eq!(later.json()["receipt"], a["receipt"]);
    assert_eq!(ledger.count(), 2);
}

async fn tampered_or_malformed_records_are_refused_and_nothing_is_stored(backend: Backend) {
    let ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let (device, records) = chain(Algorithm::Ed25519, 1);
    let good = &records[0];
    let id = good.record.id.as_str();
    let parts: Vec<&str> = good.jws.split('.').collect();

    // One byte of the payload: the record now says another language.
    let mut payload = unb64(parts[1]).unwrap();
    let at = find(&payload, b"\"language\":\"en\"") + 13;
    payload[at] = b'm';
    let forged = format!("{}.{}.{}", parts[0], b64(&payload), parts[2]);
    refused(
        &post_body(&mut client, jws_body(&forged), Some(id)).await,
        400,
        "bad-signature",
        "payload byte",
    );

    // One byte of the signature.
    let mut signature = unb64(parts[2]).unwrap();
    signature[10] ^= 1;
    let forged = format!("{}.{}.{}", parts[0], parts[1], b64(&signature));
    refused(
        &post_body(&mut client, jws_body(&forged), Some(id)).await,
        400,
        "bad-signature",
        "signature byte",
    );

    // Signed, but the record's members in reverse order, not JCS's.
    let members = serde_json::to_value(&good.record).unwrap();
    let unsorted = format!(
        "{{{}}}",
        members
            .as_object()
            .unwrap()
            .iter()
            .rev()
            .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
            .collect::<Vec<_>>()
            .join(",")
    )
    .into_bytes();
    let jws = device.sign_raw(&device.header(), &unsorted);
    let answer = post_body(&mut client, jws_body(&jws), Some(id)).await;
    refused(&answer, 400, "not-canonical", "key order");
    // Signed, but with whitespace.
    let value: Value = serde_json::from_slice(&unsorted).unwrap();
    let jws = device.sign_raw(
        &device.header(),
        serde_json::to_string_pretty(&value).unwrap().as_bytes(),
    );
    refused(
        &post_body(&mut client, jws_body(&jws), Some(id)).await,
        400,
        "not-canonical",
        "whitespace",
    );

    // Another device's subject.
    let other = Device::random(Algorithm::P256);
    let mut record = good.record.clone();
    record.subject = other.subject().to_owned();
    let signed = device.sign(&record);
    let answer = post(&mut client, &signed).await;
    refused(&answer, 422, "subject-mismatch", "subject");

    // Schema: seq 0, an unknown field, a missing field; each named.
    let mut record = good.record.clone();
    record.seq = 0;
    let answer = post(&mut client, &device.sign(&record)).await;
    refused(&answer, 422, "invalid-record", "seq 0");
    assert!(answer.json()["detail"]
        .as_str()
        .unwrap()
        .starts_with("seq:"));
    let mut value = serde_json::to_value(&good.record).unwrap();
    value["note"] = json!("hello");
    let jws = device.sign_raw(&device.header(), &serde_jcs::to_vec(&value).unwrap());
    let answer = post_body(&mut client, jws_body(&jws), Some(id)).await;
    refused(&answer, 422, "invalid-record", "unknown field");
    assert!(answer.json()["detail"].as_str().unwrap().contains("note"));
    let mut value = serde_json::to_value(&good.record).unwrap();
    value.as_object_mut().unwrap().remove("valid-until");
    let jws = device.sign_raw(&device.header(), &serde_jcs::to_vec(&value).unwrap());
    let answer = post_body(&mut client, jws_body(&jws), Some(id)).await;
    refused(&answer, 422, "invalid-record", "missing field");
    assert!(answer.json()["detail"]
        .as_str()
        .unwrap()
        .contains("valid-until"));

    // Headers: an unsupported alg, a key of the other kind, no key.
    let payload = serde_jcs::to_vec(&good.record).unwrap();
    let mut header = device.header();
    header["alg"] = json!("HS256");
    let jws = device.sign_raw(&header, &payload);
    refused(
        &post_body(&mut client, jws_body(&jws), Some(id)).await,
        400,
        "bad-header",
        "alg",
    );
    let mut header = device.header();
    header["alg"] = json!("ES256");
    let jws = device.sign_raw(&header, &payload);
    refused(
        &post_body(&mut client, jws_body(&jws), Some(id)).await,
        400,
        "bad-header",
        "jwk kind",
    );
    let mut header = device.header();
    header.as_object_mut().unwrap().remove("jwk");
    let jws = device.sign_raw(&header, &payload);
    refused(
        &post_body(&mut client, jws_body(&jws), Some(id)).await,
        400,
        "bad-header",
        "no jwk",
    );

    // Malformed bodies and JWS.
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", b"jws=abc".to_vec()),
        ("no jws", b"{\"record\": 1}".to_vec()),
        ("jws not a string", b"{\"jws\": 5}".to_vec()),
        ("two parts", jws_body("abc.def")),
        ("not base64url", jws_body("ab+c.def.ghi")),
        (
            "header not JSON",
            jws_body(&format!("{}.{}.{}", b64(b"nope"), parts[1], parts[2])),
        ),
        (
            "payload not JSON",
            jws_body(&format!("{}.{}.{}", parts[0], b64(b"{nope"), parts[2])),
        ),
    ];
    for (case, body) in cases {
        refused(
            &post_body(&mut client, body, Some(id)).await,
            400,
            "malformed",
            case,
        );
    }

    // The Idempotency-Key: missing, or not the record id.
    refused(
        &post_body(&mut client, jws_body(&good.jws), None).await,
        400,
        "idempotency-key",
        "missing key",
    );
    let answer = post_body(
        &mut client,
        jws_body(&good.jws),
        Some("6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c10"),
    )
    .await;
    refused(&answer, 400, "idempotency-key", "other key");

    assert_eq!(ledger.count(), 0, "nothing refused was stored");
    // The genuine record is still welcome.
    assert_eq!(post(&mut client, good).await.status, 201);
    assert_eq!(ledger.count(), 1);
}

async fn unknown_policies_and_future_times_are_refused(backend: Backend) {
    let ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let template = template();
    let device = Device::random(Algorithm::Ed25519);
    let base = template.record(&device, Method::AcceptAll, now_ms() - 1000);

    let mut record = base.clone();
    record.policy.hash = format!("sha256:{}", "0".repeat(64));
    let answer = post(&mut client, &device.sign(&record)).await;
    refused(&answer, 422, "unknown-policy", "hash");
    assert!(answer.json()["detail"]
        .as_str()
        .unwrap()
        .contains("has hash"));
    let mut record = base.clone();
    record.policy.revision += 50;
    refused(
        &post(&mut client, &device.sign(&record)).await,
        422,
        "unknown-policy",
        "revision",
    );
    let mut record = base.clone();
    record.policy.id = "someone-else".into();
    refused(
        &post(&mut client, &device.sign(&record)).await,
        422,
        "unknown-policy",
        "id",
    );

    let future = now_ms() + 10 * 60 * 1000;
    let record = with_time(&template, &device, future);
    refused(
        &post(&mut client, &device.sign(&record)).await,
        422,
        "clock-skew",
        "10 min ahead",
    );
    // Within the allowed skew: accepted.
    let record = with_time(&template, &device, now_ms() + 60 * 1000);
    assert_eq!(post(&mut client, &device.sign(&record)).await.status, 201);
    assert_eq!(ledger.count(), 1);
}

/// A first record of `device` decided at `time`.
fn with_time(template: &load::Template, device: &Device, time: u64) -> Record {
    template.record(device, Method::AcceptAll, time)
}

async fn each_subject_chain_continues_from_seq_1_or_is_refused(backend: Backend) {
    let ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let (device, records) = chain(Algorithm::Ed25519, 3);

    // A subject's first record must be seq 1.
    let answer = post(&mut client, &records[1]).await;
    refused(&answer, 409, "chain", "first is seq 2");
    assert_eq!(post(&mut client, &records[0]).await.status, 201);
    // A gap.
    refused(&post(&mut client, &records[2]).await, 409, "chain", "gap");
    assert_eq!(post(&mut client, &records[1]).await.status, 201);
    // A fork: another seq 2 after the first, with the right previous.
    let mut fork = records[1].record.clone();
    fork.id = uuid::Uuid::new_v4().to_string();
    fork.method = Method::AcceptAll;
    fork.decision = records[0].record.decision.clone();
    for p in &mut fork.purposes {
        p.state = records[0]
            .record
            .purposes
            .iter()
            .find(|q| q.id == p.id && q.kind == p.kind)
            .map_or(p.state, |q| q.state);
    }
    let answer = post(&mut client, &device.sign(&fork)).await;
    refused(&answer, 409, "chain", "fork");
    assert!(answer.json()["detail"].as_str().unwrap().contains("fork"));
    // A wrong previous.
    let mut wrong = records[2].record.clone();
    wrong.previous = Some(records[0].hash.clone());
    refused(
        &post(&mut client, &device.sign(&wrong)).await,
        409,
        "chain",
        "previous",
    );
    assert_eq!(ledger.count(), 2);
    assert_eq!(post(&mut client, &records[2]).await.status, 201);
    assert_eq!(ledger.count(), 3);
}

async fn a_reused_id_with_other_content_is_a_conflict(backend: Backend) {
    let ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let (device, records) = chain(Algorithm::P256, 2);
    assert_eq!(post(&mut client, &records[0]).await.status, 201);
    // The next record of the chain, but under the first record's id.
    let mut reused = records[1].record.clone();
    reused.id = records[0].record.id.clone();
    let answer = post(&mut client, &device.sign(&reused)).await;
    refused(&answer, 409, "id-conflict", "reused id");
    assert_eq!(ledger.count(), 1);
}

async fn a_body_over_64_kib_is_too_large(backend: Backend) {
    let ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let body = format!("{{\"jws\":\"{}\"}}", "a".repeat(65 * 1024)).into_bytes();
    let answer = post_body(
        &mut client,
        body,
        Some("6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c10"),
    )
    .await;
    refused(&answer, 413, "too-large", "65 KiB");
    // Exactly at the limit is read (and then judged on its content).
    let mut body = format!("{{\"jws\":\"{}\"}}", "a".repeat(64 * 1024)).into_bytes();
    body.truncate(64 * 1024);
    let answer = post_body(
        &mut client,
        body,
        Some("6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c10"),
    )
    .await;
    refused(&answer, 400, "malformed", "64 KiB");
    assert_eq!(ledger.count(), 0);
}

async fn a_client_over_its_rate_is_limited_with_retry_after(backend: Backend) {
    let ledger = Ledger::start_with(
        backend,
        &["--rate", "1", "--burst", "3"],
        &[("ASSENT_ADMIN_TOKEN", "from-the-environment")],
    )
    .await;
    let mut client = ledger.client();
    let (_, records) = chain(Algorithm::Ed25519, 1);
    for _ in 0..3 {
        assert_eq!(client.get("/v1/keys", &[]).await.unwrap().status, 200);
    }
    let answer = post(&mut client, &records[0]).await;
    refused(&answer, 429, "rate-limited", "fourth request");
    let retry: u64 = answer.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "Retry-After {retry}");
    // Health checks are not limited.
    assert_eq!(client.get("/healthz", &[]).await.unwrap().status, 200);
    assert_eq!(ledger.count(), 0);
    // After the wait, the client is welcome again.
    tokio::time::sleep(Duration::from_secs(retry)).await;
    assert_eq!(post(&mut client, &records[0]).await.status, 201);
    // The admin token from the environment works.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let path = format!("/v1/admin/subjects/{}/records", records[0].record.subject);
    let export = client
        .get(&path, &[("authorization", "Bearer from-the-environment")])
        .await
        .unwrap();
    assert_eq!(export.status, 200, "{}", export.json());
}

async fn the_database_refuses_update_and_delete(backend: Backend) {
    let ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let (_, records) = chain(Algorithm::Ed25519, 2);
    for r in &records {
        assert_eq!(post(&mut client, r).await.status, 201);
    }
    match backend {
        Backend::Sqlite => {
            let db = rusqlite::Connection::open(ledger.data.path().join("ledger.sqlite3")).unwrap();
            for sql in [
                "UPDATE records SET receipt = 'forged'",
                "DELETE FROM records",
            ] {
                let error = db.execute(sql, []).expect_err(sql);
                assert!(error.to_string().contains("append-only"), "{sql}: {error}");
            }
        }
        Backend::Postgres => {
            let url = ledger.database_url.as_deref().unwrap();
            let (db, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            for sql in [
                "UPDATE records SET receipt = 'forged'",
                "DELETE FROM records",
                "TRUNCATE records",
            ] {
                let error = db.batch_execute(sql).await.expect_err(sql);
                let message = error
                    .as_db_error()
                    .map(|e| e.message().to_owned())
                    .unwrap_or_default();
                assert!(message.contains("append-only"), "{sql}: {error:?}");
            }
        }
    }
    let export = ledger.export(None);
    assert_eq!(export.records.len(), 2);
    assert!(export.records.iter().all(|r| r.receipt != "forged"));
}

async fn exports_verify_offline_and_tampering_is_found(backend: Backend) {
    // Without a token, the admin routes do not exist.
    let plain = Ledger::start(backend).await;
    let mut client = plain.client();
    let path = "/v1/admin/subjects/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs/records";
    assert_eq!(client.get(path, &[]).await.unwrap().status, 404);
    drop(plain);

    let token_dir = tempfile::tempdir().unwrap();
    let token_file = token_dir.path().join("token");
    std::fs::write(&token_file, "s3cret-token\n").unwrap();
    let ledger = Ledger::start_with(
        backend,
        &["--admin-token-file", token_file.to_str().unwrap()],
        &[],
    )
    .await;
    let mut client = ledger.client();
    let chains = [chain(Algorithm::Ed25519, 3).1, chain(Algorithm::P256, 2).1];
    for records in &chains {
        for r in records {
            assert_eq!(post(&mut client, r).await.status, 201);
        }
    }
    let subject = chains[0][0].record.subject.clone();
    let path = format!("/v1/admin/subjects/{subject}/records");
    refused(
        &client.get(&path, &[]).await.unwrap(),
        401,
        "unauthorized",
        "no token",
    );
    let wrong = client
        .get(&path, &[("authorization", "Bearer s3cret-tokeN")])
        .await
        .unwrap();
    refused(&wrong, 401, "unauthorized", "wrong token");
    let answer = client
        .get(&path, &[("authorization", "Bearer s3cret-token")])
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    let one: Export = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(one.schema, "assent-ledger-export/1");
    assert_eq!(one.records.len(), 3);
    assert_eq!(
        one.ledger_keys,
        client.get("/v1/keys", &[]).await.unwrap().json()
    );
    assert!(export::verify(&one).problems.is_empty());
    assert_eq!(ledger.export(Some(&subject)).records, one.records);

    // Everything, through the CLI, verified by the CLI.
    let all = ledger.export(None);
    assert_eq!(all.records.len(), 5);
    let file = token_dir.path().join("export.json");
    std::fs::write(&file, serde_json::to_vec(&all).unwrap()).unwrap();
    let (ok, out) = verify_file(&file);
    assert!(ok, "{out}");
    assert!(out.contains("verified 5 records of 2 subjects"), "{out}");

    // Tampering, each alone, is found.
    type Tamper = fn(&mut Export);
    let tampering: [(&str, Tamper); 4] = [
        ("a receipt byte", |e| {
            flip_last_part(&mut e.records[0].receipt)
        }),
        ("a signature byte", |e| {
            flip_last_part(&mut e.records[1].jws)
        }),
        ("a record missing from a chain", |e| {
            // seq 2 of the three-record chain: its seq 3 no longer follows.
            let middle = e
                .records
                .iter()
                .position(|r| jws_record(&r.jws).seq == 2 && chain_length(e, &r.jws) == 3)
                .unwrap();
            e.records.remove(middle);
        }),
        ("another ledger key", |e| {
            e.ledger_keys["keys"][0]["x"] = json!("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
        }),
    ];
    for (case, tamper) in tampering {
        let mut changed = all.clone();
        tamper(&mut changed);
        std::fs::write(&file, serde_json::to_vec(&changed).unwrap()).unwrap();
        let (ok, out) = verify_file(&file);
        assert!(!ok, "{case}: verify passed:\n{out}");
        assert!(out.contains("verification FAILED"), "{case}: {out}");
    }
}

fn flip_last_part(jws: &mut String) {
    let (head, signature) = jws.rsplit_once('.').unwrap();
    let mut bytes = unb64(signature).unwrap();
    bytes[3] ^= 0x10;
    *jws = format!("{head}.{}", b64(&bytes));
}

async fn the_ledger_key_is_private_and_kept(backend: Backend) {
    use std::os::unix::fs::PermissionsExt;
    let mut ledger = Ledger::start(backend).await;
    let mut client = ledger.client();
    let jwks = client.get("/v1/keys", &[]).await.unwrap().json();
    let mode = std::fs::metadata(ledger.data.path().join("ledger-key.jwk"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(jwks["keys"][0].get("d").is_none(), "the JWKS is public");
    ledger.stop();
    ledger.restart();
    let mut client = ledger.client();
    assert_eq!(client.get("/v1/keys", &[]).await.unwrap().json(), jwks);
}

/// A CORS preflight of a record post from https://shop.example.
async fn preflight(client: &mut Client) -> Answer {
    let headers = [
        ("origin", "https://shop.example"),
        ("access-control-request-method", "POST"),
        (
            "access-control-request-headers",
            "content-type,idempotency-key",
        ),
    ];
    client
        .send(
            hyper::Method::OPTIONS,
            "/v1/consent-records",
            &headers,
            Vec::new(),
        )
        .await
        .unwrap()
}

async fn cross_origin_pages_may_post_only_when_allowed(backend: Backend) {
    let same_origin = Ledger::start(backend).await;
    let answer = preflight(&mut same_origin.client()).await;
    assert!(answer.headers.get("access-control-allow-origin").is_none());
    drop(same_origin);

    let ledger =
        Ledger::start_with(backend, &["--allow-origin", "https://shop.example"], &[]).await;
    let mut client = ledger.client();
    let answer = preflight(&mut client).await;
    assert!(answer.status < 300, "preflight: {}", answer.status);
    assert_eq!(
        answer.headers["access-control-allow-origin"],
        "https://shop.example"
    );
    let allowed = answer.headers["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("idempotency-key"), "{allowed}");

    let (_, records) = chain(Algorithm::Ed25519, 1);
    let body = jws_body(&records[0].jws);
    let headers = [
        ("origin", "https://shop.example"),
        ("content-type", "application/json"),
        ("idempotency-key", records[0].record.id.as_str()),
    ];
    let answer = client
        .send(hyper::Method::POST, "/v1/consent-records", &headers, body)
        .await
        .unwrap();
    assert_eq!(answer.status, 201);
    assert_eq!(
        answer.headers["access-control-allow-origin"],
        "https://shop.example"
    );
    assert!(answer.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("retry-after"));
}

/// Guards the durability promise: a 2xx receipt means committed. Several
/// clients post chains, the server is SIGKILLed mid-load and restarted on
/// the same store: every acknowledged record is there, with its receipt,
/// chains are intact, and the clients can resume.
async fn every_acknowledged_record_survives_a_crash(backend: Backend) {
    let mut ledger = Ledger::start(backend).await;
    let template = template();
    let plan = load::Plan {
        records: 1200,
        subjects: 24,
        connections: 8,
        p256_every: 4,
    };
    let chains = load::presign(&plan, &template, now_ms() - 3_600_000);
    let acked = Arc::new(AtomicUsize::new(0));
    let load = tokio::spawn(load::post(
        ledger.address,
        chains.clone(),
        8,
        Arc::clone(&acked),
    ));
    let started = Instant::now();
    while acked.load(Ordering::Relaxed) < 150 && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    ledger.kill();
    let report = load.await.unwrap();
    assert!(
        report.acks.len() >= 150,
        "only {} acknowledged",
        report.acks.len()
    );
    assert!(
        report.acks.len() < 1200,
        "the load finished before the crash"
    );
    assert!(report.refused == 0, "{:?}", report.problems);

    ledger.restart();
    let stored = ledger.export(None);
    let by_id: std::collections::HashMap<String, &assent_ledger::store::Stored> =
        stored.records.iter().map(|s| (jws_id(&s.jws), s)).collect();
    for ack in &report.acks {
        let found = by_id
            .get(&ack.id)
            .unwrap_or_else(|| panic!("acknowledged record {} lost", ack.id));
        assert_eq!(
            found.receipt, ack.receipt,
            "record {}: another receipt",
            ack.id
        );
    }
    let check = export::verify(&stored);
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    eprintln!(
        "{backend:?}: killed with {} acknowledged and {} unanswered; {} stored after restart",
        report.acks.len(),
        report.transport_errors,
        stored.records.len()
    );

    // The clients resume where their last answer left them: records that
    // were stored without an answer are replayed, the rest stored.
    let mut client = ledger.client();
    for records in &chains {
        let acked_seq = report
            .acks
            .iter()
            .filter(|a| a.subject == records[0].record.subject)
            .map(|a| a.seq)
            .max()
            .unwrap_or(0) as usize;
        for r in &records[acked_seq..] {
            let answer = post(&mut client, r).await;
            assert!(matches!(answer.status, 200 | 201), "{}", answer.json());
        }
    }
    let all = ledger.export(None);
    assert_eq!(all.records.len(), 1200);
    assert!(export::verify(&all).problems.is_empty());
}

/// A client that stops sending in the middle of a body gets 408 `timeout`
/// after the body timeout (10 s) and cannot hold an orderly stop (SIGTERM)
/// beyond `--shutdown-grace`; what was acknowledged before is kept.
async fn a_stalled_client_holds_neither_its_request_nor_the_stop(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut ledger = Ledger::start_with(backend, &["--shutdown-grace", "1"], &[]).await;
    let (_, records) = chain(Algorithm::Ed25519, 1);
    let stall = |address| async move {
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream
            .write_all(
                b"POST /v1/consent-records HTTP/1.1\r\nhost: ledger\r\n\
                  content-type: application/json\r\ncontent-length: 100\r\n\r\n{\"jws\":",
            )
            .await
            .unwrap();
        stream
    };

    let mut stalled = stall(ledger.address).await;
    let started = Instant::now();
    // Meanwhile other clients are served.
    let answer = post(&mut ledger.client(), &records[0]).await;
    assert_eq!(answer.status, 201, "{}", answer.json());
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&answer).contains('}') {
        match tokio::time::timeout(Duration::from_secs(30), stalled.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => panic!("no answer to a stalled body within 30 s"),
        }
    }
    let waited = started.elapsed();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""error":"timeout""#), "{answer}");
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(20)).contains(&waited),
        "answered after {waited:?}"
    );

    // A stalled body during an orderly stop: the ledger waits for it at most
    // the grace (1 s here), not the 10 s body timeout, and not for ever.
    let _stalled = stall(ledger.address).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped = ledger.stop_within(Duration::from_secs(6));
    let logs = ledger.logs();
    let took = stopped.unwrap_or_else(|| panic!("still running 6 s after SIGTERM:\n{logs}"));
    assert!(took >= Duration::from_millis(900), "stopped after {took:?}");
    assert!(
        logs.contains("connections still open after the shutdown grace"),
        "{logs}"
    );
    ledger.restart();
    assert_eq!(ledger.count(), 1, "the acknowledged record is kept");
}

/// The record inside a JWS.
fn jws_record(jws: &str) -> Record {
    let payload = jws.split('.').nth(1).and_then(unb64).unwrap();
    serde_json::from_slice(&payload).unwrap()
}

/// The record id inside a JWS.
fn jws_id(jws: &str) -> String {
    jws_record(jws).id
}

/// How many records of an export share the subject of `jws`.
fn chain_length(export: &Export, jws: &str) -> usize {
    let subject = jws_record(jws).subject;
    export
        .records
        .iter()
        .filter(|r| jws_record(&r.jws).subject == subject)
        .count()
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the needle is in the haystack")
}
