//! Plans, targets handed down the tree, tasks, and progress from the
//! register, on both backends.

use hnd_domain::plan::{Comparator, Period};
use hnd_domain::{Cccd, Day, PlanError, Sex};
use hnd_store::testing::{branch, person};
use hnd_store::{Change, NewPlan, Split, Store, StoreError};

hnd_store::both_backends!(
    targets_cascade_and_progress_follows_the_register,
    bad_targets_and_deadlines_are_refused,
    tasks_are_reported_on_by_their_bodies
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("cán bộ tỉnh", "kế hoạch")
}

fn plan_error(e: StoreError) -> PlanError {
    match e {
        StoreError::Plan(e) => e,
        other => panic!("expected a plan rule, got {other:?}"),
    }
}

/// Province 01 with two communes, a branch each, and members admitted in 2026.
async fn setup(store: &Store) -> String {
    store.bootstrap(false, &who()).await.unwrap();
    let units = vec![
        branch("00004-A", "Chi hội A", "00004"),
        branch("00008-B", "Chi hội B", "00008"),
    ];
    store
        .create_units(units, d("01/01/2026"), &who(), "create")
        .await
        .unwrap();
    for (i, unit) in ["00004-A", "00004-A", "00004-A", "00008-B"].iter().enumerate() {
        let mut p = person(&format!("Hội viên {i}"), "1970", Sex::Male, unit);
        p.cccd = Some(Cccd::compose("001", 1970, Sex::Male, i as u32 + 1));
        let id = store.add_member(&p, d("01/02/2026"), false, &who()).await.unwrap().id;
        store.admit(id, d("01/03/2026"), "1-QĐ", &who()).await.unwrap();
    }
    let plan = NewPlan {
        number: None,
        title: "Kế hoạch thực hiện Nghị quyết 46-NQ/TW".into(),
        unit: "01".into(),
        issued_on: d("15/01/2026"),
        first_year: 2026,
        last_year: 2030,
        kind: hnd_domain::plan::PlanKind::Plan,
        implements: None,
        implement_by: None,
    };
    store.create_plan(&plan, &who()).await.unwrap()
}

