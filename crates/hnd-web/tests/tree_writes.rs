//! Every unit a change names passes the policy, not only the one in the
//! path: a position's unit, a move's new parent, a merge's target; a
//! commune officer changes what is below the commune, not the commune
//! itself; a new branch's code fits its place.

mod common;

use common::{Client, fixture};
use hnd_store::Store;

hnd_store::both_backends!(
    positions_are_recorded_only_in_units_the_user_edits,
    a_commune_is_reshaped_from_above_and_new_codes_fit_their_place,
);

/// A form posted with the session's token.
async fn send(c: &mut Client, csrf: &str, path: &str, fields: &[(&str, &str)]) -> common::Response {
    let mut fields = fields.to_vec();
    fields.push(("csrf", csrf));
    c.post_form(path, &fields).await
}

async fn post_json(c: &mut Client, csrf: &str, path: &str, body: &str) -> common::Response {
    let headers = [("Content-Type", "application/json"), ("X-CSRF-Token", csrf)];
    c.request("POST", path, &headers, body.as_bytes()).await
}

async fn positions_are_recorded_only_in_units_the_user_edits(store: Store) {
    let f = fixture(store).await;
    let binh = f.members["Trần Văn Bình"];
    let mut xa8 = f.server.signed_in("xa8").await;
    let csrf = xa8.csrf().await;
    let roles = format!("/api/v1/members/{binh}/roles");

    // Its own member, as head of a branch of another commune, of the
    // province, of a commune in another province: refused, naming `unit`.
    for unit in ["00004-CH01", "01", "21136"] {
        let body = format!(r#"{{"position":"branch_head","unit":"{unit}","from":"01/01/2026"}}"#);
        let r = post_json(&mut xa8, &csrf, &roles, &body).await;
        assert_eq!(r.status, 403, "{unit}: {}", r.text());
        assert_eq!(r.json()["error"]["field"], "unit");
        let r = xa8
            .post_form(
                &format!("/members/{binh}/roles"),
                &[
                    ("csrf", &csrf),
                    ("position", "branch_head"),
                    ("unit", unit),
                    ("from", "01/01/2026"),
                ],
            )
            .await;
        assert_eq!(r.status, 403, "form, {unit}");
    }
    assert!(f.server.store.member_profile(binh).await.unwrap().roles.is_empty());

    // In its own commune's branch: recorded.
    let body = r#"{"position":"branch_head","unit":"00008-CH01","from":"01/01/2026"}"#;
    let r = post_json(&mut xa8, &csrf, &roles, body).await;
    assert_eq!(r.status, 201, "{}", r.text());

    // A position the province recorded in its own unit is not the
    // commune's to remove.
    let mut admin = f.server.signed_in("admin").await;
    let admin_csrf = admin.csrf().await;
    let body = r#"{"position":"branch_head","unit":"01","from":"01/01/2026"}"#;
    let r = post_json(&mut admin, &admin_csrf, &roles, body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let entry = r.json()["id"].as_i64().unwrap();
    let headers = [("X-CSRF-Token", csrf.as_str())];
    let r = xa8.request("DELETE", &format!("{roles}/{entry}"), &headers, b"").await;
    assert_eq!(r.status, 403, "{}", r.text());
    let r = xa8
        .post_form(
            &format!("/members/{binh}/roles/{entry}/remove"),
            &[("csrf", &csrf), ("confirm", "on")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(f.server.store.member_profile(binh).await.unwrap().roles.len(), 2);

    // A new member in another commune's branch: refused.
    let body = r#"{"full_name":"Lê Văn Ngoài","birth":"1990","sex":"male","unit":"00004-CH01"}"#;
    let r = post_json(&mut xa8, &csrf, "/api/v1/members", body).await;
    assert_eq!(r.status, 403, "{}", r.text());
}

async fn a_commune_is_reshaped_from_above_and_new_codes_fit_their_place(store: Store) {
    let f = fixture(store).await;
    let mut xa8 = f.server.signed_in("xa8").await;
    let csrf = xa8.csrf().await;
    // Its own commune: not renamed, moved, merged, split or dissolved by it.
    let tries: [(&str, &[(&str, &str)]); 5] = [
        ("/org/00008/rename", &[("name", "Phường Của Tôi")]),
        ("/org/00008/move", &[("parent", "TW")]),
        ("/org/00008/merge", &[("into", "00004"), ("confirm", "on")]),
        ("/org/00008/split", &[("parts", "00008-A;A\n00008-B;B")]),
        ("/org/00008/dissolve", &[("confirm", "on")]),
    ];
    for (path, fields) in tries {
        let r = send(&mut xa8, &csrf, path, fields).await;
        assert_eq!(r.status, 403, "{path}: {}", r.text());
    }
    let page = xa8.get("/org/00008/edit").await.text();
    assert!(!page.contains("/org/00008/rename") && page.contains("id=\"reshape-from-above\""));
    let unit = f.server.store.unit("00008", hnd_domain::Day::today()).await.unwrap();
    assert_eq!(unit.unit.name, "Phường Ngọc Hà", "not renamed");

    // A branch of it: renamed by it, but not moved out of the commune.
    let r = send(
        &mut xa8,
        &csrf,
        "/org/00008-CH01/rename",
        &[("name", "Chi hội Thôn Đông Mới")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let r = send(&mut xa8, &csrf, "/org/00008-CH01/move", &[("parent", "00004")]).await;
    assert_eq!(r.status, 403, "{}", r.text());

    // A new branch's code begins with the commune's (or the province's).
    for code in ["79-CH99", "00004-CH99", "010-CH99", "CH99"] {
        let r = send(
            &mut xa8,
            &csrf,
            "/org/00008/children",
            &[("code", code), ("name", "Chi hội Mới")],
        )
        .await;
        assert_eq!(r.status, 422, "{code}: {}", r.text());
        assert!(r.text().contains("phải bắt đầu bằng mã"), "{}", r.text());
        assert!(
            f.server.store.unit(code, hnd_domain::Day::today()).await.is_err(),
            "{code} created"
        );
    }
    for code in ["00008-CH99", "01-CH98"] {
        let r = send(
            &mut xa8,
            &csrf,
            "/org/00008/children",
            &[("code", code), ("name", "Chi hội Mới")],
        )
        .await;
        assert_eq!(r.status, 303, "{code}: {}", r.text());
    }

    // The province reshapes the commune: allowed from above.
    let mut admin = f.server.signed_in("admin").await;
    let admin_csrf = admin.csrf().await;
    let r = admin
        .post_form(
            "/org/00008/rename",
            &[("csrf", &admin_csrf), ("name", "Phường Ngọc Hà Mới")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    // A split's parts hang under the source's parent: their codes fit there.
    let r = admin
        .post_form(
            "/org/00008-CH99/split",
            &[("csrf", &admin_csrf), ("parts", "79-A;Chi hội A\n00008-B;Chi hội B")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains("79-A") && r.text().contains("phải bắt đầu bằng mã"),
        "{}",
        r.text()
    );
}
