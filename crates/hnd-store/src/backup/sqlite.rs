//! SQLite: the backup is the database file itself, written by
//! `VACUUM INTO` from a reader's snapshot while writes go on.

use super::{BackupError, Copied, Progress};
use crate::Result;
use sqlx::AnyPool;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The first bytes of every SQLite database file.
pub(super) const MAGIC: &[u8] = b"SQLite format 3\0";

/// Bytes copied between two reports of a file copy.
const REPORT_EVERY: u64 = 64 << 20;

pub(super) async fn backup(read: &AnyPool, file: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Copied> {
    let target = file.to_string_lossy().into_owned();
    let vacuum = sqlx::query("VACUUM INTO $1").bind(target).execute(read);
    tokio::pin!(vacuum);
    // The copy is one statement: its progress is the file growing.
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut reported = 0;
    loop {
        tokio::select! {
            done = &mut vacuum => { done?; break; }
            _ = tick.tick() => {
                let size = file_size(file);
                if size > reported {
                    progress(Progress::Bytes(size));
                    reported = size;
                }
            }
        }
    }
    let copy = crate::Store::connect(&format!("sqlite:{}", file.display())).await?;
    let contents = contents(&copy.read).await;
    copy.close().await;
    let (tables, rows) = contents?;
    Ok(Copied {
        tables,
        rows,
        bytes: file_size(file),
    })
}

/// Copies `file` into the place of the database at `url`, which must not
/// hold a table yet, then checks the copy.
pub(super) async fn restore(url: &str, file: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Copied> {
    let target = path_of(url);
    if file_size(&target) > 0 && holds_tables(url).await? {
        return Err(BackupError::NotEmpty(target.display().to_string()).into());
    }
    let partial = target.with_extension("restoring");
    let bytes = copy_file(file, &partial, progress).await?;
    let checked = check(&partial, file).await;
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{leftover}", target.display()));
    }
    std::fs::rename(&partial, &target).map_err(BackupError::io(&target))?;
    let store = crate::Store::connect(url).await?;
    let contents = contents(&store.read).await;
    store.close().await;
    let (tables, rows) = contents?;
    Ok(Copied { tables, rows, bytes })
}

/// The file of a `sqlite:PATH` address.
fn path_of(url: &str) -> PathBuf {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    PathBuf::from(path.split('?').next().unwrap_or(path))
}

fn file_size(file: &Path) -> u64 {
    std::fs::metadata(file).map_or(0, |m| m.len())
}

async fn holds_tables(url: &str) -> Result<bool> {
    let store = crate::Store::connect(url).await?;
    let tables = table_names(&store.read).await;
    store.close().await;
    Ok(!tables?.is_empty())
}

async fn table_names(pool: &AnyPool) -> Result<Vec<String>> {
    let sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
    Ok(sqlx::query_scalar(sql).fetch_all(pool).await?)
}

/// The tables of a database and the rows in them all.
async fn contents(pool: &AnyPool) -> Result<(usize, u64)> {
    let tables = table_names(pool).await?;
    let mut rows = 0;
    for table in &tables {
        let sql = format!("SELECT COUNT(*) FROM \"{table}\"");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await?;
        rows += n as u64;
    }
    Ok((tables.len(), rows))
}

async fn copy_file(from: &Path, to: &Path, progress: &mut dyn FnMut(Progress)) -> Result<u64> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut source = tokio::fs::File::open(from).await.map_err(BackupError::io(from))?;
    let mut sink = tokio::fs::File::create(to).await.map_err(BackupError::io(to))?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut copied, mut next_report) = (0u64, REPORT_EVERY);
    loop {
        let n = source.read(&mut buf).await.map_err(BackupError::io(from))?;
        if n == 0 {
            break;
        }
        sink.write_all(&buf[..n]).await.map_err(BackupError::io(to))?;
        copied += n as u64;
        if copied >= next_report {
            progress(Progress::Bytes(copied));
            next_report += REPORT_EVERY;
        }
    }
    sink.sync_all().await.map_err(BackupError::io(to))?;
    Ok(copied)
}

/// The copy is a whole SQLite database of hnd: its pages are intact and
/// it has a schema history.
async fn check(copy: &Path, file: &Path) -> Result<()> {
    let url = format!("sqlite:{}", copy.display());
    let store = crate::Store::connect(&url).await?;
    let verdict: Result<(String, i64)> = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&store.read)
            .await?;
        let history: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        )
        .fetch_one(&store.read)
        .await?;
        Ok((integrity, history))
    }
    .await;
    store.close().await;
    match verdict? {
        (_, 0) => Err(BackupError::NotABackup(file.to_path_buf()).into()),
        (integrity, _) if integrity != "ok" => Err(BackupError::damaged(file, integrity).into()),
        _ => Ok(()),
    }
}
