//! Targets in the layout provinces use: one row per unit (the unit and
//! the units directly below it), one column per indicator. Written out for
//! a unit, read back with every cell checked; nothing is written unless
//! every cell is good (the caller then writes them all in one go).

use crate::{Problem, RowError, SheetWriter, Table};
use hnd_domain::plan::{Comparator, all_indicators};
use hnd_domain::{Day, Lang, PlanError, i18n::t};
use hnd_store::Store;
use std::path::Path;

/// The column of unit codes in a targets sheet.
pub const UNIT_COLUMN: &str = "Mã đơn vị";
pub(crate) const NAME_COLUMN: &str = "Tên đơn vị";

/// A target read from a sheet: unit code, indicator code, comparator, value.
pub type TargetRow = (String, String, Comparator, f64);

/// Writes plan `number`'s targets of `unit` and its children to `file`
/// (XLSX or CSV by its extension). Returns the rows written.
pub async fn export_targets(store: &Store, number: &str, unit: &str, file: &Path) -> Result<usize, crate::RunError> {
    let u = store.unit(unit, Day::today()).await?.unit;
    let mut units = vec![(u.code.clone(), u.name.clone())];
    units.extend(
        store
            .children(u.id, Day::today())
            .await?
            .into_iter()
            .map(|c| (c.code, c.name)),
    );
    let mut table = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    for (code, _) in &units {
        let targets = store.targets(number, code).await?;
        for t in &targets {
            if !codes.contains(&t.indicator) {
                codes.push(t.indicator.clone());
            }
        }
        table.push(targets);
    }
    let mut headers = vec![UNIT_COLUMN, NAME_COLUMN];
    headers.extend(codes.iter().map(String::as_str));
    let mut out = SheetWriter::create(file, &headers)?;
    for ((code, name), targets) in units.iter().zip(&table) {
        let mut row = vec![code.clone(), name.clone()];
        for c in &codes {
            row.push(
                targets
                    .iter()
                    .find(|t| &t.indicator == c)
                    .map(|t| t.value.to_string())
                    .unwrap_or_default(),
            );
        }
        out.write_row(&row)?;
    }
    out.finish()?;
    Ok(units.len())
}

/// A figure as people type it: "7.000", "7000", "3,5".
pub fn figure(text: &str) -> Option<f64> {
    let t = text.trim().replace(' ', "");
    let t = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() == 1 && t.split('.').nth(1).is_some_and(|d| d.len() != 3) {
        t
    } else {
        t.replace('.', "")
    };
    t.parse().ok().filter(|v: &f64| v.is_finite())
}

/// Reads a targets sheet for plan `number` (in the template's layout, or
/// in one of its own read through the mapping proposed for it) and checks every cell (the
/// indicator is known and applies at the unit, the unit is in the plan's
/// unit, percentages are at most 100, and `allowed` says yes to the unit's
/// path): the targets to write, or every bad cell. Nothing is written.
pub async fn read_targets(
    store: &Store,
    number: &str,
    file: &Path,
    comparator: Comparator,
    allowed: &(dyn Fn(&str) -> bool + Sync),
    lang: Lang,
) -> Result<Result<Vec<TargetRow>, Vec<RowError>>, crate::RunError> {
    let table = Table::read(file)?;
    let key = hnd_domain::fold(UNIT_COLUMN);
    let table = if table.headers.iter().any(|h| hnd_domain::fold(h.trim()) == key) {
        table
    } else {
        // A layout of its own: read through the mapping proposed for it.
        crate::propose_sheet(file, crate::SheetKind::Targets)?.read(file)?
    };
    read_targets_table(store, number, table, comparator, allowed, lang).await
}

/// [`read_targets`] of a table already read (a sheet in a layout of its
/// own, read through a [`crate::SheetMapping`]).
pub async fn read_targets_table(
    store: &Store,
    number: &str,
    table: Table,
    comparator: Comparator,
    allowed: &(dyn Fn(&str) -> bool + Sync),
    lang: Lang,
) -> Result<Result<Vec<TargetRow>, Vec<RowError>>, crate::RunError> {
    let at = table.require(&[UNIT_COLUMN], &[UNIT_COLUMN])?;
    let unit_at = at[0].expect("required");
    let mut errors = Vec::new();
    // Every other column names an indicator, by code or by name.
    let mut columns = Vec::new();
    for (i, header) in table.headers.iter().enumerate() {
        if i == unit_at || hnd_domain::fold(header) == hnd_domain::fold(NAME_COLUMN) {
            continue;
        }
        let found = all_indicators()
            .into_iter()
            .find(|ind| ind.code == header.trim() || hnd_domain::fold(ind.name_vi) == hnd_domain::fold(header));
        match found {
            Some(ind) => columns.push((i, ind.code)),
            None => errors.push(RowError {
                row: 1,
                column: header.clone(),
                value: header.clone(),
                problem: Problem::Register(PlanError::UnknownIndicator { code: header.clone() }.message(lang)),
            }),
        }
    }
    let mut targets = Vec::new();
    for (row, cells) in &table.rows {
        let unit = cells.get(unit_at).map(|c| c.trim().to_string()).unwrap_or_default();
        if unit.is_empty() {
            continue;
        }
        let refused = match store.unit_path(&unit).await {
            Err(e) => Some(e.message(lang)),
            Ok((_, path)) if !allowed(&path) => Some(hnd_domain::AccountError::Forbidden.message(lang)),
            Ok(_) => None,
        };
        if let Some(message) = refused {
            errors.push(RowError {
                row: *row,
                column: UNIT_COLUMN.into(),
                value: unit.clone(),
                problem: Problem::Register(message),
            });
            continue;
        }
        for (i, code) in &columns {
            let text = cells.get(*i).map(|c| c.trim()).unwrap_or("");
            if text.is_empty() {
                continue;
            }
            let problem = match figure(text) {
                None => Some(t(lang, "cli.bad_figure", &[])),
                Some(v) => match store.check_target(number, &unit, code, v).await {
                    Err(e) => Some(e.message(lang)),
                    Ok(_) => {
                        targets.push((unit.clone(), code.to_string(), comparator, v));
                        None
                    }
                },
            };
            if let Some(message) = problem {
                errors.push(RowError {
                    row: *row,
                    column: table.headers[*i].clone(),
                    value: text.to_string(),
                    problem: Problem::Register(message),
                });
            }
        }
    }
    Ok(if errors.is_empty() { Ok(targets) } else { Err(errors) })
}
