//! Plain-text renderings of the notice's compound facts, shared by every
//! page that shows a notice (the preview, the DPA annex, the panel), so a
//! recipient's places and safeguards read the same everywhere.

use crate::policy::model::Mechanism;
use crate::policy::place;
use crate::policy::written::Stated;

use super::{
    NoticeController, NoticeLabels, NoticeOnward, NoticeRecipient, NoticeRetention,
    NoticeSubProcessor, NoticeTransfer,
};

impl NoticeRetention {
    /// The whole rule as one phrase: the period, the item it is tied to, what
    /// becomes of the data, and when it may be kept longer (`au plus 90 jours,
    /// puis supprimées. Exception : …`).
    pub fn period_phrase(&self, l: &NoticeLabels) -> String {
        let mut phrase = self.period.clone();
        if let Some(item) = &self.tied_to {
            phrase.push_str(&format!(" ({} {item})", l.for_the_life_of));
        }
        if let Some(end) = &self.end {
            phrase.push_str(&format!(", {end}"));
        }
        if let Some(hold) = &self.legal_hold {
            phrase.push_str(&format!(". {}{}{hold}", l.exception, l.colon));
        }
        phrase
    }
}

impl NoticeController {
    /// Where people write about their data, as the policy's
    /// `Controller::contact_email` chooses it: the privacy e-mail, else the
    /// DPO's or contact point's; `None` when the source states neither.
    pub fn contact_email(&self) -> Option<&str> {
        self.email
            .as_deref()
            .or(self.dpo.as_ref().map(|d| d.email.as_str()))
    }
}

impl NoticeSubProcessor {
    /// Where it processes data: its countries (`US, IE`), then the region
    /// when the policy gives one (`FR (fr-par)`).
    pub fn places(&self) -> String {
        let countries = self.countries.join(", ");
        match &self.region {
            Some(region) => format!("{countries} ({region})"),
            None => countries,
        }
    }

    /// Its transfer safeguards in the notice's words, then its onward
    /// transfers; see [`safeguards`].
    pub fn safeguards(&self, l: &NoticeLabels) -> String {
        let own = safeguards(&self.transfers, &self.countries, self.in_eea, l);
        with_onward(own, &self.onward, l)
    }
}

impl NoticeRecipient {
    /// Its countries (`US, IE`).
    pub fn places(&self) -> String {
        self.countries.join(", ")
    }

    /// Its safeguards and onward transfers, as a sub-processor's.
    pub fn safeguards(&self, l: &NoticeLabels) -> String {
        let own = safeguards(&self.transfers, &self.countries, self.in_eea, l);
        with_onward(own, &self.onward, l)
    }
}

impl NoticeOnward {
    /// `to (countries): safeguards`.
    pub fn text(&self, l: &NoticeLabels) -> String {
        format!(
            "{} ({}){}{}",
            self.to,
            self.countries.join(", "),
            l.colon,
            safeguards(&self.transfers, &self.countries, self.in_eea, l)
        )
    }
}

/// A recipient's own safeguards `own`, then its onward transfers, if any.
fn with_onward(mut own: String, onward: &[NoticeOnward], l: &NoticeLabels) -> String {
    if !onward.is_empty() {
        let onward: Vec<String> = onward.iter().map(|o| o.text(l)).collect();
        own.push_str(&format!(". {}{}{}", l.onward, l.colon, onward.join("; ")));
    }
    own
}

/// Transfer safeguards in the notice's words, `; ` between them; when there
/// are none, that the countries are in the EEA, that an adequacy decision
/// covers them (Art 45), or that none is named.
pub fn safeguards(
    transfers: &[NoticeTransfer],
    countries: &[String],
    in_eea: bool,
    l: &NoticeLabels,
) -> String {
    if transfers.is_empty() {
        let adequate = countries
            .iter()
            .all(|c| place::in_eea(c) || place::adequate(c));
        let none = if in_eea {
            l.eea
        } else if adequate {
            l.mechanism_name(Mechanism::Adequacy)
        } else {
            l.no_safeguard
        };
        return none.to_owned();
    }
    transfers
        .iter()
        .map(|t| t.text(l))
        .collect::<Vec<_>>()
        .join("; ")
}

impl NoticeTransfer {
    /// The safeguard with its SCC module, supplementary measures and, for a
    /// contingency, that it is kept as one.
    pub fn text(&self, l: &NoticeLabels) -> String {
        let module = self
            .module
            .as_ref()
            .map(|m| match m {
                Stated::Value(m) => format!(", {} {m}", l.module),
                Stated::NotStated => format!(", {}{}{}", l.module, l.colon, l.not_stated),
            })
            .unwrap_or_default();
        let measures = self
            .measures
            .as_ref()
            .map(|m| format!(" — {m}"))
            .unwrap_or_default();
        let contingency = if self.contingency {
            format!(" ({})", l.contingency)
        } else {
            String::new()
        };
        format!("{}{module}{contingency}{measures}", self.name)
    }
}

impl NoticeLabels {
    /// `value`, or the words for a value the policy's source does not state.
    pub fn or_not_stated<'a>(&self, value: Option<&'a str>) -> &'a str
    where
        'static: 'a,
    {
        value.unwrap_or(self.not_stated)
    }
}
