//! One's own sessions (`/me/sessions`) and the password rules the sign-in
//! screens show.

use crepo_tests::{assert_problem, TestApp};
use reqwest::{header, Method};
use serde_json::{json, Value};

/// A session of the admin with a recognisable browser.
async fn admin_on(app: &TestApp, slug: &str, agent: &str) -> (String, Value) {
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header(header::USER_AGENT, agent)
        .json(&json!({ "tenant": slug, "email": format!("owner@{slug}.example"), "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    let challenge: Value = login.json().await.unwrap();
    let code = app.last_code("+819012345678");
    let tokens: Value = app
        .client
        .post(app.url("/api/v1/auth/mfa"))
        .header(header::USER_AGENT, agent)
        .json(&json!({ "mfa_token": challenge["mfa_token"], "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (tokens["access_token"].as_str().unwrap().to_owned(), tokens)
}

async fn my_sessions(app: &TestApp, access: &str) -> Vec<Value> {
    let res = app.get_auth("/api/v1/me/sessions", access).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn my_sessions_show_where_i_am_signed_in_and_ending_one_signs_that_device_out() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let (laptop, _) = admin_on(&app, "acme", "Laptop Chrome").await;
    let (phone, phone_tokens) = admin_on(&app, "acme", "Phone Safari").await;

    let sessions = my_sessions(&app, &laptop).await;
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["user_agent"], "Laptop Chrome");
    assert_eq!(current[0]["ip"], "127.0.0.1");
    let other = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["user_agent"], "Phone Safari");

    let res = app
        .send_auth(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{}", other["id"].as_str().unwrap()),
            &laptop,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_problem(
        app.get_auth("/api/v1/me", &phone).await,
        401,
        "session_expired",
    )
    .await;
    let refresh = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": phone_tokens["refresh_token"] }),
        )
        .await;
    assert_problem(refresh, 401, "session_expired").await;
    assert_eq!(my_sessions(&app, &laptop).await.len(), 1);
    // Ending an ended session again: there is no such live session.
    let again = app
        .send_auth(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{}", other["id"].as_str().unwrap()),
            &laptop,
            None,
        )
        .await;
    assert_problem(again, 404, "not_found").await;

    // The access log says who ended what.
    app.settle_log().await;
    let log: Value = app
        .get_auth("/api/v1/me/access-logs?event=auth.session.ended", &laptop)
        .await
        .json()
        .await
        .unwrap();
    let ended = log["items"].as_array().unwrap();
    assert_eq!(ended.len(), 1, "{log}");
    assert_eq!(ended[0]["details"]["session_id"], other["id"]);
}

#[tokio::test]
async fn signing_out_everywhere_else_keeps_only_this_session() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let (here, _) = admin_on(&app, "acme", "Here").await;
    let (a, _) = admin_on(&app, "acme", "A").await;
    let (b, _) = admin_on(&app, "acme", "B").await;
    let res = app
        .send_auth(Method::DELETE, "/api/v1/me/sessions", &here, None)
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ended"], 2);
    for gone in [&a, &b] {
        assert_problem(
            app.get_auth("/api/v1/me", gone).await,
            401,
            "session_expired",
        )
        .await;
    }
    let left = my_sessions(&app, &here).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["current"], true);
}

#[tokio::test]
async fn nobody_can_see_or_end_another_users_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, viewer) = app
        .user(
            &admin,
            "v@acme.example",
            &["viewer"],
            None,
            "viewer password 2026!",
        )
        .await;
    let stranger = app.admin("other").await;
    let viewer_sessions = my_sessions(&app, &viewer.access).await;
    assert!(
        viewer_sessions.iter().all(|s| s["current"] == true),
        "{viewer_sessions:?}"
    );
    let admin_session_id = my_sessions(&app, &admin.access).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Another user of the same tenant, and an admin of another tenant.
    for attacker in [&viewer.access, &stranger.access] {
        let res = app
            .send_auth(
                Method::DELETE,
                &format!("/api/v1/me/sessions/{admin_session_id}"),
                attacker,
                None,
            )
            .await;
        assert_problem(res, 404, "not_found").await;
        assert!(my_sessions(&app, attacker)
            .await
            .iter()
            .all(|s| s["id"] != admin_session_id.as_str()));
    }
    assert_eq!(
        app.get_auth("/api/v1/me", &admin.access).await.status(),
        200
    );
    let bad = app
        .send_auth(
            Method::DELETE,
            "/api/v1/me/sessions/not-a-uuid",
            &admin.access,
            None,
        )
        .await;
    assert_problem(bad, 400, "invalid_path").await;
}

#[tokio::test]
async fn the_password_rules_are_readable_before_sign_up_and_during_a_forced_change() {
    let app = TestApp::spawn().await;
    let defaults: Value = app
        .get("/api/v1/signup/password-rules")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(defaults["min_length"], 12);
    assert_eq!(defaults["max_length"], 128);

    let admin = app.admin("acme").await;
    app.edit_policy(&admin, |p| {
        p["min_length"] = json!(16);
        p["require_digit"] = json!(true);
    })
    .await;
    let (_, temporary) = app
        .create_user(&admin, "new@acme.example", &["viewer"], None)
        .await;
    let pending = app
        .session("acme", "new@acme.example", &temporary, None)
        .await;
    assert_problem(
        app.get_auth("/api/v1/labels", &pending.access).await,
        403,
        "password_change_required",
    )
    .await;
    let rules: Value = app
        .get_auth("/api/v1/me/password-rules", &pending.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rules["min_length"], 16);
    assert_eq!(rules["require_digit"], true);
    assert_problem(
        app.get("/api/v1/me/password-rules").await,
        401,
        "missing_token",
    )
    .await;
}
