//! Reading values given on the command line.

use crate::tr;
use hnd_domain::{Day, Lang, OrgError};

/// Parses a day given on the command line, or today.
pub fn day_or_today(s: Option<&str>) -> Result<Day, OrgError> {
    match s {
        None => Ok(Day::today()),
        Some(s) => Day::parse(s).map_err(|_| OrgError::BadDate { value: s.to_string() }),
    }
}

/// A value on the command line that is not what the field (a locale key
/// such as `field.cccd`) needs.
pub fn bad_field(lang: Lang, field: &str, value: &str) -> anyhow::Error {
    let field = tr(lang, field, &[]);
    anyhow::anyhow!(
        "{}",
        tr(lang, "member.bad_field", &[("field", &field), ("value", &value)])
    )
}
