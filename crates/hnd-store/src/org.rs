//! The organisation tree: reading it as of any day, and the operations
//! that change it (each a dated event with author and reason).

use crate::edit::{Created, Edit, Node, lock_tree, node_cols, node_from_row};
use crate::sql::path_end;
use crate::{Result, Store};
use hnd_domain::{Day, Kind, Level, OrgError, UnitCode, UnitName, admin};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

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

    fn add(&mut self, level: Level, n: i64) {
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

fn day(row: &AnyRow, i: usize) -> Result<Day> {
    let s: String = row.try_get(i)?;
    Ok(Day::from_iso(&s).expect("dates written by hnd"))
}

fn unit_from_row(row: &AnyRow) -> Result<Unit> {
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

fn event_from_row(row: &AnyRow) -> Result<OrgEvent> {
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

fn units_from_rows(rows: Vec<AnyRow>) -> Result<Vec<Unit>> {
    rows.iter().map(unit_from_row).collect()
}

fn counts_from_rows(rows: Vec<AnyRow>) -> Result<LevelCounts> {
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

/// Reading the tree as of a day.
impl Store {
    /// The unit with `code` on `as_of`, or [`OrgError::UnknownUnit`].
    pub async fn unit(&self, code: &str, as_of: Day) -> Result<UnitDetails> {
        let row = sqlx::query(
            "SELECT v.unit_id, v.code, v.level, v.name, v.parent_id, v.path, v.province_code, v.valid_from, v.valid_to,
                    u.kind, u.trade, u.admin_commune, u.valid_from, u.valid_to, u.founded_on
             FROM unit_versions v JOIN units u ON u.id = v.unit_id
             WHERE v.code = $1 AND v.valid_from <= $2 AND v.valid_to > $2",
        )
        .bind(code.to_string())
        .bind(as_of.iso())
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| OrgError::UnknownUnit {
            code: code.to_string(),
            as_of,
        })?;
        let kind: Option<String> = row.try_get(9)?;
        Ok(UnitDetails {
            unit: unit_from_row(&row)?,
            kind: kind.as_deref().and_then(Kind::parse).map(|k| k.as_str()),
            trade: row.try_get(10)?,
            admin_commune: row.try_get(11)?,
            exists_from: day(&row, 12)?,
            exists_to: day(&row, 13)?,
            founded_on: row
                .try_get::<Option<String>, _>(14)?
                .and_then(|s| Day::from_iso(&s).ok()),
        })
    }

    /// The root (Trung ương Hội) on `as_of`, if the tree has one.
    pub async fn root(&self, as_of: Day) -> Result<Option<Unit>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            unit_cols!(),
            " FROM unit_versions WHERE parent_id IS NULL AND valid_from <= $1 AND valid_to > $1 ORDER BY unit_id LIMIT 1"
        ))
        .bind(as_of.iso())
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(unit_from_row).transpose()
    }

    /// Units directly under `unit_id` on `as_of`, by code.
    pub async fn children(&self, unit_id: i64, as_of: Day) -> Result<Vec<Unit>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            unit_cols!(),
            " FROM unit_versions WHERE parent_id = $1 AND valid_from <= $2 AND valid_to > $2 ORDER BY code"
        ))
        .bind(unit_id)
        .bind(as_of.iso())
        .fetch_all(&self.read)
        .await?;
        units_from_rows(rows)
    }

    /// Every unit below `unit` on `as_of`, from the path index, by path.
    pub async fn descendants(&self, unit: &Unit, as_of: Day) -> Result<Vec<Unit>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            unit_cols!(),
            " FROM unit_versions WHERE path > $1 AND path < $2 AND valid_from <= $3 AND valid_to > $3 ORDER BY path"
        ))
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .bind(as_of.iso())
        .fetch_all(&self.read)
        .await?;
        units_from_rows(rows)
    }

    /// The units above `unit` on `as_of`, root first.
    pub async fn ancestors(&self, unit: &Unit, as_of: Day) -> Result<Vec<Unit>> {
        let mut out = Vec::new();
        for id in unit
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse::<i64>().ok())
        {
            if id == unit.id {
                break;
            }
            let row = sqlx::query(concat!(
                "SELECT ",
                unit_cols!(),
                " FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2 AND valid_to > $2"
            ))
            .bind(id)
            .bind(as_of.iso())
            .fetch_one(&self.read)
            .await?;
            out.push(unit_from_row(&row)?);
        }
        Ok(out)
    }

    /// Live units per level on `as_of`, in the whole tree.
    pub async fn level_counts(&self, as_of: Day) -> Result<LevelCounts> {
        let rows = sqlx::query(
            "SELECT level, COUNT(*) FROM unit_versions WHERE valid_from <= $1 AND valid_to > $1 GROUP BY level",
        )
        .bind(as_of.iso())
        .fetch_all(&self.read)
        .await?;
        counts_from_rows(rows)
    }

    /// Live units per level below `unit` on `as_of`.
    pub async fn subtree_counts(&self, unit: &Unit, as_of: Day) -> Result<LevelCounts> {
        let rows = sqlx::query(
            "SELECT level, COUNT(*) FROM unit_versions
             WHERE path > $1 AND path < $2 AND valid_from <= $3 AND valid_to > $3 GROUP BY level",
        )
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .bind(as_of.iso())
        .fetch_all(&self.read)
        .await?;
        counts_from_rows(rows)
    }

    /// For each child of `unit`, the live units per level below it.
    pub async fn child_counts(&self, unit: &Unit, as_of: Day) -> Result<HashMap<i64, LevelCounts>> {
        let rows = sqlx::query(
            "SELECT path, level FROM unit_versions
             WHERE path > $1 AND path < $2 AND valid_from <= $3 AND valid_to > $3",
        )
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .bind(as_of.iso())
        .fetch_all(&self.read)
        .await?;
        let mut out: HashMap<i64, LevelCounts> = HashMap::new();
        for row in rows {
            let path: String = row.try_get(0)?;
            let level: String = row.try_get(1)?;
            let rest = &path[unit.path.len()..];
            let mut segments = rest.split('/').filter(|s| !s.is_empty());
            let (Some(child), Some(_)) = (segments.next(), segments.next()) else {
                continue;
            };
            if let Ok(child) = child.parse::<i64>() {
                out.entry(child)
                    .or_default()
                    .add(Level::parse(&level).expect("checked by the schema"), 1);
            }
        }
        Ok(out)
    }

    /// What `unit_id` came from and what it became.
    pub async fn lineage(&self, unit_id: i64) -> Result<Lineage> {
        let link = |sql: &'static str| async move {
            let rows = sqlx::query(sql).bind(unit_id).fetch_all(&self.read).await?;
            rows.iter()
                .map(|row| {
                    let level: String = row.try_get(2)?;
                    Ok(LineageLink {
                        code: row.try_get(0)?,
                        name: row.try_get(1)?,
                        level: Level::parse(&level).expect("checked by the schema"),
                        date: day(row, 3)?,
                        share: row.try_get(4)?,
                    })
                })
                .collect::<Result<Vec<_>>>()
        };
        Ok(Lineage {
            came_from: link(
                "SELECT u.code, (SELECT v.name FROM unit_versions v WHERE v.unit_id = u.id ORDER BY v.valid_from DESC, v.id DESC LIMIT 1),
                        u.level, l.effective_date, l.share
                 FROM unit_lineage l JOIN units u ON u.id = l.from_unit WHERE l.to_unit = $1 ORDER BY u.code",
            )
            .await?,
            became: link(
                "SELECT u.code, (SELECT v.name FROM unit_versions v WHERE v.unit_id = u.id ORDER BY v.valid_from DESC, v.id DESC LIMIT 1),
                        u.level, l.effective_date, l.share
                 FROM unit_lineage l JOIN units u ON u.id = l.to_unit WHERE l.from_unit = $1 ORDER BY l.share DESC, u.code",
            )
            .await?,
        })
    }

    /// The events that changed `unit_id` or linked it to another unit, oldest first.
    pub async fn events_of(&self, unit_id: i64) -> Result<Vec<OrgEvent>> {
        let rows = sqlx::query(
            "SELECT id, kind, effective_date, author, reason, details, recorded_at FROM org_events
             WHERE id IN (SELECT created_by FROM unit_versions WHERE unit_id = $1
                          UNION SELECT ended_by FROM unit_versions WHERE unit_id = $1
                          UNION SELECT event_id FROM unit_lineage WHERE from_unit = $1 OR to_unit = $1)
             ORDER BY effective_date, id",
        )
        .bind(unit_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The latest `limit` events of the whole tree, newest first.
    pub async fn org_log(&self, limit: i64) -> Result<Vec<OrgEvent>> {
        let rows = sqlx::query(
            "SELECT id, kind, effective_date, author, reason, details, recorded_at FROM org_events
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Whether the tree has no unit at all.
    pub async fn tree_is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units")
            .fetch_one(&self.read)
            .await?;
        Ok(n == 0)
    }
}

/// The open version of the unit with `code` alive on `date`, checked so
/// that an operation on that day would not rewrite later history.
pub(crate) async fn resolve(conn: &mut AnyConnection, code: &str, date: Day) -> Result<Node> {
    let lives = sqlx::query("SELECT id, valid_from, valid_to FROM units WHERE code = $1 ORDER BY valid_from")
        .bind(code.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let mut lives_parsed = Vec::new();
    for row in &lives {
        lives_parsed.push((row.try_get::<i64, _>(0)?, day(row, 1)?, day(row, 2)?));
    }
    let code_s = code.to_string();
    let Some((id, _, to)) = lives_parsed
        .iter()
        .find(|(_, from, to)| *from <= date && date < *to)
        .copied()
    else {
        if let Some((_, from, _)) = lives_parsed.iter().find(|(_, from, _)| *from > date) {
            return Err(OrgError::BeforeExistence {
                code: code_s,
                date,
                from: *from,
            }
            .into());
        }
        if let Some((_, _, to)) = lives_parsed.last() {
            return Err(OrgError::AfterEnd {
                code: code_s,
                date,
                to: *to,
            }
            .into());
        }
        return Err(OrgError::UnknownUnit {
            code: code_s,
            as_of: date,
        }
        .into());
    };
    if to != Day::FOREVER {
        return Err(OrgError::BeforeLastChange {
            code: code_s,
            date,
            last: to,
        }
        .into());
    }
    let row = sqlx::query(concat!(
        "SELECT ",
        node_cols!(),
        " FROM unit_versions WHERE unit_id = $1 AND valid_to = '9999-12-31'"
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let node = node_from_row(&row)?;
    if node.valid_from > date {
        return Err(OrgError::BeforeLastChange {
            code: code_s,
            date,
            last: node.valid_from,
        }
        .into());
    }
    Ok(node)
}

/// The unit with `code` alive on `date`, in the caller's transaction.
pub(crate) async fn resolve_code_at(conn: &mut AnyConnection, code: &str, date: Day) -> Result<Unit> {
    let row = sqlx::query(concat!(
        "SELECT ",
        unit_cols!(),
        " FROM unit_versions WHERE code = $1 AND valid_from <= $2 AND valid_to > $2"
    ))
    .bind(code.to_string())
    .bind(date.iso())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| OrgError::UnknownUnit {
        code: code.to_string(),
        as_of: date,
    })?;
    unit_from_row(&row)
}

fn check_parent(code: &str, level: Level, parent: &str, parent_level: Level) -> Result<(), OrgError> {
    if level.allowed_parents().contains(&parent_level) {
        Ok(())
    } else {
        Err(OrgError::LevelNotAllowed {
            code: code.to_string(),
            level,
            parent: parent.to_string(),
            parent_level,
        })
    }
}

fn check_kind(unit: &NewUnit) -> Result<(), OrgError> {
    let code = unit.code.to_string();
    let grouped = matches!(unit.level, Level::Branch | Level::Group);
    match (grouped, unit.kind) {
        (true, None) => Err(OrgError::KindRequired { code }),
        (false, Some(_)) => Err(OrgError::KindNotAllowed { code }),
        (true, Some(Kind::Professional)) if unit.trade.as_deref().is_none_or(|t| t.trim().is_empty()) => {
            Err(OrgError::TradeRequired { code })
        }
        _ => Ok(()),
    }
}

/// How an import went: units created and rows that were already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CreateOutcome {
    pub created: usize,
    pub unchanged: usize,
}

/// Changing the tree. Each operation is one transaction and one event:
/// it happens whole or not at all.
impl Store {
    /// Creates `units` on `date` under one event of `kind` ("create",
    /// "import"). A parent may be an existing unit or one of `units`. A
    /// unit already alive with the same code, name, level and parent is
    /// left as it is, so that importing a file twice adds nothing.
    pub async fn create_units(
        &self,
        mut units: Vec<NewUnit>,
        date: Day,
        change: &Change,
        kind: &str,
    ) -> Result<CreateOutcome> {
        // Parents before children, whatever the order of the file.
        units.sort_by_key(|u| u.level);
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let mut edit = Edit::new(&mut tx, date).await?;
        let existing = live_with_codes(&mut tx, units.iter().map(|u| u.code.to_string()).collect(), date).await?;
        // Units known by code: created in this batch, or resolved parents.
        let mut known: HashMap<String, (i64, Level)> = HashMap::new();
        let (mut unchanged, mut created) = (0, 0);
        let (rules, today) = (crate::settings::date_rules(&mut tx).await?, crate::settings::today());
        for unit in &units {
            check_kind(unit)?;
            if let Some(founded) = unit.founded {
                rules.check_event(founded, today).map_err(OrgError::Date)?;
            }
            let parent_code = unit.parent.as_str();
            let (parent_id, parent_level) = match known.get(parent_code) {
                Some(found) => *found,
                None => {
                    let parent = resolve(&mut tx, parent_code, date).await?;
                    let found = (parent.id, parent.level);
                    known.insert(parent_code.to_string(), found);
                    edit.nodes.insert(parent.id, parent);
                    found
                }
            };
            check_parent(unit.code.as_str(), unit.level, parent_code, parent_level)?;
            if let Some(same) = existing.get(unit.code.as_str()) {
                if (same.1.as_str(), same.2, same.3) != (unit.name.as_str(), unit.level, Some(parent_id)) {
                    return Err(OrgError::DuplicateCode {
                        code: unit.code.to_string(),
                    }
                    .into());
                }
                known.insert(unit.code.to_string(), (same.0, unit.level));
                unchanged += 1;
                continue;
            }
            let id = edit.create(Created {
                id: 0,
                code: unit.code.to_string(),
                level: unit.level,
                name: unit.name.to_string(),
                parent: Some(parent_id),
                kind: unit.kind,
                trade: unit.trade.clone().filter(|t| !t.trim().is_empty()),
                admin_commune: unit.admin_commune.clone(),
                founded: unit.founded,
            });
            known.insert(unit.code.to_string(), (id, unit.level));
            created += 1;
        }
        if created > 0 {
            let details = serde_json::json!({ "created": created, "unchanged": unchanged }).to_string();
            edit.write(&mut tx, kind, change, details).await?;
        }
        crate::accounts::commit(tx, change).await?;
        Ok(CreateOutcome { created, unchanged })
    }

    /// Renames `code` from `date`.
    pub async fn rename(&self, code: &str, name: &UnitName, date: Day, change: &Change) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let node = resolve(&mut tx, code, date).await?;
        let mut edit = Edit::new(&mut tx, date).await?;
        let details = serde_json::json!({ "unit": code, "from": node.name, "to": name.as_str() }).to_string();
        edit.rename(node.id, name.as_str());
        edit.nodes.insert(node.id, node);
        let event = edit.write(&mut tx, "rename", change, details).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(event)
    }

    /// Moves `code` and everything below it under `parent` from `date`.
    pub async fn move_unit(&self, code: &str, parent: &str, date: Day, change: &Change) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let node = resolve(&mut tx, code, date).await?;
        let target = resolve(&mut tx, parent, date).await?;
        if node.parent.is_none() {
            return Err(OrgError::RootFixed.into());
        }
        if target.path.starts_with(&node.path) {
            return Err(OrgError::Cycle {
                code: code.to_string(),
                target: parent.to_string(),
            }
            .into());
        }
        check_parent(code, node.level, &target.code, target.level)?;
        let mut edit = Edit::new(&mut tx, date).await?;
        edit.load_subtree(&mut tx, &node.path).await?;
        let details = serde_json::json!({ "unit": code, "to": parent }).to_string();
        edit.move_to(node.id, target.id);
        edit.nodes.insert(target.id, target);
        let event = edit.write(&mut tx, "move", change, details).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(event)
    }

    /// Merges `sources` into `target` on `date`: the children of each
    /// source move to the target, the sources end, and lineage links each
    /// source to the target. Units merge with units of their own level.
    pub async fn merge(&self, sources: &[String], target: &str, date: Day, change: &Change) -> Result<i64> {
        if sources.is_empty() {
            return Err(OrgError::MergeNoSources.into());
        }
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let into = resolve(&mut tx, target, date).await?;
        let mut edit = Edit::new(&mut tx, date).await?;
        let mut source_ids = Vec::new();
        for code in sources {
            let source = resolve(&mut tx, code, date).await?;
            if source.parent.is_none() {
                return Err(OrgError::RootFixed.into());
            }
            if into.path.starts_with(&source.path) {
                return Err(OrgError::MergeIntoDescendant {
                    code: code.clone(),
                    target: target.to_string(),
                }
                .into());
            }
            if source.level != into.level {
                return Err(OrgError::LevelNotAllowed {
                    code: code.clone(),
                    level: source.level,
                    parent: target.to_string(),
                    parent_level: into.level,
                }
                .into());
            }
            edit.load_subtree(&mut tx, &source.path).await?;
            source_ids.push(source.id);
        }
        for id in &source_ids {
            for child in edit.children_of(*id) {
                edit.move_to(child, into.id);
            }
            edit.end(*id);
            edit.link(*id, into.id, true);
        }
        let details = serde_json::json!({ "sources": sources, "target": target }).to_string();
        edit.nodes.insert(into.id, into);
        let event = edit.write(&mut tx, "merge", change, details).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(event)
    }

    /// Splits `code` into `parts` on `date`, under the source's parent.
    /// Every live child of the source must be assigned to one part in
    /// `assign` (child code → part code), or the split is refused.
    pub async fn split(
        &self,
        code: &str,
        parts: &[SplitPart],
        assign: &[(String, String)],
        date: Day,
        change: &Change,
    ) -> Result<i64> {
        if parts.len() < 2 {
            return Err(OrgError::SplitTooFewParts { code: code.to_string() }.into());
        }
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let source = resolve(&mut tx, code, date).await?;
        let Some(parent) = source.parent else {
            return Err(OrgError::RootFixed.into());
        };
        let details_row = sqlx::query("SELECT kind, trade, admin_commune FROM units WHERE id = $1")
            .bind(source.id)
            .fetch_one(&mut *tx)
            .await?;
        let kind: Option<String> = details_row.try_get(0)?;
        let mut edit = Edit::new(&mut tx, date).await?;
        edit.load_subtree(&mut tx, &source.path).await?;
        let mut part_ids = HashMap::new();
        for part in parts {
            let id = edit.create(Created {
                id: 0,
                code: part.code.to_string(),
                level: source.level,
                name: part.name.to_string(),
                parent: Some(parent),
                kind: kind.as_deref().and_then(Kind::parse),
                trade: details_row.try_get(1)?,
                admin_commune: details_row.try_get(2)?,
                founded: Some(date),
            });
            part_ids.insert(part.code.to_string(), id);
            edit.link(source.id, id, false);
        }
        let children: HashSet<i64> = edit.children_of(source.id).into_iter().collect();
        let mut assigned = HashSet::new();
        for (child_code, part_code) in assign {
            let child = children
                .iter()
                .find(|c| edit.node(**c).code == *child_code)
                .copied()
                .ok_or_else(|| OrgError::SplitNotAChild {
                    code: code.to_string(),
                    child: child_code.clone(),
                })?;
            let part = *part_ids.get(part_code).ok_or_else(|| OrgError::SplitUnknownPart {
                code: code.to_string(),
                target: part_code.clone(),
            })?;
            edit.move_to(child, part);
            assigned.insert(child);
        }
        if let Some(missing) = edit.children_of(source.id).into_iter().find(|c| !assigned.contains(c)) {
            let child = edit.node(missing).code.clone();
            return Err(OrgError::SplitChildUnassigned {
                code: code.to_string(),
                child,
            }
            .into());
        }
        edit.end(source.id);
        // The parent is not loaded: the parts hang under it unchanged.
        let parent_node = resolve_id(&mut tx, parent).await?;
        edit.nodes.insert(parent_node.id, parent_node);
        let codes: Vec<&str> = parts.iter().map(|p| p.code.as_str()).collect();
        let details = serde_json::json!({ "unit": code, "parts": codes, "assign": assign }).to_string();
        let event = edit.write(&mut tx, "split", change, details).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(event)
    }

    /// Dissolves `code` on `date`. A unit with live children is refused:
    /// they must be moved or merged first, so no unit is orphaned.
    pub async fn dissolve(&self, code: &str, date: Day, change: &Change) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let node = resolve(&mut tx, code, date).await?;
        if node.parent.is_none() {
            return Err(OrgError::RootFixed.into());
        }
        let mut edit = Edit::new(&mut tx, date).await?;
        edit.load_subtree(&mut tx, &node.path).await?;
        edit.end(node.id);
        let details = serde_json::json!({ "unit": code }).to_string();
        let event = edit.write(&mut tx, "dissolve", change, details).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(event)
    }

    /// Builds the tree from the shipped reference data on an empty
    /// database: with `legacy`, central → 63 provinces → 696 districts →
    /// 10,035 bases (and the five island district unions) as they stood on
    /// 30/6/2025, alive since [`Day::UNION_FOUNDED`]; otherwise central →
    /// 34 provinces → 3,321 bases from 1/7/2025.
    pub async fn bootstrap(&self, legacy: bool, change: &Change) -> Result<LevelCounts> {
        let date = if legacy { Day::UNION_FOUNDED } else { Day::REFORM_2025 };
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units")
            .fetch_one(&mut *tx)
            .await?;
        if units > 0 {
            return Err(OrgError::TreeNotEmpty.into());
        }
        let mut edit = Edit::new(&mut tx, date).await?;
        let root = edit.create(bootstrap_unit(
            "TW",
            Level::Central,
            "Trung ương Hội Nông dân Việt Nam",
            None,
            None,
        ));
        let mut parents: HashMap<&str, i64> = HashMap::new();
        if legacy {
            for row in admin::legacy_rows() {
                let province = *parents.entry(row.province.code).or_insert_with(|| {
                    edit.create(bootstrap_unit(
                        row.province.code,
                        Level::Province,
                        row.province.name,
                        Some(root),
                        None,
                    ))
                });
                let district = *parents.entry(row.district_code).or_insert_with(|| {
                    edit.create(bootstrap_unit(
                        row.district_code,
                        Level::District,
                        row.district_name,
                        Some(province),
                        None,
                    ))
                });
                if let Some((code, name)) = row.commune {
                    edit.create(bootstrap_unit(code, Level::Base, name, Some(district), Some(code)));
                }
            }
        } else {
            let names: HashMap<&str, &str> = admin::provinces_2025().into_iter().map(|p| (p.code, p.name)).collect();
            for commune in admin::communes_2025() {
                let province = *parents.entry(commune.province_code).or_insert_with(|| {
                    let name = names[commune.province_code];
                    edit.create(bootstrap_unit(
                        commune.province_code,
                        Level::Province,
                        name,
                        Some(root),
                        None,
                    ))
                });
                edit.create(bootstrap_unit(
                    commune.code,
                    Level::Base,
                    commune.name,
                    Some(province),
                    Some(commune.code),
                ));
            }
        }
        let details = serde_json::json!({ "tree": if legacy { "legacy" } else { "2025" } }).to_string();
        edit.write(&mut tx, "bootstrap", change, details).await?;
        crate::accounts::commit(tx, change).await?;
        self.level_counts(if legacy {
            Day::REFORM_2025.pred()
        } else {
            Day::REFORM_2025
        })
        .await
    }
}

