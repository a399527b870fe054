//! Periodic reports in the JSON API: a unit's report on a form for a
//! period with the units below (`GET`), its draft written (`PUT`), a step
//! of its workflow (`POST …/{step}`: submit, return, approve, unlock) and
//! its document (`GET …/document?format=pdf|docx`). Each calls its
//! operation; the paths join the OpenAPI document.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hnd_app::{App, AppError};
use hnd_domain::ReportStep;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `GET /api/v1/reports/{unit}/{form}/{period}`.
pub async fn view(
    State(app): State<App>,
    caller: ApiUser,
    Path((unit, form, period)): Path<(String, String, String)>,
) -> Result<Response, Refusal> {
    Ok(Json(app.report_view(&caller.actor(), &unit, &form, &period).await?).into_response())
}

/// A figure sent as a number or as text ("1.250").
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Figure {
    Number(i64),
    Text(String),
}

#[derive(Deserialize)]
pub struct Draft {
    #[serde(default)]
    parts: BTreeMap<String, String>,
    #[serde(default)]
    typed: BTreeMap<String, Figure>,
}

/// `PUT /api/v1/reports/{unit}/{form}/{period}`: the draft's parts and figures.
pub async fn save(
    State(app): State<App>,
    caller: ApiUser,
    Path((unit, form, period)): Path<(String, String, String)>,
    body: JsonBody<Draft>,
) -> Result<Response, Refusal> {
    let Json(d) = body?;
    let typed = d
        .typed
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Figure::Number(n) => n.to_string(),
                Figure::Text(t) => t,
            };
            (k, text)
        })
        .collect();
    let id = app
        .save_report(&caller.actor(), &unit, (&form, &period), &d.parts, &typed)
        .await?;
    Ok(Json(json!({"id": id, "unit": unit, "form": form, "period": period})).into_response())
}

#[derive(Deserialize, Default)]
pub struct StepBody {
    #[serde(default)]
    comment: String,
}

/// `POST /api/v1/reports/{unit}/{form}/{period}/{step}`.
pub async fn step(
    State(app): State<App>,
    caller: ApiUser,
    Path((unit, form, period, step)): Path<(String, String, String, String)>,
    body: JsonBody<StepBody>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let step = ReportStep::parse(&step).ok_or_else(|| AppError::bad_value("step", &step))?;
    let report = app
        .report_step(&caller.actor(), &unit, (&form, &period), step, &b.comment)
        .await?;
    Ok(Json(report).into_response())
}

#[derive(Deserialize, Default)]
pub struct DocumentQuery {
    #[serde(default)]
    format: String,
}

/// `GET /api/v1/reports/{unit}/{form}/{period}/document?format=pdf|docx`.
pub async fn document(
    State(app): State<App>,
    caller: ApiUser,
    Path((unit, form, period)): Path<(String, String, String)>,
    Query(q): Query<DocumentQuery>,
) -> Result<Response, Refusal> {
    let format = if q.format.is_empty() { "pdf" } else { q.format.as_str() };
    let bytes = app
        .report_document(&caller.actor(), &unit, &form, &period, format)
        .await?;
    let content_type = if format == "docx" {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else {
        "application/pdf"
    };
    let mut response = bytes.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(response)
}

/// The paths above, for the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let text = json!({"type": "string"});
    let p = |name: &str, description: &str| json!({"name": name, "in": "path", "required": true, "description": description, "schema": text});
    let at = || {
        vec![
            p("unit", "mã đơn vị"),
            p("form", "strength, six_month hoặc year"),
            p("period", "2026, 2026-Q2, 2026-H1"),
        ]
    };
    let mut with_step = at();
    with_step.push(json!({"name": "step", "in": "path", "required": true,
        "schema": {"type": "string", "enum": ["submit", "return", "approve", "unlock"]}}));
    let mut with_format = at();
    with_format.push(json!({"name": "format", "in": "query", "required": false,
        "schema": {"type": "string", "enum": ["pdf", "docx"]}}));
    let file = json!({"description": "Văn bản báo cáo", "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"schema": {"type": "string", "format": "binary"}}}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/reports/{unit}/{form}/{period}".into(),
        json!({
            "get": {"summary": "Báo cáo của đơn vị theo mẫu và kỳ, cùng tình trạng báo cáo của các đơn vị trực thuộc",
                    "parameters": at(), "responses": doc.common(doc.ok("Báo cáo"))},
            "put": {"summary": "Ghi bản nháp: các phần nội dung và số liệu nhập",
                    "parameters": at(), "requestBody": doc.body("ReportDraft"), "responses": doc.common(doc.ok("Đã lưu"))}
        }),
    );
    let mut stepped = doc.common(doc.ok("Báo cáo sau bước xử lý"));
    stepped["409"] = doc.error.clone();
    paths.insert(
        "/api/v1/reports/{unit}/{form}/{period}/{step}".into(),
        json!({"post": {"summary": "Gửi lên, trả lại (cần ý kiến), duyệt (khoá số liệu kỳ) hoặc mở khoá báo cáo",
                        "parameters": with_step, "requestBody": doc.body("ReportStep"), "responses": stepped}}),
    );
    paths.insert(
        "/api/v1/reports/{unit}/{form}/{period}/document".into(),
        json!({"get": {"summary": "Văn bản báo cáo theo thể thức của Hội (PDF hoặc DOCX)",
                       "parameters": with_format, "responses": doc.common(file)}}),
    );
    paths
}

/// The schemas of the bodies above.
pub fn schemas() -> serde_json::Map<String, Value> {
    let mut schemas = serde_json::Map::new();
    let figure = json!({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]});
    schemas.insert(
        "ReportDraft".into(),
        json!({"type": "object", "properties": {
            "parts": {"type": "object", "description": "results, shortcomings, lessons, next_tasks, proposals",
                      "additionalProperties": {"type": "string"}},
            "typed": {"type": "object", "description": "farm_households, villages, villages_with_branch, union_fund",
                      "additionalProperties": figure}}}),
    );
    schemas.insert(
        "ReportStep".into(),
        json!({"type": "object", "properties": {"comment": {"type": "string", "description": "bắt buộc khi trả lại hoặc mở khoá"}}}),
    );
    schemas
}
