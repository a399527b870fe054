//! `hnd plans …` and `hnd progress`: plans, their targets and tasks, and a
//! unit's progress against them from the register.

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_app::{Actor, App};
use hnd_domain::plan::{Comparator, Period, all_indicators};
use hnd_domain::{Day, Lang, PlanError, fmt::int};
use hnd_store::{NewPlan, NewTask, Store};
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
    /// A plan's targets for a unit, and its tasks.
    Show {
        number: String,
        #[arg(long)]
        unit: Option<String>,
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
    /// Enter a figure the register cannot know, for a unit and period.
    Enter {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        indicator: String,
        /// 2026, quý II/2026, 6 tháng/2026, tháng 3/2026.
        #[arg(long)]
        period: String,
        #[arg(long)]
        value: f64,
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

/// A plan written as lines "title|…", "unit|CODE" (51 when absent),
/// "target|INDICATOR|COMPARATOR|VALUE" (handed down by members) and
/// "task|TITLE|DIRECTING|LEAD|COORDINATING|DEADLINE".
async fn load_plan_text(app: &App, actor: &Actor, text: &str) -> Result<String> {
    let (mut title, mut unit) = (String::new(), "51".to_string());
    let (mut targets, mut tasks) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('|').collect();
        match cells[0] {
            "title" => title = cells[1].to_string(),
            "unit" => unit = cells[1].to_string(),
            "target" => targets.push((cells[1], cells[2], cells[3].parse::<f64>()?)),
            "task" => tasks.push(NewTask {
                title: cells[1].into(),
                directing: cells[2].into(),
                lead: cells[3].into(),
                coordinating: cells[4].into(),
                deadline: cells[5].into(),
            }),
            _ => {}
        }
    }
    let plan = NewPlan {
        number: None,
        title,
        unit: unit.clone(),
        // The demo's tree begins with the 2025 reform: the plan is entered
        // on that day, for the province as it is since.
        issued_on: Day::REFORM_2025,
        first_year: 2024,
        last_year: 2030,
    };
    let number = app.create_plan(actor, &plan).await?;
    for (indicator, comparator, value) in targets {
        let comparator = Comparator::parse(comparator).expect("the demo's comparators");
        let target = (unit.clone(), indicator.to_string(), comparator, value);
        app.set_targets(actor, &number, &[target]).await?;
        app.split_target(actor, &number, &unit, indicator, "members").await?;
    }
    for task in &tasks {
        app.add_task(actor, &number, task).await?;
    }
    Ok(number)
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
        PlansCommand::Show { number, unit } => {
            let unit = match unit {
                Some(u) => u,
                None => store.plan(&number).await?.unit,
            };
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
        } => {
            let period = Period::parse(&period).map_err(|_| PlanError::BadDeadline { text: period.clone() })?;
            app.enter_value(&actor, &unit, &indicator, period, value).await?;
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
        } => {
            let comparator = Comparator::parse(&comparator).ok_or(PlanError::BadComparator { text: comparator })?;
            return import_targets(&app, &actor, &number, &file, comparator).await;
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
    file: &std::path::Path,
    comparator: Comparator,
) -> Result<ExitCode> {
    let lang = actor.lang;
    let allowed = |path: &str| app.may_set_target(actor, path);
    let targets = match hnd_import::read_targets(app.store(), number, file, comparator, &allowed, lang).await? {
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
