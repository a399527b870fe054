//! Changing the tree in the browser: rename, add a branch or group, move,
//! merge, split, dissolve. One page per unit gathers the forms; merging
//! and dissolving say first what will move (units and members) and need
//! a ticked confirmation.

use crate::AppState;
use crate::auth::Viewer;
use crate::members::{audit, change_of};
use crate::shell::{Nav, Tr, forbidden, problem, render, store_problem};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::{Action, Day, Kind, Level, OrgError, UnitCode, UnitName, fmt::int, i18n};
use hnd_store::{NewUnit, SplitPart, Store};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "org_edit.html")]
struct EditPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    code: String,
    name: String,
    level: String,
    /// "branch" or "group": what may be added under this unit, if anything.
    child_level: Option<&'static str>,
    below: String,
    members: String,
    today: String,
    /// Whether the unit itself may be renamed, moved, merged, split or
    /// dissolved by this user (from above only).
    reshape: bool,
}

/// What a change asks of a unit it names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Changes below it (a child added, a unit moved or merged into it):
    /// `EditTree` on it.
    Below,
    /// Changes the unit itself (rename, move, merge away, split,
    /// dissolve): `Principal::may_reshape`, from a grant above it.
    Itself,
}

/// Checks the user's right on `code` (today's tree) for `reach`; its id
/// and path.
async fn allow(store: &Store, viewer: &Viewer, code: &str, reach: Reach) -> Result<(i64, String), Response> {
    let (id, path) = store.unit_path(code).await.map_err(|e| store_problem(viewer, e))?;
    let allowed = match reach {
        Reach::Below => viewer.user.may(Action::EditTree, &path),
        Reach::Itself => viewer.user.may_reshape(&path),
    };
    if allowed {
        Ok((id, path))
    } else {
        Err(forbidden(viewer))
    }
}

pub async fn edit_page(State(state): State<AppState>, viewer: Viewer, Path(code): Path<String>) -> Response {
    let path = match allow(&state.store, &viewer, &code, Reach::Below).await {
        Ok((_, path)) => path,
        Err(r) => return r,
    };
    let today = Day::today();
    let details = match state.store.unit(&code, today).await {
        Ok(d) => d,
        Err(e) => return store_problem(&viewer, e),
    };
    let (counts, members) = match tokio::try_join!(
        state.store.subtree_counts(&details.unit, today),
        state.store.count_members(&code, today)
    ) {
        Ok(x) => x,
        Err(e) => return store_problem(&viewer, e),
    };
    let below: i64 = Level::ALL
        .into_iter()
        .filter(|l| *l > details.unit.level)
        .map(|l| counts.get(l))
        .sum();
    let lang = viewer.lang;
    let page = EditPage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, &format!("/org/{code}/edit"))),
        csrf: viewer.csrf.clone(),
        child_level: match details.unit.level {
            Level::Base => Some("branch"),
            Level::Branch => Some("group"),
            _ => None,
        },
        level: i18n::t(lang, details.unit.level.label_key(), &[]),
        name: details.unit.name,
        below: int(below, lang),
        members: int(members, lang),
        today: today.to_string(),
        reshape: viewer.user.may_reshape(&path),
        code,
    };
    render(page, StatusCode::OK, lang)
}

/// The form of every change: the fields it uses, the token, the day.
#[derive(Deserialize, Default)]
pub struct OrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    trade: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    into: String,
    /// Split: one "CODE;Name" per line.
    #[serde(default)]
    parts: String,
    /// Split: one "child code;part code" per line.
    #[serde(default)]
    assign: String,
    #[serde(default)]
    confirm: Option<String>,
}

fn refused(viewer: &Viewer, e: OrgError) -> Response {
    problem(
        Some(viewer),
        viewer.lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        e.message(viewer.lang),
    )
}

/// Token, access on `code` for `reach` (and `EditTree` on `other`, the
/// unit the change reaches: new parent or merge target), the day. Returns
/// the unit's id and the day.
async fn prepare(
    store: &Store,
    viewer: &Viewer,
    (code, reach): (&str, Reach),
    other: Option<&str>,
    form: &OrgForm,
) -> Result<(i64, Day), Response> {
    viewer.check_csrf(&form.csrf)?;
    let (id, _) = allow(store, viewer, code, reach).await?;
    if let Some(other) = other {
        allow(store, viewer, other.trim(), Reach::Below).await?;
    }
    let date = Day::parse_or_today(&form.date).map_err(|e| refused(viewer, e))?;
    Ok((id, date))
}

fn done(code: &str) -> Response {
    Redirect::to(&format!("/org/{code}")).into_response()
}

pub async fn rename(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    let (id, date) = match prepare(&state.store, &viewer, (&code, Reach::Itself), None, &f).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let name = match UnitName::parse(&f.name) {
        Ok(n) => n,
        Err(e) => return refused(&viewer, e),
    };
    let before = state
        .store
        .unit(&code, date)
        .await
        .map(|u| u.unit.name)
        .unwrap_or_default();
    if let Err(e) = state.store.rename(&code, &name, date, &change_of(&viewer, "web")).await {
        return store_problem(&viewer, e);
    }
    let detail = serde_json::json!({"before": {"name": before}, "after": {"name": name.as_str()}, "date": date.iso()});
    audit(&state.store, &viewer, "org.rename", None, Some(id), detail).await;
    done(&code)
}

