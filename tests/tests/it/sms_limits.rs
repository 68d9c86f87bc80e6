//! SMS cannot be pumped (issue 16, item 7): budgets per tenant and for the
//! platform, numbers in denied ranges never texted, and a cap on users.

use crepo_tests::{assert_problem, TestApp, TestEnv};
use serde_json::{json, Value};

const PW: &str = "a long enough passphrase";

/// An administrator with `phone` who has chosen a password; the login that
/// follows needs a text. Returns nothing: the caller logs in.
async fn privileged_user(app: &TestApp, admin: &crepo_tests::Session, email: &str, phone: &str) {
    let (_, temporary) = app.create_user(admin, email, &["admin"], Some(phone)).await;
    app.first_login(&admin.tenant, email, &temporary, Some(phone), PW)
        .await;
}

async fn refused(app: &TestApp, reason: &str) -> bool {
    let metrics = app.get("/metrics").await.text().await.unwrap();
    metrics.contains(&format!("crepo_sms_refused_total{{reason=\"{reason}\"}} 1"))
}

#[tokio::test]
async fn texts_stop_at_the_tenants_budget_while_other_tenants_get_theirs() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_SMS_TENANT_HOUR", "3");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("acme").await; // text 1
    privileged_user(&app, &admin, "second@acme.example", "+819011112222").await; // text 2
    privileged_user(&app, &admin, "third@acme.example", "+819011113333").await; // text 3
    let texts_before = app.outbox().len();
    let res = app.login("acme", "third@acme.example", PW).await;
    let problem = assert_problem(res, 429, "rate_limited").await;
    assert!(
        problem["retry_after"].is_number() || problem.get("detail").is_some(),
        "{problem}"
    );
    assert_eq!(
        app.outbox().len(),
        texts_before,
        "a text went out past the budget"
    );
    assert!(refused(&app, "tenant_budget").await);
    // Another tenant has its own budget.
    app.admin("beta").await;
}

#[tokio::test]
async fn the_platform_budget_caps_every_tenant_together() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_SMS_PLATFORM_HOUR", "2");
    let app = TestApp::spawn_with(env).await;
    app.admin("acme").await;
    app.admin("beta").await;
    app.signup_ok("gamma").await;
    let res = app
        .login(
            "gamma",
            "owner@gamma.example",
            "correct horse battery staple",
        )
        .await;
    assert_problem(res, 429, "rate_limited").await;
    assert!(refused(&app, "platform_budget").await);
}

#[tokio::test]
async fn numbers_in_denied_ranges_are_never_texted() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, temporary) = app
        .create_user(
            &admin,
            "premium@acme.example",
            &["admin"],
            Some("+882123456789"),
        )
        .await;
    let res = app.login("acme", "premium@acme.example", &temporary).await;
    assert_problem(res, 403, "phone_not_allowed").await;
    assert!(!app.outbox().iter().any(|m| m["to"] == "+882123456789"));
    assert!(refused(&app, "denied_prefix").await);
}

#[tokio::test]
async fn a_tenant_cannot_hold_more_users_than_the_cap() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_TENANT_MAX_USERS", "2");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("acme").await;
    app.create_user(&admin, "one@acme.example", &["viewer"], None)
        .await;
    let res = app
        .send_auth(
            reqwest::Method::POST,
            "/api/v1/users",
            &admin.access,
            Some(&json!({ "email": "two@acme.example", "name": "二人目" })),
        )
        .await;
    let problem: Value = assert_problem(res, 409, "user_limit_reached").await;
    assert!(
        problem["detail"].as_str().unwrap().contains('2'),
        "{problem}"
    );
}
