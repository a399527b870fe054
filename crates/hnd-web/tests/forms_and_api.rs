//! Forms and the JSON API through a real server: tokens, bad input,
//! masking, transfers across communes, the audit trail.

mod common;

use common::{csrf_in, fixture};
use hnd_store::{AuditFilter, Store};

hnd_store::both_backends!(
    forms_refuse_missing_tokens_and_keep_what_was_typed,
    a_transfer_between_communes_is_sent_confirmed_and_audited,
    the_api_answers_tokens_with_json_and_clear_errors,
    wrong_passwords_in_a_loop_are_refused,
    an_outside_body_reports_on_its_own_tasks_only,
    targets_go_down_by_spreadsheet_all_or_nothing,
);

async fn forms_refuse_missing_tokens_and_keep_what_was_typed(store: Store) {
    let f = fixture(store).await;
    let mut xa4 = f.server.signed_in("xa4").await;
    let before = f.server.store.members_registered().await.unwrap();
    let fields = [
        ("full_name", "Phạm <b>Văn</b> Lỗi"),
        ("birth", "31/02/1980"),
        ("sex", "male"),
        ("cccd", "00108000001"),
        ("unit", "00004-CH01"),
    ];
    // No token, a forged token: refused, nothing saved.
    assert_eq!(xa4.post_form("/members", &fields).await.status, 403);
    let mut forged = fields.to_vec();
    forged.push(("csrf", "forged"));
    assert_eq!(xa4.post_form("/members", &forged).await.status, 403);
    // With the token: each bad field named, what was typed kept (escaped).
    let csrf = xa4.csrf().await;
    let mut with = fields.to_vec();
    with.push(("csrf", &csrf));
    let r = xa4.post_form("/members", &with).await;
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(page.contains("có 11 chữ số"), "the CCCD's length: {page}");
    assert!(page.contains("ngày sinh phải có dạng"), "{page}");
    assert!(page.contains("value=\"00108000001\""), "kept: {page}");
    assert!(page.contains("Phạm &#60;b&#62;Văn&#60;/b&#62; Lỗi"), "escaped: {page}");
    assert_eq!(
        f.server.store.members_registered().await.unwrap(),
        before,
        "nothing half-saved"
    );
    // Fixed: saved, and the new member's page shows.
    let fixed = [
        ("full_name", "Phạm Văn Lợi"),
        ("birth", "01/02/1980"),
        ("sex", "male"),
        ("cccd", "001080000099"),
        ("unit", "00004-CH01"),
        ("csrf", &csrf),
    ];
    let r = xa4.post_form("/members", &fixed).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").unwrap().to_string();
    let page = xa4.get(&location).await.text();
    assert!(page.contains("Phạm Văn Lợi") && page.contains("001080000099"), "{page}");
    // The same CCCD again: refused, pointing at the member who has it.
    let r = xa4.post_form("/members", &fixed).await;
    assert_eq!(r.status, 409);
    assert!(r.text().contains("Phạm Văn Lợi"), "{}", r.text());
    // A viewer sees the member with the CCCD masked.
    let mut viewer = f.server.signed_in("xem").await;
    let page = viewer.get(&location).await.text();
    assert!(
        page.contains("••••••••0099") && !page.contains("001080000099"),
        "{page}"
    );
    // The provinces' figures, as a page and as a spreadsheet.
    let mut admin = f.server.signed_in("admin").await;
    let page = admin.get("/figures?period=2026").await.text();
    assert!(
        page.contains("Thành phố Hà Nội") && page.contains("Kết nạp hội viên mới"),
        "{page}"
    );
    let xlsx = admin.get("/figures?period=2026&format=xlsx").await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"), "an XLSX (zip) file");
    assert_eq!(
        xa4.get("/figures").await.status,
        403,
        "a commune officer sees no province"
    );
    // The plan: a chart of the share reached, each target's standing, the
    // communes ranked on their share of their own target (00004 admitted
    // two members against one, 00008 one against one), both as XLSX.
    let page = admin.get("/plans/12-KH%2FHND?period=2026").await.text();
    assert!(page.contains("id=\"progress-chart\""), "{page}");
    let ranking = &page[page.find("id=\"below\"").expect("a ranking")..];
    let (first, second) = (
        ranking.find("unit=00004&").unwrap(),
        ranking.find("unit=00008&").unwrap(),
    );
    assert!(first < second, "{ranking}");
    for table in ["", "&table=below"] {
        let xlsx = admin
            .get(&format!("/plans/12-KH%2FHND?period=2026&format=xlsx{table}"))
            .await;
        assert_eq!(xlsx.status, 200);
        assert!(xlsx.body.starts_with(b"PK"), "an XLSX (zip) file");
    }
    // Oversized bodies are refused before anything is read.
    let big = vec![b'a'; 300 * 1024];
    let r = xa4
        .request(
            "POST",
            "/members",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &big,
        )
        .await;
    assert_eq!(r.status, 413);
}

