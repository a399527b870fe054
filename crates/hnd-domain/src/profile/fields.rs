//! The fields of a member's profile, declared once.
//!
//! [`profile_fields!`] below is the one list: each field's name, type,
//! default, whether it is personal data, and its column in the member
//! sheet (import template and export). The [`Profile`] struct, the lists
//! [`FIELDS`], [`SENSITIVE`] and [`SHEET_FIELDS`], the table
//! [`FIELD_LIST`] (kind, label key, choices) that forms, the OpenAPI
//! schema and the store's columns read, the text and stored forms of a
//! profile, and what a change by who may not see personal data keeps,
//! all follow from it. The checks of [`Profile::parse`] are rules, not
//! lists, and stay written field by field.

use super::{
    GeneralGrade, InsuranceNumber, MemberType, Occupation, PoliticalTheory, Vocational, parse_yes_no, yes_no_text,
};
use crate::Day;
use crate::i18n::{Lang, t};

/// How a field's value is written and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A short free text.
    Text,
    /// A day, dd/mm/yyyy (stored ISO).
    Day,
    /// A value of a closed list, by its code.
    List,
    /// A whole number.
    Count,
    /// A general school grade (9/12).
    Grade,
    /// Yes or no.
    YesNo,
    /// An insurance number.
    Insurance,
}

impl Kind {
    /// Stored as a number (else as text).
    pub fn is_int(self) -> bool {
        matches!(self, Kind::Count | Kind::YesNo)
    }
}

/// A field's value as a database column holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Text(Option<String>),
    Int(Option<i64>),
}

impl Stored {
    /// Nothing, in the column type of `kind`.
    pub fn null(kind: Kind) -> Stored {
        if kind.is_int() {
            Stored::Int(None)
        } else {
            Stored::Text(None)
        }
    }
}

