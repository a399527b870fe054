//! Member profiles on both backends: the scalar fields, positions,
//! titles, ratings, the photo, and the insurance filter of the search.

use hnd_domain::profile::{NewRating, NewRole, NewTitle, Photo, Position, Profile, Rating};
use hnd_domain::{Day, MemberError, Sex};
use hnd_store::{Change, MemberQuery, Store, StoreError};

hnd_store::both_backends!(
    a_profile_is_written_whole_and_read_back,
    roles_titles_and_ratings_are_added_and_removed,
    a_photo_is_kept_replaced_and_removed,
    search_filters_on_insurance,
    generated_members_get_insurance_at_the_rates_asked,
    a_member_page_reads_what_the_single_reads_do,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("cán bộ xã", "kiểm thử")
}

/// Commune 00004 with one branch and two active members: (Hoà, Đức).
async fn two_members(store: &Store) -> (i64, i64) {
    let units = vec![hnd_store::testing::branch("00004-A", "Chi hội A", "00004")];
    store.bootstrap(false, &who()).await.unwrap();
    store
        .create_units(units, d("01/01/2026"), &who(), "create")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (name, sex) in [("Nguyễn Thị Hoà", Sex::Female), ("Đặng Văn Đức", Sex::Male)] {
        let p = hnd_store::testing::person(name, "1980", sex, "00004-A");
        let id = store.add_member(&p, d("01/02/2026"), false, &who()).await.unwrap().id;
        store.admit(id, d("01/03/2026"), "1-QĐ/HND", &who()).await.unwrap();
        ids.push(id);
    }
    (ids[0], ids[1])
}

fn profile(fields: &[(&str, &str)]) -> Profile {
    Profile::parse(|name| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    })
    .unwrap()
}

async fn a_profile_is_written_whole_and_read_back(store: Store) {
    let (hoa, _) = two_members(&store).await;
    let empty = store.member_profile(hoa).await.unwrap();
    assert_eq!(empty.profile, Profile::default(), "never written: the defaults");
    assert!(empty.updated_by.is_none() && !empty.has_photo);

    let first = profile(&[
        ("cccd_issued_on", "15/03/2021"),
        ("occupation", "chăn nuôi"),
        ("produce", "bò thịt"),
        ("herd_size", "25"),
        ("farm_area_m2", "3.000"),
        ("general_grade", "9/12"),
        ("political_theory", "sơ cấp"),
        ("residential", "có"),
        ("professional", "có"),
        ("member_type", "regular"),
        ("core_member", "có"),
        ("party_member", "có"),
        ("party_joined_on", "03/02/2010"),
        ("party_official_on", "03/02/2011"),
        ("bhyt", "có"),
        ("bhyt_number", "GD4010123456789"),
        ("bhyt_expires_on", "31/12/2030"),
        ("bhxh", "không"),
    ]);
    let before = store.set_member_profile(hoa, &first, &who()).await.unwrap();
    assert_eq!(before, Profile::default());
    let read = store.member_profile(hoa).await.unwrap();
    assert_eq!(read.profile, first);
    assert_eq!(read.updated_by.as_deref(), Some("cán bộ xã"));

    let second = profile(&[("professional", "có"), ("member_type", "honorary")]);
    let before = store.set_member_profile(hoa, &second, &who()).await.unwrap();
    assert_eq!(before, first, "the upsert returns what it replaced");
    assert_eq!(store.member_profile(hoa).await.unwrap().profile, second);

    let unknown = store.set_member_profile(999_999, &second, &who()).await;
    assert!(matches!(
        unknown,
        Err(StoreError::Member(MemberError::UnknownMember { id: 999_999 }))
    ));
    // The tables refuse what the domain would: no membership kind at all.
    let sql = "UPDATE member_profiles SET residential = 0, professional = 0";
    assert!(hnd_store::testing::execute(&store, sql).await.is_err());
    let sql = "UPDATE member_profiles SET occupation = 'pilot'";
    assert!(hnd_store::testing::execute(&store, sql).await.is_err());
}

