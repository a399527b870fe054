//! A plan's life as the Union lives it: drafted by a unit with a number
//! in its series, edited while a draft, issued with its signed document,
//! withdrawn, or replaced by a new version; and, read by the level above,
//! which units below have issued their implementing plans.
//!
//! Policy: every write asks `EditPlans` on the plan's issuing unit. A
//! draft is read only by who may `EditPlans` there
//! (`Principal::may_read_plan_in`); an issued plan is read-only, changed
//! only by a new version. A plan implements an issued plan of a unit
//! strictly above its own (or a document from outside, by number and date).

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::plan::{PlanKind, PlanStatus};
use hnd_domain::{Action, Day, MemberError, PlanError};
use hnd_store::{Implementing, Implements, NewFile, NewPlan, Plan};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A plan as typed (a form, a JSON body, the command line's arguments),
/// parsed by [`PlanText::parse`]. Empty texts are "not given".
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PlanText {
    /// The issuing unit's code (a new plan only).
    pub unit: String,
    /// `plan`, `programme`, `work_programme`, `theme` (`plan` when empty).
    pub kind: String,
    pub title: String,
    /// The document's number; given by the system when empty.
    pub number: String,
    /// dd/mm/yyyy; today when empty.
    pub date: String,
    /// "2026-2030" or "2026".
    pub years: String,
    /// The number of the plan of a level above it implements.
    pub implements: String,
    /// Or an outside document: its number and date (dd/mm/yyyy).
    pub implements_document: String,
    pub implements_date: String,
    /// dd/mm/yyyy: the day the units below must issue their own by.
    pub implement_by: String,
}

fn day_field(field: &'static str, text: &str) -> Result<Option<Day>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => Day::parse(t).map(Some).map_err(|_| AppError::bad_value(field, t)),
    }
}

/// "2026-2030", "2026–2030" or "2026": the first and last year.
fn years(text: &str) -> Result<(i32, i32), AppError> {
    let t = text.trim().replace(['–', '—'], "-");
    let bad = || {
        AppError::field(
            "years",
            MemberError::BadField {
                field: "years",
                value: text.trim().into(),
            },
        )
    };
    let (a, b) = t.split_once('-').unwrap_or((&t, &t));
    let (a, b) = (
        a.trim().parse::<i32>().map_err(|_| bad())?,
        b.trim().parse::<i32>().map_err(|_| bad())?,
    );
    if !(1930..=2100).contains(&a) || b < a || b > a + 20 {
        return Err(bad());
    }
    Ok((a, b))
}

impl PlanText {
    /// The plan to write, or the first field refused.
    pub fn parse(&self) -> Result<NewPlan, AppError> {
        let kind = match self.kind.trim() {
            "" => PlanKind::Plan,
            k => PlanKind::parse(k).ok_or_else(|| AppError::field("kind", PlanError::BadKind { text: k.into() }))?,
        };
        if self.title.trim().is_empty() {
            let error = MemberError::BadField {
                field: "title",
                value: String::new(),
            };
            return Err(AppError::field("title", error));
        }
        let (first_year, last_year) = years(&self.years)?;
        let implements = match (self.implements.trim(), self.implements_document.trim()) {
            ("", "") => None,
            (plan, "") => Some(Implements::Plan { number: plan.into() }),
            ("", doc) => {
                let on = day_field("implements_date", &self.implements_date)?
                    .ok_or_else(|| AppError::bad_value("implements_date", ""))?;
                Some(Implements::Document {
                    number: doc.into(),
                    date: on.to_string(),
                })
            }
            (_, doc) => return Err(AppError::bad_value("implements_document", doc)),
        };
        Ok(NewPlan {
            number: Some(self.number.trim().to_string()).filter(|n| !n.is_empty()),
            title: self.title.trim().to_string(),
            unit: self.unit.trim().to_string(),
            issued_on: day_field("date", &self.date)?.unwrap_or_else(Day::today),
            first_year,
            last_year,
            kind,
            implements,
            implement_by: day_field("implement_by", &self.implement_by)?,
        })
    }

