//! Vietnamese text written before Unicode, in the two font encodings
//! clerks used for years: TCVN3 (the "ABC" fonts, .VnTime) and VNI
//! (VNI-Times). A sheet typed in such a font holds each legacy byte as the
//! Windows-1252 character of that byte ("NguyÔn V¨n H¶i", "Nguyeãn Vaên
//! Haûi"), so the text is read back through Windows-1252 to its bytes and
//! those bytes through the encoding's table.
//!
//! Sources of the tables:
//! - TCVN3: the Vietnamese standard TCVN 5712:1993, table VN1, bytes
//!   0x80–0xFF (VN3, the ABC fonts, is its subset without the capitals
//!   with tone marks, bytes 0xA1–0xFE); the same table as the GNU C
//!   library's `TCVN5712-1` charmap. Capitals with a tone mark that VN3
//!   lacks were typed in the capital fonts (.VnTimeH) with the small
//!   letter's byte: inside a word written in capitals such a letter is
//!   read as a capital.
//! - VNI: the VNI-Windows font encoding of VNI Software Co. (1991), as its
//!   fonts and keyboard documentation define it: a base letter followed by
//!   one byte for its marks (0xF9 ù acute, 0xF8 ø grave, 0xFB û hook,
//!   0xF5 õ tilde, 0xEF ï dot below; 0xE2 â circumflex and 0xE1/0xE0/
//!   0xE5/0xE3/0xE4 circumflex with a tone; 0xEA ê breve and 0xE9/0xE8/
//!   0xFA/0xFC/0xEB breve with a tone), one byte each for ơ (0xF4 ô),
//!   ư (0xF6 ö), đ (0xF1 ñ), the tones of i (0xED í, 0xEC ì, 0xE6 æ,
//!   0xF3 ó, 0xF2 ò) and ỵ (0xEE î); capitals use the same positions
//!   less 0x20.

use unicode_normalization::UnicodeNormalization;

/// A pre-Unicode Vietnamese font encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Legacy {
    Tcvn3,
    Vni,
}

impl Legacy {
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::Vni => "vni",
        }
    }
}

/// TCVN 5712:1993 (VN1), bytes 0x80–0xFF. 0xB0–0xB4 are combining marks.
const TCVN3_HIGH: [u32; 128] = [
    0xC0, 0x1EA2, 0xC3, 0xC1, 0x1EA0, 0x1EB6, 0x1EAC, 0xC8, 0x1EBA, 0x1EBC, 0xC9, 0x1EB8, 0x1EC6, 0xCC, 0x1EC8, 0x128,
    0xCD, 0x1ECA, 0xD2, 0x1ECE, 0xD5, 0xD3, 0x1ECC, 0x1ED8, 0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0xD9, 0x1EE6,
    0x168, 0xA0, 0x102, 0xC2, 0xCA, 0xD4, 0x1A0, 0x1AF, 0x110, 0x103, 0xE2, 0xEA, 0xF4, 0x1A1, 0x1B0, 0x111, 0x1EB0,
    0x300, 0x309, 0x303, 0x301, 0x323, 0xE0, 0x1EA3, 0xE3, 0xE1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF,
    0x1EB4, 0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0xE8,
    0x1EC2, 0x1EBB, 0x1EBD, 0xE9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0xEC, 0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2,
    0x129, 0xED, 0x1ECB, 0xF2, 0x1ED4, 0x1ECF, 0xF5, 0xF3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED1, 0x1ED9, 0x1EDD,
    0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0xF9, 0x1ED6, 0x1EE7, 0x169, 0xFA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, 0x1EE9, 0x1EF1,
    0x1EF3, 0x1EF7, 0x1EF9, 0xFD, 0x1EF5, 0x1ED0,
];

/// Windows-1252 at 0x80–0x9F (the rest of its upper half is Latin-1);
/// the five unassigned bytes stand for themselves.
const CP1252_C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D,
    0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D,
    0x17E, 0x178,
];

/// The Windows-1252 byte of `c`, if it has one.
pub fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    match u {
        0..=0x7F | 0xA0..=0xFF => Some(u as u8),
        _ => CP1252_C1.iter().position(|&x| x == u).map(|i| 0x80 + i as u8),
    }
}

/// The Windows-1252 character of byte `b`.
pub fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => char::from_u32(CP1252_C1[(b - 0x80) as usize]).unwrap_or('\u{FFFD}'),
        _ => b as char,
    }
}

/// Whether `s` could be legacy text: every character is a Windows-1252
/// one, and some are outside ASCII.
fn candidate(s: &str) -> bool {
    !s.is_ascii() && s.chars().all(|c| cp1252_byte(c).is_some())
}

