//! Tasks in the browser: the tasks a user may follow (all tasks of the
//! plans in their part of the tree, or, for an account acting for an
//! outside body, that body's tasks only), one task with its reports, and
//! the form that reports progress, moves the status and attaches files.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, app_problem, forbidden, render, status_of_kind, store_problem};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::{Day, Lang, Principal, i18n};
use hnd_store::{NewFile, STATUSES, Store, Task, TaskDetails};
use serde::Deserialize;

/// The largest report form: a few files of the largest size.
pub const MAX_REPORT: usize = 3 * hnd_store::MAX_FILE_MB as usize * 1024 * 1024 + 64 * 1024;

/// Tasks a list shows at most.
const LIST_LIMIT: i64 = 2_000;

/// A status's label.
pub fn status_label(lang: Lang, status: &str) -> String {
    i18n::t(lang, &format!("task.status.{status}"), &[])
}

/// The tasks `user` may follow, late ones first (access is decided in the
/// query, before the limit).
pub async fn visible_tasks(store: &Store, user: &Principal) -> Result<Vec<Task>, hnd_store::StoreError> {
    store.visible_tasks(user, Day::today(), LIST_LIMIT).await
}

/// A task `viewer` may read; `Err` is the page to answer with.
pub async fn task_for(state: &AppState, viewer: &Viewer, id: i64) -> Result<TaskDetails, Response> {
    hnd_app::readable_task(&state.app, &viewer.user, id)
        .await
        .map_err(|e| app_problem(viewer, e))
}

struct Row {
    task: Task,
    status: String,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    t: Tr,
    nav: Option<Nav>,
    body: Option<String>,
    rows: Vec<Row>,
    late_only: bool,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    late: String,
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListParams>) -> Response {
    let tasks = match visible_tasks(&state.store, &viewer.user).await {
        Ok(t) => t,
        Err(e) => return store_problem(&viewer, e),
    };
    let late_only = q.late == "1";
    let rows = tasks
        .into_iter()
        .filter(|t| !late_only || t.overdue)
        .map(|task| Row {
            status: status_label(viewer.lang, &task.status),
            task,
        })
        .collect();
    let page = TasksPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, "/tasks")),
        body: viewer.user.body.as_ref().map(|b| b.name.clone()),
        rows,
        late_only,
    };
    render(page, StatusCode::OK, viewer.lang)
}

