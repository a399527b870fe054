//! `hnd reports list|edit|submit|return|approve|unlock|aggregate|export`:
//! periodic reports up the tree, through the operations of the
//! application layer (audited there).

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::ReportStep;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Which report: the unit, the form and the period.
#[derive(clap::Args, Debug, Clone)]
pub struct Which {
    #[arg(long)]
    pub unit: String,
    /// strength (thực lực Hội), six_month (sơ kết 6 tháng) or year (tổng kết năm).
    #[arg(long, default_value = "strength")]
    pub form: String,
    /// 2026, 2026-Q2, 2026-H1 (or "quý II/2026", "6 tháng/2026").
    #[arg(long)]
    pub period: String,
}

#[derive(Subcommand, Debug)]
pub enum ReportFlowCommand {
    /// A unit's report and those of the units below (status, lateness).
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Write the draft: narrative parts (--part results=TEXT) and typed
    /// figures (--typed farm_households=1250).
    Edit {
        #[command(flatten)]
        which: Which,
        #[arg(long = "part", value_parser = key_value)]
        parts: Vec<(String, String)>,
        #[arg(long = "typed", value_parser = key_value)]
        typed: Vec<(String, String)>,
    },
    /// Fill the draft's typed figures with the sums of the approved reports below.
    Aggregate {
        #[command(flatten)]
        which: Which,
    },
    /// Submit the report to the level above.
    Submit {
        #[command(flatten)]
        which: Which,
    },
    /// Return a submitted report to its unit, saying what to change.
    Return {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        comment: String,
    },
    /// Approve a submitted report: the period's figures of the unit are locked.
    Approve {
        #[command(flatten)]
        which: Which,
    },
    /// Unlock an approved report (the approving level only): back to its unit.
    Unlock {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        comment: String,
    },
    /// Write the report as an official document (DOCX or PDF).
    Export {
        #[command(flatten)]
        which: Which,
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

fn key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .ok_or_else(|| format!("KEY=VALUE: {text}"))
}

pub async fn run(cmd: ReportFlowCommand, app: &hnd_app::App, actor: &hnd_app::Actor) -> Result<ExitCode> {
    let lang = actor.lang;
    let step = |which: &Which, step: ReportStep, comment: &str| {
        let which = which.clone();
        let comment = comment.to_string();
        async move {
            let at = (which.form.as_str(), which.period.as_str());
            app.report_step(actor, &which.unit, at, step, &comment).await?;
            println!("{}", tr(lang, &format!("report.done.{}", step.code()), &[]));
            Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
        }
    };
    match cmd {
        ReportFlowCommand::List { which, json } => {
            let view = app.report_view(actor, &which.unit, &which.form, &which.period).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&view)?);
                return Ok(ExitCode::SUCCESS);
            }
            let status = |s: Option<&str>| match s.and_then(hnd_domain::ReportStatus::parse) {
                Some(s) => s.label(lang),
                None => tr(lang, "report.status.missing", &[]),
            };
            let own = view.report.as_ref().map(|r| r.status.as_str());
            println!(
                "{} ({}) · {} · {}",
                view.unit.name,
                view.unit.code,
                view.period,
                status(own)
            );
            println!("{}: {}", tr(lang, "report.deadline", &[]), view.deadline);
            for b in &view.below {
                let late = if b.late {
                    tr(lang, "report.late", &[])
                } else {
                    String::new()
                };
                println!("  {}\t{}\t{}\t{late}", b.code, b.name, status(b.status.as_deref()));
            }
        }
        ReportFlowCommand::Edit { which, parts, typed } => {
            let parts: BTreeMap<String, String> = parts.into_iter().collect();
            let typed: BTreeMap<String, String> = typed.into_iter().collect();
            let at = (which.form.as_str(), which.period.as_str());
            app.save_report(actor, &which.unit, at, &parts, &typed).await?;
            println!("{}", tr(lang, "report.saved", &[]));
        }
        ReportFlowCommand::Aggregate { which } => {
            app.aggregate_report(actor, &which.unit, &which.form, &which.period)
                .await?;
            println!("{}", tr(lang, "report.saved", &[]));
        }
        ReportFlowCommand::Submit { which } => return step(&which, ReportStep::Submit, "").await,
        ReportFlowCommand::Return { which, comment } => return step(&which, ReportStep::Return, &comment).await,
        ReportFlowCommand::Approve { which } => return step(&which, ReportStep::Approve, "").await,
        ReportFlowCommand::Unlock { which, comment } => return step(&which, ReportStep::Unlock, &comment).await,
        ReportFlowCommand::Export { which, format, out } => {
            let bytes = app
                .report_document(actor, &which.unit, &which.form, &which.period, &format)
                .await?;
            std::fs::write(&out, bytes)?;
            println!("{}", tr(lang, "report.written", &[("path", &out.display())]));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo's reports, written through the operations a user calls: in
/// the province of the officer's `commune`, that commune's six-month
/// review approved (its figures locked), another commune's submitted and
/// awaiting the province, a third's returned with a comment. Prints what
/// was written.
pub async fn load_demo_reports(app: &hnd_app::App, actor: &hnd_app::Actor, commune: &str) -> Result<()> {
    let lang = actor.lang;
    let store = app.store();
    let today = hnd_domain::Day::today();
    let unit = store.unit(commune, today).await?.unit;
    let Some(province) = store.ancestors(&unit, today).await?.pop() else {
        return Ok(());
    };
    let period = format!("{}-H1", today.year());
    let at = ("six_month", period.as_str());
    let others: Vec<String> = store
        .children(province.id, today)
        .await?
        .into_iter()
        .filter(|c| c.code != unit.code)
        .map(|c| c.code)
        .take(2)
        .collect();
    let text = |k: &str, v: &str| (k.to_string(), v.to_string());
    let parts: BTreeMap<String, String> = [
        text(
            "results",
            "Kết nạp 120 hội viên mới, thành lập 2 chi hội nghề nghiệp; 95% hội viên tham gia sinh hoạt.",
        ),
        text(
            "shortcomings",
            "Một số chi hội sinh hoạt chưa đều; nguồn vốn Quỹ Hỗ trợ nông dân còn hạn chế.",
        ),
        text(
            "next_tasks",
            "Tiếp tục phát triển hội viên, củng cố chi hội nghề nghiệp, đẩy mạnh phong trào sản xuất, kinh doanh giỏi.",
        ),
    ]
    .into_iter()
    .collect();
    let typed: BTreeMap<String, String> = [
        text("farm_households", "3.250"),
        text("villages", "12"),
        text("villages_with_branch", "12"),
    ]
    .into_iter()
    .collect();
    let mut written = 0;
    for (i, code) in std::iter::once(unit.code.clone()).chain(others).enumerate() {
        app.save_report(actor, &code, at, &parts, &typed).await?;
        app.report_step(actor, &code, at, ReportStep::Submit, "").await?;
        match i {
            0 => {
                app.report_step(actor, &code, at, ReportStep::Approve, "").await?;
            }
            2 => {
                let comment = "Bổ sung số thôn, tổ dân phố chưa có chi hội và nguyên nhân.";
                app.report_step(actor, &code, at, ReportStep::Return, comment).await?;
            }
            _ => {}
        }
        written += 1;
    }
    let label = hnd_domain::report::period_of(&period)
        .map(|p| p.to_string())
        .unwrap_or(period.clone());
    let line = tr(
        lang,
        "cli.demo_reports",
        &[("count", &written), ("province", &province.name), ("period", &label)],
    );
    println!("{line}");
    Ok(())
}
