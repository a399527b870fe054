//! `hnd members …`: the member register from the command line.

use crate::cli::{bad_field as bad, day_or_today};
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
    /// Admit applicants by one base committee decision (all or none).
    Admit {
        #[arg(required = true)]
        ids: Vec<i64>,
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
    /// Temporary leave (tạm nghỉ sinh hoạt).
    Leave {
        id: i64,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Back from temporary leave.
    Return {
        id: i64,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Admit again a member who had left (decision required).
    Reinstate {
        id: i64,
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Issue a new card with a new number.
    ReissueCard {
        id: i64,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Likely duplicates waiting for a decision.
    Duplicates {
        #[arg(long, default_value = "TW")]
        unit: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Decide a likely duplicate: --same (one person) or --different (two people).
    DecideDuplicate {
        member: i64,
        other: i64,
        #[arg(long, conflicts_with = "different", required_unless_present = "different")]
        same: bool,
        #[arg(long)]
        different: bool,
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
    /// Load members from a spreadsheet (.xlsx or .csv, see templates/hoi-vien-mau.csv):
    /// good rows are loaded, bad rows go to an error file to fix and import again.
    Import {
        file: std::path::PathBuf,
        /// Where to write the refused rows (default: FILE-loi.csv beside it).
        #[arg(long)]
        errors: Option<std::path::PathBuf>,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Write the members under a unit to .csv or .xlsx, in the import template's columns.
    Export {
        file: std::path::PathBuf,
        #[arg(long, default_value = "TW")]
        unit: String,
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
        MembersCommand::Admit { ids, decision, when } => {
            let day = day_or_today(when.date.as_deref())?;
            let cards = store.admit_many(&ids, day, &decision, &change(&when)).await?;
            for (id, card) in ids.iter().zip(cards) {
                println!("{id}: {}", tr(lang, "cli.member_admitted", &[("card", &card)]));
            }
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
        MembersCommand::Duplicates { unit, limit } => {
            let found = store.open_duplicates(&unit, limit).await?;
            if found.is_empty() {
                println!("{}", tr(lang, "cli.no_duplicates", &[]));
            }
            for (a, b, rule) in found {
                let rule = tr(lang, &format!("member.rule.{rule}"), &[]);
                println!(
                    "{} {} ({}) ~ {} {} ({}) — {rule}",
                    a.id, a.full_name, a.unit_code, b.id, b.full_name, b.unit_code
                );
            }
        }
        MembersCommand::DecideDuplicate {
            member,
            other,
            same,
            when,
            ..
        } => {
            store.decide_duplicate(member, other, same, &change(&when)).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Leave { id, when } => {
            store
                .start_leave(id, day_or_today(when.date.as_deref())?, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Return { id, when } => {
            store
                .return_from_leave(id, day_or_today(when.date.as_deref())?, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Reinstate { id, decision, when } => {
            store
                .reinstate(id, day_or_today(when.date.as_deref())?, &decision, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::ReissueCard { id, when } => {
            let card = store
                .reissue_card(id, day_or_today(when.date.as_deref())?, &change(&when))
                .await?;
            println!("{}", tr(lang, "cli.card", &[("card", &card)]));
        }
        MembersCommand::Import { file, errors, when } => {
            let day = day_or_today(when.date.as_deref())?;
            let errors_path = errors.unwrap_or_else(|| {
                let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("hoi-vien");
                file.with_file_name(format!("{stem}-loi.csv"))
            });
            return import(&store, &file, &errors_path, day, &change(&when), lang).await;
        }
        MembersCommand::Export { file, unit } => {
            let query = hnd_store::MemberQuery {
                scope: unit,
                ..Default::default()
            };
            let count = hnd_import::export_members(&store, &file, &query, true).await?;
            println!(
                "{}",
                tr(
                    lang,
                    "cli.exported",
                    &[("count", &int(count as i64, lang)), ("path", &file.display())]
                )
            );
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

/// Runs an import, printing progress, the first refusals and the summary;
/// fails (after loading the good rows) when some rows were refused.
pub(crate) async fn import(
    store: &Store,
    file: &std::path::Path,
    errors_path: &std::path::Path,
    day: hnd_domain::Day,
    change: &Change,
    lang: Lang,
) -> Result<ExitCode> {
    let mut progress = |s: &hnd_import::ImportSummary| {
        eprint!(
            "\r{}",
            tr(lang, "cli.import_progress", &[("done", &int(s.read as i64, lang))])
        );
    };
    let summary =
        hnd_import::import_members(store, file, errors_path, day, change, lang, &|_| true, &mut progress).await?;
    eprintln!();
    for line in summary.warnings.iter().take(20).chain(&summary.first_errors) {
        println!("  {line}");
    }
    let counts = [
        ("created", int(summary.created as i64, lang)),
        ("unchanged", int(summary.unchanged as i64, lang)),
        ("refused", int(summary.refused as i64, lang)),
    ];
    let args: Vec<(&str, &dyn std::fmt::Display)> =
        counts.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
    println!("{}", tr(lang, "cli.members_imported", &args));
    match summary.error_file {
        None => Ok(ExitCode::SUCCESS),
        Some(path) => {
            println!("{}", tr(lang, "cli.error_file", &[("path", &path.display())]));
            Ok(ExitCode::FAILURE)
        }
    }
}
