//! A plan from above read into a draft of the unit's own: the document
//! (DOCX, PDF with a text layer, plain text in UTF-8 or UTF-16, its text
//! converted when typed in a TCVN3 or VNI font) read by `hnd-ingest`, what
//! reviewers corrected before applied, and the draft a reviewer made of
//! it written as the unit's plan, with its targets and tasks, at once.
//!
//! Policy: both ask `EditPlans` on the unit the plan is for. Reading
//! writes nothing (the document stays with the reader) and is not
//! audited; [`App::create_plan_from_reading`] writes one entry
//! `plan.read`, the plan, its targets, its tasks and the reviewer's
//! corrections in one transaction.
//!
//! Decisions:
//! - The document read is usually the one the new plan implements (a plan
//!   from above, a resolution): the web form offers its number and date as
//!   the outside document implemented, and its title as the new plan's.
//! - Targets are the plan's unit's own. A range ("từ 4 đến 5") is written
//!   as its lower bound (`>=` 4): a target holds one value.
//! - A correction is kept under the target's phrase (its words without
//!   figures): the indicator the reviewer chose for it, or '' when the
//!   reviewer said it is not a target. The next reading of the same words
//!   takes it.

use crate::actor::Entry;
use crate::{Actor, App, AppError, PlanText, TaskText};
use hnd_domain::PlanError;
use hnd_domain::plan::Comparator;
use hnd_ingest::{Draft, IngestError, phrase};
use hnd_store::ReadPlan;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A target as its reviewer left it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReviewedTarget {
    /// The clause it was read from.
    pub text: String,
    /// The indicator the reader gave it ('' for none).
    pub read_indicator: String,
    /// The catalogue's indicator the reviewer chose.
    pub indicator: String,
    /// `>=`, `<=`, `=`, `range` (its lower bound is kept) or the plan's words.
    pub comparator: String,
    pub value: f64,
    /// Left out of the plan.
    pub skip: bool,
    /// Left out, and not a target at all: the next reading says so.
    pub not_target: bool,
}

/// A task as its reviewer left it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReviewedTask {
    #[serde(flatten)]
    pub task: TaskText,
    /// Left out of the plan.
    pub skip: bool,
}

/// The draft plan a reviewer made of a reading.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReviewedPlan {
    pub plan: PlanText,
    pub targets: Vec<ReviewedTarget>,
    pub tasks: Vec<ReviewedTask>,
}

/// Reads `bytes` for a plan of unit `unit` (asked when given: a reading
/// for no unit only shows what the document says): the draft as read,
/// with what reviewers corrected before applied.
pub async fn read_plan_document(
    app: &App,
    reader: &Actor,
    unit: Option<&str>,
    bytes: &[u8],
) -> Result<Draft, AppError> {
    if let Some(unit) = unit {
        app.plans_unit(reader, unit).await?;
    }
    let mut text = hnd_ingest::text_of(bytes).map_err(AppError::Document)?;
    // Typed years ago in a TCVN3 or VNI font: converted before it is read.
    if let Some(legacy) = hnd_import::detect_legacy(text.lines()) {
        text = hnd_import::convert_legacy(&text, legacy);
    }
    let mut draft = hnd_ingest::read_text(&text);
    draft.correct(&app.store.reading_corrections().await?);
    Ok(draft)
}

