use crepo_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn users_are_listed_filtered_and_paginated_without_secrets() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    for name in ["alpha", "beta", "gamma"] {
        app.create_user(&admin, &format!("{name}@acme.example"), &["viewer"], None)
            .await;
    }
    let (gamma, _) = app
        .create_user(&admin, "delta@acme.example", &["editor"], None)
        .await;
    let path = format!("/api/v1/users/{}", gamma["id"].as_str().unwrap());
    app.send_auth(
        Method::PATCH,
        &path,
        &admin.access,
        Some(&json!({ "status": "disabled" })),
    )
    .await;

    // Page through everything two at a time.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
            None => "/api/v1/users?limit=2".to_owned(),
        };
        let res = app.get_auth(&url, &admin.access).await;
        let text = res.text().await.unwrap();
        assert!(
            !text.contains("argon2") && !text.contains("password_hash"),
            "{text}"
        );
        let page: Value = serde_json::from_str(&text).unwrap();
        assert!(page["items"].as_array().unwrap().len() <= 2);
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["email"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "owner@acme.example",
            "alpha@acme.example",
            "beta@acme.example",
            "gamma@acme.example",
            "delta@acme.example"
        ]
    );

    let page: Value = app
        .get_auth("/api/v1/users?status=disabled", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["email"], "delta@acme.example");
    let page: Value = app
        .get_auth("/api/v1/users?q=ALP", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["email"], "alpha@acme.example");
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let page: Value = app
        .get_auth("/api/v1/users?q=%25", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        0,
        "a % in q is literal"
    );
    assert_problem(
        app.get_auth("/api/v1/users?cursor=nope", &admin.access)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/users?limit=1000", &admin.access)
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn emails_are_unique_per_tenant_whatever_their_case() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let body = json!({ "email": "OWNER@ACME.EXAMPLE", "name": "Dup" });
    assert_problem(
        app.send_auth(Method::POST, "/api/v1/users", &admin.access, Some(&body))
            .await,
        409,
        "email_taken",
    )
    .await;
    // Another tenant may use the same address.
    let other = app.admin("other").await;
    let body = json!({ "email": "owner@acme.example", "name": "Same address elsewhere" });
    assert_eq!(
        app.send_auth(Method::POST, "/api/v1/users", &other.access, Some(&body))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn only_admins_delete_users_and_never_themselves_or_the_last_administrator() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (editor, editor_session) = app
        .user(
            &admin,
            "editor@acme.example",
            &["editor"],
            None,
            "editor passphrase here",
        )
        .await;
    let editor_token = editor_session.access.as_str();
    let admin_path = format!("/api/v1/users/{}", admin.user_id);
    assert_problem(
        app.send_auth(Method::DELETE, &admin_path, editor_token, None)
            .await,
        403,
        "permission_denied",
    )
    .await;
    let body = json!({ "email": "x@acme.example", "name": "x" });
    assert_problem(
        app.send_auth(Method::POST, "/api/v1/users", editor_token, Some(&body))
            .await,
        403,
        "permission_denied",
    )
    .await;

    assert_problem(
        app.send_auth(Method::DELETE, &admin_path, &admin.access, None)
            .await,
        409,
        "cannot_delete_self",
    )
    .await;
    let viewer_only = json!({ "role_ids": app.role_ids(&admin, &["viewer"]).await });
    let res = app
        .send_auth(
            Method::PUT,
            &format!("{admin_path}/roles"),
            &admin.access,
            Some(&viewer_only),
        )
        .await;
    assert_problem(res, 409, "last_administrator").await;
    // Still an admin afterwards: the refused change left nothing behind.
    let me: Value = app
        .get_auth("/api/v1/me", &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"][0]["name"], "admin");

    let editor_path = format!("/api/v1/users/{}", editor["id"].as_str().unwrap());
    assert_eq!(
        app.send_auth(Method::DELETE, &editor_path, &admin.access, None)
            .await
            .status(),
        204
    );
    assert_problem(
        app.get_auth(&editor_path, &admin.access).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_privileged_role_needs_a_phone_and_unknown_roles_are_named() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let admin_role = app.role_ids(&admin, &["admin"]).await;
    let body =
        json!({ "email": "nophone@acme.example", "name": "No Phone", "role_ids": admin_role });
    let problem = assert_problem(
        app.send_auth(Method::POST, "/api/v1/users", &admin.access, Some(&body))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "phone_required");

    let ghost = uuid::Uuid::new_v4().to_string();
    let body = json!({ "email": "ghost@acme.example", "name": "Ghost", "role_ids": [ghost] });
    let problem = assert_problem(
        app.send_auth(Method::POST, "/api/v1/users", &admin.access, Some(&body))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "unknown_role");
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains(&ghost));

    let (second_admin, _) = app
        .create_user(
            &admin,
            "second@acme.example",
            &["admin"],
            Some("+819011112222"),
        )
        .await;
    let path = format!("/api/v1/users/{}", second_admin["id"].as_str().unwrap());
    let res = app
        .send_auth(
            Method::PATCH,
            &path,
            &admin.access,
            Some(&json!({ "phone": null })),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn another_tenants_user_ids_answer_404() {
    let app = TestApp::spawn().await;
    let a = app.admin("tenant-a").await;
    let b = app.admin("tenant-b").await;
    let (victim, _) = app
        .create_user(&a, "victim@tenant-a.example", &["viewer"], None)
        .await;
    let path = format!("/api/v1/users/{}", victim["id"].as_str().unwrap());
    assert_problem(app.get_auth(&path, &b.access).await, 404, "not_found").await;
    assert_problem(
        app.send_auth(
            Method::PATCH,
            &path,
            &b.access,
            Some(&json!({ "name": "pwned" })),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_auth(Method::DELETE, &path, &b.access, None).await,
        404,
        "not_found",
    )
    .await;
    let roles = json!({ "role_ids": [] });
    assert_problem(
        app.send_auth(
            Method::PUT,
            &format!("{path}/roles"),
            &b.access,
            Some(&roles),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // And it is untouched.
    let still: Value = app.get_auth(&path, &a.access).await.json().await.unwrap();
    assert_eq!(still["name"], "テスト ユーザー");
}

/// A name is shown as typed, on one line: a direction override would let
/// "\u{202E}nimda" read as "admin", a line separator forge a second line.
#[tokio::test]
async fn names_cannot_pose_as_others_with_direction_overrides_or_line_breaks() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (user, _) = app
        .create_user(&admin, "taro@acme.example", &["viewer"], None)
        .await;
    let user_path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    for name in ["\u{202E}nimda", "佐藤\u{2028}管理者", "a\u{2066}b\u{2069}"] {
        let attempts = [
            (
                Method::POST,
                "/api/v1/users".to_owned(),
                json!({ "email": "imposter@acme.example", "name": name }),
            ),
            (Method::PATCH, user_path.clone(), json!({ "name": name })),
            (
                Method::POST,
                "/api/v1/projects".to_owned(),
                json!({ "name": name }),
            ),
            (
                Method::POST,
                "/api/v1/labels".to_owned(),
                json!({ "code": "X-1", "name": name }),
            ),
            (
                Method::POST,
                "/api/v1/roles".to_owned(),
                json!({ "name": name, "permissions": [], "scope": { "kind": "all" } }),
            ),
        ];
        for (method, path, body) in attempts {
            let res = app
                .send_auth(method.clone(), &path, &admin.access, Some(&body))
                .await;
            let problem = assert_problem(res, 422, "validation_failed").await;
            assert_eq!(
                problem["errors"],
                json!([{
                    "field": "name",
                    "code": "invalid_characters",
                    "message": problem["errors"][0]["message"],
                }]),
                "{method} {path} {name:?}"
            );
        }
    }
    let after: Value = app
        .get_auth(&user_path, &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["name"], user["name"]);
}
