//! Searching the register by any part of a name, and by exact keys, on
//! both engines.

use hnd_domain::{Cccd, Day, Phone, Sex};
use hnd_store::testing::person;
use hnd_store::{Change, MemberQuery, MemberRow, Store};

hnd_store::both_backends!(
    any_word_of_the_name_finds_a_member,
    the_name_typed_comes_first,
    phones_in_any_form_cccd_and_cards,
    renamed_and_moved_members_are_found_where_they_are_now,
    loaded_members_and_short_prefixes,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("cán bộ xã", "kiểm thử")
}

async fn tree(store: &Store) {
    // 00004 and 00008 are in province 01, 21136 in province 51.
    let branches = [("00004-A", "00004"), ("00008-B", "00008"), ("21136-C", "21136")];
    hnd_store::testing::tree_with_branches(store, &branches, &who())
        .await
        .unwrap();
}

async fn add(store: &Store, name: &str, birth: &str, sex: Sex, unit: &str) -> i64 {
    store
        .add_member(&person(name, birth, sex, unit), d("01/02/2026"), false, &who())
        .await
        .unwrap()
        .id
}

fn names(found: Vec<hnd_store::Member>) -> Vec<String> {
    found.into_iter().map(|m| m.full_name).collect()
}

async fn search(store: &Store, text: &str, scope: &str) -> Vec<String> {
    names(store.search_members(text, Some(scope), 50).await.unwrap())
}

fn query(scope: &str, text: &str) -> MemberQuery {
    MemberQuery {
        scope: scope.into(),
        text: Some(text.into()),
        limit: 50,
        ..Default::default()
    }
}

async fn any_word_of_the_name_finds_a_member(store: Store) {
    tree(&store).await;
    add(&store, "Nguyễn Văn Lâm", "1970", Sex::Male, "00004-A").await;
    add(&store, "Trần Thị Lan", "1980", Sex::Female, "00004-A").await;
    add(&store, "Nguyễn Văn An", "1975", Sex::Male, "00008-B").await;
    add(&store, "Đặng Thị Lâm", "1990", Sex::Female, "21136-C").await;

    // The given name alone, with or without its marks.
    assert_eq!(search(&store, "Lâm", "01").await, ["Nguyễn Văn Lâm"]);
    assert_eq!(search(&store, "lam", "TW").await, ["Nguyễn Văn Lâm", "Đặng Thị Lâm"]);
    // Family and given name, in either order; the middle name left out.
    assert_eq!(search(&store, "nguyen lam", "TW").await, ["Nguyễn Văn Lâm"]);
    assert_eq!(search(&store, "lâm NGUYỄN", "TW").await, ["Nguyễn Văn Lâm"]);
    // Word prefixes: "la" begins Lâm and Lan, "ng" Nguyễn; đ is d.
    assert_eq!(search(&store, "ng la", "TW").await, ["Nguyễn Văn Lâm"]);
    assert_eq!(search(&store, "la", "01").await, ["Nguyễn Văn Lâm", "Trần Thị Lan"]);
    assert_eq!(search(&store, "d lam", "TW").await, ["Đặng Thị Lâm"]);
    // Every typed word must begin a word: "an" is not inside "Lan".
    assert_eq!(search(&store, "an", "TW").await, ["Nguyễn Văn An"]);
    assert!(search(&store, "van lan", "TW").await.is_empty());
    // The scope and the filters still apply.
    assert_eq!(search(&store, "nguyen", "00008").await, ["Nguyễn Văn An"]);
    assert!(search(&store, "lam", "00008-B").await.is_empty());
    let (found, _) = store
        .find_members(&MemberQuery {
            sex: Some("female".into()),
            ..query("TW", "lam")
        })
        .await
        .unwrap();
    assert_eq!(names(found), ["Đặng Thị Lâm"]);
}

