//! The entry grid in the JSON API: a unit's figures for a period with who
//! entered each and when (`GET /api/v1/units/{code}/values/{period}`), and
//! a period's figures written at once (`PUT`, all or none) through
//! [`hnd_app::App::enter_values`]. Refused figures, and figures far from
//! the period before until `confirm` is sent, are answered 422 with each
//! one in `problems`. The paths join the OpenAPI document.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, AppError, entry_grid};
use hnd_domain::plan::Period;
use hnd_domain::{Lang, PlanError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The period of an address: its code (`2026`, `2026-Q2`) or as people write it.
pub fn period_of(text: &str) -> Result<Period, Refusal> {
    Period::parse(text).map_err(|_| {
        let text = text.to_string();
        Refusal::value(StatusCode::UNPROCESSABLE_ENTITY, "period", move |lang| {
            PlanError::BadPeriod { text: text.clone() }.message(lang)
        })
    })
}

/// `GET /api/v1/units/{code}/values/{period}`: the unit's entry grid.
pub async fn grid(
    State(app): State<App>,
    caller: ApiUser,
    Path((code, period)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    let period = period_of(&period)?;
    Ok(Json(entry_grid(&app, &caller.user, &code, period, caller.lang).await?).into_response())
}

#[derive(Deserialize)]
pub struct Figures {
    values: BTreeMap<String, f64>,
    #[serde(default)]
    confirm: bool,
}

/// Figures refused or to confirm, each with its indicator, beside the
/// documented error.
pub fn problems_answer(e: &AppError, lang: Lang) -> Option<Response> {
    let AppError::Figures(problems) = e else {
        return None;
    };
    let warnings_only = problems.iter().all(|p| p.warning);
    let code = if warnings_only { "confirm" } else { "refused" };
    let list: Vec<Value> = problems
        .iter()
        .map(|p| json!({"indicator": p.indicator, "warning": p.warning, "message": p.error.message(lang)}))
        .collect();
    let body = json!({"error": {"code": code, "message": e.message(lang), "field": null}, "problems": list});
    Some((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
}

/// `PUT /api/v1/units/{code}/values/{period}`: the figures sent, all or none.
pub async fn enter(
    State(app): State<App>,
    caller: ApiUser,
    Path((code, period)): Path<(String, String)>,
    body: JsonBody<Figures>,
) -> Result<Response, Refusal> {
    let period = period_of(&period)?;
    let Json(b) = body?;
    let values: Vec<(String, f64)> = b.values.into_iter().collect();
    match app
        .enter_values(&caller.actor(), &code, period, &values, b.confirm)
        .await
    {
        Ok(saved) => {
            let grid = entry_grid(&app, &caller.user, &code, period, caller.lang).await?;
            Ok(Json(json!({"saved": saved, "grid": grid})).into_response())
        }
        Err(e) => match problems_answer(&e, caller.lang) {
            Some(answer) => Ok(answer),
            None => Err(e.into()),
        },
    }
}

/// The paths of this module in the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let code = json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}});
    let period = json!({"name": "period", "in": "path", "required": true,
        "description": "kỳ: 2026, 2026-Q2, 2026-H1 (6 tháng), 2026-9M (9 tháng), 2026-03 (tháng 3)",
        "schema": {"type": "string", "pattern": "^(19[3-9][0-9]|20[0-9]{2}|21[0-9]{2}|2200)(-(Q[1-4]|H1|9M|0[1-9]|1[0-2]))?$"}});
    let grid = json!({"description": "Bảng nhập số liệu", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EntryGrid"}}}});
    let mut put_answers = doc.common(doc.ok("Đã lưu: số chỉ tiêu và bảng nhập số liệu"));
    put_answers["409"] = doc.error.clone();
    put_answers["422"] = json!({"description": "Số liệu bị từ chối (code refused) hoặc cần xác nhận vì khác xa kỳ trước (code confirm: gửi lại với confirm true)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FigureProblems"}}}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/units/{code}/values/{period}".into(),
        json!({"get": {"summary": "Bảng nhập số liệu của một đơn vị trong một kỳ: các chỉ tiêu nhập tay, số đã nhập (người nhập, lúc nhập), số kỳ trước, kỳ đã khóa chưa",
                       "parameters": [code, period], "responses": doc.common(grid)},
               "put": {"summary": "Nhập số liệu của kỳ (tất cả hoặc không): số không vượt mẫu số (hội viên có BHYT ≤ hội viên), tỷ lệ trong 0–100, số lệch hơn 50% so với kỳ trước cần confirm; kỳ đã khóa: 409",
                       "parameters": [code, period], "requestBody": doc.body("Figures"), "responses": put_answers}}),
    );
    paths
}

/// The schemas of this module's bodies and answers.
pub fn schemas() -> serde_json::Map<String, Value> {
    let maybe_text = json!({"type": "string", "nullable": true});
    let maybe_number = json!({"type": "number", "nullable": true});
    let text = json!({"type": "string"});
    let row = json!({"type": "object", "required": ["indicator", "name", "measure"], "properties": {
        "indicator": text, "name": text, "measure": text, "value": maybe_number, "last": maybe_number,
        "entered_by": maybe_text, "entered_at": maybe_text}});
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "EntryGrid".into(),
        json!({"type": "object", "required": ["unit", "unit_name", "period", "locked", "rows"], "properties": {
            "unit": text, "unit_name": text, "period": text, "period_name": text, "previous": text,
            "locked": {"type": "boolean"}, "rows": {"type": "array", "items": row}}}),
    );
    schemas.insert(
        "Figures".into(),
        json!({"type": "object", "required": ["values"], "properties": {
            "values": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0},
                       "description": "mã chỉ tiêu → số liệu"},
            "confirm": {"type": "boolean", "description": "xác nhận các số khác xa kỳ trước"}}}),
    );
    schemas.insert(
        "FigureProblems".into(),
        json!({"type": "object", "required": ["error"], "properties": {
            "error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "description": "refused: số liệu bị từ chối; confirm: cần xác nhận"},
                "message": text, "field": {"type": "string", "nullable": true}}},
            "problems": {"type": "array", "description": "từng số liệu bị từ chối hoặc cần xác nhận (khi code là refused hoặc confirm)", "items": {"type": "object", "required": ["indicator", "warning", "message"],
                "properties": {"indicator": text, "warning": {"type": "boolean"}, "message": text}}}}}),
    );
    schemas
}
