//! The rights API's HTTP routes (`docs/rights-api.yaml`), under
//! `/rights/v1`. Every route authenticates through the site
//! ([`super::site::Site::authenticate`]); every call that changes something
//! needs an `Idempotency-Key` (a retry with the same key and body gets the
//! first answer again; the same key with another body is refused) and, when
//! authenticated by a session cookie, the session's CSRF value in
//! `X-CSRF-Token`. Another account's requests and links are "not found".

use std::sync::Arc;

use assent_core::rights::model::{
    ErrorCode, ExportOrder, GrantSpecialConsent, LiftRestriction, ManualRequest, Problem,
    RequestList, BASE_PATH,
};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::export::token_key;
use super::idempotency::{self, Replay};
use super::service::{problem, Rights};
use super::site::{Caller, Credential};
use crate::vals;

/// The HTTP answer of a refusal.
impl IntoResponse for Wrapped {
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

/// A [`Problem`] as a response.
pub struct Wrapped(pub Problem);

impl From<Problem> for Wrapped {
    fn from(p: Problem) -> Wrapped {
        Wrapped(p)
    }
}

fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The rights routes, to nest into a site's router (paths start with
/// [`BASE_PATH`]).
pub fn router(rights: Arc<Rights>) -> Router {
    Router::new()
        .route(&format!("{BASE_PATH}/account"), get(account))
        .route(&format!("{BASE_PATH}/notice"), get(notice))
        .route(
            &format!("{BASE_PATH}/requests"),
            get(list).post(manual_request),
        )
        .route(&format!("{BASE_PATH}/requests/{{id}}"), get(one))
        .route(&format!("{BASE_PATH}/exports"), post(order_export))
        .route(
            &format!("{BASE_PATH}/exports/{{id}}"),
            delete(revoke_export),
        )
        .route(
            &format!("{BASE_PATH}/downloads/{{token}}"),
            get(download).head(download),
        )
        .route(
            &format!("{BASE_PATH}/restriction"),
            post(restrict).delete(lift),
        )
        .route(
            &format!("{BASE_PATH}/restriction/lift-warnings"),
            post(lift_warning),
        )
        .route(&format!("{BASE_PATH}/erasure"), post(schedule_erasure))
        .route(
            &format!("{BASE_PATH}/erasure/{{id}}"),
            delete(cancel_erasure),
        )
        .route(
            &format!("{BASE_PATH}/special-consents/{{purpose}}"),
            post(grant_special).delete(withdraw_special),
        )
        .route("/dev/clock", post(advance_clock))
        .with_state(rights)
}

/// `?lang=`.
#[derive(Deserialize)]
struct Lang {
    lang: Option<String>,
}

fn language(rights: &Rights, query: &Lang, headers: &HeaderMap) -> String {
    let asked = query.lang.clone().or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split([',', ';', '-']).next())
            .map(|v| v.trim().to_ascii_lowercase())
    });
    match asked {
        Some(lang) if rights.policy.languages.contains(&lang) => lang,
        _ => rights
            .policy
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into()),
    }
}

