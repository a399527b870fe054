//! Running a member import or export against the register: the one
//! implementation behind `hnd members import|export` and the web pages.
//!
//! An import reads the file a chunk at a time (CSV, XLSX) or whole (XLS,
//! ODS), within its [`Limits`], checks each chunk against the register,
//! loads its good rows in one transaction and writes its bad rows, in the
//! file's own columns plus the row number and the reason, to an error file
//! (capped: past the cap, one closing line counts the rest). A crash, or a
//! cancel (between chunks), loses at most the chunk in flight; running the
//! same file again skips what was loaded. The file is read on a blocking
//! thread, never on the threads that serve requests.

use crate::{
    ImportError, Limits, MEMBER_COLUMNS, MemberCsvStream, MemberSheet, MemberXlsxStream, PROFILE_COLUMNS, Problem,
    RowError, SheetWriter, Table, error_rows, profile_cells, read_member_table_with,
};
use hnd_domain::{Action, Day, Ethnicity, Lang, Level, MemberError, i18n::t};
use hnd_store::{Change, MemberQuery, MemberRow, Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Rows per transaction of an import.
pub const IMPORT_CHUNK: usize = 20_000;

/// Why an import or export stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Export(#[from] crate::ExportError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// Stopped between two chunks because it was asked to.
    #[error("cancelled")]
    Cancelled,
}

impl RunError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RunError::Import(e) => e.message(lang),
            RunError::Store(e) => e.message(lang),
            RunError::Cancelled => t(lang, "import.cancelled", &[]),
            other => t(lang, "cli.error", &[("error", &other.to_string())]),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub unchanged: usize,
    /// Rows refused (each written to the error file).
    pub refused: usize,
    /// Rows read so far.
    pub read: usize,
    /// The first refusals, as sentences.
    pub first_errors: Vec<String>,
    /// The first rows loaded with a warning (a CCCD that disagrees with
    /// the birth year or sex), as sentences.
    pub warnings: Vec<String>,
    /// Warnings in all, those not kept included.
    pub warned: usize,
    /// Where the refused rows are, if any were.
    pub error_file: Option<PathBuf>,
}

/// One chunk of an import, loaded in one transaction: what its audit
/// entry tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// 1 for the file's first chunk.
    pub number: usize,
    /// The file's rows it holds (their numbers in the file, first and last).
    pub first_row: usize,
    pub last_row: usize,
    /// Rows given to the register (new members, or already there).
    pub accepted: usize,
    /// Rows refused (written to the error file).
    pub refused: usize,
}

/// The change a chunk is loaded with, carrying the chunk's audit entry.
pub type BatchChange<'a> = &'a (dyn Fn(&Batch) -> Change + Sync);

/// What an import holds to and may be stopped by.
#[derive(Clone, Copy)]
pub struct ImportOptions<'a> {
    pub limits: Limits,
    /// Rows per transaction: the writer is held for one chunk at a time.
    pub chunk: usize,
    /// Error rows written to the error file at most, and its bytes at most.
    pub error_rows: usize,
    pub error_bytes: u64,
    /// Asked between chunks: `true` stops the import ([`RunError::Cancelled`]).
    pub cancel: Option<&'a (dyn Fn() -> bool + Sync)>,
    /// A file in a layout of its own, read through this mapping.
    pub mapping: Option<&'a crate::Mapping>,
    /// Take the mapping's branch matches that still need confirming.
    pub accept_proposed: bool,
}

impl ImportOptions<'_> {
    /// The operator's command line: the register's own size.
    pub const OPERATOR: ImportOptions<'static> = ImportOptions {
        limits: Limits::OPERATOR,
        chunk: IMPORT_CHUNK,
        error_rows: 1_000_000,
        error_bytes: 512 << 20,
        cancel: None,
        mapping: None,
        accept_proposed: false,
    };

    /// An upload through the web: short transactions, so that sign-ins
    /// and other writes wait for one small chunk at most.
    pub const WEB: ImportOptions<'static> = ImportOptions {
        limits: Limits::WEB,
        chunk: 2_000,
        error_rows: 10_000,
        error_bytes: 16 << 20,
        cancel: None,
        mapping: None,
        accept_proposed: false,
    };
}

