//! A plan's text read into a draft through the real server: a commune
//! uploads a province's plan on `/plans`, reviews it beside the source
//! (each item marked in the text), is told which task still lacks a lead
//! body with everything typed kept, leaves out a phrase read wrongly as a
//! target, and gets its draft plan with the targets and tasks kept, in one
//! audit entry; the next reading remembers the correction. The API reads
//! and writes the same; another commune's unit is refused.

mod common;

use common::{Client, fixture, upload_form};
use hnd_store::{AuditFilter, Store};
use std::collections::BTreeMap;

hnd_store::both_backends!(
    a_commune_reviews_a_plan_read_from_its_text,
    the_api_reads_and_writes_a_draft
);

const PLAN: &str = "HỘI NÔNG DÂN TỈNH\nSố 20-KH/HNDT\nHà Nội, ngày 12 tháng 3 năm 2026\nKẾ HOẠCH\n\
Công tác Hội năm 2026\nI. CHỈ TIÊU\n1. Kết nạp mới từ 7.000 hội viên trở lên.\n\
2. Phấn đấu 95% hội viên tham gia bảo hiểm y tế.\n\
3. Tổ chức từ 4 đến 5 buổi giao lưu văn nghệ của hội viên.\nII. NHIỆM VỤ\n\
1. Rà soát danh sách hội viên. Giao Ban Tổ chức - Kiểm tra chủ trì, phối hợp với Văn phòng; thời gian hoàn thành trong quý II/2026.\n\
2. Tổ chức hội thi nhà nông giỏi; thời gian trong quý III/2026.\n";

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find(';').map(|e| at + e) else {
            break;
        };
        let entity = &rest[at + 1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e => e
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(unescape(&tag[at..at + tag[at..].find('"')?]))
}

/// What the review form sends as the browser would: inputs (checkboxes
/// only when ticked), each select's chosen option, textareas.
fn form_of(page: &str) -> BTreeMap<String, String> {
    let form = &page[page.find("id=\"review\"").expect("the review form")..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut out = BTreeMap::new();
    for part in form.split('<').skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        let spaced = format!(" {tag}");
        if let Some(rest) = spaced.strip_prefix(" input") {
            let Some(name) = attr(rest, "name") else { continue };
            let checkbox = attr(rest, "type").as_deref() == Some("checkbox");
            if checkbox && !rest.contains(" checked") {
                continue;
            }
            let value = attr(rest, "value").unwrap_or_else(|| if checkbox { "on".into() } else { String::new() });
            out.insert(name, value);
        } else if let Some(rest) = spaced.strip_prefix(" textarea") {
            let name = attr(rest, "name").unwrap();
            let text = &part[part.find('>').unwrap() + 1..];
            out.insert(name, unescape(text));
        } else if let Some(rest) = spaced.strip_prefix(" select") {
            let name = attr(rest, "name").unwrap();
            let select = &form[form.find(tag).unwrap()..];
            let select = &select[..select.find("</select>").unwrap()];
            let chosen = select
                .split("<option ")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .or_else(|| select.split("<option ").nth(1))
                .map(|o| attr(&format!(" {o}"), "value").unwrap_or_default())
                .unwrap_or_default();
            out.insert(name, chosen);
        }
    }
    out
}

async fn read(c: &mut Client, unit: &str) -> common::Response {
    let csrf = c.csrf().await;
    let (content_type, body) = upload_form(&[("csrf", &csrf), ("unit", unit)], "ke-hoach.txt", PLAN.as_bytes());
    c.request("POST", "/plans/read", &[("Content-Type", &content_type)], &body)
        .await
}

async fn send(c: &mut Client, form: &BTreeMap<String, String>) -> common::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post_form("/plans/read/create", &pairs).await
}

