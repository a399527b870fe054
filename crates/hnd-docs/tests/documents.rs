//! A report in the Union's layout written as PDF and as DOCX: the PDF
//! embeds every font it uses (`pdffonts`) and reads back with its header,
//! number, title and a table's figures (`pdftotext`); the DOCX, converted
//! to PDF by headless LibreOffice, reads back the same. `scripts/setup`
//! installs poppler-utils and LibreOffice.

use hnd_docs::{Block, Cell, Document, Signature, Table, to_docx, to_pdf};
use std::path::{Path, PathBuf};
use std::process::Command;

fn report() -> Document {
    let mut rows: Vec<Vec<String>> = (1..=40)
        .map(|i| {
            vec![
                format!("Xã Bình Sơn {i}"),
                format!("{}", i * 3),
                format!("{}", i),
                format!("{}.{:03}", 1 + i / 10, i * 7 % 1000),
            ]
        })
        .collect();
    rows.push(vec!["Tổng cộng".into(), "7.000".into(), "820".into(), "125.300".into()]);
    let table = Table {
        header: vec![
            vec![Cell::span("Đơn vị", 1, 2), Cell::span("Hội viên", 3, 1)],
            vec![
                Cell::new("Phát triển trong kỳ"),
                Cell::new("Giảm trong kỳ"),
                Cell::new("Lũy kế"),
            ],
        ],
        rows,
        widths: vec![2.0, 1.0, 1.0, 1.0],
        numeric: vec![false, true, true, true],
        bold_rows: vec![40],
    };
    Document {
        issuer: vec![
            "HỘI NÔNG DÂN VIỆT NAM".into(),
            "BCH HỘI NÔNG DÂN TỈNH QUẢNG NGÃI".into(),
        ],
        union_line: "HỘI NÔNG DÂN VIỆT NAM".into(),
        number: "Số 15-BC/HNDT".into(),
        place_date: "Quảng Ngãi, ngày 14 tháng 6 năm 2026".into(),
        title: "Báo cáo".into(),
        subtitle: "Thực lực Hội 6 tháng đầu năm 2026".into(),
        blocks: vec![
            Block::Heading("I. KẾT QUẢ THỰC HIỆN".into()),
            Block::Paragraph(
                "Trong 6 tháng đầu năm, các cấp Hội trong tỉnh đã tập trung củng cố tổ chức, phát triển hội viên \
                 gắn với nâng cao chất lượng sinh hoạt chi hội; tỷ lệ hội viên tham gia bảo hiểm y tế đạt 3,5% \
                 cao hơn cùng kỳ năm trước."
                    .repeat(3),
            ),
            Block::Table(table),
            Block::Heading("II. NHIỆM VỤ 6 THÁNG CUỐI NĂM".into()),
            Block::Paragraph("Tiếp tục đẩy mạnh phong trào nông dân sản xuất, kinh doanh giỏi.".into()),
        ],
        signature: Signature {
            on_behalf: "T/M BAN THƯỜNG VỤ".into(),
            role: "CHỦ TỊCH".into(),
            name: "Nguyễn Văn Đức".into(),
        },
        recipients: vec!["- Thường trực Trung ương Hội;".into(), "- Lưu VP.".into()],
    }
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("hnd-docs-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (installed by scripts/setup): {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of a PDF as laid out on its pages, its spaces made single.
fn text_of(pdf: &Path) -> String {
    let text = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn reads_as_the_report(text: &str) {
    for part in [
        "BCH HỘI NÔNG DÂN TỈNH QUẢNG NGÃI",
        "Số 15-BC/HNDT",
        "Quảng Ngãi, ngày 14 tháng 6 năm 2026",
        "BÁO CÁO",
        "Thực lực Hội 6 tháng đầu năm 2026",
        "Giảm trong kỳ",
        "Lũy kế",
        "Tổng cộng 7.000 820 125.300",
        "T/M BAN THƯỜNG VỤ",
        "Nơi nhận:",
    ] {
        assert!(text.contains(part), "«{part}» not in: {text}");
    }
}

#[test]
fn the_pdf_embeds_its_fonts_and_reads_back() {
    let d = dir();
    let pdf = d.join("bao-cao.pdf");
    std::fs::write(&pdf, to_pdf(&report()).unwrap()).unwrap();
    if let Ok(keep) = std::env::var("HND_DOCS_KEEP") {
        std::fs::copy(&pdf, keep).unwrap();
    }
    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "regular, bold, italic at least: {fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding] emb sub uni object ID
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "every font embedded: {fonts}");
    }
    reads_as_the_report(&text_of(&pdf));
    let pages = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        pages.contains("595.276 x 841.89 pts (A4)") || pages.contains("(A4)"),
        "{pages}"
    );
    let count: usize = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(count >= 2, "the long table goes on a second page: {pages}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn the_docx_converts_to_a_pdf_that_reads_back() {
    let d = dir().join("docx");
    std::fs::create_dir_all(&d).unwrap();
    let docx = d.join("bao-cao.docx");
    std::fs::write(&docx, to_docx(&report()).unwrap()).unwrap();
    if let Ok(keep) = std::env::var("HND_DOCS_KEEP_DOCX") {
        std::fs::copy(&docx, keep).unwrap();
    }
    let profile = format!("-env:UserInstallation=file://{}", d.join("lo-profile").display());
    let pdf = d.join("bao-cao.pdf");
    // A first start on a new profile may end before converting: once more.
    for _ in 0..2 {
        if !pdf.exists() {
            let args = [
                &profile,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                d.to_str().unwrap(),
                docx.to_str().unwrap(),
            ];
            run("soffice", &args);
        }
    }
    reads_as_the_report(&text_of(&pdf));
    std::fs::remove_dir_all(&d).unwrap();
}
