use std::{io::Write, process::Stdio};

use crepo_tests::{
    assert_problem,
    binary::crepo,
    operators::{create_operator, ops_login, ops_mfa, OPS_PHONE, OPS_PW},
    TestApp,
};
use serde_json::{json, Value};

/// Password, then code (`ops_mfa` also checks that no refresh token comes).
async fn ops_token(app: &TestApp, email: &str) -> String {
    let mfa_token = ops_login(app, email).await;
    // Before the code, the MFA token opens nothing.
    assert_problem(
        app.get_auth("/api/v1/ops/tenants", &mfa_token).await,
        401,
        "invalid_token",
    )
    .await;
    ops_mfa(app, &mfa_token, &app.last_code(OPS_PHONE)).await
}

#[tokio::test]
async fn an_operator_created_by_the_cli_logs_in_with_the_code_and_every_action_is_audited() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    app.signup_ok("beta").await;
    let printed = create_operator(&app.env, "ops@crepo.example");
    assert!(printed.contains("ops@crepo.example"), "{printed}");

    let token = ops_token(&app, "ops@crepo.example").await;
    let page: Value = app
        .get_auth("/api/v1/ops/tenants", &token)
        .await
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["acme", "beta"]);
    let page: Value = app
        .get_auth("/api/v1/ops/tenants?limit=1", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["next_cursor"].is_string());

    let audit: Value = app
        .get_auth("/api/v1/ops/audit", &token)
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
    // Newest first.
    assert_eq!(
        actions,
        [
            "tenants.listed",
            "tenants.listed",
            "operator.login.succeeded",
            "operator.code.sent",
            "operator.created"
        ],
        "{audit}"
    );
    let created = audit["items"].as_array().unwrap().last().unwrap();
    assert_eq!(created["actor_kind"], "cli");
    assert_eq!(audit["items"][0]["actor_email"], "ops@crepo.example");
    assert!(!audit.to_string().contains(OPS_PW));
}

#[tokio::test]
async fn the_cli_reads_the_password_from_standard_input_and_refuses_weak_ones() {
    let app = TestApp::spawn().await;
    let mut child = crepo(&app.env)
        .args([
            "operator",
            "create",
            "--email",
            "stdin@crepo.example",
            "--phone",
            OPS_PHONE,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{OPS_PW}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    ops_token(&app, "stdin@crepo.example").await;

    let weak = crepo(&app.env)
        .args([
            "operator",
            "create",
            "--email",
            "weak@crepo.example",
            "--phone",
            OPS_PHONE,
        ])
        .env("CREPO_OPERATOR_PASSWORD", "password")
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"));
    let dup = crepo(&app.env)
        .args([
            "operator",
            "create",
            "--email",
            "STDIN@crepo.example",
            "--phone",
            OPS_PHONE,
        ])
        .env("CREPO_OPERATOR_PASSWORD", OPS_PW)
        .output()
        .unwrap();
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
}

#[tokio::test]
async fn an_operator_token_is_refused_by_every_tenant_endpoint() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    create_operator(&app.env, "ops@crepo.example");
    let token = ops_token(&app, "ops@crepo.example").await;
    for path in [
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/settings/password-policy",
    ] {
        assert_problem(app.get_auth(path, &token).await, 401, "invalid_token").await;
    }
    let wrong = app
        .post_json(
            "/api/v1/ops/auth/login",
            &json!({ "email": "ops@crepo.example", "password": "nope nope nope" }),
        )
        .await;
    assert_problem(wrong, 401, "invalid_credentials").await;
    let unknown = app
        .post_json(
            "/api/v1/ops/auth/login",
            &json!({ "email": "who@crepo.example", "password": OPS_PW }),
        )
        .await;
    assert_problem(unknown, 401, "invalid_credentials").await;
}
