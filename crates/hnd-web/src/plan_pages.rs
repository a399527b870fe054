//! Plans in the browser: the plans of the user's part of the tree with
//! the indicator catalogue and the form that adds to it
//! ([`hnd_app::App::add_indicator`]), the national table of figures, and
//! what the plan pages share (a period asked for, numbers, XLSX tables).
//! A plan's own page is `plan_page.rs`, its targets sheet `plan_targets.rs`.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, app_problem, forbidden, problem, render, status_of_kind, store_problem};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_domain::plan::{Period, indicator};
use hnd_domain::{Action, Day, Lang, fmt::int, i18n};
use hnd_store::Plan;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    t: Tr,
    nav: Option<Nav>,
    /// Each plan with its number as a path segment.
    plans: Vec<(Plan, String)>,
    /// The catalogue and the added indicators: code, name, measure, source.
    indicators: Vec<(String, String, String, String)>,
    /// Whether the user may add indicators (central and province officers).
    may_add: bool,
    form: IndicatorForm,
    error: Option<String>,
    added: Option<String>,
    /// The kinds of plan for the "new plan" form; none when the user
    /// may draft nowhere.
    kinds: Vec<(&'static str, String)>,
    /// The unit the form offers first: the user's highest where they plan.
    home: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct IndicatorForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_vi: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    numerator: String,
    #[serde(default)]
    denominator: String,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    added: Option<String>,
}

/// A plan number as one path segment ("12-KH/HND" → "12-KH%2FHND").
pub(crate) fn segment(number: &str) -> String {
    crate::shell::urlencode(number).replace('/', "%2F")
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListParams>) -> Response {
    let added = q
        .added
        .map(|code| i18n::t(viewer.lang, "web.indicator_added", &[("code", &code)]));
    plans_page(&state, &viewer, IndicatorForm::default(), None, added, StatusCode::OK).await
}

async fn plans_page(
    state: &AppState,
    viewer: &Viewer,
    form: IndicatorForm,
    error: Option<String>,
    added: Option<String>,
    status: StatusCode,
) -> Response {
    let visible = match hnd_app::readable_plans(&state.app, &viewer.user).await {
        Ok(plans) => plans
            .into_iter()
            .map(|p| {
                let href = segment(&p.number);
                (p, href)
            })
            .collect(),
        Err(e) => return app_problem(viewer, e),
    };
    let lang = viewer.lang;
    let indicators = hnd_domain::plan::all_indicators()
        .into_iter()
        .map(|i| {
            let source = match i.source {
                hnd_domain::plan::Source::Register(_) => i18n::t(lang, "web.source_register", &[]),
                hnd_domain::plan::Source::Ratio(n, d) => format!("{} / {}", n, d),
                hnd_domain::plan::Source::Entered => i18n::t(lang, "web.source_entered", &[]),
                hnd_domain::plan::Source::Coverage { .. } => i18n::t(lang, "web.source_coverage", &[]),
            };
            (
                i.code.to_string(),
                indicator_name(i.code, lang),
                i18n::t(lang, &format!("measure.{}", i.measure.code()), &[]),
                source,
            )
        })
        .collect();
    let page = PlansPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, "/plans")),
        plans: visible,
        indicators,
        may_add: viewer.user.may_add_indicators(),
        form,
        error,
        added,
        kinds: match viewer.user.may_somewhere(hnd_domain::Action::EditPlans) {
            true => hnd_domain::plan::PlanKind::ALL
                .iter()
                .map(|k| (k.code(), i18n::t(lang, &format!("plan.kind.{}", k.code()), &[])))
                .collect(),
            false => Vec::new(),
        },
        home: viewer
            .user
            .home(hnd_domain::Action::EditPlans)
            .map(|g| g.unit_code.clone())
            .unwrap_or_default(),
    };
    render(page, status, lang)
}

/// A new indicator from the form on the plans page: added, or the form
/// again with what was typed and why it was refused.
pub async fn add_indicator(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Form(form): axum::extract::Form<IndicatorForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&form.csrf) {
        return r;
    }
    let ratio = match (form.numerator.trim(), form.denominator.trim()) {
        ("", "") => None,
        (n, d) => Some((n.to_string(), d.to_string())),
    };
    let new = hnd_store::NewIndicator {
        code: form.code.clone(),
        name_vi: form.name_vi.clone(),
        name_en: form.name_en.clone(),
        measure: form.measure.clone(),
        ratio,
    };
    match state.app.add_indicator(&viewer.actor(), &new).await {
        Ok(()) => {
            let to = format!("/plans?added={}", crate::shell::urlencode(new.code.trim()));
            axum::response::Redirect::to(&to).into_response()
        }
        Err(e) if e.kind() == hnd_app::ErrorKind::Invalid => {
            let status = status_of_kind(e.kind());
            plans_page(&state, &viewer, form, Some(e.message(viewer.lang)), None, status).await
        }
        Err(e) => app_problem(&viewer, e),
    }
}

/// The period a page asks for (this year when empty), or the refusal.
pub(crate) fn period_of(viewer: &Viewer, text: &str) -> Result<Period, Response> {
    match text.trim() {
        "" => Ok(Period::Year {
            year: Day::today().year(),
        }),
        text => Period::parse(text).map_err(|_| {
            let message = hnd_domain::PlanError::BadDeadline { text: text.into() }.message(viewer.lang);
            problem(Some(viewer), viewer.lang, StatusCode::BAD_REQUEST, message)
        }),
    }
}