/// `s` read as `legacy` text; text that cannot be (it holds characters no
/// legacy font produces) is returned as it is.
pub fn convert(s: &str, legacy: Legacy) -> String {
    if !candidate(s) {
        return s.to_string();
    }
    let out = match legacy {
        Legacy::Tcvn3 => tcvn3(s),
        Legacy::Vni => vni(s),
    };
    capitals(&out.nfc().collect::<String>())
}

fn tcvn3(s: &str) -> String {
    s.chars()
        .map(|c| match cp1252_byte(c) {
            Some(b) if b >= 0x80 => char::from_u32(TCVN3_HIGH[(b - 0x80) as usize]).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The combining marks of a VNI mark byte (small-letter position): shape
/// (circumflex, breve) and tone, and which base letters take it.
fn vni_marks(b: u8) -> Option<(Option<char>, Option<char>, &'static str)> {
    const CIRC: char = '\u{302}';
    const BREVE: char = '\u{306}';
    const ALL: &str = "aeiouyơư";
    Some(match b {
        0xF9 => (None, Some('\u{301}'), ALL),
        0xF8 => (None, Some('\u{300}'), ALL),
        0xFB => (None, Some('\u{309}'), ALL),
        0xF5 => (None, Some('\u{303}'), ALL),
        0xEF => (None, Some('\u{323}'), ALL),
        0xE2 => (Some(CIRC), None, "aeo"),
        0xE1 => (Some(CIRC), Some('\u{301}'), "aeo"),
        0xE0 => (Some(CIRC), Some('\u{300}'), "aeo"),
        0xE5 => (Some(CIRC), Some('\u{309}'), "aeo"),
        0xE3 => (Some(CIRC), Some('\u{303}'), "aeo"),
        0xE4 => (Some(CIRC), Some('\u{323}'), "aeo"),
        0xEA => (Some(BREVE), None, "a"),
        0xE9 => (Some(BREVE), Some('\u{301}'), "a"),
        0xE8 => (Some(BREVE), Some('\u{300}'), "a"),
        0xFA => (Some(BREVE), Some('\u{309}'), "a"),
        0xFC => (Some(BREVE), Some('\u{303}'), "a"),
        0xEB => (Some(BREVE), Some('\u{323}'), "a"),
        _ => return None,
    })
}

/// Letters VNI writes in one byte (small-letter position).
fn vni_letter(b: u8) -> Option<&'static str> {
    Some(match b {
        0xF4 => "ơ",
        0xF6 => "ư",
        0xF1 => "đ",
        0xED => "í",
        0xEC => "ì",
        0xE6 => "ỉ",
        0xF3 => "ĩ",
        0xF2 => "ị",
        0xEE => "ỵ",
        _ => return None,
    })
}

fn vni(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // The last base letter written and whether it took a shape or a tone.
    let mut last: Option<(char, bool, bool)> = None;
    for c in s.chars() {
        let byte = cp1252_byte(c).unwrap_or(0);
        let upper = (0xC0..=0xDF).contains(&byte) && byte != 0xD7;
        let small = if upper { byte + 0x20 } else { byte };
        if let (Some((shape, tone, bases)), Some((base, shaped, toned))) = (vni_marks(small), last)
            && bases.contains(base.to_lowercase().next().unwrap_or(base))
            && !(shape.is_some() && shaped)
            && !(tone.is_some() && toned)
        {
            out.extend(shape);
            out.extend(tone);
            last = Some((base, shaped || shape.is_some(), toned || tone.is_some()));
            continue;
        }
        if byte >= 0x80
            && let Some(letter) = vni_letter(small)
        {
            let letter: String = if upper {
                letter.to_uppercase()
            } else {
                letter.to_string()
            };
            let base = letter.nfd().next().unwrap_or(c);
            out.push_str(&letter);
            let toned = tones(&letter) > 0;
            last = Some((base, false, toned));
            continue;
        }
        out.push(c);
        last = c.is_alphabetic().then_some((c, false, false));
    }
    out
}

/// Small letters in a text otherwise in capitals become capitals (the
/// capital fonts of TCVN3 draw a small letter's byte as a capital): a
/// text with no small Latin letter and at least two capital ones.
fn capitals(s: &str) -> String {
    let upper = s.chars().filter(|c| c.is_ascii_uppercase()).count();
    if upper >= 2 && !s.chars().any(|c| c.is_ascii_lowercase()) {
        s.chars().flat_map(char::to_uppercase).collect()
    } else {
        s.to_string()
    }
}

/// The Vietnamese letters a Unicode text may hold within Latin-1.
const VIET_LATIN1: &str = "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ";

/// How unlike Vietnamese `s` reads: characters no Vietnamese text holds
/// (Latin-1 symbols and letters of other languages, combining marks left
/// over) and words with two tone marks.
pub fn oddness(s: &str) -> usize {
    let odd_chars = s
        .chars()
        .filter(|&c| {
            let u = c as u32;
            ((0x80..=0xFF).contains(&u) && !VIET_LATIN1.contains(c))
                || (0x300..=0x36F).contains(&u)
                || (cp1252_byte(c).is_some_and(|b| (0x80..=0x9F).contains(&b)))
        })
        .count();
    let two_tones = s.split_whitespace().filter(|w| tones(w) > 1).count();
    odd_chars + 2 * two_tones
}

fn tones(word: &str) -> usize {
    word.nfd()
        .filter(|c| matches!(*c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'))
        .count()
}

/// Which legacy encoding, if any, a sample of a file's text is in: the
/// reading with the least oddness, when it is clearly less odd than the
/// text as it stands.
pub fn detect<'a>(sample: impl IntoIterator<Item = &'a str>) -> Option<Legacy> {
    let cells: Vec<&str> = sample.into_iter().filter(|s| candidate(s)).collect();
    if cells.is_empty() {
        return None;
    }
    let score = |f: &dyn Fn(&str) -> String| -> usize { cells.iter().map(|c| oddness(&f(c))).sum() };
    let raw = score(&|s| s.to_string());
    let tcvn = score(&|s| convert(s, Legacy::Tcvn3));
    let vni = score(&|s| convert(s, Legacy::Vni));
    let (best, odd) = if vni < tcvn {
        (Legacy::Vni, vni)
    } else {
        (Legacy::Tcvn3, tcvn)
    };
    (odd < raw && raw - odd >= 1.max(raw / 4)).then_some(best)
}

/// `s` written in `legacy` as Windows-1252 characters: what a sheet typed
/// in that font holds (for tests and test files). Letters the encoding
/// lacks are written as their small letter (TCVN3 capitals with tones) or
/// left as they are.
pub fn encode(s: &str, legacy: Legacy) -> String {
    let mut out = String::new();
    for c in s.nfc() {
        match legacy {
            Legacy::Tcvn3 => {
                let find = |c: char| {
                    TCVN3_HIGH
                        .iter()
                        .position(|&u| u == c as u32 && !(0x300..=0x36F).contains(&u))
                        .map(|i| cp1252_char(0x80 + i as u8))
                };
                let lower = c.to_lowercase().next().unwrap_or(c);
                match (c.is_ascii(), find(c), find(lower)) {
                    (true, _, _) => out.push(c),
                    (_, Some(e), _) => out.push(e),
                    (_, None, Some(e)) => out.push(e),
                    _ => out.push(c),
                }
            }
            Legacy::Vni => out.push_str(&vni_encode(c)),
        }
    }
    out
}

fn vni_encode(c: char) -> String {
    if c.is_ascii() {
        return c.to_string();
    }
    let upper = c.is_uppercase();
    let shift = |b: u8| cp1252_char(if upper { b - 0x20 } else { b });
    let lower: String = c.to_lowercase().collect();
    for b in 0x80..=0xFFu8 {
        if vni_letter(b) == Some(lower.as_str()) {
            return shift(b).to_string();
        }
    }
    let parts: Vec<char> = lower.nfd().collect();
    let mut base = parts[0];
    let (mut shape, mut tone) = (None, None);
    for &m in &parts[1..] {
        match m {
            '\u{302}' | '\u{306}' => shape = Some(m),
            '\u{31B}' => base = if base == 'o' { 'ơ' } else { 'ư' },
            _ => tone = Some(m),
        }
    }
    let mut out = String::new();
    match vni_letter_byte(base) {
        Some(b) => out.push(shift(b)),
        None if upper => out.extend(base.to_uppercase()),
        None => out.push(base),
    }
    if shape.is_none() && tone.is_none() {
        return out;
    }
    let mark = (0x80..=0xFFu8)
        .find(|&b| vni_marks(b).is_some_and(|(s, t, bases)| s == shape && t == tone && bases.contains(base)));
    if let Some(b) = mark {
        out.push(shift(b));
    }
    out
}

fn vni_letter_byte(base: char) -> Option<u8> {
    match base {
        'ơ' => Some(0xF4),
        'ư' => Some(0xF6),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