async fn caller(rights: &Rights, headers: &HeaderMap) -> Result<Caller, Wrapped> {
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

fn ok(status: StatusCode, value: impl serde::Serialize) -> Response {
    let mut response = (status, Json(value)).into_response();
    no_store(&mut response);
    response
}

async fn account(
    State(rights): State<Arc<Rights>>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> Result<Response, Wrapped> {
    let caller = caller(&rights, &headers).await?;
    let lang = language(&rights, &lang, &headers);
    Ok(ok(
        StatusCode::OK,
        rights.account(&caller.account, &lang).await?,
    ))
}

async fn notice(
    State(rights): State<Arc<Rights>>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> Result<Response, Wrapped> {
    let caller = caller(&rights, &headers).await?;
    rights.check_exists(&caller.account).await?;
    let lang = language(&rights, &lang, &headers);
    let counts = rights
        .site
        .counts(&caller.account)
        .await
        .map_err(Problem::from)?;
    Ok(ok(
        StatusCode::OK,
        super::notice::held(&rights, &lang, &counts),
    ))
}

async fn list(State(rights): State<Arc<Rights>>, headers: HeaderMap) -> Result<Response, Wrapped> {
    let caller = caller(&rights, &headers).await?;
    rights.check_exists(&caller.account).await?;
    let requests = super::requests::list(&rights.db, &caller.account)
        .await
        .map_err(Problem::from)?;
    Ok(ok(StatusCode::OK, RequestList { requests }))
}

async fn one(
    State(rights): State<Arc<Rights>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Wrapped> {
    let caller = caller(&rights, &headers).await?;
    Ok(ok(StatusCode::OK, rights.own(&caller.account, &id).await?))
}

/// Runs a call that changes something: authentication, CSRF, the
/// idempotency key, then `change` with the account and the body.
async fn change<F, Fut>(
    rights: Arc<Rights>,
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Bytes,
    change: F,
) -> Result<Response, Wrapped>
where
    F: FnOnce(Arc<Rights>, String, Bytes) -> Fut,
    Fut: std::future::Future<Output = Result<(StatusCode, Value), Problem>>,
{
    let caller = caller(&rights, &headers).await?;
    if caller.credential == (Credential::Cookie { csrf_ok: false }) {
        return Err(problem(
            ErrorCode::CsrfFailed,
            "a call authenticated by the session cookie needs the session's CSRF value in X-CSRF-Token",
        )
        .into());
    }
    let key = idempotency::key(&headers)?;
    let fingerprint = idempotency::fingerprint(&method, &path, &body);
    match idempotency::begin(
        &rights.db,
        &caller.account,
        &key,
        &fingerprint,
        rights.clock.now(),
    )
    .await?
    {
        Replay::Fresh => {}
        Replay::Answer(status, body) => {
            let mut response = ok(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body);
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(response);
        }
    }
    let result = change(Arc::clone(&rights), caller.account.clone(), body).await;
    let (status, value) = match result {
        Ok(answer) => answer,
        Err(refused) => {
            let status = refused.error.http_status();
            let value = serde_json::to_value(&refused).unwrap_or_default();
            // Refusals caused by the state are answered again on a retry;
            // failures of storage are not kept, so a retry runs again.
            if refused.error == ErrorCode::Unavailable {
                idempotency::forget(&rights.db, &caller.account, &key).await;
            } else {
                idempotency::finish(&rights.db, &caller.account, &key, status, &value).await?;
            }
            return Err(Wrapped(refused));
        }
    };
    idempotency::finish(&rights.db, &caller.account, &key, status.as_u16(), &value).await?;
    Ok(ok(status, value))
}

fn parse<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, Problem> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse_required(body)
}

fn parse_required<T: DeserializeOwned>(body: &Bytes) -> Result<T, Problem> {
    serde_json::from_slice(body).map_err(|e| {
        problem(
            ErrorCode::Malformed,
            format!("the body is not valid here: {e}"),
        )
    })
}

fn json_of(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

async fn order_export(
    State(rights): State<Arc<Rights>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/exports");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, body| async move {
            let order: ExportOrder = parse(&body)?;
            let request = rights.order_export(&account, order.kind).await?;
            Ok((StatusCode::ACCEPTED, json_of(request)))
        },
    )
    .await
}

async fn revoke_export(
    State(rights): State<Arc<Rights>>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/exports/{id}");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, _| async move {
            Ok((
                StatusCode::OK,
                json_of(rights.revoke_export(&account, &id).await?),
            ))
        },
    )
    .await
}

async fn manual_request(
    State(rights): State<Arc<Rights>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/requests");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, body| async move {
            let asked: ManualRequest = parse_required(&body)?;
            let request = rights.manual(&account, asked.kind, &asked.details).await?;
            Ok((StatusCode::CREATED, json_of(request)))
        },
    )
    .await
}

async fn restrict(
    State(rights): State<Arc<Rights>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/restriction");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, _| async move {
            Ok((StatusCode::OK, json_of(rights.restrict(&account).await?)))
        },
    )
    .await
}

async fn lift_warning(
    State(rights): State<Arc<Rights>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/restriction/lift-warnings");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, _| async move {
            Ok((
                StatusCode::CREATED,
                json_of(rights.lift_warning(&account).await?),
            ))
        },
    )
    .await
}

