//! A member's life in the register: applying, admission, leave and return,
//! removal and death, reinstatement, a new card, and the decision on a likely
//! duplicate. Transfers are in `transfers.rs`.

use super::history::{
    Event, cccd_holders, check_forward, close_membership, member_row, member_unit, next_card_number, open_membership,
    record, unit_alive,
};
use super::types::{Added, LikelyDuplicate, NewMember};
use crate::org::Change;
use crate::settings::{check_member_event, today};
use crate::sql::Stamped;
use crate::{Result, Store};
use hnd_domain::{BirthDate, Day, MemberError, fold};
use sqlx::Row;

/// The member register: the steps of a member's life.
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
        super::words::rewrite_words(&mut tx, id).await?;
        let event = Event::new("apply", date, unit);
        record(&mut tx, id, &province, event, change).await?;
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
            let event = Event::new("admit", date, unit).decided(decision);
            record(&mut tx, id, &province, event, change).await?;
            open_membership(&mut tx, id, unit, &province, date).await?;
            cards.push(card);
        }
        let change = change.clone().with_after("card_numbers", serde_json::json!(cards));
        crate::accounts::commit(tx, &change).await?;
        Ok(cards)
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
        let event = Event::new(kind, date, unit);
        record(&mut tx, id, &province, event, change).await?;
        close_membership(&mut tx, id, date).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
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
        .stamped(change)
        .bind(member)
        .bind(other)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(MemberError::NoOpenDuplicate { member, other }.into());
        }
        crate::accounts::commit(tx, change).await
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
        let event = Event::new("reinstate", date, unit).decided(decision);
        record(&mut tx, id, &province, event, change).await?;
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
        let event = Event::new("card_reissue", date, unit).decided(card.as_str());
        record(&mut tx, id, &province, event, &change).await?;
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
        let event = Event::new(kind, date, unit).decided(decision);
        record(&mut tx, id, &province, event, change).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }
}
