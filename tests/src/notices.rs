//! Notices for tests: bodies to publish, and what a tenant sees.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::TestApp;

/// A maintenance starting `starts_in` from now, two hours long.
pub fn maintenance(starts_in: Duration) -> Value {
    let start = Utc::now() + starts_in;
    json!({
        "kind": "maintenance",
        "severity": "warning",
        "title": { "ja": "定期メンテナンス", "en": "Scheduled maintenance" },
        "body": { "ja": "データベースを更新します。" },
        "starts_at": start,
        "ends_at": start + Duration::hours(2),
    })
}

/// A notice of `kind` for every tenant, or for `audience`.
pub fn notice(kind: &str, audience: Option<Vec<String>>) -> Value {
    let mut n = json!({
        "kind": kind,
        "severity": "critical",
        "title": { "ja": format!("{kind} のお知らせ") },
        "body": { "ja": "詳細は追ってお知らせします。" },
    });
    if let Some(ids) = audience {
        n["audience"] = json!({ "tenant_ids": ids });
    }
    n
}

pub async fn publish(app: &TestApp, ops: &str, body: &Value) -> reqwest::Response {
    app.send_auth(Method::POST, "/api/v1/ops/notices", ops, Some(body))
        .await
}

pub async fn published(app: &TestApp, ops: &str, body: &Value) -> Value {
    let res = publish(app, ops, body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The tenant's post-login notices, by id.
pub async fn seen(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app.get_auth("/api/v1/notices", token).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

pub fn find<'a>(items: &'a [Value], id: &Value) -> Option<&'a Value> {
    items.iter().find(|n| n["id"] == *id)
}
