//! The OpenAPI 3.0 document of `/api/v1`: the base paths of the member
//! register here, each other API module's paths and schemas joined in
//! ([`with_modules`]), served at `/api/openapi.json`, with the page that
//! sends its operations (`/api/docs`).

use crate::request::Doc;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

/// The OpenAPI 3.0 description of `/api/v1`.
pub fn openapi_document() -> serde_json::Value {
    with_modules(base_document())
}

fn base_document() -> serde_json::Value {
    let doc = Doc::new();
    let (error, id) = (&doc.error, &doc.id);
    let common = |ok| doc.common(ok);
    let ok = |description: &str| doc.ok(description);
    let body = |schema: &str| doc.body(schema);
    // An operation with a body also answers 413 (over the size limit) and 415 (not JSON).
    let with_body = |mut responses: serde_json::Value| {
        responses["413"] = error.clone();
        responses["415"] = error.clone();
        responses
    };
    let q = |name: &str, description: &str, schema: serde_json::Value| json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema});
    let text = json!({"type": "string"});
    let int64 = json!({"type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX});
    // What a yes/no filter reads (`profile::parse_yes_no`); empty: no filter.
    let yes_no = json!({"type": "string", "enum": ["", "yes", "no", "có", "không", "co", "khong", "true", "false", "1", "0", "on", "off", "x"]});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "hnd API", "version": "1", "description":
            "Hệ thống quản lý Hội Nông dân Việt Nam. Xác thực: Authorization: Bearer TOKEN (hnd users token)."},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Lỗi", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                    "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                    "field": {"type": "string", "nullable": true}}}}},
                "NewMember": {"type": "object", "required": ["full_name", "birth", "sex", "unit"], "properties": {
                    "full_name": {"type": "string", "minLength": 1, "maxLength": 100}, "birth": {"type": "string", "minLength": 1, "description": "dd/mm/yyyy hoặc yyyy"},
                    "sex": {"type": "string", "enum": ["male", "female"]}, "ethnicity": text, "religion": text,
                    "cccd": {"type": "string", "description": "12 chữ số"}, "phone": text, "village": text,
                    "unit": {"type": "string", "minLength": 1, "description": "mã chi hội, tổ hội"}, "date": {"type": "string", "description": "dd/mm/yyyy"},
                    "accept_warnings": {"type": "boolean"}}},
                "Transfer": {"type": "object", "required": ["to"], "properties": {"to": {"type": "string", "minLength": 1, "description": "mã đơn vị nhận"}, "date": text}},
                "Date": {"type": "object", "properties": {"date": text}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/me": {"get": {"summary": "Tài khoản đang dùng và quyền", "responses": common(ok("Tài khoản"))}},
            "/api/v1/units/{code}": {"get": {"summary": "Một đơn vị và các đơn vị trực thuộc",
                "parameters": [{"name": "code", "in": "path", "required": true, "schema": text}, q("as_of", "dd/mm/yyyy; để trống: hôm nay", crate::api::day_schema())],
                "responses": common(ok("Đơn vị"))}},
            "/api/v1/members": {
                "get": {"summary": "Tìm hội viên (không dấu cũng được), có lọc và phân trang",
                    "parameters": [q("q", "tên, CCCD, điện thoại, số thẻ", text.clone()), q("unit", "mã đơn vị", text.clone()),
                        q("sex", "male | female", text.clone()), q("status", "applicant | active | …", text.clone()),
                        q("ethnicity", "mã dân tộc 01–54", text.clone()), q("age", "18-30", text.clone()),
                        q("bhyt", "yes | no: có BHYT (cần quyền xem thông tin cá nhân)", yes_no.clone()),
                        q("bhxh", "yes | no: có BHXH tự nguyện (cần quyền xem thông tin cá nhân)", yes_no.clone()),
                        q("page", "từ 1 (số nhỏ hơn: trang 1)", int64.clone()),
                        q("per_page", "1–500, mặc định 50 (số ngoài khoảng được đưa về 1 hoặc 500)", int64)],
                    "responses": common(ok("Một trang hội viên"))},
                "post": {"summary": "Thêm người xin vào Hội",
                    "requestBody": body("NewMember"),
                    "responses": with_body(json!({"201": ok("Đã thêm"), "400": error, "401": error, "403": error, "409": error, "415": error, "422": error}))}
            },
            "/api/v1/members/{id}": {"get": {"summary": "Một hội viên và lịch sử", "parameters": [id],
                "responses": common(ok("Hội viên"))}},
            "/api/v1/members/{id}/transfer": {"post": {"summary": "Chuyển sinh hoạt (đơn vị gửi)", "parameters": [id],
                "requestBody": body("Transfer"),
                "responses": with_body(common(ok("Đang chuyển")))}},
            "/api/v1/members/{id}/confirm-transfer": {"post": {"summary": "Xác nhận chuyển sinh hoạt (đơn vị nhận)", "parameters": [id],
                "requestBody": body("Date"),
                "responses": with_body(common(ok("Đã nhận")))}},
            "/api/v1/members/{id}/cancel-transfer": {"post": {"summary": "Hủy chuyển sinh hoạt (đơn vị gửi): hội viên ở lại, trạng thái trở lại đang sinh hoạt", "parameters": [id],
                "requestBody": body("Date"),
                "responses": with_body(common(ok("Đã hủy")))}}
        }
    })
}

