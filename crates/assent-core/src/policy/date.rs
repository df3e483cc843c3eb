//! Calendar dates as a policy writes them (`2026-05-01`), and periods added
//! to them: when a sub-processor change announced on one day takes effect,
//! and until when a customer may object. Days since 1970-01-01 by Howard
//! Hinnant's civil-date algorithm; months end on the last day when the day
//! does not exist (31 January + 1 month = 28 or 29 February).

use std::fmt;

use super::period::{Period, Unit};

/// A day of the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// The date `text` (`YYYY-MM-DD`) names, if it is one.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let date = Date {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && (1..=days_in_month(date.year, date.month)).contains(&date.day);
        valid.then_some(date)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The day `period` after this one; `None` for a period without a length.
    pub fn after(self, period: Period) -> Option<Date> {
        let Period::Length(n, unit) = period else {
            return None;
        };
        let n = i64::from(n);
        Some(match unit {
            Unit::Minute | Unit::Hour | Unit::BusinessHour => self,
            Unit::Day => Date::from_days(self.days() + n),
            Unit::Week => Date::from_days(self.days() + 7 * n),
            Unit::BusinessDay => self.after_business_days(n),
            Unit::Month => self.after_months(n),
            Unit::Year => self.after_months(12 * n),
        })
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days() - self.days()
    }

    fn after_months(self, n: i64) -> Date {
        let months = i64::from(self.year) * 12 + i64::from(self.month) - 1 + n;
        let year = months.div_euclid(12) as i32;
        let month = (months.rem_euclid(12) + 1) as u32;
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    fn after_business_days(self, n: i64) -> Date {
        let mut days = self.days();
        let mut left = n;
        while left > 0 {
            days += 1;
            // 1970-01-01 was a Thursday: 0 Thursday … 2 Saturday, 3 Sunday.
            if !matches!(days.rem_euclid(7), 2 | 3) {
                left -= 1;
            }
        }
        Date::from_days(days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn dates_read_and_write_back_and_count_days() {
        assert_eq!(date("1970-01-01").days(), 0);
        assert_eq!(date("2026-05-01").to_string(), "2026-05-01");
        for text in ["2000-02-29", "2024-12-31", "1969-12-31", "2100-03-01"] {
            assert_eq!(Date::from_days(date(text).days()), date(text), "{text}");
        }
        for bad in [
            "2026-02-30",
            "2025-13-01",
            "2026-5-1",
            "1 May 2026",
            "",
            "2100-02-29",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(date("2026-05-01").days_until(date("2026-05-31")), 30);
    }

    #[test]
    fn periods_are_added_on_the_calendar() {
        let after = |from: &str, period: &str| {
            date(from)
                .after(Period::parse(period).unwrap())
                .map(|d| d.to_string())
        };
        let cases = [
            ("2026-05-01", "30 days", "2026-05-31"),
            ("2026-12-15", "30 days", "2027-01-14"),
            ("2026-01-31", "1 month", "2026-02-28"),
            ("2028-01-31", "1 month", "2028-02-29"),
            ("2026-11-30", "2 weeks", "2026-12-14"),
            ("2024-02-29", "1 year", "2025-02-28"),
            // Friday 2026-12-04 + 1 business day: Monday.
            ("2026-12-04", "1 business day", "2026-12-07"),
            ("2026-12-07", "10 business days", "2026-12-21"),
        ];
        for (from, period, expected) in cases {
            assert_eq!(
                after(from, period).as_deref(),
                Some(expected),
                "{from} + {period}"
            );
        }
        assert_eq!(after("2026-05-01", "until-deleted"), None);
    }
}
