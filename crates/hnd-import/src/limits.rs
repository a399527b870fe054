//! What an import holds to, whatever the file: the size of a cell, of a
//! row and of the whole, checked while the bytes are read, so that a small
//! file that inflates hugely (a zip bomb, one cell of 400 MB, millions of
//! rows) is refused with the limit and the row it went past, instead of
//! filling the memory.
//!
//! A workbook (XLSX, ODS) is first read through once, uncompressed a block
//! at a time and never kept: each part may inflate to a set size, and in
//! the sheet no text, tag or comment may be longer than a cell may be,
//! no row may lie past the row limit and no cell past the column limit.
//! Only then does the workbook reader see it, so that whatever it holds
//! in memory (the shared strings, the row it is reading) is bounded. A CSV
//! is read through a [`CsvGuard`], which counts the bytes of each record.

use crate::table::ImportError;
use std::io::{Read, Seek};

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
    fn xml_run(&self) -> usize {
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

impl From<Limit> for ImportError {
    fn from(limit: Limit) -> ImportError {
        ImportError::TooLarge(limit)
    }
}

/// Bytes of any other part of a workbook (its list of sheets, styles,
/// relations): real ones are a few kilobytes.
const OTHER_PART_BYTES: u64 = 64 << 20;

/// Entries of a workbook's zip directory: a real workbook has a few dozen;
/// the directory is read into memory before any entry.
const MAX_ENTRIES: u64 = 10_000;

/// What a read-through of a workbook found: the last row and the last
/// column (0-based) that hold a cell.
#[derive(Debug, Default, Clone, Copy)]
pub struct Extent {
    pub rows: usize,
    pub columns: usize,
}

/// Reads the zip workbook (XLSX, XLSM, ODS) in `source` through once against
/// `limits`. Does not judge whether it is a spreadsheet beyond what it
/// must read: the workbook reader does that afterwards.
pub fn check_workbook<R: Read + Seek>(mut source: R, limits: &Limits) -> Result<Extent, ImportError> {
    let bad = || ImportError::Unreadable(crate::table::Unreadable::Workbook);
    check_directory(&mut source).ok_or_else(bad)?;
    let mut zip = zip::ZipArchive::new(source).map_err(|_| bad())?;
    let mut extent = Extent::default();
    let (mut others, mut sheets) = (0u64, 0u64);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| bad())?;
        let name = entry.name().map_err(|_| bad())?.to_ascii_lowercase();
        let part = if name.ends_with("sharedstrings.xml") {
            Part::Strings
        } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") || name == "content.xml" {
            Part::Sheet
        } else if name.ends_with(".xml") || name.ends_with(".rels") {
            Part::Other
        } else {
            // Pictures, printer settings, macros: the reader never opens them.
            continue;
        };
        // The sheets share one budget, the other parts another.
        let limit = match part {
            Part::Sheet => limits.sheet_bytes.saturating_sub(sheets),
            Part::Strings => limits.strings_bytes,
            Part::Other => OTHER_PART_BYTES.saturating_sub(others),
        };
        let mut scan = XmlScan::new(part, limits);
        let mut block = vec![0u8; 64 * 1024];
        let mut read = 0u64;
        loop {
            let n = entry.read(&mut block).map_err(|_| bad())?;
            if n == 0 {
                break;
            }
            read += n as u64;
            if read > limit {
                let limit = match part {
                    Part::Sheet => limits.sheet_bytes,
                    Part::Strings => limits.strings_bytes,
                    Part::Other => OTHER_PART_BYTES,
                };
                return Err(Limit::Unpacked { limit }.into());
            }
            scan.feed(&block[..n])?;
        }
        scan.finish()?;
        match part {
            Part::Other => others += read,
            Part::Sheet => sheets += read,
            Part::Strings => {}
        }
        if part == Part::Sheet {
            extent.rows = extent.rows.max(scan.max_row);
            extent.columns = extent.columns.max(scan.max_column);
        }
    }
    Ok(extent)
}

/// Whether the zip's end record lists a number of entries a workbook may
/// have (`None` when there is no end record at all).
fn check_directory<R: Read + Seek>(file: &mut R) -> Option<()> {
    use std::io::SeekFrom;
    let len = file.seek(SeekFrom::End(0)).ok()?;
    let tail_len = len.min(22 + 65_535);
    file.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    file.read_exact(&mut tail).ok()?;
    file.seek(SeekFrom::Start(0)).ok()?;
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let entries = u16::from_le_bytes([*tail.get(at + 10)?, *tail.get(at + 11)?]) as u64;
    // 0xFFFF: a ZIP64 directory, which no workbook needs.
    (entries <= MAX_ENTRIES && entries != 0xFFFF).then_some(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Sheet,
    Strings,
    Other,
}

/// Where the scanner is in the XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Text,
    /// After `<`, before the kind of markup is known.
    Open,
    /// An element tag; inside a quoted value if `Some`.
    Tag(Option<u8>),
    Comment,
    Cdata,
    Instruction,
}

