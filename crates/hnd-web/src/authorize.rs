//! Access enforced by structure: every route of [`crate::routes`] is
//! wrapped in [`authorize`], built from the route's own [`Access`], so a
//! handler runs only for a caller the route admits.
//!
//! What the route names is resolved here: `{code}` to the unit's path in
//! today's tree, `{id}` of a member route to the member's place (and, in
//! transfer, the receiving unit's), and the caller must hold the route's
//! action there. Routes that name no unit need the action somewhere; the
//! handler (or the operation it calls) then checks the unit its input
//! names. Names that resolve to nothing go on to the handler, which
//! answers the 404 in its own shape.

use crate::api::ApiUser;
use crate::auth::Viewer;
use crate::{Access, AppState};
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hnd_domain::Principal;

/// The gate of one route.
pub async fn authorize(State((state, access)): State<(AppState, Access)>, request: Request, next: Next) -> Response {
    let action = match access {
        Access::Public => return next.run(request).await,
        Access::SignedIn | Access::Task { .. } => None,
        Access::Needs(action) => Some(action),
    };
    let (mut parts, body) = request.into_parts();
    let api = parts.uri.path().starts_with("/api/");
    // Who asks: the page's session or the API's token. A refusal here is
    // the extractor's own (sign-in redirect, 401 JSON).
    let (user, refuse): (Principal, Box<dyn Fn() -> Response + Send>) = if api {
        match ApiUser::from_request_parts(&mut parts, &state).await {
            Ok(caller) => {
                let user = caller.user.clone();
                (user, Box::new(move || caller.forbidden()))
            }
            Err(r) => return r,
        }
    } else {
        match Viewer::from_request_parts(&mut parts, &state).await {
            Ok(viewer) => {
                let user = viewer.user.clone();
                (user, Box::new(move || crate::shell::forbidden(&viewer)))
            }
            Err(r) => return r,
        }
    };
    if let Some(action) = action {
        let params = RawPathParams::from_request_parts(&mut parts, &state).await.ok();
        let named = |key: &str| {
            params
                .as_ref()
                .and_then(|p| p.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string()))
        };
        let member_route =
            parts.uri.path().starts_with("/members/") || parts.uri.path().starts_with("/api/v1/members/");
        let allowed = if let Some(code) = named("code") {
            match state.store.unit_path(&code).await {
                Ok((_, path)) => user.may(action, &path),
                Err(_) => true,
            }
        } else if let (true, Some(id)) = (member_route, named("id")) {
            match id.parse::<i64>() {
                Ok(id) => match state.store.member_place(id).await {
                    Ok(place) => {
                        let to = place.to.as_ref().map(|(_, path)| path.as_str());
                        user.may_at_either(action, &place.path, to)
                    }
                    Err(_) => true,
                },
                Err(_) => true,
            }
        } else {
            user.may_somewhere(action)
        };
        if !allowed {
            return refuse();
        }
    }
    next.run(Request::from_parts(parts, body)).await
}
