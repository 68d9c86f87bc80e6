use crepo_api::entities::shared::{mfa_challenge, sms_send};
use crepo_tests::{assert_problem, TestApp};
use sea_orm::{sea_query::Expr, EntityTrait};
use serde_json::{json, Value};

const PW: &str = "correct horse battery staple";
const PHONE: &str = "+819012345678";

async fn start(app: &TestApp) -> String {
    let body: Value = app
        .login("acme", "owner@acme.example", PW)
        .await
        .json()
        .await
        .unwrap();
    body["mfa_token"].as_str().unwrap().to_owned()
}

async fn enter(app: &TestApp, token: &str, code: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/mfa",
        &json!({ "mfa_token": token, "code": code }),
    )
    .await
}

fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// Moves every challenge and send of the tenant `secs` into the past.
async fn age(app: &TestApp, tenant: crepo_api::ids::TenantId, secs: i64) {
    let db = app.db().await;
    let tx = db.tenant_tx(tenant).await.unwrap();
    let past = chrono::Utc::now() - chrono::Duration::seconds(secs);
    mfa_challenge::Entity::update_many()
        .col_expr(mfa_challenge::Column::ExpiresAt, Expr::value(past))
        .exec(&tx)
        .await
        .unwrap();
    sms_send::Entity::update_many()
        .col_expr(sms_send::Column::SentAt, Expr::value(past))
        .exec(&tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn five_wrong_codes_kill_the_challenge() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let token = start(&app).await;
    let code = app.last_code(PHONE);
    for _ in 0..5 {
        assert_problem(
            enter(&app, &token, &wrong(&code)).await,
            401,
            "invalid_code",
        )
        .await;
    }
    assert_problem(enter(&app, &token, &code).await, 401, "code_locked").await;
}

#[tokio::test]
async fn a_code_works_once() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let token = start(&app).await;
    let code = app.last_code(PHONE);
    assert_eq!(enter(&app, &token, &code).await.status(), 200);
    assert_problem(enter(&app, &token, &code).await, 401, "code_used").await;
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = TestApp::spawn().await;
    let tenant: crepo_api::ids::TenantId = app.signup_ok("acme").await["tenant"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let token = start(&app).await;
    let code = app.last_code(PHONE);
    age(&app, tenant, 1).await;
    assert_problem(enter(&app, &token, &code).await, 401, "code_expired").await;
}

#[tokio::test]
async fn resending_waits_30_seconds_caps_at_five_an_hour_and_replaces_the_code() {
    let app = TestApp::spawn().await;
    let tenant: crepo_api::ids::TenantId = app.signup_ok("acme").await["tenant"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let token = start(&app).await;
    let first = app.last_code(PHONE);
    let resend_body = json!({ "mfa_token": token });
    let resend = || app.post_json("/api/v1/auth/mfa/resend", &resend_body);

    let res = resend().await;
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_problem(res, 429, "rate_limited").await;

    // 31 seconds later (the sends move back in time, the code stays valid).
    for sends in 2..=5 {
        age_sends_only(&app, tenant, 31).await;
        let res = resend().await;
        assert_eq!(res.status(), 202, "send #{sends}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["phone_masked"], "+81******5678");
    }
    age_sends_only(&app, tenant, 31).await;
    assert_problem(resend().await, 429, "rate_limited").await;

    let latest = app.last_code(PHONE);
    if latest != first {
        assert_problem(enter(&app, &token, &first).await, 401, "invalid_code").await;
    }
    assert_eq!(enter(&app, &token, &latest).await.status(), 200);
    assert_eq!(app.outbox().len(), 5);
}

/// Moves only the sends back, keeping them within the hour.
async fn age_sends_only(app: &TestApp, tenant: crepo_api::ids::TenantId, secs: i64) {
    let db = app.db().await;
    let tx = db.tenant_tx(tenant).await.unwrap();
    sms_send::Entity::update_many()
        .col_expr(
            sms_send::Column::SentAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(secs)),
        )
        .exec(&tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn an_mfa_token_is_not_an_access_token() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let token = start(&app).await;
    assert_problem(
        app.get_auth("/api/v1/me", &token).await,
        401,
        "invalid_token",
    )
    .await;
    let code = app.last_code(PHONE);
    assert_problem(
        app.post_json(
            "/api/v1/ops/auth/mfa",
            &json!({ "mfa_token": token, "code": code }),
        )
        .await,
        401,
        "invalid_token",
    )
    .await;
}