/// Warnings kept as sentences; the others are counted.
const KEPT_WARNINGS: usize = 20;

/// Where an import's rows come from: a CSV or an XLSX workbook read a
/// chunk at a time, or an older workbook (XLS, ODS) read whole.
enum Source {
    Csv(Box<MemberCsvStream>),
    Xlsx(Box<MemberXlsxStream>),
    Whole(Option<MemberSheet>),
    /// Any layout, read through a mapping.
    Mapped(Box<crate::RawRows>, Box<crate::MemberParser>),
}

impl Source {
    fn open(file: &Path, limits: Limits, mapping: Option<&crate::Mapping>) -> Result<Source, RunError> {
        if let Some(mapping) = mapping {
            let rows = crate::RawRows::open(file, limits, mapping.text_form())?;
            let parser = crate::MemberParser::mapped(mapping, mapping.headers(), limits);
            return Ok(Source::Mapped(Box::new(rows), Box::new(parser)));
        }
        let ext = file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if matches!(ext.as_str(), "csv" | "xlsx" | "xlsm") {
            let size = std::fs::metadata(file)
                .map_err(|_| ImportError::Unreadable(crate::Unreadable::Io))?
                .len();
            let limit = crate::MAX_MEMBER_CSV_BYTES.min(limits.sheet_bytes);
            if size > limit {
                return Err(ImportError::from(crate::Limit::File { bytes: size, limit }).into());
            }
            if ext != "csv" {
                return Ok(Source::Xlsx(Box::new(MemberXlsxStream::open_with(file, limits)?)));
            }
            check_csv(file, limits)?;
            return Ok(Source::Csv(Box::new(MemberCsvStream::open_with(file, limits)?)));
        }
        Ok(Source::Whole(Some(read_member_table_with(Table::read(file)?, limits)?)))
    }

    fn next(&mut self, chunk: usize) -> Result<Option<MemberSheet>, RunError> {
        Ok(match self {
            Source::Csv(stream) => stream.next_chunk(chunk)?,
            Source::Xlsx(stream) => stream.next_chunk(chunk)?,
            Source::Whole(sheet) => sheet.take(),
            Source::Mapped(rows, parser) => parser.chunk(chunk, || rows.next_row())?,
        })
    }
}

/// Reads a CSV through once against `limits` (rows, length of a row), so
/// that a file past them is refused before a row is loaded.
fn check_csv(file: &Path, limits: Limits) -> Result<(), ImportError> {
    let io = |_| ImportError::Unreadable(crate::Unreadable::Io);
    let mut file = std::io::BufReader::new(std::fs::File::open(file).map_err(io)?);
    let delimiter = crate::csv_guard::csv_delimiter(std::io::BufRead::fill_buf(&mut file).map_err(io)?);
    let mut guard = crate::CsvGuard::new(file, limits, delimiter);
    let tripped = guard.tripped.clone();
    if std::io::copy(&mut guard, &mut std::io::sink()).is_err() {
        return Err(match tripped.lock().expect("guard lock").take() {
            Some(limit) => limit.into(),
            None => ImportError::Unreadable(crate::Unreadable::Io),
        });
    }
    Ok(())
}

/// Runs `work` on a blocking thread: reading a file never holds up the
/// threads that serve requests (nor, through them, the connection pools).
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// What the importing user may do where (`Principal::may`): a row naming
/// a unit they may not `Import` into is refused like any other bad row,
/// and a row whose CCCD is taken names the holder only as far as they may
/// see them (`access::holder_view`). The command line may do everything.
pub type UnitFilter<'a> = &'a (dyn Fn(Action, &str) -> bool + Sync);

