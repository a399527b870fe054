//! Accounts: users, their roles on units, passwords and API tokens,
//! managed by who holds `ManageUsers` over the units concerned.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, Principal, Role};
use hnd_store::Session;
use serde_json::json;

/// The code of the root of the tree: the Central Committee.
const ROOT: &str = "TW";

impl App {
    /// The unit an actor's account changes are filed under: the highest
    /// unit where they manage accounts (the root for the operator).
    async fn manager_unit(&self, actor: &Actor) -> Result<Option<i64>, AppError> {
        match actor.principal() {
            Some(p) => {
                let home = p.home(Action::ManageUsers).ok_or(AppError::Forbidden)?;
                Ok(Some(self.store.unit_path(&home.unit_code).await?.0))
            }
            // Before the tree exists there is no unit to file it under.
            None => Ok(self.store.unit_path(ROOT).await.ok().map(|(id, _)| id)),
        }
    }

    /// The account `login`, if the actor may manage it; returns the unit
    /// its changes are filed under (its highest grant, else the actor's).
    async fn account_to_manage(&self, actor: &Actor, login: &str) -> Result<Option<i64>, AppError> {
        let account = self.store.principal_by_login(login).await?;
        let paths: Vec<&str> = account.grants().iter().map(|g| g.path.as_str()).collect();
        if let Some(p) = actor.principal()
            && !p.may_manage_account(&paths)
        {
            return Err(AppError::Forbidden);
        }
        if account.grants().is_empty() {
            return self.manager_unit(actor).await;
        }
        self.account_unit(&account).await
    }

    /// The unit an account's own events (sign-in, password) are filed
    /// under: its highest grant's unit, else the root.
    async fn account_unit(&self, account: &Principal) -> Result<Option<i64>, AppError> {
        match account.grants().first() {
            Some(g) => Ok(Some(self.store.unit_path(&g.unit_code).await?.0)),
            None => Ok(self.store.unit_path(ROOT).await.ok().map(|(id, _)| id)),
        }
    }

    /// A new account, with no role until one is granted.
    pub async fn create_user(
        &self,
        actor: &Actor,
        login: &str,
        full_name: &str,
        password: &str,
    ) -> Result<i64, AppError> {
        let unit_id = self.manager_unit(actor).await?;
        let change = actor.change(
            "",
            Entry {
                action: "user.create",
                unit_id,
                member_id: None,
                detail: json!({"before": {}, "after": {"login": login.trim(), "name": full_name.trim()}}),
            },
        );
        Ok(self.store.add_user(login.trim(), full_name, password, &change).await?)
    }

    /// The change that gives (`user.grant`) or takes back (`user.revoke`)
    /// `role` on unit `code`, if the actor may; and the unit's id.
    async fn role_change(
        &self,
        actor: &Actor,
        action: &'static str,
        login: &str,
        role: Role,
        code: &str,
    ) -> Result<(i64, hnd_store::Change), AppError> {
        let (unit_id, path) = self.store.unit_path(code).await?;
        if let Some(p) = actor.principal()
            && !p.may_manage_grant(role, &path)
        {
            return Err(AppError::Forbidden);
        }
        let role = json!({"login": login, "role": role.code(), "unit": code});
        let (before, after) = if action == "user.grant" {
            (json!({}), role)
        } else {
            (role, json!({}))
        };
        let entry = Entry {
            action,
            unit_id: Some(unit_id),
            member_id: None,
            detail: json!({"before": before, "after": after}),
        };
        Ok((unit_id, actor.change("", entry)))
    }

    /// Gives `login` the role `role` on unit `code` (and its subtree).
    pub async fn grant_role(&self, actor: &Actor, login: &str, role: Role, code: &str) -> Result<(), AppError> {
        let (unit_id, change) = self.role_change(actor, "user.grant", login, role, code).await?;
        self.store.add_grant(login, role, unit_id, &change).await?;
        Ok(())
    }

    /// Takes `role` on unit `code` away from `login`; returns how many
    /// grants ended (none: nothing to take away, and nothing is recorded).
    pub async fn revoke_role(&self, actor: &Actor, login: &str, role: Role, code: &str) -> Result<u64, AppError> {
        let (unit_id, change) = self.role_change(actor, "user.revoke", login, role, code).await?;
        Ok(self.store.end_grant(login, role, unit_id, &change).await?)
    }