async fn targets_cascade_and_progress_follows_the_register(store: Store) {
    let number = setup(&store).await;
    assert_eq!(number, "1-KH/HNDT.01.2026", "a plan without a number gets one");
    let listed = store.plans("01").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].unit, "01");
    store
        .set_target(&number, "01", "new_members", Comparator::AtLeast, 10.0, &who())
        .await
        .unwrap();
    store
        .set_target(&number, "01", "members_bhyt_rate", Comparator::AtLeast, 95.0, &who())
        .await
        .unwrap();

    // In proportion to members (3 in 00004, 1 in 00008, none elsewhere):
    // rounded up, so the sum may pass the parent's target.
    let split = store
        .split_target(&number, "01", "new_members", Split::ByMembers(d("01/04/2026")), &who())
        .await
        .unwrap();
    assert_eq!(split.parent, 10.0);
    let t4 = store.targets(&number, "00004").await.unwrap();
    let t8 = store.targets(&number, "00008").await.unwrap();
    assert_eq!((t4[0].value, t8[0].value), (8.0, 3.0));
    assert!(split.sum >= split.parent, "{split:?}");
    // A percentage goes down unchanged; an equal split gives each the same.
    store
        .split_target(&number, "01", "members_bhyt_rate", Split::Equal, &who())
        .await
        .unwrap();
    let t4 = store.targets(&number, "00004").await.unwrap();
    assert!(t4.iter().any(|t| t.indicator == "members_bhyt_rate" && t.value == 95.0));
    // In proportion to households: one household (in 00004), so 00004 is
    // given the whole target and 00008 nothing; the sum and the units
    // given a target are there to compare with the parent's.
    let head = store.search_members("hoi vien 0", None, 1).await.unwrap()[0].id;
    store.create_household(head, None, &who()).await.unwrap();
    store
        .split_target(
            &number,
            "01",
            "new_members",
            Split::ByHouseholds(d("01/04/2026")),
            &who(),
        )
        .await
        .unwrap();
    let value = |unit: &'static str| {
        let store = store.clone();
        let number = number.clone();
        async move {
            store
                .targets(&number, unit)
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.indicator == "new_members")
                .unwrap()
                .value
        }
    };
    assert_eq!((value("00004").await, value("00008").await), (10.0, 0.0));
    let (below, handed) = store.handed_down(&number, "01").await.unwrap();
    assert_eq!(
        handed["new_members"],
        (below as i64, 10.0),
        "every unit below has one, summing to the parent's"
    );
    store
        .split_target(&number, "01", "new_members", Split::ByMembers(d("01/04/2026")), &who())
        .await
        .unwrap();

    // Progress: admissions of 2026 counted from the register …
    let year = Period::Year { year: 2026 };
    let rows = store.progress(&number, "00004", year).await.unwrap();
    let new = rows.iter().find(|r| r.indicator == "new_members").unwrap();
    assert_eq!((new.target, new.actual, new.met), (8.0, Some(3.0), Some(false)));
    let bhyt = rows.iter().find(|r| r.indicator == "members_bhyt_rate").unwrap();
    assert_eq!(bhyt.actual, None, "not in the register yet");
    // … and a new admission shows at once.
    let mut p = person("Hội viên mới", "1980", Sex::Female, "00004-A");
    p.cccd = Some(Cccd::compose("001", 1980, Sex::Female, 9));
    let id = store.add_member(&p, d("01/05/2026"), false, &who()).await.unwrap().id;
    store.admit(id, d("02/05/2026"), "2-QĐ", &who()).await.unwrap();
    let rows = store.progress(&number, "00004", year).await.unwrap();
    let new = rows.iter().find(|r| r.indicator == "new_members").unwrap();
    assert_eq!(new.actual, Some(4.0));
    // The province rolls up its subtree.
    let rows = store.progress(&number, "01", year).await.unwrap();
    let new = rows.iter().find(|r| r.indicator == "new_members").unwrap();
    assert_eq!(new.actual, Some(5.0));

    // Figures the register cannot know are entered per unit and period and
    // roll up; ratios and coverage are computed from them.
    let who = who();
    store
        .enter_value("00004", "members_bhyt", year, 3.0, &who)
        .await
        .unwrap();
    store
        .enter_value("00008", "members_bhyt", year, 1.0, &who)
        .await
        .unwrap();
    assert_eq!(store.figure("01", "members_bhyt", year).await.unwrap(), Some(4.0));
    // 4 insured among the 5 members of the province.
    assert_eq!(store.figure("01", "members_bhyt_rate", year).await.unwrap(), Some(80.0));
    assert_eq!(
        store.figure("00004", "members_bhyt_rate", year).await.unwrap(),
        Some(75.0)
    );
    assert_eq!(
        store.figure("01", "environment_models", year).await.unwrap(),
        None,
        "nothing entered"
    );
    store
        .enter_value("00004", "environment_models", year, 2.0, &who)
        .await
        .unwrap();
    let coverage = store.figure("01", "environment_coverage", year).await.unwrap().unwrap();
    let bases = store
        .subtree_counts(&store.unit("01", d("01/04/2026")).await.unwrap().unit, d("01/04/2026"))
        .await
        .unwrap();
    let expected = 100.0 / bases.get(hnd_domain::Level::Base) as f64;
    assert!(
        (coverage - expected).abs() < 1e-9,
        "one base of the province: {coverage}"
    );
    let e = store.enter_value("00004", "new_members", year, 3.0, &who).await;
    assert!(
        matches!(plan_error(e.unwrap_err()), PlanError::NotEntered { .. }),
        "counted, not typed"
    );
    // Departures counted from the register.
    store.end_membership(id, d("10/05/2026"), false, &who).await.unwrap();
    assert_eq!(store.figure("01", "members_left", year).await.unwrap(), Some(1.0));
    assert_eq!(store.figure("01", "members", year).await.unwrap(), Some(4.0));
    // Women and ethnic-minority members: none among the four men, then a
    // Tày woman admitted (the woman who left is no longer counted).
    assert_eq!(store.figure("01", "women_members", year).await.unwrap(), Some(0.0));
    let mut p = person("Hoàng Thị Mai", "1979", Sex::Female, "00008-B");
    p.cccd = Some(Cccd::compose("001", 1979, Sex::Female, 10));
    p.ethnicity = hnd_domain::Ethnicity::parse("Tày");
    let mai = store.add_member(&p, d("01/05/2026"), false, &who).await.unwrap().id;
    store.admit(mai, d("03/05/2026"), "3-QĐ", &who).await.unwrap();
    assert_eq!(store.figure("01", "women_members", year).await.unwrap(), Some(1.0));
    assert_eq!(
        store.figure("01", "ethnic_minority_members", year).await.unwrap(),
        Some(1.0)
    );
    assert_eq!(store.figure("00004", "women_members", year).await.unwrap(), Some(0.0));
    assert_eq!(
        store.figure("00008", "ethnic_minority_members", year).await.unwrap(),
        Some(1.0)
    );
    // Users add indicators: checked, then usable like the catalogue's.
    let new = |code: &str, ratio: Option<(&str, &str)>| hnd_store::NewIndicator {
        code: code.into(),
        name_vi: "Mô hình kinh tế".into(),
        name_en: String::new(),
        measure: if ratio.is_some() { "percent" } else { "count" }.into(),
        ratio: ratio.map(|(n, d)| (n.into(), d.into())),
    };
    for (bad, expected) in [("Mo hinh", "code"), ("members", "exists"), ("mo_hinh_x", "ratio")] {
        let ratio = (expected == "ratio").then_some(("khong_co", "members"));
        let e = plan_error(store.add_indicator(&new(bad, ratio), &who).await.unwrap_err());
        let ok = match expected {
            "code" => matches!(e, PlanError::BadIndicatorCode { .. }),
            "exists" => matches!(e, PlanError::IndicatorExists { .. }),
            _ => matches!(e, PlanError::UnknownIndicator { .. }),
        };
        assert!(ok, "{bad}: {e:?}");
    }
    store.add_indicator(&new("mo_hinh_kinh_te", None), &who).await.unwrap();
    store
        .add_indicator(&new("mo_hinh_moi_hoi_vien", Some(("mo_hinh_kinh_te", "members"))), &who)
        .await
        .unwrap();
    let e = store.add_indicator(&new("mo_hinh_kinh_te", None), &who).await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::IndicatorExists { .. }));
    store
        .set_target(&number, "01", "mo_hinh_kinh_te", Comparator::AtLeast, 3.0, &who)
        .await
        .unwrap();
    store
        .enter_value("00004", "mo_hinh_kinh_te", year, 2.0, &who)
        .await
        .unwrap();
    assert_eq!(store.figure("01", "mo_hinh_kinh_te", year).await.unwrap(), Some(2.0));
    // Two models among the five members.
    assert_eq!(
        store.figure("01", "mo_hinh_moi_hoi_vien", year).await.unwrap(),
        Some(40.0)
    );
    // A professional group founded this year.
    let mut group = branch("00004-A-N1", "Tổ hội nghề trồng rau", "00004-A");
    group.level = hnd_domain::Level::Group;
    group.kind = Some(hnd_domain::Kind::Professional);
    group.trade = Some("trồng rau".into());
    store
        .create_units(vec![group], d("01/06/2026"), &who, "create")
        .await
        .unwrap();
    assert_eq!(
        store.figure("01", "professional_groups_new", year).await.unwrap(),
        Some(1.0)
    );

    // The national table agrees with the figures read unit by unit.
    let national = store.national_figures(year).await.unwrap();
    assert_eq!(national.len(), 34 * hnd_domain::plan::all_indicators().len());
    for (province, code, value) in national.iter().filter(|r| r.0 == "01" || r.0 == "51") {
        assert_eq!(
            *value,
            store.figure(province, code, year).await.unwrap(),
            "{province} {code}"
        );
    }

    // Tasks in the forms of the seeds; lateness.
    store
        .add_task(
            &number,
            &hnd_store::testing::task(
                "Quán triệt Nghị quyết",
                "Ban Thường vụ Tỉnh ủy",
                "Ban Tuyên giáo",
                "",
                "Hoàn thành trong quý II/2024",
            ),
            &who,
        )
        .await
        .unwrap();
    store
        .add_task(
            &number,
            &hnd_store::testing::task(
                "Báo cáo kết quả",
                "Ban Thường vụ",
                "Hội Nông dân tỉnh",
                "Sở Nông nghiệp",
                "trước ngày 15/11 hằng năm",
            ),
            &who,
        )
        .await
        .unwrap();
    store
        .add_task(
            &number,
            &hnd_store::testing::task("Tuyên truyền", "", "Hội Nông dân tỉnh", "", "Thường xuyên"),
            &who,
        )
        .await
        .unwrap();
    let tasks = store.tasks(&number, d("20/11/2026")).await.unwrap();
    assert_eq!(tasks.iter().map(|t| t.overdue).collect::<Vec<_>>(), [true, true, false]);
    let tasks = store.tasks(&number, d("01/03/2024")).await.unwrap();
    assert!(!tasks[0].overdue && !tasks[1].overdue);
}

