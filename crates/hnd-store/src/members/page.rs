//! Everything a member's page shows, read in one statement: the member
//! with their unit's name, profile, photo flag and household, joined to
//! every list (history, positions, titles, ratings, corrections, the
//! household's members and categories) as one `UNION ALL`, a row per list
//! entry. One round trip where the page once made fourteen, each on a
//! connection of its own.

use super::types::{Member, MemberEvent, member_from_row, member_select};
use crate::profiles::{MemberProfile, RatingEntry, RoleEntry, TitleEntry, code, day, flag, profile_at};
use crate::{Corrected, Household, Result, Store};
use hnd_domain::profile::{AwardLevel, FIELDS, Position, Rating, TitleKind};
use hnd_domain::{Day, MemberError};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::sync::LazyLock;

/// A member's page: what it shows, as stored.
#[derive(Debug, Clone)]
pub struct MemberPage {
    pub member: Member,
    /// Today's name of the member's unit (empty if the unit has ended).
    pub unit_name: String,
    /// The member's events, oldest first.
    pub events: Vec<MemberEvent>,
    pub profile: MemberProfile,
    /// Corrections of the identity fields, latest first.
    pub corrections: Vec<Corrected>,
    pub household: Option<Household>,
}

/// Columns after the member's own (0 to 16).
const UNIT_NAME: usize = 17;
const HAS_PHOTO: usize = 18;
const HOUSEHOLD: usize = 19;
const UPDATED: usize = 22;
const PROFILE: usize = 24;
/// The first column of a list entry: after the profile's fields.
static LIST: LazyLock<usize> = LazyLock::new(|| PROFILE + FIELDS.len());

/// The statement: the member's columns on every row, then one list entry
/// (none: the lists' columns are NULL on the one row).
static PAGE: LazyLock<String> = LazyLock::new(|| {
    let profile: Vec<String> = FIELDS.iter().map(|f| format!("p.{f}")).collect();
    member_select!(
        ", n.name,
         CASE WHEN EXISTS (SELECT 1 FROM member_photos ph WHERE ph.member_id = m.id) THEN 1 ELSE 0 END,
         h.id, h.province_code, h.address, p.updated_by, p.updated_at, {profile},
         l.s, l.a, l.b, l.t1, l.t2, l.t3, l.t4, l.t5, l.t6",
        "LEFT JOIN unit_versions n ON n.unit_id = m.unit_id AND n.valid_from <= $2 AND n.valid_to > $2
         LEFT JOIN households h ON h.id = m.household_id
         LEFT JOIN member_profiles p ON p.member_id = m.id
         LEFT JOIN ({lists}) l ON 1 = 1
         WHERE m.id = $1"
    )
    .replace("{profile}", &profile.join(", "))
    .replace("{lists}", LISTS)
});

/// Every list, a section number first, then two numbers and six texts
/// (typed alike in every branch, as PostgreSQL asks).
const LISTS: &str = "
    SELECT CAST(0 AS BIGINT) AS s, e.id AS a, CAST(NULL AS BIGINT) AS b, e.kind AS t1, e.effective_date AS t2,
           u.code AS t3, e.decision AS t4, e.reason AS t5, e.author AS t6
    FROM member_events e LEFT JOIN units u ON u.id = e.unit_id WHERE e.member_id = $1
    UNION ALL
    SELECT CAST(1 AS BIGINT), r.id, CAST(NULL AS BIGINT), r.position, v.code, r.from_on, r.to_on,
           CAST(NULL AS TEXT), CAST(NULL AS TEXT)
    FROM member_roles r
    LEFT JOIN unit_versions v ON v.unit_id = r.unit_id AND v.valid_from <= $2 AND v.valid_to > $2
    WHERE r.member_id = $1
    UNION ALL
    SELECT CAST(2 AS BIGINT), id, CAST(year AS BIGINT), level, kind, note, CAST(NULL AS TEXT),
           CAST(NULL AS TEXT), CAST(NULL AS TEXT)
    FROM member_titles WHERE member_id = $1
    UNION ALL
    SELECT CAST(3 AS BIGINT), CAST(year AS BIGINT), CAST(proposed_to_party AS BIGINT), rating,
           CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT)
    FROM member_ratings WHERE member_id = $1
    UNION ALL
    SELECT CAST(4 AS BIGINT), id, CAST(NULL AS BIGINT), field, old_value, new_value, author, recorded_at,
           CAST(NULL AS TEXT)
    FROM member_corrections WHERE member_id = $1
    UNION ALL
    SELECT CAST(5 AS BIGINT), o.id, CAST(NULL AS BIGINT), o.full_name, o.household_role, CAST(NULL AS TEXT),
           CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT)
    FROM members m JOIN members o ON o.household_id = m.household_id WHERE m.id = $1
    UNION ALL
    SELECT CAST(6 AS BIGINT), CAST(c.year AS BIGINT), CAST(NULL AS BIGINT), c.category, CAST(NULL AS TEXT),
           CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT)
    FROM members m JOIN household_categories c ON c.household_id = m.household_id WHERE m.id = $1";

/// A text column of a list row that the schema holds as a known code.
fn known<T>(row: &AnyRow, i: usize, parse: fn(&str) -> Option<T>) -> Result<T> {
    Ok(code(row, i, parse)?.expect("codes checked by the table"))
}

