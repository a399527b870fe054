//! The register searched through a real server on demo-like data: the
//! member list page and the API rank the name typed first and read phones
//! in any form.

mod common;

use common::{day, enc, fixture};
use hnd_domain::{Phone, Sex};
use hnd_store::{Change, MemberRow, Store, testing::person};

hnd_store::both_backends!(the_list_and_the_api_put_the_best_match_first);

/// Names as the demo gives them: common family, middle and given names.
fn demo_like(n: usize) -> Vec<MemberRow> {
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Bùi", "Đặng", "Hoàng", "Vũ"];
    let middle = ["Văn", "Thị", "Hữu", "Ngọc", "Minh"];
    let given = ["Lâm", "Lan", "Hùng", "Hoa", "Nam", "Mai", "Sơn", "Linh", "An"];
    (0..n)
        .map(|i| {
            let name = format!(
                "{} {} {}",
                family[i % family.len()],
                middle[(i / 3) % middle.len()],
                given[(i / 7) % given.len()]
            );
            let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
            let unit = if i % 3 == 0 { "00008-CH01" } else { "00004-CH01" };
            MemberRow {
                member: person(&name, &format!("{}", 1950 + i % 50), sex, unit),
                admitted: Some((day("01/03/2026"), "2-QĐ/HND".into())),
                profile: None,
            }
        })
        .collect()
}

async fn the_list_and_the_api_put_the_best_match_first(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let who = Change::new("kiểm thử", "dữ liệu kiểm thử");
    store
        .load_members(&demo_like(600), day("01/03/2026"), &who)
        .await
        .unwrap();
    // The people searched for, among hundreds of similar names.
    let mut lam = person("Lâm Thị Hoa", "1980", Sex::Female, "00004-CH01");
    lam.phone = Some(Phone::parse("0912345678").unwrap());
    let lam = store.add_member(&lam, day("01/03/2026"), false, &who).await.unwrap().id;
    let exact = person("Nguyễn Văn Lâm", "1999", Sex::Male, "00008-CH01");
    let exact = store
        .add_member(&exact, day("01/03/2026"), false, &who)
        .await
        .unwrap()
        .id;

    // The list page: the name typed exactly is the first row, before the
    // older "Nguyễn Văn Lâm"s of the load and every longer name.
    let mut admin = f.server.signed_in("admin").await;
    let r = admin
        .get(&format!("/members?unit=01&q={}", enc("Nguyễn Văn Lâm")))
        .await;
    assert_eq!(r.status, 200);
    let page = r.text();
    let first_row = page
        .split("<td><a href=\"/members/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a row");
    let loaded = store.search_members("nguyen van lam", Some("01"), 50).await.unwrap();
    assert!(loaded.len() > 2, "several of that name: {}", loaded.len());
    assert_eq!(loaded[0].full_name, "Nguyễn Văn Lâm");
    assert_eq!(first_row, loaded[0].id.to_string());
    assert!(loaded.iter().any(|m| m.id == exact));

    // The API: the given name alone finds first the name that begins with
    // it, then everyone else with that word, by name ("Bùi … Lâm" first).
    let token = store.create_api_token("admin", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let r = api
        .request(
            "GET",
            "/api/v1/members?q=lam&per_page=5",
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["items"][0]["id"], lam);
    assert!(
        body["items"][1]["full_name"].as_str().unwrap().starts_with("Bùi"),
        "{body}"
    );
    // A phone typed with the country code.
    let r = api
        .request(
            "GET",
            &format!("/api/v1/members?q={}", enc("+84 912 345 678")),
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.json()["items"][0]["id"], lam);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
}
