//! The rights themselves, independent of HTTP: what each call changes, in
//! which order, with which deadline. Routes ([`super::routes`]) authenticate
//! and translate; the scheduler ([`super::jobs`]) carries out what is due.

use std::path::PathBuf;
use std::sync::Arc;

use assent_core::policy::model::Policy;
use assent_core::rights::deadline::Deadlines;
use assent_core::rights::erasure;
use assent_core::rights::model::{
    Account, AccountState, ErrorCode, LiftWarning, Problem, Reason, Request, RequestType,
    SpecialConsent, Status,
};
use assent_core::rights::time::Timestamp;

use super::clock::Clock;
use super::consent::{self, ConsentEvent};
use super::db::{Db, DbError};
use super::requests;
use super::site::{Site, SiteError};
use crate::receipt::LedgerKey;
use crate::vals;

/// How long a download link works (GitHub's export links: 7 days).
pub const LINK_DAYS: u64 = 7;
/// How long a lift warning can be quoted.
pub const WARNING_MS: u64 = 15 * 60 * 1000;
const DAY_MS: u64 = 86_400_000;

/// A refusal: the contract's error code and a message for people.
pub fn problem(error: ErrorCode, message: impl Into<String>) -> Problem {
    Problem {
        error,
        message: message.into(),
    }
}

impl From<DbError> for Problem {
    fn from(e: DbError) -> Problem {
        tracing::error!(error = %e, "rights storage failed");
        problem(ErrorCode::Unavailable, "storage is unavailable; retry")
    }
}

impl From<SiteError> for Problem {
    fn from(e: SiteError) -> Problem {
        tracing::error!(error = %e, "the site's backend failed");
        problem(ErrorCode::Unavailable, "the site's backend failed; retry")
    }
}

/// What the rights routes and the scheduler share.
pub struct Rights {
    /// The database (the ledger's).
    pub db: Db,
    /// The site's backend.
    pub site: Arc<dyn Site>,
    /// The server's clock.
    pub clock: Arc<Clock>,
    /// The policy whose rights are served.
    pub policy: Policy,
    /// The policy's content hash.
    pub policy_hash: String,
    /// Deadlines in the controller's time zone.
    pub deadlines: Deadlines,
    /// The ledger's key, which signs special-category consents.
    pub key: Arc<LedgerKey>,
    /// Where export archives are written.
    pub exports: PathBuf,
    /// `db` holds the consent ledger's `records` too ([`super::start::Setup::ledger_records`]).
    pub ledger_records: bool,
    /// Wakes the scheduler when something became due now.
    pub wake: tokio::sync::Notify,
    /// Held for each scheduler pass of this server, so passes never overlap:
    /// the adjustable clock's pass (`POST /dev/clock`) waits for one the
    /// clock's move started, instead of skipping what that one has claimed
    /// and answering before it is done.
    pub passes: tokio::sync::Mutex<()>,
}

impl Rights {
    /// A new request of `account` received now, with its Art 12(3) date.
    pub fn new_request(&self, kind: RequestType, status: Status) -> Request {
        let now = self.clock.now();
        Request::new(
            uuid::Uuid::new_v4().to_string(),
            kind,
            status,
            now,
            self.deadlines.answer_by(now, false),
        )
    }

    /// Refuses an erased account (its id is known, its data is gone).
    pub async fn check_exists(&self, account: &str) -> Result<(), Problem> {
        let row = self
            .db
            .one(
                "SELECT erased FROM rights_accounts WHERE account = $1",
                vals![account],
            )
            .await?;
        if row.is_some_and(|r| r[0].int().is_some()) {
            return Err(problem(
                ErrorCode::AccountErased,
                "this account has been erased",
            ));
        }
        Ok(())
    }

