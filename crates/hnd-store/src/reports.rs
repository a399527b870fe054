//! Periodic reports and their workflow (`hnd_domain::report`): a unit's
//! draft, the steps the level above takes on it, the lock an approval puts
//! on the period's figures, the reports of the units below. See
//! `migrations/*/0031_reports.sql`.

use crate::org::Change;
use crate::sql::Stamped;
use crate::{Result, Store, Unit};
use hnd_domain::plan::Period;
use hnd_domain::{Day, ReportError, ReportForm, ReportStatus, ReportStep};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

/// A report as kept.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: i64,
    pub unit_id: i64,
    pub form: String,
    /// The period's code (`2026-H1`).
    pub period: String,
    pub status: String,
    /// Its number, given when first submitted ("15-BC/HNDT").
    pub number: Option<String>,
    /// The narrative by part (`results`, `shortcomings`…).
    pub parts: BTreeMap<String, String>,
    /// The figures typed, by code.
    pub typed: BTreeMap<String, i64>,
    /// The last return's or unlock's comment.
    pub comment: String,
    /// The day it was last submitted (ISO).
    pub submitted_on: Option<String>,
    pub written_by: String,
    pub written_at: String,
}

/// A step taken on a report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportStepRow {
    pub step: String,
    pub comment: String,
    pub taken_by: String,
    pub taken_at: String,
}

const COLUMNS: &str = "r.id, r.unit_id, r.form, r.period, r.status, r.number, r.parts, r.typed, r.comment, r.submitted_on, r.written_by, r.written_at";

fn report_of(r: &AnyRow) -> Result<Report> {
    let parts: String = r.try_get(6)?;
    let typed: String = r.try_get(7)?;
    Ok(Report {
        id: r.try_get(0)?,
        unit_id: r.try_get(1)?,
        form: r.try_get(2)?,
        period: r.try_get(3)?,
        status: r.try_get(4)?,
        number: r.try_get(5)?,
        parts: serde_json::from_str(&parts).unwrap_or_default(),
        typed: serde_json::from_str(&typed).unwrap_or_default(),
        comment: r.try_get(8)?,
        submitted_on: r.try_get(9)?,
        written_by: r.try_get(10)?,
        written_at: r.try_get(11)?,
    })
}

async fn find(
    conn: &mut sqlx::AnyConnection,
    unit_id: i64,
    form: ReportForm,
    period: Period,
) -> Result<Option<Report>> {
    let sql = format!("SELECT {COLUMNS} FROM reports r WHERE r.unit_id = $1 AND r.form = $2 AND r.period = $3");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(unit_id)
        .bind(form.code())
        .bind(period.code())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(report_of).transpose()
}

fn unknown(unit: &Unit, form: ReportForm, period: Period) -> ReportError {
    ReportError::Unknown {
        unit: unit.code.clone(),
        form: form.code().into(),
        period: period.to_string(),
    }
}

impl Store {
    /// Unit `unit`'s report on `form` for `period`, if written.
    pub async fn report(&self, unit: &str, form: ReportForm, period: Period) -> Result<Option<Report>> {
        let u = self.unit(unit.trim(), Day::today()).await?.unit;
        let mut conn = self.read.acquire().await?;
        find(&mut conn, u.id, form, period).await
    }

