//! The tree's units and a plan's targets in a layout of their own: the
//! same mapping step as member lists, for flat sheets. The header is found
//! below title rows (on one to three rows, merged cells combined), each
//! column is matched to one of the template's columns by its folded label
//! (a targets sheet's other columns to indicators, by code or name), and
//! the file is read back through the mapping as the template's table, so
//! that the template's own reader checks every cell as it always does.

use crate::fields::name_key;
use crate::layout::find_with;
use crate::mapping::{Column, Ignored, column_of, letter};
use crate::rows::{RawRows, read_head};
use crate::{ImportError, Limits, Table};
use hnd_domain::plan::all_indicators;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetKind {
    /// Branches and groups (`hnd org import`).
    Org,
    /// A plan's targets per unit (`hnd plans import-targets`).
    Targets,
}

/// How a flat sheet in a layout of its own is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetMapping {
    pub kind: SheetKind,
    /// Cells typed in a pre-Unicode font, read back to Unicode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<crate::Legacy>,
    pub header_rows: Vec<usize>,
    pub first_row: usize,
    /// Each column read, and the template's column (or indicator) it fills.
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<Ignored>,
}

const NOTE: &str = "\
# Cách đọc bảng tính này (hnd org map / hnd plans map-targets): mỗi [[columns]]
# là một cột và cột mẫu (hoặc mã chỉ tiêu) nhận giá trị của nó; [[ignored]]: cột
# không nhập. Sửa field của một cột rồi nhập với --mapping.
";

/// The template's column a label names, for a sheet of `kind`.
fn field_of(kind: SheetKind, label: &str) -> Option<String> {
    let key = name_key(label);
    let has = |w: &str| key.split(' ').any(|k| k == w);
    let phrase = |p: &str| format!(" {key} ").contains(&format!(" {p} "));
    match kind {
        SheetKind::Org => {
            let column = if phrase("cap tren") || phrase("truc thuoc") || phrase("don vi cha") {
                crate::org::PARENT
            } else if phrase("thanh lap") {
                crate::org::FOUNDED
            } else if phrase("nganh nghe") || key == "nghe" || phrase("linh vuc") {
                crate::org::TRADE
            } else if has("ma") {
                crate::org::CODE
            } else if has("ten") {
                crate::org::NAME
            } else if has("loai") || phrase("hinh thuc") || phrase("dia ban nghe nghiep") {
                crate::org::KIND
            } else if has("cap") {
                crate::org::LEVEL
            } else {
                return None;
            };
            Some(column.to_string())
        }
        SheetKind::Targets => {
            let place = phrase("don vi") || has("dv") || has("xa") || has("tinh") || has("so") || key == "ma";
            if has("ma") && place {
                return Some(crate::targets::UNIT_COLUMN.to_string());
            }
            if has("ten") && (phrase("don vi") || key.split(' ').count() <= 2) {
                return Some(crate::targets::NAME_COLUMN.to_string());
            }
            indicator_of(label)
        }
    }
}

/// The indicator a column's label names: its code, or its name (folded,
/// either containing the other).
fn indicator_of(label: &str) -> Option<String> {
    let key = name_key(label);
    if key.len() < 3 {
        return None;
    }
    all_indicators()
        .into_iter()
        .find(|i| i.code == label.trim() || name_key(i.name_vi) == key)
        .or_else(|| {
            all_indicators().into_iter().find(|i| {
                let name = name_key(i.name_vi);
                name.len() >= 6 && (key.contains(&name) || (key.len() >= 12 && name.contains(&key)))
            })
        })
        .map(|i| i.code.to_string())
}

/// Whether `field` is one a sheet of `kind` takes.
fn known(kind: SheetKind, field: &str) -> bool {
    match kind {
        SheetKind::Org => crate::org::COLUMNS.contains(&field),
        SheetKind::Targets => {
            field == crate::targets::UNIT_COLUMN
                || field == crate::targets::NAME_COLUMN
                || all_indicators().iter().any(|i| i.code == field)
        }
    }
}

