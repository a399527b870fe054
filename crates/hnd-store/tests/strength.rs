//! The strength report against random registers, on both backends.
//!
//! Each case builds a register at random (admissions, transfers, leaves,
//! removals, deaths, reinstatements, new cards and a merge of branches,
//! over 2026), keeps its own plain account of who was in which branch on
//! which days, and checks every figure of the report of each commune and
//! of the province, for every quarter, the first half and the year,
//! against a count made day by day from that account. It also checks that
//! each quarter's total is the previous one's plus new less lost.

use hnd_domain::plan::Period;
use hnd_domain::{BirthDate, Day, Ethnicity, Sex, UnitCode};
use hnd_store::{Change, NewMember, Store, StrengthReport};
use std::collections::BTreeMap;

hnd_store::both_backends!(random_registers_give_the_figures_counted_day_by_day);

/// Branches and their communes; the first two share a commune.
const BRANCHES: [(&str, &str); 4] = [
    ("00004-A", "00004"),
    ("00004-B", "00004"),
    ("00008-C", "00008"),
    ("00008-D", "00008"),
];
const CASES: u64 = 3;
const OPERATIONS: usize = 70;

fn who() -> Change {
    Change::new("cán bộ xã", "kiểm thử")
}

/// One member as the test sees them.
#[derive(Debug, Clone)]
struct Person {
    id: i64,
    woman: bool,
    minority: bool,
    religious: bool,
    /// Membership intervals `[from, to)` in a branch (index in BRANCHES).
    stays: Vec<(Day, Option<Day>, usize)>,
    branch: usize,
    status: &'static str,
    admitted: Day,
    cards: Vec<Day>,
}

/// The register as the test wrote it.
#[derive(Default)]
struct Account {
    people: Vec<Person>,
    /// A branch merged into another on a day: (source, target, day).
    merged: Option<(usize, usize, Day)>,
}

impl Account {
    fn alive(&self, branch: usize, day: Day) -> bool {
        !matches!(self.merged, Some((source, _, on)) if source == branch && day >= on)
    }

    /// Whether `p` is in a branch that `within` accepts on `day`.
    fn in_on(p: &Person, day: Day, within: &dyn Fn(usize) -> bool) -> bool {
        p.stays
            .iter()
            .any(|&(from, to, b)| from <= day && to.is_none_or(|t| day < t) && within(b))
    }
}

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

async fn build(store: &Store, seed: u64) -> Account {
    let mut rng = fastrand::Rng::with_seed(seed);
    hnd_store::testing::tree_with_branches(store, &BRANCHES, &who())
        .await
        .unwrap();
    let mut acc = Account::default();
    let first = day("02/01/2026");
    let mut days: Vec<i64> = (0..OPERATIONS).map(|_| rng.i64(0..330)).collect();
    days.sort();
    days.dedup();
    for offset in days {
        let d = first.plus_days(offset);
        let actives: Vec<usize> = (0..acc.people.len())
            .filter(|&i| matches!(acc.people[i].status, "active" | "on_leave"))
            .collect();
        let roll = rng.u32(0..100);
        if roll < 40 || actives.is_empty() {
            let branch = loop {
                let b = rng.usize(0..BRANCHES.len());
                if acc.alive(b, d) {
                    break b;
                }
            };
            let (woman, minority, religious) = (rng.bool(), rng.u32(0..4) == 0, rng.u32(0..5) == 0);
            let new = NewMember {
                full_name: format!("Hội viên {}", acc.people.len() + 1),
                birth: BirthDate::parse(&rng.i32(1950..2000).to_string()).unwrap(),
                sex: if woman { Sex::Female } else { Sex::Male },
                ethnicity: Ethnicity::parse(if minority { "Tày" } else { "Kinh" }),
                religion: religious.then(|| "Phật giáo".to_string()),
                cccd: None,
                phone: None,
                village: None,
                unit: UnitCode::parse(BRANCHES[branch].0).unwrap(),
            };
            let id = store.add_member(&new, d, true, &who()).await.unwrap().id;
            store.admit(id, d, "01/QĐ", &who()).await.unwrap();
            acc.people.push(Person {
                id,
                woman,
                minority,
                religious,
                stays: vec![(d, None, branch)],
                branch,
                status: "active",
                admitted: d,
                cards: vec![d],
            });
            continue;
        }
        let i = actives[rng.usize(0..actives.len())];
        let p = &mut acc.people[i];
        match roll {
            40..=59 => {
                let to = (p.branch + 1 + rng.usize(0..BRANCHES.len() - 1)) % BRANCHES.len();
                let merged = acc.merged;
                if !matches!(merged, Some((s, _, on)) if s == to && d >= on) && p.status == "active" {
                    store.send_transfer(p.id, BRANCHES[to].0, d, &who()).await.unwrap();
                    store.confirm_transfer(p.id, d, &who()).await.unwrap();
                    p.stays.last_mut().unwrap().1 = Some(d);
                    p.stays.push((d, None, to));
                    p.branch = to;
                }
            }
            60..=67 => {
                if p.status == "active" {
                    store.start_leave(p.id, d, &who()).await.unwrap();
                    p.status = "on_leave";
                } else {
                    store.return_from_leave(p.id, d, &who()).await.unwrap();
                    p.status = "active";
                }
            }
            68..=79 => {
                let death = rng.bool();
                store.end_membership(p.id, d, death, &who()).await.unwrap();
                p.stays.last_mut().unwrap().1 = Some(d);
                p.status = if death { "dead" } else { "removed" };
            }
            80..=89 => {
                store.reissue_card(p.id, d, &who()).await.unwrap();
                p.cards.push(d);
            }
            _ if acc.merged.is_none() => {
                // A branch goes into another, in its commune or the other one.
                let (source, target) = if rng.bool() { (1, 0) } else { (2, 0) };
                store
                    .merge(&[BRANCHES[source].0.to_string()], BRANCHES[target].0, d, &who())
                    .await
                    .unwrap();
                for p in &mut acc.people {
                    if p.branch == source && p.stays.last().unwrap().1.is_none() {
                        p.stays.last_mut().unwrap().1 = Some(d);
                        p.stays.push((d, None, target));
                        p.branch = target;
                    }
                }
                acc.merged = Some((source, target, d));
            }
            _ => {
                // Someone struck off earlier comes back.
                let removed: Vec<usize> = (0..acc.people.len())
                    .filter(|&j| acc.people[j].status == "removed" && acc.alive(acc.people[j].branch, d))
                    .collect();
                if let Some(&j) = removed.first() {
                    let p = &mut acc.people[j];
                    store.reinstate(p.id, d, "02/QĐ", &who()).await.unwrap();
                    p.stays.push((d, None, p.branch));
                    p.status = "active";
                }
            }
        }
    }
    acc
}

