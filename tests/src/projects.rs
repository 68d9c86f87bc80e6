//! Projects and labels for tests, created through the API.

use reqwest::Method;
use serde_json::{json, Value};

use crate::{Session, TestApp};

pub async fn project(app: &TestApp, s: &Session, name: &str, description: &str) -> Value {
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/projects",
            &s.access,
            Some(&json!({ "name": name, "description": description })),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert!(res.headers().contains_key("etag"));
    res.json().await.unwrap()
}

pub async fn label(app: &TestApp, s: &Session, code: &str) -> Value {
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/labels",
            &s.access,
            Some(&json!({ "code": code, "name": format!("品目 {code}") })),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

pub async fn set_labels(
    app: &TestApp,
    s: &Session,
    p: &Value,
    labels: &[&Value],
) -> reqwest::Response {
    let ids: Vec<&Value> = labels.iter().map(|l| &l["id"]).collect();
    let path = format!("/api/v1/projects/{}/labels", p["id"].as_str().unwrap());
    app.send_auth(
        Method::PUT,
        &path,
        &s.access,
        Some(&json!({ "label_ids": ids })),
    )
    .await
}

pub async fn names(app: &TestApp, s: &Session, query: &str) -> Vec<String> {
    let res = app
        .get_auth(&format!("/api/v1/projects?{query}"), &s.access)
        .await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}