/// The closed list of a field, as (code, label) pairs.
type Choices = fn(Lang) -> Option<Vec<(&'static str, String)>>;

/// One value of a field, as text and as stored.
pub trait Scalar: Sized {
    const KIND: Kind;
    /// As [`super::Profile::parse`] reads it back.
    fn text(&self) -> String;
    /// Its text, unless it is stored otherwise.
    fn stored(&self) -> Stored {
        Stored::Text(Some(self.text()))
    }
    /// `None` for what no value of this type was stored as.
    fn from_stored(stored: &Stored) -> Option<Self>;
    fn choices(_lang: Lang) -> Option<Vec<(&'static str, String)>> {
        None
    }
}

/// The value of a field (a [`Scalar`] or none).
pub trait FieldValue: Sized {
    const KIND: Kind;
    fn text(&self) -> String;
    fn stored(&self) -> Stored;
    /// `None`: nothing usable stored, the field's default.
    fn from_stored(stored: &Stored) -> Option<Self>;
    fn choices(lang: Lang) -> Option<Vec<(&'static str, String)>>;
}

impl<T: Scalar> FieldValue for Option<T> {
    const KIND: Kind = T::KIND;
    fn text(&self) -> String {
        self.as_ref().map(Scalar::text).unwrap_or_default()
    }
    fn stored(&self) -> Stored {
        self.as_ref().map(Scalar::stored).unwrap_or(Stored::null(T::KIND))
    }
    fn from_stored(stored: &Stored) -> Option<Self> {
        Some(T::from_stored(stored))
    }
    fn choices(lang: Lang) -> Option<Vec<(&'static str, String)>> {
        T::choices(lang)
    }
}

/// Fields that always hold a value.
macro_rules! always {
    ($($ty:ty),+) => {$(
        impl FieldValue for $ty {
            const KIND: Kind = <$ty as Scalar>::KIND;
            fn text(&self) -> String {
                Scalar::text(self)
            }
            fn stored(&self) -> Stored {
                Scalar::stored(self)
            }
            fn from_stored(stored: &Stored) -> Option<Self> {
                <$ty as Scalar>::from_stored(stored)
            }
            fn choices(lang: Lang) -> Option<Vec<(&'static str, String)>> {
                <$ty as Scalar>::choices(lang)
            }
        }
    )+};
}
always!(bool, MemberType);

fn text_of(stored: &Stored) -> Option<&str> {
    match stored {
        Stored::Text(t) => t.as_deref(),
        Stored::Int(_) => None,
    }
}

fn int_of(stored: &Stored) -> Option<i64> {
    match stored {
        Stored::Int(n) => *n,
        Stored::Text(_) => None,
    }
}

impl Scalar for Day {
    const KIND: Kind = Kind::Day;
    fn text(&self) -> String {
        self.to_string()
    }
    fn stored(&self) -> Stored {
        Stored::Text(Some(self.iso()))
    }
    fn from_stored(stored: &Stored) -> Option<Day> {
        Day::from_iso(text_of(stored)?).ok()
    }
}

impl Scalar for String {
    const KIND: Kind = Kind::Text;
    fn text(&self) -> String {
        self.clone()
    }
    fn from_stored(stored: &Stored) -> Option<String> {
        text_of(stored).map(str::to_string)
    }
}

impl Scalar for u32 {
    const KIND: Kind = Kind::Count;
    fn text(&self) -> String {
        self.to_string()
    }
    fn stored(&self) -> Stored {
        Stored::Int(Some(i64::from(*self)))
    }
    fn from_stored(stored: &Stored) -> Option<u32> {
        u32::try_from(int_of(stored)?).ok()
    }
}

impl Scalar for bool {
    const KIND: Kind = Kind::YesNo;
    fn text(&self) -> String {
        yes_no_text(*self)
    }
    fn stored(&self) -> Stored {
        Stored::Int(Some(i64::from(*self)))
    }
    fn from_stored(stored: &Stored) -> Option<bool> {
        int_of(stored).map(|n| n != 0)
    }
}

/// Values read back from their text by their own `parse`.
macro_rules! parsed {
    ($($ty:ty => $kind:expr),+) => {$(
        impl Scalar for $ty {
            const KIND: Kind = $kind;
            fn text(&self) -> String {
                self.to_string()
            }
            fn from_stored(stored: &Stored) -> Option<$ty> {
                <$ty>::parse(text_of(stored)?)
            }
        }
    )+};
}
parsed!(GeneralGrade => Kind::Grade, InsuranceNumber => Kind::Insurance);

/// The closed lists a field may take.
macro_rules! lists {
    ($($ty:ty),+) => {$(
        impl Scalar for $ty {
            const KIND: Kind = Kind::List;
            fn text(&self) -> String {
                self.code().to_string()
            }
            fn from_stored(stored: &Stored) -> Option<$ty> {
                <$ty>::from_code(text_of(stored)?)
            }
            fn choices(lang: Lang) -> Option<Vec<(&'static str, String)>> {
                Some(<$ty>::choices(lang))
            }
        }
    )+};
}
lists!(Occupation, Vocational, PoliticalTheory, MemberType);

/// A profile field, as [`FIELD_LIST`] describes it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Its name in forms, JSON, the command line and the table's column.
    pub name: &'static str,
    pub kind: Kind,
    /// Personal data (Decree 13/2023): shown only to who may see the
    /// member's sensitive data, masked or left out for everyone else.
    pub personal: bool,
    /// Locale key of its label.
    pub label: &'static str,
    /// Its column in the member sheet: (place, header).
    pub sheet: Option<(usize, &'static str)>,
    /// Its closed list, if it has one.
    pub choices: Choices,
}

/// Declares the profile's fields: from this one list follow the struct,
/// its default, [`FIELD_LIST`], the text and stored forms.
macro_rules! profile_fields {
    ($($(#[$doc:meta])* $name:ident: $ty:ty = $default:expr, personal: $personal:literal, sheet: $sheet:expr;)+) => {
        /// The scalar part of a member's profile. Every field is optional but
        /// the member type and the kind of membership (residential by default).
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        pub struct Profile {
            $($(#[$doc])* pub $name: $ty,)+
        }

        impl Default for Profile {
            fn default() -> Profile {
                Profile { $($name: $default,)+ }
            }
        }

        /// Every field, in form order.
        pub const FIELD_LIST: &[Field] = &[$(Field {
            name: stringify!($name),
            kind: <$ty as FieldValue>::KIND,
            personal: $personal,
            label: concat!("profile.field.", stringify!($name)),
            sheet: $sheet,
            choices: <$ty as FieldValue>::choices,
        },)+];

        impl Profile {
            /// Each field as text, in [`FIELDS`] order, as [`Profile::parse`]
            /// reads it back: dates dd/mm/yyyy, lists by code, yes/no.
            pub fn to_text(&self) -> Vec<(&'static str, String)> {
                vec![$((stringify!($name), FieldValue::text(&self.$name)),)+]
            }

            /// Each field as its column holds it, in [`FIELDS`] order.
            pub fn stored(&self) -> Vec<Stored> {
                vec![$(FieldValue::stored(&self.$name),)+]
            }

            /// The profile its columns hold, in [`FIELDS`] order; a field
            /// missing or unreadable is at its default.
            pub fn from_stored(values: &[Stored]) -> Profile {
                let mut values = values.iter();
                let default = Profile::default();
                Profile {
                    $($name: values
                        .next()
                        .and_then(<$ty as FieldValue>::from_stored)
                        .unwrap_or(default.$name),)+
                }
            }

            /// This profile with the personal fields of `kept` instead of its own:
            /// what a change by someone who may not see them leaves in place.
            pub fn keeping_sensitive(mut self, kept: &Profile) -> Profile {
                $(if $personal {
                    self.$name = kept.$name.clone();
                })+
                self
            }
        }
    };
}

profile_fields! {
    /// Ngày cấp CCCD.
    cccd_issued_on: Option<Day> = None, personal: true, sheet: None;
    /// Nơi ở hiện nay (the village in the register is the permanent one).
    current_address: Option<String> = None, personal: false, sheet: None;
    occupation: Option<Occupation> = None, personal: false, sheet: Some((0, "Nghề nghiệp"));
    /// What the household produces ("lúa", "bò thịt", "tôm").
    produce: Option<String> = None, personal: false, sheet: None;
    /// Area farmed, in m².
    farm_area_m2: Option<u32> = None, personal: false, sheet: None;
    /// Head of livestock or poultry.
    herd_size: Option<u32> = None, personal: false, sheet: None;
    general_grade: Option<GeneralGrade> = None, personal: false, sheet: Some((1, "Trình độ văn hóa"));
    vocational: Option<Vocational> = None, personal: false, sheet: None;
    political_theory: Option<PoliticalTheory> = None, personal: false, sheet: None;
    /// Ngày cấp thẻ hội viên.
    card_issued_on: Option<Day> = None, personal: false, sheet: None;
    /// Sinh hoạt ở chi hội địa bàn dân cư.
    residential: bool = true, personal: false, sheet: None;
    /// Sinh hoạt ở chi hội, tổ hội nghề nghiệp (a member may be in both).
    professional: bool = false, personal: false, sheet: None;
    member_type: MemberType = MemberType::Regular, personal: false, sheet: None;
    /// Hội viên nòng cốt.
    core_member: bool = false, personal: false, sheet: None;
    party_member: bool = false, personal: true, sheet: Some((4, "Đảng viên"));
    /// Ngày vào Đảng.
    party_joined_on: Option<Day> = None, personal: true, sheet: Some((5, "Ngày vào Đảng"));
    /// Ngày chính thức.
    party_official_on: Option<Day> = None, personal: true, sheet: None;
    /// Has health insurance; `None`: not known.
    bhyt: Option<bool> = None, personal: true, sheet: Some((2, "BHYT"));
    bhyt_number: Option<InsuranceNumber> = None, personal: true, sheet: None;
    bhyt_expires_on: Option<Day> = None, personal: true, sheet: None;
    /// Has voluntary social insurance; `None`: not known.
    bhxh: Option<bool> = None, personal: true, sheet: Some((3, "BHXH tự nguyện"));
    bhxh_number: Option<InsuranceNumber> = None, personal: true, sheet: None;
}

/// How many fields are personal (`personal`), or in the sheet.
const fn count(personal: bool) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < FIELD_LIST.len() {
        let f = &FIELD_LIST[i];
        if (personal && f.personal) || (!personal && f.sheet.is_some()) {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The names of the personal fields, in form order.
const fn personal<const N: usize>() -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < FIELD_LIST.len() {
        if FIELD_LIST[i].personal {
            out[n] = FIELD_LIST[i].name;
            n += 1;
        }
        i += 1;
    }
    out
}

/// (header, field) of the sheet's columns, in the sheet's order.
const fn sheet<const N: usize>() -> [(&'static str, &'static str); N] {
    let mut out = [("", ""); N];
    let mut i = 0;
    while i < FIELD_LIST.len() {
        if let Some((at, header)) = FIELD_LIST[i].sheet {
            out[at] = (header, FIELD_LIST[i].name);
        }
        i += 1;
    }
    out
}

const fn names<const N: usize>() -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = FIELD_LIST[i].name;
        i += 1;
    }
    out
}

/// The profile's fields, in form order.
pub const FIELDS: [&str; FIELD_LIST.len()] = names();

/// Personal data (Decree 13/2023): shown only to who may see the
/// member's sensitive data, masked or left out for everyone else.
pub const SENSITIVE: [&str; count(true)] = personal();

/// The member sheet's profile columns (import template and export):
/// (header, field), in the sheet's order.
pub const SHEET_COLUMNS: [(&str, &str); count(false)] = sheet();

/// The fields the member sheet carries, in the sheet's order.
pub const SHEET_FIELDS: [&str; count(false)] = {
    let mut out = [""; count(false)];
    let mut i = 0;
    while i < out.len() {
        out[i] = SHEET_COLUMNS[i].1;
        i += 1;
    }
    out
};

/// The field named `name`.
pub fn field(name: &str) -> Option<&'static Field> {
    FIELD_LIST.iter().find(|f| f.name == name)
}

/// Whether `field` is personal data.
pub fn is_sensitive(name: &str) -> bool {
    field(name).is_some_and(|f| f.personal)
}

/// The closed list a field takes its value from: (code, label) pairs.
pub fn choices(name: &str, lang: Lang) -> Option<Vec<(&'static str, String)>> {
    field(name).and_then(|f| (f.choices)(lang))
}

/// Fields that are yes/no; those that may be unknown are `Option<bool>`.
pub fn is_yes_no(name: &str) -> bool {
    field(name).is_some_and(|f| f.kind == Kind::YesNo)
}

impl Profile {
    /// Each field as a person reads it, in `lang`: labels of lists,
    /// "Có"/"Không", dates dd/mm/yyyy, areas and herds with thousands.
    pub fn display(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let yes_no = |b: bool| t(lang, if b { "profile.yes" } else { "profile.no" }, &[]);
        self.to_text()
            .into_iter()
            .zip(FIELD_LIST)
            .map(|((name, text), f)| {
                let shown = match f.kind {
                    Kind::List => (f.choices)(lang)
                        .and_then(|list| list.into_iter().find(|(code, _)| *code == text))
                        .map(|(_, label)| label),
                    Kind::Count => text.parse::<i64>().ok().map(|n| crate::fmt::int(n, lang)),
                    Kind::YesNo => parse_yes_no(&text).flatten().map(yes_no),
                    _ => Some(text),
                };
                (name, shown.unwrap_or_default())
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
            .find(|((name, value), (_, default))| is_sensitive(name) && value != default)
            .map(|((name, _), _)| name)
    }
}
