//! Personal data stays masked in searches and refusals: who may not see
//! a CCCD, a phone or an ethnicity may not find a member by it nor filter
//! on it (list page, JSON API), and a CCCD already in the register names
//! its holder only to who may see them (add form, API, import).

mod common;

use common::{Client, Fixture, enc, fixture};
use hnd_domain::{Cccd, Ethnicity, Phone, Sex};
use hnd_store::{Change, Store};

/// A member of branch 00004-CH01 with a phone and a minority ethnicity
/// (Tày), beside the fixture's Kinh members: (id, CCCD, phone).
async fn lan(f: &Fixture) -> (i64, String, String) {
    let mut p = common::person("Lương Thị Lan", "02/02/1980", Sex::Female, "00004-CH01");
    p.cccd = Some(Cccd::compose("001", 1980, Sex::Female, 4));
    p.phone = Some(Phone::parse("0912345678").unwrap());
    p.ethnicity = Ethnicity::parse("Tày");
    let who = Change::new("kiểm thử", "dữ liệu kiểm thử");
    let id = f
        .server
        .store
        .add_member(&p, common::day("01/02/2026"), false, &who)
        .await
        .unwrap()
        .id;
    (id, p.cccd.unwrap().to_string(), "0912345678".into())
}

async fn api_get(c: &mut Client, path: &str) -> common::Response {
    c.request("GET", path, &[], b"").await
}

hnd_store::both_backends!(
    masked_users_find_no_one_by_personal_data,
    a_taken_cccd_names_its_holder_only_to_who_may_see_them,
);

async fn masked_users_find_no_one_by_personal_data(store: Store) {
    let f = fixture(store).await;
    let (_, cccd, phone) = lan(&f).await;
    let tay = Ethnicity::parse("Tày").unwrap().code().to_string();

    // Who may see personal data finds Lan by her CCCD, her phone and her
    // ethnicity: the searches below are real ones.
    let mut admin = f.server.signed_in("admin").await;
    for query in [format!("q={cccd}"), format!("q={phone}"), format!("ethnicity={tay}")] {
        let page = admin.get(&format!("/members?unit=00004&{query}")).await.text();
        assert!(page.contains("Lương Thị Lan"), "admin, {query}");
        assert!(!page.contains("Nguyễn Thị Hoà"), "admin, {query}: only Lan");
        let api = api_get(&mut admin, &format!("/api/v1/members?unit=00004&{query}")).await;
        assert_eq!(api.status, 200);
        assert_eq!(api.json()["items"].as_array().unwrap().len(), 1, "admin API, {query}");
    }

    // A viewer of the whole country and the branch's own head see personal
    // data masked: a CCCD or phone finds no one, and they are told why.
    for (login, unit) in [("xem", "00004"), ("truong", "00004-CH01")] {
        let mut c = f.server.signed_in(login).await;
        for text in [&cccd, &phone] {
            let page = c.get(&format!("/members?unit={unit}&q={text}")).await;
            assert_eq!(page.status, 200);
            let page = page.text();
            assert!(!page.contains("Lương Thị Lan"), "{login} found Lan by {text}");
            assert!(
                page.contains("số CCCD và số điện thoại là dữ liệu cá nhân"),
                "{login}: {page}"
            );
            let api = api_get(&mut c, &format!("/api/v1/members?unit={unit}&q={text}")).await;
            assert_eq!(api.status, 200);
            assert!(
                api.json()["items"].as_array().unwrap().is_empty(),
                "{login} API by {text}"
            );
        }
        // The ethnicity filter: no control on the page, and one written
        // into the address is ignored with a notice (everyone is listed).
        let page = c.get(&format!("/members?unit={unit}")).await.text();
        assert!(
            !page.contains("id=\"ethnicity\""),
            "{login} is offered the ethnicity filter"
        );
        let page = c.get(&format!("/members?unit={unit}&ethnicity={tay}")).await.text();
        assert!(
            page.contains("Lương Thị Lan") && page.contains("Nguyễn Thị Hoà"),
            "{login}: {page}"
        );
        assert!(
            page.contains("Bộ lọc theo dân tộc không được áp dụng"),
            "{login}: {page}"
        );
        // The API refuses it, naming the parameter; insurance likewise.
        for (param, value) in [("ethnicity", tay.as_str()), ("bhyt", "yes"), ("bhxh", "no")] {
            let api = api_get(&mut c, &format!("/api/v1/members?unit={unit}&{param}={value}")).await;
            assert_eq!(api.status, 403, "{login} {param}: {}", api.text());
            assert_eq!(api.json()["error"]["field"], param);
            assert!(
                api.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("dữ liệu cá nhân")
            );
        }
        // A name still finds her, masked.
        let api = api_get(&mut c, &format!("/api/v1/members?unit={unit}&q={}", enc("luong thi"))).await;
        let items = api.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1, "{login} by name");
        assert_eq!(items[0]["masked"], true);
        assert_ne!(items[0]["cccd"].as_str().unwrap(), cccd);
    }

    // A card number is not personal data: it is still matched.
    let card = f
        .server
        .store
        .member(f.members["Nguyễn Thị Hoà"])
        .await
        .unwrap()
        .card_number
        .unwrap();
    let mut viewer = f.server.signed_in("xem").await;
    let page = viewer.get(&format!("/members?unit=00004&q={card}")).await.text();
    assert!(page.contains("Nguyễn Thị Hoà"), "by card number");
}

