//! A mapping: how a member list in a layout of its own becomes the
//! register's fields. Proposed by `propose.rs`, kept as a TOML file the
//! user may correct, applied here row by row: each row of the file becomes
//! the cells of the member template ([`MEMBER_COLUMNS`] then every profile
//! field), which the template's own parser then checks, so that a mapped
//! import and a template import refuse and load exactly alike.

use crate::errors::ImportError;
use crate::fields::{canonical_headers, canonical_index, name_key};
use crate::legacy::Legacy;
use crate::text::TextEncoding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Fields recognised in files but not kept by a member import.
pub const NOT_KEPT: [&str; 1] = ["household_category"];

/// A mapping file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// The unit the file is imported into.
    pub unit: String,
    /// For a text file: how its bytes are characters, and the separator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<TextEncoding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Cells typed in a pre-Unicode font, read back to Unicode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<Legacy>,
    /// The header's rows, as the spreadsheet numbers them.
    pub header_rows: Vec<usize>,
    /// The first row of members; rows above it are passed over.
    pub first_row: usize,
    /// Every member's branch or group, when the file names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The branches are rows of their own ("CHI HỘI THÔN 1" alone on its
    /// row, its members below): a row with one cell filled starts the
    /// branch its name stands for in [[branches]] (or none).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sections: bool,
    /// Columns that fill one field each (several columns of one text field
    /// are joined with ", ").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// Groups of columns marked with "X", each group one field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Marks>,
    /// A value written in the column of its kind: the birth date in the
    /// column "Nam" or "Nữ".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub splits: Vec<Split>,
    /// Branch and group names in the file, and the unit each stands for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<Branch>,
    /// Columns not imported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<Ignored>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The column's letter (A, B, … AA).
    pub column: String,
    pub header: String,
    pub field: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marks {
    pub field: String,
    /// The value when no column of the group is marked ("" for none).
    #[serde(default)]
    pub unmarked: String,
    pub columns: Vec<Mark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub column: String,
    pub header: String,
    /// The field's value when this column is marked.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// The field the columns hold (birth).
    pub field: String,
    /// The field the column tells (sex), with each column's value.
    pub by: String,
    pub columns: Vec<Mark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// The name as the file writes it.
    pub name: String,
    /// The unit's code ("" when none was found: choose one).
    pub unit: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit_name: String,
    /// The match is not certain: check it (or pass --accept-proposed).
    pub confirm: bool,
    /// Other units the name could be, "CODE · name".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ignored {
    pub column: String,
    pub header: String,
}

