//! What identifies a member (hội viên): citizen id, phone, sex, birth
//! date, ethnicity. Values are parsed once at the edge; a value of these
//! types is valid.

use crate::Day;
use std::fmt;

/// Giới tính.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(&self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// Storage names and what people write: "Nam"/"Nữ", "male"/"female".
    pub fn parse(s: &str) -> Option<Sex> {
        match crate::fold(s).as_str() {
            "male" | "nam" | "m" => Some(Sex::Male),
            "female" | "nu" | "f" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// A member's place in their household (quan hệ với chủ hộ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HouseholdRole {
    Head,
    Spouse,
    Child,
    Parent,
    Other,
}

impl HouseholdRole {
    pub fn as_str(&self) -> &'static str {
        match self {
            HouseholdRole::Head => "head",
            HouseholdRole::Spouse => "spouse",
            HouseholdRole::Child => "child",
            HouseholdRole::Parent => "parent",
            HouseholdRole::Other => "other",
        }
    }

    /// Storage names and what people write: "chủ hộ", "vợ", "chồng", "con", "cha", "mẹ", "khác".
    pub fn parse(s: &str) -> Option<HouseholdRole> {
        match crate::fold(s).as_str() {
            "head" | "chu ho" => Some(HouseholdRole::Head),
            "spouse" | "vo" | "chong" | "vo/chong" => Some(HouseholdRole::Spouse),
            "child" | "con" => Some(HouseholdRole::Child),
            "parent" | "cha" | "me" | "bo" | "cha/me" => Some(HouseholdRole::Parent),
            "other" | "khac" => Some(HouseholdRole::Other),
            _ => None,
        }
    }
}

/// A household's category for a year (phân loại hộ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HouseholdCategory {
    /// Hộ nghèo.
    Poor,
    /// Hộ cận nghèo.
    NearPoor,
    /// Gia đình chính sách.
    Policy,
    Other,
}

impl HouseholdCategory {
    pub fn as_str(&self) -> &'static str {
        match self {
            HouseholdCategory::Poor => "poor",
            HouseholdCategory::NearPoor => "near_poor",
            HouseholdCategory::Policy => "policy",
            HouseholdCategory::Other => "other",
        }
    }

    /// Storage names and "nghèo", "cận nghèo", "chính sách", "khác".
    pub fn parse(s: &str) -> Option<HouseholdCategory> {
        match crate::fold(s).as_str() {
            "poor" | "ngheo" | "ho ngheo" => Some(HouseholdCategory::Poor),
            "near_poor" | "can ngheo" | "ho can ngheo" => Some(HouseholdCategory::NearPoor),
            "policy" | "chinh sach" | "gia dinh chinh sach" => Some(HouseholdCategory::Policy),
            "other" | "khac" => Some(HouseholdCategory::Other),
            _ => None,
        }
    }
}

/// Why a text is not a citizen id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CccdError {
    #[error("a citizen id has 12 digits, this has {0}")]
    Length(usize),
    #[error("a citizen id has only digits")]
    NotDigits,
}

/// Căn cước công dân: 12 digits. Digits 1–3 are the province where the
/// birth was registered (pre-2025 code list), digit 4 the century of
/// birth and sex, digits 5–6 the last two digits of the birth year
/// (Circular 59/2021/TT-BCA, art. 7).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cccd(String);

/// Something in a citizen id that disagrees with the rest of the record:
/// a warning a person may accept, not a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CccdWarning {
    /// The id says a birth year ending in `id_year` (or another century).
    BirthYear {
        id_year: i32,
        entered: i32,
    },
    Sex {
        id_sex: Sex,
        entered: Sex,
    },
}

