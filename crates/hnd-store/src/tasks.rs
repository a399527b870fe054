//! Tasks of plans and their follow-up: the bodies they are given to (units
//! of the Union or outside bodies), progress notes that move a task's
//! status, files attached to a note, and the listing of a body's tasks for
//! the accounts that act for it.

use crate::org::Change;
use crate::sql::Stamped;
use crate::{Result, Store};
use hnd_domain::plan::Deadline;
use hnd_domain::{Day, PlanError};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Largest file a note may carry.
pub const MAX_FILE_MB: u32 = 10;

/// The statuses a task can be in, in the order work goes.
pub const STATUSES: [&str; 3] = ["open", "in_progress", "done"];

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: i64,
    /// The plan's number.
    pub plan: String,
    pub position: i64,
    pub title: String,
    pub directing: String,
    pub lead: String,
    pub coordinating: String,
    pub deadline: String,
    /// `open`, `in_progress` or `done`.
    pub status: String,
    /// Whether it is late today.
    pub overdue: bool,
    /// The unit that owns it (its code today): the plan's unit, a unit
    /// below it, or, for a copy, the unit it was given to.
    pub unit: String,
    pub unit_name: String,
    /// For a copy given to a unit below: the plan's own task it copies.
    pub origin: Option<i64>,
    /// Path of the owning unit in today's tree: who may read and report on it.
    #[serde(skip)]
    pub unit_path: String,
}

/// A task with what was reported on it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskDetails {
    pub task: Task,
    /// The bodies it names: (id, name, `lead` or `coordinating`).
    pub bodies: Vec<(i64, String, String)>,
    /// Newest first.
    pub notes: Vec<TaskNote>,
    /// Bodies the task reaches through a group it names ("Các sở, ban,
    /// ngành cấp tỉnh" reaches every department in that group).
    pub through_groups: Vec<i64>,
    /// The copies given to units below this task's unit, each with its own
    /// status, by unit code.
    pub copies: Vec<Task>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskNote {
    pub status: String,
    pub note: String,
    pub author: String,
    /// RFC 3339.
    pub written_at: String,
    pub files: Vec<TaskFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskFile {
    pub id: i64,
    pub name: String,
    pub size: i64,
}

/// A task to add to a plan, as the plan writes it: the bodies are names
/// between semicolons, the deadline one of the forms of
/// [`hnd_domain::plan::Deadline`], the unit that owns it a code (empty:
/// the plan's unit).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewTask {
    pub title: String,
    pub directing: String,
    pub lead: String,
    pub coordinating: String,
    pub deadline: String,
    pub unit: String,
}

impl NewTask {
    /// The first rule the task breaks, if any: its text, a lead body and a
    /// deadline in one of the forms plans write.
    pub fn check(&self) -> std::result::Result<(), PlanError> {
        if self.title.trim().is_empty() {
            return Err(PlanError::EmptyTaskTitle);
        }
        if self.lead.split(';').all(|name| name.trim().is_empty()) {
            return Err(PlanError::NoLeadBody);
        }
        Deadline::parse(&self.deadline).map_err(|_| PlanError::BadDeadline {
            text: self.deadline.trim().into(),
        })?;
        Ok(())
    }
}

/// A file to attach to a note.
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl Task {
    /// May `user` read the plan this task belongs to? Decided: whoever may
    /// view members in the plan's unit's subtree (a grant at that unit or
    /// above it), and whoever holds any grant in a unit below the plan's
    /// unit: a plan speaks to its whole subtree (targets are split down at
    /// will, and every unit below carries out its tasks), as the plans
    /// page lists it ([`hnd_domain::Principal::may_read_plan`]).
    /// [`Store::visible_tasks`] asks the same in SQL.
    pub fn plan_readable_by(&self, user: &hnd_domain::Principal) -> bool {
        user.may_read_plan(&self.unit_path)
    }
}

impl TaskDetails {
    /// May `user` report on this task ([`hnd_domain::Principal::may_report_task`]).
    pub fn may_report(&self, user: &hnd_domain::Principal) -> bool {
        user.may_report_task(&self.task.unit_path, |body| self.names_body(body))
    }

