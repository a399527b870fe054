//! Accounts: users, their roles on units, passwords and API tokens,
//! managed by who holds `ManageUsers` over the units concerned.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, Role};
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
        let account = self.store.principal_by_login(login).await?;
        let paths: Vec<&str> = account.grants().iter().map(|g| g.path.as_str()).collect();
        if let Some(p) = actor.principal()
            && !p.may_manage_account(&paths)
        {
            return Err(AppError::Forbidden);
        }
        let unit_id = match account.grants().first() {
            Some(g) => Some(self.store.unit_path(&g.unit_code).await?.0),
            None => self.manager_unit(actor).await?,
        };
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
}
