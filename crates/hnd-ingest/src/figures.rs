//! Figures in Vietnamese as plans write them: "7.000", "3,5%", "05 tỷ
//! đồng", "4-5", "từ 4 đến 5", "ít nhất 01", "mười", with the unit that
//! follows ("hội viên", "hộ", "tỷ đồng", "mô hình"…) and the comparator
//! the words around them set.

use crate::text::{has_word, word_at};

/// A figure found in a folded clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: f64,
    /// The upper bound of a range ("4-5", "từ 8 đến 10").
    pub value_max: Option<f64>,
    /// Canonical unit ("%", "hội viên", "hộ", "tỷ đồng"…), empty if none follows.
    pub unit: &'static str,
    /// Byte range of the figure (and its unit) in the folded clause.
    pub start: usize,
    pub end: usize,
}

/// Units as plans write them (folded) and the unit they stand for. The
/// longer spelling comes first.
const UNITS: &[(&str, &str)] = &[
    ("%", "%"),
    ("phan tram", "%"),
    ("ty dong", "tỷ đồng"),
    ("trieu dong", "triệu đồng"),
    ("nghin dong", "nghìn đồng"),
    ("dong", "đồng"),
    ("hoi vien", "hội viên"),
    ("doan vien", "đoàn viên"),
    ("ho", "hộ"),
    ("luot", "lượt"),
    ("nguoi", "người"),
    ("nong dan", "người"),
    ("lao dong", "người"),
    ("can bo", "người"),
    ("chi hoi truong", "người"),
    ("mo hinh", "mô hình"),
    ("to hoi", "tổ hội"),
    ("chi hoi", "chi hội"),
    ("to hop tac", "tổ hợp tác"),
    ("tht", "tổ hợp tác"),
    ("hop tac xa", "hợp tác xã"),
    ("htx", "hợp tác xã"),
    ("co so", "cơ sở"),
    ("xa", "xã"),
    ("cuoc", "cuộc"),
    ("lop", "lớp"),
    ("buoi", "buổi"),
    ("hoi nghi", "hội nghị"),
    ("bai", "bài"),
    ("tin", "bài"),
    ("can nha", "căn nhà"),
    ("can", "căn nhà"),
    ("ngoi nha", "căn nhà"),
    ("nha", "căn nhà"),
    ("hoat dong", "hoạt động"),
    ("doanh nghiep", "doanh nghiệp"),
    ("san pham", "sản phẩm"),
    ("cau lac bo", "câu lạc bộ"),
    ("clb", "câu lạc bộ"),
    ("to", "tổ"),
    ("ha", "ha"),
    ("tan", "tấn"),
    ("km", "km"),
    ("con", "con"),
    ("diem", "điểm"),
    ("cua hang", "cửa hàng"),
    ("du an", "dự án"),
    ("thanh vien", "thành viên"),
];

/// Small numbers in words, by their marked spelling (folding would
/// confuse "năm" five with "năm" year and "sáu" six with "sau" after).
const WORD_NUMBERS: &[(&str, f64)] = &[
    ("một", 1.0),
    ("hai", 2.0),
    ("ba", 3.0),
    ("bốn", 4.0),
    ("sáu", 6.0),
    ("bảy", 7.0),
    ("tám", 8.0),
    ("chín", 9.0),
    ("mười", 10.0),
];

/// Words before a figure that make it a reference, not a quantity.
const REFERENCES: &[&str] = &[
    "so",
    "nghi quyet",
    "quyet dinh",
    "ket luan",
    "chi thi",
    "thong bao",
    "khoa",
    "dieu",
    "khoan",
    "muc",
    "phan",
    "noi dung",
    "lan thu",
    "tieu chi",
    "chuong trinh",
    "ke hoach",
    "cong van",
    "thong tu",
    "nghi dinh",
    "luat",
    "to trinh",
    "huong dan",
    "trung uong",
    "de an",
];

