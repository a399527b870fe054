//! The demo's history: the legacy tree as it stood before the 2025
//! reform, branches and groups under a chosen set of its bases, members
//! admitted over thirty years, a few past transfers, deaths and removals,
//! then the reform itself, as a register that lived through it holds it.

use crate::r#gen::{Generation, generate};
use crate::sample::{Joining, Rng, branches_and_groups};
use crate::tr;
use anyhow::Result;
use hnd_app::{Actor, App, EndKind};
use hnd_domain::{Day, Lang, Level, admin, fmt::int};
use hnd_store::{Change, Unit};
use std::collections::{BTreeMap, HashSet};

/// The day the demo's branches and groups were founded: before the first
/// admission of its register, so that every admission counts where it
/// was made.
pub(crate) fn branches_founded() -> Day {
    Day::from_ymd(1990, 1, 1).expect("a real day")
}

/// The first day of the admissions the demo's history spreads evenly.
fn admissions_from() -> Day {
    Day::from_ymd(1995, 1, 1).expect("a real day")
}

/// Of the members loaded before the reform, the share (per cent) that
/// goes to the sample provinces' predecessors.
const SAMPLE_SHARE: usize = 75;

/// The legacy provinces that became `provinces` (2025 codes) in the
/// reform, from the administrative mapping.
pub(crate) fn predecessors(provinces: &[&str]) -> HashSet<&'static str> {
    admin::province_mappings()
        .into_iter()
        .filter(|m| provinces.contains(&m.code_2025))
        .map(|m| m.legacy_code)
        .collect()
}

/// The legacy bases that get branches and groups. Every base of a legacy
/// province in `full` (the predecessors of the sample provinces), so that
/// those provinces are whole after the reform; elsewhere the first base
/// (by code) of each district, a commune or ward in every district of the
/// country, so that every province of 2025 holds members, in different
/// kinds of places, and lineages lead to branches everywhere, while the
/// demo stays a few tens of thousands of units (all the country's bases
/// would be about 100,000).
pub(crate) fn chosen_bases(bases: Vec<Unit>, full: &HashSet<&str>) -> Vec<Unit> {
    let mut first_of_district: BTreeMap<Option<i64>, Unit> = BTreeMap::new();
    let mut chosen = Vec::new();
    for base in bases {
        if base.province_code.as_deref().is_some_and(|p| full.contains(p)) {
            chosen.push(base);
        } else {
            match first_of_district.get(&base.parent_id) {
                Some(first) if first.code <= base.code => {}
                _ => {
                    first_of_district.insert(base.parent_id, base);
                }
            }
        }
    }
    chosen.extend(first_of_district.into_values());
    chosen.sort_by(|a, b| a.code.cmp(&b.code));
    chosen
}

