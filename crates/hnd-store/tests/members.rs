//! The member register on both backends.

use hnd_domain::{Cccd, Day, HouseholdCategory, HouseholdRole, MemberError, Phone, Sex};
use hnd_store::{Change, MemberQuery, MemberRow, Store, StoreError};

hnd_store::both_backends!(
    membership_events_drive_counts_as_of_any_day,
    duplicates_and_mismatches_are_caught,
    search_ignores_case_and_diacritics,
    concurrent_admissions_get_distinct_cards,
    members_follow_merges_and_the_2025_reform,
    bulk_loads_are_all_or_nothing_and_idempotent,
    leave_reinstatement_and_new_cards,
    households_group_members_and_keep_a_category_by_year,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("cán bộ xã", "kiểm thử")
}

async fn tree(store: &Store) {
    let branches = [("00004-A", "00004"), ("00008-B", "00008"), ("21136-C", "21136")];
    hnd_store::testing::tree_with_branches(store, &branches, &who())
        .await
        .unwrap();
}

use hnd_store::testing::person;

fn member_error(r: Result<impl std::fmt::Debug, StoreError>) -> MemberError {
    match r {
        Err(StoreError::Member(e)) => e,
        other => panic!("expected a register rule, got {other:?}"),
    }
}

async fn membership_events_drive_counts_as_of_any_day(store: Store) {
    tree(&store).await;
    let mut hoa = person("Nguyễn Thị Hoà", "12/05/1985", Sex::Female, "00004-A");
    hoa.cccd = Some(Cccd::compose("001", 1985, Sex::Female, 1));
    let id = store.add_member(&hoa, d("01/02/2026"), false, &who()).await.unwrap().id;
    assert_eq!(store.member(id).await.unwrap().status, "applicant");
    assert_eq!(
        store.count_members("00004", d("15/02/2026")).await.unwrap(),
        0,
        "applicants do not count"
    );

    let card = store.admit(id, d("01/03/2026"), "12-QĐ/HND", &who()).await.unwrap();
    assert_eq!(card, "0126000001");
    assert_eq!(store.count_members("00004", d("01/03/2026")).await.unwrap(), 1);
    assert_eq!(store.count_members("01", d("01/03/2026")).await.unwrap(), 1);
    assert_eq!(store.count_members("TW", d("01/03/2026")).await.unwrap(), 1);

    store
        .send_transfer(id, "21136-C", d("01/04/2026"), &who())
        .await
        .unwrap();
    assert_eq!(store.member(id).await.unwrap().status, "in_transfer");
    assert_eq!(
        store.count_members("00004", d("10/04/2026")).await.unwrap(),
        1,
        "counts at home until confirmed"
    );
    store.confirm_transfer(id, d("15/04/2026"), &who()).await.unwrap();
    assert_eq!(store.count_members("00004", d("15/04/2026")).await.unwrap(), 0);
    assert_eq!(
        store.count_members("51", d("15/04/2026")).await.unwrap(),
        1,
        "Cà Đam is in Quảng Ngãi"
    );
    assert_eq!(
        store.count_members("00004", d("14/04/2026")).await.unwrap(),
        1,
        "history stays"
    );
    let moved = store.member(id).await.unwrap();
    assert_eq!(
        (moved.unit_code.as_str(), moved.province_code.as_str()),
        ("21136-C", "51")
    );
    // A woman, counted as one wherever she was on each day.
    let counts = store.member_counts("51", d("15/04/2026")).await.unwrap();
    assert_eq!((counts.members, counts.women, counts.minority), (1, 1, 0));
    assert_eq!(store.member_counts("00004", d("14/04/2026")).await.unwrap().women, 1);
    // Her ethnicity corrected (Tày, 02): her whole history moves with it.
    hnd_store::testing::execute(
        &store,
        "UPDATE members SET ethnicity = '02' WHERE full_name = 'Nguyễn Thị Hoà'",
    )
    .await
    .unwrap();
    for (code, day) in [("00004", "14/04/2026"), ("51", "15/04/2026"), ("TW", "15/04/2026")] {
        let counts = store.member_counts(code, d(day)).await.unwrap();
        assert_eq!(counts.minority, 1, "{code} on {day}");
        assert_eq!(counts, store.member_counts_scan(code, d(day)).await.unwrap());
    }

    let e = member_error(store.end_membership(id, d("01/01/2026"), false, &who()).await);
    assert!(matches!(e, MemberError::BeforeLastEvent { .. }), "{e:?}");
    store.end_membership(id, d("01/06/2026"), false, &who()).await.unwrap();
    assert_eq!(store.count_members("51", d("01/06/2026")).await.unwrap(), 0);
    assert_eq!(store.count_members("51", d("31/05/2026")).await.unwrap(), 1);
    let e = member_error(store.send_transfer(id, "00004-A", d("02/06/2026"), &who()).await);
    assert_eq!(
        e,
        MemberError::WrongStatus {
            id,
            status: "removed".into()
        }
    );
    let kinds: Vec<_> = store
        .member_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["apply", "admit", "transfer_out", "transfer_in", "remove"]);

    let e = member_error(
        store
            .add_member(
                &person("Lê Văn Tám", "1970", Sex::Male, "00004"),
                d("01/02/2026"),
                false,
                &who(),
            )
            .await,
    );
    assert_eq!(e, MemberError::NotABranch { code: "00004".into() });
}

