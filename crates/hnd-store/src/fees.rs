//! Membership fees: the rate a province sets for a year, the payments a
//! branch records, and the collection of a unit's subtree read per unit
//! below it. See `migrations/*/0022_fees.sql` for how rows are kept.

use crate::org::Change;
use crate::sql::Stamped;
use crate::{Result, Store, StoreError, Unit};
use hnd_domain::{Day, FeeError, FeeRate};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A payment as a member's record shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FeePayment {
    pub year: i32,
    pub amount: i64,
    /// ISO day.
    pub paid_on: String,
    /// The unit that collected it (the member may have moved since).
    pub unit_code: String,
    pub unit_name: String,
}

/// What a unit's subtree collected in a year: payments, amount and the
/// shares going to each level.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeeRow {
    pub code: String,
    pub name: String,
    /// Members counting in the unit today.
    pub members: i64,
    pub paid: i64,
    pub collected: i64,
    /// Kept by the branches, sent to the commune, the province, the Centre.
    pub shares: [i64; 4],
}

/// A member of a branch or group with whether they paid the year's fee.
#[derive(Debug, Clone, Serialize)]
pub struct FeeMember {
    pub id: i64,
    pub full_name: String,
    pub birth_year: i32,
    pub paid: bool,
}

/// A unit's fees for a year: the province's rate, one row per unit below
/// (today's tree), their total; for a branch or group, its members.
#[derive(Debug, Clone, Serialize)]
pub struct FeeReport {
    pub year: i32,
    pub rate: Option<FeeRate>,
    pub rows: Vec<FeeRow>,
    pub total: FeeRow,
    pub members: Vec<FeeMember>,
}

/// The most members a collection list shows: a branch has a few hundred.
const LIST_LIMIT: i64 = 2_000;

/// `q` with the rate's amount and its four shares bound next, in the
/// order the tables keep them (`amount, branch_share, base_share,
/// province_share, central_share`).
fn bind_rate<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    rate: &FeeRate,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    rate.parts().into_iter().fold(q, |q, part| q.bind(part))
}

fn rate_from_row(r: &AnyRow) -> Result<FeeRate> {
    let part = |i: usize| -> Result<i64> { Ok(r.try_get::<i64, _>(i)?) };
    Ok(FeeRate::new(part(0)?, part(1)?, part(2)?, part(3)?, part(4)?)?)
}

impl Store {
    /// The fee `province` set for `year`, if it has.
    pub async fn fee_rate(&self, province: &str, year: i32) -> Result<Option<FeeRate>> {
        let row = sqlx::query(
            "SELECT amount, branch_share, base_share, province_share, central_share FROM fee_rates
             WHERE province_code = $1 AND year = $2",
        )
        .bind(province.to_string())
        .bind(i64::from(year))
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(rate_from_row).transpose()
    }

