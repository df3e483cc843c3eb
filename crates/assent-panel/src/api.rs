//! The rights API client (docs/rights-api.yaml): core's models in and out.
//!
//! Every change carries an `Idempotency-Key` made once per user action, so a
//! retry, a double click or a resend after the page closed mid-request is
//! carried out once by the server. Before it is sent, a change is written to
//! the outbox (`localStorage`, [`crate::outbox`]) under the account's id, and
//! taken out once the server gave a definitive answer: a deletion, restriction
//! or withdrawal whose page closed before the answer is sent again, with the
//! same key, at the next mount for the same account.

use std::rc::Rc;

use assent_core::rights::model::{ErrorCode, Problem, BASE_PATH};
use assent_web::http::Method;
use assent_web::http::{self, Answer, Call, Failure};
use js_sys::{Function, Promise};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::options::Auth;
use crate::outbox::{self, Pending};

/// Why a call did not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: the change is kept in the outbox and can be retried.
    Network,
    /// The server said so (`Problem`).
    Refused(ErrorCode, String),
    /// The answer did not follow the contract.
    Unreadable(String),
}

impl ApiError {
    /// Whether the server may not have the change yet, so the outbox keeps
    /// it: no answer, or the server asked to come back later.
    pub fn kept(&self) -> bool {
        matches!(
            self,
            ApiError::Network
                | ApiError::Refused(ErrorCode::Unavailable | ErrorCode::RateLimited, _)
        )
    }

    /// Whether retrying the same call may succeed.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Network
                | ApiError::Refused(
                    ErrorCode::Unavailable | ErrorCode::Conflict | ErrorCode::RateLimited,
                    _
                )
        )
    }
}

/// A change to send: method, path under the API base, and JSON body.
#[derive(Clone, Debug)]
pub struct Change {
    /// `POST` or `DELETE`.
    pub method: &'static str,
    /// Under the API base (`/exports`).
    pub path: String,
    /// The body, as JSON text (sent as is).
    pub body: Option<String>,
}

impl Change {
    /// `POST path` without a body.
    pub fn post(path: impl Into<String>) -> Change {
        Change {
            method: "POST",
            path: path.into(),
            body: None,
        }
    }

    /// `DELETE path` without a body.
    pub fn delete(path: impl Into<String>) -> Change {
        Change {
            method: "DELETE",
            path: path.into(),
            body: None,
        }
    }

    /// This change with `value` as its JSON body (through the browser's
    /// `JSON.stringify`).
    pub fn with<T: serde::Serialize>(mut self, value: &T) -> Change {
        self.body = assent_web::http::body(value)
            .ok()
            .and_then(|js| js_sys::JSON::stringify(&js).ok())
            .and_then(|text| text.as_string());
        self
    }
}

/// The client.
pub struct Api {
    base: String,
    lang: String,
    auth: Auth,
}

impl Api {
    /// A client of the API at `base` (no trailing slash), asking for texts in `lang`.
    pub fn new(base: String, lang: String, auth: Auth) -> Rc<Api> {
        Rc::new(Api { base, lang, auth })
    }

