//! Projects: CRUD with ETags, search by labels and text, stable pages.

use crepo_tests::{
    assert_problem,
    projects::{label, names, project, set_labels},
    TestApp,
};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn projects_are_created_read_updated_and_validated() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let p = project(&app, &s, "新商品 緑茶ボトル", "リニューアル案").await;
    assert_eq!(p["status"], "active");
    assert_eq!(p["version"], 1);
    let path = format!("/api/v1/projects/{}", p["id"].as_str().unwrap());
    let res = app.get_auth(&path, &s.access).await;
    assert_eq!(res.headers()["etag"], "\"1\"");
    let res = app
        .send_auth(
            Method::PATCH,
            &path,
            &s.access,
            Some(&json!({ "status": "archived" })),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"2\"");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "archived");
    assert_eq!(body["name"], "新商品 緑茶ボトル");

    for (body, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "x".repeat(201) }), "name"),
        (
            json!({ "name": "ok", "description": "d".repeat(10_001) }),
            "description",
        ),
        (json!({ "name": "ok", "status": "deleted" }), "body"),
        (json!({ "name": "ok", "tenant_id": "x" }), "body"),
    ] {
        let problem = assert_problem(
            app.send_auth(Method::POST, "/api/v1/projects", &s.access, Some(&body))
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    // Exactly 200 characters, in Japanese, is fine.
    project(&app, &s, &"案".repeat(200), "").await;
}

#[tokio::test]
async fn a_patch_with_a_stale_etag_is_412() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let p = project(&app, &s, "Bottle", "").await;
    let path = format!("/api/v1/projects/{}", p["id"].as_str().unwrap());
    let patch = |name: &str, etag: &str| {
        app.client
            .patch(app.url(&path))
            .bearer_auth(&s.access)
            .header("if-match", etag.to_owned())
            .json(&json!({ "name": name }))
            .send()
    };
    assert_eq!(patch("Bottle v2", "\"1\"").await.unwrap().status(), 200);
    assert_problem(
        patch("Bottle v3", "\"1\"").await.unwrap(),
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(patch("Bottle v3", "\"2\"").await.unwrap().status(), 200);
}

#[tokio::test]
async fn projects_are_found_by_every_given_label_and_by_text_in_japanese() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let (jan, can, ltd) = (
        label(&app, &s, "4901234567894").await,
        label(&app, &s, "CAN-350").await,
        label(&app, &s, "LTD.2026").await,
    );
    let tea = project(&app, &s, "緑茶ボトル", "抹茶入り ＧＲＥＥＮ").await;
    let coffee = project(&app, &s, "缶コーヒー", "微糖").await;
    let soda = project(&app, &s, "ソーダ", "限定デザイン").await;
    assert_eq!(
        set_labels(&app, &s, &tea, &[&jan, &ltd]).await.status(),
        200
    );
    assert_eq!(
        set_labels(&app, &s, &coffee, &[&can, &ltd]).await.status(),
        200
    );
    assert_eq!(set_labels(&app, &s, &soda, &[&ltd]).await.status(), 200);

    assert_eq!(names(&app, &s, "label=4901234567894").await, ["緑茶ボトル"]);
    let mut both = names(&app, &s, "label=LTD.2026").await;
    both.sort();
    assert_eq!(both, ["ソーダ", "緑茶ボトル", "缶コーヒー"]);
    assert_eq!(
        names(&app, &s, "label=ltd.2026&label=CAN-350").await,
        ["缶コーヒー"]
    );
    assert!(names(&app, &s, "label=4901234567894&label=CAN-350")
        .await
        .is_empty());
    assert!(names(&app, &s, "label=NO-SUCH").await.is_empty());
    assert_eq!(names(&app, &s, "q=抹茶").await, ["緑茶ボトル"]);
    assert_eq!(
        names(&app, &s, "q=green").await,
        ["緑茶ボトル"],
        "full-width and case fold"
    );
    assert_eq!(
        names(&app, &s, "q=%E3%82%B3%E3%83%BC%E3%83%92%E3%83%BC").await,
        ["缶コーヒー"]
    );
    assert!(names(&app, &s, "q=%25").await.is_empty(), "a % is literal");
    // By code point of the (normalised) name: ソ U+30BD < 緑 U+7DD1 < 缶 U+7F36.
    assert_eq!(
        names(&app, &s, "sort=name").await,
        ["ソーダ", "緑茶ボトル", "缶コーヒー"]
    );
    assert_problem(
        app.get_auth("/api/v1/projects?sort=size", &s.access).await,
        422,
        "validation_failed",
    )
    .await;

    let labels: Value = app
        .get_auth("/api/v1/labels", &s.access)
        .await
        .json()
        .await
        .unwrap();
    let ltd_row = labels["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "LTD.2026")
        .unwrap();
    assert_eq!(ltd_row["project_count"], 3);

    let ghost = uuid::Uuid::new_v4().to_string();
    let path = format!("/api/v1/projects/{}/labels", tea["id"].as_str().unwrap());
    let res = app
        .send_auth(
            Method::PUT,
            &path,
            &s.access,
            Some(&json!({ "label_ids": [jan["id"], ghost] })),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "unknown_label");
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains(&ghost));
}

