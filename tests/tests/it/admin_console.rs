//! What the administrator's and the operator's screens read beyond the
//! basics: who holds a role, tenants at a glance, the audit filtered, the
//! last checkpoint's time and the support desk.

use crepo_tests::{logs, operators::operator, TestApp, TestEnv};
use serde_json::{json, Value};

async fn json_at(app: &TestApp, path: &str, token: &str) -> Value {
    let res = app.get_auth(path, token).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

fn emails(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_holders_of_a_role_are_listed_by_role_id_and_other_tenants_roles_list_no_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    app.create_user(&admin, "viewer@acme.example", &["viewer"], None)
        .await;
    app.create_user(&admin, "editor@acme.example", &["editor"], None)
        .await;
    let viewer = &app.role_ids(&admin, &["viewer"]).await[0];
    let page = json_at(
        &app,
        &format!("/api/v1/users?role_id={viewer}"),
        &admin.access,
    )
    .await;
    assert_eq!(emails(&page), ["viewer@acme.example"]);
    let admins = &app.role_ids(&admin, &["admin"]).await[0];
    let page = json_at(
        &app,
        &format!("/api/v1/users?role_id={admins}"),
        &admin.access,
    )
    .await;
    assert_eq!(emails(&page), ["owner@acme.example"]);

    // Another tenant's role id names no one here.
    let other = app.admin("beta").await;
    let page = json_at(
        &app,
        &format!("/api/v1/users?role_id={viewer}"),
        &other.access,
    )
    .await;
    assert_eq!(emails(&page), Vec::<&str>::new());
    let res = app
        .get_auth("/api/v1/users?role_id=not-a-uuid", &admin.access)
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn operators_see_each_tenants_users_last_activity_and_a_cut_log_as_an_alert() {
    let app = TestApp::spawn().await;
    let acme = app.admin("acme").await;
    app.create_user(&acme, "viewer@acme.example", &["viewer"], None)
        .await;
    let beta = app.admin("beta").await;
    for _ in 0..3 {
        app.get_auth("/api/v1/me", &beta.access).await;
    }
    let last = logs::last_seq(&app, &beta.access).await;
    logs::cut_tail(&app, beta.tenant_id, last - 1).await;
    let ops = operator(&app, "ops@crepo.example").await;
    let page = json_at(&app, "/api/v1/ops/tenants", &ops).await;
    let tenant = |slug: &str| -> Value {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["slug"] == slug)
            .cloned()
            .unwrap()
    };
    let (acme_out, beta_out) = (tenant("acme"), tenant("beta"));
    assert_eq!(acme_out["user_count"], 2, "{acme_out}");
    assert_eq!(beta_out["user_count"], 1, "{beta_out}");
    assert!(acme_out["last_activity_at"].is_string(), "{acme_out}");
    assert_eq!(acme_out["log_state"], "intact", "{acme_out}");
    assert_eq!(beta_out["log_state"], "alert", "{beta_out}");
    // The full walk agrees.
    let v = logs::verify(&app, &beta.access).await;
    assert_eq!(v["status"], "broken", "{v}");
}

#[tokio::test]
async fn the_platform_audit_is_filtered_by_operator_and_by_action_or_prefix() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let first = operator(&app, "first@crepo.example").await;
    json_at(&app, "/api/v1/ops/tenants", &first).await;
    let page = json_at(&app, "/api/v1/ops/audit?action=tenants.listed", &first).await;
    let actions: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["tenants.listed"]);
    let page = json_at(&app, "/api/v1/ops/audit?action=operator.", &first).await;
    let items = page["items"].as_array().unwrap();
    assert!(items.len() >= 3, "{page}");
    assert!(items
        .iter()
        .all(|e| e["action"].as_str().unwrap().starts_with("operator.")));
    let first_id = items
        .iter()
        .find(|e| e["action"] == "operator.login.succeeded")
        .unwrap()["actor_id"]
        .clone();
    // A LIKE wildcard in a prefix is taken literally.
    let page = json_at(&app, "/api/v1/ops/audit?action=operat_r.", &first).await;
    assert_eq!(page["items"], json!([]));

    let second = operator(&app, "second@crepo.example").await;
    json_at(&app, "/api/v1/ops/tenants", &second).await;
    let page = json_at(
        &app,
        &format!("/api/v1/ops/audit?actor_id={}", first_id.as_str().unwrap()),
        &second,
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|e| e["actor_id"] == first_id), "{page}");
    assert!(items
        .iter()
        .all(|e| e["actor_email"] == "first@crepo.example"));
}

