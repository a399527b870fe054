//! Member profiles (hồ sơ hội viên): the scalar fields in
//! `member_profiles`, one row per member written whole (upsert), and the
//! entries that repeat (positions held, titles and awards, yearly ratings)
//! and the photo, each in its own table. The `members` row stays as lean
//! as bulk loads and searches need it.

use crate::org::{Change, resolve_code_at};
use crate::sql::Stamped;
use crate::{Result, Store};
use hnd_domain::profile::{
    AwardLevel, FIELD_LIST, FIELDS, Field, NewRating, NewRole, NewTitle, Photo, Position, Profile, Rating,
    SHEET_FIELDS, Stored, TitleKind,
};
use hnd_domain::{Day, MemberError};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::sync::LazyLock;

/// A position held, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleEntry {
    pub id: i64,
    pub position: Position,
    /// Code of the unit where it is held, today.
    pub unit_code: Option<String>,
    pub from: Day,
    /// `None`: still held.
    pub to: Option<Day>,
}

/// A title or award, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleEntry {
    pub id: i64,
    pub year: i32,
    pub level: AwardLevel,
    pub kind: TitleKind,
    pub note: Option<String>,
}

/// A year's rating, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingEntry {
    pub year: i32,
    pub rating: Rating,
    pub proposed_to_party: bool,
}

/// Everything a member's profile holds but the photo's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberProfile {
    pub member_id: i64,
    /// The scalar fields (defaults when never written).
    pub profile: Profile,
    /// Positions, latest first.
    pub roles: Vec<RoleEntry>,
    /// Titles and awards, latest year first.
    pub titles: Vec<TitleEntry>,
    /// Ratings, latest year first.
    pub ratings: Vec<RatingEntry>,
    pub has_photo: bool,
    /// Who last wrote the scalar fields, and when (RFC 3339).
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
}

/// The scalar columns, named as the fields ([`FIELDS`] order).
pub(crate) static PROFILE_COLUMNS: LazyLock<String> = LazyLock::new(|| FIELDS.join(", "));

pub(crate) fn day(row: &AnyRow, i: usize) -> Result<Option<Day>> {
    let text: Option<String> = row.try_get(i)?;
    Ok(text.and_then(|t| Day::from_iso(&t).ok()))
}

pub(crate) fn flag(row: &AnyRow, i: usize) -> Result<Option<bool>> {
    let n: Option<i64> = row.try_get(i)?;
    Ok(n.map(|n| n != 0))
}

pub(crate) fn code<T>(row: &AnyRow, i: usize, parse: fn(&str) -> Option<T>) -> Result<Option<T>> {
    let text: Option<String> = row.try_get(i)?;
    Ok(text.as_deref().and_then(parse))
}

/// The column of `field` at `i` of `row`, as stored.
fn stored(row: &AnyRow, i: usize, field: &Field) -> Result<Stored> {
    Ok(if field.kind.is_int() {
        Stored::Int(row.try_get(i)?)
    } else {
        Stored::Text(row.try_get(i)?)
    })
}

/// The profile in columns 0.. of `row`, in [`PROFILE_COLUMNS`] order.
fn profile_from_row(row: &AnyRow) -> Result<Profile> {
    profile_at(row, 0)
}

/// The profile in columns `first`.. of `row`, in [`PROFILE_COLUMNS`] order.
pub(crate) fn profile_at(row: &AnyRow, first: usize) -> Result<Profile> {
    let values = FIELD_LIST
        .iter()
        .enumerate()
        .map(|(i, f)| stored(row, first + i, f))
        .collect::<Result<Vec<_>>>()?;
    Ok(Profile::from_stored(&values))
}

/// A stored value as a bulk statement's parameter.
fn val(v: Stored) -> crate::sql::Val {
    match v {
        Stored::Text(t) => crate::sql::Val::Text(t),
        Stored::Int(n) => crate::sql::Val::Int(n),
    }
}

