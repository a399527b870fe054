//! Operations on a member's profile (hồ sơ): the scalar fields, the
//! positions held, titles and awards, yearly ratings, and the photo.
//!
//! Each resolves the member's place in today's tree and asks whether the
//! actor may edit the member there. Personal fields
//! (`hnd_domain::profile::SENSITIVE`) and the photo also need the right
//! to see the member's personal data; a position's own unit needs
//! `Principal::may_record_position`. The change and its audit entry are
//! one transaction. An entry tells before and after of the ordinary
//! fields and only the names of the personal fields changed (the log has
//! more readers than personal data).

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::profile::{self, NewRating, NewRole, NewTitle, Photo, Profile};
use hnd_domain::{AccountError, Action, Day};
use hnd_store::{MemberPlace, RatingEntry, RoleEntry, TitleEntry};
use serde_json::json;

/// What becomes of the personal fields of a profile written by an actor
/// who may not see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    /// They stay as they are, whatever the input holds (a form that
    /// leaves them out).
    Keep,
    /// An input that sets one is refused, naming the field (the API).
    Refuse,
}

/// A profile written: what it was before and what it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSaved {
    pub before: Profile,
    pub after: Profile,
}

/// The changes from `before` to `after` for the audit log: each changed
/// field's old and new value, personal fields named but not written out.
pub fn profile_detail(before: &Profile, after: &Profile) -> serde_json::Value {
    let (mut old, mut new, mut personal) = (serde_json::Map::new(), serde_json::Map::new(), Vec::new());
    for ((field, was), (_, now)) in before.to_text().into_iter().zip(after.to_text()) {
        if was == now {
            continue;
        }
        if profile::is_sensitive(field) {
            personal.push(field);
        } else {
            old.insert(field.into(), was.into());
            new.insert(field.into(), now.into());
        }
    }
    json!({"before": old, "after": new, "personal_changed": personal})
}

impl App {
    /// The member's place, if `actor` may edit them there (and, with
    /// `personal`, see their personal data too).
    async fn profile_to_change(&self, actor: &Actor, id: i64, personal: bool) -> Result<MemberPlace, AppError> {
        let place = self.store.member_place(id).await?;
        if !actor.may(Action::EditMembers, &place.path) || (personal && !actor.may(Action::ViewSensitive, &place.path))
        {
            return Err(AppError::Forbidden);
        }
        Ok(place)
    }

    /// May `actor` record, or remove, a position held in unit `unit` (a
    /// code) from `from`: asked where the unit is today, whoever the member is.
    async fn position_allowed(&self, actor: &Actor, unit: Option<&str>, from: Day) -> Result<(), AppError> {
        let (Some(code), Some(user)) = (unit, actor.principal()) else {
            return Ok(());
        };
        let path = self
            .store
            .access_path(code, from)
            .await
            .map_err(|e| AppError::field("unit", e))?;
        if user.may_record_position(&path) {
            Ok(())
        } else {
            Err(AppError::field("unit", AccountError::Forbidden))
        }
    }

    fn entry(
        actor: &Actor,
        action: &'static str,
        place: &MemberPlace,
        id: i64,
        detail: serde_json::Value,
    ) -> hnd_store::Change {
        actor.change(
            "",
            Entry {
                action,
                unit_id: Some(place.unit_id),
                member_id: Some(id),
                detail,
            },
        )
    }

    /// The audit entry of an entry removed: what it was, and nothing after.
    fn removal(
        actor: &Actor,
        action: &'static str,
        place: &MemberPlace,
        id: i64,
        found: serde_json::Value,
    ) -> hnd_store::Change {
        Self::entry(actor, action, place, id, json!({"before": found, "after": null}))
    }

    /// Writes the member's profile whole. Personal fields are written only
    /// by who may see them; for anyone else they stay as they are, or the
    /// input is refused (`personal`).
    pub async fn set_profile(
        &self,
        actor: &Actor,
        id: i64,
        given: &Profile,
        personal: Personal,
    ) -> Result<ProfileSaved, AppError> {
        let place = self.profile_to_change(actor, id, false).await?;
        let current = self.store.member_profile(id).await?.profile;
        let after = if actor.may(Action::ViewSensitive, &place.path) {
            given.clone()
        } else {
            if personal == Personal::Refuse
                && let Some(field) = given.personal_set()
            {
                return Err(AppError::field(field, AccountError::Forbidden));
            }
            given.clone().keeping_sensitive(&current)
        };
        let change = Self::entry(actor, "member.profile", &place, id, profile_detail(&current, &after));
        let before = self.store.set_member_profile(id, &after, &change).await?;
        Ok(ProfileSaved { before, after })
    }

