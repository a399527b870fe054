//! Households on a member's page and in the API, through a real server:
//! a household made with the member as head, another member joining it by
//! its number, a year's category; each change audited once, under the
//! head's unit; another commune's officer refused.

mod common;

use common::{csrf_in, fixture};
use hnd_store::{AuditFilter, Store};

hnd_store::both_backends!(
    a_member_page_makes_joins_and_categorises_a_household,
    the_api_reads_and_changes_households,
);

async fn entries(store: &Store, action: &str) -> Vec<hnd_store::AuditEntry> {
    let all = store
        .audit_entries(&AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    all.into_iter().filter(|e| e.action == action).collect()
}

async fn a_member_page_makes_joins_and_categorises_a_household(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let (hoa, duc) = (f.members["Nguyễn Thị Hoà"], f.members["Đặng Văn Đức"]);
    let mut xa4 = f.server.signed_in("xa4").await;
    let page = xa4.get(&format!("/members/{hoa}")).await.text();
    assert!(
        page.contains("id=\"household\"") && page.contains("id=\"household-create\""),
        "{page}"
    );
    let csrf = csrf_in(&page);
    let r = xa4
        .post_form(
            &format!("/members/{hoa}/household"),
            &[("csrf", &csrf), ("address", "Tổ dân phố 1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let household = store.household_of(hoa).await.unwrap().expect("a household");
    let created = entries(store, "household.create").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].unit_code.as_deref(), Some("00004-CH01"));
    assert_eq!(created[0].detail["after"]["household"], household);
    // A number that is not one: the page again, with why.
    let r = xa4
        .post_form(
            &format!("/members/{duc}/household/join"),
            &[("csrf", &csrf), ("household", "số mấy"), ("role", "con")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"household-error\""), "{}", r.text());
    let number = household.to_string();
    let r = xa4
        .post_form(
            &format!("/members/{duc}/household/join"),
            &[("csrf", &csrf), ("household", &number), ("role", "cha")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let r = xa4
        .post_form(
            &format!("/members/{duc}/household/category"),
            &[("csrf", &csrf), ("year", "2026"), ("category", "ngheo")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = xa4.get(&format!("/members/{hoa}")).await.text();
    assert!(page.contains("id=\"household-members\""), "{page}");
    assert!(page.contains("Đặng Văn Đức") && page.contains("cha/mẹ"), "{page}");
    assert!(page.contains("hộ nghèo") && page.contains("2026"), "{page}");
    let categorised = entries(store, "household.category").await;
    assert_eq!(categorised.len(), 1);
    assert_eq!(
        categorised[0].unit_code.as_deref(),
        Some("00004-CH01"),
        "the head's unit"
    );
    assert_eq!(entries(store, "household.join").await.len(), 1);
    // Another commune's officer reaches neither the page's forms nor the household.
    let binh = f.members["Trần Văn Bình"];
    let mut xa8 = f.server.signed_in("xa8").await;
    let csrf8 = xa8.csrf().await;
    let r = xa8
        .post_form(
            &format!("/members/{hoa}/household/category"),
            &[("csrf", &csrf8), ("year", "2026"), ("category", "khac")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = xa8
        .post_form(
            &format!("/members/{binh}/household/join"),
            &[("csrf", &csrf8), ("household", &number), ("role", "con")],
        )
        .await;
    assert_eq!(r.status, 403, "the household's head is another commune's");
    assert_eq!(store.household_of(binh).await.unwrap(), None);
    assert_eq!(store.household(household).await.unwrap().categories[0].1, "poor");
}

async fn the_api_reads_and_changes_households(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let (hoa, duc) = (f.members["Nguyễn Thị Hoà"], f.members["Đặng Văn Đức"]);
    let token = store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = api
        .request(
            "POST",
            "/api/v1/households",
            &headers,
            format!(r#"{{"head":{hoa},"address":"Tổ dân phố 1"}}"#).as_bytes(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["members"][0]["role"], "head");
    let r = api
        .request(
            "POST",
            &format!("/api/v1/households/{id}/members"),
            &headers,
            format!(r#"{{"member":{duc},"role":"ông bà"}}"#).as_bytes(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["field"], "household_role");
    let r = api
        .request(
            "POST",
            &format!("/api/v1/households/{id}/members"),
            &headers,
            format!(r#"{{"member":{duc},"role":"spouse"}}"#).as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = api
        .request(
            "PUT",
            &format!("/api/v1/households/{id}/categories/2025"),
            &headers,
            br#"{"category":"near_poor"}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = api
        .request("GET", &format!("/api/v1/households/{id}"), &headers, b"")
        .await;
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(body["members"].as_array().unwrap().len(), 2);
    assert_eq!(body["categories"][0]["year"], 2025);
    assert_eq!(body["categories"][0]["category"], "near_poor");
    let r = api.request("GET", "/api/v1/households/999999", &headers, b"").await;
    assert_eq!(r.status, 404);
    // Another commune's officer neither reads nor changes it.
    let token = store.create_api_token("xa8", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let other = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = api
        .request("GET", &format!("/api/v1/households/{id}"), &other, b"")
        .await;
    assert_eq!(r.status, 403);
    let r = api
        .request(
            "PUT",
            &format!("/api/v1/households/{id}/categories/2025"),
            &other,
            br#"{"category":"poor"}"#,
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(store.household(id).await.unwrap().categories[0].1, "near_poor");
    // Listed in the API's description.
    let doc = api.request("GET", "/api/openapi.json", &[], b"").await.json();
    for path in [
        "/api/v1/households",
        "/api/v1/households/{id}",
        "/api/v1/households/{id}/members",
        "/api/v1/households/{id}/categories/{year}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} in the OpenAPI document");
    }
    // Each change audited once, in its own transaction.
    for action in ["household.create", "household.join", "household.category"] {
        assert_eq!(entries(store, action).await.len(), 1, "{action}");
    }
}
