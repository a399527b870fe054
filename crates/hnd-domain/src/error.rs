//! Rules of the organisation tree that an operation can break. Each
//! carries what a person needs to act on it and reads in their language.

use crate::date::BadDay;
use crate::unit::BadUnitText;
use crate::{Day, Lang, Level, i18n::t};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error("bad code {code}")]
    BadCode { code: String },
    #[error("bad name {name}")]
    BadName { name: String },
    #[error("bad date {value}")]
    BadDate { value: String },
    #[error("unknown unit {code} on {as_of}")]
    UnknownUnit { code: String, as_of: Day },
    #[error("duplicate code {code}")]
    DuplicateCode { code: String },
    #[error("{level} {code} cannot be under {parent_level} {parent}")]
    LevelNotAllowed {
        code: String,
        level: Level,
        parent: String,
        parent_level: Level,
    },
    #[error("{code} cannot move under its own descendant {target}")]
    Cycle { code: String, target: String },
    #[error("{code} cannot merge into itself or its descendant {target}")]
    MergeIntoDescendant { code: String, target: String },
    #[error("{code}: {date} before it existed ({from})")]
    BeforeExistence { code: String, date: Day, from: Day },
    #[error("{code}: {date} after it ended ({to})")]
    AfterEnd { code: String, date: Day, to: Day },
    #[error("{code}: {date} before its last change ({last})")]
    BeforeLastChange { code: String, date: Day, last: Day },
    #[error("{code} still has {count} live units")]
    HasChildren { code: String, count: usize },
    #[error("split of {code}: child {child} not assigned")]
    SplitChildUnassigned { code: String, child: String },
    #[error("split of {code}: {child} is not a child")]
    SplitNotAChild { code: String, child: String },
    #[error("split of {code}: target {target} is not a part")]
    SplitUnknownPart { code: String, target: String },
    #[error("split of {code} needs at least two parts")]
    SplitTooFewParts { code: String },
    #[error("merge needs at least one source")]
    MergeNoSources,
    #[error("kind required for {code}")]
    KindRequired { code: String },
    #[error("kind not allowed for {code}")]
    KindNotAllowed { code: String },
    #[error("trade required for {code}")]
    TradeRequired { code: String },
    #[error("the tree is not empty")]
    TreeNotEmpty,
    #[error("no legacy tree to merge")]
    NotLegacyTree,
    #[error("the root cannot be changed")]
    RootFixed,
    #[error("{code} still has {count} members")]
    HasMembers { code: String, count: usize },
    /// A new branch or group whose code does not begin with its parent's,
    /// its commune's or its province's code (see [`crate::UnitCode::fits`]).
    #[error("code {code} does not fit under {parent}")]
    CodeDoesNotFit { code: String, parent: String },
    /// A day refused by the date rules (too far ahead).
    #[error("{0}")]
    Date(crate::DateRuleError),
}

impl OrgError {
    /// A sentence for a person, in `lang`, naming the unit and the rule.
    pub fn message(&self, lang: Lang) -> String {
        use OrgError::*;
        let level = |l: &Level| t(lang, l.label_key(), &[]);
        match self {
            BadCode { code } => t(lang, "org.bad_code", &[("code", code)]),
            BadName { name } => t(lang, "org.bad_name", &[("name", name)]),
            BadDate { value } => t(lang, "org.bad_date", &[("value", value)]),
            UnknownUnit { code, as_of } => t(lang, "org.unknown_unit", &[("code", code), ("date", as_of)]),
            DuplicateCode { code } => t(lang, "org.duplicate_code", &[("code", code)]),
            LevelNotAllowed {
                code,
                level: l,
                parent,
                parent_level,
            } => t(
                lang,
                "org.level_not_allowed",
                &[
                    ("code", code),
                    ("level", &level(l)),
                    ("parent", parent),
                    ("parent_level", &level(parent_level)),
                ],
            ),
            Cycle { code, target } => t(lang, "org.cycle", &[("code", code), ("target", target)]),
            MergeIntoDescendant { code, target } => {
                t(lang, "org.merge_into_descendant", &[("code", code), ("target", target)])
            }
            BeforeExistence { code, date, from } => t(
                lang,
                "org.before_existence",
                &[("code", code), ("date", date), ("from", from)],
            ),
            AfterEnd { code, date, to } => t(lang, "org.after_end", &[("code", code), ("date", date), ("to", to)]),
            BeforeLastChange { code, date, last } => t(
                lang,
                "org.before_last_change",
                &[("code", code), ("date", date), ("last", last)],
            ),
            HasChildren { code, count } => t(lang, "org.has_children", &[("code", code), ("count", count)]),
            SplitChildUnassigned { code, child } => {
                t(lang, "org.split_child_unassigned", &[("code", code), ("child", child)])
            }
            SplitNotAChild { code, child } => t(lang, "org.split_not_a_child", &[("code", code), ("child", child)]),
            SplitUnknownPart { code, target } => {
                t(lang, "org.split_unknown_part", &[("code", code), ("target", target)])
            }
            SplitTooFewParts { code } => t(lang, "org.split_too_few_parts", &[("code", code)]),
            MergeNoSources => t(lang, "org.merge_no_sources", &[]),
            KindRequired { code } => t(lang, "org.kind_required", &[("code", code)]),
            KindNotAllowed { code } => t(lang, "org.kind_not_allowed", &[("code", code)]),
            TradeRequired { code } => t(lang, "org.trade_required", &[("code", code)]),
            TreeNotEmpty => t(lang, "org.tree_not_empty", &[]),
            NotLegacyTree => t(lang, "org.not_legacy_tree", &[]),
            RootFixed => t(lang, "org.root_fixed", &[]),
            HasMembers { code, count } => t(lang, "org.has_members", &[("code", code), ("count", count)]),
            CodeDoesNotFit { code, parent } => t(lang, "org.code_does_not_fit", &[("code", code), ("parent", parent)]),
            Date(e) => e.message(lang),
        }
    }
}

