//! The organisation tree pages: `/org` and `/org/{code}`.

use crate::auth::Viewer;
use crate::shell::{Nav, Tr, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::{Action, Day, Lang, Level, OrgError, Principal, fmt::int, i18n};
use hnd_store::{LineageLink, Store, StoreError, Unit, UnitDetails};
use serde::Deserialize;

/// Query string every page understands.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    as_of: Option<String>,
    lang: Option<String>,
}

/// What every page knows: language, the day it reads, the query string
/// that keeps both in links.
struct Ctx {
    lang: Lang,
    day: Day,
    query: String,
    nav: Option<Nav>,
    /// Where the user may open the tree: the units a breadcrumb links.
    scopes: Vec<String>,
}

impl Ctx {
    /// Reads the query string of a request to `action`; a date that does
    /// not exist is refused with a form (back to `action`) to correct it.
    fn new(params: &Params, action: &str, viewer: &Viewer) -> Result<Ctx, Failure> {
        let lang = params.lang.as_deref().and_then(Lang::parse).unwrap_or(viewer.lang);
        let day = match params.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Day::today(),
            Some(text) => Day::parse(text).map_err(|_| Failure {
                lang,
                nav: Some(Nav::of(viewer, action)),
                status: StatusCode::BAD_REQUEST,
                message: OrgError::BadDate {
                    value: text.to_string(),
                }
                .message(lang),
                action: action.to_string(),
                date: text.to_string(),
            })?,
        };
        Ok(Ctx {
            lang,
            day,
            query: query(day, lang),
            nav: Some(Nav::of(viewer, action)),
            scopes: viewer.user.scopes(Action::ViewTree),
        })
    }

    fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key, &[])
    }

    /// A page that could not be shown for this request.
    fn fail(&self, status: StatusCode, message: String, action: &str) -> Failure {
        Failure {
            lang: self.lang,
            nav: self.nav.as_ref().cloned(),
            status,
            message,
            action: action.to_string(),
            date: self.day.to_string(),
        }
    }

    /// A store error as a page: a rule of the tree (unknown unit, ...) is
    /// told as is; anything else is logged and told only in general terms.
    fn store_failure(&self, e: StoreError, action: &str) -> Failure {
        match &e {
            StoreError::Org(OrgError::UnknownUnit { .. }) => {
                self.fail(StatusCode::NOT_FOUND, e.message(self.lang), action)
            }
            StoreError::Org(_) => self.fail(StatusCode::BAD_REQUEST, e.message(self.lang), action),
            _ => {
                tracing::error!(error = %e, action, "store");
                self.fail(StatusCode::INTERNAL_SERVER_ERROR, self.t("web.internal"), action)
            }
        }
    }
}

/// `?as_of=dd/mm/yyyy`, with `&lang=` when not the default language.
fn query(day: Day, lang: Lang) -> String {
    if lang == Lang::default() {
        format!("?as_of={day}")
    } else {
        format!("?as_of={day}&lang={}", lang.code())
    }
}

/// `?lang=` for links that drop the day, empty in the default language.
fn lang_query(lang: Lang) -> String {
    if lang == Lang::default() {
        String::new()
    } else {
        format!("?lang={}", lang.code())
    }
}

/// A request that ends on an error page: the message, and a form that
/// resends the request to `action` with another date.
pub struct Failure {
    lang: Lang,
    nav: Option<Nav>,
    status: StatusCode,
    message: String,
    action: String,
    /// What the date field is filled with: the text to correct.
    date: String,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let root = format!("/org{}", lang_query(self.lang));
        let page = MessagePage {
            t: Tr(self.lang),
            nav: self.nav,
            title: i18n::t(self.lang, "web.error", &[]),
            alert: true,
            message: self.message,
            action: self.action,
            date: self.date,
            root,
        };
        render(page, self.status, self.lang)
    }
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    t: Tr,
    nav: Option<Nav>,
    /// Whether the user may change this unit (a link to the forms).
    can_edit: bool,
    day: String,
    day_iso: String,
    query: String,
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

/// A page that only says one thing: an error, or an empty state.
#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    t: Tr,
    nav: Option<Nav>,
    title: String,
    /// An error (announced to screen readers) rather than an empty state.
    alert: bool,
    message: String,
    /// Where the date form goes.
    action: String,
    date: String,
    /// The root page in the same language, on today's tree.
    root: String,
}

