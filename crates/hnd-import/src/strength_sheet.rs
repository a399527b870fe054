//! The strength report as a workbook in the wide layout the provinces use:
//! the units below as rows; headers on three rows with merged cells (the
//! group, the column, then "Phát triển trong kỳ / Giảm trong kỳ / Lũy kế"
//! for the figures the column has); the unit's own figures as the last
//! row. A second sheet lists the members who came and left, and the
//! members at the end by age.

use hnd_domain::i18n::t;
use hnd_domain::strength::COLUMNS;
use hnd_domain::{Day, Lang};
use hnd_store::{Columns, StrengthReport};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Where the figures begin: number, code and name come first.
const FIRST: u16 = 3;
/// The three header rows begin here, under the title.
const HEAD: u32 = 3;

fn day_text(iso: &str) -> String {
    Day::from_iso(iso)
        .map(|d| d.to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// Writes `text` over the cells from (r1, c1) to (r2, c2), merged when
/// they are more than one.
fn label(
    sheet: &mut Worksheet,
    (r1, c1, r2, c2): (u32, u16, u32, u16),
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if r1 == r2 && c1 == c2 {
        sheet.write_string_with_format(r1, c1, text, f)?;
    } else {
        sheet.merge_range(r1, c1, r2, c2, text, f)?;
    }
    Ok(())
}

/// The figures of one row, left to right, as the header lays them out.
fn figures(columns: &Columns) -> Vec<Option<i64>> {
    COLUMNS
        .iter()
        .flat_map(|c| {
            let f = columns.get(c.key);
            let parts = c.figures.parts();
            [f.new, f.lost, f.total]
                .into_iter()
                .zip(parts)
                .filter(|(_, has)| *has)
                .map(|(v, _)| v)
        })
        .collect()
}

/// The report as an XLSX file's bytes, labelled in `lang`.
pub fn strength_xlsx(report: &StrengthReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let bold_number = number.clone().set_bold();
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);

    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "strength.sheet", &[]))?;
    let width: u16 = COLUMNS
        .iter()
        .map(|c| c.figures.parts().iter().filter(|p| **p).count() as u16)
        .sum();
    let last = FIRST + width - 1;
    let heading = t(
        lang,
        "strength.title",
        &[("unit", &report.name), ("period", &report.period)],
    );
    label(sheet, (0, 0, 0, last), &heading.to_uppercase(), &title)?;
    let span = t(
        lang,
        "strength.span",
        &[("from", &day_text(&report.from)), ("to", &day_text(&report.to))],
    );
    label(
        sheet,
        (1, 0, 1, last),
        &span,
        &Format::new().set_italic().set_align(FormatAlign::Center),
    )?;
    for (i, key) in ["strength.number", "strength.code", "strength.unit"].iter().enumerate() {
        label(sheet, (HEAD, i as u16, HEAD + 2, i as u16), &t(lang, key, &[]), &head)?;
    }
    let parts = ["strength.new", "strength.lost", "strength.total"].map(|k| t(lang, k, &[]));
    let mut col = FIRST;
    let mut group_start = (FIRST, COLUMNS[0].group);
    for (i, c) in COLUMNS.iter().enumerate() {
        let has = c.figures.parts();
        let n = has.iter().filter(|p| **p).count() as u16;
        label(
            sheet,
            (HEAD + 1, col, HEAD + 1, col + n - 1),
            &t(lang, &format!("strength.col.{}", c.key), &[]),
            &head,
        )?;
        for (part, text) in has.iter().zip(&parts).filter(|(h, _)| **h).map(|(_, p)| p).enumerate() {
            sheet.write_string_with_format(HEAD + 2, col + part as u16, text, &head)?;
        }
        col += n;
        let next_group = COLUMNS.get(i + 1).map(|n| n.group);
        if next_group != Some(group_start.1) {
            let text = t(lang, &format!("strength.group.{}", group_start.1), &[]);
            label(sheet, (HEAD, group_start.0, HEAD, col - 1), &text, &head)?;
            if let Some(g) = next_group {
                group_start = (col, g);
            }
        }
    }
    let mut row = HEAD + 3;
    for (i, r) in report.rows.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &cell)?;
        sheet.write_string_with_format(row, 1, &r.code, &cell)?;
        sheet.write_string_with_format(row, 2, &r.name, &cell)?;
        write_figures(sheet, row, &figures(&r.columns), &number)?;
        row += 1;
    }
    let whole = t(lang, "strength.whole", &[("unit", &report.name)]);
    label(sheet, (row, 0, row, 2), &whole, &head)?;
    write_figures(sheet, row, &figures(&report.columns), &bold_number)?;
    sheet.set_column_width(2, 32)?;
    sheet.set_row_height(HEAD + 2, 45)?;
    sheet.set_freeze_panes(HEAD + 3, FIRST)?;
    members_sheet(&mut book, report, lang)?;
    book.save_to_buffer()
}

fn write_figures(sheet: &mut Worksheet, row: u32, values: &[Option<i64>], f: &Format) -> Result<(), XlsxError> {
    for (i, v) in values.iter().enumerate() {
        let col = FIRST + i as u16;
        match v {
            Some(n) => sheet.write_number_with_format(row, col, *n as f64, f)?,
            None => sheet.write_blank(row, col, f)?,
        };
    }
    Ok(())
}

/// The lists of new and lost members, then the age bands.
fn members_sheet(book: &mut Workbook, report: &StrengthReport, lang: Lang) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "strength.members_sheet", &[]))?;
    let mut row = 0;
    for (key, list) in [
        ("strength.new_members", &report.new_members),
        ("strength.lost_members", &report.lost_members),
    ] {
        sheet.write_string_with_format(row, 0, t(lang, key, &[]), &bold)?;
        row += 1;
        for (i, head) in [
            "strength.name",
            "strength.birth_year",
            "strength.day",
            "strength.reason",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(row, i as u16, t(lang, head, &[]), &bold)?;
        }
        row += 1;
        for m in list {
            sheet.write_string(row, 0, &m.full_name)?;
            sheet.write_number(row, 1, f64::from(m.birth_year))?;
            sheet.write_string(row, 2, day_text(&m.day))?;
            let reason = t(lang, &format!("strength.reason.{}", m.reason), &[]);
            let reason = if m.note.is_empty() {
                reason
            } else {
                format!("{reason}: {}", m.note)
            };
            sheet.write_string(row, 3, &reason)?;
            row += 1;
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, t(lang, "strength.ages", &[]), &bold)?;
    let bands = report.age_bands;
    for (i, (key, n)) in [
        ("strength.age_under_40", bands.under_40),
        ("strength.age_40_59", bands.from_40_to_59),
        ("strength.age_from_60", bands.from_60),
    ]
    .into_iter()
    .enumerate()
    {
        let r = row + 1 + i as u32;
        sheet.write_string(r, 0, t(lang, key, &[]))?;
        sheet.write_number(r, 1, n as f64)?;
    }
    let mut row = row + 5;
    for b in &report.breakdowns {
        sheet.write_string_with_format(row, 0, t(lang, &format!("strength.by.{}", b.by), &[]), &bold)?;
        for (code, n) in &b.parts {
            row += 1;
            let key = hnd_domain::strength::breakdown_key(b.by, code);
            sheet.write_string(row, 0, t(lang, &key, &[]))?;
            sheet.write_number(row, 1, *n as f64)?;
        }
        row += 2;
    }
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(3, 40)?;
    Ok(())
}
