//! The demo account: a person with generated images and videos, a voice
//! sample and the voice model built from it (given with the explicit
//! consent, signed like any other), invoices, credits and connection logs,
//! created on the first start with `--demo`.

use std::io::Write;
use std::path::PathBuf;

use assent_core::rights::erasure;
use assent_core::rights::model::GrantSpecialConsent;

use super::Demo;
use crate::rights::media;
use crate::rights::service::Rights;
use crate::rights::site::SiteError;
use crate::vals;

/// The demo account's id.
pub const DEMO_ACCOUNT: &str = "acct-demo";
/// The demo account's e-mail, which signs in.
pub const DEMO_EMAIL: &str = "demo@pix2clip.example";

const DAY_MS: u64 = 86_400_000;

/// A file to add to an account.
pub struct NewFile {
    category: &'static str,
    kind: &'static str,
    name: String,
    media_type: &'static str,
    bytes: Content,
    created: u64,
    prompt: Option<String>,
}

enum Content {
    Bytes(Vec<u8>),
    Video {
        width: u32,
        height: u32,
        frames: u32,
    },
}

impl NewFile {
    /// A generated image for `prompt`, created at `now`.
    pub fn image(now: u64, prompt: &str) -> NewFile {
        NewFile {
            category: "content",
            kind: "image",
            name: format!("images/{now}.png"),
            media_type: "image/png",
            bytes: Content::Bytes(media::png(320, 200, now ^ prompt.len() as u64)),
            created: now,
            prompt: Some(prompt.to_owned()),
        }
    }

    /// A generated video clip of `frames` frames.
    pub fn video(now: u64, prompt: &str, frames: u32) -> NewFile {
        NewFile {
            category: "content",
            kind: "video",
            name: format!("videos/{now}.avi"),
            media_type: "video/x-msvideo",
            bytes: Content::Video {
                width: 160,
                height: 120,
                frames,
            },
            created: now,
            prompt: Some(prompt.to_owned()),
        }
    }

    /// The same video at `width`×`height`.
    pub fn sized(mut self, width: u32, height: u32) -> NewFile {
        if let Content::Video { frames, .. } = self.bytes {
            self.bytes = Content::Video {
                width,
                height,
                frames,
            };
        }
        self
    }
}

fn fail(e: impl std::fmt::Display) -> SiteError {
    SiteError(e.to_string())
}

/// Writes a file under the app's files directory and lists it; its name.
pub async fn add_file(demo: &Demo, account: &str, file: NewFile) -> Result<String, SiteError> {
    let id = uuid::Uuid::new_v4().to_string();
    let dir = demo.files.join(account);
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let extension = file.name.rsplit('.').next().unwrap_or("bin");
    let path: PathBuf = dir.join(format!("{id}.{extension}"));
    // Two files made in the same millisecond still get names of their own
    // (the export refuses duplicate names).
    let name = match file.name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{}.{extension}", &id[..8]),
        None => format!("{}-{}", file.name, &id[..8]),
    };
    let size = match file.bytes {
        Content::Bytes(bytes) => {
            std::fs::write(&path, &bytes).map_err(fail)?;
            bytes.len() as u64
        }
        Content::Video {
            width,
            height,
            frames,
        } => {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(fail)?);
            let size = media::write_avi(&mut out, width, height, frames, 12, file.created)
                .map_err(fail)?;
            out.flush().map_err(fail)?;
            size
        }
    };
    demo.db
        .execute(
            "INSERT INTO app_files (id, account, category, kind, name, media_type, size, path, created, prompt)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            vals![
                &id,
                account,
                file.category,
                file.kind,
                &name,
                file.media_type,
                size,
                path.to_string_lossy().into_owned(),
                file.created,
                file.prompt
            ],
        )
        .await
        .map_err(fail)?;
    Ok(name)
}

