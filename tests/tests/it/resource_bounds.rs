//! Resources one client cannot exhaust (issue 15, holes 2 and 7): tenant
//! files on SQLite, statement and idle-transaction time on PostgreSQL.

use std::time::{Duration, Instant};

use crepo_tests::{engine, Engine, TestApp, TestEnv};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

/// Files under the app's tenant directory this process holds open.
fn open_tenant_files(app: &TestApp) -> usize {
    let dir = app.env.data_dir.path().join("tenants");
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.starts_with(&dir))
        .count()
}

#[tokio::test]
async fn sign_ups_beyond_the_bound_do_not_keep_their_tenant_files_open() {
    if engine() != Engine::Sqlite {
        return;
    }
    let mut env = TestEnv::new().await;
    env.set("CREPO_SQLITE_OPEN_TENANTS", "2");
    let app = TestApp::spawn_with(env).await;
    let mut sessions = Vec::new();
    for i in 0..6 {
        sessions.push(app.admin(&format!("tenant-{i}")).await);
    }
    for s in &sessions {
        assert_eq!(
            app.get_auth("/api/v1/projects", &s.access).await.status(),
            200
        );
    }
    app.settle_log().await;
    // A tenant file is the database and its WAL (and shared memory): three
    // descriptors per tenant at most, for two tenants.
    // A dropped pool closes its file on SQLite's own thread: allow a moment.
    let mut open = open_tenant_files(&app);
    for _ in 0..20 {
        if open <= 2 * 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        open = open_tenant_files(&app);
    }
    assert!(
        open <= 2 * 3,
        "{open} tenant files open with a bound of 2 tenants"
    );
    assert!(app.state.db.pool_stats().tenant_pools <= 2);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"crepo_db_pool_connections{state="sqlite_tenant_pools"} 2"#),
        "{metrics}"
    );
    // Every tenant still works: a closed one opens again.
    for s in &sessions {
        assert_eq!(app.get_auth("/api/v1/me", &s.access).await.status(), 200);
    }
}

#[tokio::test]
async fn postgres_sessions_end_long_statements_and_abandoned_transactions() {
    if engine() != Engine::Postgres {
        return;
    }
    let mut env = TestEnv::new().await;
    env.set("CREPO_DB_STATEMENT_TIMEOUT_SECS", "1");
    let app = TestApp::spawn_with(env).await;
    // The application's own pool settings, as `crepo serve` opens them.
    let db = app.db().await;
    let sql = |s: &str| Statement::from_string(db.platform().get_database_backend(), s.to_owned());
    let started = Instant::now();
    let slow = db.platform().execute(sql("SELECT pg_sleep(5)")).await;
    assert!(slow.is_err(), "a 5 s statement ran to its end");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(format!("{:?}", slow.unwrap_err()).contains("statement timeout"));

    let tx = db.platform().begin().await.unwrap();
    tx.execute(sql("SELECT 1")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert!(
        tx.execute(sql("SELECT 1")).await.is_err(),
        "a transaction idle for 3.5 s was still open"
    );
    drop(tx);
    // The pool recovers: the next request is served.
    let s = app.admin("acme").await;
    assert_eq!(app.get_auth("/api/v1/me", &s.access).await.status(), 200);
}
