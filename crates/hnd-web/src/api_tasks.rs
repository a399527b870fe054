//! Tasks in the JSON API: the tasks the caller follows, one task with its
//! reports, a task added to a plan or changed, a task given to units
//! below, and a report (status and note) through the operations of
//! `hnd_app::tasks`. Who reads and who reports is the policy's
//! (`Principal::may_read_task`, `may_report_task`). The paths join the
//! OpenAPI document.

use crate::api::{ApiUser, app_error, bad_json};
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, TaskText, readable_task};
use serde::Deserialize;
use serde_json::{Value, json};

/// `POST /api/v1/plans/{number}/tasks`: a task added; 201 with its id and the task.
pub async fn create(
    State(app): State<App>,
    caller: ApiUser,
    Path(number): Path<String>,
    body: JsonBody<TaskText>,
) -> Result<Response, Refusal> {
    let Json(text) = body?;
    let id = app.add_task(&caller.actor(), number.trim(), &text.task()).await?;
    let task = readable_task(&app, &caller.user, id).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "task": task}))).into_response())
}

/// `PUT /api/v1/tasks/{id}`: the task with the fields sent (the others stay).
pub async fn edit(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<serde_json::Map<String, Value>>,
) -> Result<Response, Refusal> {
    let Json(fields) = body?;
    let before = app.store().task(id, hnd_domain::Day::today()).await?.task;
    let mut text = serde_json::to_value(TaskText::of(&before)).unwrap_or_default();
    for (key, value) in fields {
        if let Some(old) = text.get_mut(&key) {
            *old = value;
        }
    }
    let text: TaskText = serde_json::from_value(text).map_err(|_| {
        Refusal::value(StatusCode::BAD_REQUEST, "task", |lang| {
            hnd_domain::i18n::t(lang, "web.bad_json", &[])
        })
    })?;
    app.edit_task(&caller.actor(), id, &text.task()).await?;
    Ok(Json(readable_task(&app, &caller.user, id).await?).into_response())
}

/// `GET /api/v1/plans/{number}/bodies`: the bodies on the list of the
/// plan's province, which its tasks choose from (naming another adds it).
pub async fn bodies(State(app): State<App>, caller: ApiUser, Path(number): Path<String>) -> Result<Response, Refusal> {
    let plan = hnd_app::readable_plan(&app, &caller.actor(), number.trim()).await?;
    let names = app.store().plan_bodies(&plan.plan.number).await?;
    Ok(Json(json!({"plan": plan.plan.number, "bodies": names})).into_response())
}

#[derive(Deserialize)]
pub struct Assignment {
    units: Vec<String>,
}

/// `POST /api/v1/tasks/{id}/assignments`: the task given to units below.
pub async fn assign(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<Assignment>,
) -> Result<Response, Refusal> {
    let Json(b) = body?;
    let given = app.assign_task(&caller.actor(), id, &b.units).await?;
    let copies: Vec<Value> = given.iter().map(|(unit, id)| json!({"unit": unit, "id": id})).collect();
    Ok(Json(json!({"task": id, "copies": copies})).into_response())
}

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
        json!({"get": {"summary": "Một nhiệm vụ, các báo cáo tiến độ và các bản giao cho đơn vị cấp dưới (copies)", "parameters": [id],
                       "responses": doc.common(doc.ok("Nhiệm vụ"))},
               "put": {"summary": "Sửa nhiệm vụ: các trường gửi lên thay trường cũ, các trường khác giữ nguyên; các bản giao cấp dưới theo nội dung, cơ quan và thời hạn mới (sửa một bản giao: 422)",
                       "parameters": [id], "requestBody": doc.body("TaskText"),
                       "responses": doc.common(doc.ok("Nhiệm vụ đã sửa"))}}),
    );
    let number = json!({"name": "number", "in": "path", "required": true, "description": "số kế hoạch (dấu / viết %2F)",
                        "schema": {"type": "string", "minLength": 1}});
    let created = json!({"description": "Nhiệm vụ đã thêm", "content": {"application/json": {"schema": {
        "type": "object", "required": ["id", "task"], "properties": {"id": {"type": "integer"}, "task": {"type": "object"}}}}}});
    let mut answers = doc.common(doc.ok("Nhiệm vụ đã thêm"));
    if let Some(answers) = answers.as_object_mut() {
        answers.remove("200");
        answers.insert("201".into(), created);
    }
    paths.insert(
        "/api/v1/plans/{number}/tasks".into(),
        json!({"post": {"summary": "Thêm nhiệm vụ vào kế hoạch: nội dung, cơ quan chỉ đạo, chủ trì, phối hợp (tên cách nhau bằng dấu ; hoặc danh sách), thời hạn, đơn vị chịu trách nhiệm (mặc định: đơn vị ban hành)",
                        "parameters": [number], "requestBody": doc.body("TaskText"), "responses": answers}}),
    );
    let listed = json!({"description": "Danh sách cơ quan", "content": {"application/json": {"schema": {
        "type": "object", "required": ["plan", "bodies"],
        "properties": {"plan": {"type": "string"}, "bodies": {"type": "array", "items": {"type": "string"}}}}}}});
    paths.insert(
        "/api/v1/plans/{number}/bodies".into(),
        json!({"get": {"summary": "Danh sách cơ quan của tỉnh ban hành kế hoạch (các cơ quan kế hoạch của tỉnh đã nêu; nêu tên mới trong một nhiệm vụ là thêm vào danh sách)",
                       "parameters": [number], "responses": doc.common(listed)}}),
    );
    paths.insert(
        "/api/v1/tasks/{id}/assignments".into(),
        json!({"post": {"summary": "Giao nhiệm vụ cho các đơn vị cấp dưới: mỗi đơn vị một bản để tự báo cáo (đơn vị đã được giao giữ bản của mình)",
                        "parameters": [id], "requestBody": doc.body("TaskAssignment"),
                        "responses": doc.common(doc.ok("Các bản giao: đơn vị và số nhiệm vụ"))}}),
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
    let names = json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]});
    let text = |description: &str| json!({"type": "string", "description": description});
    schemas.insert(
        "TaskText".into(),
        json!({"type": "object", "properties": {
            "title": text("nội dung nhiệm vụ"),
            "directing": names, "lead": names, "coordinating": names,
            "deadline": text("thời hạn: dd/mm/yyyy, \"tháng 7/2026\", \"quý II/2026\", \"năm 2030\", \"hằng năm trước ngày 15/11\" hoặc \"thường xuyên\""),
            "unit": text("mã đơn vị chịu trách nhiệm (đơn vị ban hành hoặc cấp dưới); để trống: đơn vị ban hành")}}),
    );
    schemas.insert(
        "TaskAssignment".into(),
        json!({"type": "object", "required": ["units"], "properties": {
            "units": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}}}),
    );
    schemas.insert(
        "TaskReport".into(),
        json!({"type": "object", "required": ["status", "note"], "properties": {
            "status": {"type": "string", "enum": hnd_store::STATUSES}, "note": {"type": "string", "minLength": 1}}}),
    );
    schemas
}
