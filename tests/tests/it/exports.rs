//! Full exports (ISO/IEC 27017 12.3.1): everything the tenant registered in
//! one ZIP that verifies offline, one export at a time, only for holders of
//! `exports.create`, never another tenant's.

use std::{
    io::{Read, Write},
    time::Duration,
};

use crepo_tests::{assert_problem, Session, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

use super::files::{new_project, upload};

pub(crate) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

pub(crate) async fn start_export(app: &TestApp, s: &Session) -> Value {
    let res = app
        .send_auth(Method::POST, "/api/v1/exports", &s.access, None)
        .await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The export once it is no longer queued or running.
pub(crate) async fn finished(app: &TestApp, s: &Session, id: &str) -> Value {
    for _ in 0..300 {
        let e: Value = app
            .get_auth(&format!("/api/v1/exports/{id}"), &s.access)
            .await
            .json()
            .await
            .unwrap();
        if e["status"] != "queued" && e["status"] != "running" {
            return e;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("export {id} did not finish");
}

pub(crate) async fn download(app: &TestApp, s: &Session, id: &str) -> reqwest::Response {
    app.get_auth(&format!("/api/v1/exports/{id}/download"), &s.access)
        .await
}

pub(crate) fn read_member(
    zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    name: &str,
) -> Vec<u8> {
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    let mut out = Vec::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in {names:?}"))
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn an_export_holds_the_tenants_rows_log_and_original_files_and_verifies_offline() {
    let app = TestApp::spawn().await;
    let s = app.admin("exporter").await;
    let project = new_project(&app, &s).await;
    let label = app
        .send_auth(
            Method::POST,
            "/api/v1/labels",
            &s.access,
            Some(&json!({ "code": "GT-1", "name": "緑茶" })),
        )
        .await;
    assert_eq!(label.status(), 201, "{}", label.text().await.unwrap());
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    for (name, mime, bytes) in [
        ("緑茶 案A.png", "image/png", PNG.to_vec()),
        (
            "緑茶 案A.png",
            "image/png",
            PNG.iter().rev().copied().collect(),
        ),
        ("仕様/書.bin", "application/octet-stream", big.clone()),
    ] {
        let res = upload(&app, &s, &project, name, mime, bytes).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    app.create_user(&s, "designer@exporter.example", &["viewer"], None)
        .await;

    let queued = start_export(&app, &s).await;
    assert!(["queued", "running"].contains(&queued["status"].as_str().unwrap()));
    let id = queued["id"].as_str().unwrap().to_owned();
    let again = app
        .send_auth(Method::POST, "/api/v1/exports", &s.access, None)
        .await;
    let done = finished(&app, &s, &id).await;
    if again.status() != 202 {
        assert_problem(again, 409, "export_running").await;
    }
    assert_eq!(done["status"], "ready", "{done}");
    assert!(done["expires_at"].is_string() && done["sha256"].is_string());
    assert_eq!(done["items_done"], done["items_total"], "{done}");

    let res = download(&app, &s, &id).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("crepo-export-exporter-"),
        "{disposition}"
    );
    let bytes = res.bytes().await.unwrap().to_vec();
    assert_eq!(bytes.len() as i64, done["size"].as_i64().unwrap());
    assert_eq!(
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
        done["sha256"]
    );

    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let manifest: Value = serde_json::from_slice(&read_member(&mut zip, "manifest.json")).unwrap();
    assert_eq!(manifest["tenant"]["slug"], "exporter");
    assert_eq!(manifest["counts"]["users"], 2);
    assert_eq!(manifest["counts"]["files"], 3);
    let users = lines(&read_member(&mut zip, "users.jsonl"));
    assert_eq!(users.len(), 2);
    assert!(
        users.iter().all(|u| u.get("password_hash").is_none()),
        "{users:?}"
    );
    let labels = lines(&read_member(&mut zip, "labels.jsonl"));
    assert_eq!(labels[0]["name"], "緑茶");
    // The original bytes under the original names; the same name twice is numbered.
    let dir = format!("files/{project}");
    assert_eq!(read_member(&mut zip, &format!("{dir}/緑茶 案A.png")), PNG);
    assert_eq!(
        read_member(&mut zip, &format!("{dir}/緑茶 案A (2).png")).len(),
        PNG.len()
    );
    assert_eq!(read_member(&mut zip, &format!("{dir}/書.bin")), big);
    let log = lines(&read_member(&mut zip, "access_log.jsonl"));
    assert!(
        log.iter().any(|e| e["event"] == "user.created"),
        "the log holds the tenant's events"
    );
    assert!(log
        .iter()
        .all(|e| e["hash"].is_string() && e["prev_hash"].is_string()));

    // Offline, with the provider's public key: intact.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.zip");
    std::fs::write(&file, &bytes).unwrap();
    let key = app.state.log_signer.public_key_base64();
    let report = crepo_api::exports::verify::verify_file(&file, Some(&key)).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // Standard tools read it too (Python's zipfile checks every CRC).
    let tested = std::process::Command::new("python3")
        .args(["-m", "zipfile", "-t"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        tested.status.success(),
        "{}",
        String::from_utf8_lossy(&tested.stderr)
    );
    assert_eq!(report.entries as usize, log.len());

    // One log entry edited, the manifest's digest fixed to match: the chain tells.
    let tampered = rewrite(&bytes, |name, data| {
        if name == "access_log.jsonl" {
            let text = String::from_utf8(data.to_vec()).unwrap();
            Some(text.replacen("user.created", "user.crated", 1).into_bytes())
        } else {
            None
        }
    });
    std::fs::write(&file, &tampered).unwrap();
    let report = crepo_api::exports::verify::verify_file(&file, Some(&key)).unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains("was altered")),
        "{:?}",
        report.problems
    );
    // Another key than the provider's: the checkpoints do not verify.
    std::fs::write(&file, &bytes).unwrap();
    let stranger = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [7u8; 32]);
    let report = crepo_api::exports::verify::verify_file(&file, Some(&stranger));
    assert!(report.is_err() || !report.unwrap().problems.is_empty());

    // Requests and downloads are access-log events.
    app.settle_log().await;
    let events: Value = app
        .get_auth("/api/v1/access-logs?event=export.", &s.access)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for want in ["export.requested", "export.ready", "export.downloaded"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
}

/// The archive with `change` applied to members (and the manifest's digests
/// updated to match), as a forger would do it.
fn rewrite(bytes: &[u8], change: impl Fn(&str, &[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut manifest: Value =
        serde_json::from_slice(&read_member(&mut zip, "manifest.json")).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    for name in names.iter().filter(|n| *n != "manifest.json") {
        let data = read_member(&mut zip, name);
        let data = match change(name, &data) {
            Some(new) => {
                for m in manifest["members"].as_array_mut().unwrap() {
                    if m["path"] == name.as_str() {
                        m["size"] = json!(new.len());
                        m["sha256"] =
                            json!(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&new)));
                    }
                }
                new
            }
            None => data,
        };
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.start_file("manifest.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(&serde_json::to_vec(&manifest).unwrap())
        .unwrap();
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn exports_need_the_permission_and_stay_inside_their_tenant() {
    let app = TestApp::spawn().await;
    let s = app.admin("owner").await;
    let (_, viewer) = app
        .user(
            &s,
            "viewer@owner.example",
            &["viewer"],
            None,
            "viewer-pass-9Kq!x",
        )
        .await;
    assert_problem(
        app.send_auth(Method::POST, "/api/v1/exports", &viewer.access, None)
            .await,
        403,
        "permission_denied",
    )
    .await;
    let e = start_export(&app, &s).await;
    let id = e["id"].as_str().unwrap();
    assert_problem(download(&app, &viewer, id).await, 403, "permission_denied").await;

    let other = app.admin("intruder").await;
    assert_problem(
        app.get_auth(&format!("/api/v1/exports/{id}"), &other.access)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(download(&app, &other, id).await, 404, "not_found").await;
    let theirs: Value = app
        .get_auth("/api/v1/exports", &other.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"], json!([]));
    let mine: Value = app
        .get_auth("/api/v1/exports", &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["id"], id);
}

#[tokio::test]
async fn a_ready_export_expires_after_its_time_and_its_zip_is_deleted() {
    let app = TestApp::spawn().await;
    let s = app.admin("expiring").await;
    let e = start_export(&app, &s).await;
    let id = e["id"].as_str().unwrap().to_owned();
    assert_eq!(finished(&app, &s, &id).await["status"], "ready");
    let zip_path = app
        .env
        .data_dir
        .path()
        .join("objects")
        .join(s.tenant_id.to_string())
        .join("exports")
        .join(format!("{id}.zip"));
    assert!(zip_path.exists());

    app.state
        .clock
        .advance(chrono::Duration::days(7) + chrono::Duration::minutes(1));
    let s = app.admin_session("expiring").await;
    assert_problem(download(&app, &s, &id).await, 410, "export_expired").await;
    // The worker deletes it (it looks at least every two seconds).
    for _ in 0..100 {
        if !zip_path.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!zip_path.exists(), "the expired ZIP is deleted");
    let gone = finished(&app, &s, &id).await;
    assert_eq!(gone["status"], "expired");
}
