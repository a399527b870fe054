//! `hnd tasks …`: the tasks of plans, their reports, and the bodies they name.

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{Day, Lang};
use hnd_store::{NewFile, Store};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum TasksCommand {
    /// Tasks, late ones first: of one plan, or naming one body.
    List {
        #[arg(long)]
        plan: Option<String>,
        /// A body's name as tasks write it (marks and case do not matter).
        #[arg(long)]
        body: Option<String>,
        /// Only the late ones.
        #[arg(long)]
        late: bool,
        #[arg(long)]
        json: bool,
    },
    /// One task with its reports.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Report progress: a note, the status it leaves (open, in_progress,
    /// done) and files to attach.
    Report {
        id: i64,
        #[arg(long)]
        status: String,
        #[arg(long)]
        note: String,
        #[arg(long)]
        file: Vec<std::path::PathBuf>,
    },
    /// The bodies tasks name, with how many tasks each and the groups
    /// they belong to; or record that a body belongs to a group ("Các sở,
    /// ban, ngành cấp tỉnh": a task given to the group reaches the body's
    /// account), or that it does not.
    Bodies {
        /// GROUP BODY: the body belongs to the group.
        #[arg(long, num_args = 2, value_names = ["GROUP", "BODY"])]
        link: Option<Vec<String>>,
        /// GROUP BODY: the body does not belong to the group.
        #[arg(long, num_args = 2, value_names = ["GROUP", "BODY"], conflicts_with = "link")]
        unlink: Option<Vec<String>>,
    },
}

pub async fn run(cmd: TasksCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let today = Day::today();
    match cmd {
        TasksCommand::List { plan, body, late, json } => {
            let body_id = match &body {
                Some(b) => Some(store.body(b).await?.0),
                None => None,
            };
            let mut tasks = store.all_tasks(body_id, today, i64::MAX).await?;
            if let Some(p) = &plan {
                store.plan(p).await?;
                tasks.retain(|t| &t.plan == p);
                tasks.sort_by_key(|t| t.position);
            }
            if late {
                tasks.retain(|t| t.overdue);
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&tasks)?);
            } else if tasks.is_empty() {
                println!("{}", tr(lang, "cli.no_tasks", &[]));
            } else {
                for t in &tasks {
                    let late = if t.overdue {
                        format!(" [{}]", tr(lang, "web.overdue", &[]))
                    } else {
                        String::new()
                    };
                    println!(
                        "{:>5}  {}  {} — {} · {}{late}",
                        t.id,
                        t.plan,
                        t.title,
                        t.deadline,
                        tr(lang, &format!("task.status.{}", t.status), &[])
                    );
                }
            }
        }
        TasksCommand::Show { id, json } => {
            let d = store.task(id, today).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                println!("{} ({})", d.task.title, d.task.plan);
                println!("  {}: {}", tr(lang, "web.deadline", &[]), d.task.deadline);
                println!(
                    "  {}: {}",
                    tr(lang, "web.status", &[]),
                    tr(lang, &format!("task.status.{}", d.task.status), &[])
                );
                for (_, name, role) in &d.bodies {
                    let role = if role == "lead" {
                        "web.lead_body"
                    } else {
                        "web.coordinating_bodies"
                    };
                    println!("  {}: {name}", tr(lang, role, &[]));
                }
                for n in &d.notes {
                    let files: Vec<_> = n.files.iter().map(|f| f.name.as_str()).collect();
                    println!(
                        "  - {} {} ({}): {} {}",
                        n.written_at,
                        n.author,
                        tr(lang, &format!("task.status.{}", n.status), &[]),
                        n.note,
                        files.join(", ")
                    );
                }
            }
        }
        TasksCommand::Report { id, status, note, file } => {
            let mut files = Vec::new();
            for path in file {
                files.push(file_of(&path)?);
            }
            let report = hnd_app::TaskReport { status, note, files };
            let app = hnd_app::App::new(store.clone());
            app.report_task(&hnd_app::Actor::operator(author, lang), id, report)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        TasksCommand::Bodies { link, unlink } => {
            let change = link.map(|v| (v, true)).or(unlink.map(|v| (v, false)));
            if let Some((pair, member)) = change {
                store.set_body_group(&pair[0], &pair[1], member).await?;
                println!("{}", tr(lang, "cli.done", &[]));
            }
            let groups = store.body_groups().await?;
            for (id, name, n) in store.bodies().await? {
                match groups.get(&id) {
                    Some(g) => println!("{n:>4}  {name}  ({})", g.join("; ")),
                    None => println!("{n:>4}  {name}"),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A file to attach, read from `path`.
pub(crate) fn file_of(path: &std::path::Path) -> Result<NewFile> {
    let content = std::fs::read(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tep".into());
    Ok(NewFile {
        name,
        content_type: "application/octet-stream".into(),
        content,
    })
}
