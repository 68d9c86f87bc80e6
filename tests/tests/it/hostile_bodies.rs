//! Bodies that never end or stop arriving (issue 15, hole 1): an upload's
//! whole body counts against the file limit, whatever its shape; a body that
//! stops is answered 408 and leaves nothing behind.

use std::time::{Duration, Instant};

use crepo_tests::{projects::project, TestApp, TestEnv};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// Sends `head` (a request line and headers, without the blank line).
async fn open(port: u16, head: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream
        .write_all(format!("{head}\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .await
        .unwrap();
    stream
}

/// The answer's status line and body, or `None` when nothing comes within
/// `wait`.
async fn answer(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        match tokio::time::timeout(deadline - Instant::now(), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Err(_) => break,
            Ok(Ok(n)) => {
                got.extend_from_slice(&buf[..n]);
                if got.windows(4).any(|w| w == b"\r\n\r\n") && got.ends_with(b"}") {
                    break;
                }
            }
            // A reset after the answer was sent: what was read stands.
            Ok(Err(_)) => break,
        }
    }
    (!got.is_empty()).then(|| String::from_utf8_lossy(&got).into_owned())
}

async fn files_of(app: &TestApp, token: &str, project: &str) -> Vec<Value> {
    let page: Value = app
        .get_auth(&format!("/api/v1/projects/{project}/files"), token)
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_multipart_body_that_never_reaches_a_boundary_is_refused_early() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_FILE_MAX_BYTES", "1048576");
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("acme").await;
    let p = project(&app, &s, "Boundless", "").await;
    let pid = p["id"].as_str().unwrap();
    let mut stream = open(
        app.port,
        &format!(
            "POST /api/v1/projects/{pid}/files HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: multipart/form-data; boundary=never\r\nTransfer-Encoding: chunked",
            s.access
        ),
    )
    .await;
    // Up to 64 MiB of one part header line that never ends; the server
    // must answer long before (today it reads on and on).
    let chunk = vec![b'a'; 64 * 1024];
    let frame = [
        format!("{:x}\r\n", chunk.len()).into_bytes(),
        chunk,
        b"\r\n".to_vec(),
    ]
    .concat();
    let mut sent = 0usize;
    for _ in 0..1024 {
        if stream.write_all(&frame).await.is_err() {
            break;
        }
        sent += frame.len();
        // The answer may already be there.
        let mut peek = [0u8; 1];
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(1), stream.peek(&mut peek)).await
        {
            if n > 0 {
                break;
            }
        }
    }
    let text = answer(&mut stream, Duration::from_secs(5))
        .await
        .unwrap_or_else(|| panic!("no answer after {sent} bytes of a boundless body"));
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("payload_too_large"), "{text}");
    assert!(
        sent < 8 * 1024 * 1024,
        "the server read {sent} bytes before refusing"
    );
    assert!(files_of(&app, &s.access, pid).await.is_empty());
    // And the server serves on.
    assert_eq!(app.get_auth("/api/v1/me", &s.access).await.status(), 200);
}

#[tokio::test]
async fn a_multipart_upload_declaring_more_than_the_limit_is_refused_before_its_body() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_FILE_MAX_BYTES", "1048576");
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("acme").await;
    let p = project(&app, &s, "Declared", "").await;
    let pid = p["id"].as_str().unwrap();
    let mut stream = open(
        app.port,
        &format!(
            "POST /api/v1/projects/{pid}/files HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {}",
            s.access,
            300 * 1024 * 1024
        ),
    )
    .await;
    let text = answer(&mut stream, Duration::from_secs(5))
        .await
        .expect("no answer to a declared 300 MiB multipart body");
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408_and_stores_nothing() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_BODY_IDLE_TIMEOUT_SECS", "1");
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("acme").await;
    let p = project(&app, &s, "Stalled", "").await;
    let pid = p["id"].as_str().unwrap();

    // A JSON body: 10 of 100 bytes, then silence.
    let mut json = open(
        app.port,
        &format!(
            "POST /api/v1/projects HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: 100",
            s.access
        ),
    )
    .await;
    json.write_all(br#"{"name": "#).await.unwrap();
    let started = Instant::now();
    let text = answer(&mut json, Duration::from_secs(10))
        .await
        .expect("a stalled JSON body got no answer");
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("body_timeout"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // A raw upload and a multipart upload, each stalled half-way.
    for (kind, head, first) in [
        (
            "raw",
            format!(
                "POST /api/v1/projects/{pid}/files?filename=stalled.png HTTP/1.1\r\n\
                 Authorization: Bearer {}\r\nContent-Type: image/png\r\nContent-Length: 200000",
                s.access
            ),
            vec![7u8; 100_000],
        ),
        (
            "multipart",
            format!(
                "POST /api/v1/projects/{pid}/files HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
                 Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 200000",
                s.access
            ),
            [
                b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stalled.png\"\r\n\
                  Content-Type: image/png\r\n\r\n"
                    .to_vec(),
                vec![7u8; 100_000],
            ]
            .concat(),
        ),
    ] {
        let mut upload = open(app.port, &head).await;
        upload.write_all(&first).await.unwrap();
        let text = answer(&mut upload, Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("a stalled {kind} upload got no answer"));
        assert!(text.starts_with("HTTP/1.1 408"), "{kind}: {text}");
    }
    assert!(files_of(&app, &s.access, pid).await.is_empty());
    let projects: Value = app
        .get_auth("/api/v1/projects", &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(projects["items"].as_array().unwrap().len(), 1);
}
