//! Transfers from a member's page: send, confirm, cancel; the list of
//! transfers waiting for the user's units to confirm.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, render, store_problem};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::{Action, Day};
use serde::Deserialize;

use super::page::{Typed, form_day, form_refusal, refused};
use super::view::{MemberView, home_unit};

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: String,
}

pub async fn transfer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<TransferForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let typed = |error: String| Typed {
        to: f.to.clone(),
        transfer_date: f.date.clone(),
        transfer_error: Some(error),
        ..Typed::default()
    };
    let done = match Day::parse_or_today(&f.date) {
        Ok(date) => state.app.send_transfer(&viewer.actor(), id, &f.to, date).await,
        Err(e) => Err(hnd_app::AppError::field("date", e)),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/members/{id}?done=transfer")).into_response(),
        Err(e) => match form_refusal(&viewer, e) {
            Ok(message) => refused(&state, &viewer, id, typed(message)).await,
            Err(r) => r,
        },
    }
}

#[derive(Deserialize)]
pub struct DateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
}

pub async fn confirm_transfer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<DateForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let date = match form_day(&viewer, &f.date) {
        Ok(d) => d,
        Err(r) => return r,
    };
    match state.app.confirm_transfer(&viewer.actor(), id, date).await {
        Ok(()) => Redirect::to(&format!("/members/{id}?done=confirm_transfer")).into_response(),
        Err(e) => crate::shell::app_problem(&viewer, e),
    }
}

#[derive(Deserialize)]
pub struct CancelTransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    /// The confirmation box.
    #[serde(default)]
    confirm: Option<String>,
}

/// The sending unit cancels a transfer it sent (the member stays): who may
/// edit the member where they are, after ticking the confirmation box.
pub async fn cancel_transfer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CancelTransferForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let typed = |error: String| Typed {
        cancel_error: Some(error),
        ..Typed::default()
    };
    let date = match Day::parse_or_today(&f.date) {
        Ok(d) => d,
        Err(e) => return refused(&state, &viewer, id, typed(e.message(viewer.lang))).await,
    };
    if f.confirm.is_none() {
        return refused(
            &state,
            &viewer,
            id,
            typed(viewer.t("web.cancel_transfer_needs_confirmation")),
        )
        .await;
    }
    if let Err(e) = state.app.cancel_transfer(&viewer.actor(), id, date).await {
        return match form_refusal(&viewer, e) {
            Ok(message) => refused(&state, &viewer, id, typed(message)).await,
            Err(r) => r,
        };
    }
    Redirect::to(&format!("/members/{id}?done=cancel_transfer")).into_response()
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct TransfersPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<MemberView>,
}

pub async fn incoming_transfers(State(state): State<AppState>, viewer: Viewer) -> Response {
    let unit = match home_unit(&viewer, Action::EditMembers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let found = match state.store.incoming_transfers(&unit, 500).await {
        Ok(f) => f,
        Err(e) => return store_problem(&viewer, e),
    };
    let rows = found.iter().map(|m| MemberView::of(m, false, viewer.lang)).collect();
    let rows = match super::view::with_unit_names(&state.store, rows).await {
        Ok(rows) => rows,
        Err(e) => return store_problem(&viewer, e),
    };
    let page = TransfersPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, "/transfers")),
        rows,
    };
    render(page, StatusCode::OK, viewer.lang)
}
