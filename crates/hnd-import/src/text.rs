//! Text files as spreadsheets save them: CSV in UTF-8 with or without a
//! byte-order mark, Excel's "Unicode text" (UTF-16, tab-separated), and
//! the 8-bit files of older machines (Windows-1258, or Windows-1252 bytes
//! holding TCVN3 or VNI text, which `legacy.rs` reads). The bytes are
//! turned into UTF-8 as they are read, so a large file is still streamed.

use std::io::Read;
use unicode_normalization::UnicodeNormalization;

/// How a text file's bytes are characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    #[serde(rename = "windows-1258")]
    Windows1258,
    /// Bytes of a legacy Vietnamese font (TCVN3, VNI) or Western text.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Windows1258 => encoding_rs::WINDOWS_1258,
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1258 => "windows-1258",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// Decodes `bytes` whole (a byte-order mark dropped).
    pub fn decode(self, bytes: &[u8]) -> String {
        let mut decoder = self.encoding().new_decoder_with_bom_removal();
        let mut out = String::with_capacity(bytes.len() + 16);
        let mut rest = bytes;
        loop {
            out.reserve(decoder.max_utf8_buffer_length(rest.len()).unwrap_or(rest.len() * 3) + 16);
            let (result, read, _) = decoder.decode_to_string(rest, &mut out, true);
            rest = &rest[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                return out;
            }
        }
    }
}

/// How a text file is read: its encoding and separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextForm {
    pub encoding: TextEncoding,
    pub delimiter: u8,
}

/// The encoding of a text file whose first bytes are `head`: its
/// byte-order mark; UTF-16 without one when every other byte is zero;
/// UTF-8 when the bytes are; else the 8-bit reading that looks most like
/// Vietnamese.
pub fn sniff(head: &[u8]) -> TextEncoding {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return TextEncoding::Utf8;
    }
    if head.starts_with(b"\xFF\xFE") {
        return TextEncoding::Utf16Le;
    }
    if head.starts_with(b"\xFE\xFF") {
        return TextEncoding::Utf16Be;
    }
    let pairs = head.len() / 2;
    if pairs >= 2 {
        let zero_odd = head.chunks_exact(2).filter(|p| p[1] == 0 && p[0] != 0).count();
        let zero_even = head.chunks_exact(2).filter(|p| p[0] == 0 && p[1] != 0).count();
        if zero_odd * 2 > pairs {
            return TextEncoding::Utf16Le;
        }
        if zero_even * 2 > pairs {
            return TextEncoding::Utf16Be;
        }
    }
    match std::str::from_utf8(head) {
        Ok(_) => return TextEncoding::Utf8,
        // Cut inside a character at the end of the head: still UTF-8.
        Err(e) if e.error_len().is_none() => return TextEncoding::Utf8,
        Err(_) => {}
    }
    let vietnamese: String = TextEncoding::Windows1258.decode(head).nfc().collect();
    let western = TextEncoding::Windows1252.decode(head);
    let cells: Vec<&str> = western.split(['\n', '\t', ',', ';']).collect();
    let as_legacy = crate::legacy::detect(cells.iter().copied()).map(|legacy| {
        cells
            .iter()
            .map(|c| crate::legacy::oddness(&crate::legacy::convert(c, legacy)))
            .sum::<usize>()
    });
    match as_legacy {
        Some(odd) if odd < crate::legacy::oddness(&vietnamese) => TextEncoding::Windows1252,
        _ => TextEncoding::Windows1258,
    }
}

/// The separator of a text sheet: the one of tab, semicolon and comma
/// that the first lines hold most often (a title line holds none).
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    for line in text.lines().take(30) {
        for (i, d) in ['\t', ';', ','].iter().enumerate() {
            counts[i] += line.matches(*d).count();
        }
    }
    // Tabs first: a tab-separated export holds commas in its text.
    if counts[0] > 0 && counts[0] * 2 >= counts[1].max(counts[2]) {
        return b'\t';
    }
    if counts[1] > counts[2] { b';' } else { b',' }
}

/// A reader of UTF-8 from a reader of text in `encoding` (its byte-order
/// mark dropped), lines ending in "\n" (a "\r\n" loses its "\r", so that
/// a reader counts lines as rows). Bytes that are no character become U+FFFD.
pub struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_at: usize,
    in_end: usize,
    output: Vec<u8>,
    out_at: usize,
    out_end: usize,
    eof: bool,
    done: bool,
    /// A "\r" ending the last output, held until the next byte is known.
    held_cr: bool,
}

