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
use crate::auth::{SESSION_COOKIE, address_of, cookie};
use crate::members::ListParams;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use hnd_domain::{AccountError, Action, Day, Ethnicity, Lang, Principal, i18n};
use hnd_store::{Member, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// An API error response.
pub fn error(status: StatusCode, code: &str, message: String, field: Option<&str>) -> Response {
    let body = json!({"error": {"code": code, "message": message, "field": field}});
    (status, Json(body)).into_response()
}

fn store_error(e: StoreError, lang: Lang) -> Response {
    let (status, message) = crate::shell::status_of(&e, lang);
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::CONFLICT => "conflict",
        StatusCode::INTERNAL_SERVER_ERROR => "internal",
        _ => "refused",
    };
    error(status, code, message, None)
}

/// A refused or failed operation, in the documented shape (with the
/// field when one field is refused).
pub(crate) fn app_error(e: hnd_app::AppError, lang: Lang) -> Response {
    let status = crate::shell::status_of_kind(e.kind());
    let code = match e.kind() {
        hnd_app::ErrorKind::NotFound => "not_found",
        hnd_app::ErrorKind::Forbidden => "forbidden",
        hnd_app::ErrorKind::Conflict => "conflict",
        hnd_app::ErrorKind::Internal => {
            tracing::error!(error = %e, "operation failed");
            "internal"
        }
        hnd_app::ErrorKind::Invalid => "refused",
    };
    let message = match e.kind() {
        hnd_app::ErrorKind::Internal => i18n::t(lang, "web.internal", &[]),
        _ => e.message(lang),
    };
    error(status, code, message, e.field_name())
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

/// The language of an API request: `?lang=`, else `Accept-Language`, else Vietnamese.
pub(crate) fn api_lang(parts: &Parts) -> Lang {
    let query = crate::shell::lang_of(parts);
    if parts.uri.query().is_some_and(|q| q.contains("lang=")) {
        return query;
    }
    let accept = parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.starts_with("en") { Lang::En } else { Lang::Vi }
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

pub async fn me(caller: ApiUser) -> Response {
    Json(caller.user).into_response()
}

#[derive(Deserialize)]
pub struct AsOf {
    as_of: Option<String>,
}

pub async fn unit(
    State(store): State<Store>,
    caller: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> Response {
    let day = match Day::parse_or_today(q.as_of.as_deref().unwrap_or("")) {
        Ok(d) => d,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid",
                e.message(caller.lang),
                Some("as_of"),
            );
        }
    };
    let details = match store.unit(&code, day).await {
        Ok(d) => d,
        Err(e) => return store_error(e, caller.lang),
    };
    match crate::pages::may_on(&store, &caller.user, Action::ViewTree, details.unit.id).await {
        Ok(true) => {}
        Ok(false) => return caller.forbidden(),
        Err(e) => return store_error(e, caller.lang),
    }
    let (children, members) =
        match tokio::try_join!(store.children(details.unit.id, day), store.count_members(&code, day)) {
            Ok(x) => x,
            Err(e) => return store_error(e, caller.lang),
        };
    let children: Vec<_> = children
        .into_iter()
        .map(|c| json!({"code": c.code, "name": c.name, "level": c.level.as_str()}))
        .collect();
    Json(json!({
        "code": details.unit.code, "name": details.unit.name, "level": details.unit.level.as_str(),
        "as_of": day.iso(), "members": members, "children": children,
    }))
    .into_response()
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
pub(crate) async fn member_access(
    store: &Store,
    caller: &ApiUser,
    id: i64,
    action: Action,
) -> Result<String, Response> {
    let place = crate::authorize::member_place(store, id)
        .await
        .map_err(|e| store_error(e, caller.lang))?;
    let (path, to) = (place.path, place.to.map(|(_, path)| path));
    if caller.user.may_at_either(action, &path, to.as_deref()) {
        Ok(path)
    } else {
        Err(caller.forbidden())
    }
}

pub async fn member(State(store): State<Store>, caller: ApiUser, Path(id): Path<i64>) -> Response {
    let path = match member_access(&store, &caller, id, Action::ViewMembers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match tokio::try_join!(store.member(id), store.member_events(id)) {
        Ok((m, events)) => {
            let reveal = caller.user.may(Action::ViewSensitive, &path);
            Json(json!({"member": ApiMember::of(m, reveal), "events": events})).into_response()
        }
        Err(e) => store_error(e, caller.lang),
    }
}

/// A body that could not be read as the operation's JSON: over the size
/// limit (413, `too_large`), not declared as JSON (415), or not JSON of the
/// right shape (400); the last two keep the code `bad_json`.
pub(crate) fn bad_json(rejection: JsonRejection, lang: Lang) -> Response {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_json",
            i18n::t(lang, "web.bad_json", &[]),
            None,
        ),
        r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            i18n::t(lang, "web.too_large", &[]),
            None,
        ),
        _ => error(
            StatusCode::BAD_REQUEST,
            "bad_json",
            i18n::t(lang, "web.bad_json", &[]),
            None,
        ),
    }
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
) -> Response {
    let Json(b) = match body {
        Ok(b) => b,
        Err(r) => return bad_json(r, caller.lang),
    };
    let input = match hnd_app::AddMember::parse(&b.text, b.accept_warnings, caller.lang) {
        Ok(input) => input,
        Err(errors) => {
            let (field, message) = errors.into_iter().next().expect("errors are not empty");
            return error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message, Some(field));
        }
    };
    match app.add_member(&caller.actor(), &input).await {
        Ok(added) => {
            // Likely duplicates are named only where the caller sees
            // members; the others are only counted.
            let answer = json!({"id": added.id, "likely_duplicates": added.likely_duplicates,
                                "likely_duplicates_elsewhere": added.elsewhere});
            (StatusCode::CREATED, Json(answer)).into_response()
        }
        // The API names its own way to confirm: the body's field.
        Err(hnd_app::AppError::Store(StoreError::Member(e @ hnd_domain::MemberError::CccdMismatch { .. }))) => {
            let how = i18n::t(caller.lang, "web.accept_warnings_api", &[]);
            let message = format!("{} {how}", e.message(caller.lang));
            error(StatusCode::UNPROCESSABLE_ENTITY, "cccd_mismatch", message, Some("cccd"))
        }
        Err(hnd_app::AppError::Store(StoreError::Member(
            e @ (hnd_domain::MemberError::DuplicateCccd { .. } | hnd_domain::MemberError::CccdTaken { .. }),
        ))) => {
            // The operation names the holder only to who may see them.
            error(
                StatusCode::CONFLICT,
                "duplicate_cccd",
                e.message(caller.lang),
                Some("cccd"),
            )
        }
        Err(e) => app_error(e, caller.lang),
    }
}