/// Where the member holding a CCCD is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderPlace {
    /// The holder's unit's path today (empty if the unit has ended):
    /// where access to the holder is asked.
    pub path: String,
    /// The name of the holder's province.
    pub province: String,
}

/// Rules of the member register that a change can break; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberError {
    /// The CCCD is already held by member `id`. Named this way only to
    /// who may see the holder: see [`MemberError::seen_as`].
    #[error("citizen id {cccd} already belongs to member {id}")]
    DuplicateCccd {
        cccd: String,
        id: i64,
        name: String,
        unit: String,
        /// Where the holder is, asked about before they are named.
        place: Box<HolderPlace>,
    },
    /// The CCCD is already held by a member this reader may not see: the
    /// unit only where they see it, else only the province.
    #[error("citizen id {cccd} is already in the register")]
    CccdTaken {
        cccd: String,
        unit: Option<String>,
        province: String,
    },
    #[error("{code} is not a branch or group")]
    NotABranch { code: String },
    #[error("no member {id}")]
    UnknownMember { id: i64 },
    #[error("member {id} is {status}")]
    WrongStatus { id: i64, status: String },
    #[error("citizen id disagrees with birth year or sex")]
    CccdMismatch { cccd: String, id_year: i32, id_sex: String },
    #[error("bad name {name}")]
    BadName { name: String },
    #[error("{date} is before the member's last event ({last})")]
    BeforeLastEvent { id: i64, date: Day, last: Day },
    #[error("member {id}'s unit no longer exists")]
    UnitGone { id: i64 },
    #[error("no open likely duplicate {member} / {other}")]
    NoOpenDuplicate { member: i64, other: i64 },
    #[error("no household {id}")]
    UnknownHousehold { id: i64 },
    #[error("member {id} is already in household {household}")]
    InHousehold { id: i64, household: i64 },
    #[error("household {household} already has a head")]
    SecondHead { household: i64 },
    /// No role, title or rating `entry` in member `id`'s profile.
    #[error("member {id} has no entry {entry}")]
    UnknownEntry { id: i64, entry: i64 },
    /// No import mapping saved under `name` for unit `unit`.
    #[error("no import mapping {name} for unit {unit}")]
    UnknownMapping { unit: String, name: String },
    /// A profile field refused.
    #[error("{0}")]
    Field(crate::profile::FieldError),
    /// A value of one of the register's fields (`birth`, `cccd`, `phone`…)
    /// that cannot be read.
    #[error("bad {field}: {value}")]
    BadField { field: &'static str, value: String },
    /// A decision about members that names none.
    #[error("no member chosen")]
    NothingChosen,
    /// An admission without the base committee's decision number.
    #[error("no decision number")]
    NoDecision,
    /// A day or an age refused by the date rules, or a bad setting of them.
    #[error("{0}")]
    Date(crate::DateRuleError),
}

