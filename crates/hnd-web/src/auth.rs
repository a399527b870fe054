//! Signing in and out, the session of each request, form tokens (CSRF)
//! and the sign-in rate limit.
//!
//! The session cookie is HttpOnly and SameSite=Lax (and Secure when
//! `HND_SECURE_COOKIES=1`, for installations behind HTTPS); the store
//! keeps only a hash of it. Every form carries the session's token, and
//! every POST handler checks it before it reads anything else. Sign-in is
//! throttled, never locked: per (login, address) pair and per login under
//! attack in the store (`hnd_store::accounts`), and per address here (at
//! most [`MAX_FAILURES_PER_ADDRESS`] failures per [`WINDOW`]), so one
//! address cannot try many accounts. Every refusal (unknown login, wrong
//! password, throttled) is the same page with the same status (401) and
//! the same sentence, and takes about as long: an address over its limit
//! still has its password checked against a dummy hash.

use crate::AppState;
use crate::request::cookie;
pub use crate::shell::Viewer;
use crate::shell::constant_time_eq;
use crate::shell::{Tr, lang_of, problem, render, urlencode};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use hnd_app::AppError;
use hnd_domain::{AccountError, Lang, Principal, i18n};
use hnd_store::StoreError;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "hnd_session";
const LOGIN_CSRF_COOKIE: &str = "hnd_login";
/// Failed sign-ins one address may make per window.
pub const MAX_FAILURES_PER_ADDRESS: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The value of cookie `name` in a request's headers.
fn set_cookie(name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if std::env::var("HND_SECURE_COOKIES").as_deref() == Ok("1") {
        "; Secure"
    } else {
        ""
    };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"))
        .expect("cookie values are hex")
}

/// The client's address: the socket's peer.
pub fn address_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Sessions read in the last [`SessionCache::TTL`]: a page costs no
/// session queries while the user keeps clicking. Signing out and
/// password changes in this server clear the entry at once; a grant
/// revoked from the command line takes effect within the TTL.
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, (Instant, Principal, String)>>,
}

impl SessionCache {
    pub const TTL: Duration = Duration::from_secs(2);

    fn get(&self, token: &str) -> Option<(Principal, String)> {
        let map = self.entries.lock().expect("session cache lock");
        map.get(token)
            .filter(|(at, _, _)| at.elapsed() < Self::TTL)
            .map(|(_, p, c)| (p.clone(), c.clone()))
    }

    fn put(&self, token: &str, principal: &Principal, csrf: &str) {
        let mut map = self.entries.lock().expect("session cache lock");
        if map.len() > 10_000 {
            map.retain(|_, (at, _, _)| at.elapsed() < Self::TTL);
        }
        map.insert(token.to_string(), (Instant::now(), principal.clone(), csrf.to_string()));
    }

    pub fn clear(&self) {
        self.entries.lock().expect("session cache lock").clear();
    }
}

/// The live session of `token`: from the cache, else the store.
pub async fn session_of(state: &AppState, token: &str) -> Result<Option<(Principal, String)>, StoreError> {
    if let Some(hit) = state.sessions.get(token) {
        return Ok(Some(hit));
    }
    let found = state.store.session(token, Utc::now()).await?;
    if let Some((principal, csrf)) = &found {
        state.sessions.put(token, principal, csrf);
    }
    Ok(found)
}

/// The user of an API token: from the cache, else the store.
pub async fn api_principal_of(state: &AppState, token: &str) -> Result<Option<Principal>, StoreError> {
    let key = format!("bearer {token}");
    if let Some((principal, _)) = state.sessions.get(&key) {
        return Ok(Some(principal));
    }
    let found = state.store.api_principal(token).await?;
    if let Some(principal) = &found {
        state.sessions.put(&key, principal, "");
    }
    Ok(found)
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Response> {
        let lang = lang_of(parts);
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => session_of(state, &token).await,
            None => Ok(None),
        };
        match session {
            Ok(Some((user, csrf))) => Ok(Viewer {
                user,
                csrf,
                lang,
                address: address_of(parts),
            }),
            Ok(None) => {
                let here = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                Err(Redirect::to(&format!("/login?next={}", urlencode(here))).into_response())
            }
            Err(e) => {
                tracing::error!(error = %e, "session");
                Err(problem(
                    None,
                    lang,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    i18n::t(lang, "web.internal", &[]),
                ))
            }
        }
    }
}

/// Failed sign-ins per address within a window.
#[derive(Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl SignInLimiter {
    fn blocked(&self, address: &str) -> bool {
        let Ok(ip) = address.parse::<IpAddr>() else {
            return false;
        };
        let map = self.failures.lock().expect("limiter lock");
        map.get(&ip)
            .is_some_and(|(n, since)| *n >= MAX_FAILURES_PER_ADDRESS && since.elapsed() < WINDOW)
    }

    fn failed(&self, address: &str) {
        let Ok(ip) = address.parse::<IpAddr>() else { return };
        let mut map = self.failures.lock().expect("limiter lock");
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    nav: Option<crate::shell::Nav>,
    csrf: String,
    next: String,
    login: String,
    error: Option<String>,
    /// On a database without a tree: how to fill it.
    empty: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

/// Only a path of this site may be returned to after sign-in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn login_form(lang: Lang, next: String, login: String, error: Option<String>, status: StatusCode) -> Response {
    login_page_with(lang, next, login, error, None, status)
}

