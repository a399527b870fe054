//! The API of a member's profile: read it, write it whole, add and
//! remove positions, titles and ratings. Adapters over the operations of
//! `hnd_app` (`set_profile`, `add_role`, …): the body is parsed here, the
//! rules and the audit entry are the operation's.

use crate::api::{ApiUser, app_error, bad_json, error};
use crate::api_register::member_access;
use crate::request::{Answer, Doc, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, AppError, Personal};
use hnd_domain::Action;
use hnd_domain::profile::{self, FieldError, NewRating, NewRole, NewTitle, Profile};
use serde_json::{Value, json};

type Body = serde_json::Map<String, Value>;

/// A JSON value as the profile's text form reads it: strings as they
/// are, yes/no for booleans, numbers written out, nothing for null.
fn as_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        Some(other) => other.to_string(),
    }
}

fn invalid(errors: Vec<FieldError>, lang: hnd_domain::Lang) -> Response {
    let first = &errors[0];
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        first.message(lang),
        Some(first.field),
    )
}

/// A member's profile as the API shows it: personal fields null unless
/// the caller may see them.
fn profile_json(p: hnd_store::MemberProfile, reveal: bool) -> Value {
    let mut fields = serde_json::to_value(&p.profile).unwrap_or_default();
    if !reveal && let Some(map) = fields.as_object_mut() {
        for field in profile::SENSITIVE {
            map.insert(field.into(), Value::Null);
        }
    }
    json!({"member_id": p.member_id, "profile": fields, "roles": p.roles, "titles": p.titles,
           "ratings": p.ratings, "has_photo": reveal.then_some(p.has_photo), "masked": !reveal,
           "updated_by": p.updated_by, "updated_at": p.updated_at})
}