/// Builds the legacy tree with its branches, groups and `members`
/// members in an empty `store`, then applies the 2025 reform; prints a
/// line for each step.
pub(crate) async fn history(
    app: &App,
    actor: &Actor,
    change: &Change,
    sample: &[&str],
    members: usize,
    lang: Lang,
) -> Result<()> {
    let store = app.store();
    store.bootstrap(true, change).await?;
    let founded = branches_founded();
    let root = store.root(founded).await?.expect("the legacy tree has a root");
    let bases: Vec<Unit> = (store.descendants(&root, founded).await?.into_iter())
        .filter(|u| u.level == Level::Base)
        .collect();
    let full = predecessors(sample);
    let chosen = chosen_bases(bases, &full);
    let units = branches_and_groups(&chosen, &mut Rng::new(2025));
    store.create_units(units, founded, change, "import").await?;
    // The loads below resolve every member's unit: the planner must know
    // the tree's size.
    store.refresh_statistics(hnd_store::Bulk::Tree).await?;
    let eve = Day::REFORM_2025.pred();
    let counts = store.level_counts(eve).await?;
    let numbers = [
        Level::Province,
        Level::District,
        Level::Base,
        Level::Branch,
        Level::Group,
    ]
    .map(|l| int(counts.get(l), lang));
    let line = tr(
        lang,
        "cli.demo_legacy",
        &[
            ("provinces", &numbers[0]),
            ("districts", &numbers[1]),
            ("bases", &numbers[2]),
            ("branches", &numbers[3]),
            ("groups", &numbers[4]),
            ("chosen", &int(chosen.len() as i64, lang)),
            ("founded", &founded),
        ],
    );
    println!("{line}");

    let (in_sample, elsewhere): (Vec<Unit>, Vec<Unit>) = (store.descendants(&root, eve).await?.into_iter())
        .filter(|u| matches!(u.level, Level::Branch | Level::Group))
        .partition(|u| u.province_code.as_deref().is_some_and(|p| full.contains(p)));
    let from = admissions_from();
    println!(
        "{}",
        tr(lang, "cli.demo_history_members", &[("from", &from), ("to", &eve)])
    );
    let sample_count = members * SAMPLE_SHARE / 100;
    for (units, count, seed) in [
        (&in_sample, sample_count, 1995),
        (&elsewhere, members - sample_count, 1996),
    ] {
        if count == 0 || units.is_empty() {
            continue;
        }
        let what = Generation {
            units,
            count,
            seed,
            day: eve,
            joining: Joining::Between { from, applicants: 0 },
        };
        generate(store, what, change, lang).await?;
    }
    let past = past_events(app, actor, &in_sample, members, eve).await?;
    let line = tr(
        lang,
        "cli.demo_past_events",
        &[
            ("transfers", &int(past[0], lang)),
            ("deaths", &int(past[1], lang)),
            ("removed", &int(past[2], lang)),
        ],
    );
    println!("{line}");

    let before = store.count_members("TW", eve).await?;
    let report = store.apply_2025_merger(change).await?;
    let after = store.count_members("TW", Day::REFORM_2025).await?;
    anyhow::ensure!(before == after, "the reform changed the number of members");
    let line = tr(
        lang,
        "cli.demo_reform",
        &[
            ("date", &Day::REFORM_2025),
            ("provinces_before", &int(report.before.get(Level::Province), lang)),
            ("provinces", &int(report.after.get(Level::Province), lang)),
            ("bases_before", &int(report.before.get(Level::Base), lang)),
            ("bases", &int(report.after.get(Level::Base), lang)),
            ("members", &int(after, lang)),
        ],
    );
    println!("{line}");
    Ok(())
}

/// A few members' past, as their units recorded it at the time, through
/// the register's operations: transfers between branches of the same
/// province (sent, then confirmed), deaths and removals, dated between
/// the member's admission and the eve of the reform; one event for about
/// every 500 members, at least 4, at most 600. Returns how many of each.
async fn past_events(app: &App, actor: &Actor, units: &[Unit], members: usize, eve: Day) -> Result<[i64; 3]> {
    let store = app.store();
    let mut done = [0; 3];
    let last = store.last_member_id().await?;
    if last == 0 || units.is_empty() {
        return Ok(done);
    }
    let wanted = (members / 500).clamp(4, 600);
    let mut rng = Rng::new(1930);
    for attempt in 0..wanted * 3 {
        if done.iter().sum::<i64>() as usize >= wanted {
            break;
        }
        let id = rng.range(1, last as u64) as i64;
        let member = store.member(id).await?;
        let joined = member.joined_on.as_deref().and_then(|d| Day::from_iso(d).ok());
        // Events need a year of membership before them and a month before the reform.
        let Some(first) = joined.map(|d| d.plus_days(365)).filter(|d| d.days_until(eve) > 60) else {
            continue;
        };
        if member.status != "active" {
            continue;
        }
        let day = first.plus_days(rng.range(0, (first.days_until(eve) - 60) as u64) as i64);
        match attempt % 4 {
            0 | 1 => {
                let here: Vec<&Unit> = units
                    .iter()
                    .filter(|u| u.province_code.as_deref() == Some(&member.province_code) && u.code != member.unit_code)
                    .collect();
                if here.is_empty() {
                    continue;
                }
                let to = rng.pick(&here);
                app.send_transfer(actor, id, &to.code, day).await?;
                app.confirm_transfer(actor, id, day.plus_days(rng.range(7, 45) as i64))
                    .await?;
                done[0] += 1;
            }
            2 => {
                app.end_membership(actor, id, day, EndKind::Death, "Từ trần").await?;
                done[1] += 1;
            }
            _ => {
                let reason = "Chuyển đi nơi khác sinh sống";
                app.end_membership(actor, id, day, EndKind::Removed, reason).await?;
                done[2] += 1;
            }
        }
    }
    Ok(done)
}
