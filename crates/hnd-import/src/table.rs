//! Reading a sheet into header + text cells, whatever the file format.

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::Datelike;
use hnd_domain::{Day, Lang, fold, i18n::t};
use std::io::Cursor;
use std::path::Path;

/// Larger files are refused before reading: a branch or member list of a
/// province fits many times in it.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// A member CSV or XLSX is streamed, so it may be larger: ten million rows of the
/// template are about 1.2 GB.
pub const MAX_MEMBER_CSV_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// A sheet as text: the header row and the data rows with their row
/// number as the user sees it in the spreadsheet (header = 1).
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a cell was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    BadCode,
    BadName,
    BadLevel,
    BadKind,
    TradeRequired,
    BadDate,
    DuplicateInFile {
        first_row: usize,
    },
    BadSex,
    BadEthnicity,
    BadCccd,
    BadPhone,
    /// Found by the register, not the sheet: its message says why.
    Register(String),
    /// A profile value refused: the locale key of the reason.
    Profile(&'static str),
}

/// One bad cell: where it is, what it holds, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub problem: Problem,
}

impl RowError {
    pub fn message(&self, lang: Lang) -> String {
        let reason = match &self.problem {
            Problem::Empty => t(lang, "import.empty", &[]),
            Problem::BadCode => t(lang, "import.bad_code", &[]),
            Problem::BadName => t(lang, "import.bad_name", &[]),
            Problem::BadLevel => t(lang, "import.bad_level", &[]),
            Problem::BadKind => t(lang, "import.bad_kind", &[]),
            Problem::TradeRequired => t(lang, "import.trade_required", &[]),
            Problem::BadDate => t(lang, "import.bad_date", &[]),
            Problem::DuplicateInFile { first_row } => t(lang, "import.duplicate", &[("first", first_row)]),
            Problem::BadSex => t(lang, "import.bad_sex", &[]),
            Problem::BadEthnicity => t(lang, "import.bad_ethnicity", &[]),
            Problem::BadCccd => t(lang, "import.bad_cccd", &[]),
            Problem::BadPhone => t(lang, "import.bad_phone", &[]),
            Problem::Register(message) => message.clone(),
            Problem::Profile(reason) => t(lang, reason, &[]),
        };
        t(
            lang,
            "import.row_error",
            &[
                ("row", &self.row),
                ("column", &self.column),
                ("value", &self.value),
                ("reason", &reason),
            ],
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path} is not a spreadsheet")]
    NotASpreadsheet { path: String },
    #[error("missing columns {missing:?}")]
    WrongHeaders { missing: Vec<String>, found: Vec<String> },
    #[error("{} bad rows", .0.len())]
    Rows(Vec<RowError>),
    #[error("no data rows")]
    Empty,
}

impl ImportError {
    /// What a person reads; for bad rows, one line per problem.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ImportError::Unreadable { path, reason } => {
                t(lang, "import.unreadable", &[("path", path), ("reason", reason)])
            }
            ImportError::NotASpreadsheet { path } => t(lang, "import.not_spreadsheet", &[("path", path)]),
            ImportError::WrongHeaders { missing, found } => t(
                lang,
                "import.wrong_headers",
                &[("missing", &missing.join(", ")), ("found", &found.join(", "))],
            ),
            ImportError::Rows(rows) => {
                let mut out = t(lang, "import.rows_refused", &[("count", &rows.len())]);
                for r in rows {
                    out.push('\n');
                    out.push_str(&r.message(lang));
                }
                out
            }
            ImportError::Empty => t(lang, "import.no_rows", &[]),
        }
    }
}

impl Table {
    /// Reads `path` by its extension.
    pub fn read(path: &Path) -> Result<Table, ImportError> {
        let shown = path.display().to_string();
        let unreadable = |reason: String| ImportError::Unreadable {
            path: shown.clone(),
            reason,
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if !matches!(ext.as_str(), "csv" | "xlsx" | "xls" | "ods" | "xlsm") {
            return Err(ImportError::NotASpreadsheet { path: shown });
        }
        let size = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?.len();
        if size > MAX_FILE_BYTES {
            let mb = MAX_FILE_BYTES / (1024 * 1024);
            return Err(unreadable(format!("{size} bytes, above the limit of {mb} MB")));
        }
        let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
        let table = if ext == "csv" {
            Table::from_csv(&bytes)
        } else {
            Table::from_workbook(&bytes)
        };
        table.map_err(|e| match e {
            ImportError::Unreadable { reason, .. } => unreadable(reason),
            other => other,
        })
    }

    /// A UTF-8 CSV (a leading byte-order mark is allowed), comma or semicolon separated.
    pub fn from_csv(bytes: &[u8]) -> Result<Table, ImportError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let unreadable = |reason: String| ImportError::Unreadable {
            path: "CSV".into(),
            reason,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| unreadable(format!("UTF-8: {e}")))?;
        let first = text.lines().next().unwrap_or_default();
        let delimiter = if first.matches(';').count() > first.matches(',').count() {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let headers = match records.next() {
            Some(r) => r
                .map_err(|e| unreadable(e.to_string()))?
                .iter()
                .map(str::to_string)
                .collect(),
            None => return Err(ImportError::Empty),
        };
        let mut rows = Vec::new();
        for (i, record) in records.enumerate() {
            let record = record.map_err(|e| unreadable(e.to_string()))?;
            rows.push((i + 2, record.iter().map(str::to_string).collect()));
        }
        Ok(Table { headers, rows })
    }

    /// The first sheet of an XLSX, XLS or ODS workbook.
    pub fn from_workbook(bytes: &[u8]) -> Result<Table, ImportError> {
        let unreadable = |reason: String| ImportError::Unreadable {
            path: "workbook".into(),
            reason,
        };
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable("no sheet".into()))?
            .map_err(|e| unreadable(e.to_string()))?;
        let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let mut rows = range
            .rows()
            .enumerate()
            .map(|(i, r)| (first_row + i + 1, r.iter().map(cell_text).collect()));
        let Some((_, headers)) = rows.next() else {
            return Err(ImportError::Empty);
        };
        Ok(Table {
            headers,
            rows: rows.collect(),
        })
    }

    /// The position of each of `columns`, or [`ImportError::WrongHeaders`]
    /// naming those of `required` that the sheet lacks.
    pub fn require(&self, columns: &[&str], required: &[&str]) -> Result<Vec<Option<usize>>, ImportError> {
        let at = self.columns(columns);
        let missing: Vec<String> = required
            .iter()
            .filter(|r| columns.iter().position(|c| c == *r).is_none_or(|i| at[i].is_none()))
            .map(|r| r.to_string())
            .collect();
        if missing.is_empty() {
            Ok(at)
        } else {
            Err(ImportError::WrongHeaders {
                missing,
                found: self.headers.clone(),
            })
        }
    }

    /// The position of each of `wanted`, matched without accents or case.
    pub fn columns(&self, wanted: &[&str]) -> Vec<Option<usize>> {
        let folded: Vec<String> = self.headers.iter().map(|h| fold(h)).collect();
        wanted
            .iter()
            .map(|w| folded.iter().position(|h| *h == fold(w)))
            .collect()
    }
}

/// A cell as the text a person typed: whole numbers without `.0` (codes
/// typed into number cells), dates as dd/mm/yyyy.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .and_then(|d| Day::from_ymd(d.year(), d.month(), d.day()))
            .map(|d| d.to_string())
            .unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) => Day::parse(s.get(..10).unwrap_or(s))
            .map(|d| d.to_string())
            .unwrap_or_else(|_| s.clone()),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}
