//! Finding the unit a change names, alive on its day, inside the change's
//! transaction.

use super::types::{Unit, day, unit_cols, unit_from_row};
use crate::Result;
use crate::edit::{Node, node_cols, node_from_row};
use hnd_domain::{Day, Level, OrgError};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// The open version of the unit with `code` alive on `date`, checked so
/// that an operation on that day would not rewrite later history.
pub(crate) async fn resolve(conn: &mut AnyConnection, code: &str, date: Day) -> Result<Node> {
    let lives = sqlx::query("SELECT id, valid_from, valid_to FROM units WHERE code = $1 ORDER BY valid_from")
        .bind(code.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let mut lives_parsed = Vec::new();
    for row in &lives {
        lives_parsed.push((row.try_get::<i64, _>(0)?, day(row, 1)?, day(row, 2)?));
    }
    let code_s = code.to_string();
    let Some((id, _, to)) = lives_parsed
        .iter()
        .find(|(_, from, to)| *from <= date && date < *to)
        .copied()
    else {
        if let Some((_, from, _)) = lives_parsed.iter().find(|(_, from, _)| *from > date) {
            return Err(OrgError::BeforeExistence {
                code: code_s,
                date,
                from: *from,
            }
            .into());
        }
        if let Some((_, _, to)) = lives_parsed.last() {
            return Err(OrgError::AfterEnd {
                code: code_s,
                date,
                to: *to,
            }
            .into());
        }
        return Err(OrgError::UnknownUnit {
            code: code_s,
            as_of: date,
        }
        .into());
    };
    if to != Day::FOREVER {
        return Err(OrgError::BeforeLastChange {
            code: code_s,
            date,
            last: to,
        }
        .into());
    }
    let node = resolve_id(conn, id).await?;
    if node.valid_from > date {
        return Err(OrgError::BeforeLastChange {
            code: code_s,
            date,
            last: node.valid_from,
        }
        .into());
    }
    Ok(node)
}

/// The unit with `code` alive on `date`, in the caller's transaction.
pub(crate) async fn resolve_code_at(conn: &mut AnyConnection, code: &str, date: Day) -> Result<Unit> {
    let row = sqlx::query(concat!(
        "SELECT ",
        unit_cols!(),
        " FROM unit_versions WHERE code = $1 AND valid_from <= $2 AND valid_to > $2"
    ))
    .bind(code.to_string())
    .bind(date.iso())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| OrgError::UnknownUnit {
        code: code.to_string(),
        as_of: date,
    })?;
    unit_from_row(&row)
}

/// The open version of the unit with id `id`.
pub(crate) async fn resolve_id(conn: &mut AnyConnection, id: i64) -> Result<Node> {
    let row = sqlx::query(concat!(
        "SELECT ",
        node_cols!(),
        " FROM unit_versions WHERE unit_id = $1 AND valid_to = '9999-12-31'"
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    node_from_row(&row)
}

/// Live units on `date` among `codes`: code → (id, name, level, parent).
pub(crate) async fn live_with_codes(
    conn: &mut AnyConnection,
    codes: Vec<String>,
    date: Day,
) -> Result<HashMap<String, (i64, String, Level, Option<i64>)>> {
    let rows = crate::sql::fetch_in(
        conn,
        "SELECT code, unit_id, name, level, parent_id FROM unit_versions
         WHERE valid_from <= $1 AND valid_to > $1 AND code IN (",
        vec![date.iso().into()],
        codes.into_iter().map(Into::into).collect(),
    )
    .await?;
    let mut out = HashMap::new();
    for row in rows {
        let level: String = row.try_get(3)?;
        let level = Level::parse(&level).expect("checked by the schema");
        out.insert(
            row.try_get(0)?,
            (row.try_get(1)?, row.try_get(2)?, level, row.try_get(4)?),
        );
    }
    Ok(out)
}
