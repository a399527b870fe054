//! Backup and restore of a whole database, taken while it is in use.
//!
//! SQLite: `VACUUM INTO`, a consistent copy made on a reader connection
//! while the writer goes on; the backup is a SQLite file, restored by
//! copying it into place and checking it. PostgreSQL: a file of our own
//! (`postgres.rs`): every table's rows by `COPY … TO STDOUT` inside one
//! `REPEATABLE READ` snapshot, restored by `COPY … FROM STDIN` in one
//! transaction. Either way a restore only goes into an empty database.

mod postgres;

mod sqlite;

pub use crate::backup_report::{BackupError, Copied, Progress};

use crate::{Backend, Result, Store};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the whole database to `file`, which must
    /// not exist yet; `progress` hears how far a long copy has gone.
    pub async fn backup(&self, file: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Copied> {
        if file.exists() {
            return Err(BackupError::FileExists(file.to_path_buf()).into());
        }
        match self.backend {
            Backend::Sqlite => sqlite::backup(&self.read, file, progress).await,
            Backend::Postgres => postgres::backup(&self.url, file, progress).await,
        }
    }

    /// Restores the backup `file` into the empty database at `url` and
    /// opens it, its schema brought up to date.
    pub async fn restore(url: &str, file: &Path, progress: &mut dyn FnMut(Progress)) -> Result<(Store, Copied)> {
        let backend = Backend::of_url(url)?;
        let found = sniff(file).await?;
        if found != backend {
            return Err(BackupError::WrongEngine {
                file: file.to_path_buf(),
                backup: found.name(),
                target: backend.name(),
            }
            .into());
        }
        let copied = match backend {
            Backend::Sqlite => sqlite::restore(url, file, progress).await?,
            Backend::Postgres => postgres::restore(url, file, progress).await?,
        };
        let store = Store::open(url).await?;
        store.refresh_statistics(crate::Bulk::Everything).await?;
        Ok((store, copied))
    }
}

/// Which engine `file` is a backup of, from its first bytes.
async fn sniff(file: &Path) -> Result<Backend> {
    use tokio::io::AsyncReadExt;
    let mut head = [0u8; 32];
    let mut f = tokio::fs::File::open(file).await.map_err(BackupError::io(file))?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]).await.map_err(BackupError::io(file))? {
            0 => break,
            read => n += read,
        }
    }
    let head = &head[..n];
    if head.starts_with(sqlite::MAGIC) {
        Ok(Backend::Sqlite)
    } else if head.starts_with(postgres::MAGIC.as_bytes()) {
        Ok(Backend::Postgres)
    } else {
        Err(BackupError::NotABackup(file.to_path_buf()).into())
    }
}
