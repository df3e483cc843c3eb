//! The tests' one way into the rights API: [`RightsClient::call_with`] sends
//! every call (rights routes, the reference app's, the dev clock), checks
//! each body it sends to `/rights/v1` and each JSON answer it gets against
//! the contract (`docs/rights-api.yaml`), and adds an `Idempotency-Key` to
//! calls that change something unless told otherwise. Also: signing in,
//! moving the clock, and reading the database behind the server.

use std::net::SocketAddr;
use std::path::PathBuf;

use assent_core::rights::time::Timestamp;
use assent_ledger::load::Client;
use bytes::Bytes;
use hyper::header::HeaderMap;
use hyper::Method;
use serde_json::{json, Value};

use crate::support::contract::Contract;
use crate::support::Ledger;

/// Where the rights API's routes are.
pub const BASE: &str = "/rights/v1";

/// Who makes a call.
#[derive(Clone, Debug)]
pub enum Auth {
    /// No credentials at all.
    Nobody,
    /// `Authorization: Bearer …`.
    Bearer(String),
    /// The session cookie, with the session's CSRF value in `X-CSRF-Token`
    /// when `csrf` is set.
    Cookie {
        /// The session token (`p2c_session`).
        session: String,
        /// What `X-CSRF-Token` carries, if anything.
        csrf: Option<String>,
    },
}

impl Auth {
    fn headers(&self) -> Vec<(&'static str, String)> {
        match self {
            Auth::Nobody => Vec::new(),
            Auth::Bearer(token) => vec![("authorization", format!("Bearer {token}"))],
            Auth::Cookie { session, csrf } => {
                let mut headers = vec![("cookie", format!("p2c_session={session}"))];
                if let Some(csrf) = csrf {
                    headers[0].1.push_str(&format!("; p2c_csrf={csrf}"));
                    headers.push(("x-csrf-token", csrf.clone()));
                }
                headers
            }
        }
    }
}

/// A signed-in account of the reference app.
#[derive(Clone, Debug)]
pub struct Session {
    /// The site's account id.
    pub account: String,
    /// The session token (cookie `p2c_session`, or a bearer token).
    pub token: String,
    /// The session's CSRF value (cookie `p2c_csrf`).
    pub csrf: String,
}

impl Session {
    /// Calls with `Authorization: Bearer`.
    pub fn bearer(&self) -> Auth {
        Auth::Bearer(self.token.clone())
    }

    /// Calls with the session cookie and the CSRF header, as the panel makes them.
    pub fn cookie(&self) -> Auth {
        Auth::Cookie {
            session: self.token.clone(),
            csrf: Some(self.csrf.clone()),
        }
    }

    /// Calls with the session cookie alone, as a forged cross-site request.
    pub fn cookie_without_csrf(&self) -> Auth {
        Auth::Cookie {
            session: self.token.clone(),
            csrf: None,
        }
    }
}

/// The `Idempotency-Key` of a call that changes something.
#[derive(Clone, Copy, Debug, Default)]
pub enum Key<'a> {
    /// A new random key.
    #[default]
    Fresh,
    /// This key.
    Given(&'a str),
    /// None at all.
    Missing,
}

/// How a call is made, beyond its method, path and body.
#[derive(Clone, Copy, Debug, Default)]
pub struct How<'a> {
    /// Its `Idempotency-Key`.
    pub key: Key<'a>,
    /// Extra request headers (`Range`, `Accept-Language`…).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body breaks the contract on purpose (a refusal is tested), so it
    /// is not checked; the answer still is.
    pub off_contract: bool,
}

impl<'a> How<'a> {
    /// With this `Idempotency-Key`.
    pub fn key(key: Key<'a>) -> How<'a> {
        How {
            key,
            ..How::default()
        }
    }

    /// With these extra headers.
    pub fn headers(headers: &'a [(&'a str, &'a str)]) -> How<'a> {
        How {
            headers,
            ..How::default()
        }
    }

    /// With a body the contract does not allow.
    pub fn off_contract() -> How<'a> {
        How {
            off_contract: true,
            ..How::default()
        }
    }
}

/// An answer.
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body as received.
    pub body: Bytes,
    /// The body as JSON (`Null` when it is not JSON).
    pub json: Value,
}