async fn duplicates_and_mismatches_are_caught(store: Store) {
    tree(&store).await;
    let day = d("01/02/2026");
    let mut first = person("Trần Văn Nam", "03/03/1960", Sex::Male, "00004-A");
    first.cccd = Some(Cccd::compose("051", 1960, Sex::Male, 77));
    first.phone = Some(Phone::parse("0912345678").unwrap());
    let id = store.add_member(&first, day, false, &who()).await.unwrap().id;

    let mut again = person("Trần Văn Nam B", "1961", Sex::Male, "00008-B");
    again.cccd = first.cccd.clone();
    let e = member_error(store.add_member(&again, day, false, &who()).await);
    let (_, path) = store.unit_path("00004-A").await.unwrap();
    assert_eq!(
        e,
        MemberError::DuplicateCccd {
            cccd: "051060000077".into(),
            id,
            name: "Trần Văn Nam".into(),
            unit: "00004-A".into(),
            place: Box::new(hnd_domain::HolderPlace {
                path,
                province: "Thành phố Hà Nội".into()
            }),
        }
    );
    assert!(e.message(hnd_domain::Lang::Vi).contains("hội viên số"));

    let mut wrong = person("Phạm Thị Mai", "1990", Sex::Female, "00004-A");
    wrong.cccd = Some(Cccd::compose("051", 1960, Sex::Male, 78));
    let e = member_error(store.add_member(&wrong, day, false, &who()).await);
    assert!(matches!(e, MemberError::CccdMismatch { id_year: 1960, .. }), "{e:?}");
    store
        .add_member(&wrong, day, true, &who())
        .await
        .expect("accepted warning");

    let twin = person("TRẦN VĂN NAM", "03/03/1960", Sex::Male, "00004-A");
    let added = store.add_member(&twin, day, false, &who()).await.unwrap();
    assert_eq!(added.likely_duplicates.len(), 1);
    assert_eq!(
        (added.likely_duplicates[0].id, added.likely_duplicates[0].rule),
        (id, "name_birth")
    );
    let mut by_phone = person("Trần văn Nam", "1975", Sex::Male, "00004-A");
    by_phone.phone = Some(Phone::parse("+84 912 345 678").unwrap());
    let added = store.add_member(&by_phone, day, false, &who()).await.unwrap();
    let open = store.open_duplicates("TW", 10).await.unwrap();
    assert_eq!(open.len(), 2, "both flags wait for a decision");
    store
        .decide_duplicate(open[0].0.id, open[0].1.id, false, &who())
        .await
        .unwrap();
    assert_eq!(store.open_duplicates("TW", 10).await.unwrap().len(), 1);
    let again = store.decide_duplicate(open[0].0.id, open[0].1.id, true, &who()).await;
    assert!(matches!(
        again,
        Err(StoreError::Member(MemberError::NoOpenDuplicate { .. }))
    ));
    assert!(
        added
            .likely_duplicates
            .iter()
            .any(|l| l.id == id && l.rule == "name_phone"),
        "{:?}",
        added.likely_duplicates
    );
}

