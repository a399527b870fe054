//! The import wizard in the browser: a commune's member list in a layout
//! of its own (branch names instead of codes, a byte-order mark, a column
//! the register does not need) is uploaded, the proposed mapping shown
//! with the first rows as they will be imported; a close branch match is
//! never taken until the clerk chooses; the import runs with the corrected
//! mapping, saved by name, and next month's file in the same layout
//! imports in one step, twice without adding anyone. The saved mappings
//! are read, saved and removed through the API too.

mod common;

use common::{Client, csrf_in, fixture};
use hnd_store::Store;

hnd_store::both_backends!(a_list_in_its_own_layout_is_mapped_previewed_saved_and_imported_again);

/// Uploads `content` as `name` into `unit`: where the server sends the user.
async fn upload(client: &mut Client, unit: &str, mapping: &str, name: &str, content: &str) -> String {
    let csrf = csrf_in(&client.get("/import").await.text());
    let fields = [("csrf", csrf.as_str()), ("unit", unit), ("mapping", mapping)];
    let (ct, body) = common::upload_form(&fields, name, content.as_bytes());
    let r = client.request("POST", "/import", &[("Content-Type", &ct)], &body).await;
    assert_eq!(r.status, 303, "{}", r.text());
    r.header("location").unwrap().to_string()
}

/// The job's page once it has ended.
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

/// The `name="branch_N"` field of the row naming `branch` on the page.
fn branch_field(page: &str, branch: &str) -> String {
    let at = page.find(&format!("{branch} <strong")).expect("the branch's row");
    let rest = &page[at..];
    let start = rest.find("name=\"branch_").unwrap() + 6;
    let end = start + rest[start..].find('"').unwrap();
    rest[start..end].to_string()
}

const LIST: &str = "\u{FEFF}STT,Họ và tên,Ngày sinh,Giới tính,Chi hội,Điện thoại\n\
    1,Lê Thị Lan,05/06/1990,Nữ,CH TDP Hòa Bình,0912000111\n\
    2,Phan Văn Tú,1988,Nam,Chi hội Tổ dân phố 1,\n\
    3,Võ Thị Mai,1992,Nữ,TDP Hòa Bìn,\n";

const NEXT_MONTH: &str = "\u{FEFF}STT,Họ và tên,Ngày sinh,Giới tính,Chi hội,Điện thoại\n\
    1,Đinh Văn Sơn,1975,Nam,CH TDP Hòa Bình,0912000222\n\
    2,Võ Thị Mai,1992,Nữ,TDP Hòa Bìn,\n";

async fn count(store: &Store, unit: &str) -> usize {
    store.members_page(unit, 0, 100).await.unwrap().len()
}

