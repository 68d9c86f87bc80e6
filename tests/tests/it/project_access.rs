//! Labels and who may reach projects: codes and JAN check digits, other
//! tenants' ids, viewers.

use crepo_tests::{
    assert_problem,
    projects::{label, names, project, set_labels},
    TestApp,
};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn labels_validate_codes_and_jan_check_digits_and_refuse_deletion_while_used() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let create = |body: Value| {
        let (app, token) = (&app, s.access.clone());
        async move {
            app.send_auth(Method::POST, "/api/v1/labels", &token, Some(&body))
                .await
        }
    };
    assert_eq!(
        create(json!({ "code": "4901234567894", "kind": "jan", "name": "緑茶" }))
            .await
            .status(),
        201
    );
    assert_eq!(
        create(json!({ "code": "49012347", "kind": "jan", "name": "EAN-8" }))
            .await
            .status(),
        201
    );
    let p = assert_problem(
        create(json!({ "code": "4901234567895", "kind": "jan", "name": "x" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "invalid_check_digit");
    let p = assert_problem(
        create(json!({ "code": "ABC", "kind": "jan", "name": "x" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "invalid_jan");
    let p = assert_problem(
        create(json!({ "code": "-bad", "name": "x" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "invalid_format");
    assert_problem(
        create(json!({ "code": "4901234567894", "name": "dup" })).await,
        409,
        "label_code_taken",
    )
    .await;

    let used = label(&app, &s, "USED-1").await;
    let p = project(&app, &s, "With label", "").await;
    set_labels(&app, &s, &p, &[&used]).await;
    let path = format!("/api/v1/labels/{}", used["id"].as_str().unwrap());
    assert_problem(
        app.send_auth(Method::DELETE, &path, &s.access, None).await,
        409,
        "label_in_use",
    )
    .await;
    assert_eq!(
        app.send_auth(
            Method::DELETE,
            &format!("{path}?force=true"),
            &s.access,
            None
        )
        .await
        .status(),
        204
    );
    let after: Value = app
        .get_auth(
            &format!("/api/v1/projects/{}", p["id"].as_str().unwrap()),
            &s.access,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(after["labels"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn another_tenant_gets_404_for_every_project_and_label_id() {
    let app = TestApp::spawn().await;
    let a = app.admin("tenant-a").await;
    let b = app.admin("tenant-b").await;
    let p = project(&app, &a, "A's secret", "").await;
    let l = label(&app, &a, "A-CODE").await;
    let pp = format!("/api/v1/projects/{}", p["id"].as_str().unwrap());
    let lp = format!("/api/v1/labels/{}", l["id"].as_str().unwrap());
    assert_problem(app.get_auth(&pp, &b.access).await, 404, "not_found").await;
    assert_problem(
        app.send_auth(
            Method::PATCH,
            &pp,
            &b.access,
            Some(&json!({ "name": "pwn" })),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_auth(Method::DELETE, &pp, &b.access, None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PUT,
            &format!("{pp}/labels"),
            &b.access,
            Some(&json!({ "label_ids": [] })),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_auth(&format!("{pp}/files"), &b.access).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get_auth(&lp, &b.access).await, 404, "not_found").await;
    assert_problem(
        app.send_auth(Method::DELETE, &lp, &b.access, None).await,
        404,
        "not_found",
    )
    .await;
    // B's own label id cannot be attached to A's project, and A's label not to B's.
    let bp = project(&app, &b, "B's", "").await;
    let res = set_labels(&app, &b, &bp, &[&l]).await;
    assert_problem(res, 422, "validation_failed").await;
    assert!(names(&app, &b, "").await == ["B's"]);
}

#[tokio::test]
async fn viewers_read_but_do_not_write() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let p = project(&app, &s, "Readable", "").await;
    let (_, viewer) = app
        .user(
            &s,
            "view@acme.example",
            &["viewer"],
            None,
            "viewer passphrase xyz",
        )
        .await;
    let v = viewer.access.as_str();
    assert_eq!(app.get_auth("/api/v1/projects", v).await.status(), 200);
    let path = format!("/api/v1/projects/{}", p["id"].as_str().unwrap());
    assert_eq!(app.get_auth(&path, v).await.status(), 200);
    assert_problem(
        app.send_auth(
            Method::POST,
            "/api/v1/projects",
            v,
            Some(&json!({ "name": "no" })),
        )
        .await,
        403,
        "permission_denied",
    )
    .await;
    assert_problem(
        app.send_auth(Method::DELETE, &path, v, None).await,
        403,
        "permission_denied",
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::POST,
            "/api/v1/labels",
            v,
            Some(&json!({ "code": "X", "name": "x" })),
        )
        .await,
        403,
        "permission_denied",
    )
    .await;
}

#[tokio::test]
async fn project_access_names_who_can_read_it_and_through_which_role() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let (green, other) = (
        label(&app, &s, "GREEN").await,
        label(&app, &s, "OTHER").await,
    );
    let p = project(&app, &s, "緑茶", "").await;
    set_labels(&app, &s, &p, &[&green]).await;
    let role = |name: &str, permissions: Value, scope: Value| {
        let (app, token, body) = (
            &app,
            s.access.clone(),
            json!({ "name": name, "permissions": permissions, "scope": scope }),
        );
        async move {
            let res = app
                .send_auth(Method::POST, "/api/v1/roles", &token, Some(&body))
                .await;
            assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        }
    };
    role(
        "緑茶チーム",
        json!(["projects.read"]),
        json!({ "kind": "labels", "label_ids": [green["id"]] }),
    )
    .await;
    role(
        "他チーム",
        json!(["projects.read", "users.read"]),
        json!({ "kind": "labels", "label_ids": [other["id"]] }),
    )
    .await;
    role(
        "担当者",
        json!(["projects.read"]),
        json!({ "kind": "assigned" }),
    )
    .await;
    role("ラベル係", json!(["labels.read"]), json!({ "kind": "all" })).await;
    let mut ids = std::collections::HashMap::new();
    for (email, roles) in [
        ("green@acme.example", vec!["緑茶チーム"]),
        ("other@acme.example", vec!["他チーム"]),
        ("member@acme.example", vec!["担当者", "緑茶チーム"]),
        ("nonmember@acme.example", vec!["担当者"]),
        ("labels@acme.example", vec!["ラベル係"]),
    ] {
        let (user, _) = app.create_user(&s, email, &roles, None).await;
        ids.insert(email, user["id"].as_str().unwrap().to_owned());
    }
    let pid = p["id"].as_str().unwrap();
    let members = json!({ "user_ids": [ids["member@acme.example"], ids["labels@acme.example"]] });
    let res = app
        .send_auth(
            Method::PUT,
            &format!("/api/v1/projects/{pid}/members"),
            &s.access,
            Some(&members),
        )
        .await;
    assert_eq!(res.status(), 200);

    let res = app
        .get_auth(&format!("/api/v1/projects/{pid}/access"), &s.access)
        .await;
    assert_eq!(res.status(), 200);
    let access: Value = res.json().await.unwrap();
    let reasons = |email: &str| -> Vec<String> {
        access["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["email"] == email)
            .map(|e| {
                e["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        format!(
                            "{}:{}",
                            r["kind"].as_str().unwrap(),
                            r["role_name"].as_str().unwrap()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(reasons("owner@acme.example"), ["all:admin"]);
    assert_eq!(reasons("green@acme.example"), ["labels:緑茶チーム"]);
    assert_eq!(
        reasons("member@acme.example"),
        ["member:担当者", "labels:緑茶チーム"]
    );
    assert!(reasons("other@acme.example").is_empty(), "{access}");
    assert!(reasons("nonmember@acme.example").is_empty());
    assert!(reasons("labels@acme.example").is_empty());
    assert_eq!(access["items"].as_array().unwrap().len(), 3, "{access}");
    let green_reason = access["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["email"] == "green@acme.example")
        .unwrap();
    assert_eq!(
        green_reason["reasons"][0]["label_ids"],
        json!([green["id"]])
    );
    assert_eq!(
        access["members_without_effect"],
        json!([ids["labels@acme.example"]])
    );

    // Whoever cannot list users is not told who they are; nor is another
    // tenant, or someone the project is out of reach for.
    let (_, g) = app
        .user(
            &s,
            "green2@acme.example",
            &["緑茶チーム"],
            None,
            "green tea passphrase",
        )
        .await;
    assert_problem(
        app.get_auth(&format!("/api/v1/projects/{pid}/access"), &g.access)
            .await,
        403,
        "permission_denied",
    )
    .await;
    let (_, o) = app
        .user(
            &s,
            "other2@acme.example",
            &["他チーム"],
            None,
            "other team passphrase",
        )
        .await;
    assert_problem(
        app.get_auth(&format!("/api/v1/projects/{pid}/access"), &o.access)
            .await,
        404,
        "not_found",
    )
    .await;
    let stranger = app.admin("globex").await;
    assert_problem(
        app.get_auth(&format!("/api/v1/projects/{pid}/access"), &stranger.access)
            .await,
        404,
        "not_found",
    )
    .await;
}
