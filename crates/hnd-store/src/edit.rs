//! The one way the tree is written: load the open versions a change
//! touches, apply the change in memory, then close every version that
//! differs and insert its successor, all in the caller's transaction and
//! under one event. Creating, renaming, moving, merging, splitting,
//! dissolving, the bootstrap and the 2025 merger are all edits.

mod members;

use crate::sql::{Val, execute_in, fetch_in, insert_many, path_end};
use crate::{Result, org::Change};
use hnd_domain::{Day, Kind, Level, OrgError};
use sqlx::{AnyConnection, Row, any::AnyRow};
use std::collections::{HashMap, HashSet};

/// The open (latest) version of a unit, as loaded.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
    pub parent: Option<i64>,
    pub path: String,
    pub province: Option<String>,
    pub valid_from: Day,
}

macro_rules! node_cols {
    () => {
        "unit_id, code, level, name, parent_id, path, province_code, valid_from"
    };
}
pub(crate) use node_cols;

pub(crate) fn node_from_row(row: &AnyRow) -> Result<Node> {
    let level: String = row.try_get(2)?;
    let from: String = row.try_get(7)?;
    Ok(Node {
        id: row.try_get(0)?,
        code: row.try_get(1)?,
        level: Level::parse(&level).expect("level checked by the schema"),
        name: row.try_get(3)?,
        parent: row.try_get(4)?,
        path: row.try_get(5)?,
        province: row.try_get(6)?,
        valid_from: Day::from_iso(&from).expect("dates written by hnd"),
    })
}

/// A unit the edit brings into being.
#[derive(Debug, Clone)]
pub(crate) struct Created {
    pub id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
    pub parent: Option<i64>,
    pub kind: Option<Kind>,
    pub trade: Option<String>,
    pub admin_commune: Option<String>,
    pub founded: Option<Day>,
}

/// A change to the tree on one day, built up then written by [`Edit::write`].
pub(crate) struct Edit {
    pub date: Day,
    pub nodes: HashMap<i64, Node>,
    renamed: HashMap<i64, String>,
    moved: HashMap<i64, i64>,
    ended: HashSet<i64>,
    created: Vec<Created>,
    /// Position of each created unit in `created`, by id.
    created_at: HashMap<i64, usize>,
    lineage: Vec<(i64, i64, &'static str)>,
    next_id: i64,
}

impl Edit {
    /// Starts an edit; `conn` must hold the tree lock ([`lock_tree`]).
    /// Every tree edit passes here, so here the date rules hold: an edit
    /// may not be dated beyond the margin ahead ([`hnd_domain::dates`]).
    pub async fn new(conn: &mut AnyConnection, date: Day) -> Result<Edit> {
        crate::settings::check_tree_event(conn, date).await?;
        let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM units")
            .fetch_one(&mut *conn)
            .await?;
        Ok(Edit {
            date,
            nodes: HashMap::new(),
            renamed: HashMap::new(),
            moved: HashMap::new(),
            ended: HashSet::new(),
            created: Vec::new(),
            created_at: HashMap::new(),
            lineage: Vec::new(),
            next_id: max + 1,
        })
    }

    fn add(&mut self, rows: Vec<AnyRow>) -> Result<()> {
        for row in rows {
            let node = node_from_row(&row)?;
            self.nodes.insert(node.id, node);
        }
        Ok(())
    }

