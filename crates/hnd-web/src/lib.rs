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

mod accounts;
mod api;
mod api_doc;
mod api_fees;
mod api_figures;
mod api_households;
mod api_import_mappings;
mod api_members;
mod api_plan_life;
mod api_plan_reading;
mod api_plans;
mod api_profiles;
mod api_register;
mod api_report_flow;
mod api_reports;
mod api_tasks;
mod audit_text;
mod auth;
mod authorize;
mod dashboard;
mod fees;
mod figure_entry;
mod files;
mod headers;
mod households;
mod member_steps;
mod members;
mod ops;
mod org_edit;
mod pages;
mod plan_life_pages;
mod plan_page;
mod plan_pages;
mod plan_reading_pages;
mod plan_targets;
mod profiles;
mod refusal;
mod report_pages;
mod reports;
mod request;
mod route;
mod routes;
mod routes_plans;
mod serve;
mod shell;
mod task_forms;
mod tasks;
mod unit_picker;
mod work_routes;

use axum::extract::FromRef;
use hnd_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

pub use auth::{SESSION_COOKIE, SignInLimiter};
pub use authorize::Access;
pub use route::{REQUEST_TIMEOUT, Route, UPLOAD_TIMEOUT};
pub use routes::routes;
pub use serve::{SHUTDOWN_GRACE, app, router, serve, serve_state, serve_until, shutdown_signal};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The operations, over the same store.
    pub app: hnd_app::App,
    limiter: Arc<SignInLimiter>,
    jobs: Arc<files::Jobs>,
    /// Where uploaded files and error files are kept while an import runs.
    work_dir: PathBuf,
    metrics: Arc<ops::Metrics>,
    sessions: Arc<auth::SessionCache>,
    /// One log event per request (target `hnd_web::request`).
    pub log_requests: bool,
    /// How long a request other than an upload may take before it is
    /// answered 503 with a message ([`REQUEST_TIMEOUT`] by default).
    pub request_timeout: std::time::Duration,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        // One directory per server (tests run several in one process): it
        // is removed when the server stops.
        static SERVERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let work_dir = std::env::temp_dir().join(format!("hnd-web-{}-{n}", std::process::id()));
        AppState {
            app: hnd_app::App::new(store.clone()),
            store,
            limiter: Arc::new(SignInLimiter::default()),
            jobs: Arc::new(files::Jobs::default()),
            work_dir,
            metrics: Arc::new(ops::Metrics::default()),
            sessions: Arc::new(auth::SessionCache::default()),
            log_requests: false,
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

impl FromRef<AppState> for hnd_app::App {
    fn from_ref(state: &AppState) -> hnd_app::App {
        state.app.clone()
    }
}

impl AppState {
    /// Where this server keeps uploads and error files while it runs.
    pub fn work_dir(&self) -> &std::path::Path {
        &self.work_dir
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Store {
        state.store.clone()
    }
}
