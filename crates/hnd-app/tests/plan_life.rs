//! A plan's life on both engines: a province issues a plan, three of its
//! communes issue implementing plans (one after the deadline), drafts stay
//! with their unit, an issued plan is read-only, a new version replaces
//! it, a plan is withdrawn, and numbers run per unit, type and year.

use hnd_app::{Actor, App, AppError, Channel, ErrorKind, PlanText, readable_plan};
use hnd_domain::{Day, Lang, Role};
use hnd_store::{AuditFilter, Change, Store};

hnd_store::both_backends!(
    communes_implement_a_province_plan,
    drafts_stay_with_their_unit_and_issued_plans_are_read_only,
    numbers_run_per_unit_type_and_year,
);

fn setup() -> Change {
    Change::new("kiểm thử", "dựng dữ liệu")
}

async fn officer(store: &Store, login: &str, role: Role, unit: &str) -> Actor {
    store.create_user(login, login, "mat-khau-dai-du").await.unwrap();
    store.grant(login, role, unit, "kiểm thử").await.unwrap();
    let principal = store.principal_by_login(login).await.unwrap();
    Actor::user(principal, "127.0.0.1", Channel::Web, Lang::Vi)
}

/// The bootstrapped tree and the codes of three communes of Hà Nội (01).
async fn tree(store: &Store) -> Vec<String> {
    store.bootstrap(false, &setup()).await.unwrap();
    let province = store.unit("01", Day::today()).await.unwrap().unit;
    let communes = store.children(province.id, Day::today()).await.unwrap();
    communes.iter().take(3).map(|c| c.code.clone()).collect()
}

fn text(unit: &str, title: &str, date: &str) -> PlanText {
    PlanText {
        unit: unit.into(),
        title: title.into(),
        date: date.into(),
        years: "2026-2030".into(),
        ..Default::default()
    }
}

async fn entries(store: &Store) -> usize {
    let filter = AuditFilter {
        limit: 10_000,
        ..Default::default()
    };
    store.audit_entries(&filter).await.unwrap().len()
}

async fn communes_implement_a_province_plan(store: Store) {
    let communes = tree(&store).await;
    let app = App::new(store.clone());
    let province = officer(&store, "tinh.hn", Role::ProvinceOfficer, "01").await;
    let mut plan = text("01", "Kế hoạch thực hiện Nghị quyết 46-NQ/TW", "05/06/2025");
    plan.implements_document = "46-NQ/TW".into();
    plan.implements_date = "20/12/2023".into();
    plan.implement_by = "31/07/2025".into();
    let parent = app.create_plan(&province, &plan).await.unwrap();
    assert_eq!(parent, "1-KH/HNDT.01.2025");
    app.issue_plan(&province, &parent, None).await.unwrap();
    // Three communes implement it; the third after the deadline.
    let dates = ["10/07/2025", "30/07/2025", "15/08/2025"];
    let mut numbers = Vec::new();
    for (code, date) in communes.iter().zip(dates) {
        let actor = officer(&store, &format!("xa.{code}"), Role::CommuneOfficer, code).await;
        let mut own = text(code, "Kế hoạch thực hiện của xã", date);
        own.implements = parent.clone();
        let number = app.create_plan(&actor, &own).await.unwrap();
        assert_eq!(number, format!("1-KH/HNDX.{code}.2025"));
        app.issue_plan(&actor, &number, None).await.unwrap();
        numbers.push(number);
    }
    let view = readable_plan(&app, &province, &parent).await.unwrap();
    assert_eq!(view.plan.status, "issued");
    let rows: Vec<_> = view.implementing.iter().filter(|r| r.number.is_some()).collect();
    assert_eq!(rows.len(), 3, "{:?}", view.implementing);
    for (row, number) in rows.iter().zip(&numbers) {
        assert_eq!(row.number.as_ref(), Some(number));
        assert_eq!(row.status.as_deref(), Some("issued"));
    }
    let late: Vec<&str> = view
        .implementing
        .iter()
        .filter(|r| r.late)
        .map(|r| r.unit.as_str())
        .collect();
    // The third commune was late; communes with no plan at all are late
    // too (the deadline has passed), the first two are not.
    assert!(late.contains(&communes[2].as_str()), "{late:?}");
    assert!(!late.contains(&communes[0].as_str()) && !late.contains(&communes[1].as_str()));
    // Each child plan names its parent.
    let child = readable_plan(&app, &province, &numbers[0]).await.unwrap();
    let implements = serde_json::to_value(&child.plan.implements).unwrap();
    assert_eq!(implements, serde_json::json!({"kind": "plan", "number": parent}));
    // A commune may implement only a plan of a level above it.
    let actor = officer(&store, "xa.khac", Role::CommuneOfficer, &communes[0]).await;
    let mut sideways = text(&communes[0], "Kế hoạch", "01/09/2025");
    sideways.implements = numbers[1].clone();
    let refused = app.create_plan(&actor, &sideways).await.unwrap_err();
    assert_eq!(refused.field_name(), Some("implements"), "{refused:?}");
}

