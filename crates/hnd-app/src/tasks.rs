//! Tasks of plans (nhiệm vụ): a task added to a plan with the bodies it
//! is given to, and a report on it (a note, the status it leaves the
//! task in, files).
//!
//! Who reads and who reports is `Principal::may_read_task` and
//! `Principal::may_report_task`; an entry about a task is filed under its
//! plan's unit.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, Day, PlanError, Principal};
use hnd_store::{MAX_FILE_MB, NewFile, NewTask, STATUSES, TaskDetails};
use serde_json::json;

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
    /// Adds a task to plan `number`, given to the bodies it names; returns its id.
    pub async fn add_task(&self, actor: &Actor, number: &str, task: &NewTask) -> Result<i64, AppError> {
        let (unit, path) = self.store.plan_unit(number).await?;
        if !actor.may(Action::EditPlans, &path) {
            return Err(AppError::Forbidden);
        }
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
        Ok(self.store.add_task(number, task, &change).await?)
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
