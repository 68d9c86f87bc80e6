use crepo_tests::{assert_problem, signup_body, TestApp, TestEnv};
use reqwest::Method;
use serde_json::{json, Value};

const PW: &str = "correct horse battery staple";

#[tokio::test]
async fn an_admin_logs_in_with_password_then_the_sms_code() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let res = app.login("acme", "OWNER@acme.example", PW).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["mfa_required"], true);
    assert_eq!(body["phone_masked"], "+81******5678");
    assert!(body.get("access_token").is_none(), "{body}");
    let code = app.last_code("+819012345678");

    let res = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({ "mfa_token": body["mfa_token"], "code": code }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert_eq!(tokens["password_change_required"], false);
    assert!(tokens["refresh_token"]
        .as_str()
        .unwrap()
        .starts_with("crt_"));

    let me: Value = app
        .get_auth("/api/v1/me", tokens["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "owner@acme.example");
    assert_eq!(me["tenant"]["slug"], "acme");
    assert_eq!(me["roles"][0]["name"], "admin");
    let perms: Vec<&str> = me["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        perms.contains(&"users.manage") && perms.contains(&"exports.create"),
        "{perms:?}"
    );
}

#[tokio::test]
async fn every_login_failure_looks_the_same() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (user, temp) = app
        .create_user(&admin, "viewer@acme.example", &["viewer"], None)
        .await;
    // Disable the viewer.
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let res = app
        .send_auth(
            Method::PATCH,
            &path,
            &admin.access,
            Some(&json!({ "status": "disabled" })),
        )
        .await;
    assert_eq!(res.status(), 200);

    let attempts = [
        ("no-such-tenant", "owner@acme.example", PW),
        ("acme", "nobody@acme.example", PW),
        ("acme", "owner@acme.example", "wrong password entirely"),
        ("acme", "viewer@acme.example", temp.as_str()),
    ];
    let mut bodies = Vec::new();
    for (tenant, email, password) in attempts {
        let problem = assert_problem(
            app.login(tenant, email, password).await,
            401,
            "invalid_credentials",
        )
        .await;
        bodies.push(problem);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
}

#[tokio::test]
async fn accounts_lock_after_the_threshold_and_unlock_when_it_expires() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    app.edit_policy(&admin, |policy| {
        policy["lockout_threshold"] = json!(3);
        policy["lockout_minutes"] = json!(5);
    })
    .await;

    for _ in 0..3 {
        assert_problem(
            app.login("acme", "owner@acme.example", "not the password at all")
                .await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    // Locked: even the right password is refused, the same way.
    assert_problem(
        app.login("acme", "owner@acme.example", PW).await,
        401,
        "invalid_credentials",
    )
    .await;
    let listed: Value = app
        .get_auth(&format!("/api/v1/users/{}", admin.user_id), &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["locked"], true);

    // Time passes: the lock's end moves into the past.
    shift_lock_into_past(&app, &admin).await;
    let res = app.login("acme", "owner@acme.example", PW).await;
    assert_eq!(res.status(), 200);
}

async fn shift_lock_into_past(app: &TestApp, admin: &crepo_tests::Session) {
    use crepo_api::entities::tenant::user;
    use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
    let db = app.db().await;
    let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
    user::Entity::update_many()
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(user::Column::Id.eq(admin.user_id))
        .exec(&tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn logins_are_throttled_per_client_address() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOGIN_RATE_LIMIT", "3/60");
    let app = TestApp::spawn_with(env).await;
    app.signup(&signup_body("acme")).await;
    crepo_tests::inside_one_window(60).await;
    for _ in 0..3 {
        assert_eq!(
            app.login("acme", "owner@acme.example", "guess guess guess")
                .await
                .status(),
            401
        );
    }
    let res = app.login("acme", "owner@acme.example", PW).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_user_created_by_an_admin_must_change_the_temporary_password_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, temp) = app
        .create_user(&admin, "Viewer@Acme.example", &["viewer"], None)
        .await;
    assert!(temp.chars().count() >= 20);

    // A viewer holds nothing privileged: tokens come at once, flagged.
    let res = app.login("acme", "viewer@acme.example", &temp).await;
    let tokens: Value = res.json().await.unwrap();
    assert_eq!(tokens["password_change_required"], true);
    let token = tokens["access_token"].as_str().unwrap();

    assert_problem(
        app.get_auth("/api/v1/users", token).await,
        403,
        "password_change_required",
    )
    .await;
    assert_eq!(app.get_auth("/api/v1/me", token).await.status(), 200);
    let change = json!({ "current_password": temp, "new_password": "a fresh viewer passphrase" });
    let res = app
        .send_auth(Method::PUT, "/api/v1/me/password", token, Some(&change))
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(app.get_auth("/api/v1/users", token).await.status(), 200);

    // The temporary password is gone.
    assert_eq!(
        app.login("acme", "viewer@acme.example", &temp)
            .await
            .status(),
        401
    );
    let again: Value = app
        .login("acme", "viewer@acme.example", "a fresh viewer passphrase")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["password_change_required"], false);
}
