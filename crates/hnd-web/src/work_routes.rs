//! The routes of reports up the tree: pages, documents and API, and the
//! strength report's; declared like every route ([`crate::route`]) and
//! joined to the table in `routes.rs`.

use crate::authorize::Access;
use crate::route::{Route, route};
use crate::{api_report_flow, api_reports, report_pages, reports};
use axum::http::Method;
use axum::routing::{get, post, put};

pub fn routes() -> Vec<Route> {
    use Access::*;
    use hnd_domain::Action::*;
    let (g, p) = (Method::GET, Method::POST);
    vec![
        route(g.clone(), "/reports", Needs(ViewMembers), get(report_pages::page)),
        route(
            g.clone(),
            "/reports/document",
            Needs(ViewMembers),
            get(report_pages::document),
        ),
        route(p.clone(), "/reports/save", Needs(EditPlans), post(report_pages::save)),
        route(p.clone(), "/reports/step", Needs(EditPlans), post(report_pages::step)),
        route(
            p.clone(),
            "/reports/aggregate",
            Needs(EditPlans),
            post(report_pages::aggregate),
        ),
        route(g.clone(), "/reports/strength", Needs(ViewMembers), get(reports::page)),
        route(
            g.clone(),
            "/reports/strength.xlsx",
            Needs(ViewMembers),
            get(reports::download),
        ),
        route(
            g.clone(),
            "/api/v1/reports/{unit}/{form}/{period}",
            Needs(ViewMembers),
            get(api_report_flow::view),
        ),
        route(
            Method::PUT,
            "/api/v1/reports/{unit}/{form}/{period}",
            Needs(EditPlans),
            put(api_report_flow::save),
        ),
        route(
            g.clone(),
            "/api/v1/reports/{unit}/{form}/{period}/document",
            Needs(ViewMembers),
            get(api_report_flow::document),
        ),
        route(
            p.clone(),
            "/api/v1/reports/{unit}/{form}/{period}/{step}",
            Needs(EditPlans),
            post(api_report_flow::step),
        ),
        route(
            g.clone(),
            "/api/v1/reports/strength",
            Needs(ViewMembers),
            get(api_reports::strength),
        ),
    ]
}
