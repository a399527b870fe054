//! Reports in the JSON API: the strength report of a unit for a period,
//! as JSON (the command line's `--json`) or, with `format=xlsx`, the
//! workbook (its download audited as an export). The paths join the
//! OpenAPI document.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::Doc;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, period_of};
use hnd_domain::Action;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Default, Deserialize)]
pub struct StrengthQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    format: String,
}

/// `GET /api/v1/reports/strength?unit=&period=&format=`.
pub async fn strength(
    State(app): State<App>,
    caller: ApiUser,
    Query(q): Query<StrengthQuery>,
) -> Result<Response, Refusal> {
    let unit = match q.unit.trim() {
        "" => caller
            .user
            .home(Action::ViewMembers)
            .map(|g| g.unit_code.clone())
            .ok_or_else(Refusal::forbidden)?,
        code => code.to_string(),
    };
    let period = period_of(&q.period)?;
    match q.format.trim() {
        "" | "json" => Ok(Json(app.strength_report(&caller.actor(), &unit, period).await?).into_response()),
        "xlsx" => {
            let bytes = app
                .strength_workbook(&caller.actor(), &unit, period, caller.lang)
                .await?;
            Ok(crate::reports::workbook(bytes, &unit, &period.code()))
        }
        other => {
            let other = other.to_string();
            Err(Refusal::value(
                StatusCode::UNPROCESSABLE_ENTITY,
                "format",
                move |lang| hnd_domain::i18n::t(lang, "web.strength_bad_format", &[("value", &other)]),
            ))
        }
    }
}

/// The path above, for the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let q = |name: &str, description: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema});
    let text = json!({"type": "string"});
    let figure = json!({"type": "object", "properties": {
        "new": {"type": "integer", "nullable": true}, "lost": {"type": "integer", "nullable": true},
        "total": {"type": "integer", "nullable": true}}});
    let report = json!({"description": "Báo cáo thực lực Hội; với format=xlsx: bảng tính",
        "content": {
            "application/json": {"schema": {"type": "object", "required": ["unit", "period", "columns", "rows"],
                "properties": {"unit": text, "name": text, "period": text, "from": text, "to": text,
                               "columns": {"type": "object", "additionalProperties": figure},
                               "rows": {"type": "array", "items": {"type": "object"}}}}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/reports/strength".into(),
        json!({"get": {"summary": "Báo cáo thực lực Hội của một đơn vị trong một kỳ, tính từ sổ hội viên",
                       "parameters": [
                           q("unit", "mã đơn vị; để trống: đơn vị của người dùng", text.clone()),
                           q("period", "2025, 2025-Q1 … 2025-Q4, 2025-H1, 2025-9M, 2025-03; để trống: năm nay", text.clone()),
                           q("format", "json (mặc định) hoặc xlsx", json!({"type": "string", "enum": ["json", "xlsx"]}))],
                       "responses": doc.common(report)}}),
    );
    paths
}
