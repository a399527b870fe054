//! Loading many members in one transaction (the generator, imports):
//! numbered by the load, skipping the same person twice, its counts kept
//! by the load itself, likely duplicates flagged at the end.

use super::history::{cccd_holders, member_units};
use super::maintained::{BulkCounts, bulk_marker};
use super::types::NewMember;
use crate::org::Change;
use crate::settings::{check_member_event, today};
use crate::{Result, Store};
use hnd_domain::{BirthDate, Day, MemberError, Sex, fold};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

/// Set on SQLite's writer for a bulk load, undone by
/// [`crate::backend::SQLITE_WRITER_PRAGMAS`].
const BULK_PRAGMAS: &str = "PRAGMA foreign_keys = OFF;";
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
        let mut words = Vec::new();
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
            let folded = fold(&name);
            words.extend(super::words::word_rows(id, &province, &folded, m.birth.year() as i64));
            members.push(vec![
                id.into(),
                province.clone().into(),
                name.clone().into(),
                folded.into(),
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
        crate::sql::insert_many(&mut tx, super::words::INSERT_WORDS, 5, words).await?;
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
