//! The strength report (báo cáo thực lực Hội): its columns, in the order
//! the provinces' forms print them, each with what it counts.
//!
//! Every column is computed from the register (`hnd_store`'s
//! `strength_report`). A column has up to three figures: new in the period
//! (phát triển trong kỳ), lost in the period (giảm trong kỳ) and the total
//! at its end (lũy kế); a figure a column cannot have is left empty.

/// Which of the three figures a column has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    /// New, lost and the total: a count of members or units over time.
    Flow,
    /// Only what happened in the period (cards issued, members admitted to the Party).
    InPeriod,
    /// What happened in the period and the total at its end, nothing
    /// lost (cards: issued in the period, held at the end).
    NewAndTotal,
    /// Only the total at the end (households, ratings of the year).
    AtEnd,
}

/// One column of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The key in the JSON and the locale (`strength.col.<key>`).
    pub key: &'static str,
    /// The group its header sits under (`strength.group.<group>`).
    pub group: &'static str,
    pub figures: Figures,
}

const fn col(key: &'static str, group: &'static str, figures: Figures) -> Column {
    Column { key, group, figures }
}

/// The columns, in order.
pub const COLUMNS: [Column; 22] = [
    col("members", "members", Figures::Flow),
    col("members_women", "members", Figures::Flow),
    col("members_residential", "members", Figures::Flow),
    col("members_professional", "members", Figures::Flow),
    col("members_honorary", "members", Figures::Flow),
    col("members_minority", "members", Figures::Flow),
    col("members_religious", "members", Figures::Flow),
    col("members_party", "members", Figures::Flow),
    col("members_core", "members", Figures::Flow),
    col("branches_residential", "units", Figures::Flow),
    col("branches_professional", "units", Figures::Flow),
    col("groups_residential", "units", Figures::Flow),
    col("groups_professional", "units", Figures::Flow),
    col("party_introduced", "party", Figures::InPeriod),
    col("party_admitted", "party", Figures::InPeriod),
    col("cards_issued", "cards", Figures::NewAndTotal),
    col("cards_reissued", "cards", Figures::InPeriod),
    col("rating_excellent", "ratings", Figures::AtEnd),
    col("rating_good", "ratings", Figures::AtEnd),
    col("rating_done", "ratings", Figures::AtEnd),
    col("rating_not_done", "ratings", Figures::AtEnd),
    col("households", "households", Figures::AtEnd),
];

/// The column named `key`.
pub fn column(key: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.key == key)
}

/// Columns of the printed form the register does not hold yet, left out
/// of the report (ARCHITECTURE.md, "The strength report").
pub const LEFT_OUT: [&str; 4] = ["villages", "farm_households", "unit_ratings", "union_fund"];

impl Figures {
    /// Whether the column has each of new, lost and total.
    pub fn parts(self) -> [bool; 3] {
        match self {
            Figures::Flow => [true, true, true],
            Figures::InPeriod => [true, false, false],
            Figures::NewAndTotal => [true, false, true],
            Figures::AtEnd => [false, false, true],
        }
    }
}

/// The label key of a part of a member breakdown of the strength report
/// (by `occupation`, `education` or `household`): the profile's and the
/// household's own lists, and `unknown` for "not recorded".
pub fn breakdown_key(by: &str, code: &str) -> String {
    match (by, code) {
        (_, "unknown") => "strength.by.unknown".into(),
        ("occupation", c) => format!("profile.occupation.{c}"),
        ("education", c) => format!("profile.vocational.{c}"),
        (_, c) => format!("household.category.{c}"),
    }
}
