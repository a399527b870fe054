//! The member register (sổ hội viên): members, their events, and the
//! membership intervals every "as of a day" count is read from.

use crate::org::{Change, Unit, resolve_code_at};
use crate::settings::{check_member_event, today};
use crate::sql::path_end;
use crate::{Result, Store, StoreError};
use hnd_domain::{BirthDate, Cccd, Day, Ethnicity, Level, MemberError, Phone, Sex, UnitCode, fold};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A person to enter in the register.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub full_name: String,
    pub birth: BirthDate,
    pub sex: Sex,
    pub ethnicity: Option<Ethnicity>,
    pub religion: Option<String>,
    pub cccd: Option<Cccd>,
    pub phone: Option<Phone>,
    pub village: Option<String>,
    /// The branch or group the member belongs to.
    pub unit: UnitCode,
}

/// A member as the register holds them now.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub sex: String,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub cccd: Option<String>,
    pub phone: Option<String>,
    pub village: Option<String>,
    pub unit_code: String,
    pub province_code: String,
    pub status: String,
    pub card_number: Option<String>,
    pub joined_on: Option<String>,
    pub admission_decision: Option<String>,
    /// While in transfer: the unit the member is going to.
    pub transfer_to: Option<String>,
}

/// Which members to list: a subtree, a text (as in [`Store::search_members`])
/// and filters, a page at a time.
#[derive(Debug, Clone, Default)]
pub struct MemberQuery {
    /// Unit code whose subtree is searched (today's tree).
    pub scope: String,
    pub text: Option<String>,
    /// "male" or "female".
    pub sex: Option<String>,
    pub status: Option<String>,
    /// GSO code of the ethnic group.
    pub ethnicity: Option<String>,
    /// Ages (in whole years this year), inclusive.
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    /// Has health insurance (BHYT) in their profile; `Some(false)`: has
    /// none or none recorded. Personal data: filter only for who may see it.
    pub bhyt: Option<bool>,
    /// Has voluntary social insurance (BHXH tự nguyện), likewise.
    pub bhxh: Option<bool>,
    /// The reader may not see personal data here
    /// (`Principal::may_search_personal`): a text of digits then matches
    /// card numbers only, never a CCCD or phone, and the filters on
    /// personal data (`ethnicity`, `bhyt`, `bhxh`) are not applied. The
    /// pages and the API set it from the user's rights (and tell of or
    /// refuse such a filter before asking); the command line, the
    /// operator's tool, leaves it false.
    pub masked: bool,
    pub offset: i64,
    pub limit: i64,
}
#[derive(Debug, Clone, Serialize)]
pub struct MemberEvent {
    pub kind: String,
    pub date: Day,
    pub unit_code: Option<String>,
    pub decision: Option<String>,
    pub reason: String,
    pub author: String,
}

/// Another member who may be the same person, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikelyDuplicate {
    pub id: i64,
    pub full_name: String,
    /// "name_birth" or "name_phone".
    pub rule: &'static str,
}

/// What adding a member did.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub id: i64,
    pub likely_duplicates: Vec<LikelyDuplicate>,
}

macro_rules! member_select {
    ($rest:literal) => {
        concat!(
            "SELECT m.id, m.full_name, m.birth_date, m.birth_year, m.sex, m.ethnicity, m.religion, m.cccd,
                    m.phone, m.village, u.code, m.province_code, m.status, m.card_number, m.joined_on,
                    m.admission_decision, t.code
             FROM members m JOIN units u ON u.id = m.unit_id LEFT JOIN units t ON t.id = m.transfer_to ",
            $rest
        )
    };
}

fn member_from_row(row: &AnyRow) -> Result<Member> {
    let birth_date: Option<String> = row.try_get(2)?;
    let birth_year: i64 = row.try_get(3)?;
    Ok(Member {
        id: row.try_get(0)?,
        full_name: row.try_get(1)?,
        birth_date: birth_date
            .and_then(|d| Day::from_iso(&d).ok())
            .map(|d| d.to_string())
            .unwrap_or_else(|| birth_year.to_string()),
        sex: row.try_get(4)?,
        ethnicity: row.try_get(5)?,
        religion: row.try_get(6)?,
        cccd: row.try_get(7)?,
        phone: row.try_get(8)?,
        village: row.try_get(9)?,
        unit_code: row.try_get(10)?,
        province_code: row.try_get(11)?,
        status: row.try_get(12)?,
        card_number: row.try_get(13)?,
        joined_on: row.try_get(14)?,
        admission_decision: row.try_get(15)?,
        transfer_to: row.try_get(16)?,
    })
}

/// The member who holds a CCCD.
#[derive(Debug, Clone)]
pub struct CccdHolder {
    pub id: i64,
    pub full_name: String,
    pub birth_year: i64,
    pub unit_code: String,
    /// The unit's path today (empty if it has ended): where access to the
    /// holder is asked before naming them.
    pub unit_path: String,
    /// The name of the member's province today (its code if none).
    pub province: String,
}

impl CccdHolder {
    /// Whether a row naming this CCCD is this same person (same name,
    /// accents aside, and birth year): loading it again changes nothing.
    pub fn is(&self, full_name: &str, birth_year: i32) -> bool {
        fold(&self.full_name) == fold(full_name) && self.birth_year == birth_year as i64
    }

    /// The refusal for somebody else giving this holder's CCCD, naming
    /// the holder in full: before a person reads it, it goes through
    /// `MemberError::seen_as` with the reader's rights.
    pub fn conflict(&self, cccd: &Cccd) -> MemberError {
        MemberError::DuplicateCccd {
            cccd: cccd.to_string(),
            id: self.id,
            name: self.full_name.clone(),
            unit: self.unit_code.clone(),
            place: Box::new(hnd_domain::HolderPlace {
                path: self.unit_path.clone(),
                province: self.province.clone(),
            }),
        }
    }
}

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
async fn member_unit(conn: &mut AnyConnection, code: &str, date: Day) -> Result<(i64, String)> {
    let unit = resolve_code_at(conn, code, date).await?;
    if !matches!(unit.level, Level::Branch | Level::Group) {
        return Err(MemberError::NotABranch { code: code.to_string() }.into());
    }
    Ok((unit.id, unit.province_code.unwrap_or_default()))
}

