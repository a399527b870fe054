//! Corrections of what identifies a member (name, birth, CCCD, phone,
//! village), each kept with the value it replaced, and the withdrawal of
//! an application.

use crate::members::{Event, cccd_holders, check_forward, member_row, record};
use crate::{Change, Result, Store};
use hnd_domain::{BirthDate, Cccd, Day, MemberError, Phone, fold};
use serde::Serialize;
use sqlx::Row;

/// New values for some of a member's identifying fields; `None` leaves a
/// field as it is, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Correction {
    pub full_name: Option<String>,
    pub birth: Option<BirthDate>,
    pub cccd: Option<Option<Cccd>>,
    pub phone: Option<Option<Phone>>,
    pub village: Option<Option<String>>,
}

/// One field corrected: the value it had and the value it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Corrected {
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub author: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

fn birth_text(date: Option<String>, year: i64) -> String {
    match date.as_deref().map(Day::from_iso) {
        Some(Ok(day)) => day.to_string(),
        _ => year.to_string(),
    }
}

impl Store {
    /// Corrects a member's identifying fields as of `date`; each field
    /// that changes keeps its old value beside the new one. Returns what
    /// changed (nothing when every value is already the member's).
    pub async fn correct_member(
        &self,
        id: i64,
        fix: &Correction,
        date: Day,
        change: &Change,
    ) -> Result<Vec<Corrected>> {
        let mut tx = self.write.begin().await?;
        let (_, unit, _, province) = member_row(&mut tx, id).await?;
        let row =
            sqlx::query("SELECT full_name, birth_date, birth_year, cccd, phone, village FROM members WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let (name, birth_date, birth_year, cccd, phone, village): (
            String,
            Option<String>,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = (
            row.try_get(0)?,
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
            row.try_get(5)?,
        );
        let mut changed: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
        if let Some(new) = &fix.full_name {
            let new = new.split_whitespace().collect::<Vec<_>>().join(" ");
            if new.is_empty() || new.chars().count() > 100 {
                return Err(MemberError::BadName { name: new }.into());
            }
            if new != name {
                sqlx::query("UPDATE members SET full_name = $1, name_folded = $2 WHERE id = $3")
                    .bind(new.clone())
                    .bind(fold(&new))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::members::rewrite_words(&mut tx, id).await?;
                changed.push(("full_name", Some(name), Some(new)));
            }
        }
        if let Some(birth) = fix.birth {
            let (new_date, new_year) = match birth {
                BirthDate::Day(d) => (Some(d.iso()), d.year() as i64),
                BirthDate::Year(y) => (None, y as i64),
            };
            if (new_date.as_deref(), new_year) != (birth_date.as_deref(), birth_year) {
                sqlx::query("UPDATE members SET birth_date = $1, birth_year = $2 WHERE id = $3")
                    .bind(new_date.clone())
                    .bind(new_year)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                // The name's words carry the birth year the list is ordered by.
                sqlx::query("UPDATE member_words SET birth_year = $1 WHERE member_id = $2")
                    .bind(new_year)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let old = birth_text(birth_date, birth_year);
                changed.push(("birth", Some(old), Some(birth_text(new_date, new_year))));
            }
        }
        if let Some(new) = &fix.cccd {
            let new = new.as_ref().map(|c| c.to_string());
            if new != cccd {
                if let Some(number) = &new
                    && let Some(holder) = cccd_holders(&mut tx, vec![number.clone().into()]).await?.get(number)
                    && holder.id != id
                {
                    let parsed = Cccd::parse(number).map_err(|_| MemberError::UnknownMember { id })?;
                    return Err(holder.conflict(&parsed).into());
                }
                let sql = "UPDATE members SET cccd = $1 WHERE id = $2";
                set_text(&mut tx, sql, id, new.clone()).await?;
                changed.push(("cccd", cccd, new));
            }
        }
        if let Some(new) = &fix.phone {
            let new = new.as_ref().map(|p| p.to_string());
            if new != phone {
                let sql = "UPDATE members SET phone = $1 WHERE id = $2";
                set_text(&mut tx, sql, id, new.clone()).await?;
                changed.push(("phone", phone, new));
            }
        }
        if let Some(new) = &fix.village {
            let new = new.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
            if new != village {
                let sql = "UPDATE members SET village = $1 WHERE id = $2";
                set_text(&mut tx, sql, id, new.clone()).await?;
                changed.push(("village", village, new));
            }
        }
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        let now = chrono::Utc::now().to_rfc3339();
        for (field, old, new) in &changed {
            sqlx::query(
                "INSERT INTO member_corrections (member_id, province_code, field, old_value, new_value, author, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(province.clone())
            .bind(field.to_string())
            .bind(old.clone())
            .bind(new.clone())
            .bind(change.author.clone())
            .bind(now.clone())
            .execute(&mut *tx)
            .await?;
        }
        let fields = changed.iter().map(|(f, _, _)| *f).collect::<Vec<_>>().join(", ");
        let event = Event::new("correct", date, unit).decided(fields.as_str());
        record(&mut tx, id, &province, event, change).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(changed
            .into_iter()
            .map(|(field, old_value, new_value)| Corrected {
                field: field.to_string(),
                old_value,
                new_value,
                author: change.author.clone(),
                recorded_at: now.clone(),
            })
            .collect())
    }

    /// A member's corrections, newest first.
    pub async fn member_corrections(&self, id: i64) -> Result<Vec<Corrected>> {
        let rows = sqlx::query(
            "SELECT field, old_value, new_value, author, recorded_at FROM member_corrections
             WHERE member_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Corrected {
                    field: r.try_get(0)?,
                    old_value: r.try_get(1)?,
                    new_value: r.try_get(2)?,
                    author: r.try_get(3)?,
                    recorded_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// An applicant withdraws (rút đơn) on `date`: the application ends
    /// without an admission; the person never counted as a member.
    pub async fn withdraw_application(&self, id: i64, date: Day, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let (status, unit, _, province) = member_row(&mut tx, id).await?;
        if status != "applicant" {
            return Err(MemberError::WrongStatus { id, status }.into());
        }
        check_forward(&mut tx, id, date).await?;
        sqlx::query("UPDATE members SET status = 'removed' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let event = Event::new("withdraw", date, unit);
        record(&mut tx, id, &province, event, change).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }
}

/// Sets one text column of member `id` by `sql`, which binds the value
/// as `$1` and the member as `$2`.
async fn set_text(conn: &mut sqlx::AnyConnection, sql: &'static str, id: i64, value: Option<String>) -> Result<()> {
    sqlx::query(sql).bind(value).bind(id).execute(conn).await?;
    Ok(())
}
