//! Tasks of plans (nhiệm vụ): a task added to a plan or changed, with
//! the bodies it is given to and the unit that owns it; a task given to
//! units below, each reporting on its own copy; a report on a task (a
//! note, the status it leaves the task in, files).
//!
//! Who reads and who reports is `Principal::may_read_task` and
//! `Principal::may_report_task`, asked on the task's own unit. Adding or
//! changing a task asks `EditPlans` on the plan's unit; giving it below
//! asks `EditPlans` on the task's unit. An entry about a task is filed
//! under its plan's unit, a task given below under the task's unit.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, Day, PlanError, Principal};
use hnd_store::{MAX_FILE_MB, NewFile, NewTask, STATUSES, StoreError, TaskDetails};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Body names as sent: one text with names between semicolons, or a list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Many(Vec<String>),
}

impl Default for Names {
    fn default() -> Names {
        Names::One(String::new())
    }
}

impl Names {
    /// The names between semicolons, as plans write them.
    pub fn joined(&self) -> String {
        match self {
            Names::One(text) => text.trim().to_string(),
            Names::Many(names) => names
                .iter()
                .map(|n| n.trim())
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// A task as typed (a form, a JSON body, the command line's arguments).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TaskText {
    pub title: String,
    pub directing: Names,
    pub lead: Names,
    pub coordinating: Names,
    /// In a form plans use: "quý II/2026", "tháng 7/2026", "năm 2030",
    /// a date, "hằng năm trước ngày 15/11", "thường xuyên".
    pub deadline: String,
    /// The code of the unit that owns the task; the plan's unit when empty.
    pub unit: String,
}

impl TaskText {
    /// The task as typed, as the store takes it.
    pub fn task(&self) -> NewTask {
        NewTask {
            title: self.title.trim().to_string(),
            directing: self.directing.joined(),
            lead: self.lead.joined(),
            coordinating: self.coordinating.joined(),
            deadline: self.deadline.trim().to_string(),
            unit: self.unit.trim().to_string(),
        }
    }

    /// The text of a task as it stands, to change some of its fields.
    pub fn of(task: &hnd_store::Task) -> TaskText {
        TaskText {
            title: task.title.clone(),
            directing: Names::One(task.directing.clone()),
            lead: Names::One(task.lead.clone()),
            coordinating: Names::One(task.coordinating.clone()),
            deadline: task.deadline.clone(),
            unit: task.unit.clone(),
        }
    }
}

/// The first field of `task` refused, named as the forms name it.
fn check_task(task: &NewTask) -> Result<(), AppError> {
    task.check().map_err(|e| {
        let field = match e {
            PlanError::EmptyTaskTitle => "title",
            PlanError::NoLeadBody => "lead",
            _ => "deadline",
        };
        AppError::field(field, e)
    })
}

/// A report on a task.
pub struct TaskReport {
    /// `open`, `in_progress` or `done`.
    pub status: String,
    pub note: String,
    pub files: Vec<NewFile>,
}

impl TaskReport {
    /// The first field the store would refuse, named as the forms name it.
    fn check(&self) -> Result<(), AppError> {
        if !STATUSES.contains(&self.status.trim()) {
            let text = self.status.trim().to_string();
            return Err(AppError::field("status", PlanError::BadStatus { text }));
        }
        if self.note.trim().is_empty() {
            return Err(AppError::field("note", PlanError::EmptyNote));
        }
        match self
            .files
            .iter()
            .find(|f| f.content.len() > MAX_FILE_MB as usize * 1024 * 1024)
        {
            Some(f) => {
                let name = f.name.clone();
                let error = PlanError::FileTooLarge {
                    name,
                    max_mb: MAX_FILE_MB,
                };
                Err(AppError::field("file", error))
            }
            None => Ok(()),
        }
    }
}

impl App {
    /// Adds a task to plan `number`, given to the bodies it names and owned
    /// by the unit it names (the plan's, or one below it); returns its id.
    pub async fn add_task(&self, actor: &Actor, number: &str, task: &NewTask) -> Result<i64, AppError> {
        let (unit, path) = self.store.plan_unit(number).await?;
        if !actor.may(Action::EditPlans, &path) {
            return Err(AppError::Forbidden);
        }
        check_task(task)?;
        let change = actor.change(
            "",
            Entry {
                action: "task.add",
                unit_id: Some(unit),
                member_id: None,
                // The store adds the task's id under `after`.
                detail: json!({"plan": number, "before": null, "after": task}),
            },
        );
        self.store.add_task(number, task, &change).await.map_err(owner_field)
    }

    /// Changes task `id`: its text, bodies, deadline and owning unit (its
    /// copies below follow the text, bodies and deadline).
    pub async fn edit_task(&self, actor: &Actor, id: i64, task: &NewTask) -> Result<(), AppError> {
        let before = self.store.task(id, Day::today()).await?.task;
        let (unit, path) = self.store.plan_unit(&before.plan).await?;
        if !actor.may(Action::EditPlans, &path) {
            return Err(AppError::Forbidden);
        }
        check_task(task)?;
        let was = NewTask {
            unit: before.unit.clone(),
            ..TaskText::of(&before).task()
        };
        let change = actor.change(
            "",
            Entry {
                action: "task.edit",
                unit_id: Some(unit),
                member_id: None,
                detail: json!({"task": id, "plan": before.plan, "before": was, "after": task}),
            },
        );
        self.store.edit_task(id, task, &change).await.map_err(owner_field)?;
        Ok(())
    }

    /// Gives task `id` to units below its own (codes); each reports on its
    /// own copy. Returns each unit with its copy's id.
    pub async fn assign_task(&self, actor: &Actor, id: i64, units: &[String]) -> Result<Vec<(String, i64)>, AppError> {
        let task = self.store.task(id, Day::today()).await?.task;
        if !actor.may(Action::EditPlans, &task.unit_path) {
            return Err(AppError::Forbidden);
        }
        if units.iter().all(|u| u.trim().is_empty()) {
            return Err(AppError::field("units", PlanError::NoUnitChosen));
        }
        let (unit, _) = self.store.unit_path(&task.unit).await?;
        let change = actor.change(
            "",
            Entry {
                action: "task.assign",
                unit_id: Some(unit),
                member_id: None,
                // The store adds each unit's copy under `after`.
                detail: json!({"task": id, "plan": task.plan, "before": null, "after": {}}),
            },
        );
        self.store.assign_task(id, units, &change).await.map_err(|e| match e {
            StoreError::Plan(PlanError::NotBelowTask { .. }) | StoreError::Org(_) => AppError::field("units", e),
            e => e.into(),
        })
    }

    /// Reports on task `id`: its note, the status it leaves, its files.
    pub async fn report_task(&self, actor: &Actor, id: i64, report: TaskReport) -> Result<(), AppError> {
        let today = Day::today();
        let details = self.store.task(id, today).await?;
        if !actor.passes(|p| details.may_report(p)) {
            return Err(AppError::Forbidden);
        }
        report.check()?;
        let (unit, _) = self.store.plan_unit(&details.task.plan).await?;
        let names: Vec<&str> = report.files.iter().map(|f| f.name.as_str()).collect();
        let change = actor.change(
            "",
            Entry {
                action: "task.report",
                unit_id: Some(unit),
                member_id: None,
                detail: json!({"task": id, "plan": details.task.plan,
                    "before": {"status": details.task.status},
                    "after": {"status": report.status.trim(), "note": report.note.trim(), "files": names}}),
            },
        );
        let TaskReport { status, note, files } = report;
        self.store
            .report_task(id, &status, &note, files, today, &change)
            .await?;
        Ok(())
    }
}

/// A refused owning unit, named as the forms name it.
fn owner_field(e: StoreError) -> AppError {
    match e {
        StoreError::Plan(PlanError::OutsidePlan { .. } | PlanError::TaskHasCopies { .. }) | StoreError::Org(_) => {
            AppError::field("unit", e)
        }
        e => e.into(),
    }
}

/// Task `id` with its reports, if `user` may read it
/// (`Principal::may_read_task`).
pub async fn readable_task(app: &App, user: &Principal, id: i64) -> Result<TaskDetails, AppError> {
    let details = app.store.task(id, Day::today()).await?;
    if details.may_read(user) {
        Ok(details)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The plans `user` may read (`Principal::may_read_plan_in`): those issued in
/// their subtree and those issued above it, which hand targets down into
/// it, and the drafts of the units where they plan. An account with no place in the tree (an outside body's) has none.
pub async fn readable_plans(app: &App, user: &Principal) -> Result<Vec<hnd_store::Plan>, AppError> {
    let mut visible = Vec::new();
    for plan in app.store.plans("TW").await? {
        let Ok((_, path)) = app.store.unit_path(&plan.unit).await else {
            continue;
        };
        if user.may_read_plan_in(&path, plan.status()) {
            visible.push(plan);
        }
    }
    Ok(visible)
}
