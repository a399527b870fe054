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

use crate::AppState;
use crate::api::ApiUser;
use crate::auth::Viewer;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hnd_domain::Principal;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in page, health, API description).
    Public,
    /// Any signed-in user; what the page shows is limited to their grants.
    SignedIn,
    /// A signed-in user allowed this action on the unit or member the
    /// route names (`{code}` or `{id}`), or on the unit named in the
    /// request for routes that name none.
    Needs(hnd_domain::Action),
    /// A signed-in user who may read the task the route names (`{id}`):
    /// whoever may read its plan, or an account acting for a body the
    /// task names; with `report`, who may report on it (an officer of the
    /// plan's issuing unit, or that body's account).
    Task { report: bool },
}

tokio::task_local! {
    /// The member the gate resolved for this request, so that the handler
    /// running in the same task asks the store once, not twice.
    static RESOLVED: (i64, hnd_store::MemberPlace);
}

/// Member `id`'s place: as the gate resolved it for this request, else
/// from the store.
pub async fn member_place(store: &hnd_store::Store, id: i64) -> hnd_store::Result<hnd_store::MemberPlace> {
    let known = RESOLVED.try_with(|(resolved, place)| (*resolved == id).then(|| place.clone()));
    match known.ok().flatten() {
        Some(place) => Ok(place),
        None => store.member_place(id).await,
    }
}

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
        let mut resolved = None;
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
                        let allowed = user.may_at_either(action, &place.path, to);
                        resolved = Some((id, place));
                        allowed
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
        if let Some(resolved) = resolved {
            return RESOLVED
                .scope(resolved, next.run(Request::from_parts(parts, body)))
                .await;
        }
    }
    next.run(Request::from_parts(parts, body)).await
}
