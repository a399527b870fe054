//! The 2025 reform as one tree operation: 63 provinces into 34, the
//! district level ended, 10,035 communes into 3,321, on 1/7/2025.
//!
//! Rules (ARCHITECTURE.md explains why):
//! - a 2025 province or commune whose code is that of a predecessor going
//!   into it by default *continues* that unit (renamed, re-homed); any
//!   other 2025 unit is created; every other predecessor ends on 1/7/2025
//!   and its children move to its successor;
//! - a legacy commune split between several new ones goes whole to its
//!   default target, is linked as `part` to the others, and appears in the
//!   review list for a person to confirm;
//! - the five island districts without communes become their special zones;
//! - districts end; anything left under them moves to the new province.

use crate::edit::{Edit, lock_tree};
use crate::org::{Change, LevelCounts, bootstrap_unit};
use crate::{Result, Store};
use hnd_domain::{Day, Level, OrgError, admin};
use serde::Serialize;
use std::collections::HashMap;

/// A legacy commune that went to several new ones: where its union went
/// (the default) and the other candidates, for a person to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRow {
    pub legacy_code: String,
    pub legacy_name: String,
    pub default_code: String,
    pub default_name: String,
    /// `code name` of the other new communes part of it went to.
    pub other_targets: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MergerReport {
    /// False when the merger had already been applied: nothing changed.
    pub applied: bool,
    pub before: LevelCounts,
    pub after: LevelCounts,
    pub review: Vec<ReviewRow>,
}

