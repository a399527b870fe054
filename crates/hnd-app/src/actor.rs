//! Who acts: a signed-in user (or API token) with grants, or the operator
//! at the command line.

use hnd_domain::{Action, Lang, Principal};
use hnd_store::{Audit, Change};

/// Where a request came from; written into the audit entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
    Cli,
}

impl Channel {
    fn code(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Cli => "cli",
        }
    }
}

#[derive(Debug, Clone)]
enum Who {
    /// Answers to the grants of the account.
    User(Principal),
    /// The command line holds the database address and so the whole
    /// installation: it may do everything, and is audited like anyone.
    Operator(String),
}

/// The subject of an operation.
#[derive(Debug, Clone)]
pub struct Actor {
    who: Who,
    address: String,
    channel: Channel,
    /// Why, for the event log, when the operation asks for no reason of its own.
    reason: Option<String>,
    pub lang: Lang,
}

impl Actor {
    /// A signed-in user, from `address`, through `channel`.
    pub fn user(principal: Principal, address: impl Into<String>, channel: Channel, lang: Lang) -> Actor {
        Actor {
            who: Who::User(principal),
            address: address.into(),
            channel,
            reason: None,
            lang,
        }
    }

    /// Somebody not signed in, from `address`: may do nothing but sign in.
    pub fn visitor(address: impl Into<String>, channel: Channel, lang: Lang) -> Actor {
        let nobody = Principal::new(0, String::new(), String::new(), Vec::new(), None);
        Actor::user(nobody, address, channel, lang)
    }

    /// The same request made by `principal` (a visitor who signed in).
    pub(crate) fn signed_in(&self, principal: Principal) -> Actor {
        Actor::user(principal, self.address.clone(), self.channel, self.lang)
    }

    /// Where the request came from.
    pub(crate) fn address(&self) -> &str {
        &self.address
    }

    /// The operator at the command line, named by `--author`/`HND_USER`.
    pub fn operator(author: impl Into<String>, lang: Lang) -> Actor {
        Actor {
            who: Who::Operator(author.into()),
            address: "cli".to_string(),
            channel: Channel::Cli,
            reason: None,
            lang,
        }
    }

    /// The same actor, giving `reason` for the changes it makes.
    pub fn with_reason(mut self, reason: impl Into<String>) -> Actor {
        let reason = reason.into();
        self.reason = (!reason.trim().is_empty()).then_some(reason);
        self
    }

    /// The name the event and audit logs carry.
    pub fn name(&self) -> &str {
        match &self.who {
            Who::User(p) => &p.login,
            Who::Operator(name) => name,
        }
    }

    /// The user behind the actor; `None` for the operator.
    pub(crate) fn principal(&self) -> Option<&Principal> {
        match &self.who {
            Who::User(p) => Some(p),
            Who::Operator(_) => None,
        }
    }

    /// May the actor do `action` on the unit at `path` (today's tree)?
    pub(crate) fn may(&self, action: Action, path: &str) -> bool {
        match &self.who {
            Who::User(p) => p.may(action, path),
            Who::Operator(_) => true,
        }
    }

    /// Does the actor pass `rule`, one of the policy's questions of
    /// [`Principal`] (`hnd_domain::access`)? The operator passes every one.
    pub(crate) fn passes(&self, rule: impl FnOnce(&Principal) -> bool) -> bool {
        match &self.who {
            Who::User(p) => rule(p),
            Who::Operator(_) => true,
        }
    }

    /// How much a refusal may tell this actor about the member holding a
    /// CCCD, whose unit is at `path`.
    pub(crate) fn holder_view(&self, path: &str) -> hnd_domain::access::HolderView {
        match &self.who {
            Who::User(p) => p.holder_view(path),
            Who::Operator(_) => hnd_domain::access::HolderView::Named,
        }
    }

    /// A change by this actor, with `reason` for the event log, carrying
    /// its audit entry.
    pub(crate) fn change(&self, reason: &str, entry: Entry) -> Change {
        let audit = Audit {
            actor: self.name().to_string(),
            address: self.address.clone(),
            action: entry.action.to_string(),
            unit_id: entry.unit_id,
            member_id: entry.member_id,
            detail: entry.detail,
        };
        let reason = match (reason.trim(), &self.reason) {
            ("", Some(own)) => own.trim(),
            ("", None) => self.channel.code(),
            (given, _) => given,
        };
        Change::new(self.name(), reason).audited(audit)
    }
}

/// What an audit entry says: the action, the unit it happened in, the
/// member if any, and the detail with `before` and `after`. The unit is
/// always one, except for the operator's accounts made before the tree
/// exists (the first administrator of a new installation).
pub(crate) struct Entry {
    pub action: &'static str,
    pub unit_id: Option<i64>,
    pub member_id: Option<i64>,
    pub detail: serde_json::Value,
}
