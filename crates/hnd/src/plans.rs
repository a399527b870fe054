//! `hnd plans …` and `hnd progress`: plans, their targets and tasks, and a
//! unit's progress against them from the register.

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_app::{Actor, App, PlanText, PlanView, readable_plan};
use hnd_domain::plan::{Comparator, Period, all_indicators};
use hnd_domain::{Day, Lang, PlanError, fmt::int};
use hnd_store::{NewTask, Store};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum PlansCommand {
    /// Plans issued in a unit's subtree.
    List {
        #[arg(long, default_value = "TW")]
        unit: String,
        #[arg(long)]
        json: bool,
    },
    /// The indicator catalogue, with the indicators users added.
    Indicators,
    /// Add an indicator beside the catalogue: typed per unit and period,
    /// or with --ratio and --over the share of one known indicator in
    /// another. MEASURE: people, households, units, percent, vnd, count.
    AddIndicator {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        name_en: String,
        #[arg(long)]
        measure: String,
        #[arg(long, requires = "over")]
        ratio: Option<String>,
        #[arg(long, requires = "ratio")]
        over: Option<String>,
    },
    /// Draft a plan (its number given in the unit's series when --number
    /// is left out); prints its number.
    Create {
        #[arg(long)]
        unit: String,
        /// plan, programme, work_programme or theme.
        #[arg(long, default_value = "plan")]
        kind: String,
        #[arg(long)]
        title: String,
        /// 2026-2030, or one year.
        #[arg(long)]
        years: String,
        #[arg(long)]
        number: Option<String>,
        /// The document's date, dd/mm/yyyy (today when left out).
        #[arg(long)]
        date: Option<String>,
        /// The number of the plan of a level above it implements.
        #[arg(long, conflicts_with = "implements_document")]
        implements: Option<String>,
        /// Or an outside document it implements, with --implements-date.
        #[arg(long, requires = "implements_date")]
        implements_document: Option<String>,
        #[arg(long)]
        implements_date: Option<String>,
        /// dd/mm/yyyy: the units below issue their implementing plans by then.
        #[arg(long)]
        implement_by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change a draft: the options given replace its fields.
    Edit {
        number: String,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        years: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        implements: Option<String>,
        #[arg(long)]
        implement_by: Option<String>,
    },
    /// Issue a draft, with its signed document (--document FILE).
    Issue {
        number: String,
        #[arg(long)]
        document: Option<std::path::PathBuf>,
    },
    /// Withdraw an issued plan.
    Withdraw { number: String },
    /// Draft a new version of an issued plan (the old one is marked
    /// replaced when the new one is issued); prints its number.
    Version {
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// A plan: its status, what it implements, the units below and their
    /// implementing plans, its targets for a unit and its tasks.
    Show {
        number: String,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set a unit's target: INDICATOR, comparator (">=", "<=", "=", or the
    /// plan's wording), value.
    Target {
        number: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        indicator: String,
        #[arg(long, default_value = ">=")]
        comparator: String,
        #[arg(long)]
        value: f64,
    },
    /// Enter a figure the register cannot know, for a unit and period:
    /// refused above its denominator (members with BHYT above members) or
    /// outside 0–100 for a share; a figure more than half away from the
    /// period before's is saved only with --confirm.
    Enter {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        indicator: String,
        /// 2026, quý II/2026, 6 tháng/2026, tháng 3/2026 (or 2026-Q2).
        #[arg(long)]
        period: String,
        #[arg(long)]
        value: f64,
        /// Save a figure far from the period before's.
        #[arg(long)]
        confirm: bool,
    },
    /// Write a unit's and its children's targets to .xlsx or .csv: units as
    /// rows, indicators as columns (the layout provinces use).
    ExportTargets {
        number: String,
        #[arg(long)]
        unit: String,
        file: std::path::PathBuf,
    },
    /// Read targets from such a sheet ("Mã đơn vị", then one column per
    /// indicator, by code or name): every cell checked, all or none.
    ImportTargets {
        number: String,
        file: std::path::PathBuf,
        #[arg(long, default_value = ">=")]
        comparator: String,
        /// Read a sheet in a layout of its own through this mapping (see `plans map-targets`).
        #[arg(long)]
        mapping: Option<std::path::PathBuf>,
    },
    /// Propose how a targets sheet in a layout of its own is read: its header,
    /// the units' code column and the indicator of each other column.
    MapTargets {
        file: std::path::PathBuf,
        /// Write the mapping here (TOML) instead of printing it.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Read a plan's text (DOCX, PDF with a text layer, or plain text)
    /// into a draft: number, date, issuer, title, period, targets and
    /// tasks. With --unit, also write it as that unit's draft plan (every
    /// task, the targets the catalogue names), to review on the web.
    Ingest {
        file: std::path::PathBuf,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Hand a unit's target down to the units below it: by members,
    /// households (--by households) or equal.
    Split {
        number: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        indicator: String,
        #[arg(long, default_value = "members")]
        by: String,
    },
}

/// The demo's plans: Quảng Ngãi's (data/plans/quang-ngai-46.txt) for
/// province 51, its targets handed down to the bases by members, and
/// Thanh Hóa's (data/plans/thanh-hoa-46.txt), whose tasks go to bodies
/// outside the Union. Returns their numbers.
pub(crate) async fn load_demo_plans(app: &App, actor: &Actor) -> Result<Vec<String>> {
    let mut numbers = Vec::new();
    for text in [
        include_str!("../../../data/plans/quang-ngai-46.txt"),
        include_str!("../../../data/plans/thanh-hoa-46.txt"),
    ] {
        numbers.push(load_plan_text(app, actor, text).await?);
    }
    Ok(numbers)
}

/// The demo's plan at work in the commune officer's commune: its first
/// task given to the commune (which reports on its copy), and the
/// commune's figures for last year and this year typed in the entry grid.
pub(crate) async fn demo_work(app: &App, actor: &Actor, number: &str, commune: &str) -> Result<()> {
    if let Some(first) = app.store().tasks(number, Day::today()).await?.first() {
        app.assign_task(actor, first.id, &[commune.to_string()]).await?;
    }
    let year = Day::today().year();
    for (year, articles, trained) in [(year - 1, 8.0, 40.0), (year, 10.0, 46.0)] {
        let figures = [
            ("articles".to_string(), articles),
            ("vocational_trained".to_string(), trained),
        ];
        app.enter_values(actor, commune, Period::Year { year }, &figures, false)
            .await?;
    }
    Ok(())
}

/// A plan written as lines "title|…", "unit|CODE" (51 when absent),
/// "kind|plan", "implements|NUMBER|dd/mm/yyyy" (an outside document),
/// "target|INDICATOR|COMPARATOR|VALUE" (handed down by members) and
/// "task|TITLE|DIRECTING|LEAD|COORDINATING|DEADLINE": drafted, given its
/// targets and tasks, and issued by the operations a user calls.
async fn load_plan_text(app: &App, actor: &Actor, text: &str) -> Result<String> {
    let mut plan = PlanText {
        unit: "51".into(),
        // The demo's tree begins with the 2025 reform: the plan is entered
        // on that day, for the province as it is since.
        date: Day::REFORM_2025.to_string(),
        years: "2024-2030".into(),
        ..PlanText::default()
    };
    let (mut targets, mut tasks) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('|').collect();
        match cells[0] {
            "title" => plan.title = cells[1].to_string(),
            "unit" => plan.unit = cells[1].to_string(),
            "kind" => plan.kind = cells[1].to_string(),
            "implements" => {
                plan.implements_document = cells[1].to_string();
                plan.implements_date = cells[2].to_string();
            }
            "target" => targets.push((cells[1], cells[2], cells[3].parse::<f64>()?)),
            "task" => tasks.push(NewTask {
                title: cells[1].into(),
                directing: cells[2].into(),
                lead: cells[3].into(),
                coordinating: cells[4].into(),
                deadline: cells[5].into(),
                unit: String::new(),
            }),
            _ => {}
        }
    }
    let number = app.create_plan(actor, &plan).await?;
    for (indicator, comparator, value) in targets {
        let comparator = Comparator::parse(comparator).expect("the demo's comparators");
        let target = (plan.unit.clone(), indicator.to_string(), comparator, value);
        app.set_targets(actor, &number, &[target]).await?;
        app.split_target(actor, &number, &plan.unit, indicator, "members")
            .await?;
    }
    for task in &tasks {
        app.add_task(actor, &number, task).await?;
    }
    app.issue_plan(actor, &number, None).await?;
    Ok(number)
}

fn print_number(number: &str, json: bool) {
    if json {
        println!("{}", serde_json::json!({ "number": number }));
    } else {
        println!("{number}");
    }
}

/// A plan's head and the units below with their implementing plans.
fn show_plan(view: &PlanView, lang: Lang) {
    let p = &view.plan;
    let status = tr(lang, &format!("plan.status.{}", p.status), &[]);
    println!("{} · {} · {} · {status}", p.number, p.issued_on, p.unit_name);
    println!("{}", p.title);
    for row in &view.implementing {
        let late = if row.late {
            tr(lang, "plan.late", &[])
        } else {
            String::new()
        };
        let number = row.number.as_deref().unwrap_or("—");
        println!("  {:<10} {number:<28} {late}", row.unit);
    }
}

pub async fn run(cmd: PlansCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let app = App::new(store.clone());
    let actor = Actor::operator(author, lang);
    match cmd {
        PlansCommand::List { unit, json } => {
            let plans = store.plans(&unit).await?;
            if json {
                println!("{}", serde_json::to_string(&plans)?);
            } else if plans.is_empty() {
                println!("{}", tr(lang, "cli.no_plans", &[("unit", &unit)]));
            } else {
                for p in plans {
                    println!("{:<20} {} {}  {}", p.number, p.unit, p.issued_on, p.title);
                }
            }
        }
        PlansCommand::Indicators => {
            for i in all_indicators() {
                let name = if lang == Lang::En { i.name_en } else { i.name_vi };
                println!("{:<28} {name}", i.code);
            }
        }
        PlansCommand::AddIndicator {
            code,
            name,
            name_en,
            measure,
            ratio,
            over,
        } => {
            let new = hnd_store::NewIndicator {
                code,
                name_vi: name,
                name_en,
                measure,
                ratio: ratio.zip(over),
            };
            app.add_indicator(&actor, &new).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        PlansCommand::Create {
            unit,
            kind,
            title,
            years,
            number,
            date,
            implements,
            implements_document,
            implements_date,
            implement_by,
            json,
        } => {
            let text = PlanText {
                unit,
                kind,
                title,
                number: number.unwrap_or_default(),
                date: date.unwrap_or_default(),
                years,
                implements: implements.unwrap_or_default(),
                implements_document: implements_document.unwrap_or_default(),
                implements_date: implements_date.unwrap_or_default(),
                implement_by: implement_by.unwrap_or_default(),
            };
            let number = app.create_plan(&actor, &text).await?;
            print_number(&number, json);
        }
        PlansCommand::Edit {
            number,
            kind,
            title,
            years,
            date,
            implements,
            implement_by,
        } => {
            let mut text = PlanText::of(&store.plan(&number).await?);
            let given = [
                (&mut text.kind, kind),
                (&mut text.title, title),
                (&mut text.years, years),
                (&mut text.date, date),
                (&mut text.implements, implements),
                (&mut text.implement_by, implement_by),
            ];
            for (field, value) in given {
                if let Some(value) = value {
                    *field = value;
                }
            }
            app.edit_plan(&actor, &number, &text, None).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        PlansCommand::Issue { number, document } => {
            let document = match document {
                Some(path) => Some(crate::tasks::file_of(&path)?),
                None => None,
            };
            app.issue_plan(&actor, &number, document).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        PlansCommand::Withdraw { number } => {
            app.withdraw_plan(&actor, &number).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        PlansCommand::Version { number, json } => {
            let number = app.new_plan_version(&actor, &number).await?;
            print_number(&number, json);
        }
        PlansCommand::Show { number, unit, json } => {
            let view = readable_plan(&app, &actor, &number).await?;
            if json {
                println!("{}", serde_json::to_string(&view)?);
                return Ok(ExitCode::SUCCESS);
            }
            show_plan(&view, lang);
            let unit = unit.unwrap_or_else(|| view.plan.unit.clone());
            for t in store.targets(&number, &unit).await? {
                println!("{:<28} {:>2} {}", t.indicator, t.comparator, t.value);
            }
            for t in store.tasks(&number, Day::today()).await? {
                let late = if t.overdue {
                    tr(lang, "cli.overdue", &[])
                } else {
                    String::new()
                };
                println!("{}. {} — {} {late}", t.position, t.title, t.deadline);
            }
        }
        PlansCommand::Target {
            number,
            unit,
            indicator,
            comparator,
            value,
        } => {
            let comparator = Comparator::parse(&comparator).ok_or(PlanError::BadComparator { text: comparator })?;
            app.set_targets(&actor, &number, &[(unit, indicator, comparator, value)])
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        PlansCommand::Enter {
            unit,
            indicator,
            period,
            value,
            confirm,
        } => {
            let period = Period::parse(&period).map_err(|_| PlanError::BadPeriod { text: period.clone() })?;
            let figures = [(indicator, value)];
            app.enter_values(&actor, &unit, period, &figures, confirm).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        PlansCommand::ExportTargets { number, unit, file } => {
            hnd_import::export_targets(&store, &number, &unit, &file).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        PlansCommand::ImportTargets {
            number,
            file,
            comparator,
            mapping,
        } => {
            let comparator = Comparator::parse(&comparator).ok_or(PlanError::BadComparator { text: comparator })?;
            let table = match mapping {
                Some(m) => Some(crate::sheet_files::read(&file, &m, hnd_import::SheetKind::Targets)?),
                None => None,
            };
            return import_targets(&app, &actor, &number, (&file, table), comparator).await;
        }
        PlansCommand::MapTargets { file, out } => {
            crate::sheet_files::map(&file, hnd_import::SheetKind::Targets, out.as_deref(), lang)?;
        }
        PlansCommand::Ingest { file, unit, json } => {
            return crate::plan_reading::ingest(&app, &actor, &file, unit.as_deref(), json).await;
        }
        PlansCommand::Split {
            number,
            unit,
            indicator,
            by,
        } => {
            let outcome = app.split_target(&actor, &number, &unit, &indicator, &by).await?;
            println!(
                "{}",
                tr(
                    lang,
                    "cli.split",
                    &[
                        ("units", &outcome.units),
                        ("sum", &int(outcome.sum as i64, lang)),
                        ("parent", &int(outcome.parent as i64, lang))
                    ]
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn import_targets(
    app: &App,
    actor: &Actor,
    number: &str,
    sheet: (&std::path::Path, Option<hnd_import::Table>),
    comparator: Comparator,
) -> Result<ExitCode> {
    let lang = actor.lang;
    let allowed = |path: &str| app.may_set_target(actor, path);
    let store = app.store();
    let read = match sheet {
        (_, Some(table)) => hnd_import::read_targets_table(store, number, table, comparator, &allowed, lang).await?,
        (file, None) => hnd_import::read_targets(store, number, file, comparator, &allowed, lang).await?,
    };
    let targets = match read {
        Ok(t) => t,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}", e.message(lang));
            }
            eprintln!("{}", tr(lang, "import.rows_refused", &[("count", &errors.len())]));
            return Ok(ExitCode::FAILURE);
        }
    };
    let n = app.set_targets(actor, number, &targets).await?;
    println!(
        "{}",
        tr(lang, "cli.targets_imported", &[("count", &int(n as i64, lang))])
    );
    Ok(ExitCode::SUCCESS)
}

/// `hnd progress --unit CODE --plan NUMBER [--period YYYY] [--json]`.
pub async fn progress(
    db: &str,
    unit: &str,
    plan: &str,
    period: Option<&str>,
    json: bool,
    lang: Lang,
) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let period = match period {
        Some(text) => Period::parse(text).map_err(|_| PlanError::BadDeadline { text: text.into() })?,
        None => Period::Year {
            year: Day::today().year(),
        },
    };
    let rows = store.progress(plan, unit, period).await?;
    if json {
        let rows: Vec<_> = rows
            .iter()
            .map(|r| serde_json::json!({"indicator": r.indicator, "target": r.target, "actual": r.actual}))
            .collect();
        let out = serde_json::json!({"unit": unit, "plan": plan, "period": period.code(), "rows": rows});
        println!("{out}");
    } else {
        println!("{plan} · {unit} · {period}");
        for r in rows {
            let actual = r.actual.map(|a| int(a as i64, lang)).unwrap_or_else(|| "—".into());
            let state = match r.met {
                Some(true) => tr(lang, "cli.met", &[]),
                Some(false) => tr(lang, "cli.not_met", &[]),
                None => String::new(),
            };
            println!(
                "{:<28} {:>2} {:>10}  {:>10}  {state}",
                r.indicator, r.comparator, r.target, actual
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
