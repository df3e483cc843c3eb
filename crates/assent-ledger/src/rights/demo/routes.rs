//! The reference app's own routes (`/app/v1`): signing in as the demo
//! account, listing files, generating an image (a write, refused in
//! read-only mode) and synthesising speech with the cloned voice (refused
//! without the explicit voice-cloning consent, GDPR Art 9(2)(a)).

use std::sync::Arc;

use assent_core::rights::model::{ErrorCode, Problem};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use super::seed::{self, DEMO_EMAIL};
use super::{token_hash, Demo, SESSION_COOKIE};
use crate::rights::guard::Refused;
use crate::rights::service::{problem, Rights};
use crate::rights::site::{Caller, Credential, Site};
use crate::vals;

/// How long a session lasts.
const SESSION_MS: u64 = 30 * 86_400_000;

/// What the app's routes share.
#[derive(Clone)]
pub struct App {
    /// The app's backend.
    pub demo: Arc<Demo>,
    /// The rights API (read-only mode, consents).
    pub rights: Arc<Rights>,
}

/// The app's routes.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/app/v1/accounts", post(sign_up))
        .route("/app/v1/session", post(sign_in).delete(sign_out))
        .route("/app/v1/files", get(files))
        .route("/app/v1/images", post(generate_image))
        .route("/app/v1/videos", post(generate_video))
        .route("/app/v1/voice/synthesize", post(synthesize))
        .with_state(app)
}

fn random_token() -> Result<String, Problem> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|_| problem(ErrorCode::Unavailable, "no randomness available"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignUp {
    email: String,
    first_name: String,
    last_name: String,
}

/// `POST /app/v1/accounts`: a new account, with a generated image, signed in.
async fn sign_up(State(app): State<App>, body: Bytes) -> Result<Response, Refused> {
    let asked: SignUp = serde_json::from_slice(&body).map_err(|e| {
        problem(
            ErrorCode::Malformed,
            format!("expected email, first_name and last_name: {e}"),
        )
    })?;
    if !asked.email.contains('@') || asked.email.len() > 254 {
        return Err(problem(ErrorCode::Malformed, "email: an e-mail address").into());
    }
    let account = format!("acct-{}", uuid::Uuid::new_v4());
    let now = app.rights.clock.now().0;
    let inserted = app
        .demo
        .db
        .execute(
            "INSERT INTO app_accounts (id, email, first_name, last_name, created)
             SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM app_accounts WHERE email = $2)",
            vals![&account, &asked.email, &asked.first_name, &asked.last_name, now],
        )
        .await
        .map_err(Problem::from)?;
    if inserted == 0 {
        return Err(problem(ErrorCode::Conflict, "an account with this e-mail exists").into());
    }
    seed::add_file(
        &app.demo,
        &account,
        seed::NewFile::image(now, "a first image"),
    )
    .await
    .map_err(Problem::from)?;
    session(&app, &account).await
}

/// `POST /app/v1/session`: signs in by e-mail. The reference app has no
/// passwords: it stands for a site's own sign-in, which the rights API only
/// sees through `Site::authenticate`.
async fn sign_in(State(app): State<App>, body: Bytes) -> Result<Response, Refused> {
    let asked: SignIn = serde_json::from_slice(&body)
        .map_err(|e| problem(ErrorCode::Malformed, format!("expected an email: {e}")))?;
    let row = app
        .demo
        .db
        .one(
            "SELECT id FROM app_accounts WHERE email = $1",
            vals![&asked.email],
        )
        .await
        .map_err(Problem::from)?;
    let Some(row) = row else {
        return Err(problem(
            ErrorCode::Unauthenticated,
            format!("no account with this e-mail (the demo account is {DEMO_EMAIL})"),
        )
        .into());
    };
    session(&app, &row[0].string()).await
}

