//! The rights API's contract, `docs/rights-api.yaml`, and its validator
//! (`support::contract`): the validator accepts what core's models write and
//! refuses what the contract forbids, paths match their templates, and every
//! route of `src/rights/routes.rs` is in the contract, and nothing else is.

mod support;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, UnwindSafe};

use assent_core::policy::notice::notice;
use assent_core::rights::model::{
    Account, AccountState, Archive, ErrorCode, GrantSpecialConsent, LiftRestriction, LiftWarning,
    ManualRequest, Problem, Progress, Reason, Request, RequestList, RequestType, SpecialConsent,
    Status, BASE_PATH,
};
use assent_core::rights::time::Timestamp;
use serde_json::{json, Value};
use support::contract::Contract;
use syn::visit::Visit;

/// 2026-12-07T01:02:03.004Z.
const NOW: Timestamp = Timestamp(1_796_605_323_004);
const DAY_MS: u64 = 86_400_000;

fn request(kind: RequestType, status: Status) -> Request {
    Request::new(
        "3f2a9c1e-0b7d-4c55-9e2f-6a1b2c3d4e5f".into(),
        kind,
        status,
        NOW,
        Timestamp(NOW.0 + 30 * DAY_MS),
    )
}

/// An erasure in its grace period, as `POST /erasure` answers it.
fn erasure() -> Request {
    let mut erasure = request(RequestType::Erasure, Status::InProgress);
    erasure.reason = Some(Reason::GracePeriod);
    erasure.erasure_at = Some(Timestamp(NOW.0 + 30 * DAY_MS));
    erasure.retained = assent_core::rights::erasure::retained(&policy(), "en");
    erasure
}

/// A written export, as `GET /requests/{id}` answers it.
fn written_export() -> Request {
    let mut export = request(RequestType::Access, Status::Fulfilled);
    export.results_url = Some(format!("{BASE_PATH}/downloads/abc"));
    export.expires_at = Some(Timestamp(NOW.0 + 7 * DAY_MS));
    export.closed_at = Some(NOW);
    export.progress = Some(Progress {
        files_done: 3,
        files_total: 3,
        bytes_done: 1000,
        bytes_total: 1000,
    });
    export.archive = Some(Archive {
        size: 800,
        sha256: format!("sha256:{}", "0".repeat(64)),
        files: 3,
    });
    export
}

fn policy() -> assent_core::policy::model::Policy {
    assent_ledger::policies::read(&support::policies_dir().join("pix2clip.toml"))
        .expect("www/policies/pix2clip.toml parses")
}

fn json_of(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("serialisable")
}

fn problem(error: ErrorCode) -> Value {
    json_of(Problem {
        error,
        message: "refused".into(),
    })
}