async fn bad_targets_and_deadlines_are_refused(store: Store) {
    let number = setup(&store).await;
    let e = store
        .set_target(&number, "01", "members_bhyt_rate", Comparator::AtLeast, 120.0, &who())
        .await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::PercentAbove100 { .. }));
    let e = store
        .set_target(&number, "01", "no_such", Comparator::AtLeast, 1.0, &who())
        .await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::UnknownIndicator { .. }));
    let e = store
        .set_target(&number, "51", "new_members", Comparator::AtLeast, 1.0, &who())
        .await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::OutsidePlan { .. }));
    let e = store
        .set_target(
            &number,
            "00004",
            "environment_coverage",
            Comparator::AtLeast,
            100.0,
            &who(),
        )
        .await;
    assert!(
        matches!(plan_error(e.unwrap_err()), PlanError::NotApplicable { .. }),
        "coverage of bases at a base"
    );
    let e = store
        .split_target(&number, "01", "new_members", Split::Equal, &who())
        .await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::NoTarget { .. }));
    let e = store
        .add_task(
            &number,
            &hnd_store::testing::task("Việc", "", "Sở Tư pháp", "", "quý V/2024"),
            &who(),
        )
        .await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::BadDeadline { .. }));
    assert!(
        store.tasks(&number, d("01/01/2026")).await.unwrap().is_empty(),
        "nothing half-saved"
    );
    let e = store.progress("KH-none", "01", Period::Year { year: 2026 }).await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::UnknownPlan { .. }));
}