async fn the_name_typed_comes_first(store: Store) {
    tree(&store).await;
    add(&store, "Nguyễn Văn Lâm", "1970", Sex::Male, "00004-A").await;
    add(&store, "Lê Nguyễn Lâm", "1972", Sex::Male, "00004-A").await;
    add(&store, "Nguyễn Lâm Anh", "1985", Sex::Female, "00004-A").await;
    let late = add(&store, "Nguyễn Lâm", "1990", Sex::Male, "00004-A").await;
    let early = add(&store, "Nguyễn Lâm", "1960", Sex::Male, "00008-B").await;
    add(&store, "Nguyễn Lâm", "1950", Sex::Male, "21136-C").await;

    // Exactly the name typed (by birth year), then names beginning with
    // it, then the rest, each by folded name.
    let found = store.search_members("Nguyễn Lâm", Some("01"), 50).await.unwrap();
    let ids: Vec<i64> = found.iter().take(2).map(|m| m.id).collect();
    assert_eq!(ids, [early, late]);
    assert_eq!(
        names(found),
        [
            "Nguyễn Lâm",
            "Nguyễn Lâm",
            "Nguyễn Lâm Anh",
            "Lê Nguyễn Lâm",
            "Nguyễn Văn Lâm"
        ]
    );
    // Across the country the exact names of every province come first.
    assert_eq!(
        names(store.search_members("nguyen lam", None, 50).await.unwrap()),
        [
            "Nguyễn Lâm",
            "Nguyễn Lâm",
            "Nguyễn Lâm",
            "Nguyễn Lâm Anh",
            "Lê Nguyễn Lâm",
            "Nguyễn Văn Lâm"
        ]
    );
    // Pages cut through the ranks in order.
    let page = |offset: i64| {
        let store = store.clone();
        async move {
            store
                .find_members(&MemberQuery {
                    limit: 2,
                    offset,
                    ..query("01", "nguyen lam")
                })
                .await
                .unwrap()
        }
    };
    let (first, more) = page(0).await;
    assert_eq!(
        (first.iter().map(|m| m.id).collect::<Vec<_>>(), more),
        (vec![early, late], true)
    );
    let (second, more) = page(2).await;
    assert_eq!(
        (names(second), more),
        (vec!["Nguyễn Lâm Anh".to_string(), "Lê Nguyễn Lâm".to_string()], true)
    );
    let (third, more) = page(4).await;
    assert_eq!((names(third), more), (vec!["Nguyễn Văn Lâm".to_string()], false));
}

async fn phones_in_any_form_cccd_and_cards(store: Store) {
    tree(&store).await;
    let mut hoa = person("Nguyễn Thị Hoà", "12/05/1985", Sex::Female, "00004-A");
    hoa.phone = Some(Phone::parse("0912345678").unwrap());
    hoa.cccd = Some(Cccd::compose("001", 1985, Sex::Female, 7));
    let id = store.add_member(&hoa, d("01/02/2026"), false, &who()).await.unwrap().id;
    let card = store.admit(id, d("01/03/2026"), "12-QĐ/HND", &who()).await.unwrap();
    add(&store, "Trần Văn Nam", "1970", Sex::Male, "00004-A").await;
    let cccd = hoa.cccd.unwrap().to_string();

    for typed in [
        "0912345678",
        "0912 345 678",
        "+84 912345678",
        "+84 912 345 678",
        "84912345678",
        "0912.345.678",
        "0912-345-678",
        cccd.as_str(),
        card.as_str(),
    ] {
        assert_eq!(search(&store, typed, "TW").await, ["Nguyễn Thị Hoà"], "{typed}");
    }
    // Who may not see a CCCD or a phone may not search by them: only the
    // card number finds.
    let masked = |text: &str| MemberQuery {
        masked: true,
        ..query("TW", text)
    };
    for typed in ["0912345678", "+84 912 345 678", cccd.as_str()] {
        let (found, _) = store.find_members(&masked(typed)).await.unwrap();
        assert!(found.is_empty(), "{typed} must not find for a masked reader");
    }
    let (found, _) = store.find_members(&masked(&card)).await.unwrap();
    assert_eq!(names(found), ["Nguyễn Thị Hoà"]);
}

