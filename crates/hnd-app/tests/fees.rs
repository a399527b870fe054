//! Membership fees on both engines: the rate, payments all or none, one a
//! year, what each level collected and keeps, a history that follows a
//! member who moves.

use hnd_app::{Actor, App, AppError, Channel};
use hnd_domain::{Day, FeeError, FeeRate, Lang, Role, Sex};
use hnd_store::{Change, Store, StoreError};

hnd_store::both_backends!(fees_are_set_paid_once_and_add_up);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn setup() -> Change {
    Change::new("kiểm thử", "dựng dữ liệu")
}

async fn member(store: &Store, app: &App, officer: &Actor, name: &str, unit: &str) -> i64 {
    let person = hnd_store::testing::person(name, "12/05/1985", Sex::Female, unit);
    let id = store
        .add_member(&person, d("01/02/2026"), false, &setup())
        .await
        .unwrap()
        .id;
    app.admit(officer, &[id], d("01/03/2026"), "13-QĐ/HND").await.unwrap();
    id
}

async fn user(store: &Store, login: &str, role: Role, unit: &str) -> Actor {
    store.create_user(login, login, "mat-khau-dai-du").await.unwrap();
    store.grant(login, role, unit, "kiểm thử").await.unwrap();
    let principal = store.principal_by_login(login).await.unwrap();
    Actor::user(principal, "127.0.0.1", Channel::Web, Lang::Vi)
}

fn fee_error(result: Result<i64, AppError>) -> FeeError {
    match result {
        Err(AppError::Store(StoreError::Fee(e))) => e,
        other => panic!("a fee refusal, not {other:?}"),
    }
}

async fn fees_are_set_paid_once_and_add_up(store: Store) {
    store.bootstrap(false, &setup()).await.unwrap();
    let branch = |code: &str| hnd_store::testing::branch(code, &format!("Chi hội {code}"), "00004");
    let branches = vec![branch("00004-A"), branch("00004-B"), branch("00004-C")];
    store
        .create_units(branches, d("01/01/2026"), &setup(), "create")
        .await
        .unwrap();
    let app = App::new(store.clone());
    let officer = user(&store, "canbo.xa", Role::CommuneOfficer, "00004").await;
    let province = user(&store, "canbo.tinh", Role::ProvinceOfficer, "01").await;
    let an = member(&store, &app, &officer, "Nguyễn Thị An", "00004-A").await;
    let binh = member(&store, &app, &officer, "Trần Văn Bình", "00004-A").await;
    let cuc = member(&store, &app, &officer, "Lê Thị Cúc", "00004-B").await;
    let applicant = hnd_store::testing::person("Phạm Văn Đơn", "01/01/1990", Sex::Male, "00004-B");
    let applicant = store
        .add_member(&applicant, d("01/02/2026"), false, &setup())
        .await
        .unwrap()
        .id;

    // No fee set yet: nothing can be paid.
    let refused = fee_error(app.record_fees(&officer, &[an], 2026, d("05/03/2026")).await);
    assert!(matches!(refused, FeeError::NoRate { year: 2026, .. }), "{refused:?}");

    // The province sets it; a commune may not, nor may a fee be set on a commune.
    let rate = FeeRate::new(24_000, 12_000, 6_000, 4_000, 2_000).unwrap();
    assert!(matches!(
        app.set_fee_rate(&officer, "01", 2026, Ok(rate)).await,
        Err(AppError::Forbidden)
    ));
    // A rate that cannot be one is refused as such only to who may set one.
    let uneven = || FeeRate::new(24_000, 1, 1, 1, 1);
    assert!(matches!(
        app.set_fee_rate(&officer, "01", 2026, uneven()).await,
        Err(AppError::Forbidden)
    ));
    let refused = app.set_fee_rate(&province, "01", 2026, uneven()).await.unwrap_err();
    assert_eq!(refused.field_name(), Some("amount"));
    let on_commune = app.set_fee_rate(&province, "00004", 2026, Ok(rate)).await;
    assert_eq!(on_commune.unwrap_err().field_name(), Some("unit"));
    assert_eq!(app.set_fee_rate(&province, "01", 2026, Ok(rate)).await.unwrap(), None);
    assert_eq!(store.fee_rate("01", 2026).await.unwrap(), Some(rate));

    // A batch is all or none: an applicant pays no fee, and the others of
    // the batch are not recorded either.
    let refused = fee_error(app.record_fees(&officer, &[an, applicant], 2026, d("05/03/2026")).await);
    assert!(matches!(refused, FeeError::NotPaying { .. }), "{refused:?}");
    assert!(store.member_fees(an).await.unwrap().is_empty());
    assert_eq!(
        app.record_fees(&officer, &[an, cuc], 2026, d("05/03/2026"))
            .await
            .unwrap(),
        48_000
    );
    // Paid twice, even beside a member who has not paid: refused whole.
    let refused = fee_error(app.record_fees(&officer, &[binh, an], 2026, d("06/03/2026")).await);
    assert!(
        matches!(refused, FeeError::PaidAlready { year: 2026, .. }),
        "{refused:?}"
    );
    assert!(store.member_fees(binh).await.unwrap().is_empty());
    // Not on a day to come, not for a year out of range.
    assert!(
        app.record_fees(&officer, &[binh], 2026, Day::today().plus_days(3))
            .await
            .is_err()
    );
    assert!(app.record_fees(&officer, &[binh], 1990, d("06/03/2026")).await.is_err());

    // The commune reads each branch: members, payers, money and shares.
    let report = app.fee_report(&officer, "00004", 2026).await.unwrap();
    assert_eq!(report.rate, Some(rate));
    let row = |code: &str| report.rows.iter().find(|r| r.code == code).unwrap().clone();
    let (a, b, c) = (row("00004-A"), row("00004-B"), row("00004-C"));
    assert_eq!((a.members, a.paid, a.collected), (2, 1, 24_000));
    assert_eq!((b.members, b.paid, b.collected), (1, 1, 24_000));
    assert_eq!((c.members, c.paid, c.collected), (0, 0, 0));
    assert_eq!(a.shares, [12_000, 6_000, 4_000, 2_000]);
    assert_eq!(
        (report.total.members, report.total.paid, report.total.collected),
        (3, 2, 48_000)
    );
    assert_eq!(report.total.shares, [24_000, 12_000, 8_000, 4_000]);
    // A branch lists its members with who paid.
    let branch = app.fee_report(&officer, "00004-A", 2026).await.unwrap();
    let paid: Vec<(i64, bool)> = branch.members.iter().map(|m| (m.id, m.paid)).collect();
    assert_eq!(paid, vec![(an, true), (binh, false)]);
    // Another province's commune reads nothing of this one.
    let far = user(&store, "canbo.xa.khac", Role::CommuneOfficer, "21136").await;
    assert!(matches!(
        app.fee_report(&far, "00004", 2026).await,
        Err(AppError::Forbidden)
    ));

    // A member who moves keeps their payments, filed under the unit that
    // collected them.
    app.send_transfer(&officer, an, "00004-C", d("10/03/2026"))
        .await
        .unwrap();
    app.confirm_transfer(&officer, an, d("11/03/2026")).await.unwrap();
    let history = app.member_fees(&officer, an).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].year, history[0].amount), (2026, 24_000));
    assert_eq!(history[0].unit_code, "00004-A");
    let refused = fee_error(app.record_fees(&officer, &[an], 2026, d("12/03/2026")).await);
    assert!(matches!(refused, FeeError::PaidAlready { .. }), "{refused:?}");
}
