//! The rows of any sheet as they stand, title rows and header rows
//! included, each with its number as the spreadsheet shows it: what a
//! mapping (`mapping.rs`) is proposed from and applied to. Text files and
//! XLSX workbooks are streamed; XLS and ODS are read whole, within the
//! limits of a sheet read whole.

use crate::errors::{ImportError, Unreadable};
use crate::text::{Decoded, TextForm};
use crate::{Limit, Limits};
use std::io::Read;
use std::path::Path;

/// What kind of file a sheet is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV, tab-separated or Excel's "Unicode text".
    Text,
    Xlsx,
    /// XLS or ODS, read whole.
    Whole,
}

impl Format {
    pub fn of(path: &Path) -> Result<Format, ImportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "csv" | "txt" | "tsv" | "tab" => Ok(Format::Text),
            "xlsx" | "xlsm" => Ok(Format::Xlsx),
            "xls" | "ods" => Ok(Format::Whole),
            _ => Err(ImportError::NotASpreadsheet {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            }),
        }
    }
}

/// A cell range merged into one: rows as the spreadsheet numbers them,
/// columns from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub last_row: usize,
    pub first_col: usize,
    pub last_col: usize,
}

type Row = (usize, Vec<String>);

/// A sheet's rows, one after the other.
pub struct RawRows {
    source: RowSource,
}

enum RowSource {
    Text {
        records: Box<csv::StringRecordsIntoIter<crate::CsvGuard<Box<dyn Read + Send>>>>,
        tripped: std::sync::Arc<std::sync::Mutex<Option<Limit>>>,
        /// The next row's number, and the line the last record ended on.
        next_row: (usize, usize),
    },
    Xlsx(std::sync::mpsc::Receiver<Result<Row, ImportError>>),
    Whole(std::vec::IntoIter<Row>),
}

fn io(_: std::io::Error) -> ImportError {
    ImportError::Unreadable(Unreadable::Io)
}

/// The size of `path`, refused past `limit` and when empty.
fn size_within(path: &Path, limit: u64) -> Result<u64, ImportError> {
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size == 0 {
        return Err(ImportError::Empty);
    }
    if size > limit {
        return Err(Limit::File { bytes: size, limit }.into());
    }
    Ok(size)
}

/// How the text file at `path` is best read: its encoding and separator
/// from its first 64 KB.
pub fn sniff_text(path: &Path) -> Result<TextForm, ImportError> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(io)?;
    let encoding = crate::text::sniff(&head);
    let text = encoding.decode(&head);
    Ok(TextForm {
        encoding,
        delimiter: crate::text::sniff_delimiter(&text),
    })
}

impl RawRows {
    /// Opens the sheet at `path` within `limits`; a text file is read as
    /// `text` says, or as its first bytes suggest.
    pub fn open(path: &Path, limits: Limits, text: Option<TextForm>) -> Result<RawRows, ImportError> {
        let source = match Format::of(path)? {
            Format::Text => {
                size_within(path, crate::MAX_MEMBER_CSV_BYTES.min(limits.sheet_bytes))?;
                let form = match text {
                    Some(form) => form,
                    None => sniff_text(path)?,
                };
                check_text(path, form, limits)?;
                let reader: Box<dyn Read + Send> = Box::new(Decoded::new(
                    std::io::BufReader::new(std::fs::File::open(path).map_err(io)?),
                    form.encoding,
                ));
                let guard = crate::CsvGuard::new(reader, limits, form.delimiter);
                let tripped = guard.tripped.clone();
                let reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(form.delimiter)
                    .from_reader(guard);
                RowSource::Text {
                    records: Box::new(reader.into_records()),
                    tripped,
                    next_row: (1, 0),
                }
            }
            Format::Xlsx => {
                size_within(path, crate::MAX_MEMBER_CSV_BYTES.min(limits.sheet_bytes))?;
                let (send, rows) = std::sync::mpsc::sync_channel(4096);
                let file = path.to_path_buf();
                std::thread::spawn(move || {
                    if let Err(e) = crate::members::read_xlsx_rows(&file, &limits, &send) {
                        let _ = send.send(Err(e));
                    }
                });
                RowSource::Xlsx(rows)
            }
            Format::Whole => {
                size_within(path, crate::MAX_FILE_BYTES)?;
                RowSource::Whole(whole(path)?.0.into_iter())
            }
        };
        Ok(RawRows { source })
    }

