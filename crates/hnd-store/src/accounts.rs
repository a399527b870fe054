//! Accounts: users with argon2id passwords, roles granted on units, API
//! tokens (kept as SHA-256 of the secret), and the append-only audit log.
//! Sign-in and sessions are in `sessions.rs`.
use crate::{Change, Result, Store};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use chrono::Utc;
use hnd_domain::{AccountError, Grant, Principal, Role};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// An entry of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub address: String,
    pub action: String,
    pub unit_code: Option<String>,
    pub member_id: Option<i64>,
    /// What changed: JSON, with `before` and `after` for edited fields.
    pub detail: serde_json::Value,
}

/// What to record: who, from where, what, on which unit or member.
///
/// A change carries its entry ([`Change::audited`]) and the store writes it
/// in the change's own transaction ([`commit`]): an entry exists exactly
/// when its change does.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub actor: String,
    pub address: String,
    pub action: String,
    pub unit_id: Option<i64>,
    pub member_id: Option<i64>,
    pub detail: serde_json::Value,
}

/// Writes the change's audit entry, if it carries one, then commits:
/// the one way a write of the store ends.
pub(crate) async fn commit(mut tx: sqlx::Transaction<'_, sqlx::Any>, change: &crate::Change) -> Result<()> {
    if let Some(entry) = &change.audit {
        insert_audit(&mut tx, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn insert_audit(conn: &mut sqlx::AnyConnection, entry: &Audit) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, address, action, unit_id, member_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Utc::now().to_rfc3339())
    .bind(entry.actor.clone())
    .bind(entry.address.clone())
    .bind(entry.action.clone())
    .bind(entry.unit_id)
    .bind(entry.member_id)
    .bind(entry.detail.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Where a member is, for access questions and audit entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPlace {
    /// The member's unit and its path in today's tree.
    pub unit_id: i64,
    pub path: String,
    /// While in transfer: the receiving unit and its path.
    pub to: Option<(i64, String)>,
}

/// Which audit entries to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub member_id: Option<i64>,
    /// Entries on this unit (not its subtree).
    pub unit_id: Option<i64>,
    /// Entries on the units of this subtree (a path of today's tree): a
    /// unit counts where its last version stood, so an ended unit's
    /// entries stay with the subtree it ended in.
    pub subtree: Option<String>,
    pub actor: Option<String>,
    /// Inclusive ISO days.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
}

/// A fresh random secret: 32 bytes, hex. Session and API tokens, and the
/// web's sign-in form token.
/// A password nobody chose: 16 letters and digits without look-alikes,
/// for an account made or reset without one.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source");
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

pub fn secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    hex::encode(bytes)
}

pub(crate) fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// argon2id with the crate's default cost (19 MiB, 2 passes), off the async threads.
pub(crate) async fn hash_password(password: String) -> String {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).expect("the system's random source");
        let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2 accepts any password")
            .to_string()
    })
    .await
    .expect("hashing does not panic")
}

pub(crate) fn check_login(login: &str) -> Result<()> {
    let ok = (3..=40).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadLogin {
            login: login.to_string(),
        }
        .into())
    }
}

pub(crate) fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::WeakPassword.into());
    }
    Ok(())
}

/// Accounts and access.
impl Store {
    /// A new user; the login is unique, the password at least [`MIN_PASSWORD`] characters.
    pub async fn create_user(&self, login: &str, full_name: &str, password: &str) -> Result<i64> {
        self.add_user(login, full_name, password, &Change::new("hnd", "")).await
    }

