//! `hnd tasks …`: the tasks of plans, their reports, and the bodies they name.

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{Day, Lang};
use hnd_store::{NewFile, Store};
use std::process::ExitCode;

/// A task's fields as options: for a new task, or, each given, replacing
/// the field of a task being changed.
#[derive(clap::Args, Debug)]
pub struct TaskFields {
    /// What is to be done.
    #[arg(long)]
    title: Option<String>,
    /// The body that leads it (several between semicolons).
    #[arg(long)]
    lead: Option<String>,
    /// The body that directs it.
    #[arg(long)]
    directing: Option<String>,
    /// A coordinating body; repeat for each.
    #[arg(long)]
    coordinating: Vec<String>,
    /// "quý II/2026", "tháng 7/2026", "năm 2030", dd/mm/yyyy,
    /// "hằng năm trước ngày 15/11" or "thường xuyên".
    #[arg(long)]
    deadline: Option<String>,
    /// The unit that owns the task: the plan's unit or one below it (the
    /// plan's unit when left out).
    #[arg(long)]
    unit: Option<String>,
}

impl TaskFields {
    /// `text` with the fields given replaced.
    fn over(self, mut text: hnd_app::TaskText) -> hnd_app::TaskText {
        let names = |n: String| hnd_app::Names::One(n);
        let given = [
            (&mut text.title, self.title),
            (&mut text.deadline, self.deadline),
            (&mut text.unit, self.unit),
        ];
        for (field, value) in given {
            if let Some(value) = value {
                *field = value;
            }
        }
        if let Some(lead) = self.lead {
            text.lead = names(lead);
        }
        if let Some(directing) = self.directing {
            text.directing = names(directing);
        }
        if !self.coordinating.is_empty() {
            text.coordinating = hnd_app::Names::Many(self.coordinating);
        }
        text
    }
}

#[derive(Subcommand, Debug)]
pub enum TasksCommand {
    /// Add a task to a plan; prints its id.
    Create {
        #[arg(long)]
        plan: String,
        #[command(flatten)]
        fields: TaskFields,
        #[arg(long)]
        json: bool,
    },
    /// Change a task: the options given replace its fields (its copies
    /// given to units below follow).
    Edit {
        id: i64,
        #[command(flatten)]
        fields: TaskFields,
    },
    /// Give a task to units below its own: each reports on its own copy.
    Assign {
        id: i64,
        /// A unit below the task's; repeat for each.
        #[arg(long = "unit", required = true)]
        units: Vec<String>,
        #[arg(long)]
        json: bool,
    },
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
    let app = hnd_app::App::new(store.clone());
    let actor = hnd_app::Actor::operator(author, lang);
    match cmd {
        TasksCommand::Create { plan, fields, json } => {
            let text = fields.over(hnd_app::TaskText::default());
            let id = app.add_task(&actor, &plan, &text.task()).await?;
            if json {
                println!("{}", serde_json::json!({ "id": id }));
            } else {
                println!("{id}");
            }
        }
        TasksCommand::Edit { id, fields } => {
            let task = store.task(id, today).await?.task;
            let text = fields.over(hnd_app::TaskText::of(&task));
            app.edit_task(&actor, id, &text.task()).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        TasksCommand::Assign { id, units, json } => {
            let given = app.assign_task(&actor, id, &units).await?;
            if json {
                let given: Vec<_> = given
                    .iter()
                    .map(|(unit, id)| serde_json::json!({"unit": unit, "id": id}))
                    .collect();
                println!("{}", serde_json::Value::from(given));
            } else {
                for (unit, id) in given {
                    println!("{id:>5}  {unit}");
                }
            }
        }
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
                    // A copy given to a unit below names its unit.
                    let unit = match t.origin {
                        Some(_) => format!(" ({})", t.unit),
                        None => String::new(),
                    };
                    println!(
                        "{:>5}  {}  {}{unit} — {} · {}{late}",
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
                let unit = format!("{} {}", d.task.unit, d.task.unit_name);
                println!("  {}: {unit}", tr(lang, "web.task_unit", &[]));
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
                for c in &d.copies {
                    let status = tr(lang, &format!("task.status.{}", c.status), &[]);
                    let copy = format!("{} {}", c.unit, c.unit_name);
                    println!("  {}: {copy} (#{}) · {status}", tr(lang, "web.task_copies", &[]), c.id);
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
            app.report_task(&actor, id, report).await?;
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
