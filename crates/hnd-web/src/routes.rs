//! Every route of the application, declared once with the access it needs
//! ([`routes`]): the router is built from this table and the access tests
//! walk it, so a new route cannot be left out of either.

use crate::authorize::Access;
use crate::refusal::Refusal;
use crate::request::JsonBody;
use crate::route::{Route, route};
use crate::{
    accounts, api, api_doc, api_fees, api_households, api_import_mappings, api_members, api_plans, api_profiles,
    api_register, auth, dashboard, fees, files, households, member_steps, members, org_edit, pages, profiles,
    unit_picker,
};
use axum::http::Method;
use axum::response::Response;
use axum::routing::{delete, get, patch, post, put};
use serde::de::DeserializeOwned;

/// A `POST` on a member in the API whose handler is told what its route
/// names (`named`): a step of a membership (`POST
/// /api/v1/members/{id}/admit`…), or how a transfer is settled.
fn api_member_post<F, Fut, B>(path: &'static str, named: &'static str, handler: F) -> Route
where
    F: Fn(&'static str, hnd_app::App, api::ApiUser, i64, JsonBody<B>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response, Refusal>> + Send + 'static,
    B: DeserializeOwned + Send + 'static,
{
    use axum::extract::{Path, State};
    let handler = post(
        move |State(app): State<hnd_app::App>, caller: api::ApiUser, Path(id): Path<i64>, body: JsonBody<B>| {
            handler(named, app, caller, id, body)
        },
    );
    route(
        Method::POST,
        path,
        Access::Needs(hnd_domain::Action::EditMembers),
        handler,
    )
}

/// Every route of the application.
pub fn routes() -> Vec<Route> {
    use Access::*;
    use hnd_domain::Action::*;
    let (g, p) = (Method::GET, Method::POST);
    vec![
        route(g.clone(), "/healthz", Public, get(|| async { "ok" })),
        route(g.clone(), "/static/app.js", Public, get(unit_picker::app_js)),
        route(g.clone(), "/units/pick", SignedIn, get(unit_picker::pick)),
        route(g.clone(), "/login", Public, get(auth::login_page)),
        route(p.clone(), "/login", Public, post(auth::login)),
        route(p.clone(), "/logout", SignedIn, post(auth::logout)),
        route(g.clone(), "/lang/{code}", Public, get(auth::set_lang)),
        route(g.clone(), "/account/password", SignedIn, get(auth::password_form)),
        route(p.clone(), "/account/password", SignedIn, post(auth::change_password)),
        route(g.clone(), "/", SignedIn, get(members::home)),
        route(g.clone(), "/org", Needs(ViewTree), get(pages::root_unit)),
        route(g.clone(), "/org/{code}", Needs(ViewTree), get(pages::unit)),
        route(g.clone(), "/org/{code}/edit", Needs(EditTree), get(org_edit::edit_page)),
        route(p.clone(), "/org/{code}/rename", Needs(EditTree), post(org_edit::rename)),
        route(
            p.clone(),
            "/org/{code}/children",
            Needs(EditTree),
            post(org_edit::add_child),
        ),
        route(
            p.clone(),
            "/org/{code}/move",
            Needs(EditTree),
            post(org_edit::move_unit),
        ),
        route(p.clone(), "/org/{code}/merge", Needs(EditTree), post(org_edit::merge)),
        route(p.clone(), "/org/{code}/split", Needs(EditTree), post(org_edit::split)),
        route(
            p.clone(),
            "/org/{code}/dissolve",
            Needs(EditTree),
            post(org_edit::dissolve),
        ),
        route(g.clone(), "/dashboard", Needs(ViewMembers), get(dashboard::dashboard)),
        route(g.clone(), "/fees", Needs(ViewMembers), get(fees::page)),
        route(p.clone(), "/fees/rate", Needs(EditPlans), post(fees::set_rate)),
        route(p.clone(), "/fees/pay", Needs(EditMembers), post(fees::record)),
        route(g.clone(), "/members", Needs(ViewMembers), get(members::list)),
        route(g.clone(), "/members/new", Needs(EditMembers), get(members::new_form)),
        route(p.clone(), "/members", Needs(EditMembers), post(members::create)),
        route(g.clone(), "/members/{id}", Needs(ViewMembers), get(members::show)),
        route(
            p.clone(),
            "/members/{id}/transfer",
            Needs(EditMembers),
            post(members::transfer),
        ),
        route(
            p.clone(),
            "/members/{id}/confirm-transfer",
            Needs(EditMembers),
            post(members::confirm_transfer),
        ),
        route(
            p.clone(),
            "/members/{id}/step",
            Needs(EditMembers),
            post(member_steps::step),
        ),
        route(
            p.clone(),
            "/members/{id}/correct",
            Needs(EditMembers),
            post(member_steps::correct),
        ),
        route(
            p.clone(),
            "/members/{id}/household",
            Needs(EditMembers),
            post(households::create),
        ),
        route(
            p.clone(),
            "/members/{id}/household/join",
            Needs(EditMembers),
            post(households::join),
        ),
        route(
            p.clone(),
            "/members/{id}/household/category",
            Needs(EditMembers),
            post(households::category),
        ),
        route(
            g.clone(),
            "/applicants",
            Needs(EditMembers),
            get(member_steps::applicants),
        ),
        route(
            g.clone(),
            "/duplicates",
            Needs(EditMembers),
            get(member_steps::duplicates),
        ),
        route(
            p.clone(),
            "/duplicates/decide",
            Needs(EditMembers),
            post(member_steps::decide_duplicate),
        ),
        route(
            p.clone(),
            "/applicants/admit",
            Needs(EditMembers),
            post(member_steps::admit_chosen),
        ),
        route(
            p.clone(),
            "/members/{id}/cancel-transfer",
            Needs(EditMembers),
            post(members::cancel_transfer),
        ),
        route(
            p.clone(),
            "/members/{id}/remove",
            Needs(EditMembers),
            post(members::remove),
        ),
        route(
            g.clone(),
            "/members/{id}/profile",
            Needs(EditMembers),
            get(profiles::edit_form),
        ),
        route(
            p.clone(),
            "/members/{id}/profile",
            Needs(EditMembers),
            post(profiles::save),
        ),
        route(
            p.clone(),
            "/members/{id}/roles",
            Needs(EditMembers),
            post(profiles::add_role),
        ),
        route(
            p.clone(),
            "/members/{id}/roles/{entry}/remove",
            Needs(EditMembers),
            post(profiles::remove_role),
        ),
        route(
            p.clone(),
            "/members/{id}/titles",
            Needs(EditMembers),
            post(profiles::add_title),
        ),
        route(
            p.clone(),
            "/members/{id}/titles/{entry}/remove",
            Needs(EditMembers),
            post(profiles::remove_title),
        ),
        route(
            p.clone(),
            "/members/{id}/ratings",
            Needs(EditMembers),
            post(profiles::add_rating),
        ),
        route(
            p.clone(),
            "/members/{id}/ratings/{year}/remove",
            Needs(EditMembers),
            post(profiles::remove_rating),
        ),
        // The photo is personal data: seen and changed only with access to it.
        route(
            g.clone(),
            "/members/{id}/photo",
            Needs(ViewSensitive),
            get(profiles::photo),
        ),
        route(
            p.clone(),
            "/members/{id}/photo",
            Needs(ViewSensitive),
            post(profiles::upload_photo),
        )
        .upload(profiles::MAX_PHOTO_REQUEST),
        route(
            p.clone(),
            "/members/{id}/photo/remove",
            Needs(ViewSensitive),
            post(profiles::remove_photo),
        ),
        route(
            g.clone(),
            "/members/{id}/audit",
            Needs(ViewAudit),
            get(members::member_audit),
        ),
        route(
            g.clone(),
            "/transfers",
            Needs(EditMembers),
            get(members::incoming_transfers),
        ),
        route(g.clone(), "/audit", Needs(ViewAudit), get(members::audit_page)),
        route(g.clone(), "/users", Needs(ManageUsers), get(accounts::list)),
        route(p.clone(), "/users", Needs(ManageUsers), post(accounts::create)),
        route(
            p.clone(),
            "/users/{login}/grant",
            Needs(ManageUsers),
            post(accounts::grant),
        ),
        route(
            p.clone(),
            "/users/{login}/revoke",
            Needs(ManageUsers),
            post(accounts::revoke),
        ),
        route(
            p.clone(),
            "/users/{login}/password",
            Needs(ManageUsers),
            post(accounts::password),
        ),
        route(
            p.clone(),
            "/users/{login}/tokens",
            Needs(ManageUsers),
            post(accounts::token),
        ),
        route(
            p.clone(),
            "/users/{login}/tokens/{reference}/revoke",
            Needs(ManageUsers),
            post(accounts::revoke_token),
        ),
        route(g.clone(), "/export", Needs(Export), get(files::export)),
        route(g.clone(), "/import", Needs(Import), get(files::import_page)),
        route(p.clone(), "/import", Needs(Import), post(files::upload)).upload(files::MAX_UPLOAD),
        route(g.clone(), "/import/template.csv", Public, get(files::template)),
        route(g.clone(), "/import/{job}", Needs(Import), get(files::job_page)),
        route(g.clone(), "/import/map/{id}", Needs(Import), get(files::map_page)),
        route(p.clone(), "/import/map/{id}", Needs(Import), post(files::map_post)),
        route(
            g.clone(),
            "/import/{job}/errors.csv",
            Needs(Import),
            get(files::job_errors),
        ),
        route(g.clone(), "/api/openapi.json", Public, get(api_doc::openapi)),
        route(g.clone(), "/api/docs", Public, get(api_doc::docs)),
        route(g.clone(), "/api/v1/me", SignedIn, get(api::me)),
        route(g.clone(), "/api/v1/units/{code}", Needs(ViewTree), get(api::unit)),
        route(
            g.clone(),
            "/api/v1/units/{code}/children",
            Needs(ViewMembers),
            get(api_plans::children),
        ),
        route(
            g.clone(),
            "/api/v1/members",
            Needs(ViewMembers),
            get(api_register::list_members),
        ),
        route(
            p.clone(),
            "/api/v1/members",
            Needs(EditMembers),
            post(api_register::create_member),
        ),
        route(
            g.clone(),
            "/api/v1/members/{id}",
            Needs(ViewMembers),
            get(api_register::member),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/transfer",
            Needs(EditMembers),
            post(api_register::transfer),
        ),
        route(
            Method::PATCH,
            "/api/v1/members/{id}",
            Needs(EditMembers),
            patch(api_members::correct),
        ),
        route(
            p.clone(),
            "/api/v1/admissions",
            Needs(EditMembers),
            post(api_members::admit),
        ),
        route(
            g.clone(),
            "/api/v1/members/{id}/profile",
            Needs(ViewMembers),
            get(api_profiles::profile),
        ),
        route(
            Method::PUT,
            "/api/v1/members/{id}/profile",
            Needs(EditMembers),
            put(api_profiles::put_profile),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/roles",
            Needs(EditMembers),
            post(api_profiles::add_role),
        ),
        route(
            Method::DELETE,
            "/api/v1/members/{id}/roles/{entry}",
            Needs(EditMembers),
            delete(api_profiles::remove_role),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/titles",
            Needs(EditMembers),
            post(api_profiles::add_title),
        ),
        route(
            Method::DELETE,
            "/api/v1/members/{id}/titles/{entry}",
            Needs(EditMembers),
            delete(api_profiles::remove_title),
        ),
        route(
            p.clone(),
            "/api/v1/members/{id}/ratings",
            Needs(EditMembers),
            post(api_profiles::add_rating),
        ),
        route(
            Method::DELETE,
            "/api/v1/members/{id}/ratings/{year}",
            Needs(EditMembers),
            delete(api_profiles::remove_rating),
        ),
        route(g.clone(), "/api/v1/fees", Needs(ViewMembers), get(api_fees::report)),
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
            "/api/v1/households/{id}",
            Needs(ViewMembers),
            get(api_households::household),
        ),
        route(
            p.clone(),
            "/api/v1/households",
            Needs(EditMembers),
            post(api_households::create),
        ),
        route(
            p.clone(),
            "/api/v1/households/{id}/members",
            Needs(EditMembers),
            post(api_households::join),
        ),
        route(
            Method::PUT,
            "/api/v1/households/{id}/categories/{year}",
            Needs(EditMembers),
            put(api_households::category),
        ),
    ]
    .into_iter()
    .chain(crate::routes_plans::routes())
    .chain(crate::work_routes::routes())
    .chain(
        api_members::STEPS
            .into_iter()
            .map(|(step, path)| api_member_post(path, step, api_members::step)),
    )
    .chain(
        api_register::SETTLEMENTS
            .into_iter()
            .map(|(how, path)| api_member_post(path, how, api_register::settle_transfer)),
    )
    .collect()
}
