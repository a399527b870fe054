//! What differs between the engines: URLs, connection set-up, migrations.

use crate::{Result, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A migration: its number, its name and its SQL.
type Migration = (i64, &'static str, &'static str);

/// Both engines' migrations from one list: each is its number, its
/// name and its file, which each engine has under `migrations/<engine>/`.
macro_rules! migrations {
    ($(($number:literal, $name:literal, $file:literal),)*) => {
        const SQLITE_MIGRATIONS: &[Migration] =
            &[$(($number, $name, include_str!(concat!("../migrations/sqlite/", $file))),)*];
        const POSTGRES_MIGRATIONS: &[Migration] =
            &[$(($number, $name, include_str!(concat!("../migrations/postgres/", $file))),)*];
    };
}

migrations! {
    (1, "org", "0001_org.sql"),
    (2, "members", "0002_members.sql"),
    (3, "accounts", "0003_accounts.sql"),
    (4, "aggregates", "0004_aggregates.sql"),
    (5, "plans", "0005_plans.sql"),
    (6, "figures", "0006_figures.sql"),
    (7, "bulk_counts", "0007_bulk_counts.sql"),
    (8, "member_totals", "0008_member_totals.sql"),
    (9, "tasks", "0009_tasks.sql"),
    (10, "member_kinds", "0010_member_kinds.sql"),
    (11, "indicators", "0011_indicators.sql"),
    (12, "province_totals", "0012_province_totals.sql"),
    (13, "bulk_totals", "0013_bulk_totals.sql"),
    (14, "duplicate_index", "0014_duplicate_index.sql"),
    (15, "event_days", "0015_event_days.sql"),
    (16, "bulk_setting", "0016_bulk_setting.sql"),
    (17, "bulk_moves", "0017_bulk_moves.sql"),
    (18, "profiles", "0018_profiles.sql"),
    (19, "settings_body_groups", "0019_settings_body_groups.sql"),
    (20, "corrections", "0020_corrections.sql"),
    (21, "sign_in_failures", "0021_sign_in_failures.sql"),
    (22, "fees", "0022_fees.sql"),
    (23, "member_words", "0023_member_words.sql"),
    (24, "plan_lifecycle", "0024_plan_lifecycle.sql"),
    (26, "task_units_figure_locks", "0026_task_units_figure_locks.sql"),
    (27, "card_counts", "0027_card_counts.sql"),
    (30, "import_mappings", "0030_import_mappings.sql"),
    (31, "reports", "0031_reports.sql"),
    (32, "reading_corrections", "0032_reading_corrections.sql"),
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl(url.to_string()))
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The reader and writer pools for `url`.
    pub(crate) async fn pools(&self, url: &str) -> Result<(AnyPool, AnyPool)> {
        sqlx::any::install_default_drivers();
        match self {
            Backend::Sqlite => {
                let url = sqlite_url(url);
                let write = sqlite_pool(1, 16).connect(&url).await?;
                let read = sqlite_pool(4, 4).connect(&url).await?;
                Ok((read, write))
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(10)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Ok((pool.clone(), pool))
            }
        }
    }

    /// Before a bulk load that numbers its own rows: no other writer may
    /// take ids of `table` until the load commits.
    pub(crate) async fn lock_for_bulk_ids(&self, conn: &mut sqlx::AnyConnection, table: &str) -> Result<()> {
        if *self == Backend::Postgres {
            let sql = format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// After a bulk load that numbered its own rows: the identity sequence
    /// continues after them (SQLite's rowid needs nothing).
    pub(crate) async fn resync_ids(&self, conn: &mut sqlx::AnyConnection, table: &str) -> Result<()> {
        if *self == Backend::Postgres {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
        }
        Ok(())
    }

    fn migrations(&self) -> &'static [Migration] {
        match self {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        }
    }

    /// The last migration this program knows.
    pub(crate) fn latest_migration(&self) -> i64 {
        self.migrations().last().map_or(0, |m| m.0)
    }

    /// Runs each migration not yet recorded, up to `up_to` (all when
    /// `None`), each in its own transaction.
    pub(crate) async fn migrate(&self, pool: &AnyPool, up_to: Option<i64>) -> Result<Vec<String>> {
        pool.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .await?;
        let mut applied = Vec::new();
        let wanted = self
            .migrations()
            .iter()
            .filter(|m| up_to.is_none_or(|last| m.0 <= last));
        for (version, name, sql) in wanted {
            let mut tx = pool.begin().await?;
            let seen: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(*version)
                .fetch_optional(&mut *tx)
                .await?;
            if seen.is_some() {
                continue;
            }
            sqlx::raw_sql(*sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(*version)
                .bind(*name)
                .bind(chrono::Utc::now().to_rfc3339())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            applied.push(format!("{version:04}_{name}"));
        }
        Ok(applied)
    }
}

/// What a bulk load changes on SQLite's writer, set back after it.
pub(crate) const SQLITE_WRITER_PRAGMAS: &str = "PRAGMA foreign_keys = ON;";

/// `sqlite:PATH` with the file created when missing.
fn sqlite_url(url: &str) -> String {
    if url.contains('?') || url.contains(":memory:") {
        url.to_string()
    } else {
        format!("{url}?mode=rwc")
    }
}

/// A pool of `connections` SQLite connections, each with a page cache of
/// `cache_mib`. The writer keeps a large cache (bulk loads touch every
/// index); readers a small one each, since the operating system caches the
/// file for all of them: with 16 MiB for every reader, a long import grew
/// to 249 MB as the readers' caches filled, against 129 MB with 4 MiB.
///
/// A connection is not pinged before each use (sqlx's default): it is a
/// file opened in this process, not a link that can drop, and the ping is
/// a round trip to the connection's thread on every acquire, as costly as
/// a small query.
fn sqlite_pool(connections: u32, cache_mib: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                let pragmas = format!(
                    "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;
                     PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{}; PRAGMA temp_store = MEMORY;",
                    cache_mib * 1024
                );
                conn.execute(sqlx::AssertSqlSafe(pragmas)).await?;
                Ok(())
            })
        })
}
