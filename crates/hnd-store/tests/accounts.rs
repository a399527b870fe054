//! Accounts, grants, sessions, tokens and the audit log on both backends.

use chrono::{Duration, Utc};
use hnd_domain::{AccountError, Action, Role};
use hnd_store::{Audit, AuditFilter, Change, Store, StoreError};

hnd_store::both_backends!(
    grants_place_a_user_in_the_tree,
    wrong_passwords_lock_the_account_for_a_while,
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
    assert_eq!(me.grants.len(), 1);
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
    assert!(store.principal(id).await.unwrap().grants.is_empty());
    let e = store.grant("nobody", Role::Viewer, "00004", "admin").await.unwrap_err();
    assert!(matches!(account_error(e), AccountError::UnknownUser { .. }));
}

async fn wrong_passwords_lock_the_account_for_a_while(store: Store) {
    tree(&store).await;
    store.create_user("tinh", "Cán bộ tỉnh", "dung-mat-khau").await.unwrap();
    let now = Utc::now();
    let e = store
        .sign_in("khong-co", "bat-ky-mat-khau", "127.0.0.1", now)
        .await
        .unwrap_err();
    assert_eq!(
        account_error(e),
        AccountError::BadCredentials,
        "unknown login told like a wrong password"
    );
    for _ in 0..5 {
        let e = store
            .sign_in("tinh", "sai-mat-khau", "127.0.0.1", now)
            .await
            .unwrap_err();
        assert_eq!(account_error(e), AccountError::BadCredentials);
    }
    // Locked now, even with the right password.
    let e = store
        .sign_in("tinh", "dung-mat-khau", "127.0.0.1", now)
        .await
        .unwrap_err();
    assert!(matches!(account_error(e), AccountError::Locked { .. }));
    // After the lock runs out, the right password works.
    let later = now + Duration::minutes(16);
    store
        .sign_in("tinh", "dung-mat-khau", "127.0.0.1", later)
        .await
        .unwrap();
    // An administrator's reset also unlocks.
    for _ in 0..5 {
        let _ = store.sign_in("tinh", "sai-mat-khau", "127.0.0.1", later).await;
    }
    store.set_password("tinh", "mat-khau-moi-1").await.unwrap();
    store
        .sign_in("tinh", "mat-khau-moi-1", "127.0.0.1", later)
        .await
        .unwrap();
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
    store.sign_out(&session.token).await.unwrap();
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