async fn a_commune_reviews_a_plan_read_from_its_text(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let mut xa8 = f.server.signed_in("xa8").await;
    assert!(
        xa8.get("/plans").await.text().contains("id=\"plan-read\""),
        "the upload form"
    );

    let r = read(&mut xa8, "00008").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    assert!(page.contains("đọc được 3 chỉ tiêu, 2 nhiệm vụ"), "{page}");
    assert!(
        page.contains("<mark id=\"src-t0\"><a href=\"#t0\">Kết nạp mới từ 7.000 hội viên trở lên.</a></mark>"),
        "the target marked in the source, linked to its row"
    );
    let mut form = form_of(&page);
    assert_eq!(form["t0.indicator"], "new_members");
    assert_eq!(form["t0.value"], "7.000");
    assert_eq!(form["t0.comparator"], ">=");
    assert_eq!(form["implements_document"], "20-KH/HNDT");
    assert_eq!(form["implements_date"], "12/03/2026");
    assert_eq!(form["k0.lead"], "Ban Tổ chức - Kiểm tra");
    assert_eq!(form["k1.lead"], "", "no lead read for the second task");

    // As read, the second task has no lead: told, and nothing written.
    form.insert("title".into(), "Kế hoạch thực hiện công tác Hội năm 2026".into());
    let r = send(&mut xa8, &form).await;
    assert_eq!(r.status, 422, "{}", r.text());
    let again = r.text();
    assert!(again.contains("role=\"alert\""), "{again}");
    assert!(
        again.contains("Nhiệm vụ «Tổ chức hội thi nhà nông giỏi"),
        "the task is named: {again}"
    );
    assert!(
        again.contains("Kế hoạch thực hiện công tác Hội năm 2026"),
        "typed values kept"
    );
    assert!(again.contains("<mark id=\"src-t0\">"), "the source kept");
    assert!(store.plans("00008").await.unwrap().is_empty(), "nothing written");

    // The third "target" is no target: said so; the task gets its lead.
    form.remove("t2.keep");
    form.insert("t2.not_target".into(), "on".into());
    form.insert("k1.lead".into(), "Ban Kinh tế - Xã hội".into());
    let before = audit(store).await;
    let r = send(&mut xa8, &form).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let to = r.header("location").unwrap().to_string();
    let number = to.strip_prefix("/plans/").unwrap().replace("%2F", "/");
    let after = audit(store).await;
    assert_eq!(after, before + 1, "one audit entry");
    let plan = store.plan(&number).await.unwrap();
    assert_eq!((plan.status.as_str(), plan.unit.as_str()), ("draft", "00008"));
    let targets = store.targets(&number, "00008").await.unwrap();
    let got: Vec<(&str, &str, f64)> = targets
        .iter()
        .map(|t| (t.indicator.as_str(), t.comparator.as_str(), t.value))
        .collect();
    assert_eq!(
        got,
        vec![("members_bhyt_rate", ">=", 95.0), ("new_members", ">=", 7000.0)]
    );
    let shown = xa8.get(&to).await.text();
    assert!(shown.contains("Rà soát danh sách hội viên") && shown.contains("Tổ chức hội thi nhà nông giỏi"));

    // The next reading remembers: the phrase is no target.
    let page = read(&mut xa8, "00008").await.text();
    let form = form_of(&page);
    assert!(
        form.contains_key("t2.not_target") && !form.contains_key("t2.keep"),
        "{form:?}"
    );
    assert!(form.contains_key("t0.keep"));

    // Another commune's unit is not this officer's to plan for.
    let r = read(&mut xa8, "00004").await;
    assert_eq!(r.status, 403, "{}", r.text());
}

async fn audit(store: &Store) -> usize {
    let filter = AuditFilter {
        limit: 10_000,
        ..Default::default()
    };
    store.audit_entries(&filter).await.unwrap().len()
}

async fn the_api_reads_and_writes_a_draft(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("xa8", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let mut api = f.server.client();
    let headers = [("Authorization", auth.as_str())];
    let r = api
        .request("POST", "/api/v1/plans/read?unit=00008", &headers, PLAN.as_bytes())
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let read = r.json();
    assert_eq!(read["number"], "20-KH/HNDT");
    let range = &read["targets"][2];
    assert_eq!(
        (range["comparator"].as_str(), range["value_max"].as_f64()),
        (Some("range"), Some(5.0))
    );
    let mut review = read["review"].clone();
    review["targets"][2]["skip"] = true.into();
    review["tasks"][1]["lead"] = "Văn phòng".into();
    let json = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let r = api
        .request(
            "POST",
            "/api/v1/plans/from-reading",
            &json,
            review.to_string().as_bytes(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let number = r.json()["number"].as_str().unwrap().to_string();
    assert_eq!(f.server.store.targets(&number, "00008").await.unwrap().len(), 2);
    let r = api
        .request("POST", "/api/v1/plans/read?unit=00008", &headers, b"   ")
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("Tệp trống"), "{}", r.text());
    let r = api
        .request("POST", "/api/v1/plans/read?unit=00004", &headers, PLAN.as_bytes())
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
}
