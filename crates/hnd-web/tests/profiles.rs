//! Member profiles through a real server: the edit form and its errors,
//! masking for who may not see personal data, the insurance filter, the
//! photo, positions, titles and ratings, the API, and the audit trail.

mod common;

use common::{csrf_in, fixture};
use hnd_store::{AuditFilter, Store};

hnd_store::both_backends!(
    the_profile_form_keeps_what_was_typed_and_audits_the_change,
    personal_fields_are_masked_and_kept_for_who_may_not_see_them,
    the_insurance_filter_answers_only_who_may_see_insurance,
    a_photo_is_checked_and_served_privately,
    positions_titles_and_ratings_through_forms_and_the_api,
);

const INSURED: &[(&str, &str)] = &[
    ("residential", "yes"),
    ("occupation", "crop"),
    ("party_member", "yes"),
    ("party_joined_on", "03/02/2010"),
    ("bhyt", "yes"),
    ("bhyt_number", "GD4010123456789"),
];

async fn the_profile_form_keeps_what_was_typed_and_audits_the_change(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut c = f.server.signed_in("xa4").await;
    let form = c.get(&format!("/members/{hoa}/profile")).await;
    assert_eq!(form.status, 200);
    let csrf = csrf_in(&form.text());
    assert!(
        form.text().contains("name=\"party_joined_on\""),
        "an officer edits personal fields"
    );

    let bad = c
        .post_form(
            &format!("/members/{hoa}/profile"),
            &[
                ("csrf", &csrf),
                ("residential", "yes"),
                ("produce", "lúa nếp cái hoa vàng"),
                ("general_grade", "13/12"),
                ("card_issued_on", "31/02/2024"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let page = bad.text();
    assert!(
        page.contains("Trình độ văn hóa &#34;13/12&#34;: không có trong danh sách"),
        "{page}"
    );
    assert!(page.contains("id=\"card_issued_on-error\""), "{page}");
    assert!(page.contains("value=\"lúa nếp cái hoa vàng\""), "typed values are kept");

    let mut fields = INSURED.to_vec();
    fields.push(("csrf", &csrf));
    let saved = c.post_form(&format!("/members/{hoa}/profile"), &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.text());
    let page = c.get(&format!("/members/{hoa}")).await.text();
    assert!(page.contains("Hồ sơ") && page.contains("Trồng trọt") && page.contains("03/02/2010"));

    let entries = f
        .server
        .store
        .audit_entries(&AuditFilter {
            member_id: Some(hoa),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let entry = entries.iter().find(|e| e.action == "member.profile").expect("audited");
    assert_eq!(
        (entry.actor.as_str(), entry.unit_code.as_deref()),
        ("xa4", Some("00004-CH01"))
    );
    assert_eq!(entry.detail["before"]["occupation"], "");
    assert_eq!(entry.detail["after"]["occupation"], "crop");
    let personal = entry.detail["personal_changed"].to_string();
    assert!(personal.contains("party_joined_on") && personal.contains("bhyt_number"));
    assert!(
        !entry.detail.to_string().contains("2010-02-03") && !entry.detail.to_string().contains("03/02/2010"),
        "personal values stay out of the audit log: {}",
        entry.detail
    );
}

async fn personal_fields_are_masked_and_kept_for_who_may_not_see_them(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut officer = f.server.signed_in("xa4").await;
    let csrf = officer.csrf().await;
    let mut fields = INSURED.to_vec();
    fields.push(("csrf", &csrf));
    assert_eq!(
        officer
            .post_form(&format!("/members/{hoa}/profile"), &fields)
            .await
            .status,
        303
    );

    // The branch head edits the member but may not see personal data.
    let mut head = f.server.signed_in("truong").await;
    let page = head.get(&format!("/members/{hoa}")).await.text();
    assert!(page.contains("Trồng trọt"));
    assert!(
        !page.contains("03/02/2010") && !page.contains("GD4010123456789"),
        "{page}"
    );
    assert!(page.contains("•••"));
    let form = head.get(&format!("/members/{hoa}/profile")).await.text();
    assert!(!form.contains("name=\"bhyt\""), "personal fields are not in the form");
    let csrf = csrf_in(&form);
    let saved = head
        .post_form(
            &format!("/members/{hoa}/profile"),
            &[("csrf", &csrf), ("residential", "yes"), ("occupation", "livestock")],
        )
        .await;
    assert_eq!(saved.status, 303);
    let kept = f.server.store.member_profile(hoa).await.unwrap().profile;
    assert_eq!(kept.bhyt, Some(true), "what the head does not see stays");
    assert_eq!(kept.occupation, Some(hnd_domain::profile::Occupation::Livestock));

    let json = head.get(&format!("/api/v1/members/{hoa}/profile")).await.json();
    assert_eq!(json["masked"], true);
    assert!(json["profile"]["bhyt"].is_null() && json["profile"]["party_joined_on"].is_null());
    assert_eq!(json["profile"]["occupation"], "livestock");
    assert!(json["has_photo"].is_null());
    let json = officer.get(&format!("/api/v1/members/{hoa}/profile")).await.json();
    assert_eq!(json["profile"]["party_joined_on"], "2010-02-03");

    let token = f.server.store.create_api_token("truong", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let refused = head
        .request(
            "PUT",
            &format!("/api/v1/members/{hoa}/profile"),
            &[("Authorization", &auth), ("Content-Type", "application/json")],
            br#"{"residential": true, "bhyt": false}"#,
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json()["error"]["field"], "bhyt");
    let photo = head.get(&format!("/members/{hoa}/photo")).await;
    assert_eq!(photo.status, 403);
}

async fn the_insurance_filter_answers_only_who_may_see_insurance(store: Store) {
    let f = fixture(store).await;
    let (hoa, duc) = (f.members["Nguyễn Thị Hoà"], f.members["Đặng Văn Đức"]);
    let token = f.server.store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    for (id, bhyt) in [(hoa, true), (duc, false)] {
        let body = format!(r#"{{"residential": true, "bhyt": {bhyt}}}"#);
        let r = api
            .request(
                "PUT",
                &format!("/api/v1/members/{id}/profile"),
                &[("Authorization", &auth), ("Content-Type", "application/json")],
                body.as_bytes(),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let ids = |v: serde_json::Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect()
    };
    let list = |q: &str| format!("/api/v1/members?unit=00004&{q}");
    let r = api
        .request("GET", &list("bhyt=yes"), &[("Authorization", &auth)], b"")
        .await;
    assert_eq!(ids(r.json()), [hoa]);
    let r = api
        .request("GET", &list("bhyt=no"), &[("Authorization", &auth)], b"")
        .await;
    assert_eq!(ids(r.json()), [duc]);

    let mut officer = f.server.signed_in("xa4").await;
    let page = officer.get("/members?unit=00004&bhyt=yes").await.text();
    assert!(page.contains("Nguyễn Thị Hoà") && !page.contains("Đặng Văn Đức"));

    let mut head = f.server.signed_in("truong").await;
    let page = head.get("/members?unit=00004-CH01&bhyt=yes").await.text();
    assert!(!page.contains("name=\"bhyt\""), "no insurance filter offered");
    assert!(
        page.contains("Nguyễn Thị Hoà") && page.contains("Đặng Văn Đức"),
        "the filter is not applied"
    );
    let r = head.get("/api/v1/members?unit=00004-CH01&bhxh=no").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"]["field"], "bhxh");
}

/// A multipart photo form: token and one file.
fn photo_form(csrf: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "hndphotoboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"anh.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn a_photo_is_checked_and_served_privately(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut c = f.server.signed_in("xa4").await;
    let csrf = c.csrf().await;
    let path = format!("/members/{hoa}/photo");
    let upload = |bytes: Vec<u8>| {
        let (content_type, body) = photo_form(&csrf, &bytes);
        (content_type, body)
    };

    let (ct, body) = upload(b"GIF89a not a photo we take".to_vec());
    let r = c.request("POST", &path, &[("Content-Type", &ct)], &body).await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("chỉ nhận ảnh JPEG hoặc PNG"), "{}", r.text());

    let big = [b"\x89PNG\r\n\x1a\n".to_vec(), vec![0; 2 * 1024 * 1024]].concat();
    let (ct, body) = upload(big);
    let r = c.request("POST", &path, &[("Content-Type", &ct)], &body).await;
    assert!(r.status == 422 || r.status == 413, "{}", r.status);
    assert!(r.text().contains("ảnh tối đa 2 MB"), "{}", r.text());

    let png = [b"\x89PNG\r\n\x1a\n".to_vec(), vec![1, 2, 3, 4]].concat();
    let (ct, body) = upload(png.clone());
    let r = c.request("POST", &path, &[("Content-Type", &ct)], &body).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let served = c.get(&path).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.header("content-type"), Some("image/png"));
    assert_eq!(
        served.header("cache-control"),
        Some("no-store"),
        "a photo is personal data"
    );
    assert_eq!(served.body, png);
    assert!(
        c.get(&format!("/members/{hoa}"))
            .await
            .text()
            .contains(&format!("src=\"{path}\""))
    );

    let r = c.post_form(&format!("{path}/remove"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, 422, "a removal needs its box ticked");
    let r = c
        .post_form(&format!("{path}/remove"), &[("csrf", &csrf), ("confirm", "on")])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(c.get(&path).await.status, 404);
}

async fn positions_titles_and_ratings_through_forms_and_the_api(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut c = f.server.signed_in("xa4").await;
    let csrf = c.csrf().await;
    let bad = c
        .post_form(
            &format!("/members/{hoa}/roles"),
            &[
                ("csrf", &csrf),
                ("position", "branch_head"),
                ("unit", "00004-CH01"),
                ("from", "32/01/2026"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("id=\"role-from-error\"") && bad.text().contains("value=\"32/01/2026\""));
    let ok = c
        .post_form(
            &format!("/members/{hoa}/roles"),
            &[
                ("csrf", &csrf),
                ("position", "branch_head"),
                ("unit", "00004-CH01"),
                ("from", "01/01/2026"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.text());
    let ok = c
        .post_form(
            &format!("/members/{hoa}/ratings"),
            &[
                ("csrf", &csrf),
                ("year", "2025"),
                ("rating", "excellent"),
                ("proposed_to_party", "on"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let page = c.get(&format!("/members/{hoa}")).await.text();
    assert!(page.contains("Chi hội trưởng") && page.contains("Hoàn thành xuất sắc nhiệm vụ"));

    let role = f.server.store.member_profile(hoa).await.unwrap().roles[0].id;
    let unconfirmed = c
        .post_form(&format!("/members/{hoa}/roles/{role}/remove"), &[("csrf", &csrf)])
        .await;
    assert_eq!(unconfirmed.status, 422);
    assert!(unconfirmed.text().contains("Hãy đánh dấu ô xác nhận"));
    let removed = c
        .post_form(
            &format!("/members/{hoa}/roles/{role}/remove"),
            &[("csrf", &csrf), ("confirm", "on")],
        )
        .await;
    assert_eq!(removed.status, 303);

    let token = f.server.store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let titles = format!("/api/v1/members/{hoa}/titles");
    let r = c
        .request(
            "POST",
            &titles,
            &headers,
            br#"{"year": 2024, "level": "tinh", "kind": "merit"}"#,
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["field"], "level");
    let r = c
        .request(
            "POST",
            &titles,
            &headers,
            r#"{"year": 2024, "level": "province", "kind": "excellent_farmer", "note": "QĐ 5"}"#.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let entry = r.json()["id"].as_i64().unwrap();
    let profile = c
        .request("GET", &format!("/api/v1/members/{hoa}/profile"), &headers, b"")
        .await
        .json();
    assert_eq!(profile["titles"][0]["kind"], "excellent_farmer");
    assert_eq!(profile["ratings"][0]["proposed_to_party"], true);
    assert!(profile["roles"].as_array().unwrap().is_empty());
    let r = c.request("DELETE", &format!("{titles}/{entry}"), &headers, b"").await;
    assert_eq!(r.status, 200);
    let r = c.request("DELETE", &format!("{titles}/{entry}"), &headers, b"").await;
    assert_eq!(r.status, 404);
    let r = c
        .request("DELETE", &format!("/api/v1/members/{hoa}/ratings/2025"), &headers, b"")
        .await;
    assert_eq!(r.status, 200);

    let actions: Vec<String> = f
        .server
        .store
        .audit_entries(&AuditFilter {
            member_id: Some(hoa),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "member.role.add",
        "member.role.remove",
        "member.rating.set",
        "member.title.add",
        "member.title.remove",
        "member.rating.remove",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
}
