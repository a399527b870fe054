//! Calendar days as the Union writes them: dd/mm/yyyy on screen and in
//! files, ISO `YYYY-MM-DD` in storage (so that text order is date order).

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A text that is not a day that exists, as typed (the domain's errors
/// take it in as `OrgError::BadDate`, which says why in the reader's
/// language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDay(pub String);

/// A calendar day. Validity intervals are half-open `[from, to)`; an open
/// end is [`Day::FOREVER`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(NaiveDate);

impl Day {
    /// The open end of a validity interval.
    pub const FOREVER: Day = Day(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap());
    /// 14/10/1930, the founding of the Union: the start of units whose
    /// founding date nobody recorded (the legacy bootstrap).
    pub const UNION_FOUNDED: Day = Day(NaiveDate::from_ymd_opt(1930, 10, 14).unwrap());
    /// 1/7/2025, the day the two-level local government took effect.
    pub const REFORM_2025: Day = Day(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());

    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Day> {
        NaiveDate::from_ymd_opt(y, m, d).map(Day)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(&self, later: Day) -> i64 {
        (later.0 - self.0).num_days()
    }

    /// Today in Vietnam (UTC+7), whatever the server's own zone: a clerk's
    /// entry at 00:30 on the 4th is the 4th's, as the moments beside it
    /// show (`fmt::moment`).
    pub fn today() -> Day {
        let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
        Day(chrono::Utc::now().with_timezone(&vietnam).date_naive())
    }

    /// Parses `dd/mm/yyyy` (one-digit day and month allowed) or ISO
    /// `yyyy-mm-dd`, the two forms people and scripts type.
    pub fn parse(s: &str) -> Result<Day, DayError> {
        let s = s.trim();
        let bad = || DayError(s.to_string());
        let parts: Vec<&str> = if s.contains('/') {
            let p: Vec<&str> = s.split('/').collect();
            if p.len() != 3 || p[2].len() != 4 {
                return Err(bad());
            }
            vec![p[2], p[1], p[0]]
        } else {
            let p: Vec<&str> = s.split('-').collect();
            if p.len() != 3 || p[0].len() != 4 {
                return Err(bad());
            }
            p
        };
        let num = |t: &str| -> Result<u32, DayError> {
            if t.is_empty() || t.len() > 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        let (y, m, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        Day::from_ymd(y as i32, m, d).ok_or_else(bad)
    }

    /// A day typed in a form field: today when the field is left empty,
    /// else as [`Day::parse`] reads it; a day that does not exist is
    /// refused with the rule every form reports, naming the text.
    pub fn parse_or_today(s: &str) -> Result<Day, BadDay> {
        match s.trim() {
            "" => Ok(Day::today()),
            t => Day::parse(t).map_err(|_| BadDay(t.to_string())),
        }
    }

    /// Storage form, `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    pub fn from_iso(s: &str) -> Result<Day, DayError> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Day)
            .map_err(|_| DayError(s.to_string()))
    }

    pub fn year(&self) -> i32 {
        self.0.year()
    }

    /// Month and day of the month.
    pub fn month_day(&self) -> (u32, u32) {
        (self.0.month(), self.0.day())
    }

    /// `days` later (never past [`Day::FOREVER`]).
    pub fn plus_days(&self, days: i64) -> Day {
        self.0
            .checked_add_signed(chrono::Duration::days(days))
            .map(Day)
            .unwrap_or(Day::FOREVER)
            .min(Day::FOREVER)
    }

    /// The day before: the last day a unit ended at `self` was alive.
    pub fn pred(&self) -> Day {
        Day(self.0.pred_opt().expect("no day before the calendar start"))
    }
}

/// JSON carries the ISO form, which scripts sort and parse.
impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// Vietnamese form, `dd/mm/yyyy`.
impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%d/%m/%Y"))
    }
}

/// A text that is not a calendar day in `dd/mm/yyyy` form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date in dd/mm/yyyy form: {0:?}")]
pub struct DayError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_type() {
        assert_eq!(Day::parse("01/07/2025"), Ok(Day::REFORM_2025));
        assert_eq!(Day::parse("1/7/2025"), Ok(Day::REFORM_2025));
        assert_eq!(Day::parse("2025-07-01"), Ok(Day::REFORM_2025));
        assert_eq!(Day::REFORM_2025.to_string(), "01/07/2025");
        assert_eq!(Day::REFORM_2025.iso(), "2025-07-01");
    }

    #[test]
    fn refuses_days_that_do_not_exist() {
        for bad in [
            "31/02/2025",
            "00/01/2025",
            "1/13/2025",
            "1/1/25",
            "hôm nay",
            "",
            "1/1/2025/1",
        ] {
            assert!(Day::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
