//! Accounts: users with argon2id passwords, roles granted on units,
//! sessions and API tokens (kept as SHA-256 of the secret), and the
//! append-only audit log.
//!
//! Sign-in is throttled, never locked: a lock that anybody can trigger by
//! typing wrong passwords would let anybody shut the administrator out.
//! Every failed sign-in is kept for [`THROTTLE_MINUTES`] minutes as a row
//! of (login as typed, address, time), whether the login exists or not.
//!
//! - One address may fail [`PAIR_FAILURES`] times on one login within the
//!   window; then that pair is refused until its oldest failure ages out.
//!   The account's owner signing in from another address is not affected.
//! - A login that failed [`ACCOUNT_FAILURES`] times within the window from
//!   all addresses together is under attack: then each address gets only
//!   [`PAIR_FAILURES_UNDER_ATTACK`] failure on it. Guessing then costs an
//!   address per try per window, while the owner, from an address that
//!   has not failed on that login, still has a try (and a right password
//!   always works from there).
//! - The web server also limits failures per address over all logins
//!   (`hnd_web`, in memory).
//!
//! A refusal is the same whatever its cause (unknown login, wrong
//! password, throttled pair): the same error, and about the same time,
//! since a password is always checked against a hash (a dummy one when
//! there is no real one to check). The clock is a parameter so that tests
//! can move it.

use crate::{Change, Result, Store};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use hnd_domain::{AccountError, Grant, Principal, Role};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Failures one address may make on one login within the window.
pub const PAIR_FAILURES: i64 = 5;
/// Failures on one login, from all addresses, that make it "under attack".
pub const ACCOUNT_FAILURES: i64 = 20;
/// Failures one address may make on a login under attack.
pub const PAIR_FAILURES_UNDER_ATTACK: i64 = 1;
/// How long a failed sign-in counts.
pub const THROTTLE_MINUTES: i64 = 15;
/// How much of a typed login is kept with its failures.
const LOGIN_KEY_CHARS: usize = 64;
/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 12;
/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// A signed-in session: the secret for the cookie and the form token.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
}

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

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Sign-in checks running at once. Each password check holds 19 MiB and
/// a core for tens of milliseconds, so a flood of sign-ins waits here
/// instead of exhausting memory; and a check, from reading the recent
/// failures to recording its own, runs under one permit, so that guesses
/// sent in parallel cannot all slip under the throttle together.
static CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// A hash of a random secret, verified for unknown logins so that they
/// take as long as known ones.
async fn dummy_hash() -> String {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_init(|| hash_password(secret())).await.clone()
}

/// The login as kept with its failed sign-ins: as typed, cut to
/// [`LOGIN_KEY_CHARS`] characters (anything may be typed).
pub(crate) fn login_key(login: &str) -> String {
    login.chars().take(LOGIN_KEY_CHARS).collect()
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

    /// Checks a password at `now` and opens a session. Every refusal is
    /// [`AccountError::BadCredentials`]: unknown login, wrong password, and
    /// a (login, address) pair throttled by its recent failures (see the
    /// module's description), which is refused without looking at the
    /// password.
    pub async fn sign_in(&self, login: &str, password: &str, address: &str, now: DateTime<Utc>) -> Result<Session> {
        let _turn = CHECKS.acquire().await.expect("the semaphore is never closed");
        let key = login_key(login);
        let since = (now - Duration::minutes(THROTTLE_MINUTES)).to_rfc3339();
        let counts = sqlx::query(
            "SELECT COUNT(*), COUNT(CASE WHEN address = $2 THEN 1 END) FROM sign_in_failures
             WHERE login = $1 AND at > $3",
        )
        .bind(key.clone())
        .bind(address.to_string())
        .bind(since.clone())
        .fetch_one(&self.read)
        .await?;
        let (account_failures, pair_failures): (i64, i64) = (counts.try_get(0)?, counts.try_get(1)?);
        let budget = if account_failures >= ACCOUNT_FAILURES {
            PAIR_FAILURES_UNDER_ATTACK
        } else {
            PAIR_FAILURES
        };
        if pair_failures >= budget {
            verify_password(password.to_string(), dummy_hash().await).await;
            return Err(AccountError::BadCredentials.into());
        }
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE login = $1")
            .bind(login.to_string())
            .fetch_optional(&self.read)
            .await?;
        let (id, hash): (Option<i64>, String) = match &row {
            Some(row) => (Some(row.try_get(0)?), row.try_get(1)?),
            None => (None, dummy_hash().await),
        };
        let right = verify_password(password.to_string(), hash).await;
        let Some(id) = id.filter(|_| right) else {
            let mut tx = self.write.begin().await?;
            sqlx::query("INSERT INTO sign_in_failures (login, address, at) VALUES ($1, $2, $3)")
                .bind(key)
                .bind(address.to_string())
                .bind(now.to_rfc3339())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
                .bind(since)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Err(AccountError::BadCredentials.into());
        };
        let session = Session {
            token: secret(),
            csrf: secret(),
        };
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE login = $1 AND address = $2")
            .bind(login_key(login))
            .bind(address.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2")
            .bind(id)
            .bind(now.to_rfc3339())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, address, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(digest(&session.token))
        .bind(id)
        .bind(session.csrf.clone())
        .bind(address.to_string())
        .bind(now.to_rfc3339())
        .bind((now + Duration::hours(SESSION_HOURS)).to_rfc3339())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(session)
    }

    /// The refusal of a sign-in that is not checked (its address is over
    /// its limit): `password` is verified against a dummy hash first, so
    /// that the refusal takes as long as a real check.
    pub async fn refuse_sign_in(&self, password: &str) -> crate::StoreError {
        let _turn = CHECKS.acquire().await.expect("the semaphore is never closed");
        verify_password(password.to_string(), dummy_hash().await).await;
        AccountError::BadCredentials.into()
    }

    /// The user and form token of a live session.
    pub async fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<(Principal, String)>> {
        let row = sqlx::query("SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = $1")
            .bind(digest(token))
            .fetch_optional(&self.read)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: String = row.try_get(2)?;
        if expires < now.to_rfc3339() {
            return Ok(None);
        }
        let principal = self.principal(row.try_get(0)?).await?;
        Ok(Some((principal, row.try_get(1)?)))
    }

    pub async fn sign_out(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(digest(token))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// A new API token for `login`, shown once: only its hash is kept.
    pub async fn create_api_token(&self, login: &str, label: &str) -> Result<String> {
        self.issue_token(login, label, &Change::new(login, "")).await
    }

    /// The user an API token stands for, if it is live.
    pub async fn api_principal(&self, token: &str) -> Result<Option<Principal>> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
                .bind(digest(token))
                .fetch_optional(&self.read)
                .await?;
        match id {
            Some(id) => Ok(Some(self.principal(id).await?)),
            None => Ok(None),
        }
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

    /// Appends to the audit log an entry that records no change of the
    /// store (an export, a sign-in): changes carry theirs ([`commit`]).
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
