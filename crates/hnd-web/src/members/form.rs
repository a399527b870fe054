//! Adding a member: the form, what it is parsed into, and the answer.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, forbidden, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::AppError;
pub use hnd_app::FieldErrors;
use hnd_app::{AddMember, NewMemberText};
use hnd_domain::person::ETHNIC_GROUPS;
use hnd_domain::{Action, Day, MemberError};
use hnd_store::StoreError;
use serde::Deserialize;

use super::view::allow_unit;

// ---------------------------------------------------------------- add

/// The add form as typed: kept whole when it comes back with errors.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    pub csrf: String,
    /// The person, as the operation's input reads them.
    #[serde(flatten)]
    pub text: NewMemberText,
    /// "on" when the user accepts a CCCD that disagrees with birth year or sex.
    #[serde(default)]
    pub accept_warnings: Option<String>,
}

#[derive(Template)]
#[template(path = "member_form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    f: MemberForm,
    errors: FieldErrors,
    /// A refusal of the whole form (a CCCD already in the register, ...).
    problem: Option<String>,
    /// A CCCD that disagrees with the record: shown with a box to accept it.
    warning: Option<String>,
    ethnic_groups: &'static [(&'static str, &'static str)],
}

impl FormPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }

    /// The text fields: name, label key, value as typed, input kind.
    fn fields(&self) -> Vec<(&'static str, &'static str, String, &'static str)> {
        let f = &self.f.text;
        vec![
            ("full_name", "web.full_name", f.full_name.clone(), "text"),
            ("birth", "field.birth", f.birth.clone(), "date"),
            ("cccd", "field.cccd", f.cccd.clone(), "numeric"),
            ("phone", "field.phone", f.phone.clone(), "tel"),
            ("village", "web.village", f.village.clone(), "text"),
            ("religion", "web.religion", f.religion.clone(), "text"),
            ("unit", "web.unit", f.unit.clone(), "unit"),
            ("date", "web.application_date", f.date.clone(), "date"),
        ]
    }
}

fn form_page(
    viewer: &Viewer,
    f: MemberForm,
    errors: FieldErrors,
    problem: Option<String>,
    warning: Option<String>,
) -> FormPage {
    FormPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, "/members/new")),
        csrf: viewer.csrf.clone(),
        f,
        errors,
        problem,
        warning,
        ethnic_groups: &ETHNIC_GROUPS,
    }
}

#[derive(Deserialize)]
pub struct UnitParam {
    #[serde(default)]
    unit: String,
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer, Query(q): Query<UnitParam>) -> Response {
    if !viewer.user.may_somewhere(Action::EditMembers) {
        return forbidden(&viewer);
    }
    if !q.unit.trim().is_empty()
        && let Err(r) = allow_unit(&state.store, &viewer, Action::EditMembers, q.unit.trim()).await
    {
        return r;
    }
    let form = MemberForm {
        text: NewMemberText {
            unit: q.unit,
            date: Day::today().to_string(),
            ..Default::default()
        },
        ..Default::default()
    };
    render(
        form_page(&viewer, form, FieldErrors::new(), None, None),
        StatusCode::OK,
        viewer.lang,
    )
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, Form(form): Form<MemberForm>) -> Response {
    if let Err(r) = viewer.check_csrf(&form.csrf) {
        return r;
    }
    let lang = viewer.lang;
    let input = match AddMember::parse(&form.text, form.accept_warnings.is_some(), lang) {
        Ok(input) => input,
        Err(errors) => {
            return render(
                form_page(&viewer, form, errors, None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
            );
        }
    };
    match state.app.add_member(&viewer.actor(), &input).await {
        Ok(added) => {
            let dups = if added.likely_duplicates.is_empty() {
                ""
            } else {
                "?duplicates=1"
            };
            Redirect::to(&format!("/members/{}{dups}", added.id)).into_response()
        }
        Err(AppError::Store(StoreError::Member(e @ MemberError::CccdMismatch { .. }))) => {
            let mut errors = FieldErrors::new();
            errors.insert("cccd", e.message(lang));
            let warning = Some(viewer.t("web.accept_warning"));
            render(
                form_page(&viewer, form, errors, None, warning),
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
            )
        }
        Err(AppError::Store(StoreError::Member(
            e @ (MemberError::DuplicateCccd { .. } | MemberError::CccdTaken { .. }),
        ))) => {
            // The operation names the holder only to who may see them.
            let mut errors = FieldErrors::new();
            errors.insert("cccd", e.message(lang));
            render(form_page(&viewer, form, errors, None, None), StatusCode::CONFLICT, lang)
        }
        Err(AppError::Store(e @ (StoreError::Member(_) | StoreError::Org(_)))) => {
            let mut errors = FieldErrors::new();
            errors.insert("unit", e.message(lang));
            render(
                form_page(&viewer, form, errors, None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
            )
        }
        Err(e) => crate::shell::app_problem(&viewer, e),
    }
}
