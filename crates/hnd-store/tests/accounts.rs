//! Accounts, grants, sessions, tokens and the audit log on both backends.

use chrono::{Duration, Utc};
use hnd_domain::{AccountError, Action, Role};
use hnd_store::{Audit, AuditFilter, Change, Store, StoreError};

hnd_store::both_backends!(
    grants_place_a_user_in_the_tree,
    failed_sign_ins_throttle_a_pair_and_lock_nobody_out,
    a_login_under_attack_gives_each_address_one_try,
    sessions_and_tokens_stand_for_their_user,
    the_audit_log_is_append_only_and_filtered,
);

async fn tree(store: &Store) {
    store.bootstrap(false, &Change::new("kiểm thử", "cây")).await.unwrap();
}

fn account_error(e: StoreError) -> AccountError {
    match e {
        StoreError::Account(e) => e,
        other => panic!("expected an account error, got {other:?}"),
    }
}

async fn grants_place_a_user_in_the_tree(store: Store) {
    tree(&store).await;
    let id = store
        .create_user("can.bo.xa", "Nguyễn Văn Xã", "mat-khau-du-dai")
        .await
        .unwrap();
    let e = store
        .create_user("can.bo.xa", "Khác", "mat-khau-du-dai")
        .await
        .unwrap_err();
    assert_eq!(
        account_error(e),
        AccountError::LoginTaken {
            login: "can.bo.xa".into()
        }
    );
    let e = store.create_user("x y", "Khác", "mat-khau-du-dai").await.unwrap_err();
    assert!(matches!(account_error(e), AccountError::BadLogin { .. }));
    let e = store.create_user("ngan", "Khác", "ngan").await.unwrap_err();
    assert_eq!(account_error(e), AccountError::WeakPassword);

    store
        .grant("can.bo.xa", Role::CommuneOfficer, "00004", "admin")
        .await
        .unwrap();
    let me = store.principal(id).await.unwrap();
    assert_eq!(me.grants().len(), 1);
    let (_, commune) = store.unit_path("00004").await.unwrap();
    let (_, other) = store.unit_path("00008").await.unwrap();
    let (_, province) = store.unit_path("01").await.unwrap();
    assert!(me.may(Action::EditMembers, &commune));
    assert!(!me.may(Action::ViewMembers, &other));
    assert!(!me.may(Action::ViewMembers, &province));

    assert_eq!(
        store.revoke("can.bo.xa", Role::CommuneOfficer, "00004").await.unwrap(),
        1
    );
    assert!(store.principal(id).await.unwrap().grants().is_empty());
    let e = store.grant("nobody", Role::Viewer, "00004", "admin").await.unwrap_err();
    assert!(matches!(account_error(e), AccountError::UnknownUser { .. }));
}

async fn sign_in_refused(store: &Store, login: &str, password: &str, address: &str, at: chrono::DateTime<Utc>) {
    let e = store.sign_in(login, password, address, at).await.unwrap_err();
    assert_eq!(account_error(e), AccountError::BadCredentials, "{login} from {address}");
}

async fn failed_sign_ins_throttle_a_pair_and_lock_nobody_out(store: Store) {
    tree(&store).await;
    store.create_user("tinh", "Cán bộ tỉnh", "dung-mat-khau").await.unwrap();
    let now = Utc::now();
    // Unknown login told like a wrong password.
    sign_in_refused(&store, "khong-co", "bat-ky-mat-khau", "10.0.0.1", now).await;
    for _ in 0..5 {
        sign_in_refused(&store, "tinh", "sai-mat-khau", "10.0.0.1", now).await;
    }
    // That address is throttled on that login, even with the right
    // password, and told exactly as for a wrong one...
    sign_in_refused(&store, "tinh", "dung-mat-khau", "10.0.0.1", now).await;
    // ... but the owner, from another address, signs in: no lock.
    store.sign_in("tinh", "dung-mat-khau", "10.0.0.2", now).await.unwrap();
    // An unknown login is throttled the same way, so that being throttled
    // says nothing about whether a login exists.
    for _ in 0..6 {
        sign_in_refused(&store, "khong-co", "sai", "10.0.0.1", now).await;
    }
    // After the window, the first address may try again.
    let later = now + Duration::minutes(16);
    store.sign_in("tinh", "dung-mat-khau", "10.0.0.1", later).await.unwrap();
    // A success forgets that pair's failures; an administrator's reset
    // forgets all of the login's.
    for _ in 0..5 {
        sign_in_refused(&store, "tinh", "sai-mat-khau", "10.0.0.1", later).await;
    }
    sign_in_refused(&store, "tinh", "dung-mat-khau", "10.0.0.1", later).await;
    store.set_password("tinh", "mat-khau-moi-1").await.unwrap();
    store
        .sign_in("tinh", "mat-khau-moi-1", "10.0.0.1", later)
        .await
        .unwrap();
}

