//! A mapping proposed for a file on disk, imported into a unit of the
//! register: the units its branch names may stand for are the branches
//! and groups under that unit (or the unit itself, when it is one).

use crate::branches::UnitName;
use crate::propose::{Proposal, propose};
use crate::rows::{RawRows, read_head};
use crate::{ImportError, Limits, RunError};
use hnd_domain::{Day, Level};
use hnd_store::Store;
use std::path::Path;

/// Rows read to find the header and judge the columns by their values.
pub const HEAD_ROWS: usize = 500;

/// Distinct branch names read from a file at most.
const MAX_NAMES: usize = 20_000;

/// Proposes a mapping for `file`, to be imported into `unit` on `day`.
pub async fn propose_file(store: &Store, file: &Path, unit: &str, day: Day) -> Result<Proposal, RunError> {
    let top = store.unit(unit, day).await?;
    let mut units: Vec<UnitName> = store
        .descendants(&top.unit, day)
        .await?
        .into_iter()
        .filter(|u| matches!(u.level, Level::Branch | Level::Group))
        .map(|u| UnitName {
            code: u.code,
            name: u.name,
        })
        .collect();
    let own = matches!(top.unit.level, Level::Branch | Level::Group).then(|| top.unit.code.clone());
    if let Some(code) = &own {
        units.push(UnitName {
            code: code.clone(),
            name: top.unit.name.clone(),
        });
    }
    let (file, unit) = (file.to_path_buf(), unit.to_string());
    let work = tokio::task::spawn_blocking(move || -> Result<Proposal, ImportError> {
        let limits = Limits::OPERATOR;
        let head = read_head(&file, HEAD_ROWS, limits)?;
        let text = head.text;
        let mut values = |col: usize, first_row: usize| -> Result<Vec<String>, ImportError> {
            let mut rows = RawRows::open(&file, limits, text)?;
            let mut seen = std::collections::BTreeSet::new();
            while let Some(row) = rows.next_row() {
                let (number, cells) = row?;
                if number < first_row {
                    continue;
                }
                let value = if col == crate::propose::HEADINGS {
                    let mut filled = cells.iter().map(|v| v.trim()).filter(|v| !v.is_empty());
                    match (filled.next(), filled.next()) {
                        (Some(only), None) => Some(only),
                        _ => None,
                    }
                } else {
                    cells.get(col).map(|v| v.trim()).filter(|v| !v.is_empty())
                };
                if let Some(v) = value
                    && seen.len() < MAX_NAMES
                {
                    seen.insert(v.to_string());
                }
            }
            Ok(seen.into_iter().collect())
        };
        propose(&head, &unit, &units, own.as_deref(), &mut values)
    });
    match work.await {
        Ok(proposal) => Ok(proposal?),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
