//! The web application in a real browser: Debian's Chromium, headless,
//! driven through ChromeDriver (installed by `scripts/setup`), against the
//! real server on a free port and a real database.
//!
//! Set `HND_SKIP_BROWSER=1` to leave these out on a machine without
//! Chromium; otherwise a missing browser fails the test.

mod common;

use common::browser::Browser;
use common::fixture;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerks_do_their_work_in_a_browser() {
    // On the heap: the whole walk is one large future.
    Box::pin(walk()).await;
}

async fn walk() {
    let f = fixture(hnd_store::testing::sqlite().await.unwrap()).await;
    let Some(mut b) = Browser::start(format!("http://{}", f.server.addr)).await else {
        return;
    };

    // Sign in; find a member by a name typed without diacritics.
    b.sign_in("xa4").await;
    b.type_in("#q", "nguyen thi hoa").await;
    b.click("form[role=search] button").await;
    b.wait_text("#results", "Nguyễn Thị Hoà").await;

    // Add a member with a bad CCCD, see the message, fix it, save.
    b.open("/members/new?unit=00004-CH01").await;
    b.type_in("#full_name", "Võ Thị Lan").await;
    b.type_in("#birth", "20/10/1975").await;
    b.click("#sex option[value=female]").await;
    b.type_in("#cccd", "00117500001").await;
    b.click("#save").await;
    let message = b.wait_text("#cccd-error", "12 chữ số").await;
    assert!(message.contains("11"), "{message}");
    let kept = b.find("#full_name").await;
    let value = b.get(&format!("element/{kept}/property/value")).await;
    assert_eq!(value, "Võ Thị Lan", "what was typed is kept");
    b.type_in("#cccd", "001175000012").await;
    b.click("#save").await;
    b.wait_text("h1", "Võ Thị Lan").await;
    b.wait_text("#status", "đang xin vào Hội").await;

    // Transfer a member from commune 00004 to commune 00008 …
    let hoa = f.members["Nguyễn Thị Hoà"];
    b.open(&format!("/members/{hoa}")).await;
    b.type_in("#to", "00008-CH01").await;
    b.click("#send-transfer").await;
    b.wait_text("#status", "đang chuyển sinh hoạt").await;
    b.sign_out().await;
    // … and confirm it there.
    b.sign_in("xa8").await;
    b.click("#work a[href='/transfers']").await;
    b.click(&format!("a[href='/members/{hoa}']")).await;
    b.click("#confirm-transfer").await;
    b.wait_text("#status", "đang sinh hoạt").await;
    assert!(b.source().await.contains("00008-CH01"));
    // On a phone (390 px wide) the member's page, history table included,
    // does not scroll sideways: a wide table scrolls within itself.
    b.post("window/rect", json!({"width": 390, "height": 844})).await;
    let widths = "return [document.documentElement.scrollWidth, window.innerWidth];";
    let widths = b.post("execute/sync", json!({"script": widths, "args": []})).await;
    assert!(
        widths[0].as_i64() <= widths[1].as_i64(),
        "page wider than the phone: {widths}"
    );
    b.post("window/rect", json!({"width": 412, "height": 900})).await;

    // Import a file with a bad row; download the error file.
    let dir = std::env::temp_dir().join(format!("hnd-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hoi-vien.csv");
    std::fs::write(
        &file,
        "Họ và tên,Ngày sinh,Giới tính,Số CCCD,\"Mã chi hội, tổ hội\"\n\
         Lò Văn Tốt,1966,Nam,001066000031,00008-CH01\n\
         Lò Văn Sai,1967,Nam,00106700003,00008-CH01\n",
    )
    .unwrap();
    b.open("/import").await;
    let input = b.find("#file").await;
    b.post(
        &format!("element/{input}/value"),
        json!({"text": file.display().to_string()}),
    )
    .await;
    b.click("#upload").await;
    let summary = b.wait_text("#summary", "Đã nhập 1 hội viên mới").await;
    assert!(summary.contains("1 dòng lỗi"), "{summary}");
    let link = b.find("#error-file").await;
    let href = b.get(&format!("element/{link}/property/href")).await;
    let errors = b.fetch(href.as_str().unwrap()).await;
    assert!(
        errors.contains("Lò Văn Sai") && errors.contains("12 chữ số"),
        "{errors}"
    );
    assert!(!errors.contains("Lò Văn Tốt"), "{errors}");
    std::fs::remove_dir_all(&dir).unwrap();

    // A commune officer cannot open another commune's member by URL.
    let duc = f.members["Đặng Văn Đức"];
    b.open(&format!("/members/{duc}")).await;
    b.wait_text("[role=alert]", "không có quyền").await;
    assert!(!b.source().await.contains("Đặng Văn Đức"));

    // The dashboard, from the country down, shows the register as it is
    // now: the transfer above already counts in commune 00008.
    b.sign_out().await;
    b.sign_in("admin").await;
    b.menu("/dashboard").await;
    b.wait_text("#total", "3").await;
    b.click("#counts a[href^='/dashboard?unit=01&']").await;
    b.wait_text("h1", "Hà Nội").await;
    b.wait_text("#total", "3").await;
    b.click("#counts a[href^='/dashboard?unit=00008&']").await;
    b.wait_text("#total", "2").await;
    assert!(b.source().await.contains("<meter"), "a chart drawn on the server");
    // The plan: its targets against the register, and the communes below.
    b.menu("/plans").await;
    b.click("#plans a").await;
    b.wait_text("#progress", "Kết nạp hội viên mới").await;
    b.click("#below a[href*='unit=00008']").await;
    b.wait_text("h1", "Ngọc Hà").await;
    b.wait_text("#progress", "Kết nạp hội viên mới").await;
    // Under the Content-Security-Policy the pages' own styles apply (the
    // header's green, the chart's width) and the API page's script runs.
    let script = "return [getComputedStyle(document.querySelector('header')).backgroundColor,
                          getComputedStyle(document.querySelector('ul.bars')).maxWidth];";
    let styled = b.post("execute/sync", json!({"script": script, "args": []})).await;
    assert_eq!(
        styled,
        json!(["rgb(27, 94, 32)", "768px"]),
        "styles allowed by the policy"
    );
    b.open("/api/docs").await;
    b.wait_text("#ops", "/api/v1/members/{id}").await;
    b.open("/").await;
    b.sign_out().await;

    // An outside body's account: its tasks, a report that finishes one.
    b.sign_in_to(common::BODY_ACCOUNT, "Nhiệm vụ").await;
    b.click(&format!("#task-list a[href='/tasks/{}']", f.task)).await;
    b.wait_text("h1", "Báo cáo kết quả thực hiện").await;
    b.click("#status option[value=done]").await;
    b.type_in("#note", "Đã gửi báo cáo năm 2026").await;
    b.click("#send-report").await;
    b.wait_text("#task-status", "Hoàn thành").await;
    b.wait_text("#reports", "Đã gửi báo cáo năm 2026").await;
    b.close().await;
}