impl Reply {
    /// The `error` code of a refusal, or "".
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }

    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status; the answer.
    #[track_caller]
    pub fn expect(self, status: u16, what: &str) -> Reply {
        assert_eq!(
            self.status,
            status,
            "{what}: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// Asserts a refusal: its status, its code and a message for people.
    #[track_caller]
    pub fn refused(&self, status: u16, code: &str, what: &str) {
        assert_eq!(
            (self.status, self.error()),
            (status, code),
            "{what}: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert!(
            self.json["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: a refusal without a message: {}",
            self.json
        );
    }
}

/// A client of one server's rights API and app.
pub struct RightsClient {
    client: Client,
    contract: &'static Contract,
}

impl RightsClient {
    /// A client of the ledger's server.
    pub fn new(ledger: &Ledger) -> RightsClient {
        RightsClient::at(ledger.address)
    }

    /// A client of the server at `address`.
    pub fn at(address: SocketAddr) -> RightsClient {
        RightsClient {
            client: Client::new(address),
            contract: Contract::load(),
        }
    }

    /// `method path` as `auth`, with a fresh `Idempotency-Key` when it
    /// changes something.
    pub async fn call(
        &mut self,
        auth: &Auth,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        self.call_with(auth, How::default(), method, path, body)
            .await
    }

    /// The one helper every call of the tests goes through: `body` and a
    /// JSON answer of a `/rights/v1` route are checked against the contract
    /// (other routes' answers when the contract documents them).
    pub async fn call_with(
        &mut self,
        auth: &Auth,
        how: How<'_>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let route = path.split('?').next().unwrap_or(path);
        let rights = route.starts_with(BASE);
        let mut headers: Vec<(&str, String)> = auth.headers();
        let changes = method == Method::POST || method == Method::DELETE;
        match how.key {
            Key::Fresh if changes => {
                headers.push(("idempotency-key", uuid::Uuid::new_v4().to_string()));
            }
            Key::Given(key) => headers.push(("idempotency-key", key.to_owned())),
            Key::Fresh | Key::Missing => {}
        }
        let bytes = match &body {
            Some(body) => {
                if rights && !how.off_contract {
                    self.contract.check_request(method.as_str(), route, body);
                }
                headers.push(("content-type", "application/json".into()));
                body.to_string().into_bytes()
            }
            None => Vec::new(),
        };
        let mut all: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        all.extend_from_slice(how.headers);
        let answer = self
            .client
            .send(method.clone(), path, &all, bytes)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"));
        // A HEAD answer has the headers of the GET, and no body.
        let is_json = method != Method::HEAD
            && answer
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("application/json"));
        let json = if is_json {
            serde_json::from_slice(&answer.body).unwrap_or_else(|e| {
                panic!(
                    "{method} {path}: the answer says JSON but is not ({e}): {}",
                    String::from_utf8_lossy(&answer.body)
                )
            })
        } else {
            Value::Null
        };
        if is_json
            && (rights
                || self
                    .contract
                    .documents(method.as_str(), route, answer.status))
        {
            self.contract
                .check_response(method.as_str(), route, answer.status, &json);
        }
        Reply {
            status: answer.status,
            headers: answer.headers,
            body: answer.body,
            json,
        }
    }

    /// `GET path` as `auth`, which must answer 200: its JSON.
    pub async fn get(&mut self, auth: &Auth, path: &str) -> Value {
        self.call(auth, Method::GET, path, None)
            .await
            .expect(200, &format!("GET {path}"))
            .json
    }

    /// One request of the caller, by id.
    pub async fn request(&mut self, auth: &Auth, id: &str) -> Value {
        self.get(auth, &format!("{BASE}/requests/{id}")).await
    }

    /// Polls a request until its status is `status` (failing after
    /// [`crate::WAIT`] with the status last seen); every status seen on the
    /// way, and the request.
    pub async fn until_status(
        &mut self,
        auth: &Auth,
        id: &str,
        status: &str,
    ) -> (Vec<String>, Value) {
        let mut seen: Vec<String> = Vec::new();
        let request = eventually!(format!("request {id} is {status}"), {
            let request = self.request(auth, id).await;
            let now = request["status"].as_str().unwrap_or("?").to_owned();
            if seen.last() != Some(&now) {
                seen.push(now.clone());
            }
            if now == status {
                Ok(request)
            } else {
                Err(request.to_string())
            }
        });
        (seen, request)
    }

    /// Signs up with the reference app: the new account's session.
    pub async fn sign_up(&mut self, email: &str, first: &str, last: &str) -> Session {
        let body = json!({ "email": email, "first_name": first, "last_name": last });
        let reply = self
            .call(&Auth::Nobody, Method::POST, "/app/v1/accounts", Some(body))
            .await
            .expect(201, "sign-up");
        session(&reply)
    }

    /// Signs in to the reference app by e-mail: the session.
    pub async fn sign_in(&mut self, email: &str) -> Session {
        let body = json!({ "email": email });
        let reply = self
            .call(&Auth::Nobody, Method::POST, "/app/v1/session", Some(body))
            .await
            .expect(201, "sign-in");
        session(&reply)
    }

    /// Moves the server's adjustable clock forward (the scheduler runs
    /// before the answer): the server's time then, Unix milliseconds.
    pub async fn advance(&mut self, ms: u64) -> u64 {
        let reply = self
            .call(
                &Auth::Nobody,
                Method::POST,
                "/dev/clock",
                Some(json!({ "advance_ms": ms })),
            )
            .await
            .expect(200, "POST /dev/clock");
        ms_of(&reply.json["server_time"])
    }

    /// The server's time now, Unix milliseconds (from `GET /account`).
    pub async fn server_time(&mut self, auth: &Auth) -> u64 {
        ms_of(&self.get(auth, &format!("{BASE}/account")).await["server_time"])
    }

    /// The caller's files in the reference app (`GET /app/v1/files`).
    pub async fn files(&mut self, auth: &Auth) -> Vec<Value> {
        self.get(auth, "/app/v1/files").await["files"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// The session of a sign-up or sign-in answer, whose cookies must say the same.
fn session(reply: &Reply) -> Session {
    let field = |name: &str| {
        reply.json[name]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} in {}", reply.json))
            .to_owned()
    };
    let session = Session {
        account: field("account"),
        token: field("token"),
        csrf: field("csrf"),
    };
    let cookies: Vec<&str> = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies.iter().any(
            |c| c.starts_with(&format!("p2c_session={};", session.token)) && c.contains("HttpOnly")
        ),
        "the session cookie is HttpOnly: {cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with(&format!("p2c_csrf={};", session.csrf))
                && !c.contains("HttpOnly")),
        "the CSRF cookie is readable by the page: {cookies:?}"
    );
    session
}

/// An RFC 3339 timestamp of the API as Unix milliseconds.
#[track_caller]
pub fn ms_of(value: &Value) -> u64 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a timestamp: {value}"));
    Timestamp::parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e:?}"))
        .as_ms()
}

