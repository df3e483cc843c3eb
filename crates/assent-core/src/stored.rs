//! The stored form of a [`Decision`] and how long it stays valid.
//!
//! The same string is written to a first-party cookie and to `localStorage`, so
//! it only uses cookie-safe characters (RFC 6265 `cookie-octet`):
//!
//! ```text
//! v1.a1m0p0.preferences.1732345678901
//! ^^ ^^^^^^ ^^^^^^^^^^^ ^^^^^^^^^^^^^
//! |  |      |           decided at, Unix milliseconds
//! |  |      collection method (Method::key)
//! |  one flag per optional category: analytics, marketing, personalization
//! format version
//! ```
//!
//! A choice, a refusal included, is kept for [`CHOICE_LIFETIME_MS`]: six months,
//! the CNIL's good practice (deliberation 2020-092) and cookieconsent v3's default.

use std::fmt;

use crate::{Category, Choice, Decision, Method};

/// How long a decision is kept before the user is asked again: 182 days.
pub const CHOICE_LIFETIME_MS: u64 = 182 * DAY_MS;

/// How far in the future a decision's timestamp may be (clock differences between
/// tabs or devices) before the stored value is treated as invalid.
pub const FUTURE_TOLERANCE_MS: u64 = DAY_MS;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;
const VERSION: &str = "v1";

/// Why a stored value could not be read back. The caller treats every error as
/// "no decision" and asks again: a broken value never grants anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The value is empty.
    Empty,
    /// The value was written by a format this version does not know.
    UnsupportedVersion(String),
    /// The value does not have the four dot-separated fields.
    WrongFieldCount(usize),
    /// The category flags are not `a?m?p?` with `?` in `0`/`1`.
    BadFlags(String),
    /// The collection method is unknown.
    BadMethod(String),
    /// The timestamp is not a non-negative integer.
    BadTimestamp(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => f.write_str("stored consent is empty"),
            DecodeError::UnsupportedVersion(v) => {
                write!(f, "stored consent has unsupported format version \"{v}\"")
            }
            DecodeError::WrongFieldCount(n) => {
                write!(f, "stored consent has {n} fields, expected 4")
            }
            DecodeError::BadFlags(s) => {
                write!(f, "stored consent has malformed category flags \"{s}\"")
            }
            DecodeError::BadMethod(s) => {
                write!(f, "stored consent has unknown collection method \"{s}\"")
            }
            DecodeError::BadTimestamp(s) => {
                write!(f, "stored consent has malformed timestamp \"{s}\"")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

impl Decision {
    /// The stored form, see the module docs.
    pub fn encode(&self) -> String {
        let mut flags = String::with_capacity(6);
        for category in Category::OPTIONAL {
            flags.push_str(flag_letter(category));
            flags.push(if self.choice.allows(category) {
                '1'
            } else {
                '0'
            });
        }
        format!(
            "{VERSION}.{flags}.{}.{}",
            self.method.key(),
            self.decided_at_ms
        )
    }

    /// Reads a value written by [`Decision::encode`].
    pub fn decode(value: &str) -> Result<Decision, DecodeError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(DecodeError::Empty);
        }
        let fields: Vec<&str> = value.split('.').collect();
        if fields[0] != VERSION {
            return Err(DecodeError::UnsupportedVersion(fields[0].to_owned()));
        }
        let [_, flags, method, at] = fields[..] else {
            return Err(DecodeError::WrongFieldCount(fields.len()));
        };
        let choice = decode_flags(flags).ok_or_else(|| DecodeError::BadFlags(flags.to_owned()))?;
        let method =
            Method::from_key(method).ok_or_else(|| DecodeError::BadMethod(method.to_owned()))?;
        let decided_at_ms = at
            .parse::<u64>()
            .ok()
            .filter(|_| at.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| DecodeError::BadTimestamp(at.to_owned()))?;
        Ok(Decision {
            choice,
            method,
            decided_at_ms,
        })
    }

    /// When this decision stops being valid, in Unix milliseconds.
    pub fn expires_at_ms(&self) -> u64 {
        self.decided_at_ms.saturating_add(CHOICE_LIFETIME_MS)
    }

    /// Whether the decision still holds at `now_ms`: not expired, and not dated
    /// implausibly far in the future.
    pub fn is_valid_at(&self, now_ms: u64) -> bool {
        now_ms < self.expires_at_ms()
            && self.decided_at_ms <= now_ms.saturating_add(FUTURE_TOLERANCE_MS)
    }
}

fn flag_letter(category: Category) -> &'static str {
    &category.key()[..1]
}

