//! Task deadlines as plans write them.

use super::period::{Period, PlanTextError, day, month_end, quarter_number, year_of};
use crate::{Day, fold};
use chrono::NaiveDate;
use std::fmt;

/// When a task is due, as plans write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// "20/12/2023".
    Date(Day),
    /// "tháng 12/2022": by the month's last day.
    Month { year: i32, month: u32 },
    /// "quý II/2024": by the quarter's last day.
    Quarter { year: i32, quarter: u32 },
    /// "năm 2030": by 31/12.
    Year(i32),
    /// "hằng năm trước ngày 15/11": every year, before that day.
    EveryYearBefore { day: u32, month: u32 },
    /// "Thường xuyên": no date; never overdue.
    Ongoing,
}

impl Deadline {
    /// Reads the forms found in the plans: a date, "tháng M/YYYY",
    /// "quý II/2024" (possibly after "Hoàn thành trong"), "năm 2030",
    /// "trước ngày 15/11 hằng năm" or "hằng năm trước ngày 15/11", and
    /// "Thường xuyên". Case and accents do not matter.
    pub fn parse(text: &str) -> Result<Deadline, PlanTextError> {
        let bad = || PlanTextError(text.to_string());
        let folded = fold(text);
        let words: String = folded.trim().trim_end_matches('.').to_string();
        if words.contains("thuong xuyen") {
            return Ok(Deadline::Ongoing);
        }
        if words.contains("hang nam") {
            let at = words.find("truoc ngay").ok_or_else(bad)? + "truoc ngay".len();
            let rest: String = words[at..]
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '/')
                .collect();
            let (d, m) = rest.split_once('/').ok_or_else(bad)?;
            let (d, m): (u32, u32) = (d.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
            NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
            return Ok(Deadline::EveryYearBefore { day: d, month: m });
        }
        if let Some(at) = words.find("quy ") {
            let rest = &words[at + 4..];
            let (q, y) = rest.split_once('/').ok_or_else(bad)?;
            let y: String = y.chars().take_while(char::is_ascii_digit).collect();
            let quarter = quarter_number(q).ok_or_else(bad)?;
            return Ok(Deadline::Quarter {
                year: year_of(&y).ok_or_else(bad)?,
                quarter,
            });
        }
        if let Some(at) = words.find("thang ") {
            let rest = &words[at + 6..];
            let (m, y) = rest.split_once('/').ok_or_else(bad)?;
            let y: String = y.chars().take_while(char::is_ascii_digit).collect();
            let month: u32 = m.trim().parse().map_err(|_| bad())?;
            if !(1..=12).contains(&month) {
                return Err(bad());
            }
            return Ok(Deadline::Month {
                year: year_of(&y).ok_or_else(bad)?,
                month,
            });
        }
        if let Some(at) = words.find("nam ") {
            let y: String = words[at + 4..]
                .trim()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            return year_of(&y).map(Deadline::Year).ok_or_else(bad);
        }
        // A date somewhere in the text ("trước ngày 20/12/2023").
        let date: String = words
            .split_whitespace()
            .find(|w| w.matches('/').count() == 2)
            .unwrap_or(&words)
            .to_string();
        Day::parse(&date).map(Deadline::Date).map_err(|_| bad())
    }

    /// The day by which the task is due, seen on `today`: for a yearly
    /// task, this year's occurrence, or next year's once this year's has
    /// passed. `None` for ongoing tasks. A "before 15/11" task is due on
    /// 14/11.
    pub fn due(&self, today: Day) -> Option<Day> {
        match *self {
            Deadline::Date(d) => Some(d),
            Deadline::Month { year, month } => Some(month_end(year, month)),
            Deadline::Quarter { year, quarter } => Some(month_end(year, quarter * 3)),
            Deadline::Year(year) => Some(day(year, 12, 31)),
            Deadline::EveryYearBefore { day: d, month } => {
                let this_year = day(today.year(), month, d).pred();
                Some(if this_year >= today {
                    this_year
                } else {
                    day(today.year() + 1, month, d).pred()
                })
            }
            Deadline::Ongoing => None,
        }
    }

    /// Whether a task not done is late on `today`. A yearly task is late
    /// when this year's day has passed without the year's report: the
    /// caller says whether this year's occurrence was done.
    pub fn overdue(&self, today: Day, done_this_year: bool) -> bool {
        match *self {
            Deadline::Ongoing => false,
            Deadline::EveryYearBefore { day: d, month } => !done_this_year && day(today.year(), month, d) <= today,
            _ => self.due(today).is_some_and(|due| due < today),
        }
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Deadline::Date(d) => write!(f, "{d}"),
            Deadline::Month { year, month } => write!(f, "tháng {month}/{year}"),
            Deadline::Quarter { year, quarter } => write!(f, "{}", Period::Quarter { year, quarter }),
            Deadline::Year(year) => write!(f, "năm {year}"),
            Deadline::EveryYearBefore { day, month } => write!(f, "hằng năm trước ngày {day:02}/{month:02}"),
            Deadline::Ongoing => write!(f, "thường xuyên"),
        }
    }
}