struct Link {
    code: String,
    name: String,
    /// Whether the user may open it: a breadcrumb never leads to a refusal.
    open: bool,
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
    /// `?as_of=...` of a day the other unit is alive.
    query: String,
    part: bool,
}

struct EventRow {
    date: String,
    kind: String,
    author: String,
    reason: String,
}

/// The root for who may read the whole tree; anyone else goes to the
/// highest unit they may read.
pub async fn root_unit(
    State(store): State<Store>,
    viewer: Viewer,
    Query(params): Query<Params>,
) -> Result<Response, Failure> {
    const ACTION: &str = "/org";
    let ctx = Ctx::new(&params, ACTION, &viewer)?;
    let Some(home) = viewer.user.home(Action::ViewTree) else {
        return Err(ctx.fail(
            StatusCode::FORBIDDEN,
            hnd_domain::AccountError::Forbidden.message(ctx.lang),
            ACTION,
        ));
    };
    if home.path.matches('/').count() > 2 {
        return Ok(Redirect::to(&format!("/org/{}{}", home.unit_code, ctx.query)).into_response());
    }
    let root = store.root(ctx.day).await.map_err(|e| ctx.store_failure(e, ACTION))?;
    match root {
        Some(root) => {
            let can_edit = viewer.user.may(Action::EditTree, &root.path);
            unit_response(&store, &root.code, ctx, can_edit).await
        }
        None => empty_tree(&store, &ctx).await,
    }
}

/// No root on the day: an empty database is a state to explain (how to
/// fill it), a day before the tree began is a page not found.
async fn empty_tree(store: &Store, ctx: &Ctx) -> Result<Response, Failure> {
    const ACTION: &str = "/org";
    let empty = store.tree_is_empty().await.map_err(|e| ctx.store_failure(e, ACTION))?;
    if !empty {
        let message = i18n::t(ctx.lang, "web.no_tree_on_day", &[("date", &ctx.day)]);
        return Err(ctx.fail(StatusCode::NOT_FOUND, message, ACTION));
    }
    let page = MessagePage {
        t: Tr(ctx.lang),
        nav: ctx.nav.as_ref().cloned(),
        title: ctx.t("web.empty_title"),
        alert: false,
        message: ctx.t("web.empty_db"),
        action: ACTION.to_string(),
        date: ctx.day.to_string(),
        root: format!("/org{}", lang_query(ctx.lang)),
    };
    Ok(render(page, StatusCode::OK, ctx.lang))
}

/// May `user` do `action` on unit `unit_id`, whatever day it is shown on?
/// The one rule for past days (tree pages, the dashboard, the API's unit):
/// today's grants on today's tree, the unit judged where it is today, or
/// through its successors if it no longer exists ([`Store::access_paths`]).
pub(crate) async fn may_on(store: &Store, user: &Principal, action: Action, unit_id: i64) -> Result<bool, StoreError> {
    let paths = store.access_paths(unit_id).await?;
    Ok(paths.iter().any(|p| user.may(action, p)))
}

