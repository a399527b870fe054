//! A member's profile (hồ sơ hội viên) beyond what identifies them: the
//! closed lists the Union's forms use (occupation, education, member
//! type, positions, titles and their levels, yearly ratings), the checked
//! numbers (general grade, insurance numbers, areas, herd sizes, years),
//! and the photo. Each list is stored by a stable ASCII code and shown
//! by its label from the locale files (`profile.<list>.<code>`).

use crate::i18n::{Lang, t};
use crate::{Day, UnitCode, fold};
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

/// The scalar part of a member's profile. Every field is optional but
/// the member type and the kind of membership (residential by default).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    /// Ngày cấp CCCD.
    pub cccd_issued_on: Option<Day>,
    /// Nơi ở hiện nay (the village in the register is the permanent one).
    pub current_address: Option<String>,
    pub occupation: Option<Occupation>,
    /// What the household produces ("lúa", "bò thịt", "tôm").
    pub produce: Option<String>,
    /// Area farmed, in m².
    pub farm_area_m2: Option<u32>,
    /// Head of livestock or poultry.
    pub herd_size: Option<u32>,
    pub general_grade: Option<GeneralGrade>,
    pub vocational: Option<Vocational>,
    pub political_theory: Option<PoliticalTheory>,
    /// Ngày cấp thẻ hội viên.
    pub card_issued_on: Option<Day>,
    /// Sinh hoạt ở chi hội địa bàn dân cư.
    pub residential: bool,
    /// Sinh hoạt ở chi hội, tổ hội nghề nghiệp (a member may be in both).
    pub professional: bool,
    pub member_type: MemberType,
    /// Hội viên nòng cốt.
    pub core_member: bool,
    pub party_member: bool,
    /// Ngày vào Đảng.
    pub party_joined_on: Option<Day>,
    /// Ngày chính thức.
    pub party_official_on: Option<Day>,
    /// Has health insurance; `None`: not known.
    pub bhyt: Option<bool>,
    pub bhyt_number: Option<InsuranceNumber>,
    pub bhyt_expires_on: Option<Day>,
    /// Has voluntary social insurance; `None`: not known.
    pub bhxh: Option<bool>,
    pub bhxh_number: Option<InsuranceNumber>,
}

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

impl Default for Profile {
    fn default() -> Profile {
        Profile {
            cccd_issued_on: None,
            current_address: None,
            occupation: None,
            produce: None,
            farm_area_m2: None,
            herd_size: None,
            general_grade: None,
            vocational: None,
            political_theory: None,
            card_issued_on: None,
            residential: true,
            professional: false,
            member_type: MemberType::Regular,
            core_member: false,
            party_member: false,
            party_joined_on: None,
            party_official_on: None,
            bhyt: None,
            bhyt_number: None,
            bhyt_expires_on: None,
            bhxh: None,
            bhxh_number: None,
        }
    }
}

/// The profile's fields, in form order.
pub const FIELDS: [&str; 22] = [
    "cccd_issued_on",
    "current_address",
    "occupation",
    "produce",
    "farm_area_m2",
    "herd_size",
    "general_grade",
    "vocational",
    "political_theory",
    "card_issued_on",
    "residential",
    "professional",
    "member_type",
    "core_member",
    "party_member",
    "party_joined_on",
    "party_official_on",
    "bhyt",
    "bhyt_number",
    "bhyt_expires_on",
    "bhxh",
    "bhxh_number",
];

/// The fields the member sheet (import template and export) carries.
pub const SHEET_FIELDS: [&str; 6] = [
    "occupation",
    "general_grade",
    "bhyt",
    "bhxh",
    "party_member",
    "party_joined_on",
];

/// Personal data (Decree 13/2023): shown only to who may see the
/// member's sensitive data, masked or left out for everyone else.
pub const SENSITIVE: [&str; 9] = [
    "cccd_issued_on",
    "party_member",
    "party_joined_on",
    "party_official_on",
    "bhyt",
    "bhyt_number",
    "bhyt_expires_on",
    "bhxh",
    "bhxh_number",
];

/// Whether `field` is personal data.
pub fn is_sensitive(field: &str) -> bool {
    SENSITIVE.contains(&field)
}

