//! The strength report (báo cáo thực lực Hội) of a unit for a period,
//! computed from the register: membership intervals, the tree's versions,
//! members and their profiles and ratings, and the maintained event counts.
//!
//! How a member is counted: a membership interval is cut by the versions of
//! its unit and of the report's unit, so each piece ("segment") lies under
//! one unit directly below the report's unit (its *row*) in the tree as it
//! stood on those days. A member is in a row's subtree on a day when one of
//! their segments covers it. "New" counts the segments that start in the
//! period with no segment of the same member ending that day in the same
//! row (so a transfer between two branches of one commune is new and lost
//! for the branches, nothing for the commune), "lost" the segments ending
//! in the period with none starting that day, "total" the segments covering
//! the period's last day; so every total is the one the day before the
//! period began plus new less lost. The report's own figures are counted
//! at its own boundary, the rows' at theirs. Members' marks (sex,
//! ethnicity, profile) are read as they are today.

use crate::{Result, Store};
use hnd_domain::Day;
use hnd_domain::plan::{Cutoff, Period};
use hnd_domain::strength::{COLUMNS, Figures};
use serde::Serialize;
use serde::ser::SerializeMap;
use sqlx::Row;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One column's figures; `None` where the column has no such figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub new: Option<i64>,
    pub lost: Option<i64>,
    pub total: Option<i64>,
}

/// The columns of one row, in the order of [`COLUMNS`] (a JSON object
/// keyed by column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(pub Vec<(&'static str, Figure)>);

impl Columns {
    /// The figures of column `key` (empty for an unknown key).
    pub fn get(&self, key: &str) -> Figure {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| *f)
            .unwrap_or_default()
    }
}

impl Serialize for Columns {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, figure) in &self.0 {
            map.serialize_entry(key, figure)?;
        }
        map.end()
    }
}

/// A unit directly below the report's unit, with its figures (the report's
/// unit itself when members are attached to it directly).
#[derive(Debug, Clone, Serialize)]
pub struct StrengthRow {
    pub code: String,
    pub name: String,
    pub columns: Columns,
}

/// A member who came into or left the report's unit in the period.
#[derive(Debug, Clone, Serialize)]
pub struct MemberMove {
    pub id: i64,
    pub full_name: String,
    pub birth_year: i32,
    /// ISO day.
    pub day: String,
    /// `admit`, `reinstate`, `transfer`, `remove`, `death`, or `unit` (their
    /// unit came in or went out of the subtree: a merge, a move).
    pub reason: String,
    /// The reason written with a removal.
    pub note: String,
}

/// Members counting at the period's end by age that year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AgeBands {
    pub under_40: i64,
    pub from_40_to_59: i64,
    pub from_60: i64,
}

/// Active members at the end of the period counted by one of their
/// marks: each part's code with its count, the last part `unknown` (the
/// mark not recorded), so the parts sum to the members at the end.
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    /// `occupation`, `education` (trình độ chuyên môn) or `household`
    /// (the household's category that year).
    pub by: &'static str,
    pub parts: Vec<(&'static str, i64)>,
}

/// The marks members are counted by at the end, each with its column and
/// its codes (the profile's closed lists, the household's category).
const BREAKDOWNS: [(&str, &str, &[&str]); 3] = [
    (
        "occupation",
        "p.occupation",
        &[
            "crop",
            "livestock",
            "aquaculture",
            "forestry",
            "services",
            "wage",
            "civil",
            "retired",
            "other",
        ],
    ),
    (
        "education",
        "p.vocational",
        &[
            "none",
            "elementary",
            "intermediate",
            "college",
            "university",
            "postgraduate",
        ],
    ),
    ("household", "hc.category", &["poor", "near_poor", "policy", "other"]),
];

/// The strength report of one unit for one period.
#[derive(Debug, Clone, Serialize)]
pub struct StrengthReport {
    pub unit: String,
    pub name: String,
    /// The period's code (`2025`, `2025-Q1`, `2025-H1`).
    pub period: String,
    /// First and last day (ISO), with the statistical cut-offs.
    pub from: String,
    pub to: String,
    pub columns: Columns,
    pub rows: Vec<StrengthRow>,
    pub age_bands: AgeBands,
    pub breakdowns: Vec<Breakdown>,
    pub new_members: Vec<MemberMove>,
    pub lost_members: Vec<MemberMove>,
    /// Whether either list was cut at [`LIST_LIMIT`].
    pub lists_cut: bool,
}

