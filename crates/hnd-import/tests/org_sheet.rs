//! The branch and group sheet: the template, XLSX, and every bad-row rule.

use hnd_domain::{Day, Kind, Lang, Level};
use hnd_import::{ImportError, Problem, read_org_csv, read_org_file, read_org_xlsx};
use rust_xlsxwriter::Workbook;
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

#[test]
fn an_xlsx_reads_the_same_including_number_and_date_cells() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "MÃ ĐƠN VỊ",
        "Tên đơn vị",
        "Cấp",
        "Loại",
        "Ngành nghề",
        "Mã đơn vị cấp trên",
        "Ngày thành lập",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let row = [
        "00004-CH01",
        "Chi hội Tổ dân phố 1",
        "Chi hội",
        "Địa bàn",
        "",
        "",
        "15/03/2024",
    ];
    for (c, v) in row.iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_number(1, 5, 4004.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let rows = read_org_xlsx(&bytes).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].parent.as_str(), "4004", "a number cell reads without .0");
    assert_eq!(rows[0].founded, Day::from_ymd(2024, 3, 15));
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