#[derive(Deserialize, Default)]
pub struct TransferBody {
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: Option<String>,
}

/// A body that carries the day its change takes effect (`date`,
/// dd/mm/yyyy; today when absent).
pub(crate) trait Dated {
    fn date(&self) -> Option<&str>;
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
pub(crate) fn dated<T: Dated>(body: Result<Json<T>, JsonRejection>, lang: Lang) -> Result<(T, Day), Response> {
    let Json(b) = body.map_err(|r| bad_json(r, lang))?;
    let day = Day::parse_or_today(b.date().unwrap_or_default()).map_err(|e| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            e.message(lang),
            Some("date"),
        )
    })?;
    Ok((b, day))
}

pub async fn transfer(
    State(app): State<hnd_app::App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<TransferBody>, JsonRejection>,
) -> Response {
    let (b, date) = match dated(body, caller.lang) {
        Ok(x) => x,
        Err(r) => return r,
    };
    match app.send_transfer(&caller.actor(), id, &b.to, date).await {
        Ok(()) => Json(json!({"id": id, "status": "in_transfer"})).into_response(),
        Err(e) => app_error(e, caller.lang),
    }
}

#[derive(Deserialize, Default)]
pub struct DateBody {
    #[serde(default)]
    date: Option<String>,
}

pub async fn confirm_transfer(
    State(app): State<hnd_app::App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<DateBody>, JsonRejection>,
) -> Response {
    let (_, date) = match dated(body, caller.lang) {
        Ok(x) => x,
        Err(r) => return r,
    };
    match app.confirm_transfer(&caller.actor(), id, date).await {
        Ok(()) => Json(json!({"id": id, "status": "active"})).into_response(),
        Err(e) => app_error(e, caller.lang),
    }
}

/// The sending unit cancels a transfer it sent: who may edit the member
/// where they are (not the receiving unit, which may only confirm).
pub async fn cancel_transfer(
    State(app): State<hnd_app::App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<DateBody>, JsonRejection>,
) -> Response {
    let (_, date) = match dated(body, caller.lang) {
        Ok(x) => x,
        Err(r) => return r,
    };
    match app.cancel_transfer(&caller.actor(), id, date).await {
        Ok(()) => Json(json!({"id": id, "status": "active"})).into_response(),
        Err(e) => app_error(e, caller.lang),
    }
}

/// The OpenAPI 3.0 description of `/api/v1`.
pub fn openapi_document() -> serde_json::Value {
    with_modules(base_document())
}

