//! What the panel knows and how it learns it: the account, the notice and
//! the requests from the rights API, refreshed after every change and every
//! second while something is under way; and [`Act`], one user action with
//! its busy state, its error and its idempotency key.
//!
//! Every signal is created under the mount's reactive owner, so unmounting
//! disposes them; an answer that arrives after that finds them gone and is
//! dropped (`try_set`), never a panic.

use std::rc::Rc;

use assent_core::policy::notice::{labels, Notice, NoticeLabels};
use assent_core::rights::model::{Account, AccountState, Request, RequestList, Status};
use assent_core::rights::time::Timestamp;
use assent_web::events;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::api::{Api, ApiError, Change};
use crate::options::ConsentBridge;
use crate::outbox;
use crate::texts::Texts;

/// The panel's state, shared by its sections (`Copy`: signals and handles).
#[derive(Clone, Copy)]
pub struct Panel {
    /// The panel's words.
    pub t: &'static Texts,
    /// Core's notice labels in the same language.
    pub words: &'static NoticeLabels,
    api: StoredValue<Rc<Api>, LocalStorage>,
    host: StoredValue<Element, LocalStorage>,
    consent: StoredValue<Option<ConsentBridge>, LocalStorage>,
    /// `GET /account`.
    pub account: RwSignal<Option<Account>>,
    /// `GET /notice`.
    pub notice: RwSignal<Option<Notice>>,
    /// `GET /requests`, newest first.
    pub requests: RwSignal<Vec<Request>>,
    /// Why the panel could not load.
    pub load_error: RwSignal<Option<ApiError>>,
    /// The account's last `server_time` (kept apart from [`Panel::account`],
    /// which changes only when something in it does, so views stay put).
    server_time: RwSignal<u64>,
    /// `performance.now()` when `server_time` arrived.
    fetched_at: RwSignal<f64>,
    /// Seconds since the mount (drives countdowns and polling).
    pub tick: RwSignal<u64>,
    refreshing: RwSignal<bool>,
}

impl Panel {
    /// A panel for `host`, calling `api`, in `t`'s language.
    pub fn new(
        t: &'static Texts,
        api: Rc<Api>,
        host: Element,
        consent: Option<ConsentBridge>,
    ) -> Panel {
        Panel {
            t,
            words: labels(t.lang),
            api: StoredValue::new_local(api),
            host: StoredValue::new_local(host),
            consent: StoredValue::new_local(consent),
            account: RwSignal::new(None),
            notice: RwSignal::new(None),
            requests: RwSignal::new(Vec::new()),
            load_error: RwSignal::new(None),
            server_time: RwSignal::new(0),
            fetched_at: RwSignal::new(0.0),
            tick: RwSignal::new(0),
            refreshing: RwSignal::new(false),
        }
    }

    /// The API client; `None` once the panel is unmounted (an answer that
    /// arrives later then goes nowhere).
    pub fn api(&self) -> Option<Rc<Api>> {
        self.api.try_get_value()
    }

    /// The loader's consent manager, when the loader mounted the panel.
    pub fn consent(&self) -> Option<ConsentBridge> {
        self.consent.get_value()
    }

    /// First load: the account, changes left unanswered by an earlier page
    /// (sent again), then the notice and the requests.
    pub fn start(self) {
        spawn_local(async move {
            let Some(api) = self.api() else { return };
            match api.get::<Account>("/account").await {
                Ok(account) => {
                    if api.resend(&account.account).await > 0 {
                        self.refresh();
                    } else {
                        self.accept(account);
                    }
                }
                Err(e) => {
                    let _ = self.load_error.try_set(Some(e));
                    return;
                }
            }
            match api.get::<Notice>("/notice").await {
                Ok(notice) => {
                    let _ = self.notice.try_set(Some(notice));
                }
                Err(e) => {
                    let _ = self.load_error.try_set(Some(e));
                }
            }
            self.refresh_requests().await;
        });
    }

    /// Loads the account and the requests again (once at a time).
    pub fn refresh(self) {
        if self.refreshing.try_get_untracked() != Some(false) {
            return;
        }
        let _ = self.refreshing.try_set(true);
        spawn_local(async move {
            let Some(api) = self.api() else { return };
            match api.get::<Account>("/account").await {
                Ok(account) => {
                    self.accept(account);
                    let _ = self.load_error.try_set(None);
                }
                // With the account shown, a passing failure (the server
                // busy or unreachable) keeps it: the action that failed says
                // so itself. A definitive one (signed out, erased) replaces it.
                Err(e)
                    if e.retryable()
                        && self.account.try_with_untracked(Option::is_some) == Some(true) => {}
                Err(e) => {
                    let _ = self.load_error.try_set(Some(e));
                }
            }
            self.refresh_requests().await;
            let _ = self.refreshing.try_set(false);
        });
    }

