//! A member's page: read at once from the store, each section built for
//! the reader, shown again with a refused form's values and why.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, render, store_problem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hnd_domain::{Action, Day, Principal, i18n};
use serde::Deserialize;

use super::sections::{CorrectTyped, EntryTyped, HouseholdSection, ProfileSection, StepTyped, correction_rows};
use super::view::{MemberView, allow_member};

// ---------------------------------------------------------------- one member

#[derive(Template)]
#[template(path = "member.html")]
struct MemberPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    m: MemberView,
    unit_name: String,
    history: Vec<(String, String, String, String, String, String)>,
    can_edit: bool,
    can_confirm: bool,
    can_audit: bool,
    duplicates: bool,
    notice: Option<String>,
    today: String,
    typed: Typed,
    /// The "Hồ sơ" section.
    profile: ProfileSection,
    /// The steps the member can take now (admit, leave…), by code and label.
    steps: Vec<(String, String)>,
    /// Whether the correction form may show and change CCCD and phone.
    reveal: bool,
    /// Earlier corrections: field, old value, new value, who, when.
    corrections: Vec<(String, String, String, String, String)>,
    /// The "Hộ gia đình" section.
    household: HouseholdSection,
    /// Fees paid: year, amount, day, the unit that collected.
    fees: Vec<(i32, String, String, String)>,
}

/// What was typed into the transfer or removal form of a member's page
/// that was refused, with why: the page is shown again with it.
#[derive(Default)]
pub(crate) struct Typed {
    pub(super) to: String,
    pub(super) transfer_date: String,
    pub(super) transfer_error: Option<String>,
    pub(super) reason: String,
    pub(super) kind: String,
    pub(super) remove_date: String,
    pub(super) remove_error: Option<String>,
    /// Why a cancellation of the member's transfer was refused.
    pub(super) cancel_error: Option<String>,
    /// A refused form of the profile section.
    pub(super) entry: EntryTyped,
    /// A refused step (admit, leave…): which, what was typed, why.
    pub step: StepTyped,
    /// A refused correction, with what was typed.
    pub correct: CorrectTyped,
    /// Why a form of the household section was refused.
    pub household: Option<String>,
}

impl Typed {
    /// The page again with a refused step.
    pub fn with_step(step: StepTyped) -> Typed {
        Typed {
            step,
            ..Typed::default()
        }
    }

    /// The page again with a refused form of the household section.
    pub fn with_household(error: String) -> Typed {
        Typed {
            household: Some(error),
            ..Typed::default()
        }
    }

    /// The page again with a refused correction.
    pub fn with_correct(correct: CorrectTyped) -> Typed {
        Typed {
            correct,
            ..Typed::default()
        }
    }
}

#[derive(Deserialize, Default)]
pub struct MemberParams {
    #[serde(default)]
    duplicates: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<MemberParams>,
) -> Response {
    member_page(&state, &viewer, id, q, Typed::default(), StatusCode::OK).await
}

async fn member_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    q: MemberParams,
    mut typed: Typed,
    status: StatusCode,
) -> Response {
    let (path, to_path) = match allow_member(&state.store, viewer, Action::ViewMembers, id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    // Every section in one read, on one connection.
    let (read, fees) = match tokio::try_join!(state.store.member_page(id), state.store.member_fees(id)) {
        Ok(read) => read,
        Err(e) => return store_problem(viewer, e),
    };
    let hnd_store::MemberPage {
        member,
        unit_name,
        events,
        profile,
        corrections,
        household,
    } = read;
    let lang = viewer.lang;
    let user: &Principal = &viewer.user;
    let history = events
        .into_iter()
        .map(|e| {
            (
                e.date.to_string(),
                i18n::t(lang, &format!("member.event.{}", e.kind), &[]),
                e.unit_code.unwrap_or_default(),
                e.decision.unwrap_or_default(),
                e.reason,
                e.author,
            )
        })
        .collect();
    let can_edit = user.may(Action::EditMembers, &path);
    let can_confirm =
        member.status == "in_transfer" && to_path.as_deref().is_some_and(|p| user.may(Action::EditMembers, p));
    let notice = q.done.as_deref().map(|d| {
        viewer.t(&format!(
            "web.done.{}",
            if d.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                d
            } else {
                "x"
            }
        ))
    });
    let reveal = user.may(Action::ViewSensitive, &path);
    let entry = std::mem::take(&mut typed.entry);
    let steps = hnd_app::Step::codes_for(&member.status)
        .iter()
        .map(|code| (code.to_string(), i18n::t(lang, &format!("web.step.{code}"), &[])))
        .collect();
    let corrections = correction_rows(corrections, reveal, lang);
    let household = HouseholdSection::of(household, can_edit, typed.household.take(), lang);
    if typed.correct.full_name.is_none() {
        typed.correct = CorrectTyped::of(&member, reveal);
    }
    let page = MemberPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, &format!("/members/{id}"))),
        csrf: viewer.csrf.clone(),
        m: MemberView::of(&member, reveal, lang),
        profile: ProfileSection::of(profile, reveal, can_edit, entry, lang),
        unit_name,
        history,
        can_edit,
        can_confirm,
        can_audit: user.may(Action::ViewAudit, &path),
        duplicates: q.duplicates.is_some(),
        notice,
        today: Day::today().to_string(),
        typed,
        steps,
        reveal,
        corrections,
        household,
        fees: fees
            .into_iter()
            .map(|p| {
                let day = Day::from_iso(&p.paid_on).map(|d| d.to_string()).unwrap_or_default();
                (p.year, hnd_domain::fmt::int(p.amount, lang), day, p.unit_name)
            })
            .collect(),
    };
    render(page, status, lang)
}

/// The member's page again, with a refused form of its profile section.
pub async fn page_with_profile_form(state: &AppState, viewer: &Viewer, id: i64, entry: EntryTyped) -> Response {
    let typed = Typed {
        entry,
        ..Typed::default()
    };
    refused(state, viewer, id, typed).await
}

/// The member's page again, with the refused form's values and why.
pub(crate) async fn refused(state: &AppState, viewer: &Viewer, id: i64, typed: Typed) -> Response {
    member_page(
        state,
        viewer,
        id,
        MemberParams::default(),
        typed,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A store error on a member's form: a rule refused is told beside the
/// form; anything else is an error page.
/// A refusal told beside the form (the typed values kept), or, for a
/// failure of the server or a request outside the user's tree, a page.
pub(super) fn form_refusal(viewer: &Viewer, e: impl Into<hnd_app::AppError>) -> Result<String, Response> {
    let e = e.into();
    match e.kind() {
        hnd_app::ErrorKind::Internal | hnd_app::ErrorKind::Forbidden => Err(crate::shell::app_problem(viewer, e)),
        _ => Ok(e.message(viewer.lang)),
    }
}

/// A form's day (today when empty), or the page that refuses it.
pub(super) fn form_day(viewer: &Viewer, text: &str) -> Result<Day, Response> {
    Day::parse_or_today(text).map_err(|e| {
        crate::shell::problem(
            Some(viewer),
            viewer.lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            e.message(viewer.lang),
        )
    })
}
