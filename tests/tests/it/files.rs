use crepo_tests::{assert_problem, moto::Moto, Session, TestApp, TestEnv};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

pub(crate) async fn new_project(app: &TestApp, s: &Session) -> String {
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/projects",
            &s.access,
            Some(&json!({ "name": "パッケージ" })),
        )
        .await;
    let p: Value = res.json().await.unwrap();
    p["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn upload(
    app: &TestApp,
    s: &Session,
    project: &str,
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/projects/{project}/files")))
        .query(&[("filename", name)])
        .bearer_auth(&s.access)
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

pub(crate) fn objects_under(env: &TestEnv) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    // The readiness probe writes and removes its own file.
                    .filter(|e| !e.file_name().to_string_lossy().starts_with(".probe-"))
                    .map(|e| {
                        if e.path().is_dir() {
                            walk(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(&env.data_dir.path().join("objects"))
}

#[tokio::test]
async fn an_upload_is_stored_byte_for_byte_and_downloaded_with_safe_headers() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let res = upload(
        &app,
        &s,
        &project,
        "パッケージ案 v2.png",
        "application/octet-stream",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(res.status(), 201);
    let f: Value = res.json().await.unwrap();
    assert_eq!(f["size"], PNG.len());
    assert_eq!(f["sha256"], hex::encode(Sha256::digest(PNG)));
    assert_eq!(f["sniffed_type"], "png");
    assert_eq!(f["declared_type"], "application/octet-stream");
    assert_eq!(f["filename"], "パッケージ案 v2.png");

    let path = format!(
        "/api/v1/projects/{project}/files/{}/content",
        f["id"].as_str().unwrap()
    );
    let res = app.get_auth(&path, &s.access).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["etag"], format!("\"{}\"", f["sha256"].as_str().unwrap()));
    assert_eq!(h["accept-ranges"], "bytes");
    let cd = h["content-disposition"].to_str().unwrap();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(
        cd.contains(
            "filename*=UTF-8''%E3%83%91%E3%83%83%E3%82%B1%E3%83%BC%E3%82%B8%E6%A1%88%20v2.png"
        ),
        "{cd}"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);

    let again = app
        .client
        .get(app.url(&path))
        .bearer_auth(&s.access)
        .header("if-none-match", h["etag"].clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let list: Value = app
        .get_auth(&format!("/api/v1/projects/{project}/files"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

/// A right-to-left override would show `invoice\u{202E}fdp.exe` as
/// `invoiceexe.pdf`, in the list and in the saved download alike.
#[tokio::test]
async fn a_file_name_cannot_disguise_its_extension() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let res = upload(
        &app,
        &s,
        &project,
        "invoice\u{202E}fdp.exe",
        "application/pdf",
        b"MZ\x90\x00".to_vec(),
    )
    .await;
    assert_eq!(res.status(), 201);
    let f: Value = res.json().await.unwrap();
    assert_eq!(f["filename"], "invoicefdp.exe");
    assert_eq!(f["sniffed_type"], "other");
    let path = format!(
        "/api/v1/projects/{project}/files/{}/content",
        f["id"].as_str().unwrap()
    );
    let res = app.get_auth(&path, &s.access).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    let cd = res.headers()["content-disposition"].to_str().unwrap();
    assert!(cd.ends_with("filename*=UTF-8''invoicefdp.exe"), "{cd}");
}

#[tokio::test]
async fn single_ranges_are_honoured_and_impossible_ones_refused() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let bytes: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    let f: Value = upload(
        &app,
        &s,
        &project,
        "data.bin",
        "application/octet-stream",
        bytes.clone(),
    )
    .await
    .json()
    .await
    .unwrap();
    let path = format!(
        "/api/v1/projects/{project}/files/{}/content",
        f["id"].as_str().unwrap()
    );
    let ranged = |r: &'static str| {
        app.client
            .get(app.url(&path))
            .bearer_auth(&s.access)
            .header("range", r)
            .send()
    };
    let res = ranged("bytes=10-19").await.unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.headers()["content-range"], "bytes 10-19/1000");
    assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[10..20]);
    let res = ranged("bytes=-5").await.unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[995..]);
    let res = ranged("bytes=5000-").await.unwrap();
    assert_eq!(res.headers()["content-range"], "bytes */1000");
    assert_problem(res, 416, "range_not_satisfiable").await;
}

#[tokio::test]
async fn multipart_uploads_and_svg_downloads_are_sandboxed() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(svg.clone())
            .file_name("ロゴ.svg")
            .mime_str("image/svg+xml")
            .unwrap(),
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/projects/{project}/files")))
        .bearer_auth(&s.access)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let f: Value = res.json().await.unwrap();
    assert_eq!(f["sniffed_type"], "svg");
    assert_eq!(f["filename"], "ロゴ.svg");
    let res = app
        .get_auth(
            &format!(
                "/api/v1/projects/{project}/files/{}/content",
                f["id"].as_str().unwrap()
            ),
            &s.access,
        )
        .await;
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), svg.as_slice());
}

