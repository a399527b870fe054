//! Plans, targets, progress and the tree's drill-down in the JSON API,
//! read only. Each is authorised as its page is: a plan is listed and
//! read by who [`hnd_domain::Principal::may_read_plan`], its targets and
//! figures for a unit need `ViewMembers` on that unit (the plan's page),
//! and a unit's children with their members need what the dashboard's
//! drill-down needs (`ViewMembers`, on past days too: `pages::may_on`).
//! The paths join the OpenAPI document.

use crate::api::{ApiUser, AsOf};
use crate::plan_pages::indicator_name;
use crate::refusal::Refusal;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_domain::plan::{Comparator, Period, indicator, pace};
use hnd_domain::{Action, Day, Level, Principal};
use hnd_store::Store;
use serde::Deserialize;
use serde_json::{Value, json};

/// `GET /api/v1/plans`: the plans the caller may read.
pub async fn list(State(app): State<hnd_app::App>, caller: ApiUser) -> Result<Response, Refusal> {
    let plans = hnd_app::readable_plans(&app, &caller.user).await?;
    Ok(Json(json!({"items": plans})).into_response())
}

#[derive(Deserialize)]
pub struct PlanParams {
    unit: Option<String>,
    period: Option<String>,
}

/// The unit a plan is read for: the one asked for; else the issuing unit
/// when the caller may read members there; else the caller's highest unit
/// below it (a commune officer reading the province's plan sees the
/// commune's targets).
fn unit_of(user: &Principal, asked: Option<&str>, plan_unit: &str, plan_path: &str) -> String {
    match asked.map(str::trim) {
        Some(code) if !code.is_empty() => code.to_string(),
        _ if user.may(Action::ViewMembers, plan_path) => plan_unit.to_string(),
        _ => user
            .home_under(Action::ViewMembers, plan_path)
            .map(|g| g.unit_code.clone())
            .unwrap_or_else(|| plan_unit.to_string()),
    }
}

/// A plan and the unit it is read for, once the caller may read both.
struct Reading {
    plan: hnd_store::Plan,
    unit: String,
    unit_name: String,
}

async fn reading(store: &Store, caller: &ApiUser, number: &str, asked: Option<&str>) -> Result<Reading, Refusal> {
    let plan = store.plan(number).await?;
    let (_, plan_path) = store.unit_path(&plan.unit).await?;
    if !caller.user.may_read_plan_in(&plan_path, plan.status()) {
        return Err(Refusal::forbidden());
    }
    let unit = unit_of(&caller.user, asked, &plan.unit, &plan_path);
    let details = store.unit(&unit, Day::today()).await?.unit;
    if !caller.user.may(Action::ViewMembers, &details.path) {
        return Err(Refusal::forbidden());
    }
    Ok(Reading {
        plan,
        unit,
        unit_name: details.name,
    })
}

/// `GET /api/v1/plans/{number}?unit=`: the plan (its status, what it
/// implements), the units below with their implementing plans, its
/// targets for the unit, its tasks.
pub async fn show(
    State(store): State<Store>,
    caller: ApiUser,
    Path(number): Path<String>,
    Query(p): Query<PlanParams>,
) -> Result<Response, Refusal> {
    let r = reading(&store, &caller, &number, p.unit.as_deref()).await?;
    let drafts_of = |below: &str| caller.user.may(Action::EditPlans, below);
    let (targets, tasks, implementing) = tokio::try_join!(
        store.targets(&r.plan.number, &r.unit),
        store.tasks(&r.plan.number, Day::today()),
        store.implementation(&r.plan.number, drafts_of)
    )?;
    let targets: Vec<Value> = targets
        .into_iter()
        .map(|t| {
            json!({"indicator": t.indicator, "name": indicator_name(&t.indicator, caller.lang),
                   "comparator": t.comparator, "value": t.value})
        })
        .collect();
    Ok(Json(
        json!({"status": r.plan.status, "implements": r.plan.implements, "implementing": implementing,
                    "plan": r.plan, "unit": r.unit, "unit_name": r.unit_name, "targets": targets, "tasks": tasks}),
    )
    .into_response())
}

