//! Membership fees in the JSON API: a unit's collection for a year, a
//! province's rate, payments recorded, a member's record. The changes
//! call their operations; the reads answer who may read the unit or the
//! member. The paths join the OpenAPI document.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, AppError};
use hnd_domain::{Day, FeeRate};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Default, Deserialize)]
pub struct FeesQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
}

/// `GET /api/v1/fees?unit=&year=`: what the unit's subtree collected.
pub async fn report(State(app): State<App>, caller: ApiUser, Query(q): Query<FeesQuery>) -> Result<Response, Refusal> {
    let year = crate::fees::year_of(&q.year)?;
    let unit = match q.unit.trim() {
        "" => caller
            .user
            .home(hnd_domain::Action::ViewMembers)
            .map(|g| g.unit_code.clone())
            .ok_or_else(Refusal::forbidden)?,
        code => code.to_string(),
    };
    Ok(Json(app.fee_report(&caller.actor(), &unit, year).await?).into_response())
}

#[derive(Deserialize)]
pub struct Rate {
    amount: i64,
    branch: i64,
    base: i64,
    province: i64,
    central: i64,
}

/// `PUT /api/v1/fees/rates/{unit}/{year}`: a province's fee for a year.
pub async fn set_rate(
    State(app): State<App>,
    caller: ApiUser,
    Path((unit, year)): Path<(String, i32)>,
    body: JsonBody<Rate>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let rate = FeeRate::new(b.amount, b.branch, b.base, b.province, b.central);
    let before = app.set_fee_rate(&caller.actor(), &unit, year, rate.clone()).await?;
    Ok(Json(json!({"unit": unit, "year": year, "rate": rate.ok(), "before": before})).into_response())
}

#[derive(Deserialize)]
pub struct Payments {
    year: i32,
    members: Vec<i64>,
    #[serde(default)]
    date: Option<String>,
}

/// `POST /api/v1/fees/payments`: members who paid the year's fee, all or none.
pub async fn pay(State(app): State<App>, caller: ApiUser, body: JsonBody<Payments>) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let day = Day::parse_or_today(b.date.as_deref().unwrap_or_default()).map_err(|e| AppError::field("date", e))?;
    let collected = app.record_fees(&caller.actor(), &b.members, b.year, day).await?;
    let answer = json!({"year": b.year, "members": b.members, "collected": collected});
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET /api/v1/members/{id}/fees`: the member's payments.
pub async fn member(State(app): State<App>, caller: ApiUser, Path(id): Path<i64>) -> Result<Response, Refusal> {
    Ok(Json(app.member_fees(&caller.actor(), id).await?).into_response())
}

/// The paths above, for the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let text = json!({"type": "string"});
    let q = |name: &str, description: &str| json!({"name": name, "in": "query", "required": false, "description": description, "schema": text});
    let p = |name: &str, schema: Value| json!({"name": name, "in": "path", "required": true, "schema": schema});
    let mut created = doc.common(doc.ok("Đã ghi nhận"));
    if let Some(map) = created.as_object_mut() {
        let ok = map.remove("200").unwrap_or(Value::Null);
        map.insert("201".into(), ok);
    }
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/fees".into(),
        json!({"get": {"summary": "Hội phí thu được trong năm: từng đơn vị trực thuộc, tổng và phần chia các cấp",
                       "parameters": [q("unit", "mã đơn vị; để trống: đơn vị của người dùng"), q("year", "năm; để trống: năm nay")],
                       "responses": doc.common(doc.ok("Hội phí"))}}),
    );
    paths.insert(
        "/api/v1/fees/rates/{unit}/{year}".into(),
        json!({"put": {"summary": "Mức hội phí một năm của tỉnh và phần mỗi cấp giữ (ghi lại thay mức cũ)",
                       "parameters": [p("unit", text.clone()), p("year", json!({"type": "integer", "minimum": 1930, "maximum": 2200}))],
                       "requestBody": doc.body("FeeRate"), "responses": doc.common(doc.ok("Mức hội phí"))}}),
    );
    paths.insert(
        "/api/v1/fees/payments".into(),
        json!({"post": {"summary": "Ghi nhận hội viên đã đóng hội phí năm (tất cả hoặc không ai)",
                        "requestBody": doc.body("FeePayments"), "responses": created}}),
    );
    let list = json!({"description": "Hội phí của hội viên, từng năm",
                      "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}});
    paths.insert(
        "/api/v1/members/{id}/fees".into(),
        json!({"get": {"summary": "Hội phí hội viên đã đóng qua các năm", "parameters": [doc.id],
                       "responses": doc.common(list)}}),
    );
    paths
}

/// The schemas of the bodies above.
pub fn schemas() -> serde_json::Map<String, Value> {
    let dong = json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": 10_000_000});
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "FeeRate".into(),
        json!({"type": "object", "required": ["amount", "branch", "base", "province", "central"],
               "description": "đồng; các phần cộng lại bằng mức hội phí",
               "properties": {"amount": dong, "branch": dong, "base": dong, "province": dong, "central": dong}}),
    );
    schemas.insert(
        "FeePayments".into(),
        json!({"type": "object", "required": ["year", "members"], "properties": {
               "year": {"type": "integer", "minimum": 1930, "maximum": 2200},
               "members": {"type": "array", "minItems": 1, "items": {"type": "integer", "format": "int64"}},
               "date": {"type": "string", "nullable": true, "description": "dd/mm/yyyy; để trống: hôm nay"}}}),
    );
    schemas
}
