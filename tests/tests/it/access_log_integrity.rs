//! The access log cannot be altered, exports safely, never holds a secret,
//! and stays one chain across nodes.

use crepo_tests::{assert_problem, logs, TestApp};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

const PW: &str = "correct horse battery staple";

#[tokio::test]
async fn the_log_table_refuses_update_and_delete() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    logs::verify(&app, &admin.access).await;
    let update = logs::sql(
        &app,
        admin.tenant_id,
        &["UPDATE access_log SET event = 'forged' WHERE seq = 1".into()],
    )
    .await;
    assert!(update.is_err(), "UPDATE went through");
    let delete = logs::sql(
        &app,
        admin.tenant_id,
        &["DELETE FROM access_log WHERE seq = 1".into()],
    )
    .await;
    assert!(delete.is_err(), "DELETE went through");
    assert_eq!(logs::verify(&app, &admin.access).await["status"], "intact");
}

#[tokio::test]
async fn exports_stream_csv_with_a_bom_and_neutralised_formulas_and_are_logged() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&admin.access)
        .header("user-agent", "=HYPERLINK(\"http://evil.example\",\"x\")")
        .send()
        .await
        .unwrap();
    logs::wait_for(&app, &admin.access, |e| {
        e["user_agent"]
            .as_str()
            .is_some_and(|u| u.starts_with("=HYPERLINK"))
    })
    .await;

    let res = app
        .get_auth("/api/v1/access-logs/export?format=csv", &admin.access)
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "no UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("seq,at,event,user_id,user_email"),
        "{text}"
    );
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    assert!(!text.contains(",=HYPERLINK"), "{text}");

    let res = app
        .get_auth(
            "/api/v1/access-logs/export?format=jsonl&event=auth.",
            &admin.access,
        )
        .await;
    let body = res.text().await.unwrap();
    let lines: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    assert!(lines
        .iter()
        .all(|l| l["event"].as_str().unwrap().starts_with("auth.")));
    assert_problem(
        app.get_auth("/api/v1/access-logs/export?format=xml", &admin.access)
            .await,
        422,
        "validation_failed",
    )
    .await;

    let exports: Vec<Value> = logs::all(&app, &admin.access, "event=access_log.exported").await;
    assert_eq!(exports.len(), 2);
    assert_eq!(exports[0]["details"]["format"], "csv");
}

#[tokio::test]
async fn no_secret_is_ever_recorded() {
    let app = TestApp::spawn().await;
    let admin = app.admin("acme").await;
    let (_, temp) = app
        .create_user(&admin, "u@acme.example", &["viewer"], None)
        .await;
    let change = json!({ "current_password": PW, "new_password": "brand new admin passphrase" });
    app.send_auth(
        Method::PUT,
        "/api/v1/me/password",
        &admin.access,
        Some(&change),
    )
    .await;
    let codes: Vec<String> = app
        .outbox()
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect();
    let verdict = logs::verify(&app, &admin.access).await;
    assert_eq!(verdict["status"], "intact");
    let dump = logs::all(&app, &admin.access, "").await;
    let text = serde_json::to_string(&dump).unwrap();
    for secret in [
        PW,
        "brand new admin passphrase",
        temp.as_str(),
        admin.access.as_str(),
        admin.refresh.as_str(),
    ] {
        assert!(!text.contains(secret), "a secret was recorded");
    }
    for body in codes {
        let code = body
            .split(|c: char| !c.is_ascii_digit())
            .find(|r| r.len() == 6)
            .unwrap();
        for shape in [
            format!("\"{code}\""),
            format!(" {code}"),
            format!(":{code}"),
        ] {
            assert!(!text.contains(&shape), "a code was recorded: {shape}");
        }
    }
    assert!(!text.contains("$argon2"));
}

#[tokio::test]
async fn two_api_nodes_writing_for_one_tenant_build_one_unbroken_chain() {
    let first = TestApp::spawn().await;
    let admin = first.admin("acme").await;
    let second = TestApp::spawn_with(first.env.sibling()).await;
    let calls = (0..120).map(|i| {
        let node = if i % 2 == 0 { &first } else { &second };
        let token = admin.access.clone();
        async move { node.get_auth("/api/v1/me", &token).await.status().as_u16() }
    });
    assert!(join_all(calls).await.iter().all(|s| *s == 200));
    second.settle_log().await;
    first.settle_log().await;
    let verdict = logs::verify(&first, &admin.access).await;
    assert_eq!(verdict["status"], "intact", "{verdict}");
    let all = logs::all(&first, &admin.access, "").await;
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e["seq"].as_i64().unwrap(), i as i64 + 1);
    }
    let logged = all.iter().filter(|e| e["route"] == "/api/v1/me").count();
    let dropped = (
        first.state.access_log.dropped(),
        second.state.access_log.dropped(),
    );
    assert!(
        logged >= 120,
        "{logged} of 120 requests logged; dropped by the nodes: {dropped:?}"
    );
}
