//! A plan's life: drafted with a number in its unit's series, edited
//! while a draft, issued (with its signed document), withdrawn, and
//! replaced by a new version that keeps the old one to read; and the
//! plans that implement it, unit by unit below.
//!
//! Each write checks the status it starts from inside its transaction, so
//! two clerks cannot issue and edit the same draft at once.

use crate::org::Change;
use crate::plans::{Implements, NewPlan, Plan, plan_from_row, plan_select};
use crate::sql::Stamped;
use crate::{NewFile, Result, Store};
use hnd_domain::plan::{PlanStatus, plan_number, running_number};
use hnd_domain::{Day, PlanError};
use serde::Serialize;
use sqlx::Row;

/// A unit below a plan's unit and the plan it issued to implement it.
#[derive(Debug, Clone, Serialize)]
pub struct Implementing {
    pub unit: String,
    pub unit_name: String,
    /// Its implementing plan, if it has one (the newest).
    pub number: Option<String>,
    pub status: Option<String>,
    pub issued_on: Option<String>,
    /// Past the parent's deadline without an issued plan, or issued after it.
    pub late: bool,
}

/// The signed document of a plan.
pub struct PlanDocument {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A plan's row as a write needs it.
struct Row0 {
    id: i64,
    status: String,
    implements_id: Option<i64>,
    replaces_id: Option<i64>,
}

async fn row_of(conn: &mut sqlx::AnyConnection, number: &str) -> Result<Row0> {
    let r = sqlx::query("SELECT id, status, implements_id, replaces_id FROM plans WHERE number = $1")
        .bind(number.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| PlanError::UnknownPlan { number: number.into() })?;
    Ok(Row0 {
        id: r.try_get(0)?,
        status: r.try_get(1)?,
        implements_id: r.try_get(2)?,
        replaces_id: r.try_get(3)?,
    })
}

/// The id of the plan `number` that `implements` names, and the outside
/// document's number and date.
async fn implements_columns(
    conn: &mut sqlx::AnyConnection,
    implements: &Option<Implements>,
) -> Result<(Option<i64>, Option<String>, Option<String>)> {
    Ok(match implements {
        None => (None, None, None),
        Some(Implements::Plan { number }) => (Some(row_of(conn, number).await?.id), None, None),
        Some(Implements::Document { number, date }) => {
            let on = Day::parse(date).map(|d| d.iso()).unwrap_or_else(|_| date.clone());
            (None, Some(number.trim().to_string()), Some(on))
        }
    })
}

/// Ends a change to plan `plan`: its signed document kept, if one came,
/// then the change committed with its audit entry.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    plan: i64,
    file: Option<&NewFile>,
    change: &Change,
) -> Result<()> {
    if let Some(file) = file {
        put_document(&mut tx, plan, file).await?;
    }
    crate::accounts::commit(tx, change).await
}

