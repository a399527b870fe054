//! `hnd bench mapped-import`: the import rate of a list in a layout of
//! its own, read through its proposed mapping, beside the same members in
//! the template's layout, each into a fresh register (the goal: at least
//! 0.9 of the template's rate).

use crate::member_files::Mapped;
use anyhow::Result;
use hnd_domain::{Day, Lang};
use hnd_store::{Change, Store};
use std::path::Path;
use std::time::{Duration, Instant};

/// Generates `rows` members, writes them in the template's layout and in
/// a list's own (title rows, a header on two rows, sex as an X, the
/// Party as X marks under "Đảng viên", CCCD and phones with spaces), and
/// imports each into a fresh register.
pub async fn run(rows: usize, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let who = Change::new("bench", "đo hiệu năng");
    let url = |name: &str| format!("sqlite:{}", dir.join(name).display());
    let generated = crate::demo::demo_tree(&url("map-gen.db"), &who, Lang::Vi).await?;
    crate::r#gen::generate_members(&generated, "TW", rows, 2025, &who, Lang::Vi).await?;
    let template = dir.join("template.csv");
    let everyone = hnd_store::MemberQuery {
        scope: "TW".into(),
        ..Default::default()
    };
    hnd_import::export_members(&generated, &template, &everyone, true).await?;
    generated.close().await;
    let own = dir.join("own-layout.csv");
    own_layout(&template, &own)?;

    let plain = Mapped {
        mapping: None,
        accept_proposed: false,
    };
    let store = crate::demo::demo_tree(&url("map-template.db"), &who, Lang::Vi).await?;
    let template_took = timed(&store, &template, &plain).await?;
    store.close().await;

    let store = crate::demo::demo_tree(&url("map-own.db"), &who, Lang::Vi).await?;
    let t = Instant::now();
    let proposal = hnd_import::propose_file(&store, &own, "TW", Day::today()).await?;
    println!("mapping proposed in {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    let mapped = Mapped {
        mapping: Some(proposal.mapping),
        accept_proposed: true,
    };
    let own_took = timed(&store, &own, &mapped).await?;
    store.close().await;
    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    println!(
        "template: {:.0} rows/s; own layout through its mapping: {:.0} rows/s; ratio {:.2} (goal ≥ 0.9)",
        rate(template_took),
        rate(own_took),
        template_took.as_secs_f64() / own_took.as_secs_f64()
    );
    Ok(())
}

async fn timed(store: &Store, file: &Path, mapped: &Mapped) -> Result<Duration> {
    let app = hnd_app::App::new(store.clone());
    let operator = hnd_app::Actor::operator("bench", Lang::Vi).with_reason("đo hiệu năng");
    let errors = file.with_extension("loi.csv");
    let t = Instant::now();
    crate::member_files::import(&app, &operator, ("TW", file, &errors), Day::today(), mapped).await?;
    Ok(t.elapsed())
}

/// The template's CSV at `from` rewritten as a province's own list at `to`.
fn own_layout(from: &Path, to: &Path) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_path(from)?;
    let mut out = csv::WriterBuilder::new().flexible(true).from_path(to)?;
    out.write_record(["HỘI NÔNG DÂN VIỆT NAM"])?;
    out.write_record(["DANH SÁCH HỘI VIÊN"])?;
    out.write_record([""])?;
    let header = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính (Nam để X, Nữ không để gì)",
        "Dân tộc",
        "Tôn giáo",
        "Số CMND/CCCD",
        "Điện thoại",
        "Thôn, tổ dân phố",
        "Mã chi hội",
        "Ngày vào Hội",
        "Số QĐ kết nạp",
        "Đảng viên",
        "",
        "Ngày vào Đảng",
        "Nghề nghiệp",
        "Trình độ văn hóa",
        "BHYT",
        "BHXH tự nguyện",
        "Ghi chú",
    ];
    out.write_record(header)?;
    let mut sub = vec![""; header.len()];
    (sub[12], sub[13]) = ("Dự bị", "Chính thức");
    out.write_record(&sub)?;
    let spaced = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        chars
            .chunks(3)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (i, record) in reader.records().enumerate() {
        let r = record?;
        let get = |c: usize| r.get(c).unwrap_or_default();
        let male = if get(2) == "Nam" { "X" } else { "" };
        let party = if get(15) == "Có" { "X" } else { "" };
        let n = (i + 1).to_string();
        out.write_record([
            n.as_str(),
            get(0),
            get(1),
            male,
            get(3),
            get(4),
            &spaced(get(5)),
            &spaced(get(6)),
            get(7),
            get(8),
            get(9),
            get(10),
            "",
            party,
            get(16),
            get(11),
            get(12),
            get(13),
            get(14),
            "",
        ])?;
    }
    out.flush()?;
    Ok(())
}
