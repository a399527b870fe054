//! A search for a reader who may not see personal data (`MemberQuery::masked`,
//! used by the list, the API and the export) matches no CCCD or phone and
//! applies no filter on personal data, on both backends; and the holder of
//! a taken CCCD is described with where access to them is asked.

use hnd_domain::{Cccd, Day, Ethnicity, MemberError, Phone, Sex};
use hnd_store::{Change, MemberQuery, Store, StoreError};

hnd_store::both_backends!(
    a_masked_search_matches_no_personal_data,
    a_taken_cccd_tells_where_its_holder_is,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("kiểm thử", "dữ liệu kiểm thử")
}

/// Branch 00004-A with Lan (Tày, CCCD and phone) and Hoà (Kinh, admitted):
/// (Lan's CCCD, Hoà's card number).
async fn register(store: &Store) -> (String, String) {
    store.bootstrap(false, &who()).await.unwrap();
    let branch = hnd_store::testing::branch("00004-A", "Chi hội A", "00004");
    store
        .create_units(vec![branch], d("01/01/2026"), &who(), "create")
        .await
        .unwrap();
    let mut lan = hnd_store::testing::person("Lương Thị Lan", "1980", Sex::Female, "00004-A");
    lan.cccd = Some(Cccd::compose("001", 1980, Sex::Female, 4));
    lan.phone = Some(Phone::parse("0912345678").unwrap());
    lan.ethnicity = Ethnicity::parse("Tày");
    store.add_member(&lan, d("01/02/2026"), false, &who()).await.unwrap();
    let hoa = hnd_store::testing::person("Nguyễn Thị Hoà", "1985", Sex::Female, "00004-A");
    let id = store.add_member(&hoa, d("01/02/2026"), false, &who()).await.unwrap().id;
    let card = store.admit(id, d("01/03/2026"), "1-QĐ/HND", &who()).await.unwrap();
    (lan.cccd.unwrap().to_string(), card)
}

async fn a_masked_search_matches_no_personal_data(store: Store) {
    let (cccd, card) = register(&store).await;
    let tay = Ethnicity::parse("Tày").unwrap().code().to_string();
    let names = |masked: bool, text: Option<&str>, ethnicity: Option<&str>| {
        let q = MemberQuery {
            scope: "00004".into(),
            text: text.map(str::to_string),
            ethnicity: ethnicity.map(str::to_string),
            bhyt: Some(false),
            masked,
            limit: 50,
            ..Default::default()
        };
        let store = store.clone();
        async move {
            let (found, _) = store.find_members(&q).await.unwrap();
            found.into_iter().map(|m| m.full_name).collect::<Vec<_>>()
        }
    };
    // Unmasked: by CCCD, by phone, by ethnicity.
    assert_eq!(names(false, Some(&cccd), None).await, ["Lương Thị Lan"]);
    assert_eq!(names(false, Some("0912 345 678"), None).await, ["Lương Thị Lan"]);
    assert_eq!(names(false, None, Some(&tay)).await, ["Lương Thị Lan"]);
    // Masked: none of those match; the filters are not applied at all.
    assert!(names(true, Some(&cccd), None).await.is_empty());
    assert!(names(true, Some("0912345678"), None).await.is_empty());
    assert_eq!(names(true, None, Some(&tay)).await, ["Lương Thị Lan", "Nguyễn Thị Hoà"]);
    // A card number is not personal data; a name is a name.
    assert_eq!(names(true, Some(&card), None).await, ["Nguyễn Thị Hoà"]);
    assert_eq!(names(true, Some("luong"), None).await, ["Lương Thị Lan"]);
}

async fn a_taken_cccd_tells_where_its_holder_is(store: Store) {
    let (cccd, _) = register(&store).await;
    let mut again = hnd_store::testing::person("Người Khác", "1980", Sex::Female, "00004-A");
    again.cccd = Some(Cccd::parse(&cccd).unwrap());
    let e = match store.add_member(&again, d("01/02/2026"), false, &who()).await {
        Err(StoreError::Member(e)) => e,
        other => panic!("{other:?}"),
    };
    let (_, branch) = store.unit_path("00004-A").await.unwrap();
    let MemberError::DuplicateCccd { place, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (place.path.as_str(), place.province.as_str()),
        (branch.as_str(), "Thành phố Hà Nội")
    );
    // Told to someone who may not see the holder: the province only.
    let told = e.seen_as(|_| hnd_domain::access::HolderView::Province);
    assert_eq!(
        told,
        MemberError::CccdTaken {
            cccd,
            unit: None,
            province: "Thành phố Hà Nội".into()
        }
    );
    assert!(!told.message(hnd_domain::Lang::Vi).contains("Lương"));
}