/// The most members each list holds.
pub const LIST_LIMIT: i64 = 5_000;

/// The versions of the report's unit ($1) and of every unit under it that
/// overlap the days from the day before the period ($2) to its last ($3),
/// each cut to the report unit's version, with the unit directly below the
/// report's unit it lies under (its id read from the path, the same text
/// functions on both engines).
const SUBTREE: &str = "
sv AS (
    SELECT path, substr(path, 1, length(path) - 1) || '0' AS path_end, valid_from, valid_to
    FROM unit_versions WHERE unit_id = $1 AND valid_from <= $3 AND valid_to > $2
),
v AS (
    SELECT v.unit_id, v.level,
        CASE WHEN v.valid_from > sv.valid_from THEN v.valid_from ELSE sv.valid_from END AS vf,
        CASE WHEN v.valid_to < sv.valid_to THEN v.valid_to ELSE sv.valid_to END AS vt,
        CASE WHEN v.path = sv.path THEN $1 ELSE CAST(substr(v.path, length(sv.path) + 1,
            length(v.path) - length(sv.path) - length(ltrim(substr(v.path, length(sv.path) + 1), '0123456789')))
            AS BIGINT) END AS child
    FROM sv JOIN unit_versions v ON v.path >= sv.path AND v.path < sv.path_end
        AND v.valid_from < sv.valid_to AND v.valid_to > sv.valid_from
    WHERE v.valid_from <= $3 AND v.valid_to > $2 AND v.valid_from < v.valid_to
)";

/// Each member's segments in the subtree around the period (none of no
/// days: an interval opened and closed the same day), with the one
/// before and after (`pb`, `pc`: where the previous ended and its row;
/// `na`, `nc`: where the next starts and its row).
const SEGMENTS: &str = "
seg AS (
    SELECT ms.member_id, v.child,
        CASE WHEN ms.valid_from > v.vf THEN ms.valid_from ELSE v.vf END AS a,
        CASE WHEN ms.valid_to < v.vt THEN ms.valid_to ELSE v.vt END AS b
    FROM v JOIN memberships ms ON ms.unit_id = v.unit_id AND ms.valid_from < v.vt AND ms.valid_to > v.vf
    WHERE ms.valid_from <= $3 AND ms.valid_to > $2
),
k AS (
    SELECT member_id, child, a, b,
        LAG(b) OVER w AS pb, LAG(child) OVER w AS pc, LEAD(a) OVER w AS na, LEAD(child) OVER w AS nc
    FROM seg WHERE a <= $3 AND b > $2 AND a < b
    WINDOW w AS (PARTITION BY member_id ORDER BY a)
)";

/// When a segment (or a unit's version) counts: at the start ($2 the day
/// before the period), at the end ($3), new ($4 the first day) and lost, for
/// the row and for the report's unit.
const MEASURES: [(&str, &str); 6] = [
    ("start", "k.a <= $2 AND k.b > $2"),
    ("end", "k.a <= $3 AND k.b > $3"),
    (
        "new_row",
        "k.a >= $4 AND (k.pb IS NULL OR k.pb <> k.a OR k.pc <> k.child)",
    ),
    ("new_all", "k.a >= $4 AND (k.pb IS NULL OR k.pb <> k.a)"),
    (
        "lost_row",
        "k.b <= $3 AND (k.na IS NULL OR k.na <> k.b OR k.nc <> k.child)",
    ),
    ("lost_all", "k.b <= $3 AND (k.na IS NULL OR k.na <> k.b)"),
];

/// The member columns that flow (new, lost, total), each a mark of the member.
const MEMBER_MARKS: [(&str, &str); 9] = [
    ("members", "1 = 1"),
    ("members_women", "m.sex = 'female'"),
    ("members_residential", "COALESCE(p.residential, 1) = 1"),
    ("members_professional", "COALESCE(p.professional, 0) = 1"),
    ("members_honorary", "p.member_type = 'honorary'"),
    ("members_minority", "m.ethnicity <> '01'"),
    (
        "members_religious",
        "m.religion IS NOT NULL AND m.religion NOT IN ('', 'Không', 'không')",
    ),
    ("members_party", "p.party_member = 1"),
    ("members_core", "p.core_member = 1"),
];

