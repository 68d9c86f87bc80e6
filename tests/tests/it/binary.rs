//! The `crepo` binary as operators run it: configuration errors, JSON logs
//! carrying the request id, graceful shutdown on SIGTERM.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

use crepo_tests::{
    binary::{crepo_bin, free_port, serve, Server},
    TestEnv,
};

#[test]
fn a_bad_setting_stops_the_server_with_a_message_naming_the_variable() {
    let out = Command::new(crepo_bin())
        .arg("serve")
        .env_clear()
        .env("CREPO_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CREPO_LISTEN"), "{stderr}");
}

#[test]
fn secrets_in_settings_are_never_printed() {
    let out = Command::new(crepo_bin())
        .arg("serve")
        .env_clear()
        .env(
            "CREPO_DATABASE_URL",
            "postgres://crepo:hunter2-secret@127.0.0.1:1/x",
        )
        .env("CREPO_SMS", "carrier-pigeon")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("CREPO_SMS"), "{all}");
    assert!(!all.contains("hunter2"), "{all}");
}

#[tokio::test]
async fn json_logs_carry_the_request_id_and_sigterm_stops_the_server_cleanly() {
    let env = TestEnv::new().await;
    let port = free_port();
    let mut cmd = serve(&env, port);
    cmd.env("CREPO_LOG_FORMAT", "json")
        .env("CREPO_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut server = Server::start(cmd, port).await;
    let client = &server.http;
    let url = server.url("/health/ready");
    let res = client
        .get(&url)
        .header("x-request-id", "trace-json-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // SIGTERM: the server finishes and exits successfully.
    let status = server.stop().await;
    assert!(status.success(), "{status:?}");

    let lines: Vec<serde_json::Value> = BufReader::new(server.child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).expect("every log line is JSON"))
        .collect();
    let request_lines: Vec<_> = lines
        .iter()
        .filter(|l| l["span"]["request_id"] == "trace-json-42")
        .collect();
    assert!(
        !request_lines.is_empty(),
        "no log line with the request id: {lines:?}"
    );
    assert!(request_lines
        .iter()
        .any(|l| l["status"] == 200 && l["span"]["route"] == "/health/ready"));
    assert!(lines.iter().any(|l| l["fields"]["message"] == "server stopped" || l["message"] == "server stopped"), "{lines:?}");
}
