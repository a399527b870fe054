//! What an attacker or a mistake meets: sign-in refusals that tell
//! nothing, security headers on every answer, errors in the documented
//! shape and language (also those the framework makes), warnings that name
//! the web's own way to confirm, database failures shown as failures, and
//! exports whose cells cannot run in a spreadsheet. Real server, real
//! database, both engines.

mod common;

use base64::Engine;
use common::{Response, fixture, password};
use hnd_domain::{Cccd, Sex};
use hnd_store::{Change, Store};
use sha2::{Digest, Sha256};

hnd_store::both_backends!(
    every_sign_in_refusal_looks_the_same,
    every_answer_carries_security_headers,
    framework_errors_take_the_documented_shape,
    a_cccd_warning_names_the_way_to_confirm_it,
    database_failures_are_shown_not_hidden,
    exports_escape_formulas,
);

/// The status and the error sentence of a sign-in page.
fn refusal(r: &Response) -> (u16, String) {
    let page = r.text();
    let marker = "id=\"login-error\">";
    let at = page.find(marker).map(|i| i + marker.len());
    let message = at
        .and_then(|i| page[i..].split("</p>").next())
        .unwrap_or_default()
        .to_string();
    (r.status, message)
}

async fn every_sign_in_refusal_looks_the_same(store: Store) {
    let f = fixture(store).await;
    let mut c = f.server.client();
    let unknown = refusal(&c.sign_in("khong-co-ai", "bat-ky-mat-khau").await);
    assert_eq!(unknown.0, 401);
    assert!(
        unknown.1.contains("Tên đăng nhập hoặc mật khẩu không đúng"),
        "{unknown:?}"
    );
    let wrong = refusal(&c.sign_in("admin", "sai-mat-khau").await);
    assert_eq!(wrong, unknown, "a wrong password is told like an unknown login");
    for _ in 0..5 {
        assert_eq!(refusal(&c.sign_in("xa4", "sai-mat-khau").await), unknown);
    }
    // Throttled: told the same, even with the right password, and without
    // a word about a lock or an account.
    let throttled = refusal(&c.sign_in("xa4", &password("xa4")).await);
    assert_eq!(throttled, unknown, "a throttled attempt is told like a wrong password");
    // The address's own limit (20 failures over all logins) answers the same.
    for i in 0..12 {
        c.sign_in(&format!("khach{i}"), "bat-ky-mat-khau").await;
    }
    let over = refusal(&c.sign_in("admin", &password("admin")).await);
    assert_eq!(over, unknown, "an address over its limit is told like a wrong password");
    for word in ["khoá", "khóa", "tài khoản"] {
        assert!(!unknown.1.contains(word), "{unknown:?}");
    }
    // Another address is not held back by any of this: the store's tests
    // sign the same login in from elsewhere.
}

/// Every `<tag>` block (without attributes) of a page.
fn blocks<'a>(page: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    page.match_indices(&open)
        .map(|(i, _)| {
            let rest = &page[i + open.len()..];
            &rest[..rest.find(&close).expect("a closed block")]
        })
        .collect()
}

