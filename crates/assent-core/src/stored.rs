//! The stored form of a [`Decision`] and how long it stays valid.
//!
//! The same string is written to a first-party cookie and to `localStorage`, so
//! it only uses cookie-safe characters (RFC 6265 `cookie-octet`):
//!
//! ```text
//! v2.a1m0p0.preferences.1732345678901.3.0.+youtube~-ads
//! ^^ ^^^^^^ ^^^^^^^^^^^ ^^^^^^^^^^^^^ ^ ^ ^^^^^^^^^^^^^
//! |  |      |           |             | | service exceptions, `~`-separated:
//! |  |      |           |             | |   `+id` granted alone, `-id` refused alone
//! |  |      |           |             | GPC signal present when decided (0/1)
//! |  |      |           |             policy revision the user saw
//! |  |      |           decided at, Unix milliseconds
//! |  |      collection method (Method::key)
//! |  one flag per optional category: analytics, marketing, personalization
//! format version
//! ```
//!
//! Whether a stored decision still holds (expiry, policy revision, GPC) is
//! [`crate::rules`]; the loader implements the same reading, checked against the
//! shared test vectors (`tests/vectors/consent.json`).

use std::fmt;

use crate::choice::{is_service_id, Services};
use crate::{Category, Choice, Decision, Method};

const VERSION: &str = "v2";

/// The largest timestamp accepted: 2^53 - 1, the largest integer JavaScript
/// numbers hold exactly, so the loader reads every value the same way.
pub const MAX_TIMESTAMP_MS: u64 = (1 << 53) - 1;
const FIELDS: usize = 7;