pub(crate) fn bootstrap_unit(
    code: &str,
    level: Level,
    name: &str,
    parent: Option<i64>,
    commune: Option<&str>,
) -> Created {
    Created {
        id: 0,
        code: code.to_string(),
        level,
        name: name.to_string(),
        parent,
        kind: None,
        trade: None,
        admin_commune: commune.map(str::to_string),
        founded: None,
    }
}

/// The open version of the unit with id `id`.
pub(crate) async fn resolve_id(conn: &mut AnyConnection, id: i64) -> Result<Node> {
    let row = sqlx::query(concat!(
        "SELECT ",
        node_cols!(),
        " FROM unit_versions WHERE unit_id = $1 AND valid_to = '9999-12-31'"
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    node_from_row(&row)
}

/// Live units on `date` among `codes`: code → (id, name, level, parent).
async fn live_with_codes(
    conn: &mut AnyConnection,
    codes: Vec<String>,
    date: Day,
) -> Result<HashMap<String, (i64, String, Level, Option<i64>)>> {
    let rows = crate::sql::fetch_in(
        conn,
        "SELECT code, unit_id, name, level, parent_id FROM unit_versions
         WHERE valid_from <= $1 AND valid_to > $1 AND code IN (",
        vec![date.iso().into()],
        codes.into_iter().map(Into::into).collect(),
    )
    .await?;
    let mut out = HashMap::new();
    for row in rows {
        let level: String = row.try_get(3)?;
        let level = Level::parse(&level).expect("checked by the schema");
        out.insert(
            row.try_get(0)?,
            (row.try_get(1)?, row.try_get(2)?, level, row.try_get(4)?),
        );
    }
    Ok(out)
}

/// The unit `id` as it stood on `date`.
async fn unit_at(conn: &mut AnyConnection, id: i64, date: Day) -> Result<Option<Unit>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        unit_cols!(),
        " FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2 AND valid_to > $2"
    ))
    .bind(id)
    .bind(date.iso())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(unit_from_row).transpose()
}