async fn search_ignores_case_and_diacritics(store: Store) {
    tree(&store).await;
    let day = d("01/02/2026");
    let mut hoa = person("Nguyễn Thị Hoà", "1985", Sex::Female, "00004-A");
    hoa.cccd = Some(Cccd::compose("001", 1985, Sex::Female, 5));
    store.add_member(&hoa, day, false, &who()).await.unwrap();
    store
        .add_member(
            &person("Đặng Văn Đức", "1958", Sex::Male, "00008-B"),
            day,
            false,
            &who(),
        )
        .await
        .unwrap();
    store
        .add_member(
            &person("Nguyễn Văn An", "1970", Sex::Male, "21136-C"),
            day,
            false,
            &who(),
        )
        .await
        .unwrap();

    let names = |found: Vec<hnd_store::Member>| found.into_iter().map(|m| m.full_name).collect::<Vec<_>>();
    assert_eq!(
        names(store.search_members("nguyen thi hoa", None, 20).await.unwrap()),
        ["Nguyễn Thị Hoà"]
    );
    assert_eq!(
        names(store.search_members("NGUYỄN", None, 20).await.unwrap()),
        ["Nguyễn Thị Hoà", "Nguyễn Văn An"]
    );
    assert_eq!(
        names(store.search_members("dang", None, 20).await.unwrap()),
        ["Đặng Văn Đức"]
    );
    assert_eq!(
        names(store.search_members("nguyen", Some("01"), 20).await.unwrap()),
        ["Nguyễn Thị Hoà"]
    );
    assert_eq!(
        names(store.search_members("nguyen", Some("00008"), 20).await.unwrap()),
        Vec::<String>::new()
    );
    assert_eq!(
        names(store.search_members("001185000005", None, 20).await.unwrap()),
        ["Nguyễn Thị Hoà"]
    );
    assert_eq!(store.search_members("nguyen", None, 1).await.unwrap().len(), 1, "limit");

    // The filtered list: scope, text, filters and pages.
    let find = |q: MemberQuery| {
        let store = store.clone();
        async move { store.find_members(&q).await.unwrap() }
    };
    let all = |scope: &str| MemberQuery {
        scope: scope.into(),
        limit: 50,
        ..Default::default()
    };
    let (found, more) = find(all("TW")).await;
    assert_eq!(
        names(found),
        ["Đặng Văn Đức", "Nguyễn Thị Hoà", "Nguyễn Văn An"],
        "by folded name"
    );
    assert!(!more);
    let (found, more) = find(MemberQuery { limit: 2, ..all("TW") }).await;
    assert_eq!((found.len(), more), (2, true));
    let (found, more) = find(MemberQuery {
        limit: 2,
        offset: 2,
        ..all("TW")
    })
    .await;
    assert_eq!((names(found), more), (vec!["Nguyễn Văn An".to_string()], false));
    let (found, _) = find(MemberQuery {
        text: Some("nguyen".into()),
        sex: Some("male".into()),
        ..all("TW")
    })
    .await;
    assert_eq!(names(found), ["Nguyễn Văn An"]);
    let (found, _) = find(MemberQuery {
        text: Some("nguyen".into()),
        ..all("01")
    })
    .await;
    assert_eq!(names(found), ["Nguyễn Thị Hoà"], "within the scope");
    let (found, _) = find(MemberQuery {
        min_age: Some(60),
        ..all("TW")
    })
    .await;
    assert_eq!(names(found), ["Đặng Văn Đức"], "age band");
    let (found, _) = find(MemberQuery {
        text: Some("001185000005".into()),
        ..all("TW")
    })
    .await;
    assert_eq!(names(found), ["Nguyễn Thị Hoà"], "by CCCD");
    let (found, _) = find(MemberQuery {
        status: Some("active".into()),
        ..all("TW")
    })
    .await;
    assert!(found.is_empty(), "applicants only so far");
}

