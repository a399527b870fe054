//! The day-to-day register on the web, through a real server: applicants
//! admitted from a list by one decision with their card numbers shown,
//! the steps of a membership from a member's page, corrections of a
//! member's details with the old values kept.

mod common;

use common::{csrf_in, day, fixture, person};
use hnd_domain::Sex;
use hnd_store::{Change, Store};

hnd_store::both_backends!(
    applicants_chosen_from_a_list_are_admitted_by_one_decision,
    a_member_page_takes_each_step_and_keeps_what_was_typed_when_refused,
    corrections_keep_the_old_values_and_personal_fields_need_the_right,
    the_api_takes_each_step_corrects_and_admits,
    likely_duplicates_are_reviewed_and_decided,
);

async fn applicant(store: &Store, name: &str, unit: &str) -> i64 {
    let who = Change::new("kiểm thử", "dữ liệu kiểm thử");
    let p = person(name, "1990", Sex::Female, unit);
    store.add_member(&p, day("01/04/2026"), false, &who).await.unwrap().id
}

async fn applicants_chosen_from_a_list_are_admitted_by_one_decision(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let (lan, mai) = (
        applicant(store, "Phạm Thị Lan", "00004-CH01").await,
        applicant(store, "Vũ Thị Mai", "00004-CH01").await,
    );
    let far = applicant(store, "Hoàng Thị Xa", "00008-CH01").await;
    let mut xa4 = f.server.signed_in("xa4").await;
    let page = xa4.get("/applicants").await.text();
    assert!(page.contains("Phạm Thị Lan") && page.contains("Vũ Thị Mai"), "{page}");
    assert!(
        !page.contains("Hoàng Thị Xa"),
        "another commune's applicant is not listed"
    );
    let csrf = csrf_in(&page);
    let (lan_id, mai_id, far_id) = (lan.to_string(), mai.to_string(), far.to_string());
    // Without a decision number: refused, nothing admitted.
    let r = xa4
        .post_form(
            "/applicants/admit",
            &[("csrf", &csrf), ("id", &lan_id), ("id", &mai_id)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"admit-error\""), "{}", r.text());
    assert_eq!(store.member(lan).await.unwrap().status, "applicant");
    // An applicant of another commune slipped into the list: all refused.
    let r = xa4
        .post_form(
            "/applicants/admit",
            &[
                ("csrf", &csrf),
                ("id", &lan_id),
                ("id", &far_id),
                ("decision", "21-QĐ/HND"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(store.member(lan).await.unwrap().status, "applicant");
    let r = xa4
        .post_form(
            "/applicants/admit",
            &[
                ("csrf", &csrf),
                ("id", &lan_id),
                ("id", &mai_id),
                ("decision", "21-QĐ/HND"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    for id in [lan, mai] {
        let m = store.member(id).await.unwrap();
        assert_eq!(m.status, "active");
        let card = m.card_number.unwrap();
        assert!(page.contains(&card), "the card number {card} is shown: {page}");
    }
    assert!(!page.contains("pick-"), "no applicant left to choose: {page}");
}

async fn a_member_page_takes_each_step_and_keeps_what_was_typed_when_refused(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut xa4 = f.server.signed_in("xa4").await;
    let page = xa4.get(&format!("/members/{hoa}")).await.text();
    assert!(
        page.contains("id=\"step-leave\"") && !page.contains("id=\"step-return\""),
        "{page}"
    );
    let csrf = csrf_in(&page);
    let step = format!("/members/{hoa}/step");
    let r = xa4
        .post_form(&step, &[("csrf", &csrf), ("step", "leave"), ("date", "31/13/2026")])
        .await;
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(
        page.contains("id=\"step-error\"") && page.contains("31/13/2026"),
        "{page}"
    );
    let r = xa4
        .post_form(&step, &[("csrf", &csrf), ("step", "leave"), ("date", "01/04/2026")])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = xa4.get(&format!("/members/{hoa}?done=step_leave")).await.text();
    assert!(
        page.contains("id=\"step-return\"") && !page.contains("id=\"step-leave\""),
        "{page}"
    );
    let r = xa4
        .post_form(&step, &[("csrf", &csrf), ("step", "card"), ("date", "02/04/2026")])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let r = xa4
        .post_form(&step, &[("csrf", &csrf), ("step", "return"), ("date", "03/04/2026")])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(f.server.store.member(hoa).await.unwrap().status, "active");
    // Another commune's officer is refused before anything is read.
    let mut xa8 = f.server.signed_in("xa8").await;
    let csrf8 = xa8.csrf().await;
    let r = xa8
        .post_form(&step, &[("csrf", &csrf8), ("step", "leave"), ("date", "04/04/2026")])
        .await;
    assert_eq!(r.status, 403);
}

async fn corrections_keep_the_old_values_and_personal_fields_need_the_right(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let before = f.server.store.member(hoa).await.unwrap();
    let mut xa4 = f.server.signed_in("xa4").await;
    let page = xa4.get(&format!("/members/{hoa}")).await.text();
    assert!(
        page.contains("id=\"fix-cccd\""),
        "the commune officer may correct the CCCD"
    );
    let csrf = csrf_in(&page);
    let correct = format!("/members/{hoa}/correct");
    let fields = |cccd: &str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf", csrf.clone()),
            ("full_name", "Nguyễn Thị Hòa".to_string()),
            ("birth", "12/05/1985".to_string()),
            ("cccd", cccd.to_string()),
            ("phone", "+84 912 000 111".to_string()),
            ("village", "Thôn Đoài".to_string()),
        ]
    };
    let refs = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let bad = refs(&fields("12345"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = xa4.post_form(&correct, &bad).await;
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(
        page.contains("id=\"correct-error\"") && page.contains("value=\"12345\""),
        "{page}"
    );
    assert!(page.contains("id=\"fix-cccd\" aria-invalid=\"true\""), "{page}");
    assert_eq!(f.server.store.member(hoa).await.unwrap().full_name, before.full_name);
    let good = refs(&fields(before.cccd.as_deref().unwrap()));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = xa4.post_form(&correct, &good).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let after = f.server.store.member(hoa).await.unwrap();
    assert_eq!(after.full_name, "Nguyễn Thị Hòa");
    assert_eq!(after.phone.as_deref(), Some("0912000111"));
    let page = xa4.get(&format!("/members/{hoa}")).await.text();
    assert!(
        page.contains("id=\"corrections\"") && page.contains("Nguyễn Thị Hoà"),
        "the old name is kept"
    );
    // A branch head edits members but sees personal data masked: the form
    // has no CCCD or phone, and a crafted one changes neither.
    let mut head = f.server.signed_in("truong").await;
    let page = head.get(&format!("/members/{hoa}")).await.text();
    assert!(!page.contains("id=\"fix-cccd\""), "{page}");
    let csrf = csrf_in(&page);
    let crafted = [
        ("csrf", csrf.as_str()),
        ("full_name", "Nguyễn Thị Hòa"),
        ("birth", "12/05/1985"),
        ("cccd", ""),
        ("phone", ""),
        ("village", "Thôn Đoài"),
    ];
    let r = head.post_form(&correct, &crafted).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let kept = f.server.store.member(hoa).await.unwrap();
    assert_eq!((kept.cccd, kept.phone), (after.cccd, after.phone));
}

async fn the_api_takes_each_step_corrects_and_admits(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let token = store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = api
        .request(
            "POST",
            &format!("/api/v1/members/{hoa}/leave"),
            &headers,
            br#"{"date":"01/04/2026"}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "on_leave");
    // Leave again: refused by the register's rule, in the documented shape.
    let r = api
        .request("POST", &format!("/api/v1/members/{hoa}/leave"), &headers, b"{}")
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["code"], "refused");
    let r = api
        .request(
            "POST",
            &format!("/api/v1/members/{hoa}/card"),
            &headers,
            br#"{"date":"02/04/2026"}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let card = r.json()["card_number"].as_str().unwrap().to_string();
    assert_eq!(
        store.member(hoa).await.unwrap().card_number.as_deref(),
        Some(card.as_str())
    );
    // Corrections: a bad field names itself; a good one lists old and new.
    let r = api
        .request(
            "PATCH",
            &format!("/api/v1/members/{hoa}"),
            &headers,
            br#"{"phone":"12345"}"#,
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["field"], "phone");
    let r = api
        .request(
            "PATCH",
            &format!("/api/v1/members/{hoa}"),
            &headers,
            r#"{"village":"Thôn Bắc","full_name":"Nguyễn Thị Hòa"}"#.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let changed = r.json()["changed"].clone();
    assert_eq!(changed.as_array().unwrap().len(), 2, "{changed}");
    // Two applicants by one decision, with their card numbers.
    let (a, b) = (
        applicant(store, "Đỗ Thị Ngọc", "00004-CH01").await,
        applicant(store, "Đỗ Văn Phúc", "00004-CH01").await,
    );
    let body = format!(r#"{{"ids":[{a},{b}],"decision":"30-QĐ/HND","date":"05/04/2026"}}"#);
    let r = api
        .request("POST", "/api/v1/admissions", &headers, body.as_bytes())
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let admitted = r.json()["admitted"].clone();
    assert_eq!(admitted.as_array().unwrap().len(), 2);
    assert_eq!(
        store.member(a).await.unwrap().card_number.as_deref(),
        admitted[0]["card_number"].as_str()
    );
    // A viewer's token may not correct a CCCD it cannot see.
    let viewer = store.create_api_token("xem", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {viewer}");
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = api
        .request(
            "PATCH",
            &format!("/api/v1/members/{hoa}"),
            &headers,
            br#"{"cccd":null}"#,
        )
        .await;
    assert_eq!(r.status, 403);
}

async fn likely_duplicates_are_reviewed_and_decided(store: Store) {
    let f = fixture(store).await;
    let who = Change::new("kiểm thử", "dữ liệu kiểm thử");
    let twin = person("Nguyễn Thị Hoà", "12/05/1985", Sex::Female, "00004-CH01");
    let added = f
        .server
        .store
        .add_member(&twin, day("01/04/2026"), false, &who)
        .await
        .unwrap();
    assert_eq!(added.likely_duplicates.len(), 1);
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut xa4 = f.server.signed_in("xa4").await;
    let home = xa4.get("/").await.text();
    assert!(home.contains("href=\"/duplicates?unit=00004\""), "{home}");
    let page = xa4.get("/duplicates").await.text();
    let pair = format!("pair-{}-{hoa}", added.id);
    assert!(page.contains(&pair), "{page}");
    let mut xa8 = f.server.signed_in("xa8").await;
    assert!(
        !xa8.get("/duplicates").await.text().contains(&pair),
        "not another commune's"
    );
    let csrf = csrf_in(&page);
    let (member, other) = (added.id.to_string(), hoa.to_string());
    let decide = [
        ("csrf", csrf.as_str()),
        ("member", &member),
        ("other", &other),
        ("decision", "different"),
    ];
    let csrf8 = xa8.csrf().await;
    let r = xa8
        .post_form(
            "/duplicates/decide",
            &[("csrf", &csrf8), ("member", &member), ("other", &other)],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = xa4.post_form("/duplicates/decide", &decide).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(!r.text().contains(&pair));
    let r = xa4.post_form("/duplicates/decide", &decide).await;
    assert_eq!(r.status, 422, "decided already");
    let trail = f
        .server
        .store
        .audit_entries(&hnd_store::AuditFilter {
            member_id: Some(added.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(trail[0].action, "member.duplicate");
}
