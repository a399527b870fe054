//! PostgreSQL: a backup file of our own, written and read with `COPY`.
//!
//! `pg_dump` would tie the backup to a client of the server's version on
//! the operator's PATH, and cannot restore one schema into another (the
//! tests and some installations keep a database per schema). The file is
//! text: a header (format, the last migration, the sequences, the tables
//! in the order their foreign keys need), then each table's rows in
//! `COPY`'s text format, closed by `\.` and the count of its rows, then
//! `end`. All rows are read inside one `REPEATABLE READ` snapshot, so a
//! backup taken during writes is consistent.

use super::{BackupError, Copied, Progress};
use crate::{Backend, Result, Store};
use futures_util::TryStreamExt;
use sqlx::{Connection, PgConnection, Row};
use std::path::Path;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};

/// The first line of a PostgreSQL backup, with its format's version.
pub(super) const MAGIC: &str = "hnd-backup postgres 1";

/// Rows copied between two reports of progress.
const REPORT_EVERY: u64 = 100_000;

pub(super) async fn backup(url: &str, file: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Copied> {
    let mut conn = PgConnection::connect(url).await?;
    sqlx::raw_sql("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut conn)
        .await?;
    let partial = file.with_extension("partial");
    let written = write_backup(&mut conn, &partial, progress).await;
    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
    let _ = conn.close().await;
    match written {
        Ok(copied) => {
            tokio::fs::rename(&partial, file).await.map_err(BackupError::io(file))?;
            Ok(copied)
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            Err(e)
        }
    }
}

async fn write_backup(conn: &mut PgConnection, file: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Copied> {
    let io = BackupError::io(file);
    let sink = tokio::fs::File::create(file).await.map_err(io)?;
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    let migration: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await?;
    let mut header = format!("{MAGIC}\nmigration {migration}\n");
    // Read from each sequence itself: `pg_sequences` has no value for one
    // set back by `setval(…, false)`, as a bulk load leaves it.
    let sequences: Vec<String> = sqlx::query_scalar(
        "SELECT sequencename::text FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for name in sequences {
        let sql = format!("SELECT last_value, is_called FROM \"{name}\"");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *conn).await?;
        let (value, called): (i64, bool) = (row.try_get(0)?, row.try_get(1)?);
        header.push_str(&format!("sequence {name} {value} {called}\n"));
    }
    let tables = tables_in_order(conn).await?;
    header.push_str(&format!("tables {}\n", tables.join(" ")));
    write(&mut out, file, header.as_bytes()).await?;
    let mut copied = Copied {
        tables: tables.len(),
        ..Copied::default()
    };
    for table in &tables {
        let columns = columns_of(conn, table).await?;
        write(
            &mut out,
            file,
            format!("copy {table} {}\n", columns.join(",")).as_bytes(),
        )
        .await?;
        let sql = format!("COPY \"{table}\" ({}) TO STDOUT", quoted(&columns));
        let mut rows = 0u64;
        let mut next_report = REPORT_EVERY;
        let mut stream = conn.copy_out_raw(&sql).await?;
        while let Some(chunk) = stream.try_next().await? {
            rows += chunk.iter().filter(|b| **b == b'\n').count() as u64;
            write(&mut out, file, &chunk).await?;
            copied.bytes += chunk.len() as u64;
            if rows >= next_report {
                progress(Progress::Rows { table, rows });
                next_report = (rows / REPORT_EVERY + 1) * REPORT_EVERY;
            }
        }
        drop(stream);
        write(&mut out, file, format!("\\.\nrows {table} {rows}\n").as_bytes()).await?;
        copied.rows += rows;
    }
    write(&mut out, file, b"end\n").await?;
    out.flush().await.map_err(BackupError::io(file))?;
    out.get_ref().sync_all().await.map_err(BackupError::io(file))?;
    Ok(copied)
}

async fn write(out: &mut BufWriter<tokio::fs::File>, file: &Path, bytes: &[u8]) -> Result<()> {
    out.write_all(bytes).await.map_err(BackupError::io(file))?;
    Ok(())
}

/// The tables of the current schema (the schema history left out: the
/// restore's migrations write it), each after the tables it refers to.
async fn tables_in_order(conn: &mut PgConnection) -> Result<Vec<String>> {
    let mut left: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables
         WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, p.relname::text FROM pg_constraint f
         JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid
         WHERE f.contype = 'f' AND f.connamespace = current_schema()::regnamespace AND c.oid <> p.oid",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut ordered = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready = |t: &String| !references.iter().any(|(c, p)| c == t && left.contains(p));
        let (now, later): (Vec<String>, Vec<String>) = left.iter().cloned().partition(ready);
        if now.is_empty() {
            // A cycle of references between tables: not in our schema.
            ordered.extend(later);
            break;
        }
        ordered.extend(now);
        left = later;
    }
    Ok(ordered)
}

/// The columns of `table` that hold data (generated ones are computed again).
async fn columns_of(conn: &mut PgConnection, table: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?)
}