async fn lift(
    State(rights): State<Arc<Rights>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/restriction");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, body| async move {
            let lift: LiftRestriction = parse_required(&body)?;
            Ok((
                StatusCode::OK,
                json_of(rights.lift(&account, &lift.warning_id).await?),
            ))
        },
    )
    .await
}

async fn schedule_erasure(
    State(rights): State<Arc<Rights>>,
    Query(lang): Query<Lang>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/erasure");
    let lang = language(&rights, &lang, &headers);
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, _| async move {
            let request = rights.schedule_erasure(&account, &lang).await?;
            Ok((StatusCode::ACCEPTED, json_of(request)))
        },
    )
    .await
}

async fn cancel_erasure(
    State(rights): State<Arc<Rights>>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/erasure/{id}");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, _| async move {
            Ok((
                StatusCode::OK,
                json_of(rights.cancel_erasure(&account, &id).await?),
            ))
        },
    )
    .await
}

async fn grant_special(
    State(rights): State<Arc<Rights>>,
    Path(purpose): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/special-consents/{purpose}");
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, body| async move {
            let grant: GrantSpecialConsent = parse_required(&body)?;
            let consent = rights.grant_special(&account, &purpose, &grant).await?;
            Ok((StatusCode::CREATED, json_of(consent)))
        },
    )
    .await
}

async fn withdraw_special(
    State(rights): State<Arc<Rights>>,
    Path(purpose): Path<String>,
    Query(lang): Query<Lang>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Wrapped> {
    let path = format!("{BASE_PATH}/special-consents/{purpose}");
    let lang = language(&rights, &lang, &headers);
    change(
        rights,
        method,
        path,
        headers,
        body,
        |rights, account, _| async move {
            let consent = rights.withdraw_special(&account, &purpose, &lang).await?;
            Ok((StatusCode::OK, json_of(consent)))
        },
    )
    .await
}

/// `GET|HEAD /downloads/{token}`: the archive, with ranges. The link is a
/// capability (256 random bits, kept hashed) bound to its account: refused
/// to any other signed-in account, dead once revoked, expired or erased.
async fn download(
    State(rights): State<Arc<Rights>>,
    Path(token): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, Wrapped> {
    let not_found = || Wrapped(problem(ErrorCode::NotFound, "no such download"));
    let row = rights
        .db
        .one(
            "SELECT request, account, file, etag, expires, revoked FROM rights_downloads WHERE token = $1",
            vals![token_key(&token)],
        )
        .await
        .map_err(Problem::from)?
        .ok_or_else(not_found)?;
    let owner = row[1].string();
    if let Ok(Some(other)) = rights.site.authenticate(&headers).await {
        if other.account != owner {
            return Err(not_found());
        }
    }
    let now = rights.clock.now().0;
    let expired = row[4].int().unwrap_or(0).max(0) as u64 <= now;
    // An export that finished while its account was being erased: dead too.
    let erased = rights.check_exists(&owner).await.is_err();
    if row[5].int().is_some() || expired || erased {
        return Err(problem(
            ErrorCode::LinkGone,
            "this download link has expired or was revoked: request a new export",
        )
        .into());
    }
    let path = std::path::PathBuf::from(row[2].string());
    let name = format!("{}-data-export.zip", rights.policy.id);
    Ok(super::download::serve(&path, &name, &row[3].string(), &method, &headers).await)
}

/// `POST /dev/clock`: moves an adjustable clock forward (404 otherwise).
async fn advance_clock(
    State(rights): State<Arc<Rights>>,
    body: Bytes,
) -> Result<Response, Wrapped> {
    if !rights.clock.is_adjustable() {
        return Err(problem(ErrorCode::NotFound, "no such route").into());
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Advance {
        advance_ms: u64,
    }
    let advance: Advance = parse_required(&body)?;
    let now = rights
        .clock
        .advance(advance.advance_ms)
        .map_err(|e| problem(ErrorCode::Malformed, e))?;
    // What became due is carried out before the answer, so a test that
    // moves the clock sees the result at once (exports still run on their own).
    super::jobs::pass(&rights)
        .await
        .map_err(|e| problem(ErrorCode::Unavailable, e))?;
    Ok(ok(StatusCode::OK, json!({ "server_time": now })))
}
