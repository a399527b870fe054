//! Operations on the member register: the lifecycle of a membership.
//!
//! Each resolves the member's place in today's tree, asks whether the
//! actor may edit the member there (at the receiving unit for a
//! confirmation), and hands the store a change that carries its audit
//! entry, so the change and its entry are one transaction.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::{Action, Day};
use hnd_store::{Member, MemberPlace};
use serde_json::json;

/// Where the actor must hold the right to change a member.
#[derive(Clone, Copy)]
enum At {
    /// The member's own unit.
    Here,
    /// The unit the member is being transferred to.
    Receiving,
}

/// How a membership ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndKind {
    /// Xóa tên / ra khỏi Hội.
    Removed,
    Death,
}

/// One applicant admitted, with the card number the admission gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admitted {
    pub id: i64,
    pub full_name: String,
    pub card_number: String,
}

impl App {
    /// The member `id` and their place, if `actor` may edit them `at`.
    async fn member_to_change(&self, actor: &Actor, id: i64, at: At) -> Result<(Member, MemberPlace), AppError> {
        let place = self.store.member_place(id).await?;
        let allowed = match (at, &place.to) {
            (At::Here, _) => actor.may(Action::EditMembers, &place.path),
            (At::Receiving, Some((_, to))) => actor.may(Action::EditMembers, to),
            // Not in transfer: the store answers with the rule it breaks,
            // told only to who may edit the member where they are.
            (At::Receiving, None) => actor.may(Action::EditMembers, &place.path),
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let member = self.store.member(id).await?;
        Ok((member, place))
    }

    /// The sending unit transfers a member to unit `to` (chuyển sinh hoạt)
    /// from `date`; the member counts where they are until the receiving
    /// unit confirms.
    pub async fn send_transfer(&self, actor: &Actor, id: i64, to: &str, date: Day) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let to = to.trim();
        if to.is_empty() {
            return Err(AppError::field(
                "to",
                hnd_domain::OrgError::UnknownUnit {
                    code: String::new(),
                    as_of: date,
                },
            ));
        }
        let change = actor.change(
            "",
            Entry {
                action: "member.transfer",
                unit_id: Some(place.unit_id),
                member_id: Some(id),
                detail: json!({"before": {"unit": before.unit_code, "status": before.status},
                               "after": {"transfer_to": to, "status": "in_transfer"}, "date": date.iso()}),
            },
        );
        self.store.send_transfer(id, to, date, &change).await?;
        Ok(())
    }

