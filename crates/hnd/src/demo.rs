//! `hnd demo`: a fresh database (SQLite by default) holding a register
//! that lived through the 2025 reform (see [`crate::legacy`]), its plans,
//! accounts and sample records, then the web server.

use crate::r#gen::{Generation, generate};
use crate::sample::Joining;
use crate::serve::{Ops, serve};
use crate::tr;
use anyhow::{Result, bail};
use hnd_domain::{Day, Lang, Level, Role, fmt::int};
use hnd_store::{Change, Store, Unit};
use std::process::ExitCode;
use std::time::Instant;

/// The sample provinces, in 2025 codes: Hà Nội, Quảng Ngãi, Cần Thơ.
/// Every base of their legacy predecessors gets branches and groups.
pub(crate) const SAMPLE_PROVINCES: &[&str] = &["01", "51", "92"];

/// The province of the demo's commune officer (2025 code).
const OFFICER_PROVINCE: &str = "51";

/// Of the demo's members, one in this many joined (or applied) after the
/// reform; the others were admitted before it.
const AFTER_REFORM: usize = 25;

pub async fn run(
    db: &str,
    listen: &str,
    ops: &Ops,
    no_serve: bool,
    members: usize,
    author: &str,
    lang: Lang,
) -> Result<ExitCode> {
    let started = Instant::now();
    // The demo never overwrites the working database: with the default
    // address it uses its own file.
    let db = if db == "sqlite:hnd.db" {
        "sqlite:hnd-demo.db"
    } else {
        db
    };
    println!("{}", tr(lang, "cli.demo_building", &[("path", &db)]));
    let store = empty_store(db, lang).await?;
    let change = Change::new(author, "dữ liệu mẫu");
    let app = hnd_app::App::new(store.clone());
    let actor = hnd_app::Actor::operator(author, lang).with_reason("dữ liệu mẫu");
    let recent = members / AFTER_REFORM;
    crate::legacy::history(&app, &actor, &change, SAMPLE_PROVINCES, members - recent, lang).await?;

    let today = Day::today();
    let counts = store.level_counts(today).await?;
    let numbers = [Level::Base, Level::Branch, Level::Group].map(|l| int(counts.get(l), lang));
    println!(
        "{}",
        tr(
            lang,
            "cli.demo_built",
            &[
                ("bases", &numbers[0]),
                ("branches", &numbers[1]),
                ("groups", &numbers[2])
            ]
        )
    );
    let since = Day::REFORM_2025.plus_days(1);
    println!("{}", tr(lang, "cli.demo_recent_members", &[("from", &since)]));
    let root = store.root(today).await?.expect("the demo has a tree");
    let units: Vec<Unit> = (store.descendants(&root, today).await?.into_iter())
        .filter(|u| matches!(u.level, Level::Branch | Level::Group))
        .collect();
    let what = Generation {
        units: &units,
        count: recent,
        seed: 2026,
        day: today,
        joining: Joining::Between {
            from: since,
            applicants: 8,
        },
    };
    generate(&store, what, &change, lang).await?;
    let n = int(store.count_members("TW", today).await?, lang);
    println!("{}", tr(lang, "cli.demo_members", &[("count", &n)]));
    let numbers = crate::plans::load_demo_plans(&app, &actor).await?;
    println!("{}", tr(lang, "cli.demo_plan", &[("number", &numbers[0])]));
    println!("{}", tr(lang, "cli.demo_plan_tasks", &[("number", &numbers[1])]));
    let commune = officer_commune(&store).await?;
    crate::plans::demo_work(&app, &actor, &numbers[0], &commune.code).await?;
    let accounts = demo_accounts(&store, &commune, lang).await?;
    // The commune officer's commune has paid its fees, and has its
    // applicants, transfers, households and profiles.
    crate::fees::load_demo_fees(&app, &actor, &commune.code).await?;
    let records = crate::demo_records::load(&app, &actor, &commune.code).await?;
    crate::report_flow::load_demo_reports(&app, &actor, &commune.code).await?;
    let line = tr(
        lang,
        "cli.demo_records",
        &[
            ("commune", &format!("{} {}", commune.code, commune.name)),
            ("applicants", &records.applicants),
            ("transfers", &records.transfers),
            ("households", &records.households),
            ("positions", &records.positions),
            ("titles", &records.titles),
            ("ratings", &records.ratings),
        ],
    );
    println!("{line}");
    for (login, password, role, unit) in accounts {
        println!(
            "{}",
            tr(
                lang,
                "cli.demo_login",
                &[
                    ("login", &login),
                    ("password", &password),
                    ("role", &role),
                    ("unit", &unit)
                ]
            )
        );
    }
    // Served straight after the build: the planner knows its sizes.
    store.refresh_statistics(hnd_store::Bulk::Everything).await?;
    let seconds = int(started.elapsed().as_secs() as i64, lang);
    println!("{}", tr(lang, "cli.demo_ready", &[("seconds", &seconds)]));
    if !no_serve {
        serve(store, listen, ops, lang).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The commune of the demo's commune officer: the first commune (by
/// code) of [`OFFICER_PROVINCE`] that holds members and was formed from
/// more than one legacy commune, so that its pages show a lineage and a
/// register; failing that, the first that holds members.
async fn officer_commune(store: &Store) -> Result<Unit> {
    let today = Day::today();
    let province = store.unit(OFFICER_PROVINCE, today).await?;
    let mut with_members = Vec::new();
    for commune in store.children(province.unit.id, today).await? {
        if store.count_members(&commune.code, today).await? == 0 {
            continue;
        }
        if store.lineage(commune.id).await?.came_from.len() > 1 {
            return Ok(commune);
        }
        with_members.push(commune);
    }
    match with_members.into_iter().next() {
        Some(commune) => Ok(commune),
        None => bail!("the demo's province {OFFICER_PROVINCE} holds no members"),
    }
}

/// The demo's accounts: a central administrator and the officer of
/// `commune`. The demo database is made anew on each run and served on
/// loopback, so its passwords are fixed and printed.
async fn demo_accounts(store: &Store, commune: &Unit, lang: Lang) -> Result<Vec<(String, String, String, String)>> {
    let accounts = [
        (
            "admin",
            "Quản trị Trung ương",
            "hnd-demo-admin",
            Role::CentralAdmin,
            "TW".to_string(),
            "Trung ương".to_string(),
        ),
        (
            "canbo.xa",
            "Cán bộ Hội xã",
            "hnd-demo-xa",
            Role::CommuneOfficer,
            commune.code.clone(),
            commune.name.clone(),
        ),
    ];
    let mut out = Vec::new();
    for (login, name, password, role, code, unit) in accounts {
        store.create_user(login, name, password).await?;
        store.grant(login, role, &code, "hnd demo").await?;
        out.push((
            login.to_string(),
            password.to_string(),
            role.label(lang),
            format!("{code} {unit}"),
        ));
    }
    // An outside body of Thanh Hóa's plan, which reports on its own tasks.
    let (login, password) = ("so.nongnghiep", "hnd-demo-so");
    store
        .create_user(login, "Sở Nông nghiệp và PTNT Thanh Hóa", password)
        .await?;
    let body = store
        .set_user_body(login, "Sở Nông nghiệp và Phát triển nông thôn")
        .await?;
    out.push((
        login.to_string(),
        password.to_string(),
        tr(lang, "cli.demo_body_role", &[]),
        body,
    ));
    Ok(out)
}

/// A fresh, empty database at `url`: a SQLite file is made anew (any
/// previous one removed); a PostgreSQL database must be empty (the demo
/// never overwrites a register).
async fn empty_store(url: &str, lang: Lang) -> Result<Store> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let store = Store::open(url).await?;
    if store.root(Day::today()).await?.is_some() {
        bail!("{}", tr(lang, "cli.demo_not_empty", &[("url", &url)]))
    }
    Ok(store)
}

/// A fresh database at `url` (as [`empty_store`]) holding the 2025 tree
/// with sample branches and groups under every base of
/// [`SAMPLE_PROVINCES`], without history: where the member benchmarks
/// start.
#[cfg(feature = "bench")]
pub(crate) async fn demo_tree(url: &str, change: &Change, lang: Lang) -> Result<Store> {
    let store = empty_store(url, lang).await?;
    store.bootstrap(false, change).await?;
    let day = Day::REFORM_2025;
    let mut bases = Vec::new();
    for code in SAMPLE_PROVINCES {
        let province = store.unit(code, day).await?;
        bases.extend(store.children(province.unit.id, day).await?);
    }
    store
        .create_units(
            crate::sample::branches_and_groups(&bases, &mut crate::sample::Rng::new(2025)),
            day,
            change,
            "import",
        )
        .await?;
    Ok(store)
}