async fn concurrent_admissions_get_distinct_cards(store: Store) {
    tree(&store).await;
    let day = d("01/02/2026");
    let mut ids = Vec::new();
    for i in 0..12 {
        let p = person(&format!("Hội viên {i}"), "1980", Sex::Male, "00004-A");
        ids.push(store.add_member(&p, day, false, &who()).await.unwrap().id);
    }
    // One decision admits several, all or none: an id that is not an
    // applicant stops the whole batch.
    let bad_batch = store
        .admit_many(&[ids[0], 999_999], d("01/03/2026"), "1-QĐ", &who())
        .await;
    assert!(matches!(
        bad_batch,
        Err(StoreError::Member(MemberError::UnknownMember { id: 999_999 }))
    ));
    assert_eq!(store.member(ids[0]).await.unwrap().status, "applicant");
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let store = store.clone();
            tokio::spawn(async move { store.admit(id, d("01/03/2026"), "1-QĐ", &who()).await })
        })
        .collect();
    let mut cards = Vec::new();
    for t in tasks {
        cards.push(t.await.unwrap().unwrap());
    }
    cards.sort();
    cards.dedup();
    assert_eq!(cards.len(), 12);
    assert_eq!(cards.first().map(String::as_str), Some("0126000001"));
    assert_eq!(cards.last().map(String::as_str), Some("0126000012"));
}