fn sha256(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

async fn every_answer_carries_security_headers(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut admin = f.server.signed_in("admin").await;
    let mut anonymous = f.server.client();
    let paths = [
        "/".to_string(),
        "/members?unit=00004".into(),
        format!("/members/{hoa}"),
        format!("/members/{hoa}/profile"),
        format!("/members/{hoa}/photo"),
        format!("/members/{hoa}/audit"),
        "/api/v1/members?unit=00004".into(),
        format!("/api/v1/members/{hoa}"),
        "/export?unit=00004&format=csv".into(),
        "/export?unit=00004&format=xlsx".into(),
        "/plans/12-KH%2FHND".into(),
        "/dashboard".into(),
        "/figures".into(),
        "/tasks".into(),
        format!("/tasks/{}", f.task),
        "/org/00004".into(),
        "/audit".into(),
        "/khong-co-trang-nay".into(),
    ];
    let mut answers = Vec::new();
    for path in &paths {
        answers.push((path.clone(), admin.get(path).await));
    }
    for path in ["/login", "/api/docs", "/api/openapi.json", "/members"] {
        answers.push((path.to_string(), anonymous.get(path).await));
    }
    for (path, r) in &answers {
        assert!(r.status < 500, "{path}: {}", r.status);
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        for part in [
            "default-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(
            r.header("cache-control"),
            Some("no-store"),
            "{path}: personal data is not kept"
        );
        // What the policy lets run is exactly what the page holds: every
        // inline block by its hash, no inline style or handler attributes.
        if r.header("content-type").is_some_and(|t| t.starts_with("text/html")) {
            let page = r.text();
            for tag in ["style", "script"] {
                for block in blocks(&page, tag) {
                    let hash = format!("'sha256-{}'", sha256(block));
                    assert!(csp.contains(&hash), "{path}: an inline {tag} not allowed by {csp}");
                }
            }
            assert!(!page.contains(" style=\""), "{path}: an inline style attribute");
            for handler in [" onclick=", " onsubmit=", " onchange=", " onload="] {
                assert!(!page.contains(handler), "{path}: an inline handler");
            }
        }
    }
}

async fn framework_errors_take_the_documented_shape(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let bearer = format!("Bearer {token}");
    let mut api = f.server.client();
    let mut web = f.server.signed_in("xa4").await;
    let json_error = |r: &Response, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.text());
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{:?}",
            r.headers
        );
        let body = r.json();
        assert_eq!(body["error"]["code"], code, "{body}");
        body["error"]["message"].as_str().unwrap().to_string()
    };
    // A non-numeric id or page on the API: the JSON error, in Vietnamese
    // unless English is asked for.
    for path in [
        "/api/v1/members/abc",
        "/api/v1/members?page=x",
        "/api/v1/members/1/roles/x",
    ] {
        let method = if path.ends_with("/x") { "DELETE" } else { "GET" };
        let r = api.request(method, path, &[("Authorization", &bearer)], b"").await;
        let message = json_error(&r, 400, "bad_request");
        assert!(message.contains("không hợp lệ"), "{path}: {message}");
    }
    let r = api
        .request(
            "GET",
            "/api/v1/members/abc",
            &[("Authorization", &bearer), ("Accept-Language", "en")],
            b"",
        )
        .await;
    assert!(json_error(&r, 400, "bad_request").contains("not valid"));
    // The same on pages: the error page, translated.
    for path in ["/members/abc", "/members?page=x", "/tasks/abc"] {
        let r = web.get(path).await;
        assert_eq!(r.status, 400, "{path}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"), "{path}");
        assert!(r.text().contains("không hợp lệ"), "{path}: {}", r.text());
    }
    assert!(web.get("/members/abc?lang=en").await.text().contains("not valid"));
    // A body over the limit has its own code.
    let big = vec![b' '; 20 * 1024 * 1024];
    let headers = [("Authorization", bearer.as_str()), ("Content-Type", "application/json")];
    let r = api.request("POST", "/api/v1/members", &headers, &big).await;
    let message = json_error(&r, 413, "too_large");
    assert!(message.contains("quá lớn"), "{message}");
    // A method the route does not take: the documented body, and Allow.
    let r = api
        .request("DELETE", "/api/v1/members", &[("Authorization", &bearer)], b"")
        .await;
    json_error(&r, 405, "method_not_allowed");
    assert!(r.header("allow").is_some_and(|a| a.contains("GET")), "{:?}", r.headers);
    let r = web.request("PUT", "/members", &[], b"").await;
    assert_eq!(r.status, 405);
    assert!(r.text().contains("không nhận"), "{}", r.text());
    // A form field of the wrong type on a page.
    let csrf = web.csrf().await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let r = web
        .post_form(
            &format!("/members/{hoa}/ratings"),
            &[("csrf", &csrf), ("year", "hai nghìn"), ("rating", "excellent")],
        )
        .await;
    assert!(r.status == 422 || r.status == 400, "{}", r.status);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(!r.text().contains("Failed to deserialize"), "{}", r.text());
    // The API's description lists the new answers.
    let doc = api.get("/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/members"]["post"]["responses"]["413"].is_object());
}

