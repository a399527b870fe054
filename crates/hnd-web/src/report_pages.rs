//! The reports page (`/reports?unit=&form=&period=`): a unit's report on
//! a form for a period: its status, deadline and number; the draft's
//! narrative parts and typed figures while the unit may write it; the
//! steps of the level above (return with a comment, approve, unlock); the
//! units below with their status, lateness and narrative at hand; the
//! document as DOCX or PDF. Every form calls its operation
//! ([`hnd_app::App::save_report`], [`hnd_app::App::report_step`],
//! [`hnd_app::App::aggregate_report`]).

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, app_problem, render, told, urlencode};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::fmt::int;
use hnd_domain::report::{TYPED, period_of};
use hnd_domain::{Action, Day, Lang, ReportForm, ReportStatus, ReportStep, i18n};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    done: String,
    #[serde(default)]
    format: String,
}

struct BelowView {
    code: String,
    name: String,
    status: String,
    submitted_on: String,
    late: bool,
    parts: Vec<(String, String)>,
}

/// A target of a review's plan: indicator, target, result, assessment, met.
type TargetRow = (String, String, String, String, Option<bool>);

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    t: Tr,
    nav: Option<Nav>,
    /// A review's computed sections: each plan (title, link) with its
    /// targets (indicator, target, result, assessment, met), and the
    /// unit's tasks (title, link, deadline, status, late).
    plans: Vec<(String, String, Vec<TargetRow>)>,
    tasks: Vec<(String, String, String, String, bool)>,
    csrf: String,
    unit: String,
    unit_name: String,
    form: String,
    period: String,
    period_label: String,
    forms: Vec<(&'static str, String)>,
    status: String,
    number: String,
    deadline: String,
    late: bool,
    comment: String,
    /// (code, label, text) of each narrative part.
    parts: Vec<(&'static str, String, String)>,
    /// (code, label, typed value, sum of the approved reports below).
    typed: Vec<(&'static str, String, String, String)>,
    may_write: bool,
    may_decide: bool,
    may_unlock: bool,
    below: Vec<BelowView>,
    steps: Vec<(String, String, String, String)>,
    /// How the units below stand: submitted, approved, not yet, late.
    tally: String,
    notice: Option<String>,
    error: Option<String>,
    query: String,
}

fn default_period() -> String {
    format!("{}-H1", Day::today().year())
}

fn step_label(lang: Lang, step: &str) -> String {
    i18n::t(lang, &format!("report.step.{step}"), &[])
}

pub async fn page(State(state): State<AppState>, viewer: Viewer, Query(p): Query<ReportParams>) -> Response {
    let notice = match p.done.as_str() {
        "" => None,
        "save" => Some(viewer.t("report.saved")),
        step => Some(viewer.t(&format!("report.done.{step}"))),
    };
    show(&state, &viewer, &p, notice, None, StatusCode::OK).await
}

async fn show(
    state: &AppState,
    viewer: &Viewer,
    p: &ReportParams,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let unit = match p.unit.trim() {
        "" => match viewer.user.home(Action::ViewMembers) {
            Some(g) => g.unit_code.clone(),
            None => return crate::shell::forbidden(viewer),
        },
        code => code.to_string(),
    };
    let form = if p.form.trim().is_empty() {
        "six_month"
    } else {
        p.form.trim()
    };
    let period = if p.period.trim().is_empty() {
        default_period()
    } else {
        p.period.trim().to_string()
    };
    let view = match state.app.report_view(&viewer.actor(), &unit, form, &period).await {
        Ok(v) => v,
        Err(e) => return app_problem(viewer, e),
    };
    let report = view.report.as_ref();
    let status_code = report.map(|r| r.status.clone()).unwrap_or_default();
    let form_kind = ReportForm::parse(view.form).unwrap_or(ReportForm::SixMonth);
    let parts = form_kind
        .parts()
        .iter()
        .map(|k| {
            let text = report.and_then(|r| r.parts.get(*k)).cloned().unwrap_or_default();
            (*k, viewer.t(&format!("report.part.{k}")), text)
        })
        .collect();
    let typed = TYPED
        .iter()
        .map(|k| {
            let value = report
                .and_then(|r| r.typed.get(*k))
                .map(|v| int(*v, lang))
                .unwrap_or_default();
            let sum = view.aggregated.get(*k).map(|v| int(*v, lang)).unwrap_or_default();
            (*k, viewer.t(&format!("report.typed.{k}")), value, sum)
        })
        .collect();
    let status_label = |s: Option<&str>| match s.and_then(ReportStatus::parse) {
        Some(s) => s.label(lang),
        None => viewer.t("report.status.missing"),
    };
    let below = view
        .below
        .iter()
        .map(|b| BelowView {
            code: b.code.clone(),
            name: b.name.clone(),
            status: status_label(b.status.as_deref()),
            submitted_on: b
                .submitted_on
                .as_deref()
                .and_then(|d| Day::parse(d).ok())
                .map(|d| d.to_string())
                .unwrap_or_default(),
            late: b.late,
            parts: b
                .parts
                .iter()
                .map(|(k, v)| (viewer.t(&format!("report.part.{k}")), v.clone()))
                .collect(),
        })
        .collect();
    let count = |f: &dyn Fn(&hnd_app::BelowReport) -> bool| view.below.iter().filter(|b| f(b)).count() as i64;
    let tally = i18n::t(
        lang,
        "web.report_tally",
        &[
            (
                "submitted",
                &int(count(&|b| b.status.as_deref() == Some("submitted")), lang),
            ),
            (
                "approved",
                &int(count(&|b| b.status.as_deref() == Some("approved")), lang),
            ),
            (
                "missing",
                &int(
                    count(&|b| b.status.is_none() || b.status.as_deref() == Some("draft")),
                    lang,
                ),
            ),
            ("late", &int(count(&|b| b.late), lang)),
        ],
    );
    let query = format!(
        "unit={}&form={}&period={}",
        urlencode(&view.unit.code),
        view.form,
        urlencode(&view.period)
    );
    let plans = view
        .plans
        .iter()
        .map(|p| {
            let rows = p
                .printed(lang)
                .into_iter()
                .map(|([name, target, actual, label], met)| (name, target, actual, label, met))
                .collect();
            (
                p.heading(),
                format!("/plans/{}", crate::plan_pages::segment(&p.number)),
                rows,
            )
        })
        .collect();
    let tasks = view
        .tasks
        .iter()
        .map(|task| {
            (
                task.title.clone(),
                format!("/tasks/{}", task.id),
                task.deadline.clone(),
                i18n::t(lang, &format!("task.status.{}", task.status), &[]),
                task.overdue,
            )
        })
        .collect();
    let page = ReportsPage {
        t: Tr(lang),
        plans,
        tasks,
        nav: Some(Nav::of(viewer, &format!("/reports?{query}"))),
        csrf: viewer.csrf.clone(),
        unit_name: view.unit.name.clone(),
        unit: view.unit.code.clone(),
        form: view.form.to_string(),
        period_label: period_of(&view.period).map(|p| p.to_string()).unwrap_or_default(),
        period: view.period.clone(),
        forms: ReportForm::ALL.iter().map(|f| (f.code(), f.label(lang))).collect(),
        status: status_label(report.map(|r| r.status.as_str())),
        number: report.and_then(|r| r.number.clone()).unwrap_or_default(),
        deadline: view.deadline.clone(),
        late: view.late,
        comment: report.map(|r| r.comment.clone()).unwrap_or_default(),
        parts,
        typed,
        may_write: view.may_write,
        may_decide: view.may_decide && status_code == "submitted",
        may_unlock: view.may_decide && status_code == "approved",
        below,
        steps: view
            .steps
            .iter()
            .map(|s| {
                let at = hnd_domain::fmt::moment(&s.taken_at);
                (step_label(lang, &s.step), s.taken_by.clone(), at, s.comment.clone())
            })
            .collect(),
        tally,
        notice,
        error,
        query,
    };
    render(page, status, lang)
}

/// The page again with the operation's refusal told above its forms (a
/// failure, or a refusal of access, as a page of its own).
async fn refused(state: &AppState, viewer: &Viewer, p: &ReportParams, e: hnd_app::AppError) -> Response {
    match told(viewer, e) {
        Ok(message) => show(state, viewer, p, None, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(r) => r,
    }
}

/// The posted form's fields.
fn fields(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn back_to(f: &HashMap<String, String>) -> ReportParams {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    ReportParams {
        unit: get("unit"),
        form: get("form"),
        period: get("period"),
        ..ReportParams::default()
    }
}

fn redirect(p: &ReportParams, done: &str) -> Response {
    let to = format!(
        "/reports?unit={}&form={}&period={}&done={done}",
        urlencode(&p.unit),
        urlencode(&p.form),
        urlencode(&p.period)
    );
    Redirect::to(&to).into_response()
}

/// Saves the draft; with `go=submit`, submits it too.
pub async fn save(State(state): State<AppState>, viewer: Viewer, body: Bytes) -> Response {
    let f = fields(&body);
    if let Err(r) = viewer.check_csrf(f.get("csrf").map(String::as_str).unwrap_or_default()) {
        return r;
    }
    let p = back_to(&f);
    let parts: BTreeMap<String, String> = f
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("part_")?.to_string(), v.clone())))
        .collect();
    let typed: BTreeMap<String, String> = f
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("typed_")?.to_string(), v.clone())))
        .collect();
    let actor = viewer.actor();
    let at = (p.form.as_str(), p.period.as_str());
    let mut result = state
        .app
        .save_report(&actor, &p.unit, at, &parts, &typed)
        .await
        .map(|_| "save");
    if result.is_ok() && f.get("go").map(String::as_str) == Some("submit") {
        result = state
            .app
            .report_step(&actor, &p.unit, at, ReportStep::Submit, "")
            .await
            .map(|_| "submit");
    }
    match result {
        Ok(done) => redirect(&p, done),
        Err(e) => refused(&state, &viewer, &p, e).await,
    }
}

