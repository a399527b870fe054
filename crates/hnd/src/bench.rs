//! `hnd bench …`: the benchmarks BENCHMARKS.md records. Each builds its
//! own data in a fresh database and prints its figures.

use crate::sample::{Rng, branches_and_groups};
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{Day, Level};
use hnd_store::{Change, Store, testing};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Bootstrap of both trees, the 2025 merger on a legacy tree carrying
    /// ~100,000 branches and groups, descendants of a province as of a day.
    Org {
        /// Run on a fresh schema of this PostgreSQL database instead of a
        /// fresh SQLite file.
        #[arg(long)]
        postgres: Option<String>,
        /// Descendant queries to time.
        #[arg(long, default_value_t = 2000)]
        queries: usize,
    },
}

pub async fn run(cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Org { postgres, queries } => org(postgres.as_deref(), queries).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn fresh(postgres: Option<&str>) -> Result<Store> {
    Ok(match postgres {
        Some(url) => testing::postgres_at(url).await?,
        None => testing::sqlite().await?,
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn org(postgres: Option<&str>, queries: usize) -> Result<()> {
    let who = Change::new("bench", "đo hiệu năng");
    let engine = if postgres.is_some() { "postgres" } else { "sqlite" };
    println!("engine: {engine}");

    let store = fresh(postgres).await?;
    let t = Instant::now();
    let counts = store.bootstrap(false, &who).await?;
    println!("bootstrap 2025 ({} units): {}", counts.total(), ms(t.elapsed()));

    let store = fresh(postgres).await?;
    let t = Instant::now();
    let counts = store.bootstrap(true, &who).await?;
    println!("bootstrap legacy ({} units): {}", counts.total(), ms(t.elapsed()));

    let legacy_day = Day::from_ymd(2024, 1, 1).expect("a real day");
    let bases = store
        .descendants(&store.root(legacy_day).await?.expect("root"), legacy_day)
        .await?;
    let bases: Vec<_> = bases.into_iter().filter(|u| u.level == Level::Base).collect();
    let units = branches_and_groups(&bases, &mut Rng::new(7));
    let t = Instant::now();
    let n = units.len();
    store.create_units(units, legacy_day, &who, "import").await?;
    println!(
        "set-up: {n} branches and groups created in one batch: {}",
        ms(t.elapsed())
    );

    let t = Instant::now();
    let report = store.apply_2025_merger(&who).await?;
    let total = report.before.total();
    println!("merger 2025 on a legacy tree of {total} units: {}", ms(t.elapsed()));

    let day = Day::from_ymd(2026, 1, 1).expect("a real day");
    let root = store.root(day).await?.expect("root");
    let provinces = store.children(root.id, day).await?;
    let mut rng = Rng::new(11);
    let mut times = Vec::with_capacity(queries);
    let mut rows = 0;
    for _ in 0..queries {
        let province = rng.pick(&provinces);
        let t = Instant::now();
        rows += store.descendants(province, day).await?.len();
        times.push(t.elapsed());
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "descendants of a province as of {day} ({queries} queries, {} units each on average): p50 {}, p99 {}, max {}",
        rows / queries.max(1),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*times.last().expect("at least one query"))
    );
    store.close().await;
    Ok(())
}
