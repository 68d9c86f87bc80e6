//! Passwords, hashes, one-time codes and tokens never appear in a log line,
//! nor in any response but the one that issues them. Runs the real binary so
//! every log line it writes is captured.

use std::{
    io::Read,
    process::{Command, Stdio},
    time::Duration,
};

use crepo_tests::{workspace_root, TestEnv};
use serde_json::{json, Value};

#[tokio::test]
async fn no_secret_reaches_the_logs_or_a_later_response() {
    let env = TestEnv::new().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(workspace_root().join("target/debug/crepo"))
        .arg("serve")
        .env_clear()
        .envs(env.vars.iter())
        .env("CREPO_LISTEN", format!("127.0.0.1:{port}"))
        .env("CREPO_LOG_FORMAT", "json")
        .env("CREPO_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the logs as they come: a full pipe would stall the server.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = String::new();
            pipe.read_to_string(&mut out).unwrap();
            out
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("http://127.0.0.1:{port}/health/live"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let post = |path: &str, body: Value, token: Option<&str>| {
        let mut req = http.post(format!("{base}{path}")).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let mut secrets: Vec<String> = vec![
        "first secret passphrase".into(),
        "second secret passphrase".into(),
    ];
    let mut later_bodies: Vec<String> = Vec::new();

    let signup = json!({ "tenant_slug": "acme", "tenant_name": "Acme", "email": "o@acme.example",
        "password": secrets[0], "name": "O", "phone": "+819012345678" });
    let text = post("/signup", signup, None)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    later_bodies.push(text);
    let login: Value = post(
        "/auth/login",
        json!({ "tenant": "acme", "email": "o@acme.example", "password": secrets[0] }),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let mfa_token = login["mfa_token"].as_str().unwrap().to_owned();
    let outbox = std::fs::read_to_string(env.data_dir.path().join("sms-outbox.jsonl")).unwrap();
    let line: Value = serde_json::from_str(outbox.lines().last().unwrap()).unwrap();
    let code: String = line["body"]
        .as_str()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .find(|r| r.len() == 6)
        .unwrap()
        .into();
    let tokens: Value = post(
        "/auth/mfa",
        json!({ "mfa_token": mfa_token, "code": code }),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let rotated: Value = post("/auth/refresh", json!({ "refresh_token": refresh }), None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access2 = rotated["access_token"].as_str().unwrap().to_owned();
    let created: Value = post(
        "/users",
        json!({ "email": "u@acme.example", "name": "U" }),
        Some(&access2),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let temp = created["temporary_password"].as_str().unwrap().to_owned();
    let change = http
        .put(format!("{base}/me/password"))
        .bearer_auth(&access2)
        .json(&json!({ "current_password": secrets[0], "new_password": secrets[1] }))
        .send()
        .await
        .unwrap();
    assert_eq!(change.status(), 204);
    for path in ["/me", "/users", "/settings/password-policy"] {
        later_bodies.push(
            http.get(format!("{base}{path}"))
                .bearer_auth(&access2)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
    }
    post("/auth/logout", json!({}), Some(&access2))
        .await
        .unwrap();
    secrets.extend([
        mfa_token,
        code,
        access,
        refresh,
        access2,
        rotated["refresh_token"].as_str().unwrap().to_owned(),
        temp,
    ]);

    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    let logs = format!("{}{}", stdout.join().unwrap(), stderr.join().unwrap());

    assert!(
        logs.lines().count() > 10,
        "too few log lines to be meaningful: {logs}"
    );
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret reached the logs: {secret}"
        );
        for body in &later_bodies {
            assert!(
                !body.contains(secret.as_str()),
                "a secret reached a later response: {body}"
            );
        }
    }
    assert!(
        !logs.contains("$argon2"),
        "a password hash reached the logs"
    );
    assert!(later_bodies.iter().all(|b| !b.contains("$argon2")));
}
