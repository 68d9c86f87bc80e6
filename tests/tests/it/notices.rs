//! Notices: the one-week rule, audience isolation, read marks, and who may
//! use the operator API.

use chrono::{Duration, Utc};
use crepo_tests::{
    assert_problem,
    notices::{find, maintenance, notice, publish, published, seen},
    operators::{create_operator, operator, operator_session, ops_login},
    TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

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
    // Five days on, the operator's session has long timed out.
    let ops = operator_session(&app, "ops@crepo.example").await;
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

    // A title is one line; a reason is at most 2000 characters.
    let mut bad = notice("release", None);
    bad["title"] = json!({ "ja": "改行\nを含む" });
    let problem = assert_problem(publish(&app, &ops, &bad).await, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "title.ja", "{problem}");
    assert_eq!(
        problem["errors"][0]["code"], "invalid_characters",
        "{problem}"
    );
    let mut long = maintenance(Duration::hours(3));
    long["emergency"] = json!(true);
    long["emergency_reason"] = json!("理".repeat(2001));
    let problem = assert_problem(publish(&app, &ops, &long).await, 422, "validation_failed").await;
    assert_eq!(
        problem["errors"][0]["field"], "emergency_reason",
        "{problem}"
    );
    let res = app
        .send_auth(
            Method::PATCH,
            &path,
            &ops,
            Some(&json!({ "emergency_reason": "理".repeat(2001) })),
        )
        .await;
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
    // A release may name the day its change takes effect (12.1.2): then it
    // is announced a week ahead too, and has no end.
    let now = app.state.clock.now();
    let mut release = notice("release", None);
    release["starts_at"] = json!(now + Duration::days(9));
    release["ends_at"] = json!(now + Duration::days(10));
    let problem = assert_problem(
        publish(&app, &ops, &release).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "ends_at", "{problem}");
    let mut soon = notice("release", None);
    soon["starts_at"] = json!(now + Duration::days(3));
    assert_problem(
        publish(&app, &ops, &soon).await,
        422,
        "change_notice_too_short",
    )
    .await;
    soon["emergency"] = json!(true);
    soon["emergency_reason"] = json!("脆弱性対応のため");
    assert_eq!(publish(&app, &ops, &soon).await.status(), 201);
    let mut planned = notice("release", None);
    planned["starts_at"] = json!(now + Duration::days(9));
    let shown = published(&app, &ops, &planned).await;
    assert!(shown["starts_at"].is_string(), "{shown}");
    assert_eq!(
        publish(&app, &ops, &notice("release", None)).await.status(),
        201,
        "a release without a date is as before"
    );
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
