//! Writing a list row by row to CSV or XLSX, in constant memory: an
//! export of a province's register never holds it whole.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::borrow::Cow;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// A cell for a CSV file, safe to open in a spreadsheet: text that a
/// spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return: `=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`)
/// gets a leading `'`, so that a spreadsheet shows it as text. A plain
/// number (`-5`, `+3.5`, `-1,5`) is left as it is: a
/// spreadsheet reads it as a number, which runs nothing. Every CSV the
/// product writes passes its cells here; an XLSX needs nothing, since its
/// cells are written as strings, never as formulas.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Writes one record of `cells` to a CSV writer, each through [`csv_cell`].
pub fn write_csv_record<W: std::io::Write, S: AsRef<str>>(
    out: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> Result<(), csv::Error> {
    for cell in cells {
        out.write_field(csv_cell(cell.as_ref()).as_bytes())?;
    }
    // No more fields: this ends the record.
    out.write_record(None::<&[u8]>)
}

/// A sign, then digits with at most one decimal point or comma.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let mut separators = 0;
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| {
            if c == '.' || c == ',' {
                separators += 1;
                separators == 1
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A spreadsheet being written, one row after another.
pub enum SheetWriter {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Xlsx {
        book: Box<Workbook>,
        row: u32,
        path: PathBuf,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Xlsx(#[from] XlsxError),
    #[error("export to .csv or .xlsx, not {0}")]
    Format(String),
}

impl SheetWriter {
    /// A writer for `path` by its extension, with the header row written.
    pub fn create(path: &Path, headers: &[&str]) -> Result<SheetWriter, ExportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let mut writer = match ext.as_str() {
            "csv" => {
                let mut file = BufWriter::new(File::create(path)?);
                // A byte-order mark, so that Excel opens the Vietnamese text as UTF-8.
                std::io::Write::write_all(&mut file, b"\xEF\xBB\xBF")?;
                SheetWriter::Csv(Box::new(csv::Writer::from_writer(file)))
            }
            "xlsx" => {
                let mut book = Box::new(Workbook::new());
                book.add_worksheet_with_constant_memory()?;
                SheetWriter::Xlsx {
                    book,
                    row: 0,
                    path: path.to_path_buf(),
                }
            }
            other => return Err(ExportError::Format(other.to_string())),
        };
        writer.write_row(headers)?;
        Ok(writer)
    }

    fn sheet(book: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
        book.worksheet_from_index(0)
    }

    /// Appends one row; every cell is text, so codes keep their leading
    /// zeros (an XLSX cell is a string, never a formula; a CSV cell is
    /// escaped by [`csv_cell`]).
    pub fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), ExportError> {
        match self {
            SheetWriter::Csv(w) => write_csv_record(w, cells)?,
            SheetWriter::Xlsx { book, row, .. } => {
                let sheet = Self::sheet(book)?;
                for (col, cell) in cells.iter().enumerate() {
                    sheet.write_string(*row, col as u16, cell.as_ref())?;
                }
                *row += 1;
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<(), ExportError> {
        match self {
            SheetWriter::Csv(mut w) => w.flush()?,
            SheetWriter::Xlsx { mut book, path, .. } => book.save(&path)?,
        }
        Ok(())
    }
}
