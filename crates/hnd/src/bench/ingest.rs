//! `hnd bench ingest`: reading a long plan. The demo's plan texts and the
//! plan texts of `data/ingest-gold/` are laid out again and again, as the
//! Union's documents are (head, numbered paragraphs, a table of tasks),
//! into one DOCX and one PDF of at least PAGES pages written by the
//! project's own document writer; each is read RUNS times the way an
//! upload is (text layer, head, targets, tasks). Both files are left in
//! the temporary folder, for `pdfinfo` to count the pages.

use super::{ms, percentiles};
use anyhow::Result;
use hnd_docs::{Block, Cell, Document, Table};
use std::time::{Duration, Instant};

const TEXTS: &[&str] = &[
    include_str!("../../../../data/plans/quang-ngai-46.txt"),
    include_str!("../../../../data/ingest-gold/own/commune-programme.txt"),
    include_str!("../../../../data/ingest-gold/own/directive-cut.txt"),
    include_str!("../../../../data/ingest-gold/own/news-report.txt"),
];

/// Characters of paragraphs per A4 page of the document writer with its
/// tables of tasks, measured (pdfinfo): 20 pages asked give about 20.
const PAGE_CHARS: usize = 1800;

fn long_plan(pages: usize) -> Document {
    let mut blocks = Vec::new();
    let mut chars = 0;
    let mut round = 0;
    while chars < pages * PAGE_CHARS {
        round += 1;
        blocks.push(Block::Heading(format!("PHẦN {round}. CHỈ TIÊU VÀ NHIỆM VỤ")));
        for text in TEXTS {
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                chars += line.chars().count();
                blocks.push(Block::Paragraph(line.to_string()));
            }
        }
        blocks.push(Block::Table(Table {
            header: vec![vec![
                Cell::new("Nội dung"),
                Cell::new("Đơn vị chủ trì"),
                Cell::new("Đơn vị phối hợp"),
                Cell::new("Thời gian"),
            ]],
            rows: (1..=12)
                .map(|i| {
                    vec![
                        format!("Nhiệm vụ {round}.{i}: tổ chức hội nghị sơ kết"),
                        "Ban Tổ chức - Kiểm tra".into(),
                        "Văn phòng".into(),
                        format!("Quý {}/2027", ["I", "II", "III", "IV"][i % 4]),
                    ]
                })
                .collect(),
            ..Table::default()
        }));
    }
    Document {
        issuer: vec![
            "HỘI NÔNG DÂN VIỆT NAM".into(),
            "BCH HỘI NÔNG DÂN TỈNH QUẢNG NGÃI".into(),
        ],
        union_line: "HỘI NÔNG DÂN VIỆT NAM".into(),
        number: "Số 99-KH/HNDT".into(),
        place_date: "Quảng Ngãi, ngày 3 tháng 12 năm 2026".into(),
        title: "KẾ HOẠCH".into(),
        subtitle: "Công tác Hội và phong trào nông dân giai đoạn 2026-2030".into(),
        blocks,
        ..Document::default()
    }
}

pub(super) fn ingest(pages: usize, runs: usize) -> Result<()> {
    let plan = long_plan(pages);
    for (kind, bytes) in [("DOCX", hnd_docs::to_docx(&plan)?), ("PDF", hnd_docs::to_pdf(&plan)?)] {
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut read = None;
        for _ in 0..runs {
            let t = Instant::now();
            read = Some(hnd_ingest::read(&bytes)?);
            times.push(t.elapsed());
        }
        let draft = read.expect("at least one run");
        let file = std::env::temp_dir().join(format!("hnd-bench-plan.{}", kind.to_lowercase()));
        std::fs::write(&file, &bytes)?;
        let words = draft.source.split_whitespace().count();
        let max = *times.iter().max().expect("runs");
        println!(
            "{kind} ({}): {} KB, {words} words, {} targets, {} tasks read; {} runs: {}, max {}",
            file.display(),
            bytes.len() / 1024,
            draft.targets.len(),
            draft.tasks.len(),
            runs,
            percentiles(&mut times),
            ms(max)
        );
    }
    Ok(())
}
