//! The document as paragraphs: lines broken inside a sentence (PDF and
//! DOCX exports of scanned layouts break them anywhere) joined again, the
//! emphasis marks of converted texts removed, and each paragraph's
//! numbering ("II.", "1.2.", "a)", "-") read apart from its words.

use hnd_domain::fold;

/// A paragraph of the document.
#[derive(Debug, Clone)]
pub struct Para {
    /// The whole paragraph, numbering included.
    pub text: String,
    /// Byte offset of `text` in the draft's source.
    pub start: usize,
    pub marker: Marker,
    /// Byte offset in `text` where the words after the numbering begin.
    pub body_at: usize,
}

/// How a paragraph is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// "I.", "IV-".
    Roman,
    /// "1.", "2.1.", "1-": the count of numbers.
    Number(usize),
    /// "a)", "b.".
    Letter,
    /// "-", "+", "•".
    Bullet,
    None,
}

impl Marker {
    /// The depth of a heading: roman 0, "1." 1, "1.1." 2, letters 5;
    /// bullets and plain paragraphs are deeper than any heading.
    pub fn level(self) -> usize {
        match self {
            Marker::Roman => 0,
            Marker::Number(n) => n,
            Marker::Letter => 5,
            Marker::Bullet | Marker::None => 9,
        }
    }
}

impl Para {
    /// The words after the numbering.
    pub fn body(&self) -> &str {
        &self.text[self.body_at..]
    }
}

/// The source as the draft shows it (lines joined, marks removed) and its
/// paragraphs.
pub fn paragraphs(raw: &str) -> (String, Vec<Para>) {
    let cleaned = raw.replace("**", " ").replace(['*', '\u{a0}'], " ").replace('\r', "");
    let lines: Vec<String> = cleaned
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    let wrapped = hard_wrapped(&lines);
    let mut joined: Vec<String> = Vec::new();
    for line in lines {
        match joined.last_mut() {
            Some(last) if continues(last, &line, wrapped) => {
                last.push(' ');
                last.push_str(&line);
            }
            _ => joined.push(line),
        }
    }
    let mut source = String::new();
    let mut paras = Vec::new();
    for text in joined {
        let (marker, body_at) = marker_of(&text);
        paras.push(Para {
            start: source.len(),
            text: text.clone(),
            marker,
            body_at,
        });
        source.push_str(&text);
        source.push('\n');
    }
    (source, paras)
}

/// Whether `next` goes on the sentence `last` left open: `last` ends
/// without a full stop and `next` begins with a small letter, or with a
/// figure that is not a numbering.
fn continues(last: &str, next: &str, wrapped: bool) -> bool {
    let ends_open = !last.ends_with(['.', ':', ';', '!', '?', '"', '”', ')']);
    if !ends_open || is_upper_line(last) {
        return false;
    }
    let first = next.chars().next().unwrap_or(' ');
    if first.is_lowercase() {
        return true;
    }
    // A line that stops on a comma or on a word that cannot end a
    // sentence ("của", "và") goes on, whatever case the next begins with.
    let last_word = crate::text::Folded::new(last.rsplit(' ').next().unwrap_or("")).text;
    // A long line without a stop was cut by the page's width.
    let open_word =
        last.ends_with(',') || OPEN_WORDS.contains(&last_word.as_str()) || (wrapped && last.chars().count() >= 60);
    if open_word && marker_of(next).0 == Marker::None {
        return true;
    }
    first.is_ascii_digit() && marker_of(next).0 == Marker::None && last.ends_with(|c: char| c.is_alphabetic())
}

/// Whether the text's lines were cut at a page's width (a PDF, a DOCX
/// typed line by line): most lines of 50 to 110 chars, many without a
/// stop at their end.
fn hard_wrapped(lines: &[String]) -> bool {
    let sized = lines.iter().filter(|l| (50..=110).contains(&l.chars().count())).count();
    let open = lines.iter().filter(|l| !l.ends_with(['.', ':', ';'])).count();
    lines.len() >= 10 && sized * 2 >= lines.len() && open * 5 >= lines.len() * 2
}

