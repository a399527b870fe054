//! Every route × every role: the table is walked from `hnd_web::routes()`,
//! so a route added without an access case here fails this test.

mod common;

use common::{Client, Fixture, fixture};
use hnd_domain::Principal;
use hnd_web::{Access, routes};

/// A concrete request for a route, aimed at commune 00008 (and its member
/// Trần Văn Bình) wherever the route names a unit or a member.
struct Case {
    method: &'static str,
    path: String,
    /// Form fields (with the caller's token added), or a JSON body.
    form: Option<Vec<(&'static str, String)>>,
    json: Option<String>,
    multipart: bool,
    /// The unit path the access question is about, if the request names one.
    target: Option<String>,
}

async fn case(f: &Fixture, method: &str, path: &str) -> Case {
    let store = &f.server.store;
    let binh = f.members["Trần Văn Bình"];
    let (_, commune) = store.unit_path("00008").await.unwrap();
    let (_, province) = store.unit_path("01").await.unwrap();
    let (_, branch) = store.unit_path("00008-CH01").await.unwrap();
    let (member, _) = store.member_paths(binh).await.unwrap();
    let m = |p: &str| p.replace("{id}", &binh.to_string());
    let t = |p: &str| p.replace("{id}", &f.task.to_string());
    let c = |method: &'static str, path: String, target: Option<String>| Case {
        method,
        path,
        form: None,
        json: None,
        multipart: false,
        target,
    };
    match (method, path) {
        ("GET", "/healthz") => c("GET", "/healthz".into(), None),
        ("GET", "/static/app.js") => c("GET", "/static/app.js".into(), None),
        // Signed in, any user: the units offered are only their own.
        ("GET", "/units/pick") => c("GET", "/units/pick?for=EditMembers&q=ngoc".into(), None),
        ("GET", "/login") => c("GET", "/login".into(), None),
        ("POST", "/login") => Case {
            form: Some(vec![("login", "x".into()), ("password", "y".into())]),
            ..c("POST", "/login".into(), None)
        },
        ("POST", "/logout") => Case {
            form: Some(vec![]),
            ..c("POST", "/logout".into(), None)
        },
        ("GET", "/lang/{code}") => c("GET", "/lang/en?next=/".into(), None),
        ("GET", "/") => c("GET", "/".into(), None),
        ("GET", "/account/password") => c("GET", "/account/password".into(), None),
        // A wrong current password: refused as such, nothing changed.
        ("POST", "/account/password") => Case {
            form: Some(vec![
                ("current", "not-the-password".into()),
                ("new", "mot-mat-khau-moi".into()),
                ("repeat", "mot-mat-khau-moi".into()),
            ]),
            ..c("POST", "/account/password".into(), None)
        },
        ("GET", "/org") => c("GET", "/org".into(), None),
        ("GET", "/org/{code}") => c("GET", "/org/00008".into(), Some(commune)),
        ("GET", "/org/{code}/edit") => c("GET", "/org/00008/edit".into(), Some(commune)),
        // Changes to a unit itself are the level above's: aimed at a branch,
        // which the commune's officer may reshape (its own commune it may
        // not; see tests/tree_writes.rs).
        ("POST", "/org/{code}/rename") => Case {
            form: Some(vec![("name", "Chi hội Mới".into())]),
            ..c("POST", "/org/00008-CH01/rename".into(), Some(branch.clone()))
        },
        ("POST", "/org/{code}/children") => Case {
            form: Some(vec![("code", "00008-CH9".into()), ("name", "Chi hội Mới".into())]),
            ..c("POST", "/org/00008/children".into(), Some(commune))
        },
        // Under itself: refused by the tree (a cycle), after access.
        ("POST", "/org/{code}/move") => Case {
            form: Some(vec![("parent", "00008-CH01".into())]),
            ..c("POST", "/org/00008-CH01/move".into(), Some(branch.clone()))
        },
        // Into itself: refused by the tree, after access.
        ("POST", "/org/{code}/merge") => Case {
            form: Some(vec![("into", "00008-CH01".into()), ("confirm", "on".into())]),
            ..c("POST", "/org/00008-CH01/merge".into(), Some(branch.clone()))
        },
        ("POST", "/org/{code}/split") => Case {
            form: Some(vec![("parts", String::new())]),
            ..c("POST", "/org/00008-CH01/split".into(), Some(branch.clone()))
        },
        // It has a member: refused by the tree, after access.
        ("POST", "/org/{code}/dissolve") => Case {
            form: Some(vec![("confirm", "on".into())]),
            ..c("POST", "/org/00008-CH01/dissolve".into(), Some(branch.clone()))
        },
        ("GET", "/plans") => c("GET", "/plans".into(), None),
        // A draft without a title: refused as such after access.
        ("POST", "/plans") => Case {
            form: Some(vec![
                ("unit", "00008".into()),
                ("title", "".into()),
                ("years", "2026".into()),
            ]),
            ..c("POST", "/plans".into(), Some(commune.clone()))
        },
        // A document read for no unit: refused as such after access.
        ("POST", "/plans/read") => Case {
            multipart: true,
            ..c("POST", "/plans/read".into(), None)
        },
        // A reviewed draft without a title: refused as such after access.
        ("POST", "/plans/read/create") => Case {
            form: Some(vec![
                ("unit", "00008".into()),
                ("title", "".into()),
                ("years", "2026".into()),
            ]),
            ..c("POST", "/plans/read/create".into(), Some(commune.clone()))
        },
        // The province's plan is issued: read-only (409) for who may plan there.
        ("POST", "/plans/{number}/edit") => Case {
            form: Some(vec![("title", "Đổi tên".into()), ("years", "2026".into())]),
            ..c("POST", "/plans/12-KH%2FHND/edit".into(), Some(province.clone()))
        },
        ("POST", "/plans/{number}/issue") => Case {
            multipart: true,
            ..c("POST", "/plans/12-KH%2FHND/issue".into(), Some(province.clone()))
        },
        // Not confirmed: refused as such (422) to who may withdraw it.
        ("POST", "/plans/{number}/withdraw") => Case {
            form: Some(vec![("confirm", "".into())]),
            ..c("POST", "/plans/12-KH%2FHND/withdraw".into(), Some(province.clone()))
        },
        // A new draft version for who may plan in the province (then 409).
        ("POST", "/plans/{number}/version") => Case {
            form: Some(vec![]),
            ..c("POST", "/plans/12-KH%2FHND/version".into(), Some(province.clone()))
        },
        // No signed document: 404 to its readers.
        ("GET", "/plans/{number}/document") => c("GET", "/plans/12-KH%2FHND/document".into(), None),
        // A code that is not one: refused as such after access.
        ("POST", "/plans/indicators") => Case {
            form: Some(vec![
                ("code", "X".into()),
                ("name_vi", "Chỉ tiêu".into()),
                ("measure", "count".into()),
            ]),
            ..c("POST", "/plans/indicators".into(), Some(province.clone()))
        },
        // The provinces the user may see; a commune officer sees none.
        ("GET", "/figures") => c("GET", "/figures".into(), Some(province)),
        ("GET", "/plans/{number}") => c("GET", "/plans/12-KH%2FHND?unit=00008".into(), Some(commune)),
        ("GET", "/plans/{number}/targets.xlsx") => c(
            "GET",
            "/plans/12-KH%2FHND/targets.xlsx?unit=00008".into(),
            Some(commune.clone()),
        ),
        // A way of splitting that is not one: refused as such after access.
        ("POST", "/plans/{number}/split") => Case {
            form: Some(vec![
                ("unit", "00008".into()),
                ("indicator", "new_members".into()),
                ("by", "by-luck".into()),
            ]),
            ..c("POST", "/plans/12-KH%2FHND/split".into(), Some(commune.clone()))
        },
        // A sheet without the unit column: refused as such after access.
        ("POST", "/plans/{number}/targets") => Case {
            multipart: true,
            ..c("POST", "/plans/12-KH%2FHND/targets".into(), None)
        },
        ("GET", "/dashboard") => c("GET", "/dashboard?unit=00008".into(), Some(commune.clone())),
        ("GET", "/fees") => c("GET", "/fees?unit=00008".into(), Some(commune.clone())),
        ("GET", "/reports/strength") => c(
            "GET",
            "/reports/strength?unit=00008&period=2026".into(),
            Some(commune.clone()),
        ),
        ("GET", "/reports/strength.xlsx") => c(
            "GET",
            "/reports/strength.xlsx?unit=00008&period=2026".into(),
            Some(commune.clone()),
        ),
        // Shares that do not add up: refused after access, nothing set.
        ("POST", "/fees/rate") => Case {
            form: Some(vec![
                ("unit", "01".into()),
                ("year", "2026".into()),
                ("amount", "24000".into()),
                ("branch", "1".into()),
                ("base", "1".into()),
                ("province", "1".into()),
                ("central", "1".into()),
            ]),
            ..c("POST", "/fees/rate".into(), Some(province.clone()))
        },
        // No rate set for the year: refused after access, nothing recorded.
        // The form names the member's unit as it is by now.
        ("POST", "/fees/pay") => Case {
            form: Some(vec![
                ("id", binh.to_string()),
                ("unit", store.member(binh).await.unwrap().unit_code),
                ("year", "2026".into()),
            ]),
            ..c("POST", "/fees/pay".into(), Some(member.clone()))
        },
        ("GET", "/members") => c("GET", "/members?unit=00008".into(), Some(commune)),
        ("GET", "/members/new") => c("GET", "/members/new?unit=00008-CH01".into(), Some(branch)),
        ("POST", "/members") => Case {
            form: Some(vec![
                ("full_name", "Lê Văn Mới".into()),
                ("birth", "1990".into()),
                ("sex", "male".into()),
                ("unit", "00008-CH01".into()),
            ]),
            ..c("POST", "/members".into(), Some(branch))
        },
        ("GET", "/members/{id}") => c("GET", m("/members/{id}"), Some(member)),
        ("POST", "/members/{id}/transfer") => Case {
            form: Some(vec![("to", "00004-CH01".into())]),
            ..c("POST", m("/members/{id}/transfer"), Some(member))
        },
        ("POST", "/members/{id}/confirm-transfer") => Case {
            form: Some(vec![]),
            ..c("POST", m("/members/{id}/confirm-transfer"), Some(member))
        },
        // Not in transfer: refused as such after access, nothing changed.
        ("POST", "/members/{id}/cancel-transfer") => Case {
            form: Some(vec![("confirm", "on".into())]),
            ..c("POST", m("/members/{id}/cancel-transfer"), Some(member))
        },
        ("POST", "/members/{id}/remove") => Case {
            form: Some(vec![("reason", "chuyển đi nơi khác".into()), ("confirm", "on".into())]),
            ..c("POST", m("/members/{id}/remove"), Some(member))
        },
        // Admitting an active member: refused as such after access.
        ("POST", "/members/{id}/step") => Case {
            form: Some(vec![("step", "admit".into()), ("decision", "1-QĐ/HND".into())]),
            ..c("POST", m("/members/{id}/step"), Some(member.clone()))
        },
        // A birth date that is not one: refused as such after access.
        ("POST", "/members/{id}/correct") => Case {
            form: Some(vec![
                ("full_name", "Trần Văn Bình".into()),
                ("birth", "31/02/1970".into()),
            ]),
            ..c("POST", m("/members/{id}/correct"), Some(member.clone()))
        },
        // The member as head of a new household (after the first allowed
        // caller, refused as already in one).
        ("POST", "/members/{id}/household") => Case {
            form: Some(vec![("address", "Thôn Đông".into())]),
            ..c("POST", m("/members/{id}/household"), Some(member.clone()))
        },
        // No such household: refused as such after access.
        ("POST", "/members/{id}/household/join") => Case {
            form: Some(vec![("household", "999999".into()), ("role", "con".into())]),
            ..c("POST", m("/members/{id}/household/join"), Some(member.clone()))
        },
        // A year that is not one (or no household yet): refused after access.
        ("POST", "/members/{id}/household/category") => Case {
            form: Some(vec![("year", "năm nay".into()), ("category", "ngheo".into())]),
            ..c("POST", m("/members/{id}/household/category"), Some(member.clone()))
        },
        // No such household: 404 to whoever may see members somewhere.
        ("GET", "/api/v1/households/{id}") => c("GET", "/api/v1/households/999999".into(), None),
        ("POST", "/api/v1/households") => Case {
            json: Some(format!(r#"{{"head":{binh}}}"#)),
            ..c("POST", "/api/v1/households".into(), Some(member.clone()))
        },
        // The member is asked about first, then the household (none).
        ("POST", "/api/v1/households/{id}/members") => Case {
            json: Some(format!(r#"{{"member":{binh},"role":"con"}}"#)),
            ..c("POST", "/api/v1/households/999999/members".into(), Some(member.clone()))
        },
        ("PUT", "/api/v1/households/{id}/categories/{year}") => Case {
            json: Some(r#"{"category":"ngheo"}"#.into()),
            ..c("PUT", "/api/v1/households/999999/categories/2026".into(), None)
        },
        ("GET", "/applicants") => c("GET", "/applicants?unit=00008".into(), Some(commune.clone())),
        ("GET", "/api/v1/fees") => c("GET", "/api/v1/fees?unit=00008&year=2026".into(), Some(commune.clone())),
        ("GET", "/api/v1/reports/strength") => c(
            "GET",
            "/api/v1/reports/strength?unit=00008&period=2026-Q1".into(),
            Some(commune.clone()),
        ),
        // Shares that do not add up: refused after access, nothing set.
        ("PUT", "/api/v1/fees/rates/{unit}/{year}") => Case {
            json: Some(r#"{"amount":24000,"branch":1,"base":1,"province":1,"central":1}"#.into()),
            ..c("PUT", "/api/v1/fees/rates/01/2026".into(), Some(province.clone()))
        },
        // No rate for the year: refused after access, nothing recorded.
        ("POST", "/api/v1/fees/payments") => Case {
            json: Some(format!(r#"{{"year":2026,"members":[{binh}]}}"#)),
            ..c("POST", "/api/v1/fees/payments".into(), Some(member.clone()))
        },
        ("GET", "/api/v1/members/{id}/fees") => c("GET", m("/api/v1/members/{id}/fees"), Some(member.clone())),
        ("POST", "/applicants/admit") => Case {
            form: Some(vec![("id", binh.to_string()), ("decision", "1-QĐ/HND".into())]),
            ..c("POST", "/applicants/admit".into(), Some(member.clone()))
        },
        ("PATCH", "/api/v1/members/{id}") => Case {
            json: Some(r#"{"birth":"31/02/1970"}"#.into()),
            ..c("PATCH", m("/api/v1/members/{id}"), Some(member.clone()))
        },
        ("POST", "/api/v1/admissions") => Case {
            json: Some(format!(r#"{{"ids":[{binh}],"decision":"1-QĐ/HND"}}"#)),
            ..c("POST", "/api/v1/admissions".into(), Some(member.clone()))
        },
        // Every step with a date that is not one: refused after access.
        ("POST", step)
            if step.strip_prefix("/api/v1/members/{id}/").is_some_and(|s| {
                ["admit", "withdraw", "leave", "return", "reinstate", "card", "death"].contains(&s)
            }) =>
        {
            Case {
                json: Some(r#"{"date":"31/02/2026","decision":"x"}"#.into()),
                ..c("POST", m(step), Some(member.clone()))
            }
        }
        ("GET", "/duplicates") => c("GET", "/duplicates?unit=00008".into(), Some(commune.clone())),
        // A pair that is not waiting: refused as such after access.
        ("POST", "/duplicates/decide") => Case {
            form: Some(vec![
                ("member", binh.to_string()),
                ("other", "999999".into()),
                ("decision", "same".into()),
            ]),
            ..c("POST", "/duplicates/decide".into(), Some(member.clone()))
        },
        ("GET", "/users") => c("GET", "/users?unit=00008".into(), Some(commune.clone())),
        // Each account change aimed at commune 00008's officer with input
        // refused after access: a login that is not one, a role that is not
        // one, a password too short, a token that does not exist.
        ("POST", "/users") => Case {
            form: Some(vec![
                ("login", "x".into()),
                ("full_name", "X".into()),
                ("unit", "00008".into()),
            ]),
            ..c("POST", "/users".into(), Some(commune.clone()))
        },
        ("POST", "/users/{login}/grant") => Case {
            form: Some(vec![("role", "king".into()), ("on", "00008".into())]),
            ..c("POST", "/users/xa8/grant".into(), Some(commune.clone()))
        },
        ("POST", "/users/{login}/revoke") => Case {
            form: Some(vec![("role", "king".into()), ("on", "00008".into())]),
            ..c("POST", "/users/xa8/revoke".into(), Some(commune.clone()))
        },
        ("POST", "/users/{login}/password") => Case {
            form: Some(vec![("password", "short".into())]),
            ..c("POST", "/users/xa8/password".into(), Some(commune.clone()))
        },
        ("POST", "/users/{login}/tokens") => Case {
            form: Some(vec![("label", "x".repeat(2))]),
            ..c("POST", "/users/nobody-here/tokens".into(), Some(commune.clone()))
        },
        ("POST", "/users/{login}/tokens/{reference}/revoke") => Case {
            form: Some(vec![]),
            ..c(
                "POST",
                "/users/xa8/tokens/000000000000/revoke".into(),
                Some(commune.clone()),
            )
        },
        ("GET", "/members/{id}/audit") => c("GET", m("/members/{id}/audit"), Some(member)),
        ("GET", "/members/{id}/profile") => c("GET", m("/members/{id}/profile"), Some(member)),
        // A date that is not one: refused as such after access, nothing saved.
        ("POST", "/members/{id}/profile") => Case {
            form: Some(vec![
                ("residential", "yes".into()),
                ("card_issued_on", "31/02/2020".into()),
            ]),
            ..c("POST", m("/members/{id}/profile"), Some(member))
        },
        ("POST", "/members/{id}/roles") => Case {
            form: Some(vec![("position", "not-a-position".into())]),
            ..c("POST", m("/members/{id}/roles"), Some(member))
        },
        ("POST", "/members/{id}/titles") => Case {
            form: Some(vec![("year", "1800".into())]),
            ..c("POST", m("/members/{id}/titles"), Some(member))
        },
        ("POST", "/members/{id}/ratings") => Case {
            form: Some(vec![("year", "1800".into())]),
            ..c("POST", m("/members/{id}/ratings"), Some(member))
        },
        // Entries that do not exist: answered as such after access.
        ("POST", "/members/{id}/roles/{entry}/remove") => Case {
            form: Some(vec![("confirm", "on".into())]),
            ..c("POST", m("/members/{id}/roles/999999/remove"), Some(member))
        },
        ("POST", "/members/{id}/titles/{entry}/remove") => Case {
            form: Some(vec![("confirm", "on".into())]),
            ..c("POST", m("/members/{id}/titles/999999/remove"), Some(member))
        },
        ("POST", "/members/{id}/ratings/{year}/remove") => Case {
            form: Some(vec![("confirm", "on".into())]),
            ..c("POST", m("/members/{id}/ratings/1999/remove"), Some(member))
        },
        // No photo yet: answered as such after access.
        ("GET", "/members/{id}/photo") => c("GET", m("/members/{id}/photo"), Some(member)),
        // A CSV is not a photo: refused as such after access.
        ("POST", "/members/{id}/photo") => Case {
            multipart: true,
            ..c("POST", m("/members/{id}/photo"), Some(member))
        },
        ("POST", "/members/{id}/photo/remove") => Case {
            form: Some(vec![]),
            ..c("POST", m("/members/{id}/photo/remove"), Some(member))
        },
        ("GET", "/transfers") => c("GET", "/transfers".into(), None),
        ("GET", "/audit") => c("GET", "/audit?unit=00008".into(), Some(commune)),
        ("GET", "/export") => c("GET", "/export?unit=00008&format=csv".into(), Some(commune)),
        ("GET", "/import") => c("GET", "/import".into(), None),
        ("POST", "/import") => Case {
            multipart: true,
            ..c("POST", "/import".into(), None)
        },
        ("GET", "/import/template.csv") => c("GET", "/import/template.csv".into(), None),
        ("GET", "/import/{job}") => c("GET", "/import/9999".into(), None),
        ("GET", "/import/{job}/errors.csv") => c("GET", "/import/9999/errors.csv".into(), None),
        ("GET", "/api/openapi.json") => c("GET", "/api/openapi.json".into(), None),
        ("GET", "/api/docs") => c("GET", "/api/docs".into(), None),
        ("GET", "/api/v1/me") => c("GET", "/api/v1/me".into(), None),
        ("GET", "/api/v1/units/{code}/children") => c("GET", "/api/v1/units/00008/children".into(), Some(commune)),
        ("GET", "/api/v1/plans") => c("GET", "/api/v1/plans".into(), None),
        ("GET", "/api/v1/plans/{number}") => c("GET", "/api/v1/plans/12-KH%2FHND?unit=00008".into(), Some(commune)),
        // A draft without a title: refused as such after access.
        ("POST", "/api/v1/plans") => Case {
            json: Some(r#"{"unit":"00008","title":"","years":"2026"}"#.into()),
            ..c("POST", "/api/v1/plans".into(), Some(commune.clone()))
        },
        // An empty document: refused as such after access.
        ("POST", "/api/v1/plans/read") => Case {
            json: Some(" ".into()),
            ..c("POST", "/api/v1/plans/read?unit=00008".into(), Some(commune.clone()))
        },
        ("POST", "/api/v1/plans/from-reading") => Case {
            json: Some(r#"{"plan":{"unit":"00008","title":"","years":"2026"}}"#.into()),
            ..c("POST", "/api/v1/plans/from-reading".into(), Some(commune.clone()))
        },
        // The province's plan is issued: read-only (409) for who may plan there.
        ("PATCH", "/api/v1/plans/{number}") => Case {
            json: Some(r#"{"title":"Đổi tên"}"#.into()),
            ..c("PATCH", "/api/v1/plans/12-KH%2FHND".into(), Some(province.clone()))
        },
        ("POST", "/api/v1/plans/{number}/issue") => Case {
            json: Some("{}".into()),
            ..c("POST", "/api/v1/plans/12-KH%2FHND/issue".into(), Some(province.clone()))
        },
        // Withdrawn by the first who may (then 409 for the next), refused to the others.
        ("POST", "/api/v1/plans/{number}/withdraw") => Case {
            json: Some("{}".into()),
            ..c(
                "POST",
                "/api/v1/plans/12-KH%2FHND/withdraw".into(),
                Some(province.clone()),
            )
        },
        ("GET", "/api/v1/plans/{number}/progress") => c(
            "GET",
            "/api/v1/plans/12-KH%2FHND/progress?unit=00008&period=2026".into(),
            Some(commune),
        ),
        ("GET", "/api/v1/units/{code}") => c("GET", "/api/v1/units/00008".into(), Some(commune)),
        ("GET", "/api/v1/members") => c("GET", "/api/v1/members?unit=00008".into(), Some(commune)),
        ("POST", "/api/v1/members") => Case {
            json: Some(r#"{"full_name":"Lê Thị Api","birth":"1991","sex":"female","unit":"00008-CH01"}"#.into()),
            ..c("POST", "/api/v1/members".into(), Some(branch))
        },
        ("GET", "/api/v1/members/{id}") => c("GET", m("/api/v1/members/{id}"), Some(member)),
        ("POST", "/api/v1/members/{id}/transfer") => Case {
            json: Some(r#"{"to":"00004-CH01"}"#.into()),
            ..c("POST", m("/api/v1/members/{id}/transfer"), Some(member))
        },
        ("POST", "/api/v1/members/{id}/confirm-transfer") => Case {
            json: Some("{}".into()),
            ..c("POST", m("/api/v1/members/{id}/confirm-transfer"), Some(member))
        },
        ("POST", "/api/v1/members/{id}/cancel-transfer") => Case {
            json: Some("{}".into()),
            ..c("POST", m("/api/v1/members/{id}/cancel-transfer"), Some(member))
        },
        ("GET", "/api/v1/members/{id}/profile") => c("GET", m("/api/v1/members/{id}/profile"), Some(member)),
        // No membership kind at all: refused as such after access.
        ("PUT", "/api/v1/members/{id}/profile") => Case {
            json: Some(r#"{"residential":false}"#.into()),
            ..c("PUT", m("/api/v1/members/{id}/profile"), Some(member))
        },
        ("POST", "/api/v1/members/{id}/roles") => Case {
            json: Some(r#"{"position":"king"}"#.into()),
            ..c("POST", m("/api/v1/members/{id}/roles"), Some(member))
        },
        ("DELETE", "/api/v1/members/{id}/roles/{entry}") => Case {
            json: Some("{}".into()),
            ..c("DELETE", m("/api/v1/members/{id}/roles/999999"), Some(member))
        },
        ("POST", "/api/v1/members/{id}/titles") => Case {
            json: Some(r#"{"year":1800}"#.into()),
            ..c("POST", m("/api/v1/members/{id}/titles"), Some(member))
        },
        ("DELETE", "/api/v1/members/{id}/titles/{entry}") => Case {
            json: Some("{}".into()),
            ..c("DELETE", m("/api/v1/members/{id}/titles/999999"), Some(member))
        },
        ("POST", "/api/v1/members/{id}/ratings") => Case {
            json: Some(r#"{"year":1800}"#.into()),
            ..c("POST", m("/api/v1/members/{id}/ratings"), Some(member))
        },
        ("DELETE", "/api/v1/members/{id}/ratings/{year}") => Case {
            json: Some("{}".into()),
            ..c("DELETE", m("/api/v1/members/{id}/ratings/1999"), Some(member))
        },
        ("GET", "/tasks") => c("GET", "/tasks".into(), None),
        ("GET", "/tasks/{id}") => c("GET", t("/tasks/{id}"), None),
        // An empty note: refused as such after access, nothing saved.
        ("POST", "/tasks/{id}") => Case {
            multipart: true,
            ..c("POST", t("/tasks/{id}"), None)
        },
        ("GET", "/tasks/{id}/files/{file}") => c("GET", t("/tasks/{id}/files/999999"), None),
        ("GET", "/api/v1/tasks") => c("GET", "/api/v1/tasks".into(), None),
        ("GET", "/api/v1/tasks/{id}") => c("GET", t("/api/v1/tasks/{id}"), None),
        ("POST", "/api/v1/tasks/{id}/reports") => Case {
            json: Some(r#"{"status":"in_progress","note":""}"#.into()),
            ..c("POST", t("/api/v1/tasks/{id}/reports"), None)
        },
        // A task without its text: refused as such after access, on the
        // plan's unit (the province) or, to give it below, the task's unit.
        ("GET", "/plans/{number}/tasks/new") => c("GET", "/plans/12-KH%2FHND/tasks/new".into(), Some(province.clone())),
        ("POST", "/plans/{number}/tasks") => Case {
            form: Some(vec![("title", "".into()), ("lead", "Sở Tư pháp".into())]),
            ..c("POST", "/plans/12-KH%2FHND/tasks".into(), Some(province.clone()))
        },
        ("GET", "/tasks/{id}/edit") => c("GET", t("/tasks/{id}/edit"), Some(province.clone())),
        ("POST", "/tasks/{id}/edit") => Case {
            form: Some(vec![("title", "".into())]),
            ..c("POST", t("/tasks/{id}/edit"), Some(province.clone()))
        },
        ("POST", "/tasks/{id}/assign") => Case {
            form: Some(vec![]),
            ..c("POST", t("/tasks/{id}/assign"), Some(province.clone()))
        },
        ("POST", "/api/v1/plans/{number}/tasks") => Case {
            json: Some(r#"{"title":"","lead":"Sở Tư pháp","deadline":"quý II/2026"}"#.into()),
            ..c("POST", "/api/v1/plans/12-KH%2FHND/tasks".into(), Some(province.clone()))
        },
        // Read by who may read the plan.
        ("GET", "/api/v1/plans/{number}/bodies") => c("GET", "/api/v1/plans/12-KH%2FHND/bodies".into(), None),
        ("PUT", "/api/v1/tasks/{id}") => Case {
            json: Some(r#"{"title":""}"#.into()),
            ..c("PUT", t("/api/v1/tasks/{id}"), Some(province.clone()))
        },
        ("POST", "/api/v1/tasks/{id}/assignments") => Case {
            json: Some(r#"{"units":[]}"#.into()),
            ..c("POST", t("/api/v1/tasks/{id}/assignments"), Some(province.clone()))
        },
        // The commune's entry grid; a figure that is not one is refused
        // as such after access, nothing saved.
        ("GET", "/units/{code}/values") => c("GET", "/units/00008/values?period=2026".into(), Some(commune.clone())),
        ("POST", "/units/{code}/values") => Case {
            form: Some(vec![("period", "2026".into()), ("v.articles", "nhiều".into())]),
            ..c("POST", "/units/00008/values".into(), Some(commune.clone()))
        },
        ("GET", "/api/v1/units/{code}/values/{period}") => {
            c("GET", "/api/v1/units/00008/values/2026".into(), Some(commune.clone()))
        }
        ("PUT", "/api/v1/units/{code}/values/{period}") => Case {
            json: Some(r#"{"values":{"articles":-1}}"#.into()),
            ..c("PUT", "/api/v1/units/00008/values/2026".into(), Some(commune.clone()))
        },
        // Reports: read where members are read; written by the unit (a
        // figure that is not one: refused after access); a step of the
        // level above aimed at the commune is the province's (a return
        // without its comment: refused after access).
        ("GET", "/reports") => c(
            "GET",
            "/reports?unit=00008&form=six_month&period=2026-H1".into(),
            Some(commune.clone()),
        ),
        ("GET", "/reports/document") => c(
            "GET",
            "/reports/document?unit=00008&form=six_month&period=2026-H1&format=pdf".into(),
            Some(commune.clone()),
        ),
        ("POST", "/reports/save") => Case {
            form: Some(report_form(&[("typed_villages", "mười"), ("go", "save")])),
            ..c("POST", "/reports/save".into(), Some(commune.clone()))
        },
        ("POST", "/reports/step") => Case {
            form: Some(report_form(&[("step", "return"), ("comment", "")])),
            ..c("POST", "/reports/step".into(), Some(province.clone()))
        },
        ("POST", "/reports/aggregate") => Case {
            form: Some(report_form(&[])),
            ..c("POST", "/reports/aggregate".into(), Some(commune.clone()))
        },
        ("GET", "/api/v1/reports/{unit}/{form}/{period}") => c(
            "GET",
            "/api/v1/reports/00008/six_month/2026-H1".into(),
            Some(commune.clone()),
        ),
        ("PUT", "/api/v1/reports/{unit}/{form}/{period}") => Case {
            json: Some(r#"{"typed":{"villages":"mười"}}"#.into()),
            ..c(
                "PUT",
                "/api/v1/reports/00008/six_month/2026-H1".into(),
                Some(commune.clone()),
            )
        },
        ("GET", "/api/v1/reports/{unit}/{form}/{period}/document") => c(
            "GET",
            "/api/v1/reports/00008/six_month/2026-H1/document?format=docx".into(),
            Some(commune.clone()),
        ),
        ("POST", "/api/v1/reports/{unit}/{form}/{period}/{step}") => Case {
            json: Some("{}".into()),
            ..c(
                "POST",
                "/api/v1/reports/00008/six_month/2026-H1/return".into(),
                Some(province.clone()),
            )
        },
        // The import wizard's draft that is not there: 404 to importers.
        ("GET", "/import/map/{id}") => c("GET", "/import/map/9999".into(), None),
        ("POST", "/import/map/{id}") => Case {
            form: Some(vec![("go", "preview".into())]),
            ..c("POST", "/import/map/9999".into(), None)
        },
        // Saved mappings: a name too long is refused after access.
        ("GET", "/api/v1/units/{code}/import-mappings") => c(
            "GET",
            "/api/v1/units/00008/import-mappings".into(),
            Some(commune.clone()),
        ),
        ("GET", "/api/v1/units/{code}/import-mappings/{name}") => c(
            "GET",
            "/api/v1/units/00008/import-mappings/x".into(),
            Some(commune.clone()),
        ),
        ("PUT", "/api/v1/units/{code}/import-mappings/{name}") => Case {
            json: Some(r#"{"unit":"00008","header_rows":[1],"first_row":2}"#.into()),
            ..c(
                "PUT",
                format!("/api/v1/units/00008/import-mappings/{}", "x".repeat(81)),
                Some(commune.clone()),
            )
        },
        ("DELETE", "/api/v1/units/{code}/import-mappings/{name}") => Case {
            json: Some("{}".into()),
            ..c(
                "DELETE",
                "/api/v1/units/00008/import-mappings/x".into(),
                Some(commune.clone()),
            )
        },
        (method, path) => panic!("route {method} {path} has no access case in tests/access.rs: add one"),
    }
}

/// A report form's fields for commune 00008's six-month review, with `more`.
fn report_form(more: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("unit", "00008".to_string()),
        ("form", "six_month".to_string()),
        ("period", "2026-H1".to_string()),
    ];
    fields.extend(more.iter().map(|(k, v)| (*k, v.to_string())));
    fields
}

async fn send(client: &mut Client, case: &Case, csrf: &str) -> common::Response {
    if case.multipart {
        let boundary = "hndboundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\
             Content-Type: text/csv\r\n\r\nHọ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\"\r\nLê Văn Tệp,1980,Nam,00008-CH01\r\n\
             --{boundary}--\r\n"
        );
        let content_type = format!("multipart/form-data; boundary={boundary}");
        return client
            .request("POST", &case.path, &[("Content-Type", &content_type)], body.as_bytes())
            .await;
    }
    if let Some(json) = &case.json {
        let headers = [("Content-Type", "application/json"), ("X-CSRF-Token", csrf)];
        return client.request(case.method, &case.path, &headers, json.as_bytes()).await;
    }
    if let Some(fields) = &case.form {
        let mut fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fields.push(("csrf", csrf));
        return client.post_form(&case.path, &fields).await;
    }
    client.request(case.method, &case.path, &[], b"").await
}

/// Whether a request changes the unit it names itself (rather than what
/// is below it).
fn reshapes(path: &str) -> bool {
    ["/rename", "/move", "/merge", "/split", "/dissolve"]
        .iter()
        .any(|end| path.starts_with("/org/") && path.ends_with(end))
}

/// Whether `user` may call the route as `case` aims it (`task`: the
/// fixture's task, which the task routes name).
fn expected_allowed(user: &Principal, access: Access, case: &Case, task: &hnd_store::TaskDetails) -> bool {
    match (access, &case.target) {
        (Access::Public | Access::SignedIn, _) => true,
        (Access::Task { report: false }, _) => task.may_read(user),
        (Access::Task { report: true }, _) => task.may_report(user),
        // The unit itself is changed from above only.
        (Access::Needs(hnd_domain::Action::EditTree), Some(path)) if reshapes(&case.path) => user.may_reshape(path),
        (Access::Needs(action), Some(path)) => user.may(action, path),
        (Access::Needs(action), None) => user.may_somewhere(action),
    }
}

hnd_store::both_backends!(every_route_answers_every_role_as_the_table_says);

async fn every_route_answers_every_role_as_the_table_says(store: hnd_store::Store) {
    let f = fixture(store).await;
    let mut table = Vec::new();
    let mut all = routes();
    // Signing out ends the session the other cases use: last.
    all.sort_by_key(|r| r.path == "/logout");

    // Nobody signed in: pages send to the sign-in page, the API says 401.
    let mut anonymous = f.server.client();
    for r in &all {
        let c = case(&f, r.method.as_str(), r.path).await;
        let got = send(&mut anonymous, &c, "").await;
        assert!(got.status < 500, "{} {} anonymous: {}", c.method, c.path, got.status);
        let to_login = got.status == 303 && got.header("location").is_some_and(|l| l.starts_with("/login"));
        if r.access == Access::Public {
            assert!(
                got.status != 401 && !to_login,
                "{} {} is public: {}",
                c.method,
                c.path,
                got.status
            );
        } else if r.path.starts_with("/api/") {
            assert_eq!(got.status, 401, "{} {} anonymous", c.method, c.path);
            assert!(got.json()["error"]["message"].is_string());
        } else {
            assert!(
                to_login,
                "{} {} anonymous: {} {:?}",
                c.method,
                c.path,
                got.status,
                got.header("location")
            );
        }
        table.push(format!("{:<6} {:<40} anonymous {:>3}", c.method, c.path, got.status));
    }

    let task = f.server.store.task(f.task, hnd_domain::Day::today()).await.unwrap();
    let logins = common::ACCOUNTS.iter().map(|a| a.0).chain([common::BODY_ACCOUNT]);
    for login in logins {
        let user = f.server.store.principal_by_login(login).await.unwrap();
        let mut client = f.server.signed_in(login).await;
        let csrf = client.csrf().await;
        for r in &all {
            let c = case(&f, r.method.as_str(), r.path).await;
            let got = send(&mut client, &c, &csrf).await;
            let allowed = expected_allowed(&user, r.access, &c, &task);
            assert!(
                got.status < 500,
                "{} {} as {login}: {} {}",
                c.method,
                c.path,
                got.status,
                got.text()
            );
            if r.access == Access::Public {
                // Nothing to refuse: only the 5xx check above applies (a
                // sign-in form posted with another form's token is a 403
                // of its own, not an access answer).
            } else if allowed {
                assert!(
                    got.status != 401 && got.status != 403,
                    "{} {} as {login} should be allowed: {} {}",
                    c.method,
                    c.path,
                    got.status,
                    got.text()
                );
            } else {
                assert_eq!(
                    got.status,
                    403,
                    "{} {} as {login} should be refused: {}",
                    c.method,
                    c.path,
                    got.text()
                );
            }
            table.push(format!("{:<6} {:<40} {login:<9} {:>3}", c.method, c.path, got.status));
        }
    }
    // The table, for whoever reads the test's output.
    println!("{}", table.join("\n"));
}