    /// Records a position the member holds or held; returns its entry id.
    pub async fn add_role(&self, actor: &Actor, id: i64, role: &NewRole) -> Result<i64, AppError> {
        let place = self.profile_to_change(actor, id, false).await?;
        let unit = role.unit.as_ref().map(|u| u.as_str());
        self.position_allowed(actor, unit, role.from).await?;
        let detail = json!({"before": null, "after": {"position": role.position.code(), "unit": unit,
            "from": role.from.iso(), "to": role.to.map(|d| d.iso())}});
        let change = Self::entry(actor, "member.role.add", &place, id, detail);
        self.store
            .add_member_role(id, role, &change)
            .await
            .map_err(|e| match e {
                hnd_store::StoreError::Org(_) => AppError::field("unit", e),
                e => e.into(),
            })
    }

    /// Removes a position entry of the member; returns it.
    pub async fn remove_role(&self, actor: &Actor, id: i64, entry: i64) -> Result<RoleEntry, AppError> {
        let place = self.profile_to_change(actor, id, false).await?;
        let found = self
            .store
            .profile_entry(id, entry, |p| p.roles.into_iter().find(|r| r.id == entry));
        let found = found.await?;
        self.position_allowed(actor, found.unit_code.as_deref(), found.from)
            .await
            .map_err(|_| AppError::Forbidden)?;
        let change = Self::removal(actor, "member.role.remove", &place, id, json!(found));
        Ok(self.store.remove_member_role(id, entry, &change).await?)
    }

    /// Records a title or award; returns its entry id.
    pub async fn add_title(&self, actor: &Actor, id: i64, title: &NewTitle) -> Result<i64, AppError> {
        let place = self.profile_to_change(actor, id, false).await?;
        let detail = json!({"before": null, "after": {"year": title.year, "level": title.level,
            "kind": title.kind, "note": title.note}});
        let change = Self::entry(actor, "member.title.add", &place, id, detail);
        Ok(self.store.add_member_title(id, title, &change).await?)
    }

    /// Removes a title or award of the member; returns it.
    pub async fn remove_title(&self, actor: &Actor, id: i64, entry: i64) -> Result<TitleEntry, AppError> {
        let place = self.profile_to_change(actor, id, false).await?;
        let found = self
            .store
            .profile_entry(id, entry, |p| p.titles.into_iter().find(|t| t.id == entry));
        let change = Self::removal(actor, "member.title.remove", &place, id, json!(found.await?));
        Ok(self.store.remove_member_title(id, entry, &change).await?)
    }

    /// Sets the member's rating of a year, replacing the year's earlier
    /// one; returns the earlier one.
    pub async fn set_rating(
        &self,
        actor: &Actor,
        id: i64,
        rating: &NewRating,
    ) -> Result<Option<RatingEntry>, AppError> {
        let place = self.profile_to_change(actor, id, false).await?;
        let year = rating.year.get();
        let before = self
            .store
            .member_profile(id)
            .await?
            .ratings
            .into_iter()
            .find(|r| r.year == year);
        let detail = json!({"before": before, "after": {"year": rating.year, "rating": rating.rating,
            "proposed_to_party": rating.proposed_to_party}});
        let change = Self::entry(actor, "member.rating.set", &place, id, detail);
        Ok(self.store.set_member_rating(id, rating, &change).await?)
    }

    /// Removes the member's rating of `year`; returns it.
    pub async fn remove_rating(&self, actor: &Actor, id: i64, year: i32) -> Result<RatingEntry, AppError> {
        let place = self.profile_to_change(actor, id, false).await?;
        let found = self
            .store
            .profile_entry(id, i64::from(year), |p| p.ratings.into_iter().find(|r| r.year == year));
        let change = Self::removal(actor, "member.rating.remove", &place, id, json!(found.await?));
        Ok(self.store.remove_member_rating(id, year, &change).await?)
    }

    /// Sets (or replaces) the member's photo.
    pub async fn set_photo(&self, actor: &Actor, id: i64, photo: &Photo) -> Result<(), AppError> {
        let place = self.profile_to_change(actor, id, true).await?;
        let had = self.store.member_profile(id).await?.has_photo;
        let detail = json!({"before": {"photo": had},
            "after": {"content_type": photo.content_type(), "size": photo.bytes().len()}});
        let change = Self::entry(actor, "member.photo.set", &place, id, detail);
        Ok(self.store.set_member_photo(id, photo, &change).await?)
    }

    /// Removes the member's photo; whether there was one (nothing is
    /// written, nor audited, when there was none).
    pub async fn remove_photo(&self, actor: &Actor, id: i64) -> Result<bool, AppError> {
        let place = self.profile_to_change(actor, id, true).await?;
        let detail = json!({"before": {"photo": true}, "after": {"photo": false}});
        let change = Self::entry(actor, "member.photo.remove", &place, id, detail);
        Ok(self.store.delete_member_photo(id, &change).await?)
    }
}
