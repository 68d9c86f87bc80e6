//! The object-storage and SMS backends, including S3 and SNS against moto_server.

use crepo_api::{ids::TenantId, sms, storage, storage::ObjectKey};
use crepo_tests::{moto::Moto, TestApp, TestEnv};
use serde_json::Value;

fn bytes(s: &'static [u8]) -> bytes::Bytes {
    bytes::Bytes::from_static(s)
}

async fn wait_for_ready(app: &TestApp, want: &str) -> Value {
    let mut body = Value::Null;
    for _ in 0..100 {
        body = app.get("/health/ready").await.json().await.unwrap();
        if body["status"] == want {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("readiness never became {want}: {body}");
}

async fn wait_for_check(app: &TestApp, check: &str, want: &str) -> Value {
    let mut body = Value::Null;
    for _ in 0..100 {
        body = app.get("/health/ready").await.json().await.unwrap();
        if body["checks"][check]["status"] == want {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{check} never became {want}: {body}");
}

#[tokio::test]
async fn s3_objects_are_written_with_sse_aes256_under_the_tenant_prefix() {
    let moto = Moto::start().await;
    let s3 = moto.bucket("crepo-test").await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", "s3://crepo-test/objects");
    let store = storage::from_settings(&env.settings()).await.unwrap();
    assert_eq!(store.kind(), "s3");

    let tenant = TenantId::new();
    let key = ObjectKey::for_tenant(tenant, "files/design.pdf").unwrap();
    store
        .put(&key, bytes(b"%PDF-1.7 design"), "application/pdf")
        .await
        .unwrap();

    let head = s3
        .head_object()
        .bucket("crepo-test")
        .key(format!("objects/{tenant}/files/design.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.server_side_encryption(),
        Some(&aws_sdk_s3::types::ServerSideEncryption::Aes256)
    );
    assert_eq!(
        store.get(&key).await.unwrap().unwrap(),
        bytes(b"%PDF-1.7 design")
    );
    store.delete(&key).await.unwrap();
    assert!(store.get(&key).await.unwrap().is_none());
    store.check().await.unwrap();

    // The running app reports S3 as up in readiness.
    let app = TestApp::spawn_with(env).await;
    let body = wait_for_ready(&app, "ready").await;
    assert_eq!(body["checks"]["object_storage"]["status"], "up");
}

#[tokio::test]
async fn a_missing_bucket_makes_readiness_degraded_but_still_200() {
    let moto = Moto::start().await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", "s3://no-such-bucket/x");
    let app = TestApp::spawn_with(env).await;
    let mut body = wait_for_ready(&app, "degraded").await;
    for _ in 0..100 {
        if body["checks"]["object_storage"]["status"] != "unknown" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        body = app.get("/health/ready").await.json().await.unwrap();
    }
    assert_eq!(body["checks"]["object_storage"]["status"], "down", "{body}");
    assert_eq!(body["checks"]["database"]["status"], "up");
    assert_eq!(app.get("/health/ready").await.status(), 200);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"crepo_dependency_up{dependency="object_storage"} 0"#),
        "{metrics}"
    );
}

#[tokio::test]
async fn sns_receives_the_sms() {
    let moto = Moto::start().await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_SMS", "sns")
        .set("CREPO_MAIL", "ses")
        .set("CREPO_MAIL_FROM", "noreply@crepo.example");
    let sender = sms::from_settings(&env.settings(), crepo_api::clock::Clock::default())
        .await
        .unwrap();
    assert_eq!(sender.kind(), "sns");
    sender
        .send("+819012345678", "Crepo code: 493817")
        .await
        .unwrap();
    sender.check().await.unwrap();
    let data = moto.data().await;
    let sent = data["sns"]["SMS"].as_array().unwrap();
    assert_eq!(sent.len(), 1, "{data}");
    assert_eq!(sent[0]["phone_number"], "+819012345678");
    assert_eq!(sent[0]["message"], "Crepo code: 493817");

    // The SES sender is not set up yet: mail of incidents could not go out.
    env.set("CREPO_PROBE_INTERVAL_SECS", "1");
    let app = TestApp::spawn_with(env).await;
    let body = wait_for_check(&app, "mail", "down").await;
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["checks"]["sms"]["status"], "up");
    moto.ses_identity("noreply@crepo.example").await;
    let body = wait_for_ready(&app, "ready").await;
    assert_eq!(body["checks"]["mail"]["status"], "up");
}

#[tokio::test]
async fn the_outbox_appends_one_json_object_per_message() {
    let env = TestEnv::new().await;
    let sender = sms::from_settings(&env.settings(), crepo_api::clock::Clock::default())
        .await
        .unwrap();
    assert_eq!(sender.kind(), "outbox");
    sender.send("+819012345678", "コード 123456").await.unwrap();
    sender.send("+819087654321", "code 654321").await.unwrap();
    let text = std::fs::read_to_string(env.data_dir.path().join("sms-outbox.jsonl")).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["to"], "+819012345678");
    assert_eq!(lines[0]["body"], "コード 123456");
    assert!(chrono::DateTime::parse_from_rfc3339(lines[0]["sent_at"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn the_directory_store_keeps_objects_under_the_tenant_prefix() {
    let env = TestEnv::new().await;
    let store = storage::from_settings(&env.settings()).await.unwrap();
    let tenant = TenantId::new();
    let key = ObjectKey::for_tenant(tenant, "a/b.bin").unwrap();
    store
        .put(
            &key,
            bytes(b"\x00\x01encrypted-by-customer\xff"),
            "application/octet-stream",
        )
        .await
        .unwrap();
    let on_disk = env
        .data_dir
        .path()
        .join(format!("objects/{tenant}/a/b.bin"));
    assert_eq!(
        std::fs::read(on_disk).unwrap(),
        b"\x00\x01encrypted-by-customer\xff"
    );
    assert!(ObjectKey::for_tenant(tenant, "../escape").is_err());
    store.delete(&key).await.unwrap();
    store.delete(&key).await.unwrap();
    assert!(store.get(&key).await.unwrap().is_none());
}
