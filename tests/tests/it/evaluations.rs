//! Design evaluations over HTTP: made by the worker after an upload, read
//! where the file is, re-run, areas of interest, gone with the file.

use std::{io::Cursor, time::Duration};

use crepo_tests::{
    assert_problem,
    roles::{member, role},
    Session, TestApp,
};
use image::{ImageFormat, RgbImage};
use reqwest::Method;
use serde_json::{json, Value};

use super::files::{new_project, objects_under, upload};

/// A light pack with one dark red logo in the middle.
fn design(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let (cx, cy, r) = (
        f64::from(width) / 2.0,
        f64::from(height) / 2.0,
        f64::from(height) / 6.0,
    );
    let img = RgbImage::from_fn(width, height, |x, y| {
        let d = (f64::from(x) - cx).hypot(f64::from(y) - cy);
        image::Rgb(if d < r {
            [180, 20, 30]
        } else {
            [240, 238, 230]
        })
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

async fn uploaded(
    app: &TestApp,
    s: &Session,
    project: &str,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> String {
    let res = upload(app, s, project, name, mime, bytes).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let f: Value = res.json().await.unwrap();
    f["id"].as_str().unwrap().to_owned()
}

fn path(project: &str, file: &str) -> String {
    format!("/api/v1/projects/{project}/files/{file}/evaluation")
}

async fn evaluation(app: &TestApp, s: &Session, project: &str, file: &str) -> Value {
    let res = app.get_auth(&path(project, file), &s.access).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// The evaluation once it has left `pending` and `running`.
async fn settled(app: &TestApp, s: &Session, project: &str, file: &str) -> Value {
    for _ in 0..300 {
        let e = evaluation(app, s, project, file).await;
        if !matches!(e["status"].as_str(), Some("pending" | "running")) {
            return e;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the evaluation never finished");
}

#[tokio::test]
async fn an_uploaded_png_is_evaluated_within_seconds_with_metrics_and_a_heatmap() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let file = uploaded(
        &app,
        &s,
        &project,
        "候補A.png",
        "image/png",
        design(2400, 1200, ImageFormat::Png),
    )
    .await;
    let e = settled(&app, &s, &project, &file).await;
    assert_eq!(e["status"], "done", "{e}");
    assert_eq!(e["algorithm"], "spectral_residual");
    assert_eq!(e["algorithm_version"], 1);
    assert_eq!(
        (e["width"].as_u64(), e["height"].as_u64()),
        (Some(2400), Some(1200))
    );
    let focus = e["metrics"]["focus"].as_f64().unwrap();
    assert!(focus > 0.0 && focus <= 1.0, "{e}");
    assert!(e["metrics"]["colourfulness"].as_f64().unwrap() > 0.0);
    assert!(e["shelf"]["design_share"].as_f64().unwrap() > 0.0);

    for (query, grey) in [("", false), ("?raw=true", true)] {
        let res = app
            .get_auth(
                &format!("{}/heatmap{query}", path(&project, &file)),
                &s.access,
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/png");
        let png = res.bytes().await.unwrap();
        let img = image::load_from_memory_with_format(&png, ImageFormat::Png).unwrap();
        assert_eq!((img.width(), img.height()), (1600, 800), "raw={grey}");
    }

    let list: Value = app
        .get_auth(
            &format!("/api/v1/projects/{project}/evaluations"),
            &s.access,
        )
        .await
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["filename"], "候補A.png");
    assert_eq!(items[0]["evaluation"]["status"], "done");
    assert_eq!(items[0]["evaluation"]["metrics"], e["metrics"]);
}

#[tokio::test]
async fn a_pdf_and_an_svg_are_skipped_with_a_reason_and_have_no_heatmap() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    for (name, mime, bytes) in [
        ("仕様.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n".to_vec()),
        (
            "logo.svg",
            "image/svg+xml",
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#.to_vec(),
        ),
    ] {
        let file = uploaded(&app, &s, &project, name, mime, bytes).await;
        let e = evaluation(&app, &s, &project, &file).await;
        assert_eq!(e["status"], "skipped", "{name}");
        assert_eq!(e["reason"], "unsupported_format", "{name}");
        assert!(e["metrics"].is_null());
        assert_problem(
            app.get_auth(&format!("{}/heatmap", path(&project, &file)), &s.access)
                .await,
            404,
            "not_found",
        )
        .await;
        // A re-run cannot change that.
        let res = app
            .send_auth(Method::POST, &path(&project, &file), &s.access, None)
            .await;
        assert_eq!(res.status(), 202);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "skipped");
    }
}

#[tokio::test]
async fn a_broken_image_fails_with_the_decoders_reason() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let mut png = design(200, 100, ImageFormat::Png);
    png.truncate(60);
    let file = uploaded(&app, &s, &project, "broken.png", "image/png", png).await;
    let e = settled(&app, &s, &project, &file).await;
    assert_eq!(e["status"], "failed", "{e}");
    assert_eq!(e["reason"], "corrupt", "{e}");
}

#[tokio::test]
async fn another_tenants_file_and_a_file_of_another_project_answer_404() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let stranger = app.admin("other").await;
    let project = new_project(&app, &s).await;
    let elsewhere = new_project(&app, &s).await;
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.png",
        "image/png",
        design(300, 200, ImageFormat::Png),
    )
    .await;
    for (who, p) in [(&stranger, &project), (&s, &elsewhere)] {
        for sub in ["", "/heatmap"] {
            assert_problem(
                app.get_auth(&format!("{}{sub}", path(p, &file)), &who.access)
                    .await,
                404,
                "not_found",
            )
            .await;
        }
        assert_problem(
            app.send_auth(Method::POST, &path(p, &file), &who.access, None)
                .await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.send_auth(
                Method::PUT,
                &format!("{}/areas", path(p, &file)),
                &who.access,
                Some(&json!({ "areas": [] })),
            )
            .await,
            404,
            "not_found",
        )
        .await;
    }
    assert_problem(
        app.get_auth(
            &format!("/api/v1/projects/{project}/evaluations"),
            &stranger.access,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_user_without_files_permissions_is_refused_with_403() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.png",
        "image/png",
        design(300, 200, ImageFormat::Png),
    )
    .await;
    let looker = role(
        &app,
        &s,
        "lookers",
        &["projects.read"],
        json!({ "kind": "all" }),
    )
    .await;
    let reader = role(
        &app,
        &s,
        "readers",
        &["projects.read", "files.read"],
        json!({ "kind": "all" }),
    )
    .await;
    let (_, looker) = member(&app, &s, "look@acme.example", &[&looker]).await;
    let (_, reader) = member(&app, &s, "read@acme.example", &[&reader]).await;
    for url in [
        path(&project, &file),
        format!("{}/heatmap", path(&project, &file)),
        format!("/api/v1/projects/{project}/evaluations"),
    ] {
        assert_problem(app.get_auth(&url, &looker).await, 403, "permission_denied").await;
    }
    assert_eq!(
        app.get_auth(&path(&project, &file), &reader).await.status(),
        200
    );
    assert_problem(
        app.send_auth(Method::POST, &path(&project, &file), &reader, None)
            .await,
        403,
        "permission_denied",
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PUT,
            &format!("{}/areas", path(&project, &file)),
            &reader,
            Some(&json!({ "areas": [] })),
        )
        .await,
        403,
        "permission_denied",
    )
    .await;
}

#[tokio::test]
async fn areas_are_validated_field_by_field_and_measured_on_the_kept_maps() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.png",
        "image/png",
        design(900, 600, ImageFormat::Png),
    )
    .await;
    assert_eq!(settled(&app, &s, &project, &file).await["status"], "done");
    let url = format!("{}/areas", path(&project, &file));
    let bad = json!({ "areas": [
        { "name": "", "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2 },
        { "name": "x".repeat(41), "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2 },
        { "name": "price", "x": 0.9, "y": -0.1, "w": 0.2, "h": 0.0 },
    ] });
    let res = app
        .send_auth(Method::PUT, &url, &s.access, Some(&bad))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    for expected in [
        ("areas[0].name", "too_short"),
        ("areas[1].name", "too_long"),
        ("areas[2].y", "out_of_range"),
        ("areas[2].w", "outside_design"),
        ("areas[2].h", "out_of_range"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} in {fields:?}");
    }
    let many: Vec<Value> = (0..21)
        .map(|i| json!({ "name": format!("a{i}"), "x": 0.0, "y": 0.0, "w": 0.5, "h": 0.5 }))
        .collect();
    let res = app
        .send_auth(
            Method::PUT,
            &url,
            &s.access,
            Some(&json!({ "areas": many })),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "areas");

    let good = json!({ "areas": [
        { "name": "ロゴ", "x": 0.3, "y": 0.25, "w": 0.4, "h": 0.5 },
        { "name": "corner", "x": 0.0, "y": 0.0, "w": 0.1, "h": 0.1 },
    ] });
    let res = app
        .send_auth(Method::PUT, &url, &s.access, Some(&good))
        .await;
    assert_eq!(res.status(), 200);
    let e: Value = res.json().await.unwrap();
    let (logo, corner) = (&e["areas"][0], &e["areas"][1]);
    assert_eq!(logo["name"], "ロゴ");
    assert!(logo["share"].as_f64().unwrap() > 0.5, "{e}");
    assert!(corner["share"].as_f64().unwrap() < logo["share"].as_f64().unwrap());
    assert!(logo["shelf_share"].as_f64().unwrap() > 0.0);
    // Kept: the next read shows them.
    assert_eq!(
        evaluation(&app, &s, &project, &file).await["areas"],
        e["areas"]
    );
}

#[tokio::test]
async fn a_rerun_goes_back_to_pending_then_done_again() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.jpg",
        "image/jpeg",
        design(800, 800, ImageFormat::Jpeg),
    )
    .await;
    let first = settled(&app, &s, &project, &file).await;
    assert_eq!(first["status"], "done");
    let res = app
        .send_auth(Method::POST, &path(&project, &file), &s.access, None)
        .await;
    assert_eq!(res.status(), 202);
    let queued: Value = res.json().await.unwrap();
    assert_eq!(queued["status"], "pending");
    let again = settled(&app, &s, &project, &file).await;
    assert_eq!(again["status"], "done");
    assert_eq!(again["attempts"], 1);
    assert!(again["finished_at"].as_str() > first["finished_at"].as_str());
    assert_eq!(again["metrics"], first["metrics"]);
}

