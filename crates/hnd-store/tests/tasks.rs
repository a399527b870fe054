//! Who sees which tasks, on both backends: access decided in the query
//! before its limit, the rule for reading a plan's tasks, and bodies that
//! groups of bodies include.

use hnd_domain::{Day, Principal, Role};
use hnd_store::{Change, NewPlan, Store};

hnd_store::both_backends!(
    the_task_list_filters_access_before_its_limit,
    a_department_sees_and_reports_on_tasks_given_to_its_group,
    a_task_given_to_units_below_is_reported_on_copy_by_copy,
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
    let communes = task(&store, &commune, "Việc của xã 00004", "Chi hội Nông dân").await;
    let neighbour = plan(&store, "3-KH/00008", "00008", "03/01/2026").await;
    let neighbours = task(&store, &neighbour, "Việc của xã 00008", "Chi hội Nông dân").await;

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

async fn a_task_given_to_units_below_is_reported_on_copy_by_copy(store: Store) {
    use hnd_domain::PlanError;
    use hnd_store::{NewTask, StoreError};
    let plan_error = |e: StoreError| match e {
        StoreError::Plan(e) => e,
        other => panic!("expected a plan rule, got {other:?}"),
    };
    store.bootstrap(false, &who()).await.unwrap();
    let today = Day::today();
    let p = plan(&store, "5-KH/01", "01", "01/01/2026").await;
    let other = plan(&store, "6-KH/51", "51", "01/01/2026").await;
    task(&store, &other, "Việc của tỉnh khác", "Sở Ngoại vụ").await;
    let text = |unit: &str| NewTask {
        unit: unit.into(),
        ..hnd_store::testing::task(
            "Vận động hội viên tham gia BHYT",
            "Ban Thường vụ",
            "Hội Nông dân tỉnh",
            "Bảo hiểm xã hội tỉnh; Sở Y tế",
            "quý II/2026",
        )
    };
    // Owned by the plan's unit unless it names one below; never outside.
    let root = store.add_task(&p, &text(""), &who()).await.unwrap();
    let owned = store.add_task(&p, &text("00004"), &who()).await.unwrap();
    assert_eq!(store.task(root, today).await.unwrap().task.unit, "01");
    assert_eq!(store.task(owned, today).await.unwrap().task.unit, "00004");
    let e = store.add_task(&p, &text("51"), &who()).await.unwrap_err();
    assert!(matches!(plan_error(e), PlanError::OutsidePlan { .. }));
    // The province's list of bodies holds what its plans named, the
    // directing body too; another province's stays its own.
    let listed = store.plan_bodies(&p).await.unwrap();
    assert_eq!(
        listed,
        ["Ban Thường vụ", "Bảo hiểm xã hội tỉnh", "Hội Nông dân tỉnh", "Sở Y tế"]
    );
    assert_eq!(store.plan_bodies(&other).await.unwrap(), ["Sở Ngoại vụ", "UBND tỉnh"]);

    // Given to two communes: a copy each; given again, the copy stays.
    let given = store
        .assign_task(root, &["00004".into(), "00008".into()], &who())
        .await
        .unwrap();
    let (xa4, xa8) = (given[0].1, given[1].1);
    let again = store.assign_task(root, &["00004".into()], &who()).await.unwrap();
    assert_eq!(again, [("00004".to_string(), xa4)]);
    for (task, unit) in [(root, "51"), (root, "01"), (xa4, "00008")] {
        let e = store.assign_task(task, &[unit.into()], &who()).await.unwrap_err();
        assert!(matches!(plan_error(e), PlanError::NotBelowTask { .. }), "{unit}");
    }
    let listed: Vec<i64> = store.tasks(&p, today).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(listed, [root, owned], "the plan lists its own tasks, not the copies");

    // Each commune reports on its own copy; the province's task is its own.
    let officer = user(&store, "xa4", Role::CommuneOfficer, "00004").await;
    let copy = store.task(xa4, today).await.unwrap();
    assert_eq!((copy.task.unit.as_str(), copy.task.origin), ("00004", Some(root)));
    assert!(copy.may_report(&officer));
    assert!(!store.task(xa8, today).await.unwrap().may_report(&officer));
    assert!(!store.task(root, today).await.unwrap().may_report(&officer));
    let note = Change::new("cán bộ xã", "báo cáo");
    store
        .report_task(xa4, "done", "Đã vận động 40 hội viên", Vec::new(), today, &note)
        .await
        .unwrap();
    let province = store.task(root, today).await.unwrap();
    assert_eq!(province.task.status, "open");
    let copies: Vec<_> = province
        .copies
        .iter()
        .map(|c| (c.unit.as_str(), c.status.as_str()))
        .collect();
    assert_eq!(copies, [("00004", "done"), ("00008", "open")]);
    let mut seen: Vec<i64> = (store.visible_tasks(&officer, today, 100).await.unwrap())
        .into_iter()
        .map(|t| t.id)
        .collect();
    seen.sort();
    assert_eq!(seen, [root, owned, xa4], "not the other commune's copy");

    // A change of the task reaches its copies; a copy is changed only
    // through it, and a task given below keeps its unit.
    let changed = NewTask {
        deadline: "tháng 9/2026".into(),
        ..text("")
    };
    store.edit_task(root, &changed, &who()).await.unwrap();
    assert_eq!(store.task(xa8, today).await.unwrap().task.deadline, "tháng 9/2026");
    let e = store.edit_task(xa8, &changed, &who()).await.unwrap_err();
    assert!(matches!(plan_error(e), PlanError::TaskIsCopy { .. }));
    let e = store.edit_task(root, &text("00004"), &who()).await.unwrap_err();
    assert!(matches!(plan_error(e), PlanError::TaskHasCopies { .. }));
    let e = store
        .edit_task(
            owned,
            &NewTask {
                deadline: "quý V/2026".into(),
                ..text("00004")
            },
            &who(),
        )
        .await
        .unwrap_err();
    assert!(matches!(plan_error(e), PlanError::BadDeadline { .. }));
}
