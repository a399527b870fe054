//! A draft plan made from a document the plan reader read and a user
//! reviewed: the plan, its own unit's targets and its tasks written in
//! one transaction with one audit entry, and what the reviewer corrected
//! kept for the next reading (`migrations/*/0032_reading_corrections.sql`).

use crate::org::Change;
use crate::plan_life::insert_plan_in;
use crate::plans::put_target;
use crate::task_edits::insert_task_in;
use crate::tasks::NewTask;
use crate::{NewPlan, Result, Store};
use hnd_domain::Day;
use hnd_domain::plan::{Comparator, PlanStatus};
use sqlx::Row;

/// A reviewed reading, ready to write.
#[derive(Debug, Clone)]
pub struct ReadPlan {
    pub plan: NewPlan,
    /// The plan's own unit's targets: indicator, comparator, value.
    pub targets: Vec<(String, Comparator, f64)>,
    pub tasks: Vec<NewTask>,
    /// Phrases the reviewer read otherwise than the reader: the phrase and
    /// its indicator, or '' for a phrase that is not a target.
    pub corrections: Vec<(String, String)>,
}

impl Store {
    /// Writes `read` as a draft plan, all or none: every target and task
    /// is checked as [`Store::set_targets`] and [`Store::add_task`] check
    /// them before anything is written. Returns the plan's number.
    pub async fn create_draft_read(&self, read: &ReadPlan, change: &Change) -> Result<String> {
        let unit = self.unit(&read.plan.unit, Day::today()).await?.unit;
        let mut targets = Vec::with_capacity(read.targets.len());
        for (indicator, comparator, value) in &read.targets {
            let (id, province) = self
                .checked_target(&unit.path, &unit.code, &unit.code, indicator, *value)
                .await?;
            targets.push((id, province, indicator, comparator.code(), *value));
        }
        for task in &read.tasks {
            task.check()?;
        }
        let province = unit.province_code.clone().unwrap_or_else(|| "TW".into());
        let mut tx = self.write.begin().await?;
        let (number, plan) = insert_plan_in(&mut tx, &unit, &read.plan, PlanStatus::Draft, None, change).await?;
        for (id, province, indicator, comparator, value) in targets {
            put_target(&mut tx, plan, id, province, indicator, comparator, value).await?;
        }
        for task in &read.tasks {
            insert_task_in(&mut tx, plan, unit.id, &province, task).await?;
        }
        let now = chrono::Utc::now().to_rfc3339();
        for (phrase, indicator) in &read.corrections {
            sqlx::query(
                "INSERT INTO reading_corrections (phrase, indicator, corrected_by, corrected_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (phrase) DO UPDATE SET indicator = excluded.indicator,
                 corrected_by = excluded.corrected_by, corrected_at = excluded.corrected_at",
            )
            .bind(phrase.clone())
            .bind(indicator.clone())
            .bind(change.author.clone())
            .bind(now.clone())
            .execute(&mut *tx)
            .await?;
        }
        crate::accounts::commit(tx, &change.clone().with_after("number", number.clone().into())).await?;
        Ok(number)
    }

    /// What reviewers taught the reader: phrase → indicator ('' for a
    /// phrase that is not a target).
    pub async fn reading_corrections(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT phrase, indicator FROM reading_corrections ORDER BY phrase")
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }
}
