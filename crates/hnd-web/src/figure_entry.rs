//! The entry grid in the browser (as DHIS2's data-entry screen): one form
//! per unit and period with every indicator the register cannot know, the
//! period before's figure beside each, who entered each figure and when;
//! saved at once through [`hnd_app::App::enter_values`], with each refused
//! figure, or each far from the period before (to confirm), told on its
//! row. A locked period is shown, not offered.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, app_problem, render, status_of_kind};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::{AppError, FigureProblem, entry_grid};
use hnd_domain::plan::Period;
use hnd_domain::{Action, Day, PlanError};
use serde::Deserialize;
use std::collections::HashMap;

struct Row {
    code: String,
    name: String,
    measure: String,
    last: String,
    /// What the field holds: the figure entered, or what was typed.
    value: String,
    entered: String,
    problem: Option<String>,
    warning: bool,
}

#[derive(Template)]
#[template(path = "figure_entry.html")]
struct EntryPage {
    t: Tr,
    nav: Option<Nav>,
    unit: String,
    unit_name: String,
    period: String,
    period_name: String,
    previous: String,
    locked: bool,
    may_enter: bool,
    rows: Vec<Row>,
    error: Option<String>,
    /// Some figures wait for the user's confirmation.
    to_confirm: bool,
    saved: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct EntryParams {
    #[serde(default)]
    period: String,
    #[serde(default)]
    saved: Option<usize>,
}

/// The period asked for: this year when none.
fn period_of(text: &str) -> Result<Period, PlanError> {
    match text.trim() {
        "" => Ok(Period::Year {
            year: Day::today().year(),
        }),
        t => Period::parse(t).map_err(|_| PlanError::BadPeriod { text: t.into() }),
    }
}

/// The grid's page: the figures as entered, or as typed with the problems.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
    period: Period,
    typed: Option<(&HashMap<String, String>, &[FigureProblem])>,
) -> Result<EntryPage, Response> {
    let lang = viewer.lang;
    let grid = entry_grid(&state.app, &viewer.user, unit, period, lang)
        .await
        .map_err(|e| app_problem(viewer, e))?;
    let (_, path) = state
        .store
        .unit_path(unit)
        .await
        .map_err(|e| app_problem(viewer, e.into()))?;
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    let rows = grid
        .rows
        .into_iter()
        .map(|r| {
            let problem = typed.and_then(|(_, problems)| problems.iter().find(|p| p.indicator == r.indicator));
            let value = match typed.and_then(|(values, _)| values.get(&r.indicator)) {
                Some(text) => text.clone(),
                None => r.value.map(|v| hnd_domain::fmt::figure(v, lang)).unwrap_or_default(),
            };
            let at = r
                .entered_at
                .as_deref()
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
                .map(|at| at.with_timezone(&vn).format("%d/%m/%Y %H:%M").to_string());
            Row {
                measure: viewer.t(&format!("measure.{}", r.measure)),
                last: r
                    .last
                    .map(|v| hnd_domain::fmt::figure(v, lang))
                    .unwrap_or_else(|| "—".into()),
                entered: match (r.entered_by, at) {
                    (Some(by), Some(at)) => format!("{by} · {at}"),
                    _ => String::new(),
                },
                problem: problem.map(|p| p.error.message(lang)),
                warning: problem.is_some_and(|p| p.warning),
                code: r.indicator,
                name: r.name,
                value,
            }
        })
        .collect::<Vec<_>>();
    let to_confirm = rows.iter().any(|r| r.warning);
    Ok(EntryPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, &format!("/units/{}/values", grid.unit))),
        may_enter: viewer.user.may(Action::EditPlans, &path) && !grid.locked,
        unit: grid.unit,
        unit_name: grid.unit_name,
        period: grid.period,
        period_name: grid.period_name,
        previous: grid.previous,
        locked: grid.locked,
        rows,
        error: None,
        to_confirm,
        saved: None,
    })
}

/// `GET /units/{code}/values?period=`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(q): Query<EntryParams>,
) -> Response {
    let period = match period_of(&q.period) {
        Ok(p) => p,
        Err(e) => return app_problem(&viewer, e.into()),
    };
    match page(&state, &viewer, &code, period, None).await {
        Ok(mut p) => {
            p.saved = q
                .saved
                .map(|n| hnd_domain::i18n::t(viewer.lang, "web.figures_saved", &[("count", &n.to_string())]));
            render(p, StatusCode::OK, viewer.lang)
        }
        Err(r) => r,
    }
}

/// `POST /units/{code}/values`: the period's figures (`v.INDICATOR`; an
/// empty field is left as it is), all or none; `confirm` saves figures
/// far from the period before.
pub async fn enter(State(state): State<AppState>, viewer: Viewer, Path(code): Path<String>, body: Bytes) -> Response {
    let (mut csrf, mut period, mut confirm, mut typed) = (String::new(), String::new(), false, HashMap::new());
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "csrf" => csrf = value.into_owned(),
            "period" => period = value.into_owned(),
            "confirm" => confirm = value == "on",
            k => {
                if let Some(indicator) = k.strip_prefix("v.") {
                    typed.insert(indicator.to_string(), value.trim().to_string());
                }
            }
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let period = match period_of(&period) {
        Ok(p) => p,
        Err(e) => return app_problem(&viewer, e.into()),
    };
    // What each field says; a figure that is not a number is refused on its row.
    let (mut values, mut unread) = (Vec::new(), Vec::new());
    for (indicator, text) in typed.iter().filter(|(_, t)| !t.is_empty()) {
        match hnd_import::figure(text) {
            Some(v) => values.push((indicator.clone(), v)),
            None => unread.push(FigureProblem {
                indicator: indicator.clone(),
                warning: false,
                error: PlanError::NotANumber {
                    indicator: hnd_app::indicator_name(indicator, viewer.lang),
                    value: text.clone(),
                },
            }),
        }
    }
    values.sort_by(|a, b| a.0.cmp(&b.0));
    let done = if unread.is_empty() {
        state
            .app
            .enter_values(&viewer.actor(), &code, period, &values, confirm)
            .await
    } else {
        Err(AppError::Figures(unread))
    };
    let (status, problems, error) = match done {
        Ok(n) => {
            let to = format!("/units/{}/values?period={}&saved={n}", code.trim(), period.code());
            return Redirect::to(&to).into_response();
        }
        Err(AppError::Figures(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, problems, None),
        Err(e) if matches!(e.kind(), hnd_app::ErrorKind::Invalid | hnd_app::ErrorKind::Conflict) => {
            (status_of_kind(e.kind()), Vec::new(), Some(e.message(viewer.lang)))
        }
        Err(e) => return app_problem(&viewer, e),
    };
    match page(&state, &viewer, &code, period, Some((&typed, &problems))).await {
        Ok(mut p) => {
            p.error = error;
            render(p, status, viewer.lang)
        }
        Err(r) => r,
    }
}