async fn put_document(conn: &mut sqlx::AnyConnection, plan: i64, file: &NewFile) -> Result<()> {
    sqlx::query("DELETE FROM plan_documents WHERE plan_id = $1")
        .bind(plan)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO plan_documents (plan_id, name, content_type, size, content) VALUES ($1, $2, $3, $4, $5)")
        .bind(plan)
        .bind(file.name.clone())
        .bind(file.content_type.clone())
        .bind(file.content.len() as i64)
        .bind(file.content.clone())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Keeps a plan already issued (the operator's tools, tests); returns
    /// its number.
    pub async fn create_plan(&self, plan: &NewPlan, change: &Change) -> Result<String> {
        self.insert_plan(plan, PlanStatus::Issued, None, change).await
    }

    /// Drafts a plan; returns its number.
    pub async fn create_draft(&self, plan: &NewPlan, change: &Change) -> Result<String> {
        self.insert_plan(plan, PlanStatus::Draft, None, change).await
    }

    /// Writes a plan with its number: the one given, or the next of its
    /// unit's series for its kind and year.
    async fn insert_plan(
        &self,
        plan: &NewPlan,
        status: PlanStatus,
        replaces: Option<i64>,
        change: &Change,
    ) -> Result<String> {
        let unit = self.unit(&plan.unit, Day::today()).await?.unit;
        let mut tx = self.write.begin().await?;
        let (number, _) = insert_plan_in(&mut tx, &unit, plan, status, replaces, change).await?;
        crate::accounts::commit(tx, &change.clone().with_after("number", number.clone().into())).await?;
        Ok(number)
    }

    /// Rewrites draft `number` with `plan` (its unit and number stay),
    /// and its signed document if one comes.
    pub async fn edit_draft(
        &self,
        number: &str,
        plan: &NewPlan,
        file: Option<&NewFile>,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let row = row_of(&mut tx, number).await?;
        if row.status != PlanStatus::Draft.code() {
            return Err(PlanError::NotDraft { number: number.into() }.into());
        }
        let (implements_id, doc, doc_on) = implements_columns(&mut tx, &plan.implements).await?;
        sqlx::query(
            "UPDATE plans SET title = $2, issued_on = $3, first_year = $4, last_year = $5, kind = $6,
                implements_id = $7, implements_doc = $8, implements_doc_on = $9, implement_by = $10, changed_on = $11
             WHERE id = $1",
        )
        .bind(row.id)
        .bind(plan.title.trim().to_string())
        .bind(plan.issued_on.iso())
        .bind(plan.first_year as i64)
        .bind(plan.last_year as i64)
        .bind(plan.kind.code())
        .bind(implements_id)
        .bind(doc)
        .bind(doc_on)
        .bind(plan.implement_by.map(|d| d.iso()))
        .bind(Day::today().iso())
        .execute(&mut *tx)
        .await?;
        finish(tx, row.id, file, change).await
    }

    /// Issues draft `number` (with its signed document if one comes): the
    /// plan it implements must be in force, and the version it replaces,
    /// in force until now, is marked replaced.
    pub async fn issue_plan(&self, number: &str, file: Option<&NewFile>, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let row = row_of(&mut tx, number).await?;
        if row.status != PlanStatus::Draft.code() {
            return Err(PlanError::NotDraft { number: number.into() }.into());
        }
        if let Some(parent) = row.implements_id {
            let r = sqlx::query("SELECT number, status FROM plans WHERE id = $1")
                .bind(parent)
                .fetch_one(&mut *tx)
                .await?;
            let (parent, status): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            if status != PlanStatus::Issued.code() {
                return Err(PlanError::NotIssued { number: parent }.into());
            }
        }
        if let Some(old) = row.replaces_id {
            let done = sqlx::query(
                "UPDATE plans SET status = 'replaced', changed_on = $2 WHERE id = $1 AND status = 'issued'",
            )
            .bind(old)
            .bind(Day::today().iso())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                let old: String = sqlx::query_scalar("SELECT number FROM plans WHERE id = $1")
                    .bind(old)
                    .fetch_one(&mut *tx)
                    .await?;
                return Err(PlanError::NotIssued { number: old }.into());
            }
        }
        sqlx::query("UPDATE plans SET status = 'issued', changed_on = $2 WHERE id = $1")
            .bind(row.id)
            .bind(Day::today().iso())
            .execute(&mut *tx)
            .await?;
        finish(tx, row.id, file, change).await
    }

    /// Withdraws issued plan `number`.
    pub async fn withdraw_plan(&self, number: &str, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let row = row_of(&mut tx, number).await?;
        if row.status != PlanStatus::Issued.code() {
            return Err(PlanError::NotIssued { number: number.into() }.into());
        }
        sqlx::query("UPDATE plans SET status = 'withdrawn', changed_on = $2 WHERE id = $1")
            .bind(row.id)
            .bind(Day::today().iso())
            .execute(&mut *tx)
            .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// Drafts a new version of issued plan `number` with `plan`'s fields
    /// and its targets (copied in the same transaction); the old one stays in force until the new one is
    /// issued. Returns the new number.
    pub async fn new_version(&self, number: &str, plan: &NewPlan, change: &Change) -> Result<String> {
        let old = row_of(&mut *self.read.acquire().await?, number).await?;
        if old.status != PlanStatus::Issued.code() {
            return Err(PlanError::NotIssued { number: number.into() }.into());
        }
        let pending: Option<String> =
            sqlx::query_scalar("SELECT number FROM plans WHERE replaces_id = $1 AND status = 'draft'")
                .bind(old.id)
                .fetch_optional(&self.read)
                .await?;
        if let Some(pending) = pending {
            return Err(PlanError::NumberTaken { number: pending }.into());
        }
        let change = change.clone().with_after("replaces", number.into());
        self.insert_plan(plan, PlanStatus::Draft, Some(old.id), &change).await
    }

    /// The signed document of plan `number`, if it has one.
    pub async fn plan_document(&self, number: &str) -> Result<Option<PlanDocument>> {
        let row = sqlx::query(
            "SELECT d.name, d.content_type, d.content FROM plan_documents d JOIN plans p ON p.id = d.plan_id
             WHERE p.number = $1",
        )
        .bind(number.to_string())
        .fetch_optional(&self.read)
        .await?;
        row.map(|r| {
            Ok(PlanDocument {
                name: r.try_get(0)?,
                content_type: r.try_get(1)?,
                content: r.try_get(2)?,
            })
        })
        .transpose()
    }

    /// The plans that implement plan `number` (or a version it replaced),
    /// those in force first.
    pub async fn implementing_plans(&self, number: &str) -> Result<Vec<Plan>> {
        let mut ids = Vec::new();
        let mut next = Some(row_of(&mut *self.read.acquire().await?, number).await?);
        while let Some(row) = next {
            ids.push(row.id);
            next = match row.replaces_id {
                Some(id) => {
                    let n: String = sqlx::query_scalar("SELECT number FROM plans WHERE id = $1")
                        .bind(id)
                        .fetch_one(&self.read)
                        .await?;
                    Some(row_of(&mut *self.read.acquire().await?, &n).await?)
                }
                None => None,
            };
        }
        // A chain of versions is short: one query a version.
        let mut plans = Vec::new();
        for id in ids {
            let rows = sqlx::query(concat!(plan_select!(), " WHERE p.implements_id = $2"))
                .bind(Day::today().iso())
                .bind(id)
                .fetch_all(&self.read)
                .await?;
            for r in &rows {
                plans.push(plan_from_row(r)?);
            }
        }
        plans.sort_by_key(|p| p.status != "issued");
        Ok(plans)
    }

    /// Each unit directly below plan `number`'s unit with the newest plan
    /// it issued to implement it (drafts left out: `drafts_of` says whose
    /// drafts the reader may see), late when the parent's deadline passed
    /// without an issued plan, or the plan was issued after it.
    pub async fn implementation(&self, number: &str, drafts_of: impl Fn(&str) -> bool) -> Result<Vec<Implementing>> {
        let parent = self.plan(number).await?;
        let today = Day::today();
        let deadline = parent.implement_by.as_deref().and_then(|d| Day::parse(d).ok());
        let unit = self.unit(&parent.unit, today).await?.unit;
        let plans = self.implementing_plans(number).await?;
        let mut rows = Vec::new();
        for child in self.children(unit.id, today).await? {
            let (_, path) = self.unit_path(&child.code).await?;
            let mine = |p: &&Plan| p.unit == child.code && (p.status() != PlanStatus::Draft || drafts_of(&path));
            let found = plans.iter().find(|p| mine(p) && p.status() == PlanStatus::Issued);
            let found = found.or_else(|| plans.iter().find(mine));
            let issued_on = found.and_then(|p| Day::parse(&p.issued_on).ok());
            let in_force = found.is_some_and(|p| p.status() == PlanStatus::Issued);
            let late = match (deadline, in_force, issued_on) {
                (Some(by), true, Some(on)) => on > by,
                (Some(by), _, _) => today > by,
                (None, ..) => false,
            };
            rows.push(Implementing {
                unit: child.code.clone(),
                unit_name: child.name.clone(),
                number: found.map(|p| p.number.clone()),
                status: found.map(|p| p.status.clone()),
                issued_on: found.map(|p| p.issued_on.clone()),
                late,
            });
        }
        Ok(rows)
    }
}

/// The other kind that numbers in the same series (both programmes are
/// "CTr" documents), or the kind itself.
fn series_twin(kind: hnd_domain::plan::PlanKind) -> &'static str {
    use hnd_domain::plan::PlanKind::*;
    match kind {
        Programme => WorkProgramme.code(),
        WorkProgramme => Programme.code(),
        k => k.code(),
    }
}

