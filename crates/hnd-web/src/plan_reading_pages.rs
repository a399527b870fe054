//! A plan's text read into a draft on the web: the upload on `/plans`
//! (`POST /plans/read`, multipart: the token, the unit, the document)
//! answers the review page, the source beside what was read from it with
//! each item marked in the text and linked both ways; every target and
//! task is kept, edited or left out there, a target's indicator chosen
//! from the catalogue, and `POST /plans/read/create` writes the draft
//! plan through `hnd_app`'s plan reading. A refusal comes back on the
//! same page with everything typed kept (the source travels with the form).

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, render, told};
use askama::Template;
use axum::extract::{Form, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::{AppError, PlanText, ReviewedPlan, ReviewedTarget, ReviewedTask, TaskText, first_review};
use hnd_domain::PlanError;
use hnd_domain::fmt::figure;
use std::collections::BTreeMap;

/// The largest document read (the task files' limit).
pub const MAX_DOCUMENT: usize = crate::plan_life_pages::MAX_DOCUMENT;

/// A target as the review page shows and sends it.
#[derive(Default)]
struct TargetRow {
    id: String,
    text: String,
    read: String,
    indicator: String,
    comparator: String,
    value: String,
    value_max: String,
    unit: String,
    period: String,
    scope: String,
    proposed: String,
    keep: bool,
    not_target: bool,
}

/// A task as the review page shows and sends it.
#[derive(Default)]
struct TaskRow {
    id: String,
    title: String,
    directing: String,
    lead: String,
    coordinating: String,
    deadline: String,
    keep: bool,
}

/// A run of the source: marked when an item was read from it.
struct Piece {
    text: String,
    mark: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_read.html")]
struct ReviewPage {
    t: Tr,
    nav: Option<Nav>,
    summary: String,
    source: String,
    pieces: Vec<Piece>,
    plan: PlanText,
    kinds: Vec<(&'static str, String)>,
    targets: Vec<TargetRow>,
    tasks: Vec<TaskRow>,
    indicators: Vec<(String, String)>,
    comparators: Vec<(&'static str, String)>,
    /// May the viewer add a proposed indicator to the catalogue?
    may_add: bool,
    error: Option<String>,
}

/// The source cut into runs, each item's first place in it marked (in
/// order, never two over one another).
fn pieces(source: &str, targets: &[TargetRow], tasks: &[TaskRow]) -> Vec<Piece> {
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    let items = targets
        .iter()
        .map(|t| (t.text.as_str(), &t.id))
        .chain(tasks.iter().map(|t| (t.title.trim_end_matches('…').trim(), &t.id)));
    for (text, id) in items {
        if text.is_empty() {
            continue;
        }
        if let Some(at) = source.find(text) {
            found.push((at, at + text.len(), id.clone()));
        }
    }
    found.sort();
    let (mut out, mut at) = (Vec::new(), 0);
    for (start, end, id) in found {
        if start < at {
            continue;
        }
        out.push(Piece {
            text: source[at..start].to_string(),
            mark: None,
        });
        out.push(Piece {
            text: source[start..end].to_string(),
            mark: Some(id),
        });
        at = end;
    }
    out.push(Piece {
        text: source[at..].to_string(),
        mark: None,
    });
    out
}

fn page(
    viewer: &Viewer,
    summary: String,
    source: String,
    plan: PlanText,
    rows: (Vec<TargetRow>, Vec<TaskRow>),
) -> ReviewPage {
    let lang = viewer.lang;
    let (targets, tasks) = rows;
    let mut indicators: Vec<(String, String)> = hnd_domain::plan::all_indicators()
        .into_iter()
        .map(|i| (i.code.to_string(), hnd_app::indicator_name(i.code, lang)))
        .collect();
    indicators.sort_by(|a, b| a.1.cmp(&b.1));
    let comparators = [">=", "<=", "=", "range"]
        .into_iter()
        .map(|c| (c, viewer.t(&format!("web.read_comparator.{}", comparator_key(c)))))
        .collect();
    ReviewPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, "/plans")),
        summary,
        pieces: pieces(&source, &targets, &tasks),
        source,
        plan,
        kinds: crate::plan_life_pages::kinds(viewer),
        targets,
        tasks,
        indicators,
        comparators,
        may_add: viewer.user.may_add_indicators(),
        error: None,
    }
}

fn comparator_key(c: &str) -> &'static str {
    match c {
        ">=" => "at_least",
        "<=" => "at_most",
        "=" => "equal",
        _ => "range",
    }
}

