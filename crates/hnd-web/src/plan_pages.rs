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
    let Some(home) = viewer.user.home(Action::ViewMembers) else {
        return forbidden(&viewer);
    };
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
        if viewer.user.may(Action::ViewMembers, &path) || home.path.starts_with(&path) {
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
    let period = match p.period.trim() {
        "" => Period::Year {
            year: Day::today().year(),
        },
        text => match Period::parse(text) {
            Ok(x) => x,
            Err(_) => {
                let message = hnd_domain::PlanError::BadDeadline { text: text.into() }.message(lang);
                return problem(Some(&viewer), lang, StatusCode::BAD_REQUEST, message);
            }
        },
    };
    let plans = match store.plans("TW").await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let Some(found) = plans.into_iter().find(|x| x.number == plan) else {
        let message = hnd_domain::PlanError::UnknownPlan { number: plan }.message(lang);
        return problem(Some(&viewer), lang, StatusCode::NOT_FOUND, message);
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
        for c in units.into_iter().take(200) {
            if let Ok(rows) = store.progress(&plan, &c.code, period).await
                && let Some(r) = rows.iter().find(|r| r.indicator == "new_members")
            {
                let actual = r.actual.map(|a| number(a, lang)).unwrap_or_default();
                children.push((c.code, c.name, number(r.target, lang), actual));
            }
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
