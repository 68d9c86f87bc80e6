use crepo_api::ids::TenantId;
use crepo_tests::{binary::crepo, engine, Engine, TestApp};
use sea_orm::{ConnectionTrait, Statement};

/// Breaks one tenant so that migrating it fails.
async fn break_tenant(app: &TestApp, id: TenantId) {
    match engine() {
        Engine::Postgres => {
            let db = app.db().await;
            db.platform()
                .execute(Statement::from_string(
                    db.platform().get_database_backend(),
                    format!("DROP SCHEMA \"{}\" CASCADE", id.schema_name()),
                ))
                .await
                .unwrap();
        }
        Engine::Sqlite => {
            let file = app.env.data_dir.path().join(format!("tenants/{id}.db"));
            std::fs::remove_file(&file).unwrap();
        }
    }
}

#[tokio::test]
async fn migrating_again_is_a_no_op_reported_per_tenant() {
    let app = TestApp::spawn().await;
    app.signup_ok("first").await;
    app.signup_ok("second").await;
    let report = app.db().await.migrate_all().await.unwrap();
    assert_eq!(report.platform_applied, 0);
    let mut slugs: Vec<_> = report.tenants.iter().map(|t| t.slug.clone()).collect();
    slugs.sort();
    assert_eq!(slugs, ["first", "second"]);
    assert!(
        report.tenants.iter().all(|t| t.result == Ok(0)),
        "{report:?}"
    );
}

#[tokio::test]
async fn one_failing_tenant_does_not_stop_the_others() {
    let app = TestApp::spawn().await;
    let broken: TenantId = app.signup_ok("broken").await["tenant"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.signup_ok("healthy").await;
    break_tenant(&app, broken).await;
    let report = app.db().await.migrate_all().await.unwrap();
    assert_eq!(report.failures(), 1, "{report:?}");
    let healthy = report.tenants.iter().find(|t| t.slug == "healthy").unwrap();
    assert_eq!(healthy.result, Ok(0));
    let failed = report.tenants.iter().find(|t| t.slug == "broken").unwrap();
    assert!(failed.result.is_err());
}

#[tokio::test]
async fn the_migrate_command_reports_each_tenant_and_fails_when_one_fails() {
    let app = TestApp::spawn().await;
    let broken: TenantId = app.signup_ok("broken").await["tenant"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.signup_ok("healthy").await;

    let run = || crepo(&app.env).arg("migrate").output().unwrap();
    let ok = run();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(stdout.contains("tenant broken ("), "{stdout}");
    assert!(stdout.contains("tenant healthy ("), "{stdout}");
    assert!(stdout.contains("2 tenant(s), 0 failed"), "{stdout}");

    break_tenant(&app, broken).await;
    let failed = run();
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("tenant broken") && stdout.contains("FAILED"),
        "{stdout}"
    );
    assert!(stdout.contains("2 tenant(s), 1 failed"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("tenant healthy") && l.ends_with("0 migration(s) applied")),
        "{stdout}"
    );
}
