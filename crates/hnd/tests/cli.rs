//! The `hnd` command as a user runs it, on both backends.

use std::process::{Command, Output};

fn hnd(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hnd"))
        .args(["--db", db])
        .args(args)
        .env_remove("HND_LANG")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("hnd runs")
}

fn ok(db: &str, args: &[&str]) -> String {
    let out = hnd(db, args);
    assert!(
        out.status.success(),
        "hnd {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn failing(db: &str, args: &[&str]) -> String {
    let out = hnd(db, args);
    assert!(!out.status.success(), "hnd {args:?} should fail");
    String::from_utf8(out.stderr).expect("UTF-8 output")
}

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(&hnd_store::testing::sqlite_url());
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(url) = hnd_store::testing::postgres_url() else { return };
                let db = hnd_store::testing::postgres_schema_url(&url).await.expect("schema");
                tokio::task::spawn_blocking(move || super::$name(&db)).await.unwrap();
            })*
        }
    };
}

both_backends!(
    members_from_the_command_line,
    member_import_export_round_trip,
    stats_json_is_exact,
    legacy_tree_merges_into_todays,
    show_prints_path_children_and_lineage,
    import_loads_all_rows_or_none,
    bad_input_is_explained_in_vietnamese,
    plans_and_progress_from_the_command_line,
    a_profile_from_the_command_line,
    an_import_killed_halfway_leaves_whole_chunks_and_resumes,
    a_member_file_without_the_template_or_not_a_workbook_is_explained,
    sigterm_stops_the_server_during_an_import,
    dates_settings_and_cancelled_transfers_from_the_command_line,
    tree_edits_and_households_are_audited_once_from_the_command_line,
    a_restored_backup_equals_the_original,
    fees_from_the_command_line,
    the_strength_report_from_the_command_line,
    a_plan_implemented_below_from_the_command_line,
    tasks_and_figures_from_the_command_line,
    the_demo_lives_through_the_2025_reform,
    a_list_in_its_own_layout_is_mapped_then_imported,
    units_and_targets_in_their_own_layout_are_mapped_then_imported,
    a_plan_text_is_read_into_a_draft
);

/// A province issues a plan with a deadline, three communes issue plans
/// implementing it (one after the deadline); `plans show --json` tells
/// each one's number and status and who was late; a draft refuses to be
/// issued twice, an issued plan is withdrawn.
fn a_plan_implemented_below_from_the_command_line(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let create = |unit: &str, date: &str, implements: Option<&str>| {
        let mut args = vec![
            "plans",
            "create",
            "--unit",
            unit,
            "--kind",
            "plan",
            "--title",
            "Kế hoạch thực hiện",
            "--years",
            "2025-2030",
            "--date",
            date,
            "--json",
        ];
        if let Some(parent) = implements {
            args.extend(["--implements", parent]);
        } else {
            args.extend(["--implement-by", "31/07/2025"]);
        }
        let out: serde_json::Value = serde_json::from_str(&ok(db, &args)).unwrap();
        out["number"].as_str().unwrap().to_string()
    };
    let parent = create("01", "05/06/2025", None);
    ok(
        db,
        &["plans", "edit", &parent, "--title", "Kế hoạch thực hiện Nghị quyết 46"],
    );
    let shown: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "show", &parent, "--json"])).unwrap();
    assert_eq!(shown["status"], "draft");
    assert_eq!(shown["title"], "Kế hoạch thực hiện Nghị quyết 46");
    assert_eq!(shown["implement_by"], "31/07/2025", "fields not given stay");
    ok(db, &["plans", "issue", &parent]);
    let out = failing(db, &["plans", "issue", &parent]);
    assert!(out.contains("không còn là dự thảo"), "{out}");
    let out = failing(db, &["plans", "edit", &parent, "--title", "Khác"]);
    assert!(out.contains("không còn là dự thảo"), "{out}");
    let shown: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "show", &parent, "--json"])).unwrap();
    let communes: Vec<String> = shown["implementing"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|r| r["unit"].as_str().unwrap().to_string())
        .collect();
    let mut children = Vec::new();
    for (code, date) in communes.iter().zip(["10/07/2025", "30/07/2025", "15/08/2025"]) {
        let number = create(code, date, Some(&parent));
        ok(db, &["plans", "issue", &number]);
        children.push(number);
    }
    let shown: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "show", &parent, "--json"])).unwrap();
    assert_eq!(shown["status"], "issued");
    assert_eq!(shown["implements"], serde_json::Value::Null);
    let rows = shown["implementing"].as_array().unwrap();
    for (code, number) in communes.iter().zip(&children) {
        let row = rows.iter().find(|r| r["unit"] == code.as_str()).unwrap();
        assert_eq!(row["number"], number.as_str());
        assert_eq!(row["status"], "issued");
    }
    let late = |code: &str| rows.iter().find(|r| r["unit"] == code).unwrap()["late"] == true;
    assert!(!late(&communes[0]) && !late(&communes[1]) && late(&communes[2]));
    let child: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "show", &children[0], "--json"])).unwrap();
    assert_eq!(child["implements"]["number"], parent.as_str());
    ok(db, &["plans", "withdraw", &children[0]]);
    let child: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "show", &children[0], "--json"])).unwrap();
    assert_eq!(child["status"], "withdrawn");
}

