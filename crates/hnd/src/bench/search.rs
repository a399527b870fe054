//! `hnd bench members`' searches: by name (a prefix, the given name alone,
//! family and given name, within a province and across the country) and
//! by CCCD, and the count of every province.

use super::counts::every_province;
use super::{demo_tree, ms, percentiles};
use crate::sample::Rng;
use anyhow::Result;
use hnd_domain::Day;
use hnd_store::{Change, Store, testing};
use std::time::Instant;

/// Generates `rows` members into a fresh register with the demo's tree
/// (SQLite in `dir`, or a new schema of `postgres`), then searches and counts.
pub(super) async fn search_only_on(
    rows: usize,
    dir: &std::path::Path,
    postgres: Option<&str>,
    reuse: bool,
) -> Result<()> {
    let who = Change::new("bench", "đo hiệu năng");
    if reuse && postgres.is_none() {
        let store = Store::open(&format!("sqlite:{}", dir.join("search.db").display())).await?;
        return search_and_count(&store, &store).await;
    }
    let store = match postgres {
        Some(base) => {
            let url = testing::postgres_schema_url(base).await?;
            crate::demo::demo_tree(&url, &who, hnd_domain::Lang::Vi).await?
        }
        None => {
            std::fs::create_dir_all(dir)?;
            let _ = std::fs::remove_file(dir.join("search.db"));
            demo_tree(dir, "search.db").await?
        }
    };
    println!("engine: {}", if postgres.is_some() { "postgres" } else { "sqlite" });
    let t = Instant::now();
    crate::r#gen::generate_members(&store, "TW", rows, 2025, &who, hnd_domain::Lang::Vi).await?;
    println!("generate {rows} members (with their name words): {}", ms(t.elapsed()));
    search_and_count(&store, &store).await
}

/// Search by name prefix and by CCCD, and the count of every province,
/// on the imported register (people sampled from the generated one).
pub(super) async fn search_and_count(generated: &Store, imported: &Store) -> Result<()> {
    let today = Day::today();
    let mut rng = Rng::new(3);
    let sample = generated.members_page("TW", 0, 2000).await?;
    // Each kind of search: what is typed, and whether across the country.
    type Typed = fn(&[&str]) -> String;
    let kinds: [(&str, Typed, bool); 6] = [
        (
            "folded name prefix (family and middle name) within a province",
            |w| w[..2].join(" "),
            false,
        ),
        (
            "given name alone within a province",
            |w| w[w.len() - 1].to_string(),
            false,
        ),
        (
            "family and given name within a province",
            |w| format!("{} {}", w[0], w[w.len() - 1]),
            false,
        ),
        (
            "given name alone across the country",
            |w| w[w.len() - 1].to_string(),
            true,
        ),
        (
            "family and given name across the country",
            |w| format!("{} {}", w[0], w[w.len() - 1]),
            true,
        ),
        ("CCCD across the country", |_| String::new(), true),
    ];
    for (label, typed, national) in kinds {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..300 {
            let m = rng.pick(&sample);
            let words: Vec<&str> = m.full_name.split(' ').collect();
            let text = match typed(&words) {
                t if t.is_empty() => m.cccd.clone().unwrap_or_default(),
                t => hnd_domain::fold(&t),
            };
            let scope = (!national).then_some(m.province_code.as_str());
            let t = Instant::now();
            found += imported.search_members(&text, scope, 20).await?.len();
            times.push(t.elapsed());
        }
        println!(
            "search, {label}, 20 results: {} ({:.1} found on average)",
            percentiles(&mut times),
            found as f64 / 300.0
        );
    }
    let (provinces, total, took) =
        every_province(imported, today, async |code| imported.count_members(code, today).await).await?;
    println!(
        "member count of all {provinces} provinces as of {today}: {} ({total} members)",
        ms(took)
    );
    Ok(())
}