    /// The next row, or `None` at the end of the sheet.
    pub fn next_row(&mut self) -> Option<Result<Row, ImportError>> {
        match &mut self.source {
            RowSource::Text {
                records,
                tripped,
                next_row,
            } => {
                let record = records.next()?;
                Some(match record {
                    Ok(r) => {
                        // Blank lines are rows of the sheet, not records: the
                        // row is counted from the line the record ends on (a
                        // record's own position is where the blank lines start).
                        let inside = r.iter().map(|f| f.matches('\n').count()).sum::<usize>();
                        let started = r.position().map_or(0, |p| p.line() as usize);
                        let after = records.reader().position().line() as usize;
                        let end = if after > started + inside { after - 1 } else { after };
                        let start = end.saturating_sub(inside);
                        let row = next_row.0 + start.saturating_sub(next_row.1 + 1);
                        *next_row = (row + 1, end);
                        Ok((row, r.iter().map(str::to_string).collect()))
                    }
                    Err(e) => Err(match tripped.lock().expect("guard lock").clone() {
                        Some(limit) => limit.into(),
                        None => crate::table::csv_error(&e),
                    }),
                })
            }
            RowSource::Xlsx(rows) => rows.recv().ok(),
            RowSource::Whole(rows) => rows.next().map(Ok),
        }
    }
}

/// Reads a text file through once against `limits`, so that a file past
/// them is refused before a row is loaded.
fn check_text(path: &Path, form: TextForm, limits: Limits) -> Result<(), ImportError> {
    let reader = Decoded::new(
        std::io::BufReader::new(std::fs::File::open(path).map_err(io)?),
        form.encoding,
    );
    let mut guard = crate::CsvGuard::new(reader, limits, form.delimiter);
    let tripped = guard.tripped.clone();
    if std::io::copy(&mut guard, &mut std::io::sink()).is_err() {
        return Err(match tripped.lock().expect("guard lock").take() {
            Some(limit) => limit.into(),
            None => ImportError::Unreadable(Unreadable::Io),
        });
    }
    Ok(())
}

/// The first sheet of an XLS or ODS workbook, whole, with its merged cells.
fn whole(path: &Path) -> Result<(Vec<Row>, Vec<Merge>), ImportError> {
    use calamine::{Reader, Sheets, open_workbook_auto};
    let bad = |_| ImportError::Unreadable(Unreadable::OldWorkbook);
    let mut book = open_workbook_auto(path).map_err(bad)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ImportError::Unreadable(Unreadable::NoSheet))?
        .map_err(bad)?;
    let (first_row, first_col) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    if range.height().saturating_mul(range.width() + first_col) > crate::MAX_WHOLE_CELLS {
        return Err(Limit::Cells {
            limit: crate::MAX_WHOLE_CELLS,
        }
        .into());
    }
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![String::new(); first_col];
            cells.extend(r.iter().map(crate::table::cell_text));
            (first_row + i + 1, cells)
        })
        .collect();
    let merges = match &book {
        Sheets::Xls(xls) => xls
            .merge_cells_by_sheet_id(0)
            .unwrap_or_default()
            .iter()
            .map(|d| merge_of(d.start, d.end))
            .collect(),
        _ => Vec::new(),
    };
    Ok((rows, merges))
}

fn merge_of(start: (u32, u32), end: (u32, u32)) -> Merge {
    Merge {
        first_row: start.0 as usize + 1,
        last_row: end.0 as usize + 1,
        first_col: start.1 as usize,
        last_col: end.1 as usize,
    }
}

/// The first rows of a sheet (at most `max`), its merged cells and, for a
/// text file, how it was read: what a mapping is proposed from.
pub struct Head {
    pub rows: Vec<Row>,
    pub merges: Vec<Merge>,
    pub text: Option<TextForm>,
}

/// Reads the head of the sheet at `path`.
pub fn read_head(path: &Path, max: usize, limits: Limits) -> Result<Head, ImportError> {
    let format = Format::of(path)?;
    let largest = match format {
        Format::Whole => crate::MAX_FILE_BYTES,
        _ => crate::MAX_MEMBER_CSV_BYTES.min(limits.sheet_bytes),
    };
    size_within(path, largest)?;
    let text = match format {
        Format::Text => Some(sniff_text(path)?),
        _ => None,
    };
    let merges = match format {
        Format::Xlsx => xlsx_merges(path, &limits)?,
        Format::Whole => whole(path)?.1,
        Format::Text => Vec::new(),
    };
    let mut rows = Vec::new();
    let mut source = RawRows::open(path, limits, text)?;
    while rows.len() < max {
        match source.next_row() {
            Some(row) => rows.push(row?),
            None => break,
        }
    }
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(Head { rows, merges, text })
}

fn xlsx_merges(path: &Path, limits: &Limits) -> Result<Vec<Merge>, ImportError> {
    use calamine::{Reader, Xlsx};
    let open = || std::fs::File::open(path).map(std::io::BufReader::new).map_err(io);
    crate::workbook_scan::check_workbook(open()?, limits)?;
    let bad = |_| ImportError::Unreadable(Unreadable::Workbook);
    let mut book: Xlsx<_> = Xlsx::new(open()?).map_err(bad)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(ImportError::Unreadable(Unreadable::NoSheet));
    };
    Ok(book
        .merge_cells_by_sheet_name(&sheet)
        .map_err(bad)?
        .iter()
        .map(|d| merge_of(d.start, d.end))
        .collect())
}
