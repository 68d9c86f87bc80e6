//! Temporary passwords expire (issue 16, item 9), and administrators issue
//! new ones without ever seeing anyone's chosen password.

use crepo_tests::{assert_problem, logs, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const CHOSEN: &str = "a passphrase of my own choosing";

async fn reset(app: &TestApp, token: &str, user_id: &str) -> reqwest::Response {
    app.send_auth(
        Method::POST,
        &format!("/api/v1/users/{user_id}/password-reset"),
        token,
        None,
    )
    .await
}

#[tokio::test]
async fn an_expired_temporary_password_signs_in_nowhere_and_says_so_until_a_new_one_is_issued() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (user, temporary) = app
        .create_user(&admin, "new@acme.example", &["viewer"], None)
        .await;
    app.state.clock.advance(chrono::Duration::hours(73));
    let refused = assert_problem(
        app.login("acme", "new@acme.example", &temporary).await,
        401,
        "temporary_password_expired",
    )
    .await;
    assert!(refused["detail"]
        .as_str()
        .unwrap()
        .contains("administrator"));
    // A wrong password still learns nothing about it.
    assert_problem(
        app.login("acme", "new@acme.example", "not the temporary one")
            .await,
        401,
        "invalid_credentials",
    )
    .await;

    let admin = app.admin_session("acme").await;
    let entry = logs::wait_for(&app, &admin.access, |e| {
        e["details"]["reason"] == "temporary_password_expired"
    })
    .await;
    assert_eq!(entry["event"], "auth.login.failed");
    assert_eq!(entry["user_email"], "new@acme.example");

    let res = reset(&app, &admin.access, user["id"].as_str().unwrap()).await;
    assert_eq!(res.status(), 200);
    let issued: Value = res.json().await.unwrap();
    let expires: chrono::DateTime<chrono::Utc> =
        issued["expires_at"].as_str().unwrap().parse().unwrap();
    let in_hours = (expires - app.state.clock.now()).num_minutes() as f64 / 60.0;
    assert!((71.9..=72.0).contains(&in_hours), "{in_hours}");
    let new_temporary = issued["temporary_password"].as_str().unwrap();
    assert_problem(
        app.login("acme", "new@acme.example", &temporary).await,
        401,
        "invalid_credentials",
    )
    .await;
    app.first_login("acme", "new@acme.example", new_temporary, None, CHOSEN)
        .await;
    // A password the user chose does not expire by this rule.
    app.state.clock.advance(chrono::Duration::hours(200));
    assert_eq!(
        app.login("acme", "new@acme.example", CHOSEN).await.status(),
        200
    );
}

#[tokio::test]
async fn the_policy_says_how_many_hours_a_temporary_password_lasts() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    app.edit_policy(&admin, |p| {
        assert_eq!(p["temporary_password_hours"], 72, "{p}");
        p["temporary_password_hours"] = json!(1);
    })
    .await;
    let (_, temporary) = app
        .create_user(&admin, "new@acme.example", &["viewer"], None)
        .await;
    app.state.clock.advance(chrono::Duration::minutes(61));
    assert_problem(
        app.login("acme", "new@acme.example", &temporary).await,
        401,
        "temporary_password_expired",
    )
    .await;
    // Out of range, and absent (unchanged) on input.
    let admin = app.admin_session("acme").await;
    let path = "/api/v1/settings/password-policy";
    let mut policy: Value = app
        .get_auth(path, &admin.access)
        .await
        .json()
        .await
        .unwrap();
    policy["temporary_password_hours"] = json!(721);
    assert_problem(
        app.send_auth(Method::PUT, path, &admin.access, Some(&policy))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_reset_ends_the_users_sessions_and_is_refused_for_oneself_and_for_stronger_users() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (viewer, viewer_session) = app
        .user(&admin, "viewer@acme.example", &["viewer"], None, CHOSEN)
        .await;
    // The desk holds what viewers hold, and manages users.
    let roles: Value = app
        .get_auth("/api/v1/roles", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    let viewer_role = roles["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "viewer")
        .unwrap()
        .clone();
    let mut permissions = viewer_role["permissions"].as_array().unwrap().clone();
    permissions.extend([json!("users.read"), json!("users.manage")]);
    let role = json!({
        "name": "user desk",
        "description": "creates accounts",
        "permissions": permissions,
        "scope": { "kind": "all" },
    });
    let res = app
        .send_auth(Method::POST, "/api/v1/roles", &admin.access, Some(&role))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let role_id = res.json::<Value>().await.unwrap()["id"].clone();
    let body = json!({ "email": "desk@acme.example", "name": "受付", "phone": "+819012340000", "role_ids": [role_id] });
    let res = app
        .send_auth(Method::POST, "/api/v1/users", &admin.access, Some(&body))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let temporary = res.json::<Value>().await.unwrap()["temporary_password"]
        .as_str()
        .unwrap()
        .to_owned();
    let desk = app
        .first_login(
            "acme",
            "desk@acme.example",
            &temporary,
            Some("+819012340000"),
            CHOSEN,
        )
        .await;

    // Not the administrator, who holds permissions the desk does not.
    assert_problem(
        reset(&app, &desk.access, &admin.user_id.to_string()).await,
        403,
        "permission_denied",
    )
    .await;
    assert_problem(
        reset(&app, &desk.access, &desk.user_id.to_string()).await,
        409,
        "cannot_reset_self",
    )
    .await;
    // A viewer: yes, and the viewer's session ends at once.
    let res = reset(&app, &desk.access, viewer["id"].as_str().unwrap()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.get_auth("/api/v1/me", &viewer_session.access)
            .await
            .status(),
        401
    );
    assert_problem(
        app.login("acme", "viewer@acme.example", CHOSEN).await,
        401,
        "invalid_credentials",
    )
    .await;
    // Without users.manage: no.
    let viewer_again = app
        .first_login(
            "acme",
            "viewer@acme.example",
            res.json::<Value>().await.unwrap()["temporary_password"]
                .as_str()
                .unwrap(),
            None,
            "another passphrase entirely",
        )
        .await;
    assert_problem(
        reset(&app, &viewer_again.access, &desk.user_id.to_string()).await,
        403,
        "permission_denied",
    )
    .await;
}