    /// The texts of a plan kept, to edit it.
    pub fn of(plan: &Plan) -> PlanText {
        let (implements, implements_document, implements_date) = match &plan.implements {
            Some(Implements::Plan { number }) => (number.clone(), String::new(), String::new()),
            Some(Implements::Document { number, date }) => (String::new(), number.clone(), date.clone()),
            None => Default::default(),
        };
        PlanText {
            unit: plan.unit.clone(),
            kind: plan.kind.clone(),
            title: plan.title.clone(),
            number: plan.number.clone(),
            date: plan.issued_on.clone(),
            years: format!("{}-{}", plan.first_year, plan.last_year),
            implements,
            implements_document,
            implements_date,
            implement_by: plan.implement_by.clone().unwrap_or_default(),
        }
    }
}

/// A plan as a reader sees it: where it stands and which units below
/// have issued their plans implementing it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: Plan,
    pub implementing: Vec<Implementing>,
    /// May the reader edit, issue, withdraw or make a new version of it?
    pub editable: bool,
}

/// Plan `number`, if `reader` may read it in its status, with the units
/// below it and their implementing plans (their drafts only where the
/// reader may see them).
pub async fn readable_plan(app: &App, reader: &Actor, number: &str) -> Result<PlanView, AppError> {
    let plan = app.store.plan(number.trim()).await?;
    let (_, path) = app.store.unit_path(&plan.unit).await?;
    if !reader.passes(|p| p.may_read_plan_in(&path, plan.status())) {
        return Err(AppError::Forbidden);
    }
    let implementing = app
        .store
        .implementation(&plan.number, |below| reader.may(Action::EditPlans, below))
        .await?;
    let editable = reader.may(Action::EditPlans, &path);
    Ok(PlanView {
        plan,
        implementing,
        editable,
    })
}

impl App {
    /// Plan `number` with its unit's id, once `actor` may `EditPlans` there.
    async fn plan_to_change(&self, actor: &Actor, number: &str) -> Result<(Plan, i64), AppError> {
        let plan = self.store.plan(number.trim()).await?;
        let (unit, path) = self.store.unit_path(&plan.unit).await?;
        if !actor.may(Action::EditPlans, &path) {
            // A draft is not even there for who may not plan in its unit.
            if plan.status() == PlanStatus::Draft && !actor.passes(|p| p.may_read_plan_in(&path, PlanStatus::Draft)) {
                return Err(PlanError::UnknownPlan { number: number.into() }.into());
            }
            return Err(AppError::Forbidden);
        }
        Ok((plan, unit))
    }

    /// What `plan` implements, checked: a plan in force of a unit strictly
    /// above `unit`, which `actor` may read.
    pub(crate) async fn check_implements(&self, actor: &Actor, plan: &NewPlan, unit: &str) -> Result<(), AppError> {
        let Some(Implements::Plan { number }) = &plan.implements else {
            return Ok(());
        };
        let refuse = |e: PlanError| Err(AppError::field("implements", e));
        let Ok(parent) = self.store.plan(number).await else {
            return refuse(PlanError::UnknownPlan { number: number.clone() });
        };
        let (_, above) = self.store.unit_path(&parent.unit).await?;
        let (_, path) = self.store.unit_path(unit).await?;
        if !actor.passes(|p| p.may_read_plan_in(&above, parent.status())) {
            return refuse(PlanError::UnknownPlan { number: number.clone() });
        }
        if path == above || !path.starts_with(&above) {
            return refuse(PlanError::NotAbove {
                number: number.clone(),
                unit: unit.into(),
            });
        }
        if parent.status() != PlanStatus::Issued {
            return refuse(PlanError::NotIssued { number: number.clone() });
        }
        Ok(())
    }

    /// Drafts a plan for its unit; returns its number.
    pub async fn create_plan(&self, actor: &Actor, text: &PlanText) -> Result<String, AppError> {
        if text.unit.trim().is_empty() {
            return Err(AppError::bad_value("unit", ""));
        }
        let unit = self.plans_unit(actor, &text.unit).await?;
        let plan = text.parse()?;
        self.check_implements(actor, &plan, &plan.unit).await?;
        let change = actor.change(
            "",
            Entry {
                action: "plan.create",
                unit_id: Some(unit),
                member_id: None,
                // The store adds the plan's number under `after`.
                detail: json!({"before": null, "after": plan_detail(&plan, PlanStatus::Draft)}),
            },
        );
        Ok(self.store.create_draft(&plan, &change).await?)
    }