/// Creates the demo account if it does not exist (and was not erased);
/// whether it created it.
pub async fn seed(demo: &Demo, rights: &Rights) -> Result<bool, SiteError> {
    let exists = demo
        .db
        .one(
            "SELECT id FROM app_accounts WHERE id = $1",
            vals![DEMO_ACCOUNT],
        )
        .await
        .map_err(fail)?
        .is_some();
    if exists || rights.check_exists(DEMO_ACCOUNT).await.is_err() {
        return Ok(false);
    }
    let now = rights.clock.now().0;
    let account = DEMO_ACCOUNT;
    let mut statements = vec![(
        "INSERT INTO app_accounts (id, email, first_name, last_name, created) VALUES ($1, $2, $3, $4, $5)",
        vals![account, DEMO_EMAIL, "Camille", "Martin", now - 200 * DAY_MS],
    )];
    for (i, amount) in [990i64, 1990, 4990].into_iter().enumerate() {
        let issued = now - (150 - 40 * i as u64) * DAY_MS;
        statements.push((
            "INSERT INTO app_invoices (id, account, number, amount_cents, issued, billing_address, card_last4)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vals![
                uuid::Uuid::new_v4().to_string(),
                account,
                format!("P2C-2026-{:05}", 120 + i),
                amount,
                issued,
                "12 rue des Lilas, 69003 Lyon, France",
                "4242"
            ],
        ));
    }
    for i in 0..12u64 {
        statements.push((
            "INSERT INTO app_credits (id, account, time, delta, what) VALUES ($1, $2, $3, $4, $5)",
            vals![
                uuid::Uuid::new_v4().to_string(),
                account,
                now - (120 - i * 9) * DAY_MS,
                if i % 4 == 0 { 100i64 } else { -5 },
                if i % 4 == 0 {
                    "credit pack"
                } else {
                    "generation"
                }
            ],
        ));
    }
    for i in 0..6u64 {
        statements.push((
            "INSERT INTO app_connections (id, account, time, ip, user_agent) VALUES ($1, $2, $3, $4, $5)",
            vals![
                uuid::Uuid::new_v4().to_string(),
                account,
                now - (60 - i * 10) * DAY_MS,
                format!("203.0.113.{}", 10 + i),
                "Mozilla/5.0 (X11; Linux x86_64) Chromium/156"
            ],
        ));
    }
    demo.db.atomically(statements).await.map_err(fail)?;
    let prompts = [
        "a lighthouse at dusk",
        "a fox in the snow",
        "neon city in the rain",
        "a bowl of ramen, studio light",
    ];
    for (i, prompt) in prompts.iter().enumerate() {
        add_file(
            demo,
            account,
            NewFile::image(now - (40 - i as u64) * DAY_MS, prompt),
        )
        .await?;
    }
    for (i, prompt) in ["waves on a beach", "a paper plane"].iter().enumerate() {
        add_file(
            demo,
            account,
            NewFile::video(now - (20 - i as u64) * DAY_MS, prompt, 24),
        )
        .await?;
    }
    grant_voice(demo, rights, now).await?;
    Ok(true)
}

/// The demo's voice: consent given to the policy's statement, then the
/// sample and the model built from it.
async fn grant_voice(demo: &Demo, rights: &Rights, now: u64) -> Result<(), SiteError> {
    let Some(special) = erasure::special(&rights.policy, "voice-cloning") else {
        return Ok(());
    };
    let Some((language, statement)) = erasure::statement(&rights.policy, special, "en") else {
        return Ok(());
    };
    let grant = GrantSpecialConsent {
        language: language.to_owned(),
        statement: statement.to_owned(),
        affirmed: true,
    };
    rights
        .grant_special(DEMO_ACCOUNT, "voice-cloning", &grant)
        .await
        .map_err(|p| SiteError(p.message))?;
    for (kind, name, media_type, bytes) in [
        (
            "voice-sample",
            "voice/sample.wav",
            "audio/wav",
            media::wav(6000, 7),
        ),
        (
            "voice-model",
            "voice/model.bin",
            "application/octet-stream",
            media::wav(500, 11),
        ),
    ] {
        add_file(
            demo,
            DEMO_ACCOUNT,
            NewFile {
                category: "voice",
                kind,
                name: name.to_owned(),
                media_type,
                bytes: Content::Bytes(bytes),
                created: now - DAY_MS,
                prompt: None,
            },
        )
        .await?;
    }
    Ok(())
}
