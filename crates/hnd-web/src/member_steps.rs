//! The steps of a membership on the web (admit, withdraw, leave, return,
//! reinstate, a new card, death), the correction of a member's details,
//! and the admission of applicants chosen from a list by one decision.
//! Each calls its operation of the application layer.

use crate::AppState;
use crate::auth::Viewer;
use crate::members::{CorrectTyped, MemberView, StepTyped, Typed, refused, scope};
use crate::shell::{Nav, Tr, render, store_problem, told};
use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::{AppError, Step};
use hnd_domain::{Action, BirthDate, Cccd, Day, Phone, i18n};
use hnd_store::{Correction, MemberQuery};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let Some(step) = Step::parse(&f.step, &f.decision, &f.reason) else {
        return crate::shell::problem(
            Some(&viewer),
            viewer.lang,
            StatusCode::BAD_REQUEST,
            viewer.t("web.bad_request"),
        );
    };
    let done = match Day::parse_or_today(&f.date) {
        Ok(date) => state.app.step(&viewer.actor(), id, &step, date).await,
        Err(e) => Err(AppError::field("date", e)),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/members/{id}?done=step_{}", f.step)).into_response(),
        Err(e) => match told(&viewer, e) {
            Ok(message) => {
                let typed = Typed::with_step(StepTyped {
                    code: f.step,
                    date: f.date,
                    decision: f.decision,
                    reason: f.reason,
                    error: Some(message),
                });
                refused(&state, &viewer, id, typed).await
            }
            Err(r) => r,
        },
    }
}

#[derive(Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    birth: String,
    /// Absent from the form of who may not see them: left as they are.
    cccd: Option<String>,
    phone: Option<String>,
    #[serde(default)]
    village: String,
}

/// The typed fields as a correction, or the field refused and why.
fn correction_of(f: &CorrectForm) -> Result<Correction, AppError> {
    let field = |name: &'static str, value: &str| {
        let value = value.trim().to_string();
        AppError::field(name, hnd_domain::MemberError::BadField { field: name, value })
    };
    let birth = BirthDate::parse(&f.birth).ok_or_else(|| field("birth", &f.birth))?;
    fn optional(text: &Option<String>) -> Option<Option<&str>> {
        text.as_deref().map(str::trim).map(|t| (!t.is_empty()).then_some(t))
    }
    let cccd = match optional(&f.cccd) {
        Some(Some(text)) => Some(Some(Cccd::parse(text).map_err(|_| field("cccd", text))?)),
        Some(None) => Some(None),
        None => None,
    };
    let phone = match optional(&f.phone) {
        Some(Some(text)) => Some(Some(Phone::parse(text).map_err(|_| field("phone", text))?)),
        Some(None) => Some(None),
        None => None,
    };
    Ok(Correction {
        full_name: Some(f.full_name.clone()),
        birth: Some(birth),
        cccd,
        phone,
        village: Some(Some(f.village.clone())),
    })
}

pub async fn correct(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CorrectForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    // Personal fields are left as they are for who may not see them.
    let done = match correction_of(&f) {
        Ok(fix) => {
            let keep = hnd_app::Personal::Keep;
            state
                .app
                .correct_member(&viewer.actor(), id, &fix, Day::today(), keep)
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/members/{id}?done=correct")).into_response(),
        Err(e) => {
            let field = e.field_name().unwrap_or_default().to_string();
            match told(&viewer, e) {
                Ok(message) => {
                    let typed = Typed::with_correct(CorrectTyped {
                        full_name: Some(f.full_name),
                        birth: f.birth,
                        cccd: f.cccd.unwrap_or_default(),
                        phone: f.phone.unwrap_or_default(),
                        village: f.village,
                        error: Some(message),
                        field,
                    });
                    refused(&state, &viewer, id, typed).await
                }
                Err(r) => r,
            }
        }
    }
}

// ---------------------------------------------------------------- applicants

#[derive(Template)]
#[template(path = "applicants.html")]
struct ApplicantsPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    unit: String,
    rows: Vec<MemberView>,
    more: bool,
    today: String,
    decision: String,
    date: String,
    error: Option<String>,
    /// After an admission: who was admitted, with their card numbers.
    admitted: Vec<hnd_app::Admitted>,
}

#[derive(Deserialize, Default)]
pub struct ApplicantsParams {
    #[serde(default)]
    unit: String,
}

/// Applicants waiting in the user's part of the tree, at most this many a page.
const APPLICANTS: i64 = 200;

