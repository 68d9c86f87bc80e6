//! The bad-input corpus (`tests/corpus/bad_input.json`): each hostile request
//! gets one of its expected statuses, and the server answers the next one.
//! Placeholders: `{A*N}` N letters, `{[*N}` N brackets, `{HEADERS*N}` N
//! header lines, `{KEYS*N}` N JSON members, `{BYTES:hex…}` raw bytes,
//! `{TOKEN}`, `{PROJECT}`.

use std::time::{Duration, Instant};

use crepo_tests::{projects::project, workspace_root, TestApp};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

fn expand(template: &str, token: &str, project: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.extend_from_slice(&rest.as_bytes()[..start]);
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let inner = &rest[start + 1..start + len];
        let repeat = |unit: &dyn Fn(usize) -> String, n: &str| -> Vec<u8> {
            let n: usize = n.parse().unwrap();
            (0..n).flat_map(|i| unit(i).into_bytes()).collect()
        };
        let piece: Vec<u8> = match inner.split_once('*') {
            _ if inner == "TOKEN" => token.as_bytes().to_vec(),
            _ if inner == "PROJECT" => project.as_bytes().to_vec(),
            _ if inner.starts_with("BYTES:") => inner[6..]
                .split_whitespace()
                .map(|h| u8::from_str_radix(h, 16).unwrap())
                .collect(),
            Some(("A", n)) => repeat(&|_| "a".into(), n),
            Some(("[", n)) => repeat(&|_| "[".into(), n),
            Some(("HEADERS", n)) => repeat(&|i| format!("\r\nX-H{i}: v"), n),
            Some(("KEYS", n)) => repeat(&|i| format!("\"k{i}\":1,"), n),
            // Not a placeholder (JSON braces): keep it.
            _ => {
                out.push(b'{');
                rest = &rest[start + 1..];
                continue;
            }
        };
        out.extend_from_slice(&piece);
        rest = &rest[start + len + 1..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

fn request(case: &Value, token: &str, project: &str) -> Vec<u8> {
    if let Some(raw) = case["raw"].as_str() {
        return expand(raw, token, project);
    }
    let head = expand(case["head"].as_str().unwrap(), token, project);
    let body = case["body"].as_str().map(|b| expand(b, token, project));
    let mut out = head;
    out.extend_from_slice(b"\r\nHost: 127.0.0.1\r\nConnection: close");
    if let Some(body) = &body {
        out.extend_from_slice(format!("\r\nContent-Length: {}", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n\r\n");
    out.extend(body.unwrap_or_default());
    out
}

/// Everything the server sends until it closes (or 15 s pass).
async fn read_all(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    let deadline = Instant::now() + Duration::from_secs(15);
    while let Ok(Ok(n)) =
        tokio::time::timeout(deadline - Instant::now(), stream.read(&mut buf)).await
    {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&got).into_owned()
}

fn status_of(text: &str) -> u16 {
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|s| s.get(..3))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn every_case_of_the_bad_input_corpus_gets_its_answer_and_the_server_lives_on() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let p = project(&app, &s, "Corpus", "").await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let corpus: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("tests/corpus/bad_input.json")).unwrap(),
    )
    .unwrap();
    assert!(corpus.len() >= 15);
    let mut failures = Vec::new();
    for case in &corpus {
        let name = case["name"].as_str().unwrap();
        let expected: Vec<u16> = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u16)
            .collect();
        let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
        let text = if let Some(slow) = case["slow"].as_str() {
            // One byte every half second: the head never completes in time.
            let started = Instant::now();
            for b in slow.as_bytes().iter().cycle() {
                if stream.write_all(&[*b]).await.is_err()
                    || started.elapsed() > Duration::from_secs(15)
                {
                    break;
                }
                // An answer or a close ends it.
                let mut peek = [0u8; 1];
                let waited =
                    tokio::time::timeout(Duration::from_millis(500), stream.peek(&mut peek));
                if let Ok(Ok(_)) = waited.await {
                    break;
                }
            }
            let took = started.elapsed();
            if took > Duration::from_secs(12) {
                failures.push(format!("{name}: still connected after {took:?}"));
            }
            read_all(&mut stream).await
        } else {
            // A server that answers early may close before it all arrives.
            let _ = stream.write_all(&request(case, &s.access, &pid)).await;
            read_all(&mut stream).await
        };
        let status = status_of(&text);
        let head_and_body = text.chars().take(600).collect::<String>();
        if !expected.contains(&status) {
            failures.push(format!(
                "{name}: {status}, expected {expected:?}: {head_and_body}"
            ));
        }
        if case["single"] == true && text.matches("HTTP/1.1 ").count() > 1 {
            failures.push(format!("{name}: more than one answer: {head_and_body}"));
        }
        if let Some(needle) = case["contains"].as_str() {
            if !text.contains(needle) {
                failures.push(format!("{name}: answer lacks {needle}: {head_and_body}"));
            }
        }
        if let Some(needle) = case["lacks"].as_str() {
            if text.contains(needle) {
                failures.push(format!("{name}: answer holds {needle}: {head_and_body}"));
            }
        }
        let alive = app.get_auth("/api/v1/me", &s.access).await;
        assert_eq!(
            alive.status(),
            200,
            "the server stopped answering after: {name}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
