//! Mappings saved by name per unit in the JSON API: the ways a member list
//! in a unit's own layout is read, so that a script (or the next month's
//! upload) imports the same layout in one step. A mapping travels as JSON
//! with the fields of the TOML file `hnd members map` writes.

use crate::api::ApiUser;
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use hnd_app::App;
use hnd_import::Mapping;
use serde_json::{Value, json};

/// A saved mapping with its text read as a mapping.
fn entry(saved: hnd_store::SavedMapping) -> Value {
    let mapping = Mapping::from_toml(&saved.body).ok();
    json!({"unit": saved.unit_code, "unit_name": saved.unit_name, "name": saved.name,
           "saved_by": saved.saved_by, "saved_at": saved.saved_at, "mapping": mapping})
}

/// `GET /api/v1/units/{code}/import-mappings`: the unit's saved mappings.
pub async fn list(State(app): State<App>, caller: ApiUser, Path(code): Path<String>) -> Result<Response, Refusal> {
    let saved = app.import_mappings(&caller.actor(), &code).await?;
    Ok(Json(saved.into_iter().map(entry).collect::<Vec<_>>()).into_response())
}

/// `GET /api/v1/units/{code}/import-mappings/{name}`: one mapping.
pub async fn show(
    State(app): State<App>,
    caller: ApiUser,
    Path((code, name)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    Ok(Json(app.import_mapping(&caller.actor(), &code, &name).await?).into_response())
}

/// `PUT /api/v1/units/{code}/import-mappings/{name}`: saves a mapping
/// under a name for the unit, replacing one of that name.
pub async fn save(
    State(app): State<App>,
    caller: ApiUser,
    Path((code, name)): Path<(String, String)>,
    body: JsonBody<Mapping>,
) -> Result<Response, Refusal> {
    let Json(mapping) = body?;
    app.save_import_mapping(&caller.actor(), &code, &name, &mapping).await?;
    Ok(Json(json!({"unit": code, "name": name.trim(), "fields": mapping.fields()})).into_response())
}

/// `DELETE /api/v1/units/{code}/import-mappings/{name}`.
pub async fn delete(
    State(app): State<App>,
    caller: ApiUser,
    Path((code, name)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    app.delete_import_mapping(&caller.actor(), &code, &name).await?;
    Ok(Json(json!({"unit": code, "name": name, "deleted": true})).into_response())
}

/// The paths above, for the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let text = json!({"type": "string"});
    let p = |name: &str| json!({"name": name, "in": "path", "required": true, "schema": text});
    let list = json!({"description": "Các cách đọc đã lưu của đơn vị",
                      "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/units/{code}/import-mappings".into(),
        json!({"get": {"summary": "Các cách đọc danh sách hội viên đã lưu của đơn vị", "parameters": [p("code")],
                       "responses": doc.common(list)}}),
    );
    paths.insert(
        "/api/v1/units/{code}/import-mappings/{name}".into(),
        json!({
            "get": {"summary": "Một cách đọc đã lưu", "parameters": [p("code"), p("name")],
                    "responses": doc.common(doc.ok("Cách đọc"))},
            "put": {"summary": "Lưu cách đọc với tên cho đơn vị (ghi thay cách đọc cùng tên)",
                    "parameters": [p("code"), p("name")], "requestBody": doc.body("ImportMapping"),
                    "responses": doc.common(doc.ok("Đã lưu"))},
            "delete": {"summary": "Xoá cách đọc đã lưu", "parameters": [p("code"), p("name")],
                       "responses": doc.common(doc.ok("Đã xoá"))}
        }),
    );
    paths
}

/// The mapping's schema: the fields of the TOML file `hnd members map` writes.
pub fn schemas() -> serde_json::Map<String, Value> {
    let text = json!({"type": "string"});
    let letter = json!({"type": "string", "pattern": "^[A-Z]{1,3}$"});
    let column = json!({"type": "object", "required": ["column", "header", "field"],
                        "properties": {"column": letter, "header": text, "field": text}});
    let mark = json!({"type": "object", "required": ["column", "header", "value"],
                      "properties": {"column": letter, "header": text, "value": text}});
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "ImportMapping".into(),
        json!({"type": "object", "required": ["unit", "header_rows", "first_row"],
        "description": "Cách đọc một danh sách hội viên theo mẫu riêng (như tệp hnd members map ghi ra)",
        "properties": {
            "unit": text,
            "header_rows": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 1000}},
            "first_row": {"type": "integer", "minimum": 1, "maximum": 1000000},
            "branch": text,
            "sections": {"type": "boolean"},
            "columns": {"type": "array", "items": column},
            "marks": {"type": "array", "items": {"type": "object", "required": ["field", "columns"],
                "properties": {"field": text, "unmarked": text, "columns": {"type": "array", "items": mark}}}},
            "branches": {"type": "array", "items": {"type": "object", "required": ["name", "unit", "confirm"],
                "properties": {"name": text, "unit": text, "unit_name": text, "confirm": {"type": "boolean"}}}},
            "ignored": {"type": "array", "items": {"type": "object", "required": ["column", "header"],
                "properties": {"column": letter, "header": text}}}
        }}),
    );
    schemas
}
