//! Who may do what, and where: roles granted on a unit of the tree hold
//! for the unit's whole subtree and nothing else.
//!
//! This is the one place that answers "may user U do action A on unit X?"
//! for the web pages, the JSON API and the command line alike. A unit is
//! named here by its materialised path (`/1/52/7730/`): a grant on a unit
//! covers every unit whose path starts with the grant's path.

use crate::i18n::{Lang, t};
use serde::Serialize;

/// A role, granted on one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Ban Thường vụ Trung ương Hội: everything, including accounts.
    CentralAdmin,
    /// Cán bộ Hội Nông dân tỉnh: everything in the province, including its accounts.
    ProvinceOfficer,
    /// Cán bộ Hội Nông dân xã/phường: the commune's tree and register.
    CommuneOfficer,
    /// Chi hội trưởng: reads the branch, enters applications and changes of its members.
    BranchHead,
    /// Read-only: the tree and the register, personal data masked.
    Viewer,
}

/// Something a user may be allowed to do on a unit's subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ViewTree,
    EditTree,
    ViewMembers,
    EditMembers,
    /// See CCCD, phone, ethnicity, religion, household poverty and loans unmasked.
    ViewSensitive,
    Import,
    Export,
    ViewAudit,
    ManageUsers,
    /// Report on the tasks of plans issued in the subtree (status, notes, files).
    EditPlans,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::ViewTree,
        Action::EditTree,
        Action::ViewMembers,
        Action::EditMembers,
        Action::ViewSensitive,
        Action::Import,
        Action::Export,
        Action::ViewAudit,
        Action::ManageUsers,
        Action::EditPlans,
    ];
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::CentralAdmin,
        Role::ProvinceOfficer,
        Role::CommuneOfficer,
        Role::BranchHead,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::CentralAdmin => "central_admin",
            Role::ProvinceOfficer => "province_officer",
            Role::CommuneOfficer => "commune_officer",
            Role::BranchHead => "branch_head",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == text.trim())
    }

    /// The role's name for a person.
    pub fn label(self, lang: Lang) -> String {
        t(lang, &format!("role.{}", self.code()), &[])
    }

    /// Whether this role allows `action` (within the subtree it is granted on).
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::CentralAdmin | Role::ProvinceOfficer => true,
            Role::CommuneOfficer => action != ManageUsers,
            // A branch head enters and updates members but sees personal
            // data only as masked, and takes no files out.
            Role::BranchHead => matches!(action, ViewTree | ViewMembers | EditMembers),
            Role::Viewer => matches!(action, ViewTree | ViewMembers),
        }
    }
}

/// One role of a user on one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub role: Role,
    pub unit_code: String,
    pub unit_name: String,
    /// The unit's path in today's tree.
    pub path: String,
}

/// A body outside the Union that plans give tasks to (Sở Nông nghiệp,
/// UBND tỉnh, Ban Dân vận…). An account acting for one holds no grants:
/// it sees and reports on the tasks that name its body, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Body {
    pub id: i64,
    pub name: String,
}

/// A signed-in user with their grants: the subject of every access question.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub grants: Vec<Grant>,
    /// The outside body this account acts for, if any.
    pub body: Option<Body>,
}

impl Principal {
    /// May this user do `action` on the unit at `path` (and so on anything in it)?
    pub fn may(&self, action: Action, path: &str) -> bool {
        self.grants
            .iter()
            .any(|g| g.role.allows(action) && path.starts_with(g.path.as_str()))
    }

    /// May this user do `action` on a member who is at `path` and, while
    /// in transfer, going to `to`? Either place will do: the receiving
    /// unit sees and confirms who is coming.
    pub fn may_at_either(&self, action: Action, path: &str, to: Option<&str>) -> bool {
        self.may(action, path) || to.is_some_and(|to| self.may(action, to))
    }