    /// Rewrites draft `number` (its unit and number stay), with its signed
    /// document if one comes.
    pub async fn edit_plan(
        &self,
        actor: &Actor,
        number: &str,
        text: &PlanText,
        document: Option<NewFile>,
    ) -> Result<(), AppError> {
        let (old, unit) = self.plan_to_change(actor, number).await?;
        if old.status() != PlanStatus::Draft {
            return Err(PlanError::NotDraft { number: old.number }.into());
        }
        let mut plan = text.parse()?;
        plan.unit = old.unit.clone();
        self.check_implements(actor, &plan, &old.unit).await?;
        check_file(&document)?;
        let mut after = plan_detail(&plan, PlanStatus::Draft);
        after["document"] = json!(document.as_ref().map(|f| &f.name));
        let change = actor.change(
            "",
            Entry {
                action: "plan.edit",
                unit_id: Some(unit),
                member_id: None,
                detail: json!({"plan": old.number, "before": old, "after": after}),
            },
        );
        Ok(self
            .store
            .edit_draft(&old.number, &plan, document.as_ref(), &change)
            .await?)
    }

    /// Issues draft `number`, with its signed document if one comes.
    pub async fn issue_plan(&self, actor: &Actor, number: &str, document: Option<NewFile>) -> Result<(), AppError> {
        let (plan, unit) = self.plan_to_change(actor, number).await?;
        if plan.status() != PlanStatus::Draft {
            return Err(PlanError::NotDraft { number: plan.number }.into());
        }
        check_file(&document)?;
        let change = actor.change(
            "",
            Entry {
                action: "plan.issue",
                unit_id: Some(unit),
                member_id: None,
                detail: json!({"plan": plan.number, "replaces": plan.replaces, "before": {"status": "draft"},
                    "after": {"status": "issued", "document": document.as_ref().map(|f| &f.name)}}),
            },
        );
        Ok(self.store.issue_plan(&plan.number, document.as_ref(), &change).await?)
    }

    /// Withdraws issued plan `number`.
    pub async fn withdraw_plan(&self, actor: &Actor, number: &str) -> Result<(), AppError> {
        let (plan, unit) = self.plan_to_change(actor, number).await?;
        if plan.status() != PlanStatus::Issued {
            return Err(PlanError::NotIssued { number: plan.number }.into());
        }
        let change = actor.change(
            "",
            Entry {
                action: "plan.withdraw",
                unit_id: Some(unit),
                member_id: None,
                detail: json!({"plan": plan.number, "before": {"status": "issued"}, "after": {"status": "withdrawn"}}),
            },
        );
        Ok(self.store.withdraw_plan(&plan.number, &change).await?)
    }

    /// Drafts a new version of issued plan `number`, dated today, with its
    /// targets; the old one stays in force until the new one is issued,
    /// then is kept, marked replaced. Returns the new number.
    pub async fn new_plan_version(&self, actor: &Actor, number: &str) -> Result<String, AppError> {
        let (old, unit) = self.plan_to_change(actor, number).await?;
        if old.status() != PlanStatus::Issued {
            return Err(PlanError::NotIssued { number: old.number }.into());
        }
        let mut text = PlanText::of(&old);
        text.number = String::new();
        text.date = String::new();
        let plan = text.parse()?;
        let change = actor.change(
            "",
            Entry {
                action: "plan.version",
                unit_id: Some(unit),
                member_id: None,
                // The store adds the new number under `after`.
                detail: json!({"plan": old.number, "before": {"status": "issued"},
                    "after": plan_detail(&plan, PlanStatus::Draft)}),
            },
        );
        Ok(self.store.new_version(&old.number, &plan, &change).await?)
    }
}

fn check_file(file: &Option<NewFile>) -> Result<(), AppError> {
    match file {
        Some(f) if f.content.len() > hnd_store::MAX_FILE_MB as usize * 1024 * 1024 => {
            let error = PlanError::FileTooLarge {
                name: f.name.clone(),
                max_mb: hnd_store::MAX_FILE_MB,
            };
            Err(AppError::field("document", error))
        }
        _ => Ok(()),
    }
}

pub(crate) fn plan_detail(plan: &NewPlan, status: PlanStatus) -> serde_json::Value {
    json!({"title": plan.title, "unit": plan.unit, "kind": plan.kind.code(), "status": status.code(),
        "issued_on": plan.issued_on.iso(), "first_year": plan.first_year, "last_year": plan.last_year,
        "implements": plan.implements, "implement_by": plan.implement_by.map(|d| d.iso())})
}
