use crepo_tests::{assert_problem, signup_body, TestApp, TestEnv};
use futures_util::future::join_all;
use serde_json::{json, Value};

#[tokio::test]
async fn signing_up_creates_a_tenant_and_its_admin_without_echoing_secrets() {
    let app = TestApp::spawn().await;
    let res = app.signup(&signup_body("acme-foods")).await;
    assert_eq!(res.status(), 201);
    let text = res.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["tenant"]["slug"], "acme-foods");
    assert_eq!(body["tenant"]["name"], "アクメ食品株式会社");
    assert!(uuid::Uuid::parse_str(body["tenant"]["id"].as_str().unwrap()).is_ok());
    assert_eq!(body["user"]["email"], "owner@acme-foods.example");
    assert_eq!(body["user"]["roles"], json!(["admin"]));
    assert!(!text.contains("correct horse"), "{text}");
    assert!(!text.contains("argon2"), "{text}");
    assert!(!text.contains("password"), "{text}");
}

#[tokio::test]
async fn a_taken_slug_is_409_tenant_slug_taken() {
    let app = TestApp::spawn().await;
    app.signup_ok("acme-foods").await;
    let mut again = signup_body("acme-foods");
    again["email"] = json!("someone-else@example.com");
    assert_problem(app.signup(&again).await, 409, "tenant_slug_taken").await;
}

#[tokio::test]
async fn concurrent_sign_ups_for_one_slug_create_exactly_one_tenant() {
    let app = TestApp::spawn().await;
    let body = signup_body("race-slug");
    let attempts = (0..4).map(|_| app.signup(&body));
    let statuses: Vec<u16> = join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        3,
        "{statuses:?}"
    );
}

/// One invalid field at a time, with the field and code the API must name.
#[tokio::test]
async fn each_invalid_field_is_named_with_a_stable_code() {
    let long_name = "名".repeat(201);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("tenant_slug", json!("ab"), "invalid_format"),
        ("tenant_slug", json!("-acme"), "invalid_format"),
        ("tenant_slug", json!("acme-"), "invalid_format"),
        ("tenant_slug", json!("Acme"), "invalid_format"),
        ("tenant_slug", json!("acme_foods"), "invalid_format"),
        ("tenant_slug", json!("a".repeat(41)), "invalid_format"),
        ("tenant_slug", json!("admin"), "reserved"),
        ("tenant_slug", json!("www"), "reserved"),
        ("tenant_slug", json!("ops"), "reserved"),
        ("tenant_name", json!("   "), "required"),
        ("tenant_name", json!(long_name), "too_long"),
        (
            "tenant_name",
            json!("\u{202E}ofni-opreC"),
            "invalid_characters",
        ),
        ("email", json!("not-an-email"), "invalid_email"),
        ("email", json!("a@"), "invalid_email"),
        ("name", json!(""), "required"),
        ("name", json!("bad\u{0007}name"), "invalid_characters"),
        ("name", json!("two\u{2028}lines"), "invalid_characters"),
        ("phone", json!("09012345678"), "invalid_phone"),
        ("phone", json!("+81-90-1234-5678"), "invalid_phone"),
        ("password", json!("short"), "too_short"),
        ("password", json!("x".repeat(129)), "too_long"),
        ("password", json!("1qaz2wsx3edc"), "common_password"),
        ("password", json!("Q1W2E3R4T5Y6"), "common_password"),
    ];
    let app = TestApp::spawn().await;
    for (i, (field, value, code)) in cases.into_iter().enumerate() {
        let mut body = signup_body(&format!("matrix-{i}"));
        body[field] = value.clone();
        let problem = assert_problem(app.signup(&body).await, 422, "validation_failed").await;
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "{field}={value}: expected {code}, got {problem}"
        );
        assert!(
            errors.iter().all(|e| e["field"] == field),
            "{field}={value}: {problem}"
        );
    }
}

#[tokio::test]
async fn every_failing_field_is_listed_at_once() {
    let app = TestApp::spawn().await;
    let body = json!({
        "tenant_slug": "A", "tenant_name": "", "email": "x", "password": "x", "name": "", "phone": "1",
        "accept_terms_version": "1999-01-01"
    });
    let problem = assert_problem(app.signup(&body).await, 422, "validation_failed").await;
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    fields.dedup();
    assert_eq!(
        fields,
        [
            "accept_terms_version",
            "email",
            "name",
            "password",
            "phone",
            "tenant_name",
            "tenant_slug"
        ]
    );
}

#[tokio::test]
async fn passwords_are_counted_in_characters_not_bytes() {
    let app = TestApp::spawn().await;
    let mut body = signup_body("unicode-pw");
    // 12 characters, 36 bytes.
    body["password"] = json!("包装デザインの安全な合言葉");
    assert_eq!(app.signup(&body).await.status(), 201);
    let mut body = signup_body("unicode-pw-2");
    // 128 characters, 384 bytes: still allowed.
    body["password"] = json!("合".repeat(128));
    assert_eq!(app.signup(&body).await.status(), 201);
}

#[tokio::test]
async fn missing_wrong_typed_and_unknown_fields_are_422() {
    let app = TestApp::spawn().await;
    let mut missing = signup_body("missing");
    missing.as_object_mut().unwrap().remove("phone");
    assert_problem(app.signup(&missing).await, 422, "validation_failed").await;

    let mut typed = signup_body("typed");
    typed["phone"] = json!(819012345678u64);
    assert_problem(app.signup(&typed).await, 422, "validation_failed").await;

    // Mass assignment: nobody picks their own tenant id or role.
    let mut extra = signup_body("extra");
    extra["role"] = json!("operator");
    let problem = assert_problem(app.signup(&extra).await, 422, "validation_failed").await;
    assert!(problem.to_string().contains("role"), "{problem}");
}

#[tokio::test]
async fn sign_ups_are_throttled_per_client_address_with_retry_after() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_SIGNUP_RATE_LIMIT", "3/3600");
    let app = TestApp::spawn_with(env).await;
    for i in 0..3 {
        // Invalid attempts count too: throttling is against automation.
        let mut body = signup_body(&format!("throttle-{i}"));
        body["password"] = json!("x");
        assert_eq!(app.signup(&body).await.status(), 422);
    }
    let res = app.signup(&signup_body("throttle-last")).await;
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert_problem(res, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_sign_up_accepts_the_current_terms_and_the_tenant_records_which() {
    let app = TestApp::spawn().await;
    let terms: serde_json::Value = app.get("/api/v1/signup/terms").await.json().await.unwrap();
    assert_eq!(terms["version"], "2026-12-01");
    let mut old = crepo_tests::signup_body("termsold");
    old["accept_terms_version"] = json!("2025-01-01");
    let problem = assert_problem(app.signup(&old).await, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "accept_terms_version");
    assert_eq!(problem["errors"][0]["code"], "outdated");
    let created = app.signup_ok("termsnew").await;
    assert_eq!(created["tenant"]["terms_version"], "2026-12-01");
    let db = app.db().await;
    use sea_orm::EntityTrait;
    let row = crepo_api::entities::platform::tenant::Entity::find_by_id(
        uuid::Uuid::parse_str(created["tenant"]["id"].as_str().unwrap()).unwrap(),
    )
    .one(db.platform())
    .await
    .unwrap()
    .unwrap();
    assert_eq!(row.terms_version.as_deref(), Some("2026-12-01"));
    assert!(row.terms_accepted_at.is_some());
}
