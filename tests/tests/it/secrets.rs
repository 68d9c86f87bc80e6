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
        "password": secrets[0], "name": "O", "phone": "+819012345678",
        "accept_terms_version": "2026-12-01" });
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

/// Every directory and file under `dir` whose mode lets others in.
fn open_to_others(dir: &std::path::Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        if mode & 0o077 != 0 {
            out.push(format!("{} {:o}", path.display(), mode & 0o777));
        }
        if path.is_dir() {
            out.extend(open_to_others(&path));
        }
    }
    out
}

#[tokio::test]
async fn the_data_directory_keeps_its_secrets_from_other_accounts_and_a_reachable_outbox_is_reported(
) {
    let env = TestEnv::new().await;
    let port = free_port();
    let mut cmd = serve(&env, port);
    // Reachable from other machines, with SMS codes going to a file.
    cmd.env("CREPO_LISTEN", format!("0.0.0.0:{port}"))
        .stdout(Stdio::piped());
    let mut server = Server::start(cmd, port).await;
    let token = server.admin_token(&env, "acme").await;
    let project: Value = server
        .http
        .post(server.url("/api/v1/projects"))
        .bearer_auth(&token)
        .json(&json!({ "name": "秘密の新商品" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = server
        .http
        .post(server.url(&format!(
            "/api/v1/projects/{}/files",
            project["id"].as_str().unwrap()
        )))
        .query(&[("filename", "案.txt")])
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("design notes")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let ready: Value = server
        .http
        .get(server.url("/health/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let warnings = ready["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{ready}");
    assert!(
        warnings[0].as_str().unwrap().contains("CREPO_SMS=sns"),
        "{ready}"
    );
    server.stop().await;
    let mut logs = String::new();
    server
        .child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(logs.contains("SMS codes go to a file"), "{logs}");

    assert_eq!(open_to_others(env.data_dir.path()), Vec::<String>::new());
    let outbox = env.data_dir.path().join("sms-outbox.jsonl");
    assert!(outbox.exists(), "the test did not exercise the outbox");
}