/// Counts of members at the end ($3) by a mark; $4 the first day, $6 the
/// period's year (ratings of that year, ages in it).
const END_COUNTS: [(&str, &str); 10] = [
    ("cards_issued", "m.card_number IS NOT NULL"),
    ("party_admitted", "p.party_joined_on >= $4 AND p.party_joined_on <= $3"),
    ("party_introduced", "r.proposed_to_party = 1"),
    ("rating_excellent", "r.rating = 'excellent'"),
    ("rating_good", "r.rating = 'good'"),
    ("rating_done", "r.rating = 'done'"),
    ("rating_not_done", "r.rating = 'not_done'"),
    ("age_under_40", "$5 - m.birth_year < 40"),
    ("age_40_59", "$5 - m.birth_year BETWEEN 40 AND 59"),
    ("age_from_60", "$5 - m.birth_year >= 60"),
];

fn count(condition: &str) -> String {
    format!("CAST(COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0) AS BIGINT)")
}

/// One row a row-unit: the member marks by measure, then the end counts,
/// then the households.
static MEMBERS_SQL: LazyLock<String> = LazyLock::new(|| {
    let mut columns = vec!["k.child".to_string()];
    for (_, mark) in MEMBER_MARKS {
        for (_, measure) in MEASURES {
            columns.push(count(&format!("({measure}) AND ({mark})")));
        }
    }
    let end = MEASURES[1].1;
    for (_, mark) in END_COUNTS {
        columns.push(count(&format!("({end}) AND ({mark})")));
    }
    columns.push(format!(
        "CAST(COUNT(DISTINCT CASE WHEN {end} THEN m.household_id END) AS BIGINT)"
    ));
    for (_, column, codes) in BREAKDOWNS {
        for code in codes {
            columns.push(count(&format!("({end}) AND {column} = '{code}'")));
        }
        columns.push(count(&format!("({end}) AND {column} IS NULL")));
    }
    format!(
        "WITH {SUBTREE}, {SEGMENTS}
         SELECT {}
         FROM k JOIN members m ON m.id = k.member_id
         LEFT JOIN member_profiles p ON p.member_id = k.member_id
         LEFT JOIN member_ratings r ON r.member_id = k.member_id AND r.year = $5
         LEFT JOIN household_categories hc ON hc.household_id = m.household_id AND hc.year = $5
         GROUP BY k.child",
        columns.join(", ")
    )
});

/// Branches and groups by row, level and kind, counted like members: a
/// unit's versions are its segments.
static UNITS_SQL: LazyLock<String> = LazyLock::new(|| {
    let measures: Vec<String> = MEASURES.iter().map(|(_, m)| count(m)).collect();
    format!(
        "WITH {SUBTREE},
         k AS (
            SELECT v.unit_id, v.child, v.level, v.vf AS a, v.vt AS b,
                LAG(v.vt) OVER w AS pb, LAG(v.child) OVER w AS pc, LEAD(v.vf) OVER w AS na, LEAD(v.child) OVER w AS nc
            FROM v WHERE v.level IN ('branch', 'group')
            WINDOW w AS (PARTITION BY v.unit_id ORDER BY v.vf)
         )
         SELECT k.child, k.level, COALESCE(u.kind, 'residential'), {}
         FROM k JOIN units u ON u.id = k.unit_id
         WHERE $5 > 0
         GROUP BY k.child, k.level, COALESCE(u.kind, 'residential')",
        measures.join(", ")
    )
});

/// Admissions (cards issued) and cards re-issued in the period by row, from
/// the maintained event counts.
static EVENTS_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH {SUBTREE}
         SELECT v.child, c.kind, CAST(SUM(c.n) AS BIGINT)
         FROM v JOIN unit_event_counts c ON c.unit_id = v.unit_id AND c.day >= v.vf AND c.day < v.vt
         WHERE c.kind IN ('admit', 'card_reissue') AND c.day >= $4 AND c.day <= $3 AND $5 > 0
         GROUP BY v.child, c.kind"
    )
});

