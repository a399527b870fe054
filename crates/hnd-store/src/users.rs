//! Accounts managed by administrators: users, their roles on units, their
//! passwords and API tokens. Every write carries its change's audit entry
//! and writes it in the same transaction.

use crate::accounts::{check_login, check_password, digest, hash_password, secret};
use crate::{Change, Result, Store};
use chrono::Utc;
use hnd_domain::{AccountError, Role};
use serde::Serialize;
use sqlx::Row;

/// A user as the accounts page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    /// Live grants: role, unit code, unit name, unit path (today's tree).
    pub grants: Vec<(Role, String, String, String)>,
    pub tokens: Vec<TokenRow>,
}

/// An API token as listed: never the secret, only a short reference to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    /// The first 12 hex digits of the token's hash.
    pub reference: String,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

impl Store {
    /// A new account, without roles until one is granted.
    pub async fn add_user(&self, login: &str, full_name: &str, password: &str, change: &Change) -> Result<i64> {
        check_login(login)?;
        check_password(password)?;
        let hash = hash_password(password.to_string()).await;
        let mut tx = self.write.begin().await?;
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login = $1")
            .bind(login.to_string())
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            let login = login.to_string();
            return Err(AccountError::LoginTaken { login }.into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (login, full_name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(login.to_string())
        .bind(full_name.trim().to_string())
        .bind(hash)
        .bind(Utc::now().to_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(id)
    }

    /// Grants `role` on unit `unit_id` to `login`.
    pub async fn add_grant(&self, login: &str, role: Role, unit_id: i64, change: &Change) -> Result<()> {
        let user = self.user_id(login).await?;
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO grants (user_id, role, unit_id, granted_at, granted_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(user)
            .bind(role.code().to_string())
            .bind(unit_id)
            .bind(Utc::now().to_rfc3339())
            .bind(change.author.clone())
            .execute(&mut *tx)
            .await?;
        crate::accounts::commit(tx, change).await
    }

    /// Ends `login`'s `role` on unit `unit_id`; returns how many grants ended.
    pub async fn end_grant(&self, login: &str, role: Role, unit_id: i64, change: &Change) -> Result<u64> {
        let user = self.user_id(login).await?;
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE grants SET revoked_at = $1 WHERE user_id = $2 AND role = $3 AND unit_id = $4 AND revoked_at IS NULL",
        )
        .bind(Utc::now().to_rfc3339())
        .bind(user)
        .bind(role.code().to_string())
        .bind(unit_id)
        .execute(&mut *tx)
        .await?;
        commit_if_any(tx, change, done.rows_affected()).await
    }

    /// Sets `login`'s password (their own change, or an administrator's
    /// reset): its failed sign-ins are forgotten and its sessions end.
    pub async fn reset_password(&self, login: &str, password: &str, change: &Change) -> Result<()> {
        check_password(password)?;
        let user = self.user_id(login).await?;
        let hash = hash_password(password.to_string()).await;
        let mut tx = self.write.begin().await?;
        crate::sessions::replace_password(&mut tx, user, login, hash).await?;
        crate::accounts::commit(tx, change).await
    }

    /// A new API token for `login`, returned once: only its hash is kept.
    pub async fn issue_token(&self, login: &str, label: &str, change: &Change) -> Result<String> {
        let user = self.user_id(login).await?;
        let token = format!("hnd_{}", secret());
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(digest(&token))
            .bind(user)
            .bind(label.trim().to_string())
            .bind(Utc::now().to_rfc3339())
            .execute(&mut *tx)
            .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(token)
    }

    /// Revokes `login`'s live token whose reference (start of its hash) is
    /// `reference`; returns how many were revoked.
    pub async fn revoke_token(&self, login: &str, reference: &str, change: &Change) -> Result<u64> {
        let user = self.user_id(login).await?;
        if reference.len() < 12 || !reference.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(0);
        }
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1
             WHERE user_id = $2 AND revoked_at IS NULL AND substr(token_hash, 1, 12) = $3",
        )
        .bind(Utc::now().to_rfc3339())
        .bind(user)
        .bind(reference[..12].to_ascii_lowercase())
        .execute(&mut *tx)
        .await?;
        commit_if_any(tx, change, done.rows_affected()).await
    }

    /// Accounts with a live grant in the subtree at `path` (today's tree),
    /// or, with `ungranted`, also those with no live grant at all; at most
    /// `limit`, by login.
    pub async fn users_under(&self, path: &str, ungranted: bool, limit: i64) -> Result<Vec<UserRow>> {
        let today = hnd_domain::Day::today().iso();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT u.id FROM users u
             WHERE u.body_id IS NULL AND (EXISTS (
                 SELECT 1 FROM grants g JOIN unit_versions v ON v.unit_id = g.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
                 WHERE g.user_id = u.id AND g.revoked_at IS NULL AND v.path >= $2 AND v.path < $3)
               OR ($4 = 1 AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.revoked_at IS NULL)))
             ORDER BY u.login LIMIT $5",
        )
        .bind(today.clone())
        .bind(path.to_string())
        .bind(crate::sql::path_end(path))
        .bind(i64::from(ungranted))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let mut users = Vec::with_capacity(ids.len());
        for id in ids {
            let p = self.principal(id).await?;
            let tokens = sqlx::query(
                "SELECT substr(token_hash, 1, 12), label, created_at, revoked_at FROM api_tokens
                 WHERE user_id = $1 ORDER BY created_at DESC",
            )
            .bind(id)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                Ok(TokenRow {
                    reference: r.try_get(0)?,
                    label: r.try_get(1)?,
                    created_at: r.try_get(2)?,
                    revoked_at: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
            users.push(UserRow {
                id,
                login: p.login.clone(),
                full_name: p.full_name.clone(),
                grants: p
                    .grants()
                    .iter()
                    .map(|g| (g.role, g.unit_code.clone(), g.unit_name.clone(), g.path.clone()))
                    .collect(),
                tokens,
            });
        }
        Ok(users)
    }
}

/// Commits `tx` with the change's audit entry when it ended `done` rows;
/// when it ended none, nothing is written, nor audited. Returns `done`.
async fn commit_if_any(tx: sqlx::Transaction<'_, sqlx::Any>, change: &Change, done: u64) -> Result<u64> {
    if done > 0 {
        crate::accounts::commit(tx, change).await?;
    }
    Ok(done)
}
