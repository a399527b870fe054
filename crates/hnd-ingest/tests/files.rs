//! Documents as users upload them: a DOCX and a PDF written by the
//! Union's own document writer are read like the text; broken, empty and
//! image-only files are refused with a Vietnamese message, never a panic.

use hnd_docs::{Block, Cell, Document, Table, to_docx, to_pdf};
use hnd_ingest::{IngestError, read};

fn plan() -> Document {
    Document {
        issuer: vec![
            "HỘI NÔNG DÂN VIỆT NAM".into(),
            "BCH HỘI NÔNG DÂN TỈNH QUẢNG NGÃI".into(),
        ],
        union_line: "HỘI NÔNG DÂN VIỆT NAM".into(),
        number: "Số 12-KH/HNDT".into(),
        place_date: "Quảng Ngãi, ngày 3 tháng 12 năm 2026".into(),
        title: "KẾ HOẠCH".into(),
        subtitle: "Công tác Hội và phong trào nông dân năm 2027".into(),
        blocks: vec![
            Block::Heading("I. CHỈ TIÊU".into()),
            Block::Paragraph("1. Kết nạp mới từ 7.000 hội viên trở lên.".into()),
            Block::Paragraph("2. Có 95% hội viên tham gia bảo hiểm y tế.".into()),
            Block::Heading("II. NHIỆM VỤ VÀ PHÂN CÔNG".into()),
            Block::Table(Table {
                header: vec![vec![
                    Cell::new("Nội dung"),
                    Cell::new("Đơn vị chủ trì"),
                    Cell::new("Đơn vị phối hợp"),
                    Cell::new("Thời gian"),
                ]],
                rows: vec![vec![
                    "Rà soát danh sách hội viên".into(),
                    "Ban Tổ chức - Kiểm tra".into(),
                    "Văn phòng".into(),
                    "Quý II/2027".into(),
                ]],
                ..Table::default()
            }),
        ],
        ..Document::default()
    }
}

fn check(draft: &hnd_ingest::Draft) {
    assert_eq!(draft.number, "12-KH/HNDT");
    assert_eq!(draft.date, "03/12/2026");
    let seven = draft.targets.iter().find(|t| t.value == 7000.0).expect("7.000 read");
    assert_eq!((seven.comparator.code(), seven.unit.as_str()), (">=", "hội viên"));
    assert_eq!(seven.indicator.as_deref(), Some("new_members"));
    let bhyt = draft.targets.iter().find(|t| t.value == 95.0).expect("95% read");
    assert_eq!(bhyt.indicator.as_deref(), Some("members_bhyt_rate"));
}

#[test]
fn a_docx_with_a_table_of_tasks_reads_like_its_text() {
    let draft = read(&to_docx(&plan()).unwrap()).unwrap();
    check(&draft);
    let task = draft
        .tasks
        .iter()
        .find(|t| t.title.contains("Rà soát"))
        .expect("the table's row");
    assert_eq!(task.lead, "Ban Tổ chức - Kiểm tra");
    assert_eq!(task.coordinating, vec!["Văn phòng".to_string()]);
    assert_eq!(task.deadline, "quý II/2027");
}

#[test]
fn a_pdf_with_a_text_layer_reads_like_its_text() {
    let draft = read(&to_pdf(&plan()).unwrap()).unwrap();
    check(&draft);
}

fn refused(bytes: &[u8]) -> IngestError {
    read(bytes).expect_err("refused")
}

#[test]
fn empty_and_broken_files_are_refused_with_a_message() {
    assert_eq!(refused(b""), IngestError::Empty);
    assert_eq!(refused(b"  \n\t "), IngestError::Empty);
    assert_eq!(refused(b"\x00\x01\x02binary"), IngestError::NotText);
    assert!(matches!(
        refused(b"PK\x03\x04not a zip at all"),
        IngestError::BadDocx(_)
    ));
    let docx = to_docx(&plan()).unwrap();
    assert!(matches!(refused(&docx[..docx.len() / 2]), IngestError::BadDocx(_)));
    assert!(matches!(refused(b"%PDF-1.7\nnot a pdf"), IngestError::BadPdf(_)));
    let pdf = to_pdf(&plan()).unwrap();
    assert!(matches!(
        refused(&pdf[..pdf.len() / 3]),
        IngestError::BadPdf(_) | IngestError::ImageOnlyPdf
    ));
    for e in [
        IngestError::Empty,
        IngestError::ImageOnlyPdf,
        IngestError::BadPdf("x".into()),
    ] {
        let message = e.to_string();
        assert!(message.starts_with("Tệp"), "a Vietnamese message: {message}");
    }
}

/// A valid PDF whose one page draws a box and no text (a scan).
fn image_only_pdf() -> Vec<u8> {
    let content = "0 0 m 100 100 l S\n";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

#[test]
fn a_pdf_without_a_text_layer_is_refused_as_a_scan() {
    assert_eq!(refused(&image_only_pdf()), IngestError::ImageOnlyPdf);
}
