//! What every page shares: translations, the menu, error pages.

use crate::refusal::Refusal;
pub use crate::refusal::status_of_kind;
use crate::request::{api_lang, error as api_error};
use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use hnd_domain::{Action, Lang, Principal, i18n};
use hnd_store::StoreError;
use serde::de::DeserializeOwned;

/// Translations for a template: `{{ t.get("web.key") }}`.
pub struct Tr(pub Lang);

impl Tr {
    pub fn get(&self, key: &str) -> String {
        i18n::t(self.0, key, &[])
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }
}

/// The menu of a signed-in user: only what they may open.
#[derive(Clone)]
pub struct Nav {
    pub user: String,
    pub csrf: String,
    pub members: bool,
    /// The table of figures by province: for who sees a whole province.
    pub figures: bool,
    /// Where the tree opens for this user: their own highest unit.
    pub tree: Option<String>,
    pub import: bool,
    pub audit: bool,
    pub users: bool,
    /// `/lang/en?next=…`: the same page in the other language.
    pub other_lang: String,
}

impl Nav {
    pub fn of(viewer: &Viewer, here: &str) -> Nav {
        let user = &viewer.user;
        let other = if viewer.lang == Lang::Vi { Lang::En } else { Lang::Vi };
        Nav {
            user: user.full_name.clone(),
            csrf: viewer.csrf.clone(),
            members: user.may_somewhere(Action::ViewMembers),
            figures: user
                .grants()
                .iter()
                .any(|g| g.role.allows(Action::ViewMembers) && g.path.matches('/').count() <= PROVINCE_DEPTH),
            tree: user.home(Action::ViewTree).map(|g| format!("/org/{}", g.unit_code)),
            import: user.may_somewhere(Action::Import),
            audit: user.may_somewhere(Action::ViewAudit),
            users: user.may_somewhere(Action::ManageUsers),
            other_lang: format!("/lang/{}?next={}", other.code(), urlencode(here)),
        }
    }
}

/// Slashes in the path of a province (`/1/7/`): its grants cover a whole
/// province.
const PROVINCE_DEPTH: usize = 3;

/// Percent-encodes a query value.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub use crate::request::lang_of;

/// The signed-in user of a request, with what a page needs to answer them.
pub struct Viewer {
    pub user: Principal,
    pub csrf: String,
    pub lang: Lang,
    pub address: String,
}

impl Viewer {
    /// The user as the subject of an operation.
    pub fn actor(&self) -> hnd_app::Actor {
        hnd_app::Actor::user(
            self.user.clone(),
            self.address.clone(),
            hnd_app::Channel::Web,
            self.lang,
        )
    }

    /// Refuses a form whose token is not the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), Response> {
        if !token.is_empty() && constant_time_eq(token.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(problem(
                Some(self),
                self.lang,
                StatusCode::FORBIDDEN,
                i18n::t(self.lang, "web.csrf", &[]),
            ))
        }
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key, &[])
    }
}

/// A form that carries the session's token (`csrf`).
pub trait Tokened {
    fn csrf(&self) -> &str;
}

/// A form posted to a page: who posts it, the page's path parameters
/// `P`, the form `F`, its token already checked. Refused as each part
/// would be on its own: the sign-in, then the path, then the form.
pub struct Posted<P, F> {
    pub viewer: Viewer,
    pub path: P,
    pub form: F,
}

impl<P, F> Posted<P, F> {
    pub fn into_parts(self) -> (Viewer, P, F) {
        (self.viewer, self.path, self.form)
    }
}

impl<S, P, F> FromRequest<S> for Posted<P, F>
where
    S: Send + Sync,
    Viewer: FromRequestParts<S, Rejection = Response>,
    P: DeserializeOwned + Send,
    F: DeserializeOwned + Tokened,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let Path(path) = Path::<P>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(form) = Form::<F>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        viewer.check_csrf(form.csrf())?;
        Ok(Posted { viewer, path, form })
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn render(page: impl Template, status: StatusCode, lang: Lang) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (StatusCode::INTERNAL_SERVER_ERROR, i18n::t(lang, "web.internal", &[])).into_response()
        }
    }
}

/// A page that says one thing went wrong.
#[derive(Template)]
#[template(path = "problem.html")]
struct ProblemPage {
    t: Tr,
    nav: Option<Nav>,
    title: String,
    message: String,
}

/// An error page in `lang`, with the menu when somebody is signed in.
pub fn problem(viewer: Option<&Viewer>, lang: Lang, status: StatusCode, message: String) -> Response {
    let page = ProblemPage {
        t: Tr(lang),
        nav: viewer.map(|v| Nav::of(v, "/")),
        title: i18n::t(lang, "web.error", &[]),
        message,
    };
    render(page, status, lang)
}

