//! Sign-in, sessions and password changes.
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

use crate::accounts::{check_password, digest, hash_password, secret};
use crate::{Change, Result, Store};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use hnd_domain::{AccountError, Principal};
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
/// A signed-in session: the secret for the cookie and the form token.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
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

/// Opens a session for user `id` in `tx`: its secret and form token.
async fn insert_session(conn: &mut sqlx::AnyConnection, id: i64, address: &str, now: DateTime<Utc>) -> Result<Session> {
    let session = Session {
        token: secret(),
        csrf: secret(),
    };
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2")
        .bind(id)
        .bind(now.to_rfc3339())
        .execute(&mut *conn)
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
    .execute(&mut *conn)
    .await?;
    Ok(session)
}

/// Sets user `id`'s password hash, forgets the login's failed sign-ins
/// and ends its sessions: a password reset or change.
pub(crate) async fn replace_password(conn: &mut sqlx::AnyConnection, id: i64, login: &str, hash: String) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE login = $1")
        .bind(login_key(login))
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sign-in and sessions.
impl Store {
    /// Checks a password at `now` and opens a session (unaudited: the
    /// application layer's sign-in records it, [`Store::open_session`]).
    pub async fn sign_in(&self, login: &str, password: &str, address: &str, now: DateTime<Utc>) -> Result<Session> {
        let id = self.check_sign_in(login, password, address, now).await?;
        self.open_session(id, login, address, now, &Change::new(login, ""))
            .await
    }

    /// Checks a password at `now`; returns the user's id. Every refusal is
    /// [`AccountError::BadCredentials`]: unknown login, wrong password, and
    /// a (login, address) pair throttled by its recent failures (see the
    /// module's description), which is refused without looking at the
    /// password. A failure is kept; a success opens nothing by itself.
    pub async fn check_sign_in(&self, login: &str, password: &str, address: &str, now: DateTime<Utc>) -> Result<i64> {
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
        if let Some(id) = id.filter(|_| right) {
            return Ok(id);
        }
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
        Err(AccountError::BadCredentials.into())
    }

    /// Opens a session for user `id` (signed in as `login`, just checked
    /// by [`Store::check_sign_in`]) and forgets that pair's failures; the
    /// change's entry is written in the same transaction.
    pub async fn open_session(
        &self,
        id: i64,
        login: &str,
        address: &str,
        now: DateTime<Utc>,
        change: &Change,
    ) -> Result<Session> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE login = $1 AND address = $2")
            .bind(login_key(login))
            .bind(address.to_string())
            .execute(&mut *tx)
            .await?;
        let session = insert_session(&mut tx, id, address, now).await?;
        crate::accounts::commit(tx, change).await?;
        Ok(session)
    }

    /// A user's own change of password (the current one already checked
    /// by [`Store::check_sign_in`]): every session ends and one new one
    /// opens for `address`, with the change's entry, in one transaction.
    pub async fn change_password(
        &self,
        id: i64,
        login: &str,
        password: &str,
        address: &str,
        now: DateTime<Utc>,
        change: &Change,
    ) -> Result<Session> {
        check_password(password)?;
        let hash = hash_password(password.to_string()).await;
        let mut tx = self.write.begin().await?;
        replace_password(&mut tx, id, login, hash).await?;
        let session = insert_session(&mut tx, id, address, now).await?;
        crate::accounts::commit(tx, change).await?;
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

    /// Ends the session of `token`, with the change's entry.
    pub async fn sign_out(&self, token: &str, change: &Change) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(digest(token))
            .execute(&mut *tx)
            .await?;
        crate::accounts::commit(tx, change).await
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
}
