//! Metrics on their own listener, and a shutdown that lets requests finish.

mod common;

use common::{Client, fixture};

#[tokio::test]
async fn metrics_count_requests_by_route_and_shutdown_is_graceful() {
    let f = fixture(hnd_store::testing::sqlite().await.unwrap()).await;
    let store = f.server.store.clone();
    let app = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (app_addr, metrics_addr) = (app.local_addr().unwrap(), metrics.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = hnd_web::AppState::new(store);
    let server = tokio::spawn(hnd_web::serve_state(state, app, Some(metrics), async {
        let _ = stopped.await;
    }));
    let mut client = Client {
        addr: app_addr,
        cookies: Default::default(),
    };
    let r = client.sign_in("xa4", &common::password("xa4")).await;
    assert_eq!(r.status, 303);
    let hoa = f.members["Nguyễn Thị Hoà"];
    for _ in 0..3 {
        assert_eq!(client.get(&format!("/members/{hoa}")).await.status, 200);
    }
    let mut watcher = Client {
        addr: metrics_addr,
        cookies: Default::default(),
    };
    let text = watcher.get("/metrics").await.text();
    assert!(
        text.contains(r#"hnd_http_request_duration_seconds_count{method="GET",route="/members/{id}",status="200"} 3"#),
        "{text}"
    );
    assert!(
        text.contains(r#"hnd_db_connections{pool="read",state="open"}"#),
        "{text}"
    );
    assert!(text.contains("hnd_imports_running 0"), "{text}");
    // The application's own port has no metrics page.
    assert_eq!(client.get("/metrics").await.status, 404);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// Starts a server on `state` and hands back a client for it.
async fn serve(state: hnd_web::AppState) -> Client {
    let app = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = app.local_addr().unwrap();
    tokio::spawn(hnd_web::serve_state(state, app, None, std::future::pending()));
    Client {
        addr,
        cookies: Default::default(),
    }
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_ask() {
    let f = fixture(hnd_store::testing::sqlite().await.unwrap()).await;
    let mut client = serve(hnd_web::AppState::new(f.server.store.clone())).await;
    client.sign_in("xa4", &common::password("xa4")).await;
    let hoa = f.members["Nguyễn Thị Hoà"];
    let path = format!("/members/{hoa}");
    let plain = client.get(&path).await;
    assert_eq!(plain.header("content-encoding"), None);
    let zipped = client.request("GET", &path, &[("accept-encoding", "gzip")], b"").await;
    assert_eq!(zipped.status, 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert!(
        zipped.body.len() < plain.body.len(),
        "{} ≥ {}",
        zipped.body.len(),
        plain.body.len()
    );
    assert_eq!(&zipped.body[..2], &[0x1f, 0x8b], "a gzip stream");
}

#[tokio::test]
async fn a_request_past_its_time_is_answered_with_a_message() {
    let f = fixture(hnd_store::testing::sqlite().await.unwrap()).await;
    let mut state = hnd_web::AppState::new(f.server.store.clone());
    // A millisecond: a sign-in checks its password with a hash made to
    // take far longer than that.
    state.request_timeout = std::time::Duration::from_millis(1);
    let mut client = serve(state).await;
    let body = format!("csrf=t&login=xa4&password={}", common::password("xa4"));
    let r = client
        .request(
            "POST",
            "/login",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", "hnd_login=t"),
            ],
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.text().contains("chưa trả lời kịp"), "{}", r.text());
}