impl Cccd {
    /// Spaces and dots that people type between digit groups are ignored.
    pub fn parse(s: &str) -> Result<Cccd, CccdError> {
        let digits: String = s.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(CccdError::NotDigits);
        }
        if digits.len() != 12 {
            return Err(CccdError::Length(digits.len()));
        }
        Ok(Cccd(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Province of birth registration (3 digits, pre-2025 codes).
    pub fn province(&self) -> &str {
        &self.0[..3]
    }

    /// Century and sex from digit 4: 0/1 the 1900s, 2/3 the 2000s, 4/5 the
    /// 2100s, 6/7 the 2200s, 8/9 the 1800s; even male, odd female.
    pub fn century_and_sex(&self) -> (i32, Sex) {
        let d = (self.0.as_bytes()[3] - b'0') as i32;
        let century = match d / 2 {
            0 => 1900,
            1 => 2000,
            2 => 2100,
            3 => 2200,
            _ => 1800,
        };
        (century, if d % 2 == 0 { Sex::Male } else { Sex::Female })
    }

    /// The birth year the id encodes.
    pub fn birth_year(&self) -> i32 {
        let (century, _) = self.century_and_sex();
        century + self.0[4..6].parse::<i32>().expect("digits checked")
    }

    /// The warnings this id raises against an entered birth year and sex.
    pub fn check(&self, birth_year: i32, sex: Sex) -> Vec<CccdWarning> {
        let mut out = Vec::new();
        if self.birth_year() != birth_year {
            out.push(CccdWarning::BirthYear {
                id_year: self.birth_year(),
                entered: birth_year,
            });
        }
        let (_, id_sex) = self.century_and_sex();
        if id_sex != sex {
            out.push(CccdWarning::Sex { id_sex, entered: sex });
        }
        out
    }

    /// Builds the id of a person: for sample data and tests.
    pub fn compose(province: &str, birth_year: i32, sex: Sex, serial: u32) -> Cccd {
        let century_digit = match birth_year / 100 {
            18 => 8,
            19 => 0,
            20 => 2,
            21 => 4,
            _ => 6,
        } + if sex == Sex::Female { 1 } else { 0 };
        Cccd(format!(
            "{province:0>3}{century_digit}{:02}{:06}",
            birth_year % 100,
            serial % 1_000_000
        ))
    }
}

impl fmt::Display for Cccd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a text is not a Vietnamese mobile number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a Vietnamese mobile number: {0}")]
pub struct PhoneError(pub String);

/// A Vietnamese mobile number, stored as `0` + 9 digits with a first
/// digit of 3, 5, 7, 8 or 9. `+84 912 345 678`, `84912345678` and
/// `0912.345.678` are the same number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Phone, PhoneError> {
        let bad = || PhoneError(s.to_string());
        let compact: String = s
            .chars()
            .filter(|c| !(c.is_whitespace() || ".-()".contains(*c)))
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if compact.len() == 11 && compact.starts_with("84") {
            format!("0{}", &compact[2..])
        } else {
            compact
        };
        let b = national.as_bytes();
        let ok = b.len() == 10 && b[0] == b'0' && b"35789".contains(&b[1]) && b.iter().all(u8::is_ascii_digit);
        if ok { Ok(Phone(national)) } else { Err(bad()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A birth date as lists give it: a full day, or only a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthDate {
    Day(Day),
    Year(i32),
}

impl BirthDate {
    /// `dd/mm/yyyy`, ISO, or a bare four-digit year from 1900 on.
    pub fn parse(s: &str) -> Option<BirthDate> {
        let s = s.trim();
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            let year: i32 = s.parse().ok()?;
            return (1900..=2100).contains(&year).then_some(BirthDate::Year(year));
        }
        Day::parse(s).ok().map(BirthDate::Day)
    }

    pub fn year(&self) -> i32 {
        match self {
            BirthDate::Day(d) => d.year(),
            BirthDate::Year(y) => *y,
        }
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthDate::Day(d) => write!(f, "{d}"),
            BirthDate::Year(y) => write!(f, "{y}"),
        }
    }
}

/// The 54 ethnic groups of Viet Nam with their statistical codes
/// (Decision 121-TCTK/PPCĐ of the General Statistics Office, 1979).
pub const ETHNIC_GROUPS: [(&str, &str); 54] = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khmer"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Hmông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra Glai"),
    ("22", "Xtiêng"),
    ("23", "Bru Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Gié Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ Măm"),
];

