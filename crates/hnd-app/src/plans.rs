//! Plans (kế hoạch): the indicators added beside the catalogue, targets set (typed or from a sheet) and handed down, the
//! figures the register cannot know typed in. A plan's own life (drafted,
//! issued, withdrawn, replaced) is `plan_life.rs`.
//!
//! Each asks `EditPlans` on the unit it changes (a target's unit, the unit
//! handing down, the unit a figure is for, the plan's unit for the plan
//! itself); the catalogue is the country's, so adding to it is asked of
//! `Principal::may_add_indicators` and filed under the root.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::plan::Comparator;
use hnd_domain::{Action, Day, MemberError};
use hnd_store::{NewIndicator, Split, SplitOutcome};
use serde_json::{Value, json};

/// A target to set: unit code, indicator code, comparator, value.
pub type NewTarget = (String, String, Comparator, f64);

impl App {
    /// The unit at `code` today, if `actor` may `EditPlans` there: its id.
    pub(crate) async fn plans_unit(&self, actor: &Actor, code: &str) -> Result<i64, AppError> {
        let (id, path) = self.store.unit_path(code.trim()).await?;
        if actor.may(Action::EditPlans, &path) {
            Ok(id)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// May `actor` set targets for the unit at `path`? For a sheet's
    /// reader, to list every refused row at once; [`App::set_targets`]
    /// asks again of each target it writes.
    pub fn may_set_target(&self, actor: &Actor, path: &str) -> bool {
        actor.may(Action::EditPlans, path)
    }

    /// Adds an indicator beside the catalogue (checked by the store: its
    /// code, names, measure, and a ratio's two indicators).
    pub async fn add_indicator(&self, actor: &Actor, new: &NewIndicator) -> Result<(), AppError> {
        if !actor.passes(|p| p.may_add_indicators()) {
            return Err(AppError::Forbidden);
        }
        let root = self.store.root(Day::today()).await?.map(|u| u.id);
        let change = actor.change(
            "",
            Entry {
                action: "indicator.add",
                unit_id: root,
                member_id: None,
                detail: json!({"indicator": new.code.trim(), "before": null, "after": {"indicator": new.code.trim(),
                    "name": new.name_vi.trim(), "measure": new.measure, "ratio": new.ratio}}),
            },
        );
        Ok(self.store.add_indicator(new, &change).await?)
    }

    /// Sets targets of plan `number`, all or none (each checked by the
    /// store); returns how many. Every target's unit must be the actor's
    /// to plan for. The entry is filed under the one unit they all share,
    /// else under the plan's unit.
    pub async fn set_targets(&self, actor: &Actor, number: &str, targets: &[NewTarget]) -> Result<usize, AppError> {
        let (plan_unit, _) = self.store.plan_unit(number).await?;
        let mut units: Vec<(&str, i64)> = Vec::new();
        for (code, ..) in targets {
            if !units.iter().any(|(c, _)| c == code) {
                units.push((code, self.plans_unit(actor, code).await?));
            }
        }
        let mut before = Vec::new();
        for (code, _) in &units {
            let set = self.store.targets(number, code).await?;
            before.extend(
                set.into_iter()
                    .filter(|t| targets.iter().any(|n| n.0 == *code && n.1 == t.indicator))
                    .map(|t| json!({"unit": t.unit, "indicator": t.indicator, "comparator": t.comparator, "value": t.value})),
            );
        }
        let after: Vec<Value> = targets
            .iter()
            .map(|(unit, indicator, comparator, value)| {
                json!({"unit": unit, "indicator": indicator, "comparator": comparator.code(), "value": value})
            })
            .collect();
        let unit = match units.as_slice() {
            [(_, only)] => *only,
            _ => plan_unit,
        };
        let change = actor.change(
            "",
            Entry {
                action: "plan.targets",
                unit_id: Some(unit),
                member_id: None,
                detail: json!({"plan": number, "before": before, "after": after}),
            },
        );
        Ok(self.store.set_targets(number, targets, &change).await?)
    }

    /// Hands `unit`'s target of `indicator` down to the units directly
    /// below it, `by` members, households (counted today) or equally.
    pub async fn split_target(
        &self,
        actor: &Actor,
        number: &str,
        unit: &str,
        indicator: &str,
        by: &str,
    ) -> Result<SplitOutcome, AppError> {
        let unit_id = self.plans_unit(actor, unit).await?;
        let Some(how) = Split::parse(by, Day::today()) else {
            let value = by.to_string();
            return Err(AppError::field("by", MemberError::BadField { field: "split", value }));
        };
        let (below, handed) = self.store.handed_down(number, unit.trim()).await?;
        let (units, sum) = handed.get(indicator.trim()).copied().unwrap_or((0, 0.0));
        let change = actor.change(
            "",
            Entry {
                action: "plan.split",
                unit_id: Some(unit_id),
                member_id: None,
                // The store adds what went down under `after`.
                detail: json!({"plan": number, "unit": unit.trim(), "indicator": indicator.trim(), "by": how.code(),
                    "before": {"units": units, "of": below, "sum": sum}, "after": {}}),
            },
        );
        Ok(self
            .store
            .split_target(number, unit.trim(), indicator.trim(), how, &change)
            .await?)
    }
}
