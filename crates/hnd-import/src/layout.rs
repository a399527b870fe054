//! Where a member list's header is: below its title rows ("HỘI NÔNG DÂN
//! XÃ …", "DANH SÁCH HỘI VIÊN", a note), on one, two or three rows whose
//! cells may be merged ("Đảng viên" over "Dự bị | Chính thức"); each
//! column's label is its parents' and its own, "Đảng viên / Dự bị".

use crate::rows::Merge;
use crate::vocab;

/// A sheet's header as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Its rows, as the spreadsheet numbers them.
    pub rows: Vec<usize>,
    /// The first row after it (a row of column numbers passed over).
    pub first_row: usize,
    /// Each column's labels, top first, without repeats or blanks.
    pub labels: Vec<Vec<String>>,
}

impl Header {
    /// Column `c`'s label: its parents' and its own, joined by " / ".
    pub fn label(&self, c: usize) -> String {
        self.labels.get(c).map(|l| l.join(" / ")).unwrap_or_default()
    }
}

type Row = (usize, Vec<String>);

fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map(|s| s.trim()).unwrap_or_default()
}

/// A cell that holds a member's data rather than a label: a date, a long
/// number, a phone.
fn data_like(text: &str) -> bool {
    let t = text.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    digits >= 5 || (digits >= 4 && crate::values::is_date(t))
}

/// A row of column numbers under a header: "1 2 3 …", "(1) (2) …", "A B C …".
fn numbering(row: &[String]) -> bool {
    let filled: Vec<&str> = row.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    filled.len() >= 3
        && filled.iter().all(|s| {
            let inner = s.trim_start_matches('(').trim_end_matches(')');
            (inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit()))
                || (inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_uppercase()))
        })
}

/// Finds the header among `rows` (the sheet's first rows): the row naming
/// most of the register's fields, and the rows under it that complete
/// its labels. `None` when no row names two fields.
pub fn find(rows: &[Row], merges: &[Merge]) -> Option<Header> {
    find_with(rows, merges, &vocab::is_header_word, &vocab::is_name_label)
}

/// [`find`] for a sheet of another kind: `is_label` tells a cell that
/// names one of its fields, `is_key` the label of the column every data
/// row fills (a member's name, a unit's code).
pub fn find_with(
    rows: &[Row],
    merges: &[Merge],
    is_label: &dyn Fn(&str) -> bool,
    is_key: &dyn Fn(&str) -> bool,
) -> Option<Header> {
    let scored = rows.iter().take(40).enumerate().map(|(i, (_, cells))| {
        let known = cells.iter().filter(|c| is_label(c)).count();
        (i, known)
    });
    let (top, best) = scored.fold((0, 0), |(bi, bk), (i, k)| if k > bk { (i, k) } else { (bi, bk) });
    if best < 2 {
        return None;
    }
    let width = rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    // The name's column: a data row has a name there, a header row under
    // the first has none (the label is merged down).
    let name_col = (0..width).find(|&c| is_key(cell(&rows[top].1, c)));
    let mut last = top;
    while last + 1 < rows.len() && last < top + 2 {
        let next = &rows[last + 1].1;
        let filled = next.iter().filter(|c| !c.trim().is_empty()).count();
        let name_blank = name_col.is_none_or(|c| cell(next, c).is_empty() || is_label(cell(next, c)));
        let covered = merged_down(merges, rows[top].0, rows[last + 1].0, name_col);
        // One label alone under a header is a heading of the rows below
        // ("CHI HỘI THÔN 1"), not a part of the header.
        if filled < 2 || next.iter().any(|c| data_like(c)) || numbering(next) || !(name_blank || covered) {
            break;
        }
        // A continuation names something: a sub-label under a parent.
        if !next
            .iter()
            .any(|c| !c.trim().is_empty() && c.chars().any(char::is_alphabetic))
        {
            break;
        }
        last += 1;
    }
    let mut first = last + 1;
    while first < rows.len() && (numbering(&rows[first].1) || rows[first].1.iter().all(|c| c.trim().is_empty())) {
        first += 1;
        if first > last + 3 {
            break;
        }
    }
    let header_rows: Vec<&Row> = rows[top..=last].iter().collect();
    let labels = labels(&header_rows, merges, width);
    let first_row = rows.get(first).map(|(n, _)| *n).unwrap_or_else(|| rows[last].0 + 1);
    Some(Header {
        rows: header_rows.iter().map(|(n, _)| *n).collect(),
        first_row,
        labels,
    })
}

fn merged_down(merges: &[Merge], top: usize, row: usize, col: Option<usize>) -> bool {
    let Some(c) = col else { return false };
    merges
        .iter()
        .any(|m| m.first_row == top && m.last_row >= row && m.first_col <= c && c <= m.last_col)
}

/// Each column's labels from the header rows: a merged cell's text
/// stands over every column it spans; without merge information a label
/// followed by blank cells over sub-labels stands over them too.
fn labels(rows: &[&Row], merges: &[Merge], width: usize) -> Vec<Vec<String>> {
    let mut grid: Vec<Vec<String>> = rows
        .iter()
        .map(|(_, cells)| (0..width).map(|c| cell(cells, c).to_string()).collect())
        .collect();
    for m in merges {
        let Some(top) = rows.iter().position(|(n, _)| *n == m.first_row) else {
            continue;
        };
        let text = grid[top].get(m.first_col).cloned().unwrap_or_default();
        for r in top..rows.len() {
            if rows[r].0 > m.last_row {
                break;
            }
            let last = m.last_col.min(width.saturating_sub(1));
            for cell in grid[r].iter_mut().take(last + 1).skip(m.first_col) {
                if cell.is_empty() {
                    *cell = text.clone();
                }
            }
        }
    }
    if merges.is_empty() {
        // A parent label spans the blank cells to its right while the row
        // below has sub-labels there.
        for r in 0..grid.len().saturating_sub(1) {
            for c in 1..width {
                let below = !grid[r + 1][c].is_empty();
                let left_is_parent = !grid[r][c - 1].is_empty() && !grid[r + 1][c - 1].is_empty();
                if grid[r][c].is_empty() && below && left_is_parent {
                    grid[r][c] = grid[r][c - 1].clone();
                }
            }
        }
    }
    (0..width)
        .map(|c| {
            let mut out: Vec<String> = Vec::new();
            for row in &grid {
                let text = row[c].split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() && !out.contains(&text) {
                    out.push(text);
                }
            }
            out
        })
        .collect()
}