async fn tasks_are_reported_on_by_their_bodies(store: Store) {
    use hnd_domain::{Action, Grant, Principal, Role};
    use hnd_store::NewFile;
    let number = setup(&store).await;
    let report = store
        .add_task(
            &number,
            &hnd_store::testing::task(
                "Báo cáo kết quả thực hiện",
                "UBND tỉnh",
                "Sở Tài chính; Sở Kế hoạch và Đầu tư",
                "Sở Nông nghiệp và PTNT; sở tài  chính",
                "hằng năm trước ngày 15/11",
            ),
            &who(),
        )
        .await
        .unwrap();
    let other = store
        .add_task(
            &number,
            &hnd_store::testing::task("Tuyên truyền", "UBND tỉnh", "Sở Tư pháp", "", "Thường xuyên"),
            &who(),
        )
        .await
        .unwrap();
    // The leads and coordinators between semicolons are bodies; a body
    // named twice (marks, case and spacing aside) is one, as lead.
    let details = store.task(report, d("20/11/2026")).await.unwrap();
    let bodies: Vec<_> = details.bodies.iter().map(|b| (b.1.as_str(), b.2.as_str())).collect();
    assert_eq!(
        bodies,
        [
            ("Sở Kế hoạch và Đầu tư", "lead"),
            ("Sở Tài chính", "lead"),
            ("Sở Nông nghiệp và PTNT", "coordinating")
        ]
    );
    assert!(details.task.overdue, "not reported before 15/11");
    // The directing body is on the province's list too, named by no task
    // as lead or coordinator.
    assert_eq!(store.bodies().await.unwrap().len(), 5);

    // An account acting for the agriculture department.
    store
        .create_user("so.nn", "Sở Nông nghiệp", "mat-khau-so-nn")
        .await
        .unwrap();
    assert_eq!(
        store.set_user_body("so.nn", "so nong nghiep va ptnt").await.unwrap(),
        "Sở Nông nghiệp và PTNT"
    );
    let e = store.set_user_body("so.nn", "Sở Ngoại vụ").await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::UnknownBody { .. }));
    let so = store.principal_by_login("so.nn").await.unwrap();
    let body = so.body.clone().expect("the account acts for a body");
    let theirs = store.all_tasks(Some(body.id), d("20/11/2026"), 100).await.unwrap();
    assert_eq!(theirs.iter().map(|t| t.id).collect::<Vec<_>>(), [report]);
    assert!(details.may_read(&so) && details.may_report(&so));
    let not_theirs = store.task(other, d("20/11/2026")).await.unwrap();
    assert!(!not_theirs.may_read(&so) && !not_theirs.may_report(&so));
    // A commune's officer reads the province's plan but does not report on it.
    let (_, commune) = store.unit_path("00004").await.unwrap();
    let grant = Grant {
        role: Role::CommuneOfficer,
        unit_code: "00004".into(),
        unit_name: "Xã".into(),
        path: commune.clone(),
    };
    let officer = Principal::new(0, "xa".into(), "Cán bộ xã".into(), vec![grant], None);
    assert!(officer.may(Action::EditPlans, &commune));
    assert!(details.may_read(&officer) && !details.may_report(&officer));

    // Bad reports change nothing.
    let file = |n: usize| NewFile {
        name: "bao-cao.pdf".into(),
        content_type: "application/pdf".into(),
        content: vec![7u8; n],
    };
    let today = d("10/11/2026");
    let e = store
        .report_task(report, "finished", "Xong", vec![], today, &who())
        .await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::BadStatus { .. }));
    let e = store.report_task(report, "done", "  ", vec![], today, &who()).await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::EmptyNote));
    let big = file(hnd_store::MAX_FILE_MB as usize * 1024 * 1024 + 1);
    let e = store
        .report_task(report, "done", "Xong", vec![big], today, &who())
        .await;
    assert!(matches!(plan_error(e.unwrap_err()), PlanError::FileTooLarge { .. }));
    let e = store.report_task(9999, "done", "Xong", vec![], today, &who()).await;
    assert!(matches!(
        plan_error(e.unwrap_err()),
        PlanError::UnknownTask { id: 9999 }
    ));
    assert!(store.task(report, today).await.unwrap().notes.is_empty());

    // Under way, then done with the report attached: this year's round is
    // no longer late, next year's will be after 15/11.
    store
        .report_task(report, "in_progress", "Đã gửi công văn đôn đốc", vec![], today, &who())
        .await
        .unwrap();
    store
        .report_task(
            report,
            "done",
            "Đã gửi báo cáo năm 2026",
            vec![file(2048)],
            today,
            &who(),
        )
        .await
        .unwrap();
    let done = store.task(report, d("20/11/2026")).await.unwrap();
    assert_eq!(done.task.status, "done");
    assert!(!done.task.overdue);
    let statuses: Vec<_> = done.notes.iter().map(|n| n.status.as_str()).collect();
    assert_eq!(statuses, ["done", "in_progress"], "newest first");
    assert_eq!(done.notes[0].files.len(), 1);
    let next_year = store.task(report, d("20/11/2027")).await.unwrap().task;
    assert_eq!(
        (next_year.status.as_str(), next_year.overdue),
        ("open", true),
        "a new round"
    );
    let (task, name, _, content) = store.task_file(done.notes[0].files[0].id).await.unwrap();
    assert_eq!((task, name.as_str(), content.len()), (report, "bao-cao.pdf", 2048));
    // Reports are a record: they cannot be rewritten.
    for sql in ["UPDATE task_notes SET note = 'khác'", "DELETE FROM task_notes"] {
        assert!(hnd_store::testing::execute(&store, sql).await.is_err(), "{sql}");
    }
}
