//! Plans in the browser: the plans of the user's part of the tree, and a
//! plan's progress for a unit and period, each target against the
//! register, with a status colour and a drill-down to the units below.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, forbidden, problem, render, store_problem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hnd_domain::plan::{Period, indicator};
use hnd_domain::{Action, Day, Lang, fmt::int};
use hnd_store::Plan;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    t: Tr,
    nav: Option<Nav>,
    /// Each plan with its number as a path segment.
    plans: Vec<(Plan, String)>,
}

/// A plan number as one path segment ("12-KH/HND" → "12-KH%2FHND").
fn segment(number: &str) -> String {
    crate::shell::urlencode(number).replace('/', "%2F")
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    // An account with no place in the tree (an outside body's) has no plans to list.
    let home_path = viewer.user.home(Action::ViewMembers).map(|g| g.path.clone());
    // Plans issued in the user's subtree, and those issued above it that
    // hand targets down into it.
    let mut plans = match state.store.plans("TW").await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let mut visible = Vec::new();
    for p in plans.drain(..) {
        let path = match state.store.unit_path(&p.unit).await {
            Ok((_, path)) => path,
            Err(_) => continue,
        };
        if viewer.user.may(Action::ViewMembers, &path) || home_path.as_ref().is_some_and(|h| h.starts_with(&path)) {
            let href = segment(&p.number);
            visible.push((p, href));
        }
    }
    let page = PlansPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, "/plans")),
        plans: visible,
    };
    render(page, StatusCode::OK, viewer.lang)
}

/// The period a page asks for (this year when empty), or the refusal.
fn period_of(viewer: &Viewer, text: &str) -> Result<Period, Response> {
    match text.trim() {
        "" => Ok(Period::Year {
            year: Day::today().year(),
        }),
        text => Period::parse(text).map_err(|_| {
            let message = hnd_domain::PlanError::BadDeadline { text: text.into() }.message(viewer.lang);
            problem(Some(viewer), viewer.lang, StatusCode::BAD_REQUEST, message)
        }),
    }
}

#[derive(Deserialize, Default)]
pub struct ProgressParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    period: String,
}

struct Row {
    name: String,
    comparator: String,
    target: String,
    actual: String,
    /// "met", "behind" or "unknown": the status colour.
    status: &'static str,
    status_label: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    t: Tr,
    nav: Option<Nav>,
    number: String,
    href: String,
    unit: String,
    unit_name: String,
    period: String,
    rows: Vec<Row>,
    children: Vec<(String, String, String, String)>,
    tasks: Vec<hnd_store::Task>,
}

fn number(value: f64, lang: Lang) -> String {
    if value.fract() == 0.0 {
        int(value as i64, lang)
    } else {
        hnd_domain::fmt::percent(value, lang)
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    Query(p): Query<ProgressParams>,
) -> Response {
    let store = &state.store;
    let lang = viewer.lang;
    let period = match period_of(&viewer, &p.period) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let found = match store.plan(&plan).await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let unit = if p.unit.trim().is_empty() {
        found.unit.clone()
    } else {
        p.unit.trim().to_string()
    };
    let details = match store.unit(&unit, Day::today()).await {
        Ok(d) => d.unit,
        Err(e) => return store_problem(&viewer, e),
    };
    if !viewer.user.may(Action::ViewMembers, &details.path) {
        return forbidden(&viewer);
    }
    let progress = match store.progress(&plan, &unit, period).await {
        Ok(r) => r,
        Err(e) => return store_problem(&viewer, e),
    };
    let rows = progress
        .iter()
        .map(|r| {
            let (status, key) = match r.met {
                Some(true) => ("met", "cli.met"),
                Some(false) => ("behind", "cli.not_met"),
                None => ("unknown", "web.not_counted"),
            };
            Row {
                name: indicator(&r.indicator)
                    .map(|i| if lang == Lang::En { i.name_en } else { i.name_vi })
                    .unwrap_or(&r.indicator)
                    .to_string(),
                comparator: r.comparator.replace(">=", "≥").replace("<=", "≤"),
                target: number(r.target, lang),
                actual: r.actual.map(|a| number(a, lang)).unwrap_or_else(|| "—".into()),
                status,
                status_label: viewer.t(key),
            }
        })
        .collect();
    // The units below, on the counted indicator (new members), for the drill-down.
    let mut children = Vec::new();
    if let Ok(units) = store.children(details.id, Day::today()).await {
        // Only that indicator's target and figure: not every row of each unit.
        for c in units.into_iter().take(200) {
            let Ok(targets) = store.targets(&plan, &c.code).await else {
                continue;
            };
            let Some(target) = targets.iter().find(|t| t.indicator == "new_members") else {
                continue;
            };
            let actual = store.figure(&c.code, "new_members", period).await.ok().flatten();
            let actual = actual.map(|a| number(a, lang)).unwrap_or_default();
            children.push((c.code, c.name, number(target.value, lang), actual));
        }
    }
    let tasks = store.tasks(&plan, Day::today()).await.unwrap_or_default();
    let page = PlanPage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, &format!("/plans/{}", segment(&plan)))),
        href: segment(&plan),
        number: plan,
        unit_name: details.name,
        unit,
        period: period.to_string(),
        rows,
        children,
        tasks,
    };
    render(page, StatusCode::OK, lang)
}