/// The unit at folded byte `at` (after spaces), and where it ends.
pub fn unit_at(f: &str, at: usize) -> Option<(&'static str, usize)> {
    let at = at + f[at..].len() - f[at..].trim_start().len();
    if f[at..].starts_with('%') {
        return Some(("%", at + 1));
    }
    // "nghìn"/"ngàn" scale the figure; the caller reads them.
    UNITS
        .iter()
        .find(|(w, _)| word_at(f, at, w))
        .map(|(w, u)| (*u, at + w.len()))
}

/// Reads the number whose digits run over `digits`: "7.000" 7000, "3,5"
/// 3.5, "01" 1, "1.234,5" 1234.5.
pub fn number(digits: &str) -> Option<f64> {
    let groups_of_three = |s: &str, sep: char| s.split(sep).skip(1).all(|g| g.len() == 3);
    let clean = if digits.contains('.') && digits.contains(',') {
        digits.replace('.', "").replace(',', ".")
    } else if digits.contains('.') {
        if groups_of_three(digits, '.') {
            digits.replace('.', "")
        } else {
            digits.to_string()
        }
    } else if digits.contains(',') {
        if groups_of_three(digits, ',') && digits.split(',').count() > 2 {
            digits.replace(',', "")
        } else {
            digits.replace(',', ".")
        }
    } else {
        digits.to_string()
    };
    clean.parse().ok()
}

/// Figures of the folded clause `f` (its original text `orig`, char by
/// char aligned): dates, years, document numbers, numbering "(1)" and
/// references ("Nghị quyết 04") left out.
pub fn figures(f: &str, orig: &str) -> Vec<Figure> {
    let b = f.as_bytes();
    let mut out: Vec<Figure> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'/')) {
            if let Some(fig) = word_number(f, orig, i) {
                i = fig.end;
                out.push(fig);
            } else {
                i += 1;
            }
            continue;
        }
        let mut j = i;
        while j < b.len()
            && (b[j].is_ascii_digit()
                || ((b[j] == b'.' || b[j] == b',') && b.get(j + 1).is_some_and(u8::is_ascii_digit)))
        {
            j += 1;
        }
        let digits = &f[i..j];
        let next = b.get(j).copied().unwrap_or(b' ');
        let skip = next == b'/'
            || (next == b'-' && b.get(j + 1).is_some_and(u8::is_ascii_alphabetic))
            || (i > 0 && b[i - 1] == b'(' && next == b')')
            || (i > 0 && b[i - 1] == b'-')
            || is_year(digits)
            || is_reference(&f[..i]);
        if skip {
            i = j;
            continue;
        }
        let Some(mut value) = number(digits) else {
            i = j;
            continue;
        };
        // "4.0", "1.5": a point that does not group thousands is a
        // version or a numbering, except in an English-style "3.5%".
        let point = digits.contains('.') && !digits.contains(',') && digits.split('.').skip(1).any(|g| g.len() != 3);
        if point && !f[j..].trim_start().starts_with('%') {
            i = j;
            continue;
        }
        let mut end = j;
        let mut value_max = None;
        // "4-5", "8 - 10", "từ 4 đến 5"
        let rest = &f[end..];
        let dash = rest.trim_start().strip_prefix(['-', '–']).map(str::trim_start);
        let den = rest.trim_start().strip_prefix("den ");
        if let Some(r) = dash.or(den) {
            let k = r
                .bytes()
                .take_while(|c| c.is_ascii_digit() || *c == b'.' || *c == b',')
                .count();
            if k > 0
                && let Some(max) = number(r[..k].trim_end_matches(['.', ',']))
                && max > value
            {
                value_max = Some(max);
                end = f.len() - r.len() + k;
            }
        }
        // "7 nghìn hội viên"
        let scale_word = ["nghin", "ngan"]
            .iter()
            .find(|w| word_at(f, end + 1, w) && f[end..].starts_with(' '));
        if let Some(w) = scale_word {
            value *= 1000.0;
            value_max = value_max.map(|m| m * 1000.0);
            end += 1 + w.len();
        }
        let (unit, unit_end) = match unit_at(f, end) {
            Some((u, e)) => (u, e),
            None => ("", end),
        };
        out.push(Figure {
            value,
            value_max,
            unit,
            start: i,
            end: unit_end,
        });
        i = unit_end.max(j);
    }
    out
}