/// The closed list a field takes its value from: (code, label) pairs.
pub fn choices(field: &str, lang: Lang) -> Option<Vec<(&'static str, String)>> {
    Some(match field {
        "occupation" => Occupation::choices(lang),
        "vocational" => Vocational::choices(lang),
        "political_theory" => PoliticalTheory::choices(lang),
        "member_type" => MemberType::choices(lang),
        _ => return None,
    })
}

/// Fields that are yes/no; `bhyt` and `bhxh` may also be unknown.
pub fn is_yes_no(field: &str) -> bool {
    matches!(
        field,
        "residential" | "professional" | "core_member" | "party_member" | "bhyt" | "bhxh"
    )
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

    /// Each field as text, in [`FIELDS`] order, as [`Profile::parse`]
    /// reads it back: dates dd/mm/yyyy, lists by code, yes/no.
    pub fn to_text(&self) -> Vec<(&'static str, String)> {
        let day = |d: &Option<Day>| d.map(|d| d.to_string()).unwrap_or_default();
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let num = |n: &Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        let yes_no = |b: &Option<bool>| b.map(yes_no_text).unwrap_or_default();
        vec![
            ("cccd_issued_on", day(&self.cccd_issued_on)),
            ("current_address", opt(&self.current_address)),
            (
                "occupation",
                self.occupation.map(|o| o.code().to_string()).unwrap_or_default(),
            ),
            ("produce", opt(&self.produce)),
            ("farm_area_m2", num(&self.farm_area_m2)),
            ("herd_size", num(&self.herd_size)),
            (
                "general_grade",
                self.general_grade.map(|g| g.to_string()).unwrap_or_default(),
            ),
            (
                "vocational",
                self.vocational.map(|v| v.code().to_string()).unwrap_or_default(),
            ),
            (
                "political_theory",
                self.political_theory.map(|v| v.code().to_string()).unwrap_or_default(),
            ),
            ("card_issued_on", day(&self.card_issued_on)),
            ("residential", yes_no_text(self.residential)),
            ("professional", yes_no_text(self.professional)),
            ("member_type", self.member_type.code().to_string()),
            ("core_member", yes_no_text(self.core_member)),
            ("party_member", yes_no_text(self.party_member)),
            ("party_joined_on", day(&self.party_joined_on)),
            ("party_official_on", day(&self.party_official_on)),
            ("bhyt", yes_no(&self.bhyt)),
            (
                "bhyt_number",
                self.bhyt_number.as_ref().map(|n| n.to_string()).unwrap_or_default(),
            ),
            ("bhyt_expires_on", day(&self.bhyt_expires_on)),
            ("bhxh", yes_no(&self.bhxh)),
            (
                "bhxh_number",
                self.bhxh_number.as_ref().map(|n| n.to_string()).unwrap_or_default(),
            ),
        ]
    }

    /// Each field as a person reads it, in `lang`: labels of lists,
    /// "Có"/"Không", dates dd/mm/yyyy, areas and herds with thousands.
    pub fn display(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let yes_no = |b: bool| t(lang, if b { "profile.yes" } else { "profile.no" }, &[]);
        self.to_text()
            .into_iter()
            .map(|(field, text)| {
                let shown = match field {
                    "occupation" => self.occupation.map(|v| v.label(lang)),
                    "vocational" => self.vocational.map(|v| v.label(lang)),
                    "political_theory" => self.political_theory.map(|v| v.label(lang)),
                    "member_type" => Some(self.member_type.label(lang)),
                    "farm_area_m2" => self.farm_area_m2.map(|n| crate::fmt::int(n as i64, lang)),
                    "herd_size" => self.herd_size.map(|n| crate::fmt::int(n as i64, lang)),
                    f if is_yes_no(f) => parse_yes_no(&text).flatten().map(yes_no),
                    _ => Some(text),
                };
                (field, shown.unwrap_or_default())
            })
            .collect()
    }

    /// The first personal field this profile sets (holds other than its
    /// default), if any: what an input may not do for who may not see it.
    pub fn personal_set(&self) -> Option<&'static str> {
        let empty = Profile::default().to_text();
        self.to_text()
            .into_iter()
            .zip(empty)
            .find(|((field, value), (_, default))| is_sensitive(field) && value != default)
            .map(|((field, _), _)| field)
    }

    /// This profile with the personal fields of `kept` instead of its own:
    /// what a change by someone who may not see them leaves in place.
    pub fn keeping_sensitive(mut self, kept: &Profile) -> Profile {
        self.cccd_issued_on = kept.cccd_issued_on;
        self.party_member = kept.party_member;
        self.party_joined_on = kept.party_joined_on;
        self.party_official_on = kept.party_official_on;
        self.bhyt = kept.bhyt;
        self.bhyt_number = kept.bhyt_number.clone();
        self.bhyt_expires_on = kept.bhyt_expires_on;
        self.bhxh = kept.bhxh;
        self.bhxh_number = kept.bhxh_number.clone();
        self
    }
}