/// `GET /api/v1/plans/{number}/progress?unit=&period=`: each target of the
/// unit against the register, as `hnd progress --json` gives it, with
/// where it stands today.
pub async fn progress(
    State(store): State<Store>,
    caller: ApiUser,
    Path(number): Path<String>,
    Query(p): Query<PlanParams>,
) -> Result<Response, Refusal> {
    let today = Day::today();
    let period = match p.period.as_deref().map(str::trim) {
        None | Some("") => Period::Year { year: today.year() },
        Some(text) => match Period::parse(text) {
            Ok(period) => period,
            Err(_) => {
                let e = hnd_domain::PlanError::BadDeadline { text: text.into() };
                return Err(Refusal::value(StatusCode::BAD_REQUEST, "period", move |lang| {
                    e.message(lang)
                }));
            }
        },
    };
    let r = reading(&store, &caller, &number, p.unit.as_deref()).await?;
    let rows = store.progress(&r.plan.number, &r.unit, period).await?;
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|row| {
            let comparator = Comparator::parse(&row.comparator).unwrap_or(Comparator::Equal);
            let pace = indicator(&row.indicator).map(|i| pace(i, comparator, row.target, row.actual, period, today));
            json!({
                "indicator": row.indicator, "name": indicator_name(&row.indicator, caller.lang),
                "comparator": row.comparator, "target": row.target, "actual": row.actual, "met": row.met,
                "standing": pace.as_ref().map_or("unknown", |p| p.standing.code()),
                "per_month": pace.and_then(|p| p.per_month),
            })
        })
        .collect();
    Ok(
        Json(json!({"plan": r.plan.number, "unit": r.unit, "unit_name": r.unit_name,
                "period": period.code(), "rows": rows}))
        .into_response(),
    )
}

/// `GET /api/v1/units/{code}/children?as_of=`: the drill-down, each unit
/// below with its members on the day.
pub async fn children(
    State(store): State<Store>,
    caller: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Response, Refusal> {
    let (day, details) = q.unit(&store, &caller, &code, Action::ViewMembers).await?;
    let unit = details.unit;
    let (children, counts) = tokio::try_join!(store.children(unit.id, day), store.child_members(&unit, day))?;
    let items: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let members = counts.get(&c.code).copied().unwrap_or(0);
            json!({"code": c.code, "name": c.name, "level": c.level.as_str(), "members": members})
        })
        .collect();
    let total: i64 = items.iter().filter_map(|c| c["members"].as_i64()).sum();
    Ok(Json(
        json!({"code": unit.code, "name": unit.name, "level": unit.level.as_str(), "as_of": day.iso(),
                "members": total, "children": items}),
    )
    .into_response())
}

/// The paths of this module in the OpenAPI document (`error`: the error
/// response; every answer here may also be 400, 401, 403, 404, 422).
pub fn paths(error: &Value) -> serde_json::Map<String, Value> {
    let responses = |schema: &str, description: &str| {
        json!({"200": {"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}},
               "400": error, "401": error, "403": error, "404": error, "422": error})
    };
    let q = |name: &str, description: &str| json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}});
    let number = json!({"name": "number", "in": "path", "required": true, "description": "số kế hoạch, ví dụ 12-KH/HND (dấu / viết %2F)",
                        "schema": {"type": "string", "minLength": 1}});
    let unit = q(
        "unit",
        "mã đơn vị; để trống: đơn vị ban hành, hoặc đơn vị cao nhất của người dùng trong phạm vi kế hoạch",
    );
    let period = json!({"name": "period", "in": "query", "required": false,
        "description": "2026, Q2/2026 (quý), T3/2026 (tháng), 6T/2026 (6 tháng đầu năm), 9T/2026; để trống: năm nay",
        "schema": {"type": "string", "pattern": "^(((Q[1-4]|T([1-9]|1[0-2])|6T|9T)/)?(19[3-9][0-9]|20[0-9]{2}|21[0-9]{2}|2200))?$"}});
    let as_of = json!({"name": "as_of", "in": "query", "required": false, "description": "dd/mm/yyyy; để trống: hôm nay",
                       "schema": crate::api::day_schema()});
    let mut paths = crate::api_plan_life::paths(error);
    paths.extend(crate::api_plan_reading::paths(error));
    let (create, edit) = crate::api_plan_life::operations(error);
    paths.insert(
        "/api/v1/plans".into(),
        json!({"get": {"summary": "Các kế hoạch người dùng được xem (ban hành trong phạm vi của mình, hoặc ở cấp trên giao chỉ tiêu xuống; dự thảo: chỉ đơn vị soạn)",
                       "responses": responses("PlanList", "Danh sách kế hoạch")},
               "post": create}),
    );
    paths.insert(
        "/api/v1/plans/{number}".into(),
        json!({"get": {"summary": "Một kế hoạch: trạng thái, văn bản nó thực hiện, các đơn vị cấp dưới và kế hoạch thực hiện của họ, chỉ tiêu giao cho một đơn vị và các nhiệm vụ",
                       "parameters": [number, unit], "responses": responses("PlanDetails", "Kế hoạch")},
               "patch": edit}),
    );
    paths.insert(
        "/api/v1/plans/{number}/progress".into(),
        json!({"get": {"summary": "Tiến độ thực hiện chỉ tiêu của một đơn vị trong một kỳ (như hnd progress --json)",
                       "parameters": [number, unit, period],
                       "responses": responses("Progress", "Tiến độ")}}),
    );
    paths.insert(
        "/api/v1/units/{code}/children".into(),
        json!({"get": {"summary": "Các đơn vị trực thuộc và số hội viên của từng đơn vị (xem sâu)",
                       "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}},
                                      as_of],
                       "responses": responses("Children", "Các đơn vị trực thuộc")}}),
    );
    paths
}