    pub(crate) async fn user_id(&self, login: &str) -> Result<i64> {
        sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
            .bind(login.to_string())
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| {
                AccountError::UnknownUser {
                    login: login.to_string(),
                }
                .into()
            })
    }

    /// Sets a user's password (their own change, or an administrator's
    /// reset), forgets the login's failed sign-ins and ends its sessions.
    pub async fn set_password(&self, login: &str, password: &str) -> Result<()> {
        self.reset_password(login, password, &Change::new(login, "")).await
    }

    /// Grants `role` on the unit `code` (today's tree) to `login`.
    pub async fn grant(&self, login: &str, role: Role, code: &str, by: &str) -> Result<()> {
        let unit = self.unit(code, hnd_domain::Day::today()).await?.unit;
        self.add_grant(login, role, unit.id, &Change::new(by, "")).await
    }

    /// Revokes `login`'s `role` on `code`; returns how many grants ended.
    pub async fn revoke(&self, login: &str, role: Role, code: &str) -> Result<u64> {
        let unit = self.unit(code, hnd_domain::Day::today()).await?.unit;
        self.end_grant(login, role, unit.id, &Change::new(login, "")).await
    }

    /// A user with their grants, each placed in today's tree.
    pub async fn principal(&self, user_id: i64) -> Result<Principal> {
        let user = sqlx::query(
            "SELECT u.login, u.full_name, b.id, b.name FROM users u LEFT JOIN bodies b ON b.id = u.body_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_one(&self.read)
        .await?;
        let rows = sqlx::query(
            "SELECT g.role, v.code, v.name, v.path FROM grants g
             JOIN unit_versions v ON v.unit_id = g.unit_id AND v.valid_from <= $2 AND v.valid_to > $2
             WHERE g.user_id = $1 AND g.revoked_at IS NULL ORDER BY length(v.path), v.code",
        )
        .bind(user_id)
        .bind(hnd_domain::Day::today().iso())
        .fetch_all(&self.read)
        .await?;
        let grants = rows
            .iter()
            .map(|r| {
                let role: String = r.try_get(0)?;
                Ok(Grant {
                    role: Role::parse(&role).ok_or(AccountError::UnknownRole { role })?,
                    unit_code: r.try_get(1)?,
                    unit_name: r.try_get(2)?,
                    path: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Principal::new(
            user_id,
            user.try_get(0)?,
            user.try_get(1)?,
            grants,
            match user.try_get::<Option<i64>, _>(2)? {
                Some(id) => Some(hnd_domain::Body {
                    id,
                    name: user.try_get(3)?,
                }),
                None => None,
            },
        ))
    }

    pub async fn principal_by_login(&self, login: &str) -> Result<Principal> {
        let id = self.user_id(login).await?;
        self.principal(id).await
    }

    /// A new API token for `login`, shown once: only its hash is kept.
    pub async fn create_api_token(&self, login: &str, label: &str) -> Result<String> {
        self.issue_token(login, label, &Change::new(login, "")).await
    }

    /// The path of unit `code` in today's tree, for access questions.
    pub async fn unit_path(&self, code: &str) -> Result<(i64, String)> {
        let unit = self.unit(code, hnd_domain::Day::today()).await?.unit;
        Ok((unit.id, unit.path))
    }

    /// Where a member is (their unit's path today) and, while in
    /// transfer, where they are going: the places access is checked on.
    pub async fn member_paths(&self, id: i64) -> Result<(String, Option<String>)> {
        let place = self.member_place(id).await?;
        Ok((place.path, place.to.map(|(_, path)| path)))
    }

    /// A member's unit (id and path in today's tree) and, while in
    /// transfer, the receiving unit's.
    pub async fn member_place(&self, id: i64) -> Result<MemberPlace> {
        let today = hnd_domain::Day::today().iso();
        let row = sqlx::query(
            "SELECT m.unit_id, v.path, m.transfer_to, t.path FROM members m
             JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $2 AND v.valid_to > $2
             LEFT JOIN unit_versions t ON t.unit_id = m.transfer_to AND t.valid_from <= $2 AND t.valid_to > $2
             WHERE m.id = $1",
        )
        .bind(id)
        .bind(today)
        .fetch_optional(&self.read)
        .await?
        .ok_or(hnd_domain::MemberError::UnknownMember { id })?;
        let to: (Option<i64>, Option<String>) = (row.try_get(2)?, row.try_get(3)?);
        Ok(MemberPlace {
            unit_id: row.try_get(0)?,
            path: row.try_get(1)?,
            to: match to {
                (Some(id), Some(path)) => Some((id, path)),
                _ => None,
            },
        })
    }

    /// Records a change that writes nothing but its entry (an export:
    /// data taken out of the register), in its own transaction.
    pub async fn record(&self, change: &Change) -> Result<()> {
        let tx = self.write.begin().await?;
        commit(tx, change).await
    }

    /// Appends to the audit log an entry of a write not yet made an
    /// operation (the command line's generic entry, plans and tasks):
    /// operations' changes carry theirs ([`commit`]).
    pub async fn audit(&self, entry: &Audit) -> Result<()> {
        let mut conn = self.write.acquire().await?;
        insert_audit(&mut conn, entry).await
    }

    /// Audit entries, newest first.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.actor, a.address, a.action, u.code, a.member_id, a.detail
             FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id
             WHERE ($1 < 0 OR a.member_id = $1) AND ($2 < 0 OR a.unit_id = $2)
               AND ($3 = '' OR a.actor = $3) AND a.at >= $4 AND a.at < $5
               AND ($7 = '' OR EXISTS (
                   SELECT 1 FROM unit_versions v
                   WHERE v.unit_id = a.unit_id AND v.valid_to = u.valid_to AND v.path >= $7 AND v.path < $8))
             ORDER BY a.id DESC LIMIT $6",
        )
        .bind(filter.member_id.unwrap_or(-1))
        .bind(filter.unit_id.unwrap_or(-1))
        .bind(filter.actor.clone().unwrap_or_default())
        .bind(filter.from.clone().unwrap_or_default())
        .bind(
            filter
                .to
                .as_ref()
                .map(|d| format!("{d}T99"))
                .unwrap_or_else(|| "9999".to_string()),
        )
        .bind(if filter.limit > 0 { filter.limit } else { 100 })
        .bind(filter.subtree.clone().unwrap_or_default())
        .bind(filter.subtree.as_deref().map(crate::sql::path_end).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get(7)?;
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    address: r.try_get(3)?,
                    action: r.try_get(4)?,
                    unit_code: r.try_get(5)?,
                    member_id: r.try_get(6)?,
                    detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                })
            })
            .collect()
    }
}

impl From<AccountError> for crate::StoreError {
    fn from(e: AccountError) -> crate::StoreError {
        crate::StoreError::Account(e)
    }
}
