//! Writing tasks: a task added to a plan or changed, with the bodies it
//! names (each joins the list of bodies of the plan's province), and a
//! task given to units below, each of which reports on its own copy.

use crate::bodies::{body_key, join_groups, named_bodies};
use crate::org::Change;
use crate::tasks::NewTask;
use crate::{Result, Store};
use hnd_domain::{Day, PlanError};
use serde_json::json;
use sqlx::Row;

/// What a task's writing needs of its plan: the plan's id, its unit's
/// path and code today, and the province whose list of bodies it uses
/// (`TW` for the centre's plans).
struct PlanScope {
    id: i64,
    path: String,
    code: String,
    province: String,
}

/// Names between semicolons, trimmed, empty ones left out.
fn names(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|n| !n.is_empty())
}

/// The body named `name`, made when first named (and placed in the
/// groups its name says), and on `province`'s list: its id.
async fn body_on_list(conn: &mut sqlx::AnyConnection, name: &str, province: &str) -> Result<i64> {
    let new: Option<i64> = sqlx::query_scalar(
        "INSERT INTO bodies (name, name_key) VALUES ($1, $2) ON CONFLICT (name_key) DO NOTHING RETURNING id",
    )
    .bind(name.to_string())
    .bind(body_key(name))
    .fetch_optional(&mut *conn)
    .await?;
    let id = match new {
        Some(id) => {
            join_groups(conn, id, name).await?;
            id
        }
        None => {
            sqlx::query_scalar("SELECT id FROM bodies WHERE name_key = $1")
                .bind(body_key(name))
                .fetch_one(&mut *conn)
                .await?
        }
    };
    sqlx::query("INSERT INTO province_bodies (province_code, body_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(province.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Links task `id` to the lead and coordinating bodies it names; every
/// body it names, the directing one too, joins `province`'s list.
async fn link_bodies(conn: &mut sqlx::AnyConnection, id: i64, task: &NewTask, province: &str) -> Result<()> {
    for name in names(&task.directing) {
        body_on_list(conn, name, province).await?;
    }
    for (name, role) in named_bodies(&task.lead, &task.coordinating) {
        let body = body_on_list(conn, name, province).await?;
        sqlx::query("INSERT INTO task_bodies (task_id, body_id, role) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(body)
            .bind(role.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    async fn plan_scope(&self, number: &str) -> Result<PlanScope> {
        let row = sqlx::query(
            "SELECT p.id, v.path, v.code, COALESCE(v.province_code, 'TW') FROM plans p
             JOIN unit_versions v ON v.unit_id = p.unit_id AND v.valid_from <= $2 AND v.valid_to > $2
             WHERE p.number = $1",
        )
        .bind(number.trim().to_string())
        .bind(Day::today().iso())
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| PlanError::UnknownPlan { number: number.into() })?;
        Ok(PlanScope {
            id: row.try_get(0)?,
            path: row.try_get(1)?,
            code: row.try_get(2)?,
            province: row.try_get(3)?,
        })
    }

    /// The unit that owns `task` in `plan`: the unit it names, which must
    /// be the plan's unit or below it, else the plan's unit. Its id.
    async fn task_owner(&self, task: &NewTask, plan: &PlanScope) -> Result<i64> {
        let code = task.unit.trim();
        if code.is_empty() {
            return Ok(self.unit_path(&plan.code).await?.0);
        }
        let (id, path) = self.unit_path(code).await?;
        if !path.starts_with(&plan.path) {
            return Err(PlanError::OutsidePlan {
                unit: code.into(),
                plan_unit: plan.code.clone(),
            }
            .into());
        }
        Ok(id)
    }

    /// Adds a task to plan `number`, owned by the unit it names (the
    /// plan's by default), and links the bodies it names; its deadline is
    /// read as plans write it. Returns the task's id.
    pub async fn add_task(&self, number: &str, task: &NewTask, change: &Change) -> Result<i64> {
        task.check()?;
        let plan = self.plan_scope(number).await?;
        let owner = self.task_owner(task, &plan).await?;
        let mut tx = self.write.begin().await?;
        let id = insert_task_in(&mut tx, plan.id, owner, &plan.province, task).await?;
        crate::accounts::commit(tx, &change.clone().with_after("task", id.into())).await?;
        Ok(id)
    }

    /// Changes task `id` of plan `number`: its text, bodies, deadline and
    /// owning unit. The copies given to units below follow its text, bodies
    /// and deadline (they keep their own status and reports); a copy itself
    /// is changed only through its origin, and a task already given below
    /// keeps its unit.
    pub async fn edit_task(&self, id: i64, task: &NewTask, change: &Change) -> Result<()> {
        task.check()?;
        let row = sqlx::query(
            "SELECT p.number, t.origin_id, t.unit_id, (SELECT COUNT(*) FROM tasks c WHERE c.origin_id = t.id)
             FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(PlanError::UnknownTask { id })?;
        let (number, origin, unit, copies): (String, Option<i64>, i64, i64) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        if origin.is_some() {
            return Err(PlanError::TaskIsCopy { id }.into());
        }
        let plan = self.plan_scope(&number).await?;
        let owner = self.task_owner(task, &plan).await?;
        if owner != unit && copies > 0 {
            return Err(PlanError::TaskHasCopies { id }.into());
        }
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "UPDATE tasks SET title = $2, directing = $3, lead = $4, coordinating = $5, deadline = $6,
             unit_id = CASE WHEN id = $1 THEN $7 ELSE unit_id END
             WHERE id = $1 OR origin_id = $1",
        )
        .bind(id)
        .bind(task.title.trim().to_string())
        .bind(task.directing.trim().to_string())
        .bind(task.lead.trim().to_string())
        .bind(task.coordinating.trim().to_string())
        .bind(task.deadline.trim().to_string())
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM task_bodies WHERE task_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        link_bodies(&mut tx, id, task, &plan.province).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// Gives task `id` to the units at `units` (codes), each strictly below
    /// the task's unit: each gets its own copy of the plan's task, which it
    /// reports on. A unit already given the task keeps its copy. Returns
    /// each unit's code and its copy's id, in the order asked.
    pub async fn assign_task(&self, id: i64, units: &[String], change: &Change) -> Result<Vec<(String, i64)>> {
        let today = Day::today();
        let task = self.task(id, today).await?.task;
        let origin = task.origin.unwrap_or(task.id);
        let mut below = Vec::new();
        for code in units.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            let (unit, path) = self.unit_path(code).await?;
            if path == task.unit_path || !path.starts_with(&task.unit_path) {
                return Err(PlanError::NotBelowTask {
                    unit: code.into(),
                    task_unit: task.unit.clone(),
                }
                .into());
            }
            if !below.iter().any(|(_, u)| *u == unit) {
                below.push((code.to_string(), unit));
            }
        }
        let mut tx = self.write.begin().await?;
        let mut given = Vec::new();
        for (code, unit) in below {
            sqlx::query(
                "INSERT INTO tasks (plan_id, position, title, directing, lead, coordinating, deadline, unit_id, origin_id)
                 SELECT plan_id, position, title, directing, lead, coordinating, deadline, $2, $3 FROM tasks WHERE id = $1
                 ON CONFLICT (origin_id, unit_id) DO NOTHING",
            )
            .bind(origin)
            .bind(unit)
            .bind(origin)
            .execute(&mut *tx)
            .await?;
            let copy: i64 = sqlx::query_scalar("SELECT id FROM tasks WHERE origin_id = $1 AND unit_id = $2")
                .bind(origin)
                .bind(unit)
                .fetch_one(&mut *tx)
                .await?;
            given.push((code, copy));
        }
        let after: Vec<_> = given
            .iter()
            .map(|(unit, id)| json!({"unit": unit, "task": id}))
            .collect();
        crate::accounts::commit(tx, &change.clone().with_after("copies", after.into())).await?;
        Ok(given)
    }

    /// The bodies on the list of the province whose unit issued plan
    /// `number` (those its plans named and its users added), by name.
    pub async fn plan_bodies(&self, number: &str) -> Result<Vec<String>> {
        let plan = self.plan_scope(number).await?;
        let names = sqlx::query_scalar(
            "SELECT b.name FROM province_bodies pb JOIN bodies b ON b.id = pb.body_id
             WHERE pb.province_code = $1 ORDER BY b.name_key",
        )
        .bind(plan.province)
        .fetch_all(&self.read)
        .await?;
        Ok(names)
    }
}

/// Writes checked `task` as the last of plan `plan`'s own tasks, owned by
/// unit `owner`, its bodies on `province`'s list: its id.
pub(crate) async fn insert_task_in(
    conn: &mut sqlx::AnyConnection,
    plan: i64,
    owner: i64,
    province: &str,
    task: &NewTask,
) -> Result<i64> {
    let position: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE plan_id = $1 AND origin_id IS NULL")
        .bind(plan)
        .fetch_one(&mut *conn)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tasks (plan_id, position, title, directing, lead, coordinating, deadline, unit_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(plan)
    .bind(position + 1)
    .bind(task.title.trim().to_string())
    .bind(task.directing.trim().to_string())
    .bind(task.lead.trim().to_string())
    .bind(task.coordinating.trim().to_string())
    .bind(task.deadline.trim().to_string())
    .bind(owner)
    .fetch_one(&mut *conn)
    .await?;
    link_bodies(conn, id, task, province).await?;
    Ok(id)
}
