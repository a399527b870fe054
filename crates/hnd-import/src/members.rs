//! The member list (`hnd members import`): columns, rules, rows. Unlike
//! the tree import, bad rows do not stop good ones: they come back with
//! their errors, to be written to an error file, fixed and imported again.

use crate::Limits;
use crate::errors::{ImportError, MEMBER_TEMPLATE, Problem, RowError, Unreadable};
use crate::fields::{
    BIRTH, CCCD, DECISION, ETHNICITY, JOINED, MEMBER_COLUMNS, NAME, PHONE, PROFILE_COLUMNS, RELIGION, REQUIRED, SEX,
    UNIT, VILLAGE,
};
use crate::table::{Table, csv_error};
use hnd_domain::profile::Profile;
use hnd_domain::{BirthDate, Cccd, Day, Ethnicity, Phone, Sex, UnitCode};
use hnd_store::{MemberRow, NewMember};
use std::collections::HashMap;

/// A member from one row of the sheet: the row's number and what it
/// enters in the register.
#[derive(Debug, Clone)]
pub struct MemberSheetRow {
    pub row: usize,
    pub entry: MemberRow,
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

/// Turns rows of a member sheet into members or row errors. A CCCD twice
/// in one chunk is refused here with both rows; further apart, the first
/// row is in the register by the time the second is checked, so the same
/// person is "already in the register" and another person is refused with
/// a pointer to the member who has the CCCD. The parser keeps nothing from
/// one chunk to the next: an import's memory does not grow with the file.
pub struct MemberParser {
    at: Vec<Option<usize>>,
    /// Where each profile field the sheet has is: (field, cell).
    profile_at: Vec<(&'static str, usize)>,
    /// A sheet in a layout of its own: its rows become the template's
    /// cells first (`mapping.rs`).
    mapped: Option<std::sync::Arc<crate::mapping::Applier>>,
    /// The branch the rows above started (a mapping with sections).
    section: Option<String>,
    /// CCCD (as a number, 8 bytes instead of a string) → first row, in
    /// the chunk being read.
    first_seen: HashMap<u64, usize>,
    headers: Vec<String>,
    limits: Limits,
}

impl MemberParser {
    /// A parser for a sheet with these `headers`, or the missing columns
    /// (naming the member template), with the operator's limits.
    pub fn new(headers: Vec<String>) -> Result<MemberParser, ImportError> {
        MemberParser::with_limits(headers, Limits::OPERATOR)
    }

    /// A parser refusing rows past `limits`.
    pub fn with_limits(headers: Vec<String>, limits: Limits) -> Result<MemberParser, ImportError> {
        limits.check_row(1, &headers)?;
        let table = Table {
            headers,
            rows: Vec::new(),
        };
        let at = table
            .require(&MEMBER_COLUMNS, &REQUIRED)
            .map_err(|e| e.with_template(MEMBER_TEMPLATE))?;
        let found = table.columns(&PROFILE_COLUMNS.map(|(header, _)| header));
        let profile_at = PROFILE_COLUMNS
            .iter()
            .zip(found)
            .filter_map(|((_, field), at)| Some((*field, at?)))
            .collect();
        Ok(MemberParser {
            at,
            profile_at,
            mapped: None,
            section: None,
            first_seen: HashMap::new(),
            headers: table.headers,
            limits,
        })
    }

    /// A parser for a sheet read through `mapping`; `headers` are the
    /// file's own column labels (for the error file).
    pub fn mapped(mapping: &crate::Mapping, headers: Vec<String>, limits: Limits) -> MemberParser {
        let applier = crate::mapping::Applier::new(mapping);
        let members = crate::fields::MEMBER_FIELDS.len();
        MemberParser {
            at: (0..members).map(Some).collect(),
            profile_at: hnd_domain::profile::FIELDS
                .iter()
                .enumerate()
                .map(|(i, f)| (*f, members + i))
                .collect(),
            mapped: Some(std::sync::Arc::new(applier)),
            section: None,
            first_seen: HashMap::new(),
            headers,
            limits,
        }
    }

    /// An empty chunk to parse rows into.
    pub fn sheet(&mut self) -> MemberSheet {
        self.first_seen.clear();
        MemberSheet {
            headers: self.headers.clone(),
            ..MemberSheet::default()
        }
    }

