//! The fees page (`/fees?unit=&year=`): a province's rate for the year and
//! the form that sets it; what each unit below collected and the shares
//! going up the tree; for a branch or group, its members with the year's
//! payment, and the form that records who paid. Each form calls its
//! operation ([`hnd_app::App::set_fee_rate`], [`hnd_app::App::record_fees`]).

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, app_problem, render, told, urlencode};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::AppError;
use hnd_domain::fmt::{int, percent};
use hnd_domain::{Action, Day, FeeRate, Lang, Level, i18n};
use hnd_store::{FeeReport, FeeRow};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct FeesParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    /// What was just done: `rate` or the number of members recorded.
    #[serde(default)]
    done: String,
}

/// A row of the table, as written.
struct RowView {
    code: String,
    name: String,
    members: String,
    paid: String,
    rate: String,
    collected: String,
    shares: [String; 4],
}

impl RowView {
    fn of(r: &FeeRow, lang: Lang) -> RowView {
        let rate = if r.members > 0 {
            percent(r.paid as f64 * 100.0 / r.members as f64, lang)
        } else {
            String::new()
        };
        RowView {
            code: r.code.clone(),
            name: r.name.clone(),
            members: int(r.members, lang),
            paid: int(r.paid, lang),
            rate,
            collected: int(r.collected, lang),
            shares: r.shares.map(|s| int(s, lang)),
        }
    }
}

#[derive(Template)]
#[template(path = "fees.html")]
struct FeesPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    unit: String,
    year: i32,
    title: String,
    /// The rate's parts as written: amount, then the four shares.
    rate: Option<[String; 5]>,
    /// The rate form's values (typed, or the rate in force).
    typed_rate: [String; 5],
    may_set_rate: bool,
    rows: Vec<RowView>,
    total: RowView,
    /// (id, name, birth year, paid) for a branch or group.
    members: Vec<(i64, String, i32, bool)>,
    may_record: bool,
    today: String,
    notice: Option<String>,
    error: Option<String>,
}

impl FeesPage {
    fn label(&self, key: &str, n: i32) -> String {
        i18n::t(self.t.0, key, &[("year", &n)])
    }
}

/// The year asked for, this year when none (the page's forms and the API).
pub(crate) fn year_of(text: &str) -> Result<i32, AppError> {
    match text.trim() {
        "" => Ok(Day::today().year()),
        y => y.parse().map_err(|_| AppError::bad_value("year", y)),
    }
}

pub async fn page(State(state): State<AppState>, viewer: Viewer, Query(p): Query<FeesParams>) -> Response {
    let notice = match p.done.as_str() {
        "" => None,
        "rate" => Some(viewer.t("web.fees_rate_saved")),
        n => Some(i18n::t(viewer.lang, "web.fees_recorded", &[("n", &n)])),
    };
    show(&state, &viewer, &p.unit, &p.year, None, notice, None, StatusCode::OK).await
}

/// The page for `unit` (the user's own when empty) and `year`, with what
/// was typed into the rate form and a refusal, if any.
#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
    year: &str,
    typed_rate: Option<[String; 5]>,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let code = match unit.trim() {
        "" => match viewer.user.home(Action::ViewMembers) {
            Some(g) => g.unit_code.clone(),
            None => return crate::shell::forbidden(viewer),
        },
        code => code.to_string(),
    };
    let year = match year_of(year) {
        Ok(y) => y,
        Err(e) => return app_problem(viewer, e),
    };
    let report: FeeReport = match state.app.fee_report(&viewer.actor(), &code, year).await {
        Ok(r) => r,
        Err(e) => return app_problem(viewer, e),
    };
    let details = match state.store.unit(&code, Day::today()).await {
        Ok(d) => d.unit,
        Err(e) => return app_problem(viewer, e.into()),
    };
    let rate = report.rate.as_ref().map(|r| r.parts().map(|v| int(v, lang)));
    let typed_rate = typed_rate.unwrap_or_else(|| {
        report
            .rate
            .as_ref()
            .map(|r| r.parts().map(|v| v.to_string()))
            .unwrap_or_default()
    });
    let member_level = matches!(details.level, Level::Branch | Level::Group);
    let page = FeesPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, &format!("/fees?unit={}&year={year}", urlencode(&code)))),
        csrf: viewer.csrf.clone(),
        title: i18n::t(lang, "web.fees_title", &[("year", &year), ("unit", &details.name)]),
        may_set_rate: details.level == Level::Province && viewer.user.may(Action::EditPlans, &details.path),
        may_record: member_level && viewer.user.may(Action::EditMembers, &details.path),
        unit: code,
        year,
        rate,
        typed_rate,
        rows: report.rows.iter().map(|r| RowView::of(r, lang)).collect(),
        total: RowView::of(&report.total, lang),
        members: report
            .members
            .iter()
            .map(|m| (m.id, m.full_name.clone(), m.birth_year, m.paid))
            .collect(),
        today: Day::today().to_string(),
        notice,
        error,
    };
    render(page, status, lang)
}