/// Why a stored value could not be read back. The caller treats every error as
/// "no decision" and asks again: a broken value never grants anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The value is empty.
    Empty,
    /// The value was written by a format this version does not know.
    UnsupportedVersion(String),
    /// The value does not have the seven dot-separated fields.
    WrongFieldCount(usize),
    /// The category flags are not `a?m?p?` with `?` in `0`/`1`.
    BadFlags(String),
    /// The collection method is unknown.
    BadMethod(String),
    /// The timestamp is not a non-negative integer.
    BadTimestamp(String),
    /// The policy revision is not a non-negative integer.
    BadRevision(String),
    /// The GPC flag is not `0` or `1`.
    BadGpc(String),
    /// A service exception is not `+id` or `-id`.
    BadService(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => f.write_str("stored consent is empty"),
            DecodeError::UnsupportedVersion(v) => {
                write!(f, "stored consent has unsupported format version \"{v}\"")
            }
            DecodeError::WrongFieldCount(n) => {
                write!(f, "stored consent has {n} fields, expected {FIELDS}")
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
            DecodeError::BadRevision(s) => {
                write!(f, "stored consent has malformed policy revision \"{s}\"")
            }
            DecodeError::BadGpc(s) => {
                write!(f, "stored consent has malformed GPC flag \"{s}\"")
            }
            DecodeError::BadService(s) => {
                write!(f, "stored consent has malformed service exception \"{s}\"")
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
        let services: Vec<String> = self
            .services
            .iter()
            .filter(|(id, _)| is_service_id(id))
            .map(|(id, granted)| format!("{}{id}", if *granted { '+' } else { '-' }))
            .collect();
        format!(
            "{VERSION}.{flags}.{}.{}.{}.{}.{}",
            self.method.key(),
            self.decided_at_ms,
            self.revision,
            u8::from(self.gpc),
            services.join("~")
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
        let [_, flags, method, at, revision, gpc, services] = fields[..] else {
            return Err(DecodeError::WrongFieldCount(fields.len()));
        };
        let choice = decode_flags(flags).ok_or_else(|| DecodeError::BadFlags(flags.to_owned()))?;
        let method =
            Method::from_key(method).ok_or_else(|| DecodeError::BadMethod(method.to_owned()))?;
        let decided_at_ms = number::<u64>(at)
            .filter(|ms| *ms <= MAX_TIMESTAMP_MS)
            .ok_or_else(|| DecodeError::BadTimestamp(at.to_owned()))?;
        let revision =
            number::<u32>(revision).ok_or_else(|| DecodeError::BadRevision(revision.to_owned()))?;
        let gpc = match gpc {
            "0" => false,
            "1" => true,
            other => return Err(DecodeError::BadGpc(other.to_owned())),
        };
        let mut exceptions = Services::new();
        for item in services.split('~').filter(|i| !i.is_empty()) {
            let (granted, id) = match item.as_bytes()[0] {
                b'+' => (true, &item[1..]),
                b'-' => (false, &item[1..]),
                _ => return Err(DecodeError::BadService(item.to_owned())),
            };
            if !is_service_id(id) || exceptions.insert(id.to_owned(), granted).is_some() {
                return Err(DecodeError::BadService(item.to_owned()));
            }
        }
        Ok(Decision {
            choice,
            services: exceptions,
            method,
            decided_at_ms,
            revision,
            gpc,
        })
    }
}

/// A non-negative decimal integer without sign, spaces or overflow.
fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
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
    use crate::choice::Context;
    use crate::Action;

    fn only(category: Category) -> Choice {
        Choice::reject_all().with(category, true)
    }

    fn at(now_ms: u64) -> Context {
        Context {
            now_ms,
            revision: 3,
            gpc: false,
        }
    }

    #[test]
    fn encodes_the_documented_form() {
        let d = Action::Save(
            only(Category::Analytics),
            Services::from([("youtube".into(), true), ("ads".into(), false)]),
        )
        .decide(at(1_732_345_678_901), None);
        assert_eq!(
            d.encode(),
            "v2.a1m0p0.preferences.1732345678901.3.0.-ads~+youtube"
        );
        assert_eq!(
            Action::RejectAll.decide(at(7), None).encode(),
            "v2.a0m0p0.reject-all.7.3.0."
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
                for gpc in [false, true] {
                    let d = Decision {
                        choice,
                        services: Services::from([("x".into(), gpc)]),
                        method,
                        decided_at_ms: MAX_TIMESTAMP_MS,
                        revision: u32::MAX,
                        gpc,
                    };
                    assert_eq!(Decision::decode(&d.encode()), Ok(d));
                }
            }
        }
    }

    #[test]
    fn stored_form_is_cookie_safe() {
        // RFC 6265 cookie-octet: no CTLs, whitespace, DQUOTE, comma, semicolon or backslash.
        let d = Action::Save(
            Choice::accept_all(),
            Services::from([("a-b_C9".into(), true), ("z".into(), false)]),
        )
        .decide(at(u64::MAX), None);
        assert!(d
            .encode()
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && !b"\",;\\".contains(&b)));
    }

    #[test]
    fn malformed_values_never_grant() {
        let table: &[(&str, DecodeError)] = &[
            ("", DecodeError::Empty),
            ("   ", DecodeError::Empty),
            (
                "v1.a1m1p1.accept-all.1",
                DecodeError::UnsupportedVersion("v1".into()),
            ),
            ("true", DecodeError::UnsupportedVersion("true".into())),
            (
                "v2.a1m1p1.accept-all.1.1.0",
                DecodeError::WrongFieldCount(6),
            ),
            (
                "v2.a1m1p1.accept-all.1.1.0..",
                DecodeError::WrongFieldCount(8),
            ),
            (
                "v2.a1m1.accept-all.1.1.0.",
                DecodeError::BadFlags("a1m1".into()),
            ),
            (
                "v2.m1a1p1.accept-all.1.1.0.",
                DecodeError::BadFlags("m1a1p1".into()),
            ),
            (
                "v2.a2m1p1.accept-all.1.1.0.",
                DecodeError::BadFlags("a2m1p1".into()),
            ),
            (
                "v2.a1m1p1.banner.1.1.0.",
                DecodeError::BadMethod("banner".into()),
            ),
            (
                "v2.a1m1p1.accept-all..1.0.",
                DecodeError::BadTimestamp("".into()),
            ),
            (
                "v2.a1m1p1.accept-all.+1.1.0.",
                DecodeError::BadTimestamp("+1".into()),
            ),
            (
                "v2.a1m1p1.accept-all.99999999999999999999.1.0.",
                DecodeError::BadTimestamp("99999999999999999999".into()),
            ),
            (
                "v2.a1m1p1.accept-all.9007199254740992.1.0.",
                DecodeError::BadTimestamp("9007199254740992".into()),
            ),
            (
                "v2.a1m1p1.accept-all.1.-1.0.",
                DecodeError::BadRevision("-1".into()),
            ),
            (
                "v2.a1m1p1.accept-all.1.4294967296.0.",
                DecodeError::BadRevision("4294967296".into()),
            ),
            (
                "v2.a1m1p1.accept-all.1.1.yes.",
                DecodeError::BadGpc("yes".into()),
            ),
            (
                "v2.a1m1p1.accept-all.1.1.0.youtube",
                DecodeError::BadService("youtube".into()),
            ),
            (
                "v2.a1m1p1.accept-all.1.1.0.+you%20tube",
                DecodeError::BadService("+you%20tube".into()),
            ),
            (
                "v2.a1m1p1.accept-all.1.1.0.+a~-a",
                DecodeError::BadService("-a".into()),
            ),
            (
                "v2.a1m1p1.accept-all.1.1.0.+",
                DecodeError::BadService("+".into()),
            ),
        ];
        for (value, err) in table {
            assert_eq!(Decision::decode(value).as_ref(), Err(err), "{value:?}");
            assert!(!err.to_string().is_empty());
        }
    }
}
