//! `hnd bench counts`: member counts as a dashboard reads them, on an
//! existing database: every province from the maintained counts and by
//! counting the membership intervals, the national dashboard, a
//! province's drill-down to its bases.

use super::{ms, percentiles};
use anyhow::Result;
use hnd_domain::Day;
use hnd_store::Store;
use std::time::{Duration, Instant};

/// `count` of each province (the root's children on `today`) summed:
/// how many provinces, the sum, and how long the counting took.
pub(super) async fn every_province(
    store: &Store,
    today: Day,
    count: impl AsyncFn(&str) -> hnd_store::Result<i64>,
) -> Result<(usize, i64, Duration)> {
    let root = store.root(today).await?.expect("a tree");
    let provinces = store.children(root.id, today).await?;
    let t = Instant::now();
    let mut total = 0;
    for p in &provinces {
        total += count(&p.code).await?;
    }
    Ok((provinces.len(), total, t.elapsed()))
}

pub(super) async fn counts(db: &str, province: &str, runs: usize) -> Result<()> {
    let t = Instant::now();
    let store = Store::open(db).await?;
    println!("open (and bring the schema up to date): {}", ms(t.elapsed()));
    let today = Day::today();
    let mut national = Vec::new();
    let mut total = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let rows = store.province_counts(today).await?;
        national.push(t.elapsed());
        total = rows.iter().map(|r| r.1).sum::<i64>();
    }
    println!(
        "every province on {today}, maintained counts ({runs} runs): {} ({total} members)",
        percentiles(&mut national)
    );
    let year = hnd_domain::plan::Period::Year { year: today.year() };
    let mut dashboard = Vec::new();
    let mut cells = 0;
    for _ in 0..runs {
        let t = Instant::now();
        cells = store.national_figures(year).await?.len();
        dashboard.push(t.elapsed());
    }
    println!(
        "national dashboard, {year}: every province × every catalogue indicator ({cells} cells, {runs} runs): {}",
        percentiles(&mut dashboard)
    );
    let t = Instant::now();
    let plain = store.plain_group_by(year).await?;
    println!(
        "the same year's members and admissions by a plain GROUP BY over the member tables (once): {} ({plain} rows)",
        ms(t.elapsed())
    );
    let (_, scanned, took) =
        every_province(&store, today, async |code| store.count_members_scan(code, today).await).await?;
    println!(
        "every province on {today}, counting the membership intervals (once): {} ({scanned} members)",
        ms(took)
    );
    let unit = store.unit(province, today).await?.unit;
    let bases = store.children(unit.id, today).await?;
    let mut drill = Vec::new();
    for _ in 0..runs.min(50) {
        let t = Instant::now();
        store.child_members(&unit, today).await?;
        drill.push(t.elapsed());
    }
    println!(
        "drill-down of {province} to its {} bases, maintained counts: {}",
        bases.len(),
        percentiles(&mut drill)
    );
    Ok(())
}
