//! Deadlines of data-subject requests in the controller's time zone (GDPR Art 12(3)).
//!
//! GDPR Art 12(3) gives the controller "one month of receipt of the request",
//! "extended by two further months where necessary". The GDPR does not say
//! how to count a month; Regulation (EEC, Euratom) No 1182/71 (the rules
//! applicable to periods, dates and time limits of EU acts) does, and the
//! EDPB's Guidelines 01/2022 on the right of access (§§ 157–160) apply it to
//! Art 12(3):
//!
//! - Art 3(1): the day of receipt is not counted; Art 3(2)(c): a period in
//!   months ends with the expiry of the last hour of the day in the last
//!   month that has the same date as the day of receipt, or, when that month
//!   has no such date, of its last day (31 January + 1 month = 28 or 29 February).
//! - Art 3(4): when the last day is a public holiday, a Saturday or a Sunday,
//!   the period ends with the expiry of the last hour of the following working day.
//!
//! A day is a calendar day in the controller's time zone ([`Deadlines::new`]):
//! a request received at 2026-01-31T23:30:00Z was received on 1 February in
//! Paris. The time zone database is jiff's bundled copy of the IANA database,
//! never the system's, so nothing here reads a file.
//!
//! The grace period of an erasure and the erasure of voice data are our own
//! promises, not legal periods: 30 calendar days at the same local wall-clock
//! time, with no weekend rule ([`Deadlines::grace_end`], [`Deadlines::voice_erasure_by`]).
//!
//! Every function returns a [`Timestamp`], never an error: a deadline that
//! would fall after [`Timestamp::MAX`] (9999-12-31T23:59:59.999Z), or an input
//! beyond it, gives [`Timestamp::MAX`].

use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::{ToSpan, Zoned};

use super::time::Timestamp;

/// Days between an erasure request and the erasure of the account (the grace period).
pub const GRACE_DAYS: i64 = 30;
/// Days within which voice data (special-category) is erased once consent to it is withdrawn.
pub const VOICE_ERASURE_DAYS: i64 = 30;

/// The controller's time zone, which decides on which calendar day a period ends.
#[derive(Clone, Debug)]
pub struct Deadlines {
    /// The zone, from the bundled IANA database.
    zone: TimeZone,
    /// Its IANA name as the database spells it.
    name: String,
}

impl Deadlines {
    /// `zone`: an IANA name such as "Europe/Paris" (bundled tz database); error if unknown.
    ///
    /// The name is matched without regard to ASCII case (`europe/paris`);
    /// [`Deadlines::zone`] gives it as the database spells it. `Etc/Unknown`
    /// is refused like any unknown name.
    pub fn new(zone: &str) -> Result<Deadlines, DeadlineError> {
        let unknown = || DeadlineError::UnknownZone(zone.to_owned());
        // The bundled database explicitly, not `jiff::tz::db()`: the global
        // one would read /usr/share/zoneinfo if another crate of a build
        // turned on jiff's `tzdb-zoneinfo` feature.
        let tz = TimeZoneDatabase::bundled()
            .get(zone)
            .map_err(|_| unknown())?;
        if tz.is_unknown() {
            return Err(unknown());
        }
        let name = tz.iana_name().unwrap_or(zone).to_owned();
        Ok(Deadlines { zone: tz, name })
    }

    /// The IANA name of the controller's time zone, such as `Europe/Paris`.
    pub fn zone(&self) -> &str {
        &self.name
    }

