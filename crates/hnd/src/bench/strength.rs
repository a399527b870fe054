//! `hnd bench strength`: the strength report of a province for a period
//! over all its bases, on an existing register (for instance the demo's:
//! `hnd demo --no-serve --members 1000000`), and of its largest base.

use super::{ms, percentiles};
use anyhow::Result;
use hnd_domain::plan::Period;
use hnd_domain::{Day, Level};
use hnd_store::Store;
use std::time::Instant;

/// Times `runs` strength reports of `province` (the one with most members
/// when empty) for `period`, then of its first base.
pub(super) async fn strength(db: &str, province: &str, period: &str, runs: usize) -> Result<()> {
    let store = Store::open(db).await?;
    let period = hnd_app::period_of(period)?;
    let today = Day::today();
    let province = match province {
        "" => largest_province(&store, today).await?,
        code => code.to_string(),
    };
    let report = time(&store, &province, period, runs, "province").await?;
    let base = report.rows.iter().map(|r| r.code.clone()).next();
    if let Some(base) = base
        && store
            .unit(&base, today)
            .await
            .is_ok_and(|u| u.unit.level == Level::Base)
    {
        time(&store, &base, period, runs, "base").await?;
    }
    Ok(())
}

async fn largest_province(store: &Store, today: Day) -> Result<String> {
    let counts = store.province_counts(today).await?;
    let (code, _) = counts.into_iter().max_by_key(|(_, n)| *n).unwrap_or_default();
    Ok(code)
}

async fn time(store: &Store, code: &str, period: Period, runs: usize, what: &str) -> Result<hnd_store::StrengthReport> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(store.strength_report(code, period).await?);
        times.push(t.elapsed());
    }
    let report = last.expect("one run at least");
    let members = report.columns.get("members");
    let first = times[0];
    println!(
        "strength report of {what} {code} ({}), {}: {} rows, {} members at the end, {} new, {} lost; \
         first run {}, {} runs: {}",
        report.name,
        report.period,
        report.rows.len(),
        members.total.unwrap_or(0),
        members.new.unwrap_or(0),
        members.lost.unwrap_or(0),
        ms(first),
        times.len(),
        percentiles(&mut times)
    );
    Ok(report)
}
