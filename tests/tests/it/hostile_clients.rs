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

#[tokio::test]
async fn a_nul_in_a_json_string_or_a_query_value_is_refused_naming_its_field() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    // PostgreSQL cannot store NUL in text: this answered 500 there.
    let body = json!({ "name": "緑茶", "description": "500ml\u{0}ボトル" });
    let p = assert_problem(
        app.send_auth(Method::POST, "/api/v1/projects", &s.access, Some(&body))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "description", "{p}");
    assert_eq!(p["errors"][0]["code"], "nul_character");
    let roles = json!({ "name": "r", "permissions": ["projects.read"], "scope": { "kind": "labels", "label_ids": [] }, "description": "" });
    let mut bad = roles.clone();
    bad["permissions"][0] = json!("projects.read\u{0}");
    let p = assert_problem(
        app.send_auth(Method::POST, "/api/v1/roles", &s.access, Some(&bad))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "permissions[0]", "{p}");
    for (path, field) in [
        ("/api/v1/projects?label=GT%00", "label"),
        ("/api/v1/projects?q=%E7%B7%91%00", "q"),
        ("/api/v1/access-logs?event=auth.%00", "event"),
        ("/api/v1/access-logs?ip=127.0.0.1%00", "ip"),
        ("/api/v1/labels?q=%00", "q"),
    ] {
        let p = assert_problem(
            app.get_auth(path, &s.access).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], field, "{path}: {p}");
    }
    // The same values without the NUL are served; the node is fine.
    assert_eq!(
        app.get_auth("/api/v1/projects?label=GT&q=%E7%B7%91", &s.access)
            .await
            .status(),
        200
    );
    let ok = json!({ "name": "緑茶", "description": "500ml ボトル" });
    let res = app
        .send_auth(Method::POST, "/api/v1/projects", &s.access, Some(&ok))
        .await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn metrics_can_move_to_an_internal_address_and_leave_the_public_one() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_METRICS_LISTEN", "127.0.0.1:0");
    let app = TestApp::spawn_with(env).await;
    assert_eq!(app.get("/health/live").await.status(), 200);
    assert_problem(app.get("/metrics").await, 404, "not_found").await;
    let port = app.metrics_port.expect("no metrics listener");
    let internal = app
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(internal.status(), 200);
    let text = internal.text().await.unwrap();
    assert!(text.contains(r#"route="/health/live""#), "{text}");
    // Nothing else lives there.
    let other = app
        .client
        .get(format!("http://127.0.0.1:{port}/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn logins_at_one_tenant_from_many_addresses_share_the_tenants_budget() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_TRUSTED_PROXIES", "127.0.0.1");
    env.set("CREPO_TENANT_LOGIN_RATE_LIMIT", "4/3600");
    let app = TestApp::spawn_with(env).await;
    app.signup_ok("acme").await;
    app.signup_ok("globex").await;
    let attempt = |tenant: &'static str, from: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", from)
                .json(&json!({ "tenant": tenant, "email": format!("owner@{tenant}.example"), "password": "a botnet guess" }))
                .send()
                .await
                .unwrap()
        }
    };
    // A botnet: every guess from another address, each far under its own limit.
    for i in 1..=4 {
        assert_eq!(
            attempt("acme", format!("198.51.100.{i}")).await.status(),
            401
        );
    }
    let res = attempt("ACME", "203.0.113.77".into()).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "rate_limited").await;
    // Another tenant is not affected.
    assert_eq!(attempt("globex", "198.51.100.1".into()).await.status(), 401);
}

#[tokio::test]
async fn a_client_behind_a_proxy_that_writes_ports_cannot_pick_its_address_to_dodge_throttles() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_TRUSTED_PROXIES", "127.0.0.1");
    env.set("CREPO_LOGIN_RATE_LIMIT", "3/3600");
    let app = TestApp::spawn_with(env).await;
    app.signup_ok("acme").await;
    // The proxy appends the real address with its port (as some do); the
    // attacker makes up a new address to its left on every attempt.
    let attempt = |i: u32, real: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", format!("198.51.100.{i}, {real}"))
                .json(&json!({ "tenant": "acme", "email": "owner@acme.example", "password": "wrong password, again" }))
                .send()
                .await
                .unwrap()
        }
    };
    for i in 1..=3 {
        assert_eq!(attempt(i, "203.0.113.7:51234").await.status(), 401);
    }
    assert_problem(attempt(4, "203.0.113.7:40000").await, 429, "rate_limited").await;
    // The same client through an IPv6 front end that writes [v6]:port and
    // maps IPv4: still the same budget.
    assert_problem(
        attempt(5, "[::ffff:203.0.113.7]:443").await,
        429,
        "rate_limited",
    )
    .await;
    // A hop that does not parse stops the walk: the proxy itself is the
    // client, never the made-up address to the left.
    assert_eq!(attempt(6, "unknown").await.status(), 401);
}