/// The profile as `caller` may see it.
async fn shown(app: &App, caller: &ApiUser, id: i64) -> Response {
    let path = match member_access(app.store(), caller, id, Action::ViewMembers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match app.store().member_profile(id).await {
        Ok(p) => Json(profile_json(p, caller.user.may(Action::ViewSensitive, &path))).into_response(),
        Err(e) => app_error(e.into(), caller.lang),
    }
}

pub async fn profile(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>) -> Response {
    shown(&app, &caller, id).await
}

/// Writes the profile whole. A caller who may not see personal fields
/// leaves them as they are, and is refused if the body sets one.
pub async fn put_profile(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>, body: JsonBody<Body>) -> Answer {
    let Json(b) = body.map_err(|r| bad_json(r, caller.lang))?;
    let parsed = Profile::parse(|f| as_text(b.get(f))).map_err(|errors| invalid(errors, caller.lang))?;
    let refuse = Personal::Refuse;
    let saved = app.set_profile(&caller.actor(), id, &parsed, refuse).await;
    saved.map_err(|e| app_error(e, caller.lang))?;
    Ok(shown(&app, &caller, id).await)
}

/// A field of an entry's body, as the profile's text form reads it.
type Get<'a> = &'a dyn Fn(&str) -> String;

/// Adds an entry from a body the document's schema `schema` describes:
/// `parse` reads it, `write` records it and gives what the answer (201
/// Created) says; or the refusal.
async fn add<T>(
    caller: &ApiUser,
    body: JsonBody<Body>,
    schema: &str,
    parse: impl FnOnce(Get) -> Result<T, Vec<FieldError>>,
    write: impl AsyncFnOnce(T) -> Result<Value, AppError>,
) -> Answer {
    let Json(b) = body.map_err(|r| bad_json(r, caller.lang))?;
    typed(&b, schema, caller.lang)?;
    let entry = parse(&|f: &str| as_text(b.get(f))).map_err(|errors| invalid(errors, caller.lang))?;
    let answer = write(entry).await.map_err(|e| app_error(e, caller.lang))?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// Refuses (422, naming the field) a field of `body` whose JSON type is
/// not the one the document's schema `name` gives it: a note sent as an
/// object is not written down as its text.
fn typed(body: &Body, name: &str, lang: hnd_domain::Lang) -> Result<(), Response> {
    let schemas = schemas();
    let properties = &schemas[name]["properties"];
    for (field, value) in body {
        let schema = &properties[field.as_str()];
        let Some(kind) = schema["type"].as_str() else {
            continue;
        };
        let fits = match value {
            Value::Null => schema["nullable"].as_bool() == Some(true),
            Value::String(_) => kind == "string",
            Value::Bool(_) => kind == "boolean",
            Value::Number(n) => kind == "number" || (kind == "integer" && n.as_i64().is_some()),
            _ => false,
        };
        if !fits {
            let kind = hnd_domain::i18n::t(lang, &format!("web.api_type.{kind}"), &[]);
            let message = hnd_domain::i18n::t(lang, "web.api_wrong_type", &[("field", field), ("kind", &kind)]);
            return Err(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                message,
                Some(field.as_str()),
            ));
        }
    }
    Ok(())
}

pub async fn add_role(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>, body: JsonBody<Body>) -> Answer {
    let parse = |get: Get| NewRole::parse(&get("position"), &get("unit"), &get("from"), &get("to"));
    let write = async |role: NewRole| Ok(json!({"id": app.add_role(&caller.actor(), id, &role).await?}));
    add(&caller, body, "Role", parse, write).await
}

pub async fn add_title(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>, body: JsonBody<Body>) -> Answer {
    let parse = |get: Get| NewTitle::parse(&get("year"), &get("level"), &get("kind"), &get("note"));
    let write = async |title: NewTitle| Ok(json!({"id": app.add_title(&caller.actor(), id, &title).await?}));
    add(&caller, body, "Title", parse, write).await
}

pub async fn add_rating(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>, body: JsonBody<Body>) -> Answer {
    let parse = |get: Get| NewRating::parse(&get("year"), &get("rating"), &get("proposed_to_party"));
    let write = async |rating: NewRating| {
        app.set_rating(&caller.actor(), id, &rating).await?;
        Ok(json!({"year": rating.year}))
    };
    add(&caller, body, "Rating", parse, write).await
}

/// An entry removed: what it was, or the refusal.
fn removed<T: serde::Serialize>(caller: &ApiUser, done: Result<T, AppError>) -> Response {
    match done {
        Ok(before) => Json(json!({"removed": before})).into_response(),
        Err(e) => app_error(e, caller.lang),
    }
}

pub async fn remove_role(State(app): State<App>, caller: ApiUser, Path((id, entry)): Path<(i64, i64)>) -> Response {
    removed(&caller, app.remove_role(&caller.actor(), id, entry).await)
}

pub async fn remove_title(State(app): State<App>, caller: ApiUser, Path((id, entry)): Path<(i64, i64)>) -> Response {
    removed(&caller, app.remove_title(&caller.actor(), id, entry).await)
}

pub async fn remove_rating(State(app): State<App>, caller: ApiUser, Path((id, year)): Path<(i64, i64)>) -> Response {
    let Ok(year) = i32::try_from(year) else {
        let e = AppError::from(hnd_domain::MemberError::UnknownEntry { id, entry: year });
        return app_error(e, caller.lang);
    };
    removed(&caller, app.remove_rating(&caller.actor(), id, year).await)
}

/// The paths above, for the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let id = &doc.id;
    let error = &doc.error;
    // The 413 and 415 of a body are added to every operation that has one.
    let created =
        |what: &str| json!({"201": doc.ok(what), "400": error, "401": error, "403": error, "404": error, "422": error});
    let entry =
        json!({"name": "entry", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}});
    let year = json!({"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/members/{id}/profile".into(),
        json!({
            "get": {"summary": "Hồ sơ hội viên: các trường, chức vụ, danh hiệu, xếp loại (thông tin cá nhân là null nếu không có quyền xem)",
                "parameters": [id], "responses": doc.common(doc.ok("Hồ sơ"))},
            "put": {"summary": "Ghi toàn bộ hồ sơ (trường không gửi thì để trống; người không được xem thông tin cá nhân không được gửi các trường đó, chúng giữ nguyên)",
                "parameters": [id], "requestBody": doc.body("Profile"),
                "responses": doc.common(doc.ok("Hồ sơ đã lưu"))}}),
    );
    paths.insert(
        "/api/v1/members/{id}/roles".into(),
        json!({"post": {"summary": "Thêm chức vụ", "parameters": [id], "requestBody": doc.body("Role"), "responses": created("Đã thêm")}}),
    );
    paths.insert(
        "/api/v1/members/{id}/roles/{entry}".into(),
        json!({"delete": {"summary": "Xóa chức vụ", "parameters": [id, entry], "responses": doc.common(doc.ok("Đã xóa"))}}),
    );
    paths.insert(
        "/api/v1/members/{id}/titles".into(),
        json!({"post": {"summary": "Thêm danh hiệu, khen thưởng", "parameters": [id], "requestBody": doc.body("Title"),
                        "responses": created("Đã thêm")}}),
    );
    paths.insert(
        "/api/v1/members/{id}/titles/{entry}".into(),
        json!({"delete": {"summary": "Xóa danh hiệu, khen thưởng", "parameters": [id, entry], "responses": doc.common(doc.ok("Đã xóa"))}}),
    );
    paths.insert(
        "/api/v1/members/{id}/ratings".into(),
        json!({"post": {"summary": "Ghi xếp loại của một năm (thay xếp loại cũ của năm đó)", "parameters": [id],
                        "requestBody": doc.body("Rating"), "responses": created("Đã ghi")}}),
    );
    paths.insert(
        "/api/v1/members/{id}/ratings/{year}".into(),
        json!({"delete": {"summary": "Xóa xếp loại của một năm", "parameters": [id, year], "responses": doc.common(doc.ok("Đã xóa"))}}),
    );
    paths
}

