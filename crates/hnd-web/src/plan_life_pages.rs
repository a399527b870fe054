//! A plan's life on the web: the "new plan" form of `/plans`, and on a
//! plan's page its head (number, kind, date, status, what it implements,
//! its versions, its signed document), the units below with their
//! implementing plans (late ones marked), and the buttons of its status:
//! a draft's form and "issue" (with the signed document), "withdraw"
//! (confirmed first) and "new version" for an issued plan. Each button
//! posts to an operation of `hnd_app` (`plan_life.rs`).

use crate::AppState;
use crate::auth::Viewer;
use crate::plan_pages::segment;
use crate::shell::{Posted, Tokened, app_problem, forbidden, problem, store_problem};
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::{PlanText, readable_plan};
use hnd_domain::plan::{PlanKind, PlanStatus};
use hnd_store::{Implements, NewFile};
use serde::Deserialize;

/// The largest request with a signed document (the task files' limit).
pub const MAX_DOCUMENT: usize = hnd_store::MAX_FILE_MB as usize * 1024 * 1024 + 64 * 1024;

/// A unit below the plan's, and the plan it issued to implement it.
pub struct Below {
    pub unit: String,
    pub name: String,
    pub number: Option<(String, String)>,
    pub status: String,
    pub late: bool,
}

/// What a plan's page shows of the plan as a document.
pub struct PlanHead {
    pub printed: String,
    pub title: String,
    pub kind: String,
    pub date: String,
    pub status: &'static str,
    pub status_label: String,
    /// (text, link to the plan when it is one in the register).
    pub implements: Option<(String, Option<String>)>,
    pub implement_by: String,
    pub replaces: Option<(String, String)>,
    pub replaced_by: Option<(String, String)>,
    pub document: Option<String>,
    pub below: Vec<Below>,
    pub late: usize,
    pub issued_below: usize,
    /// The draft's texts for its form, when the reader may change it.
    pub draft: Option<PlanText>,
    /// Whether the reader may withdraw it or make a new version.
    pub may_change: bool,
    pub kinds: Vec<(&'static str, String)>,
}

/// The kinds with their names, for a select.
pub fn kinds(viewer: &Viewer) -> Vec<(&'static str, String)> {
    PlanKind::ALL
        .iter()
        .map(|k| (k.code(), viewer.t(&format!("plan.kind.{}", k.code()))))
        .collect()
}

/// Plan `number`'s head as `viewer` may read it, or the refusal's page.
pub async fn head(state: &AppState, viewer: &Viewer, number: &str) -> Result<PlanHead, Response> {
    let view = readable_plan(&state.app, &viewer.actor(), number)
        .await
        .map_err(|e| app_problem(viewer, e))?;
    let p = &view.plan;
    let status = p.status();
    let link = |n: &String| (n.clone(), segment(n));
    let below: Vec<Below> = view
        .implementing
        .iter()
        .map(|r| Below {
            unit: r.unit.clone(),
            name: r.unit_name.clone(),
            number: r.number.as_ref().map(link),
            status: r
                .status
                .as_ref()
                .map(|s| viewer.t(&format!("plan.status.{s}")))
                .unwrap_or_else(|| viewer.t("web.plan_none_yet")),
            late: r.late,
        })
        .collect();
    Ok(PlanHead {
        printed: p.printed.clone(),
        title: p.title.clone(),
        kind: viewer.t(&format!("plan.kind.{}", p.kind)),
        date: p.issued_on.clone(),
        status: status.code(),
        status_label: viewer.t(&format!("plan.status.{}", p.status)),
        implements: p.implements.as_ref().map(|i| match i {
            Implements::Plan { number } => (number.clone(), Some(segment(number))),
            Implements::Document { number, date } => (format!("{number} ({date})"), None),
        }),
        implement_by: p.implement_by.clone().unwrap_or_default(),
        replaces: p.replaces.as_ref().map(link),
        replaced_by: p.replaced_by.as_ref().map(link),
        document: p.document.clone(),
        late: below.iter().filter(|b| b.late).count(),
        issued_below: view
            .implementing
            .iter()
            .filter(|r| r.status.as_deref() == Some("issued"))
            .count(),
        below,
        draft: (view.editable && status == PlanStatus::Draft).then(|| PlanText::of(p)),
        may_change: view.editable && status == PlanStatus::Issued,
        kinds: kinds(viewer),
    })
}

#[derive(Deserialize)]
pub struct PlanForm {
    csrf: String,
    #[serde(flatten)]
    text: PlanText,
}

impl Tokened for PlanForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Deserialize)]
pub struct Confirmed {
    csrf: String,
    #[serde(default)]
    confirm: String,
}

