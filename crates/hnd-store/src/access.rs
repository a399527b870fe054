//! Where access to a unit is decided, whatever day a page shows it on.
//!
//! Rule (ARCHITECTURE.md, "Access"): access is always decided by today's
//! grants on today's tree. A unit alive today is judged on its path today,
//! so a grant follows its unit through moves, back in time too. A unit
//! that no longer exists is judged on its successors alive today, followed
//! through the lineage (merged into, split into, and so on down the
//! chain): whoever may act on one of them may read its predecessor's past.
//! A unit that ended with no successor alive today is judged on its last
//! position in the tree.

use crate::{Result, Store};
use hnd_domain::Day;
use std::collections::HashSet;

impl Store {
    /// The paths in today's tree on which access to unit `unit_id` is
    /// decided: its own path if it is alive today, else those of its
    /// successors alive today, else its last path. A user may act on the
    /// unit if they may act on any of them.
    pub async fn access_paths(&self, unit_id: i64) -> Result<Vec<String>> {
        let today = Day::today().iso();
        let mut conn = self.read.acquire().await?;
        let (mut seen, mut next, mut paths) = (HashSet::new(), vec![unit_id], Vec::new());
        while let Some(id) = next.pop() {
            if !seen.insert(id) {
                continue;
            }
            let alive: Option<String> = sqlx::query_scalar(
                "SELECT path FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2 AND valid_to > $2",
            )
            .bind(id)
            .bind(today.clone())
            .fetch_optional(&mut *conn)
            .await?;
            match alive {
                Some(path) => paths.push(path),
                None => {
                    let successors: Vec<i64> =
                        sqlx::query_scalar("SELECT DISTINCT to_unit FROM unit_lineage WHERE from_unit = $1")
                            .bind(id)
                            .fetch_all(&mut *conn)
                            .await?;
                    next.extend(successors);
                }
            }
        }
        if paths.is_empty() {
            let last: Option<String> = sqlx::query_scalar(
                "SELECT path FROM unit_versions WHERE unit_id = $1 ORDER BY valid_from DESC LIMIT 1",
            )
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await?;
            paths.extend(last);
        }
        paths.sort();
        paths.dedup();
        Ok(paths)
    }
}