async fn members_follow_merges_and_the_2025_reform(store: Store) {
    store.bootstrap(true, &who()).await.unwrap();
    let branch = |code: &str, parent: &str| hnd_store::testing::branch(code, &format!("Chi hội {code}"), parent);
    // Quang Trung (Kon Tum, legacy province 62) and a neighbour branch.
    let units = vec![branch("23281-A", "23281"), branch("23281-B", "23281")];
    store
        .create_units(units, d("01/01/2023"), &who(), "create")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, unit) in ["23281-A", "23281-A", "23281-B"].into_iter().enumerate() {
        let p = person(&format!("Y Hội viên {i}"), "1970", Sex::Male, unit);
        let id = store.add_member(&p, d("01/02/2023"), false, &who()).await.unwrap().id;
        store.admit(id, d("01/03/2023"), "3-QĐ", &who()).await.unwrap();
        ids.push(id);
    }
    assert_eq!(store.count_members("62", d("01/01/2024")).await.unwrap(), 3);

    let e = store.dissolve("23281-B", d("01/01/2024"), &who()).await;
    assert!(
        matches!(
            e,
            Err(StoreError::Org(hnd_domain::OrgError::HasMembers { count: 1, .. }))
        ),
        "{e:?}"
    );
    store
        .merge(&["23281-B".to_string()], "23281-A", d("01/01/2024"), &who())
        .await
        .unwrap();
    assert_eq!(store.count_members("23281-A", d("01/01/2024")).await.unwrap(), 3);
    assert_eq!(
        store.count_members("23281-A", d("31/12/2023")).await.unwrap(),
        2,
        "history stays"
    );
    assert_eq!(store.member(ids[2]).await.unwrap().unit_code, "23281-A");

    let address = hnd_domain::profile::Profile {
        current_address: Some("Thôn 1".to_string()),
        ..Default::default()
    };
    store.set_member_profile(ids[0], &address, &who()).await.unwrap();
    // Admitted after the reform's day, recorded before the reform was applied.
    let late = person("Y Hội viên muộn", "1980", Sex::Female, "23281-A");
    let late = store
        .add_member(&late, d("01/02/2023"), false, &who())
        .await
        .unwrap()
        .id;
    store.admit(late, d("01/08/2025"), "9-QĐ", &who()).await.unwrap();

    store.apply_2025_merger(&who()).await.unwrap();
    assert_eq!(
        store.count_members("51", d("01/07/2025")).await.unwrap(),
        3,
        "Kon Tum's members are in Quảng Ngãi"
    );
    assert_eq!(store.count_members("51", d("01/09/2025")).await.unwrap(), 4);
    assert_eq!(store.member(late).await.unwrap().province_code, "51");
    let followed = "UPDATE member_profiles SET current_address = current_address WHERE province_code = '51'";
    assert_eq!(
        hnd_store::testing::execute(&store, followed).await.unwrap(),
        1,
        "the profile follows its member's province"
    );
    assert_eq!(
        store.count_members("23293", d("01/07/2025")).await.unwrap(),
        3,
        "in the commune Quang Trung joined"
    );
    assert_eq!(
        store.count_members("62", d("30/06/2025")).await.unwrap(),
        3,
        "and in Kon Tum before"
    );
    assert_eq!(store.member(ids[0]).await.unwrap().province_code, "51");
    let found = store.search_members("y hoi vien", Some("51"), 10).await.unwrap();
    assert_eq!(found.len(), 4);
    // The maintained counts agree with a count of the intervals themselves,
    // at every level, on every day around the changes.
    for day in [
        "31/12/2023",
        "01/01/2024",
        "30/06/2025",
        "01/07/2025",
        "01/09/2025",
        "01/01/2026",
    ] {
        let day = d(day);
        for code in ["TW", "62", "51", "23281-A", "23293"] {
            let Ok(scan) = store.count_members_scan(code, day).await else {
                continue;
            };
            assert_eq!(store.count_members(code, day).await.unwrap(), scan, "{code} on {day}");
            assert_eq!(
                store.member_counts(code, day).await.unwrap(),
                store.member_counts_scan(code, day).await.unwrap(),
                "women and minorities in {code} on {day}"
            );
            children_agree(&store, code, day).await;
        }
        let provinces = store.province_counts(day).await.unwrap();
        for (code, n) in &provinces {
            assert_eq!(
                *n,
                store.count_members_scan(code, day).await.unwrap(),
                "province {code} on {day}"
            );
        }
        let total: i64 = provinces.iter().map(|p| p.1).sum();
        assert_eq!(
            total,
            store.count_members("TW", day).await.unwrap(),
            "the country on {day}"
        );
    }
}