pub async fn add_child(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    let (id, date) = match prepare(&state.store, &viewer, (&code, Reach::Below), None, &f).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let parent = match state.store.unit(&code, date).await {
        Ok(u) => u.unit,
        Err(e) => return store_problem(&viewer, e),
    };
    let level = match parent.level {
        Level::Base => Level::Branch,
        Level::Branch => Level::Group,
        _ => {
            let e = OrgError::LevelNotAllowed {
                code: f.code.clone(),
                level: Level::Branch,
                parent: code.clone(),
                parent_level: parent.level,
            };
            return refused(&viewer, e);
        }
    };
    let unit = match (
        UnitCode::parse(&f.code),
        UnitName::parse(&f.name),
        UnitCode::parse(&code),
    ) {
        (Ok(c), Ok(n), Ok(p)) => NewUnit {
            code: c,
            name: n,
            level,
            kind: Kind::parse(&f.kind).or(Some(Kind::Residential)),
            trade: Some(f.trade.trim().to_string()).filter(|t| !t.is_empty()),
            parent: p,
            admin_commune: None,
            founded: None,
        },
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return refused(&viewer, e),
    };
    // The code must fit its place (no other commune's or province's).
    if let Err(e) = state.store.check_child_code(&unit.code, parent.id, date).await {
        return store_problem(&viewer, e);
    }
    let new_code = unit.code.to_string();
    let new_name = unit.name.as_str().to_string();
    if let Err(e) = state
        .store
        .create_units(vec![unit], date, &change_of(&viewer, "web"), "create")
        .await
    {
        return store_problem(&viewer, e);
    }
    let detail = serde_json::json!({"after": {"code": new_code, "name": new_name, "parent": code}, "date": date.iso()});
    audit(&state.store, &viewer, "org.create", None, Some(id), detail).await;
    done(&new_code)
}

pub async fn move_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    let (id, date) = match prepare(&state.store, &viewer, (&code, Reach::Itself), Some(&f.parent), &f).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let before = state.store.unit(&code, date).await.ok().and_then(|u| u.unit.parent_id);
    if let Err(e) = state
        .store
        .move_unit(&code, f.parent.trim(), date, &change_of(&viewer, "web"))
        .await
    {
        return store_problem(&viewer, e);
    }
    let detail =
        serde_json::json!({"before": {"parent_id": before}, "after": {"parent": f.parent.trim()}, "date": date.iso()});
    audit(&state.store, &viewer, "org.move", None, Some(id), detail).await;
    done(&code)
}

fn unconfirmed(viewer: &Viewer) -> Response {
    problem(
        Some(viewer),
        viewer.lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        viewer.t("web.org_needs_confirmation"),
    )
}

pub async fn merge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    let (id, date) = match prepare(&state.store, &viewer, (&code, Reach::Itself), Some(&f.into), &f).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if f.confirm.is_none() {
        return unconfirmed(&viewer);
    }
    let into = f.into.trim().to_string();
    if let Err(e) = state
        .store
        .merge(std::slice::from_ref(&code), &into, date, &change_of(&viewer, "web"))
        .await
    {
        return store_problem(&viewer, e);
    }
    let detail = serde_json::json!({"before": {"unit": code}, "after": {"merged_into": into}, "date": date.iso()});
    audit(&state.store, &viewer, "org.merge", None, Some(id), detail).await;
    done(&into)
}

pub async fn split(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    let (id, date) = match prepare(&state.store, &viewer, (&code, Reach::Itself), None, &f).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut parts = Vec::new();
    for line in f.parts.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (c, n) = line.split_once(';').unwrap_or((line, ""));
        match (UnitCode::parse(c), UnitName::parse(n)) {
            (Ok(code), Ok(name)) => parts.push(SplitPart { code, name }),
            (Err(e), _) | (_, Err(e)) => return refused(&viewer, e),
        }
    }
    // The parts hang under the source's parent: their codes must fit there.
    let parent = match state.store.unit(&code, date).await {
        Ok(u) => u.unit.parent_id,
        Err(e) => return store_problem(&viewer, e),
    };
    if let Some(parent) = parent {
        for part in &parts {
            if let Err(e) = state.store.check_child_code(&part.code, parent, date).await {
                return store_problem(&viewer, e);
            }
        }
    }
    let assign: Vec<(String, String)> = f
        .assign
        .lines()
        .filter_map(|l| l.split_once(';'))
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .collect();
    if let Err(e) = state
        .store
        .split(&code, &parts, &assign, date, &change_of(&viewer, "web"))
        .await
    {
        return store_problem(&viewer, e);
    }
    let names: Vec<String> = parts.iter().map(|p| p.code.to_string()).collect();
    let detail =
        serde_json::json!({"before": {"unit": code}, "after": {"parts": names, "assign": assign}, "date": date.iso()});
    audit(&state.store, &viewer, "org.split", None, Some(id), detail).await;
    done(&names[0])
}

pub async fn dissolve(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    let (id, date) = match prepare(&state.store, &viewer, (&code, Reach::Itself), None, &f).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if f.confirm.is_none() {
        return unconfirmed(&viewer);
    }
    let parent = state.store.unit(&code, date).await.ok().and_then(|u| u.unit.parent_id);
    if let Err(e) = state.store.dissolve(&code, date, &change_of(&viewer, "web")).await {
        return store_problem(&viewer, e);
    }
    let detail = serde_json::json!({"before": {"unit": code, "parent_id": parent}, "after": null, "date": date.iso()});
    audit(&state.store, &viewer, "org.dissolve", None, Some(id), detail).await;
    Redirect::to("/org").into_response()
}