    /// The next chunk of up to `size` rows that `next` hands over (row
    /// number and cells), or `None` when it has none left; a streamed
    /// source's error, or a row past the limits, stops the import. Empty
    /// rows are passed over and not counted: a run of them costs neither
    /// memory nor error rows.
    pub fn chunk(
        &mut self,
        size: usize,
        mut next: impl FnMut() -> Option<Result<(usize, Vec<String>), ImportError>>,
    ) -> Result<Option<MemberSheet>, ImportError> {
        let mut sheet = self.sheet();
        let mut read = 0;
        while read < size {
            let Some(found) = next() else { break };
            let (row, cells) = found?;
            self.limits.check_row(row, &cells)?;
            if let Some(applier) = self.mapped.clone() {
                if row < applier.first_row {
                    continue;
                }
                let Some(template) = applier.apply(&cells, &mut self.section) else {
                    continue;
                };
                if self.is_empty(&template) {
                    continue;
                }
                read += 1;
                let before = sheet.errors.len();
                self.parse_as(row, &template, cells, &mut sheet);
                for e in &mut sheet.errors[before..] {
                    if e.column == UNIT && e.problem == Problem::BadCode && applier.by_name() {
                        e.problem = Problem::UnmappedBranch;
                    }
                    if let Some(source) = applier.sources.get(&e.column) {
                        e.column = source.clone();
                    }
                }
                continue;
            }
            if self.is_empty(&cells) {
                continue;
            }
            read += 1;
            self.parse(row, cells, &mut sheet);
        }
        Ok((read > 0).then_some(sheet))
    }

    /// Parses one row into `sheet`: a member, or its errors (and its cells,
    /// for the error file).
    pub fn parse(&mut self, row: usize, cells: Vec<String>, sheet: &mut MemberSheet) {
        if self.is_empty(&cells) {
            return;
        }
        let template = cells.clone();
        self.parse_as(row, &template, cells, sheet);
    }