    /// The receiving unit confirms a transfer: the member counts there from `date`.
    pub async fn confirm_transfer(&self, actor: &Actor, id: i64, date: Day) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Receiving).await?;
        let unit_id = place.to.as_ref().map(|(unit, _)| *unit).unwrap_or(place.unit_id);
        let change = actor.change(
            "",
            Entry {
                action: "member.confirm_transfer",
                unit_id: Some(unit_id),
                member_id: Some(id),
                detail: json!({"before": {"unit": before.unit_code, "status": before.status},
                               "after": {"unit": before.transfer_to, "status": "active"}, "date": date.iso()}),
            },
        );
        self.store.confirm_transfer(id, date, &change).await?;
        Ok(())
    }

    /// Removal (xóa tên / ra khỏi Hội) or death on `date`, for `reason`.
    pub async fn end_membership(
        &self,
        actor: &Actor,
        id: i64,
        date: Day,
        kind: EndKind,
        reason: &str,
    ) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let after = match kind {
            EndKind::Removed => "removed",
            EndKind::Death => "dead",
        };
        let change = actor.change(
            reason,
            Entry {
                action: "member.remove",
                unit_id: Some(place.unit_id),
                member_id: Some(id),
                detail: json!({"before": {"status": before.status}, "after": {"status": after},
                               "reason": reason.trim(), "date": date.iso()}),
            },
        );
        self.store
            .end_membership(id, date, kind == EndKind::Death, &change)
            .await?;
        Ok(())
    }

    /// Temporary leave (tạm nghỉ sinh hoạt) from `date`.
    pub async fn start_leave(&self, actor: &Actor, id: i64, date: Day) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let change = status_change(actor, "member.leave", &before, &place, "on_leave", date, json!({}));
        self.store.start_leave(id, date, &change).await?;
        Ok(())
    }

    /// Back from leave on `date`.
    pub async fn return_from_leave(&self, actor: &Actor, id: i64, date: Day) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let change = status_change(actor, "member.return", &before, &place, "active", date, json!({}));
        self.store.return_from_leave(id, date, &change).await?;
        Ok(())
    }

    /// Reinstatement (phục hồi) of a member struck off, by `decision`.
    pub async fn reinstate(&self, actor: &Actor, id: i64, date: Day, decision: &str) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let extra = json!({"decision": decision.trim()});
        let change = status_change(actor, "member.reinstate", &before, &place, "active", date, extra);
        self.store.reinstate(id, date, decision.trim(), &change).await?;
        Ok(())
    }

    /// A new card (cấp lại thẻ); returns its number.
    pub async fn reissue_card(&self, actor: &Actor, id: i64, date: Day) -> Result<String, AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let change = actor.change(
            "",
            Entry {
                action: "member.reissue_card",
                unit_id: Some(place.unit_id),
                member_id: Some(id),
                // The store adds the new number under `after`.
                detail: json!({"before": {"card_number": before.card_number}, "after": {}, "date": date.iso()}),
            },
        );
        Ok(self.store.reissue_card(id, date, &change).await?)
    }

    /// Admits applicants by one decision of the base committee, all or
    /// none; returns each one's card number. Every applicant must be in
    /// the actor's part of the tree. One audit entry a member, written in
    /// the one transaction of the decision.
    pub async fn admit(
        &self,
        actor: &Actor,
        ids: &[i64],
        date: Day,
        decision: &str,
    ) -> Result<Vec<Admitted>, AppError> {
        let decision = decision.trim();
        if ids.is_empty() {
            return Err(AppError::field("ids", hnd_domain::MemberError::NothingChosen));
        }
        if decision.is_empty() {
            return Err(AppError::field("decision", hnd_domain::MemberError::NoDecision));
        }
        let mut members = Vec::with_capacity(ids.len());
        for &id in ids {
            members.push(self.member_to_change(actor, id, At::Here).await?);
        }
        // One decision, one transaction: the entry names the first
        // applicant's unit and every applicant in its detail.
        let (first, place) = &members[0];
        let change = actor.change(
            "",
            Entry {
                action: "member.admit",
                unit_id: Some(place.unit_id),
                member_id: (members.len() == 1).then_some(first.id),
                detail: json!({"before": {"status": "applicant"}, "after": {"status": "active"},
                               "members": ids, "decision": decision, "date": date.iso()}),
            },
        );
        let cards = self.store.admit_many(ids, date, decision, &change).await?;
        Ok(members
            .into_iter()
            .zip(cards)
            .map(|((m, _), card_number)| Admitted {
                id: m.id,
                full_name: m.full_name,
                card_number,
            })
            .collect())
    }
}

/// A change of status by `actor`, audited with the status before and after.
fn status_change(
    actor: &Actor,
    action: &'static str,
    before: &Member,
    place: &MemberPlace,
    after: &str,
    date: Day,
    mut extra: serde_json::Value,
) -> hnd_store::Change {
    let mut detail = json!({"before": {"status": before.status}, "after": {"status": after}, "date": date.iso()});
    if let (Some(detail), Some(extra)) = (detail.as_object_mut(), extra.as_object_mut()) {
        detail.append(extra);
    }
    actor.change(
        "",
        Entry {
            action,
            unit_id: Some(place.unit_id),
            member_id: Some(before.id),
            detail,
        },
    )
}

/// Fields of a correction that are personal data: their values stay out
/// of the audit entry (the log has more readers than personal data); the
/// corrections table keeps them for who may see them.
const PERSONAL: [&str; 2] = ["cccd", "phone"];

