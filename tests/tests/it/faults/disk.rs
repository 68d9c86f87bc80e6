//! A full disk under the SQLite data directory.

use std::time::{Duration, Instant};

use crepo_tests::{logs, TestApp, TestEnv};
use reqwest::Method;
use serde_json::{json, Value};

use super::enabled;

/// A tmpfs of `size` mounted on `dir` (root only), unmounted on drop.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &std::path::Path, size: &str) -> Option<SmallDisk> {
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallDisk(dir.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Fills the disk at `dir` to the last 512 bytes.
fn fill(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    for size in [256 * 1024, 4096, 512] {
        let block = vec![0u8; size];
        while f.write_all(&block).and_then(|_| f.sync_all()).is_ok() {}
    }
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_disk_full_under_the_sqlite_data_directory() {
    if !enabled() {
        return;
    }
    let mut env = TestEnv::new().await;
    env.vars.remove("CREPO_DATABASE_URL");
    // The data directory itself becomes the small disk.
    let Some(disk) = SmallDisk::mount(env.data_dir.path(), "64m") else {
        println!("FAULT disk full: SKIPPED (cannot mount a tmpfs here; needs root)");
        return;
    };
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("full").await;
    let p = crepo_tests::projects::project(&app, &s, "満杯", "").await;
    let pid = p["id"].as_str().unwrap();
    let filler = fill(&disk.0);

    let started = Instant::now();
    let mut statuses = Vec::new();
    let mut acked = Vec::new();
    for i in 0..20 {
        let body = json!({ "name": format!("満杯 {i}"), "description": "x".repeat(4000) });
        let res = app
            .send_auth(Method::POST, "/api/v1/projects", &s.access, Some(&body))
            .await;
        let status = res.status().as_u16();
        if status == 201 {
            let p: Value = res.json().await.unwrap();
            acked.push(p["id"].as_str().unwrap().to_owned());
        }
        statuses.push(status);
    }
    let upload = app
        .client
        .post(app.url(&format!("/api/v1/projects/{pid}/files?filename=big.png")))
        .bearer_auth(&s.access)
        .header("content-type", "image/png")
        .body(vec![5u8; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    statuses.push(upload.status().as_u16());
    let took = started.elapsed();
    assert!(
        statuses.iter().all(|s| [201, 503, 507].contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.iter().any(|s| *s == 503 || *s == 507),
        "{statuses:?}"
    );
    assert!(app.get("/health/live").await.status() == 200);

    // Space returns: the server serves writes again, nothing is corrupt.
    std::fs::remove_file(&filler).unwrap();
    let back = Instant::now();
    let recovered = loop {
        let body = json!({ "name": "空きが戻った" });
        let res = app
            .send_auth(Method::POST, "/api/v1/projects", &s.access, Some(&body))
            .await;
        if res.status() == 201 {
            break back.elapsed();
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "no recovery: {}",
            res.status()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for id in &acked {
        let res = app
            .get_auth(&format!("/api/v1/projects/{id}"), &s.access)
            .await;
        assert_eq!(res.status(), 200, "acknowledged project {id} is missing");
    }
    let db = app.db().await;
    let tx = db.tenant_tx(s.tenant_id).await.unwrap();
    use sea_orm::{ConnectionTrait, Statement};
    let row = tx
        .query_one(Statement::from_string(
            tx.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap()
        .unwrap();
    let check: String = row.try_get_by_index(0).unwrap();
    assert_eq!(check, "ok");
    drop(tx);
    db.close().await;
    app.settle_log().await;
    let verify = logs::verify(&app, &s.access).await;
    assert_eq!(verify["status"], "intact", "{verify}");
    app.stop().await;
    println!(
        "FAULT disk full (SQLite data directory on a 64 MiB tmpfs): answers {statuses:?} within {took:?}; recovered {recovered:?} after space returned; {} acknowledged writes checked; integrity_check ok; chain intact",
        acked.len()
    );
}
