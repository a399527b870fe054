//! Operations on the organisation tree: a unit created under another,
//! renamed, moved, merged, split or dissolved.
//!
//! Each asks the policy about every unit it names: a unit is changed
//! itself (renamed, moved, merged away, split, dissolved) only from a
//! grant strictly above it (`Principal::may_reshape`); the unit a change
//! reaches (a new unit's parent, a move's new parent, a merge's target)
//! needs `EditTree` there. The store writes the tree edit and the entry
//! in one transaction; the entry names the unit edited (a new unit's
//! parent, a merge's first source) with `before` and `after`.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, Day, Level, UnitName};
use hnd_store::{NewUnit, SplitPart, Unit};
use serde_json::json;

/// Whether the codes of new units must fit their place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    /// A new branch or group, or a split's part, begins with its parent's,
    /// commune's or province's code (`Store::check_child_code`): the rule
    /// of units added on the web and the API.
    Checked,
    /// The operator loads a register kept elsewhere, with its own numbering.
    Free,
}

/// What a change asks of a unit it names.
#[derive(Clone, Copy)]
enum Reach {
    /// Changes below it: `EditTree` on it.
    Below,
    /// Changes the unit itself: from a grant above it.
    Itself,
}

impl App {
    /// The unit `code` as it stands on `date`, if `actor` may change it
    /// for `reach` (asked on its place in today's tree).
    async fn unit_to_change(&self, actor: &Actor, code: &str, reach: Reach, date: Day) -> Result<Unit, AppError> {
        // The operator may act anywhere, on any day the tree allows.
        if let Some(user) = actor.principal() {
            let (_, path) = self.store.unit_path(code.trim()).await?;
            let allowed = match reach {
                Reach::Below => user.may(Action::EditTree, &path),
                Reach::Itself => user.may_reshape(&path),
            };
            if !allowed {
                return Err(AppError::Forbidden);
            }
        }
        Ok(self.store.unit(code.trim(), date).await?.unit)
    }

    /// The code of `unit`'s parent on `date`, for the entry.
    async fn parent_code(&self, unit: &Unit, date: Day) -> Result<Option<String>, AppError> {
        let Some(parent) = unit.parent_id else {
            return Ok(None);
        };
        let above = self.store.ancestors(unit, date).await?;
        Ok(above.into_iter().find(|a| a.id == parent).map(|a| a.code))
    }

    /// Creates `unit` under its parent on `date`. With [`Codes::Checked`]
    /// its code must fit its place.
    pub async fn create_unit(&self, actor: &Actor, unit: NewUnit, date: Day, codes: Codes) -> Result<(), AppError> {
        let parent = self
            .unit_to_change(actor, unit.parent.as_str(), Reach::Below, date)
            .await?;
        if codes == Codes::Checked && matches!(unit.level, Level::Branch | Level::Group) {
            self.store
                .check_child_code(&unit.code, parent.id, date)
                .await
                .map_err(|e| AppError::field("code", e))?;
        }
        let change = actor.change(
            "",
            Entry {
                action: "org.create",
                unit_id: Some(parent.id),
                member_id: None,
                detail: json!({"before": null,
                               "after": {"code": unit.code.as_str(), "name": unit.name.as_str(), "parent": parent.code},
                               "date": date.iso()}),
            },
        );
        self.store.create_units(vec![unit], date, &change, "create").await?;
        Ok(())
    }

    /// Renames `code` to `name` from `date`.
    pub async fn rename_unit(&self, actor: &Actor, code: &str, name: &UnitName, date: Day) -> Result<(), AppError> {
        let unit = self.unit_to_change(actor, code, Reach::Itself, date).await?;
        let change = actor.change(
            "",
            Entry {
                action: "org.rename",
                unit_id: Some(unit.id),
                member_id: None,
                detail: json!({"before": {"name": unit.name}, "after": {"name": name.as_str()}, "date": date.iso()}),
            },
        );
        self.store.rename(&unit.code, name, date, &change).await?;
        Ok(())
    }

    /// Moves `code` and everything below it under `parent` from `date`.
    pub async fn move_unit(&self, actor: &Actor, code: &str, parent: &str, date: Day) -> Result<(), AppError> {
        let unit = self.unit_to_change(actor, code, Reach::Itself, date).await?;
        let target = self.unit_to_change(actor, parent, Reach::Below, date).await?;
        let before = self.parent_code(&unit, date).await?;
        let change = actor.change(
            "",
            Entry {
                action: "org.move",
                unit_id: Some(unit.id),
                member_id: None,
                detail: json!({"before": {"parent": before}, "after": {"parent": target.code}, "date": date.iso()}),
            },
        );
        self.store.move_unit(&unit.code, &target.code, date, &change).await?;
        Ok(())
    }

    /// Merges `sources` into `into` on `date`: their children move to the
    /// target, they end.
    pub async fn merge_units(&self, actor: &Actor, sources: &[String], into: &str, date: Day) -> Result<(), AppError> {
        let mut units = Vec::with_capacity(sources.len());
        for source in sources {
            units.push(self.unit_to_change(actor, source, Reach::Itself, date).await?);
        }
        let target = self.unit_to_change(actor, into, Reach::Below, date).await?;
        let Some(first) = units.first() else {
            return Err(AppError::field("sources", hnd_domain::OrgError::MergeNoSources));
        };
        let codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
        let change = actor.change(
            "",
            Entry {
                action: "org.merge",
                unit_id: Some(first.id),
                member_id: None,
                detail: json!({"before": {"sources": codes}, "after": {"target": target.code}, "date": date.iso()}),
            },
        );
        self.store.merge(&codes, &target.code, date, &change).await?;
        Ok(())
    }

    /// Splits `code` into `parts` under its parent on `date`; `assign`
    /// sends each child (code) to a part (code). With [`Codes::Checked`]
    /// the parts' codes must fit their place.
    pub async fn split_unit(
        &self,
        actor: &Actor,
        code: &str,
        parts: &[SplitPart],
        assign: &[(String, String)],
        date: Day,
        codes: Codes,
    ) -> Result<(), AppError> {
        let unit = self.unit_to_change(actor, code, Reach::Itself, date).await?;
        if let (Codes::Checked, Some(parent)) = (codes, unit.parent_id) {
            for part in parts {
                self.store
                    .check_child_code(&part.code, parent, date)
                    .await
                    .map_err(|e| AppError::field("parts", e))?;
            }
        }
        let names: Vec<&str> = parts.iter().map(|p| p.code.as_str()).collect();
        let change = actor.change(
            "",
            Entry {
                action: "org.split",
                unit_id: Some(unit.id),
                member_id: None,
                detail: json!({"before": {"unit": unit.code}, "after": {"parts": names, "assign": assign},
                               "date": date.iso()}),
            },
        );
        self.store.split(&unit.code, parts, assign, date, &change).await?;
        Ok(())
    }

    /// Dissolves `code` on `date`; a unit with live children or members is refused.
    pub async fn dissolve_unit(&self, actor: &Actor, code: &str, date: Day) -> Result<(), AppError> {
        let unit = self.unit_to_change(actor, code, Reach::Itself, date).await?;
        let parent = self.parent_code(&unit, date).await?;
        let change = actor.change(
            "",
            Entry {
                action: "org.dissolve",
                unit_id: Some(unit.id),
                member_id: None,
                detail: json!({"before": {"unit": unit.code, "parent": parent}, "after": null, "date": date.iso()}),
            },
        );
        self.store.dissolve(&unit.code, date, &change).await?;
        Ok(())
    }
}
