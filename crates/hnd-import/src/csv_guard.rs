//! A CSV read through a count of each record's bytes and of the records.

use crate::limits::{Limit, Limits};
use std::io::Read;

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
}