/// A task added to a plan from the command line (its id as JSON), a
/// deadline no plan writes explained, the task changed and given to two
/// communes; figures entered with their checks and a confirmation.
fn tasks_and_figures_from_the_command_line(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let made: serde_json::Value = serde_json::from_str(&ok(
        db,
        &[
            "plans",
            "create",
            "--unit",
            "01",
            "--title",
            "Kế hoạch năm",
            "--years",
            "2026",
            "--json",
        ],
    ))
    .unwrap();
    let plan = made["number"].as_str().unwrap().to_string();
    let create = |deadline: &str| {
        hnd(
            db,
            &[
                "tasks",
                "create",
                "--plan",
                &plan,
                "--title",
                "Vận động hội viên tham gia BHYT",
                "--lead",
                "Hội Nông dân thành phố",
                "--directing",
                "UBND thành phố",
                "--coordinating",
                "Bảo hiểm xã hội thành phố",
                "--coordinating",
                "Sở Y tế",
                "--deadline",
                deadline,
                "--json",
            ],
        )
    };
    let out = create("cuối năm");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Thời hạn \"cuối năm\" không hiểu được") && said.contains("quý I–IV/YYYY"),
        "{said}"
    );
    let out = create("quý II/2026");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = id["id"].as_i64().unwrap().to_string();
    ok(db, &["tasks", "edit", &id, "--deadline", "tháng 9/2026"]);
    let shown: serde_json::Value = serde_json::from_str(&ok(db, &["tasks", "show", &id, "--json"])).unwrap();
    assert_eq!(shown["task"]["deadline"], "tháng 9/2026");
    assert_eq!(
        shown["task"]["coordinating"], "Bảo hiểm xã hội thành phố; Sở Y tế",
        "fields not given stay"
    );
    let given: serde_json::Value = serde_json::from_str(&ok(
        db,
        &["tasks", "assign", &id, "--unit", "00004", "--unit", "00008", "--json"],
    ))
    .unwrap();
    assert_eq!(given.as_array().unwrap().len(), 2);
    assert_eq!(given[1]["unit"], "00008");
    let out = failing(db, &["tasks", "assign", &id, "--unit", "51"]);
    assert!(out.contains("chỉ giao được cho đơn vị cấp dưới"), "{out}");
    let copy = given[0]["id"].as_i64().unwrap().to_string();
    ok(
        db,
        &["tasks", "report", &copy, "--status", "done", "--note", "Đã vận động"],
    );
    let shown: serde_json::Value = serde_json::from_str(&ok(db, &["tasks", "show", &id, "--json"])).unwrap();
    assert_eq!(shown["task"]["status"], "open");
    assert_eq!(shown["copies"][0]["status"], "done");

    // Figures: never more members with BHYT than members; a figure far
    // from the year before's is saved only when confirmed.
    let enter = |indicator: &str, period: &str, value: &str, confirm: bool| {
        let mut args = vec![
            "plans",
            "enter",
            "--unit",
            "00004",
            "--indicator",
            indicator,
            "--period",
            period,
            "--value",
            value,
        ];
        if confirm {
            args.push("--confirm");
        }
        hnd(db, &args)
    };
    let out = enter("members_bhyt", "2026", "5", false);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("không thể lớn hơn Tổng số hội viên (0)"),
        "{said}"
    );
    assert!(enter("articles", "2025", "10", false).status.success());
    let out = enter("articles", "2026", "30", false);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("khác xa kỳ trước") && said.contains("--confirm"),
        "{said}"
    );
    let out = enter("articles", "2026", "30", true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The demo is a register that lived through the reform: the legacy
/// tree as of 30/06/2025, members in every province of 2025 and the most
/// in the sample ones, the same members the day before the reform and on
/// its day (maintained counts equal to a recount), the commune officer's
/// commune formed from legacy communes, with history before the reform
/// and records waiting on its pages.
fn the_demo_lives_through_the_2025_reform(db: &str) {
    let out = ok(db, &["demo", "--no-serve", "--members", "3000"]);
    assert!(out.contains("63 tỉnh thành 34"), "{out}");
    let before = ok(db, &["org", "stats", "--as-of", "30/06/2025", "--json"]);
    assert!(
        before.contains(r#""province":63,"district":696,"base":10035"#),
        "{before}"
    );
    // "Đăng nhập: canbo.xa / hnd-demo-xa (Cán bộ Hội cấp xã, 21025 Phường Cẩm Thành)"
    let officer = out
        .lines()
        .find(|l| l.contains("canbo.xa"))
        .expect("the officer's login");
    let commune = officer
        .split(", ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .expect("a code");
    let show: serde_json::Value =
        serde_json::from_str(&ok(db, &["org", "show", commune, "--as-of", "01/07/2025", "--json"])).unwrap();
    assert_eq!(show["path"][1]["code"], "51", "{show}");
    let came_from = show["lineage"]["came_from"].as_array().expect("a lineage").clone();
    assert!(came_from.len() > 1, "{show}");
    for link in &came_from {
        let code = link["code"].as_str().unwrap();
        let old: serde_json::Value =
            serde_json::from_str(&ok(db, &["org", "show", code, "--as-of", "30/06/2025", "--json"])).unwrap();
        // A legacy commune: under a district of Quảng Ngãi or Kon Tum.
        assert_eq!(old["unit"]["level"], "base", "{old}");
        assert_eq!(old["path"][2]["level"], "district", "{old}");
        assert!(
            ["51", "62"].contains(&old["path"][1]["code"].as_str().unwrap()),
            "{old}"
        );
    }
    let db = db.to_string();
    let commune = commune.to_string();
    in_runtime(async move {
        use hnd_domain::Day;
        let store = hnd_store::Store::open(&db).await.expect("store");
        let (eve, reform, today) = (Day::REFORM_2025.pred(), Day::REFORM_2025, Day::today());
        let old = store.province_counts(eve).await.unwrap();
        let new = store.province_counts(reform).await.unwrap();
        assert_eq!((old.len(), new.len()), (63, 34));
        assert!(old.iter().all(|(_, n)| *n > 0), "{old:?}");
        assert!(new.iter().all(|(_, n)| *n > 0), "{new:?}");
        let total = |c: &[(String, i64)]| c.iter().map(|(_, n)| n).sum::<i64>();
        assert_eq!(total(&old), total(&new));
        assert_eq!(store.count_members("TW", eve).await.unwrap(), total(&new));
        // The sample provinces are full, the others lighter.
        let of = |code: &str| new.iter().find(|(p, _)| p == code).unwrap().1;
        let lightest_sample = ["01", "51", "92"].map(of).into_iter().min().unwrap();
        assert!(
            new.iter()
                .all(|(p, n)| ["01", "51", "92"].contains(&p.as_str()) || *n < lightest_sample)
        );
        // Thirty years of admissions, counted where they were made.
        let early = Day::from_ymd(2005, 1, 1).unwrap();
        let in_2005 = store.count_members("TW", early).await.unwrap();
        assert!(in_2005 > 0 && in_2005 < total(&old) / 2, "{in_2005}");
        for (code, day) in [
            ("TW", early),
            ("TW", eve),
            ("51", reform),
            ("TW", today),
            (commune.as_str(), today),
        ] {
            let kept = store.member_counts(code, day).await.unwrap();
            assert_eq!(kept, store.member_counts_scan(code, day).await.unwrap(), "{code} {day}");
        }
        // The officer's pages: applicants, transfers to confirm, a likely
        // duplicate, households, past events.
        assert!(store.count_members(&commune, today).await.unwrap() > 0);
        let applicants = hnd_store::MemberQuery {
            scope: commune.clone(),
            status: Some("applicant".into()),
            limit: 100,
            ..Default::default()
        };
        assert!(store.find_members(&applicants).await.unwrap().0.len() >= 3);
        assert_eq!(store.incoming_transfers(&commune, 100).await.unwrap().len(), 2);
        assert!(!store.open_duplicates(&commune, 100).await.unwrap().is_empty());
        let active = hnd_store::MemberQuery {
            scope: commune.clone(),
            status: Some("active".into()),
            limit: 10_000,
            ..Default::default()
        };
        let mut households = 0;
        for m in store.find_members(&active).await.unwrap().0 {
            households += store.household_of(m.id).await.unwrap().is_some() as usize;
        }
        assert!(households >= 2, "{households}");
        // The province's plan at work there: a task given to the commune,
        // and the figures of two years in its entry grid.
        let given = store.all_tasks(None, today, 1_000).await.unwrap();
        assert!(given.iter().any(|t| t.unit == commune && t.origin.is_some()));
        let (unit, _) = store.unit_path(&commune).await.unwrap();
        let this_year = hnd_domain::plan::Period::Year { year: today.year() };
        let entered = store.entered_values(unit, this_year).await.unwrap();
        assert!(entered.iter().any(|v| v.indicator == "articles"), "{entered:?}");
        let filter = hnd_store::AuditFilter {
            limit: 100_000,
            ..Default::default()
        };
        let actions: std::collections::BTreeSet<String> = (store.audit_entries(&filter).await.unwrap().into_iter())
            .map(|e| e.action)
            .collect();
        for action in [
            "member.transfer",
            "member.confirm_transfer",
            "member.remove",
            "member.add",
            "household.create",
            "task.assign",
            "plan.values",
        ] {
            assert!(actions.contains(action), "{action}: {actions:?}");
        }
        store.close().await;
    });
}

/// The 2025 tree with branch 00004-A named `branch`, founded 01/01/2026,
/// and one member in it, Đặng Thị Hoà (number 1), admitted 01/02/2026.
fn one_member(db: &str, branch: &str) {
    ok(db, &["org", "bootstrap"]);
    let create = [
        "org",
        "create",
        "00004-A",
        "--name",
        branch,
        "--level",
        "branch",
        "--kind",
        "residential",
        "--parent",
        "00004",
        "--date",
        "01/01/2026",
    ];
    ok(db, &create);
    let add = [
        "members",
        "add",
        "--name",
        "Đặng Thị Hoà",
        "--birth",
        "1985",
        "--sex",
        "nữ",
        "--unit",
        "00004-A",
        "--date",
        "01/02/2026",
        "--decision",
        "1-QĐ/HND",
    ];
    ok(db, &add);
}

/// A province sets the year's fee, a member pays it once, the commune's
/// report counts it, the member's record keeps it; each write audited
/// once, by its operation.
fn fees_from_the_command_line(db: &str) {
    one_member(db, "Chi hội Đông");
    let year = hnd_domain::Day::today().year().to_string();
    let rate = |branch: &'static str| {
        [
            "fees",
            "rate",
            "--unit",
            "01",
            "--year",
            &year,
            "--amount",
            "24.000",
            "--branch",
            branch,
            "--base",
            "6000",
            "--province",
            "4000",
            "--central",
            "2000",
        ]
        .map(str::to_string)
    };
    fn args(a: &[String]) -> Vec<&str> {
        a.iter().map(String::as_str).collect()
    }
    // Shares that do not add up: refused in Vietnamese, nothing set.
    let refused = failing(db, &args(&rate("11000")));
    assert!(refused.contains("23.000") && refused.contains("24.000"), "{refused}");
    ok(db, &args(&rate("12000")));
    let paid = ok(db, &["fees", "pay", "--year", &year, "1"]);
    assert!(paid.contains("24.000"), "{paid}");
    let twice = failing(db, &["fees", "pay", "--year", &year, "1"]);
    assert!(twice.contains("Đặng Thị Hoà"), "{twice}");
    let report: serde_json::Value = serde_json::from_str(&ok(
        db,
        &["fees", "report", "--unit", "00004", "--year", &year, "--json"],
    ))
    .unwrap();
    assert_eq!(report["total"]["paid"], 1);
    assert_eq!(report["total"]["collected"], 24000);
    assert_eq!(report["total"]["shares"], serde_json::json!([12000, 6000, 4000, 2000]));
    let record: serde_json::Value = serde_json::from_str(&ok(db, &["fees", "member", "1", "--json"])).unwrap();
    assert_eq!(record[0]["amount"], 24000);
    assert_eq!(record[0]["unit_code"], "00004-A");
    let entries = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = hnd_store::Store::open(db).await.unwrap();
        store.audit_entries(&hnd_store::AuditFilter::default()).await.unwrap()
    });
    let fees: Vec<&str> = entries
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| a.starts_with("fee"))
        .collect();
    assert_eq!(fees, ["fee.pay", "fee.rate"]);
}

/// `hnd reports strength`: a member admitted in the first quarter and
/// struck off in the third is new in Q1 and the year, lost in Q3, counted
/// in the commune's branch row; the workbook has the wide layout's headers;
/// a period that is not one is explained.
fn the_strength_report_from_the_command_line(db: &str) {
    one_member(db, "Chi hội Đông");
    ok(
        db,
        &[
            "members",
            "remove",
            "1",
            "--date",
            "01/08/2026",
            "--reason",
            "Chuyển đi nơi khác",
        ],
    );
    let report = |period: &str| -> serde_json::Value {
        let out = ok(
            db,
            &["reports", "strength", "--unit", "00004", "--period", period, "--json"],
        );
        serde_json::from_str(&out).unwrap()
    };
    let figures = |r: &serde_json::Value, key: &str| {
        let f = &r["columns"][key];
        (f["new"].as_i64(), f["lost"].as_i64(), f["total"].as_i64())
    };
    let q1 = report("2026-Q1");
    assert_eq!(q1["unit"], "00004");
    assert_eq!(q1["period"], "2026-Q1");
    assert_eq!(figures(&q1, "members"), (Some(1), Some(0), Some(1)));
    assert_eq!(figures(&q1, "members_women"), (Some(1), Some(0), Some(1)));
    assert_eq!(figures(&q1, "cards_issued"), (Some(1), None, Some(1)));
    assert_eq!(figures(&q1, "branches_residential"), (Some(1), Some(0), Some(1)));
    assert_eq!(q1["rows"][0]["code"], "00004-A");
    assert_eq!(figures(&q1["rows"][0], "members"), (Some(1), Some(0), Some(1)));
    assert_eq!(figures(&report("2026-Q2"), "members"), (Some(0), Some(0), Some(1)));
    let q3 = report("2026-Q3");
    assert_eq!(figures(&q3, "members"), (Some(0), Some(1), Some(0)));
    assert_eq!(q3["lost_members"][0]["reason"], "remove");
    assert_eq!(q3["lost_members"][0]["note"], "Chuyển đi nơi khác");
    assert_eq!(figures(&report("2026"), "members"), (Some(1), Some(1), Some(0)));
    assert_eq!(figures(&report("2026-H1"), "members"), (Some(1), Some(0), Some(1)));
    let refused = failing(db, &["reports", "strength", "--unit", "00004", "--period", "2026-Q5"]);
    assert!(
        refused.contains("2026-Q5") && refused.contains("không hiểu được"),
        "{refused}"
    );
    let file = std::env::temp_dir().join(format!("strength-{}.xlsx", std::process::id()));
    let path = file.to_str().unwrap();
    ok(
        db,
        &[
            "reports", "strength", "--unit", "00004", "--period", "2026", "--format", "xlsx", "--out", path,
        ],
    );
    let head = hnd_import::read_head(&file, 20, hnd_import::Limits::OPERATOR).unwrap();
    std::fs::remove_file(&file).unwrap();
    let cells: Vec<&str> = head
        .rows
        .iter()
        .flat_map(|(_, r)| r.iter().map(String::as_str))
        .collect();
    for label in [
        "Hội viên",
        "Tổng số hội viên",
        "Phát triển trong kỳ",
        "Giảm trong kỳ",
        "Lũy kế",
        "00004-A",
    ] {
        assert!(cells.contains(&label), "{label} in {cells:?}");
    }
    assert!(head.merges.len() > 20, "headers merged: {:?}", head.merges);
    strength_documents_and_the_workflow(db);
}

