//! `hnd members import | export`: member files from the command line,
//! through the operations (`App::import_members`, `App::export_members`).

use crate::tr;
use anyhow::Result;
use hnd_app::{Actor, App, MemberFile};
use hnd_domain::{Day, fmt::int};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The error file's default place: `FILE-loi.csv` beside the file.
pub fn errors_beside(file: &Path) -> PathBuf {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("hoi-vien");
    file.with_file_name(format!("{stem}-loi.csv"))
}

/// Writes the members under `unit` to `file` and says how many.
pub async fn export(app: &App, actor: &Actor, unit: &str, file: &Path) -> Result<()> {
    let query = hnd_store::MemberQuery {
        scope: unit.to_string(),
        ..Default::default()
    };
    let count = app.export_members(actor, &query, file).await?;
    let lang = actor.lang;
    let count = int(count as i64, lang);
    println!(
        "{}",
        tr(lang, "cli.exported", &[("count", &count), ("path", &file.display())])
    );
    Ok(())
}

/// A mapping given to an import, and whether its proposed matches are taken.
pub struct Mapped {
    pub mapping: Option<hnd_import::Mapping>,
    pub accept_proposed: bool,
}

impl Mapped {
    pub fn read(path: Option<&Path>, accept_proposed: bool) -> Result<Mapped> {
        let mapping = match path {
            None => None,
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| hnd_import::ImportError::Mapping(format!("{}: {e}", path.display())))?;
                Some(hnd_import::Mapping::from_toml(&text)?)
            }
        };
        Ok(Mapped {
            mapping,
            accept_proposed,
        })
    }
}

/// Where a proposed mapping goes besides the summary: a file (else
/// standard output) and a name it is saved under for the unit.
pub struct MapTo<'a> {
    pub out: Option<&'a Path>,
    pub save: Option<&'a str>,
}

/// Proposes a mapping for `file` imported into `unit`: writes it to `out`
/// or prints it, with a summary (on standard error when the mapping is
/// printed, so that standard output is the mapping alone); saves it under
/// a name when asked.
pub async fn map(app: &App, actor: &Actor, file: &Path, unit: &str, to: MapTo<'_>) -> Result<()> {
    let lang = actor.lang;
    let proposal = app.propose_import(actor, unit, file).await?;
    let text = proposal.mapping.to_toml();
    let summary = proposal.summary(lang);
    match to.out {
        Some(path) => {
            std::fs::write(path, text)?;
            println!("{summary}");
            println!("{}", tr(lang, "map.written", &[("path", &path.display())]));
        }
        None => {
            let mut out = std::io::stdout().lock();
            std::io::Write::write_all(&mut out, text.as_bytes())?;
            std::io::Write::flush(&mut out)?;
            eprintln!("{summary}");
        }
    }
    if let Some(name) = to.save {
        app.save_import_mapping(actor, unit, name, &proposal.mapping).await?;
        eprintln!("{}", tr(lang, "map.saved", &[("name", &name), ("unit", &unit)]));
    }
    Ok(())
}

#[derive(clap::Subcommand, Debug)]
pub enum MappingsCommand {
    /// The mappings saved for a unit.
    List {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        json: bool,
    },
    /// Save a mapping file (as `members map` writes it, corrected) under a name for a unit.
    Save {
        mapping: PathBuf,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        name: String,
    },
    /// Print a saved mapping (TOML).
    Show {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        name: String,
    },
    /// Remove a saved mapping.
    Delete {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        name: String,
    },
}

/// Runs `hnd members mappings …`.
pub async fn mappings(app: &App, actor: &Actor, cmd: MappingsCommand) -> Result<()> {
    let lang = actor.lang;
    match cmd {
        MappingsCommand::List { unit, json } => {
            let saved = app.import_mappings(actor, &unit).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&saved)?);
            } else if saved.is_empty() {
                println!("{}", tr(lang, "map.list_empty", &[("unit", &unit)]));
            }
            if !json {
                for m in &saved {
                    let at = hnd_domain::fmt::moment(&m.saved_at);
                    println!("{}\t{}\t{}", m.name, m.saved_by, at);
                }
            }
        }
        MappingsCommand::Save { mapping, unit, name } => {
            let read = Mapped::read(Some(&mapping), false)?;
            let mapping = read.mapping.expect("a mapping read from its file");
            app.save_import_mapping(actor, &unit, &name, &mapping).await?;
            println!("{}", tr(lang, "map.saved", &[("name", &name), ("unit", &unit)]));
        }
        MappingsCommand::Show { unit, name } => {
            print!("{}", app.import_mapping(actor, &unit, &name).await?.to_toml());
        }
        MappingsCommand::Delete { unit, name } => {
            app.delete_import_mapping(actor, &unit, &name).await?;
            println!("{}", tr(lang, "map.deleted", &[("name", &name), ("unit", &unit)]));
        }
    }
    Ok(())
}

/// Runs an import, printing progress, the first refusals and the summary;
/// fails (after loading the good rows) when some rows were refused.
/// `at`: the unit, the file and where its refused rows go.
pub async fn import(app: &App, actor: &Actor, at: (&str, &Path, &Path), day: Day, mapped: &Mapped) -> Result<ExitCode> {
    let (unit, file, errors_path) = at;
    let lang = actor.lang;
    let mut progress = |s: &hnd_import::ImportSummary| {
        eprint!(
            "\r{}",
            tr(lang, "cli.import_progress", &[("done", &int(s.read as i64, lang))])
        );
    };
    let name = file.display().to_string();
    let file = MemberFile {
        unit,
        path: file,
        name: &name,
        errors_path,
        job: None,
        day,
    };
    let options = hnd_import::ImportOptions {
        mapping: mapped.mapping.as_ref(),
        accept_proposed: mapped.accept_proposed,
        ..hnd_import::ImportOptions::OPERATOR
    };
    let summary = app.import_members(actor, &file, &options, &mut progress).await?;
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
