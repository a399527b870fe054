//! Small helpers for SQL both engines accept.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe};

/// A value bound into a batch statement.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::Int(v)
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(Some(v))
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(Some(v.to_string()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::Text(v)
    }
}

fn bind(q: Query<'static, Any, AnyArguments>, v: Val) -> Query<'static, Any, AnyArguments> {
    match v {
        Val::Int(i) => q.bind(i),
        Val::Text(s) => q.bind(s),
    }
}

/// `$first, $first+1, …` for `n` parameters.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parameters per statement. The SQLite driver looks parameters up by
/// name, at a cost that grows with the square of their number: 6,000 per
/// statement made a 100,000-unit import spend 78% of its time there, 400
/// brings it to 17% while keeping statements few (measured with perf).
const BATCH_PARAMS: usize = 400;

/// Inserts `rows` with multi-row `INSERT … VALUES (…), (…)` statements.
/// `head` is `INSERT INTO table (columns)`.
pub(crate) async fn insert_many(
    conn: &mut AnyConnection,
    head: &'static str,
    columns: usize,
    rows: Vec<Vec<Val>>,
) -> sqlx::Result<()> {
    let per = (BATCH_PARAMS / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per).collect();
        let values = (0..chunk.len())
            .map(|r| format!("({})", placeholders(r * columns + 1, columns)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut q = sqlx::query(AssertSqlSafe(format!("{head} VALUES {values}")));
        for v in chunk.into_iter().flatten() {
            q = bind(q, v);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The statements for `sql_before_list` (which ends in `IN (`) over
/// batches of `list`; `fixed` are bound first, as `$1…`.
fn in_batches(sql_before_list: &'static str, fixed: &[Val], list: &[Val]) -> Vec<Query<'static, Any, AnyArguments>> {
    list.chunks(BATCH_PARAMS)
        .map(|chunk| {
            let sql = format!("{sql_before_list}{})", placeholders(fixed.len() + 1, chunk.len()));
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for v in fixed.iter().chain(chunk).cloned() {
                q = bind(q, v);
            }
            q
        })
        .collect()
}

/// Runs `sql_before_ids … IN (ids)` once per batch of ids.
pub(crate) async fn execute_in(
    conn: &mut AnyConnection,
    sql_before_ids: &'static str,
    fixed: Vec<Val>,
    ids: &[i64],
) -> sqlx::Result<()> {
    let ids: Vec<Val> = ids.iter().map(|i| Val::from(*i)).collect();
    for q in in_batches(sql_before_ids, &fixed, &ids) {
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The rows of `sql_before_list … IN (list)`, over batches of the list.
pub(crate) async fn fetch_in(
    conn: &mut AnyConnection,
    sql_before_list: &'static str,
    fixed: Vec<Val>,
    list: Vec<Val>,
) -> sqlx::Result<Vec<AnyRow>> {
    let mut rows = Vec::new();
    for q in in_batches(sql_before_list, &fixed, &list) {
        rows.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// The exclusive upper bound of the descendants of `path`: every
/// descendant's path is `path` followed by digits, and `'0'` sorts right
/// after `'/'`.
pub(crate) fn path_end(path: &str) -> String {
    format!("{}0", path.trim_end_matches('/'))
}
