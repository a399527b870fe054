//! Mappings saved by name per unit: how a member list in a layout of its
//! own is read, kept so that the next file from the same unit imports in
//! one step. The store keeps the text; the import crate reads it.

use crate::org::Change;
use crate::sql::Stamped;
use crate::{Result, Store};
use hnd_domain::Day;
use serde::Serialize;
use sqlx::Row;

/// The most saved mappings one list shows.
pub const MAPPINGS_LISTED: usize = 500;

/// A saved mapping: its name, its text and who saved it when.
#[derive(Debug, Clone, Serialize)]
pub struct SavedMapping {
    pub unit_code: String,
    /// The unit's name today.
    pub unit_name: String,
    pub name: String,
    pub body: String,
    pub saved_by: String,
    /// RFC 3339 time.
    pub saved_at: String,
}

impl Store {
    /// Saves `body` as the mapping `name` of unit `unit`, replacing one of
    /// that name.
    pub async fn save_import_mapping(&self, unit: &str, name: &str, body: &str, change: &Change) -> Result<()> {
        let province = self
            .unit(unit, Day::today())
            .await?
            .unit
            .province_code
            .unwrap_or_default();
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO import_mappings (province_code, unit_code, name, body, saved_by, saved_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (province_code, unit_code, name) DO UPDATE SET body = excluded.body,
                 saved_by = excluded.saved_by, saved_at = excluded.saved_at",
        )
        .bind(province)
        .bind(unit.to_string())
        .bind(name.to_string())
        .bind(body.to_string())
        .stamped(change)
        .execute(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await
    }

    /// Removes the mapping `name` of unit `unit`; whether there was one.
    pub async fn delete_import_mapping(&self, unit: &str, name: &str, change: &Change) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        let gone = sqlx::query("DELETE FROM import_mappings WHERE unit_code = $1 AND name = $2")
            .bind(unit.to_string())
            .bind(name.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone == 0 {
            return Ok(false);
        }
        crate::accounts::commit(tx, change).await?;
        Ok(true)
    }

    /// The mappings saved for unit `unit`, by name.
    pub async fn import_mappings(&self, unit: &str) -> Result<Vec<SavedMapping>> {
        self.saved_mappings("v.code = $1", &[unit.to_string()]).await
    }

    /// The mappings saved for the units in the subtree at `path` (today's
    /// tree), by unit and name: at most [`MAPPINGS_LISTED`].
    pub async fn import_mappings_under(&self, path: &str) -> Result<Vec<SavedMapping>> {
        let range = [path.to_string(), crate::sql::path_end(path)];
        self.saved_mappings("v.path >= $1 AND v.path < $2", &range).await
    }

    /// The saved mappings of the units `units` picks (a condition on the
    /// unit's version `v`, with `binds` for its parameters).
    async fn saved_mappings(&self, units: &'static str, binds: &[String]) -> Result<Vec<SavedMapping>> {
        let sql = format!(
            "SELECT m.unit_code, v.name, m.name, m.body, m.saved_by, m.saved_at FROM import_mappings m
             JOIN unit_versions v ON v.code = m.unit_code AND v.valid_to = '9999-12-31'
             WHERE {units} ORDER BY m.unit_code, m.name LIMIT {MAPPINGS_LISTED}"
        );
        // The condition is one of this file's own texts; values are bound.
        let query = binds
            .iter()
            .fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |q, b| q.bind(b.clone()));
        let rows = query.fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(SavedMapping {
                    unit_code: r.try_get(0)?,
                    unit_name: r.try_get(1)?,
                    name: r.try_get(2)?,
                    body: r.try_get(3)?,
                    saved_by: r.try_get(4)?,
                    saved_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// The mapping `name` of unit `unit`, if saved.
    pub async fn import_mapping(&self, unit: &str, name: &str) -> Result<Option<SavedMapping>> {
        Ok(self.import_mappings(unit).await?.into_iter().find(|m| m.name == name))
    }
}
