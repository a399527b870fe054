//! The strength report on the web: the page of a commune for a quarter
//! with its branches as rows, the same figures in the API, the workbook
//! downloaded (and audited as an export), another commune's report refused,
//! a period that is not one explained.

mod common;

use common::fixture;
use hnd_store::{AuditFilter, Store};

hnd_store::both_backends!(a_commune_reads_and_downloads_its_strength_report);

async fn a_commune_reads_and_downloads_its_strength_report(store: Store) {
    let f = fixture(store.clone()).await;
    let mut xa4 = f.server.signed_in("xa4").await;
    let home = xa4.get("/").await.text();
    assert!(
        home.contains("href=\"/reports/strength\""),
        "linked from the menu: {home}"
    );

    // Two members admitted on 01/03/2026: new in the first quarter.
    let page = xa4.get("/reports/strength?unit=00004&period=2026-Q1").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let page = page.text();
    for text in [
        "Chi hội Tổ dân phố 1",
        "id=\"strength-rows\"",
        "Phát triển trong kỳ",
        "Lũy kế",
        "15/12/2025",
        "14/03/2026",
    ] {
        assert!(page.contains(text), "{text} in {page}");
    }
    assert!(
        page.contains("href=\"/reports/strength.xlsx?unit=00004&amp;period=2026-Q1\""),
        "{page}"
    );

    let api = xa4.get("/api/v1/reports/strength?unit=00004&period=2026-Q1").await;
    assert_eq!(api.status, 200, "{}", api.text());
    let report = api.json();
    assert_eq!(report["unit"], "00004");
    assert_eq!(report["period"], "2026-Q1");
    assert_eq!(
        report["columns"]["members"],
        serde_json::json!({"new": 2, "lost": 0, "total": 2})
    );
    assert_eq!(report["columns"]["members_women"]["total"], 1);
    assert_eq!(report["rows"][0]["code"], "00004-CH01");
    assert_eq!(
        report["age_bands"],
        serde_json::json!({"under_40": 0, "from_40_to_59": 1, "from_60": 1})
    );
    assert_eq!(report["new_members"].as_array().unwrap().len(), 2);
    // Members at the end by occupation, education and household category:
    // no profile records them here, so both are "not recorded".
    let by: Vec<&str> = report["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["by"].as_str().unwrap())
        .collect();
    assert_eq!(by, ["occupation", "education", "household"]);
    for b in report["breakdowns"].as_array().unwrap() {
        let parts = b["parts"].as_array().unwrap();
        assert_eq!(parts.last().unwrap(), &serde_json::json!(["unknown", 2]), "{b}");
    }
    let q2 = xa4
        .get("/api/v1/reports/strength?unit=00004&period=2026-Q2")
        .await
        .json();
    assert_eq!(
        q2["columns"]["members"],
        serde_json::json!({"new": 0, "lost": 0, "total": 2})
    );

    // The workbook: downloaded, and recorded as an export of the commune.
    let before = store.audit_entries(&AuditFilter::default()).await.unwrap().len();
    let file = xa4.get("/reports/strength.xlsx?unit=00004&period=2026").await;
    assert_eq!(file.status, 200);
    assert!(file.header("content-type").unwrap().contains("spreadsheetml"));
    assert!(file.body.starts_with(b"PK"), "a zip workbook");
    let entries = store.audit_entries(&AuditFilter::default()).await.unwrap();
    assert_eq!(entries.len(), before + 1);
    assert_eq!(entries[0].action, "report.export");
    assert_eq!(entries[0].unit_code.as_deref(), Some("00004"));
    let api_file = xa4
        .get("/api/v1/reports/strength?unit=00004&period=2026&format=xlsx")
        .await;
    assert!(api_file.body.starts_with(b"PK"), "the API's workbook");

    // Not another commune's; not a period that is not one.
    let mut xa8 = f.server.signed_in("xa8").await;
    assert_eq!(xa8.get("/reports/strength?unit=00004&period=2026").await.status, 403);
    assert_eq!(
        xa8.get("/api/v1/reports/strength?unit=00004&period=2026").await.status,
        403
    );
    assert_eq!(
        xa8.get("/reports/strength.xlsx?unit=00004&period=2026").await.status,
        403
    );
    let bad = xa4.get("/api/v1/reports/strength?unit=00004&period=2026-Q7").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["field"], "period");
    assert!(bad.text().contains("2026-Q7"), "{}", bad.text());
}
