//! Figures the register cannot know, typed per unit and period (the entry
//! grid, `indicator_values`): a period's figures of one unit written at
//! once, all or none, each with who entered it and when; and the periods
//! locked once their report is approved (`period_locks`), whose figures
//! are refused.

use crate::indicators::check_value;
use crate::org::Change;
use crate::sql::Stamped;
use crate::{Result, Store};
use hnd_domain::plan::{Period, Source, indicator};
use hnd_domain::{Day, PlanError};
use serde::Serialize;
use sqlx::Row;

/// A figure a unit entered for a period, with who entered it and when.
#[derive(Debug, Clone, Serialize)]
pub struct EnteredValue {
    pub indicator: String,
    pub value: f64,
    pub entered_by: String,
    /// RFC 3339.
    pub entered_at: String,
}

/// The ids of the units on `path` (`/1/52/7730/`): the unit and those above it.
fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|id| id.parse().ok()).collect()
}

impl Store {
    /// Records figures the register cannot know for `unit` and `period`,
    /// each replacing one entered before, all in one transaction: refused
    /// whole if one figure is not one its indicator takes, or if the
    /// period is locked for the unit or a unit above it.
    pub async fn enter_values(
        &self,
        unit: &str,
        period: Period,
        values: &[(String, f64)],
        change: &Change,
    ) -> Result<()> {
        if values.iter().any(|(code, _)| indicator(code).is_none()) {
            // Added by another process since this one opened the database?
            self.load_indicators().await?;
        }
        for (code, value) in values {
            check_value(code, *value)?;
            if indicator(code).is_some_and(|i| i.source != Source::Entered) {
                return Err(PlanError::NotEntered {
                    indicator: code.clone(),
                }
                .into());
            }
        }
        let u = self.unit(unit.trim(), Day::today()).await?.unit;
        let mut tx = self.write.begin().await?;
        if self.locked_in(&mut tx, &u.path, period).await? {
            let unit = u.code.clone();
            return Err(PlanError::PeriodLocked {
                unit,
                period: period.to_string(),
            }
            .into());
        }
        for (code, value) in values {
            sqlx::query("DELETE FROM indicator_values WHERE unit_id = $1 AND indicator = $2 AND period = $3")
                .bind(u.id)
                .bind(code.clone())
                .bind(period.code())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO indicator_values (unit_id, province_code, indicator, period, value, entered_by, entered_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(u.id)
            .bind(u.province_code.clone())
            .bind(code.clone())
            .bind(period.code())
            .bind(*value)
            .stamped(change)
            .execute(&mut *tx)
            .await?;
        }
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// Records one figure (see [`Store::enter_values`]).
    pub async fn enter_value(
        &self,
        unit: &str,
        indicator_code: &str,
        period: Period,
        value: f64,
        change: &Change,
    ) -> Result<()> {
        self.enter_values(unit, period, &[(indicator_code.to_string(), value)], change)
            .await
    }

    /// Whether the period is locked for the unit at `path` or a unit above it.
    async fn locked_in(&self, conn: &mut sqlx::AnyConnection, path: &str, period: Period) -> Result<bool> {
        let ids = path_ids(path);
        let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT COUNT(*) FROM period_locks WHERE period = $1 AND unit_id IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(period.code());
        for id in ids {
            q = q.bind(id);
        }
        let n: i64 = q.fetch_one(&mut *conn).await?;
        Ok(n > 0)
    }

    /// Whether `unit`'s figures for `period` are locked (by a lock on it or
    /// on a unit above it).
    pub async fn period_locked(&self, unit: &str, period: Period) -> Result<bool> {
        let u = self.unit(unit.trim(), Day::today()).await?.unit;
        let mut conn = self.read.acquire().await?;
        self.locked_in(&mut conn, &u.path, period).await
    }

    /// Locks `unit`'s figures for `period`, and those of every unit below
    /// it (the reports workflow, once the period's report is approved).
    /// Locking again changes nothing.
    pub async fn lock_period(&self, unit: &str, period: Period, change: &Change) -> Result<()> {
        let (id, _) = self.unit_path(unit.trim()).await?;
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO period_locks (unit_id, period, locked_by, locked_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (unit_id, period) DO NOTHING",
        )
        .bind(id)
        .bind(period.code())
        .stamped(change)
        .execute(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await
    }

    /// Lifts `unit`'s lock on `period` (a report sent back for changes).
    pub async fn unlock_period(&self, unit: &str, period: Period, change: &Change) -> Result<()> {
        let (id, _) = self.unit_path(unit.trim()).await?;
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM period_locks WHERE unit_id = $1 AND period = $2")
            .bind(id)
            .bind(period.code())
            .execute(&mut *tx)
            .await?;
        crate::accounts::commit(tx, change).await
    }

    /// The figures unit `unit_id` itself entered for `period`, with who
    /// entered each and when, by indicator.
    pub async fn entered_values(&self, unit_id: i64, period: Period) -> Result<Vec<EnteredValue>> {
        let rows = sqlx::query(
            "SELECT indicator, value, entered_by, entered_at FROM indicator_values
             WHERE unit_id = $1 AND period = $2 ORDER BY indicator",
        )
        .bind(unit_id)
        .bind(period.code())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EnteredValue {
                    indicator: r.try_get(0)?,
                    value: r.try_get(1)?,
                    entered_by: r.try_get(2)?,
                    entered_at: r.try_get(3)?,
                })
            })
            .collect()
    }
}
