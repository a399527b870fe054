//! What every change of a member reads, checks and writes: the member's
//! row and unit, the history written only forward, events, membership
//! intervals, card numbers, the holders of CCCDs, and the side tables that
//! follow a member's province.

use super::types::CccdHolder;
use crate::Result;
use crate::org::{Change, resolve_code_at};
use crate::sql::Stamped;
use hnd_domain::{Day, Level, MemberError};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Who holds each of `cccds`, by CCCD.
pub(crate) async fn cccd_holders(
    conn: &mut AnyConnection,
    cccds: Vec<crate::sql::Val>,
) -> Result<HashMap<String, CccdHolder>> {
    let today = Day::today().iso();
    let rows = crate::sql::fetch_in(
        conn,
        "SELECT m.cccd, m.id, m.full_name, m.birth_year, u.code, v.path, p.name, m.province_code
         FROM members m JOIN units u ON u.id = m.unit_id
         LEFT JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
         LEFT JOIN unit_versions p ON p.code = m.province_code AND p.level = 'province'
                                  AND p.valid_from <= $1 AND p.valid_to > $1
         WHERE m.cccd IN (",
        vec![today.into()],
        cccds,
    )
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        let province: Option<String> = r.try_get(6)?;
        let holder = CccdHolder {
            id: r.try_get(1)?,
            full_name: r.try_get(2)?,
            birth_year: r.try_get(3)?,
            unit_code: r.try_get(4)?,
            unit_path: r.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
            province: match province {
                Some(name) => name,
                None => r.try_get(7)?,
            },
        };
        out.insert(r.try_get(0)?, holder);
    }
    Ok(out)
}

/// A branch or group alive on `date`: (id, province).
pub(crate) async fn member_unit(conn: &mut AnyConnection, code: &str, date: Day) -> Result<(i64, String)> {
    let unit = resolve_code_at(conn, code, date).await?;
    if !matches!(unit.level, Level::Branch | Level::Group) {
        return Err(MemberError::NotABranch { code: code.to_string() }.into());
    }
    Ok((unit.id, unit.province_code.unwrap_or_default()))
}

/// The branches and groups named by `codes`, alive on `date`: code →
/// (id, province, first day of the unit's life), in one query; a code
/// that is not one is an error.
pub(crate) async fn member_units<'a>(
    conn: &mut AnyConnection,
    codes: impl Iterator<Item = &'a str>,
    date: Day,
) -> Result<std::collections::HashMap<String, (i64, String, String)>> {
    let wanted: std::collections::BTreeSet<&str> = codes.collect();
    let rows = crate::sql::fetch_in(
        conn,
        "SELECT v.code, v.unit_id, v.level, v.province_code, u.valid_from FROM unit_versions v
         JOIN units u ON u.id = v.unit_id
         WHERE v.valid_from <= $1 AND v.valid_to > $1 AND v.code IN (",
        vec![date.iso().into()],
        wanted.iter().map(|c| (*c).into()).collect(),
    )
    .await?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let level: String = row.try_get(2)?;
        if matches!(Level::parse(&level), Some(Level::Branch | Level::Group)) {
            let province: Option<String> = row.try_get(3)?;
            out.insert(
                row.try_get::<String, _>(0)?,
                (row.try_get(1)?, province.unwrap_or_default(), row.try_get(4)?),
            );
        }
    }
    // A code not found: the same error, unit by unit, as for one member.
    for code in wanted {
        if !out.contains_key(code) {
            member_unit(conn, code, date).await?;
        }
    }
    Ok(out)
}

pub(crate) async fn member_row(conn: &mut AnyConnection, id: i64) -> Result<(String, i64, Option<i64>, String)> {
    let row = sqlx::query("SELECT status, unit_id, transfer_to, province_code FROM members WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(MemberError::UnknownMember { id })?;
    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?))
}

/// Whether unit `id` is alive on `date`.
pub(crate) async fn unit_alive(conn: &mut AnyConnection, id: i64, date: Day) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2 AND valid_to > $2",
    )
    .bind(id)
    .bind(date.iso())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// The member's history may only be written forward. A transfer that was
/// cancelled is no longer history to write after: its cancellation undid
/// it (so a transfer dated too far ahead does not block the member).
pub(crate) async fn check_forward(conn: &mut AnyConnection, id: i64, date: Day) -> Result<()> {
    check_forward_before(conn, id, date, i64::MAX).await
}

