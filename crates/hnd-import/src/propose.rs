//! A mapping proposed for a member list: its header found (`layout.rs`),
//! each column's field from its label's words (`vocab.rs`) and from its
//! values (X marks, dates, CCCD, phones), the X-mark columns gathered into
//! one field each, branch names matched to the commune's units
//! (`branches.rs`), and what is left over listed as ignored.

use crate::branches::{UnitName, match_names};
use crate::errors::ImportError;
use crate::fields::{field_label, name_key};
use crate::layout::Header;
use crate::mapping::{Column, Ignored, Mapping, Mark, Marks, Split, branch_line, letter};
use crate::rows::Head;
use crate::values::{has_words, is_cccd, is_cmnd, is_date, is_mark, is_phone, occupation_of};
use crate::vocab::{Named, household, named, sex_marked};
use hnd_domain::{Lang, i18n::t};

/// A proposed mapping and what a person should know of it.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub mapping: Mapping,
    /// Required fields no column fills, by their labels.
    pub missing: Vec<String>,
    /// Columns recognised but not kept by a member import.
    pub not_kept: Vec<String>,
}

/// What a column's values hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Empty,
    Marks,
    Dates,
    Ids,
    Phones,
    Other,
}

fn content(values: &[&str]) -> Content {
    if values.is_empty() {
        return Content::Empty;
    }
    let share = |f: fn(&str) -> bool| values.iter().filter(|v| f(v)).count() * 10 >= values.len() * 8;
    if values.iter().all(|v| is_mark(v)) {
        Content::Marks
    } else if share(is_date) {
        Content::Dates
    } else if share(|v| is_cccd(v) || is_cmnd(v)) && values.iter().any(|v| is_cccd(v)) {
        Content::Ids
    } else if share(is_phone) {
        Content::Phones
    } else {
        Content::Other
    }
}

