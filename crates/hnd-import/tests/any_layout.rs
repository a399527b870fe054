//! Member lists in layouts unlike the template, built here as provinces
//! keep them: a workbook whose header is on rows 4–5 under title rows,
//! with merged cells and X-mark columns; Excel's "Unicode text" (UTF-16,
//! tab-separated) with the birth year written under "Nam" or "Nữ"; a CSV
//! typed in the TCVN3 (ABC) fonts; a CSV with a byte-order mark naming
//! branches instead of codes; a CSV whose branches head their members'
//! rows, the name in two columns and no sex but the CCCD's. For each: the proposed mapping is right
//! with no correction (only the branch names that need a choice are
//! left to a person), and every field of every row is imported right.

use hnd_domain::{Day, Kind, Lang, Level, UnitCode, UnitName};
use hnd_import::{ImportError, ImportOptions, Legacy, Mapping, RunError, encode_legacy, propose_file};
use hnd_store::{Change, MemberQuery, NewUnit, Store};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

hnd_store::both_backends!(lists_in_any_layout_import_with_a_proposed_mapping);

fn unit(code: &str, name: &str, kind: Kind) -> NewUnit {
    NewUnit {
        code: UnitCode::parse(code).unwrap(),
        name: UnitName::parse(name).unwrap(),
        level: Level::Branch,
        kind: Some(kind),
        trade: (kind == Kind::Professional).then(|| "Nuôi ong".to_string()),
        parent: UnitCode::parse("00004").unwrap(),
        admin_commune: None,
        founded: None,
    }
}

