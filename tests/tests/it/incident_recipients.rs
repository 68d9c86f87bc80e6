//! Who hears of an incident: every active user holding a tenant
//! administration permission (a custom role too, not only the built-in
//! `admin`), and the tenant's security contacts, each address once.

use std::collections::BTreeSet;

use crepo_tests::{assert_problem, operators::operator, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn security_contacts_are_checked_and_kept_in_order() {
    let app = TestApp::spawn().await;
    let s = app.admin("contacts").await;
    let path = "/api/v1/settings/security-contacts";
    let bad = json!({ "contacts": [
        { "name": "情報セキュリティ室", "email": "sec@contacts.example" },
        { "name": "当番", "email": "not-an-email", "phone": "090" },
    ]});
    let problem = assert_problem(
        app.send_auth(Method::PUT, path, &s.access, Some(&bad))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: BTreeSet<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["contacts[1].email", "contacts[1].phone"].into(),
        "{problem}"
    );
    // A number range used for SMS pumping is not taken as a contact's phone.
    let premium = json!({ "contacts": [{ "name": "x", "email": "x@contacts.example", "phone": "+88212345678" }] });
    let problem = assert_problem(
        app.send_auth(Method::PUT, path, &s.access, Some(&premium))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "not_allowed", "{problem}");
    let eleven: Vec<Value> = (0..11)
        .map(|i| json!({ "name": format!("n{i}"), "email": format!("n{i}@contacts.example") }))
        .collect();
    assert_problem(
        app.send_auth(
            Method::PUT,
            path,
            &s.access,
            Some(&json!({ "contacts": eleven })),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let good = json!({ "contacts": [
        { "name": "情報セキュリティ室", "email": "sec@contacts.example", "phone": "+819055556666" },
        { "name": "当番", "email": "oncall@contacts.example", "phone": null },
    ]});
    let res = app
        .send_auth(Method::PUT, path, &s.access, Some(&good))
        .await;
    assert_eq!(res.status(), 200);
    let got: Value = app.get_auth(path, &s.access).await.json().await.unwrap();
    assert_eq!(got["items"][0]["name"], "情報セキュリティ室");
    assert_eq!(got["items"][1]["phone"], Value::Null);
    let (_, viewer) = app
        .user(
            &s,
            "v@contacts.example",
            &["viewer"],
            None,
            "viewer passphrase 77",
        )
        .await;
    assert_problem(
        app.get_auth(path, &viewer.access).await,
        403,
        "permission_denied",
    )
    .await;
}

#[tokio::test]
async fn an_incident_reaches_custom_role_administrators_and_security_contacts_once_each() {
    let app = TestApp::spawn().await;
    let s = app.admin("reach").await;
    let ops = operator(&app, "ops@crepo.example").await;
    // A custom administration role, and a viewer who is no administrator.
    let role: Value = app
        .send_auth(
            Method::POST,
            "/api/v1/roles",
            &s.access,
            Some(&json!({ "name": "人事", "permissions": ["users.read", "users.manage"], "scope": { "kind": "all" } })),
        )
        .await
        .json()
        .await
        .unwrap();
    let body = json!({ "email": "hr@reach.example", "name": "人事 担当", "phone": "+819077778888", "role_ids": [role["id"]] });
    let res = app
        .send_auth(Method::POST, "/api/v1/users", &s.access, Some(&body))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    app.create_user(&s, "viewer@reach.example", &["viewer"], None)
        .await;
    let contacts = json!({ "contacts": [
        { "name": "情報セキュリティ室", "email": "sec@reach.example", "phone": "+819055556666" },
        // The owner again, as a contact: still one mail.
        { "name": "オーナー", "email": "OWNER@reach.example" },
    ]});
    let res = app
        .send_auth(
            Method::PUT,
            "/api/v1/settings/security-contacts",
            &s.access,
            Some(&contacts),
        )
        .await;
    assert_eq!(res.status(), 200);

    let notice: Value = app
        .send_auth(
            Method::POST,
            "/api/v1/ops/notices",
            &ops,
            Some(&json!({
                "kind": "incident", "severity": "critical",
                "title": { "ja": "配信の確認" }, "body": { "ja": "調査中" },
                "audience": { "tenant_ids": [s.tenant_id.to_string()] },
            })),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!(
        "/api/v1/ops/notices/{}/deliveries",
        notice["id"].as_str().unwrap()
    );
    let items: Vec<Value> = app
        .get_auth(&path, &ops)
        .await
        .json::<Value>()
        .await
        .unwrap()["items"]
        .as_array()
        .unwrap()
        .clone();
    let reached: BTreeSet<(String, String, String)> = items
        .iter()
        .map(|d| {
            (
                d["recipient_kind"].as_str().unwrap().to_owned(),
                d["recipient_name"].as_str().unwrap().to_owned(),
                d["channel"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, String)> = [
        ("user", "山田 花子", "email"),
        ("user", "山田 花子", "sms"),
        ("user", "人事 担当", "email"),
        ("user", "人事 担当", "sms"),
        ("security_contact", "情報セキュリティ室", "email"),
        ("security_contact", "情報セキュリティ室", "sms"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(reached, want, "{items:#?}");
    let call: Vec<&str> = items
        .iter()
        .filter_map(|d| d["call_phone"].as_str())
        .collect();
    assert_eq!(
        call,
        ["+819055556666"],
        "operators may call the contact, and only the contact"
    );
    assert!(
        items
            .iter()
            .all(|d| !d["destination"].as_str().unwrap().contains("55556666")),
        "destinations stay masked"
    );
}
