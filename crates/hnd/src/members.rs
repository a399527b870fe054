//! `hnd members …`: the member register from the command line.

use crate::cli::day_or_today;
use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{BirthDate, Cccd, Ethnicity, Lang, Phone, Sex, UnitCode, fmt::int};
use hnd_store::{Change, NewMember, Store};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum MembersCommand {
    /// Register an applicant in a branch or group.
    Add(Box<AddArgs>),
    /// A member, with history.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Admit an applicant (base committee decision).
    Admit {
        id: i64,
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Send a member to another branch or group (the receiving unit confirms).
    Transfer {
        id: i64,
        #[arg(long)]
        to: String,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Confirm a transfer at the receiving unit.
    ConfirmTransfer {
        id: i64,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Remove a member from the Union (reason required).
    Remove {
        id: i64,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Record a member's death.
    Death {
        id: i64,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Members of a unit's whole subtree on a day.
    Count {
        #[arg(long, default_value = "TW")]
        unit: String,
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Find members by name (accents ignored), CCCD, phone or card number.
    Search {
        text: String,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    #[arg(long)]
    name: String,
    /// dd/mm/yyyy, or only the year.
    #[arg(long)]
    birth: String,
    /// nam | nữ
    #[arg(long)]
    sex: String,
    #[arg(long)]
    unit: String,
    #[arg(long)]
    cccd: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    ethnicity: Option<String>,
    #[arg(long)]
    religion: Option<String>,
    #[arg(long)]
    village: Option<String>,
    /// Admit at once with this decision number (date: --date).
    #[arg(long)]
    decision: Option<String>,
    /// Accept a citizen id that disagrees with the birth year or sex.
    #[arg(long)]
    accept_warnings: bool,
    #[command(flatten)]
    when: crate::org::When,
}

/// A value on the command line that is not what the field needs.
fn bad(lang: Lang, field: &str, value: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        tr(
            lang,
            "member.bad_field",
            &[("field", &tr(lang, field, &[])), ("value", &value)]
        )
    )
}

pub async fn run(cmd: MembersCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let change = |when: &crate::org::When| Change::new(author, when.reason.clone());
    match cmd {
        MembersCommand::Add(args) => {
            let AddArgs {
                name,
                birth,
                sex,
                unit,
                cccd,
                phone,
                ethnicity,
                religion,
                village,
                decision,
                accept_warnings,
                when,
            } = *args;
            let new = NewMember {
                full_name: name,
                birth: BirthDate::parse(&birth).ok_or_else(|| bad(lang, "field.birth", &birth))?,
                sex: Sex::parse(&sex).ok_or_else(|| bad(lang, "field.sex", &sex))?,
                ethnicity: ethnicity
                    .map(|e| Ethnicity::parse(&e).ok_or_else(|| bad(lang, "field.ethnicity", &e)))
                    .transpose()?,
                religion,
                cccd: cccd
                    .map(|c| Cccd::parse(&c).map_err(|_| bad(lang, "field.cccd", &c)))
                    .transpose()?,
                phone: phone
                    .map(|p| Phone::parse(&p).map_err(|_| bad(lang, "field.phone", &p)))
                    .transpose()?,
                village,
                unit: UnitCode::parse(&unit)?,
            };
            let day = day_or_today(when.date.as_deref())?;
            let added = store.add_member(&new, day, accept_warnings, &change(&when)).await?;
            println!("{}", tr(lang, "cli.member_added", &[("id", &added.id)]));
            for dup in &added.likely_duplicates {
                let rule = tr(lang, &format!("member.rule.{}", dup.rule), &[]);
                println!(
                    "{}",
                    tr(
                        lang,
                        "cli.likely_duplicate",
                        &[("id", &dup.id), ("name", &dup.full_name), ("rule", &rule)]
                    )
                );
            }
            if let Some(decision) = decision {
                let card = store.admit(added.id, day, &decision, &change(&when)).await?;
                println!("{}", tr(lang, "cli.member_admitted", &[("card", &card)]));
            }
        }
        MembersCommand::Show { id, json } => {
            let member = store.member(id).await?;
            let events = store.member_events(id).await?;
            if json {
                println!("{}", serde_json::json!({ "member": member, "events": events }));
            } else {
                let status = tr(lang, &format!("member.status.{}", member.status), &[]);
                let sex = tr(lang, &format!("sex.{}", member.sex), &[]);
                println!(
                    "{} — {} ({}, {}) — {} — {}",
                    member.id, member.full_name, member.birth_date, sex, member.unit_code, status
                );
                if let Some(card) = &member.card_number {
                    println!("  {}", tr(lang, "cli.card", &[("card", card)]));
                }
                for e in events {
                    let kind = tr(lang, &format!("member.event.{}", e.kind), &[]);
                    let unit = e.unit_code.unwrap_or_default();
                    let decision = e.decision.map(|d| format!(" ({d})")).unwrap_or_default();
                    println!("  {}  {kind} {unit}{decision}  {} {}", e.date, e.author, e.reason);
                }
            }
        }
        MembersCommand::Admit { id, decision, when } => {
            let card = store
                .admit(id, day_or_today(when.date.as_deref())?, &decision, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.member_admitted", &[("card", &card)]));
        }
        MembersCommand::Transfer { id, to, when } => {
            store
                .send_transfer(id, &to, day_or_today(when.date.as_deref())?, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.transfer_sent", &[("to", &to)]));
        }
        MembersCommand::ConfirmTransfer { id, when } => {
            store
                .confirm_transfer(id, day_or_today(when.date.as_deref())?, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Remove { id, when } => {
            if when.reason.trim().is_empty() {
                anyhow::bail!("{}", tr(lang, "cli.reason_required", &[]));
            }
            store
                .end_membership(id, day_or_today(when.date.as_deref())?, false, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Death { id, when } => {
            store
                .end_membership(id, day_or_today(when.date.as_deref())?, true, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Count { unit, as_of, json } => {
            let day = day_or_today(as_of.as_deref())?;
            let members = store.count_members(&unit, day).await?;
            if json {
                /// Field order is part of the output's contract.
                #[derive(Serialize)]
                struct Count {
                    unit: String,
                    as_of: String,
                    members: i64,
                }
                println!(
                    "{}",
                    serde_json::to_string(&Count {
                        unit,
                        as_of: day.iso(),
                        members
                    })?
                );
            } else {
                let n = int(members, lang);
                println!(
                    "{}",
                    tr(
                        lang,
                        "cli.member_count",
                        &[("unit", &unit), ("date", &day), ("count", &n)]
                    )
                );
            }
        }
        MembersCommand::Search {
            text,
            unit,
            limit,
            json,
        } => {
            let found = store
                .search_members(&text, unit.as_deref(), limit.clamp(1, 1000))
                .await?;
            if json {
                println!("{}", serde_json::to_string(&found)?);
            } else if found.is_empty() {
                println!("{}", tr(lang, "cli.nothing_found", &[]));
            } else {
                for m in found {
                    println!("{:>8}  {:<30} {:>10}  {}", m.id, m.full_name, m.birth_date, m.unit_code);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
