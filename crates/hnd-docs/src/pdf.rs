//! The document as PDF: laid out here (lines broken at spaces by the
//! fonts' own advances, paragraphs justified, tables with their header
//! repeated on each page), then drawn with the fonts embedded and subset.

use crate::{Block, DocError, Document, Table, header_grid};
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::collections::HashMap;

const MM: f32 = 72.0 / 25.4;
const PAGE: (f32, f32) = (210.0 * MM, 297.0 * MM);
const TOP: f32 = 20.0 * MM;
const BOTTOM: f32 = PAGE.1 - 20.0 * MM;
const LEFT: f32 = 30.0 * MM;
const RIGHT: f32 = PAGE.0 - 15.0 * MM;
const BODY: f32 = 13.0;
const SMALL: f32 = 11.0;
const LEADING: f32 = 1.25;
/// Space inside a table's cell.
const PAD: f32 = 3.0;

const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Style {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
}

/// A font's advances, per character, in units of its em.
struct Face {
    widths: HashMap<char, f32>,
    data: &'static [u8],
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        Face {
            widths: HashMap::new(),
            data,
        }
    }

    fn width(&mut self, text: &str, size: f32) -> f32 {
        let data = self.data;
        let mut total = 0.0;
        for ch in text.chars() {
            let w = *self.widths.entry(ch).or_insert_with(|| {
                let Ok(font) = FontRef::new(data) else { return 0.5 };
                let upem = font.metrics(Size::unscaled(), LocationRef::default()).units_per_em as f32;
                let gid = font.charmap().map(ch).unwrap_or_default();
                let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
                metrics.advance_width(gid).unwrap_or(0.0) / upem
            });
            total += w;
        }
        total * size
    }
}

/// What is drawn on a page.
enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        size: f32,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
}

