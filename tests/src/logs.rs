//! Access-log helpers.

use super::*;
use crepo_api::ids::TenantId;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// All entries of the tenant, oldest first, via the API (paging through).
pub async fn all(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if query.is_empty() { "" } else { "&" };
        let url = match &cursor {
            Some(c) => format!("/api/v1/access-logs?limit=200&cursor={c}{sep}{query}"),
            None => format!("/api/v1/access-logs?limit=200{sep}{query}"),
        };
        let res = app.get_auth(&url, token).await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    out.reverse();
    out
}

/// Waits until an entry matching `pred` is readable (request entries are
/// written shortly after their response).
pub async fn wait_for(app: &TestApp, token: &str, pred: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        if let Some(e) = all(app, token, "").await.into_iter().find(|e| pred(e)) {
            return e;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the expected entry never appeared");
}

pub async fn verify(app: &TestApp, token: &str) -> Value {
    let res = app.get_auth("/api/v1/access-logs/verify", token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Runs SQL as the database owner inside the tenant's schema or file.
pub async fn sql(
    app: &TestApp,
    tenant: TenantId,
    statements: &[String],
) -> Result<(), sea_orm::DbErr> {
    let db = app.db().await;
    let tx = db.tenant_tx(tenant).await?;
    for s in statements {
        tx.execute(Statement::from_string(tx.get_database_backend(), s.clone()))
            .await?;
    }
    tx.commit().await
}

/// What a tamperer with owner rights does first.
pub fn disable_protection() -> Vec<String> {
    match engine() {
        Engine::Postgres => vec!["ALTER TABLE access_log DISABLE TRIGGER USER".into()],
        Engine::Sqlite => vec![
            "DROP TRIGGER access_log_no_update".into(),
            "DROP TRIGGER access_log_no_delete".into(),
        ],
    }
}

/// The newest entry's seq, once the writer has caught up.
pub async fn last_seq(app: &TestApp, token: &str) -> i64 {
    app.settle_log().await;
    let res = app.get_auth("/api/v1/access-logs?limit=1", token).await;
    let head: Value = res.json().await.unwrap();
    app.settle_log().await;
    head["items"][0]["seq"].as_i64().unwrap()
}

/// Deletes the entries after `cut` and sets the tenant's head row back to
/// it, as a careful tamperer with the owner's rights would: only the anchor
/// outside the tenant's schema still knows better.
pub async fn cut_tail(app: &TestApp, tenant: TenantId, cut: i64) {
    use crepo_api::entities::tenant::access_log;
    use sea_orm::EntityTrait;
    let db = app.db().await;
    let tx = db.tenant_tx(tenant).await.unwrap();
    let keep = access_log::Entity::find_by_id(cut)
        .one(&tx)
        .await
        .unwrap()
        .unwrap();
    drop(tx);
    let mut statements = disable_protection();
    statements.push(format!("DELETE FROM access_log WHERE seq > {cut}"));
    statements.push(format!(
        "UPDATE access_log_head SET seq = {cut}, hash = '{}'",
        keep.hash
    ));
    sql(app, tenant, &statements).await.unwrap();
}

/// The same, for the platform's records (checkpoints, anchors, audit).
pub async fn disable_platform_protection(app: &TestApp) {
    let statements: Vec<&str> = match engine() {
        Engine::Postgres => vec![
            "ALTER TABLE access_log_checkpoints DISABLE TRIGGER USER",
            "ALTER TABLE access_log_anchors DISABLE TRIGGER USER",
            "ALTER TABLE platform_audit DISABLE TRIGGER USER",
        ],
        Engine::Sqlite => vec![
            "DROP TRIGGER checkpoints_no_update",
            "DROP TRIGGER checkpoints_delete_only_erased",
            "DROP TRIGGER anchors_forward_only",
            "DROP TRIGGER anchors_delete_only_erased",
            "DROP TRIGGER audit_update_only_redaction",
            "DROP TRIGGER audit_no_delete",
        ],
    };
    let platform = app.state.db.platform();
    for s in statements {
        platform
            .execute(Statement::from_string(backend(), s.to_owned()))
            .await
            .unwrap();
    }
}

pub fn backend() -> DbBackend {
    match engine() {
        Engine::Postgres => DbBackend::Postgres,
        Engine::Sqlite => DbBackend::Sqlite,
    }
}
