//! Reading a sheet into header + text cells, whatever the file format.

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::Datelike;
use hnd_domain::{Day, fold};
use std::io::Cursor;
use std::path::Path;

use crate::errors::{ImportError, Unreadable};

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

/// The most cells a sheet read whole may span (rows × columns up to its
/// last cell): the reader sets aside room for all of them.
pub const MAX_WHOLE_CELLS: usize = 2_000_000;

/// What a sheet read whole may hold.
const WHOLE: crate::Limits = crate::Limits {
    sheet_bytes: 256 << 20,
    strings_bytes: 64 << 20,
    ..crate::Limits::WEB
};

impl Table {
    /// Reads `path` by its extension.
    pub fn read(path: &Path) -> Result<Table, ImportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if !matches!(ext.as_str(), "csv" | "xlsx" | "xls" | "ods" | "xlsm") {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            return Err(ImportError::NotASpreadsheet {
                name: name.unwrap_or_default(),
            });
        }
        let io = |_| ImportError::Unreadable(Unreadable::Io);
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_FILE_BYTES {
            return Err(crate::Limit::File {
                bytes: size,
                limit: MAX_FILE_BYTES,
            }
            .into());
        }
        let bytes = std::fs::read(path).map_err(io)?;
        match ext.as_str() {
            "csv" => Table::from_csv(&bytes),
            "xls" => Table::from_old_workbook(&bytes),
            _ => Table::from_workbook(&bytes),
        }
    }

    /// A UTF-8 CSV (a leading byte-order mark is allowed), comma or semicolon separated.
    pub fn from_csv(bytes: &[u8]) -> Result<Table, ImportError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|_| ImportError::Unreadable(Unreadable::NotUtf8))?;
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
            Some(r) => r.map_err(|e| csv_error(&e))?.iter().map(str::to_string).collect(),
            None => return Err(ImportError::Empty),
        };
        let mut rows = Vec::new();
        for (i, record) in records.enumerate() {
            let record = record.map_err(|e| csv_error(&e))?;
            rows.push((i + 2, record.iter().map(str::to_string).collect()));
        }
        Ok(Table { headers, rows })
    }

    /// The first sheet of an XLSX or ODS workbook, read through against
    /// the limits of a sheet read whole before the workbook reader sees it.
    pub fn from_workbook(bytes: &[u8]) -> Result<Table, ImportError> {
        let extent = crate::workbook_scan::check_workbook(Cursor::new(bytes), &WHOLE)?;
        if (extent.rows.max(1)).saturating_mul(extent.columns + 1) > MAX_WHOLE_CELLS {
            return Err(crate::Limit::Cells { limit: MAX_WHOLE_CELLS }.into());
        }
        Table::from_any_workbook(bytes, Unreadable::Workbook)
    }

    /// The first sheet of an XLS workbook (its size is bounded by the file's).
    fn from_old_workbook(bytes: &[u8]) -> Result<Table, ImportError> {
        Table::from_any_workbook(bytes, Unreadable::OldWorkbook)
    }

    fn from_any_workbook(bytes: &[u8], unreadable: Unreadable) -> Result<Table, ImportError> {
        let bad = |_| ImportError::Unreadable(unreadable);
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(bad)?;
        let range = book
            .worksheet_range_at(0)
            .ok_or(ImportError::Unreadable(Unreadable::NoSheet))?
            .map_err(bad)?;
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
                template: None,
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

/// A CSV reader's error as what a person reads: where the file breaks.
pub(crate) fn csv_error(e: &csv::Error) -> ImportError {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => ImportError::Unreadable(Unreadable::NotUtf8),
        _ => ImportError::Unreadable(Unreadable::Csv {
            row: e.position().map(|p| p.line() as usize).unwrap_or(0),
        }),
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