/// `POST /plans/read`: the document read for the unit chosen, and its review.
pub async fn read(State(state): State<AppState>, viewer: Viewer, mut form: Multipart) -> Response {
    let (mut csrf, mut unit, mut bytes) = (String::new(), String::new(), Vec::new());
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return crate::shell::problem(Some(&viewer), viewer.lang, StatusCode::BAD_REQUEST, e.body_text()),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("unit") => unit = field.text().await.unwrap_or_default(),
            Some("document" | "file") => match field.bytes().await {
                Ok(b) => bytes = b.to_vec(),
                Err(e) => {
                    let status = StatusCode::PAYLOAD_TOO_LARGE;
                    return crate::shell::problem(Some(&viewer), viewer.lang, status, e.body_text());
                }
            },
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    if unit.trim().is_empty() {
        return crate::shell::app_problem(&viewer, AppError::bad_value("unit", ""));
    }
    let actor = viewer.actor();
    let draft = match hnd_app::read_plan_document(&state.app, &actor, Some(unit.trim()), &bytes).await {
        Ok(d) => d,
        Err(e) => return crate::shell::app_problem(&viewer, e),
    };
    let lang = viewer.lang;
    let review = first_review(unit.trim(), &draft);
    let targets = draft
        .targets
        .iter()
        .zip(&review.targets)
        .enumerate()
        .map(|(i, (t, r))| TargetRow {
            id: format!("t{i}"),
            text: t.text.clone(),
            read: r.read_indicator.clone(),
            indicator: r.indicator.clone(),
            comparator: r.comparator.clone(),
            value: figure(t.value, lang),
            value_max: t.value_max.map(|v| figure(v, lang)).unwrap_or_default(),
            unit: t.unit.clone(),
            period: t.period.clone(),
            scope: t.scope.clone(),
            proposed: t.proposed.clone().unwrap_or_default(),
            keep: !r.skip,
            not_target: r.not_target,
        })
        .collect();
    let tasks = review
        .tasks
        .iter()
        .enumerate()
        .map(|(i, r)| TaskRow {
            id: format!("k{i}"),
            title: r.task.title.clone(),
            directing: r.task.directing.joined(),
            lead: r.task.lead.joined(),
            coordinating: r.task.coordinating.joined(),
            deadline: r.task.deadline.clone(),
            keep: !r.skip,
        })
        .collect();
    let dash = |s: &str| if s.is_empty() { "—".to_string() } else { s.to_string() };
    let summary = hnd_domain::i18n::t(
        lang,
        "web.read_summary",
        &[
            ("number", &dash(&draft.number)),
            ("date", &dash(&draft.date)),
            ("issuer", &dash(&draft.issuer)),
            ("targets", &draft.targets.len()),
            ("tasks", &draft.tasks.len()),
        ],
    );
    render(
        page(&viewer, summary, draft.source.clone(), review.plan, (targets, tasks)),
        StatusCode::OK,
        lang,
    )
}

/// `POST /plans/read/create`: the reviewed draft written, then its page.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut items: BTreeMap<(char, usize), BTreeMap<String, String>> = BTreeMap::new();
    for (key, value) in pairs {
        let item = key.split_once('.').and_then(|(id, field)| {
            let kind = id.chars().next().filter(|c| *c == 't' || *c == 'k')?;
            Some(((kind, id[1..].parse::<usize>().ok()?), field.to_string()))
        });
        match item {
            Some((id, field)) => {
                items.entry(id).or_default().insert(field, value);
            }
            None => {
                fields.insert(key, value);
            }
        }
    }
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    if let Err(r) = viewer.check_csrf(&field("csrf")) {
        return r;
    }
    let plan = PlanText {
        unit: field("unit"),
        kind: field("kind"),
        title: field("title"),
        number: field("number"),
        date: field("date"),
        years: field("years"),
        implements: field("implements"),
        implements_document: field("implements_document"),
        implements_date: field("implements_date"),
        implement_by: field("implement_by"),
    };
    let (mut targets, mut tasks) = (Vec::new(), Vec::new());
    for ((kind, i), f) in &items {
        let get = |name: &str| f.get(name).cloned().unwrap_or_default();
        if *kind == 't' {
            targets.push(TargetRow {
                id: format!("t{i}"),
                text: get("text"),
                read: get("read"),
                indicator: get("indicator"),
                comparator: get("comparator"),
                value: get("value"),
                value_max: get("value_max"),
                unit: get("unit"),
                period: get("period"),
                scope: get("scope"),
                proposed: get("proposed"),
                keep: f.contains_key("keep"),
                not_target: f.contains_key("not_target"),
            });
        } else {
            tasks.push(TaskRow {
                id: format!("k{i}"),
                title: get("title"),
                directing: get("directing"),
                lead: get("lead"),
                coordinating: get("coordinating"),
                deadline: get("deadline"),
                keep: f.contains_key("keep"),
            });
        }
    }
    let reviewed = reviewed(plan.clone(), &targets, &tasks);
    let outcome = match reviewed {
        Ok(r) => state.app.create_plan_from_reading(&viewer.actor(), &r).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(number) => Redirect::to(&format!("/plans/{}", crate::plan_pages::segment(&number))).into_response(),
        Err(e) => match told(&viewer, e) {
            Ok(message) => {
                let mut p = page(&viewer, field("summary"), field("source"), plan, (targets, tasks));
                p.error = Some(message);
                render(p, StatusCode::UNPROCESSABLE_ENTITY, viewer.lang)
            }
            Err(r) => r,
        },
    }
}

/// The review the rows say, or the first figure that is not one.
fn reviewed(plan: PlanText, targets: &[TargetRow], tasks: &[TaskRow]) -> Result<ReviewedPlan, AppError> {
    let mut out = ReviewedPlan {
        plan,
        ..ReviewedPlan::default()
    };
    for t in targets {
        let keep = t.keep && !t.not_target;
        let value = match hnd_import::figure(&t.value) {
            Some(v) => v,
            None if !keep => 0.0,
            None => {
                let error = PlanError::NotANumber {
                    indicator: t.text.clone(),
                    value: t.value.clone(),
                };
                return Err(AppError::field("targets", error));
            }
        };
        out.targets.push(ReviewedTarget {
            text: t.text.clone(),
            read_indicator: t.read.clone(),
            indicator: t.indicator.clone(),
            comparator: t.comparator.clone(),
            value,
            skip: !keep,
            not_target: t.not_target,
        });
    }
    out.tasks = tasks
        .iter()
        .map(|t| ReviewedTask {
            task: TaskText {
                title: t.title.clone(),
                directing: hnd_app::Names::One(t.directing.clone()),
                lead: hnd_app::Names::One(t.lead.clone()),
                coordinating: hnd_app::Names::One(t.coordinating.clone()),
                deadline: t.deadline.clone(),
                unit: String::new(),
            },
            skip: !t.keep,
        })
        .collect();
    Ok(out)
}
