//! The Agriculture Department's account and a task given to "Các sở, ban,
//! ngành cấp tỉnh": listed, readable and reported on, on the page and
//! through the API.

mod common;

use common::{csrf_in, fixture};
use hnd_store::Store;

hnd_store::both_backends!(a_department_follows_tasks_given_to_its_group);

async fn a_department_follows_tasks_given_to_its_group(store: Store) {
    let f = fixture(store).await;
    let group = f
        .server
        .store
        .add_task(
            "12-KH/HND",
            &hnd_store::testing::task(
                "Phối hợp tuyên truyền chính sách",
                "UBND thành phố",
                "Các sở, ban, ngành cấp tỉnh",
                "",
                "Thường xuyên",
            ),
            &hnd_store::Change::new("kiểm thử", "kiểm thử"),
        )
        .await
        .unwrap();
    let mut so = f.server.signed_in(common::BODY_ACCOUNT).await;
    let list = so.get("/tasks").await.text();
    assert!(list.contains("Phối hợp tuyên truyền chính sách"), "{list}");
    let page = so.get(&format!("/tasks/{group}")).await;
    assert_eq!(page.status, 200);
    let csrf = csrf_in(&page.text());
    let boundary = "hndgroupboundary";
    let mut body = String::new();
    for (name, value) in [
        ("csrf", csrf.as_str()),
        ("status", "in_progress"),
        ("note", "Đã phối hợp"),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let ct = format!("multipart/form-data; boundary={boundary}");
    let r = so
        .request(
            "POST",
            &format!("/tasks/{group}"),
            &[("Content-Type", &ct)],
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let details = f.server.store.task(group, hnd_domain::Day::today()).await.unwrap();
    assert_eq!(details.task.status, "in_progress");

    let token = f
        .server
        .store
        .create_api_token(common::BODY_ACCOUNT, "kiểm thử")
        .await
        .unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let r = api
        .request("GET", "/api/v1/tasks", &[("Authorization", &auth)], b"")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Phối hợp tuyên truyền chính sách"), "{}", r.text());
    let r = api
        .request(
            "GET",
            &format!("/api/v1/tasks/{group}"),
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
}
