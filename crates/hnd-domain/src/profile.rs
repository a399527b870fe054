//! A member's profile (hồ sơ hội viên) beyond what identifies them: the
//! closed lists the Union's forms use (occupation, education, member
//! type, positions, titles and their levels, yearly ratings), the checked
//! numbers (general grade, insurance numbers, areas, herd sizes, years),
//! and the photo. Each list is stored by a stable ASCII code and shown
//! by its label from the locale files (`profile.<list>.<code>`).

use crate::i18n::{Lang, t};
use crate::{Day, fold};
use std::fmt;

/// A value of a profile field that is refused, with why: the message
/// names the field in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name in forms and JSON (`party_joined_on`).
    pub field: &'static str,
    /// Locale key of the reason (`profile.why.date`).
    pub reason: &'static str,
    pub value: String,
}

impl FieldError {
    fn new(field: &'static str, reason: &'static str, value: &str) -> FieldError {
        FieldError {
            field,
            reason,
            value: value.trim().to_string(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let field = field_label(self.field, lang);
        let reason = t(lang, self.reason, &[]);
        if self.value.is_empty() {
            t(lang, "profile.bad_empty", &[("field", &field), ("reason", &reason)])
        } else {
            t(
                lang,
                "profile.bad",
                &[("field", &field), ("value", &self.value), ("reason", &reason)],
            )
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Vi))
    }
}

/// The label of a profile field (`profile.field.<name>`).
pub fn field_label(field: &str, lang: Lang) -> String {
    t(lang, &format!("profile.field.{field}"), &[])
}

/// A closed list: its values, their stable codes and their labels.
macro_rules! closed_list {
    ($(#[$meta:meta])* $name:ident, $key:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label a person reads.
            pub fn label(self, lang: Lang) -> String {
                t(lang, &format!("{}.{}", $key, self.code()), &[])
            }

            /// By its stored code only: what the database holds.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Its code, or its label in either language, accents and case ignored.
            pub fn parse(s: &str) -> Option<$name> {
                let (s, folded) = (s.trim(), fold(s));
                Self::ALL.iter().copied().find(|v| {
                    v.code() == s || fold(&v.label(Lang::Vi)) == folded || fold(&v.label(Lang::En)) == folded
                })
            }

            /// (code, label) of every value, for a form's choices.
            pub fn choices(lang: Lang) -> Vec<(&'static str, String)> {
                Self::ALL.iter().map(|v| (v.code(), v.label(lang))).collect()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

closed_list!(
    /// Nghề nghiệp: the member's occupation group.
    Occupation, "profile.occupation" {
        Crop = "crop",
        Livestock = "livestock",
        Aquaculture = "aquaculture",
        Forestry = "forestry",
        Services = "services",
        Wage = "wage",
        Civil = "civil",
        Retired = "retired",
        Other = "other",
    }
);

closed_list!(
    /// Trình độ chuyên môn (đào tạo nghề, chuyên môn kỹ thuật).
    Vocational, "profile.vocational" {
        None = "none",
        Elementary = "elementary",
        Intermediate = "intermediate",
        College = "college",
        University = "university",
        Postgraduate = "postgraduate",
    }
);

closed_list!(
    /// Trình độ lý luận chính trị.
    PoliticalTheory, "profile.theory" {
        None = "none",
        Elementary = "elementary",
        Intermediate = "intermediate",
        Advanced = "advanced",
    }
);

closed_list!(
    /// Loại hội viên: a regular member, or an honorary one (hội viên danh
    /// dự, for people who are not farmers).
    MemberType, "profile.member_type" {
        Regular = "regular",
        Honorary = "honorary",
    }
);

closed_list!(
    /// A position held in the Union (chức vụ trong Hội).
    Position, "profile.position" {
        BranchHead = "branch_head",
        BranchDeputy = "branch_deputy",
        GroupHead = "group_head",
        GroupDeputy = "group_deputy",
        FullTime = "full_time",
        Executive = "executive",
        Standing = "standing",
    }
);

closed_list!(
    /// The level that gives a title or an award.
    AwardLevel, "profile.level" {
        Commune = "commune",
        District = "district",
        Province = "province",
        Central = "central",
    }
);

closed_list!(
    /// A title or an award: the excellent-farmer title of the emulation
    /// movement (nông dân sản xuất, kinh doanh giỏi), a certificate of
    /// merit (giấy khen), a merit (bằng khen), or another.
    TitleKind, "profile.title" {
        ExcellentFarmer = "excellent_farmer",
        Certificate = "certificate",
        Merit = "merit",
        Other = "other",
    }
);

closed_list!(
    /// Xếp loại hội viên: the yearly rating of a member.
    Rating, "profile.rating" {
        Excellent = "excellent",
        Good = "good",
        Done = "done",
        NotDone = "not_done",
    }
);

/// Trình độ văn hóa: the grade reached in general school over the
/// system's length ("9/12", "12/12"; the old northern system: "7/10").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GeneralGrade {
    grade: u8,
    of: u8,
}

impl GeneralGrade {
    /// "12/12", "10/10", or a bare grade ("9", read over 12).
    pub fn parse(s: &str) -> Option<GeneralGrade> {
        let s = s.trim();
        let (grade, of) = match s.split_once('/') {
            Some((g, o)) => (g.trim().parse().ok()?, o.trim().parse().ok()?),
            None => (s.parse().ok()?, 12),
        };
        ((of == 10 || of == 12) && grade <= of).then_some(GeneralGrade { grade, of })
    }
}

impl fmt::Display for GeneralGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.grade, self.of)
    }
}

/// A health-insurance card number (mã thẻ BHYT: two letters and 13
/// digits) or a social-insurance number (mã số BHXH: 10 digits, which
/// new BHYT cards also carry). Stored upper-case, without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InsuranceNumber(String);

impl InsuranceNumber {
    pub fn parse(s: &str) -> Option<InsuranceNumber> {
        let n: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
            .collect::<String>()
            .to_uppercase();
        let b = n.as_bytes();
        let social = b.len() == 10 && b.iter().all(u8::is_ascii_digit);
        let card = b.len() == 15 && b[..2].iter().all(u8::is_ascii_uppercase) && b[2..].iter().all(u8::is_ascii_digit);
        (social || card).then_some(InsuranceNumber(n))
    }

