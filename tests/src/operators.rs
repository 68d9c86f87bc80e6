//! The provider's operators: created by the CLI, signed in with password and
//! SMS code.

use serde_json::{json, Value};

use crate::{binary::crepo, TestApp, TestEnv};

pub const OPS_PW: &str = "operator passphrase for tests";
pub const OPS_PHONE: &str = "+819099998888";

/// `crepo operator create` with [`OPS_PW`] and [`OPS_PHONE`]; returns what it printed.
pub fn create_operator(env: &TestEnv, email: &str) -> String {
    let out = crepo(env)
        .args(["operator", "create", "--email", email, "--phone", OPS_PHONE])
        .env("CREPO_OPERATOR_PASSWORD", OPS_PW)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The first step of an operator login: the MFA token that waits for the code.
pub async fn ops_login(app: &TestApp, email: &str) -> String {
    let res = app
        .post_json(
            "/api/v1/ops/auth/login",
            &json!({ "email": email, "password": OPS_PW }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["mfa_required"], true, "operators always need the code");
    body["mfa_token"].as_str().unwrap().to_owned()
}

/// The second step: the code for the operator's access token.
pub async fn ops_mfa(app: &TestApp, mfa_token: &str, code: &str) -> String {
    let res = app
        .post_json(
            "/api/v1/ops/auth/mfa",
            &json!({ "mfa_token": mfa_token, "code": code }),
        )
        .await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    let tokens: Value = serde_json::from_str(&text).unwrap();
    assert!(
        tokens.get("refresh_token").is_none(),
        "operators get no refresh token"
    );
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// An operator signed in with the code from the SMS outbox.
pub async fn operator(app: &TestApp, email: &str) -> String {
    create_operator(&app.env, email);
    operator_session(app, email).await
}

/// A new session of an existing operator (after the app's clock moved past
/// the last one's timeout).
pub async fn operator_session(app: &TestApp, email: &str) -> String {
    let mfa = ops_login(app, email).await;
    ops_mfa(app, &mfa, &app.last_code(OPS_PHONE)).await
}
