//! Thumbnails: made after the upload for raster designs, readable only where
//! the file is, gone with the file.

use std::{io::Cursor, time::Duration};

use crepo_tests::{assert_problem, Session, TestApp};
use image::{ImageFormat, RgbImage};
use reqwest::Method;

use super::files::{new_project, objects_under, upload};

fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// The thumbnail once it has been made (it is made after the upload).
async fn thumbnail(app: &TestApp, s: &Session, project: &str, file: &str) -> reqwest::Response {
    let path = format!("/api/v1/projects/{project}/files/{file}/thumbnail");
    for _ in 0..100 {
        let res = app.get_auth(&path, &s.access).await;
        if res.status() != 404 {
            return res;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.get_auth(&path, &s.access).await
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
    let f: serde_json::Value = res.json().await.unwrap();
    f["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn raster_designs_get_a_small_png_thumbnail_and_others_none() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    for (name, mime, format) in [
        ("横長.png", "image/png", ImageFormat::Png),
        ("写真.jpg", "image/jpeg", ImageFormat::Jpeg),
        ("アニメ.gif", "image/gif", ImageFormat::Gif),
    ] {
        let file = uploaded(&app, &s, &project, name, mime, encoded(1000, 500, format)).await;
        let res = thumbnail(&app, &s, &project, &file).await;
        assert_eq!(res.status(), 200, "{name}");
        assert_eq!(res.headers()["content-type"], "image/png");
        let bytes = res.bytes().await.unwrap();
        let thumb = image::load_from_memory_with_format(&bytes, ImageFormat::Png).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 160), "{name}");
    }
    let pdf = uploaded(
        &app,
        &s,
        &project,
        "仕様.pdf",
        "application/pdf",
        b"%PDF-1.4\n%%EOF\n".to_vec(),
    )
    .await;
    assert_problem(
        app.get_auth(
            &format!("/api/v1/projects/{project}/files/{pdf}/thumbnail"),
            &s.access,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_decompression_bomb_gets_no_thumbnail_and_the_server_stays_up() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    // A tiny PNG that claims 30000 × 30000 pixels (3.6 GB decoded).
    let mut bomb = encoded(1, 1, ImageFormat::Png);
    bomb[16..20].copy_from_slice(&30_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&30_000u32.to_be_bytes());
    let file = uploaded(&app, &s, &project, "bomb.png", "image/png", bomb).await;
    let small = uploaded(
        &app,
        &s,
        &project,
        "small.png",
        "image/png",
        encoded(64, 64, ImageFormat::Png),
    )
    .await;
    // Thumbnails are made one at a time: once the next one exists, the bomb was tried.
    assert_eq!(thumbnail(&app, &s, &project, &small).await.status(), 200);
    assert_problem(
        app.get_auth(
            &format!("/api/v1/projects/{project}/files/{file}/thumbnail"),
            &s.access,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.get_auth("/api/v1/me", &s.access).await.status(), 200);
}

#[tokio::test]
async fn a_thumbnail_is_only_shown_where_its_file_is_and_goes_with_it() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let stranger = app.admin("other").await;
    let project = new_project(&app, &s).await;
    let before = objects_under(&app.env);
    let file = uploaded(
        &app,
        &s,
        &project,
        "a.png",
        "image/png",
        encoded(400, 400, ImageFormat::Png),
    )
    .await;
    assert_eq!(thumbnail(&app, &s, &project, &file).await.status(), 200);
    // The evaluation's two pictures are stored too, by another worker.
    for _ in 0..200 {
        if objects_under(&app.env) == before + 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        objects_under(&app.env),
        before + 4,
        "the original, its thumbnail, its heatmap and its grey map"
    );

    let path = format!("/api/v1/projects/{project}/files/{file}/thumbnail");
    assert_problem(
        app.get_auth(&path, &stranger.access).await,
        404,
        "not_found",
    )
    .await;
    let other_project = new_project(&app, &s).await;
    assert_problem(
        app.get_auth(
            &format!("/api/v1/projects/{other_project}/files/{file}/thumbnail"),
            &s.access,
        )
        .await,
        404,
        "not_found",
    )
    .await;

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
        "the thumbnail went with its file"
    );
    assert_problem(app.get_auth(&path, &s.access).await, 404, "not_found").await;
}