    /// Parses the template's cells `cells` of row `row`; `kept` is the row
    /// as the file has it, for the error file.
    fn parse_as(&mut self, row: usize, cells: &[String], kept: Vec<String>, sheet: &mut MemberSheet) {
        let cell = |column: &str| -> String {
            let i = self.at[MEMBER_COLUMNS.iter().position(|c| *c == column).expect("known column")];
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
            let key: u64 = c.as_str().parse().expect("twelve digits");
            if let Some(first_row) = self.first_seen.get(&key) {
                bad(CCCD, Problem::DuplicateInFile { first_row: *first_row });
            } else {
                self.first_seen.insert(key, row);
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
        let profile = self.profile(cells).map_err(|errors| {
            for e in errors {
                let header = PROFILE_COLUMNS.iter().find(|(_, f)| *f == e.field).map(|(h, _)| *h);
                sheet.errors.push(RowError {
                    row,
                    column: header.unwrap_or(e.field).to_string(),
                    value: e.value,
                    problem: Problem::Profile(e.reason),
                });
            }
        });
        let ok = sheet.errors.len() == before;
        if let (true, Some(birth), Some(sex), Some(unit)) = (ok, birth, sex, unit) {
            let member = NewMember {
                full_name,
                birth,
                sex,
                ethnicity,
                religion: optional(RELIGION),
                cccd,
                phone,
                village: optional(VILLAGE),
                unit,
            };
            let entry = MemberRow {
                member,
                admitted,
                profile: profile.ok().flatten(),
            };
            sheet.rows.push(MemberSheetRow { row, entry });
        }
        // Kept for every row of the chunk: the register may refuse a row the
        // sheet accepted, and the error file repeats it as it was.
        sheet.cells.insert(row, kept);
    }
}

impl MemberParser {
    /// Whether a row says nothing about a member: every column of the
    /// template (members' and profiles') is blank. Decided: a row with
    /// text only in columns the template does not know is passed over
    /// like an empty one, not refused: it carries nothing to import, and
    /// sheets often have a note or a formula far to the right of a list.
    fn is_empty(&self, cells: &[String]) -> bool {
        self.at
            .iter()
            .flatten()
            .chain(self.profile_at.iter().map(|(_, at)| at))
            .all(|&i| cells.get(i).is_none_or(|c| c.trim().is_empty()))
    }

    /// The profile a row's profile columns give (membership residential),
    /// `None` when it fills none of them.
    fn profile(&self, cells: &[String]) -> Result<Option<Profile>, Vec<hnd_domain::profile::FieldError>> {
        let value = |field: &str| -> String {
            self.profile_at
                .iter()
                .find(|(f, _)| *f == field)
                .and_then(|(_, at)| cells.get(*at))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        if self.profile_at.iter().all(|(f, _)| value(f).is_empty()) {
            return Ok(None);
        }
        // The template has no column for the kind of branch: residential.
        let mapped = self.mapped.is_some();
        Profile::parse(|field| match field {
            "residential" if !mapped => "yes".to_string(),
            f => value(f),
        })
        .map(Some)
    }
}

/// The profile columns of a member in an export: empty without a
/// profile; personal ones masked without `reveal`.
pub fn profile_cells(profile: Option<&Profile>, reveal: bool) -> Vec<String> {
    let Some(p) = profile else {
        return vec![String::new(); PROFILE_COLUMNS.len()];
    };
    let shown = p.display(hnd_domain::Lang::Vi);
    PROFILE_COLUMNS
        .iter()
        .map(|(_, field)| {
            if hnd_domain::profile::is_sensitive(field) && !reveal {
                return hnd_domain::i18n::t(hnd_domain::Lang::Vi, "profile.masked", &[]);
            }
            let value = shown.iter().find(|(f, _)| f == field).map(|(_, v)| v.clone());
            value.unwrap_or_default()
        })
        .collect()
}

/// Reads a whole member sheet; only a file that cannot be read at all, or
/// lacks a required column, is an error.
pub fn read_member_table(table: Table) -> Result<MemberSheet, ImportError> {
    read_member_table_with(table, Limits::OPERATOR)
}

/// [`read_member_table`] refusing rows past `limits`.
pub fn read_member_table_with(table: Table, limits: Limits) -> Result<MemberSheet, ImportError> {
    let mut parser = MemberParser::with_limits(table.headers, limits)?;
    let mut sheet = parser.sheet();
    for (row, cells) in table.rows {
        limits.check_row(row, &cells)?;
        parser.parse(row, cells, &mut sheet);
    }
    if sheet.rows.is_empty() && sheet.errors.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(sheet)
}

/// A member CSV read a chunk at a time, so that memory stays flat
/// whatever the file's size; its bytes go through a [`crate::CsvGuard`].
pub struct MemberCsvStream {
    records: csv::StringRecordsIntoIter<crate::CsvGuard<std::io::BufReader<std::fs::File>>>,
    tripped: std::sync::Arc<std::sync::Mutex<Option<crate::Limit>>>,
    parser: MemberParser,
    next_row: usize,
}

impl MemberCsvStream {
    pub fn open(path: &std::path::Path) -> Result<MemberCsvStream, ImportError> {
        MemberCsvStream::open_with(path, Limits::OPERATOR)
    }

    pub fn open_with(path: &std::path::Path, limits: Limits) -> Result<MemberCsvStream, ImportError> {
        let io = |_| ImportError::Unreadable(Unreadable::Io);
        let mut file = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
        // Skip a byte-order mark; sniff the separator from the header line.
        let head = std::io::BufRead::fill_buf(&mut file).map_err(io)?;
        let bom = head.starts_with(b"\xEF\xBB\xBF");
        let delimiter = crate::csv_guard::csv_delimiter(head);
        if bom {
            std::io::BufRead::consume(&mut file, 3);
        }
        let guard = crate::CsvGuard::new(file, limits, delimiter);
        let tripped = guard.tripped.clone();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(guard);
        let mut records = reader.records();
        let headers = match records.next() {
            Some(r) => r
                .map_err(|e| tripped_or(&tripped, &e))?
                .iter()
                .map(str::to_string)
                .collect(),
            None => return Err(ImportError::Empty),
        };
        drop(records);
        let parser = MemberParser::with_limits(headers, limits)?;
        Ok(MemberCsvStream {
            records: reader.into_records(),
            tripped,
            parser,
            next_row: 2,
        })
    }

    /// The next `size` rows, or `None` at the end of the file.
    pub fn next_chunk(&mut self, size: usize) -> Result<Option<MemberSheet>, ImportError> {
        let (records, next_row, tripped) = (&mut self.records, &mut self.next_row, &self.tripped);
        self.parser.chunk(size, || {
            let record = records.next()?.map_err(|e| tripped_or(tripped, &e));
            let row = *next_row;
            *next_row += 1;
            Some(record.map(|r| (row, r.iter().map(str::to_string).collect())))
        })
    }
}

/// The limit the guard went past, or else what the CSV reader says.
fn tripped_or(tripped: &std::sync::Mutex<Option<crate::Limit>>, e: &csv::Error) -> ImportError {
    match tripped.lock().expect("guard lock").clone() {
        Some(limit) => limit.into(),
        None => csv_error(e),
    }
}

/// A member workbook (XLSX) read a row at a time: a thread first reads the
/// workbook through against the limits ([`crate::workbook_scan::check_workbook`]),
/// then walks the first sheet's cells with the workbook's streaming reader
/// and hands rows over through a bounded queue, so that memory stays flat
/// whatever the number of rows (the workbook's shared strings are read
/// whole, as the format requires, within their limit).
pub struct MemberXlsxStream {
    rows: std::sync::mpsc::Receiver<Result<(usize, Vec<String>), ImportError>>,
    parser: MemberParser,
}

/// Rows waiting between the reading thread and the import.
const XLSX_QUEUE: usize = 4096;

impl MemberXlsxStream {
    pub fn open(path: &std::path::Path) -> Result<MemberXlsxStream, ImportError> {
        MemberXlsxStream::open_with(path, Limits::OPERATOR)
    }

    /// Opens the workbook at `path`; blocks until it has been read through
    /// and its header row is in.
    pub fn open_with(path: &std::path::Path, limits: Limits) -> Result<MemberXlsxStream, ImportError> {
        let (send, rows) = std::sync::mpsc::sync_channel(XLSX_QUEUE);
        let file = path.to_path_buf();
        std::thread::spawn(move || {
            if let Err(e) = read_xlsx_rows(&file, &limits, &send) {
                let _ = send.send(Err(e));
            }
        });
        let headers = match rows.recv() {
            Ok(Ok((_, headers))) => headers,
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(ImportError::Empty),
        };
        Ok(MemberXlsxStream {
            rows,
            parser: MemberParser::with_limits(headers, limits)?,
        })
    }

    /// The next `size` rows, or `None` at the end of the sheet.
    pub fn next_chunk(&mut self, size: usize) -> Result<Option<MemberSheet>, ImportError> {
        let rows = &self.rows;
        self.parser.chunk(size, || rows.recv().ok())
    }
}

/// Sends the rows of the first sheet of the workbook at `path`, the
/// header first, each with its row number as the spreadsheet shows it;
/// rows without any cell are skipped. Stops early when nobody listens, and
/// at the first cell past `limits`' columns (before making room for it).
pub(crate) fn read_xlsx_rows(
    path: &std::path::Path,
    limits: &Limits,
    send: &std::sync::mpsc::SyncSender<Result<(usize, Vec<String>), ImportError>>,
) -> Result<(), ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let bad = |_| ImportError::Unreadable(Unreadable::Workbook);
    let open = || std::fs::File::open(path).map_err(|_| ImportError::Unreadable(Unreadable::Io));
    crate::workbook_scan::check_workbook(std::io::BufReader::new(open()?), limits)?;
    let mut book: Xlsx<_> = Xlsx::new(std::io::BufReader::new(open()?)).map_err(bad)?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ImportError::Unreadable(Unreadable::NoSheet))?;
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(bad)?;
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(bad)? {
        let (row, column) = cell.get_position();
        let text = crate::table::cell_text(&Data::from(cell.get_value().clone()));
        if current.as_ref().is_some_and(|(r, _)| *r != row) {
            let (r, values) = current.take().expect("checked");
            if send.send(Ok((r as usize + 1, values))).is_err() {
                return Ok(());
            }
        }
        let (_, values) = current.get_or_insert_with(|| (row, Vec::new()));
        let column = column as usize;
        if column >= limits.row_cells && !text.is_empty() {
            return Err(crate::Limit::Columns {
                row: row as usize + 1,
                limit: limits.row_cells,
            }
            .into());
        }
        if column >= limits.row_cells {
            continue;
        }
        if values.len() <= column {
            values.resize(column + 1, String::new());
        }
        values[column] = text;
    }
    if let Some((r, values)) = current {
        let _ = send.send(Ok((r as usize + 1, values)));
    }
    Ok(())
}

/// The refused rows of a chunk for the error file: row number, the cells
/// as read, and what is wrong, in row order.
pub fn error_rows(
    sheet: &MemberSheet,
    errors: &[RowError],
    lang: hnd_domain::Lang,
) -> Vec<(usize, Vec<String>, String)> {
    let mut by_row: std::collections::BTreeMap<usize, Vec<String>> = std::collections::BTreeMap::new();
    for e in errors {
        by_row.entry(e.row).or_default().push(e.message(lang));
    }
    by_row
        .into_iter()
        .map(|(row, messages)| {
            (
                row,
                sheet.cells.get(&row).cloned().unwrap_or_default(),
                messages.join(" | "),
            )
        })
        .collect()
}