impl MemberPage {
    /// The page of the member in `row`, its lists empty.
    fn of_row(id: i64, row: &AnyRow) -> Result<MemberPage> {
        let household = match row.try_get::<Option<i64>, _>(HOUSEHOLD)? {
            Some(number) => Some(Household {
                id: number,
                province_code: row.try_get(HOUSEHOLD + 1)?,
                address: row.try_get(HOUSEHOLD + 2)?,
                members: Vec::new(),
                categories: Vec::new(),
            }),
            None => None,
        };
        Ok(MemberPage {
            member: member_from_row(row)?,
            unit_name: row.try_get::<Option<String>, _>(UNIT_NAME)?.unwrap_or_default(),
            events: Vec::new(),
            profile: MemberProfile {
                member_id: id,
                profile: profile_at(row, PROFILE)?,
                roles: Vec::new(),
                titles: Vec::new(),
                ratings: Vec::new(),
                has_photo: row.try_get::<i64, _>(HAS_PHOTO)? != 0,
                updated_by: row.try_get(UPDATED)?,
                updated_at: row.try_get(UPDATED + 1)?,
            },
            corrections: Vec::new(),
            household,
        })
    }

    /// Files the list entry of `row` under its section (a row without
    /// one, the only row of a member with empty lists, adds nothing); the
    /// ids of events and corrections, which order them, go to `ids`.
    fn add(&mut self, row: &AnyRow, ids: &mut Ids) -> Result<()> {
        let at = |i: usize| *LIST + i;
        let Some(section) = row.try_get::<Option<i64>, _>(at(0))? else {
            return Ok(());
        };
        let (a, b): (Option<i64>, Option<i64>) = (row.try_get(at(1))?, row.try_get(at(2))?);
        let a = a.unwrap_or_default();
        let text = |i: usize| row.try_get::<Option<String>, _>(at(2 + i));
        let on = |i: usize| day(row, at(i));
        match section {
            0 => ids.events.push((a, self.events.len())),
            4 => ids.corrections.push((a, self.corrections.len())),
            _ => {}
        }
        match section {
            0 => self.events.push(MemberEvent {
                kind: text(1)?.unwrap_or_default(),
                date: on(4)?.expect("dates written by hnd"),
                unit_code: text(3)?,
                decision: text(4)?,
                reason: text(5)?.unwrap_or_default(),
                author: text(6)?.unwrap_or_default(),
            }),
            1 => self.profile.roles.push(RoleEntry {
                id: a,
                position: known(row, at(3), Position::from_code)?,
                unit_code: text(2)?,
                from: on(5)?.expect("dates written by hnd"),
                to: on(6)?,
            }),
            2 => self.profile.titles.push(TitleEntry {
                id: a,
                year: b.unwrap_or_default() as i32,
                level: known(row, at(3), AwardLevel::from_code)?,
                kind: known(row, at(4), TitleKind::from_code)?,
                note: text(3)?,
            }),
            3 => self.profile.ratings.push(RatingEntry {
                year: a as i32,
                rating: known(row, at(3), Rating::from_code)?,
                proposed_to_party: flag(row, at(2))?.unwrap_or(false),
            }),
            4 => self.corrections.push(Corrected {
                field: text(1)?.unwrap_or_default(),
                old_value: text(2)?,
                new_value: text(3)?,
                author: text(4)?.unwrap_or_default(),
                recorded_at: text(5)?.unwrap_or_default(),
            }),
            5 => {
                if let Some(h) = &mut self.household {
                    h.members
                        .push((a, text(1)?.unwrap_or_default(), text(2)?.unwrap_or_default()));
                }
            }
            _ => {
                if let Some(h) = &mut self.household {
                    h.categories.push((a as i32, text(1)?.unwrap_or_default()));
                }
            }
        }
        Ok(())
    }

    /// Each list in the order the page shows it: history oldest first,
    /// positions, titles and ratings latest first, corrections latest first,
    /// the household's head first and its categories by year.
    fn sort(&mut self, mut ids: Ids) {
        ids.events.sort_by_key(|&(id, at)| (self.events[at].date, id));
        self.events = reorder(std::mem::take(&mut self.events), &ids.events);
        ids.corrections.sort_by_key(|&(id, _)| std::cmp::Reverse(id));
        self.corrections = reorder(std::mem::take(&mut self.corrections), &ids.corrections);
        let p = &mut self.profile;
        p.roles.sort_by_key(|r| std::cmp::Reverse((r.from, r.id)));
        p.titles.sort_by_key(|t| std::cmp::Reverse((t.year, t.id)));
        p.ratings.sort_by_key(|r| std::cmp::Reverse(r.year));
        if let Some(h) = &mut self.household {
            h.members.sort_by_key(|(id, _, role)| (role != "head", *id));
            h.categories.sort_by_key(|(year, _)| *year);
        }
    }
}

/// The ids of a page's events and corrections, with where each stands.
#[derive(Default)]
struct Ids {
    events: Vec<(i64, usize)>,
    corrections: Vec<(i64, usize)>,
}

/// `items` in the order of `order`'s positions.
fn reorder<T>(items: Vec<T>, order: &[(i64, usize)]) -> Vec<T> {
    let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&(_, at)| items[at].take()).collect()
}

/// A member's page, read at once.
impl Store {
    /// Everything member `id`'s page shows, in one statement; each list
    /// in the order the page shows it.
    pub async fn member_page(&self, id: i64) -> Result<MemberPage> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(PAGE.as_str()))
            .bind(id)
            .bind(Day::today().iso())
            .fetch_all(&self.read)
            .await?;
        let first = rows.first().ok_or(MemberError::UnknownMember { id })?;
        let mut page = MemberPage::of_row(id, first)?;
        // Ordered here, each list its own way, where one ORDER BY over the
        // union would not do.
        let mut ids = Ids::default();
        for row in &rows {
            page.add(row, &mut ids)?;
        }
        page.sort(ids);
        Ok(page)
    }
}