impl Tokened for Confirmed {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn to_plan(number: &str) -> Response {
    Redirect::to(&format!("/plans/{}", segment(number))).into_response()
}

/// `POST /plans`: a new draft, then its page.
pub async fn create(State(state): State<AppState>, viewer: Viewer, Form(form): Form<PlanForm>) -> Response {
    if let Err(r) = viewer.check_csrf(&form.csrf) {
        return r;
    }
    match state.app.create_plan(&viewer.actor(), &form.text).await {
        Ok(number) => to_plan(&number),
        Err(e) => app_problem(&viewer, e),
    }
}

/// `POST /plans/{number}/edit`: the draft as typed.
pub async fn edit(State(state): State<AppState>, posted: Posted<String, PlanForm>) -> Response {
    let (viewer, number, form) = posted.into_parts();
    match state.app.edit_plan(&viewer.actor(), &number, &form.text, None).await {
        Ok(()) => to_plan(&number),
        Err(e) => app_problem(&viewer, e),
    }
}

/// `POST /plans/{number}/issue`: the draft issued, with the signed
/// document if one is sent (multipart: the token first, then the file).
pub async fn issue(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(number): Path<String>,
    mut form: Multipart,
) -> Response {
    let (mut csrf, mut document) = (String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return problem(Some(&viewer), viewer.lang, StatusCode::BAD_REQUEST, e.body_text()),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("document") => {
                if let Err(r) = viewer.check_csrf(&csrf) {
                    return r;
                }
                let name = field.file_name().unwrap_or("van-ban").to_string();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_string();
                match field.bytes().await {
                    Ok(b) if b.is_empty() => {}
                    Ok(b) => {
                        document = Some(NewFile {
                            name,
                            content_type,
                            content: b.to_vec(),
                        })
                    }
                    Err(e) => return problem(Some(&viewer), viewer.lang, StatusCode::PAYLOAD_TOO_LARGE, e.body_text()),
                }
            }
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    match state.app.issue_plan(&viewer.actor(), &number, document).await {
        Ok(()) => to_plan(&number),
        Err(e) => app_problem(&viewer, e),
    }
}

/// `POST /plans/{number}/withdraw`: only once the box is ticked.
pub async fn withdraw(State(state): State<AppState>, posted: Posted<String, Confirmed>) -> Response {
    let (viewer, number, form) = posted.into_parts();
    if form.confirm.is_empty() {
        // Asked of the policy first, so the box tells nothing to others.
        match readable_plan(&state.app, &viewer.actor(), &number).await {
            Err(e) => return app_problem(&viewer, e),
            Ok(view) if !view.editable => return forbidden(&viewer),
            Ok(_) => {}
        }
        let message = viewer.t("web.plan_withdraw_confirm");
        return problem(Some(&viewer), viewer.lang, StatusCode::UNPROCESSABLE_ENTITY, message);
    }
    match state.app.withdraw_plan(&viewer.actor(), &number).await {
        Ok(()) => to_plan(&number),
        Err(e) => app_problem(&viewer, e),
    }
}

/// `POST /plans/{number}/version`: a new draft from an issued plan.
pub async fn version(State(state): State<AppState>, posted: Posted<String, Confirmed>) -> Response {
    let (viewer, number, _) = posted.into_parts();
    match state.app.new_plan_version(&viewer.actor(), &number).await {
        Ok(new) => to_plan(&new),
        Err(e) => app_problem(&viewer, e),
    }
}

/// `GET /plans/{number}/document`: the signed document, as a download.
pub async fn document(State(state): State<AppState>, viewer: Viewer, Path(number): Path<String>) -> Response {
    if let Err(e) = readable_plan(&state.app, &viewer.actor(), &number).await {
        return match e {
            hnd_app::AppError::Forbidden => forbidden(&viewer),
            e => app_problem(&viewer, e),
        };
    }
    match state.store.plan_document(&number).await {
        Ok(Some(doc)) => {
            let disposition = format!(
                "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                doc.name.replace(['"', '\\', '\r', '\n'], "_"),
                crate::shell::urlencode(&doc.name)
            );
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                ],
                doc.content,
            )
                .into_response()
        }
        Ok(None) => problem(
            Some(&viewer),
            viewer.lang,
            StatusCode::NOT_FOUND,
            viewer.t("web.not_found"),
        ),
        Err(e) => store_problem(&viewer, e),
    }
}
