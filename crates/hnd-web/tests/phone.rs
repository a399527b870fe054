//! Every page on a phone, as every role: Chromium at 390×844 walks the
//! pages each account can reach from its home page by following links,
//! and on each page checks what a clerk's phone needs:
//!
//! - nothing wider than the screen (the page never scrolls sideways);
//! - every link, button and field at least 44×44 px to touch (a checkbox
//!   counts by the label that holds it);
//! - no text smaller than 12 px;
//! - no link that leads this user to a refusal (403) or a missing page.
//!
//! A screenshot of each page is saved under `target/screenshots/phone/`.

mod common;

use base64::Engine;
use common::browser::Browser;
use common::{ACCOUNTS, BODY_ACCOUNT, fixture};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What a page is checked for, in the page itself.
const CHECK: &str = r#"
const out = { width: [document.documentElement.scrollWidth, innerWidth], small: [], tiny: [], links: [] };
for (const el of document.querySelectorAll('a[href], button, summary, select, input:not([type=hidden]), textarea, label.menu-button')) {
  const style = getComputedStyle(el);
  if (style.opacity === '0' || style.visibility === 'hidden' || el.closest('.skip')) continue;
  const boxed = (el.type === 'checkbox' || el.type === 'radio') && el.closest('label') ? el.closest('label') : el;
  const r = boxed.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) continue;
  if (r.width < 44 || r.height < 44) out.small.push(`${el.tagName} "${(el.textContent || el.name || el.id).trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, el = node.parentElement;
  if (!node.textContent.trim() || el.getBoundingClientRect().width === 0) continue;
  const size = parseFloat(getComputedStyle(el).fontSize);
  if (size < 12) out.tiny.push(`"${node.textContent.trim().slice(0, 30)}" ${size}px`);
}
for (const a of document.querySelectorAll('a[href]')) {
  const href = a.getAttribute('href');
  if (href.startsWith('/')) out.links.push(href);
}
return out;
"#;

/// Links the walk does not follow: they sign out, switch the language,
/// or download a file rather than show a page.
fn followed(href: &str) -> bool {
    let skip = [
        "/logout", "/lang/", "lang=", "format=", "/export", "/errors", "/photo", "/files/", ".csv", ".xlsx",
    ];
    !skip.iter().any(|s| href.contains(s))
}

/// A page's kind: its address with numbers and units' codes left out, so
/// that the walk visits one member's page, not every member's.
fn kind(href: &str) -> String {
    let path = href.split(['#', '?']).next().unwrap_or_default();
    path.split('/')
        .map(|part| {
            if part.chars().any(|c| c.is_ascii_digit()) {
                "N"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The status a GET of `href` answers the signed-in browser.
async fn status(b: &mut Browser, href: &str) -> i64 {
    let script = "const done = arguments[arguments.length - 1];
                  fetch(arguments[0]).then(r => done(r.status), () => done(0));";
    let out = b.post("execute/async", json!({"script": script, "args": [href]})).await;
    out.as_i64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_for_every_role() {
    Box::pin(walk_all()).await;
}

async fn walk_all() {
    let f = fixture(hnd_store::testing::sqlite().await.unwrap()).await;
    let Some(mut b) = Browser::start(format!("http://{}", f.server.addr)).await else {
        return;
    };
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots/phone");
    let logins: Vec<&str> = ACCOUNTS
        .iter()
        .map(|(login, _, _)| *login)
        .chain([BODY_ACCOUNT])
        .collect();
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut visited = 0;
    for login in logins {
        b.post("window/rect", json!({"width": 412, "height": 900})).await;
        let heading = if login == BODY_ACCOUNT {
            "Nhiệm vụ"
        } else {
            "Xin chào"
        };
        b.sign_in_to(login, heading).await;
        b.post("window/rect", json!({"width": 390, "height": 844})).await;
        let dir = shots.join(login);
        std::fs::create_dir_all(&dir).unwrap();
        let mut seen = BTreeSet::new();
        let mut statuses: BTreeMap<String, i64> = BTreeMap::new();
        let mut queue = VecDeque::from(["/".to_string()]);
        while let Some(href) = queue.pop_front() {
            if !seen.insert(kind(&href)) {
                continue;
            }
            b.open(&href).await;
            visited += 1;
            let page: Value = b.post("execute/sync", json!({"script": CHECK, "args": []})).await;
            let mut found = Vec::new();
            let (width, screen) = (page["width"][0].as_i64(), page["width"][1].as_i64());
            if width > screen {
                found.push(format!("{width:?} px wide on a {screen:?} px screen"));
            }
            for what in ["small", "tiny"] {
                found.extend(page[what].as_array().unwrap().iter().map(|v| format!("{what}: {v}")));
            }
            for link in page["links"].as_array().unwrap().iter().filter_map(Value::as_str) {
                if !followed(link) {
                    continue;
                }
                let code = match statuses.get(link) {
                    Some(code) => *code,
                    None => {
                        let code = status(&mut b, link).await;
                        statuses.insert(link.to_string(), code);
                        code
                    }
                };
                if code == 403 || code == 404 || code >= 500 {
                    found.push(format!("link {link} answers {code}"));
                } else if !seen.contains(&kind(link)) {
                    queue.push_back(link.to_string());
                }
            }
            let name = match kind(&href).replace('/', "_").trim_matches('_') {
                "" => "home".to_string(),
                name => name.to_string(),
            };
            let png = b.get("screenshot").await;
            let png = base64::engine::general_purpose::STANDARD
                .decode(png.as_str().unwrap())
                .unwrap();
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
            if !found.is_empty() {
                problems.insert(format!("{login} {href}"), found);
            }
        }
        b.open("/").await;
        b.sign_out().await;
    }
    assert!(visited >= 30, "the walk reached only {visited} pages");
    assert!(
        problems.is_empty(),
        "pages that do not fit a phone:\n{}",
        problems
            .iter()
            .map(|(page, found)| format!("{page}:\n  {}", found.join("\n  ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
    b.close().await;
}
