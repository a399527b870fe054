//! The text of an uploaded document: plain text, DOCX (zip + XML) or a
//! PDF with a text layer. Anything else is refused with a message a
//! person can act on, never a panic.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::Read;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("Tệp trống: không có chữ nào để đọc.")]
    Empty,
    #[error("Tệp DOCX bị hỏng hoặc không phải DOCX ({0}); hãy mở bằng Word và lưu lại.")]
    BadDocx(String),
    #[error("Tệp PDF bị hỏng hoặc không đọc được ({0}).")]
    BadPdf(String),
    #[error(
        "Tệp PDF không có lớp chữ (bản scan, chỉ có ảnh): hãy dùng bản DOCX hoặc PDF xuất từ Word, hoặc nhận dạng chữ (OCR) trước."
    )]
    ImageOnlyPdf,
    #[error("Tệp không phải văn bản UTF-8, DOCX hay PDF: không đọc được.")]
    NotText,
}

impl IngestError {
    /// A sentence for a person, in `lang`.
    pub fn message(&self, lang: hnd_domain::Lang) -> String {
        use hnd_domain::i18n::t;
        match self {
            IngestError::Empty => t(lang, "plan.document_empty", &[]),
            IngestError::BadDocx(why) => t(lang, "plan.document_bad_docx", &[("why", why)]),
            IngestError::BadPdf(why) => t(lang, "plan.document_bad_pdf", &[("why", why)]),
            IngestError::ImageOnlyPdf => t(lang, "plan.document_scan", &[]),
            IngestError::NotText => t(lang, "plan.document_not_text", &[]),
        }
    }
}

/// The document's text, its paragraphs one a line and table cells
/// separated by " | ".
pub fn text_of(bytes: &[u8]) -> Result<String, IngestError> {
    let text = if bytes.starts_with(b"PK\x03\x04") {
        docx_text(bytes)?
    } else if bytes.starts_with(b"%PDF") {
        pdf_text(bytes)?
    } else {
        plain_text(bytes)?
    };
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        return Err(IngestError::Empty);
    }
    Ok(text)
}

fn plain_text(bytes: &[u8]) -> Result<String, IngestError> {
    // Windows' "Unicode" text: UTF-16 with its byte order mark.
    let utf16 = |bytes: &[u8], word: fn([u8; 2]) -> u16| {
        let units = bytes.chunks_exact(2).map(|p| word([p[0], p[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| IngestError::NotText)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(IngestError::NotText);
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| IngestError::NotText)
}

fn docx_text(bytes: &[u8]) -> Result<String, IngestError> {
    let bad = |e: &dyn std::fmt::Display| IngestError::BadDocx(e.to_string());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| IngestError::BadDocx("thiếu word/document.xml".into()))?
        .read_to_string(&mut xml)
        .map_err(|e| bad(&e))?;
    let mut reader = Reader::from_str(&xml);
    let (mut out, mut in_text, mut cells) = (String::new(), false, 0usize);
    // A table before any text is the document's head laid out in two
    // columns (issuing body and number | national motto and date): its
    // paragraphs are lines of their own, like a text file's head.
    let mut head_table = false;
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::Start(e) if e.local_name().as_ref() == "tbl" => head_table = out.trim().is_empty(),
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                // A paragraph inside a cell does not end the row.
                "p" if cells == 0 || head_table => out.push('\n'),
                "p" => out.push(' '),
                "tc" if head_table => out.push('\n'),
                "tc" => out.push_str(" | "),
                "tbl" => head_table = false,
                "tr" => {
                    out.push('\n');
                    cells = 0;
                }
                _ => {}
            },
            Event::Start(e) if e.local_name().as_ref() == "tc" => cells += 1,
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                    continue;
                }
                out.push_str(match &*r.xml10_content() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn pdf_text(bytes: &[u8]) -> Result<String, IngestError> {
    // The PDF reader panics on some broken files: a broken file is a
    // refusal, not a crash.
    let read = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    match read {
        Ok(Ok(text)) if text.chars().filter(|c| c.is_alphabetic()).count() >= 3 => Ok(text),
        Ok(Ok(_)) => Err(IngestError::ImageOnlyPdf),
        Ok(Err(e)) => Err(IngestError::BadPdf(e.to_string())),
        Err(_) => Err(IngestError::BadPdf("cấu trúc tệp không hợp lệ".into())),
    }
}
