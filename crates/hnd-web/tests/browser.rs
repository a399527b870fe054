//! The web application in a real browser: Debian's Chromium, headless,
//! driven through ChromeDriver (installed by `scripts/setup`), against the
//! real server on a free port and a real database.
//!
//! Set `HND_SKIP_BROWSER=1` to leave these out on a machine without
//! Chromium; otherwise a missing browser fails the test.

mod common;

use common::{Client, fixture};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// ChromeDriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    http: Client,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A test that failed midway left its browser running: stop it by
        // its own profile folder.
        let _ = Command::new("pkill")
            .arg("-f")
            .arg(self.profile.display().to_string())
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// One browser session.
struct Browser {
    driver: Driver,
    session: String,
    base: String,
}

async fn call(http: &mut Client, method: &str, path: &str, body: Value) -> Value {
    try_call(http, method, path, body)
        .await
        .unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"))
}

async fn try_call(http: &mut Client, method: &str, path: &str, body: Value) -> Result<Value, Value> {
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let headers = [("Content-Type", "application/json")];
    let r = http.request(method, path, &headers, text.as_bytes()).await;
    let value = r.json();
    if r.status < 300 {
        Ok(value["value"].clone())
    } else {
        Err(value)
    }
}

impl Browser {
    async fn start(base: String) -> Option<Browser> {
        let binary = "/usr/bin/chromedriver";
        if !std::path::Path::new(binary).exists() {
            if std::env::var("HND_SKIP_BROWSER").as_deref() == Ok("1") {
                eprintln!("browser tests skipped (HND_SKIP_BROWSER=1)");
                return None;
            }
            panic!("{binary} is missing: run ./scripts/setup (or set HND_SKIP_BROWSER=1)");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = std::env::temp_dir().join(format!("hnd-chromium-{port}"));
        let mut driver = Driver {
            child,
            http: Client {
                addr: format!("127.0.0.1:{port}").parse().unwrap(),
                cookies: Default::default(),
            },
            profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(driver.http.addr).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=412,900",
                         format!("--user-data-dir={}", driver.profile.display())]
            }
        }}});
        let session = call(&mut driver.http, "POST", "/session", capabilities).await;
        let session = session["sessionId"].as_str().unwrap().to_string();
        let mut browser = Browser { driver, session, base };
        browser
            .post("timeouts", json!({"implicit": 5000, "pageLoad": 20000}))
            .await;
        Some(browser)
    }

    async fn post(&mut self, what: &str, body: Value) -> Value {
        let path = format!("/session/{}/{what}", self.session);
        call(&mut self.driver.http, "POST", &path, body).await
    }

    async fn get(&mut self, what: &str) -> Value {
        let path = format!("/session/{}/{what}", self.session);
        call(&mut self.driver.http, "GET", &path, Value::Null).await
    }

    async fn open(&mut self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.post("url", json!({"url": url})).await;
    }

    /// The element `css` selects (waiting for it up to the implicit timeout).
    async fn find(&mut self, css: &str) -> String {
        let found = self
            .post("element", json!({"using": "css selector", "value": css}))
            .await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no {css}: {found}"))
            .to_string()
    }

    async fn type_in(&mut self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.post(&format!("element/{id}/clear"), json!({})).await;
        self.post(&format!("element/{id}/value"), json!({"text": text})).await;
    }

    async fn click(&mut self, css: &str) {
        let id = self.find(css).await;
        self.post(&format!("element/{id}/click"), json!({})).await;
    }

    /// The text of `css` once it contains `needle`: pages navigate and
    /// refresh, so this looks again (up to 10 s) rather than once.
    async fn wait_text(&mut self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = String::new();
        while Instant::now() < deadline {
            let path = format!("/session/{}/element", self.session);
            let query = json!({"using": "css selector", "value": css});
            if let Ok(found) = try_call(&mut self.driver.http, "POST", &path, query).await
                && let Some(id) = found[ELEMENT].as_str()
            {
                let path = format!("/session/{}/element/{id}/text", self.session);
                if let Ok(text) = try_call(&mut self.driver.http, "GET", &path, Value::Null).await {
                    last = text.as_str().unwrap_or_default().to_string();
                    if last.contains(needle) {
                        return last;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed {needle:?}; last: {last:?}")
    }

    async fn source(&mut self) -> String {
        self.get("source").await.as_str().unwrap().to_string()
    }

    /// Runs `fetch(url)` in the page (with its cookies): what a download gets.
    async fn fetch(&mut self, url: &str) -> String {
        let script = "const done = arguments[arguments.length - 1];
                      fetch(arguments[0]).then(r => r.text()).then(done, e => done('error: ' + e));";
        let out = self
            .post("execute/async", json!({"script": script, "args": [url]}))
            .await;
        out.as_str().unwrap_or_default().to_string()
    }

    async fn sign_in(&mut self, login: &str) {
        self.sign_in_to(login, "Xin chào").await;
    }

    /// Signs in and waits for the first page's heading.
    async fn sign_in_to(&mut self, login: &str, heading: &str) {
        self.open("/login").await;
        self.type_in("#login", login).await;
        self.type_in("#password", &common::password(login)).await;
        self.click("#sign-in").await;
        self.wait_text("h1", heading).await;
    }

    async fn sign_out(&mut self) {
        self.click("form.out button").await;
        self.wait_text("h1", "Đăng nhập").await;
    }

    async fn close(mut self) {
        let path = format!("/session/{}", self.session);
        call(&mut self.driver.http, "DELETE", &path, Value::Null).await;
    }
}

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
    b.click("a[href='/transfers']").await;
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
    b.click("nav.menu a[href='/dashboard']").await;
    b.wait_text("#total", "3").await;
    b.click("#counts a[href^='/dashboard?unit=01&']").await;
    b.wait_text("h1", "Hà Nội").await;
    b.wait_text("#total", "3").await;
    b.click("#counts a[href^='/dashboard?unit=00008&']").await;
    b.wait_text("#total", "2").await;
    assert!(b.source().await.contains("<svg"), "a chart drawn on the server");
    // The plan: its targets against the register, and the communes below.
    b.click("nav.menu a[href='/plans']").await;
    b.click("#plans a").await;
    b.wait_text("#progress", "Kết nạp hội viên mới").await;
    b.click("#below a[href*='unit=00008']").await;
    b.wait_text("h1", "Ngọc Hà").await;
    b.wait_text("#progress", "Kết nạp hội viên mới").await;
    // Under the Content-Security-Policy the pages' own styles apply (the
    // header's green, the chart's width) and the API page's script runs.
    let script = "return [getComputedStyle(document.querySelector('header')).backgroundColor,
                          getComputedStyle(document.querySelector('svg.chart')).maxWidth];";
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
