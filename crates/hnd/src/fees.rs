//! `hnd fees …`: membership fees. A province's rate for a year and its
//! shares by level, who paid in a branch, what a unit's subtree collected,
//! a member's payments. Each writes through its operation (audited there).

use crate::input::day_or_today;
use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::fmt::int;
use hnd_domain::{FeeRate, Lang};
use hnd_store::Store;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum FeesCommand {
    /// A province's fee for a year and the share each level keeps, in
    /// đồng ("24.000" or 24000); the shares add up to the fee.
    Rate {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        amount: String,
        /// Kept by the branch.
        #[arg(long)]
        branch: String,
        /// Sent to the commune's union.
        #[arg(long)]
        base: String,
        /// Sent to the province.
        #[arg(long)]
        province: String,
        /// Sent to the Central Committee.
        #[arg(long)]
        central: String,
    },
    /// Members who paid the year's fee (all or none).
    Pay {
        #[arg(long)]
        year: i32,
        /// The day it was paid (dd/mm/yyyy; today when left out).
        #[arg(long)]
        date: Option<String>,
        #[arg(required = true)]
        members: Vec<i64>,
    },
    /// What a unit's subtree collected in a year, by unit below.
    Report {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// A member's payments, year by year.
    Member {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: FeesCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let app = hnd_app::App::new(store);
    let actor = hnd_app::Actor::operator(author, lang);
    match cmd {
        FeesCommand::Rate {
            unit,
            year,
            amount,
            branch,
            base,
            province,
            central,
        } => {
            let rate = FeeRate::parse([&amount, &branch, &base, &province, &central].map(String::as_str));
            app.set_fee_rate(&actor, &unit, year, rate).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        FeesCommand::Pay { year, date, members } => {
            let day = day_or_today(date.as_deref())?;
            let total = app.record_fees(&actor, &members, year, day).await?;
            let (n, total) = (int(members.len() as i64, lang), int(total, lang));
            println!("{}", tr(lang, "cli.fees_paid", &[("n", &n), ("total", &total)]));
        }
        FeesCommand::Report { unit, year, json } => {
            let report = app.fee_report(&actor, &unit, year).await?;
            if json {
                println!("{}", serde_json::to_string(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            for r in report.rows.iter().chain([&report.total]) {
                println!(
                    "{:<14} {:<40} {:>8} / {:<8} {:>14} đ",
                    r.code,
                    r.name,
                    int(r.paid, lang),
                    int(r.members, lang),
                    int(r.collected, lang)
                );
            }
        }
        FeesCommand::Member { id, json } => {
            let paid = app.member_fees(&actor, id).await?;
            if json {
                println!("{}", serde_json::to_string(&paid)?);
                return Ok(ExitCode::SUCCESS);
            }
            for p in &paid {
                let day = hnd_domain::Day::from_iso(&p.paid_on)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                println!(
                    "{}  {:>10} đ  {day}  {} {}",
                    p.year,
                    int(p.amount, lang),
                    p.unit_code,
                    p.unit_name
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo's fees: every province sets this year's fee (a sample of
/// 24.000 đ a year, 12.000 kept by the branch, 6.000 to the commune,
/// 4.000 to the province, 2.000 to the Centre: illustrative figures, each
/// province sets its own), and two in three active members of `commune`
/// have paid, so the fees pages open on a year under way.
pub(crate) async fn load_demo_fees(app: &hnd_app::App, actor: &hnd_app::Actor, commune: &str) -> Result<()> {
    let store = app.store();
    let today = hnd_domain::Day::today();
    let root = store.root(today).await?.expect("the demo has a tree");
    for province in store.children(root.id, today).await? {
        let rate = FeeRate::new(24_000, 12_000, 6_000, 4_000, 2_000);
        app.set_fee_rate(actor, &province.code, today.year(), rate).await?;
    }
    let query = hnd_store::MemberQuery {
        scope: commune.to_string(),
        status: Some("active".into()),
        limit: 100_000,
        ..Default::default()
    };
    let (members, _) = store.find_members(&query).await?;
    let paying: Vec<i64> = members.iter().map(|m| m.id).filter(|id| id % 3 != 0).collect();
    if !paying.is_empty() {
        app.record_fees(actor, &paying, today.year(), today).await?;
    }
    Ok(())
}
