//! `hnd gen …`: synthetic data for trials and benchmarks.

use crate::sample::{Joining, Rng, members};
use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{Day, Lang, Level, fmt::int};
use hnd_store::{Change, Store, Unit};
use std::io::Write;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum GenCommand {
    /// Plausible members spread over the branches and groups alive today.
    Members {
        #[arg(long)]
        count: usize,
        /// Only under this unit (a province, a base…).
        #[arg(long, default_value = "TW")]
        unit: String,
        #[arg(long, default_value_t = 2025)]
        seed: u64,
    },
}

pub async fn run(cmd: GenCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    match cmd {
        GenCommand::Members { count, unit, seed } => {
            generate_members(&store, &unit, count, seed, &Change::new(author, "dữ liệu mẫu"), lang).await?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Rows per transaction: a crash loses at most the chunk in flight, and
/// memory stays flat whatever the count.
const CHUNK: usize = 50_000;

/// Generated members with health insurance, and with voluntary social insurance, per thousand.
const BHYT_PER_MILLE: i64 = 960;
const BHXH_PER_MILLE: i64 = 35;

pub async fn generate_members(
    store: &Store,
    unit: &str,
    count: usize,
    seed: u64,
    change: &Change,
    lang: Lang,
) -> Result<()> {
    generate_members_on(store, unit, count, seed, Day::today(), change, lang).await
}

/// [`generate_members`] into the tree as it stands on `today`, loaded on
/// that day (the merger benchmark fills a legacy tree the day before the
/// 2025 reform).
pub async fn generate_members_on(
    store: &Store,
    unit: &str,
    count: usize,
    seed: u64,
    today: Day,
    change: &Change,
    lang: Lang,
) -> Result<()> {
    let scope = store.unit(unit, today).await?.unit;
    let units: Vec<_> = store
        .descendants(&scope, today)
        .await?
        .into_iter()
        .filter(|u| matches!(u.level, Level::Branch | Level::Group))
        .collect();
    if units.is_empty() {
        anyhow::bail!("{}", tr(lang, "cli.no_branches", &[("unit", &unit)]));
    }
    let members = Generation {
        units: &units,
        count,
        seed,
        day: today,
        joining: Joining::Usual,
    };
    generate(store, members, change, lang).await
}

/// Members to generate: how many, spread evenly over `units` (branches
/// and groups alive on `day`), loaded on `day`, joined as `joining` says.
pub struct Generation<'a> {
    pub units: &'a [Unit],
    pub count: usize,
    pub seed: u64,
    pub day: Day,
    pub joining: Joining,
}

/// Loads the members `what` describes, a chunk at a time, printing the
/// progress on one line.
pub async fn generate(store: &Store, what: Generation<'_>, change: &Change, lang: Lang) -> Result<()> {
    let Generation {
        units,
        count,
        seed,
        day: today,
        joining,
    } = what;
    let mut rng = Rng::new(seed);
    // New people on every run: CCCD serials continue after those already in the register.
    let mut serials = crate::sample::Serials::new(store.members_registered().await? as u32);
    let mut done = 0;
    while done < count {
        let n = CHUNK.min(count - done);
        let rows = members(units, n, &mut serials, &mut rng, today, joining);
        let last = store.last_member_id().await?;
        store.load_members(&rows, today, change).await?;
        // Insurance near the plans' figures (seeds 000 and 003): 95–97% of
        // members with health insurance, 3.5% with voluntary social insurance.
        store.sample_insurance(last, BHYT_PER_MILLE, BHXH_PER_MILLE).await?;
        if done == 0 && n < count {
            // The next chunks are checked against this one (likely
            // duplicates): the planner must know it is there. On a fresh
            // PostgreSQL register, without this, one chunk of the demo
            // took 146 s instead of 9 s.
            store.refresh_statistics(hnd_store::Bulk::Members).await?;
        }
        done += n;
        print!(
            "\r{}",
            tr(
                lang,
                "cli.gen_progress",
                &[("done", &int(done as i64, lang)), ("count", &int(count as i64, lang))]
            )
        );
        std::io::stdout().flush()?;
    }
    println!();
    store.refresh_statistics(hnd_store::Bulk::Members).await?;
    Ok(())
}
