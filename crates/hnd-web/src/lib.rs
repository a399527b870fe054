//! The web application of `hnd`: server-rendered pages and the JSON API
//! over the store.
//!
//! Pages are askama templates (checked at compile time, escaped by
//! default); every string a person reads comes from the locale files.
//! Every route is declared once, in [`routes`], with the access it needs:
//! the router is built from that table and the access tests walk it, so a
//! new route cannot be left out of either.

// Handlers answer errors with a whole page (`Response`); that is the cold
// path, so its size in `Result` does not matter.
#![allow(clippy::result_large_err)]

mod api;
mod auth;
mod dashboard;
mod files;
mod members;
mod ops;
mod org_edit;
mod pages;
mod plan_pages;
mod profiles;
mod shell;
mod tasks;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};
use hnd_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

pub use auth::{SESSION_COOKIE, SignInLimiter};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    limiter: Arc<SignInLimiter>,
    jobs: Arc<files::Jobs>,
    /// Where uploaded files and error files are kept while an import runs.
    work_dir: PathBuf,
    metrics: Arc<ops::Metrics>,
    sessions: Arc<auth::SessionCache>,
    /// One JSON line per request on standard error.
    pub log_requests: bool,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        let work_dir = std::env::temp_dir().join(format!("hnd-web-{}", std::process::id()));
        AppState {
            store,
            limiter: Arc::new(SignInLimiter::default()),
            jobs: Arc::new(files::Jobs::default()),
            work_dir,
            metrics: Arc::new(ops::Metrics::default()),
            sessions: Arc::new(auth::SessionCache::default()),
            log_requests: false,
        }
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Store {
        state.store.clone()
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in page, health, API description).
    Public,
    /// Any signed-in user; what the page shows is limited to their grants.
    SignedIn,
    /// A signed-in user allowed this action on the unit or member the
    /// route names (`{code}` or `{id}`), or on the unit named in the
    /// request for routes that name none.
    Needs(hnd_domain::Action),
    /// A signed-in user who may read the task the route names (`{id}`):
    /// whoever may read its plan, or an account acting for a body the
    /// task names; with `report`, who may report on it (an officer of the
    /// plan's issuing unit, or that body's account).
    Task { report: bool },
}

/// One route: method, path pattern, the access it needs, its handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route {
        method,
        path,
        access,
        handler,
    }
}

