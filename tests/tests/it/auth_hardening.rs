//! Attacks on the identity layer found in review: parallel guessing,
//! privilege gained after a code-less login, redirected codes.

use crepo_tests::{assert_problem, TestApp};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

const PW: &str = "correct horse battery staple";

#[tokio::test]
async fn parallel_guesses_cannot_exceed_five_tries_of_a_code() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let login: Value = app
        .login("acme", "owner@acme.example", PW)
        .await
        .json()
        .await
        .unwrap();
    let token = login["mfa_token"].as_str().unwrap();
    let code = app.last_code("+819012345678");
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    let body = json!({ "mfa_token": token, "code": wrong });
    let answers = join_all((0..10).map(|_| app.post_json("/api/v1/auth/mfa", &body))).await;
    let mut codes = Vec::new();
    for res in answers {
        let problem: Value = res.json().await.unwrap();
        codes.push(problem["code"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        codes.iter().filter(|c| *c == "invalid_code").count(),
        5,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| *c == "code_locked").count(),
        5,
        "{codes:?}"
    );
    let right = json!({ "mfa_token": token, "code": code });
    assert_problem(
        app.post_json("/api/v1/auth/mfa", &right).await,
        401,
        "code_locked",
    )
    .await;
}

#[tokio::test]
async fn a_session_opened_without_a_code_ends_when_its_user_gains_a_privileged_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (editor, temp) = app
        .create_user(
            &admin,
            "ed@acme.example",
            &["editor"],
            Some("+819033334444"),
        )
        .await;
    let t: Value = app
        .login("acme", "ed@acme.example", &temp)
        .await
        .json()
        .await
        .unwrap();
    assert!(t.get("mfa_required").is_none(), "editors need no code: {t}");
    let token = t["access_token"].as_str().unwrap();
    assert_eq!(app.get_auth("/api/v1/me", token).await.status(), 200);

    let roles = json!({ "role_ids": app.role_ids(&admin, &["admin"]).await });
    let path = format!("/api/v1/users/{}/roles", editor["id"].as_str().unwrap());
    assert_eq!(
        app.send_auth(Method::PUT, &path, &admin.access, Some(&roles))
            .await
            .status(),
        200
    );
    assert_problem(
        app.get_auth("/api/v1/me", token).await,
        401,
        "session_expired",
    )
    .await;
}

#[tokio::test]
async fn changing_a_phone_ends_its_users_sessions_and_tells_the_old_number() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (viewer, session) = app
        .user(
            &admin,
            "v@acme.example",
            &["viewer"],
            Some("+819055556666"),
            "viewer passphrase abc",
        )
        .await;
    let token = session.access.as_str();

    // A viewer sees other people's phones masked, and its own in full.
    let list: Value = app
        .get_auth("/api/v1/users", token)
        .await
        .json()
        .await
        .unwrap();
    let phones: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["phone"].as_str().unwrap())
        .collect();
    assert!(phones.contains(&"+81******5678"), "{phones:?}");
    assert!(phones.contains(&"+819055556666"), "{phones:?}");

    let path = format!("/api/v1/users/{}", viewer["id"].as_str().unwrap());
    let res = app
        .send_auth(
            Method::PATCH,
            &path,
            &admin.access,
            Some(&json!({ "phone": "+819077778888" })),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(
        app.get_auth("/api/v1/me", token).await,
        401,
        "session_expired",
    )
    .await;
    let told = app
        .outbox()
        .into_iter()
        .any(|m| m["to"] == "+819055556666" && m["body"].as_str().unwrap().contains("changed"));
    assert!(told, "the old number was not told");
}

