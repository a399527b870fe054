//! What a backup or a restore tells its caller: its progress, its totals,
//! and why it refused.

use hnd_domain::{Lang, i18n::t};
use std::path::{Path, PathBuf};

/// How far a long copy has gone, reported as it goes.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// Bytes of a file written so far (SQLite copies the file whole).
    Bytes(u64),
    /// Rows of `table` copied so far (PostgreSQL copies table by table).
    Rows { table: &'a str, rows: u64 },
}

/// What a backup or a restore copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Copied {
    pub tables: usize,
    pub rows: u64,
    pub bytes: u64,
}

/// Why a backup or a restore was refused or failed; nothing was left
/// half done.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{} already exists", .0.display())]
    FileExists(PathBuf),
    #[error("the database {0} is not empty")]
    NotEmpty(String),
    #[error("{} is not a backup of hnd", .0.display())]
    NotABackup(PathBuf),
    #[error("{} is a {backup} backup, the target is {target}", .file.display())]
    WrongEngine {
        file: PathBuf,
        backup: &'static str,
        target: &'static str,
    },
    #[error("{} was made by a newer hnd", .0.display())]
    Newer(PathBuf),
    #[error("{} ends before its end", .0.display())]
    Truncated(PathBuf),
    #[error("{}: {detail}", .file.display())]
    Damaged { file: PathBuf, detail: String },
    #[error("{}: {error}", .file.display())]
    Io { file: PathBuf, error: std::io::Error },
}

impl BackupError {
    pub(crate) fn io(file: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
        move |error| BackupError::Io {
            file: file.to_path_buf(),
            error,
        }
    }

    pub(crate) fn damaged(file: &Path, detail: impl Into<String>) -> BackupError {
        BackupError::Damaged {
            file: file.to_path_buf(),
            detail: detail.into(),
        }
    }

    /// A sentence for a person in `lang`, naming the file or the database.
    pub fn message(&self, lang: Lang) -> String {
        use BackupError::*;
        match self {
            FileExists(file) => t(lang, "backup.file_exists", &[("file", &file.display())]),
            NotEmpty(db) => t(lang, "backup.not_empty", &[("db", db)]),
            NotABackup(file) => t(lang, "backup.not_a_backup", &[("file", &file.display())]),
            WrongEngine { file, backup, target } => t(
                lang,
                "backup.wrong_engine",
                &[("file", &file.display()), ("backup", backup), ("target", target)],
            ),
            Newer(file) => t(lang, "backup.newer", &[("file", &file.display())]),
            Truncated(file) => t(lang, "backup.truncated", &[("file", &file.display())]),
            Damaged { file, detail } => t(lang, "backup.damaged", &[("file", &file.display()), ("detail", detail)]),
            Io { file, error } => t(lang, "backup.io", &[("file", &file.display()), ("error", error)]),
        }
    }
}
