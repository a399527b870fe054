//! Writing a list row by row to CSV or XLSX, in constant memory: an
//! export of a province's register never holds it whole.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

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

    /// Appends one row; every cell is text, so codes keep their leading zeros.
    pub fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), ExportError> {
        match self {
            SheetWriter::Csv(w) => w.write_record(cells.iter().map(AsRef::as_ref))?,
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
