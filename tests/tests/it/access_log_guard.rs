//! The writer does not bless a tampered tail (issue 16, item 1): a log whose
//! head disagrees with the platform's anchor gets nothing appended and no
//! checkpoint, stays "broken" however much traffic follows, and the
//! operators are told, while every other tenant is served as usual.

use crepo_tests::{logs, operators::operator, Session, TestApp, TestEnv};
use serde_json::Value;

async fn audit_actions(app: &TestApp, ops: &str) -> Vec<Value> {
    let res = app
        .get_auth("/api/v1/ops/audit?action=access_log.", ops)
        .await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

async fn traffic(app: &TestApp, who: &Session, n: usize) {
    for _ in 0..n {
        assert_eq!(app.get_auth("/api/v1/me", &who.access).await.status(), 200);
    }
    app.settle_log().await;
}

#[tokio::test]
async fn a_cut_tail_stays_broken_after_ordinary_traffic_and_operators_are_alerted() {
    let app = TestApp::spawn().await;
    let victim = app.admin("acme").await;
    let other = app.admin("beta").await;
    traffic(&app, &victim, 5).await;
    let last = logs::last_seq(&app, &victim.access).await;
    logs::cut_tail(&app, victim.tenant_id, last - 1).await;

    traffic(&app, &victim, 40).await;
    let v = logs::verify(&app, &victim.access).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert_eq!(v["first_bad_seq"], last, "{v}");
    // Nothing was chained onto the cut head.
    assert_eq!(logs::last_seq(&app, &victim.access).await, last - 1);

    let metrics = app.get("/metrics").await.text().await.unwrap();
    let series = format!(
        "crepo_access_log_tampered{{tenant_id=\"{}\"}} 1",
        victim.tenant_id
    );
    assert!(metrics.contains(&series), "{metrics}");
    let ops = operator(&app, "ops@crepo.example").await;
    let alarms = audit_actions(&app, &ops).await;
    let alarm = alarms
        .iter()
        .find(|e| e["action"] == "access_log.tampering_detected")
        .unwrap_or_else(|| panic!("no alarm in {alarms:?}"));
    assert_eq!(alarm["actor_kind"], "system");
    assert_eq!(alarm["target_id"], victim.tenant_id.to_string());
    assert!(alarm["details"]["reason"]
        .as_str()
        .unwrap()
        .contains("anchored"));
    // Raised once, not once per batch.
    let raised = alarms
        .iter()
        .filter(|e| e["action"] == "access_log.tampering_detected")
        .count();
    assert_eq!(raised, 1, "{alarms:?}");

    // The other tenant is logged and verified as usual.
    let before = logs::last_seq(&app, &other.access).await;
    traffic(&app, &other, 3).await;
    assert!(logs::last_seq(&app, &other.access).await > before);
    let v = logs::verify(&app, &other.access).await;
    assert_eq!(v["status"], "intact", "{v}");
}

/// The head's seq and the newest checkpoint's, read from the databases
/// (reading them through the API would add entries).
async fn head_and_signed(app: &TestApp, admin: &Session) -> (i64, i64) {
    use crepo_api::{entities::tenant::access_log_head, logbook::checkpoint};
    use sea_orm::EntityTrait;
    let db = app.db().await;
    let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
    let head = access_log_head::Entity::find_by_id(1)
        .one(&tx)
        .await
        .unwrap()
        .unwrap();
    drop(tx);
    let signed = checkpoint::all(&db, admin.tenant_id).await.unwrap();
    let signed = signed.iter().map(|c| c.seq).max().unwrap_or(0);
    db.close().await;
    (head.seq, signed)
}

#[tokio::test]
async fn an_entry_altered_after_the_last_checkpoint_is_never_signed() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOG_CHECKPOINT_ENTRIES", "5");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("acme").await;
    traffic(&app, &admin, 6).await;
    // The newest entry, once it is past the last checkpoint.
    let last = loop {
        let (head, signed) = head_and_signed(&app, &admin).await;
        if head > signed {
            break head;
        }
        traffic(&app, &admin, 1).await;
    };
    let mut sql = logs::disable_protection();
    sql.push(format!(
        "UPDATE access_log SET user_email = 'nobody@acme.example' WHERE seq = {last}"
    ));
    logs::sql(&app, admin.tenant_id, &sql).await.unwrap();
    // Everything before the edit was written and, when due, signed.
    let signed = logs::verify(&app, &admin.access).await["checkpoints_checked"]
        .as_u64()
        .unwrap();

    traffic(&app, &admin, 12).await;
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "broken", "{v}");
    assert_eq!(v["first_bad_seq"], last, "{v}");
    // Entries kept coming (the head agrees with the anchor), but no
    // checkpoint was signed over the altered entry.
    assert_eq!(v["checkpoints_checked"].as_u64().unwrap(), signed, "{v}");
    let ops = operator(&app, "ops@crepo.example").await;
    let alarms = audit_actions(&app, &ops).await;
    assert!(
        alarms
            .iter()
            .any(|e| e["action"] == "access_log.tampering_detected"
                && e["details"]["reason"].as_str().unwrap().contains("altered")),
        "{alarms:?}"
    );
}
