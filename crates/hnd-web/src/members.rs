//! The member register in the browser: home, list and search, a member's
//! page and history, the add form, transfer (send and confirm), removal,
//! and the audit pages.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, forbidden, render, store_problem, urlencode};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::AppError;
use hnd_domain::access::{PERSONAL_FILTERS, shown};
use hnd_domain::person::ETHNIC_GROUPS;
use hnd_domain::{Action, BirthDate, Cccd, Day, Ethnicity, Lang, MemberError, Phone, Principal, Sex, UnitCode, i18n};
use hnd_store::{AuditEntry, AuditFilter, Member, MemberQuery, NewMember, Store, StoreError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Rows per page of a member list.
pub const PAGE: i64 = 50;

/// The unit a user's pages start from for `action`, or a refusal.
fn home_unit(viewer: &Viewer, action: Action) -> Result<String, Response> {
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
async fn allow_unit(store: &Store, viewer: &Viewer, action: Action, code: &str) -> Result<(i64, String), Response> {
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
async fn allow_member(
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

// ---------------------------------------------------------------- home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    t: Tr,
    nav: Option<Nav>,
    name: String,
    grants: Vec<(String, String, String)>,
    incoming: usize,
    duplicates: usize,
    can_add: bool,
}

pub async fn home(State(state): State<AppState>, viewer: Viewer) -> Response {
    // An account acting for an outside body has its tasks and nothing else.
    if viewer.user.is_outside_body() {
        return Redirect::to("/tasks").into_response();
    }
    let grants = viewer
        .user
        .grants()
        .iter()
        .map(|g| (g.role.label(viewer.lang), g.unit_code.clone(), g.unit_name.clone()))
        .collect();
    // A failure to read is told as such, never shown as "nothing waiting".
    let (mut incoming, mut duplicates) = (0, 0);
    if let Some(g) = viewer.user.home(Action::EditMembers) {
        let store = &state.store;
        match tokio::try_join!(
            store.incoming_transfers(&g.unit_code, 100),
            store.open_duplicates(&g.unit_code, 100)
        ) {
            Ok((transfers, open)) => (incoming, duplicates) = (transfers.len(), open.len()),
            Err(e) => return store_problem(&viewer, e),
        }
    }
    let page = HomePage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, "/")),
        name: viewer.user.full_name.clone(),
        grants,
        incoming,
        duplicates,
        can_add: viewer.user.may_somewhere(Action::EditMembers),
    };
    render(page, StatusCode::OK, viewer.lang)
}

// ---------------------------------------------------------------- list

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub ethnicity: String,
    /// "18-30", "31-45", "46-60", "61-".
    #[serde(default)]
    pub age: String,
    /// "yes" or "no": has health insurance (BHYT).
    #[serde(default)]
    pub bhyt: String,
    /// "yes" or "no": has voluntary social insurance (BHXH).
    #[serde(default)]
    pub bhxh: String,
    #[serde(default)]
    pub page: Option<i64>,
}

impl ListParams {
    /// The store's query for these parameters, on `scope`; `personal`:
    /// the reader may search personal data there
    /// (`Principal::may_search_personal`), else the text is not matched
    /// against CCCD and phone and the personal filters are left out.
    pub fn query(&self, scope: String, limit: i64, personal: bool) -> MemberQuery {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let (min_age, max_age) = match self.age.split_once('-') {
            Some((lo, hi)) => (lo.trim().parse().ok(), hi.trim().parse().ok()),
            None => (None, None),
        };
        MemberQuery {
            scope,
            text: some(&self.q),
            sex: some(&self.sex).filter(|s| s == "male" || s == "female"),
            status: some(&self.status),
            ethnicity: some(&self.ethnicity),
            min_age,
            max_age,
            bhyt: hnd_domain::profile::parse_yes_no(&self.bhyt).flatten(),
            bhxh: hnd_domain::profile::parse_yes_no(&self.bhxh).flatten(),
            masked: !personal,
            offset: (self.page.unwrap_or(1).max(1) - 1).saturating_mul(limit),
            limit,
        }
    }