impl App {
    /// Corrects a member's name, birth date, CCCD, phone or village,
    /// keeping each old value. Returns what changed. CCCD and phone are
    /// personal data: who may not see them leaves them as they are
    /// (`Personal::Keep`) or is refused, naming the field (`Personal::Refuse`).
    pub async fn correct_member(
        &self,
        actor: &Actor,
        id: i64,
        fix: &hnd_store::Correction,
        date: Day,
        personal: crate::Personal,
    ) -> Result<Vec<hnd_store::Corrected>, AppError> {
        let (_, place) = self.member_to_change(actor, id, At::Here).await?;
        let kept;
        let fix = if actor.may(Action::ViewSensitive, &place.path) {
            fix
        } else {
            let set = [("cccd", fix.cccd.is_some()), ("phone", fix.phone.is_some())];
            if personal == crate::Personal::Refuse
                && let Some((field, _)) = set.into_iter().find(|(_, set)| *set)
            {
                return Err(AppError::field(field, hnd_domain::AccountError::Forbidden));
            }
            kept = hnd_store::Correction {
                cccd: None,
                phone: None,
                ..fix.clone()
            };
            &kept
        };
        // The entry is filled from what the store reports changed.
        let change = actor.change(
            "",
            Entry {
                action: "member.correct",
                unit_id: Some(place.unit_id),
                member_id: Some(id),
                detail: json!({"before": {}, "after": {}, "date": date.iso()}),
            },
        );
        let preview = self.store.member(id).await?;
        let mut before = serde_json::Map::new();
        let mut after = serde_json::Map::new();
        let mut note = |field: &str, old: Option<String>, new: Option<String>| {
            if old != new {
                let hidden = PERSONAL.contains(&field);
                let shown = |v: Option<String>| if hidden { json!("•••") } else { json!(v) };
                before.insert(field.to_string(), shown(old));
                after.insert(field.to_string(), shown(new));
            }
        };
        if let Some(name) = &fix.full_name {
            note(
                "full_name",
                Some(preview.full_name.clone()),
                Some(name.split_whitespace().collect::<Vec<_>>().join(" ")),
            );
        }
        if let Some(birth) = &fix.birth {
            note("birth", Some(preview.birth_date.clone()), Some(birth.to_string()));
        }
        if let Some(cccd) = &fix.cccd {
            note("cccd", preview.cccd.clone(), cccd.as_ref().map(|c| c.to_string()));
        }
        if let Some(phone) = &fix.phone {
            note("phone", preview.phone.clone(), phone.as_ref().map(|p| p.to_string()));
        }
        if let Some(village) = &fix.village {
            let new = village.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
            note("village", preview.village.clone(), new);
        }
        let mut change = change;
        if let Some(detail) = change.audit.as_mut().and_then(|a| a.detail.as_object_mut()) {
            detail.insert("before".into(), before.into());
            detail.insert("after".into(), after.into());
        }
        Ok(self.store.correct_member(id, fix, date, &change).await?)
    }

    /// An applicant's application is withdrawn (rút đơn) on `date`.
    pub async fn withdraw_application(&self, actor: &Actor, id: i64, date: Day, reason: &str) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let change = actor.change(
            reason,
            Entry {
                action: "member.withdraw",
                unit_id: Some(place.unit_id),
                member_id: Some(id),
                detail: json!({"before": {"status": before.status}, "after": {"status": "withdrawn"},
                               "reason": reason.trim(), "date": date.iso()}),
            },
        );
        self.store.withdraw_application(id, date, &change).await?;
        Ok(())
    }
}

/// A step in a membership that needs only a date (and, for some, a
/// decision or a reason): what a member page's action buttons and the
/// API's member routes send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Kết nạp, by the base committee's decision.
    Admit { decision: String },
    /// Rút đơn: an application withdrawn.
    Withdraw { reason: String },
    /// Tạm nghỉ sinh hoạt.
    Leave,
    /// Sinh hoạt trở lại.
    Return,
    /// Phục hồi, by a decision.
    Reinstate { decision: String },
    /// Cấp lại thẻ.
    ReissueCard,
    /// Từ trần.
    Death,
}

impl Step {
    /// The step a form or a route names (`admit`, `withdraw`, `leave`,
    /// `return`, `reinstate`, `card`, `death`), with its decision or reason.
    pub fn parse(code: &str, decision: &str, reason: &str) -> Option<Step> {
        Some(match code {
            "admit" => Step::Admit {
                decision: decision.to_string(),
            },
            "withdraw" => Step::Withdraw {
                reason: reason.to_string(),
            },
            "leave" => Step::Leave,
            "return" => Step::Return,
            "reinstate" => Step::Reinstate {
                decision: decision.to_string(),
            },
            "card" => Step::ReissueCard,
            "death" => Step::Death,
            _ => return None,
        })
    }

    /// The steps a member of `status` can take.
    pub fn codes_for(status: &str) -> &'static [&'static str] {
        match status {
            "applicant" => &["admit", "withdraw"],
            "active" => &["leave", "card", "death"],
            "on_leave" => &["return", "card", "death"],
            "removed" => &["reinstate"],
            _ => &[],
        }
    }
}

