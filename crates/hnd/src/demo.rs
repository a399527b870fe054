//! `hnd demo`: a fresh database (SQLite by default) with the 2025 tree and sample
//! branches and groups, then the web server.

use crate::sample::{Rng, branches_and_groups};
use crate::serve::{Ops, serve};
use crate::tr;
use anyhow::{Result, bail};
use hnd_domain::{Day, Lang, Level, Role, fmt::int};
use hnd_store::{Change, Store};
use std::process::ExitCode;

/// Provinces that get sample branches: Hà Nội, Quảng Ngãi, Cần Thơ.
pub(crate) const SAMPLE_PROVINCES: &[&str] = &["01", "51", "92"];

pub async fn run(
    db: &str,
    listen: &str,
    ops: &Ops,
    no_serve: bool,
    members: usize,
    author: &str,
    lang: Lang,
) -> Result<ExitCode> {
    // The demo never overwrites the working database: with the default
    // address it uses its own file.
    let db = if db == "sqlite:hnd.db" {
        "sqlite:hnd-demo.db"
    } else {
        db
    };
    println!("{}", tr(lang, "cli.demo_building", &[("path", &db)]));
    let store = demo_tree(db, &Change::new(author, "dữ liệu mẫu"), lang).await?;
    let day = Day::REFORM_2025;
    let counts = store.level_counts(day).await?;
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
    let change = Change::new(author, "dữ liệu mẫu");
    crate::r#gen::generate_members(&store, "TW", members, 2025, &change, lang).await?;
    let n = int(store.count_members("TW", Day::today()).await?, lang);
    println!("{}", tr(lang, "cli.demo_members", &[("count", &n)]));
    let app = hnd_app::App::new(store.clone());
    let actor = hnd_app::Actor::operator(author, lang).with_reason("dữ liệu mẫu");
    let numbers = crate::plans::load_demo_plans(&app, &actor).await?;
    println!("{}", tr(lang, "cli.demo_plan", &[("number", &numbers[0])]));
    println!("{}", tr(lang, "cli.demo_plan_tasks", &[("number", &numbers[1])]));
    let accounts = demo_accounts(&store, lang).await?;
    // The commune officer's commune (the second account) has paid its fees.
    crate::fees::load_demo_fees(&app, &actor, accounts[1].3.split(' ').next().unwrap_or_default()).await?;
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
    if !no_serve {
        serve(store, listen, ops, lang).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo's accounts: a central administrator and the officer of the
/// first commune of Quảng Ngãi. The demo database is made anew on each run
/// and served on loopback, so its passwords are fixed and printed.
async fn demo_accounts(store: &Store, lang: Lang) -> Result<Vec<(String, String, String, String)>> {
    let day = Day::today();
    let province = store.unit("51", day).await?;
    let commune = store
        .children(province.unit.id, day)
        .await?
        .into_iter()
        .next()
        .expect("the demo province has communes");
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

/// A fresh database at `url` holding the demo's tree: the 2025 tree with
/// sample branches and groups in [`SAMPLE_PROVINCES`]. A SQLite file is
/// made anew (any previous one removed); a PostgreSQL database must be
/// empty (the demo never overwrites a register). The demo and the member
/// benchmarks start here.
pub(crate) async fn demo_tree(url: &str, change: &Change, lang: Lang) -> Result<Store> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let store = Store::open(url).await?;
    if store.root(Day::today()).await?.is_some() {
        bail!("{}", tr(lang, "cli.demo_not_empty", &[("url", &url)]))
    }
    store.bootstrap(false, change).await?;
    let day = Day::REFORM_2025;
    let mut bases = Vec::new();
    for code in SAMPLE_PROVINCES {
        let province = store.unit(code, day).await?;
        bases.extend(store.children(province.unit.id, day).await?);
    }
    store
        .create_units(branches_and_groups(&bases, &mut Rng::new(2025)), day, change, "import")
        .await?;
    Ok(store)
}
