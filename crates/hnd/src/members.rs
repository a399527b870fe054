//! `hnd members …`: the member register from the command line.

use crate::cli::{bad_field as bad, day_or_today};
use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_app::EndKind;
use hnd_domain::profile::{FIELDS, NewRating, NewRole, NewTitle, Profile};
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
    Role(RoleCommand),
    /// Titles and awards by year and level.
    #[command(subcommand)]
    Title(TitleCommand),
    /// Yearly ratings, and the proposal to the Party.
    #[command(subcommand)]
    Rating(RatingCommand),
}

#[derive(Subcommand, Debug)]
pub enum RoleCommand {
    Add {
        id: i64,
        /// branch_head | branch_deputy | group_head | group_deputy | full_time | executive | standing
        /// (or the Vietnamese name: "chi hội trưởng").
        #[arg(long)]
        position: String,
        /// Code of the unit where it is held.
        #[arg(long)]
        unit: Option<String>,
        /// dd/mm/yyyy
        #[arg(long)]
        from: String,
        /// dd/mm/yyyy; none while still held.
        #[arg(long)]
        to: Option<String>,
    },
    Remove {
        id: i64,
        entry: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum TitleCommand {
    Add {
        id: i64,
        #[arg(long)]
        year: String,
        /// commune | district | province | central (or "cấp tỉnh"…).
        #[arg(long)]
        level: String,
        /// excellent_farmer | certificate | merit | other.
        #[arg(long)]
        kind: String,
        /// Decision number or wording.
        #[arg(long)]
        note: Option<String>,
    },
    Remove {
        id: i64,
        entry: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum RatingCommand {
    /// Sets a year's rating (replacing that year's earlier one).
    Add {
        id: i64,
        #[arg(long)]
        year: String,
        /// excellent | good | done | not_done (or "hoàn thành tốt nhiệm vụ"…).
        #[arg(long)]
        rating: String,
        /// Proposed to the Party that year as an outstanding member.
        #[arg(long)]
        proposed_to_party: bool,
    },
    Remove {
        id: i64,
        year: i32,
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
    let app = hnd_app::App::new(store.clone());
    let change = |when: &crate::org::When| Change::new(author, when.reason.clone());
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
                unit: UnitCode::parse(&unit)?,
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
            if !set.is_empty() {
                set_profile(&app, &actor_now(), id, &set, lang).await?;
            }
            show_profile(&store.member_profile(id).await?, json, lang)?;
        }
        MembersCommand::Role(RoleCommand::Add {
            id,
            position,
            unit,
            from,
            to,
        }) => {
            let role = NewRole::parse(
                &position,
                unit.as_deref().unwrap_or_default(),
                &from,
                to.as_deref().unwrap_or_default(),
            )
            .map_err(|e| refused(e, lang))?;
            let entry = app.add_role(&actor_now(), id, &role).await?;
            println!("{}", tr(lang, "cli.entry_added", &[("entry", &entry)]));
        }
        MembersCommand::Role(RoleCommand::Remove { id, entry }) => {
            app.remove_role(&actor_now(), id, entry).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Title(TitleCommand::Add {
            id,
            year,
            level,
            kind,
            note,
        }) => {
            let title = NewTitle::parse(&year, &level, &kind, note.as_deref().unwrap_or_default())
                .map_err(|e| refused(e, lang))?;
            let entry = app.add_title(&actor_now(), id, &title).await?;
            println!("{}", tr(lang, "cli.entry_added", &[("entry", &entry)]));
        }
        MembersCommand::Title(TitleCommand::Remove { id, entry }) => {
            app.remove_title(&actor_now(), id, entry).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Rating(RatingCommand::Add {
            id,
            year,
            rating,
            proposed_to_party,
        }) => {
            let proposed = if proposed_to_party { "yes" } else { "no" };
            let rating = NewRating::parse(&year, &rating, proposed).map_err(|e| refused(e, lang))?;
            app.set_rating(&actor_now(), id, &rating).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        MembersCommand::Rating(RatingCommand::Remove { id, year }) => {
            app.remove_rating(&actor_now(), id, year).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The refusals of a profile's values, one sentence a line.
fn refused(errors: Vec<hnd_domain::profile::FieldError>, lang: Lang) -> anyhow::Error {
    let lines: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
    anyhow::anyhow!("{}", lines.join("\n"))
}

/// Changes the fields named by `FIELD=VALUE` items, the others as they are.
async fn set_profile(app: &hnd_app::App, actor: &hnd_app::Actor, id: i64, set: &[String], lang: Lang) -> Result<()> {
    let mut values: std::collections::HashMap<&str, String> = app
        .store()
        .member_profile(id)
        .await?
        .profile
        .to_text()
        .into_iter()
        .collect();
    for item in set {
        let field = item
            .split_once('=')
            .and_then(|(field, value)| FIELDS.iter().find(|f| **f == field.trim()).map(|f| (*f, value)));
        let Some((field, value)) = field else {
            let fields = FIELDS.join(", ");
            anyhow::bail!("{}", tr(lang, "cli.bad_set", &[("value", item), ("fields", &fields)]));
        };
        values.insert(field, value.trim().to_string());
    }
    let profile = Profile::parse(|f| values.get(f).cloned().unwrap_or_default()).map_err(|e| refused(e, lang))?;
    app.set_profile(actor, id, &profile, hnd_app::Personal::Keep).await?;
    println!("{}", tr(lang, "cli.profile_saved", &[("id", &id)]));
    Ok(())
}

fn show_profile(p: &hnd_store::MemberProfile, json: bool, lang: Lang) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(p)?);
        return Ok(());
    }
    for (field, value) in p.profile.display(lang) {
        if !value.is_empty() {
            println!("  {}: {value}", hnd_domain::profile::field_label(field, lang));
        }
    }
    for r in &p.roles {
        let to =
            r.to.map(|d| d.to_string())
                .unwrap_or_else(|| tr(lang, "profile.still", &[]));
        let unit = r.unit_code.as_deref().unwrap_or_default();
        println!("  [{}] {} {unit} {} – {to}", r.id, r.position.label(lang), r.from);
    }
    for t in &p.titles {
        let note = t.note.as_deref().unwrap_or_default();
        println!(
            "  [{}] {} {} — {} {note}",
            t.id,
            t.year,
            t.kind.label(lang),
            t.level.label(lang)
        );
    }
    for r in &p.ratings {
        let proposed = if r.proposed_to_party {
            format!(" — {}", tr(lang, "profile.field.proposed_to_party", &[]))
        } else {
            String::new()
        };
        println!("  {}: {}{proposed}", r.year, r.rating.label(lang));
    }
    Ok(())
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
        hnd_import::import_members(store, file, errors_path, day, change, lang, &|_, _| true, &mut progress).await?;
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
