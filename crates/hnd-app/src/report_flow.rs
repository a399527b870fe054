//! Periodic reports up the tree (`hnd_domain::report`): a unit writes its
//! report and submits it; the level above returns it with a comment or
//! approves it, which locks the period's figures of the unit; only the
//! level above unlocks it. The level above sees which units below are
//! late, reads their narrative while writing its own, and fills its own
//! typed figures with the sums of their approved reports.
//!
//! Policy: a report is written and submitted by who may manage plans in
//! the unit (`EditPlans` on its path); a step of the level above needs
//! `EditPlans` on the parent's path, so a unit never approves its own; a
//! report is read by who may read the unit's members. Outside bodies'
//! accounts have no grant: they report on their tasks only.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::plan::Period;
use hnd_domain::report::TYPED;
use hnd_domain::{Action, Day, Level, ReportError, ReportForm, ReportStatus, ReportStep};
use hnd_store::{Report, ReportStepRow, Unit};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// A unit below and where its report stands.
#[derive(Debug, Clone, Serialize)]
pub struct BelowReport {
    pub code: String,
    pub name: String,
    /// `None`: not written yet.
    pub status: Option<String>,
    pub number: Option<String>,
    pub submitted_on: Option<String>,
    /// Not submitted by the deadline, or submitted after it.
    pub late: bool,
    /// Its narrative, when submitted or approved: at hand for the level
    /// above writing its own.
    pub parts: BTreeMap<String, String>,
    pub typed: BTreeMap<String, i64>,
}

/// A plan's targets for the report's unit against the figures of the
/// report's period: the computed table of a six-month or year review.
#[derive(Debug, Clone, Serialize)]
pub struct PlanWork {
    pub number: String,
    pub title: String,
    pub rows: Vec<hnd_store::ProgressRow>,
}

impl PlanWork {
    /// "Title (number)", as a review prints the plan above its targets.
    pub fn heading(&self) -> String {
        format!("{} ({})", self.title, self.number)
    }

    /// Each target as a review prints it (indicator, "≥ 105", the result,
    /// the assessment), with whether it was met.
    pub fn printed(&self, lang: hnd_domain::Lang) -> Vec<([String; 4], Option<bool>)> {
        let t = |key: &str| hnd_domain::i18n::t(lang, key, &[]);
        let figure = |v: f64| hnd_domain::fmt::figure(v, lang);
        self.rows
            .iter()
            .map(|r| {
                let met = match r.met {
                    Some(true) => t("standing.met"),
                    Some(false) => t("cli.not_met"),
                    None => t("standing.unknown"),
                };
                let sign =
                    hnd_domain::plan::Comparator::parse(&r.comparator).map_or(r.comparator.as_str(), |c| c.sign());
                let target = format!("{sign} {}", figure(r.target));
                let cells = [
                    crate::indicator_name(&r.indicator, lang),
                    target,
                    r.actual.map(figure).unwrap_or_default(),
                    met,
                ];
                (cells, r.met)
            })
            .collect()
    }
}

/// A unit's report on a form for a period, with what the reader may do.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub unit: Unit,
    pub form: &'static str,
    pub period: String,
    pub deadline: String,
    pub report: Option<Report>,
    pub steps: Vec<ReportStepRow>,
    pub late: bool,
    pub below: Vec<BelowReport>,
    /// The sums of the typed figures of the approved reports below.
    pub aggregated: BTreeMap<String, i64>,
    pub may_write: bool,
    pub may_decide: bool,
    /// A review's computed sections: each issued plan with targets for the
    /// unit in the period's year against its figures, and the unit's tasks
    /// with where they stand (empty for the strength report).
    pub plans: Vec<PlanWork>,
    pub tasks: Vec<hnd_store::Task>,
}

/// The path of the unit above the one at `path` (`/1/52/7730/` → `/1/52/`).
fn parent_path(path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| trimmed[..=cut].to_string())
}

/// Late on `today` against `deadline`: not submitted by then, or after it.
fn is_late(report: Option<&Report>, deadline: Day, today: Day) -> bool {
    let submitted = report
        .and_then(|r| r.submitted_on.as_deref())
        .and_then(|d| Day::parse(d).ok());
    let approved_or_in =
        report.is_some_and(|r| r.status != ReportStatus::Draft.code() && r.status != ReportStatus::Returned.code());
    match submitted {
        Some(day) if approved_or_in => day > deadline,
        _ => today > deadline,
    }
}

