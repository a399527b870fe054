//! The register through the API: the member list and search (masked as
//! the caller's rights say), one member, a new applicant, and transfers.

use crate::api::{ApiUser, Dated, dated, error, store_error};
use crate::members::ListParams;
use crate::refusal::Refusal;
use crate::request::JsonBody;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_domain::{Action, Ethnicity, Lang, i18n};
use hnd_store::{Member, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A member as the API returns it: personal data masked unless the
/// caller may see it.
#[derive(Serialize)]
pub struct ApiMember {
    id: i64,
    full_name: String,
    birth_date: String,
    sex: String,
    ethnicity: Option<String>,
    religion: Option<String>,
    cccd: Option<String>,
    phone: Option<String>,
    village: Option<String>,
    unit_code: String,
    status: String,
    card_number: Option<String>,
    joined_on: Option<String>,
    transfer_to: Option<String>,
    masked: bool,
}

impl ApiMember {
    fn of(m: Member, reveal: bool) -> ApiMember {
        let hide = |v: Option<String>, keep: usize| hnd_domain::access::shown(v.as_deref(), reveal, keep);
        ApiMember {
            id: m.id,
            full_name: m.full_name,
            birth_date: m.birth_date,
            sex: m.sex,
            ethnicity: hide(
                m.ethnicity
                    .as_deref()
                    .and_then(Ethnicity::parse)
                    .map(|e| e.name().to_string()),
                0,
            ),
            religion: hide(m.religion, 0),
            cccd: hide(m.cccd, 4),
            phone: hide(m.phone, 3),
            village: m.village,
            unit_code: m.unit_code,
            status: m.status,
            card_number: m.card_number,
            joined_on: m.joined_on,
            transfer_to: m.transfer_to,
            masked: !reveal,
        }
    }
}

#[derive(Deserialize)]
pub struct ApiListParams {
    #[serde(flatten)]
    list: ListParams,
    /// Read here, not in the flattened list: a flattened field gets the
    /// query's text and would refuse a number.
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list_members(State(store): State<Store>, caller: ApiUser, Query(mut p): Query<ApiListParams>) -> Response {
    p.list.page = p.page;
    let unit = match p.list.unit.trim() {
        "" => match caller.user.home(Action::ViewMembers) {
            Some(g) => g.unit_code.clone(),
            None => return caller.forbidden(),
        },
        code => code.to_string(),
    };
    let path = match store.unit_path(&unit).await {
        Ok((_, path)) => path,
        Err(e) => return store_error(e, caller.lang),
    };
    if !caller.user.may(Action::ViewMembers, &path) {
        return caller.forbidden();
    }
    // A yes/no filter that says neither is refused, not ignored: the
    // caller would get another set of members than asked for.
    for (field, value) in [("bhyt", &p.list.bhyt), ("bhxh", &p.list.bhxh)] {
        if hnd_domain::profile::parse_yes_no(value).is_none() {
            let message = hnd_domain::MemberError::BadField {
                field,
                value: value.clone(),
            }
            .message(caller.lang);
            return error(StatusCode::BAD_REQUEST, "invalid", message, Some(field));
        }
    }
    let reveal = caller.user.may(Action::ViewSensitive, &path);
    // Who may not see personal data may not filter on it: refused, naming
    // the parameter (a CCCD or phone in `q` is simply not matched).
    let personal = caller.user.may_search_personal(&path);
    if !personal && let Some(field) = p.list.personal_filters().first() {
        return personal_filter_refused(field, caller.lang);
    }
    let per_page = p.per_page.unwrap_or(50).clamp(1, 500);
    let (found, more) = match store
        .find_members(&p.list.query(unit.clone(), per_page, personal))
        .await
    {
        Ok(x) => x,
        Err(e) => return store_error(e, caller.lang),
    };
    let items: Vec<ApiMember> = found.into_iter().map(|m| ApiMember::of(m, reveal)).collect();
    Json(
        json!({"unit": unit, "page": p.list.page.unwrap_or(1).max(1), "per_page": per_page,
                "has_more": more, "items": items}),
    )
    .into_response()
}

/// 403 for a filter on personal data (`field`, its parameter) asked by who
/// may not see it.
pub fn personal_filter_refused(field: &str, lang: Lang) -> Response {
    let name = i18n::t(lang, &format!("web.personal_filter.{field}"), &[]);
    let message = i18n::t(lang, "web.personal_filter_refused", &[("field", &name)]);
    error(StatusCode::FORBIDDEN, "forbidden", message, Some(field))
}

/// The caller's access to a member: where they are, and whether the
/// caller holds `action` there (or at the receiving unit of a transfer).
pub(crate) async fn member_access(store: &Store, caller: &ApiUser, id: i64, action: Action) -> Result<String, Refusal> {
    let place = crate::authorize::member_place(store, id).await?;
    let (path, to) = (place.path, place.to.map(|(_, path)| path));
    if caller.user.may_at_either(action, &path, to.as_deref()) {
        Ok(path)
    } else {
        Err(Refusal::forbidden())
    }
}

pub async fn member(State(store): State<Store>, caller: ApiUser, Path(id): Path<i64>) -> Result<Response, Refusal> {
    let path = member_access(&store, &caller, id, Action::ViewMembers).await?;
    let (m, events) = tokio::try_join!(store.member(id), store.member_events(id))?;
    let reveal = caller.user.may(Action::ViewSensitive, &path);
    Ok(Json(json!({"member": ApiMember::of(m, reveal), "events": events})).into_response())
}

/// The API's new member: the person as the operation's input reads them,
/// and whether a CCCD that disagrees with the birth year or sex is accepted.
#[derive(Deserialize, Default)]
pub struct NewMemberBody {
    #[serde(flatten)]
    text: hnd_app::NewMemberText,
    #[serde(default)]
    accept_warnings: bool,
}

pub async fn create_member(
    State(app): State<hnd_app::App>,
    caller: ApiUser,
    body: Result<Json<NewMemberBody>, JsonRejection>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let input = hnd_app::AddMember::parse(&b.text, b.accept_warnings, caller.lang).map_err(|errors| {
        let (field, message) = errors.into_iter().next().expect("errors are not empty");
        Refusal::value(StatusCode::UNPROCESSABLE_ENTITY, field, move |_| message.clone())
    })?;
    match app.add_member(&caller.actor(), &input).await {
        Ok(added) => {
            // Likely duplicates are named only where the caller sees
            // members; the others are only counted.
            let answer = json!({"id": added.id, "likely_duplicates": added.likely_duplicates,
                                "likely_duplicates_elsewhere": added.elsewhere});
            Ok((StatusCode::CREATED, Json(answer)).into_response())
        }
        // The API names its own way to confirm: the body's field.
        Err(hnd_app::AppError::Store(StoreError::Member(e @ hnd_domain::MemberError::CccdMismatch { .. }))) => {
            let how = i18n::t(caller.lang, "web.accept_warnings_api", &[]);
            let message = format!("{} {how}", e.message(caller.lang));
            Ok(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "cccd_mismatch",
                message,
                Some("cccd"),
            ))
        }
        Err(hnd_app::AppError::Store(StoreError::Member(
            e @ (hnd_domain::MemberError::DuplicateCccd { .. } | hnd_domain::MemberError::CccdTaken { .. }),
        ))) => {
            // The operation names the holder only to who may see them.
            Ok(error(
                StatusCode::CONFLICT,
                "duplicate_cccd",
                e.message(caller.lang),
                Some("cccd"),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct TransferBody {
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: Option<String>,
}

impl Dated for TransferBody {
    fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }
}

impl Dated for DateBody {
    fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }
}

/// A dated body and its day, or the answer refusing it: the JSON first
/// (`bad_json`), then the day (422 naming `date`).
pub async fn transfer(
    State(app): State<hnd_app::App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<TransferBody>, JsonRejection>,
) -> Result<Response, Refusal> {
    let (b, date) = dated(body)?;
    app.send_transfer(&caller.actor(), id, &b.to, date).await?;
    Ok(Json(json!({"id": id, "status": "in_transfer"})).into_response())
}

#[derive(Deserialize, Default)]
pub struct DateBody {
    #[serde(default)]
    date: Option<String>,
}

/// The ways a transfer is settled, each with its route: the receiving
/// unit confirms it; the sending unit cancels it (who may edit the member
/// where they are). The member is active either way.
pub const SETTLEMENTS: [(&str, &str); 2] = [
    ("confirm", "/api/v1/members/{id}/confirm-transfer"),
    ("cancel", "/api/v1/members/{id}/cancel-transfer"),
];

/// `POST` on a route of [`SETTLEMENTS`]: the transfer settled as it names.
pub async fn settle_transfer(
    how: &'static str,
    app: hnd_app::App,
    caller: ApiUser,
    id: i64,
    body: JsonBody<DateBody>,
) -> Result<Response, Refusal> {
    let (_, date) = dated(body)?;
    match how {
        "confirm" => app.confirm_transfer(&caller.actor(), id, date).await?,
        _ => app.cancel_transfer(&caller.actor(), id, date).await?,
    }
    Ok(Json(json!({"id": id, "status": "active"})).into_response())
}
