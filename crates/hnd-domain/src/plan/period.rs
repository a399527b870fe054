//! Reporting periods (kỳ báo cáo) and their cut-offs.

use crate::{Day, fold};
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// How a period's days are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cutoff {
    /// State statistical cut-offs (Decree 09/2019/NĐ-CP): a month runs from
    /// the 15th of the month before to the 14th; a year from 15/12 of the
    /// year before to 14/12. The default.
    #[default]
    Statistical,
    /// Calendar months, quarters and years.
    Calendar,
}

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month {
        year: i32,
        month: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    /// The first six months (sơ kết).
    FirstHalf {
        year: i32,
    },
    NineMonths {
        year: i32,
    },
    Year {
        year: i32,
    },
}

/// Why a text is not a period or a deadline.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a period or deadline: {0}")]
pub struct PlanTextError(pub String);

pub(super) fn day(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).expect("a real day")
}

/// The last day of month `m` of year `y`.
pub(super) fn month_end(y: i32, m: u32) -> Day {
    let first_next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    }
    .expect("a real day");
    let last = first_next.pred_opt().expect("a real day");
    day(last.year(), last.month(), last.day())
}

/// Roman numerals I–IV as quarters write them ("quý II/2024").
pub(super) fn quarter_number(text: &str) -> Option<u32> {
    match text.trim().to_ascii_uppercase().as_str() {
        "I" | "1" => Some(1),
        "II" | "2" => Some(2),
        "III" | "3" => Some(3),
        "IV" | "4" => Some(4),
        _ => None,
    }
}

pub(super) fn year_of(text: &str) -> Option<i32> {
    let y: i32 = text.trim().parse().ok()?;
    (1930..=2200).contains(&y).then_some(y)
}

impl Period {
    /// The first and last day (inclusive) under `cutoff`.
    pub fn range(&self, cutoff: Cutoff) -> (Day, Day) {
        // The first month and the last month of the period.
        let (y, first, last) = match *self {
            Period::Month { year, month } => (year, month, month),
            Period::Quarter { year, quarter } => (year, quarter * 3 - 2, quarter * 3),
            Period::FirstHalf { year } => (year, 1, 6),
            Period::NineMonths { year } => (year, 1, 9),
            Period::Year { year } => (year, 1, 12),
        };
        match cutoff {
            Cutoff::Calendar => (day(y, first, 1), month_end(y, last)),
            Cutoff::Statistical => {
                let start = if first == 1 {
                    day(y - 1, 12, 15)
                } else {
                    day(y, first - 1, 15)
                };
                (start, day(y, last, 14))
            }
        }
    }

    /// "2024", "quý II/2024", "Q2/2024", "6 tháng/2024", "9 tháng/2024",
    /// "tháng 3/2024", "T3/2024", or a [`Period::code`] ("2024-Q2").
    pub fn parse(text: &str) -> Result<Period, PlanTextError> {
        if let Some(period) = Period::from_code(text) {
            return Ok(period);
        }
        let bad = || PlanTextError(text.to_string());
        let folded = fold(text).replace(' ', "");
        let (head, year) = match folded.rsplit_once('/') {
            Some((h, y)) => (h.to_string(), year_of(y).ok_or_else(bad)?),
            None => {
                // As `Display` writes them: "năm 2024", "6 tháng đầu năm 2024", "9 tháng đầu năm 2024".
                for (prefix, make) in [
                    ("6thangdaunam", (|year| Period::FirstHalf { year }) as fn(i32) -> Period),
                    ("9thangdaunam", |year| Period::NineMonths { year }),
                    ("nam", |year| Period::Year { year }),
                    ("", |year| Period::Year { year }),
                ] {
                    if let Some(y) = folded.strip_prefix(prefix).and_then(year_of) {
                        return Ok(make(y));
                    }
                }
                return Err(bad());
            }
        };
        if let Some(q) = head.strip_prefix("quy").or_else(|| head.strip_prefix('q')) {
            let quarter = quarter_number(q).ok_or_else(bad)?;
            return Ok(Period::Quarter { year, quarter });
        }
        match head.as_str() {
            "6thang" | "6t" | "6thangdaunam" => return Ok(Period::FirstHalf { year }),
            "9thang" | "9t" => return Ok(Period::NineMonths { year }),
            "nam" => return Ok(Period::Year { year }),
            _ => {}
        }
        if let Some(m) = head.strip_prefix("thang").or_else(|| head.strip_prefix('t')) {
            let month: u32 = m.parse().map_err(|_| bad())?;
            if (1..=12).contains(&month) {
                return Ok(Period::Month { year, month });
            }
        }
        Err(bad())
    }

    /// The period a [`Period::code`] names (`2024`, `2024-Q2`, `2024-H1`,
    /// `2024-9M`, `2024-03`), as an address carries it.
    pub fn from_code(code: &str) -> Option<Period> {
        let (year, rest) = match code.trim().split_once('-') {
            Some((y, rest)) => (year_of(y)?, rest),
            None => return year_of(code).map(|year| Period::Year { year }),
        };
        match rest.to_ascii_uppercase().as_str() {
            "H1" => Some(Period::FirstHalf { year }),
            "9M" => Some(Period::NineMonths { year }),
            q if q.starts_with('Q') => match q[1..].parse() {
                Ok(quarter @ 1..=4) => Some(Period::Quarter { year, quarter }),
                _ => None,
            },
            m if m.len() == 2 => match m.parse() {
                Ok(month @ 1..=12) => Some(Period::Month { year, month }),
                _ => None,
            },
            _ => None,
        }
    }

    /// The period before this one that a figure is compared with: the
    /// month or quarter before, the year before; a first half or nine
    /// months is compared with the same months of the year before.
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month { year, month: month - 1 },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::FirstHalf { year } => Period::FirstHalf { year: year - 1 },
            Period::NineMonths { year } => Period::NineMonths { year: year - 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// The period's year.
    pub fn year(&self) -> i32 {
        match *self {
            Period::Year { year }
            | Period::Quarter { year, .. }
            | Period::FirstHalf { year }
            | Period::NineMonths { year }
            | Period::Month { year, .. } => year,
        }
    }

    /// A short stable code: `2024`, `2024-Q2`, `2024-H1`, `2024-9M`, `2024-03`.
    pub fn code(&self) -> String {
        match *self {
            Period::Year { year } => year.to_string(),
            Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Period::FirstHalf { year } => format!("{year}-H1"),
            Period::NineMonths { year } => format!("{year}-9M"),
            Period::Month { year, month } => format!("{year}-{month:02}"),
        }
    }
}

impl fmt::Display for Period {
    /// As Vietnamese documents write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
        match *self {
            Period::Year { year } => write!(f, "năm {year}"),
            Period::Quarter { year, quarter } => write!(f, "quý {}/{year}", ROMAN[quarter as usize - 1]),
            Period::FirstHalf { year } => write!(f, "6 tháng đầu năm {year}"),
            Period::NineMonths { year } => write!(f, "9 tháng đầu năm {year}"),
            Period::Month { year, month } => write!(f, "tháng {month}/{year}"),
        }
    }
}
