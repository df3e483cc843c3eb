//! Periods as a policy writes them (`30 days`, `1 month`, `10 business
//! days`, `session`, `until-deleted`), read once: the lint checks their length
//! against the law's limits, and the notice names them in the reader's
//! language (`notice::labels`) instead of showing the file's English.

/// A unit of time a period counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Hours of the working day (`48 business hours`).
    BusinessHour,
    /// Days.
    Day,
    /// Working days (`10 business days`).
    BusinessDay,
    /// Weeks.
    Week,
    /// Calendar months.
    Month,
    /// Years.
    Year,
}

/// A period without a length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    /// Until the browser session ends.
    Session,
    /// The time of one transaction.
    Transaction,
    /// Until the person or the organisation deletes it.
    UntilDeleted,
}

/// A period read from a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// A number of units.
    Length(u32, Unit),
    /// A period named by a keyword.
    Keyword(Keyword),
}

impl Period {
    /// The period `text` names, or `None` when Assent cannot read it.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let keyword = match text {
            "session" => Some(Keyword::Session),
            "transaction" => Some(Keyword::Transaction),
            "until-deleted" => Some(Keyword::UntilDeleted),
            _ => None,
        };
        if let Some(keyword) = keyword {
            return Some(Period::Keyword(keyword));
        }
        let (number, unit) = text.split_once(' ')?;
        let amount: u32 = number.parse().ok()?;
        let unit = match unit.trim().trim_end_matches('s') {
            "minute" => Unit::Minute,
            "hour" => Unit::Hour,
            "business hour" => Unit::BusinessHour,
            "day" => Unit::Day,
            "business day" => Unit::BusinessDay,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => return None,
        };
        Some(Period::Length(amount, unit))
    }

    /// The longest the period can last in whole days (a month counts 31, a
    /// year 366, five business days a week); `None` for a keyword.
    pub fn max_days(self) -> Option<u32> {
        let Period::Length(n, unit) = self else {
            return None;
        };
        Some(match unit {
            Unit::Minute => n.div_ceil(24 * 60),
            Unit::Hour => n.div_ceil(24),
            Unit::BusinessHour => n.div_ceil(8).div_ceil(5).saturating_mul(7),
            Unit::Day => n,
            Unit::BusinessDay => n.div_ceil(5).saturating_mul(7),
            Unit::Week => n.saturating_mul(7),
            Unit::Month => n.saturating_mul(31),
            Unit::Year => n.saturating_mul(366),
        })
    }

    /// The longest the period can last in whole hours; `None` for a keyword.
    /// Business hours count as hours: the shortest reading, since a working
    /// day may be as long as the calendar day.
    pub fn max_hours(self) -> Option<u32> {
        match self {
            Period::Length(n, Unit::Minute) => Some(n.div_ceil(60)),
            Period::Length(n, Unit::Hour | Unit::BusinessHour) => Some(n),
            other => other.max_days().map(|days| days.saturating_mul(24)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_a_length_or_a_keyword() {
        let cases = [
            ("30 days", Some(Period::Length(30, Unit::Day))),
            ("1 month", Some(Period::Length(1, Unit::Month))),
            (
                " 10 business days ",
                Some(Period::Length(10, Unit::BusinessDay)),
            ),
            (
                "48 business hours",
                Some(Period::Length(48, Unit::BusinessHour)),
            ),
            (
                "until-deleted",
                Some(Period::Keyword(Keyword::UntilDeleted)),
            ),
            ("session", Some(Period::Keyword(Keyword::Session))),
            ("thirty days", None),
            ("30 fortnights", None),
            ("30", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Period::parse(text), expected, "{text}");
        }
    }

    #[test]
    fn lengths_are_bounded_from_above() {
        let days = |t: &str| Period::parse(t).unwrap().max_days();
        assert_eq!(days("30 days"), Some(30));
        assert_eq!(days("1 month"), Some(31));
        assert_eq!(days("2 years"), Some(732));
        assert_eq!(days("10 business days"), Some(14));
        assert_eq!(days("5 business days"), Some(7));
        assert_eq!(days("90 minutes"), Some(1));
        assert_eq!(days("0 hours"), Some(0));
        assert_eq!(days("until-deleted"), None);
        let hours = |t: &str| Period::parse(t).unwrap().max_hours();
        assert_eq!(hours("48 hours"), Some(48));
        assert_eq!(hours("3 days"), Some(72));
        assert_eq!(hours("90 minutes"), Some(2));
        assert_eq!(hours("48 business hours"), Some(48));
    }
}
