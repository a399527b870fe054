//! A plan as a document of the Union: its kind, its status, and the
//! number the system gives it in the Union's numbering.
//!
//! The Union numbers its documents `N-TYPE/ISSUER` ("12-KH/HNDT"): `N`
//! runs from 1 each year in each unit for each type of document, `TYPE`
//! is the document's type (KH kế hoạch, CTr chương trình, HD hướng dẫn)
//! and `ISSUER` the issuing level (HNDTW the Central Committee, HNDT a
//! province, HNDH a district before 2025, HNDX a commune, ward or special
//! zone, CHND a branch, THND a group). Since every province prints
//! "1-KH/HNDT" each January, the number hnd gives adds the unit's code and
//! the year after a dot ("12-KH/HNDT.51.2026"), so that it names one plan
//! in a national register; the page prints the document's own part
//! ("Số 12-KH/HNDT"). A number typed by the user is kept as typed (and
//! must be free); when it reads `N-TYPE/…` its `N` counts in the series.

use crate::Level;
use serde::Serialize;

/// What kind of document a plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// Kế hoạch thực hiện (a resolution's, a plan's of the level above).
    Plan,
    /// Chương trình (a programme).
    Programme,
    /// Chương trình công tác năm (the yearly work programme).
    WorkProgramme,
    /// Chủ đề năm (the theme of the year, with its guidance).
    Theme,
}

impl PlanKind {
    pub const ALL: [PlanKind; 4] = [
        PlanKind::Plan,
        PlanKind::Programme,
        PlanKind::WorkProgramme,
        PlanKind::Theme,
    ];

    /// `plan`, `programme`, `work_programme`, `theme`.
    pub fn code(self) -> &'static str {
        match self {
            PlanKind::Plan => "plan",
            PlanKind::Programme => "programme",
            PlanKind::WorkProgramme => "work_programme",
            PlanKind::Theme => "theme",
        }
    }

    pub fn parse(text: &str) -> Option<PlanKind> {
        PlanKind::ALL.into_iter().find(|k| k.code() == text.trim())
    }

    /// The document type in its number: both programmes are "CTr"
    /// documents and share one series; a theme is announced by a "HD".
    pub fn abbreviation(self) -> &'static str {
        match self {
            PlanKind::Plan => "KH",
            PlanKind::Programme | PlanKind::WorkProgramme => "CTr",
            PlanKind::Theme => "HD",
        }
    }
}

/// Where a plan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Being written: seen by its own unit only, changed freely.
    Draft,
    /// Signed and in force: read-only.
    Issued,
    /// Taken back by its unit.
    Withdrawn,
    /// Superseded by a newer version, kept to read.
    Replaced,
}

impl PlanStatus {
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Issued => "issued",
            PlanStatus::Withdrawn => "withdrawn",
            PlanStatus::Replaced => "replaced",
        }
    }

    pub fn parse(text: &str) -> Option<PlanStatus> {
        [
            PlanStatus::Draft,
            PlanStatus::Issued,
            PlanStatus::Withdrawn,
            PlanStatus::Replaced,
        ]
        .into_iter()
        .find(|s| s.code() == text.trim())
    }
}

/// The issuing part of a number for a unit of `level`.
pub fn issuer(level: Level) -> &'static str {
    match level {
        Level::Central => "HNDTW",
        Level::Province => "HNDT",
        Level::District => "HNDH",
        Level::Base => "HNDX",
        Level::Branch => "CHND",
        Level::Group => "THND",
    }
}

/// The number hnd gives the `seq`-th document of `kind` issued in `year`
/// by the unit `code` of `level`.
pub fn plan_number(seq: i64, kind: PlanKind, level: Level, code: &str, year: i32) -> String {
    format!("{seq}-{}/{}.{code}.{year}", kind.abbreviation(), issuer(level))
}

/// The document's own number, as printed: a given number whole, the one
/// hnd gave without its unit and year.
pub fn printed_number(number: &str) -> &str {
    match number.split_once('/') {
        Some((_, after)) if after.contains('.') => {
            let cut = number.len() - after.len() + after.find('.').unwrap_or(after.len());
            &number[..cut]
        }
        _ => number,
    }
}

/// The running number `N` of a number that reads `N-TYPE/…` for `kind`.
pub fn running_number(number: &str, kind: PlanKind) -> Option<i64> {
    let (n, rest) = number.trim().split_once('-')?;
    let (ty, _) = rest.split_once('/')?;
    if ty == kind.abbreviation() {
        n.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let n = plan_number(12, PlanKind::Plan, Level::Province, "51", 2026);
        assert_eq!(n, "12-KH/HNDT.51.2026");
        assert_eq!(printed_number(&n), "12-KH/HNDT");
        assert_eq!(printed_number("115-CTr/TU"), "115-CTr/TU");
        assert_eq!(running_number(&n, PlanKind::Plan), Some(12));
        assert_eq!(running_number("3-CTr/HNDX", PlanKind::WorkProgramme), Some(3));
        assert_eq!(running_number("3-CTr/HNDX", PlanKind::Plan), None);
        assert_eq!(running_number("KH-51-2025-1", PlanKind::Plan), None);
        let n = plan_number(1, PlanKind::Theme, Level::Base, "21547", 2025);
        assert_eq!(n, "1-HD/HNDX.21547.2025");
    }

    #[test]
    fn codes_read_back() {
        for k in PlanKind::ALL {
            assert_eq!(PlanKind::parse(k.code()), Some(k));
        }
        assert_eq!(PlanStatus::parse("issued"), Some(PlanStatus::Issued));
        assert_eq!(PlanKind::parse("resolution"), None);
    }
}
