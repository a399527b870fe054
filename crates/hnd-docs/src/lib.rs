//! The Union's official documents (văn bản): one model of a document in
//! the Union's layout, written as DOCX (`docx.rs`) and as PDF (`pdf.rs`).
//!
//! The layout (DOMAIN.md, "Official documents"): a Party-style header
//! block, not the state's: on the left the organisation and the issuing
//! committee with a star below and the document's number ("Số 15-BC/HNDT"),
//! on the right the Union's name and the place and date in italics; the
//! title in bold capitals; A4 with margins of 20 mm top and bottom, 30 mm
//! left and 15 mm right; a Times-metric serif at 13 pt; tables with
//! Vietnamese numbers; the signature block ("T/M BAN THƯỜNG VỤ" /
//! "CHỦ TỊCH") and the recipients ("Nơi nhận:"). The header lines are the
//! issuing unit's own: the model takes them as given.
//!
//! The serif is Liberation Serif (SIL Open Font License 1.1, `fonts/`),
//! metric-compatible with Times New Roman, shipped in the binary so that a
//! PDF is the same on every machine and embeds its fonts.

mod docx;
mod pdf;

pub use docx::to_docx;
pub use pdf::to_pdf;

/// An official document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The header's left lines, top first: the organisation above
    /// ("HỘI NÔNG DÂN VIỆT NAM"), then the issuing committee
    /// ("BCH HỘI NÔNG DÂN TỈNH QUẢNG NGÃI"), which is set in bold.
    pub issuer: Vec<String>,
    /// The header's right line: the Union's name, underlined.
    pub union_line: String,
    /// "Số 15-BC/HNDT".
    pub number: String,
    /// "Quảng Ngãi, ngày 3 tháng 12 năm 2026".
    pub place_date: String,
    /// "BÁO CÁO" (set in bold capitals).
    pub title: String,
    /// The line under the title ("Thực lực Hội năm 2026"), in bold.
    pub subtitle: String,
    pub blocks: Vec<Block>,
    pub signature: Signature,
    /// "Nơi nhận:" and its lines ("- Thường trực Trung ương Hội;").
    pub recipients: Vec<String>,
}

/// What the body is made of, in order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading ("I. KẾT QUẢ"), bold.
    Heading(String),
    /// A paragraph, justified, its first line indented.
    Paragraph(String),
    Table(Table),
}

/// A table: header rows whose cells may span columns and rows (the
/// strength report's "Phát triển trong kỳ / Giảm trong kỳ / Lũy kế" under
/// each group), then body rows of plain cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<String>>,
    /// Each column's share of the width (relative; equal when empty).
    pub widths: Vec<f32>,
    /// Columns whose body cells are figures, set to the right.
    pub numeric: Vec<bool>,
    /// Body rows set in bold (a total).
    pub bold_rows: Vec<usize>,
}

/// A header cell and the columns and rows it spans.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub cols: usize,
    pub rows: usize,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            cols: 1,
            rows: 1,
        }
    }

    pub fn span(text: impl Into<String>, cols: usize, rows: usize) -> Cell {
        Cell {
            text: text.into(),
            cols: cols.max(1),
            rows: rows.max(1),
        }
    }
}

/// The signature block: "T/M BAN THƯỜNG VỤ", "CHỦ TỊCH", the signer.
#[derive(Debug, Clone, Default)]
pub struct Signature {
    pub on_behalf: String,
    pub role: String,
    pub name: String,
}

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("docx: {0}")]
    Docx(String),
    #[error("pdf: {0}")]
    Pdf(String),
}

/// The header grid of `table`: for each header row, each column's cell
/// (the index of the cell in its row that covers it), spans resolved.
pub(crate) fn header_grid(table: &Table) -> Vec<Vec<Option<(usize, usize)>>> {
    let columns = table.columns();
    let mut grid = vec![vec![None; columns]; table.header.len()];
    for (r, row) in table.header.iter().enumerate() {
        let mut c = 0;
        for (i, cell) in row.iter().enumerate() {
            while c < columns && grid[r][c].is_some() {
                c += 1;
            }
            for dr in 0..cell.rows {
                for dc in 0..cell.cols {
                    if r + dr < grid.len() && c + dc < columns {
                        grid[r + dr][c + dc] = Some((r, i));
                    }
                }
            }
            c += cell.cols;
        }
    }
    grid
}

impl Table {
    /// The number of columns: the widest of the header and the body.
    pub fn columns(&self) -> usize {
        let header = self.header.first().map(|r| r.iter().map(|c| c.cols).sum()).unwrap_or(0);
        header.max(self.rows.iter().map(Vec::len).max().unwrap_or(0))
    }

    /// Each column's share of the width, summing to 1.
    pub(crate) fn shares(&self) -> Vec<f32> {
        let n = self.columns().max(1);
        let given: Vec<f32> = (0..n)
            .map(|c| self.widths.get(c).copied().filter(|w| *w > 0.0).unwrap_or(1.0))
            .collect();
        let total: f32 = given.iter().sum();
        given.iter().map(|w| w / total).collect()
    }
}
