//! The maintained counts that bulk work writes itself, a row per unit or
//! province and day, instead of a trigger per member: the bulk marker that
//! sets the triggers aside, and the counts of a bulk load or of members
//! moving with their unit to another province.

use crate::Result;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// Members, women and ethnic-minority members added on a day (see
/// migration 0010): one delta row's columns.
#[derive(Default, Clone, Copy)]
struct Kinds {
    members: i64,
    women: i64,
    minority: i64,
}

impl Kinds {
    pub(crate) fn add(&mut self, other: Kinds) {
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
pub(crate) struct BulkCounts {
    unit_members: HashMap<(i64, String), (String, Kinds)>,
    province_members: HashMap<(String, String), Kinds>,
    unit_admissions: HashMap<(i64, String), (String, i64)>,
    province_admissions: HashMap<(String, String), i64>,
}

impl BulkCounts {
    /// A member counted in `unit` from `from`, admitted on `admitted`.
    pub(crate) fn add(&mut self, unit: i64, province: &str, from: &str, admitted: &str, woman: bool, minority: bool) {
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

    pub(crate) async fn write(self, conn: &mut AnyConnection) -> Result<()> {
        use crate::sql::{Val, add_counts};
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
        const KEPT: [&str; 3] = ["n", "women", "minority"];
        const CHANGED: [&str; 3] = ["delta", "women", "minority"];
        let unit_columns = ["unit_id", "province_code", "n", "women", "minority"];
        add_counts(conn, "unit_member_totals", &unit_columns, "unit_id", &KEPT, unit_totals).await?;
        let province_totals = province_totals
            .into_iter()
            .map(|(province, k)| k.row(vec![province.into()]))
            .collect();
        let columns = ["province_code", "n", "women", "minority"];
        add_counts(
            conn,
            "province_member_totals",
            &columns,
            "province_code",
            &KEPT,
            province_totals,
        )
        .await?;
        let unit_members = self
            .unit_members
            .into_iter()
            .map(|((unit, day), (province, k))| k.row(vec![unit.into(), day.into(), province.into()]))
            .collect();
        let columns = ["unit_id", "day", "province_code", "delta", "women", "minority"];
        add_counts(
            conn,
            "unit_member_deltas",
            &columns,
            "unit_id, day",
            &CHANGED,
            unit_members,
        )
        .await?;
        let province_members = self
            .province_members
            .into_iter()
            .map(|((province, day), k)| k.row(vec![province.into(), day.into()]))
            .collect();
        let columns = ["province_code", "day", "delta", "women", "minority"];
        add_counts(
            conn,
            "province_member_deltas",
            &columns,
            "province_code, day",
            &CHANGED,
            province_members,
        )
        .await?;
        let admit = |mut rows: Vec<Vec<Val>>| -> Vec<Vec<Val>> {
            for r in &mut rows {
                r.push("admit".into());
            }
            rows
        };
        let columns = ["unit_id", "day", "province_code", "n", "kind"];
        let admissions = admit(rows(self.unit_admissions));
        add_counts(
            conn,
            "unit_event_counts",
            &columns,
            "unit_id, kind, day",
            &["n"],
            admissions,
        )
        .await?;
        let columns = ["province_code", "day", "n", "kind"];
        let admissions = admit(by_province(self.province_admissions));
        add_counts(
            conn,
            "province_event_counts",
            &columns,
            "province_code, kind, day",
            &["n"],
            admissions,
        )
        .await?;
        Ok(())
    }
}