pub(crate) fn number(value: f64, lang: Lang) -> String {
    if value.fract() == 0.0 {
        int(value as i64, lang)
    } else {
        hnd_domain::fmt::percent(value, lang)
    }
}

/// The share of `target` reached by `actual`, in percent.
pub(crate) fn share(actual: Option<f64>, target: f64) -> Option<f64> {
    actual.filter(|_| target > 0.0).map(|a| a * 100.0 / target)
}

pub(crate) fn share_text(share: Option<f64>, lang: Lang) -> String {
    share
        .map(|s| hnd_domain::fmt::percent((s * 10.0).round() / 10.0, lang))
        .unwrap_or_default()
}

pub(crate) fn indicator_name(code: &str, lang: Lang) -> String {
    indicator(code)
        .map(|i| if lang == Lang::En { i.name_en } else { i.name_vi })
        .unwrap_or(code)
        .to_string()
}

#[derive(Deserialize, Default)]
pub struct FiguresParams {
    #[serde(default)]
    period: String,
    /// "xlsx" for the table as a spreadsheet.
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage {
    t: Tr,
    nav: Option<Nav>,
    period: String,
    headers: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
}

/// Every catalogue indicator for every province the user may see, over a
/// period, from the maintained counts; as a page or an XLSX file.
pub async fn figures(State(state): State<AppState>, viewer: Viewer, Query(p): Query<FiguresParams>) -> Response {
    let lang = viewer.lang;
    let period = match period_of(&viewer, &p.period) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cells = match state.store.national_figures(period).await {
        Ok(c) => c,
        Err(e) => return store_problem(&viewer, e),
    };
    // The cells come province by province, each with the same indicators
    // in the same order: the first province's give the columns.
    let codes: Vec<&'static str> = match cells.first() {
        Some(first) => cells.iter().take_while(|c| c.0 == first.0).map(|c| c.1).collect(),
        None => Vec::new(),
    };
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for chunk in cells.chunks(codes.len().max(1)) {
        let province = &chunk[0].0;
        let Ok(unit) = state.store.unit(province, Day::today()).await.map(|u| u.unit) else {
            continue;
        };
        if !viewer.user.may(Action::ViewMembers, &unit.path) {
            continue;
        }
        rows.push((
            unit.name,
            chunk
                .iter()
                .map(|c| c.2.map(|v| number(v, lang)).unwrap_or_default())
                .collect(),
        ));
    }
    if rows.is_empty() {
        return forbidden(&viewer);
    }
    let headers: Vec<String> = codes.iter().map(|c| indicator_name(c, lang)).collect();
    if p.format == "xlsx" {
        let mut columns: Vec<&str> = vec!["Tỉnh, thành phố"];
        columns.extend(headers.iter().map(String::as_str));
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|(name, values)| std::iter::once(name.clone()).chain(values.iter().cloned()).collect())
            .collect();
        let detail = serde_json::json!({"table": "figures", "period": period.code()});
        // Filed under the viewer's own unit: the table holds the provinces it covers.
        let home = viewer.user.home(Action::ViewMembers).map(|g| g.unit_code.clone());
        return table_xlsx(
            &state,
            &viewer,
            home.as_deref().unwrap_or("TW"),
            &format!("so-lieu-{}", period.code()),
            &columns,
            &cells,
            detail,
        )
        .await;
    }
    let page = FiguresPage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, "/figures")),
        period: period.to_string(),
        headers,
        rows,
    };
    render(page, StatusCode::OK, lang)
}

/// A table as an XLSX download named `name`.xlsx, its export audited with `detail`.
pub(crate) async fn table_xlsx(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
    name: &str,
    columns: &[&str],
    rows: &[Vec<String>],
    detail: serde_json::Value,
) -> Response {
    let file = std::env::temp_dir().join(format!(
        "hnd-table-{}-{}-{}.xlsx",
        std::process::id(),
        viewer.user.id,
        secret_suffix()
    ));
    let written = (|| -> Result<(), hnd_import::ExportError> {
        let mut out = hnd_import::SheetWriter::create(&file, columns)?;
        for row in rows {
            let row: Vec<&str> = row.iter().map(String::as_str).collect();
            out.write_row(&row)?;
        }
        out.finish()
    })();
    let bytes = match written.map(|_| std::fs::read(&file)) {
        Ok(Ok(bytes)) => bytes,
        _ => {
            let _ = std::fs::remove_file(&file);
            return problem(
                Some(viewer),
                viewer.lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                viewer.t("web.internal"),
            );
        }
    };
    let _ = std::fs::remove_file(&file);
    if let Err(e) = state.app.record_export(&viewer.actor(), unit, detail).await {
        return crate::shell::app_problem(viewer, e);
    }
    let mut response = axum::response::IntoResponse::into_response(bytes);
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect();
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{ascii}.xlsx\"")) {
        headers.insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A few random characters, so two downloads at once never share a file.
pub(crate) fn secret_suffix() -> String {
    hnd_store::secret().chars().take(12).collect()
}