/// A step of the workflow: `step` is submit, return, approve or unlock.
pub async fn step(State(state): State<AppState>, viewer: Viewer, body: Bytes) -> Response {
    let f = fields(&body);
    if let Err(r) = viewer.check_csrf(f.get("csrf").map(String::as_str).unwrap_or_default()) {
        return r;
    }
    let p = back_to(&f);
    let comment = f.get("comment").cloned().unwrap_or_default();
    let Some(step) = f.get("step").and_then(|s| ReportStep::parse(s)) else {
        return show(
            &state,
            &viewer,
            &p,
            None,
            Some(viewer.t("web.bad_request")),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let at = (p.form.as_str(), p.period.as_str());
    match state
        .app
        .report_step(&viewer.actor(), &p.unit, at, step, &comment)
        .await
    {
        Ok(_) => redirect(&p, step.code()),
        Err(e) => refused(&state, &viewer, &p, e).await,
    }
}

/// Fills the draft's typed figures with the sums of the approved reports below.
pub async fn aggregate(State(state): State<AppState>, viewer: Viewer, body: Bytes) -> Response {
    let f = fields(&body);
    if let Err(r) = viewer.check_csrf(f.get("csrf").map(String::as_str).unwrap_or_default()) {
        return r;
    }
    let p = back_to(&f);
    match state
        .app
        .aggregate_report(&viewer.actor(), &p.unit, &p.form, &p.period)
        .await
    {
        Ok(_) => redirect(&p, "save"),
        Err(e) => refused(&state, &viewer, &p, e).await,
    }
}

/// `/reports/document?unit=&form=&period=&format=docx|pdf`: the report as
/// an official document (the download is audited by the operation).
pub async fn document(State(state): State<AppState>, viewer: Viewer, Query(p): Query<ReportParams>) -> Response {
    let format = if p.format == "docx" { "docx" } else { "pdf" };
    match state
        .app
        .report_document(&viewer.actor(), &p.unit, &p.form, &p.period, format)
        .await
    {
        Ok(bytes) => {
            let content_type = if format == "docx" {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            } else {
                "application/pdf"
            };
            let name = format!("bao-cao-{}-{}-{}.{format}", p.unit, p.form, p.period);
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        Err(e) => app_problem(&viewer, e),
    }
}