/// Imports `file` into the register as of `day` within `options`' limits,
/// chunks, error file cap and cancel ([`ImportOptions::OPERATOR`] for the
/// operator's own); refused rows go to `errors_path`. `progress` hears the
/// summary after every chunk.
#[allow(clippy::too_many_arguments)]
pub async fn import_members(
    store: &Store,
    file: &Path,
    errors_path: &Path,
    day: Day,
    change: BatchChange<'_>,
    lang: Lang,
    allowed: UnitFilter<'_>,
    progress: &mut (dyn FnMut(&ImportSummary) + Send),
    options: &ImportOptions<'_>,
) -> Result<ImportSummary, RunError> {
    let mut batches = 0;
    let imported: Result<ImportSummary, RunError> = async {
        let (path, limits, size) = (file.to_path_buf(), options.limits, options.chunk.max(1));
        if let Some(mapping) = options.mapping {
            mapping.ready(options.accept_proposed, lang)?;
        }
        let mapping = options.mapping.cloned();
        let mut source = blocking(move || Source::open(&path, limits, mapping.as_ref())).await?;
        let mut units = HashMap::new();
        let mut summary = ImportSummary::default();
        let mut error_file: Option<ErrorFile> = None;
        loop {
            if options.cancel.is_some_and(|cancelled| cancelled()) {
                return Err(RunError::Cancelled);
            }
            let (back, next) = blocking(move || {
                let next = source.next(size);
                (source, next)
            })
            .await;
            source = back;
            let Some(sheet) = next? else { break };
            summary.read += sheet.rows.len() + sheet.errors.iter().map(|e| e.row).collect::<HashSet<_>>().len();
            let mut warnings = Vec::new();
            let (good, mut errors) = check_chunk(store, &sheet, day, &mut units, lang, allowed, &mut warnings).await?;
            summary.warned += warnings.len();
            let room = KEPT_WARNINGS.saturating_sub(summary.warnings.len());
            summary.warnings.extend(warnings.into_iter().take(room));
            errors.sort_by_key(|e| e.row);
            let refused = errors.iter().map(|e| e.row).collect::<HashSet<_>>().len();
            batches += 1;
            let rows = sheet.rows.iter().map(|r| r.row).chain(errors.iter().map(|e| e.row));
            let batch = Batch {
                number: batches,
                first_row: rows.clone().min().unwrap_or_default(),
                last_row: rows.max().unwrap_or_default(),
                accepted: good.len(),
                refused,
            };
            let outcome = store.load_members(&good, day, &change(&batch)).await?;
            summary.created += outcome.created;
            summary.unchanged += outcome.unchanged;
            summary.refused += refused;
            for e in errors.iter().take(20usize.saturating_sub(summary.first_errors.len())) {
                summary.first_errors.push(e.message(lang));
            }
            if !errors.is_empty() {
                let out = match &mut error_file {
                    Some(out) => out,
                    None => error_file.insert(ErrorFile::create(errors_path, &sheet.headers, options)?),
                };
                for (row, cells, messages) in error_rows(&sheet, &errors, lang) {
                    let mut record = cells;
                    record.resize(sheet.headers.len(), String::new());
                    record.push(row.to_string());
                    record.push(messages);
                    out.write(&record)?;
                }
            }
            progress(&summary);
        }
        if let Some(out) = error_file {
            out.finish(lang)?;
            summary.error_file = Some(errors_path.to_path_buf());
        }
        Ok(summary)
    }
    .await;
    // Whatever ended the import, the batches it loaded changed the sizes
    // the engine plans with.
    if batches > 0 {
        store.refresh_statistics(hnd_store::Bulk::Members).await?;
    }
    imported
}

/// The error file: the file's columns, the row and the reason, up to the
/// cap of rows and bytes; the rows past it are counted, and one closing
/// line says how many they were.
struct ErrorFile {
    out: csv::Writer<std::fs::File>,
    columns: usize,
    written: usize,
    bytes: u64,
    left_out: usize,
    max_rows: usize,
    max_bytes: u64,
}

impl ErrorFile {
    fn create(path: &Path, headers: &[String], options: &ImportOptions<'_>) -> Result<ErrorFile, RunError> {
        let out = error_writer(path, headers)?;
        Ok(ErrorFile {
            out,
            columns: headers.len() + 2,
            written: 0,
            bytes: 0,
            left_out: 0,
            max_rows: options.error_rows,
            max_bytes: options.error_bytes,
        })
    }

