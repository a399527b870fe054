//! The tree's units and a plan's targets in a layout of their own from the
//! command line: `hnd org map` / `hnd plans map-targets` propose how a
//! sheet is read, `--mapping` on their imports reads it so.

use crate::tr;
use anyhow::Result;
use hnd_domain::Lang;
use hnd_import::{ImportError, SheetKind, SheetMapping, Table};
use std::path::Path;

/// Proposes how the sheet `file` is read as a sheet of `kind`: writes the
/// mapping to `out` (and the summary to standard output) or prints it (the
/// summary then on standard error).
pub fn map(file: &Path, kind: SheetKind, out: Option<&Path>, lang: Lang) -> Result<()> {
    let mapping = hnd_import::propose_sheet(file, kind)?;
    let rows = mapping
        .header_rows
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let fields: Vec<String> = mapping
        .columns
        .iter()
        .map(|c| format!("{} «{}» → {}", c.column, c.header, c.field))
        .collect();
    let ignored: Vec<String> = mapping
        .ignored
        .iter()
        .map(|i| format!("{} «{}»", i.column, i.header))
        .collect();
    let none = tr(lang, "map.none", &[]);
    let list = |items: &[String]| {
        if items.is_empty() {
            none.clone()
        } else {
            items.join(", ")
        }
    };
    let summary = [
        tr(lang, "map.header", &[("rows", &rows), ("first", &mapping.first_row)]),
        tr(
            lang,
            "map.fields",
            &[("count", &fields.len()), ("fields", &list(&fields))],
        ),
        tr(
            lang,
            "map.ignored",
            &[("count", &ignored.len()), ("columns", &list(&ignored))],
        ),
    ]
    .join("\n");
    match out {
        Some(path) => {
            std::fs::write(path, mapping.to_toml())?;
            println!("{summary}");
            println!("{}", tr(lang, "map.written", &[("path", &path.display())]));
        }
        None => {
            print!("{}", mapping.to_toml());
            eprintln!("{summary}");
        }
    }
    Ok(())
}

/// The sheet `file` read through the mapping at `mapping` (of `kind`) as
/// the template's table.
pub fn read(file: &Path, mapping: &Path, kind: SheetKind) -> Result<Table> {
    let text =
        std::fs::read_to_string(mapping).map_err(|e| ImportError::Mapping(format!("{}: {e}", mapping.display())))?;
    let mapping = SheetMapping::from_toml(&text)?;
    if mapping.kind != kind {
        return Err(ImportError::Mapping(format!("kind = {:?}", mapping.kind).to_lowercase()).into());
    }
    Ok(mapping.read(file)?)
}