    /// Refuses a change while the account is in read-only mode (GDPR Art 18),
    /// and any call of an erased account: the reference app's write routes
    /// call it, and a site's own routes can.
    pub async fn check_writable(&self, account: &str) -> Result<(), Problem> {
        let row = self
            .db
            .one(
                "SELECT restricted, erased FROM rights_accounts WHERE account = $1",
                vals![account],
            )
            .await?;
        match row {
            Some(r) if r[1].int().is_some() => Err(problem(
                ErrorCode::AccountErased,
                "this account has been erased",
            )),
            Some(r) if r[0].int().is_some() => Err(problem(
                ErrorCode::AccountRestricted,
                "the account is in read-only mode (processing restricted, GDPR Art. 18): lift the restriction to make changes",
            )),
            _ => Ok(()),
        }
    }

    /// The restriction in effect on `account` (its `restriction` request,
    /// not lifted), if any.
    async fn restriction_in_effect(&self, account: &str) -> Result<Option<Request>, Problem> {
        Ok(requests::find(
            &self.db,
            account,
            RequestType::Restriction,
            Status::Fulfilled,
        )
        .await?
        .into_iter()
        .find(|r| r.lifted_at.is_none()))
    }

    /// `GET /account`.
    pub async fn account(&self, account: &str, lang: &str) -> Result<Account, Problem> {
        self.check_exists(account).await?;
        let restriction = self.restriction_in_effect(account).await?;
        let erasure = requests::find(&self.db, account, RequestType::Erasure, Status::InProgress)
            .await?
            .into_iter()
            .next();
        let state = if restriction.is_some() {
            AccountState::Restricted
        } else if erasure.is_some() {
            AccountState::DeletionScheduled
        } else {
            AccountState::Active
        };
        let mut special_consents = Vec::new();
        for special in &self.policy.special {
            special_consents.push(self.special_consent(account, &special.id, lang).await?);
        }
        Ok(Account {
            account: account.to_owned(),
            state,
            server_time: self.clock.now(),
            restriction,
            erasure,
            special_consents,
        })
    }

    async fn special_consent(
        &self,
        account: &str,
        purpose: &str,
        lang: &str,
    ) -> Result<SpecialConsent, Problem> {
        let events = consent::events(&self.db, account, purpose).await?;
        let last_given = events.iter().rev().find(|e| e.given);
        let last_withdrawn = events.iter().rev().find(|e| !e.given);
        let given = events.last().is_some_and(|e| e.given);
        let special = erasure::special(&self.policy, purpose);
        let (statement_language, statement) = special
            .and_then(|s| erasure::statement(&self.policy, s, lang))
            .unwrap_or(("en", ""));
        let deletion = requests::find(
            &self.db,
            account,
            RequestType::SpecialCategoryConsent,
            Status::InProgress,
        )
        .await?
        .into_iter()
        .find(|r| r.purpose.as_deref() == Some(purpose));
        Ok(SpecialConsent {
            purpose: purpose.to_owned(),
            given,
            given_at: last_given.map(|e| e.time),
            withdrawn_at: last_withdrawn.map(|e| e.time),
            language: last_given.map(|e| e.language.clone()),
            statement: statement.to_owned(),
            statement_language: statement_language.to_owned(),
            deletion,
        })
    }

    /// `POST /exports`: an export job, written by the scheduler at once.
    pub async fn order_export(
        &self,
        account: &str,
        kind: Option<RequestType>,
    ) -> Result<Request, Problem> {
        let kind = kind.unwrap_or(RequestType::Access);
        if !matches!(kind, RequestType::Access | RequestType::Portability) {
            return Err(problem(
                ErrorCode::Malformed,
                "an export is of type access or portability",
            ));
        }
        self.check_exists(account).await?;
        let request = self.new_request(kind, Status::Open);
        self.db
            .atomically(vec![requests::insert(
                account,
                &request,
                Some(request.received_at),
            )])
            .await?;
        self.wake.notify_one();
        Ok(request)
    }