    async fn refresh_requests(self) {
        let Some(api) = self.api() else { return };
        if let Ok(list) = api.get::<RequestList>("/requests").await {
            if self.requests.try_with_untracked(|r| *r != list.requests) == Some(true) {
                let _ = self.requests.try_set(list.requests);
            }
        }
    }

    /// Takes a new account state and tells the host app what changed.
    fn accept(self, mut account: Account) {
        let before = self.account.try_get_untracked().flatten();
        let now = performance_now();
        let restricted = account.state == AccountState::Restricted;
        let was_restricted = before.as_ref().map(|b| b.state == AccountState::Restricted);
        if was_restricted != Some(restricted) {
            self.tell("assent:restriction", &[("restricted", restricted.into())]);
        }
        let erasure_at = account
            .erasure
            .as_ref()
            .and_then(|e| e.erasure_at)
            .map(|t| t.to_string());
        let erasure_before = before.as_ref().map(|b| {
            b.erasure
                .as_ref()
                .and_then(|e| e.erasure_at)
                .map(|t| t.to_string())
        });
        if erasure_before != Some(erasure_at.clone()) {
            let at = erasure_at
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str);
            self.tell(
                "assent:deletion",
                &[
                    ("scheduled", erasure_at.is_some().into()),
                    ("erasureAt", at),
                ],
            );
        }
        let _ = self.server_time.try_set(account.server_time.0);
        let _ = self.fetched_at.try_set(now);
        account.server_time = Timestamp(0);
        if before.as_ref() != Some(&account) {
            let _ = self.account.try_set(Some(account));
        }
    }

    fn tell(self, name: &str, fields: &[(&str, JsValue)]) {
        let detail = js_sys::Object::new();
        for (key, value) in fields {
            let _ = js_sys::Reflect::set(&detail, &JsValue::from_str(key), value);
        }
        if let Some(host) = self.host.try_get_value() {
            if let Err(e) = events::dispatch(&host, name, &detail) {
                crate::warn(&e.to_string());
            }
        }
    }

    /// The server's time now: its `server_time` plus the time since it came.
    pub fn server_now_ms(self) -> u64 {
        let elapsed = (performance_now() - self.fetched_at.get()).max(0.0) as u64;
        self.server_time.get() + elapsed
    }

    /// Whether something under way should be watched (every second).
    pub fn busy_server_side(self) -> bool {
        let under_way = |r: &Request| matches!(r.status, Status::Open | Status::InProgress);
        let exporting = self
            .requests
            .with_untracked(|list| list.iter().any(|r| is_export(r) && under_way(r)));
        let deleting_voice = self.account.with_untracked(|a| {
            a.as_ref()
                .is_some_and(|a| a.special_consents.iter().any(|s| s.deletion.is_some()))
        });
        exporting || deleting_voice
    }
}

/// Whether `r` is an export (access or portability).
pub fn is_export(r: &Request) -> bool {
    use assent_core::rights::model::RequestType;
    matches!(r.kind, RequestType::Access | RequestType::Portability)
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// One user action: at most one call at a time (a double click sends once),
/// its failure, and its idempotency key, kept for a retry of the same change.
#[derive(Clone, Copy)]
pub struct Act {
    /// A call is under way.
    pub busy: RwSignal<bool>,
    /// The last call's failure.
    pub error: RwSignal<Option<ApiError>>,
    key: StoredValue<Option<(String, String)>>,
}

impl Act {
    /// A new action.
    pub fn new() -> Act {
        Act {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            key: StoredValue::new(None),
        }
    }

    /// Sends `change` (unless a call is under way), then refreshes the panel
    /// and calls `done` with the answer.
    pub fn run<T, F>(self, panel: Panel, change: Change, done: F)
    where
        T: serde::de::DeserializeOwned + 'static,
        F: FnOnce(Option<T>) + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        let Some(account) = panel.account.get_untracked().map(|a| a.account) else {
            return;
        };
        let what = format!("{} {} {:?}", change.method, change.path, change.body);
        let key = match self.key.get_value() {
            Some((key, same)) if same == what => key,
            _ => outbox::new_key(),
        };
        self.key.set_value(Some((key.clone(), what)));
        self.busy.set(true);
        self.error.set(None);
        let Some(api) = panel.api() else { return };
        spawn_local(async move {
            let result = api.change::<T>(&account, &key, &change).await;
            match result {
                Ok(answer) => {
                    self.key.try_set_value(None);
                    done(answer);
                }
                Err(e) => {
                    if !e.retryable() {
                        self.key.try_set_value(None);
                    }
                    let _ = self.error.try_set(Some(e));
                }
            }
            let _ = self.busy.try_set(false);
            panel.refresh();
        });
    }
}

impl Default for Act {
    fn default() -> Self {
        Act::new()
    }
}
