//! The routes of plans, their tasks and the figures entered for them:
//! pages and API, each declared with the access it needs (see
//! [`crate::routes`]).

use crate::authorize::Access;
use crate::plan_life_pages as life;
use crate::plan_reading_pages as reading;
use crate::route::{Route, route};
use crate::{
    api_figures, api_plan_life, api_plan_reading, api_plans, api_tasks, figure_entry, plan_page, plan_pages,
    plan_targets, task_forms, tasks,
};
use axum::http::Method;
use axum::routing::{get, patch, post, put};

/// Every route of plans, tasks and figures.
pub fn routes() -> Vec<Route> {
    use Access::*;
    use hnd_domain::Action::*;
    let (g, p) = (Method::GET, Method::POST);
    vec![
        route(g.clone(), "/plans", SignedIn, get(plan_pages::list)),
        route(p.clone(), "/plans", Needs(EditPlans), post(life::create)),
        route(p.clone(), "/plans/read", Needs(EditPlans), post(reading::read)).upload(reading::MAX_DOCUMENT),
        route(p.clone(), "/plans/read/create", Needs(EditPlans), post(reading::create)),
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
            p.clone(),
            "/plans/indicators",
            Needs(EditPlans),
            post(plan_pages::add_indicator),
        ),
        route(g.clone(), "/figures", Needs(ViewMembers), get(plan_pages::figures)),
        route(g.clone(), "/plans/{number}", Needs(ViewMembers), get(plan_page::show)),
        route(
            g.clone(),
            "/plans/{number}/targets.xlsx",
            Needs(ViewMembers),
            get(plan_targets::targets_sheet),
        ),
        route(
            p.clone(),
            "/plans/{number}/split",
            Needs(EditPlans),
            post(plan_targets::split),
        ),
        route(
            p.clone(),
            "/plans/{number}/targets",
            Needs(EditPlans),
            post(plan_targets::upload_targets),
        )
        .upload(plan_targets::MAX_TARGETS_SHEET),
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
        route(g.clone(), "/tasks", SignedIn, get(tasks::list)),
        route(g.clone(), "/tasks/{id}", Task { report: false }, get(tasks::show)),
        route(p.clone(), "/tasks/{id}", Task { report: true }, post(tasks::report)).upload(tasks::MAX_REPORT),
        route(
            g.clone(),
            "/tasks/{id}/files/{file}",
            Task { report: false },
            get(tasks::file),
        ),
        route(g.clone(), "/api/v1/plans", SignedIn, get(api_plans::list)),
        route(
            p.clone(),
            "/api/v1/plans/read",
            Needs(EditPlans),
            post(api_plan_reading::read),
        )
        .upload(reading::MAX_DOCUMENT),
        route(
            p.clone(),
            "/api/v1/plans/from-reading",
            Needs(EditPlans),
            post(api_plan_reading::create),
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
        route(
            g.clone(),
            "/api/v1/plans/{number}",
            Needs(ViewMembers),
            get(api_plans::show),
        ),
        route(
            g.clone(),
            "/api/v1/plans/{number}/progress",
            Needs(ViewMembers),
            get(api_plans::progress),
        ),
        route(g.clone(), "/api/v1/tasks", SignedIn, get(api_tasks::list)),
        route(
            g.clone(),
            "/api/v1/tasks/{id}",
            Task { report: false },
            get(api_tasks::show),
        ),
        route(
            p.clone(),
            "/api/v1/tasks/{id}/reports",
            Task { report: true },
            post(api_tasks::report),
        ),
        route(
            p.clone(),
            "/api/v1/plans/{number}/tasks",
            Needs(EditPlans),
            post(api_tasks::create),
        ),
        route(
            Method::PUT,
            "/api/v1/tasks/{id}",
            Needs(EditPlans),
            put(api_tasks::edit),
        ),
        route(
            g.clone(),
            "/api/v1/plans/{number}/bodies",
            Needs(ViewMembers),
            get(api_tasks::bodies),
        ),
        route(
            p.clone(),
            "/api/v1/tasks/{id}/assignments",
            Needs(EditPlans),
            post(api_tasks::assign),
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
