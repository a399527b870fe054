//! Reading the register: one member and their events, lists and searches
//! over a subtree, incoming transfers, open likely duplicates.

use super::find::{self, Conditions, Words};
use super::history::cccd_holders;
use super::types::{CccdHolder, Member, MemberEvent, MemberQuery, member_from_row, member_select};
use crate::sql::path_end;
use crate::{Result, Store};
use hnd_domain::{Cccd, Day, Level, MemberError, Phone, fold};
use sqlx::Row;
use std::collections::HashMap;

/// Reading the register.
impl Store {
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

    /// A page of the members matching `q`, and whether more follow. A
    /// text of digits (and the separators of a phone number) is an exact
    /// key: a CCCD, a phone in any of its forms, a card number; any other
    /// text is searched in the names by every word (`find.rs`, ranked).
    /// Without a text, the members of the subtree by folded name.
    pub async fn find_members(&self, q: &MemberQuery) -> Result<(Vec<Member>, bool)> {
        self.find(q, 500).await
    }

    async fn find(&self, q: &MemberQuery, most: i64) -> Result<(Vec<Member>, bool)> {
        let today = Day::today();
        let unit = self.unit(&q.scope, today).await?.unit;
        let mut w = Conditions {
            sql: String::new(),
            binds: vec![
                today.iso().into(),
                unit.path.clone().into(),
                path_end(&unit.path).into(),
            ],
        };
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
        let (limit, offset) = (q.limit.clamp(1, most), q.offset.max(0));
        // Across the country: province by province, each read from its own
        // indexes (a seek each), never the whole country sorted.
        let provinces = match &unit.province_code {
            Some(p) => vec![p.clone()],
            None => {
                sqlx::query_scalar(
                    "SELECT code FROM unit_versions WHERE level = 'province' AND valid_from <= $1 AND valid_to > $1
                 ORDER BY code",
                )
                .bind(today.iso())
                .fetch_all(&self.read)
                .await?
            }
        };
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let key = text.filter(|t| {
            t.chars().any(|c| c.is_ascii_digit())
                && t.chars()
                    .all(|c| c.is_ascii_digit() || c.is_whitespace() || "+.-()".contains(c))
        });
        if let Some(words) = text.filter(|_| key.is_none()).and_then(|t| Words::of(&fold(t))) {
            let want = (offset + limit + 1) as usize;
            let rows = find::by_words(self, &provinces, &words, &w, want).await?;
            let more = rows.len() as i64 > offset + limit;
            let members = rows
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(member_from_row)
                .collect::<Result<_>>()?;
            return Ok((members, more));
        }
        if let Some(text) = key {
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
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
        }
        // The province's name index gives the list in its order, read
        // until the page is full: for a province or a commune listed whole
        // (on 10 M members a province's list sorted after reading it took
        // 8.5 s; a branch or a group is small enough to read through its
        // units and sort). Across the country, the same index read
        // province by province, so the page comes in the index's order
        // (province, name) and is never sorted whole.
        let whole = matches!(unit.level, Level::Province | Level::District | Level::Base);
        let mut order = "m.name_folded, m.birth_year, m.id";
        // An exact key finds a member or two through its own index, sorted.
        match &unit.province_code {
            _ if key.is_some() => {}
            Some(p) if whole => w.and("m.province_code =", p.clone().into()),
            None if !provinces.is_empty() => {
                let list: Vec<String> = provinces
                    .iter()
                    .map(|p| format!("${}", w.param(p.clone().into())))
                    .collect();
                w.sql
                    .push_str(&format!(" AND m.province_code IN ({})", list.join(", ")));
                order = "m.province_code, m.name_folded, m.birth_year, m.id";
            }
            _ => {}
        }
        let sql = format!(
            // The order of the province's name index (name, birth year, id),
            // so a page is read in order and not sorted.
            "{} JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
             WHERE v.path >= $2 AND v.path < $3{} ORDER BY {order} LIMIT {} OFFSET {offset}",
            member_select!(""),
            w.sql,
            limit + 1,
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
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

    /// Everyone ever entered in the register, whatever their status.
    pub async fn members_registered(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM members")
            .fetch_one(&self.read)
            .await?)
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

    /// Members matching `text` within `scope`'s subtree (today's tree;
    /// the whole register without one), as [`Store::find_members`] finds
    /// them: an exact CCCD, phone or card number, or every typed word
    /// beginning a word of the name, accents and case ignored ("lam",
    /// "nguyen thi h" finds "Nguyễn Thị Hoà"), the name typed exactly first.
    pub async fn search_members(&self, text: &str, scope: Option<&str>, limit: i64) -> Result<Vec<Member>> {
        let scope = match scope {
            Some(code) => code.to_string(),
            None => match self.root(Day::today()).await? {
                Some(root) => root.code,
                None => return Ok(Vec::new()),
            },
        };
        let q = MemberQuery {
            scope,
            text: Some(text.to_string()),
            limit,
            ..Default::default()
        };
        Ok(self.find(&q, 1000).await?.0)
    }
}