async fn a_list_in_its_own_layout_is_mapped_previewed_saved_and_imported_again(store: Store) {
    let f = fixture(store).await;
    let who = hnd_store::Change::new("kiểm thử", "kiểm thử");
    let branch = hnd_store::testing::branch("00004-CH02", "Chi hội Tổ dân phố Hòa Bình", "00004");
    f.server
        .store
        .create_units(vec![branch], common::day("01/01/2026"), &who, "create")
        .await
        .unwrap();
    let mut clerk = f.server.signed_in("xa4").await;

    // The template's own layout is not asked about; this one is.
    let map = upload(&mut clerk, "00004", "", "danh-sach.csv", LIST).await;
    assert!(map.starts_with("/import/map/"), "{map}");
    let page = clerk.get(&map).await;
    assert_eq!(page.status, 200);
    let page = page.text();
    assert!(page.contains("Kiểm tra cách đọc tệp"), "{page}");
    // Each column with its values and its proposed field.
    assert!(page.contains("Lê Thị Lan · Phan Văn Tú · Võ Thị Mai"), "{page}");
    assert!(page.contains("<option value=\"full_name\" selected>"), "{page}");
    // The close match is offered, not taken; the sure ones are.
    assert!(
        page.contains("TDP Hòa Bìn <strong class=\"warn\">cần xác nhận</strong>"),
        "{page}"
    );
    assert!(page.contains("<option value=\"00004-CH02\" selected>"), "{page}");
    // The first rows as they will be imported, the unconfirmed one refused.
    assert!(page.contains("id=\"map-preview\""), "{page}");
    assert!(page.contains("Dòng hợp lệ: 2 · Dòng có lỗi: 1"), "{page}");

    // Importing with a match still to confirm is refused, naming it.
    let csrf = csrf_in(&page);
    let r = clerk.post_form(&map, &[("csrf", &csrf), ("go", "import")]).await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("TDP Hòa Bìn"), "{}", r.text());
    assert_eq!(count(&f.server.store, "00004-CH02").await, 0, "nothing written");

    // The clerk chooses the unit and leaves out the phone column: the
    // preview shows every row good and no phone.
    let field = branch_field(&r.text(), "TDP Hòa Bìn");
    let choices = [
        ("csrf", csrf.as_str()),
        (field.as_str(), "00004-CH02"),
        ("col_F", ""),
        ("go", "preview"),
    ];
    let page = clerk.post_form(&map, &choices).await.text();
    assert!(page.contains("Dòng hợp lệ: 3 · Dòng có lỗi: 0"), "{page}");
    assert!(
        !page.contains("<th scope=\"col\">Số điện thoại</th>"),
        "the phone is no longer imported"
    );

    // Imported with the mapping saved by name.
    let mut choices = choices.to_vec();
    choices.pop();
    choices.extend([("go", "import"), ("save_name", "Danh sách hằng tháng")]);
    let r = clerk.post_form(&map, &choices).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let job = r.header("location").unwrap().to_string();
    let done = ended(&mut clerk, &job).await;
    assert!(done.contains("Đã nhập 3 hội viên mới"), "{done}");
    assert_eq!(count(&f.server.store, "00004-CH02").await, 2);
    assert_eq!(count(&f.server.store, "00004-CH01").await, 3);
    // The draft is gone with its import.
    assert_eq!(clerk.get(&map).await.status, 404);

    // Next month's file in the same layout: one step with the saved mapping.
    let form = clerk.get("/import").await.text();
    assert!(form.contains("value=\"00004/Danh sách hằng tháng\""), "{form}");
    for created in ["Đã nhập 1 hội viên mới", "Đã nhập 0 hội viên mới"] {
        let job = upload(
            &mut clerk,
            "00004",
            "00004/Danh sách hằng tháng",
            "thang-sau.csv",
            NEXT_MONTH,
        )
        .await;
        assert!(job.starts_with("/import/") && !job.starts_with("/import/map/"), "{job}");
        let done = ended(&mut clerk, &job).await;
        assert!(done.contains(created), "{done}");
    }
    assert_eq!(count(&f.server.store, "00004-CH02").await, 3);

    // Another commune's clerk neither sees nor uses it.
    let mut other = f.server.signed_in("xa8").await;
    assert!(!other.get("/import").await.text().contains("Danh sách hằng tháng"));

    // The API: listed, read, saved under another name, removed.
    let token = f.server.store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let r = api
        .request(
            "GET",
            "/api/v1/units/00004/import-mappings",
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let list = r.json();
    assert_eq!(list[0]["name"], "Danh sách hằng tháng", "{list}");
    let mapping = list[0]["mapping"].clone();
    assert_eq!(mapping["branches"].as_array().unwrap().len(), 3, "{mapping}");
    let json = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let body = mapping.to_string();
    let r = api
        .request(
            "PUT",
            "/api/v1/units/00004/import-mappings/Ban%20sao",
            &json,
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = api
        .request(
            "GET",
            "/api/v1/units/00004/import-mappings/Ban%20sao",
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.json()["columns"], mapping["columns"]);
    let r = api
        .request(
            "DELETE",
            "/api/v1/units/00004/import-mappings/Ban%20sao",
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = api
        .request(
            "GET",
            "/api/v1/units/00004/import-mappings/Ban%20sao",
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text());
    // Not the commune's own: refused.
    let r = api
        .request(
            "GET",
            "/api/v1/units/00008/import-mappings",
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
}
