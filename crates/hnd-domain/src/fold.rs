//! Diacritic folding for search and for matching column headers.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases `s`, removes Vietnamese tone and vowel marks and turns
/// `đ`/`Đ` into `d` (Unicode decomposition leaves `đ` alone), so that
/// "Nguyễn Thị Hoà", "nguyen thi hoa" and "NGUYEN THI HOA" fold equal.
/// Runs of whitespace become one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_vietnamese_marks_case_and_d() {
        assert_eq!(fold("Nguyễn Thị Hoà"), "nguyen thi hoa");
        assert_eq!(fold("Đặng  Văn   Đức "), "dang van duc");
        assert_eq!(fold("Mã đơn vị cấp trên"), "ma don vi cap tren");
        assert_eq!(fold("ĐẶC KHU CÔN ĐẢO"), "dac khu con dao");
    }
}
