//! `hnd reports …`: reports computed from the register. The strength
//! report (báo cáo thực lực Hội) of a unit for a period, as text, JSON or
//! an XLSX workbook (whose download is audited as an export).

use crate::tr;
use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use hnd_domain::Lang;
use hnd_domain::fmt::int;
use hnd_domain::strength::COLUMNS;
use hnd_store::{Figure, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Xlsx,
    Docx,
    Pdf,
}

#[derive(Subcommand, Debug)]
pub enum ReportsCommand {
    /// The strength report of a unit for a period: each column's new, lost
    /// and total, the whole unit and each unit below it.
    Strength {
        #[arg(long)]
        unit: String,
        /// 2025 (the year), 2025-Q1 … 2025-Q4, 2025-H1 (six months),
        /// 2025-9M, 2025-03 (a month); statistical cut-offs (Decree 09/2019).
        #[arg(long)]
        period: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Write a document instead (with --out).
        #[arg(long, requires = "out")]
        format: Option<Format>,
        #[arg(long, requires = "format")]
        out: Option<PathBuf>,
    },
    /// The workflow of periodic reports: list, edit, aggregate, submit,
    /// return, approve, unlock, export.
    #[command(flatten)]
    Flow(crate::report_flow::ReportFlowCommand),
}

pub async fn run(cmd: ReportsCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let app = hnd_app::App::new(store);
    let actor = hnd_app::Actor::operator(author, lang);
    match cmd {
        ReportsCommand::Flow(cmd) => return crate::report_flow::run(cmd, &app, &actor).await,
        ReportsCommand::Strength {
            unit,
            period,
            json,
            format,
            out,
        } => {
            let period = hnd_app::period_of(&period)?;
            if let (Some(format), Some(out)) = (format, out) {
                let bytes = match format {
                    Format::Xlsx => app.strength_workbook(&actor, &unit, period, lang).await?,
                    Format::Docx | Format::Pdf => {
                        let kind = if matches!(format, Format::Docx) { "docx" } else { "pdf" };
                        let code = period.code();
                        app.report_document(&actor, &unit, "strength", &code, kind).await?
                    }
                };
                std::fs::write(&out, bytes)?;
                println!("{}", tr(lang, "cli.done", &[]));
                return Ok(ExitCode::SUCCESS);
            }
            let report = app.strength_report(&actor, &unit, period).await?;
            if json {
                println!("{}", serde_json::to_string(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            let heading = tr(
                lang,
                "strength.title",
                &[("unit", &report.name), ("period", &report.period)],
            );
            println!("{heading}");
            let figure = |v: Option<i64>| v.map(|n| int(n, lang)).unwrap_or_default();
            for c in COLUMNS {
                let Figure { new, lost, total } = report.columns.get(c.key);
                let label = tr(lang, &format!("strength.col.{}", c.key), &[]);
                println!(
                    "{label:<36} {:>10} {:>10} {:>12}",
                    figure(new),
                    figure(lost),
                    figure(total)
                );
            }
            for b in &report.breakdowns {
                println!();
                println!("{}", tr(lang, &format!("strength.by.{}", b.by), &[]));
                for (code, n) in &b.parts {
                    let label = tr(lang, &hnd_domain::strength::breakdown_key(b.by, code), &[]);
                    println!("  {label:<34} {:>10}", int(*n, lang));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
