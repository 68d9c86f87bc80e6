//! What vouches for the tenants' logs cannot be quietly rewritten (issue 16,
//! item 3): checkpoints and the platform audit are append-only, anchors only
//! move forward, and each checkpoint signs the one before it.

use crepo_api::entities::platform::access_log_checkpoint;
use crepo_tests::{logs, operators::operator, TestApp, TestEnv};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

async fn sql(app: &TestApp, statement: &str) -> Result<(), sea_orm::DbErr> {
    app.state
        .db
        .platform()
        .execute(Statement::from_string(
            logs::backend(),
            statement.to_owned(),
        ))
        .await
        .map(|_| ())
}

#[tokio::test]
async fn checkpoints_anchors_and_the_platform_audit_refuse_to_be_rewritten() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOG_CHECKPOINT_ENTRIES", "2");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("acme").await;
    operator(&app, "ops@crepo.example").await;
    for _ in 0..4 {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    app.settle_log().await;
    for refused in [
        "UPDATE access_log_checkpoints SET hash = 'forged'",
        "DELETE FROM access_log_checkpoints",
        "UPDATE platform_audit SET action = 'nothing.happened'",
        "DELETE FROM platform_audit",
        "UPDATE access_log_anchors SET seq = 1",
        "DELETE FROM access_log_anchors",
    ] {
        let err = sql(&app, refused).await.expect_err(refused);
        assert!(
            err.to_string().contains("append-only") || err.to_string().contains("forward"),
            "{refused}: {err}"
        );
    }
    // The anchor still moves forward as entries are written.
    for _ in 0..3 {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    app.settle_log().await;
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "intact", "{v}");
}

#[tokio::test]
async fn a_removed_checkpoint_breaks_the_chain_of_checkpoints() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOG_CHECKPOINT_ENTRIES", "2");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("acme").await;
    for _ in 0..8 {
        app.get_auth("/api/v1/me", &admin.access).await;
        app.settle_log().await;
    }
    let all = crepo_api::logbook::checkpoint::all(&app.state.db, admin.tenant_id)
        .await
        .unwrap();
    assert!(all.len() >= 3, "{} checkpoints", all.len());
    let middle = &all[all.len() / 2];
    logs::disable_platform_protection(&app).await;
    let removed = access_log_checkpoint::Entity::delete_by_id(middle.id)
        .exec(app.state.db.platform())
        .await
        .unwrap();
    assert_eq!(removed.rows_affected, 1);
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("checkpoint was removed"),
        "{v}"
    );
}

fn audit_verify(app: &TestApp) -> (bool, String) {
    let out = crepo_tests::binary::crepo(&app.env)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_platform_audit_is_a_hash_chain_that_crepo_audit_verify_checks() {
    use crepo_api::entities::platform::platform_audit;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, QueryOrder};
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let ops = operator(&app, "ops@crepo.example").await;
    for _ in 0..3 {
        app.get_auth("/api/v1/ops/tenants", &ops).await;
    }
    let (ok, said) = audit_verify(&app);
    assert!(ok, "{said}");
    assert!(said.contains("intact"), "{said}");

    // An edited entry, by someone who got past the triggers.
    logs::disable_platform_protection(&app).await;
    let rows = platform_audit::Entity::find()
        .order_by_asc(platform_audit::Column::Id)
        .all(app.state.db.platform())
        .await
        .unwrap();
    assert!(rows.len() >= 5, "{} entries", rows.len());
    let edited = rows[2].clone();
    platform_audit::ActiveModel {
        action: Set("tenants.listed".into()),
        ..edited.clone().into()
    }
    .update(app.state.db.platform())
    .await
    .unwrap();
    let (ok, said) = audit_verify(&app);
    assert!(!ok, "{said}");
    assert!(
        said.contains(&edited.id.to_string()) && said.contains("altered"),
        "{said}"
    );

    // Put back, then one removed.
    platform_audit::ActiveModel {
        action: Set(edited.action.clone()),
        ..edited.clone().into()
    }
    .update(app.state.db.platform())
    .await
    .unwrap();
    assert!(audit_verify(&app).0);
    platform_audit::Entity::delete_by_id(rows[3].id)
        .exec(app.state.db.platform())
        .await
        .unwrap();
    let (ok, said) = audit_verify(&app);
    assert!(!ok, "{said}");
    assert!(
        said.contains(&rows[4].id.to_string()) && said.contains("removed"),
        "{said}"
    );
}

#[tokio::test]
async fn a_tail_left_unsigned_past_the_checkpoint_interval_is_reported() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOG_CHECKPOINT_ENTRIES", "1");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("acme").await;
    for _ in 0..3 {
        app.get_auth("/api/v1/me", &admin.access).await;
        app.settle_log().await;
    }
    // Signed on time: intact even an hour later.
    app.state.clock.advance(chrono::Duration::minutes(1));
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "intact", "{v}");
    app.settle_log().await;

    // The newest checkpoint removed: its entries are an unsigned tail.
    let all = crepo_api::logbook::checkpoint::all(&app.state.db, admin.tenant_id)
        .await
        .unwrap();
    let newest = all.iter().max_by_key(|c| c.seq).unwrap().clone();
    logs::disable_platform_protection(&app).await;
    access_log_checkpoint::Entity::delete_by_id(newest.id)
        .exec(app.state.db.platform())
        .await
        .unwrap();
    // Read in-process: a request would be logged, and its entry signed.
    let verdict = |minutes: i64| {
        let app = &app;
        async move {
            crepo_api::logbook::verify::verify_signed_on_time(
                &app.state.db,
                &app.state.log_signer,
                admin.tenant_id,
                app.state.clock.now() + chrono::Duration::minutes(minutes),
                std::time::Duration::from_secs(300),
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(verdict(0).await.status, "intact");
    let late = verdict(20).await;
    assert_eq!(late.status, "broken", "{late:?}");
    assert_eq!(late.first_bad_seq, Some(newest.seq));
    assert!(late.reason.unwrap().contains("no checkpoint since"));
}
