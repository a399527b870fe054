//! A plan's life in the JSON API: drafted (`POST /api/v1/plans`), a draft
//! changed (`PATCH /api/v1/plans/{number}`: the fields sent replace the
//! draft's, the others stay), issued and withdrawn. Each calls its
//! operation of `hnd_app` (`plan_life.rs`), which asks the policy; the
//! paths join the OpenAPI document through `api_plans::paths`.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::JsonBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, PlanText, readable_plan};
use serde_json::{Value, json};

/// The plan as the API answers a change: the plan and its units below.
async fn answer(app: &App, caller: &ApiUser, number: &str, status: StatusCode) -> Result<Response, Refusal> {
    let view = readable_plan(app, &caller.actor(), number).await?;
    Ok((status, Json(view)).into_response())
}

/// `POST /api/v1/plans`: a draft; 201 with its number.
pub async fn create(State(app): State<App>, caller: ApiUser, body: JsonBody<PlanText>) -> Result<Response, Refusal> {
    let Json(text) = body?;
    let number = app.create_plan(&caller.actor(), &text).await?;
    answer(&app, &caller, &number, StatusCode::CREATED).await
}

/// `PATCH /api/v1/plans/{number}`: the draft with the fields sent.
pub async fn edit(
    State(app): State<App>,
    caller: ApiUser,
    Path(number): Path<String>,
    body: JsonBody<serde_json::Map<String, Value>>,
) -> Result<Response, Refusal> {
    let Json(fields) = body?;
    let actor = caller.actor();
    let plan = app.store().plan(number.trim()).await?;
    let mut text = serde_json::to_value(PlanText::of(&plan)).unwrap_or_default();
    for (key, value) in fields {
        if let (Some(old), Value::String(_)) = (text.get_mut(&key), &value) {
            *old = value;
        }
    }
    let text: PlanText = serde_json::from_value(text).unwrap_or_default();
    app.edit_plan(&actor, &plan.number, &text, None).await?;
    answer(&app, &caller, &plan.number, StatusCode::OK).await
}

/// `POST /api/v1/plans/{number}/issue`.
pub async fn issue(State(app): State<App>, caller: ApiUser, Path(number): Path<String>) -> Result<Response, Refusal> {
    app.issue_plan(&caller.actor(), &number, None).await?;
    answer(&app, &caller, number.trim(), StatusCode::OK).await
}

/// `POST /api/v1/plans/{number}/withdraw`.
pub async fn withdraw(
    State(app): State<App>,
    caller: ApiUser,
    Path(number): Path<String>,
) -> Result<Response, Refusal> {
    app.withdraw_plan(&caller.actor(), &number).await?;
    answer(&app, &caller, number.trim(), StatusCode::OK).await
}

/// The body of a new plan or a draft's change, for the OpenAPI document.
pub fn plan_text_schema() -> Value {
    let text = |description: &str| json!({"type": "string", "description": description});
    json!({"type": "object", "properties": {
        "unit": text("mã đơn vị ban hành (chỉ khi tạo)"),
        "kind": {"type": "string", "enum": ["", "plan", "programme", "work_programme", "theme"],
                 "description": "plan: kế hoạch thực hiện; programme: chương trình; work_programme: chương trình công tác năm; theme: chủ đề năm"},
        "title": text("trích yếu"),
        "number": text("số văn bản, ví dụ 12-KH/HNDT; để trống: hệ thống cấp số tiếp theo của đơn vị, loại văn bản và năm"),
        "date": text("ngày văn bản dd/mm/yyyy; để trống: hôm nay"),
        "years": text("những năm thực hiện: 2026-2030 hoặc 2026"),
        "implements": text("số kế hoạch của cấp trên mà kế hoạch này thực hiện"),
        "implements_document": text("hoặc số văn bản ngoài hệ thống (ví dụ 46-NQ/TW)"),
        "implements_date": text("ngày của văn bản đó, dd/mm/yyyy"),
        "implement_by": text("hạn cấp dưới ban hành kế hoạch thực hiện, dd/mm/yyyy")}})
}

/// The paths of this module (beside the reads of `api_plans`).
pub fn paths(error: &Value) -> serde_json::Map<String, Value> {
    let number = json!({"name": "number", "in": "path", "required": true, "description": "số kế hoạch (dấu / viết %2F)",
                        "schema": {"type": "string", "minLength": 1}});
    let answered = |code: &str, description: &str| {
        json!({code: {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlanView"}}}},
               "400": error, "401": error, "403": error, "404": error, "409": error, "422": error})
    };
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/plans/{number}/issue".into(),
        json!({"post": {"summary": "Ban hành một dự thảo (kế hoạch nó thực hiện phải đang có hiệu lực; phiên bản cũ, nếu có, được đánh dấu đã thay thế)",
                        "parameters": [number], "responses": answered("200", "Kế hoạch đã ban hành")}}),
    );
    paths.insert(
        "/api/v1/plans/{number}/withdraw".into(),
        json!({"post": {"summary": "Thu hồi một kế hoạch đã ban hành", "parameters": [number],
                        "responses": answered("200", "Kế hoạch đã thu hồi")}}),
    );
    paths
}

/// `POST /api/v1/plans` and `PATCH /api/v1/plans/{number}`, to join the
/// paths `api_plans` declares for their reads.
pub fn operations(error: &Value) -> (Value, Value) {
    let body = json!({"required": true, "content": {"application/json": {"schema": plan_text_schema()}}});
    let answered = |code: &str, description: &str| {
        json!({code: {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlanView"}}}},
               "400": error, "401": error, "403": error, "404": error, "409": error, "422": error})
    };
    let number =
        json!({"name": "number", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}});
    (
        json!({"summary": "Soạn dự thảo kế hoạch (chỉ đơn vị ban hành thấy cho đến khi ban hành)", "requestBody": body,
               "responses": answered("201", "Dự thảo đã tạo")}),
        json!({"summary": "Sửa dự thảo: các trường gửi lên thay trường cũ (kế hoạch đã ban hành chỉ đọc: 409)",
               "parameters": [number], "requestBody": body, "responses": answered("200", "Dự thảo đã sửa")}),
    )
}
