//! How many members count in a unit, its children or each province on a
//! day, from the maintained counts, and the same counted from the intervals.

use crate::org::Unit;
use crate::sql::path_end;
use crate::{Result, Store};
use hnd_domain::Day;
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

/// Member counts.
impl Store {
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
}

/// Members counted on a day, and how many of them are women and how many
/// belong to an ethnic minority (a group other than Kinh).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MemberCounts {
    pub members: i64,
    pub women: i64,
    pub minority: i64,
}
