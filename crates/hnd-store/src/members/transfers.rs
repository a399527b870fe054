//! Transfers between branches: the sending unit sends (the member still
//! counts there), the receiving unit confirms, or the sender cancels.

use super::history::{
    Event, MEMBER_SIDE_TABLES, check_forward, check_forward_before, close_membership, member_row, member_unit,
    open_membership, record,
};
use crate::org::Change;
use crate::settings::check_member_event;
use crate::{Result, Store};
use hnd_domain::{Day, MemberError};

/// Transfers.
impl Store {
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
        let event = Event::new("transfer_out", date, target);
        record(&mut tx, id, &province, event, change).await?;
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
        let event = Event::new("transfer_in", date, target);
        record(&mut tx, id, &province, event, change).await?;
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
        let event = Event::new("transfer_cancel", date, unit);
        record(&mut tx, id, &province, event, change).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }
}
