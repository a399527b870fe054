//! What an import holds to, whatever the file: the size of a cell, of a
//! row and of the whole, checked while the bytes are read, so that a small
//! file that inflates hugely (a zip bomb, one cell of 400 MB, millions of
//! rows) is refused with the limit and the row it went past, instead of
//! filling the memory. A workbook is read through first
//! (`workbook_scan.rs`); a CSV through a guard (`csv_guard.rs`).

/// The limits of one import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Data rows (the header aside), as the spreadsheet numbers them.
    /// Decided: empty rows count (a file whose rows run past the limit is
    /// refused, whatever they hold), so that the work of reading a file is
    /// bounded by its rows too; below the limit they are passed over.
    pub rows: usize,
    /// Characters in one cell.
    pub cell_chars: usize,
    /// Columns of one row.
    pub row_cells: usize,
    /// Characters of one row, all its cells together: with the rows of a
    /// chunk, what an import holds at once.
    pub row_chars: usize,
    /// Bytes of the sheet once uncompressed (the file's own size for a CSV).
    pub sheet_bytes: u64,
    /// Bytes of a workbook's shared strings once uncompressed: the reader
    /// holds them in memory while it reads the sheet.
    pub strings_bytes: u64,
}

impl Limits {
    /// An upload through the web: a province's list fits in it (the
    /// member template's longest value, the name, is 100 characters).
    pub const WEB: Limits = Limits {
        rows: 1_000_000,
        cell_chars: 1_000,
        row_cells: 256,
        row_chars: 4_000,
        sheet_bytes: 1 << 30,
        strings_bytes: 128 << 20,
    };

    /// The operator's command line: the national register (ten million
    /// rows of the template are about 1.2 GB of CSV).
    pub const OPERATOR: Limits = Limits {
        rows: 20_000_000,
        cell_chars: 1_000,
        row_cells: 256,
        row_chars: 4_000,
        sheet_bytes: 16 << 30,
        strings_bytes: 1 << 30,
    };

    /// The longest CSV record: a full row of four-byte characters, every
    /// cell quoted, with its separator.
    pub fn record_bytes(&self) -> usize {
        self.row_chars * 4 + self.row_cells * 3 + 2
    }

    /// Whether a row read is within the limits: its number, its columns,
    /// each cell's length and the row's.
    pub fn check_row(&self, row: usize, cells: &[String]) -> Result<(), Limit> {
        if row > self.rows + 1 {
            return Err(Limit::Rows { row, limit: self.rows });
        }
        let last = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        if last > self.row_cells {
            return Err(Limit::Columns {
                row,
                limit: self.row_cells,
            });
        }
        let mut total = 0;
        for cell in cells {
            let chars = cell.chars().count();
            if chars > self.cell_chars {
                return Err(Limit::Cell {
                    row,
                    limit: self.cell_chars,
                });
            }
            total += chars;
        }
        if total > self.row_chars {
            return Err(Limit::Row {
                row,
                limit: self.row_chars,
            });
        }
        Ok(())
    }

    /// The longest run of bytes the XML reader may have to hold: a cell's
    /// text with every character escaped (`&quot;` is six bytes), or a
    /// formula (8,192 characters in the spreadsheet programs).
    pub(crate) fn xml_run(&self) -> usize {
        self.cell_chars.max(8_192) * 6 + 1_024
    }
}

/// A limit that a file went past. Rows are numbered as the spreadsheet
/// shows them (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The file's size in bytes, and the largest accepted.
    File { bytes: u64, limit: u64 },
    /// A part of the workbook inflates past `limit` bytes.
    Unpacked { limit: u64 },
    /// Row `row` lies past the last data row accepted.
    Rows { row: usize, limit: usize },
    /// Row `row` has a cell past the last column accepted.
    Columns { row: usize, limit: usize },
    /// Row `row` has a cell longer than `limit` characters.
    Cell { row: usize, limit: usize },
    /// Row `row` is longer than `limit` characters, its cells together.
    Row { row: usize, limit: usize },
    /// A sheet read whole spans more than `limit` cells.
    Cells { limit: usize },
}