/// A position to record: held from a day, until a day or still.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRole {
    pub position: Position,
    /// The unit where it is held (a branch, a commune union…).
    pub unit: Option<UnitCode>,
    pub from: Day,
    pub to: Option<Day>,
}

impl NewRole {
    pub fn parse(position: &str, unit: &str, from: &str, to: &str) -> Result<NewRole, Vec<FieldError>> {
        let today = Day::today();
        let mut errors = Errors::default();
        let position = errors.keep(required("position", position, Position::parse));
        let unit = errors.keep(listed("unit", unit, |s| UnitCode::parse(s).ok())).flatten();
        let from = match errors.keep(past_day("from", from, today)) {
            Some(None) => errors.keep(Err(FieldError::new("from", "profile.why.required", ""))),
            other => other.flatten(),
        };
        let to = errors.keep(any_day("to", to)).flatten();
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors
                .0
                .push(FieldError::new("to", "profile.why.before_from", &to.to_string()));
        }
        match (position, from) {
            (Some(position), Some(from)) if errors.0.is_empty() => Ok(NewRole {
                position,
                unit,
                from,
                to,
            }),
            _ => Err(errors.0),
        }
    }
}

fn required<T>(field: &'static str, s: &str, parse: fn(&str) -> Option<T>) -> Result<T, FieldError> {
    listed(field, s, parse)?.ok_or_else(|| FieldError::new(field, "profile.why.required", ""))
}

/// A title or award of a year, given at a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTitle {
    pub year: Year,
    pub level: AwardLevel,
    pub kind: TitleKind,
    /// The decision or wording ("Bằng khen của UBND tỉnh, QĐ 123/QĐ-UBND").
    pub note: Option<String>,
}

impl NewTitle {
    pub fn parse(year: &str, level: &str, kind: &str, note: &str) -> Result<NewTitle, Vec<FieldError>> {
        let mut errors = Errors::default();
        let year = errors.keep(required("year", year, Year::parse));
        let level = errors.keep(required("level", level, AwardLevel::parse));
        let kind = errors.keep(required("kind", kind, TitleKind::parse));
        let note = errors.keep(short_text("note", note)).flatten();
        match (year, level, kind) {
            (Some(year), Some(level), Some(kind)) if errors.0.is_empty() => Ok(NewTitle {
                year,
                level,
                kind,
                note,
            }),
            _ => Err(errors.0),
        }
    }
}

/// A member's rating for a year, and whether the branch proposed them
/// to the Party that year as an outstanding member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    pub year: Year,
    pub rating: Rating,
    pub proposed_to_party: bool,
}

impl NewRating {
    pub fn parse(year: &str, rating: &str, proposed: &str) -> Result<NewRating, Vec<FieldError>> {
        let mut errors = Errors::default();
        let year = errors.keep(required("year", year, Year::parse));
        let rating = errors.keep(required("rating", rating, Rating::parse));
        let proposed = errors.keep(
            parse_yes_no(proposed).ok_or_else(|| FieldError::new("proposed_to_party", "profile.why.yes_no", proposed)),
        );
        match (year, rating, proposed) {
            (Some(year), Some(rating), Some(proposed)) if errors.0.is_empty() => Ok(NewRating {
                year,
                rating,
                proposed_to_party: proposed.unwrap_or(false),
            }),
            _ => Err(errors.0),
        }
    }
}

