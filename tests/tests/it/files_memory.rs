//! A 20 MiB upload and download pass through the real server process with a
//! resident-memory growth well under the file's size: bytes stream, they are
//! not held.

use std::{process::Stdio, time::Duration};

use crepo_tests::{
    binary::{free_port, serve, Server},
    moto::Moto,
    TestEnv,
};
use serde_json::{json, Value};

const SIZE: usize = 20 * 1024 * 1024;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Peak resident-memory growth (KiB) of the server while 20 MiB go up and
/// come back down.
async fn peak_growth_during_transfer(env: &TestEnv) -> u64 {
    let port = free_port();
    let mut cmd = serve(env, port);
    cmd.env("CREPO_WORKERS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut server = Server::start(cmd, port).await;
    let pid = server.pid();
    let base = server.url("/api/v1");
    let http = server.http.clone();
    let token = server.admin_token(env, "acme").await;
    let project: Value = http
        .post(format!("{base}/projects"))
        .bearer_auth(&token)
        .json(&json!({ "name": "Big" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let project = project["id"].as_str().unwrap().to_owned();

    // Let allocator noise from start-up settle, then watch memory while the
    // body streams in from a generator (the client never holds it either).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kib(pid);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = done.clone();
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            peak = peak.max(rss_kib(pid));
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        peak.max(rss_kib(pid))
    });
    let chunks = (0..SIZE / 65536).map(|i| Ok::<_, std::io::Error>(vec![(i % 251) as u8; 65536]));
    let res = http
        .post(format!("{base}/projects/{project}/files?filename=big.bin"))
        .bearer_auth(&token)
        .header("content-type", "application/octet-stream")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let file: Value = res.json().await.unwrap();
    assert_eq!(file["size"], SIZE);
    // And back again, read as a stream.
    let mut download = http
        .get(format!(
            "{base}/projects/{project}/files/{}/content",
            file["id"].as_str().unwrap()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let mut received = 0usize;
    while let Some(chunk) = download.chunk().await.unwrap() {
        received += chunk.len();
    }
    assert_eq!(received, SIZE);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.await.unwrap();
    server.stop().await;
    peak.saturating_sub(before)
}

#[tokio::test]
async fn a_20_mib_upload_to_the_directory_store_does_not_sit_in_memory() {
    let env = TestEnv::new().await;
    let growth = peak_growth_during_transfer(&env).await;
    assert!(
        growth < 8 * 1024,
        "resident memory grew {growth} KiB for a 20 MiB file"
    );
}

#[tokio::test]
async fn a_20_mib_upload_to_s3_does_not_sit_in_memory() {
    let moto = Moto::start().await;
    moto.bucket("crepo-big").await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", "s3://crepo-big");
    let growth = peak_growth_during_transfer(&env).await;
    // One 5 MiB multipart part is buffered at a time.
    assert!(
        growth < 12 * 1024,
        "resident memory grew {growth} KiB for a 20 MiB file"
    );
}
