//! Choosing a unit by its name: the JSON the unit fields' picker asks for
//! (`/units/pick?for=EditMembers&q=cam thanh`), and the script that draws
//! the picker and the date fields' calendar (`/static/app.js`).

use crate::auth::Viewer;
use crate::shell::store_problem;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hnd_domain::Action;
use hnd_store::Store;
use serde::Deserialize;

/// How many units the picker lists at most.
const LIMIT: usize = 20;

#[derive(Debug, Deserialize)]
pub struct PickParams {
    #[serde(default)]
    q: String,
    /// The action the unit is chosen for, by name (`EditMembers`): the
    /// units offered are those where the user may do it; `transfer`: the
    /// destination of a transfer, anywhere.
    #[serde(default, rename = "for")]
    action: String,
}

/// Units whose name or code matches `q` where the user may do the action
/// asked for (seeing members when it names none); none outside.
pub async fn pick(State(store): State<Store>, viewer: Viewer, Query(p): Query<PickParams>) -> Response {
    let scopes = if p.action == "transfer" {
        // A member may move anywhere in the country: every unit is offered
        // (a unit's name and code are public; its members are not).
        vec!["/".to_string()]
    } else {
        let action = Action::ALL
            .into_iter()
            .find(|a| format!("{a:?}") == p.action)
            .unwrap_or(Action::ViewMembers);
        viewer.user.scopes(action)
    };
    match store.find_units(&scopes, &p.q, LIMIT).await {
        Ok(found) => Json(found).into_response(),
        Err(e) => store_problem(&viewer, e),
    }
}

/// The pages' script: progressive, every page works without it.
pub async fn app_js() -> Response {
    let mut response = include_str!("../static/app.js").into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}