/// The schemas of this module's answers.
pub fn schemas() -> serde_json::Map<String, Value> {
    let text = json!({"type": "string"});
    let number = json!({"type": "number"});
    let levels: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
    let maybe = json!({"type": "string", "nullable": true});
    let implements = json!({"type": "object", "nullable": true, "required": ["kind", "number"],
        "properties": {"kind": {"type": "string", "enum": ["plan", "document"]}, "number": text, "date": text}});
    let plan = json!({"type": "object", "required": ["number", "printed", "title", "unit", "unit_name", "issued_on", "first_year", "last_year", "kind", "status"],
        "properties": {"number": text, "printed": text, "title": text, "unit": text, "unit_name": text, "issued_on": text,
                       "first_year": {"type": "integer"}, "last_year": {"type": "integer"},
                       "kind": {"type": "string", "enum": ["plan", "programme", "work_programme", "theme"]},
                       "status": {"type": "string", "enum": ["draft", "issued", "withdrawn", "replaced"]},
                       "implements": implements, "implement_by": maybe, "replaces": maybe, "replaced_by": maybe,
                       "document": maybe}});
    let implementing = json!({"type": "array", "items": {"type": "object", "required": ["unit", "unit_name", "number", "status", "late"],
        "properties": {"unit": text, "unit_name": text, "number": maybe, "status": maybe, "issued_on": maybe,
                       "late": {"type": "boolean"}}}});
    let task = json!({"type": "object", "required": ["id", "plan", "title", "deadline", "status", "overdue"],
        "properties": {"id": {"type": "integer"}, "plan": text, "position": {"type": "integer"}, "title": text,
                       "directing": text, "lead": text, "coordinating": text, "deadline": text,
                       "status": {"type": "string", "enum": ["open", "in_progress", "done"]}, "overdue": {"type": "boolean"}}});
    let target = json!({"type": "object", "required": ["indicator", "name", "comparator", "value"],
        "properties": {"indicator": text, "name": text, "comparator": text, "value": number}});
    let standing: Vec<&str> = ["met", "on_track", "behind", "missed", "unknown"].into();
    let row = json!({"type": "object", "required": ["indicator", "name", "comparator", "target", "actual", "met", "standing"],
        "properties": {"indicator": text, "name": text, "comparator": text, "target": number,
                       "actual": {"type": "number", "nullable": true}, "met": {"type": "boolean", "nullable": true},
                       "standing": {"type": "string", "enum": standing},
                       "per_month": {"type": "number", "nullable": true}}});
    let child = json!({"type": "object", "required": ["code", "name", "level", "members"],
        "properties": {"code": text, "name": text, "level": {"type": "string", "enum": levels}, "members": {"type": "integer"}}});
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "PlanList".into(),
        json!({"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": plan}}}),
    );
    let mut view = plan.clone();
    if let Some(required) = view["required"].as_array_mut() {
        required.extend([json!("implementing"), json!("editable")]);
    }
    view["properties"]["implementing"] = implementing.clone();
    view["properties"]["editable"] = json!({"type": "boolean"});
    schemas.insert("PlanView".into(), view);
    schemas.insert(
        "PlanDetails".into(),
        json!({"type": "object", "required": ["status", "implementing", "plan", "unit", "unit_name", "targets", "tasks"], "properties": {
            "status": plan["properties"]["status"], "implements": implements, "implementing": implementing,
            "plan": plan, "unit": text, "unit_name": text,
            "targets": {"type": "array", "items": target}, "tasks": {"type": "array", "items": task}}}),
    );
    schemas.insert(
        "Progress".into(),
        json!({"type": "object", "required": ["plan", "unit", "unit_name", "period", "rows"], "properties": {
            "plan": text, "unit": text, "unit_name": text, "period": text, "rows": {"type": "array", "items": row}}}),
    );
    schemas.insert(
        "Children".into(),
        json!({"type": "object", "required": ["code", "name", "level", "as_of", "members", "children"], "properties": {
            "code": text, "name": text, "level": {"type": "string", "enum": levels}, "as_of": text,
            "members": {"type": "integer"}, "children": {"type": "array", "items": child}}}),
    );
    schemas
}
