//! Spreadsheet import: a file (XLSX, XLS, ODS or CSV) becomes validated
//! rows, or the list of every bad row with its number, column and reason.
//! Nothing here writes: the store loads the rows in one transaction.
//! Every read holds to limits ([`Limits`]) checked while the file is read.

mod branches;
mod csv_guard;
mod errors;
mod export;
mod fields;
mod layout;
mod legacy;
mod limits;
mod map_file;
mod mapping;
mod members;
mod org;
mod preview;
mod propose;
mod rows;
mod run;
mod sheet_map;
mod table;
mod targets;
mod text;
mod values;
mod vocab;
mod workbook_scan;

pub use branches::{UnitName, match_names};
pub use csv_guard::CsvGuard;
pub use errors::{ImportError, MEMBER_TEMPLATE, ORG_TEMPLATE, Problem, RowError, Unreadable};
pub use export::{ExportError, SheetWriter, csv_cell, write_csv_record};
pub use fields::missing as missing_fields;
pub use fields::{MEMBER_COLUMNS, PROFILE_COLUMNS, canonical_headers, field_label, name_key};
pub use layout::{Header, find as find_header};
pub use legacy::{Legacy, convert as convert_legacy, cp1252_byte, detect as detect_legacy, encode as encode_legacy};
pub use limits::{Limit, Limits};
pub use map_file::{HEAD_ROWS, propose_file};
pub use mapping::{Applier, Branch, Column, Ignored, Mapping, Mark, Marks, Split, branch_line, column_of, letter};
pub use members::{
    MemberCsvStream, MemberParser, MemberSheet, MemberSheetRow, MemberXlsxStream, error_rows, profile_cells,
    read_member_table, read_member_table_with,
};
pub use org::{OrgRow, locate, read_org_csv, read_org_file, read_org_table, read_org_xlsx};
pub use preview::{Preview, PreviewRow, field_choices, is_template, preview_members};
pub use propose::{Proposal, propose};
pub use rows::{Format, Head, Merge, RawRows, read_head, sniff_text};
pub use run::{
    Batch, BatchChange, IMPORT_CHUNK, ImportOptions, ImportSummary, RunError, UnitFilter, export_members,
    import_members,
};
pub use sheet_map::{SheetKind, SheetMapping, propose_sheet};
pub use table::{MAX_FILE_BYTES, MAX_MEMBER_CSV_BYTES, MAX_WHOLE_CELLS, Table};
pub use targets::{TargetRow, UNIT_COLUMN, export_targets, figure, read_targets, read_targets_table};
pub use text::{Decoded, TextEncoding, TextForm, sniff as sniff_encoding, sniff_delimiter};
pub use workbook_scan::{Extent, check_workbook};
