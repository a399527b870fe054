//! Reading the tree as of any day: a unit, its children, descendants and
//! ancestors, counts by level, lineage and events; and what a change asks
//! before it names a unit (a child's code, the path access is judged on).

use super::resolve::resolve_code_at;
use super::types::{
    LevelCounts, Lineage, LineageLink, OrgEvent, Unit, UnitDetails, counts_from_rows, day, event_from_row, unit_cols,
    unit_from_row, units_from_rows,
};
use crate::sql::path_end;
use crate::{Result, Store};
use hnd_domain::{Day, Kind, Level, OrgError, UnitCode};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

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
