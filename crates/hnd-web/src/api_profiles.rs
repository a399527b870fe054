//! The API of a member's profile: read it, write it whole, add and
//! remove positions, titles and ratings. Adapters over the operations of
//! `hnd_app` (`set_profile`, `add_role`, …): the body is parsed here, the
//! rules and the audit entry are the operation's.

use crate::api::ApiUser;
use crate::api_register::member_access;
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
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

fn invalid(errors: Vec<FieldError>) -> Refusal {
    let first = errors.into_iter().next().expect("a refusal names a field");
    let field = first.field;
    Refusal::value(StatusCode::UNPROCESSABLE_ENTITY, field, move |lang| first.message(lang))
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
async fn shown(app: &App, caller: &ApiUser, id: i64) -> Result<Response, Refusal> {
    let path = member_access(app.store(), caller, id, Action::ViewMembers).await?;
    let p = app.store().member_profile(id).await?;
    Ok(Json(profile_json(p, caller.user.may(Action::ViewSensitive, &path))).into_response())
}

pub async fn profile(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>) -> Result<Response, Refusal> {
    shown(&app, &caller, id).await
}

/// Writes the profile whole. A caller who may not see personal fields
/// leaves them as they are, and is refused if the body sets one.
pub async fn put_profile(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<Body>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let parsed = Profile::parse(|f| as_text(b.get(f))).map_err(invalid)?;
    app.set_profile(&caller.actor(), id, &parsed, Personal::Refuse).await?;
    shown(&app, &caller, id).await
}

/// The body of an entry, or the refusal.
fn entry_body(body: JsonBody<Body>, schema: &str) -> Result<Body, Refusal> {
    let Json(b) = body?;
    typed(&b, schema)?;
    Ok(b)
}

/// Refuses (422, naming the field) a field of `body` whose JSON type is
/// not the one the document's schema `name` gives it: a note sent as an
/// object is not written down as its text.
fn typed(body: &Body, name: &str) -> Result<(), Refusal> {
    // The module's schemas are fixed: built once, not on every request.
    static SCHEMAS: std::sync::LazyLock<serde_json::Map<String, Value>> = std::sync::LazyLock::new(schemas);
    let properties = SCHEMAS.get(name).map_or(&Value::Null, |s| &s["properties"]);
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
            let (field, kind) = (field.clone(), kind.to_string());
            return Err(Refusal::value(
                StatusCode::UNPROCESSABLE_ENTITY,
                field.clone(),
                move |lang| {
                    let kind = hnd_domain::i18n::t(lang, &format!("web.api_type.{kind}"), &[]);
                    hnd_domain::i18n::t(lang, "web.api_wrong_type", &[("field", &field), ("kind", &kind)])
                },
            ));
        }
    }
    Ok(())
}

pub async fn add_role(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<Body>,
) -> Result<Response, Refusal> {
    let b = entry_body(body, "Role")?;
    let get = |f: &str| as_text(b.get(f));
    let role = NewRole::parse(&get("position"), &get("unit"), &get("from"), &get("to")).map_err(invalid)?;
    let entry = app.add_role(&caller.actor(), id, &role).await?;
    Ok(added(json!({"id": entry})))
}

pub async fn add_title(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<Body>,
) -> Result<Response, Refusal> {
    let b = entry_body(body, "Title")?;
    let get = |f: &str| as_text(b.get(f));
    let title = NewTitle::parse(&get("year"), &get("level"), &get("kind"), &get("note")).map_err(invalid)?;
    let entry = app.add_title(&caller.actor(), id, &title).await?;
    Ok(added(json!({"id": entry})))
}

pub async fn add_rating(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<Body>,
) -> Result<Response, Refusal> {
    let b = entry_body(body, "Rating")?;
    let get = |f: &str| as_text(b.get(f));
    let rating = NewRating::parse(&get("year"), &get("rating"), &get("proposed_to_party")).map_err(invalid)?;
    app.set_rating(&caller.actor(), id, &rating).await?;
    Ok(added(json!({"year": rating.year})))
}

/// An entry added: `answer` with 201 Created.
fn added(answer: Value) -> Response {
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// An entry removed: what it was.
fn removed<T: serde::Serialize>(before: T) -> Response {
    Json(json!({"removed": before})).into_response()
}

pub async fn remove_role(
    State(app): State<App>,
    caller: ApiUser,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Response, Refusal> {
    Ok(removed(app.remove_role(&caller.actor(), id, entry).await?))
}

pub async fn remove_title(
    State(app): State<App>,
    caller: ApiUser,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Response, Refusal> {
    Ok(removed(app.remove_title(&caller.actor(), id, entry).await?))
}

pub async fn remove_rating(
    State(app): State<App>,
    caller: ApiUser,
    Path((id, year)): Path<(i64, i64)>,
) -> Result<Response, Refusal> {
    let year =
        i32::try_from(year).map_err(|_| AppError::from(hnd_domain::MemberError::UnknownEntry { id, entry: year }))?;
    Ok(removed(app.remove_rating(&caller.actor(), id, year).await?))
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
    // A rating's year as the profile reads it (`NewRating`): a year of the
    // register's span, not any integer.
    let year = json!({"name": "year", "in": "path", "required": true,
                      "schema": {"type": "integer", "format": "int32", "minimum": 1900, "maximum": 2100}});
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
