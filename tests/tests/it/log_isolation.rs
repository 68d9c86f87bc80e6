//! One tenant whose access log cannot be written stalls nobody else
//! (issue 15, hole 6): its entries wait in its own queue, its security
//! events fail with 503 within the deadline, `/metrics` shows its backlog,
//! and once its database is back the queue drains into an intact chain.

use std::time::{Duration, Instant};

use crepo_tests::{TestApp, TestEnv};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

async fn rename_log_table(app: &TestApp, tenant: crepo_api::ids::TenantId, from: &str, to: &str) {
    let db = app.db().await;
    let tx = db.tenant_tx(tenant).await.unwrap();
    let backend = tx.get_database_backend();
    tx.execute(Statement::from_string(
        backend,
        format!("ALTER TABLE {from} RENAME TO {to}"),
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();
    db.close().await;
}

#[tokio::test]
async fn a_tenant_whose_log_cannot_be_written_delays_no_other_tenant() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOG_DEADLINE_SECS", "2");
    let app = TestApp::spawn_with(env).await;
    let broken = app.admin("broken").await;
    let fine = app.admin("fine").await;
    app.settle_log().await;

    rename_log_table(&app, broken.tenant_id, "access_log", "access_log_away").await;
    // Its requests queue entries that cannot be written…
    for _ in 0..3 {
        assert_eq!(
            app.get_auth("/api/v1/me", &broken.access).await.status(),
            200
        );
    }
    // …and a sign-in, whose security event must be written, fails clearly
    // within the deadline instead of hanging.
    let started = Instant::now();
    let res = tokio::time::timeout(
        Duration::from_secs(10),
        app.login(
            "broken",
            "owner@broken.example",
            "correct horse battery staple",
        ),
    )
    .await
    .expect("the broken tenant's login hung");
    assert_eq!(res.status(), 503, "{}", res.text().await.unwrap());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // Another tenant signs in and works as usual meanwhile.
    for _ in 0..3 {
        let started = Instant::now();
        let session = tokio::time::timeout(Duration::from_secs(10), app.admin_session("fine"))
            .await
            .expect("another tenant's login hung behind the broken tenant's log");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            app.get_auth("/api/v1/me", &session.access).await.status(),
            200
        );
    }
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let id = broken.tenant_id.to_string();
    assert!(
        metrics.contains(&format!(
            r#"crepo_access_log_append_failing{{tenant_id="{id}"}} 1"#
        )),
        "{metrics}"
    );
    assert!(metrics.contains(&format!(r#"crepo_access_log_backlog{{tenant_id="{id}"}}"#)));
    // (The other tenant may have an entry or two in flight, never a failure.)
    assert!(!metrics.contains(&format!(
        r#"crepo_access_log_append_failing{{tenant_id="{}"}}"#,
        fine.tenant_id
    )));

    // The database is repaired: the queue drains by itself, nothing lost.
    rename_log_table(&app, broken.tenant_id, "access_log_away", "access_log").await;
    let drained = Instant::now();
    loop {
        let metrics = app.get("/metrics").await.text().await.unwrap();
        if !metrics.contains(&format!("tenant_id=\"{id}\"")) {
            break;
        }
        assert!(drained.elapsed() < Duration::from_secs(15), "{metrics}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let verify: Value = app
        .get_auth("/api/v1/access-logs/verify", &broken.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verify["status"], "intact", "{verify}");
    let logs: Value = app
        .get_auth("/api/v1/access-logs?event=auth.code.sent", &broken.access)
        .await
        .json()
        .await
        .unwrap();
    // The refused login's event was kept and written once the log was back.
    assert!(logs["items"].as_array().unwrap().len() >= 2, "{logs}");
}