impl MemberError {
    /// The refusal as a reader may be told it: a CCCD's holder is named
    /// only as far as `view(path of the holder's unit)` allows (see
    /// [`crate::access::HolderView`]); other refusals are unchanged.
    pub fn seen_as(self, view: impl FnOnce(&str) -> crate::access::HolderView) -> MemberError {
        use crate::access::HolderView;
        match self {
            MemberError::DuplicateCccd {
                cccd,
                unit,
                place,
                id,
                name,
            } => match view(&place.path) {
                HolderView::Named => MemberError::DuplicateCccd {
                    cccd,
                    id,
                    name,
                    unit,
                    place,
                },
                HolderView::Unit => MemberError::CccdTaken {
                    cccd,
                    unit: Some(unit),
                    province: place.province,
                },
                HolderView::Province => MemberError::CccdTaken {
                    cccd,
                    unit: None,
                    province: place.province,
                },
            },
            other => other,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use MemberError::*;
        match self {
            DuplicateCccd {
                cccd, id, name, unit, ..
            } => t(
                lang,
                "member.duplicate_cccd",
                &[("cccd", cccd), ("id", id), ("name", name), ("unit", unit)],
            ),
            CccdTaken {
                cccd,
                unit: Some(unit),
                province,
            } => t(
                lang,
                "member.cccd_taken_in_unit",
                &[("cccd", cccd), ("unit", unit), ("province", province)],
            ),
            CccdTaken {
                cccd,
                unit: None,
                province,
            } => t(lang, "member.cccd_taken", &[("cccd", cccd), ("province", province)]),
            NotABranch { code } => t(lang, "member.not_a_branch", &[("code", code)]),
            UnknownMember { id } => t(lang, "member.unknown", &[("id", id)]),
            WrongStatus { id, status } => {
                let status = t(lang, &format!("member.status.{status}"), &[]);
                t(lang, "member.wrong_status", &[("id", id), ("status", &status)])
            }
            CccdMismatch { cccd, id_year, id_sex } => {
                let sex = t(lang, &format!("sex.{id_sex}"), &[]);
                t(
                    lang,
                    "member.cccd_mismatch",
                    &[("cccd", cccd), ("year", id_year), ("sex", &sex)],
                )
            }
            BadName { name } => t(lang, "member.bad_name", &[("name", name)]),
            NoOpenDuplicate { member, other } => t(
                lang,
                "member.no_open_duplicate",
                &[("member", member), ("other", other)],
            ),
            UnknownHousehold { id } => t(lang, "member.unknown_household", &[("id", id)]),
            InHousehold { id, household } => t(lang, "member.in_household", &[("id", id), ("household", household)]),
            SecondHead { household } => t(lang, "member.second_head", &[("household", household)]),
            UnknownEntry { id, entry } => t(lang, "profile.unknown_entry", &[("id", id), ("entry", entry)]),
            UnknownMapping { unit, name } => t(lang, "map.unknown", &[("unit", unit), ("name", name)]),
            Field(e) => e.message(lang),
            NothingChosen => t(lang, "member.nothing_chosen", &[]),
            BadField { field, value } => {
                let field = t(lang, &format!("field.{field}"), &[]);
                t(lang, "member.bad_field", &[("field", &field), ("value", value)])
            }
            NoDecision => t(lang, "member.no_decision", &[]),
            Date(e) => e.message(lang),
            UnitGone { id } => t(lang, "member.unit_gone", &[("id", id)]),
            BeforeLastEvent { id, date, last } => t(
                lang,
                "member.before_last_event",
                &[("id", id), ("date", date), ("last", last)],
            ),
        }
    }
}

/// Refusals about accounts and access; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Unknown login, wrong password, or too many recent failures: the
    /// message does not say which.
    #[error("wrong login or password")]
    BadCredentials,
    #[error("login {login} is taken")]
    LoginTaken { login: String },
    #[error("bad login {login}")]
    BadLogin { login: String },
    #[error("no user {login}")]
    UnknownUser { login: String },
    #[error("password too weak")]
    WeakPassword,
    #[error("unknown role {role}")]
    UnknownRole { role: String },
    #[error("not allowed")]
    Forbidden,
}

impl AccountError {
    pub fn message(&self, lang: Lang) -> String {
        use AccountError::*;
        match self {
            BadCredentials => t(lang, "account.bad_credentials", &[]),
            LoginTaken { login } => t(lang, "account.login_taken", &[("login", login)]),
            BadLogin { login } => t(lang, "account.bad_login", &[("login", login)]),
            UnknownUser { login } => t(lang, "account.unknown_user", &[("login", login)]),
            WeakPassword => t(lang, "account.weak_password", &[]),
            UnknownRole { role } => t(lang, "account.unknown_role", &[("role", role)]),
            Forbidden => t(lang, "account.forbidden", &[]),
        }
    }
}