/// Dân tộc: one of [`ETHNIC_GROUPS`], by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ethnicity(&'static str, &'static str);

impl Ethnicity {
    /// By code ("01") or by name, accents and case ignored ("kinh", "Ê-đê").
    pub fn parse(s: &str) -> Option<Ethnicity> {
        let wanted = crate::fold(&s.replace('-', " "));
        ETHNIC_GROUPS
            .iter()
            .find(|(code, name)| *code == s.trim() || crate::fold(name) == wanted)
            .map(|(code, name)| Ethnicity(code, name))
    }

    pub fn code(&self) -> &'static str {
        self.0
    }

    pub fn name(&self) -> &'static str {
        self.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cccd_has_twelve_digits_and_encodes_birth() {
        assert_eq!(Cccd::parse("01234567890"), Err(CccdError::Length(11)));
        assert_eq!(Cccd::parse("0123456789012"), Err(CccdError::Length(13)));
        assert_eq!(Cccd::parse("03818600123a"), Err(CccdError::NotDigits));
        let id = Cccd::parse("051 1 85 001234").unwrap();
        assert_eq!(id.as_str(), "051185001234");
        assert_eq!(id.province(), "051");
        assert_eq!(id.century_and_sex(), (1900, Sex::Female));
        assert_eq!(id.birth_year(), 1985);
        assert!(id.check(1985, Sex::Female).is_empty());
        assert_eq!(
            id.check(1986, Sex::Male),
            [
                CccdWarning::BirthYear {
                    id_year: 1985,
                    entered: 1986
                },
                CccdWarning::Sex {
                    id_sex: Sex::Female,
                    entered: Sex::Male
                }
            ]
        );
        let young = Cccd::compose("92", 2003, Sex::Male, 42);
        assert_eq!(young.as_str(), "092203000042");
        assert_eq!(young.birth_year(), 2003);
    }

    #[test]
    fn phones_are_normalised_mobile_numbers() {
        for same in [
            "0912345678",
            "+84 912 345 678",
            "84912345678",
            "0912.345.678",
            "(091) 234-5678",
        ] {
            assert_eq!(Phone::parse(same).unwrap().as_str(), "0912345678", "{same}");
        }
        for bad in ["0212345678", "091234567", "09123456789", "abc", ""] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn birth_dates_may_be_only_a_year() {
        assert_eq!(BirthDate::parse("1962"), Some(BirthDate::Year(1962)));
        assert_eq!(BirthDate::parse("05/09/1962").map(|b| b.year()), Some(1962));
        assert_eq!(BirthDate::parse("31/02/1962"), None);
        assert_eq!(BirthDate::parse("62"), None);
    }

    #[test]
    fn household_roles_and_categories_as_people_write_them() {
        assert_eq!(HouseholdRole::parse("Chủ hộ"), Some(HouseholdRole::Head));
        assert_eq!(HouseholdRole::parse("Vợ"), Some(HouseholdRole::Spouse));
        assert_eq!(HouseholdCategory::parse("Cận nghèo"), Some(HouseholdCategory::NearPoor));
        assert_eq!(HouseholdCategory::parse("giàu"), None);
    }

    #[test]
    fn the_54_ethnic_groups_by_code_or_name() {
        assert_eq!(ETHNIC_GROUPS.len(), 54);
        assert_eq!(Ethnicity::parse("kinh").unwrap().code(), "01");
        assert_eq!(Ethnicity::parse("Ê-đê").unwrap().code(), "12");
        assert_eq!(Ethnicity::parse("54").unwrap().name(), "Rơ Măm");
        assert_eq!(Ethnicity::parse("Khác"), None);
        assert_eq!(Sex::parse("Nữ"), Some(Sex::Female));
    }
}