/// Writes `plan` of `unit` in `tx` with its number (the one given, or the
/// next of the unit's series for its kind and year): its number and id.
pub(crate) async fn insert_plan_in(
    tx: &mut sqlx::AnyConnection,
    unit: &crate::Unit,
    plan: &NewPlan,
    status: PlanStatus,
    replaces: Option<i64>,
    change: &Change,
) -> Result<(String, i64)> {
    let year = plan.issued_on.year();
    let given = plan.number.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let (number, seq) = match given {
        Some(n) => (n.to_string(), running_number(n, plan.kind)),
        None => {
            let last: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(seq) FROM plans WHERE unit_id = $1 AND kind IN ($2, $3) AND issued_on >= $4 AND issued_on < $5",
            )
            .bind(unit.id)
            .bind(plan.kind.code())
            .bind(series_twin(plan.kind))
            .bind(format!("{year:04}-01-01"))
            .bind(format!("{:04}-01-01", year + 1))
            .fetch_one(&mut *tx)
            .await?;
            let seq = last.unwrap_or(0) + 1;
            (plan_number(seq, plan.kind, unit.level, &unit.code, year), Some(seq))
        }
    };
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plans WHERE number = $1")
        .bind(number.clone())
        .fetch_one(&mut *tx)
        .await?;
    if taken > 0 {
        return Err(PlanError::NumberTaken { number }.into());
    }
    let (implements_id, doc, doc_on) = implements_columns(tx, &plan.implements).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO plans (number, title, unit_id, province_code, issued_on, first_year, last_year, kind, status, seq,
            implements_id, implements_doc, implements_doc_on, implement_by, replaces_id, changed_on, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         RETURNING id",
    )
    .bind(number.clone())
    .bind(plan.title.trim().to_string())
    .bind(unit.id)
    .bind(unit.province_code.clone())
    .bind(plan.issued_on.iso())
    .bind(plan.first_year as i64)
    .bind(plan.last_year as i64)
    .bind(plan.kind.code())
    .bind(status.code())
    .bind(seq)
    .bind(implements_id)
    .bind(doc)
    .bind(doc_on)
    .bind(plan.implement_by.map(|d| d.iso()))
    .bind(replaces)
    .bind(Day::today().iso())
    .stamped(change)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(old) = replaces {
        // A new version starts from the targets of the one it replaces.
        sqlx::query(
            "INSERT INTO targets (plan_id, unit_id, province_code, indicator, comparator, value)
             SELECT $2, unit_id, province_code, indicator, comparator, value FROM targets WHERE plan_id = $1",
        )
        .bind(old)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    Ok((number, id))
}