    /// The query string of these parameters on another page.
    fn on_page(&self, page: i64) -> String {
        format!(
            "?q={}&unit={}&sex={}&status={}&ethnicity={}&age={}&bhyt={}&bhxh={}&page={page}",
            urlencode(&self.q),
            urlencode(&self.unit),
            urlencode(&self.sex),
            urlencode(&self.status),
            urlencode(&self.ethnicity),
            urlencode(&self.age),
            urlencode(&self.bhyt),
            urlencode(&self.bhxh)
        )
    }

    /// The filters on personal data these parameters ask for, by name
    /// (among `access::PERSONAL_FILTERS`): only who may search personal
    /// data may use them.
    pub fn personal_filters(&self) -> Vec<&'static str> {
        [
            ("ethnicity", &self.ethnicity),
            ("bhyt", &self.bhyt),
            ("bhxh", &self.bhxh),
        ]
        .into_iter()
        .filter(|(name, value)| PERSONAL_FILTERS.contains(name) && !value.trim().is_empty())
        .map(|(name, _)| name)
        .collect()
    }

    /// Whether the search text is a number only (a CCCD, a phone or a
    /// card number).
    pub fn searches_number(&self) -> bool {
        let text: String = self.q.chars().filter(|c| !c.is_whitespace()).collect();
        !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
    }
}

#[derive(Template)]
#[template(path = "members.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    p: ListParams,
    unit: String,
    unit_name: String,
    rows: Vec<MemberView>,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
    export: Option<String>,
    can_add: bool,
    ethnic_groups: &'static [(&'static str, &'static str)],
    statuses: Vec<(&'static str, String)>,
    /// Whether the filters on personal data (ethnicity, insurance) are
    /// offered.
    reveal: bool,
    /// What the list left out of the search, and why.
    notices: Vec<String>,
}

impl ListPage {
    /// The insurance filter `name` ("bhyt" or "bhxh") as asked.
    fn insurance(&self, name: &str) -> &str {
        if name == "bhyt" { &self.p.bhyt } else { &self.p.bhxh }
    }
}

const STATUSES: [&str; 6] = ["applicant", "active", "on_leave", "in_transfer", "removed", "dead"];

pub async fn list(State(state): State<AppState>, viewer: Viewer, Query(p): Query<ListParams>) -> Response {
    let (unit, _, path) = match scope(&state.store, &viewer, Action::ViewMembers, &p.unit).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let unit_name = match state.store.unit(&unit, Day::today()).await {
        Ok(u) => u.unit.name,
        Err(e) => return store_problem(&viewer, e),
    };
    let reveal = viewer.user.may_search_personal(&path);
    // Filters on personal data written into the address by who may not
    // use them are ignored, and the page says so.
    let mut notices = Vec::new();
    if !reveal {
        for name in p.personal_filters() {
            let field = viewer.t(&format!("web.personal_filter.{name}"));
            notices.push(i18n::t(
                viewer.lang,
                "web.personal_filter_ignored",
                &[("field", &field)],
            ));
        }
        if p.searches_number() {
            notices.push(viewer.t("web.personal_number_search"));
        }
    }
    let (found, more) = match state.store.find_members(&p.query(unit.clone(), PAGE, reveal)).await {
        Ok(x) => x,
        Err(e) => return store_problem(&viewer, e),
    };
    let page = p.page.unwrap_or(1).max(1);
    let here = format!("/members{}", p.on_page(page));
    let page = ListPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, &here)),
        rows: found.iter().map(|m| MemberView::of(m, reveal, viewer.lang)).collect(),
        prev: (page > 1).then(|| p.on_page(page - 1)),
        next: more.then(|| p.on_page(page + 1)),
        export: viewer
            .user
            .may(Action::Export, &path)
            .then(|| p.on_page(1).replacen("?", "&", 1)),
        can_add: viewer.user.may(Action::EditMembers, &path),
        page,
        unit_name,
        unit,
        p,
        ethnic_groups: &ETHNIC_GROUPS,
        statuses: STATUSES.map(|s| (s, viewer.t(&format!("member.status.{s}")))).to_vec(),
        reveal,
        notices,
    };
    render(page, StatusCode::OK, viewer.lang)
}

// ---------------------------------------------------------------- add