/// The members who came in (`new`) or left (`lost`) the report's unit, with
/// the event of that day that says why.
static MOVES_SQL: LazyLock<String> = LazyLock::new(|| {
    let (new, lost) = (MEASURES[3].1, MEASURES[5].1);
    format!(
        "WITH {SUBTREE}, {SEGMENTS},
         moves AS (
            SELECT k.member_id, CASE WHEN {new} THEN 'new' ELSE 'lost' END AS side,
                   CASE WHEN {new} THEN k.a ELSE k.b END AS day
            FROM k WHERE ({new}) OR ({lost})
            UNION ALL
            SELECT k.member_id, 'lost', k.b FROM k WHERE ({new}) AND ({lost})
         )
         SELECT x.side, x.member_id, m.full_name, m.birth_year, x.day,
            COALESCE((SELECT MAX(e.kind) FROM member_events e WHERE e.member_id = x.member_id AND e.effective_date = x.day
                      AND e.kind IN ('admit', 'reinstate', 'transfer_in', 'remove', 'death')), ''),
            COALESCE((SELECT MAX(e.reason) FROM member_events e WHERE e.member_id = x.member_id AND e.effective_date = x.day
                      AND e.kind = 'remove'), '')
         FROM moves x JOIN members m ON m.id = x.member_id
         WHERE $5 > 0
         ORDER BY x.side, x.day, m.name_folded, x.member_id
         LIMIT {}",
        2 * LIST_LIMIT + 2
    )
});

/// Figures of one row (or of the whole) as they are summed.
#[derive(Debug, Clone, Default)]
struct Tally {
    /// By column key: start, end, new (row), new (whole), lost (row), lost (whole).
    flows: BTreeMap<&'static str, [i64; 6]>,
    /// By column key: a figure of the period or of its end.
    other: BTreeMap<String, i64>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        for (key, f) in &other.flows {
            let mine = self.flows.entry(key).or_default();
            for (a, b) in mine.iter_mut().zip(f) {
                *a += b;
            }
        }
        for (key, n) in &other.other {
            *self.other.entry(key.clone()).or_default() += n;
        }
    }

    /// The columns; `whole` chooses the report unit's new and lost.
    fn columns(&self, whole: bool) -> Columns {
        let (new, lost) = if whole { (3, 5) } else { (2, 4) };
        let columns = COLUMNS.iter().map(|c| {
            let flow = self.flows.get(c.key).copied().unwrap_or_default();
            let other = |k: &str| self.other.get(k).copied().unwrap_or(0);
            let figure = match c.figures {
                Figures::Flow => Figure {
                    new: Some(flow[new]),
                    lost: Some(flow[lost]),
                    total: Some(flow[1]),
                },
                Figures::InPeriod => Figure {
                    new: Some(other(c.key)),
                    ..Figure::default()
                },
                Figures::NewAndTotal => Figure {
                    new: Some(other(&format!("{}_new", c.key))),
                    lost: None,
                    total: Some(other(c.key)),
                },
                Figures::AtEnd => Figure {
                    total: Some(other(c.key)),
                    ..Figure::default()
                },
            };
            (c.key, figure)
        });
        Columns(columns.collect())
    }
}