#[tokio::test]
async fn an_upload_over_the_cap_is_413_and_leaves_no_object() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_FILE_MAX_BYTES", "1048576");
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let before = objects_under(&app.env);
    let res = upload(
        &app,
        &s,
        &project,
        "big.bin",
        "application/octet-stream",
        vec![7u8; 2 * 1024 * 1024],
    )
    .await;
    assert_problem(res, 413, "payload_too_large").await;
    // Chunked, without a length: the cap is enforced while streaming.
    let stream =
        futures_util::stream::iter((0..40).map(|_| Ok::<_, std::io::Error>(vec![1u8; 64 * 1024])));
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/projects/{project}/files?filename=chunked.bin"
        )))
        .bearer_auth(&s.access)
        .header("content-type", "application/octet-stream")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload_too_large").await;
    let left = objects_under(&app.env);
    if left != before {
        let listing = std::process::Command::new("find")
            .arg(app.env.data_dir.path().join("objects"))
            .output()
            .unwrap();
        panic!(
            "objects left behind:\n{}",
            String::from_utf8_lossy(&listing.stdout)
        );
    }
    let list: Value = app
        .get_auth(&format!("/api/v1/projects/{project}/files"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn deleting_a_file_or_its_project_deletes_the_objects() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let base = objects_under(&app.env);
    let a: Value = upload(
        &app,
        &s,
        &project,
        "a.pdf",
        "application/pdf",
        b"%PDF-1.7 a".to_vec(),
    )
    .await
    .json()
    .await
    .unwrap();
    upload(
        &app,
        &s,
        &project,
        "b.pdf",
        "application/pdf",
        b"%PDF-1.7 b".to_vec(),
    )
    .await;
    assert_eq!(objects_under(&app.env), base + 2);
    let path = format!(
        "/api/v1/projects/{project}/files/{}",
        a["id"].as_str().unwrap()
    );
    assert_eq!(
        app.send_auth(Method::DELETE, &path, &s.access, None)
            .await
            .status(),
        204
    );
    assert_eq!(objects_under(&app.env), base + 1);
    assert_problem(app.get_auth(&path, &s.access).await, 404, "not_found").await;
    assert_eq!(
        app.send_auth(
            Method::DELETE,
            &format!("/api/v1/projects/{project}"),
            &s.access,
            None
        )
        .await
        .status(),
        204
    );
    assert_eq!(objects_under(&app.env), base);
}

#[tokio::test]
async fn another_tenant_gets_404_for_every_file_id() {
    let app = TestApp::spawn().await;
    let a = app.admin("tenant-a").await;
    let b = app.admin("tenant-b").await;
    let project = new_project(&app, &a).await;
    let f: Value = upload(
        &app,
        &a,
        &project,
        "secret.pdf",
        "application/pdf",
        b"%PDF-1.7".to_vec(),
    )
    .await
    .json()
    .await
    .unwrap();
    let base = format!(
        "/api/v1/projects/{project}/files/{}",
        f["id"].as_str().unwrap()
    );
    assert_problem(app.get_auth(&base, &b.access).await, 404, "not_found").await;
    assert_problem(
        app.get_auth(&format!("{base}/content"), &b.access).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_auth(Method::DELETE, &base, &b.access, None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        upload(
            &app,
            &b,
            &project,
            "x.bin",
            "application/octet-stream",
            vec![1],
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // B's own project with A's file id: still 404.
    let theirs = new_project(&app, &b).await;
    let crossed = format!(
        "/api/v1/projects/{theirs}/files/{}",
        f["id"].as_str().unwrap()
    );
    assert_problem(app.get_auth(&crossed, &b.access).await, 404, "not_found").await;
}

#[tokio::test]
async fn files_on_s3_are_stored_with_sse_aes256() {
    let moto = Moto::start().await;
    let s3 = moto.bucket("crepo-files").await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", "s3://crepo-files/prod");
    let app = TestApp::spawn_with(env).await;
    let s = app.admin("acme").await;
    let project = new_project(&app, &s).await;
    let encrypted: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let f: Value = upload(
        &app,
        &s,
        &project,
        "暗号化済み.bin",
        "application/octet-stream",
        encrypted.clone(),
    )
    .await
    .json()
    .await
    .unwrap();
    let key = format!(
        "prod/{}/files/{project}/{}",
        s.tenant_id,
        f["id"].as_str().unwrap()
    );
    let head = s3
        .head_object()
        .bucket("crepo-files")
        .key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.server_side_encryption(),
        Some(&aws_sdk_s3::types::ServerSideEncryption::Aes256)
    );
    let res = app
        .get_auth(
            &format!(
                "/api/v1/projects/{project}/files/{}/content",
                f["id"].as_str().unwrap()
            ),
            &s.access,
        )
        .await;
    assert_eq!(res.bytes().await.unwrap().as_ref(), encrypted.as_slice());
}