fn quoted(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Restores `file` into the empty database at `url`: its schema as of the
/// backup's last migration, then every table's rows and the sequences in
/// one transaction, the maintained counts taken from the backup rather
/// than recounted by triggers. Later migrations run when the store opens.
pub(super) async fn restore(url: &str, file: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Copied> {
    let source = tokio::fs::File::open(file).await.map_err(BackupError::io(file))?;
    let mut lines = Lines {
        reader: BufReader::with_capacity(1 << 20, source),
        file,
        line: Vec::new(),
    };
    lines.expect(MAGIC).await?;
    let migration: i64 = lines.field("migration").await?;
    let store = Store::connect(url).await?;
    let in_use: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")
            .fetch_one(&store.write)
            .await?;
    if in_use > 0 {
        let named = database_name(&store).await;
        store.close().await;
        return Err(BackupError::NotEmpty(named?).into());
    }
    if migration > Backend::Postgres.latest_migration() {
        store.close().await;
        return Err(BackupError::Newer(file.to_path_buf()).into());
    }
    Backend::Postgres.migrate(&store.write, Some(migration)).await?;
    store.close().await;
    let mut conn = PgConnection::connect(url).await?;
    let mut tx = conn.begin().await?;
    let copied = copy_in(&mut tx, &mut lines, progress).await?;
    tx.commit().await?;
    let _ = conn.close().await;
    Ok(copied)
}

/// `database.schema`, for a person told which database was refused.
async fn database_name(store: &Store) -> Result<String> {
    let sql = "SELECT current_database()::text || '.' || current_schema()::text";
    Ok(sqlx::query_scalar(sql).fetch_one(&store.read).await?)
}

async fn copy_in(conn: &mut PgConnection, lines: &mut Lines<'_>, progress: &mut dyn FnMut(Progress)) -> Result<Copied> {
    let mut sequences = Vec::new();
    let tables: Vec<String> = loop {
        let line = lines.next().await?;
        match line.split_once(' ') {
            Some(("sequence", rest)) => sequences.push(rest.to_string()),
            Some(("tables", rest)) => break rest.split(' ').map(str::to_string).collect(),
            _ => return Err(lines.damaged(&line)),
        }
    };
    // The migrations' own rows (settings, the catalogue) come back from
    // the backup; triggers stay off while the maintained counts do too.
    for table in tables.iter().rev() {
        let sql = format!("ALTER TABLE \"{table}\" DISABLE TRIGGER USER; DELETE FROM \"{table}\";");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    let mut copied = Copied {
        tables: tables.len(),
        ..Copied::default()
    };
    for _ in &tables {
        let line = lines.next().await?;
        let Some(("copy", rest)) = line.split_once(' ') else {
            return Err(lines.damaged(&line));
        };
        let (table, columns) = rest.split_once(' ').ok_or_else(|| lines.damaged(&line))?;
        if !tables.iter().any(|t| t == table) {
            return Err(lines.damaged(&line));
        }
        let columns: Vec<String> = columns.split(',').map(str::to_string).collect();
        let sql = format!("COPY \"{table}\" ({}) FROM STDIN", quoted(&columns));
        let mut copy = conn.copy_in_raw(&sql).await?;
        let mut batch = Vec::with_capacity(1 << 20);
        let (mut rows, mut next_report) = (0u64, REPORT_EVERY);
        loop {
            let row = lines.next_raw().await?;
            if row == b"\\.\n" {
                break;
            }
            batch.extend_from_slice(row);
            copied.bytes += row.len() as u64;
            rows += 1;
            if batch.len() >= 1 << 20 {
                copy.send(std::mem::take(&mut batch)).await?;
            }
            if rows == next_report {
                progress(Progress::Rows { table, rows });
                next_report += REPORT_EVERY;
            }
        }
        if !batch.is_empty() {
            copy.send(batch).await?;
        }
        let loaded = copy.finish().await?;
        let expected: u64 = lines.field(&format!("rows {table}")).await?;
        if loaded != expected || rows != expected {
            return Err(lines.damaged(&format!("{table}: {loaded} / {expected}")));
        }
        copied.rows += loaded;
    }
    lines.expect("end").await?;
    for table in &tables {
        let sql = format!("ALTER TABLE \"{table}\" ENABLE TRIGGER USER");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    for sequence in sequences {
        let mut parts = sequence.split(' ');
        let (name, value, called) = (parts.next(), parts.next(), parts.next());
        let value: Option<i64> = value.and_then(|v| v.parse().ok());
        let called: Option<bool> = called.and_then(|c| c.parse().ok());
        let (Some(name), Some(value), Some(called)) = (name, value, called) else {
            return Err(lines.damaged(&sequence));
        };
        sqlx::query("SELECT setval($1::regclass, $2, $3)")
            .bind(format!("\"{name}\""))
            .bind(value)
            .bind(called)
            .execute(&mut *conn)
            .await?;
    }
    Ok(copied)
}

/// The backup file read a line at a time.
struct Lines<'f> {
    reader: BufReader<tokio::fs::File>,
    file: &'f Path,
    line: Vec<u8>,
}

impl Lines<'_> {
    /// The next line with its newline; a file that ends early is damaged.
    async fn next_raw(&mut self) -> Result<&[u8]> {
        self.line.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.line)
            .await
            .map_err(BackupError::io(self.file))?;
        if n == 0 || self.line.last() != Some(&b'\n') {
            return Err(BackupError::Truncated(self.file.to_path_buf()).into());
        }
        Ok(&self.line)
    }

    /// The next line of the header or of a table's end, as text.
    async fn next(&mut self) -> Result<String> {
        let file = self.file;
        let raw = self.next_raw().await?;
        let text = std::str::from_utf8(raw).map_err(|_| BackupError::NotABackup(file.to_path_buf()))?;
        Ok(text.trim_end_matches('\n').to_string())
    }

    async fn expect(&mut self, wanted: &str) -> Result<()> {
        let line = self.next().await?;
        if line == wanted {
            Ok(())
        } else if wanted == MAGIC {
            Err(BackupError::NotABackup(self.file.to_path_buf()).into())
        } else {
            Err(self.damaged(&line))
        }
    }

    /// The value after `name ` on the next line.
    async fn field<T: std::str::FromStr>(&mut self, name: &str) -> Result<T> {
        let line = self.next().await?;
        let value = line.strip_prefix(name).and_then(|rest| rest.strip_prefix(' '));
        value.and_then(|v| v.parse().ok()).ok_or_else(|| self.damaged(&line))
    }

    fn damaged(&self, at: &str) -> crate::StoreError {
        let at: String = at.chars().take(80).collect();
        BackupError::damaged(self.file, at).into()
    }
}