async fn bulk_loads_are_all_or_nothing_and_idempotent(store: Store) {
    tree(&store).await;
    let day = d("01/02/2026");
    let row = |i: u32, unit: &str, admitted: bool| {
        let mut p = person(&format!("Lê Thị Lan {i}"), "1980", Sex::Female, unit);
        p.cccd = Some(Cccd::compose("051", 1980, Sex::Female, i));
        MemberRow {
            member: p,
            admitted: admitted.then(|| (d("01/01/2020"), "7-QĐ".to_string())),
            profile: None,
        }
    };
    let rows: Vec<_> = (0..50)
        .map(|i| row(i, if i % 2 == 0 { "00004-A" } else { "21136-C" }, i < 40))
        .collect();
    let first = store.load_members(&rows, day, &who()).await.unwrap();
    assert_eq!((first.created, first.unchanged), (50, 0));
    assert_eq!(store.count_members("TW", day).await.unwrap(), 40);
    // Before the branches entered the tree (01/01/2026) nothing is counted there.
    assert_eq!(store.count_members("TW", d("31/12/2025")).await.unwrap(), 0);
    assert_eq!(store.count_members("51", day).await.unwrap(), 20);
    let again = store.load_members(&rows, day, &who()).await.unwrap();
    assert_eq!((again.created, again.unchanged), (0, 50), "loading twice adds nothing");

    // Someone else with a CCCD already held: nothing of the load is kept.
    let mut clash = row(3, "00004-A", true);
    clash.member.full_name = "Người Khác".into();
    let fresh = row(999, "00004-A", true);
    let e = store.load_members(&[fresh.clone(), clash], day, &who()).await;
    assert!(
        matches!(e, Err(StoreError::Member(MemberError::DuplicateCccd { .. }))),
        "{e:?}"
    );
    assert!(
        store
            .search_members(fresh.member.cccd.as_ref().unwrap().as_str(), None, 5)
            .await
            .unwrap()
            .is_empty()
    );
    // Cards continue the province's sequence after a bulk load.
    let id = store
        .add_member(&person("Võ Văn Ba", "1975", Sex::Male, "00004-A"), day, false, &who())
        .await
        .unwrap()
        .id;
    let card = store.admit(id, day, "8-QĐ", &who()).await.unwrap();
    assert_eq!(card, "0126000001");
    // A bulk load keeps the maintained counts itself: they agree with the
    // intervals, and its admissions are counted.
    for code in ["TW", "01", "51", "00004", "21136-C"] {
        assert_eq!(
            store.member_counts(code, day).await.unwrap(),
            store.member_counts_scan(code, day).await.unwrap(),
            "{code}"
        );
        children_agree(&store, code, day).await;
    }
    let provinces = store.province_counts(day).await.unwrap();
    assert_eq!(
        provinces.iter().map(|p| p.1).sum::<i64>(),
        store.count_members("TW", day).await.unwrap()
    );
    let scanned = store.count_members_scan("TW", day).await.unwrap();
    assert_eq!(
        store.admissions("TW", d("01/01/2020"), day).await.unwrap(),
        scanned,
        "every member counted was admitted"
    );
    let loaded_cards: Vec<_> = store
        .search_members("le thi lan", Some("01"), 100)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.card_number)
        .collect();
    assert_eq!(loaded_cards.len(), 20);

    // Likely duplicates in a bulk load, by the rules of a single addition:
    // the same name and birth date (or year where one gives only a year),
    // then the same name and phone; other namesakes are not flagged.
    let twin = |i: u32, birth: &str, phone: Option<&str>| {
        let mut p = person("Trần Thị Duyên", birth, Sex::Female, "00004-A");
        p.cccd = Some(Cccd::compose("001", p.birth.year(), Sex::Female, 500 + i));
        p.phone = phone.map(|t| hnd_domain::Phone::parse(t).unwrap());
        MemberRow {
            member: p,
            admitted: None,
            profile: None,
        }
    };
    let rows = vec![
        twin(1, "12/03/1970", Some("0912345678")),
        twin(2, "12/03/1970", None),
        twin(3, "1970", None),
        twin(4, "05/05/1985", Some("0912345678")),
        twin(5, "01/01/1990", None),
    ];
    store.load_members(&rows, day, &who()).await.unwrap();
    let mut pairs: Vec<String> = store
        .open_duplicates("01", 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|(m, _, _)| m.full_name == "Trần Thị Duyên")
        .map(|(m, o, rule)| format!("{}~{} {rule}", m.birth_date, o.birth_date))
        .collect();
    pairs.sort();
    assert_eq!(pairs.len(), 4, "{pairs:?}");
    assert!(
        pairs.iter().filter(|p| p.ends_with("name_birth")).count() == 3,
        "{pairs:?}"
    );
    assert!(pairs.iter().any(|p| p.ends_with("name_phone")), "{pairs:?}");
    assert!(loaded_cards.iter().all(|c| c.starts_with("0120")), "{loaded_cards:?}");
}