    fn write(&mut self, record: &[String]) -> Result<(), RunError> {
        // At most what the record takes on disk: each cell quoted, with
        // its quotes doubled, and a separator.
        let size: u64 = record.iter().map(|c| 2 * c.len() as u64 + 3).sum();
        if self.left_out > 0 || self.written >= self.max_rows || self.bytes + size > self.max_bytes {
            self.left_out += 1;
            return Ok(());
        }
        // Escaped: a cell a spreadsheet would run as a formula is text.
        crate::write_csv_record(&mut self.out, record)?;
        self.bytes += size + 1;
        self.written += 1;
        Ok(())
    }

    fn finish(mut self, lang: Lang) -> Result<(), RunError> {
        if self.left_out > 0 {
            let line = t(
                lang,
                "import.errors_left_out",
                &[
                    ("count", &hnd_domain::fmt::int(self.left_out as i64, lang)),
                    ("written", &hnd_domain::fmt::int(self.written as i64, lang)),
                ],
            );
            let mut record = vec![String::new(); self.columns];
            record[self.columns - 1] = line;
            self.out.write_record(&record)?;
        }
        self.out.flush()?;
        Ok(())
    }
}

fn error_writer(path: &Path, headers: &[String]) -> Result<csv::Writer<std::fs::File>, RunError> {
    let mut file = std::fs::File::create(path)?;
    std::io::Write::write_all(&mut file, b"\xEF\xBB\xBF")?;
    let mut out = csv::Writer::from_writer(file);
    let mut header = headers.to_vec();
    header.extend(["Dòng".to_string(), "Lỗi".to_string()]);
    crate::write_csv_record(&mut out, &header)?;
    Ok(out)
}

/// The rows of a chunk the register accepts, and the errors of the others:
/// units must be branches or groups alive on `day`; a CCCD already held by
/// somebody else points at them. `units` caches unit checks across chunks.
pub(crate) async fn check_chunk(
    store: &Store,
    sheet: &MemberSheet,
    day: Day,
    units: &mut HashMap<String, Option<String>>,
    lang: Lang,
    allowed: UnitFilter<'_>,
    warnings: &mut Vec<String>,
) -> Result<(Vec<MemberRow>, Vec<RowError>), RunError> {
    let mut errors = sheet.errors.clone();
    for row in &sheet.rows {
        let code = row.entry.member.unit.as_str();
        if units.contains_key(code) {
            continue;
        }
        let problem = match store.unit(code, day).await {
            Ok(u) if !allowed(Action::Import, &u.unit.path) => Some(hnd_domain::AccountError::Forbidden.message(lang)),
            Ok(u) if matches!(u.unit.level, Level::Branch | Level::Group) => None,
            Ok(_) => Some(MemberError::NotABranch { code: code.to_string() }.message(lang)),
            Err(e) => Some(e.message(lang)),
        };
        units.insert(code.to_string(), problem);
    }
    let cccds: Vec<String> = sheet
        .rows
        .iter()
        .filter_map(|r| r.entry.member.cccd.as_ref().map(|c| c.to_string()))
        .collect();
    let held = store.members_by_cccd(&cccds).await?;
    // The date rules the register enforces, told row by row here.
    let (rules, today) = (store.date_rules().await?, Day::today());
    let mut good = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        let m = &row.entry.member;
        if let Some(Some(message)) = units.get(m.unit.as_str()) {
            errors.push(RowError {
                row: row.row,
                column: MEMBER_COLUMNS[8].to_string(),
                value: m.unit.to_string(),
                problem: Problem::Register(message.clone()),
            });
            continue;
        }
        let admitted = row.entry.admitted.as_ref().map(|a| a.0);
        if let Err(e) = rules.check_loaded(m.birth, day, admitted, today) {
            let (column, value) = match (&e, admitted) {
                (hnd_domain::DateRuleError::TooFarAhead { .. }, Some(a)) => (MEMBER_COLUMNS[9], a.to_string()),
                _ => (MEMBER_COLUMNS[1], m.birth.to_string()),
            };
            errors.push(RowError {
                row: row.row,
                column: column.to_string(),
                value,
                problem: Problem::Register(MemberError::Date(e).message(lang)),
            });
            continue;
        }
        if let Some(cccd) = &m.cccd {
            if let Some(holder) = held.get(cccd.as_str())
                && !holder.is(&m.full_name, m.birth.year())
            {
                errors.push(RowError {
                    row: row.row,
                    column: MEMBER_COLUMNS[5].to_string(),
                    value: cccd.to_string(),
                    problem: Problem::Register(
                        holder
                            .conflict(cccd)
                            .seen_as(|path| hnd_domain::access::holder_view(allowed, path))
                            .message(lang),
                    ),
                });
                continue;
            }
            for warning in cccd.check(m.birth.year(), m.sex) {
                let message = match warning {
                    hnd_domain::person::CccdWarning::BirthYear { id_year, .. } => {
                        t(lang, "cli.cccd_year", &[("year", &id_year)])
                    }
                    hnd_domain::person::CccdWarning::Sex { id_sex, .. } => t(
                        lang,
                        "cli.cccd_sex",
                        &[("sex", &t(lang, &format!("sex.{}", id_sex.as_str()), &[]))],
                    ),
                };
                warnings.push(t(lang, "cli.cccd_warning", &[("row", &row.row), ("message", &message)]));
            }
        }
        good.push(row.entry.clone());
    }
    Ok((good, errors))
}

