//! What an import refuses, and why, in words a person reads: a bad
//! cell, a file that cannot be read, a limit gone past.

use crate::limits::Limit;
use hnd_domain::{Lang, i18n::t};

/// Why a cell was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    BadCode,
    BadName,
    BadLevel,
    BadKind,
    TradeRequired,
    BadDate,
    DuplicateInFile {
        first_row: usize,
    },
    BadSex,
    BadEthnicity,
    BadCccd,
    BadPhone,
    /// A branch name the mapping does not give a unit for.
    UnmappedBranch,
    /// Found by the register, not the sheet: its message says why.
    Register(String),
    /// A profile value refused: the locale key of the reason.
    Profile(&'static str),
}

/// One bad cell: where it is, what it holds, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub problem: Problem,
}

impl RowError {
    pub fn message(&self, lang: Lang) -> String {
        let reason = match &self.problem {
            Problem::Empty => t(lang, "import.empty", &[]),
            Problem::BadCode => t(lang, "import.bad_code", &[]),
            Problem::BadName => t(lang, "import.bad_name", &[]),
            Problem::BadLevel => t(lang, "import.bad_level", &[]),
            Problem::BadKind => t(lang, "import.bad_kind", &[]),
            Problem::TradeRequired => t(lang, "import.trade_required", &[]),
            Problem::BadDate => t(lang, "import.bad_date", &[]),
            Problem::DuplicateInFile { first_row } => t(lang, "import.duplicate", &[("first", first_row)]),
            Problem::BadSex => t(lang, "import.bad_sex", &[]),
            Problem::BadEthnicity => t(lang, "import.bad_ethnicity", &[]),
            Problem::BadCccd => t(lang, "import.bad_cccd", &[]),
            Problem::BadPhone => t(lang, "import.bad_phone", &[]),
            Problem::UnmappedBranch => t(lang, "import.unmapped_branch", &[]),
            Problem::Register(message) => message.clone(),
            Problem::Profile(reason) => t(lang, reason, &[]),
        };
        t(
            lang,
            "import.row_error",
            &[
                ("row", &self.row),
                ("column", &self.column),
                ("value", &self.value),
                ("reason", &reason),
            ],
        )
    }
}

/// Why a file could not be read at all, in words a person understands: the
/// reader's own message (in English, often naming a server path or the
/// inside of a zip) is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// The file cannot be opened or read.
    Io,
    /// A CSV that is not UTF-8.
    NotUtf8,
    /// A CSV broken at this row (an unclosed quote, a stray byte).
    Csv { row: usize },
    /// Not a valid XLSX (or ODS) workbook: not a zip, a part missing or broken.
    Workbook,
    /// Not a valid XLS workbook.
    OldWorkbook,
    /// A workbook without a sheet.
    NoSheet,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("unreadable file: {0:?}")]
    Unreadable(Unreadable),
    /// `name` is the file's name as its owner gave it, never a path on the server.
    #[error("{name} is not a spreadsheet")]
    NotASpreadsheet { name: String },
    /// `template`: the template file whose columns the sheet must have, if any.
    #[error("missing columns {missing:?}")]
    WrongHeaders {
        missing: Vec<String>,
        found: Vec<String>,
        template: Option<&'static str>,
    },
    #[error("{} bad rows", .0.len())]
    Rows(Vec<RowError>),
    #[error("no data rows")]
    Empty,
    #[error("over an import limit: {0:?}")]
    TooLarge(Limit),
    /// A mapping file that cannot be read, or names what does not exist.
    #[error("bad mapping: {0}")]
    Mapping(String),
    /// A mapping that leaves required fields unfilled (their labels).
    #[error("mapping misses {0:?}")]
    MappingMissing(Vec<String>),
    /// Branch names whose unit still needs a person's confirmation, as
    /// "name → code · unit name" lines.
    #[error("{} matches to confirm", .0.len())]
    Unconfirmed(Vec<String>),
}

/// The template of the branch and group list.
pub const ORG_TEMPLATE: &str = "to-chuc-mau.csv";
/// The template of the member list.
pub const MEMBER_TEMPLATE: &str = "hoi-vien-mau.csv";