/// The member's province, or the refusal naming an unknown member.
async fn member_province(conn: &mut AnyConnection, id: i64) -> Result<String> {
    let province: Option<String> = sqlx::query_scalar("SELECT province_code FROM members WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(province.ok_or(MemberError::UnknownMember { id })?)
}

/// Commits an entry added, its id written under `after.id` of the
/// change's audit entry; returns the id.
async fn commit_added(tx: sqlx::Transaction<'_, sqlx::Any>, change: &Change, entry: i64) -> Result<i64> {
    let change = change.clone().with_after("id", serde_json::json!(entry));
    crate::accounts::commit(tx, &change).await?;
    Ok(entry)
}

fn iso(d: Option<Day>) -> Option<String> {
    d.map(|d| d.iso())
}

fn bit(b: bool) -> i64 {
    b as i64
}

/// Member profiles.
impl Store {
    /// A member's profile with their positions, titles and ratings.
    pub async fn member_profile(&self, id: i64) -> Result<MemberProfile> {
        // Read with the rest of the member's page: two statements, where
        // the profile alone took six.
        Ok(self.member_page(id).await?.profile)
    }

    /// Writes a member's scalar profile whole (inserted the first time);
    /// returns what it was before.
    pub async fn set_member_profile(&self, id: i64, p: &Profile, change: &Change) -> Result<Profile> {
        let mut tx = self.write.begin().await?;
        let province = member_province(&mut tx, id).await?;
        let before = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM member_profiles WHERE member_id = $1",
            *PROFILE_COLUMNS
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| profile_from_row(&r))
        .transpose()?
        .unwrap_or_default();
        let values = profile_values(id, &province, p, &change.author, &chrono::Utc::now().to_rfc3339());
        let params: Vec<String> = (1..=values.len()).map(|n| format!("${n}")).collect();
        let updates: Vec<String> = ["province_code"]
            .into_iter()
            .chain(FIELDS)
            .chain(["updated_by", "updated_at"])
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        let sql = format!(
            "INSERT INTO member_profiles (member_id, province_code, {}, updated_by, updated_at)
             VALUES ({})
             ON CONFLICT (member_id) DO UPDATE SET {}",
            *PROFILE_COLUMNS,
            params.join(", "),
            updates.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in values {
            query = match v {
                crate::sql::Val::Text(t) => query.bind(t),
                crate::sql::Val::Int(n) => query.bind(n),
            };
        }
        query.execute(&mut *tx).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(before)
    }

    /// Records a position the member holds or held; returns its entry id
    /// (added under `after.id` of the change's audit entry).
    /// The unit is a unit of today's tree or, for a position in a unit
    /// that has since ended, of the tree of the position's first day.
    pub async fn add_member_role(&self, id: i64, role: &NewRole, change: &Change) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let province = member_province(&mut tx, id).await?;
        let unit = match &role.unit {
            Some(code) => match resolve_code_at(&mut tx, code.as_str(), Day::today()).await {
                Ok(unit) => Some(unit.id),
                Err(_) => Some(resolve_code_at(&mut tx, code.as_str(), role.from).await?.id),
            },
            None => None,
        };
        let entry: i64 = sqlx::query_scalar(
            "INSERT INTO member_roles (member_id, province_code, position, unit_id, from_on, to_on)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(province)
        .bind(role.position.code())
        .bind(unit)
        .bind(role.from.iso())
        .bind(iso(role.to))
        .fetch_one(&mut *tx)
        .await?;
        commit_added(tx, change, entry).await
    }

    /// Removes a position entry of the member; returns it.
    pub async fn remove_member_role(&self, id: i64, entry: i64, change: &Change) -> Result<RoleEntry> {
        let found = self.profile_entry(id, entry, |p| p.roles.into_iter().find(|r| r.id == entry));
        let sql = "DELETE FROM member_roles WHERE member_id = $1 AND id = $2";
        self.delete_entry(found.await?, sql, id, entry, change).await
    }

    /// Records a title or award; returns its entry id (added under
    /// `after.id` of the change's audit entry).
    pub async fn add_member_title(&self, id: i64, title: &NewTitle, change: &Change) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let province = member_province(&mut tx, id).await?;
        let entry: i64 = sqlx::query_scalar(
            "INSERT INTO member_titles (member_id, province_code, year, level, kind, note)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(province)
        .bind(title.year.get() as i64)
        .bind(title.level.code())
        .bind(title.kind.code())
        .bind(title.note.clone())
        .fetch_one(&mut *tx)
        .await?;
        commit_added(tx, change, entry).await
    }

    /// Removes a title or award of the member; returns it.
    pub async fn remove_member_title(&self, id: i64, entry: i64, change: &Change) -> Result<TitleEntry> {
        let found = self.profile_entry(id, entry, |p| p.titles.into_iter().find(|t| t.id == entry));
        let sql = "DELETE FROM member_titles WHERE member_id = $1 AND id = $2";
        self.delete_entry(found.await?, sql, id, entry, change).await
    }

    /// Sets the member's rating for a year (replacing the year's earlier
    /// one); returns the earlier one, if any.
    pub async fn set_member_rating(&self, id: i64, rating: &NewRating, change: &Change) -> Result<Option<RatingEntry>> {
        let before = self
            .member_profile(id)
            .await?
            .ratings
            .into_iter()
            .find(|r| r.year == rating.year.get());
        let mut tx = self.write.begin().await?;
        let province = member_province(&mut tx, id).await?;
        sqlx::query(
            "INSERT INTO member_ratings (member_id, year, province_code, rating, proposed_to_party)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (member_id, year) DO UPDATE SET
                 rating = excluded.rating, proposed_to_party = excluded.proposed_to_party",
        )
        .bind(id)
        .bind(rating.year.get() as i64)
        .bind(province)
        .bind(rating.rating.code())
        .bind(bit(rating.proposed_to_party))
        .execute(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(before)
    }

    /// Removes the member's rating of `year`; returns it.
    pub async fn remove_member_rating(&self, id: i64, year: i32, change: &Change) -> Result<RatingEntry> {
        let key = i64::from(year);
        let found = self.profile_entry(id, key, |p| p.ratings.into_iter().find(|r| r.year == year));
        let sql = "DELETE FROM member_ratings WHERE member_id = $1 AND year = $2";
        self.delete_entry(found.await?, sql, id, key, change).await
    }

    /// One entry of the member's profile (a position, title or rating),
    /// as `pick` finds it; the refusal names `key` when there is none.
    pub async fn profile_entry<T>(
        &self,
        id: i64,
        key: i64,
        pick: impl FnOnce(MemberProfile) -> Option<T>,
    ) -> Result<T> {
        let found = pick(self.member_profile(id).await?);
        Ok(found.ok_or(MemberError::UnknownEntry { id, entry: key })?)
    }

    /// Deletes the entry `found` (by `sql`, binding the member and `key`)
    /// and writes the change's audit entry; returns `found`. Nothing, with
    /// the refusal, when the entry is gone already.
    async fn delete_entry<T>(&self, found: T, sql: &'static str, id: i64, key: i64, change: &Change) -> Result<T> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(sql).bind(id).bind(key).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(MemberError::UnknownEntry { id, entry: key }.into());
        }
        crate::accounts::commit(tx, change).await?;
        Ok(found)
    }

    /// Sets (or replaces) the member's photo.
    pub async fn set_member_photo(&self, id: i64, photo: &Photo, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let province = member_province(&mut tx, id).await?;
        sqlx::query(
            "INSERT INTO member_photos (member_id, province_code, content_type, size, content, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (member_id) DO UPDATE SET
                 content_type = excluded.content_type, size = excluded.size, content = excluded.content,
                 uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
        )
        .bind(id)
        .bind(province)
        .bind(photo.content_type())
        .bind(photo.bytes().len() as i64)
        .bind(photo.bytes().to_vec())
        .stamped(change)
        .execute(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
    }

    /// The member's photo: (content type, bytes), or `None` without one.
    pub async fn member_photo(&self, id: i64) -> Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query("SELECT content_type, content FROM member_photos WHERE member_id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// Removes the member's photo; whether there was one. The change's
    /// audit entry is written only when there was.
    pub async fn delete_member_photo(&self, id: i64, change: &Change) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query("DELETE FROM member_photos WHERE member_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        crate::accounts::commit(tx, change).await?;
        Ok(true)
    }
}

/// Synthetic profiles, for generated registers.
impl Store {
    /// The highest member id in the register (0 when empty): generated
    /// members loaded after it have higher ones.
    pub async fn last_member_id(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM members")
            .fetch_one(&self.read)
            .await?)
    }

    /// Gives every member with an id above `after` and no profile yet a
    /// profile whose insurance is drawn from the id: about `bhyt_per_mille`
    /// in a thousand with health insurance and `bhxh_per_mille` with
    /// voluntary social insurance. One statement, inside the engine.
    pub async fn sample_insurance(&self, after: i64, bhyt_per_mille: i64, bhxh_per_mille: i64) -> Result<u64> {
        let done = sqlx::query(
            "INSERT INTO member_profiles (member_id, province_code, bhyt, bhxh, updated_by, updated_at)
             SELECT id, province_code,
                    CASE WHEN (id * 2654435761) % 1000 < $2 THEN 1 ELSE 0 END,
                    CASE WHEN (id * 40503) % 1000 < $3 THEN 1 ELSE 0 END,
                    'gen', $4
             FROM members WHERE id > $1
             ON CONFLICT (member_id) DO NOTHING",
        )
        .bind(after)
        .bind(bhyt_per_mille)
        .bind(bhxh_per_mille)
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected())
    }
}

/// A profile's row of `member_profiles`, for the member `id` kept under
/// `province`.
pub(crate) fn profile_values(id: i64, province: &str, p: &Profile, author: &str, now: &str) -> Vec<crate::sql::Val> {
    [id.into(), province.to_string().into()]
        .into_iter()
        .chain(p.stored().into_iter().map(val))
        .chain([author.to_string().into(), now.to_string().into()])
        .collect()
}

/// The head of the statement inserting profile rows.
static INSERT_PROFILES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO member_profiles (member_id, province_code, {}, updated_by, updated_at)",
        *PROFILE_COLUMNS
    )
});