/// Refusals about plans, targets and tasks; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no indicator {code}")]
    UnknownIndicator { code: String },
    #[error("a percentage above 100: {value}")]
    PercentAbove100 { indicator: String, value: String },
    #[error("negative target")]
    Negative { indicator: String, value: String },
    #[error("bad comparator {text}")]
    BadComparator { text: String },
    #[error("bad deadline {text}")]
    BadDeadline { text: String },
    /// A reporting period that is not one (`2025`, `2025-Q1`, `2025-H1`…).
    #[error("bad period {text}")]
    BadPeriod { text: String },
    #[error("no plan {number}")]
    UnknownPlan { number: String },
    #[error("plan number {number} is taken")]
    NumberTaken { number: String },
    #[error("{unit} is outside the plan's unit {plan_unit}")]
    OutsidePlan { unit: String, plan_unit: String },
    #[error("{indicator} does not apply at {unit}")]
    NotApplicable { indicator: String, unit: String },
    #[error("no target of {indicator} for {unit}")]
    NoTarget { indicator: String, unit: String },
    #[error("nothing to split among")]
    NoChildren { unit: String },
    #[error("no task {id}")]
    UnknownTask { id: i64 },
    #[error("bad task status {text}")]
    BadStatus { text: String },
    #[error("an empty note")]
    EmptyNote,
    #[error("file {name} is too large")]
    FileTooLarge { name: String, max_mb: u32 },
    #[error("no body {name}")]
    UnknownBody { name: String },
    #[error("a task needs its text")]
    EmptyTaskTitle,
    #[error("a task needs a lead body")]
    NoLeadBody,
    #[error("{unit} is not below {task_unit}")]
    NotBelowTask { unit: String, task_unit: String },
    #[error("task {id} is a copy given to a unit below")]
    TaskIsCopy { id: i64 },
    #[error("task {id} has copies below")]
    TaskHasCopies { id: i64 },
    #[error("{indicator} is counted, not entered")]
    NotEntered { indicator: String },
    #[error("{value} is not a number")]
    NotANumber { indicator: String, value: String },
    #[error("no unit chosen")]
    NoUnitChosen,
    #[error("{indicator} above {denominator}")]
    AboveDenominator {
        indicator: String,
        value: String,
        denominator: String,
        of: String,
    },
    #[error("{indicator} far from the period before")]
    FarFromLast {
        indicator: String,
        value: String,
        period: String,
        last: String,
    },
    #[error("the figures of {unit} for {period} are locked")]
    PeriodLocked { unit: String, period: String },
    #[error("bad indicator code {code}")]
    BadIndicatorCode { code: String },
    #[error("indicator {code} exists")]
    IndicatorExists { code: String },
    #[error("bad measure {text}")]
    BadMeasure { text: String },
    #[error("an indicator needs a name")]
    IndicatorName,
    #[error("plan {number} is not a draft")]
    NotDraft { number: String },
    #[error("plan {number} is not issued")]
    NotIssued { number: String },
    #[error("bad plan kind {text}")]
    BadKind { text: String },
    #[error("plan {number} is not of a level above {unit}")]
    NotAbove { number: String, unit: String },
    /// A target read from a document, kept by its reviewer without an
    /// indicator of the catalogue.
    #[error("no indicator for {text}")]
    NoIndicator { text: String },
    /// A task of a reviewed reading refused, with the task's title.
    #[error("task {title}: {why}")]
    InTask { title: String, why: Box<PlanError> },
}

