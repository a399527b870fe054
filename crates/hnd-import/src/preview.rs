//! The first rows of a file as a mapping will import them: each row's
//! cells in the register's fields, and every error the import would give
//! that row (the reader's and the register's checks: unknown branch, a
//! CCCD already held, a date the rules refuse). Nothing is written.

use crate::fields::{canonical_index, field_label};
use crate::mapping::Applier;
use crate::run::{RunError, UnitFilter, blocking, check_chunk};
use crate::{ImportError, Limits, Mapping, MemberParser, RawRows};
use hnd_domain::{Day, Lang};
use hnd_store::Store;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Values of a column shown beside its mapping.
const SAMPLES: usize = 3;

/// What the first rows of a file become.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// The register's fields the mapping fills, by their labels.
    pub fields: Vec<String>,
    pub rows: Vec<PreviewRow>,
    /// A few values of each of the file's columns (by the column's
    /// number), from the rows previewed.
    pub samples: Vec<Vec<String>>,
}

/// One row of the file: its number, its cells in `Preview::fields`'
/// order, and the reasons it would be refused (none: it is imported).
#[derive(Debug, Clone, Default)]
pub struct PreviewRow {
    pub row: usize,
    pub cells: Vec<String>,
    pub errors: Vec<String>,
}

/// Reads up to `count` member rows of `file` through `mapping` and checks
/// them as the import would on `day`. A branch match still to be
/// confirmed is not taken: its rows show as naming no unit.
pub async fn preview_members(
    store: &Store,
    file: &Path,
    mapping: &Mapping,
    day: Day,
    lang: Lang,
    allowed: UnitFilter<'_>,
    count: usize,
) -> Result<Preview, RunError> {
    let mut taken = mapping.clone();
    for branch in taken.branches.iter_mut().filter(|b| b.confirm) {
        branch.unit.clear();
    }
    let mapping = &taken;
    let (path, read_with) = (file.to_path_buf(), mapping.clone());
    let (sheet, raws) = blocking(move || -> Result<_, ImportError> {
        let limits = Limits::WEB;
        let mut rows = RawRows::open(&path, limits, read_with.text_form())?;
        let mut parser = MemberParser::mapped(&read_with, read_with.headers(), limits);
        let mut raws = Vec::new();
        let sheet = parser.chunk(count, || {
            let next = rows.next_row()?;
            if let Ok((number, cells)) = &next {
                raws.push((*number, cells.clone()));
            }
            Some(next)
        })?;
        Ok((sheet.unwrap_or_default(), raws))
    })
    .await?;
    let (_, errors) = check_chunk(store, &sheet, day, &mut HashMap::new(), lang, allowed, &mut Vec::new()).await?;

    let mut fields: Vec<(&str, usize)> = mapping
        .fields()
        .into_iter()
        .filter_map(|f| Some((f, canonical_index(f)?)))
        .collect();
    fields.sort_by_key(|(_, at)| *at);
    let applier = Applier::new(mapping);
    let (mut section, mut template) = (None, HashMap::new());
    let mut samples: Vec<Vec<String>> = Vec::new();
    for (number, cells) in raws.iter().filter(|(n, _)| *n >= mapping.first_row) {
        for (col, value) in cells.iter().enumerate() {
            let value = value.trim();
            if samples.len() <= col {
                samples.resize(col + 1, Vec::new());
            }
            if !value.is_empty() && samples[col].len() < SAMPLES {
                let value = crate::values::clean(value, mapping.legacy);
                samples[col].push(value);
            }
        }
        if let Some(cells) = applier.apply(cells, &mut section) {
            template.insert(*number, cells);
        }
    }
    let mut rows: BTreeMap<usize, PreviewRow> = BTreeMap::new();
    let numbers = sheet.rows.iter().map(|r| r.row).chain(errors.iter().map(|e| e.row));
    for number in numbers {
        rows.entry(number).or_insert_with(|| PreviewRow {
            row: number,
            cells: template
                .get(&number)
                .map(|cells| {
                    fields
                        .iter()
                        .map(|(_, at)| cells.get(*at).cloned().unwrap_or_default())
                        .collect()
                })
                .unwrap_or_default(),
            errors: Vec::new(),
        });
    }
    for e in &errors {
        if let Some(row) = rows.get_mut(&e.row) {
            row.errors.push(e.message(lang));
        }
    }
    Ok(Preview {
        fields: fields.iter().map(|(f, _)| field_label(f, lang)).collect(),
        rows: rows.into_values().collect(),
        samples,
    })
}

/// Whether the file at `path` is in the member template's own layout (its
/// first row holds the template's required headers): such a file imports
/// without a mapping.
pub fn is_template(path: &Path) -> Result<bool, ImportError> {
    let head = crate::read_head(path, 1, Limits::WEB)?;
    let Some((_, cells)) = head.rows.into_iter().next() else {
        return Ok(false);
    };
    Ok(MemberParser::with_limits(cells, Limits::WEB).is_ok())
}

/// Every field a column may fill, with its label: the template's, then
/// the profile's.
pub fn field_choices(lang: Lang) -> Vec<(&'static str, String)> {
    crate::fields::MEMBER_FIELDS
        .iter()
        .chain(hnd_domain::profile::FIELDS.iter())
        .map(|f| (*f, field_label(f, lang)))
        .collect()
}
