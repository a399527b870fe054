//! A member list in a layout of its own: the mapping proposed for it, the
//! first rows as that mapping imports them, and mappings saved by name per
//! unit so that the next file from the same unit imports in one step.
//! Each asks `Import` on the unit, as the import itself does.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, Day};
use hnd_import::{Mapping, Preview, Proposal};
use hnd_store::SavedMapping;
use serde_json::json;
use std::path::Path;

/// The longest name a saved mapping takes.
pub const MAPPING_NAME_MAX: usize = 80;

impl App {
    /// The unit's id and path, once the actor may import into it.
    async fn import_place(&self, actor: &Actor, unit: &str) -> Result<(i64, String), AppError> {
        let (id, path) = self.store.unit_path(unit).await?;
        if !actor.may(Action::Import, &path) {
            return Err(AppError::Forbidden);
        }
        Ok((id, path))
    }

    /// Proposes how the file at `path` is read into unit `unit`.
    pub async fn propose_import(&self, actor: &Actor, unit: &str, path: &Path) -> Result<Proposal, AppError> {
        self.import_place(actor, unit).await?;
        hnd_import::propose_file(&self.store, path, unit, Day::today())
            .await
            .map_err(AppError::File)
    }

    /// Up to `rows` member rows of the file at `path` as `mapping` imports
    /// them into `unit`, each with what the import would refuse in it.
    pub async fn preview_import(
        &self,
        actor: &Actor,
        unit: &str,
        path: &Path,
        mapping: &Mapping,
        rows: usize,
    ) -> Result<Preview, AppError> {
        let (_, inside) = self.import_place(actor, unit).await?;
        let allowed = |action: Action, at: &str| match action {
            Action::Import => at.starts_with(inside.as_str()),
            other => actor.may(other, at),
        };
        hnd_import::preview_members(&self.store, path, mapping, Day::today(), actor.lang, &allowed, rows)
            .await
            .map_err(AppError::File)
    }

    /// Saves `mapping` as `name` for unit `unit` (replacing one of that
    /// name); the mapping is kept for that unit whatever unit it names.
    pub async fn save_import_mapping(
        &self,
        actor: &Actor,
        unit: &str,
        name: &str,
        mapping: &Mapping,
    ) -> Result<(), AppError> {
        let (unit_id, _) = self.import_place(actor, unit).await?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAPPING_NAME_MAX {
            return Err(AppError::bad_value("name", name));
        }
        let mapping = Mapping {
            unit: unit.to_string(),
            ..mapping.clone()
        };
        let entry = Entry {
            action: "member.import_mapping.save",
            unit_id: Some(unit_id),
            member_id: None,
            detail: json!({"before": {}, "after": {"unit": unit, "name": name, "fields": mapping.fields()}}),
        };
        let change = actor.change("", entry);
        self.store
            .save_import_mapping(unit, name, &mapping.to_toml(), &change)
            .await?;
        Ok(())
    }

    /// The mappings saved for unit `unit`.
    pub async fn import_mappings(&self, actor: &Actor, unit: &str) -> Result<Vec<SavedMapping>, AppError> {
        self.import_place(actor, unit).await?;
        Ok(self.store.import_mappings(unit).await?)
    }

    /// The mappings saved for the units the actor imports into (each
    /// grant's subtree), by unit and name.
    pub async fn usable_import_mappings(&self, actor: &Actor) -> Result<Vec<SavedMapping>, AppError> {
        let Some(user) = actor.principal() else {
            return Ok(self.store.import_mappings_under("/").await?);
        };
        let mut all = Vec::new();
        for grant in user.grants().iter().filter(|g| user.may(Action::Import, &g.path)) {
            all.extend(self.store.import_mappings_under(&grant.path).await?);
        }
        all.sort_by(|a, b| (&a.unit_code, &a.name).cmp(&(&b.unit_code, &b.name)));
        all.dedup_by(|a, b| a.unit_code == b.unit_code && a.name == b.name);
        Ok(all)
    }

    /// The mapping `name` saved for unit `unit`, read.
    pub async fn import_mapping(&self, actor: &Actor, unit: &str, name: &str) -> Result<Mapping, AppError> {
        self.import_place(actor, unit).await?;
        let saved = self
            .store
            .import_mapping(unit, name)
            .await?
            .ok_or_else(|| unknown(unit, name))?;
        Mapping::from_toml(&saved.body).map_err(|e| AppError::File(e.into()))
    }

    /// Removes the mapping `name` saved for unit `unit`.
    pub async fn delete_import_mapping(&self, actor: &Actor, unit: &str, name: &str) -> Result<(), AppError> {
        let (unit_id, _) = self.import_place(actor, unit).await?;
        let entry = Entry {
            action: "member.import_mapping.delete",
            unit_id: Some(unit_id),
            member_id: None,
            detail: json!({"before": {"unit": unit, "name": name}, "after": {}}),
        };
        let change = actor.change("", entry);
        if !self.store.delete_import_mapping(unit, name, &change).await? {
            return Err(unknown(unit, name));
        }
        Ok(())
    }
}

fn unknown(unit: &str, name: &str) -> AppError {
    let (unit, name) = (unit.to_string(), name.to_string());
    AppError::Store(hnd_domain::MemberError::UnknownMapping { unit, name }.into())
}
