//! Figures the register cannot know, entered for a unit and a period (the
//! entry grid, as DHIS2's data-entry screen): a period's figures of one
//! unit at once, all or none. Each is checked against its indicator (never
//! negative, a share within 0–100), against its denominator (a count is
//! never above the count it is a share of: members with BHYT ≤ members),
//! and against the period before: a figure more than [`FAR_FROM_LAST`] off
//! is a warning the user confirms before it is saved. A period locked for
//! the unit or a unit above it (its report approved) takes no figure.
//!
//! Policy: `EditPlans` on the unit the figures are for; the grid is read
//! with `ViewMembers` there. The entry is filed under that unit.

use crate::actor::Entry;
use crate::{Actor, App, AppError, FigureProblem};
use hnd_domain::plan::{Measure, Period, Source, all_indicators, indicator};
use hnd_domain::{Action, Lang, PlanError, Principal};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// How far a figure may move from the period before without a warning:
/// more than half up or down asks the user to confirm.
pub const FAR_FROM_LAST: f64 = 0.5;

/// One row of the entry grid: an indicator the unit enters, its figure
/// for the period (with who entered it and when) and the period before's.
#[derive(Debug, Clone, Serialize)]
pub struct GridRow {
    pub indicator: String,
    pub name: String,
    pub measure: &'static str,
    pub value: Option<f64>,
    pub last: Option<f64>,
    pub entered_by: Option<String>,
    /// RFC 3339.
    pub entered_at: Option<String>,
}

/// A unit's entry grid for a period.
#[derive(Debug, Clone, Serialize)]
pub struct Grid {
    pub unit: String,
    pub unit_name: String,
    /// The period's code (`2026`, `2026-Q2`…).
    pub period: String,
    pub period_name: String,
    pub previous: String,
    /// The period is locked for the unit: nothing can be entered.
    pub locked: bool,
    pub rows: Vec<GridRow>,
}

/// An indicator's name in `lang` (its code when unknown).
pub fn indicator_name(code: &str, lang: Lang) -> String {
    indicator(code)
        .map(|i| if lang == Lang::En { i.name_en } else { i.name_vi })
        .unwrap_or(code)
        .to_string()
}

/// The indicators a unit enters by hand, catalogue first.
fn entered_indicators() -> Vec<&'static hnd_domain::plan::Indicator> {
    all_indicators()
        .into_iter()
        .filter(|i| i.source == Source::Entered)
        .collect()
}

/// `unit`'s entry grid for `period`, if `user` may see its figures.
pub async fn entry_grid(app: &App, user: &Principal, unit: &str, period: Period, lang: Lang) -> Result<Grid, AppError> {
    let store = app.store();
    let (id, path) = store.unit_path(unit.trim()).await?;
    if !user.may(Action::ViewMembers, &path) {
        return Err(AppError::Forbidden);
    }
    store.load_indicators().await?;
    let details = store.unit(unit.trim(), hnd_domain::Day::today()).await?.unit;
    let now = store.entered_values(id, period).await?;
    let last = store.entered_values(id, period.previous()).await?;
    let rows = entered_indicators()
        .into_iter()
        .map(|i| {
            let entered = now.iter().find(|v| v.indicator == i.code);
            GridRow {
                indicator: i.code.to_string(),
                name: indicator_name(i.code, lang),
                measure: i.measure.code(),
                value: entered.map(|v| v.value),
                last: last.iter().find(|v| v.indicator == i.code).map(|v| v.value),
                entered_by: entered.map(|v| v.entered_by.clone()),
                entered_at: entered.map(|v| v.entered_at.clone()),
            }
        })
        .collect();
    Ok(Grid {
        unit: details.code.clone(),
        unit_name: details.name,
        period: period.code(),
        period_name: period.to_string(),
        previous: period.previous().to_string(),
        locked: store.period_locked(&details.code, period).await?,
        rows,
    })
}

