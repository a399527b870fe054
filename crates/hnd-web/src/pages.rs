//! The organisation tree pages: `/org` and `/org/{code}`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use hnd_domain::{Day, Lang, Level, OrgError, fmt::int, i18n};
use hnd_store::{LineageLink, Store, StoreError, Unit};
use serde::Deserialize;

/// Query string every page understands.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    as_of: Option<String>,
    lang: Option<String>,
}

/// Translations for a template: `{{ t.get("web.key") }}`.
pub struct Tr(Lang);

impl Tr {
    pub fn get(&self, key: &str) -> String {
        i18n::t(self.0, key, &[])
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }
}

/// What every page knows: language, the day it reads, the query string
/// that keeps both in links.
struct Ctx {
    lang: Lang,
    day: Day,
    query: String,
}

impl Ctx {
    fn new(params: &Params) -> Result<Ctx, Box<Response>> {
        let lang = params.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
        let day = match params.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Day::today(),
            Some(text) => Day::parse(text).map_err(|_| {
                let message = OrgError::BadDate {
                    value: text.to_string(),
                }
                .message(lang);
                Box::new(error_page(lang, StatusCode::BAD_REQUEST, message, Day::today()))
            })?,
        };
        let mut query = format!("?as_of={day}");
        if lang != Lang::Vi {
            query.push_str(&format!("&lang={}", lang.code()));
        }
        Ok(Ctx { lang, day, query })
    }
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    t: Tr,
    day: String,
    day_iso: String,
    query: String,
    lang_switch: String,
    path: Vec<Link>,
    unit: Unit,
    level: String,
    kind: Option<String>,
    exists: String,
    children: Vec<ChildRow>,
    totals: Vec<(String, String)>,
    came_from: Vec<LineageRow>,
    became: Vec<LineageRow>,
    events: Vec<EventRow>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    day: String,
    message: String,
}

struct Link {
    code: String,
    name: String,
}

struct ChildRow {
    code: String,
    name: String,
    level: String,
    bases: String,
    branches: String,
    groups: String,
}

struct LineageRow {
    code: String,
    name: String,
    date: String,
    /// The day to open the other unit on: it is alive then.
    as_of: String,
    part: bool,
}

struct EventRow {
    date: String,
    kind: String,
    author: String,
    reason: String,
}

fn render(page: impl Template, status: StatusCode) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "template").into_response(),
    }
}

fn error_page(lang: Lang, status: StatusCode, message: String, day: Day) -> Response {
    render(
        ErrorPage {
            t: Tr(lang),
            day: day.to_string(),
            message,
        },
        status,
    )
}

fn store_error(lang: Lang, e: StoreError, day: Day) -> Response {
    let status = match &e {
        StoreError::Org(OrgError::UnknownUnit { .. }) => StatusCode::NOT_FOUND,
        StoreError::Org(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error_page(lang, status, e.message(lang), day)
}

pub async fn home() -> Redirect {
    Redirect::to("/org")
}

pub async fn root_unit(State(store): State<Store>, Query(params): Query<Params>) -> Response {
    let ctx = match Ctx::new(&params) {
        Ok(ctx) => ctx,
        Err(response) => return *response,
    };
    match store.root(ctx.day).await {
        Ok(Some(root)) => unit_response(&store, &root.code, ctx).await,
        Ok(None) => error_page(
            ctx.lang,
            StatusCode::NOT_FOUND,
            i18n::t(ctx.lang, "web.empty_tree", &[]),
            ctx.day,
        ),
        Err(e) => store_error(ctx.lang, e, ctx.day),
    }
}

pub async fn unit(State(store): State<Store>, Path(code): Path<String>, Query(params): Query<Params>) -> Response {
    match Ctx::new(&params) {
        Ok(ctx) => unit_response(&store, &code, ctx).await,
        Err(response) => *response,
    }
}

async fn unit_response(store: &Store, code: &str, ctx: Ctx) -> Response {
    let (lang, day) = (ctx.lang, ctx.day);
    match unit_page(store, code, ctx).await {
        Ok(page) => render(page, StatusCode::OK),
        Err(e) => store_error(lang, e, day),
    }
}

async fn unit_page(store: &Store, code: &str, ctx: Ctx) -> Result<UnitPage, StoreError> {
    let (lang, day) = (ctx.lang, ctx.day);
    let t = |key: &str| i18n::t(lang, key, &[]);
    let details = store.unit(code, day).await?;
    let unit = details.unit.clone();
    let path = store
        .ancestors(&unit, day)
        .await?
        .into_iter()
        .map(|u| Link {
            code: u.code,
            name: u.name,
        })
        .collect();
    let counts = store.child_counts(&unit, day).await?;
    let children = store
        .children(unit.id, day)
        .await?
        .into_iter()
        .map(|c| {
            let below = counts.get(&c.id).copied().unwrap_or_default();
            ChildRow {
                level: t(c.level.label_key()),
                bases: int(below.base, lang),
                branches: int(below.branch, lang),
                groups: int(below.group, lang),
                code: c.code,
                name: c.name,
            }
        })
        .collect();
    let subtree = store.subtree_counts(&unit, day).await?;
    let totals = Level::ALL
        .into_iter()
        .filter(|l| *l > unit.level && subtree.get(*l) > 0)
        .map(|l| (t(l.label_key()), int(subtree.get(l), lang)))
        .collect();
    let lineage = store.lineage(unit.id).await?;
    let rows = |links: Vec<LineageLink>, before: bool| -> Vec<LineageRow> {
        links
            .into_iter()
            .map(|l| LineageRow {
                as_of: if before {
                    l.date.pred().to_string()
                } else {
                    l.date.to_string()
                },
                date: l.date.to_string(),
                part: l.share == "part",
                code: l.code,
                name: l.name,
            })
            .collect()
    };
    let events = store
        .events_of(unit.id)
        .await?
        .into_iter()
        .map(|e| EventRow {
            date: e.date.to_string(),
            kind: t(&format!("web.event.{}", e.kind)),
            author: e.author,
            reason: e.reason,
        })
        .collect();
    let open_end = details.exists_to == Day::FOREVER;
    let until = if open_end {
        t("web.now")
    } else {
        details.exists_to.pred().to_string()
    };
    let other = if lang == Lang::Vi { Lang::En } else { Lang::Vi };
    Ok(UnitPage {
        t: Tr(lang),
        day: day.to_string(),
        day_iso: day.iso(),
        lang_switch: format!("?as_of={day}&lang={}", other.code()),
        query: ctx.query,
        path,
        level: t(unit.level.label_key()),
        kind: details.kind.map(|k| {
            let kind = t(&format!("kind.{k}"));
            match &details.trade {
                Some(trade) => format!("{kind}: {trade}"),
                None => kind,
            }
        }),
        exists: i18n::t(lang, "web.exists", &[("from", &details.exists_from), ("to", &until)]),
        unit,
        children,
        totals,
        came_from: rows(lineage.came_from, true),
        became: rows(lineage.became, false),
        events,
    })
}