/// A new session for `account`: its cookies, and its token and CSRF value.
async fn session(app: &App, account: &str) -> Result<Response, Refused> {
    app.rights.check_exists(account).await?;
    let token = random_token()?;
    let csrf = random_token()?;
    let now = app.rights.clock.now().0;
    app.demo
        .db
        .execute(
            "INSERT INTO app_sessions (token, account, csrf, created, expires) VALUES ($1, $2, $3, $4, $5)",
            vals![token_hash(&token), account, &csrf, now, now + SESSION_MS],
        )
        .await
        .map_err(Problem::from)?;
    let mut response = (
        StatusCode::CREATED,
        Json(json!({ "account": account, "csrf": csrf, "token": token })),
    )
        .into_response();
    let headers = response.headers_mut();
    for cookie in [
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"),
        format!("p2c_csrf={csrf}; Path=/; SameSite=Lax"),
    ] {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

async fn signed_in(app: &App, headers: &HeaderMap) -> Result<Caller, Refused> {
    match app.demo.authenticate(headers).await {
        Ok(Some(caller)) => Ok(caller),
        Ok(None) => Err(problem(ErrorCode::Unauthenticated, "sign in first").into()),
        Err(e) => Err(Problem::from(e).into()),
    }
}

/// A write: signed in, with the CSRF value for cookies, and not restricted.
async fn writer(app: &App, headers: &HeaderMap) -> Result<Caller, Refused> {
    let caller = signed_in(app, headers).await?;
    if caller.credential == (Credential::Cookie { csrf_ok: false }) {
        return Err(problem(ErrorCode::CsrfFailed, "X-CSRF-Token is missing or wrong").into());
    }
    app.rights.check_writable(&caller.account).await?;
    Ok(caller)
}

/// `DELETE /app/v1/session`.
async fn sign_out(State(app): State<App>, headers: HeaderMap) -> Result<Response, Refused> {
    let caller = signed_in(&app, &headers).await?;
    app.demo
        .db
        .execute(
            "DELETE FROM app_sessions WHERE account = $1",
            vals![&caller.account],
        )
        .await
        .map_err(Problem::from)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /app/v1/files`.
async fn files(State(app): State<App>, headers: HeaderMap) -> Result<Response, Refused> {
    let caller = signed_in(&app, &headers).await?;
    app.rights.check_exists(&caller.account).await?;
    let files = app
        .demo
        .files(&caller.account)
        .await
        .map_err(Problem::from)?;
    let list: Vec<_> = files
        .iter()
        .map(|f| json!({ "name": f.name, "category": f.category, "media_type": f.media_type, "size": f.size }))
        .collect();
    Ok(Json(json!({ "files": list })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    prompt: String,
}

/// `POST /app/v1/images`: "generates" an image from a prompt (a write).
async fn generate_image(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refused> {
    let caller = writer(&app, &headers).await?;
    let asked: Generate = serde_json::from_slice(&body).map_err(|e| {
        problem(
            ErrorCode::Malformed,
            format!("expected {{\"prompt\": …}}: {e}"),
        )
    })?;
    let now = app.rights.clock.now().0;
    let name = seed::add_file(
        &app.demo,
        &caller.account,
        seed::NewFile::image(now, &asked.prompt),
    )
    .await
    .map_err(Problem::from)?;
    Ok((StatusCode::CREATED, Json(json!({ "name": name }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateVideo {
    prompt: String,
    /// Frames of 640×360 (at most [`MAX_FRAMES`]: about 415 MB).
    frames: u32,
}

/// The longest clip `POST /app/v1/videos` makes.
const MAX_FRAMES: u32 = 600;

/// `POST /app/v1/videos`: "generates" an uncompressed video clip (a write;
/// the bench fills an account with these).
async fn generate_video(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refused> {
    let caller = writer(&app, &headers).await?;
    let asked: GenerateVideo = serde_json::from_slice(&body).map_err(|e| {
        problem(
            ErrorCode::Malformed,
            format!("expected prompt and frames: {e}"),
        )
    })?;
    if asked.frames == 0 || asked.frames > MAX_FRAMES {
        return Err(problem(ErrorCode::Malformed, format!("frames: 1 to {MAX_FRAMES}")).into());
    }
    let now = app.rights.clock.now().0;
    let file = seed::NewFile::video(now, &asked.prompt, asked.frames).sized(640, 360);
    let name = seed::add_file(&app.demo, &caller.account, file)
        .await
        .map_err(Problem::from)?;
    Ok((StatusCode::CREATED, Json(json!({ "name": name }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Synthesize {
    text: String,
}

/// `POST /app/v1/voice/synthesize`: speech in the cloned voice (WAV), only
/// while the explicit consent holds.
async fn synthesize(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refused> {
    let caller = writer(&app, &headers).await?;
    let asked: Synthesize = serde_json::from_slice(&body).map_err(|e| {
        problem(
            ErrorCode::Malformed,
            format!("expected {{\"text\": …}}: {e}"),
        )
    })?;
    if !app
        .demo
        .voice_enabled(&caller.account)
        .await
        .map_err(Problem::from)?
    {
        return Err(problem(
            ErrorCode::ConsentRequired,
            "voice cloning needs your explicit consent (Settings > GDPR & my data)",
        )
        .into());
    }
    let millis = (asked.text.chars().count() as u32).clamp(1, 200) * 60;
    let wav = crate::rights::media::wav(millis, asked.text.len() as u64);
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static("audio/wav"))],
        wav,
    )
        .into_response())
}