pub async fn unit(
    State(store): State<Store>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, Failure> {
    let action = format!("/org/{code}");
    let ctx = Ctx::new(&params, &action, &viewer)?;
    // The unit as it stood on the day asked for; access to it is decided
    // by today's grants on today's tree (see `may_on`).
    let unit = match store.unit(&code, ctx.day).await {
        Ok(u) => u.unit,
        Err(e) => return Err(ctx.store_failure(e, &action)),
    };
    let allowed = may_on(&store, &viewer.user, Action::ViewTree, unit.id)
        .await
        .map_err(|e| ctx.store_failure(e, &action))?;
    if !allowed {
        return Err(ctx.fail(
            StatusCode::FORBIDDEN,
            hnd_domain::AccountError::Forbidden.message(ctx.lang),
            &action,
        ));
    }
    // Only a unit alive today is edited, on its place today.
    let can_edit = match store.unit_path(&code).await {
        Ok((id, path)) => id == unit.id && viewer.user.may(Action::EditTree, &path),
        Err(_) => false,
    };
    unit_response(&store, &code, ctx, can_edit).await
}

async fn unit_response(store: &Store, code: &str, ctx: Ctx, can_edit: bool) -> Result<Response, Failure> {
    match unit_page(store, code, &ctx).await {
        Ok(mut page) => {
            page.can_edit = can_edit;
            Ok(render(page, StatusCode::OK, ctx.lang))
        }
        Err(e) => Err(ctx.store_failure(e, &format!("/org/{code}"))),
    }
}

async fn unit_page(store: &Store, code: &str, ctx: &Ctx) -> Result<UnitPage, StoreError> {
    let (lang, day) = (ctx.lang, ctx.day);
    let details = store.unit(code, day).await?;
    let unit = details.unit.clone();
    let path = store
        .ancestors(&unit, day)
        .await?
        .into_iter()
        .map(|u| Link {
            open: ctx.scopes.iter().any(|s| u.path.starts_with(s.as_str())),
            code: u.code,
            name: u.name,
        })
        .collect();
    let children = child_rows(store, &unit, ctx).await?;
    let subtree = store.subtree_counts(&unit, day).await?;
    let totals = Level::ALL
        .into_iter()
        .filter(|l| *l > unit.level && subtree.get(*l) > 0)
        .map(|l| (ctx.t(l.label_key()), int(subtree.get(l), lang)))
        .collect();
    let lineage = store.lineage(unit.id).await?;
    let events = store
        .events_of(unit.id)
        .await?
        .into_iter()
        .map(|e| EventRow {
            date: e.date.to_string(),
            kind: ctx.t(&format!("web.event.{}", e.kind)),
            author: e.author,
            reason: e.reason,
        })
        .collect();
    Ok(UnitPage {
        t: Tr(lang),
        nav: ctx.nav.as_ref().cloned(),
        can_edit: false,
        day: day.to_string(),
        day_iso: day.iso(),
        query: ctx.query.clone(),
        path,
        level: ctx.t(unit.level.label_key()),
        kind: kind_label(&details, ctx),
        exists: lifetime(&details, ctx),
        unit,
        children,
        totals,
        came_from: lineage_rows(lineage.came_from, Before, lang),
        became: lineage_rows(lineage.became, On, lang),
        events,
    })
}

/// The children of `unit` with the units below each, counted in one query.
async fn child_rows(store: &Store, unit: &Unit, ctx: &Ctx) -> Result<Vec<ChildRow>, StoreError> {
    let counts = store.child_counts(unit, ctx.day).await?;
    let children = store.children(unit.id, ctx.day).await?;
    Ok(children
        .into_iter()
        .map(|c| {
            let below = counts.get(&c.id).copied().unwrap_or_default();
            ChildRow {
                level: ctx.t(c.level.label_key()),
                bases: int(below.base, ctx.lang),
                branches: int(below.branch, ctx.lang),
                groups: int(below.group, ctx.lang),
                code: c.code,
                name: c.name,
            }
        })
        .collect())
}

/// "residential" or "professional: rice", in the page's language.
fn kind_label(details: &UnitDetails, ctx: &Ctx) -> Option<String> {
    let kind = ctx.t(&format!("kind.{}", details.kind?));
    Some(match &details.trade {
        Some(trade) => format!("{kind}: {trade}"),
        None => kind,
    })
}

/// "active from 01/07/2025 to now"; the stored end is exclusive.
fn lifetime(details: &UnitDetails, ctx: &Ctx) -> String {
    let until = if details.exists_to == Day::FOREVER {
        ctx.t("web.now")
    } else {
        details.exists_to.pred().to_string()
    };
    i18n::t(
        ctx.lang,
        "web.exists",
        &[("from", &details.exists_from), ("to", &until)],
    )
}

/// Which day a lineage link opens the other unit on.
#[derive(Clone, Copy)]
enum LinkDay {
    /// The day before the change: a unit this one came from still lives.
    Before,
    /// The day of the change: a unit this one became already lives.
    On,
}
use LinkDay::{Before, On};

fn lineage_rows(links: Vec<LineageLink>, when: LinkDay, lang: Lang) -> Vec<LineageRow> {
    links
        .into_iter()
        .map(|l| LineageRow {
            query: query(
                match when {
                    Before => l.date.pred(),
                    On => l.date,
                },
                lang,
            ),
            date: l.date.to_string(),
            part: l.share == "part",
            code: l.code,
            name: l.name,
        })
        .collect()
}
