//! A plan's targets as a sheet: the sheet to fill in for a unit and the
//! units below it, the filled-in sheet sent back (through
//! [`hnd_app::App::set_targets`]), and a target handed down to the units
//! below ([`hnd_app::App::split_target`]).

use crate::AppState;
use crate::auth::Viewer;
use crate::plan_pages::{secret_suffix, segment};
use crate::shell::{Nav, Tr, app_problem, forbidden, problem, render, store_problem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_domain::plan::Comparator;
use hnd_domain::{Action, i18n};
use serde::Deserialize;

/// Largest targets sheet accepted from the browser.
pub const MAX_TARGETS_SHEET: usize = 5 * 1024 * 1024;

#[derive(Deserialize, Default)]
pub struct UnitParam {
    #[serde(default)]
    unit: String,
}

/// The plan's targets for a unit and the units directly below it, in the
/// layout provinces use (units as rows, indicators as columns): the sheet
/// to fill in and send back.
pub async fn targets_sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    Query(q): Query<UnitParam>,
) -> Response {
    let store = &state.store;
    let found = match store.plan(&plan).await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let unit = if q.unit.trim().is_empty() {
        found.unit
    } else {
        q.unit.trim().to_string()
    };
    let path = match store.unit_path(&unit).await {
        Ok((_, path)) => path,
        Err(e) => return store_problem(&viewer, e),
    };
    if !viewer.user.may(Action::ViewMembers, &path) {
        return forbidden(&viewer);
    }
    let file = std::env::temp_dir().join(format!("hnd-targets-{}-{}.xlsx", std::process::id(), secret_suffix()));
    let written = hnd_import::export_targets(store, &plan, &unit, &file).await;
    let bytes = std::fs::read(&file);
    let _ = std::fs::remove_file(&file);
    let bytes = match (written, bytes) {
        (Ok(_), Ok(b)) => b,
        (Err(hnd_import::RunError::Store(e)), _) => return store_problem(&viewer, e),
        _ => {
            return problem(
                Some(&viewer),
                viewer.lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                viewer.t("web.internal"),
            );
        }
    };
    let detail = serde_json::json!({"table": "targets", "plan": plan, "unit": unit});
    if let Err(e) = state.app.record_export(&viewer.actor(), &unit, detail).await {
        return crate::shell::app_problem(&viewer, e);
    }
    let name: String = format!("chi-tieu-{}-{unit}", found.number)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect();
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "targets_errors.html")]
struct TargetErrorsPage {
    t: Tr,
    nav: Option<Nav>,
    back: String,
    message: String,
    errors: Vec<(usize, String, String, String)>,
}

/// A filled-in targets sheet sent back: every cell checked, and the
/// targets written all together, or none of them with every bad cell listed.
pub async fn upload_targets(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    mut form: axum::extract::Multipart,
) -> Response {
    let store = &state.store;
    let lang = viewer.lang;
    let found = match store.plan(&plan).await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let plan_path = match store.unit_path(&found.unit).await {
        Ok((_, path)) => path,
        Err(e) => return store_problem(&viewer, e),
    };
    // Someone who may set targets somewhere in the plan's tree.
    if !viewer.user.may_set_targets_under(&plan_path) {
        return forbidden(&viewer);
    }
    let back = format!("/plans/{}", segment(&plan));
    let fail = |status: StatusCode, message: String, errors: Vec<(usize, String, String, String)>| {
        let page = TargetErrorsPage {
            t: Tr(lang),
            nav: Some(Nav::of(&viewer, &back)),
            back: back.clone(),
            message,
            errors,
        };
        render(page, status, lang)
    };
    let (mut csrf, mut comparator, mut saved) = (String::new(), ">=".to_string(), None);
    let file = std::env::temp_dir().join(format!("hnd-targets-in-{}-{}", std::process::id(), secret_suffix()));
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return fail(StatusCode::BAD_REQUEST, e.body_text(), Vec::new()),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("comparator") => comparator = field.text().await.unwrap_or_default(),
            Some("file") => {
                if let Err(r) = viewer.check_csrf(&csrf) {
                    return r;
                }
                match crate::files::save_spreadsheet(field, &file, lang).await {
                    Ok((_, path, _)) => saved = Some(path),
                    Err((status, message)) => return fail(status, message, Vec::new()),
                }
            }
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let Some(path) = saved else {
        return fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            viewer.t("web.choose_file"),
            Vec::new(),
        );
    };
    let Some(comparator) = Comparator::parse(&comparator) else {
        let _ = std::fs::remove_file(&path);
        let message = hnd_domain::PlanError::BadComparator { text: comparator }.message(lang);
        return fail(StatusCode::UNPROCESSABLE_ENTITY, message, Vec::new());
    };
    let actor = viewer.actor();
    let allowed = |path: &str| state.app.may_set_target(&actor, path);
    let read = hnd_import::read_targets(store, &plan, &path, comparator, &allowed, lang).await;
    let _ = std::fs::remove_file(&path);
    let targets = match read {
        Ok(Ok(t)) => t,
        Ok(Err(errors)) => {
            let message = i18n::t(lang, "import.rows_refused", &[("count", &errors.len())]);
            let rows = errors
                .iter()
                .map(|e| {
                    let reason = e.message(lang);
                    (e.row, e.column.clone(), e.value.clone(), reason)
                })
                .collect();
            return fail(StatusCode::UNPROCESSABLE_ENTITY, message, rows);
        }
        Err(hnd_import::RunError::Import(e)) => {
            return fail(StatusCode::UNPROCESSABLE_ENTITY, e.message(lang), Vec::new());
        }
        Err(e) => return fail(StatusCode::UNPROCESSABLE_ENTITY, e.message(lang), Vec::new()),
    };
    match state.app.set_targets(&actor, &plan, &targets).await {
        Ok(n) => axum::response::Redirect::to(&format!("{back}?imported={n}")).into_response(),
        Err(e) if e.kind() == hnd_app::ErrorKind::Invalid => {
            fail(StatusCode::UNPROCESSABLE_ENTITY, e.message(lang), Vec::new())
        }
        Err(e) => app_problem(&viewer, e),
    }
}

#[derive(Deserialize, Default)]
pub struct SplitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    by: String,
}

/// Hands a unit's target down to the units below it (by members,
/// households or equally), then shows the plan with what was handed down.
pub async fn split(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    axum::extract::Form(f): axum::extract::Form<SplitForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let (unit, indicator) = (f.unit.trim(), f.indicator.trim());
    let outcome = match state
        .app
        .split_target(&viewer.actor(), &plan, unit, indicator, &f.by)
        .await
    {
        Ok(outcome) => outcome,
        Err(e) => return app_problem(&viewer, e),
    };
    let to = format!(
        "/plans/{}?unit={}&split={}",
        segment(&plan),
        crate::shell::urlencode(f.unit.trim()),
        outcome.units
    );
    axum::response::Redirect::to(&to).into_response()
}