async fn applicants_page(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
    typed: (String, String, Option<String>),
    admitted: Vec<hnd_app::Admitted>,
    status: StatusCode,
) -> Response {
    let (unit, _, path) = match scope(&state.store, viewer, Action::EditMembers, unit).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let query = MemberQuery {
        scope: unit.clone(),
        status: Some("applicant".into()),
        limit: APPLICANTS,
        ..MemberQuery::default()
    };
    let (found, more) = match state.store.find_members(&query).await {
        Ok(x) => x,
        Err(e) => return store_problem(viewer, e),
    };
    let reveal = viewer.user.may(Action::ViewSensitive, &path);
    let (decision, date, error) = typed;
    let rows = found.iter().map(|m| MemberView::of(m, reveal, viewer.lang)).collect();
    let rows = match crate::members::with_unit_names(&state.store, rows).await {
        Ok(rows) => rows,
        Err(e) => return store_problem(viewer, e),
    };
    let page = ApplicantsPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, "/applicants")),
        csrf: viewer.csrf.clone(),
        unit,
        rows,
        more,
        today: Day::today().to_string(),
        decision,
        date,
        error,
        admitted,
    };
    render(page, status, viewer.lang)
}

pub async fn applicants(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ApplicantsParams>) -> Response {
    let typed = (String::new(), String::new(), None);
    applicants_page(&state, &viewer, &q.unit, typed, Vec::new(), StatusCode::OK).await
}

/// Admits the applicants ticked on the list by one decision; the page
/// then shows their card numbers, ready to print.
pub async fn admit_chosen(State(state): State<AppState>, viewer: Viewer, body: Bytes) -> Response {
    let (mut csrf, mut unit, mut decision, mut date, mut ids) =
        (String::new(), String::new(), String::new(), String::new(), Vec::new());
    let mut bad_id = false;
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "csrf" => csrf = value.into_owned(),
            "unit" => unit = value.into_owned(),
            "decision" => decision = value.into_owned(),
            "date" => date = value.into_owned(),
            "id" => match value.parse::<i64>() {
                Ok(id) => ids.push(id),
                Err(_) => bad_id = true,
            },
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let done = match (bad_id, Day::parse_or_today(&date)) {
        (true, _) => Err(AppError::field("ids", hnd_domain::MemberError::NothingChosen)),
        (false, Ok(day)) => state.app.admit(&viewer.actor(), &ids, day, &decision).await,
        (false, Err(e)) => Err(AppError::field("date", e)),
    };
    match done {
        Ok(admitted) => applicants_page(&state, &viewer, &unit, (decision, date, None), admitted, StatusCode::OK).await,
        Err(e) => match told(&viewer, e) {
            Ok(message) => {
                let typed = (decision, date, Some(message));
                applicants_page(
                    &state,
                    &viewer,
                    &unit,
                    typed,
                    Vec::new(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(r) => r,
        },
    }
}

// ---------------------------------------------------------------- duplicates

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    unit: String,
    /// The member added, the one they look like, and why.
    pairs: Vec<(MemberView, MemberView, String)>,
    notice: Option<String>,
    error: Option<String>,
}

/// Pairs shown on one page at most.
const PAIRS: i64 = 200;

async fn duplicates_page(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
    said: (Option<String>, Option<String>),
    status: StatusCode,
) -> Response {
    let (unit, _, path) = match scope(&state.store, viewer, Action::EditMembers, unit).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let found = match state.store.open_duplicates(&unit, PAIRS).await {
        Ok(x) => x,
        Err(e) => return store_problem(viewer, e),
    };
    let lang = viewer.lang;
    let reveal = viewer.user.may(Action::ViewSensitive, &path);
    let pairs = found
        .iter()
        .map(|(a, b, rule)| {
            (
                MemberView::of(a, reveal, lang),
                MemberView::of(b, reveal, lang),
                i18n::t(lang, &format!("member.rule.{rule}"), &[]),
            )
        })
        .collect();
    let (notice, error) = said;
    let page = DuplicatesPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, "/duplicates")),
        csrf: viewer.csrf.clone(),
        unit,
        pairs,
        notice,
        error,
    };
    render(page, status, lang)
}

pub async fn duplicates(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ApplicantsParams>) -> Response {
    duplicates_page(&state, &viewer, &q.unit, (None, None), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: String,
    member: i64,
    other: i64,
    /// "same" or "different".
    #[serde(default)]
    decision: String,
}

pub async fn decide_duplicate(State(state): State<AppState>, viewer: Viewer, Form(f): Form<DecideForm>) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let same = f.decision == "same";
    match state
        .app
        .decide_duplicate(&viewer.actor(), f.member, f.other, same)
        .await
    {
        Ok(()) => {
            let said = (Some(viewer.t("web.duplicate_decided")), None);
            duplicates_page(&state, &viewer, &f.unit, said, StatusCode::OK).await
        }
        Err(e) => match told(&viewer, e) {
            Ok(message) => {
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                duplicates_page(&state, &viewer, &f.unit, (None, Some(message)), status).await
            }
            Err(r) => r,
        },
    }
}
