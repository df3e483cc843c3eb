//! Instants of the rights workflow: Unix milliseconds, written as RFC 3339 UTC text.
//!
//! A [`Timestamp`] is what callers pass in (core reads no clock) and what the
//! rights formats carry. On the wire it is always the same 24 characters,
//! `2026-12-07T01:02:03.004Z`: UTC, three fraction digits, `Z`. Reading is
//! more lenient, as RFC 3339 allows: a numeric offset (`+02:00`, `-05:00`),
//! a fraction of 1 to 9 digits (truncated to the millisecond), and a
//! lowercase `t` or `z`. Everything else is refused: no time zone, a date or
//! time that does not exist (30 February, 24:00:00, a leap second), and
//! instants before 1970-01-01T00:00:00Z or after 9999-12-31T23:59:59.999Z.
//!
//! The civil-date conversion is written here (Howard Hinnant's
//! `days_from_civil` and `civil_from_days`, <https://howardhinnant.github.io/date_algorithms.html>)
//! so this module needs no date library and runs in the widget too.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{self, Serializer};
use serde::{Deserialize, Serialize};

/// Milliseconds in a day.
const DAY_MS: u64 = 86_400_000;

/// An instant in Unix milliseconds (since 1970-01-01T00:00:00Z, leap seconds not counted).
///
/// Serialised as RFC 3339 UTC text with three fraction digits
/// (`2026-12-07T01:02:03.004Z`, the same as [`Display`](fmt::Display));
/// deserialised with [`Timestamp::parse`]. Every `u64` is a value of this type,
/// but only those up to [`Timestamp::MAX`] have an RFC 3339 form: serialising
/// a later one is an error, and displaying it writes a year of more than four
/// digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// 1970-01-01T00:00:00.000Z, the earliest timestamp.
    pub const EPOCH: Timestamp = Timestamp(0);
    /// 9999-12-31T23:59:59.999Z, the latest timestamp RFC 3339 can write.
    pub const MAX: Timestamp = Timestamp(253_402_300_799_999);

    /// The timestamp `ms` milliseconds after the Unix epoch.
    pub const fn from_ms(ms: u64) -> Timestamp {
        Timestamp(ms)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn as_ms(self) -> u64 {
        self.0
    }

    /// Reads an RFC 3339 date-time (`2026-03-29T02:30:00+02:00`,
    /// `2026-12-07T01:02:03.004Z`); see the module documentation for what is
    /// accepted and refused.
    pub fn parse(text: &str) -> Result<Timestamp, TimeError> {
        let b = text.as_bytes();
        let year = digits(b, 0, 4)?;
        punct(b, 4, b'-', "`-`")?;
        let month = digits(b, 5, 2)?;
        punct(b, 7, b'-', "`-`")?;
        let day = digits(b, 8, 2)?;
        if b.get(10) != Some(&b'T') && b.get(10) != Some(&b't') {
            return Err(TimeError::Syntax {
                at: 10,
                expected: "`T`",
            });
        }
        let hour = digits(b, 11, 2)?;
        punct(b, 13, b':', "`:`")?;
        let minute = digits(b, 14, 2)?;
        punct(b, 16, b':', "`:`")?;
        let second = digits(b, 17, 2)?;

        let mut at = 19;
        let mut millis = 0;
        if b.get(at) == Some(&b'.') {
            at += 1;
            let start = at;
            while at < b.len() && b[at].is_ascii_digit() {
                if at - start < 3 {
                    millis = millis * 10 + u64::from(b[at] - b'0');
                }
                at += 1;
            }
            let count = at - start;
            if count == 0 || count > 9 {
                return Err(TimeError::Syntax {
                    at: start + count.min(9),
                    expected: if count == 0 {
                        "a fraction digit"
                    } else {
                        "`Z` or an offset after at most 9 fraction digits"
                    },
                });
            }
            for _ in count..3 {
                millis *= 10;
            }
        }

        // The offset east of UTC, in minutes.
        let offset: i64 = match b.get(at) {
            Some(b'Z' | b'z') => {
                at += 1;
                0
            }
            Some(&sign @ (b'+' | b'-')) => {
                let hours = digits(b, at + 1, 2)?;
                punct(b, at + 3, b':', "`:` in the offset")?;
                let minutes = digits(b, at + 4, 2)?;
                if hours > 23 {
                    return Err(TimeError::Range {
                        field: "offset hour",
                    });
                }
                if minutes > 59 {
                    return Err(TimeError::Range {
                        field: "offset minute",
                    });
                }
                at += 6;
                let offset = (hours * 60 + minutes) as i64;
                if sign == b'-' {
                    -offset
                } else {
                    offset
                }
            }
            _ => {
                return Err(TimeError::Syntax {
                    at,
                    expected: "`Z` or an offset such as `+02:00`",
                })
            }
        };
        if at != b.len() {
            return Err(TimeError::Syntax {
                at,
                expected: "the end of the timestamp",
            });
        }

        if year < 1970 {
            return Err(TimeError::BeforeEpoch);
        }
        if !(1..=12).contains(&month) {
            return Err(TimeError::Range { field: "month" });
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(TimeError::Range { field: "day" });
        }
        if hour > 23 {
            return Err(TimeError::Range { field: "hour" });
        }
        if minute > 59 {
            return Err(TimeError::Range { field: "minute" });
        }
        if second > 59 {
            return Err(TimeError::Range { field: "second" });
        }

        let days = days_from_civil(year as i64, month, day);
        let local_ms = days * DAY_MS as i64
            + (hour as i64 * 3600 + minute as i64 * 60 + second as i64) * 1000
            + millis as i64;
        let utc_ms = local_ms - offset * 60_000;
        if utc_ms < 0 {
            return Err(TimeError::BeforeEpoch);
        }
        let utc_ms = utc_ms as u64;
        if utc_ms > Timestamp::MAX.0 {
            return Err(TimeError::AfterMax);
        }
        Ok(Timestamp(utc_ms))
    }
}

