//! The tree's types: a change's author, reason and audit entry; a unit, its
//! details, counts by level, lineage and events; how their rows are read.

use crate::Result;
use hnd_domain::{Day, Kind, Level, UnitCode, UnitName};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Who makes a change and why; written into the event log.
#[derive(Debug, Clone)]
pub struct Change {
    pub author: String,
    pub reason: String,
    /// The audit entry written in the change's own transaction.
    pub audit: Option<crate::Audit>,
}

impl Change {
    pub fn new(author: impl Into<String>, reason: impl Into<String>) -> Change {
        Change {
            author: author.into(),
            reason: reason.into(),
            audit: None,
        }
    }

    /// The same change with `value` under `after.key` of its audit entry:
    /// for what only the write itself knows (a card number handed out).
    pub fn with_after(mut self, key: &str, value: serde_json::Value) -> Change {
        if let Some(after) = self
            .audit
            .as_mut()
            .and_then(|a| a.detail.as_object_mut())
            .map(|d| d.entry("after").or_insert_with(|| serde_json::json!({})))
            .and_then(|after| after.as_object_mut())
        {
            after.insert(key.to_string(), value);
        }
        self
    }

    /// The same change with its audit entry naming member `id`: for a
    /// member the write itself creates.
    pub fn with_member(mut self, id: i64) -> Change {
        if let Some(audit) = self.audit.as_mut() {
            audit.member_id = Some(id);
        }
        self
    }

    /// The same change, recorded in the audit log when it is committed.
    pub fn audited(mut self, entry: crate::Audit) -> Change {
        self.audit = Some(entry);
        self
    }
}

/// A unit as it stood on some day (one version of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
    pub parent_id: Option<i64>,
    /// Materialised path of unit ids, `/1/52/7730/`.
    pub path: String,
    pub province_code: Option<String>,
    /// This version's interval `[valid_from, valid_to)`.
    pub valid_from: Day,
    pub valid_to: Day,
}

/// A unit with what does not change over its life.
#[derive(Debug, Clone, Serialize)]
pub struct UnitDetails {
    #[serde(flatten)]
    pub unit: Unit,
    pub kind: Option<&'static str>,
    pub trade: Option<String>,
    /// The administrative commune a base covers.
    pub admin_commune: Option<String>,
    /// The founding date people record, when known.
    pub founded_on: Option<Day>,
    /// The unit's whole life `[exists_from, exists_to)`.
    pub exists_from: Day,
    pub exists_to: Day,
}

/// Number of live units per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LevelCounts {
    pub central: i64,
    pub province: i64,
    pub district: i64,
    pub base: i64,
    pub branch: i64,
    pub group: i64,
}

impl LevelCounts {
    pub fn get(&self, level: Level) -> i64 {
        match level {
            Level::Central => self.central,
            Level::Province => self.province,
            Level::District => self.district,
            Level::Base => self.base,
            Level::Branch => self.branch,
            Level::Group => self.group,
        }
    }

    pub(crate) fn add(&mut self, level: Level, n: i64) {
        let slot = match level {
            Level::Central => &mut self.central,
            Level::Province => &mut self.province,
            Level::District => &mut self.district,
            Level::Base => &mut self.base,
            Level::Branch => &mut self.branch,
            Level::Group => &mut self.group,
        };
        *slot += n;
    }

    pub fn total(&self) -> i64 {
        Level::ALL.iter().map(|l| self.get(*l)).sum()
    }
}

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: UnitCode,
    pub name: UnitName,
    pub level: Level,
    pub kind: Option<Kind>,
    pub trade: Option<String>,
    pub parent: UnitCode,
    pub admin_commune: Option<String>,
    /// Ngày thành lập, when known; may be earlier than the day of the change.
    pub founded: Option<Day>,
}

/// One of the units a split makes; level, kind and trade are the source's.
#[derive(Debug, Clone)]
pub struct SplitPart {
    pub code: UnitCode,
    pub name: UnitName,
}

/// One step of lineage: the unit at the other end, when, whole or part.
#[derive(Debug, Clone, Serialize)]
pub struct LineageLink {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub date: Day,
    pub share: String,
}

/// What a unit came from and what it became.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Lineage {
    pub came_from: Vec<LineageLink>,
    pub became: Vec<LineageLink>,
}

/// An entry of the tree's event log.
#[derive(Debug, Clone, Serialize)]
pub struct OrgEvent {
    pub id: i64,
    pub kind: String,
    pub date: Day,
    pub author: String,
    pub reason: String,
    pub details: String,
    pub recorded_at: String,
}

macro_rules! unit_cols {
    () => {
        "unit_id, code, level, name, parent_id, path, province_code, valid_from, valid_to"
    };
}
pub(crate) use unit_cols;

pub(crate) fn day(row: &AnyRow, i: usize) -> Result<Day> {
    let s: String = row.try_get(i)?;
    Ok(Day::from_iso(&s).expect("dates written by hnd"))
}

pub(crate) fn unit_from_row(row: &AnyRow) -> Result<Unit> {
    let level: String = row.try_get(2)?;
    Ok(Unit {
        id: row.try_get(0)?,
        code: row.try_get(1)?,
        level: Level::parse(&level).expect("level checked by the schema"),
        name: row.try_get(3)?,
        parent_id: row.try_get(4)?,
        path: row.try_get(5)?,
        province_code: row.try_get(6)?,
        valid_from: day(row, 7)?,
        valid_to: day(row, 8)?,
    })
}

pub(crate) fn event_from_row(row: &AnyRow) -> Result<OrgEvent> {
    Ok(OrgEvent {
        id: row.try_get(0)?,
        kind: row.try_get(1)?,
        date: day(row, 2)?,
        author: row.try_get(3)?,
        reason: row.try_get(4)?,
        details: row.try_get(5)?,
        recorded_at: row.try_get(6)?,
    })
}

pub(crate) fn units_from_rows(rows: Vec<AnyRow>) -> Result<Vec<Unit>> {
    rows.iter().map(unit_from_row).collect()
}

pub(crate) fn counts_from_rows(rows: Vec<AnyRow>) -> Result<LevelCounts> {
    let mut counts = LevelCounts::default();
    for row in rows {
        let level: String = row.try_get(0)?;
        counts.add(
            Level::parse(&level).expect("level checked by the schema"),
            row.try_get(1)?,
        );
    }
    Ok(counts)
}
