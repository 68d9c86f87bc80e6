//! Incidents addressed to given tenants reach those tenants' admins by email
//! and SMS: through the outbox in development, through SNS (moto_server) in
//! production, retried off the request when SNS fails.

use std::collections::BTreeSet;

use crepo_tests::{
    code_in,
    moto::Moto,
    operators::{create_operator, operator, ops_login, ops_mfa, OPS_PHONE},
    signup_body, TestApp, TestEnv,
};
use reqwest::Method;
use serde_json::{json, Value};

const TITLE: &str = "ファイル保存の障害";

/// Signs up `slug` whose owner (an admin) has `phone`; returns the tenant id.
async fn tenant(app: &TestApp, slug: &str, phone: &str) -> String {
    let mut body = signup_body(slug);
    body["phone"] = json!(phone);
    let res = app.signup(&body).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    created["tenant"]["id"].as_str().unwrap().to_owned()
}

fn incident(tenants: &[&str]) -> Value {
    json!({
        "kind": "incident",
        "severity": "critical",
        "title": { "ja": TITLE, "en": "File storage outage" },
        "body": { "ja": "一部のファイルがダウンロードできません。", "en": "Some files cannot be downloaded." },
        "audience": { "tenant_ids": tenants },
    })
}

async fn publish(app: &TestApp, ops: &str, body: &Value) -> String {
    let res = app
        .send_auth(Method::POST, "/api/v1/ops/notices", ops, Some(body))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let created: Value = res.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

async fn deliveries(app: &TestApp, ops: &str, notice: &str) -> Vec<Value> {
    let res = app
        .get_auth(&format!("/api/v1/ops/notices/{notice}/deliveries"), ops)
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

/// Waits until no delivery of `notice` is pending any more.
async fn settled(app: &TestApp, ops: &str, notice: &str) -> Vec<Value> {
    for _ in 0..1200 {
        let items = deliveries(app, ops, notice).await;
        if !items.is_empty() && items.iter().all(|d| d["status"] != "pending") {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "deliveries of {notice} still pending: {:?}",
        deliveries(app, ops, notice).await
    );
}

fn lines(app: &TestApp, file: &str) -> Vec<Value> {
    std::fs::read_to_string(app.env.data_dir.path().join(file))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn an_incident_reaches_exactly_the_admins_of_the_addressed_tenants_through_the_outbox() {
    let app = TestApp::spawn().await;
    let acme = tenant(&app, "acme", "+819011110001").await;
    let beta = tenant(&app, "beta", "+819022220001").await;
    tenant(&app, "gamma", "+819033330001").await;
    let acme_admin = app
        .session(
            "acme",
            "owner@acme.example",
            "correct horse battery staple",
            Some("+819011110001"),
        )
        .await;
    app.create_user(
        &acme_admin,
        "second@acme.example",
        &["admin"],
        Some("+819011110002"),
    )
    .await;
    app.create_user(
        &acme_admin,
        "editor@acme.example",
        &["editor"],
        Some("+819011110003"),
    )
    .await;
    let ops = operator(&app, "ops@crepo.example").await;

    let id = publish(&app, &ops, &incident(&[&acme, &beta])).await;
    let items = settled(&app, &ops, &id).await;
    assert_eq!(
        items.len(),
        6,
        "an email and an SMS to each of three admins: {items:?}"
    );
    for d in &items {
        assert_eq!(d["status"], "sent", "{d}");
        assert_eq!(d["attempts"], 1);
        assert_eq!(d["attempt_log"].as_array().unwrap().len(), 1);
        assert_eq!(d["attempt_log"][0]["outcome"], "sent");
        assert!(
            !d["destination"].as_str().unwrap().contains("11110001"),
            "masked: {d}"
        );
    }

    let mails: BTreeSet<(String, String)> = lines(&app, "mail-outbox.jsonl")
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().contains(TITLE))
        .map(|m| {
            (
                m["tenant_id"].as_str().unwrap().to_owned(),
                m["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        (acme.clone(), "owner@acme.example"),
        (acme.clone(), "second@acme.example"),
        (beta.clone(), "owner@beta.example"),
    ]
    .into_iter()
    .map(|(t, e)| (t, e.to_owned()))
    .collect();
    assert_eq!(mails, expected);
    let texts: BTreeSet<String> = app
        .outbox()
        .iter()
        .filter(|m| m["body"].as_str().unwrap().contains(TITLE))
        .map(|m| m["to"].as_str().unwrap().to_owned())
        .collect();
    let phones: BTreeSet<String> = ["+819011110001", "+819011110002", "+819022220001"]
        .map(String::from)
        .into();
    assert_eq!(texts, phones);

    // The same admins hear how the incident goes on.
    let updates = format!("/api/v1/ops/notices/{id}/updates");
    let body =
        json!({ "status": "resolved", "body": { "ja": "復旧しました。原因はディスク障害です。" } });
    let res = app
        .send_auth(Method::POST, &updates, &ops, Some(&body))
        .await;
    assert_eq!(res.status(), 201);
    let items = settled(&app, &ops, &id).await;
    let about_update: Vec<&Value> = items
        .iter()
        .filter(|d| d["update_id"].is_string())
        .collect();
    assert_eq!(about_update.len(), 6, "{items:?}");
    assert!(about_update.iter().all(|d| d["status"] == "sent"));
    let resolved: BTreeSet<String> = app
        .outbox()
        .iter()
        .filter(|m| m["body"].as_str().unwrap().contains("復旧しました"))
        .map(|m| m["to"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(resolved, phones);
    let mails = lines(&app, "mail-outbox.jsonl");
    let resolved_mails = mails
        .iter()
        .filter(|m| m["body"].as_str().unwrap().contains("復旧しました"))
        .count();
    assert_eq!(resolved_mails, 3);

    // Only incidents addressed to tenants are sent; the rest wait on the screen.
    let mut vulnerability = incident(&[&acme]);
    vulnerability["kind"] = json!("vulnerability");
    let quiet = publish(&app, &ops, &vulnerability).await;
    let everyone = publish(
        &app,
        &ops,
        &json!({
            "kind": "incident", "severity": "warning",
            "title": { "ja": "全体の障害" }, "body": { "ja": "調査中" },
        }),
    )
    .await;
    assert!(deliveries(&app, &ops, &quiet).await.is_empty());
    assert!(deliveries(&app, &ops, &everyone).await.is_empty());
}

/// An app whose SMS go to SNS and notice mail to SES on `moto`, and its
/// operator's token.
async fn sns_app(moto: &Moto, retry_ms: &str) -> (TestApp, String) {
    moto.ses_identity("noreply@crepo.example").await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_SMS", "sns")
        .set("CREPO_MAIL", "ses")
        .set("CREPO_MAIL_FROM", "noreply@crepo.example")
        .set("CREPO_DELIVERY_RETRY_MS", retry_ms);
    let app = TestApp::spawn_with(env).await;
    create_operator(&app.env, "ops@crepo.example");
    let mfa = ops_login(&app, "ops@crepo.example").await;
    let sms = moto.sms().await;
    let (_, text) = sms
        .iter()
        .rev()
        .find(|(to, _)| to == OPS_PHONE)
        .expect("the operator's code went through SNS");
    let ops = ops_mfa(&app, &mfa, &code_in(text)).await;
    (app, ops)
}

#[tokio::test]
async fn an_incident_reaches_the_admins_through_sns() {
    let moto = Moto::start().await;
    let (app, ops) = sns_app(&moto, "2000").await;
    let acme = tenant(&app, "acme", "+819011110001").await;
    let beta = tenant(&app, "beta", "+819022220001").await;
    let gamma = tenant(&app, "gamma", "+819033330001").await;

    let id = publish(&app, &ops, &incident(&[&acme, &beta])).await;
    let items = settled(&app, &ops, &id).await;
    assert!(items.iter().all(|d| d["status"] == "sent"), "{items:?}");

    let texts: BTreeSet<String> = moto
        .sms()
        .await
        .into_iter()
        .filter(|(_, text)| text.contains(TITLE))
        .map(|(to, _)| to)
        .collect();
    assert_eq!(
        texts,
        ["+819011110001", "+819022220001"].map(String::from).into()
    );

    let mail = moto.mail().await;
    let mailed: BTreeSet<String> = mail
        .iter()
        .filter(|(_, subject, _)| subject.contains(TITLE))
        .map(|(to, _, _)| to.clone())
        .collect();
    assert_eq!(
        mailed,
        ["owner@acme.example", "owner@beta.example"]
            .map(String::from)
            .into(),
        "SES mails each administrator directly"
    );
    for (_, subject, body) in &mail {
        assert!(
            subject.starts_with("[Crepo] Incident / 障害のお知らせ"),
            "{subject}"
        );
        assert!(
            body.contains("お問い合わせ / Support"),
            "the support desk ends every notice mail: {body}"
        );
    }
    let data = moto.data().await;
    assert!(
        !data.to_string().contains(&gamma),
        "nothing went to the tenant not addressed"
    );
}

#[tokio::test]
async fn a_failing_sns_is_retried_and_reported_without_blocking_the_api() {
    let moto = Moto::start().await;
    let (app, ops) = sns_app(&moto, "10").await;
    let acme = tenant(&app, "acme", "+819011110001").await;
    // SNS goes away: every send fails.
    drop(moto);

    let id = publish(&app, &ops, &incident(&[&acme])).await;
    // The API keeps answering while the worker retries.
    let res = app.get_auth("/api/v1/ops/notices", &ops).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.get("/health/live").await.status(), 200);

    let items = settled(&app, &ops, &id).await;
    assert_eq!(items.len(), 2, "{items:?}");
    for d in &items {
        assert_eq!(d["status"], "failed", "{d}");
        assert_eq!(d["attempts"], 5);
        let log = d["attempt_log"].as_array().unwrap();
        assert_eq!(log.len(), 5);
        assert!(
            log.iter()
                .all(|a| a["outcome"] == "failed" && a["error"].is_string()),
            "{d}"
        );
        let times: Vec<&str> = log.iter().map(|a| a["at"].as_str().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
        let error = d["last_error"].as_str().unwrap();
        assert!(error.contains("SNS") || error.contains("SES"), "{d}");
    }
}
