//! Settings an operator may change (`settings` table): the date rules of
//! [`hnd_domain::dates`]. The store's write paths read them, with the
//! clock, in the transaction of the change, so the web, the API, the
//! command line and imports all apply the same limits.

use crate::{Result, Store};
use hnd_domain::{DateRules, Day, MemberError, OrgError};
use sqlx::{AnyConnection, Row};

/// Today, by the server's clock: the one place the write paths read it.
pub(crate) fn today() -> Day {
    Day::today()
}

/// The date rules in force: the defaults, changed by the `settings` rows.
pub(crate) async fn date_rules(conn: &mut AnyConnection) -> Result<DateRules> {
    let rows = sqlx::query("SELECT key, value FROM settings")
        .fetch_all(&mut *conn)
        .await?;
    let mut rules = DateRules::default();
    for row in rows {
        let (key, value): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        // A row written by an older or newer program: its default holds.
        let _ = rules.set(&key, &value);
    }
    Ok(rules)
}

/// A member event dated `date` may not lie beyond the margin ahead.
pub(crate) async fn check_member_event(conn: &mut AnyConnection, date: Day) -> Result<DateRules> {
    let rules = date_rules(conn).await?;
    rules.check_event(date, today()).map_err(MemberError::Date)?;
    Ok(rules)
}

/// A tree edit dated `date`, likewise.
pub(crate) async fn check_tree_event(conn: &mut AnyConnection, date: Day) -> Result<()> {
    let rules = date_rules(conn).await?;
    rules.check_event(date, today()).map_err(OrgError::Date)?;
    Ok(())
}

impl Store {
    /// The date rules in force.
    pub async fn date_rules(&self) -> Result<DateRules> {
        let mut conn = self.read.acquire().await?;
        date_rules(&mut conn).await
    }

    /// Sets one setting (a key of [`hnd_domain::dates::SETTINGS`]) after
    /// checking its value; returns the rules now in force.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<DateRules> {
        let mut rules = self.date_rules().await?;
        rules.set(key, value).map_err(MemberError::Date)?;
        let (key, value) = rules
            .list()
            .into_iter()
            .find(|(k, _)| *k == key.trim())
            .expect("a key just set");
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key.to_string())
        .bind(value.to_string())
        .execute(&self.write)
        .await?;
        self.date_rules().await
    }
}
