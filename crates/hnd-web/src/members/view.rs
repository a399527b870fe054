//! Which members a user may reach (the unit a page is about, a member's
//! place, checked against the user's grants) and how a member is shown to
//! them, personal data masked unless they may see it.

use crate::auth::Viewer;
use crate::shell::{forbidden, store_problem};
use axum::response::Response;
use hnd_domain::access::shown;
use hnd_domain::{Action, Day, Ethnicity, Lang, i18n};
use hnd_store::{Member, Store};

/// Rows per page of a member list.
pub const PAGE: i64 = 50;

/// The unit a user's pages start from for `action`, or a refusal.
pub(super) fn home_unit(viewer: &Viewer, action: Action) -> Result<String, Response> {
    viewer
        .user
        .home(action)
        .map(|g| g.unit_code.clone())
        .ok_or_else(|| forbidden(viewer))
}

/// The unit a page is about: the one asked for (`given`), or the highest
/// the user may `action` in; checked. Returns its code, id and path.
pub async fn scope(
    store: &Store,
    viewer: &Viewer,
    action: Action,
    given: &str,
) -> Result<(String, i64, String), Response> {
    let code = match given.trim() {
        "" => home_unit(viewer, action)?,
        code => code.to_string(),
    };
    let (id, path) = allow_unit(store, viewer, action, &code).await?;
    Ok((code, id, path))
}

/// Checks that the user may `action` on unit `code`; returns its id and path.
pub(super) async fn allow_unit(
    store: &Store,
    viewer: &Viewer,
    action: Action,
    code: &str,
) -> Result<(i64, String), Response> {
    let (id, path) = store.unit_path(code).await.map_err(|e| store_problem(viewer, e))?;
    if viewer.user.may(action, &path) {
        Ok((id, path))
    } else {
        Err(forbidden(viewer))
    }
}

/// Where a member is and where they are going (paths), checked against
/// `action`: the user must hold it on the member's unit or, for a member
/// in transfer, on the receiving unit.
pub(super) async fn allow_member(
    store: &Store,
    viewer: &Viewer,
    action: Action,
    id: i64,
) -> Result<(String, Option<String>), Response> {
    let place = crate::authorize::member_place(store, id)
        .await
        .map_err(|e| store_problem(viewer, e))?;
    let (path, to) = (place.path, place.to.map(|(_, path)| path));
    if viewer.user.may_at_either(action, &path, to.as_deref()) {
        Ok((path, to))
    } else {
        Err(forbidden(viewer))
    }
}

/// A member as a list or page shows them: personal data masked unless
/// the user may see it where the member is.
pub struct MemberView {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub sex: String,
    pub ethnicity: String,
    pub religion: String,
    pub cccd: String,
    pub phone: String,
    pub village: String,
    pub unit_code: String,
    /// The unit's name, where the page looked it up ([`with_unit_names`]).
    pub unit_name: String,
    pub status: String,
    pub status_code: String,
    pub card_number: String,
    pub joined_on: String,
    pub admission_decision: String,
    pub transfer_to: String,
}

impl MemberView {
    pub fn of(m: &Member, reveal: bool, lang: Lang) -> MemberView {
        let hide = |value: &Option<String>, keep: usize| shown(value.as_deref(), reveal, keep).unwrap_or_default();
        let ethnicity = m
            .ethnicity
            .as_deref()
            .and_then(Ethnicity::parse)
            .map(|e| e.name().to_string());
        MemberView {
            id: m.id,
            full_name: m.full_name.clone(),
            birth_date: m.birth_date.clone(),
            sex: i18n::t(lang, &format!("sex.{}", m.sex), &[]),
            ethnicity: hide(&ethnicity, 0),
            religion: hide(&m.religion, 0),
            cccd: hide(&m.cccd, 4),
            phone: hide(&m.phone, 3),
            village: m.village.clone().unwrap_or_default(),
            unit_code: m.unit_code.clone(),
            unit_name: String::new(),
            status: i18n::t(lang, &format!("member.status.{}", m.status), &[]),
            status_code: m.status.clone(),
            card_number: m.card_number.clone().unwrap_or_default(),
            joined_on: m
                .joined_on
                .as_deref()
                .and_then(|d| Day::from_iso(d).ok())
                .map(|d| d.to_string())
                .unwrap_or_default(),
            admission_decision: m.admission_decision.clone().unwrap_or_default(),
            transfer_to: m.transfer_to.clone().unwrap_or_default(),
        }
    }
}

/// `rows` with the names of their units (and of where a transfer goes),
/// read at once: lists show names, with the code as secondary text.
pub async fn with_unit_names(store: &Store, mut rows: Vec<MemberView>) -> hnd_store::Result<Vec<MemberView>> {
    let codes: Vec<&str> = rows
        .iter()
        .flat_map(|m| [m.unit_code.as_str(), m.transfer_to.as_str()])
        .collect();
    let names = store.unit_names(&codes).await?;
    for m in &mut rows {
        m.unit_name = names.get(&m.unit_code).cloned().unwrap_or_default();
        if let Some(to) = names.get(&m.transfer_to) {
            m.transfer_to = format!("{to} ({})", m.transfer_to);
        }
    }
    Ok(rows)
}
