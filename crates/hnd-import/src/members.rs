//! The member list (`hnd members import`): columns, rules, rows. Unlike
//! the tree import, bad rows do not stop good ones: they come back with
//! their errors, to be written to an error file, fixed and imported again.

use crate::table::{ImportError, Problem, RowError, Table};
use hnd_domain::{BirthDate, Cccd, Day, Ethnicity, Phone, Sex, UnitCode};
use std::collections::HashMap;

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
const REQUIRED: [&str; 4] = [NAME, BIRTH, SEX, UNIT];

/// A member from one row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSheetRow {
    pub row: usize,
    pub full_name: String,
    pub birth: BirthDate,
    pub sex: Sex,
    pub ethnicity: Option<Ethnicity>,
    pub religion: Option<String>,
    pub cccd: Option<Cccd>,
    pub phone: Option<Phone>,
    pub village: Option<String>,
    pub unit: UnitCode,
    /// Admitted on this day, by this decision; `None`: an applicant.
    pub admitted: Option<(Day, String)>,
}

/// The rows of a member sheet, good and bad.
#[derive(Debug, Clone, Default)]
pub struct MemberSheet {
    pub rows: Vec<MemberSheetRow>,
    pub errors: Vec<RowError>,
    /// The header and the cells of each row as read, by row number: for
    /// the error file, which keeps the file's own columns.
    pub headers: Vec<String>,
    pub cells: HashMap<usize, Vec<String>>,
}

/// Reads a member sheet; only a file that cannot be read at all, or lacks
/// a required column, is an error.
pub fn read_member_table(table: Table) -> Result<MemberSheet, ImportError> {
    let at = table.columns(&MEMBER_COLUMNS);
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|r| at[MEMBER_COLUMNS.iter().position(|c| c == *r).expect("required ⊂ columns")].is_none())
        .map(|r| r.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::WrongHeaders {
            missing,
            found: table.headers,
        });
    }
    let mut sheet = MemberSheet {
        headers: table.headers.clone(),
        ..MemberSheet::default()
    };
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in table.rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |column: &str| -> String {
            let i = at[MEMBER_COLUMNS.iter().position(|c| *c == column).expect("known column")];
            i.and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let before = sheet.errors.len();
        let mut bad = |column: &str, problem: Problem| {
            sheet.errors.push(RowError {
                row,
                column: column.to_string(),
                value: cell(column),
                problem,
            });
        };
        let optional = |column: &str| Some(cell(column)).filter(|s| !s.is_empty());
        let full_name = cell(NAME);
        if full_name.is_empty() {
            bad(NAME, Problem::Empty);
        } else if full_name.chars().count() > 100 {
            bad(NAME, Problem::BadName);
        }
        let birth = match cell(BIRTH).as_str() {
            "" => {
                bad(BIRTH, Problem::Empty);
                None
            }
            text => BirthDate::parse(text).or_else(|| {
                bad(BIRTH, Problem::BadDate);
                None
            }),
        };
        let sex = match cell(SEX).as_str() {
            "" => {
                bad(SEX, Problem::Empty);
                None
            }
            text => Sex::parse(text).or_else(|| {
                bad(SEX, Problem::BadSex);
                None
            }),
        };
        let ethnicity = optional(ETHNICITY).and_then(|e| {
            Ethnicity::parse(&e).or_else(|| {
                bad(ETHNICITY, Problem::BadEthnicity);
                None
            })
        });
        let cccd = optional(CCCD).and_then(|c| Cccd::parse(&c).map_err(|_| bad(CCCD, Problem::BadCccd)).ok());
        if let Some(c) = &cccd {
            if let Some(first_row) = first_seen.get(c.as_str()) {
                bad(CCCD, Problem::DuplicateInFile { first_row: *first_row });
            } else {
                first_seen.insert(c.to_string(), row);
            }
        }
        let phone = optional(PHONE).and_then(|p| Phone::parse(&p).map_err(|_| bad(PHONE, Problem::BadPhone)).ok());
        let unit = match cell(UNIT).as_str() {
            "" => {
                bad(UNIT, Problem::Empty);
                None
            }
            text => UnitCode::parse(text).map_err(|_| bad(UNIT, Problem::BadCode)).ok(),
        };
        let admitted = optional(JOINED).and_then(|j| match Day::parse(&j) {
            Ok(day) => Some((day, cell(DECISION))),
            Err(_) => {
                bad(JOINED, Problem::BadDate);
                None
            }
        });
        let ok = sheet.errors.len() == before;
        if let (true, Some(birth), Some(sex), Some(unit)) = (ok, birth, sex, unit) {
            sheet.rows.push(MemberSheetRow {
                row,
                full_name,
                birth,
                sex,
                ethnicity,
                religion: optional(RELIGION),
                cccd,
                phone,
                village: optional(VILLAGE),
                unit,
                admitted,
            });
        }
        sheet.cells.insert(row, cells);
    }
    if sheet.rows.is_empty() && sheet.errors.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(sheet)
}

/// The error file: every refused row as it was read, with a last column
/// saying what is wrong, so that a clerk can fix it and import it again.
pub fn error_csv(sheet: &MemberSheet, errors: &[RowError], lang: hnd_domain::Lang) -> String {
    let headers = &sheet.headers;
    let mut by_row: std::collections::BTreeMap<usize, Vec<String>> = std::collections::BTreeMap::new();
    for e in errors {
        by_row.entry(e.row).or_default().push(e.message(lang));
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = headers.clone();
    header.push("Dòng".into());
    header.push("Lỗi".into());
    out.write_record(&header).expect("writing to memory");
    for (row, messages) in by_row {
        let mut record = sheet.cells.get(&row).cloned().unwrap_or_default();
        record.resize(headers.len(), String::new());
        record.push(row.to_string());
        record.push(messages.join(" | "));
        out.write_record(&record).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("memory")).expect("UTF-8 in, UTF-8 out")
}
