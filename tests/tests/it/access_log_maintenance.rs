//! Retention purge, signed checkpoints, operator extraction, the CLI, and
//! entries queued just before SIGTERM.

use std::process::Stdio;

use crepo_api::{entities::platform::access_log_checkpoint, logbook::NewEntry};
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

async fn purge_at(app: &TestApp, tenant: crepo_api::ids::TenantId) -> Result<u64, String> {
    crepo_api::logbook::purge::purge(
        &app.state.db,
        &app.state.log_signer,
        tenant,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| e.to_string())
}

#[tokio::test]
async fn entries_stamped_old_by_a_node_whose_clock_is_behind_do_not_pull_newer_ones_into_a_purge() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    for _ in 0..3 {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    // A node 500 days behind writes two entries after today's.
    app.state.clock.advance(chrono::Duration::days(-500));
    for _ in 0..2 {
        app.state
            .access_log
            .record(admin.tenant_id, NewEntry::event("test.clock_behind"))
            .await;
    }
    app.state.clock.advance(chrono::Duration::days(500));
    app.get_auth("/api/v1/me", &admin.access).await;
    app.settle_log().await;
    let before = logs::all(&app, &admin.access, "").await.len();
    app.settle_log().await;

    // Retention is 400 days: the oldest-looking entries sit after recent
    // ones, so nothing is old enough to go.
    assert_eq!(purge_at(&app, admin.tenant_id).await, Ok(0));
    let after = logs::all(&app, &admin.access, "").await;
    assert!(after.len() > before, "{} <= {before}", after.len());
    assert_eq!(after[0]["seq"], 1);
    assert_eq!(logs::verify(&app, &admin.access).await["status"], "intact");
}

#[tokio::test]
async fn a_purge_refuses_a_broken_chain_and_says_why_instead_of_signing_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    for _ in 0..5 {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    app.settle_log().await;
    // The first entries backdated past the retention, to launder them away.
    let mut sql = logs::disable_protection();
    sql.push("UPDATE access_log SET at = '2020-01-01 00:00:00+00:00' WHERE seq <= 4".into());
    logs::sql(&app, admin.tenant_id, &sql).await.unwrap();

    let refused = purge_at(&app, admin.tenant_id).await.unwrap_err();
    assert!(refused.contains("broken at seq 1"), "{refused}");
    assert!(refused.contains("altered"), "{refused}");
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert_eq!(v["first_bad_seq"], 1, "{v}");
    assert_eq!(logs::all(&app, &admin.access, "").await[0]["seq"], 1);
}

#[tokio::test]
async fn a_forged_checkpoint_is_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    logs::verify(&app, &admin.access).await;
    app.settle_log().await;
    logs::disable_platform_protection(&app).await;
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

/// Starts `crepo serve` on `port` with output discarded.
async fn start_server(env: &TestEnv, port: u16) -> Server {
    let mut cmd = serve(env, port);
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    Server::start(cmd, port).await
}

/// The request ids starting with `prefix` among the tenant's logged
/// requests, and the chain's verdict.
async fn logged_request_ids(
    server: &Server,
    token: &str,
    prefix: &str,
) -> (std::collections::BTreeSet<String>, Value) {
    // Distinct ids: a client may legitimately resend a request.
    let mut found = std::collections::BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/access-logs?limit=200&event=http.request".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: Value = server
            .http
            .get(server.url(&path))
            .bearer_auth(token)
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
                .filter(|r| r.starts_with(prefix))
                .map(str::to_owned),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let verdict: Value = server
        .http
        .get(server.url("/api/v1/access-logs/verify"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (found, verdict)
}

/// Sends `count` authenticated `GET /me` with request ids `prefix-N`.
async fn requests(server: &Server, token: &str, prefix: &str, count: usize) {
    for i in 0..count {
        let res = server
            .http
            .get(server.url("/api/v1/me"))
            .bearer_auth(token)
            .header("x-request-id", format!("{prefix}-{i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
}

#[tokio::test]
async fn entries_queued_just_before_sigterm_are_there_after_restart() {
    let env = TestEnv::new().await;
    let port = free_port();
    let mut server = start_server(&env, port).await;
    let token = server.admin_token(&env, "acme").await;
    requests(&server, &token, "before-term", 30).await;
    // SIGTERM at once: the 30 request entries may still be queued.
    assert!(server.stop().await.success());

    let mut server = start_server(&env, port).await;
    let (found, verdict) = logged_request_ids(&server, &token, "before-term-").await;
    server.stop().await;
    assert_eq!(found.len(), 30, "{found:?}");
    assert_eq!(verdict["status"], "intact", "{verdict}");
}

#[tokio::test]
async fn entries_the_writer_could_not_write_yet_survive_a_graceful_stop() {
    use crepo_api::{db::Db, entities::platform::tenant, ids::TenantId};
    use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};

    let env = TestEnv::new().await;
    let port = free_port();
    let mut server = start_server(&env, port).await;
    let token = server.admin_token(&env, "acme").await;

    // Another session holds the tenant's log head, so nothing can be
    // appended: the entries stay queued while the server is told to stop.
    let db = Db::connect(&env.settings()).await.unwrap();
    let acme = tenant::Entity::find()
        .filter(tenant::Column::Slug.eq("acme"))
        .one(db.platform())
        .await
        .unwrap()
        .unwrap();
    let holder = db.tenant_tx(TenantId::from(acme.id)).await.unwrap();
    holder
        .execute_unprepared("UPDATE access_log_head SET seq = seq WHERE id = 1")
        .await
        .unwrap();
    requests(&server, &token, "held", 10).await;
    server.sigterm();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    holder.commit().await.unwrap();
    let status = server.exit_within(std::time::Duration::from_secs(15)).await;
    assert!(status.success());

    let mut server = start_server(&env, port).await;
    let (found, verdict) = logged_request_ids(&server, &token, "held-").await;
    server.stop().await;
    db.close().await;
    assert_eq!(found.len(), 10, "{found:?}");
    assert_eq!(verdict["status"], "intact", "{verdict}");
}

#[tokio::test]
async fn a_change_committed_just_before_a_crash_still_has_its_event_after_restart() {
    let env = TestEnv::new().await;
    let port = free_port();
    let mut cmd = serve(&env, port);
    cmd.env("CREPO_FAULT_EXIT_AFTER_COMMIT", "user.deleted")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut server = Server::start(cmd, port).await;
    let token = server.admin_token(&env, "acme").await;
    let created: Value = server
        .http
        .post(server.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "email": "leaver@acme.example", "name": "退職者" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["user"]["id"].as_str().unwrap().to_owned();
    // The node dies between the commit and anything after it.
    let answer = server
        .http
        .delete(server.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&token)
        .send()
        .await;
    assert!(answer.is_err(), "the node answered: {answer:?}");
    let status = server.exit_within(std::time::Duration::from_secs(10)).await;
    assert_eq!(status.code(), Some(86));

    let server = start_server(&env, port).await;
    let gone = server
        .http
        .get(server.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404, "the deletion was committed");
    let mut found = None;
    for _ in 0..50 {
        let page: Value = server
            .http
            .get(server.url("/api/v1/access-logs?event=user.deleted"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some(e) = page["items"].as_array().unwrap().first() {
            found = Some(e.clone());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let event = found.expect("the committed deletion has no event");
    assert_eq!(event["details"]["target_user_id"], id.as_str());
    let verdict: Value = server
        .http
        .get(server.url("/api/v1/access-logs/verify"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verdict["status"], "intact", "{verdict}");
}
