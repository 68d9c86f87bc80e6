//! Tampering by direct SQL as the database owner, with the triggers out of
//! the way: every kind is found, at the right place.

use crepo_api::{entities::tenant::access_log, logbook::entry::hash_of};
use crepo_tests::{logs, Session, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use serde_json::Value;

/// An admin and a log of at least `n` entries, verified intact.
async fn log_with(app: &TestApp, n: usize) -> Session {
    let admin = app.admin("acme").await;
    for _ in 0..n {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    let v = logs::verify(app, &admin.access).await;
    assert_eq!(v["status"], "intact", "{v}");
    app.settle_log().await;
    admin
}

fn broken_at(v: &Value, seq: i64, words: &str) {
    assert_eq!(v["status"], "broken", "{v}");
    assert_eq!(v["first_bad_seq"], seq, "{v}");
    assert!(v["reason"].as_str().unwrap().contains(words), "{v}");
}

async fn tamper(app: &TestApp, admin: &Session, sql: &[&str]) {
    let mut statements = logs::disable_protection();
    statements.extend(sql.iter().map(|s| s.to_string()));
    logs::sql(app, admin.tenant_id, &statements).await.unwrap();
}

async fn verdict(app: &TestApp, admin: &Session) -> Value {
    logs::verify(app, &admin.access).await
}

#[tokio::test]
async fn an_edited_field_is_found() {
    let app = TestApp::spawn().await;
    let admin = log_with(&app, 5).await;
    tamper(
        &app,
        &admin,
        &["UPDATE access_log SET user_email = 'someone-else@acme.example' WHERE seq = 4"],
    )
    .await;
    broken_at(&verdict(&app, &admin).await, 4, "altered");
}

#[tokio::test]
async fn a_deleted_middle_row_is_found() {
    let app = TestApp::spawn().await;
    let admin = log_with(&app, 5).await;
    tamper(&app, &admin, &["DELETE FROM access_log WHERE seq = 3"]).await;
    broken_at(&verdict(&app, &admin).await, 3, "missing");
}

#[tokio::test]
async fn a_deleted_tail_is_found() {
    let app = TestApp::spawn().await;
    let admin = log_with(&app, 5).await;
    let cut = logs::last_seq(&app, &admin.access).await - 2;
    logs::cut_tail(&app, admin.tenant_id, cut).await;
    let v = verdict(&app, &admin).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert_eq!(v["first_bad_seq"], cut + 1, "{v}");
    assert!(v["reason"].as_str().unwrap().contains("truncated"), "{v}");
}

#[tokio::test]
async fn swapped_rows_are_found() {
    let app = TestApp::spawn().await;
    let admin = log_with(&app, 5).await;
    // Exchange the contents of entries 3 and 4, keeping their numbers.
    let db = app.db().await;
    let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
    let a = access_log::Entity::find_by_id(3i64)
        .one(&tx)
        .await
        .unwrap()
        .unwrap();
    let b = access_log::Entity::find_by_id(4i64)
        .one(&tx)
        .await
        .unwrap()
        .unwrap();
    drop(tx);
    let set = |from: &access_log::Model, seq: i64| {
        format!(
            "UPDATE access_log SET event = '{}', path = {}, status = {}, prev_hash = '{}', hash = '{}' WHERE seq = {seq}",
            from.event,
            from.path.as_ref().map(|p| format!("'{p}'")).unwrap_or("NULL".into()),
            from.status.map(|s| s.to_string()).unwrap_or("NULL".into()),
            from.prev_hash,
            from.hash
        )
    };
    tamper(&app, &admin, &[&set(&b, 3), &set(&a, 4)]).await;
    let v = verdict(&app, &admin).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert_eq!(v["first_bad_seq"], 3, "{v}");
}

#[tokio::test]
async fn a_rewritten_chain_is_found_by_the_signed_and_anchored_heads() {
    let app = TestApp::spawn().await;
    let admin = log_with(&app, 5).await;
    let db = app.db().await;
    let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
    let rows = access_log::Entity::find()
        .order_by_asc(access_log::Column::Seq)
        .all(&tx)
        .await
        .unwrap();
    drop(tx);
    // Edit entry 2 and recompute every hash after it, head row included:
    // the chain is internally consistent again.
    logs::sql(&app, admin.tenant_id, &logs::disable_protection())
        .await
        .unwrap();
    let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
    let mut prev = rows[0].hash.clone();
    for row in rows.iter().skip(1) {
        let mut m = row.clone();
        if m.seq == 2 {
            m.user_email = Some("forged@acme.example".into());
        }
        m.prev_hash = prev.clone();
        m.hash = hash_of(&m);
        prev = m.hash.clone();
        access_log::ActiveModel {
            seq: Set(m.seq),
            user_email: Set(m.user_email.clone()),
            prev_hash: Set(m.prev_hash.clone()),
            hash: Set(m.hash.clone()),
            ..Default::default()
        }
        .update(&tx)
        .await
        .unwrap();
    }
    let last = rows.last().unwrap().seq;
    crepo_api::entities::tenant::access_log_head::ActiveModel {
        id: Set(1),
        seq: Set(last),
        hash: Set(prev),
        ..Default::default()
    }
    .update(&tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let v = verdict(&app, &admin).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert!(v["reason"].as_str().unwrap().contains("rewritten"), "{v}");
    assert!(v["first_bad_seq"].as_i64().unwrap() <= 2, "{v}");
}