/// The add form as typed: kept whole when it comes back with errors.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub birth: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub religion: String,
    #[serde(default)]
    pub cccd: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub unit: String,
    /// dd/mm/yyyy; today when empty.
    #[serde(default)]
    pub date: String,
    /// "on" when the user accepts a CCCD that disagrees with birth year or sex.
    #[serde(default)]
    pub accept_warnings: Option<String>,
}

/// Field → message, in form order.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// The person a form describes, or what is wrong with each field.
pub fn parse_member(form: &MemberForm, lang: Lang) -> Result<(NewMember, Day), FieldErrors> {
    let mut errors = FieldErrors::new();
    let t = |key: &str| i18n::t(lang, key, &[]);
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let name = form.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.insert("full_name", t("import.empty"));
    } else if name.chars().count() > 100 {
        errors.insert("full_name", MemberError::BadName { name: name.clone() }.message(lang));
    }
    let birth = match opt(&form.birth) {
        None => {
            errors.insert("birth", t("import.empty"));
            None
        }
        Some(b) => {
            let parsed = BirthDate::parse(&b);
            if parsed.is_none() {
                errors.insert("birth", t("web.bad_birth"));
            }
            parsed
        }
    };
    let sex = Sex::parse(&form.sex);
    if sex.is_none() {
        errors.insert("sex", t("import.bad_sex"));
    }
    let ethnicity = opt(&form.ethnicity).map(|e| Ethnicity::parse(&e));
    if matches!(ethnicity, Some(None)) {
        errors.insert("ethnicity", t("import.bad_ethnicity"));
    }
    let cccd = opt(&form.cccd).map(|c| Cccd::parse(&c));
    if let Some(Err(e)) = &cccd {
        let message = match e {
            hnd_domain::person::CccdError::Length(n) => i18n::t(lang, "web.cccd_length", &[("count", n)]),
            hnd_domain::person::CccdError::NotDigits => t("import.bad_cccd"),
        };
        errors.insert("cccd", message);
    }
    let phone = opt(&form.phone).map(|p| Phone::parse(&p));
    if matches!(phone, Some(Err(_))) {
        errors.insert("phone", t("import.bad_phone"));
    }
    let unit = UnitCode::parse(form.unit.trim());
    if unit.is_err() {
        errors.insert("unit", t("import.bad_code"));
    }
    let date = match opt(&form.date) {
        None => Some(Day::today()),
        Some(d) => Day::parse(&d).ok(),
    };
    if date.is_none() {
        errors.insert("date", t("import.bad_date"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let member = NewMember {
        full_name: name,
        birth: birth.expect("checked"),
        sex: sex.expect("checked"),
        ethnicity: ethnicity.flatten(),
        religion: opt(&form.religion),
        cccd: cccd.and_then(Result::ok),
        phone: phone.and_then(Result::ok),
        village: opt(&form.village),
        unit: unit.expect("checked"),
    };
    Ok((member, date.expect("checked")))
}

#[derive(Template)]
#[template(path = "member_form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    f: MemberForm,
    errors: FieldErrors,
    /// A refusal of the whole form (a CCCD already in the register, ...).
    problem: Option<String>,
    /// A CCCD that disagrees with the record: shown with a box to accept it.
    warning: Option<String>,
    ethnic_groups: &'static [(&'static str, &'static str)],
}

impl FormPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }

    /// The text fields: name, label key, value as typed, input kind.
    fn fields(&self) -> Vec<(&'static str, &'static str, String, &'static str)> {
        let f = &self.f;
        vec![
            ("full_name", "web.full_name", f.full_name.clone(), "text"),
            ("birth", "field.birth", f.birth.clone(), "text"),
            ("cccd", "field.cccd", f.cccd.clone(), "numeric"),
            ("phone", "field.phone", f.phone.clone(), "tel"),
            ("village", "web.village", f.village.clone(), "text"),
            ("religion", "web.religion", f.religion.clone(), "text"),
            ("unit", "web.unit_code", f.unit.clone(), "text"),
            ("date", "web.application_date", f.date.clone(), "text"),
        ]
    }
}

