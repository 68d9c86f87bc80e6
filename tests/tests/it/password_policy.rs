use crepo_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const PW: &str = "correct horse battery staple";

#[tokio::test]
async fn the_policy_has_safe_defaults_and_bounds() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let policy: Value = app
        .get_auth("/api/v1/settings/password-policy", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(policy["min_length"], 12);
    assert_eq!(policy["lockout_threshold"], 10);
    assert_eq!(policy["lockout_minutes"], 15);
    assert_eq!(policy["session_idle_minutes"], 30);
    assert_eq!(policy["session_absolute_minutes"], 720);

    let mut weak = policy.clone();
    weak["min_length"] = json!(8);
    weak["session_idle_minutes"] = json!(10_000);
    let problem = assert_problem(
        app.send_auth(
            Method::PUT,
            "/api/v1/settings/password-policy",
            &admin.access,
            Some(&weak),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["min_length", "session_idle_minutes"]);

    let mut missing = policy.clone();
    missing.as_object_mut().unwrap().remove("history_count");
    assert_problem(
        app.send_auth(
            Method::PUT,
            "/api/v1/settings/password-policy",
            &admin.access,
            Some(&missing),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_new_password_is_checked_against_every_rule_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let strict = json!({
        "min_length": 16, "require_uppercase": true, "require_lowercase": true, "require_digit": true,
        "require_symbol": true, "history_count": 3, "max_age_days": 0, "lockout_threshold": 10,
        "lockout_minutes": 15, "session_idle_minutes": 30, "session_absolute_minutes": 720
    });
    let res = app
        .send_auth(
            Method::PUT,
            "/api/v1/settings/password-policy",
            &admin.access,
            Some(&strict),
        )
        .await;
    assert_eq!(res.status(), 200);
    let stored: Value = app
        .get_auth("/api/v1/settings/password-policy", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    // Absent on input, a field keeps its value (the default here).
    let mut expected = strict.clone();
    expected["temporary_password_hours"] = json!(72);
    assert_eq!(stored, expected);

    let change = |new: &str| json!({ "current_password": PW, "new_password": new });
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "short",
            vec![
                "too_short",
                "missing_uppercase",
                "missing_digit",
                "missing_symbol",
            ],
        ),
        ("ALLUPPERCASEONLY1!", vec!["missing_lowercase"]),
        (
            "no digits or symbols here",
            vec!["missing_uppercase", "missing_digit", "missing_symbol"],
        ),
        (
            "1qaz2wsx3edc4rfv",
            vec!["missing_uppercase", "missing_symbol", "common_password"],
        ),
        (
            PW,
            vec![
                "missing_uppercase",
                "missing_digit",
                "missing_symbol",
                "same_as_current",
                "reused",
            ],
        ),
    ];
    for (password, expected) in cases {
        let res = app
            .send_auth(
                Method::PUT,
                "/api/v1/me/password",
                &admin.access,
                Some(&change(password)),
            )
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        let mut codes: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        codes.sort();
        let mut expected = expected.clone();
        expected.sort();
        assert_eq!(codes, expected, "{password}");
    }
    let res = app
        .send_auth(
            Method::PUT,
            "/api/v1/me/password",
            &admin.access,
            Some(&json!({ "current_password": "wrong", "new_password": "Good-Passphrase-2026" })),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "current_password");

    // History: A → B → back to A is refused while A is among the last 3.
    let res = app
        .send_auth(
            Method::PUT,
            "/api/v1/me/password",
            &admin.access,
            Some(&change("Good-Passphrase-2026")),
        )
        .await;
    assert_eq!(res.status(), 204);
    let back = json!({ "current_password": "Good-Passphrase-2026", "new_password": "Another-Passphrase-77" });
    assert_eq!(
        app.send_auth(
            Method::PUT,
            "/api/v1/me/password",
            &admin.access,
            Some(&back)
        )
        .await
        .status(),
        204
    );
    let again = json!({ "current_password": "Another-Passphrase-77", "new_password": "Good-Passphrase-2026" });
    let problem = assert_problem(
        app.send_auth(
            Method::PUT,
            "/api/v1/me/password",
            &admin.access,
            Some(&again),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "reused");
}

#[tokio::test]
async fn an_expired_password_must_be_changed_at_login() {
    use crepo_api::entities::tenant::user;
    use sea_orm::{sea_query::Expr, EntityTrait};
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    app.user(
        &admin,
        "v@acme.example",
        &["viewer"],
        None,
        "viewer passphrase one",
    )
    .await;

    app.edit_policy(&admin, |policy| policy["max_age_days"] = json!(30))
        .await;
    let fresh: Value = app
        .login("acme", "v@acme.example", "viewer passphrase one")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fresh["password_change_required"], false);

    // 31 days later.
    let db = app.db().await;
    let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
    user::Entity::update_many()
        .col_expr(
            user::Column::PasswordChangedAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::days(31)),
        )
        .exec(&tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let stale: Value = app
        .login("acme", "v@acme.example", "viewer passphrase one")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stale["password_change_required"], true);
    assert_problem(
        app.get_auth("/api/v1/users", stale["access_token"].as_str().unwrap())
            .await,
        403,
        "password_change_required",
    )
    .await;
}

#[tokio::test]
async fn only_holders_of_settings_manage_change_the_policy() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, editor) = app
        .user(
            &admin,
            "ed@acme.example",
            &["editor"],
            None,
            "editor passphrase two",
        )
        .await;
    let token = editor.access.as_str();
    let policy: Value = app
        .get_auth("/api/v1/settings/password-policy", token)
        .await
        .json()
        .await
        .unwrap();
    assert_problem(
        app.send_auth(
            Method::PUT,
            "/api/v1/settings/password-policy",
            token,
            Some(&policy),
        )
        .await,
        403,
        "permission_denied",
    )
    .await;
}