#[tokio::test]
async fn pages_neither_skip_nor_repeat_while_others_insert() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    for i in 0..12 {
        project(&app, &s, &format!("既存 {i:02}"), "").await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut inserted = 0;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/projects?limit=5&cursor={c}"),
            None => "/api/v1/projects?limit=5".to_owned(),
        };
        let page: Value = app.get_auth(&url, &s.access).await.json().await.unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned()),
        );
        // Someone else keeps adding projects meanwhile.
        join_all((0..2).map(|_| {
            inserted += 1;
            project(&app, &s, "新規", "")
        }))
        .await;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let mut expected: Vec<String> = (0..12).rev().map(|i| format!("既存 {i:02}")).collect();
    expected.sort();
    let mut got = seen.clone();
    got.sort();
    assert_eq!(got, expected, "{seen:?}");
    assert!(inserted > 0);
}

/// Every page of `first` (a list URL with `limit=2`), following
/// `next_cursor`: the `field` of each item in the order served.
async fn every_page(app: &TestApp, token: &str, first: &str, field: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut url = first.to_owned();
    loop {
        let res = app.get_auth(&url, token).await;
        assert_eq!(res.status(), 200, "{url}");
        let page: Value = res.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        out.extend(items.iter().map(|i| i[field].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("{first}&cursor={c}"),
            None => return out,
        }
    }
}

#[tokio::test]
async fn labels_and_projects_by_name_page_through_each_item_once() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    for code in ["B-2", "a-1", "E-5", "d-4", "C-3"] {
        label(&app, &s, code).await;
    }
    for i in [3, 1, 4, 0, 2] {
        project(&app, &s, &format!("案件 {i}"), "").await;
    }
    assert_eq!(
        every_page(&app, &s.access, "/api/v1/labels?limit=2", "code").await,
        ["a-1", "B-2", "C-3", "d-4", "E-5"]
    );
    assert_eq!(
        every_page(
            &app,
            &s.access,
            "/api/v1/projects?sort=name&limit=2",
            "name"
        )
        .await,
        (0..5).map(|i| format!("案件 {i}")).collect::<Vec<_>>()
    );

    // A cursor serves only the order that handed it out, and nothing else
    // passes for one.
    let page: Value = app
        .get_auth("/api/v1/projects?sort=name&limit=2", &s.access)
        .await
        .json()
        .await
        .unwrap();
    let by_name = page["next_cursor"].as_str().unwrap();
    for url in [
        format!("/api/v1/projects?cursor={by_name}"),
        "/api/v1/projects?cursor=nope".to_owned(),
        "/api/v1/labels?cursor=a-1".to_owned(),
    ] {
        let problem = assert_problem(
            app.get_auth(&url, &s.access).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "cursor", "{url}");
        assert_eq!(problem["errors"][0]["code"], "invalid_cursor", "{url}");
    }
}

#[tokio::test]
async fn a_project_is_created_with_its_labels_or_not_at_all() {
    let app = TestApp::spawn().await;
    let s = app.admin("acme").await;
    let tea = label(&app, &s, "4901234567894").await;
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/projects",
            &s.access,
            Some(&json!({ "name": "緑茶 2027", "label_ids": [tea["id"]] })),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["labels"][0]["id"], tea["id"], "{created}");

    // One unknown label: 422 on label_ids, and no project without its labels.
    let res = app
        .send_auth(
            Method::POST,
            "/api/v1/projects",
            &s.access,
            Some(&json!({ "name": "ほうじ茶", "label_ids": [tea["id"], uuid::Uuid::now_v7()] })),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "label_ids", "{problem}");
    assert_eq!(names(&app, &s, "").await, ["緑茶 2027"]);
}