impl Store {
    /// The strength report of unit `code` for `period` (statistical
    /// cut-offs), read in the tree of the period's last day: one row per
    /// unit directly below it, the unit's own figures, the members who came
    /// and left, and the members at the end by age.
    pub async fn strength_report(&self, code: &str, period: Period) -> Result<StrengthReport> {
        let (from, to) = period.range(Cutoff::Statistical);
        let unit = self.unit(code, to).await?.unit;
        let before = from.pred();
        let binds = (unit.id, before.iso(), to.iso(), from.iso(), i64::from(period.year()));
        let mut rows: BTreeMap<i64, Tally> = BTreeMap::new();
        let query = |sql: &'static str| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(binds.0)
                .bind(binds.1.clone())
                .bind(binds.2.clone())
                .bind(binds.3.clone())
                .bind(binds.4)
        };
        for r in query(MEMBERS_SQL.as_str()).fetch_all(&self.read).await? {
            let tally = rows.entry(r.try_get(0)?).or_default();
            let mut i = 1;
            for (key, _) in MEMBER_MARKS {
                let mut f = [0; 6];
                for slot in &mut f {
                    *slot = r.try_get(i)?;
                    i += 1;
                }
                tally.flows.insert(key, f);
            }
            for (key, _) in END_COUNTS {
                tally.other.insert(key.into(), r.try_get(i)?);
                i += 1;
            }
            tally.other.insert("households".into(), r.try_get(i)?);
            for (by, _, codes) in BREAKDOWNS {
                for code in codes.iter().chain(&["unknown"]) {
                    i += 1;
                    tally.other.insert(format!("{by}.{code}"), r.try_get(i)?);
                }
            }
        }
        for r in query(UNITS_SQL.as_str()).fetch_all(&self.read).await? {
            let (child, level, kind): (i64, String, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let key = match (level.as_str(), kind.as_str()) {
                ("branch", "professional") => "branches_professional",
                ("branch", _) => "branches_residential",
                (_, "professional") => "groups_professional",
                _ => "groups_residential",
            };
            let tally = rows.entry(child).or_default();
            let flow = tally.flows.entry(key).or_default();
            for (i, slot) in flow.iter_mut().enumerate() {
                *slot += r.try_get::<i64, _>(3 + i)?;
            }
        }
        for r in query(EVENTS_SQL.as_str()).fetch_all(&self.read).await? {
            let (child, kind, n): (i64, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let key = if kind == "admit" {
                "cards_issued_new"
            } else {
                "cards_reissued"
            };
            *rows.entry(child).or_default().other.entry(key.into()).or_default() += n;
        }
        let mut whole = Tally::default();
        let mut out = Vec::with_capacity(rows.len());
        for (child, tally) in &rows {
            whole.add(tally);
            let (code, name) = self.unit_name_by_day(*child, to).await?;
            out.push(StrengthRow {
                code,
                name,
                columns: tally.columns(false),
            });
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        let (mut new_members, mut lost_members) = (Vec::new(), Vec::new());
        for r in query(MOVES_SQL.as_str()).fetch_all(&self.read).await? {
            let side: String = r.try_get(0)?;
            let kind: String = r.try_get(5)?;
            let reason = match kind.as_str() {
                "transfer_in" => "transfer",
                "" => "unit",
                other => other,
            };
            let list = if side == "new" {
                &mut new_members
            } else {
                &mut lost_members
            };
            list.push(MemberMove {
                id: r.try_get(1)?,
                full_name: r.try_get(2)?,
                birth_year: r.try_get::<i64, _>(3)? as i32,
                day: r.try_get(4)?,
                reason: reason.to_string(),
                note: r.try_get(6)?,
            });
        }
        let limit = LIST_LIMIT as usize;
        let lists_cut = new_members.len() > limit || lost_members.len() > limit;
        new_members.truncate(limit);
        lost_members.truncate(limit);
        let age = |k: &str| whole.other.get(k).copied().unwrap_or(0);
        Ok(StrengthReport {
            unit: unit.code.clone(),
            name: unit.name.clone(),
            period: period.code(),
            from: from.iso(),
            to: to.iso(),
            columns: whole.columns(true),
            rows: out,
            age_bands: AgeBands {
                under_40: age("age_under_40"),
                from_40_to_59: age("age_40_59"),
                from_60: age("age_from_60"),
            },
            breakdowns: BREAKDOWNS
                .iter()
                .map(|(by, _, codes)| Breakdown {
                    by,
                    parts: codes
                        .iter()
                        .chain(&["unknown"])
                        .map(|code| (*code, age(&format!("{by}.{code}"))))
                        .collect(),
                })
                .collect(),
            new_members,
            lost_members,
            lists_cut,
        })
    }

    /// A unit's code and name in its version of `day`, or its last one
    /// before (a unit that ended in the period).
    async fn unit_name_by_day(&self, id: i64, day: Day) -> Result<(String, String)> {
        let row = sqlx::query(
            "SELECT code, name FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2
             ORDER BY valid_from DESC LIMIT 1",
        )
        .bind(id)
        .bind(day.iso())
        .fetch_one(&self.read)
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}
