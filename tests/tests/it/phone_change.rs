//! The second factor is re-authenticated (issue 16, item 8): changing one's
//! own phone needs the current password and a code texted to the new
//! number, which becomes the factor only then.

use crepo_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const OLD: &str = "+819012345678";
const NEW: &str = "+819087654321";
const PW: &str = "correct horse battery staple";

async fn me_phone(app: &TestApp, token: &str) -> Value {
    let me: Value = app
        .get_auth("/api/v1/me", token)
        .await
        .json()
        .await
        .unwrap();
    me["phone"].clone()
}

#[tokio::test]
async fn a_new_phone_needs_the_password_and_a_code_sent_to_it_before_it_counts() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let other_session = app.admin_session("acme").await;
    let start = |body: Value| {
        let (app, token) = (&app, admin.access.clone());
        async move {
            app.send_auth(Method::POST, "/api/v1/me/phone", &token, Some(&body))
                .await
        }
    };
    let p = assert_problem(
        start(json!({ "phone": NEW, "current_password": "not my password" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "current_password", "{p}");
    let res = start(json!({ "phone": NEW, "current_password": PW })).await;
    assert_eq!(res.status(), 202);
    let challenge: Value = res.json().await.unwrap();
    assert!(challenge["phone_masked"]
        .as_str()
        .unwrap()
        .ends_with("4321"));
    let code = app.last_code(NEW);
    // Nothing changed yet: the old phone is still the factor.
    assert_eq!(me_phone(&app, &admin.access).await, OLD);

    let confirm = |code: &str| {
        let (app, token) = (&app, admin.access.clone());
        let body = json!({ "phone_token": challenge["phone_token"], "code": code });
        async move {
            app.send_auth(
                Method::POST,
                "/api/v1/me/phone/confirm",
                &token,
                Some(&body),
            )
            .await
        }
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_problem(confirm(wrong).await, 401, "invalid_code").await;
    let res = confirm(&code).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(me_phone(&app, &admin.access).await, NEW);
    // The other session ended; the old number was told.
    assert_eq!(
        app.get_auth("/api/v1/me", &other_session.access)
            .await
            .status(),
        401
    );
    assert!(app
        .outbox()
        .iter()
        .any(|m| m["to"] == OLD && m["body"].as_str().unwrap().contains("変更")));
    // The next sign-in texts the new number.
    let res = app.login("acme", "owner@acme.example", PW).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["mfa_required"], true);
    assert!(body["phone_masked"].as_str().unwrap().ends_with("4321"));
}

#[tokio::test]
async fn a_phone_token_confirms_only_for_the_user_it_was_issued_to() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, viewer) = app
        .user(
            &admin,
            "viewer@acme.example",
            &["viewer"],
            None,
            "viewer passphrase here",
        )
        .await;
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/me/phone",
            &admin.access,
            Some(&json!({ "phone": NEW, "current_password": PW })),
        )
        .await;
    let challenge: Value = res.json().await.unwrap();
    let body = json!({ "phone_token": challenge["phone_token"], "code": app.last_code(NEW) });
    assert_problem(
        app.send_auth(
            Method::POST,
            "/api/v1/me/phone/confirm",
            &viewer.access,
            Some(&body),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(me_phone(&app, &admin.access).await, OLD);
}