    /// Sets the fee of `province` for `year`, replacing an earlier one.
    pub async fn set_fee_rate(&self, province: &str, year: i32, rate: &FeeRate, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let insert = sqlx::query(
            "INSERT INTO fee_rates (province_code, year, amount, branch_share, base_share, province_share,
                                    central_share, set_by, set_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (province_code, year) DO UPDATE SET amount = excluded.amount,
                 branch_share = excluded.branch_share, base_share = excluded.base_share,
                 province_share = excluded.province_share, central_share = excluded.central_share,
                 set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(province.to_string())
        .bind(i64::from(year));
        bind_rate(insert, rate).stamped(change).execute(&mut *tx).await?;
        crate::accounts::commit(tx, change).await
    }

    /// Records that `members` paid the fee for `year` on `paid_on`, each to
    /// the unit they are in, at their province's rate: all or none. Returns
    /// the total collected.
    pub async fn record_fees(&self, members: &[i64], year: i32, paid_on: Day, change: &Change) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let mut total = 0;
        for &member in members {
            let row = sqlx::query("SELECT status, unit_id, province_code, full_name FROM members WHERE id = $1")
                .bind(member)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(hnd_domain::MemberError::UnknownMember { id: member })?;
            let (status, unit, province, name): (String, i64, String, String) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
            if status != "active" && status != "on_leave" {
                return Err(FeeError::NotPaying { member, name, status }.into());
            }
            let paid: Option<i64> =
                sqlx::query_scalar("SELECT id FROM fee_payments WHERE member_id = $1 AND year = $2")
                    .bind(member)
                    .bind(i64::from(year))
                    .fetch_optional(&mut *tx)
                    .await?;
            if paid.is_some() {
                return Err(FeeError::PaidAlready { member, name, year }.into());
            }
            let rate = sqlx::query(
                "SELECT amount, branch_share, base_share, province_share, central_share FROM fee_rates
                 WHERE province_code = $1 AND year = $2",
            )
            .bind(province.clone())
            .bind(i64::from(year))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(rate) = rate.as_ref().map(rate_from_row).transpose()? else {
                return Err(FeeError::NoRate { province, year }.into());
            };
            let insert = sqlx::query(
                "INSERT INTO fee_payments (province_code, member_id, unit_id, year, amount, branch_share, base_share,
                                           province_share, central_share, paid_on, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(province)
            .bind(member)
            .bind(unit)
            .bind(i64::from(year));
            let inserted = bind_rate(insert, &rate)
                .bind(paid_on.iso())
                .stamped(change)
                .execute(&mut *tx)
                .await;
            match inserted {
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(FeeError::PaidAlready { member, name, year }.into());
                }
                other => other?,
            };
            total += rate.parts()[0];
        }
        crate::accounts::commit(tx, change).await?;
        Ok(total)
    }

