//! The rights API's HTTP routes (`docs/rights-api.yaml`), under
//! `/rights/v1`. Every route but the download's goes through
//! [`super::guard`] first (who is calling; for changes, the CSRF value of a
//! cookie session and the `Idempotency-Key`), so a handler here only reads
//! its input, asks [`Rights`] and answers. Another account's requests and
//! links are "not found".

use std::sync::Arc;

use assent_core::rights::model::{
    ErrorCode, ExportOrder, GrantSpecialConsent, LiftRestriction, ManualRequest, Problem,
    RequestList, BASE_PATH,
};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Extension, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::export::token_key;
use super::guard::{answer, guard, Account, Refused};
use super::service::{problem, Rights};
use crate::vals;

/// What a handler answers: a JSON answer or a refusal.
type Answer = Result<Response, Refused>;

/// The rights routes, to merge into a site's router (paths start with
/// [`BASE_PATH`]).
pub fn router(rights: Arc<Rights>) -> Router {
    let at = |path: &str| format!("{BASE_PATH}{path}");
    let guarded = Router::new()
        .route(&at("/account"), get(account))
        .route(&at("/notice"), get(notice))
        .route(&at("/requests"), get(list).post(manual_request))
        .route(&at("/requests/{id}"), get(one))
        .route(&at("/exports"), post(order_export))
        .route(&at("/exports/{id}"), delete(revoke_export))
        .route(&at("/restriction"), post(restrict).delete(lift))
        .route(&at("/restriction/lift-warnings"), post(lift_warning))
        .route(&at("/erasure"), post(schedule_erasure))
        .route(&at("/erasure/{id}"), delete(cancel_erasure))
        .route(
            &at("/special-consents/{purpose}"),
            post(grant_special).delete(withdraw_special),
        )
        .route_layer(middleware::from_fn_with_state(Arc::clone(&rights), guard));
    Router::new()
        .merge(guarded)
        .route(&at("/downloads/{token}"), get(download).head(download))
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

/// The body as `T`; an empty body is `T::default()`.
fn parse<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, Problem> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse_required(body)
}

/// The body as `T`.
fn parse_required<T: DeserializeOwned>(body: &Bytes) -> Result<T, Problem> {
    serde_json::from_slice(body).map_err(|e| {
        problem(
            ErrorCode::Malformed,
            format!("the body is not valid here: {e}"),
        )
    })
}

async fn account(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> Answer {
    let lang = language(&rights, &lang, &headers);
    Ok(answer(
        StatusCode::OK,
        rights.account(&account, &lang).await?,
    ))
}

async fn notice(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> Answer {
    rights.check_exists(&account).await?;
    let lang = language(&rights, &lang, &headers);
    let counts = rights.site.counts(&account).await.map_err(Problem::from)?;
    let held = super::notice::held(&rights, &lang, &counts);
    Ok(answer(StatusCode::OK, held))
}

async fn list(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
) -> Answer {
    rights.check_exists(&account).await?;
    let requests = super::requests::list(&rights.db, &account)
        .await
        .map_err(Problem::from)?;
    Ok(answer(StatusCode::OK, RequestList { requests }))
}

async fn one(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Path(id): Path<String>,
) -> Answer {
    Ok(answer(StatusCode::OK, rights.own(&account, &id).await?))
}

async fn manual_request(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    body: Bytes,
) -> Answer {
    let asked: ManualRequest = parse_required(&body)?;
    let request = rights.manual(&account, asked.kind, &asked.details).await?;
    Ok(answer(StatusCode::CREATED, request))
}

async fn order_export(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    body: Bytes,
) -> Answer {
    let order: ExportOrder = parse(&body)?;
    let request = rights.order_export(&account, order.kind).await?;
    Ok(answer(StatusCode::ACCEPTED, request))
}

async fn revoke_export(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Path(id): Path<String>,
) -> Answer {
    Ok(answer(
        StatusCode::OK,
        rights.revoke_export(&account, &id).await?,
    ))
}

async fn restrict(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
) -> Answer {
    Ok(answer(StatusCode::OK, rights.restrict(&account).await?))
}

async fn lift_warning(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
) -> Answer {
    Ok(answer(
        StatusCode::CREATED,
        rights.lift_warning(&account).await?,
    ))
}

async fn lift(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    body: Bytes,
) -> Answer {
    let lift: LiftRestriction = parse_required(&body)?;
    Ok(answer(
        StatusCode::OK,
        rights.lift(&account, &lift.warning_id).await?,
    ))
}

async fn schedule_erasure(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> Answer {
    let lang = language(&rights, &lang, &headers);
    let request = rights.schedule_erasure(&account, &lang).await?;
    Ok(answer(StatusCode::ACCEPTED, request))
}

async fn cancel_erasure(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Path(id): Path<String>,
) -> Answer {
    Ok(answer(
        StatusCode::OK,
        rights.cancel_erasure(&account, &id).await?,
    ))
}

async fn grant_special(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Path(purpose): Path<String>,
    body: Bytes,
) -> Answer {
    let grant: GrantSpecialConsent = parse_required(&body)?;
    let consent = rights.grant_special(&account, &purpose, &grant).await?;
    Ok(answer(StatusCode::CREATED, consent))
}

async fn withdraw_special(
    State(rights): State<Arc<Rights>>,
    Extension(Account(account)): Extension<Account>,
    Path(purpose): Path<String>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> Answer {
    let lang = language(&rights, &lang, &headers);
    let consent = rights.withdraw_special(&account, &purpose, &lang).await?;
    Ok(answer(StatusCode::OK, consent))
}

/// `GET|HEAD /downloads/{token}`: the archive, with ranges. The link is a
/// capability (256 random bits, kept hashed) bound to its account: refused
/// to any other signed-in account, dead once revoked, expired or erased.
async fn download(
    State(rights): State<Arc<Rights>>,
    Path(token): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Answer {
    let not_found = || Refused(problem(ErrorCode::NotFound, "no such download"));
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
async fn advance_clock(State(rights): State<Arc<Rights>>, body: Bytes) -> Answer {
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
    Ok(answer(StatusCode::OK, json!({ "server_time": now })))
}