#[tokio::test]
async fn wrong_current_passwords_count_towards_the_lockout() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    app.edit_policy(&admin, |policy| policy["lockout_threshold"] = json!(3))
        .await;
    for _ in 0..3 {
        let body = json!({ "current_password": "a guess at the password", "new_password": "whatever new passphrase" });
        let res = app
            .send_auth(
                Method::PUT,
                "/api/v1/me/password",
                &admin.access,
                Some(&body),
            )
            .await;
        assert_problem(res, 422, "validation_failed").await;
    }
    assert_problem(
        app.login("acme", "owner@acme.example", PW).await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn a_user_with_a_temporary_password_can_read_the_policy_it_must_meet() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, temp) = app
        .create_user(&admin, "new@acme.example", &["viewer"], None)
        .await;
    let t: Value = app
        .login("acme", "new@acme.example", &temp)
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .get_auth(
            "/api/v1/settings/password-policy",
            t["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn redirecting_a_privileged_users_codes_takes_the_right_to_grant_privileges() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let body = json!({ "name": "user managers", "permissions": ["users.manage", "users.read"], "scope": { "kind": "all" } });
    let role: Value = app
        .send_auth(Method::POST, "/api/v1/roles", &admin.access, Some(&body))
        .await
        .json()
        .await
        .unwrap();
    let create = json!({ "email": "um@acme.example", "name": "UM", "phone": "+819044445555", "role_ids": [role["id"]] });
    let created: Value = app
        .send_auth(Method::POST, "/api/v1/users", &admin.access, Some(&create))
        .await
        .json()
        .await
        .unwrap();
    let temp = created["temporary_password"].as_str().unwrap();
    // users.manage is privileged: the login needs the code.
    let session = app
        .first_login(
            "acme",
            "um@acme.example",
            temp,
            Some("+819044445555"),
            "user manager passphrase",
        )
        .await;
    let token = session.access.as_str();

    let path = format!("/api/v1/users/{}", admin.user_id);
    let res = app
        .send_auth(
            Method::PATCH,
            &path,
            token,
            Some(&json!({ "phone": "+819000000000" })),
        )
        .await;
    assert_problem(res, 403, "permission_denied").await;
    let me: Value = app
        .get_auth("/api/v1/me", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["phone"], "+819012345678");
    // A name change is still theirs to make.
    assert_eq!(
        app.send_auth(
            Method::PATCH,
            &path,
            token,
            Some(&json!({ "name": "Renamed" }))
        )
        .await
        .status(),
        200
    );
}

/// SQL statements the logins so far ran, from `/metrics`.
async fn login_statements(app: &TestApp) -> f64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find(|l| {
            l.starts_with("crepo_http_request_db_statements_sum")
                && l.contains("route=\"/api/v1/auth/login\"")
        })
        .and_then(|l| l.rsplit(' ').next())
        .map_or(0.0, |v| v.parse().unwrap())
}

#[tokio::test]
async fn a_login_runs_the_same_statements_whether_the_account_exists_is_locked_or_not() {
    let app = TestApp::spawn().await;
    let admin = app.admin("parity").await;
    app.create_user(&admin, "locked@parity.example", &["viewer"], None)
        .await;
    let mut cost = Vec::new();
    for (email, password) in [
        ("nobody@parity.example", "some password guess"),
        ("owner@parity.example", "some password guess"),
        ("nobody@parity.example", "another guess entirely"),
    ] {
        let before = login_statements(&app).await;
        assert_eq!(app.login("parity", email, password).await.status(), 401);
        cost.push((email, login_statements(&app).await - before));
    }
    // Lock one account, then compare a guess at it with the others.
    for _ in 0..10 {
        app.login("parity", "locked@parity.example", "wrong wrong wrong")
            .await;
    }
    let before = login_statements(&app).await;
    assert_eq!(
        app.login("parity", "locked@parity.example", "wrong wrong wrong")
            .await
            .status(),
        401
    );
    cost.push(("locked", login_statements(&app).await - before));
    assert!(cost[0].1 > 0.0, "{cost:?}");
    assert!(
        cost.iter().all(|(_, c)| *c == cost[0].1),
        "statements per login differ: {cost:?}"
    );
}