/// Writes profile rows made by [`profile_values`] for members who have no
/// profile yet (an import never overwrites one kept in the register).
pub(crate) async fn insert_profiles(conn: &mut sqlx::AnyConnection, values: Vec<Vec<crate::sql::Val>>) -> Result<()> {
    crate::sql::upsert_many(
        conn,
        INSERT_PROFILES.as_str(),
        FIELDS.len() + 4,
        values,
        "ON CONFLICT (member_id) DO NOTHING",
    )
    .await?;
    Ok(())
}

/// The head of the statement reading the sheet's fields of profiles.
static SELECT_SHEET: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT member_id, {} FROM member_profiles WHERE member_id IN (",
        SHEET_FIELDS.join(", ")
    )
});

/// Profiles in bulk: for exports.
impl Store {
    /// The fields of the member sheet ([`hnd_domain::profile::SHEET_FIELDS`]) of the
    /// profiles of `ids`, for those who have one; the other fields are at
    /// their defaults. An export reads a page of members and then this:
    /// seven columns, not all of them (each column read costs).
    pub async fn sheet_profiles(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, Profile>> {
        let mut conn = self.read.acquire().await?;
        let rows = crate::sql::fetch_in(
            &mut conn,
            SELECT_SHEET.as_str(),
            vec![],
            ids.iter().map(|id| (*id).into()).collect(),
        )
        .await?;
        rows.iter()
            .map(|r| {
                // The sheet's columns where they are, the other fields at their defaults.
                let mut values: Vec<Stored> = FIELD_LIST.iter().map(|f| Stored::null(f.kind)).collect();
                for (at, name) in SHEET_FIELDS.iter().enumerate() {
                    if let Some(i) = FIELD_LIST.iter().position(|f| f.name == *name) {
                        values[i] = stored(r, at + 1, &FIELD_LIST[i])?;
                    }
                }
                Ok((r.try_get::<i64, _>(0)?, Profile::from_stored(&values)))
            })
            .collect()
    }
}
