//! Reports up the tree in the browser, across three levels: two communes
//! write and submit their six-month reports; the province sees them (and
//! which units are late), returns one with a comment, which is fixed and
//! submitted again; the province approves both, which locks the communes'
//! figures for the period (an entry is refused), fills its own report with
//! their sums and submits it; the centre approves it; only the centre
//! unlocks it. The documents download as PDF and DOCX.

mod common;

use common::{Client, csrf_in, fixture, password};
use hnd_domain::Role;
use hnd_store::Store;

hnd_store::both_backends!(reports_go_up_three_levels_and_lock_the_period, reports_through_the_api);

const AT: &str = "form=six_month&period=2026-H1";

async fn page(c: &mut Client, unit: &str) -> String {
    let r = c.get(&format!("/reports?unit={unit}&{AT}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.text()
}

async fn post(c: &mut Client, path: &str, unit: &str, fields: &[(&str, &str)]) -> common::Response {
    let csrf = c.csrf().await;
    let mut all = vec![
        ("csrf", csrf.as_str()),
        ("unit", unit),
        ("form", "six_month"),
        ("period", "2026-H1"),
    ];
    all.extend_from_slice(fields);
    c.post_form(path, &all).await
}

async fn reports_go_up_three_levels_and_lock_the_period(store: Store) {
    let f = fixture(store).await;
    let s = &f.server.store;
    s.create_user("tinh", "Cán bộ tỉnh", &password("tinh")).await.unwrap();
    s.grant("tinh", Role::ProvinceOfficer, "01", "kiểm thử").await.unwrap();
    let mut xa4 = f.server.signed_in("xa4").await;
    let mut xa8 = f.server.signed_in("xa8").await;
    let mut tinh = f.server.signed_in("tinh").await;
    let mut admin = f.server.signed_in("admin").await;

    // The review's computed sections: the province's plan's target handed
    // to the commune, against the register (two admitted in March), and
    // the task given to it.
    let task = f
        .server
        .store
        .tasks("12-KH/HND", hnd_domain::Day::today())
        .await
        .unwrap()[0]
        .id;
    s.assign_task(
        task,
        &["00004".to_string()],
        &hnd_store::Change::new("kiểm thử", "kiểm thử"),
    )
    .await
    .unwrap();
    let shown = page(&mut xa4, "00004").await;
    let targets = &shown[shown
        .find("Kết quả thực hiện các chỉ tiêu")
        .expect("the targets' section")..];
    assert!(targets.contains("Kế hoạch kiểm thử (12-KH/HND)"), "{targets}");
    assert!(targets.contains("Kết nạp hội viên mới"), "{targets}");
    let tasks = &shown[shown.find("id=\"report-tasks\"").expect("the tasks' section")..];
    assert!(
        tasks.contains("Báo cáo kết quả thực hiện") && tasks.contains("Chưa thực hiện"),
        "{tasks}"
    );

    // A commune writes its draft and submits it; it gets its number.
    let r = post(
        &mut xa4,
        "/reports/save",
        "00004",
        &[
            ("part_results", "Kết nạp 120 hội viên mới."),
            ("typed_farm_households", "1.000"),
            ("typed_villages", "10"),
            ("typed_villages_with_branch", "9"),
            ("go", "submit"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let p = page(&mut xa4, "00004").await;
    assert!(p.contains("Đã gửi, chờ duyệt") && p.contains("Số 1-BC/HNDX"), "{p}");
    // A figure that is not a number is refused, naming it.
    let r = post(
        &mut xa8,
        "/reports/save",
        "00008",
        &[("typed_villages", "mười"), ("go", "save")],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Số thôn, tổ dân phố: «mười»"), "{}", r.text());
    let r = post(
        &mut xa8,
        "/reports/save",
        "00008",
        &[("typed_farm_households", "500"), ("go", "submit")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    // A commune approves neither its own report nor another's.
    let r = post(&mut xa4, "/reports/step", "00004", &[("step", "approve")]).await;
    assert_eq!(r.status, 403);

    // The province sees both, the first one's text at hand, and who is late.
    let p = page(&mut tinh, "01").await;
    assert!(p.contains("Kết nạp 120 hội viên mới."), "{p}");
    assert!(p.matches("Đã gửi, chờ duyệt").count() >= 2, "{p}");
    let late = tinh.get("/reports?unit=01&form=strength&period=2026-Q1").await.text();
    assert!(
        late.contains("trễ hạn"),
        "units without the first quarter's report are late: {late}"
    );
    // A return needs a comment; with one, the commune reads it.
    let r = post(
        &mut tinh,
        "/reports/step",
        "00008",
        &[("step", "return"), ("comment", "")],
    )
    .await;
    assert_eq!(r.status, 422);
    let r = post(
        &mut tinh,
        "/reports/step",
        "00008",
        &[("step", "return"), ("comment", "Bổ sung số hộ nông dân")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let p = page(&mut xa8, "00008").await;
    assert!(p.contains("Bị trả lại") && p.contains("Bổ sung số hộ nông dân"), "{p}");
    let r = post(
        &mut xa8,
        "/reports/save",
        "00008",
        &[("typed_farm_households", "600"), ("go", "submit")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    for unit in ["00004", "00008"] {
        let r = post(&mut tinh, "/reports/step", unit, &[("step", "approve")]).await;
        assert_eq!(r.status, 303, "{}", r.text());
    }
    // Approved: locked, not written any more, and the period's figures refused.
    let r = post(
        &mut xa4,
        "/reports/save",
        "00004",
        &[("part_results", "x"), ("go", "save")],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let token = s.create_api_token("xa4", "kiểm thử").await.unwrap();
    let headers = [
        ("Authorization", format!("Bearer {token}")),
        ("Content-Type", "application/json".into()),
    ];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut api = f.server.client();
    let r = api
        .request(
            "PUT",
            "/api/v1/units/00004/values/2026-H1",
            &headers,
            br#"{"values":{"articles":5}}"#,
        )
        .await;
    assert_eq!(r.status, 409, "a locked period refuses its figures: {}", r.text());
    assert!(r.text().contains("đã khóa"), "{}", r.text());

    // The province fills its own with the sums and submits it to the centre.
    let r = post(&mut tinh, "/reports/aggregate", "01", &[]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let p = page(&mut tinh, "01").await;
    assert!(p.contains("value=\"1.600\""), "1.000 + 600 households: {p}");
    assert!(p.contains("value=\"19\"") || p.contains("value=\"10\""), "{p}");
    let r = post(
        &mut tinh,
        "/reports/save",
        "01",
        &[("typed_farm_households", "1.600"), ("go", "submit")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let r = post(&mut admin, "/reports/step", "01", &[("step", "approve")]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    // Only the approving level unlocks, with a comment; audited.
    let r = post(
        &mut tinh,
        "/reports/step",
        "01",
        &[("step", "unlock"), ("comment", "Sửa")],
    )
    .await;
    assert_eq!(r.status, 403);
    let r = post(
        &mut admin,
        "/reports/step",
        "01",
        &[("step", "unlock"), ("comment", "Sửa số liệu quỹ hội")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let p = page(&mut tinh, "01").await;
    assert!(p.contains("Bị trả lại") && p.contains("Sửa số liệu quỹ hội"), "{p}");
    let audit = s.audit_entries(&Default::default()).await.unwrap();
    let actions: Vec<&str> = audit
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| a.starts_with("report."))
        .collect();
    assert!(
        actions.contains(&"report.unlock") && actions.contains(&"report.approve"),
        "{actions:?}"
    );

    // The documents.
    let r = xa4.get(&format!("/reports/document?unit=00004&{AT}&format=pdf")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"%PDF"), "a PDF");
    let r = xa4.get(&format!("/reports/document?unit=00004&{AT}&format=docx")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"PK"), "a DOCX (zip)");
    let _ = csrf_in;
}

/// The same workflow through the API with tokens: the commune's draft
/// and submission, the province's refusal of a return without a comment
/// and its approval, the document.
async fn reports_through_the_api(store: Store) {
    let f = fixture(store).await;
    let s = &f.server.store;
    s.create_user("tinh", "Cán bộ tỉnh", &password("tinh")).await.unwrap();
    s.grant("tinh", Role::ProvinceOfficer, "01", "kiểm thử").await.unwrap();
    let auth = |token: String| format!("Bearer {token}");
    let xa4 = auth(s.create_api_token("xa4", "kiểm thử").await.unwrap());
    let tinh = auth(s.create_api_token("tinh", "kiểm thử").await.unwrap());
    let mut api = f.server.client();
    let at = "/api/v1/reports/00004/year/2026";
    let json = |a: &str| {
        vec![
            ("Authorization", a.to_string()),
            ("Content-Type", "application/json".to_string()),
        ]
    };
    let call = |method: &'static str, path: String, who: String, body: &'static str| (method, path, who, body);
    for (method, path, who, body, status) in [
        (
            call(
                "PUT",
                at.into(),
                xa4.clone(),
                r#"{"parts":{"results":"Đạt 95% chỉ tiêu."},"typed":{"farm_households":"1.250","villages":12}}"#,
            ),
            200,
        ),
        (call("PUT", at.into(), xa4.clone(), r#"{"parts":{"nothing":"x"}}"#), 422),
        (call("POST", format!("{at}/submit"), xa4.clone(), "{}"), 200),
        (call("POST", format!("{at}/approve"), xa4.clone(), "{}"), 403),
        (call("POST", format!("{at}/return"), tinh.clone(), "{}"), 422),
        (call("POST", format!("{at}/approve"), tinh.clone(), "{}"), 200),
        (call("POST", format!("{at}/approve"), tinh.clone(), "{}"), 409),
    ]
    .map(|((m, p, w, b), st)| (m, p, w, b, st))
    {
        let headers = json(&who);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = api.request(method, &path, &headers, body.as_bytes()).await;
        assert_eq!(r.status, status, "{method} {path} {body}: {}", r.text());
    }
    let r = api.request("GET", at, &[("Authorization", &tinh)], b"").await;
    let view = r.json();
    assert_eq!(view["report"]["status"], "approved", "{view}");
    assert_eq!(view["report"]["typed"]["farm_households"], 1250, "{view}");
    assert_eq!(view["report"]["number"], "1-BC/HNDX", "{view}");
    let r = api
        .request(
            "GET",
            &format!("{at}/document?format=docx"),
            &[("Authorization", &xa4)],
            b"",
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"PK"));
}
