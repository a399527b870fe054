//! Households (hộ): a household made with its head, a member put in one
//! with a role, its category for a year.
//!
//! A household is filed under its head's unit: who may edit the members
//! concerned (the member who joins and the head of the household they
//! join) may change it, and its audit entries name the head's unit.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, HouseholdCategory, HouseholdRole, Principal};
use hnd_store::MemberPlace;
use serde_json::json;

impl App {
    /// The place of member `id`, if `actor` may edit them.
    async fn member_to_edit(&self, actor: &Actor, id: i64) -> Result<MemberPlace, AppError> {
        let place = self.store.member_place(id).await?;
        if actor.may(Action::EditMembers, &place.path) {
            Ok(place)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The head of `household` and their place, if `actor` may edit them.
    async fn household_to_edit(&self, actor: &Actor, household: i64) -> Result<(i64, MemberPlace), AppError> {
        let head = self.store.household_head(household).await?;
        Ok((head, self.member_to_edit(actor, head).await?))
    }

    /// A new household headed by member `head`, at `address`; returns its number.
    pub async fn create_household(&self, actor: &Actor, head: i64, address: Option<String>) -> Result<i64, AppError> {
        let place = self.member_to_edit(actor, head).await?;
        let address = address.map(|a| a.trim().to_string()).filter(|a| !a.is_empty());
        let change = actor.change(
            "",
            Entry {
                action: "household.create",
                unit_id: Some(place.unit_id),
                member_id: Some(head),
                // The store adds the new household's number under `after`.
                detail: json!({"before": null, "after": {"role": HouseholdRole::Head.as_str(), "address": address}}),
            },
        );
        Ok(self.store.create_household(head, address, &change).await?)
    }

    /// Puts `member` in `household` with `role`: the actor must be allowed
    /// to edit the member and the household's head.
    pub async fn join_household(
        &self,
        actor: &Actor,
        household: i64,
        member: i64,
        role: HouseholdRole,
    ) -> Result<(), AppError> {
        let place = self.member_to_edit(actor, member).await?;
        let (head, _) = self.household_to_edit(actor, household).await?;
        let change = actor.change(
            "",
            Entry {
                action: "household.join",
                unit_id: Some(place.unit_id),
                member_id: Some(member),
                detail: json!({"before": {"household": null},
                               "after": {"household": household, "role": role.as_str(), "head": head}}),
            },
        );
        self.store.join_household(member, household, role, &change).await?;
        Ok(())
    }

    /// The household's category in `year`; setting it again replaces it.
    pub async fn set_household_category(
        &self,
        actor: &Actor,
        household: i64,
        year: i32,
        category: HouseholdCategory,
    ) -> Result<(), AppError> {
        let (head, place) = self.household_to_edit(actor, household).await?;
        if !(1930..=2100).contains(&year) {
            let value = year.to_string();
            return Err(AppError::field(
                "year",
                hnd_domain::MemberError::BadField { field: "year", value },
            ));
        }
        let before = self
            .store
            .household(household)
            .await?
            .categories
            .into_iter()
            .find(|(y, _)| *y == year)
            .map(|(_, c)| c);
        let change = actor.change(
            "",
            Entry {
                action: "household.category",
                unit_id: Some(place.unit_id),
                member_id: Some(head),
                detail: json!({"household": household, "year": year,
                               "before": {"category": before}, "after": {"category": category.as_str()}}),
            },
        );
        self.store
            .set_household_category(household, year, category, &change)
            .await?;
        Ok(())
    }
}

/// May `user` see household `household`, filed under its head's unit?
/// For reads (the API's household, the member page's section).
pub async fn may_view_household(app: &App, user: &Principal, household: i64) -> Result<bool, AppError> {
    let head = app.store.household_head(household).await?;
    let place = app.store.member_place(head).await?;
    Ok(user.may(Action::ViewMembers, &place.path))
}
