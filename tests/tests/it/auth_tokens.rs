use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use crepo_api::entities::shared::session;
use crepo_tests::{assert_problem, TestApp, TEST_JWT_SECRET};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use sea_orm::{sea_query::Expr, EntityTrait};
use serde_json::{json, Value};

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/refresh", &json!({ "refresh_token": token }))
        .await
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replayed_one_ends_the_session() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let res = refresh(&app, &s.refresh).await;
    assert_eq!(res.status(), 200);
    let next: Value = res.json().await.unwrap();
    let new_refresh = next["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, s.refresh);
    assert_eq!(
        app.get_auth("/api/v1/me", next["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );

    // The old token again, later than a lost answer's retry would come:
    // somebody copied it. The whole session ends.
    app.state.clock.advance(chrono::Duration::seconds(11));
    assert_problem(refresh(&app, &s.refresh).await, 401, "refresh_token_reused").await;
    assert_problem(refresh(&app, new_refresh).await, 401, "session_expired").await;
    assert_problem(
        app.get_auth("/api/v1/me", next["access_token"].as_str().unwrap())
            .await,
        401,
        "session_expired",
    )
    .await;
    assert_problem(refresh(&app, "crt_garbage").await, 401, "invalid_token").await;
}

#[tokio::test]
async fn a_refresh_retried_after_a_lost_answer_keeps_the_session() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    // The answer to this refresh never reached the client (a reload cut it off).
    let lost: Value = refresh(&app, &s.refresh).await.json().await.unwrap();
    app.state.clock.advance(chrono::Duration::seconds(5));
    let res = refresh(&app, &s.refresh).await;
    assert_eq!(res.status(), 200, "a retry within seconds is not a copy");
    let retried: Value = res.json().await.unwrap();
    let access = retried["access_token"].as_str().unwrap();
    assert_eq!(app.get_auth("/api/v1/me", access).await.status(), 200);
    assert_ne!(retried["refresh_token"], lost["refresh_token"]);
    // The chain goes on from the retry's token.
    let next = refresh(&app, retried["refresh_token"].as_str().unwrap()).await;
    assert_eq!(next.status(), 200);
    // Past the grace, the first token is a copy again.
    app.state.clock.advance(chrono::Duration::seconds(11));
    assert_problem(refresh(&app, &s.refresh).await, 401, "refresh_token_reused").await;
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let res = app
        .send_auth(Method::POST, "/api/v1/auth/logout", &s.access, None)
        .await;
    assert_eq!(res.status(), 204);
    assert_problem(
        app.get_auth("/api/v1/me", &s.access).await,
        401,
        "session_expired",
    )
    .await;
    assert_eq!(refresh(&app, &s.refresh).await.status(), 401);
}

#[tokio::test]
async fn a_deleted_or_disabled_users_live_token_is_refused_on_its_next_request() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    for (email, action) in [
        ("gone@acme.example", "delete"),
        ("off@acme.example", "disable"),
    ] {
        let (user, temp) = app.create_user(&admin, email, &["viewer"], None).await;
        let tokens: Value = app.login("acme", email, &temp).await.json().await.unwrap();
        let token = tokens["access_token"].as_str().unwrap();
        assert_eq!(app.get_auth("/api/v1/me", token).await.status(), 200);
        let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
        let res = match action {
            "delete" => {
                app.send_auth(Method::DELETE, &path, &admin.access, None)
                    .await
            }
            _ => {
                app.send_auth(
                    Method::PATCH,
                    &path,
                    &admin.access,
                    Some(&json!({ "status": "disabled" })),
                )
                .await
            }
        };
        assert!(res.status().is_success(), "{action}: {}", res.status());
        assert_problem(
            app.get_auth("/api/v1/me", token).await,
            401,
            "session_expired",
        )
        .await;
        assert_eq!(
            refresh(&app, tokens["refresh_token"].as_str().unwrap())
                .await
                .status(),
            401,
            "{action}"
        );
    }
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn kid_of(token: &str) -> String {
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

fn sign(claims: &Value, secret: &str, kid: &str) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_tokens_are_all_401() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let other = app.admin("other").await;
    let claims = claims_of(&s.access);
    let kid = kid_of(&s.access);
    assert_eq!(claims["aud"], "tenant");
    assert_eq!(claims["iss"], "crepo");
    for key in ["sub", "tid", "sid", "jti", "exp", "iat"] {
        assert!(
            claims.get(key).is_some(),
            "access token lacks {key}: {claims}"
        );
    }

    let alg_none = {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"x"}"#);
        let p = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("{h}.{p}.")
    };
    let wrong_key = sign(&claims, "another-secret-0123456789abcdef0123456789", &kid);
    let mut ops = claims.clone();
    ops["aud"] = json!("ops");
    let wrong_audience = sign(&ops, TEST_JWT_SECRET, &kid);
    let mut old = claims.clone();
    old["exp"] = json!(chrono::Utc::now().timestamp() - 120);
    let expired = sign(&old, TEST_JWT_SECRET, &kid);
    let tampered_tenant = {
        let mut c = claims.clone();
        c["tid"] = json!(other.tenant_id.to_string());
        let parts: Vec<&str> = s.access.split('.').collect();
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(c.to_string()),
            parts[2]
        )
    };
    // Correctly signed, but naming another tenant with this session: no such session there.
    let mut cross = claims.clone();
    cross["tid"] = json!(other.tenant_id.to_string());
    let cross_tenant = sign(&cross, TEST_JWT_SECRET, &kid);
    let unknown_kid = sign(&claims, TEST_JWT_SECRET, "not-a-kid");

    for (name, token) in [
        ("alg none", alg_none),
        ("wrong key", wrong_key),
        ("wrong audience", wrong_audience),
        (
            "expired, wrong key",
            sign(&old, "another-secret-0123456789abcdef0123456789", &kid),
        ),
        ("tampered tenant", tampered_tenant),
        ("unknown kid", unknown_kid),
        ("garbage", "abc.def.ghi".to_owned()),
    ] {
        let res = app.get_auth("/api/v1/me", &token).await;
        assert_eq!(res.status(), 401, "{name}");
        let problem = assert_problem(res, 401, "invalid_token").await;
        assert!(!problem.to_string().contains("owner@"), "{name}: {problem}");
    }
    // Only a genuine token that ran out says so: the client refreshes it.
    assert_problem(
        app.get_auth("/api/v1/me", &expired).await,
        401,
        "token_expired",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/me", &cross_tenant).await,
        401,
        "session_expired",
    )
    .await;
    assert_problem(
        app.client.get(app.url("/api/v1/me")).send().await.unwrap(),
        401,
        "missing_token",
    )
    .await;
}