async fn a_login_under_attack_gives_each_address_one_try(store: Store) {
    tree(&store).await;
    store
        .create_user("admin", "Quản trị", "mat-khau-quan-tri")
        .await
        .unwrap();
    let now = Utc::now();
    // Many addresses guess, each below its own limit.
    for i in 0..hnd_store::ACCOUNT_FAILURES {
        let address = format!("10.1.{}.{}", i / 4, i % 4);
        sign_in_refused(&store, "admin", "doan-mo", &address, now).await;
    }
    // Now one failure is all an address gets on that login...
    sign_in_refused(&store, "admin", "doan-mo", "10.2.0.1", now).await;
    sign_in_refused(&store, "admin", "mat-khau-quan-tri", "10.2.0.1", now).await;
    // ... while the owner, from an address that has not failed, still
    // signs in, and other logins are not slowed at all.
    store
        .sign_in("admin", "mat-khau-quan-tri", "10.3.0.1", now)
        .await
        .unwrap();
    store
        .create_user("huyen", "Cán bộ huyện", "mat-khau-huyen")
        .await
        .unwrap();
    sign_in_refused(&store, "huyen", "sai", "10.2.0.1", now).await;
    store.sign_in("huyen", "mat-khau-huyen", "10.2.0.1", now).await.unwrap();
}

async fn sessions_and_tokens_stand_for_their_user(store: Store) {
    tree(&store).await;
    let id = store
        .create_user("trunguong", "Trung ương", "mat-khau-trung-uong")
        .await
        .unwrap();
    store
        .grant("trunguong", Role::CentralAdmin, "TW", "setup")
        .await
        .unwrap();
    let now = Utc::now();
    let session = store
        .sign_in("trunguong", "mat-khau-trung-uong", "10.0.0.1", now)
        .await
        .unwrap();
    let (me, csrf) = store.session(&session.token, now).await.unwrap().unwrap();
    assert_eq!(me.id, id);
    assert_eq!(csrf, session.csrf);
    assert!(store.session("forged", now).await.unwrap().is_none());
    assert!(
        store
            .session(&session.token, now + Duration::hours(13))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    store
        .sign_out(&session.token, &Change::new("trunguong", ""))
        .await
        .unwrap();
    assert!(store.session(&session.token, now).await.unwrap().is_none());
    // A password change ends every session.
    let session = store
        .sign_in("trunguong", "mat-khau-trung-uong", "10.0.0.1", now)
        .await
        .unwrap();
    store.set_password("trunguong", "mat-khau-moi-hon").await.unwrap();
    assert!(store.session(&session.token, now).await.unwrap().is_none());

    let token = store.create_api_token("trunguong", "script").await.unwrap();
    assert_eq!(store.api_principal(&token).await.unwrap().unwrap().login, "trunguong");
    assert!(store.api_principal("hnd_forged").await.unwrap().is_none());
}

async fn the_audit_log_is_append_only_and_filtered(store: Store) {
    tree(&store).await;
    let (unit, _) = store.unit_path("00004").await.unwrap();
    for (actor, action) in [("a", "member.add"), ("b", "export"), ("a", "org.rename")] {
        store
            .audit(&Audit {
                actor: actor.to_string(),
                address: "127.0.0.1".to_string(),
                action: action.to_string(),
                unit_id: Some(unit),
                member_id: None,
                detail: serde_json::json!({"before": {"name": "Cũ"}, "after": {"name": "Mới"}}),
            })
            .await
            .unwrap();
    }
    let all = store
        .audit_entries(&AuditFilter {
            unit_id: Some(unit),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].action, "org.rename", "newest first");
    assert_eq!(all[0].detail["after"]["name"], "Mới");
    let by_a = store
        .audit_entries(&AuditFilter {
            actor: Some("a".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_a.len(), 2);
    let today = Utc::now().date_naive().to_string();
    let dated = store
        .audit_entries(&AuditFilter {
            from: Some(today.clone()),
            to: Some(today),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(dated.len(), 3);
    // Neither engine lets the log be edited or trimmed.
    assert!(
        hnd_store::testing::execute(&store, "UPDATE audit_log SET actor = 'x'")
            .await
            .is_err()
    );
    assert!(
        hnd_store::testing::execute(&store, "DELETE FROM audit_log")
            .await
            .is_err()
    );
}
