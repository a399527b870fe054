//! `hnd bench http`: an open-loop HTTP load generator. Requests are
//! scheduled at a fixed rate over keep-alive connections and each latency
//! is counted from the moment its request was due, so a slow server is
//! not hidden by the generator waiting for it (coordinated omission).

use anyhow::{Context, Result, bail};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What to send and how fast.
#[derive(clap::Args, Debug)]
pub struct Load {
    /// http://HOST:PORT/PATH
    #[arg(long)]
    url: String,
    /// Extra request headers, "Name: value".
    #[arg(long = "header")]
    headers: Vec<String>,
    /// Requests per second.
    #[arg(long, default_value_t = 1000)]
    rate: u64,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    #[arg(long, default_value_t = 16)]
    connections: usize,
}

/// One keep-alive connection: sends a GET, reads one whole response.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn get(&mut self, request: &[u8]) -> Result<u16> {
        self.stream.write_all(request).await?;
        self.buf.clear();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("connection closed");
            }
            self.buf.extend_from_slice(&chunk[..n]);
            if let Some(head_end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..head_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .context("responses must give their length")?;
                if self.buf.len() >= head_end + 4 + length {
                    return Ok(head[9..12].parse()?);
                }
            }
        }
    }
}

pub async fn run(load: Load) -> Result<()> {
    let rest = load.url.strip_prefix("http://").context("http:// URLs only")?;
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n");
    for h in &load.headers {
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let request: &'static [u8] = Box::leak(request.into_bytes().into_boxed_slice());
    let total = load.rate * load.seconds;
    let interval = Duration::from_nanos(1_000_000_000 / load.rate.max(1));
    let start = Instant::now() + Duration::from_millis(200);
    let mut tasks = Vec::new();
    for c in 0..load.connections {
        let host = host.to_string();
        let n = load.connections as u64;
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn {
                stream: TcpStream::connect(&host).await?,
                buf: Vec::new(),
            };
            conn.stream.set_nodelay(true)?;
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            // Connection c sends requests c, c + n, c + 2n, ... each at its due time.
            let mut i = c as u64;
            while i < total {
                let due = start + interval * i as u32;
                tokio::time::sleep_until(due.into()).await;
                match conn.get(request).await {
                    Ok(200) => latencies.push(due.elapsed()),
                    _ => errors += 1,
                }
                i += n;
            }
            anyhow::Ok((latencies, errors))
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await??;
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
    };
    let ms = |d: Option<Duration>| {
        d.map(|d| format!("{:.2}", d.as_secs_f64() * 1000.0))
            .unwrap_or("-".into())
    };
    println!(
        "{{\"url\":\"{}\",\"target_rate\":{},\"achieved_rate\":{:.0},\"ok\":{},\"errors\":{},\"p50_ms\":{},\"p90_ms\":{},\"p99_ms\":{},\"max_ms\":{}}}",
        load.url,
        load.rate,
        all.len() as f64 / elapsed,
        all.len(),
        errors,
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(all.last().copied())
    );
    Ok(())
}
