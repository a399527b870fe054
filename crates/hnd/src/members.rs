//! `hnd members …`: the member register from the command line.

use crate::input::{bad_field as bad, day_or_today};
use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_app::EndKind;
use hnd_domain::{BirthDate, Cccd, Ethnicity, Lang, Phone, Sex, UnitCode, fmt::int};
use hnd_store::{NewMember, Store};
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
    /// Cancel a transfer the sending unit recorded: the member stays.
    CancelTransfer {
        id: i64,
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
    /// Correct a member's name, birth date, CCCD, phone or village; each
    /// old value is kept. `-` clears CCCD, phone or village.
    Correct {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        /// dd/mm/yyyy or the year alone.
        #[arg(long)]
        birth: Option<String>,
        #[arg(long)]
        cccd: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        village: Option<String>,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// An applicant withdraws the application (rút đơn).
    Withdraw {
        id: i64,
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
        /// The unit imported into: every row's branch or group must be in it.
        #[arg(long, default_value = "TW")]
        unit: String,
        /// Where to write the refused rows (default: FILE-loi.csv beside it).
        #[arg(long)]
        errors: Option<std::path::PathBuf>,
        /// Read a file in a layout of its own through this mapping (see `members map`).
        #[arg(long)]
        mapping: Option<std::path::PathBuf>,
        /// Read it through the mapping saved under this name for the unit (see `members mappings`).
        #[arg(long, conflicts_with = "mapping")]
        saved: Option<String>,
        /// Take the mapping's branch matches that are marked confirm = true.
        #[arg(long)]
        accept_proposed: bool,
        #[command(flatten)]
        when: crate::org::When,
    },
    /// Mappings saved by name per unit, so that the next file in the same layout imports in one step.
    #[command(subcommand)]
    Mappings(crate::member_files::MappingsCommand),
    /// Propose a mapping for a member list in any layout (.xlsx, .xls, .ods, .csv, .txt):
    /// its header, each column's field, X-mark groups, branch names to units.
    Map {
        file: std::path::PathBuf,
        /// The unit the list will be imported into: its branches and groups are matched.
        #[arg(long)]
        unit: String,
        /// Write the mapping here (TOML) instead of printing it.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Also save the proposed mapping under this name for the unit.
        #[arg(long)]
        save: Option<String>,
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
        /// yes | no: has health insurance (BHYT) in their profile.
        #[arg(long)]
        bhyt: Option<String>,
        /// yes | no: has voluntary social insurance (BHXH tự nguyện).
        #[arg(long)]
        bhxh: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// A member's profile (hồ sơ); with --set, change fields of it.
    Profile {
        id: i64,
        /// FIELD=VALUE, repeatable: occupation=crop, bhyt=có, party_joined_on=03/02/2010
        /// (an empty VALUE clears the field).
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Positions held in the Union (chi hội trưởng, cán bộ chuyên trách…).
    #[command(subcommand)]
    Role(crate::member_profiles::RoleCommand),
    /// Titles and awards by year and level.
    #[command(subcommand)]
    Title(crate::member_profiles::TitleCommand),
    /// Yearly ratings, and the proposal to the Party.
    #[command(subcommand)]
    Rating(crate::member_profiles::RatingCommand),
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
    let app = hnd_app::App::new(store.clone());
    let actor = |when: &crate::org::When| hnd_app::Actor::operator(author, lang).with_reason(when.reason.clone());
    // Commands with no reason of their own (the profile and its entries).
    let actor_now = || hnd_app::Actor::operator(author, lang);
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
                unit: UnitCode::parse(&unit).map_err(hnd_domain::OrgError::from)?,
            };
            let day = day_or_today(when.date.as_deref())?;
            let input = hnd_app::AddMember {
                member: new,
                date: day,
                accept_warnings,
            };
            let added = app.add_member(&actor(&when), &input).await?;
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
                let admitted = app.admit(&actor(&when), &[added.id], day, &decision).await?;
                let card = admitted.into_iter().next().map(|a| a.card_number).unwrap_or_default();
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
            for admitted in app.admit(&actor(&when), &ids, day, &decision).await? {
                let card = admitted.card_number;
                println!(
                    "{}: {}",
                    admitted.id,
                    tr(lang, "cli.member_admitted", &[("card", &card)])
                );
            }
        }
        MembersCommand::Transfer { id, to, when } => {
            app.send_transfer(&actor(&when), id, &to, day_or_today(when.date.as_deref())?)
                .await?;
            println!("{}", tr(lang, "cli.transfer_sent", &[("to", &to)]));
        }
        MembersCommand::CancelTransfer { id, when } => {
            app.cancel_transfer(&actor(&when), id, day_or_today(when.date.as_deref())?)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::ConfirmTransfer { id, when } => {
            app.confirm_transfer(&actor(&when), id, day_or_today(when.date.as_deref())?)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Remove { id, when } => {
            if when.reason.trim().is_empty() {
                anyhow::bail!("{}", tr(lang, "cli.reason_required", &[]));
            }
            let day = day_or_today(when.date.as_deref())?;
            app.end_membership(&actor(&when), id, day, EndKind::Removed, &when.reason)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Death { id, when } => {
            let day = day_or_today(when.date.as_deref())?;
            app.end_membership(&actor(&when), id, day, EndKind::Death, &when.reason)
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
            app.decide_duplicate(&actor(&when), member, other, same).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Leave { id, when } => {
            app.start_leave(&actor(&when), id, day_or_today(when.date.as_deref())?)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Return { id, when } => {
            app.return_from_leave(&actor(&when), id, day_or_today(when.date.as_deref())?)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Reinstate { id, decision, when } => {
            app.reinstate(&actor(&when), id, day_or_today(when.date.as_deref())?, &decision)
                .await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Correct {
            id,
            name,
            birth,
            cccd,
            phone,
            village,
            when,
        } => {
            // `-` clears an optional field; absent leaves it.
            let cleared = |v: Option<String>| v.map(|v| Some(v).filter(|v| v.trim() != "-" && !v.trim().is_empty()));
            let fix = hnd_store::Correction {
                full_name: name,
                birth: birth
                    .map(|b| BirthDate::parse(&b).ok_or_else(|| bad(lang, "field.birth", &b)))
                    .transpose()?,
                cccd: cleared(cccd)
                    .map(|c| {
                        c.map(|c| Cccd::parse(&c).map_err(|_| bad(lang, "field.cccd", &c)))
                            .transpose()
                    })
                    .transpose()?,
                phone: cleared(phone)
                    .map(|p| {
                        p.map(|p| Phone::parse(&p).map_err(|_| bad(lang, "field.phone", &p)))
                            .transpose()
                    })
                    .transpose()?,
                village: cleared(village),
            };
            let day = day_or_today(when.date.as_deref())?;
            let changed = app
                .correct_member(&actor(&when), id, &fix, day, hnd_app::Personal::Keep)
                .await?;
            if changed.is_empty() {
                println!("{}", tr(lang, "cli.nothing_changed", &[]));
            }
            for c in changed {
                let field = tr(lang, &format!("audit.field.{}", c.field), &[]);
                let (old, new) = (c.old_value.unwrap_or_default(), c.new_value.unwrap_or_default());
                println!("{field}: {old} → {new}");
            }
        }
        MembersCommand::Withdraw { id, when } => {
            let day = day_or_today(when.date.as_deref())?;
            app.withdraw_application(&actor(&when), id, day, &when.reason).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::ReissueCard { id, when } => {
            let card = app
                .reissue_card(&actor(&when), id, day_or_today(when.date.as_deref())?)
                .await?;
            println!("{}", tr(lang, "cli.card", &[("card", &card)]));
        }
        MembersCommand::Import {
            file,
            unit,
            errors,
            mapping,
            saved,
            accept_proposed,
            when,
        } => {
            let day = day_or_today(when.date.as_deref())?;
            let errors_path = errors.unwrap_or_else(|| crate::member_files::errors_beside(&file));
            let actor = actor(&when);
            let mapped = match saved {
                Some(name) => crate::member_files::Mapped {
                    mapping: Some(app.import_mapping(&actor, &unit, &name).await?),
                    accept_proposed,
                },
                None => crate::member_files::Mapped::read(mapping.as_deref(), accept_proposed)?,
            };
            let at = (unit.as_str(), file.as_path(), errors_path.as_path());
            return crate::member_files::import(&app, &actor, at, day, &mapped).await;
        }
        MembersCommand::Mappings(cmd) => crate::member_files::mappings(&app, &actor_now(), cmd).await?,
        MembersCommand::Map { file, unit, out, save } => {
            let to = crate::member_files::MapTo {
                out: out.as_deref(),
                save: save.as_deref(),
            };
            crate::member_files::map(&app, &actor_now(), &file, &unit, to).await?;
        }
        MembersCommand::Export { file, unit } => {
            crate::member_files::export(&app, &actor_now(), &unit, &file).await?;
        }
        MembersCommand::Search {
            text,
            unit,
            bhyt,
            bhxh,
            limit,
            json,
        } => {
            let yes_no = |field: &str, value: Option<String>| -> Result<Option<bool>> {
                value
                    .map(|v| {
                        hnd_domain::profile::parse_yes_no(&v)
                            .flatten()
                            .ok_or_else(|| bad(lang, &format!("profile.field.{field}"), &v))
                    })
                    .transpose()
            };
            let (bhyt, bhxh) = (yes_no("bhyt", bhyt)?, yes_no("bhxh", bhxh)?);
            let found = if bhyt.is_some() || bhxh.is_some() {
                let query = hnd_store::MemberQuery {
                    scope: unit.unwrap_or_else(|| "TW".into()),
                    text: Some(text),
                    bhyt,
                    bhxh,
                    limit: limit.clamp(1, 500),
                    ..Default::default()
                };
                store.find_members(&query).await?.0
            } else {
                store
                    .search_members(&text, unit.as_deref(), limit.clamp(1, 1000))
                    .await?
            };
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
        MembersCommand::Profile { id, set, json } => {
            crate::member_profiles::profile(&app, &actor_now(), id, &set, json, lang).await?;
        }
        MembersCommand::Role(cmd) => crate::member_profiles::role(&app, &actor_now(), cmd, lang).await?,
        MembersCommand::Title(cmd) => crate::member_profiles::title(&app, &actor_now(), cmd, lang).await?,
        MembersCommand::Rating(cmd) => crate::member_profiles::rating(&app, &actor_now(), cmd, lang).await?,
    }
    Ok(ExitCode::SUCCESS)
}
