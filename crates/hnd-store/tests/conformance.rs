//! One suite, run against every backend: each test below runs once on a
//! fresh SQLite file and once on a fresh PostgreSQL schema.

use hnd_domain::{Day, Kind, Level, OrgError, UnitCode, UnitName};
use hnd_store::{Change, LevelCounts, NewUnit, SplitPart, Store, StoreError, testing};

hnd_store::both_backends!(
    bootstrap_2025_builds_34_provinces_and_3321_bases,
    bootstrap_legacy_builds_63_696_10035,
    bootstrap_refuses_a_non_empty_tree,
    merger_turns_the_legacy_tree_into_todays,
    operations_are_dated_and_readable_as_of_any_day,
    split_assigns_each_child_or_refuses,
    bad_operations_are_refused_and_change_nothing,
    create_units_is_idempotent_and_atomic,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("kiểm thử", "bộ kiểm thử chung")
}

fn counts(central: i64, province: i64, district: i64, base: i64, branch: i64, group: i64) -> LevelCounts {
    LevelCounts {
        central,
        province,
        district,
        base,
        branch,
        group,
    }
}

fn group(code: &str, parent: &str) -> NewUnit {
    NewUnit {
        level: Level::Group,
        kind: Some(Kind::Professional),
        trade: Some("Trồng lúa".into()),
        ..testing::branch(code, &format!("Tổ hội nghề nghiệp {code}"), parent)
    }
}

fn org_error(result: Result<impl std::fmt::Debug, StoreError>) -> OrgError {
    match result {
        Err(StoreError::Org(e)) => e,
        other => panic!("expected a rule violation, got {other:?}"),
    }
}

async fn event_count(store: &Store) -> usize {
    store.org_log(1_000_000).await.unwrap().len()
}

async fn bootstrap_2025_builds_34_provinces_and_3321_bases(store: Store) {
    let built = store.bootstrap(false, &who()).await.unwrap();
    assert_eq!(built, counts(1, 34, 0, 3321, 0, 0));
    assert_eq!(
        store.level_counts(d("01/07/2025")).await.unwrap(),
        counts(1, 34, 0, 3321, 0, 0)
    );
    assert_eq!(
        store.level_counts(d("30/06/2025")).await.unwrap(),
        counts(0, 0, 0, 0, 0, 0)
    );
    let hanoi = store.unit("01", d("01/01/2026")).await.unwrap();
    assert_eq!(hanoi.unit.name, "Thành phố Hà Nội");
    assert_eq!(hanoi.unit.level, Level::Province);
    let bases = store.children(hanoi.unit.id, d("01/01/2026")).await.unwrap();
    assert_eq!(
        bases.len(),
        store.subtree_counts(&hanoi.unit, d("01/01/2026")).await.unwrap().base as usize
    );
    assert!(bases.iter().any(|b| b.code == "00004" && b.name == "Phường Ba Đình"));
    let ba_dinh = store.unit("00004", d("01/01/2026")).await.unwrap();
    assert_eq!(ba_dinh.admin_commune.as_deref(), Some("00004"));
    let path = store.ancestors(&ba_dinh.unit, d("01/01/2026")).await.unwrap();
    assert_eq!(path.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["TW", "01"]);
}