/// Every route of the application.
pub fn routes() -> Vec<Route> {
    use Access::*;
    use hnd_domain::Action::*;
    let (g, p) = (Method::GET, Method::POST);
    vec![
        route(g.clone(), "/healthz", Public, get(|| async { "ok" })),
        route(g.clone(), "/login", Public, get(auth::login_page)),
        route(p.clone(), "/login", Public, post(auth::login)),
        route(p.clone(), "/logout", SignedIn, post(auth::logout)),
        route(g.clone(), "/lang/{code}", Public, get(auth::set_lang)),
        route(g.clone(), "/account/password", SignedIn, get(auth::password_form)),
        route(p.clone(), "/account/password", SignedIn, post(auth::change_password)),
        route(g.clone(), "/", SignedIn, get(members::home)),
        route(g.clone(), "/org", Needs(ViewTree), get(pages::root_unit)),
        route(g.clone(), "/org/{code}", Needs(ViewTree), get(pages::unit)),
        route(g.clone(), "/org/{code}/edit", Needs(EditTree), get(org_edit::edit_page)),
        route(p.clone(), "/org/{code}/rename", Needs(EditTree), post(org_edit::rename)),
        route(
            p.clone(),
            "/org/{code}/children",
            Needs(EditTree),
            post(org_edit::add_child),
        ),
        route(
            p.clone(),
            "/org/{code}/move",
            Needs(EditTree),
            post(org_edit::move_unit),
        ),
        route(p.clone(), "/org/{code}/merge", Needs(EditTree), post(org_edit::merge)),
        route(p.clone(), "/org/{code}/split", Needs(EditTree), post(org_edit::split)),
        route(
            p.clone(),
            "/org/{code}/dissolve",
            Needs(EditTree),
            post(org_edit::dissolve),
        ),
        route(g.clone(), "/dashboard", Needs(ViewMembers), get(dashboard::dashboard)),
        route(g.clone(), "/plans", SignedIn, get(plan_pages::list)),
        route(
            p.clone(),
            "/plans/indicators",
            Needs(EditPlans),
            post(plan_pages::add_indicator),
        ),
        route(g.clone(), "/figures", Needs(ViewMembers), get(plan_pages::figures)),
        route(g.clone(), "/plans/{number}", Needs(ViewMembers), get(plan_pages::show)),
        route(
            g.clone(),
            "/plans/{number}/targets.xlsx",
            Needs(ViewMembers),
            get(plan_pages::targets_sheet),
        ),
        route(
            p.clone(),
            "/plans/{number}/split",
            Needs(EditPlans),
            post(plan_pages::split),
        ),
        route(
            p.clone(),
            "/plans/{number}/targets",
            Needs(EditPlans),
            post(plan_pages::upload_targets).layer(DefaultBodyLimit::max(plan_pages::MAX_TARGETS_SHEET)),
        ),
        route(g.clone(), "/tasks", SignedIn, get(tasks::list)),
        route(g.clone(), "/tasks/{id}", Task { report: false }, get(tasks::show)),
        route(
            p.clone(),
            "/tasks/{id}",
            Task { report: true },
            post(tasks::report).layer(DefaultBodyLimit::max(tasks::MAX_REPORT)),
        ),
        route(
            g.clone(),
            "/tasks/{id}/files/{file}",
            Task { report: false },
            get(tasks::file),
        ),
        route(g.clone(), "/members", Needs(ViewMembers), get(members::list)),
        route(g.clone(), "/members/new", Needs(EditMembers), get(members::new_form)),
        route(p.clone(), "/members", Needs(EditMembers), post(members::create)),
        route(g.clone(), "/members/{id}", Needs(ViewMembers), get(members::show)),
        route(
            p.clone(),
            "/members/{id}/transfer",
            Needs(EditMembers),
            post(members::transfer),
        ),
        route(
            p.clone(),
            "/members/{id}/confirm-transfer",
            Needs(EditMembers),
            post(members::confirm_transfer),
        ),
        route(
            p.clone(),
            "/members/{id}/cancel-transfer",
            Needs(EditMembers),
            post(members::cancel_transfer),
        ),
        route(
            p.clone(),
            "/members/{id}/remove",
            Needs(EditMembers),
            post(members::remove),
        ),
        route(
            g.clone(),
            "/members/{id}/profile",
            Needs(EditMembers),
            get(profiles::edit_form),
        ),
        route(
            p.clone(),
            "/members/{id}/profile",
            Needs(EditMembers),
            post(profiles::save),
        ),
        route(
            p.clone(),
            "/members/{id}/roles",
            Needs(EditMembers),
            post(profiles::add_role),
        ),
        route(
            p.clone(),
            "/members/{id}/roles/{entry}/remove",
            Needs(EditMembers),
            post(profiles::remove_role),
        ),
        route(
            p.clone(),
            "/members/{id}/titles",
            Needs(EditMembers),
            post(profiles::add_title),
        ),
        route(
            p.clone(),
            "/members/{id}/titles/{entry}/remove",
            Needs(EditMembers),
            post(profiles::remove_title),
        ),
        route(
            p.clone(),
            "/members/{id}/ratings",
            Needs(EditMembers),
            post(profiles::add_rating),
        ),
        route(
            p.clone(),
            "/members/{id}/ratings/{year}/remove",
            Needs(EditMembers),
            post(profiles::remove_rating),
        ),
        // The photo is personal data: seen and changed only with access to it.
        route(
            g.clone(),
            "/members/{id}/photo",
            Needs(ViewSensitive),
            get(profiles::photo),
        ),
        route(
            p.clone(),
            "/members/{id}/photo",
            Needs(ViewSensitive),
            post(profiles::upload_photo).layer(DefaultBodyLimit::max(profiles::MAX_PHOTO_REQUEST)),
        ),
        route(
            p.clone(),
            "/members/{id}/photo/remove",
            Needs(ViewSensitive),
            post(profiles::remove_photo),
        ),
        route(
            g.clone(),
            "/members/{id}/audit",
            Needs(ViewAudit),
            get(members::member_audit),
        ),
        route(
            g.clone(),
            "/transfers",
            Needs(EditMembers),
            get(members::incoming_transfers),
        ),
        route(g.clone(), "/audit", Needs(ViewAudit), get(members::audit_page)),
        route(g.clone(), "/export", Needs(Export), get(files::export)),
        route(g.clone(), "/import", Needs(Import), get(files::import_page)),
        route(
            p.clone(),
            "/import",
            Needs(Import),
            post(files::upload).layer(DefaultBodyLimit::max(files::MAX_UPLOAD)),
        ),
        route(g.clone(), "/import/template.csv", Public, get(files::template)),
        route(g.clone(), "/import/{job}", Needs(Import), get(files::job_page)),
        route(
            g.clone(),
            "/import/{job}/errors.csv",
            Needs(Import),
            get(files::job_errors),
        ),
        route(g.clone(), "/api/openapi.json", Public, get(api::openapi)),
        route(g.clone(), "/api/docs", Public, get(api::docs)),
        route(g.clone(), "/api/v1/me", SignedIn, get(api::me)),
        route(g.clone(), "/api/v1/units/{code}", Needs(ViewTree), get(api::unit)),
        route(g.clone(), "/api/v1/members", Needs(ViewMembers), get(api::list_members)),
        route(
            p.clone(),
            "/api/v1/members",
            Needs(EditMembers),
            post(api::create_member),
        ),
        route(g.clone(), "/api/v1/members/{id}", Needs(ViewMembers), get(api::member)),
        route(
            p.clone(),
            "/api/v1/members/{id}/transfer",
            Needs(EditMembers),
            post(api::transfer),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/cancel-transfer",
            Needs(EditMembers),
            post(api::cancel_transfer),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/confirm-transfer",
            Needs(EditMembers),
            post(api::confirm_transfer),
        ),
        route(
            g.clone(),
            "/api/v1/members/{id}/profile",
            Needs(ViewMembers),
            get(api::profile),
        ),
        route(
            Method::PUT,
            "/api/v1/members/{id}/profile",
            Needs(EditMembers),
            put(api::put_profile),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/roles",
            Needs(EditMembers),
            post(api::add_role),
        ),
        route(
            Method::DELETE,
            "/api/v1/members/{id}/roles/{entry}",
            Needs(EditMembers),
            delete(api::remove_role),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/titles",
            Needs(EditMembers),
            post(api::add_title),
        ),
        route(
            Method::DELETE,
            "/api/v1/members/{id}/titles/{entry}",
            Needs(EditMembers),
            delete(api::remove_title),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/ratings",
            Needs(EditMembers),
            post(api::add_rating),
        ),
        route(
            Method::DELETE,
            "/api/v1/members/{id}/ratings/{year}",
            Needs(EditMembers),
            delete(api::remove_rating),
        ),
        route(g.clone(), "/api/v1/tasks", SignedIn, get(api::tasks)),
        route(g.clone(), "/api/v1/tasks/{id}", Task { report: false }, get(api::task)),
        route(
            p.clone(),
            "/api/v1/tasks/{id}/reports",
            Task { report: true },
            post(api::report_task),
        ),
    ]
}

/// The application on `store`.
pub fn router(store: Store) -> Router {
    app(AppState::new(store))
}

/// The application on a prepared state.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for r in routes() {
        router = router.route(r.path, r.handler);
    }
    router
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), ops::observe))
        .fallback(shell::not_found)
        .layer(DefaultBodyLimit::max(256 * 1024))
        .with_state(state)
}

/// Serves on `listener` until `shutdown` resolves, letting requests in
/// flight finish.
pub async fn serve_until(
    store: Store,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_state(AppState::new(store), listener, None, shutdown).await
}

/// Serves `state` on `listener`, and its metrics on `metrics` if given,
/// until `shutdown` resolves; requests in flight finish first.
pub async fn serve_state(
    state: AppState,
    listener: tokio::net::TcpListener,
    metrics: Option<tokio::net::TcpListener>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Some(metrics) = metrics {
        let router = ops::metrics_router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, router).await {
                eprintln!("hnd-web: metrics listener: {e}");
            }
        });
    }
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("a SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// Serves on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(store: Store, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_until(store, listener, shutdown_signal()).await
}