fn form_page(
    viewer: &Viewer,
    f: MemberForm,
    errors: FieldErrors,
    problem: Option<String>,
    warning: Option<String>,
) -> FormPage {
    FormPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, "/members/new")),
        csrf: viewer.csrf.clone(),
        f,
        errors,
        problem,
        warning,
        ethnic_groups: &ETHNIC_GROUPS,
    }
}

#[derive(Deserialize)]
pub struct UnitParam {
    #[serde(default)]
    unit: String,
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer, Query(q): Query<UnitParam>) -> Response {
    if !viewer.user.may_somewhere(Action::EditMembers) {
        return forbidden(&viewer);
    }
    if !q.unit.trim().is_empty()
        && let Err(r) = allow_unit(&state.store, &viewer, Action::EditMembers, q.unit.trim()).await
    {
        return r;
    }
    let form = MemberForm {
        unit: q.unit,
        date: Day::today().to_string(),
        ..Default::default()
    };
    render(
        form_page(&viewer, form, FieldErrors::new(), None, None),
        StatusCode::OK,
        viewer.lang,
    )
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, Form(form): Form<MemberForm>) -> Response {
    if let Err(r) = viewer.check_csrf(&form.csrf) {
        return r;
    }
    let lang = viewer.lang;
    let (member, date) = match parse_member(&form, lang) {
        Ok(x) => x,
        Err(errors) => {
            return render(
                form_page(&viewer, form, errors, None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
            );
        }
    };
    let accept = form.accept_warnings.is_some();
    match state.app.add_member(&viewer.actor(), &member, date, accept).await {
        Ok(added) => {
            let dups = if added.likely_duplicates.is_empty() {
                ""
            } else {
                "?duplicates=1"
            };
            Redirect::to(&format!("/members/{}{dups}", added.id)).into_response()
        }
        Err(AppError::Store(StoreError::Member(e @ MemberError::CccdMismatch { .. }))) => {
            let mut errors = FieldErrors::new();
            errors.insert("cccd", e.message(lang));
            let warning = Some(viewer.t("web.accept_warning"));
            render(
                form_page(&viewer, form, errors, None, warning),
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
            )
        }
        Err(AppError::Store(StoreError::Member(
            e @ (MemberError::DuplicateCccd { .. } | MemberError::CccdTaken { .. }),
        ))) => {
            // The operation names the holder only to who may see them.
            let mut errors = FieldErrors::new();
            errors.insert("cccd", e.message(lang));
            render(form_page(&viewer, form, errors, None, None), StatusCode::CONFLICT, lang)
        }
        Err(AppError::Store(e @ (StoreError::Member(_) | StoreError::Org(_)))) => {
            let mut errors = FieldErrors::new();
            errors.insert("unit", e.message(lang));
            render(
                form_page(&viewer, form, errors, None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
            )
        }
        Err(e) => crate::shell::app_problem(&viewer, e),
    }
}

// ---------------------------------------------------------------- one member

#[derive(Template)]
#[template(path = "member.html")]
struct MemberPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    m: MemberView,
    unit_name: String,
    history: Vec<(String, String, String, String, String, String)>,
    can_edit: bool,
    can_confirm: bool,
    can_audit: bool,
    duplicates: bool,
    notice: Option<String>,
    today: String,
    typed: Typed,
    /// The "Hồ sơ" section.
    profile: crate::profiles::ProfileSection,
    /// The steps the member can take now (admit, leave…), by code and label.
    steps: Vec<(String, String)>,
    /// Whether the correction form may show and change CCCD and phone.
    reveal: bool,
    /// Earlier corrections: field, old value, new value, who, when.
    corrections: Vec<(String, String, String, String, String)>,
    /// The "Hộ gia đình" section.
    household: crate::households::HouseholdSection,
}

/// What was typed into the transfer or removal form of a member's page
/// that was refused, with why: the page is shown again with it.
#[derive(Default)]
pub(crate) struct Typed {
    to: String,
    transfer_date: String,
    transfer_error: Option<String>,
    reason: String,
    kind: String,
    remove_date: String,
    remove_error: Option<String>,
    /// Why a cancellation of the member's transfer was refused.
    cancel_error: Option<String>,
    /// A refused form of the profile section.
    entry: crate::profiles::EntryTyped,
    /// A refused step (admit, leave…): which, what was typed, why.
    pub step: crate::member_steps::StepTyped,
    /// A refused correction, with what was typed.
    pub correct: crate::member_steps::CorrectTyped,
    /// Why a form of the household section was refused.
    pub household: Option<String>,
}

impl Typed {
    /// The page again with a refused step.
    pub fn with_step(step: crate::member_steps::StepTyped) -> Typed {
        Typed {
            step,
            ..Typed::default()
        }
    }

    /// The page again with a refused form of the household section.
    pub fn with_household(error: String) -> Typed {
        Typed {
            household: Some(error),
            ..Typed::default()
        }
    }

    /// The page again with a refused correction.
    pub fn with_correct(correct: crate::member_steps::CorrectTyped) -> Typed {
        Typed {
            correct,
            ..Typed::default()
        }
    }
}

#[derive(Deserialize, Default)]
pub struct MemberParams {
    #[serde(default)]
    duplicates: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<MemberParams>,
) -> Response {
    member_page(&state, &viewer, id, q, Typed::default(), StatusCode::OK).await
}

async fn member_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    q: MemberParams,
    mut typed: Typed,
    status: StatusCode,
) -> Response {
    let (path, to_path) = match allow_member(&state.store, viewer, Action::ViewMembers, id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (member, events, profile) = match tokio::try_join!(
        state.store.member(id),
        state.store.member_events(id),
        state.store.member_profile(id)
    ) {
        Ok(x) => x,
        Err(e) => return store_problem(viewer, e),
    };
    let unit_name = state
        .store
        .unit(&member.unit_code, Day::today())
        .await
        .map(|u| u.unit.name)
        .unwrap_or_default();
    let lang = viewer.lang;
    let user: &Principal = &viewer.user;
    let history = events
        .into_iter()
        .map(|e| {
            (
                e.date.to_string(),
                i18n::t(lang, &format!("member.event.{}", e.kind), &[]),
                e.unit_code.unwrap_or_default(),
                e.decision.unwrap_or_default(),
                e.reason,
                e.author,
            )
        })
        .collect();
    let can_edit = user.may(Action::EditMembers, &path);
    let can_confirm =
        member.status == "in_transfer" && to_path.as_deref().is_some_and(|p| user.may(Action::EditMembers, p));
    let notice = q.done.as_deref().map(|d| {
        viewer.t(&format!(
            "web.done.{}",
            if d.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                d
            } else {
                "x"
            }
        ))
    });
    let reveal = user.may(Action::ViewSensitive, &path);
    let entry = std::mem::take(&mut typed.entry);
    let steps = hnd_app::Step::codes_for(&member.status)
        .iter()
        .map(|code| (code.to_string(), i18n::t(lang, &format!("web.step.{code}"), &[])))
        .collect();
    let corrections = match state.store.member_corrections(id).await {
        Ok(c) => crate::member_steps::correction_rows(c, reveal, lang),
        Err(e) => return store_problem(viewer, e),
    };
    let household =
        crate::households::HouseholdSection::of(&state.store, id, can_edit, typed.household.take(), lang).await;
    if typed.correct.full_name.is_none() {
        typed.correct = crate::member_steps::CorrectTyped::of(&member, reveal);
    }
    let page = MemberPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, &format!("/members/{id}"))),
        csrf: viewer.csrf.clone(),
        m: MemberView::of(&member, reveal, lang),
        profile: crate::profiles::ProfileSection::of(profile, reveal, can_edit, entry, lang),
        unit_name,
        history,
        can_edit,
        can_confirm,
        can_audit: user.may(Action::ViewAudit, &path),
        duplicates: q.duplicates.is_some(),
        notice,
        today: Day::today().to_string(),
        typed,
        steps,
        reveal,
        corrections,
        household,
    };
    render(page, status, lang)
}

