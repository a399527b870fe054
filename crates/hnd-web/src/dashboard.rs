//! The member dashboard: members of each unit below one unit on a day,
//! from the maintained counts, as a table and a bar chart drawn on the
//! server (SVG), with a drill-down from the country to a branch.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, forbidden, render, store_problem};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hnd_domain::{Action, Day, fmt::int};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct DashboardParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    as_of: String,
}

struct Bar {
    code: String,
    name: String,
    count: String,
    /// Width of the bar in the chart, 0–100.
    width: f64,
    drill: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    t: Tr,
    nav: Option<Nav>,
    code: String,
    name: String,
    day: String,
    total: String,
    bars: Vec<Bar>,
}

pub async fn dashboard(State(state): State<AppState>, viewer: Viewer, Query(p): Query<DashboardParams>) -> Response {
    let store = &state.store;
    let day = match Day::parse_or_today(&p.as_of) {
        Ok(d) => d,
        Err(e) => {
            return crate::shell::problem(
                Some(&viewer),
                viewer.lang,
                StatusCode::BAD_REQUEST,
                e.message(viewer.lang),
            );
        }
    };
    let code = match p.unit.trim() {
        "" => match viewer.user.home(Action::ViewMembers) {
            Some(g) => g.unit_code.clone(),
            None => return forbidden(&viewer),
        },
        code => code.to_string(),
    };
    let unit = match store.unit(&code, day).await {
        Ok(u) => u.unit,
        Err(e) => return store_problem(&viewer, e),
    };
    match crate::pages::may_on(store, &viewer.user, Action::ViewMembers, unit.id).await {
        Ok(true) => {}
        Ok(false) => return forbidden(&viewer),
        Err(e) => return store_problem(&viewer, e),
    }
    let children = match store.children(unit.id, day).await {
        Ok(c) => c,
        Err(e) => return store_problem(&viewer, e),
    };
    // Every child's figure in two grouped queries over the maintained counts.
    let counts: Vec<i64> = match store.child_members(&unit, day).await {
        Ok(by_code) => children
            .iter()
            .map(|c| by_code.get(&c.code).copied().unwrap_or(0))
            .collect(),
        Err(e) => return store_problem(&viewer, e),
    };
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let total: i64 = counts.iter().sum();
    let lang = viewer.lang;
    let bars: Vec<Bar> = children
        .into_iter()
        .zip(counts)
        .map(|(c, n)| Bar {
            drill: !matches!(c.level, hnd_domain::Level::Group),
            code: c.code,
            name: c.name,
            count: int(n, lang),
            width: (n as f64 / max * 100.0 * 10.0).round() / 10.0,
        })
        .collect();
    let page = DashboardPage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, &format!("/dashboard?unit={code}"))),
        bars,
        total: int(total, lang),
        day: day.to_string(),
        name: unit.name,
        code,
    };
    render(page, StatusCode::OK, lang)
}
