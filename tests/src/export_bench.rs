//! `make bench`, export: a tenant with 200,000 access-log entries and 500 MB
//! of design files is exported by a `crepo serve` process of its own, whose
//! resident memory is read from /proc before the export and at its peak
//! (VmHWM): the ZIP is streamed, so the growth must stay well under 64 MB.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{
    binary::{free_port, serve, Server},
    engine, signup_body,
    tenants_bench::status_kb,
    TestApp, TestEnv,
};

const ENTRIES: usize = 200_000;
const FILES: usize = 50;
const FILE_BYTES: usize = 10 * 1024 * 1024;

/// Fills the tenant in-process (fast), then measures a separate server.
pub async fn run() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_FILE_MAX_BYTES", (FILE_BYTES * 2).to_string());
    let slug = "bigexport";
    let filled = Instant::now();
    let env = {
        let app = TestApp::spawn_with(env).await;
        let s = app.admin(slug).await;
        let log = &app.state.access_log;
        for i in 0..ENTRIES {
            let entry = crepo_api::logbook::NewEntry {
                method: Some("GET".into()),
                route: Some("/api/v1/projects".into()),
                path: Some(format!("/api/v1/projects?page={i}")),
                status: Some(200),
                user_agent: Some("Mozilla/5.0 (bench) Crepo/1.0".into()),
                ..crepo_api::logbook::NewEntry::event("http.request")
            };
            log.record(s.tenant_id, entry).await;
        }
        log.flush().await;
        let p: Value = app
            .send_auth(
                reqwest::Method::POST,
                "/api/v1/projects",
                &s.access,
                Some(&json!({ "name": "大量の版下" })),
            )
            .await
            .json()
            .await
            .unwrap();
        let project = p["id"].as_str().unwrap().to_owned();
        for i in 0..FILES {
            let body: Vec<u8> = (0..FILE_BYTES)
                .map(|b| ((b as u64).wrapping_mul(2_654_435_761 + i as u64) >> 11) as u8)
                .collect();
            let res = app
                .client
                .post(app.url(&format!("/api/v1/projects/{project}/files")))
                .query(&[("filename", format!("版下-{i:02}.bin"))])
                .bearer_auth(&s.access)
                .header("content-type", "application/octet-stream")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        }
        app.stop().await;
        app.env
    };
    let filled = filled.elapsed();

    let port = free_port();
    let server = Server::start(serve(&env, port), port).await;
    let pid = server.child.id();
    let signup = signup_body(slug);
    let login: Value = server
        .http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "tenant": slug, "email": signup["email"], "password": signup["password"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = env.last_code(signup["phone"].as_str().unwrap());
    let tokens: Value = server
        .http
        .post(server.url("/api/v1/auth/mfa"))
        .json(&json!({ "mfa_token": login["mfa_token"], "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = status_kb(pid, "VmRSS:");
    let started = Instant::now();
    let e: Value = server
        .http
        .post(server.url("/api/v1/exports"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = e["id"].as_str().unwrap().to_owned();
    let mut done = Value::Null;
    for _ in 0..6000 {
        done = server
            .http
            .get(server.url(&format!("/api/v1/exports/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if done["status"] != "queued" && done["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = started.elapsed();
    let peak = status_kb(pid, "VmHWM:");
    println!(
        "export ({:?}, {ENTRIES} log entries, {FILES} files of {} MiB; filled in {:.0} s)",
        engine(),
        FILE_BYTES >> 20,
        filled.as_secs_f64()
    );
    println!(
        "  status {}, {:.1} MB ZIP in {:.1} s",
        done["status"],
        done["size"].as_f64().unwrap_or(0.0) / 1e6,
        took.as_secs_f64()
    );
    println!(
        "  server resident memory: {:.1} MB before, {:.1} MB at its peak: grew {:.1} MB (budget 64 MB)",
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        peak.saturating_sub(before) as f64 / 1024.0
    );
}