/// [`check_forward`] over the events recorded before event `before`.
pub(crate) async fn check_forward_before(conn: &mut AnyConnection, id: i64, date: Day, before: i64) -> Result<()> {
    let last: Option<String> = sqlx::query_scalar(
        "SELECT MAX(e.effective_date) FROM member_events e
         WHERE e.member_id = $1 AND e.id < $2
           AND NOT (e.kind = 'transfer_out' AND EXISTS (
               SELECT 1 FROM member_events c
               WHERE c.member_id = e.member_id AND c.kind = 'transfer_cancel' AND c.id > e.id))",
    )
    .bind(id)
    .bind(before)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(last) = last.and_then(|s| Day::from_iso(&s).ok())
        && last > date
    {
        return Err(MemberError::BeforeLastEvent { id, date, last }.into());
    }
    Ok(())
}

/// An event of a member's history: what happened (`kind`), on which day,
/// in which unit, and the decision or card number that goes with it.
pub(crate) struct Event<'a> {
    kind: &'a str,
    date: Day,
    unit: i64,
    decision: Option<&'a str>,
}

impl<'a> Event<'a> {
    pub(crate) fn new(kind: &'a str, date: Day, unit: i64) -> Self {
        Event {
            kind,
            date,
            unit,
            decision: None,
        }
    }

    /// With its decision (or the card number a re-issue gives).
    pub(crate) fn decided(self, decision: impl Into<Option<&'a str>>) -> Self {
        Event {
            decision: decision.into(),
            ..self
        }
    }
}

pub(crate) async fn record(
    conn: &mut AnyConnection,
    id: i64,
    province: &str,
    event: Event<'_>,
    change: &Change,
) -> Result<()> {
    let Event {
        kind,
        date,
        unit,
        decision,
    } = event;
    sqlx::query(
        "INSERT INTO member_events (member_id, province_code, kind, effective_date, unit_id, decision, reason, author, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(province.to_string())
    .bind(kind.to_string())
    .bind(date.iso())
    .bind(unit)
    .bind(decision.map(str::to_string))
    .bind(change.reason.clone())
    .stamped(change)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn open_membership(
    conn: &mut AnyConnection,
    id: i64,
    unit: i64,
    province: &str,
    date: Day,
) -> Result<()> {
    sqlx::query("INSERT INTO memberships (member_id, unit_id, province_code, valid_from) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(unit)
        .bind(province.to_string())
        .bind(date.iso())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn close_membership(conn: &mut AnyConnection, id: i64, date: Day) -> Result<()> {
    sqlx::query("UPDATE memberships SET valid_to = $1 WHERE member_id = $2 AND valid_to = '9999-12-31'")
        .bind(date.iso())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
/// The tables of a member's rows beside the register (profile, positions,
/// titles, ratings, photo, likely duplicates, corrections, the words of
/// the name). Each carries the province the member's row is kept under,
/// and follows it when it changes: a transfer to another province, a
/// unit's change of province.
pub(crate) const MEMBER_SIDE_TABLES: [&str; 8] = [
    "member_profiles",
    "member_roles",
    "member_titles",
    "member_ratings",
    "member_photos",
    "member_duplicates",
    "member_corrections",
    "member_words",
];

/// Card numbers: the province code, the two digits of the year of
/// admission, and a six-digit sequence per province and year
/// (`51` `26` `000123` → `5126000123`). The counter row is bumped in the
/// admitting transaction, so two clerks admitting at once get consecutive
/// numbers, never the same one.
pub(crate) async fn next_card_number(conn: &mut AnyConnection, province: &str, year: i32) -> Result<String> {
    sqlx::query(
        "INSERT INTO card_counters (province_code, year, last) VALUES ($1, $2, 0)
         ON CONFLICT (province_code, year) DO NOTHING",
    )
    .bind(province.to_string())
    .bind(year as i64)
    .execute(&mut *conn)
    .await?;
    let last: i64 = sqlx::query_scalar(
        "UPDATE card_counters SET last = last + 1 WHERE province_code = $1 AND year = $2 RETURNING last",
    )
    .bind(province.to_string())
    .bind(year as i64)
    .fetch_one(&mut *conn)
    .await?;
    Ok(format!("{province}{:02}{last:06}", year % 100))
}
