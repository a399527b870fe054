//! The web server as the command line starts it: its watch options and
//! the start itself, shared by `hnd serve` and `hnd demo`.

use crate::tr;
use anyhow::Result;
use hnd_domain::Lang;
use hnd_store::Store;

/// How the server is watched.
#[derive(clap::Args, Debug, Clone)]
pub struct Ops {
    /// Where Prometheus metrics are served (`off` for nowhere).
    #[arg(long, default_value = "127.0.0.1:9464")]
    pub metrics: String,
    /// Log one JSON line per request on standard error.
    #[arg(long)]
    pub log_requests: bool,
}

/// Binds `listen` (and the metrics address), prints the address, serves
/// until Ctrl-C or SIGTERM, letting requests in flight finish.
pub async fn serve(store: Store, listen: &str, ops: &Ops, lang: Lang) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let metrics = match ops.metrics.as_str() {
        "off" => None,
        at => Some(tokio::net::TcpListener::bind(at).await?),
    };
    println!("{}", tr(lang, "cli.serving", &[("url", &format!("http://{addr}/"))]));
    if let Some(m) = &metrics {
        println!(
            "{}",
            tr(
                lang,
                "cli.metrics",
                &[("url", &format!("http://{}/metrics", m.local_addr()?))]
            )
        );
    }
    let mut state = hnd_web::AppState::new(store);
    state.log_requests = ops.log_requests;
    hnd_web::serve_state(state, listener, metrics, hnd_web::shutdown_signal()).await?;
    Ok(())
}
