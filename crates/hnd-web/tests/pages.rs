//! The tree pages through a real server on a free port.

mod common;

use common::{Client, Server, fixture};
use hnd_domain::Day;
use hnd_store::{Change, Store, testing};

/// The server and a client signed in as the central administrator.
struct App {
    store: Store,
    client: tokio::sync::Mutex<Client>,
}

impl App {
    /// Status and body of `GET path`.
    async fn get(&self, path: &str) -> (u16, String) {
        let r = self.client.lock().await.get(path).await;
        (r.status, r.text())
    }
}

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

async fn app() -> App {
    let f = fixture(testing::sqlite().await.unwrap()).await;
    let client = f.server.signed_in("admin").await;
    App {
        store: f.server.store.clone(),
        client: tokio::sync::Mutex::new(client),
    }
}

const AS_OF: &str = "as_of=01/02/2026";

#[tokio::test]
async fn root_lists_the_34_provinces() {
    let app = app().await;
    let (status, body) = app.get(&format!("/org?{AS_OF}")).await;
    assert_eq!(status, 200);
    assert_eq!(body.matches("<td><a href=\"/org/").count(), 34, "one link per province");
    assert!(
        body.contains("<a href=\"/org/01?as_of=01/02/2026\">Thành phố Hà Nội</a>"),
        "{body}"
    );
    assert!(body.contains("3.321"), "total bases in Vietnamese format: {body}");
    assert_eq!(app.get("/healthz").await, (200, "ok".to_string()));
}

#[tokio::test]
async fn a_province_lists_its_bases_and_counts() {
    let app = app().await;
    let (status, body) = app.get(&format!("/org/01?{AS_OF}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Phường Ba Đình"), "{body}");
    assert!(body.contains("Chi hội: <strong>3</strong>"), "{body}");
}

#[tokio::test]
async fn a_base_shows_its_branches_path_and_history() {
    let app = app().await;
    let (status, body) = app.get(&format!("/org/00004?{AS_OF}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Chi hội Tổ dân phố 1"));
    assert!(body.contains(
        "Trung ương Hội Nông dân Việt Nam</a></li><li><a href=\"/org/01?as_of=01/02/2026\">Thành phố Hà Nội"
    ));
    assert!(
        body.contains("Khởi tạo") && body.contains("kiểm thử"),
        "history lists the bootstrap: {body}"
    );
    assert!(!body.contains("<script>alert"), "names are escaped: {body}");
    assert!(body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{body}");
}

#[tokio::test]
async fn dates_outside_the_tree_and_bad_dates_are_explained() {
    let app = app().await;
    let (status, body) = app.get("/org/01?as_of=30/06/2025").await;
    assert_eq!(status, 404);
    assert!(body.contains("Không có đơn vị mã 01 vào ngày 30/06/2025"), "{body}");
    let (status, body) = app.get("/org/01?as_of=31/02/2025").await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Ngày \"31/02/2025\" không hợp lệ") || body.contains("Ngày &#34;31/02/2025&#34; không hợp lệ"),
        "{body}"
    );
    assert!(
        body.contains("action=\"/org/01\"") && body.contains("value=\"31/02/2025\""),
        "a form to correct it: {body}"
    );
    let (status, body) = app.get("/org?as_of=30/06/2025").await;
    assert_eq!(status, 404);
    assert!(body.contains("Chưa có cây tổ chức vào ngày 30/06/2025"), "{body}");
    let (status, body) = app.get(&format!("/org/99999?{AS_OF}")).await;
    assert_eq!(status, 404);
    assert!(
        body.contains("Không có đơn vị mã 99999") && body.contains("<a href=\"/org\">"),
        "{body}"
    );
}

#[tokio::test]
async fn english_pages_keep_the_language_in_every_link() {
    let app = app().await;
    let (status, body) = app.get(&format!("/org?{AS_OF}&lang=en")).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("lang=\"en\"") && body.contains("Central Committee"),
        "{body}"
    );
    assert_eq!(
        body.matches("<td class=\"hide-small\">Province</td>").count(),
        34,
        "{body}"
    );
    let (_, body) = app.get(&format!("/org/00004?{AS_OF}&lang=en")).await;
    assert!(body.contains("<td class=\"hide-small\">Branch</td>"), "{body}");
    assert!(
        body.contains("href=\"/org/00004-CH01?as_of=01/02/2026&#38;lang=en\""),
        "{body}"
    );
    assert!(
        body.contains("href=\"/lang/vi?next="),
        "a switch back to Vietnamese: {body}"
    );
}

#[tokio::test]
async fn the_day_can_be_written_the_iso_way() {
    let app = app().await;
    let (status, body) = app.get("/org/00004?as_of=2026-02-01").await;
    assert_eq!(status, 200);
    assert!(body.contains("href=\"/org/00004-CH01?as_of=01/02/2026\""), "{body}");
}

#[tokio::test]
async fn a_merge_links_both_units_on_the_days_they_lived() {
    let app = app().await;
    let who = Change::new("cán bộ", "gộp chi hội");
    let sources = ["00004-X".to_string()];
    app.store
        .merge(&sources, "00004-CH01", day("01/03/2026"), &who)
        .await
        .unwrap();

    let (status, body) = app.get("/org/00004-CH01?as_of=01/03/2026").await;
    assert_eq!(status, 200);
    assert!(body.contains("Hình thành từ"), "{body}");
    assert!(body.contains("<a href=\"/org/00004-X?as_of=28/02/2026\">"), "{body}");
    assert!(body.contains("Hợp nhất") && body.contains("gộp chi hội"), "{body}");

    let (status, body) = app.get("/org/00004-X?as_of=28/02/2026").await;
    assert_eq!(status, 200);
    assert!(body.contains("Đã trở thành"), "{body}");
    assert!(body.contains("<a href=\"/org/00004-CH01?as_of=01/03/2026\">"), "{body}");
    assert!(body.contains("hoạt động từ 01/01/2026 đến 28/02/2026"), "{body}");
}

#[tokio::test]
async fn an_empty_database_says_how_to_fill_it() {
    let server = Server::start(testing::sqlite().await.unwrap()).await;
    let r = server.client().get("/login").await;
    let (status, body) = (r.status, r.text());
    assert_eq!(status, 200);
    assert!(
        body.contains("hnd org bootstrap") && body.contains("hnd demo"),
        "{body}"
    );
}

#[tokio::test]
async fn an_empty_branch_says_so() {
    let app = app().await;
    let (status, body) = app.get(&format!("/org/00004-CH01?{AS_OF}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Chưa có đơn vị trực thuộc"), "{body}");
}