/// A new member with Lan's CCCD in branch `unit`, posted by `c` through the
/// add form and through the API: the two refusals' texts.
async fn add_again(c: &mut Client, cccd: &str, unit: &str) -> (String, String) {
    let csrf = c.csrf().await;
    let form = c
        .post_form(
            "/members",
            &[
                ("csrf", &csrf),
                ("full_name", "Người Khác"),
                ("birth", "1980"),
                ("sex", "female"),
                ("cccd", cccd),
                ("unit", unit),
            ],
        )
        .await;
    assert_eq!(form.status, 409, "{}", form.text());
    let body = format!(r#"{{"full_name":"Người Khác","birth":"1980","sex":"female","cccd":"{cccd}","unit":"{unit}"}}"#);
    let headers = [("Content-Type", "application/json"), ("X-CSRF-Token", csrf.as_str())];
    let api = c.request("POST", "/api/v1/members", &headers, body.as_bytes()).await;
    assert_eq!(api.status, 409, "{}", api.text());
    assert_eq!(api.json()["error"]["code"], "duplicate_cccd");
    assert_eq!(api.json()["error"]["field"], "cccd");
    let message = api.json()["error"]["message"].as_str().unwrap().to_string();
    (form.text(), message)
}

async fn a_taken_cccd_names_its_holder_only_to_who_may_see_them(store: Store) {
    let f = fixture(store).await;
    let (lan_id, cccd, _) = lan(&f).await;

    // Her own commune's officer sees her: named, with her number and unit.
    let mut xa4 = f.server.signed_in("xa4").await;
    let (form, api) = add_again(&mut xa4, &cccd, "00004-CH01").await;
    for text in [&form, &api] {
        assert!(text.contains(&format!("hội viên số {lan_id}, Lương Thị Lan")), "{text}");
    }

    // Her branch's head sees her masked: the unit, not who in it.
    let mut truong = f.server.signed_in("truong").await;
    let (form, api) = add_again(&mut truong, &cccd, "00004-CH01").await;
    for text in [&form, &api] {
        assert!(!text.contains("Lương Thị Lan"), "{text}");
        assert!(text.contains("đã có trong sổ hội viên, ở 00004-CH01."), "{text}");
    }

    // Another commune's officer: only that the number is taken, and the
    // province to ask.
    let mut xa8 = f.server.signed_in("xa8").await;
    let (form, api) = add_again(&mut xa8, &cccd, "00008-CH01").await;
    for text in [&form, &api] {
        assert!(!text.contains("Lương Thị Lan"), "{text}");
        assert!(!text.contains("00004-CH01"), "{text}");
        assert!(text.contains("ở một đơn vị thuộc Thành phố Hà Nội"), "{text}");
    }

    // Somebody of her name and birth day, added in another commune: a
    // likely duplicate, counted but not named to who may not see her.
    let csrf = xa8.csrf().await;
    let body = r#"{"full_name":"Lương Thị Lan","birth":"02/02/1980","sex":"female","unit":"00008-CH01"}"#;
    let headers = [("Content-Type", "application/json"), ("X-CSRF-Token", csrf.as_str())];
    let r = xa8.request("POST", "/api/v1/members", &headers, body.as_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["likely_duplicates"], serde_json::json!([]), "{}", r.text());
    assert_eq!(r.json()["likely_duplicates_elsewhere"], 1);
    let body = body.replace("00008-CH01", "00004-CH01");
    let csrf = xa4.csrf().await;
    let headers = [("Content-Type", "application/json"), ("X-CSRF-Token", csrf.as_str())];
    let r = xa4.request("POST", "/api/v1/members", &headers, body.as_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let named = r.json()["likely_duplicates"].as_array().unwrap().clone();
    assert!(named.iter().any(|d| d["id"] == lan_id), "{}", r.text());

    // The same in an import's row errors; a row for a unit outside the
    // officer's commune is refused there as well.
    let boundary = "hndboundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\
         Content-Type: text/csv\r\n\r\nHọ và tên,Ngày sinh,Giới tính,Số CCCD,\"Mã chi hội, tổ hội\"\r\n\
         Người Khác,1980,Nữ,{cccd},00008-CH01\r\nNgười Ngoài,1981,Nữ,,00004-CH01\r\n\
         --{boundary}--\r\n",
        csrf = xa8.csrf().await
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let r = xa8
        .request("POST", "/import", &[("Content-Type", &content_type)], body.as_bytes())
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let job = r.header("location").unwrap().to_string();
    let mut page = String::new();
    for _ in 0..400 {
        page = xa8.get(&job).await.text();
        if page.contains("id=\"summary\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let errors = xa8.get(&format!("{job}/errors.csv")).await.text();
    for text in [&page, &errors] {
        assert!(text.contains("ở một đơn vị thuộc Thành phố Hà Nội"), "{text}");
        assert!(!text.contains("Lương Thị Lan"), "{text}");
    }
    assert!(errors.contains("Người Ngoài"), "the row outside the commune: {errors}");
}
