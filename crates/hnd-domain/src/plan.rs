//! Plans as types: reporting periods with their cut-offs, task deadlines
//! as the seeds write them, target comparators, and the indicator
//! catalogue.

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

fn day(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).expect("a real day")
}

/// The last day of month `m` of year `y`.
fn month_end(y: i32, m: u32) -> Day {
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
fn quarter_number(text: &str) -> Option<u32> {
    match text.trim().to_ascii_uppercase().as_str() {
        "I" | "1" => Some(1),
        "II" | "2" => Some(2),
        "III" | "3" => Some(3),
        "IV" | "4" => Some(4),
        _ => None,
    }
}

fn year_of(text: &str) -> Option<i32> {
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
    /// "tháng 3/2024", "T3/2024".
    pub fn parse(text: &str) -> Result<Period, PlanTextError> {
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

/// How a target compares the actual figure with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// "từ … trở lên", "ít nhất", "≥".
    AtLeast,
    /// "không quá", "tối đa", "≤".
    AtMost,
    /// "=", or a bare figure.
    Equal,
}

impl Comparator {
    pub fn parse(text: &str) -> Option<Comparator> {
        let t = fold(text);
        let t = t.trim();
        if t.is_empty() || t == "=" {
            return Some(Comparator::Equal);
        }
        if t == ">=" || t == "≥" || t.contains("tro len") || t.contains("it nhat") || t.contains("toi thieu") {
            return Some(Comparator::AtLeast);
        }
        if t == "<=" || t == "≤" || t.contains("khong qua") || t.contains("toi da") {
            return Some(Comparator::AtMost);
        }
        None
    }

    /// Whether `actual` meets a target of `value`.
    pub fn met(&self, actual: f64, value: f64) -> bool {
        match self {
            Comparator::AtLeast => actual >= value,
            Comparator::AtMost => actual <= value,
            Comparator::Equal => (actual - value).abs() < 1e-9,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Equal => "=",
        }
    }
}

/// What an indicator counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    People,
    Households,
    Units,
    Percent,
    Vnd,
    /// Events, articles, houses, ...
    Count,
}

/// Where an indicator's actual figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Counted from the register by the named query.
    Register(&'static str),
    /// The first indicator over the second, in percent.
    Ratio(&'static str, &'static str),
    /// Typed per unit and period.
    Entered,
    /// Share of units of a level under the unit meeting "≥ n" of an entered indicator.
    Coverage {
        of: &'static str,
        per: crate::Level,
        at_least: u32,
    },
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indicator {
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub measure: Measure,
    pub source: Source,
}

macro_rules! indicator {
    ($code:literal, $vi:literal, $en:literal, $measure:ident, $source:expr) => {
        Indicator {
            code: $code,
            name_vi: $vi,
            name_en: $en,
            measure: Measure::$measure,
            source: $source,
        }
    };
}

/// The indicators of the plans in the seeds (DOMAIN.md, "Plans, targets
/// and tasks"): counted from the register where the register can know
/// them, ratios of those, the rest entered per unit and period.
pub const CATALOGUE: &[Indicator] = {
    use crate::Level::{Base, District};
    use Source::*;
    &[
        indicator!(
            "members",
            "Tổng số hội viên",
            "Members",
            People,
            Register("members_at_end")
        ),
        indicator!(
            "new_members",
            "Kết nạp hội viên mới",
            "New members admitted",
            People,
            Register("admitted_in_period")
        ),
        indicator!(
            "members_left",
            "Hội viên ra khỏi Hội, từ trần",
            "Members who left or died",
            People,
            Register("left_in_period")
        ),
        indicator!(
            "women_members",
            "Hội viên nữ",
            "Women members",
            People,
            Register("women_at_end")
        ),
        indicator!(
            "ethnic_minority_members",
            "Hội viên dân tộc thiểu số",
            "Ethnic minority members",
            People,
            Register("ethnic_minority_at_end")
        ),
        indicator!(
            "professional_branches_new",
            "Thành lập mới chi hội nghề nghiệp",
            "New professional branches",
            Units,
            Register("professional_branches_founded")
        ),
        indicator!(
            "professional_groups_new",
            "Thành lập mới tổ hội nghề nghiệp",
            "New professional groups",
            Units,
            Register("professional_groups_founded")
        ),
        indicator!(
            "members_bhyt",
            "Hội viên tham gia BHYT",
            "Members with health insurance",
            People,
            Entered
        ),
        indicator!(
            "members_bhyt_rate",
            "Tỷ lệ hội viên tham gia BHYT",
            "Share of members with health insurance",
            Percent,
            Ratio("members_bhyt", "members")
        ),
        indicator!(
            "members_bhxh",
            "Hội viên tham gia BHXH tự nguyện",
            "Members with voluntary social insurance",
            People,
            Entered
        ),
        indicator!(
            "cadres_trained_rate",
            "Cán bộ chuyên trách, chi hội trưởng được tập huấn",
            "Full-time cadres and branch heads trained",
            Percent,
            Entered
        ),
        indicator!(
            "vocational_trained",
            "Hội viên, lao động nông thôn được dạy nghề",
            "Members and rural workers given vocational training",
            People,
            Entered
        ),
        indicator!(
            "excellent_farmers_trained",
            "Nông dân SXKD giỏi được bồi dưỡng",
            "Excellent farmers given advanced training",
            People,
            Entered
        ),
        indicator!(
            "members_in_cooperatives",
            "Hội viên tham gia tổ hợp tác, hợp tác xã",
            "Members in cooperative groups and cooperatives",
            People,
            Entered
        ),
        indicator!(
            "cooperative_groups_new",
            "Thành lập mới tổ hợp tác",
            "New cooperative groups",
            Units,
            Entered
        ),
        indicator!(
            "cooperatives_new",
            "Thành lập mới hợp tác xã",
            "New cooperatives",
            Units,
            Entered
        ),
        indicator!("farm_households", "Hộ nông dân", "Farm households", Households, Entered),
        indicator!(
            "sxkd_registered",
            "Hộ đăng ký thi đua SXKD giỏi",
            "Households registered for excellent production",
            Households,
            Entered
        ),
        indicator!(
            "sxkd_registered_rate",
            "Tỷ lệ hộ đăng ký SXKD giỏi",
            "Share of farm households registered",
            Percent,
            Ratio("sxkd_registered", "farm_households")
        ),
        indicator!(
            "sxkd_achieved",
            "Hộ đạt danh hiệu SXKD giỏi",
            "Households achieving the title",
            Households,
            Entered
        ),
        indicator!(
            "sxkd_achieved_rate",
            "Tỷ lệ hộ đạt danh hiệu trên số đăng ký",
            "Share of registered households achieving it",
            Percent,
            Ratio("sxkd_achieved", "sxkd_registered")
        ),
        indicator!(
            "propaganda_attendances",
            "Lượt hội viên được tuyên truyền",
            "Propaganda attendances",
            Count,
            Entered
        ),
        indicator!(
            "bases_good_rate",
            "Cơ sở Hội xếp loại tốt, vững mạnh",
            "Bases rated good or strong",
            Percent,
            Entered
        ),
        indicator!(
            "members_proposed_to_party",
            "Hội viên ưu tú giới thiệu cho Đảng",
            "Outstanding members proposed to the Party",
            People,
            Entered
        ),
        indicator!(
            "party_proposal_coverage",
            "Cơ sở có ít nhất 1 hội viên ưu tú giới thiệu cho Đảng",
            "Bases proposing at least one member to the Party",
            Percent,
            Coverage {
                of: "members_proposed_to_party",
                per: Base,
                at_least: 1
            }
        ),
        indicator!(
            "support_fund_growth",
            "Tăng trưởng Quỹ Hỗ trợ nông dân",
            "Farmer Support Fund growth",
            Vnd,
            Entered
        ),
        indicator!(
            "households_out_of_poverty",
            "Hộ được giúp thoát nghèo",
            "Households helped out of poverty",
            Households,
            Entered
        ),
        indicator!(
            "poverty_help_coverage",
            "Cơ sở giúp ít nhất 2 hộ thoát nghèo",
            "Bases helping at least two households out of poverty",
            Percent,
            Coverage {
                of: "households_out_of_poverty",
                per: Base,
                at_least: 2
            }
        ),
        indicator!(
            "houses_built",
            "Nhà \"Mái ấm nông dân\"",
            "\"Mái ấm nông dân\" houses built",
            Count,
            Entered
        ),
        indicator!(
            "dialogues",
            "Đối thoại giữa chính quyền và nông dân",
            "Dialogues between authorities and farmers",
            Count,
            Entered
        ),
        indicator!(
            "dialogue_coverage",
            "Cấp huyện có ít nhất 1 cuộc đối thoại",
            "Districts holding at least one dialogue",
            Percent,
            Coverage {
                of: "dialogues",
                per: District,
                at_least: 1
            }
        ),
        indicator!(
            "environment_models",
            "Mô hình bảo vệ môi trường",
            "Environment models",
            Count,
            Entered
        ),
        indicator!(
            "environment_coverage",
            "Cơ sở có ít nhất 1 mô hình môi trường",
            "Bases with at least one environment model",
            Percent,
            Coverage {
                of: "environment_models",
                per: Base,
                at_least: 1
            }
        ),
        indicator!(
            "security_models",
            "Mô hình tự quản an ninh trật tự",
            "Security self-management models",
            Count,
            Entered
        ),
        indicator!(
            "security_coverage",
            "Cơ sở có ít nhất 5 mô hình tự quản",
            "Bases with at least five security models",
            Percent,
            Coverage {
                of: "security_models",
                per: Base,
                at_least: 5
            }
        ),
        indicator!("articles", "Tin, bài được đăng", "Articles published", Count, Entered),
    ]
};

/// The catalogue's indicator `code`.
pub fn indicator(code: &str) -> Option<&'static Indicator> {
    CATALOGUE.iter().find(|i| i.code == code).or_else(|| {
        ADDED
            .read()
            .expect("indicator registry")
            .iter()
            .copied()
            .find(|i| i.code == code)
    })
}

/// Indicators users added, beside [`CATALOGUE`]: the store keeps them in
/// its database and registers them here when it opens and when one is
/// added or looked for and missing. One process serves one register, so
/// the registry is the process's.
static ADDED: std::sync::RwLock<Vec<&'static Indicator>> = std::sync::RwLock::new(Vec::new());

/// Registers an indicator users added (once per code; a code already
/// known is left as it is). Its texts live as long as the process.
pub fn register(code: &str, name_vi: &str, name_en: &str, measure: Measure, source: AddedSource) {
    if indicator(code).is_some() {
        return;
    }
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let source = match source {
        AddedSource::Entered => Source::Entered,
        AddedSource::Ratio(num, den) => Source::Ratio(leak(&num), leak(&den)),
    };
    let added = Indicator {
        code: leak(code),
        name_vi: leak(name_vi),
        name_en: leak(name_en),
        measure,
        source,
    };
    ADDED
        .write()
        .expect("indicator registry")
        .push(Box::leak(Box::new(added)));
}

/// Where an added indicator's figure comes from: typed per unit and
/// period, or the ratio of two known indicators (in percent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedSource {
    Entered,
    Ratio(String, String),
}

