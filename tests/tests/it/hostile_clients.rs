//! What one hostile client can do to everyone else: bounded (issue 15).

use crepo_tests::{assert_problem, TestApp, TestEnv};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn made_up_http_methods_do_not_grow_the_metrics() {
    let app = TestApp::spawn().await;
    for i in 0..40 {
        let method = Method::from_bytes(format!("HOSTILE{i}").as_bytes()).unwrap();
        let res = app
            .client
            .request(method, app.url(&format!("/api/v1/nothing-{i}")))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error());
    }
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(!text.contains("HOSTILE"), "made-up methods became labels");
    assert!(!text.contains("nothing-"), "unknown paths became labels");
    assert!(text.contains(r#"method="other""#), "{text}");
}

#[tokio::test]
async fn login_attempts_from_one_ipv6_64_block_share_one_budget() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_TRUSTED_PROXIES", "127.0.0.1");
    env.set("CREPO_LOGIN_RATE_LIMIT", "3/3600");
    let app = TestApp::spawn_with(env).await;
    app.signup_ok("acme").await;
    let attempt = |from: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", from)
                .json(&json!({ "tenant": "acme", "email": "owner@acme.example", "password": "wrong password, again" }))
                .send()
                .await
                .unwrap()
        }
    };
    // Every attempt from a new address of the same /64.
    for i in 1..=3 {
        assert_eq!(attempt(format!("2001:db8:7:7::{i:x}")).await.status(), 401);
    }
    assert_problem(
        attempt("2001:db8:7:7:ffff::99".into()).await,
        429,
        "rate_limited",
    )
    .await;
    // The next block, and IPv4 clients, have their own budgets.
    assert_eq!(attempt("2001:db8:7:8::1".into()).await.status(), 401);
    assert_eq!(attempt("192.0.2.10".into()).await.status(), 401);
}

#[tokio::test]
async fn readiness_tells_anonymous_callers_what_is_down_but_not_where_it_lives() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_PROBE_INTERVAL_SECS", "1");
    let app = TestApp::spawn_with(env).await;
    let data_dir = app.env.data_dir.path().display().to_string();
    // Object storage breaks: its directory becomes a file.
    let objects = app.env.data_dir.path().join("objects");
    std::fs::remove_dir_all(&objects).unwrap();
    std::fs::write(&objects, b"not a directory").unwrap();
    let mut body = serde_json::Value::Null;
    for _ in 0..50 {
        body = app.get("/health/ready").await.json().await.unwrap();
        if body["checks"]["object_storage"]["status"] == "down" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(body["checks"]["object_storage"]["status"], "down", "{body}");
    assert!(body["checks"]["object_storage"]["latency_ms"].is_number());
    let text = body.to_string();
    assert!(
        !text.contains(&data_dir),
        "the data directory leaked: {text}"
    );
    assert!(!text.contains("objects"), "{text}");
}

#[tokio::test]
async fn a_flood_of_bogus_logins_is_refused_beyond_a_short_queue_and_counted() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_HASH_QUEUE", "2");
    let app = TestApp::spawn_with(env).await;
    app.signup_ok("acme").await;
    let attempts = (0..24).map(|i| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({ "tenant": "acme", "email": format!("nobody{i}@acme.example"), "password": "a bogus password" }))
                .send()
                .await
                .unwrap()
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let refused: Vec<&reqwest::Response> = answers.iter().filter(|r| r.status() == 429).collect();
    assert!(!refused.is_empty(), "no attempt was refused");
    assert!(refused
        .iter()
        .all(|r| r.headers().contains_key("retry-after")));
    assert!(answers
        .iter()
        .all(|r| [401, 429].contains(&r.status().as_u16())));
    // The queue drains: a real login goes through afterwards.
    let s = app.admin_session("acme").await;
    assert_eq!(app.get_auth("/api/v1/me", &s.access).await.status(), 200);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let counted: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("crepo_password_hashes_refused_total "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(counted, refused.len() as u64, "{metrics}");
}