fn login_page_with(
    lang: Lang,
    next: String,
    login: String,
    error: Option<String>,
    empty: Option<String>,
    status: StatusCode,
) -> Response {
    let csrf = hnd_store::secret();
    let page = LoginPage {
        t: Tr(lang),
        nav: None,
        csrf: csrf.clone(),
        next,
        login,
        error,
        empty,
    };
    let mut response = render(page, status, lang);
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &csrf, Some(3600)));
    response
}

pub async fn login_page(State(state): State<AppState>, parts: Parts, Query(q): Query<Next>) -> Response {
    let lang = lang_of(&parts);
    let empty = state
        .store
        .tree_is_empty()
        .await
        .unwrap_or(false)
        .then(|| i18n::t(lang, "web.empty_db", &[]));
    let next = safe_next(q.next.as_deref());
    login_page_with(lang, next, String::new(), None, empty, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

pub async fn login(State(state): State<AppState>, parts: Parts, Form(form): Form<LoginForm>) -> Response {
    let lang = lang_of(&parts);
    let address = address_of(&parts);
    let next = safe_next(Some(&form.next));
    // The sign-in form's token is the one set with it (double submit).
    let expected = cookie(&parts.headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        let error = i18n::t(lang, "web.csrf", &[]);
        return login_form(lang, next, form.login, Some(error), StatusCode::FORBIDDEN);
    }
    let login = form.login.trim().to_string();
    let outcome = if state.limiter.blocked(&address) {
        Err(state.store.refuse_sign_in(&form.password).await.into())
    } else {
        let visitor = hnd_app::Actor::visitor(address.clone(), hnd_app::Channel::Web, lang);
        state.app.sign_in(&visitor, &login, &form.password).await
    };
    match outcome {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            let headers = response.headers_mut();
            headers.append(SET_COOKIE, set_cookie(SESSION_COOKIE, &session.token, None));
            headers.append(SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, "", Some(0)));
            response
        }
        Err(AppError::Store(StoreError::Account(e))) => {
            if e == AccountError::BadCredentials {
                state.limiter.failed(&address);
            }
            login_form(lang, next, login, Some(e.message(lang)), StatusCode::UNAUTHORIZED)
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in");
            let error = i18n::t(lang, "web.internal", &[]);
            login_form(lang, next, login, Some(error), StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    parts: Parts,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = viewer.check_csrf(&form.csrf) {
        return refused;
    }
    if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
        if let Err(e) = state.app.sign_out(&viewer.actor(), &token).await {
            tracing::error!(error = %e, "sign-out");
        }
        state.sessions.clear();
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0)));
    response
}

/// Switches the language (a cookie) and goes back to `next`.
pub async fn set_lang(Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let mut response = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie("hnd_lang", lang.code(), Some(365 * 86400)));
    response
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    t: Tr,
    nav: Option<crate::shell::Nav>,
    csrf: String,
    error: Option<String>,
    done: bool,
}

fn password_page(viewer: &Viewer, error: Option<String>, done: bool, status: StatusCode) -> Response {
    let page = PasswordPage {
        t: Tr(viewer.lang),
        nav: Some(crate::shell::Nav::of(viewer, "/account/password")),
        csrf: viewer.csrf.clone(),
        error,
        done,
    };
    render(page, status, viewer.lang)
}

pub async fn password_form(viewer: Viewer) -> Response {
    password_page(&viewer, None, false, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// A user's own password change: the current one checked like a sign-in
/// (so it counts towards the lockout), then every session ended and a new
/// one opened for this browser.
pub async fn change_password(State(state): State<AppState>, viewer: Viewer, Form(f): Form<PasswordForm>) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    if f.new != f.repeat {
        let error = viewer.t("web.password_mismatch");
        return password_page(&viewer, Some(error), false, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let session = match state.app.change_password(&viewer.actor(), &f.current, &f.new).await {
        Ok(session) => session,
        Err(e) => {
            let (status, message) = crate::shell::app_status(e, viewer.lang);
            return password_page(&viewer, Some(message), false, status);
        }
    };
    state.sessions.clear();
    let fresh = Viewer {
        user: viewer.user.clone(),
        csrf: session.csrf.clone(),
        lang: viewer.lang,
        address: viewer.address.clone(),
    };
    let mut response = password_page(&fresh, None, true, StatusCode::OK);
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie(SESSION_COOKIE, &session.token, None));
    response
}
