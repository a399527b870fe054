//! A zip workbook (XLSX, ODS) read through once before the workbook
//! reader sees it: uncompressed a block at a time and never kept, each
//! part may inflate to a set size, and in the sheet no text, tag or
//! comment may be longer than a cell may be, no row may lie past the row
//! limit and no cell past the column limit. Whatever the workbook reader
//! then holds in memory (the shared strings, the row it is reading) is
//! bounded.

use crate::errors::{ImportError, Unreadable};
use crate::limits::{Limit, Limits};
use std::io::{Read, Seek};

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
    let bad = || ImportError::Unreadable(Unreadable::Workbook);
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
                        [b'!', ..] => return Err(ImportError::Unreadable(Unreadable::Workbook)),
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
            return Err(ImportError::Unreadable(Unreadable::Workbook));
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

#[cfg(test)]
mod tests {
    use super::*;

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