/// The member's page again, with a refused form of its profile section.
pub async fn page_with_profile_form(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    entry: crate::profiles::EntryTyped,
) -> Response {
    let typed = Typed {
        entry,
        ..Typed::default()
    };
    refused(state, viewer, id, typed).await
}

/// The member's page again, with the refused form's values and why.
pub(crate) async fn refused(state: &AppState, viewer: &Viewer, id: i64, typed: Typed) -> Response {
    member_page(
        state,
        viewer,
        id,
        MemberParams::default(),
        typed,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A store error on a member's form: a rule refused is told beside the
/// form; anything else is an error page.
/// A refusal told beside the form (the typed values kept), or, for a
/// failure of the server or a request outside the user's tree, a page.
fn form_refusal(viewer: &Viewer, e: impl Into<hnd_app::AppError>) -> Result<String, Response> {
    let e = e.into();
    match e.kind() {
        hnd_app::ErrorKind::Internal | hnd_app::ErrorKind::Forbidden => Err(crate::shell::app_problem(viewer, e)),
        _ => Ok(e.message(viewer.lang)),
    }
}

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: String,
}

/// A form's day (today when empty), or the page that refuses it.
fn form_day(viewer: &Viewer, text: &str) -> Result<Day, Response> {
    Day::parse_or_today(text).map_err(|e| {
        crate::shell::problem(
            Some(viewer),
            viewer.lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            e.message(viewer.lang),
        )
    })
}

pub async fn transfer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<TransferForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let typed = |error: String| Typed {
        to: f.to.clone(),
        transfer_date: f.date.clone(),
        transfer_error: Some(error),
        ..Typed::default()
    };
    let done = match Day::parse_or_today(&f.date) {
        Ok(date) => state.app.send_transfer(&viewer.actor(), id, &f.to, date).await,
        Err(e) => Err(hnd_app::AppError::field("date", e)),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/members/{id}?done=transfer")).into_response(),
        Err(e) => match form_refusal(&viewer, e) {
            Ok(message) => refused(&state, &viewer, id, typed(message)).await,
            Err(r) => r,
        },
    }
}

