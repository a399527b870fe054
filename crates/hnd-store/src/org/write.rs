//! Changing the tree: create, rename, move, merge, split, dissolve and the
//! bootstrap, each one transaction and one dated event through `edit.rs`.

use super::resolve::{live_with_codes, resolve, resolve_id};
use super::types::{Change, LevelCounts, NewUnit, SplitPart};
use crate::edit::{Created, Edit, lock_tree};
use crate::{Result, Store};
use hnd_domain::{Day, Kind, Level, OrgError, UnitName, admin};
use serde::Serialize;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

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