impl<R: Read> Decoded<R> {
    pub fn new(inner: R, encoding: TextEncoding) -> Decoded<R> {
        Decoded {
            inner,
            decoder: encoding.encoding().new_decoder_with_bom_removal(),
            input: vec![0; 64 * 1024],
            in_at: 0,
            in_end: 0,
            output: vec![0; 200 * 1024],
            out_at: 0,
            out_end: 0,
            eof: false,
            done: false,
            held_cr: false,
        }
    }
}

impl<R> Decoded<R> {
    /// Drops each "\r" before a "\n" from the first `written` bytes of the
    /// output; returns how many are left. A "\r" at the end is held back
    /// unless the text is `finished`. (The output has room for the one
    /// held byte: it is always shorter than its buffer by the decoder's
    /// margin.)
    fn drop_cr(&mut self, written: usize, finished: bool) -> usize {
        let mut out = Vec::with_capacity(written + 1);
        let held = std::mem::take(&mut self.held_cr);
        let bytes = self.output[..written].iter().copied();
        let all: Vec<u8> = if held {
            std::iter::once(b'\r').chain(bytes).collect()
        } else {
            bytes.collect()
        };
        for (i, &b) in all.iter().enumerate() {
            if b == b'\r' {
                match all.get(i + 1) {
                    Some(b'\n') => continue,
                    None if !finished => {
                        self.held_cr = true;
                        continue;
                    }
                    _ => {}
                }
            }
            out.push(b);
        }
        if self.output.len() < out.len() {
            self.output.resize(out.len(), 0);
        }
        self.output[..out.len()].copy_from_slice(&out);
        out.len()
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.out_at < self.out_end {
                let n = buf.len().min(self.out_end - self.out_at);
                buf[..n].copy_from_slice(&self.output[self.out_at..self.out_at + n]);
                self.out_at += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_at == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.eof = n == 0;
                (self.in_at, self.in_end) = (0, n);
            }
            let (result, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[self.in_at..self.in_end], &mut self.output, self.eof);
            self.in_at += read;
            let finished = self.eof && result == encoding_rs::CoderResult::InputEmpty && self.in_at == self.in_end;
            (self.out_at, self.out_end) = (0, self.drop_cr(written, finished));
            // A finished decoder is never called again: what it wrote is
            // handed out first.
            self.done = finished;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big: bool) -> Vec<u8> {
        let mut out = if big { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            out.extend(if big { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        out
    }

    #[test]
    fn text_files_are_read_in_their_encoding() {
        let text = "Họ và tên\tNgày sinh\nNguyễn Thị Hoà\t12/05/1985\n";
        for (bytes, encoding) in [
            (utf16(text, false), TextEncoding::Utf16Le),
            (utf16(text, true), TextEncoding::Utf16Be),
            (utf16(text, false)[2..].to_vec(), TextEncoding::Utf16Le),
            (
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                TextEncoding::Utf8,
            ),
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
        ] {
            assert_eq!(sniff(&bytes), encoding);
            let mut out = String::new();
            Decoded::new(bytes.as_slice(), encoding)
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, text);
            assert_eq!(sniff_delimiter(&out), b'\t');
            let crlf = text.replace('\n', "\r\n");
            let mut out = String::new();
            Decoded::new(crlf.as_bytes(), TextEncoding::Utf8)
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, text, "lines end in \\n");
        }
        // Windows-1258 writes tones as combining marks.
        let cp1258 = b"Nguy\xEA\xDEn Thi\xD2 Ho\xE0\n";
        assert_eq!(sniff(cp1258), TextEncoding::Windows1258);
        let read: String = TextEncoding::Windows1258.decode(cp1258).nfc().collect();
        assert_eq!(read, "Nguyễn Thỉ Hoà\n");
        // TCVN3 bytes are read as Windows-1252 characters, for legacy.rs.
        let tcvn = b"Nguy\xD4n Th\xDE Ho\xB5,H\xE9i N\xABng d\xA9n\n";
        assert_eq!(sniff(tcvn), TextEncoding::Windows1252);
    }
}
