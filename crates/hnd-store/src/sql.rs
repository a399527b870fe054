//! Small helpers for SQL both engines accept.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe};
use std::fmt::Write as _;

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

pub(crate) fn bind(q: Query<'static, Any, AnyArguments>, v: Val) -> Query<'static, Any, AnyArguments> {
    match v {
        Val::Int(i) => q.bind(i),
        Val::Text(s) => q.bind(s),
    }
}

/// Rows per bulk insert statement.
const BULK_ROWS: usize = 2000;

/// Inserts `rows` with one statement per 2,000 rows, each passing its rows
/// as a single JSON parameter that the engine unpacks (`json_each` on
/// SQLite, `json_array_elements` on PostgreSQL). One parameter instead of
/// thousands: the SQLite driver's per-parameter cost grows with their
/// number, and each statement is a round trip to the driver's thread.
/// `head` is `INSERT INTO table (columns)`; a column's type is that of
/// its value in the first row.
pub(crate) async fn insert_many(
    conn: &mut AnyConnection,
    head: &'static str,
    columns: usize,
    rows: Vec<Vec<Val>>,
) -> sqlx::Result<()> {
    upsert_many(conn, head, columns, rows, "").await
}

/// [`insert_many`] with `tail` after the rows' SELECT: an
/// `ON CONFLICT … DO UPDATE` that adds to existing rows.
pub(crate) async fn upsert_many(
    conn: &mut AnyConnection,
    head: &str,
    columns: usize,
    rows: Vec<Vec<Val>>,
    tail: &str,
) -> sqlx::Result<()> {
    let Some(first) = rows.first() else { return Ok(()) };
    let postgres = is_postgres(conn);
    let select = first
        .iter()
        .take(columns)
        .enumerate()
        .map(|(i, v)| match (postgres, v) {
            (true, Val::Int(_)) => format!("(value->>{i})::bigint"),
            _ => format!("value->>{i}"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let source = if postgres {
        "json_array_elements($1::json)"
    } else {
        "json_each($1)"
    };
    // SQLite reads "SELECT … FROM t ON CONFLICT" as a join without the WHERE.
    let sql = if tail.is_empty() {
        format!("{head} SELECT {select} FROM {source}")
    } else {
        format!("{head} SELECT {select} FROM {source} WHERE true {tail}")
    };
    for chunk in rows.chunks(BULK_ROWS) {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(json_rows(chunk))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Adds `rows` (values of `columns`, in that order) to the counts kept in
/// `table`: a row whose `key` is new is inserted; for one already there,
/// each of the `added` columns grows by the row's value.
pub(crate) async fn add_counts(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    key: &str,
    added: &[&str],
    rows: Vec<Vec<Val>>,
) -> sqlx::Result<()> {
    let head = format!("INSERT INTO {table} ({})", columns.join(", "));
    let sums: Vec<String> = added
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect();
    let tail = format!("ON CONFLICT ({key}) DO UPDATE SET {}", sums.join(", "));
    upsert_many(conn, &head, columns.len(), rows, &tail).await
}

/// `rows` as a JSON array of arrays, written straight into one string
/// (a bulk load's rows would otherwise be copied once more into JSON
/// values before being written out).
fn json_rows(rows: &[Vec<Val>]) -> String {
    let mut out = String::with_capacity(rows.len() * 128);
    out.push('[');
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            out.push(',');
        }
        out.push('[');
        for (c, v) in row.iter().enumerate() {
            if c > 0 {
                out.push(',');
            }
            match v {
                Val::Int(Some(i)) => {
                    let _ = write!(out, "{i}");
                }
                Val::Text(Some(t)) => push_json_string(&mut out, t),
                Val::Int(None) | Val::Text(None) => out.push_str("null"),
            }
        }
        out.push(']');
    }
    out.push(']');
    out
}

/// Appends `text` as a JSON string literal.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    if !text.chars().any(|c| c == '"' || c == '\\' || (c as u32) < 0x20) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Items of an `IN (…)` list per statement.
const LIST_BATCH: usize = 5000;

/// The statements for `sql_before_list` (which ends in `IN (`) over
/// batches of `list`; `fixed` are bound first, as `$1…`. The list goes in
/// as one JSON parameter unpacked by the engine, for the reason given at
/// [`insert_many`].
fn in_batches(
    postgres: bool,
    sql_before_list: &str,
    fixed: &[Val],
    list: &[Val],
    tail: &'static str,
) -> Vec<Query<'static, Any, AnyArguments>> {
    let n = fixed.len() + 1;
    let unpack = match (postgres, list.first()) {
        (true, Some(Val::Int(_))) => format!("SELECT (json_array_elements_text(${n}::json))::bigint"),
        (true, _) => format!("SELECT json_array_elements_text(${n}::json)"),
        (false, _) => format!("SELECT value FROM json_each(${n})"),
    };
    list.chunks(LIST_BATCH)
        .map(|chunk| {
            let items: Vec<serde_json::Value> = chunk
                .iter()
                .map(|v| match v {
                    Val::Int(i) => (*i).into(),
                    Val::Text(t) => t.clone().into(),
                })
                .collect();
            let mut q = sqlx::query(AssertSqlSafe(format!("{sql_before_list}{unpack}){tail}")));
            for v in fixed.iter().cloned() {
                q = bind(q, v);
            }
            q.bind(serde_json::Value::Array(items).to_string())
        })
        .collect()
}

pub(crate) fn is_postgres(conn: &AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}

/// Runs `sql_before_ids … IN (ids)` once per batch of ids.
pub(crate) async fn execute_in(
    conn: &mut AnyConnection,
    sql_before_ids: &'static str,
    fixed: Vec<Val>,
    ids: &[i64],
) -> sqlx::Result<()> {
    let ids: Vec<Val> = ids.iter().map(|i| Val::from(*i)).collect();
    for q in in_batches(is_postgres(conn), sql_before_ids, &fixed, &ids, "") {
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// [`execute_in`] with `tail` after the list (the parenthesis closing a
/// subquery the list is in).
pub(crate) async fn execute_in_then(
    conn: &mut AnyConnection,
    sql_before_ids: &str,
    fixed: Vec<Val>,
    ids: &[i64],
    tail: &'static str,
) -> sqlx::Result<()> {
    let ids: Vec<Val> = ids.iter().map(|i| Val::from(*i)).collect();
    for q in in_batches(is_postgres(conn), sql_before_ids, &fixed, &ids, tail) {
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
    fetch_in_then(conn, sql_before_list, fixed, list, "").await
}

/// [`fetch_in`] with `tail` after the list (a `GROUP BY`): each batch's
/// rows, one batch after the other.
pub(crate) async fn fetch_in_then(
    conn: &mut AnyConnection,
    sql_before_list: &'static str,
    fixed: Vec<Val>,
    list: Vec<Val>,
    tail: &'static str,
) -> sqlx::Result<Vec<AnyRow>> {
    let mut rows = Vec::new();
    for q in in_batches(is_postgres(conn), sql_before_list, &fixed, &list, tail) {
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

/// Who makes a change and when, bound as the last two columns of a row
/// that records its author: `.stamped(change)` in a query's chain.
pub(crate) trait Stamped {
    fn stamped(self, change: &crate::Change) -> Self;
}

impl Stamped for Query<'_, Any, AnyArguments> {
    fn stamped(self, change: &crate::Change) -> Self {
        self.bind(change.author.clone()).bind(chrono::Utc::now().to_rfc3339())
    }
}

impl<O> Stamped for sqlx::query::QueryScalar<'_, Any, O, AnyArguments> {
    fn stamped(self, change: &crate::Change) -> Self {
        self.bind(change.author.clone()).bind(chrono::Utc::now().to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_written_as_json_read_back_the_same() {
        let tricky = "Nguyễn \"Đặng\" \\ Hoà\n\t\u{1}";
        let rows = vec![
            vec![Val::from(-7), Val::from(tricky), Val::Text(None)],
            vec![Val::Int(None), Val::from(""), Val::from(i64::MAX)],
        ];
        let back: serde_json::Value = serde_json::from_str(&json_rows(&rows)).unwrap();
        assert_eq!(back, serde_json::json!([[-7, tricky, null], [null, "", i64::MAX]]));
    }
}