/// Why a text is not a [`Timestamp`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
    /// Not RFC 3339 date-time syntax: byte `at` should have been `expected`.
    Syntax {
        /// Byte offset in the text.
        at: usize,
        /// What should have been there.
        expected: &'static str,
    },
    /// A well-formed field with no such value: month 13, 30 February, hour 24, second 60.
    Range {
        /// The field: `month`, `day`, `hour`, `minute`, `second`, `offset hour` or `offset minute`.
        field: &'static str,
    },
    /// A year before 1970, or an instant before 1970-01-01T00:00:00Z.
    BeforeEpoch,
    /// An instant after 9999-12-31T23:59:59.999Z.
    AfterMax,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Syntax { at, expected } => write!(
                f,
                "not an RFC 3339 timestamp: expected {expected} at byte {at}"
            ),
            TimeError::Range { field } => {
                write!(f, "not an RFC 3339 timestamp: {field} out of range")
            }
            TimeError::BeforeEpoch => f.write_str("timestamp before 1970-01-01T00:00:00Z"),
            TimeError::AfterMax => f.write_str("timestamp after 9999-12-31T23:59:59.999Z"),
        }
    }
}

impl std::error::Error for TimeError {}

impl FromStr for Timestamp {
    type Err = TimeError;

    fn from_str(text: &str) -> Result<Timestamp, TimeError> {
        Timestamp::parse(text)
    }
}

impl fmt::Display for Timestamp {
    /// `2026-12-07T01:02:03.004Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0 / DAY_MS;
        let in_day = self.0 % DAY_MS;
        // `days` < 2^64 / 86_400_000 fits an i64 with room to spare.
        let (year, month, day) = civil_from_days(days as i64);
        let (seconds, millis) = (in_day / 1000, in_day % 1000);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60,
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if *self > Timestamp::MAX {
            return Err(ser::Error::custom(TimeError::AfterMax));
        }
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}

/// Reads a [`Timestamp`] from a string.
struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp such as 2026-12-07T01:02:03.004Z")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        Timestamp::parse(text).map_err(E::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Timestamp {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        "assent_core::rights::time::Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date-time" })
    }
}

/// `count` ASCII digits at byte `at`, as a number.
fn digits(b: &[u8], at: usize, count: usize) -> Result<u32, TimeError> {
    let mut value = 0;
    for i in at..at + count {
        match b.get(i) {
            Some(d) if d.is_ascii_digit() => value = value * 10 + u32::from(d - b'0'),
            _ => {
                return Err(TimeError::Syntax {
                    at: i,
                    expected: "a digit",
                })
            }
        }
    }
    Ok(value)
}

/// The byte `want` at `at`.
fn punct(b: &[u8], at: usize, want: u8, expected: &'static str) -> Result<(), TimeError> {
    if b.get(at) == Some(&want) {
        Ok(())
    } else {
        Err(TimeError::Syntax { at, expected })
    }
}