async fn roles_titles_and_ratings_are_added_and_removed(store: Store) {
    let (hoa, duc) = two_members(&store).await;
    let role = NewRole::parse("chi hội trưởng", "00004-A", "01/01/2026", "").unwrap();
    let role_id = store.add_member_role(hoa, &role, &who()).await.unwrap();
    // A unit of today's tree, for a position held before the unit was founded.
    let older = NewRole::parse("chi hội phó", "00004-A", "01/01/2020", "31/12/2025").unwrap();
    store.add_member_role(hoa, &older, &who()).await.unwrap();
    let title = NewTitle::parse("2025", "cấp tỉnh", "excellent_farmer", "QĐ 12/QĐ-HND").unwrap();
    let title_id = store.add_member_title(hoa, &title, &who()).await.unwrap();
    store
        .set_member_rating(hoa, &NewRating::parse("2025", "good", "").unwrap(), &who())
        .await
        .unwrap();
    let replaced = store
        .set_member_rating(hoa, &NewRating::parse("2025", "excellent", "có").unwrap(), &who())
        .await
        .unwrap();
    assert_eq!(replaced.map(|r| r.rating), Some(Rating::Good), "one rating a year");

    let p = store.member_profile(hoa).await.unwrap();
    assert_eq!(p.roles.len(), 2);
    assert_eq!(p.roles[0].id, role_id, "latest first");
    assert_eq!(p.roles[0].position, Position::BranchHead);
    assert_eq!(p.roles[0].unit_code.as_deref(), Some("00004-A"));
    assert_eq!(p.roles[1].to, Some(d("31/12/2025")));
    assert_eq!(p.titles[0].note.as_deref(), Some("QĐ 12/QĐ-HND"));
    assert_eq!((p.ratings[0].year, p.ratings[0].proposed_to_party), (2025, true));

    // Another member's entries are not this one's to remove.
    let refused = store.remove_member_role(duc, role_id, &who()).await;
    assert!(matches!(
        refused,
        Err(StoreError::Member(MemberError::UnknownEntry { .. }))
    ));
    let unknown_unit = NewRole::parse("tổ trưởng tổ hội", "99999-Z", "01/01/2026", "").unwrap();
    assert!(matches!(
        store.add_member_role(hoa, &unknown_unit, &who()).await,
        Err(StoreError::Org(_))
    ));

    assert_eq!(
        store.remove_member_role(hoa, role_id, &who()).await.unwrap().id,
        role_id
    );
    assert_eq!(
        store.remove_member_title(hoa, title_id, &who()).await.unwrap().year,
        2025
    );
    assert_eq!(
        store.remove_member_rating(hoa, 2025, &who()).await.unwrap().rating,
        Rating::Excellent
    );
    assert!(store.remove_member_rating(hoa, 2025, &who()).await.is_err());
    let p = store.member_profile(hoa).await.unwrap();
    assert_eq!((p.roles.len(), p.titles.len(), p.ratings.len()), (1, 0, 0));
}

async fn a_photo_is_kept_replaced_and_removed(store: Store) {
    let (hoa, _) = two_members(&store).await;
    assert_eq!(store.member_photo(hoa).await.unwrap(), None);
    let jpeg = [vec![0xFF, 0xD8, 0xFF, 0xE0], vec![7; 1000]].concat();
    store
        .set_member_photo(hoa, &Photo::parse(jpeg.clone()).unwrap(), &who())
        .await
        .unwrap();
    assert_eq!(
        store.member_photo(hoa).await.unwrap(),
        Some(("image/jpeg".to_string(), jpeg))
    );
    let png = [b"\x89PNG\r\n\x1a\n".to_vec(), vec![1, 2, 3]].concat();
    store
        .set_member_photo(hoa, &Photo::parse(png.clone()).unwrap(), &who())
        .await
        .unwrap();
    assert_eq!(store.member_photo(hoa).await.unwrap().unwrap().1, png);
    assert!(store.member_profile(hoa).await.unwrap().has_photo);
    assert!(store.delete_member_photo(hoa, &who()).await.unwrap());
    assert!(!store.delete_member_photo(hoa, &who()).await.unwrap());
    assert_eq!(store.member_photo(hoa).await.unwrap(), None);
}

async fn search_filters_on_insurance(store: Store) {
    let (hoa, duc) = two_members(&store).await;
    let insured = profile(&[("residential", "có"), ("bhyt", "có"), ("bhxh", "có")]);
    store.set_member_profile(hoa, &insured, &who()).await.unwrap();
    let not_insured = profile(&[("residential", "có"), ("bhyt", "không")]);
    store.set_member_profile(duc, &not_insured, &who()).await.unwrap();
    let ids = |q: MemberQuery| {
        let store = store.clone();
        async move {
            let (found, _) = store.find_members(&q).await.unwrap();
            found.into_iter().map(|m| m.id).collect::<Vec<_>>()
        }
    };
    let q = |bhyt: Option<bool>, bhxh: Option<bool>| MemberQuery {
        scope: "00004".into(),
        bhyt,
        bhxh,
        limit: 50,
        ..Default::default()
    };
    assert_eq!(ids(q(Some(true), None)).await, [hoa]);
    assert_eq!(ids(q(Some(false), None)).await, [duc]);
    assert_eq!(ids(q(None, Some(true))).await, [hoa]);
    assert_eq!(ids(q(None, Some(false))).await, [duc], "not known counts as none");
    assert_eq!(ids(q(None, None)).await.len(), 2);
    let with_text = MemberQuery {
        text: Some("nguyen".into()),
        ..q(Some(false), None)
    };
    assert!(ids(with_text).await.is_empty());
}