    /// Loads `node` and everything below it.
    pub async fn load_subtree(&mut self, conn: &mut AnyConnection, path: &str) -> Result<()> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            node_cols!(),
            " FROM unit_versions WHERE path >= $1 AND path < $2 AND valid_to = '9999-12-31'"
        ))
        .bind(path)
        .bind(path_end(path))
        .fetch_all(&mut *conn)
        .await?;
        self.add(rows)
    }

    /// Loads every open version: the whole current tree.
    pub async fn load_all(&mut self, conn: &mut AnyConnection) -> Result<()> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            node_cols!(),
            " FROM unit_versions WHERE valid_to = '9999-12-31'"
        ))
        .fetch_all(&mut *conn)
        .await?;
        self.add(rows)
    }

    pub fn node(&self, id: i64) -> &Node {
        &self.nodes[&id]
    }

    /// Children of `id` among the loaded units, as the tree stands before the edit.
    pub fn children_of(&self, id: i64) -> Vec<i64> {
        let mut out: Vec<i64> = self
            .nodes
            .values()
            .filter(|n| n.parent == Some(id))
            .map(|n| n.id)
            .collect();
        out.sort_by(|a, b| self.nodes[a].code.cmp(&self.nodes[b].code));
        out
    }

    pub fn create(&mut self, mut unit: Created) -> i64 {
        unit.id = self.next_id;
        self.next_id += 1;
        let id = unit.id;
        self.created_at.insert(id, self.created.len());
        self.created.push(unit);
        id
    }

    pub fn rename(&mut self, id: i64, name: &str) {
        self.renamed.insert(id, name.to_string());
    }

    pub fn move_to(&mut self, id: i64, parent: i64) {
        self.moved.insert(id, parent);
    }

    pub fn end(&mut self, id: i64) {
        self.ended.insert(id);
    }

    pub fn is_ended(&self, id: i64) -> bool {
        self.ended.contains(&id)
    }

    pub fn link(&mut self, from: i64, to: i64, whole: bool) {
        self.lineage.push((from, to, if whole { "whole" } else { "part" }));
    }

    fn parent_of(&self, id: i64) -> Option<i64> {
        if let Some(p) = self.moved.get(&id) {
            return Some(*p);
        }
        match self.nodes.get(&id) {
            Some(n) => n.parent,
            None => self.created_at.get(&id).and_then(|i| self.created[*i].parent),
        }
    }

    /// Paths and provinces after the edit, for every loaded or created unit.
    fn places(&self) -> HashMap<i64, (String, Option<String>)> {
        let created: HashMap<i64, &Created> = self.created.iter().map(|c| (c.id, c)).collect();
        let mut memo: HashMap<i64, (String, Option<String>)> = HashMap::new();
        let ids: Vec<i64> = self.nodes.keys().chain(created.keys()).copied().collect();
        for id in ids {
            self.place(id, &created, &mut memo);
        }
        memo
    }

    fn place(
        &self,
        id: i64,
        created: &HashMap<i64, &Created>,
        memo: &mut HashMap<i64, (String, Option<String>)>,
    ) -> (String, Option<String>) {
        if let Some(p) = memo.get(&id) {
            return p.clone();
        }
        let (code, level) = match (self.nodes.get(&id), created.get(&id)) {
            (Some(n), _) => (n.code.as_str(), n.level),
            (None, Some(c)) => (c.code.as_str(), c.level),
            (None, None) => unreachable!("unit {id} placed without being loaded"),
        };
        let parent = self.parent_of(id);
        let loaded_parent = parent.filter(|p| self.nodes.contains_key(p) || created.contains_key(p));
        let (path, province) = match (parent, loaded_parent) {
            (None, _) => (format!("/{id}/"), None),
            (Some(p), Some(_)) => {
                let (parent_path, parent_province) = self.place(p, created, memo);
                (format!("{parent_path}{id}/"), parent_province)
            }
            // The parent was not loaded, so it does not change: keep the
            // unit's own place, which already hangs under it.
            (Some(_), None) => {
                let node = &self.nodes[&id];
                (node.path.clone(), node.province.clone())
            }
        };
        let province = if level == Level::Province {
            Some(code.to_string())
        } else {
            province
        };
        memo.insert(id, (path.clone(), province.clone()));
        (path, province)
    }

    /// Checks the edit leaves a consistent tree, then writes it.
    pub async fn write(self, conn: &mut AnyConnection, kind: &str, change: &Change, details: String) -> Result<i64> {
        self.check(conn).await?;
        let event = insert_event(conn, kind, self.date, change, details).await?;
        let places = self.places();
        let date = self.date.iso();

        let mut closed: Vec<i64> = Vec::new();
        let mut versions: Vec<Vec<Val>> = Vec::new();
        // Units whose province changes, grouped by the new province.
        let mut province_moves: HashMap<String, Vec<i64>> = HashMap::new();
        let mut ids: Vec<&i64> = self.nodes.keys().collect();
        ids.sort();
        for id in ids {
            let node = &self.nodes[id];
            let name = self.renamed.get(id).unwrap_or(&node.name);
            let parent = self.parent_of(*id);
            let (path, province) = &places[id];
            let ended = self.ended.contains(id);
            let changed =
                *name != node.name || parent != node.parent || *path != node.path || *province != node.province;
            if !(ended || changed) {
                continue;
            }
            if node.valid_from > self.date {
                let (code, last) = (node.code.clone(), node.valid_from);
                return Err(OrgError::BeforeLastChange {
                    code,
                    date: self.date,
                    last,
                }
                .into());
            }
            closed.push(*id);
            if !ended && *province != node.province {
                province_moves
                    .entry(province.clone().unwrap_or_default())
                    .or_default()
                    .push(*id);
            }
            if !ended {
                versions.push(version_row(
                    *id, &node.code, node.level, name, parent, path, province, &date, event,
                ));
            }
        }
        let mut units: Vec<Vec<Val>> = Vec::new();
        for c in &self.created {
            let (path, province) = &places[&c.id];
            units.push(vec![
                c.id.into(),
                c.code.as_str().into(),
                c.level.as_str().into(),
                c.kind.map(|k| k.as_str().to_string()).into(),
                c.trade.clone().into(),
                c.admin_commune.clone().into(),
                c.founded.map(|d| d.iso()).into(),
                date.as_str().into(),
                event.into(),
            ]);
            versions.push(version_row(
                c.id, &c.code, c.level, &c.name, c.parent, path, province, &date, event,
            ));
        }

        let mut ended: Vec<i64> = self.ended.iter().copied().collect();
        ended.sort();
        // The versions closed and the units ended, on the day, by the event.
        let closing = [
            (
                "UPDATE unit_versions SET valid_to = $1, ended_by = $2 WHERE valid_to = '9999-12-31' AND unit_id IN (",
                &closed,
            ),
            ("UPDATE units SET valid_to = $1, ended_by = $2 WHERE id IN (", &ended),
        ];
        for (sql, ids) in closing {
            execute_in(conn, sql, vec![date.as_str().into(), event.into()], ids).await?;
        }
        insert_many(
            conn,
            "INSERT INTO units (id, code, level, kind, trade, admin_commune, founded_on, valid_from, created_by)",
            9,
            units,
        )
        .await?;
        insert_many(
            conn,
            "INSERT INTO unit_versions (unit_id, code, level, name, parent_id, path, province_code, valid_from, created_by)",
            9,
            versions,
        )
        .await?;
        let lineage = self
            .lineage
            .iter()
            .map(|(from, to, share)| {
                vec![
                    (*from).into(),
                    (*to).into(),
                    event.into(),
                    date.as_str().into(),
                    (*share).into(),
                ]
            })
            .collect();
        insert_many(
            conn,
            "INSERT INTO unit_lineage (from_unit, to_unit, event_id, effective_date, share)",
            5,
            lineage,
        )
        .await?;
        self.move_members(conn, &places, province_moves).await?;
        Ok(event)
    }

    /// No live unit may be left under an ended one, and no code may be
    /// taken twice at the same time.
    async fn check(&self, conn: &mut AnyConnection) -> Result<()> {
        let mut seen = HashSet::new();
        for c in &self.created {
            if !seen.insert(c.code.as_str()) {
                return Err(OrgError::DuplicateCode { code: c.code.clone() }.into());
            }
        }
        let codes: Vec<Val> = self.created.iter().map(|c| c.code.as_str().into()).collect();
        let taken = fetch_in(
            conn,
            "SELECT id, code FROM units WHERE valid_to > $1 AND code IN (",
            vec![self.date.iso().into()],
            codes,
        )
        .await?;
        for row in taken {
            let id: i64 = row.try_get(0)?;
            if !self.ended.contains(&id) {
                return Err(OrgError::DuplicateCode { code: row.try_get(1)? }.into());
            }
        }
        let mut live_children: HashMap<i64, usize> = HashMap::new();
        for id in self.nodes.keys().chain(self.created_at.keys()) {
            if let (false, Some(parent)) = (self.ended.contains(id), self.parent_of(*id)) {
                *live_children.entry(parent).or_default() += 1;
            }
        }
        let mut ended: Vec<&i64> = self.ended.iter().collect();
        ended.sort();
        for id in ended {
            if let Some(count) = live_children.get(id) {
                return Err(OrgError::HasChildren {
                    code: self.nodes[id].code.clone(),
                    count: *count,
                }
                .into());
            }
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn version_row(
    id: i64,
    code: &str,
    level: Level,
    name: &str,
    parent: Option<i64>,
    path: &str,
    province: &Option<String>,
    date: &str,
    event: i64,
) -> Vec<Val> {
    vec![
        id.into(),
        code.into(),
        level.as_str().into(),
        name.into(),
        parent.into(),
        path.into(),
        province.clone().into(),
        date.into(),
        event.into(),
    ]
}

/// Takes the tree's write lock for the rest of the transaction: every tree
/// write bumps the one row of `org_clock` first, so writes to the tree
/// happen one after another on both engines.
pub(crate) async fn lock_tree(conn: &mut AnyConnection) -> Result<()> {
    sqlx::query("UPDATE org_clock SET seq = seq + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn insert_event(
    conn: &mut AnyConnection,
    kind: &str,
    date: Day,
    change: &Change,
    details: String,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_events (kind, effective_date, author, reason, details, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind.to_string())
    .bind(date.iso())
    .bind(change.author.clone())
    .bind(change.reason.clone())
    .bind(details)
    .bind(chrono::Utc::now().to_rfc3339())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}