async fn bootstrap_legacy_builds_63_696_10035(store: Store) {
    store.bootstrap(true, &who()).await.unwrap();
    let legacy = counts(1, 63, 696, 10_035, 0, 0);
    assert_eq!(store.level_counts(d("30/06/2025")).await.unwrap(), legacy);
    assert_eq!(store.level_counts(d("01/01/2000")).await.unwrap(), legacy);
    let ly_son = store.unit("536", d("30/06/2025")).await.unwrap();
    assert_eq!(ly_son.unit.level, Level::District);
    assert!(
        store
            .children(ly_son.unit.id, d("30/06/2025"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn bootstrap_refuses_a_non_empty_tree(store: Store) {
    store.bootstrap(false, &who()).await.unwrap();
    assert_eq!(org_error(store.bootstrap(true, &who()).await), OrgError::TreeNotEmpty);
    assert_eq!(
        store.level_counts(d("01/07/2025")).await.unwrap(),
        counts(1, 34, 0, 3321, 0, 0)
    );
}

async fn merger_turns_the_legacy_tree_into_todays(store: Store) {
    store.bootstrap(true, &who()).await.unwrap();
    // Branches and groups under communes that continue, that are absorbed,
    // and that are split.
    let units = vec![
        testing::branch("23281-CH1", "Chi hội tổ dân phố 1 Quang Trung", "23281"),
        group("23281-CH1-T1", "23281-CH1"),
        testing::branch("21142-CH1", "Chi hội thôn Trà Bùi", "21142"),
        testing::branch("31183-CH1", "Chi hội khu vực Long Tuyền", "31183"),
    ];
    store
        .create_units(units, d("15/03/2024"), &who(), "import")
        .await
        .unwrap();
    let before = store.level_counts(d("30/06/2025")).await.unwrap();

    let report = store.apply_2025_merger(&who()).await.unwrap();
    assert!(report.applied);
    assert_eq!(report.before, before);
    assert_eq!(report.after, counts(1, 34, 0, 3321, 3, 1));
    assert_eq!(
        store.level_counts(d("30/06/2025")).await.unwrap(),
        before,
        "history stays as it was"
    );

    // Quảng Ngãi (51) and Kon Tum (62) are one province 51.
    let after = d("01/07/2025");
    let qng = store.unit("51", after).await.unwrap();
    assert_eq!(qng.unit.name, "Tỉnh Quảng Ngãi");
    assert!(store.unit("62", after).await.is_err());
    assert_eq!(
        store.unit("62", d("30/06/2025")).await.unwrap().unit.name,
        "Tỉnh Kon Tum"
    );
    let came_from: Vec<_> = store
        .lineage(qng.unit.id)
        .await
        .unwrap()
        .came_from
        .into_iter()
        .map(|l| l.code)
        .collect();
    assert_eq!(came_from, ["62"]);
    // Cần Thơ (92), Hậu Giang (93), Sóc Trăng (94) are province 92.
    let can_tho = store.unit("92", after).await.unwrap();
    let came_from: Vec<_> = store
        .lineage(can_tho.unit.id)
        .await
        .unwrap()
        .came_from
        .into_iter()
        .map(|l| l.code)
        .collect();
    assert_eq!(came_from, ["93", "94"]);
    let soc_trang = store.unit("94", d("30/06/2025")).await.unwrap();
    let became = store.lineage(soc_trang.unit.id).await.unwrap().became;
    assert_eq!(became.len(), 1);
    assert_eq!(became[0].code, "92");

    // A branch follows its commune: Quang Trung (Kon Tum) went into Phường Kon Tum, province 51.
    let ch = store.unit("23281-CH1", after).await.unwrap();
    let path: Vec<_> = store
        .ancestors(&ch.unit, after)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.code)
        .collect();
    assert_eq!(path, ["TW", "51", "23293"]);
    let old_path: Vec<_> = store
        .ancestors(
            &store.unit("23281-CH1", d("30/06/2025")).await.unwrap().unit,
            d("30/06/2025"),
        )
        .await
        .unwrap();
    assert_eq!(
        old_path.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
        ["TW", "62", "608", "23281"]
    );
    let group = store.unit("23281-CH1-T1", after).await.unwrap();
    assert_eq!(group.unit.province_code.as_deref(), Some("51"));
    assert_eq!(group.unit.parent_id, Some(ch.unit.id));

    // Trà Bùi was split: its branch went to the default, Cà Đam, and it is listed for review.
    let tra_bui = report
        .review
        .iter()
        .find(|r| r.legacy_code == "21142")
        .expect("Trà Bùi in the review list");
    assert_eq!(tra_bui.default_code, "21136");
    assert_eq!(
        tra_bui.other_targets,
        [("21157".to_string(), "Xã Tây Trà Bồng".to_string())]
    );
    let ca_dam = store.unit("21136", after).await.unwrap();
    assert_eq!(
        store.unit("21142-CH1", after).await.unwrap().unit.parent_id,
        Some(ca_dam.unit.id)
    );
    let tay_tra_bong = store.unit("21157", after).await.unwrap();
    let parts = store.lineage(tay_tra_bong.unit.id).await.unwrap().came_from;
    assert!(parts.iter().any(|l| l.code == "21142" && l.share == "part"));
    // Long Tuyền continues under its own code, with its branch.
    let long_tuyen = store.unit("31183", after).await.unwrap();
    assert_eq!(
        long_tuyen.unit.id,
        store.unit("31183", d("30/06/2025")).await.unwrap().unit.id
    );
    assert_eq!(
        store.unit("31183-CH1", after).await.unwrap().unit.parent_id,
        Some(long_tuyen.unit.id)
    );
    // The island district Lý Sơn became the special zone Lý Sơn.
    let zone = store.unit("21548", after).await.unwrap();
    assert_eq!(zone.unit.level, Level::Base);
    assert_eq!(store.lineage(zone.unit.id).await.unwrap().came_from[0].code, "536");

    // Twice changes nothing.
    let events = event_count(&store).await;
    let again = store.apply_2025_merger(&who()).await.unwrap();
    assert!(!again.applied);
    assert_eq!(again.after, report.after);
    assert_eq!(event_count(&store).await, events);
}

async fn operations_are_dated_and_readable_as_of_any_day(store: Store) {
    store.bootstrap(false, &who()).await.unwrap();
    let (d1, d2, d3, d4) = (d("01/01/2026"), d("01/02/2026"), d("01/03/2026"), d("01/04/2026"));
    store
        .create_units(
            vec![
                testing::branch("00004-A", "Chi hội A", "00004"),
                testing::branch("00004-B", "Chi hội B", "00004"),
                group("00004-A-1", "00004-A"),
            ],
            d1,
            &who(),
            "create",
        )
        .await
        .unwrap();
    store
        .rename("00004-A", &UnitName::parse("Chi hội An Phú").unwrap(), d2, &who())
        .await
        .unwrap();
    assert_eq!(store.unit("00004-A", d1).await.unwrap().unit.name, "Chi hội A");
    assert_eq!(store.unit("00004-A", d2).await.unwrap().unit.name, "Chi hội An Phú");

    // Move A (with its group) to another base.
    store.move_unit("00004-A", "00008", d3, &who()).await.unwrap();
    let ngoc_ha = store.unit("00008", d3).await.unwrap().unit;
    let below: Vec<_> = store
        .descendants(&ngoc_ha, d3)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.code)
        .collect();
    assert_eq!(below, ["00004-A", "00004-A-1"]);
    assert!(store.descendants(&ngoc_ha, d2).await.unwrap().is_empty());
    let ba_dinh = store.unit("00004", d2).await.unwrap().unit;
    assert_eq!(
        store.subtree_counts(&ba_dinh, d2).await.unwrap(),
        counts(0, 0, 0, 0, 2, 1)
    );
    assert_eq!(
        store.subtree_counts(&ba_dinh, d3).await.unwrap(),
        counts(0, 0, 0, 0, 1, 0)
    );

    // Merge B into A: B's life ends, lineage links them.
    store
        .merge(&["00004-B".to_string()], "00004-A", d4, &who())
        .await
        .unwrap();
    assert!(store.unit("00004-B", d4).await.is_err());
    let a = store.unit("00004-A", d4).await.unwrap();
    let lineage = store.lineage(a.unit.id).await.unwrap();
    assert_eq!(
        lineage.came_from.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(),
        ["00004-B"]
    );
    let kinds: Vec<_> = store
        .events_of(a.unit.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["create", "rename", "move", "merge"]);

    // Dissolve refuses while a group lives below; then works.
    assert!(matches!(
        org_error(store.dissolve("00004-A", d4, &who()).await),
        OrgError::HasChildren { count: 1, .. }
    ));
    store.dissolve("00004-A-1", d4, &who()).await.unwrap();
    store.dissolve("00004-A", d4, &who()).await.unwrap();
    assert!(store.unit("00004-A", d4).await.is_err());
    assert_eq!(store.unit("00004-A", d3).await.unwrap().unit.name, "Chi hội An Phú");
}

async fn split_assigns_each_child_or_refuses(store: Store) {
    store.bootstrap(false, &who()).await.unwrap();
    let day = d("01/01/2026");
    let units = vec![
        testing::branch("X", "Chi hội X", "00004"),
        group("X-1", "X"),
        group("X-2", "X"),
    ];
    store.create_units(units, day, &who(), "create").await.unwrap();
    let parts = vec![
        SplitPart {
            code: UnitCode::parse("X-BAC").unwrap(),
            name: UnitName::parse("Chi hội X Bắc").unwrap(),
        },
        SplitPart {
            code: UnitCode::parse("X-NAM").unwrap(),
            name: UnitName::parse("Chi hội X Nam").unwrap(),
        },
    ];
    let later = d("01/06/2026");
    let half = [("X-1".to_string(), "X-BAC".to_string())];
    let refused = org_error(store.split("X", &parts, &half, later, &who()).await);
    assert_eq!(
        refused,
        OrgError::SplitChildUnassigned {
            code: "X".into(),
            child: "X-2".into()
        }
    );
    assert!(store.unit("X", later).await.is_ok(), "nothing changed");

    let full = [
        ("X-1".to_string(), "X-BAC".to_string()),
        ("X-2".to_string(), "X-NAM".to_string()),
    ];
    store.split("X", &parts, &full, later, &who()).await.unwrap();
    assert!(store.unit("X", later).await.is_err());
    let nam = store.unit("X-NAM", later).await.unwrap();
    assert_eq!(nam.kind, Some("residential"));
    assert_eq!(
        store.unit("X-2", later).await.unwrap().unit.parent_id,
        Some(nam.unit.id)
    );
    let x = store.unit("X", day).await.unwrap();
    let became: Vec<_> = store
        .lineage(x.unit.id)
        .await
        .unwrap()
        .became
        .into_iter()
        .map(|l| l.code)
        .collect();
    assert_eq!(became, ["X-BAC", "X-NAM"]);
}

async fn bad_operations_are_refused_and_change_nothing(store: Store) {
    store.bootstrap(false, &who()).await.unwrap();
    let day = d("01/01/2026");
    store
        .create_units(
            vec![testing::branch("P", "Chi hội P", "00004"), group("P-1", "P")],
            day,
            &who(),
            "create",
        )
        .await
        .unwrap();
    let events = event_count(&store).await;

    let e = org_error(
        store
            .create_units(vec![testing::branch("Q", "Chi hội Q", "99999")], day, &who(), "create")
            .await,
    );
    assert_eq!(
        e,
        OrgError::UnknownUnit {
            code: "99999".into(),
            as_of: day
        }
    );
    let e = org_error(
        store
            .create_units(
                vec![testing::branch("P", "Chi hội khác", "00004")],
                day,
                &who(),
                "create",
            )
            .await,
    );
    assert_eq!(e, OrgError::DuplicateCode { code: "P".into() });
    let e = org_error(store.move_unit("P", "P-1", day, &who()).await);
    assert!(matches!(e, OrgError::Cycle { .. }), "{e:?}");
    let e = org_error(store.move_unit("00004", "00008", day, &who()).await);
    assert!(matches!(e, OrgError::LevelNotAllowed { .. }), "{e:?}");
    let e = org_error(store.merge(&["P".to_string()], "P-1", day, &who()).await);
    assert!(matches!(e, OrgError::MergeIntoDescendant { .. }), "{e:?}");
    let e = org_error(
        store
            .rename("P", &UnitName::parse("Chi hội Q").unwrap(), d("01/01/2025"), &who())
            .await,
    );
    assert!(matches!(e, OrgError::BeforeExistence { .. }), "{e:?}");
    store
        .rename("P", &UnitName::parse("Chi hội P mới").unwrap(), d("01/03/2026"), &who())
        .await
        .unwrap();
    let e = org_error(
        store
            .rename("P", &UnitName::parse("Chi hội Q").unwrap(), d("01/02/2026"), &who())
            .await,
    );
    assert!(matches!(e, OrgError::BeforeLastChange { .. }), "{e:?}");
    store.dissolve("P-1", d("01/04/2026"), &who()).await.unwrap();
    let e = org_error(
        store
            .rename("P-1", &UnitName::parse("Tổ").unwrap(), d("01/05/2026"), &who())
            .await,
    );
    assert!(matches!(e, OrgError::AfterEnd { .. }), "{e:?}");
    let with_bad_last = vec![
        testing::branch("R", "Chi hội R", "00004"),
        testing::branch("S", "Chi hội S", "khong-co"),
    ];
    let e = org_error(store.create_units(with_bad_last, day, &who(), "import").await);
    assert!(matches!(e, OrgError::UnknownUnit { .. }), "{e:?}");
    assert!(
        store.unit("R", day).await.is_err(),
        "the good row before the bad one was not kept"
    );
    assert_eq!(
        event_count(&store).await,
        events + 2,
        "only the two valid operations were recorded"
    );
}

async fn create_units_is_idempotent_and_atomic(store: Store) {
    store.bootstrap(false, &who()).await.unwrap();
    let day = d("01/01/2026");
    let rows = || vec![testing::branch("K", "Chi hội K", "00004"), group("K-1", "K")];
    let first = store.create_units(rows(), day, &who(), "import").await.unwrap();
    assert_eq!((first.created, first.unchanged), (2, 0));
    let again = store.create_units(rows(), day, &who(), "import").await.unwrap();
    assert_eq!((again.created, again.unchanged), (0, 2));
    assert_eq!(store.level_counts(day).await.unwrap().branch, 1);
}