#[tokio::test]
async fn verification_tells_when_the_last_checkpoint_was_signed() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOG_CHECKPOINT_ENTRIES", "3");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("acme").await;
    let before = chrono::Utc::now();
    for _ in 0..6 {
        app.get_auth("/api/v1/me", &admin.access).await;
    }
    app.settle_log().await;
    let v = logs::verify(&app, &admin.access).await;
    assert_eq!(v["status"], "intact", "{v}");
    let at: chrono::DateTime<chrono::Utc> =
        v["last_checkpoint_at"].as_str().unwrap().parse().unwrap();
    assert!(at >= before - chrono::Duration::seconds(1), "{v}");
}

#[tokio::test]
async fn support_contacts_come_from_the_configuration_and_need_no_sign_in() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_SUPPORT_EMAIL", "help@crepo.example")
        .set("CREPO_SUPPORT_PHONE", "03-1234-5678")
        .set("CREPO_SUPPORT_HOURS_EN", "Weekdays 10:00–17:00 JST");
    let app = TestApp::spawn_with(env).await;
    let res = app.get("/api/v1/support").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["email"], "help@crepo.example");
    assert_eq!(body["phone"], "03-1234-5678");
    assert_eq!(body["url"], Value::Null);
    assert_eq!(body["hours_en"], "Weekdays 10:00–17:00 JST");
    // Unset hours fall back to the embedded default, in Japanese too.
    assert!(
        body["hours_ja"].as_str().unwrap().contains("平日"),
        "{body}"
    );
}

#[tokio::test]
async fn the_platform_audit_filters_by_time_exports_as_csv_or_jsonl_and_records_migrations() {
    let app = TestApp::spawn().await;
    let ops = operator(&app, "ops@crepo.example").await;
    let out = crepo_tests::binary::crepo(&app.env)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let migrated = json_at(&app, "/api/v1/ops/audit?action=platform.migrated", &ops).await;
    assert_eq!(migrated["items"][0]["actor_kind"], "cli", "{migrated}");
    assert_eq!(migrated["items"][0]["details"]["failed"], json!([]));

    let now = chrono::Utc::now();
    let later =
        (now + chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let earlier =
        (now - chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let future = json_at(&app, &format!("/api/v1/ops/audit?from={later}"), &ops).await;
    assert_eq!(future["items"], json!([]));
    let recent = json_at(
        &app,
        &format!("/api/v1/ops/audit?from={earlier}&to={later}"),
        &ops,
    )
    .await;
    assert!(!recent["items"].as_array().unwrap().is_empty());
    let res = app
        .get_auth(
            &format!("/api/v1/ops/audit?from={later}&to={earlier}"),
            &ops,
        )
        .await;
    assert_eq!(res.status(), 422);

    let csv = app
        .get_auth("/api/v1/ops/audit/export?format=csv&action=operator.", &ops)
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("\u{feff}at,actor_kind,"), "{text}");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.contains(",operator.")),
        "{text}"
    );
    let jsonl = app
        .get_auth(
            "/api/v1/ops/audit/export?format=jsonl&action=platform.migrated",
            &ops,
        )
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{jsonl}");
    assert_eq!(lines[0]["action"], "platform.migrated");
    let exported = json_at(&app, "/api/v1/ops/audit?action=audit.exported", &ops).await;
    assert_eq!(
        exported["items"].as_array().unwrap().len(),
        2,
        "each export is recorded"
    );
}
