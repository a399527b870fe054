//! Finding units by name, as a person choosing a unit types it: any part
//! of the name, accents ignored (đ → d), within the chooser's subtree.
//!
//! Today's tree is held in memory for this (about 110,000 units across the
//! country, a few megabytes), read once and read again only when the tree
//! has changed: before each search the store asks for the newest tree
//! event, one index lookup. Every server process keeps its own copy, so
//! several servers behind one database stay right.

use crate::{Result, Store};
use hnd_domain::{Day, Level, fold};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A unit found by its name, with the path that tells it from its
/// namesakes: "Chi hội Đồng Tâm · Phường Cẩm Thành · Quảng Ngãi".
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitHit {
    pub code: String,
    pub name: String,
    pub level: Level,
    /// The names of the units above it, nearest first, up to its province.
    pub path: String,
}

/// One unit of today's tree.
struct Entry {
    code: String,
    name: String,
    folded: String,
    level: Level,
    path: String,
    parent: Option<i64>,
}

/// Today's tree by unit id, as of `day` and the tree event `event`.
pub(crate) struct Names {
    day: Day,
    event: i64,
    units: HashMap<i64, Entry>,
    /// Unit ids by code, for lists that name a page's units.
    by_code: HashMap<String, i64>,
}

/// The cache a store shares between its clones.
pub(crate) type NameCache = Arc<tokio::sync::Mutex<Option<Arc<Names>>>>;

impl Names {
    /// The names above `entry`, nearest first, the root left out.
    fn path_of(&self, entry: &Entry) -> String {
        let mut names = Vec::new();
        let mut up = entry.parent;
        while let Some(id) = up {
            let Some(parent) = self.units.get(&id) else { break };
            if parent.parent.is_none() {
                break;
            }
            names.push(parent.name.as_str());
            up = parent.parent;
        }
        names.join(" · ")
    }
}

/// How well `folded` (a unit's folded name) answers the typed `words`:
/// `None` when some word is not the start of one of its words; otherwise
/// smaller is better (the whole name, then the words in order from the
/// start, then anywhere).
fn rank(folded: &str, words: &[String]) -> Option<u8> {
    let own: Vec<&str> = folded.split_whitespace().collect();
    if !words.iter().all(|w| own.iter().any(|o| o.starts_with(w.as_str()))) {
        return None;
    }
    let typed = words.join(" ");
    if folded == typed || own.iter().any(|o| *o == typed) {
        return Some(0);
    }
    // The typed words as the tail of the name ("cam thanh" for "Phường
    // Cẩm Thành"): a name is mostly a kind of unit then its proper name.
    let tail = own.len().saturating_sub(words.len());
    if own[tail..].iter().zip(words).all(|(o, w)| o.starts_with(w.as_str())) {
        return Some(1);
    }
    Some(2)
}

impl Store {
    /// Today's tree's names, read again if the tree changed.
    async fn names(&self) -> Result<Arc<Names>> {
        let today = Day::today();
        let event: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM org_events")
            .fetch_one(&self.read)
            .await?;
        let mut cache = self.names.lock().await;
        if let Some(names) = cache.as_ref()
            && names.day == today
            && names.event == event
        {
            return Ok(names.clone());
        }
        let rows: Vec<(i64, String, String, String, Option<i64>, String)> = sqlx::query_as(
            "SELECT unit_id, code, level, name, parent_id, path FROM unit_versions
             WHERE valid_from <= $1 AND valid_to > $1",
        )
        .bind(today.iso())
        .fetch_all(&self.read)
        .await?;
        let units: HashMap<i64, Entry> = rows
            .into_iter()
            .map(|(id, code, level, name, parent, path)| {
                let entry = Entry {
                    folded: fold(&name),
                    level: Level::parse(&level).expect("level checked by the schema"),
                    code,
                    name,
                    path,
                    parent,
                };
                (id, entry)
            })
            .collect();
        let by_code = units.iter().map(|(id, e)| (e.code.clone(), *id)).collect();
        let names = Arc::new(Names {
            day: today,
            event,
            units,
            by_code,
        });
        *cache = Some(names.clone());
        Ok(names)
    }

    /// Units of today's tree within the subtrees at `within` (paths) whose
    /// name holds every typed word as the start of one of its words, or
    /// whose code starts with `text`; best first (the whole name, then
    /// the higher unit, then by name), at most `limit`.
    pub async fn find_units(&self, within: &[String], text: &str, limit: usize) -> Result<Vec<UnitHit>> {
        let words: Vec<String> = fold(text).split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let code = text.trim().to_uppercase();
        let names = self.names().await?;
        let mut found: Vec<(u8, usize, &Entry)> = names
            .units
            .values()
            .filter(|e| within.iter().any(|p| e.path.starts_with(p.as_str())))
            .filter_map(|e| {
                let by_code = e.code.to_uppercase().starts_with(&code).then_some(0);
                let by_name = rank(&e.folded, &words);
                by_code.or(by_name).map(|r| (r, e.path.len(), e))
            })
            .collect();
        found.sort_by(|a, b| (a.0, a.1, &a.2.folded, &a.2.code).cmp(&(b.0, b.1, &b.2.folded, &b.2.code)));
        Ok(found
            .into_iter()
            .take(limit)
            .map(|(_, _, e)| UnitHit {
                code: e.code.clone(),
                name: e.name.clone(),
                level: e.level,
                path: names.path_of(e),
            })
            .collect())
    }

    /// The names of the units `codes` in today's tree (codes not found
    /// are left out): for lists that show a unit's name beside its code.
    pub async fn unit_names(&self, codes: &[&str]) -> Result<HashMap<String, String>> {
        let names = self.names().await?;
        Ok(codes
            .iter()
            .filter_map(|code| names.by_code.get(*code).and_then(|id| names.units.get(id)))
            .map(|e| (e.code.clone(), e.name.clone()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::rank;

    fn words(text: &str) -> Vec<String> {
        hnd_domain::fold(text).split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn a_name_is_found_by_any_of_its_words_best_first() {
        let name = hnd_domain::fold("Phường Cẩm Thành");
        assert_eq!(rank(&name, &words("phuong cam thanh")), Some(0));
        assert_eq!(rank(&name, &words("cam thanh")), Some(1));
        assert_eq!(rank(&name, &words("Thành")), Some(0), "a whole word of the name");
        assert_eq!(rank(&name, &words("than")), Some(1));
        assert_eq!(rank(&name, &words("cam ph")), Some(2));
        assert_eq!(rank(&name, &words("cam ha")), None);
    }
}
