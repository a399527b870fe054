//! Operations: one log event per request (`tracing`, target
//! `hnd_web::request`, when the state asks for it), and Prometheus
//! metrics (request latency by route, imports, database pools) served on
//! a listener of their own, away from the application's.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request counts and latencies by (method, route, status).
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Histogram>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut map = self.requests.lock().expect("metrics lock");
        let h = map.entry((method.to_string(), route.to_string(), status)).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
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
    state.metrics.observe(&method, &route, status, seconds);
    if state.log_requests {
        let ms = (seconds * 1000.0 * 100.0).round() / 100.0;
        tracing::info!(target: "hnd_web::request", method, route, status, ms, "request");
    }
    response
}

/// The Prometheus text exposition of everything measured.
pub fn render(state: &AppState) -> String {
    let mut out = String::new();
    out.push_str("# HELP hnd_http_request_duration_seconds Time to answer a request.\n");
    out.push_str("# TYPE hnd_http_request_duration_seconds histogram\n");
    for ((method, route, status), h) in state.metrics.requests.lock().expect("metrics lock").iter() {
        let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "hnd_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                h.counts[i]
            );
        }
        let _ = writeln!(
            out,
            "hnd_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(out, "hnd_http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
        let _ = writeln!(out, "hnd_http_request_duration_seconds_count{{{labels}}} {}", h.count);
    }
    let (running, rows) = state.jobs.running();
    out.push_str("# HELP hnd_imports_running Imports in progress.\n# TYPE hnd_imports_running gauge\n");
    let _ = writeln!(out, "hnd_imports_running {running}");
    out.push_str(
        "# HELP hnd_import_rows_read Rows read by the imports in progress.\n# TYPE hnd_import_rows_read gauge\n",
    );
    let _ = writeln!(out, "hnd_import_rows_read {rows}");
    let pools = state.store.pool_stats();
    out.push_str(
        "# HELP hnd_db_connections Database connections by pool and state.\n# TYPE hnd_db_connections gauge\n",
    );
    let _ = writeln!(
        out,
        "hnd_db_connections{{pool=\"read\",state=\"open\"}} {}",
        pools.read_size
    );
    let _ = writeln!(
        out,
        "hnd_db_connections{{pool=\"read\",state=\"idle\"}} {}",
        pools.read_idle
    );
    let _ = writeln!(
        out,
        "hnd_db_connections{{pool=\"write\",state=\"open\"}} {}",
        pools.write_size
    );
    let _ = writeln!(
        out,
        "hnd_db_connections{{pool=\"write\",state=\"idle\"}} {}",
        pools.write_idle
    );
    out
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