/// A form and a period that go together, or why not.
pub fn form_period(form: &str, period: &str) -> Result<(ReportForm, Period), AppError> {
    let f = ReportForm::parse(form).ok_or_else(|| AppError::field("form", ReportError::BadForm(form.into())))?;
    let p = hnd_domain::report::period_of(period).ok_or_else(|| AppError::bad_value("period", period))?;
    if !f.fits(&p) {
        let e = ReportError::FormPeriod {
            form: f.code().into(),
            period: p.to_string(),
        };
        return Err(AppError::field("period", e));
    }
    Ok((f, p))
}

impl App {
    async fn report_unit(&self, actor: &Actor, unit: &str, action: Action) -> Result<Unit, AppError> {
        let u = self.store.unit(unit.trim(), Day::today()).await?.unit;
        if !actor.may(action, &u.path) {
            return Err(AppError::Forbidden);
        }
        Ok(u)
    }

    fn decides_for(&self, actor: &Actor, unit: &Unit) -> bool {
        parent_path(&unit.path).is_some_and(|p| actor.may(Action::EditPlans, &p))
    }

    /// Unit `unit`'s report on `form` for `period`, the units below with
    /// theirs, what the actor may do, and a review's computed sections.
    pub async fn report_view(
        &self,
        reader: &Actor,
        unit: &str,
        form: &str,
        period: &str,
    ) -> Result<ReportView, AppError> {
        let mut view = self.report_state(reader, unit, form, period).await?;
        if let (Some(form), Some(period)) = (
            ReportForm::parse(view.form),
            hnd_domain::report::period_of(&view.period),
        ) && form != ReportForm::Strength
        {
            let code = &view.unit.code;
            for (number, title) in self.store.plans_with_targets(code, period.year()).await? {
                let rows = self.store.progress(&number, code, period).await?;
                view.plans.push(PlanWork { number, title, rows });
            }
            view.tasks = self.store.unit_tasks(code, Day::today()).await?;
        }
        Ok(view)
    }

    /// The report's view without a review's computed sections: what the
    /// workflow's own steps read.
    async fn report_state(&self, reader: &Actor, unit: &str, form: &str, period: &str) -> Result<ReportView, AppError> {
        let u = self.report_unit(reader, unit, Action::ViewMembers).await?;
        let (form, period) = form_period(form, period)?;
        let report = self.store.report(&u.code, form, period).await?;
        let steps = match &report {
            Some(r) => self.store.report_steps(r.id).await?,
            None => Vec::new(),
        };
        let deadline = form.deadline(&period);
        let today = Day::today();
        let mut aggregated = BTreeMap::new();
        let below = self
            .store
            .reports_below(&u.code, form, period)
            .await?
            .into_iter()
            // Branches and groups report to their commune in its own
            // report, not on a form of their own.
            .filter(|(c, _)| !matches!(c.level, Level::Branch | Level::Group))
            .map(|(c, r)| {
                let shown = r.as_ref().filter(|r| r.status == "submitted" || r.status == "approved");
                if let Some(r) = r.as_ref().filter(|r| r.status == "approved") {
                    for (k, v) in &r.typed {
                        *aggregated.entry(k.clone()).or_insert(0) += v;
                    }
                }
                BelowReport {
                    late: is_late(r.as_ref(), deadline, today),
                    status: r.as_ref().map(|r| r.status.clone()),
                    number: r.as_ref().and_then(|r| r.number.clone()),
                    submitted_on: r.as_ref().and_then(|r| r.submitted_on.clone()),
                    parts: shown.map(|r| r.parts.clone()).unwrap_or_default(),
                    typed: shown.map(|r| r.typed.clone()).unwrap_or_default(),
                    code: c.code,
                    name: c.name,
                }
            })
            .collect();
        let editable = report
            .as_ref()
            .is_none_or(|r| ReportStatus::parse(&r.status).is_some_and(|s| s.editable()));
        Ok(ReportView {
            may_write: editable && reader.may(Action::EditPlans, &u.path),
            may_decide: self.decides_for(reader, &u),
            late: is_late(report.as_ref(), deadline, today),
            form: form.code(),
            period: period.code(),
            deadline: deadline.to_string(),
            report,
            steps,
            below,
            aggregated,
            plans: Vec::new(),
            tasks: Vec::new(),
            unit: u,
        })
    }

