//! The home page and the member list: search by name or number, filters
//! (personal ones only for who may see them), a page at a time.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, render, store_problem, urlencode};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::access::PERSONAL_FILTERS;
use hnd_domain::fmt::int;
use hnd_domain::person::ETHNIC_GROUPS;
use hnd_domain::{Action, Day, i18n};
use hnd_store::MemberQuery;
use serde::Deserialize;

use super::view::{MemberView, PAGE, scope};

// ---------------------------------------------------------------- home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    t: Tr,
    nav: Option<Nav>,
    name: String,
    grants: Vec<(String, String, String)>,
    /// The day's work, each with the list behind it: (label, figure,
    /// link, whether it is due).
    work: Vec<(String, String, String, bool)>,
    /// Headline figures of the user's unit, each with its page.
    figures: Vec<(String, String, String)>,
    can_add: bool,
}

/// How far the home page counts what waits: past it, "100+".
const WAITING_CAP: usize = 100;

fn waiting(n: usize, lang: hnd_domain::Lang) -> String {
    if n >= WAITING_CAP {
        format!("{}+", int(WAITING_CAP as i64, lang))
    } else {
        int(n as i64, lang)
    }
}

pub async fn home(State(state): State<AppState>, viewer: Viewer) -> Response {
    // An account acting for an outside body has its tasks and nothing else.
    if viewer.user.is_outside_body() {
        return Redirect::to("/tasks").into_response();
    }
    let lang = viewer.lang;
    let grants = viewer
        .user
        .grants()
        .iter()
        .map(|g| (g.role.label(lang), g.unit_code.clone(), g.unit_name.clone()))
        .collect();
    let store = &state.store;
    // A failure to read is told as such, never shown as "nothing waiting".
    let mut work = Vec::new();
    if let Some(g) = viewer.user.home(Action::EditMembers) {
        let code = g.unit_code.as_str();
        let applicants = MemberQuery {
            scope: code.to_string(),
            status: Some("applicant".into()),
            limit: WAITING_CAP as i64,
            ..MemberQuery::default()
        };
        match tokio::try_join!(
            store.find_members(&applicants),
            store.incoming_transfers(code, WAITING_CAP as i64),
            store.open_duplicates(code, WAITING_CAP as i64)
        ) {
            Ok(((found, _), transfers, open)) => {
                let q = urlencode(code);
                work.push((
                    viewer.t("web.applicants_waiting"),
                    waiting(found.len(), lang),
                    format!("/applicants?unit={q}"),
                    !found.is_empty(),
                ));
                work.push((
                    viewer.t("web.incoming_transfers"),
                    waiting(transfers.len(), lang),
                    "/transfers".into(),
                    !transfers.is_empty(),
                ));
                work.push((
                    viewer.t("web.open_duplicates"),
                    waiting(open.len(), lang),
                    format!("/duplicates?unit={q}"),
                    !open.is_empty(),
                ));
            }
            Err(e) => return store_problem(&viewer, e),
        }
    }
    match crate::tasks::visible_tasks(store, &viewer.user).await {
        Ok(tasks) => {
            let late = tasks.iter().filter(|t| t.overdue).count();
            work.push((
                viewer.t("web.late_tasks"),
                int(late as i64, lang),
                "/tasks?late=1".into(),
                late > 0,
            ));
        }
        Err(e) => return store_problem(&viewer, e),
    }
    let mut figures = Vec::new();
    if let Some(g) = viewer.user.home(Action::ViewMembers) {
        let today = Day::today();
        match store.member_counts(&g.unit_code, today).await {
            Ok(c) => {
                let q = urlencode(&g.unit_code);
                figures.push((
                    viewer.t("web.active_members"),
                    int(c.members, lang),
                    format!("/members?unit={q}&status=active"),
                ));
                figures.push((
                    viewer.t("web.women_members"),
                    int(c.women, lang),
                    format!("/members?unit={q}&sex=female&status=active"),
                ));
            }
            Err(e) => return store_problem(&viewer, e),
        }
    }
    let page = HomePage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, "/")),
        name: viewer.user.full_name.clone(),
        grants,
        work,
        figures,
        can_add: viewer.user.may_somewhere(Action::EditMembers),
    };
    render(page, StatusCode::OK, lang)
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

    /// How many filters besides the text are in use (the unit counts when
    /// it is not the user's own).
    fn active_filters(&self, unit: &str, home: Option<&str>) -> usize {
        let chosen = [
            &self.sex,
            &self.status,
            &self.ethnicity,
            &self.age,
            &self.bhyt,
            &self.bhxh,
        ];
        chosen.iter().filter(|v| !v.trim().is_empty()).count()
            + usize::from(Some(unit) != home && !self.unit.trim().is_empty())
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
    /// How many members the search found, as a sentence.
    count: String,
    /// How many filters besides the text are in use.
    active_filters: usize,
    /// The names of the units of the rows, by code.
    unit_names: std::collections::HashMap<String, String>,
}

impl ListPage {
    /// The insurance filter `name` ("bhyt" or "bhxh") as asked.
    fn insurance(&self, name: &str) -> &str {
        if name == "bhyt" { &self.p.bhyt } else { &self.p.bhxh }
    }

    /// The name of the unit `code`, or nothing if unknown.
    fn unit_name(&self, code: &str) -> &str {
        self.unit_names.get(code).map(String::as_str).unwrap_or_default()
    }

    fn filters_label(&self) -> String {
        i18n::t(self.t.0, "web.filters_active", &[("count", &self.active_filters)])
    }
}

/// What the list says of how many it found, from what it read anyway:
/// the exact number when every match is on this page or before it, else
/// "more than" the rows read so far. A count of its own would read every
/// match again (a common name in a province: tens of milliseconds on each
/// page), which the page's speed cannot afford.
fn found_count(page: i64, rows: usize, more: bool, lang: hnd_domain::Lang) -> String {
    let seen = (page.max(1) - 1) * PAGE + rows as i64;
    let key = if more { "web.results_more" } else { "web.results_count" };
    i18n::t(lang, key, &[("count", &int(seen, lang))])
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
    let count = found_count(page, found.len(), more, viewer.lang);
    let codes: Vec<&str> = found.iter().map(|m| m.unit_code.as_str()).collect();
    let unit_names = match state.store.unit_names(&codes).await {
        Ok(names) => names,
        Err(e) => return store_problem(&viewer, e),
    };
    let active_filters = p.active_filters(
        &unit,
        viewer.user.home(Action::ViewMembers).map(|g| g.unit_code.as_str()),
    );
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
        count,
        active_filters,
        unit_names,
    };
    render(page, StatusCode::OK, viewer.lang)
}