/// A small number in words followed by a unit ("một mô hình").
fn word_number(f: &str, orig: &str, at: usize) -> Option<Figure> {
    if at > 0 && f.as_bytes()[at - 1].is_ascii_alphanumeric() {
        return None;
    }
    let o_at = orig.char_indices().nth(f[..at].chars().count())?.0;
    let (word, value) = WORD_NUMBERS.iter().find(|(w, _)| {
        orig[o_at..].starts_with(w) && !orig[o_at + w.len()..].starts_with(|c: char| c.is_alphanumeric())
    })?;
    let end = at + crate::text::Folded::new(word).text.len();
    let (unit, unit_end) = unit_at(f, end).filter(|(u, _)| *u != "%")?;
    Some(Figure {
        value: *value,
        value_max: None,
        unit,
        start: at,
        end: unit_end,
    })
}

fn is_year(digits: &str) -> bool {
    digits.len() == 4 && digits.parse::<u32>().is_ok_and(|y| (1930..=2100).contains(&y))
}

/// Whether the words before a figure name a document or a part of one.
fn is_reference(before: &str) -> bool {
    let before = before.trim_end().trim_end_matches([':', '(']).trim_end();
    REFERENCES
        .iter()
        .any(|w| before.ends_with(w) && has_word(&before[before.len() - w.len()..], w))
        && !before.ends_with("co so")
        || before.ends_with(',') && before.trim_end_matches(',').ends_with(|c: char| c.is_ascii_digit()) && {
            // "Nghị quyết 04, 05, 06": a list going on after a reference.
            let head = before.trim_end_matches(|c: char| c.is_ascii_digit() || c == ',' || c == ' ');
            REFERENCES.iter().any(|w| head.ends_with(w))
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Folded;

    fn read(s: &str) -> Vec<(f64, Option<f64>, &'static str)> {
        let f = Folded::new(s);
        figures(&f.text, s)
            .into_iter()
            .map(|g| (g.value, g.value_max, g.unit))
            .collect()
    }

    #[test]
    fn vietnamese_figures() {
        assert_eq!(read("Kết nạp mới từ 7.000 hội viên"), vec![(7000.0, None, "hội viên")]);
        assert_eq!(read("có 3,5% hội viên"), vec![(3.5, None, "%")]);
        assert_eq!(read("tăng trưởng 05 tỷ đồng"), vec![(5.0, None, "tỷ đồng")]);
        assert_eq!(
            read("thành lập được 4-5 chi hội nghề nghiệp"),
            vec![(4.0, Some(5.0), "chi hội")]
        );
        assert_eq!(read("từ 8 đến 10 tổ hội"), vec![(8.0, Some(10.0), "tổ hội")]);
        assert_eq!(read("ít nhất 01 mô hình"), vec![(1.0, None, "mô hình")]);
        assert_eq!(read("mỗi xã một mô hình"), vec![(1.0, None, "mô hình")]);
        assert_eq!(read("7 nghìn hội viên"), vec![(7000.0, None, "hội viên")]);
        assert_eq!(read("1.234,5 triệu đồng"), vec![(1234.5, None, "triệu đồng")]);
    }

    #[test]
    fn references_dates_and_years_are_not_figures() {
        assert!(read("Nghị quyết số 46-NQ/TW ngày 20/12/2023").is_empty());
        assert!(read("đến năm 2030, giai đoạn 2021-2025").is_empty());
        assert!(read("03 Nghị quyết 04, 05, 06 của Trung ương").len() == 1);
        assert!(read("Nội dung (1.1) và (2)").is_empty());
        assert!(read("năm 2022 vào Hội").is_empty());
    }
}
