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
    /// Private: every question about them is a method of this module.
    grants: Vec<Grant>,
    /// The outside body this account acts for, if any.
    pub body: Option<Body>,
}

impl Principal {
    /// A user with `grants` (roles on units, with the units' paths today),
    /// acting for `body` if an outside body's account.
    pub fn new(id: i64, login: String, full_name: String, grants: Vec<Grant>, body: Option<Body>) -> Principal {
        Principal {
            id,
            login,
            full_name,
            grants,
            body,
        }
    }

    /// The user's roles, to show them (never to decide: ask [`Principal::may`]).
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

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

    /// May this user read the plan issued by the unit at `plan_path` (the
    /// plan, its place in the list, its tasks)? Whoever may view members in
    /// the issuing unit's subtree, and whoever holds a grant on a unit
    /// below it: a plan speaks to its whole subtree (targets are handed
    /// down, every unit below carries out its tasks). Its figures for one
    /// unit are read with `ViewMembers` on that unit. The store's task list
    /// asks the same in SQL (`Store::visible_tasks`).
    pub fn may_read_plan(&self, plan_path: &str) -> bool {
        self.may(Action::ViewMembers, plan_path) || self.grants.iter().any(|g| g.path.starts_with(plan_path))
    }

    /// May this user read a plan of the unit at `plan_path` in its
    /// `status`: a draft only who may `EditPlans` on that unit (its own
    /// officers, and those above who may plan for it); any other as
    /// [`Principal::may_read_plan`].
    pub fn may_read_plan_in(&self, plan_path: &str, status: crate::plan::PlanStatus) -> bool {
        match status {
            crate::plan::PlanStatus::Draft => self.may(Action::EditPlans, plan_path),
            _ => self.may_read_plan(plan_path),
        }
    }

    /// May this user read a task of the plan issued by the unit at
    /// `plan_path`: whoever may read the plan ([`Principal::may_read_plan`]),
    /// or the account of a body the task names, itself or through a group
    /// it belongs to (`names_body` answers for a body's id).
    pub fn may_read_task(&self, plan_path: &str, names_body: impl Fn(i64) -> bool) -> bool {
        self.may_read_plan(plan_path) || self.acts_for(names_body)
    }

    /// May this user report on such a task (a note, its status, files): an
    /// officer who may `EditPlans` on the plan's issuing unit, or the
    /// account of a body the task names. Decided: an outside body reports
    /// only through its own tasks, never on the plan's targets.
    pub fn may_report_task(&self, plan_path: &str, names_body: impl Fn(i64) -> bool) -> bool {
        self.may(Action::EditPlans, plan_path) || self.acts_for(names_body)
    }

    /// Does this account act for a body `names_body` says yes to?
    fn acts_for(&self, names_body: impl Fn(i64) -> bool) -> bool {
        self.body.as_ref().is_some_and(|b| names_body(b.id))
    }

    /// May this user do `action` anywhere at all (to show or hide a menu entry)?
    pub fn may_somewhere(&self, action: Action) -> bool {
        self.grants.iter().any(|g| g.role.allows(action))
    }

    /// May this user add indicators to the catalogue: an officer of the
    /// central committee or of a province (the catalogue is the country's).
    pub fn may_add_indicators(&self) -> bool {
        self.grants
            .iter()
            .any(|g| g.role.allows(Action::EditPlans) && matches!(g.role, Role::CentralAdmin | Role::ProvinceOfficer))
    }

    /// May this user set targets somewhere in the tree of a plan issued by
    /// the unit at `path`: `EditPlans` in its subtree or above it (each
    /// target's unit is then checked on its own).
    pub fn may_set_targets_under(&self, path: &str) -> bool {
        self.grants.iter().any(|g| {
            g.role.allows(Action::EditPlans) && (g.path.starts_with(path) || path.starts_with(g.path.as_str()))
        })
    }

