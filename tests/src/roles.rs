//! Roles and scopes for tests: custom roles, members holding them,
//! labelled projects, and what a token can see.

use reqwest::Method;
use serde_json::{json, Value};

use crate::{Session, TestApp};

pub async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

pub async fn role(app: &TestApp, s: &Session, name: &str, perms: &[&str], scope: Value) -> Value {
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
pub async fn member(
    app: &TestApp,
    admin: &Session,
    email: &str,
    roles: &[&Value],
) -> (String, String) {
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
    let temp = created["temporary_password"].as_str().unwrap();
    let session = app
        .first_login(&admin.tenant, email, temp, None, "scoped member passphrase")
        .await;
    (
        created["user"]["id"].as_str().unwrap().to_owned(),
        session.access,
    )
}

pub async fn project(app: &TestApp, s: &Session, name: &str, labels: &[&Value]) -> String {
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

pub async fn visible(app: &TestApp, token: &str) -> Vec<String> {
    let page = ok(app.get_auth("/api/v1/projects?sort=name", token).await).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}