    /// The audit entry of `action` on the account `login`, if the actor
    /// may manage it: filed under the account's highest grant, else under
    /// the actor's unit.
    async fn account_change(
        &self,
        actor: &Actor,
        login: &str,
        action: &'static str,
        detail: serde_json::Value,
    ) -> Result<hnd_store::Change, AppError> {
        let unit_id = self.account_to_manage(actor, login).await?;
        let entry = Entry {
            action,
            unit_id,
            member_id: None,
            detail,
        };
        Ok(actor.change("", entry))
    }

    /// Sets a new password for `login` (an administrator's reset): the
    /// account is unlocked and its sessions end.
    pub async fn reset_password(&self, actor: &Actor, login: &str, password: &str) -> Result<(), AppError> {
        let detail = json!({"before": {"login": login}, "after": {"password": "•••"}});
        let change = self.account_change(actor, login, "user.password", detail).await?;
        self.store.reset_password(login, password, &change).await?;
        Ok(())
    }

    /// A new API token for `login`; the secret is returned this once.
    pub async fn issue_token(&self, actor: &Actor, login: &str, label: &str) -> Result<String, AppError> {
        let detail = json!({"before": {}, "after": {"login": login, "label": label.trim()}});
        let change = self.account_change(actor, login, "user.token", detail).await?;
        Ok(self.store.issue_token(login, label, &change).await?)
    }

    /// Revokes `login`'s token `reference`; returns how many were revoked.
    pub async fn revoke_token(&self, actor: &Actor, login: &str, reference: &str) -> Result<u64, AppError> {
        let detail = json!({"before": {"login": login, "token": reference}, "after": {}});
        let change = self.account_change(actor, login, "user.token_revoke", detail).await?;
        Ok(self.store.revoke_token(login, reference, &change).await?)
    }

    /// Signs `login` in: the password checked (throttled, see
    /// `hnd_store::sessions`), then a session opened with its entry.
    /// `actor` is the visitor ([`Actor::visitor`]); the entry names the
    /// account that signed in.
    pub async fn sign_in(&self, actor: &Actor, login: &str, password: &str) -> Result<Session, AppError> {
        let now = chrono::Utc::now();
        let id = self.store.check_sign_in(login, password, actor.address(), now).await?;
        let account = self.store.principal(id).await?;
        let unit_id = self.account_unit(&account).await?;
        let entry = Entry {
            action: "sign_in",
            unit_id,
            member_id: None,
            detail: json!({"before": {}, "after": {"login": account.login}}),
        };
        let change = actor.signed_in(account).change("", entry);
        Ok(self
            .store
            .open_session(id, login, actor.address(), now, &change)
            .await?)
    }

    /// Ends the actor's session `token`.
    pub async fn sign_out(&self, actor: &Actor, token: &str) -> Result<(), AppError> {
        let account = actor.principal().ok_or(AppError::Forbidden)?;
        let entry = Entry {
            action: "sign_out",
            unit_id: self.account_unit(account).await?,
            member_id: None,
            detail: json!({"before": {"login": account.login}, "after": {}}),
        };
        self.store.sign_out(token, &actor.change("", entry)).await?;
        Ok(())
    }

    /// The actor's own change of password: `current` is checked like a
    /// sign-in (and counts towards its throttle), then every session ends
    /// and a new one opens for the actor's address, returned.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str) -> Result<Session, AppError> {
        let account = actor.principal().ok_or(AppError::Forbidden)?;
        let now = chrono::Utc::now();
        let id = self
            .store
            .check_sign_in(&account.login, current, actor.address(), now)
            .await?;
        let entry = Entry {
            action: "password_change",
            unit_id: self.account_unit(account).await?,
            member_id: None,
            detail: json!({"before": {"login": account.login}, "after": {"password": "•••"}}),
        };
        let change = actor.change("", entry);
        let session = self
            .store
            .change_password(id, &account.login, new, actor.address(), now, &change)
            .await?;
        Ok(session)
    }
}