/// `GET /api/openapi.json`: the document, written once per process.
pub async fn openapi() -> Response {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| openapi_document().to_string());
    ([(axum::http::header::CONTENT_TYPE, "application/json")], TEXT.as_str()).into_response()
}

/// The document with the paths and schemas of the other API modules.
fn with_modules(mut doc: serde_json::Value) -> serde_json::Value {
    let parts = Doc::new();
    let (error, id) = (&parts.error, &parts.id);
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(crate::api_members::paths(&parts));
        paths.extend(crate::api_households::paths(&parts));
        paths.extend(crate::api_fees::paths(&parts));
        paths.extend(crate::api_import_mappings::paths(&parts));
        paths.extend(crate::api_profiles::paths(&parts));
        paths.extend(crate::api_plans::paths(error));
        paths.extend(crate::api_tasks::paths(&parts));
        paths.extend(crate::api_figures::paths(&parts));
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        schemas.extend(crate::api_members::schemas());
        schemas.extend(crate::api_households::schemas());
        schemas.extend(crate::api_fees::schemas());
        schemas.extend(crate::api_import_mappings::schemas());
        schemas.extend(crate::api_profiles::schemas());
        schemas.extend(crate::api_plans::schemas());
        schemas.extend(crate::api_tasks::schemas());
        schemas.extend(crate::api_figures::schemas());
    }
    if let Some(member) = doc["paths"]["/api/v1/members/{id}"].as_object_mut() {
        member.insert(
            "patch".into(),
            json!({"summary": "Sửa họ tên, ngày sinh, CCCD, điện thoại, thôn (giữ lại giá trị cũ); CCCD và điện thoại cần quyền xem thông tin cá nhân",
                   "parameters": [id], "requestBody": parts.body("Correction"),
                   "responses": {"200": parts.ok("Các trường đã sửa"), "400": error, "401": error, "403": error, "404": error, "409": error, "415": error, "422": error}}),
        );
    }
    // Every operation with a body may also be refused for its size (413)
    // or its type (415, a body that is not declared JSON, or none).
    if let Some(paths) = doc["paths"].as_object_mut() {
        for operation in paths
            .values_mut()
            .filter_map(|p| p.as_object_mut())
            .flat_map(|p| p.values_mut())
        {
            if operation.get("requestBody").is_some() {
                operation["responses"]["413"] = error.clone();
                operation["responses"]["415"] = error.clone();
            }
        }
    }
    doc
}

/// An interactive page over the OpenAPI document: every operation with a
/// form that sends it (with a token typed in the page) and shows the answer.
pub async fn docs() -> Html<&'static str> {
    Html(include_str!("../templates/api_docs.html"))
}
