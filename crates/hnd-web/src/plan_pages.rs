//! Plans in the browser: the plans of the user's part of the tree, and a
//! plan's progress for a unit and period, each target against the
//! register, with a status colour and a drill-down to the units below.

use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, app_problem, forbidden, problem, render, status_of_kind, store_problem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_domain::plan::{Comparator, Pace, Period, Standing, indicator};
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
fn segment(number: &str) -> String {
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
fn period_of(viewer: &Viewer, text: &str) -> Result<Period, Response> {
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

#[derive(Deserialize, Default)]
pub struct ProgressParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    period: String,
    /// The indicator the units below are ranked on (new members by default).
    #[serde(default)]
    indicator: String,
    /// "xlsx" for a table as a spreadsheet: the targets, or with
    /// `table=below` the ranking of the units below.
    #[serde(default)]
    format: String,
    #[serde(default)]
    table: String,
    #[serde(default)]
    imported: Option<usize>,
    /// Units a target was just handed down to.
    #[serde(default)]
    split: Option<usize>,
}

struct Row {
    name: String,
    comparator: String,
    target: String,
    actual: String,
    /// Share of the target reached, as text ("45,2%"), and as a bar
    /// width in percent (at most 120).
    share: String,
    bar: f64,
    /// A [`Standing`] code: the status colour.
    status: &'static str,
    status_label: String,
    /// "834/tháng": still needed each month to reach the target.
    pace: String,
    /// What the units below were given: "6.980 (96/96)".
    handed: String,
    /// The units below were given less than this target, or some none.
    handed_short: bool,
    y: usize,
}

/// A unit below, ranked on one indicator.
struct Ranked {
    rank: usize,
    code: String,
    name: String,
    target: String,
    actual: String,
    share: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    t: Tr,
    nav: Option<Nav>,
    number: String,
    href: String,
    unit: String,
    unit_name: String,
    period: String,
    rows: Vec<Row>,
    chart_height: usize,
    /// (code, name, chosen) of the plan's indicators for this unit.
    choices: Vec<(String, String, bool)>,
    ranked_on: String,
    below: Vec<Ranked>,
    tasks: Vec<hnd_store::Task>,
    /// Whether the user may send a targets sheet for this unit.
    may_edit: bool,
    /// "N targets saved" after a sheet was taken.
    imported: Option<String>,
}

fn number(value: f64, lang: Lang) -> String {
    if value.fract() == 0.0 {
        int(value as i64, lang)
    } else {
        hnd_domain::fmt::percent(value, lang)
    }
}

/// The share of `target` reached by `actual`, in percent.
fn share(actual: Option<f64>, target: f64) -> Option<f64> {
    actual.filter(|_| target > 0.0).map(|a| a * 100.0 / target)
}

fn share_text(share: Option<f64>, lang: Lang) -> String {
    share
        .map(|s| format!("{}%", hnd_domain::fmt::percent((s * 10.0).round() / 10.0, lang)))
        .unwrap_or_default()
}

pub(crate) fn indicator_name(code: &str, lang: Lang) -> String {
    indicator(code)
        .map(|i| if lang == Lang::En { i.name_en } else { i.name_vi })
        .unwrap_or(code)
        .to_string()
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    Query(p): Query<ProgressParams>,
) -> Response {
    let store = &state.store;
    let lang = viewer.lang;
    let today = Day::today();
    let period = match period_of(&viewer, &p.period) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let found = match store.plan(&plan).await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let unit = if p.unit.trim().is_empty() {
        found.unit.clone()
    } else {
        p.unit.trim().to_string()
    };
    let details = match store.unit(&unit, today).await {
        Ok(d) => d.unit,
        Err(e) => return store_problem(&viewer, e),
    };
    if !viewer.user.may(Action::ViewMembers, &details.path) {
        return forbidden(&viewer);
    }
    let progress = match store.progress(&plan, &unit, period).await {
        Ok(r) => r,
        Err(e) => return store_problem(&viewer, e),
    };
    let standing_label = |s: Standing| viewer.t(&format!("standing.{}", s.code()));
    let (below_count, handed) = match store.handed_down(&plan, &unit).await {
        Ok(x) => x,
        Err(e) => return store_problem(&viewer, e),
    };
    let rows: Vec<Row> = progress
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let comparator = Comparator::parse(&r.comparator).unwrap_or(Comparator::Equal);
            let pace = indicator(&r.indicator)
                .map(|ind| hnd_domain::plan::pace(ind, comparator, r.target, r.actual, period, today))
                .unwrap_or(Pace {
                    standing: Standing::Unknown,
                    per_month: None,
                });
            let reached = share(r.actual, r.target);
            Row {
                name: indicator_name(&r.indicator, lang),
                comparator: r.comparator.replace(">=", "≥").replace("<=", "≤"),
                target: number(r.target, lang),
                actual: r.actual.map(|a| number(a, lang)).unwrap_or_else(|| "—".into()),
                share: share_text(reached, lang),
                bar: reached.unwrap_or(0.0).clamp(0.0, 120.0),
                status: pace.standing.code(),
                status_label: standing_label(pace.standing),
                pace: pace
                    .per_month
                    .filter(|n| *n > 0.0)
                    .map(|n| i18n::t(lang, "web.per_month", &[("count", &int(n as i64, lang))]))
                    .unwrap_or_default(),
                handed: match handed.get(&r.indicator) {
                    Some((n, sum)) => format!("{} ({n}/{below_count})", number(*sum, lang)),
                    None if below_count > 0 => format!("— (0/{below_count})"),
                    None => String::new(),
                },
                handed_short: below_count > 0
                    && handed.get(&r.indicator).is_none_or(|(n, sum)| {
                        (*n as usize) < below_count
                            || (comparator == Comparator::AtLeast
                                && indicator(&r.indicator)
                                    .is_some_and(|i| i.measure != hnd_domain::plan::Measure::Percent)
                                && *sum < r.target)
                    }),
                y: i * 22,
            }
        })
        .collect();
    if p.format == "xlsx" && p.table != "below" {
        let columns = [
            "Chỉ tiêu",
            "So sánh",
            "Chỉ tiêu giao",
            "Thực hiện",
            "Tỷ lệ đạt",
            "Tình trạng",
            "Cần mỗi tháng",
        ];
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.comparator.clone(),
                    r.target.clone(),
                    r.actual.clone(),
                    r.share.clone(),
                    r.status_label.clone(),
                    r.pace.clone(),
                ]
            })
            .collect();
        let detail = serde_json::json!({"table": "plan", "plan": plan, "unit": unit, "period": period.code()});
        return table_xlsx(
            &state,
            &viewer,
            &format!("chi-tieu-{unit}-{}", period.code()),
            &columns,
            &cells,
            detail,
        )
        .await;
    }
    // The units below ranked on one indicator of the plan: the share of
    // their own target reached, highest first.
    let choices: Vec<(String, String, bool)> = progress
        .iter()
        .map(|r| (r.indicator.clone(), indicator_name(&r.indicator, lang), false))
        .collect();
    let ranked_on = if choices.iter().any(|c| c.0 == p.indicator) {
        p.indicator.clone()
    } else if choices.iter().any(|c| c.0 == "new_members") {
        "new_members".to_string()
    } else {
        choices.first().map(|c| c.0.clone()).unwrap_or_default()
    };
    let choices = choices
        .into_iter()
        .map(|(c, n, _)| (c.clone(), n, c == ranked_on))
        .collect();
    // A failure to read is told as such, never shown as an empty ranking.
    let mut below: Vec<(Option<f64>, Ranked)> = Vec::new();
    if !ranked_on.is_empty() {
        let units = match store.children(details.id, today).await {
            Ok(units) => units,
            Err(e) => return store_problem(&viewer, e),
        };
        for c in units.into_iter().take(500) {
            let read = async {
                let targets = store.targets(&plan, &c.code).await?;
                let actual = store.figure(&c.code, &ranked_on, period).await?;
                Ok::<_, hnd_store::StoreError>((targets, actual))
            };
            let (targets, actual) = match read.await {
                Ok(x) => x,
                Err(e) => return store_problem(&viewer, e),
            };
            let Some(target) = targets.into_iter().find(|t| t.indicator == ranked_on) else {
                continue;
            };
            let comparator = Comparator::parse(&target.comparator).unwrap_or(Comparator::Equal);
            let standing = indicator(&ranked_on)
                .map(|ind| hnd_domain::plan::pace(ind, comparator, target.value, actual, period, today).standing)
                .unwrap_or(Standing::Unknown);
            let reached = share(actual, target.value);
            below.push((
                reached,
                Ranked {
                    rank: 0,
                    code: c.code,
                    name: c.name,
                    target: number(target.value, lang),
                    actual: actual.map(|a| number(a, lang)).unwrap_or_default(),
                    share: share_text(reached, lang),
                    status: standing.code(),
                },
            ));
        }
    }
    below.sort_by(|a, b| b.0.unwrap_or(-1.0).total_cmp(&a.0.unwrap_or(-1.0)));
    let below: Vec<Ranked> = below
        .into_iter()
        .enumerate()
        .map(|(i, (_, r))| Ranked { rank: i + 1, ..r })
        .collect();
    if p.format == "xlsx" {
        let columns = ["Hạng", "Mã", "Đơn vị", "Chỉ tiêu giao", "Thực hiện", "Tỷ lệ đạt"];
        let cells: Vec<Vec<String>> = below
            .iter()
            .map(|r| {
                vec![
                    r.rank.to_string(),
                    r.code.clone(),
                    r.name.clone(),
                    r.target.clone(),
                    r.actual.clone(),
                    r.share.clone(),
                ]
            })
            .collect();
        let detail = serde_json::json!({"table": "plan_ranking", "plan": plan, "unit": unit,
            "indicator": ranked_on, "period": period.code()});
        let name = format!("xep-hang-{unit}-{ranked_on}-{}", period.code());
        return table_xlsx(&state, &viewer, &name, &columns, &cells, detail).await;
    }
    let tasks = match store.tasks(&plan, today).await {
        Ok(tasks) => tasks,
        Err(e) => return store_problem(&viewer, e),
    };
    let page = PlanPage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, &format!("/plans/{}", segment(&plan)))),
        href: segment(&plan),
        number: plan,
        unit_name: details.name,
        unit,
        period: period.to_string(),
        chart_height: rows.len() * 22 + 4,
        rows,
        choices,
        ranked_on,
        below,
        tasks,
        may_edit: viewer.user.may(Action::EditPlans, &details.path),
        imported: p
            .imported
            .map(|n| i18n::t(lang, "web.targets_imported", &[("count", &int(n as i64, lang))]))
            .or_else(|| {
                p.split
                    .map(|n| i18n::t(lang, "web.split_done", &[("count", &int(n as i64, lang))]))
            }),
    };
    render(page, StatusCode::OK, lang)
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
        return table_xlsx(
            &state,
            &viewer,
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
async fn table_xlsx(
    state: &AppState,
    viewer: &Viewer,
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
    crate::members::audit(&state.store, viewer, "export", None, None, detail).await;
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
fn secret_suffix() -> String {
    hnd_store::secret().chars().take(12).collect()
}

/// Largest targets sheet accepted from the browser.
pub const MAX_TARGETS_SHEET: usize = 5 * 1024 * 1024;

#[derive(Deserialize, Default)]
pub struct UnitParam {
    #[serde(default)]
    unit: String,
}

/// The plan's targets for a unit and the units directly below it, in the
/// layout provinces use (units as rows, indicators as columns): the sheet
/// to fill in and send back.
pub async fn targets_sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    Query(q): Query<UnitParam>,
) -> Response {
    let store = &state.store;
    let found = match store.plan(&plan).await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let unit = if q.unit.trim().is_empty() {
        found.unit
    } else {
        q.unit.trim().to_string()
    };
    let path = match store.unit_path(&unit).await {
        Ok((_, path)) => path,
        Err(e) => return store_problem(&viewer, e),
    };
    if !viewer.user.may(Action::ViewMembers, &path) {
        return forbidden(&viewer);
    }
    let file = std::env::temp_dir().join(format!("hnd-targets-{}-{}.xlsx", std::process::id(), secret_suffix()));
    let written = hnd_import::export_targets(store, &plan, &unit, &file).await;
    let bytes = std::fs::read(&file);
    let _ = std::fs::remove_file(&file);
    let bytes = match (written, bytes) {
        (Ok(_), Ok(b)) => b,
        (Err(hnd_import::RunError::Store(e)), _) => return store_problem(&viewer, e),
        _ => {
            return problem(
                Some(&viewer),
                viewer.lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                viewer.t("web.internal"),
            );
        }
    };
    crate::members::audit(
        store,
        &viewer,
        "export",
        None,
        None,
        serde_json::json!({"table": "targets", "plan": plan, "unit": unit}),
    )
    .await;
    let name: String = format!("chi-tieu-{}-{unit}", found.number)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect();
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "targets_errors.html")]
struct TargetErrorsPage {
    t: Tr,
    nav: Option<Nav>,
    back: String,
    message: String,
    errors: Vec<(usize, String, String, String)>,
}