/// The catalogue and the indicators users added, in that order.
pub fn all_indicators() -> Vec<&'static Indicator> {
    CATALOGUE
        .iter()
        .chain(ADDED.read().expect("indicator registry").iter().copied())
        .collect()
}

impl Measure {
    pub const ALL: [Measure; 6] = [
        Measure::People,
        Measure::Households,
        Measure::Units,
        Measure::Percent,
        Measure::Vnd,
        Measure::Count,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::People => "people",
            Measure::Households => "households",
            Measure::Units => "units",
            Measure::Percent => "percent",
            Measure::Vnd => "vnd",
            Measure::Count => "count",
        }
    }

    pub fn parse(text: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.code() == text.trim())
    }
}

impl Indicator {
    /// Whether the figure adds up over the period (admissions, units
    /// founded, counts entered for the period) rather than being a state
    /// at its end (members, a share).
    pub fn accumulates(&self) -> bool {
        match self.source {
            Source::Register(q) => q.ends_with("_in_period") || q.ends_with("_founded"),
            Source::Entered => self.measure != Measure::Percent,
            _ => false,
        }
    }
}

/// Where a unit stands on a target on a day of its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Reached ("từ … trở lên" reached, or the period ended within the bound).
    Met,
    /// Not reached yet but where it should be by now: a figure that adds
    /// up is at least the target's share of the time gone by; a bound
    /// ("không quá", "=") holds so far.
    OnTrack,
    /// Short of where it should be by now.
    Behind,
    /// The period is over, or a bound that only grows is already broken.
    Missed,
    /// No figure to compare.
    Unknown,
}

