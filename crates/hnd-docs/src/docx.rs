//! The document as DOCX: A4, the Union's margins, Times New Roman 13 pt
//! (a reader without it shows a metric-compatible serif, Liberation Serif
//! in LibreOffice), the header block as a borderless two-column table.

use crate::{Block, DocError, Document, Table, header_grid};
use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, TableCell, TableRow,
    VAlignType, VMergeType, WidthType,
};

/// Twentieths of a point in a millimetre.
fn twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Half-points of the body's text.
const BODY: usize = 26;
/// Half-points of a table's and of the recipients' text.
const SMALL: usize = 22;

/// The text width between the margins, in twips (A4 210 mm less 30 + 15).
fn text_width() -> usize {
    twips(210.0 - 30.0 - 15.0) as usize
}

fn line(text: &str) -> Run {
    Run::new().add_text(text)
}

fn centered(run: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(run)
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), |c, p| c.add_paragraph(p))
        .width(width, WidthType::Dxa)
        .clear_all_border()
}

/// The header block: the issuer, its star and the number on the left;
/// the Union's name and the place and date on the right.
fn letterhead(doc: &Document) -> docx_rs::Table {
    let (left_w, right_w) = (text_width() * 45 / 100, text_width() * 55 / 100);
    let mut left: Vec<Paragraph> = Vec::new();
    let last = doc.issuer.len().saturating_sub(1);
    for (i, text) in doc.issuer.iter().enumerate() {
        let run = line(text).size(BODY);
        left.push(centered(if i == last { run.bold() } else { run }));
    }
    left.push(centered(line("*").size(BODY)));
    left.push(centered(line(&doc.number).size(BODY)));
    let right = vec![
        centered(line(&doc.union_line).size(BODY + 2).bold().underline("single")),
        centered(line("")),
        centered(line(&doc.place_date).size(BODY).italic()),
    ];
    docx_rs::Table::new(vec![TableRow::new(vec![cell(left, left_w), cell(right, right_w)])])
        .set_grid(vec![left_w, right_w])
        .width(text_width(), WidthType::Dxa)
        .clear_all_border()
}

/// A table with its header rows (spans as merged cells) and its body.
fn table(t: &Table) -> docx_rs::Table {
    let widths: Vec<usize> = t.shares().iter().map(|s| (s * text_width() as f32) as usize).collect();
    let grid = header_grid(t);
    let mut rows = Vec::new();
    for (r, row) in t.header.iter().enumerate() {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < widths.len() {
            let Some((from, i)) = grid[r][c] else {
                c += 1;
                continue;
            };
            let spec = &t.header[from][i];
            let span = spec.cols.min(widths.len() - c);
            let width: usize = widths[c..c + span].iter().sum();
            let text = if from == r { spec.text.as_str() } else { "" };
            let p = centered(line(text).size(SMALL).bold());
            let mut cell = TableCell::new()
                .add_paragraph(p)
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if span > 1 {
                cell = cell.grid_span(span);
            }
            if spec.rows > 1 {
                cell = cell.vertical_merge(if from == r {
                    VMergeType::Restart
                } else {
                    VMergeType::Continue
                });
            }
            cells.push(cell);
            c += span;
        }
        let _ = row;
        rows.push(TableRow::new(cells));
    }
    for (r, row) in t.rows.iter().enumerate() {
        let bold = t.bold_rows.contains(&r);
        let cells = widths
            .iter()
            .enumerate()
            .map(|(c, w)| {
                let text = row.get(c).map(String::as_str).unwrap_or_default();
                let run = line(text).size(SMALL);
                let run = if bold { run.bold() } else { run };
                let align = if t.numeric.get(c).copied().unwrap_or(false) {
                    AlignmentType::Right
                } else {
                    AlignmentType::Left
                };
                TableCell::new()
                    .add_paragraph(Paragraph::new().align(align).add_run(run))
                    .width(*w, WidthType::Dxa)
            })
            .collect();
        rows.push(TableRow::new(cells).cant_split());
    }
    docx_rs::Table::new(rows)
        .set_grid(widths)
        .width(text_width(), WidthType::Dxa)
}

/// The document as the bytes of a DOCX file.
pub fn to_docx(doc: &Document) -> Result<Vec<u8>, DocError> {
    let margins = PageMargin::new()
        .top(twips(20.0))
        .bottom(twips(20.0))
        .left(twips(30.0))
        .right(twips(15.0));
    let serif = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("Times New Roman");
    let spaced = LineSpacing::new().before(60).after(60);
    let mut d = Docx::new()
        .page_size(twips(210.0) as u32, twips(297.0) as u32)
        .page_margin(margins)
        .default_fonts(serif)
        .default_size(BODY)
        .add_table(letterhead(doc))
        .add_paragraph(Paragraph::new())
        .add_paragraph(centered(line(&doc.title.to_uppercase()).size(BODY + 2).bold()));
    if !doc.subtitle.is_empty() {
        d = d.add_paragraph(centered(line(&doc.subtitle).size(BODY).bold()));
    }
    d = d.add_paragraph(centered(line("-----").size(BODY)));
    for block in &doc.blocks {
        d = match block {
            Block::Heading(text) => d.add_paragraph(
                Paragraph::new()
                    .line_spacing(spaced.clone())
                    .keep_next(true)
                    .add_run(line(text).size(BODY).bold()),
            ),
            Block::Paragraph(text) => d.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Both)
                    .line_spacing(spaced.clone())
                    .indent(None, Some(SpecialIndentType::FirstLine(twips(10.0))), None, None)
                    .add_run(line(text).size(BODY)),
            ),
            Block::Table(t) => d.add_table(table(t)).add_paragraph(Paragraph::new()),
        };
    }
    // The recipients on the left, the signature on the right.
    let (left_w, right_w) = (text_width() / 2, text_width() / 2);
    let mut left = vec![Paragraph::new().add_run(line("Nơi nhận:").size(SMALL + 2).bold().italic())];
    left.extend(
        doc.recipients
            .iter()
            .map(|r| Paragraph::new().add_run(line(r).size(SMALL))),
    );
    let s = &doc.signature;
    let mut right = vec![
        centered(line(&s.on_behalf).size(BODY + 1).bold()),
        centered(line(&s.role).size(BODY + 1).bold()),
    ];
    right.extend((0..4).map(|_| Paragraph::new()));
    right.push(centered(line(&s.name).size(BODY + 1).bold()));
    let closing = docx_rs::Table::new(vec![TableRow::new(vec![cell(left, left_w), cell(right, right_w)])])
        .set_grid(vec![left_w, right_w])
        .width(text_width(), WidthType::Dxa)
        .clear_all_border();
    d = d.add_paragraph(Paragraph::new()).add_table(closing);
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| DocError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