/// Proposes how the sheet at `path` is read as a sheet of `kind`.
pub fn propose_sheet(path: &Path, kind: SheetKind) -> Result<SheetMapping, ImportError> {
    let head = read_head(path, 60, Limits::WEB)?;
    let sample: Vec<&str> = head
        .rows
        .iter()
        .flat_map(|(_, r)| r.iter().map(String::as_str))
        .collect();
    let legacy = crate::legacy::detect(sample.iter().copied());
    let rows: Vec<(usize, Vec<String>)> = head
        .rows
        .iter()
        .map(|(n, r)| (*n, r.iter().map(|c| crate::values::clean(c, legacy)).collect()))
        .collect();
    let is_label = |c: &str| field_of(kind, c).is_some();
    let key = match kind {
        SheetKind::Org => crate::org::CODE,
        SheetKind::Targets => crate::targets::UNIT_COLUMN,
    };
    let is_key = |c: &str| field_of(kind, c).as_deref() == Some(key);
    let header = find_with(&rows, &head.merges, &is_label, &is_key).ok_or_else(|| missing(kind, &[]))?;
    let mut columns = Vec::new();
    let mut ignored = Vec::new();
    for c in 0..header.labels.len() {
        let label = header.label(c);
        if label.is_empty() {
            continue;
        }
        // The most specific label first: the column's own, then with its parents.
        let own = header.labels[c].last().cloned().unwrap_or_default();
        let field = field_of(kind, &own).or_else(|| field_of(kind, &label));
        match field {
            Some(field) if !columns.iter().any(|x: &Column| x.field == field) => columns.push(Column {
                column: letter(c),
                header: label,
                field,
            }),
            _ => ignored.push(Ignored {
                column: letter(c),
                header: label,
            }),
        }
    }
    let mapping = SheetMapping {
        kind,
        legacy,
        header_rows: header.rows,
        first_row: header.first_row,
        columns,
        ignored,
    };
    mapping.check_fields()?;
    Ok(mapping)
}

fn missing(kind: SheetKind, have: &[&str]) -> ImportError {
    let required: &[&str] = match kind {
        SheetKind::Org => &crate::org::REQUIRED,
        SheetKind::Targets => &[crate::targets::UNIT_COLUMN],
    };
    ImportError::MappingMissing(
        required
            .iter()
            .filter(|f| !have.contains(f))
            .map(|f| f.to_string())
            .collect(),
    )
}

impl SheetMapping {
    pub fn from_toml(text: &str) -> Result<SheetMapping, ImportError> {
        let mapping: SheetMapping = basic_toml::from_str(text).map_err(|e| ImportError::Mapping(e.to_string()))?;
        for c in &mapping.columns {
            if column_of(&c.column).is_none() {
                return Err(ImportError::Mapping(c.column.clone()));
            }
            if !known(mapping.kind, &c.field) {
                return Err(ImportError::Mapping(c.field.clone()));
            }
        }
        mapping.check_fields()?;
        Ok(mapping)
    }

    pub fn to_toml(&self) -> String {
        let body = basic_toml::to_string(self).expect("a mapping is plain values and tables");
        format!("{NOTE}{body}")
    }

    /// The required columns are all mapped.
    fn check_fields(&self) -> Result<(), ImportError> {
        let have: Vec<&str> = self.columns.iter().map(|c| c.field.as_str()).collect();
        let required: &[&str] = match self.kind {
            SheetKind::Org => &crate::org::REQUIRED,
            SheetKind::Targets => &[crate::targets::UNIT_COLUMN],
        };
        if required.iter().all(|f| have.contains(f)) {
            Ok(())
        } else {
            Err(missing(self.kind, &have))
        }
    }

    /// The sheet at `path` read through the mapping as the template's
    /// table: its headers the mapped fields, its rows numbered as the
    /// file numbers them.
    pub fn read(&self, path: &Path) -> Result<Table, ImportError> {
        let mut source = RawRows::open(path, Limits::WEB, None)?;
        let at: Vec<usize> = self.columns.iter().filter_map(|c| column_of(&c.column)).collect();
        let mut rows = Vec::new();
        while let Some(row) = source.next_row() {
            let (number, cells) = row?;
            if number < self.first_row {
                continue;
            }
            let picked: Vec<String> = at
                .iter()
                .map(|&c| crate::values::clean(cells.get(c).map(|s| s.trim()).unwrap_or_default(), self.legacy))
                .collect();
            if picked.iter().all(|c| c.is_empty()) {
                continue;
            }
            rows.push((number, picked));
        }
        Ok(Table {
            headers: self.columns.iter().map(|c| c.field.clone()).collect(),
            rows,
        })
    }
}
