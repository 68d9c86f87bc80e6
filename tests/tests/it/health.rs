use crepo_tests::{TestApp, TestEnv};
use serde_json::Value;

#[tokio::test]
async fn liveness_answers_without_touching_the_database() {
    let mut env = TestEnv::new().await;
    // A database nobody listens on: liveness must still say alive.
    env.set(
        "CREPO_DATABASE_URL",
        "postgres://postgres@127.0.0.1:1/nothing",
    )
    .set("CREPO_MIGRATE_ON_START", "false");
    let app = TestApp::spawn_with(env).await;
    let res = app.get("/health/live").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "alive");
}

#[tokio::test]
async fn readiness_reports_every_check_with_status_and_latency() {
    let app = TestApp::spawn().await;
    // The prober runs right after start; wait for its first round.
    let mut body = Value::Null;
    for _ in 0..50 {
        let res = app.get("/health/ready").await;
        assert_eq!(res.status(), 200);
        body = res.json().await.unwrap();
        if body["status"] == "ready" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(body["status"], "ready", "{body}");
    let checks = &body["checks"];
    for name in ["database", "object_storage", "sms", "mail"] {
        assert_eq!(checks[name]["status"], "up", "{name}: {body}");
        assert!(checks[name]["latency_ms"].as_f64().unwrap() >= 0.0);
    }
    assert_eq!(checks["clock_skew"]["status"], "up");
    assert!(checks["clock_skew"]["skew_ms"].as_i64().unwrap().abs() < 1000);
}

#[tokio::test]
async fn readiness_is_503_when_the_database_port_is_closed() {
    let mut env = TestEnv::new().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    env.set(
        "CREPO_DATABASE_URL",
        format!("postgres://postgres@127.0.0.1:{closed}/crepo"),
    )
    .set("CREPO_MIGRATE_ON_START", "false");
    let app = TestApp::spawn_with(env).await;
    let res = app.get("/health/ready").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["checks"]["database"]["status"], "down");
    // The cause stays in the server log; the probe answer names no internals.
    assert!(!body.to_string().contains(&closed.to_string()), "{body}");
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_report_dependencies() {
    let app = TestApp::spawn().await;
    app.get("/health/live").await;
    app.get("/api/v1/no-such-thing").await;
    // Wait until the prober has reported at least once.
    let mut text = String::new();
    for _ in 0..50 {
        text = app.get("/metrics").await.text().await.unwrap();
        if text.contains("crepo_dependency_up{dependency=\"sms\"} 1") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        text.contains(
            r#"crepo_http_requests_total{method="GET",route="/health/live",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    assert!(
        text.contains("crepo_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(
        text.contains(r#"crepo_dependency_up{dependency="object_storage"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"crepo_dependency_up{dependency="sms"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"crepo_db_pool_connections{state="max"} 5"#),
        "{text}"
    );
}