/// The figures of members marked by `mark`, counted day by day: (new,
/// lost, total) over `[from, to]` for those within `within`.
fn count_members(
    acc: &Account,
    from: Day,
    to: Day,
    within: &dyn Fn(usize) -> bool,
    mark: &dyn Fn(&Person) -> bool,
) -> (i64, i64, i64) {
    let (mut new, mut lost, mut total) = (0, 0, 0);
    for p in acc.people.iter().filter(|p| mark(p)) {
        let mut was = Account::in_on(p, from.pred(), within);
        let mut d = from;
        while d <= to {
            let is = Account::in_on(p, d, within);
            new += i64::from(is && !was);
            lost += i64::from(was && !is);
            was = is;
            d = d.plus_days(1);
        }
        total += i64::from(was);
    }
    (new, lost, total)
}

type Mark = fn(&Person) -> bool;
const MARKS: [(&str, Mark); 4] = [
    ("members", |_| true),
    ("members_women", |p| p.woman),
    ("members_minority", |p| p.minority),
    ("members_religious", |p| p.religious),
];

/// Checks one report's figures (the whole and each row) against the account.
fn check(acc: &Account, report: &StrengthReport, within: &dyn Fn(usize) -> bool, rows: &[(&str, Vec<usize>)]) {
    let (from, to) = (Day::from_iso(&report.from).unwrap(), Day::from_iso(&report.to).unwrap());
    let here = format!("{} {}", report.unit, report.period);
    let figure = |f: hnd_store::Figure| (f.new.unwrap(), f.lost.unwrap(), f.total.unwrap());
    for (key, mark) in MARKS {
        let expected = count_members(acc, from, to, within, &mark);
        assert_eq!(figure(report.columns.get(key)), expected, "{here}: {key}");
        for (code, branches) in rows {
            let expected = count_members(acc, from, to, &|b| branches.contains(&b), &mark);
            let got = report
                .rows
                .iter()
                .find(|r| r.code == *code)
                .map(|r| figure(r.columns.get(key)))
                .unwrap_or_default();
            assert_eq!(got, expected, "{here}: row {code}, {key}");
        }
    }
    // Cards: issued on admission in the unit, re-issued, held at the end.
    let in_period = |d: Day| from <= d && d <= to;
    let issued = acc
        .people
        .iter()
        .filter(|p| in_period(p.admitted) && Account::in_on(p, p.admitted, within))
        .count() as i64;
    let reissued = acc
        .people
        .iter()
        .flat_map(|p| p.cards.iter().skip(1).map(move |&d| (p, d)))
        .filter(|&(p, d)| in_period(d) && Account::in_on(p, d, within))
        .count() as i64;
    let cards = report.columns.get("cards_issued");
    assert_eq!(cards.new, Some(issued), "{here}: cards issued");
    assert_eq!(cards.total, report.columns.get("members").total, "{here}: cards held");
    assert_eq!(
        report.columns.get("cards_reissued").new,
        Some(reissued),
        "{here}: cards re-issued"
    );
    // Branches: residential, one fewer from the merge on.
    let branches = (0..BRANCHES.len()).filter(|&b| within(b) && acc.alive(b, to)).count() as i64;
    let units = report.columns.get("branches_residential");
    assert_eq!(units.total, Some(branches), "{here}: branches");
    let merged_here = matches!(acc.merged, Some((s, _, on)) if within(s) && in_period(on));
    assert_eq!(units.lost, Some(i64::from(merged_here)), "{here}: branches lost");
    let founded = (0..BRANCHES.len()).filter(|&b| within(b)).count() as i64;
    let founded = if in_period(day("01/01/2026")) { founded } else { 0 };
    assert_eq!(units.new, Some(founded), "{here}: branches founded");
    // The lists name every member who came and left.
    let members = report.columns.get("members");
    assert_eq!(
        report.new_members.len() as i64,
        members.new.unwrap(),
        "{here}: list of new members"
    );
    assert_eq!(
        report.lost_members.len() as i64,
        members.lost.unwrap(),
        "{here}: list of lost members"
    );
    let bands = report.age_bands;
    assert_eq!(
        bands.under_40 + bands.from_40_to_59 + bands.from_60,
        members.total.unwrap(),
        "{here}: age bands"
    );
    for b in &report.breakdowns {
        let sum: i64 = b.parts.iter().map(|(_, n)| n).sum();
        assert_eq!(sum, members.total.unwrap(), "{here}: members by {}", b.by);
    }
}

