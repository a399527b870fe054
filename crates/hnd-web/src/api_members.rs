//! The register's day-to-day operations in the JSON API: the steps of a
//! membership, corrections of a member's details, admissions of several
//! applicants by one decision. Each calls its operation of the
//! application layer; the paths join the OpenAPI document.

use crate::api::{ApiUser, Dated, dated};
use crate::refusal::Refusal;
use crate::request::{Doc, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{App, AppError, Step};
use hnd_domain::{BirthDate, Cccd, MemberError, Phone};
use hnd_store::Correction;
use serde::Deserialize;
use serde_json::{Value, json};

/// The steps that have a route of their own: the step and its path.
pub const STEPS: [(&str, &str); 7] = [
    ("admit", "/api/v1/members/{id}/admit"),
    ("withdraw", "/api/v1/members/{id}/withdraw"),
    ("leave", "/api/v1/members/{id}/leave"),
    ("return", "/api/v1/members/{id}/return"),
    ("reinstate", "/api/v1/members/{id}/reinstate"),
    ("card", "/api/v1/members/{id}/card"),
    ("death", "/api/v1/members/{id}/death"),
];

#[derive(Deserialize, Default)]
pub struct StepBody {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/members/{id}/{step}`: the step the route names.
pub async fn step(
    code: &'static str,
    app: App,
    caller: ApiUser,
    id: i64,
    body: JsonBody<StepBody>,
) -> Result<Response, Refusal> {
    let (b, date) = dated(body)?;
    let step = Step::parse(code, &b.decision, &b.reason).expect("every route names a step");
    let card = app.step(&caller.actor(), id, &step, date).await?;
    let m = app.store().member(id).await?;
    Ok(Json(json!({"id": id, "status": m.status, "card_number": card.or(m.card_number)})).into_response())
}

/// A member's identifying fields to correct: an absent field stays as it
/// is; `null` clears an optional one (CCCD, phone, village).
type Fields = serde_json::Map<String, Value>;

fn correction_of(body: &Fields) -> Result<Correction, AppError> {
    let bad = |field: &'static str, value: &Value| {
        let value = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
        AppError::field(field, MemberError::BadField { field, value })
    };
    let text = |field: &'static str| -> Result<Option<Option<String>>, AppError> {
        match body.get(field) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(None)),
            Some(Value::String(s)) => Ok(Some(Some(s.trim().to_string()))),
            Some(other) => Err(bad(field, other)),
        }
    };
    if let Some(unknown) = body
        .keys()
        .find(|k| !["full_name", "birth", "cccd", "phone", "village"].contains(&k.as_str()))
    {
        let field: &'static str = "body";
        return Err(AppError::field(
            field,
            MemberError::BadField {
                field,
                value: unknown.clone(),
            },
        ));
    }
    let full_name = match text("full_name")? {
        Some(Some(name)) => Some(name),
        Some(None) => return Err(bad("full_name", &Value::Null)),
        None => None,
    };
    let birth = match text("birth")? {
        Some(Some(b)) => Some(BirthDate::parse(&b).ok_or_else(|| bad("birth", &Value::String(b.clone())))?),
        Some(None) => return Err(bad("birth", &Value::Null)),
        None => None,
    };
    let cccd = match text("cccd")? {
        Some(Some(c)) => Some(Some(
            Cccd::parse(&c).map_err(|_| bad("cccd", &Value::String(c.clone())))?,
        )),
        Some(None) => Some(None),
        None => None,
    };
    let phone = match text("phone")? {
        Some(Some(p)) => Some(Some(
            Phone::parse(&p).map_err(|_| bad("phone", &Value::String(p.clone())))?,
        )),
        Some(None) => Some(None),
        None => None,
    };
    Ok(Correction {
        full_name,
        birth,
        cccd,
        phone,
        village: text("village")?,
    })
}

/// `PATCH /api/v1/members/{id}`: corrects what identifies a member; the
/// answer lists each field changed with its old and new value.
pub async fn correct(
    State(app): State<App>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: JsonBody<Fields>,
) -> Result<Response, Refusal> {
    let Json(body) = body?;
    let fix = correction_of(&body)?;
    // CCCD and phone are personal data: refused to who may not see them.
    let refuse = hnd_app::Personal::Refuse;
    let today = hnd_domain::Day::today();
    let changed = app.correct_member(&caller.actor(), id, &fix, today, refuse).await?;
    Ok(Json(json!({"id": id, "changed": changed})).into_response())
}

impl Dated for StepBody {
    fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }
}

impl Dated for AdmissionBody {
    fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }
}

#[derive(Deserialize)]
pub struct AdmissionBody {
    ids: Vec<i64>,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    date: Option<String>,
}

/// `POST /api/v1/admissions`: applicants admitted by one decision, all or
/// none, with their card numbers.
pub async fn admit(
    State(app): State<App>,
    caller: ApiUser,
    body: JsonBody<AdmissionBody>,
) -> Result<Response, Refusal> {
    let (b, date) = dated(body)?;
    let admitted = app.admit(&caller.actor(), &b.ids, date, &b.decision).await?;
    let items: Vec<Value> = admitted
        .into_iter()
        .map(|a| json!({"id": a.id, "full_name": a.full_name, "card_number": a.card_number}))
        .collect();
    Ok((StatusCode::CREATED, Json(json!({"admitted": items}))).into_response())
}

/// The paths above, for the OpenAPI document.
pub fn paths(doc: &Doc) -> serde_json::Map<String, Value> {
    let id = &doc.id;
    let mut paths = serde_json::Map::new();
    let summaries = [
        ("admit", "Kết nạp người xin vào Hội (cần số quyết định)"),
        ("withdraw", "Rút đơn xin vào Hội"),
        ("leave", "Tạm nghỉ sinh hoạt"),
        ("return", "Sinh hoạt trở lại"),
        ("reinstate", "Phục hồi hội viên (cần số quyết định)"),
        ("card", "Cấp lại thẻ hội viên"),
        ("death", "Ghi nhận từ trần"),
    ];
    for (code, summary) in summaries {
        // Admitting and reinstating need the decision's number.
        let schema = if matches!(code, "admit" | "reinstate") {
            "StepDecision"
        } else {
            "Step"
        };
        paths.insert(
            format!("/api/v1/members/{{id}}/{code}"),
            json!({"post": {"summary": summary, "parameters": [id], "requestBody": doc.body(schema),
                            "responses": doc.common(doc.ok("Trạng thái mới của hội viên"))}}),
        );
    }
    paths.insert(
        "/api/v1/admissions".into(),
        json!({"post": {"summary": "Kết nạp nhiều người theo một quyết định; trả về số thẻ", "requestBody": doc.body("Admission"),
                        "responses": {"201": doc.ok("Đã kết nạp"), "400": doc.common(Value::Null)["400"], "401": doc.common(Value::Null)["401"],
                                      "403": doc.common(Value::Null)["403"], "404": doc.common(Value::Null)["404"], "422": doc.common(Value::Null)["422"]}}}),
    );
    paths
}

/// The schemas of the bodies above.
pub fn schemas() -> serde_json::Map<String, Value> {
    let text = json!({"type": "string"});
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Step".into(),
        json!({"type": "object", "properties": {"date": {"type": "string", "nullable": true, "description": "dd/mm/yyyy; để trống: hôm nay"},
               "decision": text, "reason": text}}),
    );
    schemas.insert(
        "StepDecision".into(),
        json!({"type": "object", "required": ["decision"], "properties": {"date": {"type": "string", "nullable": true, "description": "dd/mm/yyyy; để trống: hôm nay"},
               "decision": {"type": "string", "minLength": 1}, "reason": text}}),
    );
    schemas.insert(
        "Admission".into(),
        json!({"type": "object", "required": ["ids", "decision"], "properties": {
               "ids": {"type": "array", "items": {"type": "integer", "format": "int64"}, "minItems": 1},
               "decision": {"type": "string", "minLength": 1}, "date": {"type": "string", "description": "dd/mm/yyyy"}}}),
    );
    schemas.insert(
        "Correction".into(),
        json!({"type": "object", "additionalProperties": false, "properties": {
               "full_name": {"type": "string", "minLength": 1, "maxLength": 100},
               "birth": {"type": "string", "description": "dd/mm/yyyy hoặc yyyy"},
               "cccd": {"type": "string", "nullable": true, "description": "12 chữ số; null: xóa"},
               "phone": {"type": "string", "nullable": true}, "village": {"type": "string", "nullable": true}}}),
    );
    schemas
}
