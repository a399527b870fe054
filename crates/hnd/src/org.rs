//! `hnd org …`: the organisation tree from the command line.

use crate::input::day_or_today;
use crate::tr;
use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use hnd_app::Codes;
use hnd_domain::{Day, Kind, Lang, Level, OrgError, UnitCode, UnitName, fmt::int};
use hnd_store::{Change, NewUnit, SplitPart, Store, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Build the tree from the shipped administrative units (empty database only).
    Bootstrap {
        /// The tree as it stood on 30/06/2025: 63 provinces, 696 districts, 10,035 bases.
        #[arg(long)]
        legacy: bool,
    },
    /// Turn a legacy tree into today's on 01/07/2025 (running it twice changes nothing).
    #[command(name = "apply-2025-merger")]
    ApplyMerger {
        /// Where to write the review list of split communes (CSV).
        #[arg(long, default_value = "xa-chia-tach-2025.csv")]
        review: PathBuf,
    },
    /// Number of live units per level.
    Stats {
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A unit, its path, children and lineage.
    Show {
        code: String,
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Create a unit.
    Create {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        level: LevelArg,
        #[arg(long)]
        parent: String,
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[arg(long)]
        trade: Option<String>,
        #[command(flatten)]
        when: When,
    },
    /// Rename a unit.
    Rename {
        code: String,
        name: String,
        #[command(flatten)]
        when: When,
    },
    /// Move a unit (and everything below it) under another parent.
    Move {
        code: String,
        parent: String,
        #[command(flatten)]
        when: When,
    },
    /// Merge units into one: their children move to the target, they end.
    Merge {
        #[arg(required = true)]
        sources: Vec<String>,
        #[arg(long)]
        into: String,
        #[command(flatten)]
        when: When,
        #[arg(long)]
        yes: bool,
    },
    /// Split a unit into new ones; every child must be assigned.
    Split {
        code: String,
        /// A new unit, CODE=NAME (at least two).
        #[arg(long = "part", required = true)]
        parts: Vec<String>,
        /// CHILD=PART: where each child of the unit goes.
        #[arg(long = "assign")]
        assign: Vec<String>,
        #[command(flatten)]
        when: When,
        #[arg(long)]
        yes: bool,
    },
    /// Dissolve a unit that has no live children.
    Dissolve {
        code: String,
        #[command(flatten)]
        when: When,
        #[arg(long)]
        yes: bool,
    },
    /// Load branches and groups from a spreadsheet (.xlsx or .csv): all rows or none.
    Import {
        file: PathBuf,
        /// Read a sheet in a layout of its own through this mapping (see `org map`).
        #[arg(long)]
        mapping: Option<PathBuf>,
        #[command(flatten)]
        when: When,
    },
    /// Propose how a sheet of branches and groups in a layout of its own is read:
    /// its header and which column is the template's code, name, level, kind, parent…
    Map {
        file: PathBuf,
        /// Write the mapping here (TOML) instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The latest entries of the tree's event log.
    Log {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

/// The date an operation takes effect and why it is made.
#[derive(clap::Args, Debug)]
pub struct When {
    /// Effective date, dd/mm/yyyy (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Why (written into the event log).
    #[arg(long, default_value = "")]
    pub reason: String,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum LevelArg {
    Province,
    District,
    Base,
    Branch,
    Group,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum KindArg {
    Residential,
    Professional,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::Province => Level::Province,
            LevelArg::District => Level::District,
            LevelArg::Base => Level::Base,
            LevelArg::Branch => Level::Branch,
            LevelArg::Group => Level::Group,
        }
    }
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Residential => Kind::Residential,
            KindArg::Professional => Kind::Professional,
        }
    }
}

fn code(s: &str) -> Result<UnitCode, OrgError> {
    Ok(UnitCode::parse(s)?)
}

/// `CODE=VALUE` pairs of `--part` and `--assign`.
fn pair(s: &str) -> Result<(String, String), OrgError> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .ok_or_else(|| OrgError::BadCode { code: s.to_string() })
}

pub async fn run(cmd: OrgCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let change = |when: &When| Change::new(author, when.reason.clone());
    // The tree's edits are operations: audited in their own transaction.
    // The command line keeps a register's own numbering (`Codes::Free`).
    let app = hnd_app::App::new(store.clone());
    let actor = |when: &When| hnd_app::Actor::operator(author, lang).with_reason(when.reason.clone());
    match cmd {
        OrgCommand::Bootstrap { legacy } => {
            let counts = store
                .bootstrap(legacy, &Change::new(author, "khởi tạo cây tổ chức"))
                .await?;
            println!("{}", tr(lang, "cli.bootstrapped", &[]));
            print_counts(&counts, lang);
        }
        OrgCommand::ApplyMerger { review } => {
            let report = store
                .apply_2025_merger(&Change::new(author, "sắp xếp đơn vị hành chính 2025"))
                .await?;
            if !report.applied {
                println!("{}", tr(lang, "cli.merger_already", &[]));
                return Ok(ExitCode::SUCCESS);
            }
            write_review(&review, &report.review)?;
            println!("{}", tr(lang, "cli.merger_done", &[]));
            println!("{}", tr(lang, "cli.before", &[]));
            print_counts(&report.before, lang);
            println!("{}", tr(lang, "cli.after", &[]));
            print_counts(&report.after, lang);
            let n = int(report.review.len() as i64, lang);
            println!(
                "{}",
                tr(
                    lang,
                    "cli.review_written",
                    &[("count", &n), ("path", &review.display())]
                )
            );
        }
        OrgCommand::Stats { as_of, json } => {
            let day = day_or_today(as_of.as_deref())?;
            let counts = store.level_counts(day).await?;
            if json {
                // A struct, not json!(), so that keys keep the documented order.
                #[derive(serde::Serialize)]
                struct Stats {
                    as_of: String,
                    levels: hnd_store::LevelCounts,
                }
                println!(
                    "{}",
                    serde_json::to_string(&Stats {
                        as_of: day.iso(),
                        levels: counts
                    })?
                );
            } else {
                println!("{}", tr(lang, "cli.as_of", &[("date", &day)]));
                print_counts(&counts, lang);
            }
        }
        OrgCommand::Show { code, as_of, json } => {
            show(&store, &code, day_or_today(as_of.as_deref())?, json, lang).await?
        }
        OrgCommand::Create {
            code: c,
            name,
            level,
            parent,
            kind,
            trade,
            when,
        } => {
            let unit = NewUnit {
                code: code(&c)?,
                name: UnitName::parse(&name).map_err(OrgError::from)?,
                level: level.into(),
                kind: kind.map(Kind::from),
                trade,
                parent: code(&parent)?,
                admin_commune: None,
                founded: None,
            };
            let day = day_or_today(when.date.as_deref())?;
            app.create_unit(&actor(&when), unit, day, Codes::Free).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        OrgCommand::Rename { code: c, name, when } => {
            app.rename_unit(
                &actor(&when),
                &c,
                &UnitName::parse(&name).map_err(OrgError::from)?,
                day_or_today(when.date.as_deref())?,
            )
            .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        OrgCommand::Move { code: c, parent, when } => {
            app.move_unit(&actor(&when), &c, &parent, day_or_today(when.date.as_deref())?)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        OrgCommand::Merge {
            sources,
            into,
            when,
            yes,
        } => {
            let day = day_or_today(when.date.as_deref())?;
            let mut moving = 0;
            for s in &sources {
                moving += store.children(store.unit(s, day).await?.unit.id, day).await?.len();
            }
            let preview = tr(
                lang,
                "cli.merge_preview",
                &[
                    ("sources", &sources.join(", ")),
                    ("target", &into),
                    ("count", &moving),
                    ("date", &day),
                ],
            );
            if !confirmed(yes, &preview, lang) {
                return Ok(ExitCode::from(2));
            }
            app.merge_units(&actor(&when), &sources, &into, day).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        OrgCommand::Split {
            code: c,
            parts,
            assign,
            when,
            yes,
        } => {
            let day = day_or_today(when.date.as_deref())?;
            let parts = parts
                .iter()
                .map(|p| {
                    let (code_s, name) = pair(p)?;
                    Ok(SplitPart {
                        code: code(&code_s)?,
                        name: UnitName::parse(&name).map_err(OrgError::from)?,
                    })
                })
                .collect::<Result<Vec<_>, OrgError>>()?;
            let assign = assign.iter().map(|a| pair(a)).collect::<Result<Vec<_>, _>>()?;
            let names: Vec<&str> = parts.iter().map(|p| p.code.as_str()).collect();
            let preview = tr(
                lang,
                "cli.split_preview",
                &[("code", &c), ("parts", &names.join(", ")), ("date", &day)],
            );
            if !confirmed(yes, &preview, lang) {
                return Ok(ExitCode::from(2));
            }
            app.split_unit(&actor(&when), &c, &parts, &assign, day, Codes::Free)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        OrgCommand::Dissolve { code: c, when, yes } => {
            let day = day_or_today(when.date.as_deref())?;
            let preview = tr(lang, "cli.dissolve_preview", &[("code", &c), ("date", &day)]);
            if !confirmed(yes, &preview, lang) {
                return Ok(ExitCode::from(2));
            }
            app.dissolve_unit(&actor(&when), &c, day).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        OrgCommand::Map { file, out } => {
            crate::sheet_files::map(&file, hnd_import::SheetKind::Org, out.as_deref(), lang)?;
        }
        OrgCommand::Import { file, mapping, when } => {
            let day = day_or_today(when.date.as_deref())?;
            let rows = match mapping {
                Some(m) => {
                    hnd_import::read_org_table(crate::sheet_files::read(&file, &m, hnd_import::SheetKind::Org)?)?
                }
                None => hnd_import::read_org_file(&file)?,
            };
            let total = rows.len();
            let units = rows.iter().cloned().map(new_unit_of_row).collect();
            let outcome = match store.create_units(units, day, &change(&when), "import").await {
                Err(StoreError::Org(e)) => {
                    let message = e.message(lang);
                    let Some((row, column)) = hnd_import::locate(&rows, &e) else {
                        return Err(e.into());
                    };
                    let line = tr(
                        lang,
                        "import.row_store_error",
                        &[("row", &row), ("column", &column), ("reason", &message)],
                    );
                    anyhow::bail!("{}\n{line}", tr(lang, "import.rows_refused", &[("count", &1)]));
                }
                other => other?,
            };
            println!(
                "{}",
                tr(
                    lang,
                    "cli.imported",
                    &[
                        ("rows", &int(total as i64, lang)),
                        ("created", &int(outcome.created as i64, lang)),
                        ("unchanged", &int(outcome.unchanged as i64, lang))
                    ]
                )
            );
        }
        OrgCommand::Log { limit } => {
            for e in store.org_log(limit).await? {
                println!("{}  {}  {:<12} {}  {}", e.id, e.date, e.kind, e.author, e.reason);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A spreadsheet row as the store's unit to create.
pub fn new_unit_of_row(row: hnd_import::OrgRow) -> NewUnit {
    NewUnit {
        code: row.code,
        name: row.name,
        level: row.level,
        kind: Some(row.kind),
        trade: row.trade,
        parent: row.parent,
        admin_commune: None,
        founded: row.founded,
    }
}

/// Destructive operations run with `--yes`; without it they say what
/// would happen and stop.
fn confirmed(yes: bool, preview: &str, lang: Lang) -> bool {
    println!("{preview}");
    if !yes {
        println!("{}", tr(lang, "cli.confirm_with_yes", &[]));
    }
    yes
}

fn print_counts(counts: &hnd_store::LevelCounts, lang: Lang) {
    for level in Level::ALL {
        println!(
            "  {:<34} {:>9}",
            tr(lang, level.label_key(), &[]),
            int(counts.get(level), lang)
        );
    }
}

async fn show(store: &Store, code: &str, day: Day, json: bool, lang: Lang) -> Result<()> {
    let unit = store.unit(code, day).await?;
    let path = store.ancestors(&unit.unit, day).await?;
    let children = store.children(unit.unit.id, day).await?;
    let lineage = store.lineage(unit.unit.id).await?;
    if json {
        let value = serde_json::json!({
            "as_of": day.iso(), "unit": unit, "path": path, "children": children, "lineage": lineage,
        });
        println!("{value}");
        return Ok(());
    }
    let u = &unit.unit;
    println!("{} — {} ({})", u.code, u.name, tr(lang, u.level.label_key(), &[]));
    if let Some(kind) = unit.kind {
        let trade = unit.trade.as_deref().map(|t| format!(": {t}")).unwrap_or_default();
        println!("  {}{trade}", tr(lang, &format!("kind.{kind}"), &[]));
    }
    let until = if unit.exists_to == Day::FOREVER {
        tr(lang, "cli.now", &[])
    } else {
        unit.exists_to.pred().to_string()
    };
    println!(
        "{}",
        tr(lang, "cli.alive", &[("from", &unit.exists_from), ("to", &until)])
    );
    let names: Vec<String> = path.iter().map(|a| format!("{} ({})", a.name, a.code)).collect();
    println!("{}", tr(lang, "cli.path", &[("path", &names.join(" › "))]));
    println!(
        "{}",
        tr(
            lang,
            "cli.children",
            &[("count", &int(children.len() as i64, lang)), ("date", &day)]
        )
    );
    for c in &children {
        println!("  {:<14} {}", c.code, c.name);
    }
    for (key, links) in [("cli.came_from", &lineage.came_from), ("cli.became", &lineage.became)] {
        if links.is_empty() {
            continue;
        }
        println!("{}", tr(lang, key, &[]));
        for l in links {
            let part = if l.share == "part" {
                tr(lang, "cli.part", &[])
            } else {
                String::new()
            };
            println!("  {} {} ({}){part}", l.code, l.name, l.date);
        }
    }
    Ok(())
}

fn write_review(path: &std::path::Path, rows: &[hnd_store::ReviewRow]) -> Result<()> {
    let mut out = csv::Writer::from_path(path)?;
    out.write_record([
        "ma_xa_cu",
        "ten_xa_cu",
        "ma_xa_moi_mac_dinh",
        "ten_xa_moi_mac_dinh",
        "cac_xa_moi_khac",
        "da_xac_nhan",
    ])?;
    for r in rows {
        let others: Vec<String> = r.other_targets.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let others = others.join("; ");
        let cells = [
            r.legacy_code.as_str(),
            &r.legacy_name,
            &r.default_code,
            &r.default_name,
            &others,
            "",
        ];
        hnd_import::write_csv_record(&mut out, cells)?;
    }
    out.flush()?;
    Ok(())
}
