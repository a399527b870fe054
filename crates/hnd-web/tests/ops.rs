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
