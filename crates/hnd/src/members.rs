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
            let count = export(&store, &file, &unit).await?;
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

/// Rows per transaction of an import: a crash loses at most the chunk in
/// flight, and running the same file again skips what was loaded.
const IMPORT_CHUNK: usize = 20_000;

/// Where an import's rows come from: a CSV read a chunk at a time, or a
/// workbook read whole (XLSX cannot be streamed by the reader we use).
enum Source {
    Csv(Box<hnd_import::MemberCsvStream>),
    Whole(Option<hnd_import::MemberSheet>),
}

impl Source {
    fn open(file: &std::path::Path) -> Result<Source> {
        let csv = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv {
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            if size > hnd_import::MAX_MEMBER_CSV_BYTES {
                let reason = format!("{size} > {}", hnd_import::MAX_MEMBER_CSV_BYTES);
                return Err(hnd_import::ImportError::Unreadable {
                    path: file.display().to_string(),
                    reason,
                }
                .into());
            }
            return Ok(Source::Csv(Box::new(hnd_import::MemberCsvStream::open(file)?)));
        }
        Ok(Source::Whole(Some(hnd_import::read_member_table(
            hnd_import::Table::read(file)?,
        )?)))
    }

    fn next(&mut self) -> Result<Option<hnd_import::MemberSheet>> {
        Ok(match self {
            Source::Csv(stream) => stream.next_chunk(IMPORT_CHUNK)?,
            Source::Whole(sheet) => sheet.take(),
        })
    }
}

/// What an import did, for the summary line.
#[derive(Default)]
struct Tally {
    created: usize,
    unchanged: usize,
    refused: usize,
    read: usize,
}

pub(crate) async fn import(
    store: &Store,
    file: &std::path::Path,
    errors_path: &std::path::Path,
    day: hnd_domain::Day,
    change: &Change,
    lang: Lang,
) -> Result<ExitCode> {
    let mut source = Source::open(file)?;
    let mut units = std::collections::HashMap::new();
    let mut tally = Tally::default();
    let mut error_file: Option<csv::Writer<std::fs::File>> = None;
    let mut shown = 0;
    while let Some(sheet) = source.next()? {
        tally.read += sheet.rows.len()
            + sheet
                .errors
                .iter()
                .map(|e| e.row)
                .collect::<std::collections::HashSet<_>>()
                .len();
        let (good, mut errors) = check_chunk(store, &sheet, day, &mut units, lang).await?;
        let outcome = store.load_members(&good, day, change).await?;
        tally.created += outcome.created;
        tally.unchanged += outcome.unchanged;
        errors.sort_by_key(|e| e.row);
        tally.refused += errors
            .iter()
            .map(|e| e.row)
            .collect::<std::collections::HashSet<_>>()
            .len();
        for e in errors.iter().take(20 - shown.min(20)) {
            println!("  {}", e.message(lang));
            shown += 1;
        }
        if !errors.is_empty() {
            let out = match &mut error_file {
                Some(out) => out,
                None => error_file.insert(error_writer(errors_path, &sheet.headers)?),
            };
            for (row, cells, messages) in hnd_import::error_rows(&sheet, &errors, lang) {
                let mut record = cells;
                record.resize(sheet.headers.len(), String::new());
                record.push(row.to_string());
                record.push(messages);
                out.write_record(&record)?;
            }
        }
        eprint!(
            "\r{}",
            tr(lang, "cli.import_progress", &[("done", &int(tally.read as i64, lang))])
        );
    }
    eprintln!();
    let summary = [
        ("created", int(tally.created as i64, lang)),
        ("unchanged", int(tally.unchanged as i64, lang)),
        ("refused", int(tally.refused as i64, lang)),
    ];
    let args: Vec<(&str, &dyn std::fmt::Display)> =
        summary.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
    println!("{}", tr(lang, "cli.members_imported", &args));
    match error_file {
        None => Ok(ExitCode::SUCCESS),
        Some(mut out) => {
            out.flush()?;
            println!("{}", tr(lang, "cli.error_file", &[("path", &errors_path.display())]));
            Ok(ExitCode::FAILURE)
        }
    }
}

fn error_writer(path: &std::path::Path, headers: &[String]) -> Result<csv::Writer<std::fs::File>> {
    let mut file = std::fs::File::create(path)?;
    std::io::Write::write_all(&mut file, b"\xEF\xBB\xBF")?;
    let mut out = csv::Writer::from_writer(file);
    let mut header = headers.to_vec();
    header.extend(["Dòng".to_string(), "Lỗi".to_string()]);
    out.write_record(&header)?;
    Ok(out)
}