/// The review a reading starts from: every item kept as read, the plan
/// implementing the document read.
pub fn first_review(unit: &str, draft: &Draft) -> ReviewedPlan {
    let years = match draft.period.as_str() {
        "" => draft.date.rsplit('/').next().unwrap_or_default().to_string(),
        p => p.to_string(),
    };
    ReviewedPlan {
        plan: PlanText {
            unit: unit.to_string(),
            title: draft.title.clone(),
            years,
            implements_document: draft.number.clone(),
            implements_date: draft.date.clone(),
            ..PlanText::default()
        },
        targets: draft
            .targets
            .iter()
            .map(|t| ReviewedTarget {
                text: t.text.clone(),
                read_indicator: t.indicator.clone().unwrap_or_default(),
                indicator: t.indicator.clone().unwrap_or_default(),
                comparator: t.comparator.code().to_string(),
                value: t.value,
                skip: t.not_target,
                not_target: t.not_target,
            })
            .collect(),
        tasks: draft
            .tasks
            .iter()
            .map(|t| ReviewedTask {
                task: TaskText {
                    title: t.title.clone(),
                    directing: crate::Names::One(t.directing.clone()),
                    lead: crate::Names::One(t.lead.clone()),
                    coordinating: crate::Names::Many(t.coordinating.clone()),
                    // A task a plan gives no deadline runs through the plan:
                    // "thường xuyên", shown to the reviewer, who may change it.
                    deadline: match t.deadline.trim() {
                        "" => "Thường xuyên".to_string(),
                        d => d.to_string(),
                    },
                    unit: String::new(),
                },
                skip: false,
            })
            .collect(),
    }
}

impl App {
    /// Writes the plan `reviewed` makes of a reading as a draft of its
    /// unit, with the targets and tasks kept, all or none; keeps the
    /// reviewer's corrections. Returns the plan's number.
    pub async fn create_plan_from_reading(&self, actor: &Actor, reviewed: &ReviewedPlan) -> Result<String, AppError> {
        if reviewed.plan.unit.trim().is_empty() {
            return Err(AppError::bad_value("unit", ""));
        }
        let unit = self.plans_unit(actor, &reviewed.plan.unit).await?;
        let plan = reviewed.plan.parse()?;
        self.check_implements(actor, &plan, &plan.unit).await?;
        let known = self.store.reading_corrections().await?;
        let (mut targets, mut corrections) = (Vec::new(), Vec::new());
        for t in &reviewed.targets {
            let key = phrase(&t.text);
            if t.not_target {
                corrections.push((key, String::new()));
                continue;
            }
            if t.skip {
                continue;
            }
            let indicator = t.indicator.trim();
            if indicator.is_empty() {
                return Err(AppError::field(
                    "targets",
                    PlanError::NoIndicator { text: t.text.clone() },
                ));
            }
            let comparator = match t.comparator.trim() {
                "range" => Comparator::AtLeast,
                c => Comparator::parse(c)
                    .ok_or_else(|| AppError::field("targets", PlanError::BadComparator { text: c.into() }))?,
            };
            if !key.is_empty() && (indicator != t.read_indicator.trim() || known.iter().any(|(p, _)| *p == key)) {
                corrections.push((key, indicator.to_string()));
            }
            targets.push((indicator.to_string(), comparator, t.value));
        }
        let tasks: Vec<_> = reviewed
            .tasks
            .iter()
            .filter(|t| !t.skip)
            .map(|t| t.task.task())
            .collect();
        for task in &tasks {
            if let Err(e) = task.check() {
                let error = PlanError::InTask {
                    title: task.title.clone(),
                    why: Box::new(e),
                };
                return Err(AppError::field("tasks", error));
            }
        }
        let change = actor.change(
            "",
            Entry {
                action: "plan.read",
                unit_id: Some(unit),
                member_id: None,
                // The store adds the plan's number under `after`.
                detail: json!({"before": null, "after": {
                    "plan": crate::plan_life::plan_detail(&plan, hnd_domain::plan::PlanStatus::Draft),
                    "targets": targets.iter().map(|(i, c, v)| json!({"indicator": i, "comparator": c.code(), "value": v})).collect::<Vec<_>>(),
                    "tasks": tasks.len(),
                    "corrections": corrections.len(),
                }}),
            },
        );
        let read = ReadPlan {
            plan,
            targets,
            tasks,
            corrections,
        };
        Ok(self.store.create_draft_read(&read, &change).await?)
    }
}

impl From<IngestError> for AppError {
    fn from(e: IngestError) -> AppError {
        AppError::Document(e)
    }
}
