//! The register's types: the person to enter, the member as the register
//! holds them, what a list asks for, a member's events, and who holds a CCCD;
//! how a row of `members` becomes a [`Member`].

use crate::{Result, StoreError};
use hnd_domain::{BirthDate, Cccd, Day, Ethnicity, MemberError, Phone, Sex, UnitCode, fold};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A person to enter in the register.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub full_name: String,
    pub birth: BirthDate,
    pub sex: Sex,
    pub ethnicity: Option<Ethnicity>,
    pub religion: Option<String>,
    pub cccd: Option<Cccd>,
    pub phone: Option<Phone>,
    pub village: Option<String>,
    /// The branch or group the member belongs to.
    pub unit: UnitCode,
}

/// A member as the register holds them now.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub sex: String,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub cccd: Option<String>,
    pub phone: Option<String>,
    pub village: Option<String>,
    pub unit_code: String,
    pub province_code: String,
    pub status: String,
    pub card_number: Option<String>,
    pub joined_on: Option<String>,
    pub admission_decision: Option<String>,
    /// While in transfer: the unit the member is going to.
    pub transfer_to: Option<String>,
}

/// Which members to list: a subtree, a text (as in [`Store::search_members`])
/// and filters, a page at a time.
#[derive(Debug, Clone, Default)]
pub struct MemberQuery {
    /// Unit code whose subtree is searched (today's tree).
    pub scope: String,
    pub text: Option<String>,
    /// "male" or "female".
    pub sex: Option<String>,
    pub status: Option<String>,
    /// GSO code of the ethnic group.
    pub ethnicity: Option<String>,
    /// Ages (in whole years this year), inclusive.
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    /// Has health insurance (BHYT) in their profile; `Some(false)`: has
    /// none or none recorded. Personal data: filter only for who may see it.
    pub bhyt: Option<bool>,
    /// Has voluntary social insurance (BHXH tự nguyện), likewise.
    pub bhxh: Option<bool>,
    /// The reader may not see personal data here
    /// (`Principal::may_search_personal`): a text of digits then matches
    /// card numbers only, never a CCCD or phone, and the filters on
    /// personal data (`ethnicity`, `bhyt`, `bhxh`) are not applied. The
    /// pages and the API set it from the user's rights (and tell of or
    /// refuse such a filter before asking); the command line, the
    /// operator's tool, leaves it false.
    pub masked: bool,
    pub offset: i64,
    pub limit: i64,
}
#[derive(Debug, Clone, Serialize)]
pub struct MemberEvent {
    pub kind: String,
    pub date: Day,
    pub unit_code: Option<String>,
    pub decision: Option<String>,
    pub reason: String,
    pub author: String,
}

/// Another member who may be the same person, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikelyDuplicate {
    pub id: i64,
    pub full_name: String,
    /// "name_birth" or "name_phone".
    pub rule: &'static str,
}

/// What adding a member did.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub id: i64,
    pub likely_duplicates: Vec<LikelyDuplicate>,
}
/// The SELECT that [`member_from_row`] reads (columns 0 to 16), then
/// `$more` columns, then the rest of the statement.
macro_rules! member_select {
    ($rest:literal) => {
        member_select!("", $rest)
    };
    ($more:literal, $rest:literal) => {
        concat!(
            "SELECT m.id, m.full_name, m.birth_date, m.birth_year, m.sex, m.ethnicity, m.religion, m.cccd,
                    m.phone, m.village, u.code, m.province_code, m.status, m.card_number, m.joined_on,
                    m.admission_decision, t.code",
            $more,
            " FROM members m JOIN units u ON u.id = m.unit_id LEFT JOIN units t ON t.id = m.transfer_to ",
            $rest
        )
    };
}
pub(crate) use member_select;

pub(crate) fn member_from_row(row: &AnyRow) -> Result<Member> {
    let birth_date: Option<String> = row.try_get(2)?;
    let birth_year: i64 = row.try_get(3)?;
    Ok(Member {
        id: row.try_get(0)?,
        full_name: row.try_get(1)?,
        birth_date: birth_date
            .and_then(|d| Day::from_iso(&d).ok())
            .map(|d| d.to_string())
            .unwrap_or_else(|| birth_year.to_string()),
        sex: row.try_get(4)?,
        ethnicity: row.try_get(5)?,
        religion: row.try_get(6)?,
        cccd: row.try_get(7)?,
        phone: row.try_get(8)?,
        village: row.try_get(9)?,
        unit_code: row.try_get(10)?,
        province_code: row.try_get(11)?,
        status: row.try_get(12)?,
        card_number: row.try_get(13)?,
        joined_on: row.try_get(14)?,
        admission_decision: row.try_get(15)?,
        transfer_to: row.try_get(16)?,
    })
}
/// The member who holds a CCCD.
#[derive(Debug, Clone)]
pub struct CccdHolder {
    pub id: i64,
    pub full_name: String,
    pub birth_year: i64,
    pub unit_code: String,
    /// The unit's path today (empty if it has ended): where access to the
    /// holder is asked before naming them.
    pub unit_path: String,
    /// The name of the member's province today (its code if none).
    pub province: String,
}

impl CccdHolder {
    /// Whether a row naming this CCCD is this same person (same name,
    /// accents aside, and birth year): loading it again changes nothing.
    pub fn is(&self, full_name: &str, birth_year: i32) -> bool {
        fold(&self.full_name) == fold(full_name) && self.birth_year == birth_year as i64
    }

    /// The refusal for somebody else giving this holder's CCCD, naming
    /// the holder in full: before a person reads it, it goes through
    /// `MemberError::seen_as` with the reader's rights.
    pub fn conflict(&self, cccd: &Cccd) -> MemberError {
        MemberError::DuplicateCccd {
            cccd: cccd.to_string(),
            id: self.id,
            name: self.full_name.clone(),
            unit: self.unit_code.clone(),
            place: Box::new(hnd_domain::HolderPlace {
                path: self.unit_path.clone(),
                province: self.province.clone(),
            }),
        }
    }
}

impl From<MemberError> for StoreError {
    fn from(e: MemberError) -> StoreError {
        StoreError::Member(e)
    }
}
