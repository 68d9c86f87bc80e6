//! No one widens their own reach from inside (issue 16, item 6): with
//! `projects.write` everywhere but files only on assigned or labelled
//! projects, a user cannot join a project or label it to read its files.

use crepo_tests::{
    assert_problem,
    projects::{label, project, set_labels},
    Session, TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

async fn role(app: &TestApp, admin: &Session, name: &str, permissions: Value, scope: Value) {
    let body =
        json!({ "name": name, "description": "", "permissions": permissions, "scope": scope });
    let res = app
        .send_auth(Method::POST, "/api/v1/roles", &admin.access, Some(&body))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

async fn set_members(app: &TestApp, s: &Session, p: &Value, ids: &[&str]) -> reqwest::Response {
    let path = format!("/api/v1/projects/{}/members", p["id"].as_str().unwrap());
    app.send_auth(
        Method::PUT,
        &path,
        &s.access,
        Some(&json!({ "user_ids": ids })),
    )
    .await
}

async fn files_status(app: &TestApp, s: &Session, p: &Value) -> u16 {
    let path = format!("/api/v1/projects/{}/files", p["id"].as_str().unwrap());
    app.get_auth(&path, &s.access).await.status().as_u16()
}

#[tokio::test]
async fn a_user_cannot_join_or_label_a_project_to_reach_what_their_roles_keep_from_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let tea = label(&app, &admin, "TEA-01").await;
    let plain = label(&app, &admin, "PLAIN-01").await;
    role(
        &app,
        &admin,
        "editor-all",
        json!(["projects.read", "projects.write"]),
        json!({ "kind": "all" }),
    )
    .await;
    role(
        &app,
        &admin,
        "files-assigned",
        json!(["files.read"]),
        json!({ "kind": "assigned" }),
    )
    .await;
    role(
        &app,
        &admin,
        "files-tea",
        json!(["files.read"]),
        json!({ "kind": "labels", "label_ids": [tea["id"]] }),
    )
    .await;
    let (user, staff) = app
        .user(
            &admin,
            "staff@acme.example",
            &["editor-all", "files-assigned", "files-tea"],
            None,
            "staff passphrase, long enough",
        )
        .await;
    let me = user["id"].as_str().unwrap();
    let p = project(&app, &admin, "新パッケージ", "").await;
    assert_eq!(files_status(&app, &staff, &p).await, 404);

    // Joining the project would reach its files: refused, and nothing changed.
    assert_problem(
        set_members(&app, &staff, &p, &[me]).await,
        403,
        "scope_escalation",
    )
    .await;
    assert_eq!(files_status(&app, &staff, &p).await, 404);
    // So would a label a label-scoped role reaches.
    let refused = assert_problem(
        set_labels(&app, &staff, &p, &[&tea]).await,
        403,
        "scope_escalation",
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("files.read"),
        "{refused}"
    );
    assert_eq!(files_status(&app, &staff, &p).await, 404);

    // Changes that widen nothing of their own are fine.
    assert_eq!(set_labels(&app, &staff, &p, &[&plain]).await.status(), 200);
    let (other, _) = app
        .create_user(&admin, "other@acme.example", &["viewer"], None)
        .await;
    let other_id = other["id"].as_str().unwrap();
    assert_eq!(
        set_members(&app, &staff, &p, &[other_id]).await.status(),
        200
    );

    // Someone whose reach is all projects assigns them; then leaving is fine.
    assert_eq!(
        set_members(&app, &admin, &p, &[me, other_id])
            .await
            .status(),
        200
    );
    assert_eq!(files_status(&app, &staff, &p).await, 200);
    assert_eq!(
        set_members(&app, &staff, &p, &[other_id]).await.status(),
        200
    );
    assert_eq!(files_status(&app, &staff, &p).await, 404);
}