/// The message `check` panics with.
fn refusal(check: impl FnOnce() + UnwindSafe) -> String {
    let Err(panic) = catch_unwind(check) else {
        panic!("the contract accepted it");
    };
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[test]
fn what_core_writes_matches_the_contract() {
    let contract = Contract::load();
    let id = "/rights/v1/requests/3f2a9c1e-0b7d-4c55-9e2f-6a1b2c3d4e5f";
    for answer in [
        request(RequestType::Rectification, Status::Open),
        written_export(),
        erasure(),
    ] {
        contract.check_response("GET", id, 200, &json_of(&answer));
    }
    contract.check_response(
        "GET",
        "/rights/v1/requests",
        200,
        &json_of(RequestList {
            requests: vec![written_export(), erasure()],
        }),
    );
    contract.check_response(
        "POST",
        "/rights/v1/erasure?lang=fr",
        202,
        &json_of(erasure()),
    );
    let special = SpecialConsent {
        purpose: "voice-cloning".into(),
        given: false,
        given_at: Some(NOW),
        withdrawn_at: Some(NOW),
        language: Some("en".into()),
        statement: "I agree.".into(),
        statement_language: "en".into(),
        deletion: Some(request(
            RequestType::SpecialCategoryConsent,
            Status::InProgress,
        )),
    };
    contract.check_response(
        "DELETE",
        "/rights/v1/special-consents/voice-cloning",
        200,
        &json_of(&special),
    );
    let mut restriction = request(RequestType::Restriction, Status::Fulfilled);
    restriction.closed_at = Some(NOW);
    contract.check_response(
        "GET",
        "/rights/v1/account",
        200,
        &json_of(Account {
            account: "acct-1".into(),
            state: AccountState::Restricted,
            server_time: NOW,
            restriction: Some(restriction),
            erasure: Some(erasure()),
            special_consents: vec![special],
        }),
    );
    contract.check_response(
        "POST",
        "/rights/v1/restriction/lift-warnings",
        201,
        &json_of(LiftWarning {
            warning_id: "w".into(),
            text: "Processing resumes.".into(),
            issued_at: NOW,
            expires_at: Timestamp(NOW.0 + 900_000),
        }),
    );
    let held = notice(&policy(), "fr").with_counts(&[("content".into(), 12)]);
    contract.check_response("GET", "/rights/v1/notice?lang=fr", 200, &json_of(held));
    contract.check_response(
        "POST",
        "/dev/clock",
        200,
        &json!({ "server_time": "2026-12-07T01:02:03.004Z" }),
    );
}

#[test]
fn a_request_with_a_status_outside_the_protocol_is_refused() {
    let mut body = json_of(written_export());
    body["status"] = json!("done");
    let message =
        refusal(|| Contract::load().check_response("GET", "/rights/v1/requests/3f2a", 200, &body));
    assert!(
        message.contains("GET /rights/v1/requests/{id} answered 200"),
        "{message}"
    );
    assert!(message.contains("at /status"), "{message}");
    assert!(message.contains("\"done\""), "{message}");
    assert!(message.contains("body:"), "{message}");
}

#[test]
fn a_request_without_its_id_or_with_an_unknown_field_is_refused() {
    let mut missing = json_of(erasure());
    missing.as_object_mut().unwrap().remove("request_id");
    let message =
        refusal(|| Contract::load().check_response("POST", "/rights/v1/erasure", 202, &missing));
    assert!(message.contains("request_id"), "{message}");

    let mut unknown = json_of(erasure());
    unknown["deleted_at"] = json!("2026-12-07T01:02:03.004Z");
    let message =
        refusal(|| Contract::load().check_response("POST", "/rights/v1/erasure", 202, &unknown));
    assert!(message.contains("deleted_at"), "{message}");

    let mut late = json_of(erasure());
    late["erasure_at"] = json!("in 30 days");
    let message =
        refusal(|| Contract::load().check_response("POST", "/rights/v1/erasure", 202, &late));
    assert!(message.contains("at /erasure_at"), "{message}");
}

#[test]
fn a_refusal_must_carry_the_code_of_its_status() {
    let contract = Contract::load();
    contract.check_response(
        "GET",
        "/rights/v1/account",
        401,
        &problem(ErrorCode::Unauthenticated),
    );
    contract.check_response(
        "GET",
        "/rights/v1/downloads/abc",
        410,
        &problem(ErrorCode::LinkGone),
    );
    for code in [
        ErrorCode::StatementMismatch,
        ErrorCode::IdempotencyKeyReused,
    ] {
        contract.check_response(
            "POST",
            "/rights/v1/special-consents/voice-cloning",
            422,
            &problem(code),
        );
    }
    let message = refusal(|| {
        Contract::load().check_response(
            "GET",
            "/rights/v1/account",
            410,
            &problem(ErrorCode::LinkGone),
        )
    });
    assert!(message.contains("at /error"), "{message}");
    let message = refusal(|| {
        Contract::load().check_response(
            "GET",
            "/rights/v1/account",
            401,
            &json!({ "error": "unauthenticated", "detail": "sign in" }),
        )
    });
    assert!(message.contains("message"), "{message}");
}

#[test]
fn request_bodies_are_checked_too() {
    let contract = Contract::load();
    contract.check_request(
        "POST",
        "/rights/v1/requests",
        &json_of(ManualRequest {
            kind: RequestType::Objection,
            details: "Stop profiling me.".into(),
        }),
    );
    contract.check_request(
        "DELETE",
        "/rights/v1/restriction",
        &json_of(LiftRestriction {
            warning_id: "w".into(),
        }),
    );
    contract.check_request(
        "POST",
        "/rights/v1/special-consents/voice-cloning",
        &json_of(GrantSpecialConsent {
            language: "en".into(),
            statement: "I agree.".into(),
            affirmed: true,
        }),
    );
    contract.check_request("POST", "/rights/v1/exports", &json!({}));
    contract.check_request(
        "POST",
        "/rights/v1/exports",
        &json!({ "type": "portability" }),
    );
    contract.check_request("POST", "/dev/clock", &json!({ "advance_ms": 1000 }));
    for (path, body, says) in [
        (
            "/rights/v1/requests",
            json!({ "type": "objection", "details": "" }),
            "/details",
        ),
        (
            "/rights/v1/requests",
            json!({ "type": "objection", "details": "x", "urgent": true }),
            "urgent",
        ),
        (
            "/rights/v1/special-consents/voice-cloning",
            json!({ "language": "en", "statement": "I agree." }),
            "affirmed",
        ),
        ("/rights/v1/exports", json!({ "type": "later" }), "/type"),
    ] {
        let message = refusal(|| Contract::load().check_request("POST", path, &body));
        assert!(message.contains(says), "{path}: {message}");
        assert!(message.contains(" sent a body"), "{path}: {message}");
    }
    let message =
        refusal(|| Contract::load().check_request("POST", "/rights/v1/erasure", &json!({})));
    assert!(message.contains("no JSON request body"), "{message}");
}

#[test]
fn paths_match_their_templates_and_unknown_calls_are_refused() {
    let contract = Contract::load();
    assert!(contract.documents("GET", "/rights/v1/requests/3f2a?lang=fr", 200));
    assert!(contract.documents("get", "/rights/v1/requests/3f2a", 404));
    assert!(contract.documents("POST", "/rights/v1/restriction/lift-warnings", 201));
    assert!(contract.documents("DELETE", "/rights/v1/restriction", 200));
    assert!(contract.documents("GET", "/rights/v1/downloads/abc", 206));
    assert!(contract.documents("GET", "/rights/v1/downloads/abc", 416));
    assert!(contract.documents("HEAD", "/rights/v1/downloads/abc", 200));
    assert!(!contract.documents("HEAD", "/rights/v1/downloads/abc", 206));
    assert!(!contract.documents("GET", "/rights/v1/account", 418));
    assert!(!contract.documents("PUT", "/rights/v1/account", 200));
    assert!(!contract.documents("GET", "/rights/v1/requests/", 200));
    assert!(!contract.documents("GET", "/app/v1/me", 200));

    let message =
        refusal(|| Contract::load().check_response("GET", "/rights/v1/account", 418, &json!({})));
    assert!(
        message.contains("GET /rights/v1/account documents no response 418"),
        "{message}"
    );
    let message =
        refusal(|| Contract::load().check_response("PUT", "/rights/v1/account", 200, &json!({})));
    assert!(message.contains("documents no PUT"), "{message}");
    let message =
        refusal(|| Contract::load().check_response("GET", "/rights/v2/account", 200, &json!({})));
    assert!(message.contains("no path"), "{message}");
    // The archive is not JSON: a test states what it checked with `documents`.
    let message = refusal(|| {
        Contract::load().check_response("GET", "/rights/v1/downloads/abc", 416, &json!({}))
    });
    assert!(message.contains("no JSON body"), "{message}");
    contract.check_response("GET", "/rights/v1/downloads/abc", 416, &Value::Null);
}

/// The routes `routes.rs` registers: (`POST`, `/rights/v1/requests`).
fn server_routes() -> BTreeSet<(String, String)> {
    struct Routes(BTreeSet<(String, String)>);

    impl<'ast> Visit<'ast> for Routes {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "route" && call.args.len() == 2 {
                let path = route_path(&call.args[0]);
                let mut methods = Vec::new();
                handlers(&call.args[1], &mut methods);
                assert!(!methods.is_empty(), "{path}: no method router found");
                for method in methods {
                    self.0.insert((method, path.clone()));
                }
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }

    fn route_path(expr: &syn::Expr) -> String {
        let literal = match expr {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(literal),
                ..
            }) => literal.value(),
            syn::Expr::Reference(reference) => return route_path(&reference.expr),
            syn::Expr::Macro(format) if format.mac.path.is_ident("format") => format
                .mac
                .parse_body::<syn::LitStr>()
                .expect("format!(\"{BASE_PATH}/…\")")
                .value(),
            // `at("/account")`: a path under BASE_PATH.
            syn::Expr::Call(call) if matches!(&*call.func, syn::Expr::Path(f) if f.path.is_ident("at")) =>
            {
                let [arg] = call.args.iter().collect::<Vec<_>>()[..] else {
                    panic!("routes.rs: at() takes one path")
                };
                return format!("{BASE_PATH}{}", route_path(arg));
            }
            _ => panic!("routes.rs: a route path neither a literal, at(\"…\") nor format!(\"…\")"),
        };
        literal
            .replace("{BASE_PATH}", BASE_PATH)
            .replace("{{", "{")
            .replace("}}", "}")
    }

    /// `get(a).post(b)` → GET, POST.
    fn handlers(expr: &syn::Expr, methods: &mut Vec<String>) {
        const VERBS: [&str; 7] = ["get", "post", "delete", "head", "put", "patch", "options"];
        match expr {
            syn::Expr::Call(call) => {
                if let syn::Expr::Path(function) = &*call.func {
                    if let Some(verb) = VERBS.iter().find(|v| function.path.is_ident(v)) {
                        methods.push(verb.to_ascii_uppercase());
                    }
                }
            }
            syn::Expr::MethodCall(call) => {
                if let Some(verb) = VERBS.iter().find(|v| call.method == v) {
                    methods.push(verb.to_ascii_uppercase());
                }
                handlers(&call.receiver, methods);
            }
            _ => {}
        }
    }

    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rights/routes.rs");
    let source = std::fs::read_to_string(&file).expect("routes.rs");
    let syntax = syn::parse_file(&source).expect("routes.rs parses");
    let mut routes = Routes(BTreeSet::new());
    routes.visit_file(&syntax);
    routes.0
}

