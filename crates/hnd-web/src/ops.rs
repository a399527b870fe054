//! Operations: one log event per request (`tracing`, target
//! `hnd_web::request`, when the state asks for it), and Prometheus
//! metrics (request latency by route, imports, database pools) served on
//! a listener of their own, away from the application's.
//!
//! The figures are kept by the `metrics` crates: each server owns its own
//! Prometheus recorder (tests run several servers in one process, so no
//! global recorder), and every figure is recorded through it.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{describe_gauge, describe_histogram, gauge, histogram, with_local_recorder};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use std::time::{Duration, Instant};

const REQUEST_SECONDS: &str = "hnd_http_request_duration_seconds";

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

/// How often the recorder folds recorded samples into its buckets
/// (samples wait in a queue until then, or until the next scrape).
pub const UPKEEP: Duration = Duration::from_secs(5);

/// One server's recorder and the handle that renders it.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl Default for Metrics {
    fn default() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_string()), &BUCKETS)
            .expect("latency buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        let metrics = Metrics { recorder, handle };
        metrics.record(|| {
            describe_histogram!(REQUEST_SECONDS, metrics::Unit::Seconds, "Time to answer a request.");
            describe_gauge!("hnd_imports_running", "Imports in progress.");
            describe_gauge!("hnd_import_rows_read", "Rows read by the imports in progress.");
            describe_gauge!("hnd_db_connections", "Database connections by pool and state.");
        });
        metrics
    }
}

impl Metrics {
    /// Runs `f` with this server's recorder as the one the macros use.
    fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        with_local_recorder(&self.recorder, f)
    }

    /// Folds the samples recorded since the last upkeep into the buckets.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }
}

/// Times every request, counts it under its route pattern (not its
/// concrete path, so ids do not multiply the series) and logs it.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    if state.log_requests {
        let ms = (seconds * 1000.0 * 100.0).round() / 100.0;
        tracing::info!(target: "hnd_web::request", method, route, status, ms, "request");
    }
    state.metrics.record(|| {
        histogram!(REQUEST_SECONDS, "method" => method, "route" => route, "status" => status.to_string())
            .record(seconds);
    });
    response
}

/// The Prometheus text exposition of everything measured: the gauges are
/// read at the moment of the scrape.
pub fn render(state: &AppState) -> String {
    let (running, rows) = state.jobs.running();
    let pools = state.store.pool_stats();
    state.metrics.record(|| {
        gauge!("hnd_imports_running").set(running as f64);
        gauge!("hnd_import_rows_read").set(rows as f64);
        for (pool, open, idle) in [
            ("read", pools.read_size, pools.read_idle),
            ("write", pools.write_size, pools.write_idle),
        ] {
            gauge!("hnd_db_connections", "pool" => pool, "state" => "open").set(open as f64);
            gauge!("hnd_db_connections", "pool" => pool, "state" => "idle").set(idle as f64);
        }
    });
    state.metrics.handle.render()
}

/// The metrics listener's one page.
pub fn metrics_router(state: AppState) -> axum::Router {
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(|State(state): State<AppState>| async move {
            ([("content-type", "text/plain; version=0.0.4")], render(&state)).into_response()
        })
        .with_state(state),
    )
}
