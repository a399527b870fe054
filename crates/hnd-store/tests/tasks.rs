//! Who sees which tasks, on both backends: access decided in the query
//! before its limit, the rule for reading a plan's tasks, and bodies that
//! groups of bodies include.

use hnd_domain::{Day, Principal, Role};
use hnd_store::{Change, NewPlan, Store};

hnd_store::both_backends!(
    the_task_list_filters_access_before_its_limit,
    a_department_sees_and_reports_on_tasks_given_to_its_group,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("cán bộ tỉnh", "kế hoạch")
}

async fn plan(store: &Store, number: &str, unit: &str, issued: &str) -> String {
    let plan = NewPlan {
        number: Some(number.into()),
        title: format!("Kế hoạch {number}"),
        unit: unit.into(),
        issued_on: d(issued),
        first_year: 2026,
        last_year: 2026,
        kind: hnd_domain::plan::PlanKind::Plan,
        implements: None,
        implement_by: None,
    };
    store.create_plan(&plan, &who()).await.unwrap()
}

async fn task(store: &Store, plan: &str, title: &str, lead: &str) -> i64 {
    store
        .add_task(
            plan,
            &hnd_store::testing::task(title, "UBND tỉnh", lead, "", "Thường xuyên"),
            &who(),
        )
        .await
        .unwrap()
}

async fn user(store: &Store, login: &str, role: Role, unit: &str) -> Principal {
    store.create_user(login, login, "mat-khau-kiem-thu").await.unwrap();
    store.grant(login, role, unit, "kiểm thử").await.unwrap();
    store.principal_by_login(login).await.unwrap()
}

async fn the_task_list_filters_access_before_its_limit(store: Store) {
    store.bootstrap(false, &who()).await.unwrap();
    let today = Day::today();
    // Another province's plan, newer, with more tasks than the list shows.
    let far = plan(&store, "9-KH/51", "51", "01/06/2026").await;
    for i in 0..8 {
        task(&store, &far, &format!("Việc của tỉnh khác {i}"), "Sở Tư pháp").await;
    }
    let province = plan(&store, "1-KH/01", "01", "01/01/2026").await;
    let ours = task(&store, &province, "Việc của tỉnh", "Sở Tư pháp").await;
    let commune = plan(&store, "2-KH/00004", "00004", "02/01/2026").await;
    let communes = task(&store, &commune, "Việc của xã 00004", "").await;
    let neighbour = plan(&store, "3-KH/00008", "00008", "03/01/2026").await;
    let neighbours = task(&store, &neighbour, "Việc của xã 00008", "").await;

    let limit = 5;
    let ids = |tasks: Vec<hnd_store::Task>| tasks.into_iter().map(|t| t.id).collect::<Vec<_>>();
    // A commune officer: their commune's plan and the province's above it,
    // though eight newer tasks of another province come first in the order.
    let xa = user(&store, "xa4", Role::CommuneOfficer, "00004").await;
    let mut seen = ids(store.visible_tasks(&xa, today, limit).await.unwrap());
    seen.sort();
    assert_eq!(seen, [ours, communes]);
    // The province's viewer: the province's plan and every commune's below it.
    let tinh = user(&store, "xem01", Role::Viewer, "01").await;
    let mut seen = ids(store.visible_tasks(&tinh, today, limit).await.unwrap());
    seen.sort();
    assert_eq!(seen, [ours, communes, neighbours]);
    // The query and the rule for one task agree, task by task.
    let all = store.all_tasks(None, today, 100).await.unwrap();
    assert_eq!(all.len(), 11);
    for u in [&xa, &tinh] {
        let listed = ids(store.visible_tasks(u, today, 100).await.unwrap());
        for t in &all {
            assert_eq!(
                listed.contains(&t.id),
                t.plan_readable_by(u),
                "{} task {}",
                u.login,
                t.title
            );
        }
    }
    // Nobody's account sees nothing.
    store.create_user("none", "none", "mat-khau-kiem-thu").await.unwrap();
    let none = store.principal_by_login("none").await.unwrap();
    assert!(store.visible_tasks(&none, today, limit).await.unwrap().is_empty());
}

async fn a_department_sees_and_reports_on_tasks_given_to_its_group(store: Store) {
    store.bootstrap(false, &who()).await.unwrap();
    let today = Day::today();
    let p = plan(&store, "115-CTr/TU", "01", "01/01/2026").await;
    // A department named before the group, the group, a department after it.
    let finance = task(&store, &p, "Bố trí kinh phí", "Sở Tài chính").await;
    let group = task(&store, &p, "Phối hợp tuyên truyền", "Các sở, ban, ngành cấp tỉnh").await;
    let farming = task(
        &store,
        &p,
        "Chuyển đổi cơ cấu cây trồng",
        "Sở Nông nghiệp và Phát triển nông thôn",
    )
    .await;
    let council = task(
        &store,
        &p,
        "Chỉ đạo chung",
        "UBND tỉnh; Ban Thường vụ Hội Nông dân tỉnh",
    )
    .await;
    for (login, body) in [
        ("so.nongnghiep", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("so.taichinh", "Sở Tài chính"),
        ("ubnd", "UBND tỉnh"),
    ] {
        store.create_user(login, body, "mat-khau-kiem-thu").await.unwrap();
        store.set_user_body(login, body).await.unwrap();
    }
    let seen = |login: &'static str| {
        let store = &store;
        async move {
            let u = store.principal_by_login(login).await.unwrap();
            let mut ids: Vec<i64> = store
                .visible_tasks(&u, today, 100)
                .await
                .unwrap()
                .into_iter()
                .map(|t| t.id)
                .collect();
            ids.sort();
            ids
        }
    };
    assert_eq!(seen("so.nongnghiep").await, [group, farming]);
    assert_eq!(seen("so.taichinh").await, [finance, group]);
    assert_eq!(seen("ubnd").await, [council], "not a department");
    let nn = store.principal_by_login("so.nongnghiep").await.unwrap();
    let details = store.task(group, today).await.unwrap();
    assert!(details.may_read(&nn) && details.may_report(&nn));
    let groups = store.body_groups().await.unwrap();
    assert_eq!(groups[&nn.body.as_ref().unwrap().id], ["Các sở, ban, ngành cấp tỉnh"]);
    // The operator corrects what a name says.
    store
        .set_body_group("Các sở, ban, ngành cấp tỉnh", "Sở Tài chính", false)
        .await
        .unwrap();
    assert_eq!(seen("so.taichinh").await, [finance]);
    store
        .set_body_group("các sở, ban, ngành cấp tỉnh", "UBND tỉnh", true)
        .await
        .unwrap();
    assert_eq!(seen("ubnd").await, [group, council]);
    let ubnd = store.principal_by_login("ubnd").await.unwrap();
    assert!(store.task(group, today).await.unwrap().may_report(&ubnd));
}