fn base_document() -> serde_json::Value {
    let error = json!({"$ref": "#/components/responses/Error"});
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}});
    let common = |ok: serde_json::Value| json!({"200": ok, "400": error, "401": error, "403": error, "404": error, "422": error});
    // An operation with a body also answers 413 (over the size limit) and 415 (not JSON).
    let with_body = |mut responses: serde_json::Value| {
        responses["413"] = error.clone();
        responses["415"] = error.clone();
        responses
    };
    let ok = |description: &str| json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}});
    let q = |name: &str, description: &str, schema: serde_json::Value| json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema});
    let text = json!({"type": "string"});
    let int64 = json!({"type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX});
    // What a yes/no filter reads (`profile::parse_yes_no`); empty: no filter.
    let yes_no = json!({"type": "string", "enum": ["", "yes", "no", "có", "không", "co", "khong", "true", "false", "1", "0", "on", "off", "x"]});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "hnd API", "version": "1", "description":
            "Hệ thống quản lý Hội Nông dân Việt Nam. Xác thực: Authorization: Bearer TOKEN (hnd users token)."},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Lỗi", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                    "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                    "field": {"type": "string", "nullable": true}}}}},
                "NewMember": {"type": "object", "required": ["full_name", "birth", "sex", "unit"], "properties": {
                    "full_name": {"type": "string", "minLength": 1, "maxLength": 100}, "birth": {"type": "string", "minLength": 1, "description": "dd/mm/yyyy hoặc yyyy"},
                    "sex": {"type": "string", "enum": ["male", "female"]}, "ethnicity": text, "religion": text,
                    "cccd": {"type": "string", "description": "12 chữ số"}, "phone": text, "village": text,
                    "unit": {"type": "string", "minLength": 1, "description": "mã chi hội, tổ hội"}, "date": {"type": "string", "description": "dd/mm/yyyy"},
                    "accept_warnings": {"type": "boolean"}}},
                "Transfer": {"type": "object", "required": ["to"], "properties": {"to": {"type": "string", "minLength": 1, "description": "mã đơn vị nhận"}, "date": text}},
                "Date": {"type": "object", "properties": {"date": text}},
                "TaskReport": {"type": "object", "required": ["status", "note"], "properties": {
                    "status": {"type": "string", "enum": ["open", "in_progress", "done"]}, "note": {"type": "string", "minLength": 1}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/me": {"get": {"summary": "Tài khoản đang dùng và quyền", "responses": common(ok("Tài khoản"))}},
            "/api/v1/units/{code}": {"get": {"summary": "Một đơn vị và các đơn vị trực thuộc",
                "parameters": [{"name": "code", "in": "path", "required": true, "schema": text}, q("as_of", "dd/mm/yyyy; để trống: hôm nay", day_schema())],
                "responses": common(ok("Đơn vị"))}},
            "/api/v1/members": {
                "get": {"summary": "Tìm hội viên (không dấu cũng được), có lọc và phân trang",
                    "parameters": [q("q", "tên, CCCD, điện thoại, số thẻ", text.clone()), q("unit", "mã đơn vị", text.clone()),
                        q("sex", "male | female", text.clone()), q("status", "applicant | active | …", text.clone()),
                        q("ethnicity", "mã dân tộc 01–54", text.clone()), q("age", "18-30", text.clone()),
                        q("bhyt", "yes | no: có BHYT (cần quyền xem thông tin cá nhân)", yes_no.clone()),
                        q("bhxh", "yes | no: có BHXH tự nguyện (cần quyền xem thông tin cá nhân)", yes_no.clone()),
                        q("page", "từ 1 (số nhỏ hơn: trang 1)", int64.clone()),
                        q("per_page", "1–500, mặc định 50 (số ngoài khoảng được đưa về 1 hoặc 500)", int64)],
                    "responses": common(ok("Một trang hội viên"))},
                "post": {"summary": "Thêm người xin vào Hội",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewMember"}}}},
                    "responses": with_body(json!({"201": ok("Đã thêm"), "400": error, "401": error, "403": error, "409": error, "415": error, "422": error}))}
            },
            "/api/v1/members/{id}": {"get": {"summary": "Một hội viên và lịch sử", "parameters": [id],
                "responses": common(ok("Hội viên"))}},
            "/api/v1/members/{id}/transfer": {"post": {"summary": "Chuyển sinh hoạt (đơn vị gửi)", "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}},
                "responses": with_body(common(ok("Đang chuyển")))}},
            "/api/v1/members/{id}/confirm-transfer": {"post": {"summary": "Xác nhận chuyển sinh hoạt (đơn vị nhận)", "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Date"}}}},
                "responses": with_body(common(ok("Đã nhận")))}},
            "/api/v1/members/{id}/cancel-transfer": {"post": {"summary": "Hủy chuyển sinh hoạt (đơn vị gửi): hội viên ở lại, trạng thái trở lại đang sinh hoạt", "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Date"}}}},
                "responses": with_body(common(ok("Đã hủy")))}},
            "/api/v1/tasks": {"get": {"summary": "Nhiệm vụ được theo dõi (tài khoản của cơ quan ngoài Hội: nhiệm vụ giao cho cơ quan đó)",
                "responses": common(json!({"description": "Danh sách nhiệm vụ", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}))}},
            "/api/v1/tasks/{id}": {"get": {"summary": "Một nhiệm vụ và các báo cáo tiến độ", "parameters": [id],
                "responses": common(ok("Nhiệm vụ"))}},
            "/api/v1/tasks/{id}/reports": {"post": {"summary": "Báo cáo tiến độ, đổi trạng thái nhiệm vụ", "parameters": [id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TaskReport"}}}},
                "responses": with_body(common(ok("Đã lưu")))}}
        }
    })
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

