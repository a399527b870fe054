//! The application served: the router built from the route table, each
//! route behind its gate and time limit, the layers every answer passes
//! through, and a server that stops gracefully.

use crate::route::UPLOAD_TIMEOUT;
use crate::routes::routes;
use crate::{AppState, authorize, headers, ops, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use hnd_store::Store;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The application on `store`.
pub fn router(store: Store) -> Router {
    app(AppState::new(store))
}

/// The application on a prepared state.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for r in routes() {
        // Each route behind the gate its own access rule builds.
        let gate = axum::middleware::from_fn_with_state((state.clone(), r.access), authorize::authorize);
        let limit = if r.upload {
            UPLOAD_TIMEOUT
        } else {
            state.request_timeout
        };
        let timeout = TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, limit);
        router = router.route(r.path, r.handler.route_layer(gate).layer(timeout));
    }
    let router = router
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), ops::observe))
        .fallback(shell::not_found)
        .layer(DefaultBodyLimit::max(256 * 1024))
        .layer(axum::middleware::from_fn(shell::shape_errors))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    headers::secure(router)
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

/// How long requests in flight and running imports are given to finish
/// once shutdown is asked for: then the server stops all the same.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Serves `state` on `listener`, and its metrics on `metrics` if given,
/// until `shutdown` resolves. Then it stops taking connections, asks
/// running imports to stop at their next chunk (each chunk is its own
/// transaction, so the register holds whole chunks), gives requests in
/// flight and imports [`SHUTDOWN_GRACE`] to end, and removes its work
/// directory (uploads, error files).
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
                tracing::error!(error = %e, "metrics listener");
            }
        });
    }
    let (jobs, work_dir) = (state.jobs.clone(), state.work_dir.clone());
    let upkeep = {
        let metrics = state.metrics.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(ops::UPKEEP);
            loop {
                tick.tick().await;
                metrics.upkeep();
            }
        })
    };
    let (asked, mut asked_rx) = tokio::sync::watch::channel(false);
    let stopping = {
        let jobs = jobs.clone();
        async move {
            shutdown.await;
            let _ = asked.send(true);
            jobs.cancel();
        }
    };
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(stopping);
    let deadline = async move {
        let _ = asked_rx.wait_for(|asked| *asked).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let served = tokio::select! {
        served = server.into_future() => served,
        () = deadline => Ok(()),
    };
    upkeep.abort();
    jobs.stop(SHUTDOWN_GRACE).await;
    let _ = tokio::fs::remove_dir_all(&work_dir).await;
    served
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