    /// May `user` read this task ([`hnd_domain::Principal::may_read_task`]).
    pub fn may_read(&self, user: &hnd_domain::Principal) -> bool {
        user.may_read_task(&self.task.unit_path, |body| self.names_body(body))
    }

    /// Does the task name body `id`, itself or through a group?
    fn names_body(&self, id: i64) -> bool {
        self.bodies.iter().any(|x| x.0 == id) || self.through_groups.contains(&id)
    }
}

pub(crate) const TASK_COLS: &str = "t.id, p.number, t.position, t.title, t.directing, t.lead, t.coordinating,
     t.deadline, t.status, t.done_on, v.path, v.code, v.name, t.origin_id";
// $1 is today (the real one): paths are those of today's tree, as grants' are.
pub(crate) const TASK_FROM: &str = "FROM tasks t JOIN plans p ON p.id = t.plan_id
     JOIN unit_versions v ON v.unit_id = t.unit_id AND v.valid_from <= $1 AND v.valid_to > $1";

/// The tasks of `rows`, the late ones first.
fn late_first(rows: &[AnyRow], today: Day) -> Result<Vec<Task>> {
    let mut tasks = rows
        .iter()
        .map(|r| task_from_row(r, today))
        .collect::<Result<Vec<_>>>()?;
    tasks.sort_by_key(|t| !t.overdue);
    Ok(tasks)
}

fn task_from_row(r: &AnyRow, today: Day) -> Result<Task> {
    let deadline: String = r.try_get(7)?;
    let status: String = r.try_get(8)?;
    let done_on: Option<String> = r.try_get(9)?;
    let done_this_year = done_on
        .as_deref()
        .and_then(|d| Day::from_iso(d).ok())
        .is_some_and(|d| d.year() == today.year());
    // A yearly task ("hằng năm trước ngày 15/11") is done for the year it
    // was reported done in; from 1 January it is open again for the new round.
    let parsed = Deadline::parse(&deadline).ok();
    let yearly = matches!(parsed, Some(Deadline::EveryYearBefore { .. }));
    let status = if yearly && status == "done" && !done_this_year {
        "open".to_string()
    } else {
        status
    };
    let overdue = status != "done" && parsed.is_some_and(|d| d.overdue(today, done_this_year));
    Ok(Task {
        id: r.try_get(0)?,
        plan: r.try_get(1)?,
        position: r.try_get(2)?,
        title: r.try_get(3)?,
        directing: r.try_get(4)?,
        lead: r.try_get(5)?,
        coordinating: r.try_get(6)?,
        deadline,
        status,
        overdue,
        unit_path: r.try_get(10)?,
        unit: r.try_get(11)?,
        unit_name: r.try_get(12)?,
        origin: r.try_get(13)?,
    })
}

