//! A real server on a free port, clients that keep their cookies, and
//! the small tree, accounts and members the web tests share.

#![allow(dead_code)]

pub mod browser;

use hnd_domain::{Cccd, Day, Role, Sex};
use hnd_store::{Change, Store, testing};
use std::collections::HashMap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Server {
    pub addr: std::net::SocketAddr,
    pub store: Store,
}

impl Server {
    pub async fn start(store: Store) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(hnd_web::serve_until(store.clone(), listener, std::future::pending()));
        Server { addr, store }
    }

    pub fn client(&self) -> Client {
        Client {
            addr: self.addr,
            cookies: HashMap::new(),
        }
    }

    /// A client signed in as `login` (password: the login twice, see [`fixture`]).
    pub async fn signed_in(&self, login: &str) -> Client {
        let mut c = self.client();
        let r = c.sign_in(login, &password(login)).await;
        assert_eq!(r.status, 303, "sign-in of {login}: {}", r.text());
        c
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
}

pub struct Client {
    pub addr: std::net::SocketAddr,
    pub cookies: HashMap<String, String>,
}

/// `application/x-www-form-urlencoded` of `fields`.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn enc(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The value of the first `name="csrf" value="…"` in a page.
pub fn csrf_in(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form token in the page") + 19;
    page[at..].split('"').next().unwrap().to_string()
}

impl Client {
    pub async fn request(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if !cookie.is_empty() {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).await.unwrap();
        // A server may answer (413, ...) before reading everything.
        let _ = stream.write_all(body).await;
        // Read until the body is complete: by its length when the server
        // gives one (some keep the connection open), else to the close.
        let mut raw = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = stream.read(&mut buf).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
            if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                if length.is_some_and(|len| raw.len() >= split + 4 + len) {
                    break;
                }
            }
        }
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head") + 4;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().unwrap()[9..12].parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut body = raw[split..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        if chunked {
            body = dechunk(&body);
        }
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                if value.is_empty() || v.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        Response { status, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.request("GET", path, &[], b"").await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = form(fields);
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        self.request("POST", path, &headers, body.as_bytes()).await
    }

    /// The session's form token, read off the home page.
    pub async fn csrf(&mut self) -> String {
        csrf_in(&self.get("/account/password").await.text())
    }

    pub async fn sign_in(&mut self, login: &str, password: &str) -> Response {
        let page = self.get("/login").await.text();
        let token = csrf_in(&page);
        self.post_form(
            "/login",
            &[
                ("csrf", &token),
                ("login", login),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

pub fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

pub fn password(login: &str) -> String {
    format!("{login}-{login}-pw")
}

/// The accounts of [`fixture`]: login, role, unit.
pub const ACCOUNTS: &[(&str, Role, &str)] = &[
    ("admin", Role::CentralAdmin, "TW"),
    ("xa4", Role::CommuneOfficer, "00004"),
    ("xa8", Role::CommuneOfficer, "00008"),
    ("xem", Role::Viewer, "TW"),
    ("truong", Role::BranchHead, "00004-CH01"),
];

pub use hnd_store::testing::person;

/// Members of [`fixture`]: (name, unit) → id.
pub struct Fixture {
    pub server: Server,
    pub members: HashMap<&'static str, i64>,
    /// The plan's task for the outside body of [`BODY_ACCOUNT`].
    pub task: i64,
}

/// An account acting for a body outside the Union, with no grants.
pub const BODY_ACCOUNT: &str = "so.nongnghiep";

/// The 2025 tree with a branch in commune 00004 and one in 00008 (both
/// in Hà Nội), the accounts of [`ACCOUNTS`] and three active members.
pub async fn fixture(store: Store) -> Fixture {
    let who = Change::new("kiểm thử", "dữ liệu kiểm thử");
    store.bootstrap(false, &who).await.unwrap();
    let units = vec![
        testing::branch("00004-CH01", "Chi hội Tổ dân phố 1", "00004"),
        testing::branch("00008-CH01", "Chi hội Thôn Đông", "00008"),
        testing::branch("00004-X", "Chi hội <script>alert(1)</script>", "00004"),
    ];
    store
        .create_units(units, day("01/01/2026"), &who, "create")
        .await
        .unwrap();
    for (login, role, unit) in ACCOUNTS {
        store
            .create_user(login, &format!("Người dùng {login}"), &password(login))
            .await
            .unwrap();
        store.grant(login, *role, unit, "kiểm thử").await.unwrap();
    }
    let mut members = HashMap::new();
    for (name, birth, sex, unit, cccd) in [
        ("Nguyễn Thị Hoà", "12/05/1985", Sex::Female, "00004-CH01", 1),
        ("Đặng Văn Đức", "1958", Sex::Male, "00004-CH01", 2),
        ("Trần Văn Bình", "03/03/1970", Sex::Male, "00008-CH01", 3),
    ] {
        let mut p = person(name, birth, sex, unit);
        p.cccd = Some(Cccd::compose("001", p.birth.year(), sex, cccd));
        let id = store.add_member(&p, day("01/02/2026"), false, &who).await.unwrap().id;
        store.admit(id, day("01/03/2026"), "1-QĐ/HND", &who).await.unwrap();
        members.insert(name, id);
    }
    let plan = hnd_store::NewPlan {
        number: Some("12-KH/HND".into()),
        title: "Kế hoạch kiểm thử".into(),
        unit: "01".into(),
        issued_on: day("01/01/2026"),
        first_year: 2026,
        last_year: 2026,
        kind: hnd_domain::plan::PlanKind::Plan,
        implements: None,
        implement_by: None,
    };
    store.create_plan(&plan, &who).await.unwrap();
    let at_least = hnd_domain::plan::Comparator::AtLeast;
    store
        .set_target("12-KH/HND", "01", "new_members", at_least, 4.0, &who)
        .await
        .unwrap();
    store
        .split_target("12-KH/HND", "01", "new_members", hnd_store::Split::Equal, &who)
        .await
        .unwrap();
    // A task of the plan for an outside body, and that body's account.
    let task = store
        .add_task(
            "12-KH/HND",
            &hnd_store::testing::task(
                "Báo cáo kết quả thực hiện",
                "UBND thành phố",
                "Sở Nông nghiệp và Môi trường",
                "Hội Nông dân thành phố",
                "hằng năm trước ngày 15/11",
            ),
            &who,
        )
        .await
        .unwrap();
    store
        .create_user(BODY_ACCOUNT, "Sở Nông nghiệp và Môi trường", &password(BODY_ACCOUNT))
        .await
        .unwrap();
    store
        .set_user_body(BODY_ACCOUNT, "Sở Nông nghiệp và Môi trường")
        .await
        .unwrap();
    Fixture {
        server: Server::start(store).await,
        members,
        task,
    }
}

/// A multipart form: `fields` (the token first: nothing is written without
/// it), then one file `name` holding `content`; its content type and body.
pub fn upload_form(fields: &[(&str, &str)], name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "hndtestboundary";
    let mut body = String::new();
    for (field, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    ));
    let mut body = body.into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
