//! Removal (xóa tên) or death, from a member's page.

use crate::AppState;
use crate::auth::Viewer;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::Day;
use serde::Deserialize;

use super::page::{Typed, form_refusal, refused};

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    reason: String,
    /// "removed" or "dead".
    #[serde(default)]
    kind: String,
    /// The confirmation box.
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<RemoveForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let typed = |error: String| Typed {
        reason: f.reason.clone(),
        kind: f.kind.clone(),
        remove_date: f.date.clone(),
        remove_error: Some(error),
        ..Typed::default()
    };
    let date = match Day::parse_or_today(&f.date) {
        Ok(d) => d,
        Err(e) => return refused(&state, &viewer, id, typed(e.message(viewer.lang))).await,
    };
    if f.confirm.is_none() || f.reason.trim().is_empty() {
        return refused(&state, &viewer, id, typed(viewer.t("web.remove_needs_confirmation"))).await;
    }
    let kind = if f.kind == "dead" {
        hnd_app::EndKind::Death
    } else {
        hnd_app::EndKind::Removed
    };
    match state
        .app
        .end_membership(&viewer.actor(), id, date, kind, &f.reason)
        .await
    {
        Ok(()) => Redirect::to(&format!("/members/{id}?done=remove")).into_response(),
        Err(e) => match form_refusal(&viewer, e) {
            Ok(message) => refused(&state, &viewer, id, typed(message)).await,
            Err(r) => r,
        },
    }
}