/// The header on rows 4–5 under three title rows, merged cells, X marks.
fn workbook(path: &Path) {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    let plain = Format::new();
    s.merge_range(0, 0, 0, 17, "HỘI NÔNG DÂN XÃ ĐỒNG TÂM", &plain).unwrap();
    s.merge_range(1, 0, 1, 17, "DANH SÁCH HỘI VIÊN NĂM 2025", &plain)
        .unwrap();
    s.write_string(2, 0, "(*) bắt buộc").unwrap();
    // Labels merged down over rows 4 and 5.
    for (c, label) in [
        (0, "STT"),
        (1, "Họ và tên (*)"),
        (2, "Ngày sinh"),
        (3, "Giới tính (Nam để X, Nữ không để gì)"),
        (4, "Số CMND/CCCD"),
        (5, "Điện thoại"),
        (11, "Hội viên dân cư"),
        (12, "Hội viên nghề nghiệp"),
        (13, "Chi hội"),
        (14, "Ghi chú"),
    ] {
        s.merge_range(3, c, 4, c, label, &plain).unwrap();
    }
    // Parents merged across their children.
    s.merge_range(3, 6, 3, 7, "Đảng viên", &plain).unwrap();
    s.write_string(4, 6, "Dự bị").unwrap();
    s.write_string(4, 7, "Chính thức").unwrap();
    s.merge_range(3, 8, 3, 10, "Nghề nghiệp", &plain).unwrap();
    for (c, label) in [(8, "Nông dân"), (9, "Công nhân"), (10, "Hưu trí")] {
        s.write_string(4, c, label).unwrap();
    }
    s.merge_range(3, 15, 3, 17, "Phân loại hộ", &plain).unwrap();
    for (c, label) in [(15, "Hộ nghèo"), (16, "Cận nghèo"), (17, "Gia đình chính sách")] {
        s.write_string(4, c, label).unwrap();
    }
    // Row 6: the columns' numbers.
    for c in 0..18u16 {
        s.write_number(5, c, f64::from(c + 1)).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let born = ExcelDateTime::from_ymd(1970, 3, 15).unwrap();
    // Row 7: a date cell, a CCCD as text, a phone with spaces.
    s.write_number(6, 0, 1).unwrap();
    s.write_string(6, 1, "Nguyễn Văn An").unwrap();
    s.write_datetime_with_format(6, 2, &born, &date).unwrap();
    for (c, text) in [
        (3, "X"),
        (4, "001070001234"),
        (5, "0912 345 678"),
        (6, "X"),
        (8, "x"),
        (11, "X"),
    ] {
        s.write_string(6, c, text).unwrap();
    }
    s.write_string(6, 13, "00004-CH01").unwrap();
    // Row 8: a woman (no X), a year alone, an old CMND, +84, both kinds
    // of branch, a poor household, a note.
    s.write_number(7, 0, 2).unwrap();
    for (c, text) in [
        (1, "Trần Thị Bình"),
        (2, "1975"),
        (4, "123456789"),
        (5, "+84 987 654 321"),
        (10, "X"),
        (11, "X"),
        (12, "X"),
        (13, "00004-CH02"),
        (14, "chuyển về từ xã khác"),
        (15, "X"),
    ] {
        s.write_string(7, c, text).unwrap();
    }
    // Row 9: a date typed as text, a CCCD typed as a number (12 digits).
    s.write_number(8, 0, 3).unwrap();
    for (c, text) in [
        (1, "Lê Văn Cường"),
        (2, "12-05-1985"),
        (3, "X"),
        (7, "X"),
        (9, "X"),
        (13, "00004-CH01"),
    ] {
        s.write_string(8, c, text).unwrap();
    }
    s.write_number(8, 4, 1_085_005_678.0).unwrap();
    book.save(path).unwrap();
}

/// Excel's "Unicode text": UTF-16 LE with its mark, tab-separated, a
/// title row, and the birth year written under "Nam" or "Nữ".
fn unicode_text(path: &Path) {
    let text = "DANH SÁCH HỘI VIÊN CHI HỘI TỔ DÂN PHỐ HÒA BÌNH\n\
        \n\
        TT\tHọ và tên\tNăm sinh\t\tDân tộc\tSố CCCD\tSố điện thoại\tThôn, tổ dân phố\tMã chi hội\tNgày vào Hội\tSố QĐ kết nạp\n\
        \t\tNam\tNữ\t\t\t\t\t\t\t\n\
        1\tPhạm Văn Dũng\t1962\t\tKinh\t001 062 000 777\t0987 111 222\tTổ dân phố Hòa Bình\t00004-CH02\t15/03/2010\t12-QĐ/HND\n\
        2\tĐỗ Thị Em\t\t1980\tTày\t\t\tTổ dân phố Hòa Bình\t00004-CH02\t2/9/2015\t30-QĐ/HND\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

/// A CSV typed in the TCVN3 fonts: its bytes are the font's.
fn tcvn3_csv(path: &Path) {
    let text = "Hội Nông dân xã Đồng Tâm\n\
        Họ và tên,Ngày sinh,Giới tính,Dân tộc,Tôn giáo,Thôn xóm,Mã chi hội,Nghề nghiệp\n\
        Hoàng Thị Phương,20/10/1968,Nữ,Kinh,Phật giáo,Tổ dân phố Đồng Tâm,00004-CH01,Chăn nuôi\n\
        Vũ Đức Giang,1955,Nam,Mường,,Tổ dân phố Đồng Tâm,00004-CH01,Hưu trí\n";
    let legacy = encode_legacy(text, Legacy::Tcvn3);
    let bytes: Vec<u8> = legacy
        .chars()
        .map(|c| hnd_import::cp1252_byte(c).expect("a TCVN3 byte"))
        .collect();
    std::fs::write(path, bytes).unwrap();
}

/// A CSV with a byte-order mark, the branch written by its name.
fn names_csv(path: &Path) {
    let text = "\u{FEFF}Họ và tên,Ngày sinh,Giới tính,Chi hội,Điện thoại\n\
        Nguyễn Thị Hồng,05/06/1990,Nữ,Chi hội Tổ dân phố Đồng Tâm,0912000111\n\
        Trần Văn Khánh,1988,Nam,CH TDP Hòa Bình,\n\
        Lý Văn Long,1979,Nam,NN-Nuôi ong,\n\
        Mai Thị Mận,1992,Nữ,TDP Đồng Tân,\n";
    std::fs::write(path, text).unwrap();
}

/// Each column's field as a person would map it: (column, field).
type Expected = &'static [(&'static str, &'static str)];

const WORKBOOK: Expected = &[
    ("A", "-"),
    ("B", "full_name"),
    ("C", "birth"),
    ("D", "sex=Nam"),
    ("E", "cccd"),
    ("F", "phone"),
    ("G", "party_member=có"),
    ("H", "party_member=có"),
    ("I", "occupation=crop"),
    ("J", "occupation=wage"),
    ("K", "occupation=retired"),
    ("L", "residential=có"),
    ("M", "professional=có"),
    ("N", "branch"),
    ("O", "-"),
    ("P", "household_category=nghèo"),
    ("Q", "household_category=cận nghèo"),
    ("R", "household_category=chính sách"),
];
const UNICODE_TEXT: Expected = &[
    ("A", "-"),
    ("B", "full_name"),
    ("C", "birth/sex=Nam"),
    ("D", "birth/sex=Nữ"),
    ("E", "ethnicity"),
    ("F", "cccd"),
    ("G", "phone"),
    ("H", "village"),
    ("I", "branch"),
    ("J", "joined_on"),
    ("K", "decision"),
];
const TCVN3: Expected = &[
    ("A", "full_name"),
    ("B", "birth"),
    ("C", "sex"),
    ("D", "ethnicity"),
    ("E", "religion"),
    ("F", "village"),
    ("G", "branch"),
    ("H", "occupation"),
];
const NAMES: Expected = &[
    ("A", "full_name"),
    ("B", "birth"),
    ("C", "sex"),
    ("D", "branch"),
    ("E", "phone"),
];

const SECTIONS: Expected = &[
    ("A", "-"),
    ("B", "full_name"),
    ("C", "full_name"),
    ("D", "birth"),
    ("E", "cccd"),
];

/// How many columns a person would have to correct in `mapping`.
fn corrections(mapping: &Mapping, expected: Expected) -> usize {
    let mut proposed: Vec<(String, String)> = Vec::new();
    for c in &mapping.columns {
        proposed.push((c.column.clone(), c.field.clone()));
    }
    for m in &mapping.marks {
        for c in &m.columns {
            proposed.push((c.column.clone(), format!("{}={}", m.field, c.value)));
        }
    }
    for s in &mapping.splits {
        for c in &s.columns {
            proposed.push((c.column.clone(), format!("{}/{}={}", s.field, s.by, c.value)));
        }
    }
    for i in &mapping.ignored {
        proposed.push((i.column.clone(), "-".to_string()));
    }
    let wrong: Vec<_> = expected
        .iter()
        .filter(|(col, field)| !proposed.iter().any(|(c, f)| c == col && f == field))
        .collect();
    let extra = proposed.len().saturating_sub(expected.len());
    assert!(wrong.is_empty() && extra == 0, "{wrong:?} extra {extra}: {proposed:?}");
    wrong.len() + extra
}

/// A member as one line: the register's fields and the profile's.
async fn members(store: &Store) -> Vec<String> {
    let query = MemberQuery {
        scope: "00004".into(),
        limit: 100,
        ..Default::default()
    };
    let (found, _) = store.find_members(&query).await.unwrap();
    let mut lines = Vec::new();
    for m in found {
        let p = store.member_profile(m.id).await.unwrap();
        let profile = if p.updated_by.is_some() {
            let p = p.profile;
            format!(
                "{:?} party={} res={} pro={}",
                p.occupation.map(|o| o.code()),
                p.party_member,
                p.residential,
                p.professional
            )
        } else {
            "-".to_string()
        };
        let o = |v: Option<String>| v.unwrap_or_default();
        lines.push(format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            m.full_name,
            m.birth_date,
            m.sex,
            o(m.ethnicity),
            o(m.religion),
            o(m.cccd),
            o(m.phone),
            o(m.village),
            m.unit_code,
            o(m.joined_on),
            o(m.admission_decision),
            profile
        ));
    }
    lines.sort();
    lines
}

async fn import(store: &Store, file: &Path, mapping: &Mapping, accept: bool) -> Result<usize, RunError> {
    let who = Change::new("kiểm thử", "kiểm thử");
    let options = ImportOptions {
        mapping: Some(mapping),
        accept_proposed: accept,
        ..ImportOptions::OPERATOR
    };
    let summary = hnd_import::import_members(
        store,
        file,
        &file.with_extension("loi.csv"),
        Day::parse("01/03/2026").unwrap(),
        &|_| who.clone(),
        Lang::Vi,
        &|_, _| true,
        &mut |_| {},
        &options,
    )
    .await?;
    assert_eq!(summary.refused, 0, "{:?}", summary.first_errors);
    Ok(summary.created)
}

async fn lists_in_any_layout_import_with_a_proposed_mapping(store: Store) {
    let who = Change::new("kiểm thử", "kiểm thử");
    let day = Day::parse("01/01/2026").unwrap();
    store.bootstrap(false, &who).await.unwrap();
    let units = vec![
        unit("00004-CH01", "Chi hội Tổ dân phố Đồng Tâm", Kind::Residential),
        unit("00004-CH02", "Chi hội Tổ dân phố Hòa Bình", Kind::Residential),
        unit("00004-NN01", "Chi hội nghề nghiệp Nuôi ong", Kind::Professional),
    ];
    store.create_units(units, day, &who, "create").await.unwrap();
    let dir: PathBuf =
        std::env::temp_dir().join(format!("hnd-any-layout-{}-{:?}", std::process::id(), store.backend()));
    std::fs::create_dir_all(&dir).unwrap();
    let today = Day::today();
    let mut total_corrections = 0;
    let mut expected_members = Vec::new();

    // 1. The workbook.
    let file = dir.join("danh-sach.xlsx");
    workbook(&file);
    let proposal = propose_file(&store, &file, "00004", today).await.unwrap();
    let m = &proposal.mapping;
    assert_eq!((m.header_rows.clone(), m.first_row), (vec![4, 5], 7), "{}", m.to_toml());
    total_corrections += corrections(m, WORKBOOK);
    let sex = m.marks.iter().find(|g| g.field == "sex").unwrap();
    assert_eq!(sex.unmarked, "Nữ");
    assert!(proposal.missing.is_empty() && m.unconfirmed().is_empty());
    assert_eq!(
        proposal.not_kept.len(),
        3,
        "the household columns are named as not kept"
    );
    // The mapping goes through its file unchanged.
    let mapping = Mapping::from_toml(&m.to_toml()).unwrap();
    assert_eq!(&mapping, m);
    assert_eq!(import(&store, &file, &mapping, false).await.unwrap(), 3);
    expected_members.extend([
        "Nguyễn Văn An|15/03/1970|male|||001070001234|0912345678||00004-CH01|||Some(\"crop\") party=true res=true pro=false",
        "Trần Thị Bình|1975|female||||0987654321||00004-CH02|||Some(\"retired\") party=false res=true pro=true",
        "Lê Văn Cường|12/05/1985|male|||001085005678|||00004-CH01|||Some(\"wage\") party=true res=true pro=false",
    ]);
    // Importing again adds nothing.
    assert_eq!(import(&store, &file, &mapping, false).await.unwrap(), 0);

    // 2. Unicode text.
    let file = dir.join("unicode.txt");
    unicode_text(&file);
    let proposal = propose_file(&store, &file, "00004", today).await.unwrap();
    let m = &proposal.mapping;
    assert_eq!((m.header_rows.clone(), m.first_row), (vec![3, 4], 5), "{}", m.to_toml());
    assert_eq!(m.encoding, Some(hnd_import::TextEncoding::Utf16Le));
    assert_eq!(m.delimiter.as_deref(), Some("\t"));
    total_corrections += corrections(m, UNICODE_TEXT);
    assert_eq!(import(&store, &file, m, false).await.unwrap(), 2);
    expected_members.extend([
        "Phạm Văn Dũng|1962|male|01||001062000777|0987111222|Tổ dân phố Hòa Bình|00004-CH02|2010-03-15|12-QĐ/HND|-",
        "Đỗ Thị Em|1980|female|02||||Tổ dân phố Hòa Bình|00004-CH02|2015-09-02|30-QĐ/HND|-",
    ]);

    // 3. TCVN3.
    let file = dir.join("tcvn3.csv");
    tcvn3_csv(&file);
    let proposal = propose_file(&store, &file, "00004", today).await.unwrap();
    let m = &proposal.mapping;
    assert_eq!(m.legacy, Some(Legacy::Tcvn3), "{}", m.to_toml());
    assert_eq!((m.header_rows.clone(), m.first_row), (vec![2], 3));
    total_corrections += corrections(m, TCVN3);
    assert!(proposal.summary(Lang::Vi).contains("TCVN3"));
    assert_eq!(import(&store, &file, m, false).await.unwrap(), 2);
    expected_members.extend([
        "Hoàng Thị Phương|20/10/1968|female|01|Phật giáo|||Tổ dân phố Đồng Tâm|00004-CH01|||Some(\"livestock\") party=false res=true pro=false",
        "Vũ Đức Giang|1955|male|06||||Tổ dân phố Đồng Tâm|00004-CH01|||Some(\"retired\") party=false res=true pro=false",
    ]);

    // 4. Branch names.
    let file = dir.join("ten-chi-hoi.csv");
    names_csv(&file);
    let proposal = propose_file(&store, &file, "00004", today).await.unwrap();
    let m = &proposal.mapping;
    total_corrections += corrections(m, NAMES);
    let matched: Vec<(&str, &str, bool)> = m
        .branches
        .iter()
        .map(|b| (b.name.as_str(), b.unit.as_str(), b.confirm))
        .collect();
    assert_eq!(
        matched,
        [
            ("CH TDP Hòa Bình", "00004-CH02", false),
            ("Chi hội Tổ dân phố Đồng Tâm", "00004-CH01", false),
            ("NN-Nuôi ong", "00004-NN01", false),
            ("TDP Đồng Tân", "00004-CH01", true),
        ]
    );
    let before = members(&store).await.len();
    // Not confirmed: refused before any row, naming the match.
    match import(&store, &file, m, false).await {
        Err(RunError::Import(e @ ImportError::Unconfirmed(_))) => {
            let message = e.message(Lang::Vi);
            assert!(message.contains("«TDP Đồng Tân» → 00004-CH01"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(members(&store).await.len(), before, "nothing written");
    assert_eq!(import(&store, &file, m, true).await.unwrap(), 4);
    expected_members.extend([
        "Nguyễn Thị Hồng|05/06/1990|female||||0912000111||00004-CH01|||-",
        "Trần Văn Khánh|1988|male||||||00004-CH02|||-",
        "Lý Văn Long|1979|male||||||00004-NN01|||-",
        "Mai Thị Mận|1992|female||||||00004-CH01|||-",
    ]);

    // 5. Branches as headings of their rows, the name in two columns, the
    // sex told by the CCCD.
    let file = dir.join("muc.csv");
    std::fs::write(
        &file,
        "DANH SÁCH HỘI VIÊN\n\
         TT,Họ và tên đệm,Tên,Năm sinh,Số CCCD\n\
         I. Chi hội Tổ dân phố Đồng Tâm,,,,\n\
         1,Phan Văn,Mười,1970,001070009999\n\
         II. CH TDP Hòa Bình,,,,\n\
         1,Hà Thị,Mười Một,1971,001171000001\n",
    )
    .unwrap();
    let proposal = propose_file(&store, &file, "00004", today).await.unwrap();
    let m = &proposal.mapping;
    assert!(
        m.sections && m.unconfirmed().is_empty() && proposal.missing.is_empty(),
        "{}",
        m.to_toml()
    );
    total_corrections += corrections(m, SECTIONS);
    assert_eq!(import(&store, &file, m, false).await.unwrap(), 2);
    expected_members.extend([
        "Phan Văn Mười|1970|male|||001070009999|||00004-CH01|||-",
        "Hà Thị Mười Một|1971|female|||001171000001|||00004-CH02|||-",
    ]);

    // Five layouts, no correction but the one branch name to confirm.
    assert_eq!(total_corrections, 0);
    expected_members.sort();
    assert_eq!(members(&store).await, expected_members);
    std::fs::remove_dir_all(&dir).unwrap();
}
