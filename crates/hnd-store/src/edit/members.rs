//! Members follow the units an edit ends or moves: into the unit a merge
//! made theirs, into the province their unit now belongs to.

use super::Edit;
use crate::Result;
use crate::members::{MEMBER_SIDE_TABLES, ProvinceMove, bulk_marker, write_province_moves};
use crate::sql::{Val, execute_in, execute_in_then, fetch_in_then};
use hnd_domain::{Level, OrgError};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

impl Edit {
    /// Members follow their unit: into the unit a merge made it part of,
    /// and into the province it now belongs to. A unit that ends any other
    /// way (dissolved, split) must have no members left.
    pub(super) async fn move_members(
        &self,
        conn: &mut AnyConnection,
        places: &HashMap<i64, (String, Option<String>)>,
        province_moves: HashMap<String, Vec<i64>>,
    ) -> Result<()> {
        let date = self.date.iso();
        let mut ended: Vec<&i64> = self.ended.iter().collect();
        ended.sort();
        for id in ended {
            let node = &self.nodes[id];
            if !matches!(node.level, Level::Branch | Level::Group) {
                continue;
            }
            let successor = self
                .lineage
                .iter()
                .find(|(from, _, share)| from == id && *share == "whole")
                .map(|l| l.1);
            let Some(target) = successor else {
                let count: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM members WHERE unit_id = $1 AND status IN ('applicant', 'active', 'in_transfer')",
                )
                .bind(*id)
                .fetch_one(&mut *conn)
                .await?;
                if count > 0 {
                    return Err(OrgError::HasMembers {
                        code: node.code.clone(),
                        count: count as usize,
                    }
                    .into());
                }
                continue;
            };
            let province = places.get(&target).and_then(|p| p.1.clone()).unwrap_or_default();
            let province = Some(province);
            sqlx::query(
                "INSERT INTO memberships (member_id, unit_id, province_code, valid_from)
                 SELECT member_id, $1, $2, $3 FROM memberships
                 WHERE unit_id = $4 AND valid_to = '9999-12-31' AND valid_from < $3",
            )
            .bind(target)
            .bind(province.clone())
            .bind(date.clone())
            .bind(*id)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "UPDATE memberships SET valid_to = $1 WHERE unit_id = $2 AND valid_to = '9999-12-31' AND valid_from < $1",
            )
            .bind(date.clone())
            .bind(*id)
            .execute(&mut *conn)
            .await?;
            // Admitted on the day of the merge: the interval starts in the target.
            sqlx::query(
                "UPDATE memberships SET unit_id = $1, province_code = $2 WHERE unit_id = $3 AND valid_to = '9999-12-31'",
            )
            .bind(target)
            .bind(province.clone())
            .bind(*id)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "UPDATE members SET unit_id = $1, province_code = $2
                 WHERE unit_id = $3 AND status IN ('applicant', 'active', 'in_transfer')",
            )
            .bind(target)
            .bind(province.clone())
            .bind(*id)
            .execute(&mut *conn)
            .await?;
            // Their rows beside the register follow them if the target is
            // in another province.
            for table in MEMBER_SIDE_TABLES {
                let sql = format!(
                    "UPDATE {table} SET province_code = $1
                     WHERE province_code <> $1 AND member_id IN (SELECT id FROM members WHERE unit_id = $2)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(province.clone())
                    .bind(target)
                    .execute(&mut *conn)
                    .await?;
            }
            sqlx::query("UPDATE members SET transfer_to = $1 WHERE transfer_to = $2")
                .bind(target)
                .bind(*id)
                .execute(&mut *conn)
                .await?;
        }
        for (province, units) in province_moves {
            // The members of these units, and the intervals they are in
            // now, carry the new province: it is where their rows are kept
            // (the key a distributed database shares them out by). So many
            // move at once (half the register in 2025) that their counts
            // are moved here with the triggers standing aside: one row per
            // province and day they leave. A unit's own figures do not
            // change, and a count of a day before the change still finds
            // them in the old province (the tree at that day says where a
            // unit was; the province deltas say the same).
            let ids: Vec<Val> = units.iter().map(|u| Val::from(*u)).collect();
            let leaving = fetch_in_then(
                conn,
                "SELECT ms.province_code, CASE WHEN ms.valid_from < $2 THEN $2 ELSE ms.valid_from END,
                        COUNT(*), CAST(SUM(k.w) AS BIGINT), CAST(SUM(k.m) AS BIGINT)
                 FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id
                 WHERE ms.valid_to = '9999-12-31' AND ms.province_code <> $1 AND ms.unit_id IN (",
                vec![province.clone().into(), date.clone().into()],
                ids,
                " GROUP BY 1, 2",
            )
            .await?;
            let mut moves = Vec::new();
            for row in leaving {
                moves.push(ProvinceMove {
                    from: row.try_get(0)?,
                    to: province.clone(),
                    day: row.try_get(1)?,
                    members: row.try_get(2)?,
                    women: row.try_get(3)?,
                    minority: row.try_get(4)?,
                });
            }
            execute_in(
                conn,
                "UPDATE members SET province_code = $1 WHERE province_code <> $1 AND unit_id IN (",
                vec![province.clone().into()],
                &units,
            )
            .await?;
            // Driven from the members of those units (an index), not from
            // the side tables (which would be read whole for every province).
            for table in MEMBER_SIDE_TABLES {
                let sql = format!(
                    "UPDATE {table} SET province_code = $1 WHERE member_id IN (SELECT id FROM members WHERE unit_id IN ("
                );
                execute_in_then(conn, &sql, vec![province.clone().into()], &units, ")").await?;
            }
            bulk_marker(conn, true).await?;
            execute_in(
                conn,
                "UPDATE memberships SET province_code = $1
                 WHERE valid_to = '9999-12-31' AND province_code <> $1 AND unit_id IN (",
                vec![province.into()],
                &units,
            )
            .await?;
            write_province_moves(conn, &moves).await?;
            bulk_marker(conn, false).await?;
        }
        Ok(())
    }
}
