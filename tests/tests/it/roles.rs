//! Roles: the catalogue, what each scope reaches, and changes taking effect.

use crepo_tests::{
    assert_problem,
    roles::{member, ok, project, role, visible},
    TestApp,
};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_permission_catalogue_names_each_permission_in_two_languages() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let list = ok(app.get_auth("/api/v1/permissions", &s.access).await).await;
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 14);
    let users_manage = items.iter().find(|p| p["name"] == "users.manage").unwrap();
    assert_eq!(users_manage["privileged"], true);
    assert!(!users_manage["description"]["ja"]
        .as_str()
        .unwrap()
        .is_empty());
    assert!(!users_manage["description"]["en"]
        .as_str()
        .unwrap()
        .is_empty());
    let read = items.iter().find(|p| p["name"] == "projects.read").unwrap();
    assert_eq!(read["privileged"], false);
}

#[tokio::test]
async fn lists_show_only_what_each_scope_reaches_and_rights_are_the_union_of_roles() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let tea = ok(app
        .send_auth(
            Method::POST,
            "/api/v1/labels",
            &s.access,
            Some(&json!({ "code": "TEA", "name": "お茶" })),
        )
        .await)
    .await;
    let soda = ok(app
        .send_auth(
            Method::POST,
            "/api/v1/labels",
            &s.access,
            Some(&json!({ "code": "SODA", "name": "ソーダ" })),
        )
        .await)
    .await;
    project(&app, &s, "a-tea", &[&tea]).await;
    let soda_project = project(&app, &s, "b-soda", &[&soda]).await;
    let plain = project(&app, &s, "c-plain", &[]).await;

    let tea_readers = role(
        &app,
        &s,
        "tea readers",
        &["projects.read"],
        json!({ "kind": "labels", "label_ids": [tea["id"]] }),
    )
    .await;
    let (_, reader) = member(&app, &s, "reader@acme.example", &[&tea_readers]).await;
    assert_eq!(visible(&app, &reader).await, ["a-tea"]);
    assert_problem(
        app.get_auth(&format!("/api/v1/projects/{soda_project}"), &reader)
            .await,
        404,
        "not_found",
    )
    .await;

    // Assigned scope: what the user is a member of.
    let assigned = role(
        &app,
        &s,
        "assigned",
        &["projects.read"],
        json!({ "kind": "assigned" }),
    )
    .await;
    let (worker_id, worker) = member(&app, &s, "worker@acme.example", &[&assigned]).await;
    assert!(visible(&app, &worker).await.is_empty());
    ok(app
        .send_auth(
            Method::PUT,
            &format!("/api/v1/projects/{plain}/members"),
            &s.access,
            Some(&json!({ "user_ids": [worker_id] })),
        )
        .await)
    .await;
    assert_eq!(visible(&app, &worker).await, ["c-plain"]);

    // Union over roles, permission by permission: read all, delete only soda.
    let soda_cleaners = role(
        &app,
        &s,
        "soda cleaners",
        &["projects.delete"],
        json!({ "kind": "labels", "label_ids": [soda["id"]] }),
    )
    .await;
    let all_readers = role(
        &app,
        &s,
        "all readers",
        &["projects.read"],
        json!({ "kind": "all" }),
    )
    .await;
    let (_, both) = member(
        &app,
        &s,
        "both@acme.example",
        &[&soda_cleaners, &all_readers],
    )
    .await;
    assert_eq!(visible(&app, &both).await, ["a-tea", "b-soda", "c-plain"]);
    assert_problem(
        app.send_auth(
            Method::DELETE,
            &format!("/api/v1/projects/{plain}"),
            &both,
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.send_auth(
            Method::DELETE,
            &format!("/api/v1/projects/{soda_project}"),
            &both,
            None
        )
        .await
        .status(),
        204
    );
    // No role grants write: 403, not 404.
    assert_problem(
        app.send_auth(
            Method::PATCH,
            &format!("/api/v1/projects/{plain}"),
            &both,
            Some(&json!({ "name": "x" })),
        )
        .await,
        403,
        "permission_denied",
    )
    .await;
}

#[tokio::test]
async fn role_changes_apply_on_the_holders_next_request() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let tea = ok(app
        .send_auth(
            Method::POST,
            "/api/v1/labels",
            &s.access,
            Some(&json!({ "code": "TEA", "name": "お茶" })),
        )
        .await)
    .await;
    project(&app, &s, "a-tea", &[&tea]).await;
    project(&app, &s, "b-other", &[]).await;
    let team = role(
        &app,
        &s,
        "team",
        &["projects.read"],
        json!({ "kind": "labels", "label_ids": [tea["id"]] }),
    )
    .await;
    let (_, token) = member(&app, &s, "m@acme.example", &[&team]).await;
    assert_eq!(visible(&app, &token).await, ["a-tea"]);
    let path = format!("/api/v1/roles/{}", team["id"].as_str().unwrap());
    ok(app
        .send_auth(
            Method::PATCH,
            &path,
            &s.access,
            Some(&json!({ "scope": { "kind": "all" } })),
        )
        .await)
    .await;
    assert_eq!(visible(&app, &token).await, ["a-tea", "b-other"]);
    ok(app
        .send_auth(
            Method::PATCH,
            &path,
            &s.access,
            Some(&json!({ "permissions": ["labels.read"] })),
        )
        .await)
    .await;
    assert_problem(
        app.get_auth("/api/v1/projects", &token).await,
        403,
        "permission_denied",
    )
    .await;
}
