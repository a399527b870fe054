//! Plans, targets, progress and the drill-down read through the JSON API
//! with tokens, authorised as their pages are.

mod common;

use common::fixture;
use hnd_domain::plan::Period;
use hnd_store::Store;

hnd_store::both_backends!(
    plans_progress_and_the_tree_are_read_through_a_token,
    the_api_answers_as_its_document_says
);

async fn plans_progress_and_the_tree_are_read_through_a_token(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("xa8", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let mut get = async |path: &str| api.request("GET", path, &[("Authorization", &auth)], b"").await;

    // The province's plan hands targets down to the commune: listed.
    let r = get("/api/v1/plans").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let items = r.json()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["number"], "12-KH/HND");
    assert_eq!(items[0]["unit"], "01");

    // Without `unit`: the commune's own targets (it may not read the province's).
    let r = get("/api/v1/plans/12-KH%2FHND").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let plan = r.json();
    assert_eq!(plan["unit"], "00008");
    assert_eq!(plan["plan"]["title"], "Kế hoạch kiểm thử");
    assert_eq!(plan["targets"][0]["indicator"], "new_members");
    let handed = f.server.store.targets("12-KH/HND", "00008").await.unwrap();
    assert_eq!(plan["targets"][0]["value"].as_f64(), Some(handed[0].value));
    assert_eq!(plan["tasks"][0]["id"], f.task);

    // Progress: the figures of `hnd progress --json`, with where they stand.
    let year = hnd_domain::Day::today().year();
    let r = get(&format!("/api/v1/plans/12-KH%2FHND/progress?unit=00008&period={year}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let progress = r.json();
    let expected = f
        .server
        .store
        .progress("12-KH/HND", "00008", Period::Year { year })
        .await
        .unwrap();
    let rows = progress["rows"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for (row, e) in rows.iter().zip(&expected) {
        assert_eq!(row["indicator"], e.indicator.as_str());
        assert_eq!(row["comparator"], e.comparator.as_str());
        assert_eq!(row["target"].as_f64(), Some(e.target));
        assert_eq!(row["actual"].as_f64(), e.actual);
        assert!(row["standing"].is_string(), "{row}");
    }
    assert_eq!(progress["period"], year.to_string());

    // Refusals in the documented shape: another commune, a period that is not one.
    let r = get("/api/v1/plans/12-KH%2FHND/progress?unit=00004").await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "forbidden");
    let r = get("/api/v1/plans/12-KH%2FHND/progress?period=someday").await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"]["field"], "period");
    let r = get("/api/v1/plans/99-KH%2FHND").await;
    assert_eq!(r.status, 404, "{}", r.text());

    // The drill-down: each branch with its members.
    let r = get("/api/v1/units/00008/children").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let tree = r.json();
    let branch = tree["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "00008-CH01")
        .cloned()
        .unwrap();
    assert_eq!(branch["members"], 1, "{tree}");
    assert_eq!(tree["members"], 1);
    let r = get("/api/v1/units/01/children").await;
    assert_eq!(r.status, 403, "{}", r.text());
    let r = get("/api/v1/units/00008/children?as_of=31/02/2026").await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"]["field"], "as_of");

    // The central administrator reads the issuing unit by default; an
    // outside body's account lists no plans.
    let admin = f.server.store.create_api_token("admin", "kiểm thử").await.unwrap();
    let admin = format!("Bearer {admin}");
    let r = api
        .request("GET", "/api/v1/plans/12-KH%2FHND", &[("Authorization", &admin)], b"")
        .await;
    assert_eq!(r.json()["unit"], "01", "{}", r.text());
    let body = f
        .server
        .store
        .create_api_token(common::BODY_ACCOUNT, "kiểm thử")
        .await
        .unwrap();
    let body = format!("Bearer {body}");
    let r = api
        .request("GET", "/api/v1/plans", &[("Authorization", &body)], b"")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);

    // Each in the document.
    let doc = api.request("GET", "/api/openapi.json", &[], b"").await.json();
    for path in [
        "/api/v1/plans",
        "/api/v1/plans/{number}",
        "/api/v1/plans/{number}/progress",
        "/api/v1/units/{code}/children",
    ] {
        assert!(doc["paths"][path]["get"]["responses"]["200"].is_object(), "{path}");
    }
}

/// What the check against the OpenAPI document found, kept fixed.
async fn the_api_answers_as_its_document_says(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("xa8", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let get =
        async |api: &mut common::Client, path: &str| api.request("GET", path, &[("Authorization", &auth)], b"").await;
    // A page number is read as a number; one far past the end is an empty page.
    let r = get(&mut api, "/api/v1/members?unit=00008&page=2&per_page=1").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["page"], 2);
    let r = get(&mut api, "/api/v1/members?unit=00008&page=9223372036854775807").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);
    // A yes/no filter that says neither is refused, naming it.
    let r = get(&mut api, "/api/v1/members?unit=00008&bhyt=maybe").await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"]["field"], "bhyt");
    // An empty day is today.
    let r = get(&mut api, "/api/v1/units/00008?as_of=").await;
    assert_eq!(r.status, 200, "{}", r.text());
    // A field of the wrong JSON type is refused, not written down as text.
    let binh = f.members["Trần Văn Bình"];
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = api
        .request(
            "POST",
            &format!("/api/v1/members/{binh}/titles"),
            &headers,
            br#"{"year": 2024, "level": "province", "kind": "excellent_farmer", "note": {}}"#,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error"]["field"], "note");
    // A step without a body: refused as not JSON, as the document says.
    let r = api
        .request(
            "POST",
            &format!("/api/v1/members/{binh}/leave"),
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 415, "{}", r.text());
    let doc = get(&mut api, "/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/members/{id}/leave"]["post"]["responses"]["415"].is_object());
}
