//! A plan's text read into a draft in the JSON API:
//! `POST /api/v1/plans/read?unit=CODE` takes the document's bytes (DOCX,
//! PDF with a text layer, or text) and answers what it says with the
//! review it starts from; `POST /api/v1/plans/from-reading` writes the
//! reviewed draft as the unit's plan (201 with its number). Both call
//! `hnd_app`'s plan reading, which asks the policy.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::JsonBody;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, ReviewedPlan, first_review, read_plan_document};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct ReadParams {
    #[serde(default)]
    unit: String,
}

/// `POST /api/v1/plans/read?unit=`: the draft read, and its first review.
pub async fn read(
    State(app): State<App>,
    caller: ApiUser,
    Query(q): Query<ReadParams>,
    body: Bytes,
) -> Result<Response, Refusal> {
    let unit = Some(q.unit.trim()).filter(|u| !u.is_empty());
    let draft = read_plan_document(&app, &caller.actor(), unit, &body).await?;
    let review = first_review(unit.unwrap_or_default(), &draft);
    let mut out = serde_json::to_value(&draft).unwrap_or_default();
    out["review"] = serde_json::to_value(&review).unwrap_or_default();
    Ok(Json(out).into_response())
}

/// `POST /api/v1/plans/from-reading`: the reviewed draft written; 201.
pub async fn create(
    State(app): State<App>,
    caller: ApiUser,
    body: JsonBody<ReviewedPlan>,
) -> Result<Response, Refusal> {
    let Json(reviewed) = body?;
    let number = app.create_plan_from_reading(&caller.actor(), &reviewed).await?;
    Ok((StatusCode::CREATED, Json(json!({ "number": number }))).into_response())
}

/// The two paths in the OpenAPI document.
pub fn paths(error: &serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    let refusals = json!({"400": error, "401": error, "403": error, "404": error, "409": error, "422": error});
    let with = |code: &str, description: &str| {
        let mut r = refusals.clone();
        r[code] = json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}});
        r
    };
    let unit = json!({"name": "unit", "in": "query", "required": false,
        "description": "mã đơn vị sẽ ra kế hoạch (cần quyền lập kế hoạch ở đó); để trống: chỉ đọc văn bản",
        "schema": {"type": "string"}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/plans/read".into(),
        json!({"post": {"summary": "Đọc một văn bản (DOCX, PDF có lớp chữ, văn bản thuần): số, ngày, cơ quan ban hành, trích yếu, chỉ tiêu, nhiệm vụ, và bản rà soát ban đầu",
            "parameters": [unit],
            "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": with("200", "Những gì văn bản nói")}}),
    );
    paths.insert(
        "/api/v1/plans/from-reading".into(),
        json!({"post": {"summary": "Ghi bản rà soát thành dự thảo kế hoạch của đơn vị (kế hoạch, chỉ tiêu, nhiệm vụ: tất cả hoặc không gì)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                "required": ["plan"],
                "properties": {"plan": {"type": "object"}, "targets": {"type": "array", "items": {"type": "object"}},
                               "tasks": {"type": "array", "items": {"type": "object"}}}}}}},
            "responses": with("201", "Dự thảo đã tạo: số của nó")}}),
    );
    paths
}
