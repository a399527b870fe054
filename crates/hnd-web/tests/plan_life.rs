//! A plan's life through the real server: a province drafts and issues a
//! plan on the web with a deadline for the units below, three communes
//! issue plans implementing it (one late), the province's page lists them
//! with the late one marked and links each to its parent; a draft stays
//! with its commune; an issued plan refuses edits; a withdrawal is
//! confirmed first; the API drafts, changes, issues and reads the same.

mod common;

use common::{Client, enc, fixture};
use hnd_domain::Day;
use hnd_store::Store;

hnd_store::both_backends!(communes_implement_a_province_plan_on_the_web, the_api_drafts_and_issues);

/// The plan's number from the redirect to its page.
fn number_of(r: &common::Response) -> String {
    assert_eq!(r.status, 303, "{}", r.text());
    let to = r.header("location").unwrap();
    let segment = to.strip_prefix("/plans/").unwrap();
    segment.replace("%2F", "/")
}

fn path(number: &str) -> String {
    format!("/plans/{}", enc(number).replace('/', "%2F"))
}

async fn draft(c: &mut Client, unit: &str, date: &str, implements: &str, implement_by: &str) -> String {
    let csrf = c.csrf().await;
    let r = c
        .post_form(
            "/plans",
            &[
                ("csrf", &csrf),
                ("unit", unit),
                ("kind", "plan"),
                ("title", "Kế hoạch thực hiện Nghị quyết"),
                ("date", date),
                ("years", "2025-2030"),
                ("implements", implements),
                ("implement_by", implement_by),
            ],
        )
        .await;
    number_of(&r)
}

/// Issues `number` from its page's form, with a signed document.
async fn issue(c: &mut Client, number: &str) {
    let csrf = c.csrf().await;
    let boundary = "hndplan";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"ky.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4 da ky\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let r = c
        .request(
            "POST",
            &format!("{}/issue", path(number)),
            &[("Content-Type", &content_type)],
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 303, "issue {number}: {}", r.text());
}