/// The layout: pages of drawing operations and where the next line goes.
struct Layout {
    faces: Vec<Face>,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            faces: FONTS.iter().map(|d| Face::new(d)).collect(),
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn width(&mut self, text: &str, style: Style, size: f32) -> f32 {
        self.faces[style as usize].width(text, size)
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    /// Room for `height` more on this page, or a new page.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM && self.y > TOP {
            self.pages.push(Vec::new());
            self.y = TOP;
            return true;
        }
        false
    }

    fn text(&mut self, x: f32, baseline: f32, text: &str, style: Style, size: f32) {
        if text.is_empty() {
            return;
        }
        let text = text.to_string();
        self.ops().push(Op::Text {
            x,
            y: baseline,
            style,
            size,
            text,
        });
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.ops().push(Op::Line { from, to, width });
    }

    /// `text` broken into lines of at most `width` (the first `indent`
    /// narrower); a word longer than a line stands alone.
    fn wrap(&mut self, text: &str, style: Style, size: f32, width: f32, indent: f32) -> Vec<Vec<String>> {
        let space = self.width(" ", style, size);
        let mut lines: Vec<Vec<String>> = Vec::new();
        for part in text.split('\n') {
            let mut line: Vec<String> = Vec::new();
            let mut used = 0.0;
            for word in part.split_whitespace() {
                let w = self.width(word, style, size);
                let room = width - if lines.is_empty() { indent } else { 0.0 };
                if !line.is_empty() && used + space + w > room {
                    lines.push(std::mem::take(&mut line));
                    used = 0.0;
                }
                used += if line.is_empty() { w } else { space + w };
                line.push(word.to_string());
            }
            lines.push(line);
        }
        lines
    }

    /// Lines centred between `x0` and `x1` from `self.y`; their height.
    fn centered(&mut self, x0: f32, x1: f32, text: &str, style: Style, size: f32) -> f32 {
        let lines = self.wrap(text, style, size, x1 - x0, 0.0);
        let step = size * LEADING;
        let top = self.y;
        for (i, words) in lines.iter().enumerate() {
            let joined = words.join(" ");
            let w = self.width(&joined, style, size);
            let baseline = top + step * (i as f32 + 1.0) - size * 0.25;
            self.text(x0 + (x1 - x0 - w) / 2.0, baseline, &joined, style, size);
        }
        step * lines.len() as f32
    }

    /// A paragraph across the text width: justified but its last line,
    /// its first line indented by `indent`.
    fn paragraph(&mut self, text: &str, style: Style, size: f32, indent: f32, justify: bool) {
        let width = RIGHT - LEFT;
        let lines = self.wrap(text, style, size, width, indent);
        let step = size * LEADING;
        let space = self.width(" ", style, size);
        let count = lines.len();
        for (i, words) in lines.into_iter().enumerate() {
            self.ensure(step);
            let x0 = LEFT + if i == 0 { indent } else { 0.0 };
            let baseline = self.y + step - size * 0.25;
            let widths: Vec<f32> = words.iter().map(|w| self.width(w, style, size)).collect();
            let natural: f32 = widths.iter().sum::<f32>() + space * words.len().saturating_sub(1) as f32;
            let gap = if justify && i + 1 < count && words.len() > 1 {
                space + (RIGHT - x0 - natural) / (words.len() - 1) as f32
            } else {
                space
            };
            let mut x = x0;
            for (word, w) in words.iter().zip(widths) {
                self.text(x, baseline, word, style, size);
                x += w + gap;
            }
            self.y += step;
        }
    }

    /// A table's header rows from `self.y`; their height.
    fn table_header(&mut self, t: &Table, xs: &[f32]) -> f32 {
        let grid = header_grid(t);
        let step = SMALL * LEADING;
        // Each row's height: its own cells' text; a cell spanning rows
        // stretches the last of them when it needs more.
        let mut heights = vec![step + 2.0 * PAD; t.header.len()];
        let mut placed = Vec::new();
        for (r, row) in t.header.iter().enumerate() {
            let mut c = 0;
            for (i, cell) in row.iter().enumerate() {
                while c < xs.len() - 1 && grid[r][c] != Some((r, i)) {
                    c += 1;
                }
                let last = (c + cell.cols).min(xs.len() - 1);
                let lines = self
                    .wrap(&cell.text, Style::Bold, SMALL, xs[last] - xs[c] - 2.0 * PAD, 0.0)
                    .len();
                let need = lines as f32 * step + 2.0 * PAD;
                let end = (r + cell.rows).min(t.header.len()) - 1;
                let have: f32 = heights[r..=end].iter().sum();
                if need > have {
                    heights[end] += need - have;
                }
                placed.push((r, end, c, last, cell.text.clone(), lines));
                c = last;
            }
        }
        let top = self.y;
        let row_top = |r: usize| top + heights[..r].iter().sum::<f32>();
        for (r, end, c0, c1, text, lines) in placed {
            let (y0, y1) = (row_top(r), row_top(end + 1));
            self.y = y0 + (y1 - y0 - lines as f32 * step) / 2.0;
            self.centered(xs[c0] + PAD, xs[c1] - PAD, &text, Style::Bold, SMALL);
            self.cell_box(xs[c0], xs[c1], y0, y1);
        }
        let height: f32 = heights.iter().sum();
        self.y = top + height;
        height
    }

    fn cell_box(&mut self, x0: f32, x1: f32, y0: f32, y1: f32) {
        let w = 0.5;
        self.line((x0, y0), (x1, y0), w);
        self.line((x0, y1), (x1, y1), w);
        self.line((x0, y0), (x0, y1), w);
        self.line((x1, y0), (x1, y1), w);
    }

    fn table(&mut self, t: &Table) {
        let shares = t.shares();
        let mut xs = vec![LEFT];
        for s in &shares {
            let last = *xs.last().expect("a start");
            xs.push(last + s * (RIGHT - LEFT));
        }
        let step = SMALL * LEADING;
        self.ensure(step * 4.0);
        self.table_header(t, &xs);
        for (r, row) in t.rows.iter().enumerate() {
            let style = if t.bold_rows.contains(&r) {
                Style::Bold
            } else {
                Style::Regular
            };
            let cells: Vec<Vec<Vec<String>>> = (0..xs.len() - 1)
                .map(|c| {
                    let text = row.get(c).map(String::as_str).unwrap_or_default();
                    self.wrap(text, style, SMALL, xs[c + 1] - xs[c] - 2.0 * PAD, 0.0)
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f32 * step + 2.0 * PAD;
            if self.ensure(height) {
                self.table_header(t, &xs);
            }
            let y0 = self.y;
            for (c, lines) in cells.iter().enumerate() {
                let right = t.numeric.get(c).copied().unwrap_or(false);
                for (i, words) in lines.iter().enumerate() {
                    let text = words.join(" ");
                    let w = self.width(&text, style, SMALL);
                    let x = if right { xs[c + 1] - PAD - w } else { xs[c] + PAD };
                    let baseline = y0 + PAD + step * (i as f32 + 1.0) - SMALL * 0.25;
                    self.text(x, baseline, &text, style, SMALL);
                }
                self.cell_box(xs[c], xs[c + 1], y0, y0 + height);
            }
            self.y = y0 + height;
        }
        self.y += step;
    }
}

/// Lays the document out: its pages' drawing operations.
fn lay_out(doc: &Document) -> Vec<Vec<Op>> {
    let mut l = Layout::new();
    // The header block.
    let split = LEFT + (RIGHT - LEFT) * 0.45;
    let top = l.y;
    let last = doc.issuer.len().saturating_sub(1);
    for (i, text) in doc.issuer.iter().enumerate() {
        let style = if i == last { Style::Bold } else { Style::Regular };
        l.y += l.centered(LEFT, split, text, style, BODY);
    }
    l.y += l.centered(LEFT, split, "*", Style::Regular, BODY);
    l.y += l.centered(LEFT, split, &doc.number, Style::Regular, BODY);
    let left_end = l.y;
    l.y = top;
    let size = BODY + 1.0;
    let h = l.centered(split, RIGHT, &doc.union_line, Style::Bold, size);
    let w = l.width(&doc.union_line, Style::Bold, size).min(RIGHT - split);
    let mid = (split + RIGHT) / 2.0;
    l.line((mid - w / 2.0, top + h), (mid + w / 2.0, top + h), 0.6);
    l.y += h + BODY * LEADING * 0.6;
    l.y += l.centered(split, RIGHT, &doc.place_date, Style::Italic, BODY);
    l.y = l.y.max(left_end) + BODY;
    // The title.
    l.y += l.centered(LEFT, RIGHT, &doc.title.to_uppercase(), Style::Bold, BODY + 1.0);
    if !doc.subtitle.is_empty() {
        l.y += l.centered(LEFT, RIGHT, &doc.subtitle, Style::Bold, BODY);
    }
    let mid = (LEFT + RIGHT) / 2.0;
    l.line((mid - 30.0, l.y + 4.0), (mid + 30.0, l.y + 4.0), 0.6);
    l.y += BODY * 1.2;
    for block in &doc.blocks {
        match block {
            Block::Heading(text) => {
                l.ensure(BODY * LEADING * 3.0);
                l.y += BODY * 0.3;
                l.paragraph(text, Style::Bold, BODY, 0.0, false);
            }
            Block::Paragraph(text) => l.paragraph(text, Style::Regular, BODY, 10.0 * MM, true),
            Block::Table(t) => l.table(t),
        }
    }
    // The recipients on the left, the signature on the right.
    l.y += BODY * 0.5;
    l.ensure(BODY * LEADING * 8.0);
    let half = (LEFT + RIGHT) / 2.0;
    let top = l.y;
    let s = &doc.signature;
    l.y += l.centered(half, RIGHT, &s.on_behalf, Style::Bold, BODY);
    l.y += l.centered(half, RIGHT, &s.role, Style::Bold, BODY);
    l.y += BODY * LEADING * 4.0;
    l.y += l.centered(half, RIGHT, &s.name, Style::Bold, BODY);
    let right_end = l.y;
    l.y = top;
    let step = SMALL * LEADING;
    l.text(LEFT, top + step, "Nơi nhận:", Style::BoldItalic, SMALL + 1.0);
    l.y += step;
    for r in &doc.recipients {
        for words in l.wrap(r, Style::Regular, SMALL, half - LEFT, 0.0) {
            l.text(LEFT, l.y + step, &words.join(" "), Style::Regular, SMALL);
            l.y += step;
        }
    }
    l.y = l.y.max(right_end);
    l.pages
}

/// The document as the bytes of a PDF file, its fonts embedded.
pub fn to_pdf(doc: &Document) -> Result<Vec<u8>, DocError> {
    let pages = lay_out(doc);
    let fonts: Vec<Font> = FONTS
        .iter()
        .map(|d| Font::new(d.to_vec().into(), 0).ok_or_else(|| DocError::Pdf("font".into())))
        .collect::<Result<_, _>>()?;
    let mut document = krilla::Document::new();
    let settings = PageSettings::from_wh(PAGE.0, PAGE.1).ok_or_else(|| DocError::Pdf("page size".into()))?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    style,
                    size,
                    text,
                } => surface.draw_text(
                    Point::from_xy(x, y),
                    fonts[style as usize].clone(),
                    size,
                    &text,
                    false,
                    TextDirection::Auto,
                ),
                Op::Line { from, to, width } => {
                    let mut path = PathBuilder::new();
                    path.move_to(from.0, from.1);
                    path.line_to(to.0, to.1);
                    if let Some(path) = path.finish() {
                        surface.set_stroke(Some(Stroke {
                            width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| DocError::Pdf(format!("{e:?}")))
}
