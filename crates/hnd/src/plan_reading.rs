//! `hnd plans ingest`: a plan's text (DOCX, PDF with a text layer, plain
//! text) read into a draft, printed; with `--unit`, written as that unit's
//! draft plan through the same operation the web's review page uses.

use crate::tr;
use anyhow::Result;
use hnd_app::{Actor, App, first_review, read_plan_document};
use hnd_domain::Lang;
use hnd_domain::fmt::figure;
use hnd_ingest::Draft;
use std::path::Path;
use std::process::ExitCode;

/// Reads `file`; with `unit`, writes its draft plan there: the tasks
/// with a lead body and a deadline read, and the targets whose indicator
/// the catalogue names (the others are listed, to complete on the web's
/// review page, or add with `plans target` and `tasks create`).
pub async fn ingest(app: &App, actor: &Actor, file: &Path, unit: Option<&str>, json: bool) -> Result<ExitCode> {
    let lang = actor.lang;
    let bytes = std::fs::read(file)?;
    let draft = read_plan_document(app, actor, unit, &bytes).await?;
    let mut written = None;
    let mut left_out: Vec<String> = Vec::new();
    if let Some(unit) = unit {
        let mut review = first_review(unit, &draft);
        for t in review.targets.iter_mut().filter(|t| t.indicator.is_empty() && !t.skip) {
            t.skip = true;
            left_out.push(t.text.clone());
        }
        for t in review.tasks.iter_mut().filter(|t| t.task.task().check().is_err()) {
            t.skip = true;
            left_out.push(t.task.title.clone());
        }
        written = Some(app.create_plan_from_reading(actor, &review).await?);
    }
    if json {
        let mut out = serde_json::to_value(&draft)?;
        if let Some(number) = &written {
            out["plan"] = number.clone().into();
            out["left_out"] = left_out.clone().into();
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    print_draft(&draft, lang);
    if let Some(number) = written {
        println!();
        println!("{}", tr(lang, "cli.read_plan_written", &[("number", &number)]));
        for text in &left_out {
            println!("  {} {text}", tr(lang, "cli.read_plan_left_out", &[]));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The draft as text, written at once (a closed pipe, as `| head` closes
/// it, ends the output quietly).
fn print_draft(d: &Draft, lang: Lang) {
    use std::fmt::Write as _;
    let mut out = String::new();
    let head = [
        ("cli.read_number", &d.number),
        ("cli.read_date", &d.date),
        ("cli.read_issuer", &d.issuer),
        ("cli.read_title", &d.title),
        ("cli.read_period", &d.period),
    ];
    for (key, value) in head {
        let _ = writeln!(
            out,
            "{:<18} {}",
            tr(lang, key, &[]),
            if value.is_empty() { "—" } else { value }
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", tr(lang, "cli.read_targets", &[("n", &d.targets.len())]));
    for (i, t) in d.targets.iter().enumerate() {
        let indicator = match (&t.indicator, &t.proposed) {
            (Some(code), _) => code.clone(),
            (None, Some(name)) => format!("+ {name}"),
            (None, None) => "?".into(),
        };
        let value = match t.value_max {
            Some(max) => format!("{}–{}", figure(t.value, lang), figure(max, lang)),
            None => format!("{} {}", t.comparator.code(), figure(t.value, lang)),
        };
        let when = [t.period.as_str(), t.scope.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let not = if t.not_target {
            format!(" ({})", tr(lang, "cli.read_not_target", &[]))
        } else {
            String::new()
        };
        let _ = writeln!(out, "{:>3}. [{indicator}] {value} {} {when}{not}", i + 1, t.unit);
        let _ = writeln!(out, "     «{}»", t.text);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", tr(lang, "cli.read_tasks", &[("n", &d.tasks.len())]));
    for (i, t) in d.tasks.iter().enumerate() {
        let _ = writeln!(out, "{:>3}. {}", i + 1, t.title);
        let roles = [
            ("cli.read_directing", t.directing.clone()),
            ("cli.read_lead", t.lead.clone()),
            ("cli.read_coordinating", t.coordinating.join("; ")),
            ("cli.read_deadline", t.deadline.clone()),
        ];
        for (key, value) in roles.iter().filter(|(_, v)| !v.is_empty()) {
            let _ = writeln!(out, "     {}: {value}", tr(lang, key, &[]));
        }
    }
    use std::io::Write as _;
    let _ = std::io::stdout().write_all(out.as_bytes());
}