/// Streams the members `query` finds (its limit and offset aside) to
/// `file` (.csv or .xlsx), a page at a time, in the import template's
/// columns. Without `reveal`, CCCD, phone, ethnicity and religion are
/// masked. Returns the rows written.
pub async fn export_members(store: &Store, file: &Path, query: &MemberQuery, reveal: bool) -> Result<usize, RunError> {
    let columns: Vec<&str> = MEMBER_COLUMNS
        .iter()
        .copied()
        .chain(PROFILE_COLUMNS.map(|(h, _)| h))
        .collect();
    let mut out = SheetWriter::create(file, &columns)?;
    let (mut after, mut count) = (0, 0);
    let hide = |value: Option<&str>, keep: usize| -> String {
        hnd_domain::access::shown(value, reveal, keep).unwrap_or_default()
    };
    let filtered = query.text.is_some()
        || query.sex.is_some()
        || query.status.is_some()
        || query.ethnicity.is_some()
        || query.min_age.is_some()
        || query.max_age.is_some()
        || query.bhyt.is_some()
        || query.bhxh.is_some();
    let mut offset = 0;
    loop {
        // The whole subtree goes in id order, page after page from the
        // last id; a filtered list goes through the list's own query.
        let page = if filtered {
            let q = MemberQuery {
                offset,
                limit: 500,
                ..query.clone()
            };
            offset += 500;
            store.find_members(&q).await?.0
        } else {
            store.members_page(&query.scope, after, 5_000).await?
        };
        let Some(last) = page.last() else { break };
        after = last.id;
        let profiles = store
            .sheet_profiles(&page.iter().map(|m| m.id).collect::<Vec<_>>())
            .await?;
        for m in &page {
            let sex = if m.sex == "male" { "Nam" } else { "Nữ" };
            let ethnicity = m.ethnicity.as_deref().and_then(Ethnicity::parse).map(|e| e.name());
            let joined = m
                .joined_on
                .as_deref()
                .and_then(|d| Day::from_iso(d).ok())
                .map(|d| d.to_string());
            let mut row: Vec<String> = [
                m.full_name.as_str(),
                &m.birth_date,
                sex,
                &hide(ethnicity, 0),
                &hide(m.religion.as_deref(), 0),
                &hide(m.cccd.as_deref(), 4),
                &hide(m.phone.as_deref(), 3),
                m.village.as_deref().unwrap_or(""),
                &m.unit_code,
                joined.as_deref().unwrap_or(""),
                m.admission_decision.as_deref().unwrap_or(""),
            ]
            .map(str::to_string)
            .to_vec();
            row.extend(profile_cells(profiles.get(&m.id), reveal));
            out.write_row(&row)?;
            count += 1;
        }
    }
    out.finish()?;
    Ok(count)
}