async fn drafts_stay_with_their_unit_and_issued_plans_are_read_only(store: Store) {
    let communes = tree(&store).await;
    let app = App::new(store.clone());
    let first = officer(&store, "xa.mot", Role::CommuneOfficer, &communes[0]).await;
    let second = officer(&store, "xa.hai", Role::CommuneOfficer, &communes[1]).await;
    let province = officer(&store, "tinh.hn", Role::ProvinceOfficer, "01").await;
    let viewer = officer(&store, "xem.tinh", Role::Viewer, "01").await;
    let before = entries(&store).await;
    let number = app
        .create_plan(&first, &text(&communes[0], "Dự thảo", "02/02/2026"))
        .await
        .unwrap();
    assert_eq!(entries(&store).await, before + 1, "one entry a write");
    // A draft: its unit (and who plans for it from above) only.
    assert!(readable_plan(&app, &first, &number).await.is_ok());
    assert!(readable_plan(&app, &province, &number).await.is_ok());
    for other in [&second, &viewer] {
        let refused = readable_plan(&app, other, &number).await.unwrap_err();
        assert!(matches!(refused, AppError::Forbidden), "{refused:?}");
        let refused = app.issue_plan(other, &number, None).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::NotFound, "a draft is not there for them");
    }
    let reader = store.principal_by_login("xem.tinh").await.unwrap();
    let listed = hnd_app::readable_plans(&app, &reader).await.unwrap();
    assert!(listed.iter().all(|p| p.number != number), "not in the viewer's list");
    // Edited while a draft, then issued and read-only.
    let mut edited = text(&communes[0], "Kế hoạch đã sửa", "03/02/2026");
    edited.kind = "work_programme".into();
    let file = hnd_store::NewFile {
        name: "ke-hoach-ky.pdf".into(),
        content_type: "application/pdf".into(),
        content: b"%PDF-1.4 signed".to_vec(),
    };
    app.edit_plan(&first, &number, &edited, Some(file)).await.unwrap();
    app.issue_plan(&first, &number, None).await.unwrap();
    assert_eq!(entries(&store).await, before + 3);
    let read = readable_plan(&app, &viewer, &number).await.unwrap();
    assert_eq!(
        (read.plan.status.as_str(), read.plan.title.as_str()),
        ("issued", "Kế hoạch đã sửa")
    );
    assert_eq!(read.plan.kind, "work_programme");
    assert_eq!(read.plan.document.as_deref(), Some("ke-hoach-ky.pdf"));
    let doc = store.plan_document(&number).await.unwrap().unwrap();
    assert_eq!(doc.content, b"%PDF-1.4 signed");
    let refused = app.edit_plan(&first, &number, &edited, None).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Conflict);
    let refused = app.issue_plan(&first, &number, None).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Conflict);
    let refused = app.withdraw_plan(&second, &number).await.unwrap_err();
    assert!(matches!(refused, AppError::Forbidden), "another commune's plan");
    assert_eq!(entries(&store).await, before + 3, "nothing refused is logged");
    // A new version: the old one stays in force until it is issued.
    let newer = app.new_plan_version(&first, &number).await.unwrap();
    assert_ne!(newer, number);
    assert_eq!(store.plan(&number).await.unwrap().status, "issued");
    app.issue_plan(&first, &newer, None).await.unwrap();
    let old = readable_plan(&app, &viewer, &number).await.unwrap();
    assert_eq!(old.plan.status, "replaced", "the old one stays readable");
    assert_eq!(old.plan.replaced_by.as_ref(), Some(&newer));
    assert_eq!(store.plan(&newer).await.unwrap().replaces.as_ref(), Some(&number));
    // Withdrawn.
    app.withdraw_plan(&first, &newer).await.unwrap();
    assert_eq!(store.plan(&newer).await.unwrap().status, "withdrawn");
    let refused = app.withdraw_plan(&first, &newer).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Conflict);
    assert_eq!(entries(&store).await, before + 6, "one entry a write");
}

async fn numbers_run_per_unit_type_and_year(store: Store) {
    tree(&store).await;
    let app = App::new(store.clone());
    let operator = Actor::operator("quan.tri", Lang::Vi);
    let mut made = Vec::new();
    for (kind, date, number) in [
        ("plan", "05/01/2026", ""),
        ("plan", "06/01/2026", ""),
        ("programme", "07/01/2026", ""),
        ("work_programme", "08/01/2026", ""),
        ("plan", "09/01/2026", "7-KH/HNDT"),
        ("plan", "10/01/2026", ""),
        ("plan", "05/01/2027", ""),
        ("theme", "05/01/2027", ""),
    ] {
        let mut plan = text("01", "Văn bản", date);
        plan.kind = kind.into();
        plan.number = number.into();
        made.push(app.create_plan(&operator, &plan).await.unwrap());
    }
    assert_eq!(
        made,
        [
            "1-KH/HNDT.01.2026",
            "2-KH/HNDT.01.2026",
            "1-CTr/HNDT.01.2026",
            "2-CTr/HNDT.01.2026",
            "7-KH/HNDT",
            "8-KH/HNDT.01.2026",
            "1-KH/HNDT.01.2027",
            "1-HD/HNDT.01.2027",
        ]
    );
    assert_eq!(store.plan(&made[0]).await.unwrap().printed, "1-KH/HNDT");
    let central = app.create_plan(&operator, &text("TW", "Kế hoạch", "05/01/2026")).await;
    assert_eq!(central.unwrap(), "1-KH/HNDTW.TW.2026");
    let mut taken = text("01", "Trùng số", "05/02/2026");
    taken.number = "7-KH/HNDT".into();
    let refused = app.create_plan(&operator, &taken).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Conflict);
    let mut bad = text("01", "Sai loại", "05/02/2026");
    bad.kind = "resolution".into();
    assert_eq!(
        app.create_plan(&operator, &bad).await.unwrap_err().field_name(),
        Some("kind")
    );
    bad.kind = String::new();
    bad.years = "2030-2026".into();
    assert_eq!(
        app.create_plan(&operator, &bad).await.unwrap_err().field_name(),
        Some("years")
    );
}