/// A store error as a page: a rule of the tree or the register is told
/// as is (404 for what does not exist, 409/400 for a refused change);
/// anything else is logged and told only in general terms.
pub fn store_problem(viewer: &Viewer, e: StoreError) -> Response {
    let (status, message) = status_of(&e, viewer.lang);
    problem(Some(viewer), viewer.lang, status, message)
}

/// The status and the sentence for a store error.
pub fn status_of(e: &StoreError, lang: Lang) -> (StatusCode, String) {
    let kind = hnd_app::kind_of(e);
    if kind == hnd_app::ErrorKind::Internal {
        tracing::error!(error = %e, "store");
        return (StatusCode::INTERNAL_SERVER_ERROR, i18n::t(lang, "web.internal", &[]));
    }
    (status_of_kind(kind), e.message(lang))
}

/// The status and the sentence for a refused or failed operation: what
/// failed inside is logged and told only in general terms.
pub fn app_status(e: hnd_app::AppError, lang: Lang) -> (StatusCode, String) {
    match e {
        hnd_app::AppError::Store(e) => status_of(&e, lang),
        e if e.kind() == hnd_app::ErrorKind::Internal => {
            tracing::error!(error = %e, "operation");
            (StatusCode::INTERNAL_SERVER_ERROR, i18n::t(lang, "web.internal", &[]))
        }
        e => (status_of_kind(e.kind()), e.message(lang)),
    }
}

/// A refused or failed operation as a page.
pub fn app_problem(viewer: &Viewer, e: hnd_app::AppError) -> Response {
    let (status, message) = app_status(e, viewer.lang);
    problem(Some(viewer), viewer.lang, status, message)
}

/// A refusal of an operation told beside its form, as a sentence; a
/// failure, or a refusal of access, as a page of its own.
pub fn told(viewer: &Viewer, e: hnd_app::AppError) -> Result<String, Response> {
    match e.kind() {
        hnd_app::ErrorKind::Internal | hnd_app::ErrorKind::Forbidden => Err(app_problem(viewer, e)),
        _ => Ok(e.message(viewer.lang)),
    }
}

/// The refusal of a request outside the user's part of the tree.
pub fn forbidden(viewer: &Viewer) -> Response {
    problem(
        Some(viewer),
        viewer.lang,
        StatusCode::FORBIDDEN,
        hnd_domain::AccountError::Forbidden.message(viewer.lang),
    )
}

pub async fn not_found(parts: Parts) -> Response {
    let lang = lang_of(&parts);
    if parts.uri.path().starts_with("/api/") {
        return api_error(
            StatusCode::NOT_FOUND,
            "not_found",
            i18n::t(lang, "web.not_found", &[]),
            None,
        );
    }
    problem(None, lang, StatusCode::NOT_FOUND, i18n::t(lang, "web.not_found", &[]))
}

/// Gives the documented shape to the refusals that the framework writes
/// by itself in plain English, or with no body at all: a path or query
/// parameter of the wrong type (400), a form field of the wrong type
/// (422), a method the route does not take (405), a body over its limit
/// (413), a content type not taken (415). Any error answer that is plain
/// text or empty becomes, in the request's language, the JSON error of
/// the API (`{"error": {"code", "message", "field"}}`) under `/api/`, and
/// the error page elsewhere. Answers written by handlers (HTML pages, JSON
/// errors, files) pass untouched.
pub async fn shape_errors(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let api = parts.uri.path().starts_with("/api/");
    let lang = if api { api_lang(&parts) } else { lang_of(&parts) };
    let response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status();
    if let Some(refusal) = response.extensions().get::<Refusal>() {
        let message = refusal.message(lang);
        return if api {
            api_error(status, refusal.code(), message, refusal.field())
        } else {
            problem(None, lang, status, message)
        };
    }
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (code, key) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "web.bad_request"),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid", "web.bad_form"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "web.method_not_allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "web.too_large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "web.unsupported_media_type"),
        StatusCode::NOT_FOUND => ("not_found", "web.not_found"),
        StatusCode::SERVICE_UNAVAILABLE => ("timeout", "web.timeout"),
        s if s.is_server_error() => ("internal", "web.internal"),
        _ => ("refused", "web.request_failed"),
    };
    let message = i18n::t(lang, key, &[]);
    let mut shaped = if api {
        api_error(status, code, message, None)
    } else {
        problem(None, lang, status, message)
    };
    if let Some(allow) = response.headers().get(header::ALLOW) {
        shaped.headers_mut().insert(header::ALLOW, allow.clone());
    }
    shaped
}
