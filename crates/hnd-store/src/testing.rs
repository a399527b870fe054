//! Fresh, isolated stores for tests of every crate: a new SQLite file, or
//! a new schema in the PostgreSQL database named by
//! `HND_TEST_POSTGRES_URL`, so that tests run in parallel.

use crate::{Result, Store};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos % 1_000_000_000
    )
}

/// A residential branch `code` named `name` under `parent`, to create in tests.
pub fn branch(code: &str, name: &str, parent: &str) -> crate::NewUnit {
    use hnd_domain::{Kind, Level, UnitCode, UnitName};
    crate::NewUnit {
        code: UnitCode::parse(code).expect("a valid test code"),
        name: UnitName::parse(name).expect("a valid test name"),
        level: Level::Branch,
        kind: Some(Kind::Residential),
        trade: None,
        parent: UnitCode::parse(parent).expect("a valid test code"),
        admin_commune: None,
        founded: None,
    }
}

/// The 2025 tree with a residential branch "Chi hội CODE" for each
/// `(code, parent commune)`, founded on 01/01/2026 by `who`: the small
/// tree the register's tests start from.
pub async fn tree_with_branches(store: &Store, branches: &[(&str, &str)], who: &crate::Change) -> Result<()> {
    store.bootstrap(false, who).await?;
    let units = branches
        .iter()
        .map(|(code, parent)| branch(code, &format!("Chi hội {code}"), parent))
        .collect();
    let founded = hnd_domain::Day::from_ymd(2026, 1, 1).expect("a real day");
    store.create_units(units, founded, who, "create").await?;
    Ok(())
}

/// A migrated store in a new SQLite file under the system temp folder.
pub async fn sqlite() -> Result<Store> {
    Store::open(&sqlite_url()).await
}

/// The PostgreSQL URL for tests: `HND_TEST_POSTGRES_URL`. Unset is an
/// error (the tests would pass without testing anything); `skip` skips.
pub fn postgres_url() -> Option<String> {
    match std::env::var("HND_TEST_POSTGRES_URL") {
        Ok(url) if url == "skip" => None,
        Ok(url) => Some(url),
        Err(_) => panic!(
            "HND_TEST_POSTGRES_URL is not set: run the tests with `./scripts/test`, or set it to \
             postgres://root@127.0.0.1:5432/test (or to `skip` to leave PostgreSQL out)"
        ),
    }
}

/// A migrated store in a new schema of the test PostgreSQL database, or
/// `None` when PostgreSQL tests are skipped.
pub async fn postgres() -> Result<Option<Store>> {
    let Some(url) = postgres_url() else { return Ok(None) };
    postgres_at(&url).await.map(Some)
}

/// A migrated store in a new schema of the PostgreSQL database at `url`.
pub async fn postgres_at(url: &str) -> Result<Store> {
    Store::open(&postgres_schema_url(url).await?).await
}

/// The address of a new, empty schema of the PostgreSQL database at `url`.
pub async fn postgres_schema_url(url: &str) -> Result<String> {
    let schema = unique("t");
    let admin = Store::connect(url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin.write)
        .await?;
    admin.close().await;
    let sep = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{sep}options=-c%20search_path%3D{schema}"))
}

/// The address of a new SQLite file under the system temp folder.
pub fn sqlite_url() -> String {
    let path = std::env::temp_dir().join(format!("{}.db", unique("hnd_test")));
    format!("sqlite:{}", path.display())
}

/// Runs each named `async fn(Store)` of the calling module twice: on a
/// fresh SQLite file (module `sqlite`) and on a fresh PostgreSQL schema
/// (module `postgres`). One suite, every backend.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($crate::testing::sqlite().await.expect("sqlite store")).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(store) = $crate::testing::postgres().await.expect("postgres store") else { return };
                super::$name(store).await;
            })*
        }
    };
}

/// Runs raw SQL on `store`'s writer: for tests that try what the
/// application never does (editing an append-only table, say).
pub async fn execute(store: &Store, sql: &'static str) -> Result<u64> {
    Ok(sqlx::query(sql).execute(&store.write).await?.rows_affected())
}

/// A Kinh person of `Tổ dân phố 1` to add to branch `unit`; `birth` is
/// dd/mm/yyyy or a year.
pub fn person(name: &str, birth: &str, sex: hnd_domain::Sex, unit: &str) -> crate::NewMember {
    use hnd_domain::{BirthDate, Ethnicity, UnitCode};
    crate::NewMember {
        full_name: name.to_string(),
        birth: BirthDate::parse(birth).expect("a valid test birth date"),
        sex,
        ethnicity: Ethnicity::parse("Kinh"),
        religion: None,
        cccd: None,
        phone: None,
        village: Some("Tổ dân phố 1".into()),
        unit: UnitCode::parse(unit).expect("a valid test code"),
    }
}

/// A task as a plan writes it: title, directing body, lead and
/// coordinating bodies (names between semicolons), deadline.
pub fn task(title: &str, directing: &str, lead: &str, coordinating: &str, deadline: &str) -> crate::NewTask {
    crate::NewTask {
        title: title.into(),
        directing: directing.into(),
        lead: lead.into(),
        coordinating: coordinating.into(),
        deadline: deadline.into(),
        unit: String::new(),
    }
}

/// One number read by raw SQL on `store`'s writer: for tests that look at
/// what only the engine keeps (its statistics, say).
pub async fn number(store: &Store, sql: &'static str) -> Result<i64> {
    Ok(sqlx::query_scalar(sql).fetch_one(&store.write).await?)
}