/// The rows of a chunk the register accepts, and the errors of the others:
/// units must be branches or groups alive on `day`; a CCCD already held by
/// somebody else points at them. `units` caches unit checks across chunks.
async fn check_chunk(
    store: &Store,
    sheet: &hnd_import::MemberSheet,
    day: hnd_domain::Day,
    units: &mut std::collections::HashMap<String, Option<String>>,
    lang: Lang,
) -> Result<(Vec<hnd_store::MemberRow>, Vec<hnd_import::RowError>)> {
    use hnd_domain::{Level, MemberError};
    use hnd_import::{MEMBER_COLUMNS, Problem, RowError};
    let mut errors = sheet.errors.clone();
    for row in &sheet.rows {
        let code = row.unit.as_str();
        if units.contains_key(code) {
            continue;
        }
        let problem = match store.unit(code, day).await {
            Ok(u) if matches!(u.unit.level, Level::Branch | Level::Group) => None,
            Ok(_) => Some(MemberError::NotABranch { code: code.to_string() }.message(lang)),
            Err(e) => Some(e.message(lang)),
        };
        units.insert(code.to_string(), problem);
    }
    let cccds: Vec<String> = sheet
        .rows
        .iter()
        .filter_map(|r| r.cccd.as_ref().map(|c| c.to_string()))
        .collect();
    let held = store.members_by_cccd(&cccds).await?;
    let mut good = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        if let Some(Some(message)) = units.get(row.unit.as_str()) {
            let (column, value) = (MEMBER_COLUMNS[8].to_string(), row.unit.to_string());
            errors.push(RowError {
                row: row.row,
                column,
                value,
                problem: Problem::Register(message.clone()),
            });
            continue;
        }
        if let Some(cccd) = &row.cccd {
            if let Some(holder) = held.get(cccd.as_str())
                && !holder.is(&row.full_name, row.birth.year())
            {
                let message = holder.conflict(cccd).message(lang);
                let column = MEMBER_COLUMNS[5].to_string();
                let value = cccd.to_string();
                errors.push(RowError {
                    row: row.row,
                    column,
                    value,
                    problem: Problem::Register(message),
                });
                continue;
            }
            for warning in cccd.check(row.birth.year(), row.sex) {
                let message = match warning {
                    hnd_domain::person::CccdWarning::BirthYear { id_year, .. } => {
                        tr(lang, "cli.cccd_year", &[("year", &id_year)])
                    }
                    hnd_domain::person::CccdWarning::Sex { id_sex, .. } => tr(
                        lang,
                        "cli.cccd_sex",
                        &[("sex", &tr(lang, &format!("sex.{}", id_sex.as_str()), &[]))],
                    ),
                };
                println!(
                    "{}",
                    tr(lang, "cli.cccd_warning", &[("row", &row.row), ("message", &message)])
                );
            }
        }
        good.push(hnd_store::MemberRow {
            member: NewMember {
                full_name: row.full_name.clone(),
                birth: row.birth,
                sex: row.sex,
                ethnicity: row.ethnicity,
                religion: row.religion.clone(),
                cccd: row.cccd.clone(),
                phone: row.phone.clone(),
                village: row.village.clone(),
                unit: row.unit.clone(),
            },
            admitted: row.admitted.clone(),
        });
    }
    Ok((good, errors))
}

/// Streams the members under `unit` to `file`, a page at a time.
pub(crate) async fn export(store: &Store, file: &std::path::Path, unit: &str) -> Result<usize> {
    let mut out = hnd_import::SheetWriter::create(file, &hnd_import::MEMBER_COLUMNS)?;
    let (mut after, mut count) = (0, 0);
    loop {
        let page = store.members_page(unit, after, 5_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for m in &page {
            let sex = if m.sex == "male" { "Nam" } else { "Nữ" };
            let ethnicity = m
                .ethnicity
                .as_deref()
                .and_then(hnd_domain::Ethnicity::parse)
                .map(|e| e.name())
                .unwrap_or("");
            let joined = m
                .joined_on
                .as_deref()
                .and_then(|d| hnd_domain::Day::from_iso(d).ok())
                .map(|d| d.to_string());
            out.write_row(&[
                m.full_name.as_str(),
                &m.birth_date,
                sex,
                ethnicity,
                m.religion.as_deref().unwrap_or(""),
                m.cccd.as_deref().unwrap_or(""),
                m.phone.as_deref().unwrap_or(""),
                m.village.as_deref().unwrap_or(""),
                &m.unit_code,
                joined.as_deref().unwrap_or(""),
                m.admission_decision.as_deref().unwrap_or(""),
            ])?;
            count += 1;
        }
    }
    out.finish()?;
    Ok(count)
}
