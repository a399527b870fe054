//! The branch and group sheet: the template, XLSX, and every bad-row rule.

use hnd_domain::{Day, Kind, Lang, Level};
use hnd_import::{ImportError, MAX_FILE_BYTES, Problem, read_org_csv, read_org_file, read_org_xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

const TEMPLATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/to-chuc-mau.csv");

#[test]
fn the_template_reads_to_three_rows() {
    let rows = read_org_file(Path::new(TEMPLATE)).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].code.as_str(), "00004-CH01");
    assert_eq!(
        (rows[0].level, rows[0].kind, rows[0].trade.as_deref()),
        (Level::Branch, Kind::Residential, None)
    );
    assert_eq!(rows[1].trade.as_deref(), Some("Trồng hoa"));
    assert_eq!((rows[2].level, rows[2].parent.as_str()), (Level::Group, "00004-CHNN01"));
    assert_eq!(rows[2].founded, Day::from_ymd(2024, 3, 20));
    assert_eq!(rows[2].row, 4);
}

/// The template typed into Excel: headers in capitals without accents,
/// the first date a real date cell, the second a date cell formatted as
/// "General" (a plain number), the third text; it reads the same.
#[test]
fn an_xlsx_of_the_template_reads_the_same() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let text = std::fs::read_to_string(TEMPLATE).unwrap();
    let header = [
        "MA DON VI",
        "TEN DON VI",
        "CAP",
        "LOAI",
        "NGANH NGHE",
        "MA DON VI CAP TREN",
        "NGAY THANH LAP",
    ];
    let lines = text.trim_start_matches('\u{feff}').lines().skip(1);
    for (r, line) in std::iter::once(header.join(",").as_str()).chain(lines).enumerate() {
        for (c, value) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, value).unwrap();
        }
    }
    let date = ExcelDateTime::from_ymd(2024, 3, 15).unwrap();
    let format = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_datetime_with_format(1, 6, &date, &format).unwrap();
    sheet.write_number(2, 6, 45366.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(
        read_org_xlsx(&bytes).unwrap(),
        read_org_file(Path::new(TEMPLATE)).unwrap()
    );
}

#[test]
fn a_code_in_a_number_cell_reads_without_decimals() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Mã đơn vị", "Tên đơn vị", "Cấp", "Loại", "Mã đơn vị cấp trên"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["00004-CH01", "Chi hội Tổ dân phố 1", "Chi hội", "Địa bàn"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_number(1, 4, 4004.0).unwrap();
    let rows = read_org_xlsx(&book.save_to_buffer().unwrap()).unwrap();
    assert_eq!((rows[0].parent.as_str(), rows[0].founded), ("4004", None));
}

#[test]
fn every_bad_row_is_reported_with_row_and_column() {
    let csv = "Ma don vi,Ten don vi,Cap,Loai,Nganh nghe,Ma don vi cap tren,Ngay thanh lap\n\
               ,Chi hội A,Chi hội,Địa bàn,,00004,\n\
               B,Chi hội B,Ấp,Địa bàn,,00004,\n\
               C,Chi hội C,Chi hội,Nghề nghiệp,,00004,\n\
               D,Chi hội D,Chi hội,Địa bàn,,00004,31/02/2025\n\
               ,,,,,,\n\
               D,Chi hội D2,Chi hội,Địa bàn,,00004,\n";
    let Err(ImportError::Rows(errors)) = read_org_csv(csv.as_bytes()) else {
        panic!("rows refused")
    };
    let found: Vec<(usize, &str, Problem)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.problem.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "Mã đơn vị", Problem::Empty),
            (3, "Cấp", Problem::BadLevel),
            (4, "Ngành nghề", Problem::TradeRequired),
            (5, "Ngày thành lập", Problem::BadDate),
            (7, "Mã đơn vị", Problem::DuplicateInFile { first_row: 5 }),
        ]
    );
    let message = ImportError::Rows(errors).message(Lang::Vi);
    assert!(message.contains("Dòng 3, cột «Cấp» (\"Ấp\")"), "{message}");
}

#[test]
fn missing_headers_and_non_spreadsheets_are_named() {
    let Err(ImportError::WrongHeaders { missing, .. }) = read_org_csv("Mã đơn vị,Tên đơn vị\nA,B\n".as_bytes())
    else {
        panic!("headers refused")
    };
    assert_eq!(missing, ["Cấp", "Loại", "Mã đơn vị cấp trên"]);
    assert!(matches!(
        read_org_xlsx(b"not a zip file at all"),
        Err(ImportError::Unreadable { .. })
    ));
    assert!(matches!(
        read_org_file(Path::new("danh-sach.txt")),
        Err(ImportError::NotASpreadsheet { .. })
    ));
}

#[test]
fn headers_without_accents_are_accepted() {
    let csv =
        "ma don vi;TEN DON VI;cap;Loai;Ma don vi cap tren;Ghi chu\n00004-CH01;Chi hội 1;chi hoi;dia ban;00004;x\n";
    let rows = read_org_csv(csv.as_bytes()).unwrap();
    assert_eq!(
        (rows[0].row, rows[0].level, rows[0].kind),
        (2, Level::Branch, Kind::Residential)
    );
}

#[test]
fn unreadable_oversized_and_empty_files_are_refused() {
    assert!(matches!(
        read_org_csv(b"M\xe3 \xf0\n"),
        Err(ImportError::Unreadable { .. })
    ));
    let header_only = "Mã đơn vị,Tên đơn vị,Cấp,Loại,Mã đơn vị cấp trên\n,,,,\n";
    assert_eq!(read_org_csv(header_only.as_bytes()), Err(ImportError::Empty));
    assert!(matches!(
        read_org_file(Path::new("khong-co.xlsx")),
        Err(ImportError::Unreadable { .. })
    ));
    // A sparse file: the size is refused before a byte is read.
    let path = std::env::temp_dir().join(format!("hnd-import-big-{}.csv", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .set_len(MAX_FILE_BYTES + 1)
        .unwrap();
    let result = read_org_file(&path);
    std::fs::remove_file(&path).unwrap();
    let Err(e @ ImportError::TooLarge(_)) = result else {
        panic!("too large")
    };
    let message = e.message(Lang::Vi);
    assert!(message.contains("giới hạn là 50 MB"), "{message}");
}

#[test]
fn messages_are_in_both_languages() {
    let csv = "Mã đơn vị,Tên đơn vị,Cấp,Loại,Mã đơn vị cấp trên\nA,Chi hội A,Chi hội,Địa bàn,\n";
    let e = read_org_csv(csv.as_bytes()).unwrap_err();
    assert!(
        e.message(Lang::Vi).contains("Dòng 2, cột «Mã đơn vị cấp trên»"),
        "{}",
        e.message(Lang::Vi)
    );
    assert!(
        e.message(Lang::En).contains("Row 2, column «Mã đơn vị cấp trên»"),
        "{}",
        e.message(Lang::En)
    );
}