async fn a_cccd_warning_names_the_way_to_confirm_it(store: Store) {
    let f = fixture(store).await;
    // A CCCD of somebody born in 1960, given for a birth in 1990.
    let cccd = Cccd::compose("001", 1960, Sex::Male, 77).to_string();
    let mut web = f.server.signed_in("xa4").await;
    let csrf = web.csrf().await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("full_name", "Phạm Văn Khớp"),
        ("birth", "1990"),
        ("sex", "male"),
        ("cccd", cccd.as_str()),
        ("unit", "00004-CH01"),
    ];
    let r = web.post_form("/members", &fields).await;
    assert_eq!(r.status, 422, "{}", r.text());
    let page = r.text();
    assert!(
        !page.contains("--accept-warnings"),
        "no command-line flag on the web: {page}"
    );
    assert!(page.contains("Tôi đã kiểm tra, thông tin là đúng"), "{page}");
    // The API names its JSON field.
    let token = f.server.store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let bearer = format!("Bearer {token}");
    let body = serde_json::json!({"full_name": "Phạm Văn Khớp", "birth": "1990", "sex": "male",
        "cccd": cccd, "unit": "00004-CH01"});
    let headers = [("Authorization", bearer.as_str()), ("Content-Type", "application/json")];
    let r = f
        .server
        .client()
        .request("POST", "/api/v1/members", &headers, body.to_string().as_bytes())
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let message = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains("\"accept_warnings\": true"), "{message}");
    assert!(!message.contains("--accept-warnings"), "{message}");
    // Accepted, the same person is entered: the body's field and the form's
    // box reach the operation beside the person's fields.
    let mut accepted = body.clone();
    accepted["accept_warnings"] = serde_json::json!(true);
    let r = f
        .server
        .client()
        .request("POST", "/api/v1/members", &headers, accepted.to_string().as_bytes())
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let other = Cccd::compose("001", 1961, Sex::Male, 78).to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("full_name", "Phạm Văn Khéo"),
        ("birth", "1990"),
        ("sex", "male"),
        ("cccd", other.as_str()),
        ("unit", "00004-CH01"),
        ("accept_warnings", "on"),
    ];
    let r = web.post_form("/members", &fields).await;
    assert_eq!(r.status, 303, "{}", r.text());
}

async fn database_failures_are_shown_not_hidden(store: Store) {
    let f = fixture(store).await;
    let mut xa4 = f.server.signed_in("xa4").await;
    let mut admin = f.server.signed_in("admin").await;
    assert_eq!(xa4.get("/").await.status, 200);
    assert_eq!(admin.get("/plans/12-KH%2FHND").await.status, 200);
    // Tables the home page and the plan page read go missing.
    let store = &f.server.store;
    hnd_store::testing::execute(store, "ALTER TABLE member_duplicates RENAME TO member_duplicates_gone")
        .await
        .unwrap();
    hnd_store::testing::execute(store, "ALTER TABLE tasks RENAME TO tasks_gone")
        .await
        .unwrap();
    for (client, path) in [(&mut xa4, "/"), (&mut admin, "/plans/12-KH%2FHND")] {
        let r = client.get(path).await;
        assert_eq!(r.status, 500, "{path}: a failure, not an empty page");
        assert!(r.text().contains("Máy chủ gặp lỗi"), "{path}: {}", r.text());
    }
}

async fn exports_escape_formulas(store: Store) {
    let f = fixture(store).await;
    let who = Change::new("kiểm thử", "kiểm thử");
    let name = "=HYPERLINK(\"http://x.example\";\"Bấm\")";
    let person = hnd_store::testing::person(name, "1980", Sex::Male, "00004-CH01");
    f.server
        .store
        .add_member(&person, common::day("01/02/2026"), false, &who)
        .await
        .unwrap();
    let mut xa4 = f.server.signed_in("xa4").await;
    let r = xa4.get("/export?unit=00004&format=csv").await;
    assert_eq!(r.status, 200);
    let text = r.text();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x.example\"\";\"\"Bấm\"\")\""),
        "{text}"
    );
    assert!(!text.contains(",\"=HYPERLINK"), "{text}");
}