struct NoteView {
    status: String,
    note: String,
    author: String,
    at: String,
    files: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    t: Tr,
    nav: Option<Nav>,
    task: Task,
    status: String,
    plan_href: String,
    /// Whether the plan's page is open to the user: an outside body's
    /// account reads its tasks, not the Union's plan.
    plan_link: bool,
    lead: Vec<String>,
    coordinating: Vec<String>,
    notes: Vec<NoteView>,
    may_report: bool,
    /// (code, label, chosen) for the status choice.
    statuses: Vec<(&'static str, String, bool)>,
    typed_note: String,
    error: Option<String>,
    saved: bool,
    max_mb: u32,
    /// The copies given to units below: (id, unit name, status label, late).
    copies: Vec<(i64, String, String, bool)>,
    /// Whether the user may change the task (not a copy: its origin).
    may_edit: bool,
    /// The units directly below the task's that the user may give it to:
    /// (code, name, already given).
    below: Vec<(String, String, bool)>,
    assign_error: Option<String>,
    /// "Given to N units" after an assignment.
    assigned: Option<String>,
}

/// What the task's page tells beside its forms.
pub enum Told {
    Nothing,
    Assigned(usize),
    Assign(String),
}

fn task_page(viewer: &Viewer, d: TaskDetails, typed: Option<(&str, &str, String)>, saved: bool) -> TaskPage {
    let lang = viewer.lang;
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    let may_report = d.may_report(&viewer.user);
    let (chosen, typed_note, error) = match typed {
        Some((status, note, error)) => (status.to_string(), note.to_string(), Some(error)),
        None => (d.task.status.clone(), String::new(), None),
    };
    let names = |role: &str| d.bodies.iter().filter(|b| b.2 == role).map(|b| b.1.clone()).collect();
    let copies = d
        .copies
        .iter()
        .map(|c| (c.id, c.unit_name.clone(), status_label(lang, &c.status), c.overdue))
        .collect();
    TaskPage {
        copies,
        may_edit: false,
        below: Vec::new(),
        assign_error: None,
        assigned: None,
        t: Tr(lang),
        nav: Some(Nav::of(viewer, &format!("/tasks/{}", d.task.id))),
        status: status_label(lang, &d.task.status),
        plan_href: crate::shell::urlencode(&d.task.plan).replace('/', "%2F"),
        plan_link: viewer.user.may_somewhere(hnd_domain::Action::ViewMembers),
        lead: names("lead"),
        coordinating: names("coordinating"),
        notes: d
            .notes
            .iter()
            .map(|n| NoteView {
                status: status_label(lang, &n.status),
                note: n.note.clone(),
                author: n.author.clone(),
                at: chrono::DateTime::parse_from_rfc3339(&n.written_at)
                    .map(|t| t.with_timezone(&vn).format("%d/%m/%Y %H:%M").to_string())
                    .unwrap_or_else(|_| n.written_at.clone()),
                files: n
                    .files
                    .iter()
                    .map(|f| (f.id, f.name.clone(), hnd_domain::fmt::int((f.size + 1023) / 1024, lang)))
                    .collect(),
            })
            .collect(),
        may_report,
        statuses: STATUSES
            .iter()
            .map(|s| (*s, status_label(lang, s), *s == chosen))
            .collect(),
        typed_note,
        error,
        saved,
        max_mb: hnd_store::MAX_FILE_MB,
        task: d.task,
    }
}

#[derive(Deserialize, Default)]
pub struct ShowParams {
    #[serde(default)]
    done: String,
    #[serde(default)]
    assigned: Option<usize>,
}

/// The page of a task `viewer` may read, with what its forms tell: who may
/// change it (`EditPlans` on the plan's unit, not on a copy) and give it
/// below (`EditPlans` on its own unit, to the units directly below).
async fn full_page(
    state: &AppState,
    viewer: &Viewer,
    d: TaskDetails,
    saved: bool,
    told: Told,
) -> Result<TaskPage, Response> {
    let store = &state.store;
    let today = Day::today();
    let plan_path = match store.plan_unit(&d.task.plan).await {
        Ok((_, path)) => path,
        Err(e) => return Err(store_problem(viewer, e)),
    };
    let may_edit = d.task.origin.is_none() && viewer.user.may(hnd_domain::Action::EditPlans, &plan_path);
    let mut below = Vec::new();
    if viewer.user.may(hnd_domain::Action::EditPlans, &d.task.unit_path) {
        let unit = store
            .unit(&d.task.unit, today)
            .await
            .map_err(|e| store_problem(viewer, e))?;
        for c in store
            .children(unit.unit.id, today)
            .await
            .map_err(|e| store_problem(viewer, e))?
        {
            let given = d.copies.iter().any(|copy| copy.unit == c.code);
            below.push((c.code, c.name, given));
        }
    }
    let mut page = task_page(viewer, d, None, saved);
    page.may_edit = may_edit;
    page.below = below;
    match told {
        Told::Nothing => {}
        Told::Assigned(n) => {
            page.assigned = Some(i18n::t(viewer.lang, "web.task_assigned", &[("count", &n.to_string())]));
        }
        Told::Assign(message) => page.assign_error = Some(message),
    }
    Ok(page)
}

/// Task `id`'s page with `told` beside its forms, answered with `status`.
pub async fn page_with(state: &AppState, viewer: &Viewer, id: i64, told: Told, status: StatusCode) -> Response {
    let d = match task_for(state, viewer, id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    match full_page(state, viewer, d, false, told).await {
        Ok(page) => render(page, status, viewer.lang),
        Err(r) => r,
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<ShowParams>,
) -> Response {
    let d = match task_for(&state, &viewer, id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let told = q.assigned.map_or(Told::Nothing, Told::Assigned);
    match full_page(&state, &viewer, d, q.done == "1", told).await {
        Ok(page) => render(page, StatusCode::OK, viewer.lang),
        Err(r) => r,
    }
}

/// The report form: status, note and files, with the session's token first.
pub async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let details = match task_for(&state, &viewer, id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    if !details.may_report(&viewer.user) {
        return forbidden(&viewer);
    }
    let (mut csrf, mut status, mut note, mut files) = (String::new(), String::new(), String::new(), Vec::new());
    let too_large = |name: &str| {
        i18n::t(
            viewer.lang,
            "task.file_too_large",
            &[("name", &name), ("max", &hnd_store::MAX_FILE_MB.to_string())],
        )
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let page = task_page(&viewer, details, Some((&status, &note, e.body_text())), false);
                return render(page, StatusCode::BAD_REQUEST, viewer.lang);
            }
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("status") => status = field.text().await.unwrap_or_default(),
            Some("note") => note = field.text().await.unwrap_or_default(),
            Some("file") => {
                if let Err(r) = viewer.check_csrf(&csrf) {
                    return r;
                }
                let name = field.file_name().unwrap_or("tep").to_string();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_string();
                match field.bytes().await {
                    Ok(b) if b.is_empty() && name.is_empty() => {}
                    Ok(b) if b.is_empty() => {}
                    Ok(b) => files.push(NewFile {
                        name,
                        content_type,
                        content: b.to_vec(),
                    }),
                    Err(_) => {
                        let page = task_page(&viewer, details, Some((&status, &note, too_large(&name))), false);
                        return render(page, StatusCode::PAYLOAD_TOO_LARGE, viewer.lang);
                    }
                }
            }
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let report = hnd_app::TaskReport {
        status: status.clone(),
        note: note.clone(),
        files,
    };
    match state.app.report_task(&viewer.actor(), id, report).await {
        Ok(()) => Redirect::to(&format!("/tasks/{id}?done=1")).into_response(),
        Err(e) if e.kind() == hnd_app::ErrorKind::Invalid => {
            let page = task_page(&viewer, details, Some((&status, &note, e.message(viewer.lang))), false);
            render(page, status_of_kind(e.kind()), viewer.lang)
        }
        Err(e) => app_problem(&viewer, e),
    }
}

/// A file attached to a report, as a download (never shown in the page:
/// what was uploaded is not trusted as HTML).
pub async fn file(State(state): State<AppState>, viewer: Viewer, Path((id, file)): Path<(i64, i64)>) -> Response {
    if let Err(r) = task_for(&state, &viewer, id).await {
        return r;
    }
    match state.store.task_file(file).await {
        Ok((task, name, _, content)) if task == id => {
            let disposition = format!(
                "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                name.replace(['"', '\\', '\r', '\n'], "_"),
                crate::shell::urlencode(&name)
            );
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                ],
                content,
            )
                .into_response()
        }
        Ok(_) => crate::shell::problem(
            Some(&viewer),
            viewer.lang,
            StatusCode::NOT_FOUND,
            viewer.t("web.not_found"),
        ),
        Err(e) => store_problem(&viewer, e),
    }
}
