//! Periodic reports (báo cáo) and their workflow: a report is one unit's
//! report for one period on one form; it is written as a draft, submitted
//! to the level above, which returns it with a comment or approves it;
//! approval locks the period's figures of the unit, and only the
//! approving level unlocks it (the report then goes back to the unit).

use crate::plan::{Cutoff, Period};
use crate::{Day, Lang, i18n::t};

/// The forms reports are filed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportForm {
    /// The strength of the Union (báo cáo thực lực Hội): quarterly, six
    /// months and yearly.
    Strength,
    /// The six-month review of the work (sơ kết 6 tháng).
    SixMonth,
    /// The year's review (tổng kết năm).
    Year,
}

/// The narrative parts of a report, in the order a document sets them.
pub const PARTS: [&str; 5] = ["results", "shortcomings", "lessons", "next_tasks", "proposals"];

/// The figures a report types where the register cannot know them: farm
/// households in the unit's area, villages and residential groups, those
/// with a branch, and the Union's own fund (đồng).
pub const TYPED: [&str; 4] = ["farm_households", "villages", "villages_with_branch", "union_fund"];

impl ReportForm {
    pub const ALL: [ReportForm; 3] = [ReportForm::Strength, ReportForm::SixMonth, ReportForm::Year];

    pub fn code(&self) -> &'static str {
        match self {
            ReportForm::Strength => "strength",
            ReportForm::SixMonth => "six_month",
            ReportForm::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Option<ReportForm> {
        let text = text.trim();
        ReportForm::ALL
            .into_iter()
            .find(|f| f.code() == text || crate::fold(&f.label(Lang::Vi)) == crate::fold(text))
    }

    pub fn label(&self, lang: Lang) -> String {
        t(lang, &format!("report.form.{}", self.code()), &[])
    }

    /// Whether the form is filed for `period`.
    pub fn fits(&self, period: &Period) -> bool {
        match self {
            ReportForm::Strength => matches!(
                period,
                Period::Quarter { .. } | Period::FirstHalf { .. } | Period::Year { .. }
            ),
            ReportForm::SixMonth => matches!(period, Period::FirstHalf { .. }),
            ReportForm::Year => matches!(period, Period::Year { .. }),
        }
    }

    /// The parts a report on this form is written in.
    pub fn parts(&self) -> &'static [&'static str] {
        match self {
            ReportForm::Strength => &PARTS[..1],
            _ => &PARTS,
        }
    }

    /// The day by which a unit's report for `period` is due: the six-month
    /// review by 20/6, the year's by 20/12, the strength report six days
    /// after the period's statistical end (Decree 09/2019 cut-offs).
    pub fn deadline(&self, period: &Period) -> Day {
        let end = period.range(Cutoff::Statistical).1;
        match (self, period) {
            (ReportForm::SixMonth, Period::FirstHalf { year }) => day(*year, 6, 20),
            (ReportForm::Year, Period::Year { year }) => day(*year, 12, 20),
            _ => end.plus_days(6),
        }
    }
}

fn day(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).expect("a real day")
}

/// Where a report is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
}

impl ReportStatus {
    pub fn code(&self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Approved => "approved",
        }
    }

    pub fn parse(code: &str) -> Option<ReportStatus> {
        [
            ReportStatus::Draft,
            ReportStatus::Submitted,
            ReportStatus::Returned,
            ReportStatus::Approved,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(&self, lang: Lang) -> String {
        t(lang, &format!("report.status.{}", self.code()), &[])
    }

    /// Whether the unit may still write it.
    pub fn editable(&self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    Submit,
    Return,
    Approve,
    Unlock,
}

impl ReportStep {
    pub fn code(&self) -> &'static str {
        match self {
            ReportStep::Submit => "submit",
            ReportStep::Return => "return",
            ReportStep::Approve => "approve",
            ReportStep::Unlock => "unlock",
        }
    }

    pub fn parse(code: &str) -> Option<ReportStep> {
        [
            ReportStep::Submit,
            ReportStep::Return,
            ReportStep::Approve,
            ReportStep::Unlock,
        ]
        .into_iter()
        .find(|s| s.code() == code.trim())
    }

    /// The statuses the step is taken from, and the one it leads to.
    pub fn from_to(&self) -> (&'static [ReportStatus], ReportStatus) {
        use ReportStatus::*;
        match self {
            ReportStep::Submit => (&[Draft, Returned], Submitted),
            ReportStep::Return => (&[Submitted], Returned),
            ReportStep::Approve => (&[Submitted], Approved),
            ReportStep::Unlock => (&[Approved], Returned),
        }
    }

    /// Taken by the level above the report's unit (the unit itself submits).
    pub fn by_level_above(&self) -> bool {
        !matches!(self, ReportStep::Submit)
    }
}

/// A report refused by the workflow's rules; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("no report {form} {period} of unit {unit}")]
    Unknown { unit: String, form: String, period: String },
    #[error("form {form} is not filed for {period}")]
    FormPeriod { form: String, period: String },
    #[error("the report is {status}: {step} is not possible")]
    Step { status: String, step: String },
    #[error("a report returned needs a comment")]
    CommentRequired,
    #[error("unknown form {0}")]
    BadForm(String),
    #[error("unknown part {0}")]
    BadPart(String),
    #[error("bad figure {field}: {value}")]
    BadFigure { field: String, value: String },
}

