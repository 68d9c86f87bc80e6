//! Exports when things go wrong or live elsewhere: a server killed half-way
//! through one, and an export on S3 (multipart, encrypted, expired from the
//! bucket).

use std::time::Duration;

use crepo_tests::{assert_problem, TestApp};
use serde_json::{json, Value};

use super::{
    exports::{download, finished, read_member, start_export, PNG},
    files::{new_project, upload},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_export_leaves_the_job_failed_and_no_partial_zip() {
    use crepo_tests::binary::{free_port, serve, Server};
    let env = crepo_tests::TestEnv::new().await;
    let port = free_port();
    let mut dying = serve(&env, port);
    dying
        .env("CREPO_FAULT_EXIT_AFTER_COMMIT", "export.file")
        .env("CREPO_EXPORT_STALE_SECS", "2");
    let mut server = Server::start(dying, port).await;
    let token = server.admin_token(&env, "killed").await;
    let http = server.http.clone();
    let project: Value = http
        .post(server.url("/api/v1/projects"))
        .bearer_auth(&token)
        .json(&json!({ "name": "途中で落ちる" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pid = project["id"].as_str().unwrap();
    for name in ["a.png", "b.png"] {
        let res = http
            .post(server.url(&format!("/api/v1/projects/{pid}/files")))
            .query(&[("filename", name)])
            .bearer_auth(&token)
            .header("content-type", "image/png")
            .body(PNG.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    let started: Value = http
        .post(server.url("/api/v1/exports"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = started["id"].as_str().unwrap().to_owned();
    // The node dies after the export's first file.
    let status = server.exit_within(Duration::from_secs(20)).await;
    assert_eq!(status.code(), Some(86));

    let port = free_port();
    let mut cmd = serve(&env, port);
    cmd.env("CREPO_EXPORT_STALE_SECS", "2");
    let server = Server::start(cmd, port).await;
    let mut seen = Value::Null;
    for _ in 0..150 {
        seen = server
            .http
            .get(server.url(&format!("/api/v1/exports/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if seen["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen["status"], "failed", "{seen}");
    assert!(
        seen["error"].as_str().unwrap().contains("interrupted"),
        "{seen}"
    );
    let res = server
        .http
        .get(server.url(&format!("/api/v1/exports/{id}/download")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "export_not_ready").await;
    // Nothing of it is left in storage, not even the unfinished write.
    let me: Value = server
        .http
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let exports_dir = env
        .data_dir
        .path()
        .join("objects")
        .join(me["tenant"]["id"].as_str().unwrap())
        .join("exports");
    let left: Vec<_> = std::fs::read_dir(&exports_dir)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    // And a new export now runs to the end.
    let again = server
        .http
        .post(server.url("/api/v1/exports"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 202);
}

#[tokio::test]
async fn on_s3_the_export_streams_from_and_to_the_bucket_encrypted_and_expires_from_it() {
    use crepo_tests::{moto::Moto, TestEnv};
    let moto = Moto::start().await;
    let s3 = moto.bucket("crepo-exports").await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", "s3://crepo-exports/prod");
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("s3export").await;
    let project = new_project(&app, &s).await;
    // Larger than one multipart part, so the ZIP goes up in several.
    let design: Vec<u8> = (0..12_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let res = upload(
        &app,
        &s,
        &project,
        "大きい版下.bin",
        "application/octet-stream",
        design.clone(),
    )
    .await;
    assert_eq!(res.status(), 201);
    let e = start_export(&app, &s).await;
    let id = e["id"].as_str().unwrap().to_owned();
    let done = finished(&app, &s, &id).await;
    assert_eq!(done["status"], "ready", "{done}");
    let key = format!("prod/{}/exports/{id}.zip", s.tenant_id);
    let head = s3
        .head_object()
        .bucket("crepo-exports")
        .key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.server_side_encryption(),
        Some(&aws_sdk_s3::types::ServerSideEncryption::Aes256)
    );
    let bytes = download(&app, &s, &id)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        read_member(&mut zip, &format!("files/{project}/大きい版下.bin")),
        design
    );

    app.state.clock.advance(chrono::Duration::days(8));
    let mut gone = false;
    for _ in 0..100 {
        if s3
            .head_object()
            .bucket("crepo-exports")
            .key(&key)
            .send()
            .await
            .is_err()
        {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(gone, "the expired ZIP is deleted from the bucket");
}
