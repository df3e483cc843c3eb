//! Recipients that are not the organisation's processors (GDPR Art 13(1)(e)):
//! independent controllers it discloses data to and joint controllers it
//! decides purposes with (Art 26), and onward transfers, from any recipient
//! to its own affiliates or sub-processors abroad (Art 44: the protection
//! travels with the data). Every place data goes is a [`Destination`], so the
//! transfer rules and the country check walk them all the same way.

use serde::{Deserialize, Serialize};

use super::finding::Path;
use super::model::{Policy, Text, Transfer};
use super::written::OneOrMany;

/// How a recipient that is not a processor stands to the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RecipientKind {
    /// It decides its own purposes and means for the data it receives (a
    /// payment provider as merchant of record, an authority, an auditor).
    IndependentController,
    /// It decides purposes and means together with the organisation (Art 26).
    JointController,
}

/// A recipient that is not a processor of the organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Recipient {
    /// Legal name.
    pub name: String,
    /// Independent or joint controller.
    pub kind: RecipientKind,
    /// Why it receives the data, for users.
    pub role: Text,
    /// Where it processes the data: one ISO 3166-1 alpha-2 code or a list.
    pub country: OneOrMany<String>,
    /// Data categories it receives (ids of `[[data]]`).
    #[serde(default)]
    pub data: Vec<String>,
    /// Transfer safeguards, as for a sub-processor.
    #[serde(default)]
    pub transfer: Option<OneOrMany<Transfer>>,
    /// For a joint controller, the essence of the arrangement made available
    /// to data subjects (Art 26(2)): who does what, where people turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrangement: Option<Text>,
    /// Where the recipient's own privacy notice is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_url: Option<String>,
    /// Transfers it makes in turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub onward: Vec<Onward>,
}

/// A transfer a recipient makes in turn, to its affiliates or its own
/// sub-processors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Onward {
    /// To whom (`its US parent company`, `its support sub-processors`).
    pub to: Text,
    /// Where: one ISO 3166-1 alpha-2 code or a list.
    pub country: OneOrMany<String>,
    /// Its safeguards.
    #[serde(default)]
    pub transfer: Option<OneOrMany<Transfer>>,
}

/// One place data goes: a sub-processor, another recipient, or an onward
/// transfer of either.
#[derive(Clone, Debug)]
pub struct Destination<'a> {
    /// Who receives it (a name, or "`Hoster`, onward").
    pub name: String,
    /// Its countries.
    pub country: &'a OneOrMany<String>,
    /// Its safeguards.
    pub transfer: Option<&'a OneOrMany<Transfer>>,
    /// Where it is written in the policy.
    pub at: Path,
}

impl<'a> Destination<'a> {
    /// Its countries.
    pub fn countries(&self) -> impl Iterator<Item = &'a str> + Clone + use<'a> {
        let country: &'a OneOrMany<String> = self.country;
        country.iter().map(String::as_str)
    }

    /// Its safeguards, contingencies included.
    pub fn transfers(&self) -> &'a [Transfer] {
        self.transfer.map_or(&[], |t| t.0.as_slice())
    }
}

/// Every place `policy` sends data: its sub-processors, its other recipients,
/// and their onward transfers.
pub fn destinations(policy: &Policy) -> Vec<Destination<'_>> {
    let mut out = Vec::new();
    for (i, s) in policy.subprocessors.iter().enumerate() {
        let at = Path::root().key("subprocessors").index(i);
        out.push(Destination {
            name: s.name.clone(),
            country: &s.country,
            transfer: s.transfer.as_ref(),
            at: at.clone(),
        });
        push_onward(&mut out, &s.name, &s.onward, &at);
    }
    for (i, r) in policy.recipients.iter().enumerate() {
        let at = Path::root().key("recipients").index(i);
        out.push(Destination {
            name: r.name.clone(),
            country: &r.country,
            transfer: r.transfer.as_ref(),
            at: at.clone(),
        });
        push_onward(&mut out, &r.name, &r.onward, &at);
    }
    out
}

fn push_onward<'a>(out: &mut Vec<Destination<'a>>, from: &str, list: &'a [Onward], at: &Path) {
    for (k, o) in list.iter().enumerate() {
        out.push(Destination {
            name: format!("{from}'s onward transfer"),
            country: &o.country,
            transfer: o.transfer.as_ref(),
            at: at.key("onward").index(k),
        });
    }
}
