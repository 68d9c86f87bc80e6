//! Retention purge, signed checkpoints, operator extraction, the CLI, and
//! entries queued just before SIGTERM.

use std::process::Stdio;

use crepo_api::entities::platform::access_log_checkpoint;
use crepo_tests::{
    binary::{crepo, free_port, serve, Server},
    logs,
    operators::operator,
    TestApp, TestEnv,
};
use sea_orm::{sea_query::Expr, EntityTrait};
use serde_json::Value;

#[tokio::test]
async fn a_purge_leaves_a_checkpoint_from_which_the_chain_still_verifies() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    for _ in 0..5 {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    assert_eq!(logs::verify(&app, &admin.access).await["status"], "intact");
    app.settle_log().await;
    let before = logs::all(&app, &admin.access, "").await.len();
    app.settle_log().await;

    // A year and a half from now, everything so far is past the retention.
    let later = chrono::Utc::now() + chrono::Duration::days(550);
    let removed = crepo_api::logbook::purge::purge(
        &app.state.db,
        &app.state.log_signer,
        admin.tenant_id,
        later,
    )
    .await
    .unwrap();
    assert!(removed as usize >= before, "{removed} < {before}");
    app.get_auth("/api/v1/me", &admin.access).await;
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "intact", "{v}");
    let left = logs::all(&app, &admin.access, "").await;
    assert!(left.first().unwrap()["seq"].as_i64().unwrap() > removed as i64);
}

#[tokio::test]
async fn a_forged_checkpoint_is_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    logs::verify(&app, &admin.access).await;
    app.settle_log().await;
    access_log_checkpoint::Entity::update_many()
        .col_expr(
            access_log_checkpoint::Column::Hash,
            Expr::value("f".repeat(64)),
        )
        .exec(app.state.db.platform())
        .await
        .unwrap();
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert!(v["reason"].as_str().unwrap().contains("signature"), "{v}");
}

#[tokio::test]
async fn an_operator_reading_a_tenants_log_is_recorded_in_it_and_in_the_platform_audit() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let ops = &operator(&app, "ops@crepo.example").await;
    let path = format!(
        "/api/v1/ops/tenants/{}/access-logs?event=auth.",
        admin.tenant_id
    );
    let page: Value = app.get_auth(&path, ops).await.json().await.unwrap();
    assert!(!page["items"].as_array().unwrap().is_empty());
    let missing = format!("/api/v1/ops/tenants/{}/access-logs", uuid::Uuid::new_v4());
    assert_eq!(app.get_auth(&missing, ops).await.status(), 404);

    let seen = logs::all(&app, &admin.access, "event=access_log.read_by_operator").await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["details"]["operator_email"], "ops@crepo.example");
    let audit: Value = app
        .get_auth("/api/v1/ops/audit", ops)
        .await
        .json()
        .await
        .unwrap();
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "tenant.access_log.read"));
}

#[tokio::test]
async fn the_cli_verifies_every_tenant() {
    let app = TestApp::spawn().await;
    let a = app.admin("tenant-a").await;
    let b = app.admin("tenant-b").await;
    logs::verify(&app, &a.access).await;
    logs::verify(&app, &b.access).await;
    app.settle_log().await;
    let out = crepo(&app.env)
        .args(["access-log", "verify"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("tenant tenant-a") && stdout.contains("tenant tenant-b"),
        "{stdout}"
    );
    assert!(stdout.contains("intact"), "{stdout}");

    let mut statements = logs::disable_protection();
    statements.push("DELETE FROM access_log WHERE seq = 2".into());
    logs::sql(&app, b.tenant_id, &statements).await.unwrap();
    let out = crepo(&app.env)
        .args(["access-log", "verify"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("tenant tenant-b") && l.contains("BROKEN at seq 2")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("tenant tenant-a") && l.contains("intact")),
        "{stdout}"
    );
}

#[tokio::test]
async fn entries_queued_just_before_sigterm_are_there_after_restart() {
    let env = TestEnv::new().await;
    let port = free_port();
    let start = || async {
        let mut cmd = serve(&env, port);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        Server::start(cmd, port).await
    };
    let mut server = start().await;
    let http = server.http.clone();
    let app_like = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let token = server.admin_token(&env, "acme").await;
    for i in 0..30 {
        let res = http
            .get(app_like("/api/v1/me"))
            .bearer_auth(&token)
            .header("x-request-id", format!("before-term-{i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    // SIGTERM at once: the 30 request entries may still be queued.
    assert!(server.stop().await.success());

    let mut server = start().await;
    // Distinct ids: a client may legitimately resend a request.
    let mut found = std::collections::BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => app_like(&format!(
                "/api/v1/access-logs?limit=200&event=http.request&cursor={c}"
            )),
            None => app_like("/api/v1/access-logs?limit=200&event=http.request"),
        };
        let page: Value = http
            .get(url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        found.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|e| e["request_id"].as_str())
                .filter(|r| r.starts_with("before-term-"))
                .map(str::to_owned),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let verdict: Value = http
        .get(app_like("/api/v1/access-logs/verify"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.stop().await;
    assert_eq!(found.len(), 30, "{found:?}");
    assert_eq!(verdict["status"], "intact", "{verdict}");
}