/// What one column is taken to be.
#[derive(Debug, Clone, PartialEq)]
enum Guess {
    Direct(&'static str),
    /// A mark for `field` meaning `value`; `other`: the value unmarked
    /// when the column is alone in its group.
    Mark(&'static str, String, &'static str),
    /// The column holds `field` and tells `by` = value.
    Split(&'static str, &'static str, &'static str),
    Ignore,
}

const YES_NO: [&str; 6] = [
    "party_member",
    "bhyt",
    "bhxh",
    "core_member",
    "residential",
    "professional",
];

fn field_of(key: &str) -> Option<&'static str> {
    match named(key) {
        Some(Named::Field(f)) => Some(f),
        _ => None,
    }
}

/// A column under a parent label: what the pair says.
fn under_parent(parent: &str, child: &str, content: Content) -> Option<Guess> {
    // A column of a group with no mark in the rows read is one of its marks.
    let marks = matches!(content, Content::Marks | Content::Empty);
    let yes = |f: &'static str| Guess::Mark(f, "có".to_string(), "");
    match field_of(parent) {
        Some("birth") if matches!(child, "nam" | "nu") => {
            let sex = if child == "nam" { "Nam" } else { "Nữ" };
            return Some(Guess::Split("birth", "sex", sex));
        }
        Some("sex") => {
            if let Some((value, other)) = sex_marked(child) {
                return Some(Guess::Mark("sex", value.to_string(), other));
            }
        }
        Some("party_member") => {
            let dated = content == Content::Dates;
            return Some(match child {
                c if has_words(c, "du bi") && dated => Guess::Direct("party_joined_on"),
                c if has_words(c, "chinh thuc") && dated => Guess::Direct("party_official_on"),
                "khong" => Guess::Mark("party_member", "không".to_string(), ""),
                _ if marks => yes("party_member"),
                c => match named(c) {
                    Some(Named::Field(f)) => Guess::Direct(f),
                    _ if dated => Guess::Direct("party_joined_on"),
                    _ => Guess::Ignore,
                },
            });
        }
        Some(f @ ("bhyt" | "bhxh")) => {
            let number = if f == "bhyt" { "bhyt_number" } else { "bhxh_number" };
            return Some(match child {
                "co" => yes(f),
                "khong" => Guess::Mark(f, "không".to_string(), ""),
                c if ["so", "ma", "the", "so the", "ma so"].iter().any(|w| has_words(c, w)) => Guess::Direct(number),
                c if f == "bhyt" && (has_words(c, "han") || has_words(c, "den ngay") || content == Content::Dates) => {
                    Guess::Direct("bhyt_expires_on")
                }
                _ if marks => yes(f),
                _ => Guess::Direct(f),
            });
        }
        Some("cccd") => {
            return Some(match child {
                c if has_words(c, "noi cap") => Guess::Ignore,
                c if has_words(c, "ngay cap") || content == Content::Dates => Guess::Direct("cccd_issued_on"),
                _ => Guess::Direct("cccd"),
            });
        }
        Some("occupation") if marks => {
            let value = occupation_of(child)
                .map(str::to_string)
                .unwrap_or_else(|| child.to_string());
            return Some(Guess::Mark("occupation", value, ""));
        }
        Some("household_category") if marks => {
            let value = household(child).unwrap_or(child);
            return Some(Guess::Mark("household_category", value.to_string(), ""));
        }
        Some(f @ ("current_address" | "village")) => return Some(Guess::Direct(f)),
        _ => {}
    }
    if marks && has_words(child, "dan cu") {
        return Some(yes("residential"));
    }
    if marks && child == "nghe nghiep" && ["hoi vien", "sinh hoat", "loai"].iter().any(|p| has_words(parent, p)) {
        return Some(yes("professional"));
    }
    None
}

/// What a column is, from its labels (top first) and its values.
fn guess(labels: &[String], values: &[&str]) -> Guess {
    let content = content(values);
    let key = name_key(&labels.join(" "));
    let child = labels.last().map(|l| name_key(l)).unwrap_or_default();
    if labels.len() > 1 {
        let parent = name_key(&labels[..labels.len() - 1].join(" "));
        if let Some(g) = under_parent(&parent, &child, content) {
            return g;
        }
    }
    if content == Content::Empty
        && let Some(value) = household(&key)
    {
        return Guess::Mark("household_category", value.to_string(), "");
    }
    if content == Content::Marks {
        if field_of(&key) == Some("sex") || matches!(child.as_str(), "nam" | "nu") {
            let (value, other) = sex_marked(&key).unwrap_or(("Nữ", "Nam"));
            return Guess::Mark("sex", value.to_string(), other);
        }
        if let Some(value) = household(&key) {
            return Guess::Mark("household_category", value.to_string(), "");
        }
        match field_of(&key).or_else(|| field_of(&child)) {
            Some(f) if YES_NO.contains(&f) => return Guess::Mark(f, "có".to_string(), ""),
            Some("member_type") => return Guess::Mark("member_type", "honorary".to_string(), ""),
            Some("occupation") | None => {
                if let Some(code) = occupation_of(&child) {
                    return Guess::Mark("occupation", code.to_string(), "");
                }
            }
            _ => {}
        }
    }
    let named = named(&key).or_else(|| named(&child));
    match (named, content) {
        (Some(Named::Field("party_member")), Content::Dates) => Guess::Direct("party_joined_on"),
        (Some(Named::Field(f)), _) => Guess::Direct(f),
        (Some(Named::Ignore), _) => Guess::Ignore,
        (None, Content::Ids) => Guess::Direct("cccd"),
        (None, Content::Phones) => Guess::Direct("phone"),
        _ => Guess::Ignore,
    }
}

/// A value written as a unit's code rather than a name ("00004-CH01"):
/// one word holding a digit. The register refuses a code it does not know.
fn code_like(v: &str) -> bool {
    !v.contains(char::is_whitespace) && v.chars().any(|c| c.is_ascii_digit()) && hnd_domain::UnitCode::parse(v).is_ok()
}

/// Asked of `branch_values` for the text of every row with one cell filled.
pub const HEADINGS: usize = usize::MAX;

/// Fields whose columns are joined when several fill them.
const JOINED: [&str; 4] = ["village", "current_address", "produce", "full_name"];

/// Proposes a mapping for the sheet whose head is `head`, imported into
/// `unit`; `branch_values(column, first_row)` gives every value of a
/// column in the whole file from its first data row (for [`HEADINGS`],
/// the text of every row with one cell filled) (for branch names past the head); `units` are the branches
/// and groups names may stand for; `own_branch` is `unit` itself when it
/// is a branch or group.
pub fn propose(
    head: &Head,
    unit: &str,
    units: &[UnitName],
    own_branch: Option<&str>,
    branch_values: &mut dyn FnMut(usize, usize) -> Result<Vec<String>, ImportError>,
) -> Result<Proposal, ImportError> {
    let sample: Vec<&str> = head
        .rows
        .iter()
        .flat_map(|(_, r)| r.iter().map(String::as_str))
        .collect();
    let legacy = crate::legacy::detect(sample.iter().copied());
    let rows: Vec<(usize, Vec<String>)> = head
        .rows
        .iter()
        .map(|(n, r)| (*n, r.iter().map(|c| crate::values::clean(c, legacy)).collect()))
        .collect();
    let header: Header = crate::layout::find(&rows, &head.merges).ok_or_else(|| required(&[]))?;
    let width = header.labels.len();
    let data: Vec<&Vec<String>> = rows
        .iter()
        .filter(|(n, _)| *n >= header.first_row)
        .map(|(_, r)| r)
        .collect();
    let mut mapping = Mapping {
        unit: unit.to_string(),
        encoding: head.text.map(|f| f.encoding),
        delimiter: head.text.map(|f| (f.delimiter as char).to_string()),
        legacy,
        header_rows: header.rows.clone(),
        first_row: header.first_row,
        ..Mapping::default()
    };
    let mut not_kept = Vec::new();
    for c in 0..width {
        let labels = &header.labels[c];
        let values: Vec<&str> = data
            .iter()
            .filter_map(|r| r.get(c).map(|s| s.trim()))
            .filter(|s| !s.is_empty())
            .collect();
        if labels.is_empty() && values.is_empty() {
            continue;
        }
        let (column, label) = (letter(c), header.label(c));
        match guess(labels, &values) {
            Guess::Direct(field) => {
                let taken = mapping.columns.iter().any(|m| m.field == field) && !JOINED.contains(&field);
                if taken || field == "household_category" {
                    if field == "household_category" {
                        not_kept.push(label.clone());
                    }
                    mapping.ignored.push(Ignored { column, header: label });
                } else {
                    mapping.columns.push(Column {
                        column,
                        header: label,
                        field: field.to_string(),
                    });
                }
            }
            Guess::Mark(field, value, other) => {
                if field == "household_category" {
                    not_kept.push(label.clone());
                }
                let mark = Mark {
                    column,
                    header: label,
                    value,
                };
                match mapping.marks.iter_mut().find(|m| m.field == field) {
                    Some(group) => {
                        group.columns.push(mark);
                        group.unmarked = String::new();
                    }
                    None => mapping.marks.push(Marks {
                        field: field.to_string(),
                        unmarked: other.to_string(),
                        columns: vec![mark],
                    }),
                }
            }
            Guess::Split(field, by, value) => {
                let mark = Mark {
                    column,
                    header: label,
                    value: value.to_string(),
                };
                match mapping.splits.iter_mut().find(|s| s.field == field) {
                    Some(split) => split.columns.push(mark),
                    None => mapping.splits.push(Split {
                        field: field.to_string(),
                        by: by.to_string(),
                        columns: vec![mark],
                    }),
                }
            }
            Guess::Ignore => mapping.ignored.push(Ignored { column, header: label }),
        }
    }
    // Rows with one cell filled, of words: headings of the rows below?
    let headings = data.iter().any(|r| {
        let mut filled = r.iter().filter(|c| !c.trim().is_empty());
        matches!((filled.next(), filled.next()), (Some(only), None)
            if only.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !is_date(only))
    });
    branches(&mut mapping, units, own_branch, headings, branch_values)?;
    let missing = crate::fields::missing(&mapping.fields(), Lang::Vi);
    Ok(Proposal {
        mapping,
        missing,
        not_kept,
    })
}

/// The branch of each row: a column of codes, a column of names matched
/// to units, the unit imported into when it is a branch itself, or else
/// the village's name matched to a branch's (always to confirm).
fn branches(
    mapping: &mut Mapping,
    units: &[UnitName],
    own_branch: Option<&str>,
    headings: bool,
    values: &mut dyn FnMut(usize, usize) -> Result<Vec<String>, ImportError>,
) -> Result<(), ImportError> {
    let column = mapping.columns.iter().find(|c| c.field == "branch").cloned();
    if column.is_none() && own_branch.is_none() && headings {
        let names: Vec<String> = values(HEADINGS, mapping.first_row)?
            .into_iter()
            .map(|v| crate::values::clean(v.trim(), mapping.legacy))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let found = match_names(&names, units);
        if found.iter().filter(|b| !b.unit.is_empty()).count() * 2 >= found.len().max(1) {
            mapping.sections = true;
            mapping.branches = found;
            return Ok(());
        }
    }
    let from_village = column.is_none() && own_branch.is_none();
    let source = column.or_else(|| {
        let village = mapping.columns.iter().find(|c| c.field == "village")?;
        from_village.then(|| village.clone())
    });
    let Some(source) = source else {
        mapping.branch = own_branch.map(str::to_string);
        return Ok(());
    };
    let col = crate::mapping::column_of(&source.column).expect("a column letter");
    let names: Vec<String> = values(col, mapping.first_row)?
        .into_iter()
        .map(|v| crate::values::clean(v.trim(), mapping.legacy))
        .filter(|v| !v.is_empty())
        .filter(|v| !units.iter().any(|u| u.code.eq_ignore_ascii_case(v)) && !code_like(v))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut found = match_names(&names, units);
    if from_village {
        if found.iter().all(|b| b.unit.is_empty()) {
            mapping.branch = own_branch.map(str::to_string);
            return Ok(());
        }
        for b in &mut found {
            b.confirm = true;
        }
        mapping.columns.push(Column {
            field: "branch".to_string(),
            ..source
        });
    }
    mapping.branches = found;
    Ok(())
}

fn required(missing: &[&str]) -> ImportError {
    let all = ["full_name", "birth", "sex", "branch"];
    let list: &[&str] = if missing.is_empty() { &all } else { missing };
    ImportError::MappingMissing(list.iter().map(|f| field_label(f, Lang::Vi)).collect())
}

impl Proposal {
    /// The short summary printed with a proposed mapping.
    pub fn summary(&self, lang: Lang) -> String {
        let m = &self.mapping;
        let fields: Vec<String> = m.fields().iter().map(|f| field_label(f, lang)).collect();
        let ignored: Vec<String> = m
            .ignored
            .iter()
            .map(|i| format!("{} «{}»", i.column, i.header))
            .collect();
        let none = t(lang, "map.none", &[]);
        let list = |items: &[String]| {
            if items.is_empty() {
                none.clone()
            } else {
                items.join(", ")
            }
        };
        let mut out = vec![
            t(
                lang,
                "map.header",
                &[("rows", &join_rows(&m.header_rows)), ("first", &m.first_row)],
            ),
            t(
                lang,
                "map.fields",
                &[("count", &fields.len()), ("fields", &list(&fields))],
            ),
            t(
                lang,
                "map.ignored",
                &[("count", &ignored.len()), ("columns", &list(&ignored))],
            ),
        ];
        if m.sections {
            out.push(t(lang, "map.sections", &[]));
        }
        if let Some(legacy) = m.legacy {
            out.push(t(lang, "map.legacy", &[("encoding", &legacy.name().to_uppercase())]));
        }
        if !self.not_kept.is_empty() {
            out.push(t(lang, "map.not_kept", &[("columns", &self.not_kept.join(", "))]));
        }
        if !self.missing.is_empty() {
            out.push(t(lang, "map.missing", &[("fields", &self.missing.join(", "))]));
        }
        let confirm = m.unconfirmed();
        out.push(t(lang, "map.confirm", &[("count", &confirm.len())]));
        for b in confirm {
            out.push(format!("  {}", branch_line(b, lang)));
        }
        out.join("\n")
    }
}

fn join_rows(rows: &[usize]) -> String {
    rows.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
}