/// The first bytes of a tag kept to read its name and attributes.
const TAG_HEAD: usize = 256;

/// A byte-level read of an XML part: the lengths of its runs of text and
/// markup (what an XML reader has to hold at once), and in a sheet the
/// rows and columns its cells are in.
struct XmlScan<'l> {
    part: Part,
    limits: &'l Limits,
    at: At,
    run: usize,
    head: Vec<u8>,
    /// The last three bytes, for the ends of comments and sections.
    last: [u8; 3],
    row: usize,
    max_row: usize,
    max_column: usize,
    strings: u64,
    declared_strings: u64,
    /// ODS: the cells of the row so far, and empty ones not yet counted.
    ods_columns: usize,
    ods_pending: usize,
}

impl<'l> XmlScan<'l> {
    fn new(part: Part, limits: &'l Limits) -> XmlScan<'l> {
        XmlScan {
            part,
            limits,
            at: At::Text,
            run: 0,
            head: Vec::with_capacity(TAG_HEAD),
            last: [0; 3],
            row: 0,
            max_row: 0,
            max_column: 0,
            strings: 0,
            declared_strings: 0,
            ods_columns: 0,
            ods_pending: 0,
        }
    }

    fn feed(&mut self, bytes: &[u8]) -> Result<(), ImportError> {
        let run_limit = self.limits.xml_run();
        for &b in bytes {
            self.last = [self.last[1], self.last[2], b];
            let was = self.at;
            match (self.at, b) {
                (At::Text, b'<') => {
                    self.at = At::Open;
                    self.run = 0;
                    self.head.clear();
                }
                (At::Open, _) => {
                    self.head.push(b);
                    self.at = match self.head.as_slice() {
                        [b'?', ..] => At::Instruction,
                        [b'!', b'-', b'-', ..] => At::Comment,
                        b"![CDATA[" => At::Cdata,
                        [b'!', rest @ ..] if b"[CDATA[".starts_with(rest) || rest == b"-" => At::Open,
                        // A document type (and the entities it may declare):
                        // no workbook has one.
                        [b'!', ..] => return Err(ImportError::Unreadable(crate::table::Unreadable::Workbook)),
                        [b'>'] => At::Text,
                        _ => At::Tag(None),
                    };
                }
                (At::Tag(None), b'>') => {
                    self.at = At::Text;
                    self.run = 0;
                    self.tag_end()?;
                    continue;
                }
                (At::Comment, b'>') if self.last == *b"-->" => self.at = At::Text,
                (At::Cdata, b'>') if self.last == *b"]]>" => self.at = At::Text,
                (At::Instruction, b'>') if self.last[1] == b'?' => self.at = At::Text,
                (At::Tag(None), b'"' | b'\'') => self.at = At::Tag(Some(b)),
                (At::Tag(Some(q)), _) if q == b => self.at = At::Tag(None),
                _ => {}
            }
            if self.at == At::Text && was != At::Text {
                // The end of a comment, section or instruction: text follows.
                self.run = 0;
                continue;
            }
            self.run += 1;
            if matches!(was, At::Tag(_)) && self.head.len() < TAG_HEAD {
                self.head.push(b);
            }
            // The shared strings are bounded as a whole: a long one is
            // refused with its row when the sheet uses it.
            if self.run > run_limit && self.part != Part::Strings {
                return Err(Limit::Cell {
                    row: self.row.max(1),
                    limit: self.limits.cell_chars,
                }
                .into());
            }
        }
        Ok(())
    }

    /// At the end of an element tag: in a sheet, the row a `<row>` opens
    /// and the column of a `<c>` that holds something.
    fn tag_end(&mut self) -> Result<(), ImportError> {
        let head = &self.head[..self.head.len().min(TAG_HEAD)];
        let name_end = head
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .unwrap_or(head.len());
        let name = &head[..name_end];
        let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
        match (self.part, local) {
            (Part::Sheet, b"row") => {
                self.row = attribute(head, b"r")
                    .and_then(|r| std::str::from_utf8(r).ok()?.parse().ok())
                    .unwrap_or(self.row + 1);
                if self.row > self.limits.rows + 1 {
                    return Err(Limit::Rows {
                        row: self.row,
                        limit: self.limits.rows,
                    }
                    .into());
                }
            }
            // ODS: `table:table-row`, numbered by its place (a repeated row
            // is held once by the reader).
            (Part::Sheet, b"table-row") => {
                self.row += 1;
                self.ods_columns = 0;
                self.ods_pending = 0;
                if self.row > self.limits.rows + 1 {
                    return Err(Limit::Rows {
                        row: self.row,
                        limit: self.limits.rows,
                    }
                    .into());
                }
            }
            (Part::Sheet, b"c") if !head.ends_with(b"/") => {
                let column = attribute(head, b"r").map(column_of).unwrap_or(0);
                if column >= self.limits.row_cells {
                    return Err(Limit::Columns {
                        row: self.row.max(1),
                        limit: self.limits.row_cells,
                    }
                    .into());
                }
                self.max_row = self.max_row.max(self.row);
                self.max_column = self.max_column.max(column);
            }
            // ODS cells: the reader makes each repeated column a cell,
            // and the empty ones before a cell with content too.
            (Part::Sheet, b"table-cell" | b"covered-table-cell") => {
                let repeats: usize = attribute(head, b"table:number-columns-repeated")
                    .and_then(|n| std::str::from_utf8(n).ok()?.parse().ok())
                    .unwrap_or(1);
                if head.ends_with(b"/") {
                    self.ods_pending = self.ods_pending.saturating_add(repeats);
                } else {
                    self.ods_columns = self
                        .ods_columns
                        .saturating_add(self.ods_pending)
                        .saturating_add(repeats);
                    self.ods_pending = 0;
                    if self.ods_columns > self.limits.row_cells {
                        return Err(Limit::Columns {
                            row: self.row.max(1),
                            limit: self.limits.row_cells,
                        }
                        .into());
                    }
                    self.max_row = self.max_row.max(self.row);
                    self.max_column = self.max_column.max(self.ods_columns - 1);
                }
            }
            (Part::Strings, b"sst") => {
                self.declared_strings = attribute(head, b"uniqueCount")
                    .and_then(|n| std::str::from_utf8(n).ok()?.parse().ok())
                    .unwrap_or(0);
            }
            (Part::Strings, b"si") => self.strings += 1,
            _ => {}
        }
        Ok(())
    }

    /// At the end of a part: the reader sets aside room for as many shared
    /// strings as the part says it has, so the count must be true.
    fn finish(&self) -> Result<(), ImportError> {
        if self.declared_strings > self.strings + 1_024 {
            return Err(ImportError::Unreadable(crate::table::Unreadable::Workbook));
        }
        Ok(())
    }
}

/// The value of attribute `name` in a tag's first bytes.
fn attribute<'a>(head: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while i + name.len() + 2 <= head.len() {
        let before_ok = i == 0 || head[i - 1].is_ascii_whitespace();
        if before_ok && head[i..].starts_with(name) && head[i + name.len()] == b'=' {
            let quote = head[i + name.len() + 1];
            let start = i + name.len() + 2;
            let len = head[start..].iter().position(|b| *b == quote)?;
            return Some(&head[start..start + len]);
        }
        i += 1;
    }
    None
}

