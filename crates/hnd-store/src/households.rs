//! Households (hộ): the members who live together, who heads them, and
//! the household's category by year (hộ nghèo, cận nghèo, chính sách).

use crate::{Change, Result, Store};
use hnd_domain::{HouseholdCategory, HouseholdRole, MemberError};
use serde::Serialize;
use sqlx::Row;

/// A household with its members and its categories by year.
#[derive(Debug, Clone, Serialize)]
pub struct Household {
    pub id: i64,
    pub province_code: String,
    pub address: Option<String>,
    /// (member id, full name, role), the head first.
    pub members: Vec<(i64, String, String)>,
    /// (year, category), oldest first.
    pub categories: Vec<(i32, String)>,
}

impl Store {
    /// A new household headed by `head`, in the head's province; the
    /// entry `change` carries is written in the same transaction, with
    /// the new household's number under `after`.
    pub async fn create_household(&self, head: i64, address: Option<String>, change: &Change) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let row = sqlx::query("SELECT province_code, household_id FROM members WHERE id = $1")
            .bind(head)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(MemberError::UnknownMember { id: head })?;
        let province: String = row.try_get(0)?;
        if let Some(household) = row.try_get::<Option<i64>, _>(1)? {
            return Err(MemberError::InHousehold { id: head, household }.into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO households (province_code, address, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(province)
        .bind(address)
        .bind(chrono::Utc::now().to_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        join(&mut tx, head, id, HouseholdRole::Head).await?;
        let change = change.clone().with_after("household", serde_json::json!(id));
        crate::accounts::commit(tx, &change).await?;
        Ok(id)
    }

    /// Puts `member` in `household` with `role` (one head per household).
    pub async fn join_household(
        &self,
        member: i64,
        household: i64,
        role: HouseholdRole,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        household_province(&mut tx, household).await?;
        let current: Option<Option<i64>> = sqlx::query_scalar("SELECT household_id FROM members WHERE id = $1")
            .bind(member)
            .fetch_optional(&mut *tx)
            .await?;
        match current.ok_or(MemberError::UnknownMember { id: member })? {
            Some(other) => {
                return Err(MemberError::InHousehold {
                    id: member,
                    household: other,
                }
                .into());
            }
            None => join(&mut tx, member, household, role).await?,
        }
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// The household's category in `year`; setting it again replaces it.
    pub async fn set_household_category(
        &self,
        household: i64,
        year: i32,
        category: HouseholdCategory,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let province = household_province(&mut tx, household).await?;
        sqlx::query(
            "INSERT INTO household_categories (household_id, province_code, year, category) VALUES ($1, $2, $3, $4)
             ON CONFLICT (household_id, year) DO UPDATE SET category = excluded.category",
        )
        .bind(household)
        .bind(province)
        .bind(year as i64)
        .bind(category.as_str())
        .execute(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    pub async fn household(&self, id: i64) -> Result<Household> {
        let row = sqlx::query("SELECT province_code, address FROM households WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(MemberError::UnknownHousehold { id })?;
        let members = sqlx::query_as(
            "SELECT id, full_name, household_role FROM members WHERE household_id = $1
             ORDER BY CASE household_role WHEN 'head' THEN 0 ELSE 1 END, id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        let categories =
            sqlx::query("SELECT year, category FROM household_categories WHERE household_id = $1 ORDER BY year")
                .bind(id)
                .fetch_all(&self.read)
                .await?
                .iter()
                .map(|r| Ok((r.try_get::<i64, _>(0)? as i32, r.try_get(1)?)))
                .collect::<Result<Vec<_>>>()?;
        Ok(Household {
            id,
            province_code: row.try_get(0)?,
            address: row.try_get(1)?,
            members,
            categories,
        })
    }
}

async fn join(conn: &mut sqlx::AnyConnection, member: i64, household: i64, role: HouseholdRole) -> Result<()> {
    if role == HouseholdRole::Head {
        let heads: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE household_id = $1 AND household_role = 'head'")
                .bind(household)
                .fetch_one(&mut *conn)
                .await?;
        if heads > 0 {
            return Err(MemberError::SecondHead { household }.into());
        }
    }
    sqlx::query("UPDATE members SET household_id = $1, household_role = $2 WHERE id = $3")
        .bind(household)
        .bind(role.as_str())
        .bind(member)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// The household `member` belongs to, if any.
    pub async fn household_of(&self, member: i64) -> Result<Option<i64>> {
        let found: Option<Option<i64>> = sqlx::query_scalar("SELECT household_id FROM members WHERE id = $1")
            .bind(member)
            .fetch_optional(&self.read)
            .await?;
        Ok(found.ok_or(MemberError::UnknownMember { id: member })?)
    }

    /// The member a household is filed under: its head, or failing one
    /// its first member.
    pub async fn household_head(&self, household: i64) -> Result<i64> {
        let head: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM members WHERE household_id = $1
             ORDER BY CASE household_role WHEN 'head' THEN 0 ELSE 1 END, id LIMIT 1",
        )
        .bind(household)
        .fetch_optional(&self.read)
        .await?;
        Ok(head.ok_or(MemberError::UnknownHousehold { id: household })?)
    }
}

/// The province a household is filed under; refused when there is no
/// such household.
async fn household_province(conn: &mut sqlx::AnyConnection, household: i64) -> Result<String> {
    let province: Option<String> = sqlx::query_scalar("SELECT province_code FROM households WHERE id = $1")
        .bind(household)
        .fetch_optional(conn)
        .await?;
    Ok(province.ok_or(MemberError::UnknownHousehold { id: household })?)
}
