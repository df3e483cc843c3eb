//! What every call to the rights API goes through before its handler: who
//! is calling ([`super::site::Site::authenticate`]), and, for a call that
//! changes something, the session's CSRF value when the caller came with a
//! cookie and its `Idempotency-Key` ([`super::idempotency`]): a retry with
//! the same key and body is answered with the first answer, which this layer
//! keeps once the handler has answered.

use std::sync::Arc;

use assent_core::rights::model::{ErrorCode, Problem};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::idempotency::{self, Replay};
use super::service::{problem, Rights};
use super::site::{Caller, Credential};

/// The largest body a call may send.
pub const MAX_BODY: usize = 64 * 1024;

/// The account of the caller, for the handlers (set by [`guard`]).
#[derive(Clone, Debug)]
pub struct Account(pub String);

/// A [`Problem`] as a response: its status, its JSON body, `no-store`.
pub struct Refused(pub Problem);

impl From<Problem> for Refused {
    fn from(p: Problem) -> Refused {
        Refused(p)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.error.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(&self.0)).into_response();
        if self.0.error == ErrorCode::Unauthenticated {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer, Cookie"),
            );
        }
        no_store(&mut response);
        response
    }
}

/// `Cache-Control: no-store`: answers about a person are never cached.
pub fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// A JSON answer, not to be cached.
pub fn answer(status: StatusCode, value: impl serde::Serialize) -> Response {
    let mut response = (status, Json(value)).into_response();
    no_store(&mut response);
    response
}

/// The caller, or `401 unauthenticated`.
pub async fn caller(rights: &Rights, headers: &HeaderMap) -> Result<Caller, Refused> {
    match rights.site.authenticate(headers).await {
        Ok(Some(caller)) => Ok(caller),
        Ok(None) => Err(problem(
            ErrorCode::Unauthenticated,
            "sign in: a session cookie or a bearer token is required",
        )
        .into()),
        Err(e) => Err(Problem::from(e).into()),
    }
}

/// The layer in front of every rights route but the download's and the
/// clock's: authenticates, and for calls that change something checks the
/// CSRF value and the idempotency key, runs the handler once per key and
/// keeps its answer.
pub async fn guard(
    State(rights): State<Arc<Rights>>,
    request: Request,
    next: Next,
) -> Result<Response, Refused> {
    let (mut parts, body) = request.into_parts();
    let caller = caller(&rights, &parts.headers).await?;
    parts.extensions.insert(Account(caller.account.clone()));
    if matches!(parts.method, Method::GET | Method::HEAD) {
        return Ok(next.run(Request::from_parts(parts, body)).await);
    }
    if caller.credential == (Credential::Cookie { csrf_ok: false }) {
        return Err(problem(
            ErrorCode::CsrfFailed,
            "a call authenticated by the session cookie needs the session's CSRF value in X-CSRF-Token",
        )
        .into());
    }
    let key = idempotency::key(&parts.headers)?;
    let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        problem(
            ErrorCode::Malformed,
            format!("the body could not be read, or is over {MAX_BODY} bytes"),
        )
    })?;
    let fingerprint = idempotency::fingerprint(&parts.method, parts.uri.path(), &body);
    let now = rights.clock.now();
    let account = &caller.account;
    if let Replay::Answer(status, value) =
        idempotency::begin(&rights.db, account, &key, &fingerprint, now).await?
    {
        let mut response = answer(
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            value,
        );
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        return Ok(response);
    }
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    let (parts, body) = response.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if parts.status == StatusCode::SERVICE_UNAVAILABLE {
        // Storage failed: nothing is kept, so a retry runs again.
        idempotency::forget(&rights.db, account, &key).await;
    } else {
        idempotency::finish(&rights.db, account, &key, parts.status.as_u16(), &value).await?;
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}