#[derive(Deserialize)]
pub struct DateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
}

pub async fn confirm_transfer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<DateForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let date = match form_day(&viewer, &f.date) {
        Ok(d) => d,
        Err(r) => return r,
    };
    match state.app.confirm_transfer(&viewer.actor(), id, date).await {
        Ok(()) => Redirect::to(&format!("/members/{id}?done=confirm_transfer")).into_response(),
        Err(e) => crate::shell::app_problem(&viewer, e),
    }
}

#[derive(Deserialize)]
pub struct CancelTransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    /// The confirmation box.
    #[serde(default)]
    confirm: Option<String>,
}

/// The sending unit cancels a transfer it sent (the member stays): who may
/// edit the member where they are, after ticking the confirmation box.
pub async fn cancel_transfer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CancelTransferForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let typed = |error: String| Typed {
        cancel_error: Some(error),
        ..Typed::default()
    };
    let date = match Day::parse_or_today(&f.date) {
        Ok(d) => d,
        Err(e) => return refused(&state, &viewer, id, typed(e.message(viewer.lang))).await,
    };
    if f.confirm.is_none() {
        return refused(
            &state,
            &viewer,
            id,
            typed(viewer.t("web.cancel_transfer_needs_confirmation")),
        )
        .await;
    }
    if let Err(e) = state.app.cancel_transfer(&viewer.actor(), id, date).await {
        return match form_refusal(&viewer, e) {
            Ok(message) => refused(&state, &viewer, id, typed(message)).await,
            Err(r) => r,
        };
    }
    Redirect::to(&format!("/members/{id}?done=cancel_transfer")).into_response()
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    reason: String,
    /// "removed" or "dead".
    #[serde(default)]
    kind: String,
    /// The confirmation box.
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<RemoveForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let typed = |error: String| Typed {
        reason: f.reason.clone(),
        kind: f.kind.clone(),
        remove_date: f.date.clone(),
        remove_error: Some(error),
        ..Typed::default()
    };
    let date = match Day::parse_or_today(&f.date) {
        Ok(d) => d,
        Err(e) => return refused(&state, &viewer, id, typed(e.message(viewer.lang))).await,
    };
    if f.confirm.is_none() || f.reason.trim().is_empty() {
        return refused(&state, &viewer, id, typed(viewer.t("web.remove_needs_confirmation"))).await;
    }
    let kind = if f.kind == "dead" {
        hnd_app::EndKind::Death
    } else {
        hnd_app::EndKind::Removed
    };
    match state
        .app
        .end_membership(&viewer.actor(), id, date, kind, &f.reason)
        .await
    {
        Ok(()) => Redirect::to(&format!("/members/{id}?done=remove")).into_response(),
        Err(e) => match form_refusal(&viewer, e) {
            Ok(message) => refused(&state, &viewer, id, typed(message)).await,
            Err(r) => r,
        },
    }
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct TransfersPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<MemberView>,
}