/// The 0-based column of a cell reference such as `AB12`.
fn column_of(reference: &[u8]) -> usize {
    reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .fold(0usize, |n, b| {
            n.saturating_mul(26)
                .saturating_add((b.to_ascii_uppercase() - b'A') as usize + 1)
        })
        .saturating_sub(1)
}

/// A CSV file read through a count of each record's bytes and of the
/// records: the CSV reader never holds more than one record of
/// [`Limits::record_bytes`], and a file with more rows than allowed stops
/// at the first row too many. Records end where the CSV reader ends them:
/// at a line break outside a quoted field, a field being quoted only when
/// its first character is a quote (a quote elsewhere is text).
pub struct CsvGuard<R> {
    inner: R,
    limits: Limits,
    delimiter: u8,
    field: Field,
    run: usize,
    /// The row being read, numbered as the spreadsheet shows it.
    row: usize,
    /// The limit this read went past, kept for the caller: the CSV reader
    /// only passes on an I/O error.
    pub tripped: std::sync::Arc<std::sync::Mutex<Option<Limit>>>,
}

/// Where a CSV guard is within a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first of two.
    QuoteInQuoted,
}

impl<R: Read> CsvGuard<R> {
    pub fn new(inner: R, limits: Limits, delimiter: u8) -> CsvGuard<R> {
        CsvGuard {
            inner,
            limits,
            delimiter,
            field: Field::Start,
            run: 0,
            row: 1,
            tripped: Default::default(),
        }
    }
}