/// What the web and the API ask before a change names a unit.
impl Store {
    /// Refuses `code` for a new branch or group under unit `parent` on
    /// `date` unless it begins with the parent's code, its commune's (the
    /// unit above a branch parent) or its province's ([`UnitCode::fits`]).
    ///
    /// Decided: the rule binds the units users add on the web (a child,
    /// the parts of a split). The command line and organisation imports
    /// load registers kept elsewhere, with their own numbering, and are
    /// the operator's to check.
    pub async fn check_child_code(&self, code: &UnitCode, parent: i64, date: Day) -> Result<()> {
        let mut conn = self.read.acquire().await?;
        let Some(above) = unit_at(&mut conn, parent, date).await? else {
            return Err(OrgError::UnknownUnit {
                code: parent.to_string(),
                as_of: date,
            }
            .into());
        };
        let mut prefixes = vec![above.code.clone()];
        prefixes.extend(above.province_code.clone());
        if above.level == Level::Branch
            && let Some(commune) = above.parent_id
            && let Some(commune) = unit_at(&mut conn, commune, date).await?
        {
            prefixes.push(commune.code);
        }
        if code.fits(&prefixes) {
            Ok(())
        } else {
            Err(OrgError::CodeDoesNotFit {
                code: code.to_string(),
                parent: above.code,
            }
            .into())
        }
    }

    /// The path access is asked on for a record naming unit `code` as it
    /// was on `day` (a position held there): the unit's path today; for a
    /// unit that has ended since, the path today of the province it was
    /// in on `day`; failing that, the root's, which only a central grant
    /// covers. A code that named no unit on either day is unknown.
    pub async fn access_path(&self, code: &str, day: Day) -> Result<String> {
        let today = Day::today();
        let mut conn = self.read.acquire().await?;
        let unit = match resolve_code_at(&mut conn, code, today).await {
            Ok(unit) => return Ok(unit.path),
            Err(_) => resolve_code_at(&mut conn, code, day).await?,
        };
        if let Some(province) = unit.province_code
            && let Ok(province) = resolve_code_at(&mut conn, &province, today).await
        {
            return Ok(province.path);
        }
        let root: Option<String> = sqlx::query_scalar(
            "SELECT path FROM unit_versions WHERE parent_id IS NULL AND valid_from <= $1 AND valid_to > $1",
        )
        .bind(today.iso())
        .fetch_optional(&mut *conn)
        .await?;
        Ok(root.unwrap_or_default())
    }
}