impl Standing {
    pub fn code(self) -> &'static str {
        match self {
            Standing::Met => "met",
            Standing::OnTrack => "on_track",
            Standing::Behind => "behind",
            Standing::Missed => "missed",
            Standing::Unknown => "unknown",
        }
    }
}

/// A target's standing, and what is still needed each month (30.4 days)
/// to reach a "từ … trở lên" target by the end of the period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub standing: Standing,
    pub per_month: Option<f64>,
}

/// The pace of `actual` against a target over `period` (statistical
/// cut-offs), on `today`.
pub fn pace(
    indicator: &Indicator,
    comparator: Comparator,
    target: f64,
    actual: Option<f64>,
    period: Period,
    today: Day,
) -> Pace {
    let Some(actual) = actual else {
        return Pace {
            standing: Standing::Unknown,
            per_month: None,
        };
    };
    let (from, to) = period.range(Cutoff::Statistical);
    let met = comparator.met(actual, target);
    let none = |standing| Pace {
        standing,
        per_month: None,
    };
    if today > to {
        return none(if met { Standing::Met } else { Standing::Missed });
    }
    match comparator {
        Comparator::AtLeast if met => none(Standing::Met),
        Comparator::AtLeast => {
            let days_left = (today.days_until(to) + 1).max(1) as f64;
            let per_month = (indicator.measure != Measure::Percent)
                .then(|| ((target - actual) / (days_left / 30.4).max(1.0)).ceil());
            let standing = if indicator.accumulates() && today >= from {
                let total = (from.days_until(to) + 1) as f64;
                let gone = (from.days_until(today) + 1) as f64;
                if actual >= target * gone / total {
                    Standing::OnTrack
                } else {
                    Standing::Behind
                }
            } else {
                Standing::Behind
            };
            Pace { standing, per_month }
        }
        _ if met => none(Standing::OnTrack),
        Comparator::AtMost if indicator.accumulates() => none(Standing::Missed),
        _ => none(Standing::Behind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn statistical_periods_follow_decree_09_2019() {
        let year = Period::Year { year: 2024 };
        assert_eq!(year.range(Cutoff::Statistical), (d("15/12/2023"), d("14/12/2024")));
        assert_eq!(year.range(Cutoff::Calendar), (d("01/01/2024"), d("31/12/2024")));
        let half = Period::FirstHalf { year: 2024 };
        assert_eq!(half.range(Cutoff::Statistical), (d("15/12/2023"), d("14/06/2024")));
        let nine = Period::NineMonths { year: 2024 };
        assert_eq!(nine.range(Cutoff::Statistical), (d("15/12/2023"), d("14/09/2024")));
        let q2 = Period::Quarter { year: 2024, quarter: 2 };
        assert_eq!(q2.range(Cutoff::Statistical), (d("15/03/2024"), d("14/06/2024")));
        assert_eq!(q2.range(Cutoff::Calendar), (d("01/04/2024"), d("30/06/2024")));
        let march = Period::Month { year: 2024, month: 3 };
        assert_eq!(march.range(Cutoff::Statistical), (d("15/02/2024"), d("14/03/2024")));
        let feb = Period::Month { year: 2024, month: 2 };
        assert_eq!(feb.range(Cutoff::Calendar), (d("01/02/2024"), d("29/02/2024")));
    }

    #[test]
    fn periods_read_as_people_write_them() {
        assert_eq!(Period::parse("2024"), Ok(Period::Year { year: 2024 }));
        assert_eq!(
            Period::parse("quý II/2024"),
            Ok(Period::Quarter { year: 2024, quarter: 2 })
        );
        assert_eq!(Period::parse("Q4/2023"), Ok(Period::Quarter { year: 2023, quarter: 4 }));
        assert_eq!(Period::parse("6 tháng/2025"), Ok(Period::FirstHalf { year: 2025 }));
        assert_eq!(Period::parse("9T/2025"), Ok(Period::NineMonths { year: 2025 }));
        assert_eq!(
            Period::parse("tháng 3/2024"),
            Ok(Period::Month { year: 2024, month: 3 })
        );
        assert!(Period::parse("quý V/2024").is_err());
        assert!(Period::parse("tháng 13/2024").is_err());
        assert_eq!(Period::Quarter { year: 2024, quarter: 2 }.to_string(), "quý II/2024");
        assert_eq!(Period::Quarter { year: 2024, quarter: 2 }.code(), "2024-Q2");
        for p in [
            Period::Year { year: 2024 },
            Period::Quarter { year: 2024, quarter: 3 },
            Period::FirstHalf { year: 2024 },
            Period::NineMonths { year: 2024 },
            Period::Month { year: 2024, month: 11 },
        ] {
            assert_eq!(Period::parse(&p.to_string()), Ok(p), "{p} reads back");
        }
    }

    #[test]
    fn deadlines_in_the_forms_the_seeds_use() {
        // Seed 000: "Hoàn thành trong quý II/2024", "Thường xuyên."
        let q = Deadline::parse("Hoàn thành trong quý II/2024.").unwrap();
        assert_eq!(q, Deadline::Quarter { year: 2024, quarter: 2 });
        assert_eq!(q.due(d("01/01/2024")), Some(d("30/06/2024")));
        assert!(q.overdue(d("01/07/2024"), false));
        assert!(!q.overdue(d("30/06/2024"), false));
        let ongoing = Deadline::parse("Thường xuyên.").unwrap();
        assert_eq!(ongoing, Deadline::Ongoing);
        assert!(!ongoing.overdue(d("01/01/2030"), false));
        // Seed 004: "định kỳ trước ngày 15/11 hằng năm".
        let yearly = Deadline::parse("định kỳ trước ngày 15/11 hằng năm").unwrap();
        assert_eq!(yearly, Deadline::EveryYearBefore { day: 15, month: 11 });
        assert_eq!(Deadline::parse("hằng năm trước ngày 15/11").unwrap(), yearly);
        assert_eq!(yearly.due(d("01/03/2025")), Some(d("14/11/2025")));
        assert_eq!(yearly.due(d("20/11/2025")), Some(d("14/11/2026")));
        assert!(yearly.overdue(d("15/11/2025"), false));
        assert!(!yearly.overdue(d("15/11/2025"), true));
        assert!(!yearly.overdue(d("14/11/2025"), false));
        // Dates, months, years.
        assert_eq!(Deadline::parse("20/12/2023").unwrap(), Deadline::Date(d("20/12/2023")));
        assert_eq!(
            Deadline::parse("trước ngày 20/12/2023").unwrap(),
            Deadline::Date(d("20/12/2023"))
        );
        assert_eq!(
            Deadline::parse("tháng 12/2022").unwrap(),
            Deadline::Month { year: 2022, month: 12 }
        );
        assert_eq!(Deadline::parse("năm 2030").unwrap(), Deadline::Year(2030));
        // What no calendar has.
        for bad in [
            "quý V/2024",
            "31/02/2024",
            "tháng 13/2024",
            "hằng năm trước ngày 31/02",
            "sớm",
        ] {
            assert!(Deadline::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(yearly.to_string(), "hằng năm trước ngày 15/11");
    }

    #[test]
    fn comparators_read_the_plans_wording() {
        assert_eq!(Comparator::parse("từ … trở lên"), Some(Comparator::AtLeast));
        assert_eq!(Comparator::parse("ít nhất"), Some(Comparator::AtLeast));
        assert_eq!(Comparator::parse("không quá"), Some(Comparator::AtMost));
        assert_eq!(Comparator::parse("="), Some(Comparator::Equal));
        assert!(Comparator::AtLeast.met(7_000.0, 7_000.0));
        assert!(!Comparator::AtMost.met(3.0, 2.0));
    }

    #[test]
    fn the_catalogue_is_consistent() {
        let mut codes: Vec<&str> = CATALOGUE.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CATALOGUE.len(), "codes are unique");
        for i in CATALOGUE {
            match i.source {
                Source::Ratio(a, b) => assert!(indicator(a).is_some() && indicator(b).is_some(), "{}", i.code),
                Source::Coverage { of, .. } => assert!(indicator(of).is_some(), "{}", i.code),
                _ => {}
            }
        }
    }

    #[test]
    fn pace_compares_with_the_time_gone_by() {
        let d = |s: &str| Day::parse(s).unwrap();
        let new_members = indicator("new_members").unwrap();
        let year = Period::Year { year: 2026 };
        // The statistical year runs 15/12/2025–14/12/2026: on 14/06 about
        // half of it is gone.
        let at =
            |actual: f64, today: &str| pace(new_members, Comparator::AtLeast, 7000.0, Some(actual), year, d(today));
        assert_eq!(at(3600.0, "14/06/2026").standing, Standing::OnTrack);
        let behind = at(2000.0, "14/06/2026");
        assert_eq!(behind.standing, Standing::Behind);
        // 5,000 still needed over the 184 days left (6.05 months of 30.4 days).
        assert_eq!(behind.per_month, Some(827.0));
        assert_eq!(at(7000.0, "14/06/2026").standing, Standing::Met);
        assert_eq!(at(6999.0, "15/12/2026").standing, Standing::Missed);
        assert_eq!(
            pace(new_members, Comparator::AtLeast, 7000.0, None, year, d("14/06/2026")).standing,
            Standing::Unknown
        );
        // A share is a state, not a sum: short of it is behind, with no monthly figure.
        let bhyt = indicator("members_bhyt_rate").unwrap();
        let p = pace(bhyt, Comparator::AtLeast, 95.0, Some(90.0), year, d("14/06/2026"));
        assert_eq!((p.standing, p.per_month), (Standing::Behind, None));
        // A bound on a sum, broken before the end, cannot be mended.
        let left = indicator("members_left").unwrap();
        let p = pace(left, Comparator::AtMost, 100.0, Some(120.0), year, d("14/06/2026"));
        assert_eq!(p.standing, Standing::Missed);
        let p = pace(left, Comparator::AtMost, 100.0, Some(20.0), year, d("14/06/2026"));
        assert_eq!(p.standing, Standing::OnTrack);
    }
}