async fn renamed_and_moved_members_are_found_where_they_are_now(store: Store) {
    tree(&store).await;
    let id = add(&store, "Nguyễn Văn Lâm", "1970", Sex::Male, "00004-A").await;
    store.admit(id, d("01/03/2026"), "12-QĐ/HND", &who()).await.unwrap();
    let fix = hnd_store::Correction {
        full_name: Some("Nguyễn Văn Hùng".into()),
        ..Default::default()
    };
    store.correct_member(id, &fix, d("02/03/2026"), &who()).await.unwrap();
    assert_eq!(search(&store, "hung", "01").await, ["Nguyễn Văn Hùng"]);
    assert_eq!(search(&store, "nguyen van hung", "TW").await, ["Nguyễn Văn Hùng"]);
    assert!(search(&store, "lam", "TW").await.is_empty(), "not by the old name");

    // A transfer to a branch of province 51: found there, not in 01.
    store
        .send_transfer(id, "21136-C", d("01/04/2026"), &who())
        .await
        .unwrap();
    store.confirm_transfer(id, d("05/04/2026"), &who()).await.unwrap();
    assert_eq!(search(&store, "hung", "51").await, ["Nguyễn Văn Hùng"]);
    assert_eq!(search(&store, "hung", "21136-C").await, ["Nguyễn Văn Hùng"]);
    assert!(search(&store, "hung", "01").await.is_empty());
    assert_eq!(search(&store, "hung", "TW").await, ["Nguyễn Văn Hùng"], "once");

    // A correction of the birth year reorders equal names.
    let other = add(&store, "Nguyễn Văn Hùng", "1980", Sex::Male, "21136-C").await;
    let order = |found: Vec<hnd_store::Member>| found.into_iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(
        order(store.search_members("hung", Some("51"), 9).await.unwrap()),
        [id, other]
    );
    let fix = hnd_store::Correction {
        birth: hnd_domain::BirthDate::parse("1990"),
        ..Default::default()
    };
    store.correct_member(id, &fix, d("06/04/2026"), &who()).await.unwrap();
    assert_eq!(
        order(store.search_members("hung", Some("51"), 9).await.unwrap()),
        [other, id]
    );
}

async fn loaded_members_and_short_prefixes(store: Store) {
    tree(&store).await;
    // Thirty given names beginning with "t", loaded in bulk: more distinct
    // words than one search reads as streams.
    let given: Vec<String> = ('a'..='z')
        .chain(['a', 'b', 'c', 'd'])
        .enumerate()
        .map(|(i, c)| format!("T{c}{i}"))
        .collect();
    let rows: Vec<MemberRow> = given
        .iter()
        .enumerate()
        .map(|(i, g)| MemberRow {
            member: person(&format!("Lê Văn {g}"), &format!("{}", 1950 + i), Sex::Male, "00004-A"),
            admitted: None,
            profile: None,
        })
        .collect();
    store.load_members(&rows, d("01/02/2026"), &who()).await.unwrap();
    add(&store, "Phạm Thị Hoa", "1980", Sex::Female, "00004-A").await;
    add(&store, "Trần Thị Hoa", "1981", Sex::Female, "00004-A").await;

    assert_eq!(search(&store, "tb1", "01").await, ["Lê Văn Tb1"]);
    assert_eq!(search(&store, "le tb", "TW").await, ["Lê Văn Tb1", "Lê Văn Tb27"]);
    // "t" begins thirty-one words here: the names beginning with it first,
    // then every other name with a word beginning with it, by name.
    let found = search(&store, "t", "01").await;
    assert_eq!(found.len(), 32);
    assert_eq!(found[0], "Trần Thị Hoa");
    assert_eq!(found[1], "Lê Văn Ta0");
    assert_eq!(found[31], "Phạm Thị Hoa");
    // With a second word the rarest leads.
    assert_eq!(search(&store, "t hoa", "01").await, ["Phạm Thị Hoa", "Trần Thị Hoa"]);
    assert_eq!(search(&store, "thi t", "01").await, ["Phạm Thị Hoa", "Trần Thị Hoa"]);
}
