//! `hnd bench …`: the benchmarks BENCHMARKS.md records. Each builds its
//! own data in a fresh database and prints its figures.

mod counts;
mod ingest;
mod reports;
mod search;
mod strength;

use crate::sample::{Rng, branches_and_groups};
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{Day, Level};
use hnd_store::{Change, Store, testing};
use search::{search_and_count, search_only_on};
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
    /// The member register on SQLite: generate, export to CSV, import that
    /// CSV into a fresh register beside the `sqlite3 .import` baseline, then
    /// search and count on it.
    Members {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        /// Folder for the databases and the CSV (kept for inspection).
        #[arg(long, default_value = "bench-out")]
        dir: std::path::PathBuf,
        /// Only search and count, on the registers a previous run left in DIR.
        #[arg(long)]
        reuse: bool,
        /// Only generate ROWS members into a fresh register and search and
        /// count on it (no export, import or baseline): into DIR's
        /// search.db, or a fresh schema of this PostgreSQL database.
        #[arg(long)]
        search_only: bool,
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Member counts as a dashboard reads them, on an existing database
    /// (for instance the 10 M register scripts/bench-web leaves in
    /// bench-out/): every province on a day from the maintained counts,
    /// the same by counting the membership intervals, and a province's
    /// drill-down to its bases.
    Counts {
        /// The database (sqlite:PATH or postgres://…).
        #[arg(long)]
        db: String,
        /// The province to drill into.
        #[arg(long, default_value = "51")]
        province: String,
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// The strength report of a province for a period over all its bases,
    /// then of one base, on an existing database (the demo's register).
    Strength {
        /// The database (sqlite:PATH or postgres://…).
        #[arg(long)]
        db: String,
        /// The province (the one with most members when left out).
        #[arg(long, default_value = "")]
        province: String,
        #[arg(long, default_value = "2025")]
        period: String,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// The reports' workflow at the country's scale on an existing database
    /// with the 2025 tree: every base's year review approved, then each
    /// province's and the centre's filled with the sums (timed), and a
    /// province's strength report as DOCX and PDF (timed).
    Reports {
        /// The database (sqlite:PATH or postgres://…).
        #[arg(long)]
        db: String,
        #[arg(long, default_value = "2025")]
        period: String,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Reading a plan of PAGES pages (DOCX and PDF written by hnd's own
    /// document writer) as an upload is read: text, head, targets, tasks.
    Ingest {
        #[arg(long, default_value_t = 20)]
        pages: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// What keeping the maintained counts costs an import: FILE imported
    /// into a fresh register without them, then into another with them
    /// (on PostgreSQL with --postgres, each in a new schema).
    ImportCost {
        #[arg(long)]
        postgres: Option<String>,
        csv: std::path::PathBuf,
    },
    /// The 2025 merger on a legacy tree with ~100,000 branches and groups
    /// holding MEMBERS members (the figure: 10,000,000 in under 60 s).
    Merger {
        #[arg(long)]
        postgres: Option<String>,
        #[arg(long, default_value_t = 1_000_000)]
        members: usize,
    },
    /// The import rate of a list in its own layout through its proposed
    /// mapping, beside the template's (the same ROWS members, fresh registers).
    MappedImport {
        #[arg(long, default_value_t = 200_000)]
        rows: usize,
        #[arg(long, default_value = "bench-out")]
        dir: std::path::PathBuf,
    },
    /// Open-loop HTTP load at a fixed rate; prints latency percentiles as JSON
    /// (scripts/bench-web drives it).
    Http(crate::load::Load),
}

pub async fn run(cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Org { postgres, queries } => org(postgres.as_deref(), queries).await?,
        BenchCommand::Members {
            rows,
            dir,
            reuse,
            search_only,
            postgres,
        } => {
            if search_only || postgres.is_some() {
                search_only_on(rows, &dir, postgres.as_deref(), reuse).await?
            } else {
                members(rows, &dir, reuse).await?
            }
        }
        BenchCommand::Merger { postgres, members } => merger(postgres.as_deref(), members).await?,
        BenchCommand::Http(load) => crate::load::run(load).await?,
        BenchCommand::Counts { db, province, runs } => counts::counts(&db, &province, runs).await?,
        BenchCommand::Strength {
            db,
            province,
            period,
            runs,
        } => strength::strength(&db, &province, &period, runs).await?,
        BenchCommand::Reports { db, period, runs } => reports::reports(&db, &period, runs).await?,
        BenchCommand::Ingest { pages, runs } => ingest::ingest(pages, runs)?,
        BenchCommand::ImportCost { postgres, csv } => import_cost(postgres.as_deref(), &csv).await?,
        BenchCommand::MappedImport { rows, dir } => crate::bench_mapping::run(rows, &dir).await?,
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

    legacy_branches(&store, &who).await?;

    let t = Instant::now();
    let report = store.apply_2025_merger(&who).await?;
    let total = report.before.total();
    println!("merger 2025 on a legacy tree of {total} units: {}", ms(t.elapsed()));

    let day = Day::from_ymd(2026, 1, 1).expect("a real day");
    descendants(&store, day, queries, "the merged tree with its branches and groups").await?;
    store.close().await;
    Ok(())
}

/// Branches and groups under every base of the legacy tree in `store`,
/// created on 1/1/2024 in one batch.
async fn legacy_branches(store: &Store, who: &Change) -> Result<()> {
    let legacy_day = Day::from_ymd(2024, 1, 1).expect("a real day");
    let bases = store
        .descendants(&store.root(legacy_day).await?.expect("root"), legacy_day)
        .await?;
    let bases: Vec<_> = bases.into_iter().filter(|u| u.level == Level::Base).collect();
    let units = branches_and_groups(&bases, &mut Rng::new(7));
    let t = Instant::now();
    let n = units.len();
    store.create_units(units, legacy_day, who, "import").await?;
    println!(
        "set-up: {n} branches and groups created in one batch: {}",
        ms(t.elapsed())
    );
    Ok(())
}

/// The 2025 merger on a legacy tree whose branches hold `members`
/// members, loaded the day before the reform: the time of the merger, and
/// the register's count before and after it (the same people).
async fn merger(postgres: Option<&str>, members: usize) -> Result<()> {
    let who = Change::new("bench", "đo hiệu năng");
    println!("engine: {}", if postgres.is_some() { "postgres" } else { "sqlite" });
    let store = fresh(postgres).await?;
    store.bootstrap(true, &who).await?;
    legacy_branches(&store, &who).await?;
    let eve = Day::REFORM_2025.pred();
    let t = Instant::now();
    crate::r#gen::generate_members_on(&store, "TW", members, 2025, eve, &who, hnd_domain::Lang::Vi).await?;
    println!(
        "set-up: {members} members generated in the legacy tree: {}",
        ms(t.elapsed())
    );
    let before = store.count_members("TW", eve).await?;
    let t = Instant::now();
    let report = store.apply_2025_merger(&who).await?;
    println!(
        "merger 2025 on a legacy tree of {} units holding {before} members: {}",
        report.before.total(),
        ms(t.elapsed())
    );
    let after = store.count_members("TW", Day::REFORM_2025).await?;
    println!("members the day before / the day of the merger: {before} / {after}");
    anyhow::ensure!(before == after, "the merger changed the number of members");
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

/// A fresh SQLite register `name` in `dir` with the demo's tree.
async fn demo_tree(dir: &std::path::Path, name: &str) -> Result<Store> {
    let url = format!("sqlite:{}", dir.join(name).display());
    crate::demo::demo_tree(&url, &Change::new("bench", "đo hiệu năng"), hnd_domain::Lang::Vi).await
}

fn percentiles(times: &mut [Duration]) -> String {
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    format!("p50 {}, p99 {}", ms(pct(0.50)), ms(pct(0.99)))
}

async fn members(rows: usize, dir: &std::path::Path, reuse: bool) -> Result<()> {
    if !reuse {
        load_members(rows, dir).await?;
    }
    let open = |name: &str| format!("sqlite:{}", dir.join(name).display());
    let (generated, imported) = (
        Store::open(&open("gen.db")).await?,
        Store::open(&open("import.db")).await?,
    );
    search_and_count(&generated, &imported).await
}

/// Generates `rows` members, exports them to CSV, and imports that CSV
/// beside the `sqlite3 .import` baseline.
async fn load_members(rows: usize, dir: &std::path::Path) -> Result<()> {
    use hnd_domain::Lang;
    std::fs::create_dir_all(dir)?;
    let who = Change::new("bench", "đo hiệu năng");
    let generated = demo_tree(dir, "gen.db").await?;
    let t = Instant::now();
    crate::r#gen::generate_members(&generated, "TW", rows, 2025, &who, Lang::Vi).await?;
    println!("generate {rows} members: {}", ms(t.elapsed()));
    let csv = dir.join("members.csv");
    let t = Instant::now();
    let everyone = hnd_store::MemberQuery {
        scope: "TW".into(),
        ..Default::default()
    };
    hnd_import::export_members(&generated, &csv, &everyone, true).await?;
    println!("export to CSV: {}", ms(t.elapsed()));

    let baseline = sqlite_baseline(&csv, dir)?;

    // The same import into a register that keeps no maintained counts
    // (triggers dropped, bulk loads writing none), first: what keeping the
    // dashboards' counts costs (the goal: at most 20% of the throughput).
    let sqlite = |name: &str| format!("sqlite:{}", dir.join(name).display());
    let without = timed_import(&sqlite("import-without-counts.db"), &csv, false).await?;
    let import = timed_import(&sqlite("import.db"), &csv, true).await?;
    println!(
        "import with validation, duplicate checks, events and the maintained counts: {} (rate {:.2} of the baseline's; goal ≥ 0.5)",
        ms(import),
        baseline.as_secs_f64() / import.as_secs_f64()
    );
    counts_cost(without, import);
    generated.close().await;
    sql_floor(dir).await?;
    Ok(())
}

/// The baselines' bare table: one text column for each of the file's
/// (`c1`, `c2`, …, in the template's order).
fn raw_table(csv: &std::path::Path) -> Result<String> {
    let mut header = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(std::fs::File::open(csv)?), &mut header)?;
    let columns = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header.as_bytes())
        .records()
        .next()
        .transpose()?
        .map(|r| r.len())
        .unwrap_or(0);
    let columns: Vec<String> = (1..=columns).map(|i| format!("c{i} text")).collect();
    Ok(format!("raw ({})", columns.join(", ")))
}

/// One index for each kind the register keeps on its member rows, events
/// and intervals, on the template's columns: c1 name, c6 CCCD, c7 phone,
/// c9 unit, c10 date admitted, c11 decision.
const RAW_INDEXES: &str = "CREATE UNIQUE INDEX raw_cccd ON raw (c6);
     CREATE INDEX raw_name ON raw (c9, c1);
     CREATE INDEX raw_phone ON raw (c7);
     CREATE INDEX raw_card ON raw (c11, c10);
     CREATE INDEX raw_member_events ON raw (c6, c10);
     CREATE INDEX raw_memberships ON raw (c9, c10);";

/// `csv` without its header line, beside it, for the raw loaders.
fn csv_body(csv: &std::path::Path) -> Result<std::path::PathBuf> {
    let body = csv.with_extension("body.csv");
    let mut lines = std::io::BufReader::new(std::fs::File::open(csv)?);
    let mut header = String::new();
    std::io::BufRead::read_line(&mut lines, &mut header)?;
    std::io::copy(&mut lines, &mut std::fs::File::create(&body)?)?;
    Ok(body)
}

/// The fastest raw load of `csv` on SQLite: `sqlite3 .import` into a bare
/// table, then an index for each of the register's kinds.
fn sqlite_baseline(csv: &std::path::Path, dir: &std::path::Path) -> Result<Duration> {
    let body = csv_body(csv)?;
    let table = raw_table(csv)?;
    let raw = dir.join("raw.db");
    let _ = std::fs::remove_file(&raw);
    let script = format!(
        "PRAGMA journal_mode=WAL;\nCREATE TABLE {table};\n.mode csv\n.import {} raw\n{RAW_INDEXES}\n",
        body.display()
    );
    let t = Instant::now();
    run_script("sqlite3", &[raw.as_os_str()], &script)?;
    let took = t.elapsed();
    println!("baseline, sqlite3 .import and 6 indexes: {}", ms(took));
    Ok(took)
}

/// The fastest raw load of `csv` on PostgreSQL: `COPY` (through psql's
/// `\copy`) into a bare table of a new schema that already has an index
/// for each of the register's kinds; only the COPY is timed.
async fn postgres_baseline(csv: &std::path::Path, base: &str) -> Result<Duration> {
    let body = csv_body(csv)?;
    let table = raw_table(csv)?;
    let schema = format!("raw_{}", std::process::id());
    psql(
        base,
        &format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path = {schema};
                  CREATE TABLE {table}; {RAW_INDEXES}"
        ),
    )?;
    let t = Instant::now();
    psql(
        base,
        &format!(
            "SET search_path = {schema};\n\\copy raw FROM '{}' WITH (FORMAT csv)",
            body.display()
        ),
    )?;
    let took = t.elapsed();
    psql(base, &format!("DROP SCHEMA {schema} CASCADE;"))?;
    println!("baseline, COPY into a table with 6 indexes: {}", ms(took));
    Ok(took)
}

/// Runs `script` with psql against the database at `url`.
fn psql(url: &str, script: &str) -> Result<()> {
    let args = [url, "-v", "ON_ERROR_STOP=1", "-q"].map(std::ffi::OsStr::new);
    run_script("psql", &args, &format!("{script}\n"))
}

/// Runs `program` with `args`, `script` on its standard input, its output
/// discarded; an error if it fails.
fn run_script(program: &str, args: &[&std::ffi::OsStr], script: &str) -> Result<()> {
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()?;
    std::io::Write::write_all(child.stdin.as_mut().expect("piped"), script.as_bytes())?;
    drop(child.stdin.take());
    anyhow::ensure!(child.wait()?.success(), "{program} failed");
    Ok(())
}

/// The least the register's own tables take: the rows an import wrote
/// (member rows, events, intervals, name words) copied by plain SQL into a fresh
/// register, with no checks, no driver and the indexes kept as rows go in.
async fn sql_floor(dir: &std::path::Path) -> Result<()> {
    let floor = dir.join("floor.db");
    demo_tree(dir, "floor.db").await?.close().await;
    let script = format!(
        "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536;
         ATTACH '{}' AS done;
         BEGIN; INSERT INTO bulk_load (marker) VALUES (1);
         INSERT INTO members SELECT * FROM done.members WHERE id > 0;
         INSERT INTO member_events SELECT * FROM done.member_events;
         INSERT INTO memberships SELECT * FROM done.memberships;
         INSERT INTO member_words SELECT * FROM done.member_words;
         DELETE FROM bulk_load; COMMIT;\n",
        dir.join("import.db").display()
    );
    let t = Instant::now();
    run_script("sqlite3", &[floor.as_os_str()], &script)?;
    println!(
        "floor: the imported rows copied by SQL into a fresh register's tables: {}",
        ms(t.elapsed())
    );
    Ok(())
}

/// Imports `csv` into a fresh demo register at `url`, keeping the
/// maintained counts or not; the import's time.
async fn timed_import(url: &str, csv: &std::path::Path, counts: bool) -> Result<Duration> {
    let who = Change::new("bench", "đo hiệu năng");
    let store = crate::demo::demo_tree(url, &who, hnd_domain::Lang::Vi).await?;
    if !counts {
        store.drop_counts_for_benchmark().await?;
    }
    let errors = std::env::temp_dir().join(format!("hnd-bench-errors-{}.csv", std::process::id()));
    let t = Instant::now();
    let app = hnd_app::App::new(store.clone());
    let operator = hnd_app::Actor::operator("bench", hnd_domain::Lang::Vi).with_reason("đo hiệu năng");
    let template = crate::member_files::Mapped {
        mapping: None,
        accept_proposed: false,
    };
    crate::member_files::import(&app, &operator, ("TW", csv, &errors), Day::today(), &template).await?;
    let took = t.elapsed();
    store.close().await;
    let kept = if counts { "with" } else { "without" };
    println!("import {kept} the maintained counts: {}", ms(took));
    Ok(took)
}

fn counts_cost(without: Duration, with: Duration) {
    println!(
        "throughput lost to the maintained counts: {:.1}% (goal ≤ 20%)",
        (1.0 - without.as_secs_f64() / with.as_secs_f64()) * 100.0
    );
}

/// The import of `csv` without and with the maintained counts, each into
/// a fresh register: a new schema of the PostgreSQL database at `postgres`,
/// or new SQLite files in `bench-out`.
async fn import_cost(postgres: Option<&str>, csv: &std::path::Path) -> Result<()> {
    let url = |name: &'static str| async move {
        Ok::<_, anyhow::Error>(match postgres {
            Some(base) => testing::postgres_schema_url(base).await?,
            None => {
                std::fs::create_dir_all("bench-out")?;
                format!("sqlite:bench-out/{name}.db")
            }
        })
    };
    let without = timed_import(&url("cost-without").await?, csv, false).await?;
    let with = timed_import(&url("cost-with").await?, csv, true).await?;
    counts_cost(without, with);
    let baseline = match postgres {
        Some(base) => postgres_baseline(csv, base).await?,
        None => sqlite_baseline(csv, std::path::Path::new("bench-out"))?,
    };
    println!(
        "import with the maintained counts against the baseline: rate {:.2} (goal ≥ 0.5)",
        baseline.as_secs_f64() / with.as_secs_f64()
    );
    Ok(())
}