/// The database behind a ledger, read directly (as an auditor would).
pub enum Store {
    /// `DATA/ledger.sqlite3`.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl Store {
    /// The ledger's database.
    pub fn of(ledger: &Ledger) -> Store {
        match &ledger.database_url {
            Some(url) => Store::Postgres(url.clone()),
            None => Store::Sqlite(ledger.data.path().join("ledger.sqlite3")),
        }
    }

    /// A `SELECT COUNT(*) … WHERE … = $1`.
    pub async fn count(&self, sql: &str, arg: &str) -> i64 {
        match self {
            Store::Sqlite(path) => {
                let connection = sqlite(path);
                connection
                    .query_row(sql, [arg], |r| r.get(0))
                    .unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            Store::Postgres(url) => postgres(url)
                .await
                .query_one(sql, &[&arg])
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .get(0),
        }
    }

    /// Rows of a query of text columns with one parameter.
    pub async fn texts(&self, sql: &str, arg: &str) -> Vec<Vec<String>> {
        match self {
            Store::Sqlite(path) => {
                let connection = sqlite(path);
                let mut statement = connection
                    .prepare(sql)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
                let columns = statement.column_count();
                statement
                    .query_map([arg], |r| (0..columns).map(|i| r.get(i)).collect())
                    .and_then(|rows| rows.collect::<Result<Vec<Vec<String>>, _>>())
                    .unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            Store::Postgres(url) => postgres(url)
                .await
                .query(sql, &[&arg])
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .iter()
                .map(|r| (0..r.len()).map(|i| r.get(i)).collect())
                .collect(),
        }
    }

    /// A request's stored document.
    pub async fn request(&self, id: &str) -> Value {
        let rows = self
            .texts("SELECT doc FROM rights_requests WHERE id = $1", id)
            .await;
        let doc = rows
            .first()
            .unwrap_or_else(|| panic!("no request {id} in the database"));
        serde_json::from_str(&doc[0]).expect("a stored request is JSON")
    }

    /// How many times `event` was recorded for a request.
    pub async fn events(&self, request: &str, event: &str) -> i64 {
        let rows = self
            .texts(
                "SELECT event FROM rights_events WHERE request = $1",
                request,
            )
            .await;
        rows.iter().filter(|r| r[0] == event).count() as i64
    }

    /// The account's files as the reference app records them: (name, path on disk, category).
    pub async fn files(&self, account: &str) -> Vec<(String, PathBuf, String)> {
        self.texts(
            "SELECT name, path, category FROM app_files WHERE account = $1 ORDER BY name",
            account,
        )
        .await
        .into_iter()
        .map(|r| (r[0].clone(), PathBuf::from(&r[1]), r[2].clone()))
        .collect()
    }
}

fn sqlite(path: &std::path::Path) -> rusqlite::Connection {
    let connection =
        rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    connection
        .busy_timeout(std::time::Duration::from_secs(5))
        .expect("busy timeout");
    connection
}

async fn postgres(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    tokio::spawn(connection);
    client
}
