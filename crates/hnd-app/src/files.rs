//! Member files: a spreadsheet imported into a unit, the register
//! exported to one.
//!
//! An import is resumable in batches (`hnd_import`): each chunk of rows is
//! loaded in one transaction with its own audit entry (the unit, the file,
//! the job, the chunk's rows, how many were accepted and refused), so an
//! entry exists exactly for each chunk that is in the register. An export
//! writes nothing but its entry, once the file is complete.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{AccountError, Action, Day};
use hnd_import::{Batch, ImportOptions, ImportSummary};
use hnd_store::MemberQuery;
use serde_json::json;
use std::path::Path;

/// A member file to import.
pub struct MemberFile<'a> {
    /// The code of the unit it is imported into: every row's branch or
    /// group must be in that unit's subtree.
    pub unit: &'a str,
    /// Where the file is.
    pub path: &'a Path,
    /// Its name as the user gave it, for the audit log.
    pub name: &'a str,
    /// Where the refused rows go.
    pub errors_path: &'a Path,
    /// The web's job number, if it runs as one.
    pub job: Option<u64>,
    /// The day the members are registered on.
    pub day: Day,
}

impl App {
    /// Imports a member file into a unit: the policy is asked once, on the
    /// unit; a row naming a unit outside it is refused like any bad row.
    /// `progress` hears the summary after every chunk.
    pub async fn import_members(
        &self,
        actor: &Actor,
        file: &MemberFile<'_>,
        options: &ImportOptions<'_>,
        progress: &mut (dyn FnMut(&ImportSummary) + Send),
    ) -> Result<ImportSummary, AppError> {
        let (unit_id, path) = self.store.unit_path(file.unit).await?;
        if !actor.may(Action::Import, &path) {
            return Err(AppError::Forbidden);
        }
        // Inside the unit the import is allowed (grants cover subtrees);
        // what a refused row may say of a CCCD's holder is the actor's own.
        let allowed = |action: Action, at: &str| match action {
            Action::Import => at.starts_with(path.as_str()),
            other => actor.may(other, at),
        };
        let change = |batch: &Batch| {
            let after = json!({"file": file.name, "job": file.job, "unit": file.unit, "batch": batch.number,
                "row_range": format!("{}–{}", batch.first_row, batch.last_row), "accepted": batch.accepted, "refused": batch.refused});
            let entry = Entry {
                action: "member.import",
                unit_id: Some(unit_id),
                member_id: None,
                detail: json!({"before": {}, "after": after}),
            };
            actor.change(&format!("nhập tệp {}", file.name), entry)
        };
        let summary = hnd_import::import_members(
            &self.store,
            file.path,
            file.errors_path,
            file.day,
            &change,
            actor.lang,
            &allowed,
            progress,
            options,
        )
        .await?;
        Ok(summary)
    }

    /// Writes the members `query` finds under its unit (`query.scope`) to
    /// `file` (.csv or .xlsx); returns the rows written. Personal data is
    /// masked unless the actor may see it there, and a filter on it is
    /// refused (naming the filter) to who may not use it. The entry is
    /// written once the file is whole; if it cannot be, the file is removed.
    pub async fn export_members(&self, actor: &Actor, query: &MemberQuery, file: &Path) -> Result<usize, AppError> {
        let (unit_id, path) = self.store.unit_path(&query.scope).await?;
        if !actor.may(Action::Export, &path) {
            return Err(AppError::Forbidden);
        }
        let personal = actor.may(Action::ViewSensitive, &path);
        let filters = [
            ("ethnicity", query.ethnicity.is_some()),
            ("bhyt", query.bhyt.is_some()),
            ("bhxh", query.bhxh.is_some()),
        ];
        if !personal && let Some((name, _)) = filters.iter().find(|(_, asked)| *asked) {
            return Err(AppError::field(name, AccountError::Forbidden));
        }
        let query = MemberQuery {
            masked: !personal,
            ..query.clone()
        };
        let format = file.extension().and_then(|e| e.to_str()).unwrap_or_default();
        let rows = hnd_import::export_members(&self.store, file, &query, personal).await?;
        let after = json!({"format": format, "rows": rows, "masked": !personal, "q": query.text,
            "sex": query.sex, "status": query.status, "ethnicity": query.ethnicity,
            "age": [query.min_age, query.max_age], "bhyt": query.bhyt, "bhxh": query.bhxh});
        let entry = Entry {
            action: "member.export",
            unit_id: Some(unit_id),
            member_id: None,
            detail: json!({"before": {}, "after": after}),
        };
        if let Err(e) = self.store.record(&actor.change("", entry)).await {
            let _ = std::fs::remove_file(file);
            return Err(e.into());
        }
        Ok(rows)
    }

    /// Records that the actor took away a table read from unit `unit`
    /// (a plan's targets or progress, a ranking, the provinces' figures):
    /// an export is audited like a change, under its unit, once the file
    /// is whole and before it is sent. Refused to who may not read the
    /// unit's figures.
    pub async fn record_export(&self, actor: &Actor, unit: &str, detail: serde_json::Value) -> Result<(), AppError> {
        let (unit_id, path) = self.store.unit_path(unit).await?;
        if !actor.may(Action::ViewMembers, &path) {
            return Err(AppError::Forbidden);
        }
        let entry = Entry {
            action: "export",
            unit_id: Some(unit_id),
            member_id: None,
            detail: json!({"before": {}, "after": detail}),
        };
        self.store.record(&actor.change("", entry)).await?;
        Ok(())
    }
}