impl App {
    /// Takes `step` for member `id` on `date`; returns the card number
    /// when the step hands one out (admission, a new card).
    pub async fn step(&self, actor: &Actor, id: i64, step: &Step, date: Day) -> Result<Option<String>, AppError> {
        match step {
            Step::Admit { decision } => {
                let admitted = self.admit(actor, &[id], date, decision).await?;
                Ok(admitted.into_iter().next().map(|a| a.card_number))
            }
            Step::Withdraw { reason } => self.withdraw_application(actor, id, date, reason).await.map(|_| None),
            Step::Leave => self.start_leave(actor, id, date).await.map(|_| None),
            Step::Return => self.return_from_leave(actor, id, date).await.map(|_| None),
            Step::Reinstate { decision } => {
                if decision.trim().is_empty() {
                    return Err(AppError::field("decision", hnd_domain::MemberError::NoDecision));
                }
                self.reinstate(actor, id, date, decision).await.map(|_| None)
            }
            Step::ReissueCard => self.reissue_card(actor, id, date).await.map(Some),
            Step::Death => self
                .end_membership(actor, id, date, EndKind::Death, "")
                .await
                .map(|_| None),
        }
    }
}

impl App {
    /// Decides a likely duplicate found when `member` was added: the same
    /// person as `other` (`same`), or two people. Who may edit `member`
    /// decides.
    pub async fn decide_duplicate(&self, actor: &Actor, member: i64, other: i64, same: bool) -> Result<(), AppError> {
        let (_, place) = self.member_to_change(actor, member, At::Here).await?;
        let decided = if same { "confirmed" } else { "dismissed" };
        let change = actor.change(
            "",
            Entry {
                action: "member.duplicate",
                unit_id: Some(place.unit_id),
                member_id: Some(member),
                detail: json!({"before": {"duplicate": "open"}, "after": {"duplicate": decided}, "other": other}),
            },
        );
        self.store.decide_duplicate(member, other, same, &change).await?;
        Ok(())
    }
}

impl App {
    /// The sending unit cancels a transfer it sent: the member stays, active.
    pub async fn cancel_transfer(&self, actor: &Actor, id: i64, date: Day) -> Result<(), AppError> {
        let (before, place) = self.member_to_change(actor, id, At::Here).await?;
        let change = actor.change(
            "",
            Entry {
                action: "member.cancel_transfer",
                unit_id: Some(place.unit_id),
                member_id: Some(id),
                detail: json!({"before": {"transfer_to": before.transfer_to, "status": before.status},
                               "after": {"transfer_to": null, "status": "active"}, "date": date.iso()}),
            },
        );
        self.store.cancel_transfer(id, date, &change).await?;
        Ok(())
    }
}

/// A person entered as an applicant, with the likely duplicates the actor
/// may see and how many others there are.
#[derive(Debug, Clone)]
pub struct AddedMember {
    pub id: i64,
    pub likely_duplicates: Vec<hnd_store::LikelyDuplicate>,
    /// Likely duplicates in units the actor does not see: counted, not named.
    pub elsewhere: usize,
}

impl App {
    /// Enters a person as an applicant of a branch or group (đơn xin vào
    /// Hội). A CCCD already in the register names its holder only as far
    /// as the actor may see them; likely duplicates likewise.
    pub async fn add_member(&self, actor: &Actor, input: &crate::AddMember) -> Result<AddedMember, AppError> {
        let (new, date, accept_warnings) = (&input.member, input.date, input.accept_warnings);
        let (unit_id, path) = self.store.unit_path(new.unit.as_str()).await?;
        if !actor.may(Action::EditMembers, &path) {
            return Err(AppError::Forbidden);
        }
        let change = actor.change(
            "",
            Entry {
                action: "member.add",
                unit_id: Some(unit_id),
                member_id: None,
                detail: json!({"before": {}, "after": {
                    "full_name": new.full_name.trim(), "birth": new.birth.to_string(), "sex": new.sex.as_str(),
                    "unit": new.unit.as_str(), "village": new.village,
                    "cccd_given": new.cccd.is_some(), "phone_given": new.phone.is_some()}, "date": date.iso()}),
            },
        );
        let added = match self.store.add_member(new, date, accept_warnings, &change).await {
            Ok(added) => added,
            Err(hnd_store::StoreError::Member(e @ hnd_domain::MemberError::DuplicateCccd { .. })) => {
                return Err(e.seen_as(|path| actor.holder_view(path)).into());
            }
            Err(e) => return Err(e.into()),
        };
        let (mut shown, mut elsewhere) = (Vec::new(), 0);
        for dup in added.likely_duplicates {
            let place = self.store.member_place(dup.id).await?;
            let to = place.to.as_ref().map(|(_, p)| p.as_str());
            if actor.may(Action::ViewMembers, &place.path) || to.is_some_and(|to| actor.may(Action::ViewMembers, to)) {
                shown.push(dup);
            } else {
                elsewhere += 1;
            }
        }
        Ok(AddedMember {
            id: added.id,
            likely_duplicates: shown,
            elsewhere,
        })
    }
}