async fn a_transfer_between_communes_is_sent_confirmed_and_audited(store: Store) {
    let f = fixture(store).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let mut xa4 = f.server.signed_in("xa4").await;
    let mut xa8 = f.server.signed_in("xa8").await;
    // Commune 00008 cannot open 00004's member, nor send her anywhere.
    assert_eq!(xa8.get(&format!("/members/{hoa}")).await.status, 403);
    let csrf8 = xa8.csrf().await;
    let r = xa8
        .post_form(
            &format!("/members/{hoa}/transfer"),
            &[("to", "00008-CH01"), ("csrf", &csrf8)],
        )
        .await;
    assert_eq!(r.status, 403);
    // A bad date, an unknown unit, a removal without its confirmation: the
    // page again with what was typed and why, nothing changed.
    let csrf4 = xa4.csrf().await;
    let transfer = format!("/members/{hoa}/transfer");
    let r = xa4
        .post_form(
            &transfer,
            &[("to", "00008-CH01"), ("date", "31/02/2026"), ("csrf", &csrf4)],
        )
        .await;
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(
        page.contains("id=\"transfer-error\"") && page.contains("31/02/2026"),
        "{page}"
    );
    assert!(page.contains("value=\"00008-CH01\""), "{page}");
    let r = xa4.post_form(&transfer, &[("to", "99999-XX"), ("csrf", &csrf4)]).await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("99999-XX"));
    let r = xa4
        .post_form(
            &format!("/members/{hoa}/remove"),
            &[("reason", "chuyển đi nơi khác"), ("kind", "dead"), ("csrf", &csrf4)],
        )
        .await;
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(
        page.contains("id=\"remove-error\"") && page.contains("value=\"chuyển đi nơi khác\""),
        "{page}"
    );
    assert!(page.contains("value=\"dead\" selected"), "{page}");
    assert_eq!(f.server.store.member(hoa).await.unwrap().status, "active");
    // 00004 sends; until 00008 confirms she is "in transfer".
    let r = xa4
        .post_form(
            &format!("/members/{hoa}/transfer"),
            &[("to", "00008-CH01"), ("csrf", &csrf4)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(f.server.store.member(hoa).await.unwrap().status, "in_transfer");
    let waiting = xa8.get("/transfers").await.text();
    assert!(waiting.contains("Nguyễn Thị Hoà"), "{waiting}");
    // The sender cannot confirm for the receiver.
    let r = xa4
        .post_form(&format!("/members/{hoa}/confirm-transfer"), &[("csrf", &csrf4)])
        .await;
    assert_eq!(r.status, 403);
    let page = xa8.get(&format!("/members/{hoa}")).await.text();
    let r = xa8
        .post_form(
            &format!("/members/{hoa}/confirm-transfer"),
            &[("csrf", &csrf_in(&page))],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let m = f.server.store.member(hoa).await.unwrap();
    assert_eq!((m.status.as_str(), m.unit_code.as_str()), ("active", "00008-CH01"));
    // Now she is 00008's, and no longer 00004's.
    assert_eq!(xa4.get(&format!("/members/{hoa}")).await.status, 403);
    // The audit trail has both steps, with who and from where.
    let trail = f
        .server
        .store
        .audit_entries(&AuditFilter {
            member_id: Some(hoa),
            ..Default::default()
        })
        .await
        .unwrap();
    let steps: Vec<(&str, &str)> = trail.iter().map(|e| (e.action.as_str(), e.actor.as_str())).collect();
    assert_eq!(steps, [("member.confirm_transfer", "xa8"), ("member.transfer", "xa4")]);
    assert_eq!(trail[1].detail["before"]["unit"], "00004-CH01");
    assert_eq!(trail[1].address, "127.0.0.1");
    let page = xa8.get(&format!("/members/{hoa}/audit")).await.text();
    assert!(page.contains("Chuyển sinh hoạt") && page.contains("xa4"), "{page}");
    assert!(
        !page.contains("member.transfer") && !page.contains("{&quot;"),
        "words, not codes: {page}"
    );
    assert!(
        page.contains("trạng thái: đang sinh hoạt → đang chuyển sinh hoạt"),
        "{page}"
    );
    // Each entry carries its unit, and the log is read by subtree: the
    // commune's officers see what happened in their branches, the province
    // (and the administrator asking for it) everything below it.
    assert_eq!(trail[1].unit_code.as_deref(), Some("00004-CH01"));
    assert_eq!(trail[0].unit_code.as_deref(), Some("00008-CH01"));
    let log4 = xa4.get("/audit").await.text();
    assert!(
        log4.contains("Chuyển sinh hoạt") && !log4.contains("Nhận sinh hoạt"),
        "{log4}"
    );
    let log8 = xa8.get("/audit").await.text();
    assert!(
        log8.contains("Nhận sinh hoạt") && !log8.contains("Chuyển sinh hoạt"),
        "{log8}"
    );
    let mut admin = f.server.signed_in("admin").await;
    let province = admin.get("/audit?unit=01").await.text();
    assert!(
        province.contains("Chuyển sinh hoạt") && province.contains("Nhận sinh hoạt"),
        "{province}"
    );
}

async fn the_api_answers_tokens_with_json_and_clear_errors(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("xa4", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let get = |path: &'static str| (path, auth.clone());
    let (path, a) = get("/api/v1/members?q=nguyen%20thi%20hoa");
    let r = api.request("GET", path, &[("Authorization", &a)], b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["items"][0]["full_name"], "Nguyễn Thị Hoà");
    assert_eq!(body["items"][0]["masked"], false);
    // Another commune's id: refused with the documented body.
    let binh = f.members["Trần Văn Bình"];
    let r = api
        .request("GET", &format!("/api/v1/members/{binh}"), &[("Authorization", &a)], b"")
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    // A forged token.
    let r = api
        .request("GET", "/api/v1/me", &[("Authorization", "Bearer hnd_forged")], b"")
        .await;
    assert_eq!(r.status, 401);
    // Malformed JSON, a wrong type, a bad field, the wrong content type.
    let json = [("Authorization", a.as_str()), ("Content-Type", "application/json")];
    let r = api.request("POST", "/api/v1/members", &json, b"{\"full_name\": ").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "bad_json");
    assert!(!r.text().contains("line 1"), "no parser internals: {}", r.text());
    let r = api
        .request("POST", "/api/v1/members", &json, b"{\"full_name\": 7}")
        .await;
    assert_eq!(r.status, 400);
    let body = r#"{"full_name":"Lê Văn Api","birth":"1990","sex":"male","cccd":"0010900000123","unit":"00004-CH01"}"#;
    let r = api.request("POST", "/api/v1/members", &json, body.as_bytes()).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["field"], "cccd");
    let r = api
        .request("POST", "/api/v1/members", &[("Authorization", a.as_str())], b"{}")
        .await;
    assert_eq!(r.status, 415);
    // A good one: created, audited under the token's user.
    let body = r#"{"full_name":"Lê Văn Api","birth":"1990","sex":"male","unit":"00004-CH01"}"#;
    let r = api.request("POST", "/api/v1/members", &json, body.as_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let trail = f
        .server
        .store
        .audit_entries(&AuditFilter {
            member_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(trail[0].actor, "xa4");
    // The description is served and names every API route.
    let doc = api.get("/api/openapi.json").await.json();
    for r in hnd_web::routes() {
        if r.path.starts_with("/api/v1/") {
            assert!(
                doc["paths"][r.path][r.method.as_str().to_lowercase()].is_object(),
                "{} {} is described",
                r.method,
                r.path
            );
        }
    }
    // English on request.
    let r = api
        .request(
            "GET",
            &format!("/api/v1/members/{binh}"),
            &[("Authorization", &a), ("Accept-Language", "en")],
            b"",
        )
        .await;
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("not allowed"));
}

async fn wrong_passwords_in_a_loop_are_refused(store: Store) {
    let f = fixture(store).await;
    let mut c = f.server.client();
    for _ in 0..5 {
        let r = c.sign_in("xa4", "sai-mat-khau").await;
        assert_eq!(r.status, 401);
        assert!(r.text().contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    }
    // This address is now throttled on that login, told exactly like a
    // wrong password, while the same login from elsewhere is not locked
    // (the store's tests try other addresses).
    let r = c.sign_in("xa4", &common::password("xa4")).await;
    assert_eq!(r.status, 401, "throttled even with the right password");
    assert!(r.text().contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    assert!(!r.text().contains("khoá"), "{}", r.text());
    // A sign-in form without its token is refused before the password is looked at.
    let r = c
        .post_form(
            "/login",
            &[("login", "admin"), ("password", &common::password("admin"))],
        )
        .await;
    assert_eq!(r.status, 403);
    // A user changes their own password: the current one is checked, the
    // other sessions end, this browser stays signed in.
    let mut other = f.server.signed_in("xa8").await;
    let mut me = f.server.signed_in("xa8").await;
    let csrf = me.csrf().await;
    let change = |current: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("current", current.to_string()),
            ("new", "mat-khau-moi-xa8".into()),
            ("repeat", "mat-khau-moi-xa8".into()),
        ]
    };
    let wrong = change("khong-dung");
    let fields: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(me.post_form("/account/password", &fields).await.status, 422);
    let right = change("xa8-xa8-pw");
    let fields: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = me.post_form("/account/password", &fields).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(me.get("/").await.status, 200, "still signed in");
    assert_eq!(other.get("/").await.status, 303, "the other session ended");
    assert_eq!(c.sign_in("xa8", "mat-khau-moi-xa8").await.status, 303);
    // Only paths of this site are followed after sign-in.
    let page = c.get("/login?next=https://example.org/").await.text();
    assert!(page.contains("name=\"next\" value=\"/\""), "{page}");
}

/// A multipart report form: token, status, note and one file.
fn report_form(csrf: &str, status: &str, note: &str, file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "hndtaskboundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("status", status), ("note", note)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/pdf\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn an_outside_body_reports_on_its_own_tasks_only(store: Store) {
    let f = fixture(store).await;
    let other = f
        .server
        .store
        .add_task(
            "12-KH/HND",
            &hnd_store::testing::task("Tuyên truyền", "UBND thành phố", "Sở Tư pháp", "", "Thường xuyên"),
            &hnd_store::Change::new("kiểm thử", "kiểm thử"),
        )
        .await
        .unwrap();
    let mut so = f.server.signed_in(common::BODY_ACCOUNT).await;
    // Its home is its tasks: the one naming its body, not the other.
    let home = so.get("/").await;
    assert_eq!((home.status, home.header("location")), (303, Some("/tasks")));
    let list = so.get("/tasks").await.text();
    assert!(
        list.contains("Báo cáo kết quả thực hiện") && !list.contains("Tuyên truyền"),
        "{list}"
    );
    assert!(list.contains("Sở Nông nghiệp và Môi trường"));
    assert_eq!(so.get(&format!("/tasks/{other}")).await.status, 403);
    assert_eq!(so.get("/members?unit=01").await.status, 403);

    // An empty note is refused with the form kept; nothing is saved.
    let page = so.get(&format!("/tasks/{}", f.task)).await.text();
    let csrf = csrf_in(&page);
    let (ct, body) = report_form(&csrf, "done", "  ", ("bao-cao.pdf", b"%PDF-1.4 bao cao"));
    let r = so
        .request("POST", &format!("/tasks/{}", f.task), &[("Content-Type", &ct)], &body)
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("không được để trống"), "{}", r.text());
    assert!(
        f.server
            .store
            .task(f.task, hnd_domain::Day::today())
            .await
            .unwrap()
            .notes
            .is_empty()
    );

    // A report with a file: saved, shown, the file downloadable, audited.
    let (ct, body) = report_form(
        &csrf,
        "done",
        "Đã gửi báo cáo năm",
        ("bao-cao.pdf", b"%PDF-1.4 bao cao"),
    );
    let r = so
        .request("POST", &format!("/tasks/{}", f.task), &[("Content-Type", &ct)], &body)
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = so.get(&format!("/tasks/{}?done=1", f.task)).await.text();
    assert!(
        page.contains("Đã lưu báo cáo") && page.contains("Đã gửi báo cáo năm"),
        "{page}"
    );
    assert!(page.contains("Hoàn thành"));
    let at = page.find("/files/").expect("a link to the file");
    let href: String = page[..at].rsplit('"').next().unwrap().to_string() + page[at..].split('"').next().unwrap();
    let file = so.get(&href).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.text(), "%PDF-1.4 bao cao");
    assert!(file.header("content-disposition").unwrap().starts_with("attachment"));
    let entries = f
        .server
        .store
        .audit_entries(&AuditFilter {
            actor: Some(common::BODY_ACCOUNT.into()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "task.report"), "{entries:?}");

    // A commune's officer reads the task but may not report on it.
    let mut xa = f.server.signed_in("xa4").await;
    let page = xa.get(&format!("/tasks/{}", f.task)).await;
    assert_eq!(page.status, 200);
    assert!(!page.text().contains("enctype=\"multipart/form-data\""));

    // The API: the body's token lists its task and reports on it.
    let token = f
        .server
        .store
        .create_api_token(common::BODY_ACCOUNT, "kiểm thử")
        .await
        .unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let r = api
        .request("GET", "/api/v1/tasks", &[("Authorization", &auth)], b"")
        .await;
    assert_eq!(r.status, 200);
    let ids: Vec<i64> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [f.task]);
    let json = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let path = format!("/api/v1/tasks/{}/reports", f.task);
    let r = api
        .request("POST", &path, &json, br#"{"status":"finished","note":"x"}"#)
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("in_progress"));
    let r = api
        .request(
            "POST",
            &path,
            &json,
            r#"{"status":"in_progress","note":"Bổ sung số liệu"}"#.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = api
        .request(
            "GET",
            &format!("/api/v1/tasks/{}", f.task),
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.json()["notes"].as_array().unwrap().len(), 2);
    let r = api
        .request(
            "GET",
            &format!("/api/v1/tasks/{other}"),
            &[("Authorization", &auth)],
            b"",
        )
        .await;
    assert_eq!(r.status, 403);
}

/// A multipart form with the session's token and one CSV file.
fn sheet_form(csrf: &str, csv: &str) -> (String, Vec<u8>) {
    let boundary = "hndsheetboundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"comparator\"\r\n\r\n>=\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"chi-tieu.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
}

async fn targets_go_down_by_spreadsheet_all_or_nothing(store: Store) {
    let f = fixture(store).await;
    let mut admin = f.server.signed_in("admin").await;
    let sheet = admin.get("/plans/12-KH%2FHND/targets.xlsx?unit=01").await;
    assert_eq!(sheet.status, 200);
    assert!(sheet.body.starts_with(b"PK"), "an XLSX (zip) file");
    let page = admin.get("/plans/12-KH%2FHND").await.text();
    let csrf = csrf_in(&page);
    let target = |unit: &'static str| {
        let store = f.server.store.clone();
        async move {
            store
                .targets("12-KH/HND", unit)
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.indicator == "new_members")
                .map(|t| t.value)
        }
    };
    // An indicator of the province's own, typed per period, then in the sheet.
    let r = admin
        .post_form(
            "/plans/indicators",
            &[
                ("csrf", &csrf),
                ("code", "Mo Hinh"),
                ("name_vi", "Mô hình"),
                ("measure", "count"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.text().contains("không hợp lệ") && r.text().contains("Mô hình"),
        "typed values kept"
    );
    let r = admin
        .post_form(
            "/plans/indicators",
            &[
                ("csrf", &csrf),
                ("code", "mo_hinh_kinh_te_tap_the"),
                ("name_vi", "Mô hình kinh tế tập thể"),
                ("measure", "count"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = admin.get(r.header("location").unwrap()).await.text();
    assert!(page.contains("Đã thêm chỉ tiêu mo_hinh_kinh_te_tap_the"), "{page}");
    let mut xa4 = f.server.signed_in("xa4").await;
    let page = xa4.get("/plans").await.text();
    assert!(page.contains("Mô hình kinh tế tập thể") && !page.contains("id=\"add-indicator\""));
    // Good cells: saved together.
    let (ct, body) = sheet_form(
        &csrf,
        "Mã đơn vị,Tên đơn vị,new_members,Mô hình kinh tế tập thể\r\n00004,Phường,5,2\r\n00008,Phường,3,\r\n",
    );
    let r = admin
        .request("POST", "/plans/12-KH%2FHND/targets", &[("Content-Type", &ct)], &body)
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = admin.get(r.header("location").unwrap()).await.text();
    assert!(page.contains("Đã lưu 3 chỉ tiêu"), "{page}");
    assert_eq!((target("00004").await, target("00008").await), (Some(5.0), Some(3.0)));
    // One bad cell among good ones: every problem listed, nothing saved.
    let csv = "Mã đơn vị,new_members,không có\r\n00004,9,1\r\n00008,abc,\r\n99999,1,\r\n";
    let (ct, body) = sheet_form(&csrf, csv);
    let r = admin
        .request("POST", "/plans/12-KH%2FHND/targets", &[("Content-Type", &ct)], &body)
        .await;
    assert_eq!(r.status, 422);
    let text = r.text();
    assert!(
        text.contains("không có") && text.contains("abc") && text.contains("99999"),
        "{text}"
    );
    assert_eq!(target("00004").await, Some(5.0), "nothing of the sheet is kept");
    // Handed down again from the plan page, equally: every commune gets
    // one, and the page shows what went down.
    let r = admin
        .post_form(
            "/plans/12-KH%2FHND/split",
            &[
                ("csrf", &csrf),
                ("unit", "01"),
                ("indicator", "new_members"),
                ("by", "equal"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = admin.get(r.header("location").unwrap()).await.text();
    assert!(page.contains("Đã giao chỉ tiêu cho"), "{page}");
    assert_eq!((target("00004").await, target("00008").await), (Some(1.0), Some(1.0)));
    let below = f.server.store.handed_down("12-KH/HND", "01").await.unwrap();
    assert!(page.contains(&format!("({}/{})", below.0, below.0)), "{page}");
    // A commune's officer may not set another commune's target.
    let csrf = csrf_in(&xa4.get("/plans/12-KH%2FHND?unit=00004").await.text());
    let (ct, body) = sheet_form(&csrf, "Mã đơn vị,new_members\r\n00008,7\r\n");
    let r = xa4
        .request("POST", "/plans/12-KH%2FHND/targets", &[("Content-Type", &ct)], &body)
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("00008"));
    assert_eq!(target("00008").await, Some(1.0));
}
