//! Passwords, hashes, one-time codes and tokens never appear in a log line,
//! nor in any response but the one that issues them. Runs the real binary so
//! every log line it writes is captured.

use std::{io::Read, process::Stdio};

use crepo_tests::{
    binary::{free_port, serve, Server},
    TestEnv,
};
use serde_json::{json, Value};

#[tokio::test]
async fn no_secret_reaches_the_logs_or_a_later_response() {
    let env = TestEnv::new().await;
    let port = free_port();
    let mut cmd = serve(&env, port);
    cmd.env("CREPO_LOG_FORMAT", "json")
        .env("CREPO_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut server = Server::start(cmd, port).await;
    // Drain the logs as they come: a full pipe would stall the server.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = String::new();
            pipe.read_to_string(&mut out).unwrap();
            out
        })
    };
    let stdout = drain(Box::new(server.child.stdout.take().unwrap()));
    let stderr = drain(Box::new(server.child.stderr.take().unwrap()));
    let base = server.url("/api/v1");
    let http = server.http.clone();
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
    let code = env.last_code("+819012345678");
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

    server.stop().await;
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