/// A route added to the server without its contract entry fails here, and
/// so does a contract entry the server does not serve.
#[test]
fn every_route_of_the_server_is_in_the_contract_and_nothing_else() {
    let server = server_routes();
    assert!(
        server.contains(&("GET".into(), "/rights/v1/requests/{id}".into())),
        "the parse of routes.rs found {server:?}"
    );
    assert!(server.contains(&("HEAD".into(), "/rights/v1/downloads/{token}".into())));
    let contract: BTreeSet<(String, String)> = Contract::load().operations().into_iter().collect();
    let missing: Vec<_> = server.difference(&contract).collect();
    assert!(
        missing.is_empty(),
        "routes.rs serves these without a docs/rights-api.yaml entry: {missing:?}"
    );
    let extra: Vec<_> = contract.difference(&server).collect();
    assert!(
        extra.is_empty(),
        "docs/rights-api.yaml documents what routes.rs does not serve: {extra:?}"
    );
    assert_eq!(server.len(), 17);
}

/// What `routes::change` does to every call that changes something is in
/// the contract of each: the key, the CSRF value and their refusals.
#[test]
fn every_change_documents_its_key_its_csrf_value_and_their_refusals() {
    let contract = Contract::load();
    let document = contract.document();
    let mut changes = 0;
    for (method, template) in contract.operations() {
        let operation = &document["paths"][&template][method.to_ascii_lowercase()];
        let statuses: Vec<&String> = operation["responses"]
            .as_object()
            .map(|r| r.keys().collect())
            .unwrap_or_default();
        let has = |status: &str| statuses.iter().any(|s| *s == status);
        assert!(
            has("429") && has("503"),
            "{method} {template}: {statuses:?}"
        );
        if template == "/dev/clock" {
            assert_eq!(operation["x-only-with"], "--clock adjustable");
            assert_eq!(operation["security"], json!([]));
            continue;
        }
        if !template.starts_with("/rights/v1/downloads/") {
            assert!(has("401"), "{method} {template}: 401");
        }
        if method != "POST" && method != "DELETE" {
            continue;
        }
        changes += 1;
        let parameters = operation["parameters"].to_string();
        for parameter in ["IdempotencyKey", "CsrfToken"] {
            assert!(
                parameters.contains(&format!("#/components/parameters/{parameter}")),
                "{method} {template}: {parameter}"
            );
        }
        for status in ["400", "403", "409", "422", "428"] {
            assert!(has(status), "{method} {template}: {status}");
        }
    }
    assert_eq!(changes, 10);
    assert_eq!(
        document["components"]["parameters"]["IdempotencyKey"]["required"],
        true
    );
    let description = document["info"]["description"]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(description.contains("Data Rights Protocol 1.0"));
    assert!(description.contains("Sites authenticate their own way"));
}