    /// Writes unit `unit`'s draft: its narrative parts and typed figures
    /// (text as typed: "1.250" reads 1250). Returns the report's id.
    pub async fn save_report(
        &self,
        actor: &Actor,
        unit: &str,
        (form, period): (&str, &str),
        parts: &BTreeMap<String, String>,
        typed: &BTreeMap<String, String>,
    ) -> Result<i64, AppError> {
        let u = self.report_unit(actor, unit, Action::EditPlans).await?;
        let (form, period) = form_period(form, period)?;
        if let Some(bad) = parts.keys().find(|k| !form.parts().contains(&k.as_str())) {
            return Err(AppError::field("parts", ReportError::BadPart(bad.clone())));
        }
        let mut figures = BTreeMap::new();
        for (k, v) in typed {
            if !TYPED.contains(&k.as_str()) {
                return Err(AppError::field("typed", ReportError::BadPart(k.clone())));
            }
            let text: String = v.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
            if text.is_empty() {
                continue;
            }
            let n: i64 = text.parse().ok().filter(|n| *n >= 0).ok_or_else(|| {
                let e = ReportError::BadFigure {
                    field: k.clone(),
                    value: v.clone(),
                };
                AppError::field("typed", e)
            })?;
            figures.insert(k.clone(), n);
        }
        let parts: BTreeMap<String, String> = parts
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect();
        let entry = Entry {
            action: "report.save",
            unit_id: Some(u.id),
            member_id: None,
            detail: json!({"before": {}, "after": {"form": form.code(), "period": period.code(), "parts": parts.keys().collect::<Vec<_>>(), "typed": figures}}),
        };
        let change = actor.change("", entry);
        Ok(self
            .store
            .save_report(&u.code, form, period, &parts, &figures, &change)
            .await?)
    }

    /// Takes `step` on unit `unit`'s report: the unit submits; the level
    /// above returns (with a comment), approves (locking the period's
    /// figures) or unlocks (with a comment, sending it back).
    pub async fn report_step(
        &self,
        actor: &Actor,
        unit: &str,
        (form, period): (&str, &str),
        step: ReportStep,
        comment: &str,
    ) -> Result<Report, AppError> {
        let u = self.store.unit(unit.trim(), Day::today()).await?.unit;
        let allowed = if step.by_level_above() {
            self.decides_for(actor, &u)
        } else {
            actor.may(Action::EditPlans, &u.path)
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let (form, period) = form_period(form, period)?;
        if matches!(step, ReportStep::Return | ReportStep::Unlock) && comment.trim().is_empty() {
            return Err(AppError::field("comment", ReportError::CommentRequired));
        }
        let entry = Entry {
            action: match step {
                ReportStep::Submit => "report.submit",
                ReportStep::Return => "report.return",
                ReportStep::Approve => "report.approve",
                ReportStep::Unlock => "report.unlock",
            },
            unit_id: Some(u.id),
            member_id: None,
            detail: json!({"before": {}, "after": {"form": form.code(), "period": period.code(), "comment": comment.trim()}}),
        };
        let change = actor.change(comment, entry);
        let report = self
            .store
            .take_report_step(&u.code, form, period, step, comment, Day::today(), &change)
            .await?;
        Ok(report)
    }

    /// Fills unit `unit`'s draft's typed figures with the sums of the
    /// approved reports of the units below (its narrative kept).
    pub async fn aggregate_report(&self, actor: &Actor, unit: &str, form: &str, period: &str) -> Result<i64, AppError> {
        let view = self.report_state(actor, unit, form, period).await?;
        let parts = view.report.as_ref().map(|r| r.parts.clone()).unwrap_or_default();
        let typed = view
            .aggregated
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        self.save_report(actor, unit, (form, period), &parts, &typed).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_above_is_the_parent_path() {
        assert_eq!(parent_path("/1/52/7730/").as_deref(), Some("/1/52/"));
        assert_eq!(parent_path("/1/52/").as_deref(), Some("/1/"));
        assert_eq!(parent_path("/1/"), None);
    }
}
