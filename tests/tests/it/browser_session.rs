//! The browser mode of sign-in: the refresh token lives in an HttpOnly cookie
//! that page scripts never see, and only a same-origin request can use it.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use crepo_tests::{assert_problem, TestApp, TestEnv};
use reqwest::{header, Response};
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