impl ImportError {
    /// What a person reads; for bad rows, one line per problem.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ImportError::Unreadable(why) => match why {
                Unreadable::Io => t(lang, "import.unreadable_io", &[]),
                Unreadable::NotUtf8 => t(lang, "import.unreadable_utf8", &[]),
                Unreadable::Csv { row } => t(lang, "import.unreadable_csv", &[("row", row)]),
                Unreadable::Workbook => t(lang, "import.unreadable_xlsx", &[]),
                Unreadable::OldWorkbook => t(lang, "import.unreadable_xls", &[]),
                Unreadable::NoSheet => t(lang, "import.unreadable_no_sheet", &[]),
            },
            ImportError::NotASpreadsheet { name } => t(lang, "import.not_spreadsheet", &[("path", name)]),
            ImportError::WrongHeaders {
                missing,
                found,
                template,
            } => {
                // What the file has instead, without its empty cells, and
                // a few names only, each cut short: the header row may be
                // anything.
                let named: Vec<String> = found
                    .iter()
                    .map(|h| h.trim())
                    .filter(|h| !h.is_empty())
                    .take(20)
                    .map(|h| match h.char_indices().nth(40) {
                        Some((at, _)) => format!("{}…", &h[..at]),
                        None => h.to_string(),
                    })
                    .map(|h| format!("«{h}»"))
                    .collect();
                let found = if named.is_empty() {
                    t(lang, "import.no_headers", &[])
                } else {
                    named.join(", ")
                };
                let missing: Vec<String> = missing.iter().map(|m| format!("«{m}»")).collect();
                let mut out = t(
                    lang,
                    "import.wrong_headers",
                    &[("missing", &missing.join(", ")), ("found", &found)],
                );
                if let Some(template) = template {
                    out.push(' ');
                    out.push_str(&t(lang, "import.see_template", &[("template", template)]));
                }
                out
            }
            ImportError::Rows(rows) => {
                let mut out = t(lang, "import.rows_refused", &[("count", &rows.len())]);
                for r in rows {
                    out.push('\n');
                    out.push_str(&r.message(lang));
                }
                out
            }
            ImportError::Empty => t(lang, "import.no_rows", &[]),
            ImportError::TooLarge(limit) => limit_message(limit, lang),
            ImportError::Mapping(detail) => t(lang, "import.bad_mapping", &[("detail", detail)]),
            ImportError::MappingMissing(fields) => t(lang, "import.mapping_missing", &[("fields", &fields.join(", "))]),
            ImportError::Unconfirmed(lines) => {
                let mut out = t(lang, "import.unconfirmed", &[("count", &lines.len())]);
                for line in lines {
                    out.push_str("\n  ");
                    out.push_str(line);
                }
                out
            }
        }
    }

    /// The same refusal of headers, naming `template`.
    pub fn with_template(self, template: &'static str) -> ImportError {
        match self {
            ImportError::WrongHeaders { missing, found, .. } => ImportError::WrongHeaders {
                missing,
                found,
                template: Some(template),
            },
            other => other,
        }
    }
}

fn limit_message(limit: &Limit, lang: Lang) -> String {
    use Limit::*;
    use hnd_domain::fmt::int;
    let mb = |bytes: &u64| int((*bytes / (1024 * 1024)) as i64, lang);
    let n = |count: &usize| int(*count as i64, lang);
    match limit {
        File { bytes, limit } => t(
            lang,
            "import.limit_file",
            &[("size", &mb(bytes)), ("limit", &mb(limit))],
        ),
        Unpacked { limit } => t(lang, "import.limit_unpacked", &[("limit", &mb(limit))]),
        Rows { row, limit } => t(lang, "import.limit_rows", &[("row", &n(row)), ("limit", &n(limit))]),
        Columns { row, limit } => t(lang, "import.limit_columns", &[("row", &n(row)), ("limit", &n(limit))]),
        Cell { row, limit } => t(lang, "import.limit_cell", &[("row", &n(row)), ("limit", &n(limit))]),
        Row { row, limit } => t(lang, "import.limit_row", &[("row", &n(row)), ("limit", &n(limit))]),
        Cells { limit } => t(lang, "import.limit_cells", &[("limit", &n(limit))]),
    }
}

impl From<Limit> for ImportError {
    fn from(limit: Limit) -> ImportError {
        ImportError::TooLarge(limit)
    }
}