    /// `DELETE /exports/{id}`: stops a job or revokes a link early.
    pub async fn revoke_export(&self, account: &str, id: &str) -> Result<Request, Problem> {
        let mut request = self.own(account, id).await?;
        if !matches!(request.kind, RequestType::Access | RequestType::Portability) {
            return Err(problem(ErrorCode::NotFound, "no such export"));
        }
        let from = request.status;
        if from.is_final() && from != Status::Fulfilled {
            return Ok(request);
        }
        request.status = Status::Revoked;
        request.closed_at = Some(self.clock.now());
        request.results_url = None;
        let changed = self
            .db
            .atomically(vec![
                requests::update(&request, from, None),
                (
                    "UPDATE rights_downloads SET revoked = $2 WHERE request = $1",
                    vals![id, request.closed_at.map(|t| t.0)],
                ),
            ])
            .await?;
        if changed[0] == 0 {
            // Its status moved meanwhile (the job finished): try again.
            return Box::pin(self.revoke_export(account, id)).await;
        }
        super::jobs::remove_archive(&self.exports, id);
        Ok(request)
    }

    /// A request of `account` (another account's is "not found").
    pub async fn own(&self, account: &str, id: &str) -> Result<Request, Problem> {
        self.check_exists(account).await?;
        requests::get(&self.db, account, id)
            .await?
            .ok_or_else(|| problem(ErrorCode::NotFound, "no such request"))
    }

    /// `POST /restriction`: read-only mode (GDPR Art 18(1)).
    pub async fn restrict(&self, account: &str) -> Result<Request, Problem> {
        self.check_exists(account).await?;
        let current = self.restriction_in_effect(account).await?;
        if let Some(current) = current {
            return Ok(current);
        }
        self.site.restrict(account, true).await?;
        let mut request = self.new_request(RequestType::Restriction, Status::Fulfilled);
        request.closed_at = Some(request.received_at);
        request.processing_details = Some(
            "The account is in read-only mode: its data is stored but not otherwise processed."
                .into(),
        );
        self.db
            .atomically(vec![
                requests::insert(account, &request, None),
                (
                    "INSERT INTO rights_accounts (account, restricted) VALUES ($1, $2)
                     ON CONFLICT (account) DO UPDATE SET restricted = $2",
                    vals![account, request.received_at.0],
                ),
            ])
            .await?;
        Ok(request)
    }

    /// `POST /restriction/lift-warnings`: what the person is told before
    /// processing resumes (GDPR Art 18(3)).
    pub async fn lift_warning(&self, account: &str) -> Result<LiftWarning, Problem> {
        self.check_exists(account).await?;
        let now = self.clock.now();
        let warning = LiftWarning {
            warning_id: uuid::Uuid::new_v4().to_string(),
            text: "When you lift the restriction, we resume processing your data for the purposes in our privacy notice, and your account can be changed again.".into(),
            issued_at: now,
            expires_at: Timestamp(now.0 + WARNING_MS),
        };
        self.db
            .execute(
                "INSERT INTO rights_warnings (id, account, issued, expires) VALUES ($1, $2, $3, $4)",
                vals![&warning.warning_id, account, now.0, warning.expires_at.0],
            )
            .await?;
        Ok(warning)
    }

    /// `DELETE /restriction`: lifts it, recording when the person was warned.
    pub async fn lift(&self, account: &str, warning_id: &str) -> Result<Request, Problem> {
        self.check_exists(account).await?;
        let now = self.clock.now();
        let warning = self
            .db
            .one(
                "SELECT issued, expires FROM rights_warnings WHERE id = $1 AND account = $2",
                vals![warning_id, account],
            )
            .await?
            .ok_or_else(|| {
                problem(
                    ErrorCode::Malformed,
                    "warning_id is not a warning issued to this account: show the warning first",
                )
            })?;
        let issued = warning[0].int().unwrap_or(0) as u64;
        if (warning[1].int().unwrap_or(0) as u64) < now.0 {
            return Err(problem(
                ErrorCode::Conflict,
                "the warning expired: show it again",
            ));
        }
        let Some(mut request) = self.restriction_in_effect(account).await? else {
            return Err(problem(
                ErrorCode::Conflict,
                "the account is not restricted",
            ));
        };
        request.warned_at = Some(Timestamp(issued));
        request.lifted_at = Some(now);
        self.db
            .atomically(vec![
                // `due` set: no longer the restriction in effect (the unique
                // index `rights_one_restriction`); the scheduler never reads
                // restrictions.
                (
                    "UPDATE rights_requests SET doc = $2, due = $3 WHERE id = $1",
                    vals![
                        &request.request_id,
                        serde_json::to_string(&request).unwrap_or_default(),
                        now.0
                    ],
                ),
                (
                    "UPDATE rights_accounts SET restricted = NULL WHERE account = $1",
                    vals![account],
                ),
                (
                    "DELETE FROM rights_warnings WHERE id = $1",
                    vals![warning_id],
                ),
            ])
            .await?;
        self.site.restrict(account, false).await?;
        Ok(request)
    }

