//! Values as member lists write them, put as the template writes them:
//! dates as text in any order and separator, Excel day numbers, a year
//! alone; CCCD with spaces or its leading zero lost, an old 9-digit CMND
//! (not kept); phones with spaces or +84; occupations by their everyday
//! names; a branch by its name. What cannot be put right is left as it
//! is, for the template's checks to refuse with the row and the reason.

use crate::fields::canonical_index;
use crate::legacy::Legacy;
use chrono::{Datelike, Duration, NaiveDate};
use hnd_domain::{Day, Phone, fold};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// A cell's text: legacy text read back to Unicode, composed (NFC).
pub fn clean(text: &str, legacy: Option<Legacy>) -> String {
    let text = match legacy {
        Some(l) => crate::legacy::convert(text, l),
        None => text.to_string(),
    };
    if text.chars().any(|c| ('\u{300}'..='\u{36F}').contains(&c)) {
        text.nfc().collect()
    } else {
        text
    }
}

/// Whether a cell is a mark: "X", "x", "✓", "v", "1", "có".
pub fn is_mark(text: &str) -> bool {
    matches!(
        fold(text).as_str(),
        "x" | "v" | "1" | "✓" | "✔" | "×" | "*" | "+" | "co" | "(x)" | "xx"
    )
}

/// A date as dd/mm/yyyy when it can be read as one; a year alone stays.
pub fn date_text(text: &str) -> String {
    let t = text.trim().trim_start_matches('\'').trim();
    if t.is_empty() {
        return String::new();
    }
    let digits = t.bytes().all(|b| b.is_ascii_digit());
    if digits && t.len() == 4 {
        return t.to_string();
    }
    // An Excel day number (1 = 01/01/1900): 10000 is 18/05/1927, 80000 is 2119.
    if digits
        && (3..=5).contains(&t.len())
        && let Ok(n) = t.parse::<i64>()
        && (10_000..=80_000).contains(&n)
    {
        let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a day");
        if let Some(d) = base.checked_add_signed(Duration::days(n)) {
            return format!("{:02}/{:02}/{}", d.day(), d.month(), d.year());
        }
    }
    // A date and a time: the date.
    let t = t.split(['T', ' ']).next().filter(|d| d.len() >= 8).unwrap_or(t);
    let numbers: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if numbers.len() == 3 && numbers.iter().all(|n| n.len() <= 4) {
        let (d, m, y) = if numbers[0].len() == 4 {
            (numbers[2], numbers[1], numbers[0])
        } else {
            (numbers[0], numbers[1], numbers[2])
        };
        let year = match y.len() {
            4 => y.parse::<i32>().ok(),
            2 => y.parse::<i32>().ok().map(|yy| {
                let now = Day::today().year() % 100;
                if yy <= now { 2000 + yy } else { 1900 + yy }
            }),
            _ => None,
        };
        if let (Ok(d), Ok(m), Some(y)) = (d.parse::<u32>(), m.parse::<u32>(), year)
            && NaiveDate::from_ymd_opt(y, m, d).is_some()
        {
            return format!("{d:02}/{m:02}/{y}");
        }
    }
    text.trim().to_string()
}

/// The digits of an identity number, spaces, dots and a leading quote gone.
fn digits(text: &str) -> Option<String> {
    let t: String = text
        .trim()
        .trim_start_matches('\'')
        .chars()
        .filter(|c| !(c.is_whitespace() || ".-".contains(*c)))
        .collect();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
}

/// A CCCD as 12 digits (the leading zeros a number cell lost put back:
/// its first three digits are a province code, 001–096); an old CMND (8
/// or 9 digits) is not kept: "".
pub fn cccd_text(text: &str) -> String {
    match digits(text) {
        Some(d) if d.len() == 12 => d,
        Some(d) if d.len() == 11 || d.len() == 10 => format!("{d:0>12}"),
        Some(d) if d.len() == 9 || d.len() == 8 => String::new(),
        _ => text.trim().to_string(),
    }
}

/// Whether a cell holds a CCCD (12 digits, or 11 that lost their zero).
pub fn is_cccd(text: &str) -> bool {
    digits(text).is_some_and(|d| d.len() == 12 || d.len() == 11)
}

/// Whether a cell holds an old CMND (9 digits, or 8 that lost their zero).
pub fn is_cmnd(text: &str) -> bool {
    digits(text).is_some_and(|d| d.len() == 9 || d.len() == 8)
}

/// A phone as the register keeps it; a number cell that lost its leading
/// zero gets it back.
pub fn phone_text(text: &str) -> String {
    let t = text.trim().trim_start_matches('\'').trim();
    if let Some(d) = digits(t)
        && d.len() == 9
        && b"35789".contains(&d.as_bytes()[0])
    {
        return format!("0{d}");
    }
    t.to_string()
}

pub fn is_phone(text: &str) -> bool {
    Phone::parse(&phone_text(text)).is_ok()
}

/// Whether a cell holds a date (a year alone included).
pub fn is_date(text: &str) -> bool {
    let d = date_text(text);
    Day::parse(&d).is_ok() || (d.len() == 4 && d.parse::<i32>().is_ok_and(|y| (1900..=2100).contains(&y)))
}

