//! Tasks written by users through the real server: the city adds a task
//! to its plan on the web, choosing coordinating bodies from its list and
//! typing a new one (which joins the list), is told in Vietnamese which
//! deadlines are read, gives the task to two communes, each of which
//! reports on its own copy; a change reaches the copies. The API adds,
//! changes and gives tasks the same way.

mod common;

use common::{Client, enc, fixture};
use hnd_domain::Day;
use hnd_store::Store;

hnd_store::both_backends!(a_city_writes_a_task_and_gives_it_to_communes, the_api_writes_tasks);

const PLAN: &str = "/plans/12-KH%2FHND";

/// The task's id from the redirect to its page.
fn task_of(r: &common::Response) -> i64 {
    assert_eq!(r.status, 303, "{}", r.text());
    let to = r.header("location").unwrap();
    to.strip_prefix("/tasks/").unwrap().parse().unwrap()
}

/// Reports on task `id` from its page's form.
async fn report(c: &mut Client, id: i64, status: &str, note: &str) -> common::Response {
    let csrf = c.csrf().await;
    let boundary = "hndtaskboundary";
    let mut body = String::new();
    for (name, value) in [("csrf", csrf.as_str()), ("status", status), ("note", note)] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let ct = format!("multipart/form-data; boundary={boundary}");
    c.request(
        "POST",
        &format!("/tasks/{id}"),
        &[("Content-Type", &ct)],
        body.as_bytes(),
    )
    .await
}