    /// `POST /erasure`: the account is erased after the grace period, unless
    /// cancelled (GDPR Art 17; Pix2Clip's 30 days).
    pub async fn schedule_erasure(&self, account: &str, lang: &str) -> Result<Request, Problem> {
        self.check_exists(account).await?;
        if let Some(current) =
            requests::find(&self.db, account, RequestType::Erasure, Status::InProgress)
                .await?
                .into_iter()
                .next()
        {
            return Err(problem(
                ErrorCode::Conflict,
                format!(
                    "an erasure is already scheduled ({}) for {}",
                    current.request_id,
                    current.erasure_at.unwrap_or(current.received_at)
                ),
            ));
        }
        let mut request = self.new_request(RequestType::Erasure, Status::InProgress);
        let erasure_at = self.deadlines.grace_end(request.received_at);
        request.reason = Some(Reason::GracePeriod);
        request.erasure_at = Some(erasure_at);
        request.retained = erasure::retained(&self.policy, lang);
        request.processing_details = Some(format!(
            "The account will be erased at the end of the {}-day grace period; until then you can cancel from the same page.",
            assent_core::rights::deadline::GRACE_DAYS
        ));
        self.db
            .atomically(vec![requests::insert(account, &request, Some(erasure_at))])
            .await
            .map_err(|e| {
                if e.0.contains("UNIQUE") || e.0.contains("unique") {
                    problem(ErrorCode::Conflict, "an erasure is already scheduled")
                } else {
                    Problem::from(e)
                }
            })?;
        Ok(request)
    }

    /// `DELETE /erasure/{id}`: cancels a scheduled erasure.
    pub async fn cancel_erasure(&self, account: &str, id: &str) -> Result<Request, Problem> {
        let mut request = self.own(account, id).await?;
        if request.kind != RequestType::Erasure {
            return Err(problem(ErrorCode::NotFound, "no such erasure"));
        }
        if request.status != Status::InProgress {
            return Err(problem(
                ErrorCode::Conflict,
                format!("the erasure is {} already", request.status.as_str()),
            ));
        }
        request.status = Status::Revoked;
        request.reason = None;
        request.closed_at = Some(self.clock.now());
        request.processing_details = Some("Cancelled: the account will not be erased.".into());
        let changed = self
            .db
            .atomically(vec![requests::update(&request, Status::InProgress, None)])
            .await?;
        if changed[0] == 0 {
            return Err(problem(
                ErrorCode::Conflict,
                "the erasure is being carried out and can no longer be cancelled",
            ));
        }
        Ok(request)
    }

    /// `POST /requests`: a rectification or objection, answered by hand.
    pub async fn manual(
        &self,
        account: &str,
        kind: RequestType,
        details: &str,
    ) -> Result<Request, Problem> {
        if !matches!(kind, RequestType::Rectification | RequestType::Objection) {
            return Err(problem(
                ErrorCode::Malformed,
                "this route takes rectification and objection requests; the others have their own",
            ));
        }
        if details.trim().is_empty()
            || details.chars().count() > assent_core::rights::model::MAX_TEXT
        {
            return Err(problem(
                ErrorCode::Malformed,
                "details: 1 to 4000 characters",
            ));
        }
        self.check_exists(account).await?;
        let mut request = self.new_request(kind, Status::Open);
        request.processing_details = Some(details.trim().to_owned());
        self.db
            .atomically(vec![requests::insert(account, &request, None)])
            .await?;
        Ok(request)
    }

