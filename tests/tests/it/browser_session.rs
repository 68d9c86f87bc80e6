//! The browser mode of sign-in: the refresh token lives in an HttpOnly cookie
//! that page scripts never see, and only a same-origin request can use it.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use crepo_tests::{assert_problem, TestApp, TestEnv};
use reqwest::{header, Method, Response};
use serde_json::{json, Value};

const BROWSER: (&str, &str) = ("x-crepo-client", "browser");

/// The `crepo_refresh` cookie a response sets: (value, attributes).
fn refresh_cookie(res: &Response) -> (String, String) {
    let set = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("crepo_refresh="))
        .unwrap_or_else(|| panic!("no refresh cookie in {:?}", res.headers()));
    let (pair, attributes) = set.split_once(';').unwrap();
    let value = pair.trim_start_matches("crepo_refresh=").to_owned();
    (value, attributes.to_owned())
}

/// Signs the admin of `slug` in as a browser would: (access token, cookie).
async fn browser_sign_in(app: &TestApp, slug: &str) -> (String, String) {
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header(BROWSER.0, BROWSER.1)
        .json(&json!({ "tenant": slug, "email": format!("owner@{slug}.example"), "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    let challenge: Value = login.json().await.unwrap();
    assert_eq!(challenge["mfa_required"], true);
    let code = app.last_code("+819012345678");
    let res = app
        .client
        .post(app.url("/api/v1/auth/mfa"))
        .header(BROWSER.0, BROWSER.1)
        .json(&json!({ "mfa_token": challenge["mfa_token"], "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (cookie, attributes) = refresh_cookie(&res);
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(attributes.contains(attribute), "{attributes}");
    }
    // Plain HTTP here: a Secure cookie would never come back.
    assert!(!attributes.contains("Secure"), "{attributes}");
    let max_age: i64 = attributes
        .split(';')
        .find_map(|a| a.trim().strip_prefix("Max-Age="))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        max_age > 3600,
        "the cookie lives as long as the session: {max_age}"
    );
    let body: Value = res.json().await.unwrap();
    assert!(body.get("refresh_token").is_none(), "{body}");
    (body["access_token"].as_str().unwrap().to_owned(), cookie)
}

async fn browser_refresh(app: &TestApp, cookie: &str, origin: Option<&str>) -> Response {
    let mut req = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header(BROWSER.0, BROWSER.1)
        .header(header::COOKIE, format!("crepo_refresh={cookie}"))
        .json(&json!({}));
    if let Some(origin) = origin {
        req = req.header(header::ORIGIN, origin);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn a_browser_sign_in_keeps_the_refresh_token_out_of_javascripts_reach() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let (access, cookie) = browser_sign_in(&app, "acme").await;
    assert!(cookie.starts_with("crt_"), "{cookie}");
    assert_eq!(app.get_auth("/api/v1/me", &access).await.status(), 200);

    // API clients keep the JSON mode: the token in the body, no cookie.
    let s = app.admin_session("acme").await;
    assert!(s.refresh.starts_with("crt_"));
}

#[tokio::test]
async fn a_same_origin_refresh_rotates_the_cookie_and_a_replayed_cookie_ends_the_session() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let (_, first) = browser_sign_in(&app, "acme").await;
    let res = browser_refresh(&app, &first, Some(&app.address)).await;
    assert_eq!(res.status(), 200);
    let (second, _) = refresh_cookie(&res);
    assert_ne!(second, first);
    let body: Value = res.json().await.unwrap();
    assert!(body.get("refresh_token").is_none(), "{body}");
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(app.get_auth("/api/v1/me", access).await.status(), 200);

    // A stolen copy of the first cookie comes back (later than a retry would):
    // the session ends.
    app.state.clock.advance(chrono::Duration::seconds(11));
    assert_problem(
        browser_refresh(&app, &first, Some(&app.address)).await,
        401,
        "refresh_token_reused",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/me", access).await,
        401,
        "session_expired",
    )
    .await;
}

#[tokio::test]
async fn a_cross_site_refresh_is_refused_and_does_not_spend_the_cookie() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let (_, cookie) = browser_sign_in(&app, "acme").await;

    for origin in [Some("http://evil.example"), Some("null"), None] {
        let problem = assert_problem(
            browser_refresh(&app, &cookie, origin).await,
            403,
            "csrf_rejected",
        )
        .await;
        assert!(!problem.to_string().contains("crt_"), "{problem}");
    }
    let cross_site = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header(BROWSER.0, BROWSER.1)
        .header(header::COOKIE, format!("crepo_refresh={cookie}"))
        .header(header::ORIGIN, &app.address)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(cross_site, 403, "csrf_rejected").await;
    // Without the header (a plain form post could send the cookie) the cookie
    // is not even looked at: JSON mode wants the token in the body.
    let no_header = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header(header::COOKIE, format!("crepo_refresh={cookie}"))
        .header(header::ORIGIN, &app.address)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(no_header, 401, "missing_token").await;
    // A browser refresh without the cookie: signed out.
    let no_cookie = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header(BROWSER.0, BROWSER.1)
        .header(header::ORIGIN, &app.address)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(no_cookie, 401, "invalid_token").await;

    // None of that spent the cookie.
    assert_eq!(
        browser_refresh(&app, &cookie, Some(&app.address))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_browser_sign_out_clears_the_cookie_and_ends_its_session() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme").await;
    let (access, cookie) = browser_sign_in(&app, "acme").await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header(BROWSER.0, BROWSER.1)
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (value, attributes) = refresh_cookie(&res);
    assert_eq!(value, "");
    assert!(attributes.contains("Max-Age=0"), "{attributes}");
    assert_problem(
        browser_refresh(&app, &cookie, Some(&app.address)).await,
        401,
        "session_expired",
    )
    .await;
}

#[tokio::test]
async fn the_access_token_lifetime_is_configurable() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_ACCESS_TOKEN_TTL_SECS", "60");
    let app = TestApp::spawn_with(env).await;
    app.signup_ok("acme").await;
    let res = app
        .login("acme", "owner@acme.example", "correct horse battery staple")
        .await;
    let challenge: Value = res.json().await.unwrap();
    let code = app.last_code("+819012345678");
    let tokens: Value = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({ "mfa_token": challenge["mfa_token"], "code": code }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tokens["expires_in"], 60);
    let payload = tokens["access_token"]
        .as_str()
        .unwrap()
        .split('.')
        .nth(1)
        .unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
}

#[tokio::test]
async fn the_spa_is_served_with_a_strict_content_security_policy() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Crepo</title>",
    )
    .unwrap();
    let mut env = TestEnv::new().await;
    env.set("CREPO_WEB_DIR", web.path().display().to_string());
    let app = TestApp::spawn_with(env).await;
    for path in ["/", "/me/sessions", "/ops"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let directive = |name: &str| {
            csp.split(';')
                .map(str::trim)
                .find(|d| d.starts_with(name))
                .unwrap_or_else(|| panic!("{path}: no {name} in {csp}"))
                .to_owned()
        };
        assert_eq!(directive("script-src"), "script-src 'self'", "{path}");
        assert_eq!(directive("style-src"), "style-src 'self'", "{path}");
        assert_eq!(
            directive("frame-ancestors"),
            "frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(directive("object-src"), "object-src 'none'", "{path}");
        assert!(!csp.contains("unsafe-eval"), "{path}: {csp}");
        assert_eq!(
            res.text().await.unwrap(),
            "<!doctype html><title>Crepo</title>"
        );
    }
    // Unknown API paths stay JSON problems, not the SPA.
    assert_problem(app.get("/api/v1/nothing-here").await, 404, "not_found").await;
}

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
