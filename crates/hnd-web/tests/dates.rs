//! The date rules and the cancelled transfer through the real server: the
//! web forms and the JSON API refuse a transfer dated 01/01/2035 and a
//! 6-year-old applicant with the rule's sentence; the sending commune
//! cancels a transfer, with confirmation, on the page and through the API.

mod common;

use common::{csrf_in, fixture};
use hnd_domain::Day;
use hnd_store::{AuditFilter, Store};

hnd_store::both_backends!(
    the_web_refuses_far_days_and_children_and_cancels_transfers,
    the_api_refuses_far_days_and_children_and_cancels_transfers,
);

async fn the_web_refuses_far_days_and_children_and_cancels_transfers(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut xa4 = f.server.signed_in("xa4").await;
    let mut xa8 = f.server.signed_in("xa8").await;
    let csrf4 = xa4.csrf().await;
    let transfer = format!("/members/{hoa}/transfer");
    let r = xa4
        .post_form(
            &transfer,
            &[("to", "00008-CH01"), ("date", "01/01/2035"), ("csrf", &csrf4)],
        )
        .await;
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(
        page.contains("id=\"transfer-error\"") && page.contains("quá xa trong tương lai"),
        "{page}"
    );
    assert_eq!(f.server.store.member(hoa).await.unwrap().status, "active");

    // A 6-year-old applicant: refused beside the form, nothing saved.
    let six = Day::from_ymd(Day::today().year() - 6, 6, 1).unwrap().to_string();
    let before = f.server.store.members_registered().await.unwrap();
    let r = xa4
        .post_form(
            "/members",
            &[
                ("full_name", "Lê Văn Nhỏ"),
                ("birth", &six),
                ("sex", "male"),
                ("unit", "00004-CH01"),
                ("csrf", &csrf4),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("18 tuổi"), "{}", r.text());
    assert_eq!(f.server.store.members_registered().await.unwrap(), before);

    // Sent today: the sender's page offers the cancellation, the receiver's does not.
    let r = xa4
        .post_form(&transfer, &[("to", "00008-CH01"), ("csrf", &csrf4)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = xa4.get(&format!("/members/{hoa}")).await.text();
    assert!(page.contains("id=\"cancel-transfer\""), "{page}");
    let page8 = xa8.get(&format!("/members/{hoa}")).await.text();
    assert!(!page8.contains("id=\"cancel-transfer\""), "{page8}");
    let cancel = format!("/members/{hoa}/cancel-transfer");
    let r = xa8
        .post_form(&cancel, &[("confirm", "on"), ("csrf", &csrf_in(&page8))])
        .await;
    assert_eq!(r.status, 403, "the receiver confirms, it does not cancel");
    // Without the confirmation box: nothing changed.
    let r = xa4.post_form(&cancel, &[("csrf", &csrf4)]).await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"cancel-error\""));
    assert_eq!(f.server.store.member(hoa).await.unwrap().status, "in_transfer");
    let r = xa4.post_form(&cancel, &[("confirm", "on"), ("csrf", &csrf4)]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let m = f.server.store.member(hoa).await.unwrap();
    assert_eq!((m.status.as_str(), m.transfer_to), ("active", None));
    let page = xa4.get(&format!("/members/{hoa}?done=cancel_transfer")).await.text();
    assert!(page.contains("Đã hủy chuyển sinh hoạt") && page.contains("Hủy chuyển sinh hoạt, ở lại"));
    let trail = f
        .server
        .store
        .audit_entries(&AuditFilter {
            member_id: Some(hoa),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(trail[0].action, "member.cancel_transfer");
    assert_eq!(trail[0].detail["before"]["transfer_to"], "00008-CH01");
    // And no longer waiting at the receiver.
    assert!(!xa8.get("/transfers").await.text().contains("Nguyễn Thị Hoà"));
}

async fn the_api_refuses_far_days_and_children_and_cancels_transfers(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let token = f.server.store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let json = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = api
        .request(
            "POST",
            &format!("/api/v1/members/{hoa}/transfer"),
            &json,
            br#"{"to":"00008-CH01","date":"01/01/2035"}"#,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("01/01/2035"));
    let body = r#"{"full_name":"Lê Thị Bé","birth":"2020","sex":"female","unit":"00004-CH01"}"#;
    let r = api.request("POST", "/api/v1/members", &json, body.as_bytes()).await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("18"));

    let r = api
        .request(
            "POST",
            &format!("/api/v1/members/{hoa}/transfer"),
            &json,
            br#"{"to":"00008-CH01"}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let cancel = format!("/api/v1/members/{hoa}/cancel-transfer");
    let r = api.request("POST", &cancel, &json, b"{}").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "active");
    assert_eq!(f.server.store.member(hoa).await.unwrap().status, "active");
    // Nothing left to cancel.
    let r = api.request("POST", &cancel, &json, b"{}").await;
    assert_eq!(r.status, 422);
    // The receiving commune may not cancel: the sender decides.
    let token8 = f.server.store.create_api_token("xa8", "kiểm thử").await.unwrap();
    let auth8 = format!("Bearer {token8}");
    let json8 = [("Authorization", auth8.as_str()), ("Content-Type", "application/json")];
    api.request(
        "POST",
        &format!("/api/v1/members/{hoa}/transfer"),
        &json,
        br#"{"to":"00008-CH01"}"#,
    )
    .await;
    let r = api.request("POST", &cancel, &json8, b"{}").await;
    assert_eq!(r.status, 403);
    // The document names the route.
    let doc = api.get("/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/members/{id}/cancel-transfer"]["post"].is_object());
}