    /// GDPR Art 12(3): the date by which a request received at `received` must be answered:
    /// one month, or three months when `extended` (the two-month extension).
    ///
    /// Counted as Regulation 1182/71 counts (module documentation): from the
    /// day of receipt in the controller's zone to the same date in the month
    /// one (or three) later, or that month's last day when it has no such
    /// date; a Saturday or Sunday moves the end to the following Monday. The
    /// result is the last millisecond of that day in the controller's zone
    /// (23:59:59.999 local). The extended period is three months from
    /// receipt, not one month and then two: received 31 January, it ends on
    /// 30 April, not 28 April.
    ///
    /// Public holidays, which Art 3(4) also skips, differ per country and
    /// region and are not modelled: a period that ends on one ends there.
    pub fn answer_by(&self, received: Timestamp, extended: bool) -> Timestamp {
        let months = if extended { 3 } else { 1 };
        let Some(received) = self.zoned(received) else {
            return Timestamp::MAX;
        };
        // jiff's month arithmetic keeps the day of the month, or takes the
        // last day of a shorter month: Art 3(2)(c).
        let Ok(last) = received.date().checked_add(months.months()) else {
            return Timestamp::MAX;
        };
        let last = match last.weekday() {
            Weekday::Saturday => last.checked_add(2.days()),
            Weekday::Sunday => last.checked_add(1.days()),
            _ => Ok(last),
        };
        match last {
            Ok(last) => self.end_of(last),
            Err(_) => Timestamp::MAX,
        }
    }

    /// The end of the 30-day grace period of an erasure requested at `requested` (the account is erased then).
    ///
    /// [`GRACE_DAYS`] calendar days in the controller's zone at the same
    /// local wall-clock time, so across a change to or from summer time the
    /// period is an hour shorter or longer than 30 × 24 hours. A wall-clock
    /// time that the last day skips (02:30 on the last Sunday of March in
    /// Paris) moves forward by the length of the gap (to 03:30); one it
    /// repeats is its first occurrence. No weekend rule: this is our own
    /// promise, not a legal period.
    pub fn grace_end(&self, requested: Timestamp) -> Timestamp {
        self.days_later(requested, GRACE_DAYS)
    }

    /// The latest moment voice data (special-category, withdrawn at `withdrawn`) may still exist: 30 days.
    ///
    /// [`VOICE_ERASURE_DAYS`] calendar days, counted as [`Deadlines::grace_end`] counts.
    pub fn voice_erasure_by(&self, withdrawn: Timestamp) -> Timestamp {
        self.days_later(withdrawn, VOICE_ERASURE_DAYS)
    }

    /// `t` in the controller's zone; `None` when jiff cannot represent it.
    fn zoned(&self, t: Timestamp) -> Option<Zoned> {
        let ms = i64::try_from(t.as_ms()).ok()?;
        let t = jiff::Timestamp::from_millisecond(ms).ok()?;
        Some(t.to_zoned(self.zone.clone()))
    }

    /// The last millisecond of `day` in the controller's zone: the start of
    /// the next day (which jiff finds even when midnight is skipped), less 1 ms.
    fn end_of(&self, day: Date) -> Timestamp {
        match day
            .tomorrow()
            .and_then(|next| next.to_zoned(self.zone.clone()))
        {
            Ok(next) => from_jiff(next.timestamp().as_millisecond() - 1),
            Err(_) => Timestamp::MAX,
        }
    }

    /// `days` calendar days after `t` in the controller's zone, same wall-clock time.
    fn days_later(&self, t: Timestamp, days: i64) -> Timestamp {
        self.zoned(t)
            .and_then(|z| z.checked_add(days.days()).ok())
            .map_or(Timestamp::MAX, |z| {
                from_jiff(z.timestamp().as_millisecond())
            })
    }
}

/// Unix milliseconds from jiff as a [`Timestamp`], at most [`Timestamp::MAX`].
fn from_jiff(ms: i64) -> Timestamp {
    // Deadlines come after their (non-negative) inputs, so `ms` is never negative.
    Timestamp(u64::try_from(ms).unwrap_or(0).min(Timestamp::MAX.as_ms()))
}

/// Why a [`Deadlines`] could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeadlineError {
    /// The name is not in the bundled IANA time zone database.
    UnknownZone(String),
}

impl fmt::Display for DeadlineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeadlineError::UnknownZone(zone) => write!(f, "unknown time zone {zone:?}"),
        }
    }
}