/// Whether `year` of the proleptic Gregorian calendar has a 29 February.
fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1–12) of `year`.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = if month > 2 { month - 3 } else { month + 9 }; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (RFC 3339 text as written, Unix ms): each written back exactly.
    const CANONICAL: &[(&str, u64)] = &[
        ("1970-01-01T00:00:00.000Z", 0),
        ("1970-01-01T00:00:00.001Z", 1),
        ("1999-12-31T23:59:59.999Z", 946_684_799_999),
        ("2000-03-01T00:00:00.000Z", 951_868_800_000),
        ("2024-02-29T12:00:00.000Z", 1_709_208_000_000),
        ("2026-12-07T01:02:03.004Z", 1_796_605_323_004),
        ("2100-02-28T23:59:59.999Z", 4_107_542_399_999),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ];

    /// (accepted RFC 3339 text, its canonical form).
    const LENIENT: &[(&str, &str)] = &[
        ("2026-03-29T02:30:00+02:00", "2026-03-29T00:30:00.000Z"),
        ("2026-03-28T19:30:00-05:00", "2026-03-29T00:30:00.000Z"),
        ("2026-12-31T23:59:59.999-00:00", "2026-12-31T23:59:59.999Z"),
        ("2026-03-28T23:59:00.123-23:59", "2026-03-29T23:58:00.123Z"),
        ("1970-01-01T01:00:00+01:00", "1970-01-01T00:00:00.000Z"),
        ("2026-12-07t01:02:03z", "2026-12-07T01:02:03.000Z"),
        ("2026-12-07T01:02:03Z", "2026-12-07T01:02:03.000Z"),
        ("2026-12-07T01:02:03.5Z", "2026-12-07T01:02:03.500Z"),
        ("2026-12-07T01:02:03.04Z", "2026-12-07T01:02:03.040Z"),
        ("2026-12-07T01:02:03.999999999Z", "2026-12-07T01:02:03.999Z"),
        ("2026-12-07T01:02:03.0049+00:00", "2026-12-07T01:02:03.004Z"),
    ];

    /// (refused text, the error).
    const REFUSED: &[(&str, TimeError)] = &[
        ("", syntax(0, "a digit")),
        ("letters", syntax(0, "a digit")),
        (
            "2026-03-29T02:30:00",
            syntax(19, "`Z` or an offset such as `+02:00`"),
        ),
        ("2026-03-29T02:30", syntax(16, "`:`")),
        ("2026-03-29", syntax(10, "`T`")),
        ("2026-03-29 02:30:00Z", syntax(10, "`T`")),
        ("2026-3-29T02:30:00Z", syntax(6, "a digit")),
        ("2026-03-29T02:30:00+0200", syntax(22, "`:` in the offset")),
        ("2026-03-29T02:30:00+2:00", syntax(21, "a digit")),
        (
            "2026-03-29T02:30:00Zjunk",
            syntax(20, "the end of the timestamp"),
        ),
        (" 2026-03-29T02:30:00Z", syntax(0, "a digit")),
        ("2026-03-29T02:30:00.Z", syntax(20, "a fraction digit")),
        (
            "2026-03-29T02:30:00.1234567891Z",
            syntax(29, "`Z` or an offset after at most 9 fraction digits"),
        ),
        (
            "2026-03-29T02:30:00GMT",
            syntax(19, "`Z` or an offset such as `+02:00`"),
        ),
        ("2026-03-29T02:3O:00Z", syntax(15, "a digit")),
        ("２026-03-29T02:30:00Z", syntax(0, "a digit")),
        ("10000-01-01T00:00:00Z", syntax(4, "`-`")),
        ("2026-02-30T00:00:00Z", range("day")),
        ("2025-02-29T00:00:00Z", range("day")),
        ("2100-02-29T00:00:00Z", range("day")),
        ("2026-04-31T00:00:00Z", range("day")),
        ("2026-03-00T00:00:00Z", range("day")),
        ("2026-00-10T00:00:00Z", range("month")),
        ("2026-13-10T00:00:00Z", range("month")),
        ("2026-03-29T24:00:00Z", range("hour")),
        ("2026-03-29T23:60:00Z", range("minute")),
        ("2016-12-31T23:59:60Z", range("second")),
        ("2026-03-29T02:30:00+24:00", range("offset hour")),
        ("2026-03-29T02:30:00+02:60", range("offset minute")),
        ("1969-12-31T23:59:59.999Z", TimeError::BeforeEpoch),
        ("0000-01-01T00:00:00Z", TimeError::BeforeEpoch),
        ("1970-01-01T00:30:00+01:00", TimeError::BeforeEpoch),
        ("1969-12-31T23:00:00-01:00", TimeError::BeforeEpoch),
        ("9999-12-31T23:00:00-01:00", TimeError::AfterMax),
    ];

    const fn syntax(at: usize, expected: &'static str) -> TimeError {
        TimeError::Syntax { at, expected }
    }

    const fn range(field: &'static str) -> TimeError {
        TimeError::Range { field }
    }

    #[test]
    fn canonical_text_round_trips() {
        for &(text, ms) in CANONICAL {
            assert_eq!(Timestamp::parse(text), Ok(Timestamp(ms)), "{text}");
            assert_eq!(Timestamp(ms).to_string(), text);
            assert_eq!(text.parse::<Timestamp>(), Ok(Timestamp::from_ms(ms)));
            assert_eq!(Timestamp::from_ms(ms).as_ms(), ms);
        }
        assert_eq!(Timestamp::EPOCH.to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn offsets_fractions_and_lowercase_are_read() {
        for &(text, canonical) in LENIENT {
            let t = Timestamp::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(t.to_string(), canonical, "{text}");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        for &(text, error) in REFUSED {
            assert_eq!(Timestamp::parse(text), Err(error), "{text}");
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            syntax(19, "`Z` or an offset such as `+02:00`").to_string(),
            "not an RFC 3339 timestamp: expected `Z` or an offset such as `+02:00` at byte 19"
        );
        assert_eq!(
            range("day").to_string(),
            "not an RFC 3339 timestamp: day out of range"
        );
        assert_eq!(
            TimeError::BeforeEpoch.to_string(),
            "timestamp before 1970-01-01T00:00:00Z"
        );
        assert_eq!(
            TimeError::AfterMax.to_string(),
            "timestamp after 9999-12-31T23:59:59.999Z"
        );
    }

    /// Hinnant's algorithms agree with counting days one by one, 1970 to 2500.
    #[test]
    fn civil_conversion_agrees_with_counting_days() {
        let (mut year, mut month, mut day) = (1970, 1, 1);
        for days in 0..days_from_civil(2500, 1, 1) {
            assert_eq!(days_from_civil(i64::from(year), month, day), days);
            assert_eq!(civil_from_days(days), (i64::from(year), month, day));
            day += 1;
            if day > days_in_month(year, month) {
                (month, day) = (month + 1, 1);
                if month > 12 {
                    (year, month) = (year + 1, 1);
                }
            }
        }
        assert_eq!((year, month, day), (2500, 1, 1));
    }

    /// Every millisecond pattern survives display and parse, up to the last one.
    #[test]
    fn display_and_parse_round_trip() {
        let mut ms = 0;
        while ms <= Timestamp::MAX.0 {
            let t = Timestamp(ms);
            assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
            ms += 7_777_777_777; // about 90 days, never the same time of day
        }
        assert_eq!(
            Timestamp::parse(&Timestamp::MAX.to_string()),
            Ok(Timestamp::MAX)
        );
    }

    #[test]
    fn beyond_max_displays_a_long_year() {
        assert_eq!(
            Timestamp(Timestamp::MAX.0 + 1).to_string(),
            "10000-01-01T00:00:00.000Z"
        );
        // No overflow at the very end of u64.
        assert!(Timestamp(u64::MAX).to_string().ends_with("Z"));
    }

    #[test]
    fn serde_reads_strings_only() {
        use serde::de::value::{Error, StrDeserializer, U64Deserializer};
        use serde::de::IntoDeserializer;

        let text: StrDeserializer<Error> = "2026-03-29T02:30:00+02:00".into_deserializer();
        assert_eq!(
            Timestamp::deserialize(text),
            Ok(Timestamp(1_774_744_200_000))
        );

        let text: StrDeserializer<Error> = "2026-02-30T00:00:00Z".into_deserializer();
        assert_eq!(
            Timestamp::deserialize(text).unwrap_err().to_string(),
            "not an RFC 3339 timestamp: day out of range"
        );

        let number: U64Deserializer<Error> = 1_774_744_200_000_u64.into_deserializer();
        assert_eq!(
            Timestamp::deserialize(number).unwrap_err().to_string(),
            "invalid type: integer `1774744200000`, expected an RFC 3339 timestamp \
             such as 2026-12-07T01:02:03.004Z"
        );
    }

    #[cfg(feature = "policy-text")]
    #[test]
    fn json_is_the_canonical_text() {
        let t = Timestamp(1_796_605_323_004);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-12-07T01:02:03.004Z\""
        );
        assert_eq!(
            serde_json::from_str::<Timestamp>("\"2026-12-07T02:02:03.004+01:00\"").unwrap(),
            t
        );
        assert!(serde_json::from_str::<Timestamp>("\"2026-12-07T01:02:03\"")
            .unwrap_err()
            .to_string()
            .starts_with("not an RFC 3339 timestamp: expected `Z` or an offset"));
        assert!(serde_json::to_string(&Timestamp::MAX).is_ok());
        assert_eq!(
            serde_json::to_string(&Timestamp(Timestamp::MAX.0 + 1))
                .unwrap_err()
                .to_string(),
            "timestamp after 9999-12-31T23:59:59.999Z"
        );
    }

    #[cfg(feature = "schema")]
    #[test]
    fn schema_is_a_date_time_string() {
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<Timestamp>();
        let value = serde_json::to_value(&schema).unwrap();
        assert_eq!(value["type"], "string");
        assert_eq!(value["format"], "date-time");

        let inline = schemars::SchemaGenerator::default().subschema_for::<Timestamp>();
        assert_eq!(
            serde_json::to_value(&inline).unwrap(),
            serde_json::json!({ "type": "string", "format": "date-time" })
        );
    }
}