/// The branches and groups named by `codes`, alive on `date`: code →
/// (id, province, first day of the unit's life), in one query; a code
/// that is not one is an error.
async fn member_units<'a>(
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
async fn unit_alive(conn: &mut AnyConnection, id: i64, date: Day) -> Result<bool> {
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
async fn check_forward_before(conn: &mut AnyConnection, id: i64, date: Day, before: i64) -> Result<()> {
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

#[allow(clippy::too_many_arguments)]
pub(crate) async fn record(
    conn: &mut AnyConnection,
    id: i64,
    province: &str,
    kind: &str,
    date: Day,
    unit: Option<i64>,
    decision: Option<&str>,
    change: &Change,
) -> Result<()> {
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
    .bind(change.author.clone())
    .bind(chrono::Utc::now().to_rfc3339())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn open_membership(conn: &mut AnyConnection, id: i64, unit: i64, province: &str, date: Day) -> Result<()> {
    sqlx::query("INSERT INTO memberships (member_id, unit_id, province_code, valid_from) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(unit)
        .bind(province.to_string())
        .bind(date.iso())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn close_membership(conn: &mut AnyConnection, id: i64, date: Day) -> Result<()> {
    sqlx::query("UPDATE memberships SET valid_to = $1 WHERE member_id = $2 AND valid_to = '9999-12-31'")
        .bind(date.iso())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Set on SQLite's writer for a bulk load, undone by
/// [`crate::backend::SQLITE_WRITER_PRAGMAS`].
const BULK_PRAGMAS: &str = "PRAGMA foreign_keys = OFF;";

/// The member register.
impl Store {
    /// Enters a person as an applicant of a branch or group on `date`.
    /// The date rules hold ([`hnd_domain::dates`]): `date` at most the
    /// margin ahead, the birth not in the future, the applicant of the
    /// charter's minimum age on `date`.
    /// The same CCCD twice is refused, pointing at the existing member; a
    /// CCCD that disagrees with the birth year or sex is refused unless
    /// `accept_warnings`; members with the same name and birth date, or
    /// the same name and phone, come back as likely duplicates.
    pub async fn add_member(
        &self,
        new: &NewMember,
        date: Day,
        accept_warnings: bool,
        change: &Change,
    ) -> Result<Added> {
        let name = new.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 100 {
            return Err(MemberError::BadName {
                name: new.full_name.clone(),
            }
            .into());
        }
        let mut tx = self.write.begin().await?;
        let rules = check_member_event(&mut tx, date).await?;
        rules.check_birth(new.birth, today()).map_err(MemberError::Date)?;
        rules.check_age(new.birth, date).map_err(MemberError::Date)?;
        let (unit, province) = member_unit(&mut tx, new.unit.as_str(), date).await?;
        if let Some(cccd) = &new.cccd
            && let Some(holder) = cccd_holders(&mut tx, vec![cccd.to_string().into()])
                .await?
                .get(cccd.as_str())
        {
            return Err(holder.conflict(cccd).into());
        }
        // A duplicate is refused before a mismatch is reported: the pointer
        // to the existing member is what the clerk needs first.
        if let (Some(cccd), false) = (&new.cccd, accept_warnings)
            && !cccd.check(new.birth.year(), new.sex).is_empty()
        {
            let (_, id_sex) = cccd.century_and_sex();
            let (cccd, id_year, id_sex) = (cccd.to_string(), cccd.birth_year(), id_sex.as_str().to_string());
            return Err(MemberError::CccdMismatch { cccd, id_year, id_sex }.into());
        }
        let folded = fold(&name);
        let birth_date = match new.birth {
            BirthDate::Day(d) => Some(d.iso()),
            BirthDate::Year(_) => None,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO members (province_code, full_name, name_folded, birth_date, birth_year, sex, ethnicity,
                                  religion, cccd, phone, village, unit_id, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'applicant', $13) RETURNING id",
        )
        .bind(province.clone())
        .bind(name.clone())
        .bind(folded.clone())
        .bind(birth_date.clone())
        .bind(new.birth.year() as i64)
        .bind(new.sex.as_str())
        .bind(new.ethnicity.map(|e| e.code().to_string()))
        .bind(new.religion.clone())
        .bind(new.cccd.as_ref().map(|c| c.to_string()))
        .bind(new.phone.as_ref().map(|p| p.to_string()))
        .bind(new.village.clone())
        .bind(unit)
        .bind(chrono::Utc::now().to_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        record(&mut tx, id, &province, "apply", date, Some(unit), None, change).await?;
        let province_of_member = province.clone();
        let rows = sqlx::query(
            "SELECT id, full_name, birth_date, birth_year, phone FROM members
             WHERE province_code = $1 AND name_folded = $2 AND id <> $3",
        )
        .bind(province)
        .bind(folded)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let mut likely_duplicates = Vec::new();
        for row in rows {
            let (other_date, other_year, other_phone): (Option<String>, i64, Option<String>) =
                (row.try_get(2)?, row.try_get(3)?, row.try_get(4)?);
            let same_birth = match (&birth_date, &other_date) {
                (Some(a), Some(b)) => a == b,
                _ => other_year == new.birth.year() as i64,
            };
            let same_phone = new.phone.is_some() && other_phone == new.phone.as_ref().map(|p| p.to_string());
            let rule = if same_birth {
                "name_birth"
            } else if same_phone {
                "name_phone"
            } else {
                continue;
            };
            likely_duplicates.push(LikelyDuplicate {
                id: row.try_get(0)?,
                full_name: row.try_get(1)?,
                rule,
            });
        }
        for dup in &likely_duplicates {
            sqlx::query(
                "INSERT INTO member_duplicates (member_id, other_id, province_code, rule) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(dup.id)
            .bind(province_of_member.clone())
            .bind(dup.rule)
            .execute(&mut *tx)
            .await?;
        }
        let change = change.clone().with_member(id);
        crate::accounts::commit(tx, &change).await?;
        Ok(Added { id, likely_duplicates })
    }

    /// Admits an applicant on `date` by the base committee's `decision`;
    /// the card number is handed out in the same transaction.
    pub async fn admit(&self, id: i64, date: Day, decision: &str, change: &Change) -> Result<String> {
        let mut cards = self.admit_many(&[id], date, decision, change).await?;
        Ok(cards.remove(0))
    }

    /// Admits several applicants by one decision of the base committee,
    /// all or none; returns their card numbers in the order given.
    pub async fn admit_many(&self, ids: &[i64], date: Day, decision: &str, change: &Change) -> Result<Vec<String>> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let mut cards = Vec::with_capacity(ids.len());
        for &id in ids {
            let (status, unit, _, province) = member_row(&mut tx, id).await?;
            if status != "applicant" {
                return Err(MemberError::WrongStatus { id, status }.into());
            }
            check_forward(&mut tx, id, date).await?;
            let card = next_card_number(&mut tx, &province, date.year()).await?;
            sqlx::query(
                "UPDATE members SET status = 'active', joined_on = $1, card_number = $2, admission_decision = $3
                 WHERE id = $4",
            )
            .bind(date.iso())
            .bind(card.clone())
            .bind(decision.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            record(
                &mut tx,
                id,
                &province,
                "admit",
                date,
                Some(unit),
                Some(decision),
                change,
            )
            .await?;
            open_membership(&mut tx, id, unit, &province, date).await?;
            cards.push(card);
        }
        let change = change.clone().with_after("card_numbers", serde_json::json!(cards));
        crate::accounts::commit(tx, &change).await?;
        Ok(cards)
    }

    /// The sending unit records a transfer to `to`: the member is "in
    /// transfer" and still counts in the sending unit until the receiving
    /// unit confirms.
    pub async fn send_transfer(&self, id: i64, to: &str, date: Day, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let (status, _, _, province) = member_row(&mut tx, id).await?;
        if status != "active" {
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        check_forward(&mut tx, id, date).await?;
        let (target, _) = member_unit(&mut tx, to, date).await?;
        sqlx::query("UPDATE members SET status = 'in_transfer', transfer_to = $1 WHERE id = $2")
            .bind(target)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, id, &province, "transfer_out", date, Some(target), None, change).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// The receiving unit confirms a transfer: from `date` the member
    /// counts there.
    pub async fn confirm_transfer(&self, id: i64, date: Day, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let (status, _, target, _) = member_row(&mut tx, id).await?;
        let Some(target) = target.filter(|_| status == "in_transfer") else {
            return Err(MemberError::WrongStatus { id, status }.into());
        };
        check_forward(&mut tx, id, date).await?;
        let province: Option<String> = sqlx::query_scalar(
            "SELECT province_code FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2 AND valid_to > $2",
        )
        .bind(target)
        .bind(date.iso())
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
        let province = province.unwrap_or_default();
        sqlx::query(
            "UPDATE members SET status = 'active', unit_id = $1, transfer_to = NULL, province_code = $2 WHERE id = $3",
        )
        .bind(target)
        .bind(province.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        record(&mut tx, id, &province, "transfer_in", date, Some(target), None, change).await?;
        for table in MEMBER_SIDE_TABLES {
            let sql = format!("UPDATE {table} SET province_code = $1 WHERE member_id = $2");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(province.clone())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        close_membership(&mut tx, id, date).await?;
        open_membership(&mut tx, id, target, &province, date).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// The sending unit cancels a transfer it sent: the member is active
    /// in their unit again, `transfer_to` is cleared, and a
    /// `transfer_cancel` event dated `date` is recorded in the member's
    /// log. Nothing else changes: the member never stopped counting in the
    /// sending unit. Decided: the cancellation may be dated before the
    /// transfer it undoes (a transfer typed with a wrong day far ahead is
    /// cancelled today), not before the events that came before that
    /// transfer; a cancelled transfer no longer holds later events back.
    pub async fn cancel_transfer(&self, id: i64, date: Day, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let (status, unit, target, province) = member_row(&mut tx, id).await?;
        if status != "in_transfer" || target.is_none() {
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        let sent: Option<i64> =
            sqlx::query_scalar("SELECT MAX(id) FROM member_events WHERE member_id = $1 AND kind = 'transfer_out'")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        check_forward_before(&mut tx, id, date, sent.unwrap_or(i64::MAX)).await?;
        sqlx::query("UPDATE members SET status = 'active', transfer_to = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            id,
            &province,
            "transfer_cancel",
            date,
            Some(unit),
            None,
            change,
        )
        .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// Removal (xóa tên / ra khỏi Hội) or death on `date`: the member
    /// stops counting from that day.
    pub async fn end_membership(&self, id: i64, date: Day, death: bool, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let (status, unit, _, province) = member_row(&mut tx, id).await?;
        if !matches!(status.as_str(), "active" | "on_leave" | "in_transfer") {
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        check_forward(&mut tx, id, date).await?;
        let (status, kind) = if death {
            ("dead", "death")
        } else {
            ("removed", "remove")
        };
        sqlx::query("UPDATE members SET status = $1, transfer_to = NULL WHERE id = $2")
            .bind(status)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, id, &province, kind, date, Some(unit), None, change).await?;
        close_membership(&mut tx, id, date).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// Who holds each of `cccds` now.
    pub async fn members_by_cccd(&self, cccds: &[String]) -> Result<HashMap<String, CccdHolder>> {
        let mut conn = self.read.acquire().await?;
        cccd_holders(&mut conn, cccds.iter().map(|c| c.clone().into()).collect()).await
    }

    /// Members under `scope` (today's tree) with an id above `after`, by
    /// id: pages for a streaming export.
    pub async fn members_page(&self, scope: &str, after: i64, limit: i64) -> Result<Vec<Member>> {
        let today = Day::today();
        let unit = self.unit(scope, today).await?.unit;
        // Members in id order, each checked against the scope: a page costs
        // its own rows, where a join led by the scope sorted the whole subtree.
        let rows = sqlx::query(member_select!(
            "WHERE m.id > $4 AND EXISTS (
                 SELECT 1 FROM unit_versions v
                 WHERE v.unit_id = m.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
                   AND v.path >= $2 AND v.path < $3)
             ORDER BY m.id LIMIT $5"
        ))
        .bind(today.iso())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(member_from_row).collect()
    }

    /// A page of the members matching `q`, ordered by folded name, and
    /// whether more follow. With a text the name-prefix or exact-key
    /// indexes lead; without, the members of the subtree's units do.
    pub async fn find_members(&self, q: &MemberQuery) -> Result<(Vec<Member>, bool)> {
        let today = Day::today();
        let unit = self.unit(&q.scope, today).await?.unit;
        let sql = String::from(member_select!(
            "JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
             WHERE v.path >= $2 AND v.path < $3"
        ));
        let mut w = Filter {
            sql,
            binds: vec![
                today.iso().into(),
                unit.path.clone().into(),
                path_end(&unit.path).into(),
            ],
        };
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
            if !digits.is_empty() && digits.len() == text.chars().filter(|c| !c.is_whitespace()).count() {
                if q.masked {
                    // A CCCD or phone is personal data: only card numbers.
                    w.and("m.card_number =", digits.into());
                } else {
                    let key = Cccd::parse(text)
                        .map(|c| c.to_string())
                        .ok()
                        .or_else(|| Phone::parse(text).map(|p| p.to_string()).ok())
                        .unwrap_or(digits);
                    let n = w.param(key.into());
                    w.sql.push_str(&format!(
                        " AND (m.cccd = ${n} OR m.phone = ${n} OR m.card_number = ${n})"
                    ));
                }
            } else {
                let prefix = fold(text);
                w.and("m.name_folded >=", prefix.clone().into());
                w.and("m.name_folded <", format!("{prefix}\u{10FFFF}").into());
                if let Some(p) = &unit.province_code {
                    w.and("m.province_code =", p.clone().into());
                }
            }
        }
        // Filters on personal data apply only for who may see it.
        let ethnicity = if q.masked { &None } else { &q.ethnicity };
        for (column, value) in [
            ("m.sex =", &q.sex),
            ("m.status =", &q.status),
            ("m.ethnicity =", ethnicity),
        ] {
            if let Some(v) = value {
                w.and(column, v.clone().into());
            }
        }
        let year = today.year() as i64;
        if let Some(min) = q.min_age {
            w.and("m.birth_year <=", (year - min as i64).into());
        }
        if let Some(max) = q.max_age {
            w.and("m.birth_year >=", (year - max as i64).into());
        }
        // Insurance lives in the profile (one row per member, keyed by its id).
        for (column, wanted) in [("bhyt", q.bhyt), ("bhxh", q.bhxh)] {
            if let Some(has) = wanted.filter(|_| !q.masked) {
                let not = if has { "" } else { "NOT " };
                w.sql.push_str(&format!(
                    " AND {not}EXISTS (SELECT 1 FROM member_profiles p WHERE p.member_id = m.id AND p.{column} = 1)"
                ));
            }
        }
        let limit = q.limit.clamp(1, 500);
        w.sql.push_str(&format!(
            " ORDER BY m.name_folded, m.id LIMIT {} OFFSET {}",
            limit + 1,
            q.offset.max(0)
        ));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(w.sql));
        for b in w.binds {
            query = crate::sql::bind(query, b);
        }
        let rows = query.fetch_all(&self.read).await?;
        let more = rows.len() as i64 > limit;
        let members = rows
            .iter()
            .take(limit as usize)
            .map(member_from_row)
            .collect::<Result<_>>()?;
        Ok((members, more))
    }

    /// Members in transfer to a unit under `scope` (today's tree), waiting
    /// for the receiving unit to confirm.
    pub async fn incoming_transfers(&self, scope: &str, limit: i64) -> Result<Vec<Member>> {
        let today = Day::today();
        let unit = self.unit(scope, today).await?.unit;
        let rows = sqlx::query(member_select!(
            "JOIN unit_versions v ON v.unit_id = m.transfer_to AND v.valid_from <= $1 AND v.valid_to > $1
             WHERE m.status = 'in_transfer' AND v.path >= $2 AND v.path < $3
             ORDER BY m.id LIMIT $4"
        ))
        .bind(today.iso())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(member_from_row).collect()
    }

    /// Open likely duplicates under `scope` (today's tree): (member, other, rule).
    pub async fn open_duplicates(&self, scope: &str, limit: i64) -> Result<Vec<(Member, Member, String)>> {
        let unit = self.unit(scope, Day::today()).await?.unit;
        let rows = sqlx::query(
            "SELECT d.member_id, d.other_id, d.rule FROM member_duplicates d
             JOIN members m ON m.id = d.member_id
             JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
             WHERE d.status = 'open' AND v.path >= $2 AND v.path < $3
             ORDER BY d.member_id, d.other_id LIMIT $4",
        )
        .bind(Day::today().iso())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let (a, b, rule): (i64, i64, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            out.push((self.member(a).await?, self.member(b).await?, rule));
        }
        Ok(out)
    }

    /// A person's decision on a likely duplicate: the same person
    /// (`confirmed`) or two people (`dismissed`).
    pub async fn decide_duplicate(&self, member: i64, other: i64, same: bool, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE member_duplicates SET status = $1, decided_by = $2, decided_at = $3
             WHERE member_id = $4 AND other_id = $5 AND status = 'open'",
        )
        .bind(if same { "confirmed" } else { "dismissed" })
        .bind(change.author.clone())
        .bind(chrono::Utc::now().to_rfc3339())
        .bind(member)
        .bind(other)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(MemberError::NoOpenDuplicate { member, other }.into());
        }
        crate::accounts::commit(tx, change).await
    }

    /// Everyone ever entered in the register, whatever their status.
    pub async fn members_registered(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM members")
            .fetch_one(&self.read)
            .await?)
    }

    /// Temporary leave (tạm nghỉ sinh hoạt) from `date`: still a member,
    /// counted, but not active until [`Store::return_from_leave`].
    pub async fn start_leave(&self, id: i64, date: Day, change: &Change) -> Result<()> {
        self.set_status(id, date, "active", "on_leave", "leave", None, change)
            .await
    }

    pub async fn return_from_leave(&self, id: i64, date: Day, change: &Change) -> Result<()> {
        self.set_status(id, date, "on_leave", "active", "return", None, change)
            .await
    }

    /// A member who left or was struck off is admitted again (phục hồi)
    /// by `decision`; they count again from `date`, with their old card.
    pub async fn reinstate(&self, id: i64, date: Day, decision: &str, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let (status, unit, _, province) = member_row(&mut tx, id).await?;
        if status != "removed" {
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        // An applicant who withdrew was never admitted: nothing to restore.
        let joined: Option<String> = sqlx::query_scalar("SELECT joined_on FROM members WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if joined.is_none() {
            let status = "withdrawn".to_string();
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        check_forward(&mut tx, id, date).await?;
        let (unit, province) = match unit_alive(&mut tx, unit, date).await? {
            true => (unit, province),
            false => return Err(MemberError::UnitGone { id }.into()),
        };
        sqlx::query("UPDATE members SET status = 'active' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            id,
            &province,
            "reinstate",
            date,
            Some(unit),
            Some(decision),
            change,
        )
        .await?;
        open_membership(&mut tx, id, unit, &province, date).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// A new card (cấp lại thẻ) with a new number; the old one is kept in the event.
    pub async fn reissue_card(&self, id: i64, date: Day, change: &Change) -> Result<String> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let (status, unit, _, province) = member_row(&mut tx, id).await?;
        if !matches!(status.as_str(), "active" | "on_leave") {
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        let old: Option<String> = sqlx::query_scalar("SELECT card_number FROM members WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let card = next_card_number(&mut tx, &province, date.year()).await?;
        sqlx::query("UPDATE members SET card_number = $1 WHERE id = $2")
            .bind(card.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let change = Change {
            reason: format!("{} {}", old.unwrap_or_default(), change.reason)
                .trim()
                .to_string(),
            ..change.clone()
        };
        record(
            &mut tx,
            id,
            &province,
            "card_reissue",
            date,
            Some(unit),
            Some(&card),
            &change,
        )
        .await?;
        let change = change.with_after("card_number", serde_json::json!(card));
        crate::accounts::commit(tx, &change).await?;
        Ok(card)
    }

    #[allow(clippy::too_many_arguments)]
    async fn set_status(
        &self,
        id: i64,
        date: Day,
        from: &str,
        to: &str,
        kind: &str,
        decision: Option<&str>,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        check_member_event(&mut tx, date).await?;
        let (status, unit, _, province) = member_row(&mut tx, id).await?;
        if status != from {
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        check_forward(&mut tx, id, date).await?;
        sqlx::query("UPDATE members SET status = $1 WHERE id = $2")
            .bind(to.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, id, &province, kind, date, Some(unit), decision, change).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    pub async fn member(&self, id: i64) -> Result<Member> {
        let row = sqlx::query(member_select!("WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(MemberError::UnknownMember { id })?;
        member_from_row(&row)
    }

    /// A member's events, oldest first.
    pub async fn member_events(&self, id: i64) -> Result<Vec<MemberEvent>> {
        let rows = sqlx::query(
            "SELECT e.kind, e.effective_date, u.code, e.decision, e.reason, e.author
             FROM member_events e LEFT JOIN units u ON u.id = e.unit_id
             WHERE e.member_id = $1 ORDER BY e.effective_date, e.id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let date: String = r.try_get(1)?;
                Ok(MemberEvent {
                    kind: r.try_get(0)?,
                    date: Day::from_iso(&date).expect("dates written by hnd"),
                    unit_code: r.try_get(2)?,
                    decision: r.try_get(3)?,
                    reason: r.try_get(4)?,
                    author: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Members counting in `code`'s whole subtree on `as_of`, from the
    /// maintained counts of the units in the subtree as it stood that day
    /// (never the member tables): each unit's total less its deltas dated
    /// after `as_of`. Today's figure reads one row per unit whatever the
    /// length of its history; a day in the past also reads the changes
    /// since, which is the same work as summing up to it when the day is
    /// halfway through the history and less when it is recent.
    pub async fn count_members(&self, code: &str, as_of: Day) -> Result<i64> {
        Ok(self.member_counts(code, as_of).await?.members)
    }

    /// [`Store::count_members`] with how many of them are women and how
    /// many belong to an ethnic minority, from the same maintained rows.
    pub async fn member_counts(&self, code: &str, as_of: Day) -> Result<MemberCounts> {
        let unit = self.unit(code, as_of).await?.unit;
        let row = if unit.parent_id.is_none() {
            // The whole country: the provinces' deltas.
            sqlx::query(
                "SELECT CAST(t.n - COALESCE(f.n, 0) AS BIGINT), CAST(t.w - COALESCE(f.w, 0) AS BIGINT),
                        CAST(t.m - COALESCE(f.m, 0) AS BIGINT)
                 FROM (SELECT COALESCE(SUM(n), 0) AS n, COALESCE(SUM(women), 0) AS w, COALESCE(SUM(minority), 0) AS m
                       FROM province_member_totals) t,
                      (SELECT SUM(delta) AS n, SUM(women) AS w, SUM(minority) AS m
                       FROM province_member_deltas WHERE day > $1) f",
            )
            .bind(as_of.iso())
            .fetch_one(&self.read)
            .await?
        } else {
            sqlx::query(
                "SELECT CAST(t.n - COALESCE(f.n, 0) AS BIGINT), CAST(t.w - COALESCE(f.w, 0) AS BIGINT),
                        CAST(t.m - COALESCE(f.m, 0) AS BIGINT)
                 FROM (SELECT COALESCE(SUM(t.n), 0) AS n, COALESCE(SUM(t.women), 0) AS w, COALESCE(SUM(t.minority), 0) AS m
                       FROM unit_member_totals t
                       JOIN unit_versions v ON v.unit_id = t.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
                       WHERE v.path >= $2 AND v.path < $3) t,
                      (SELECT SUM(d.delta) AS n, SUM(d.women) AS w, SUM(d.minority) AS m
                       FROM unit_member_deltas d
                       JOIN unit_versions v ON v.unit_id = d.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
                       WHERE d.day > $1 AND v.path >= $2 AND v.path < $3) f",
            )
            .bind(as_of.iso())
            .bind(unit.path.clone())
            .bind(path_end(&unit.path))
            .fetch_one(&self.read)
            .await?
        };
        Ok(MemberCounts {
            members: row.try_get(0)?,
            women: row.try_get(1)?,
            minority: row.try_get(2)?,
        })
    }

    /// Members of each child of `parent` (in the tree of `as_of`) on that
    /// day, by child code: the drill-down's figures in two grouped queries
    /// over the maintained counts (the provinces' own rows at the root).
    /// A child with no members is absent.
    pub async fn child_members(&self, parent: &Unit, as_of: Day) -> Result<HashMap<String, i64>> {
        if parent.parent_id.is_none() {
            return Ok(self.province_counts(as_of).await?.into_iter().collect());
        }
        let by_child = |source: &str, value: &str| {
            format!(
                "SELECT k.code, CAST(SUM({value}) AS BIGINT) FROM unit_versions k
                 JOIN unit_versions v ON v.valid_from <= $1 AND v.valid_to > $1
                     AND v.path >= k.path AND v.path < RTRIM(k.path, '/') || '0'
                 JOIN {source}
                 WHERE k.parent_id = $2 AND k.valid_from <= $1 AND k.valid_to > $1
                 GROUP BY k.code"
            )
        };
        let mut counts = HashMap::new();
        for (sql, sign) in [
            (by_child("unit_member_totals x ON x.unit_id = v.unit_id", "x.n"), 1),
            (
                by_child(
                    "unit_member_deltas x ON x.unit_id = v.unit_id AND x.day > $1",
                    "x.delta",
                ),
                -1,
            ),
        ] {
            for row in sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(as_of.iso())
                .bind(parent.id)
                .fetch_all(&self.read)
                .await?
            {
                let n: i64 = row.try_get(1)?;
                *counts.entry(row.try_get(0)?).or_insert(0) += sign * n;
            }
        }
        counts.retain(|_, n| *n != 0);
        Ok(counts)
    }

    /// The same figure counted from the membership intervals themselves:
    /// the check of the maintained counts, and the comparison in benchmarks.
    pub async fn count_members_scan(&self, code: &str, as_of: Day) -> Result<i64> {
        Ok(self.member_counts_scan(code, as_of).await?.members)
    }

    /// [`Store::member_counts`] counted from the intervals and the members.
    pub async fn member_counts_scan(&self, code: &str, as_of: Day) -> Result<MemberCounts> {
        let unit = self.unit(code, as_of).await?.unit;
        let row = sqlx::query(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN m.sex = 'female' THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN m.ethnicity <> '01' THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM memberships ms
             JOIN members m ON m.id = ms.member_id
             JOIN unit_versions v ON v.unit_id = ms.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
             WHERE ms.valid_from <= $1 AND ms.valid_to > $1 AND v.path >= $2 AND v.path < $3",
        )
        .bind(as_of.iso())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .fetch_one(&self.read)
        .await?;
        Ok(MemberCounts {
            members: row.try_get(0)?,
            women: row.try_get(1)?,
            minority: row.try_get(2)?,
        })
    }

    /// Members of every province on `as_of` (provinces of the tree that
    /// day, in code order), from the maintained province deltas.
    pub async fn province_counts(&self, as_of: Day) -> Result<Vec<(String, i64)>> {
        Ok(self
            .province_member_counts(as_of)
            .await?
            .into_iter()
            .map(|(p, c)| (p, c.members))
            .collect())
    }

    /// [`Store::province_counts`] with each province's women and
    /// ethnic-minority members: its total less its deltas dated after
    /// `as_of`, from 34 rows and the changes since that day.
    pub async fn province_member_counts(&self, as_of: Day) -> Result<Vec<(String, MemberCounts)>> {
        let rows = sqlx::query(
            "SELECT v.code, CAST(COALESCE(t.n, 0) - COALESCE(f.n, 0) AS BIGINT),
                    CAST(COALESCE(t.women, 0) - COALESCE(f.w, 0) AS BIGINT),
                    CAST(COALESCE(t.minority, 0) - COALESCE(f.m, 0) AS BIGINT)
             FROM unit_versions v
             LEFT JOIN province_member_totals t ON t.province_code = v.code
             LEFT JOIN (SELECT province_code, SUM(delta) AS n, SUM(women) AS w, SUM(minority) AS m
                        FROM province_member_deltas WHERE day > $1 GROUP BY province_code) f ON f.province_code = v.code
             WHERE v.level = 'province' AND v.valid_from <= $1 AND v.valid_to > $1
             ORDER BY v.code",
        )
        .bind(as_of.iso())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    MemberCounts {
                        members: r.try_get(1)?,
                        women: r.try_get(2)?,
                        minority: r.try_get(3)?,
                    },
                ))
            })
            .collect()
    }

    /// Members matching `text` within `scope`'s subtree (today's tree):
    /// an exact CCCD, phone or card number, or a name prefix with accents
    /// and case ignored ("nguyen thi h" finds "Nguyễn Thị Hoà").
    pub async fn search_members(&self, text: &str, scope: Option<&str>, limit: i64) -> Result<Vec<Member>> {
        let today = Day::today();
        let (lo, hi, province) = match scope {
            Some(code) => {
                let unit = self.unit(code, today).await?.unit;
                let end = path_end(&unit.path);
                (unit.path, end, unit.province_code)
            }
            None => ("/".to_string(), "0".to_string(), None),
        };
        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
        let exact = Cccd::parse(text)
            .map(|c| c.to_string())
            .ok()
            .or_else(|| Phone::parse(text).map(|p| p.to_string()).ok());
        let rows = if let Some(key) =
            exact.or_else(|| (!digits.is_empty() && digits.len() == text.trim().len()).then_some(digits))
        {
            sqlx::query(member_select!(
                "JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $2 AND v.valid_to > $2
                 WHERE (m.cccd = $1 OR m.phone = $1 OR m.card_number = $1) AND v.path >= $3 AND v.path < $4
                 ORDER BY m.id LIMIT $5"
            ))
            .bind(key)
            .bind(today.iso())
            .bind(lo)
            .bind(hi)
            .bind(limit)
            .fetch_all(&self.read)
            .await?
        } else {
            let prefix = fold(text);
            // Every folded name that starts with the prefix sorts in [prefix, prefix + U+FFFF).
            let end = format!("{prefix}\u{10FFFF}");
            // Within a province the (province_code, name_folded) index gives
            // the matches in order; across the country, the same index read
            // province by province.
            let query = match province {
                Some(_) => sqlx::query(member_select!(
                    "JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $3 AND v.valid_to > $3
                     WHERE m.province_code = $7 AND m.name_folded >= $1 AND m.name_folded < $2
                       AND v.path >= $4 AND v.path < $5
                     ORDER BY m.name_folded, m.id LIMIT $6"
                )),
                None => sqlx::query(member_select!(
                    "JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $3 AND v.valid_to > $3
                     WHERE m.name_folded >= $1 AND m.name_folded < $2 AND v.path >= $4 AND v.path < $5
                       AND m.province_code > $7
                     ORDER BY m.province_code, m.name_folded, m.id LIMIT $6"
                )),
            };
            query
                .bind(prefix)
                .bind(end)
                .bind(today.iso())
                .bind(lo)
                .bind(hi)
                .bind(limit)
                .bind(province.unwrap_or_default())
                .fetch_all(&self.read)
                .await?
        };
        rows.iter().map(member_from_row).collect()
    }
}

/// Members counted on a day, and how many of them are women and how many
/// belong to an ethnic minority (a group other than Kinh).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MemberCounts {
    pub members: i64,
    pub women: i64,
    pub minority: i64,
}

/// Members, women and ethnic-minority members added on a day (see
/// migration 0010): one delta row's columns.
#[derive(Default, Clone, Copy)]
struct Kinds {
    members: i64,
    women: i64,
    minority: i64,
}

impl Kinds {
    fn add(&mut self, other: Kinds) {
        self.members += other.members;
        self.women += other.women;
        self.minority += other.minority;
    }

    /// `key` followed by the three figures: one row to write.
    fn row(self, mut key: Vec<crate::sql::Val>) -> Vec<crate::sql::Val> {
        key.extend([self.members.into(), self.women.into(), self.minority.into()]);
        key
    }
}

/// The tables of a member's rows beside the register (profile, positions,
/// titles, ratings, photo, likely duplicates). Each carries the province
/// the member's row is kept under, and follows it when it changes: a
/// transfer to another province, a unit's change of province.
pub(crate) const MEMBER_SIDE_TABLES: [&str; 7] = [
    "member_profiles",
    "member_roles",
    "member_titles",
    "member_ratings",
    "member_photos",
    "member_duplicates",
    "member_corrections",
];

/// Marks the transaction on `conn` as keeping the maintained counts itself
/// (`on`) or not: the count triggers stand aside while it is marked, on
/// SQLite through a row of `bulk_load` (migration 0007), on PostgreSQL
/// through the `hnd.bulk_load` setting their WHEN reads (migration 0016),
/// so that no trigger function runs at all.
pub(crate) async fn bulk_marker(conn: &mut AnyConnection, on: bool) -> Result<()> {
    let postgres = crate::sql::is_postgres(conn);
    if on {
        sqlx::query("INSERT INTO bulk_load (marker) VALUES (1)")
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query("DELETE FROM bulk_load").execute(&mut *conn).await?;
    }
    if postgres {
        let sql = if on {
            "SET LOCAL hnd.bulk_load = 'on'"
        } else {
            "SET LOCAL hnd.bulk_load = 'off'"
        };
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Members whose open intervals go from one province to another from a
/// day on (a change of province of their units), with how many are women
/// and of an ethnic minority.
pub(crate) struct ProvinceMove {
    pub from: String,
    pub to: String,
    /// ISO day: that of the change, or the interval's start if later.
    pub day: String,
    pub members: i64,
    pub women: i64,
    pub minority: i64,
}

/// Writes the maintained counts of `moves` (the provinces' deltas and
/// totals; a unit's own figures do not change), for a change that moved
/// the intervals under the bulk marker.
pub(crate) async fn write_province_moves(conn: &mut AnyConnection, moves: &[ProvinceMove]) -> Result<()> {
    let mut counts = BulkCounts::default();
    for m in moves {
        let k = Kinds {
            members: m.members,
            women: m.women,
            minority: m.minority,
        };
        let minus = Kinds {
            members: -k.members,
            women: -k.women,
            minority: -k.minority,
        };
        counts
            .province_members
            .entry((m.from.clone(), m.day.clone()))
            .or_default()
            .add(minus);
        counts
            .province_members
            .entry((m.to.clone(), m.day.clone()))
            .or_default()
            .add(k);
    }
    counts.write(conn).await
}

/// The maintained counts a bulk load adds, summed per unit or province
/// and day: new intervals (all open) and admissions.
#[derive(Default)]
struct BulkCounts {
    unit_members: HashMap<(i64, String), (String, Kinds)>,
    province_members: HashMap<(String, String), Kinds>,
    unit_admissions: HashMap<(i64, String), (String, i64)>,
    province_admissions: HashMap<(String, String), i64>,
}

impl BulkCounts {
    /// A member counted in `unit` from `from`, admitted on `admitted`.
    fn add(&mut self, unit: i64, province: &str, from: &str, admitted: &str, woman: bool, minority: bool) {
        let one = Kinds {
            members: 1,
            women: woman as i64,
            minority: minority as i64,
        };
        self.unit_members
            .entry((unit, from.to_string()))
            .or_insert((province.to_string(), Kinds::default()))
            .1
            .add(one);
        self.province_members
            .entry((province.to_string(), from.to_string()))
            .or_default()
            .add(one);
        self.unit_admissions
            .entry((unit, admitted.to_string()))
            .or_insert((province.to_string(), 0))
            .1 += 1;
        *self
            .province_admissions
            .entry((province.to_string(), admitted.to_string()))
            .or_default() += 1;
    }

    async fn write(self, conn: &mut AnyConnection) -> Result<()> {
        use crate::sql::{Val, upsert_many};
        let rows = |m: HashMap<(i64, String), (String, i64)>| -> Vec<Vec<Val>> {
            m.into_iter()
                .map(|((unit, day), (province, n))| vec![unit.into(), day.into(), province.into(), n.into()])
                .collect()
        };
        let by_province = |m: HashMap<(String, String), i64>| -> Vec<Vec<Val>> {
            m.into_iter()
                .map(|((province, day), n)| vec![province.into(), day.into(), n.into()])
                .collect()
        };
        // The totals of each unit and province, summed here: their
        // triggers stand aside during a bulk load (migration 0013).
        let mut unit_totals: HashMap<i64, (String, Kinds)> = HashMap::new();
        for ((unit, _), (province, k)) in &self.unit_members {
            unit_totals
                .entry(*unit)
                .or_insert((province.clone(), Kinds::default()))
                .1
                .add(*k);
        }
        let mut province_totals: HashMap<String, Kinds> = HashMap::new();
        for ((province, _), k) in &self.province_members {
            province_totals.entry(province.clone()).or_default().add(*k);
        }
        let unit_totals = unit_totals
            .into_iter()
            .map(|(unit, (province, k))| k.row(vec![unit.into(), province.into()]))
            .collect();
        upsert_many(
            conn,
            "INSERT INTO unit_member_totals (unit_id, province_code, n, women, minority)",
            5,
            unit_totals,
            "ON CONFLICT (unit_id) DO UPDATE SET n = unit_member_totals.n + excluded.n,
             women = unit_member_totals.women + excluded.women, minority = unit_member_totals.minority + excluded.minority",
        )
        .await?;
        let province_totals = province_totals
            .into_iter()
            .map(|(province, k)| k.row(vec![province.into()]))
            .collect();
        upsert_many(
            conn,
            "INSERT INTO province_member_totals (province_code, n, women, minority)",
            4,
            province_totals,
            "ON CONFLICT (province_code) DO UPDATE SET n = province_member_totals.n + excluded.n,
             women = province_member_totals.women + excluded.women,
             minority = province_member_totals.minority + excluded.minority",
        )
        .await?;
        let unit_members = self
            .unit_members
            .into_iter()
            .map(|((unit, day), (province, k))| k.row(vec![unit.into(), day.into(), province.into()]))
            .collect();
        upsert_many(
            conn,
            "INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)",
            6,
            unit_members,
            "ON CONFLICT (unit_id, day) DO UPDATE SET delta = unit_member_deltas.delta + excluded.delta,
             women = unit_member_deltas.women + excluded.women, minority = unit_member_deltas.minority + excluded.minority",
        )
        .await?;
        let province_members = self
            .province_members
            .into_iter()
            .map(|((province, day), k)| k.row(vec![province.into(), day.into()]))
            .collect();
        upsert_many(
            conn,
            "INSERT INTO province_member_deltas (province_code, day, delta, women, minority)",
            5,
            province_members,
            "ON CONFLICT (province_code, day) DO UPDATE SET delta = province_member_deltas.delta + excluded.delta,
             women = province_member_deltas.women + excluded.women, minority = province_member_deltas.minority + excluded.minority",
        )
        .await?;
        let admit = |mut rows: Vec<Vec<Val>>| -> Vec<Vec<Val>> {
            for r in &mut rows {
                r.push("admit".into());
            }
            rows
        };
        upsert_many(
            conn,
            "INSERT INTO unit_event_counts (unit_id, day, province_code, n, kind)",
            5,
            admit(rows(self.unit_admissions)),
            "ON CONFLICT (unit_id, kind, day) DO UPDATE SET n = unit_event_counts.n + excluded.n",
        )
        .await?;
        upsert_many(
            conn,
            "INSERT INTO province_event_counts (province_code, day, n, kind)",
            4,
            admit(by_province(self.province_admissions)),
            "ON CONFLICT (province_code, kind, day) DO UPDATE SET n = province_event_counts.n + excluded.n",
        )
        .await?;
        Ok(())
    }
}

/// A WHERE clause built condition by condition, with its parameters.
struct Filter {
    sql: String,
    binds: Vec<crate::sql::Val>,
}

impl Filter {
    /// Adds a parameter; returns its number.
    fn param(&mut self, value: crate::sql::Val) -> usize {
        self.binds.push(value);
        self.binds.len()
    }

    /// `AND {cond} $n` with `value` as parameter n.
    fn and(&mut self, cond: &str, value: crate::sql::Val) {
        let n = self.param(value);
        self.sql.push_str(&format!(" AND {cond} ${n}"));
    }
}

/// Card numbers: the province code, the two digits of the year of
/// admission, and a six-digit sequence per province and year
/// (`51` `26` `000123` → `5126000123`). The counter row is bumped in the
/// admitting transaction, so two clerks admitting at once get consecutive
/// numbers, never the same one.
async fn next_card_number(conn: &mut AnyConnection, province: &str, year: i32) -> Result<String> {
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

impl From<MemberError> for StoreError {
    fn from(e: MemberError) -> StoreError {
        StoreError::Member(e)
    }
}

/// One member of a bulk load: the person, and the day they were admitted
/// with the decision, if they already are a member.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub member: NewMember,
    pub admitted: Option<(Day, String)>,
    /// The profile the row carries (an import's optional columns), written
    /// with the member in the same transaction.
    pub profile: Option<hnd_domain::profile::Profile>,
}

/// What a bulk load did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LoadOutcome {
    pub created: usize,
    /// Rows already in the register (same CCCD, name and birth year): left as they are.
    pub unchanged: usize,
}

impl Store {
    /// Loads many members in one transaction: all or none. Units are
    /// read as of `date`; a CCCD already held by the same person (same
    /// name and birth year) is skipped, so loading a list twice adds
    /// nothing; a CCCD held by someone else refuses the whole load.
    pub async fn load_members(&self, rows: &[MemberRow], date: Day, change: &Change) -> Result<LoadOutcome> {
        let mut conn = self.write.acquire().await?;
        if self.backend == crate::Backend::Postgres {
            return self.load_members_on(&mut conn, rows, date, change).await;
        }
        // SQLite: the load resolves every unit it writes and numbers its own
        // members, so the engine's per-row foreign-key lookups (five per
        // member) only repeat those checks. They are back on after the
        // load, or the connection is closed. (A 64 MiB page cache for the
        // load gained less than the noise and cost 35 MB of memory.)
        sqlx::raw_sql(BULK_PRAGMAS).execute(&mut *conn).await?;
        let outcome = self.load_members_on(&mut conn, rows, date, change).await;
        if let Err(e) = sqlx::raw_sql(crate::backend::SQLITE_WRITER_PRAGMAS)
            .execute(&mut *conn)
            .await
        {
            conn.close_on_drop();
            return Err(e.into());
        }
        outcome
    }

    async fn load_members_on(
        &self,
        conn: &mut sqlx::AnyConnection,
        rows: &[MemberRow],
        date: Day,
        change: &Change,
    ) -> Result<LoadOutcome> {
        let mut tx = sqlx::Connection::begin(conn).await?;
        let rules = check_member_event(&mut tx, date).await?;
        let now = today();
        for row in rows {
            let admitted = row.admitted.as_ref().map(|a| a.0);
            rules
                .check_loaded(row.member.birth, date, admitted, now)
                .map_err(MemberError::Date)?;
        }
        self.backend.lock_for_bulk_ids(&mut tx, "members").await?;
        // This load keeps the maintained counts itself, a row per unit and
        // day, rather than a trigger per member.
        bulk_marker(&mut tx, true).await?;
        let mut counts = BulkCounts::default();
        let units = member_units(&mut tx, rows.iter().map(|r| r.member.unit.as_str()), date).await?;
        let cccds = rows
            .iter()
            .filter_map(|r| r.member.cccd.as_ref())
            .map(|c| c.to_string().into())
            .collect();
        let held = cccd_holders(&mut tx, cccds).await?;
        // Without a CCCD, the same name, birth year and unit is the same person.
        // Only the units of rows without a CCCD are looked at, through the
        // partial index on members without one.
        let unit_ids: std::collections::BTreeSet<i64> = rows
            .iter()
            .filter(|r| r.member.cccd.is_none())
            .map(|r| units[r.member.unit.as_str()].0)
            .collect();
        let unit_ids: Vec<i64> = unit_ids.into_iter().collect();
        let mut known_without_cccd = std::collections::HashSet::new();
        if !unit_ids.is_empty() {
            let found = crate::sql::fetch_in(
                &mut tx,
                "SELECT name_folded, birth_year, unit_id FROM members WHERE cccd IS NULL AND unit_id IN (",
                vec![],
                unit_ids.iter().map(|id| (*id).into()).collect(),
            )
            .await?;
            for r in found {
                known_without_cccd.insert((
                    r.try_get::<String, _>(0)?,
                    r.try_get::<i64, _>(1)?,
                    r.try_get::<i64, _>(2)?,
                ));
            }
        }
        let first_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM members")
            .fetch_one(&mut *tx)
            .await?;
        let now = chrono::Utc::now().to_rfc3339();
        let (mut members, mut events, mut spans, mut profiles) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut cards: std::collections::HashMap<(String, i32), Vec<usize>> = std::collections::HashMap::new();
        let mut unchanged = 0;
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            let m = &row.member;
            let name = m.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() || name.chars().count() > 100 {
                return Err(MemberError::BadName {
                    name: m.full_name.clone(),
                }
                .into());
            }
            if let Some(cccd) = &m.cccd {
                if let Some(holder) = held.get(cccd.as_str()) {
                    if holder.is(&name, m.birth.year()) {
                        unchanged += 1;
                        continue;
                    }
                    return Err(holder.conflict(cccd).into());
                }
                if !seen.insert(cccd.as_str()) {
                    unchanged += 1;
                    continue;
                }
            } else {
                let key = (fold(&name), m.birth.year() as i64, units[m.unit.as_str()].0);
                if !known_without_cccd.insert(key) {
                    unchanged += 1;
                    continue;
                }
            }
            let id = first_id + members.len() as i64;
            let (unit, province, alive_from) = units[m.unit.as_str()].clone();
            if let Some(profile) = &row.profile {
                profiles.push(crate::profiles::profile_values(
                    id,
                    &province,
                    profile,
                    &change.author,
                    &now,
                ));
            }
            let (status, joined, decision) = match &row.admitted {
                Some((day, decision)) => ("active", Some(day.iso()), Some(decision.clone())),
                None => ("applicant", None, None),
            };
            let birth_date = match m.birth {
                BirthDate::Day(d) => Some(d.iso()),
                BirthDate::Year(_) => None,
            };
            let event = |kind: &str, day: String, decision: Option<String>| -> Vec<crate::sql::Val> {
                vec![
                    id.into(),
                    province.clone().into(),
                    kind.into(),
                    day.into(),
                    Some(unit).into(),
                    decision.into(),
                    change.reason.clone().into(),
                    change.author.clone().into(),
                    now.clone().into(),
                ]
            };
            // A member admitted before the load has their admission on record;
            // the application before it is not, and is not invented.
            if row.admitted.is_none() {
                events.push(event("apply", date.iso(), None));
            }
            if let Some((day, decision)) = &row.admitted {
                events.push(event("admit", day.iso(), Some(decision.clone())));
                // Counted in the unit from its first day in the tree: an
                // admission recorded earlier is history, not a count there.
                let from = day.iso().max(alive_from.clone());
                let minority = m.ethnicity.is_some_and(|e| e.code() != "01");
                counts.add(unit, &province, &from, &day.iso(), m.sex == Sex::Female, minority);
                spans.push(vec![id.into(), unit.into(), province.clone().into(), from.into()]);
                cards
                    .entry((province.clone(), day.year()))
                    .or_default()
                    .push(members.len());
            }
            members.push(vec![
                id.into(),
                province.clone().into(),
                name.clone().into(),
                fold(&name).into(),
                birth_date.into(),
                (m.birth.year() as i64).into(),
                m.sex.as_str().into(),
                m.ethnicity.map(|e| e.code().to_string()).into(),
                m.religion.clone().into(),
                m.cccd.as_ref().map(|c| c.to_string()).into(),
                m.phone.as_ref().map(|p| p.to_string()).into(),
                m.village.clone().into(),
                unit.into(),
                status.into(),
                crate::sql::Val::Text(None),
                joined.into(),
                decision.into(),
                now.clone().into(),
            ]);
        }
        // Card numbers: one block per province and year, taken from the counter.
        for ((province, year), positions) in &cards {
            sqlx::query(
                "INSERT INTO card_counters (province_code, year, last) VALUES ($1, $2, 0)
                 ON CONFLICT (province_code, year) DO NOTHING",
            )
            .bind(province.clone())
            .bind(*year as i64)
            .execute(&mut *tx)
            .await?;
            let last: i64 = sqlx::query_scalar(
                "UPDATE card_counters SET last = last + $1 WHERE province_code = $2 AND year = $3 RETURNING last",
            )
            .bind(positions.len() as i64)
            .bind(province.clone())
            .bind(*year as i64)
            .fetch_one(&mut *tx)
            .await?;
            let first = last - positions.len() as i64 + 1;
            for (k, pos) in positions.iter().enumerate() {
                members[*pos][14] = format!("{province}{:02}{:06}", year % 100, first + k as i64).into();
            }
        }
        let created = members.len();
        crate::sql::insert_many(
            &mut tx,
            "INSERT INTO members (id, province_code, full_name, name_folded, birth_date, birth_year, sex, ethnicity,
                                  religion, cccd, phone, village, unit_id, status, card_number, joined_on, admission_decision, created_at)",
            18,
            members,
        )
        .await?;
        crate::sql::insert_many(
            &mut tx,
            "INSERT INTO member_events (member_id, province_code, kind, effective_date, unit_id, decision, reason, author, recorded_at)",
            9,
            events,
        )
        .await?;
        crate::sql::insert_many(
            &mut tx,
            "INSERT INTO memberships (member_id, unit_id, province_code, valid_from)",
            4,
            spans,
        )
        .await?;
        crate::profiles::insert_profiles(&mut tx, profiles).await?;
        if self.keeps_counts() {
            counts.write(&mut tx).await?;
        }
        if created > 0 {
            flag_likely_duplicates(&mut tx, first_id, first_id + created as i64 - 1).await?;
        }
        bulk_marker(&mut tx, false).await?;
        self.backend.resync_ids(&mut tx, "members").await?;
        crate::accounts::commit(tx, change).await?;
        Ok(LoadOutcome { created, unchanged })
    }
}

/// Flags the members with ids `first..=last` (just loaded) against those
/// loaded before them, by the rules of [`Store::add_member`]: the same
/// folded name in the province and the same birth date (or birth year
/// where either gives only a year), else the same name and phone. Pairs
/// are kept for a person to confirm or dismiss.
async fn flag_likely_duplicates(conn: &mut AnyConnection, first: i64, last: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO member_duplicates (member_id, other_id, province_code, rule)
         SELECT n.id, o.id, n.province_code, 'name_birth' FROM members n
         JOIN members o ON o.province_code = n.province_code AND o.name_folded = n.name_folded
             AND o.birth_year = n.birth_year AND o.id < n.id
         WHERE n.id >= $1 AND n.id <= $2
           AND (n.birth_date IS NULL OR o.birth_date IS NULL OR n.birth_date = o.birth_date)
         ON CONFLICT (member_id, other_id) DO NOTHING",
    )
    .bind(first)
    .bind(last)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO member_duplicates (member_id, other_id, province_code, rule)
         SELECT n.id, o.id, n.province_code, 'name_phone' FROM members n
         JOIN members o ON o.phone = n.phone AND o.province_code = n.province_code
             AND o.name_folded = n.name_folded AND o.id < n.id
         WHERE n.id >= $1 AND n.id <= $2 AND n.phone IS NOT NULL
         ON CONFLICT (member_id, other_id) DO NOTHING",
    )
    .bind(first)
    .bind(last)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
