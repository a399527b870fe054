//! Accounts managed on the web by an administrator: a new account, a role
//! on a unit, a password reset and an API token shown once, a role taken
//! back; all audited, and refused to who does not manage accounts.

mod common;

use common::{csrf_in, fixture};
use hnd_store::{AuditFilter, Store};

hnd_store::both_backends!(an_administrator_manages_accounts_on_the_web);

fn secret_in(page: &str) -> String {
    let start = page.find("id=\"secret\"").expect("a secret shown once");
    let code = &page[start..];
    let code = &code[code.find("<code>").unwrap() + 6..];
    code[..code.find("</code>").unwrap()].to_string()
}

async fn an_administrator_manages_accounts_on_the_web(store: Store) {
    let f = fixture(store).await;
    let mut admin = f.server.signed_in("admin").await;
    let page = admin.get("/users").await.text();
    assert!(page.contains("xa4") && page.contains("xa8"), "{page}");
    let csrf = csrf_in(&page);
    let r = admin
        .post_form(
            "/users",
            &[("csrf", &csrf), ("login", "xa4.moi"), ("full_name", "Cán bộ xã mới")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let password = secret_in(&r.text());
    let r = admin
        .post_form(
            "/users/xa4.moi/grant",
            &[("csrf", &csrf), ("role", "commune_officer"), ("on", "00004")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("id=\"users-notice\""));
    // The new officer signs in with the password shown once and sees the commune.
    let mut newcomer = f.server.client();
    let r = newcomer.sign_in("xa4.moi", &password).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let hoa = f.members["Nguyễn Thị Hoà"];
    assert_eq!(newcomer.get(&format!("/members/{hoa}")).await.status, 200);
    // A token, shown once; then revoked.
    let r = admin
        .post_form("/users/xa4.moi/tokens", &[("csrf", &csrf), ("label", "máy xã")])
        .await;
    let token = secret_in(&r.text());
    assert!(token.starts_with("hnd_"));
    let users = f.server.store.users_under("/", true, 100).await.unwrap();
    let reference = users.iter().find(|u| u.login == "xa4.moi").unwrap().tokens[0]
        .reference
        .clone();
    let r = admin
        .post_form(&format!("/users/xa4.moi/tokens/{reference}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, 200);
    assert!(f.server.store.api_principal(&token).await.unwrap().is_none());
    // A password too short is refused with why; a reset ends the sessions.
    let r = admin
        .post_form("/users/xa4.moi/password", &[("csrf", &csrf), ("password", "ngan")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"users-error\""));
    let r = admin
        .post_form("/users/xa4.moi/password", &[("csrf", &csrf), ("password", "")])
        .await;
    assert_eq!(r.status, 200);
    assert!(!secret_in(&r.text()).is_empty());
    let r = admin
        .post_form(
            "/users/xa4.moi/revoke",
            &[("csrf", &csrf), ("role", "commune_officer"), ("on", "00004")],
        )
        .await;
    assert_eq!(r.status, 200);
    // Each change is on record, under a unit, and no secret is.
    let entries = f.server.store.audit_entries(&AuditFilter::default()).await.unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .filter(|e| e.action.starts_with("user."))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "user.revoke",
            "user.password",
            "user.token_revoke",
            "user.token",
            "user.grant",
            "user.create"
        ]
    );
    assert!(
        entries
            .iter()
            .filter(|e| e.action.starts_with("user."))
            .all(|e| e.unit_code.is_some())
    );
    let log = format!("{:?}", entries);
    assert!(!log.contains(&password) && !log.contains(&token));
    // A commune officer manages no accounts.
    let mut xa4 = f.server.signed_in("xa4").await;
    assert_eq!(xa4.get("/users").await.status, 403);
}
