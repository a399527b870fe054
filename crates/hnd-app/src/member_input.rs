//! The input of [`crate::App::add_member`]: a person to enter as typed
//! (the texts a web form or a JSON body carries, alike), and what those
//! texts are parsed into, or why each field is refused.

use hnd_domain::person::CccdError;
use hnd_domain::{BirthDate, Cccd, Day, Ethnicity, Lang, MemberError, Phone, Sex, UnitCode, i18n};
use hnd_store::NewMember;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Field → why it is refused, in the fields' order.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// A person to enter, as typed: every field a text, empty when not given.
/// The web form and the API's body both read into it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct NewMemberText {
    #[serde(default)]
    pub full_name: String,
    /// dd/mm/yyyy, or the year alone.
    #[serde(default)]
    pub birth: String,
    /// `male` or `female`.
    #[serde(default)]
    pub sex: String,
    /// GSO code of the ethnic group.
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub religion: String,
    #[serde(default)]
    pub cccd: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub village: String,
    /// Code of the branch or group.
    #[serde(default)]
    pub unit: String,
    /// Day of the application, dd/mm/yyyy; today when empty.
    #[serde(default)]
    pub date: String,
}

/// What [`crate::App::add_member`] is asked: the person, the day of the
/// application, and whether a CCCD that disagrees with the birth year or
/// sex is accepted.
#[derive(Debug, Clone)]
pub struct AddMember {
    pub member: NewMember,
    pub date: Day,
    pub accept_warnings: bool,
}

impl AddMember {
    /// The input `text` gives, or each field's refusal in `lang`.
    pub fn parse(text: &NewMemberText, accept_warnings: bool, lang: Lang) -> Result<AddMember, FieldErrors> {
        let mut errors = FieldErrors::new();
        let t = |key: &str| i18n::t(lang, key, &[]);
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let name = text.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errors.insert("full_name", t("import.empty"));
        } else if name.chars().count() > 100 {
            errors.insert("full_name", MemberError::BadName { name: name.clone() }.message(lang));
        }
        let birth = match opt(&text.birth) {
            None => {
                errors.insert("birth", t("import.empty"));
                None
            }
            Some(b) => {
                let parsed = BirthDate::parse(&b);
                if parsed.is_none() {
                    errors.insert("birth", t("web.bad_birth"));
                }
                parsed
            }
        };
        let sex = Sex::parse(&text.sex);
        if sex.is_none() {
            errors.insert("sex", t("import.bad_sex"));
        }
        let ethnicity = opt(&text.ethnicity).map(|e| Ethnicity::parse(&e));
        if matches!(ethnicity, Some(None)) {
            errors.insert("ethnicity", t("import.bad_ethnicity"));
        }
        let cccd = opt(&text.cccd).map(|c| Cccd::parse(&c));
        if let Some(Err(e)) = &cccd {
            let message = match e {
                CccdError::Length(n) => i18n::t(lang, "web.cccd_length", &[("count", n)]),
                CccdError::NotDigits => t("import.bad_cccd"),
            };
            errors.insert("cccd", message);
        }
        let phone = opt(&text.phone).map(|p| Phone::parse(&p));
        if matches!(phone, Some(Err(_))) {
            errors.insert("phone", t("import.bad_phone"));
        }
        let unit = UnitCode::parse(text.unit.trim());
        if unit.is_err() {
            errors.insert("unit", t("import.bad_code"));
        }
        let date = match opt(&text.date) {
            None => Some(Day::today()),
            Some(d) => Day::parse(&d).ok(),
        };
        if date.is_none() {
            errors.insert("date", t("import.bad_date"));
        }
        match (birth, sex, unit, date) {
            (Some(birth), Some(sex), Ok(unit), Some(date)) if errors.is_empty() => Ok(AddMember {
                member: NewMember {
                    full_name: name,
                    birth,
                    sex,
                    ethnicity: ethnicity.flatten(),
                    religion: opt(&text.religion),
                    cccd: cccd.and_then(Result::ok),
                    phone: phone.and_then(Result::ok),
                    village: opt(&text.village),
                    unit,
                },
                date,
                accept_warnings,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(fields: &[(&str, &str)]) -> NewMemberText {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        };
        NewMemberText {
            full_name: get("full_name"),
            birth: get("birth"),
            sex: get("sex"),
            ethnicity: get("ethnicity"),
            religion: get("religion"),
            cccd: get("cccd"),
            phone: get("phone"),
            village: get("village"),
            unit: get("unit"),
            date: get("date"),
        }
    }

    #[test]
    fn a_person_as_typed_becomes_the_operations_input() {
        let input = AddMember::parse(
            &text(&[
                ("full_name", "  Nguyễn   Thị Hoà "),
                ("birth", "1980"),
                ("sex", "female"),
                ("phone", "0912 345 678"),
                ("unit", "00004-A"),
                ("date", "01/02/2026"),
            ]),
            true,
            Lang::Vi,
        )
        .unwrap();
        assert_eq!(input.member.full_name, "Nguyễn Thị Hoà");
        assert_eq!(input.member.birth.year(), 1980);
        assert_eq!(input.member.unit.as_str(), "00004-A");
        assert_eq!(input.date, Day::parse("01/02/2026").unwrap());
        assert!(input.accept_warnings && input.member.phone.is_some() && input.member.cccd.is_none());
    }

    #[test]
    fn each_refused_field_is_named_in_vietnamese_first() {
        let errors = AddMember::parse(
            &text(&[("birth", "31/02/1980"), ("sex", "x"), ("cccd", "123"), ("unit", "")]),
            false,
            Lang::Vi,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.keys().copied().collect();
        assert_eq!(fields, ["birth", "cccd", "full_name", "sex", "unit"]);
        assert!(
            errors["cccd"].contains("có 3 chữ số"),
            "names how many digits: {}",
            errors["cccd"]
        );
        let english = AddMember::parse(&text(&[]), false, Lang::En).unwrap_err();
        assert_ne!(english["full_name"], errors["full_name"], "the reader's language");
    }
}
