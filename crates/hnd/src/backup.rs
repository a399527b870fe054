//! `hnd backup FILE` and `hnd restore FILE`: the operator's copy of the
//! whole database, and its return into an empty one; each audited.

use crate::tr;
use anyhow::Result;
use hnd_domain::Lang;
use hnd_store::{Audit, Copied, Progress, Store};
use std::path::Path;
use std::process::ExitCode;

/// Copies the database at `db` into `file` while it stays in use.
pub async fn backup(db: &str, file: &Path, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let copied = store.backup(file, &mut |p| report(p, lang)).await?;
    store.audit(&entry(author, "backup", file, &copied)).await?;
    done("cli.backup.done", file, &copied, lang);
    Ok(ExitCode::SUCCESS)
}

/// Restores `file` into the empty database at `db`.
pub async fn restore(db: &str, file: &Path, author: &str, lang: Lang) -> Result<ExitCode> {
    let (store, copied) = Store::restore(db, file, &mut |p| report(p, lang)).await?;
    store.audit(&entry(author, "restore", file, &copied)).await?;
    done("cli.restore.done", file, &copied, lang);
    Ok(ExitCode::SUCCESS)
}

fn entry(author: &str, action: &str, file: &Path, copied: &Copied) -> Audit {
    Audit {
        actor: author.to_string(),
        address: "cli".to_string(),
        action: action.to_string(),
        unit_id: None,
        member_id: None,
        detail: serde_json::json!({ "file": file.display().to_string(), "copied": copied }),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

fn report(progress: Progress, lang: Lang) {
    let line = match progress {
        Progress::Bytes(bytes) => tr(lang, "cli.backup.progress_bytes", &[("mb", &megabytes(bytes))]),
        Progress::Rows { table, rows } => tr(lang, "cli.backup.progress_rows", &[("table", &table), ("rows", &rows)]),
    };
    eprintln!("{line}");
}

fn done(key: &str, file: &Path, copied: &Copied, lang: Lang) {
    let args: [(&str, &dyn std::fmt::Display); 4] = [
        ("file", &file.display()),
        ("tables", &copied.tables),
        ("rows", &copied.rows),
        ("mb", &megabytes(copied.bytes)),
    ];
    println!("{}", tr(lang, key, &args));
}