fn codes(list: impl Iterator<Item = &'static str>) -> Value {
    list.collect::<Vec<_>>().into()
}

/// The schemas of the bodies above.
pub fn schemas() -> serde_json::Map<String, Value> {
    use profile::{AwardLevel, Position, Rating, TitleKind};
    let mut schemas = serde_json::Map::new();
    schemas.insert("Profile".into(), profile_schema());
    schemas.insert(
        "Role".into(),
        json!({"type": "object", "required": ["position", "from"], "properties": {
            "position": {"type": "string", "enum": codes(Position::ALL.iter().map(|v| v.code()))},
            "unit": {"type": "string", "nullable": true, "description": "mã đơn vị"},
            "from": {"type": "string", "minLength": 1, "description": "dd/mm/yyyy"},
            "to": {"type": "string", "nullable": true, "description": "dd/mm/yyyy; để trống: đang giữ"}}}),
    );
    schemas.insert(
        "Title".into(),
        json!({"type": "object", "required": ["year", "level", "kind"], "properties": {
            "year": {"type": "integer", "minimum": 1930, "maximum": hnd_domain::Day::today().year()},
            "level": {"type": "string", "enum": codes(AwardLevel::ALL.iter().map(|v| v.code()))},
            "kind": {"type": "string", "enum": codes(TitleKind::ALL.iter().map(|v| v.code()))},
            "note": {"type": "string", "nullable": true, "maxLength": 200}}}),
    );
    schemas.insert(
        "Rating".into(),
        json!({"type": "object", "required": ["year", "rating"], "properties": {
            "year": {"type": "integer", "minimum": 1930, "maximum": hnd_domain::Day::today().year()},
            "rating": {"type": "string", "enum": codes(Rating::ALL.iter().map(|v| v.code()))},
            "proposed_to_party": {"type": "boolean", "nullable": true}}}),
    );
    schemas
}

/// The profile's fields, from their declaration: dates dd/mm/yyyy (or
/// ISO), closed lists by code, yes/no as booleans.
fn profile_schema() -> Value {
    use profile::{FIELD_LIST, Kind};
    let mut properties = serde_json::Map::new();
    for field in FIELD_LIST {
        let codes = || {
            let list = (field.choices)(hnd_domain::Lang::Vi).unwrap_or_default();
            codes(list.into_iter().map(|(code, _)| code))
        };
        let schema = match field.kind {
            Kind::List => json!({"type": "string", "enum": codes()}),
            Kind::Count => json!({"type": "integer", "minimum": 0}),
            Kind::Grade => json!({"type": "string", "description": "12/12, 9/12, 7/10"}),
            Kind::YesNo => json!({"type": "boolean", "nullable": true}),
            Kind::Day => json!({"type": "string", "description": "dd/mm/yyyy"}),
            Kind::Text | Kind::Insurance => json!({"type": "string"}),
        };
        properties.insert(field.name.into(), schema);
    }
    json!({"type": "object", "properties": properties})
}