    /// The language texts are asked in.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// `GET path` (with `?lang=`), read as `T`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let url = format!("{}{path}?lang={}", self.base, self.lang);
        let answer = self.send(Method::GET, &url, Vec::new(), None).await?;
        read(&answer)
    }

    /// Sends `change` for `account` under `key`, through the outbox; the
    /// answer's body as `T` (`None` for an empty answer).
    pub async fn change<T: DeserializeOwned>(
        &self,
        account: &str,
        key: &str,
        change: &Change,
    ) -> Result<Option<T>, ApiError> {
        let pending = Pending {
            account: account.to_owned(),
            key: key.to_owned(),
            method: change.method.to_owned(),
            path: change.path.clone(),
            body: change.body.clone(),
        };
        outbox::put(&pending);
        let result = self.send_pending(&pending).await;
        if !matches!(&result, Err(e) if e.kept()) {
            outbox::take(key);
        }
        let answer = result?;
        if answer.json.is_undefined() {
            return Ok(None);
        }
        read(&answer).map(Some)
    }

    /// Sends again every change of `account` left in the outbox (a page that
    /// closed mid-request): the same key, so the server does each once.
    /// Returns how many were sent.
    pub async fn resend(&self, account: &str) -> usize {
        let mut sent = 0;
        for pending in outbox::all().into_iter().filter(|p| p.account == account) {
            let result = self.send_pending(&pending).await;
            if !matches!(&result, Err(e) if e.kept()) {
                outbox::take(&pending.key);
                sent += 1;
            }
        }
        sent
    }

    async fn send_pending(&self, pending: &Pending) -> Result<Answer, ApiError> {
        let method = match pending.method.as_str() {
            "DELETE" => Method::DELETE,
            _ => Method::POST,
        };
        let url = format!("{}{}?lang={}", self.base, pending.path, self.lang);
        let body = match &pending.body {
            Some(text) => {
                Some(js_sys::JSON::parse(text).map_err(|_| ApiError::Unreadable("body".into()))?)
            }
            None => None,
        };
        let headers = vec![("Idempotency-Key", pending.key.clone())];
        let answer = self.send(method, &url, headers, body).await?;
        if answer.ok() {
            Ok(answer)
        } else {
            Err(problem(&answer))
        }
    }

    /// One call with credentials; a bearer token is asked again after a 401.
    async fn send(
        &self,
        method: Method,
        url: &str,
        headers: Vec<(&'static str, String)>,
        body: Option<JsValue>,
    ) -> Result<Answer, ApiError> {
        let mut retried = false;
        loop {
            let mut all = headers.clone();
            match &self.auth {
                Auth::Cookies(csrf) => {
                    if method != Method::GET {
                        if let Some(value) = csrf.as_ref().and_then(string_or_call) {
                            all.push(("X-CSRF-Token", value));
                        }
                    }
                }
                Auth::Bearer(token) => {
                    if let Some(value) = call_token(token).await {
                        all.push(("Authorization", format!("Bearer {value}")));
                    }
                }
            }
            let answer = http::send(Call {
                method: method.clone(),
                url,
                headers: all,
                body: body.clone(),
            })
            .await
            .map_err(|e| match e {
                Failure::Network(_) => ApiError::Network,
                Failure::Unreadable(e) => ApiError::Unreadable(e),
            })?;
            if answer.status == 401 && matches!(self.auth, Auth::Bearer(_)) && !retried {
                retried = true;
                continue;
            }
            if !answer.ok() && method == Method::GET {
                return Err(problem(&answer));
            }
            return Ok(answer);
        }
    }

    /// `results_url` (a path on the API's origin, `/rights/v1/…`) as a URL
    /// the browser can follow from this page, behind the site's API prefix.
    pub fn resolve(&self, results_url: &str) -> String {
        match (
            self.base.strip_suffix(BASE_PATH),
            results_url.starts_with(BASE_PATH),
        ) {
            (Some(prefix), true) => format!("{prefix}{results_url}"),
            _ => results_url.to_owned(),
        }
    }
}

fn read<T: DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    answer
        .read()
        .map_err(|e: Failure| ApiError::Unreadable(e.to_string()))
}

fn problem(answer: &Answer) -> ApiError {
    match answer.read::<Problem>() {
        Ok(p) => ApiError::Refused(p.error, p.message),
        Err(_) if answer.status == 503 || answer.status == 502 || answer.status == 504 => {
            ApiError::Refused(ErrorCode::Unavailable, format!("HTTP {}", answer.status))
        }
        Err(_) => ApiError::Unreadable(format!("HTTP {}", answer.status)),
    }
}

/// A string, or the string a function returns.
fn string_or_call(value: &JsValue) -> Option<String> {
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    value
        .dyn_ref::<Function>()?
        .call0(&JsValue::NULL)
        .ok()?
        .as_string()
}

/// The token callback's answer, awaited when it is a promise.
async fn call_token(token: &Function) -> Option<String> {
    let value = token.call0(&JsValue::NULL).ok()?;
    if let Some(promise) = value.dyn_ref::<Promise>() {
        return JsFuture::from(promise.clone()).await.ok()?.as_string();
    }
    value.as_string()
}