fn decode_flags(flags: &str) -> Option<Choice> {
    let bytes = flags.as_bytes();
    if bytes.len() != 2 * Category::OPTIONAL.len() {
        return None;
    }
    let mut choice = Choice::reject_all();
    for (pair, category) in bytes.chunks(2).zip(Category::OPTIONAL) {
        if pair[0] != flag_letter(category).as_bytes()[0] {
            return None;
        }
        let granted = match pair[1] {
            b'0' => false,
            b'1' => true,
            _ => return None,
        };
        choice = choice.with(category, granted);
    }
    Some(choice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;

    fn only(category: Category) -> Choice {
        Choice::reject_all().with(category, true)
    }

    #[test]
    fn encodes_the_documented_form() {
        let d = Action::Save(only(Category::Analytics)).decide(1_732_345_678_901);
        assert_eq!(d.encode(), "v1.a1m0p0.preferences.1732345678901");
        assert_eq!(
            Action::RejectAll.decide(7).encode(),
            "v1.a0m0p0.reject-all.7"
        );
    }

    #[test]
    fn every_choice_and_method_round_trips() {
        for bits in 0..8u8 {
            let mut choice = Choice::reject_all();
            for (i, c) in Category::OPTIONAL.into_iter().enumerate() {
                choice = choice.with(c, bits & (1 << i) != 0);
            }
            for method in Method::ALL {
                let d = Decision {
                    choice,
                    method,
                    decided_at_ms: u64::MAX,
                };
                assert_eq!(Decision::decode(&d.encode()), Ok(d));
            }
        }
    }

    #[test]
    fn stored_form_is_cookie_safe() {
        // RFC 6265 cookie-octet: no CTLs, whitespace, DQUOTE, comma, semicolon or backslash.
        let s = Action::AcceptAll.decide(u64::MAX).encode();
        assert!(s
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && !b"\",;\\".contains(&b)));
    }

    #[test]
    fn malformed_values_never_grant() {
        let table: &[(&str, DecodeError)] = &[
            ("", DecodeError::Empty),
            ("   ", DecodeError::Empty),
            (
                "v2.a1m1p1.accept-all.1",
                DecodeError::UnsupportedVersion("v2".into()),
            ),
            ("true", DecodeError::UnsupportedVersion("true".into())),
            ("v1.a1m1p1.accept-all", DecodeError::WrongFieldCount(3)),
            ("v1.a1m1p1.accept-all.1.2", DecodeError::WrongFieldCount(5)),
            ("v1.a1m1.accept-all.1", DecodeError::BadFlags("a1m1".into())),
            (
                "v1.m1a1p1.accept-all.1",
                DecodeError::BadFlags("m1a1p1".into()),
            ),
            (
                "v1.a2m1p1.accept-all.1",
                DecodeError::BadFlags("a2m1p1".into()),
            ),
            (
                "v1.a1m1p1.banner.1",
                DecodeError::BadMethod("banner".into()),
            ),
            (
                "v1.a1m1p1.accept-all.",
                DecodeError::BadTimestamp("".into()),
            ),
            (
                "v1.a1m1p1.accept-all.+1",
                DecodeError::BadTimestamp("+1".into()),
            ),
            (
                "v1.a1m1p1.accept-all.-1",
                DecodeError::BadTimestamp("-1".into()),
            ),
            (
                "v1.a1m1p1.accept-all.99999999999999999999",
                DecodeError::BadTimestamp("99999999999999999999".into()),
            ),
        ];
        for (value, err) in table {
            assert_eq!(Decision::decode(value).as_ref(), Err(err), "{value:?}");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn cnil_choice_is_kept_six_months_then_asked_again() {
        let d = Action::RejectAll.decide(1_000);
        assert!(d.is_valid_at(1_000));
        assert!(d.is_valid_at(1_000 + CHOICE_LIFETIME_MS - 1));
        assert!(!d.is_valid_at(1_000 + CHOICE_LIFETIME_MS));
        assert_eq!(CHOICE_LIFETIME_MS, 182 * 86_400_000);
    }

    #[test]
    fn a_decision_from_the_far_future_is_not_trusted() {
        let now = 10 * DAY_MS;
        let skewed = Action::AcceptAll.decide(now + FUTURE_TOLERANCE_MS);
        assert!(skewed.is_valid_at(now));
        let forged = Action::AcceptAll.decide(now + FUTURE_TOLERANCE_MS + 1);
        assert!(!forged.is_valid_at(now));
    }

    #[test]
    fn expiry_does_not_overflow() {
        let d = Action::AcceptAll.decide(u64::MAX);
        assert_eq!(d.expires_at_ms(), u64::MAX);
    }
}
