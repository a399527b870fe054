//! Imports through the browser against hostile files and a stopping
//! server: a small workbook with a huge cell fails its job with the limit
//! and the row (and sign-in still works), empty rows cost nothing, and a
//! shutdown stops a running import at a chunk and removes the work files.

mod common;

use common::{Client, csrf_in, fixture, password};
use hnd_store::Store;
use std::io::Write;

hnd_store::both_backends!(
    a_zip_bomb_fails_its_job_with_the_limit_and_sign_in_still_works,
    shutdown_stops_a_running_import_at_a_chunk_and_removes_its_files,
);

const HEADER: &str = "Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\"";

/// Uploads `content` as `name`; the job's page.
async fn upload(client: &mut Client, name: &str, content: &[u8]) -> String {
    let csrf = csrf_in(&client.get("/import").await.text());
    let (ct, body) = common::upload_form(&[("csrf", &csrf)], name, content);
    let r = client.request("POST", "/import", &[("Content-Type", &ct)], &body).await;
    assert_eq!(r.status, 303, "{}", r.text());
    r.header("location").unwrap().to_string()
}

/// The job's page once it has ended (polled, as the page itself does).
async fn ended(client: &mut Client, job: &str) -> String {
    for _ in 0..1200 {
        let page = client.get(job).await.text();
        if page.contains("id=\"summary\"") || page.contains("id=\"failed\"") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not end")
}

/// A workbook of the member template's header and, in row 3, one inline
/// cell of `megabytes` MB of one letter: a few kilobytes per megabyte.
fn bomb(megabytes: usize) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts = [
        (
            "_rels/.rels",
            format!(
                "<Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<workbook xmlns=\"{ns}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
            ),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let cell = |r: &str, text: &str| format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{text}</t></is></c>");
    write!(
        zip,
        "<worksheet xmlns=\"{ns}\"><sheetData><row r=\"1\">{}{}{}{}</row><row r=\"2\">{}</row>\
         <row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>",
        cell("A1", "Họ và tên"),
        cell("B1", "Ngày sinh"),
        cell("C1", "Giới tính"),
        cell("D1", "Mã chi hội, tổ hội"),
        cell("A2", "Nguyễn Văn An"),
    )
    .unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..megabytes {
        zip.write_all(&block).unwrap();
    }
    write!(zip, "</t></is></c></row></sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

async fn a_zip_bomb_fails_its_job_with_the_limit_and_sign_in_still_works(store: Store) {
    let f = fixture(store).await;
    let mut xa4 = f.server.signed_in("xa4").await;
    let file = bomb(200);
    assert!(file.len() < 1 << 20, "{} bytes", file.len());
    let job = upload(&mut xa4, "hoi-vien.xlsx", &file).await;
    // Others sign in while it is read.
    let mut admin = f.server.client();
    assert_eq!(admin.sign_in("admin", &password("admin")).await.status, 303);
    let page = ended(&mut xa4, &job).await;
    assert!(page.contains("Dòng 3 có một ô dài quá giới hạn 1.000 ký tự."), "{page}");
    assert!(!page.contains("/tmp") && !page.contains("hnd-web-"), "no server path");
    assert!(!page.contains("id=\"error-file\""));
    for login in ["xa8", "truong"] {
        f.server.signed_in(login).await;
    }
    // Thirty thousand empty rows around one member: one created, no error row.
    let mut csv = format!("{HEADER},Ghi chú\n");
    for i in 0..30_000 {
        csv.push_str(if i % 2 == 0 { ",,,,\n" } else { ",,,,x\n" });
    }
    csv.push_str("Lê Thị Một,1990,Nữ,00004-CH01,\n");
    let job = upload(&mut xa4, "trong.csv", csv.as_bytes()).await;
    let page = ended(&mut xa4, &job).await;
    assert!(
        page.contains("Đã nhập 1 hội viên mới") && page.contains("0 dòng lỗi"),
        "{page}"
    );
    assert!(!page.contains("id=\"error-file\""));
    assert_eq!(xa4.get(&format!("{job}/errors.csv")).await.status, 404);
    // A file without the template's headers goes to the wizard, which
    // names the fields no column fills, and the member template.
    let map = upload(&mut xa4, "sai.csv", "Tên,,Ghi chú\nAn,,x\n".as_bytes()).await;
    assert!(map.starts_with("/import/map/"), "{map}");
    let page = xa4.get(&map).await.text();
    let missing = &page[page.find("id=\"map-missing\"").expect("the missing fields")..];
    assert!(
        missing.contains("Ngày sinh") && missing.contains("hoi-vien-mau.csv") && !page.contains("to-chuc-mau"),
        "{page}"
    );
    let csrf = common::csrf_in(&page);
    let r = xa4.post_form(&map, &[("csrf", &csrf), ("go", "import")]).await;
    assert_eq!(r.status, 422, "refused before any row: {}", r.text());
}

async fn shutdown_stops_a_running_import_at_a_chunk_and_removes_its_files(store: Store) {
    let f = fixture(store.clone()).await;
    let state = hnd_web::AppState::new(store.clone());
    let work_dir = state.work_dir().to_path_buf();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(hnd_web::serve_state(state, listener, None, async {
        let _ = stopped.await;
    }));
    let mut xa4 = Client {
        addr,
        cookies: Default::default(),
    };
    assert_eq!(xa4.sign_in("xa4", &password("xa4")).await.status, 303);
    let chunk = hnd_import::ImportOptions::WEB.chunk;
    let rows = 10 * chunk;
    let mut csv = format!("{HEADER}\n");
    for i in 0..rows {
        csv.push_str(&format!("Người Thứ {i},1980,Nam,00004-CH01\n"));
    }
    let before = store.members_registered().await.unwrap();
    let job = upload(&mut xa4, "lon.csv", csv.as_bytes()).await;
    assert!(work_dir.exists());
    // Once it is loading, the server is told to stop.
    for _ in 0..1200 {
        if store.members_registered().await.unwrap() > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // A second import waits for the first: imports have one turn at a time.
    let second = upload(
        &mut xa4,
        "nho.csv",
        format!("{HEADER}\nAn Nhỏ,1990,Nữ,00004-CH01\n").as_bytes(),
    )
    .await;
    let page = xa4.get(&second).await.text();
    assert!(page.contains("Đang chờ một lượt nhập khác xong"), "{page}");
    // Pages and sign-in are served meanwhile.
    let mut admin = Client {
        addr,
        cookies: Default::default(),
    };
    assert_eq!(admin.sign_in("admin", &password("admin")).await.status, 303);
    assert_eq!(admin.get("/members?unit=00004").await.status, 200);
    assert_eq!(xa4.get(&job).await.status, 200);
    stop.send(()).unwrap();
    // The server returns (the deadline is seconds; the bound here is only
    // there so that a failure does not hang the test run).
    tokio::time::timeout(std::time::Duration::from_secs(60), server)
        .await
        .expect("the server stopped")
        .unwrap()
        .unwrap();
    assert!(!work_dir.exists(), "the work directory is removed");
    let loaded = (store.members_registered().await.unwrap() - before) as usize;
    assert_eq!(loaded % chunk, 0, "whole chunks only: {loaded}");
    assert!(loaded > 0 && loaded < rows, "stopped halfway: {loaded} of {rows}");
    drop(f);
}
