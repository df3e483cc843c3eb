//! Small pieces every section uses: an action's button, its failure with a
//! retry, and a status label.

use assent_core::rights::model::{ErrorCode, Status};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::state::Act;
use crate::texts::Texts;

/// A button that runs `act`: disabled, and saying so, while its call is under way.
pub fn action_button(
    label: &'static str,
    kind: &'static str,
    t: &'static Texts,
    act: Act,
    enabled: Signal<bool>,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class=kind
            disabled=move || act.busy.get() || !enabled.get()
            aria-busy=move || act.busy.get().then_some("true")
            on:click=move |_| on_click()>
            {move || if act.busy.get() { t.working } else { label }}
        </button>
    }
}

/// What went wrong with `act`'s last call, in the reader's words, with a
/// retry where one may help.
pub fn failure(
    t: &'static Texts,
    act: Act,
    retry: impl Fn() + Clone + Send + 'static,
) -> impl IntoView {
    move || {
        act.error.get().map(|e| {
            let retry = retry.clone();
            let can_retry = e.retryable();
            view! {
                <div class="failure" role="alert">
                    <p>{message(t, &e)}</p>
                    {can_retry.then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| retry()>{t.retry}</button>
                    })}
                </div>
            }
        })
    }
}

/// `error` for people.
pub fn message(t: &'static Texts, error: &ApiError) -> String {
    match error {
        ApiError::Network => t.error_network.to_owned(),
        ApiError::Refused(
            ErrorCode::Unavailable | ErrorCode::RateLimited | ErrorCode::Conflict,
            _,
        ) => t.error_unavailable.to_owned(),
        ApiError::Refused(ErrorCode::Unauthenticated | ErrorCode::CsrfFailed, _) => {
            t.error_signed_out.to_owned()
        }
        ApiError::Refused(ErrorCode::AccountRestricted, _) => t.error_restricted.to_owned(),
        ApiError::Refused(ErrorCode::AccountErased, _) => t.error_erased.to_owned(),
        ApiError::Refused(_, detail) => format!("{} {detail}", t.error_other),
        ApiError::Unreadable(detail) => format!("{} {detail}", t.error_other),
    }
}

/// A request's status in the reader's words.
pub fn status(t: &'static Texts, status: Status) -> &'static str {
    match status {
        Status::Open => t.status_open,
        Status::InProgress => t.status_in_progress,
        Status::Fulfilled => t.status_fulfilled,
        Status::Revoked => t.status_revoked,
        Status::Denied => t.status_denied,
        Status::Expired => t.status_expired,
    }
}
