use crepo_api::{db::Engine as DbEngine, ids::TenantId};
use crepo_tests::{engine, Engine, TestApp, TestEnv};
use sea_orm::{ConnectionTrait, Statement};

fn tenant_id(body: &serde_json::Value) -> TenantId {
    body["tenant"]["id"].as_str().unwrap().parse().unwrap()
}

async fn emails(tx: &impl ConnectionTrait) -> Vec<String> {
    let rows = tx
        .query_all(Statement::from_string(
            tx.get_database_backend(),
            "SELECT email FROM users",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "email").unwrap())
        .collect()
}

#[tokio::test]
async fn two_tenants_get_two_schemas_or_two_files() {
    let app = TestApp::spawn().await;
    let a = tenant_id(&app.signup_ok("tenant-a").await);
    let b = tenant_id(&app.signup_ok("tenant-b").await);
    match engine() {
        Engine::Postgres => {
            let db = app.db().await;
            let rows = db
                .platform()
                .query_all(Statement::from_string(
                    db.platform().get_database_backend(),
                    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'tenant_%' ORDER BY 1",
                ))
                .await
                .unwrap();
            let mut names: Vec<String> = rows
                .iter()
                .map(|r| r.try_get("", "schema_name").unwrap())
                .collect();
            names.sort();
            let mut expected = vec![a.schema_name(), b.schema_name()];
            expected.sort();
            assert_eq!(names, expected);
        }
        Engine::Sqlite => {
            let dir = app.env.data_dir.path().join("tenants");
            for id in [a, b] {
                assert!(dir.join(format!("{id}.db")).exists(), "no file for {id}");
            }
        }
    }
}

#[tokio::test]
async fn a_tenant_transaction_sees_only_its_own_tables() {
    let app = TestApp::spawn().await;
    let a = tenant_id(&app.signup_ok("tenant-a").await);
    let b = tenant_id(&app.signup_ok("tenant-b").await);
    let db = app.db().await;

    let tx = db.tenant_tx(a).await.unwrap();
    // `users` unqualified is tenant A's table and nobody else's.
    assert_eq!(emails(&tx).await, ["owner@tenant-a.example"]);
    if db.engine() == DbEngine::Postgres {
        let row = tx
            .query_one(Statement::from_string(
                tx.get_database_backend(),
                "SHOW search_path",
            ))
            .await
            .unwrap()
            .unwrap();
        let path: String = row.try_get("", "search_path").unwrap();
        assert_eq!(path, a.schema_name());
    }
    // Platform tables are out of reach too (last: it aborts the transaction).
    let platform = tx
        .query_all(Statement::from_string(
            tx.get_database_backend(),
            "SELECT slug FROM tenants",
        ))
        .await;
    assert!(
        platform.is_err(),
        "a tenant transaction could read the platform's tenants table"
    );
    drop(tx);

    let tx = db.tenant_tx(b).await.unwrap();
    assert_eq!(emails(&tx).await, ["owner@tenant-b.example"]);
}

#[tokio::test]
async fn the_search_path_of_a_tenant_transaction_does_not_leak_into_the_next_one() {
    let mut env = TestEnv::new().await;
    // One pooled connection: every transaction reuses it.
    env.set("CREPO_DB_MAX_CONNECTIONS", "1");
    let app = TestApp::spawn_with(env).await;
    let a = tenant_id(&app.signup_ok("tenant-a").await);
    let db = app.db().await;
    let tx = db.tenant_tx(a).await.unwrap();
    assert_eq!(emails(&tx).await.len(), 1);
    tx.commit().await.unwrap();
    // The platform connection is back on the platform tables.
    let rows = db
        .platform()
        .query_all(Statement::from_string(
            db.platform().get_database_backend(),
            "SELECT slug FROM tenants",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let users = db
        .platform()
        .query_all(Statement::from_string(
            db.platform().get_database_backend(),
            "SELECT email FROM users",
        ))
        .await;
    assert!(
        users.is_err(),
        "tenant rows visible outside a tenant transaction"
    );
}

#[tokio::test]
async fn removing_a_tenants_storage_drops_its_schema_or_file() {
    let app = TestApp::spawn().await;
    let db = app.db().await;
    let id = tenant_id(&app.signup_ok("keeper").await);
    db.remove_tenant_storage(id).await.unwrap();
    match engine() {
        Engine::Sqlite => assert!(!app
            .env
            .data_dir
            .path()
            .join(format!("tenants/{id}.db"))
            .exists()),
        Engine::Postgres => {
            let row = db
                .platform()
                .query_one(Statement::from_string(
                    db.platform().get_database_backend(),
                    format!(
                        "SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name = '{}'",
                        id.schema_name()
                    ),
                ))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0);
        }
    }
}