impl PlanError {
    pub fn message(&self, lang: Lang) -> String {
        use PlanError::*;
        match self {
            UnknownIndicator { code } => t(lang, "plan.unknown_indicator", &[("code", code)]),
            PercentAbove100 { indicator, value } => t(
                lang,
                "plan.percent_above_100",
                &[("indicator", indicator), ("value", value)],
            ),
            Negative { indicator, value } => t(lang, "plan.negative", &[("indicator", indicator), ("value", value)]),
            BadComparator { text } => t(lang, "plan.bad_comparator", &[("text", text)]),
            BadDeadline { text } => t(lang, "plan.bad_deadline", &[("text", text)]),
            BadPeriod { text } => t(lang, "plan.bad_period", &[("text", text)]),
            UnknownPlan { number } => t(lang, "plan.unknown", &[("number", number)]),
            NumberTaken { number } => t(lang, "plan.number_taken", &[("number", number)]),
            OutsidePlan { unit, plan_unit } => t(lang, "plan.outside", &[("unit", unit), ("plan_unit", plan_unit)]),
            NotApplicable { indicator, unit } => {
                t(lang, "plan.not_applicable", &[("indicator", indicator), ("unit", unit)])
            }
            NoTarget { indicator, unit } => t(lang, "plan.no_target", &[("indicator", indicator), ("unit", unit)]),
            NoChildren { unit } => t(lang, "plan.no_children", &[("unit", unit)]),
            UnknownTask { id } => t(lang, "task.unknown", &[("id", &id.to_string())]),
            BadStatus { text } => t(lang, "task.bad_status", &[("text", text)]),
            EmptyNote => t(lang, "task.empty_note", &[]),
            FileTooLarge { name, max_mb } => t(
                lang,
                "task.file_too_large",
                &[("name", name), ("max", &max_mb.to_string())],
            ),
            UnknownBody { name } => t(lang, "task.unknown_body", &[("name", name)]),
            EmptyTaskTitle => t(lang, "task.empty_title", &[]),
            NoLeadBody => t(lang, "task.no_lead", &[]),
            NotBelowTask { unit, task_unit } => t(lang, "task.not_below", &[("unit", unit), ("task_unit", task_unit)]),
            TaskIsCopy { id } => t(lang, "task.is_copy", &[("id", &id.to_string())]),
            TaskHasCopies { id } => t(lang, "task.has_copies", &[("id", &id.to_string())]),
            NotEntered { indicator } => t(lang, "figure.not_entered", &[("indicator", indicator)]),
            NotANumber { indicator, value } => t(
                lang,
                "figure.not_a_number",
                &[("indicator", indicator), ("value", value)],
            ),
            NoUnitChosen => t(lang, "task.no_unit", &[]),
            AboveDenominator {
                indicator,
                value,
                denominator,
                of,
            } => t(
                lang,
                "figure.above_denominator",
                &[
                    ("indicator", indicator),
                    ("value", value),
                    ("denominator", denominator),
                    ("of", of),
                ],
            ),
            FarFromLast {
                indicator,
                value,
                period,
                last,
            } => t(
                lang,
                "figure.far_from_last",
                &[
                    ("indicator", indicator),
                    ("value", value),
                    ("period", period),
                    ("last", last),
                ],
            ),
            PeriodLocked { unit, period } => t(lang, "figure.locked", &[("unit", unit), ("period", period)]),
            BadIndicatorCode { code } => t(lang, "plan.bad_indicator_code", &[("code", code)]),
            IndicatorExists { code } => t(lang, "plan.indicator_exists", &[("code", code)]),
            BadMeasure { text } => t(lang, "plan.bad_measure", &[("text", text)]),
            IndicatorName => t(lang, "plan.indicator_name", &[]),
            NotDraft { number } => t(lang, "plan.not_draft", &[("number", number)]),
            NotIssued { number } => t(lang, "plan.not_issued", &[("number", number)]),
            BadKind { text } => t(lang, "plan.bad_kind", &[("text", text)]),
            NotAbove { number, unit } => t(lang, "plan.not_above", &[("number", number), ("unit", unit)]),
            NoIndicator { text } => t(lang, "plan.no_indicator", &[("text", text)]),
            InTask { title, why } => t(lang, "plan.in_task", &[("title", title), ("why", &why.message(lang))]),
        }
    }
}

impl From<BadDay> for OrgError {
    fn from(BadDay(value): BadDay) -> OrgError {
        OrgError::BadDate { value }
    }
}

impl From<BadUnitText> for OrgError {
    fn from(bad: BadUnitText) -> OrgError {
        match bad {
            BadUnitText::Code(code) => OrgError::BadCode { code },
            BadUnitText::Name(name) => OrgError::BadName { name },
        }
    }
}

impl BadDay {
    /// Why, in `lang` (as the domain's error says it).
    pub fn message(&self, lang: Lang) -> String {
        OrgError::from(self.clone()).message(lang)
    }
}

impl BadUnitText {
    /// Why, in `lang` (as the domain's error says it).
    pub fn message(&self, lang: Lang) -> String {
        OrgError::from(self.clone()).message(lang)
    }
}
