//! Arguments, dispatch and the one place errors become sentences.

#[cfg(feature = "bench")]
use crate::bench;
use crate::serve::{Ops, serve};
use crate::{backup, demo, fees, r#gen, households, members, org, plans, reports, settings, tasks, tr, users};
use anyhow::Result;
use clap::{Parser, Subcommand};
use hnd_domain::{Lang, OrgError};
use hnd_store::{Store, StoreError};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "hnd", version, about = "Hệ thống quản lý Hội Nông dân Việt Nam")]
pub struct Cli {
    /// Database: sqlite:PATH or postgres://…
    #[arg(long, global = true, env = "HND_DB", default_value = "sqlite:hnd.db")]
    pub db: String,
    /// Language of messages: vi (default) or en.
    #[arg(long, global = true, env = "HND_LANG", default_value = "vi")]
    pub lang: String,
    /// Who is making changes (written into the event log).
    #[arg(long, global = true, env = "HND_USER", default_value = "cli")]
    pub author: String,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or_default()
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the web server.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        ops: Ops,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Fresh demo database with the 2025 tree and sample branches, then serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Build the data and exit without serving.
        #[arg(long)]
        no_serve: bool,
        /// Members to generate (a province-sized register by default).
        #[arg(long, default_value_t = 300_000)]
        members: usize,
        #[command(flatten)]
        ops: Ops,
    },
    /// The organisation tree.
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// The member register.
    #[command(subcommand)]
    Members(members::MembersCommand),
    /// Households and their category by year.
    #[command(subcommand)]
    Households(households::HouseholdsCommand),
    /// Membership fees: the province's rate, who paid, what was collected.
    #[command(subcommand)]
    Fees(fees::FeesCommand),
    /// Plans, their targets and tasks.
    #[command(subcommand)]
    Plans(plans::PlansCommand),
    /// Reports computed from the register: the strength report.
    #[command(subcommand)]
    Reports(reports::ReportsCommand),
    /// Tasks of plans: list, show, report progress, the bodies they name.
    #[command(subcommand)]
    Tasks(tasks::TasksCommand),
    /// A unit's progress against a plan's targets, from the register.
    Progress {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        plan: String,
        /// 2024, quý II/2024, 6 tháng/2024, tháng 3/2024 (default: this year).
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Accounts and their roles on units.
    #[command(subcommand)]
    Users(users::UsersCommand),
    /// Limits the operator may change: how far ahead a day may be entered,
    /// an applicant's minimum age.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Copy the whole database into FILE while it stays in use (SQLite: a
    /// database file; PostgreSQL: hnd's own COPY file).
    Backup { file: std::path::PathBuf },
    /// Restore a backup FILE into the empty database named by --db.
    Restore { file: std::path::PathBuf },
    /// Synthetic data.
    #[command(subcommand)]
    Gen(r#gen::GenCommand),
    /// Benchmarks (figures for BENCHMARKS.md; built with `--features bench`).
    #[cfg(feature = "bench")]
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// The audit action of a command that changes data or takes it out
/// (`cli.members.admit`, `cli.members.export`, ...), with its arguments,
/// passwords left out; `None` for commands that only read.
fn audited(command: &Command) -> Option<(String, String)> {
    const READ_ONLY: &[&str] = &[
        "Stats",
        "Show",
        "Log",
        "Count",
        "Search",
        "Duplicates",
        "List",
        "Indicators",
        "Bodies",
    ];
    let debug = format!("{command:?}");
    let mut words = debug
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty());
    let (group, action) = (words.next()?, words.next()?);
    // Operations of the application layer write their own entry, in the
    // change's transaction, with the unit and before/after.
    const OPERATIONS: &[(&str, &str)] = &[
        ("Members", "Add"),
        ("Members", "Admit"),
        ("Members", "Transfer"),
        ("Members", "ConfirmTransfer"),
        ("Members", "CancelTransfer"),
        ("Members", "Remove"),
        ("Members", "Death"),
        ("Members", "Leave"),
        ("Members", "Return"),
        ("Members", "Reinstate"),
        ("Members", "ReissueCard"),
        ("Members", "Correct"),
        ("Users", "Create"),
        ("Users", "Grant"),
        ("Users", "Revoke"),
        ("Users", "Passwd"),
        ("Users", "Token"),
        ("Members", "Withdraw"),
        ("Members", "DecideDuplicate"),
        ("Org", "Create"),
        ("Org", "Rename"),
        ("Org", "Move"),
        ("Org", "Merge"),
        ("Org", "Split"),
        ("Org", "Dissolve"),
        ("Households", "Create"),
        ("Households", "Join"),
        ("Households", "Category"),
        ("Members", "Role"),
        ("Members", "Title"),
        ("Members", "Rating"),
        ("Plans", "AddIndicator"),
        ("Plans", "Target"),
        ("Plans", "Enter"),
        ("Plans", "ImportTargets"),
        ("Plans", "Split"),
        ("Plans", "Create"),
        ("Plans", "Edit"),
        ("Plans", "Issue"),
        ("Plans", "Withdraw"),
        ("Plans", "Version"),
        ("Tasks", "Report"),
        ("Members", "Import"),
        ("Members", "Export"),
    ];
    if OPERATIONS.contains(&(group, action)) {
        return None;
    }
    // A profile shown, or changed by its operation (audited there).
    if action == "Profile" {
        return None;
    }
    // Bodies listed only, or a body linked to a group or unlinked.
    let changes_bodies = action == "Bodies" && debug.contains("link: Some");
    if !matches!(
        group,
        "Org" | "Members" | "Households" | "Plans" | "Tasks" | "Users" | "Gen" | "Settings"
    ) || (READ_ONLY.contains(&action) && !changes_bodies)
    {
        return None;
    }
    // Passwords never reach the log.
    let mut detail = String::new();
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("password: Some(\"") {
        detail.push_str(&rest[..at]);
        detail.push_str("password: <hidden>");
        let after = &rest[at + "password: Some(\"".len()..];
        rest = after.find("\")").map(|end| &after[end + 2..]).unwrap_or("");
    }
    detail.push_str(rest);
    Some((
        format!("cli.{}.{}", group.to_lowercase(), action.to_lowercase()),
        detail,
    ))
}

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let audit = audited(&cli.command);
    let (db, author) = (cli.db.clone(), cli.author.clone());
    let code = dispatch(cli).await?;
    // The command line's changes join the audit log beside the web's:
    // who (HND_USER / --author), what, from the command line.
    if let Some((action, detail)) = audit {
        let store = Store::open(&db).await?;
        let entry = hnd_store::Audit {
            actor: author,
            address: "cli".to_string(),
            action,
            unit_id: None,
            member_id: None,
            detail: serde_json::json!({ "command": detail }),
        };
        store.audit(&entry).await?;
    }
    Ok(code)
}