/// Occupations by the names lists give them: (folded words, code).
const OCCUPATIONS: [(&str, &str); 30] = [
    ("trong trot", "crop"),
    ("nong dan", "crop"),
    ("nong nghiep", "crop"),
    ("lam ruong", "crop"),
    ("trong lua", "crop"),
    ("chan nuoi", "livestock"),
    ("thuy san", "aquaculture"),
    ("nuoi trong", "aquaculture"),
    ("danh bat", "aquaculture"),
    ("ngu dan", "aquaculture"),
    ("ngu nghiep", "aquaculture"),
    ("lam nghiep", "forestry"),
    ("trong rung", "forestry"),
    ("dich vu", "services"),
    ("kinh doanh", "services"),
    ("buon ban", "services"),
    ("tieu thuong", "services"),
    ("thuong mai", "services"),
    ("lam thue", "wage"),
    ("cong nhan", "wage"),
    ("lao dong tu do", "wage"),
    ("can bo", "civil"),
    ("cong chuc", "civil"),
    ("vien chuc", "civil"),
    ("cbcc", "civil"),
    ("cnvc", "civil"),
    ("huu tri", "retired"),
    ("nghi huu", "retired"),
    ("huu", "retired"),
    ("khac", "other"),
];

/// Whether `phrase` (folded words) is among the words of `text` (folded,
/// punctuation as spaces).
pub fn has_words(text: &str, phrase: &str) -> bool {
    let t = format!(" {text} ");
    t.contains(&format!(" {phrase} "))
}

/// The occupation a name stands for.
pub fn occupation_of(text: &str) -> Option<&'static str> {
    let key = crate::fields::name_key(text);
    if let Some(o) = hnd_domain::profile::Occupation::parse(text) {
        return Some(o.code());
    }
    OCCUPATIONS
        .iter()
        .find(|(words, _)| has_words(&key, words))
        .map(|(_, code)| *code)
}

/// Puts a row's template cells as the template writes them (see the
/// module's note), with the rules across fields: a date of joining the
/// Party makes a Party member, an insurance number an insured one, and a
/// member in no kind of branch a residential one.
pub fn normalise(cells: &mut [String], branches: &HashMap<String, String>, default_branch: Option<&str>) {
    let at = |field: &str| canonical_index(field).expect("a field");
    for field in ["birth", "joined_on"] {
        let i = at(field);
        cells[i] = date_text(&cells[i]);
    }
    for f in hnd_domain::profile::FIELD_LIST {
        let i = at(f.name);
        match f.kind {
            hnd_domain::profile::Kind::Day => cells[i] = date_text(&cells[i]),
            hnd_domain::profile::Kind::YesNo if is_mark(&cells[i]) => cells[i] = "có".to_string(),
            hnd_domain::profile::Kind::List if f.name == "occupation" && !cells[i].is_empty() => {
                if let Some(code) = occupation_of(&cells[i]) {
                    cells[i] = code.to_string();
                }
            }
            _ => {}
        }
    }
    let cccd = at("cccd");
    cells[cccd] = cccd_text(&cells[cccd]);
    // No sex written: the CCCD's fourth digit tells it.
    let sex = at("sex");
    if cells[sex].is_empty()
        && let Ok(id) = hnd_domain::Cccd::parse(&cells[cccd])
    {
        cells[sex] = id.century_and_sex().1.as_str().to_string();
    }
    let phone = at("phone");
    cells[phone] = phone_text(&cells[phone]);
    let branch = at("branch");
    if cells[branch].is_empty() {
        cells[branch] = default_branch.unwrap_or_default().to_string();
    } else if let Some(code) = branches.get(&crate::fields::name_key(&cells[branch])) {
        cells[branch] = code.clone();
    }
    let implies = [
        ("party_member", ["party_joined_on", "party_official_on"]),
        ("bhyt", ["bhyt_number", "bhyt_expires_on"]),
        ("bhxh", ["bhxh_number", "bhxh_number"]),
    ];
    for (field, by) in implies {
        if cells[at(field)].is_empty() && by.iter().any(|b| !cells[at(b)].is_empty()) {
            cells[at(field)] = "có".to_string();
        }
    }
    let (residential, professional) = (at("residential"), at("professional"));
    let profile_given = (MEMBER_CELLS..cells.len()).any(|i| i != residential && !cells[i].is_empty());
    if profile_given && cells[residential].is_empty() {
        let professional_only = hnd_domain::profile::parse_yes_no(&cells[professional]) == Some(Some(true));
        cells[residential] = if professional_only { "không" } else { "có" }.to_string();
    }
}

const MEMBER_CELLS: usize = crate::fields::MEMBER_FIELDS.len();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_lists_write_them() {
        for (typed, read) in [
            ("12/05/1985", "12/05/1985"),
            ("12-5-1985", "12/05/1985"),
            ("1985-05-12", "12/05/1985"),
            ("12.05.1985", "12/05/1985"),
            ("1985-05-12 00:00:00", "12/05/1985"),
            ("31179", "12/05/1985"),
            ("1975", "1975"),
            ("30/02/1985", "30/02/1985"),
            ("không rõ", "không rõ"),
        ] {
            assert_eq!(date_text(typed), read, "{typed}");
        }
        assert_eq!(cccd_text("001 185 000 012"), "001185000012");
        assert_eq!(cccd_text("1185000012"), "001185000012");
        assert_eq!(cccd_text("11185000012"), "011185000012");
        assert_eq!(cccd_text("123456789"), "");
        assert_eq!(phone_text("912 345 678"), "0912345678");
        assert!(is_phone("+84 912 345 678"));
        assert_eq!(occupation_of("Nông dân"), Some("crop"));
        assert_eq!(occupation_of("CB hưu trí"), Some("retired"));
        assert_eq!(occupation_of("Chăn nuôi"), Some("livestock"));
    }
}
