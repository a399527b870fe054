//! Choosing a unit by its name: any words of the name, typed without
//! accents, find it; only units of the user's own part of the tree are
//! offered, but a transfer's destination may be anywhere; the tree read
//! into memory follows a change to it.

mod common;

use common::fixture;
use hnd_store::{Change, Store};
use serde_json::Value;

hnd_store::both_backends!(units_are_found_by_name_within_the_users_subtree);

/// The codes and paths `/units/pick` offers for `query`.
async fn offered(c: &mut common::Client, query: &str) -> Vec<(String, String)> {
    let r = c.get(&format!("/units/pick?{query}")).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    let found: Value = r.json();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["code"].as_str().unwrap().to_string(),
                u["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn units_are_found_by_name_within_the_users_subtree(store: Store) {
    let f = fixture(store).await;
    let mut xa4 = f.server.signed_in("xa4").await;

    // "Chi hội Tổ dân phố 1" of commune 00004, by words typed without
    // accents, in any order, shown with the path that places it.
    let found = offered(&mut xa4, "for=EditMembers&q=pho%20to%20dan").await;
    assert_eq!(found[0].0, "00004-CH01", "{found:?}");
    assert!(
        found[0].1.contains("Hà Nội"),
        "the path reaches the province: {found:?}"
    );
    // Commune 00008's branch is not this officer's to choose…
    let found = offered(&mut xa4, "for=EditMembers&q=thon%20dong").await;
    assert!(found.is_empty(), "another commune's unit offered: {found:?}");
    // … except as where a member moves to.
    let found = offered(&mut xa4, "for=transfer&q=thon%20dong").await;
    assert_eq!(found.first().map(|u| u.0.as_str()), Some("00008-CH01"), "{found:?}");
    // By the start of its code, too.
    let found = offered(&mut xa4, "for=EditMembers&q=00004-c").await;
    assert_eq!(found.first().map(|u| u.0.as_str()), Some("00004-CH01"), "{found:?}");

    // A unit renamed today is found by its new name at once, not its old.
    let today = hnd_domain::Day::today();
    f.server
        .store
        .rename(
            "00004-CH01",
            &hnd_domain::UnitName::parse("Chi hội Cánh Đồng Mẫu").unwrap(),
            today,
            &Change::new("kiểm thử", "đổi tên"),
        )
        .await
        .unwrap();
    let found = offered(&mut xa4, "for=EditMembers&q=canh%20dong").await;
    assert_eq!(found.first().map(|u| u.0.as_str()), Some("00004-CH01"), "{found:?}");
    assert!(offered(&mut xa4, "for=EditMembers&q=to%20dan%20pho").await.is_empty());

    // Signed out: nothing.
    let r = f.server.client().get("/units/pick?q=thon").await;
    assert_ne!(r.status, 200);
}