async fn shift_session(
    app: &TestApp,
    s: &crepo_tests::Session,
    column: session::Column,
    minutes: i64,
) {
    let db = app.db().await;
    let tx = db.tenant_tx(s.tenant_id).await.unwrap();
    session::Entity::update_many()
        .col_expr(
            column,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(minutes)),
        )
        .exec(&tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn sessions_end_after_the_idle_timeout_and_the_absolute_lifetime() {
    let app = TestApp::spawn().await;
    let idle = app.admin("idle").await;
    shift_session(&app, &idle, session::Column::LastSeenAt, 31).await;
    assert_problem(
        app.get_auth("/api/v1/me", &idle.access).await,
        401,
        "session_expired",
    )
    .await;
    assert_problem(refresh(&app, &idle.refresh).await, 401, "session_expired").await;

    let old = app.admin("old").await;
    shift_session(&app, &old, session::Column::ExpiresAt, 1).await;
    assert_problem(
        app.get_auth("/api/v1/me", &old.access).await,
        401,
        "session_expired",
    )
    .await;
}

#[tokio::test]
async fn changing_the_password_ends_the_users_other_sessions() {
    let app = TestApp::spawn().await;
    let first = app.admin("acme").await;
    let second = app
        .session(
            "acme",
            "owner@acme.example",
            "correct horse battery staple",
            Some("+819012345678"),
        )
        .await;
    let change = json!({ "current_password": "correct horse battery staple", "new_password": "an entirely new passphrase" });
    let res = app
        .send_auth(
            Method::PUT,
            "/api/v1/me/password",
            &first.access,
            Some(&change),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.get_auth("/api/v1/me", &first.access).await.status(),
        200
    );
    assert_problem(
        app.get_auth("/api/v1/me", &second.access).await,
        401,
        "session_expired",
    )
    .await;
}

#[tokio::test]
async fn a_tenant_token_is_refused_by_the_operator_api() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    for path in ["/api/v1/ops/tenants", "/api/v1/ops/audit"] {
        assert_problem(app.get_auth(path, &s.access).await, 401, "invalid_token").await;
    }
}