/// The largest photo taken.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// A member's photo: JPEG or PNG (by its first bytes, whatever the file
/// is called), at most 2 MB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    content_type: &'static str,
    bytes: Vec<u8>,
}

impl Photo {
    pub fn parse(bytes: Vec<u8>) -> Result<Photo, FieldError> {
        let content_type = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "image/jpeg"
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else {
            return Err(FieldError::new("photo", "profile.why.photo_type", ""));
        };
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(FieldError::new("photo", "profile.why.photo_size", ""));
        }
        Ok(Photo { content_type, bytes })
    }

    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |name| {
            fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        }
    }

    fn refused(fields: &[(&str, &str)]) -> Vec<(&'static str, &'static str)> {
        Profile::parse(form(fields))
            .expect_err("refused")
            .into_iter()
            .map(|e| (e.field, e.reason))
            .collect()
    }

    #[test]
    fn a_full_profile_reads_back_from_its_text() {
        let p = Profile::parse(form(&[
            ("cccd_issued_on", "15/03/2021"),
            ("current_address", "  Thôn  Đông, xã Tịnh Phong "),
            ("occupation", "Trồng trọt"),
            ("produce", "lúa"),
            ("farm_area_m2", "5.000"),
            ("herd_size", "12"),
            ("general_grade", "12/12"),
            ("vocational", "trung cap"),
            ("political_theory", "sơ cấp"),
            ("card_issued_on", "2022-01-10"),
            ("residential", "có"),
            ("professional", "on"),
            ("member_type", "honorary"),
            ("core_member", "yes"),
            ("party_member", "1"),
            ("party_joined_on", "03/02/2010"),
            ("party_official_on", "03/02/2011"),
            ("bhyt", "có"),
            ("bhyt_number", "gd 4 01 0123456789"),
            ("bhyt_expires_on", "31/12/2030"),
            ("bhxh", "không"),
        ]))
        .unwrap();
        assert_eq!(p.current_address.as_deref(), Some("Thôn Đông, xã Tịnh Phong"));
        assert_eq!(p.occupation, Some(Occupation::Crop));
        assert_eq!(p.farm_area_m2, Some(5000));
        assert_eq!(p.vocational, Some(Vocational::Intermediate));
        assert_eq!(p.political_theory, Some(PoliticalTheory::Elementary));
        assert_eq!(p.member_type, MemberType::Honorary);
        assert_eq!(p.bhyt_number.as_ref().unwrap().as_str(), "GD4010123456789");
        assert_eq!(p.bhxh, Some(false));
        let text = p.to_text();
        let again = Profile::parse(|name| text.iter().find(|(k, _)| *k == name).unwrap().1.clone()).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn each_field_is_checked_and_named() {
        assert_eq!(
            refused(&[("residential", "yes"), ("cccd_issued_on", "31/02/2020")]),
            [("cccd_issued_on", "profile.why.date")]
        );
        assert_eq!(
            refused(&[("residential", "yes"), ("card_issued_on", "01/01/2999")]),
            [("card_issued_on", "profile.why.future")]
        );
        assert_eq!(
            refused(&[("residential", "yes"), ("general_grade", "13/12")]),
            [("general_grade", "profile.why.choice")]
        );
        assert_eq!(
            refused(&[("residential", "yes"), ("farm_area_m2", "mười")]),
            [("farm_area_m2", "profile.why.number")]
        );
        assert_eq!(
            refused(&[("residential", "yes"), ("herd_size", "99999999999")]),
            [("herd_size", "profile.why.number")]
        );
        for not_whole in ["5000.5", "5,00", "-3", "1.2.3"] {
            assert_eq!(
                refused(&[("residential", "yes"), ("farm_area_m2", not_whole)]),
                [("farm_area_m2", "profile.why.number")],
                "{not_whole}"
            );
        }
        assert_eq!(
            refused(&[("residential", "yes"), ("farm_area_m2", "200000000")]),
            [("farm_area_m2", "profile.why.too_large")]
        );
        assert_eq!(
            refused(&[("residential", "yes"), ("occupation", "phi công")]),
            [("occupation", "profile.why.choice")]
        );
        assert_eq!(
            refused(&[("residential", "có lẽ")]),
            [("residential", "profile.why.yes_no")]
        );
        assert_eq!(refused(&[]), [("residential", "profile.why.no_branch_kind")]);
        assert_eq!(
            refused(&[("residential", "yes"), ("bhyt", "yes"), ("bhyt_number", "123")]),
            [("bhyt_number", "profile.why.choice")]
        );
        assert_eq!(
            refused(&[
                ("residential", "yes"),
                ("bhxh", "yes"),
                ("bhxh_number", "GD4010123456789")
            ]),
            [("bhxh_number", "profile.why.bhxh_number")]
        );
        assert_eq!(
            refused(&[("residential", "yes"), ("bhyt_number", "0123456789")]),
            [("bhyt_number", "profile.why.no_bhyt")]
        );
        assert_eq!(
            refused(&[("residential", "yes"), ("party_joined_on", "01/01/2010")]),
            [("party_joined_on", "profile.why.not_party")]
        );
        assert_eq!(
            refused(&[
                ("residential", "yes"),
                ("party_member", "yes"),
                ("party_joined_on", "01/01/2010"),
                ("party_official_on", "01/01/2009"),
            ]),
            [("party_official_on", "profile.why.before_joined")]
        );
        let e = Profile::parse(form(&[("residential", "yes"), ("general_grade", "13/12")])).unwrap_err();
        assert_eq!(
            e[0].message(Lang::Vi),
            "Trình độ văn hóa \"13/12\": không có trong danh sách hoặc sai dạng."
        );
        assert!(e[0].message(Lang::En).starts_with("General education \"13/12\""));
    }

    #[test]
    fn roles_titles_and_ratings_are_checked() {
        let role = NewRole::parse("Chi hội trưởng", "00004-CH01", "01/01/2020", "").unwrap();
        assert_eq!(role.position, Position::BranchHead);
        let e = NewRole::parse("vua", "", "", "").unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| (e.field, e.reason)).collect();
        assert_eq!(
            fields,
            [("position", "profile.why.choice"), ("from", "profile.why.required")]
        );
        let e = NewRole::parse("branch_head", "", "01/01/2020", "01/01/2019").unwrap_err();
        assert_eq!(e[0].field, "to");
        let title = NewTitle::parse("2024", "cấp tỉnh", "excellent_farmer", "").unwrap();
        assert_eq!(title.level, AwardLevel::Province);
        assert_eq!(
            NewTitle::parse("1900", "commune", "merit", "").unwrap_err()[0].field,
            "year"
        );
        let next = (Day::today().year() + 1).to_string();
        assert_eq!(
            NewTitle::parse(&next, "commune", "merit", "").unwrap_err()[0].field,
            "year"
        );
        let r = NewRating::parse("2025", "Hoàn thành tốt nhiệm vụ", "có").unwrap();
        assert_eq!((r.rating, r.proposed_to_party), (Rating::Good, true));
        assert_eq!(NewRating::parse("2025", "xuất sắc", "").unwrap_err()[0].field, "rating");
    }

    #[test]
    fn photos_are_jpeg_or_png_up_to_two_megabytes() {
        let jpeg = [vec![0xFF, 0xD8, 0xFF, 0xE0], vec![0; 100]].concat();
        assert_eq!(Photo::parse(jpeg).unwrap().content_type(), "image/jpeg");
        let png = [b"\x89PNG\r\n\x1a\n".to_vec(), vec![0; 100]].concat();
        assert_eq!(Photo::parse(png).unwrap().content_type(), "image/png");
        assert_eq!(
            Photo::parse(b"GIF89a....".to_vec()).unwrap_err().reason,
            "profile.why.photo_type"
        );
        let big = [vec![0xFF, 0xD8, 0xFF], vec![0; MAX_PHOTO_BYTES]].concat();
        assert_eq!(Photo::parse(big).unwrap_err().reason, "profile.why.photo_size");
    }
}
