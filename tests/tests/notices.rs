//! Notices: the one-week rule, lifecycles moved by time, audience isolation,
//! read marks, and who may use the operator API.

use chrono::{Duration, Utc};
use crepo_tests::{
    assert_problem,
    operators::{create_operator, operator, ops_login},
    TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

fn maintenance(starts_in: Duration) -> Value {
    let start = Utc::now() + starts_in;
    json!({
        "kind": "maintenance",
        "severity": "warning",
        "title": { "ja": "定期メンテナンス", "en": "Scheduled maintenance" },
        "body": { "ja": "データベースを更新します。" },
        "starts_at": start,
        "ends_at": start + Duration::hours(2),
    })
}

fn notice(kind: &str, audience: Option<Vec<String>>) -> Value {
    let mut n = json!({
        "kind": kind,
        "severity": "critical",
        "title": { "ja": format!("{kind} のお知らせ") },
        "body": { "ja": "詳細は追ってお知らせします。" },
    });
    if let Some(ids) = audience {
        n["audience"] = json!({ "tenant_ids": ids });
    }
    n
}

async fn publish(app: &TestApp, ops: &str, body: &Value) -> reqwest::Response {
    app.send_auth(Method::POST, "/api/v1/ops/notices", ops, Some(body))
        .await
}

async fn published(app: &TestApp, ops: &str, body: &Value) -> Value {
    let res = publish(app, ops, body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The tenant's post-login notices, by id.
async fn seen(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app.get_auth("/api/v1/notices", token).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

fn find<'a>(items: &'a [Value], id: &Value) -> Option<&'a Value> {
    items.iter().find(|n| n["id"] == *id)
}

#[tokio::test]
async fn maintenance_less_than_a_week_ahead_is_refused_unless_an_emergency_with_a_reason() {
    let app = TestApp::spawn().await;
    let ops = operator(&app, "ops@crepo.example").await;

    let short = publish(
        &app,
        &ops,
        &maintenance(Duration::days(7) - Duration::hours(1)),
    )
    .await;
    let problem = assert_problem(short, 422, "maintenance_notice_too_short").await;
    assert_eq!(problem["errors"][0]["field"], "starts_at", "{problem}");

    let week = published(
        &app,
        &ops,
        &maintenance(Duration::days(7) + Duration::seconds(30)),
    )
    .await;
    assert_eq!(week["status"], "scheduled");
    assert_eq!(week["emergency"], false);

    let mut emergency = maintenance(Duration::hours(3));
    emergency["emergency"] = json!(true);
    assert_problem(
        publish(&app, &ops, &emergency).await,
        422,
        "emergency_reason_required",
    )
    .await;
    emergency["emergency_reason"] = json!("   ");
    assert_problem(
        publish(&app, &ops, &emergency).await,
        422,
        "emergency_reason_required",
    )
    .await;
    emergency["emergency_reason"] = json!("CVE-2026-12345 の緊急修正");
    let urgent = published(&app, &ops, &emergency).await;
    assert_eq!(urgent["emergency"], true);
    assert_eq!(urgent["emergency_reason"], "CVE-2026-12345 の緊急修正");

    // Moving the window keeps the rule, counted from the change.
    let path = format!("/api/v1/ops/notices/{}", week["id"].as_str().unwrap());
    let start = Utc::now() + Duration::days(3);
    let earlier = json!({ "starts_at": start, "ends_at": start + Duration::hours(2) });
    let res = app
        .send_auth(Method::PATCH, &path, &ops, Some(&earlier))
        .await;
    assert_problem(res, 422, "maintenance_notice_too_short").await;
    let start = Utc::now() + Duration::days(10);
    let later = json!({ "starts_at": start, "ends_at": start + Duration::hours(2) });
    let res = app
        .send_auth(Method::PATCH, &path, &ops, Some(&later))
        .await;
    assert_eq!(res.status(), 200);
    let moved: Value = res.json().await.unwrap();
    assert_eq!(
        moved["starts_at"].as_str().unwrap()[..16],
        start.to_rfc3339()[..16]
    );
    // Five days on, stretching the end needs no new notice; moving the start does.
    app.state.clock.advance(Duration::days(5));
    let stretch = json!({ "ends_at": start + Duration::hours(4) });
    let res = app
        .send_auth(Method::PATCH, &path, &ops, Some(&stretch))
        .await;
    assert_eq!(res.status(), 200);
    let nudge = json!({ "starts_at": start + Duration::hours(1) });
    let res = app
        .send_auth(Method::PATCH, &path, &ops, Some(&nudge))
        .await;
    assert_problem(res, 422, "maintenance_notice_too_short").await;
    let bad = json!({ "ends_at": start - Duration::hours(1) });
    let res = app.send_auth(Method::PATCH, &path, &ops, Some(&bad)).await;
    assert_problem(res, 422, "validation_failed").await;

    // Other kinds have no window, and no emergency to skip it.
    let mut incident = notice("incident", None);
    incident["emergency"] = json!(true);
    incident["emergency_reason"] = json!("x");
    let problem = assert_problem(
        publish(&app, &ops, &incident).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "emergency", "{problem}");
    let mut release = notice("release", None);
    release["starts_at"] = json!(Utc::now() + Duration::days(9));
    let res = publish(&app, &ops, &release).await;
    assert_problem(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn maintenance_moves_from_scheduled_to_in_progress_to_completed_by_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let ops = operator(&app, "ops@crepo.example").await;
    let m = published(&app, &ops, &maintenance(Duration::days(8))).await;
    let cancelled = published(&app, &ops, &maintenance(Duration::days(9))).await;
    let path = format!("/api/v1/ops/notices/{}", cancelled["id"].as_str().unwrap());
    let res = app.send_auth(Method::DELETE, &path, &ops, None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "cancelled");

    let items = seen(&app, &admin.access).await;
    assert_eq!(find(&items, &m["id"]).unwrap()["status"], "scheduled");
    assert!(
        find(&items, &cancelled["id"]).is_none(),
        "cancelled maintenance is not shown"
    );

    app.state
        .clock
        .advance(Duration::days(8) + Duration::minutes(30));
    let items = seen(&app, &admin.access).await;
    assert_eq!(find(&items, &m["id"]).unwrap()["status"], "in_progress");

    app.state.clock.advance(Duration::hours(2));
    let items = seen(&app, &admin.access).await;
    assert!(
        find(&items, &m["id"]).is_none(),
        "completed maintenance leaves the list"
    );
    let all: Value = app
        .get_auth("/api/v1/ops/notices?kind=maintenance", &ops)
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["cancelled", "completed"], "{all}");
    let done = format!("/api/v1/ops/notices/{}", m["id"].as_str().unwrap());
    let res = app.send_auth(Method::DELETE, &done, &ops, None).await;
    assert_problem(res, 409, "notice_closed").await;
}

#[tokio::test]
async fn incidents_move_through_their_stages_with_timestamped_updates() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let ops = operator(&app, "ops@crepo.example").await;
    let incident = published(&app, &ops, &notice("incident", None)).await;
    assert_eq!(incident["status"], "investigating");
    let updates = format!(
        "/api/v1/ops/notices/{}/updates",
        incident["id"].as_str().unwrap()
    );
    for stage in ["identified", "monitoring", "resolved"] {
        let body = json!({ "status": stage, "body": { "ja": format!("{stage} です") } });
        let res = app
            .send_auth(Method::POST, &updates, &ops, Some(&body))
            .await;
        assert_eq!(res.status(), 201);
    }
    let bad = json!({ "status": "scheduled", "body": { "ja": "x" } });
    let res = app
        .send_auth(Method::POST, &updates, &ops, Some(&bad))
        .await;
    assert_problem(res, 422, "validation_failed").await;

    let items = seen(&app, &admin.access).await;
    let shown = find(&items, &incident["id"]).expect("resolved within 7 days is still shown");
    assert_eq!(shown["status"], "resolved");
    let stages: Vec<&str> = shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["identified", "monitoring", "resolved"]);
    let times: Vec<&str> = shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    let path = format!("/api/v1/ops/notices/{}", incident["id"].as_str().unwrap());
    let res = app.send_auth(Method::DELETE, &path, &ops, None).await;
    assert_problem(res, 409, "not_cancellable").await;
    let m = published(&app, &ops, &maintenance(Duration::days(8))).await;
    let m_updates = format!("/api/v1/ops/notices/{}/updates", m["id"].as_str().unwrap());
    let body = json!({ "status": "identified", "body": { "ja": "x" } });
    let res = app
        .send_auth(Method::POST, &m_updates, &ops, Some(&body))
        .await;
    assert_problem(res, 409, "no_updates").await;

    app.state
        .clock
        .advance(Duration::days(7) + Duration::minutes(1));
    let items = seen(&app, &admin.access).await;
    assert!(
        find(&items, &incident["id"]).is_none(),
        "resolved over 7 days ago is gone"
    );

    let audit: Value = app
        .get_auth("/api/v1/ops/audit", &ops)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["notice.published", "notice.update_posted"] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_tenant_never_sees_notices_addressed_only_to_others() {
    let app = TestApp::spawn().await;
    let acme = app.admin("acme").await;
    let beta = app.admin("beta").await;
    let ops = operator(&app, "ops@crepo.example").await;
    let everyone = published(&app, &ops, &notice("vulnerability", None)).await;
    let only_acme = published(
        &app,
        &ops,
        &notice("vulnerability", Some(vec![acme.tenant_id.to_string()])),
    )
    .await;
    assert_eq!(only_acme["tenant_ids"], json!([acme.tenant_id.to_string()]));

    let acme_sees = seen(&app, &acme.access).await;
    assert!(find(&acme_sees, &everyone["id"]).is_some());
    assert!(find(&acme_sees, &only_acme["id"]).is_some());
    assert!(
        acme_sees.iter().all(|n| n.get("tenant_ids").is_none()),
        "tenants do not see the audience"
    );
    let beta_sees = seen(&app, &beta.access).await;
    assert!(find(&beta_sees, &everyone["id"]).is_some());
    assert!(find(&beta_sees, &only_acme["id"]).is_none());

    let foreign = format!("/api/v1/notices/{}/read", only_acme["id"].as_str().unwrap());
    let res = app
        .send_auth(Method::POST, &foreign, &beta.access, None)
        .await;
    assert_problem(res, 404, "not_found").await;
    let unknown = format!("/api/v1/notices/{}/read", uuid::Uuid::now_v7());
    let res = app
        .send_auth(Method::POST, &unknown, &beta.access, None)
        .await;
    assert_problem(res, 404, "not_found").await;

    // An audience naming a tenant that does not exist would reach no one.
    let typo = notice(
        "incident",
        Some(vec![
            acme.tenant_id.to_string(),
            uuid::Uuid::now_v7().to_string(),
        ]),
    );
    let problem = assert_problem(publish(&app, &ops, &typo).await, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "unknown_tenant", "{problem}");
    assert_eq!(
        problem["errors"][0]["field"], "audience.tenant_ids[1]",
        "{problem}"
    );
}

#[tokio::test]
async fn read_marks_belong_to_each_user() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, temp) = app
        .create_user(&admin, "v@acme.example", &["viewer"], None)
        .await;
    let t: Value = app
        .login("acme", "v@acme.example", &temp)
        .await
        .json()
        .await
        .unwrap();
    let viewer = t["access_token"].as_str().unwrap().to_owned();
    // Before the temporary password is changed, notices wait too.
    assert_problem(
        app.get_auth("/api/v1/notices", &viewer).await,
        403,
        "password_change_required",
    )
    .await;
    let change = json!({ "current_password": temp, "new_password": "viewer passphrase 123" });
    let res = app
        .send_auth(Method::PUT, "/api/v1/me/password", &viewer, Some(&change))
        .await;
    assert!(res.status().is_success());

    let ops = operator(&app, "ops@crepo.example").await;
    let release = published(&app, &ops, &notice("release", None)).await;
    let path = format!("/api/v1/notices/{}/read", release["id"].as_str().unwrap());
    for _ in 0..2 {
        let res = app
            .send_auth(Method::POST, &path, &admin.access, None)
            .await;
        assert_eq!(res.status(), 204, "marking read twice is fine");
    }
    assert_eq!(
        find(&seen(&app, &admin.access).await, &release["id"]).unwrap()["read"],
        true
    );
    assert_eq!(
        find(&seen(&app, &viewer).await, &release["id"]).unwrap()["read"],
        false
    );
}

