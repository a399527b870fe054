//! The branch and group list (`hnd org import`): columns, rules, rows.

use crate::errors::{ImportError, Problem, RowError};
use crate::table::Table;
use chrono::Datelike;
use hnd_domain::{Day, Kind, Level, UnitCode, UnitName, fold};
use std::collections::HashMap;
use std::path::Path;

/// Column headers, as in the template `templates/to-chuc-mau.csv`.
pub(crate) const CODE: &str = "Mã đơn vị";
pub(crate) const NAME: &str = "Tên đơn vị";
pub(crate) const LEVEL: &str = "Cấp";
pub(crate) const KIND: &str = "Loại";
pub(crate) const TRADE: &str = "Ngành nghề";
pub(crate) const PARENT: &str = "Mã đơn vị cấp trên";
pub(crate) const FOUNDED: &str = "Ngày thành lập";
pub(crate) const COLUMNS: [&str; 7] = [CODE, NAME, LEVEL, KIND, TRADE, PARENT, FOUNDED];
pub(crate) const REQUIRED: [&str; 5] = [CODE, NAME, LEVEL, KIND, PARENT];

/// A branch or group to create, from one row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    /// Row number in the spreadsheet (header = 1).
    pub row: usize,
    pub code: UnitCode,
    pub name: UnitName,
    /// `Level::Branch` or `Level::Group`.
    pub level: Level,
    pub kind: Kind,
    pub trade: Option<String>,
    pub parent: UnitCode,
    pub founded: Option<Day>,
}

pub fn read_org_file(path: &Path) -> Result<Vec<OrgRow>, ImportError> {
    org_rows(Table::read(path)?)
}

pub fn read_org_csv(bytes: &[u8]) -> Result<Vec<OrgRow>, ImportError> {
    org_rows(Table::from_csv(bytes)?)
}

pub fn read_org_xlsx(bytes: &[u8]) -> Result<Vec<OrgRow>, ImportError> {
    org_rows(Table::from_workbook(bytes)?)
}

/// A required cell's text read by `parse`: nothing when it is empty (its
/// error is recorded already), nothing and `wrong` when it does not read.
fn parsed<T>(text: &str, parse: impl FnOnce(&str) -> Option<T>, wrong: impl FnOnce()) -> Option<T> {
    if text.is_empty() {
        return None;
    }
    let value = parse(text);
    if value.is_none() {
        wrong();
    }
    value
}

fn level_of(text: &str) -> Option<Level> {
    match fold(text).as_str() {
        "chi hoi" | "branch" => Some(Level::Branch),
        "to hoi" | "group" => Some(Level::Group),
        _ => None,
    }
}

fn kind_of(text: &str) -> Option<Kind> {
    match fold(text).as_str() {
        "dia ban" | "theo dia ban dan cu" | "dia ban dan cu" | "residential" => Some(Kind::Residential),
        "nghe nghiep" | "professional" => Some(Kind::Professional),
        _ => None,
    }
}

/// A founding date as dd/mm/yyyy (or ISO), or as the Excel day number a
/// date cell shows once its format is set to "General" (45366 is
/// 15/03/2024): people do that by accident, and the number cannot mean
/// anything else in this column. Only five-digit numbers (1927–2173) count,
/// so that a mistyped "1532024" is still refused.
fn day_of(text: &str) -> Option<Day> {
    if let Ok(day) = Day::parse(text) {
        return Some(day);
    }
    let serial: i64 = text.parse().ok().filter(|n| (10_000..=99_999).contains(n))?;
    // Excel counts from 30/12/1899 for any day after February 1900.
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = epoch.checked_add_signed(chrono::TimeDelta::days(serial))?;
    Day::from_ymd(date.year(), date.month(), date.day())
}

/// Checks every row; all problems are reported, not just the first.
/// The rows of a table in the tree template's columns (a file read through
/// a [`crate::SheetMapping`]), each cell checked.
pub fn read_org_table(table: Table) -> Result<Vec<OrgRow>, ImportError> {
    org_rows(table)
}

fn org_rows(table: Table) -> Result<Vec<OrgRow>, ImportError> {
    let at = table
        .require(&COLUMNS, &REQUIRED)
        .map_err(|e| e.with_template(crate::ORG_TEMPLATE))?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in &table.rows {
        let cell = |column: &str| -> String {
            let i = at[COLUMNS.iter().position(|c| *c == column).expect("known column")];
            i.and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut bad = |column: &str, problem: Problem| {
            errors.push(RowError {
                row: *row,
                column: column.to_string(),
                value: cell(column),
                problem,
            });
        };
        let required = |column: &str, bad: &mut dyn FnMut(&str, Problem)| {
            let value = cell(column);
            if value.is_empty() {
                bad(column, Problem::Empty);
            }
            value
        };
        let code_text = required(CODE, &mut bad);
        let name_text = required(NAME, &mut bad);
        let level_text = required(LEVEL, &mut bad);
        let kind_text = required(KIND, &mut bad);
        let parent_text = required(PARENT, &mut bad);
        let code = parsed(&code_text, |t| UnitCode::parse(t).ok(), || bad(CODE, Problem::BadCode));
        let name = parsed(&name_text, |t| UnitName::parse(t).ok(), || bad(NAME, Problem::BadName));
        let level = parsed(&level_text, level_of, || bad(LEVEL, Problem::BadLevel));
        let kind = parsed(&kind_text, kind_of, || bad(KIND, Problem::BadKind));
        let parent = parsed(
            &parent_text,
            |t| UnitCode::parse(t).ok(),
            || bad(PARENT, Problem::BadCode),
        );
        let trade = Some(cell(TRADE)).filter(|t| !t.is_empty());
        if kind == Some(Kind::Professional) && trade.is_none() {
            bad(TRADE, Problem::TradeRequired);
        }
        let founded_text = cell(FOUNDED);
        let founded = if founded_text.is_empty() {
            None
        } else {
            day_of(&founded_text).ok_or_else(|| bad(FOUNDED, Problem::BadDate)).ok()
        };
        if let Some(code) = &code {
            if let Some(first_row) = first_seen.get(code.as_str()) {
                bad(CODE, Problem::DuplicateInFile { first_row: *first_row });
            } else {
                first_seen.insert(code.to_string(), *row);
            }
        }
        if let (Some(code), Some(name), Some(level), Some(kind), Some(parent)) = (code, name, level, kind, parent) {
            let trade = if kind == Kind::Professional { trade } else { None };
            rows.push(OrgRow {
                row: *row,
                code,
                name,
                level,
                kind,
                trade,
                parent,
                founded,
            });
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(rows)
}

/// The row and column a rule violation found by the store points at: a
/// parent that does not exist, a code already taken, a level that cannot
/// hang there. `None` when no row is to blame.
pub fn locate(rows: &[OrgRow], e: &hnd_domain::OrgError) -> Option<(usize, &'static str)> {
    use hnd_domain::OrgError::*;
    let by_parent = |code: &str| rows.iter().find(|r| r.parent.as_str() == code).map(|r| (r.row, PARENT));
    let by_code = |code: &str| rows.iter().find(|r| r.code.as_str() == code).map(|r| (r.row, CODE));
    match e {
        UnknownUnit { code, .. }
        | BeforeExistence { code, .. }
        | AfterEnd { code, .. }
        | BeforeLastChange { code, .. } => by_parent(code).or_else(|| by_code(code)),
        DuplicateCode { code } | KindRequired { code } | TradeRequired { code } => by_code(code),
        LevelNotAllowed { code, .. } => by_code(code).map(|(row, _)| (row, PARENT)),
        _ => None,
    }
}