async fn communes_implement_a_province_plan_on_the_web(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let province = store.unit("01", Day::today()).await.unwrap().unit;
    let third = store
        .children(province.id, Day::today())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.code)
        .find(|c| c != "00004" && c != "00008")
        .unwrap();
    let mut admin = f.server.signed_in("admin").await;
    let mut xa4 = f.server.signed_in("xa4").await;
    let mut xa8 = f.server.signed_in("xa8").await;
    let parent = draft(&mut admin, "01", "05/06/2025", "", "31/07/2025").await;
    assert_eq!(parent, "1-KH/HNDT.01.2025");
    let page = admin.get(&path(&parent)).await.text();
    assert!(page.contains("Dự thảo") && page.contains("id=\"plan-issue\""), "{page}");
    issue(&mut admin, &parent).await;
    // Three communes implement it, the third (00008) after the deadline.
    let first = draft(&mut xa4, "00004", "10/07/2025", &parent, "").await;
    let second = draft(&mut admin, &third, "30/07/2025", &parent, "").await;
    let late = draft(&mut xa8, "00008", "15/08/2025", &parent, "").await;
    // A draft is its commune's: the other commune is refused it.
    assert_eq!(xa4.get(&path(&late)).await.status, 403);
    let listed = xa4.get("/plans").await.text();
    assert!(!listed.contains(&late), "a draft is not listed to others");
    issue(&mut xa4, &first).await;
    issue(&mut admin, &second).await;
    issue(&mut xa8, &late).await;
    let page = admin.get(&path(&parent)).await;
    assert_eq!(page.status, 200);
    let page = page.text();
    assert!(page.contains("id=\"implementing\""), "{page}");
    let row = |code: &str| {
        let at = page
            .find(&format!("id=\"below-{code}\""))
            .unwrap_or_else(|| panic!("{code} listed"));
        page[at..at + page[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(row("00008").contains("class=\"late\""), "{}", row("00008"));
    // As the page reads: of the three that issued theirs, one is late.
    assert!(
        row("00008").contains("<span class=\"badge\">Chậm</span>"),
        "{}",
        row("00008")
    );
    for code in ["00004", third.as_str()] {
        assert!(!row(code).contains("Chậm"), "{}", row(code));
    }
    assert!(
        row("00008").contains(&enc(&late).replace('/', "%2F")),
        "links the child plan"
    );
    for (code, number) in [("00004", &first), (third.as_str(), &second)] {
        let r = row(code);
        assert!(!r.contains("class=\"late\"") && r.contains("Đã ban hành"), "{r}");
        assert!(r.contains(&enc(number).replace('/', "%2F")));
    }
    // The child's page links to its parent.
    let child = xa4.get(&path(&first)).await.text();
    assert!(child.contains("id=\"plan-parent\""), "{child}");
    assert!(child.contains(&format!("href=\"{}\"", path(&parent))));
    let doc = xa4.get(&format!("{}/document", path(&first))).await;
    assert_eq!((doc.status, doc.body.as_slice()), (200, b"%PDF-1.4 da ky".as_slice()));
    // Issued: read-only; withdrawn only once confirmed.
    let csrf = xa4.csrf().await;
    let edit = format!("{}/edit", path(&first));
    let r = xa4
        .post_form(&edit, &[("csrf", &csrf), ("title", "Khác"), ("years", "2025")])
        .await;
    assert_eq!(r.status, 409, "{}", r.text());
    let withdraw = format!("{}/withdraw", path(&first));
    let other = xa8.csrf().await;
    let r = xa8.post_form(&withdraw, &[("csrf", &other), ("confirm", "on")]).await;
    assert_eq!(r.status, 403, "another commune's plan");
    let r = xa4.post_form(&withdraw, &[("csrf", &csrf)]).await;
    assert_eq!(r.status, 422, "not confirmed");
    assert_eq!(store.plan(&first).await.unwrap().status, "issued");
    let r = xa4.post_form(&withdraw, &[("csrf", &csrf), ("confirm", "on")]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(xa4.get(&path(&first)).await.text().contains("Đã thu hồi"));
}

async fn the_api_drafts_and_issues(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("xa8", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let json = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let body = r#"{"unit":"00008","kind":"work_programme","title":"Chương trình công tác năm 2026","years":"2026","date":"05/01/2026","implements":"12-KH/HND"}"#;
    let r = api.request("POST", "/api/v1/plans", &json, body.as_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let made = r.json();
    assert_eq!(made["number"], "1-CTr/HNDX.00008.2026");
    assert_eq!(made["status"], "draft");
    assert_eq!(made["implements"]["number"], "12-KH/HND");
    let at = "/api/v1/plans/1-CTr%2FHNDX.00008.2026";
    let edited = r#"{"title":"Chương trình công tác năm 2026 (sửa)"}"#;
    let r = api.request("PATCH", at, &json, edited.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["title"], "Chương trình công tác năm 2026 (sửa)");
    assert_eq!(r.json()["kind"], "work_programme", "fields not sent stay");
    let r = api.request("POST", &format!("{at}/issue"), &json, b"{}").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = api.request("PATCH", at, &json, br#"{"title":"x"}"#).await;
    assert_eq!(r.status, 409, "an issued plan is read-only: {}", r.text());
    // The province's plan lists the commune's as implementing it.
    let r = api
        .request("GET", "/api/v1/plans/12-KH%2FHND?unit=00008", &json, b"")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let read = r.json();
    assert_eq!(read["status"], "issued");
    let row = read["implementing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == "00008")
        .unwrap()
        .clone();
    assert_eq!(row["number"], "1-CTr/HNDX.00008.2026");
    assert_eq!(row["status"], "issued");
    let r = api.request("POST", &format!("{at}/withdraw"), &json, b"{}").await;
    assert_eq!((r.status, r.json()["status"].clone()), (200, "withdrawn".into()));
}