/// A column's letter: 0 → A, 26 → AA.
pub fn letter(mut column: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// A column's position from its letter (or its number from 1).
pub fn column_of(text: &str) -> Option<usize> {
    let t = text.trim();
    if let Ok(n) = t.parse::<usize>() {
        return n.checked_sub(1);
    }
    if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for b in t.bytes() {
        n = n * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1;
    }
    Some(n - 1)
}

impl Mapping {
    /// Reads a mapping file's text.
    pub fn from_toml(text: &str) -> Result<Mapping, ImportError> {
        let mapping: Mapping = basic_toml::from_str(text).map_err(|e| ImportError::Mapping(e.to_string()))?;
        mapping.check()?;
        Ok(mapping)
    }

    /// The mapping as a TOML file, with a note on how to read it.
    pub fn to_toml(&self) -> String {
        let body = basic_toml::to_string(self).expect("a mapping is plain values and tables");
        format!("{NOTE}{body}")
    }

    /// Whether every column and field named exists.
    fn check(&self) -> Result<(), ImportError> {
        let bad = |what: &str| Err(ImportError::Mapping(what.to_string()));
        let known = |f: &str| canonical_index(f).is_some() || NOT_KEPT.contains(&f);
        for c in &self.columns {
            if column_of(&c.column).is_none() {
                return bad(&c.column);
            }
            if !known(&c.field) {
                return bad(&c.field);
            }
        }
        for m in &self.marks {
            if !known(&m.field) || m.columns.iter().any(|c| column_of(&c.column).is_none()) {
                return bad(&m.field);
            }
        }
        for s in &self.splits {
            if !known(&s.field) || !known(&s.by) || s.columns.iter().any(|c| column_of(&c.column).is_none()) {
                return bad(&s.field);
            }
        }
        if self.first_row == 0 {
            return bad("first_row");
        }
        Ok(())
    }

    /// The file's column labels as the mapping names them, column by
    /// column from A (for the error file, which keeps the file's layout).
    pub fn headers(&self) -> Vec<String> {
        let named = self
            .columns
            .iter()
            .map(|c| (c.column.as_str(), c.header.as_str()))
            .chain(
                self.marks
                    .iter()
                    .flat_map(|m| m.columns.iter().map(|c| (c.column.as_str(), c.header.as_str()))),
            )
            .chain(
                self.splits
                    .iter()
                    .flat_map(|s| s.columns.iter().map(|c| (c.column.as_str(), c.header.as_str()))),
            )
            .chain(self.ignored.iter().map(|c| (c.column.as_str(), c.header.as_str())));
        let mut out: Vec<String> = Vec::new();
        for (column, header) in named {
            let Some(at) = column_of(column) else { continue };
            if out.len() <= at {
                out.resize(at + 1, String::new());
            }
            if out[at].is_empty() {
                out[at] = header.to_string();
            }
        }
        out
    }

    /// Why the mapping cannot import yet: a required field no column
    /// fills, or (unless `accept_proposed`) branch names to confirm.
    pub fn ready(&self, accept_proposed: bool, lang: hnd_domain::Lang) -> Result<(), ImportError> {
        let missing = crate::fields::missing(&self.fields(), lang);
        if !missing.is_empty() {
            return Err(ImportError::MappingMissing(missing));
        }
        let unconfirmed = self.unconfirmed();
        if !accept_proposed && !unconfirmed.is_empty() {
            let lines = unconfirmed.iter().map(|b| branch_line(b, lang)).collect();
            return Err(ImportError::Unconfirmed(lines));
        }
        Ok(())
    }

    /// The branch names that still need a person's confirmation.
    pub fn unconfirmed(&self) -> Vec<&Branch> {
        self.branches
            .iter()
            .filter(|b| b.confirm || b.unit.is_empty())
            .collect()
    }

    /// The text form of a text file the mapping names, if it names one.
    pub fn text_form(&self) -> Option<crate::text::TextForm> {
        let encoding = self.encoding?;
        let delimiter = match self.delimiter.as_deref() {
            Some("\t") | Some("tab") => b'\t',
            Some(";") => b';',
            _ => b',',
        };
        Some(crate::text::TextForm { encoding, delimiter })
    }

    /// The fields the mapping fills, each once.
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let all = self
            .columns
            .iter()
            .map(|c| c.field.as_str())
            .chain(self.marks.iter().map(|m| m.field.as_str()))
            .chain(self.splits.iter().flat_map(|s| [s.field.as_str(), s.by.as_str()]));
        for f in all {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        if (self.branch.is_some() || self.sections) && !out.contains(&"branch") {
            out.push("branch");
        }
        out
    }
}

const NOTE: &str = "\
# Cách đọc tệp này (hnd members map): mỗi [[columns]] là một cột và trường
# nhận giá trị của nó; mỗi [[marks]] là một nhóm cột đánh dấu \"X\" thành một
# trường (unmarked: giá trị khi không cột nào được đánh dấu); [[branches]]:
# tên chi hội, tổ hội trong tệp và mã đơn vị tương ứng; confirm = true: cần
# kiểm tra rồi đổi thành false (hoặc nhập với --accept-proposed).
\n";

/// Columns of a group, each with the value it stands for.
type Marked = Vec<(usize, String)>;

/// "name → code · unit name", or that no unit was found.
pub fn branch_line(b: &Branch, lang: hnd_domain::Lang) -> String {
    let target = if b.unit.is_empty() {
        hnd_domain::i18n::t(lang, "import.unmatched_branch", &[])
    } else {
        format!("{} · {}", b.unit, b.unit_name)
    };
    format!("«{}» → {}", b.name, target)
}

/// A mapping ready to apply to rows.
pub struct Applier {
    pub first_row: usize,
    /// (template cell, file columns) of fields filled from columns.
    direct: Vec<(usize, Vec<usize>)>,
    /// (template cell, (column, value) marked, value when unmarked).
    marks: Vec<(usize, Marked, String)>,
    /// (template cell, cell told by the column, (column, told value)).
    splits: Vec<(usize, usize, Marked)>,
    branches: HashMap<String, String>,
    branch: Option<String>,
    sections: bool,
    legacy: Option<Legacy>,
    /// The header of each template cell as the file names it, for errors.
    pub sources: HashMap<String, String>,
    cells: usize,
}

impl Applier {
    pub fn new(mapping: &Mapping) -> Applier {
        let headers = canonical_headers();
        let mut sources = HashMap::new();
        let mut direct: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut name = |at: usize, header: &str| {
            sources.entry(headers[at].clone()).or_insert_with(|| header.to_string());
        };
        for c in &mapping.columns {
            let (Some(at), Some(col)) = (canonical_index(&c.field), column_of(&c.column)) else {
                continue;
            };
            name(at, &c.header);
            match direct.iter_mut().find(|(a, _)| *a == at) {
                Some((_, cols)) => cols.push(col),
                None => direct.push((at, vec![col])),
            }
        }
        let mut marks = Vec::new();
        for m in &mapping.marks {
            let Some(at) = canonical_index(&m.field) else { continue };
            if let Some(first) = m.columns.first() {
                name(at, &first.header);
            }
            let cols = m
                .columns
                .iter()
                .filter_map(|c| Some((column_of(&c.column)?, c.value.clone())))
                .collect();
            marks.push((at, cols, m.unmarked.clone()));
        }
        let mut splits = Vec::new();
        for s in &mapping.splits {
            let (Some(at), Some(by)) = (canonical_index(&s.field), canonical_index(&s.by)) else {
                continue;
            };
            if let Some(first) = s.columns.first() {
                name(at, &first.header);
            }
            let cols = s
                .columns
                .iter()
                .filter_map(|c| Some((column_of(&c.column)?, c.value.clone())))
                .collect();
            splits.push((at, by, cols));
        }
        // Profile errors name a sheet field by its template header.
        for (header, field) in crate::fields::PROFILE_COLUMNS {
            if let Some(source) = sources.get(field).cloned() {
                sources.insert(header.to_string(), source);
            }
        }
        let branches = mapping
            .branches
            .iter()
            .filter(|b| !b.unit.is_empty())
            .map(|b| (name_key(&b.name), b.unit.clone()))
            .collect();
        Applier {
            first_row: mapping.first_row,
            direct,
            marks,
            splits,
            branches,
            branch: mapping.branch.clone(),
            sections: mapping.sections,
            legacy: mapping.legacy,
            sources,
            cells: headers.len(),
        }
    }

    /// Whether the file names branches rather than giving their codes.
    pub fn by_name(&self) -> bool {
        !self.branches.is_empty()
    }

    /// The file's row `raw` as the template's cells; `None` when every
    /// column the mapping reads is empty (a blank or a numbering row), or
    /// when the row starts a branch (`section` is then its unit's code).
    pub fn apply(&self, raw: &[String], section: &mut Option<String>) -> Option<Vec<String>> {
        if self.sections {
            let mut filled = raw.iter().filter(|c| !c.trim().is_empty());
            if let (Some(only), None) = (filled.next(), filled.next()) {
                let name = crate::values::clean(only.trim(), self.legacy);
                *section = self.branches.get(&name_key(&name)).cloned();
                return None;
            }
        }
        let read = self
            .direct
            .iter()
            .flat_map(|(_, cols)| cols.iter().copied())
            .chain(self.marks.iter().flat_map(|(_, cols, _)| cols.iter().map(|(c, _)| *c)))
            .chain(self.splits.iter().flat_map(|(_, _, cols)| cols.iter().map(|(c, _)| *c)));
        let mut blank = true;
        for c in read {
            if raw.get(c).is_some_and(|v| !v.trim().is_empty()) {
                blank = false;
                break;
            }
        }
        if blank {
            return None;
        }
        let cell = |col: usize| -> String {
            let text = raw.get(col).map(|s| s.trim()).unwrap_or_default();
            crate::values::clean(text, self.legacy)
        };
        let mut out = vec![String::new(); self.cells];
        for (at, cols) in &self.direct {
            let parts: Vec<String> = cols.iter().map(|&c| cell(c)).filter(|v| !v.is_empty()).collect();
            // A name in two columns is one name; parts of an address a list.
            out[*at] = parts.join(if *at == 0 { " " } else { ", " });
        }
        for (at, cols, unmarked) in &self.marks {
            let marked: Vec<&str> = cols
                .iter()
                .filter(|(c, _)| crate::values::is_mark(&cell(*c)))
                .map(|(_, v)| v.as_str())
                .collect();
            let any_text = cols.iter().any(|(c, _)| !cell(*c).is_empty());
            out[*at] = match marked.as_slice() {
                [] if any_text => cols
                    .iter()
                    .map(|(c, _)| cell(*c))
                    .find(|v| !v.is_empty())
                    .unwrap_or_default(),
                [] => unmarked.clone(),
                [one] => one.to_string(),
                // Two columns of one field marked: left for the field's check.
                many => many.join(" + "),
            };
        }
        for (at, by, cols) in &self.splits {
            let filled: Vec<(String, &str)> = cols
                .iter()
                .map(|(c, v)| (cell(*c), v.as_str()))
                .filter(|(text, _)| !text.is_empty())
                .collect();
            if let [(text, told)] = filled.as_slice() {
                out[*at] = text.clone();
                if out[*by].is_empty() {
                    out[*by] = told.to_string();
                }
            } else if filled.len() > 1 {
                out[*at] = filled.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(" + ");
            }
        }
        let default = section.as_deref().or(self.branch.as_deref());
        crate::values::normalise(&mut out, &self.branches, default);
        Some(out)
    }
}
