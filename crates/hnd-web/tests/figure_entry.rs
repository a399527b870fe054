//! The entry grid through the real server: a commune enters its figures
//! for a year on one page; a count above its denominator and a share
//! above 100 are refused on their rows; a figure far from the year
//! before's waits for a confirmation; the grid shows who entered each
//! figure and when. The API writes a period's figures all or none, and a
//! locked period takes none.

mod common;

use common::fixture;
use hnd_domain::plan::Period;
use hnd_store::{Change, Store};

hnd_store::both_backends!(
    a_commune_enters_its_figures_on_the_grid,
    the_api_enters_a_period_at_once
);

async fn a_commune_enters_its_figures_on_the_grid(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let mut xa8 = f.server.signed_in("xa8").await;
    let grid = xa8.get("/units/00008/values?period=2026").await;
    assert_eq!(grid.status, 200);
    let grid = grid.text();
    assert!(
        grid.contains("name=\"v.members_bhyt\"") && grid.contains("name=\"v.articles\""),
        "{grid}"
    );
    assert!(!grid.contains("name=\"v.members\""), "the register counts members");
    let csrf = xa8.csrf().await;
    // Commune 00008 has one member: two with BHYT cannot be; nor 120%.
    let r = xa8
        .post_form(
            "/units/00008/values",
            &[
                ("csrf", &csrf),
                ("period", "2026"),
                ("v.members_bhyt", "2"),
                ("v.cadres_trained_rate", "120"),
                ("v.articles", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let page = r.text();
    let row = |code: &str| {
        let at = page.find(&format!("id=\"row-{code}\"")).unwrap();
        page[at..at + page[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(
        row("members_bhyt").contains("Hội viên tham gia BHYT (2) không thể lớn hơn Tổng số hội viên (1)"),
        "{}",
        row("members_bhyt")
    );
    assert!(
        row("cadres_trained_rate").contains("không thể lớn hơn 100"),
        "{}",
        row("cadres_trained_rate")
    );
    assert!(row("articles").contains("value=\"4\""), "what was typed is kept");
    let (unit, _) = store.unit_path("00008").await.unwrap();
    let year = Period::Year { year: 2026 };
    assert!(
        store.entered_values(unit, year).await.unwrap().is_empty(),
        "nothing saved"
    );

    // 2025's figure, then 2026's at more than half again: confirmed first.
    let r = xa8
        .post_form(
            "/units/00008/values",
            &[("csrf", &csrf), ("period", "2025"), ("v.articles", "10")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let sent = [
        ("csrf", csrf.as_str()),
        ("period", "2026"),
        ("v.members_bhyt", "1"),
        ("v.articles", "16"),
    ];
    let r = xa8.post_form("/units/00008/values", &sent).await;
    assert_eq!(r.status, 422, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("khác xa kỳ trước (năm 2025: 10)") && page.contains("id=\"confirm\""),
        "{page}"
    );
    assert!(store.entered_values(unit, year).await.unwrap().is_empty());
    let mut confirmed = sent.to_vec();
    confirmed.push(("confirm", "on"));
    let r = xa8.post_form("/units/00008/values", &confirmed).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let grid = xa8.get(r.header("location").unwrap()).await.text();
    assert!(grid.contains("Đã lưu 2 số liệu"), "{grid}");
    let at = grid.find("id=\"row-articles\"").unwrap();
    let row = &grid[at..at + grid[at..].find("</tr>").unwrap()];
    assert!(row.contains("value=\"16\"") && row.contains(">10<"), "{row}");
    assert!(
        row.contains("xa8") && row.contains(&hnd_domain::Day::today().to_string()),
        "who and when: {row}"
    );
    // Another commune's officer neither enters nor reads it.
    let mut xa4 = f.server.signed_in("xa4").await;
    assert_eq!(xa4.get("/units/00008/values?period=2026").await.status, 403);
}

async fn the_api_enters_a_period_at_once(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("xa8", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let json = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let mut api = f.server.client();
    let at = "/api/v1/units/00008/values/2026-Q2";
    let r = api
        .request(
            "PUT",
            at,
            &json,
            br#"{"values":{"articles":5,"vocational_trained":12}}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["saved"], 2);
    // One figure refused: none written, each problem named.
    let r = api
        .request(
            "PUT",
            at,
            &json,
            br#"{"values":{"articles":7,"cadres_trained_rate":150}}"#,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "refused");
    assert_eq!(r.json()["problems"][0]["indicator"], "cadres_trained_rate");
    let grid = api.request("GET", at, &json, b"").await.json();
    let articles = grid["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "articles")
        .unwrap()
        .clone();
    assert_eq!(
        (articles["value"].as_f64(), articles["entered_by"].is_string()),
        (Some(5.0), true)
    );
    // Far from the quarter before: "confirm", then saved when confirmed.
    let q1 = "/api/v1/units/00008/values/2026-Q1";
    let r = api.request("PUT", q1, &json, br#"{"values":{"articles":1}}"#).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = api.request("PUT", at, &json, br#"{"values":{"articles":3}}"#).await;
    assert_eq!((r.status, r.json()["error"]["code"].clone()), (422, "confirm".into()));
    assert!(r.json()["problems"][0]["warning"].as_bool().unwrap());
    let r = api
        .request("PUT", at, &json, br#"{"values":{"articles":3},"confirm":true}"#)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // The city's report for the quarter approved: the commune's figures locked.
    let who = Change::new("kiểm thử", "báo cáo đã duyệt");
    let quarter = Period::Quarter { year: 2026, quarter: 2 };
    f.server.store.lock_period("01", quarter, &who).await.unwrap();
    let r = api.request("PUT", at, &json, br#"{"values":{"articles":4}}"#).await;
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("đã khóa"));
    assert_eq!(api.request("GET", at, &json, b"").await.json()["locked"], true);
    let mut xa8 = f.server.signed_in("xa8").await;
    let page = xa8.get("/units/00008/values?period=2026-Q2").await.text();
    assert!(
        page.contains("id=\"locked\"") && !page.contains("name=\"v.articles\""),
        "{page}"
    );
    let r = api
        .request("PUT", "/api/v1/units/00008/values/2026-Q5", &json, b"{}")
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
}
