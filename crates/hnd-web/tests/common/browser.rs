//! A real browser for the web tests: Debian's Chromium, headless, driven
//! through ChromeDriver (installed by `scripts/setup`).
//!
//! Set `HND_SKIP_BROWSER=1` to leave these out on a machine without
//! Chromium; otherwise a missing browser fails the test.

use super::Client;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// ChromeDriver on a free port, stopped when dropped.
pub struct Driver {
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
pub struct Browser {
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
    pub async fn start(base: String) -> Option<Browser> {
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

    pub async fn post(&mut self, what: &str, body: Value) -> Value {
        let path = format!("/session/{}/{what}", self.session);
        call(&mut self.driver.http, "POST", &path, body).await
    }

    pub async fn get(&mut self, what: &str) -> Value {
        let path = format!("/session/{}/{what}", self.session);
        call(&mut self.driver.http, "GET", &path, Value::Null).await
    }

    pub async fn open(&mut self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.post("url", json!({"url": url})).await;
    }

    /// The element `css` selects (waiting for it up to the implicit timeout).
    pub async fn find(&mut self, css: &str) -> String {
        let found = self
            .post("element", json!({"using": "css selector", "value": css}))
            .await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no {css}: {found}"))
            .to_string()
    }

    pub async fn type_in(&mut self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.post(&format!("element/{id}/clear"), json!({})).await;
        self.post(&format!("element/{id}/value"), json!({"text": text})).await;
    }

    pub async fn click(&mut self, css: &str) {
        let id = self.find(css).await;
        self.post(&format!("element/{id}/click"), json!({})).await;
    }

    /// The text of `css` once it contains `needle`: pages navigate and
    /// refresh, so this looks again (up to 10 s) rather than once.
    pub async fn wait_text(&mut self, css: &str, needle: &str) -> String {
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

    pub async fn source(&mut self) -> String {
        self.get("source").await.as_str().unwrap().to_string()
    }

    /// Runs `fetch(url)` in the page (with its cookies): what a download gets.
    pub async fn fetch(&mut self, url: &str) -> String {
        let script = "const done = arguments[arguments.length - 1];
                      fetch(arguments[0]).then(r => r.text()).then(done, e => done('error: ' + e));";
        let out = self
            .post("execute/async", json!({"script": script, "args": [url]}))
            .await;
        out.as_str().unwrap_or_default().to_string()
    }

    pub async fn sign_in(&mut self, login: &str) {
        self.sign_in_to(login, "Xin chào").await;
    }

    /// Signs in and waits for the first page's heading.
    pub async fn sign_in_to(&mut self, login: &str, heading: &str) {
        self.open("/login").await;
        self.type_in("#login", login).await;
        self.type_in("#password", &super::password(login)).await;
        self.click("#sign-in").await;
        self.wait_text("h1", heading).await;
    }

    /// Follows the menu's link to `href`, opening the menu first where it
    /// is folded behind its button (on a phone).
    pub async fn menu(&mut self, href: &str) {
        let folded = "return getComputedStyle(document.querySelector('nav.menu')).display === 'none';";
        if self.post("execute/sync", json!({"script": folded, "args": []})).await == json!(true) {
            self.click("label.menu-button").await;
        }
        self.click(&format!("nav.menu a[href='{href}']")).await;
    }

    pub async fn sign_out(&mut self) {
        let folded = "return getComputedStyle(document.querySelector('nav.menu')).display === 'none';";
        if self.post("execute/sync", json!({"script": folded, "args": []})).await == json!(true) {
            self.click("label.menu-button").await;
        }
        self.click("form.out button").await;
        self.wait_text("h1", "Đăng nhập").await;
    }

    pub async fn close(mut self) {
        let path = format!("/session/{}", self.session);
        call(&mut self.driver.http, "DELETE", &path, Value::Null).await;
    }
}
