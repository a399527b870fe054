//! The operations of the application layer, on both engines: each writes
//! its change and exactly one audit entry in one transaction, and refuses
//! an actor outside the member's part of the tree.

use hnd_app::{Actor, App, AppError, Channel, Codes, EndKind};
use hnd_domain::{Day, HouseholdCategory, HouseholdRole, Lang, Level, Role, Sex, UnitCode, UnitName};
use hnd_store::{AuditFilter, Change, NewUnit, SplitPart, Store};

hnd_store::both_backends!(
    every_operation_writes_one_entry_with_its_change,
    a_failing_entry_undoes_its_change,
    an_actor_outside_the_tree_changes_nothing,
);

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn setup() -> Change {
    Change::new("kiểm thử", "dựng dữ liệu")
}

/// Branches of a commune of Hà Nội and of a commune of another province and an officer of the first.
async fn tree(store: &Store) -> Actor {
    let branches = [("00004-A", "00004"), ("00004-B", "00004"), ("21136-C", "21136")];
    hnd_store::testing::tree_with_branches(store, &branches, &setup())
        .await
        .unwrap();
    store
        .create_user("canbo.xa", "Cán bộ xã", "mat-khau-dai-du")
        .await
        .unwrap();
    store
        .grant("canbo.xa", Role::CommuneOfficer, "00004", "kiểm thử")
        .await
        .unwrap();
    let principal = store.principal_by_login("canbo.xa").await.unwrap();
    Actor::user(principal, "127.0.0.1", Channel::Web, Lang::Vi)
}

async fn applicant(store: &Store, name: &str, unit: &str) -> i64 {
    let person = hnd_store::testing::person(name, "12/05/1985", Sex::Female, unit);
    store
        .add_member(&person, d("01/02/2026"), false, &setup())
        .await
        .unwrap()
        .id
}

async fn entries(store: &Store) -> Vec<hnd_store::AuditEntry> {
    store
        .audit_entries(&AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
}

/// The operations of `App`: every `pub async fn` of the crate's sources
/// that takes an actor. Read from the code, so a new operation without a
/// case below fails this test.
fn operations() -> Vec<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in std::fs::read_dir(src).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("pub async fn ") {
            rest = &rest[at + "pub async fn ".len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let signature = &rest[..rest.find('{').unwrap_or(rest.len())];
            if signature.contains("actor: &Actor") {
                found.push(name);
            }
        }
    }
    found.sort();
    found
}