    /// Whether this is the 10-digit social-insurance number.
    pub fn is_social(&self) -> bool {
        self.0.len() == 10
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InsuranceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A year of a title or a rating: from 1930 (the Union's founding) to this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Year(i32);

impl Year {
    pub fn parse(s: &str) -> Option<Year> {
        let s = s.trim();
        let y: i32 = (s.len() == 4).then(|| s.parse().ok()).flatten()?;
        (1930..=Day::today().year()).contains(&y).then_some(Year(y))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The largest farm area taken, in m² (10,000 ha).
pub const MAX_AREA_M2: u32 = 100_000_000;
/// The largest herd or flock taken.
pub const MAX_HERD: u32 = 10_000_000;

impl serde::Serialize for GeneralGrade {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl serde::Serialize for InsuranceNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Yes, no, or empty (`Some(None)`): "có"/"không", "yes"/"no",
/// "true"/"false", "1"/"0", "on"; `None` for anything else.
pub fn parse_yes_no(s: &str) -> Option<Option<bool>> {
    match fold(s).as_str() {
        "" => Some(None),
        "co" | "yes" | "true" | "1" | "on" | "x" => Some(Some(true)),
        "khong" | "no" | "false" | "0" | "off" => Some(Some(false)),
        _ => None,
    }
}

fn yes_no_text(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// A day that must not be after today.
fn past_day(field: &'static str, s: &str, today: Day) -> Result<Option<Day>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        text => match Day::parse(text) {
            Ok(d) if d > today => Err(FieldError::new(field, "profile.why.future", text)),
            Ok(d) => Ok(Some(d)),
            Err(_) => Err(FieldError::new(field, "profile.why.date", text)),
        },
    }
}

fn any_day(field: &'static str, s: &str) -> Result<Option<Day>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        text => Day::parse(text)
            .map(Some)
            .map_err(|_| FieldError::new(field, "profile.why.date", text)),
    }
}

/// A whole number up to `max`; people write thousands with dots, commas
/// or spaces ("5.000"), which must then group the digits by three.
fn count(field: &'static str, s: &str, max: u32) -> Result<Option<u32>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let groups: Vec<&str> = s.split(['.', ',', ' ']).collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped {
        return Err(FieldError::new(field, "profile.why.number", s));
    }
    match groups.concat().parse::<u32>() {
        Ok(n) if n <= max => Ok(Some(n)),
        Ok(_) => Err(FieldError::new(field, "profile.why.too_large", s)),
        Err(_) => Err(FieldError::new(field, "profile.why.number", s)),
    }
}

/// A short free text: trimmed, at most 200 characters.
fn short_text(field: &'static str, s: &str) -> Result<Option<String>, FieldError> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 200 {
        return Err(FieldError::new(field, "profile.why.too_long", &s));
    }
    Ok(Some(s).filter(|s| !s.is_empty()))
}

fn listed<T>(field: &'static str, s: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        text => parse(text)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, "profile.why.choice", text)),
    }
}

/// Refusals gathered field by field.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn keep<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
}

impl Profile {
    /// The profile a form, a JSON body or the command line describes, each
    /// field as text (`get` answers "" for a field not given), checked
    /// field by field and then across fields; every refusal is returned.
    pub fn parse(get: impl Fn(&str) -> String) -> Result<Profile, Vec<FieldError>> {
        let today = Day::today();
        let mut errors = Errors::default();
        let yes_no = |field: &'static str| -> Result<Option<bool>, FieldError> {
            let text = get(field);
            parse_yes_no(&text).ok_or_else(|| FieldError::new(field, "profile.why.yes_no", &text))
        };
        let mut p = Profile {
            cccd_issued_on: errors
                .keep(past_day("cccd_issued_on", &get("cccd_issued_on"), today))
                .flatten(),
            current_address: errors
                .keep(short_text("current_address", &get("current_address")))
                .flatten(),
            occupation: errors
                .keep(listed("occupation", &get("occupation"), Occupation::parse))
                .flatten(),
            produce: errors.keep(short_text("produce", &get("produce"))).flatten(),
            farm_area_m2: errors
                .keep(count("farm_area_m2", &get("farm_area_m2"), MAX_AREA_M2))
                .flatten(),
            herd_size: errors.keep(count("herd_size", &get("herd_size"), MAX_HERD)).flatten(),
            general_grade: errors
                .keep(listed("general_grade", &get("general_grade"), GeneralGrade::parse))
                .flatten(),
            vocational: errors
                .keep(listed("vocational", &get("vocational"), Vocational::parse))
                .flatten(),
            political_theory: errors
                .keep(listed(
                    "political_theory",
                    &get("political_theory"),
                    PoliticalTheory::parse,
                ))
                .flatten(),
            card_issued_on: errors
                .keep(past_day("card_issued_on", &get("card_issued_on"), today))
                .flatten(),
            residential: errors.keep(yes_no("residential")).flatten().unwrap_or(false),
            professional: errors.keep(yes_no("professional")).flatten().unwrap_or(false),
            member_type: errors
                .keep(listed("member_type", &get("member_type"), MemberType::parse))
                .flatten()
                .unwrap_or(MemberType::Regular),
            core_member: errors.keep(yes_no("core_member")).flatten().unwrap_or(false),
            party_member: errors.keep(yes_no("party_member")).flatten().unwrap_or(false),
            party_joined_on: errors
                .keep(past_day("party_joined_on", &get("party_joined_on"), today))
                .flatten(),
            party_official_on: errors
                .keep(past_day("party_official_on", &get("party_official_on"), today))
                .flatten(),
            bhyt: errors.keep(yes_no("bhyt")).flatten(),
            bhyt_number: errors
                .keep(listed("bhyt_number", &get("bhyt_number"), InsuranceNumber::parse))
                .flatten(),
            bhyt_expires_on: errors
                .keep(any_day("bhyt_expires_on", &get("bhyt_expires_on")))
                .flatten(),
            bhxh: errors.keep(yes_no("bhxh")).flatten(),
            bhxh_number: errors
                .keep(listed("bhxh_number", &get("bhxh_number"), InsuranceNumber::parse))
                .flatten(),
        };
        if let Some(n) = &p.bhxh_number
            && !n.is_social()
        {
            errors
                .0
                .push(FieldError::new("bhxh_number", "profile.why.bhxh_number", n.as_str()));
            p.bhxh_number = None;
        }
        if errors.0.is_empty() {
            p.check(&mut errors.0);
        }
        if errors.0.is_empty() { Ok(p) } else { Err(errors.0) }
    }

