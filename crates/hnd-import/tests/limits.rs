//! Hostile files: a small workbook holding one huge cell (in the sheet or
//! in its shared strings), a sheet that inflates past its limit, millions
//! of rows claimed, runs of empty rows, a file that is not a workbook.
//! Each is refused by its limit and its row, in the reader's language,
//! before memory grows; the files are built here, small.

use hnd_domain::{Day, Lang};
use hnd_import::{
    ImportError, ImportOptions, Limit, Limits, MemberCsvStream, MemberParser, MemberXlsxStream, Unreadable,
};
use hnd_store::{Change, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

const HEADER: &str = "Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\"";

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hnd-limits-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An inline-string cell.
fn cell(reference: &str, text: &str) -> String {
    format!("<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

/// The member template's header and one good row, as sheet XML rows.
fn header_rows() -> String {
    let header = ["Họ và tên", "Ngày sinh", "Giới tính", "Mã chi hội, tổ hội"]
        .iter()
        .zip(["A1", "B1", "C1", "D1"])
        .map(|(h, r)| cell(r, h))
        .collect::<String>();
    format!("<row r=\"1\">{header}</row>")
}

/// A workbook whose first sheet's `<sheetData>` is what `rows` writes,
/// and with `strings` as its shared strings if given; every part deflated.
/// Writes a part of a workbook.
type Part<'a> = &'a mut dyn FnMut(&mut dyn Write);

fn xlsx(path: &Path, rows: Part<'_>, strings: Option<Part<'_>>) {
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml",
            format!("<?xml version=\"1.0\"?><workbook xmlns=\"{ns}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{rel}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    write!(zip, "<?xml version=\"1.0\"?><worksheet xmlns=\"{ns}\"><sheetData>").unwrap();
    rows(&mut zip);
    write!(zip, "</sheetData></worksheet>").unwrap();
    if let Some(strings) = strings {
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        strings(&mut zip);
    }
    zip.finish().unwrap();
}

/// `megabytes` MB of one letter, written a block at a time.
fn huge(out: &mut dyn Write, megabytes: usize) {
    let block = vec![b'a'; 1 << 20];
    for _ in 0..megabytes {
        out.write_all(&block).unwrap();
    }
}

fn refused(result: Result<MemberXlsxStream, ImportError>) -> ImportError {
    match result {
        Err(e) => e,
        Ok(mut stream) => loop {
            match stream.next_chunk(1000) {
                Err(e) => break e,
                Ok(None) => panic!("the file was read to its end"),
                Ok(Some(_)) => {}
            }
        },
    }
}

#[test]
fn a_huge_cell_in_the_sheet_is_refused_by_its_row() {
    let dir = dir("sheet-cell");
    let path = dir.join("bom.xlsx");
    // 64 MB of one letter in row 3: about 64 KB on disk.
    xlsx(
        &path,
        &mut |out| {
            write!(out, "{}", header_rows()).unwrap();
            write!(out, "<row r=\"2\">{}</row>", cell("A2", "Nguyễn Văn An")).unwrap();
            write!(out, "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>").unwrap();
            huge(out, 64);
            write!(out, "</t></is></c></row>").unwrap();
        },
        None,
    );
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20, "a small file");
    let e = refused(MemberXlsxStream::open_with(&path, Limits::WEB));
    assert_eq!(e, ImportError::TooLarge(Limit::Cell { row: 3, limit: 1_000 }));
    let message = e.message(Lang::Vi);
    assert!(
        message.contains("Dòng 3") && message.contains("1.000 ký tự"),
        "{message}"
    );
    assert!(e.message(Lang::En).contains("Row 3"), "{}", e.message(Lang::En));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_huge_shared_string_is_refused_by_the_row_that_uses_it() {
    let dir = dir("shared-cell");
    let path = dir.join("bom.xlsx");
    // The string is 4 MB (within what shared strings may weigh in all),
    // far longer than a cell may be.
    xlsx(
        &path,
        &mut |out| {
            write!(out, "{}", header_rows()).unwrap();
            write!(out, "<row r=\"2\">{}</row>", cell("A2", "Nguyễn Văn An")).unwrap();
            write!(out, "<row r=\"5\"><c r=\"B5\" t=\"s\"><v>0</v></c></row>").unwrap();
        },
        Some(&mut |out| {
            write!(out, "<?xml version=\"1.0\"?><sst uniqueCount=\"1\"><si><t>").unwrap();
            huge(out, 4);
            write!(out, "</t></si></sst>").unwrap();
        }),
    );
    let e = refused(MemberXlsxStream::open_with(&path, Limits::WEB));
    assert_eq!(e, ImportError::TooLarge(Limit::Cell { row: 5, limit: 1_000 }));
    // Shared strings past their own limit are refused before they are read.
    let tight = Limits {
        strings_bytes: 1 << 20,
        ..Limits::WEB
    };
    let e = refused(MemberXlsxStream::open_with(&path, tight));
    assert_eq!(e, ImportError::TooLarge(Limit::Unpacked { limit: 1 << 20 }));
    assert!(e.message(Lang::Vi).contains("giải nén"), "{}", e.message(Lang::Vi));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_sheet_inflating_past_its_limit_or_claiming_too_many_rows_is_refused() {
    let dir = dir("sheet-size");
    let path = dir.join("bom.xlsx");
    // Two megabytes of short rows, each with a cell.
    xlsx(
        &path,
        &mut |out| {
            write!(out, "{}", header_rows()).unwrap();
            for r in 2..40_000 {
                write!(out, "<row r=\"{r}\"><c r=\"A{r}\"><v>1</v></c></row>").unwrap();
            }
        },
        None,
    );
    let small = Limits {
        sheet_bytes: 1 << 20,
        ..Limits::WEB
    };
    let e = refused(MemberXlsxStream::open_with(&path, small));
    assert_eq!(e, ImportError::TooLarge(Limit::Unpacked { limit: 1 << 20 }));
    let few = Limits {
        rows: 1_000,
        ..Limits::WEB
    };
    let e = refused(MemberXlsxStream::open_with(&path, few));
    assert_eq!(
        e,
        ImportError::TooLarge(Limit::Rows {
            row: 1_002,
            limit: 1_000
        })
    );
    assert!(e.message(Lang::Vi).contains("dòng 1.002"), "{}", e.message(Lang::Vi));
    // A row numbered far past the limit, the rows between never written.
    let far = dir.join("xa.xlsx");
    xlsx(
        &far,
        &mut |out| {
            write!(
                out,
                "{}<row r=\"3000000\">{}</row>",
                header_rows(),
                cell("A3000000", "x")
            )
            .unwrap();
        },
        None,
    );
    let e = refused(MemberXlsxStream::open_with(&far, Limits::WEB));
    assert_eq!(
        e,
        ImportError::TooLarge(Limit::Rows {
            row: 3_000_000,
            limit: Limits::WEB.rows
        })
    );
    // A cell far to the right: refused before room is made for it.
    let wide = dir.join("rong.xlsx");
    xlsx(
        &wide,
        &mut |out| {
            write!(out, "{}<row r=\"2\">{}</row>", header_rows(), cell("XFD2", "x")).unwrap();
        },
        None,
    );
    let e = refused(MemberXlsxStream::open_with(&wide, Limits::WEB));
    assert_eq!(e, ImportError::TooLarge(Limit::Columns { row: 2, limit: 256 }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_huge_csv_cell_or_too_many_rows_are_refused_by_their_row() {
    let dir = dir("csv");
    let path = dir.join("bom.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "{HEADER}").unwrap();
    writeln!(file, "Nguyễn Văn An,1980,Nam,00004-A").unwrap();
    write!(file, "\"").unwrap();
    huge(&mut file, 8);
    writeln!(file, "\",1980,Nam,00004-A").unwrap();
    drop(file);
    let mut stream = MemberCsvStream::open_with(&path, Limits::WEB).unwrap();
    let e = stream.next_chunk(100).unwrap_err();
    assert_eq!(e, ImportError::TooLarge(Limit::Row { row: 3, limit: 4_000 }));
    // A cell too long, the row within its own limit.
    let long = dir.join("dai.csv");
    std::fs::write(&long, format!("{HEADER}\n{},1980,Nam,00004-A\n", "b".repeat(1_500))).unwrap();
    let mut stream = MemberCsvStream::open_with(&long, Limits::WEB).unwrap();
    let e = stream.next_chunk(100).unwrap_err();
    assert_eq!(e, ImportError::TooLarge(Limit::Cell { row: 2, limit: 1_000 }));
    // Rows past the limit.
    let many = dir.join("nhieu.csv");
    let rows: String = (0..30).map(|i| format!("Người {i},1980,Nam,00004-A\n")).collect();
    std::fs::write(&many, format!("{HEADER}\n{rows}")).unwrap();
    let few = Limits {
        rows: 20,
        ..Limits::WEB
    };
    // (The guard is under the CSV reader's buffer: it may trip on opening.)
    let e = match MemberCsvStream::open_with(&many, few) {
        Ok(mut stream) => stream.next_chunk(100).unwrap_err(),
        Err(e) => e,
    };
    assert_eq!(e, ImportError::TooLarge(Limit::Rows { row: 22, limit: 20 }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reader_failures_are_sentences_without_paths() {
    let dir = dir("unreadable");
    let path = dir.join("khong-phai.xlsx");
    std::fs::write(&path, "Họ và tên,Ngày sinh\n").unwrap();
    let e = refused(MemberXlsxStream::open(&path));
    assert_eq!(e, ImportError::Unreadable(Unreadable::Workbook));
    let vi = e.message(Lang::Vi);
    assert_eq!(vi, "Tệp không phải là bảng tính XLSX hợp lệ.");
    assert!(!vi.contains(&*dir.to_string_lossy()) && !vi.contains("EOCD"));
    assert_eq!(e.message(Lang::En), "The file is not a valid XLSX spreadsheet.");
    // A CSV that is not UTF-8.
    let latin = dir.join("latin.csv");
    std::fs::write(&latin, b"H\xe4 v\xe0 t\xean,Ng\xe0y sinh\n").unwrap();
    let e = MemberCsvStream::open(&latin).err().unwrap();
    assert!(e.message(Lang::Vi).contains("UTF-8"), "{}", e.message(Lang::Vi));
    assert!(!e.message(Lang::Vi).contains(&*dir.to_string_lossy()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_member_file_without_the_headers_names_the_member_template_and_the_missing_columns() {
    let headers = ["Tên", "", "", "Ghi chú", ""].map(String::from).to_vec();
    let e = MemberParser::new(headers).err().unwrap();
    let vi = e.message(Lang::Vi);
    assert!(vi.contains("hoi-vien-mau.csv") && !vi.contains("to-chuc-mau"), "{vi}");
    assert!(
        vi.contains("«Họ và tên», «Ngày sinh», «Giới tính», «Mã chi hội, tổ hội»"),
        "{vi}"
    );
    assert!(
        vi.contains("«Tên», «Ghi chú»") && !vi.contains("«»") && !vi.contains(", ,"),
        "{vi}"
    );
    let none = MemberParser::new(vec![String::new(); 3]).err().unwrap();
    assert!(
        none.message(Lang::Vi).contains("không có tên cột"),
        "{}",
        none.message(Lang::Vi)
    );
}

hnd_store::both_backends!(empty_rows_cost_nothing_and_the_error_file_is_capped);

/// A run of empty rows (in CSV and XLSX) writes no error row; an error
/// file stops at its cap with one line counting the rest.
async fn empty_rows_cost_nothing_and_the_error_file_is_capped(store: Store) {
    let who = Change::new("kiểm thử", "kiểm thử");
    let day = Day::parse("01/03/2026").unwrap();
    store.bootstrap(false, &who).await.unwrap();
    let branch = hnd_store::testing::branch("00004-A", "Chi hội A", "00004");
    store.create_units(vec![branch], day, &who, "create").await.unwrap();
    let dir = dir(&format!("empty-{:?}", store.backend()));
    let errors = dir.join("loi.csv");
    let run = |file: PathBuf, options: ImportOptions<'static>| {
        let (store, who, errors) = (store.clone(), who.clone(), errors.clone());
        async move {
            hnd_import::import_members(
                &store,
                &file,
                &errors,
                day,
                &|_| who.clone(),
                Lang::Vi,
                &|_, _| true,
                &mut |_| {},
                &options,
            )
            .await
            .unwrap()
        }
    };
    // 30,000 empty rows (a note far to the right of some) around two members.
    let csv = dir.join("trong.csv");
    let mut text = format!("{HEADER},,,Ghi chú\nNguyễn Văn An,1980,Nam,00004-A\n");
    for i in 0..30_000 {
        text.push_str(if i % 3 == 0 { ",,,,,,x\n" } else { ",,,\n" });
    }
    text.push_str("Trần Thị Bình,1982,Nữ,00004-A\n");
    std::fs::write(&csv, text).unwrap();
    let summary = run(csv, ImportOptions::WEB).await;
    assert_eq!((summary.created, summary.refused, summary.read), (2, 0, 2));
    assert!(summary.error_file.is_none() && !errors.exists());
    let book = dir.join("trong.xlsx");
    xlsx(
        &book,
        &mut |out| {
            write!(out, "{}", header_rows()).unwrap();
            for r in 2..30_000 {
                write!(out, "<row r=\"{r}\">{}</row>", cell(&format!("A{r}"), " ")).unwrap();
            }
            write!(out, "<row r=\"30000\">{}</row>", cell("F30000", "ghi chú")).unwrap();
        },
        None,
    );
    let summary = run(book, ImportOptions::WEB).await;
    assert_eq!((summary.refused, summary.read), (0, 0));
    assert!(summary.error_file.is_none());
    // Twelve bad rows, a cap of five.
    let bad = dir.join("loi-nhieu.csv");
    let rows: String = (0..12)
        .map(|i| format!("Người {i},không phải ngày,Nam,00004-A\n"))
        .collect();
    std::fs::write(&bad, format!("{HEADER}\n{rows}")).unwrap();
    let capped = ImportOptions {
        error_rows: 5,
        ..ImportOptions::WEB
    };
    let summary = run(bad, capped).await;
    assert_eq!(summary.refused, 12);
    let written = std::fs::read_to_string(summary.error_file.unwrap()).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 1 + 5 + 1, "{written}");
    assert!(lines[6].contains("Còn 7 dòng lỗi khác"), "{}", lines[6]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_sparse_sheet_read_whole_is_refused_by_the_cells_it_spans() {
    let dir = dir("sparse");
    let path = dir.join("to-chuc.xlsx");
    // Two cells, far apart: read whole, the sheet would span 256 million.
    xlsx(
        &path,
        &mut |out| {
            write!(out, "<row r=\"1\">{}</row>", cell("A1", "Mã đơn vị")).unwrap();
            write!(out, "<row r=\"1000000\">{}</row>", cell("IV1000000", "x")).unwrap();
        },
        None,
    );
    let bytes = std::fs::read(&path).unwrap();
    let e = hnd_import::read_org_xlsx(&bytes).unwrap_err();
    assert_eq!(
        e,
        ImportError::TooLarge(Limit::Cells {
            limit: hnd_import::MAX_WHOLE_CELLS
        })
    );
    assert!(e.message(Lang::Vi).contains("2.000.000 ô"), "{}", e.message(Lang::Vi));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The readers of lists in any layout hold to the same limits: a zip bomb
/// dressed as a workbook, a file of no bytes, a file past the size allowed.
#[test]
fn a_list_in_any_layout_is_refused_past_the_limits_with_a_sentence() {
    let dir = dir("any-layout");
    let bomb = dir.join("bom.xlsx");
    xlsx(
        &bomb,
        &mut |out| {
            write!(out, "{}<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>", header_rows()).unwrap();
            huge(out, 64);
            write!(out, "</t></is></c></row>").unwrap();
        },
        None,
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20, "small on disk");
    let e = hnd_import::read_head(&bomb, 100, Limits::WEB).err().unwrap();
    assert_eq!(e, ImportError::TooLarge(Limit::Cell { row: 2, limit: 1_000 }));
    assert!(e.message(Lang::Vi).contains("Dòng 2"), "{}", e.message(Lang::Vi));
    // Rows each within the limits, the sheet past its size once inflated.
    let rows = dir.join("nhieu-dong.xlsx");
    xlsx(
        &rows,
        &mut |out| {
            write!(out, "{}", header_rows()).unwrap();
            for r in 2..600_000 {
                write!(out, "<row r=\"{r}\"><c r=\"A{r}\"><v>1</v></c></row>").unwrap();
            }
        },
        None,
    );
    let small = Limits {
        sheet_bytes: 8 << 20,
        ..Limits::WEB
    };
    let e = hnd_import::read_head(&rows, 100, small).err().unwrap();
    assert_eq!(e, ImportError::TooLarge(Limit::Unpacked { limit: 8 << 20 }));
    let empty = dir.join("rong.xlsx");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(
        hnd_import::read_head(&empty, 100, Limits::WEB).err(),
        Some(ImportError::Empty)
    );
    let broken = dir.join("hong.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not a workbook").unwrap();
    let e = hnd_import::read_head(&broken, 100, Limits::WEB).err().unwrap();
    assert_eq!(e, ImportError::Unreadable(hnd_import::Unreadable::Workbook));
    std::fs::remove_dir_all(&dir).unwrap();
}