/// The fields of a posted form, `id` repeated once per member chosen.
struct Fields {
    csrf: String,
    values: std::collections::HashMap<String, String>,
    ids: Vec<String>,
}

impl Fields {
    fn read(body: &[u8]) -> Fields {
        let mut f = Fields {
            csrf: String::new(),
            values: Default::default(),
            ids: Vec::new(),
        };
        for (key, value) in form_urlencoded::parse(body) {
            match key.as_ref() {
                "csrf" => f.csrf = value.into_owned(),
                "id" => f.ids.push(value.into_owned()),
                _ => {
                    f.values.insert(key.into_owned(), value.into_owned());
                }
            }
        }
        f
    }

    fn get(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or_default()
    }
}

/// The answer to a fees form on `unit` and `year`: back to the page
/// saying what was `done`, or the page again with why it was refused
/// (and what was typed into the rate form).
async fn answer(
    state: &AppState,
    viewer: &Viewer,
    (unit, year): (&str, &str),
    done: Result<String, AppError>,
    typed: Option<[String; 5]>,
) -> Response {
    match done {
        Ok(done) => Redirect::to(&format!(
            "/fees?unit={}&year={}&done={done}",
            urlencode(unit),
            urlencode(year)
        ))
        .into_response(),
        Err(e) => match told(viewer, e) {
            Ok(message) => {
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                show(state, viewer, unit, year, typed, None, Some(message), status).await
            }
            Err(r) => r,
        },
    }
}

/// `POST /fees/rate`: a province's fee and its shares for a year.
pub async fn set_rate(State(state): State<AppState>, viewer: Viewer, body: Bytes) -> Response {
    let f = Fields::read(&body);
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let typed = ["amount", "branch", "base", "province", "central"].map(|k| f.get(k).to_string());
    let (unit, year) = (f.get("unit"), f.get("year"));
    let rate = FeeRate::parse(typed.each_ref().map(String::as_str));
    let done = match year_of(year) {
        Err(e) => Err(e),
        Ok(y) => state.app.set_fee_rate(&viewer.actor(), unit, y, rate).await.map(|_| ()),
    };
    let done = done.map(|()| "rate".to_string());
    answer(&state, &viewer, (unit, year), done, Some(typed)).await
}

/// `POST /fees/pay`: the members chosen paid the year's fee.
pub async fn record(State(state): State<AppState>, viewer: Viewer, body: Bytes) -> Response {
    let f = Fields::read(&body);
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let (unit, year) = (f.get("unit"), f.get("year"));
    let ids: Result<Vec<i64>, AppError> = f
        .ids
        .iter()
        .map(|id| id.parse().map_err(|_| AppError::bad_value("id", id)))
        .collect();
    let done = match (ids, year_of(year), Day::parse_or_today(f.get("date"))) {
        (Err(e), _, _) | (_, Err(e), _) => Err(e),
        (_, _, Err(e)) => Err(AppError::field("date", e)),
        (Ok(ids), Ok(y), Ok(day)) => state
            .app
            .record_fees(&viewer.actor(), &ids, y, day)
            .await
            .map(|_| ids.len()),
    };
    answer(&state, &viewer, (unit, year), done.map(|n| n.to_string()), None).await
}
