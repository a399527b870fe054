//! The strength report's page (`/reports/strength?unit=&period=`): the
//! unit's own figures by column, then the units below as rows (cards on a
//! phone), in Vietnamese numbers, with the workbook to download
//! (`/reports/strength.xlsx`, audited as an export by its operation).

use crate::AppState;
use crate::auth::Viewer;
use crate::refusal::Refusal;
use crate::shell::{Nav, Tr, app_problem, render, urlencode};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hnd_app::period_of;
use hnd_domain::fmt::int;
use hnd_domain::strength::COLUMNS;
use hnd_domain::{Action, Day, Lang, i18n};
use hnd_store::{Columns, StrengthReport};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct StrengthParams {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub period: String,
}

/// A header over the figures: the column's label and how many figures it has.
struct Head {
    label: String,
    span: usize,
}

/// One figure as the page writes it, with its column's name for a card.
struct Cell {
    label: String,
    value: String,
}

/// A column of the unit's own figures.
struct Line {
    label: String,
    new: String,
    lost: String,
    total: String,
}

#[derive(Template)]
#[template(path = "strength.html")]
struct StrengthPage {
    t: Tr,
    nav: Option<Nav>,
    unit: String,
    period: String,
    title: String,
    span: String,
    lines: Vec<Line>,
    heads: Vec<Head>,
    parts: Vec<String>,
    rows: Vec<(String, String, Vec<Cell>)>,
    ages: [(String, String); 3],
    /// Members at the end by occupation, education, household category.
    breakdowns: Vec<(String, Vec<(String, String)>)>,
    /// The lists of new and lost members: heading, id, rows.
    lists: Vec<(String, &'static str, Vec<[String; 4]>)>,
    lists_cut: bool,
}

fn figure(v: Option<i64>, lang: Lang) -> String {
    v.map(|n| int(n, lang)).unwrap_or_default()
}

/// The figures of a row left to right, each with its column and part.
fn cells(columns: &Columns, lang: Lang) -> Vec<Cell> {
    let parts = ["strength.new", "strength.lost", "strength.total"].map(|k| i18n::t(lang, k, &[]));
    let mut out = Vec::new();
    for c in COLUMNS {
        let f = columns.get(c.key);
        let label = i18n::t(lang, &format!("strength.col.{}", c.key), &[]);
        for ((value, has), part) in [f.new, f.lost, f.total].into_iter().zip(c.figures.parts()).zip(&parts) {
            if has {
                out.push(Cell {
                    label: format!("{label} · {part}"),
                    value: figure(value, lang),
                });
            }
        }
    }
    out
}

fn moves(list: &[hnd_store::MemberMove], lang: Lang) -> Vec<[String; 4]> {
    let day = |iso: &str| Day::from_iso(iso).map(|d| d.to_string()).unwrap_or_default();
    list.iter()
        .map(|m| {
            let reason = i18n::t(lang, &format!("strength.reason.{}", m.reason), &[]);
            let reason = if m.note.is_empty() {
                reason
            } else {
                format!("{reason}: {}", m.note)
            };
            [m.full_name.clone(), m.birth_year.to_string(), day(&m.day), reason]
        })
        .collect()
}

fn page_of(report: &StrengthReport, viewer: &Viewer) -> StrengthPage {
    let lang = viewer.lang;
    let day = |iso: &str| Day::from_iso(iso).map(|d| d.to_string()).unwrap_or_default();
    let query = format!("unit={}&period={}", urlencode(&report.unit), urlencode(&report.period));
    let a = report.age_bands;
    StrengthPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, &format!("/reports/strength?{query}"))),
        unit: report.unit.clone(),
        period: report.period.clone(),
        title: i18n::t(
            lang,
            "strength.title",
            &[("unit", &report.name), ("period", &report.period)],
        ),
        span: i18n::t(
            lang,
            "strength.span",
            &[("from", &day(&report.from)), ("to", &day(&report.to))],
        ),
        lines: COLUMNS
            .iter()
            .map(|c| {
                let f = report.columns.get(c.key);
                Line {
                    label: i18n::t(lang, &format!("strength.col.{}", c.key), &[]),
                    new: figure(f.new, lang),
                    lost: figure(f.lost, lang),
                    total: figure(f.total, lang),
                }
            })
            .collect(),
        heads: COLUMNS
            .iter()
            .map(|c| Head {
                label: i18n::t(lang, &format!("strength.col.{}", c.key), &[]),
                span: c.figures.parts().iter().filter(|p| **p).count(),
            })
            .collect(),
        parts: COLUMNS
            .iter()
            .flat_map(|c| {
                ["strength.new", "strength.lost", "strength.total"]
                    .into_iter()
                    .zip(c.figures.parts())
                    .filter(|(_, has)| *has)
                    .map(|(k, _)| i18n::t(lang, k, &[]))
            })
            .collect(),
        rows: report
            .rows
            .iter()
            .map(|r| (r.code.clone(), r.name.clone(), cells(&r.columns, lang)))
            .collect(),
        ages: [
            ("strength.age_under_40", a.under_40),
            ("strength.age_40_59", a.from_40_to_59),
            ("strength.age_from_60", a.from_60),
        ]
        .map(|(k, n)| (i18n::t(lang, k, &[]), int(n, lang))),
        breakdowns: report
            .breakdowns
            .iter()
            .map(|b| {
                let parts = b
                    .parts
                    .iter()
                    .map(|(code, n)| {
                        (
                            i18n::t(lang, &hnd_domain::strength::breakdown_key(b.by, code), &[]),
                            int(*n, lang),
                        )
                    })
                    .collect();
                (i18n::t(lang, &format!("strength.by.{}", b.by), &[]), parts)
            })
            .collect(),
        lists: vec![
            (
                i18n::t(lang, "strength.new_members", &[]),
                "new-members",
                moves(&report.new_members, lang),
            ),
            (
                i18n::t(lang, "strength.lost_members", &[]),
                "lost-members",
                moves(&report.lost_members, lang),
            ),
        ],
        lists_cut: report.lists_cut,
    }
}

/// The unit asked for, or the user's own highest where they read members.
fn unit_of(viewer: &Viewer, unit: &str) -> Result<String, Refusal> {
    match unit.trim() {
        "" => viewer
            .user
            .home(Action::ViewMembers)
            .map(|g| g.unit_code.clone())
            .ok_or_else(Refusal::forbidden),
        code => Ok(code.to_string()),
    }
}

pub async fn page(State(state): State<AppState>, viewer: Viewer, Query(p): Query<StrengthParams>) -> Response {
    let unit = match unit_of(&viewer, &p.unit) {
        Ok(u) => u,
        Err(_) => return crate::shell::forbidden(&viewer),
    };
    let period = match period_of(&p.period) {
        Ok(period) => period,
        Err(e) => return app_problem(&viewer, e),
    };
    match state.app.strength_report(&viewer.actor(), &unit, period).await {
        Ok(report) => render(page_of(&report, &viewer), StatusCode::OK, viewer.lang),
        Err(e) => app_problem(&viewer, e),
    }
}

/// The workbook of the report, sent as a download.
pub fn workbook(bytes: Vec<u8>, unit: &str, period: &str) -> Response {
    let name: String = format!("thuc-luc-hoi-{unit}-{period}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect();
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<StrengthParams>,
) -> Result<Response, Refusal> {
    let unit = unit_of(&viewer, &p.unit)?;
    let period = period_of(&p.period)?;
    let bytes = state
        .app
        .strength_workbook(&viewer.actor(), &unit, period, viewer.lang)
        .await?;
    Ok(workbook(bytes, &unit, &period.code()))
}