    /// Member `id`'s payments, the latest year first.
    pub async fn member_fees(&self, id: i64) -> Result<Vec<FeePayment>> {
        let rows = sqlx::query(
            "SELECT f.year, f.amount, f.paid_on, v.code, v.name FROM fee_payments f
             JOIN unit_versions v ON v.unit_id = f.unit_id AND v.valid_to = '9999-12-31'
             WHERE f.member_id = $1 ORDER BY f.year DESC",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FeePayment {
                    year: r.try_get::<i64, _>(0)? as i32,
                    amount: r.try_get(1)?,
                    paid_on: r.try_get(2)?,
                    unit_code: r.try_get(3)?,
                    unit_name: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// The fees of `unit`'s subtree for `year`, read on today's tree.
    pub async fn fee_report(&self, unit: &Unit, year: i32) -> Result<FeeReport> {
        let today = Day::today();
        let rate = match &unit.province_code {
            Some(province) => self.fee_rate(province, year).await?,
            None => None,
        };
        let (children, members) = tokio::try_join!(self.children(unit.id, today), self.child_members(unit, today))?;
        let collected = self.collected_by_child(unit.id, year, today).await?;
        let rows: Vec<FeeRow> = children
            .into_iter()
            .map(|c| {
                let mut row = collected.iter().find(|r| r.code == c.code).cloned().unwrap_or_default();
                row.members = members.get(&c.code).copied().unwrap_or(0);
                (row.code, row.name) = (c.code, c.name);
                row
            })
            .collect();
        // The whole subtree, the unit's own members included (a branch may
        // keep members beside its groups).
        let mut total = self.collected_in(unit, year, today).await?;
        total.members = self.count_members(&unit.code, today).await?;
        (total.code, total.name) = (unit.code.clone(), unit.name.clone());
        let members = match unit.level {
            hnd_domain::Level::Branch | hnd_domain::Level::Group => self.fee_members(unit, year, today).await?,
            _ => Vec::new(),
        };
        Ok(FeeReport {
            year,
            rate,
            rows,
            total,
            members,
        })
    }

    /// Payments of `year` in the subtree of each unit below `parent`.
    async fn collected_by_child(&self, parent: i64, year: i32, today: Day) -> Result<Vec<FeeRow>> {
        let rows = sqlx::query(
            "SELECT k.code, COUNT(*), CAST(SUM(f.amount) AS BIGINT), CAST(SUM(f.branch_share) AS BIGINT),
                    CAST(SUM(f.base_share) AS BIGINT), CAST(SUM(f.province_share) AS BIGINT),
                    CAST(SUM(f.central_share) AS BIGINT)
             FROM unit_versions k
             JOIN unit_versions v ON v.valid_from <= $1 AND v.valid_to > $1
                 AND v.path >= k.path AND v.path < RTRIM(k.path, '/') || '0'
             JOIN fee_payments f ON f.unit_id = v.unit_id AND f.year = $3
             WHERE k.parent_id = $2 AND k.valid_from <= $1 AND k.valid_to > $1
             GROUP BY k.code",
        )
        .bind(today.iso())
        .bind(parent)
        .bind(i64::from(year))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(collected_row).collect()
    }

    /// Payments of `year` in `unit`'s whole subtree.
    async fn collected_in(&self, unit: &Unit, year: i32, today: Day) -> Result<FeeRow> {
        let row = sqlx::query(
            "SELECT '', COUNT(*), CAST(COALESCE(SUM(f.amount), 0) AS BIGINT),
                    CAST(COALESCE(SUM(f.branch_share), 0) AS BIGINT), CAST(COALESCE(SUM(f.base_share), 0) AS BIGINT),
                    CAST(COALESCE(SUM(f.province_share), 0) AS BIGINT),
                    CAST(COALESCE(SUM(f.central_share), 0) AS BIGINT)
             FROM unit_versions v JOIN fee_payments f ON f.unit_id = v.unit_id AND f.year = $3
             WHERE v.valid_from <= $1 AND v.valid_to > $1 AND v.path >= $2 AND v.path < $4",
        )
        .bind(today.iso())
        .bind(unit.path.clone())
        .bind(i64::from(year))
        .bind(crate::sql::path_end(&unit.path))
        .fetch_one(&self.read)
        .await?;
        collected_row(&row)
    }

    /// The members counting in branch or group `unit`'s subtree, with
    /// whether each paid for `year`.
    async fn fee_members(&self, unit: &Unit, year: i32, today: Day) -> Result<Vec<FeeMember>> {
        let rows = sqlx::query(
            "SELECT m.id, m.full_name, m.birth_year,
                    CASE WHEN EXISTS (SELECT 1 FROM fee_payments f WHERE f.member_id = m.id AND f.year = $3)
                         THEN 1 ELSE 0 END
             FROM unit_versions v JOIN members m ON m.unit_id = v.unit_id AND m.status IN ('active', 'on_leave')
             WHERE v.valid_from <= $1 AND v.valid_to > $1 AND v.path >= $2 AND v.path < $4
             ORDER BY m.name_folded, m.id LIMIT $5",
        )
        .bind(today.iso())
        .bind(unit.path.clone())
        .bind(i64::from(year))
        .bind(crate::sql::path_end(&unit.path))
        .bind(LIST_LIMIT)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FeeMember {
                    id: r.try_get(0)?,
                    full_name: r.try_get(1)?,
                    birth_year: r.try_get::<i64, _>(2)? as i32,
                    paid: r.try_get::<i64, _>(3)? == 1,
                })
            })
            .collect()
    }
}

fn collected_row(r: &AnyRow) -> Result<FeeRow> {
    let int = |i: usize| -> std::result::Result<i64, StoreError> { Ok(r.try_get::<i64, _>(i)?) };
    Ok(FeeRow {
        code: r.try_get(0)?,
        name: String::new(),
        members: 0,
        paid: int(1)?,
        collected: int(2)?,
        shares: [int(3)?, int(4)?, int(5)?, int(6)?],
    })
}