#[tokio::test]
async fn deleting_the_file_removes_its_heatmaps() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let before = objects_under(&app.env);
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.webp",
        "image/webp",
        design(500, 300, ImageFormat::WebP),
    )
    .await;
    assert_eq!(settled(&app, &s, &project, &file).await["status"], "done");
    // The original, its thumbnail, the heatmap and the grey map.
    for _ in 0..100 {
        if objects_under(&app.env) == before + 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(objects_under(&app.env), before + 4);
    let res = app
        .send_auth(
            Method::DELETE,
            &format!("/api/v1/projects/{project}/files/{file}"),
            &s.access,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    for _ in 0..50 {
        if objects_under(&app.env) == before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        objects_under(&app.env),
        before,
        "the heatmaps went with the file"
    );
    assert_problem(
        app.get_auth(&path(&project, &file), &s.access).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_evaluate_command_prints_the_metrics_and_writes_the_heatmaps() {
    let dir = tempfile::tempdir().unwrap();
    let design_path = dir.path().join("候補.png");
    std::fs::write(&design_path, design(2000, 1000, ImageFormat::Png)).unwrap();
    let (heatmap, raw) = (dir.path().join("heat.png"), dir.path().join("raw.png"));
    let out = std::process::Command::new(crepo_tests::binary::crepo_bin())
        .arg("evaluate")
        .arg(&design_path)
        .arg("--json")
        .args(["--area", "logo:0.35,0.3,0.3,0.4"])
        .arg("--heatmap")
        .arg(&heatmap)
        .arg("--raw")
        .arg(&raw)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["algorithm"], "spectral_residual");
    assert_eq!(report["width"], 2000);
    assert!(report["metrics"]["focus"].as_f64().unwrap() > 0.0);
    assert!(report["area_shares"][0].as_f64().unwrap() > 0.5, "{report}");
    for path in [&heatmap, &raw] {
        let img = image::open(path).unwrap();
        assert_eq!((img.width(), img.height()), (1600, 800));
    }

    let table = std::process::Command::new(crepo_tests::binary::crepo_bin())
        .arg("evaluate")
        .arg(&design_path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("colourfulness") && text.contains("shelf.design_share"),
        "{text}"
    );

    let pdf = dir.path().join("spec.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").unwrap();
    let refused = std::process::Command::new(crepo_tests::binary::crepo_bin())
        .arg("evaluate")
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unsupported_format"));
}

#[tokio::test]
async fn an_export_holds_every_evaluation_as_jsonl_and_each_heatmap() {
    use super::exports::{download, finished, read_member, start_export};
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let png = uploaded(
        &app,
        &s,
        &project,
        "a.png",
        "image/png",
        design(400, 300, ImageFormat::Png),
    )
    .await;
    let pdf = uploaded(
        &app,
        &s,
        &project,
        "b.pdf",
        "application/pdf",
        b"%PDF-1.4".to_vec(),
    )
    .await;
    assert_eq!(settled(&app, &s, &project, &png).await["status"], "done");
    let id = start_export(&app, &s).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(finished(&app, &s, &id).await["status"], "ready");
    let bytes = download(&app, &s, &id)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let text = String::from_utf8(read_member(&mut zip, "file_evaluations.jsonl")).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let status = |file: &str| {
        rows.iter()
            .find(|r| r["file_id"] == file)
            .map(|r| r["status"].clone())
    };
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(status(&png), Some(json!("done")));
    assert_eq!(status(&pdf), Some(json!("skipped")));
    // The heatmap beside its original; none for the PDF.
    let heatmap = read_member(&mut zip, &format!("heatmaps/{project}/a.png.png"));
    let img = image::load_from_memory_with_format(&heatmap, ImageFormat::Png).unwrap();
    assert_eq!((img.width(), img.height()), (400, 300));
    let names: Vec<&str> = zip
        .file_names()
        .filter(|n| n.starts_with("heatmaps/"))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// Leaves the file's evaluation as a node that died mid-run would: running,
/// claimed now, after `attempts` tries.
async fn cut_off(app: &TestApp, tenant: crepo_api::ids::TenantId, file: &str, attempts: i32) {
    use crepo_api::entities::tenant::file_evaluation::{self, EvaluationStatus};
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let id: uuid::Uuid = file.parse().unwrap();
    let now = app.state.clock.now();
    app.state
        .db
        .in_tenant(tenant, async |tx| {
            file_evaluation::Entity::update(file_evaluation::ActiveModel {
                file_id: Set(id),
                status: Set(EvaluationStatus::Running),
                claimed_at: Set(Some(now)),
                attempts: Set(attempts),
                ..Default::default()
            })
            .exec(tx)
            .await
        })
        .await
        .unwrap();
    crepo_api::evaluations::queries::schedule(&app.state.db, tenant, now)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_claim_left_by_a_stopped_node_is_taken_again_once_stale_and_fails_after_three_attempts() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let me: Value = app
        .get_auth("/api/v1/me", &s.access)
        .await
        .json()
        .await
        .unwrap();
    let tenant: crepo_api::ids::TenantId = me["tenant"]["id"].as_str().unwrap().parse().unwrap();
    let project = new_project(&app, &s).await;
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.png",
        "image/png",
        design(300, 200, ImageFormat::Png),
    )
    .await;
    assert_eq!(settled(&app, &s, &project, &file).await["attempts"], 1);

    cut_off(&app, tenant, &file, 1).await;
    app.state.evaluation_wakeup.notify_one();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Fresh: another node may still be working on it.
    assert_eq!(
        evaluation(&app, &s, &project, &file).await["status"],
        "running"
    );
    app.state.clock.advance(chrono::Duration::minutes(3));
    app.state.evaluation_wakeup.notify_one();
    let again = settled(&app, &s, &project, &file).await;
    assert_eq!(
        (again["status"].as_str(), again["attempts"].as_i64()),
        (Some("done"), Some(2))
    );

    cut_off(&app, tenant, &file, 3).await;
    app.state.clock.advance(chrono::Duration::minutes(3));
    app.state.evaluation_wakeup.notify_one();
    let given_up = settled(&app, &s, &project, &file).await;
    assert_eq!(given_up["status"], "failed", "{given_up}");
    assert_eq!(given_up["reason"], "interrupted");
}

#[tokio::test]
async fn nothing_is_evaluated_while_the_tenant_is_suspended_and_what_waits_runs_after_resumption() {
    use crepo_api::{
        audit::Actor,
        entities::tenant::file_evaluation::{self, EvaluationStatus},
        ops::suspension::{change, Change},
    };
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let me: Value = app
        .get_auth("/api/v1/me", &s.access)
        .await
        .json()
        .await
        .unwrap();
    let tenant: crepo_api::ids::TenantId = me["tenant"]["id"].as_str().unwrap().parse().unwrap();
    let project = new_project(&app, &s).await;
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.png",
        "image/png",
        design(300, 200, ImageFormat::Png),
    )
    .await;
    assert_eq!(settled(&app, &s, &project, &file).await["status"], "done");
    let id: uuid::Uuid = file.parse().unwrap();
    let status = || async {
        app.state
            .db
            .in_tenant(tenant, async |tx| {
                file_evaluation::Entity::find_by_id(id).one(tx).await
            })
            .await
            .unwrap()
            .unwrap()
            .status
    };
    let now = app.state.clock.now();
    change(
        &app.state.db,
        tenant,
        Change::Suspend,
        "test",
        Actor::Cli,
        now,
        (None, None),
    )
    .await
    .unwrap();
    // Waiting again, as after a re-run (the suspension ended every session).
    app.state
        .db
        .in_tenant(tenant, async |tx| {
            file_evaluation::Entity::update(file_evaluation::ActiveModel {
                file_id: Set(id),
                status: Set(EvaluationStatus::Pending),
                claimed_at: Set(None),
                ..Default::default()
            })
            .exec(tx)
            .await
        })
        .await
        .unwrap();
    crepo_api::evaluations::queries::schedule(&app.state.db, tenant, now)
        .await
        .unwrap();
    app.state.evaluation_wakeup.notify_one();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        status().await,
        EvaluationStatus::Pending,
        "evaluated while suspended"
    );

    change(
        &app.state.db,
        tenant,
        Change::Resume,
        "test",
        Actor::Cli,
        now,
        (None, None),
    )
    .await
    .unwrap();
    app.state.clock.advance(chrono::Duration::minutes(6));
    app.state.evaluation_wakeup.notify_one();
    for _ in 0..300 {
        if status().await == EvaluationStatus::Done {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not evaluated after the tenant was resumed");
}