async fn generated_members_get_insurance_at_the_rates_asked(store: Store) {
    let (hoa, _) = two_members(&store).await;
    let kept = profile(&[("residential", "có"), ("bhyt", "không")]);
    store.set_member_profile(hoa, &kept, &who()).await.unwrap();
    let last = store.last_member_id().await.unwrap();
    let rows: Vec<hnd_store::MemberRow> = (0..1000)
        .map(|i| hnd_store::MemberRow {
            member: hnd_store::testing::person(&format!("Người Thứ {i}"), "1980", Sex::Male, "00004-A"),
            admitted: Some((d("01/03/2026"), "2-QĐ/HND".into())),
            profile: None,
        })
        .collect();
    store.load_members(&rows, d("01/03/2026"), &who()).await.unwrap();
    assert_eq!(
        store.sample_insurance(0, 960, 35).await.unwrap(),
        1001,
        "all but Hoà, who has a profile"
    );
    assert_eq!(
        store.member_profile(hoa).await.unwrap().profile,
        kept,
        "a profile is never overwritten"
    );
    let count = |bhyt: Option<bool>, bhxh: Option<bool>| {
        let q = MemberQuery {
            scope: "00004".into(),
            bhyt,
            bhxh,
            limit: 500,
            ..Default::default()
        };
        let store = store.clone();
        async move {
            let (mut n, mut offset) = (0, 0);
            loop {
                let (found, more) = store.find_members(&MemberQuery { offset, ..q.clone() }).await.unwrap();
                n += found.len();
                offset += 500;
                if !more {
                    return n;
                }
            }
        }
    };
    let insured = count(Some(true), None).await;
    assert!((930..=990).contains(&insured), "{insured} of 1002 with BHYT");
    let social = count(None, Some(true)).await;
    assert!((15..=60).contains(&social), "{social} of 1002 with BHXH");
    assert!(store.last_member_id().await.unwrap() >= last + 1000);
}

/// The member's page read at once holds what the reads one by one give,
/// in the same order, with every section filled.
async fn a_member_page_reads_what_the_single_reads_do(store: Store) {
    let (hoa, duc) = two_members(&store).await;
    for (position, from, to) in [
        ("chi hội phó", "01/01/2020", "31/12/2025"),
        ("chi hội trưởng", "01/01/2026", ""),
    ] {
        let role = NewRole::parse(position, "00004-A", from, to).unwrap();
        store.add_member_role(hoa, &role, &who()).await.unwrap();
    }
    for year in ["2024", "2025"] {
        let title = NewTitle::parse(year, "cấp tỉnh", "excellent_farmer", "").unwrap();
        store.add_member_title(hoa, &title, &who()).await.unwrap();
        let rating = NewRating::parse(year, "good", "").unwrap();
        store.set_member_rating(hoa, &rating, &who()).await.unwrap();
    }
    for village in ["Thôn Đông", "Thôn Tây"] {
        let fix = hnd_store::Correction {
            village: Some(Some(village.to_string())),
            ..Default::default()
        };
        store.correct_member(hoa, &fix, d("02/03/2026"), &who()).await.unwrap();
    }
    store.start_leave(hoa, d("01/04/2026"), &who()).await.unwrap();
    store.return_from_leave(hoa, d("01/04/2026"), &who()).await.unwrap();
    let household = store.create_household(duc, Some("Xóm 2".into()), &who()).await.unwrap();
    store
        .join_household(hoa, household, hnd_domain::HouseholdRole::Spouse, &who())
        .await
        .unwrap();
    for (year, category) in [
        (2026, hnd_domain::HouseholdCategory::Poor),
        (2025, hnd_domain::HouseholdCategory::NearPoor),
    ] {
        store
            .set_household_category(household, year, category, &who())
            .await
            .unwrap();
    }

    let page = store.member_page(hoa).await.unwrap();
    let same = |what: &str, page: String, single: String| assert_eq!(page, single, "{what}");
    same(
        "member",
        format!("{:?}", page.member),
        format!("{:?}", store.member(hoa).await.unwrap()),
    );
    same(
        "history",
        format!("{:?}", page.events),
        format!("{:?}", store.member_events(hoa).await.unwrap()),
    );
    same(
        "corrections",
        format!("{:?}", page.corrections),
        format!("{:?}", store.member_corrections(hoa).await.unwrap()),
    );
    same(
        "household",
        format!("{:?}", page.household),
        format!("{:?}", Some(store.household(household).await.unwrap())),
    );
    assert_eq!(page.unit_name, "Chi hội A");
    assert_eq!(page.events.len(), 6, "apply, admit, two corrections, leave, return");
    assert_eq!(page.corrections.len(), 2);
    let h = page.household.expect("in a household");
    assert_eq!((h.members.len(), h.categories.len()), (2, 2));
    assert_eq!(h.members[0].0, duc, "the head first");
    assert_eq!(h.categories[0].0, 2025, "oldest first");
    let p = page.profile;
    assert_eq!((p.roles.len(), p.titles.len(), p.ratings.len()), (2, 2, 2));
    assert_eq!(p.roles[0].position, Position::BranchHead, "latest first");
    assert_eq!((p.titles[0].year, p.ratings[0].year), (2025, 2025), "latest first");

    // The head: no entries nor corrections of their own, the same household.
    let bare = store.member_page(duc).await.unwrap();
    assert!(bare.corrections.is_empty() && bare.profile.roles.is_empty());
    assert_eq!(bare.household.map(|h| h.members.len()), Some(2));
    assert!(matches!(
        store.member_page(hoa + duc + 100).await,
        Err(StoreError::Member(MemberError::UnknownMember { .. }))
    ));
}
