//! The access log: what is recorded, who reads it, stable pages, one chain
//! under concurrency.

use crepo_tests::{assert_problem, logs, TestApp};
use futures_util::future::join_all;
use serde_json::Value;

const PW: &str = "correct horse battery staple";

#[tokio::test]
async fn requests_and_security_events_are_recorded_with_their_facts() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    assert_eq!(
        app.login("acme", "owner@acme.example", "a wrong password here")
            .await
            .status(),
        401
    );
    assert_eq!(
        app.login("acme", "nobody@acme.example", PW).await.status(),
        401
    );
    let admin = app
        .session("acme", "owner@acme.example", PW, Some("+819012345678"))
        .await;
    let res = app
        .client
        .get(app.url("/api/v1/users"))
        .bearer_auth(&admin.access)
        .header("user-agent", "audit-test/1.0")
        .header("x-request-id", "req-users-1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let request = logs::wait_for(&app, &admin.access, |e| e["request_id"] == "req-users-1").await;
    assert_eq!(request["event"], "http.request");
    assert_eq!(request["method"], "GET");
    assert_eq!(request["route"], "/api/v1/users");
    assert_eq!(request["path"], "/api/v1/users");
    assert_eq!(request["status"], 200);
    assert_eq!(request["user_agent"], "audit-test/1.0");
    assert_eq!(request["ip"], "127.0.0.1");
    assert_eq!(request["user_email"], "owner@acme.example");
    assert!(request["latency_ms"].as_i64().unwrap() >= 0);
    let at = request["at"].as_str().unwrap();
    assert!(
        at.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(at).is_ok(),
        "{at}"
    );

    let entries = logs::all(&app, &admin.access, "").await;
    let events: Vec<&str> = entries
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for expected in [
        "auth.login.failed",
        "auth.code.sent",
        "auth.code.verified",
        "auth.login.succeeded",
    ] {
        assert!(
            events.contains(&expected),
            "{expected} missing from {events:?}"
        );
    }
    let failures: Vec<&Value> = entries
        .iter()
        .filter(|e| e["event"] == "auth.login.failed")
        .collect();
    assert_eq!(failures[0]["details"]["reason"], "wrong_password");
    assert_eq!(failures[1]["details"]["reason"], "unknown_user");
    assert_eq!(failures[1]["user_email"], "nobody@acme.example");
    // Sequence numbers are gapless and chained.
    for pair in entries.windows(2) {
        assert_eq!(
            pair[1]["seq"].as_i64().unwrap(),
            pair[0]["seq"].as_i64().unwrap() + 1
        );
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
}

#[tokio::test]
async fn users_read_their_own_entries_and_only_holders_of_the_permission_read_all() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, viewer) = app
        .user(
            &admin,
            "v@acme.example",
            &["viewer"],
            None,
            "viewer passphrase 123",
        )
        .await;
    let viewer = viewer.access.as_str();
    app.get_auth("/api/v1/me", viewer).await;
    assert_problem(
        app.get_auth("/api/v1/access-logs", viewer).await,
        403,
        "permission_denied",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/access-logs/verify", viewer).await,
        403,
        "permission_denied",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/access-logs/export?format=csv", viewer)
            .await,
        403,
        "permission_denied",
    )
    .await;

    let mut mine = Vec::new();
    for _ in 0..50 {
        let page: Value = app
            .get_auth("/api/v1/me/access-logs", viewer)
            .await
            .json()
            .await
            .unwrap();
        mine = page["items"].as_array().unwrap().clone();
        if mine.iter().any(|e| e["route"] == "/api/v1/me") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(mine.iter().any(|e| e["route"] == "/api/v1/me"), "{mine:?}");
    assert!(
        mine.iter().all(|e| e["user_email"] == "v@acme.example"),
        "{mine:?}"
    );
    // Asking for someone else's entries in My Page still shows only one's own.
    let page: Value = app
        .get_auth(
            &format!("/api/v1/me/access-logs?user_id={}", admin.user_id),
            viewer,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["user_email"] == "v@acme.example"));
}

#[tokio::test]
async fn filters_and_pages_are_stable_while_entries_are_appended() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    for _ in 0..10 {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    app.get_auth(
        "/api/v1/users/00000000-0000-0000-0000-000000000000",
        &admin.access,
    )
    .await;
    logs::wait_for(&app, &admin.access, |e| e["status"] == 404).await;

    let only_404: Value = app
        .get_auth("/api/v1/access-logs?status=404", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(only_404["items"].as_array().unwrap().len(), 1);
    let auth: Value = app
        .get_auth("/api/v1/access-logs?event=auth.", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert!(auth["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["event"].as_str().unwrap().starts_with("auth.")));
    assert!(!auth["items"].as_array().unwrap().is_empty());
    // LIKE wildcards in a prefix are taken literally.
    for wild in ["a_th.", "%25."] {
        let none: Value = app
            .get_auth(&format!("/api/v1/access-logs?event={wild}"), &admin.access)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(none["items"], serde_json::json!([]), "{wild}");
    }
    let future: Value = app
        .get_auth(
            "/api/v1/access-logs?from=2999-01-01T00:00:00Z",
            &admin.access,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(future["items"].as_array().unwrap().is_empty());
    let inverted: Value = app
        .get_auth(
            "/api/v1/access-logs?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
            &admin.access,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        inverted["items"].as_array().unwrap().is_empty(),
        "an empty window holds nothing"
    );
    assert_problem(
        app.get_auth("/api/v1/access-logs?from=yesterday", &admin.access)
            .await,
        422,
        "validation_failed",
    )
    .await;

    // Page while others append: no entry twice, none skipped.
    let first: Value = app
        .get_auth("/api/v1/access-logs?limit=5", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    let mut seen: Vec<i64> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        app.get_auth("/api/v1/me", &admin.access).await;
        let page: Value = app
            .get_auth(
                &format!("/api/v1/access-logs?limit=5&cursor={c}"),
                &admin.access,
            )
            .await
            .json()
            .await
            .unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["seq"].as_i64().unwrap()),
        );
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    let top = seen[0];
    assert_eq!(seen, (1..=top).rev().collect::<Vec<_>>());
}

#[tokio::test]
async fn concurrent_requests_from_many_clients_leave_one_gapless_intact_chain() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let clients: Vec<reqwest::Client> = (0..20).map(|_| reqwest::Client::new()).collect();
    let calls = (0..200).map(|i| {
        let client = clients[i % 20].clone();
        let url = app.url("/api/v1/me");
        let token = admin.access.clone();
        async move {
            client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    assert!(join_all(calls).await.iter().all(|s| *s == 200));
    let verdict = logs::verify(&app, &admin.access).await;
    assert_eq!(verdict["status"], "intact", "{verdict}");
    let entries = logs::all(&app, &admin.access, "event=http.request").await;
    assert!(
        entries
            .iter()
            .filter(|e| e["route"] == "/api/v1/me")
            .count()
            >= 200
    );
    let all = logs::all(&app, &admin.access, "").await;
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e["seq"].as_i64().unwrap(), i as i64 + 1);
    }
}