impl ReportError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReportError::Unknown { unit, form, period } => {
                let form = ReportForm::parse(form).map(|f| f.label(lang)).unwrap_or(form.clone());
                t(
                    lang,
                    "report.unknown",
                    &[("unit", unit), ("form", &form), ("period", period)],
                )
            }
            ReportError::FormPeriod { form, period } => {
                let form = ReportForm::parse(form).map(|f| f.label(lang)).unwrap_or(form.clone());
                t(lang, "report.form_period", &[("form", &form), ("period", period)])
            }
            ReportError::Step { status, step } => {
                let status = ReportStatus::parse(status)
                    .map(|s| s.label(lang))
                    .unwrap_or(status.clone());
                let step = t(lang, &format!("report.step.{step}"), &[]);
                t(lang, "report.bad_step", &[("status", &status), ("step", &step)])
            }
            ReportError::CommentRequired => t(lang, "report.comment_required", &[]),
            ReportError::BadForm(form) => t(lang, "report.bad_form", &[("form", form)]),
            ReportError::BadPart(part) => t(lang, "report.bad_part", &[("part", part)]),
            ReportError::BadFigure { field, value } => {
                let field = t(lang, &format!("report.typed.{field}"), &[]);
                t(lang, "report.bad_figure", &[("field", &field), ("value", value)])
            }
        }
    }
}

/// A period written as its code (`2026`, `2026-Q2`, `2026-H1`, `2026-9M`,
/// `2026-03`) or as documents write it ("quý II/2026", "6 tháng/2026").
pub fn period_of(text: &str) -> Option<Period> {
    Period::parse(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_from_their_codes_and_their_words() {
        for p in [
            Period::Year { year: 2026 },
            Period::Quarter { year: 2026, quarter: 2 },
            Period::FirstHalf { year: 2026 },
            Period::NineMonths { year: 2026 },
            Period::Month { year: 2026, month: 3 },
        ] {
            assert_eq!(period_of(&p.code()), Some(p));
            assert_eq!(period_of(&p.to_string()), Some(p));
        }
        assert_eq!(period_of("2026-Q5"), None);
        assert_eq!(period_of("x"), None);
    }

    #[test]
    fn each_form_has_its_periods_and_deadline() {
        let half = Period::FirstHalf { year: 2026 };
        assert!(ReportForm::SixMonth.fits(&half) && !ReportForm::Year.fits(&half));
        assert_eq!(ReportForm::SixMonth.deadline(&half).to_string(), "20/06/2026");
        let q1 = Period::Quarter { year: 2026, quarter: 1 };
        // The first quarter ends on 14/03 (statistical): due on 20/03.
        assert_eq!(ReportForm::Strength.deadline(&q1).to_string(), "20/03/2026");
        assert_eq!(ReportForm::parse("Báo cáo sơ kết 6 tháng"), Some(ReportForm::SixMonth));
    }

    #[test]
    fn steps_go_from_their_statuses() {
        use ReportStatus::*;
        assert_eq!(ReportStep::Approve.from_to(), (&[Submitted][..], Approved));
        assert!(ReportStep::Unlock.by_level_above() && !ReportStep::Submit.by_level_above());
        assert!(Returned.editable() && !Approved.editable());
    }
}