impl Store {
    /// Applies the 2025 reform to a legacy tree; running it again changes
    /// nothing.
    pub async fn apply_2025_merger(&self, change: &Change) -> Result<MergerReport> {
        let date = Day::REFORM_2025;
        let before = self.level_counts(date.pred()).await?;
        let mut tx = self.write.begin().await?;
        lock_tree(&mut tx).await?;
        let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_events WHERE kind = 'reform_2025'")
            .fetch_one(&mut *tx)
            .await?;
        if done > 0 {
            tx.rollback().await?;
            let after = self.level_counts(date).await?;
            return Ok(MergerReport {
                applied: false,
                before,
                after,
                review: Vec::new(),
            });
        }
        let mut edit = Edit::new(&mut tx, date).await?;
        edit.load_all(&mut tx).await?;
        let by_code = |edit: &Edit, level: Level| -> HashMap<String, i64> {
            edit.nodes
                .values()
                .filter(|n| n.level == level)
                .map(|n| (n.code.clone(), n.id))
                .collect()
        };
        let provinces = by_code(&edit, Level::Province);
        let districts = by_code(&edit, Level::District);
        let bases = by_code(&edit, Level::Base);
        if districts.is_empty() {
            return Err(OrgError::NotLegacyTree.into());
        }
        let root = edit
            .nodes
            .values()
            .find(|n| n.parent.is_none())
            .map(|n| n.id)
            .ok_or(OrgError::NotLegacyTree)?;

        // Where each ended unit's children go.
        let mut successor: HashMap<i64, i64> = HashMap::new();

        let mut new_provinces: HashMap<&str, i64> = HashMap::new();
        let mappings = admin::province_mappings();
        for m in &mappings {
            if new_provinces.contains_key(m.code_2025) {
                continue;
            }
            let id = match provinces.get(m.code_2025) {
                Some(id)
                    if mappings
                        .iter()
                        .any(|o| o.legacy_code == m.code_2025 && o.code_2025 == m.code_2025) =>
                {
                    edit.rename(*id, m.name_2025);
                    *id
                }
                _ => edit.create(bootstrap_unit(
                    m.code_2025,
                    Level::Province,
                    m.name_2025,
                    Some(root),
                    None,
                )),
            };
            new_provinces.insert(m.code_2025, id);
        }
        for m in &mappings {
            let (Some(old), Some(new)) = (provinces.get(m.legacy_code), new_provinces.get(m.code_2025)) else {
                continue;
            };
            if old != new {
                edit.end(*old);
                edit.link(*old, *new, true);
                successor.insert(*old, *new);
            }
        }

        let communes = admin::commune_mappings();
        let mut new_communes: HashMap<&str, i64> = HashMap::new();
        let names_2025: HashMap<&str, &str> = admin::communes_2025().iter().map(|c| (c.code, c.name)).collect();
        for c in admin::communes_2025() {
            let province = new_provinces[c.province_code];
            let continues = communes
                .iter()
                .any(|m| m.legacy_code == c.code && m.code_2025 == c.code && m.is_default);
            let id = match bases.get(c.code) {
                Some(id) if continues => {
                    edit.rename(*id, c.name);
                    edit.move_to(*id, province);
                    *id
                }
                _ => edit.create(bootstrap_unit(
                    c.code,
                    Level::Base,
                    c.name,
                    Some(province),
                    Some(c.code),
                )),
            };
            new_communes.insert(c.code, id);
        }
        let mut review: HashMap<&str, ReviewRow> = HashMap::new();
        for m in &communes {
            let (Some(old), Some(new)) = (bases.get(m.legacy_code), new_communes.get(m.code_2025)) else {
                continue;
            };
            if m.is_default {
                if old != new {
                    edit.end(*old);
                    successor.insert(*old, *new);
                    edit.link(*old, *new, m.whole);
                }
            } else {
                edit.link(*old, *new, false);
                let legacy_name = edit.node(*old).name.clone();
                let default_code = communes
                    .iter()
                    .find(|d| d.legacy_code == m.legacy_code && d.is_default)
                    .map(|d| d.code_2025)
                    .expect("every legacy commune has a default (checked by a test)");
                let row = review.entry(m.legacy_code).or_insert_with(|| ReviewRow {
                    legacy_code: m.legacy_code.to_string(),
                    legacy_name,
                    default_code: default_code.to_string(),
                    default_name: names_2025[default_code].to_string(),
                    other_targets: Vec::new(),
                });
                row.other_targets
                    .push((m.code_2025.to_string(), names_2025[m.code_2025].to_string()));
            }
        }
        for m in admin::district_mappings() {
            if let (Some(old), Some(new)) = (districts.get(m.legacy_code), new_communes.get(m.code_2025)) {
                edit.link(*old, *new, true);
                successor.insert(*old, *new);
            }
        }
        for (code, id) in &districts {
            edit.end(*id);
            successor.entry(*id).or_insert_with(|| {
                let province = edit.node(*id).province.clone().unwrap_or_default();
                let target = mappings.iter().find(|m| m.legacy_code == province).map(|m| m.code_2025);
                target
                    .and_then(|t| new_provinces.get(t))
                    .copied()
                    .unwrap_or_else(|| panic!("district {code}"))
            });
        }

        // Everything still under an ended unit follows it.
        let ids: Vec<i64> = edit.nodes.keys().copied().collect();
        for id in ids {
            if edit.is_ended(id) {
                continue;
            }
            let Some(mut parent) = edit.node(id).parent else {
                continue;
            };
            if !edit.is_ended(parent) {
                continue;
            }
            while let Some(next) = successor.get(&parent) {
                parent = *next;
                if !edit.is_ended(parent) {
                    break;
                }
            }
            edit.move_to(id, parent);
        }

        let mut review: Vec<ReviewRow> = review.into_values().collect();
        review.sort_by(|a, b| a.legacy_code.cmp(&b.legacy_code));
        let details = serde_json::json!({ "review": review.len() }).to_string();
        edit.write(&mut tx, "reform_2025", change, details).await?;
        crate::accounts::commit(tx, change).await?;
        self.refresh_statistics(crate::Bulk::Tree).await?;
        let after = self.level_counts(date).await?;
        Ok(MergerReport {
            applied: true,
            before,
            after,
            review,
        })
    }
}
