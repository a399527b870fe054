//! Who made a change, the audit entries the adapters write, and the audit
//! pages (a member's trail, the log of a subtree).

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, render, store_problem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hnd_domain::{Action, Lang, i18n};
use hnd_store::{AuditEntry, AuditFilter};
use serde::Deserialize;

use super::page::form_day;
use super::view::{allow_member, scope};

// ---------------------------------------------------------------- audit

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    nav: Option<Nav>,
    title: String,
    entries: Vec<AuditRow>,
    f: AuditParams,
    show_filters: bool,
}

struct AuditRow {
    at: String,
    actor: String,
    address: String,
    action: String,
    unit: String,
    member: String,
    detail: String,
}

/// The entries as rows, each unit by its name (`names`, by code) with its code.
fn audit_rows(
    entries: Vec<AuditEntry>,
    names: &std::collections::HashMap<String, String>,
    lang: Lang,
) -> Vec<AuditRow> {
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    entries
        .into_iter()
        .map(|e| AuditRow {
            at: chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|d| d.with_timezone(&vn).format("%d/%m/%Y %H:%M:%S").to_string())
                .unwrap_or(e.at),
            actor: e.actor,
            address: e.address,
            action: crate::audit_text::action(&e.action, lang),
            unit: match e.unit_code {
                Some(code) => match names.get(&code) {
                    Some(name) => format!("{name} ({code})"),
                    None => code,
                },
                None => String::new(),
            },
            member: e.member_id.map(|m| m.to_string()).unwrap_or_default(),
            detail: crate::audit_text::detail(&e.detail, lang),
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct AuditParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    actor: String,
    /// dd/mm/yyyy, inclusive.
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn member_audit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    if let Err(r) = allow_member(&state.store, &viewer, Action::ViewAudit, id).await {
        return r;
    }
    let filter = AuditFilter {
        member_id: Some(id),
        limit: 500,
        ..Default::default()
    };
    let title = i18n::t(viewer.lang, "web.member_audit", &[("id", &id)]);
    let page = (format!("/members/{id}/audit"), title, None);
    audit_answer(&state, &viewer, &filter, page).await
}

/// The log's page: the entries `filter` reads, under `title` at `path`;
/// with the filter form filled in with `filters` when it has one.
async fn audit_answer(
    state: &AppState,
    viewer: &Viewer,
    filter: &AuditFilter,
    (path, title, filters): (String, String, Option<AuditParams>),
) -> Response {
    let entries = match state.store.audit_entries(filter).await {
        Ok(e) => e,
        Err(e) => return store_problem(viewer, e),
    };
    let codes: Vec<&str> = entries.iter().filter_map(|e| e.unit_code.as_deref()).collect();
    let names = match state.store.unit_names(&codes).await {
        Ok(names) => names,
        Err(e) => return store_problem(viewer, e),
    };
    let page = AuditPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, &path)),
        title,
        entries: audit_rows(entries, &names, viewer.lang),
        show_filters: filters.is_some(),
        f: filters.unwrap_or_default(),
    };
    render(page, StatusCode::OK, viewer.lang)
}

pub async fn audit_page(State(state): State<AppState>, viewer: Viewer, Query(f): Query<AuditParams>) -> Response {
    let (unit, _, path) = match scope(&state.store, &viewer, Action::ViewAudit, &f.unit).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let day = |s: &str| -> Result<Option<String>, Response> {
        match s.trim() {
            "" => Ok(None),
            t => form_day(&viewer, t).map(|d| Some(d.iso())),
        }
    };
    let (from, to) = match (day(&f.from), day(&f.to)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    // The root's log holds every entry not tied to a unit (sign-ins, ...):
    // only who may see the whole tree's log reads it unfiltered; everyone
    // else reads the entries of the units of the subtree asked for.
    let whole_tree = path.matches('/').count() == 2;
    let filter = AuditFilter {
        subtree: (!whole_tree).then_some(path),
        actor: Some(f.actor.trim().to_string()).filter(|a| !a.is_empty()),
        from,
        to,
        limit: 500,
        ..Default::default()
    };
    let page = (
        "/audit".to_string(),
        viewer.t("web.audit"),
        Some(AuditParams { unit, ..f }),
    );
    audit_answer(&state, &viewer, &filter, page).await
}
