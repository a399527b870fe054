//! The JSON API under `/api/v1`: the same operations and the same access
//! rules as the pages, for scripts.
//!
//! Authentication: `Authorization: Bearer TOKEN` (from `hnd users token`),
//! or the browser's session cookie, in which case a request that changes
//! anything must also carry the session's form token in `X-CSRF-Token`.
//! Every error has the body `{"error": {"code", "message", "field"}}` with
//! a message in the request's language (`?lang=` or `Accept-Language`);
//! internal failures are logged, never described.

use crate::AppState;
use crate::auth::{SESSION_COOKIE, address_of};
use crate::refusal::Refusal;
use crate::request::cookie;
pub(crate) use crate::request::{api_lang, error};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hnd_domain::{AccountError, Action, Day, Lang, Principal, i18n};
use hnd_store::{Store, StoreError};
use serde::Deserialize;
use serde_json::json;

pub(crate) fn store_error(e: StoreError, lang: Lang) -> Response {
    refusal(Refusal::from(e), lang)
}

/// A refused or failed operation, in the documented shape (with the
/// field when one field is refused).
pub(crate) fn app_error(e: hnd_app::AppError, lang: Lang) -> Response {
    refusal(Refusal::from(e), lang)
}

/// A refusal as the API's JSON error, in `lang`.
pub(crate) fn refusal(r: Refusal, lang: Lang) -> Response {
    error(r.status(), r.code(), r.message(lang), r.field())
}

/// The caller of an API request.
pub struct ApiUser {
    pub user: Principal,
    pub lang: Lang,
    pub address: String,
}

impl ApiUser {
    /// The caller as the subject of an operation.
    pub(crate) fn actor(&self) -> hnd_app::Actor {
        hnd_app::Actor::user(
            self.user.clone(),
            self.address.clone(),
            hnd_app::Channel::Api,
            self.lang,
        )
    }

    pub(crate) fn forbidden(&self) -> Response {
        error(
            StatusCode::FORBIDDEN,
            "forbidden",
            AccountError::Forbidden.message(self.lang),
            None,
        )
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiUser, Response> {
        let lang = api_lang(parts);
        let unauthorized = || {
            error(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                i18n::t(lang, "web.api_unauthorized", &[]),
                None,
            )
        };
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let user = if let Some(token) = bearer {
            crate::auth::api_principal_of(state, token).await
        } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            match crate::auth::session_of(state, &token).await {
                Ok(Some((user, csrf))) => {
                    let given = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
                    if parts.method != Method::GET && given != Some(csrf.as_str()) {
                        return Err(error(
                            StatusCode::FORBIDDEN,
                            "csrf",
                            i18n::t(lang, "web.csrf", &[]),
                            None,
                        ));
                    }
                    Ok(Some(user))
                }
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            }
        } else {
            Ok(None)
        };
        match user {
            Ok(Some(user)) => Ok(ApiUser {
                user,
                lang,
                address: address_of(parts),
            }),
            Ok(None) => Err(unauthorized()),
            Err(e) => Err(store_error(e, lang)),
        }
    }
}

pub async fn me(caller: ApiUser) -> Response {
    Json(caller.user).into_response()
}

/// `?as_of=`: the day a read is for.
#[derive(Deserialize)]
pub struct AsOf {
    as_of: Option<String>,
}

impl AsOf {
    /// The day asked for (today without one); a bad one is refused (400,
    /// naming `as_of`).
    pub fn day(&self) -> Result<Day, Refusal> {
        Day::parse_or_today(self.as_of.as_deref().unwrap_or(""))
            .map_err(|e| Refusal::value(StatusCode::BAD_REQUEST, "as_of", move |lang| e.message(lang)))
    }

    /// The unit `code` on the day asked for, once `caller` may do `action`
    /// there (on that day's tree).
    pub async fn unit(
        &self,
        store: &Store,
        caller: &ApiUser,
        code: &str,
        action: Action,
    ) -> Result<(Day, hnd_store::UnitDetails), Refusal> {
        let day = self.day()?;
        let details = store.unit(code, day).await?;
        if !crate::pages::may_on(store, &caller.user, action, details.unit.id).await? {
            return Err(Refusal::forbidden());
        }
        Ok((day, details))
    }
}

pub async fn unit(
    State(store): State<Store>,
    caller: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Response, Refusal> {
    let (day, details) = q.unit(&store, &caller, &code, Action::ViewTree).await?;
    let (children, members) = tokio::try_join!(store.children(details.unit.id, day), store.count_members(&code, day))?;
    let children: Vec<_> = children
        .into_iter()
        .map(|c| json!({"code": c.code, "name": c.name, "level": c.level.as_str()}))
        .collect();
    Ok(Json(json!({
        "code": details.unit.code, "name": details.unit.name, "level": details.unit.level.as_str(),
        "as_of": day.iso(), "members": members, "children": children,
    }))
    .into_response())
}

/// A body that could not be read as the operation's JSON (see
/// [`Refusal`]'s reading of it).
pub(crate) fn bad_json(rejection: JsonRejection, lang: Lang) -> Response {
    refusal(Refusal::from(rejection), lang)
}

/// A body that carries the day its change takes effect (`date`,
/// dd/mm/yyyy; today when absent).
pub(crate) trait Dated {
    fn date(&self) -> Option<&str>;
}

pub(crate) fn dated<T: Dated>(body: Result<Json<T>, JsonRejection>) -> Result<(T, Day), Refusal> {
    let Json(b) = body?;
    let day = Day::parse_or_today(b.date().unwrap_or_default())
        .map_err(|e| Refusal::value(StatusCode::UNPROCESSABLE_ENTITY, "date", move |lang| e.message(lang)))?;
    Ok((b, day))
}

/// A day as the API reads it in a query, dd/mm/yyyy (1900–2099, days
/// that exist), or empty for today.
pub(crate) fn day_schema() -> serde_json::Value {
    const YEAR: &str = "(19|20)[0-9]{2}";
    let leap = "(19(0[48]|[2468][048]|[13579][26])|20(0[048]|[2468][048]|[13579][26]))";
    let pattern = format!(
        "^((0[1-9]|1[0-9]|2[0-8])/(0[1-9]|1[0-2])/{YEAR}|(29|30)/(0[13-9]|1[0-2])/{YEAR}|31/(0[13578]|1[02])/{YEAR}|29/02/{leap})?$"
    );
    json!({"type": "string", "pattern": pattern})
}
