//! The date rules on every write path of the store, on both backends:
//! events at most the margin ahead, births not in the future, applicants
//! of the charter's age, and a transfer its sender cancels.

use hnd_domain::dates::{EVENT_DAYS_AHEAD, MIN_AGE};
use hnd_domain::{BirthDate, DateRuleError, Day, MemberError, OrgError, Sex, UnitName};
use hnd_store::testing::person;
use hnd_store::{Change, MemberRow, Store, StoreError};

hnd_store::both_backends!(
    events_too_far_ahead_are_refused_on_every_path,
    births_and_ages_are_checked_for_applicants,
    a_transfer_is_cancelled_by_its_sender,
    settings_change_the_limits,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn who() -> Change {
    Change::new("cán bộ xã", "kiểm thử")
}

fn today() -> Day {
    Day::today()
}

async fn tree(store: &Store) {
    let branches = [("00004-A", "00004"), ("21136-C", "21136")];
    hnd_store::testing::tree_with_branches(store, &branches, &who())
        .await
        .unwrap();
}

fn date_rule<T: std::fmt::Debug>(r: Result<T, StoreError>) -> DateRuleError {
    match r {
        Err(StoreError::Member(MemberError::Date(e))) | Err(StoreError::Org(OrgError::Date(e))) => e,
        other => panic!("expected a date rule, got {other:?}"),
    }
}

/// An active member of 00004-A since 01/01/2026.
async fn active(store: &Store, name: &str) -> i64 {
    let id = store
        .add_member(
            &person(name, "12/05/1985", Sex::Female, "00004-A"),
            d("01/01/2026"),
            false,
            &who(),
        )
        .await
        .unwrap()
        .id;
    store.admit(id, d("01/01/2026"), "1-QĐ", &who()).await.unwrap();
    id
}

async fn events_too_far_ahead_are_refused_on_every_path(store: Store) {
    tree(&store).await;
    let far = today().plus_days(31);
    let near = today().plus_days(30);
    let id = active(&store, "Nguyễn Thị Hoà").await;

    // The transfer of the report: dated 01/01/2035.
    let e = date_rule(store.send_transfer(id, "21136-C", d("01/01/2035"), &who()).await);
    assert!(matches!(e, DateRuleError::TooFarAhead { days: 30, .. }), "{e:?}");
    assert_eq!(store.member(id).await.unwrap().status, "active", "nothing saved");
    date_rule(store.send_transfer(id, "21136-C", far, &who()).await);
    date_rule(store.start_leave(id, far, &who()).await);
    date_rule(store.reissue_card(id, far, &who()).await);
    date_rule(store.end_membership(id, far, true, &who()).await);
    date_rule(
        store
            .add_member(&person("Lê Văn Tư", "1980", Sex::Male, "00004-A"), far, false, &who())
            .await,
    );
    // Renames in 2099, and every other tree edit, pass the same gate.
    let name = UnitName::parse("Hội Nông dân phường mới").unwrap();
    date_rule(store.rename("00004", &name, d("01/01/2099"), &who()).await);
    date_rule(store.move_unit("00004-A", "21136", far, &who()).await);
    date_rule(store.dissolve("21136-C", far, &who()).await);
    let mut founded = hnd_store::testing::branch("00004-Z", "Chi hội Z", "00004");
    founded.founded = Some(d("01/01/2040"));
    date_rule(store.create_units(vec![founded], today(), &who(), "create").await);
    date_rule(
        store
            .create_units(
                vec![hnd_store::testing::branch("00004-Y", "Chi hội Y", "00004")],
                far,
                &who(),
                "create",
            )
            .await,
    );

    // Within the margin: accepted (a decision taking effect next month).
    store.send_transfer(id, "21136-C", near, &who()).await.unwrap();
    store.confirm_transfer(id, near, &who()).await.unwrap();
    store.rename("00004", &name, near, &who()).await.unwrap();
    assert_eq!(store.member(id).await.unwrap().unit_code, "21136-C");
}

async fn births_and_ages_are_checked_for_applicants(store: Store) {
    tree(&store).await;
    let add = |birth: &str| person("Trần Văn Nam", birth, Sex::Male, "00004-A");
    // Born in 2030: refused.
    let e = date_rule(store.add_member(&add("2030"), today(), false, &who()).await);
    assert!(matches!(e, DateRuleError::BirthInFuture { .. }), "{e:?}");
    let tomorrow = today().plus_days(1).to_string();
    date_rule(store.add_member(&add(&tomorrow), today(), false, &who()).await);
    // A 6-year-old: refused, and the message names the charter's age.
    let six = Day::from_ymd(today().year() - 6, 1, 1).unwrap().to_string();
    let e = date_rule(store.add_member(&add(&six), today(), false, &who()).await);
    assert!(
        matches!(
            e,
            DateRuleError::TooYoung {
                age: 6,
                min_age: 18,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.message(hnd_domain::Lang::Vi).contains("18 tuổi"));
    // 18 on the day of application (not today): accepted; a day short: refused.
    let applied = d("01/03/2026");
    store
        .add_member(&add("01/03/2008"), applied, false, &who())
        .await
        .unwrap();
    let e = date_rule(store.add_member(&add("02/03/2008"), applied, false, &who()).await);
    assert!(matches!(e, DateRuleError::TooYoung { age: 17, .. }), "{e:?}");

    // Imports: a child, or a row admitted in 2040, refuses the whole load.
    let row = |birth: &str, admitted: Option<Day>| MemberRow {
        member: add(birth),
        admitted: admitted.map(|a| (a, "1-QĐ".to_string())),
        profile: None,
    };
    let e = date_rule(
        store
            .load_members(&[row("1970", None), row(&six, None)], today(), &who())
            .await,
    );
    assert!(matches!(e, DateRuleError::TooYoung { .. }), "{e:?}");
    let e = date_rule(
        store
            .load_members(&[row("1970", Some(d("01/01/2040")))], today(), &who())
            .await,
    );
    assert!(matches!(e, DateRuleError::TooFarAhead { .. }), "{e:?}");
    let loaded = store
        .load_members(&[row("1970", Some(d("01/01/2000")))], today(), &who())
        .await
        .unwrap();
    assert_eq!(loaded.created, 1);
    // Admitting later than the margin allows: refused.
    let id = store
        .add_member(
            &person("Phạm Thị Mai", "1990", Sex::Female, "00004-A"),
            today(),
            false,
            &who(),
        )
        .await
        .unwrap()
        .id;
    date_rule(store.admit(id, d("01/01/2040"), "1-QĐ", &who()).await);
    assert_eq!(store.member(id).await.unwrap().status, "applicant");
    let _ = BirthDate::Year(1990);
}

async fn a_transfer_is_cancelled_by_its_sender(store: Store) {
    tree(&store).await;
    let id = active(&store, "Đỗ Văn Hùng").await;
    store.send_transfer(id, "21136-C", today(), &who()).await.unwrap();
    store.cancel_transfer(id, today(), &who()).await.unwrap();
    let m = store.member(id).await.unwrap();
    assert_eq!((m.status.as_str(), m.transfer_to.as_deref()), ("active", None));
    let events = store.member_events(id).await.unwrap();
    assert_eq!(events.last().unwrap().kind, "transfer_cancel");
    // Still counted at home all along; a second cancel has nothing to cancel.
    assert_eq!(store.count_members("00004", today()).await.unwrap(), 1);
    assert!(matches!(
        store.cancel_transfer(id, today(), &who()).await,
        Err(StoreError::Member(MemberError::WrongStatus { .. }))
    ));

    // A transfer dated far ahead (written while the margin allowed it) no
    // longer strands the member: it is cancelled today, and the next
    // transfer starts and is confirmed today.
    store.set_setting(EVENT_DAYS_AHEAD, "366").await.unwrap();
    store
        .send_transfer(id, "21136-C", today().plus_days(300), &who())
        .await
        .unwrap();
    store.set_setting(EVENT_DAYS_AHEAD, "30").await.unwrap();
    assert!(matches!(
        store.confirm_transfer(id, today(), &who()).await,
        Err(StoreError::Member(MemberError::BeforeLastEvent { .. }))
    ));
    store.cancel_transfer(id, today(), &who()).await.unwrap();
    store.send_transfer(id, "21136-C", today(), &who()).await.unwrap();
    store.confirm_transfer(id, today(), &who()).await.unwrap();
    assert_eq!(store.member(id).await.unwrap().unit_code, "21136-C");
    // Never before what came before the transfer it cancels.
    store.send_transfer(id, "00004-A", today(), &who()).await.unwrap();
    assert!(matches!(
        store.cancel_transfer(id, d("01/01/2026"), &who()).await,
        Err(StoreError::Member(MemberError::BeforeLastEvent { .. }))
    ));
}

async fn settings_change_the_limits(store: Store) {
    tree(&store).await;
    assert_eq!(store.date_rules().await.unwrap(), hnd_domain::DateRules::default());
    let sixteen = Day::from_ymd(today().year() - 16, 1, 1).unwrap().to_string();
    let teen = person("Vũ Thị Hạnh", &sixteen, Sex::Female, "00004-A");
    date_rule(store.add_member(&teen, today(), false, &who()).await);
    let rules = store.set_setting(MIN_AGE, "16").await.unwrap();
    assert_eq!(rules.min_age, 16);
    store.add_member(&teen, today(), false, &who()).await.unwrap();
    // A value out of bounds or an unknown key: refused, nothing changed.
    assert!(matches!(
        date_rule(store.set_setting(MIN_AGE, "6").await),
        DateRuleError::BadSetting { .. }
    ));
    assert!(matches!(
        date_rule(store.set_setting("members.max_age", "60").await),
        DateRuleError::UnknownSetting { .. }
    ));
    assert_eq!(store.date_rules().await.unwrap().min_age, 16);
    // No margin at all: even tomorrow is refused.
    store.set_setting(EVENT_DAYS_AHEAD, "0").await.unwrap();
    let id = active(&store, "Hồ Văn Lâm").await;
    date_rule(store.start_leave(id, today().plus_days(1), &who()).await);
    store.start_leave(id, today(), &who()).await.unwrap();
}
