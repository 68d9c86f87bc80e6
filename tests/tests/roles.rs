use crepo_tests::{assert_problem, logs, Session, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn role(app: &TestApp, s: &Session, name: &str, perms: &[&str], scope: Value) -> Value {
    ok(app
        .send_auth(
            Method::POST,
            "/api/v1/roles",
            &s.access,
            Some(&json!({ "name": name, "permissions": perms, "scope": scope })),
        )
        .await)
    .await
}

/// A user holding `roles`, signed in with a changed password.
async fn member(app: &TestApp, admin: &Session, email: &str, roles: &[&Value]) -> (String, String) {
    let ids: Vec<&Value> = roles.iter().map(|r| &r["id"]).collect();
    let created = ok(app
        .send_auth(
            Method::POST,
            "/api/v1/users",
            &admin.access,
            Some(&json!({ "email": email, "name": "M", "role_ids": ids })),
        )
        .await)
    .await;
    let temp = created["temporary_password"].as_str().unwrap().to_owned();
    let t = ok(app.login("acme", email, &temp).await).await;
    let token = t["access_token"].as_str().unwrap().to_owned();
    let change = json!({ "current_password": temp, "new_password": "scoped member passphrase" });
    app.send_auth(Method::PUT, "/api/v1/me/password", &token, Some(&change))
        .await;
    (created["user"]["id"].as_str().unwrap().to_owned(), token)
}

async fn project(app: &TestApp, s: &Session, name: &str, labels: &[&Value]) -> String {
    let p = ok(app
        .send_auth(
            Method::POST,
            "/api/v1/projects",
            &s.access,
            Some(&json!({ "name": name })),
        )
        .await)
    .await;
    let id = p["id"].as_str().unwrap().to_owned();
    let ids: Vec<&Value> = labels.iter().map(|l| &l["id"]).collect();
    ok(app
        .send_auth(
            Method::PUT,
            &format!("/api/v1/projects/{id}/labels"),
            &s.access,
            Some(&json!({ "label_ids": ids })),
        )
        .await)
    .await;
    id
}

async fn visible(app: &TestApp, token: &str) -> Vec<String> {
    let page = ok(app.get_auth("/api/v1/projects?sort=name", token).await).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

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
