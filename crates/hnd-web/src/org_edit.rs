//! Changing the tree in the browser: rename, add a branch or group, move,
//! merge, split, dissolve. One page per unit gathers the forms; merging
//! and dissolving say first what will move (units and members) and need
//! a ticked confirmation. Each change is an operation of the application
//! layer (`hnd_app::App`), which asks the policy about every unit it names.

use crate::AppState;
use crate::auth::Viewer;
use crate::request::Answer;
use crate::shell::{Nav, Posted, Tokened, Tr, app_problem, forbidden, problem, render, store_problem};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::{AppError, Codes};
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

impl Tokened for OrgForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A change posted to the unit in the path.
type Change = Posted<String, OrgForm>;

fn refused(viewer: &Viewer, e: impl Into<OrgError>) -> Response {
    let e: OrgError = e.into();
    problem(
        Some(viewer),
        viewer.lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        e.message(viewer.lang),
    )
}

/// The form's day (today when empty). What the change names is checked
/// by its operation.
fn day_of(c: &Change) -> Result<Day, Response> {
    Day::parse_or_today(&c.form.date).map_err(|e| refused(&c.viewer, e))
}

/// The page `to` once the change is made, or its refusal.
fn done(c: &Change, made: Result<(), AppError>, to: &str) -> Answer {
    made.map_err(|e| app_problem(&c.viewer, e))?;
    Ok(Redirect::to(to).into_response())
}

fn unit_page(code: &str) -> String {
    format!("/org/{code}")
}

pub async fn rename(State(state): State<AppState>, c: Change) -> Answer {
    let date = day_of(&c)?;
    let name = UnitName::parse(&c.form.name).map_err(|e| refused(&c.viewer, e))?;
    let made = state.app.rename_unit(&c.viewer.actor(), &c.path, &name, date).await;
    done(&c, made, &unit_page(&c.path))
}

pub async fn add_child(State(state): State<AppState>, c: Change) -> Answer {
    let date = day_of(&c)?;
    let (code, f) = (&c.path, &c.form);
    let parent = state
        .store
        .unit(code, date)
        .await
        .map_err(|e| store_problem(&c.viewer, e))?
        .unit;
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
            return Err(refused(&c.viewer, e));
        }
    };
    let unit = match (
        UnitCode::parse(&f.code),
        UnitName::parse(&f.name),
        UnitCode::parse(code),
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
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Err(refused(&c.viewer, e)),
    };
    // The code must fit its place (no other commune's or province's).
    let new_code = unit_page(unit.code.as_str());
    let made = state
        .app
        .create_unit(&c.viewer.actor(), unit, date, Codes::Checked)
        .await;
    done(&c, made, &new_code)
}

pub async fn move_unit(State(state): State<AppState>, c: Change) -> Answer {
    let date = day_of(&c)?;
    let parent = c.form.parent.trim();
    let made = state.app.move_unit(&c.viewer.actor(), &c.path, parent, date).await;
    done(&c, made, &unit_page(&c.path))
}

fn unconfirmed(viewer: &Viewer) -> Response {
    problem(
        Some(viewer),
        viewer.lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        viewer.t("web.org_needs_confirmation"),
    )
}

pub async fn merge(State(state): State<AppState>, c: Change) -> Answer {
    let date = day_of(&c)?;
    let (code, into) = (&c.path, c.form.into.trim());
    if c.form.confirm.is_none() {
        // Who may not make the change is told so before being asked to confirm.
        allow(&state.store, &c.viewer, code, Reach::Itself).await?;
        allow(&state.store, &c.viewer, into, Reach::Below).await?;
        return Err(unconfirmed(&c.viewer));
    }
    let sources = std::slice::from_ref(code);
    let made = state.app.merge_units(&c.viewer.actor(), sources, into, date).await;
    done(&c, made, &unit_page(into))
}

pub async fn split(State(state): State<AppState>, c: Change) -> Answer {
    let date = day_of(&c)?;
    let mut parts = Vec::new();
    for line in c.form.parts.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (code, name) = line.split_once(';').unwrap_or((line, ""));
        match (UnitCode::parse(code), UnitName::parse(name)) {
            (Ok(code), Ok(name)) => parts.push(SplitPart { code, name }),
            (Err(e), _) | (_, Err(e)) => return Err(refused(&c.viewer, e)),
        }
    }
    let assign: Vec<(String, String)> = c
        .form
        .assign
        .lines()
        .filter_map(|l| l.split_once(';'))
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .collect();
    // The parts hang under the source's parent: their codes must fit there.
    let made = state
        .app
        .split_unit(&c.viewer.actor(), &c.path, &parts, &assign, date, Codes::Checked)
        .await;
    done(&c, made, &unit_page(parts.first().map_or(&c.path, |p| p.code.as_str())))
}

pub async fn dissolve(State(state): State<AppState>, c: Change) -> Answer {
    let date = day_of(&c)?;
    if c.form.confirm.is_none() {
        allow(&state.store, &c.viewer, &c.path, Reach::Itself).await?;
        return Err(unconfirmed(&c.viewer));
    }
    let made = state.app.dissolve_unit(&c.viewer.actor(), &c.path, date).await;
    done(&c, made, "/org")
}
