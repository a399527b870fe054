//! A plan's page: its progress for a unit and period, each target
//! against the register with a status colour and the pace still needed,
//! the units below ranked on one indicator, the plan's tasks; the tables
//! also as XLSX.

use crate::AppState;
use crate::auth::Viewer;
use crate::plan_life_pages::{PlanHead, head};
use crate::plan_pages::{indicator_name, number, period_of, segment, share, share_text, table_xlsx};
use crate::shell::{Nav, Tr, forbidden, render, store_problem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hnd_domain::plan::{Comparator, Pace, Standing, indicator};
use hnd_domain::{Action, Day, fmt::int, i18n};
use serde::Deserialize;

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
    /// (code, name, chosen) of the plan's indicators for this unit.
    choices: Vec<(String, String, bool)>,
    ranked_on: String,
    below: Vec<Ranked>,
    tasks: Vec<hnd_store::Task>,
    /// Whether the user may send a targets sheet for this unit.
    may_edit: bool,
    /// "N targets saved" after a sheet was taken.
    imported: Option<String>,
    /// The plan as a document, and the units below with their own.
    life: PlanHead,
    /// Whether the user may add tasks to the plan (`EditPlans` on its unit).
    may_add_task: bool,
    /// The plan's unit's code: a task owned by another unit names it.
    life_unit: String,
    /// The period's code, for the unit's entry grid.
    period_code: String,
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
    // A draft is its own unit's until issued.
    let life = match head(&state, &viewer, &found.number).await {
        Ok(h) => h,
        Err(r) => return r,
    };
    let unit = if p.unit.trim().is_empty() {
        found.unit.clone()
    } else {
        p.unit.trim().to_string()
    };
    let mut details = match store.unit(&unit, today).await {
        Ok(d) => d.unit,
        Err(e) => return store_problem(&viewer, e),
    };
    // With no unit asked for, a user below the plan's unit sees the plan
    // from their own: a link to the plan never leads to a refusal.
    let unit = match viewer.user.home_under(Action::ViewMembers, &details.path) {
        Some(home) if p.unit.trim().is_empty() && !viewer.user.may(Action::ViewMembers, &details.path) => {
            details = match store.unit(&home.unit_code, today).await {
                Ok(d) => d.unit,
                Err(e) => return store_problem(&viewer, e),
            };
            home.unit_code.clone()
        }
        _ => unit,
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
        .map(|r| {
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
            &unit,
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
        return table_xlsx(&state, &viewer, &unit, &name, &columns, &cells, detail).await;
    }
    let tasks = match store.tasks(&plan, today).await {
        Ok(tasks) => tasks,
        Err(e) => return store_problem(&viewer, e),
    };
    let may_add_task = match store.plan_unit(&plan).await {
        Ok((_, path)) => viewer.user.may(Action::EditPlans, &path),
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
        period_code: period.code(),
        may_add_task,
        life_unit: found.unit.clone(),
        rows,
        choices,
        ranked_on,
        below,
        tasks,
        life,
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