/// Words a sentence does not end on (folded).
const OPEN_WORDS: &[&str] = &[
    "cua", "va", "voi", "cac", "cho", "ve", "tai", "theo", "trong", "la", "so", "ngay", "nhung", "duoc", "de", "tu",
    "den", "hoac", "nham", "thuoc", "giua",
];

/// A title line in capitals ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU").
pub fn is_upper_line(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase())
}

/// The numbering at the start of `line` and where its words begin.
pub fn marker_of(line: &str) -> (Marker, usize) {
    let b = line.as_bytes();
    let skip_space = |mut i: usize| {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        i
    };
    if let Some(c) = line.chars().next()
        && matches!(c, '-' | '+' | '•' | '–' | '·')
    {
        return (Marker::Bullet, skip_space(c.len_utf8()));
    }
    // Roman: I, II, III, IV, V… followed by "." or "-".
    let roman = b.iter().take_while(|c| matches!(c, b'I' | b'V' | b'X')).count();
    if roman > 0 && roman <= 4 && matches!(b.get(roman), Some(b'.' | b'-')) {
        return (Marker::Roman, skip_space(roman + 1));
    }
    // Numbers: 1. 1.2. 1.2 1- 1)
    let mut i = 0;
    let mut parts = 0;
    loop {
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 2 {
            break;
        }
        parts += 1;
        i += digits;
        match b.get(i) {
            Some(b'.') if b.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            Some(b'.' | b'-' | b')') => {
                let end = i + 1;
                let after = b.get(end);
                if after.is_none_or(|c| *c == b' ' || c.is_ascii_alphabetic() || *c >= 0x80) {
                    return (Marker::Number(parts), skip_space(end));
                }
                break;
            }
            Some(b' ') if parts >= 2 => return (Marker::Number(parts), skip_space(i)),
            _ => break,
        }
    }
    let mut chars = line.chars();
    if let (Some(c), Some(')')) = (chars.next(), chars.next())
        && c.is_lowercase()
    {
        return (Marker::Letter, skip_space(c.len_utf8() + 1));
    }
    (Marker::None, 0)
}

/// `s` folded char by char into ASCII (each char of `s` gives exactly
/// one byte: dashes and quotes their ASCII kin, other signs "~"), so
/// that the n-th byte of the folded text is the n-th char of `s`.
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the byte offset in `s` of its char; one
    /// more entry for the end.
    offsets: Vec<usize>,
}

impl Folded {
    pub fn new(s: &str) -> Folded {
        let mut text = String::with_capacity(s.len());
        let mut offsets = Vec::with_capacity(s.len() + 1);
        let mut buf = [0u8; 4];
        for (at, c) in s.char_indices() {
            let f = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else if c.is_whitespace() {
                ' '
            } else {
                match fold(c.encode_utf8(&mut buf)).chars().next().unwrap_or(c) {
                    f if f.is_ascii() => f,
                    '–' | '—' | '‐' => '-',
                    '“' | '”' | '«' | '»' => '"',
                    '‘' | '’' => '\'',
                    '…' => '.',
                    _ => '~',
                }
            };
            for _ in 0..f.len_utf8() {
                offsets.push(at);
            }
            text.push(f);
        }
        offsets.push(s.len());
        Folded { text, offsets }
    }

    /// The byte offset in the original of folded byte offset `at`.
    pub fn orig(&self, at: usize) -> usize {
        self.offsets[at.min(self.offsets.len() - 1)]
    }
}

/// Whether folded `hay` has `word` as whole words at byte `at`.
pub fn word_at(hay: &str, at: usize, word: &str) -> bool {
    hay.get(at..).is_some_and(|h| h.starts_with(word))
        && (at == 0 || !hay[..at].ends_with(|c: char| c.is_alphanumeric()))
        && !hay[at + word.len()..].starts_with(|c: char| c.is_alphanumeric())
}

/// Where folded `word` first occurs in `hay` as whole words.
pub fn find_word(hay: &str, word: &str) -> Option<usize> {
    hay.match_indices(word).map(|(i, _)| i).find(|&i| word_at(hay, i, word))
}

pub fn has_word(hay: &str, word: &str) -> bool {
    find_word(hay, word).is_some()
}
