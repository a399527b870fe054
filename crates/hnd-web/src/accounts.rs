//! Accounts on the web, for who manages them (central administrators,
//! province officers): the accounts of their part of the tree, new
//! accounts, roles granted and taken back, password resets, API tokens.
//! A password or token made here is shown once, on the page that made it.

use crate::AppState;
use crate::auth::Viewer;
use crate::members::scope;
use crate::shell::{Nav, Posted, Tokened, Tr, app_problem, render, store_problem};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hnd_app::{AppError, ErrorKind};
use hnd_domain::{AccountError, Action, Role};
use hnd_store::UserRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    unit: String,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, String)>,
    /// What the last action did, or why it was refused.
    notice: Option<String>,
    error: Option<String>,
    /// A password or token made by the last action, shown this once.
    secret: Option<String>,
}

impl UsersPage {
    fn role_label(&self, role: &Role) -> String {
        role.label(self.t.0)
    }
}

#[derive(Deserialize, Default)]
pub struct UsersParams {
    #[serde(default)]
    unit: String,
}

/// Accounts listed on one page at most.
const USERS: i64 = 500;

/// The outcome of an action, shown above the list.
#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    secret: Option<String>,
}

async fn page(state: &AppState, viewer: &Viewer, unit: &str, outcome: Outcome, status: StatusCode) -> Response {
    let (unit, _, path) = match scope(&state.store, viewer, Action::ManageUsers, unit).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // Accounts without any role are the root's administrators' to see.
    let root = path.matches('/').count() == 2;
    let users = match state.store.users_under(&path, root, USERS).await {
        Ok(u) => u,
        Err(e) => return store_problem(viewer, e),
    };
    let page = UsersPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, "/users")),
        csrf: viewer.csrf.clone(),
        unit,
        users,
        roles: Role::ALL.iter().map(|r| (r.code(), r.label(viewer.lang))).collect(),
        notice: outcome.notice,
        error: outcome.error,
        secret: outcome.secret,
    };
    render(page, status, viewer.lang)
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<UsersParams>) -> Response {
    page(&state, &viewer, &q.unit, Outcome::default(), StatusCode::OK).await
}

/// The page after an action: its notice (and secret) or its refusal.
async fn after<T>(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
    done: Result<T, AppError>,
    notice: impl FnOnce(T) -> (String, Option<String>),
) -> Response {
    match done {
        Ok(value) => {
            let (notice, secret) = notice(value);
            let outcome = Outcome {
                notice: Some(notice),
                error: None,
                secret,
            };
            page(state, viewer, unit, outcome, StatusCode::OK).await
        }
        Err(e) if matches!(e.kind(), ErrorKind::Internal) => app_problem(viewer, e),
        Err(e) => {
            let status = crate::shell::status_of_kind(e.kind());
            let outcome = Outcome {
                error: Some(e.message(viewer.lang)),
                ..Outcome::default()
            };
            page(state, viewer, unit, outcome, status).await
        }
    }
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    /// The unit whose accounts the page was showing.
    #[serde(default)]
    unit: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    /// The unit a role is granted on.
    #[serde(default)]
    on: String,
    #[serde(default)]
    label: String,
}

/// The password typed, or one made for the user and shown once.
fn password_or_new(typed: &str) -> (String, bool) {
    match typed.trim() {
        "" => (hnd_store::random_password(), true),
        typed => (typed.to_string(), false),
    }
}

fn role_of(text: &str) -> Result<Role, AppError> {
    Role::parse(text).ok_or_else(|| {
        let role = text.to_string();
        AppError::field(
            "role",
            hnd_store::StoreError::Account(AccountError::UnknownRole { role }),
        )
    })
}

impl Tokened for UserForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A form posted about the account named in the path.
type AccountForm = Posted<String, UserForm>;

pub async fn create(State(state): State<AppState>, viewer: Viewer, Form(f): Form<UserForm>) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let (password, made) = password_or_new(&f.password);
    let done = state
        .app
        .create_user(&viewer.actor(), &f.login, &f.full_name, &password)
        .await;
    let lang = viewer.lang;
    after(&state, &viewer, &f.unit, done, |_| {
        let notice = hnd_domain::i18n::t(lang, "web.user_created", &[("login", &f.login.trim())]);
        (notice, made.then_some(password))
    })
    .await
}

pub async fn grant(state: State<AppState>, posted: AccountForm) -> Response {
    role_change(state, posted, true).await
}

pub async fn revoke(state: State<AppState>, posted: AccountForm) -> Response {
    role_change(state, posted, false).await
}

/// A role given (`grant`) or taken back on a unit.
async fn role_change(State(state): State<AppState>, posted: AccountForm, grant: bool) -> Response {
    let (viewer, login, f) = posted.into_parts();
    let actor = viewer.actor();
    let done = match role_of(&f.role) {
        Ok(role) if grant => state
            .app
            .grant_role(&actor, &login, role, f.on.trim())
            .await
            .map(|_| ()),
        Ok(role) => state
            .app
            .revoke_role(&actor, &login, role, f.on.trim())
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let notice = viewer.t(if grant { "web.role_granted" } else { "web.role_revoked" });
    after(&state, &viewer, &f.unit, done, |_| (notice, None)).await
}

pub async fn password(State(state): State<AppState>, posted: AccountForm) -> Response {
    let (viewer, login, f) = posted.into_parts();
    let (password, made) = password_or_new(&f.password);
    let done = state.app.reset_password(&viewer.actor(), &login, &password).await;
    let notice = viewer.t("web.password_reset");
    after(&state, &viewer, &f.unit, done, |_| (notice, made.then_some(password))).await
}

pub async fn token(State(state): State<AppState>, posted: AccountForm) -> Response {
    let (viewer, login, f) = posted.into_parts();
    let label = if f.label.trim().is_empty() {
        "web"
    } else {
        f.label.trim()
    };
    let done = state.app.issue_token(&viewer.actor(), &login, label).await;
    let notice = viewer.t("web.token_issued");
    after(&state, &viewer, &f.unit, done, |token| (notice, Some(token))).await
}

pub async fn revoke_token(State(state): State<AppState>, posted: Posted<(String, String), UserForm>) -> Response {
    let (viewer, (login, reference), f) = posted.into_parts();
    let done = state.app.revoke_token(&viewer.actor(), &login, &reference).await;
    let notice = viewer.t("web.token_revoked");
    after(&state, &viewer, &f.unit, done, |_| (notice, None)).await
}