impl Store {
    /// The tasks of plan `number`, in the plan's order (not the copies
    /// given to units below).
    pub async fn tasks(&self, number: &str, today: Day) -> Result<Vec<Task>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TASK_COLS} {TASK_FROM} WHERE p.number = $2 AND t.origin_id IS NULL ORDER BY t.position"
        )))
        .bind(Day::today().iso())
        .bind(number.to_string())
        .fetch_all(&self.read)
        .await?;
        if rows.is_empty() {
            self.plan_ref(number).await?;
        }
        rows.iter().map(|r| task_from_row(r, today)).collect()
    }

    /// The tasks unit `code` owns (its own and the copies given to it) in
    /// issued plans, late ones first, then by plan and order: what a
    /// unit's periodic report says of its work.
    pub async fn unit_tasks(&self, code: &str, today: Day) -> Result<Vec<Task>> {
        let unit = self.unit(code, Day::today()).await?.unit;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TASK_COLS} {TASK_FROM} WHERE t.unit_id = $2 AND p.status = 'issued'
             ORDER BY p.issued_on, p.number, t.position"
        )))
        .bind(Day::today().iso())
        .bind(unit.id)
        .fetch_all(&self.read)
        .await?;
        late_first(&rows, today)
    }

    /// Tasks of every plan (or only those naming `body`), late ones first,
    /// then by plan and order; at most `limit`.
    pub async fn all_tasks(&self, body: Option<i64>, today: Day, limit: i64) -> Result<Vec<Task>> {
        let filter = if body.is_some() {
            "WHERE t.id IN (SELECT task_id FROM task_bodies WHERE body_id = $2
                            OR body_id IN (SELECT group_id FROM body_groups WHERE body_id = $2))"
        } else {
            "WHERE $2 = 0"
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TASK_COLS} {TASK_FROM} {filter} AND p.status <> 'draft'
             ORDER BY p.issued_on DESC, p.number, t.position LIMIT $3"
        )))
        .bind(Day::today().iso())
        .bind(body.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        late_first(&rows, today)
    }

    /// The tasks `user` may follow, late ones first, at most `limit`: of
    /// the plans they may read ([`Task::plan_readable_by`]), and, for a
    /// body's account, those naming the body or a group it belongs to.
    /// Access is decided in the query, before the limit, so a commune's
    /// tasks never fall behind thousands of others'.
    pub async fn visible_tasks(&self, user: &hnd_domain::Principal, today: Day, limit: i64) -> Result<Vec<Task>> {
        use crate::sql::{Val, bind, path_end};
        let mut binds: Vec<Val> = vec![Day::today().iso().into()];
        let arg = |v: Val, binds: &mut Vec<Val>| {
            binds.push(v);
            format!("${}", binds.len())
        };
        let mut conditions = Vec::new();
        let mut above = std::collections::BTreeSet::new();
        for g in user.grants() {
            // A plan of the grant's unit or of a unit above it.
            let mut prefix = String::from("/");
            for id in g.path.split('/').filter(|s| !s.is_empty()) {
                prefix.push_str(id);
                prefix.push('/');
                above.insert(prefix.clone());
            }
            // A plan of a unit in the subtree of a grant that views members.
            if g.role.allows(hnd_domain::Action::ViewMembers) {
                let (from, to) = (
                    arg(g.path.clone().into(), &mut binds),
                    arg(path_end(&g.path).into(), &mut binds),
                );
                conditions.push(format!("(v.path >= {from} AND v.path < {to})"));
            }
        }
        if !above.is_empty() {
            let list: Vec<String> = above.into_iter().map(|p| arg(p.into(), &mut binds)).collect();
            conditions.push(format!("v.path IN ({})", list.join(", ")));
        }
        if let Some(body) = &user.body {
            let b = arg(body.id.into(), &mut binds);
            conditions.push(format!(
                "t.id IN (SELECT task_id FROM task_bodies WHERE body_id = {b}
                          OR body_id IN (SELECT group_id FROM body_groups WHERE body_id = {b}))"
            ));
        }
        if conditions.is_empty() {
            return Ok(Vec::new());
        }
        let limit = arg(limit.into(), &mut binds);
        let sql = format!(
            // A draft's tasks are not yet anyone's work.
            "SELECT {TASK_COLS} {TASK_FROM} WHERE p.status <> 'draft' AND ({})
             ORDER BY p.issued_on DESC, p.number, t.position LIMIT {limit}",
            conditions.join(" OR ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in binds {
            q = bind(q, v);
        }
        let rows = q.fetch_all(&self.read).await?;
        late_first(&rows, today)
    }

    /// One task, the bodies it names and its notes with their files.
    pub async fn task(&self, id: i64, today: Day) -> Result<TaskDetails> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TASK_COLS} {TASK_FROM} WHERE t.id = $2"
        )))
        .bind(Day::today().iso())
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(PlanError::UnknownTask { id })?;
        let task = task_from_row(&row, today)?;
        let bodies = sqlx::query_as(
            "SELECT b.id, b.name, tb.role FROM task_bodies tb JOIN bodies b ON b.id = tb.body_id
             WHERE tb.task_id = $1 ORDER BY tb.role DESC, b.name",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        let files = sqlx::query("SELECT note_id, id, name, size FROM task_files WHERE task_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&self.read)
            .await?;
        let mut notes = Vec::new();
        for r in sqlx::query(
            "SELECT id, status, note, author, written_at FROM task_notes WHERE task_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        {
            let note_id: i64 = r.try_get(0)?;
            let mut attached = Vec::new();
            for f in &files {
                if f.try_get::<i64, _>(0)? == note_id {
                    attached.push(TaskFile {
                        id: f.try_get(1)?,
                        name: f.try_get(2)?,
                        size: f.try_get(3)?,
                    });
                }
            }
            notes.push(TaskNote {
                status: r.try_get(1)?,
                note: r.try_get(2)?,
                author: r.try_get(3)?,
                written_at: r.try_get(4)?,
                files: attached,
            });
        }
        let copies = self.copies(&task, today).await?;
        let through_groups = sqlx::query_scalar(
            "SELECT DISTINCT g.body_id FROM task_bodies tb JOIN body_groups g ON g.group_id = tb.body_id
             WHERE tb.task_id = $1",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        Ok(TaskDetails {
            task,
            bodies,
            notes,
            through_groups,
            copies,
        })
    }

    /// The copies of `task`'s origin given to units below `task`'s unit.
    async fn copies(&self, task: &Task, today: Day) -> Result<Vec<Task>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TASK_COLS} {TASK_FROM} WHERE t.origin_id = $2 AND v.path > $3 AND v.path < $4 ORDER BY v.code"
        )))
        .bind(Day::today().iso())
        .bind(task.origin.unwrap_or(task.id))
        .bind(task.unit_path.clone())
        .bind(crate::sql::path_end(&task.unit_path))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|r| task_from_row(r, today)).collect()
    }

    /// Reports on a task: a note, the status it leaves the task in, and
    /// any files, all in one transaction. A task marked done on `today`
    /// counts as done for this year's round of a recurring deadline.
    pub async fn report_task(
        &self,
        id: i64,
        status: &str,
        note: &str,
        files: Vec<NewFile>,
        today: Day,
        change: &Change,
    ) -> Result<()> {
        let status = status.trim();
        if !STATUSES.contains(&status) {
            return Err(PlanError::BadStatus { text: status.into() }.into());
        }
        if note.trim().is_empty() {
            return Err(PlanError::EmptyNote.into());
        }
        if let Some(f) = files
            .iter()
            .find(|f| f.content.len() > MAX_FILE_MB as usize * 1024 * 1024)
        {
            return Err(PlanError::FileTooLarge {
                name: f.name.clone(),
                max_mb: MAX_FILE_MB,
            }
            .into());
        }
        let mut tx = self.write.begin().await?;
        let updated = sqlx::query("UPDATE tasks SET status = $1, done_on = $2 WHERE id = $3")
            .bind(status.to_string())
            .bind((status == "done").then(|| today.iso()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(PlanError::UnknownTask { id }.into());
        }
        let note_id: i64 = sqlx::query_scalar(
            "INSERT INTO task_notes (task_id, status, note, author, written_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(status.to_string())
        .bind(note.trim().to_string())
        .stamped(change)
        .fetch_one(&mut *tx)
        .await?;
        for f in files {
            sqlx::query(
                "INSERT INTO task_files (task_id, note_id, name, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(note_id)
            .bind(f.name)
            .bind(f.content_type)
            .bind(f.content.len() as i64)
            .bind(f.content)
            .execute(&mut *tx)
            .await?;
        }
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// An attached file: (task id, name, content type, content).
    pub async fn task_file(&self, file: i64) -> Result<(i64, String, String, Vec<u8>)> {
        let r = sqlx::query("SELECT task_id, name, content_type, content FROM task_files WHERE id = $1")
            .bind(file)
            .fetch_optional(&self.read)
            .await?
            .ok_or(PlanError::UnknownTask { id: file })?;
        Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))
    }
}

impl Store {
    /// The unit that issued plan `number`: its id and its path in today's
    /// tree (who may act on the plan, and where its entries are filed).
    pub async fn plan_unit(&self, number: &str) -> Result<(i64, String)> {
        let (_, path, code) = self.plan_ref(number).await?;
        self.unit_path(&code).await.map(|(id, _)| (id, path))
    }
}
