//! Membership fees (hội phí): a province sets the fee of a year and its
//! shares; a branch records who paid; every level reads what its subtree
//! collected and what goes up.
//!
//! Policy: a fee is set by who may manage plans on the province itself (a
//! province officer or the central administrator: a commune's grant lies
//! below the province); a payment is recorded by who may edit the member
//! (the branch head collects it); the collection is read by who may read
//! the unit's members. The audit entry of a payment names the unit of the
//! first member paid for and lists every member.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::fees::fee_year;
use hnd_domain::{Action, Day, FeeError, FeeRate, Level, MemberError};
use hnd_store::{FeePayment, FeeReport};
use serde_json::json;

impl App {
    /// Sets the fee of province `code` for `year`; returns the one it
    /// replaced. The rate comes as read from the user: refused, if it
    /// cannot be one, only after access is granted.
    pub async fn set_fee_rate(
        &self,
        actor: &Actor,
        code: &str,
        year: i32,
        rate: Result<FeeRate, FeeError>,
    ) -> Result<Option<FeeRate>, AppError> {
        let unit = self.store.unit(code, Day::today()).await?.unit;
        if !actor.may(Action::EditPlans, &unit.path) {
            return Err(AppError::Forbidden);
        }
        let rate = &rate.map_err(|e| AppError::field("amount", e))?;
        if unit.level != Level::Province {
            return Err(AppError::field("unit", FeeError::NotAProvince { code: code.into() }));
        }
        let year = fee_year(year, Day::today().year()).map_err(|e| AppError::field("year", e))?;
        let before = self.store.fee_rate(&unit.code, year).await?;
        let change = actor.change(
            "",
            Entry {
                action: "fee.rate",
                unit_id: Some(unit.id),
                member_id: None,
                detail: json!({"year": year, "before": before, "after": rate}),
            },
        );
        self.store.set_fee_rate(&unit.code, year, rate, &change).await?;
        Ok(before)
    }

    /// Records that `members` paid the fee of `year` on `paid_on` (not a
    /// day to come), each at their province's rate: all or none. Returns
    /// the amount collected.
    pub async fn record_fees(&self, actor: &Actor, members: &[i64], year: i32, paid_on: Day) -> Result<i64, AppError> {
        let Some(&first) = members.first() else {
            return Err(AppError::field("members", MemberError::NothingChosen));
        };
        let year = fee_year(year, Day::today().year()).map_err(|e| AppError::field("year", e))?;
        if paid_on > Day::today() {
            return Err(AppError::bad_value("date", &paid_on.to_string()));
        }
        let mut unit = None;
        for &id in members {
            let place = self.store.member_place(id).await?;
            if !actor.may(Action::EditMembers, &place.path) {
                return Err(AppError::Forbidden);
            }
            unit.get_or_insert(place.unit_id);
        }
        let change = actor.change(
            "",
            Entry {
                action: "fee.pay",
                unit_id: unit,
                member_id: (members.len() == 1).then_some(first),
                detail: json!({"year": year, "paid_on": paid_on.iso(), "before": {"paid": false},
                               "after": {"paid": true, "members": members}}),
            },
        );
        Ok(self.store.record_fees(members, year, paid_on, &change).await?)
    }

    /// The fees of unit `code`'s subtree in `year`, to a reader who may
    /// read its members.
    pub async fn fee_report(&self, reader: &Actor, code: &str, year: i32) -> Result<FeeReport, AppError> {
        let unit = self.store.unit(code, Day::today()).await?.unit;
        if !reader.may(Action::ViewMembers, &unit.path) {
            return Err(AppError::Forbidden);
        }
        let year = fee_year(year, Day::today().year()).map_err(|e| AppError::field("year", e))?;
        Ok(self.store.fee_report(&unit, year).await?)
    }

    /// Member `id`'s payments, to a reader who may read the member.
    pub async fn member_fees(&self, reader: &Actor, id: i64) -> Result<Vec<FeePayment>, AppError> {
        let place = self.store.member_place(id).await?;
        if !reader.may(Action::ViewMembers, &place.path) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.member_fees(id).await?)
    }
}