/// The strength report as official documents: the PDF `hnd` writes embeds
/// every font and reads back with its header, number, title and figures;
/// the DOCX reads back the same through headless LibreOffice. Then the
/// workflow from the command line: written, submitted, returned, fixed,
/// approved (the period's figures refused), unlocked.
fn strength_documents_and_the_workflow(db: &str) {
    let dir = std::env::temp_dir().join(format!("strength-docs-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).display().to_string();
    let run = |program: &str, args: &[&str]| -> String {
        let out = std::process::Command::new(program)
            .args(args)
            .output()
            .expect("installed by scripts/setup");
        assert!(
            out.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = |pdf: &str| {
        run("pdftotext", &["-layout", pdf, "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let base = [
        "reports", "strength", "--unit", "00004", "--period", "2026-Q1", "--format",
    ];
    ok(db, &[&base[..], &["pdf", "--out", &path("tl.pdf")]].concat());
    let fonts = run("pdffonts", &[&path("tl.pdf")]);
    assert!(
        fonts
            .lines()
            .skip(2)
            .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
        "{fonts}"
    );
    ok(db, &[&base[..], &["docx", "--out", &path("tl.docx")]].concat());
    let profile = format!("-env:UserInstallation=file://{}", path("lo"));
    for _ in 0..2 {
        if !dir.join("tl-docx.pdf").exists() {
            std::fs::copy(path("tl.docx"), path("tl-docx.docx")).unwrap();
            run(
                "soffice",
                &[
                    &profile,
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    &path(""),
                    &path("tl-docx.docx"),
                ],
            );
        }
    }
    for pdf in [path("tl.pdf"), path("tl-docx.pdf")] {
        let t = text(&pdf);
        for part in [
            "HỘI NÔNG DÂN VIỆT NAM",
            "BCH HỘI NÔNG DÂN",
            "-BC/HNDX",
            "BÁO CÁO",
            "Thực lực Hội quý I/2026",
            "Tổng số hội viên 1 0 1",
        ] {
            assert!(t.contains(part), "«{part}» in {pdf}: {t}");
        }
    }
    // The workflow.
    let at = ["--unit", "00004", "--form", "six_month", "--period", "2026-H1"];
    let with = |head: &[&str], tail: &[&str]| -> Vec<String> {
        head.iter()
            .chain(at.iter())
            .chain(tail.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let call = |args: Vec<String>| ok(db, &args.iter().map(String::as_str).collect::<Vec<_>>());
    call(with(
        &["reports", "edit"],
        &[
            "--part",
            "results=Kết nạp 12 hội viên.",
            "--typed",
            "farm_households=1.250",
        ],
    ));
    call(with(&["reports", "submit"], &[]));
    call(with(&["reports", "return"], &["--comment", "Bổ sung số thôn"]));
    call(with(&["reports", "edit"], &["--typed", "villages=12"]));
    call(with(&["reports", "submit"], &[]));
    call(with(&["reports", "approve"], &[]));
    let listed = call(with(&["reports", "list"], &["--json"]));
    let view: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(view["report"]["status"], "approved", "{view}");
    assert_eq!(view["report"]["typed"]["villages"], 12, "{view}");
    let refused = failing(
        db,
        &[
            "plans",
            "enter",
            "--unit",
            "00004",
            "--indicator",
            "articles",
            "--period",
            "2026-H1",
            "--value",
            "3",
        ],
    );
    assert!(refused.contains("khóa"), "a locked period: {refused}");
    let refused = failing(
        db,
        &with(&["reports", "unlock"], &[])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(refused.contains("--comment"), "{refused}");
    call(with(&["reports", "unlock"], &["--comment", "Sửa lại"]));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `hnd members map` then `hnd members import --mapping`: a list with
/// title rows, a header on two rows, the birth under "Nam" or "Nữ" and
/// branches by name, one of them only close to a unit's.
fn a_list_in_its_own_layout_is_mapped_then_imported(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let dir = std::env::temp_dir().join(format!("hnd-any-layout-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let units = dir.join("don-vi.csv");
    std::fs::write(
        &units,
        "Mã đơn vị,Tên đơn vị,Cấp,Loại,Ngành nghề,Mã đơn vị cấp trên\n\
         00004-CH01,Chi hội Tổ dân phố Đồng Tâm,Chi hội,Địa bàn,,00004\n\
         00004-CH02,Chi hội Tổ dân phố Hòa Bình,Chi hội,Địa bàn,,00004\n",
    )
    .unwrap();
    ok(
        db,
        &["org", "import", &units.display().to_string(), "--date", "01/01/2026"],
    );
    let file = dir.join("danh-sach.csv");
    std::fs::write(
        &file,
        "HỘI NÔNG DÂN XÃ ĐỒNG TÂM,,,,,\n\
         DANH SÁCH HỘI VIÊN,,,,,\n\
         STT,Họ và tên,Năm sinh,,Số điện thoại,Chi hội\n\
         ,,Nam,Nữ,,\n\
         1,Nguyễn Văn Ba,1970,,+84 912 000 333,CH TDP Đồng Tâm\n\
         2,Lê Thị Tư,,01/02/1980,0987 654 321,Chi hội Tổ dân phố Hòa Bình\n\
         3,Trần Văn Năm,1965,,,TDP Đồng Tân\n",
    )
    .unwrap();
    let (path, mapping) = (
        file.display().to_string(),
        dir.join("anh-xa.toml").display().to_string(),
    );
    let printed = ok(db, &["members", "map", &path, "--unit", "00004"]);
    let proposed = hnd_import::Mapping::from_toml(&printed).expect("the printed mapping is TOML");
    assert_eq!((proposed.header_rows.clone(), proposed.first_row), (vec![3, 4], 5));
    let summary = ok(db, &["members", "map", &path, "--unit", "00004", "--out", &mapping]);
    assert!(summary.contains("Tên chi hội, tổ hội cần xác nhận: 1"), "{summary}");
    assert!(summary.contains("«TDP Đồng Tân» → 00004-CH01"), "{summary}");
    let err = failing(
        db,
        &["members", "import", &path, "--unit", "00004", "--mapping", &mapping],
    );
    assert!(
        err.contains("Chưa nhập dòng nào") && err.contains("«TDP Đồng Tân»"),
        "{err}"
    );
    let none = ok(db, &["members", "search", "", "--unit", "00004", "--json"]);
    assert_eq!(none.trim(), "[]", "nothing imported before the match is confirmed");
    let args = [
        "members",
        "import",
        &path,
        "--unit",
        "00004",
        "--mapping",
        &mapping,
        "--accept-proposed",
    ];
    let out = ok(db, &args);
    assert!(out.contains("Đã nhập 3 hội viên mới"), "{out}");
    let found = ok(db, &["members", "search", "le thi tu", "--json"]);
    assert!(
        found.contains("\"birth_date\":\"01/02/1980\",\"sex\":\"female\"")
            && found.contains("\"phone\":\"0987654321\"")
            && found.contains("\"unit_code\":\"00004-CH02\""),
        "{found}"
    );

    // The mapping, corrected by a person, saved by name for the commune:
    // next month's file imports with the name alone, adding no one twice.
    let corrected = std::fs::read_to_string(&mapping)
        .unwrap()
        .replace("confirm = true", "confirm = false");
    std::fs::write(&mapping, corrected).unwrap();
    let name = "Danh sách hằng tháng";
    let saved = ok(
        db,
        &[
            "members", "mappings", "save", &mapping, "--unit", "00004", "--name", name,
        ],
    );
    assert!(
        saved.contains("Đã lưu cách đọc «Danh sách hằng tháng» cho đơn vị 00004"),
        "{saved}"
    );
    let list = ok(db, &["members", "mappings", "list", "--unit", "00004", "--json"]);
    assert!(list.contains("\"name\": \"Danh sách hằng tháng\""), "{list}");
    let shown = ok(db, &["members", "mappings", "show", "--unit", "00004", "--name", name]);
    assert_eq!(hnd_import::Mapping::from_toml(&shown).unwrap().unconfirmed().len(), 0);
    let again = ok(db, &["members", "import", &path, "--unit", "00004", "--saved", name]);
    assert!(again.contains("Đã nhập 0 hội viên mới; 3 đã có trong sổ"), "{again}");
    // Proposed and saved in one step; removed; then no longer found.
    let other = "Đề xuất";
    ok(db, &["members", "map", &path, "--unit", "00004", "--save", other]);
    let list = ok(db, &["members", "mappings", "list", "--unit", "00004"]);
    assert!(list.contains(name) && list.contains(other), "{list}");
    ok(
        db,
        &["members", "mappings", "delete", "--unit", "00004", "--name", other],
    );
    let err = failing(db, &["members", "import", &path, "--unit", "00004", "--saved", other]);
    assert!(
        err.contains("Đơn vị 00004 không có cách đọc tệp nào tên «Đề xuất»"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `hnd org map` / `hnd plans map-targets` then their imports with
/// `--mapping`: a list of branches under title rows with its own labels
/// (and a column the tree does not keep), and a targets sheet naming
/// its units' column and its indicators in words.
fn units_and_targets_in_their_own_layout_are_mapped_then_imported(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let dir = std::env::temp_dir().join(format!("hnd-own-sheets-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).display().to_string();
    std::fs::write(
        path("chi-hoi.csv"),
        "HỘI NÔNG DÂN PHƯỜNG BA ĐÌNH,,,,,,,\n\
         DANH SÁCH CHI HỘI NĂM 2026,,,,,,,\n\
         STT,Mã ĐV,Tên chi hội,Cấp,Loại hình,Nghề,Trực thuộc (mã),Ghi chú\n\
         1,00004-CH01,Chi hội Tổ dân phố Đồng Tâm,Chi hội,Địa bàn,,00004,mới\n\
         2,00004-NN01,Chi hội nghề nghiệp Nuôi ong,Chi hội,Nghề nghiệp,Nuôi ong,00004,\n",
    )
    .unwrap();
    // Without a mapping: refused whole, naming the template.
    let err = failing(db, &["org", "import", &path("chi-hoi.csv"), "--date", "01/01/2026"]);
    assert!(err.contains("to-chuc-mau.csv"), "{err}");
    let printed = ok(db, &["org", "map", &path("chi-hoi.csv")]);
    let mapping = hnd_import::SheetMapping::from_toml(&printed).expect("the printed mapping is TOML");
    assert_eq!((mapping.header_rows.clone(), mapping.first_row), (vec![3], 4));
    let fields: Vec<(&str, &str)> = mapping
        .columns
        .iter()
        .map(|c| (c.column.as_str(), c.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("B", "Mã đơn vị"),
            ("C", "Tên đơn vị"),
            ("D", "Cấp"),
            ("E", "Loại"),
            ("F", "Ngành nghề"),
            ("G", "Mã đơn vị cấp trên")
        ],
        "{printed}"
    );
    let summary = ok(
        db,
        &["org", "map", &path("chi-hoi.csv"), "--out", &path("to-chuc.toml")],
    );
    assert!(summary.contains("H «Ghi chú»"), "{summary}");
    let args = [
        "org",
        "import",
        &path("chi-hoi.csv"),
        "--mapping",
        &path("to-chuc.toml"),
        "--date",
        "01/01/2026",
    ];
    let out = ok(db, &args);
    assert!(out.contains("2"), "{out}");
    let shown = ok(db, &["org", "show", "00004"]);
    assert!(
        shown.contains("00004-NN01") && shown.contains("Chi hội Tổ dân phố Đồng Tâm"),
        "{shown}"
    );
    // Run again: nothing new.
    ok(db, &args);

    // A targets sheet in words.
    let created = ok(
        db,
        &[
            "plans",
            "create",
            "--unit",
            "01",
            "--kind",
            "plan",
            "--title",
            "Kế hoạch năm",
            "--years",
            "2026",
            "--date",
            "01/01/2026",
            "--json",
        ],
    );
    let number = serde_json::from_str::<serde_json::Value>(&created).unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(
        path("chi-tieu.csv"),
        "CHỈ TIÊU GIAO NĂM 2026,,,\n\
         Mã xã,Tên xã,Kết nạp hội viên mới (người),Tổng số hội viên\n\
         00004,Phường Ba Đình,120,\"1.500\"\n\
         00008,Phường Ngọc Hà,80,900\n",
    )
    .unwrap();
    let printed = ok(
        db,
        &[
            "plans",
            "map-targets",
            &path("chi-tieu.csv"),
            "--out",
            &path("chi-tieu.toml"),
        ],
    );
    assert!(
        printed.contains("C «Kết nạp hội viên mới (người)» → new_members"),
        "{printed}"
    );
    assert!(printed.contains("D «Tổng số hội viên» → members"), "{printed}");
    let out = ok(
        db,
        &[
            "plans",
            "import-targets",
            &number,
            &path("chi-tieu.csv"),
            "--mapping",
            &path("chi-tieu.toml"),
        ],
    );
    assert!(out.contains("Đã giao 4 chỉ tiêu"), "{out}");
    // Without a mapping, the proposed one is taken: the same targets again.
    let out = ok(db, &["plans", "import-targets", &number, &path("chi-tieu.csv")]);
    assert!(out.contains("Đã giao 4 chỉ tiêu"), "{out}");
    // A mapping of the other kind is refused.
    let err = failing(
        db,
        &[
            "plans",
            "import-targets",
            &number,
            &path("chi-tieu.csv"),
            "--mapping",
            &path("to-chuc.toml"),
        ],
    );
    assert!(err.contains("org"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A second, empty database of the same engine as `db`.
fn another_database(db: &str) -> String {
    if db.starts_with("sqlite:") {
        return hnd_store::testing::sqlite_url();
    }
    let base = hnd_store::testing::postgres_url().expect("PostgreSQL tests are on");
    in_runtime(async move { hnd_store::testing::postgres_schema_url(&base).await.expect("schema") })
}

/// Runs `work` on a runtime of its own, on a thread of its own (the tests
/// run on a blocking thread of the test's runtime).
fn in_runtime<T: Send + 'static>(work: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || tokio::runtime::Runtime::new().expect("runtime").block_on(work))
        .join()
        .expect("the work ends")
}

/// What a database holds, as the tests compare it: the maintained counts
/// and a recount, the first members' events, the audit log (oldest first).
type Holdings = (
    hnd_store::MemberCounts,
    hnd_store::MemberCounts,
    Vec<String>,
    Vec<String>,
);

fn holdings(db: &str) -> Holdings {
    let db = db.to_string();
    in_runtime(async move {
        let store = hnd_store::Store::open(&db).await.expect("store");
        let today = hnd_domain::Day::today();
        let counts = store.member_counts("TW", today).await.expect("counts");
        let recount = store.member_counts_scan("TW", today).await.expect("recount");
        let mut events = Vec::new();
        for id in 1..=30 {
            events.push(format!("{:?}", store.member_events(id).await.expect("events")));
        }
        let filter = hnd_store::AuditFilter {
            limit: 100_000,
            ..Default::default()
        };
        let mut audit: Vec<String> = (store.audit_entries(&filter).await.expect("audit").iter())
            .map(|e| format!("{e:?}"))
            .collect();
        audit.reverse();
        store.close().await;
        (counts, recount, events, audit)
    })
}

/// A backup taken of a working database and restored into an empty one
/// holds the same counts, events and audit log; the copy goes on working;
/// nothing is overwritten and no database that holds data is restored into.
fn a_restored_backup_equals_the_original(db: &str) {
    ok(db, &["demo", "--no-serve", "--members", "1500"]);
    let file = std::env::temp_dir().join(format!("hnd-backup-{}-{}", std::process::id(), db.len() % 97));
    let file = file.with_extension(if db.starts_with("sqlite:") { "db" } else { "bak" });
    let _ = std::fs::remove_file(&file);
    let file_arg = file.display().to_string();
    let out = ok(db, &["backup", &file_arg]);
    assert!(out.contains("Đã sao lưu") && out.contains(&file_arg), "{out}");
    let err = failing(db, &["backup", &file_arg]);
    assert!(err.contains("đã có") && err.contains(&file_arg), "{err}");

    let copy = another_database(db);
    let out = ok(&copy, &["restore", &file_arg]);
    assert!(out.contains("Đã phục hồi"), "{out}");
    let err = failing(&copy, &["restore", &file_arg]);
    assert!(err.contains("đã có dữ liệu"), "{err}");
    let err = failing(&copy, &["--lang", "en", "restore", &file_arg]);
    assert!(err.contains("already holds data"), "{err}");

    let (counts, recount, events, mut audit) = holdings(db);
    let (copy_counts, copy_recount, copy_events, mut copy_audit) = holdings(&copy);
    assert!(counts.members > 1000, "{counts:?}");
    assert_eq!((&copy_counts, &copy_recount), (&counts, &recount));
    assert_eq!(counts, recount);
    assert_eq!(copy_events, events);
    assert!(events.iter().all(|e| e.len() > 2), "members 1 to 30 have events");
    // Each side's last entry is its own: the backup, and the restore.
    let backup = audit.pop().expect("the backup's entry");
    let restore = copy_audit.pop().expect("the restore's entry");
    assert!(backup.contains("action: \"backup\""), "{backup}");
    assert!(restore.contains("action: \"restore\""), "{restore}");
    assert!(audit.len() > 10, "{audit:?}");
    assert_eq!(copy_audit, audit);

    // The copy goes on: new rows take new ids, the counts stay kept.
    ok(
        &copy,
        &[
            "org",
            "create",
            "00004-A",
            "--name",
            "Chi hội A",
            "--level",
            "branch",
            "--kind",
            "residential",
            "--parent",
            "00004",
            "--date",
            "01/01/2026",
        ],
    );
    ok(
        &copy,
        &[
            "members",
            "add",
            "--name",
            "Đặng Thị Hoà",
            "--birth",
            "12/05/1985",
            "--sex",
            "nữ",
            "--unit",
            "00004-A",
            "--cccd",
            "001185000012",
            "--date",
            "01/02/2026",
            "--decision",
            "5-QĐ/HND",
        ],
    );
    let (after, after_recount, _, after_audit) = holdings(&copy);
    assert_eq!(after, after_recount);
    assert_eq!(after.members, counts.members + 1);
    assert!(after_audit.len() > copy_audit.len() + 1);
    let _ = std::fs::remove_file(&file);
}

/// The tree's edits and households are operations: one entry each, with
/// the unit and before/after, none from the command line's generic
/// entry; the command line keeps a register's own numbering.
fn tree_edits_and_households_are_audited_once_from_the_command_line(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let create = |code: &'static str| {
        [
            "org",
            "create",
            code,
            "--name",
            "Chi hội Mới",
            "--level",
            "branch",
            "--kind",
            "residential",
            "--parent",
            "00004",
            "--date",
            "01/01/2026",
        ]
    };
    ok(db, &create("00004-A"));
    // A code of the register's own numbering: the operator's to check.
    ok(db, &create("XYZ-9"));
    ok(db, &["org", "rename", "XYZ-9", "Chi hội Đông", "--date", "02/01/2026"]);
    ok(db, &["org", "dissolve", "XYZ-9", "--date", "03/01/2026", "--yes"]);
    let add = [
        "members",
        "add",
        "--name",
        "Đặng Thị Hoà",
        "--birth",
        "1985",
        "--sex",
        "nữ",
        "--unit",
        "00004-A",
        "--date",
        "01/02/2026",
        "--decision",
        "1-QĐ/HND",
    ];
    ok(db, &add);
    let out = ok(db, &["households", "create", "--head", "1", "--address", "Thôn Đông"]);
    assert!(out.contains("Đã lập hộ số 1"), "{out}");
    ok(
        db,
        &["households", "category", "1", "--year", "2026", "--category", "nghèo"],
    );
    let entries = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = hnd_store::Store::open(db).await.unwrap();
        store.audit_entries(&hnd_store::AuditFilter::default()).await.unwrap()
    });
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| !a.starts_with("cli.members") && !a.starts_with("member."))
        .collect();
    assert_eq!(
        actions,
        [
            "household.category",
            "household.create",
            "org.dissolve",
            "org.rename",
            "org.create",
            "org.create",
            "cli.org.bootstrap"
        ]
    );
    let renamed = entries.iter().find(|e| e.action == "org.rename").unwrap();
    assert_eq!(renamed.unit_code.as_deref(), Some("XYZ-9"));
    assert_eq!(renamed.detail["before"]["name"], "Chi hội Mới");
    assert_eq!(renamed.detail["after"]["name"], "Chi hội Đông");
    assert!(entries.iter().all(|e| e.address == "cli" && e.actor == "cli"));
}

/// Import refusals name the member template and the missing columns (no
/// empty names), and a file that is not a workbook is said to be so,
/// without the reader's English or a path.
fn a_member_file_without_the_template_or_not_a_workbook_is_explained(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let dir = std::env::temp_dir().join(format!("hnd-headers-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("danh-sach.csv");
    std::fs::write(&file, "Tên,,Ghi chú,\nAn,,x,\n").unwrap();
    let err = failing(db, &["members", "import", &file.display().to_string()]);
    assert!(
        err.contains("hoi-vien-mau.csv") && !err.contains("to-chuc-mau"),
        "{err}"
    );
    assert!(
        err.contains("Thiếu cột: «Họ và tên», «Ngày sinh», «Giới tính», «Mã chi hội, tổ hội»"),
        "{err}"
    );
    assert!(err.contains("«Tên», «Ghi chú»") && !err.contains("«»"), "{err}");
    let book = dir.join("hoi-vien.xlsx");
    std::fs::write(&book, "Họ và tên,Ngày sinh\n").unwrap();
    let err = failing(db, &["members", "import", &book.display().to_string()]);
    assert!(err.contains("Tệp không phải là bảng tính XLSX hợp lệ."), "{err}");
    assert!(
        !err.contains("Zip") && !err.contains("EOCD") && !err.contains(&*dir.to_string_lossy()),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A request over a new connection to `addr`: status, `Set-Cookie`
/// pairs, body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookies: &str,
    body: Option<(&str, &[u8])>,
) -> (u16, Vec<String>, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookies}\r\n");
    let (content_type, bytes) = body.unwrap_or(("text/plain", b""));
    head.push_str(&format!(
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        bytes.len()
    ));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(bytes).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    let cookies = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect();
    (status, cookies, body.to_string())
}

fn form_token(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form token") + 19;
    page[at..].split('"').next().unwrap().to_string()
}

/// `hnd serve` given SIGTERM while an upload is being imported: it ends
/// within seconds, the register holds whole chunks, and its work
/// directory is gone.
fn sigterm_stops_the_server_during_an_import(db: &str) {
    use std::io::BufRead;
    ok(db, &["org", "bootstrap"]);
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/to-chuc-mau.csv");
    ok(db, &["org", "import", template, "--date", "01/01/2026"]);
    ok(
        db,
        &[
            "users",
            "create",
            "can.bo",
            "--name",
            "Cán bộ",
            "--password",
            "mat-khau-dai-du",
        ],
    );
    ok(
        db,
        &[
            "users",
            "grant",
            "can.bo",
            "--role",
            "commune_officer",
            "--unit",
            "00004",
        ],
    );
    let mut server = Command::new(env!("CARGO_BIN_EXE_hnd"))
        .args(["--db", db, "serve", "--listen", "127.0.0.1:0", "--metrics", "off"])
        .env_remove("HND_LANG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("hnd serves");
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let work_dir = std::env::temp_dir().join(format!("hnd-web-{}-0", server.id()));
    // Sign in, then upload ten web chunks of members.
    let (_, cookies, page) = http(&addr, "GET", "/login", "", None);
    let jar = cookies.join("; ");
    let form = format!(
        "csrf={}&login=can.bo&password=mat-khau-dai-du&next=%2F",
        form_token(&page)
    );
    let (status, cookies, _) = http(
        &addr,
        "POST",
        "/login",
        &jar,
        Some(("application/x-www-form-urlencoded", form.as_bytes())),
    );
    assert_eq!(status, 303);
    let jar = format!("{jar}; {}", cookies.join("; "));
    let (_, _, page) = http(&addr, "GET", "/import", &jar, None);
    let chunk = hnd_import::ImportOptions::WEB.chunk;
    let rows = 10 * chunk;
    let mut csv = String::from("Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\",Ngày vào Hội\n");
    for i in 0..rows {
        csv.push_str(&format!("Hội Viên {i},1970,Nam,00004-CH01,01/01/2020\n"));
    }
    let boundary = "hndcliboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hoi-vien.csv\"\r\n\r\n{csv}\r\n--{boundary}--\r\n",
        form_token(&page)
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let (status, _, _) = http(
        &addr,
        "POST",
        "/import",
        &jar,
        Some((&content_type, std::mem::take(&mut body).as_bytes())),
    );
    assert_eq!(status, 303);
    assert!(work_dir.exists(), "{}", work_dir.display());
    let registered = || -> usize {
        let out = ok(db, &["members", "count", "--unit", "00004-CH01", "--json"]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        v["members"].as_u64().unwrap() as usize
    };
    for _ in 0..1200 {
        if registered() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    // Seconds at most; the bound only keeps a failure from hanging the run.
    let mut exited = None;
    for _ in 0..600 {
        if let Some(status) = server.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let Some(_) = exited else {
        server.kill().unwrap();
        panic!("hnd serve did not stop on SIGTERM");
    };
    assert!(!work_dir.exists(), "the work directory is removed");
    let loaded = registered();
    assert!(
        loaded % chunk == 0 && loaded < rows,
        "whole chunks only: {loaded} of {rows}"
    );
}

/// The date rules and their settings, and a transfer cancelled, as the
/// operator runs them; an import tells a child's row as a row error.
fn dates_settings_and_cancelled_transfers_from_the_command_line(db: &str) {
    ok(db, &["org", "bootstrap"]);
    for (code, parent) in [("00004-A", "00004"), ("00008-B", "00008")] {
        let name = format!("Chi hội {code}");
        let create = [
            "org",
            "create",
            code,
            "--name",
            &name,
            "--level",
            "branch",
            "--kind",
            "residential",
            "--parent",
            parent,
            "--date",
            "01/01/2026",
        ];
        ok(db, &create);
    }
    let err = failing(db, &["org", "rename", "00004-A", "Chi hội mới", "--date", "01/01/2099"]);
    assert!(err.contains("01/01/2099") && err.contains("quá xa"), "{err}");
    let add = |name: &str, birth: &str| -> Vec<String> {
        [
            "members", "add", "--name", name, "--birth", birth, "--sex", "nam", "--unit", "00004-A",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let child = add("Lê Văn Bé", "2020");
    let err = failing(db, &child.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("18 tuổi"), "{err}");
    let settings = ok(db, &["settings", "list"]);
    assert!(
        settings.contains("members.min_age = 18") && settings.contains("dates.event_days_ahead = 30"),
        "{settings}"
    );
    let err = failing(db, &["settings", "set", "members.min_age", "6"]);
    assert!(err.contains("members.min_age") && err.contains("14"), "{err}");
    let adult = [add("Lê Văn Lớn", "1970"), vec!["--decision".into(), "1-QĐ".into()]].concat();
    ok(db, &adult.iter().map(String::as_str).collect::<Vec<_>>());
    let err = failing(
        db,
        &["members", "transfer", "1", "--to", "00008-B", "--date", "01/01/2035"],
    );
    assert!(err.contains("01/01/2035"), "{err}");
    ok(db, &["members", "transfer", "1", "--to", "00008-B"]);
    ok(db, &["members", "cancel-transfer", "1"]);
    let found: serde_json::Value =
        serde_json::from_str(&ok(db, &["members", "search", "le van lon", "--json"])).unwrap();
    assert_eq!(found[0]["status"], "active");
    assert!(found[0]["transfer_to"].is_null());
    // Operator's choice: a lower age is then accepted.
    ok(db, &["settings", "set", "members.min_age", "16"]);
    assert!(ok(db, &["settings", "list"]).contains("members.min_age = 16"));

    let dir = std::env::temp_dir().join(format!("hnd-dates-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tre-em.csv");
    std::fs::write(
        &file,
        "Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\",Ngày vào Hội\n\
         Trần Văn Được,1980,Nam,00004-A,\n\
         Trần Văn Nhỏ,2019,Nam,00004-A,\n\
         Trần Văn Sớm,1980,Nam,00004-A,01/01/2040\n",
    )
    .unwrap();
    let out = hnd(db, &["members", "import", &file.display().to_string()]);
    assert!(!out.status.success());
    let errors = std::fs::read_to_string(dir.join("tre-em-loi.csv")).unwrap();
    assert!(
        errors.contains("Trần Văn Nhỏ") && errors.contains("16 tuổi"),
        "{errors}"
    );
    assert!(
        errors.contains("Trần Văn Sớm") && errors.contains("01/01/2040"),
        "{errors}"
    );
    assert!(!errors.contains("Trần Văn Được"), "{errors}");

    // Bodies and their groups: an unknown body is refused in Vietnamese.
    let err = failing(
        db,
        &["tasks", "bodies", "--link", "Các sở, ban, ngành cấp tỉnh", "UBND tỉnh"],
    );
    assert!(err.contains("Các sở, ban, ngành cấp tỉnh"), "{err}");
}

/// An import killed (SIGKILL) after its first chunk: the register holds
/// whole chunks only, its counts agree with its rows, and the same command
/// again loads the rest and nothing twice.
fn an_import_killed_halfway_leaves_whole_chunks_and_resumes(db: &str) {
    use std::io::Read;
    ok(db, &["org", "bootstrap"]);
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/to-chuc-mau.csv");
    ok(db, &["org", "import", template, "--date", "01/01/2026"]);
    let dir = std::env::temp_dir().join(format!("hnd-killed-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hoi-vien.csv");
    let chunk = hnd_import::IMPORT_CHUNK;
    let rows = 2 * chunk + chunk / 2;
    let mut csv = String::from(
        "Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,\"Mã chi hội, tổ hội\",Ngày vào Hội,Số quyết định kết nạp\n",
    );
    for i in 0..rows {
        csv.push_str(&format!(
            "Hội Viên {i},1970,Nam,Kinh,001070{i:06},00004-CH01,01/01/2020,1-QĐ\n"
        ));
    }
    std::fs::write(&file, csv).unwrap();
    let path = file.display().to_string();
    let import = ["members", "import", path.as_str(), "--date", "01/02/2026"];

    let mut child = Command::new(env!("CARGO_BIN_EXE_hnd"))
        .args(["--db", db])
        .args(import)
        .env_remove("HND_LANG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("hnd runs");
    // Progress goes to standard error after each chunk's commit: kill at the first.
    let first = format!("{}.{:03} dòng", chunk / 1000, chunk % 1000);
    let mut out = child.stderr.take().unwrap();
    let (mut seen, mut buf) = (Vec::new(), [0u8; 256]);
    while !String::from_utf8_lossy(&seen).contains(&first) {
        let n = out.read(&mut buf).unwrap();
        assert!(n > 0, "the import ended before its first chunk was reported");
        seen.extend_from_slice(&buf[..n]);
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let count = |as_json: &str| -> usize {
        let v: serde_json::Value = serde_json::from_str(as_json.trim()).unwrap();
        v["members"].as_u64().unwrap() as usize
    };
    let counted = count(&ok(db, &["members", "count", "--unit", "00004-CH01", "--json"]));
    assert!(
        counted > 0 && counted < rows && counted % chunk == 0,
        "whole chunks only: {counted}"
    );
    let listed = dir.join("xuat.csv");
    ok(
        db,
        &[
            "members",
            "export",
            &listed.display().to_string(),
            "--unit",
            "00004-CH01",
        ],
    );
    let lines = std::fs::read_to_string(&listed).unwrap().lines().count() - 1;
    assert_eq!(lines, counted, "the maintained count agrees with the rows");

    let again = ok(db, &import);
    let created = rows - counted;
    assert!(
        again.contains(&format!("{} hội viên mới", thousands(created)))
            && again.contains(&format!("{} đã có trong sổ", thousands(counted))),
        "{again}"
    );
    assert_eq!(
        count(&ok(db, &["members", "count", "--unit", "00004-CH01", "--json"])),
        rows
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `n` written the Vietnamese way (7.000).
fn thousands(n: usize) -> String {
    hnd_domain::fmt::int(n as i64, hnd_domain::Lang::Vi)
}

fn a_profile_from_the_command_line(db: &str) {
    one_member(db, "Chi hội A");
    let out = ok(
        db,
        &[
            "members",
            "profile",
            "1",
            "--set",
            "occupation=chăn nuôi",
            "--set",
            "herd_size=1.200",
            "--set",
            "bhyt=có",
            "--set",
            "bhyt_number=GD4010123456789",
        ],
    );
    assert!(
        out.contains("Đã lưu hồ sơ hội viên số 1") && out.contains("Chăn nuôi"),
        "{out}"
    );
    let audit = || {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = hnd_store::Store::open(db).await.unwrap();
            let filter = hnd_store::AuditFilter {
                limit: 10,
                ..Default::default()
            };
            store.audit_entries(&filter).await.unwrap()
        })
    };
    let entries = audit();
    // The profile's own entry, written with the change: ordinary fields
    // before and after, only the names of personal fields.
    let entry = entries.iter().find(|e| e.action == "member.profile").expect("audited");
    assert_eq!(entry.detail["after"]["occupation"], "livestock", "{}", entry.detail);
    assert!(
        entry.detail["personal_changed"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("bhyt_number")),
        "{}",
        entry.detail
    );
    assert!(
        !entry.detail.to_string().contains("GD4010123456789"),
        "personal values stay out of the audit log: {}",
        entry.detail
    );
    assert!(
        !entries.iter().any(|e| e.action == "cli.members.profile"),
        "no second, generic entry"
    );
    ok(db, &["members", "profile", "1"]);
    assert_eq!(audit().len(), entries.len(), "showing a profile is not a change");
    let err = failing(db, &["members", "profile", "1", "--set", "bhxh_number=0123456789"]);
    assert!(
        err.contains("Mã số BHXH") && err.contains("chỉ ghi khi có tham gia BHXH"),
        "{err}"
    );
    let err = failing(db, &["members", "profile", "1", "--set", "chieu_cao=170"]);
    assert!(err.contains("chieu_cao=170") && err.contains("occupation"), "{err}");
    ok(
        db,
        &[
            "members",
            "role",
            "add",
            "1",
            "--position",
            "chi hội trưởng",
            "--unit",
            "00004-A",
            "--from",
            "01/03/2026",
        ],
    );
    ok(
        db,
        &[
            "members", "title", "add", "1", "--year", "2025", "--level", "commune", "--kind", "merit",
        ],
    );
    ok(
        db,
        &[
            "members",
            "rating",
            "add",
            "1",
            "--year",
            "2025",
            "--rating",
            "good",
            "--proposed-to-party",
        ],
    );
    let err = failing(
        db,
        &["members", "rating", "add", "1", "--year", "2025", "--rating", "giỏi"],
    );
    assert!(err.contains("Xếp loại \"giỏi\""), "{err}");

    let json: serde_json::Value = serde_json::from_str(&ok(db, &["members", "profile", "1", "--json"])).unwrap();
    assert_eq!(json["member_id"], 1);
    assert_eq!(json["profile"]["occupation"], "livestock");
    assert_eq!(json["profile"]["herd_size"], 1200);
    assert_eq!(json["profile"]["bhyt"], true);
    assert_eq!(json["profile"]["bhyt_number"], "GD4010123456789");
    assert_eq!(json["roles"][0]["position"], "branch_head");
    assert_eq!(json["roles"][0]["unit_code"], "00004-A");
    assert_eq!(json["roles"][0]["from"], "2026-03-01");
    assert_eq!(json["titles"][0]["kind"], "merit");
    assert_eq!(json["ratings"][0]["rating"], "good");
    assert_eq!(json["ratings"][0]["proposed_to_party"], true);
    let entry = json["roles"][0]["id"].as_i64().unwrap().to_string();
    ok(db, &["members", "role", "remove", "1", &entry]);
    ok(db, &["members", "rating", "remove", "1", "2025"]);
    let actions: Vec<String> = audit().into_iter().map(|e| e.action).collect();
    for action in [
        "member.role.add",
        "member.title.add",
        "member.rating.set",
        "member.role.remove",
        "member.rating.remove",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
    for generic in ["cli.members.role", "cli.members.title", "cli.members.rating"] {
        assert!(!actions.iter().any(|a| a == generic), "no second entry: {actions:?}");
    }

    ok(
        db,
        &[
            "members",
            "add",
            "--name",
            "Lê Văn Bình",
            "--birth",
            "1970",
            "--sex",
            "nam",
            "--unit",
            "00004-A",
        ],
    );
    let search = |bhyt: &str| {
        ok(
            db,
            &["members", "search", "", "--unit", "00004", "--bhyt", bhyt, "--json"],
        )
    };
    let insured: serde_json::Value = serde_json::from_str(&search("yes")).unwrap();
    assert_eq!(insured.as_array().unwrap().len(), 1);
    assert_eq!(insured[0]["id"], 1);
    let not_insured: serde_json::Value = serde_json::from_str(&search("không")).unwrap();
    assert_eq!(not_insured[0]["full_name"], "Lê Văn Bình");
    let err = failing(db, &["members", "search", "", "--bhyt", "maybe"]);
    assert!(err.contains("maybe"), "{err}");

    // Profile columns of an import: checked like the others, written for the rows loaded.
    let dir = std::env::temp_dir().join(format!("hnd-profile-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ho-so.csv");
    std::fs::write(
        &file,
        "Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\",BHYT,Ngày vào Đảng\n\
         Trần Thị Có,1975,Nữ,00004-A,có,\n\
         Võ Văn Sai,1976,Nam,00004-A,có lẽ,\n\
         Lý Văn Đảng,1977,Nam,00004-A,,01/01/2001\n",
    )
    .unwrap();
    let out = hnd(
        db,
        &["members", "import", &file.display().to_string(), "--date", "01/03/2026"],
    );
    assert!(!out.status.success());
    let errors = std::fs::read_to_string(dir.join("ho-so-loi.csv")).unwrap();
    assert!(errors.contains("Võ Văn Sai") && errors.contains("«BHYT»"), "{errors}");
    assert!(
        errors.contains("Lý Văn Đảng") && errors.contains("chỉ ghi khi là đảng viên"),
        "{errors}"
    );
    let found: serde_json::Value = serde_json::from_str(&ok(
        db,
        &[
            "members",
            "search",
            "tran thi co",
            "--unit",
            "00004",
            "--bhyt",
            "có",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(found[0]["full_name"], "Trần Thị Có");
}

fn plans_and_progress_from_the_command_line(db: &str) {
    ok(db, &["org", "bootstrap"]);
    // No plan yet; then one drafted and issued, its targets set and handed
    // down from the command line.
    assert_eq!(ok(db, &["plans", "list", "--json"]).trim(), "[]");
    let out = failing(db, &["progress", "--unit", "01", "--plan", "KH-none", "--json"]);
    assert!(out.contains("Không có kế hoạch số KH-none"), "{out}");
    let made = ok(
        db,
        &[
            "plans",
            "create",
            "--unit",
            "01",
            "--kind",
            "plan",
            "--title",
            "Kế hoạch năm",
            "--years",
            "2026",
            "--date",
            "01/01/2026",
            "--json",
        ],
    );
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    assert_eq!(made["number"], "1-KH/HNDT.01.2026");
    ok(db, &["plans", "issue", "1-KH/HNDT.01.2026"]);
    let plans: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "list", "--json"])).unwrap();
    assert_eq!(plans[0]["number"], "1-KH/HNDT.01.2026");
    assert_eq!(plans[0]["unit"], "01");
    assert!(plans[0]["title"].is_string());
    ok(
        db,
        &[
            "plans",
            "target",
            "1-KH/HNDT.01.2026",
            "--unit",
            "01",
            "--indicator",
            "new_members",
            "--comparator",
            "từ … trở lên",
            "--value",
            "100",
        ],
    );
    let out = failing(
        db,
        &[
            "plans",
            "target",
            "1-KH/HNDT.01.2026",
            "--unit",
            "01",
            "--indicator",
            "members_bhyt_rate",
            "--value",
            "120",
        ],
    );
    assert!(out.contains("không thể lớn hơn 100"), "{out}");
    let out = ok(
        db,
        &[
            "plans",
            "split",
            "1-KH/HNDT.01.2026",
            "--unit",
            "01",
            "--indicator",
            "new_members",
            "--by",
            "equal",
        ],
    );
    assert!(out.contains("Đã giao chỉ tiêu"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&ok(
        db,
        &[
            "progress",
            "--unit",
            "01",
            "--plan",
            "1-KH/HNDT.01.2026",
            "--period",
            "2026",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({"unit": "01", "plan": "1-KH/HNDT.01.2026", "period": "2026",
                           "rows": [{"indicator": "new_members", "target": 100.0, "actual": 0.0}]})
    );
    let out = failing(
        db,
        &[
            "progress",
            "--unit",
            "01",
            "--plan",
            "1-KH/HNDT.01.2026",
            "--period",
            "quý V/2026",
        ],
    );
    assert!(out.contains("quý V/2026"), "{out}");
    // Targets as provinces exchange them: units as rows, indicators as columns.
    let dir = std::env::temp_dir().join(format!("hnd-targets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sheet = dir.join("chi-tieu.csv");
    ok(
        db,
        &[
            "plans",
            "export-targets",
            "1-KH/HNDT.01.2026",
            "--unit",
            "01",
            sheet.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        text.contains("Mã đơn vị") && text.contains("new_members") && text.contains("00004"),
        "{text}"
    );
    let bad = dir.join("sai.csv");
    std::fs::write(
        &bad,
        "Mã đơn vị,Kết nạp hội viên mới,Tỷ lệ hội viên tham gia BHYT,không có\n00004,7.000,120\n99999,5,\n",
    )
    .unwrap();
    let out = failing(
        db,
        &["plans", "import-targets", "1-KH/HNDT.01.2026", bad.to_str().unwrap()],
    );
    assert!(
        out.contains("không có") && out.contains("120") && out.contains("99999"),
        "{out}"
    );
    let targets = ok(db, &["plans", "show", "1-KH/HNDT.01.2026", "--unit", "00004"]);
    assert!(!targets.contains("7000"), "nothing half-saved: {targets}");
    let good = dir.join("dung.csv");
    std::fs::write(
        &good,
        "Mã đơn vị,Kết nạp hội viên mới,members_bhyt_rate\n00004,7.000,\"95,5\"\n00008,12,90\n",
    )
    .unwrap();
    let out = ok(
        db,
        &["plans", "import-targets", "1-KH/HNDT.01.2026", good.to_str().unwrap()],
    );
    assert!(out.contains("Đã giao 4 chỉ tiêu"), "{out}");
    let targets = ok(db, &["plans", "show", "1-KH/HNDT.01.2026", "--unit", "00004"]);
    assert!(targets.contains("7000") && targets.contains("95.5"), "{targets}");
    std::fs::remove_dir_all(&dir).unwrap();
    // The command line's changes are in the audit log, passwords left out.
    ok(
        db,
        &[
            "users",
            "create",
            "can.bo",
            "--name",
            "Cán bộ",
            "--password",
            "bi-mat-lam-nhe",
        ],
    );
    let entries = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = hnd_store::Store::open(db).await.unwrap();
        store.audit_entries(&hnd_store::AuditFilter::default()).await.unwrap()
    });
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "user.create",
            // Targets are operations, audited with their unit, before and
            // after; a refused sheet changes nothing and writes no entry.
            "plan.targets",
            "cli.plans.exporttargets",
            "plan.split",
            "plan.targets",
            "plan.issue",
            "plan.create",
            "cli.org.bootstrap"
        ]
    );
    assert!(entries.iter().all(|e| e.address == "cli" && e.actor == "cli"));
    assert!(
        !entries[0].detail.to_string().contains("bi-mat"),
        "{}",
        entries[0].detail
    );
}

fn stats_json_is_exact(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let json = ok(db, &["org", "stats", "--as-of", "01/07/2025", "--json"]);
    assert_eq!(
        json.trim(),
        r#"{"as_of":"2025-07-01","levels":{"central":1,"province":34,"district":0,"base":3321,"branch":0,"group":0}}"#
    );
    let text = ok(db, &["org", "stats", "--as-of", "01/07/2025"]);
    assert!(text.contains("3.321"), "Vietnamese thousands: {text}");
}

fn legacy_tree_merges_into_todays(db: &str) {
    ok(db, &["org", "bootstrap", "--legacy"]);
    let before = ok(db, &["org", "stats", "--as-of", "30/06/2025", "--json"]);
    assert!(
        before.contains(r#""province":63,"district":696,"base":10035"#),
        "{before}"
    );
    let review = std::env::temp_dir().join(format!("review-{}.csv", std::process::id()));
    let review_arg = review.display().to_string();
    let out = ok(db, &["org", "apply-2025-merger", "--review", &review_arg]);
    assert!(out.contains("01/07/2025"), "{out}");
    let list = std::fs::read_to_string(&review).expect("review list written");
    assert!(
        list.lines()
            .any(|l| l.starts_with("21142,Xã Trà Bùi,21136,Xã Cà Đam,21157 Xã Tây Trà Bồng")),
        "{list}"
    );
    let after = ok(db, &["org", "stats", "--as-of", "01/07/2025", "--json"]);
    assert!(after.contains(r#""province":34,"district":0,"base":3321"#), "{after}");
    let again = ok(db, &["org", "apply-2025-merger", "--review", &review_arg]);
    assert!(again.contains("không có gì thay đổi"), "{again}");
    assert_eq!(ok(db, &["org", "stats", "--as-of", "01/07/2025", "--json"]), after);
    let _ = std::fs::remove_file(review);
}

fn show_prints_path_children_and_lineage(db: &str) {
    ok(db, &["org", "bootstrap", "--legacy"]);
    ok(
        db,
        &[
            "org",
            "apply-2025-merger",
            "--review",
            &std::env::temp_dir().join("r.csv").display().to_string(),
        ],
    );
    let show = ok(db, &["org", "show", "51", "--as-of", "01/07/2025"]);
    assert!(show.contains("Tỉnh Quảng Ngãi"), "{show}");
    assert!(
        show.contains("Hình thành từ") && show.contains("62 Tỉnh Kon Tum"),
        "{show}"
    );
    let old = ok(db, &["org", "show", "62", "--as-of", "30/06/2025"]);
    assert!(old.contains("Đã trở thành") && old.contains("51"), "{old}");
    let json = ok(db, &["org", "show", "23293", "--as-of", "01/07/2025", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["path"][1]["code"], "51");
    assert!(
        value["lineage"]["came_from"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["code"] == "23281")
    );
}

fn import_loads_all_rows_or_none(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let dir = std::env::temp_dir().join(format!("hnd-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/to-chuc-mau.csv");
    let out = ok(db, &["org", "import", template, "--date", "01/01/2026"]);
    assert!(out.contains("3 đơn vị mới"), "{out}");
    let again = ok(db, &["org", "import", template, "--date", "01/01/2026"]);
    assert!(
        again.contains("0 đơn vị mới") && again.contains("3 đơn vị đã có"),
        "{again}"
    );

    let bad = dir.join(format!("bad-{}.csv", db.len()));
    std::fs::write(
        &bad,
        "Mã đơn vị,Tên đơn vị,Cấp,Loại,Ngành nghề,Mã đơn vị cấp trên,Ngày thành lập\n\
         00008-CH01,Chi hội Tổ dân phố 2,Chi hội,Địa bàn,,00008,\n\
         00008-CH02,Chi hội Tổ dân phố 3,Chi hội,Địa bàn,,99999,\n",
    )
    .unwrap();
    let err = failing(
        db,
        &["org", "import", &bad.display().to_string(), "--date", "01/01/2026"],
    );
    assert!(err.contains("99999"), "{err}");
    let stats = ok(db, &["org", "stats", "--as-of", "01/01/2026", "--json"]);
    assert!(
        stats.contains(r#""branch":2"#),
        "the good row was not kept either: {stats}"
    );
}

fn bad_input_is_explained_in_vietnamese(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let err = failing(db, &["org", "stats", "--as-of", "31/02/2025"]);
    assert!(err.contains("31/02/2025") && err.contains("không hợp lệ"), "{err}");
    let err = failing(db, &["org", "show", "99999"]);
    assert!(err.contains("Không có đơn vị mã 99999"), "{err}");
    let err = failing(db, &["org", "bootstrap"]);
    assert!(err.contains("đã có cây tổ chức"), "{err}");
    let err = failing(
        db,
        &["--lang", "en", "org", "move", "00004", "00008", "--date", "01/01/2026"],
    );
    assert!(err.contains("cannot be placed under"), "{err}");
    let preview = hnd(db, &["org", "dissolve", "00004", "--date", "01/01/2026"]);
    assert_eq!(preview.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&preview.stdout).contains("--yes"));
    ok(db, &["org", "show", "00004", "--as-of", "01/01/2026"]);
}

fn members_from_the_command_line(db: &str) {
    ok(db, &["org", "bootstrap"]);
    ok(
        db,
        &[
            "org",
            "create",
            "00004-A",
            "--name",
            "Chi hội A",
            "--level",
            "branch",
            "--kind",
            "residential",
            "--parent",
            "00004",
            "--date",
            "01/01/2026",
        ],
    );
    let add = [
        "members",
        "add",
        "--name",
        "Đặng Thị Hoà",
        "--birth",
        "12/05/1985",
        "--sex",
        "nữ",
        "--unit",
        "00004-A",
    ];
    let err = failing(
        db,
        &[&add[..], &["--cccd", "00118500012", "--date", "01/02/2026"]].concat(),
    );
    assert!(err.contains("00118500012") && err.contains("12 chữ số"), "{err}");
    // A CCCD of a man born in 1960 for a woman born in 1985: the command
    // line names its own way to confirm.
    let err = failing(
        db,
        &[&add[..], &["--cccd", "001060000077", "--date", "01/02/2026"]].concat(),
    );
    assert!(err.contains("1960") && err.contains("--accept-warnings"), "{err}");
    let out = ok(
        db,
        &[
            &add[..],
            &[
                "--cccd",
                "001185000012",
                "--date",
                "01/02/2026",
                "--decision",
                "5-QĐ/HND",
            ],
        ]
        .concat(),
    );
    assert!(out.contains("0126000001"), "card number printed: {out}");
    let count = ok(
        db,
        &["members", "count", "--unit", "01", "--as-of", "02/02/2026", "--json"],
    );
    assert_eq!(count.trim(), r#"{"unit":"01","as_of":"2026-02-02","members":1}"#);
    let before = ok(
        db,
        &["members", "count", "--unit", "01", "--as-of", "31/01/2026", "--json"],
    );
    assert_eq!(before.trim(), r#"{"unit":"01","as_of":"2026-01-31","members":0}"#);
    let found: serde_json::Value =
        serde_json::from_str(&ok(db, &["members", "search", "dang thi hoa", "--json"])).unwrap();
    assert_eq!(found[0]["full_name"], "Đặng Thị Hoà");
    assert_eq!(found[0]["unit_code"], "00004-A");
    assert_eq!(found[0]["birth_date"], "12/05/1985");
    assert!(found[0]["id"].is_i64());
    for name in ["Lê Văn Một", "Lê Văn Hai"] {
        let args = [
            "members", "add", "--name", name, "--birth", "1970", "--sex", "nam", "--unit", "00004-A",
        ];
        ok(db, &[&args[..], &["--date", "01/02/2026"]].concat());
    }
    let out = ok(
        db,
        &[
            "members",
            "admit",
            "2",
            "3",
            "--decision",
            "9-QĐ/HND",
            "--date",
            "05/02/2026",
        ],
    );
    assert!(out.contains("2: Đã kết nạp; số thẻ hội viên 0126000002"), "{out}");
    assert!(out.contains("3: Đã kết nạp; số thẻ hội viên 0126000003"), "{out}");
    let out = ok(
        db,
        &["households", "create", "--head", "1", "--address", "Tổ dân phố 1"],
    );
    assert!(out.contains("Đã lập hộ số 1"), "{out}");
    ok(
        db,
        &[
            "households",
            "category",
            "1",
            "--year",
            "2025",
            "--category",
            "cận nghèo",
        ],
    );
    let err = failing(
        db,
        &["households", "category", "1", "--year", "2025", "--category", "giàu"],
    );
    assert!(err.contains("Phân loại hộ") && err.contains("giàu"), "{err}");
    let show = ok(db, &["households", "show", "1"]);
    assert!(
        show.contains("Đặng Thị Hoà") && show.contains("chủ hộ") && show.contains("2025: hộ cận nghèo"),
        "{show}"
    );
    let dup = failing(
        db,
        &[&add[..], &["--cccd", "001185000012", "--date", "01/02/2026"]].concat(),
    );
    assert!(dup.contains("đã có trong sổ") && dup.contains("00004-A"), "{dup}");
    // Corrections keep the old value; `-` clears a field.
    let out = ok(
        db,
        &[
            "members",
            "correct",
            "2",
            "--name",
            "Lê Văn Mốt",
            "--phone",
            "+84 912 345 678",
        ],
    );
    assert!(
        out.contains("Lê Văn Một → Lê Văn Mốt") && out.contains("0912345678"),
        "{out}"
    );
    let out = ok(db, &["members", "correct", "2", "--phone", "-"]);
    assert!(out.contains("0912345678 → "), "{out}");
    let err = failing(db, &["members", "correct", "2", "--birth", "31/02/1970"]);
    assert!(err.contains("31/02/1970"), "{err}");
    let show: serde_json::Value = serde_json::from_str(&ok(db, &["members", "show", "2", "--json"])).unwrap();
    assert_eq!(show["member"]["full_name"], "Lê Văn Mốt");
    // An applicant withdraws; an active member cannot.
    let args = [
        "members",
        "add",
        "--name",
        "Lê Văn Ba",
        "--birth",
        "1971",
        "--sex",
        "nam",
        "--unit",
        "00004-A",
    ];
    ok(db, &[&args[..], &["--date", "01/02/2026"]].concat());
    ok(db, &["members", "withdraw", "4", "--reason", "Chuyển đi nơi khác"]);
    let err = failing(db, &["members", "withdraw", "2"]);
    assert!(err.contains("đang sinh hoạt"), "{err}");
}

fn member_import_export_round_trip(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let org_template = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/to-chuc-mau.csv");
    ok(db, &["org", "import", org_template, "--date", "01/01/2026"]);
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/hoi-vien-mau.csv");
    let out = ok(db, &["members", "import", template, "--date", "01/02/2026"]);
    assert!(out.contains("Đã nhập 3 hội viên mới"), "{out}");
    let again = ok(db, &["members", "import", template, "--date", "01/02/2026"]);
    assert!(again.contains("0 hội viên mới") && again.contains("3 đã có"), "{again}");
    let count = ok(
        db,
        &["members", "count", "--unit", "00004", "--as-of", "01/02/2026", "--json"],
    );
    assert!(count.contains(r#""members":2"#), "two admitted, one applicant: {count}");

    let dir = std::env::temp_dir().join(format!("hnd-members-{}-{}", std::process::id(), db.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("sai.csv");
    std::fs::write(
        &bad,
        "Họ và tên,Ngày sinh,Giới tính,Số CCCD,\"Mã chi hội, tổ hội\",Ngày vào Hội\n\
         Trần Văn Tốt,1970,Nam,051070000001,00004-CH01,01/01/2000\n\
         Lê Thị Sai,31/02/1980,Nữ,05118000001,00004-CH01,\n\
         Phạm Văn Khác,1960,Nam,001185000012,00004-CH01,\n\
         Võ Thị Lạc,1975,Nữ,,99999,\n",
    )
    .unwrap();
    let out = hnd(
        db,
        &["members", "import", &bad.display().to_string(), "--date", "01/02/2026"],
    );
    assert!(!out.status.success(), "refused rows make the exit code non-zero");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Đã nhập 1 hội viên mới") && text.contains("3 dòng lỗi"),
        "{text}"
    );
    let errors = std::fs::read_to_string(dir.join("sai-loi.csv")).expect("error file");
    let errors = errors.trim_start_matches('\u{feff}');
    assert!(
        errors.contains("Lê Thị Sai") && errors.contains("Ngày sinh"),
        "{errors}"
    );
    assert!(
        errors.contains("Phạm Văn Khác") && errors.contains("Nguyễn Thị Hoà"),
        "points at the holder: {errors}"
    );
    assert!(errors.contains("99999") && !errors.contains("Trần Văn Tốt"), "{errors}");
    assert!(
        errors.starts_with("Họ và tên,Ngày sinh,Giới tính,Số CCCD,"),
        "the file's own columns: {errors}"
    );
    assert!(
        errors.contains("Lê Thị Sai,31/02/1980,Nữ,05118000001,00004-CH01,"),
        "{errors}"
    );

    let exported = dir.join("xuat.xlsx");
    let out = ok(
        db,
        &["members", "export", &exported.display().to_string(), "--unit", "01"],
    );
    assert!(out.contains("4 hội viên"), "{out}");
    let csv = dir.join("xuat.csv");
    ok(db, &["members", "export", &csv.display().to_string(), "--unit", "01"]);

    // Export, then import into a fresh register: the same register.
    let fresh = hnd_store::testing::sqlite_url();
    ok(&fresh, &["org", "bootstrap"]);
    ok(&fresh, &["org", "import", org_template, "--date", "01/01/2026"]);
    let out = ok(
        &fresh,
        &[
            "members",
            "import",
            &exported.display().to_string(),
            "--date",
            "01/02/2026",
        ],
    );
    assert!(out.contains("Đã nhập 4 hội viên mới"), "{out}");
    let csv2 = dir.join("xuat2.csv");
    ok(
        &fresh,
        &["members", "export", &csv2.display().to_string(), "--unit", "01"],
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        std::fs::read_to_string(&csv2).unwrap()
    );
    // The template's profile columns came in, and go out the same way.
    let exported = std::fs::read_to_string(&csv).unwrap();
    assert!(
        exported
            .lines()
            .next()
            .unwrap()
            .ends_with("Nghề nghiệp,Trình độ văn hóa,BHYT,BHXH tự nguyện,Đảng viên,Ngày vào Đảng"),
        "{exported}"
    );
    assert!(
        exported.contains(",Trồng trọt,12/12,Có,Không,Có,03/02/2010"),
        "{exported}"
    );
    assert!(exported.contains(",Chăn nuôi,7/10,Có,,Không,"), "{exported}");
    let hoa: serde_json::Value = serde_json::from_str(&ok(&fresh, &["members", "profile", "1", "--json"])).unwrap();
    assert_eq!(hoa["profile"]["party_joined_on"], "2010-02-03");
    assert_eq!(hoa["profile"]["bhxh"], false);
}

/// A plan from above read from its text: the JSON of what it says; with
/// --unit, the province's draft plan implementing it, holding the targets
/// the catalogue names and the tasks with a lead body, the rest listed;
/// an empty file refused in Vietnamese.
fn a_plan_text_is_read_into_a_draft(db: &str) {
    ok(db, &["org", "bootstrap"]);
    let dir = std::env::temp_dir().join(format!("hnd-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = dir.join(format!("plan-{}.txt", db.len() % 97));
    std::fs::write(
        &text,
        "BAN CHẤP HÀNH TRUNG ƯƠNG\nHỘI NÔNG DÂN VIỆT NAM\nSố 88-KH/HNDTW\n\
         Hà Nội, ngày 12 tháng 3 năm 2026\nKẾ HOẠCH\nPhát triển hội viên năm 2026\n\
         I. CHỈ TIÊU\n1. Kết nạp mới từ 7.000 hội viên trở lên.\n\
         2. Phấn đấu 95% hội viên tham gia bảo hiểm y tế.\n\
         3. Mỗi cơ sở Hội xây dựng từ 4 đến 5 mô hình kinh tế tập thể.\n\
         II. NHIỆM VỤ\n1. Rà soát danh sách hội viên. Giao Ban Tổ chức - Kiểm tra chủ trì, phối hợp với Văn phòng; \
         thời gian hoàn thành trong quý II/2026.\n",
    )
    .unwrap();
    let file = text.to_str().unwrap();
    let read: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "ingest", file, "--json"])).unwrap();
    assert_eq!(read["number"], "88-KH/HNDTW", "{read}");
    assert_eq!(read["date"], "12/03/2026");
    let targets = read["targets"].as_array().unwrap();
    let seven = targets.iter().find(|t| t["value"] == 7000.0).expect("7.000 read");
    assert_eq!(seven["comparator"], ">=");
    assert_eq!(seven["indicator"], "new_members");
    for key in ["text", "indicator", "value", "unit", "comparator", "period"] {
        assert!(seven.get(key).is_some(), "{key} in {seven}");
    }
    let range = targets
        .iter()
        .find(|t| t["comparator"] == "range")
        .expect("from 4 to 5");
    assert_eq!(
        (range["value"].as_f64(), range["value_max"].as_f64()),
        (Some(4.0), Some(5.0))
    );
    let task = &read["tasks"][0];
    assert_eq!(task["lead"], "Ban Tổ chức - Kiểm tra", "{task}");
    assert_eq!(task["coordinating"], serde_json::json!(["Văn phòng"]));
    let shown = ok(db, &["plans", "ingest", file]);
    assert!(
        shown.contains("Chỉ tiêu (") && shown.contains("«Kết nạp mới từ 7.000"),
        "{shown}"
    );

    let written: serde_json::Value =
        serde_json::from_str(&ok(db, &["plans", "ingest", file, "--unit", "01", "--json"])).unwrap();
    let number = written["plan"].as_str().expect("a draft written");
    let plan: serde_json::Value = serde_json::from_str(&ok(db, &["plans", "show", number, "--json"])).unwrap();
    assert_eq!(plan["status"], "draft");
    assert_eq!(plan["title"], "Kế hoạch phát triển hội viên năm 2026");
    assert_eq!(plan["implements"]["number"], "88-KH/HNDTW", "{plan}");
    let listed = ok(db, &["plans", "show", number, "--unit", "01"]);
    assert!(listed.contains("new_members") && listed.contains("7000"), "{listed}");
    assert!(listed.contains("Rà soát danh sách hội viên"), "{listed}");
    let left_out = written["left_out"].as_array().unwrap();
    assert!(
        left_out.iter().all(|t| !t.as_str().unwrap().contains("7.000")),
        "{written}"
    );

    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    let out = failing(db, &["plans", "ingest", empty.to_str().unwrap()]);
    assert!(out.contains("Tệp trống"), "{out}");
}