/// A filled-in targets sheet sent back: every cell checked, and the
/// targets written all together, or none of them with every bad cell listed.
pub async fn upload_targets(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    mut form: axum::extract::Multipart,
) -> Response {
    let store = &state.store;
    let lang = viewer.lang;
    let found = match store.plan(&plan).await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    let plan_path = match store.unit_path(&found.unit).await {
        Ok((_, path)) => path,
        Err(e) => return store_problem(&viewer, e),
    };
    // Someone who may set targets somewhere in the plan's tree.
    if !viewer.user.may_set_targets_under(&plan_path) {
        return forbidden(&viewer);
    }
    let back = format!("/plans/{}", segment(&plan));
    let fail = |status: StatusCode, message: String, errors: Vec<(usize, String, String, String)>| {
        let page = TargetErrorsPage {
            t: Tr(lang),
            nav: Some(Nav::of(&viewer, &back)),
            back: back.clone(),
            message,
            errors,
        };
        render(page, status, lang)
    };
    let (mut csrf, mut comparator, mut saved) = (String::new(), ">=".to_string(), None);
    let file = std::env::temp_dir().join(format!("hnd-targets-in-{}-{}", std::process::id(), secret_suffix()));
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return fail(StatusCode::BAD_REQUEST, e.body_text(), Vec::new()),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("comparator") => comparator = field.text().await.unwrap_or_default(),
            Some("file") => {
                if let Err(r) = viewer.check_csrf(&csrf) {
                    return r;
                }
                match crate::files::save_spreadsheet(field, &file, lang).await {
                    Ok((_, path, _)) => saved = Some(path),
                    Err((status, message)) => return fail(status, message, Vec::new()),
                }
            }
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let Some(path) = saved else {
        return fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            viewer.t("web.choose_file"),
            Vec::new(),
        );
    };
    let Some(comparator) = Comparator::parse(&comparator) else {
        let _ = std::fs::remove_file(&path);
        let message = hnd_domain::PlanError::BadComparator { text: comparator }.message(lang);
        return fail(StatusCode::UNPROCESSABLE_ENTITY, message, Vec::new());
    };
    let actor = viewer.actor();
    let allowed = |path: &str| state.app.may_set_target(&actor, path);
    let read = hnd_import::read_targets(store, &plan, &path, comparator, &allowed, lang).await;
    let _ = std::fs::remove_file(&path);
    let targets = match read {
        Ok(Ok(t)) => t,
        Ok(Err(errors)) => {
            let message = i18n::t(lang, "import.rows_refused", &[("count", &errors.len())]);
            let rows = errors
                .iter()
                .map(|e| {
                    let reason = e.message(lang);
                    (e.row, e.column.clone(), e.value.clone(), reason)
                })
                .collect();
            return fail(StatusCode::UNPROCESSABLE_ENTITY, message, rows);
        }
        Err(hnd_import::RunError::Import(e)) => {
            return fail(StatusCode::UNPROCESSABLE_ENTITY, e.message(lang), Vec::new());
        }
        Err(e) => return fail(StatusCode::UNPROCESSABLE_ENTITY, e.message(lang), Vec::new()),
    };
    match state.app.set_targets(&actor, &plan, &targets).await {
        Ok(n) => axum::response::Redirect::to(&format!("{back}?imported={n}")).into_response(),
        Err(e) if e.kind() == hnd_app::ErrorKind::Invalid => {
            fail(StatusCode::UNPROCESSABLE_ENTITY, e.message(lang), Vec::new())
        }
        Err(e) => app_problem(&viewer, e),
    }
}

#[derive(Deserialize, Default)]
pub struct SplitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    by: String,
}

/// Hands a unit's target down to the units below it (by members,
/// households or equally), then shows the plan with what was handed down.
pub async fn split(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(plan): Path<String>,
    axum::extract::Form(f): axum::extract::Form<SplitForm>,
) -> Response {
    if let Err(r) = viewer.check_csrf(&f.csrf) {
        return r;
    }
    let (unit, indicator) = (f.unit.trim(), f.indicator.trim());
    let outcome = match state.app.split_target(&viewer.actor(), &plan, unit, indicator, &f.by).await {
        Ok(outcome) => outcome,
        Err(e) => return app_problem(&viewer, e),
    };
    let to = format!(
        "/plans/{}?unit={}&split={}",
        segment(&plan),
        crate::shell::urlencode(f.unit.trim()),
        outcome.units
    );
    axum::response::Redirect::to(&to).into_response()
}
