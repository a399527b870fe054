//! The web application of `hnd`: server-rendered pages over the store.
//!
//! Pages are askama templates (checked at compile time, escaped by
//! default); every string a person reads comes from the locale files.

mod pages;

use axum::Router;
use axum::routing::get;
use hnd_store::Store;

/// Every route of the application: `/` (redirects to `/org`), `/org` (the
/// root unit), `/org/{code}` (one unit) and `/healthz`. Pages read
/// `?as_of=dd/mm/yyyy` (or `yyyy-mm-dd`; default today) and `?lang=en`
/// (default Vietnamese), and keep both in their links.
pub fn router(store: Store) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/org", get(pages::root_unit))
        .route("/org/{code}", get(pages::unit))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(store)
}

/// Serves on `listener` until Ctrl-C, letting requests in flight finish.
pub async fn serve(store: Store, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(store))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
