//! Numbers as the Union writes them: `7.000` and `3,5%` in Vietnamese,
//! `7,000` and `3.5%` in English.

use crate::Lang;

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// An integer with thousands grouped: `7.000` (vi), `7,000` (en).
pub fn int(n: i64, lang: Lang) -> String {
    let (group, _) = separators(lang);
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    out
}

/// A number with `decimals` places, grouped: `1.234,5` (vi).
pub fn decimal(x: f64, decimals: usize, lang: Lang) -> String {
    let (_, point) = separators(lang);
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        "-"
    } else {
        ""
    };
    let whole = int(whole.parse::<i64>().unwrap_or(0), lang);
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}{point}{frac}")
    }
}

/// A figure as people write it: a whole number grouped (`1.200`), else
/// with up to two decimal places, trailing zeros dropped (`95,5`).
pub fn figure(x: f64, lang: Lang) -> String {
    if x.fract() == 0.0 {
        int(x as i64, lang)
    } else {
        decimal(x, 2, lang).trim_end_matches('0').to_string()
    }
}

/// A percentage with one decimal place, trailing `,0` dropped: `3,5%`, `95%`.
pub fn percent(x: f64, lang: Lang) -> String {
    let text = decimal(x, 1, lang);
    let (_, point) = separators(lang);
    let trimmed = text.strip_suffix(&format!("{point}0")).unwrap_or(&text);
    format!("{trimmed}%")
}

/// A moment stored as RFC 3339 as the Union reads it: Vietnam's time,
/// `dd/mm/yyyy HH:MM`; the text as given when it is not such a moment.
pub fn moment(rfc3339: &str) -> String {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&vietnam).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_groups_with_dots_and_decimals_with_commas() {
        assert_eq!(int(7000, Lang::Vi), "7.000");
        assert_eq!(int(10_035, Lang::Vi), "10.035");
        assert_eq!(int(-1_234_567, Lang::Vi), "-1.234.567");
        assert_eq!(int(999, Lang::Vi), "999");
        assert_eq!(percent(3.5, Lang::Vi), "3,5%");
        assert_eq!(percent(95.0, Lang::Vi), "95%");
        assert_eq!(decimal(1234.25, 2, Lang::Vi), "1.234,25");
        assert_eq!(figure(1200.0, Lang::Vi), "1.200");
        assert_eq!(figure(95.5, Lang::Vi), "95,5");
    }

    #[test]
    fn english_is_the_mirror() {
        assert_eq!(int(7000, Lang::En), "7,000");
        assert_eq!(percent(3.5, Lang::En), "3.5%");
    }
}