async fn a_city_writes_a_task_and_gives_it_to_communes(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let today = Day::today();
    let mut admin = f.server.signed_in("admin").await;
    // The plan's page offers a new task; the form lists the city's bodies.
    let plan = admin.get(PLAN).await.text();
    assert!(plan.contains("id=\"new-task\""), "{plan}");
    let form = admin.get(&format!("{PLAN}/tasks/new")).await;
    assert_eq!(form.status, 200);
    let form = form.text();
    for body in [
        "Sở Nông nghiệp và Môi trường",
        "Hội Nông dân thành phố",
        "UBND thành phố",
    ] {
        assert!(form.contains(&format!("value=\"{body}\"")), "{body} offered: {form}");
    }
    let csrf = admin.csrf().await;
    let fields = |deadline: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "Vận động hội viên tham gia BHYT hộ gia đình".to_string()),
            ("directing", "UBND thành phố".into()),
            ("lead", "Hội Nông dân thành phố".into()),
            ("coordinating", "Sở Nông nghiệp và Môi trường".into()),
            ("coordinating_other", "Bảo hiểm xã hội thành phố".into()),
            ("deadline", deadline.into()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        common::form(&pairs)
    };
    let form_type = [("Content-Type", "application/x-www-form-urlencoded")];
    // A deadline no plan writes: told which forms are read, what was typed kept.
    let r = admin
        .request(
            "POST",
            &format!("{PLAN}/tasks"),
            &form_type,
            post(fields("cuối năm")).as_bytes(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("Thời hạn &quot;cuối năm&quot; không hiểu được")
            || page.contains("Thời hạn &#34;cuối năm&#34; không hiểu được"),
        "{page}"
    );
    assert!(
        page.contains("quý I–IV/YYYY") && page.contains("Bảo hiểm xã hội thành phố"),
        "{page}"
    );
    assert!(
        store.tasks("12-KH/HND", today).await.unwrap().len() == 1,
        "nothing saved"
    );
    let r = admin
        .request(
            "POST",
            &format!("{PLAN}/tasks"),
            &form_type,
            post(fields("quý II/2026")).as_bytes(),
        )
        .await;
    let id = task_of(&r);
    let page = admin.get(&format!("/tasks/{id}")).await.text();
    assert!(page.contains("Vận động hội viên tham gia BHYT hộ gia đình") && page.contains("quý II/2026"));
    assert!(
        page.contains("Bảo hiểm xã hội thành phố; Sở Nông nghiệp và Môi trường"),
        "{page}"
    );
    // The body typed joined the city's list.
    let form = admin.get(&format!("{PLAN}/tasks/new")).await.text();
    assert!(form.contains("value=\"Bảo hiểm xã hội thành phố\""), "{form}");

    // Given to two communes from the task's page.
    assert!(page.contains("id=\"assign-form\""), "{page}");
    let r = admin
        .post_form(
            &format!("/tasks/{id}/assign"),
            &[("csrf", &csrf), ("unit", "00004"), ("unit", "00008")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = admin.get(r.header("location").unwrap()).await.text();
    assert!(page.contains("Đã giao nhiệm vụ cho 2 đơn vị"), "{page}");
    let copies = store.task(id, today).await.unwrap().copies;
    assert_eq!(
        copies.iter().map(|c| c.unit.as_str()).collect::<Vec<_>>(),
        ["00004", "00008"]
    );
    let (xa4_copy, xa8_copy) = (copies[0].id, copies[1].id);

    // Each commune reports on its own copy, not on the other's nor the city's.
    let mut xa4 = f.server.signed_in("xa4").await;
    let mine = xa4.get(&format!("/tasks/{xa4_copy}")).await.text();
    assert!(mine.contains("id=\"send-report\""), "{mine}");
    let r = report(&mut xa4, xa4_copy, "done", "Đã vận động 30 hộ").await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        report(&mut xa4, xa8_copy, "done", "Không phải của xã").await.status,
        403
    );
    assert_eq!(report(&mut xa4, id, "done", "Không phải của xã").await.status, 403);
    let city = admin.get(&format!("/tasks/{id}")).await.text();
    let at = city.find("id=\"copies\"").expect("the copies listed");
    let copies_table = &city[at..at + city[at..].find("</table>").unwrap()];
    assert!(
        copies_table.contains("Hoàn thành") && copies_table.contains("Chưa thực hiện"),
        "{copies_table}"
    );
    assert_eq!(
        store.task(id, today).await.unwrap().task.status,
        "open",
        "the city's own is its own"
    );
    // A commune sees its copy in its list, not the other commune's.
    let list = xa4.get("/tasks").await.text();
    assert!(list.contains(&format!("/tasks/{xa4_copy}\"")) && !list.contains(&format!("/tasks/{xa8_copy}\"")));

    // Changed on the web: the copies follow; a copy is not changed itself.
    let mut changed = fields("tháng 9/2026");
    changed.retain(|(k, _)| *k != "coordinating_other");
    let r = admin
        .request(
            "POST",
            &format!("/tasks/{id}/edit"),
            &form_type,
            post(changed.clone()).as_bytes(),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let copy = store.task(xa8_copy, today).await.unwrap().task;
    assert_eq!(copy.deadline, "tháng 9/2026");
    assert_eq!(copy.coordinating, "Sở Nông nghiệp và Môi trường");
    let r = admin
        .request(
            "POST",
            &format!("/tasks/{xa8_copy}/edit"),
            &form_type,
            post(changed).as_bytes(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("nhiệm vụ gốc"), "{}", r.text());
}

async fn the_api_writes_tasks(store: Store) {
    let f = fixture(store).await;
    let token = f.server.store.create_api_token("admin", "kiểm thử").await.unwrap();
    let auth = format!("Bearer {token}");
    let json = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let mut api = f.server.client();
    let at = format!("/api/v1/plans/{}/tasks", enc("12-KH/HND").replace('/', "%2F"));
    let body = r#"{"title":"Tập huấn chuyển đổi số","directing":"UBND thành phố","lead":"Hội Nông dân thành phố",
        "coordinating":["Sở Khoa học và Công nghệ","Sở Nông nghiệp và Môi trường"],"deadline":"năm 2027","unit":"00004"}"#;
    let r = api.request("POST", &at, &json, body.as_bytes()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let task = &r.json()["task"]["task"];
    assert_eq!(
        (task["unit"].as_str(), task["deadline"].as_str()),
        (Some("00004"), Some("năm 2027"))
    );
    assert_eq!(
        task["coordinating"],
        "Sở Khoa học và Công nghệ; Sở Nông nghiệp và Môi trường"
    );
    // A bad deadline is refused on its field, in Vietnamese.
    let bad = r#"{"title":"Việc","lead":"Hội Nông dân thành phố","deadline":"sớm"}"#;
    let r = api.request("POST", &at, &json, bad.as_bytes()).await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error"]["field"], "deadline");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("hằng năm trước ngày dd/mm")
    );
    // Changed: the fields sent replace, the others stay.
    let r = api
        .request(
            "PUT",
            &format!("/api/v1/tasks/{id}"),
            &json,
            r#"{"deadline":"quý IV/2026"}"#.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["task"]["deadline"], "quý IV/2026");
    assert_eq!(r.json()["task"]["title"], "Tập huấn chuyển đổi số");
    // Given to the commune's branch; not to a unit outside the commune.
    let assign = format!("/api/v1/tasks/{id}/assignments");
    let r = api
        .request("POST", &assign, &json, br#"{"units":["00004-CH01"]}"#)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["copies"][0]["unit"], "00004-CH01");
    let r = api
        .request("POST", &assign, &json, br#"{"units":["00008-CH01"]}"#)
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error"]["field"], "units");
    let r = api.request("GET", &format!("/api/v1/tasks/{id}"), &json, b"").await;
    assert_eq!(r.json()["copies"].as_array().unwrap().len(), 1);
    // The city's list of bodies now holds the ones the task named.
    let r = api.request("GET", "/api/v1/plans/12-KH%2FHND/bodies", &json, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let listed = r.json()["bodies"].clone();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b == "Sở Khoa học và Công nghệ"),
        "{listed}"
    );
}
