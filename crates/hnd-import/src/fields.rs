//! The register's fields as a member sheet names them: the template's
//! headers, the names a mapping gives them, the template's cells a mapped
//! row becomes, and how a label or a branch name is folded for matching.

use hnd_domain::profile::{FIELDS, SHEET_FIELDS};
use hnd_domain::{Lang, fold, i18n::t};

pub const NAME: &str = "Họ và tên";
pub const BIRTH: &str = "Ngày sinh";
pub const SEX: &str = "Giới tính";
pub const ETHNICITY: &str = "Dân tộc";
pub const RELIGION: &str = "Tôn giáo";
pub const CCCD: &str = "Số CCCD";
pub const PHONE: &str = "Số điện thoại";
pub const VILLAGE: &str = "Thôn, tổ dân phố";
pub const UNIT: &str = "Mã chi hội, tổ hội";
pub const JOINED: &str = "Ngày vào Hội";
pub const DECISION: &str = "Số quyết định kết nạp";
/// Every column, in the template's order; export writes the same.
pub const MEMBER_COLUMNS: [&str; 11] = [
    NAME, BIRTH, SEX, ETHNICITY, RELIGION, CCCD, PHONE, VILLAGE, UNIT, JOINED, DECISION,
];
pub(crate) const REQUIRED: [&str; 4] = [NAME, BIRTH, SEX, UNIT];

/// Optional columns of the member's profile: (header, the profile field
/// it fills), as the profile's fields declare them
/// ([`hnd_domain::profile::SHEET_COLUMNS`]). Export writes them after
/// [`MEMBER_COLUMNS`].
pub const PROFILE_COLUMNS: [(&str, &str); SHEET_FIELDS.len()] = hnd_domain::profile::SHEET_COLUMNS;

/// The column of unit codes in a targets sheet.
pub const UNIT_COLUMN: &str = "Mã đơn vị";
/// The column of unit names in a targets sheet.
pub(crate) const NAME_COLUMN: &str = "Tên đơn vị";

/// The register's fields a column may fill: the template's columns by
/// these names, then the profile's fields by their own.
pub const MEMBER_FIELDS: [&str; 11] = [
    "full_name",
    "birth",
    "sex",
    "ethnicity",
    "religion",
    "cccd",
    "phone",
    "village",
    "branch",
    "joined_on",
    "decision",
];

/// The key a branch name is looked up by: folded, punctuation as spaces.
pub fn name_key(name: &str) -> String {
    let folded = fold(name);
    let spaced: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The template's cells: the member columns, then every profile field.
pub fn canonical_headers() -> Vec<String> {
    MEMBER_COLUMNS
        .iter()
        .chain(FIELDS.iter())
        .map(|s| s.to_string())
        .collect()
}

/// Where a field's value goes among [`canonical_headers`].
pub fn canonical_index(field: &str) -> Option<usize> {
    MEMBER_FIELDS
        .iter()
        .position(|f| *f == field)
        .or_else(|| FIELDS.iter().position(|f| *f == field).map(|i| MEMBER_FIELDS.len() + i))
}

/// The required fields `filled` lacks, by their labels; a CCCD tells the
/// sex when no column does.
pub fn missing(filled: &[&str], lang: Lang) -> Vec<String> {
    ["full_name", "birth", "sex", "branch"]
        .iter()
        .filter(|f| !(filled.contains(f) || (**f == "sex" && filled.contains(&"cccd"))))
        .map(|f| field_label(f, lang))
        .collect()
}

/// A field's name as a person reads it.
pub fn field_label(field: &str, lang: Lang) -> String {
    let template = MEMBER_FIELDS.iter().position(|f| *f == field);
    match (template, field) {
        (Some(i), _) => MEMBER_COLUMNS[i].to_string(),
        (None, "household_category") => t(lang, "field.household_category", &[]),
        (None, f) => t(lang, &format!("profile.field.{f}"), &[]),
    }
}
