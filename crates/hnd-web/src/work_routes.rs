//! The routes of the Union's cycle of work: a plan's life and its tasks'
//! forms, data entry, fees, reports up the tree (pages, documents, API),
//! the strength report, the import wizard and the saved import mappings; declared like every route ([`crate::route`]) and
//! joined to the table in `routes.rs`.

use crate::authorize::Access;
use crate::plan_life_pages as life;
use crate::route::{Route, route};
use crate::{
    api_fees, api_figures, api_import_mappings, api_plan_life, api_report_flow, api_reports, fees, figure_entry, files,
    report_pages, reports, task_forms,
};
use axum::http::Method;
use axum::routing::{delete, get, patch, post, put};

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
        route(g.clone(), "/import/map/{id}", Needs(Import), get(files::map_page)),
        route(p.clone(), "/import/map/{id}", Needs(Import), post(files::map_post)),
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
            "/api/v1/units/{code}/import-mappings",
            Needs(Import),
            get(api_import_mappings::list),
        ),
        route(
            g.clone(),
            "/api/v1/units/{code}/import-mappings/{name}",
            Needs(Import),
            get(api_import_mappings::show),
        ),
        route(
            Method::PUT,
            "/api/v1/units/{code}/import-mappings/{name}",
            Needs(Import),
            put(api_import_mappings::save),
        ),
        route(
            Method::DELETE,
            "/api/v1/units/{code}/import-mappings/{name}",
            Needs(Import),
            delete(api_import_mappings::delete),
        ),
        route(
            g.clone(),
            "/api/v1/reports/strength",
            Needs(ViewMembers),
            get(api_reports::strength),
        ),
        route(g.clone(), "/fees", Needs(ViewMembers), get(fees::page)),
        route(p.clone(), "/fees/rate", Needs(EditPlans), post(fees::set_rate)),
        route(p.clone(), "/fees/pay", Needs(EditMembers), post(fees::record)),
        route(p.clone(), "/plans", Needs(EditPlans), post(life::create)),
        route(p.clone(), "/plans/{number}/edit", Needs(EditPlans), post(life::edit)),
        route(p.clone(), "/plans/{number}/issue", Needs(EditPlans), post(life::issue)).upload(life::MAX_DOCUMENT),
        route(
            p.clone(),
            "/plans/{number}/withdraw",
            Needs(EditPlans),
            post(life::withdraw),
        ),
        route(
            p.clone(),
            "/plans/{number}/version",
            Needs(EditPlans),
            post(life::version),
        ),
        route(
            g.clone(),
            "/plans/{number}/document",
            Needs(ViewMembers),
            get(life::document),
        ),
        route(
            g.clone(),
            "/plans/{number}/tasks/new",
            Needs(EditPlans),
            get(task_forms::new_form),
        ),
        route(
            p.clone(),
            "/plans/{number}/tasks",
            Needs(EditPlans),
            post(task_forms::create),
        ),
        route(
            g.clone(),
            "/tasks/{id}/edit",
            Needs(EditPlans),
            get(task_forms::edit_form),
        ),
        route(p.clone(), "/tasks/{id}/edit", Needs(EditPlans), post(task_forms::edit)),
        route(
            p.clone(),
            "/tasks/{id}/assign",
            Needs(EditPlans),
            post(task_forms::assign),
        ),
        route(
            g.clone(),
            "/units/{code}/values",
            Needs(ViewMembers),
            get(figure_entry::show),
        ),
        route(
            p.clone(),
            "/units/{code}/values",
            Needs(EditPlans),
            post(figure_entry::enter),
        ),
        route(
            p.clone(),
            "/api/v1/plans",
            Needs(EditPlans),
            post(api_plan_life::create),
        ),
        route(
            Method::PATCH,
            "/api/v1/plans/{number}",
            Needs(EditPlans),
            patch(api_plan_life::edit),
        ),
        route(
            p.clone(),
            "/api/v1/plans/{number}/issue",
            Needs(EditPlans),
            post(api_plan_life::issue),
        ),
        route(
            p.clone(),
            "/api/v1/plans/{number}/withdraw",
            Needs(EditPlans),
            post(api_plan_life::withdraw),
        ),
        route(g.clone(), "/api/v1/fees", Needs(ViewMembers), get(api_fees::report)),
        route(
            Method::PUT,
            "/api/v1/fees/rates/{unit}/{year}",
            Needs(EditPlans),
            put(api_fees::set_rate),
        ),
        route(
            p.clone(),
            "/api/v1/fees/payments",
            Needs(EditMembers),
            post(api_fees::pay),
        ),
        route(
            g.clone(),
            "/api/v1/members/{id}/fees",
            Needs(ViewMembers),
            get(api_fees::member),
        ),
        route(
            g.clone(),
            "/api/v1/units/{code}/values/{period}",
            Needs(ViewMembers),
            get(api_figures::grid),
        ),
        route(
            Method::PUT,
            "/api/v1/units/{code}/values/{period}",
            Needs(EditPlans),
            put(api_figures::enter),
        ),
    ]
}