async fn leave_reinstatement_and_new_cards(store: Store) {
    tree(&store).await;
    let p = person("Hồ Văn Lành", "1966", Sex::Male, "00004-A");
    let id = store.add_member(&p, d("01/02/2026"), false, &who()).await.unwrap().id;
    store.admit(id, d("01/03/2026"), "2-QĐ", &who()).await.unwrap();
    store.start_leave(id, d("01/04/2026"), &who()).await.unwrap();
    assert_eq!(store.member(id).await.unwrap().status, "on_leave");
    assert_eq!(
        store.count_members("00004", d("02/04/2026")).await.unwrap(),
        1,
        "still a member on leave"
    );
    let e = member_error(store.start_leave(id, d("02/04/2026"), &who()).await);
    assert!(matches!(e, MemberError::WrongStatus { .. }), "{e:?}");
    store.return_from_leave(id, d("01/05/2026"), &who()).await.unwrap();
    let card = store.reissue_card(id, d("02/05/2026"), &who()).await.unwrap();
    assert_eq!(card, "0126000002");
    assert_eq!(
        store.member(id).await.unwrap().card_number.as_deref(),
        Some("0126000002")
    );
    store.end_membership(id, d("01/06/2026"), false, &who()).await.unwrap();
    store.reinstate(id, d("01/09/2026"), "9-QĐ", &who()).await.unwrap();
    assert_eq!(store.count_members("00004", d("01/07/2026")).await.unwrap(), 0);
    assert_eq!(store.count_members("00004", d("01/09/2026")).await.unwrap(), 1);
    let kinds: Vec<_> = store
        .member_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "apply",
            "admit",
            "leave",
            "return",
            "card_reissue",
            "remove",
            "reinstate"
        ]
    );
}

async fn households_group_members_and_keep_a_category_by_year(store: Store) {
    tree(&store).await;
    let day = d("01/02/2026");
    let head = store
        .add_member(&person("Lò Văn Páo", "1970", Sex::Male, "00004-A"), day, false, &who())
        .await
        .unwrap()
        .id;
    let wife = store
        .add_member(&person("Lò Thị Ón", "1972", Sex::Female, "00004-A"), day, false, &who())
        .await
        .unwrap()
        .id;
    let household = store
        .create_household(head, Some("Bản Mòn".into()), &who())
        .await
        .unwrap();
    store
        .join_household(wife, household, HouseholdRole::Spouse, &who())
        .await
        .unwrap();
    let e = member_error(
        store
            .join_household(wife, household, HouseholdRole::Child, &who())
            .await,
    );
    assert_eq!(e, MemberError::InHousehold { id: wife, household });
    let other = store
        .add_member(&person("Lò Văn Tủa", "1995", Sex::Male, "00004-A"), day, false, &who())
        .await
        .unwrap()
        .id;
    let e = member_error(
        store
            .join_household(other, household, HouseholdRole::Head, &who())
            .await,
    );
    assert_eq!(e, MemberError::SecondHead { household });
    store
        .set_household_category(household, 2024, HouseholdCategory::Poor, &who())
        .await
        .unwrap();
    store
        .set_household_category(household, 2025, HouseholdCategory::NearPoor, &who())
        .await
        .unwrap();
    store
        .set_household_category(household, 2025, HouseholdCategory::Other, &who())
        .await
        .unwrap();
    let h = store.household(household).await.unwrap();
    assert_eq!(
        h.members.iter().map(|m| (m.0, m.2.as_str())).collect::<Vec<_>>(),
        [(head, "head"), (wife, "spouse")]
    );
    assert_eq!(h.categories, [(2024, "poor".to_string()), (2025, "other".to_string())]);
    assert_eq!(h.province_code, "01");
    let e = member_error(
        store
            .set_household_category(999, 2025, HouseholdCategory::Poor, &who())
            .await,
    );
    assert_eq!(e, MemberError::UnknownHousehold { id: 999 });
}

/// The drill-down's figures of `code`'s children, read all at once, agree
/// with a count of the intervals child by child.
async fn children_agree(store: &Store, code: &str, day: Day) {
    let unit = store.unit(code, day).await.unwrap().unit;
    let counts = store.child_members(&unit, day).await.unwrap();
    for child in store.children(unit.id, day).await.unwrap() {
        assert_eq!(
            counts.get(&child.code).copied().unwrap_or(0),
            store.count_members_scan(&child.code, day).await.unwrap(),
            "{} below {code} on {day}",
            child.code
        );
    }
}
