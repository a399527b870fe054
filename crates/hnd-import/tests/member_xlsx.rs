//! The member workbook read a chunk at a time: the same rows, numbers and
//! errors as the whole-sheet reader, whatever the number of chunks.

use hnd_import::{ImportError, MEMBER_COLUMNS, MemberXlsxStream};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn workbook(path: &std::path::Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in MEMBER_COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // Row 2: a real Excel date, empty cells in the middle.
    sheet.write_string(1, 0, "Nguyễn Thị Hoà").unwrap();
    let born = ExcelDateTime::from_ymd(1980, 3, 15).unwrap();
    sheet.write_datetime_with_format(1, 1, &born, &date).unwrap();
    sheet.write_string(1, 2, "Nữ").unwrap();
    sheet.write_string(1, 8, "00004-CH01").unwrap();
    // Row 3 left empty; row 4: a day that does not exist.
    sheet.write_string(3, 0, "Lê Văn Sai").unwrap();
    sheet.write_string(3, 1, "31/02/1980").unwrap();
    sheet.write_string(3, 2, "Nam").unwrap();
    sheet.write_string(3, 8, "00004-CH01").unwrap();
    // Rows 5 to 7: three more good rows, for a second and third chunk.
    for r in 4..7u32 {
        sheet.write_string(r, 0, format!("Trần Văn {r}")).unwrap();
        sheet.write_string(r, 1, "1975").unwrap();
        sheet.write_string(r, 2, "Nam").unwrap();
        sheet.write_string(r, 8, "00004-CH01").unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn a_workbook_streams_in_chunks_with_its_row_numbers() {
    let dir = std::env::temp_dir().join(format!("hnd-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hoi-vien.xlsx");
    workbook(&path);
    let mut stream = MemberXlsxStream::open(&path).unwrap();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut chunks = 0;
    while let Some(sheet) = stream.next_chunk(2).unwrap() {
        chunks += 1;
        rows.extend(
            sheet
                .rows
                .iter()
                .map(|r| (r.row, r.entry.member.full_name.clone(), r.entry.member.birth.year())),
        );
        errors.extend(sheet.errors.iter().map(|e| (e.row, e.column.clone())));
    }
    assert_eq!(chunks, 3, "five rows with cells, two a chunk");
    assert_eq!(
        rows,
        vec![
            (2, "Nguyễn Thị Hoà".to_string(), 1980),
            (5, "Trần Văn 4".to_string(), 1975),
            (6, "Trần Văn 5".to_string(), 1975),
            (7, "Trần Văn 6".to_string(), 1975),
        ]
    );
    assert_eq!(
        errors,
        vec![(4, "Ngày sinh".to_string())],
        "the row as the spreadsheet numbers it"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_that_is_not_a_workbook_is_said_so_without_its_path() {
    let dir = std::env::temp_dir().join(format!("hnd-xlsx-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("khong-phai.xlsx");
    std::fs::write(&path, "Họ và tên,Ngày sinh\n").unwrap();
    match MemberXlsxStream::open(&path) {
        Err(e @ ImportError::Unreadable(_)) => {
            assert_eq!(
                e.message(hnd_domain::Lang::Vi),
                "Tệp không phải là bảng tính XLSX hợp lệ."
            )
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