    /// Rules across fields.
    fn check(&self, errors: &mut Vec<FieldError>) {
        let shown = |d: &Option<Day>| d.map(|d| d.to_string()).unwrap_or_default();
        if !self.residential && !self.professional {
            errors.push(FieldError::new("residential", "profile.why.no_branch_kind", ""));
        }
        if !self.party_member {
            for (field, value) in [
                ("party_joined_on", &self.party_joined_on),
                ("party_official_on", &self.party_official_on),
            ] {
                if value.is_some() {
                    errors.push(FieldError::new(field, "profile.why.not_party", &shown(value)));
                }
            }
        }
        if let (Some(joined), Some(official)) = (self.party_joined_on, self.party_official_on)
            && official < joined
        {
            errors.push(FieldError::new(
                "party_official_on",
                "profile.why.before_joined",
                &official.to_string(),
            ));
        }
        if self.bhyt != Some(true) {
            if let Some(n) = &self.bhyt_number {
                errors.push(FieldError::new("bhyt_number", "profile.why.no_bhyt", n.as_str()));
            }
            if self.bhyt_expires_on.is_some() {
                errors.push(FieldError::new(
                    "bhyt_expires_on",
                    "profile.why.no_bhyt",
                    &shown(&self.bhyt_expires_on),
                ));
            }
        }
        if self.bhxh != Some(true)
            && let Some(n) = &self.bhxh_number
        {
            errors.push(FieldError::new("bhxh_number", "profile.why.no_bhxh", n.as_str()));
        }
    }
}

mod entries;
mod fields;
#[cfg(test)]
mod tests;

pub use entries::{MAX_PHOTO_BYTES, NewRating, NewRole, NewTitle, Photo};
pub use fields::{
    FIELD_LIST, FIELDS, Field, FieldValue, Kind, Profile, SENSITIVE, SHEET_COLUMNS, SHEET_FIELDS, Scalar, Stored,
    choices, field, is_sensitive, is_yes_no,
};