impl App {
    /// Records `unit`'s figures for `period` (indicator code, value), all
    /// or none, after the checks of this module; figures far from the
    /// period before are saved only when `confirmed`. Returns how many.
    pub async fn enter_values(
        &self,
        actor: &Actor,
        unit: &str,
        period: Period,
        values: &[(String, f64)],
        confirmed: bool,
    ) -> Result<usize, AppError> {
        let unit_id = self.plans_unit(actor, unit).await?;
        if values.is_empty() {
            return Ok(0);
        }
        if self.store.period_locked(unit, period).await? {
            let unit = unit.trim().to_string();
            return Err(PlanError::PeriodLocked {
                unit,
                period: period.to_string(),
            }
            .into());
        }
        self.store.load_indicators().await?;
        let stored: HashMap<String, f64> = (self.store.entered_values(unit_id, period).await?)
            .into_iter()
            .map(|v| (v.indicator, v.value))
            .collect();
        // Every refusal at once, so the grid tells each row's.
        let mut problems = refusals(values);
        problems.extend(
            self.above_denominators(unit, period, values, &stored, actor.lang)
                .await?,
        );
        if !problems.is_empty() {
            return Err(AppError::Figures(problems));
        }
        let warnings = self.far_from_last(unit_id, period, values, actor.lang).await?;
        if !warnings.is_empty() && !confirmed {
            return Err(AppError::Figures(warnings));
        }
        let (mut before, mut after) = (Map::new(), Map::new());
        for (code, value) in values {
            before.insert(code.clone(), stored.get(code).copied().into());
            after.insert(code.clone(), (*value).into());
        }
        let confirmed: Vec<&str> = warnings.iter().map(|w| w.indicator.as_str()).collect();
        let change = actor.change(
            "",
            Entry {
                action: "plan.values",
                unit_id: Some(unit_id),
                member_id: None,
                detail: json!({"unit": unit.trim(), "period": period.code(), "confirmed": confirmed,
                    "before": Value::Object(before), "after": Value::Object(after)}),
            },
        );
        self.store.enter_values(unit, period, values, &change).await?;
        Ok(values.len())
    }

    /// Each figure above the count it is a share of (a ratio indicator's
    /// numerator above its denominator), as this batch leaves them: the
    /// denominator typed in it, entered before, or counted by the register.
    async fn above_denominators(
        &self,
        unit: &str,
        period: Period,
        values: &[(String, f64)],
        stored: &HashMap<String, f64>,
        lang: Lang,
    ) -> Result<Vec<FigureProblem>, AppError> {
        let typed = |code: &str| values.iter().rev().find(|(c, _)| c == code).map(|(_, v)| *v);
        let mut problems = Vec::new();
        for ratio in all_indicators() {
            let Source::Ratio(num, den) = ratio.source else {
                continue;
            };
            if ratio.measure != Measure::Percent || (typed(num).is_none() && typed(den).is_none()) {
                continue;
            }
            let Some(n) = typed(num).or_else(|| stored.get(num).copied()) else {
                continue;
            };
            let d = match indicator(den).map(|i| i.source) {
                Some(Source::Entered) => typed(den).or_else(|| stored.get(den).copied()),
                _ => self.store.figure(unit.trim(), den, period).await?,
            };
            let Some(d) = d else { continue };
            if n > d && !problems.iter().any(|p: &FigureProblem| p.indicator == num) {
                problems.push(FigureProblem {
                    indicator: if typed(num).is_some() { num } else { den }.to_string(),
                    warning: false,
                    error: PlanError::AboveDenominator {
                        indicator: indicator_name(num, lang),
                        value: hnd_domain::fmt::figure(n, lang),
                        denominator: indicator_name(den, lang),
                        of: hnd_domain::fmt::figure(d, lang),
                    },
                });
            }
        }
        Ok(problems)
    }

    /// The figures more than [`FAR_FROM_LAST`] away from what the unit
    /// entered for the period before.
    async fn far_from_last(
        &self,
        unit_id: i64,
        period: Period,
        values: &[(String, f64)],
        lang: Lang,
    ) -> Result<Vec<FigureProblem>, AppError> {
        let previous = period.previous();
        let last: HashMap<String, f64> = (self.store.entered_values(unit_id, previous).await?)
            .into_iter()
            .map(|v| (v.indicator, v.value))
            .collect();
        Ok(values
            .iter()
            .filter_map(|(code, value)| {
                let last = *last.get(code).filter(|l| **l > 0.0)?;
                ((value - last).abs() / last > FAR_FROM_LAST).then(|| FigureProblem {
                    indicator: code.clone(),
                    warning: true,
                    error: PlanError::FarFromLast {
                        indicator: indicator_name(code, lang),
                        value: hnd_domain::fmt::figure(*value, lang),
                        period: previous.to_string(),
                        last: hnd_domain::fmt::figure(last, lang),
                    },
                })
            })
            .collect())
    }
}

/// Each figure its indicator refuses: unknown, counted by the register
/// rather than entered, negative, or a share above 100.
fn refusals(values: &[(String, f64)]) -> Vec<FigureProblem> {
    values
        .iter()
        .filter_map(|(code, value)| {
            let refused = |error| FigureProblem {
                indicator: code.clone(),
                warning: false,
                error,
            };
            let Some(ind) = indicator(code) else {
                return Some(refused(PlanError::UnknownIndicator { code: code.clone() }));
            };
            let value_text = value.to_string();
            if ind.source != Source::Entered {
                Some(refused(PlanError::NotEntered {
                    indicator: code.clone(),
                }))
            } else if *value < 0.0 || !value.is_finite() {
                Some(refused(PlanError::Negative {
                    indicator: code.clone(),
                    value: value_text,
                }))
            } else if ind.measure == Measure::Percent && *value > 100.0 {
                Some(refused(PlanError::PercentAbove100 {
                    indicator: code.clone(),
                    value: value_text,
                }))
            } else {
                None
            }
        })
        .collect()
}
