//! Object storage and the SMS provider down.

use std::time::{Duration, Instant};

use crepo_tests::{TestApp, TestEnv};
use serde_json::Value;

use super::enabled;

async fn wait_ready_check(app: &TestApp, check: &str, state: &str) -> Duration {
    let started = Instant::now();
    loop {
        let ready: Value = app.get("/health/ready").await.json().await.unwrap();
        let found = ready["checks"][check]["status"] == state;
        if found {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{check} never became {state}: {ready}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_object_storage_down() {
    if !enabled() {
        return;
    }
    let mut moto = crepo_tests::moto::Moto::start().await;
    moto.bucket("crepo-faults").await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", "s3://crepo-faults/objects");
    env.set("CREPO_PROBE_INTERVAL_SECS", "1");
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("s3-faults").await;
    let p = crepo_tests::projects::project(&app, &s, "S3", "").await;
    let pid = p["id"].as_str().unwrap();
    let upload = |name: String| {
        let (app, token) = (&app, s.access.clone());
        async move {
            let started = Instant::now();
            let res = app
                .client
                .post(app.url(&format!("/api/v1/projects/{pid}/files?filename={name}")))
                .bearer_auth(token)
                .header("content-type", "image/png")
                .body(vec![7u8; 300 * 1024])
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), started.elapsed())
        }
    };
    let (status, _) = upload("before.png".into()).await;
    assert_eq!(status, 201);
    moto.kill();
    let down = Instant::now();
    let (status, took) = upload("during.png".into()).await;
    assert_eq!(status, 503);
    let first_503 = down.elapsed();
    let degraded = wait_ready_check(&app, "object_storage", "down").await;
    let ready = app.get("/health/ready").await;
    assert_eq!(
        ready.status(),
        200,
        "the database answers: degraded, not unready"
    );
    let page: Value = app
        .get_auth(&format!("/api/v1/projects/{pid}/files"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    let before: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["filename"].as_str().unwrap())
        .collect();
    let id_before = page["items"][0]["id"].as_str().unwrap();
    let started = Instant::now();
    let download = app
        .get_auth(
            &format!("/api/v1/projects/{pid}/files/{id_before}/content"),
            &s.access,
        )
        .await;
    let download_took = started.elapsed();
    assert_eq!(download.status(), 503);
    assert!(
        took < Duration::from_secs(3) && download_took < Duration::from_secs(3),
        "{took:?} {download_took:?}"
    );
    assert_eq!(before, ["before.png"], "a failed upload was recorded");

    // The endpoint returns (empty, as a fresh service): uploads work again
    // without a restart.
    moto.restart().await;
    moto.bucket("crepo-faults").await;
    let up = Instant::now();
    let recovered = loop {
        let (status, _) = upload("after.png".into()).await;
        if status == 201 {
            break up.elapsed();
        }
        assert!(up.elapsed() < Duration::from_secs(15), "no recovery");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    wait_ready_check(&app, "object_storage", "up").await;
    println!(
        "FAULT object storage down: first 503 {first_503:?} after the outage began (upload answered in {took:?}, download in {download_took:?}); readiness degraded {degraded:?} later; recovered {recovered:?} after the endpoint returned; 1 acknowledged upload checked, 0 recorded for the refused one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_sms_provider_down() {
    if !enabled() {
        return;
    }
    let mut moto = crepo_tests::moto::Moto::start().await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_SMS", "sns");
    app_sms_outage(&mut moto, env).await;
}

async fn app_sms_outage(moto: &mut crepo_tests::moto::Moto, env: TestEnv) {
    let app = TestApp::spawn_with(env).await;
    let res = app.signup(&crepo_tests::signup_body("sms-faults")).await;
    assert_eq!(res.status(), 201);
    moto.kill();
    let started = Instant::now();
    let res = app
        .login(
            "sms-faults",
            "owner@sms-faults.example",
            "correct horse battery staple",
        )
        .await;
    let took = started.elapsed();
    let problem = crepo_tests::assert_problem(res, 503, "service_unavailable").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("could not be sent"),
        "{problem}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");

    moto.restart().await;
    let up = Instant::now();
    let res = app
        .login(
            "sms-faults",
            "owner@sms-faults.example",
            "correct horse battery staple",
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["mfa_required"], true);
    let texts = moto.sms().await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    println!(
        "FAULT SMS provider down: login answered 503 (the code was not sent, say so) in {took:?}; after the provider returned a new login texted a code in {:?}",
        up.elapsed()
    );
}