    /// The steps taken on report `id`, oldest first.
    pub async fn report_steps(&self, id: i64) -> Result<Vec<ReportStepRow>> {
        let rows =
            sqlx::query("SELECT step, comment, taken_by, taken_at FROM report_steps WHERE report_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&self.read)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(ReportStepRow {
                    step: r.try_get(0)?,
                    comment: r.try_get(1)?,
                    taken_by: r.try_get(2)?,
                    taken_at: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Writes unit `unit`'s draft on `form` for `period`: creates it, or
    /// replaces the parts and figures of one still with the unit (a draft
    /// or a returned report). Returns its id.
    pub async fn save_report(
        &self,
        unit: &str,
        form: ReportForm,
        period: Period,
        parts: &BTreeMap<String, String>,
        typed: &BTreeMap<String, i64>,
        change: &Change,
    ) -> Result<i64> {
        let u = self.unit(unit.trim(), Day::today()).await?.unit;
        let mut tx = self.write.begin().await?;
        let parts_json = serde_json::to_string(parts).expect("text by text");
        let typed_json = serde_json::to_string(typed).expect("numbers by text");
        let id = match find(&mut tx, u.id, form, period).await? {
            Some(r) => {
                let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
                if !status.editable() {
                    return Err(ReportError::Step {
                        status: r.status,
                        step: "edit".into(),
                    }
                    .into());
                }
                sqlx::query("UPDATE reports SET parts = $2, typed = $3, written_by = $4, written_at = $5 WHERE id = $1")
                    .bind(r.id)
                    .bind(parts_json)
                    .bind(typed_json)
                    .stamped(change)
                    .execute(&mut *tx)
                    .await?;
                r.id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO reports (province_code, unit_id, form, period, status, parts, typed, written_by, written_at)
                     VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8) RETURNING id",
                )
                .bind(u.province_code.clone().unwrap_or_default())
                .bind(u.id)
                .bind(form.code())
                .bind(period.code())
                .bind(parts_json)
                .bind(typed_json)
                .stamped(change)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        crate::accounts::commit(tx, change).await?;
        Ok(id)
    }

    /// Takes `step` on unit `unit`'s report on `form` for `period`, on
    /// `day`, all in one transaction: the new status, the step's row, the
    /// report's number on its first submission, and on approval the lock
    /// on the unit's figures for the period (lifted by an unlock). A
    /// report not yet written is created empty to be submitted.
    #[allow(clippy::too_many_arguments)]
    pub async fn take_report_step(
        &self,
        unit: &str,
        form: ReportForm,
        period: Period,
        step: ReportStep,
        comment: &str,
        day: Day,
        change: &Change,
    ) -> Result<Report> {
        let details = self.unit(unit.trim(), Day::today()).await?;
        let u = details.unit;
        let mut tx = self.write.begin().await?;
        let report = match find(&mut tx, u.id, form, period).await? {
            Some(r) => r,
            None if step == ReportStep::Submit => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO reports (province_code, unit_id, form, period, status, written_by, written_at)
                     VALUES ($1, $2, $3, $4, 'draft', $5, $6) RETURNING id",
                )
                .bind(u.province_code.clone().unwrap_or_default())
                .bind(u.id)
                .bind(form.code())
                .bind(period.code())
                .stamped(change)
                .fetch_one(&mut *tx)
                .await?;
                find(&mut tx, u.id, form, period)
                    .await?
                    .filter(|r| r.id == id)
                    .expect("just written")
            }
            None => return Err(unknown(&u, form, period).into()),
        };
        let (from, to) = step.from_to();
        let status = ReportStatus::parse(&report.status).unwrap_or(ReportStatus::Draft);
        if !from.contains(&status) {
            return Err(ReportError::Step {
                status: report.status,
                step: step.code().into(),
            }
            .into());
        }
        let number = match (&report.number, step) {
            (None, ReportStep::Submit) => {
                let year = day.year();
                let seq: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM reports WHERE unit_id = $1 AND number IS NOT NULL AND substr(submitted_on, 1, 4) = $2",
                )
                .bind(u.id)
                .bind(year.to_string())
                .fetch_one(&mut *tx)
                .await?;
                Some(format!("{}-BC/{}", seq + 1, hnd_domain::plan::issuer(u.level)))
            }
            (number, _) => number.clone(),
        };
        let submitted = if step == ReportStep::Submit {
            Some(day.iso())
        } else {
            report.submitted_on.clone()
        };
        let kept_comment = match step {
            ReportStep::Return | ReportStep::Unlock => comment.trim().to_string(),
            _ => report.comment.clone(),
        };
        sqlx::query("UPDATE reports SET status = $2, number = $3, submitted_on = $4, comment = $5 WHERE id = $1")
            .bind(report.id)
            .bind(to.code())
            .bind(number)
            .bind(submitted)
            .bind(kept_comment)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO report_steps (province_code, report_id, step, comment, taken_by, taken_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(u.province_code.clone().unwrap_or_default())
        .bind(report.id)
        .bind(step.code())
        .bind(comment.trim().to_string())
        .stamped(change)
        .execute(&mut *tx)
        .await?;
        match step {
            ReportStep::Approve => {
                sqlx::query(
                    "INSERT INTO period_locks (unit_id, period, locked_by, locked_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (unit_id, period) DO NOTHING",
                )
                .bind(u.id)
                .bind(period.code())
                .stamped(change)
                .execute(&mut *tx)
                .await?;
            }
            ReportStep::Unlock => {
                sqlx::query("DELETE FROM period_locks WHERE unit_id = $1 AND period = $2")
                    .bind(u.id)
                    .bind(period.code())
                    .execute(&mut *tx)
                    .await?;
            }
            _ => {}
        }
        let after = find(&mut tx, u.id, form, period).await?.expect("just written");
        crate::accounts::commit(tx, change).await?;
        Ok(after)
    }

    /// The units directly below `unit` in today's tree, each with its
    /// report on `form` for `period` if written.
    pub async fn reports_below(
        &self,
        unit: &str,
        form: ReportForm,
        period: Period,
    ) -> Result<Vec<(Unit, Option<Report>)>> {
        let today = Day::today();
        let u = self.unit(unit.trim(), today).await?.unit;
        let children = self.children(u.id, today).await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM reports r JOIN unit_versions v ON v.unit_id = r.unit_id
             WHERE v.parent_id = $1 AND v.valid_from <= $2 AND v.valid_to > $2 AND r.form = $3 AND r.period = $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(u.id)
            .bind(today.iso())
            .bind(form.code())
            .bind(period.code())
            .fetch_all(&self.read)
            .await?;
        let mut by_unit: BTreeMap<i64, Report> = BTreeMap::new();
        for r in &rows {
            let report = report_of(r)?;
            by_unit.insert(report.unit_id, report);
        }
        Ok(children
            .into_iter()
            .map(|c| {
                let report = by_unit.remove(&c.id);
                (c, report)
            })
            .collect())
    }
}