#[tokio::test]
async fn a_notice_that_moves_to_a_new_phase_is_unread_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let ops = operator(&app, "ops@crepo.example").await;
    let m = published(&app, &ops, &maintenance(Duration::days(8))).await;
    let incident = published(&app, &ops, &notice("incident", None)).await;
    for n in [&m, &incident] {
        let path = format!("/api/v1/notices/{}/read", n["id"].as_str().unwrap());
        let res = app
            .send_auth(Method::POST, &path, &admin.access, None)
            .await;
        assert_eq!(res.status(), 204);
    }
    let items = seen(&app, &admin.access).await;
    assert_eq!(find(&items, &m["id"]).unwrap()["read"], true);
    assert_eq!(find(&items, &incident["id"]).unwrap()["read"], true);

    let updates = format!(
        "/api/v1/ops/notices/{}/updates",
        incident["id"].as_str().unwrap()
    );
    let body = json!({ "status": "identified", "body": { "ja": "原因を特定しました" } });
    assert_eq!(
        app.send_auth(Method::POST, &updates, &ops, Some(&body))
            .await
            .status(),
        201
    );
    app.state
        .clock
        .advance(Duration::days(8) + Duration::minutes(1));
    let items = seen(&app, &admin.access).await;
    let started = find(&items, &m["id"]).unwrap();
    assert_eq!(started["status"], "in_progress");
    assert_eq!(
        started["read"], false,
        "the maintenance has started: a new phase"
    );
    assert_eq!(
        find(&items, &incident["id"]).unwrap()["read"],
        false,
        "a new stage"
    );
}

#[tokio::test]
async fn the_operator_api_refuses_tenant_tokens_and_operator_tokens_without_their_code() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    create_operator(&app.env, "ops@crepo.example");
    let mfa_token = ops_login(&app, "ops@crepo.example").await;
    let body = notice("incident", None);
    for token in [admin.access.as_str(), mfa_token.as_str()] {
        assert_problem(publish(&app, token, &body).await, 401, "invalid_token").await;
        assert_problem(
            app.get_auth("/api/v1/ops/notices", token).await,
            401,
            "invalid_token",
        )
        .await;
    }
    let res = app
        .client
        .get(app.url("/api/v1/ops/notices"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // And an operator token is no tenant token.
    let ops = operator(&app, "ops2@crepo.example").await;
    assert_problem(
        app.get_auth("/api/v1/notices", &ops).await,
        401,
        "invalid_token",
    )
    .await;
}
