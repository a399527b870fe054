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
    descendants(&store, Day::REFORM_2025, queries, "the bare 2025 tree").await?;

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
    descendants(&store, day, queries, "the merged tree with its branches and groups").await?;
    store.close().await;
    Ok(())
}

/// Times `descendants` and `subtree_counts` of random provinces on `day`.
async fn descendants(store: &Store, day: Day, queries: usize, tree: &str) -> Result<()> {
    let root = store.root(day).await?.expect("root");
    let provinces = store.children(root.id, day).await?;
    let mut rng = Rng::new(11);
    let (mut lists, mut counts, mut rows) = (Vec::with_capacity(queries), Vec::with_capacity(queries), 0);
    for _ in 0..queries {
        let province = rng.pick(&provinces);
        let t = Instant::now();
        rows += store.descendants(province, day).await?.len();
        lists.push(t.elapsed());
        let t = Instant::now();
        store.subtree_counts(province, day).await?;
        counts.push(t.elapsed());
    }
    println!(
        "{tree}, as of {day}, {queries} random provinces, {} units below each on average:",
        rows / queries.max(1)
    );
    for (what, times) in [
        ("descendants (list)", &mut lists),
        ("descendant counts by level", &mut counts),
    ] {
        times.sort();
        let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
        println!(
            "  {what}: p50 {}, p99 {}, max {}",
            ms(pct(0.50)),
            ms(pct(0.99)),
            ms(*times.last().expect("queries > 0"))
        );
    }
    Ok(())
}