/// The separator of a CSV whose first bytes are `head`: a semicolon when
/// the first line has more of them than commas.
pub fn csv_delimiter(head: &[u8]) -> u8 {
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let semicolons = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    if semicolons > commas { b';' } else { b',' }
}

impl<R: Read> Read for CsvGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let record_limit = self.limits.record_bytes();
        for &b in &buf[..n] {
            let quoted = matches!(self.field, Field::Quoted);
            self.field = match (self.field, b) {
                (Field::Quoted, b'"') => Field::QuoteInQuoted,
                (Field::Quoted, _) => Field::Quoted,
                (Field::QuoteInQuoted, b'"') => Field::Quoted,
                (Field::Start, b'"') => Field::Quoted,
                (_, b'\n' | b'\r') => Field::Start,
                (_, d) if d == self.delimiter => Field::Start,
                _ => Field::Unquoted,
            };
            if !quoted && matches!(b, b'\n' | b'\r') {
                if b == b'\n' {
                    self.row += 1;
                }
                self.run = 0;
                continue;
            }
            self.run += 1;
            let limit = if self.run > record_limit {
                Some(Limit::Row {
                    row: self.row,
                    limit: self.limits.row_chars,
                })
            } else if self.row > self.limits.rows + 1 && !b.is_ascii_whitespace() {
                Some(Limit::Rows {
                    row: self.row,
                    limit: self.limits.rows,
                })
            } else {
                None
            };
            if let Some(limit) = limit {
                *self.tripped.lock().expect("guard lock") = Some(limit);
                return Err(std::io::Error::other("import limit"));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_guard_ends_records_where_the_csv_reader_does() {
        let limits = Limits {
            row_chars: 10,
            row_cells: 2,
            ..Limits::WEB
        };
        let read = |text: &str| {
            let mut guard = CsvGuard::new(text.as_bytes(), limits, b',');
            let result = std::io::copy(&mut guard, &mut std::io::sink());
            result
                .map(|_| ())
                .map_err(|_| guard.tripped.lock().unwrap().clone().unwrap())
        };
        // A quote inside a field is text; a doubled quote in a quoted
        // field is one quote; line breaks inside quotes belong to the field.
        let fine = "ab\"c,d\n\"x\"\"y\",z\r\n\"p\nq\",r\n".repeat(100);
        assert_eq!(read(&fine), Ok(()));
        let long = format!("a,b\n\"{}\",c\n", "x\n".repeat(40));
        assert_eq!(read(&long), Err(Limit::Row { row: 2, limit: 10 }));
    }

    #[test]
    fn columns_from_references() {
        assert_eq!(column_of(b"A1"), 0);
        assert_eq!(column_of(b"Z9"), 25);
        assert_eq!(column_of(b"AA9"), 26);
        assert_eq!(column_of(b"XFD1048576"), 16_383);
    }

    #[test]
    fn quoted_brackets_and_comments_do_not_end_a_run() {
        let limits = Limits {
            cell_chars: 10,
            ..Limits::WEB
        };
        let long = "x>".repeat(limits.xml_run());
        for xml in [
            format!("<row r=\"3\"><c r=\"A3\" x=\"{long}\">"),
            format!("<row r=\"3\"><!-- {long} -->"),
            format!("<row r=\"3\"><![CDATA[{long}]]>"),
            format!("<row r=\"3\"><c r=\"A3\"><v>{long}</v>"),
        ] {
            let mut scan = XmlScan::new(Part::Sheet, &limits);
            let e = scan.feed(xml.as_bytes()).unwrap_err();
            assert_eq!(e, ImportError::TooLarge(Limit::Cell { row: 3, limit: 10 }), "{xml:.40}");
        }
        // ODS: repeated columns before a cell with content count; trailing
        // empty ones do not.
        let mut scan = XmlScan::new(Part::Sheet, &limits);
        let trailing = "<table:table-row table:number-rows-repeated=\"1048571\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
        scan.feed(trailing.as_bytes()).unwrap();
        let wide = "<table:table-row><table:table-cell table:number-columns-repeated=\"16000\"/><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>";
        let e = scan.feed(wide.as_bytes()).unwrap_err();
        assert_eq!(e, ImportError::TooLarge(Limit::Columns { row: 2, limit: 256 }));
        let mut scan = XmlScan::new(Part::Sheet, &limits);
        let fine = "<row r=\"2\"><!-- a > b --><c r=\"B2\" t=\"s\"><v>12</v></c></row>".repeat(1000);
        scan.feed(fine.as_bytes()).unwrap();
        assert_eq!((scan.max_row, scan.max_column), (2, 1));
    }
}