impl std::error::Error for DeadlineError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// (received, controller's zone, expected end): each worked out by hand,
    /// weekdays and offsets checked with Python's `zoneinfo`.
    type Case = (&'static str, &'static str, &'static str);

    const PARIS: &str = "Europe/Paris";
    const NEW_YORK: &str = "America/New_York";
    const TOKYO: &str = "Asia/Tokyo";

    /// GDPR Art 12(3) with Regulation 1182/71 Art 3(2)(c): one month, same date.
    /// Paris is +01:00 until 2026-03-29 and +02:00 until 2026-10-25
    /// (2024: 31 March to 27 October), so 23:59:59.999 local is 22:59:59.999Z
    /// in winter and 21:59:59.999Z in summer.
    const ONE_MONTH: &[Case] = &[
        // Fri 6 Mar → Mon 6 Apr (summer time by then).
        ("2026-03-06T10:00:00Z", PARIS, "2026-04-06T21:59:59.999Z"),
        // Leap day: Thu 29 Feb 2024 → Fri 29 Mar 2024 (still winter time).
        ("2024-02-29T12:00:00Z", PARIS, "2024-03-29T22:59:59.999Z"),
        // 30 and 31 March both end on Thu 30 April.
        ("2026-03-30T08:00:00Z", PARIS, "2026-04-30T21:59:59.999Z"),
        ("2026-03-31T08:00:00Z", PARIS, "2026-04-30T21:59:59.999Z"),
        // Mon 31 Aug → Wed 30 Sep.
        ("2026-08-31T08:00:00Z", PARIS, "2026-09-30T21:59:59.999Z"),
        // Year end: Tue 15 Dec 2026 → Fri 15 Jan 2027.
        ("2026-12-15T10:00:00Z", PARIS, "2027-01-15T22:59:59.999Z"),
        ("2026-12-15T10:00:00Z", "UTC", "2027-01-15T23:59:59.999Z"),
        // 21:59:59.999Z is still 5 April in Paris → Tue 5 May; 22:00Z is
        // 6 April → Wed 6 May.
        (
            "2026-04-05T21:59:59.999Z",
            PARIS,
            "2026-05-05T21:59:59.999Z",
        ),
        ("2026-04-05T22:00:00Z", PARIS, "2026-05-06T21:59:59.999Z"),
    ];

    /// Art 3(2)(c), second half: no such date in the last month, its last day.
    const MONTH_END: &[Case] = &[
        // 31 Jan 2024 → Thu 29 Feb 2024 (leap year).
        ("2024-01-31T12:00:00Z", PARIS, "2024-02-29T22:59:59.999Z"),
        // 31 Jan 2025 → Fri 28 Feb 2025.
        ("2025-01-31T12:00:00Z", PARIS, "2025-02-28T22:59:59.999Z"),
    ];

    /// Art 3(4): a period ending on a Saturday or Sunday ends on the Monday.
    const WEEKEND: &[Case] = &[
        // 30 Jan 2026 → Sat 28 Feb (no 30 Feb) → Mon 2 Mar.
        ("2026-01-30T12:00:00Z", PARIS, "2026-03-02T22:59:59.999Z"),
        // 1 Feb → Sun 1 Mar → Mon 2 Mar.
        ("2026-02-01T10:00:00Z", PARIS, "2026-03-02T22:59:59.999Z"),
        // 23:30Z on 31 Jan is 00:30 on 1 Feb in Paris → Sun 1 Mar → Mon 2 Mar.
        ("2026-01-31T23:30:00Z", PARIS, "2026-03-02T22:59:59.999Z"),
        // New York (west of UTC): 03:00Z on 1 Mar is 22:00 on Sat 28 Feb
        // there → Sat 28 Mar → Mon 30 Mar, summer time (-04:00) since 8 Mar,
        // so the period ends on 31 Mar in UTC.
        ("2026-03-01T03:00:00Z", NEW_YORK, "2026-03-31T03:59:59.999Z"),
        // Tokyo (+09:00, east of Paris): 16:00Z on 30 Apr is 01:00 on 1 May
        // there → Mon 1 Jun; 14:59:59.999Z is still 30 Apr → Sat 30 May → Mon 1 Jun.
        ("2026-04-30T16:00:00Z", TOKYO, "2026-06-01T14:59:59.999Z"),
        (
            "2026-04-30T14:59:59.999Z",
            TOKYO,
            "2026-06-01T14:59:59.999Z",
        ),
    ];

    /// Art 12(3) extended: three months from receipt, then the same rules.
    const EXTENDED: &[Case] = &[
        // 31 Jan → Thu 30 Apr (one month then two would give 28 Apr).
        ("2026-01-31T12:00:00Z", PARIS, "2026-04-30T21:59:59.999Z"),
        // 1 Feb in Paris → Fri 1 May (a public holiday in France, not
        // modelled); in UTC still 31 Jan → Thu 30 Apr.
        ("2026-01-31T23:30:00Z", PARIS, "2026-05-01T21:59:59.999Z"),
        ("2026-01-31T23:30:00Z", "UTC", "2026-04-30T23:59:59.999Z"),
        // Year end: 15 Dec 2026 → Mon 15 Mar 2027 (winter time until 28 Mar).
        ("2026-12-15T10:00:00Z", PARIS, "2027-03-15T22:59:59.999Z"),
        // 30 Nov 2025 → Sat 28 Feb 2026 (no 30 Feb) → Mon 2 Mar.
        ("2025-11-30T12:00:00Z", PARIS, "2026-03-02T22:59:59.999Z"),
        // 30 Nov 2023 → Thu 29 Feb 2024 (leap year).
        ("2023-11-30T12:00:00Z", PARIS, "2024-02-29T22:59:59.999Z"),
        // New York: 02:00Z on 1 Aug is 22:00 on Fri 31 Jul there → Sat 31 Oct
        // → Mon 2 Nov, winter time (-05:00) since 1 Nov.
        ("2026-08-01T02:00:00Z", NEW_YORK, "2026-11-03T04:59:59.999Z"),
        // Tokyo: 6 Mar → Sat 6 Jun → Mon 8 Jun.
        ("2026-03-06T10:00:00Z", TOKYO, "2026-06-08T14:59:59.999Z"),
    ];

    /// 30 calendar days at the same local wall-clock time, no weekend rule.
    const THIRTY_DAYS: &[Case] = &[
        // Across the March change in Paris: 12:00 CET → 12:00 CEST, 29 days
        // 23 hours later in UTC.
        ("2026-03-10T11:00:00Z", PARIS, "2026-04-09T10:00:00.000Z"),
        (
            "2026-03-10T11:00:00.123Z",
            PARIS,
            "2026-04-09T10:00:00.123Z",
        ),
        // Across the October change: 12:00 CEST → 12:00 CET, 30 days 1 hour.
        ("2026-10-10T10:00:00Z", PARIS, "2026-11-09T11:00:00.000Z"),
        // 02:30 CET on 27 Feb → 02:30 on 29 Mar does not exist → 03:30 CEST.
        ("2026-02-27T01:30:00Z", PARIS, "2026-03-29T01:30:00.000Z"),
        // 02:30 CEST on 25 Sep → 02:30 on 25 Oct happens twice → the first (CEST).
        ("2026-09-25T00:30:00Z", PARIS, "2026-10-25T00:30:00.000Z"),
        // 00:30 CEST on 2 Oct → 00:30 CET on Sun 1 Nov: still 31 Oct in UTC.
        ("2026-10-01T22:30:00Z", PARIS, "2026-10-31T23:30:00.000Z"),
        // 00:30 on 1 Feb in Paris → 00:30 on 3 Mar.
        ("2026-01-31T23:30:00Z", PARIS, "2026-03-02T23:30:00.000Z"),
        // Year end: 15 Dec 2026 → 14 Jan 2027.
        ("2026-12-15T10:00:00Z", PARIS, "2027-01-14T10:00:00.000Z"),
        // Leap year: 15 Feb 2024 → 16 Mar 2024.
        ("2024-02-15T12:00:00Z", PARIS, "2024-03-16T12:00:00.000Z"),
        // Ends on Sat 7 Mar: stays there.
        ("2026-02-05T12:00:00Z", PARIS, "2026-03-07T12:00:00.000Z"),
        // New York: 12:00 EST → 12:00 EDT on 22 Mar (summer time since 8 Mar).
        ("2026-02-20T17:00:00Z", NEW_YORK, "2026-03-22T16:00:00.000Z"),
        // Tokyo has no summer time: exactly 30 × 24 hours.
        ("2026-03-10T03:00:00Z", TOKYO, "2026-04-09T03:00:00.000Z"),
    ];

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn check(cases: &[Case], rule: impl Fn(&Deadlines, Timestamp) -> Timestamp) {
        for &(received, zone, expected) in cases {
            let deadlines = Deadlines::new(zone).unwrap();
            assert_eq!(
                rule(&deadlines, ts(received)).to_string(),
                expected,
                "received {received} in {zone}"
            );
        }
    }

    #[test]
    fn art_12_3_one_month_ends_on_the_same_date() {
        check(ONE_MONTH, |d, t| d.answer_by(t, false));
    }

    #[test]
    fn art_3_2_c_a_month_without_that_date_ends_on_its_last_day() {
        check(MONTH_END, |d, t| d.answer_by(t, false));
    }

    #[test]
    fn art_3_4_a_period_ending_on_a_weekend_ends_on_monday() {
        check(WEEKEND, |d, t| d.answer_by(t, false));
    }

    #[test]
    fn art_12_3_extended_is_three_months_from_receipt() {
        check(EXTENDED, |d, t| d.answer_by(t, true));
    }

    #[test]
    fn grace_is_thirty_calendar_days_at_the_same_wall_clock_time() {
        check(THIRTY_DAYS, Deadlines::grace_end);
    }

    #[test]
    fn voice_erasure_is_thirty_calendar_days_at_the_same_wall_clock_time() {
        check(THIRTY_DAYS, Deadlines::voice_erasure_by);
    }

    #[test]
    fn a_day_ends_at_its_last_millisecond() {
        let paris = Deadlines::new("Europe/Paris").unwrap();
        let end = paris.answer_by(ts("2026-03-06T10:00:00Z"), false);
        assert_eq!(end.as_ms() + 1, ts("2026-04-06T22:00:00Z").as_ms());
    }

    #[test]
    fn zones_are_iana_names_from_the_bundled_database() {
        let paris = Deadlines::new("Europe/Paris").unwrap();
        assert_eq!(paris.zone(), "Europe/Paris");
        assert_eq!(
            Deadlines::new("europe/PARIS").unwrap().zone(),
            "Europe/Paris"
        );
        assert_eq!(Deadlines::new("UTC").unwrap().zone(), "UTC");
        for unknown in [
            "Europe/Pari",
            "",
            "Etc/Unknown",
            "CET-1CEST",
            "+02:00",
            "Mars/Olympus",
        ] {
            assert_eq!(
                Deadlines::new(unknown).unwrap_err(),
                DeadlineError::UnknownZone(unknown.to_owned()),
                "{unknown:?}"
            );
        }
        assert_eq!(
            Deadlines::new("Europe/Pari").unwrap_err().to_string(),
            "unknown time zone \"Europe/Pari\""
        );
    }

    #[test]
    fn deadlines_past_year_9999_are_the_last_timestamp() {
        let new_york = Deadlines::new("America/New_York").unwrap();
        let late = ts("9999-12-01T00:00:00Z");
        assert_eq!(new_york.answer_by(late, false), Timestamp::MAX);
        assert_eq!(new_york.answer_by(late, true), Timestamp::MAX);
        assert_eq!(
            new_york.grace_end(ts("9999-12-15T00:00:00Z")),
            Timestamp::MAX
        );
        for beyond in [Timestamp(Timestamp::MAX.as_ms() + 1), Timestamp(u64::MAX)] {
            assert_eq!(new_york.answer_by(beyond, false), Timestamp::MAX);
            assert_eq!(new_york.voice_erasure_by(beyond), Timestamp::MAX);
        }
    }
}
