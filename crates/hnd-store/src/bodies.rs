//! Bodies that plans give tasks to (units of the Union or outside
//! bodies), known by their folded names, and the groups that include them
//! ("Các sở, ban, ngành cấp tỉnh" holds every department of the province:
//! [`hnd_domain::bodies`]).

use crate::{Result, Store};
use hnd_domain::{PlanError, fold};
use sqlx::Row;

/// The key a body is known by: its name folded, so marks, case and spacing do not matter.
pub(crate) fn body_key(name: &str) -> String {
    fold(name)
}

/// The bodies a task names, each between semicolons: the leads ("Sở Tài
/// chính; Sở Kế hoạch và Đầu tư") and the coordinators ("Đảng đoàn Hội
/// Nông dân tỉnh; các sở, ngành"); a body named twice counts once, as lead.
pub(crate) fn named_bodies<'a>(lead: &'a str, coordinating: &'a str) -> Vec<(&'a str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for (text, role) in [(lead, "lead"), (coordinating, "coordinating")] {
        for name in text.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            if out.iter().all(|(n, _)| body_key(n) != body_key(name)) {
                out.push((name, role));
            }
        }
    }
    out
}

/// Records the groups a body just named belongs to, or, for a group, the
/// departments it holds, by the rule of [`hnd_domain::bodies`].
pub(crate) async fn join_groups(conn: &mut sqlx::AnyConnection, id: i64, name: &str) -> Result<()> {
    let (group, department) = (
        hnd_domain::bodies::is_group(name),
        hnd_domain::bodies::is_department(name),
    );
    if !group && !department {
        return Ok(());
    }
    let others = sqlx::query("SELECT id, name FROM bodies WHERE id <> $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    for other in others {
        let (other_id, other_name): (i64, String) = (other.try_get(0)?, other.try_get(1)?);
        let pair = if group && hnd_domain::bodies::is_department(&other_name) {
            (id, other_id)
        } else if department && hnd_domain::bodies::is_group(&other_name) {
            (other_id, id)
        } else {
            continue;
        };
        link_group(conn, pair.0, pair.1).await?;
    }
    Ok(())
}

async fn link_group(conn: &mut sqlx::AnyConnection, group: i64, body: i64) -> Result<()> {
    sqlx::query("INSERT INTO body_groups (group_id, body_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(group)
        .bind(body)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Bodies named by tasks, with how many tasks name each.
    pub async fn bodies(&self) -> Result<Vec<(i64, String, i64)>> {
        sqlx::query(
            "SELECT b.id, b.name, COUNT(tb.task_id) FROM bodies b LEFT JOIN task_bodies tb ON tb.body_id = b.id
             GROUP BY b.id, b.name ORDER BY b.name",
        )
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
    }

    /// The groups each body belongs to: body id → the groups' names.
    pub async fn body_groups(&self) -> Result<std::collections::HashMap<i64, Vec<String>>> {
        let mut out: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
        for r in sqlx::query(
            "SELECT bg.body_id, g.name FROM body_groups bg JOIN bodies g ON g.id = bg.group_id ORDER BY g.name",
        )
        .fetch_all(&self.read)
        .await?
        {
            out.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
        }
        Ok(out)
    }

    /// Records that the body named `body` belongs to the group named
    /// `group` (both as tasks name them), or, with `member` false, that it
    /// does not; a task given to the group then reaches the body's account,
    /// or no longer does.
    pub async fn set_body_group(&self, group: &str, body: &str, member: bool) -> Result<()> {
        let ((group, _), (body, _)) = (self.body(group).await?, self.body(body).await?);
        let mut conn = self.write.acquire().await?;
        if member {
            link_group(&mut conn, group, body).await
        } else {
            sqlx::query("DELETE FROM body_groups WHERE group_id = $1 AND body_id = $2")
                .bind(group)
                .bind(body)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
    }

    /// The body named `name` as a task names it (marks, case and spacing
    /// aside): its id and name as written.
    pub async fn body(&self, name: &str) -> Result<(i64, String)> {
        let row = sqlx::query("SELECT id, name FROM bodies WHERE name_key = $1")
            .bind(body_key(name))
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| PlanError::UnknownBody { name: name.into() })?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    /// Makes `login` an account acting for the body named `body` (as a
    /// task names it; marks and case do not matter). Returns the body's name.
    pub async fn set_user_body(&self, login: &str, body: &str) -> Result<String> {
        let user = self.user_id(login).await?;
        let (id, name) = self.body(body).await?;
        sqlx::query("UPDATE users SET body_id = $1 WHERE id = $2")
            .bind(id)
            .bind(user)
            .execute(&self.write)
            .await?;
        Ok(name)
    }
}