async fn every_operation_writes_one_entry_with_its_change(store: Store) {
    let officer = tree(&store).await;
    let app = App::new(store.clone());
    let a = applicant(&store, "Nguyễn Thị An", "00004-A").await;
    let b = applicant(&store, "Trần Thị Bình", "00004-A").await;
    let mut covered = Vec::new();
    let newcomer = hnd_store::testing::person("Phan Văn Mới", "03/03/1990", Sex::Male, "00004-B");
    // Each case: the operation's name, what it does, the member it touches.
    macro_rules! case {
        ($name:literal, $actor:literal, $call:expr) => {{
            let before = entries(&store).await.len();
            $call.await.unwrap_or_else(|e| panic!("{}: {e:?}", $name));
            let after = entries(&store).await;
            assert_eq!(after.len(), before + 1, "{}: exactly one audit entry", $name);
            let entry = &after[0];
            assert_eq!(entry.actor, $actor, "{}", $name);
            assert_eq!(entry.address, "127.0.0.1", "{}", $name);
            assert!(entry.unit_code.is_some(), "{}: the unit is recorded", $name);
            assert!(
                entry.detail.get("before").is_some() && entry.detail.get("after").is_some(),
                "{}: before and after in {}",
                $name,
                entry.detail
            );
            covered.push($name.to_string());
        }};
        ($name:literal, $member:expr, $call:expr) => {{
            case!($name, "canbo.xa", $call);
            let events = store.member_events($member).await.unwrap();
            assert!(!events.is_empty(), "{}", $name);
        }};
    }
    case!(
        "add_member",
        "canbo.xa",
        app.add_member(
            &officer,
            &hnd_app::AddMember {
                member: newcomer,
                date: d("01/03/2026"),
                accept_warnings: false
            }
        )
    );
    assert!(
        entries(&store).await[0].member_id.is_some(),
        "the entry names the member the write made"
    );
    case!("admit", a, app.admit(&officer, &[a, b], d("01/03/2026"), "12-QĐ/HND"));
    case!(
        "send_transfer",
        a,
        app.send_transfer(&officer, a, "00004-B", d("01/03/2026"))
    );
    case!("cancel_transfer", a, app.cancel_transfer(&officer, a, d("01/03/2026")));
    case!(
        "send_transfer",
        a,
        app.send_transfer(&officer, a, "00004-B", d("02/03/2026"))
    );
    case!(
        "confirm_transfer",
        a,
        app.confirm_transfer(&officer, a, d("03/03/2026"))
    );
    case!("start_leave", a, app.start_leave(&officer, a, d("04/03/2026")));
    case!(
        "step",
        a,
        app.step(&officer, a, &hnd_app::Step::Return, d("04/03/2026"))
    );
    case!("start_leave", a, app.start_leave(&officer, a, d("04/03/2026")));
    case!(
        "return_from_leave",
        a,
        app.return_from_leave(&officer, a, d("05/03/2026"))
    );
    case!("reissue_card", a, app.reissue_card(&officer, a, d("06/03/2026")));
    case!(
        "end_membership",
        a,
        app.end_membership(&officer, a, d("07/03/2026"), EndKind::Removed, "Chuyển đi nơi khác")
    );
    case!("reinstate", a, app.reinstate(&officer, a, d("08/03/2026"), "15-QĐ/HND"));
    assert_eq!(store.member(a).await.unwrap().status, "active");
    let fix = hnd_store::Correction {
        full_name: Some("Nguyễn  Thị Ân".into()),
        phone: Some(Some(hnd_domain::Phone::parse("+84 912 345 678").unwrap())),
        village: Some(Some("Thôn Đông".into())),
        ..Default::default()
    };
    case!(
        "correct_member",
        a,
        app.correct_member(&officer, a, &fix, d("09/03/2026"), hnd_app::Personal::Keep)
    );
    let corrected = store.member(a).await.unwrap();
    assert_eq!(
        (corrected.full_name.as_str(), corrected.phone.as_deref()),
        ("Nguyễn Thị Ân", Some("0912345678"))
    );
    let kept = store.member_corrections(a).await.unwrap();
    let fields: Vec<(&str, Option<&str>)> = kept
        .iter()
        .map(|c| (c.field.as_str(), c.old_value.as_deref()))
        .collect();
    let newest_first = [
        ("village", Some("Tổ dân phố 1")),
        ("phone", None),
        ("full_name", Some("Nguyễn Thị An")),
    ];
    assert_eq!(fields, newest_first);
    let phone_in_log = &entries(&store).await[0].detail["after"]["phone"];
    assert_eq!(phone_in_log, "•••", "personal values stay out of the log");
    // The same correction again changes nothing and writes no entry.
    let logged = entries(&store).await.len();
    assert!(
        app.correct_member(&officer, a, &fix, d("09/03/2026"), hnd_app::Personal::Keep)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(entries(&store).await.len(), logged);
    // The same name and birth date again: a likely duplicate to decide.
    let twin = applicant(&store, "Trần Thị Bình", "00004-A").await;
    case!("decide_duplicate", twin, app.decide_duplicate(&officer, twin, b, false));
    let c = applicant(&store, "Lê Thị Cúc", "00004-A").await;
    case!(
        "withdraw_application",
        c,
        app.withdraw_application(&officer, c, d("10/03/2026"), "Rút đơn")
    );
    let refused = app.reinstate(&officer, c, d("11/03/2026"), "16-QĐ/HND").await;
    assert!(
        refused.is_err(),
        "an application withdrawn is not a membership to restore"
    );
    // The profile: its fields, positions, titles, ratings and photo.
    let p = applicant(&store, "Phạm Thị Phúc", "00004-A").await;
    let profile_with = |set: &[(&str, &str)]| {
        let mut values: std::collections::HashMap<&str, String> =
            hnd_domain::profile::Profile::default().to_text().into_iter().collect();
        for (field, value) in set {
            values.insert(field, value.to_string());
        }
        hnd_domain::profile::Profile::parse(|f| values.get(f).cloned().unwrap_or_default()).unwrap()
    };
    let given = profile_with(&[("occupation", "crop"), ("bhyt", "yes")]);
    case!(
        "set_profile",
        "canbo.xa",
        app.set_profile(&officer, p, &given, hnd_app::Personal::Keep)
    );
    let detail = &entries(&store).await[0].detail;
    assert_eq!(detail["after"]["occupation"], "crop", "{detail}");
    assert_eq!(detail["personal_changed"], serde_json::json!(["bhyt"]), "{detail}");
    assert!(
        detail["after"].get("bhyt").is_none(),
        "personal values stay out of the log"
    );
    let role = hnd_domain::profile::NewRole::parse("branch_head", "00004-A", "01/01/2026", "").unwrap();
    case!("add_role", "canbo.xa", app.add_role(&officer, p, &role));
    let role_id = store.member_profile(p).await.unwrap().roles[0].id;
    assert_eq!(entries(&store).await[0].detail["after"]["id"], role_id);
    case!("remove_role", "canbo.xa", app.remove_role(&officer, p, role_id));
    let far_role = hnd_domain::profile::NewRole::parse("branch_head", "21136-C", "01/01/2026", "").unwrap();
    let refused = app.add_role(&officer, p, &far_role).await;
    assert_eq!(refused.unwrap_err().kind(), hnd_app::ErrorKind::Forbidden);
    let title = hnd_domain::profile::NewTitle::parse("2025", "commune", "merit", "QĐ 1").unwrap();
    case!("add_title", "canbo.xa", app.add_title(&officer, p, &title));
    let title_id = store.member_profile(p).await.unwrap().titles[0].id;
    case!("remove_title", "canbo.xa", app.remove_title(&officer, p, title_id));
    let rating = hnd_domain::profile::NewRating::parse("2025", "good", "").unwrap();
    case!("set_rating", "canbo.xa", app.set_rating(&officer, p, &rating));
    case!("remove_rating", "canbo.xa", app.remove_rating(&officer, p, 2025));
    let jpeg = [vec![0xFF, 0xD8, 0xFF, 0xE0], vec![7; 100]].concat();
    let photo = hnd_domain::profile::Photo::parse(jpeg).unwrap();
    case!("set_photo", "canbo.xa", app.set_photo(&officer, p, &photo));
    case!("remove_photo", "canbo.xa", app.remove_photo(&officer, p));
    // A branch officer may edit the member but not see personal data: the
    // form keeps personal fields, the API's input that sets one is refused.
    store
        .create_user("chihoi.a", "Chi hội A", "mat-khau-dai-du")
        .await
        .unwrap();
    store
        .grant("chihoi.a", Role::BranchHead, "00004-A", "kiểm thử")
        .await
        .unwrap();
    let branch = Actor::user(
        store.principal_by_login("chihoi.a").await.unwrap(),
        "127.0.0.1",
        Channel::Api,
        Lang::Vi,
    );
    let no_insurance = profile_with(&[("bhyt", "no")]);
    let refused = app
        .set_profile(&branch, p, &no_insurance, hnd_app::Personal::Refuse)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), hnd_app::ErrorKind::Forbidden);
    assert_eq!(refused.field_name(), Some("bhyt"));
    let saved = app
        .set_profile(&branch, p, &no_insurance, hnd_app::Personal::Keep)
        .await
        .unwrap();
    assert_eq!(saved.after.bhyt, Some(true), "kept as it was");
    assert_eq!(saved.after.occupation, None);
    let refused = app.set_photo(&branch, p, &photo).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    // Accounts, by a province officer of Hà Nội.
    store
        .create_user("tinh.hn", "Cán bộ tỉnh", "mat-khau-dai-du")
        .await
        .unwrap();
    store
        .grant("tinh.hn", Role::ProvinceOfficer, "01", "kiểm thử")
        .await
        .unwrap();
    let province = Actor::user(
        store.principal_by_login("tinh.hn").await.unwrap(),
        "127.0.0.1",
        Channel::Web,
        Lang::Vi,
    );
    case!(
        "create_user",
        "tinh.hn",
        app.create_user(&province, "xa.moi", "Cán bộ xã mới", "mat-khau-dai-du")
    );
    case!(
        "grant_role",
        "tinh.hn",
        app.grant_role(&province, "xa.moi", Role::CommuneOfficer, "00004")
    );
    case!(
        "reset_password",
        "tinh.hn",
        app.reset_password(&province, "xa.moi", "mat-khau-moi-dai")
    );
    let token = app.issue_token(&province, "xa.moi", "máy chủ xã").await.unwrap();
    assert!(token.starts_with("hnd_"));
    case!(
        "issue_token",
        "tinh.hn",
        app.issue_token(&province, "xa.moi", "lần hai")
    );
    let reference = store.users_under("/", false, 100).await.unwrap();
    let reference = reference.iter().find(|u| u.login == "xa.moi").unwrap().tokens[0]
        .reference
        .clone();
    case!(
        "revoke_token",
        "tinh.hn",
        app.revoke_token(&province, "xa.moi", &reference)
    );
    case!(
        "revoke_role",
        "tinh.hn",
        app.revoke_role(&province, "xa.moi", Role::CommuneOfficer, "00004")
    );
    // Not beyond the province, not the central role, not by a commune officer.
    let refused = app.grant_role(&province, "xa.moi", Role::CommuneOfficer, "21136").await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app.grant_role(&province, "xa.moi", Role::CentralAdmin, "01").await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app
        .create_user(&officer, "xa.khac", "Người khác", "mat-khau-dai-du")
        .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    // Signing in, changing one's password, signing out: each session
    // write with its entry, filed under the account's unit.
    let visitor = Actor::visitor("127.0.0.1", Channel::Web, Lang::Vi);
    case!("sign_in", "xa.moi", app.sign_in(&visitor, "xa.moi", "mat-khau-moi-dai"));
    let logged = entries(&store).await.len();
    let refused = app.sign_in(&visitor, "xa.moi", "sai-mat-khau").await;
    assert!(
        refused.is_err() && entries(&store).await.len() == logged,
        "a refusal changes nothing"
    );
    let first = app.sign_in(&visitor, "xa.moi", "mat-khau-moi-dai").await.unwrap();
    let xa = Actor::user(
        store.principal_by_login("xa.moi").await.unwrap(),
        "127.0.0.1",
        Channel::Web,
        Lang::Vi,
    );
    case!(
        "change_password",
        "xa.moi",
        app.change_password(&xa, "mat-khau-moi-dai", "mat-khau-rieng-tu")
    );
    let now = chrono::Utc::now();
    assert!(
        store.session(&first.token, now).await.unwrap().is_none(),
        "other sessions end"
    );
    let session = app.sign_in(&visitor, "xa.moi", "mat-khau-rieng-tu").await.unwrap();
    case!("sign_out", "xa.moi", app.sign_out(&xa, &session.token));
    assert!(store.session(&session.token, now).await.unwrap().is_none());
    // A member file imported into the commune: a row of another province
    // is refused like a bad row; the chunk's entry counts both.
    let dir = std::env::temp_dir().join(format!("hnd-app-files-{}-{:?}", std::process::id(), store.backend()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("hoi-vien.csv");
    std::fs::write(
        &csv,
        "Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\"\n\
         Vũ Thị Nhập,1980,Nữ,00004-A\n\
         Đỗ Văn Xa,1981,Nam,21136-C\n",
    )
    .unwrap();
    let file = hnd_app::MemberFile {
        unit: "00004",
        path: &csv,
        name: "hoi-vien.csv",
        errors_path: &dir.join("loi.csv"),
        job: Some(7),
        day: d("01/03/2026"),
    };
    let options = hnd_import::ImportOptions::WEB;
    case!(
        "import_members",
        "canbo.xa",
        app.import_members(&officer, &file, &options, &mut |_| {})
    );
    let entry = &entries(&store).await[0];
    assert_eq!(entry.unit_code.as_deref(), Some("00004"));
    let after = &entry.detail["after"];
    assert_eq!(
        (&after["accepted"], &after["refused"], &after["job"]),
        (&1.into(), &1.into(), &7.into())
    );
    let elsewhere = hnd_app::MemberFile { unit: "21136", ..file };
    let refused = app.import_members(&officer, &elsewhere, &options, &mut |_| {}).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    // Exported by who may see personal data: unmasked.
    let out = dir.join("xuat.csv");
    let query = hnd_store::MemberQuery {
        scope: "00004".into(),
        ..Default::default()
    };
    case!("export_members", "canbo.xa", app.export_members(&officer, &query, &out));
    assert_eq!(entries(&store).await[0].detail["after"]["masked"], false);
    // A branch head sees personal data masked and takes no files out.
    let branch_query = hnd_store::MemberQuery {
        scope: "00004-A".into(),
        ..Default::default()
    };
    let refused = app.export_members(&branch, &branch_query, &out).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    std::fs::remove_dir_all(&dir).unwrap();
    // A table taken away (a plan's targets sheet), under the unit it shows.
    let table = serde_json::json!({"table": "targets", "plan": "KH-1", "unit": "00004"});
    case!(
        "record_export",
        "canbo.xa",
        app.record_export(&officer, "00004", table.clone())
    );
    assert_eq!(entries(&store).await[0].unit_code.as_deref(), Some("00004"));
    let refused = app.record_export(&officer, "00008", table).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    // Households, filed under the head's unit.
    let household = app
        .create_household(&officer, b, Some("Thôn Đông".into()))
        .await
        .unwrap();
    let entry = &entries(&store).await[0];
    assert_eq!(entry.detail["after"]["household"], household);
    let d2 = applicant(&store, "Trần Văn Dũng", "00004-A").await;
    case!("create_household", d2, app.create_household(&officer, d2, None));
    let e = applicant(&store, "Trần Thị Em", "00004-A").await;
    case!(
        "join_household",
        e,
        app.join_household(&officer, household, e, HouseholdRole::Child)
    );
    case!(
        "set_household_category",
        b,
        app.set_household_category(&officer, household, 2026, HouseholdCategory::Poor)
    );
    let entry = &entries(&store).await[0];
    assert_eq!(entry.unit_code.as_deref(), Some("00004-A"), "the head's unit");
    assert_eq!(entry.member_id, Some(b));
    case!(
        "set_household_category",
        b,
        app.set_household_category(&officer, household, 2026, HouseholdCategory::NearPoor)
    );
    assert_eq!(entries(&store).await[0].detail["before"]["category"], "poor");
    let far = applicant(&store, "Lê Văn Xa", "21136-C").await;
    let refused = app.join_household(&officer, household, far, HouseholdRole::Other).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app.create_household(&officer, far, None).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    // The tree's edits, by the commune's officer, below the commune.
    let new_branch = |code: &str| hnd_store::testing::branch(code, &format!("Chi hội {code}"), "00004");
    case!(
        "create_unit",
        "canbo.xa",
        app.create_unit(&officer, new_branch("00004-D"), d("01/04/2026"), Codes::Checked)
    );
    assert_eq!(entries(&store).await[0].unit_code.as_deref(), Some("00004"));
    app.create_unit(&officer, new_branch("00004-E"), d("01/04/2026"), Codes::Checked)
        .await
        .unwrap();
    let group = NewUnit {
        level: Level::Group,
        parent: UnitCode::parse("00004-D").unwrap(),
        ..hnd_store::testing::branch("00004-D1", "Tổ hội D1", "00004")
    };
    app.create_unit(&officer, group, d("01/04/2026"), Codes::Checked)
        .await
        .unwrap();
    case!(
        "rename_unit",
        "canbo.xa",
        app.rename_unit(
            &officer,
            "00004-D",
            &UnitName::parse("Chi hội Đoàn Kết").unwrap(),
            d("02/04/2026")
        )
    );
    case!(
        "move_unit",
        "canbo.xa",
        app.move_unit(&officer, "00004-D1", "00004-E", d("03/04/2026"))
    );
    assert_eq!(entries(&store).await[0].detail["before"]["parent"], "00004-D");
    case!(
        "merge_units",
        "canbo.xa",
        app.merge_units(&officer, &["00004-D".to_string()], "00004-E", d("04/04/2026"))
    );
    let parts = [
        SplitPart {
            code: UnitCode::parse("00004-E1").unwrap(),
            name: UnitName::parse("Chi hội E1").unwrap(),
        },
        SplitPart {
            code: UnitCode::parse("00004-E2").unwrap(),
            name: UnitName::parse("Chi hội E2").unwrap(),
        },
    ];
    let assign = [("00004-D1".to_string(), "00004-E1".to_string())];
    case!(
        "split_unit",
        "canbo.xa",
        app.split_unit(&officer, "00004-E", &parts, &assign, d("05/04/2026"), Codes::Checked)
    );
    case!(
        "dissolve_unit",
        "canbo.xa",
        app.dissolve_unit(&officer, "00004-E2", d("06/04/2026"))
    );
    assert_eq!(entries(&store).await[0].unit_code.as_deref(), Some("00004-E2"));
    // Not the commune itself, not elsewhere, not a code of another place.
    let logged = entries(&store).await.len();
    let refused = app
        .rename_unit(&officer, "00004", &UnitName::parse("Hội Mới").unwrap(), d("07/04/2026"))
        .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app.move_unit(&officer, "00004-A", "21136", d("07/04/2026")).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app
        .create_unit(&officer, new_branch("99999-X"), d("07/04/2026"), Codes::Checked)
        .await;
    assert_eq!(
        refused.as_ref().map_err(|e| e.field_name()),
        Err(Some("code")),
        "{refused:?}"
    );
    assert_eq!(entries(&store).await.len(), logged, "nothing refused is logged");
    // The operator keeps a register's own numbering.
    let operator = Actor::operator("quan.tri", Lang::Vi);
    app.create_unit(&operator, new_branch("99999-X"), d("07/04/2026"), Codes::Free)
        .await
        .unwrap();
    // Plans: issued, tasks given, targets set and handed down, figures
    // typed, reports; by the commune's officer in the commune.
    let mut plan = hnd_app::PlanText {
        unit: "00004".into(),
        title: "Kế hoạch năm 2026".into(),
        date: "01/01/2026".into(),
        years: "2026".into(),
        ..Default::default()
    };
    case!("create_plan", "canbo.xa", app.create_plan(&officer, &plan));
    let number = entries(&store).await[0].detail["after"]["number"]
        .as_str()
        .unwrap()
        .to_string();
    plan.title = "Kế hoạch công tác năm 2026".into();
    case!("edit_plan", "canbo.xa", app.edit_plan(&officer, &number, &plan, None));
    let text = "KẾ HOẠCH\nCông tác Hội năm 2026\nI. CHỈ TIÊU\n1. Kết nạp mới từ 20 hội viên trở lên.\n\
        II. NHIỆM VỤ\n1. Rà soát hội viên. Giao Chi hội A chủ trì; thời gian trong quý II/2026.\n";
    let read = hnd_app::read_plan_document(&app, &officer, Some("00004"), text.as_bytes())
        .await
        .unwrap();
    let review = hnd_app::first_review("00004", &read);
    case!(
        "create_plan_from_reading",
        "canbo.xa",
        app.create_plan_from_reading(&officer, &review)
    );
    let task = hnd_store::testing::task("Tuyên truyền", "Ban Thường vụ", "Chi hội A", "", "Thường xuyên");
    case!("add_task", "canbo.xa", app.add_task(&officer, &number, &task));
    let task_id = store.tasks(&number, d("01/05/2026")).await.unwrap()[0].id;
    let changed = hnd_store::NewTask {
        deadline: "quý III/2026".into(),
        ..task.clone()
    };
    case!("edit_task", "canbo.xa", app.edit_task(&officer, task_id, &changed));
    assert_eq!(entries(&store).await[0].detail["before"]["deadline"], "Thường xuyên");
    case!(
        "assign_task",
        "canbo.xa",
        app.assign_task(&officer, task_id, &["00004-A".to_string()])
    );
    assert_eq!(entries(&store).await[0].detail["after"]["copies"][0]["unit"], "00004-A");
    let at_least = hnd_domain::plan::Comparator::AtLeast;
    let targets = [("00004".to_string(), "new_members".to_string(), at_least, 10.0)];
    case!("set_targets", "canbo.xa", app.set_targets(&officer, &number, &targets));
    let targets = [("00004".to_string(), "new_members".to_string(), at_least, 12.0)];
    case!("set_targets", "canbo.xa", app.set_targets(&officer, &number, &targets));
    let entry = &entries(&store).await[0];
    assert_eq!(entry.detail["before"][0]["value"], 10.0, "{}", entry.detail);
    assert_eq!(entry.unit_code.as_deref(), Some("00004"));
    case!(
        "split_target",
        "canbo.xa",
        app.split_target(&officer, &number, "00004", "new_members", "equal")
    );
    assert!(entries(&store).await[0].detail["after"]["units"].as_u64() > Some(0));
    let year = hnd_domain::plan::Period::Year { year: 2026 };
    let figures = [("articles".to_string(), 3.0), ("vocational_trained".to_string(), 12.0)];
    case!(
        "enter_values",
        "canbo.xa",
        app.enter_values(&officer, "00004-A", year, &figures, false)
    );
    assert_eq!(entries(&store).await[0].detail["after"]["vocational_trained"], 12.0);
    let report = |status: &str, note: &str| hnd_app::TaskReport {
        status: status.into(),
        note: note.into(),
        files: Vec::new(),
    };
    case!(
        "report_task",
        "canbo.xa",
        app.report_task(&officer, task_id, report("in_progress", "Đã họp chi hội"))
    );
    assert_eq!(entries(&store).await[0].detail["before"]["status"], "open");
    case!("issue_plan", "canbo.xa", app.issue_plan(&officer, &number, None));
    let logged = entries(&store).await.len();
    let refused = app.edit_plan(&officer, &number, &plan, None).await;
    assert_eq!(
        refused.unwrap_err().kind(),
        hnd_app::ErrorKind::Conflict,
        "an issued plan is read-only"
    );
    assert_eq!(entries(&store).await.len(), logged, "nothing refused is logged");
    case!("new_plan_version", "canbo.xa", app.new_plan_version(&officer, &number));
    case!("withdraw_plan", "canbo.xa", app.withdraw_plan(&officer, &number));
    let indicator = hnd_store::NewIndicator {
        code: "mo_hinh_moi".into(),
        name_vi: "Mô hình mới".into(),
        name_en: String::new(),
        measure: "count".into(),
        ratio: None,
    };
    case!("add_indicator", "tinh.hn", app.add_indicator(&province, &indicator));
    // Not another province's targets, not the country's catalogue from a
    // commune, not a report without its note; nothing refused is logged.
    let logged = entries(&store).await.len();
    let far = [("21136-C".to_string(), "new_members".to_string(), at_least, 1.0)];
    let refused = app.set_targets(&officer, &number, &far).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app.add_indicator(&officer, &indicator).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app.report_task(&officer, task_id, report("done", " ")).await;
    assert_eq!(refused.unwrap_err().field_name(), Some("note"));
    let refused = app.enter_values(&officer, "21136-C", year, &figures, false).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    assert_eq!(entries(&store).await.len(), logged, "nothing refused is logged");
    // Fees: the province sets the year's fee; the commune records who paid.
    let rate = hnd_domain::FeeRate::new(24_000, 12_000, 6_000, 4_000, 2_000).unwrap();
    case!(
        "set_fee_rate",
        "tinh.hn",
        app.set_fee_rate(&province, "01", 2026, Ok(rate))
    );
    assert_eq!(entries(&store).await[0].unit_code.as_deref(), Some("01"));
    let refused = app.set_fee_rate(&officer, "01", 2026, Ok(rate)).await;
    assert!(
        matches!(refused, Err(AppError::Forbidden)),
        "a commune sets no fee: {refused:?}"
    );
    let payer = applicant(&store, "Đỗ Văn Phí", "00004-A").await;
    app.admit(&officer, &[payer], d("01/03/2026"), "13-QĐ/HND")
        .await
        .unwrap();
    case!(
        "record_fees",
        payer,
        app.record_fees(&officer, &[payer], 2026, d("05/03/2026"))
    );
    assert_eq!(entries(&store).await[0].unit_code.as_deref(), Some("00004-A"));
    let logged = entries(&store).await.len();
    let twice = app.record_fees(&officer, &[payer], 2026, d("06/03/2026")).await;
    assert_eq!(twice.unwrap_err().kind(), hnd_app::ErrorKind::Conflict, "paid twice");
    assert_eq!(entries(&store).await.len(), logged, "nothing refused is logged");
    // The strength report taken away as a workbook is an export, audited
    // under its unit; another commune's is refused and not logged.
    let year = hnd_domain::plan::Period::Year { year: 2026 };
    case!(
        "strength_workbook",
        "canbo.xa",
        app.strength_workbook(&officer, "00004", year, hnd_domain::Lang::Vi)
    );
    assert_eq!(entries(&store).await[0].action, "report.export");
    let logged = entries(&store).await.len();
    let refused = app
        .strength_workbook(&officer, "21136", year, hnd_domain::Lang::Vi)
        .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    assert_eq!(entries(&store).await.len(), logged, "nothing refused is logged");
    // A mapping saved by name for the commune, then removed.
    let mapping = hnd_import::Mapping {
        unit: "00004".into(),
        header_rows: vec![1],
        first_row: 2,
        ..Default::default()
    };
    case!(
        "save_import_mapping",
        "canbo.xa",
        app.save_import_mapping(&officer, "00004", "Hằng tháng", &mapping)
    );
    case!(
        "delete_import_mapping",
        "canbo.xa",
        app.delete_import_mapping(&officer, "00004", "Hằng tháng")
    );
    // A report written and submitted by the commune, the province's own
    // filled with the sums below, the commune's taken away as a document.
    let at = ("six_month", "2026-H1");
    let parts = [("results".to_string(), "Kết nạp 12 hội viên.".to_string())].into();
    let typed = [("villages".to_string(), "12".to_string())].into();
    case!(
        "save_report",
        "canbo.xa",
        app.save_report(&officer, "00004", at, &parts, &typed)
    );
    case!(
        "report_step",
        "canbo.xa",
        app.report_step(&officer, "00004", at, hnd_domain::ReportStep::Submit, "")
    );
    let logged = entries(&store).await.len();
    let refused = app
        .report_step(&officer, "00004", at, hnd_domain::ReportStep::Approve, "")
        .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "not its own: {refused:?}");
    assert_eq!(entries(&store).await.len(), logged, "nothing refused is logged");
    case!(
        "aggregate_report",
        "tinh.hn",
        app.aggregate_report(&province, "01", at.0, at.1)
    );
    case!(
        "report_document",
        "canbo.xa",
        app.report_document(&officer, "00004", at.0, at.1, "pdf")
    );
    covered.sort();
    covered.dedup();
    assert_eq!(covered, operations(), "every operation has a case here");
}