    /// `POST /special-consents/{purpose}`: explicit consent to the policy's
    /// statement, signed and kept as proof (GDPR Art 7(1), 9(2)(a)).
    pub async fn grant_special(
        &self,
        account: &str,
        purpose: &str,
        grant: &assent_core::rights::model::GrantSpecialConsent,
    ) -> Result<SpecialConsent, Problem> {
        self.check_writable(account).await?;
        let special = erasure::special(&self.policy, purpose)
            .ok_or_else(|| problem(ErrorCode::NotFound, "no such special processing"))?;
        if !grant.affirmed || !erasure::is_statement(special, &grant.language, &grant.statement) {
            return Err(problem(
                ErrorCode::StatementMismatch,
                "explicit consent is given by affirming the policy's statement, word for word, in its language",
            ));
        }
        let events = consent::events(&self.db, account, purpose).await?;
        if events.last().is_some_and(|e| e.given) {
            return Err(problem(ErrorCode::Conflict, "consent is already given"));
        }
        let now = self.clock.now();
        let event = ConsentEvent {
            given: true,
            time: now,
            language: grant.language.clone(),
            statement: grant.statement.trim().to_owned(),
        };
        let statement = consent::store(self, account, special, &event)?;
        // A pending deletion of earlier data stays scheduled: the old sample
        // goes anyway, and a new one is uploaded under the new consent.
        self.db.atomically(vec![statement]).await?;
        self.site.allow_special(account, purpose).await?;
        self.special_consent(account, purpose, &grant.language)
            .await
    }

    /// `DELETE /special-consents/{purpose}`: withdrawal stops use at once and
    /// schedules deletion of the data within 30 days (GDPR Art 7(3), 17(1)(b)).
    pub async fn withdraw_special(
        &self,
        account: &str,
        purpose: &str,
        lang: &str,
    ) -> Result<SpecialConsent, Problem> {
        self.check_exists(account).await?;
        let special = erasure::special(&self.policy, purpose)
            .ok_or_else(|| problem(ErrorCode::NotFound, "no such special processing"))?;
        let events = consent::events(&self.db, account, purpose).await?;
        let Some(given) = events.last().filter(|e| e.given) else {
            return Err(problem(ErrorCode::Conflict, "consent is not given"));
        };
        self.site.suspend_special(account, purpose).await?;
        let now = self.clock.now();
        let event = ConsentEvent {
            given: false,
            time: now,
            language: given.language.clone(),
            statement: given.statement.clone(),
        };
        let record = consent::store(self, account, special, &event)?;
        let mut request = self.new_request(RequestType::SpecialCategoryConsent, Status::InProgress);
        // Received at the withdrawal itself (one reading of the clock), so
        // its received_at, the consent's withdrawn_at and the deadline agree.
        request.received_at = now;
        request.purpose = Some(purpose.to_owned());
        let deadline = self.deadlines.voice_erasure_by(now);
        request.erasure_at = Some(deadline);
        request.expected_by = deadline;
        request.processing_details = Some(format!(
            "Consent withdrawn: the data is no longer used, and is deleted by {deadline}."
        ));
        // Due at once: the deadline is the latest, not the plan.
        self.db
            .atomically(vec![record, requests::insert(account, &request, Some(now))])
            .await?;
        self.wake.notify_one();
        self.special_consent(account, purpose, lang).await
    }

    /// The time a download link made now expires.
    pub fn link_expiry(&self) -> Timestamp {
        Timestamp(self.clock.now().0 + LINK_DAYS * DAY_MS)
    }
}
