//! Households in the JSON API: one read, a household made with its head,
//! a member put in one, a year's category. The changes call their
//! operations; the read answers only who may see the household's head
//! (a household is filed under its head's unit). The paths join the
//! OpenAPI document.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, AppError};
use hnd_domain::{HouseholdCategory, HouseholdRole, MemberError};
use hnd_store::StoreError;
use serde::Deserialize;
use serde_json::{Value, json};

/// The household `id` as the API shows it.
async fn shown(app: &App, id: i64) -> Result<Value, AppError> {
    let h = app.store().household(id).await?;
    let members: Vec<Value> = h
        .members
        .into_iter()
        .map(|(id, name, role)| json!({"id": id, "full_name": name, "role": role}))
        .collect();
    let categories: Vec<Value> = h
        .categories
        .into_iter()
        .map(|(year, category)| json!({"year": year, "category": category}))
        .collect();
    Ok(json!({"id": h.id, "address": h.address, "members": members, "categories": categories}))
}

/// The household `id` as the API shows it, with `status`.
async fn answer(app: &App, id: i64, status: StatusCode) -> Result<Response, Refusal> {
    Ok((status, Json(shown(app, id).await?)).into_response())
}

/// `GET /api/v1/households/{id}`.
pub async fn household(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>) -> Result<Response, Refusal> {
    if !hnd_app::may_view_household(&app, &caller.user, id).await? {
        return Err(Refusal::forbidden());
    }
    answer(&app, id, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct NewHousehold {
    head: i64,
    #[serde(default)]
    address: Option<String>,
}

/// `POST /api/v1/households`: a new household headed by member `head`.
pub async fn create(
    State(app): State<App>,
    caller: ApiUser,
    body: JsonBody<NewHousehold>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let id = app.create_household(&caller.actor(), b.head, b.address).await?;
    answer(&app, id, StatusCode::CREATED).await
}

#[derive(Deserialize)]
pub struct Joining {
    member: i64,
    #[serde(default)]
    role: String,
}

/// `POST /api/v1/households/{id}/members`: member `member` joins with `role`.
pub async fn join(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<Joining>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let role = HouseholdRole::parse(&b.role).ok_or_else(|| AppError::bad_value("household_role", &b.role))?;
    // The household is the path's resource; a member the body names that
    // does not exist is a refused field (422), not a missing household.
    app.join_household(&caller.actor(), id, b.member, role)
        .await
        .map_err(|e| match e {
            AppError::Store(StoreError::Member(e @ MemberError::UnknownMember { .. })) => AppError::field("member", e),
            e => e,
        })?;
    answer(&app, id, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct Categorised {
    #[serde(default)]
    category: String,
}

/// `PUT /api/v1/households/{id}/categories/{year}`: the year's category.
pub async fn category(
    State(app): State<App>,
    caller: ApiUser,
    Path((id, year)): Path<(i64, i32)>,
    body: JsonBody<Categorised>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let category =
        HouseholdCategory::parse(&b.category).ok_or_else(|| AppError::bad_value("household_category", &b.category))?;
    app.set_household_category(&caller.actor(), id, year, category).await?;
    answer(&app, id, StatusCode::OK).await
}

/// The paths above, for the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let id = &doc.id;
    let year = json!({"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}});
    let mut created = doc.common(doc.ok("Hộ mới"));
    if let Some(map) = created.as_object_mut() {
        let ok = map.remove("200").unwrap_or(Value::Null);
        map.insert("201".into(), ok);
    }
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/households".into(),
        json!({"post": {"summary": "Lập hộ gia đình, một hội viên là chủ hộ (hộ thuộc đơn vị của chủ hộ)",
                        "requestBody": doc.body("NewHousehold"), "responses": created}}),
    );
    paths.insert(
        "/api/v1/households/{id}".into(),
        json!({"get": {"summary": "Một hộ: các thành viên và phân loại theo năm", "parameters": [id],
                       "responses": doc.common(doc.ok("Hộ gia đình"))}}),
    );
    paths.insert(
        "/api/v1/households/{id}/members".into(),
        json!({"post": {"summary": "Thêm hội viên vào hộ với quan hệ với chủ hộ", "parameters": [id],
                        "requestBody": doc.body("HouseholdMember"), "responses": doc.common(doc.ok("Hộ gia đình"))}}),
    );
    paths.insert(
        "/api/v1/households/{id}/categories/{year}".into(),
        json!({"put": {"summary": "Phân loại hộ trong một năm (ghi lại thay phân loại cũ)", "parameters": [id, year],
                       "requestBody": doc.body("HouseholdCategory"), "responses": doc.common(doc.ok("Hộ gia đình"))}}),
    );
    paths
}

/// The schemas of the bodies above.
pub fn schemas() -> serde_json::Map<String, Value> {
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "NewHousehold".into(),
        json!({"type": "object", "required": ["head"], "properties": {
               "head": {"type": "integer", "format": "int64"}, "address": {"type": "string"}}}),
    );
    schemas.insert(
        "HouseholdMember".into(),
        json!({"type": "object", "required": ["member", "role"], "properties": {
               "member": {"type": "integer", "format": "int64"},
               "role": {"type": "string", "enum": ["spouse", "child", "parent", "other"]}}}),
    );
    schemas.insert(
        "HouseholdCategory".into(),
        json!({"type": "object", "required": ["category"], "properties": {
               "category": {"type": "string", "enum": ["poor", "near_poor", "policy", "other"]}}}),
    );
    schemas
}