#[derive(Deserialize, Default)]
pub struct FiguresParams {
    #[serde(default)]
    period: String,
    /// "xlsx" for the table as a spreadsheet.
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage {
    t: Tr,
    nav: Option<Nav>,
    period: String,
    headers: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
}

/// Every catalogue indicator for every province the user may see, over a
/// period, from the maintained counts; as a page or an XLSX file.
pub async fn figures(State(state): State<AppState>, viewer: Viewer, Query(p): Query<FiguresParams>) -> Response {
    let lang = viewer.lang;
    let period = match period_of(&viewer, &p.period) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cells = match state.store.national_figures(period).await {
        Ok(c) => c,
        Err(e) => return store_problem(&viewer, e),
    };
    let catalogue = hnd_domain::plan::CATALOGUE;
    let name = |i: &hnd_domain::plan::Indicator| if lang == Lang::En { i.name_en } else { i.name_vi };
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for chunk in cells.chunks(catalogue.len()) {
        let province = &chunk[0].0;
        let Ok(unit) = state.store.unit(province, Day::today()).await.map(|u| u.unit) else {
            continue;
        };
        if !viewer.user.may(Action::ViewMembers, &unit.path) {
            continue;
        }
        rows.push((
            unit.name,
            chunk
                .iter()
                .map(|c| c.2.map(|v| number(v, lang)).unwrap_or_default())
                .collect(),
        ));
    }
    if rows.is_empty() {
        return forbidden(&viewer);
    }
    let headers: Vec<String> = catalogue.iter().map(|i| name(i).to_string()).collect();
    if p.format == "xlsx" {
        return figures_xlsx(&state, &viewer, &headers, &rows, period).await;
    }
    let page = FiguresPage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, "/figures")),
        period: period.to_string(),
        headers,
        rows,
    };
    render(page, StatusCode::OK, lang)
}

async fn figures_xlsx(
    state: &AppState,
    viewer: &Viewer,
    headers: &[String],
    rows: &[(String, Vec<String>)],
    period: Period,
) -> Response {
    let file = std::env::temp_dir().join(format!("hnd-figures-{}-{}.xlsx", std::process::id(), viewer.user.id));
    let mut columns: Vec<&str> = vec!["Tỉnh, thành phố"];
    columns.extend(headers.iter().map(String::as_str));
    let written = (|| -> Result<(), hnd_import::ExportError> {
        let mut out = hnd_import::SheetWriter::create(&file, &columns)?;
        for (name, values) in rows {
            let mut row = vec![name.as_str()];
            row.extend(values.iter().map(String::as_str));
            out.write_row(&row)?;
        }
        out.finish()
    })();
    let bytes = match written.map(|_| std::fs::read(&file)) {
        Ok(Ok(bytes)) => bytes,
        _ => {
            let _ = std::fs::remove_file(&file);
            return problem(
                Some(viewer),
                viewer.lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                viewer.t("web.internal"),
            );
        }
    };
    let _ = std::fs::remove_file(&file);
    crate::members::audit(
        &state.store,
        viewer,
        "export",
        None,
        None,
        serde_json::json!({"table": "figures", "period": period.code()}),
    )
    .await;
    let mut response = axum::response::IntoResponse::into_response(bytes);
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    if let Ok(v) =
        axum::http::HeaderValue::from_str(&format!("attachment; filename=\"so-lieu-{}.xlsx\"", period.code()))
    {
        headers.insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    response
}
