//! Tasks in the JSON API: the tasks the caller follows, one task with its
//! reports, and a report (status and note) through
//! [`hnd_app::App::report_task`]. Who reads and who reports is the
//! policy's (`Principal::may_read_task`, `may_report_task`). The paths
//! join the OpenAPI document.

use crate::api::{ApiUser, app_error, bad_json};
use crate::request::Doc;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

/// `GET /api/v1/tasks`: the tasks the caller may follow, late ones first.
pub async fn list(State(state): State<crate::AppState>, caller: ApiUser) -> Response {
    match crate::tasks::visible_tasks(&state.store, &caller.user).await {
        Ok(tasks) => Json(tasks).into_response(),
        Err(e) => app_error(e.into(), caller.lang),
    }
}

/// `GET /api/v1/tasks/{id}`: a task and its reports.
pub async fn show(State(app): State<hnd_app::App>, caller: ApiUser, Path(id): Path<i64>) -> Response {
    match hnd_app::readable_task(&app, &caller.user, id).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => app_error(e, caller.lang),
    }
}

#[derive(Deserialize, Default)]
pub struct TaskReportBody {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

/// `POST /api/v1/tasks/{id}/reports`: a note and the status it leaves.
pub async fn report(
    State(app): State<hnd_app::App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<TaskReportBody>, JsonRejection>,
) -> Response {
    let Json(b) = match body {
        Ok(b) => b,
        Err(r) => return bad_json(r, caller.lang),
    };
    let report = hnd_app::TaskReport {
        status: b.status,
        note: b.note,
        files: Vec::new(),
    };
    let status = report.status.trim().to_string();
    match app.report_task(&caller.actor(), id, report).await {
        Ok(()) => Json(json!({"id": id, "status": status})).into_response(),
        Err(e) => app_error(e, caller.lang),
    }
}

/// The paths of this module in the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let list = json!({"description": "Danh sách nhiệm vụ", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}});
    let id = &doc.id;
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/tasks".into(),
        json!({"get": {"summary": "Nhiệm vụ được theo dõi (tài khoản của cơ quan ngoài Hội: nhiệm vụ giao cho cơ quan đó)",
                       "responses": doc.common(list)}}),
    );
    paths.insert(
        "/api/v1/tasks/{id}".into(),
        json!({"get": {"summary": "Một nhiệm vụ và các báo cáo tiến độ", "parameters": [id],
                       "responses": doc.common(doc.ok("Nhiệm vụ"))}}),
    );
    paths.insert(
        "/api/v1/tasks/{id}/reports".into(),
        json!({"post": {"summary": "Báo cáo tiến độ, đổi trạng thái nhiệm vụ", "parameters": [id],
                        "requestBody": doc.body("TaskReport"),
                        "responses": doc.common(doc.ok("Đã lưu"))}}),
    );
    paths
}

/// The schema of a report's body.
pub fn schemas() -> serde_json::Map<String, Value> {
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "TaskReport".into(),
        json!({"type": "object", "required": ["status", "note"], "properties": {
            "status": {"type": "string", "enum": hnd_store::STATUSES}, "note": {"type": "string", "minLength": 1}}}),
    );
    schemas
}