    /// An account acting for an outside body, with no role in the Union.
    pub fn is_outside_body(&self) -> bool {
        self.body.is_some() && self.grants.is_empty()
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

    /// May this user change the unit at `path` itself: rename, move,
    /// merge away, split or dissolve it?
    ///
    /// Decided: only from above. It takes `EditTree` from a grant on a
    /// unit strictly above this one: the unit a grant is on is named,
    /// placed and ended by the level above it (the province names and
    /// reorganises its communes), so a commune officer adds, renames,
    /// moves, merges, splits and dissolves the branches and groups of the
    /// commune, but not the commune. Adding a unit *under* the grant's
    /// unit only needs [`Principal::may`] `EditTree` on it, and every other
    /// unit an operation names (a new parent, a merge target) must pass
    /// `may(EditTree, …)` as well: the handler asks for each.
    pub fn may_reshape(&self, path: &str) -> bool {
        self.grants
            .iter()
            .any(|g| g.role.allows(Action::EditTree) && path.len() > g.path.len() && path.starts_with(g.path.as_str()))
    }

    /// May this user record a position (chức vụ) held in the unit at
    /// `path` (its path today, see the store's `access_path`)?
    ///
    /// Decided: `EditMembers` on that unit, whoever the member is. A
    /// position is the unit's own record of who leads it, so a commune
    /// officer records positions in the commune and its branches, and a
    /// position in another commune, province or at the centre is recorded
    /// by the level that covers it (the member's own unit does not make a
    /// Hà Nội branch head of a member of another province). Removing an
    /// entry asks the same of the entry's unit.
    pub fn may_record_position(&self, path: &str) -> bool {
        self.may(Action::EditMembers, path)
    }

    /// May a member search over the subtree at `path` match personal data:
    /// a full CCCD or phone number in the search text, and the filters of
    /// [`PERSONAL_FILTERS`]?
    ///
    /// Who may not see a field may not search or filter by it, since a
    /// match tells the field's value as surely as showing it. So this is
    /// `ViewSensitive` on the whole subtree searched (a right on a part of
    /// it is not enough: search that part). Without it a text of digits
    /// only matches card numbers, which are not personal data. Decided,
    /// for a personal filter asked for anyway: the list page hides the
    /// controls and ignores a filter written into its address with a
    /// notice saying so (a link shared by a colleague with more rights
    /// still opens on the list); the JSON API and the export refuse it
    /// (403 naming the parameter), since a script or a file cannot show a
    /// notice and must not silently get another set of members.
    pub fn may_search_personal(&self, path: &str) -> bool {
        self.may(Action::ViewSensitive, path)
    }

    /// How much a refusal may say about the member who already holds a
    /// CCCD being entered again, the holder's unit being at `path` (its
    /// path today; empty when the unit has ended): see [`HolderView`].
    pub fn holder_view(&self, path: &str) -> HolderView {
        holder_view(|action, p| self.may(action, p), path)
    }

    /// The highest unit in the subtree at `path` where the user can `action`.
    pub fn home_under(&self, action: Action, path: &str) -> Option<&Grant> {
        self.grants
            .iter()
            .filter(|g| g.role.allows(action) && g.path.starts_with(path))
            .min_by_key(|g| g.path.len())
    }

    /// The subtrees (paths) where the user may `action`: where a unit
    /// they choose for it may come from.
    pub fn scopes(&self, action: Action) -> Vec<String> {
        self.grants
            .iter()
            .filter(|g| g.role.allows(action))
            .map(|g| g.path.clone())
            .collect()
    }

    /// The highest unit the user can `action` in: where their pages start.
    pub fn home(&self, action: Action) -> Option<&Grant> {
        self.grants
            .iter()
            .filter(|g| g.role.allows(action))
            .min_by_key(|g| g.path.len())
    }
}

/// Filters of a member search that read personal data, by the name of
/// their parameter: used only by who [`Principal::may_search_personal`].
pub const PERSONAL_FILTERS: [&str; 4] = ["ethnicity", "religion", "bhyt", "bhxh"];

/// What a refusal of a CCCD already in the register may tell about its
/// holder. Entering a number and being told who holds it is a search by
/// that number, so the answer follows the rules of seeing the holder:
///
/// - `Named`: `ViewMembers` and `ViewSensitive` on the holder's unit: the
///   member's number, name and unit, to open that record instead;
/// - `Unit`: `ViewMembers` there but personal data masked: only the unit
///   (which the user sees already), not who in it holds the number;
/// - `Province`: anyone else: only that the number is taken, and the name
///   of the province whose union keeps it, so they know whom to ask.
///
/// The command line (the operator's tool) is told everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderView {
    Named,
    Unit,
    Province,
}

/// [`HolderView`] for a user described by what they `may` do where (the
/// import runs with such a question rather than a [`Principal`]).
pub fn holder_view(may: impl Fn(Action, &str) -> bool, path: &str) -> HolderView {
    if path.is_empty() || !may(Action::ViewMembers, path) {
        HolderView::Province
    } else if may(Action::ViewSensitive, path) {
        HolderView::Named
    } else {
        HolderView::Unit
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
    fn a_plan_is_read_in_its_subtree_and_below_it() {
        let commune = user(Role::CommuneOfficer, "/1/52/700/");
        assert!(commune.may_read_plan("/1/52/700/"), "its own");
        assert!(commune.may_read_plan("/1/52/"), "its province's: targets come down");
        assert!(!commune.may_read_plan("/1/53/"), "another province's");
        assert!(!commune.may_read_plan("/1/52/7001/"), "a sibling whose id starts alike");
        let province = user(Role::ProvinceOfficer, "/1/52/");
        assert!(province.may_read_plan("/1/52/700/9001/"));
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
    fn a_grant_unit_is_reshaped_from_above_only() {
        let commune = user(Role::CommuneOfficer, "/1/52/700/");
        assert!(!commune.may_reshape("/1/52/700/"), "its own commune");
        assert!(commune.may_reshape("/1/52/700/9001/"), "a branch of it");
        assert!(!commune.may_reshape("/1/52/7001/"));
        assert!(!commune.may_reshape("/1/52/"));
        let province = user(Role::ProvinceOfficer, "/1/52/");
        assert!(province.may_reshape("/1/52/700/"));
        assert!(!user(Role::Viewer, "/1/").may_reshape("/1/52/700/"));
    }

    #[test]
    fn personal_data_is_searched_and_named_only_by_who_sees_it() {
        let viewer = user(Role::Viewer, "/1/");
        let head = user(Role::BranchHead, "/1/52/700/9001/");
        let commune = user(Role::CommuneOfficer, "/1/52/700/");
        assert!(!viewer.may_search_personal("/1/52/"));
        assert!(!head.may_search_personal("/1/52/700/9001/"));
        assert!(commune.may_search_personal("/1/52/700/9001/"));
        assert!(!commune.may_search_personal("/1/52/"), "a part is not the whole");
        assert_eq!(commune.holder_view("/1/52/700/9001/"), HolderView::Named);
        assert_eq!(head.holder_view("/1/52/700/9001/"), HolderView::Unit);
        assert_eq!(head.holder_view("/1/52/700/9002/"), HolderView::Province);
        assert_eq!(commune.holder_view("/1/01/5/"), HolderView::Province);
        assert_eq!(commune.holder_view(""), HolderView::Province, "an ended unit");
    }

    #[test]
    fn roles_round_trip_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("king"), None);
    }
}