async fn random_registers_give_the_figures_counted_day_by_day(first: Store) {
    let mut store = first;
    for case in 0..CASES {
        if case > 0 {
            store = fresh_like(&store).await;
        }
        let acc = build(&store, 1000 + case).await;
        let province = store
            .unit("00004", day("01/06/2026"))
            .await
            .unwrap()
            .unit
            .province_code
            .unwrap();
        let periods: Vec<Period> = (1..=4)
            .map(|quarter| Period::Quarter { year: 2026, quarter })
            .chain([Period::FirstHalf { year: 2026 }, Period::Year { year: 2026 }])
            .collect();
        let commune = |c: &'static str| move |b: usize| BRANCHES[b].1 == c;
        let mut previous: BTreeMap<String, StrengthReport> = BTreeMap::new();
        for period in periods {
            for code in ["00004", "00008"] {
                let report = store.strength_report(code, period).await.unwrap();
                let rows: Vec<(&str, Vec<usize>)> = (0..BRANCHES.len())
                    .filter(|&b| BRANCHES[b].1 == code)
                    .map(|b| (BRANCHES[b].0, vec![b]))
                    .collect();
                check(&acc, &report, &commune(code), &rows);
                previous.insert(format!("{code} {}", period.code()), report);
            }
            let report = store.strength_report(&province, period).await.unwrap();
            let rows = vec![("00004", vec![0, 1]), ("00008", vec![2, 3])];
            check(&acc, &report, &|_| true, &rows);
            previous.insert(format!("{province} {}", period.code()), report);
        }
        // Each quarter's totals follow from the one before.
        for code in ["00004", "00008", province.as_str()] {
            for quarter in 2..=4 {
                let before = &previous[&format!("{code} 2026-Q{}", quarter - 1)];
                let now = &previous[&format!("{code} 2026-Q{quarter}")];
                for (key, f) in &now.columns.0 {
                    let (Some(new), Some(lost), Some(total)) = (f.new, f.lost, f.total) else {
                        continue;
                    };
                    let was = before.columns.get(key).total.unwrap();
                    assert_eq!(
                        total,
                        was + new - lost,
                        "{code} Q{quarter} {key}: {was} + {new} - {lost}"
                    );
                }
            }
        }
    }
}

/// A new empty store on the same engine as `store`.
async fn fresh_like(store: &Store) -> Store {
    if store.backend() == hnd_store::Backend::Postgres {
        hnd_store::testing::postgres().await.unwrap().unwrap()
    } else {
        hnd_store::testing::sqlite().await.unwrap()
    }
}