async fn dispatch(cli: Cli) -> Result<ExitCode> {
    let lang = cli.lang();
    match cli.command {
        Command::Serve { listen, ops } => {
            let store = Store::open(&cli.db).await?;
            serve(store, &listen, &ops, lang).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let store = Store::connect(&cli.db).await?;
            let applied = store.migrate().await?;
            println!("{}", tr(lang, "cli.migrated", &[("count", &applied.len())]));
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            listen,
            no_serve,
            members,
            ops,
        } => demo::run(&cli.db, &listen, &ops, no_serve, members, &cli.author, lang).await,
        Command::Org(cmd) => org::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Members(cmd) => members::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Households(cmd) => households::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Fees(cmd) => fees::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Plans(cmd) => plans::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Reports(cmd) => reports::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Tasks(cmd) => tasks::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Progress {
            unit,
            plan,
            period,
            json,
        } => plans::progress(&cli.db, &unit, &plan, period.as_deref(), json, lang).await,
        Command::Users(cmd) => users::run(cmd, &cli.db, &cli.author, lang).await,
        Command::Settings(cmd) => settings::run(cmd, &cli.db, lang).await,
        Command::Backup { file } => backup::backup(&cli.db, &file, &cli.author, lang).await,
        Command::Restore { file } => backup::restore(&cli.db, &file, &cli.author, lang).await,
        Command::Gen(cmd) => r#gen::run(cmd, &cli.db, &cli.author, lang).await,
        #[cfg(feature = "bench")]
        Command::Bench(cmd) => bench::run(cmd).await,
    }
}

/// The sentence a person reads for an error, in `lang`.
pub fn describe(e: &anyhow::Error, lang: Lang) -> String {
    let store_error = match e.downcast_ref::<hnd_app::AppError>() {
        Some(hnd_app::AppError::Store(e)) => Some(e),
        // Figures far from the period before are confirmed by a flag.
        Some(e @ hnd_app::AppError::Figures(problems)) if problems.iter().all(|p| p.warning) => {
            return format!("{} {}", e.message(lang), tr(lang, "cli.confirm_figures", &[]));
        }
        Some(other) => return other.message(lang),
        None => e.downcast_ref::<StoreError>(),
    };
    if let Some(e) = store_error {
        if let StoreError::Db(inner) = e {
            return format!("{} ({inner})", e.message(lang));
        }
        // A warning is confirmed on the command line by its flag.
        if let StoreError::Member(hnd_domain::MemberError::CccdMismatch { .. }) = e {
            return format!("{} {}", e.message(lang), tr(lang, "cli.accept_warnings", &[]));
        }
        return e.message(lang);
    }
    if let Some(e) = e.downcast_ref::<hnd_domain::PlanError>() {
        return e.message(lang);
    }
    if let Some(e) = e.downcast_ref::<hnd_domain::MemberError>() {
        return e.message(lang);
    }
    if let Some(e) = e.downcast_ref::<OrgError>() {
        return e.message(lang);
    }
    if let Some(e) = e.downcast_ref::<hnd_import::RunError>() {
        return e.message(lang);
    }
    if let Some(e) = e.downcast_ref::<hnd_import::ImportError>() {
        return e.message(lang);
    }
    tr(lang, "cli.error", &[("error", &format!("{e:#}"))])
}
