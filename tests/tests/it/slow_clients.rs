//! Clients that send their bodies slowly hold no database connection: the
//! tenant door authenticates in a short step and opens the handler's
//! transaction only once the body has arrived.

use std::time::{Duration, Instant};

use crepo_tests::{TestApp, TestEnv};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const SLOW_CLIENTS: usize = 14;
const TRICKLED_BYTES: usize = 6;

/// Opens a connection and sends a complete request head for a JSON body of
/// `len` bytes, but none of the body yet.
async fn start_request(port: u16, token: &str, len: usize) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /api/v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {len}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

async fn status_line(stream: &mut TcpStream) -> String {
    let mut buf = vec![0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
        .await
        .expect("no answer within 10 s")
        .unwrap();
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fourteen_clients_trickling_json_bodies_do_not_delay_another_tenants_me() {
    let mut env = TestEnv::new().await;
    // The pool as it ships (10 connections on PostgreSQL), fewer than the
    // slow clients: each of them holding one would starve everybody else.
    env.vars.remove("CREPO_DB_MAX_CONNECTIONS");
    let app = TestApp::spawn_with(env).await;
    let slow = app.admin("slow-tenant").await;
    let other = app.admin("other-tenant").await;

    let body = serde_json::json!({ "name": "trickled in a byte a second" })
        .to_string()
        .into_bytes();
    let mut clients = Vec::new();
    for _ in 0..SLOW_CLIENTS {
        clients.push(start_request(app.port, &slow.access, body.len()).await);
    }
    let trickled = body.clone();
    let trickle = tokio::spawn(async move {
        for i in 0..TRICKLED_BYTES {
            for c in clients.iter_mut() {
                c.write_all(&trickled[i..=i]).await.unwrap();
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        clients
    });

    // Every slow request is authenticated and waiting for its body by now.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for _ in 0..4 {
        let started = Instant::now();
        let res = app.get_auth("/api/v1/me", &other.access).await;
        let took = started.elapsed();
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        assert!(
            took < Duration::from_secs(1),
            "GET /me took {took:?} while {SLOW_CLIENTS} clients trickled their bodies"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // The slow clients were being served all along: once the rest of their
    // bodies arrives, each gets its project.
    let mut clients = trickle.await.unwrap();
    for c in clients.iter_mut() {
        c.write_all(&body[TRICKLED_BYTES..]).await.unwrap();
    }
    for c in clients.iter_mut() {
        let status = status_line(c).await;
        assert!(status.starts_with("HTTP/1.1 201"), "{status}");
    }
    let projects: serde_json::Value = app
        .get_auth("/api/v1/projects?limit=50", &slow.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(projects["items"].as_array().unwrap().len(), SLOW_CLIENTS);
}
