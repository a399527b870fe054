//! Writing tasks in the browser: a plan's new task and a task's change
//! on one form (the text, the directing, lead and coordinating bodies
//! chosen from the province's list or typed, which adds them to it, the
//! deadline as plans write it, the unit that owns it), and a task given
//! to units below. Each posts to its operation of `hnd_app::tasks`.

use crate::AppState;
use crate::auth::Viewer;
use crate::plan_pages::segment;
use crate::shell::{Nav, Tr, forbidden, render, store_problem, told};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::{Names, TaskText};
use hnd_domain::{Action, Day};

#[derive(Template)]
#[template(path = "task_form.html")]
struct TaskForm {
    t: Tr,
    nav: Option<Nav>,
    heading: String,
    plan: String,
    plan_href: String,
    action: String,
    title: String,
    directing: String,
    lead: String,
    /// The province's bodies, each with whether it coordinates the task.
    bodies: Vec<(String, bool)>,
    /// Coordinating bodies typed that are not yet on the list.
    other: String,
    deadline: String,
    unit: String,
    plan_unit: String,
    error: Option<String>,
}

/// The task as the form posted it, with the session's token.
fn read_form(body: &[u8]) -> (String, TaskText) {
    let (mut csrf, mut text, mut coordinating) = (String::new(), TaskText::default(), Vec::new());
    for (key, value) in form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "csrf" => csrf = value,
            "title" => text.title = value,
            "directing" => text.directing = Names::One(value),
            "lead" => text.lead = Names::One(value),
            "coordinating" => coordinating.push(value),
            "coordinating_other" => coordinating.extend(value.split(';').map(str::to_string)),
            "deadline" => text.deadline = value,
            "unit" => text.unit = value,
            _ => {}
        }
    }
    text.coordinating = Names::Many(coordinating);
    (csrf, text)
}

/// The form for plan `number`, filled with `text`.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    number: &str,
    action: String,
    text: &TaskText,
    error: Option<String>,
) -> Result<TaskForm, Response> {
    let store = &state.store;
    let plan = store.plan(number).await.map_err(|e| store_problem(viewer, e))?;
    let (_, path) = store.plan_unit(number).await.map_err(|e| store_problem(viewer, e))?;
    if !viewer.user.may(Action::EditPlans, &path) {
        return Err(forbidden(viewer));
    }
    let listed = store.plan_bodies(number).await.map_err(|e| store_problem(viewer, e))?;
    let coordinating = text.coordinating.joined();
    let named: Vec<&str> = coordinating
        .split(';')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    let folded = |n: &str| hnd_domain::fold(n);
    let bodies = listed
        .iter()
        .map(|b| (b.clone(), named.iter().any(|n| folded(n) == folded(b))))
        .collect();
    let other: Vec<&str> = named
        .iter()
        .copied()
        .filter(|n| !listed.iter().any(|b| folded(b) == folded(n)))
        .collect();
    let heading = if action.ends_with("/edit") {
        viewer.t("web.task_edit")
    } else {
        viewer.t("web.task_new")
    };
    Ok(TaskForm {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, &action)),
        heading,
        plan_href: segment(number),
        plan: plan.number,
        action,
        title: text.title.clone(),
        directing: text.directing.joined(),
        lead: text.lead.joined(),
        bodies,
        other: other.join("; "),
        deadline: text.deadline.clone(),
        unit: text.unit.clone(),
        plan_unit: plan.unit,
        error,
    })
}

fn answer(page: Result<TaskForm, Response>, status: StatusCode, viewer: &Viewer) -> Response {
    match page {
        Ok(page) => render(page, status, viewer.lang),
        Err(r) => r,
    }
}

/// `GET /plans/{number}/tasks/new`.
pub async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(number): Path<String>) -> Response {
    let action = format!("/plans/{}/tasks", segment(&number));
    let page = form_page(&state, &viewer, &number, action, &TaskText::default(), None).await;
    answer(page, StatusCode::OK, &viewer)
}

/// `POST /plans/{number}/tasks`: the task added, then its page.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    let (csrf, text) = read_form(&body);
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    match state.app.add_task(&viewer.actor(), &number, &text.task()).await {
        Ok(id) => Redirect::to(&format!("/tasks/{id}")).into_response(),
        Err(e) => {
            let status = crate::shell::status_of_kind(e.kind());
            let message = match told(&viewer, e) {
                Ok(m) => m,
                Err(r) => return r,
            };
            let action = format!("/plans/{}/tasks", segment(&number));
            let page = form_page(&state, &viewer, &number, action, &text, Some(message)).await;
            answer(page, status, &viewer)
        }
    }
}

/// `GET /tasks/{id}/edit`.
pub async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let task = match state.store.task(id, Day::today()).await {
        Ok(d) => d.task,
        Err(e) => return store_problem(&viewer, e),
    };
    let page = form_page(
        &state,
        &viewer,
        &task.plan,
        format!("/tasks/{id}/edit"),
        &TaskText::of(&task),
        None,
    )
    .await;
    answer(page, StatusCode::OK, &viewer)
}

/// `POST /tasks/{id}/edit`: the task changed, then its page.
pub async fn edit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>, body: Bytes) -> Response {
    let (csrf, text) = read_form(&body);
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let plan = match state.store.task(id, Day::today()).await {
        Ok(d) => d.task.plan,
        Err(e) => return store_problem(&viewer, e),
    };
    match state.app.edit_task(&viewer.actor(), id, &text.task()).await {
        Ok(()) => Redirect::to(&format!("/tasks/{id}?done=1")).into_response(),
        Err(e) => {
            let status = crate::shell::status_of_kind(e.kind());
            let message = match told(&viewer, e) {
                Ok(m) => m,
                Err(r) => return r,
            };
            let page = form_page(
                &state,
                &viewer,
                &plan,
                format!("/tasks/{id}/edit"),
                &text,
                Some(message),
            )
            .await;
            answer(page, status, &viewer)
        }
    }
}

/// `POST /tasks/{id}/assign`: the units chosen (`unit`, repeated) and
/// those typed (`units`, codes between spaces or commas) given the task.
pub async fn assign(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>, body: Bytes) -> Response {
    let (mut csrf, mut units) = (String::new(), Vec::new());
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "csrf" => csrf = value.into_owned(),
            "unit" => units.push(value.into_owned()),
            "units" => units.extend(
                value
                    .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                    .map(str::to_string),
            ),
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    match state.app.assign_task(&viewer.actor(), id, &units).await {
        Ok(given) => Redirect::to(&format!("/tasks/{id}?assigned={}", given.len())).into_response(),
        Err(e) => {
            let status = crate::shell::status_of_kind(e.kind());
            match told(&viewer, e) {
                Ok(message) => {
                    crate::tasks::page_with(&state, &viewer, id, crate::tasks::Told::Assign(message), status).await
                }
                Err(r) => r,
            }
        }
    }
}