pub async fn incoming_transfers(State(state): State<AppState>, viewer: Viewer) -> Response {
    let unit = match home_unit(&viewer, Action::EditMembers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let found = match state.store.incoming_transfers(&unit, 500).await {
        Ok(f) => f,
        Err(e) => return store_problem(&viewer, e),
    };
    let page = TransfersPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, "/transfers")),
        rows: found.iter().map(|m| MemberView::of(m, false, viewer.lang)).collect(),
    };
    render(page, StatusCode::OK, viewer.lang)
}

// ---------------------------------------------------------------- audit

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    nav: Option<Nav>,
    title: String,
    entries: Vec<AuditRow>,
    f: AuditParams,
    show_filters: bool,
}

struct AuditRow {
    at: String,
    actor: String,
    address: String,
    action: String,
    unit: String,
    member: String,
    detail: String,
}

fn audit_rows(entries: Vec<AuditEntry>, lang: Lang) -> Vec<AuditRow> {
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    entries
        .into_iter()
        .map(|e| AuditRow {
            at: chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|d| d.with_timezone(&vn).format("%d/%m/%Y %H:%M:%S").to_string())
                .unwrap_or(e.at),
            actor: e.actor,
            address: e.address,
            action: crate::audit_text::action(&e.action, lang),
            unit: e.unit_code.unwrap_or_default(),
            member: e.member_id.map(|m| m.to_string()).unwrap_or_default(),
            detail: crate::audit_text::detail(&e.detail, lang),
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct AuditParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    actor: String,
    /// dd/mm/yyyy, inclusive.
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn member_audit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    if let Err(r) = allow_member(&state.store, &viewer, Action::ViewAudit, id).await {
        return r;
    }
    let filter = AuditFilter {
        member_id: Some(id),
        limit: 500,
        ..Default::default()
    };
    let entries = match state.store.audit_entries(&filter).await {
        Ok(e) => e,
        Err(e) => return store_problem(&viewer, e),
    };
    let page = AuditPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, &format!("/members/{id}/audit"))),
        title: i18n::t(viewer.lang, "web.member_audit", &[("id", &id)]),
        entries: audit_rows(entries, viewer.lang),
        f: AuditParams::default(),
        show_filters: false,
    };
    render(page, StatusCode::OK, viewer.lang)
}

pub async fn audit_page(State(state): State<AppState>, viewer: Viewer, Query(f): Query<AuditParams>) -> Response {
    let (unit, _, path) = match scope(&state.store, &viewer, Action::ViewAudit, &f.unit).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let day = |s: &str| -> Result<Option<String>, Response> {
        match s.trim() {
            "" => Ok(None),
            t => form_day(&viewer, t).map(|d| Some(d.iso())),
        }
    };
    let (from, to) = match (day(&f.from), day(&f.to)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    // The root's log holds every entry not tied to a unit (sign-ins, ...):
    // only who may see the whole tree's log reads it unfiltered; everyone
    // else reads the entries of the units of the subtree asked for.
    let whole_tree = path.matches('/').count() == 2;
    let filter = AuditFilter {
        subtree: (!whole_tree).then_some(path),
        actor: Some(f.actor.trim().to_string()).filter(|a| !a.is_empty()),
        from,
        to,
        limit: 500,
        ..Default::default()
    };
    let entries = match state.store.audit_entries(&filter).await {
        Ok(e) => e,
        Err(e) => return store_problem(&viewer, e),
    };
    let page = AuditPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(&viewer, "/audit")),
        title: viewer.t("web.audit"),
        entries: audit_rows(entries, viewer.lang),
        f: AuditParams { unit, ..f },
        show_filters: true,
    };
    render(page, StatusCode::OK, viewer.lang)
}