pub async fn openapi() -> Response {
    Json(openapi_document()).into_response()
}

/// The document with the paths and schemas of the other API modules.
fn with_modules(mut doc: serde_json::Value) -> serde_json::Value {
    let error = json!({"$ref": "#/components/responses/Error"});
    let common = |ok: serde_json::Value| json!({"200": ok, "400": error, "401": error, "403": error, "404": error, "422": error});
    let ok = |description: &str| json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}});
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}});
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(crate::api_members::paths(common, ok, &id));
        paths.extend(crate::api_households::paths(common, ok, &id));
        paths.extend(crate::api_profiles::paths(common, ok, &id));
        paths.extend(crate::api_plans::paths(&error));
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        schemas.extend(crate::api_members::schemas());
        schemas.extend(crate::api_households::schemas());
        schemas.extend(crate::api_profiles::schemas());
        schemas.extend(crate::api_plans::schemas());
    }
    if let Some(member) = doc["paths"]["/api/v1/members/{id}"].as_object_mut() {
        member.insert(
            "patch".into(),
            json!({"summary": "Sửa họ tên, ngày sinh, CCCD, điện thoại, thôn (giữ lại giá trị cũ); CCCD và điện thoại cần quyền xem thông tin cá nhân",
                   "parameters": [id], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Correction"}}}},
                   "responses": {"200": ok("Các trường đã sửa"), "400": error, "401": error, "403": error, "404": error, "409": error, "415": error, "422": error}}),
        );
    }
    // Every operation with a body may also be refused for its size (413)
    // or its type (415, a body that is not declared JSON, or none).
    if let Some(paths) = doc["paths"].as_object_mut() {
        for operation in paths
            .values_mut()
            .filter_map(|p| p.as_object_mut())
            .flat_map(|p| p.values_mut())
        {
            if operation.get("requestBody").is_some() {
                operation["responses"]["413"] = error.clone();
                operation["responses"]["415"] = error.clone();
            }
        }
    }
    doc
}

/// An interactive page over the OpenAPI document: every operation with a
/// form that sends it (with a token typed in the page) and shows the answer.
pub async fn docs() -> Html<&'static str> {
    Html(include_str!("../templates/api_docs.html"))
}

pub async fn tasks(State(store): State<Store>, caller: ApiUser) -> Response {
    match crate::tasks::visible_tasks(&store, &caller.user).await {
        Ok(tasks) => Json(tasks).into_response(),
        Err(e) => store_error(e, caller.lang),
    }
}

/// A task the caller may read, or the answer refusing it.
async fn readable_task(store: &Store, caller: &ApiUser, id: i64) -> Result<hnd_store::TaskDetails, Response> {
    let details = store
        .task(id, Day::today())
        .await
        .map_err(|e| store_error(e, caller.lang))?;
    if !details.may_read(&caller.user) {
        return Err(caller.forbidden());
    }
    Ok(details)
}

pub async fn task(State(store): State<Store>, caller: ApiUser, Path(id): Path<i64>) -> Response {
    match readable_task(&store, &caller, id).await {
        Ok(d) => Json(d).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
pub struct TaskReportBody {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn report_task(
    State(store): State<Store>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<TaskReportBody>, JsonRejection>,
) -> Response {
    let Json(b) = match body {
        Ok(b) => b,
        Err(r) => return bad_json(r, caller.lang),
    };
    let details = match readable_task(&store, &caller, id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    if !details.may_report(&caller.user) {
        return caller.forbidden();
    }
    let change = hnd_store::Change::new(caller.user.login.clone(), "api");
    if let Err(e) = store
        .report_task(id, &b.status, &b.note, Vec::new(), Day::today(), &change)
        .await
    {
        return store_error(e, caller.lang);
    }
    let detail = json!({"task": id, "plan": details.task.plan, "before": {"status": details.task.status},
        "after": {"status": b.status.trim()}, "note": b.note.trim()});
    let unit = store.plan_unit_id(&details.task.plan).await.ok();
    crate::shell::record(
        &store,
        &caller.user.login,
        &caller.address,
        "task.report",
        None,
        unit,
        detail,
    )
    .await;
    Json(json!({"id": id, "status": b.status.trim()})).into_response()
}
