//! Roles: validated definitions, guard rails, and the security events of every change.

use crepo_tests::{
    assert_problem, logs,
    roles::{member, ok, project, role},
    TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn role_definitions_are_validated_and_built_in_roles_are_fixed() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let create = |body: Value| {
        let (app, token) = (&app, s.access.clone());
        async move {
            app.send_auth(Method::POST, "/api/v1/roles", &token, Some(&body))
                .await
        }
    };
    let p = assert_problem(
        create(json!({ "name": "x", "permissions": ["projects.fly"], "scope": { "kind": "all" } }))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "unknown_permission");
    let p = assert_problem(
        create(json!({ "name": "x", "permissions": [], "scope": { "kind": "labels" } })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "scope.label_ids");
    let ghost = uuid::Uuid::new_v4();
    let p = assert_problem(create(json!({ "name": "x", "permissions": [], "scope": { "kind": "labels", "label_ids": [ghost] } })).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "unknown_label");
    assert_eq!(
        create(json!({ "name": "dup", "permissions": [], "scope": { "kind": "all" } }))
            .await
            .status(),
        201
    );
    assert_problem(
        create(json!({ "name": "dup", "permissions": [], "scope": { "kind": "all" } })).await,
        409,
        "role_name_taken",
    )
    .await;

    let list = ok(app.get_auth("/api/v1/roles", &s.access).await).await;
    let admin_role = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "admin")
        .unwrap()
        .clone();
    assert_eq!(admin_role["builtin"], true);
    assert_eq!(admin_role["user_count"], 1);
    let path = format!("/api/v1/roles/{}", admin_role["id"].as_str().unwrap());
    assert_problem(
        app.send_auth(Method::DELETE, &path, &s.access, None).await,
        409,
        "builtin_role",
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PATCH,
            &path,
            &s.access,
            Some(&json!({ "permissions": [] })),
        )
        .await,
        409,
        "builtin_role",
    )
    .await;
}

#[tokio::test]
async fn guard_rails_keep_an_administrator_and_phones_for_privileged_roles() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let custom = role(
        &app,
        &s,
        "custom admins",
        &["users.manage", "roles.manage", "users.read"],
        json!({ "kind": "all" }),
    )
    .await;
    let custom_path = format!("/api/v1/roles/{}", custom["id"].as_str().unwrap());
    // The only administrator moves from the built-in role to the custom one.
    ok(app
        .send_auth(
            Method::PUT,
            &format!("/api/v1/users/{}/roles", s.user_id),
            &s.access,
            Some(&json!({ "role_ids": [custom["id"]] })),
        )
        .await)
    .await;
    let cut = json!({ "permissions": ["users.manage", "users.read"] });
    assert_problem(
        app.send_auth(Method::PATCH, &custom_path, &s.access, Some(&cut))
            .await,
        409,
        "last_administrator",
    )
    .await;
    assert_problem(
        app.send_auth(Method::DELETE, &custom_path, &s.access, None)
            .await,
        409,
        "last_administrator",
    )
    .await;
    let still = ok(app.get_auth(&custom_path, &s.access).await).await;
    assert_eq!(
        still["permissions"].as_array().unwrap().len(),
        3,
        "a refused change left traces: {still}"
    );

    // A privileged role cannot reach a user without a phone, either way.
    let plain = role(
        &app,
        &s,
        "plain",
        &["projects.read"],
        json!({ "kind": "all" }),
    )
    .await;
    let (phoneless, _) = member(&app, &s, "nophone@acme.example", &[&plain]).await;
    let p = assert_problem(
        app.send_auth(
            Method::PUT,
            &format!("/api/v1/users/{phoneless}/roles"),
            &s.access,
            Some(&json!({ "role_ids": [custom["id"]] })),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "phone_required");
    let plain_path = format!("/api/v1/roles/{}", plain["id"].as_str().unwrap());
    let p = assert_problem(
        app.send_auth(
            Method::PATCH,
            &plain_path,
            &s.access,
            Some(&json!({ "permissions": ["projects.read", "exports.create"] })),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "phone_required");
}

#[tokio::test]
async fn every_role_and_assignment_change_is_a_security_event() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let r = role(
        &app,
        &s,
        "team",
        &["projects.read"],
        json!({ "kind": "assigned" }),
    )
    .await;
    let path = format!("/api/v1/roles/{}", r["id"].as_str().unwrap());
    ok(app
        .send_auth(
            Method::PATCH,
            &path,
            &s.access,
            Some(&json!({ "description": "updated" })),
        )
        .await)
    .await;
    let (uid, _) = member(&app, &s, "m@acme.example", &[&r]).await;
    let viewer = app.role_ids(&s, &["viewer"]).await;
    ok(app
        .send_auth(
            Method::PUT,
            &format!("/api/v1/users/{uid}/roles"),
            &s.access,
            Some(&json!({ "role_ids": viewer })),
        )
        .await)
    .await;
    let p = project(&app, &s, "p", &[]).await;
    ok(app
        .send_auth(
            Method::PUT,
            &format!("/api/v1/projects/{p}/members"),
            &s.access,
            Some(&json!({ "user_ids": [uid] })),
        )
        .await)
    .await;
    assert_eq!(
        app.send_auth(Method::DELETE, &path, &s.access, None)
            .await
            .status(),
        204
    );
    let events: Vec<String> = logs::all(&app, &s.access, "")
        .await
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect();
    for expected in [
        "role.created",
        "role.updated",
        "user.roles.changed",
        "project.members.changed",
        "role.deleted",
    ] {
        assert!(
            events.iter().any(|e| e == expected),
            "{expected} missing from {events:?}"
        );
    }
}