async fn a_failing_entry_undoes_its_change(store: Store) {
    let officer = tree(&store).await;
    let app = App::new(store.clone());
    let a = applicant(&store, "Nguyễn Thị An", "00004-A").await;
    app.admit(&officer, &[a], d("01/03/2026"), "12-QĐ/HND").await.unwrap();
    let events = store.member_events(a).await.unwrap().len();
    let logged = entries(&store).await.len();
    // A failure between the change and its entry: the entry's insert fails.
    let refuse = match store.backend() {
        hnd_store::Backend::Sqlite => {
            "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected'); END"
        }
        hnd_store::Backend::Postgres => {
            "CREATE FUNCTION audit_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$"
        }
    };
    hnd_store::testing::execute(&store, refuse).await.unwrap();
    if store.backend() == hnd_store::Backend::Postgres {
        hnd_store::testing::execute(
            &store,
            "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_fails()",
        )
        .await
        .unwrap();
    }
    let failed = app.send_transfer(&officer, a, "00004-B", d("02/03/2026")).await;
    assert!(failed.is_err(), "the entry could not be written");
    let member = store.member(a).await.unwrap();
    assert_eq!(member.status, "active", "the transfer was undone with its entry");
    assert_eq!(member.transfer_to, None);
    assert_eq!(store.member_events(a).await.unwrap().len(), events);
    assert_eq!(entries(&store).await.len(), logged);
}

async fn an_actor_outside_the_tree_changes_nothing(store: Store) {
    let officer = tree(&store).await;
    let app = App::new(store.clone());
    let far = applicant(&store, "Lê Văn Xa", "21136-C").await;
    let logged = entries(&store).await.len();
    let refused = app.admit(&officer, &[far], d("01/03/2026"), "12-QĐ/HND").await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    assert_eq!(store.member(far).await.unwrap().status, "applicant");
    assert_eq!(entries(&store).await.len(), logged);
    // The operator at the command line may act anywhere, and is audited.
    let operator = Actor::operator("quan.tri", Lang::Vi);
    app.admit(&operator, &[far], d("01/03/2026"), "12-QĐ/HND")
        .await
        .unwrap();
    let entry = &entries(&store).await[0];
    assert_eq!((entry.actor.as_str(), entry.address.as_str()), ("quan.tri", "cli"));
    assert_eq!(entry.unit_code.as_deref(), Some("21136-C"));
}