    /// May this user do `action` anywhere at all (to show or hide a menu entry)?
    pub fn may_somewhere(&self, action: Action) -> bool {
        self.grants.iter().any(|g| g.role.allows(action))
    }

    /// May this user give or take away `role` on the unit at `path`? Who
    /// manages accounts there may, except that the central administrator's
    /// role is given on the root alone (a path of one unit, `/1/`) and only
    /// by who manages accounts there.
    pub fn may_manage_grant(&self, role: Role, path: &str) -> bool {
        let root = path.matches('/').count() == 2;
        self.may(Action::ManageUsers, path) && (role != Role::CentralAdmin || root)
    }

    /// May this user manage the account (password, tokens) whose live
    /// grants sit at `paths`? Only who manages accounts over every one of
    /// them; an account with none, only who manages accounts at the root.
    pub fn may_manage_account(&self, paths: &[&str]) -> bool {
        if paths.is_empty() {
            return self
                .grants
                .iter()
                .any(|g| g.role.allows(Action::ManageUsers) && g.path.matches('/').count() == 2);
        }
        paths.iter().all(|p| self.may(Action::ManageUsers, p))
    }

    /// The highest unit the user can `action` in: where their pages start.
    pub fn home(&self, action: Action) -> Option<&Grant> {
        self.grants
            .iter()
            .filter(|g| g.role.allows(action))
            .min_by_key(|g| g.path.len())
    }
}

/// A personal value as a list, page, answer or export shows it: itself
/// where the reader may see it, else masked (see [`mask`]).
pub fn shown(value: Option<&str>, reveal: bool, keep: usize) -> Option<String> {
    value.map(|v| if reveal { v.to_string() } else { mask(v, keep) })
}

/// `001090012345` → `••••••••2345` (keeps the last `keep` characters).
pub fn mask(value: &str, keep: usize) -> String {
    let n = value.chars().count();
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i + keep < n { '•' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, path: &str) -> Principal {
        Principal {
            id: 1,
            login: "u".into(),
            full_name: "U".into(),
            grants: vec![Grant {
                role,
                unit_code: "X".into(),
                unit_name: "X".into(),
                path: path.into(),
            }],
            body: None,
        }
    }

    #[test]
    fn a_grant_covers_its_subtree_and_nothing_else() {
        let commune = user(Role::CommuneOfficer, "/1/52/700/");
        assert!(commune.may(Action::EditMembers, "/1/52/700/"));
        assert!(commune.may(Action::EditMembers, "/1/52/700/9001/"));
        assert!(
            !commune.may(Action::EditMembers, "/1/52/7001/"),
            "a sibling whose id starts alike"
        );
        assert!(!commune.may(Action::ViewMembers, "/1/52/"));
        assert!(!commune.may(Action::ManageUsers, "/1/52/700/"));
    }

    #[test]
    fn roles_differ_in_what_they_allow() {
        let viewer = user(Role::Viewer, "/1/");
        assert!(viewer.may(Action::ViewMembers, "/1/52/"));
        assert!(!viewer.may(Action::EditMembers, "/1/52/"));
        assert!(!viewer.may(Action::Export, "/1/52/"));
        let head = user(Role::BranchHead, "/1/52/700/9001/");
        assert!(head.may(Action::EditMembers, "/1/52/700/9001/"));
        assert!(!head.may(Action::ViewSensitive, "/1/52/700/9001/"));
        let reveal = head.may(Action::ViewSensitive, "/1/52/700/9001/");
        assert_eq!(shown(Some("001090012345"), reveal, 4).unwrap(), "••••••••2345");
        let admin = user(Role::CentralAdmin, "/1/");
        for action in Action::ALL {
            assert!(admin.may(action, "/1/52/700/"));
        }
        let reveal = admin.may(Action::ViewSensitive, "/1/52/");
        assert_eq!(shown(Some("0912345678"), reveal, 3).unwrap(), "0912345678");
    }

    #[test]
    fn roles_round_trip_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("king"), None);
    }
}
